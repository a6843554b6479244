"""Discovery sent by broadcast or multicast (a real Threat Dragon model draws "Broadcast" over UPnP from an IoT device
to a mobile app) reaches only hosts on one subnet: a router does not pass it on. The deployment guide wrote it an
ordinary unicast rule (out from the device, in on the app, "UPnP | not stated"), which an engineer would open between
segments to no effect, and asked its port as for any connection."""

from __future__ import annotations

import pytest

from mdptm.documents.guides import build_guides
from mdptm.model import Element, Flow, TrustZone
from tests.documents.test_guides_readers import base, firewall_rows, text_of

_ZONES = [
    TrustZone(id="z1", name="Device VLAN", kind="network"),
    TrustZone(id="z2", name="Clinical LAN", kind="network"),
]
_ELEMENTS = [
    Element(id="dev", name="IoT Device", kind="device", trust_zone="z1"),
    Element(id="app", name="Mobile App", kind="mobile_app", trust_zone="z2"),
]


def _deployment(*flows: Flow) -> tuple[list[list[str]], str]:
    doc = build_guides(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=list(flows)))["deployment"]
    return firewall_rows(doc), text_of(doc)


def test_a_broadcast_discovery_flow_gets_no_unicast_rule() -> None:
    rows, text = _deployment(Flow(id="df-broadcast", name="Broadcast", source="dev", target="app", protocol="UPnP"))
    assert not [r for r in rows if r[-1].startswith("df-broadcast")], rows
    assert "a router passes such traffic on only where it is set up to (multicast routing, a relay), so it reaches the hosts of one" in text
    assert (
        "df-broadcast Broadcast: IoT Device → Mobile App (UPnP); SSDP (UPnP discovery) uses the group 239.255.255.250 "
        "(IPv6 ff02::c) and UDP 1900 by its standard; the model states no port" in text
    )
    # its ends on two segments: the discovery does not reach across
    assert "the model places its ends on two segments (Device VLAN, Clinical LAN): it does not reach across unless relayed" in text
    assert "the model does not say whether it can be turned off" in text
    assert "df-broadcast Broadcast (discovery by broadcast or multicast): can it be turned off" in text
    assert "df-broadcast Broadcast (UPnP, between IoT Device and Mobile App): which port" not in text


def test_the_model_saying_discovery_can_be_turned_off_is_quoted_and_not_asked() -> None:
    _, text = _deployment(
        Flow(
            id="F-1",
            name="Device discovery",
            source="dev",
            target="app",
            protocol="mDNS",
            port="5353/udp",
            description="Announces the device on the LAN. Discovery can be disabled in the service menu.",
        )
    )
    assert "F-1 Device discovery: IoT Device → Mobile App (mDNS UDP 5353); the model places" in text
    assert "the model says it can be turned off or is optional: “Discovery can be disabled in the service menu.”" in text
    assert "can it be turned off" not in text
    assert "uses the group" not in text  # the model states the port: no standard port quoted


@pytest.mark.parametrize(
    ("name", "protocol", "multicast"),
    [
        ("Broadcast", "UPnP", True),
        ("UPnP discovery", "UDP", True),
        ("Service announcement", "SSDP", True),
        ("Status", "HTTPS", False),
        ("Control", "UPnP", False),  # UPnP's control is unicast HTTP
        ("Status (no broadcast)", "UDP 5000", False),
        ("Alarm broadcast", "BLE", False),  # a local radio link, not the network
        ("Alarm broadcast", "HTTPS", False),  # TCP connects two hosts: sent to each by name, not to a group
        ("Broadcast", "TCP 5000", False),
    ],
)
def test_which_flows_are_discovery_by_broadcast_or_multicast(name: str, protocol: str, multicast: bool) -> None:
    rows, text = _deployment(Flow(id="F-1", name=name, source="dev", target="app", protocol=protocol))
    assert ("Sent by broadcast or multicast (discovery)" in text) == multicast
    assert (not [r for r in rows if r[-1].startswith("F-1")]) == (multicast or protocol == "BLE"), rows


def test_decommissioning_names_a_relay_for_discovery_not_a_rule() -> None:
    m = base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[Flow(id="F-1", name="Broadcast", source="dev", target="app", protocol="UPnP")])
    text = text_of(build_guides(m)["decommissioning"])
    section = text.split("## Network access to remove", 1)[1]
    assert "No connection in the model crosses a network segment." not in section
    assert "Traffic sent by broadcast or multicast (discovery: F-1) has no firewall rule: where the hospital relays it" in section


def test_the_network_picture_draws_discovery_as_broadcast_or_multicast() -> None:
    from mdptm.documents import netplan
    from mdptm.documents.guides import Facts

    m = base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[Flow(id="F-1", name="Broadcast", source="dev", target="app", protocol="UPnP")])
    f = Facts.of(m)
    picture = netplan.diagram_model(f, netplan.build(f))
    assert picture is not None and [(fl.source, fl.name) for fl in picture.flows] == [("dev", "broadcast or multicast (one subnet)")]


@pytest.mark.parametrize("zoned", [True, False])
def test_pre_procurement_does_not_count_a_broadcast_among_flows_that_may_leave(zoned: bool) -> None:
    """The Threat Dragon IoT model's "Broadcast" (UPnP) was listed among the flows of which "whether they leave the
    hospital is not clear": a broadcast or link-local multicast reaches only the sender's subnet."""
    elements = _ELEMENTS if zoned else [e.model_copy(update={"trust_zone": None}) for e in _ELEMENTS]
    flows = [
        Flow(id="df-broadcast", name="Broadcast", source="dev", target="app", protocol="UPnP"),
        Flow(id="F-2", name="Status", source="dev", target="app", protocol="HTTPS", port="443"),
    ]
    text = text_of(build_guides(base(trust_zones=_ZONES if zoned else [], elements=elements, flows=flows))["pre-procurement"])
    where = text[text.index("## Where data goes") : text.index("## Support")]
    assert "whether they leave the hospital is not clear: df-broadcast" not in where
    assert "df-broadcast (" not in where.split("Sent by broadcast or multicast")[0]
    assert (
        "Sent by broadcast or multicast (discovery), which reaches only the hosts of the sender's subnet (further only where "
        "the hospital's own routers are set up to pass it on), so it does not leave the hospital: df-broadcast (IoT Device"
    ) in where
    profile = text[: text.index("## Where data goes")]
    assert "1 broadcast or multicast (one subnet)" in profile
    if zoned:  # F-2's ends are placed: it is the one flow counted as staying
        assert "None of the 1 data flows whose ends the model places leaves the hospital." in where
    else:  # F-2's ends are not placed: it may leave, the broadcast cannot
        assert "whether they leave the hospital is not clear: F-2 (IoT Device → Mobile App)." in where
        assert "None of the" not in where
