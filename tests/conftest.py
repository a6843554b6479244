"""Shared fixtures: paths to the samples and to ../shared (skipped cleanly where absent)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
DATA = ROOT / "tests" / "data"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        help="rewrite the golden snapshots (tests/data/golden/, tests/data/publish/) instead of comparing; read the diff",
    )


class Golden:
    """Compares output with a committed snapshot. A missing snapshot fails (so a snapshot can never
    pass by being written); ``--regen-golden`` or ``MDPTM_REGEN_GOLDEN=1`` writes them instead."""

    def __init__(self, regen: bool) -> None:
        self.regen = regen

    def check(self, path: Path, text: str) -> None:
        if self.regen:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            return
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        if not path.is_file():
            pytest.fail(f"golden file {shown} is missing: run pytest --regen-golden and review it")
        assert text == path.read_text(encoding="utf-8"), f"differs from {shown} (pytest --regen-golden after a deliberate change)"


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    return Golden(bool(request.config.getoption("--regen-golden")) or os.environ.get("MDPTM_REGEN_GOLDEN") == "1")


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout (it is only on the developers' machines and CI)")
    return CORPUS


@pytest.fixture(autouse=True)
def _fixed_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


collect_ignore = ["bench"]  # benchmarks run by hand: python tests/bench/run_bench.py


@pytest.fixture(autouse=True)
def _no_stop_left_over() -> Iterator[None]:
    """A test that stops a build (SIGTERM's record, ``mdptm.base.process``) must not stop the next test's: a process
    runs one command, this one runs many, and a build called as a library does not forget the stop as ``main`` does."""
    from mdptm.base.process import stop_was_asked

    yield
    stop_was_asked(forget=True)
