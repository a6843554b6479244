"""A dialysis machine's "HTTPS over LTE" service link to the maker was given an outbound rule on the hospital's device
VLAN (TCP 443 to the internet) and was listed among the connections to watch at the hospital's perimeter: it leaves
through the machine's own modem and the carrier's network, so no hospital firewall sees or stops it."""

from __future__ import annotations

import pytest

from mdptm.documents.guides import build_guides
from mdptm.model import Element, Flow, TrustZone
from tests.documents.test_guides_readers import base, firewall_rows, text_of

_ZONES = [TrustZone(id="zd", name="Dialysis device VLAN", kind="network"), TrustZone(id="zv", name="Maker service centre", kind="vendor")]
_ELEMENTS = [
    Element(id="d8", name="Dialysis machine", kind="device", trust_zone="zd"),
    Element(id="sc", name="Service centre", kind="cloud_service", trust_zone="zv"),
]


def _link(protocol: str, name: str = "Service link", description: str | None = None) -> Flow:
    return Flow(
        id="F-06",
        name=name,
        source="d8",
        target="sc",
        protocol=protocol,
        port="443",
        **({"description": description} if description else {}),
    )


@pytest.mark.parametrize(
    ("protocol", "name"), [("HTTPS over LTE", "Service link"), ("HTTPS", "4G service link"), ("MQTT over cellular", "Telemetry")]
)
def test_a_flow_over_a_cellular_link_gets_no_hospital_rule(protocol: str, name: str) -> None:
    docs = build_guides(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[_link(protocol, name)]))
    assert not firewall_rows(docs["deployment"])
    dep = text_of(docs["deployment"])
    assert "Over a cellular link, as the threat model says: the traffic leaves through the carrier's network" in dep
    assert "F-06 Dialysis machine → Service centre (TCP 443; “" in dep
    ops = text_of(docs["operations"])
    assert "to watch at the perimeter: F-06" not in ops
    assert f"Not seen at the hospital's perimeter, over a cellular link, as the threat model says: F-06 {name}" in ops
    assert "Connections over a cellular link (F-06" in text_of(docs["decommissioning"])


@pytest.mark.parametrize(
    ("protocol", "name", "description"),
    [
        ("HTTPS over Wi-Fi or LTE", "Service link", None),  # may cross the hospital's network
        ("HTTPS", "Service link (not over LTE)", None),  # denied
        ("HTTPS", "Service link", "Falls back to the cellular modem when the hospital network is down."),  # not read
    ],
)
def test_a_flow_that_may_cross_the_hospital_network_keeps_its_rule(protocol: str, name: str, description: str | None) -> None:
    docs = build_guides(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[_link(protocol, name, description)]))
    assert [r for r in firewall_rows(docs["deployment"]) if r[-1].startswith("F-06")]
    assert "Over a cellular link" not in text_of(docs["deployment"])


def test_pre_procurement_says_the_cellular_link_bypasses_the_hospital_network() -> None:
    docs = build_guides(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[_link("HTTPS over LTE")]))
    text = text_of(docs["pre-procurement"])
    assert (
        "Over a cellular link, as the threat model says, not through the hospital's network, so no firewall of the "
        "hospital sees it: F-06 (“HTTPS over LTE”)." in text
    )
