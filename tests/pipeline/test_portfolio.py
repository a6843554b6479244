"""Portfolio builds: ``mdptm build DIR [DIR ...] --jobs N`` (issue 9)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mdptm.cli import main
from mdptm.pipeline.portfolio import build_many, output_folders
from tests.conftest import SAMPLES


def _copy_sample(dest: Path) -> Path:
    shutil.copytree(SAMPLES / "infusion-pump", dest, ignore=shutil.ignore_patterns("out", "out.internal", "*.tmp"))
    return dest


def _broken(dest: Path) -> Path:
    dest.mkdir()
    (dest / "mdptm.yaml").write_text("sources: [missing-register.xlsx]\n", encoding="utf-8")
    return dest


@pytest.mark.slow
def test_portfolio_builds_the_good_projects_and_exits_with_the_worst_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = _copy_sample(tmp_path / "pump-a"), _copy_sample(tmp_path / "pump-b")
    bad = _broken(tmp_path / "broken")
    with pytest.raises(SystemExit) as exc:
        main(["build", str(a), str(bad), str(b), "--jobs", "2"])
    assert exc.value.code == 2
    for project in (a, b):
        assert (project / "out" / "ptm.docx").is_file()
        assert (project / "out" / "MANIFEST.json").is_file()
        assert (project / "out.internal" / "review.json").is_file()
    assert not (bad / "out").exists()
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert lines[0].split()[:5] == ["project", "result", "exit", "time", "threats"]
    rows = {line.split()[0]: line.split() for line in lines[1:4]}
    assert rows[str(a)][1:3] == ["built", "0"] and rows[str(b)][1:3] == ["built", "0"]
    assert rows[str(bad)][1:3] == ["failed", "2"]
    assert "missing-register.xlsx" in out.out  # the failure says what is wrong
    assert "2 built, 0 blocked, 1 failed" in out.out
    assert "\r" not in out.err  # no progress bar when stderr is not a terminal


@pytest.mark.slow
def test_portfolio_packages_match_single_builds(tmp_path: Path) -> None:
    """A project built in a portfolio gets the same bytes as when built on its own."""
    one = _copy_sample(tmp_path / "one")
    with pytest.raises(SystemExit) as exc:
        main(["build", str(one), "-q"])
    assert exc.value.code == 0
    single = {p.relative_to(one / "out"): p.read_bytes() for p in (one / "out").rglob("*") if p.is_file()}
    results = build_many([one, _broken(tmp_path / "bad")], jobs=2, out_root=tmp_path / "all")
    assert [r.exit_code for r in results] == [0, 2]
    assert results[0].out == tmp_path / "all" / "one"
    together = {p.relative_to(results[0].out): p.read_bytes() for p in results[0].out.rglob("*") if p.is_file()}
    assert together == single


@pytest.mark.slow
def test_blocked_project_exits_1_and_the_rest_are_built(tmp_path: Path) -> None:
    good = _copy_sample(tmp_path / "good")
    blocked = _copy_sample(tmp_path / "blocked")
    text = (blocked / "mdptm.yaml").read_text(encoding="utf-8")
    (blocked / "mdptm.yaml").write_text(
        text.replace("signoffs_required: [product_security, regulatory]", "signoffs_required: [product_security, regulatory, ciso]"),
        encoding="utf-8",
    )
    seen: list[str] = []
    results = build_many([good, blocked], jobs=1, on_done=lambda r: seen.append(r.project.name))
    assert seen == ["good", "blocked"]
    assert [(r.status, r.exit_code) for r in results] == [("built", 0), ("blocked", 1)]
    assert "not written" in results[1].message
    assert results[0].threats == results[1].threats > 0


def test_output_folders_are_named_after_projects_and_never_collide(tmp_path: Path) -> None:
    projects = [tmp_path / "x" / "pump", tmp_path / "y" / "pump", tmp_path / "monitor" / "mdptm.yaml"]
    for p in projects:
        (p if p.suffix != ".yaml" else p.parent).mkdir(parents=True)
    outs = output_folders(projects, tmp_path / "out")
    assert outs == [tmp_path / "out" / "pump", tmp_path / "out" / "pump-2", tmp_path / "out" / "monitor"]
    assert output_folders(projects, None) == [None, None, None]


@pytest.mark.slow
def test_building_again_in_one_process_does_not_keep_the_last_build(tmp_path: Path) -> None:
    """A portfolio worker builds project after project: what one build leaves must not pile up."""
    import gc

    from mdptm.pipeline.portfolio import build_one

    project = _copy_sample(tmp_path / "pump")
    counts = []
    for _ in range(4):  # no collection in between, as in a worker
        assert build_one(project, tmp_path / "out", False, "public").exit_code == 0
        counts.append(len(gc.get_objects()))
    assert counts[3] <= counts[1] * 1.01, counts


def test_a_project_folder_named_after_a_withheld_code_name_does_not_name_its_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`mdptm build a b -o release` named each package folder after its project folder: release/kestrel-pump/
    published the code name Kestrel the project's policy withholds (no scan read the folder's name). Such a
    package goes to a neutral folder, with a warning; the other projects keep their names."""
    from tests.test_cli_foundation import MODEL

    projects = []
    for name in ("kestrel-pump", "plain"):
        project = tmp_path / "src" / name
        project.mkdir(parents=True)
        (project / "model.yaml").write_text(MODEL)
        (project / "redaction.yaml").write_text("terms: [Kestrel]\n")
        (project / "mdptm.yaml").write_text("sources: [model.yaml]\nredaction: redaction.yaml\n")
        projects.append(project)
    release = tmp_path / "release"
    with pytest.raises(SystemExit) as exc:
        main(["build", *map(str, projects), "-o", str(release), "--jobs", "1"])
    out = capsys.readouterr().out
    assert exc.value.code == 0, out
    assert sorted(p.name for p in release.iterdir()) == ["package-1", "plain"]
    assert sorted(p.name for p in (tmp_path / "release.internal").iterdir()) == ["package-1", "plain"]
    assert (release / "package-1" / "ptm.json").is_file() and (release / "plain" / "ptm.json").is_file()
    assert not [p for p in release.rglob("*") if "kestrel" in p.name.casefold()]
    assert "warning:" in out and str(release / "package-1") in out


def test_neutral_folders_never_take_a_projects_name(tmp_path: Path) -> None:
    from mdptm.pipeline.portfolio import neutral_folders

    projects = [tmp_path / "package-2", tmp_path / "x", tmp_path / "y"]
    for p in projects:
        p.mkdir()
    names = [p.name for p in neutral_folders(projects, tmp_path / "out") if p is not None]
    assert names == ["package-1", "package-2-2", "package-3"]


def _running(marker: str) -> list[int]:
    """Processes whose command line holds *marker* (this test's own folder): the portfolio and its workers."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes()
            except OSError:
                continue
            if marker.encode() in cmdline:
                found.append(int(proc.name))
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc to find the workers")
def test_a_stopped_portfolio_stops_its_workers_and_leaves_no_staging_folder(tmp_path: Path) -> None:
    """SIGTERM to a portfolio build went on building every project handed to its pool (48 s after the
    signal for six projects) and only then exited; its workers, left waiting for more work, outlived it."""
    import signal
    import subprocess
    import sys
    import time

    projects = [_copy_sample(tmp_path / f"pump-{i}") for i in range(4)]
    out = tmp_path / "packages"
    proc = subprocess.Popen(
        [sys.executable, "-m", "mdptm", "build", *map(str, projects), "--jobs", "2", "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not list(out.glob(".pump-*.tmp")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert proc.poll() is None, "the portfolio ended before it staged anything"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err.decode()[-500:]
    assert b"Traceback" not in err
    deadline = time.monotonic() + 30
    while _running(str(tmp_path)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _running(str(tmp_path)) == []  # no worker outlived the portfolio
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []
    internal = tmp_path / "packages.internal"
    assert not internal.exists() or [p.name for p in internal.iterdir() if p.name.endswith(".tmp")] == []
    # every project either built whole or not at all, and none that had not started when the signal came
    for name in ("pump-0", "pump-1", "pump-2", "pump-3"):
        assert (out / name).exists() == (out / name / "MANIFEST.json").is_file()
    assert not (out / "pump-2").exists() and not (out / "pump-3").exists()


def test_a_release_folder_holds_packages_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`mdptm build a b -o release` wrote each project's internal reports (the redaction log lists every withheld
    string) to release/NAME.internal/, inside the folder the docs call the release: handed on whole, it gave them
    away. They go beside it, to release.internal/NAME/, as a single build's OUT.internal/ goes beside OUT/; an
    internal folder an earlier build left inside the release folder is named in a warning, and left alone."""
    from tests.test_cli_foundation import MODEL

    projects = []
    for name in ("pump", "monitor"):
        project = tmp_path / "src" / name
        project.mkdir(parents=True)
        (project / "model.yaml").write_text(MODEL)
        (project / "mdptm.yaml").write_text("sources: [model.yaml]\n")
        projects.append(project)
    release = tmp_path / "release"
    (release / "pump.internal").mkdir(parents=True)  # left by an earlier version
    (release / "pump.internal" / "redaction-log.json").write_text("{}")
    with pytest.raises(SystemExit) as exc:
        main(["build", *map(str, projects), "-o", str(release), "--jobs", "1", "--draft"])
    out = capsys.readouterr().out
    assert exc.value.code == 0, out
    assert sorted(p.name for p in release.iterdir()) == ["monitor", "pump", "pump.internal"]
    internal = tmp_path / "release.internal"
    assert sorted(p.name for p in internal.iterdir()) == ["monitor", "pump"]
    assert (internal / "pump" / "redaction-log.json").is_file() and (internal / "monitor" / "review.json").is_file()
    assert (release / "pump.internal" / "redaction-log.json").read_text() == "{}"  # not ours to remove
    assert f"warning: {projects[0]}: {release / 'pump.internal'}" in out
    assert f"{internal}/" in out

    single = tmp_path / "single"
    with pytest.raises(SystemExit) as exc:
        main(["build", str(projects[0]), "-o", str(single), "--draft", "-q"])
    assert exc.value.code == 0
    assert (tmp_path / "single.internal" / "review.json").is_file()  # one project: OUT.internal/ beside OUT/, as before
