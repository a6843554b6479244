"""The package files that need no review are written by a forked process that starts as soon as
redaction is done (mdptm.pipeline.build), and the internal model's coverage is worked out by another
while redaction runs: same bytes, a blocked or failed build still leaves nothing, and no process outlives
the build."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import mdptm.pipeline.publish
from mdptm.base.parallel import sequential
from mdptm.errors import ExitCode, InputError
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
    assert len(children) == 2  # the internal mapping and the writer had started before review blocked the package
    for pid in children:  # and they are gone: reaped before build() returned
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
    settings = project / "mdptm.yaml"
    text = settings.read_text().replace("redaction: redaction.yaml", f"redaction: redaction.yaml\nprevious: {tmp_path / 'v1' / 'ptm.json'}")
    settings.write_text(text)
    with sequential():
        one = build(project, tmp_path / "one")
    monkeypatch.setattr(mdptm.pipeline.publish, "PARALLEL_ITEMS", 0)
    two = build(project, tmp_path / "two")
    assert one.exit_code == two.exit_code == ExitCode.OK
    assert files_of(tmp_path / "two") == files_of(tmp_path / "one")
    assert files_of(tmp_path / "two.internal") == files_of(tmp_path / "one.internal")


def _fails_alike(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, list[int]]:
    """Build *project* in one process, then with every job forked: both must fail with the same error;
    returns it and the pids of the children forked, each of which must be gone (reaped) by then."""
    with sequential(), pytest.raises(InputError) as one:
        build(project, tmp_path / "one")
    monkeypatch.setattr(mdptm.pipeline.publish, "PARALLEL_ITEMS", 0)
    children = count_forks(monkeypatch)
    with pytest.raises(InputError) as two:
        build(project, tmp_path / "two")
    assert str(two.value) == str(one.value)
    for pid in children:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
    return str(two.value), children


@needs_fork
def test_a_redaction_that_fails_stops_the_internal_mapping(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The mapping of the internal model starts before redaction; a policy that cannot be read is the same
    clear error as in one process, nothing is written, and the forked mapping does not outlive the build."""
    project = tmp_path / "project"
    shutil.copytree(SAMPLES / "infusion-pump", project)
    (project / "redaction.yaml").write_text("terms: [unclosed\n", encoding="utf-8")
    message, children = _fails_alike(project, tmp_path, monkeypatch)
    assert "redaction.yaml" in message
    assert len(children) == 1  # the mapping had started; the writer never did
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]


@needs_fork
def test_a_framework_that_fails_is_the_same_error_with_the_mapping_forked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    shutil.copytree(SAMPLES / "infusion-pump", project)
    (project / "broken.yaml").write_text("id: broken\nclauses: [1, 2\n", encoding="utf-8")
    settings = project / "mdptm.yaml"
    settings.write_text(settings.read_text().replace("frameworks: [cra-annex-i,", "frameworks: [broken.yaml, cra-annex-i,"))
    message, children = _fails_alike(project, tmp_path, monkeypatch)
    assert "broken.yaml" in message
    assert children  # the mapping was forked
    assert not (tmp_path / "two").exists()
