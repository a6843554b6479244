"""When one unit of a device is retired or sent away, the decommissioning guide told the hospital to remove every
firewall rule of the deployment guide, the server's rules and the hospital's own RADIUS rule included: an engineer
following it for one pump cuts the other pumps off their server. Only the rules with a unit at one end are the
unit's; the others stay until the whole system is retired, and a rule between two of the hospital's own systems (its
Wi-Fi and its RADIUS server) is not the device's to remove."""

from __future__ import annotations

from mdptm.documents.guides import build_guides
from mdptm.model import Element, Flow, TrustZone
from tests.documents.test_guides_readers import base, text_of

_ZONES = [
    TrustZone(id="zd", name="Device VLAN", kind="network"),
    TrustZone(id="zs", name="Server VLAN", kind="network"),
    TrustZone(id="zi", name="Hospital IT network", kind="network"),
    TrustZone(id="zc", name="Maker cloud", kind="cloud"),
]
_ELEMENTS = [
    Element(id="pump", name="Pump", kind="device", trust_zone="zd"),
    Element(id="srv", name="Pump server", kind="software", trust_zone="zs"),
    Element(id="cloud", name="Update service", kind="cloud_service", trust_zone="zc"),
    Element(id="wifi", name="Hospital Wi-Fi", kind="network", trust_zone="zd"),
    Element(id="radius", name="Hospital RADIUS server", kind="external_entity", trust_zone="zi"),
]
_FLOWS = [
    Flow(id="F-1", name="Status", source="pump", target="srv", protocol="HTTPS", port="443/tcp"),
    Flow(id="F-2", name="Updates", source="srv", target="cloud", protocol="HTTPS", port="443/tcp"),
    Flow(id="F-3", name="RADIUS", source="wifi", target="radius", protocol="RADIUS", port="1812/udp"),
]


def _network_section(text: str) -> str:
    return text.split("## Network access to remove", 1)[1].split("\n---", 1)[0]


def test_one_unit_leaving_removes_only_the_rules_with_a_unit_at_one_end() -> None:
    section = _network_section(text_of(build_guides(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=_FLOWS))["decommissioning"]))
    one, whole = section.split("When the whole system is retired", 1)
    assert "When one unit is retired or sent away for service:" in one
    assert "The rules with a unit at one end: F-1 Status (TCP 443). Remove this unit from them" in one
    keep = one.split("Keep the rules the other units", 1)[1]
    assert "F-2 Updates (TCP 443)" in keep and "F-3 RADIUS (UDP 1812)" in keep
    assert "F-2" not in one.split("Keep the rules", 1)[0]  # the server's rule is not the unit's to remove
    # the whole system: the device's rules, not the hospital's own RADIUS rule
    removed, theirs = whole.split("The rules between two of the hospital's own systems", 1)
    assert "F-1 Status (TCP 443); F-2 Updates (TCP 443)." in removed and "F-3" not in removed
    assert "(F-3 RADIUS (UDP 1812)) may serve other devices too: remove them only where none needs them." in theirs


def test_a_system_of_no_unit_lists_its_rules_for_its_retirement() -> None:
    elements = [e for e in _ELEMENTS if e.id != "pump"]
    flows = [fl for fl in _FLOWS if fl.id != "F-1"]
    section = _network_section(text_of(build_guides(base(trust_zones=_ZONES, elements=elements, flows=flows))["decommissioning"]))
    assert "When one unit" not in section
    assert "Remove the firewall rules of the deployment guide for: F-2 Updates (TCP 443)." in section
    assert "The rules between two of the hospital's own systems (F-3 RADIUS (UDP 1812))" in section


def test_a_unit_whose_connections_stay_in_its_segment_has_no_rule_of_its_own() -> None:
    elements = [*_ELEMENTS[:1], Element(id="srv", name="Pump server", kind="software", trust_zone="zd"), *_ELEMENTS[2:]]
    section = _network_section(text_of(build_guides(base(trust_zones=_ZONES, elements=elements, flows=_FLOWS))["decommissioning"]))
    said = "No firewall rule of the deployment guide has a unit at one end: the units' connections (F-1) stay within one segment."
    assert said in section


def test_a_workstation_reaching_the_makers_cloud_portal_is_the_systems_rule_not_the_hospitals_own() -> None:
    """An infusion gateway's model draws the hospital's workstation browser using the maker's cloud portal, both external
    entities: the guide called F-4 a rule "between two of the hospital's own systems" that "may serve other devices",
    though the portal is the device maker's, outside the hospital, and goes with the system."""
    elements = [*_ELEMENTS, Element(id="ws", name="Workstation browser", kind="external_entity", trust_zone="zi")]
    elements.append(Element(id="portal", name="Maker clinical portal", kind="external_entity", trust_zone="zc"))
    flows = [*_FLOWS, Flow(id="F-4", name="Portal use", source="ws", target="portal", protocol="HTTPS", port="443")]
    section = _network_section(text_of(build_guides(base(trust_zones=_ZONES, elements=elements, flows=flows))["decommissioning"]))
    removed, theirs = section.split("When the whole system is retired", 1)[1].split("The rules between two of the hospital's own", 1)
    assert "F-4 Portal use (TCP 443)" in removed
    assert "F-4" not in theirs and "(F-3 RADIUS (UDP 1812)) may serve other devices too" in theirs
