"""Answer the FDA labelling recommendations from a model (SPEC §7, labeling-checklist.xlsx).

The recommendations and where the model answers each are data
(``mappings/vocabulary/fda-labeling.yaml``); this module only interprets its small, fixed set of
selectors, so a regulatory team can adjust the checklist without touching code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mdptm.model import Asset, Assumption, Control, Flow, Item, Model
from mdptm.model.evidence import affirmed, is_placeholder, void_reason
from mdptm.model.io import load_validated
from mdptm.model.results import FrameworkResult
from mdptm.model.vocabulary import vocabulary_file

LabelStatus = Literal["answered", "partial", "missing"]
LABEL_STATUSES: tuple[LabelStatus, ...] = ("answered", "partial", "missing")
_RANK: dict[LabelStatus, int] = {"missing": 0, "partial": 1, "answered": 2}
Collection = Literal["controls", "assumptions", "flows", "views", "assets", "elements", "threats"]
Section = Literal["support", "product", "document"]

_TEXT_FIELDS = ("id", "title", "name", "text", "description", "rationale")
_LIST_PREVIEW = 8
_ANSWER_NAMED = 10  # items named in an answer; 'Where in the model' lists every id


class Selector(BaseModel):
    """One place in the model that answers a recommendation."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    what: str
    from_: Collection | Section = Field(alias="from")
    field: str | None = None
    where: dict[str, list[str | bool | int]] = Field(default_factory=dict)
    has: list[str] = Field(default_factory=list)
    has_any: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    keywords_all: list[list[str]] = Field(default_factory=list)
    complete: list[str] = Field(default_factory=list)
    optional: bool = False


class LabelingItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    number: int
    title: str
    asks: str
    citation: str
    answers: list[Selector]


class LabelingCatalogue(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: int
    framework: str
    source: str
    items: list[LabelingItem]


@dataclass
class PlaceAnswer:
    """What one selector found."""

    selector: Selector
    found: list[str]  # item ids, or the dotted field path for support/product/document
    text: str  # a readable answer
    incomplete: list[str] = field(default_factory=list)  # ids of matches lacking a `complete` field
    placeholder: str | None = None  # what a support/product/document field reads when it states nothing ("TBD")

    @property
    def answered(self) -> bool:
        return bool(self.found)


@dataclass
class LabelingAnswer:
    item: LabelingItem
    status: LabelStatus
    places: list[PlaceAnswer]
    own_status: LabelStatus | None = None  # the checklist's own reading, when the mapping's verdict set the status

    @property
    def answer(self) -> str:
        return "\n".join(f"{p.selector.what}: {p.text}" for p in self.places if p.answered)

    @property
    def where(self) -> list[str]:
        out: list[str] = []
        for p in self.places:
            if not p.answered:
                continue
            if p.selector.from_ in ("support", "product", "document"):
                out.extend(p.found)
            else:
                out.append(f"{p.selector.from_}: {', '.join(p.found)}")
        return out

    @property
    def missing(self) -> list[str]:
        """What the model lacks: required places that found nothing, and matches lacking a field."""
        out = [
            f"{p.selector.what} ({p.selector.from_}.{p.selector.field} reads {p.placeholder!r}, a placeholder)"
            if p.placeholder is not None
            else p.selector.what
            for p in self.places
            if not p.answered and not p.selector.optional
        ]
        for p in self.places:
            if p.incomplete:
                fields = " or ".join(p.selector.complete)
                shown = ", ".join(p.incomplete[:_LIST_PREVIEW]) + (" ..." if len(p.incomplete) > _LIST_PREVIEW else "")
                out.append(f"{p.selector.what}: {len(p.incomplete)} lack {fields} ({shown})")
        if not out and self.own_status is not None and _RANK[self.status] < _RANK[self.own_status]:
            # what the checklist found is no answer to the mapping (placeholders, unstated statuses, denials)
            out.append("What the model states here is not counted by the fda-premarket mapping (see its verdict)")
        return out


def catalogue_path() -> Path:
    return vocabulary_file("fda-labeling")


@cache
def _load_cached(path: str) -> LabelingCatalogue:
    return load_validated(Path(path), LabelingCatalogue)


def load_catalogue(path: Path | None = None) -> LabelingCatalogue:
    """The labelling recommendations (the shipped file unless *path* is given)."""
    return _load_cached(str(path or catalogue_path()))


def _filled(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | dict | tuple):
        return bool(value)
    return True


def _word_pattern(words: list[str]) -> re.Pattern[str]:
    alts = "|".join(re.escape(w.lower()) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{alts})(?![a-z0-9])")


def _item_text(item: object, *, lower: bool = True) -> str:
    parts = [str(getattr(item, f, "") or "") for f in _TEXT_FIELDS]
    parts.extend(getattr(item, "tags", []) or [])
    text = "\n".join(parts)
    return text.lower() if lower else text


def _matches_where(item: object, where: dict[str, list[str | bool | int]]) -> bool:
    for key, allowed in where.items():
        value = getattr(item, key, None)
        values = value if isinstance(value, list) else [value]
        if not any(v in allowed for v in values):
            return False
    return True


def asked_of(collection: str, item: object, field: str) -> bool:
    """Whether a labelling recommendation asks *item* of *collection* for *field* (``complete``, ``where``): the
    disposal of a PHI or credential asset is asked for (VI.A bullet 14), that of a firmware image is not."""
    return any(
        sel.from_ == collection and field in sel.complete and _matches_where(item, sel.where)
        for entry in load_catalogue().items
        for sel in entry.answers
    )


def _describe(kind: str, item: Item, names: dict[str, str]) -> str:
    if kind == "flows" and isinstance(item, Flow):
        ends = f"{names.get(item.source, item.source)} → {names.get(item.target, item.target)}"
        if item.bidirectional:
            ends = ends.replace("→", "↔")
        proto = "/".join(x for x in (item.protocol, item.port) if x) or "protocol and port not stated"
        label = f" ({item.name})" if item.name else ""
        return f"{item.id}{label}: {ends}, {proto}"
    if kind == "assumptions" and isinstance(item, Assumption):
        return f"{item.id}: {item.text}"
    if kind == "assets" and isinstance(item, Asset) and item.disposal:
        return f"{item.id} {item.name} (disposal: {item.disposal})"
    label = getattr(item, "title", None) or getattr(item, "name", None) or ""
    return f"{item.id} {label}".strip()


def _place(model: Model, sel: Selector, names: dict[str, str]) -> PlaceAnswer:
    if sel.from_ in ("support", "product", "document"):
        section = getattr(model, sel.from_)
        value = getattr(section, sel.field or "", None)
        if _filled(value) and isinstance(value, str) and is_placeholder(value):
            return PlaceAnswer(sel, [], "", placeholder=value.strip())  # "TBD" answers nothing: shown as missing
        if _filled(value):
            return PlaceAnswer(sel, [f"{sel.from_}.{sel.field}"], str(value).strip())
        return PlaceAnswer(sel, [], "")
    items = getattr(model, sel.from_)
    any_kw = _word_pattern(sel.keywords) if sel.keywords else None
    all_kw = [_word_pattern(group) for group in sel.keywords_all if group]
    found: list[Item] = []
    for item in items:
        if not _matches_where(item, sel.where):
            continue
        if sel.has and not all(_filled(getattr(item, f, None)) for f in sel.has):
            continue
        if sel.has_any and not any(_filled(getattr(item, f, None)) for f in sel.has_any):
            continue
        if isinstance(item, Control) and (item.status == "not_implemented" or void_reason(item.title, item.description)):
            continue  # "Encryption is not used", "TBD", "See vendor documentation": it answers nothing
        if any_kw or all_kw:
            text = _item_text(item)
            if any_kw and not any_kw.search(text):
                continue
            if not all(p.search(text) for p in all_kw):
                continue
            # a keyword in a denied clause is no answer ("There is no backup of the settings"), as for the mapping
            said = _item_text(item, lower=False)
            if (sel.keywords and not affirmed(said, sel.keywords)) or not all(affirmed(said, g) for g in sel.keywords_all if g):
                continue
        found.append(item)
    incomplete = [i.id for i in found if sel.complete and not all(_filled(getattr(i, f, None)) for f in sel.complete)]
    shown = []
    for i in found:
        text = _describe(sel.from_, i, names)
        lacking = [f for f in sel.complete if not _filled(getattr(i, f, None))]
        if lacking and not text.endswith("not stated"):  # an asset listed without its disposal answers nothing of it
            text += f" ({' and '.join(lacking)} not stated)"
        shown.append(text)
    if sel.from_ == "flows":  # the list of ports and interfaces is itself the answer: all of it, one a line
        text = "\n" + "\n".join(shown) if shown else ""
    else:
        text = "; ".join(shown[:_ANSWER_NAMED]) + (f"; and {len(shown) - _ANSWER_NAMED} more" if len(shown) > _ANSWER_NAMED else "")
    return PlaceAnswer(sel, [i.id for i in found], text, incomplete)


def _status(places: list[PlaceAnswer]) -> LabelStatus:
    required = [p for p in places if not p.selector.optional]
    if not any(p.answered for p in places):
        return "missing"
    if required and all(p.answered and not p.incomplete for p in required):
        return "answered"
    return "partial"


def answer_labeling(model: Model, catalogue: LabelingCatalogue | None = None) -> list[LabelingAnswer]:
    """Each labelling recommendation with its status and the model's answer, in catalogue order."""
    cat = catalogue or load_catalogue()
    names = {e.id: e.name for e in model.elements}
    out = []
    for item in sorted(cat.items, key=lambda i: i.number):
        places = [_place(model, sel, names) for sel in item.answers]
        out.append(LabelingAnswer(item, _status(places), places))
    return out


# The mapping verdict of a labelling clause, in the checklist's words.
VERDICT_STATUS: dict[str, LabelStatus] = {"covered": "answered", "partial": "partial", "gap": "missing"}


def agree_with_mapping(answers: list[LabelingAnswer], fw: FrameworkResult | None) -> list[LabelingAnswer]:
    """The checklist's status set by the fda-premarket mapping verdict of the same item, so the checklist,
    the coverage and the PTM state one verdict on the same facts (placeholders, denials and text-only
    matches included). Items the mapping lacks, or sets not applicable, keep their own status."""
    if fw is None:
        return answers
    verdicts = {c.id: c.status for c in fw.clauses}
    out = []
    for a in answers:
        status = VERDICT_STATUS.get(verdicts.get(a.item.id, ""))
        out.append(replace(a, status=status, own_status=a.status) if status is not None else a)
    return out
