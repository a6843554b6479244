"""Layouts of real tabular registers written by other people (tests/data/registers-real/SOURCES.md, "Round 14
(tabular)"), each as a short paraphrased excerpt in the same shape, read alike as CSV and as a workbook laid out as
people keep one (a merged title row, a two-row header with a group cell over the rating columns, a notes row below
the table)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl

from mdptm.model import Model
from mdptm.model.report import ImportReport
from tests.importers.import_helpers import checked_import, warning_messages


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _cell(value: str) -> object:
    return int(value) if value.isdigit() else (value or None)


def _book(path: Path, sheets: dict[str, list[list[str]]], group: tuple[str, list[str]] | None = None) -> Path:
    """Each sheet: a merged title row, then the table; on the first sheet a two-row header whose *group* cell spans
    the named columns (the other header cells merged down), and a notes row below the table."""
    wb = openpyxl.Workbook()
    first = True
    for name, rows in sheets.items():
        ws = wb.active if first else wb.create_sheet(name)
        assert ws is not None
        ws.title = name
        width = max(len(r) for r in rows)
        ws.append([f"{name} — reviewed quarterly"])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        header, body = rows[0], rows[1:]
        if first and group is not None:
            label, spanned = group
            cols = [header.index(h) + 1 for h in spanned]
            top = [label if i + 1 == cols[0] else None for i in range(width)]
            top = [h if i + 1 not in cols else top[i] for i, h in enumerate(header)]
            ws.append(top)
            ws.append([h if i + 1 in cols else None for i, h in enumerate(header)])
            ws.merge_cells(start_row=2, start_column=cols[0], end_row=2, end_column=cols[-1])
            for c in range(1, width + 1):
                if c not in cols:
                    ws.merge_cells(start_row=2, start_column=c, end_row=3, end_column=c)
        else:
            ws.append(header)
        for row in body:
            ws.append([_cell(v) for v in row])
        if first:
            ws.append([])
            ws.append(["Note: scores are likelihood x impact on 1-5 scales; owners review monthly."])
        first = False
    wb.save(str(path))
    return path


def _both(tmp_path: Path, text: str, name: str, group: tuple[str, list[str]] | None = None) -> Iterator[tuple[Model, ImportReport]]:
    """*text* imported as a CSV file and as a workbook laid out by hand (see :func:`_book`)."""
    plain = tmp_path / f"{name}.csv"
    plain.write_text(text, encoding="utf-8")
    yield checked_import(plain)
    yield checked_import(_book(tmp_path / f"{name}.xlsx", {"Register": _rows(text)}, group))


# -- a findings register: "Target" holds when each finding is due to be fixed ("3 days", "45 days"), next to the
# priority and the owner; and a risk register whose "target_window" says "0-30 days"

_FINDINGS = (
    "ID,Finding,Asset,Likelihood,Impact,Score,Rating,Owner,Priority,Target,Status\n"
    "F-01,Unpatched logging library on the portal API,app-srv-04,4,5,20,Critical,App Owner,P1,3 days,Open\n"
    "F-02,Legacy file server still speaks SMBv1,fs-legacy-01,4,5,20,Critical,Infra Lead,P1,45 days,Open\n"
    "F-03,SQL injection in the calculator search,calc.example,3,5,15,High,Dev Lead,P2,30 days,Open\n"
    "F-04,Default credentials on cameras,Cameras,2,2,4,Low,Facilities,P4,180 days,Open\n"
)


def test_a_target_column_of_time_frames_names_no_component(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _FINDINGS, "findings", ("Rating", ["Likelihood", "Impact", "Score", "Rating"])):
        assert len(model.threats) == 4
        # before: four components named "3 days", "45 days", "30 days", "180 days", each threat targeting one
        assert model.elements == []
        assert [t.targets for t in model.threats] == [[]] * 4
        assert [t.extra.get("Target") for t in model.threats] == ["3 days", "45 days", "30 days", "180 days"]
        assert any("holds time frames ('3 days', …), not components" in w for w in warning_messages(report))
        assert [t.risk.level if t.risk else None for t in model.threats] == ["critical", "critical", "high", "low"]


_WINDOWS = (
    "risk_id,domain,risk_statement,likelihood,impact,inherent_score,existing_control,residual_score,priority,owner,target_window\n"
    "R-01,Identity,Two users are not enrolled in MFA,4,5,20,Partial enrollment,16,Critical,Office Manager,0-14 days\n"
    "R-02,Identity,The owner's daily account keeps the admin role,4,5,20,No separate admin account evidenced,15,High,Owner,0-30 days\n"
    "R-03,Endpoint,Devices run weeks behind on updates,4,4,16,Ad hoc updates,12,High,Office Manager,15-45 days\n"
)


def test_a_target_window_of_day_ranges_names_no_component(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _WINDOWS, "windows"):
        # before: components "0-14 days", "0-30 days", "15-45 days"
        assert model.elements == []
        assert [t.extra.get("target_window") for t in model.threats] == ["0-14 days", "0-30 days", "15-45 days"]


def test_an_existing_control_cell_saying_none_is_in_place_makes_no_control(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _WINDOWS, "existing"):
        # before: a control titled "No separate admin account evidenced", implemented, linked to R-02
        assert [c.title for c in model.controls] == ["Partial enrollment", "Ad hoc updates"]
        assert [t.controls != [] for t in model.threats] == [True, False, True]
        assert model.threats[1].extra["existing_control"] == "No separate admin account evidenced"
        assert any("says no measure is in place: no control" in w for w in warning_messages(report))
