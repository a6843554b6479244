"""Another tool's own model file (Threagile YAML, a pytm JSON dump) is refused saying what it is and
what of it to import, not as a broken mdptm model ("required field 'id' is missing")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mdptm.cli import main


def _refused(path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exc:
        main(["import", str(path), "-o", str(tmp_path / "m.json")])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and str(path) in err and "Traceback" not in err
    assert not (tmp_path / "m.json").exists()
    return err


def test_threagile_and_pytm_files_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    threagile = tmp_path / "threagile.yaml"
    threagile.write_text("threagile_version: 1.0.0\ntitle: Shop\ntechnical_assets:\n  web:\n    id: web\n")
    assert "a Threagile model" in _refused(threagile, tmp_path, capsys)
    pytm = tmp_path / "tm.json"
    pytm.write_text(
        json.dumps(
            {
                "name": "x",
                "isOrdered": True,
                "onDuplicates": "Action.NO_ACTION",
                "boundaries": [],
                "flows": [],
                "elements": [{"name": "Web"}],
            }
        )
    )
    err = _refused(pytm, tmp_path, capsys)
    assert "a pytm model" in err and "required field" not in err
    native = tmp_path / "model.json"  # an mdptm model without its schema key is still read as one
    native.write_text(json.dumps({"elements": [{"name": "Web"}], "flows": []}))
    assert "required field 'id' is missing" in _refused(native, tmp_path, capsys)


def test_the_corpus_files_of_other_tools(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, words in {
        "threagile/threagile-example.yaml": "Threagile",
        "threagile/threagile-stub.yaml": "Threagile",
        "pytm/pytm-tests-input.json": "pytm",
        "pytm/pytm-tests-output.json": "pytm",
    }.items():
        assert words in _refused(corpus / name, tmp_path, capsys)
