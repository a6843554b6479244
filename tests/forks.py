"""Helpers for the tests of work split over forked processes (mdptm.base.parallel)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mdptm.base.parallel import can_fork

needs_fork = pytest.mark.skipif(not can_fork(), reason="needs os.fork and two CPUs")


def count_forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the children forked from here on (the list fills as they are made)."""
    children: list[int] = []
    real_fork = os.fork

    def counting_fork() -> int:
        pid = real_fork()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counting_fork)
    return children


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under *folder* by its relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
