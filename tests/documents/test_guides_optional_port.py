"""One port of a flow called optional ("443, 8443 (admin console, optional)").

The word was read as the flow's: both ports' rule was marked "(optional)", "needed only where the hospital uses it",
so an engineer could leave TCP 443, which the device needs, shut. Now the flow's rule is not marked, and the note
names the one port the model calls optional."""

from __future__ import annotations

from mdptm.documents.guides import build_guides
from mdptm.model import Element, Flow, TrustZone
from tests.documents.test_guides_readers import base, firewall_rows, text_of

_ZONES = [TrustZone(id="z1", name="Clinical VLAN", kind="network"), TrustZone(id="z2", name="Server VLAN", kind="network")]
_ELEMENTS = [
    Element(id="ws", name="Biomed workstation", kind="software", trust_zone="z1"),
    Element(id="srv", name="Fleet server", kind="software", trust_zone="z2"),
]


def _doc(port: str, name: str = "Fleet management"):  # type: ignore[no-untyped-def]
    flow = Flow(id="F-1", name=name, source="ws", target="srv", protocol="HTTPS", port=port, initiator="ws")
    return build_guides(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[flow]))["deployment"]


def test_one_optional_port_does_not_make_the_flow_optional() -> None:
    doc = _doc("443, 8443 (admin console, optional)")
    assert all("(optional)" not in r[5] for r in firewall_rows(doc))
    assert {r[4] for r in firewall_rows(doc)} == {"TCP 443, TCP 8443"}
    text = text_of(doc)
    assert "The threat model calls one port of these connections optional, not the others" in text
    assert "F-1 TCP 8443 (“8443 (admin console, optional)”)" in text


def test_an_optional_flow_stays_optional() -> None:
    for doc in (_doc("443 (optional)"), _doc("443, 8443", name="Remote log upload (optional)"), _doc("(optional) 443, 8443")):
        assert all(r[5].endswith("(optional)") for r in firewall_rows(doc))
        assert "calls one port of these connections optional" not in text_of(doc)
