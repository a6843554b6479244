"""A control called the device maker's whose text says the hospital carries it out ("the hospital applies it",
"Customers must change the default password", "is the responsibility of the HDO") is the hospital's: it meets no
duty of the maker, and the rationale names it under "Relies on the hospital". A shared control stays shared, and
a party named only as the place or the beneficiary ("traffic to the hospital server") changes nothing."""

from __future__ import annotations

import pytest

from mdptm.mapping.engine import map_model
from mdptm.model import Control, Document, Model, Product
from mdptm.model.evidence import hospital_performed


@pytest.mark.parametrize(
    "text",
    [
        "Meridian's baseline (CIS level 1); the hospital applies it and keeps endpoint protection current.",
        "The hospital places the pump on a dedicated VLAN.",
        "Customers must change the default password at installation.",
        "Operating system patches are the responsibility of the HDO.",
        "OS patching is the customer's responsibility.",
        "Firewall rules must be configured by the hospital IT.",
        "The hospital's IT department backs up the server nightly.",
        "Hospital IT monitors the audit log.",
    ],
)
def test_the_hospital_carrying_it_out_is_found(text: str) -> None:
    assert hospital_performed("Control", text)


@pytest.mark.parametrize(
    "text",
    [
        "Alerts are sent to the hospital monitors.",
        "Certificates installed by the hospital are validated by the pump.",
        "The operator must log in with a PIN.",
        "The pump encrypts all traffic to the hospital server with TLS 1.3.",
        "Updates are signed by the maker; the customer does not need to configure anything.",
        "The maker supports customers with a 24/7 hotline.",
        "No configuration by the hospital is required.",
        "Each site is surveyed by the maker before installation.",
        "Biomed can back up and restore the configuration.",  # a feature the device offers
    ],
)
def test_the_hospital_as_place_or_beneficiary_is_not(text: str) -> None:
    assert hospital_performed("Control", text) is None


def _clause(control: Control, fw: str, cid: str) -> tuple[str, list[str], str]:
    m = Model(product=Product(name="P", manufacturer="M"), document=Document(version="1.0"), controls=[control])
    c = next(c for f in map_model(m).frameworks if f.id == fw for c in f.clauses if c.id == cid)
    return c.status, c.evidence, c.rationale


@pytest.mark.parametrize("stated", [True, False])
def test_a_makers_control_the_hospital_carries_out_meets_no_duty_of_the_maker(stated: bool) -> None:
    def control(description: str, responsibility: str = "manufacturer") -> Control:
        return Control(
            id="C1",
            title="Server hardening baseline",
            category="resiliency_recovery",
            responsibility=responsibility,  # type: ignore[arg-type]
            responsibility_stated=stated,
            description=description,
        )

    made = control("CIS level 1 baseline with application allow-listing, applied to every server before shipping.")
    status, evidence, _ = _clause(made, "cra-annex-i", "I.2.b")
    assert status != "gap" and "C1" in evidence
    done = control("CIS level 1 baseline with application allow-listing; the hospital applies it to every server.")
    status, evidence, rationale = _clause(done, "cra-annex-i", "I.2.b")
    assert "C1" not in evidence and "Relies on the hospital for C1" in rationale
    shared = control("CIS level 1 baseline with application allow-listing; the hospital applies it to every server.", "shared")
    status, evidence, _ = _clause(shared, "cra-annex-i", "I.2.b")
    assert "C1" in evidence  # a shared control counts, by design
