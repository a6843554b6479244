"""Microsoft Threat Modeling Tool models (``.tm7``).

A .tm7 is a .NET DataContract XML document whose namespace prefixes are redeclared all over the
place, so every name here is matched by namespace URI and local name, never by prefix. What is read
from where is documented in ``docs/formats.md``; in short:

* every diagram (``DrawingSurfaceModel``): its ``Borders`` are processes, external interactors,
  data stores and border trust boundaries; its ``Lines`` are data flows and line trust boundaries;
* trust-zone membership is not stored, so it comes from geometry: an element belongs to the
  innermost border boundary that contains its centre; a flow crossing a line boundary is tagged;
* ``ThreatInstances``: one threat per instance (titles repeat, so never merged by title), targeting
  its flow, with state, priority, justification and mitigation texts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mdptm.base.safety import current_limits, local_name, parse_xml, read_input, split_tag
from mdptm.base.text import slug
from mdptm.errors import InputError
from mdptm.formats.interchange import (
    LOOSE_END_MARGIN,
    Box,
    IdMinter,
    Point,
    across_diagrams,
    compact,
    innermost,
    is_no_mitigation,
    kind_by_rules,
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
from mdptm.model import Assumption, Element, Flow, Model, Risk, Source, Threat, TrustZone
from mdptm.model.report import ImportReport
from mdptm.plugins import ImportContext, Importer

if TYPE_CHECKING:
    from lxml.etree import _Element

NS_MODEL = "http://schemas.datacontract.org/2004/07/ThreatModeling.Model"
NS_ABS = "http://schemas.datacontract.org/2004/07/ThreatModeling.Model.Abstracts"
NS_KB = "http://schemas.datacontract.org/2004/07/ThreatModeling.KnowledgeBase"
NS_ARRAYS = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"
NS_IFACES = "http://schemas.datacontract.org/2004/07/ThreatModeling.Interfaces"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
TMT_NAMESPACES = frozenset({NS_MODEL, NS_ABS, NS_KB, NS_ARRAYS, NS_IFACES})
NIL_GUID = "00000000-0000-0000-0000-000000000000"
NEVER = "0001-01-01T00:00:00"
ELEMENT_ROLES = ("process", "external_interactor", "data_store")
# threat fields that also exist as (usually nil) elements of the threat instance itself
THREAT_FIELDS = {
    "title": "Title",
    "category": "UserThreatCategory",
    "description": "UserThreatDescription",
    "short_description": "UserThreatShortDescription",
    "interaction": "InteractionString",
    "priority": "Priority",
    "justification": "StateInformation",
}

# --------------------------------------------------------------------------------- XML navigation


def _local(el: _Element) -> str:
    return local_name(el.tag)


@cache
def _tags(name: str) -> frozenset[str]:
    """*name* in each TMT namespace, as lxml writes a tag: a child is found by one set lookup."""
    return frozenset(f"{{{ns}}}{name}" for ns in TMT_NAMESPACES)


def _kids(el: _Element | None, name: str | None = None) -> list[_Element]:
    """Children in a TMT namespace (any of them: the serializer moves names between them), by local name."""
    if el is None:
        return []
    if name is None:
        return [child for child in el if isinstance(child.tag, str) and split_tag(child.tag)[0] in TMT_NAMESPACES]
    tags = _tags(name)
    return [child for child in el if child.tag in tags]


def _kid(el: _Element | None, name: str) -> _Element | None:
    if el is None:
        return None
    tags = _tags(name)
    return next((child for child in el if child.tag in tags), None)


def _nil(el: _Element | None) -> bool:
    return el is not None and el.get(f"{{{NS_XSI}}}nil") == "true"


def _text(el: _Element | None, name: str) -> str | None:
    child = _kid(el, name)
    if child is None or _nil(child):
        return None
    return "".join(child.itertext())


def _xsi_type(el: _Element) -> str:
    value = el.get(f"{{{NS_XSI}}}type") or ""
    return value.rsplit(":", 1)[-1]


def _entries(container: _Element | None) -> list[tuple[str, _Element]]:
    """(Key, Value) of a DataContract dictionary; the entry element's name is type-mangled, so it is not matched."""
    out = []
    for entry in _kids(container):
        key, value = _kid(entry, "Key"), _kid(entry, "Value")
        if key is not None and value is not None:
            out.append(("".join(key.itertext()).strip(), value))
    return out


def _num(el: object, name: str) -> float | None:
    raw = _text(el, name)
    try:
        return float(raw) if raw is not None else None
    except ValueError:
        return None


# ------------------------------------------------------------------------------ knowledge base


@dataclass
class _ElementType:
    name: str
    parent: str | None
    representation: str | None


def _what_end(shape: _Shape | None, guid: str | None) -> str:
    """What a flow end that is no element is attached to, for the warning: a trust boundary, another
    shape, nothing, or a GUID the diagram does not hold."""
    if shape is not None:
        what = {"border_boundary": "the trust boundary", "line_boundary": "the trust boundary line", "flow": "the data flow"}
        name = shape.name or shape.header or shape.guid
        return f"{what.get(shape.role or '', 'the shape')} {name!r}"
    if not guid or guid == NIL_GUID:
        return "not connected and drawn on no element"
    return f"a shape this diagram does not hold ({guid})"


def _first_value(datum: object) -> str | None:
    """The first of a ThreatMetaDatum's ``Values`` (the one the tool gives a new threat), or None."""
    values = _kid(datum, "Values")
    for v in _kids(values):
        text = one_line("".join(v.itertext()))
        if text:
            return text
    return None


@dataclass
class _KnowledgeBase:
    """What the embedded template tells about stencils, threat categories and custom threat properties."""

    generic: dict[str, _ElementType] = field(default_factory=dict)
    standard: dict[str, _ElementType] = field(default_factory=dict)
    categories: dict[str, str] = field(default_factory=dict)
    threat_types: dict[str, tuple[str, str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    manifest: dict[str, str] = field(default_factory=dict)
    type_priority: dict[str, str] = field(default_factory=dict)  # threat type -> the Priority it is generated with
    default_priority: str | None = None  # the first Priority the template offers, for types that name none

    @classmethod
    def read(cls, kb: object) -> _KnowledgeBase:
        out = cls()
        if kb is None:
            return out
        for attr, container in (("generic", "GenericElements"), ("standard", "StandardElements")):
            table: dict[str, _ElementType] = getattr(out, attr)
            for et in _kids(_kid(kb, container), "ElementType"):
                eid = (_text(et, "Id") or "").strip()
                if eid:
                    table[eid] = _ElementType(
                        name=one_line(_text(et, "Name")),
                        parent=(_text(et, "ParentId") or "").strip() or None,
                        representation=(_text(et, "Representation") or "").strip() or None,
                    )
        for cat in _kids(_kid(kb, "ThreatCategories"), "ThreatCategory"):
            cid = (_text(cat, "Id") or "").strip()
            if cid:
                out.categories[cid] = one_line(_text(cat, "Name"))
        for tt in _kids(_kid(kb, "ThreatTypes"), "ThreatType"):
            tid = (_text(tt, "Id") or "").strip()
            if tid:
                out.threat_types[tid] = (one_line(_text(tt, "ShortTitle")), (_text(tt, "Category") or "").strip())
                for datum in _kids(_kid(tt, "PropertiesMetaData"), "ThreatMetaDatum"):
                    if (_text(datum, "Name") or "").strip() == "Priority" and (first := _first_value(datum)):
                        out.type_priority[tid] = first
        meta = _kid(_kid(kb, "ThreatMetaData"), "PropertiesMetaData")
        for datum in _kids(meta, "ThreatMetaDatum"):
            if (_text(datum, "Name") or "").strip() == "Priority" and out.default_priority is None:
                out.default_priority = _first_value(datum)
            label = one_line(_text(datum, "Label"))
            for key in (_text(datum, "Name"), _text(datum, "Id")):
                if key and key.strip() and label:
                    out.labels.setdefault(key.strip(), label)
        manifest = _kid(kb, "Manifest")
        for child in _kids(manifest):
            out.manifest[_local(child)] = one_line("".join(child.itertext()))
        return out

    def role(self, generic_id: str | None, shape: str) -> str | None:
        """The DFD role of a shape: its generic type, a custom (GUID) type's ancestry, then the shape class."""
        seen: set[str] = set()
        gid = generic_id
        while gid and gid not in seen:
            seen.add(gid)
            known = lookup(gid, "tm7", "generic_types")
            if known:
                return str(known)
            et = self.generic.get(gid) or self.standard.get(gid)
            if et is None:
                break
            if et.representation:
                rep = lookup(et.representation, "tm7", "representations")
                if rep:
                    return str(rep)
            gid = et.parent
        rep = lookup(shape, "tm7", "shapes")
        return str(rep) if rep else None

    def stencil(self, type_id: str | None, generic_id: str | None) -> str | None:
        for key in (type_id, generic_id):
            if key and key in self.standard and self.standard[key].name:
                return self.standard[key].name
            if key and key in self.generic and self.generic[key].name:
                return self.generic[key].name
        return None


# ------------------------------------------------------------------------------------- shapes


@dataclass
class _Shape:
    """One Borders/Lines entry of one diagram, before it becomes a model item."""

    guid: str
    role: str | None
    shape: str
    generic_id: str | None
    type_id: str | None
    diagram: int
    diagram_name: str
    locator: str
    name: str
    header: str | None
    props: dict[str, object]
    defaults: set[str] = field(default_factory=set)
    box: Box | None = None
    line: list[Point] = field(default_factory=list)
    source_guid: str | None = None
    target_guid: str | None = None
    item_id: str | None = None


def _properties(container: object) -> tuple[str, str | None, dict[str, object], set[str]]:
    """(name, stencil header, {display name: value}, the display names left at the stencil's default)
    of an ``abs:Properties`` list.

    A choice list the author may change (``ListDisplayAttribute``) still on its first choice is the
    stencil's default ("Provides Confidentiality: No" on a Generic Data Flow): the file cannot tell it
    from a choice the author made, so it states nothing. A ``StaticListDisplayAttribute`` is fixed by
    the stencil the author picked (the HTTPS stencil provides confidentiality, HTTP does not).
    """
    name = ""
    header: str | None = None
    named = False
    values: dict[str, object] = {}
    defaults: set[str] = set()
    for attr in _kids(container, "anyType"):
        kind = _xsi_type(attr)
        label = one_line(_text(attr, "DisplayName"))
        value_el = _kid(attr, "Value")
        if kind == "HeaderDisplayAttribute":
            if header is None:
                header = label or None
            continue
        value: object
        default = False
        if kind.endswith("ListDisplayAttribute"):
            choices = [one_line("".join(s.itertext())) for s in _kids(value_el, "string")]
            idx_raw = _text(attr, "SelectedIndex")
            idx = int(idx_raw) if idx_raw and idx_raw.strip().lstrip("-").isdigit() else -1
            value = choices[idx] if 0 <= idx < len(choices) else None
            default = idx == 0 and len(choices) > 1 and not kind.endswith("StaticListDisplayAttribute")
        elif value_el is None or _nil(value_el):
            value = None
        else:
            raw = "".join(value_el.itertext())
            value = raw.strip().lower() == "true" if kind == "BooleanDisplayAttribute" else raw
        if compact(label) == "name" and not named and kind.endswith("StringDisplayAttribute"):
            name, named = one_line(value), True
            continue
        key = label or one_line(_text(attr, "Name")) or kind
        n = 2
        while key in values:
            key = f"{label} ({n})"
            n += 1
        values[key] = value.strip() if isinstance(value, str) else value
        if default:
            defaults.add(key)
    return name, header, values, defaults


# ------------------------------------------------------------------------------------ importer


class Tm7Importer(Importer):
    """Reads a Microsoft Threat Modeling Tool model: every diagram, every threat instance."""

    name = "tm7"
    extensions = (".tm7",)

    def sniff(self, path: Path, head: bytes) -> int:
        if b"<ThreatModel" in head and b"ThreatModeling.Model" in head:
            return 95
        return 60 if path.suffix.lower() in self.extensions else 0

    def load(self, path: Path, ctx: ImportContext) -> Model:
        root = parse_xml(read_input(path, limit=current_limits().max_xml_bytes), file=str(path))
        ns, local = split_tag(root.tag)
        if local != "ThreatModel" or ns != NS_MODEL:
            raise InputError(f"not a Microsoft Threat Modeling Tool model (root element is {local!r})", file=str(path), locator="/")
        return _Tm7Reader(path.name, root, ctx.report).read()


class _Tm7Reader:
    """One pass over one .tm7: shapes first, then threats that point at them."""

    def __init__(self, file: str, root: object, report: ImportReport) -> None:
        self.file = file
        self.root = root
        self.report = report
        self.kb = _KnowledgeBase.read(_kid(root, "KnowledgeBase"))
        self.ids = IdMinter()
        self.element_of: dict[str, str] = {}  # shape guid -> element id
        self.flow_of: dict[str, str] = {}  # flow guid -> flow id
        self.lost_flows: dict[str, list[str]] = {}  # guid of a flow not imported -> element ids it touched
        self.diagram_names: dict[str, str] = {}
        self.defaulted: dict[str, list[str]] = {}  # flow property -> flows that left it at the stencil default
        self.template_priority: list[str] = []  # threats never edited: their Priority is the template's, no rating
        # edited threats whose Priority is still the one their template gave them, and whether any threat of the
        # file has a Priority other than its template's (then the author is taken to set priorities)
        self.kept_priority: list[Threat] = []
        self.priority_changed = False

    def src(self, locator: str) -> Source:
        return Source(file=self.file, locator=locator, importer="tm7")

    def warn(self, locator: str | None, message: str) -> None:
        self.report.warn(self.file, locator, message)

    # ---------------------------------------------------------------------------------- model

    def read(self) -> Model:
        meta = _kid(self.root, "MetaInformation")
        model = shell(
            _text(meta, "ThreatModelName"), _text(meta, "HighLevelSystemDescription"), report=self.report, file=self.file, fmt=".tm7 model"
        )
        shapes = self._shapes()
        self._zones(model, shapes)
        self._elements(model, shapes)
        self._flows(model, shapes)
        for label, flows in sorted(self.defaulted.items()):
            names = ", ".join(repr(n) for n in list(dict.fromkeys(flows))[:5]) + (", ..." if len(set(flows)) > 5 else "")
            self.warn(
                None,
                f"{label!r} is left at the stencil's default on {len(flows)} data flow(s) ({names}): "
                "read as not stated (the value kept in extra)",
            )
        self._line_boundaries(model, shapes)
        for s in shapes:
            if s.role == "annotation":
                text = one_line(s.name or s.props.get("Text") or s.header)
                self.report.skipped(self.file, s.locator, f"free-text annotation on diagram {s.diagram_name!r}: {text[:200]}")
            elif s.role is None:
                why = f"unknown shape {s.shape!r} (generic type {s.generic_id!r}); not a DFD element"
                self.report.skipped(self.file, s.locator, why)
                self.warn(s.locator, why)
        self._threats(model)
        self._meta(model, meta)
        self._notes()
        return model

    def _shapes(self) -> list[_Shape]:
        out: list[_Shape] = []
        surfaces = _kids(_kid(self.root, "DrawingSurfaceList"), "DrawingSurfaceModel")
        for d_idx, surface in enumerate(surfaces, 1):
            dguid = (_text(surface, "Guid") or "").strip()
            dname_prop, _h, _p, _d = _properties(_kid(surface, "Properties"))
            dname = dname_prop or one_line(_text(surface, "Header")) or f"Diagram {d_idx}"
            self.diagram_names[dguid] = dname
            count = 0
            for container in ("Borders", "Lines"):
                for key, value in _entries(_kid(surface, container)):
                    count += 1
                    out.append(self._shape(key, value, d_idx, dname, f"DrawingSurfaceModel[{d_idx}]/{container}/*[Key='{key}']"))
            self.report.skipped(
                self.file,
                f"DrawingSurfaceModel[{d_idx}]",
                f"diagram {dname!r}: a drawing surface; its {count} shapes are accounted for one by one",
            )
        return out

    def _shape(self, key: str, value: object, d_idx: int, dname: str, locator: str) -> _Shape:
        shape = _xsi_type(value)
        generic_id = (_text(value, "GenericTypeId") or "").strip() or None
        type_id = (_text(value, "TypeId") or "").strip() or None
        name, header, props, defaults = _properties(_kid(value, "Properties"))
        s = _Shape(
            guid=(_text(value, "Guid") or key).strip(),
            role=self.kb.role(generic_id, shape),
            shape=shape,
            generic_id=generic_id,
            type_id=type_id,
            diagram=d_idx,
            diagram_name=dname,
            locator=locator,
            name=name,
            header=header,
            props=props,
            defaults=defaults,
        )
        left, top, width, height = (_num(value, k) for k in ("Left", "Top", "Width", "Height"))
        if None not in (left, top, width, height):
            s.box = Box(left or 0.0, top or 0.0, width or 0.0, height or 0.0)
        sx, sy, tx, ty = (_num(value, k) for k in ("SourceX", "SourceY", "TargetX", "TargetY"))
        if None not in (sx, sy, tx, ty):
            hx, hy = _num(value, "HandleX"), _num(value, "HandleY")
            s.line = [(sx or 0.0, sy or 0.0)]
            if hx is not None and hy is not None:
                s.line.append((hx, hy))
            s.line.append((tx or 0.0, ty or 0.0))
        s.source_guid = (_text(value, "SourceGuid") or "").strip() or None
        s.target_guid = (_text(value, "TargetGuid") or "").strip() or None
        return s

    # ------------------------------------------------------------------------------- helpers

    def _stencil(self, s: _Shape) -> str:
        return self.kb.stencil(s.type_id, s.generic_id) or s.header or s.shape

    def _display_name(self, s: _Shape, what: str) -> str:
        if s.name:
            return s.name
        fallback = f"{self._stencil(s)} {s.guid[:8]}"
        self.warn(s.locator, f"{what} has no name; called it {fallback!r}")
        return fallback

    def _extra(self, s: _Shape) -> dict[str, object]:
        extra: dict[str, object] = {"stencil": self._stencil(s), "diagram": s.diagram_name}
        if s.type_id:
            extra["stencil_type"] = s.type_id
        if s.generic_id and s.generic_id != s.type_id:
            extra["generic_type"] = s.generic_id
        if s.props:
            extra["properties"] = s.props
        return extra

    def _scope(self, s: _Shape, tags: list[str], extra: dict[str, object]) -> None:
        oos = section("tm7", "out_of_scope") or {}
        if s.props.get(str(oos.get("flag", "Out Of Scope"))) is True:
            tags.append("out-of-scope")
            reason = s.props.get(str(oos.get("reason", "Reason For Out Of Scope")))
            if reason:
                extra["out_of_scope_reason"] = plain(reason)

    @staticmethod
    def _merge_groups(shapes: list[_Shape]) -> list[list[_Shape]]:
        """Shapes that are the same thing drawn on several diagrams, grouped (the first one leads)."""
        return across_diagrams(shapes, lambda s: f"{s.role} {s.name}" if s.name else "", lambda s: s.diagram)

    # --------------------------------------------------------------------------------- zones

    def _zones(self, model: Model, shapes: list[_Shape]) -> None:
        zone_shapes = [s for s in shapes if s.role == "border_boundary"]
        groups = self._merge_groups(zone_shapes)
        names = [self._display_name(g[0], "trust boundary") for g in groups]
        ids = self.ids.mint([("tz-" + (slug(n) or "zone"), g[0].guid) for n, g in zip(names, groups, strict=True)])
        for group, name, zid in zip(groups, names, ids, strict=True):
            first = group[0]
            tags: list[str] = []
            extra = self._extra(first)
            self._scope(first, tags, extra)
            if len(group) > 1:
                extra["diagrams"] = [s.diagram_name for s in group]
            model.trust_zones.append(TrustZone(id=zid, name=name, tags=tags, source=self.src(first.locator), extra=extra))
            for i, s in enumerate(group):
                s.item_id = zid
                (self.report.imported if i == 0 else self.report.merged)(self.file, s.locator, zid)
        by_zone = {z.id: z for z in model.trust_zones}
        for d in sorted({s.diagram for s in zone_shapes}):
            boxed = [(s.item_id or "", s.box) for s in zone_shapes if s.diagram == d and s.box is not None]
            for child, parent in nesting([(k, b) for k, b in boxed if b is not None]).items():
                if child != parent:
                    by_zone[child].extra.setdefault("parent_zone", parent)

    # ------------------------------------------------------------------------------ elements

    def _elements(self, model: Model, shapes: list[_Shape]) -> None:
        el_shapes = [s for s in shapes if s.role in ELEMENT_ROLES]
        zone_boxes: dict[int, list[tuple[str, Box]]] = defaultdict(list)
        for s in shapes:
            if s.role == "border_boundary" and s.box is not None and s.item_id:
                zone_boxes[s.diagram].append((s.item_id, s.box))
        groups = self._merge_groups(el_shapes)
        names = [self._display_name(g[0], "element") for g in groups]
        ids = self.ids.mint([(slug(n) or "element", g[0].guid) for n, g in zip(names, groups, strict=True)])
        for group, name, eid in zip(groups, names, ids, strict=True):
            first = group[0]
            tags: list[str] = []
            extra = self._extra(first)
            self._scope(first, tags, extra)
            zones = [innermost(zone_boxes[s.diagram], s.box.centre) if s.box else None for s in group]
            if len(group) > 1:
                extra["diagrams"] = [s.diagram_name for s in group]
                if len(set(zones)) > 1:
                    extra["trust_zones_by_diagram"] = dict(zip((s.diagram_name for s in group), zones, strict=True))
                    self.warn(first.locator, f"{name!r} sits in different trust boundaries on different diagrams; kept {zones[0]!r}")
            model.elements.append(
                Element(
                    id=eid,
                    name=name,
                    kind=self._kind(first),
                    trust_zone=zones[0],
                    tags=tags,
                    source=self.src(first.locator),
                    extra=extra,
                )
            )
            for i, s in enumerate(group):
                s.item_id = eid
                self.element_of[s.guid] = eid
                (self.report.imported if i == 0 else self.report.merged)(self.file, s.locator, eid)

    def _kind(self, s: _Shape) -> str:
        kind = str(lookup(s.role or "", "tm7", "element_kinds") or "process")
        if s.role in ("process", "external_interactor"):
            refined = kind_by_rules(self._stencil(s), "tm7", "stencil_kinds")
            if refined:
                return refined
        return kind

    # --------------------------------------------------------------------------------- flows

    def _end(self, s: _Shape, guid: str | None, point: Point | None, by_diagram: dict[int, list[_Shape]], which: str) -> str | None:
        """The element a flow end is attached to; a loose end drawn on an element is attached to it (with a warning)."""
        if guid and guid in self.element_of:
            return self.element_of[guid]
        if point is not None:
            eid = nearest([(e.item_id, e.box) for e in by_diagram[s.diagram] if e.box and e.item_id], point, LOOSE_END_MARGIN)
            if eid:
                self.warn(
                    s.locator,
                    f"the {which} of flow {s.name or s.guid!r} is not connected in the model; attached to {eid!r}, where it is drawn",
                )
                return eid
        return None

    def _flows(self, model: Model, shapes: list[_Shape]) -> None:
        by_diagram: dict[int, list[_Shape]] = defaultdict(list)
        for s in shapes:
            if s.role in ELEMENT_ROLES:
                by_diagram[s.diagram].append(s)
        flow_shapes = [s for s in shapes if s.role == "flow"]
        drawn = {(s.diagram, s.guid): s for s in shapes}
        kept: list[tuple[_Shape, str, str, str]] = []
        for s in flow_shapes:
            src = self._end(s, s.source_guid, s.line[0] if s.line else None, by_diagram, "source")
            tgt = self._end(s, s.target_guid, s.line[-1] if s.line else None, by_diagram, "target")
            if src is None or tgt is None:
                missing = [w for w, e in (("source", src), ("target", tgt)) if e is None]
                label = s.name or s.guid
                ends = [
                    f"its {w} is {_what_end(drawn.get((s.diagram, g or '')), g)}"
                    for w, e, g in (("source", src, s.source_guid), ("target", tgt, s.target_guid))
                    if e is None
                ]
                why = (
                    f"data flow {label!r} has no {' and no '.join(missing)} element ({'; '.join(ends)}; "
                    f"dangling: {s.source_guid} -> {s.target_guid})"
                )
                self.report.skipped(self.file, s.locator, why)
                self.warn(s.locator, why + "; its threats target the element(s) it does reach")
                self.lost_flows[s.guid] = [e for e in (src, tgt) if e]
                continue
            kept.append((s, src, tgt, s.name or f"{src} to {tgt}"))
        # the same flow drawn on several diagrams (same ends, same name) is one flow
        owner = repeats([((src, tgt, compact(name)), s.diagram) for s, src, tgt, name in kept])
        fresh = [i for i, o in enumerate(owner) if o == i]
        ids = self.ids.mint([("df-" + (slug(kept[i][3]) or "flow"), kept[i][0].guid) for i in fresh])
        flow_at = dict(zip(fresh, ids, strict=True))
        made: dict[str, Flow] = {}
        for i, (s, src, tgt, name) in enumerate(kept):
            fid = flow_at[owner[i]]
            self.flow_of[s.guid] = fid
            if owner[i] != i:
                made[fid].extra.setdefault("diagrams", [kept[owner[i]][0].diagram_name]).append(s.diagram_name)
                self.report.merged(self.file, s.locator, fid)
                continue
            if not s.name:
                self.warn(s.locator, f"data flow has no name; called it {name!r}")
            made[fid] = self._flow(s, fid, src, tgt, name)
            model.flows.append(made[fid])
            self.report.imported(self.file, s.locator, fid)

    def _flow(self, s: _Shape, fid: str, src: str, tgt: str, name: str) -> Flow:
        tags: list[str] = []
        extra = self._extra(s)
        self._scope(s, tags, extra)
        stencil = self._stencil(s)
        generic = s.type_id is None or s.type_id == s.generic_id
        non_protocol = {compact(n) for n in section("tm7", "non_protocol_flows") or []}
        protocol = None if generic or compact(stencil) in non_protocol else stencil
        fields: dict[str, list[str]] = defaultdict(list)
        for label, rule in (section("tm7", "flow_properties") or {}).items():
            value = s.props.get(str(label))
            mapped = (rule.get("values") or {}).get(str(value)) if value is not None else None
            if mapped is None and value is not None:
                mapped = {compact(k): v for k, v in (rule.get("values") or {}).items()}.get(compact(value))
            if mapped is not None and str(label) in s.defaults:  # the stencil's default: states nothing
                left = extra.setdefault("stencil_defaults", {})
                if isinstance(left, dict):
                    left[str(label)] = value
                self.defaulted.setdefault(str(label), []).append(name)
                continue
            if mapped is not None:
                fields[str(rule["field"])].append(str(mapped))

        def _join(values: list[str]) -> str | None:
            if not values:
                return None
            real = [v for v in dict.fromkeys(values) if v != "none"]
            return ", ".join(real) if real else "none"

        if s.source_guid not in self.element_of or s.target_guid not in self.element_of:
            extra["drawn_ends"] = {"source_guid": s.source_guid, "target_guid": s.target_guid}
        return Flow(
            id=fid,
            name=name,
            source=src,
            target=tgt,
            protocol=protocol,
            authentication=_join(fields["authentication"]),
            encryption=_join(fields["encryption"]),
            tags=tags,
            provenance=self.src(s.locator),
            extra=extra,
        )

    def _line_boundaries(self, model: Model, shapes: list[_Shape]) -> None:
        flows = {f.id: f for f in model.flows}
        zone_of = {e.id: e.trust_zone for e in model.elements}
        for f in model.flows:
            if zone_of.get(f.source) != zone_of.get(f.target):
                f.tags.append("crosses-trust-boundary")
        flow_shapes = [s for s in shapes if s.role == "flow" and s.guid in self.flow_of and len(s.line) >= 2]
        for b in (s for s in shapes if s.role == "line_boundary"):
            name = b.name or self._stencil(b)
            crossing: list[str] = []
            if len(b.line) >= 2:
                for s in flow_shapes:
                    if s.diagram == b.diagram and polylines_cross(s.line, b.line):
                        fid = self.flow_of[s.guid]
                        if fid not in crossing:
                            crossing.append(fid)
            for fid in crossing:
                flow = flows[fid]
                flow.extra.setdefault("crosses_line_boundaries", []).append(name)
                if "crosses-trust-boundary" not in flow.tags:
                    flow.tags.append("crosses-trust-boundary")
            where = f"recorded on the flows that cross it: {', '.join(crossing)}" if crossing else "no flow crosses it"
            self.report.skipped(self.file, b.locator, f"line trust boundary {name!r} on diagram {b.diagram_name!r}: {where}")

    # ------------------------------------------------------------------------------- threats

    def _threats(self, model: Model) -> None:
        keys = {field: {compact(k) for k in names} for field, names in (section("tm7", "threat_keys") or {}).items()}
        mitigation_labels = {compact(x) for x in section("tm7", "mitigation_labels") or []}
        for idx, (key, value) in enumerate(_entries(_kid(self.root, "ThreatInstances")), 1):
            loc = f"ThreatInstances/*[Key='{key}']"
            self._threat(model, idx, loc, value, keys, mitigation_labels)
        if self.kept_priority and not self.priority_changed:
            # Edited threats (a state, a justification) that all still carry the Priority their template gave
            # them, in a file where no threat's Priority differs from its template's: nobody set a priority.
            for threat in self.kept_priority:
                threat.risk = None
            n, ids = len(self.kept_priority), [t.id for t in self.kept_priority]
            shown = ", ".join(ids[:5]) + (f" and {n - 5} more" if n > 5 else "")
            self.warn(
                "ThreatInstances",
                f"{n} edited threat(s) still carry the Priority their template gives every threat of their type, and no "
                f"threat of the file has another: the priorities were never set, so these threats are not rated (the "
                f"priority is kept in extra): {shown}",
            )
        if self.template_priority:
            n, ids = len(self.template_priority), self.template_priority
            shown = ", ".join(ids[:5]) + (f" and {n - 5} more" if n > 5 else "")
            self.warn(
                "ThreatInstances",
                f"{n} of {len(model.threats)} threats were generated by the tool and never edited (state AutoGenerated, "
                f"no ChangedBy or ModifiedAt): their Priority is the template's default, not a rating, so they are not "
                f"rated (the priority is kept in extra): {shown}",
            )

    def _threat(self, model: Model, idx: int, loc: str, value: object, keys: dict[str, set[str]], mitigation_labels: set[str]) -> None:
        props: dict[str, str] = {}
        for k, v in _entries(_kid(value, "Properties")):
            props[k] = "" if _nil(v) else "".join(v.itertext())

        def prop(field: str) -> str:
            for k, v in props.items():
                if compact(k) in keys.get(field, set()) and v.strip():
                    return v
            top = THREAT_FIELDS.get(field)
            return (_text(value, top) or "") if top else ""

        known = set().union(*keys.values()) if keys else set()

        raw_id = (_text(value, "Id") or "").strip()
        tid = self.ids.claim(f"TM7-{slug(raw_id, 24) or raw_id}" if raw_id else f"TM7-K{idx}")
        extra: dict[str, Any] = {}
        tags: list[str] = []
        type_id = (_text(value, "TypeId") or "").strip()
        if type_id:
            extra["threat_type"] = type_id
        dguid = (_text(value, "DrawingSurfaceGuid") or "").strip()
        if dguid in self.diagram_names:
            extra["diagram"] = self.diagram_names[dguid]
        interaction = one_line(prop("interaction"))
        if interaction:
            extra["interaction"] = interaction
        for field_name, label in (("ChangedBy", "changed_by"), ("ModifiedAt", "modified_at")):
            v = (_text(value, field_name) or "").strip()
            if v and v != NEVER:
                extra[label] = v

        title = one_line(plain(prop("title")))
        category_raw = one_line(prop("category"))
        if not category_raw and type_id in self.kb.threat_types:
            category_raw = self.kb.categories.get(self.kb.threat_types[type_id][1], "")
        if not title:
            title = (
                one_line(self.kb.threat_types.get(type_id, ("", ""))[0])
                or f"{category_raw or 'Threat'} on {interaction or 'an interaction'}"
            )
            self.warn(loc, f"threat {tid} has no title; called it {title!r}")
        stride: list[str] = []
        if category_raw:
            extra["category"] = category_raw
            mapped = stride_of(category_raw)
            if mapped:
                stride.append(mapped)
            else:
                self.warn(loc, f"threat category {category_raw!r} is not a STRIDE category; kept in extra")
        short = plain(prop("short_description"))
        if short:
            extra["short_description"] = short

        state_raw = (_text(value, "State") or "").strip()
        status = "open"
        if state_raw:
            extra["state"] = state_raw
            rule = lookup(state_raw, "tm7", "states")
            if isinstance(rule, dict):
                status = str(rule.get("status") or "open")
                if rule.get("tag"):
                    tags.append(str(rule["tag"]))
            else:
                self.warn(loc, f"unknown threat state {state_raw!r}; treated as open, kept in extra")
        risk = None
        kept_template = False
        priority = one_line(prop("priority"))
        # generated by the tool and never touched: the knowledge base's priority for the threat type, not the author's
        untouched = state_raw.casefold() == "autogenerated" and "changed_by" not in extra and "modified_at" not in extra
        if priority:
            extra["priority"] = priority
            level = level_of(priority)
            template = self.kb.type_priority.get(type_id) or self.kb.default_priority
            if template is not None and compact(priority) != compact(template):
                self.priority_changed = True
            if level and untouched:
                self.template_priority.append(tid)
            elif level:
                risk = Risk(severity=priority, level=level, scale="TMT priority (High/Medium/Low)")
                kept_template = template is not None and compact(priority) == compact(template)
            else:
                self.warn(loc, f"priority {priority!r} is not a risk level; kept in extra")
        rationale = plain(prop("justification"))
        if is_no_mitigation(rationale):
            rationale = ""

        texts: list[tuple[str, str, bool]] = []  # (property key, text, written by the maker)
        for k, v in props.items():
            ck = compact(k)
            label = self.kb.labels.get(k.strip(), k)
            if ck in keys.get("possible_mitigations", set()):
                texts.append((k, v, False))
            elif ck not in known:
                if compact(label) in mitigation_labels and v.strip():
                    texts.append((k, v, True))
                else:
                    extra.setdefault("properties", {})[label] = plain(v)
        targets = self._targets(value, loc, tid, extra)
        threat = Threat(
            id=tid,
            title=title,
            description=plain(prop("description")),
            stride=stride,
            targets=targets,
            risk=risk,
            status=status,
            rationale=rationale or None,
            tags=tags,
            source=self.src(loc),
            extra=extra,
        )
        model.threats.append(threat)
        if kept_template:
            self.kept_priority.append(threat)
        self.report.imported(self.file, loc, tid)
        self._controls(model, threat, loc, texts, rationale)

    def _targets(self, value: object, loc: str, tid: str, extra: dict[str, object]) -> list[str]:
        flow_guid = (_text(value, "FlowGuid") or "").strip()
        if flow_guid in self.flow_of:
            return [self.flow_of[flow_guid]]
        ends = [self.element_of[g] for g in ((_text(value, n) or "").strip() for n in ("SourceGuid", "TargetGuid")) if g in self.element_of]
        ends = list(dict.fromkeys(ends + self.lost_flows.get(flow_guid, [])))
        if flow_guid and flow_guid != NIL_GUID:
            extra["flow_guid"] = flow_guid
            self.warn(loc, f"threat {tid} is on a data flow that was not imported; it targets {', '.join(ends) or 'nothing'} instead")
        elif not ends:
            self.warn(loc, f"threat {tid} names no element or flow of the model")
        return ends

    def _controls(self, model: Model, threat: Threat, loc: str, texts: list[tuple[str, str, bool]], rationale: str) -> None:
        made = 0
        for key, text, by_maker in texts:
            if is_no_mitigation(text):
                threat.extra.setdefault("mitigation_text", plain(text))
                continue
            made += 1
            tags: list[str]
            if threat.status == "mitigated":
                status, tags = "implemented", []
            elif by_maker:
                status, tags = "planned", []
            else:
                status, tags = "not_implemented", ["suggested"]
            cid = self.ids.claim(f"{threat.id}-M{made}")
            cloc = f"{loc}/Properties/*[Key='{key}']"
            model.controls.append(mitigation_control(cid, text, status, self.src(cloc), tags=tags))  # type: ignore[arg-type]
            threat.controls.append(cid)
            self.report.imported(self.file, cloc, cid)
        if not made and threat.status == "mitigated" and rationale:
            cid = self.ids.claim(f"{threat.id}-M1")
            control = mitigation_control(cid, rationale, "implemented", self.src(f"{loc}/StateInformation"), tags=["from-justification"])
            model.controls.append(control)
            threat.controls.append(cid)
            self.report.imported(self.file, f"{loc}/StateInformation", cid)

    # ------------------------------------------------------------------------- meta and notes

    def _meta(self, model: Model, meta: object) -> None:
        if meta is None:
            return
        for tag, prefix, extra_tag in (("Assumptions", "TM7-A", None), ("ExternalDependencies", "TM7-D", "external-dependency")):
            text = plain(_text(meta, tag))
            lines = [ln.lstrip("-*• ").strip() for ln in text.split("\n")]
            for n, line in enumerate((ln for ln in lines if ln), 1):
                aid = self.ids.claim(f"{prefix}{n}")
                loc = f"MetaInformation/{tag} line {n}"
                model.assumptions.append(Assumption(id=aid, text=line, tags=[extra_tag] if extra_tag else [], source=self.src(loc)))
                self.report.imported(self.file, loc, aid)
        people = {t: one_line(_text(meta, t)) for t in ("Owner", "Reviewer", "Contributors")}
        for tag, who in people.items():
            if who:
                self.report.skipped(self.file, f"MetaInformation/{tag}", f"{tag.lower()} {who!r}: people are not part of the model")
        if self.kb.manifest:
            self.report.skipped(
                self.file,
                "KnowledgeBase/Manifest",
                f"template {self.kb.manifest.get('Name', '?')!r} version {self.kb.manifest.get('Version', '?')}: "
                "threat-generation rules, not threats",
            )

    def _notes(self) -> None:
        for n, note in enumerate(_kids(_kid(self.root, "Notes")), 1):
            text = one_line(" ".join(t for t in note.itertext() if t.strip()))
            self.report.skipped(self.file, f"Notes/*[{n}]", f"model note (internal, not published): {text[:200]}")
