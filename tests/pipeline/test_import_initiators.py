"""The import step fills ``Flow.initiator`` from a flow's own words, placing the ends only when it must."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mdptm.documents.guides import Facts
from mdptm.model import topology
from mdptm.pipeline.importing import ImportSource, import_sources


def _model(flows: list[dict[str, str]]) -> dict[str, object]:
    return {
        "schema": "mdptm/1",
        "product": {"name": "Pump", "manufacturer": "Acme"},
        "trust_zones": [{"id": "tz-cloud", "name": "Vendor cloud"}, {"id": "tz-lan", "name": "Hospital network"}],
        "elements": [
            {"id": "portal", "name": "Update portal", "kind": "cloud_service", "trust_zone": "tz-cloud"},
            {"id": "pump", "name": "Infusion pump", "kind": "device", "trust_zone": "tz-lan"},
            {"id": "gw", "name": "Gateway", "kind": "software", "trust_zone": "tz-lan"},
        ],
        "flows": flows,
    }


def _import(tmp_path: Path, flows: list[dict[str, str]]) -> dict[str, str | None]:
    src = tmp_path / "model.json"
    src.write_text(json.dumps(_model(flows)), encoding="utf-8")
    model, _ = import_sources([ImportSource(src)])
    return {f.id: f.initiator for f in model.flows}


def test_outbound_words_name_the_end_inside_the_hospital(tmp_path: Path) -> None:
    got = _import(
        tmp_path,
        [
            {"id": "f1", "source": "portal", "target": "pump", "name": "Firmware", "description": "Outbound HTTPS from the pump."},
            {"id": "f2", "source": "pump", "target": "gw", "name": "Events", "description": "Gateway-initiated polling."},
            {"id": "f3", "source": "gw", "target": "portal", "name": "Telemetry", "description": "Batches every hour."},
        ],
    )
    assert got == {"f1": "pump", "f2": "gw", "f3": None}


def test_ends_are_placed_only_for_a_flow_that_says_outbound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []
    real = topology.places

    def counting(*args: object, **kwargs: object) -> dict[str, topology.Place]:
        asked.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(topology, "places", counting)
    _import(tmp_path, [{"id": "f1", "source": "gw", "target": "portal", "name": "Telemetry", "description": "Gateway-initiated."}])
    assert asked == []
    _import(tmp_path, [{"id": "f1", "source": "portal", "target": "pump", "name": "Firmware", "description": "outbound only"}])
    assert asked == [1]


def test_the_import_places_elements_as_the_guides_do(tmp_path: Path) -> None:
    src = tmp_path / "model.json"
    src.write_text(json.dumps(_model([])), encoding="utf-8")
    model, _ = import_sources([ImportSource(src)])
    terms = topology.place_terms()
    facts = Facts.of(model)
    assert topology.places(model, terms.locations, terms.element_kinds) == {e.id: facts.where(e.id) for e in model.elements}
    assert facts.where("portal") == "outside" and facts.where("pump") == "hospital"
