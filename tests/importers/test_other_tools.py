"""Another tool's own model file (a pytm JSON dump, a TMBOM or Threat Composer file) is refused saying what it
is and what of it to import, not as a broken mdptm model ("required field 'id' is missing"). A Threagile model
is read by its own importer (tests/importers/test_threagile.py); read as an mdptm model it is named."""

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
    with pytest.raises(SystemExit) as exc:  # read as an mdptm model (--format mdptm), it is named and sent to its importer
        main(["import", str(threagile), "--format", "mdptm", "-o", str(tmp_path / "m.json")])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and "a Threagile model" in err and "threagile importer" in err and "required field" not in err
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
        "pytm/pytm-tests-input.json": "pytm",
        "pytm/pytm-tests-output.json": "pytm",
    }.items():
        assert words in _refused(corpus / name, tmp_path, capsys)


def test_tmbom_and_threat_composer_files_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Threat Dragon's demo huskyai.tmbom.json (OWASP Threat Model Library) and an AWS Threat Composer export
    (aws-samples/sample-aws-techbot threat-model.json, "schema": 1) were read as broken mdptm models."""
    tmbom = tmp_path / "huskyai.tmbom.json"
    tmbom.write_text(
        json.dumps(
            {
                "$schema": "https://github.com/OWASP/www-project-threat-model-library/blob/v1.0.1/threat-model.schema.json",
                "version": "1.0.1",
                "scope": {"title": "Husky AI", "description": "Classifies huskies"},
                "trust_zones": [{"symbolic_name": "prod-zone", "title": "Production Trust Zone"}],
                "components": [{"symbolic_name": "web-service", "title": "Web Server", "trust_zone": "prod-zone"}],
            }
        )
    )
    err = _refused(tmbom, tmp_path, capsys)
    assert "OWASP Threat Model Library" in err and "required field" not in err
    composer = tmp_path / "threat-model.json"
    composer.write_text(
        json.dumps(
            {
                "schema": 1,
                "applicationInfo": {"name": "Threat Model Export", "description": "A chatbot"},
                "mitigations": [{"id": "m1", "numericId": 1, "status": "mitigationIdentified", "content": "Verify webhook signatures"}],
                "threats": [{"id": "t1", "numericId": 1, "statement": "An attacker can send crafted webhooks", "tags": ["STRIDE-S"]}],
            }
        )
    )
    err = _refused(composer, tmp_path, capsys)
    assert "AWS Threat Composer" in err and "no 'schema: mdptm/1' key" not in err
