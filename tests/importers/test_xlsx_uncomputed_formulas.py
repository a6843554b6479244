"""A formula cell whose result was never saved (the workbook was written by a program that computes no
formulas, as openpyxl or pandas) has no value to read: it is named in a warning, never lost without a word.

A register with the title cell ``=CONCATENATE("Tamp", "ering of the pump")`` was imported with the threat's
title taken from its description, and nothing said that a cell was not read."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

from tests.importers.import_helpers import checked_import


def _register(path: Path, title: str, description: str) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Threats"
    ws.append(["ID", "Threat", "STRIDE", "Description"])
    ws.append(["T-1", "Spoofing of the pump", "Spoofing", "A rogue server sends orders."])
    ws.append(["T-2", title, "Tampering", description])
    wb.save(path)
    return path


def test_a_formula_with_no_saved_result_is_named(tmp_path: Path) -> None:
    path = _register(tmp_path / "register.xlsx", '=CONCATENATE("Tamp","ering of the pump")', '=HYPERLINK("http://wiki/x","see the wiki")')
    _model, report = checked_import(path)
    said = {w.locator: w.message for w in report.warnings if w.file == "register.xlsx"}
    assert "formula with no saved result" in said.get("Threats!B3", "")
    assert "formula with no saved result" in said.get("Threats!D3", "")


def test_a_computed_formula_is_read_and_not_warned_about(tmp_path: Path) -> None:
    """As Excel saves it: the formula with its result (a text result marked t="str", an empty one too)."""
    plain = _register(tmp_path / "plain.xlsx", '=CONCATENATE("Tamp","ering of the pump")', '=IF(TRUE,"","x")')
    path = tmp_path / "register.xlsx"
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<c r="B3"><f>', b'<c r="B3" t="str"><f>').replace(b'<c r="D3"><f>', b'<c r="D3" t="str"><f>')
                data = data.replace(b"ering of the pump&quot;)</f><v></v>", b"ering of the pump&quot;)</f><v>Tampering of the pump</v>")
                data = data.replace(b'ering of the pump")</f><v></v>', b'ering of the pump")</f><v>Tampering of the pump</v>')
            zout.writestr(info, data)
    model, report = checked_import(path)
    assert [t.title for t in model.threats] == ["Spoofing of the pump", "Tampering of the pump"]
    assert not [w for w in report.warnings if "formula" in w.message]


def test_an_error_a_formula_gave_is_no_text(tmp_path: Path) -> None:
    """'#REF!' in a component column became a component of that name (an element invented), '#N/A' a description."""
    plain = tmp_path / "plain.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Threats"
    for row in (
        ["ID", "Threat", "STRIDE", "Description", "Component"],
        ["T-1", "Spoofing of the pump", "Spoofing", "d1", "Pump"],
        ["T-2", "Tampering of the pump", "Tampering", "d2", "Pump"],
    ):
        ws.append(row)
    wb.save(plain)
    path = tmp_path / "register.xlsx"
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                na = b'<c r="D2" t="e"><f>VLOOKUP(A2,N!A:B,2,0)</f><v>#N/A</v></c>'
                ref = b'<c r="E3" t="e"><f>Components!B7</f><v>#REF!</v></c>'
                data = data.replace(b'<c r="D2" t="inlineStr"><is><t>d1</t></is></c>', na)
                data = data.replace(b'<c r="E3" t="inlineStr"><is><t>Pump</t></is></c>', ref)
                assert data.count(b't="e"') == 2
            zout.writestr(info, data)
    model, report = checked_import(path)
    assert [e.name for e in model.elements] == ["Pump"]
    assert [t.description or "" for t in model.threats] == ["", "d2"]
    said = {w.locator: w.message for w in report.warnings}
    assert "#N/A" in said["Threats!D2"] and "#REF!" in said["Threats!E3"]
