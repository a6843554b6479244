"""CLI conveniences for CI and other tools: format names, stdout, CSV, SARIF, JUnit, map JSON, build in '.'."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mdptm.cli import main
from mdptm.errors import UsageError
from mdptm.exporters.csvfile import to_csv
from mdptm.model.io import load
from mdptm.pipeline.exporting import resolve_format

MODEL = """\
schema: mdptm/1
product: {name: Demo Pump, manufacturer: Demo Medical}
document: {version: "1.0", date: "2026-01-15"}
trust_zones: [{id: TZ1, name: Clinical network, trust_level: 2}]
elements:
  - {id: E1, name: Pump, kind: device, trust_zone: TZ1, source: {file: tm.xlsx, locator: "sheet 'Elements' row 2"}}
  - {id: E2, name: Server, kind: software, trust_zone: TZ1}
  - {id: E3, name: Orphan, kind: software, trust_zone: TZ1, source: {file: tm.xlsx, locator: "sheet 'Elements' row 4"}}
flows: [{id: F1, name: sync, source: E1, target: E2, protocol: HTTPS, port: "443", encryption: TLS 1.2}]
threats:
  - {id: T1, title: Spoofed server, stride: [spoofing], targets: [F1], controls: [C1], status: mitigated,
     risk: {level: high}, source: {file: tm.xlsx, locator: "sheet 'Threats' row 2"}}
  - {id: T2, title: "=HYPERLINK(\\"http://x\\")", stride: [tampering], targets: [E1], status: open}
controls: [{id: C1, title: Mutual TLS, category: authentication, verification: [PT-1], description: Per-device certificates.}]
"""


def run(args: list[str], capsysbinary: pytest.CaptureFixture[bytes]) -> tuple[int, bytes, str]:
    with pytest.raises(SystemExit) as exc:
        main(args)
    out, err = capsysbinary.readouterr()
    code = exc.value.code
    return (code if isinstance(code, int) else 0), out, err.decode()


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "model.yaml"
    path.write_text(MODEL, encoding="utf-8")
    return path


def test_format_names_any_case_and_from_the_file_name() -> None:
    assert resolve_format("OTM", Path("x")) == "otm"
    assert resolve_format(None, Path("out/Model.OTM.JSON")) == "otm"
    assert resolve_format(None, Path("m.json")) == "json"
    assert resolve_format(None, Path("m.yml")) == "yaml"
    assert resolve_format(None, Path("threats.csv")) == "csv"
    with pytest.raises(UsageError, match="cannot tell the format"):
        resolve_format(None, Path("model.txt"))
    with pytest.raises(UsageError, match="unknown export format"):
        resolve_format("pdf", Path("x.pdf"))
    with pytest.raises(UsageError, match="--format is needed"):
        resolve_format(None, Path("-"))


def test_export_to_stdout_equals_the_file(model_file: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, _ = run(["export", str(model_file), "--format", "Otm", "-o", "-"], capsysbinary)
    assert code == 0
    assert not (Path.cwd() / "-").exists()
    target = tmp_path / "m.otm.json"
    code, _, _ = run(["export", str(model_file), "-o", str(target)], capsysbinary)
    assert code == 0
    assert out == target.read_bytes()
    assert json.loads(out)["otmVersion"]


def test_export_without_format_or_name_is_a_usage_error(model_file: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, _, err = run(["export", str(model_file), "-o", "-"], capsysbinary)
    assert code == 2
    assert "--format is needed" in err


def test_csv_rows_for_threats_and_controls_with_links_both_ways(model_file: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(load(model_file)))))
    assert [(r["Issue Type"], r["ID"]) for r in rows] == [("Threat", "T1"), ("Threat", "T2"), ("Control", "C1")]
    t1, t2, c1 = rows
    assert t1["Controls"] == "C1" and c1["Mitigates"] == "T1"
    assert t1["Priority"] == "High" and t1["STRIDE"] == "spoofing" and t1["Targets"] == "F1"
    assert t2["Summary"].startswith("'=")  # a formula is kept as text, never run by a spreadsheet
    assert c1["Verification"] == "PT-1" and c1["Responsibility"] == "manufacturer"


def test_csv_file_has_a_bom_and_crlf(model_file: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    target = tmp_path / "threats.csv"
    code, _, _ = run(["export", str(model_file), "-o", str(target)], capsysbinary)
    assert code == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfIssue Type,ID,Summary")
    assert data.count(b"\r\n") == 4


def test_review_sarif_points_at_the_source_cell(model_file: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    sarif_pydantic = pytest.importorskip("sarif_pydantic")
    _, out, _ = run(["review", str(model_file), "--format", "SARIF"], capsysbinary)
    doc = json.loads(out)
    sarif_pydantic.Sarif.model_validate(doc)
    run_ = doc["runs"][0]
    rule_ids = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    assert "element-without-threat" in rule_ids
    hits = [r for r in run_["results"] if r["ruleId"] == "element-without-threat"]
    orphan = [r for r in hits if r["locations"][0]["logicalLocations"][0]["name"] == "E3"]
    assert orphan, hits
    loc = orphan[0]["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == "tm.xlsx"
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == "sheet 'Elements' row 4"
    assert {r["level"] for r in run_["results"]} <= {"error", "warning", "note"}
    for r in run_["results"]:
        assert rule_ids[r["ruleIndex"]] == r["ruleId"]


def test_review_junit_one_case_per_check_blockers_fail(
    model_file: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    target = tmp_path / "review.xml"
    code, _, _ = run(["review", str(model_file), "--format", "junit", "-o", str(target), "--require-signoff", "legal"], capsysbinary)
    assert code == 1  # the missing sign-off is a blocker
    root = ET.fromstring(target.read_bytes())
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert "signoff-missing" in cases and "leak" in cases
    assert cases["signoff-missing"].find("failure") is not None
    assert cases["leak"].find("failure") is None
    assert root.get("failures") == str(sum(1 for c in cases.values() if c.find("failure") is not None))


def test_map_json_on_stdout(model_file: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, _ = run(["map", str(model_file), "--format", "json"], capsysbinary)
    assert code == 0
    frameworks = json.loads(out)["frameworks"]
    assert {"cra-annex-i", "mc2"} <= {f["id"] for f in frameworks}
    code, out2, _ = run(["map", str(model_file), "-o", "-"], capsysbinary)
    assert code == 0 and out2 == out


def test_import_format_is_case_insensitive(model_file: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, _, err = run(["import", str(model_file), "--format", "MDPTM", "-o", str(tmp_path / "m.json")], capsysbinary)
    assert code == 0, err


def test_build_defaults_to_the_current_folder(
    model_file: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    folder = model_file.parent
    (folder / "mdptm.yaml").write_text("sources: [model.yaml]\n", encoding="utf-8")
    monkeypatch.chdir(folder)
    code, _, err = run(["build", "--draft"], capsysbinary)
    assert code == 0, err
    assert (folder / "out" / "ptm.json").is_file()


def test_cli_reference_is_generated_from_the_help() -> None:
    from mdptm.cli_doc import render

    root = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
    page = (root / "docs" / "cli.md").read_text(encoding="utf-8")
    assert page == render(), "docs/cli.md is stale: run `python -m mdptm.cli_doc > docs/cli.md`"
    assert "## `mdptm export`" in page and "Shell completion" in page


def test_shell_completion_names_commands() -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "COMP_WORDS": "mdptm exp", "COMP_CWORD": "1", "_MDPTM_COMPLETE": "bash_complete"}
    proc = subprocess.run([sys.executable, "-m", "mdptm"], env=env, capture_output=True, text=True, check=False)
    assert "plain,export" in proc.stdout.splitlines()
