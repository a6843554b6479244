"""Word threat models that are not all tables: threats as lists under STRIDE headings, entry points that
are single interfaces, combined "Protocol / Port" columns and names that say more than the element's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.model.validate import validate_model
from tests.conftest import SHARED
from tests.importers.import_helpers import Doc, reconciles, records_at, run_import, warnings_with

ECOMMERCE = SHARED / "corpus" / "office-real" / "ecommerce-threat-modeling.docx"
STRIDE = ["Spoofing", "Tampering", "Repudiation", "Information Disclosure", "Denial of Service (DoS)", "Elevation of Privilege"]


def _para_items(model_items: list, prefix: str = "paragraph") -> list:
    return [i for i in model_items if i.source and (i.source.locator or "").startswith(prefix)]


def test_bullets_under_stride_headings_are_threats_and_countermeasures(tmp_path: Path) -> None:
    d = Doc().title("Infusion Gateway Threat Model")
    d.heading("Threat Analysis", 1)
    d.para("We used STRIDE per element. Each category below lists what we found.")
    d.heading("Spoofing", 2)
    d.para("An attacker pretends to be something or someone else.")  # prose: never a threat
    d.para("Threats:")
    d.bullets("Rogue pump connects to the gateway.", "Replayed clinician login token.")
    d.para("Countermeasures:")
    d.bullets("Mutual TLS with device certificates.", "Short-lived tokens bound to the session.", "Pairing confirmed on the pump screen.")
    d.heading("Denial of Service (DoS)", 2)
    d.para("Threats:")
    d.bullets("Flooding the gateway's HL7 listener.")
    d.para("Mitigations:")
    d.bullets("Rate limiting per connection.")
    p = d.save(tmp_path / "stride-bullets.docx")
    model, report = run_import(p)
    assert [t.title for t in model.threats] == [
        "Rogue pump connects to the gateway",
        "Replayed clinician login token",
        "Flooding the gateway's HL7 listener",
    ]
    assert [t.stride for t in model.threats] == [["spoofing"], ["spoofing"], ["denial_of_service"]]
    assert [c.title for c in model.controls] == [
        "Mutual TLS with device certificates",
        "Short-lived tokens bound to the session",
        "Pairing confirmed on the pump screen",
        "Rate limiting per connection",
    ]
    by_title = {c.title: c.id for c in model.controls}
    # The countermeasures of a section go to the threats of the same section, and only those.
    assert model.threats[0].controls == [by_title[t] for t in list(by_title)[:3]]
    assert model.threats[2].controls == [by_title["Rate limiting per connection"]]
    assert warnings_with(report, "linked as a group")
    assert not [t for t in model.threats if "pretends" in t.title]
    assert reconciles(report)


def test_threats_heading_bullets_and_inline_labels(tmp_path: Path) -> None:
    d = Doc().title("Monitor Threat Model")
    d.heading("Identified Threats", 1)
    d.bullets("T-07: Firmware image replaced over the service port", "Telemetry read on the hospital network")
    d.heading("Remote Service", 2)
    d.para("The service engineer connects over VPN.")
    d.bullets("Open the VPN tunnel", "Upload the log bundle")  # a heading that is no category: not threats
    d.heading("Tampering", 1)
    d.bullets("Spoofing")  # a category alone heads the items below it; it is no threat
    p = d.save(tmp_path / "threats-heading.docx")
    doc = Doc().title("X")
    doc.heading("Tampering", 1)
    doc.para("Threats:")
    doc.bullets("Threat: Dose limits altered in the drug library", "Mitigation: Library files are signed")
    p2 = doc.save(tmp_path / "inline.docx")

    model, report = run_import(p)
    assert [(t.id, t.title) for t in model.threats] == [
        ("T-07", "Firmware image replaced over the service port"),
        ("T-1", "Telemetry read on the hospital network"),
    ]
    assert model.threats[1].stride == []
    assert reconciles(report)

    model2, _ = run_import(p2)
    assert [t.title for t in model2.threats] == ["Dose limits altered in the drug library"]
    assert [c.title for c in model2.controls] == ["Library files are signed"]
    assert model2.threats[0].controls == [model2.controls[0].id]
    assert model2.threats[0].stride == ["tampering"]


def test_stride_definitions_as_a_list_are_not_threats(tmp_path: Path) -> None:
    d = Doc().title("Pump Threat Model")
    d.heading("Threats", 1)
    d.bullets(
        "Spoofing: pretending to be something or someone else.",
        "Tampering: modifying data or code.",
        "Repudiation: claiming not to have performed an action.",
        "Information disclosure: exposing information to someone not authorised to see it.",
        "Denial of service: denying or degrading service to users.",
        "Elevation of privilege: gaining capabilities without proper authorisation.",
    )
    d.para("Findings follow.")
    d.bullets("Spoofing: a rogue tablet pairs with the pump over BLE.")
    p = d.save(tmp_path / "definitions.docx")
    model, report = run_import(p)
    assert [t.title for t in model.threats] == ["a rogue tablet pairs with the pump over BLE"]
    assert model.threats[0].stride == ["spoofing"]
    skipped = [r for r in report.records if r.disposition == "skipped" and "definition" in (r.reason or "")]
    assert len(skipped) == 6
    assert reconciles(report)


def test_a_bullet_list_elsewhere_stays_a_list(tmp_path: Path) -> None:
    d = Doc().title("Pump Threat Model")
    d.heading("Security Use Case View: Remote Programming", 1)
    d.bullets("Clinician selects the pump", "Order is sent over HL7")
    d.heading("Assumptions", 1)
    d.bullets("The hospital network is segmented")
    p = d.save(tmp_path / "lists.docx")
    model, _ = run_import(p)
    assert not model.threats
    assert model.views[0].steps == ["Clinician selects the pump", "Order is sent over HL7"]
    assert [a.text for a in model.assumptions] == ["The hospital network is segmented"]


def test_entry_points_without_two_ends_are_interfaces_a_threat_can_name(tmp_path: Path) -> None:
    d = Doc().title("Imaging Workstation Threat Model")
    d.heading("Entry Points", 1)
    d.table(
        [
            ["Entry Point", "Description"],
            ["Local admin console (:8443)", "Web console for the site administrator"],
            ["USB service port", "Used by field service"],
            ["Add Item to Order Modal", "A dialog: its name is no pair of ends"],
        ]
    )
    d.heading("Threats", 1)
    d.table(
        [
            ["ID", "Threat", "Entry Point", "STRIDE"],
            ["S-04", "Default credentials on the admin console", "Local admin console (:8443)", "S"],
            ["T-02", "Malware copied from a USB stick", "USB service port", "T"],
        ]
    )
    p = d.save(tmp_path / "entry-points.docx")
    model, report = run_import(p)  # used to stop with "dangling reference 'F-1' in 'S-04'"
    assert not validate_model(model)
    assert not model.flows
    names = {e.name: e for e in model.elements}
    assert set(names) == {"Local admin console (:8443)", "USB service port", "Add Item to Order Modal"}
    assert all("interface" in e.tags for e in names.values())
    threats = {t.id: t for t in model.threats}
    assert threats["S-04"].targets == [names["Local admin console (:8443)"].id]
    assert threats["T-02"].targets == [names["USB service port"].id]
    assert len(warnings_with(report, "3 row(s) name one interface each")) == 1
    assert all(r.disposition == "imported" for r in records_at(report, "table 1 row 2"))
    assert reconciles(report)


def test_protocol_port_column_and_partial_names(tmp_path: Path) -> None:
    d = Doc().title("Telemetry Hub Threat Model")
    d.heading("Components", 1)
    d.table([["ID", "Component", "Type"], ["E-1", "Telemetry Hub", "Device"], ["E-2", "Cloud Portal", "Cloud service"]])
    d.heading("Data Flows", 1)
    d.table(
        [
            ["Flow ID", "Source", "Destination", "Protocol / Port"],
            ["F-1", "Telemetry Hub secure element", "Cloud Portal", "HTTPS / TCP 443"],
            ["F-2", "Cloud Portal", "Telemetry Hub", "HTTP/1.1"],
        ]
    )
    d.heading("Threats", 1)
    d.table([["ID", "Threat", "Component", "STRIDE"], ["T-1", "Spoofed portal", "Telemetry Hub secure element", "S"]])
    p = d.save(tmp_path / "ports.docx")
    model, report = run_import(p)
    flows = {f.id: f for f in model.flows}
    assert (flows["F-1"].protocol, flows["F-1"].port) == ("HTTPS", "TCP 443")
    assert (flows["F-2"].protocol, flows["F-2"].port) == ("HTTP/1.1", None)
    assert (flows["F-1"].source, flows["F-1"].target) == ("E-1", "E-2")
    assert model.threats[0].targets == ["E-1"]
    assert [e.id for e in model.elements] == ["E-1", "E-2"]  # nothing created for the longer name
    assert len(warnings_with(report, "the one whose name it begins with")) == 2


@pytest.mark.skipif(not ECOMMERCE.exists(), reason="shared corpus not present")
def test_ecommerce_threats_written_as_bullets() -> None:
    """19 threats and 25 countermeasures as bullet lists under STRIDE headings (SOURCES.md)."""
    model, report = run_import(ECOMMERCE)
    listed = _para_items(model.threats)
    assert len(listed) == 19
    counts: dict[str, int] = {}
    for t in listed:
        assert len(t.stride) == 1
        counts[t.stride[0]] = counts.get(t.stride[0], 0) + 1
    assert counts == {
        "spoofing": 6,
        "tampering": 3,
        "repudiation": 2,
        "information_disclosure": 4,
        "denial_of_service": 2,
        "elevation_of_privilege": 2,
    }
    assert len(_para_items(model.controls)) == 25
    assert all(t.controls for t in listed)
    assert len(model.assets) == 11
    # The entry points are single interfaces: elements, not flows, and no element invented from a name.
    entry = [e for e in model.elements if "interface" in e.tags]
    assert len(entry) == 20 and not model.flows
    assert {e.name for e in model.elements} >= {"HTTPS Port", "Login Page", "Add Item to Order Modal"}
    assert reconciles(report)


@pytest.mark.skipif(not ECOMMERCE.exists(), reason="shared corpus not present")
def test_ecommerce_exact_truth() -> None:
    model, _ = run_import(ECOMMERCE)
    assert len(model.threats) == 19
    assert len(model.controls) == 25
    assert not [t for t in model.threats if (t.source.locator if t.source else "").startswith("table")]


def test_categories_beside_stride_lead_ins_and_nested_lists(tmp_path: Path) -> None:
    d = Doc().title("Imaging Workstation Threat Model")
    d.heading("Threat Analysis", 1)
    d.heading("Tampering", 2)
    d.heading("Threats", 3)
    d.bullets("Scan data altered on the acquisition disk")
    d.heading("Patient Safety", 2)  # a category of the template beside the STRIDE ones
    d.para("Threats:")
    d.bullets("Wrong patient's images shown at the console")
    d.bullets("Note: safety threats are also in the hazard analysis")  # a note, not a threat
    d.heading("Identified Threats", 1)
    d.para("The following threat sources were considered:")
    d.bullets("Remote attackers on the hospital network", "Malicious insiders")
    d.para("The following threats were identified:")
    d.bullets("Spoofing")
    d.doc.add_paragraph("DICOM node impersonated by a rogue modality", style="List Bullet 2")
    d.doc.add_paragraph("Worklist entries forged over HL7", style="List Bullet 2")
    d.doc.add_paragraph("Seen in the 2024 penetration test", style="List Bullet 3")
    p = d.save(tmp_path / "categories.docx")
    model, report = run_import(p)
    got = {t.title: t for t in model.threats}
    assert list(got) == [
        "Scan data altered on the acquisition disk",
        "Wrong patient's images shown at the console",
        "DICOM node impersonated by a rogue modality",
        "Worklist entries forged over HL7",
    ]
    assert got["Scan data altered on the acquisition disk"].stride == ["tampering"]
    assert got["Wrong patient's images shown at the console"].stride == []
    assert got["Wrong patient's images shown at the console"].extra.get("Category") == "Patient Safety"
    assert got["DICOM node impersonated by a rogue modality"].stride == ["spoofing"]
    assert got["Worklist entries forged over HL7"].description.endswith("Seen in the 2024 penetration test")
    assert reconciles(report)


def test_a_reference_an_importer_made_that_names_nothing_is_dropped_not_fatal() -> None:
    from mdptm.importers.tabular.resolve import resolve_references
    from mdptm.model import Model, Source, Threat, View, set_provenance
    from mdptm.model.report import ImportReport

    model = Model.empty()
    made = Threat(id="S-04", title="Admin console brute-forced", targets=["F-5"], controls=["C-9"])
    set_provenance(made, Source(file="workshop.docx", locator="table 6 row 5", importer="docx"))
    written = Threat(id="T-1", title="Hand-written", targets=["E-404"])
    set_provenance(written, Source(file="model.yaml", locator="/threats/0", importer="mdptm"))
    view = View(id="V-1", kind="global_system", name="Global", threats=["S-04", "T-404"])
    set_provenance(view, Source(file="workshop.docx", locator="paragraph 3", importer="docx"))
    model.threats += [made, written]
    model.views.append(view)
    report = ImportReport()
    resolve_references(model, report, final=True)
    assert made.targets == [] and made.controls == [] and view.threats == ["S-04"]
    assert written.targets == ["E-404"]  # the user's own reference: validate refuses it, naming it
    dropped = warnings_with(report, "names nothing in the model; dropped")
    assert {(w.file, w.locator) for w in dropped} == {("workshop.docx", "table 6 row 5"), ("workshop.docx", "paragraph 3")}
    assert [p.message for p in validate_model(model)] == [
        "dangling reference 'E-404' in 'T-1': no element or flow or trust zone has this id"
    ]


def test_bullets_after_a_threat_table_are_notes_unless_labelled(tmp_path: Path) -> None:
    d = Doc().title("Pump Threat Model")
    d.heading("Threats", 1)
    d.table([["ID", "Threat", "STRIDE"], ["T-01", "Spoofed drug library server", "S"]])
    d.bullets("Scores use CVSS 3.1", "Residual risk was reviewed by the safety board")
    d.para("Threats:")
    d.bullets("Pump firmware downgraded over USB")
    p = d.save(tmp_path / "table-then-bullets.docx")
    model, report = run_import(p)
    assert [t.title for t in model.threats] == ["Spoofed drug library server", "Pump firmware downgraded over USB"]
    assert reconciles(report)


def test_threat_modeling_tool_report_pasted_into_word(tmp_path: Path) -> None:
    d = Doc().title("Infusion Pump Threat Modeling Report")
    d.para("Acme Pump")
    d.para("Status: In review")  # a cover line under a short line: no threat, still the document's status
    d.para("Description: Networked infusion pump and its drug library server.")
    d.heading("Interaction: HL7 order", 2)
    d.para("1. Spoofing of the Drug Library Server", bold=True)
    d.para("[State: Not Started]")
    d.para("[Priority: High]")
    d.para("Category: Spoofing")
    d.para("Description: The library server may be spoofed by an attacker.")
    d.para("Justification: <no mitigation provided>")
    d.para("2. Wrong Dose Delivered After Order Tampering [State: Mitigation Implemented] [Priority: Medium]")
    d.para("Category: Patient Safety")
    d.para("Description: A modified order changes the programmed rate.")
    d.para("Justification: Orders are signed and checked against the drug library.")
    d.heading("Security controls", 1)
    d.para("SC-3 Code signing")
    d.para("Category: Integrity")  # a control written as a form: no threat
    d.para("Status: Implemented")
    p = d.save(tmp_path / "tmt-report.docx")
    model, report = run_import(p)
    assert [t.title for t in model.threats] == ["Spoofing of the Drug Library Server", "Wrong Dose Delivered After Order Tampering"]
    first, second = model.threats
    assert first.stride == ["spoofing"] and first.status == "open" and first.risk and first.risk.level == "high"
    assert first.description == "The library server may be spoofed by an attacker." and not first.rationale
    assert second.stride == [] and second.extra.get("Category") == "Patient Safety"
    assert second.status == "mitigated" and second.rationale.startswith("Orders are signed")
    assert model.document.status == "in_review"
    assert reconciles(report)


def test_a_table_of_links_named_a_to_b_still_gives_flows(tmp_path: Path) -> None:
    d = Doc().title("Pump Threat Model")
    d.heading("Interfaces", 1)
    d.table([["Interface", "Protocol"], ["Pump to Gateway", "Wi-Fi"], ["Gateway to EMR", "HL7 / TCP 2575"], ["Service laptop", "USB"]])
    p = d.save(tmp_path / "links.docx")
    model, _ = run_import(p)
    names = {e.id: e.name for e in model.elements}
    assert sorted((names[f.source], names[f.target]) for f in model.flows) == [("Gateway", "EMR"), ("Pump", "Gateway")]
    assert [f.port for f in model.flows if f.protocol == "HL7"] == ["TCP 2575"]
    assert [e.name for e in model.elements if "interface" in e.tags] == ["Service laptop"]


def test_entry_points_written_as_bullets(tmp_path: Path) -> None:
    d = Doc().title("Imaging Workstation Threat Model")
    d.heading("Entry Points", 1)
    d.bullets("Local admin console (:8443) – web console for the site administrator", "DICOM listener: port 104")
    d.heading("Threats", 1)
    d.table([["ID", "Threat", "Entry Point"], ["S-04", "Default credentials on the console", "Local admin console (:8443)"]])
    p = d.save(tmp_path / "entry-bullets.docx")
    model, report = run_import(p)
    by_name = {e.name: e for e in model.elements}
    assert set(by_name) == {"Local admin console (:8443)", "DICOM listener"}
    assert all(e.tags == ["interface"] for e in by_name.values())
    assert by_name["DICOM listener"].description == "port 104"
    assert model.threats[0].targets == [by_name["Local admin console (:8443)"].id]
    assert reconciles(report)


def test_threat_heading_blocks_with_bullet_fields(tmp_path: Path) -> None:
    d = Doc().title("Monitor Threat Model")
    d.heading("Threats", 1)
    d.heading("T-01: Spoofed central station", 2)
    d.bullets("STRIDE: Spoofing", "Component: Central station link", "Risk: High", "Mitigation: Mutual TLS")
    d.heading("T-02: Alarm suppressed by a flood of messages", 2)
    d.para("Category: Denial of Service")
    d.para("Description: A flood of HL7 messages delays alarms.")
    p = d.save(tmp_path / "blocks.docx")
    model, report = run_import(p)
    assert [(t.id, t.title, t.stride) for t in model.threats] == [
        ("T-01", "Spoofed central station", ["spoofing"]),
        ("T-02", "Alarm suppressed by a flood of messages", ["denial_of_service"]),
    ]
    first = model.threats[0]
    assert first.risk and first.risk.level == "high"
    assert [c.title for c in model.controls] == ["Mutual TLS"] and first.controls == [model.controls[0].id]
    assert [e.name for e in model.elements] == ["Central station link"] and first.targets == [model.elements[0].id]
    assert model.threats[1].description == "A flood of HL7 messages delays alarms."
    assert reconciles(report)
