"""A Threat Dragon flow drawn onto a trust boundary box (X6 lets an edge end on any cell) is no flow; the
warning said only "ends: p1 -> z1". It names what the end is attached to; a deleted cell stays an id."""

from __future__ import annotations

import json
from pathlib import Path

from mdptm.importers.threatdragon import ThreatDragonImporter
from mdptm.model.report import ImportReport
from mdptm.plugins import ImportContext


def test_a_flow_ending_on_a_boundary_box_names_it(tmp_path: Path) -> None:
    threat = {
        "id": "t",
        "title": "Tampered upload",
        "type": "Tampering",
        "status": "Open",
        "severity": "High",
        "description": "d",
        "mitigation": "Sign uploads",
    }
    cells = [
        {
            "position": {"x": 200, "y": 0},
            "size": {"width": 300, "height": 300},
            "shape": "trust-boundary-box",
            "id": "z1",
            "data": {"type": "tm.BoundaryBox", "name": "Cloud"},
        },
        {
            "position": {"x": 0, "y": 0},
            "size": {"width": 100, "height": 100},
            "shape": "process",
            "id": "p1",
            "data": {"type": "tm.Process", "name": "app"},
        },
        {
            "shape": "flow",
            "id": "f1",
            "source": {"cell": "p1"},
            "target": {"cell": "z1"},
            "data": {"type": "tm.Flow", "name": "to cloud", "threats": [threat]},
        },
        {
            "shape": "flow",
            "id": "f2",
            "source": {"cell": "p1"},
            "target": {"cell": "gone"},
            "data": {"type": "tm.Flow", "name": "to nowhere"},
        },
    ]
    data = {
        "version": "2.2.0",
        "summary": {"title": "x"},
        "detail": {"diagrams": [{"id": 0, "title": "D", "diagramType": "STRIDE", "cells": cells}]},
    }
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    report = ImportReport()
    model = ThreatDragonImporter().load(path, ImportContext(report=report))
    assert model.flows == [] and model.threats[0].targets == ["app"]
    warned = {w.message.split("'")[1]: w.message for w in report.finish().warnings if "is not connected" in w.message}
    assert "its target is the trust boundary 'Cloud'" in warned["to cloud"]
    assert "ends: p1 -> gone)" in warned["to nowhere"]
