"""Guides a hospital engineer can act on: segments, firewall rules from who opens each connection, the
hospital's tasks, credentials that matter, contract wording. Checked on two different devices: the sample
infusion pump and a patient monitoring system written for these tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from mdptm.documents import netplan
from mdptm.documents.guides import Facts, build_guides
from mdptm.mapping.engine import map_model
from mdptm.model import Document, Element, Flow, Model, Product, TrustZone, topology
from mdptm.model.io import load
from mdptm.render import markdown as render_md
from mdptm.render.docir import Bullets, Doc, Heading, Table

DATA = Path(__file__).parent.parent / "data" / "guides"
SAMPLE_MODEL = Path(__file__).resolve().parent.parent.parent / "samples" / "infusion-pump" / "model.yaml"
WORD_LIMIT = 2400  # about four printed pages of guide, tables included (the sample, a large model, prints on five
# pages with or without the table of each ruled connection's encryption and authentication, about 170 words)


def monitor() -> Model:
    return Model.model_validate(yaml.safe_load((DATA / "monitor.yaml").read_text(encoding="utf-8")))


def sample() -> Model:
    if not SAMPLE_MODEL.is_file():
        pytest.skip("samples/infusion-pump is not in this checkout")
    return load(SAMPLE_MODEL)


def text_of(doc: Doc) -> str:
    """The Markdown as a reader sees it: the renderer's backslash escapes taken away."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", render_md.render(doc))


def rule_rows(doc: Doc) -> dict[str, list[list[str]]]:
    """Segment heading → its firewall rows."""
    out: dict[str, list[list[str]]] = {}
    current = ""
    for b in doc.blocks:
        if isinstance(b, Heading) and b.level == 2:
            current = b.text
        elif isinstance(b, Table) and b.header[0] == "Dir":
            out[current] = b.rows
    return out


def bullets_after(doc: Doc, heading: str) -> list[str]:
    start = doc.blocks.index(Heading(heading))
    return next(b for b in doc.blocks[start:] if isinstance(b, Bullets)).items


# ------------------------------------------------------------------------------------- reading


def test_ports_are_read_from_combined_text_and_never_from_versions() -> None:
    p = topology.parse_ports
    assert [str(x) for x in p(None, "HTTPS / TCP 443")] == ["TCP 443"]
    assert [str(x) for x in p("1812/udp (RadSec 2083/tcp)", "RADIUS")] == ["UDP 1812", "TCP 2083"]
    assert [str(x) for x in p("443/tcp", "HTTPS over 802.11 (polling every 5 min)")] == ["TCP 443"]
    assert [str(x) for x in p("UDP 7000-7010")] == ["UDP 7000-7010"]
    assert [str(x) for x in p("6514", "Syslog")] == ["6514"]  # transport not stated, not invented
    assert p("BLE") == [] and p("RJ-45 drop") == [] and p(None, "TLS 1.2, RFC 5425, HL7 v2.6") == []


def test_zone_kind_stated_or_inferred() -> None:
    assert topology.zone_kind(TrustZone(id="z", name="Lab", kind="network")) == topology.ZoneInfo("network", True)
    assert topology.zone_kind(TrustZone(id="z", name="Pump enclosure")).kind == "physical"
    assert topology.zone_kind(TrustZone(id="z", name="Medical device network")).kind == "network"
    assert topology.zone_kind(TrustZone(id="z", name="Patient body area")).kind == "on_body"
    assert topology.zone_kind(TrustZone(id="z", name="Manufacturer cloud")).kind == "vendor"
    assert topology.zone_kind(TrustZone(id="z", name="Zone B")).kind is None
    # a kind read from the description is said to be
    hosted = TrustZone(id="z", name="Zone B", description="Hosted in the maker's Azure tenancy.")
    assert topology.zone_kind(hosted) == topology.ZoneInfo("vendor", False, from_description=True)
    assert topology.zone_kind(TrustZone(id="z", name="Manufacturer cloud")).from_description is False


@pytest.mark.parametrize(
    ("description", "kind"),
    [
        # a real Threat Dragon model: the zone holds the servers; the internet is the side it separates them from
        ("Separates client (public internet) from server-side components.", None),
        ("Separates client (public internet) from the application servers", None),
        ("Hospital network, isolated from the internet by a firewall.", "network"),
        ("Servers between the hospital LAN and the internet.", None),
        ("Reachable from the internet.", None),
        ("Segment with no internet access.", "network"),
        ("Internet-facing web servers.", None),
        ("Not the maker's cloud: the ward's own VLAN.", "network"),
        ("Less exposed than the public network.", None),
        ("Unlike the cloud, a local subnet.", "network"),
        ("Connected to the cloud.", None),
        # what the zone is, still read
        ("This is the internet trust zone", "internet"),
        ("Isolated network for the pumps.", "network"),
        ("Hosted in Azure; reached from the ward.", "cloud"),
    ],
)
def test_zone_kind_reads_only_what_the_description_says_the_zone_is(description: str, kind: str | None) -> None:
    """Words about the other side of a zone's boundary ("separates … from the internet") never make the
    zone that other side: its servers would be given internet rules."""
    zone = TrustZone(id="z", name="Server-Side Trust Boundary", description=description)
    assert topology.zone_kind(zone).kind == kind


def test_a_zone_named_for_what_it_faces_is_not_that_side() -> None:
    """A name says what the zone is, not what it faces: "Internet-facing DMZ" is a network segment."""
    dmz = TrustZone(id="z", name="Internet-facing DMZ", tags=["public-facing"])
    assert topology.zone_kind(dmz).kind == "network"
    match = topology.location_matchers(topology.Locations(outside=["internet", "public"], hospital=["ward"]))
    web = Element(id="w", name="Web server", kind="process", trust_zone="z")
    assert topology.locate_basis(web, dmz, match, {}) == ("unknown", "none")
    assert topology.zone_kind(TrustZone(id="z", name="Internet")).kind == "internet"  # a name that is the side
    assert topology.locate_basis(web, TrustZone(id="z", name="Public internet"), match, {}) == ("outside", "zone")


def test_servers_in_a_zone_separated_from_the_internet_are_not_put_on_it() -> None:
    """The Threat Dragon model "WebApp Threat Model": one boundary box holds the web application and its
    database, described as separating the client on the public internet from them."""
    m = Model(
        product=Product(name="Web app", manufacturer="Maker"),
        document=Document(version="1.0"),
        trust_zones=[
            TrustZone(
                id="Z",
                name="Server-Side Trust Boundary",
                description="Separates client (public internet) from server-side components.",
            )
        ],
        elements=[
            Element(id="ui", name="User Interface", kind="external_entity"),
            Element(id="web", name="Web Application", kind="process", trust_zone="Z"),
            Element(id="db", name="Database", kind="data_store", trust_zone="Z"),
        ],
        flows=[
            Flow(id="F1", name="Web request", source="ui", target="web", protocol="HTTPS"),
            Flow(id="F2", name="Query", source="web", target="db", protocol="SQL"),
        ],
    )
    f = Facts.of(m)
    assert f.where("web") != "outside" and f.where("db") != "outside"
    text = text_of(build_guides(m)["deployment"])
    assert "internet" not in text.lower()


def test_who_opens_a_connection() -> None:
    m = monitor()
    f = Facts.of(m)
    plan = netplan.build(f)
    assert plan.opener["F-05"] == topology.Initiator("E-CS", "stated")  # the model says so
    # syslog to the hospital's log collector: the collector accepts, the sender opens (no longer an assumption)
    assert plan.opener["F-08"].basis == "kind" and plan.opener["F-08"].element == "E-CS"
    fl = Flow(id="X", name="Telemetry", source="E-RS", target="E-CS", protocol="HTTPS (outbound from the hospital)")
    assert topology.initiator(fl, f.elements, f.zones, f.where, None).element == "E-CS"
    fl = Flow(id="X", name="Firmware download", source="E-RS", target="E-CS", protocol="HTTPS")
    assert topology.initiator(fl, f.elements, f.zones, f.where, None) == topology.Initiator(
        "E-CS", "name", "the flow's name: Firmware download"
    )


# ---------------------------------------------------------------------------------- deployment


@pytest.mark.parametrize("which", ["monitor", "sample"])
def test_deployment_is_firewall_ready(which: str) -> None:
    m = monitor() if which == "monitor" else sample()
    f = Facts.of(m)
    plan = netplan.build(f)
    doc = build_guides(m)["deployment"]
    rules = rule_rows(doc)
    # only network zones are segments: physical and on-body zones never head a rule table
    physical = [z.name for z in m.trust_zones if topology.zone_kind(z).kind in ("physical", "on_body")]
    assert physical and not set(physical) & set(rules)
    # every stated port is printed as a port, and never "not stated" beside it
    flat = [r for rows in rules.values() for r in rows]
    for fl in plan.network:
        ports = topology.parse_ports(fl.port, fl.protocol)
        for r in (r for r in flat if r[-1].split()[0] == fl.id):  # the id, whatever mark follows it
            # alternatives the model gives ("RADIUS (or RadSec …)", "443 or 8443") are one port or the other
            sep = " or " if netplan.alternatives(fl) else ", "
            assert r[4] == sep.join(str(p) for p in ports) if ports else r[4] == "not stated"
    # an inbound rule from the internet only where the model itself has the outside open the connection
    for r in plan.rules:
        if r.direction == "inbound" and plan.segment[r.opener.element].place == "outside":
            assert plan.outbound_only is None and r.opener.basis != "design"
    assert len(text_of(doc).split()) <= WORD_LIMIT


def test_monitor_deployment_rules_and_questions() -> None:
    doc = build_guides(monitor())["deployment"]
    rules = rule_rows(doc)
    assert list(rules) == ["Monitoring VLAN", "Hospital core services"]
    vlan = {r[-1]: r for r in rules["Monitoring VLAN"]}
    assert vlan["F-05"][:5] == [
        "out",
        "Central station",
        "Lumen remote support gateway (Lumen support centre, internet)",
        "HTTPS / TCP 443",
        "TCP 443",
    ]
    assert vlan["F-04"][4] == "TCP 6661"  # the port written into the protocol column
    assert vlan["F-04"][0] == "?"  # HL7 over MLLP of no stated opener: no direction guessed
    assert not any(r[0] == "in" and "internet" in r[2] for rows in rules.values() for r in rows)
    text = text_of(doc)
    assert "F-03 Bedside monitor → Central station (UDP 7000-7010)" in text  # same segment, no rule
    assert "local links, no firewall rule): F-01 Vital signs from the patch" in text  # a radio link, not a rule
    assert (
        "**Not segments:** Patient (on the patient's body, stated); Patient room (physical area, inferred from "
        "its description; Bedside monitor joins Monitoring access switch and so sits on Monitoring VLAN)." in text
    )  # "Patient room" names no kind; its description ("The bedside monitor and whoever can touch it") does
    infra = next(t for t in doc.blocks if isinstance(t, Table) and t.header[0] == "Service")
    assert [r[0] for r in infra.rows][:3] == ["Name resolution (DNS)", "Addresses (DHCP or static)", "Directory (LDAP / Active Directory)"]
    assert infra.rows[0][1] == "Hospital DNS, DNS, UDP 53" and infra.rows[0][2] == "D-1"
    questions = bullets_after(doc, "Questions for the device maker before go-live")
    assert any(q.startswith("F-07 Alarm escalation") for q in questions)  # no port, no known transport
    assert (
        "F-04 Results to the EMR: which end opens the connection, and which listens on TCP 6661? Either end may (the rules "
        "give no direction)." in questions
    )
    # stated: nothing to ask but the remote gateway's addresses, which the rule needs and the model does not give
    assert [q for q in questions if "F-05" in q] == [
        "Which host names or addresses does Lumen remote support gateway use (F-05)? The rules name it, not its addresses: "
        "without them a rule can only allow any internet address as the other end."
    ]
    assert not any("DNS" in q for q in questions)  # the dependency is stated
    assert not any(q.startswith("F-03") for q in questions)


def test_sample_deployment_follows_the_outbound_only_design() -> None:
    m = sample()
    doc = build_guides(m)["deployment"]
    rules = rule_rows(doc)
    assert "Pump enclosure" not in rules and "Bedside (physical proximity)" not in rules
    flat = [r for rows in rules.values() for r in rows]
    to_cloud = [r for r in flat if "Meridian cloud" in r[2]]
    assert to_cloud and all(r[0] == "out" for r in to_cloud)  # C-34: never an inbound rule from Meridian
    assert {r[-1] for r in to_cloud} == {"F-10", "F-12 (optional)", "F-18"}  # F-12 "(optional)", "Off by default."
    assert not re.search(r"TCP 443 \| port not stated", text_of(doc))
    text = text_of(doc)
    assert "Connections to the device maker's systems are opened from the hospital only (C-34)." in text
    for service in (
        "Log collection (syslog / SIEM)",
        "Directory (LDAP / Active Directory)",
        "Network admission (802.1X / RADIUS)",
        "Service tool internet access",
    ):
        assert service in text
    assert "Which hospital network does Biomed service tool use for F-18" in text


# ------------------------------------------------------------------------------ responsibility


@pytest.mark.parametrize("which", ["monitor", "sample"])
def test_hospital_controls_are_expected_never_implemented(which: str) -> None:
    m = monitor() if which == "monitor" else sample()
    docs = build_guides(m, map_model(m))
    hospital = [c for c in m.controls if c.responsibility in ("customer", "shared")]
    assert hospital
    for phase, doc in docs.items():
        for t in (b for b in doc.blocks if isinstance(b, Table)):
            for row in t.rows:
                line = " | ".join(row)
                for c in hospital:
                    if re.search(rf"(^|\W){re.escape(c.id)}(\W|$)", line):
                        assert "implemented" not in line.lower(), (phase, line)
        assert "risks the hospital accepts" not in text_of(doc).lower()
    deploy = text_of(docs["deployment"])
    assert all(c.id in deploy for c in hospital)


# ---------------------------------------------------------------------------------- operations


def test_monitor_operations() -> None:
    doc = build_guides(monitor())["operations"]
    text = text_of(doc)
    logs = next(t for t in doc.blocks if isinstance(t, Table) and t.header[0] == "Log")
    assert "Hospital log collector (Syslog over TLS, TCP 6514)" in logs.rows[0][2]
    assert "**Retention:** The central station keeps 90 days of audit events and forwards them as syslog (A-LOGS)." in text
    creds = {r[0]: r for r in next(t for t in doc.blocks if isinstance(t, Table) and t.header[0] == "Credential").rows}
    assert creds["Monitor device certificate"][2] == "the hospital"
    assert creds["Monitor device certificate"][3] == "Issued by the hospital PKI at enrolment and renewed every two years."
    assert creds["Technician and service credentials"][3] == "expires after 15 minutes"
    assert "Disconnect the central station from the core network at the VLAN's firewall." in text  # incident steps
    assert "limited to 100 packets per second" in text and "scan profile itself is not given" not in text
    risks = next(t for t in doc.blocks if isinstance(t, Table) and t.header[0] == "Threat")
    assert risks.rows[0][1:] == ["accepted by the maker", "medium", "Hospital approval of each remote session (C-APPROVE)"]


def test_sample_operations_asks_for_the_safe_scan_profile() -> None:
    text = text_of(build_guides(sample())["operations"])
    assert "documented safe profile. (AS-08)" in text
    assert "The scan profile itself is not given: ask the device maker for it" in text
    assert "Meridian Product Security Incident Response Team" in text
    assert "kept for 7 years by default" in text  # retention where stated


# ------------------------------------------------------------------------------ decommissioning


@pytest.mark.parametrize("which", ["monitor", "sample"])
def test_decommissioning_credentials_that_matter(which: str) -> None:
    m = monitor() if which == "monitor" else sample()
    doc = build_guides(m)["decommissioning"]
    revoke = "\n".join(bullets_after(doc, "Credentials to revoke"))
    assert "signing key" not in revoke.lower()  # the maker's keys are not the hospital's to revoke
    assert "User sign-in tokens" not in revoke  # short-lived tokens expire by themselves
    short = [fl.id for fl in m.flows if re.search(r"\b15 min", fl.authentication or "")]
    assert short and not any(re.search(rf"\b{fid}\b", revoke) for fid in short)
    rows = {r[0]: r for r in next(t for t in doc.blocks if isinstance(t, Table)).rows}
    stores = [e.name for e in m.elements if e.kind == "data_store"]
    assert stores and all(s in rows for s in stores)  # servers' databases included
    assert any(k.startswith("Backups and copies") for k in rows)
    if which == "monitor":
        assert "Monitor device certificate (issued by the hospital)" in revoke
        assert "Directory accounts (issued by the hospital)" in revoke
        assert rows["Bedside monitor"][3].startswith("Vital signs and waveforms: Bedside monitor: Admin menu")
        assert "Monitors returned for repair go to the Lumen depot" in text_of(doc)
    else:
        assert "Device certificates (mutual TLS, EAP-TLS) (issued by the hospital)" in revoke
        assert "before it leaves the hospital's control (repair, lease return" in text_of(doc)


# ---------------------------------------------------------------------------------- procurement


@pytest.mark.parametrize("which", ["monitor", "sample"])
def test_procurement_is_contract_language(which: str) -> None:
    m = monitor() if which == "monitor" else sample()
    doc = build_guides(m, map_model(m))["procurement"]
    text = text_of(doc)
    assert not re.search(r"\b(support|product|document)\.[a-z_]+\b", text)  # no field names
    assert "override" not in text and not re.search(r"and \d+ more", text)
    assert not re.search(r"\b[TC]-\d{2,}\b", text)  # no id dumps
    assert m.product.manufacturer in text and "security patches" in text
    missing = bullets_after(doc, "What the device maker has not stated")
    if which == "monitor":
        assert "Security patches quarterly; critical fixes within 30 days" in text
        assert "[support end date: not stated by the device maker]" in text
        assert "the date security support ends" in missing
        assert "how the software bill of materials (SBOM) is provided" in missing
    else:
        assert "2034-12-31" in text and "CycloneDX 1.5 SBOM" in text and "psirt@meridian-infusion.example" in text
        assert "the date security support ends" not in missing
    assert len(text.split()) <= WORD_LIMIT


@pytest.mark.parametrize("which", ["monitor", "sample"])
def test_every_guide_is_short(which: str) -> None:
    m = monitor() if which == "monitor" else sample()
    for phase, doc in build_guides(m, map_model(m)).items():
        assert len(text_of(doc).split()) <= WORD_LIMIT, phase


def test_validation_checks_initiators_and_dependencies() -> None:
    from mdptm.model.validate import validate_data

    data = yaml.safe_load((DATA / "monitor.yaml").read_text(encoding="utf-8"))
    assert validate_data(data)[1] == []
    data["flows"][2]["initiator"] = "E-LDAP"
    data["dependencies"][0]["elements"] = ["E-NOPE"]
    problems = [str(p) for p in validate_data(data)[1]]
    assert "/flows/2/initiator: initiator 'E-LDAP' of 'F-03' is neither its source nor its target" in problems
    assert any(p.startswith("/dependencies/0/elements/0: dangling reference 'E-NOPE'") for p in problems)


def test_a_zone_kind_the_model_states_places_its_elements_before_the_zone_name_does() -> None:
    """Threagile's example puts its web server in "Web DMZ", a cloud security group (``network-cloud-security-group``),
    and its load balancer in the cloud "Application Network". The deployment guide put the flow between them
    outside the hospital (the stated kind), while the operations guide read "DMZ" in the name as the hospital's and
    listed it as a connection between the hospital and outside it, to watch at the perimeter."""
    from tests.documents.test_guides_readers import base, text_of

    m = base(
        trust_zones=[
            TrustZone(id="web-dmz", name="Web DMZ", kind="cloud"),
            TrustZone(id="app-net", name="Application Network", kind="cloud"),
            TrustZone(id="dev", name="Dev Network", kind="network"),
        ],
        elements=[
            Element(id="lb", name="Load Balancer", kind="process", trust_zone="app-net"),
            Element(id="web", name="Apache Webserver", kind="process", trust_zone="web-dmz"),
            Element(id="jenkins", name="Jenkins Build Server", kind="process", trust_zone="dev"),
        ],
        flows=[
            Flow(id="F-1", name="Web Application Traffic", source="lb", target="web", protocol="http", initiator="lb"),
            Flow(id="F-2", name="Application Deployment", source="jenkins", target="web", protocol="ssh", initiator="jenkins"),
        ],
    )
    docs = build_guides(m)
    ops = text_of(docs["operations"])
    watch = next(line for line in ops.splitlines() if "to watch at the perimeter" in line)
    assert "F-2 to Apache Webserver" in watch and "F-1" not in watch, watch
    deploy = text_of(docs["deployment"])
    assert "Between systems outside the hospital (no hospital firewall rule follows from them): F-1." in deploy
    assert "1 of 2 data flows run outside the hospital, between systems the model places outside it: F-1" in text_of(
        docs["pre-procurement"]
    )


def test_an_inbound_rule_from_the_internet_to_an_end_on_no_known_network_is_asked_about_conditionally() -> None:
    """Threagile's example: the web server (a cloud zone) opens a connection to the identity provider, in a zone
    of no stated kind. The question said the flow "needs an inbound rule from the internet" as a fact; the
    identity provider may run in the cloud as well (the model nests its zone there), and then no hospital rule
    is needed."""
    from tests.documents.test_guides_readers import base, text_of

    m = base(
        trust_zones=[TrustZone(id="web-dmz", name="Web DMZ", kind="cloud"), TrustZone(id="auth", name="Auth Handling Environment")],
        elements=[
            Element(id="web", name="Apache Webserver", kind="process", trust_zone="web-dmz"),
            Element(id="idp", name="Identity Provider", kind="process", trust_zone="auth"),
        ],
        flows=[Flow(id="F-1", name="Auth Credential Check Traffic", source="web", target="idp", protocol="https", initiator="web")],
    )
    text = text_of(build_guides(m)["deployment"])
    assert (
        "F-1 Auth Credential Check Traffic is opened from outside the hospital (Apache Webserver), which, if Identity Provider "
        "runs in the hospital, needs an inbound rule from the internet: is there a way to run it outbound only?"
    ) in text
    assert "(Apache Webserver), which needs an inbound rule" not in text


def test_a_flow_of_no_stated_protocol_between_two_systems_outside_the_hospital_is_not_asked_about() -> None:
    """The MTMT mobile API model (TM7 and OTM): "PSQL Request" between the public API and its database, both in the
    cloud, has no protocol. The guide asked the hospital whether it was network traffic or USB, and said no
    firewall rule could be written from it, though no hospital firewall sits between two cloud systems."""
    from tests.documents.test_guides_readers import base, text_of

    m = base(
        trust_zones=[TrustZone(id="cloud", name="Public Cloud"), TrustZone(id="lan", name="Ward LAN")],
        elements=[
            Element(id="api", name="Public API v2", kind="process", trust_zone="cloud"),
            Element(id="db", name="Accounting PostgreSQL", kind="data_store", trust_zone="cloud"),
            Element(id="gw", name="Gateway", kind="process", trust_zone="lan"),
        ],
        flows=[
            Flow(id="F-1", name="PSQL Request", source="api", target="db"),
            Flow(id="F-2", name="Sync", source="gw", target="api"),
        ],
    )
    text = text_of(build_guides(m)["deployment"])
    assert "Between systems outside the hospital (no hospital firewall rule follows from them): F-1." in text
    assert "F-1 PSQL Request (between" not in text
    assert "F-2 Sync (between Gateway and Public API v2): is it network traffic" in text  # it crosses the hospital's edge
