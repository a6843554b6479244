"""Threat Dragon writes texts of its own into the threats it makes: version 1's rule engine suggests
"Generic DoS threat" with "A generic DoS threat" and "Mitigation or prevention for the threat", version
2's "New Threat" dialog fills in "Provide a description for this threat" and "Provide remediation for this
threat or a reason if status is N/A"; both start every threat at severity Medium. Real models keep them
(SRS-Group-2/airspace-monitoring threat-model.json, 7 of 9 threats). These tests rebuild that layout.

A mitigation that is the tool's own text is no control; the severity of a threat that holds nothing its
author wrote is the tool's default, not a rating. A threat the author did write keeps its severity.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mdptm.importers.threatdragon import ThreatDragonImporter
from mdptm.model import Model
from mdptm.model.report import ImportReport
from mdptm.plugins import ImportContext

RULE_MITIGATION = "Mitigation or prevention for the threat"


def _rule(
    title: str, kind: str, description: str, mitigation: str = RULE_MITIGATION, severity: str = "Medium", status: str = "Open"
) -> dict[str, Any]:
    """A threat as Threat Dragon 1's rule engine suggests it (ruleId, threatId), possibly edited."""
    return {
        "ruleId": "edb05d76-a695-455f-947b-7d67b78bc31d",
        "title": title,
        "type": kind,
        "modelType": "STRIDE",
        "status": status,
        "severity": severity,
        "description": description,
        "mitigation": mitigation,
        "threatId": f"tid-{title}-{severity}-{len(mitigation)}",
    }


def _v1(threats: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    cells = []
    for n, (name, ts) in enumerate(threats.items()):
        cells.append(
            {
                "type": "tm.Process",
                "size": {"width": 100, "height": 100},
                "position": {"x": 200 * n, "y": 0},
                "id": f"p{n}",
                "threats": ts,
                "attrs": {"text": {"text": name}},
            }
        )
    return {
        "summary": {"title": "Airspace"},
        "detail": {"contributors": [], "diagrams": [{"title": "D", "diagramType": "STRIDE", "id": 0, "diagramJson": {"cells": cells}}]},
    }


def _v2_new_threat(title: str, severity: str = "Medium", description: str | None = None, mitigation: str | None = None) -> dict[str, Any]:
    return {
        "id": f"id-{title}",
        "title": title,
        "status": "Open",
        "severity": severity,
        "type": "Tampering",
        "description": description if description is not None else "Provide a description for this threat",
        "mitigation": mitigation if mitigation is not None else "Provide remediation for this threat or a reason if status is N/A",
        "modelType": "STRIDE",
        "new": True,
        "number": 0,
        "score": "",
    }


def _v2(threats: list[dict[str, Any]]) -> dict[str, Any]:
    cell = {
        "position": {"x": 0, "y": 0},
        "size": {"width": 60, "height": 60},
        "shape": "process",
        "id": "c1",
        "data": {"type": "tm.Process", "name": "Rest API", "threats": threats},
    }
    return {
        "version": "2.5.0",
        "summary": {"title": "kms"},
        "detail": {"contributors": [], "diagrams": [{"id": 0, "title": "D", "diagramType": "STRIDE", "cells": [cell]}]},
    }


def _load(tmp_path: Path, data: dict[str, Any]) -> tuple[Model, ImportReport]:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    report = ImportReport()
    model = ThreatDragonImporter().load(path, ImportContext(report=report))
    return model, report.finish()


def test_v1_rule_texts_make_no_control_and_no_rating(tmp_path: Path) -> None:
    model, report = _load(
        tmp_path,
        _v1(
            {
                "Aircraft info": [
                    _rule(
                        "SQL Injection",
                        "Tampering",
                        "The icao24 the user submits is searched in the database.",
                        "The icao24 is checked before the query.",
                        status="Mitigated",
                    ),
                    _rule("Generic DoS threat", "Denial of service", "A generic DoS threat", mitigation=""),
                ],
                "Aircraft list": [_rule("Generic DoS threat", "Denial of service", "A generic DoS threat")],
                "States source": [
                    _rule("Generic threat to Availability", "Availability", "A generic threat to availability", severity="High")
                ],
            }
        ),
    )
    by_title = {(t.title, t.targets[0]): t for t in model.threats}
    assert len(model.threats) == 4
    # the author's threat: rated, with its control
    sql = by_title["SQL Injection", "aircraft-info"]
    assert sql.risk is not None and sql.risk.level == "medium" and sql.description.startswith("The icao24")
    assert [c.title for c in model.controls] == ["The icao24 is checked before the query"]
    assert sql.controls == [model.controls[0].id]
    # suggested and never edited (the mitigation emptied or left as suggested): no rating, no control
    for key in [("Generic DoS threat", "aircraft-info"), ("Generic DoS threat", "aircraft-list")]:
        t = by_title[key]
        assert t.risk is None and t.extra["severity"] == "Medium", key
        assert t.controls == [] and t.description == "" and t.extra["tool_description"] == "A generic DoS threat"
    assert by_title["Generic DoS threat", "aircraft-list"].extra["mitigation_text"] == RULE_MITIGATION
    # the author raised this one from the rule's Medium: their rating stands, the suggested mitigation still makes no control
    avail = by_title["Generic threat to Availability", "states-source"]
    assert avail.risk is not None and avail.risk.level == "high" and avail.controls == []
    # accounted for and said once each
    skipped = [r for r in report.records if r.disposition == "skipped" and r.locator.endswith("/mitigation")]
    assert len(skipped) == 2
    said = [w.message for w in report.warnings if "Threat Dragon" in w.message]
    assert any("2 threat(s) keep the mitigation text" in m for m in said)
    assert any("2 threat(s) hold only the texts" in m and "'Medium'" in m for m in said)


def test_v2_new_threat_defaults(tmp_path: Path) -> None:
    model, _report = _load(
        tmp_path,
        _v2(
            [
                _v2_new_threat("New STRIDE threat"),  # added and never filled in
                _v2_new_threat("New STRIDE threat", description="Replayed dose command."),  # filled in: a threat
                _v2_new_threat("Key theft", severity="High"),  # the author rated it, wrote nothing else
                _v2_new_threat("Token replay", description="A stolen token is replayed."),  # the author wrote a description
                _v2_new_threat("Log wipe", mitigation="Logs shipped to immutable storage"),
            ]
        ),
    )
    t = {x.title: x for x in model.threats}
    # added and never filled in (the tool's title, description and mitigation, nothing the author wrote): no threat;
    # the same title with a description the author wrote is one
    assert [x.title for x in model.threats].count("New STRIDE threat") == 1 and len(model.threats) == 4
    assert t["New STRIDE threat"].description == "Replayed dose command."
    said = [w.message for w in _report.warnings if "never filled in" in w.message]
    assert len(said) == 1 and said[0].startswith("1 threat(s)")
    assert t["Key theft"].risk is not None and t["Key theft"].risk.level == "high"
    assert t["Token replay"].risk is not None and t["Token replay"].description == "A stolen token is replayed."
    assert t["Log wipe"].risk is not None
    assert [c.title for c in model.controls] == ["Logs shipped to immutable storage"]
    assert all(x.controls == [] for x in model.threats if x.title != "Log wipe")


def test_an_authors_description_that_resembles_a_tool_text_is_kept(tmp_path: Path) -> None:
    model, _report = _load(
        tmp_path,
        _v1({"API": [_rule("Injection", "Tampering", "A generic injection threat", mitigation="Parameterised queries")]}),
    )
    (threat,) = model.threats
    assert threat.description == "A generic injection threat" and "tool_description" not in threat.extra
    assert threat.risk is not None and [c.title for c in model.controls] == ["Parameterised queries"]


def test_a_risk_decision_written_as_mitigation_is_named(tmp_path: Path) -> None:
    """Threat Dragon's three-tier-web-app demo marks two threats Mitigated with "Risk transferred to the
    infrastructure team" and "This risk is accepted by the project team, …": Threat Dragon has no status for
    either. The texts stay as the author wrote them; the import says which threats to check."""
    model, report = _load(
        tmp_path,
        _v2(
            [
                _v2_new_threat(
                    "Store Sensitive Data",
                    severity="High",
                    description="Host compromised.",
                    mitigation="Risk transferred to the infrastructure team",
                ),
                _v2_new_threat(
                    "Backup leak",
                    description="Backup compromised.",
                    mitigation="This risk is accepted by the project team, since backup is external",
                ),
                _v2_new_threat(
                    "Log wipe", description="Logs deleted.", mitigation="Logs shipped to immutable storage; accepted risk for local copies"
                ),
            ]
        ),
    )
    assert len(model.controls) == 3  # nothing dropped or re-read
    said = [w.message for w in report.warnings if "risk decision" in w.message]
    assert len(said) == 1 and "(TD-1, TD-2)" in said[0]
