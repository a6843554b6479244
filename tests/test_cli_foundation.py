"""End to end through the CLI: import, validate, schema, build; exit codes and clean errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mdptm.cli import main

MODEL = """\
schema: mdptm/1
product: {name: Demo Pump, manufacturer: Demo Medical}
document: {version: "1.0", date: "2026-01-15"}
trust_zones: [{id: TZ1, name: Clinical network, trust_level: 2}]
elements:
  - {id: E1, name: Pump, kind: device, trust_zone: TZ1}
  - {id: E2, name: Server, kind: software, trust_zone: TZ1}
flows: [{id: F1, name: sync, source: E1, target: E2, protocol: HTTPS, port: "443", encryption: TLS 1.2}]
threats:
  - {id: T1, title: Spoofed server, stride: [spoofing], targets: [F1], controls: [C1], status: mitigated}
controls: [{id: C1, title: Mutual TLS, category: authentication, verification: [PT-1], description: Per-device certificates.}]
"""


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(args)
    out, err = capsys.readouterr()
    code = exc.value.code
    return (code if isinstance(code, int) else 0), out, err


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "model.yaml").write_text(MODEL)
    (tmp_path / "mdptm.yaml").write_text("sources: [model.yaml]\nproduct: {model: X-1}\ndocument: {status: in_review}\n")
    return tmp_path


def test_build_writes_model_manifest_and_internal_report(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["build", str(project), "-o", str(project / "pkg")], capsys)
    assert code == 0, out
    ptm = json.loads((project / "pkg" / "ptm.json").read_text())
    assert ptm["product"]["model"] == "X-1"  # project overrides win
    assert ptm["document"]["status"] == "in_review"
    manifest = json.loads((project / "pkg" / "MANIFEST.json").read_text())
    assert {f["path"] for f in manifest["files"]} >= {"ptm.json"}
    report = json.loads((project / "pkg.internal" / "import-report.json").read_text())
    c = report["counts"]
    assert c["seen"] == c["imported"] + c["merged"] + c["skipped"] == 6
    assert not (project / "pkg" / "import-report.json").exists()


def test_two_builds_are_byte_identical(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(["build", str(project), "-o", str(project / "a")], capsys)
    run(["build", str(project), "-o", str(project / "b")], capsys)
    for name in ("ptm.json", "MANIFEST.json"):
        assert (project / "a" / name).read_bytes() == (project / "b" / name).read_bytes()


def test_validate_names_the_missing_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(MODEL.replace("targets: [F1]", "targets: [F-GONE]"))
    code, _, err = run(["validate", str(bad)], capsys)
    assert code == 2
    assert "F-GONE" in err and "/threats/0/targets/0" in err
    assert "Traceback" not in err


def test_syntax_error_names_line_and_leaves_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"schema": "mdptm/1",\n "product": {')
    code, _, err = run(["import", str(bad), "-o", str(tmp_path / "out.json")], capsys)
    assert code == 2
    assert "broken.json" in err and "line 2" in err
    assert not (tmp_path / "out.json").exists()
    assert list(tmp_path.iterdir()) == [bad]


def test_failed_build_leaves_existing_output_untouched(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(["build", str(project), "-o", str(project / "pkg")], capsys)
    before = (project / "pkg" / "ptm.json").read_bytes()
    (project / "model.yaml").write_text(MODEL.replace("controls: [C1]", "controls: [C-NOPE]"))
    code, _, err = run(["build", str(project), "-o", str(project / "pkg")], capsys)
    assert code == 2 and "C-NOPE" in err
    assert (project / "pkg" / "ptm.json").read_bytes() == before
    assert sorted(p.name for p in project.iterdir()) == ["mdptm.yaml", "model.yaml", "pkg", "pkg.internal"]


def test_folder_named_like_a_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "model.json").mkdir()
    code, _, err = run(["import", str(tmp_path / "model.json"), "-o", str(tmp_path / "o.json")], capsys)
    assert code == 2 and "folder" in err and "model.json" in err


def test_schema_command_prints_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["schema"], capsys)
    assert code == 0 and json.loads(out)["title"] == "mdptm/1 threat model"


def test_debug_shows_traceback_only_when_asked(tmp_path: Path) -> None:
    (tmp_path / "d.json").mkdir()
    cmd = [sys.executable, "-m", "mdptm", "validate", str(tmp_path / "d.json")]
    plain = subprocess.run(cmd, capture_output=True, text=True, check=False)
    debug = subprocess.run([*cmd, "--debug"], capture_output=True, text=True, check=False)
    assert plain.returncode == debug.returncode == 2
    assert "Traceback" not in plain.stderr
    assert "Traceback" in debug.stderr


def test_every_command_has_help_with_an_example() -> None:
    from mdptm.cli import cli

    for name, cmd in cli.commands.items():
        assert cmd.help and "Example" in cmd.help, name


def test_a_register_may_lean_on_another_source_for_its_elements(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "diagram.yaml").write_text(
        "schema: mdptm/1\nelements: [{id: E1, name: Pump}, {id: E2, name: Server}]\nflows: [{id: F1, source: E1, target: E2}]\n"
    )
    (tmp_path / "register.yaml").write_text("schema: mdptm/1\nthreats: [{id: T1, title: Spoofed server, targets: [F1]}]\n")
    code, _, err = run(["import", str(tmp_path / "diagram.yaml"), str(tmp_path / "register.yaml"), "-o", str(tmp_path / "m.json")], capsys)
    assert code == 0, err
    model = json.loads((tmp_path / "m.json").read_text())
    assert model["threats"][0]["targets"] == ["F1"]
    # alone, the register's reference dangles: exit 2 naming the id and the file that made it
    code, _, err = run(["import", str(tmp_path / "register.yaml"), "-o", str(tmp_path / "r.json")], capsys)
    assert code == 2 and "'F1'" in err and "register.yaml" in err
    assert not (tmp_path / "r.json").exists()


def test_two_drawing_tool_files_numbering_alike_lose_no_threat(corpus: Path, tmp_path: Path) -> None:
    from mdptm.pipeline.importing import ImportSource, import_sources

    one = corpus / "tm7" / "ecobee-monitor-iot.tm7"
    copy = tmp_path / "ecobee-copy.tm7"
    copy.write_bytes(one.read_bytes())
    alone, _ = import_sources([ImportSource(one)])
    both, report = import_sources([ImportSource(one), ImportSource(copy)])
    assert len(both.threats) == 2 * len(alone.threats)  # same TMT instance ids, still two threats each
    assert len(both.elements) == len(alone.elements)  # the same drawn elements match by name
    c = report.counts
    assert c.seen == c.imported + c.merged + c.skipped


def test_review_blockers_stop_the_package_but_not_the_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "model.yaml").write_text(MODEL)
    (tmp_path / "mdptm.yaml").write_text("sources: [model.yaml]\nsignoffs_required: [legal]\n")
    code, _, err = run(["build", str(tmp_path), "-o", str(tmp_path / "pkg")], capsys)
    assert code == 1 and "legal" in err
    assert not (tmp_path / "pkg").exists()
    findings = json.loads((tmp_path / "pkg.internal" / "review.json").read_text())["findings"]
    assert any(f["severity"] == "blocker" for f in findings)
    code, _, _ = run(["build", str(tmp_path), "-o", str(tmp_path / "pkg"), "--draft"], capsys)
    assert code == 0 and (tmp_path / "pkg" / "ptm.json").exists()


def test_placeholder_warnings_only_for_facts_still_missing(tmp_path: Path) -> None:
    from mdptm.pipeline.build import load_project_model

    (tmp_path / "model.yaml").write_text("schema: mdptm/1\nelements: [{id: E1, name: Pump}]\n")
    (tmp_path / "mdptm.yaml").write_text("sources: [model.yaml]\nproduct: {name: P, manufacturer: M}\n")
    _, report, _, _ = load_project_model(tmp_path)
    messages = [w.message for w in report.warnings]
    assert len(messages) == 1 and "document.version" in messages[0]


def test_cli_reference_documents_every_command() -> None:
    from mdptm.cli import cli

    text = (Path(__file__).resolve().parent.parent / "docs" / "cli.md").read_text()
    for name in cli.commands:
        assert f"## `mdptm {name}`" in text, name


def test_exit_codes_and_audiences_are_closed_sets_the_cli_offers() -> None:
    from mdptm.cli import cli
    from mdptm.errors import BlockingError, ExitCode, InputError, UsageError
    from mdptm.plugins import Audience

    assert [int(c) for c in ExitCode] == [0, 1, 2]
    assert InputError("x").exit_code is UsageError("x").exit_code is ExitCode.INPUT
    assert BlockingError("x").exit_code is ExitCode.BLOCKED
    for name in ("build", "publish"):
        option = next(p for p in cli.commands[name].params if p.name == "audience")
        # build and publish write for hospitals or regulators; "internal" is only what `export --internal` marks
        assert list(option.type.choices) == [a.value for a in Audience if a is not Audience.INTERNAL] == ["public", "submission"]  # type: ignore[attr-defined]
    assert [a.value for a in Audience] == ["public", "submission", "internal"]
