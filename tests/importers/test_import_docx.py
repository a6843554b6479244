"""Word threat models written the way FDA submissions are (SPEC §3)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from mdptm.errors import InputError
from mdptm.importers.docx import read_embedded
from mdptm.model import Model
from mdptm.model.report import ImportReport
from tests.importers.import_helpers import Doc, reconciles, records_at, run_import, warnings_with


def _fda_document(path: Path) -> Path:
    d = Doc()
    d.title("InfuMax 3000 Infusion System – Cybersecurity Threat Model")
    d.table(
        [
            ["Document number", "DOC-0042"],
            ["Revision", "C"],
            ["Product", "InfuMax 3000"],
            ["Manufacturer", "Acme Medical Inc."],
            ["Author", "Jane Roe"],
            ["Status", "Approved"],
        ]
    )
    d.para("Revision history", style="Caption")
    d.table(
        [
            ["Rev", "Date", "Author", "Description of change"],
            ["A", "2023-01-01", "J. Roe", "Initial release"],
            ["B", "2023-06-01", "J. Roe", "Added cloud"],
        ]
    )
    d.heading("1 Introduction", 1)
    d.heading("1.1 Intended Use", 2)
    d.para("The InfuMax 3000 delivers fluids to patients in hospitals.")
    d.heading("2 Security Architecture Views", 1)
    d.heading("2.1 Global System View", 2)
    d.para("The system consists of the pump, the gateway and the library server.")
    d.para("The gateway bridges the clinical network.")
    d.image(caption="Figure 1: Global system view", alt="System diagram")
    d.table(
        [
            ["Element ID", "Element", "Type", "Trust Zone"],
            ["E-PUMP", "Infusion Pump", "Device", "Clinical network"],
            ["E-GW", "Gateway", "Device", "Clinical network"],
            ["E-SRV", "Library Server", "Server", "Data centre"],
        ]
    )
    d.table([["Flow ID", "Source", "Destination", "Protocol"], ["F-1", "Infusion Pump", "Gateway", "Wi-Fi / TLS"]])
    d.heading("2.2 Multi-Patient Harm View", 2)
    d.para("A compromised library server reaches every pump.")
    d.heading("2.3 Updateability / Patchability View", 2)
    d.para("Firmware is signed and staged on the gateway.")
    d.heading("2.4 Security Use Case Views", 2)
    d.heading("2.4.1 Remote Programming", 3)
    d.bullets("The clinician selects the order.", "The pump verifies the signature.", numbered=True)
    d.table([["Threat ID", "Threat"], ["T-01", "Spoofed programming command"]])
    d.heading("2.4.2 Security Use Case View – Firmware Update", 3)
    d.para("The gateway downloads and stages the package.")
    d.heading("3 Threat Analysis", 1)
    d.para("Table 3: Threats", style="Caption")
    t = d.table(
        [
            ["ID", "Threat Scenario", "STRIDE", "Asset/Component", "Mitigation(s)", "Status"],
            ["T-01", "Spoofed programming command", "S", "infusion pump", "C-01", "Mitigated"],
            ["T-02", "Library tampering", "T/R", "library server", "C-02; C-01", "Partially mitigated"],
            ["T-03", "Gateway flooding", "D", "Gateway", "None identified", "Risk accepted"],
            ["T-04", "Removed threat", "I", "Gateway", "", "Open"],
        ]
    )
    Doc.track_insert(t.rows[3].cells[1].paragraphs[0], " by broadcast storm")
    Doc.track_delete(t.rows[3].cells[1].paragraphs[0], " OBSOLETE")
    Doc.delete_row(t.rows[4])
    d.comment(t.rows[1].cells[1].paragraphs[0], "Check the rating with the safety team")
    d.heading("4 Mitigations", 1)
    d.table(
        [
            ["Control ID", "Control", "Category", "Responsibility"],
            ["C-01", "Signed commands", "Code, Data, and Execution Integrity", "Manufacturer"],
            ["C-02", "Library signature check", "Integrity", "Customer (HDO)"],
        ]
    )
    d.heading("5 Assumptions", 1)
    d.bullets("A-1: The hospital network is segmented.", "A-2: Clinicians are trained.")
    d.heading("6 Out of Scope", 1)
    d.table([["ID", "Out of Scope", "Rationale"], ["OOS-1", "Home use", "Hospital use only"]])
    return d.save(path)


@pytest.fixture(scope="module")
def fda(tmp_path_factory: pytest.TempPathFactory) -> tuple[Model, ImportReport, Path]:
    path = _fda_document(tmp_path_factory.mktemp("docx") / "threat-model.docx")
    model, report = run_import(path)
    return model, report, path


def test_facts_from_title_and_cover_table(fda: tuple[Model, ImportReport, Path]) -> None:
    model, report, _ = fda
    assert model.product.name == "InfuMax 3000" and model.product.manufacturer == "Acme Medical Inc."
    assert model.document.title == "InfuMax 3000 Infusion System – Cybersecurity Threat Model"
    assert model.document.version == "C" and model.document.status == "approved"
    assert model.product.intended_use == "The InfuMax 3000 delivers fluids to patients in hospitals."
    author = records_at(report, "table 1 row 5")[0]
    assert author.disposition == "skipped" and "not copied" in (author.reason or "")
    assert "Jane Roe" not in model.model_dump_json()


def test_document_control_tables_are_skipped_not_guessed(fda: tuple[Model, ImportReport, Path]) -> None:
    _, report, _ = fda
    history = [r for r in report.records if r.locator.startswith("table 2 ")]
    assert len(history) == 3 and all(r.disposition == "skipped" and "revision history" in (r.reason or "") for r in history)


def test_views_from_headings(fda: tuple[Model, ImportReport, Path]) -> None:
    model, _, _ = fda
    views = {(v.kind, v.name): v for v in model.views}
    assert set(views) == {
        ("global_system", "Global System View"),
        ("multi_patient_harm", "Multi-Patient Harm View"),
        ("updatability_patchability", "Updateability / Patchability View"),
        ("security_use_case", "Remote Programming"),
        ("security_use_case", "Firmware Update"),
    }
    gsv = views[("global_system", "Global System View")]
    assert gsv.description == (
        "The system consists of the pump, the gateway and the library server.\n\nThe gateway bridges the clinical network."
    )
    assert gsv.elements == ["E-PUMP", "E-GW", "E-SRV"] and gsv.flows == ["F-1"]
    assert gsv.diagram is not None and gsv.diagram.caption == "Figure 1: Global system view"
    assert gsv.diagram.path.startswith("threat-model.docx#word/media/")
    rp = views[("security_use_case", "Remote Programming")]
    assert rp.steps == ["The clinician selects the order.", "The pump verifies the signature."]
    assert rp.threats == ["T-01"]


def test_diagram_bytes_can_be_read_back(fda: tuple[Model, ImportReport, Path]) -> None:
    model, _, path = fda
    diagram = next(v.diagram for v in model.views if v.diagram)
    assert read_embedded(diagram.path, path.parent).startswith(b"\x89PNG")


def test_threat_table_with_names_letters_and_words(fda: tuple[Model, ImportReport, Path]) -> None:
    model, _, _ = fda
    t = {x.id: x for x in model.threats}
    assert sorted(t) == ["T-01", "T-02", "T-03"]
    assert t["T-01"].targets == ["E-PUMP"] and t["T-01"].controls == ["C-01"] and t["T-01"].status == "mitigated"
    assert t["T-02"].stride == ["tampering", "repudiation"] and t["T-02"].targets == ["E-SRV"]
    assert t["T-02"].controls == ["C-02", "C-01"]
    assert t["T-03"].controls == [] and t["T-03"].status == "accepted"
    assert {c.id: (c.category, c.responsibility) for c in model.controls} == {
        "C-01": ("integrity", "manufacturer"),
        "C-02": ("integrity", "customer"),
    }
    assert {e.id: e.trust_zone for e in model.elements} == {
        "E-PUMP": "clinical-network",
        "E-GW": "clinical-network",
        "E-SRV": "data-centre",
    }
    assert model.flows[0].source == "E-PUMP" and model.flows[0].target == "E-GW"


def test_tracked_changes_accepted_and_reported(fda: tuple[Model, ImportReport, Path]) -> None:
    model, report, _ = fda
    t3 = next(t for t in model.threats if t.id == "T-03")
    assert t3.title == "Gateway flooding by broadcast storm"
    assert "OBSOLETE" not in model.model_dump_json()
    assert warnings_with(report, "1 insertion(s) accepted, 1 deletion(s) dropped")
    deleted = records_at(report, "table 6 row 5")
    assert deleted[0].disposition == "skipped" and "deleted in tracked changes" in (deleted[0].reason or "")
    assert "T-04" not in {t.id for t in model.threats}


def test_comments_go_to_internal_notes(fda: tuple[Model, ImportReport, Path]) -> None:
    model, report, _ = fda
    t1 = next(t for t in model.threats if t.id == "T-01")
    assert t1.notes == "Comment: Check the rating with the safety team"
    assert "safety team" not in t1.description and "safety team" not in t1.title
    assert warnings_with(report, "comment kept in the item's internal notes")


def test_assumptions_and_out_of_scope(fda: tuple[Model, ImportReport, Path]) -> None:
    model, _, _ = fda
    assert [(a.id, a.text) for a in model.assumptions] == [
        ("A-1", "The hospital network is segmented."),
        ("A-2", "Clinicians are trained."),
    ]
    assert [(o.id, o.text, o.rationale) for o in model.out_of_scope] == [("OOS-1", "Home use", "Hospital use only")]


def test_every_table_row_is_accounted_for(fda: tuple[Model, ImportReport, Path]) -> None:
    _, report, path = fda
    assert reconciles(report)
    expected = {f"table {n} row {r}" for n, t in enumerate(docx.Document(str(path)).tables, start=1) for r in range(1, len(t.rows) + 1)}
    assert len(expected) == 27
    assert {r.locator for r in report.records if r.locator.startswith("table ")} == expected


def test_blank_rows_of_a_word_table_are_reported(tmp_path: Path) -> None:
    d = Doc()
    d.table([["ID", "Threat", "STRIDE"], ["T-1", "Spoof", "S"], ["", "", ""], ["T-2", "Tamper", "T"], ["", "", ""]])
    _, report = run_import(d.save(tmp_path / "b.docx"))
    reasons = {r.locator: r.reason for r in report.records if r.disposition == "skipped"}
    assert reasons == {"table 1 row 1": "header row of a threat table", "table 1 row 3": "blank spacer row", "table 1 row 5": "blank row"}


@pytest.mark.parametrize(
    ("heading", "kind", "name"),
    [
        ("2.1 Global System View", "global_system", "Global System View"),
        ("GLOBAL SYSTEM VIEW", "global_system", "GLOBAL SYSTEM VIEW"),
        ("A.2 Multi Patient Harm Views", "multi_patient_harm", "Multi Patient Harm Views"),
        ("Section 4 – Updatability and Patchability View", "updatability_patchability", "Updatability and Patchability View"),
        ("3.3 Update and Patch View", "updatability_patchability", "Update and Patch View"),
        ("5.2 Security Use Case View: Remote Programming", "security_use_case", "Remote Programming"),
        ("Security use-case view – Firmware Update", "security_use_case", "Firmware Update"),
    ],
)
def test_view_heading_variants(tmp_path: Path, heading: str, kind: str, name: str) -> None:
    d = Doc().heading("1 Overview", 1).para("Intro.").heading(heading, 2).para("Body of the view.")
    model, report = run_import(d.save(tmp_path / "v.docx"))
    assert [(v.kind, v.name, v.description) for v in model.views] == [(kind, name, "Body of the view.")]
    assert records_at(report, "paragraph 3")[0].item == model.views[0].id


def test_headings_without_heading_styles(tmp_path: Path) -> None:
    """Some documents number bold body paragraphs instead of using heading styles."""
    d = Doc()
    d.para("3 Security Architecture Views", bold=True)
    d.para("3.1 Global System View", bold=True)
    d.para("Everything talks to the gateway.")
    d.para("3.2 Security Use Case Views", bold=True)
    d.para("3.2.1 Remote Programming", bold=True)
    d.bullets("Order arrives.", numbered=True)
    model, _ = run_import(d.save(tmp_path / "plain.docx"))
    assert [(v.kind, v.name) for v in model.views] == [("global_system", "Global System View"), ("security_use_case", "Remote Programming")]
    assert model.views[1].steps == ["Order arrives."]


def test_merged_cells_group_rows_and_multi_paragraph_cells(tmp_path: Path) -> None:
    d = Doc()
    d.heading("Threats", 1)
    t = d.table(
        [
            ["Threat ID", "Threat", "STRIDE", "Control"],
            ["Spoofing threats", "", "", ""],
            ["T-1", "Forged order", "", "C-1"],
            ["", "", "", "C-2"],
            ["T-2", "Replay", "S", "C-2"],
        ]
    )
    group = t.cell(1, 0).merge(t.cell(1, 3))
    group.text = "Spoofing threats"
    merged_id = t.cell(2, 0).merge(t.cell(3, 0))
    merged_id.text = "T-1"
    merged_title = t.cell(2, 1).merge(t.cell(3, 1))
    merged_title.text = "Forged order"
    merged_title.add_paragraph("over the HL7 interface")
    d.heading("Controls", 1)
    d.table([["Control ID", "Control"], ["C-1", "Order signing"], ["C-2", "Nonce check"]])
    model, report = run_import(d.save(tmp_path / "m.docx"))
    t1 = next(x for x in model.threats if x.id == "T-1")
    assert t1.controls == ["C-1", "C-2"] and t1.stride == ["spoofing"]
    assert t1.title == "Forged order over the HL7 interface"
    assert records_at(report, "table 1 row 4")[0].disposition == "merged"
    group_row = records_at(report, "table 1 row 2")[0]
    assert group_row.disposition == "skipped" and "group heading" in (group_row.reason or "")
    assert reconciles(report)


def test_one_table_per_threat_field_names_in_the_first_column(tmp_path: Path) -> None:
    d = Doc()
    d.heading("Threat T-9", 2)
    d.table(
        [["Threat ID", "T-9"], ["Title", "Cloud credential theft"], ["STRIDE", "Spoofing, EoP"], ["Status", "Open"], ["Risk", "Medium"]]
    )
    model, report = run_import(d.save(tmp_path / "t.docx"))
    t = model.threats[0]
    assert (t.id, t.title, t.stride, t.status) == ("T-9", "Cloud credential theft", ["spoofing", "elevation_of_privilege"], "open")
    assert t.risk is not None and t.risk.level == "medium"
    assert records_at(report, "table 1 column 2")[0].item == "T-9"


def test_hidden_text_is_left_out(tmp_path: Path) -> None:
    d = Doc().heading("Global System View", 1).para("Visible text.")
    Doc.hidden_run(d.doc.paragraphs[-1], " SECRET NOTE")
    model, report = run_import(d.save(tmp_path / "h.docx"))
    assert model.views[0].description == "Visible text."
    assert warnings_with(report, "hidden text left out")


def test_key_value_lines_and_title_as_product_name(tmp_path: Path) -> None:
    d = Doc().title("CardioLink 2 Remote Monitor – Security Risk Assessment")
    d.para("Manufacturer: Heartwise GmbH")
    d.para("Software version: 2.4.1")
    model, report = run_import(d.save(tmp_path / "k.docx"))
    assert model.product.manufacturer == "Heartwise GmbH" and model.product.version == "2.4.1"
    assert model.product.name == "CardioLink 2 Remote Monitor"
    assert warnings_with(report, "taken from the document title")


def test_not_a_word_document(tmp_path: Path) -> None:
    bad = tmp_path / "x.docx"
    bad.write_text("plain text", encoding="utf-8")
    with pytest.raises(InputError, match=r"not a valid \.docx file .*plain text"):
        run_import(bad)
    with pytest.raises(InputError, match="not a zip"):
        run_import(bad, fmt="docx")


def test_use_case_numbering_and_own_ids(tmp_path: Path) -> None:
    d = Doc().heading("4 Security Use Case Views", 1)
    d.heading("Use Case 1: Pairing a new sensor", 2).para("Pairing.")
    d.heading("UC-7: Service mode", 2).para("Service.")
    d.heading("Overview", 3).para("More about service.")
    model, _ = run_import(d.save(tmp_path / "uc.docx"))
    assert [(v.id, v.name) for v in model.views] == [("view-uc-pairing-a-new-sensor", "Pairing a new sensor"), ("UC-7", "Service mode")]
    assert model.views[1].description == "Service.\n\nMore about service."


def test_lists_of_components_and_assets_and_stride_from_headings(tmp_path: Path) -> None:
    d = Doc()
    d.heading("2 System Components", 1)
    d.bullets(
        "Infusion pump – the bedside device",
        "Gateway: bridges Wi-Fi",
        "The pump talks to the gateway over Wi-Fi and the gateway relays everything onwards to the server.",
    )
    d.heading("3 Assets", 1)
    d.bullets("A-1: Patient data – PHI held on the pump", "Drug library")
    d.heading("4.1 Spoofing Threats", 2)
    d.table([["ID", "Threat", "Component"], ["T-1", "Fake gateway", "Gateway"]])
    d.heading("4.2 Tampering", 2)
    d.table([["Threat", "Description", "Component"], ["T-2", "Library altered on the pump", "Infusion pump"]])
    model, report = run_import(d.save(tmp_path / "l.docx"))
    assert [(e.id, e.name, e.description) for e in model.elements] == [
        ("infusion-pump", "Infusion pump", "the bedside device"),
        ("gateway", "Gateway", "bridges Wi-Fi"),
    ]
    assert [(a.id, a.name, a.kind) for a in model.assets] == [
        ("A-1", "Patient data", "phi"),
        ("drug-library", "Drug library", "therapy_data"),
    ]
    assert [(t.id, t.title, t.stride, t.targets) for t in model.threats] == [
        ("T-1", "Fake gateway", ["spoofing"], ["gateway"]),
        ("T-2", "Library altered on the pump", ["tampering"], ["infusion-pump"]),
    ]
    assert reconciles(report)


def test_table_of_contents_does_not_double_the_views(tmp_path: Path) -> None:
    d = Doc()
    d.para("Contents", bold=True)
    d.para("2.1 Global System View\t4")
    d.para("2.2 Multi-Patient Harm View\t5", style=None)
    d.doc.paragraphs[-1].style = d.doc.styles.add_style("TOC 2", 1)
    d.heading("2.1 Global System View", 2).para("Real content.")
    model, _ = run_import(d.save(tmp_path / "toc.docx"))
    assert [(v.kind, v.description) for v in model.views] == [("global_system", "Real content.")]


def test_a_use_case_container_without_nested_headings_is_one_use_case(tmp_path: Path) -> None:
    d = Doc().heading("5 Security Use Case View", 1).para("The clinician programs a bolus.")
    d.bullets("Select bolus", "Confirm", numbered=True)
    d.heading("6 Security Use Case Views", 1).para("The use cases follow.")
    d.heading("6.1 Remote monitoring", 2).para("Readings go to the cloud.")
    model, report = run_import(d.save(tmp_path / "c.docx"))
    assert [(v.name, v.description, v.steps) for v in model.views] == [
        ("Security Use Case View", "The clinician programs a bolus.", ["Select bolus", "Confirm"]),
        ("Remote monitoring", "Readings go to the cloud.", []),
    ]
    assert reconciles(report) and len([r for r in report.records if r.item and r.item.startswith("view")]) == 2
