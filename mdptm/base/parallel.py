"""Two independent halves of a job at once: the second in a forked copy of this process.

Publishing a large package writes several files that depend only on the model: on a machine with
two cores, half of them can be written by a forked child while this process writes the rest. The
child shares the parent's memory (copy-on-write), so nothing is pickled on the way there; only its
small result, or its exception, comes back. Other than on Linux, on one CPU, or inside
:func:`sequential` (a portfolio build already uses every core), the halves simply run in turn.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

__all__ = ["Pending", "background", "both", "sequential"]

A = TypeVar("A")
B = TypeVar("B")

_STATE = {"enabled": True}


@contextmanager
def sequential() -> Iterator[None]:
    """Within this block, :func:`both` never forks."""
    before = _STATE["enabled"]
    _STATE["enabled"] = False
    try:
        yield
    finally:
        _STATE["enabled"] = before


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Fork only on Linux: macOS system libraries are not safe to use in a forked child."""
    return _STATE["enabled"] and sys.platform.startswith("linux") and hasattr(os, "fork") and _cpus() > 1


def both(first: Callable[[], A], second: Callable[[], B], *, parallel: bool = True) -> tuple[A, B]:
    """``(first(), second())``, the two computed at once when *parallel* and possible.

    *second* runs in a child process: it must work by side effects on files (its changes to this
    process's objects are not seen here) and return something picklable. An exception in either
    half is raised here, after both have finished, so neither outlives the call.
    """
    with background(second, parallel=parallel) as pending:
        a = first()
        return a, pending.result()


class Pending(Generic[B]):
    """A job started by :func:`background`: running in a forked child, or waiting to run here."""

    def __init__(self, job: Callable[[], B], pid: int | None = None, read_end: int | None = None) -> None:
        self._job: Callable[[], B] | None = job
        self._pid = pid
        self._read_end = read_end
        self._done = False
        self._value: B | None = None

    @property
    def forked(self) -> bool:
        """Whether the job runs in another process."""
        return self._pid is not None

    def result(self) -> B:
        """The job's result (run here now when it was not forked); its exception is raised here."""
        if not self._done:
            if self._pid is None:
                assert self._job is not None
                job, self._job = self._job, None
                self._done = True
                self._value = job()
            else:
                status, payload = self._wait()
                self._done = True
                self._value = _result(status, payload)
        return self._value  # type: ignore[return-value]  # B, set above

    def _wait(self) -> tuple[int, bytes]:
        assert self._pid is not None and self._read_end is not None
        pid, read_end = self._pid, self._read_end
        self._pid = self._read_end = None  # reaped once, whatever happens next
        return _collect(pid, read_end)

    def _abandon(self) -> None:
        """The caller failed before asking for the result: the job's output is not wanted, but the
        child must be gone before the caller cleans up (it may be writing into a folder about to be
        removed). It is stopped, not waited for: its work is thrown away."""
        self._done = True
        self._job = None
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            self._wait()


@contextmanager
def background(job: Callable[[], B], *, parallel: bool = True) -> Iterator[Pending[B]]:
    """Start *job* in a forked child now, when *parallel* and possible, while this process goes on;
    ``pending.result()`` waits for it. Otherwise *job* runs here, when its result is asked for.

    *job* must work by side effects on files and return something picklable (as the second half of
    :func:`both`). Leaving the block without asking for the result (an exception) still waits for
    the child, so it never outlives the block.
    """
    pending = Pending(job, *_fork(job)) if parallel and can_fork() else Pending(job)
    try:
        yield pending
    except BaseException:
        pending._abandon()
        raise
    if not pending._done:
        pending._abandon()


def _fork(job: Callable[[], Any]) -> tuple[int, int]:
    """Run *job* in a forked child; returns the child's pid and the read end of its result pipe."""
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: run the job, report, and leave without cleaning up the parent's state
        os.close(read_end)
        # Everything inherited stays until the child exits: out of the collector's scans. A full
        # collection would otherwise walk the parent's whole heap and, by touching each object, copy
        # every page of it (0.5-0.7 s CPU of the forked half of a 10 000-threat package).
        gc.freeze()
        _STATE["enabled"] = False  # both cores are busy: the child never forks again
        code = 0
        try:
            payload = pickle.dumps(("ok", job()))
        except BaseException as exc:  # noqa: BLE001 - every failure is reported to the parent
            code = 1
            payload = _pickled_error(exc)
        try:
            with os.fdopen(write_end, "wb") as fh:
                fh.write(payload)
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, read_end


def _pickled_error(exc: BaseException) -> bytes:
    """The exception's class, arguments and attributes (custom constructors need not round-trip)."""
    try:
        return pickle.dumps(("error", (type(exc), exc.args, dict(vars(exc)))))
    except Exception:  # noqa: BLE001 - an unpicklable detail: keep the message
        return pickle.dumps(("error", (RuntimeError, (f"{type(exc).__name__}: {exc}",), {})))


def _collect(pid: int, read_end: int) -> tuple[int, bytes]:
    with os.fdopen(read_end, "rb") as fh:
        payload = fh.read()
    _pid, status = os.waitpid(pid, 0)
    return status, payload


def _result(status: int, payload: bytes) -> Any:  # Any: the child's unpickled result, typed by both()
    if not payload:
        raise RuntimeError(f"the process writing part of the output ended without a result ({_describe(status)})")
    kind, value = pickle.loads(payload)  # noqa: S301 - our own child's bytes
    if kind == "ok":
        return value
    cls, args, attrs = value
    exc = cls.__new__(cls)
    exc.args = args
    vars(exc).update(attrs)
    raise exc


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.WEXITSTATUS(status)}"
