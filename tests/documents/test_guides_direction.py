"""Who opens a connection, read from a flow's own words, follows what they say: "Connections are never initiated
by the cloud" makes the cloud the end that does not open it (it had become the opener, an inbound rule from
the internet); "No outbound connection" is no outbound statement; "server-initiated push is not used" says
nothing of who opens the flow."""

from __future__ import annotations

import pytest

from mdptm.documents import netplan
from mdptm.documents.guides import Facts, build_guides
from mdptm.model import Element, Flow, Model, TrustZone
from tests.documents.test_guides_readers import base, firewall_rows, text_of


def _model(name: str, description: str):  # type: ignore[no-untyped-def]
    return base(
        trust_zones=[TrustZone(id="Zc", name="Maker cloud", kind="cloud"), TrustZone(id="Zh", name="Clinical VLAN", kind="network")],
        elements=[
            Element(id="gw", name="Gateway", kind="software", trust_zone="Zh"),
            Element(id="cl", name="Cloud service", kind="cloud_service", trust_zone="Zc"),
        ],
        flows=[Flow(id="F-1", name=name, source="cl", target="gw", protocol="HTTPS", port="443/tcp", description=description)],
    )


@pytest.mark.parametrize(
    ("description", "opener", "basis"),
    [
        ("Connections are never initiated by the cloud.", "gw", "text"),
        ("Not initiated by the cloud service; the gateway connects.", "gw", "text"),
        ("The gateway is not cloud-initiated.", "gw", "text"),
        ("Cannot be initiated by the cloud.", "gw", "text"),
        ("Initiated by the cloud.", "cl", "text"),  # unchanged: what is said is read
        ("No outbound connection from the hospital is needed.", "cl", "assumed"),  # says no outbound: nothing read
        ("Outbound from the hospital.", "gw", "text"),
    ],
)
def test_a_negated_statement_of_who_opens_is_read_as_negated(description: str, opener: str, basis: str) -> None:
    plan = netplan.build(Facts.of(_model("Status", description)))
    assert (plan.opener["F-1"].element, plan.opener["F-1"].basis) == (opener, basis)


def test_a_way_the_model_says_is_not_used_decides_nothing() -> None:
    m = _model("Status", "Gateway-initiated push is not used.")
    assert netplan.build(Facts.of(m)).opener["F-1"].basis == "assumed"


def test_never_initiated_by_the_cloud_writes_no_inbound_rule_from_the_internet() -> None:
    rows = firewall_rows(build_guides(_model("Status", "Connections are never initiated by the cloud."))["deployment"])
    assert rows and all(r[0] == "out" and r[1] == "Gateway" for r in rows), rows


@pytest.mark.parametrize(
    ("statement", "design"),
    [
        ("All connections are outbound-only from the hospital.", True),
        ("The cloud cannot initiate connections to the device.", True),
        ("No inbound connections from the internet are accepted.", True),
        # the opposite design, or none: never "opened from the hospital only"
        ("The device never initiates connections; the cloud pushes commands.", False),
        ("The pump cannot initiate connections to the cloud.", False),
        ("The design is not outbound-only: the cloud connects to the gateway.", False),
        ("Outbound-only connections are not enforced.", False),
    ],
)
def test_an_outbound_only_design_is_read_as_stated(statement: str, design: bool) -> None:
    from mdptm.model import Control
    from mdptm.model.topology import outbound_only_design

    m = _model("Status", "")
    m.controls = [Control(id="C-1", title="Connectivity", description=statement, responsibility="manufacturer", status="implemented")]
    assert (outbound_only_design(m) == "C-1") == design
    rows = firewall_rows(build_guides(m)["deployment"])
    # drawn from the cloud with nothing else said: the design alone has the gateway open it
    assert all(r[0] == "out" for r in rows if r[1] == "Gateway") == design, rows


def test_a_download_from_outside_is_not_data_leaving_the_hospital() -> None:
    """The sample's firmware download and service certificate issuance are drawn from the maker's cloud into the
    hospital; the pre-procurement guide said "3 of 18 data flows leave the hospital", counting them."""
    m = _model("Firmware download", "")
    text = text_of(build_guides(m)["pre-procurement"])
    assert "| Data flows | 1; 1 come in from outside the hospital;" in text
    assert "1 of 1 data flows come in from outside the hospital; none is drawn leaving it." in text
    assert "leave the hospital" not in text


@pytest.mark.parametrize(
    ("name", "client"),
    [
        ("Vantage Clinician app (hospital tablet)", True),
        ("Browser Client", True),
        ("DICOM client", True),
        ("Web browser", True),
        ("App server", False),  # "app" names what the server serves: it accepts connections
        ("App API", False),
        ("Web app", False),  # the server a browser reaches: the guide had the gateway's data fetched by it
        ("Patient portal web application", False),
        ("Web app client", True),
    ],
)
def test_a_client_is_named_by_the_head_of_its_name(name: str, client: bool) -> None:
    m = base(
        elements=[Element(id="x", name="Gateway", kind="software"), Element(id="y", name=name, kind="software")],
        flows=[Flow(id="F-1", name="Data", source="x", target="y", protocol="HTTPS", port="443/tcp")],
    )
    o = netplan.build(Facts.of(m)).opener["F-1"]
    assert (o.element, o.basis) == (("y", "kind") if client else ("x", "assumed"))


def test_operations_does_not_call_a_flow_drawn_in_from_outside_one_leaving() -> None:
    text = text_of(build_guides(_model("Status", ""))["operations"])
    assert "Connections between the hospital and outside it, to watch at the perimeter: F-1 from Cloud service (TCP 443)." in text
    assert "leaving the hospital" not in text


def test_a_zone_of_no_stated_kind_is_not_said_to_be_no_network() -> None:
    """The Threat Dragon wallet's "Electrum Wallet" zone names no kind: the guide said "which is not a network"."""
    m = base(
        trust_zones=[TrustZone(id="Zw", name="Electrum Wallet"), TrustZone(id="Zb", name="Service bench", kind="physical")],
        elements=[
            Element(id="d", name="Daemon", kind="process", trust_zone="Zw"),
            Element(id="t", name="Service tool", kind="software", trust_zone="Zb"),
        ],
        flows=[Flow(id="F-1", name="RPC", source="t", target="d", protocol="HTTP", port="8080/tcp")],
    )
    text = text_of(build_guides(m)["deployment"])
    assert "Which hospital network does Daemon use for F-1 RPC (the model places it in Electrum Wallet, and does not say" in text
    assert "Electrum Wallet, which is not a network" not in text
    assert "(the model places it in Service bench, which is not a network)?" in text


def _snmp(port: str, source: str = "nms", target: str = "ct") -> Model:
    return base(
        trust_zones=[
            TrustZone(id="Zd", name="Imaging VLAN", kind="network"),
            TrustZone(id="Zh", name="Hospital core network", kind="network"),
        ],
        elements=[
            Element(id="ct", name="CT scanner", kind="device", trust_zone="Zd"),
            Element(id="nms", name="Network management station", kind="external_entity", trust_zone="Zh"),
        ],
        flows=[Flow(id="F-3", name="SNMP monitoring", source=source, target=target, protocol="SNMPv2c", port=port)],
    )


def test_a_port_text_giving_each_port_its_own_direction_gets_a_rule_per_direction() -> None:
    """ "161/udp (get), 162/udp (traps to the NMS)": the NMS polls the scanner on 161, the scanner sends its traps
    to the NMS on 162. One direction for both ports opened 162 on the scanner and never let its traps out."""
    doc = build_guides(_snmp("161/udp (get), 162/udp (traps to the NMS)"))["deployment"]
    rows = {(r[0], r[1], r[4]) for r in firewall_rows(doc)}
    assert rows == {
        ("out", "Network management station", "UDP 161"),
        ("in", "CT scanner", "UDP 161"),
        ("out", "CT scanner", "UDP 162"),
        ("in", "Network management station", "UDP 162"),
    }, rows
    text = text_of(doc)
    # the port without words of its own is the manager's poll (SNMP's 161): no opener is assumed, none asked
    assert "F-3 SNMP monitoring: which end opens the connection" not in text
    assert "on UDP 162" not in text
    # the picture draws each direction
    f = Facts.of(_snmp("161/udp (get), 162/udp (traps to the NMS)"))
    picture = netplan.diagram_model(f, netplan.build(f))
    assert picture is not None
    assert {(fl.source, fl.target, fl.name) for fl in picture.flows} == {("nms", "ct", "UDP 161"), ("ct", "nms", "UDP 162")}


def test_per_port_directions_stated_both_ways_need_no_question() -> None:
    doc = build_guides(_snmp("161/udp (polled by the network management station), 162/udp (traps to the NMS)", "ct", "nms"))["deployment"]
    rows = {(r[0], r[1], r[4], r[5]) for r in firewall_rows(doc)}
    assert ("out", "Network management station", "UDP 161", "F-3") in rows and ("out", "CT scanner", "UDP 162", "F-3") in rows, rows
    assert "which end opens" not in text_of(doc)


def test_a_port_text_naming_no_end_keeps_one_direction() -> None:
    doc = build_guides(_snmp("UDP 161-162 (to be confirmed)"))["deployment"]
    assert {(r[0], r[1]) for r in firewall_rows(doc)} == {("out", "Network management station"), ("in", "CT scanner")}


def test_a_port_stated_towards_the_assumed_end_is_not_marked_assumed() -> None:
    """ "UDP 514 (to the SIEM); TCP 6514": 514 goes to the SIEM as the port text says; who opens 6514 is not said. The
    rules marked both assumed and asked about both; 162 "(traps to the NMS)" drawn from the scanner likewise."""
    m = _snmp("161/udp (get), 162/udp (traps to the NMS)", "ct", "nms")
    doc = build_guides(m)["deployment"]
    rows = {(r[0], r[1], r[4], r[5]) for r in firewall_rows(doc)}
    assert ("out", "CT scanner", "UDP 162", "F-3") in rows, rows
    # 161 is the manager's poll whichever way the flow is drawn (SNMP's ports say so): not assumed from the drawing
    assert ("out", "Network management station", "UDP 161", "F-3") in rows and ("out", "CT scanner", "UDP 161", "F-3 *") not in rows
    text = text_of(doc)
    assert "F-3 SNMP monitoring: which end opens the connection" not in text
    assert "on UDP 162" not in text


@pytest.mark.parametrize(
    "port",
    [
        "8443 (to be opened by the hospital network team)",
        "443 (HTTPS, allowed by the hospital core network firewall)",
        "443 (TLS set to the hospital core network standard)",
    ],
)
def test_a_port_opened_in_a_firewall_by_someone_says_nothing_of_who_connects(port: str) -> None:
    doc = build_guides(_snmp(port, "ct", "nms"))["deployment"]
    assert {(r[0], r[1], r[5]) for r in firewall_rows(doc)} == {
        ("out", "CT scanner", "F-3 *"),
        ("in", "Network management station", "F-3 *"),
    }


def test_local_to_a_host_is_no_direction() -> None:
    """The sample's "5432/tcp (local to the server)" says where the port is, not that the database opens it."""
    from mdptm.model.topology import port_openers

    els = {
        "s": Element(id="s", name="Vantage Connect server", kind="software"),
        "d": Element(id="d", name="Vantage Connect database", kind="data_store"),
    }
    assert port_openers(Flow(id="F", name="DB", source="s", target="d", port="5432/tcp (local to the server)"), els, {}) == {}
    found = port_openers(Flow(id="F", name="DB", source="d", target="s", port="5432/tcp (to the database)"), els, {})
    assert found["5432"].element == "s"


def test_a_configurable_port_of_a_split_flow_is_marked_alone() -> None:
    doc = build_guides(_snmp("161/udp (get), 162/udp (traps to the NMS, configurable)"))["deployment"]
    ports = {r[4] for r in firewall_rows(doc)}
    assert ports == {"UDP 161", "UDP 162 (configurable)"}, ports


def test_a_data_store_accepts_the_connection_whichever_way_the_data_is_drawn() -> None:
    """A database drawn sending its rows to the app ("Patient records", DB → app over PostgreSQL) got the rule "out
    from the database, in on the app": the engineer opens a connection from the database server to the app server,
    which the app never accepts. A data store opens no connection."""
    from mdptm.documents.guides import build_guides
    from mdptm.model import Element, Flow, TrustZone
    from tests.documents.test_guides_readers import base, firewall_rows, text_of

    m = base(
        trust_zones=[TrustZone(id="za", name="App VLAN", kind="network"), TrustZone(id="zd", name="Database VLAN", kind="network")],
        elements=[
            Element(id="app", name="Order service", kind="process", trust_zone="za"),
            Element(id="db", name="Orders database", kind="data_store", trust_zone="zd"),
        ],
        flows=[Flow(id="F-1", name="Patient records", source="db", target="app", protocol="PostgreSQL", port="5432")],
    )
    doc = build_guides(m)["deployment"]
    rows = {(r[0], r[1]) for r in firewall_rows(doc)}
    assert rows == {("out", "Order service"), ("in", "Orders database")}, rows
    assert "F-1 Patient records: which end opens the connection?" not in text_of(doc)


def test_operations_says_who_opens_a_connection_at_the_perimeter_where_the_model_does() -> None:
    """The sample's firmware download is listed "F-10 from Meridian update service (TCP 443)": an engineer watching
    the perimeter looks for an inbound connection, while the gateway opens it (outbound from the hospital)."""
    text = text_of(build_guides(_model("Firmware", "Outbound from the hospital."))["operations"])
    assert "to watch at the perimeter: F-1 from Cloud service (TCP 443; opened by Gateway)." in text
    text = text_of(build_guides(_model("Status", ""))["operations"])  # only assumed: not said
    assert "to watch at the perimeter: F-1 from Cloud service (TCP 443)." in text


def test_operations_gives_the_transport_of_a_perimeter_flow_of_no_port() -> None:
    """Threagile's https flows at the perimeter read "(https, port not stated)", where the rules say TCP."""
    m = _model("Status", "")
    m.flows[0] = m.flows[0].model_copy(update={"port": None})
    text = text_of(build_guides(m)["operations"])
    assert "to watch at the perimeter: F-1 from Cloud service (HTTPS, TCP, port not stated)." in text


@pytest.mark.parametrize(
    ("server", "protocol"),
    [
        ("Hospital NTP server", "NTP"),
        ("Hospital DNS", "DNS"),
        ("Active Directory", "LDAPS"),
        ("Time source", "SNTP"),
        # the Wi-Fi controller asks the RADIUS server; a log collector receives; a broker accepts its clients' connections
        ("Hospital RADIUS server", "RADIUS"),
        ("Hospital SIEM", "Syslog"),
        ("Cloud MQTT broker", "MQTT over TLS"),
    ],
)
def test_an_infrastructure_server_drawn_sending_its_answer_accepts_the_connection(server: str, protocol: str) -> None:
    """A model draws the time from the hospital's NTP server to the scanner (the way the data moves): the rule assumed
    the NTP server opens a connection to the scanner, an inbound rule the NTP server never uses."""
    from mdptm.documents.guides import build_guides
    from mdptm.model import Element, Flow, TrustZone
    from tests.documents.test_guides_readers import base, firewall_rows

    m = base(
        trust_zones=[TrustZone(id="zd", name="Imaging VLAN", kind="network"), TrustZone(id="zh", name="Core network", kind="network")],
        elements=[
            Element(id="srv", name=server, kind="external_entity", trust_zone="zh"),
            Element(id="ct", name="CT scanner", kind="device", trust_zone="zd"),
        ],
        flows=[Flow(id="F-1", name="Answers", source="srv", target="ct", protocol=protocol)],
    )
    rows = {(r[0], r[1], r[-1]) for r in firewall_rows(build_guides(m)["deployment"])}
    assert rows == {("out", "CT scanner", "F-1"), ("in", server, "F-1")}, rows


def test_a_flow_between_two_servers_of_its_protocol_keeps_its_reading() -> None:
    o = netplan.build(
        Facts.of(
            base(
                elements=[Element(id="a", name="Primary DNS", kind="software"), Element(id="b", name="Secondary DNS", kind="software")],
                flows=[Flow(id="F-1", name="Zone transfer", source="a", target="b", protocol="DNS", port="53")],
            )
        )
    ).opener["F-1"]
    assert (o.element, o.basis) == ("a", "assumed")


@pytest.mark.parametrize(
    ("name", "source", "port", "opener"),
    [
        ("SNMP polling", "nms", "161/udp", "nms"),  # "polling" read from the name made the polled end open it
        ("Device status", "cs", "161/udp", "nms"),  # drawn as the data moves, from the agent: the manager still polls
        ("SNMP traps", "cs", "162/udp", "cs"),  # the agent sends its traps to the manager's 162
        ("SNMP traps", "nms", "162/udp", "cs"),
    ],
)
def test_an_snmp_manager_polls_the_agent_and_receives_its_traps(name: str, source: str, port: str, opener: str) -> None:
    """A patient monitor's model draws "SNMP polling" from the hospital's network management system to the central
    station: the rule said the central station opens it (the word "polling" read as the fetching end), an outbound rule
    from the monitoring VLAN to UDP 161 on the NMS that no packet uses, and none for the NMS's real polls."""
    from mdptm.documents.guides import build_guides
    from mdptm.model import Element, Flow, TrustZone
    from tests.documents.test_guides_readers import base, firewall_rows

    m = base(
        trust_zones=[TrustZone(id="zm", name="Monitoring VLAN", kind="network"), TrustZone(id="zc", name="Core network", kind="network")],
        elements=[
            Element(id="nms", name="Hospital network management system", kind="external_entity", trust_zone="zc"),
            Element(id="cs", name="Central station", kind="software", trust_zone="zm"),
        ],
        flows=[Flow(id="F-1", name=name, source=source, target="cs" if source == "nms" else "nms", protocol="SNMPv2c", port=port)],
    )
    rows = {(r[0], r[1], r[-1]) for r in firewall_rows(build_guides(m)["deployment"])}
    names = {"nms": "Hospital network management system", "cs": "Central station"}
    other = "cs" if opener == "nms" else "nms"
    assert rows == {("out", names[opener], "F-1"), ("in", names[other], "F-1")}, rows


@pytest.mark.parametrize(
    ("description", "opener"),
    [
        ("The central station serves time to its monitors.", "mon"),  # drawn from the server: the monitors ask it
        ("Each monitor listens on UDP 123.", "cs"),
        ("The central station serves as the ward's time source.", None),  # "serves as" is no accepting end: assumed
        ("The central station never serves time.", None),
    ],
)
def test_a_description_naming_the_accepting_end_gives_the_opener(description: str, opener: str | None) -> None:
    """A patient monitor's model draws "Time to monitors" from the central station, which "serves time to its
    monitors": the guide read the central station as opening a connection to each monitor's UDP 123."""
    from mdptm.documents.guides import build_guides
    from mdptm.model import Element, Flow, TrustZone
    from tests.documents.test_guides_readers import base, firewall_rows

    m = base(
        trust_zones=[TrustZone(id="zs", name="Server VLAN", kind="network"), TrustZone(id="zm", name="Monitor VLAN", kind="network")],
        elements=[
            Element(id="cs", name="Central station", kind="software", trust_zone="zs"),
            Element(id="mon", name="Bedside monitor", kind="device", trust_zone="zm"),
        ],
        flows=[Flow(id="F-6", name="Time", source="cs", target="mon", protocol="SNTP", port="123/udp", description=description)],
    )
    rows = {(r[0], r[1], r[-1]) for r in firewall_rows(build_guides(m)["deployment"])}
    if opener is None:  # not read: the source is assumed, marked
        assert ("out", "Central station", "F-6 *") in rows, rows
    else:
        names = {"cs": "Central station", "mon": "Bedside monitor"}
        assert ("out", names[opener], "F-6") in rows, rows
