"""A register's sensitivity column: a row is published only when it says so, never by a guess."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importers.import_helpers import run_import, warnings_with


def _register(tmp_path: Path, values: list[str]) -> Path:
    lines = ["ID,Threat,STRIDE,Component,Status,Sensitivity"]
    lines += [f"T-{i},Threat number {i},T,Pump,Open,{v}" for i, v in enumerate(values, 1)]
    path = tmp_path / "register.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "value",
    [
        "Embargoed",
        "Not for publication",
        "Withheld",
        "Sensitive",
        "Classified",
        "Not public",
        "non-public",
        "Never publish",
        "Kestrel-only",
    ],
)
def test_a_marked_row_is_never_read_as_public(tmp_path: Path, value: str) -> None:
    model, _report = run_import(_register(tmp_path, [value]))
    assert [t.sensitivity for t in model.threats] == ["confidential"]


@pytest.mark.parametrize("value", ["Never publish", "Kestrel-only", "Public? no", "Nicht öffentlich"])
def test_a_value_not_understood_or_denying_publication_is_confidential_with_a_warning(tmp_path: Path, value: str) -> None:
    model, report = run_import(_register(tmp_path, [value]))
    assert [t.sensitivity for t in model.threats] == ["confidential"]
    assert warnings_with(report, "so not published")


@pytest.mark.parametrize(("value", "expected"), [("Public", "public"), ("yes", "public"), ("Internal only", "internal"), ("", "public")])
def test_understood_values_are_read_as_written(tmp_path: Path, value: str, expected: str) -> None:
    model, report = run_import(_register(tmp_path, [value]))
    assert [t.sensitivity for t in model.threats] == [expected]
    assert not warnings_with(report, "so not published")


@pytest.mark.parametrize(("sheet", "expected"), [("Internal", "internal"), ("Confidential", "confidential"), ("Threats", "public")])
def test_rows_on_a_sheet_named_for_a_sensitivity_take_it(tmp_path: Path, sheet: str, expected: str) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    ws.append(["ID", "Threat", "STRIDE", "Component", "Status"])
    ws.append(["T-9", "Backdoor account in the service menu", "E", "Pump", "Open"])
    path = tmp_path / "register.xlsx"
    wb.save(path)
    model, report = run_import(path)
    assert [t.sensitivity for t in model.threats] == [expected]
    assert bool(warnings_with(report, "the sheet's name")) == (expected != "public")
