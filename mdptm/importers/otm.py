"""Open Threat Model (OTM) files, JSON or YAML, versions 0.1 and 0.2.

OTM defines threats and mitigations once at top level and *instantiates* them on components and
data flows, each instance with its own state. mdptm makes one threat per OTM threat whose targets
are every component and flow holding an instance; the instance states combine into its status and
are kept per target in ``extra``. OTM ids are kept where they are unique in the file; where a threat
and a mitigation (or any two items) share an id, each gets a kind prefix (``OTM-T-55``, ``OTM-M-55``) and
the original id stays in ``source``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast, get_args

from pydantic import ValidationError

from mdptm.base.data import JSONObject
from mdptm.base.safety import not_utf8, parse_json, parse_yaml, read_input
from mdptm.base.text import slug
from mdptm.errors import InputError
from mdptm.formats.interchange import (
    IdMinter,
    as_dict,
    as_list,
    compact,
    json_safe,
    kind_by_rules,
    lookup,
    one_line,
    plain,
    section,
    shell,
    stride_of,
    threshold,
)
from mdptm.formats.otm import MDPTM_ATTR, RISK_SCALE
from mdptm.formats.otm_extension import MODEL_KEY, embedded
from mdptm.model import (
    COLLECTIONS,
    Asset,
    AssetKind,
    Control,
    ControlCategory,
    ControlStatus,
    Element,
    ElementKind,
    Flow,
    Model,
    PatientHarm,
    Responsibility,
    Risk,
    Source,
    Threat,
    ThreatStatus,
    TrustZone,
)
from mdptm.model.report import ImportReport
from mdptm.model.validate import pointer
from mdptm.plugins import ImportContext, Importer

_OTM_JSON = re.compile(rb'(?<!\\)"otmVersion"\s*:')
_OTM_YAML = re.compile(rb"(?m)^['\"]?otmVersion['\"]?\s*:")
STATUS_ORDER: tuple[str, ...] = ("open", "partially_mitigated", "accepted", "transferred", "mitigated", "not_applicable")
CONTROL_ORDER: tuple[str, ...] = ("not_implemented", "planned", "implemented")
FLOW_ATTRIBUTES = ("protocol", "port", "authentication", "encryption")
PREFIX = {"trustZones": "tz-", "components": "c-", "dataflows": "df-", "assets": "asset-", "threats": "OTM-T-", "mitigations": "OTM-M-"}
NAME_PREFIX = {"trustZones": "tz-", "components": "", "dataflows": "df-", "assets": "asset-"}
_READABLE = re.compile(r"^[A-Za-z][A-Za-z0-9_.:-]{0,63}$")
_UUIDISH = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-|^[0-9a-fA-F]{16,}$")


def readable(otm_id: str) -> bool:
    """Whether an OTM id is fit to be a model id as it is (not a GUID, not a bare number)."""
    return bool(_READABLE.match(otm_id)) and not _UUIDISH.search(otm_id)


def combine_status(statuses: list[str]) -> str:
    """One status for a threat instantiated on several targets: mixed open/mitigated is partial."""
    distinct = set(statuses)
    if len(distinct) == 1:
        return statuses[0]
    relevant = (distinct - {"not_applicable"}) or distinct
    if "open" in relevant and relevant & {"mitigated", "partially_mitigated"}:
        return "partially_mitigated"
    return min(relevant, key=STATUS_ORDER.index)


def read_otm(path: Path) -> object:
    """Parse OTM JSON or YAML (YAML 1.2 booleans, so a ``y:`` key stays a key)."""
    raw = read_input(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(not_utf8(raw, exc), file=str(path)) from None
    if text.lstrip().startswith(("{", "[")):
        return parse_json(text, file=str(path))
    return parse_yaml(text, file=str(path), yaml12=True)


_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


class OtmImporter(Importer):
    """Reads Open Threat Model JSON or YAML."""

    name = "otm"
    extensions = (".json", ".yaml", ".yml", ".otm")

    def sniff(self, path: Path, head: bytes) -> int:
        if _OTM_JSON.search(head) or _OTM_YAML.search(head):
            return 95
        return 40 if path.suffix.lower() == ".otm" else 0

    def load(self, path: Path, ctx: ImportContext) -> Model:
        data = read_otm(path)
        if not isinstance(data, dict) or "otmVersion" not in data:
            raise InputError("not an Open Threat Model file (no 'otmVersion')", file=str(path), locator="/")
        content, why = embedded(data)
        if content is not None:
            model = _embedded_model(path.name, content, ctx.report)
            if model is not None:
                _account_for_otm(path.name, data, model, ctx.report)
                return model
        elif why:
            ctx.report.warn(path.name, "/project/attributes", f"mdptm extension set aside: {why}; the OTM content is read instead")
        return _OtmReader(path.name, data, ctx.report).read()


def _account_for_otm(file: str, data: dict[str, object], model: Model, report: ImportReport) -> None:
    """Each OTM object of a file read through the extension is the OTM view of an embedded item: merged into it."""
    ids = {item.id for _kind, item in model.items()}
    for key in ("trustZones", "components", "dataflows", "assets", "threats", "mitigations", "representations"):
        for i, obj in enumerate(_list(data, key)):
            loc = pointer(key, i)
            oid = str(obj.get("id")) if isinstance(obj, dict) and obj.get("id") is not None else ""
            if key != "representations" and oid in ids:
                report.merged(file, loc, oid)
            else:
                what = "a diagram or code reference, layout only" if key == "representations" else "no item of the embedded model"
                report.skipped(file, loc, f"OTM {key[:-1]} {oid!r}: {what}")


def _embedded_model(file: str, content: JSONObject, report: ImportReport) -> Model | None:
    """The model mdptm embedded when it wrote this file, each item accounted for; None if it is not valid."""
    try:
        model = Model.model_validate(content)
    except ValidationError as exc:
        report.warn(file, "/project/attributes/" + MODEL_KEY, f"mdptm extension set aside: not a valid model ({exc.error_count()} errors)")
        return None
    base = "/project/attributes/" + MODEL_KEY
    for attr, _kind in COLLECTIONS:
        for i, item in enumerate(getattr(model, attr)):
            loc = f"{base}/{attr}/{i}"
            origin = Source(file=file, locator=loc, importer="otm")
            if isinstance(item, Flow):
                item.provenance = origin
            else:
                item.source = origin
            report.imported(file, loc, item.id)
    return model


def _list(data: dict[str, object], key: str) -> list[object]:
    value = data.get(key)
    return value if isinstance(value, list) else []


def _real(value: object) -> float | None:
    """A finite number as OTM writes it: ``50``, ``50.5`` or the string ``"50"``; None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if number == number and abs(number) != float("inf") else None


def _number(value: object) -> int | None:
    """A whole number as OTM writes it (``10``, ``10.0``, or the string ``"10"`` some exporters write)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if value == value and abs(value) != float("inf") else None
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
        return int(number) if number == number and abs(number) != float("inf") else None
    return None


def _ref(value: object, key: str) -> str | None:
    if isinstance(value, dict) and value.get(key) not in (None, ""):
        return str(value[key])
    return None


class _OtmReader:
    def __init__(self, file: str, data: dict[str, object], report: ImportReport) -> None:
        self.file = file
        self.data = data
        self.report = report
        self.zone_of: dict[str, str] = {}
        self.element_of: dict[str, str] = {}
        self.component_name: dict[str, str] = {}  # OTM component id -> its name, for flows named by an id only
        self.zones_in_components: list[tuple[TrustZone, str, str]] = []  # a zone drawn inside a component
        self.id_named_flows: list[str] = []
        self.flow_of: dict[str, str] = {}
        self.asset_of: dict[str, str] = {}
        self.threat_of: dict[str, str] = {}
        self.control_of: dict[str, str] = {}
        self.unassigned: set[str] = set()
        self.lost_flows: dict[str, list[str]] = {}
        self.warned: set[str] = set()
        self.instances: dict[str, list[tuple[str, str, list[dict[str, object]], str]]] = {}
        self.mitigation_states: dict[str, list[tuple[str, str]]] = {}
        self.control_status: dict[str, str] = {}
        self.default_risk: set[tuple[float, float]] = set()
        counts: Counter[str] = Counter()
        for coll in PREFIX:
            for obj in _list(data, coll):
                if isinstance(obj, dict) and obj.get("id") not in (None, ""):
                    counts[str(obj["id"])] += 1
        self.keep = {i for i, n in counts.items() if n == 1 and readable(i)}
        self.kept: set[str] = set()
        self.ids = IdMinter(self.keep)

    @staticmethod
    def where(loc: str, otm_id: str | None, model_id: str) -> str:
        """The JSON pointer of an item, with its OTM id where the model id differs (so the original is kept)."""
        return loc if otm_id is None or otm_id == model_id else f"{loc} (OTM id {otm_id!r})"

    def src(self, locator: str) -> Source:
        return Source(file=self.file, locator=locator, importer="otm")

    def warn(self, locator: str | None, message: str, *, once: str | None = None) -> None:
        if once is not None:
            if once in self.warned:
                return
            self.warned.add(once)
        self.report.warn(self.file, locator, message)

    def ids_for(self, coll: str, wanted: Callable[[dict[str, object]], bool] = lambda o: True) -> dict[int, tuple[str, str | None]]:
        """Index in the collection -> (model id, OTM id), for the objects *wanted* picks."""
        picked = [(i, o) for i, o in enumerate(_list(self.data, coll)) if isinstance(o, dict) and wanted(o)]
        return dict(zip((i for i, _o in picked), self.batch(coll, [o for _i, o in picked]), strict=True))

    def batch(self, coll: str, objs: list[dict[str, object]]) -> list[tuple[str, str | None]]:
        """(model id, OTM id) for every object of a collection.

        A readable OTM id that is unique in the file is kept, so a model exported to OTM comes back
        with its own ids. Others are minted: a threat or mitigation id gets a kind prefix (``OTM-T-55``,
        ``OTM-M-55``: OTM lets those collide), anything else becomes the slug of its name.
        """
        out: list[tuple[str, str | None] | None] = []
        wanted: list[tuple[str, str]] = []
        for idx, obj in enumerate(objs):
            otm_id = str(obj["id"]) if obj.get("id") not in (None, "") else None
            if otm_id is not None and otm_id in self.keep and otm_id not in self.kept:
                self.kept.add(otm_id)
                out.append((otm_id, otm_id))
                continue
            out.append(None)
            if coll in ("threats", "mitigations"):
                short = otm_id if otm_id and len(otm_id) <= 12 else slug(otm_id or "")[:8]
                wanted.append((f"{PREFIX[coll]}{short or idx + 1}", ""))
            else:
                base = slug(self.flow_name(obj)[0] if coll == "dataflows" else one_line(obj.get("name")))
                wanted.append(((NAME_PREFIX[coll] + base) if base else f"{PREFIX[coll]}{idx + 1}", otm_id or str(idx + 1)))
        minted = iter(self.ids.mint(wanted))
        result = []
        for idx, obj in enumerate(objs):
            got = out[idx]
            if got is None:
                got = (next(minted), str(obj["id"]) if obj.get("id") not in (None, "") else None)
            result.append(got)
        return result

    def flow_name(self, f: dict[str, object]) -> tuple[str, str | None]:
        """(the name a data flow is shown by, the name the file gives it when that is only an id).

        Diagram converters name an unlabelled connector by its GUID (StartLeft's Visio and draw.io
        output): that is no name a reader can use, so the flow is called by its ends, as one with no
        name is, and the GUID kept in ``extra.source_name``."""
        name = one_line(f.get("name"))
        if name and not _GUID.fullmatch(name):
            return name, None
        ends = [self.component_name.get(str(f.get(k)), str(f.get(k))) for k in ("source", "destination")]
        return f"{ends[0]} to {ends[1]}", name or None

    @staticmethod
    def split_attributes(obj: dict[str, object]) -> tuple[dict[str, object], dict[str, object]]:
        """(mdptm round-trip attributes without prefix, every other attribute)."""
        attrs = as_dict(obj.get("attributes"))
        ours = {str(k)[len(MDPTM_ATTR) :]: v for k, v in attrs.items() if str(k).startswith(MDPTM_ATTR)}
        rest = {str(k): v for k, v in attrs.items() if not str(k).startswith(MDPTM_ATTR)}
        return ours, rest

    @staticmethod
    def leftovers(obj: dict[str, object], handled: set[str], attrs: dict[str, object]) -> dict[str, Any]:
        extra = {k: json_safe(v) for k, v in obj.items() if k not in handled and k != "attributes" and v not in (None, [], {})}
        if attrs:
            extra["attributes"] = json_safe(attrs)
        return extra

    # ---------------------------------------------------------------------------------- model

    def read(self) -> Model:
        project = as_dict(self.data.get("project"))
        if not project:
            self.warn("/project", "no 'project' object (OTM requires one)")
        attrs = as_dict(project.get("attributes"))
        facts = {compact(k): one_line(v) for k, v in attrs.items() if isinstance(v, (str, int, float)) and not isinstance(v, bool)}
        known = {
            "manufacturer": "manufacturer",
            "model": "model",
            "version": "version",
            "documentversion": "document_version",
            "intendeduse": "intended_use",
        }
        model = shell(
            project.get("name"),
            project.get("description"),
            report=self.report,
            file=self.file,
            fmt="OTM file",
            facts={field: facts[key] for key, field in known.items() if key in facts},
        )
        rest = {k: v for k, v in project.items() if k not in ("name", "description", "attributes") and v not in (None, "", [], {})}
        other_attrs = {k: v for k, v in attrs.items() if compact(k) not in known}
        if other_attrs:
            rest["attributes"] = other_attrs
        if rest:
            self.report.skipped(
                self.file, "/project", f"project fields with no place in the model: {json.dumps(json_safe(rest), ensure_ascii=False)[:300]}"
            )
        for i, rep in enumerate(_list(self.data, "representations")):
            name = one_line(rep.get("name")) if isinstance(rep, dict) else ""
            self.report.skipped(
                self.file, pointer("representations", i), f"representation {name!r}: a diagram or code reference, layout only"
            )
        self._zones(model)
        self._assets(model)
        self._components(model)
        self._zones_in_components(model)
        self._dataflows(model)
        self._mitigations(model)
        self.default_risk = self._default_risks()
        self._threats(model)
        return model

    def _zones(self, model: Model) -> None:
        parents: list[tuple[TrustZone, str | None, str]] = []
        ids = self.ids_for("trustZones", lambda z: self.split_attributes(z)[0].get("unassigned") is not True)
        for i, z in enumerate(_list(self.data, "trustZones")):
            loc = pointer("trustZones", i)
            if not isinstance(z, dict):
                self.report.skipped(self.file, loc, "not a trust zone object")
                continue
            ours, attrs = self.split_attributes(z)
            if ours.get("unassigned") is True and z.get("id") is not None:
                self.unassigned.add(str(z["id"]))
                self.report.skipped(self.file, loc, "the 'no trust zone' placeholder mdptm writes for elements outside any zone")
                continue
            zid, otm_id = ids[i]
            if otm_id is not None:
                self.zone_of.setdefault(otm_id, zid)
            risk = as_dict(z.get("risk"))
            rating = risk.get("trustRating")
            level = _number(rating)
            if level is None and rating not in (None, ""):
                extra_rating = json_safe(rating)
                self.warn(loc, f"trust zone {one_line(z.get('name'))!r} has a trustRating that is not a number: {rating!r}; kept in extra")
            else:
                extra_rating = None
            if "trust_level" in ours:
                level = ours["trust_level"] if isinstance(ours["trust_level"], int) else None
            name = one_line(z.get("name")) or f"Trust zone {otm_id or i + 1}"
            extra = self.leftovers(z, {"id", "name", "description", "risk", "parent", "tags"}, attrs)
            if extra_rating is not None:
                extra["trust_rating"] = extra_rating
            zone = TrustZone(
                id=zid,
                name=name,
                trust_level=level,
                description=plain(z.get("description")),
                tags=[str(t) for t in as_list(z.get("tags")) if t not in (None, "")],
                source=self.src(self.where(loc, otm_id, zid)),
                extra=extra,
            )
            model.trust_zones.append(zone)
            parents.append((zone, _ref(z.get("parent"), "trustZone"), loc))
            if (component := _ref(z.get("parent"), "component")) is not None:
                self.zones_in_components.append((zone, component, loc))
            self.report.imported(self.file, self.where(loc, otm_id, zid), zid)
        for zone, parent, loc in parents:
            if parent is None:
                continue
            if parent in self.zone_of:
                zone.extra["parent_zone"] = self.zone_of[parent]
            else:
                zone.extra["parent_zone_otm_id"] = parent
                self.warn(loc, f"trust zone {zone.name!r} names an unknown parent zone {parent!r}")

    def _bare_parent(self, element: Element, parent: object, loc: str) -> dict[str, object]:
        """A component's ``parent`` written as a bare value instead of ``{trustZone: id}``: read as that
        zone when the value is the id of exactly one trust zone and of no component; else kept in extra."""
        ref = str(parent) if isinstance(parent, (str, int)) and not isinstance(parent, bool) else None
        if ref is not None and ref in self.zone_of and ref not in self.element_of:
            self.warn(loc, f"component {element.name!r} names its parent as {ref!r}, not {{trustZone: {ref!r}}}; read as that trust zone")
            return {"trustZone": ref}
        element.extra["parent"] = json_safe(parent)
        self.warn(
            loc, f"component {element.name!r} has a parent that is not {{trustZone: …}} or {{component: …}}: {parent!r}; kept in extra"
        )
        return {}

    def _zones_in_components(self, model: Model) -> None:
        """A trust zone whose parent is a component (StartLeft writes one for a boundary drawn inside a
        machine): the component is kept in ``extra.parent_component``, and the zone lies within the
        component's own zone (``extra.parent_zone``) unless the file names a parent zone as well."""
        zone_of = {e.id: e.trust_zone for e in model.elements}
        for zone, component, loc in self.zones_in_components:
            eid = self.element_of.get(component)
            if eid is None:
                zone.extra["parent_component_otm_id"] = component
                self.warn(loc, f"trust zone {zone.name!r} names an unknown parent component {component!r}")
                continue
            zone.extra["parent_component"] = eid
            outer = zone_of.get(eid)
            if outer and outer != zone.id and "parent_zone" not in zone.extra and "parent_zone_otm_id" not in zone.extra:
                zone.extra["parent_zone"] = outer

    def _assets(self, model: Model) -> None:
        ids = self.ids_for("assets")
        for i, a in enumerate(_list(self.data, "assets")):
            loc = pointer("assets", i)
            if not isinstance(a, dict):
                self.report.skipped(self.file, loc, "not an asset object")
                continue
            aid, otm_id = ids[i]
            if otm_id is not None:
                self.asset_of.setdefault(otm_id, aid)
            ours, attrs = self.split_attributes(a)
            name = one_line(a.get("name")) or f"Asset {otm_id or i + 1}"
            risk = as_dict(a.get("risk"))
            ratings: dict[str, object] = {}
            unrated = {x.strip() for x in str(ours.get("unrated") or "").split(",")}
            for key in ("confidentiality", "integrity", "availability"):
                value = risk.get(key)
                if key not in unrated and isinstance(value, (int, float)) and not isinstance(value, bool):
                    ratings[key] = threshold(float(value), "otm", "cia_ratings", field="rating")
            extra = self.leftovers(a, {"id", "name", "description", "risk"}, attrs)
            if risk:
                extra["risk"] = json_safe(risk)
            kind = ours.get("kind") if ours.get("kind") in get_args(AssetKind) else kind_by_rules(name, "otm", "asset_kinds")
            model.assets.append(
                Asset(
                    id=aid,
                    name=name,
                    kind=kind or "other",
                    description=plain(a.get("description")),
                    source=self.src(self.where(loc, otm_id, aid)),
                    extra=extra,
                    **ratings,
                )
            )
            self.report.imported(self.file, self.where(loc, otm_id, aid), aid)

    def _components(self, model: Model) -> None:
        comps: list[tuple[Element, dict[str, object], str]] = []
        ids = self.ids_for("components")
        for i, c in enumerate(_list(self.data, "components")):
            loc = pointer("components", i)
            if not isinstance(c, dict):
                self.report.skipped(self.file, loc, "not a component object")
                continue
            eid, otm_id = ids[i]
            ours, attrs = self.split_attributes(c)
            name = one_line(c.get("name"))
            if not name:
                name = f"Component {otm_id or i + 1}"
                self.warn(loc, f"component has no name; called it {name!r}")
            if otm_id is not None:
                self.element_of.setdefault(otm_id, eid)
                self.component_name.setdefault(otm_id, name)
            ctype = one_line(c.get("type"))
            kind = str(ours.get("kind") or "")
            if kind not in get_args(ElementKind):
                kind = ctype.replace("-", "_").lower() if ctype.replace("-", "_").lower() in get_args(ElementKind) else ""
                kind = kind or kind_by_rules(ctype, "otm", "component_kinds") or "process"
            extra = self.leftovers(c, {"id", "name", "description", "parent", "tags", "threats", "assets"}, attrs)
            element = Element(
                id=eid,
                name=name,
                kind=kind,
                description=plain(c.get("description")),
                tags=[str(t) for t in as_list(c.get("tags")) if t not in (None, "")],
                source=self.src(self.where(loc, otm_id, eid)),
                extra=extra,
            )
            model.elements.append(element)
            comps.append((element, c, loc))
            self.report.imported(self.file, self.where(loc, otm_id, eid), eid)
        by_id = {e.id: e for e in model.elements}
        parent_comp: dict[str, str] = {}
        for element, c, loc in comps:
            parent = c.get("parent")
            if parent not in (None, "", {}) and not isinstance(parent, dict):
                parent = self._bare_parent(element, parent, loc)
            zone, comp = _ref(parent, "trustZone"), _ref(parent, "component")
            if zone is not None and zone in self.zone_of:
                element.trust_zone = self.zone_of[zone]
            elif zone is not None and zone not in self.unassigned:
                element.extra["parent_zone_otm_id"] = zone
                self.warn(loc, f"component {element.name!r} names an unknown trust zone {zone!r}")
            elif comp is not None and comp in self.element_of:
                parent_comp[element.id] = self.element_of[comp]
                element.extra["parent_component"] = self.element_of[comp]
            elif comp is not None:
                element.extra["parent_component_otm_id"] = comp
                self.warn(loc, f"component {element.name!r} names an unknown parent component {comp!r}")
            self._asset_refs(element, c, loc, model)
            self._collect(c, element.id, loc)
        for eid in parent_comp:  # a nested component lives in its ancestor's trust zone
            seen, cur = {eid}, parent_comp[eid]
            while by_id[cur].trust_zone is None and cur in parent_comp and parent_comp[cur] not in seen:
                seen.add(cur)
                cur = parent_comp[cur]
            by_id[eid].trust_zone = by_id[cur].trust_zone

    def _asset_refs(self, element: Element, c: dict[str, object], loc: str, model: Model) -> None:
        refs = as_dict(c.get("assets"))
        assets = {a.id: a for a in model.assets}
        for how in ("processed", "stored"):
            for ref in as_list(refs.get(how)):
                aid = self.asset_of.get(str(ref))
                if aid is None:
                    element.extra.setdefault(f"unknown_assets_{how}", []).append(json_safe(ref))
                    self.warn(loc, f"component {element.name!r} names an unknown asset {ref!r}")
                elif how == "stored":
                    if element.id not in assets[aid].stored_in:
                        assets[aid].stored_in.append(element.id)
                else:
                    element.extra.setdefault("assets_processed", []).append(aid)

    def _dataflows(self, model: Model) -> None:
        ids = self.ids_for("dataflows", lambda f: all(str(f.get(k)) in self.element_of for k in ("source", "destination")))
        for i, f in enumerate(_list(self.data, "dataflows")):
            loc = pointer("dataflows", i)
            if not isinstance(f, dict):
                self.report.skipped(self.file, loc, "not a data flow object")
                continue
            ends = [str(f.get(k)) if f.get(k) not in (None, "") else None for k in ("source", "destination")]
            resolved = [self.element_of.get(e) if e else None for e in ends]
            if None in resolved:
                what = ["a trust zone" if e in self.zone_of else "nothing known" for e, r in zip(ends, resolved, strict=True) if r is None]
                label = one_line(f.get("name")) or f.get("id")
                why = f"data flow {label!r} runs {ends[0]} -> {ends[1]}; an end names {' and '.join(what)}, not a component"
                self.report.skipped(self.file, loc, why)
                self.warn(loc, why + "; its threats target the component(s) it does reach")
                if f.get("id") is not None:
                    self.lost_flows[str(f["id"])] = [r for r in resolved if r]
                self._collect(f, None, loc, fallback=[r for r in resolved if r])
                continue
            src, tgt = resolved[0] or "", resolved[1] or ""
            fid, otm_id = ids[i]
            if otm_id is not None:
                self.flow_of.setdefault(otm_id, fid)
            ours, attrs = self.split_attributes(f)
            fields: dict[str, str] = {}
            for key in list(attrs):
                if compact(key) in FLOW_ATTRIBUTES and attrs[key] not in (None, "", {}):
                    fields[compact(key)] = one_line(attrs.pop(key))
            name, id_name = self.flow_name(f)
            if not one_line(f.get("name")):
                self.warn(loc, f"data flow has no name; called it {name!r}")
            data_ids = []
            extra = self.leftovers(
                f, {"id", "name", "description", "source", "destination", "bidirectional", "assets", "tags", "threats"}, attrs
            )
            if id_name:
                extra["source_name"] = id_name
                self.id_named_flows.append(fid)
            for ref in as_list(f.get("assets")):
                if str(ref) in self.asset_of:
                    data_ids.append(self.asset_of[str(ref)])
                elif ref not in (None, ""):
                    extra.setdefault("unknown_assets", []).append(json_safe(ref))
                    self.warn(loc, f"data flow {name!r} names an unknown asset {ref!r}")
            model.flows.append(
                Flow(
                    id=fid,
                    name=name,
                    source=src,
                    target=tgt,
                    description=plain(f.get("description")),
                    bidirectional=f.get("bidirectional") is True,
                    data=data_ids,
                    tags=[str(t) for t in as_list(f.get("tags")) if t not in (None, "")],
                    provenance=self.src(self.where(loc, otm_id, fid)),
                    extra=extra,
                    **fields,
                )
            )
            self.report.imported(self.file, self.where(loc, otm_id, fid), fid)
            self._collect(f, fid, loc)
        if self.id_named_flows:
            self.warn(
                None,
                f"{len(self.id_named_flows)} data flow(s) are named only by an id (a GUID), not by words: called by their ends "
                f"({', '.join(self.id_named_flows)}), the id kept in extra.source_name",
            )
        zone_of = {e.id: e.trust_zone for e in model.elements}
        for flow in model.flows:
            if zone_of.get(flow.source) != zone_of.get(flow.target) and "crosses-trust-boundary" not in flow.tags:
                flow.tags.append("crosses-trust-boundary")

    def _collect(self, holder: dict[str, object], target: str | None, loc: str, fallback: list[str] | None = None) -> None:
        """Remember the threat instances on a component or flow until the threats themselves are read."""
        for j, inst in enumerate(as_list(holder.get("threats"))):
            iloc = f"{loc}/threats/{j}"
            ref = _ref(inst, "threat")
            if ref is None:
                self.report.skipped(self.file, iloc, "threat instance without a 'threat' id")
                self.warn(iloc, "threat instance without a 'threat' id")
                continue
            mitigations = [m for m in as_list(inst.get("mitigations")) if isinstance(m, dict)]
            targets = [target] if target else list(fallback or [])
            for t in targets or [""]:
                self.instances.setdefault(ref, []).append((t, str(inst.get("state") or ""), mitigations, iloc))

    # ------------------------------------------------------------------------- threats, controls

    def _mitigations(self, model: Model) -> None:
        ids = self.ids_for("mitigations")
        for i, m in enumerate(_list(self.data, "mitigations")):
            loc = pointer("mitigations", i)
            if not isinstance(m, dict):
                self.report.skipped(self.file, loc, "not a mitigation object")
                continue
            cid, otm_id = ids[i]
            if otm_id is not None:
                self.control_of.setdefault(otm_id, cid)
            ours, attrs = self.split_attributes(m)
            extra = self.leftovers(m, {"id", "name", "description"}, attrs)
            description = plain(m.get("description"))
            title = one_line(plain(m.get("name"))) or description.split("\n", 1)[0][:100] or f"Mitigation {otm_id or i + 1}"
            fields: dict[str, object] = {}
            if ours.get("category") in get_args(ControlCategory):
                fields["category"] = ours["category"]
            if ours.get("responsibility") in get_args(Responsibility):
                fields["responsibility"] = ours["responsibility"]
            else:  # OTM has no field for who runs a mitigation: "manufacturer" is mdptm's reading
                fields["responsibility_stated"] = False
            src = self.src(self.where(loc, otm_id, cid))
            model.controls.append(Control(id=cid, title=title, description=description, source=src, extra=extra, **fields))
            self.report.imported(self.file, self.where(loc, otm_id, cid), cid)
            if ours.get("status") in CONTROL_ORDER:
                self.control_status[cid] = str(ours["status"])

    def _threats(self, model: Model) -> None:
        defined: set[str] = set()
        ids = self.ids_for("threats")
        for i, t in enumerate(_list(self.data, "threats")):
            loc = pointer("threats", i)
            if not isinstance(t, dict):
                self.report.skipped(self.file, loc, "not a threat object")
                continue
            tid, otm_id = ids[i]
            if otm_id is not None:
                defined.add(otm_id)
                if otm_id in self.threat_of:
                    self.warn(loc, f"threat id {otm_id!r} is defined twice; instances go to the first")
                    insts = []
                else:
                    self.threat_of[otm_id] = tid
                    insts = self.instances.get(otm_id, [])
            else:
                insts = []
            model.threats.append(self._threat(t, tid, self.where(loc, otm_id, tid), insts))
            self.report.imported(self.file, self.where(loc, otm_id, tid), tid)
        for ref, insts in self.instances.items():
            if ref not in defined:
                for _t, _s, _m, iloc in insts:
                    self.report.skipped(self.file, iloc, f"instance of threat {ref!r}, which the file does not define")
                    self.warn(iloc, f"instance of threat {ref!r}, which the file does not define")
        self._control_status(model)

    def _default_risks(self) -> set[tuple[float, float]]:
        """The likelihood/impact pairs of this file that state no rating.

        A converter fills in one pair on every threat (StartLeft gives each threat of a Microsoft Threat
        Modeling Tool file likelihood 100, impact 100): read as a rating, every threat is "critical".
        A pair is such a default when it is the same on every threat of the file (at least
        ``uniform_risk_min_threats`` threats, or two when it is a known converter default), or when it
        is a known converter default in a file that converter wrote (``converter_representations``).
        A file written by mdptm states its ratings (its threats carry mdptm attributes).
        """
        threats = [t for t in _list(self.data, "threats") if isinstance(t, dict)]
        if not threats or any(self.split_attributes(t)[0] for t in threats):
            return set()
        known = {(float(d["likelihood"]), float(d["impact"])) for d in section("otm", "default_risks") or []}
        pairs: list[tuple[float, float] | None] = []
        for t in threats:
            risk = t.get("risk")
            lik, imp = (risk.get("likelihood"), risk.get("impact")) if isinstance(risk, dict) else (None, None)
            numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lik, imp))
            pairs.append((float(lik), float(imp)) if numeric else None)  # type: ignore[arg-type]
        found: set[tuple[float, float]] = set()
        if len(set(pairs)) == 1 and pairs[0] is not None:
            least = 2 if pairs[0] in known else int(section("otm", "uniform_risk_min_threats") or 3)
            if len(pairs) >= least:
                found.add(pairs[0])
        marks = {compact(str(m)) for m in section("otm", "converter_representations") or []}
        reps = _list(self.data, "representations")
        if any(isinstance(r, dict) and compact(str(r.get("name") or "")) in marks for r in reps):
            found |= known & {p for p in pairs if p is not None}
        for lik_f, imp_f in sorted(found):
            n = sum(p == (lik_f, imp_f) for p in pairs)
            self.warn(
                "/threats",
                f"risk likelihood {_num(lik_f)} / impact {_num(imp_f)} on {n} of {len(pairs)} threats is a converter's default, "
                "not a rating: those threats are not rated (the numbers kept in extra)",
            )
        return found

    def _threat(self, t: dict[str, object], tid: str, loc: str, insts: list[tuple[str, str, list[dict[str, object]], str]]) -> Threat:
        ours, attrs = self.split_attributes(t)
        extra = self.leftovers(t, {"id", "name", "description", "categories", "cwes", "risk", "tags"}, attrs)
        title = one_line(plain(t.get("name")))
        if not title:
            title = f"Threat {t.get('id', tid)}"
            self.warn(loc, f"threat {tid} has no name; called it {title!r}")
        stride: list[str] = []
        unmapped = []
        for cat in as_list(t.get("categories")):
            mapped = stride_of(cat) if cat not in (None, "") else None
            if mapped and mapped not in stride:
                stride.append(mapped)
            elif not mapped and cat not in (None, ""):
                unmapped.append(str(cat))
        if t.get("categories"):
            extra["categories"] = json_safe(t["categories"])
        if unmapped:
            self.warn(loc, f"threat categories {', '.join(map(repr, unmapped))} are not STRIDE categories; kept in extra")
        cwe = [f"CWE-{c}" if isinstance(c, int) or str(c).isdigit() else str(c) for c in as_list(t.get("cwes")) if c not in (None, "")]
        risk = self._risk(t.get("risk"), loc, extra)
        targets: list[str] = []
        statuses: list[str] = []
        status: str
        states: dict[str, str] = {}
        fields: dict[str, object] = {}
        controls: list[str] = []
        unstated = {compact(x) for x in section("otm", "unstated_threat_states") or []}
        stated = False
        for target, state, mitigations, iloc in insts:
            if target and target not in targets:
                targets.append(target)
            status = self._state(state, iloc)
            statuses.append(status)
            stated = stated or bool(state.strip()) and compact(state) not in unstated
            if target:
                states[target] = state
            for m_idx, m in enumerate(mitigations):
                mref = _ref(m, "mitigation")
                if mref is None or mref not in self.control_of:
                    extra.setdefault("unknown_mitigations", []).append(json_safe(m))
                    self.warn(f"{iloc}/mitigations/{m_idx}", f"threat instance names an unknown mitigation {mref!r}")
                    continue
                cid = self.control_of[mref]
                if cid not in controls:
                    controls.append(cid)
                self.mitigation_states.setdefault(cid, []).append((target, str(m.get("state") or "")))
                self.report.merged(self.file, f"{iloc}/mitigations/{m_idx}", cid)
            self.report.merged(self.file, iloc, tid)
        if states:
            extra["states"] = states
        if ours.get("status") in STATUS_ORDER and not stated:
            status = str(ours["status"])
        elif statuses:
            status = combine_status(statuses)
            if not stated:  # every instance states nothing ("not-stated" or blank): open, as no one says otherwise
                fields["status_stated"] = False
        elif ours.get("status") in STATUS_ORDER:
            status = str(ours["status"])
        else:
            status = "open"
            fields["status_stated"] = False
            self.warn(loc, f"threat {tid} is defined but not instantiated on any component or data flow")
        if ours.get("targets"):  # written by mdptm: the model's own order, trust zones included
            listed = [x.strip() for x in str(ours["targets"]).split(",")]
            zones = set(self.zone_of.values())
            ordered = [x for x in listed if x in targets or (x in zones and x not in targets)]
            targets = list(dict.fromkeys(ordered + targets))
        if ours.get("rationale"):
            fields["rationale"] = str(ours["rationale"])
        if ours.get("residual_level") in ("low", "medium", "high", "critical"):
            fields["residual_risk"] = Risk(level=ours["residual_level"])
        if ours.get("patient_harm") in get_args(PatientHarm):
            fields["patient_harm"] = ours["patient_harm"]
        if isinstance(ours.get("multi_patient"), bool):
            fields["multi_patient"] = ours["multi_patient"]
        return Threat(
            id=tid,
            title=title,
            description=plain(t.get("description")),
            stride=stride,
            targets=targets,
            risk=risk,
            status=status,
            cwe=cwe,
            controls=controls,
            tags=[str(x) for x in as_list(t.get("tags")) if x not in (None, "")],
            source=self.src(loc),
            extra=extra,
            **fields,
        )

    def _state(self, state: str, loc: str) -> ThreatStatus:
        if not state.strip():
            return "open"
        mapped = lookup(state, "otm", "threat_states")
        if mapped in STATUS_ORDER:
            return mapped  # type: ignore[no-any-return]
        self.warn(loc, f"unknown threat state {state!r}; treated as open (raw state kept in extra)", once=f"state:{compact(state)}")
        return "open"

    def _risk(self, risk: object, loc: str, extra: dict[str, object]) -> Risk | None:
        if not isinstance(risk, dict):
            return None
        for key in ("likelihoodComment", "impactComment"):
            if risk.get(key):
                extra[key] = plain(risk[key])
        lik, imp = risk.get("likelihood"), risk.get("impact")
        # a number, or a number written as a string ("50"), as some exporters write them
        lik_n, imp_n = _real(lik), _real(imp)
        if lik is None and (imp is None or imp_n == 0):
            return None
        if lik_n is None or imp_n is None:
            extra["risk"] = json_safe(risk)
            self.warn(loc, "risk likelihood/impact are not both numbers (0-100); kept in extra, risk left unassessed")
            return None
        lik_f, imp_f = lik_n, imp_n
        if (lik_f, imp_f) in self.default_risk and lik is not None and imp is not None:
            extra["risk"] = json_safe(risk)
            return None
        score = round(lik_f * imp_f / 100.0, 2)
        level = threshold(score, "otm", "risk_levels")
        return Risk(likelihood=_num(lik_f), severity=_num(imp_f), score=score, level=level, scale=RISK_SCALE)

    def _control_status(self, model: Model) -> None:
        """A control's status is the least implemented of its instances (raw states kept per target)."""
        for control in model.controls:
            mapped: list[str] = []
            raw: dict[str, str] = {}
            for target, state in self.mitigation_states.get(control.id, []):
                if not state.strip():
                    continue
                if target:
                    raw[target] = state
                value = lookup(state, "otm", "mitigation_states")
                if value in CONTROL_ORDER:
                    mapped.append(str(value))
                else:
                    self.warn(None, f"unknown mitigation state {state!r}; taken as not implemented", once=f"mstate:{compact(state)}")
                    mapped.append("not_implemented")
            if raw:
                control.extra["states"] = raw
            if mapped:
                control.status = cast(ControlStatus, min(mapped, key=CONTROL_ORDER.index))
            elif control.id in self.control_status:
                control.status = cast(ControlStatus, self.control_status[control.id])
            else:
                # no source states a status: "not implemented" is mdptm's reading, marked as not stated
                control.status = "not_implemented"
                control.status_stated = False
                where = control.source.locator if control.source else None
                self.warn(where, f"mitigation {control.id} has no state on any threat; status not stated (taken as not implemented)")


def _num(value: str | float) -> str:
    f = float(value)
    return str(int(f)) if f.is_integer() else str(f)
