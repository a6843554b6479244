"""Threat Dragon v2 export: valid against Threat Dragon's schema, and read back by mdptm as the same model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mdptm.exporters.threatdragon import to_threatdragon
from mdptm.model import Model
from mdptm.model.io import load
from mdptm.pipeline.importing import ImportSource, import_sources

ROOT = next(p for p in Path(__file__).resolve().parent.parents if (p / "pyproject.toml").is_file())
SAMPLE = ROOT / "samples" / "infusion-pump" / "model.yaml"
SCHEMA = ROOT.parent / "shared" / "corpus" / "threatdragon" / "threat-dragon-v2.schema.json"
TD_CORPUS = sorted((ROOT.parent / "shared" / "corpus" / "threatdragon").glob("td-*.json"))


def _round_trip(model: Model, tmp_path: Path) -> Model:
    path = tmp_path / "model.td.json"
    path.write_text(json.dumps(to_threatdragon(model)), encoding="utf-8")
    back, _ = import_sources([ImportSource(path, "threatdragon")])
    return back


def _by_name(model: Model) -> dict[str, str]:
    return {**{e.id: e.name for e in model.elements}, **{f.id: f.name for f in model.flows}}


def _shape(model: Model) -> dict[str, object]:
    """What Threat Dragon can carry: names, zones, flow ends, threats with targets, status, first category, level."""
    names = _by_name(model)
    zones = {z.id: z.name for z in model.trust_zones}
    return {
        "zones": sorted(zones.values()),
        "elements": sorted((e.name, zones.get(e.trust_zone or "", "")) for e in model.elements),
        "flows": sorted((f.name, names[f.source], names[f.target], f.bidirectional) for f in model.flows),
        "threats": sorted(
            (
                t.title,
                tuple(sorted(names[x] for x in t.targets if x in names)),
                t.status,
                t.stride[:1] == [] or t.stride[0],
                t.risk.level if t.risk else None,
            )
            for t in model.threats
        ),
    }


def test_sample_round_trips_through_threat_dragon(tmp_path: Path) -> None:
    model = load(SAMPLE)
    back = _round_trip(model, tmp_path)
    assert _shape(back) == _shape(model)
    assert len(back.threats) == len(model.threats)


@pytest.mark.skipif(not SCHEMA.is_file(), reason="../shared is absent")
def test_export_is_valid_against_the_threat_dragon_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(to_threatdragon(load(SAMPLE)), schema)


@pytest.mark.parametrize("path", TD_CORPUS, ids=lambda p: p.name)
def test_corpus_models_round_trip(path: Path, tmp_path: Path) -> None:
    first, _ = import_sources([ImportSource(path, "threatdragon")])
    again = _round_trip(first, tmp_path)
    assert _shape(again) == _shape(first)


def test_threat_on_several_targets_is_one_threat_again(tmp_path: Path) -> None:
    model = Model.model_validate(
        {
            "schema": "mdptm/1",
            "product": {"name": "P", "manufacturer": "M"},
            "document": {"version": "1"},
            "elements": [{"id": "A", "name": "Pump", "kind": "device"}, {"id": "B", "name": "Server", "kind": "data_store"}],
            "threats": [
                {"id": "T1", "title": "Both", "targets": ["A", "B"], "status": "accepted", "stride": ["tampering"]},
                {"id": "T2", "title": "Nowhere", "targets": []},
            ],
        }
    )
    doc = to_threatdragon(model)
    cells = doc["detail"]["diagrams"][0]["cells"]
    assert sum(len(c.get("data", {}).get("threats", [])) for c in cells) == 2
    text = [c for c in cells if c["shape"] == "td-text-block"]
    assert text and "T2: Nowhere" in text[0]["data"]["name"]
    back = _round_trip(model, tmp_path)
    assert [(t.title, sorted(_by_name(back)[x] for x in t.targets), t.status) for t in back.threats] == [
        ("Both", ["Pump", "Server"], "accepted")
    ]


def test_export_is_deterministic() -> None:
    model = load(SAMPLE)
    assert json.dumps(to_threatdragon(model)) == json.dumps(to_threatdragon(model))
