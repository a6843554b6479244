"""The guides say no more than the model supports. A person at one end of a flow is not a network endpoint
(the pre-procurement guide does not count such a flow as one that may leave the hospital); an element that
only a word of its own name places ("Cloud API") is not put outside the hospital for a firewall rule or a
count of flows leaving it: the guide says where the model leaves it open and asks the device maker."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.documents.guides import build_guides
from mdptm.documents.guides.facts import Facts
from mdptm.model import Element, Flow, TrustZone
from mdptm.pipeline.build import build
from mdptm.render.docir import Table
from tests.documents.test_guides_people import CORPUS_TD, iot_device_project
from tests.documents.test_guides_readers import base, firewall_rows, text_of


def _people_model():  # type: ignore[no-untyped-def]
    return base(
        trust_zones=[TrustZone(id="z-ward", name="Ward LAN", kind="network"), TrustZone(id="z-cloud", name="Vendor cloud", kind="cloud")],
        elements=[
            Element(id="u", name="User", kind="external_entity"),
            Element(id="br", name="Browser", kind="process", trust_zone="z-ward"),
            Element(id="web", name="Portal", kind="process", trust_zone="z-cloud"),
            Element(id="x", name="Thing", kind="process"),
        ],
        flows=[
            Flow(id="F-user", name="User to Browser", source="u", target="br", protocol="HTTP"),
            Flow(id="F-web", name="Pages", source="br", target="web", protocol="HTTPS", port="443/tcp"),
            Flow(id="F-x", name="Sync", source="x", target="web", protocol="HTTPS"),
        ],
    )


def test_a_person_flow_is_not_a_flow_whose_ends_are_unclear() -> None:
    text = text_of(build_guides(_people_model())["pre-procurement"])
    unclear = next(line for line in text.splitlines() if "whether they leave the hospital is not clear" in line)
    assert "F-x" in unclear and "F-user" not in unclear
    assert "A person is at one end of these flows; a person is not a network endpoint" in text
    assert "F-user (User → Browser (Ward LAN))" in text
    assert "| Data flows | 3; 1 leave the hospital, 1 may (ends not placed), 1 with a person at one end;" in text


def test_facts_do_not_say_a_person_flow_leaves_or_stays() -> None:
    m = _people_model()
    f = Facts.of(m)
    assert f.is_person_flow(m.flows[0]) and not f.is_person_flow(m.flows[1])
    assert f.leaves_hospital(m.flows[0]) is None
    assert f.leaves_hospital(m.flows[1]) is True


def _named_model():  # type: ignore[no-untyped-def]
    return base(
        elements=[
            Element(id="dev", name="Pump", kind="device"),
            Element(id="api", name="Cloud API", kind="process"),
            Element(id="db", name="MySQL database", kind="data_store"),
        ],
        flows=[
            Flow(id="F-1", name="Status", source="dev", target="api", protocol="HTTPS", port="443/tcp"),
            Flow(id="F-2", name="Cloud API to MySQL database", source="api", target="db", protocol="MySQL", port="3306/tcp"),
        ],
    )


def test_no_inbound_internet_rule_from_an_end_placed_outside_by_its_name_only() -> None:
    doc = build_guides(_named_model())["deployment"]
    rows = firewall_rows(doc)
    assert rows, "the flows still get rules, in the section of unplaced segments"
    assert not any("internet" in r[2].lower() for r in rows)
    assert ["in", "MySQL database", "Cloud API (segment not stated; its name suggests outside the hospital)"] in [r[:3] for r in rows]
    text = text_of(doc)
    assert "is opened from outside the hospital (Cloud API)" not in text
    assert "Where does Cloud API run (F-1 Status): outside the hospital, as its name suggests, or on a hospital network" in text
    assert "The model places it in no trust zone, so the rules do not assume either." in text
    f = Facts.of(_named_model())
    assert f.where("api") == "outside" and f.by_name("api") and f.stated_where("api") == "unknown"
    assert f.leaves_hospital(_named_model().flows[0]) is None  # pump (by its kind) to a place only a name gives


def test_pre_procurement_does_not_count_a_flow_as_leaving_on_a_name() -> None:
    text = text_of(build_guides(_named_model())["pre-procurement"])
    assert "data flows leave the hospital." not in text
    assert "Only their names suggest that Cloud API runs outside the hospital; the model does not place it." in text


def test_a_zone_or_a_kind_still_places() -> None:
    m = _named_model()
    m.trust_zones = [TrustZone(id="z", name="Internet")]
    m.elements[1].trust_zone = "z"
    m.elements[2].trust_zone = "z"
    f = Facts.of(m)
    assert not f.by_name("api") and f.stated_where("api") == "outside" and f.stated_where("db") == "outside"
    rows = firewall_rows(build_guides(m)["deployment"])
    assert [r[:3] for r in rows] == [["out", "Pump", "Cloud API (internet)"]]


def test_zone_neighbours_placed_only_by_name_place_only_by_name() -> None:
    m = _named_model()
    m.trust_zones = [TrustZone(id="z", name="Backend")]
    m.elements[1].trust_zone = "z"
    m.elements[2].trust_zone = "z"
    f = Facts.of(m)
    assert f.where("db") == "outside" and f.by_name("db") and f.stated_where("db") == "unknown"


@pytest.mark.skipif(not CORPUS_TD.exists(), reason="shared corpus not present")
def test_threat_dragon_iot_device_guides(tmp_path: Path) -> None:
    root = iot_device_project(tmp_path)
    out = tmp_path / "out"
    build(root, out=out)
    deploy = (out / "guides" / "deployment.md").read_text(encoding="utf-8")
    # no rule puts MySQL database behind an inbound rule from the internet; its flows name no protocol (the
    # importer named them "Cloud API to MySQL database" after their ends), so they are asked about
    assert not [line for line in deploy.splitlines() if "| MySQL database |" in line and "internet" in line]
    assert "opened from outside the hospital (Cloud API)" not in deploy
    # the boundary line the model draws is cited, not used to pick a side
    assert "The model places it in no trust zone; it draws df-https-0d5542d3 across a trust boundary" in deploy
    unclear = next(line for line in deploy.splitlines() if "but not whether they are network connections" in line)
    assert "df-cloud-api-to-mysql-database" in unclear
    pre = (out / "guides" / "pre-procurement.md").read_text(encoding="utf-8")
    unclear = next(line for line in pre.splitlines() if "whether they leave the hospital is not clear" in line)
    assert "df-user-to-browser" not in unclear
    assert "2 of 14 data flows leave the hospital" not in pre


def test_a_protocol_word_in_an_end_name_is_not_the_flow_protocol() -> None:
    """Importers name an unnamed flow after its ends ("Cloud API to MySQL database"): the database's name
    says nothing of the protocol the flow uses, so the flow is not read as network traffic from it."""
    from mdptm.model.topology import transport

    named = Flow(id="F", name="Cloud API to MySQL database", source="api", target="db")
    assert transport(named) == "network"  # read alone, the name looks like MySQL traffic
    assert transport(named, ends=("Cloud API", "MySQL database")) == "unknown"
    own = Flow(id="G", name="MySQL query", source="api", target="db")
    assert transport(own, ends=("Cloud API", "MySQL database")) == "network"  # the flow's own word stays
    m = _named_model()
    m.flows[1].protocol = m.flows[1].port = None
    doc = build_guides(m)["deployment"]
    assert all(r[-1].split()[0] != "F-2" for r in firewall_rows(doc))
    assert "F-2 Cloud API to MySQL database (between Cloud API and MySQL database): is it network traffic" in text_of(doc)


def test_a_denied_support_fact_is_not_written_into_a_contract_term() -> None:
    """'There is no end-of-support date' quoted as the maker's commitment ('support continues until There is
    no end-of-support date') makes a contract term say what the model denies: it is a missing commitment."""
    from mdptm.model import Support

    m = base(
        support=Support(
            patch_policy="No security patches are provided after installation.",
            end_of_support="There is no end-of-support date.",
            sbom="SBOM not available",
            contact="security@maker.example",
        )
    )
    text = text_of(build_guides(m)["procurement"])
    assert "as follows: No security patches are provided" not in text
    assert "until There is no end-of-support date" not in text
    assert "software bill of materials (SBOM not available)" not in text
    assert "- the date security support ends (the threat model says only: There is no end-of-support date)" in text
    assert (
        "- the time to deliver security patches (the threat model says only: No security patches are provided after installation)" in text
    )
    assert "through [disclosure channel: not stated by the device maker]" in text


def test_a_placeholder_protocol_is_not_printed_as_the_protocol() -> None:
    m = base(
        elements=[Element(id="a", name="Pump", kind="device"), Element(id="b", name="Server", kind="process")],
        flows=[Flow(id="F1", name="Sync", source="a", target="b", protocol="TBD", port="443/tcp")],
    )
    doc = build_guides(m)["deployment"]
    rows = firewall_rows(doc)
    assert rows and all(r[3] == "not stated" for r in rows)
    assert "TBD" not in text_of(doc)


def test_threats_left_out_are_not_called_less_severe_when_nothing_rates_them() -> None:
    """The operations guide shows the most severe twelve risks; with no risk rated anywhere, the rest are not
    'less severe', and with ties they are 'rated no higher', never less severe."""
    from mdptm.model import Risk, Threat

    m = base(threats=[Threat(id=f"T-{i}", title=f"Threat {i}", stride=["tampering"]) for i in range(1, 16)])
    text = text_of(build_guides(m)["operations"])
    assert "less severe" not in text
    assert "3 more of these threats are in the threat register (ptm.xlsx); the model rates none of these threats" in text
    for t in m.threats:
        t.risk = Risk(level="high")
    text = text_of(build_guides(m)["operations"])
    assert "3 more of these threats are in the threat register (ptm.xlsx); rated no higher than those above." in text
    for t in m.threats[12:]:
        t.risk = Risk(level="low")
    text = text_of(build_guides(m)["operations"])
    assert "3 more of these threats are in the threat register (ptm.xlsx); rated lower than those above." in text


def test_ptm_network_table_lists_no_person_flow_for_firewall_rules(tmp_path: Path) -> None:
    from mdptm.documents.ptm import build_ptm_doc
    from mdptm.plugins import ExportContext
    from mdptm.render.docir import Paragraph, Table

    m = base(
        elements=[
            Element(id="u", name="User", kind="external_entity"),
            Element(id="br", name="Browser", kind="process"),
            Element(id="web", name="Web site", kind="process"),
        ],
        flows=[
            Flow(id="F-user", name="User to Browser", source="u", target="br", protocol="HTTP"),
            Flow(id="F-web", name="Pages", source="br", target="web", protocol="HTTPS"),
        ],
    )
    doc = build_ptm_doc(m, ExportContext(), tmp_path)
    (table,) = [b for b in doc.blocks if isinstance(b, Table) and b.header[:3] == ["Flow", "Between", "Trust zones"]]
    assert [r[0] for r in table.rows] == ["F-web"]
    notes = " ".join(b.text for b in doc.blocks if isinstance(b, Paragraph))
    assert "Not listed for firewall rules: F-user, with a person at one end; a person is not a network endpoint" in notes


def test_a_direction_read_from_a_flow_name_is_marked_and_asked() -> None:
    """'Queries' drawn from the web application to the database carries the queries: the database does not
    open the connection (Threat Dragon demo model). A direction read from a word of a name ('Security event
    forwarding') says which way the data moves, not who connects: the rule is marked and the maker asked."""
    m = base(
        trust_zones=[TrustZone(id="z-a", name="Ward LAN", kind="network"), TrustZone(id="z-b", name="Server VLAN", kind="network")],
        elements=[
            Element(id="web", name="Web Application", kind="process", trust_zone="z-a"),
            Element(id="db", name="Database", kind="data_store", trust_zone="z-b"),
            Element(id="siem", name="Monitoring console", kind="process", trust_zone="z-a"),
        ],
        flows=[
            Flow(id="F-q", name="Queries", source="web", target="db", protocol="PostgreSQL", port="5432/tcp"),
            Flow(id="F-r", name="Query Results", source="db", target="web", protocol="PostgreSQL", port="5432/tcp"),
            Flow(id="F-s", name="Security event forwarding", source="db", target="siem", protocol="syslog", port="6514/tcp"),
        ],
    )
    doc = build_guides(m)["deployment"]
    rows = firewall_rows(doc)
    openers = {(r[-1].split()[0], r[1]) for r in rows if r[0] == "out"}
    assert ("F-q", "Database") not in openers and ("F-q", "Web Application") in openers
    assert not any(r[-1].startswith("F-r") for r in rows)  # the results drawn back are the queries' return traffic
    assert any(r[-1] == "F-s †" for r in rows)
    text = text_of(doc)
    assert "† Which end opens this connection is read from the flow's name" in text
    assert "F-s Security event forwarding: does Database open the connection, as the flow's name suggests, or Monitoring console?" in text


def test_guides_read_placeholders_and_void_controls_as_the_mapping_does() -> None:
    """A product version 'TBD', an assumption 'TBD', a view step 'TBD', an asset disposal 'TBD' are not the
    maker's statements; a control whose text denies or defers its title ('No security events are logged',
    'Authentication: to be defined') is no control in place, and one named for the hospital that says
    'Not required for this device' asks nothing of it."""
    from mdptm.model import Asset, Assumption, Control, Product, View

    m = base(
        elements=[Element(id="p", name="Pump", kind="device")],
        assets=[Asset(id="A1", name="Patient data", kind="phi", stored_in=["p"], disposal="TBD")],
        views=[View(id="V1", kind="updatability_patchability", name="Update path", steps=["TBD", "The server downloads signed packages"])],
        assumptions=[Assumption(id="AS-1", text="TBD", responsibility="customer")],
        controls=[
            Control(id="C2", title="Logging", category="event_logging", status="implemented", description="No security events are logged."),
            Control(
                id="C3",
                title="Authentication",
                category="authentication",
                status="implemented",
                description="Authentication: to be defined",
            ),
            Control(id="C7", title="Network segmentation", responsibility="customer", description="Not required for this device."),
            Control(id="C9", title="Signed firmware", category="integrity", status="implemented", description="Every image is signed."),
        ],
    )
    m.product = Product(name="Kit", manufacturer="Maker", version="TBD", intended_use="To be defined")
    docs = {k: text_of(d) for k, d in build_guides(m).items()}
    pre = docs["pre-procurement"]
    assert "Kit TBD" not in pre and "To be defined" not in pre
    assert "| Controls | 3 by the device maker (1 implemented, 2 not implemented); 0 expected of the hospital" in pre
    assert "Control C2 (Logging) describes no safeguard in place: “No security events are logged”." in pre
    assert "AS-1" not in pre
    dep = docs["deployment"]
    assert "These controls name the hospital but describe nothing for it to do: C7 Network segmentation" in dep
    assert "| C7 Network segmentation | the hospital |" not in dep
    ops = docs["operations"]
    assert "Contain: the model relies on network segmentation" not in ops
    assert "1. TBD" not in ops and "The server downloads signed packages" in ops
    assert "| TBD |" not in docs["decommissioning"]


def test_ptm_verification_counts_no_placeholder_and_no_void_control(tmp_path: Path) -> None:
    """PTM 4.1: 'verification: [TBD]' cites nothing, and a control marked implemented whose text denies what
    it names ('Secure boot is not supported on this hardware') is not counted, as the coverage does not."""
    from mdptm.documents.ptm import build_ptm_doc
    from mdptm.model import Control
    from mdptm.plugins import ExportContext
    from mdptm.render.docir import Paragraph

    m = base(
        controls=[
            Control(
                id="C1",
                title="Secure boot",
                category="integrity",
                status="implemented",
                description="Secure boot is not supported on this hardware.",
                verification=["TR-1"],
            ),
            Control(
                id="C2",
                title="Signed firmware",
                category="integrity",
                status="implemented",
                description="Images are signed.",
                verification=["TBD"],
            ),
            Control(
                id="C3",
                title="Audit log",
                category="event_logging",
                status="implemented",
                description="Sign-ins are logged.",
                verification=["TR-7 log test"],
            ),
        ]
    )
    doc = build_ptm_doc(m, ExportContext(), tmp_path)
    text = " ".join(b.text for b in doc.blocks if isinstance(b, Paragraph))
    assert "1 of 2 implemented manufacturer controls cite verification evidence" in text
    assert (
        "Marked implemented, but their text denies or defers what they name, so they are not counted here or in the coverage: C1." in text
    )


def test_a_disposal_rule_is_not_given_to_an_element_it_does_not_name() -> None:
    """An asset kept on the pump and in the maker's cloud log service with the rule 'Pump logs are erased by
    Decommission. Cloud copies are deleted after 24 months': the cloud service gets the cloud part, not the
    pump's; a one-sentence rule naming neither of two places is quoted as not said to be for either."""
    from mdptm.model import Asset

    m = base(
        trust_zones=[TrustZone(id="z-c", name="Maker cloud", kind="cloud")],
        elements=[
            Element(id="p", name="Infusion pump", kind="device"),
            Element(id="logs", name="Fleet log service", kind="cloud_service", trust_zone="z-c"),
            Element(id="db", name="Server database", kind="data_store"),
        ],
        assets=[
            Asset(
                id="A1",
                name="Event logs",
                kind="log",
                stored_in=["p", "logs"],
                disposal="Pump logs are erased by Decommission. Cloud copies are deleted after 24 months.",
            ),
            Asset(
                id="A2", name="Therapy data", kind="therapy_data", stored_in=["p", "db"], disposal="Erased by the Decommission function."
            ),
        ],
    )
    doc = build_guides(m)["decommissioning"]
    rows = {r[0]: r[3] for b in doc.blocks if isinstance(b, Table) and b.header[0] == "Element" for r in b.rows}
    assert rows["Fleet log service"] == "Cloud copies are deleted after 24 months."
    assert "Pump logs are erased by Decommission" in rows["Infusion pump"] and "Cloud copies" not in rows["Infusion pump"]
    assert (
        "the model's rule for this data, not said to be for Server database: “Erased by the Decommission function”"
        in rows["Server database"]
    )


def test_query_results_drawn_back_are_return_traffic() -> None:
    """Threat Dragon's demo draws 'Queries' from the web application to the database and 'Web App Query
    Results' back: the results are the queries' return traffic, no connection the database opens."""
    m = base(
        trust_zones=[TrustZone(id="z-a", name="Ward LAN", kind="network"), TrustZone(id="z-b", name="Server VLAN", kind="network")],
        elements=[
            Element(id="web", name="Web Application", kind="process", trust_zone="z-a"),
            Element(id="db", name="Database", kind="data_store", trust_zone="z-b"),
        ],
        flows=[
            Flow(id="F-q", name="Queries", source="web", target="db", protocol="PostgreSQL", port="5432/tcp"),
            Flow(id="F-r", name="Web App Query Results", source="db", target="web", protocol="PostgreSQL", port="5432/tcp"),
        ],
    )
    doc = build_guides(m)["deployment"]
    assert {r[-1].split()[0] for r in firewall_rows(doc)} == {"F-q"}
    assert "F-r answers F-q" in text_of(doc)


def test_long_id_lists_read_as_counts() -> None:
    m = base(
        elements=[Element(id="a", name="A"), Element(id="b", name="B")], flows=[Flow(id=f"F{i}", source="a", target="b") for i in range(14)]
    )
    text = text_of(build_guides(m)["pre-procurement"])
    assert "- Encryption not stated for 14 flows (see the register, ptm.xlsx)." in text
    assert "flows 14 items" not in text
