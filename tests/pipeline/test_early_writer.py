"""The package files that need no review are written by a forked process that starts as soon as
redaction is done (mdptm.pipeline.build): same bytes, and a blocked build still leaves nothing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import mdptm.pipeline.publish
from mdptm.base.parallel import sequential
from mdptm.errors import ExitCode
from mdptm.pipeline.build import build
from tests.conftest import SAMPLES
from tests.forks import count_forks, files_of, needs_fork


@pytest.mark.slow
@needs_fork
def test_a_blocked_build_stops_the_early_writer_and_keeps_the_old_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    shutil.copytree(SAMPLES / "infusion-pump", project)
    out = tmp_path / "pkg"
    assert build(project, out).exit_code == ExitCode.OK
    before = files_of(out)

    monkeypatch.setattr(mdptm.pipeline.publish, "PARALLEL_ITEMS", 0)  # the sample is small: force the early writer
    children = count_forks(monkeypatch)
    settings = project / "mdptm.yaml"
    settings.write_text(settings.read_text().replace("signoffs_required: [", "signoffs_required: [legal, "))
    result = build(project, out)

    assert result.exit_code == ExitCode.BLOCKED and "legal" in " ".join(result.warnings)
    assert len(children) == 1  # the writer had started before review blocked the package
    for pid in children:  # and it is gone: stopped and reaped before build() returned
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
    assert files_of(out) == before  # the package of the last good build is untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg", "pkg.internal", "project"]  # no staging left
    review = (tmp_path / "pkg.internal" / "review.json").read_text()
    assert "legal" in review


@pytest.mark.slow
@needs_fork
def test_the_early_writer_writes_what_one_process_writes_with_a_previous_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The forked writer gets the coverage and review sent after it started, and has the rest of the
    context (the previous version the history and change sheets come from) from the start."""
    project = tmp_path / "project"
    shutil.copytree(SAMPLES / "infusion-pump", project)
    assert build(project, tmp_path / "v1").exit_code == ExitCode.OK
    shutil.copy(tmp_path / "v1" / "ptm.json", project / "previous.json")
    settings = project / "mdptm.yaml"
    text = settings.read_text().replace("redaction: redaction.yaml", "redaction: redaction.yaml\nprevious: previous.json")
    settings.write_text(text)
    with sequential():
        one = build(project, tmp_path / "one")
    monkeypatch.setattr(mdptm.pipeline.publish, "PARALLEL_ITEMS", 0)
    two = build(project, tmp_path / "two")
    assert one.exit_code == two.exit_code == ExitCode.OK
    assert files_of(tmp_path / "two") == files_of(tmp_path / "one")
    assert files_of(tmp_path / "two.internal") == files_of(tmp_path / "one.internal")
