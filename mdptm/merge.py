"""Merging several sources into one model (SPEC §3).

The same id merges field by field; elements also match by name. When two sources disagree the
first wins (unless it only had a placeholder) and the conflict is reported with both locations.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from mdptm.model import COLLECTIONS, PLACEHOLDER, Element, Flow, Item, Model, provenance
from mdptm.report import ImportReport

_SKIP_FIELDS = {"id", "source", "provenance"}
# list fields that hold ids of other items (flows.data, assets.stored_in, views.*, threats.*)
_LIST_REFS = ("data", "stored_in", "elements", "flows", "threats", "controls", "targets", "assets")


def norm_name(name: str) -> str:
    """Case- and whitespace-insensitive key for matching names."""
    return re.sub(r"\s+", " ", name).strip().casefold()


def _where(item: Item) -> str:
    src = provenance(item)
    if src is None:
        return "?"
    return f"{src.file}:{src.locator}" if src.locator else str(src.file)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {} or value == PLACEHOLDER


def _merge_fields(base: BaseModel, new: BaseModel, report: ImportReport, label: str, file: str, loc: str | None) -> None:
    for fname in type(base).model_fields:
        if fname in _SKIP_FIELDS:
            continue
        old_v = getattr(base, fname)
        new_v = getattr(new, fname)
        if _empty(new_v) or old_v == new_v:
            continue
        if _empty(old_v):
            setattr(base, fname, new_v)
        elif fname == "extra" and isinstance(old_v, dict):
            for k, v in new_v.items():
                old_v.setdefault(k, v)
        elif isinstance(old_v, list) and isinstance(new_v, list) and fname != "steps":
            merged = list(old_v)
            merged.extend(v for v in new_v if v not in merged)
            setattr(base, fname, merged)
        elif isinstance(old_v, BaseModel) and isinstance(new_v, BaseModel):
            _merge_fields(old_v, new_v, report, f"{label}.{fname}", file, loc)
        elif fname in ("sensitivity", "kind", "status", "category", "responsibility") and new_v == type(
            base
        ).model_fields[fname].default:
            continue
        else:
            first = _where(base) if isinstance(base, Item) else "first source"
            report.warn(file, loc, f"conflict in {label}.{fname}: kept {old_v!r} ({first}), ignored {new_v!r}")


def _rewrite_refs(item: Item, renames: dict[str, str]) -> None:
    if not renames:
        return
    if isinstance(item, Element) and item.trust_zone in renames:
        item.trust_zone = renames[item.trust_zone]
    if isinstance(item, Flow):
        item.source = renames.get(item.source, item.source)
        item.target = renames.get(item.target, item.target)
    for fname in _LIST_REFS:
        values = getattr(item, fname, None)
        if isinstance(values, list):
            setattr(item, fname, list(dict.fromkeys(renames.get(v, v) for v in values)))


def merge_models(parts: list[tuple[str, Model, ImportReport]]) -> tuple[Model, ImportReport]:
    """Fold sources left to right into the first; returns the model and the combined report."""
    if not parts:
        return Model.empty(), ImportReport()
    first_file, base, combined = parts[0]
    combined = combined.model_copy(deep=True)
    ids: dict[str, tuple[str, Item]] = {}
    names: dict[str, Element] = {}
    for kind, item in base.items():
        ids.setdefault(item.id, (kind, item))
        if isinstance(item, Element):
            names.setdefault(norm_name(item.name), item)
    for file, model, report in parts[1:]:
        _merge_fields(base.product, model.product, combined, "product", file, None)
        _merge_fields(base.document, model.document, combined, "document", file, None)
        _merge_fields(base.support, model.support, combined, "support", file, None)
        renames: dict[str, str] = {}
        merged_ids: set[str] = set()
        # first pass: decide where each new item goes
        for kind, item in model.items():
            hit = ids.get(item.id)
            if hit is not None and hit[0] == kind:
                merged_ids.add(item.id)
            elif isinstance(item, Element) and norm_name(item.name) in names:
                renames[item.id] = names[norm_name(item.name)].id
                merged_ids.add(item.id)
            elif hit is not None:
                new_id = _free_id(item.id, ids)
                report.warn(file, _where(item), f"id {item.id!r} is already a {hit[0]}; this {kind} renamed {new_id!r}")
                renames[item.id] = new_id
        for coll, kind in COLLECTIONS:
            for item in getattr(model, coll):
                _rewrite_refs(item, renames)
                target_id = renames.get(item.id, item.id)
                if item.id in merged_ids:
                    _merge_fields(ids[target_id][1], item, combined, target_id, file, _where(item))
                    report.retarget(item.id, target_id, as_merged=True)
                    continue
                if item.id in renames:
                    report.retarget(item.id, target_id, as_merged=False)
                    item.id = target_id
                getattr(base, coll).append(item)
                ids[item.id] = (kind, item)
                if isinstance(item, Element):
                    names.setdefault(norm_name(item.name), item)
        combined.extend(report)
    return base, combined


def _free_id(wanted: str, ids: dict[str, Any]) -> str:
    n = 2
    while f"{wanted}-{n}" in ids:
        n += 1
    return f"{wanted}-{n}"
