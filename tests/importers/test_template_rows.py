"""A template's example row is no threat; a real row that happens to hold a slash or a yes/no still is."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from mdptm.errors import InputError
from tests.importers.import_helpers import reconciles, records_at, run_import

HEADER = ["ID", "Threat", "STRIDE", "Affected component", "Likelihood", "Severity", "Mitigation", "Status"]


def _register(path: Path, rows: list[list[str]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Threat Register"
    for row in [HEADER, *rows]:
        ws.append(row)
    wb.save(path)
    return path


def test_the_example_row_a_template_ships_with_is_skipped_with_its_reason(tmp_path: Path) -> None:
    path = _register(
        tmp_path / "register.xlsx",
        [
            [
                "T-00",
                "Threat title",
                "S/T/R/I/D/E",
                "Affected component",
                "High/Medium/Low",
                "High/Medium/Low",
                "",
                "Open/Mitigated/Accepted",
            ],
            ["T-01", "Spoofed clinician session on the bedside tablet", "S/T", "Tablet app", "Medium", "High", "MFA", "Mitigated"],
            ["T-02", "Drug library replaced in transit", "T", "Pump", "Low", "High", "Signed library", "Mitigated"],
        ],
    )
    model, report = run_import(path)
    assert [t.id for t in model.threats] == ["T-01", "T-02"]
    assert model.threats[0].stride == ["spoofing", "tampering"]  # "S/T" is two categories, not a menu
    skipped = records_at(report, "Threat Register!A2")
    assert skipped[0].disposition == "skipped" and skipped[0].reason is not None
    said = "template row: its cells describe their columns ('Threat title', 'S/T/R/I/D/E', 'Affected component')"
    assert skipped[0].reason.startswith(said)
    assert "Affected component" not in [e.name for e in model.elements]
    assert reconciles(report)


def test_a_template_with_only_its_example_row_is_an_error_naming_the_row(tmp_path: Path) -> None:
    text = (
        "# Threat Catalog\n\n| # | Threat | STRIDE | Component | Existing Mitigation | Risk Level |\n|---|---|---|---|---|---|\n"
        "| 1 | Description | S/T/R/I/D/E | Affected component | What exists today | Critical/High/Medium/Low |\n"
    )
    path = tmp_path / "catalog.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="no threat-model content found") as err:
        run_import(path)
    assert "template row" in str(err.value)


def test_an_id_with_ellipses_for_its_text_is_no_threat(tmp_path: Path) -> None:
    path = _register(
        tmp_path / "r.xlsx",
        [
            ["T-01", "Pump firmware replaced over USB", "T", "Pump", "Low", "High", "Signed firmware", "Mitigated"],
            ["T-02", "...", "...", "", "...", "...", "…", ""],
        ],
    )
    model, report = run_import(path)
    assert [t.id for t in model.threats] == ["T-01"]
    assert "empty or placeholders" in (records_at(report, "Threat Register!A3")[0].reason or "")


def test_a_real_row_with_one_level_list_stays_a_threat(tmp_path: Path) -> None:
    """One describing-looking cell is not enough: a row whose only menu is "Low/Medium/High" is kept."""
    path = _register(
        tmp_path / "r.xlsx", [["T-01", "Alarm silenced remotely", "D", "Pump", "Low/Medium/High", "High", "Local alarm", "Mitigated"]]
    )
    model, _report = run_import(path)
    assert [t.id for t in model.threats] == ["T-01"]


def test_the_answer_for_a_cell_is_kept_per_column_not_per_text() -> None:
    """What a cell says is remembered per column (kind, field, header) and text: the same words that
    describe one column are a value in another, however often they were seen before."""
    from mdptm.importers.tabular.grid import RowRecord
    from mdptm.importers.tabular.template_rows import template_row_reason
    from mdptm.importers.tabular.vocab import vocabulary

    vocab = vocabulary()

    def row(values: dict[str, str], headers: dict[str, str]) -> RowRecord:
        return RowRecord("threat", "t.xlsx", "row 2", values, headers, {})

    example = row({"title": "Threat", "targets": "Affected component"}, {"title": "Threat", "targets": "Affected component"})
    swapped = row({"title": "Affected component", "targets": "Threat"}, {"title": "Title", "targets": "Component"})
    for _ in range(2):  # the second time from what was kept
        assert template_row_reason(vocab, example) is not None
        assert template_row_reason(vocab, swapped) is None
    long_menu = "Critical/High/Medium/Low " + "x" * 60  # past the length a choice is looked for in
    assert template_row_reason(vocab, row({"title": "Threat", "risk": long_menu}, {"title": "Threat", "risk": "Risk"})) is None
    assert template_row_reason(vocab, row({"title": "Threat", "risk": "Critical/High/Medium/Low"}, {"title": "Threat", "risk": "Risk"}))
