"""``mdptm inspect``: how each table was read, and a written profile whose one edited line fixes a misread."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from mdptm.cli import main
from mdptm.pipeline.inspection import inspect_file, profile_for, profile_yaml, render
from tests.importers.import_helpers import run_import, workbook

REGISTER = [
    ["Threat register — Pump v2"],
    [],
    ["Threat ID", "Threat", "Notes", "Component", "Owner"],
    ["T-1", "Spoofed pump command", "Attacker replays a bolus over BLE", "Pump", "R. Roe"],
    ["T-2", "Library tampering", "Drug limits changed on the server", "Server", "J. Doe"],
    ["T-3", None, None, None, None],
]
LEGEND = [["Value", "Meaning"], ["1", "Rare"], ["5", "Almost certain"]]
AGENTS = [["Threat Agent", "Motivation", "Capability"], ["Insider", "Money", "High"], ["Hacktivist", "Fame", "Low"]]


def _book(tmp_path: Path) -> Path:
    return workbook(tmp_path / "reg.xlsx", {"Register": REGISTER, "Legend": LEGEND, "Threat agents": AGENTS})


def test_inspect_says_how_each_sheet_was_read(tmp_path: Path) -> None:
    insp = inspect_file(_book(tmp_path))
    reg, legend, agents = insp.grids
    (table,) = reg.tables
    assert (table.kind, table.header_rows, table.confidence) == ("threat", [3], "high")
    assert {c.header: c.field for c in table.columns} == {
        "Threat ID": "id",
        "Threat": "title",
        "Notes": "notes",
        "Component": "targets",
        "Owner": None,
    }
    assert table.rows["imported"] == 2
    assert table.skipped["empty template row"] == 1
    assert reg.other["title row above the table header"] == 1
    assert legend.tables == [] and legend.other
    assert not any(t.kind == "threat" for t in agents.tables)
    text = render(insp)
    assert "sheet 'Register' A3: threat table, header row 3, confidence high" in text
    assert "Owner" in text and "→ extra" in text


def test_written_profile_pins_the_reading_and_one_edited_line_changes_it(tmp_path: Path) -> None:
    path = _book(tmp_path)
    text = profile_yaml(inspect_file(path))
    data = yaml.safe_load(text)
    assert data["sheets"]["Register"] == {
        "kind": "threat",
        "header_row": 3,
        "columns": {"Threat ID": "id", "Threat": "title", "Notes": "notes", "Component": "targets", "Owner": "extra"},
    }
    assert data["sheets"]["Legend"] == "skip" and data["sheets"]["Threat agents"] == "skip"
    pinned, _ = run_import(path, profile=data)
    plain, _ = run_import(path)
    assert [(t.id, t.title, t.notes) for t in pinned.threats] == [(t.id, t.title, t.notes) for t in plain.threats]
    # One edited line: the "Notes" column is the threat's description.
    edited = yaml.safe_load(text.replace("Notes: notes", "Notes: description"))
    model, _ = run_import(path, profile=edited)
    assert model.threats[0].description == "Attacker replays a bolus over BLE"
    assert plain.threats[0].description == ""
    # Another: a column the user does not want read.
    unmapped = yaml.safe_load(text.replace("Component: targets", "Component: extra"))
    model, _ = run_import(path, profile=unmapped)
    assert model.threats[0].targets == [] and model.threats[0].extra["Component"] == "Pump"
    assert plain.threats[0].targets


def test_profile_pins_a_two_row_header(tmp_path: Path) -> None:
    rows = [
        [None, None, "Before mitigation", None, "After mitigation", None],
        ["Threat ID", "Threat", "Likelihood", "Impact", "Likelihood", "Impact"],
        ["T-1", "Spoofed pump command", 4, 5, 2, 5],
    ]
    path = workbook(tmp_path / "two.xlsx", {"Register": rows})
    data = profile_for(inspect_file(path))
    assert data["sheets"]["Register"]["header_row"] == 2
    model, _ = run_import(path, profile=data)
    t = model.threats[0]
    assert t.risk is not None and t.risk.likelihood == "4"
    assert t.residual_risk is not None and t.residual_risk.likelihood == "2"


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(args)
    out, err = capsys.readouterr()
    code = exc.value.code
    return (code if isinstance(code, int) else 0), out, err


def test_cli_inspect_writes_the_profile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _book(tmp_path)
    out = tmp_path / "p.yaml"
    code, text, err = _run(["inspect", str(path), "--write-profile", str(out)], capsys)
    assert code == 0, err
    assert "threat table, header row 3" in text
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["sheets"]["Register"]["kind"] == "threat"
    code, _text, err = _run(["import", str(path), "-o", str(tmp_path / "m.yaml"), "--profile", str(out)], capsys)
    assert code == 0, err


def test_cli_inspect_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text, err = _run(["inspect", str(_book(tmp_path)), "--json"], capsys)
    assert code == 0, err
    data = json.loads(text)
    table = data["grids"][0]["tables"][0]
    assert table["kind"] == "threat" and table["rows"]["imported"] == 2
    assert table["skipped"] == {"empty template row": 1}


def test_cli_inspect_bad_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"PK\x03\x04 not a zip")
    code, _out, err = _run(["inspect", str(bad)], capsys)
    assert code == 2
    assert "x.xlsx" in err and "Traceback" not in err


def test_profile_pins_stacked_tables_of_one_sheet(tmp_path: Path) -> None:
    rows = [
        ["Threat ID", "Threat", "STRIDE", "Control"],
        ["T-1", "Spoofed pump command", "S", "C-1"],
        ["T-2", "Library tampering", "T", "C-2"],
        [],
        ["Control ID", "Security control", "Category"],
        ["C-1", "Mutual TLS", "Authentication"],
        ["C-2", "Signed libraries", "Integrity"],
        [],
        ["Term", "Definition"],
        ["PCU", "Point of care unit"],
        ["DL", "Drug library"],
    ]
    path = workbook(tmp_path / "stack.xlsx", {"Register": rows})
    data = profile_for(inspect_file(path))
    tables = data["sheets"]["Register"]["tables"]
    assert [(t["kind"], t["header_row"]) for t in tables] == [("threat", 1), ("control", 5), ("skip", 9)]
    plain, _ = run_import(path)
    pinned, report = run_import(path, profile=data)
    assert [t.id for t in pinned.threats] == [t.id for t in plain.threats] == ["T-1", "T-2"]
    assert [c.id for c in pinned.controls] == ["C-1", "C-2"]
    assert any("skipped by the profile" in (r.reason or "") for r in report.records)
    # One edited line: the control table's "Category" column is not read.
    edited = yaml.safe_load(profile_yaml(inspect_file(path)).replace("Category: category", "Category: extra"))
    model, _ = run_import(path, profile=edited)
    assert model.controls[0].extra["Category"] == "Authentication"


def test_profile_pins_the_columns_of_a_table_beside_a_legend(tmp_path: Path) -> None:
    rows = [
        ["Threat ID", "Threat", "STRIDE", None, "Status", "Meaning"],
        ["T-1", "Spoofed pump command", "S", None, "Open", "Not yet mitigated"],
        ["T-2", "Library tampering", "T", None, "Mitigated", "Controls verified"],
    ]
    path = workbook(tmp_path / "side.xlsx", {"Register": rows})
    data = profile_for(inspect_file(path))
    pinned_sheet = data["sheets"]["Register"]
    assert (pinned_sheet["kind"], pinned_sheet["first_column"], pinned_sheet["last_column"]) == ("threat", "A", "C")
    plain, _ = run_import(path)
    pinned, _ = run_import(path, profile=data)
    assert [(t.id, t.status) for t in pinned.threats] == [(t.id, t.status) for t in plain.threats]
    assert [t.id for t in pinned.threats] == ["T-1", "T-2"]


def test_profile_pins_two_tables_side_by_side(tmp_path: Path) -> None:
    rows = [
        ["Threat ID", "Threat", "STRIDE", None, "Control ID", "Security control", "Category"],
        ["T-1", "Spoofed pump command", "S", None, "C-1", "Mutual TLS", "Authentication"],
        ["T-2", "Library tampering", "T", None, "C-2", "Signed libraries", "Integrity"],
    ]
    path = workbook(tmp_path / "side.xlsx", {"Register": rows})
    data = profile_for(inspect_file(path))
    tables = data["sheets"]["Register"]["tables"]
    assert [(t["kind"], t["first_column"], t["last_column"]) for t in tables] == [
        ("threat", "A", "C"),
        ("control", "E", "G"),
    ]
    pinned, _ = run_import(path, profile=data)
    assert [t.id for t in pinned.threats] == ["T-1", "T-2"] and [c.id for c in pinned.controls] == ["C-1", "C-2"]
