"""A transport written after each port, in words or in brackets ("443 (TCP), 8080 (UDP)", "443 TCP, 5000 UDP").

Only "443/tcp" was read so: the Port column printed "443, 8080" with no transport, and the guide asked "the model names
both TCP and UDP: does it use both, or which one?" though the model says which, port by port."""

from __future__ import annotations

import pytest

from mdptm.documents.guides import build_guides
from mdptm.model import Element, Flow, TrustZone
from tests.documents.test_guides_readers import base, firewall_rows, text_of

_ZONES = [TrustZone(id="z1", name="Clinical VLAN", kind="network"), TrustZone(id="z2", name="Server VLAN", kind="network")]
_ELEMENTS = [
    Element(id="gw", name="Telemetry gateway", kind="device", trust_zone="z1"),
    Element(id="srv", name="Alarm server", kind="software", trust_zone="z2"),
]


@pytest.mark.parametrize(
    ("port", "column"),
    [
        ("443 (TCP), 8080 (UDP)", "TCP 443, UDP 8080"),
        ("443 TCP, 5000 UDP", "TCP 443, UDP 5000"),
        ("1812 (UDP)", "UDP 1812"),
        ("514/udp, 6514/tcp", "UDP 514, TCP 6514"),  # as before
        ("UDP 514/TCP 6514", "UDP 514, TCP 6514"),  # a transport before the next number is that number's
    ],
)
def test_a_transport_after_each_port_is_that_ports(port: str, column: str) -> None:
    flow = Flow(id="F-1", name="Alarms", source="gw", target="srv", protocol="Proprietary alarm protocol", port=port, initiator="gw")
    doc = build_guides(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[flow]))["deployment"]
    assert {r[4] for r in firewall_rows(doc)} == {column}
    assert "does it use both, or which one?" not in text_of(doc)
