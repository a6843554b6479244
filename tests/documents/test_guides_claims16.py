"""What a hospital network engineer reads in the deployment guide.

SNMP on "161, 162" with no end named the manager put both ports on one assumed opener ("out UDP 161, UDP 162" from
the pump): 161 carries the manager's polls to the agent and 162 the agent's traps to the manager, so one of the two
rules was always backwards. Each port now has its own row, its role and no assumed direction, and the question asks
which end is the manager."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.documents.guides import build_guides
from mdptm.documents.ptm import build_ptm_doc
from mdptm.model import Element, Flow, TrustZone
from mdptm.plugins import ExportContext
from mdptm.render.docir import Table
from tests.documents.test_guides_readers import base, firewall_rows, text_of

_ZONES = [TrustZone(id="z1", name="Clinical network", kind="network"), TrustZone(id="z2", name="IT management network", kind="network")]


def _snmp(source: str, target: str, port: str = "161, 162", server: str = "Hospital server") -> list[object]:
    return [
        _ZONES,
        [
            Element(id="dev", name="Infusion pump", kind="device", trust_zone="z1"),
            Element(id="srv", name=server, kind="software", trust_zone="z2"),
        ],
        [Flow(id="F-1", name="SNMP", source=source, target=target, protocol="SNMPv3", port=port)],
    ]


@pytest.mark.parametrize(("source", "target"), [("dev", "srv"), ("srv", "dev")])
def test_snmp_polls_and_traps_with_no_manager_named_get_each_its_role_and_no_guessed_direction(source: str, target: str) -> None:
    zones, elements, flows = _snmp(source, target)
    doc = build_guides(base(trust_zones=zones, elements=elements, flows=flows))["deployment"]
    rows = firewall_rows(doc)
    assert {(r[0], r[4]) for r in rows} == {("?", "UDP 161"), ("?", "UDP 162")}
    assert len(rows) == 4  # a row per port on each segment, never "UDP 161, UDP 162" on one opener
    assert all("polls: SNMP manager → agent" in r[3] for r in rows if r[4] == "UDP 161")
    assert all("traps: agent → SNMP manager" in r[3] for r in rows if r[4] == "UDP 162")
    assert all("*" not in r[5] for r in rows)  # nothing assumed
    text = text_of(doc)
    assert "F-1 SNMP: which end is the SNMP manager? The model names neither" in text
    assert "which end opens the connection? The rules assume" not in text
    assert "does not say which end is the SNMP manager, so no direction is assumed" in text


def test_snmp_with_one_opener_stated_for_both_ports_is_asked_not_ruled_backwards() -> None:
    """An initiator stated for "161, 162" holds for one port only: the polls and the traps go opposite ways."""
    zones, elements, flows = _snmp("dev", "srv")
    flows = [flows[0].model_copy(update={"initiator": "dev"})]  # type: ignore[attr-defined]
    doc = build_guides(base(trust_zones=zones, elements=elements, flows=flows))["deployment"]
    assert {r[0] for r in firewall_rows(doc)} == {"?"}
    assert "The model says Infusion pump opens the connection, which holds for one of the two ports only." in text_of(doc)


def test_snmp_with_the_manager_named_keeps_its_directions() -> None:
    zones, elements, flows = _snmp("dev", "srv", server="Network management system")
    rows = firewall_rows(build_guides(base(trust_zones=zones, elements=elements, flows=flows))["deployment"])
    got = {(r[0], r[1], r[4]) for r in rows}
    assert ("out", "Network management system", "UDP 161") in got and ("out", "Infusion pump", "UDP 162") in got
    assert all(r[0] != "?" for r in rows)


def test_snmp_on_one_port_is_not_split() -> None:
    zones, elements, flows = _snmp("srv", "dev", port="161/udp")
    rows = firewall_rows(build_guides(base(trust_zones=zones, elements=elements, flows=flows))["deployment"])
    assert all(r[0] != "?" and "(polls" not in r[3] for r in rows)


def test_the_ptm_says_each_snmp_port_s_role_when_no_manager_is_named(tmp_path: Path) -> None:
    zones, elements, flows = _snmp("dev", "srv")
    doc = build_ptm_doc(base(trust_zones=zones, elements=elements, flows=flows), ExportContext(), tmp_path)
    rows = [r for b in doc.blocks if isinstance(b, Table) and "Opened by" in b.header for r in b.rows if r[0] == "F-1"]
    opened = rows[0][_opened_column(doc)]
    assert "polls: SNMP manager → agent (UDP 161)" in opened and "traps: agent → SNMP manager (UDP 162)" in opened


def _opened_column(doc: object) -> int:
    table = next(b for b in doc.blocks if isinstance(b, Table) and "Opened by" in b.header)  # type: ignore[attr-defined]
    return table.header.index("Opened by")


# Host names under the names reserved for documentation, testing and private networks were not read as host names:
# the rule for "updates.maker.example" read "Internet" and the guide asked for the host names the model gives.
@pytest.mark.parametrize(
    "host", ["updates.maker.example", "rs.maker.test", "svc.maker.invalid", "relay.vendor.internal", "gw01.ward.lan", "nas.home.arpa"]
)
@pytest.mark.parametrize("where", ["flow", "element"])
def test_a_reserved_or_private_host_name_is_read_as_the_end_s_host(host: str, where: str) -> None:
    said = f"Reached at {host} over HTTPS."
    zones = [TrustZone(id="zm", name="Modality VLAN", kind="network"), TrustZone(id="zv", name="Maker service cloud", kind="vendor")]
    elements = [
        Element(id="con", name="Console", kind="device", trust_zone="zm"),
        Element(id="rs", name="Remote service", kind="cloud_service", trust_zone="zv", description=said if where == "element" else ""),
    ]
    flow = Flow(id="F-09", name="Log upload", source="con", target="rs", protocol="HTTPS", port="443", initiator="con")
    if where == "flow":
        flow = flow.model_copy(update={"description": said})
    doc = build_guides(base(trust_zones=zones, elements=elements, flows=[flow]))["deployment"]
    other = next(r[2] for r in firewall_rows(doc) if r[-1].startswith("F-09"))
    assert host in other
    assert "Which host names or addresses does Remote service use" not in text_of(doc)


# "X acts as the TCP server" was read only from a flow's description; an element's own description says it too.
_LAB = [TrustZone(id="z1", name="Laboratory VLAN", kind="network"), TrustZone(id="z2", name="Server VLAN", kind="network")]


@pytest.mark.parametrize(
    ("description", "decided"),
    [
        ("The interface engine acts as the TCP server for HL7 results.", True),
        ("Operates as the MLLP listener on port 2575.", True),
        ("The interface engine is a Windows server.", False),  # what the machine is, not its role
        ("The interface engine never acts as the TCP server.", False),
        ("It acts as the TCP server for the pharmacy system on port 9000.", False),  # another port: another connection
        ("It is the MLLP client and the LIS acts as the TCP server.", False),  # said of another end
    ],
)
def test_an_element_saying_it_acts_as_the_server_accepts_the_flow(description: str, decided: bool) -> None:
    elements = [
        Element(id="an", name="Analyzer", kind="device", trust_zone="z1"),
        Element(id="ie", name="Interface engine", kind="software", trust_zone="z2", description=description),
    ]
    flow = Flow(id="F-1", name="Results", source="an", target="ie", protocol="HL7 over MLLP", port="2575")
    rows = firewall_rows(build_guides(base(trust_zones=_LAB, elements=elements, flows=[flow]))["deployment"])
    got = {(r[0], r[1]) for r in rows}
    if decided:
        assert got == {("out", "Analyzer"), ("in", "Interface engine")}
    else:
        assert {d for d, _ in got} == {"?"}


# "any" or "dynamic" ports printed as "port not stated", which tells an engineer nothing
@pytest.mark.parametrize(
    ("protocol", "port", "column", "asked"),
    [
        ("TCP", "any", "TCP, any port (as the model states)", "a rule for any port opens every port between the two ends"),
        ("HTTPS", "Any port", "TCP, any port (as the model states)", "a rule for any port opens every port"),
        ("TCP", "dynamic", "TCP, dynamic ports: ask the maker for the range", "the model gives dynamic ports (“dynamic”): which range"),
        ("UDP", "ephemeral", "UDP, dynamic ports: ask the maker for the range", "which range does it use"),
        ("RPC", "dynamic ports", "dynamic ports: ask the maker for the range", "which range does it use, over TCP or UDP"),
    ],
)
def test_any_or_dynamic_ports_are_said_as_such(protocol: str, port: str, column: str, asked: str) -> None:
    elements = [
        Element(id="an", name="Analyzer", kind="device", trust_zone="z1"),
        Element(id="ie", name="Interface engine", kind="software", trust_zone="z2"),
    ]
    flow = Flow(id="F-1", name="Results", source="an", target="ie", protocol=protocol, port=port, initiator="an")
    doc = build_guides(base(trust_zones=_LAB, elements=elements, flows=[flow]))["deployment"]
    assert {r[4] for r in firewall_rows(doc)} == {column}
    text = text_of(doc)
    assert asked in text and "port not stated" not in text


def test_a_dynamic_range_stated_is_a_range() -> None:
    elements = [
        Element(id="an", name="Analyzer", kind="device", trust_zone="z1"),
        Element(id="ie", name="Server", kind="software", trust_zone="z2"),
    ]
    flow = Flow(id="F-1", name="RPC", source="an", target="ie", protocol="TCP", port="49152-65535 (dynamic)", initiator="an")
    rows = firewall_rows(build_guides(base(trust_zones=_LAB, elements=elements, flows=[flow]))["deployment"])
    assert {r[4] for r in rows} == {"TCP 49152-65535"}


@pytest.mark.parametrize("said", ["none (proprietary binary protocol)", "No - plain TCP", "none"])
def test_a_flow_said_to_have_no_encryption_is_not_asked_about_as_unstated(said: str) -> None:
    # the patient monitor's F-01 ("none (proprietary binary protocol)") read as a placeholder in the guides: the
    # pre-procurement guide listed it under "Encryption not stated" and the deployment guide asked whether it is
    # encrypted, "The model does not say"
    elements = [Element(id="E-1", name="Monitor", kind="device"), Element(id="E-2", name="Central station", kind="software")]
    flows = [Flow(id="F-1", name="Waveforms", source="E-1", target="E-2", protocol="TCP", port="24105", encryption=said)]
    guides = build_guides(base(elements=elements, flows=flows))
    assert "Encryption not stated for flows" not in text_of(guides["pre-procurement"])
    assert "is the traffic encrypted, and with what? The model does not say." not in text_of(guides["deployment"])
