"""What the chapters of the PTM share: titles and limits, the id look-ups, the build they write into and
small text helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from mdptm.model import Flow, Model
from mdptm.model.evidence import authentication_shown
from mdptm.model.index import ById, threats_by_control, views_by_threat
from mdptm.model.vocabulary import enum_words
from mdptm.plugins import Audience, ExportContext
from mdptm.render.docir import Doc, Table

QUESTIONS = (
    "What are we working on?",
    "What can go wrong?",
    "What are we going to do about it?",
    "Did we do a good job?",
)
VIEW_TITLES = {
    "global_system": "Global System View",
    "multi_patient_harm": "Multi-Patient Harm View",
    "updatability_patchability": "Updatability/Patchability View",
    "security_use_case": "Security Use Case View",
}
STATUS_TITLES = {
    "mitigated": "Mitigated",
    "partially_mitigated": "Partly mitigated",
    "accepted": "Accepted",
    "transferred": "Transferred",
    "open": "Open",
    "not_applicable": "Not applicable",
    "status_not_stated": "Status not stated",
}
CLAUSE_TITLES = {"covered": "Covered", "partial": "Partly covered", "gap": "Gap", "not_applicable": "Not applicable"}
RESPONSIBILITY_TITLES = {
    "manufacturer": "Manufacturer",
    "customer": "Hospital (customer)",
    "shared": "Shared",
    "third_party": "Third party",
}
LEVEL_ORDER = {"low": 1, "medium": 2, "high": 3, "critical": 4}
MAX_GROUPS = 60  # past this many threat groups, one register table reads better than many headings
MAX_VIEW_DIAGRAMS = 24

Layout = Literal["grouped", "register"]


@dataclass
class TitledTable(Table):
    """A table whose listed columns open with a title line, which renderers set in bold."""

    bold_first_line: tuple[int, ...] = ()


def label(value: str | None) -> str:
    """An enum value as words: ``information_disclosure`` → ``Information disclosure``, ``pii`` → ``PII``."""
    return enum_words(value)


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


class _Index(ById):
    """Id lookups over the model, built once (no quadratic scans)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        m = self.model
        self.threats_by_control = threats_by_control(m)
        self.views_by_threat = views_by_threat(m)

    def name(self, item_id: str) -> str:
        """A referenced item by its name and id; an unknown id stays visible as itself."""
        for table in (self.elements, self.flows, self.assets, self.zones, self.views):
            item = table.get(item_id)
            if item is not None:
                nm = getattr(item, "name", "") or ""
                return f"{nm} ({item_id})" if nm and nm != item_id else item_id
        for ctable in (self.controls, self.threats):
            titled = ctable.get(item_id)
            if titled is not None:
                return f"{item_id} {titled.title}"
        return item_id

    def names(self, ids: Iterable[str]) -> str:
        return "; ".join(self.name(i) for i in ids)

    def route(self, f: Flow) -> str:
        a = self.elements[f.source].name if f.source in self.elements else f.source
        b = self.elements[f.target].name if f.target in self.elements else f.target
        return f"{a} {'↔' if f.bidirectional else '→'} {b}"


class Build:
    """The state one PTM build shares between its chapters: the model, the context, the id look-ups, the
    document being written and the pictures drawn so far."""

    def __init__(self, model: Model, ctx: ExportContext, workdir: Path, layout: Layout = "grouped"):
        self.m = model
        self.ctx = ctx
        self.work = workdir
        self.layout = layout
        self.ix = _Index(model)
        p = model.product
        title = model.document.title or f"{p.name} Public Threat Model"
        ident = " ".join(x for x in (p.name, p.model, f"version {p.version}" if p.version else None) if x)
        self.doc = Doc(
            title=title,
            subtitle=f"{ident} · {p.manufacturer}",
            draft=ctx.draft,
            confidential=ctx.audience == Audience.INTERNAL,  # an unredacted model exported as is
            footer=f"{p.manufacturer} · {title} · version {model.document.version}",
        )
        self.figure_cache: dict[str, Path | None] = {}

    def figure(self, key: str, make: Callable[[Path], Path | None]) -> Path | None:
        """Draw each picture once per build; HTML and Word share the files."""
        if key not in self.figure_cache:
            path = self.work / f"{key}.png"
            self.figure_cache[key] = path if path.exists() else make(path)
        return self.figure_cache[key]


class Chapter:
    """One part of the document, written into the build it shares with the others."""

    def __init__(self, build: Build):
        self.m = build.m
        self.ctx = build.ctx
        self.ix = build.ix
        self.doc = build.doc
        self.layout = build.layout
        self._figure = build.figure


# ---------------------------------------------------------------------------------- small helpers


def _id_list(ids: Sequence[str], limit: int = 12) -> str:
    """A readable list of evidence ids; long ones are cut (the workbook has them all)."""
    if not ids:
        return "—"
    if len(ids) <= limit:
        return ", ".join(ids)
    return ", ".join(ids[:limit]) + f" and {len(ids) - limit} more (all in ptm.xlsx)"


def _titled(title: str, description: str | None) -> str:
    """Title, then the description when it says more than the title."""
    desc = (description or "").strip()
    if not desc or desc.rstrip(".").strip().lower() == title.rstrip(".").strip().lower():
        return title
    return f"{title}\n{desc}"


def _short(value: object, limit: int = 60) -> str:
    text = "—" if value in (None, "", []) else (", ".join(map(str, value)) if isinstance(value, list) else str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _security_text(value: str | None) -> str:
    """``None`` means the model does not say; ``"none"`` means there is none (SPEC §2)."""
    if value is None or not value.strip():
        return "unknown"
    return value


def _authentication_text(value: str | None) -> str:
    """A flow's authentication, saying what is in place ("none in place (Mutual TLS (planned))"), or "unknown"."""
    return authentication_shown(value) if value and value.strip() else "unknown"


def _join_words(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _cra_scope_text(scope: str, category: str | None) -> str:
    text = {
        "in_scope": "In scope",
        "excluded_mdr_ivdr": "Outside the CRA (regulated under the EU MDR/IVDR); CRA mapping given as a benchmark",
        "unknown": "Scope not assessed",
    }.get(scope, label(scope))
    if category and scope == "in_scope":
        text += f" ({label(category)})"
    return text
