"""A Word or Excel file whose zip holds two members of one name is damaged, not read one way or the other.

Python's zip reader takes the last of them and Office the first (or refuses the file): a Word threat model
with two ``word/document.xml`` was imported from the second, and the threats of the first were lost without
a word."""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from tests.test_cli_foundation import run


def _word(path: Path) -> Path:
    d = docx.Document()
    d.add_heading("Threats", 1)
    table = d.add_table(rows=3, cols=3)
    for i, row in enumerate([["ID", "Threat", "STRIDE"], ["T-1", "Spoofing of the pump", "Spoofing"], ["T-2", "Tampering", "Tampering"]]):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    d.save(str(path))
    return path


def _excel(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Threats"
    for row in (["ID", "Threat", "STRIDE"], ["T-1", "Spoofing of the pump", "Spoofing"], ["T-2", "Tampering", "Tampering"]):
        ws.append(row)
    wb.save(path)
    return path


def _twice(src: Path, dest: Path, member: str, second_name: str) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name: the point of the test
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, data)
            if info.filename == member:
                zout.writestr(second_name, data.replace(b"Spoofing of the pump", b"Another threat altogether"))


@pytest.mark.parametrize(
    ("kind", "member", "second"),
    [
        ("docx", "word/document.xml", "word/document.xml"),
        ("docx", "word/document.xml", "Word/Document.xml"),
        ("xlsx", "xl/workbook.xml", "XL/Workbook.xml"),
        ("xlsx", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet1.xml"),
    ],
    ids=["word-body", "word-body-other-case", "excel-workbook-other-case", "excel-sheet"],
)
def test_two_members_of_one_name_are_refused(
    tmp_path: Path, kind: str, member: str, second: str, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = (_word if kind == "docx" else _excel)(tmp_path / f"plain.{kind}")
    with zipfile.ZipFile(plain) as zf:
        assert member in zf.namelist()
    bad = tmp_path / f"model.{kind}"
    _twice(plain, bad, member, second)
    out = tmp_path / "model.json"
    code, _, err = run(["import", str(bad), "-o", str(out)], capsys)
    assert code == 2, err
    assert "two members named" in err and f"model.{kind}" in err and second in err
    assert "Traceback" not in err and "unexpected" not in err
    assert not out.exists()
    assert run(["import", str(plain), "-o", str(out)], capsys)[0] == 0  # the file as saved imports
