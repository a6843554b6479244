"""Process policy: how the process that runs a build manages its memory, and how it stops when asked.

How often the garbage collector runs is a setting of the whole process, not of one stage, so it is
set where a process starts its work: the command line (``mdptm build``, ``mdptm publish``) and the
worker of a portfolio build. A program that calls :func:`mdptm.pipeline.build.build` itself keeps
its own settings unless it opts in with :func:`lean_gc`.
"""

from __future__ import annotations

import gc
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress

__all__ = [
    "TERMINATED",
    "Terminated",
    "give_back_memory",
    "keep_long_lived",
    "lean_gc",
    "stop_deferred",
    "stop_if_asked",
    "stop_now",
    "stop_was_asked",
]


# A process stopped by SIGTERM exits so: the shell's convention (128 + the signal's number), outside ExitCode's
# closed set on purpose. The command line and a portfolio's workers both use it.
TERMINATED = 128 + signal.SIGTERM


class Terminated(BaseException):
    """The process was asked to stop (SIGTERM): unwinding removes staging folders and half-written files."""


class _Stop:
    """The process's stop: asked (SIGTERM came), and how many :func:`stop_deferred` blocks are open."""

    asked = False
    deferred = 0


def stop_now(*_signal: object) -> None:
    """Record that the process must stop, and stop: a signal handler.

    The exception alone is not enough. Raised while a C library calls back into Python (a drawing
    library turned it into "Invalid bounding box") or while a finaliser runs (Python ignores it there),
    it never reaches the command, and the build would go on to put its output in place. The record
    stays, so every later commit refuses (:func:`stop_if_asked`) and the command still reports the stop.
    """
    _Stop.asked = True
    if not _Stop.deferred:
        raise Terminated


def stop_if_asked() -> None:
    """Raise :class:`Terminated` when a stop was asked: called before an output is put in place."""
    if _Stop.asked and not _Stop.deferred:
        raise Terminated


@contextmanager
def stop_deferred() -> Iterator[None]:
    """Within this block a stop waits: it is recorded, and raised when the block ends.

    For outputs that belong together (a package and its internal folder, put in place one after the other
    in milliseconds): a stop between the two left the new package beside the old internal report. A stop
    asked before the block raises at once; the block ending in an error lets that error go on.
    """
    stop_if_asked()
    _Stop.deferred += 1
    try:
        yield
    finally:
        _Stop.deferred -= 1
    stop_if_asked()


def stop_was_asked(*, forget: bool = False) -> bool:
    """Whether a stop was asked since the last time it was forgotten (each command starts afresh)."""
    asked = _Stop.asked
    if forget:
        _Stop.asked = False
    return asked


_LEAN_GC = {"depth": 0, "runs": 0}
# New objects between two collections while a build runs. Nearly all it makes lives until it ends (a
# 10 000-threat Word import: about 600 000 objects, of which the collector found 24 garbage), so each
# collection scans survivors for nothing: at 50 000 that was 12 collections and 0.1-0.2 s of the import.
# At a million a collection still comes every million new objects, whatever the size of the input.
LEAN_GC_THRESHOLD = 1_000_000


@contextmanager
def lean_gc() -> Iterator[None]:
    """Collect garbage rarely while a build runs.

    A large build creates millions of objects that live until it ends; with Python's default
    thresholds the collector rescans them again and again (a sixth of a 10 000-threat build). The
    objects that exist beforehand (imported modules) are left out of the scans altogether. The
    previous settings come back afterwards; nested use keeps the outermost. A process that builds
    again (a portfolio worker) first collects what the last build left: frozen, it would never go.
    """
    if _LEAN_GC["depth"]:
        yield
        return
    old = gc.get_threshold()
    _LEAN_GC["depth"] += 1
    if _LEAN_GC["runs"]:
        gc.collect()
    _LEAN_GC["runs"] += 1
    gc.freeze()
    gc.set_threshold(LEAN_GC_THRESHOLD, 20, 50)
    try:
        yield
    finally:
        # What the build made goes to the oldest generation unscanned (freeze, then unfreeze): with the young
        # generations full of it, the first allocation under the old thresholds would scan it all (a third of a
        # second at 10 000 threats, as the command ends); the next lean_gc collects what is garbage among it.
        gc.freeze()
        gc.unfreeze()
        gc.set_threshold(*old)
        _LEAN_GC["depth"] -= 1


def keep_long_lived() -> None:
    """Within :func:`lean_gc`: what is alive now lives until the build ends (the imported model, its
    public copy), so it leaves the collector's scans. Otherwise the first collection of the middle
    generation after the import walks every item of the model (about 0.3 s at 10 000 threats, on
    the build's critical path). Outside :func:`lean_gc` the caller's settings are left alone."""
    if _LEAN_GC["depth"]:
        gc.freeze()


def give_back_memory() -> None:
    """Return freed heap pages to the system (glibc's ``malloc_trim``; elsewhere nothing).

    A stage that builds and drops large documents leaves the C heap full of free pages the
    allocator keeps for later; without this the next stage's peak sits on top of them. Only the
    pipeline knows when such a stage ended, so it calls this between stages.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        with suppress(OSError, AttributeError):  # not glibc
            ctypes.CDLL(None).malloc_trim(0)
