"""Writing a large package in two processes (mdptm.base.parallel): same bytes, errors come back."""

from __future__ import annotations

import gc
import os
import tempfile
from pathlib import Path

import pytest

import mdptm.pipeline.publish
from mdptm.base.parallel import Inbox, background, both, can_fork, sequential
from mdptm.errors import InputError
from mdptm.pipeline.build import build
from tests.conftest import SAMPLES
from tests.forks import count_forks, files_of, needs_fork


@pytest.mark.slow
@needs_fork
def test_package_written_in_two_processes_is_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one = build(SAMPLES / "infusion-pump", tmp_path / "one")
    assert one.exit_code == 0
    monkeypatch.setattr(mdptm.pipeline.publish, "PARALLEL_ITEMS", 0)  # the sample is small: force the split
    forked = count_forks(monkeypatch)
    two = build(SAMPLES / "infusion-pump", tmp_path / "two")
    assert two.exit_code == 0 and len(forked) == 2  # the internal model's mapping, then the package's second half
    assert files_of(tmp_path / "two") == files_of(tmp_path / "one")
    assert files_of(tmp_path / "two.internal") == files_of(tmp_path / "one.internal")


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
def test_an_error_here_stops_the_child_before_it_surfaces(tmp_path: Path) -> None:
    """The child may be writing into a folder the caller removes on error: it is gone first."""
    started = tmp_path / "started"

    def first() -> None:
        while not started.exists():  # the child is running
            os.sched_yield()
        raise ValueError("boom")

    def second() -> None:
        import time

        (tmp_path / "pid").write_text(str(os.getpid()))
        (tmp_path / "pid").rename(started)
        time.sleep(60)
        (tmp_path / "late").write_text("done")

    with pytest.raises(ValueError, match="boom"):
        both(first, second)
    child = int(started.read_text())
    with pytest.raises(ChildProcessError):  # reaped: no longer this process's child
        os.waitpid(child, os.WNOHANG)
    with pytest.raises(ProcessLookupError):  # and gone
        os.kill(child, 0)
    assert not (tmp_path / "late").exists()


@needs_fork
def test_background_runs_while_this_process_goes_on(tmp_path: Path) -> None:
    with background(lambda _inbox: (tmp_path / "b").write_text(str(os.getpid()))) as pending:
        assert pending.forked
        here = os.getpid()
        assert pending.result() > 0
    assert int((tmp_path / "b").read_text()) != here


def test_background_without_fork_runs_when_asked_or_never(tmp_path: Path) -> None:
    ran: list[int] = []
    with background(lambda _inbox: ran.append(1), parallel=False) as pending:
        assert not pending.forked and ran == []
        pending.result()
        pending.result()  # once only
    assert ran == [1]
    with pytest.raises(KeyError), background(lambda _inbox: ran.append(2), parallel=False):
        raise KeyError("not asked")
    assert ran == [1]


def _takes_two(inbox: Inbox) -> tuple[int, object, object]:
    first = inbox.get()
    return os.getpid(), first, inbox.get()


@pytest.mark.parametrize("parallel", [True, False])
def test_what_is_sent_after_the_start_reaches_the_job_in_order(parallel: bool) -> None:
    big = ["x" * 1000] * 500  # far more than a pipe holds: the sender must not wait for the job to read
    with background(_takes_two, parallel=parallel) as pending:
        pending.send({"coverage": 1})
        pending.send(big)
        pid, first, second = pending.result()
    assert (first, second) == ({"coverage": 1}, big)
    assert (pid != os.getpid()) == (parallel and can_fork())
    with pytest.raises(RuntimeError, match="finished"):
        pending.send(1)


def test_a_job_that_asks_for_more_than_was_sent_fails_here() -> None:
    with background(_takes_two, parallel=False) as pending:
        pending.send(1)
        with pytest.raises(RuntimeError, match="asked for more"):
            pending.result()


@needs_fork
def test_a_forked_job_waiting_for_what_never_comes_is_stopped_with_the_block(tmp_path: Path) -> None:
    folders_before = set(Path(tempfile.gettempdir()).glob("mdptm-inbox-*"))
    with pytest.raises(ValueError, match="review blocked"), background(_takes_two) as pending:
        pending.send(1)
        raise ValueError("review blocked")  # the job waits for a second object that never comes
    assert pending.forked is False  # reaped
    assert set(Path(tempfile.gettempdir()).glob("mdptm-inbox-*")) == folders_before  # and its inbox removed


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


@needs_fork
def test_a_stop_while_waiting_for_the_child_stops_the_child(tmp_path: Path) -> None:
    """SIGTERM while the parent read the child's result left the child running, writing into a staging
    folder the parent was removing (it was no longer known to the block)."""
    import signal
    import time

    from mdptm.base.process import Terminated, stop_now, stop_was_asked

    def slow(_inbox: Inbox) -> None:
        (tmp_path / "pid").write_text(str(os.getpid()))
        time.sleep(60)
        (tmp_path / "late").write_text("done")

    previous = signal.signal(signal.SIGALRM, stop_now)
    try:
        with pytest.raises(Terminated), background(slow) as pending:
            while not (tmp_path / "pid").exists():
                time.sleep(0.01)
            signal.setitimer(signal.ITIMER_REAL, 0.2)
            pending.result()  # the stop arrives while this waits
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        stop_was_asked(forget=True)
    child = int((tmp_path / "pid").read_text())
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)
    assert not (tmp_path / "late").exists()
