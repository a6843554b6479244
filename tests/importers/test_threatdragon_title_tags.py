"""Authors who leave a Threat Dragon threat's type empty sometimes write the category in front of the title
(mingyongtan/threatdragon_devsops_21920794 "WebApp Threat Model.json": six threats "[S] UI Spoofing - Session
Hijack" … "[E] UI EoP - DOM Bypass" with "type": ""). Those threats had no STRIDE category at all. A type the
author did set wins over the tag, even when they disagree ("[S] DB Spoofing" typed Information disclosure)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mdptm.importers.threatdragon import ThreatDragonImporter
from mdptm.model.report import ImportReport
from mdptm.plugins import ImportContext


def _threat(n: int, title: str, kind: str) -> dict[str, Any]:
    return {
        "id": f"id-{n}",
        "title": title,
        "status": "Open",
        "severity": "High",
        "type": kind,
        "description": "Written by the author.",
        "mitigation": "A control the author wrote.",
        "modelType": "STRIDE",
        "number": n,
        "score": "",
    }


def test_stride_from_a_title_tag_only_when_the_type_is_empty(tmp_path: Path) -> None:
    threats = [
        _threat(2, "[S] UI Spoofing - Session Hijack", ""),
        _threat(3, "[TI] Cookie theft and change", ""),
        _threat(4, "[S] DB Spoofing - Credential Theft", "Information disclosure"),
        _threat(5, "Session fixation [S]", ""),  # not in front: not read
        _threat(6, "[X] Something else", ""),
    ]
    cell = {
        "position": {"x": 0, "y": 0},
        "size": {"width": 100, "height": 60},
        "shape": "actor",
        "id": "a1",
        "data": {"type": "tm.Actor", "name": "User Interface", "threats": threats},
    }
    data = {
        "version": "2.5.0",
        "summary": {"title": "WebApp"},
        "detail": {"diagrams": [{"id": 0, "title": "D", "diagramType": "STRIDE", "cells": [cell]}]},
    }
    path = tmp_path / "WebApp Threat Model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    report = ImportReport()
    model = ThreatDragonImporter().load(path, ImportContext(report=report))
    got = {t.id: t.stride for t in model.threats}
    assert got == {
        "TD-2": ["spoofing"],
        "TD-3": ["tampering", "information_disclosure"],
        "TD-4": ["information_disclosure"],
        "TD-5": [],
        "TD-6": [],
    }
    assert [t.title for t in model.threats][0] == "[S] UI Spoofing - Session Hijack"  # the title is the author's, unchanged
    said = [w.message for w in report.finish().warnings if "tag in front of their title" in w.message]
    assert len(said) == 1 and "(TD-2, TD-3)" in said[0]
