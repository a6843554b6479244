"""The project file's facts win over the sources; a reference an ``items:`` entry changes is checked
again, and a project file without ``items:`` (which cannot change a reference) costs no second check."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import mdptm.pipeline.build as build_module
from mdptm.errors import InputError
from mdptm.pipeline.build import load_project_model
from tests.conftest import SAMPLES

HEAD = "sources: [register.xlsx]\nproduct: {name: Pump, manufacturer: Maker}\ndocument: {version: '1.0'}\n"


def _project(tmp_path: Path, extra: str = "") -> Path:
    folder = tmp_path / "p"
    folder.mkdir()
    shutil.copy(SAMPLES / "infusion-pump" / "register.xlsx", folder / "register.xlsx")
    (folder / "mdptm.yaml").write_text(HEAD + extra, encoding="utf-8")
    return folder


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = build_module.check_references

    def counted(model: object) -> None:
        calls.append(1)
        real(model)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "check_references", counted)
    return calls


def test_items_that_dangle_a_reference_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model, *_ = load_project_model(_project(tmp_path))
    threat = next(t for t in model.threats if t.targets)
    folder = tmp_path / "q"
    shutil.copytree(tmp_path / "p", folder)
    (folder / "mdptm.yaml").write_text(HEAD + f"items:\n  {threat.id}: {{targets: [NO-SUCH-ELEMENT]}}\n", encoding="utf-8")
    calls = _counting(monkeypatch)
    with pytest.raises(InputError, match="NO-SUCH-ELEMENT"):
        load_project_model(folder)
    assert calls == [1]


def test_without_items_the_merged_model_is_checked_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch)
    model, *_ = load_project_model(_project(tmp_path))
    assert model.threats and model.product.name == "Pump"
    assert calls == []  # import_sources checked the merged model; nothing since could change a reference
