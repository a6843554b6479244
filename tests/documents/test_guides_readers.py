"""The guides read as a hospital reads them, on models shaped like real third-party threat models (Threat
Dragon and TM7 exports, spreadsheets with no flows): every sentence must follow from what the model states."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mdptm.documents.guides import build_guides
from mdptm.model import Asset, Assumption, Document, Element, Flow, Model, Product, TrustZone
from mdptm.render import markdown as render_md
from mdptm.render.docir import Doc, Table


def text_of(doc: Doc) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", render_md.render(doc))


def firewall_rows(doc: Doc) -> list[list[str]]:
    return [row for b in doc.blocks if isinstance(b, Table) and b.header[0] == "Dir" for row in b.rows]


def base(**kw: object) -> Model:
    return Model(product=Product(name="Kit", manufacturer="Maker"), document=Document(version="1.0"), **kw)  # type: ignore[arg-type]


def test_no_flows_is_not_read_as_no_network_connection() -> None:
    """A risk register with no data flow says nothing about the network: the firewall section must not read
    as if the device had no connection."""
    doc = build_guides(base())["deployment"]
    text = text_of(doc)
    assert "The threat model describes no network connection." not in text
    assert "describes no data flow, so it does not say which network connections the device makes or accepts" in text
    assert "The threat model names no control the hospital is expected to provide." not in text
    assert "assigns no control to the hospital; it does not say that the hospital has nothing to provide" in text


def test_a_response_drawn_back_is_return_traffic_not_a_connection() -> None:
    """Threat Dragon and TM7 models draw a request and its response as two flows: the response is the
    request's return traffic. A rule letting the server open a connection to the browser would be wrong."""
    m = base(
        elements=[Element(id="br", name="Browser", kind="process"), Element(id="web", name="Web Application", kind="process")],
        flows=[
            Flow(id="df-web-request", name="Web Request", source="br", target="web", protocol="HTTPS"),
            Flow(id="df-web-response", name="Web Response", source="web", target="br", protocol="HTTPS"),
        ],
    )
    doc = build_guides(m)["deployment"]
    rows = firewall_rows(doc)
    assert rows and all(r[-1].split()[0] == "df-web-request" for r in rows)
    assert not any(r[0] == "out" and r[1] == "Web Application" for r in rows)
    text = text_of(doc)
    assert "Return traffic of another flow (no rule of its own): df-web-response answers df-web-request." in text
    assert "df-web-response Web Response: which end opens" not in text


def test_a_response_with_no_request_keeps_its_rule() -> None:
    m = base(
        elements=[Element(id="a", name="Pump", kind="process"), Element(id="b", name="Server", kind="process")],
        flows=[Flow(id="F-1", name="Status response", source="a", target="b", protocol="HTTPS", port="443/tcp")],
    )
    rows = firewall_rows(build_guides(m)["deployment"])
    assert [r[-1].split()[0] for r in rows] == ["F-1", "F-1"]


def test_connections_between_outside_systems_are_not_said_to_stay_in_one_segment() -> None:
    """A mobile client on the internet calling a cloud API: no hospital segment is involved, so 'every
    network connection stays within one segment' is false; flows with no protocol are still named."""
    m = base(
        trust_zones=[TrustZone(id="tz-i", name="Internet"), TrustZone(id="tz-c", name="Public Cloud")],
        elements=[
            Element(id="mc", name="Mobile Client", kind="process", trust_zone="tz-i"),
            Element(id="api", name="Public API v2", kind="process", trust_zone="tz-c"),
            Element(id="db", name="Accounting PostgreSQL", kind="data_store", trust_zone="tz-c"),
        ],
        flows=[
            Flow(id="df-api-request", name="API Request", source="mc", target="api"),
            Flow(id="df-psql-request", name="PSQL Request", source="api", target="db"),
        ],
    )
    docs = build_guides(m)
    deploy, decom = text_of(docs["deployment"]), text_of(docs["decommissioning"])
    assert "Every network connection stays within one segment" not in deploy
    # the one of no stated protocol too: no hospital firewall sits between two systems outside it, whatever it is
    assert "Between systems outside the hospital (no hospital firewall rule follows from them): df-api-request, df-psql-request." in deploy
    assert "but not whether it is a network connection" not in deploy
    assert "the model states every port" not in deploy  # it states none; none is needed for the hospital's firewalls
    assert "df-api-request API Request (not stated, between" not in deploy  # no port question for the hospital's firewall
    assert "No connection in the model crosses a network segment." not in decom


def test_a_stated_protocol_such_as_upnp_is_network_traffic() -> None:
    """The model says UPnP: the guide lists the rule with that protocol instead of asking whether the flow
    is network traffic at all."""
    m = base(
        elements=[Element(id="dev", name="IoT Device", kind="process"), Element(id="app", name="Mobile App", kind="process")],
        flows=[Flow(id="df-control", name="Device control", source="dev", target="app", protocol="UPnP")],
    )
    doc = build_guides(m)["deployment"]
    rows = firewall_rows(doc)
    assert rows and {r[3] for r in rows} == {"UPnP"} and {r[4] for r in rows} == {"not stated"}
    assert "a local link such as USB or Bluetooth" not in text_of(doc)


def test_a_flow_of_no_protocol_may_stay_on_one_host_and_the_question_says_so() -> None:
    """Threat Dragon's demo draws "Read web app config" from a config store to the web application: most likely
    a file read on one machine. The question offered only the network or a USB or Bluetooth link."""
    m = base(
        elements=[
            Element(id="cfg", name="Web Application Config", kind="data_store"),
            Element(id="web", name="Web Application", kind="process"),
        ],
        flows=[Flow(id="df-read", name="Read web app config", source="cfg", target="web")],
    )
    text = text_of(build_guides(m)["deployment"])
    assert (
        "df-read Read web app config (between Web Application Config and Web Application): is it network traffic (which protocol "
        "and port), a local link such as USB or Bluetooth, or within one host (a file or a process on the same machine)?"
    ) in text


def test_unplaced_configuration_and_secrets_do_not_say_in_not_stated() -> None:
    m = base(
        assets=[
            Asset(id="A-1", name="Device Configuration Data", kind="configuration"),
            Asset(id="A-2", name="Login Session", kind="credential"),
        ]
    )
    docs = build_guides(m)
    text = "\n".join(text_of(d) for d in docs.values())
    assert "in not stated" not in text
    assert "Device Configuration Data (where it is kept is not stated)" in text_of(docs["deployment"])
    assert "| Login Session | held where the model does not say |" in text_of(docs["operations"])


def test_assumptions_with_no_owner_are_not_put_on_the_hospital() -> None:
    """'KMS is a secure cryptographic root' is no fact about the hospital: assumptions whose owner the model
    does not state are not introduced as what must be true in the hospital."""
    m = base(assumptions=[Assumption(id="A-01", text="KMS is a secure cryptographic root for our system.")])
    text = text_of(build_guides(m)["deployment"])
    assert "true in the hospital:" not in text
    assert "the model does not say who ensures those so marked" in text
    assert "A-01: KMS is a secure cryptographic root for our system. (who ensures it is not stated)" in text
    owned = base(assumptions=[Assumption(id="A-02", text="The device VLAN is isolated.", responsibility="customer")])
    assert "The threat analysis holds only if these are true in the hospital:" in text_of(build_guides(owned)["deployment"])


def test_decommissioning_reads_only_what_the_model_says() -> None:
    """'Use secure key exchange protocols' is not about units returned for repair; data with no stated place
    is not 'from not stated'; a backup the model mentions is not placed with the hospital."""
    from mdptm.model import Control

    m = base(
        assets=[Asset(id="A-1", name="User Data", kind="pii")],
        controls=[
            Control(id="M-134", title="Key distribution", description="Use secure key exchange protocols to ensure key integrity."),
            Control(id="M-38", title="Backup integrity", description="Verify the integrity of backup files."),
        ],
    )
    text = text_of(build_guides(m)["decommissioning"])
    assert "(M-134)" not in text
    assert "does not say what happens to data on a unit sent for repair" in text
    assert "from not stated" not in text
    assert "User Data (PII; where it is kept is not stated)" in text
    assert "| Backups and copies (M-38) | not stated |" in text
    assert "where the hospital keeps them" not in text
    swapped = base(controls=[Control(id="C-9", title="Exchange", description="Units sent for device exchange are wiped first.")])
    assert "Units sent for device exchange are wiped first. (C-9)" in text_of(build_guides(swapped)["decommissioning"])


def test_decommissioning_lists_a_device_the_model_names_no_data_on() -> None:
    """Threat Dragon IoT device: no asset, so "Data on every element" listed only the MySQL database; the
    device the hospital retires was not in the table at all. It is listed, and what it keeps is asked."""
    from mdptm.model import Element

    m = base(
        elements=[
            Element(id="dev", name="IoT Device", kind="device"),
            Element(id="db", name="MySQL database", kind="data_store"),
            Element(id="api", name="Cloud API", kind="process"),
        ]
    )
    text = text_of(build_guides(m)["decommissioning"])
    assert "| IoT Device |" in text
    assert "The model names no data kept on this device: ask the device maker what it keeps" in text
    assert "| MySQL database |" in text and "| Cloud API |" not in text


def test_operations_does_not_list_unstated_or_planned_logging_as_recorded() -> None:
    """A STRIDE table's 'Implement secure logging…' (no status) or a planned control is not what the device
    records: the operations guide says its status."""
    from mdptm.model import Control

    m = base(
        controls=[
            Control(id="M-27", title="Secure logging", category="event_logging", description="Log all traffic.", status_stated=False),
            Control(id="C-2", title="Audit trail", category="event_logging", description="Audit every login.", status="planned"),
            Control(id="C-3", title="Event log", category="event_logging", description="Records sign-ins."),
        ]
    )
    text = text_of(build_guides(m)["operations"])
    assert "| M-27 Secure logging (status not stated) |" in text
    assert "| C-2 Audit trail (planned) |" in text
    assert "| C-3 Event log |" in text
    assert "The threat model names no certificate, key, account or token." not in text
    assert "lists no certificate, key, account or token among its assets" in text


def test_pre_procurement_a_model_without_controls_does_not_say_the_device_has_none() -> None:
    from mdptm.model import Threat

    m = base(threats=[Threat(id="T-1", title="Image tampering", stride=["tampering"])])
    text = text_of(build_guides(m)["pre-procurement"])
    assert "| Controls | none |" not in text
    assert "| Controls | none listed in the threat model: ask the device maker which controls protect the device |" in text
    assert "| Threats analysed | none listed in the threat model |" in text_of(build_guides(base())["pre-procurement"])


def test_ptm_network_table_does_not_say_unzoned_flows_cross_a_boundary(tmp_path: Path) -> None:
    """A Threat Dragon model with no trust zones: its flows are not known to cross a trust-zone boundary."""
    from mdptm.documents.ptm import build_ptm_doc
    from mdptm.plugins import ExportContext

    def captions(m: Model) -> list[str]:
        doc = build_ptm_doc(m, ExportContext(), tmp_path)
        return [b.caption for b in doc.blocks if isinstance(b, Table) and b.header[:3] == ["Flow", "Between", "Trust zones"]]

    ends = [Element(id="br", name="Browser", kind="process"), Element(id="web", name="Web site", kind="process")]
    flow = Flow(id="F-1", name="HTTPS", source="br", target="web", protocol="HTTPS")
    (unzoned,) = captions(base(elements=ends, flows=[flow]))
    assert not unzoned.startswith("Connections that cross a trust-zone boundary (")
    assert "whose ends' trust zones are not stated" in unzoned
    zoned = base(
        trust_zones=[TrustZone(id="z1", name="Clinical LAN"), TrustZone(id="z2", name="DMZ")],
        elements=[e.model_copy(update={"trust_zone": z}) for e, z in zip(ends, ("z1", "z2"), strict=True)],
        flows=[flow],
    )
    assert captions(zoned) == [
        "Connections that cross a trust-zone boundary (for firewall rules and segmentation); the arrow shows which way "
        "the data moves; Opened by, which end opens the connection, where the model says so (see the deployment guide)"
    ]  # the sample's firmware download is drawn from the maker's cloud to the server, which opens it


def test_ptm_network_table_says_which_end_opens_each_connection_where_the_model_does(tmp_path: Path) -> None:
    """PTM 3.2 showed the way the data is drawn only: the sample's firmware download, drawn from the maker's cloud
    to the server, read as a connection from the internet. The "Opened by" column says who opens it where the
    model says so (its initiator, its words, its outbound-only design, a client end), and "not stated" elsewhere."""
    from mdptm.documents.ptm import build_ptm_doc
    from mdptm.model import Control
    from mdptm.plugins import ExportContext

    m = base(
        trust_zones=[
            TrustZone(id="zh", name="Clinical LAN"),
            TrustZone(id="zc", name="Maker cloud"),
            TrustZone(id="zp", name="Pharmacy LAN"),
        ],
        elements=[
            Element(id="srv", name="Server", kind="software", trust_zone="zh"),
            Element(id="app", name="Clinician app", kind="mobile_app", trust_zone="zp"),
            Element(id="upd", name="Update service", kind="cloud_service", trust_zone="zc"),
            Element(id="emr", name="EMR", kind="external_entity", trust_zone="zc"),
            Element(id="ph", name="Pharmacy system", kind="external_entity", trust_zone="zp"),
        ],
        flows=[
            Flow(id="F-1", name="Firmware", source="upd", target="srv", protocol="HTTPS", port="443"),
            Flow(id="F-2", name="Results", source="srv", target="app", protocol="HTTPS", port="443"),
            Flow(id="F-3", name="Order relay", source="emr", target="srv", protocol="HL7", port="2575", initiator="emr"),
            Flow(id="F-4", name="Event forwarding", source="app", target="emr", protocol="HTTPS", port="443"),
            Flow(id="F-5", name="Event forwarding", source="srv", target="ph", protocol="HTTPS", port="443"),
            Flow(id="F-6", name="Sync", source="srv", target="ph", protocol="HTTPS", port="443"),
        ],
        controls=[Control(id="C-1", title="Outbound-only connections", category="other", description="The cloud cannot initiate.")],
    )
    doc = build_ptm_doc(m, ExportContext(), tmp_path)
    (table,) = [b for b in doc.blocks if isinstance(b, Table) and b.header[:4] == ["Flow", "Between", "Trust zones", "Opened by"]]
    opened = {r[0]: r[3] for r in table.rows}
    assert opened["F-1"] == "Server", opened  # drawn from the cloud, opened from the hospital (outbound-only design)
    assert opened["F-2"] == "Clinician app (a client)"
    assert opened["F-3"] == "EMR"  # the model's initiator
    assert opened["F-4"] == "Clinician app"  # to the outside: the outbound-only design says so
    assert opened["F-5"] == "not stated (its name suggests Server)"  # a name says which way data moves
    assert opened["F-6"] == "not stated"  # the order of its ends says nothing


def test_ptm_network_table_says_who_opens_each_port_where_the_port_text_does(tmp_path: Path) -> None:
    from mdptm.documents.ptm import build_ptm_doc
    from mdptm.plugins import ExportContext

    m = base(
        trust_zones=[TrustZone(id="zd", name="Imaging VLAN"), TrustZone(id="zh", name="Hospital core network")],
        elements=[
            Element(id="ct", name="CT scanner", kind="device", trust_zone="zd"),
            Element(id="nms", name="Network management station", kind="external_entity", trust_zone="zh"),
        ],
        flows=[Flow(id="F-3", name="SNMP", source="nms", target="ct", protocol="SNMP", port="161/udp (get), 162/udp (traps to the NMS)")],
    )
    doc = build_ptm_doc(m, ExportContext(), tmp_path)
    (table,) = [b for b in doc.blocks if isinstance(b, Table) and b.header[:4] == ["Flow", "Between", "Trust zones", "Opened by"]]
    # 161 is the manager's poll by SNMP's own ports (the manager is the SNMP client); 162 goes where its words say
    assert table.rows[0][3] == "Network management station (a client) (UDP 161); CT scanner (UDP 162)", table.rows


def test_ptm_without_hospital_controls_does_not_say_the_hospital_has_nothing_to_do(tmp_path: Path) -> None:
    from mdptm.documents.ptm import build_ptm_doc
    from mdptm.plugins import ExportContext
    from mdptm.render.docir import Paragraph

    doc = build_ptm_doc(base(), ExportContext(), tmp_path)
    text = " ".join(b.text for b in doc.blocks if isinstance(b, Paragraph))
    assert "No control in this model depends on the hospital." not in text
    assert "assigns no control to the hospital; it does not say that the hospital has nothing to provide" in text


def test_flows_inside_the_makers_cloud_are_not_said_to_stay_in_the_hospital() -> None:
    """A model whose flows all run between cloud services: 'none of the data flows leaves the hospital'
    would tell a hospital its data stays inside."""
    m = base(
        trust_zones=[TrustZone(id="az", name="Azure Trust Boundary")],
        elements=[
            Element(id="fn", name="API Functions", kind="process", trust_zone="az"),
            Element(id="db", name="Data Lake", kind="data_store", trust_zone="az"),
        ],
        flows=[Flow(id="F-1", name="Write telemetry", source="fn", target="db")],
    )
    text = text_of(build_guides(m)["pre-procurement"])
    assert "leaves the hospital." not in text
    assert "1 of 1 data flows run outside the hospital, between systems the model places outside it: F-1" in text
    assert "| Data flows | 1; 0 leave the hospital, 1 run outside it;" in text


def test_incident_steps_rest_only_on_controls_in_place() -> None:
    from mdptm.model import Control

    m = base(
        controls=[
            Control(id="C-1", title="Failover server", category="resiliency_recovery", description="Standby.", status="planned"),
            Control(id="C-2", title="Local buffering", category="resiliency_recovery", description="Keeps 24 h.", status_stated=False),
            Control(id="C-3", title="Audit log", category="event_logging", description="Sign-ins.", status="not_implemented"),
        ]
    )
    text = text_of(build_guides(m)["operations"])
    assert "Failover server (C-1)" not in text
    assert "What keeps working: Local buffering (C-2, status not stated)." in text
    assert "Preserve evidence:" not in text


def test_https_is_not_asked_whether_it_is_encrypted() -> None:
    m = base(
        elements=[Element(id="br", name="Browser", kind="process"), Element(id="web", name="Web site", kind="process")],
        flows=[
            Flow(id="F-1", name="Pages", source="br", target="web", protocol="HTTPS"),
            Flow(id="F-2", name="Admin", source="br", target="web", protocol="HTTP"),
        ],
    )
    text = text_of(build_guides(m)["deployment"])
    assert "F-1 Pages: is the traffic encrypted" not in text
    assert "F-1 Pages: the model names HTTPS but not its version or how certificates are checked" in text
    # HTTP carries data in clear: the model does say something of its encryption
    assert "F-2 Admin: the model names HTTP, which carries data in clear, and says nothing else of encryption" in text


def test_an_end_placed_on_the_internet_only_by_its_name_is_not_placed() -> None:
    """A word of its own name ("Cloud API") is a hint, not the model's statement: the rule does not put the
    end on the internet (which would make its direction and the internet exposure a guess), it says the
    segment is not stated and names the hint; an end whose kind places it (a cloud service) keeps its place."""
    m = base(
        elements=[
            Element(id="dev", name="IoT Device", kind="device"),
            Element(id="api", name="Cloud API", kind="process"),
            Element(id="svc", name="Telemetry", kind="cloud_service"),
        ],
        flows=[
            Flow(id="F-1", name="Poll", source="dev", target="api", protocol="HTTPS", port="443/tcp"),
            Flow(id="F-2", name="Upload", source="dev", target="svc", protocol="HTTPS", port="443/tcp"),
        ],
    )
    rows = {r[-1].split()[0]: r for r in firewall_rows(build_guides(m)["deployment"])}
    assert rows["F-1"][2] == "Cloud API (segment not stated; its name suggests outside the hospital)"
    assert rows["F-2"][2] == "Telemetry (internet)"


def test_a_service_only_named_in_a_makers_control_is_not_called_a_need() -> None:
    from mdptm.model import Control

    m = base(controls=[Control(id="C-3", title="Update antivirus and patch systems", description="Update antivirus and patch systems.")])
    text = text_of(build_guides(m)["deployment"])
    assert "| Anti-malware signatures | named, not stated as needed from the hospital; no port given | C-3 |" in text


def test_decommissioning_says_why_no_rule_is_removed_when_every_connection_runs_outside() -> None:
    m = base(
        trust_zones=[TrustZone(id="tz-i", name="Internet"), TrustZone(id="tz-c", name="Public Cloud")],
        elements=[
            Element(id="mc", name="Mobile Client", kind="process", trust_zone="tz-i"),
            Element(id="api", name="Public API v2", kind="process", trust_zone="tz-c"),
        ],
        flows=[Flow(id="F-1", name="API Request", source="mc", target="api", protocol="HTTPS")],
    )
    decom = text_of(build_guides(m)["decommissioning"])
    assert "run between systems outside the hospital (F-1): no firewall rule of the hospital follows from them." in decom


def test_ptm_network_table_lists_no_local_link_or_host_channel_for_firewall_rules(tmp_path: Path) -> None:
    """PTM 3.2, "for firewall rules and segmentation", listed the sample's BLE link, USB service session and Wi-Fi
    association beside the network connections (Port "BLE", "USB service port"), and would list a TMT model's ALPC
    channel: an engineer reading it looks for a rule to write. A discovery broadcast is opened by no end."""
    from mdptm.documents.ptm import build_ptm_doc
    from mdptm.plugins import ExportContext
    from mdptm.render.docir import Paragraph

    m = base(
        trust_zones=[TrustZone(id="zp", name="Pump enclosure"), TrustZone(id="zh", name="Clinical LAN")],
        elements=[
            Element(id="pump", name="Pump", kind="device", trust_zone="zp"),
            Element(id="srv", name="Server", kind="software", trust_zone="zh"),
            Element(id="svc", name="Service", kind="process", trust_zone="zp"),
        ],
        flows=[
            Flow(id="F-1", name="Status", source="pump", target="srv", protocol="HTTPS", port="443/tcp"),
            Flow(id="F-2", name="Bedside status", source="pump", target="srv", protocol="Bluetooth Low Energy", port="BLE"),
            Flow(id="F-3", name="Service session", source="srv", target="pump", protocol="USB 2.0", port="USB service port"),
            Flow(id="F-4", name="Driver calls", source="svc", target="srv", protocol="ALPC"),
            Flow(id="F-5", name="Broadcast", source="pump", target="srv", protocol="UPnP"),
            Flow(id="F-6", name="Send command", source="srv", target="pump"),
        ],
    )
    doc = build_ptm_doc(m, ExportContext(), tmp_path)
    (table,) = [b for b in doc.blocks if isinstance(b, Table) and b.header[:4] == ["Flow", "Between", "Trust zones", "Opened by"]]
    assert [r[0] for r in table.rows] == ["F-1", "F-5"], table.rows
    assert table.rows[0][5] == "443/tcp" and table.rows[1][5] == "—"  # UPnP implies no transport
    assert table.rows[1][3] == "none: broadcast or multicast, one subnet only"
    notes = " ".join(b.text for b in doc.blocks if isinstance(b, Paragraph))
    assert "Not listed for firewall rules: F-2, F-3: local links (USB, Bluetooth, the Wi-Fi association)" in notes
    assert "Not listed for firewall rules: F-4, which the threat model keeps on one host" in notes
    assert "Not listed: F-6, for which the threat model states neither protocol nor port" in notes


def test_ptm_network_table_gives_the_transport_of_a_flow_of_no_port(tmp_path: Path) -> None:
    """Threagile's links state https, ssh, ldaps and no port: PTM 3.2's Port column read "—"."""
    from mdptm.documents.ptm import build_ptm_doc
    from mdptm.plugins import ExportContext

    m = base(
        trust_zones=[TrustZone(id="za", name="Dev network"), TrustZone(id="zb", name="DMZ")],
        elements=[
            Element(id="a", name="Admin client", kind="process", trust_zone="za"),
            Element(id="b", name="Web", kind="process", trust_zone="zb"),
        ],
        flows=[
            Flow(id="F-1", name="Deploy", source="a", target="b", protocol="ssh"),
            Flow(id="F-2", name="Time", source="a", target="b", protocol="NTP"),
        ],
    )
    doc = build_ptm_doc(m, ExportContext(), tmp_path)
    (table,) = [b for b in doc.blocks if isinstance(b, Table) and b.header[:4] == ["Flow", "Between", "Trust zones", "Opened by"]]
    assert [r[5] for r in table.rows] == ["not stated (TCP)", "not stated (UDP)"], table.rows


@pytest.mark.parametrize(
    ("results_port", "own"),
    [("TCP 2575", True), ("TCP 2576", False), (None, False)],
)
def test_results_sent_to_another_port_are_a_connection_not_return_traffic(results_port: str | None, own: bool) -> None:
    """A patient monitor's central station sends HL7 results (ORU) to the interface engine's TCP 2575; the engine sends
    admissions (ADT) to the central station's TCP 2576. "Vital signs results" was read as the admissions' return
    traffic: the rule for TCP 2575 was missing."""
    m = base(
        trust_zones=[TrustZone(id="z1", name="Monitoring VLAN", kind="network"), TrustZone(id="z2", name="Core", kind="network")],
        elements=[
            Element(id="cs", name="Central station", kind="software", trust_zone="z1"),
            Element(id="ie", name="HL7 interface engine", kind="external_entity", trust_zone="z2"),
        ],
        flows=[
            Flow(id="F-03", name="Vital signs results (ORU)", source="cs", target="ie", protocol="HL7 over MLLP", port=results_port),
            Flow(id="F-04", name="Admissions (ADT)", source="ie", target="cs", protocol="HL7 over MLLP", port="TCP 2576"),
        ],
    )
    doc = build_guides(m)["deployment"]
    rules = {(r[0], r[1], r[4], r[-1]) for r in firewall_rows(doc)}
    assert (("?", "Central station", "TCP 2575", "F-03") in rules) == own, rules  # HL7 of no opener: no direction
    assert ("Return traffic of another flow (no rule of its own): F-03 answers F-04." in text_of(doc)) != own


@pytest.mark.parametrize(
    ("element", "asked"),
    [
        (Element(id="dhcp", name="Hospital DHCP server", kind="external_entity"), False),  # the hospital's, not the device's
        (Element(id="cs", name="Central station", kind="software", description="Windows server application."), True),
        (Element(id="cs", name="Vantage Connect server", kind="software"), True),
    ],
)
def test_the_server_update_question_needs_a_server_of_the_device(element: Element, asked: bool) -> None:
    """An infusion gateway's model names the hospital's DHCP server: the guide asked how "the server's operating
    system" gets its updates, of a device that has no server."""
    m = base(
        elements=[Element(id="gw", name="Infusion gateway", kind="device"), element],
        flows=[Flow(id="F-1", name="Sync", source="gw", target=element.id, protocol="HTTPS", port="443")],
    )
    text = text_of(build_guides(m)["deployment"])
    assert (f"How does the operating system of {element.name} get its updates" in text) == asked


@pytest.mark.parametrize(
    ("description", "carried"),
    [
        ("Delivered over the connection of F-06.", True),
        ("Sent back on the same connection.", True),  # the one other flow between the two ends
        ("The service platform connects to the console.", False),
    ],
)
def test_a_flow_over_another_flows_connection_gets_no_rule_of_its_own(description: str, carried: bool) -> None:
    """A CT scanner's remote service: the console connects out (F-06, HTTPS 443, outbound only); the service commands
    (F-07) are "Delivered over the connection of F-06". The guide wrote F-07 an inbound rule from the internet and asked
    whether it could run outbound only."""
    m = base(
        trust_zones=[
            TrustZone(id="zi", name="Imaging VLAN", kind="network"),
            TrustZone(id="zv", name="Maker service centre", kind="vendor"),
        ],
        elements=[
            Element(id="ct", name="CT console", kind="device", trust_zone="zi"),
            Element(id="svc", name="Remote service platform", kind="external_entity", trust_zone="zv"),
        ],
        flows=[
            Flow(
                id="F-06",
                name="Remote service session",
                source="ct",
                target="svc",
                protocol="HTTPS",
                port="TCP 443",
                description="The console connects out; outbound only.",
            ),
            Flow(id="F-07", name="Remote service commands", source="svc", target="ct", protocol="HTTPS", description=description),
        ],
    )
    docs = build_guides(m)
    rows = firewall_rows(docs["deployment"])
    assert bool([r for r in rows if r[-1].startswith("F-07")]) != carried, rows
    text = text_of(docs["deployment"])
    assert ("Carried over another flow's connection, as the threat model says (no rule of its own): F-07 over F-06." in text) == carried
    assert ("F-07 Remote service commands is opened from outside the hospital" in text) != carried
    ops = text_of(docs["operations"])
    assert ("F-07 from Remote service platform" in ops) != carried


def test_ptm_network_table_lists_no_flow_carried_over_another_or_inside_a_tunnel(tmp_path: Path) -> None:
    """PTM 3.2 listed a CT scanner's remote service commands ("Delivered over the connection of F-06") and a remote
    desktop inside the maker's IPsec tunnel as connections for firewall rules."""
    from mdptm.documents.ptm import build_ptm_doc
    from mdptm.plugins import ExportContext
    from mdptm.render.docir import Paragraph

    m = base(
        trust_zones=[TrustZone(id="zi", name="Imaging VLAN", kind="network"), TrustZone(id="zv", name="Maker site", kind="vendor")],
        elements=[
            Element(id="ct", name="CT console", kind="device", trust_zone="zi"),
            Element(id="svc", name="Remote service platform", kind="external_entity", trust_zone="zv"),
        ],
        flows=[
            Flow(id="F-6", name="Session", source="ct", target="svc", protocol="HTTPS", port="TCP 443"),
            Flow(id="F-7", name="Commands", source="svc", target="ct", protocol="HTTPS", description="Over the connection of F-6."),
            Flow(id="F-8", name="Tunnel", source="ct", target="svc", protocol="IPsec", port="UDP 500, UDP 4500"),
            Flow(id="F-9", name="Remote desktop", source="svc", target="ct", protocol="RDP", port="3389", description="Inside the tunnel."),
        ],
    )
    doc = build_ptm_doc(m, ExportContext(), tmp_path)
    (table,) = [b for b in doc.blocks if isinstance(b, Table) and b.header[:4] == ["Flow", "Between", "Trust zones", "Opened by"]]
    assert [r[0] for r in table.rows] == ["F-6", "F-8"], table.rows
    notes = " ".join(b.text for b in doc.blocks if isinstance(b, Paragraph))
    assert "Not listed for firewall rules: F-7 over F-6, carried over another flow's connection" in notes
    assert "Not listed for firewall rules: F-9 (inside F-8), carried inside a tunnel" in notes


@pytest.mark.parametrize(
    "description",
    [
        "Each pump reports on its connection status.",
        "Authenticated with the same session token as the portal.",
        "Therapy never depends on that connection.",
        "Sent on a connection of its own, not over the same connection as F-06.",
    ],
)
def test_words_near_connection_that_say_something_else_keep_the_rule(description: str) -> None:
    """Only a flow the model says rides on another's connection loses its rule; these speak of something else."""
    m = base(
        trust_zones=[TrustZone(id="zi", name="Imaging VLAN", kind="network"), TrustZone(id="zv", name="Maker site", kind="vendor")],
        elements=[
            Element(id="ct", name="CT console", kind="device", trust_zone="zi"),
            Element(id="svc", name="Remote service platform", kind="external_entity", trust_zone="zv"),
        ],
        flows=[
            Flow(id="F-06", name="Session", source="ct", target="svc", protocol="HTTPS", port="TCP 443"),
            Flow(id="F-07", name="Status", source="ct", target="svc", protocol="HTTPS", port="TCP 8443", description=description),
        ],
    )
    rows = firewall_rows(build_guides(m)["deployment"])
    assert [r for r in rows if r[-1].startswith("F-07")], rows


def test_ptm_network_table_says_dhcp_between_zones_goes_through_a_relay(tmp_path: Path) -> None:
    """PTM 3.2 gave an infusion gateway's DHCP to the hospital's DHCP server on another LAN as opened by the gateway,
    a rule from the gateway's address that no packet uses (its request is a broadcast the router's relay sends on)."""
    from mdptm.documents.ptm import build_ptm_doc
    from mdptm.plugins import ExportContext

    m = base(
        trust_zones=[TrustZone(id="zd", name="Device VLAN", kind="network"), TrustZone(id="zc", name="Clinical LAN", kind="network")],
        elements=[
            Element(id="gw", name="Gateway", kind="device", trust_zone="zd"),
            Element(id="dhcp", name="Hospital DHCP server", kind="external_entity", trust_zone="zc"),
        ],
        flows=[Flow(id="F-10", name="Address assignment", source="gw", target="dhcp", protocol="DHCP", port="67/udp")],
    )
    doc = build_ptm_doc(m, ExportContext(), tmp_path)
    (table,) = [b for b in doc.blocks if isinstance(b, Table) and b.header[:4] == ["Flow", "Between", "Trust zones", "Opened by"]]
    assert table.rows[0][3] == "a DHCP relay (the client's request is a broadcast)", table.rows
