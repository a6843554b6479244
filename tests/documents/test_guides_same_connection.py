"""A remote command flow the model says rides on the console's outbound relay connection, written "Over F-1's
connection", "Via the connection of F-1", "Carried over the F-1 connection" or "Through the relay connection of F-1",
was given an inbound rule from the internet to the console on TCP 443: only "over the connection of F-1" was read."""

from __future__ import annotations

import pytest

from mdptm.documents.guides import build_guides
from mdptm.model import Element, Flow, TrustZone
from tests.documents.test_guides_readers import base, firewall_rows

_ZONES = [TrustZone(id="zm", name="Modality VLAN", kind="network"), TrustZone(id="zv", name="Vendor cloud", kind="vendor")]
_ELEMENTS = [
    Element(id="con", name="Console", kind="device", trust_zone="zm"),
    Element(id="relay", name="Vendor remote access relay", kind="cloud_service", trust_zone="zv"),
]


def _ids(description: str) -> list[tuple[str, str]]:
    flows = [
        Flow(id="F-1", name="Relay connection", source="con", target="relay", protocol="HTTPS", port="443", initiator="con"),
        Flow(id="F-2", name="Remote commands", source="relay", target="con", protocol="HTTPS", port="443", description=description),
    ]
    return [(r[0], r[-1]) for r in firewall_rows(build_guides(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=flows))["deployment"])]


@pytest.mark.parametrize(
    "description",
    ["Over F-1's connection.", "Via the connection of F-1.", "Carried over the F-1 connection.", "Through the relay connection of F-1."],
)
def test_a_flow_riding_on_another_s_connection_gets_no_inbound_rule(description: str) -> None:
    assert _ids(description) == [("out", "F-1")]


@pytest.mark.parametrize("description", ["Not over the F-1 connection: a connection of its own.", "Opens a connection of its own."])
def test_a_connection_of_its_own_keeps_its_rule(description: str) -> None:
    assert ("in", "F-2 *") in _ids(description)
