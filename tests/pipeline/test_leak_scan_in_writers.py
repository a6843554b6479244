"""The build scans each package file in the process that wrote it: a leak planted in a file of either
writing process (forked or not), in a zip member, or in the manifest written last, still blocks the build."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from mdptm.base.parallel import can_fork
from mdptm.errors import ExitCode
from mdptm.pipeline import build as build_module
from mdptm.pipeline import publish as publish_module
from mdptm.pipeline import run as run_module

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "infusion-pump"


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "p"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("out", "out.internal"))
    return project


def _plant(monkeypatch: pytest.MonkeyPatch) -> None:
    """index.html (written by this process) names the build host; ptm.xlsx (the other) holds a zip
    member naming the engineer; the manifest names the code name."""
    write_html, write_xlsx, write_manifest = publish_module.write_html, publish_module.write_xlsx, run_module.write_manifest

    def html(*args: Any, **kwargs: Any) -> None:
        write_html(*args, **kwargs)
        path = Path(args[1])
        path.write_text(path.read_text(encoding="utf-8") + "<p>build01.meridian.corp</p>", encoding="utf-8")

    def xlsx(*args: Any, **kwargs: Any) -> None:
        write_xlsx(*args, **kwargs)
        with zipfile.ZipFile(args[1], "a") as zf:
            zf.writestr("xl/notes.xml", "<n>Dana <b/>Whitlock</n>")

    def manifest(folder: Path, extra: dict[str, str]) -> None:
        write_manifest(folder, {**extra, "note": "Project Kestrel"})

    monkeypatch.setattr(publish_module, "write_html", html)
    monkeypatch.setattr(publish_module, "write_xlsx", xlsx)
    monkeypatch.setattr(run_module, "write_manifest", manifest)


@pytest.mark.parametrize("forked", [True, False])
def test_leaks_in_either_writers_files_and_the_manifest_block_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: bool
) -> None:
    if forked and not can_fork():
        pytest.skip("the forked path needs Linux and two CPUs")
    monkeypatch.setattr(publish_module, "PARALLEL_ITEMS", 0 if forked else 10**9)
    _plant(monkeypatch)
    out = tmp_path / "out"
    result = build_module.build(_project(tmp_path), out, draft=True)
    assert result.exit_code == ExitCode.BLOCKED
    assert not out.exists()
    assert result.review is not None
    leaks = sorted(f.message for f in result.review.findings if f.check == "leak")
    assert any("index.html" in m and "build01.meridian.corp" in m for m in leaks), leaks
    assert any("ptm.xlsx (xl/notes.xml)" in m and "Dana Whitlock" in m for m in leaks), leaks
    assert any("MANIFEST.json" in m and "Project Kestrel" in m for m in leaks), leaks


def test_a_clean_build_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publish_module, "PARALLEL_ITEMS", 0)
    out = tmp_path / "out"
    result = build_module.build(_project(tmp_path), out, draft=True)
    assert result.exit_code == ExitCode.OK
    assert (out / "MANIFEST.json").is_file()
