"""A workbook whose parts are missing or cut short is refused, naming the file and the place, rather than read
with sheets or cell texts silently left out (docs/security.md: nothing lost)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from mdptm.errors import InputError
from mdptm.pipeline.importing import ImportSource, import_sources

ROWS = [
    ["ID", "Threat", "Description", "STRIDE", "Mitigation"],
    ["T-1", "Spoofing of the pump", "An attacker spoofs the pump on the network", "Spoofing", "Mutual TLS"],
    ["T-2", "Tampering with orders", "An attacker alters infusion orders in transit", "Tampering", "Signed orders"],
]
SST_REL = (
    '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml" Id="rIdSst"/>'
)


def _shared_strings_workbook(path: Path, *, strings_kept: int | None = None, sst: bool = True) -> Path:
    """A register whose text cells refer to shared strings (as Excel writes them); *strings_kept* cuts the
    shared strings part short, *sst* False leaves it out."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Threats"
    for row in ROWS:
        ws.append(row)
    plain = path.with_suffix(".plain.xlsx")
    wb.save(plain)
    strings: list[str] = []

    def to_shared(m: re.Match[str]) -> str:
        strings.append(m.group(2))
        return f'{m.group(1)} t="s"><v>{len(strings) - 1}</v></c>'

    with zipfile.ZipFile(plain) as zi, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zi.infolist():
            data = zi.read(info.filename).decode("utf-8")
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(r'(<c r="[A-Z]+\d+")(?: s="\d+")? t="inlineStr"><is><t>([^<]*)</t></is></c>', to_shared, data)
            elif info.filename == "xl/_rels/workbook.xml.rels" and sst:
                data = data.replace("</Relationships>", SST_REL + "</Relationships>")
            elif info.filename == "[Content_Types].xml" and sst:
                data = data.replace(
                    "</Types>",
                    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            zo.writestr(info, data)
        if sst:
            kept = strings if strings_kept is None else strings[:strings_kept]
            items = "".join(f"<si><t>{s}</t></si>" for s in kept)
            zo.writestr(
                "xl/sharedStrings.xml",
                f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(kept)}">{items}</sst>',
            )
    plain.unlink()
    assert len(strings) == 15
    return path


def _titles(path: Path) -> list[str]:
    model, _ = import_sources([ImportSource(path)])
    return sorted(t.title for t in model.threats)


def test_a_whole_workbook_with_shared_strings_is_read(tmp_path: Path) -> None:
    assert _titles(_shared_strings_workbook(tmp_path / "ok.xlsx")) == ["Spoofing of the pump", "Tampering with orders"]


@pytest.mark.parametrize(("kept", "sst"), [(None, False), (9, True), (14, True)], ids=["no-part", "cut-at-9", "cut-at-14"])
def test_a_cell_whose_shared_string_is_missing_is_refused_naming_the_cell(tmp_path: Path, kept: int | None, sst: bool) -> None:
    # the threat texts were imported as empty cells: 'Mitigation' of T-2 (the last string) lost without a word
    path = _shared_strings_workbook(tmp_path / "cut.xlsx", strings_kept=kept, sst=sst)
    with pytest.raises(InputError) as exc:
        _titles(path)
    first_lost = 0 if kept is None else kept
    cell = ["A1", "B1", "C1", "D1", "E1", "A2", "B2", "C2", "D2", "E2", "A3", "B3", "C3", "D3", "E3"][first_lost]
    assert exc.value.file == path.name and exc.value.locator == f"Threats!{cell}"
    assert "shared string" in exc.value.message and "damaged" in exc.value.message


def test_a_sheet_whose_part_is_missing_is_refused(tmp_path: Path) -> None:
    # its rows were left out without a word
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Threats"
    for row in ROWS:
        ws.append(row)
    more = wb.create_sheet("Controls")
    more.append(["ID", "Control"])
    whole = tmp_path / "whole.xlsx"
    wb.save(whole)
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(whole) as zi, zipfile.ZipFile(path, "w") as zo:
        for info in zi.infolist():
            if info.filename != "xl/worksheets/sheet2.xml":
                zo.writestr(info, zi.read(info.filename))
    with pytest.raises(InputError) as exc:
        _titles(path)
    assert exc.value.file == path.name and "'Controls'" in exc.value.message and "xl/worksheets/sheet2.xml is missing" in exc.value.message
