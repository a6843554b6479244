"""OWASP Threat Dragon models (JSON, version 1 and version 2).

Version 2 (``"version": "2.x"``) keeps each diagram's cells at ``detail.diagrams[].cells`` with the
model data under ``cell.data``; version 1 keeps them at ``detail.diagrams[].diagramJson.cells`` with
the data on the cell itself. Both embed threats in the cell they threaten. Boundary boxes become
trust zones (membership by geometry), boundary curves are recorded on the flows that cross them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from mdptm.base.safety import not_utf8, parse_json, read_input
from mdptm.base.text import slug
from mdptm.errors import InputError
from mdptm.formats.interchange import (
    LOOSE_END_MARGIN,
    Box,
    IdMinter,
    Point,
    across_diagrams,
    as_dict,
    as_list,
    compact,
    innermost,
    is_no_mitigation,
    json_safe,
    level_of,
    lookup,
    mitigation_control,
    nearest,
    nesting,
    one_line,
    plain,
    polylines_cross,
    repeats,
    section,
    shell,
    stride_of,
)
from mdptm.model import Element, Flow, Model, Risk, Source, Threat, ThreatStatus, TrustZone
from mdptm.model.report import ImportReport
from mdptm.model.validate import pointer
from mdptm.plugins import ImportContext, Importer

_THREAT_STATUSES = frozenset(get_args(ThreatStatus))
_CELL_TYPES = re.compile(rb'"tm\.(Actor|Process|Store|Flow|Boundary|BoundaryBox)"')
_OTM = re.compile(rb'(?<!\\)"otmVersion"\s*:')


# "[S] UI Spoofing - Session Hijack": the STRIDE letter(s) an author puts in front of a title
_TITLE_LETTERS = re.compile(r"\s*\[([STRIDE]{1,6})\]")
_LETTER = {
    "S": "spoofing",
    "T": "tampering",
    "R": "repudiation",
    "I": "information_disclosure",
    "D": "denial_of_service",
    "E": "elevation_of_privilege",
}


# what a flow end that is no element is attached to, for the warning
_CELL_WORDS = {"tm.BoundaryBox": "trust boundary", "tm.Boundary": "trust boundary line", "tm.Flow": "data flow", "tm.Text": "text block"}


def _title_stride(title: str) -> list[str]:
    """The STRIDE categories a title's leading ``[S]``/``[TI]`` tag names, or none."""
    m = _TITLE_LETTERS.match(title)
    return list(dict.fromkeys(_LETTER[ch] for ch in m.group(1))) if m else []


def _unfilled(t: dict[str, object]) -> bool:
    """A threat added with "New Threat" and left as the tool made it: its title is the tool's ("New STRIDE
    threat") and its description and mitigation are empty or the tool's own texts."""
    titles = {compact(x) for x in section("threatdragon", "new_threat_titles") or []}
    if compact(one_line(t.get("title"))) not in titles:
        return False
    return all(
        not plain(t.get(key)) or _tool_text(plain(t.get(key)), kind)
        for key, kind in (("description", "descriptions"), ("mitigation", "mitigations"))
    )


def _tool_text(text: str, kind: str) -> bool:
    """True when *text* is one of the texts Threat Dragon writes into a threat itself (``tool_texts``
    of the vocabulary: *kind* ``descriptions`` or ``mitigations``), not words its author wrote."""
    said = " ".join(text.split()).casefold().rstrip(".")
    if not said:
        return False
    for pattern in section("threatdragon", "tool_texts", kind) or []:
        words = " ".join(str(pattern).split()).casefold().rstrip(".")
        if re.fullmatch(".+".join(re.escape(part) for part in words.split("*")), said):
            return True
    return False


@dataclass
class _Cell:
    """One diagram cell with its model data, whichever version saved it."""

    raw: dict[str, Any]
    data: dict[str, object]
    type: str
    diagram: int
    diagram_name: str
    pointer: str
    name: str
    box: Box | None = None
    line: list[Point] = field(default_factory=list)
    item_id: str | None = None
    attached: list[str] = field(default_factory=list)  # flow ends attached by position


class ThreatDragonImporter(Importer):
    """Reads Threat Dragon v1 and v2 JSON: actors, processes, stores, flows, boundaries and their threats."""

    name = "threatdragon"
    extensions = (".json",)

    def sniff(self, path: Path, head: bytes) -> int:
        if path.suffix.lower() not in self.extensions or _OTM.search(head) or b'"$schema"' in head:
            return 0
        if b'"summary"' in head and (b'"detail"' in head or b'"diagrams"' in head):
            return 85
        if b'"diagrams"' in head and _CELL_TYPES.search(head):
            return 85
        return 0

    def load(self, path: Path, ctx: ImportContext) -> Model:
        raw = read_input(path)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(not_utf8(raw, exc), file=str(path)) from None
        data = parse_json(text, file=str(path))
        if not isinstance(data, dict) or not isinstance(data.get("detail"), dict):
            raise InputError("not a Threat Dragon model (no 'detail' object)", file=str(path), locator="/")
        diagrams = data["detail"].get("diagrams")
        if not isinstance(diagrams, list):
            raise InputError("not a Threat Dragon model (no 'detail.diagrams' list)", file=str(path), locator="/detail")
        return _TdReader(path.name, data, ctx.report).read()


class _TdReader:
    def __init__(self, file: str, data: dict[str, Any], report: ImportReport) -> None:
        self.file = file
        self.data = data
        self.report = report
        self.ids = IdMinter()
        self._tool_mitigations: list[str] = []  # threats whose mitigation is Threat Dragon's own text
        self._default_rated: list[str] = []  # threats that carry only the tool's texts and default severity
        self._stride_from_title: list[str] = []  # threats with no type whose title starts with "[S]"
        self._unfilled: list[str] = []  # threats added with "New Threat" and never filled in (skipped)
        self._decisions: list[str] = []  # threats whose mitigation text is a risk decision ("Risk transferred ...")

    def src(self, locator: str) -> Source:
        return Source(file=self.file, locator=locator, importer="threatdragon")

    def warn(self, locator: str | None, message: str) -> None:
        self.report.warn(self.file, locator, message)

    # ------------------------------------------------------------------------------ reading

    def read(self) -> Model:
        summary = as_dict(self.data.get("summary"))
        model = shell(summary.get("title"), summary.get("description"), report=self.report, file=self.file, fmt="Threat Dragon model")
        self._people(summary)
        cells = self._cells()
        self._zones(model, cells)
        self._elements(model, cells)
        flow_ids = self._flows(model, cells)
        self._curves(model, cells)
        for c in cells:
            if c.type == "tm.Text":
                self.report.skipped(self.file, c.pointer, f"text annotation on diagram {c.diagram_name!r}: {one_line(c.name)[:200]}")
            elif c.type not in ("tm.Actor", "tm.Process", "tm.Store", "tm.Flow", "tm.Boundary", "tm.BoundaryBox"):
                why = f"unknown cell type {c.type or c.raw.get('shape')!r}"
                self.report.skipped(self.file, c.pointer, why)
                self.warn(c.pointer, why)
        self._threats(model, cells, flow_ids)
        return model

    def _people(self, summary: dict[str, object]) -> None:
        detail = self.data["detail"]
        who = {
            "summary/owner": summary.get("owner"),
            "detail/reviewer": detail.get("reviewer"),
            "detail/contributors": ", ".join(
                str(c.get("name")) for c in as_list(detail.get("contributors")) if isinstance(c, dict) and c.get("name")
            ),
        }
        for where, value in who.items():
            if value:
                self.report.skipped(self.file, "/" + where, f"{where.split('/')[-1]} {one_line(value)!r}: people are not part of the model")

    def _cells(self) -> list[_Cell]:
        out: list[_Cell] = []
        shapes = section("threatdragon", "shapes") or {}
        for d_idx, diagram in enumerate(self.data["detail"]["diagrams"]):
            if not isinstance(diagram, dict):
                self.report.skipped(self.file, pointer("detail", "diagrams", d_idx), "not a diagram object")
                continue
            dname = one_line(diagram.get("title")) or f"Diagram {d_idx + 1}"
            base: tuple[str | int, ...]
            if isinstance(diagram.get("cells"), list):
                raw_cells, base = diagram["cells"], ("detail", "diagrams", d_idx, "cells")
            else:
                raw_cells = as_list(as_dict(diagram.get("diagramJson")).get("cells"))
                base = ("detail", "diagrams", d_idx, "diagramJson", "cells")
            for c_idx, raw in enumerate(raw_cells):
                loc = pointer(*base, c_idx)
                if not isinstance(raw, dict):
                    self.report.skipped(self.file, loc, "not a cell object")
                    continue
                data = raw["data"] if isinstance(raw.get("data"), dict) else raw
                ctype = str(data.get("type") or raw.get("type") or shapes.get(str(raw.get("shape")), "") or "")
                cell = _Cell(raw=raw, data=data, type=ctype, diagram=d_idx, diagram_name=dname, pointer=loc, name=self._name(raw, data))
                pos, size = raw.get("position"), raw.get("size")
                if isinstance(pos, dict) and isinstance(size, dict):
                    try:
                        cell.box = Box(float(pos["x"]), float(pos["y"]), float(size["width"]), float(size["height"]))
                    except (KeyError, TypeError, ValueError):
                        cell.box = None
                out.append(cell)
            self.report.skipped(
                self.file,
                pointer("detail", "diagrams", d_idx),
                f"diagram {dname!r}: its {len(raw_cells)} cells are accounted for one by one",
            )
        return out

    @staticmethod
    def _name(raw: dict[str, object], data: dict[str, object]) -> str:
        name = one_line(data.get("name")) if data is not raw else ""
        if name:
            return name
        attrs = as_dict(raw.get("attrs"))
        for key in ("text", "label"):
            node = attrs.get(key)
            if isinstance(node, dict) and one_line(node.get("text")):
                return one_line(node.get("text"))
        for label in as_list(raw.get("labels")):
            if isinstance(label, dict):
                la = as_dict(label.get("attrs"))
                for key in ("labelText", "text"):
                    node = la.get(key)
                    if isinstance(node, dict) and one_line(node.get("text")):
                        return one_line(node.get("text"))
        return ""

    def _extra(self, c: _Cell) -> tuple[list[str], dict[str, Any]]:
        derived = set(section("threatdragon", "derived_keys") or [])
        extra: dict[str, object] = {"diagram": c.diagram_name}
        keep = {k: v for k, v in c.data.items() if k not in derived}
        if c.data is c.raw:  # v1: the cell itself; drop drawing keys
            keep = {
                k: v
                for k, v in keep.items()
                if k not in ("size", "position", "angle", "id", "z", "attrs", "source", "target", "vertices", "labels", "smooth")
            }
        tags: list[str] = []
        if keep.pop("outOfScope", False) is True:
            tags.append("out-of-scope")
        reason = keep.pop("reasonOutOfScope", None)
        if reason:
            extra["out_of_scope_reason"] = plain(reason)
        if keep:
            extra["properties"] = json_safe(keep)
        return tags, extra

    def _display_name(self, c: _Cell, what: str) -> str:
        if c.name:
            return c.name
        fallback = f"{what.capitalize()} {str(c.raw.get('id', ''))[:8]}".strip()
        self.warn(c.pointer, f"{what} has no name; called it {fallback!r}")
        return fallback

    # ---------------------------------------------------------------------------- structure

    @staticmethod
    def _groups(cells: list[_Cell]) -> list[list[_Cell]]:
        """Cells that draw the same thing on several diagrams, grouped (the first one leads)."""
        return across_diagrams(cells, lambda c: f"{c.type} {c.name}" if c.name else "", lambda c: c.diagram)

    def _record(self, group: list[_Cell], item_id: str) -> None:
        for i, c in enumerate(group):
            c.item_id = item_id
            (self.report.imported if i == 0 else self.report.merged)(self.file, c.pointer, item_id)

    def _zones(self, model: Model, cells: list[_Cell]) -> None:
        boxes = [c for c in cells if c.type == "tm.BoundaryBox"]
        groups = self._groups(boxes)
        names = [self._display_name(g[0], "trust boundary") for g in groups]
        ids = self.ids.mint([("tz-" + (slug(n) or "zone"), str(g[0].raw.get("id", ""))) for g, n in zip(groups, names, strict=True)])
        for group, name, zid in zip(groups, names, ids, strict=True):
            c = group[0]
            tags, extra = self._extra(c)
            if len(group) > 1:
                extra["diagrams"] = [x.diagram_name for x in group]
            zone = TrustZone(
                id=zid, name=name, description=plain(c.data.get("description")), tags=tags, source=self.src(c.pointer), extra=extra
            )
            model.trust_zones.append(zone)
            self._record(group, zid)
        by_id = {z.id: z for z in model.trust_zones}
        for d in {c.diagram for c in boxes}:
            for child, parent in nesting([(c.item_id or "", c.box) for c in boxes if c.diagram == d and c.box]).items():
                if child != parent:
                    by_id[child].extra.setdefault("parent_zone", parent)

    def _elements(self, model: Model, cells: list[_Cell]) -> None:
        kinds = section("threatdragon", "element_kinds") or {}
        nodes = [c for c in cells if c.type in kinds]
        zone_boxes: dict[int, list[tuple[str, Box]]] = defaultdict(list)
        for c in cells:
            if c.type == "tm.BoundaryBox" and c.box and c.item_id:
                zone_boxes[c.diagram].append((c.item_id, c.box))
        groups = self._groups(nodes)
        names = [self._display_name(g[0], "element") for g in groups]
        ids = self.ids.mint([(slug(n) or "element", str(g[0].raw.get("id", ""))) for g, n in zip(groups, names, strict=True)])
        for group, name, eid in zip(groups, names, ids, strict=True):
            c = group[0]
            tags, extra = self._extra(c)
            if len(group) > 1:
                extra["diagrams"] = [x.diagram_name for x in group]
            zone = innermost(zone_boxes[c.diagram], c.box.centre) if c.box else None
            model.elements.append(
                Element(
                    id=eid,
                    name=name,
                    kind=kinds[c.type],
                    trust_zone=zone,
                    description=plain(c.data.get("description")),
                    tags=tags,
                    source=self.src(c.pointer),
                    extra=extra,
                )
            )
            self._record(group, eid)

    @staticmethod
    def _end_ref(end: object) -> str | None:
        if isinstance(end, dict):
            ref = end.get("cell") or end.get("id")
            return str(ref) if ref else None
        return None

    def _flows(self, model: Model, cells: list[_Cell]) -> dict[str, list[str]]:
        """Import flows; returns cell id -> the model ids a threat on that cell targets."""
        by_cell = {str(c.raw.get("id")): c for c in cells if c.item_id}
        targets: dict[str, list[str]] = {cid: [c.item_id or ""] for cid, c in by_cell.items()}
        names = {e.id: e.name for e in model.elements}
        kept: list[tuple[_Cell, str, str, str]] = []
        for c in (c for c in cells if c.type == "tm.Flow"):
            ends = [self._end_ref(c.raw.get(k)) for k in ("source", "target")]
            resolved = [by_cell[e].item_id if e in by_cell and by_cell[e].item_id in names else None for e in ends]
            for i, which in enumerate(("source", "target")):
                if resolved[i] is None:
                    resolved[i] = self._loose_end(c, which, cells)
            src, tgt = resolved
            if src is None or tgt is None:
                missing = [w for w, r in zip(("source", "target"), resolved, strict=True) if r is None]
                label = c.name or c.raw.get("id")
                every = {str(x.raw.get("id")): x for x in cells}
                lands = [
                    f"its {w} is the {_CELL_WORDS.get(every[e].type, 'cell')} {every[e].name or e!r}"
                    for w, e, r in zip(("source", "target"), ends, resolved, strict=True)
                    if r is None and e is not None and e in every
                ]
                said = f"; {'; '.join(lands)}" if lands else ""
                why = f"data flow {label!r} is not connected at its {' and '.join(missing)} (ends: {ends[0]} -> {ends[1]}{said})"
                self.report.skipped(self.file, c.pointer, why)
                self.warn(c.pointer, why + "; its threats target the element(s) it does reach")
                targets[str(c.raw.get("id"))] = [r for r in resolved if r]
                continue
            name = c.name or f"{names[src]} to {names[tgt]}"
            if not c.name:
                self.warn(c.pointer, f"data flow has no name; called it {name!r}")
            kept.append((c, src, tgt, name))
        # the same flow drawn on several diagrams (same ends, same name) is one flow
        owner = repeats([((src, tgt, compact(name)), c.diagram) for c, src, tgt, name in kept])
        fresh = [i for i, o in enumerate(owner) if o == i]
        minted = self.ids.mint([("df-" + (slug(kept[i][3]) or "flow"), str(kept[i][0].raw.get("id", ""))) for i in fresh])
        flow_at = dict(zip(fresh, minted, strict=True))
        made: dict[str, Flow] = {}
        for i, (c, src, tgt, name) in enumerate(kept):
            fid = flow_at[owner[i]]
            c.item_id = fid
            c.line = self._path(c, by_cell)
            targets[str(c.raw.get("id"))] = [fid]
            if owner[i] != i:
                made[fid].extra.setdefault("diagrams", [kept[owner[i]][0].diagram_name]).append(c.diagram_name)
                self.report.merged(self.file, c.pointer, fid)
                continue
            tags, extra = self._extra(c)
            if c.attached:
                extra["ends_attached_by_position"] = list(c.attached)
            props = extra.get("properties", {})
            protocol = one_line(props.pop("protocol", "")) or None
            encrypted = props.get("isEncrypted")
            if props.get("isPublicNetwork") is True:
                tags.append("public-network")
            flow = Flow(
                id=fid,
                name=name,
                source=src,
                target=tgt,
                protocol=protocol,
                encryption="encrypted" if encrypted is True else None,
                bidirectional=bool(props.pop("isBidirectional", False)),
                description=plain(c.data.get("description")),
                tags=tags,
                provenance=self.src(c.pointer),
                extra=extra,
            )
            if not props:
                extra.pop("properties", None)
            made[fid] = flow
            model.flows.append(flow)
            self.report.imported(self.file, c.pointer, fid)
        zone_of = {e.id: e.trust_zone for e in model.elements}
        for f in model.flows:
            if zone_of.get(f.source) != zone_of.get(f.target):
                f.tags.append("crosses-trust-boundary")
        return targets

    def _loose_end(self, c: _Cell, which: str, cells: list[_Cell]) -> str | None:
        """A flow end left at a point (not connected) is attached to the element it was drawn to, if any."""
        end = c.raw.get(which)
        if not isinstance(end, dict) or self._end_ref(end):
            return None
        p = self._point(end, {})
        if p is None:
            return None
        nodes = [(x.item_id, x.box) for x in cells if x.diagram == c.diagram and x.box and x.item_id and x.type != "tm.BoundaryBox"]
        eid = nearest(nodes, p, LOOSE_END_MARGIN)
        if eid:
            self.warn(
                c.pointer, f"the {which} of flow {c.name or c.raw.get('id')!r} is not connected; attached to {eid!r}, where it is drawn"
            )
            c.attached.append(which)
        return eid

    @staticmethod
    def _point(end: object, by_cell: dict[str, _Cell]) -> Point | None:
        if isinstance(end, dict):
            ref = end.get("cell") or end.get("id")
            if ref and str(ref) in by_cell and by_cell[str(ref)].box:
                box = by_cell[str(ref)].box
                return box.centre if box else None
            try:
                return (float(end["x"]), float(end["y"]))
            except (KeyError, TypeError, ValueError):
                return None
        return None

    def _path(self, c: _Cell, by_cell: dict[str, _Cell]) -> list[Point]:
        pts: list[Point] = []
        start = self._point(c.raw.get("source"), by_cell)
        if start:
            pts.append(start)
        for v in as_list(c.raw.get("vertices")):
            p = self._point(v, by_cell)
            if p:
                pts.append(p)
        end = self._point(c.raw.get("target"), by_cell)
        if end:
            pts.append(end)
        return pts

    def _curves(self, model: Model, cells: list[_Cell]) -> None:
        flows = {f.id: f for f in model.flows}
        drawn = [c for c in cells if c.type == "tm.Flow" and c.item_id and len(c.line) >= 2]
        for b in (c for c in cells if c.type == "tm.Boundary"):
            line = self._path(b, {})
            name = b.name or "Trust boundary"
            crossing = []
            for c in drawn:
                if c.diagram == b.diagram and len(line) >= 2 and polylines_cross(c.line, line) and c.item_id not in crossing:
                    crossing.append(c.item_id or "")
            for fid in crossing:
                flows[fid].extra.setdefault("crosses_line_boundaries", []).append(name)
                if "crosses-trust-boundary" not in flows[fid].tags:
                    flows[fid].tags.append("crosses-trust-boundary")
            where = f"recorded on the flows that cross it: {', '.join(crossing)}" if crossing else "no flow crosses it"
            self.report.skipped(self.file, b.pointer, f"trust boundary line {name!r} on diagram {b.diagram_name!r}: {where}")

    # ------------------------------------------------------------------------------- threats

    def _threats(self, model: Model, cells: list[_Cell], targets: dict[str, list[str]]) -> None:
        found: list[tuple[_Cell, int, dict[str, object], str]] = []
        for c in cells:
            threats = c.data.get("threats")
            if not isinstance(threats, list):
                continue
            for t_idx, t in enumerate(threats):
                loc = f"{c.pointer}{'/data' if c.data is not c.raw else ''}/threats/{t_idx}"
                if not isinstance(t, dict):
                    self.report.skipped(self.file, loc, "not a threat object")
                    continue
                if _unfilled(t):
                    self.report.skipped(
                        self.file,
                        loc,
                        f"{one_line(t.get('title'))!r}: a threat added with 'New Threat' and never filled in (nothing its author wrote)",
                    )
                    self._unfilled.append(loc)
                    continue
                found.append((c, t_idx, t, loc))
        # One threat drawn on several cells (the same id and title on each, as mdptm's own export writes
        # a threat with several targets) is one threat with several targets.
        groups: dict[tuple[str, str] | int, list[tuple[_Cell, int, dict[str, object], str]]] = {}
        for n, entry in enumerate(found):
            t = entry[2]
            tdid = str(t.get("id") or "")
            groups.setdefault((tdid, one_line(t.get("title"))) if tdid else n, []).append(entry)
        leaders = [g[0] for g in groups.values()]
        numbers = [t.get("number") for _c, _i, t, _l in leaders]
        by_number = all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in numbers) and len(set(numbers)) == len(numbers)
        for seq, group in enumerate(groups.values(), 1):
            c, _t_idx, t, loc = group[0]
            tid = self.ids.claim(f"TD-{t['number'] if by_number else seq}")
            threat = self._threat(model, c, t, loc, tid, targets.get(str(c.raw.get("id")), []))
            for other, _i, _t, other_loc in group[1:]:
                for target in targets.get(str(other.raw.get("id")), []):
                    if target not in threat.targets:
                        threat.targets.append(target)
                self.report.merged(self.file, other_loc, threat.id)
        if self._decisions:
            self.warn(
                None,
                f"{len(self._decisions)} threat(s) have a mitigation text that reads as a risk decision (accepted or "
                f"transferred), which Threat Dragon has no status for ({', '.join(self._decisions)}): kept as written, "
                "as a control with the threat's status; check whether the status should be accepted or transferred",
            )
        if self._unfilled:
            self.warn(
                None,
                f"{len(self._unfilled)} threat(s) were added with 'New Threat' and never filled in (the tool's title, "
                f"description and mitigation): not imported as threats ({', '.join(self._unfilled)})",
            )
        if self._tool_mitigations:
            self.warn(
                None,
                f"{len(self._tool_mitigations)} threat(s) keep the mitigation text Threat Dragon fills in itself "
                f"({', '.join(self._tool_mitigations)}): no control made, the text kept in extra.mitigation_text",
            )
        if self._stride_from_title:
            self.warn(
                None,
                f"{len(self._stride_from_title)} threat(s) have no type; their STRIDE category is read from the "
                f"[S]/[T]/[R]/[I]/[D]/[E] tag in front of their title ({', '.join(self._stride_from_title)})",
            )
        if self._default_rated:
            default = section("threatdragon", "default_severity")
            self.warn(
                None,
                f"{len(self._default_rated)} threat(s) hold only the texts Threat Dragon writes itself and its default "
                f"severity {default!r} ({', '.join(self._default_rated)}): not rated by their author; "
                "risk left unassessed, the severity kept in extra",
            )

    def _threat(self, model: Model, c: _Cell, t: dict[str, object], loc: str, tid: str, targets: list[str]) -> Threat:
        extra: dict[str, object] = {}
        for key in ("id", "number", "modelType", "score", "new"):
            if t.get(key) not in (None, ""):
                extra[key if key != "id" else "threat_dragon_id"] = json_safe(t[key])
        title = one_line(t.get("title"))
        if not title:
            title = f"{one_line(t.get('type')) or 'Threat'} on {c.name or 'a diagram cell'}"
            self.warn(loc, f"threat {tid} has no title; called it {title!r}")
        stride: list[str] = []
        category = one_line(t.get("type"))
        if category:
            extra["category"] = category
            mapped = stride_of(category)
            if mapped:
                stride.append(mapped)
            else:
                self.warn(loc, f"threat type {category!r} has no STRIDE counterpart; kept in extra")
        if not category and (tagged := _title_stride(title)):
            stride = tagged  # the author left the type empty and wrote the category in front of the title
            extra["stride_from_title"] = True
            self._stride_from_title.append(tid)
        status_raw = one_line(t.get("status"))
        status = "open"
        if status_raw:
            mapped_status = lookup(status_raw, "threatdragon", "statuses")
            if mapped_status:
                status = str(mapped_status)
            else:
                extra["status"] = status_raw
                self.warn(loc, f"unknown threat status {status_raw!r}; treated as open, kept in extra")
        risk = None
        severity = one_line(t.get("severity"))
        unassessed = {compact(x) for x in section("threatdragon", "unassessed") or []}
        if compact(severity) not in unassessed:
            level = level_of(severity)
            if level:
                risk = Risk(severity=severity, level=level, scale="Threat Dragon severity (Low/Medium/High/Critical)")
            else:
                extra["severity"] = severity
                self.warn(loc, f"severity {severity!r} is not a severity Threat Dragon defines; kept in extra, risk left unassessed")
        mitigation = plain(t.get("mitigation"))
        description = plain(t.get("description"))
        tool_description = _tool_text(description, "descriptions")
        tool_mitigation = _tool_text(mitigation, "mitigations")
        if tool_description:
            extra["tool_description"], description = description, ""
        if tool_mitigation:
            extra["mitigation_text"], mitigation = mitigation, ""
            self._tool_mitigations.append(tid)
        untouched = (tool_description or tool_mitigation) and not description and not mitigation
        if risk is not None and untouched and compact(severity) == compact(section("threatdragon", "default_severity")):
            # Threat Dragon gave the threat this severity when it made it, and nobody wrote anything in it since
            extra["severity"], risk = severity, None
            self._default_rated.append(tid)
        rationale = None
        control_status = {"mitigated": "implemented", "open": "planned"}.get(status)
        if status == "not_applicable" and mitigation:
            rationale, mitigation = mitigation, ""
        ours = one_line(t.get("mdptmStatus"))
        # mdptm's export of a threat whose source stated no status (Threat Dragon's own "Open" beside it)
        stated = not (ours == "status_not_stated" and status == "open")
        if ours in _THREAT_STATUSES:
            status = ours  # a status Threat Dragon has no word for, kept by mdptm's export
        known = {
            "id",
            "number",
            "modelType",
            "score",
            "new",
            "title",
            "type",
            "status",
            "severity",
            "mitigation",
            "description",
            "mdptmStatus",
            "mdptmStride",
        }
        if isinstance(t.get("mdptmStride"), list) and not t["mdptmStride"]:
            stride = []  # the export had to name a type; the model gave none
        rest = {k: v for k, v in t.items() if k not in known}
        if rest:
            extra["properties"] = json_safe(rest)
        threat = Threat(
            id=tid,
            title=title,
            description=description,
            stride=stride,
            targets=list(targets),
            risk=risk,
            status=status,
            status_stated=stated,
            rationale=rationale,
            source=self.src(loc),
            extra=extra,
        )
        if not targets:
            self.warn(loc, f"threat {tid} sits on a cell that is not an element or flow of the model")
        model.threats.append(threat)
        self.report.imported(self.file, loc, tid)
        if tool_mitigation:
            self.report.skipped(
                self.file,
                loc + "/mitigation",
                f"the text Threat Dragon fills in itself, not a mitigation; kept in extra.mitigation_text of {tid}",
            )
        elif mitigation and is_no_mitigation(mitigation):
            extra["mitigation_text"] = mitigation
        elif mitigation:
            said = " ".join(mitigation.split()).casefold()
            if any(said.startswith(str(o).casefold()) for o in section("threatdragon", "risk_decision_openings") or []):
                self._decisions.append(tid)
            cid = self.ids.claim(f"{tid}-M1")
            model.controls.append(mitigation_control(cid, mitigation, control_status or "planned", self.src(loc + "/mitigation")))  # type: ignore[arg-type]
            threat.controls.append(cid)
            self.report.imported(self.file, loc + "/mitigation", cid)
        return threat
