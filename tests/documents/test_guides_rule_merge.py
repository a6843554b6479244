"""Two flows that need the same firewall rule (the gateway publishes telemetry to the maker's MQTT broker and
receives its configuration commands on its subscription: both opened by the gateway to the broker's TCP 8883) gave
two identical rows in the deployment guide and two entries in decommissioning's list: an engineer writes one rule
and wonders what the second is. One row, citing both flows."""

from __future__ import annotations

from pathlib import Path

from mdptm.documents.guides import build_guides
from mdptm.model import Element, Flow, TrustZone
from tests.documents.test_guides_readers import base, firewall_rows, text_of

_ZONES = [TrustZone(id="zd", name="Medical device VLAN", kind="network"), TrustZone(id="zc", name="Maker cloud", kind="cloud")]
_ELEMENTS = [
    Element(id="gw", name="Gateway", kind="device", trust_zone="zd"),
    Element(id="broker", name="Maker MQTT broker", kind="external_entity", trust_zone="zc"),
    Element(id="upd", name="Maker update service", kind="external_entity", trust_zone="zc"),
]
_PUBLISH = Flow(id="F-02", name="Telemetry publish", source="gw", target="broker", protocol="MQTT over TLS", port="8883/tcp")
_COMMANDS = Flow(
    id="F-03",
    name="Configuration commands",
    source="broker",
    target="gw",
    protocol="MQTT",
    port="8883",
    description="The broker delivers configuration changes on the gateway's subscription.",
)


def test_two_flows_needing_one_rule_give_one_row_citing_both() -> None:
    m = base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[_PUBLISH, _COMMANDS])
    docs = build_guides(m)
    rows = firewall_rows(docs["deployment"])
    assert rows == [["out", "Gateway", "Maker MQTT broker (Maker cloud, internet)", "MQTT over TLS; MQTT", "TCP 8883", "F-02, F-03"]], rows
    text = text_of(docs["decommissioning"])
    assert "F-02 Telemetry publish and F-03 Configuration commands (one rule: TCP 8883)" in text, text
    assert "F-03 Configuration commands (TCP 8883)" not in text


def test_rules_differing_in_port_direction_or_end_stay_apart() -> None:
    flows = [
        _PUBLISH,
        _COMMANDS.model_copy(update={"port": "1883/tcp"}),  # another port: another rule
        Flow(id="F-04", name="Firmware", source="gw", target="upd", protocol="HTTPS", port="8883/tcp"),  # another end
        # the broker opens this one (stated): another direction
        Flow(id="F-05", name="Push", source="broker", target="gw", protocol="MQTT", port="8883/tcp", initiator="broker"),
    ]
    m = base(trust_zones=_ZONES, elements=_ELEMENTS, flows=flows)
    rows = firewall_rows(build_guides(m)["deployment"])
    assert all("," not in r[-1] for r in rows), rows
    assert sorted(r[-1].split()[0] for r in rows) == ["F-02", "F-03", "F-04", "F-05"], rows


def test_flows_with_no_stated_port_are_not_merged() -> None:
    """ "TCP, port not stated" twice is not the same rule: the two may use different ports."""
    flows = [
        Flow(id="F-02", name="Telemetry", source="gw", target="broker", protocol="HTTPS"),
        Flow(id="F-03", name="Logs", source="gw", target="broker", protocol="HTTPS"),
    ]
    m = base(trust_zones=_ZONES, elements=_ELEMENTS, flows=flows)
    rows = firewall_rows(build_guides(m)["deployment"])
    assert sorted(r[-1].split()[0] for r in rows) == ["F-02", "F-03"], rows


def test_ptm_network_table_says_which_flows_need_one_rule(tmp_path: Path) -> None:
    """PTM 3.2 lists each flow (their encryption differs), but says the two need one firewall rule."""
    from mdptm.documents.ptm import build_ptm_doc
    from mdptm.plugins import ExportContext
    from mdptm.render.docir import Paragraph

    other = Flow(id="F-04", name="Firmware", source="gw", target="upd", protocol="HTTPS", port="8883/tcp")
    doc = build_ptm_doc(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[_PUBLISH, _COMMANDS, other]), ExportContext(), tmp_path)
    notes = " ".join(b.text for b in doc.blocks if isinstance(b, Paragraph))
    assert (
        "F-02 and F-03 need no more than one firewall rule between them: the same end opens each to the same other end, "
        "on the same transport and port (see the deployment guide)." in notes
    ), notes
    assert "F-04 and" not in notes and "and F-04" not in notes
