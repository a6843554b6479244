"""Process policy: the collector is tuned for the length of a build by whoever owns the process
(the command line, a portfolio worker), and put back afterwards; the pipeline itself leaves it alone."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from mdptm.base.process import LEAN_GC_THRESHOLD, keep_long_lived, lean_gc
from mdptm.cli import main
from tests.conftest import SAMPLES


def test_lean_gc_raises_the_thresholds_and_puts_them_back() -> None:
    before = gc.get_threshold()
    with lean_gc():
        assert gc.get_threshold()[0] == LEAN_GC_THRESHOLD
        with lean_gc():  # nested: the outermost settings stay
            assert gc.get_threshold()[0] == LEAN_GC_THRESHOLD
        assert gc.get_threshold()[0] == LEAN_GC_THRESHOLD
    assert gc.get_threshold() == before


def test_keep_long_lived_freezes_only_within_lean_gc() -> None:
    frozen = gc.get_freeze_count()
    keep_long_lived()  # the caller's process, its settings: left alone
    assert gc.get_freeze_count() == frozen
    with lean_gc():
        model = [[i] for i in range(1000)]  # a build's long-lived objects
        keep_long_lived()
        assert gc.get_freeze_count() >= frozen + len(model)
    assert gc.get_freeze_count() == 0  # lean_gc gives them back to the collector


def test_lean_gc_leaves_what_the_build_made_out_of_the_young_generations() -> None:
    """As the command ends, what it made must not sit in the young generations under the old thresholds:
    the first allocation would scan it all (a third of a second after a 10 000-threat Word import)."""
    with lean_gc():
        made = [[i] for i in range(2000)]  # a build's objects, never frozen by keep_long_lived
        made_ids = {id(x) for x in made}
    young = {id(o) for gen in (0, 1) for o in gc.get_objects(generation=gen)}
    assert not made_ids & young
    assert made_ids <= {id(o) for o in gc.get_objects(generation=2)}  # still collectable (a full collection)
    assert gc.get_freeze_count() == 0


@pytest.mark.slow
def test_the_pipeline_leaves_the_collector_alone(tmp_path: Path) -> None:
    from mdptm.pipeline.build import build

    seen: list[tuple[int, int, int]] = []
    before = gc.get_threshold()
    frozen = gc.get_freeze_count()
    gc.callbacks.append(lambda phase, info: seen.append(gc.get_threshold()) if phase == "start" else None)
    try:
        build(SAMPLES / "infusion-pump", tmp_path / "out", draft=True)
    finally:
        gc.callbacks.pop()
    assert gc.get_threshold() == before
    assert all(t == before for t in seen)
    assert gc.get_freeze_count() == frozen  # nothing of the build kept out of the scans


@pytest.mark.slow
def test_the_build_command_sets_the_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    entered: list[bool] = []

    @contextmanager
    def spy() -> Iterator[None]:
        entered.append(True)
        with lean_gc():
            yield

    monkeypatch.setattr("mdptm.base.process.lean_gc", spy)
    with pytest.raises(SystemExit) as done:
        main(["-q", "build", str(SAMPLES / "infusion-pump"), "-o", str(tmp_path / "out"), "--draft"])
    assert done.value.code == 0
    assert entered == [True]
