"""One source is resolved once: the importer leaves its references to the final pass over the merged model
(``ImportContext.resolved_after``), and the model and report are those of the importer's own pass followed by it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import mdptm.importers.tabular.resolve as resolve
from mdptm.importers.merge import merge_models
from mdptm.model.io import dumps
from mdptm.pipeline.importing import ImportSource, _initiators, check_references, import_one, import_sources
from tests.conftest import SAMPLES

MARKDOWN = Path(__file__).resolve().parents[1] / "data" / "markdown-real" / "dragonfly-threat-model.md"
SOURCES = [SAMPLES / "infusion-pump" / "register.xlsx", SAMPLES / "infusion-pump" / "threat-model.docx", MARKDOWN]


def _two_passes(path: Path) -> tuple[str, str]:
    """The model and report as an import made them when the importer resolved the file itself first."""
    model, report = import_one(path)  # a default context: the importer's own pass
    model, report = merge_models([(path.name, model, report)])
    resolve.resolve_references(model, report, final=True)
    check_references(model)
    _initiators(model)
    return dumps(model), json.dumps(report.finish().model_dump(mode="json"), sort_keys=True)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.suffix)
def test_one_source_is_resolved_once_to_the_same_model(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected_model, expected_report = _two_passes(path)
    passes: list[bool] = []
    real = resolve.Resolver.__init__

    def counted(self: resolve.Resolver, *args: object, final: bool, **kwargs: object) -> None:
        passes.append(final)
        real(self, *args, final=final, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(resolve.Resolver, "__init__", counted)
    model, report = import_sources([ImportSource(path)])
    assert passes == [True]  # the final pass alone
    assert dumps(model) == expected_model
    assert json.dumps(report.model_dump(mode="json"), sort_keys=True) == expected_report


def test_two_sources_are_each_resolved_before_they_merge(monkeypatch: pytest.MonkeyPatch) -> None:
    passes: list[bool] = []
    real = resolve.Resolver.__init__

    def counted(self: resolve.Resolver, *args: object, final: bool, **kwargs: object) -> None:
        passes.append(final)
        real(self, *args, final=final, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(resolve.Resolver, "__init__", counted)
    import_sources([ImportSource(SOURCES[0]), ImportSource(SOURCES[1])])
    assert passes == [False, False, True]
