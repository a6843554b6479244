"""The model as an OWASP Threat Dragon v2 model (``mdptm export --format threatdragon``).

Threat Dragon draws what its cells say, so every element, flow and trust zone becomes a cell with a
position: trust zones side by side as boundary boxes, their elements in a grid inside, elements with
no zone to the right. A threat sits on every element or flow it targets, with the same threat id on
each, which mdptm's importer reads back as one threat; a threat that targets nothing is listed in a
text block, as Threat Dragon has nowhere else to show it. Statuses Threat Dragon lacks (accepted,
transferred, partially mitigated) are written as ``Open`` with mdptm's own under the threat's
``mdptmStatus`` key, which Threat Dragon keeps and ignores. Internal provenance is never written.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from mdptm.base.output import json_text
from mdptm.formats.interchange import section
from mdptm.model import Model, Threat
from mdptm.plugins import ExportContext, Exporter
from mdptm.render.layout import GAP, NODE_H, NODE_W, Layout

TD_VERSION = "2.3.0"
_NS = uuid.UUID("6f1c7a52-8d0e-4d8e-9a59-3c4d1f0b2e71")  # ids derived from mdptm ids: same model, same file

SHAPE = {"external_entity": "actor", "data_store": "store"}
TYPE = {"actor": "tm.Actor", "store": "tm.Store", "process": "tm.Process"}


def _export(name: str) -> dict[str, str]:
    """An export table of ``interchange.yaml`` (``threatdragon.export_<name>``)."""
    return section("threatdragon", f"export_{name}") or {}


def _uid(kind: str, item_id: str) -> str:
    return str(uuid.uuid5(_NS, f"{kind}:{item_id}"))


def _severity(t: Threat) -> str:
    level = t.risk.level if t.risk is not None else None
    return _export("severities").get(level or "", "TBD")


def _threat(t: Threat, number: int, mitigation: str) -> dict[str, object]:
    out: dict[str, object] = {
        "id": _uid("threat", t.id),
        "title": t.title,
        "status": _export("statuses").get(t.status, "Open"),
        "severity": _severity(t),
        "type": _export("types")[t.stride[0]] if t.stride else _export("types")["spoofing"],
        "description": t.description,
        "mitigation": mitigation,
        "modelType": "STRIDE",
        "number": number,
        "score": "",
    }
    if t.status not in _export("statuses"):
        out["mdptmStatus"] = t.status
    elif t.stated_status() != t.status:  # Threat Dragon has no "not stated": its "Open" is kept, the fact beside it
        out["mdptmStatus"] = t.stated_status()
    if not t.stride:
        out["mdptmStride"] = []  # Threat Dragon needs a type; this says the model gave none
    return out


def to_threatdragon(model: Model) -> dict[str, object]:
    """The Threat Dragon v2 document: one STRIDE diagram holding the whole model."""
    controls = {c.id: c for c in model.controls}
    on: dict[str, list[dict[str, object]]] = {}
    loose: list[Threat] = []
    known = {e.id for e in model.elements} | {f.id for f in model.flows}
    for number, t in enumerate(model.threats, 1):
        mitigation = "\n".join(controls[c].title for c in t.controls if c in controls)
        targets = [x for x in t.targets if x in known]
        if not targets:
            loose.append(t)
        for target in dict.fromkeys(targets):
            on.setdefault(target, []).append(_threat(t, number, mitigation))
    layout = Layout(model)
    cells: list[dict[str, object]] = []
    z = 1
    for zone in model.trust_zones:
        x, y, w, h = layout.boxes[zone.id]
        cells.append(
            {
                "id": _uid("zone", zone.id),
                "shape": "trust-boundary-box",
                "zIndex": z,
                "visible": True,
                "position": {"x": x, "y": y},
                "size": {"width": w, "height": h},
                "attrs": {"label": {"text": zone.name}},
                "data": {
                    "type": "tm.BoundaryBox",
                    "name": zone.name,
                    "description": zone.description,
                    "isTrustBoundary": True,
                    "hasOpenThreats": False,
                },
            }
        )
        z += 1
    for e in model.elements:
        shape = SHAPE.get(e.kind, "process")
        threats = on.get(e.id, [])
        px, py = layout.nodes[e.id]
        cells.append(
            {
                "id": _uid("element", e.id),
                "shape": shape,
                "zIndex": z,
                "visible": True,
                "position": {"x": px, "y": py},
                "size": {"width": NODE_W, "height": NODE_H},
                "attrs": {"text": {"text": e.name}},
                "data": {
                    "type": TYPE[shape],
                    "name": e.name,
                    "description": e.description,
                    "outOfScope": False,
                    "reasonOutOfScope": "",
                    "hasOpenThreats": any(t["status"] == "Open" for t in threats),
                    "threats": threats,
                },
            }
        )
        z += 1
    for f in model.flows:
        threats = on.get(f.id, [])
        label = f.name or f"{f.source} to {f.target}"
        cells.append(
            {
                "id": _uid("flow", f.id),
                "shape": "flow",
                "zIndex": z,
                "connector": "smooth",
                "source": {"cell": _uid("element", f.source)},
                "target": {"cell": _uid("element", f.target)},
                "attrs": {"line": {"stroke": "#333333", "strokeWidth": 1, "targetMarker": {"name": "block"}}},
                "labels": [{"attrs": {"labelText": {"text": label}}, "position": 0.5}],
                "data": {
                    "type": "tm.Flow",
                    "name": label,
                    "description": f.description,
                    "outOfScope": False,
                    "reasonOutOfScope": "",
                    "hasOpenThreats": any(t["status"] == "Open" for t in threats),
                    "isBidirectional": f.bidirectional,
                    "isEncrypted": bool(f.encryption),
                    "isPublicNetwork": "public-network" in f.tags,
                    "protocol": " / ".join(p for p in (f.protocol, f.port) if p),
                    "threats": threats,
                    "isTrustBoundary": False,
                },
            }
        )
        z += 1
    if loose:
        text = "Threats not tied to an element or flow:\n" + "\n".join(f"{t.id}: {t.title}" for t in loose)
        right = max([x + w for x, _, w, _ in layout.boxes.values()] + [px + NODE_W for px, _ in layout.nodes.values()] + [0.0])
        cells.append(
            {
                "id": _uid("text", "loose-threats"),
                "shape": "td-text-block",
                "zIndex": z,
                "visible": True,
                "position": {"x": right + GAP, "y": 20},
                "size": {"width": 320, "height": 40 + 18 * len(loose)},
                "attrs": {"text": {"text": text}},
                "data": {"type": "tm.Text", "name": text, "hasOpenThreats": False},
            }
        )
    title = model.product.name + (f" {model.product.version}" if model.product.version else "")
    return {
        "version": TD_VERSION,
        "summary": {"title": title, "owner": model.product.manufacturer, "description": model.product.description or "", "id": 0},
        "detail": {
            "contributors": [],
            "diagrams": [
                {
                    "version": TD_VERSION,
                    "title": "Data flow diagram",
                    "description": model.document.title or "",
                    "thumbnail": "./public/content/images/thumbnail.stride.jpg",
                    "diagramType": "STRIDE",
                    "id": 0,
                    "cells": cells,
                }
            ],
            "diagramTop": 1,
            "reviewer": "",
            "threatTop": len(model.threats),
        },
    }


class ThreatDragonExporter(Exporter):
    """Writes Threat Dragon v2 JSON, valid against Threat Dragon's own v2 schema."""

    name = "threatdragon"
    suffix = ".td.json"

    def write(self, model: Model, path: Path, ctx: ExportContext) -> None:
        path.write_text(json_text(to_threatdragon(model)), encoding="utf-8", newline="\n")
