"""The build's leak scan runs file by file in the processes that wrote the files (PackageScan): it must
find exactly what a scan of the finished folder finds, including in files no writer scanned."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from mdptm.base.parallel import both, can_fork
from mdptm.redaction.leakscan import PackageScan, scan

SECRETS = ["Project Kestrel", "build01.meridian.corp", "Dana Whitlock"]


def _detect(text: str) -> list[str]:
    """A stand-in for the output detector: ticket ids."""
    return re.findall(r"PUMPSEC-\d+", text)


def _package(folder: Path) -> list[str]:
    """A package with leaks in several kinds of file, one in a file name; returns the names written."""
    (folder / "guides").mkdir(parents=True)
    (folder / "index.html").write_text("<p>Project <b>Kest</b>rel</p><p>safe</p>", encoding="utf-8")
    (folder / "ptm.json").write_text('{"a": "build01.meridian.corp", "b": "PUMPSEC-12"}', encoding="utf-8")
    with zipfile.ZipFile(folder / "ptm.docx", "w") as zf:
        zf.writestr("word/document.xml", "<w:t>Dana </w:t><w:t>Whitlock</w:t>")
        zf.writestr("docProps/core.xml", "<dc:creator>nobody</dc:creator>")
    (folder / "guides" / "Project-Kestrel.md").write_text("clean text\n", encoding="utf-8")
    (folder / "clean.md").write_text("nothing here\n", encoding="utf-8")
    return ["index.html", "ptm.json", "ptm.docx", "guides/Project-Kestrel.md", "clean.md"]


def test_split_scan_equals_the_folder_scan(tmp_path: Path) -> None:
    names = _package(tmp_path)
    (tmp_path / "MANIFEST.json").write_text('{"note": "PUMPSEC-7 Dana Whitlock"}', encoding="utf-8")  # no writer scans it
    leaks = PackageScan(SECRETS, detect=_detect)
    first, second = both(lambda: leaks.files(tmp_path, names[:2]), lambda: leaks.files(tmp_path, names[2:]), parallel=can_fork())
    leaks.add(first)
    leaks.add(second)
    expected = scan(tmp_path, SECRETS, detect=_detect)
    assert {h.file for h in expected} == {"index.html", "ptm.json", "ptm.docx", "guides/Project-Kestrel.md", "MANIFEST.json"}
    assert leaks.finish(tmp_path) == expected


def test_a_file_changed_after_its_scan_is_scanned_again(tmp_path: Path) -> None:
    names = _package(tmp_path)
    leaks = PackageScan(SECRETS, detect=_detect)
    leaks.add(leaks.files(tmp_path, names))
    (tmp_path / "clean.md").write_text("now it names build01.meridian.corp, at more length\n", encoding="utf-8")
    (tmp_path / "index.html").write_text("<p>clean now</p>", encoding="utf-8")
    (tmp_path / "ptm.docx").unlink()
    hits = leaks.finish(tmp_path)
    assert hits == scan(tmp_path, SECRETS, detect=_detect)
    files = {h.file for h in hits}
    assert "clean.md" in files  # rescanned: the new leak is found
    assert "index.html" not in files and "ptm.docx" not in files  # old hits of changed or gone files dropped


def test_nothing_to_look_for_scans_nothing(tmp_path: Path) -> None:
    _package(tmp_path)
    leaks = PackageScan([])
    assert not leaks.active
    assert leaks.finish(tmp_path) == []


@pytest.mark.skipif(not can_fork(), reason="the forked path needs Linux and two CPUs")
def test_every_file_is_scanned_even_if_the_writers_scan_none(tmp_path: Path) -> None:
    names = _package(tmp_path)
    leaks = PackageScan(SECRETS, detect=_detect)
    leaks.add(both(lambda: leaks.files(tmp_path, []), lambda: leaks.files(tmp_path, names[:1]))[1])
    assert leaks.finish(tmp_path) == scan(tmp_path, SECRETS, detect=_detect)
