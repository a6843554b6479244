"""OTM export round-trips: importing ``ptm.otm.json`` gives back the model it was written from.

Equal means equal in every field that may be published: ``source``, ``notes``, ``extra`` (a zone's
parent excepted) and a flow's ``provenance`` are never written to an interchange file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mdptm.exporters.otm import to_otm
from mdptm.formats.otm_extension import public_content
from mdptm.model import Model
from mdptm.model.io import load
from mdptm.pipeline.exporting import export_one
from mdptm.pipeline.importing import ImportSource, import_one, import_sources

ROOT = next(p for p in Path(__file__).resolve().parent.parents if (p / "pyproject.toml").is_file())
SAMPLE = ROOT / "samples" / "infusion-pump" / "model.yaml"
CORPUS = ROOT.parent / "shared" / "corpus"
CORPUS_MODELS = sorted(
    [*CORPUS.glob("tm7/*.tm7"), *CORPUS.glob("threatdragon/td-*.json"), *CORPUS.glob("otm/*.otm.*"), *CORPUS.glob("otm/otm-spec-example.*")]
)


def _round_trip(model: Model, tmp_path: Path) -> tuple[Model, Any]:
    out = tmp_path / "ptm.otm.json"
    export_one(model, "otm", out)
    return import_one(out)


def test_sample_round_trips_exactly(tmp_path: Path) -> None:
    model = load(SAMPLE)
    back, report = _round_trip(model, tmp_path)
    assert public_content(back) == public_content(model)
    assert back.views and back.assumptions and back.support.patch_policy  # what plain OTM cannot hold
    assert not report.warnings


def test_device_with_every_field_round_trips(tmp_path: Path) -> None:
    """A model of our own that uses the fields OTM has no place for: each must come back."""
    model = Model.model_validate(
        {
            "schema": "mdptm/1",
            "product": {
                "name": "Bedside Monitor BM-7",
                "manufacturer": "Example Medical",
                "version": "7.1",
                "regulatory": {"cra_scope": "in_scope", "cra_category": "important_class_i", "fda_product_code": "MWI"},
            },
            "document": {
                "version": "2.0",
                "date": "2026-11-30",
                "status": "approved",
                "history": [{"version": "1.0", "date": "2025-01-01", "summary": "first"}],
                "signoffs": [{"role": "regulatory", "name": "R. Officer", "date": "2026-11-29", "decision": "approved"}],
            },
            "trust_zones": [{"id": "Z1", "name": "Bedside", "trust_level": 4}, {"id": "Z2", "name": "Cloud", "trust_level": 1}],
            "elements": [
                {"id": "E1", "name": "Monitor", "kind": "device", "trust_zone": "Z1", "tags": ["edge"]},
                {"id": "E2", "name": "Central station", "kind": "software", "trust_zone": "Z1"},
                {"id": "E3", "name": "Vendor cloud", "kind": "cloud_service", "trust_zone": "Z2"},
                {"id": "E4", "name": "Service laptop", "kind": "external_entity"},
            ],
            "flows": [
                {"id": "F1", "name": "Waveforms", "source": "E1", "target": "E2", "protocol": "TCP", "port": "2575", "data": ["A1"]},
                {
                    "id": "F2",
                    "source": "E2",
                    "target": "E3",
                    "protocol": "HTTPS",
                    "port": "443",
                    "encryption": "TLS 1.3",
                    "bidirectional": True,
                },
            ],
            "assets": [
                {"id": "A1", "name": "Vital signs", "kind": "phi", "confidentiality": "high", "stored_in": ["E2"], "disposal": "Wipe"}
            ],
            "views": [{"id": "V1", "kind": "global_system", "name": "Global system view", "elements": ["E1", "E2"], "steps": ["boot"]}],
            "threats": [
                {
                    "id": "T1",
                    "title": "Forged alarm silence",
                    "stride": ["spoofing", "tampering"],
                    "targets": ["F1", "Z1"],
                    "assets": ["A1"],
                    "risk": {"likelihood": "Possible (3)", "severity": "Catastrophic (5)", "score": 15, "level": "high", "scale": "5x5"},
                    "residual_risk": {"likelihood": "Rare (1)", "severity": "Catastrophic (5)", "score": 5, "level": "medium"},
                    "patient_harm": "critical",
                    "multi_patient": True,
                    "controls": ["C1"],
                    "status": "partially_mitigated",
                    "cvss": "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H",
                    "cwe": ["CWE-290"],
                    "capec": ["CAPEC-151"],
                },
                {"id": "T2", "title": "Nothing targeted", "status": "accepted", "rationale": "Physical access only"},
            ],
            "controls": [
                {
                    "id": "C1",
                    "title": "Signed alarm commands",
                    "category": "integrity",
                    "verification": ["PT-12"],
                    "tags": ["fw"],
                    "status": "planned",
                },
                {"id": "C2", "title": "Segment the monitors", "responsibility": "customer"},
            ],
            "assumptions": [{"id": "AS1", "text": "The network is segmented", "responsibility": "customer"}],
            "out_of_scope": [{"id": "OS1", "text": "Paper printouts", "rationale": "Not a cyber risk"}],
            "support": {"end_of_support": "2033-12-31", "patch_policy": "Critical within 30 days", "sbom": "On request"},
        }
    )
    back, _ = _round_trip(model, tmp_path)
    assert public_content(back) == public_content(model)
    t1 = back.threats[0]
    assert t1.risk is not None and (t1.risk.likelihood, t1.risk.severity, t1.risk.score) == ("Possible (3)", "Catastrophic (5)", 15)


def test_plain_otm_readers_see_honest_scales_and_a_diagram() -> None:
    doc = to_otm(load(SAMPLE))
    ratings = {z["name"]: z["risk"]["trustRating"] for z in doc["trustZones"]}
    assert all(0 <= r <= 100 for r in ratings.values())
    levels = {z.name: z.trust_level for z in load(SAMPLE).trust_zones}
    assert any(v and v > 0 for v in levels.values())
    for name, level in levels.items():
        if level is not None:
            assert ratings[name] == level * 20  # the sample's 0-5 trust levels on OTM's 0-100 scale
    assert doc["representations"][0]["type"] == "diagram"
    drawn = [c for c in doc["components"] if c.get("representations")]
    assert len(drawn) == len(doc["components"])
    assert all(r["representation"] == doc["representations"][0]["id"] for c in drawn for r in c["representations"])


def test_an_edited_file_is_read_as_plain_otm(tmp_path: Path) -> None:
    out = tmp_path / "ptm.otm.json"
    export_one(load(SAMPLE), "otm", out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc["components"][0]["name"] = "Renamed in another tool"
    out.write_text(json.dumps(doc), encoding="utf-8")
    back, report = import_one(out)
    assert any(e.name == "Renamed in another tool" for e in back.elements)
    assert any("mdptm extension set aside" in w.message for w in report.warnings)


@pytest.mark.parametrize("path", CORPUS_MODELS, ids=lambda p: p.name)
def test_corpus_models_round_trip(path: Path, tmp_path: Path) -> None:
    model, _ = import_sources([ImportSource(path)])
    back, _ = _round_trip(model, tmp_path)
    assert public_content(back) == public_content(model)


def test_export_validates_against_the_otm_schema() -> None:
    schema_path = CORPUS / "otm" / "otm_schema.json"
    if not schema_path.is_file():
        pytest.skip("../shared is absent")
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft7Validator(json.loads(schema_path.read_text(encoding="utf-8")))
    assert list(validator.iter_errors(to_otm(load(SAMPLE)))) == []
