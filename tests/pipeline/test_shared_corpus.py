"""The leak scan reuses the public corpus redaction built: it must be the corpus of the model published."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
import yaml

from mdptm.model import Model
from mdptm.pipeline import build as build_module
from mdptm.pipeline import run as run_module
from mdptm.redaction.corpus import Corpus
from mdptm.redaction.log import RedactionLog
from mdptm.redaction.redact import Policy, public_corpus

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "infusion-pump"


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str | None, str]]:
    """What the build hands the leak scan, next to the corpus built afresh from the published model."""
    seen: list[tuple[str | None, str]] = []
    real = run_module.output_detector

    def spy(
        policy: Policy,
        model: Model,
        public: Model,
        *,
        corpus: Corpus | None = None,
        log: RedactionLog | None = None,
        published: Iterable[str] = (),
    ) -> Callable[[str], list[str]]:
        seen.append((corpus.text() if corpus else None, public_corpus(public, policy)))  # the corpus built afresh at scan time
        return real(policy, model, public, corpus=corpus, log=log, published=published)

    monkeypatch.setattr(run_module, "output_detector", spy)
    return seen


def test_leak_scan_corpus_is_the_published_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _spy(monkeypatch)
    project = tmp_path / "p"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("out", "out.internal"))
    build_module.build(project, tmp_path / "out", draft=True)
    assert len(seen) == 1
    shared, fresh = seen[0]
    assert shared is not None  # no previous version: redaction's corpus is reused
    assert shared == fresh


def test_corpus_is_built_again_after_the_history_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "p"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("out", "out.internal"))
    first = build_module.build(project, tmp_path / "v1", draft=True)
    text = (project / "mdptm.yaml").read_text(encoding="utf-8")
    (project / "mdptm.yaml").write_text(text + "previous: ../v1/ptm.json\n", encoding="utf-8")
    doc = yaml.safe_load(text)["document"]
    assert first.out.joinpath("ptm.json").is_file() and doc["history"]
    seen = _spy(monkeypatch)
    build_module.build(project, tmp_path / "v2", draft=True)
    assert len(seen) == 1
    shared, fresh = seen[0]
    assert shared is None  # record_history changed the public model: the scan builds its own corpus
    assert fresh
