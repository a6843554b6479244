"""OTM written by hand or by small exporters bends the schema: a component's parent written as the bare
zone id (`parent: tz1`) and a trustRating written as a string (`"10"`). Both were dropped without a word,
leaving the component in no zone and the zone unrated. A threat's likelihood and impact written as strings
("50") left the threat unassessed."""

from __future__ import annotations

import json
from pathlib import Path

from mdptm.model import Model
from mdptm.model.report import ImportReport
from tests.formats.otm_helpers import load_otm

OTM = {
    "otmVersion": "0.2.0",
    "project": {"name": "p", "id": "p"},
    "trustZones": [
        {"id": "tz1", "name": "Internet", "risk": {"trustRating": "10"}},
        {"id": "tz2", "name": "Ward", "risk": {"trustRating": "high"}},
    ],
    "components": [
        {"id": "c1", "name": "Portal", "type": "web-application", "parent": "tz1"},
        {"id": "c2", "name": "Pump", "type": "device", "parent": {"trustZone": "tz2"}},
        {"id": "c3", "name": "Gateway", "type": "web-service", "parent": "c2"},
        {"id": "c4", "name": "Agent", "type": "web-service", "parent": ["tz1"]},
    ],
    "dataflows": [],
    "threats": [
        {"id": "t1", "name": "Dose tampering", "categories": ["Tampering"], "risk": {"likelihood": "50", "impact": "80"}},
        {"id": "t2", "name": "Replay", "categories": ["Spoofing"], "risk": {"likelihood": "often", "impact": 80}},
    ],
}


def _load(tmp_path: Path) -> tuple[Model, ImportReport]:
    return load_otm(tmp_path, json.dumps(OTM), "loose.otm.json")


def test_bare_parent_and_string_rating(tmp_path: Path) -> None:
    model, report = _load(tmp_path)
    zones = {z.name: z for z in model.trust_zones}
    assert zones["Internet"].trust_level == 10
    assert zones["Ward"].trust_level is None and zones["Ward"].extra["trust_rating"] == "high"
    by_name = {e.name: e for e in model.elements}
    assert by_name["Portal"].trust_zone == zones["Internet"].id  # the bare value is a zone id: read as it
    assert by_name["Pump"].trust_zone == zones["Ward"].id
    # a bare value that is not a zone id, or not a single value, is not guessed at: kept and said
    assert by_name["Gateway"].trust_zone is None and by_name["Gateway"].extra["parent"] == "c2"
    assert by_name["Agent"].trust_zone is None and by_name["Agent"].extra["parent"] == ["tz1"]
    risks = {t.title: t.risk for t in model.threats}
    assert risks["Dose tampering"] is not None and risks["Dose tampering"].score == 40.0  # "50" x "80" / 100
    assert risks["Replay"] is None and next(t for t in model.threats if t.title == "Replay").extra["risk"]["likelihood"] == "often"
    said = " ".join(w.message for w in report.warnings)
    assert "read as that trust zone" in said and "'high'" in said
    assert said.count("kept in extra") >= 3
