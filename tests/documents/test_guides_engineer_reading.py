"""Deployment guides read line by line as the hospital's network engineer reads them, on devices unlike the
sample pump: an anesthesia workstation behind a serial device server, an insulin pump's phone app, an ultrasound
cart reaching its maker's service gateway, a lab analyzer. Each test is one rule or sentence the engineer would
otherwise have got wrong, or one question the guide left for the engineer to ask."""

from __future__ import annotations

from mdptm.documents import netplan
from mdptm.documents.guides import Facts, build_guides
from mdptm.model import Element, Flow, Model, TrustZone
from mdptm.model.topology import parse_ports
from tests.documents.test_guides_readers import base, firewall_rows, text_of

ZONES = [
    TrustZone(id="z-or", name="OR device network", kind="network"),
    TrustZone(id="z-it", name="Hospital server network", kind="network"),
    TrustZone(id="z-room", name="Operating room", kind="physical"),
]


def test_a_serial_stream_carried_over_tcp_gets_its_rule() -> None:
    """A serial device server carries the workstation's RS-232 data over TCP 4001 to the AIMS: the words
    "serial tunnelling" name what the stream carries, not a local link; the main data flow needs its rule."""
    m = base(
        trust_zones=ZONES,
        elements=[
            Element(id="a7", name="Anesthesia workstation", kind="device", trust_zone="z-room"),
            Element(id="ds", name="Serial device server", kind="hardware", trust_zone="z-or"),
            Element(id="aims", name="AIMS", kind="external_entity", trust_zone="z-it"),
        ],
        flows=[
            Flow(id="F-1", name="Serial data link", source="a7", target="ds", protocol="RS-232"),
            Flow(id="F-2", name="Ventilation data to AIMS", source="ds", target="aims", protocol="Raw TCP (serial tunnelling)",
                 port="TCP 4001", initiator="aims"),
        ],
    )  # fmt: skip
    doc = build_guides(m)["deployment"]
    rows = firewall_rows(doc)
    assert ["out", "AIMS", "Serial device server (OR device network)", "Raw TCP", "TCP 4001", "F-2"] in rows
    text = text_of(doc)
    assert "Not network traffic (local links, no firewall rule): F-1 Serial data link." in text


def _snmp(nms: str, port: str) -> list[list[str]]:
    m = base(
        trust_zones=ZONES,
        elements=[
            Element(id="ds", name="Serial device server", kind="hardware", trust_zone="z-or"),
            Element(id="nms", name=nms, kind="external_entity", trust_zone="z-it"),
        ],
        flows=[Flow(id="F-4", name="Device server monitoring", source="nms", target="ds", protocol="SNMP v2c", port=port,
                    encryption="none")],
    )  # fmt: skip
    return firewall_rows(build_guides(m)["deployment"])


def test_snmp_traps_go_to_the_manager_named_by_the_initials_of_its_last_words() -> None:
    """ "traps to the NMS" names the "Campus network monitoring station": its last three words' initials. The
    traps arrive at the station's UDP 162; a rule letting the station open 162 on the device server is wrong."""
    rows = _snmp("Campus network monitoring station", "161/udp (get), 162/udp (traps to the NMS)")
    assert ["out", "Serial device server", "Campus network monitoring station (Hospital server network)", "SNMP v2c", "UDP 162",
            "F-4"] in rows  # fmt: skip
    assert ["in", "Campus network monitoring station", "Serial device server (OR device network)", "SNMP v2c", "UDP 162",
            "F-4"] in rows  # fmt: skip
    assert not any(r[1] == "Campus network monitoring station" and r[0] == "out" and r[4] == "UDP 162" for r in rows)


def test_snmp_polls_and_traps_split_by_port_where_both_are_stated() -> None:
    """Both SNMP ports stated with no words: the manager polls the agent's UDP 161 and the agent sends traps to
    the manager's UDP 162, two rules in opposite directions, neither assumed."""
    rows = _snmp("Hospital network management system", "161/udp, 162/udp")
    nms, ds = "Hospital network management system", "Serial device server"
    assert ["out", nms, f"{ds} (OR device network)", "SNMP v2c", "UDP 161", "F-4"] in rows
    assert ["out", ds, f"{nms} (Hospital server network)", "SNMP v2c", "UDP 162", "F-4"] in rows
    assert not any("*" in r[-1] for r in rows)


def test_an_app_opens_a_connection_drawn_to_it_over_a_stated_tcp_port() -> None:
    """Push notifications drawn from the push service to the phone app, over "TCP 5223": the app keeps the
    connection open; the guide must not ask for an inbound rule from the internet to the phone."""
    m = base(
        trust_zones=[
            TrustZone(id="z-clinic", name="Clinic network", kind="network"),
            TrustZone(id="z-push", name="Push services", kind="internet"),
        ],
        elements=[
            Element(id="app", name="Pump app", kind="mobile_app", trust_zone="z-clinic"),
            Element(id="apns", name="Push service", kind="cloud_service", trust_zone="z-push"),
        ],
        flows=[Flow(id="F-7", name="Push delivery to the phone", source="apns", target="app", protocol="APNs", port="TCP 5223")],
    )  # fmt: skip
    doc = build_guides(m)["deployment"]
    assert firewall_rows(doc) == [["out", "Pump app", "Push service (Push services, internet)", "APNs", "TCP 5223", "F-7"]]
    assert "is opened from outside the hospital" not in text_of(doc)


def test_a_rule_to_the_outside_names_the_host_the_model_gives() -> None:
    """The model gives the maker's service gateway's host name: the guide stopped asking for it, so the rule itself
    must carry it, or the engineer is left to allow any internet address or to search the PTM."""
    m = base(
        trust_zones=[
            TrustZone(id="z-img", name="Imaging VLAN", kind="network"),
            TrustZone(id="z-hal", name="Maker service centre", kind="vendor"),
        ],
        elements=[
            Element(id="cart", name="Ultrasound cart", kind="device", trust_zone="z-img"),
            Element(id="rsg", name="Remote service gateway", kind="cloud_service", trust_zone="z-hal",
                    description="Reached at rs.halcyon-imaging.com."),
        ],
        flows=[Flow(id="F-6", name="Remote service VPN", source="cart", target="rsg", protocol="OpenVPN", port="UDP 1194",
                    initiator="cart", encryption="AES-256-GCM")],
    )  # fmt: skip
    doc = build_guides(m)["deployment"]
    rows = firewall_rows(doc)
    assert rows == [["out", "Ultrasound cart", "Remote service gateway (rs.halcyon-imaging.com; Maker service centre, internet)", "OpenVPN",
                     "UDP 1194", "F-6"]]  # fmt: skip
    assert "Which host names or addresses does Remote service gateway use" not in text_of(doc)


def test_the_operating_system_questions_name_the_part_that_runs_one_not_a_server() -> None:
    """A lab analyzer on embedded Linux, with no server at all: the guide asked how "the server's operating system"
    gets its updates. It names the analyzer; the maker's cloud, whose updates are the maker's affair, is left out."""
    m = base(
        trust_zones=[
            TrustZone(id="z-lab", name="Laboratory instrument VLAN", kind="network"),
            TrustZone(id="z-cloud", name="Maker cloud", kind="vendor"),
        ],
        elements=[
            Element(id="an", name="Chemistry analyzer", kind="device", trust_zone="z-lab", description="Embedded Linux controller."),
            Element(id="upd", name="Software update server", kind="cloud_service", trust_zone="z-cloud"),
        ],
        flows=[Flow(id="F-8", name="Software update", source="an", target="upd", protocol="HTTPS", port="443", initiator="an")],
    )
    text = text_of(build_guides(m)["deployment"])
    assert "How does the operating system of Chemistry analyzer get its updates" in text
    assert "the server's operating system" not in text and "Software update server get" not in text


def _web(port: str, protocol: str) -> tuple[list[list[str]], str]:
    m = base(
        trust_zones=ZONES,
        elements=[
            Element(id="cart", name="Ultrasound cart", kind="device", trust_zone="z-or"),
            Element(id="br", name="Biomed browser", kind="external_entity", trust_zone="z-it"),
        ],
        flows=[Flow(id="F-9", name="Web configuration page", source="br", target="cart", protocol=protocol, port=port,
                    initiator="br", encryption="TLS 1.2")],
    )  # fmt: skip
    doc = build_guides(m)["deployment"]
    return firewall_rows(doc), text_of(doc)


def test_a_port_that_only_redirects_to_https_gets_no_rule_and_is_named() -> None:
    """HTTPS on "80 (redirects to 443)": the page is served on 443; 80 answers only with a redirect. The engineer
    opens 443 and is told what 80 is for, so as to leave a plain-HTTP listener shut or open it knowingly."""
    rows, text = _web("80 (redirects to 443)", "HTTPS")
    assert {r[4] for r in rows} == {"TCP 443"}, rows
    assert (
        "F-9 Web configuration page: the threat model says TCP 80 only redirects to TCP 443 (“80 (redirects to 443)”), so "
        "the rule opens TCP 443 alone; TCP 80 serves nothing but the redirect, to a browser that asks for plain HTTP."
    ) in text


def test_a_redirect_beside_plain_http_keeps_both_ports() -> None:
    """ "HTTP / HTTPS" names plain HTTP: port 80 may serve pages, not only the redirect; both ports keep their rule."""
    rows, text = _web("80 (redirects to 443)", "HTTP / HTTPS")
    assert {r[4] for r in rows} == {"TCP 80, TCP 443"}, rows
    assert "only redirects to" not in text


def _stream(port: str) -> str:
    m = base(
        trust_zones=[TrustZone(id="z-mon", name="Monitoring network", kind="network")],
        elements=[
            Element(id="bed", name="Bedside monitor", kind="device", trust_zone="z-mon"),
            Element(id="cs", name="Central station", kind="software", trust_zone="z-mon"),
        ],
        flows=[
            Flow(id="F-1", name="Waveform multicast", source="bed", target="cs", protocol="UDP multicast", port=port, encryption="none")
        ],
    )
    return text_of(build_guides(m)["deployment"])


def test_a_multicast_stream_of_data_is_not_asked_about_as_discovery() -> None:
    """A monitor's waveforms sent to a multicast group are the device's work: the guide asked whether they can be
    turned off and what then finds the monitor, and dropped the group address the switches' IGMP settings need."""
    text = _stream("239.10.1.1 UDP 7100")
    assert "- F-1 Waveform multicast: Bedside monitor → Central station (UDP multicast UDP 7100); group 239.10.1.1; a stream" in text
    assert "can it be turned off" not in text and "the model does not say whether it can be turned off" not in text
    assert "Sent by broadcast or multicast (data sent to a multicast group)" in text
    # with no group given, the group is what the engineer asks for
    assert "F-1 Waveform multicast (sent to a multicast group): which group address does it use" in _stream("UDP 7100")


def test_the_other_guides_call_a_multicast_stream_what_it_is() -> None:
    """Pre-procurement and decommissioning called every broadcast or multicast flow "discovery"; a monitor's
    waveforms are data sent to a group."""
    m = base(
        trust_zones=[TrustZone(id="z-mon", name="Monitoring network", kind="network")],
        elements=[
            Element(id="bed", name="Bedside monitor", kind="device", trust_zone="z-mon"),
            Element(id="cs", name="Central station", kind="software", trust_zone="z-mon"),
        ],
        flows=[Flow(id="F-1", name="Waveform multicast", source="bed", target="cs", protocol="UDP multicast", port="UDP 7100")],
    )
    guides = build_guides(m)
    assert "Sent by broadcast or multicast (data sent to a multicast group), which reaches only" in text_of(guides["pre-procurement"])
    retired = text_of(guides["decommissioning"])
    assert "Traffic sent by broadcast or multicast (data sent to a multicast group: F-1) has no firewall rule" in retired
    assert "discovery" not in retired.split("## Network access to remove", 1)[1].split("##", 1)[0].replace("an mDNS or SSDP", "")


def test_an_ipv6_address_in_a_port_text_opens_no_ports_and_is_the_address_of_the_end() -> None:
    """ "[2001:db8:40::10]:443": the groups of an IPv6 address were read as ports (TCP 2001, TCP 40, TCP 10); the rule
    opens TCP 443 to that address, which the model gives, so the guide does not ask for it."""
    m = base(
        trust_zones=[
            TrustZone(id="z-lab", name="Laboratory instrument VLAN", kind="network"),
            TrustZone(id="z-cloud", name="Maker cloud", kind="vendor"),
        ],
        elements=[
            Element(id="an", name="Analyzer", kind="device", trust_zone="z-lab"),
            Element(id="rs", name="Remote service", kind="cloud_service", trust_zone="z-cloud"),
        ],
        flows=[Flow(id="F-7", name="Remote service", source="an", target="rs", protocol="HTTPS", port="[2001:db8:40::10]:443",
                    initiator="an", encryption="TLS 1.3")],
    )  # fmt: skip
    doc = build_guides(m)["deployment"]
    assert firewall_rows(doc) == [
        ["out", "Analyzer", "Remote service ([2001:db8:40::10]; Maker cloud, internet)", "HTTPS", "TCP 443", "F-7"]
    ]
    assert "Which host names or addresses does Remote service use" not in text_of(doc)


def test_the_discovery_question_asks_how_the_seeker_finds_what_the_name_says_it_discovers() -> None:
    """ "Printer discovery (mDNS)" drawn from the central station to the ward printer: the station looks for the
    printer. The guide asked how the printer would find the station."""
    m = base(
        trust_zones=[TrustZone(id="z-mon", name="Monitoring network", kind="network")],
        elements=[
            Element(id="cs", name="Central station", kind="software", trust_zone="z-mon"),
            Element(id="prn", name="Ward printer", kind="external_entity", trust_zone="z-mon"),
        ],
        flows=[Flow(id="F-2", name="Printer discovery (mDNS)", source="cs", target="prn", protocol="mDNS", port="5353/udp")],
    )
    text = text_of(build_guides(m)["deployment"])
    assert "how does Central station then find Ward printer (an address set by hand)?" in text
    assert "how does Ward printer then find Central station" not in text


def test_ldaps_beside_kerberos_opens_636_on_tcp_only() -> None:
    """ "LDAPS / Kerberos" on "636, 88": Kerberos runs on UDP and TCP 88, LDAPS on TCP 636 alone. The rule opened
    UDP 636 too, a port nothing uses."""
    assert [str(p) for p in parse_ports("636, 88", "LDAPS / Kerberos")] == ["TCP 636", "UDP 88", "TCP 88"]
    assert [str(p) for p in parse_ports("88", "LDAPS / Kerberos")] == ["UDP 88", "TCP 88"]
    assert [str(p) for p in parse_ports("53", "DNS")] == ["UDP 53", "TCP 53"]


def test_a_worklist_drawn_from_the_ris_is_fetched_by_the_modality() -> None:
    """DICOM modality worklist drawn from the RIS to the ultrasound cart: the cart (the SCU) opens the association
    to the RIS; the rule assumed the RIS opens TCP 104 on the cart, a hole the worklist never uses."""
    m = base(
        trust_zones=[
            TrustZone(id="a", name="Imaging VLAN", kind="network"),
            TrustZone(id="b", name="Hospital data centre", kind="network"),
        ],
        elements=[
            Element(id="us", name="Ultrasound cart", kind="device", trust_zone="a"),
            Element(id="ris", name="RIS", kind="external_entity", trust_zone="b"),
        ],
        flows=[Flow(id="F-1", name="Modality worklist", source="ris", target="us", protocol="DICOM", port="104", encryption="none")],
    )
    doc = build_guides(m)["deployment"]
    assert firewall_rows(doc) == [
        ["out", "Ultrasound cart", "RIS (Hospital data centre)", "DICOM", "TCP 104", "F-1"],
        ["in", "RIS", "Ultrasound cart (Imaging VLAN)", "DICOM", "TCP 104", "F-1"],
    ]
    assert "which end opens the connection" not in text_of(doc)


def test_commands_over_the_connection_the_gateway_keeps_open_need_no_inbound_rule() -> None:
    """Configuration pushed from the maker's portal "over the WebSocket the gateway keeps open to the portal": the
    gateway opens the connection. The guide wrote an inbound rule from the internet and asked for an outbound design
    the model already states."""
    m = base(
        trust_zones=[TrustZone(id="z-a", name="Device VLAN", kind="network"), TrustZone(id="z-c", name="Maker cloud", kind="vendor")],
        elements=[
            Element(id="d", name="Gateway", kind="device", trust_zone="z-a"),
            Element(id="c", name="Maker portal", kind="cloud_service", trust_zone="z-c", description="portal.maker.com"),
        ],
        flows=[Flow(id="F-2", name="Config push", source="c", target="d", protocol="HTTPS", port="443", encryption="TLS 1.2",
                    description="Sent over the WebSocket the gateway keeps open to the portal.")],
    )  # fmt: skip
    doc = build_guides(m)["deployment"]
    assert firewall_rows(doc) == [["out", "Gateway", "Maker portal (portal.maker.com; Maker cloud, internet)", "HTTPS", "TCP 443", "F-2"]]
    assert "is opened from outside the hospital" not in text_of(doc)


def _pump_flow(fl: Flow) -> list[list[str]]:
    m = base(
        trust_zones=[
            TrustZone(id="z-a", name="Device VLAN", kind="network"),
            TrustZone(id="z-b", name="Hospital core", kind="network"),
            TrustZone(id="z-c", name="Maker cloud", kind="vendor"),
        ],
        elements=[
            Element(id="d", name="Infusion pump", kind="device", trust_zone="z-a"),
            Element(id="h", name="Interface engine", kind="external_entity", trust_zone="z-b"),
            Element(id="c", name="Maker update server", kind="cloud_service", trust_zone="z-c", description="updates.maker.com"),
        ],
        flows=[fl],
    )
    return [r[:2] + r[4:] for r in firewall_rows(build_guides(m)["deployment"])]


def test_a_description_naming_the_client_or_the_server_decides_the_opener() -> None:
    """Sentences a maker writes: "The interface engine acts as the TCP client" (the rule had the pump open TCP 3001,
    assumed from the drawing), "The interface engine queries each pump's status page", "Each pump checks for new
    firmware every night" (the rule let the update server open TCP 443 into the pump), "The pump is the MLLP server"."""
    events = Flow(id="F-3", name="Events", source="d", target="h", protocol="HL7 over MLLP", port="TCP 3001",
                  description="The interface engine acts as the TCP client.", encryption="none")  # fmt: skip
    assert _pump_flow(events) == [["out", "Interface engine", "TCP 3001", "F-3"], ["in", "Infusion pump", "TCP 3001", "F-3"]]
    status = Flow(id="F-6", name="Status", source="d", target="h", protocol="HTTPS", port="8443",
                  description="The interface engine queries each pump's status page.", encryption="TLS 1.2")  # fmt: skip
    assert _pump_flow(status) == [["out", "Interface engine", "TCP 8443", "F-6"], ["in", "Infusion pump", "TCP 8443", "F-6"]]
    firmware = Flow(id="F-1", name="Firmware", source="c", target="d", protocol="HTTPS", port="443",
                    description="Each pump checks for new firmware every night.", encryption="TLS 1.2")  # fmt: skip
    assert _pump_flow(firmware) == [["out", "Infusion pump", "TCP 443", "F-1"]]
    order = Flow(id="F-2", name="Order", source="h", target="d", protocol="HL7 over MLLP", port="TCP 3000",
                 description="The pump is the MLLP server.", encryption="none")  # fmt: skip
    assert _pump_flow(order) == [["out", "Interface engine", "TCP 3000", "F-2"], ["in", "Infusion pump", "TCP 3000", "F-2"]]
    # negated, or of no end: not read
    never = Flow(id="F-8", name="Status", source="d", target="h", protocol="HTTPS", port="8443",
                 description="The interface engine never queries the pump.", encryption="TLS 1.2")  # fmt: skip
    assert all(r[-1] == "F-8 *" for r in _pump_flow(never))


def _hl7_model(**kw: str) -> Model:
    return base(
        trust_zones=[TrustZone(id="z-lab", name="Lab VLAN", kind="network"), TrustZone(id="z-dc", name="Data centre", kind="network")],
        elements=[
            Element(id="an", name="Analyzer", kind="device", trust_zone="z-lab"),
            Element(id="mw", name="Laboratory middleware", kind="external_entity", trust_zone="z-dc"),
        ],
        flows=[
            Flow(id="F-3", name="Results", source="an", target="mw", protocol="HL7 v2.5.1 over MLLP", port="2575", encryption="none", **kw)
        ],  # type: ignore[arg-type]
    )


def test_an_hl7_mllp_flow_of_no_stated_opener_gets_no_guessed_direction() -> None:
    """HL7 over MLLP is opened by whichever end the two interfaces are set up to connect from. With no opener
    stated, the rule assumed the analyzer (the end named first) opens TCP 2575 on the middleware: a guess an
    engineer would carry into the firewall. The rule gives no direction and the question asks which end listens."""
    doc = build_guides(_hl7_model())["deployment"]
    rows, text = firewall_rows(doc), text_of(doc)
    assert [r[0] for r in rows] == ["?", "?"] and all(r[-1] == "F-3" for r in rows), rows
    assert "F-3 Results: which end opens the connection, and which listens on TCP 2575? Either end may" in text
    assert "The rules assume Analyzer" not in text and "* The model does not say which end opens" not in text
    f = Facts.of(_hl7_model())
    picture = netplan.diagram_model(f, netplan.build(f))
    assert picture is not None and [a.bidirectional for a in picture.flows] == [True]
    # an opener the model states is kept
    doc = build_guides(_hl7_model(initiator="mw"))["deployment"]
    assert sorted(r[0] for r in firewall_rows(doc)) == ["in", "out"] and "which end opens" not in text_of(doc)


def test_the_picture_labels_one_port_once() -> None:
    """Image storage on "104 (configurable)" and storage commitment on "104", both from the cart to the PACS: the
    arrow's label named TCP 104 twice, grew too long to place, and the picture showed the flow id, no port."""
    m = base(
        trust_zones=[TrustZone(id="z-i", name="Imaging VLAN", kind="network"), TrustZone(id="z-d", name="Data centre", kind="network")],
        elements=[
            Element(id="cart", name="Ultrasound cart", kind="device", trust_zone="z-i"),
            Element(id="pacs", name="PACS", kind="external_entity", trust_zone="z-d"),
        ],
        flows=[
            Flow(
                id="F-1", name="Image storage", source="cart", target="pacs", protocol="DICOM", port="104 (configurable)", initiator="cart"
            ),
            Flow(id="F-2", name="Storage commitment", source="cart", target="pacs", protocol="DICOM", port="104", initiator="cart"),
        ],
    )
    f = Facts.of(m)
    picture = netplan.diagram_model(f, netplan.build(f))
    assert picture is not None and [a.name for a in picture.flows] == ["TCP 104 (configurable)"]


def test_a_wrapper_the_port_text_names_is_read_for_the_protection_question() -> None:
    """SMTP on "25 / 587 (STARTTLS)": the guide said the model "says nothing else of encryption" and asked whether the
    traffic is unencrypted; the port text names STARTTLS, so the question is TLS's: its version and certificate checks."""
    smtp = Flow(id="F-7", name="Alerts", source="a", target="b", protocol="SMTP", port="25 / 587 (STARTTLS)")
    assert netplan.protection_question(smtp) == (
        "the model names SMTP on “25 / 587 (STARTTLS)” but not its version or how certificates are checked: which are they?"
    )
    plain = Flow(id="F-8", name="Alerts", source="a", target="b", protocol="SMTP", port="25")
    assert "carries data in clear" in (netplan.protection_question(plain) or "")


def _ftp(port: str) -> str:
    m = base(
        trust_zones=[
            TrustZone(id="z-m", name="Monitoring network", kind="network"),
            TrustZone(id="z-s", name="Server network", kind="network"),
        ],
        elements=[
            Element(id="cs", name="Central station", kind="software", trust_zone="z-m"),
            Element(id="ftp", name="Hospital FTP server", kind="external_entity", trust_zone="z-s"),
        ],
        flows=[Flow(id="F-5", name="Log export", source="cs", target="ftp", protocol="FTP", port=port, initiator="cs", encryption="none")],
    )
    return text_of(build_guides(m)["deployment"])


def test_the_ftp_question_asks_only_what_the_port_text_leaves_open() -> None:
    """ "21/tcp (passive mode)": the model states the mode, so the guide asks for the passive port range only, not
    "which mode does it use"; with the range stated too, nothing is left to ask."""
    text = _ftp("21/tcp (passive mode)")
    assert "F-5 Log export: the model says FTP runs in passive mode" in text and "which mode does it use" not in text
    assert "FTP runs in passive mode" not in _ftp("21/tcp; passive 50000-50100/tcp")
    assert "F-5 Log export: FTP opens a second connection for its data" not in _ftp("21/tcp; passive 50000-50100/tcp")
    assert "which mode does it use, and which port range?" in _ftp("21/tcp")
