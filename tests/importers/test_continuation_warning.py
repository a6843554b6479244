"""A Word or Excel threat table whose first column names the component, with empty cells under a named one,
reads each such row as continuing the component above (a table written without merged cells). That is a
guess there, where an empty cell may mean "no component": the import report says which rows it guessed."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl

from tests.importers.import_helpers import checked_import, warning_messages

ROWS = [
    ["Component", "Threat", "STRIDE", "Mitigation"],
    ["Device", "Spoofed device identity", "S", "Per-device X.509 certificates"],
    ["", "Firmware tampered on the device", "T", "Signed firmware"],
    ["Gateway", "Flooded with connections", "D", "Rate limiting"],
]


def _word(path: Path) -> Path:
    d = docx.Document()
    d.add_heading("Threats to the processes", 2)
    t = d.add_table(rows=0, cols=4)
    for row in ROWS:
        for cell, text in zip(t.add_row().cells, row, strict=True):
            cell.text = text
    d.save(str(path))
    return path


def _excel(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Threats"
    for row in ROWS:
        ws.append(row)
    wb.save(path)
    return path


def test_word_and_excel_say_which_empty_component_cells_were_read_as_the_row_above(tmp_path: Path) -> None:
    for path in (_word(tmp_path / "tm.docx"), _excel(tmp_path / "tm.xlsx")):
        model, report = checked_import(path)
        tampered = next(t for t in model.threats if t.title.startswith("Firmware"))
        device = next(e.id for e in model.elements if e.name == "Device")
        assert tampered.targets == [device]
        said = [w for w in warning_messages(report) if "read as the row above's" in w]
        assert len(said) == 1 and "'Component'" in said[0], warning_messages(report)
