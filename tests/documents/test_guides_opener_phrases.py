"""Who opens the connection, from the flow's own words: "The pump keeps a persistent connection to the cloud, over
which configuration is pushed" gave the configuration flow, drawn from the cloud, an inbound rule from the internet to
the pump (read from the name "push"); "Delivered when the pump checks in" one assumed from the order of its ends; "The
gateway server polls each pump" was not read, the end named in two words."""

from __future__ import annotations

import pytest

from mdptm.documents.guides import build_guides
from mdptm.model import Element, Flow, TrustZone
from tests.documents.test_guides_readers import base, firewall_rows

_ZONES = [
    TrustZone(id="zm", name="Device VLAN", kind="network"),
    TrustZone(id="zv", name="Vendor cloud", kind="vendor"),
    TrustZone(id="zh", name="Server VLAN", kind="network"),
]
_ELEMENTS = [
    Element(id="dev", name="Pump", kind="device", trust_zone="zm"),
    Element(id="cloud", name="Vendor cloud service", kind="cloud_service", trust_zone="zv"),
    Element(id="srv", name="Gateway server", kind="software", trust_zone="zh"),
]


@pytest.mark.parametrize(
    ("source", "target", "name", "description", "rows"),
    [
        (
            "cloud",
            "dev",
            "Configuration push",
            "The pump keeps a persistent connection to the cloud, over which configuration is pushed.",
            [("out", "Pump", "F-1")],
        ),
        ("cloud", "dev", "Configuration", "Delivered when the pump checks in.", [("out", "Pump", "F-1")]),
        (
            "srv",
            "dev",
            "Status",
            "The gateway server polls each pump every minute.",
            [("out", "Gateway server", "F-1"), ("in", "Pump", "F-1")],
        ),
    ],
)
def test_the_flow_s_words_name_the_opener(source: str, target: str, name: str, description: str, rows: list[tuple[str, str, str]]) -> None:
    cloud = "cloud" in (source, target)
    fl = Flow(
        id="F-1",
        name=name,
        source=source,
        target=target,
        protocol="HTTPS" if cloud else "TCP",
        port="443" if cloud else "9000",
        description=description,
    )
    got = [(r[0], r[1], r[-1]) for r in firewall_rows(build_guides(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[fl]))["deployment"])]
    assert got == rows


@pytest.mark.parametrize("port", ["443 (inbound to the hospital)", "443, opened from the internet"])
def test_a_port_said_inbound_to_the_hospital_is_opened_from_outside(port: str) -> None:
    """A flow drawn from the pump to the maker's cloud on "443 (inbound to the hospital)" got an outbound rule from
    the pump, marked assumed: the port's own words say the connection comes in."""
    fl = Flow(id="F-1", name="Data", source="dev", target="cloud", protocol="HTTPS", port=port)
    got = [(r[0], r[1], r[-1]) for r in firewall_rows(build_guides(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[fl]))["deployment"])]
    assert got == [("in", "Pump", "F-1")]


def test_inbound_words_that_name_neither_side_decide_nothing() -> None:
    fl = Flow(id="F-1", name="Inbound HL7 messages", source="dev", target="cloud", protocol="HTTPS", port="443")
    got = [(r[0], r[1], r[-1]) for r in firewall_rows(build_guides(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[fl]))["deployment"])]
    assert got == [("out", "Pump", "F-1 *")]
