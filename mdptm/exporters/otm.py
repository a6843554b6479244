"""The model as an Open Threat Model (OTM 0.2.0) JSON file (``ptm.otm.json``, ``mdptm export --format otm``).

Threats and mitigations are defined once and instantiated on every component and data flow they
target, each instance carrying the threat's status and its controls' status as OTM states. What OTM
has no field for (a threat's status when it targets nothing, rationale, residual risk, a control's
category, flow protocol and port, ...) goes to ``attributes``, prefixed ``mdptm.`` where it is ours
alone, so that the OTM importer reads the same model back. ``source``, ``notes`` and ``extra`` are
never written: this file may be published. The one structural fact taken from ``extra`` is a trust
zone's parent zone (``extra.parent_zone``), which has no field of its own in the model.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from mdptm.base.data import JSONDoc, JSONLike
from mdptm.base.output import json_text
from mdptm.base.text import slug
from mdptm.formats.interchange import section
from mdptm.formats.otm import MDPTM_ATTR, RISK_SCALE, UNASSIGNED_ZONE
from mdptm.formats.otm_extension import embed, strip_private
from mdptm.model import PLACEHOLDER, Control, Model, Risk, Threat
from mdptm.model.evidence import not_in_place
from mdptm.plugins import ExportContext, Exporter
from mdptm.render.layout import NODE_H, NODE_W, Layout

OTM_VERSION = "0.2.0"
DIAGRAM = "mdptm-diagram"


class OtmExporter(Exporter):
    """Writes the model as OTM JSON, valid against the OTM 0.2.0 schema."""

    name = "otm"
    suffix = ".otm.json"

    def write(self, model: Model, path: Path, ctx: ExportContext) -> None:
        write_otm(model, path)


def write_otm(model: Model, path: Path, *, data: dict[str, Any] | None = None) -> None:  # Any: a model dump
    """Write ``to_otm(model)`` as JSON (:func:`mdptm.base.output.json_text`) to *path*.

    *data*, when given, is ``model.model_dump(mode="json", by_alias=True)`` as the caller already has
    it (the package's ``ptm.json`` is written from it); it is edited here (its private fields removed)
    and embedded instead of a second dump of the model.
    """
    content = None if data is None else strip_private(data)
    path.write_text(json_text(to_otm(model, content=content)), encoding="utf-8", newline="\n")


def _trust_scale(model: Model) -> int:
    """The top of the model's trust scale: 5 when every level is 0–5 (the sample's scale), else 100 (OTM's)."""
    levels = [z.trust_level for z in model.trust_zones if z.trust_level is not None]
    return 5 if levels and all(0 <= v <= 5 for v in levels) else 100


def _rating(level: int | None, scale: int) -> int:
    """A trust level as OTM's trustRating (0–100)."""
    value = int(level or 0) * (100 // scale)
    return max(0, min(100, value))


def _put(obj: JSONDoc, key: str, value: JSONLike) -> None:
    """Set only what has content, so the file stays free of empty noise."""
    if value not in (None, "", [], {}):
        obj[key] = value


def _ours(**values: JSONLike) -> JSONDoc:
    return {MDPTM_ATTR + k: v for k, v in values.items() if v not in (None, "", [])}


def _mstate(control: Control, mstates: dict[str, str]) -> str | None:
    """A mitigation instance's state; none (OTM allows null) when the source states no status for the control:
    "implemented" would be mdptm's reading written as the device maker's statement. Nor is a control written as
    implemented that is not in place (its verification did not pass, it is only a requirement): the embedded model
    says why."""
    if not control.status_stated or not_in_place(control) is not None:
        return None
    return mstates.get(control.status, control.status)


def _risk(risk: Risk | None) -> JSONDoc:
    """OTM likelihood/impact: the numbers an OTM import gave, else a level's representative values."""
    if risk is not None and risk.scale == RISK_SCALE:
        try:
            return {"likelihood": float(risk.likelihood or ""), "impact": float(risk.severity or "")}
        except ValueError:
            pass
    if risk is not None and risk.level:
        value = float(section("otm", "export_risk")[risk.level])
        return {"likelihood": value, "impact": value}
    return {"likelihood": None, "impact": 0}


def to_otm(model: Model, *, content: JSONLike = None) -> JSONDoc:
    """The OTM document for *model* (a plain dict, in the model's own order); *content* is the embedded
    model when the caller has it (see :func:`mdptm.formats.otm_extension.embed`)."""
    states = section("otm", "export_threat_states") or {}
    mstates = section("otm", "export_mitigation_states") or {}
    categories = section("otm", "export_categories") or {}
    zone_ids = {z.id for z in model.trust_zones}
    element_ids = {e.id for e in model.elements}
    flow_ids = {f.id for f in model.flows}
    controls = {c.id: c for c in model.controls}
    layout = Layout(model)
    scale = _trust_scale(model)

    p = model.product
    project: JSONDoc = {"name": p.name, "id": slug(p.name) or "mdptm-model"}
    _put(project, "description", p.description)
    attrs = {
        "manufacturer": p.manufacturer,
        "model": p.model,
        "version": p.version,
        "document version": model.document.version,
        "intended use": p.intended_use,
    }
    _put(project, "attributes", {k: v for k, v in attrs.items() if v and v != PLACEHOLDER})

    instances: dict[str, list[JSONDoc]] = defaultdict(list)
    for t in model.threats:
        status = t.stated_status()
        inst = {"threat": t.id, "state": states.get(status, status)}
        mits = [{"mitigation": c, "state": _mstate(controls[c], mstates)} for c in t.controls if c in controls]
        if mits:
            inst["mitigations"] = mits
        for target in t.targets:
            if target in element_ids or target in flow_ids:
                instances[target].append(dict(inst))

    zones: list[JSONDoc] = []
    for z in model.trust_zones:
        zone: JSONDoc = {"id": z.id, "name": z.name}
        _put(zone, "description", z.description)
        unknown = z.trust_level is None
        zone["risk"] = {"trustRating": section("otm", "unknown_trust_rating") if unknown else _rating(z.trust_level, scale)}
        parent = z.extra.get("parent_zone")
        if isinstance(parent, str) and parent in zone_ids and parent != z.id:
            zone["parent"] = {"trustZone": parent}
        _put(zone, "tags", list(z.tags))
        if z.id in layout.boxes:
            zone["representations"] = _drawn(z.id, layout.boxes[z.id])
        if unknown:
            zone["attributes"] = {MDPTM_ATTR + "trust_level": None}
        zones.append(zone)
    unassigned = None
    if any(e.trust_zone not in zone_ids for e in model.elements):
        taken = zone_ids | element_ids | flow_ids | {t.id for t in model.threats} | set(controls)
        unassigned, n = "mdptm-no-trust-zone", 2
        while unassigned in taken:
            unassigned, n = f"mdptm-no-trust-zone-{n}", n + 1
        zones.append(
            {
                "id": unassigned,
                "name": "No trust zone",
                "description": "Components the threat model places in no trust zone.",
                "risk": {"trustRating": section("otm", "unknown_trust_rating")},
                "attributes": {UNASSIGNED_ZONE: True},
            }
        )

    stored: dict[str, list[str]] = defaultdict(list)
    for a in model.assets:
        for eid in a.stored_in:
            stored[eid].append(a.id)
    components: list[JSONDoc] = []
    for e in model.elements:
        comp: JSONDoc = {"id": e.id, "name": e.name, "type": e.kind.replace("_", "-")}
        _put(comp, "description", e.description)
        comp["parent"] = {"trustZone": e.trust_zone if e.trust_zone in zone_ids else unassigned}
        _put(comp, "tags", list(e.tags))
        comp["representations"] = _drawn(e.id, (*layout.nodes[e.id], NODE_W, NODE_H))
        if stored.get(e.id):
            comp["assets"] = {"processed": [], "stored": stored[e.id]}
        _put(comp, "threats", instances.get(e.id))
        components.append(comp)

    dataflows: list[JSONDoc] = []
    for f in model.flows:
        flow: JSONDoc = {"id": f.id, "name": f.name, "source": f.source, "destination": f.target}
        _put(flow, "description", f.description)
        flow["bidirectional"] = f.bidirectional
        _put(flow, "assets", list(f.data))
        _put(flow, "tags", list(f.tags))
        _put(flow, "threats", instances.get(f.id))
        fattrs = {"protocol": f.protocol, "port": f.port, "authentication": f.authentication, "encryption": f.encryption}
        _put(flow, "attributes", {k: v for k, v in fattrs.items() if v is not None})
        dataflows.append(flow)

    assets: list[JSONDoc] = []
    cia = section("otm", "export_cia") or {}
    for a in model.assets:
        ratings = {"confidentiality": a.confidentiality, "integrity": a.integrity, "availability": a.availability}
        asset: JSONDoc = {"id": a.id, "name": a.name}
        _put(asset, "description", a.description)
        asset["risk"] = {k: (cia[v] if v else 0) for k, v in ratings.items()}
        asset["attributes"] = _ours(kind=a.kind, unrated=", ".join(k for k, v in ratings.items() if v is None))
        assets.append(asset)

    known = zone_ids | element_ids | flow_ids
    threats = [_threat(t, categories, [x for x in t.targets if x in known], zone_ids) for t in model.threats]
    mitigations = []
    for c in model.controls:
        mit: JSONDoc = {"id": c.id, "name": c.title}
        _put(mit, "description", c.description)
        mit["riskReduction"] = section("otm", "default_risk_reduction")
        # a status or a responsibility the source does not state is mdptm's reading: it is not written as stated
        mit["attributes"] = _ours(
            category=c.category,
            responsibility=c.responsibility if c.responsibility_stated else None,
            status=c.status if c.status_stated else None,
            verification_failed=c.verification_failed,
        )
        mitigations.append(mit)

    doc: JSONDoc = {"otmVersion": OTM_VERSION, "project": project}
    doc["representations"] = [{"name": "Data flow diagram", "id": DIAGRAM, "type": "diagram", "size": _size(*layout.size())}]
    _put(doc, "assets", assets)
    doc["trustZones"] = zones
    doc["components"] = components
    doc["dataflows"] = dataflows
    doc["threats"] = threats
    doc["mitigations"] = mitigations
    embed(doc, model, content=content)
    return doc


def _size(width: float, height: float) -> dict[str, float]:
    return {"width": float(width), "height": float(height)}


def _drawn(item_id: str, box: tuple[float, float, float, float]) -> list[JSONDoc]:
    """Where Threat Dragon and other OTM readers draw the item: its box on the one diagram."""
    x, y, w, h = box
    return [{"representation": DIAGRAM, "id": f"{item_id}-diagram", "position": {"x": float(x), "y": float(y)}, "size": _size(w, h)}]


def _threat(t: Threat, categories: dict[str, str], targets: list[str], zones: set[str]) -> JSONDoc:
    """A threat definition; ``mdptm.targets`` keeps the order of its targets and any trust zone among them."""
    out: JSONDoc = {"id": t.id, "name": t.title}
    _put(out, "description", t.description)
    _put(out, "categories", [categories.get(s, s) for s in t.stride])
    _put(out, "cwes", list(t.cwe))
    out["risk"] = _risk(t.risk)
    _put(out, "tags", list(t.tags))
    out["attributes"] = _ours(
        status=t.status if t.stated_status() == t.status else None,
        rationale=t.rationale,
        residual_level=t.residual_risk.level if t.residual_risk else None,
        patient_harm=t.patient_harm,
        multi_patient=t.multi_patient,
        targets=", ".join(targets) if len(targets) > 1 or set(targets) & zones else None,
    )
    return out
