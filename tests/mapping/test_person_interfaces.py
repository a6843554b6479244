"""A flow with a person at one end (a clinician at the pump's screen) is a user interface, not an external
network interface: CRA I.2.j "External interfaces documented" and FDA labelling 3 (network ports and
interfaces) count only flows between systems (``person: false`` on flows)."""

from __future__ import annotations

from mdptm.mapping.engine import map_model
from mdptm.model import Document, Element, Flow, Model, Product


def _clause(m: Model, fw: str, cid: str) -> tuple[str, list[str], str]:
    c = next(c for f in map_model(m).frameworks if f.id == fw for c in f.clauses if c.id == cid)
    return c.status, c.evidence, c.rationale


def _model(*flows: Flow) -> Model:
    return Model(
        product=Product(name="P", manufacturer="M"),
        document=Document(version="1.0"),
        elements=[
            Element(id="pump", name="Infusion pump", kind="device"),
            Element(id="server", name="Pump server", kind="process"),
            Element(id="nurse", name="Nurse", kind="external_entity"),
        ],
        flows=list(flows),
    )


NETWORK = Flow(id="F1", source="server", target="pump", protocol="HTTPS", port="443")
TOUCH = Flow(id="F2", source="nurse", target="pump", protocol="touchscreen", port="n/a (local)")


def test_a_person_flow_is_not_an_external_interface() -> None:
    status, evidence, rationale = _clause(_model(TOUCH), "fda-premarket", "labeling.3")
    assert status == "gap" and "F2" not in evidence
    assert "between systems" in rationale
    status, evidence, _ = _clause(_model(TOUCH), "cra-annex-i", "I.2.j")
    assert "F2" not in evidence


def test_network_flows_still_are_and_person_flows_do_not_lower_them() -> None:
    status, evidence, _ = _clause(_model(NETWORK, TOUCH), "fda-premarket", "labeling.3")
    assert status == "covered" and "F1" in evidence and "F2" not in evidence
    # a person flow that names no protocol does not make the network interfaces look undocumented
    untold = Flow(id="F3", source="nurse", target="pump")
    status, evidence, _ = _clause(_model(NETWORK, untold), "fda-premarket", "labeling.3")
    assert status == "covered" and evidence == ["F1"]
    _, evidence, rationale = _clause(_model(NETWORK, untold), "cra-annex-i", "I.2.j")
    assert "F1" in evidence and "F3" not in evidence and "F3" not in rationale
