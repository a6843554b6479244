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
import shutil
import signal
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar

__all__ = ["Inbox", "Pending", "background", "both", "sequential"]

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
    half is raised here once the child is gone (finished, or stopped when this half failed), so neither
    outlives the call.
    """
    with background(lambda _inbox: second(), parallel=parallel) as pending:
        a = first()
        return a, pending.result()


class Inbox:
    """What this process sends a job started by :func:`background` after starting it
    (:meth:`Pending.send`); the job takes each object in turn with :meth:`get`.

    A forked job receives each object as a pickle in a file of a folder the two share, announced by a
    byte on a pipe: the sender never waits for the job to read (a pipe holds only 64 KB).
    """

    def __init__(self, folder: Path | None = None) -> None:
        self._kept: deque[Any] = deque()  # not forked: what was sent waits here
        self._folder = folder
        self._read_end, self._write_end = os.pipe() if folder is not None else (-1, -1)
        self._sent = 0
        self._taken = 0

    def get(self) -> Any:  # Any: whatever the sender sent; the job knows what it asked for
        """The next object sent; a forked job waits for it."""
        if self._folder is None:
            if not self._kept:
                raise RuntimeError("the job asked for more than was sent to it before its result was wanted")
            return self._kept.popleft()
        if os.read(self._read_end, 1) != b"m":
            raise RuntimeError("the process that started this job sent it nothing more")
        self._taken += 1
        with (self._folder / f"{self._taken}.pickle").open("rb") as fh:
            return pickle.load(fh)  # noqa: S301 - our own parent's bytes

    def _put(self, value: Any) -> None:  # Any: whatever the job will ask for
        if self._folder is None:
            self._kept.append(value)
            return
        self._sent += 1
        with (self._folder / f"{self._sent}.pickle").open("wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.write(self._write_end, b"m")

    def _child_side(self) -> None:
        if self._folder is not None:
            os.close(self._write_end)

    def _parent_side(self) -> None:
        if self._folder is not None:
            os.close(self._read_end)

    def _close(self) -> None:
        if self._folder is not None:
            with contextlib.suppress(OSError):
                os.close(self._write_end)
            shutil.rmtree(self._folder, ignore_errors=True)


class Pending(Generic[B]):
    """A job started by :func:`background`: running in a forked child, or waiting to run here."""

    def __init__(self, job: Callable[[Inbox], B], inbox: Inbox, pid: int | None = None, read_end: int | None = None) -> None:
        self._job: Callable[[Inbox], B] | None = job
        self._inbox = inbox
        self._pid = pid
        self._read_end = read_end
        self._done = False
        self._value: B | None = None

    @property
    def forked(self) -> bool:
        """Whether the job runs in another process."""
        return self._pid is not None

    def send(self, value: object) -> None:
        """Hand the job one more object (it must pickle); the job takes it with ``inbox.get()``."""
        if self._done:
            raise RuntimeError("the job has finished: nothing more can be sent to it")
        self._inbox._put(value)

    def result(self) -> B:
        """The job's result (run here now when it was not forked); its exception is raised here."""
        if not self._done:
            if self._pid is None:
                assert self._job is not None
                job, self._job = self._job, None
                self._done = True
                self._value = job(self._inbox)
            else:
                status, payload = self._wait()
                self._done = True
                self._value = _result(status, payload)
        return self._value  # type: ignore[return-value]  # B, set above

    def _wait(self) -> tuple[int, bytes]:
        assert self._pid is not None and self._read_end is not None
        pid, read_end = self._pid, self._read_end
        self._pid = self._read_end = None  # reaped once, whatever happens next
        try:
            return _collect(pid, read_end)
        except BaseException:  # a stop (SIGTERM) while waiting: the child must not go on writing after us
            with contextlib.suppress(ProcessLookupError, ChildProcessError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            raise

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
def background(job: Callable[[Inbox], B], *, parallel: bool = True) -> Iterator[Pending[B]]:
    """Start *job* in a forked child now, when *parallel* and possible, while this process goes on;
    ``pending.result()`` waits for it. Otherwise *job* runs here, when its result is asked for.

    *job* must work by side effects on files and return something picklable (as the second half of
    :func:`both`). It is given an :class:`Inbox` for what this process works out after starting it
    (``pending.send(value)``). Leaving the block without asking for the result (an exception) stops
    the child, so it never outlives the block.
    """
    forked = parallel and can_fork()
    inbox = Inbox(Path(tempfile.mkdtemp(prefix="mdptm-inbox-")) if forked else None)
    try:
        pending = Pending(job, inbox, *_fork(job, inbox)) if forked else Pending(job, inbox)
        try:
            yield pending
        except BaseException:
            pending._abandon()
            raise
        if not pending._done:
            pending._abandon()
    finally:
        inbox._close()


def _fork(job: Callable[[Inbox], Any], inbox: Inbox) -> tuple[int, int]:
    """Run *job* in a forked child; returns the child's pid and the read end of its result pipe."""
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: run the job, report, and leave without cleaning up the parent's state
        os.close(read_end)
        inbox._child_side()
        # Everything inherited stays until the child exits: out of the collector's scans. A full
        # collection would otherwise walk the parent's whole heap and, by touching each object, copy
        # every page of it (0.5-0.7 s CPU of the forked half of a 10 000-threat package).
        gc.freeze()
        _STATE["enabled"] = False  # both cores are busy: the child never forks again
        code = 0
        try:
            payload = pickle.dumps(("ok", job(inbox)))
        except BaseException as exc:  # noqa: BLE001 - every failure is reported to the parent
            code = 1
            payload = _pickled_error(exc)
        try:
            with os.fdopen(write_end, "wb") as fh:
                fh.write(payload)
        finally:
            os._exit(code)
    os.close(write_end)
    inbox._parent_side()
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
