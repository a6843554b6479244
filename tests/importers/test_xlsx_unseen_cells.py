"""A register cell no reader sees in Excel -- white text on an uncoloured cell, a font of 2 pt or less, the
number format ``;;;`` -- is not imported, and the report names the cell; white text on a coloured header
row is read."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.styles import Font, PatternFill

from tests.importers.import_helpers import run_import, warnings_with

HEADER = ["ID", "Threat", "Description", "STRIDE", "Component", "Status"]


def _register(tmp_path: Path, hide: str) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Threats"
    ws.append(HEADER)
    for cell in ws[1]:  # white on dark blue: read
        cell.font = Font(color="FFFFFFFF", bold=True)
        cell.fill = PatternFill("solid", fgColor="FF1F3864")
    ws.append(["T-1", "Spoofed pump", "An attacker impersonates the pump.", "S", "Pump", "Open"])
    ws.append(["T-2", "Replayed order", "Zephyrine backdoor note", "T", "Pump", "Open"])
    secret = ws["C3"]
    if hide == "white":
        secret.font = Font(color="FFFFFFFF")
    elif hide == "theme":
        from openpyxl.styles.colors import Color

        secret.font = Font(color=Color(theme=0))
    elif hide == "tiny":
        secret.font = Font(size=1)
    elif hide == "format":
        secret.number_format = ";;;"
    path = tmp_path / f"register-{hide}.xlsx"
    wb.save(str(path))
    return path


def test_unseen_cells_are_left_out_and_reported(tmp_path: Path) -> None:
    for hide in ("white", "theme", "tiny", "format"):
        model, report = run_import(_register(tmp_path, hide))
        assert [t.id for t in model.threats] == ["T-1", "T-2"], hide  # the white header row was read
        assert "Zephyrine" not in model.model_dump_json(), hide
        assert [w.locator for w in warnings_with(report, "left out: it is not imported")] == ["Threats!C3"], hide


def test_a_visible_cell_is_read(tmp_path: Path) -> None:
    model, report = run_import(_register(tmp_path, "none"))
    assert [t.description for t in model.threats] == ["An attacker impersonates the pump.", "Zephyrine backdoor note"]
    assert not warnings_with(report, "left out: it is not imported")
