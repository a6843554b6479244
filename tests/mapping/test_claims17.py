"""Evidence texts written as a label, a dash and a placeholder ("TLS 1.2 — N/A", "SBOM - TBD") counted as stated:
the flow's encryption met CRA Annex I (2)(e), the SBOM field Annex II (9). The label names what is not there; the
one reading of placeholders (evidence.is_placeholder) now says so, as it already did for "SBOM: planned"."""

from __future__ import annotations

import pytest

from mdptm.mapping.engine import map_model
from mdptm.model import Control, Document, Element, Flow, Model, Product, Support
from mdptm.model.evidence import is_placeholder, stated

_BASE = {"product": Product(name="P", manufacturer="M"), "document": Document(version="1", date="2026-01-01")}


def _clause(model: Model, framework: str, clause: str) -> tuple[str, list[str]]:
    fw = next(f for f in map_model(model).frameworks if f.id == framework)
    c = next(c for c in fw.clauses if c.id == clause)
    return c.status, list(c.evidence)


def _with_flow(encryption: str) -> Model:
    return Model(
        **_BASE,
        elements=[Element(id="E1", name="Pump", kind="device"), Element(id="E2", name="Gateway", kind="software")],
        flows=[Flow(id="F-01", source="E1", target="E2", protocol="HTTPS", encryption=encryption)],
        controls=[Control(id="C-01", title="AES-256 encryption of stored records", category="cryptography", status="implemented")],
    )


@pytest.mark.parametrize("text", ["TLS 1.2 — N/A", "TLS 1.2 - n/a", "TLS 1.3 – TBD", "N/A", "n/a (see below)", "—", "TBD"])
def test_a_flow_encryption_that_is_a_placeholder_is_no_encryption_in_transit(text: str) -> None:
    # before: "TLS 1.2 — N/A" covered I.2.e with F-01 as its evidence
    status, evidence = _clause(_with_flow(text), "cra-annex-i", "I.2.e")
    assert status == "partial" and "F-01" not in evidence
    assert _clause(_with_flow("TLS 1.2"), "cra-annex-i", "I.2.e") == ("covered", ["C-01", "F-01"])


@pytest.mark.parametrize("text", ["CycloneDX SBOM — N/A", "SPDX - TBD", "SBOM - n/a (see below)", "N/A", "—", "TBD"])
def test_an_sbom_field_that_is_a_placeholder_gives_no_place_to_access_it(text: str) -> None:
    # before: "CycloneDX SBOM — N/A" covered Annex II (9)
    assert _clause(Model(**_BASE, support=Support(sbom=text)), "cra-annex-ii", "9")[0] == "gap"


@pytest.mark.parametrize(
    "text",
    ["TLS 1.3 - mutual authentication", "Signed updates. Encryption - TBD", "AES-256 - see section 4", "IEC 62443-4-2 - SL 2"],
)
def test_a_dash_before_a_statement_still_states_it(text: str) -> None:
    assert not is_placeholder(text) and stated(text)
