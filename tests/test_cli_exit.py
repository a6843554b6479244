"""The ``mdptm`` command leaves without tearing its heap down, once everything is written and flushed:
exit codes, stdout and stderr are what ``sys.exit`` would give, and the files are whole."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import mdptm.__main__ as entry
from mdptm.model.io import dumps
from mdptm.pipeline.importing import ImportSource, import_sources
from tests.conftest import SAMPLES


def _mdptm(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mdptm", *args], capture_output=True, text=True, check=False, cwd=cwd, timeout=300)


def test_the_command_ends_through_os_exit_with_the_code_after_flushing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    ended: list[int] = []
    flushed: list[str] = []

    class Out:
        def __init__(self, name: str) -> None:
            self.name = name

        def write(self, text: str) -> int:
            return len(text)

        def flush(self) -> None:
            flushed.append(self.name)

    def fake_exit(code: int) -> None:
        ended.append(code)
        raise SystemExit(code)  # stands in for the end of the process

    monkeypatch.setattr(os, "_exit", fake_exit)
    monkeypatch.setattr(sys, "stdout", Out("stdout"))
    monkeypatch.setattr(sys, "stderr", Out("stderr"))
    monkeypatch.setattr(sys, "argv", ["mdptm", "validate", str(tmp_path / "missing.json")])
    with pytest.raises(SystemExit):
        entry.main()
    assert ended == [2]
    assert flushed[-2:] == ["stdout", "stderr"]


def test_leave_hands_odd_codes_back_to_python(monkeypatch: pytest.MonkeyPatch) -> None:
    ended: list[int] = []
    monkeypatch.setattr(os, "_exit", ended.append)
    entry._leave("a message")  # sys.exit prints it: Python's own way out
    entry._leave(None)
    entry._leave(1)
    assert ended == [0, 1]
    monkeypatch.setattr(sys, "stdout", None)  # no stream to flush (a windowed interpreter): Python's way out
    entry._leave(0)
    assert ended == [0, 1]


def test_exit_codes_and_output_of_the_real_process(tmp_path: Path) -> None:
    ok = _mdptm("import", str(SAMPLES / "infusion-pump" / "threat-model.docx"), "-o", str(tmp_path / "m.json"))
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.rstrip().endswith(f"wrote {tmp_path / 'm.json'}")
    model, _report = import_sources([ImportSource(SAMPLES / "infusion-pump" / "threat-model.docx")])
    assert (tmp_path / "m.json").read_text(encoding="utf-8") == dumps(model, "json")  # whole, not cut short
    assert json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))["threats"]

    (tmp_path / "d.json").mkdir()
    bad = _mdptm("validate", str(tmp_path / "d.json"))
    assert bad.returncode == 2
    assert bad.stderr.startswith("mdptm: error:")

    usage = _mdptm("no-such-command")
    assert usage.returncode == 2 and "No such command" in usage.stderr


@pytest.mark.slow
def test_a_blocked_build_exits_1_and_a_draft_0(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(SAMPLES / "infusion-pump", project, ignore=shutil.ignore_patterns("out", "out.internal"))
    conf = project / "mdptm.yaml"
    text = conf.read_text(encoding="utf-8")
    assert "signoffs_required: [product_security, regulatory]" in text
    conf.write_text(text.replace("[product_security, regulatory]", "[product_security, regulatory, clinical_safety]"), encoding="utf-8")
    blocked = _mdptm("build", str(project), "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert blocked.returncode == 1, blocked.stderr
    assert blocked.stderr.rstrip().endswith(f"wrote {tmp_path / 'out.internal'}/ only")
    assert not (tmp_path / "out").exists() and (tmp_path / "out.internal" / "review.json").is_file()
    built = _mdptm("build", str(project), "-o", str(tmp_path / "draft"), "--draft", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert built.stdout.rstrip().endswith(f"wrote {tmp_path / 'draft'}/ and {tmp_path / 'draft.internal'}/")
    assert json.loads((tmp_path / "draft" / "MANIFEST.json").read_text(encoding="utf-8"))
