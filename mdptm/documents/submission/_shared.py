"""What every document of the submission set shares: its constants and fills, the regulatory wording
(``mappings/vocabulary/submission.yaml``), value wording, the id look-ups and the confidential front matter."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from mdptm.model import Control, Flow, Item, Model, Risk, Strict, Threat
from mdptm.model.evidence import is_placeholder, read_as_requirement, responsibility_shown, status_shown, verified, void_reason
from mdptm.model.index import ById, threats_by_control
from mdptm.model.premarket import (  # the set's file names: review checks name them too
    premarket_vocabulary,
)
from mdptm.model.vocabulary import category_title, enum_words, risk_scale, shipped
from mdptm.plugins import ExportContext
from mdptm.render.docir import Doc

# Files whose presence marks a folder as a public PTM package (SPEC §7).
PUBLIC_PACKAGE_FILES = ("ptm.docx", "ptm.xlsx", "ptm.json", "ptm.otm.json", "index.html")

CONFIDENTIAL = "CONFIDENTIAL"
RISK_LEVELS = ("low", "medium", "high", "critical")
OPEN_STATUSES = ("open", "partially_mitigated")

# Cell fills (RRGGBB): a gap, something to look at, fine; risk levels as in the public PTM.
GAP_FILL = "F4CCCC"
WARN_FILL = "FFF2CC"
OK_FILL = "D9EAD3"
HEADER_FILL = "1F3864"
LABEL_FILLS = {"answered": OK_FILL, "partial": WARN_FILL, "missing": GAP_FILL}
CLAUSE_FILLS = {"covered": OK_FILL, "partial": WARN_FILL, "gap": GAP_FILL, "not_applicable": "EEEEEE"}

XLSX_CELL_LIMIT = 32767
MAX_IMAGE_CM = 16.0


# ------------------------------------------------------------------------------------ vocabulary


class ViewKindText(Strict):
    title: str
    citation: str
    purpose: str


class CraStatusText(Strict):
    applies: str
    verdict: str


class Vocabulary(Strict):
    """Regulatory wording of the submission documents (``mappings/vocabulary/submission.yaml``)."""

    schema_version: int
    view_kinds: dict[str, ViewKindText]
    cra_status: dict[str, CraStatusText]
    cra_scope: dict[str, str]
    cra_category: dict[str, str]
    citations: dict[str, str]


def vocabulary() -> Vocabulary:
    return shipped("submission", Vocabulary)


def level_fill(level: str) -> str:
    """The colour of a risk level (``risk-scale.yaml``), as in the public PTM."""
    return {str(k): v for k, v in risk_scale().level_colours.items()}[level]


def category_label(category: str) -> str:
    return category_title(category, fda=True)


def _words(value: str | None) -> str:
    """An enum value as words: ``information_disclosure`` → ``Information disclosure``, ``phi`` → ``PHI``."""
    return enum_words(value)


# A threat or control status the source does not state: mdptm reads the threat as open and the control as
# implemented, but the submission set shows neither reading as the device maker's statement.
STATUS_NOT_STATED = "status_not_stated"
CONTROL_STATUS_NOT_STATED = "Not stated in the source"
THREAT_STATUS_ORDER = ("mitigated", "partially_mitigated", "accepted", "transferred", "open", STATUS_NOT_STATED, "not_applicable")


def threat_status(t: Threat) -> str:
    """A threat's status as the source states it: ``Status not stated`` when it states none."""
    return _words(t.stated_status())


# A mitigation a modelling tool's template offers for a generated threat (TMT's "Possible Mitigation(s)"): the
# importer tags it and reads it as not implemented, but nobody decided anything about it.
SUGGESTED = "suggested"
CONTROL_SUGGESTED = "Suggested by the modelling tool (no decision recorded)"


def _suggested(c: Control) -> bool:
    return SUGGESTED in c.tags and c.status == "not_implemented"


def control_status(c: Control) -> str:
    """A control's status as the source states it: ``Not stated in the source`` when it states none, and a
    modelling tool's suggestion as such (not as the maker's decision not to implement it)."""
    if _suggested(c):
        return CONTROL_SUGGESTED
    shown = status_shown(c)  # "Verification did not pass (TC-202: Fail …)": never "Implemented"
    if shown is not None:
        return shown
    return _words(c.status) if c.status_stated else CONTROL_STATUS_NOT_STATED


def control_status_key(c: Control) -> str:
    """The status a count groups the control under: its own, ``suggested`` or ``status_not_stated``."""
    if _suggested(c):
        return SUGGESTED
    if c.status == "implemented" and (c.verification_failed or (c.status_stated and void_reason(c.title, c.description))):
        return "not_implemented"  # counted with the controls not in place, never as implemented
    return c.status if c.status_stated and not read_as_requirement(c) else STATUS_NOT_STATED


def responsibility_text(c: Control) -> str:
    """Who runs the control, as the source states it."""
    return responsibility_shown(c, _words, " (not stated in the source)")


# Readers of documents people write (Word, Excel, CSV, Markdown): what they keep in ``extra`` is the author's
# own columns and labelled lines. A modelling tool's file (TMT, Threat Dragon, OTM) keeps the tool's fields there
# (ids, diagram names, the template's generic descriptions and default priorities), which are not the maker's word.
AUTHORED_IMPORTERS = frozenset({"docx", "xlsx", "csv", "markdown"})


def stated(value: str | None, missing: str) -> tuple[str, bool]:
    """A fact as the set shows it, and whether it is a gap: blank reads *missing*; a placeholder ("TBD", "N/A") is
    shown as written and said to state nothing, so it never reads as a stated fact."""
    text = (value or "").strip()
    if not text:
        return missing, True
    if is_placeholder(text):
        return f"{text} (a placeholder: not stated)", True
    return text, False


def verification_text(c: Control) -> str:
    """The verification a control cites, with entries that cite no test done ("TBD", "Planned pen test") marked as
    no evidence, so a placeholder never reads as evidence (``evidence.verified``, as the review and the PTM read it)."""
    said = [v.strip() for v in c.verification if v.strip()]
    if not said:
        return "none recorded"
    if not verified(said):
        return f"none done (the source says: {'; '.join(said)})"
    return "; ".join(verification_entries(c))


def verification_entries(c: Control) -> list[str]:
    """Each verification entry a control cites, one that cites no test done marked "(no evidence)", so that a
    cell headed "Verification evidence" never shows "TBD" or "Planned pen test" as evidence."""
    said = [v.strip() for v in c.verification if v.strip()]
    done = set(verified(said))
    return [v if v in done else f"{v} (no evidence)" for v in said]


def unverified(c: Control) -> bool:
    """A control counted as in place (implemented, or listed with no status) that cites no verification done."""
    return (c.status == "implemented" or not c.status_stated) and not verified(c.verification)


def unverified_gap(c: Control) -> str:
    """The gap of such a control, with what the source cites instead of evidence."""
    said = [v.strip() for v in c.verification if v.strip()]
    return "no verification evidence" + (f" (the source says: {'; '.join(said)})" if said else "")


def sensitivity_rows(item: Item) -> list[list[str]]:
    """A row saying the public PTM withholds *item* (its sensitivity is not public), so the confidential set shows
    reviewers what the published package leaves out; none for a public item."""
    if item.sensitivity == "public":
        return []
    return [["Sensitivity", f"{_words(item.sensitivity)} — withheld or summarised in the public PTM"]]


def source_rows(item: Item) -> list[list[str]]:
    """What else the author wrote of an item (its other columns or labelled lines, kept in ``extra``), word for word:
    a reviewer sees the source's own treatment, owner, dates or "N/A" rather than only what mdptm read from it.
    Only plain values: structured import detail (properties, positions) stays in the model."""
    if item.source is None or item.source.importer not in AUTHORED_IMPORTERS:
        return []
    return _plain_rows(item.extra)


def _plain_rows(extra: Mapping[str, object]) -> list[list[str]]:
    rows = []
    for key, value in extra.items():
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            continue
        text = " ".join(str(value).split())
        if text:
            rows.append([f"In the source: {key}", text])
    return rows


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def risk_text(risk: Risk | None) -> str:
    """A risk rating in one line, keeping the source's own labels."""
    if risk is None:
        return "not rated"
    detail = []
    if risk.likelihood:
        axis = "exploitability" if risk.likelihood_basis == "exploitability" else "likelihood"
        detail.append(f"{axis} {risk.likelihood}")
    if risk.severity:
        detail.append(f"severity {risk.severity}")
    if risk.score is not None:
        detail.append(f"score {risk.score:g}")
    head = risk.level.capitalize() if risk.level else "Level not stated"
    if not detail and not risk.level:
        return "not rated"
    return head + (f" ({', '.join(detail)})" if detail else "")


def _level(risk: Risk | None) -> str | None:
    return risk.level if risk is not None else None


def level_text(risk: Risk | None) -> str:
    """A rating's level as a table column shows it ("High", as every table of the set writes it); without one,
    "Not rated" (or "Level not stated" beside a likelihood, severity or score), as ``risk_text`` says, never a dash."""
    lvl = _level(risk)
    if lvl:
        return lvl.capitalize()
    return "Not rated" if risk_text(risk) == "not rated" else "Level not stated"


# ------------------------------------------------------------------------------------ look-ups


class Index(ById):
    """Id look-ups over one model, built once (no quadratic scans)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        model = self.model
        self.items: dict[str, Item] = model.index()
        self.kind: dict[str, str] = {}
        for kind, item in model.items():
            self.kind.setdefault(item.id, kind)
        self.threats_of_control = threats_by_control(model)

    def label(self, item_id: str) -> str:
        """``ID name`` for any item; the bare id when it is not in the model."""
        item = self.items.get(item_id)
        if item is None:
            return item_id
        name = getattr(item, "title", None) or getattr(item, "name", None) or getattr(item, "text", None) or ""
        if isinstance(item, Flow) and not name:
            name = f"{self.name(item.source)} → {self.name(item.target)}"
        return f"{item_id} {name}".strip()

    def name(self, item_id: str) -> str:
        item = self.items.get(item_id)
        if item is None:
            return item_id
        return str(getattr(item, "name", None) or getattr(item, "title", None) or item_id)

    def labels(self, ids: Iterable[str]) -> str:
        return "; ".join(self.label(i) for i in ids)

    def ends(self, flow: Flow) -> str:
        arrow = "↔" if flow.bidirectional else "→"
        return f"{self.name(flow.source)} {arrow} {self.name(flow.target)}"


# ------------------------------------------------------------------------------ doc helpers


def _new_doc(title: str, model: Model, ctx: ExportContext, what: str) -> Doc:
    p = model.product
    version = " ".join(x for x in (p.model, p.version and f"version {p.version}") if x)
    sub = f"{p.name}{' — ' + version if version else ''} · {p.manufacturer}"
    doc = Doc(title=title, subtitle=sub, draft=ctx.draft, confidential=True, footer=f"{CONFIDENTIAL} — {p.name} — {what}")
    doc.p(
        f"{CONFIDENTIAL}. Prepared for regulatory submission; not for distribution to customers. "
        "This document is generated from the unredacted threat model.",
        style="note",
    )
    d = model.document
    facts = [f"Threat model version {d.version}"]
    if d.date:
        facts.append(f"dated {d.date}")
    facts.append(f"status {_words(d.status).lower()}")
    doc.p(", ".join(facts) + ".")
    return doc


def _paragraphs(doc: Doc, text: str | None) -> None:
    for para in (text or "").split("\n\n"):
        if para.strip():
            doc.p(" ".join(para.split()))


NOT_STATED = "not stated"


def _cite(key: str) -> str:
    return premarket_vocabulary().citations[key]
