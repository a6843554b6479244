"""Writing a large package in two processes (mdptm.base.parallel): same bytes, errors come back."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

import mdptm.pipeline.publish
from mdptm.base.parallel import both, can_fork, sequential
from mdptm.errors import InputError
from mdptm.pipeline.build import build
from tests.conftest import SAMPLES

needs_fork = pytest.mark.skipif(not can_fork(), reason="needs os.fork and two CPUs")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
@needs_fork
def test_package_written_in_two_processes_is_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one = build(SAMPLES / "infusion-pump", tmp_path / "one")
    assert one.exit_code == 0
    monkeypatch.setattr(mdptm.pipeline.publish, "PARALLEL_ITEMS", 0)  # the sample is small: force the split
    forked: list[int] = []
    real_fork = os.fork

    def counting_fork() -> int:
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counting_fork)
    two = build(SAMPLES / "infusion-pump", tmp_path / "two")
    assert two.exit_code == 0 and len(forked) == 1
    assert _files(tmp_path / "two") == _files(tmp_path / "one")
    assert _files(tmp_path / "two.internal") == _files(tmp_path / "one.internal")


@needs_fork
def test_results_and_side_effects_of_both_halves(tmp_path: Path) -> None:
    def first() -> str:
        (tmp_path / "a").write_text("a")
        return "here"

    def second() -> list[int]:
        (tmp_path / "b").write_text(str(os.getpid()))
        return [1, 2]

    assert both(first, second) == ("here", [1, 2])
    assert (tmp_path / "a").read_text() == "a"
    assert int((tmp_path / "b").read_text()) != os.getpid()  # the second half ran in another process


@needs_fork
def test_an_error_in_the_child_is_raised_with_its_details() -> None:
    def second() -> None:
        raise InputError("bad cell", file="register.xlsx", locator="Threats!B12")

    with pytest.raises(InputError) as exc:
        both(lambda: None, second)
    assert (exc.value.file, exc.value.locator, exc.value.exit_code) == ("register.xlsx", "Threats!B12", 2)
    assert str(exc.value) == "register.xlsx (Threats!B12): bad cell"


@needs_fork
def test_an_error_here_waits_for_the_child(tmp_path: Path) -> None:
    def first() -> None:
        raise ValueError("boom")

    def second() -> None:
        import time

        time.sleep(0.2)
        (tmp_path / "late").write_text("done")

    with pytest.raises(ValueError, match="boom"):
        both(first, second)
    assert (tmp_path / "late").read_text() == "done"  # the child had finished before the error surfaced


def test_sequential_runs_both_halves_here() -> None:
    with sequential():
        assert both(os.getpid, os.getpid) == (os.getpid(), os.getpid())
    assert both(os.getpid, os.getpid, parallel=False) == (os.getpid(), os.getpid())


@needs_fork
def test_the_child_leaves_what_it_inherited_out_of_the_collectors_scans() -> None:
    """A collection in the forked half must not walk (and so copy) the parent's heap."""
    inherited = [[i] for i in range(1000)]  # tracked objects the child inherits
    before = gc.get_freeze_count()

    def second() -> tuple[int, int]:
        return gc.get_freeze_count(), len(inherited)

    _first, (frozen, n) = both(lambda: None, second)
    assert n == 1000
    assert frozen >= before + len(inherited)
    assert gc.get_freeze_count() == before  # this process's collector is left as it was
