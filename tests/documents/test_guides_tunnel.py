"""A flow the model says runs inside another flow's tunnel (the maker's support engineer's remote desktop inside the
IPsec tunnel the central station opens) was given its own inbound rule from the internet (RDP, TCP 3389) and a
question whether it could run outbound only: a firewall sees the tunnel, not what it carries."""

from __future__ import annotations

import pytest

from mdptm.documents.guides import build_guides
from mdptm.model import Element, Flow, TrustZone
from tests.documents.test_guides_readers import base, firewall_rows, text_of

_ZONES = [TrustZone(id="zm", name="Monitoring VLAN", kind="network"), TrustZone(id="zv", name="Maker remote support", kind="vendor")]
_ELEMENTS = [
    Element(id="cs", name="Central station", kind="software", trust_zone="zm"),
    Element(id="vpn", name="Maker VPN concentrator", kind="external_entity", trust_zone="zv"),
    Element(id="rsw", name="Support engineer workstation", kind="external_entity", trust_zone="zv"),
]
_TUNNEL = Flow(
    id="F-08",
    name="Remote support tunnel",
    source="cs",
    target="vpn",
    protocol="IPsec (IKEv2)",
    port="UDP 500, UDP 4500",
    description="Opened by the central station, outbound only.",
)


def _rdp(description: str) -> Flow:
    return Flow(id="F-09", name="Remote desktop", source="rsw", target="cs", protocol="RDP", port="TCP 3389", description=description)


def test_a_flow_inside_a_tunnel_gets_no_rule_of_its_own() -> None:
    m = base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[_TUNNEL, _rdp("Runs inside the IPsec tunnel of F-08.")])
    docs = build_guides(m)
    rows = firewall_rows(docs["deployment"])
    assert not [r for r in rows if r[-1].startswith("F-09")], rows
    assert [r for r in rows if r[-1].startswith("F-08")]  # the tunnel keeps its rule
    text = text_of(docs["deployment"])
    assert (
        "F-09 Support engineer workstation → Central station (RDP TCP 3389; inside F-08; “Runs inside the IPsec tunnel of F-08.”)" in text
    )
    assert "F-09 Remote desktop is opened from outside the hospital" not in text


@pytest.mark.parametrize(
    ("flows", "ruled"),
    [
        ([_rdp("Runs over the VPN.")], True),  # no tunnel flow beside it: not read, the rule stays
        ([_TUNNEL, _rdp("Not tunnelled: a direct connection.")], True),  # negated
        ([_TUNNEL, _rdp("Does not run inside the tunnel.")], True),
        ([_TUNNEL, _rdp("Direct connection; the VPN is not used.")], True),  # no tunnel phrase
        # the tunnel itself, though its text says "through the VPN", is never read as carried; what it carries is
        ([_TUNNEL.model_copy(update={"description": "Remote support through the VPN."}), _rdp("Inside the tunnel.")], False),
    ],
)
def test_only_a_flow_beside_a_tunnel_is_read_as_carried(flows: list[Flow], ruled: bool) -> None:
    m = base(trust_zones=_ZONES, elements=_ELEMENTS, flows=flows)
    rows = firewall_rows(build_guides(m)["deployment"])
    ids = {r[-1].split()[0] for r in rows}
    assert ("F-09" in ids) == ruled, rows
    assert ("F-08" in ids) == any(fl.id == "F-08" for fl in flows)


def test_operations_does_not_watch_a_tunnelled_flow_at_the_perimeter() -> None:
    m = base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[_TUNNEL, _rdp("Runs inside the IPsec tunnel of F-08.")])
    text = text_of(build_guides(m)["operations"])
    assert "F-09 from Support engineer workstation (TCP 3389)" not in text
    assert "to watch at the perimeter: F-08 to Maker VPN concentrator (UDP 500, UDP 4500; opened by Central station)." in text
    assert "inside a tunnel, so seen at the perimeter only as the tunnel's traffic: F-09 Remote desktop (inside F-08)." in text


def _leaving_rows(doc: object) -> dict[str, str]:
    from mdptm.render.docir import Table

    return {
        row[0].split()[0]: row[-1]
        for b in doc.blocks  # type: ignore[attr-defined]
        if isinstance(b, Table) and b.header[-1] == "Encryption" and b.header[0] == "Flow"
        for row in b.rows
    }


@pytest.mark.parametrize(
    ("tunnel_encryption", "cell", "gap", "plain"),
    [
        ("AES-256-GCM", "inside F-08's tunnel: AES-256-GCM", False, 0),
        # the tunnel's encryption not stated either: still "not stated", and said why
        (None, "not stated (inside F-08's tunnel, whose encryption the model does not state either)", True, 0),
        ("none", "inside F-08's tunnel: none", False, 2),  # an unencrypted tunnel: both counted unencrypted
    ],
)
def test_pre_procurement_gives_a_tunnelled_flow_its_tunnels_encryption(
    tunnel_encryption: str | None, cell: str, gap: bool, plain: int
) -> None:
    """Remote desktop inside the maker's AES-256-GCM IPsec tunnel was "not stated": a hospital asking how the session
    is protected between the maker and the hospital reads the tunnel's encryption."""
    tunnel = _TUNNEL.model_copy(update={"encryption": tunnel_encryption})
    m = base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[tunnel, _rdp("Runs inside the IPsec tunnel of F-08.")])
    doc = build_guides(m)["pre-procurement"]
    assert _leaving_rows(doc)["F-09"] == cell
    text = text_of(doc)
    assert ("Encryption not stated for flows F-08, F-09." in text or "Encryption not stated for flows F-09" in text) == gap, text
    assert f"; {plain} unencrypted; encryption not stated for {2 if gap else 0}" in text


def test_pre_procurement_keeps_a_flows_own_encryption_inside_a_tunnel() -> None:
    tunnel = _TUNNEL.model_copy(update={"encryption": "AES-256-GCM"})
    rdp = _rdp("Runs inside the IPsec tunnel of F-08.").model_copy(update={"encryption": "TLS 1.2"})
    doc = build_guides(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[tunnel, rdp]))["pre-procurement"]
    assert _leaving_rows(doc)["F-09"] == "TLS 1.2"


def test_pre_procurement_gives_a_flow_over_another_flows_connection_that_connections_encryption() -> None:
    """Remote service commands "Delivered over the connection of F-06" (HTTPS, TLS 1.3) were "not stated"."""
    zones = [TrustZone(id="zi", name="Imaging VLAN", kind="network"), TrustZone(id="zv", name="Maker service centre", kind="vendor")]
    elements = [
        Element(id="ct", name="CT console", kind="device", trust_zone="zi"),
        Element(id="svc", name="Remote service platform", kind="external_entity", trust_zone="zv"),
    ]
    session = Flow(
        id="F-06", name="Remote service session", source="ct", target="svc", protocol="HTTPS", port="TCP 443", encryption="TLS 1.3"
    )
    commands = Flow(
        id="F-07",
        name="Remote service commands",
        source="svc",
        target="ct",
        protocol="HTTPS",
        description="Delivered over the connection of F-06.",
    )
    doc = build_guides(base(trust_zones=zones, elements=elements, flows=[session, commands]))["pre-procurement"]
    assert _leaving_rows(doc)["F-07"] == "over F-06's connection: TLS 1.3"
    assert "Encryption not stated for flows" not in text_of(doc)


# "RDP over VPN" on TCP 3389 from the maker's support centre (the patient-monitor sample's F-05) was an inbound rule
# from the internet to TCP 3389: the flow's own protocol says its port runs inside a VPN, which the firewall sees
# instead, whether or not the model draws that VPN as a flow.
def _over(protocol: str, port: str = "TCP 3389") -> Flow:
    return Flow(id="F-09", name="Remote service session", source="rsw", target="cs", protocol=protocol, port=port)


@pytest.mark.parametrize("protocol", ["RDP over VPN", "SSH via IPsec", "RDP inside the VPN tunnel", "HL7 through a WireGuard tunnel"])
def test_a_protocol_written_over_an_undrawn_vpn_gets_no_rule_and_a_question(protocol: str) -> None:
    m = base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[_over(protocol)])
    docs = build_guides(m)
    rows = firewall_rows(docs["deployment"])
    assert not [r for r in rows if r[-1].startswith("F-09")], rows
    text = text_of(docs["deployment"])
    assert "inside a VPN the model does not draw as a flow" in text
    assert f"F-09 Remote service session runs over a VPN (“{protocol}”) that the model does not draw as a flow" in text
    assert "F-09 Remote service session is opened from outside the hospital" not in text
    decom = text_of(docs["decommissioning"])
    assert "remove them from the tunnel's own policy" in decom and "F-09 Remote service session (inside a VPN" in decom
    ops = text_of(docs["operations"])
    assert "F-09 Remote service session (inside a VPN the model does not draw as a flow)" in ops


def test_a_protocol_written_over_a_drawn_vpn_is_inside_that_vpn() -> None:
    m = base(
        trust_zones=_ZONES,
        elements=_ELEMENTS,
        flows=[_TUNNEL.model_copy(update={"source": "cs", "target": "rsw"}), _over("SSH over VPN", "22")],
    )
    docs = build_guides(m)
    ids = {r[-1].split()[0] for r in firewall_rows(docs["deployment"])}
    assert ids == {"F-08"}
    text = text_of(docs["deployment"])
    assert "(SSH over VPN TCP 22; inside F-08; “SSH over VPN”)" in text
    assert "does not draw as a flow" not in text


@pytest.mark.parametrize("protocol", ["OpenVPN over UDP", "IPsec in tunnel mode", "VPN", "HTTPS over TCP", "RDP"])
def test_a_tunnel_protocol_itself_or_no_tunnel_keeps_its_rule(protocol: str) -> None:
    m = base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[_over(protocol)])
    ids = {r[-1].split()[0] for r in firewall_rows(build_guides(m)["deployment"])}
    assert "F-09" in ids
