"""A firewall rule is written from the port the threat model states, read as an engineer reads it: "from 5000
to 5010" is one range, not the two ports 5000 and 5010; "TCP/UDP 53" names both transports, not UDP alone;
"HTTP: 80" labels port 80 (it is no HTTP version); a port the model says is not used ("443 only, never 80",
"not 8080", "22 (disabled)") is never printed as one to open."""

from __future__ import annotations

import pytest

from mdptm.documents.guides import build_guides
from mdptm.model import Element, Flow
from mdptm.model.topology import parse_ports
from tests.documents.test_guides_readers import base, firewall_rows, text_of


@pytest.mark.parametrize(
    ("port", "protocol", "ports"),
    [
        ("from 5000 to 5010", None, ["5000-5010"]),  # a range in words is one range
        ("5000 to 5010/tcp", None, ["TCP 5000-5010"]),
        ("TCP 5000 through 5010", None, ["TCP 5000-5010"]),
        ("ports 5000..5010", None, ["5000-5010"]),
        ("redirect from 80 to 443", "HTTPS", ["TCP 80", "TCP 443"]),  # a redirect names two ports, not a range
        ("TCP/UDP 53", "DNS", ["53"]),  # both transports: not UDP alone (asked)
        ("TCP and UDP 53", None, ["53"]),
        ("53/tcp+udp", None, ["53"]),
        ("HTTP: 80; HTTPS: 443", None, ["TCP 80", "TCP 443"]),  # "HTTP: 80" labels a port, it is no HTTP version
        ("HTTP 8080", None, ["TCP 8080"]),
        ("443 only, never 80", "HTTPS", ["TCP 443"]),  # a port the model excludes is no port to open
        ("443, not 80 or 8080", "HTTPS", ["TCP 443"]),
        ("not 8080", "HTTPS", []),
        ("443; 22 (SSH, disabled)", "HTTPS", ["TCP 443"]),
        ("443/tcp; port 80 is closed", None, ["TCP 443"]),
        ("443; 22 (not exposed)", "HTTPS", ["TCP 443"]),
        ("no ports except 443", "HTTPS", ["TCP 443"]),  # "except" names the one in use
        ("3389 (vendor remote access, disabled by default)", "RDP", ["TCP 3389"]),  # off until enabled: in use, optional
        ("22 disabled unless in service mode", "SSH", ["TCP 22"]),
        ("443 (server), 1024-65535 (client source ports)", "HTTPS", ["TCP 443"]),  # a source port is no rule's port
        ("source port 5000, destination port 443", "HTTPS", ["TCP 443"]),
        ("ephemeral 49152-65535 to 443", "HTTPS", ["TCP 443"]),
        ("TCP 443.", None, ["TCP 443"]),  # a sentence's full stop is no decimal point
        (None, "HTTPS on port 8443.", ["TCP 8443"]),
        # unchanged readings
        ("443 or 8443", "HTTPS", ["TCP 443", "TCP 8443"]),
        ("1812/udp (RadSec 2083/tcp)", "RADIUS", ["UDP 1812", "TCP 2083"]),
        ("UDP 161-162", None, ["UDP 161-162"]),
        ("port 443/TCP", None, ["TCP 443"]),
        ("TCP/443", None, ["TCP 443"]),
        (None, "HTTP/2", []),
        (None, "TLS 1.2, RFC 5425, HL7 v2.6", []),
        ("HL7 2", None, []),  # a version
    ],
)
def test_ports_are_read_as_stated(port: str | None, protocol: str | None, ports: list[str]) -> None:
    assert [str(p) for p in parse_ports(port, protocol)] == ports


def _guide(port: str | None, protocol: str = "HTTPS") -> tuple[list[list[str]], str]:
    m = base(
        elements=[Element(id="gw", name="Gateway", kind="software"), Element(id="srv", name="Update server", kind="software")],
        flows=[Flow(id="F-1", name="Sync", source="gw", target="srv", protocol=protocol, port=port)],
    )
    doc = build_guides(m)["deployment"]
    return [r for r in firewall_rows(doc) if r[-1].startswith("F-1")], text_of(doc)


def test_a_range_in_words_is_one_rule_port() -> None:
    rows, _ = _guide("from 5000 to 5010", "TCP")
    assert rows and {r[4] for r in rows} == {"TCP 5000-5010"}, rows


def test_a_port_the_model_excludes_is_not_opened_and_is_said_not_to_be() -> None:
    rows, text = _guide("443 only, never 80")
    assert rows and {r[4] for r in rows} == {"TCP 443"}, rows
    assert "F-1 Sync: the threat model says port 80 is not used (“443 only, never 80”); no rule opens it" in text


@pytest.mark.parametrize(
    ("name", "description", "optional", "said"),
    [
        ("De-identified log upload (optional)", "Off by default. Logs are stripped of identifiers.", True, "“Off by default.”"),
        ("Remote support", "Disabled by default; biomed turns it on for a session.", True, "“Disabled by default;"),
        ("Telemetry", "Opt-in only.", True, "“Opt-in only.”"),
        ("Order relay", "An optional keypad lock stops casual changes.", False, ""),  # optional speaks of the lock
        ("Order relay", "HL7 over MLLP; TLS when enabled by the hospital.", False, ""),  # the encryption, not the flow
        ("Event forwarding (not optional)", "", False, ""),
    ],
)
def test_a_flow_the_model_calls_optional_is_marked_so(name: str, description: str, optional: bool, said: str) -> None:
    m = base(
        elements=[Element(id="gw", name="Gateway", kind="software"), Element(id="srv", name="Update server", kind="software")],
        flows=[Flow(id="F-1", name=name, source="gw", target="srv", protocol="HTTPS", port="443/tcp", description=description)],
    )
    doc = build_guides(m)["deployment"]
    rows = [r for r in firewall_rows(doc) if r[-1].startswith("F-1")]
    assert rows and all(r[-1].endswith("(optional)") == optional for r in rows), rows
    text = text_of(doc)
    note = "The threat model says this connection is optional, so its rule is needed only where the hospital uses it: F-1"
    assert (note in text) == optional
    assert said in text


def test_a_protocol_keeps_the_alternative_the_port_column_lists() -> None:
    """The sample's RADIUS flow states "RADIUS (or RadSec, at the hospital's choice)" and "1812/udp (RadSec
    2083/tcp)": a row "RADIUS | UDP 1812, TCP 2083" read as RADIUS over TCP 2083."""
    rows, _ = _guide("1812/udp (RadSec 2083/tcp)", "RADIUS (or RadSec, at the hospital's choice)")
    # the two are alternatives at the hospital's choice: one port or the other, not both (was "UDP 1812, TCP 2083")
    rows, text = _guide("1812/udp (RadSec 2083/tcp)", "RADIUS (or RadSec, at the hospital's choice)")
    assert rows and {(r[3], r[4]) for r in rows} == {("RADIUS or RadSec", "UDP 1812 or TCP 2083")}, rows
    assert "F-1 Sync: the model gives alternatives (“RADIUS or RadSec”)" not in text  # asked with their protection
    # the infrastructure table says the same as the rules
    assert "| Network admission (802.1X / RADIUS) | UDP 1812 or TCP 2083 (F-1) |" in text
    assert (
        "F-1 Sync: which of RADIUS or RadSec does it use (the rules list UDP 1812 or TCP 2083: only the port of the one used "
        "is needed)? The model names RADIUS" in text
    )
    rows, text = _guide("443 (or 8443 if configured)", "HTTPS")
    assert {r[4] for r in rows} == {"TCP 443 or TCP 8443"}, rows
    assert "F-1 Sync: the model gives alternatives (“443 (or 8443 if configured)”): which does the site use?" in text
    rows, text = _guide("443, 8443", "HTTPS")  # both: no alternative
    assert {r[4] for r in rows} == {"TCP 443, TCP 8443"} and "alternatives" not in text
    rows, _ = _guide("443/tcp", "HTTPS over 802.11 (pump-initiated polling every 5 min)")
    assert {r[3] for r in rows} == {"HTTPS over 802.11"}  # a remark is still left out


@pytest.mark.parametrize(
    ("port", "description", "on_host"),
    [
        (None, "random port localhost", True),  # a real Threat Dragon model (cryptocurrency wallet, JSON RPC)
        ("5432/tcp (local to the server)", "", True),
        ("8080", "Bound to 127.0.0.1 only.", True),
        ("443", "Not over localhost: the app reaches the gateway across the ward LAN.", False),
        ("443", "Pushed to the gateway.", False),
    ],
)
def test_a_flow_the_model_keeps_on_one_host_gets_no_rule(port: str | None, description: str, on_host: bool) -> None:
    m = base(
        elements=[Element(id="gw", name="Gateway", kind="software"), Element(id="srv", name="Update server", kind="software")],
        flows=[Flow(id="F-1", name="JSON RPC", source="gw", target="srv", protocol="HTTP", port=port, description=description)],
    )
    doc = build_guides(m)["deployment"]
    rows = [r for r in firewall_rows(doc) if r[-1].startswith("F-1")]
    text = text_of(doc)
    assert (not rows) == on_host, rows
    assert ("On one host, as the threat model says (no network firewall sees it): F-1 Gateway → Update server (" in text) == on_host
    assert ("Which hospital network does Gateway use for F-1" in text) != on_host


def test_a_port_in_the_description_is_quoted_in_the_question_not_written_into_a_rule() -> None:
    m = base(
        elements=[Element(id="gw", name="Gateway", kind="software"), Element(id="srv", name="Update server", kind="software")],
        flows=[
            Flow(id="F-1", name="Sync", source="gw", target="srv", protocol="HTTPS", description="Listens on TCP port 8443. Daily."),
        ],
    )
    doc = build_guides(m)["deployment"]
    rows = [r for r in firewall_rows(doc) if r[-1].startswith("F-1")]
    assert rows and {r[4] for r in rows} == {"TCP, port not stated"}, rows  # HTTPS runs over TCP: only the port is open
    assert "Its description says “Listens on TCP port 8443”, but gives no port for the flow itself." in text_of(doc)


def test_a_flow_whose_every_port_is_ruled_out_gets_no_rule() -> None:
    rows, text = _guide("23 (disabled in production)", "Telnet")
    assert not rows
    assert "F-1 Sync: the threat model says port 23 is not used (“23 (disabled in production)”); no rule opens it." in text
    assert "is it network traffic" not in text  # the model says which port it would be: it is network traffic


def test_a_configurable_port_is_printed_so() -> None:
    rows, _ = _guide("TCP 104 (configurable)", "DICOM")
    assert rows and {r[4] for r in rows} == {"TCP 104 (configurable)"}, rows
    rows, _ = _guide("default 8080", "HTTP")
    assert {r[4] for r in rows} == {"TCP 8080 (configurable)"}, rows
    rows, _ = _guide("443/tcp", "HTTPS")
    assert {r[4] for r in rows} == {"TCP 443"}


def test_both_transports_named_are_asked_as_both() -> None:
    rows, text = _guide("TCP/UDP 104", "DICOM")
    assert {r[4] for r in rows} == {"104"}
    assert "F-1 Sync: the model names both TCP and UDP (“TCP/UDP 104”): does it use both, or which one?" in text


def test_a_vpn_protocol_is_encrypted_by_name() -> None:
    _, text = _guide("UDP 500, 4500", "IPsec IKEv2")
    assert "F-1 Sync: is the traffic encrypted" not in text
    # IPsec authenticates its ends by certificates or a pre-shared key: both are asked of, not certificates alone
    assert "the model names IPsec IKEv2 but not its IKE version or how the ends authenticate (certificates or a pre-shared key)" in text


def test_an_encrypted_protocol_named_only_by_the_flow_is_not_said_to_be_unstated() -> None:
    """The Threat Dragon wallet's "Websocket Secure" flow states no protocol: the guide said the model does not
    say whether it is encrypted, when its name says it is."""
    m = base(
        elements=[Element(id="bot", name="Trading Bot", kind="process"), Element(id="api", name="Exchange API", kind="process")],
        flows=[Flow(id="F-1", name="Websocket Secure", source="bot", target="api", port="443/tcp")],
    )
    text = text_of(build_guides(m)["deployment"])
    assert "F-1 Websocket Secure: is the traffic encrypted, and with what? The model does not say." not in text
    assert "F-1 Websocket Secure: its name names an encrypted protocol, but the model states neither the protocol nor" in text


def test_the_network_picture_marks_an_optional_connection() -> None:
    from mdptm.documents import netplan
    from mdptm.documents.guides import Facts

    m = base(
        elements=[Element(id="gw", name="Gateway", kind="software"), Element(id="srv", name="Update server", kind="software")],
        flows=[Flow(id="F-1", name="Log upload (optional)", source="gw", target="srv", protocol="HTTPS", port="443/tcp")],
    )
    f = Facts.of(m)
    picture = netplan.diagram_model(f, netplan.build(f))
    assert picture is not None and [fl.name for fl in picture.flows] == ["TCP 443 (optional)"]


def _questions(doc: object) -> list[str]:
    text = text_of(doc)  # type: ignore[arg-type]
    return [line for line in text.split("## Questions for the device maker before go-live", 1)[1].splitlines() if line[:1].isdigit()]


def test_a_number_where_a_port_goes_that_is_no_port_is_named_in_the_question() -> None:
    """A real Threat Dragon flow (cryptocurrency wallet) is named "TCP+SSL 500002 JSON RPC": 500002 is no port.
    The question quoted the name and asked for the port as if the model said nothing of one."""
    m = base(
        elements=[Element(id="w", name="wallet", kind="process"), Element(id="x", name="ElectrumX", kind="process")],
        flows=[Flow(id="F-1", name="TCP+SSL 500002 JSON RPC", source="w", target="x")],
    )
    doc = build_guides(m)["deployment"]
    asked = [q for q in _questions(doc) if "F-1" in q and "which port" in q]
    assert asked and "its name (“TCP+SSL 500002 JSON RPC”) gives 500002" in asked[0], asked
    assert "a port runs from 1 to 65535" in asked[0]
    assert not any("500002" in r[4] for r in firewall_rows(doc))
    # SSL names an encrypted protocol: the model is asked which, not whether the traffic is encrypted at all
    assert any("F-1" in q and "its name names an encrypted protocol" in q for q in _questions(doc))


def test_an_invalid_port_beside_a_valid_one_is_asked_about() -> None:
    rows, text = _guide("443, 70000")
    assert rows and {r[4] for r in rows} == {"TCP 443"}, rows
    assert "F-1 Sync: The model writes a number where a port goes that is no port number" in text
    assert "its port (“443, 70000”) gives 70000" in text


@pytest.mark.parametrize("text", ["TLS 1.2", "HL7 v2.6", "every 300 s", "Sync 2024"])
def test_a_number_that_is_no_port_mark_is_not_called_an_invalid_port(text: str) -> None:
    from mdptm.model.topology import invalid_ports

    assert invalid_ports(None, text) == []


@pytest.mark.parametrize(
    ("port", "ports"),
    [
        ("443 to 8443", ["TCP 443 (not confirmed)", "TCP 8443 (not confirmed)"]),  # not 8001 ports
        ("80 to 8080/tcp", ["TCP 80 (not confirmed)", "TCP 8080 (not confirmed)"]),
        ("5000 to 5010", ["TCP 5000-5010"]),  # a range within the registered ports stays a range
        ("161 to 162", ["TCP 161-162"]),
        ("redirect from 80 to 443", ["TCP 80", "TCP 443"]),  # a redirect word settles it
    ],
)
def test_to_between_a_well_known_and_a_registered_port_is_not_read_as_a_range(port: str, ports: list[str]) -> None:
    """ "443 to 8443" without a redirect word was read as the range 443-8443: a rule opening 8001 ports where the
    model most likely means 443 sent on to 8443. The narrower reading is ruled, not confirmed, and asked."""
    assert [str(p) for p in parse_ports(port, "HTTPS")] == ports


def test_an_ambiguous_to_is_asked_about() -> None:
    rows, text = _guide("443 to 8443")
    assert {r[4] for r in rows} == {"TCP 443 (not confirmed), TCP 8443 (not confirmed)"}, rows
    assert (
        "F-1 Sync: the model writes “443 to 8443”: a range of ports (443-8443), or port 443 sent on (redirected, mapped) to 8443? "
        "The rules list 443 and 8443 alone, not confirmed." in text
    )
    assert "443-8443" not in " ".join(r[4] for r in rows)


@pytest.mark.parametrize(
    ("name", "protocol", "asked"),
    [
        ("gRPC OTEL", "RPC or DCOM", True),  # a real TMT model: the RPC stencil drawn for gRPC
        ("Syslog export", "SNMP", True),
        ("LDAP Credential Check Traffic", "ldaps", False),  # a protocol and its secured form agree
        ("HTTP API", "HTTPS", False),
        ("HTTPS", "HTTPS", False),
        ("Cloud API", "HTTPS", False),  # generic words name no protocol
        ("MySQL replication", "TCP", False),  # a transport is no other protocol
    ],
)
def test_a_flow_named_for_another_protocol_than_its_protocol_is_asked_which(name: str, protocol: str, asked: bool) -> None:
    """The rule's protocol column gives the protocol field: for "gRPC OTEL" drawn as "RPC or DCOM" an engineer
    reading "DCOM" opens the endpoint mapper and dynamic RPC ports. The guide asks which it is."""
    m = base(
        elements=[Element(id="gw", name="Gateway", kind="software"), Element(id="srv", name="Dashboard", kind="software")],
        flows=[Flow(id="F-1", name=name, source="gw", target="srv", protocol=protocol, port="443")],
    )
    questions = [q for q in _questions(build_guides(m)["deployment"]) if "which protocol does it use, on which port?" in q]
    assert bool(questions) == asked, questions
    if asked:
        assert f"its protocol “{protocol}”" in questions[0]


@pytest.mark.parametrize(
    ("protocol", "on_host"),
    [("ALPC", True), ("IOCTL Interface", True), ("Unix domain socket", True), ("Shared memory", True), ("Named Pipe", False)],
)
def test_a_local_ipc_channel_is_on_one_host(protocol: str, on_host: bool) -> None:
    """TMT draws ALPC and IOCTL flows (its stencils) between a process and a driver or service on one machine: the
    guide asked which hospital network each end uses and whether it was network traffic. A named pipe may be
    served over SMB from another host, so it is not read so."""
    m = base(
        elements=[Element(id="ui", name="Console", kind="process"), Element(id="svc", name="Pump service", kind="process")],
        flows=[Flow(id="F-1", name="Commands", source="ui", target="svc", protocol=protocol)],
    )
    text = text_of(build_guides(m)["deployment"])
    assert ("On one host, as the threat model says (no network firewall sees it): F-1 Console → Pump service" in text) == on_host
    assert ("F-1 Commands (between Console and Pump service): is it network traffic" in text) != on_host


@pytest.mark.parametrize(
    ("protocol", "clear"),
    [("HTTP", True), ("ldap", True), ("HL7 over MLLP", True), ("HL7 over MLLP with TLS", False), ("HTTPS", False), ("DICOM", False)],
)
def test_a_cleartext_protocol_is_not_said_to_state_nothing_of_encryption(protocol: str, clear: bool) -> None:
    """Threagile's "Auth Traffic" over ldap and SvelteKit's HTTP flows: the guide said "is the traffic encrypted,
    and with what? The model does not say", though the protocol it names carries data in clear."""
    rows, text = _guide("8080", protocol)
    asked = f"F-1 Sync: the model names {protocol}, which carries data in clear, and says nothing else of encryption"
    assert (asked in text) == clear
    # DICOM is asked its own question (whether it is set up for TLS), not the generic one
    assert "F-1 Sync: is the traffic encrypted, and with what? The model does not say." not in text


@pytest.mark.parametrize(
    ("port", "protocol", "ports"),
    [
        ("443", "HTTPS", ["TCP 443"]),  # HTTP/1.1 and HTTP/2 over TLS: TCP
        ("443", "HTTP/3", ["UDP 443"]),  # HTTP/3 runs over QUIC, which is UDP, though it says HTTP
        ("443", "HTTPS (QUIC)", ["UDP 443"]),
        ("443/tcp", "HTTP/3", ["TCP 443"]),  # the transport written wins
        ("443", "HTTPS (HTTP/2 or HTTP/3)", ["UDP 443", "TCP 443"]),  # both forms named: both transports
        ("22", "SSH", ["TCP 22"]),
        ("636", "LDAPS", ["TCP 636"]),
        ("2575", "HL7 v2 over MLLP", ["TCP 2575"]),
        ("104", "DICOM", ["TCP 104"]),
        ("445", "SMB", ["TCP 445"]),
        ("123", "NTP", ["UDP 123"]),
        ("161", "SNMPv3", ["UDP 161"]),
        ("53", "DNS", ["UDP 53", "TCP 53"]),  # DNS uses both: a rule for each
        ("88", "Kerberos", ["UDP 88", "TCP 88"]),
        ("853", "DNS over TLS", ["TCP 853"]),  # the carrier names the transport
        ("53", "DNS (UDP)", ["UDP 53"]),  # the transport written is the model's
        ("UDP 514/TCP 6514", "Syslog", ["UDP 514", "TCP 6514"]),  # "/TCP" opens the next port, it is not 514's
        ("TCP 443 and UDP 443", "HTTPS", ["TCP 443", "UDP 443"]),  # one number on two transports: two ports
        ("UDP 514 / TCP 6514", "Syslog", ["UDP 514", "TCP 6514"]),
        ("88", "LDAPS / Kerberos", ["UDP 88", "TCP 88"]),  # named beside another protocol, not carried in it
        ("514", "Syslog", ["514"]),  # either, as set up: asked
    ],
)
def test_a_protocol_of_known_transport_names_it(port: str, protocol: str, ports: list[str]) -> None:
    assert [str(p) for p in parse_ports(port, protocol)] == ports


@pytest.mark.parametrize(
    ("protocol", "column", "question"),
    [
        ("HTTPS", "TCP, port not stated", "which port does it use? (HTTPS runs over TCP; the rules say TCP and leave the port open.)"),
        ("ssh", "TCP, port not stated", "which port does it use? (ssh runs over TCP;"),
        ("ldaps", "TCP, port not stated", "which port does it use? (ldaps runs over TCP;"),
        ("HL7 over MLLP", "TCP, port not stated", "which port does it use? (HL7 over MLLP runs over TCP;"),
        ("NTP", "UDP, port not stated", "which port does it use? (NTP runs over UDP;"),
        ("HTTP/3", "UDP, port not stated", "which port does it use? (HTTP/3 runs over UDP;"),
        ("DNS", "UDP and TCP, port not stated", "which port does it use? (DNS needs UDP and TCP;"),
        ("LDAPS / Kerberos", "UDP and TCP, port not stated", "which port does it use? (LDAPS / Kerberos needs UDP and TCP;"),
        ("Syslog", "not stated", "which port and transport (TCP or UDP) does it use? (It names syslog, which runs over UDP or TCP"),
        ("OPC UA", "not stated", "which port and transport (TCP or UDP) does it use?"),
    ],
)
def test_a_flow_of_no_port_is_asked_its_transport_only_where_the_protocol_leaves_it_open(protocol: str, column: str, question: str) -> None:
    """A real Threagile model: "df-customer-traffic Customer Traffic (https, …): which port and transport (TCP or UDP)
    does it use?": an engineer is told the model leaves open what HTTPS fixes (TCP)."""
    rows, text = _guide(None, protocol)
    assert rows and {r[4] for r in rows} == {column}, rows
    assert f"F-1 Sync ({protocol}, between Gateway and Update server): {question}" in text
    if column != "not stated":
        assert "TCP or UDP" not in text


def test_a_port_of_no_transport_is_asked_only_where_the_protocol_leaves_it_open() -> None:
    _, text = _guide("443", "HTTPS")
    assert "TCP or UDP" not in text
    _, text = _guide("514", "Syslog")
    assert "F-1 Sync: is port 514 TCP or UDP? (It names syslog, which runs over UDP or TCP, as set up.)" in text


@pytest.mark.parametrize(
    ("name", "column", "question"),
    [
        # real Threat Dragon flows of no protocol (the cryptocurrency wallet): the name says the transport
        ("TCP+SSL 500002 JSON RPC", "TCP, port not stated", "which port does it use? (its name, “TCP+SSL 500002 JSON RPC”, implies TCP"),
        ("Websocket Secure", "TCP, port not stated", "which port does it use? (its name, “Websocket Secure”, implies TCP"),
        ("Telemetry over QUIC", "UDP, port not stated", "which port does it use? (its name, “Telemetry over QUIC”, implies UDP"),
    ],
)
def test_a_flow_of_no_protocol_takes_its_transport_from_its_name(name: str, column: str, question: str) -> None:
    m = base(
        elements=[Element(id="gw", name="Gateway", kind="software"), Element(id="srv", name="Update server", kind="software")],
        flows=[Flow(id="F-1", name=name, source="gw", target="srv")],
    )
    doc = build_guides(m)["deployment"]
    rows = [r for r in firewall_rows(doc) if r[-1].startswith("F-1")]
    assert rows and {r[4] for r in rows} == {column}, rows
    assert f"F-1 {name} (not stated, between Gateway and Update server): {question}" in text_of(doc)


def test_an_infrastructure_flow_of_no_port_says_its_transport() -> None:
    """Threagile's LDAP flows (ldaps, no port): the infrastructure table said "port not stated" where the rules say TCP."""
    m = base(
        elements=[Element(id="gw", name="Gateway", kind="software"), Element(id="dir", name="Directory", kind="software")],
        flows=[Flow(id="F-1", name="User lookup", source="gw", target="dir", protocol="ldaps")],
    )
    text = text_of(build_guides(m)["deployment"])
    assert "| Directory (LDAP / Active Directory) | TCP, port not stated (F-1) |" in text


@pytest.mark.parametrize(
    ("protocol", "port", "asked"),
    [
        ("IPsec IKEv2", "UDP 500, 4500", "IPsec carries its data in ESP (IP protocol 50) unless NAT traversal puts it in UDP 4500"),
        ("FTP", "21", "FTP opens a second connection for its data"),
        ("SIP", "5060", "SIP sets up its media (RTP) on ports the two ends agree at run time"),
        ("DCOM", "135", "DCOM and MS-RPC start on TCP 135 and move to a port the server assigns"),
        ("DHCP", "67", "DHCP starts by broadcast (UDP 67 and 68), which reaches a server on another segment only through a relay"),
        ("SFTP", "22", None),  # one connection: nothing more to open
        ("HTTPS", "443", None),
    ],
)
def test_a_protocol_that_needs_more_than_its_port_is_asked_about_the_rest(protocol: str, port: str, asked: str | None) -> None:
    """An engineer opening "UDP 500, UDP 4500" for an IPsec tunnel, or TCP 21 for FTP, finds the data blocked: the
    protocol opens more than the port the rule names."""
    _, text = _guide(port, protocol)
    if asked is None:
        assert "more than" not in text and "second connection" not in text and "ESP" not in text
    else:
        assert f"F-1 Sync: {asked}" in text


@pytest.mark.parametrize(
    ("protocol", "column"),
    [("ICMP echo", "ICMP (no port)"), ("GRE", "IP protocol 47, GRE (no port)"), ("ICMPv6", "ICMPv6 (no port)")],
)
def test_an_ip_protocol_of_no_port_is_ruled_by_the_protocol(protocol: str, column: str) -> None:
    """A heartbeat over ICMP was asked whether it is network traffic or a USB link, and would be asked its port."""
    rows, text = _guide(None, protocol)
    assert rows and {r[4] for r in rows} == {column}, rows
    assert "is it network traffic" not in text and "which port" not in text


def test_ssh_is_asked_about_its_host_keys_not_certificates() -> None:
    """Threagile's ssh flows were asked "how certificates are checked": SSH checks host keys."""
    _, text = _guide("22", "ssh")
    assert "F-1 Sync: the model names ssh but not its version or how host keys are checked: which are they?" in text
    _, text = _guide("443", "HTTPS")
    assert "F-1 Sync: the model names HTTPS but not its version or how certificates are checked: which are they?" in text


def test_a_port_the_flow_name_gives_is_quoted_in_the_question_not_ruled() -> None:
    m = base(
        elements=[Element(id="gw", name="Gateway", kind="software"), Element(id="srv", name="Update server", kind="software")],
        flows=[
            Flow(id="F-1", name="HTTPS 8443 API", source="gw", target="srv", protocol="HTTPS"),
            Flow(id="F-2", name="TLS 12 sync", source="gw", target="srv", protocol="HTTPS"),
        ],
    )
    doc = build_guides(m)["deployment"]
    assert {r[4] for r in firewall_rows(doc) if r[-1].startswith("F-1")} == {"TCP, port not stated"}
    text = text_of(doc)
    assert "Its name gives 8443 (“HTTPS 8443 API”), but the model states no port for it." in text
    assert "Its name gives 12" not in text  # a version, not a port


def test_dhcp_between_two_segments_is_relayed_not_ruled_from_the_device() -> None:
    """An infusion gateway on the device VLAN takes its address from the hospital's DHCP server on another LAN: the
    guide wrote a rule from the gateway to the server's UDP 67, which no packet uses (the gateway's request is a
    broadcast; the router's relay sends it on from its own address)."""
    from mdptm.model import TrustZone

    m = base(
        trust_zones=[TrustZone(id="zd", name="Device VLAN", kind="network"), TrustZone(id="zc", name="Clinical LAN", kind="network")],
        elements=[
            Element(id="gw", name="Gateway", kind="device", trust_zone="zd"),
            Element(id="dhcp", name="Hospital DHCP server", kind="external_entity", trust_zone="zc"),
        ],
        flows=[Flow(id="F-10", name="Address assignment", source="gw", target="dhcp", protocol="DHCP", port="67/udp")],
    )
    doc = build_guides(m)["deployment"]
    assert not [r for r in firewall_rows(doc) if r[-1].startswith("F-10")]
    text = text_of(doc)
    assert "Allow UDP 67 between the relay and the DHCP server, both ways: F-10 Gateway (Device VLAN) → Hospital DHCP server" in text


def test_the_network_picture_draws_one_arrow_per_opener_with_all_its_ports() -> None:
    """An infusion gateway's web UI (HTTPS 443 and an HTTP 80 redirect from the browser) and its mDNS announcement to the
    browser were three arrows between one pair, which the picture drew as one double-headed "3 flows": no port shown,
    and the gateway seemed to open connections to the browser. DHCP through a relay was drawn as a direct connection."""
    from mdptm.documents import netplan
    from mdptm.documents.guides import Facts
    from mdptm.model import TrustZone

    m = base(
        trust_zones=[TrustZone(id="zd", name="Device VLAN", kind="network"), TrustZone(id="zc", name="Clinical LAN", kind="network")],
        elements=[
            Element(id="gw", name="Gateway", kind="device", trust_zone="zd"),
            Element(id="ws", name="Workstation browser", kind="external_entity", trust_zone="zc"),
            Element(id="dhcp", name="Hospital DHCP server", kind="external_entity", trust_zone="zc"),
        ],
        flows=[
            Flow(id="F-4", name="Local web UI", source="ws", target="gw", protocol="HTTPS", port="443/tcp"),
            Flow(id="F-5", name="Web UI redirect", source="ws", target="gw", protocol="HTTP", port="80"),
            Flow(id="F-7", name="Web UI announcement", source="gw", target="ws", protocol="mDNS", port="5353/udp"),
            Flow(id="F-10", name="Address assignment", source="gw", target="dhcp", protocol="DHCP", port="67/udp"),
        ],
    )
    f = Facts.of(m)
    picture = netplan.diagram_model(f, netplan.build(f))
    assert picture is not None
    arrows = {(fl.source, fl.target, fl.name, fl.bidirectional) for fl in picture.flows}
    assert arrows == {
        ("ws", "gw", "TCP 443, TCP 80", False),
        ("gw", "ws", "broadcast or multicast (one subnet)", False),
        ("gw", "dhcp", "UDP 67 (relay)", False),
    }, arrows


def test_a_flow_within_one_segment_is_not_asked_its_port_for_a_rule() -> None:
    """Threagile's "Git Repo Code Read Access" stays within the Dev Network (no rule between segments), yet was asked
    "which port does it use? (ssh runs over TCP; the rules say TCP and leave the port open.)": no rule names it."""
    from mdptm.model import TrustZone

    m = base(
        trust_zones=[TrustZone(id="z", name="Dev Network", kind="network"), TrustZone(id="o", name="Ops Network", kind="network")],
        elements=[
            Element(id="ci", name="Build server", kind="software", trust_zone="z"),
            Element(id="git", name="Git repository", kind="software", trust_zone="z"),
            Element(id="web", name="Web server", kind="software", trust_zone="o"),
        ],
        flows=[
            Flow(id="F-1", name="Code read", source="ci", target="git", protocol="ssh"),
            Flow(id="F-2", name="Deployment", source="ci", target="web", protocol="ssh"),
        ],
    )
    text = text_of(build_guides(m)["deployment"])
    assert "Within one segment (no rule between segments): F-1 Build server → Git repository (TCP, port not stated)." in text
    assert "F-1 Code read (ssh, between Build server and Git repository): which port" not in text
    assert "F-2 Deployment (ssh, between Build server and Web server): which port does it use?" in text


@pytest.mark.parametrize(
    ("description", "asked"),
    [
        ("", True),
        ("Answers at updates.maker-cloud.com.", False),
        ("Reached at 203.0.113.0/24.", False),
        ("Publishes signed firmware packages.", True),
    ],
)
def test_an_outside_end_a_rule_names_is_asked_its_addresses(description: str, asked: bool) -> None:
    """The sample's rules to the Meridian update service name a cloud service, not an address: an engineer can only
    allow TCP 443 to any internet address, and no question asked for the host names."""
    from mdptm.model import TrustZone

    m = base(
        trust_zones=[TrustZone(id="zd", name="Device VLAN", kind="network"), TrustZone(id="zc", name="Maker cloud", kind="cloud")],
        elements=[
            Element(id="srv", name="Device server", kind="software", trust_zone="zd"),
            Element(id="upd", name="Update service", kind="cloud_service", trust_zone="zc", description=description),
        ],
        flows=[Flow(id="F-10", name="Updates", source="srv", target="upd", protocol="HTTPS", port="443/tcp")],
    )
    text = text_of(build_guides(m)["deployment"])
    question = (
        "Which host names or addresses does Update service use (F-10)? The rules name it, not its addresses: without them a "
        "rule can only allow any internet address as the other end."
    )
    assert (question in text) == asked
