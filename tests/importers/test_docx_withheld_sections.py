"""A Word section its author set apart ("Confidential", "Internal only", "Not for distribution", a line
"CONFIDENTIAL" under a heading) keeps its threats out of the PTM: items under it that state no
sensitivity take the marking's, and the import report says so."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from tests.importers.import_helpers import reconciles, run_import, warnings_with

HEADER = ["ID", "Threat", "STRIDE", "Component", "Status"]


def _table(doc: docx.document.Document, rows: list[list[str]], header: list[str] = HEADER) -> None:
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    for c, h in enumerate(header):
        table.cell(0, c).text = h
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            table.cell(r, c).text = v


def _doc(tmp_path: Path, heading: str, *, line: str | None = None, level: int = 2) -> Path:
    doc = docx.Document()
    doc.add_heading("Pump threat model", 0)
    doc.add_heading("Threats", 1)
    _table(doc, [["T-1", "Spoofed pump", "S", "Pump", "Open"]])
    doc.add_heading(heading, level)
    if line is not None:
        doc.add_paragraph(line)
    _table(doc, [["T-9", "Backdoor account in the service menu", "E", "Pump", "Open"]])
    path = tmp_path / "tm.docx"
    doc.save(str(path))
    return path


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Confidential", "confidential"),
        ("Internal only", "confidential"),
        ("Not for distribution", "confidential"),
        ("4.3 Confidential threats", "confidential"),
        ("Debug interface (Internal use only)", "confidential"),
        ("NOT FOR DISTRIBUTION: debug interface", "confidential"),
        ("Debug interface – Trade secret", "trade_secret"),
        ("Proprietary", "trade_secret"),
        ("Internal threats", "public"),  # insiders: the subject, not a marking
        ("Confidential data handling", "public"),
        ("Loss of confidentiality", "public"),
        ("Proprietary protocol", "public"),
    ],
)
def test_threats_under_a_marked_heading_are_withheld(tmp_path: Path, heading: str, expected: str) -> None:
    model, report = run_import(_doc(tmp_path, heading))
    assert {t.id: t.sensitivity for t in model.threats} == {"T-1": "public", "T-9": expected}
    assert bool(warnings_with(report, "not published")) == (expected != "public")
    assert reconciles(report)


def test_a_marked_parent_heading_covers_its_subsections(tmp_path: Path) -> None:
    doc = docx.Document()
    doc.add_heading("Threats", 1)
    _table(doc, [["T-1", "Spoofed pump", "S", "Pump", "Open"]])
    doc.add_heading("Annex B - Confidential", 1)
    doc.add_heading("Debug port", 2)
    _table(doc, [["T-9", "Backdoor account in the service menu", "E", "Pump", "Open"]])
    doc.add_heading("Public annex", 1)
    _table(doc, [["T-10", "Replayed order", "T", "Pump", "Open"]])
    path = tmp_path / "tm.docx"
    doc.save(str(path))
    model, _ = run_import(path)
    assert {t.id: t.sensitivity for t in model.threats} == {"T-1": "public", "T-9": "confidential", "T-10": "public"}


def test_a_marker_line_under_a_heading_sets_the_rest_of_the_section_apart(tmp_path: Path) -> None:
    model, report = run_import(_doc(tmp_path, "Debug port", line="CONFIDENTIAL"))
    assert {t.id: t.sensitivity for t in model.threats} == {"T-1": "public", "T-9": "confidential"}
    assert warnings_with(report, "marks the rest of section")


def test_a_cover_page_marking_does_not_withhold_the_document(tmp_path: Path) -> None:
    doc = docx.Document()
    doc.add_paragraph("Company Confidential")  # before any heading: the whole document's classification
    doc.add_heading("Threats", 1)
    _table(doc, [["T-1", "Spoofed pump", "S", "Pump", "Open"]])
    path = tmp_path / "tm.docx"
    doc.save(str(path))
    model, _ = run_import(path)
    assert [t.sensitivity for t in model.threats] == ["public"]


def test_a_stated_sensitivity_wins_and_an_empty_cell_takes_the_heading(tmp_path: Path) -> None:
    doc = docx.Document()
    doc.add_heading("Confidential", 1)
    rows = [["T-1", "Spoofed pump", "S", "Pump", "Open", "Public"], ["T-2", "Replay", "T", "Pump", "Open", ""]]
    _table(doc, rows, [*HEADER, "Sensitivity"])
    path = tmp_path / "tm.docx"
    doc.save(str(path))
    model, _ = run_import(path)
    assert {t.id: t.sensitivity for t in model.threats} == {"T-1": "public", "T-2": "confidential"}


def test_a_bulleted_classification_marks_nothing(tmp_path: Path) -> None:
    doc = docx.Document()
    doc.add_heading("Data classification", 1)
    for level in ("Public", "Internal only", "Confidential"):
        doc.add_paragraph(level, style="List Bullet")
    _table(doc, [["T-1", "Spoofed pump", "S", "Pump", "Open"]])
    path = tmp_path / "tm.docx"
    doc.save(str(path))
    model, report = run_import(path)
    assert [t.sensitivity for t in model.threats] == ["public"]
    assert not warnings_with(report, "marks the rest of section")


def test_a_caption_marks_its_table_only(tmp_path: Path) -> None:
    doc = docx.Document()
    doc.add_heading("Threats", 1)
    doc.add_paragraph("Table 4: Confidential threats")
    _table(doc, [["T-9", "Backdoor account in the service menu", "E", "Pump", "Open"]])
    doc.add_paragraph("Table 5: Network threats")
    _table(doc, [["T-1", "Spoofed pump", "S", "Pump", "Open"]])
    path = tmp_path / "tm.docx"
    doc.save(str(path))
    model, report = run_import(path)
    assert {t.id: t.sensitivity for t in model.threats} == {"T-1": "public", "T-9": "confidential"}
    assert warnings_with(report, "marks its table confidential")
