"""What changed between two versions of a threat model (SPEC §9), and why a PTM update is due.

Only published fields are compared: provenance (``source``/``provenance``), ``notes`` and ``extra``
are internal and never make a difference. Lists of ids are sets (reordering is not a change); use-case
``steps`` keep their order. Nested objects such as ``risk`` are compared field by field
(``risk.level``). A reference list that changed only because the items it names were themselves added
or removed is not repeated: the added/removed entries already say it.

The diff feeds ``mdptm diff``, ``document.history`` and the change-log chapter of the PTM, and suggests
which of the position paper's update triggers (``mappings/vocabulary/update-triggers.yaml``) apply.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, PrivateAttr, ValidationError

from mdptm.errors import InputError
from mdptm.model import COLLECTIONS, Assumption, Flow, HistoryEntry, Item, Model, OutOfScope
from mdptm.model.io import load_validated, read_structured
from mdptm.model.validate import REFERENCES
from mdptm.model.vocabulary import vocabulary_file
from mdptm.render.docir import Doc

Change = Literal["added", "removed", "changed"]
SECTIONS: tuple[str, ...] = ("product", "document", "support")
IGNORED_FIELDS = frozenset({"source", "provenance", "notes", "extra"})
ORDERED_LISTS = frozenset({"steps"})  # lists whose order is meaningful; every other list is a set
_KIND_OF = dict(COLLECTIONS)
# (item kind, field) pairs that hold lists of ids of other items
_REFERENCE_LISTS = frozenset(
    (_KIND_OF[coll], fld) for (coll, fld) in REFERENCES if fld not in ("trust_zone", "source", "target", "initiator")
)
_LONG = 60  # text values longer than this are summarised as "revised" in human-readable output


# ------------------------------------------------------------------------------------ result types


class ItemRef(BaseModel):
    id: str
    kind: str


class ItemChange(BaseModel):
    id: str
    kind: str
    fields: dict[str, list[JsonValue]]  # field -> [old, new]


class TriggerHit(BaseModel):
    """One suggested update trigger and the changes that suggest it."""

    id: str
    title: str
    paper: str
    advice: str = ""
    reasons: list[str] = Field(default_factory=list)
    items: list[str] = Field(default_factory=list)


class Side(BaseModel):
    product: str
    version: str
    date: str | None = None


class Diff(BaseModel):
    """The JSON form of ``mdptm diff`` (SPEC §9), plus product/document/support changes and triggers."""

    old: Side
    new: Side
    added: list[ItemRef] = Field(default_factory=list)
    removed: list[ItemRef] = Field(default_factory=list)
    changed: list[ItemChange] = Field(default_factory=list)
    product: dict[str, list[JsonValue]] = Field(default_factory=dict)
    document: dict[str, list[JsonValue]] = Field(default_factory=dict)
    support: dict[str, list[JsonValue]] = Field(default_factory=dict)
    triggers: list[TriggerHit] = Field(default_factory=list)
    _labels: dict[str, str] = PrivateAttr(default_factory=dict)

    def label(self, item_id: str) -> str:
        """The item's title or name, for human-readable output (empty when unknown)."""
        return self._labels.get(item_id, "")

    def is_empty(self) -> bool:
        """True when no published field differs (document metadata aside)."""
        return not (self.added or self.removed or self.changed or self.product or self.support)


# ------------------------------------------------------------------------------- trigger catalogue


class TriggerRule(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    change: Change
    kind: list[str]
    fields: list[str] = Field(default_factory=list)
    from_: list[JsonValue] | None = Field(default=None, alias="from")
    to: list[JsonValue] | None = None
    lost: bool = False
    gained: bool = False


class TriggerSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    title: str
    paper: str
    advice: str = ""
    when: list[TriggerRule] = Field(default_factory=list)


class TriggerCatalogue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    schema_version: int
    triggers: list[TriggerSpec]

    def manual(self) -> list[TriggerSpec]:
        """Reasons to update that no model diff can show (a lost sale, an incident)."""
        return [t for t in self.triggers if not t.when]


def load_triggers(path: Path | None = None) -> TriggerCatalogue:
    """The update-trigger catalogue: the shipped one, or *path* (a user's own)."""
    if path is None:
        return _shipped_triggers()
    return _read_triggers(path)


@cache
def _shipped_triggers() -> TriggerCatalogue:
    return _read_triggers(vocabulary_file("update-triggers"))


def _read_triggers(path: Path) -> TriggerCatalogue:
    return load_validated(path, TriggerCatalogue)


# ------------------------------------------------------------------------------------ comparison


def item_label(item: Item) -> str:
    """A short human name for any item: title, name or text."""
    for attr in ("title", "name"):
        value = getattr(item, attr, None)
        if isinstance(value, str) and value:
            return value
    if isinstance(item, Assumption | OutOfScope):
        return item.text
    return ""


def _published(obj: BaseModel) -> dict[str, JsonValue]:
    """The fields a reader of the PTM sees. On a flow, ``source`` is its source element, not provenance."""
    data = obj.model_dump(mode="json", by_alias=True)
    ignored = IGNORED_FIELDS - {"source"} if isinstance(obj, Flow) else IGNORED_FIELDS
    return {k: v for k, v in data.items() if k not in ignored}


def _flatten(data: dict[str, JsonValue], prefix: str = "") -> dict[str, JsonValue]:
    """Nested objects become dotted leaves (``risk.level``); lists stay whole."""
    out: dict[str, JsonValue] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = value
    return out


def _as_set(values: list[JsonValue]) -> dict[str, JsonValue]:
    return {json.dumps(v, sort_keys=True): v for v in values}


@dataclass(frozen=True)
class _Delta:
    field: str
    old: JsonValue
    new: JsonValue
    lost: tuple[JsonValue, ...] = ()
    gained: tuple[JsonValue, ...] = ()


def _compare(old: dict[str, JsonValue], new: dict[str, JsonValue], kind: str) -> list[_Delta]:
    """Field-by-field differences of two flattened records, in the new record's field order."""
    keys = list(new) + [k for k in old if k not in new]
    out: list[_Delta] = []
    for key in keys:
        a, b = old.get(key), new.get(key)
        if isinstance(a, list) or isinstance(b, list):
            la = a if isinstance(a, list) else []  # an optional list left out is none
            lb = b if isinstance(b, list) else []
            if key in ORDERED_LISTS or kind == "document":
                if la != lb:
                    out.append(_Delta(key, la, lb))
                continue
            sa, sb = _as_set(la), _as_set(lb)
            if sa.keys() != sb.keys():
                lost = tuple(v for k, v in sa.items() if k not in sb)
                gained = tuple(v for k, v in sb.items() if k not in sa)
                out.append(_Delta(key, la, lb, lost, gained))
        elif a != b:
            out.append(_Delta(key, a, b))
    return out


@dataclass(frozen=True)
class _Event:
    """One change, the unit that trigger rules match."""

    change: Change
    kind: str
    id: str
    delta: _Delta | None = None


def _indexed(model: Model) -> dict[str, tuple[str, Item]]:
    out: dict[str, tuple[str, Item]] = {}
    for kind, item in model.items():
        out.setdefault(item.id, (kind, item))
    return out


def _referrers(model: Model) -> dict[str, list[str]]:
    """Id → ids of the items whose reference lists name it."""
    out: dict[str, list[str]] = {}
    for kind, item in model.items():
        for k, fld in _REFERENCE_LISTS:
            if k == kind:
                for ref in getattr(item, fld):
                    out.setdefault(ref, []).append(item.id)
    return out


def diff_models(old: Model, new: Model, triggers: TriggerCatalogue | None = None) -> Diff:
    """Added, removed and changed items by id, field by field, and the update triggers they suggest."""
    catalogue = triggers or load_triggers()
    before, after = _indexed(old), _indexed(new)
    result = Diff(
        old=Side(product=old.product.name, version=old.document.version, date=old.document.date),
        new=Side(product=new.product.name, version=new.document.version, date=new.document.date),
    )
    labels = {iid: item_label(item) for iid, (_, item) in before.items()}
    labels.update({iid: item_label(item) for iid, (_, item) in after.items()})
    result._labels = labels
    events: list[_Event] = []

    added_ids = {i for i, (k, _) in after.items() if i not in before or before[i][0] != k}
    removed_ids = {i for i, (k, _) in before.items() if i not in after or after[i][0] != k}
    for iid, (kind, _) in after.items():
        if iid in added_ids:
            result.added.append(ItemRef(id=iid, kind=kind))
            events.append(_Event("added", kind, iid))
    for iid, (kind, _) in before.items():
        if iid in removed_ids:
            result.removed.append(ItemRef(id=iid, kind=kind))
            events.append(_Event("removed", kind, iid))
    for iid, (kind, item) in after.items():
        if iid in added_ids:
            continue
        deltas = [
            d
            for d in _compare(_flatten(_published(before[iid][1])), _flatten(_published(item)), kind)
            if not _implied(kind, d, added_ids, removed_ids)
        ]
        if deltas:
            result.changed.append(ItemChange(id=iid, kind=kind, fields={d.field: [d.old, d.new] for d in deltas}))
            events.extend(_Event("changed", kind, iid, d) for d in deltas)

    for section in SECTIONS:
        a = _flatten(_published(getattr(old, section)))
        b = _flatten(_published(getattr(new, section)))
        deltas = _compare(a, b, section)
        setattr(result, section, {d.field: [d.old, d.new] for d in deltas})
        events.extend(_Event("changed", section, section, d) for d in deltas)

    result.triggers = _match_triggers(catalogue, events, result, _referrers(old))
    return result


def _implied(kind: str, d: _Delta, added: set[str], removed: set[str]) -> bool:
    """A reference list that changed only because the items it names were added or removed."""
    if (kind, d.field) not in _REFERENCE_LISTS or not (d.lost or d.gained):
        return False
    return all(x in removed for x in d.lost) and all(x in added for x in d.gained)


# -------------------------------------------------------------------------------------- triggers


def _rule_matches(rule: TriggerRule, ev: _Event) -> bool:
    if rule.change != ev.change or ev.kind not in rule.kind:
        return False
    if ev.change != "changed":
        return True
    d = ev.delta
    assert d is not None
    if rule.fields and not any(d.field == f or d.field.startswith(f + ".") for f in rule.fields):
        return False
    if rule.from_ is not None and d.old not in rule.from_:
        return False
    if rule.to is not None and d.new not in rule.to:
        return False
    if rule.lost and not d.lost:
        return False
    return not (rule.gained and not d.gained)


def _match_triggers(catalogue: TriggerCatalogue, events: list[_Event], diff: Diff, referrers: dict[str, list[str]]) -> list[TriggerHit]:
    hits: list[TriggerHit] = []
    for spec in catalogue.triggers:
        reasons: list[str] = []
        items: list[str] = []
        for ev in events:
            if any(_rule_matches(rule, ev) for rule in spec.when):
                text = _describe(ev, diff, referrers)
                if text not in reasons:
                    reasons.append(text)
                if ev.kind not in SECTIONS and ev.id not in items:
                    items.append(ev.id)
        if reasons:
            hits.append(TriggerHit(id=spec.id, title=spec.title, paper=spec.paper, advice=spec.advice, reasons=reasons, items=items))
    return hits


# ------------------------------------------------------------------------------ human-readable text


def _kind_word(kind: str) -> str:
    return {"out_of_scope": "out-of-scope entry"}.get(kind, kind.replace("_", " "))


def _value(v: JsonValue) -> str:
    if v is None:
        return "not stated"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, list):
        return ", ".join(_value(x) if not isinstance(x, dict) else _record(x) for x in v) or "none"
    if isinstance(v, dict):
        return _record(v)
    return str(v)


def _record(d: dict[str, JsonValue]) -> str:
    return " ".join(str(v) for v in d.values() if v not in (None, "", []))


def field_change(name: str, old: JsonValue, new: JsonValue) -> str:
    """One field's change in words: ``status open → mitigated``, ``controls +C-5, −C-1``."""
    if isinstance(old, list) and isinstance(new, list) and name not in ORDERED_LISTS and name not in ("history", "signoffs"):
        sa, sb = _as_set(old), _as_set(new)
        parts = [f"+{_value(v)}" for k, v in sb.items() if k not in sa]
        parts += [f"−{_value(v)}" for k, v in sa.items() if k not in sb]
        return f"{name} {', '.join(parts)}"
    if name in ("history", "signoffs") and isinstance(old, list) and isinstance(new, list):
        return f"{name}: {len(old)} → {len(new)} entries"
    a, b = _value(old), _value(new)
    if len(a) > _LONG or len(b) > _LONG or "\n" in a + b:
        return f"{name} revised"
    return f"{name} {a} → {b}"


def _named(diff: Diff, kind: str, iid: str) -> str:
    label = diff.label(iid)
    return f"{_kind_word(kind)} {iid}" + (f" ({_short(label)})" if label else "")


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _describe(ev: _Event, diff: Diff, referrers: dict[str, list[str]]) -> str:
    if ev.change == "added":
        return f"{_named(diff, ev.kind, ev.id)} added"
    if ev.change == "removed":
        refs = referrers.get(ev.id, [])
        return f"{_named(diff, ev.kind, ev.id)} removed" + (f" (it was referenced by {', '.join(refs)})" if refs else "")
    d = ev.delta
    assert d is not None
    if ev.kind in SECTIONS:
        return f"{ev.kind}: {field_change(d.field, d.old, d.new)}"
    return f"{_kind_word(ev.kind)} {ev.id}: {field_change(d.field, d.old, d.new)}"


def changelog(diff: Diff) -> list[str]:
    """One human-readable line per change, for the PTM's change-log chapter."""
    lines = [f"Added {_named(diff, ref.kind, ref.id)}." for ref in diff.added]
    lines += [f"Removed {_named(diff, ref.kind, ref.id)}." for ref in diff.removed]
    for ch in diff.changed:
        parts = "; ".join(field_change(k, v[0], v[1]) for k, v in ch.fields.items())
        lines.append(f"Changed {_named(diff, ch.kind, ch.id)}: {parts}.")
    for section in ("product", "support"):
        fields: dict[str, list[JsonValue]] = getattr(diff, section)
        if fields:
            parts = "; ".join(field_change(k, v[0], v[1]) for k, v in fields.items())
            lines.append(f"{section.capitalize()}: {parts}.")
    return lines


def summary(diff: Diff, limit: int = 3) -> str:
    """A one-sentence summary for ``document.history``: ids when few, counts when many."""
    parts: list[str] = []
    for verb, refs in (("added", diff.added), ("removed", diff.removed)):
        for kind, ids in _by_kind((r.kind, r.id) for r in refs):
            parts.append(f"{verb} {_kind_word(kind)} {', '.join(ids)}" if len(ids) <= limit else f"{verb} {len(ids)} {_plural(kind)}")
    if diff.changed:
        if len(diff.changed) <= limit:
            parts.extend(f"changed {_kind_word(c.kind)} {c.id} ({', '.join(c.fields)})" for c in diff.changed)
        else:
            counts = ", ".join(
                f"{len(ids)} {_plural(k) if len(ids) > 1 else _kind_word(k)}" for k, ids in _by_kind((c.kind, c.id) for c in diff.changed)
            )
            parts.append(f"changed {counts}")
    for section in ("product", "support"):
        fields = getattr(diff, section)
        if fields:
            parts.append(f"{section} {', '.join(fields)} changed")
    if not parts:
        return "No change to the published model."
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def _by_kind(pairs: Iterable[tuple[str, str]]) -> Iterator[tuple[str, list[str]]]:
    grouped: dict[str, list[str]] = {}
    for kind, iid in pairs:
        grouped.setdefault(kind, []).append(iid)
    yield from grouped.items()


def _plural(kind: str) -> str:
    word = _kind_word(kind)
    return {"out-of-scope entry": "out-of-scope entries", "asset": "assets"}.get(word, word + "s")


# ------------------------------------------------------------------------------------- history


def record_history(model: Model, previous: Model, diff: Diff | None = None) -> Diff:
    """Carry the previous version's history into *model* and add an entry for this version.

    Entries the device maker wrote keep their wording; a missing or empty entry for the current
    version gets a summary generated from the diff.
    """
    diff = diff or diff_models(previous, model)
    entries: dict[str, HistoryEntry] = {}
    for e in previous.document.history:
        entries.setdefault(e.version, e.model_copy())
    prev = previous.document
    if prev.version not in entries:
        entries[prev.version] = HistoryEntry(version=prev.version, date=prev.date, summary="Previously published version.")
    for e in model.document.history:
        if e.summary or e.version not in entries:
            entries[e.version] = e.model_copy()
    doc = model.document
    current = entries.get(doc.version)
    if doc.version != prev.version and (current is None or not current.summary):
        # a removed item is named by its id alone: it may have been withheld from this version, and its
        # title is what redaction withheld (the previous version's reader knows the id)
        told = diff.model_copy()
        gone = {r.id for r in diff.removed}
        told._labels = {k: v for k, v in diff._labels.items() if k not in gone}
        entries[doc.version] = HistoryEntry(
            version=doc.version, date=doc.date or (current.date if current else None), summary=summary(told)
        )
    doc.history = list(entries.values())
    return diff


# ---------------------------------------------------------------------------------- renderings


def read_model(path: Path) -> Model:
    """Load a model to compare: schema errors stop it, dangling references do not matter here."""
    from mdptm.model.validate import validate_data

    data = read_structured(path)
    if not isinstance(data, dict):
        raise InputError("the top level must be a mapping (an mdptm/1 model)", file=str(path))
    try:
        return Model.model_validate(data)
    except ValidationError:
        problems = [p for p in validate_data(data)[1] if p.kind == "schema"]
        first = problems[0]
        raise InputError(first.message, file=str(path), locator=first.pointer or "/") from None


def render_json(diff: Diff) -> str:
    return json.dumps(diff.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def render_text(diff: Diff) -> str:
    lines = [f"{diff.old.product} {diff.old.version} → {diff.new.product} {diff.new.version}"]
    if diff.is_empty() and not diff.document:
        lines.append("no change to the published model")
    for title, refs, mark in (("Added", diff.added, "+"), ("Removed", diff.removed, "-")):
        if refs:
            lines.append(f"{title} ({len(refs)})")
            lines.extend(f"  {mark} {_named(diff, r.kind, r.id)}" for r in refs)
    if diff.changed:
        lines.append(f"Changed ({len(diff.changed)})")
        for ch in diff.changed:
            lines.append(f"  ~ {_named(diff, ch.kind, ch.id)}")
            lines.extend(f"      {field_change(k, v[0], v[1])}" for k, v in ch.fields.items())
    for section in SECTIONS:
        fields: dict[str, list[JsonValue]] = getattr(diff, section)
        if fields:
            lines.append(f"{section.capitalize()}")
            lines.extend(f"  ~ {field_change(k, v[0], v[1])}" for k, v in fields.items())
    if diff.triggers:
        lines.append("Suggested update triggers")
        for t in diff.triggers:
            lines.append(f"  * {t.title}: {t.advice}" if t.advice else f"  * {t.title}")
            lines.extend(f"      - {r}" for r in t.reasons)
    return "\n".join(lines) + "\n"


def diff_doc(diff: Diff, catalogue: TriggerCatalogue | None = None) -> Doc:
    """The diff as a document (rendered to Markdown by ``mdptm diff --format md``)."""
    doc = Doc(title=f"Changes to the threat model of {diff.new.product}", subtitle=f"Version {diff.old.version} → {diff.new.version}")
    doc.p(summary(diff))
    if diff.added or diff.removed:
        rows = [["added", r.kind, r.id, diff.label(r.id)] for r in diff.added]
        rows += [["removed", r.kind, r.id, diff.label(r.id)] for r in diff.removed]
        doc.h("Added and removed")
        doc.table(["Change", "Kind", "Id", "Title"], rows)
    if diff.changed:
        doc.h("Changed")
        rows = []
        for ch in diff.changed:
            rows.extend([f"{ch.kind} {ch.id}", k, *_cell(v[0], v[1], k)] for k, v in ch.fields.items())
        doc.table(["Item", "Field", "Before", "After"], rows)
    section_rows = [[section, k, *_cell(v[0], v[1], k)] for section in SECTIONS for k, v in getattr(diff, section).items()]
    if section_rows:
        doc.h("Product, document and support")
        doc.table(["Section", "Field", "Before", "After"], section_rows)
    if diff.triggers:
        doc.h("Suggested update triggers")
        for t in diff.triggers:
            doc.p(t.advice or t.paper, bold_prefix=f"{t.title}.")
            doc.bullets(t.reasons)
    manual = (catalogue or load_triggers()).manual()
    if manual:
        doc.p("Reasons to update that no diff can show: " + "; ".join(t.title for t in manual) + ".", style="note")
    return doc


def _cell(old: JsonValue, new: JsonValue, name: str) -> tuple[str, str]:
    if isinstance(old, list) and isinstance(new, list) and name not in ORDERED_LISTS:
        sa, sb = _as_set(old), _as_set(new)
        lost = [_value(v) for k, v in sa.items() if k not in sb]
        gained = [_value(v) for k, v in sb.items() if k not in sa]
        if name not in ("history", "signoffs"):
            return ("removed: " + ", ".join(lost) if lost else "", "added: " + ", ".join(gained) if gained else "")
    return _value(old), _value(new)


def render_md(diff: Diff) -> str:
    from mdptm.render.markdown import render

    return render(diff_doc(diff))


def render(diff: Diff, fmt: str) -> str:
    """``text``, ``json`` or ``md``."""
    if fmt == "json":
        return render_json(diff)
    if fmt == "md":
        return render_md(diff)
    if fmt == "text":
        return render_text(diff)
    raise InputError(f"unknown diff format {fmt!r} (text, json or md)")
