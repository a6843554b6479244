"""A pump's 802.1X drawn straight to the hospital's RADIUS server ("EAP-TLS over RADIUS", UDP 1812) was given a rule
from the pump's VLAN to the RADIUS server: the pump speaks EAP over its link to the access point it joins, and the
access point or Wi-Fi controller sends RADIUS from its own address; a rule for the pump's address opens nothing that
is used and misses the one that is."""

from __future__ import annotations

import pytest

from mdptm.documents.guides import build_guides
from mdptm.model import Element, Flow, TrustZone
from tests.documents.test_guides_readers import base, firewall_rows, text_of

_ZONES = [TrustZone(id="zw", name="Pump Wi-Fi VLAN", kind="network"), TrustZone(id="zs", name="Server VLAN", kind="network")]


def _model(protocol: str, device: Element) -> object:
    elements = [device, Element(id="rad", name="Hospital RADIUS server", kind="external_entity", trust_zone="zs")]
    flows = [Flow(id="F-03", name="Network login", source=device.id, target="rad", protocol=protocol, port="1812/udp")]
    return base(trust_zones=_ZONES, elements=elements, flows=flows)


_PUMP = Element(id="pump", name="Pump", kind="device", trust_zone="zw")


@pytest.mark.parametrize("protocol", ["EAP-TLS over RADIUS", "802.1X (PEAP)", "RADIUS (EAP-TLS)"])
def test_a_device_s_eap_to_the_radius_server_goes_through_the_authenticator(protocol: str) -> None:
    docs = build_guides(_model(protocol, _PUMP))  # type: ignore[arg-type]
    assert not firewall_rows(docs["deployment"])
    text = text_of(docs["deployment"])
    assert "Through the authenticator (802.1X): the device speaks EAP over its link to the access point or switch" in text
    assert "F-03 Pump → Hospital RADIUS server (Server VLAN; " in text


@pytest.mark.parametrize(
    ("protocol", "device"),
    [
        ("RADIUS", _PUMP),  # no EAP named: the model's RADIUS flow stands
        ("EAP-TLS over RADIUS", Element(id="ap", name="Ward access point", kind="hardware", trust_zone="zw")),
        ("EAP-TLS over RADIUS", Element(id="wlc", name="Hospital Wi-Fi (802.1X)", kind="external_entity", trust_zone="zw")),
        ("EAP-TLS over RADIUS", Element(id="net", name="Ward network", kind="network", trust_zone="zw")),
    ],
)
def test_the_authenticator_s_own_radius_keeps_its_rule(protocol: str, device: Element) -> None:
    rows = firewall_rows(build_guides(_model(protocol, device))["deployment"])  # type: ignore[arg-type]
    assert [r for r in rows if r[-1].startswith("F-03")]
