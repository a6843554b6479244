"""The maker's disposal term "Units returned for repair are wiped by the service tool before shipping" was printed as
its erasure procedure, and under "Devices returned for service or repair" the same guide said the threat model does
not say what happens to data on a unit sent for repair."""

from __future__ import annotations

from mdptm.documents.guides import build_guides
from mdptm.model import Asset, Element, Support, TrustZone
from tests.documents.test_guides_readers import base, text_of


def _section(disposal: str) -> str:
    m = base(
        trust_zones=[TrustZone(id="zm", name="Device VLAN", kind="network")],
        elements=[Element(id="dev", name="Ventilator", kind="device", trust_zone="zm")],
        assets=[Asset(id="A1", name="Patient trends", kind="phi", stored_in=["dev"])],
        support=Support(data_disposal=disposal),
    )
    t = text_of(build_guides(m)["decommissioning"])
    return t[t.index("## Devices returned") : t.index("## Data to retrieve")]


def test_the_maker_s_disposal_term_on_repairs_is_read() -> None:
    section = _section("Wipe with Factory reset. Units returned for repair are wiped by the service tool before shipping.")
    assert "- Units returned for repair are wiped by the service tool before shipping. (the device maker's erasure procedure)" in section
    assert "does not say what happens to data on a unit sent for repair" not in section


def test_a_disposal_term_silent_on_repairs_leaves_the_question() -> None:
    assert "does not say what happens to data on a unit sent for repair" in _section("Wipe with Factory reset.")
