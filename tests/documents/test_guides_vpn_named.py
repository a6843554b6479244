"""A remote service session written "RDP over VPN" whose encryption the model gives as "IPsec VPN".

The guide asked "which VPN protocol … does the tunnel use?" as if the model were silent: it names IPsec. The question
now quotes what the model states and asks only what it does not (ports, opener, ends)."""

from __future__ import annotations

from mdptm.documents.guides import build_guides
from mdptm.model import Element, Flow, TrustZone
from tests.documents.test_guides_readers import base, text_of

_ZONES = [TrustZone(id="zs", name="Monitoring network", kind="network"), TrustZone(id="zc", name="Maker cloud", kind="cloud")]
_ELEMENTS = [
    Element(id="cs", name="Central station", kind="software", trust_zone="zs"),
    Element(id="sup", name="Remote support centre", kind="cloud_service", trust_zone="zc"),
]


def _text(encryption: str | None) -> str:
    flow = Flow(id="F-5", name="Remote service session", source="sup", target="cs", protocol="RDP over VPN", port="3389",
                encryption=encryption, description="Opened by the support centre into the hospital when a case is logged.")  # fmt: skip
    return text_of(build_guides(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[flow]))["deployment"])


def test_a_vpn_whose_protocol_the_model_names_is_not_asked_for_its_protocol() -> None:
    text = _text("IPsec VPN")
    assert "which VPN protocol" not in text
    assert "the model names its tunnel as IPsec (“IPsec VPN”): which ports does the tunnel use" in text


def test_a_vpn_of_no_named_protocol_is_still_asked_for_it() -> None:
    assert "which VPN protocol and ports does the tunnel use" in _text(None)
    assert "which VPN protocol and ports does the tunnel use" in _text("VPN")
