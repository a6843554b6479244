"""Merging several sources into one model (SPEC §3).

Items with the same id merge field by field. Items that are evidently the same thing under two ids
merge too: elements, trust zones and assets by name, flows by their (merged) ends and name. Threats
and controls never match by title (titles repeat in real models). When two sources give two
different values, the first source wins unless a later one has a higher ``priority`` (set per
source in ``mdptm.yaml``); either way the conflict is reported with both locations. A placeholder
or an unset default never counts as a value.
"""

from __future__ import annotations

from collections.abc import Container, Sequence

from pydantic import BaseModel

from mdptm.base.copies import deep_copy
from mdptm.model import COLLECTIONS, PLACEHOLDER, Asset, Control, Element, Flow, Item, Model, Threat, TrustZone, provenance
from mdptm.model.report import ImportReport

_SKIP_FIELDS = {"id", "source", "provenance"}
# list fields that hold ids of other items (flows.data, assets.stored_in, views.*, threats.*)
_LIST_REFS = ("data", "stored_in", "elements", "flows", "threats", "controls", "controls_grouped", "controls_disputed", "targets", "assets")
# fields whose model default is also what a source says when it says nothing
_DEFAULTED = ("sensitivity", "kind", "status", "category", "responsibility")
# lists whose order is meaning (steps of a use case): a second list conflicts instead of joining
_ORDERED = ("steps",)


def norm_name(name: str) -> str:
    """Case- and whitespace-insensitive key for matching names."""
    return " ".join(name.split()).casefold()  # str.split splits on what \s matches: a regular expression is slower


def _where(item: Item) -> str:
    src = provenance(item)
    if src is None:
        return "?"
    return f"{src.file} ({src.locator})" if src.locator else str(src.file)


def _empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {} or value == PLACEHOLDER


def _name_key(kind: str, item: Item, renames: dict[str, str]) -> tuple[str, ...] | None:
    """What makes two items of different sources the same thing, when their ids differ."""
    if isinstance(item, (Element, TrustZone, Asset)) and norm_name(item.name):
        return (kind, norm_name(item.name))
    if isinstance(item, Flow):
        return (kind, renames.get(item.source, item.source), renames.get(item.target, item.target), norm_name(item.name))
    return None


class _Merger:
    """Folds parts into the first one, remembering which source set each value and with what priority."""

    def __init__(self, base: Model, combined: ImportReport, first_file: str, first_priority: int) -> None:
        self.base = base
        self.report = combined
        # (id of the object holding the field, field) -> (where the kept value came from, its priority)
        self.setter: dict[tuple[int, str], tuple[str, int]] = {}
        self.origin: dict[int, tuple[str, int]] = {}  # id of an object -> (where, priority) of its source
        self.ids: dict[str, tuple[str, Item]] = {}
        self.keys: dict[tuple[str, ...], Item] = {}
        self._keep: list[object] = []  # objects whose id() is a key above stay alive, so no id is reused
        for obj in (base.product, base.document, base.support, base.risk_management):
            self.origin[id(obj)] = (first_file, first_priority)
        for kind, item in base.items():
            self._index(kind, item, {}, first_priority)

    def _set(self, obj: BaseModel, fname: str, where: str, priority: int) -> None:
        self._keep.append(obj)
        self.setter[(id(obj), fname)] = (where, priority)

    def _index(self, kind: str, item: Item, renames: dict[str, str], priority: int) -> None:
        self.ids.setdefault(item.id, (kind, item))
        self._keep.append(item)
        self.origin[id(item)] = (_where(item), priority)
        key = _name_key(kind, item, renames)
        if key is not None:
            self.keys.setdefault(key, item)

    def fields(self, base: BaseModel, new: BaseModel, label: str, where: str, priority: int, file: str, loc: str | None) -> None:
        """Merge *new* into *base* field by field."""
        for fname in type(base).model_fields:
            if fname in _SKIP_FIELDS:
                continue
            old_v, new_v = getattr(base, fname), getattr(new, fname)
            if fname == "controls_grouped":
                continue  # decided with the controls
            if fname == "controls" and isinstance(base, Threat) and isinstance(new, Threat):
                # a link one source states as a pair is stated, though another lists it only as a group
                pairs = {c for c in base.controls if c not in base.controls_grouped}
                pairs |= {c for c in new.controls if c not in new.controls_grouped}
                grouped = [c for c in dict.fromkeys([*base.controls_grouped, *new.controls_grouped]) if c not in pairs]
                base.controls_grouped = grouped
            if fname in ("status_stated", "responsibility_stated"):  # stated by any source is stated
                if new_v and not old_v:
                    setattr(base, fname, True)
                continue
            if _empty(new_v) or old_v == new_v:
                continue
            if _empty(old_v):
                setattr(base, fname, new_v)
                self._set(base, fname, where, priority)
                if isinstance(new_v, BaseModel):
                    self._keep.append(new_v)
                    self.origin[id(new_v)] = (where, priority)
            elif fname == "extra" and isinstance(old_v, dict) and isinstance(new_v, dict):
                self._extra(base, old_v, new_v, label, where, priority, file, loc)
            elif isinstance(old_v, list) and isinstance(new_v, list) and fname not in _ORDERED:
                setattr(base, fname, old_v + [v for v in new_v if v not in old_v])
            elif isinstance(old_v, BaseModel) and isinstance(new_v, BaseModel):
                self._keep.append(old_v)
                self.origin.setdefault(id(old_v), self.origin.get(id(base), ("first source", 0)))
                self.fields(old_v, new_v, f"{label}.{fname}", where, priority, file, loc)
            elif fname in _DEFAULTED and new_v == type(base).model_fields[fname].default:
                continue  # the new source did not say
            elif fname in _DEFAULTED and old_v == type(base).model_fields[fname].default and (id(base), fname) not in self.setter:
                setattr(base, fname, new_v)  # the first source did not say either
                self._set(base, fname, where, priority)
            else:
                self._conflict(base, fname, old_v, new_v, label, where, priority, file, loc)

    def _extra(
        self,
        base: BaseModel,
        old: dict[str, object],
        new: dict[str, object],
        label: str,
        where: str,
        priority: int,
        file: str,
        loc: str | None,
    ) -> None:
        for key, value in new.items():
            if key not in old or _empty(old[key]):
                old[key] = value
            elif old[key] != value:
                kept_where, kept_prio = self.setter.get((id(base), f"extra.{key}"), self.origin.get(id(base), ("first source", 0)))
                if priority > kept_prio:
                    self.report.warn(
                        file,
                        loc,
                        f"conflict in {label}.extra.{key}: kept {value!r} ({where}, higher priority) over {old[key]!r} ({kept_where})",
                    )
                    old[key] = value
                    self._set(base, f"extra.{key}", where, priority)
                else:
                    self.report.warn(
                        file, loc, f"conflict in {label}.extra.{key}: kept {old[key]!r} ({kept_where}) over {value!r} ({where})"
                    )

    def _conflict(
        self, base: BaseModel, fname: str, old_v: object, new_v: object, label: str, where: str, priority: int, file: str, loc: str | None
    ) -> None:
        kept_where, kept_prio = self.setter.get((id(base), fname), self.origin.get(id(base), ("first source", 0)))
        if priority > kept_prio:
            setattr(base, fname, new_v)
            self._set(base, fname, where, priority)
            self.report.warn(
                file, loc, f"conflict in {label}.{fname}: kept {new_v!r} ({where}, higher priority) over {old_v!r} ({kept_where})"
            )
        else:
            self.report.warn(file, loc, f"conflict in {label}.{fname}: kept {old_v!r} ({kept_where}) over {new_v!r} ({where})")

    def part(self, file: str, model: Model, report: ImportReport, priority: int) -> None:
        """Fold one more source into the base."""
        for attr in ("product", "document", "support", "risk_management"):
            self.fields(getattr(self.base, attr), getattr(model, attr), attr, file, priority, file, None)
        renames: dict[str, str] = {}
        merged: set[str] = set()
        for kind, item in model.items():  # collection order: zones and elements are settled before flows
            hit = self.ids.get(item.id)
            key = _name_key(kind, item, renames)
            if hit is not None and hit[0] == kind and not _generated_twin(hit[1], item):
                merged.add(item.id)
            elif key is not None and key in self.keys:
                renames[item.id] = self.keys[key].id
                merged.add(item.id)
            elif hit is not None:
                new_id = _free_id(item.id, self.ids, model)
                src = provenance(item)
                report.warn(file, src.locator if src else None, f"id {item.id!r} is already a {hit[0]}; this {kind} renamed {new_id!r}")
                renames[item.id] = new_id
        moves: dict[str, tuple[str, bool]] = {}  # the records' items are moved in one pass at the end
        for coll, kind in COLLECTIONS:
            for item in getattr(model, coll):
                _rewrite_refs(item, renames)
                target_id = renames.get(item.id, item.id)
                if item.id in merged:
                    src = provenance(item)
                    loc = src.locator if src is not None else None
                    self.fields(self.ids[target_id][1], item, f"{kind} {target_id}", _where(item), priority, file, loc)
                    moves.setdefault(item.id, (target_id, True))
                    continue
                if item.id in renames:
                    moves.setdefault(item.id, (target_id, False))
                    item.id = target_id
                getattr(self.base, coll).append(item)
                self._index(kind, item, {}, priority)
        report.retarget_all(moves)
        self.report.extend(report)


# Importers whose threat/control ids are generated from per-file numbers (TMT's instance Id, Threat
# Dragon's cell order): the same id in two such files is a coincidence, not the same threat.
_GENERATED_ID_IMPORTERS = frozenset({"tm7", "threatdragon", "otm"})


def _generated_twin(old: Item, new: Item) -> bool:
    """True when two threats/controls share an id only because two drawing-tool files numbered alike."""
    if not isinstance(old, (Threat, Control)):
        return False
    a, b = provenance(old), provenance(new)
    if a is None or b is None or a.file == b.file:
        return False
    return a.importer == b.importer and a.importer in _GENERATED_ID_IMPORTERS


def _rewrite_refs(item: Item, renames: dict[str, str]) -> None:
    if not renames:
        return
    if isinstance(item, Element) and item.trust_zone in renames:
        item.trust_zone = renames[item.trust_zone]
    if isinstance(item, Flow):
        item.source = renames.get(item.source, item.source)
        item.target = renames.get(item.target, item.target)
        if item.initiator is not None:
            item.initiator = renames.get(item.initiator, item.initiator)
    for fname in _LIST_REFS:
        values = getattr(item, fname, None)
        if isinstance(values, list):
            setattr(item, fname, list(dict.fromkeys(renames.get(v, v) for v in values)))
    parent = item.extra.get("parent_zone")
    if isinstance(parent, str) and parent in renames:
        item.extra["parent_zone"] = renames[parent]


def merge_models(parts: Sequence[tuple[str, Model, ImportReport]], priorities: Sequence[int] | None = None) -> tuple[Model, ImportReport]:
    """Fold sources left to right into the first; returns the model and the combined report.

    *priorities* (one per part, default 0) decide conflicts: a later source wins a field only with a
    strictly higher priority than the source that set it.
    """
    if not parts:
        return Model.empty(), ImportReport()
    prio = list(priorities) if priorities is not None else [0] * len(parts)
    if len(prio) != len(parts):
        raise ValueError("one priority per source")
    first_file, base, first_report = parts[0]
    if len(parts) == 1:  # nothing to fold: the report is the source's own (its table grids can be large)
        return base, first_report
    merger = _Merger(base, deep_copy(first_report), first_file, prio[0])
    for (file, model, report), priority in zip(parts[1:], prio[1:], strict=True):
        merger.part(file, model, report, priority)
    return base, merger.report


def _free_id(wanted: str, ids: Container[str], model: Model) -> str:
    own = {item.id for _, item in model.items()}
    n = 2
    while f"{wanted}-{n}" in ids or f"{wanted}-{n}" in own:
        n += 1
    return f"{wanted}-{n}"
