"""Random cell contents never crash an importer, and what comes out is a valid model with a reconciled report."""

from __future__ import annotations

import csv
import re
import tempfile
from pathlib import Path

import docx
import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mdptm.errors import InputError
from mdptm.model.validate import validate_model
from tests.importers.import_helpers import reconciles, run_import

WORDS = [
    "ID",
    "Threat ID",
    "Threat",
    "STRIDE",
    "Component",
    "Affected component(s)",
    "Mitigation(s)",
    "Control ID",
    "Control",
    "Status",
    "Risk",
    "Residual risk",
    "Likelihood",
    "Severity",
    "Source",
    "Destination",
    "Flow",
    "Asset",
    "Trust zone",
    "Assumption",
    "Version",
    "Date",
    "Author",
    "Manufacturer:",
    "Product",
    "Type",
    "S",
    "T, I",
    "T/R",
    "Spoofing / Tampering",
    "Mitigated",
    "Risk accepted",
    "N/A",
    "None identified",
    "4 x 5 = 20",
    "High (12)",
    "3",
    "H",
    "Medium",
    "C-01; C-02",
    "T-1",
    "E-1",
    "Pump",
    "Gateway",
    "->",
    "↔",
    "#",
    "",
    "",
    "",
]
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

cell = st.one_of(st.sampled_from(WORDS), st.text(max_size=25)).map(lambda s: _ILLEGAL.sub("", s))
grid = st.lists(st.lists(cell, min_size=1, max_size=7), min_size=1, max_size=9)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(path: Path) -> None:
    try:
        model, report = run_import(path)
    except InputError:
        return
    assert reconciles(report)
    assert validate_model(model) == []


@FUZZ
@given(grid, st.booleans())
def test_random_workbooks(rows: list[list[str]], merge: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        wb = openpyxl.Workbook()
        ws = wb.active
        assert ws is not None
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value:
                    ws.cell(row=r, column=c, value=value)
        if merge and len(rows) > 2:
            ws.merge_cells(start_row=1, start_column=1, end_row=2, end_column=2)
            ws.column_dimensions["B"].hidden = True
        path = Path(tmp) / "fuzz.xlsx"
        wb.save(str(path))
        _check(path)


@FUZZ
@given(grid, st.sampled_from([",", ";", "\t"]), st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_random_csv(rows: list[list[str]], delim: str, encoding: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.csv"
        with path.open("w", encoding=encoding, errors="replace", newline="") as fh:
            csv.writer(fh, delimiter=delim).writerows(rows)
        _check(path)


@FUZZ
@given(grid, st.lists(st.sampled_from(WORDS + ["Global System View", "Security Use Case Views", "Assumptions"]), max_size=4))
def test_random_word_documents(rows: list[list[str]], headings: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        d = docx.Document()
        for n, text in enumerate(headings):
            d.add_heading(text or "x", 1 + n % 3)
            d.add_paragraph(text, style="List Bullet")
        width = max(len(r) for r in rows)
        table = d.add_table(rows=len(rows), cols=width)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
        if len(rows) > 2 and width > 1:
            table.cell(1, 0).merge(table.cell(2, 0))
        path = Path(tmp) / "fuzz.docx"
        d.save(str(path))
        _check(path)
