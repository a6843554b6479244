"""The leak scan reuses the public corpus redaction built: it must be the corpus of the model published."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from mdptm.model import Model
from mdptm.pipeline import build as build_module
from mdptm.redaction.redact import Policy, public_corpus

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "infusion-pump"


def test_leak_scan_corpus_is_the_published_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str | None, str]] = []
    real = build_module.output_detector

    def spy(policy: Policy, model: Model, public: Model, *, corpus: str | None = None) -> Callable[[str], list[str]]:
        seen.append((corpus, public_corpus(public, policy)))  # the corpus built afresh at scan time
        return real(policy, model, public, corpus=corpus)

    monkeypatch.setattr(build_module, "output_detector", spy)
    project = tmp_path / "p"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("out", "out.internal"))
    build_module.build(project, tmp_path / "out", draft=True)
    assert len(seen) == 1
    shared, fresh = seen[0]
    assert shared is not None  # no previous version: redaction's corpus is reused
    assert shared == fresh
