"""Coverage as JSON (SPEC §4 shape), as a reproducible workbook, and through ``mdptm map``."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
import yaml

from mdptm.cli import main
from mdptm.documents.coverage import coverage_data, render_table, write_coverage, write_coverage_xlsx
from mdptm.errors import InputError
from mdptm.mapping.engine import map_model
from mdptm.model.io import load, save

RICH = Path(__file__).parent.parent / "data" / "mapping" / "rich-model.yaml"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


def test_coverage_json_has_the_spec_shape() -> None:
    data = coverage_data(map_model(load(RICH)))
    assert [f["id"] for f in data["frameworks"]] == ["cra-annex-i", "cra-annex-ii", "mc2", "fda-premarket"]
    for fw in data["frameworks"]:
        assert {"id", "title", "version", "clauses", "summary"} <= set(fw)
        assert set(fw["summary"]) == {"covered", "partial", "gap", "not_applicable"}
        assert sum(fw["summary"].values()) == len(fw["clauses"])
        for c in fw["clauses"]:
            assert {"id", "title", "status", "evidence", "rationale"} <= set(c)
            assert c["title"] and c["rationale"] and isinstance(c["evidence"], list)


def test_json_and_xlsx_are_reproducible(tmp_path: Path) -> None:
    cov = map_model(load(RICH))
    for name in ("a.json", "b.json", "a.xlsx", "b.xlsx"):
        write_coverage(cov, tmp_path / name)
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.xlsx") as z:
        core = z.read("docProps/core.xml").decode()
        assert "1980-01-01T00:00:00Z" in core
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_xlsx_has_a_summary_and_a_sheet_per_framework(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    model = load(RICH)
    model.product.regulatory.cra_scope = "excluded_mdr_ivdr"
    cov = map_model(model)
    path = tmp_path / "coverage.xlsx"
    write_coverage_xlsx(cov, path, epoch=1767225600)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Summary", "cra-annex-i", "cra-annex-ii", "mc2", "fda-premarket"]
    summary = list(wb["Summary"].iter_rows(values_only=True))
    assert summary[0][:8] == ("Framework", "Title", "Version", "covered", "partial", "gap", "n/a", "Clauses")
    assert summary[2][0] == "cra-annex-ii" and summary[2][5] == 1 and summary[2][7] == 15
    assert "Article 2(2)" in summary[2][8]
    rows = list(wb["cra-annex-ii"].iter_rows(values_only=True))
    assert rows[0][:4] == ("Group", "Clause", "Title", "Status")
    assert [r[1] for r in rows[1:]] == ["1", "2", "3", "4", "5", "6", "7", "8", "8.a", "8.b", "8.c", "8.d", "8.e", "8.f", "9"]
    second = rows[2]
    assert second[3] == "covered" and second[4] == "support.vulnerability_disclosure"
    assert wb["cra-annex-ii"]["D3"].fill.start_color.rgb.endswith("C6EFCE")
    with zipfile.ZipFile(path) as z:
        assert "2026-01-01T00:00:00Z" in z.read("docProps/core.xml").decode()


def test_write_coverage_refuses_other_extensions(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"\.json or \.xlsx"):
        write_coverage(map_model(load(RICH), ["mc2"]), tmp_path / "coverage.csv")
    assert not list(tmp_path.iterdir())


def test_render_table_lists_every_clause_with_a_summary() -> None:
    text = render_table(map_model(load(RICH), ["cra-annex-ii"]))
    lines = text.splitlines()
    assert lines[0].startswith("cra-annex-ii: EU Cyber Resilience Act, Annex II")
    assert any(line.split()[:2] == ["2", "covered"] for line in lines)
    assert any(line.split()[:2] == ["6", "gap"] for line in lines)
    assert lines[-1] == "  summary: 11 covered, 3 partial, 1 gap, 0 n/a (15 clauses)"  # 8, 8.b, 8.e: text matches
    verbose = render_table(map_model(load(RICH), ["cra-annex-ii"]), verbose=True)
    assert "support.vulnerability_disclosure is stated" in verbose


# ----------------------------------------------------------------------------- CLI


def test_map_command_prints_tables_and_writes_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "coverage.json"
    code, stdout, _ = run(["map", str(RICH), "-o", str(out)], capsys)
    assert code == 0
    for fid in ("cra-annex-i", "cra-annex-ii", "mc2", "fda-premarket"):
        assert f"\n{fid}: " in "\n" + stdout
    assert stdout.count("  summary: ") == 4
    assert f"wrote {out}" in stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["frameworks"]) == 4


def test_map_command_framework_selection_and_user_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    own = tmp_path / "own.yaml"
    clause = {
        "id": "O-1",
        "title": "SBOM",
        "summary": "An SBOM is offered to customers.",
        "source": {"document": "ours"},
        "confidence": "verified",
        "evidence": {"fields": ["support.sbom"]},
    }
    own.write_text(
        yaml.safe_dump(
            {
                "schema_version": 1,
                "id": "own",
                "title": "Own list",
                "version": "1",
                "source": {"document": "ours"},
                "clauses": [clause],
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "coverage.xlsx"
    code, stdout, _ = run(["map", str(RICH), "--framework", "mc2", "--framework", str(own), "-o", str(out)], capsys)
    assert code == 0 and out.is_file()
    assert "mc2: " in stdout and "own: Own list" in stdout and "cra-annex-i" not in stdout
    assert "O-1" in stdout


def test_map_command_applies_project_overrides(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model_path = tmp_path / "model.json"
    save(load(RICH), model_path)
    (tmp_path / "mdptm.yaml").write_text(
        yaml.safe_dump(
            {
                "sources": ["model.json"],
                "frameworks": ["cra-annex-ii"],
                "overrides": [
                    {
                        "framework": "cra-annex-ii",
                        "clause": "6",
                        "status": "not_applicable",
                        "justification": "A device under the MDR has no CRA declaration.",
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "coverage.json"
    code, stdout, _ = run(["map", str(model_path), "--project", str(tmp_path), "-o", str(out)], capsys)
    assert code == 0
    assert "mc2" not in stdout  # the project's frameworks
    assert any(line.split()[:2] == ["6", "n/a*"] for line in stdout.splitlines())
    c6 = json.loads(out.read_text())["frameworks"][0]["clauses"][5]
    assert c6["status"] == "not_applicable" and c6["overridden"] is True


def test_map_command_bad_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["map", str(RICH), "--framework", "nope"], capsys)
    assert code == 2 and "unknown framework 'nope'" in err
    code, _, err = run(["map", str(RICH), "-o", str(tmp_path / "c.txt")], capsys)
    assert code == 2 and ".json or .xlsx" in err
    code, _, err = run(["map", str(tmp_path / "missing.json")], capsys)
    assert code == 2 and "no such file" in err
