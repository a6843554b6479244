"""A person is not a network endpoint. A Threat Dragon actor "User" (an external entity named as a person)
with an HTTP flow to a browser must not get a firewall rule as if it were a host; the deployment guide says
no rule can be written for a person and names what the hospital must decide. An external entity that is a
system ("User directory", "Cloud API") keeps its rules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mdptm.documents.guides import build_guides
from mdptm.model import Element, Flow
from mdptm.model.topology import is_person
from mdptm.pipeline.build import build
from tests.conftest import CORPUS
from tests.documents.test_guides_readers import base, firewall_rows, text_of

CORPUS_TD = CORPUS / "threatdragon" / "td-v2-iot-device.json"


def iot_device_project(tmp_path: Path) -> Path:
    """A project folder holding the corpus Threat Dragon IoT device model and the facts a build needs."""
    root = tmp_path / "proj"
    root.mkdir()
    shutil.copy(CORPUS_TD, root / CORPUS_TD.name)
    (root / "mdptm.yaml").write_text(
        f"sources: [{CORPUS_TD.name}]\nproduct: {{manufacturer: Example Maker, version: '1.0', regulatory: {{cra_scope: in_scope}}}}\n"
        "document: {version: '1.0', date: '2026-01-01'}\n",
        encoding="utf-8",
    )
    return root


def _model():  # type: ignore[no-untyped-def]
    return base(
        elements=[
            Element(id="u", name="User", kind="external_entity"),
            Element(id="adm", name="Generic /\nPrivilege user", kind="external_entity"),
            Element(id="br", name="Browser", kind="process"),
            Element(id="web", name="Web server", kind="process"),
            Element(id="dir", name="User directory", kind="external_entity"),
        ],
        flows=[
            Flow(id="df-user-to-browser", name="User to Browser", source="u", target="br", protocol="HTTP"),
            Flow(id="df-admin", name="Admin console", source="adm", target="web", protocol="HTTPS"),
            Flow(id="df-web", name="Page request", source="br", target="web", protocol="HTTPS", port="443/tcp"),
            Flow(id="df-ldap", name="Directory lookup", source="web", target="dir", protocol="LDAPS", port="636/tcp"),
        ],
    )


@pytest.mark.parametrize(
    ("name", "person"),
    [
        ("User", True),
        ("Generic /\nPrivilege user", True),
        ("Clinician (nurse)", True),
        ("Biomed technician", True),
        ("Attacker", True),
        ("User directory", False),
        ("Cloud API", False),
        ("Blockchain", False),
        ("Patient monitor", False),
        ("Device manager", False),
    ],
)
def test_who_is_a_person(name: str, person: bool) -> None:
    assert is_person(Element(id="x", name=name, kind="external_entity")) is person
    assert not is_person(Element(id="x", name=name, kind="process"))  # only external entities are read so


def test_no_firewall_rule_names_a_person() -> None:
    doc = build_guides(_model())["deployment"]
    rows = firewall_rows(doc)
    ends = {r[1] for r in rows} | {r[2].split(" (")[0] for r in rows}
    assert "User" not in ends and "Generic /\nPrivilege user" not in ends and "Generic / Privilege user" not in ends
    flows = {r[-1].rstrip(" *") for r in rows}
    assert flows == {"df-web", "df-ldap"}  # the systems keep their rules, the directory too
    text = text_of(doc)
    assert "A person is not a network endpoint, so no firewall rule is written for a flow with a person at one end." in text
    assert (
        "df-user-to-browser (User to Browser over HTTP): the hospital decides from which workstations or devices User "
        "may reach Browser" in text
    )
    # no question treats the person as a host (which network it uses, which end opens the connection)
    assert "Which hospital network does User use" not in text
    assert "The rules assume User" not in text
    assert "User is a person; from which device does User reach Browser" in text


def test_a_flow_sent_to_a_person_says_what_the_person_receives() -> None:
    """A flow drawn from a system to a person ("Aircraft position → User") says the system sends and the
    person receives: never that the person "may reach" the system, nor which end opens a connection."""
    m = _model()
    m.elements.append(Element(id="pos", name="Aircraft position", kind="process"))
    m.flows.append(Flow(id="df-pos", name="Position update", source="pos", target="u", protocol="HTTPS"))
    text = text_of(build_guides(m)["deployment"])
    assert "User may reach Aircraft position" not in text and "does User reach Aircraft position" not in text
    assert (
        "df-pos (Aircraft position to User over HTTPS): Aircraft position sends to User; the hospital decides on which "
        "workstations or devices User receives it" in text
    )
    assert "the threat model does not say which end opens the connection" in text
    assert (
        "df-pos Position update: User is a person; on which device does User receive what Aircraft position sends "
        "(a hospital workstation, a phone, the device's own screen), over HTTPS, and if over the network, which end "
        "opens the connection and which port does it use?" in text
    )
    # a flow drawn from the person still reads as the person reaching the system
    assert "df-user-to-browser (User to Browser over HTTP): the hospital decides from which workstations or devices" in text


def test_a_person_with_no_protocol_is_not_asked_about_usb_or_bluetooth() -> None:
    m = _model()
    m.flows[0].protocol = None
    text = text_of(build_guides(m)["deployment"])
    assert "User to Browser (between User and Browser): is it network traffic" not in text
    assert "df-user-to-browser (User to Browser): the hospital decides" in text


@pytest.mark.skipif(not CORPUS_TD.exists(), reason="shared corpus not present")
def test_threat_dragon_iot_device_user_gets_no_rule(tmp_path: Path) -> None:
    root = iot_device_project(tmp_path)
    out = tmp_path / "out"
    result = build(root, out, draft=True)
    assert result.exit_code in (0, 1), result.warnings
    guide = (out / "guides" / "deployment.md").read_text(encoding="utf-8")
    rules = [line for line in guide.splitlines() if line.startswith(("| out |", "| in |"))]
    assert rules and not any("| User |" in line or "| User (" in line for line in rules), rules
    assert "df-user-to-browser (User to Browser over HTTP): the hospital decides" in guide
    assert any("df-https-d4ac0618" in line for line in rules)  # Browser to Web site keeps its rule


def test_an_app_opens_its_connection_whichever_way_the_data_is_drawn() -> None:
    """The sample's FHIR flow is drawn from the gateway to the tablet app (the way the data goes); the app
    fetches it. An assumed rule letting the gateway open TCP 443 to the tablet would be configured wrongly."""
    m = base(
        elements=[
            Element(id="gw", name="Interoperability gateway (HL7 v2 / FHIR)", kind="software"),
            Element(id="tab", name="Clinician app (hospital tablet)", kind="mobile_app"),
            Element(id="emr", name="Hospital EMR", kind="external_entity"),
        ],
        flows=[
            Flow(id="F-07", name="Unit infusion status", source="gw", target="tab", protocol="FHIR over HTTPS", port="443/tcp"),
            Flow(id="F-05", name="Results", source="gw", target="emr", protocol="HL7 over MLLP", port="2575/tcp"),
        ],
    )
    rows = firewall_rows(build_guides(m)["deployment"])
    f07 = {(r[0], r[1]) for r in rows if r[-1].startswith("F-07")}
    assert f07 == {("out", "Clinician app (hospital tablet)"), ("in", "Interoperability gateway (HL7 v2 / FHIR)")}
    assert all(not r[-1].endswith("*") for r in rows if r[-1].startswith("F-07"))  # not a guess: an app is a client
    # no client: not decided (HL7 over MLLP, which either end may open, gets no direction)
    assert any(r[-1] == "F-05" and r[0] == "?" and r[1].startswith("Interoperability") for r in rows)


def test_a_broadcast_drawn_to_an_app_is_not_read_as_opened_by_the_app() -> None:
    """Threat Dragon IoT device: "Broadcast" (UPnP) from the IoT device to the mobile app. An app opens the
    connections it requests; a discovery broadcast the device sends is none, so the guide must not write an
    unmarked rule letting the app open it. Being discovery by broadcast, it gets no unicast rule at all: it is
    listed as the device's broadcast to the app (test_guides_multicast.py)."""
    m = base(
        elements=[
            Element(id="dev", name="IoT Device", kind="device"),
            Element(id="app", name="Mobile App", kind="mobile_app"),
        ],
        flows=[Flow(id="df-broadcast", name="Broadcast", source="dev", target="app", protocol="UPnP")],
    )
    doc = build_guides(m)["deployment"]
    rows = [r for r in firewall_rows(doc) if r[-1].startswith("df-broadcast")]
    assert not rows, rows
    assert "df-broadcast Broadcast: IoT Device → Mobile App (UPnP)" in text_of(doc)
    assert "Mobile App → IoT Device" not in text_of(doc)


@pytest.mark.skipif(not CORPUS_TD.exists(), reason="shared corpus not present")
def test_corpus_iot_broadcast_rule_is_marked(tmp_path: Path) -> None:
    root = iot_device_project(tmp_path)
    out = tmp_path / "out"
    result = build(root, out, draft=True)
    assert result.exit_code in (0, 1), result.warnings
    guide = (out / "guides" / "deployment.md").read_text(encoding="utf-8")
    rows = [line for line in guide.splitlines() if "df-broadcast" in line and line.startswith(("| out |", "| in |"))]
    assert not rows, rows  # discovery by broadcast: one subnet, no unicast rule
    assert "- df-broadcast Broadcast: IoT Device → Mobile App (UPnP); SSDP (UPnP discovery) uses the group" in guide


def test_an_attackers_flow_is_an_attack_path_not_traffic_to_allow() -> None:
    m = base(
        elements=[Element(id="att", name="Attacker", kind="external_entity"), Element(id="api", name="Cloud API", kind="process")],
        flows=[Flow(id="F-A", name="Credential stuffing", source="att", target="api", protocol="HTTPS")],
    )
    doc = build_guides(m)["deployment"]
    assert not firewall_rows(doc)
    text = text_of(doc)
    assert "F-A (Attacker to Cloud API over HTTPS): Attacker is an attacker; the flow is an attack path" in text
    assert "may reach Cloud API" not in text and "from which device does Attacker" not in text


@pytest.mark.parametrize(
    ("port", "protocol", "rule_port", "asked"),
    [
        ("443 or 8443", "HTTPS", "TCP 443 or TCP 8443", None),  # "or" was read as a version mark ("FHIR R4"); one of the two
        ("see table 4", "HTTPS", "TCP, port not stated", "which port does it use? (HTTPS runs over TCP;"),  # a reference, not port 4
        (">1024", "TCP", "TCP, port not stated", "which port does it use? (the rules say TCP"),  # a bound, not port 1024
        ("443 (to be confirmed)", "HTTPS", "TCP 443 (not confirmed)", "only tentatively ('443 (to be confirmed)')"),
        ("443?", "HTTPS", "TCP, port not stated", "which port does it use?"),  # a port field that only asks states none
        ("5000-5010", "TCP/UDP", "5000-5010", "is port 5000-5010 TCP or UDP?"),  # both named: not UDP alone
    ],
)
def test_firewall_ports_are_what_the_model_states(port: str, protocol: str, rule_port: str, asked: str | None) -> None:
    m = base(
        elements=[Element(id="gw", name="Gateway", kind="software"), Element(id="srv", name="Update server", kind="software")],
        flows=[Flow(id="F-1", name="Sync", source="gw", target="srv", protocol=protocol, port=port)],
    )
    doc = build_guides(m)["deployment"]
    rows = [r for r in firewall_rows(doc) if r[-1].startswith("F-1")]
    assert rows and {r[4] for r in rows} == {rule_port}, rows
    if asked is not None:
        assert asked in text_of(doc)


def test_a_flow_towards_a_person_keeps_its_direction() -> None:
    """A real Threat Dragon model (SRS-Group-2/airspace-monitoring) draws "Position" from the service to the
    User and "Invoices" from the server to the customer; the guide wrote them "User to Aircraft position",
    turning the flow around."""
    m = base(
        elements=[
            Element(id="u", name="User", kind="external_entity"),
            Element(id="pos", name="Aircraft position", kind="process"),
        ],
        flows=[
            Flow(id="df-position-subscription", name="Position subscription", source="u", target="pos", protocol="ws/wss"),
            Flow(id="df-position", name="Position", source="pos", target="u", protocol="ws/wss"),
        ],
    )
    text = text_of(build_guides(m)["deployment"])
    assert "df-position-subscription (User to Aircraft position over " in text
    assert "df-position (Aircraft position to User over " in text
    assert "df-position (User to Aircraft position" not in text


@pytest.mark.parametrize(
    ("name", "person"),
    [
        ("Clinician at the bedside", True),  # the sample's keypad user: "bedside" is where, not who
        ("Technician on site", True),
        ("Nurse (ward 3) at the nurses' station", True),
        ("Patient monitor at the bedside", False),
        ("User directory", False),
        ("Data from the user", False),
    ],
)
def test_a_person_is_named_by_the_head_of_the_name(name: str, person: bool) -> None:
    assert is_person(Element(id="x", name=name, kind="external_entity")) == person


def test_a_person_at_a_keypad_is_a_local_link_not_a_workstation_to_place() -> None:
    m = base(
        elements=[
            Element(id="c", name="Clinician at the bedside", kind="external_entity"),
            Element(id="p", name="Infusion pump", kind="device"),
        ],
        flows=[Flow(id="F-15", name="Keypad programming", source="c", target="p", protocol="Touchscreen and keypad")],
    )
    text = text_of(build_guides(m)["deployment"])
    assert "Not network traffic (local links, no firewall rule): F-15 Keypad programming." in text
    assert "workstations or devices" not in text


def test_a_person_at_a_keypad_is_not_counted_among_person_flows() -> None:
    m = base(
        elements=[
            Element(id="c", name="Clinician at the bedside", kind="external_entity"),
            Element(id="p", name="Infusion pump", kind="device"),
        ],
        flows=[Flow(id="F-15", name="Keypad programming", source="c", target="p", protocol="Touchscreen and keypad")],
    )
    text = text_of(build_guides(m)["pre-procurement"])
    assert "with a person at one end" not in text and "A person is at one end of these flows" not in text
