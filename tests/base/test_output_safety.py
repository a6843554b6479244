"""Never delete what is not ours: -o refuses folders mdptm did not write, sources and the project."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mdptm.base import process
from mdptm.base.output import MARKER, staged_file
from tests.conftest import SAMPLES
from tests.test_cli_foundation import MODEL, run


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "model.yaml").write_text(MODEL)
    (folder / "mdptm.yaml").write_text("sources: [model.yaml]\n")
    return folder


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_o_at_a_users_folder_leaves_it_untouched(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = tmp_path / "Documents"
    docs.mkdir()
    (docs / "thesis.txt").write_text("four years of work")
    code, _, err = run(["build", str(project), "-o", str(docs)], capsys)
    assert code == 2
    assert str(docs) in err and "not written by mdptm" in err and "Traceback" not in err
    assert _tree(docs) == {"thesis.txt": b"four years of work"}
    assert not (tmp_path / "Documents.internal").exists()


@pytest.mark.parametrize("where", ["project", "parent", "source"])
def test_o_at_the_project_or_a_parent_or_a_source_is_refused(project: Path, where: str, capsys: pytest.CaptureFixture[str]) -> None:
    (project / MARKER).write_text("forged")  # even a folder that looks like ours: it holds the inputs
    target = {"project": project, "parent": project.parent, "source": project / "model.yaml"}[where]
    before = _tree(project)
    code, _, err = run(["build", str(project), "-o", str(target)], capsys)
    assert code == 2, err
    assert _tree(project) == before


def test_output_key_outside_the_project_is_refused(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / MARKER).write_text("forged")
    (victim / "keep.txt").write_text("x")
    (project / "mdptm.yaml").write_text(f"sources: [model.yaml]\noutput: {victim}\n")
    code, _, err = run(["build", str(project)], capsys)
    assert code == 2 and "outside the project" in err
    assert (victim / "keep.txt").read_text() == "x"
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\noutput: ../victim\n")
    code, _, err = run(["build", str(project)], capsys)
    assert code == 2 and (victim / "keep.txt").exists()


def test_output_key_inside_the_project_and_rebuilds_work(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\noutput: build/pkg\n")
    for _ in range(2):  # the second build replaces the first: it is ours
        code, out, err = run(["build", str(project)], capsys)
        assert code == 0, err
    assert (project / "build" / "pkg" / MARKER).is_file() and (project / "build" / "pkg.internal" / MARKER).is_file()
    assert MARKER not in (project / "build" / "pkg" / "MANIFEST.json").read_text()


def test_internal_sibling_that_is_not_ours_is_refused(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pkg.internal").mkdir()
    (tmp_path / "pkg.internal" / "notes.txt").write_text("mine")
    code, _, err = run(["build", str(project), "-o", str(tmp_path / "pkg")], capsys)
    assert code == 2 and "pkg.internal" in err
    assert (tmp_path / "pkg.internal" / "notes.txt").read_text() == "mine"
    assert not (tmp_path / "pkg").exists()


def test_submission_folder_that_is_not_ours_is_refused(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "filing" / "submission").mkdir(parents=True)
    (tmp_path / "filing" / "submission" / "letter.docx").write_text("mine")
    code, _, err = run(["build", str(project), "-o", str(tmp_path / "filing"), "--audience", "submission", "--draft"], capsys)
    assert code == 2 and "submission" in err
    assert (tmp_path / "filing" / "submission" / "letter.docx").read_text() == "mine"


def test_stale_staging_folders_are_cleaned_but_foreign_ones_kept(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / ".pkg.abc_1234.tmp"
    stale.mkdir()
    (stale / MARKER).write_text("")
    (stale / "index.html").write_text("never scanned")
    foreign = tmp_path / ".pkg.user.tmp"
    foreign.mkdir()
    (foreign / "data.txt").write_text("mine")
    code, _, err = run(["build", str(project), "-o", str(tmp_path / "pkg")], capsys)
    assert code == 0, err
    assert not stale.exists()
    assert (foreign / "data.txt").read_text() == "mine"


@pytest.mark.parametrize(
    ("where", "change"),
    [
        ("pkg", "add my-notes.txt"),
        ("pkg", "add guides/~$deployment.docx"),
        ("pkg", "edit ptm.json"),
        ("pkg", "add a folder drafts/"),
        ("pkg.internal", "add comments.txt"),
    ],
)
def test_a_file_put_into_or_changed_in_an_mdptm_folder_is_not_deleted(
    project: Path, tmp_path: Path, where: str, change: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The marker lists what mdptm wrote (sha256 and path): a rebuild never deletes a user's notes, an
    editor's lock file or an edited document left in a folder mdptm wrote."""
    out = tmp_path / "pkg"
    code, _, err = run(["build", str(project), "-o", str(out)], capsys)
    assert code == 0, err
    folder = tmp_path / where
    verb, name = change.split(" ", 1)
    if verb == "edit":
        (folder / name).write_text("edited by hand")
    elif name.startswith("a folder "):
        (folder / name.removeprefix("a folder ") / "x.txt").parent.mkdir()
        (folder / name.removeprefix("a folder ") / "x.txt").write_text("mine")
        name = name.removeprefix("a folder ")
    else:
        (folder / name).write_text("mine")
    before = _tree(tmp_path)
    code, _, err = run(["build", str(project), "-o", str(out)], capsys)
    assert code == 2, err
    assert name in err and str(folder) in err and "Traceback" not in err
    assert _tree(tmp_path) == before


def test_a_rebuild_replaces_what_mdptm_wrote_and_the_marker_is_the_same(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pkg"
    assert run(["build", str(project), "-o", str(out)], capsys)[0] == 0
    first = (out / MARKER).read_bytes()
    assert b"  ptm.json\n" in first and b"  guides/deployment.md\n" in first and b"MANIFEST.json" in first
    (out / "ptm.xlsx").unlink()  # a file removed: nothing of the user's to lose
    assert run(["build", str(project), "-o", str(out)], capsys)[0] == 0
    assert (out / MARKER).read_bytes() == first and (out / "ptm.xlsx").is_file()
    # a marker an older mdptm wrote (no list) vouches for what the folder's MANIFEST.json lists
    for folder in (out, tmp_path / "pkg.internal"):
        (folder / MARKER).write_text("This folder was written by mdptm; the next build into it replaces it whole.\n")
    assert run(["build", str(project), "-o", str(out)], capsys)[0] == 0
    assert b"  ptm.json\n" in (out / MARKER).read_bytes()
    (out / MARKER).write_text("This folder was written by mdptm; the next build into it replaces it whole.\n")
    (out / "old.txt").write_text("not in the manifest: not mdptm's")
    code, _, err = run(["build", str(project), "-o", str(out)], capsys)
    assert code == 2 and "old.txt" in err
    assert (out / "old.txt").read_text() == "not in the manifest: not mdptm's"


LEGACY = "This folder was written by mdptm; the next build into it replaces it whole.\n"


@pytest.mark.parametrize(
    "marker",
    [LEGACY.encode(), b"\xff\xfe not text", b"", b"marker from a real package"],
    ids=["older-mdptm", "not-utf8", "empty", "copied-from-package"],
)
def test_a_marker_copied_into_a_users_folder_vouches_for_none_of_its_files(
    project: Path, tmp_path: Path, marker: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    """A user's folder holding a marker copied from a package (older mdptm: no list of files; or any bytes)
    was deleted whole by a build into it."""
    docs = tmp_path / "Documents"
    (docs / "drafts").mkdir(parents=True)
    (docs / "thesis.txt").write_text("four years of work")
    (docs / "drafts" / "ch1.txt").write_text("chapter one")
    (docs / "review.json").write_text("{}")  # named like an internal report; this is no .internal folder
    if marker == b"marker from a real package":
        assert run(["build", str(project), "-o", str(tmp_path / "real")], capsys)[0] == 0
        marker = (tmp_path / "real" / MARKER).read_bytes()
        shutil.copy(tmp_path / "real" / "MANIFEST.json", docs / "MANIFEST.json")
    (docs / MARKER).write_bytes(marker)
    before = _tree(docs)
    code, _, err = run(["build", str(project), "-o", str(docs)], capsys)
    assert code == 2, err
    assert "thesis.txt" in err and "Traceback" not in err
    assert _tree(docs) == before


def _mdptm(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "mdptm", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_sigterm_leaves_no_staging_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = _mdptm("build", str(SAMPLES / "infusion-pump"), "-o", str(out))
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.*.tmp")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert proc.poll() is None, "the build ended before it staged anything"
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp") or ".old-" in p.name] == []


def _stop_on_the_way(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    """SIGTERM's handler run where the build cannot see its exception: swallowed (as Python does in a
    finaliser) or turned into the library's own error (matplotlib gave "Invalid bounding box")."""
    import mdptm.pipeline.run as run_module

    real = run_module.map_model

    def mapping_then_stopped(*args: object, **kwargs: object) -> object:
        try:
            process.stop_now()
        except process.Terminated:
            if kind == "converted":
                raise ValueError("Invalid bounding box") from None
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(run_module, "map_model", mapping_then_stopped)


@pytest.mark.parametrize("kind", ["swallowed", "converted"])
def test_a_stop_a_library_swallowed_still_stops_and_puts_nothing_in_place(
    project: Path, tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """SIGTERM during a build exited 0 with the new package in place (1 run in 80), or exit 2 "unexpected
    ValueError: Invalid bounding box": the handler's exception had been lost in a library."""
    out = tmp_path / "pkg"
    assert run(["build", str(project), "-o", str(out)], capsys)[0] == 0
    before = _tree(tmp_path)
    (project / "model.yaml").write_text(MODEL + "\n# changed\n")
    _stop_on_the_way(monkeypatch, kind)
    code, _, err = run(["build", str(project), "-o", str(out)], capsys)
    assert code == 143, err
    assert "terminated" in err and "unexpected" not in err and "Traceback" not in err
    after = _tree(tmp_path)
    assert {k: v for k, v in after.items() if "proj" not in k} == {k: v for k, v in before.items() if "proj" not in k}
    # the next command starts afresh
    monkeypatch.undo()
    assert run(["build", str(project), "-o", str(out)], capsys)[0] == 0


def test_a_stop_asked_before_a_file_is_put_in_place_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "model.json"
    target.write_text("old")
    with pytest.raises(process.Terminated), staged_file(target) as tmp:
        tmp.write_text("new")
        with contextlib.suppress(process.Terminated):
            process.stop_now()
    assert target.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["model.json"]
    assert process.stop_was_asked(forget=True) and not process.stop_was_asked()


def test_concurrent_builds_into_one_folder_take_turns(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    procs = [_mdptm("build", str(project), "-o", str(out)) for _ in range(4)]
    results = [(p.wait(timeout=120), p.stderr.read().decode() if p.stderr else "") for p in procs]
    assert all(code == 0 for code, _ in results), results
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg", "pkg.internal", "proj"]
    assert (out / "ptm.json").is_file()
    os.sync()


@pytest.mark.parametrize("inside", ["pkg/next", "pkg/guides/next", "pkg.internal/next"])
def test_a_build_inside_a_folder_mdptm_wrote_is_refused(
    project: Path, tmp_path: Path, inside: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """'-o pkg/next' wrote pkg/next.internal/ (the redaction log, every withheld string) into the public package."""
    assert run(["build", str(project), "-o", str(tmp_path / "pkg")], capsys)[0] == 0
    before = _tree(tmp_path)
    code, _, err = run(["build", str(project), "-o", str(tmp_path / inside)], capsys)
    assert code == 2, err
    assert "a folder mdptm wrote" in err and "Traceback" not in err
    assert _tree(tmp_path) == before
    # beside it is fine
    assert run(["build", str(project), "-o", str(tmp_path / "next")], capsys)[0] == 0


def test_an_output_name_too_long_for_what_mdptm_writes_beside_it_is_refused(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 250-character folder name left no room for 'NAME.internal': 'unexpected OSError: File name too long'."""
    out = tmp_path / ("p" * 250)
    code, _, err = run(["build", str(project), "-o", str(out)], capsys)
    assert code == 2, err
    assert "choose a shorter name" in err and "unexpected" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["proj"]
    fits = tmp_path / ("p" * 200)
    assert run(["build", str(project), "-o", str(fits)], capsys)[0] == 0


@pytest.mark.parametrize(
    "manifest",
    ['{"tool": "mdptm", "files": 5}', '{"tool": "mdptm", "files": [' * 5000 + "]" * 5000 + "}", "[1, 2]", "\xff not json"],
    ids=["files-not-a-list", "deeply-nested", "not-an-object", "not-text"],
)
def test_a_legacy_marker_beside_a_hostile_manifest_vouches_for_nothing(
    project: Path, tmp_path: Path, manifest: str, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "Documents"
    docs.mkdir()
    (docs / "thesis.txt").write_text("four years of work")
    (docs / "MANIFEST.json").write_text(manifest, encoding="utf-8", errors="surrogateescape")
    (docs / MARKER).write_text(LEGACY)
    before = _tree(docs)
    code, _, err = run(["build", str(project), "-o", str(docs)], capsys)
    assert code == 2, err
    assert "thesis.txt" in err and "unexpected" not in err
    assert _tree(docs) == before


def test_a_pipe_in_place_of_a_file_mdptm_wrote_is_foreign_and_not_read(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Reading a named pipe put where ptm.json was, to hash it, waited for a writer forever."""
    out = tmp_path / "pkg"
    assert run(["build", str(project), "-o", str(out)], capsys)[0] == 0
    (out / "ptm.json").unlink()
    os.mkfifo(out / "ptm.json")
    code, _, err = run(["build", str(project), "-o", str(out)], capsys)
    assert code == 2, err
    assert "ptm.json" in err


def test_a_stop_between_the_package_and_its_internal_folder_waits_for_both(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A stop after the package was put in place and before the internal folder was left the new package beside
    the old internal report; now the two are put in place together, then the stop is said (143)."""
    import mdptm.pipeline.run as run_module

    out = tmp_path / "pkg"
    assert run(["build", str(project), "-o", str(out)], capsys)[0] == 0
    old_internal, old_package = (out.parent / "pkg.internal").stat().st_ino, out.stat().st_ino  # each build makes new folders
    real = run_module.write_json

    def review_then_stop(path: Path, data: object) -> None:
        real(path, data)  # type: ignore[arg-type]
        if path.name == "review.json":  # written after the package is in place, before its internal folder is
            process.stop_now()

    monkeypatch.setattr(run_module, "write_json", review_then_stop)
    code, _, err = run(["build", str(project), "-o", str(out)], capsys)
    assert code == 143, err
    assert out.stat().st_ino != old_package and (out / "MANIFEST.json").is_file()  # the new package
    assert (out.parent / "pkg.internal").stat().st_ino != old_internal  # and its new internal folder with it
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp") or ".old-" in p.name] == []
