"""The PTM's table of connections across trust zones is for firewall rules: a flow over the device's own cellular
link ("HTTPS over LTE"), a device's EAP drawn straight to the RADIUS server, and a protocol written over a VPN the
model does not draw ("RDP over VPN") were listed in it as connections a hospital firewall passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.documents.ptm import build_ptm_doc
from mdptm.model import Element, Flow, TrustZone
from mdptm.plugins import ExportContext
from mdptm.render.docir import Paragraph, Table
from tests.documents.test_guides_readers import base

_ZONES = [
    TrustZone(id="zd", name="Device VLAN", kind="network"),
    TrustZone(id="zs", name="Server VLAN", kind="network"),
    TrustZone(id="zv", name="Maker service centre", kind="vendor"),
]
_ELEMENTS = [
    Element(id="dev", name="Dialysis machine", kind="device", trust_zone="zd"),
    Element(id="rad", name="Hospital RADIUS server", kind="external_entity", trust_zone="zs"),
    Element(id="sc", name="Service centre", kind="cloud_service", trust_zone="zv"),
]


@pytest.mark.parametrize(
    ("flow", "note"),
    [
        (Flow(id="F-06", name="Service link", source="dev", target="sc", protocol="HTTPS over LTE", port="443"), "over a cellular link"),
        (Flow(id="F-06", name="Login", source="dev", target="rad", protocol="EAP-TLS over RADIUS", port="1812/udp"), "EAP (802.1X)"),
        (Flow(id="F-06", name="Remote session", source="sc", target="dev", protocol="RDP over VPN", port="3389"), "inside a VPN the model"),
    ],
)
def test_flows_no_hospital_firewall_passes_are_named_below_the_table(flow: Flow, note: str, tmp_path: Path) -> None:
    doc = build_ptm_doc(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[flow]), ExportContext(), tmp_path)
    rows = [r for b in doc.blocks if isinstance(b, Table) and "Opened by" in b.header for r in b.rows]
    assert not [r for r in rows if r[0] == "F-06"], rows
    notes = [b.text for b in doc.blocks if isinstance(b, Paragraph) and b.text.startswith("Not listed for firewall rules: F-06")]
    assert notes and note in notes[0], notes
