"""The submission audience (SPEC §7): the confidential documentation set for regulators.

The same model that feeds the public PTM holds what the FDA premarket cybersecurity section and the
CRA technical file ask for. This module writes that set, unredacted, into ``OUT/submission/``:
the architecture views, the risk assessment, the threat → control → evidence traceability, the FDA
labelling checklist and the CRA Annex I applicability, plus a manifest. Every page says
CONFIDENTIAL; nothing here is ever placed inside a public package.

Word documents are assembled as :mod:`mdptm.render.docir` blocks and rendered by
:mod:`mdptm.render.docx`; the two workbooks are written here with openpyxl.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import BaseModel, ConfigDict

from mdptm.base.office import save_workbook
from mdptm.base.output import staged_dir, write_manifest
from mdptm.documents.labeling import LABEL_STATUSES, LabelingAnswer, agree_with_mapping, answer_labeling
from mdptm.errors import BlockingError, InputError
from mdptm.model import (
    CONTROL_CATEGORIES,
    STRIDE_ORDER,
    VIEW_KINDS,
    Asset,
    Control,
    Element,
    Flow,
    Item,
    Model,
    Risk,
    Threat,
    View,
    ViewKind,
)
from mdptm.model.index import threats_by_control
from mdptm.model.io import dumps, load_validated
from mdptm.model.premarket import (  # the set's file names: review checks name them too
    ARCHITECTURE,
    CRA,
    FILES,
    INDEX,
    LABELING,
    LIFECYCLE,
    RISK,
    SUBMISSION_DIR,
    TRACEABILITY,
)
from mdptm.model.results import ClauseResult, Coverage, FrameworkResult
from mdptm.plugins import Audience, ExportContext
from mdptm.render.docir import Doc, Image, Table
from mdptm.resources import mappings_dir
from mdptm.review.engine import publish_blockers

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
LEVEL_FILLS = {"low": "C8E6C9", "medium": "FFE082", "high": "FFB74D", "critical": "EF9A9A"}
LABEL_FILLS = {"answered": OK_FILL, "partial": WARN_FILL, "missing": GAP_FILL}
CLAUSE_FILLS = {"covered": OK_FILL, "partial": WARN_FILL, "gap": GAP_FILL, "not_applicable": "EEEEEE"}

XLSX_CELL_LIMIT = 32767
MAX_IMAGE_CM = 16.0


# ------------------------------------------------------------------------------------ vocabulary


class ViewKindText(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    citation: str
    purpose: str


class CraStatusText(BaseModel):
    model_config = ConfigDict(extra="forbid")
    applies: str
    verdict: str


class Vocabulary(BaseModel):
    """Regulatory wording of the submission documents (``mappings/vocabulary/submission.yaml``)."""

    model_config = ConfigDict(extra="forbid")
    schema_version: int
    view_kinds: dict[str, ViewKindText]
    control_categories: dict[str, str]
    cra_status: dict[str, CraStatusText]
    cra_scope: dict[str, str]
    cra_category: dict[str, str]
    citations: dict[str, str]


@cache
def vocabulary() -> Vocabulary:
    path = mappings_dir() / "vocabulary" / "submission.yaml"
    return load_validated(path, Vocabulary)


def category_label(category: str) -> str:
    return vocabulary().control_categories.get(category, _words(category))


def _words(value: str | None) -> str:
    """An enum value as words: ``information_disclosure`` → ``Information disclosure``."""
    if not value:
        return ""
    return value.replace("_", " ").capitalize()


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


# ------------------------------------------------------------------------------------ look-ups


class Index:
    """Id look-ups over one model, built once (no quadratic scans)."""

    def __init__(self, model: Model):
        self.model = model
        self.items: dict[str, Item] = model.index()
        self.kind: dict[str, str] = {}
        for kind, item in model.items():
            self.kind.setdefault(item.id, kind)
        self.elements = {e.id: e for e in model.elements}
        self.flows = {f.id: f for f in model.flows}
        self.assets = {a.id: a for a in model.assets}
        self.threats = {t.id: t for t in model.threats}
        self.controls = {c.id: c for c in model.controls}
        self.zones = {z.id: z for z in model.trust_zones}
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


def _ordered(ids: Iterable[str], order: Sequence[str]) -> list[str]:
    """*ids* in model order (*order*), unknown ones dropped."""
    wanted = set(ids)
    return [i for i in order if i in wanted]


# ------------------------------------------------------------------------------ view scope


@dataclass
class ViewScope:
    """What one architecture view shows: its items, in model order."""

    view: View
    elements: list[Element]
    flows: list[Flow]
    assets: list[Asset]
    threats: list[Threat]
    controls: list[Control]
    derived: str | None = None  # why the view was derived from the model instead of read from it


def view_scope(ix: Index, view: View, derived: str | None = None) -> ViewScope:
    """The elements, flows, assets, threats and controls a view covers.

    Elements are those listed, the endpoints of listed flows and the element targets of listed
    threats; without listed flows, the flows between those elements. Threats are those listed, or,
    when none are, every threat aimed at the view's elements or flows. Controls are those listed plus
    the controls of the view's threats. The diagram draws the same elements and flows.
    """
    m = ix.model
    want_e: dict[str, None] = dict.fromkeys(e for e in view.elements if e in ix.elements)
    want_f: dict[str, None] = dict.fromkeys(f for f in view.flows if f in ix.flows)
    for tid in view.threats:
        t = ix.threats.get(tid)
        for target in t.targets if t else ():
            if target in ix.elements:
                want_e.setdefault(target)
            elif target in ix.flows:
                want_f.setdefault(target)
    for fid in list(want_f):
        want_e.setdefault(ix.flows[fid].source)
        want_e.setdefault(ix.flows[fid].target)
    if not view.flows:
        for f in m.flows:
            if f.source in want_e and f.target in want_e:
                want_f.setdefault(f.id)
    elements = [e for e in m.elements if e.id in want_e]
    flows = [f for f in m.flows if f.id in want_f]
    if view.threats:
        threat_ids = set(view.threats)
    else:
        on_view = set(want_e) | set(want_f)
        threat_ids = {t.id for t in m.threats if on_view.intersection(t.targets)}
    threats = [t for t in m.threats if t.id in threat_ids]
    control_ids = set(view.controls)
    for t in threats:
        control_ids.update(t.controls)
    controls = [c for c in m.controls if c.id in control_ids]
    asset_ids: set[str] = set()
    for a in m.assets:
        if want_e.keys() & set(a.stored_in):
            asset_ids.add(a.id)
    for f in flows:
        asset_ids.update(f.data)
    for t in threats:
        asset_ids.update(t.assets)
    assets = [a for a in m.assets if a.id in asset_ids]
    return ViewScope(view, elements, flows, assets, threats, controls, derived)


def _derived_view(ix: Index, kind: ViewKind) -> ViewScope | None:
    """A stand-in for a view kind the model lacks, built from what the model does say."""
    m = ix.model
    title = vocabulary().view_kinds[kind].title
    if kind == "global_system":
        view = View(id="derived-global-system", kind=kind, name=title, elements=[e.id for e in m.elements], flows=[f.id for f in m.flows])
        return view_scope(ix, view, "every element and flow of the model")
    if kind == "multi_patient_harm":
        threats = [t.id for t in m.threats if t.multi_patient]
        if not threats:
            return None
        view = View(id="derived-multi-patient-harm", kind=kind, name=title, threats=threats)
        return view_scope(ix, view, "the threats flagged as able to harm many patients at once")
    if kind == "updatability_patchability":
        firmware = {a.id for a in m.assets if a.kind == "firmware"}
        flows = [f.id for f in m.flows if firmware.intersection(f.data)]
        controls = [c.id for c in m.controls if c.category == "updatability_patchability"]
        elements = list(dict.fromkeys(e for a in m.assets if a.kind == "firmware" for e in a.stored_in if e in ix.elements))
        if not flows and not controls and not elements:
            return None
        threats = [t.id for t in m.threats if firmware.intersection(t.assets) or set(controls).intersection(t.controls)]
        view = View(
            id="derived-updatability-patchability",
            kind=kind,
            name=title,
            elements=elements,
            flows=flows,
            threats=threats,
            controls=controls,
        )
        return view_scope(ix, view, "the flows and elements that carry or hold firmware and the update controls")
    return None


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


def _elements_table(doc: Doc, ix: Index, elements: Sequence[Element], caption: str) -> None:
    if not elements:
        doc.p("No elements are listed for this view.", style="note")
        return
    rows = [
        [e.id, e.name, _words(e.kind), ix.name(e.trust_zone) if e.trust_zone else "—", " ".join(e.description.split())] for e in elements
    ]
    doc.table(["ID", "Element", "Kind", "Trust zone", "Description"], rows, caption=caption, widths=[1.3, 2.3, 1.5, 1.8, 3.9])


def _flows_table(doc: Doc, ix: Index, flows: Sequence[Flow], caption: str) -> None:
    if not flows:
        doc.p("No data flows are listed for this view.", style="note")
        return
    rows: list[list[str]] = []
    fills: dict[tuple[int, int], str] = {}
    for r, f in enumerate(flows):
        proto = " / ".join(x for x in (f.protocol, f.port) if x) or "not stated"
        auth = f.authentication if f.authentication is not None else "unknown"
        enc = f.encryption if f.encryption is not None else "unknown"
        rows.append([f.id, f.name or "—", ix.ends(f), proto, ix.labels(f.data) or "—", auth, enc])
        for c, value in ((5, f.authentication), (6, f.encryption)):
            if value is None or value.strip().lower() in ("none", "no", ""):
                fills[(r, c)] = GAP_FILL if value is not None else WARN_FILL
    doc.table(
        ["ID", "Flow", "From → to", "Protocol / port", "Data", "Authentication", "Encryption"],
        rows,
        caption=caption,
        widths=[1.2, 1.7, 2.5, 1.6, 2.1, 1.8, 1.6],
        fills=fills,
    )


def _assets_table(doc: Doc, ix: Index, assets: Sequence[Asset], caption: str) -> None:
    if not assets:
        doc.p("No assets are recorded for this view.", style="note")
        return
    rows = []
    for a in assets:
        cia = "/".join(x[0].upper() if x else "–" for x in (a.confidentiality, a.integrity, a.availability))
        rows.append([a.id, a.name, _words(a.kind), cia, ", ".join(ix.name(s) for s in a.stored_in) or "—", a.disposal or "—"])
    doc.table(["ID", "Asset", "Kind", "C/I/A", "Stored in", "Disposal"], rows, caption=caption, widths=[1.2, 2.3, 1.6, 1.0, 2.3, 2.6])


def _threats_table(doc: Doc, threats: Sequence[Threat], caption: str) -> None:
    if not threats:
        doc.p("No threats are recorded for this view.", style="note")
        return
    rows, fills = [], {}
    for r, t in enumerate(threats):
        rows.append(
            [t.id, t.title, ", ".join(_words(s) for s in t.stride) or "—", risk_text(t.risk), risk_text(t.residual_risk), _words(t.status)]
        )
        for c, lvl in ((3, _level(t.risk)), (4, _level(t.residual_risk))):
            if lvl:
                fills[(r, c)] = LEVEL_FILLS[lvl]
        if t.status in OPEN_STATUSES:
            fills[(r, 5)] = GAP_FILL
    doc.table(
        ["ID", "Threat", "STRIDE", "Risk before controls", "Residual risk", "Status"],
        rows,
        caption=caption,
        widths=[1.2, 3.2, 1.8, 2.0, 2.0, 1.5],
        fills=fills,
    )


def _controls_table(doc: Doc, controls: Sequence[Control], caption: str) -> None:
    if not controls:
        doc.p("No controls are recorded for this view.", style="note")
        return
    rows, fills = [], {}
    for r, c in enumerate(controls):
        rows.append(
            [
                c.id,
                c.title,
                category_label(c.category),
                _words(c.responsibility),
                _words(c.status),
                "; ".join(c.verification) or "none recorded",
            ]
        )
        if c.status == "implemented" and not c.verification:
            fills[(r, 5)] = GAP_FILL
        elif c.status != "implemented":
            fills[(r, 4)] = WARN_FILL
    doc.table(
        ["ID", "Control", "FDA category", "Responsibility", "Status", "Verification"],
        rows,
        caption=caption,
        widths=[1.3, 2.8, 2.1, 1.7, 1.6, 2.2],
        fills=fills,
    )


def _fit_id_columns(doc: Doc) -> Doc:
    """Widen a table's id column to its longest id, so ``E-SAFETY`` is not broken across lines."""
    for block in doc.blocks:
        if isinstance(block, Table) and block.widths and block.header and block.header[0] in ("ID", "Clause"):
            longest = max((len(r[0]) for r in block.rows if r), default=0)
            block.widths[0] = max(block.widths[0], 0.16 * longest + 0.2)
    return doc


def _short(text: str | None, limit: int = 240) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ------------------------------------------------------------------ architecture-views.docx

DiagramFn = Callable[[Model, Path, View], Path | None]


def _multi_patient_rows(ix: Index, scopes: Sequence[ViewScope]) -> tuple[list[list[str]], dict[tuple[int, int], str]]:
    """Elements and flows that could affect many patients at once, and why."""
    m = ix.model
    reasons: dict[str, list[str]] = {}
    threats_on: dict[str, list[Threat]] = {}
    for t in m.threats:
        if not t.multi_patient:
            continue
        for target in t.targets:
            if target in ix.elements or target in ix.flows:
                threats_on.setdefault(target, []).append(t)
    for s in scopes:
        if s.derived:
            continue
        for item in (*s.elements, *s.flows):
            reasons.setdefault(item.id, []).append(f"in {s.view.name}")
    for target in threats_on:
        reasons.setdefault(target, []).append("target of a multi-patient threat")
    harm_rank = ("none", "negligible", "minor", "serious", "critical", "catastrophic")
    order = [e.id for e in m.elements] + [f.id for f in m.flows]
    rows: list[list[str]] = []
    fills: dict[tuple[int, int], str] = {}
    for r, item_id in enumerate(i for i in order if i in reasons):
        threats = threats_on.get(item_id, [])
        harms = [t.patient_harm for t in threats if t.patient_harm]
        worst = max(harms, key=harm_rank.index) if harms else None
        controls = list(dict.fromkeys(c for t in threats for c in t.controls))
        kind = "Flow" if item_id in ix.flows else "Element"
        rows.append(
            [
                item_id,
                ix.name(item_id),
                kind,
                "; ".join(dict.fromkeys(reasons[item_id])),
                ", ".join(t.id for t in threats) or "—",
                _words(worst) or "—",
                ", ".join(controls) or "—",
            ]
        )
        if threats and not controls:
            fills[(r, 6)] = GAP_FILL
    return rows, fills


def _multi_patient_section(doc: Doc, ix: Index, scopes: Sequence[ViewScope]) -> None:
    rows, fills = _multi_patient_rows(ix, scopes)
    doc.h("Elements and flows that could affect many patients at once", 2)
    if rows:
        doc.table(
            ["ID", "Name", "Kind", "Why", "Multi-patient threats", "Worst patient harm", "Controls"],
            rows,
            caption="Elements and flows with multi-patient reach",
            widths=[1.2, 2.0, 1.0, 2.4, 1.6, 1.4, 1.8],
            fills=fills,
        )
    else:
        doc.p(
            "The model flags no threat as able to harm many patients at once and has no multi-patient harm "
            "view listing elements or flows. State which elements could affect many patients, or why none can.",
            style="note",
        )


def _mph_sections(doc: Doc, ix: Index, scopes: Sequence[ViewScope]) -> None:
    """The Multi-Patient Harm chapter's opening: its reach, then how an attack is detected, answered and recovered from."""
    from mdptm.documents.premarket_docs import response_section

    _multi_patient_section(doc, ix, scopes)
    response_section(doc, [s.view for s in scopes if not s.derived])


def _view_chapter_body(
    doc: Doc, ix: Index, scope: ViewScope, diagrams: dict[str, Image], level: int, after_intro: Callable[[], None] | None = None
) -> None:
    """A view's text, steps, diagram and tables; *after_intro* adds what the view kind needs up front."""
    from mdptm.documents.premarket_docs import appendix2_section, view_states_line

    v = scope.view
    if scope.derived:
        doc.p(
            f"The model has no view of this kind. The tables below are derived from {scope.derived}. "
            "An FDA submission should include this view or justify its omission.",
            style="note",
        )
    _paragraphs(doc, v.description)
    if v.kind == "security_use_case":
        view_states_line(doc, ix.model, v)
    if v.steps:
        doc.h("Steps", level + 1)
        doc.bullets(list(v.steps), numbered=True)
    if after_intro is not None:
        after_intro()
    img = diagrams.get(v.id)
    if img is not None:
        doc.image(img.path, caption=f"{v.name} — diagram rendered from the threat model", width_cm=img.width_cm)
    elif not scope.elements:
        doc.p("No diagram: the view names no element to draw.", style="note")
    if v.diagram is not None:
        doc.p(f"Source diagram: {v.diagram.path}" + (f" — {v.diagram.caption}" if v.diagram.caption else ""), style="note")
    doc.h("Elements", level + 1)
    _elements_table(doc, ix, scope.elements, f"Elements — {v.name}")
    appendix2_section(doc, scope.elements, level + 1, f"Appendix 2 detail — {v.name}")
    doc.h("Data flows and interfaces", level + 1)
    _flows_table(doc, ix, scope.flows, f"Data flows — {v.name}")
    doc.h("Assets", level + 1)
    _assets_table(doc, ix, scope.assets, f"Assets — {v.name}")
    doc.h("Threats", level + 1)
    _threats_table(doc, scope.threats, f"Threats — {v.name}")
    doc.h("Security controls", level + 1)
    _controls_table(doc, scope.controls, f"Controls — {v.name}")


def architecture_doc(
    model: Model, ctx: ExportContext, diagrams: dict[str, Image] | None = None, scopes: dict[str, list[ViewScope]] | None = None
) -> Doc:
    """``architecture-views.docx``: one chapter per FDA view kind and one per security use case."""
    ix = Index(model)
    voc = vocabulary()
    scopes = scopes if scopes is not None else architecture_scopes(model)
    diagrams = diagrams or {}
    doc = _new_doc("Security architecture views", model, ctx, "Security architecture views")
    doc.p(
        f"This document gives the security architecture views of {voc.citations['architecture']} "
        "Each view shows its diagram and the elements, data flows, assets, threats and controls it covers."
    )
    summary: list[list[str]] = []
    fills: dict[tuple[int, int], str] = {}
    for kind in VIEW_KINDS:
        found = scopes.get(kind, [])
        names = "; ".join(s.view.name for s in found if not s.derived)
        if not names:
            names = "derived from the model" if found else "missing"
            fills[(len(summary), 1)] = WARN_FILL if found else GAP_FILL
        summary.append(
            [
                voc.view_kinds[kind].title,
                names,
                str(sum(len(s.elements) for s in found)),
                str(sum(len(s.flows) for s in found)),
                str(sum(len(s.threats) for s in found)),
            ]
        )
    doc.table(
        ["FDA view", "Views in the model", "Elements", "Flows", "Threats"],
        summary,
        caption="Views at a glance",
        widths=[2.6, 4.4, 1.0, 1.0, 1.0],
        fills=fills,
    )

    for kind in ("global_system", "multi_patient_harm", "updatability_patchability"):
        text = voc.view_kinds[kind]
        doc.h(text.title, 1)
        doc.p(f"{text.citation}: {text.purpose}", style="note")
        found = scopes.get(kind, [])
        reach = (lambda f=found: _mph_sections(doc, ix, f)) if kind == "multi_patient_harm" else None
        if reach is not None and len(found) != 1:
            reach()  # several views or none: the reach table opens the chapter
            reach = None
        if not found:
            doc.p(
                f"The model has no {text.title}, and none can be derived from it. An FDA submission should include "
                "this view or justify its omission.",
                style="note",
            )
            continue
        for s in found:
            if len(found) > 1:
                doc.h(s.view.name, 2)
            _view_chapter_body(doc, ix, s, diagrams, 2 if len(found) > 1 else 1, reach)

    from mdptm.documents.premarket_docs import states_section

    use_cases = scopes.get("security_use_case", [])
    text = voc.view_kinds["security_use_case"]
    doc.h(text.title, 1)
    doc.p(f"{text.citation}: {text.purpose}", style="note")
    states_section(doc, model)
    if use_cases:
        doc.p(
            f"The model defines {len(use_cases)} security use case view{'s' if len(use_cases) != 1 else ''}; "
            "each has its own chapter below."
        )
        rows = [
            [
                s.view.id,
                s.view.name,
                str(len(s.view.steps)),
                str(len(s.elements)),
                str(len(s.flows)),
                str(len(s.threats)),
                str(len(s.controls)),
            ]
            for s in use_cases
        ]
        doc.table(
            ["ID", "Security use case", "Steps", "Elements", "Flows", "Threats", "Controls"],
            rows,
            caption="Security use cases",
            widths=[1.0, 4.0, 0.8, 1.0, 0.8, 0.9, 1.0],
        )
    else:
        doc.p(
            "The model defines no security use case view. FDA expects one for each functionality whose compromise "
            "could affect safety or effectiveness.",
            style="note",
        )
    for s in use_cases:
        doc.h(f"Security Use Case View: {s.view.name}", 1)
        _view_chapter_body(doc, ix, s, diagrams, 1)
    return _fit_id_columns(doc)


def architecture_scopes(model: Model) -> dict[str, list[ViewScope]]:
    """Each FDA view kind with the scopes of its views (derived stand-ins where the model has none)."""
    ix = Index(model)
    out: dict[str, list[ViewScope]] = {}
    for v in model.views:
        out.setdefault(v.kind, []).append(view_scope(ix, v))
    for kind in VIEW_KINDS:
        if kind not in out:
            derived = _derived_view(ix, kind)
            if derived is not None:
                out[kind] = [derived]
    return out


# --------------------------------------------------------------------- risk-assessment.docx


def _scales(model: Model) -> list[list[str]]:
    """One row per risk scale the model uses: the labels seen on each axis, scores and levels."""
    seen: dict[str, dict[str, dict[str, None]]] = {}
    scores: dict[str, list[float]] = {}
    for t in model.threats:
        for r in (t.risk, t.residual_risk):
            if r is None:
                continue
            key = r.scale or "(scale not named)"
            entry = seen.setdefault(key, {"likelihood": {}, "severity": {}, "level": {}})
            if r.likelihood:
                entry["likelihood"].setdefault(r.likelihood)
            if r.severity:
                entry["severity"].setdefault(r.severity)
            if r.level:
                entry["level"].setdefault(r.level)
            if r.score is not None:
                scores.setdefault(key, []).append(r.score)
    rows = []
    for key, entry in seen.items():
        sc = scores.get(key, [])
        levels = [lvl for lvl in RISK_LEVELS if lvl in entry["level"]]
        rows.append(
            [
                key,
                ", ".join(entry["likelihood"]) or "—",
                ", ".join(entry["severity"]) or "—",
                f"{min(sc):g} – {max(sc):g}" if sc else "—",
                ", ".join(levels) or "—",
            ]
        )
    return rows


def _facts_table(doc: Doc, model: Model) -> None:
    p, d, reg = model.product, model.document, model.product.regulatory
    rows = [
        ["Product", p.name],
        ["Manufacturer", p.manufacturer],
        ["Model", p.model or "—"],
        ["Product version", p.version or "—"],
        ["Device type", p.device_type or "—"],
        ["Intended use", p.intended_use or "—"],
        ["FDA product code", reg.fda_product_code or "—"],
        ["Submission", " ".join(x for x in (reg.submission_type, reg.submission_number) if x) or "—"],
        [
            "Threat model",
            f"{d.title or 'Threat model'}, version {d.version}" + (f", {d.date}" if d.date else "") + f" ({_words(d.status).lower()})",
        ],
    ]
    doc.table([], rows, caption="Product and threat model", widths=[2.2, 7.8])


def _risk_with_scale(risk: Risk | None) -> str:
    return risk_text(risk) + (f" — scale: {risk.scale}" if risk is not None and risk.scale else "")


def _threat_detail(doc: Doc, ix: Index, t: Threat) -> None:
    doc.h(f"{t.id} {t.title}", 2)
    rows: list[list[str]] = [
        ["STRIDE", ", ".join(_words(s) for s in t.stride) or "not classified"],
        ["Targets", ix.labels(t.targets) or "none recorded"],
        ["Assets", ix.labels(t.assets) or "none recorded"],
        ["Risk before controls", _risk_with_scale(t.risk)],
        [
            "Controls",
            "; ".join(
                f"{ix.label(c)} ({_words(ix.controls[c].status).lower()})" if c in ix.controls else f"{c} (not in the model)"
                for c in t.controls
            )
            or "none",
        ],
        ["Residual risk", _risk_with_scale(t.residual_risk)],
        ["Patient harm", _words(t.patient_harm) or "not assessed"],
        ["Could harm many patients at once", _yes_no(t.multi_patient)],
        ["Status", _words(t.status)],
        ["Rationale", t.rationale or "none recorded"],
    ]
    refs = [x for x in (", ".join(t.cwe), ", ".join(t.capec)) if x]  # CVSS has a row of its own, read and scored
    if refs:
        rows.append(["References", "; ".join(refs)])
    if t.sensitivity != "public":
        rows.append(["Sensitivity", f"{_words(t.sensitivity)} — withheld or summarised in the public PTM"])
    fills: dict[tuple[int, int], str] = {}
    for r, lvl in ((3, _level(t.risk)), (5, _level(t.residual_risk))):
        if lvl:
            fills[(r, 1)] = LEVEL_FILLS[lvl]
    if not t.controls:
        fills[(4, 1)] = GAP_FILL
    if t.status in OPEN_STATUSES:
        fills[(8, 1)] = GAP_FILL
    if not t.rationale and t.status in ("accepted", "transferred", "not_applicable"):
        fills[(9, 1)] = GAP_FILL
    from mdptm.documents.premarket_docs import threat_rows

    rows += threat_rows(ix.model, t)  # appended: the fills above keep their row numbers
    _paragraphs(doc, t.description)
    doc.table([], rows, widths=[2.4, 7.6], fills=fills)


def risk_doc(model: Model, ctx: ExportContext, heat_map: Image | None = None) -> Doc:
    """``risk-assessment.docx``: the threat model and cybersecurity risk assessment."""
    ix = Index(model)
    voc = vocabulary()
    threats = model.threats
    doc = _new_doc("Threat model and cybersecurity risk assessment", model, ctx, "Risk assessment")

    doc.h("Scope and method", 1)
    doc.p(f"This assessment follows {voc.citations['risk_assessment']}")
    _facts_table(doc, model)
    by_status = Counter(t.status for t in threats)
    doc.p(
        f"The threat model holds {len(model.elements)} elements, {len(model.flows)} data flows, {len(model.assets)} assets, "
        f"{len(threats)} threats and {len(model.controls)} controls. Threats are classified with STRIDE against the "
        "elements and flows they target; each is rated before controls and again after them (residual risk)."
    )
    if model.assumptions:
        doc.h("Assumptions", 2)
        doc.table(
            ["ID", "Assumption", "Responsibility"],
            [[a.id, a.text, _words(a.responsibility) or "—"] for a in model.assumptions],
            widths=[1.0, 7.4, 1.6],
        )
    if model.out_of_scope:
        doc.h("Out of scope", 2)
        doc.table(
            ["ID", "Out of scope", "Rationale"],
            [[o.id, o.text, o.rationale or "none recorded"] for o in model.out_of_scope],
            widths=[1.0, 4.6, 4.4],
        )

    from mdptm.documents.premarket_docs import (
        acceptability_section,
        exploitability_chapter,
        known_vulnerabilities_chapter,
        method_chapter,
        safety_chapter,
    )

    method_chapter(doc, model)

    doc.h("Risk scales", 1)
    scales = _scales(model)
    if scales:
        doc.p("Ratings keep the threat model's own likelihood and severity labels. The scales in use:")
        doc.table(
            ["Scale", "Likelihood values", "Severity values", "Scores", "Levels"],
            scales,
            caption="Risk scales used",
            widths=[2.0, 2.6, 2.6, 1.2, 1.6],
        )
    else:
        doc.p("No threat carries a risk rating: the model states no scale.", style="note")
    rows, fills = [], {}
    for r, lvl in enumerate((*RISK_LEVELS, None)):
        before = sum(1 for t in threats if _level(t.risk) == lvl)
        after = sum(1 for t in threats if _level(t.residual_risk) == lvl)
        rows.append([lvl.capitalize() if lvl else "Not rated", str(before), str(after)])
        if lvl:
            fills[(r, 0)] = LEVEL_FILLS[lvl]
    doc.table(["Risk level", "Before controls", "Residual"], rows, caption="Threats by risk level", widths=[3.0, 2.0, 2.0], fills=fills)
    header = ["Before \\ residual", *(lvl.capitalize() for lvl in RISK_LEVELS), "Not rated"]
    matrix = []
    for lvl in (*RISK_LEVELS, None):
        counts = [sum(1 for t in threats if _level(t.risk) == lvl and _level(t.residual_risk) == res) for res in (*RISK_LEVELS, None)]
        matrix.append([lvl.capitalize() if lvl else "Not rated", *(str(c) if c else "·" for c in counts)])
    doc.table(
        header, matrix, caption="Risk before controls against residual risk (number of threats)", widths=[2.2, 1.3, 1.3, 1.3, 1.3, 1.3]
    )
    if heat_map is not None:
        doc.image(heat_map.path, caption="Likelihood and severity of the threats, before controls and residual", width_cm=heat_map.width_cm)
    harm = Counter(t.patient_harm for t in threats)
    harm_rows = [
        [_words(h) or "Not assessed", str(harm[h])]
        for h in ("catastrophic", "critical", "serious", "minor", "negligible", "none", None)
        if harm[h]
    ]
    if harm_rows:
        doc.table(["Patient harm", "Threats"], harm_rows, caption="Threats by potential patient harm", widths=[3.0, 2.0])
    doc.p(f"{sum(1 for t in threats if t.multi_patient)} threats could harm many patients at once.")

    doc.h("Threat register", 1)
    status_text = ", ".join(
        f"{by_status[s]} {_words(s).lower()}"
        for s in ("mitigated", "partially_mitigated", "accepted", "transferred", "open", "not_applicable")
        if by_status[s]
    )
    doc.p(f"{len(threats)} threats: {status_text or 'none'}.")
    reg_rows, reg_fills = [], {}
    for r, t in enumerate(threats):
        reg_rows.append(
            [
                t.id,
                t.title,
                ", ".join(_words(s) for s in t.stride) or "—",
                ", ".join(ix.name(x) for x in t.targets) or "—",
                _level(t.risk) or "—",
                ", ".join(t.controls) or "none",
                _level(t.residual_risk) or "—",
                _words(t.status),
            ]
        )
        for c, lvl in ((4, _level(t.risk)), (6, _level(t.residual_risk))):
            if lvl:
                reg_fills[(r, c)] = LEVEL_FILLS[lvl]
        if not t.controls:
            reg_fills[(r, 5)] = GAP_FILL
        if t.status in OPEN_STATUSES:
            reg_fills[(r, 7)] = GAP_FILL
    if reg_rows:
        doc.table(
            ["ID", "Threat", "STRIDE", "Targets", "Before", "Controls", "Residual", "Status"],
            reg_rows,
            caption="Threat register",
            widths=[1.1, 2.6, 1.4, 1.7, 1.1, 1.5, 1.1, 1.4],
            fills=reg_fills,
        )
    else:
        doc.p("The model records no threat.", style="note")

    exploitability_chapter(doc, model, ix)
    safety_chapter(doc, model, ix)
    known_vulnerabilities_chapter(doc, model, ix)

    doc.h("Threats in detail", 1)
    for t in threats:
        _threat_detail(doc, ix, t)

    doc.h("Open and accepted threats", 1)
    _callout_table(
        doc,
        ix,
        [t for t in threats if t.status in OPEN_STATUSES],
        "Open",
        "threats are open or only partly mitigated.",
        "No threat is open or only partly mitigated.",
    )
    _callout_table(
        doc,
        ix,
        [t for t in threats if t.status == "accepted"],
        "Accepted",
        "threats are accepted with their residual risk.",
        "No threat is accepted without mitigation.",
    )
    _callout_table(
        doc, ix, [t for t in threats if t.status == "transferred"], "Transferred", "threats are transferred to another party.", None
    )
    no_control = [t for t in threats if not t.controls and t.status != "not_applicable"]
    _callout_table(doc, ix, no_control, "No control", "threats have no control.", "Every applicable threat has at least one control.")

    doc.h("Residual risk acceptance", 1)
    res = Counter(_level(t.residual_risk) for t in threats)
    parts = [f"{res[lvl]} {lvl}" for lvl in reversed(RISK_LEVELS) if res[lvl]]
    if res[None]:
        parts.append(f"{res[None]} not rated")
    doc.p(f"Residual risk after controls: {', '.join(parts) or 'no threat recorded'}.")
    acceptability_section(doc, model)
    level_rows: list[list[str]] = []
    level_fills: dict[tuple[int, int], str] = {}
    for lvl in (*reversed(RISK_LEVELS), None):
        ids = [t.id for t in threats if _level(t.residual_risk) == lvl]
        if ids:
            if lvl:
                level_fills[(len(level_rows), 0)] = LEVEL_FILLS[lvl]
            level_rows.append([lvl.capitalize() if lvl else "Not rated", str(len(ids)), ", ".join(ids)])
    if level_rows:
        doc.table(
            ["Residual risk", "Threats", "Which"], level_rows, caption="Residual risk by level", widths=[1.8, 1.0, 7.2], fills=level_fills
        )
    accepted = sum(1 for t in threats if t.status == "accepted")
    if accepted:
        doc.p(f"{accepted} threats are accepted with their residual risk; their rationales are listed under 'Open and accepted threats'.")
    high = [t for t in threats if _level(t.residual_risk) in ("high", "critical")]
    _callout_table(
        doc,
        ix,
        high,
        "High residual risk",
        "threats keep a high or critical residual risk; each needs a benefit-risk justification.",
        "No threat keeps a high or critical residual risk.",
    )
    unrated = [t for t in threats if t.residual_risk is None and t.status != "not_applicable"]
    _callout_table(doc, ix, unrated, "Residual risk not rated", "threats have no residual risk rating.", None)
    signoffs = model.document.signoffs
    if signoffs:
        doc.p("Acceptance of the residual risk is recorded by these sign-offs:")
        fills = {(r, 3): (OK_FILL if s.decision == "approved" else GAP_FILL) for r, s in enumerate(signoffs)}
        doc.table(
            ["Role", "Name", "Date", "Decision", "Comment"],
            [[s.role, s.name, s.date or "—", _words(s.decision), s.comment or ""] for s in signoffs],
            caption="Sign-offs",
            widths=[2.0, 2.0, 1.4, 1.2, 3.4],
            fills=fills,
        )
    else:
        doc.p(
            "No sign-off is recorded in the model: the residual risk has not been formally accepted (record one with 'mdptm signoff').",
            style="note",
        )

    doc.h("Security controls", 1)
    doc.p(
        f"{len(model.controls)} controls. Traceability from each threat to its controls and their verification evidence "
        f"is in {TRACEABILITY}."
    )
    _controls_table(doc, model.controls, "Security controls")
    return _fit_id_columns(doc)


def _callout_table(doc: Doc, ix: Index, threats: Sequence[Threat], label: str, some: str, none: str | None) -> None:
    if not threats:
        if none:
            doc.p(none, bold_prefix=f"{label}:")
        return
    doc.p(f"{len(threats)} {some}", bold_prefix=f"{label}:")
    rows = [
        [
            t.id,
            t.title,
            risk_text(t.risk),
            ", ".join(t.controls) or "none",
            risk_text(t.residual_risk),
            _words(t.status),
            t.rationale or "none recorded",
        ]
        for t in threats
    ]
    fills = {(r, 6): GAP_FILL for r, t in enumerate(threats) if not t.rationale}
    doc.table(
        ["ID", "Threat", "Before", "Controls", "Residual", "Status", "Rationale"],
        rows,
        caption=f"{label} threats",
        widths=[1.1, 2.3, 1.5, 1.2, 1.5, 1.3, 2.3],
        fills=fills,
    )


# ------------------------------------------------------------ cra-technical-documentation.docx

CRA_FRAMEWORK = "cra-annex-i"


_EVIDENCE_NAMED = 6  # above this many items of one kind, evidence lists their ids only


def _evidence_text(ix: Index, ids: Sequence[str]) -> str:
    """Evidence grouped by kind: ``Controls (2): C-1 Title; C-2 Title. Fields: support.sbom.``"""
    groups: dict[str, list[str]] = {}
    for i in dict.fromkeys(ids):
        groups.setdefault(ix.kind.get(i, "field"), []).append(i)
    parts = []
    for kind, members in groups.items():
        shown = "; ".join(members) if len(members) > _EVIDENCE_NAMED or kind == "field" else "; ".join(ix.label(i) for i in members)
        noun = "Model fields" if kind == "field" else _words(kind) + ("s" if len(members) != 1 and kind != "out_of_scope" else "")
        parts.append(f"{noun} ({len(members)}): {shown}.")
    return " ".join(parts)


def _clause_part(clause: ClauseResult) -> str:
    return "II" if clause.id.upper().startswith("II") else "I"


def _cra_clauses(doc: Doc, ix: Index, fw: FrameworkResult, part: str) -> None:
    voc = vocabulary()
    clauses = [c for c in fw.clauses if _clause_part(c) == part]
    if not clauses:
        doc.p(f"The mapping holds no Annex I Part {part} clause.", style="note")
        return
    rows, fills = [], {}
    for r, c in enumerate(clauses):
        text = voc.cra_status.get(c.status)
        rows.append(
            [c.id, c.title, text.applies if text else c.status, text.verdict if text else c.status, ", ".join(c.evidence) or "none"]
        )
        fills[(r, 3)] = CLAUSE_FILLS.get(c.status, WARN_FILL)
    doc.table(
        ["Clause", "Requirement", "Applies", "Verdict", "Evidence"],
        rows,
        caption=f"Annex I Part {part} at a glance",
        widths=[0.9, 4.0, 1.3, 1.4, 2.4],
        fills=fills,
    )
    for c in clauses:
        doc.h(f"{c.id} {c.title}", 2)
        text = voc.cra_status.get(c.status)
        if c.summary:
            doc.p(c.summary, bold_prefix="Requirement:")
        doc.p(
            f"{text.applies if text else c.status}; {(text.verdict if text else c.status).lower()}."
            + (" The verdict was set by an override in the project file." if c.overridden else "")
            + (f" Confirmed by the maker ({c.confirmed.by}, {c.confirmed.date})." if c.confirmed else ""),
            bold_prefix="Applicability:",
        )
        doc.p(c.rationale or "The mapping gave no rationale.", bold_prefix="How it applies:")
        doc.p(_evidence_text(ix, c.evidence) or "No model item is cited as evidence.", bold_prefix="Evidence:")
        if c.source:
            doc.p(c.source, style="note")


def cra_doc(model: Model, ctx: ExportContext) -> Doc:
    """``cra-technical-documentation.docx``: how each CRA Annex I requirement applies (Annex VII item 3)."""
    ix = Index(model)
    voc = vocabulary()
    p, reg, sup = model.product, model.product.regulatory, model.support
    doc = _new_doc("CRA technical documentation", model, ctx, "CRA technical documentation")
    doc.p(f"This document follows {voc.citations['cra']}")

    doc.h("Product and scope", 1)
    doc.p(voc.cra_scope.get(reg.cra_scope, voc.cra_scope["unknown"]), bold_prefix="Scope:")
    rows = [
        ["Product", p.name],
        ["Manufacturer", p.manufacturer],
        ["Model", p.model or "—"],
        ["Software version", p.version or "—"],
        ["Intended purpose", p.intended_use or "—"],
        ["CRA category", voc.cra_category.get(reg.cra_category, "—") if reg.cra_category else "not stated"],
        ["Threat model", f"version {model.document.version}" + (f", {model.document.date}" if model.document.date else "")],
    ]
    fills = {(r, 1): GAP_FILL for r, row in enumerate(rows) if row[1] in ("—", "not stated") and r in (4, 5)}
    doc.table([], rows, caption="General description (Annex VII item 1)", widths=[2.4, 7.6], fills=fills)
    if p.description:
        _paragraphs(doc, p.description)

    doc.h("Support period", 1)
    doc.p("Annex VII item 4 asks for the information used to determine the support period; Annex II item 7 for its end date.", style="note")
    _support_table(doc, [("End of support", sup.end_of_support), ("Patch and update policy", sup.patch_policy)], "Support period")

    doc.h("Vulnerability handling", 1)
    doc.p(
        "Annex I Part II and Annex VII item 2(b): the SBOM, the coordinated vulnerability disclosure policy, the contact "
        "for reports and how updates are distributed.",
        style="note",
    )
    _support_table(
        doc,
        [
            ("Coordinated vulnerability disclosure", sup.vulnerability_disclosure),
            ("Contact for reports", sup.contact),
            ("SBOM", sup.sbom),
            ("Security updates", sup.patch_policy),
            ("Data disposal", sup.data_disposal),
        ],
        "Vulnerability handling",
    )
    updates = [c for c in model.controls if c.category == "updatability_patchability"]
    if updates:
        doc.p("Controls for distributing and installing updates:")
        _controls_table(doc, updates, "Update controls")

    doc.h("Cybersecurity risk assessment", 1)
    threats = model.threats
    open_n = sum(1 for t in threats if t.status in OPEN_STATUSES)
    doc.p(
        f"Article 13(2)-(3): the risk assessment covers {len(threats)} threats against {len(model.elements)} elements, "
        f"{len(model.flows)} data flows and {len(model.assets)} assets, with {len(model.controls)} controls; {open_n} threats "
        f"are open or only partly mitigated. It is given in full in {RISK}, with the traceability to verification "
        f"evidence in {TRACEABILITY}."
    )
    if model.assumptions:
        doc.p("Conditions of use the assessment assumes:")
        doc.bullets([f"{a.id}: {a.text}" for a in model.assumptions])

    fw = ctx.coverage.framework(CRA_FRAMEWORK) if ctx.coverage is not None else None
    for part, title in (
        ("I", "Annex I Part I: cybersecurity requirements for the product"),
        ("II", "Annex I Part II: vulnerability handling requirements"),
    ):
        doc.h(title, 1)
        if fw is None:
            doc.p(
                f"The mapping was not run for {CRA_FRAMEWORK}, so this document cannot state how each requirement applies. "
                f"Run 'mdptm map MODEL --framework {CRA_FRAMEWORK}' or list the framework in the project file.",
                style="note",
            )
            continue
        if part == "I":
            counts = Counter(c.status for c in fw.clauses)
            doc.p(
                f"From the {fw.title or fw.id} mapping{' (' + fw.version + ')' if fw.version else ''}: "
                + ", ".join(
                    f"{counts[s]} {vocabulary().cra_status[s].verdict.lower()}"
                    for s in ("covered", "partial", "gap", "not_applicable")
                    if counts[s]
                )
                + "."
            )
            if fw.note:
                doc.p(fw.note, style="note")
        _cra_clauses(doc, ix, fw, part)
    return _fit_id_columns(doc)


def _support_table(doc: Doc, facts: Sequence[tuple[str, str | None]], caption: str) -> None:
    rows = [[k, v.strip() if v and v.strip() else "missing"] for k, v in facts]
    fills = {(r, 1): GAP_FILL for r, row in enumerate(rows) if row[1] == "missing"}
    doc.table([], rows, caption=caption, widths=[3.0, 7.0], fills=fills)


# ---------------------------------------------------------------------------------- workbooks


@dataclass
class Sheet:
    """One worksheet: a title block, a header row and data rows with optional cell fills."""

    name: str
    title: str
    note: str
    header: list[str]
    rows: list[list[Any]]
    widths: list[float]
    fills: dict[tuple[int, int], str]  # (data row, column) -> RRGGBB; column -1 fills the whole row
    freeze_columns: int = 1


_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEADER_ROW = 4


def _cell_value(value: Any) -> Any:
    """Text safe for a cell: no control characters, within Excel's length limit."""
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(text) > XLSX_CELL_LIMIT:
        text = text[: XLSX_CELL_LIMIT - 40] + " … [truncated: over the cell limit]"
    return text


def _row_height(values: Sequence[Any], widths: Sequence[float]) -> float:
    """Points for a row of wrapped text, so every viewer shows it whole (not all of them autofit)."""
    lines = 1
    for value, width in zip(values, widths, strict=False):
        per_line = max(int(width * 1.1) - 1, 1)
        text = str(value) if value is not None else ""
        lines = max(lines, sum(max(math.ceil(len(part) / per_line), 1) for part in text.split("\n")))
    return min(15.0 * lines + 2, 409.0)


def _product_line(model: Model) -> str:
    p, d = model.product, model.document
    bits = [p.name, p.model or "", f"version {p.version}" if p.version else "", p.manufacturer]
    return " · ".join(b for b in bits if b) + f" — threat model version {d.version}" + (f", {d.date}" if d.date else "")


def _add_sheet(wb: Workbook, sheet: Sheet, model: Model, ctx: ExportContext) -> Worksheet:
    ws = wb.create_sheet(sheet.name)
    ncols = len(sheet.header)
    last_col = get_column_letter(ncols)
    stamp = f"{CONFIDENTIAL}{' — DRAFT' if ctx.draft else ''}"
    ws["A1"] = f"{stamp} — {sheet.title}"
    ws["A1"].font = Font(bold=True, size=14, color="C00000")
    ws["A2"] = _cell_value(_product_line(model))
    ws["A2"].font = Font(italic=True, color="404040")
    ws["A3"] = _cell_value(sheet.note)
    ws["A3"].font = Font(size=9, color="595959")
    ws["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    for row in (1, 2, 3):
        if ncols > 1:
            ws.merge_cells(f"A{row}:{last_col}{row}")
    ws.row_dimensions[3].height = 30
    for c, text in enumerate(sheet.header, start=1):
        cell = ws.cell(row=_HEADER_ROW, column=c, value=text)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = _WRAP
        cell.border = _BORDER
    for r, values in enumerate(sheet.rows):
        row_fill = sheet.fills.get((r, -1))
        for c, value in enumerate(values):
            cell = ws.cell(row=_HEADER_ROW + 1 + r, column=c + 1, value=_cell_value(value))
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # model text, never a formula
            cell.alignment = _WRAP
            cell.border = _BORDER
            colour = sheet.fills.get((r, c), row_fill)
            if colour:
                cell.fill = PatternFill("solid", fgColor=colour)
    for c, width in enumerate(sheet.widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    for r, values in enumerate(sheet.rows):
        ws.row_dimensions[_HEADER_ROW + 1 + r].height = _row_height(values, sheet.widths)
    ws.row_dimensions[_HEADER_ROW].height = _row_height(sheet.header, sheet.widths)
    last_row = _HEADER_ROW + max(len(sheet.rows), 1)
    ws.auto_filter.ref = f"A{_HEADER_ROW}:{last_col}{last_row}"
    ws.freeze_panes = ws.cell(row=_HEADER_ROW + 1, column=sheet.freeze_columns + 1)
    ws.print_title_rows = f"{_HEADER_ROW}:{_HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.center.text = stamp
    ws.oddHeader.center.font = "Calibri,Bold"
    ws.oddHeader.center.color = "C00000"
    ws.oddHeader.right.text = sheet.title
    ws.oddFooter.left.text = _cell_value(f"{stamp} — {model.product.name}").replace("&", "&&")
    ws.oddFooter.right.text = "Page &P of &N"
    return ws


def _save_workbook(wb: Workbook, sheets: Sequence[Sheet], model: Model, path: Path, ctx: ExportContext, title: str) -> None:
    """Write the sheets with pinned document properties (no author, no 'now') and normalise the zip."""
    wb.remove(wb.active)
    for sheet in sheets:
        _add_sheet(wb, sheet, model, ctx)
    wb.active = 0
    props = wb.properties
    props.creator = "mdptm"
    props.lastModifiedBy = "mdptm"
    props.title = f"{CONFIDENTIAL} — {title}"
    save_workbook(wb, path, ctx.epoch)


# ---------------------------------------------------------------------------- traceability.xlsx

TRACE_HEADER = [
    "Threat ID",
    "Threat",
    "STRIDE",
    "Threat status",
    "Risk before controls",
    "Residual risk",
    "Control ID",
    "Control",
    "FDA category",
    "Responsibility",
    "Control status",
    "Verification evidence",
    "Gap",
    "Safety hazards",
]
_T_STATUS, _T_RISK, _T_RES, _C_ID, _C_STATUS, _C_VERIF, _GAP = 3, 4, 5, 6, 10, 11, 12


@dataclass
class TraceRow:
    threat: Threat
    control_id: str | None
    control: Control | None
    gaps: list[str]


def trace_rows(model: Model) -> list[TraceRow]:
    """One row per threat–control pair, in threat order; a threat with no control gets one row."""
    ix = Index(model)
    out = []
    for t in model.threats:
        if not t.controls:
            gap = "No control (threat not applicable)" if t.status == "not_applicable" else "No control"
            out.append(TraceRow(t, None, None, [gap]))
            continue
        for cid in dict.fromkeys(t.controls):
            c = ix.controls.get(cid)
            gaps = []
            if c is None:
                gaps.append("Control not in the model")
            elif c.status == "implemented" and not c.verification:
                gaps.append("Implemented, no verification evidence")
            elif c.status != "implemented":
                gaps.append(f"Control {_words(c.status).lower()}")
            out.append(TraceRow(t, cid, c, gaps))
    return out


def _trace_sheet(model: Model, rows: Sequence[TraceRow]) -> Sheet:
    data: list[list[Any]] = []
    fills: dict[tuple[int, int], str] = {}
    for r, row in enumerate(rows):
        t, c = row.threat, row.control
        data.append(
            [
                t.id,
                t.title,
                ", ".join(_words(s) for s in t.stride),
                _words(t.status),
                risk_text(t.risk),
                risk_text(t.residual_risk),
                row.control_id or "",
                c.title if c else ("" if row.control_id is None else "(not in the model)"),
                category_label(c.category) if c else "",
                _words(c.responsibility) if c else "",
                _words(c.status) if c else "",
                "\n".join(c.verification) if c else "",
                "; ".join(row.gaps),
                ", ".join(t.hazards),  # hazards: FDA V.A traceability to safety
            ]
        )
        for col, lvl in ((_T_RISK, _level(t.risk)), (_T_RES, _level(t.residual_risk))):
            if lvl:
                fills[(r, col)] = LEVEL_FILLS[lvl]
        if t.status in OPEN_STATUSES:
            fills[(r, _T_STATUS)] = WARN_FILL
        if row.control_id is None:
            colour = WARN_FILL if t.status == "not_applicable" else GAP_FILL
            for col in range(_C_ID, _GAP + 1):
                fills[(r, col)] = colour
        elif c is None:
            fills[(r, _C_ID)] = fills[(r, _GAP)] = GAP_FILL
        elif c.status == "implemented" and not c.verification:
            fills[(r, _C_VERIF)] = fills[(r, _GAP)] = GAP_FILL
        elif c.status != "implemented":
            fills[(r, _C_STATUS)] = fills[(r, _GAP)] = WARN_FILL
    note = (
        "One row per threat–control pair. Red: a threat with no control, a control missing from the model, or an "
        "implemented control with no verification evidence. Amber: a planned or unimplemented control, an open threat. "
        + vocabulary().citations["traceability"]
    )
    return Sheet(
        "Traceability",
        "Threat → control → verification traceability",
        note,
        TRACE_HEADER,
        data,
        [11, 38, 20, 14, 22, 22, 11, 36, 26, 14, 14, 36, 30, 16],
        fills,
    )


def _controls_sheet(model: Model) -> Sheet:
    ix = Index(model)
    data: list[list[Any]] = []
    fills: dict[tuple[int, int], str] = {}
    for r, c in enumerate(model.controls):
        threats = ix.threats_of_control.get(c.id, [])
        gaps = []
        if c.status == "implemented" and not c.verification:
            gaps.append("Implemented, no verification evidence")
            fills[(r, 5)] = GAP_FILL
        if not threats:
            gaps.append("Linked to no threat")
            fills[(r, 6)] = WARN_FILL
        if c.status != "implemented":
            fills[(r, 4)] = WARN_FILL
        if gaps:
            fills[(r, 7)] = GAP_FILL if c.status == "implemented" and not c.verification else WARN_FILL
        data.append(
            [
                c.id,
                c.title,
                category_label(c.category),
                _words(c.responsibility),
                _words(c.status),
                "\n".join(c.verification),
                ", ".join(threats),
                "; ".join(gaps),
            ]
        )
    note = "Every control with its verification evidence and the threats it answers."
    return Sheet(
        "Controls",
        "Controls and verification evidence",
        note,
        ["Control ID", "Control", "FDA category", "Responsibility", "Status", "Verification evidence", "Threats", "Gap"],
        data,
        [11, 40, 28, 14, 14, 40, 24, 32],
        fills,
    )


def _trace_summary_sheet(model: Model, rows: Sequence[TraceRow]) -> Sheet:
    ix = Index(model)
    data: list[list[Any]] = []
    fills: dict[tuple[int, int], str] = {}

    def add(group: str, measure: str, count: int, gap: bool = False) -> None:
        if gap and count:
            fills[(len(data), 2)] = GAP_FILL
        data.append([group, measure, count])

    threats, controls = model.threats, model.controls
    add("Totals", "Threats", len(threats))
    add("Totals", "Controls", len(controls))
    add("Totals", "Threat–control pairs", sum(1 for r in rows if r.control_id is not None))
    add("Gaps", "Threats with no control", sum(1 for t in threats if not t.controls and t.status != "not_applicable"), True)
    add(
        "Gaps",
        "Implemented controls with no verification evidence",
        sum(1 for c in controls if c.status == "implemented" and not c.verification),
        True,
    )
    add("Gaps", "Control references not in the model", sum(1 for r in rows if r.control_id is not None and r.control is None), True)
    add("Gaps", "Controls linked to no threat", sum(1 for c in controls if c.id not in ix.threats_of_control), True)
    add("Gaps", "Open or partly mitigated threats", sum(1 for t in threats if t.status in OPEN_STATUSES), True)
    t_status: Counter[str] = Counter(t.status for t in threats)
    for s in ("mitigated", "partially_mitigated", "accepted", "transferred", "open", "not_applicable"):
        add("Threats by status", _words(s), t_status[s])
    c_status: Counter[str] = Counter(c.status for c in controls)
    for s in ("implemented", "planned", "not_implemented"):
        add("Controls by status", _words(s), c_status[s])
    add("Verification", "Controls with verification evidence", sum(1 for c in controls if c.verification))
    add("Verification", "Evidence references", sum(len(c.verification) for c in controls))
    c_cat: Counter[str] = Counter(c.category for c in controls)
    for cat in CONTROL_CATEGORIES:
        add("Controls by FDA category", category_label(cat), c_cat[cat])
    c_resp: Counter[str] = Counter(c.responsibility for c in controls)
    for resp in ("manufacturer", "customer", "shared", "third_party"):
        add("Controls by responsibility", _words(resp), c_resp[resp])
    s_count: Counter[str] = Counter(s for t in threats for s in t.stride)
    for s in STRIDE_ORDER:
        add("Threats by STRIDE category", _words(s), s_count[s])
    note = "Counts over the whole threat model. A red count is a gap to close or justify before submission."
    return Sheet("Summary", "Traceability summary", note, ["Group", "Measure", "Count"], data, [28, 52, 10], fills, freeze_columns=0)


def write_traceability(model: Model, path: Path, ctx: ExportContext) -> None:
    rows = trace_rows(model)
    sheets = [_trace_summary_sheet(model, rows), _trace_sheet(model, rows), _controls_sheet(model)]
    _save_workbook(Workbook(), sheets, model, path, ctx, "Traceability")


# ------------------------------------------------------------------------ labeling-checklist.xlsx

FDA_FRAMEWORK = "fda-premarket"


def _mapping_verdict(answer: LabelingAnswer, fw: FrameworkResult | None) -> str:
    if fw is None:
        return "mapping not run"
    clause = next((c for c in fw.clauses if c.id == answer.item.id), None)
    if clause is None:
        return "not in the mapping"
    return f"{_words(clause.status)}" + (f": {clause.rationale}" if clause.rationale else "")


def write_labeling(model: Model, path: Path, ctx: ExportContext) -> list[LabelingAnswer]:
    fw = ctx.coverage.framework(FDA_FRAMEWORK) if ctx.coverage is not None else None
    answers = agree_with_mapping(answer_labeling(model), fw)
    data: list[list[Any]] = []
    fills: dict[tuple[int, int], str] = {}
    for r, a in enumerate(answers):
        data.append(
            [
                a.item.number,
                a.item.title,
                a.item.asks,
                a.status,
                a.answer or "—",
                "\n".join(a.where) or "—",
                "\n".join(a.missing) or "—",
                _mapping_verdict(a, fw),
                a.item.citation,
            ]
        )
        fills[(r, 3)] = LABEL_FILLS[a.status]
        if a.missing:
            fills[(r, 6)] = LABEL_FILLS["missing" if a.status == "missing" else "partial"]
    note = (
        "Each FDA labelling recommendation answered from the threat model, or marked missing. The numbering follows the "
        "order of the guidance's bullets (they are unnumbered there). " + vocabulary().citations["labeling"]
    )
    checklist = Sheet(
        "Labeling checklist",
        "FDA labeling recommendations",
        note,
        [
            "#",
            "Recommendation",
            "What FDA asks",
            "Status",
            "Answer from the model",
            "Where in the model",
            "Missing",
            "Mapping verdict (fda-premarket)",
            "Citation",
        ],
        data,
        [5, 30, 48, 11, 60, 28, 40, 30, 30],
        fills,
    )
    counts = Counter(a.status for a in answers)
    summary_rows: list[list[Any]] = [
        [_words(s), counts[s], ", ".join(str(a.item.number) for a in answers if a.status == s) or "—"] for s in LABEL_STATUSES
    ]
    summary_rows.append(["Total", len(answers), ""])
    summary = Sheet(
        "Summary",
        "Labeling checklist summary",
        "How many labelling recommendations the model answers.",
        ["Status", "Recommendations", "Numbers"],
        summary_rows,
        [16, 18, 40],
        {(i, 0): LABEL_FILLS[s] for i, s in enumerate(LABEL_STATUSES)},
        freeze_columns=0,
    )
    _save_workbook(Workbook(), [checklist, summary], model, path, ctx, "FDA labeling checklist")
    return answers


# ------------------------------------------------------------------------------------ writing


def _model_sha(model: Model) -> str:
    return hashlib.sha256(dumps(model, "json").encode("utf-8")).hexdigest()


def _draw_diagrams(model: Model, scopes: dict[str, list[ViewScope]], folder: Path) -> dict[str, Image]:
    """PNG diagrams of every view, drawn from the model as for the public PTM, at their natural size."""
    from mdptm.render.diagrams import png_size_cm, view_diagram

    out: dict[str, Image] = {}
    for n, scope in enumerate(s for kind in VIEW_KINDS for s in scopes.get(kind, [])):
        view = scope.view
        if scope.derived:  # draw exactly what the derived tables list
            view = view.model_copy(update={"elements": [e.id for e in scope.elements], "flows": [f.id for f in scope.flows], "threats": []})
        drawn = view_diagram(model, folder / f"view-{n:03d}.png", view)
        if drawn is not None:
            out[scope.view.id] = Image(drawn, width_cm=min(MAX_IMAGE_CM, png_size_cm(drawn)[0]))
    return out


def _render(doc: Doc, path: Path, ctx: ExportContext) -> None:
    """Word output on the user's branding template, with pinned properties and zip timestamps."""
    from mdptm.render.docx import render_docx

    render_docx(doc, path, template=ctx.template, epoch=ctx.epoch)


def write_submission(model: Model, folder: Path, ctx: ExportContext) -> list[Path]:
    """Write the submission documents (FILES) and MANIFEST.json into *folder* (which must exist).

    *model* is the unredacted model: nothing is dropped or scrubbed, every page is marked
    confidential. Returns the files written, manifest last.
    """
    import tempfile

    from mdptm.documents.premarket_docs import index_doc, lifecycle_doc
    from mdptm.render.diagrams import png_size_cm, risk_heat_map

    ctx = replace(ctx, audience=Audience.SUBMISSION)
    scopes = architecture_scopes(model)
    with tempfile.TemporaryDirectory(prefix="mdptm-submission-") as tmp:
        work = Path(tmp)
        diagrams = _draw_diagrams(model, scopes, work)
        heat_png = risk_heat_map(model.threats, work / "risk-heat-map.png")
        heat = Image(heat_png, width_cm=min(MAX_IMAGE_CM, png_size_cm(heat_png)[0])) if heat_png is not None else None
        _render(architecture_doc(model, ctx, diagrams, scopes), folder / ARCHITECTURE, ctx)
        _render(risk_doc(model, ctx, heat), folder / RISK, ctx)
        _render(cra_doc(model, ctx), folder / CRA, ctx)
        _render(lifecycle_doc(model, ctx), folder / LIFECYCLE, ctx)
        _render(index_doc(model, ctx, set(FILES)), folder / INDEX, ctx)
    write_traceability(model, folder / TRACEABILITY, ctx)
    write_labeling(model, folder / LABELING, ctx)
    manifest = write_manifest(folder, {"audience": Audience.SUBMISSION.value, "confidential": True, "model_sha256": _model_sha(model)})
    return [*(folder / name for name in FILES), manifest]


def _refuse_public_package(out: Path) -> None:
    """The submission set never goes inside a public package (SPEC §7)."""
    if not out.is_dir():
        return
    found = [name for name in PUBLIC_PACKAGE_FILES if (out / name).exists()]
    if found:
        raise InputError(
            f"holds a public PTM package ({', '.join(found)}); the confidential submission set is never written "
            "inside one — choose another output folder",
            file=str(out),
        )


def publish_submission(model: Model | Path, out: Path, ctx: ExportContext | None = None) -> Path:
    """Write ``OUT/submission/`` from the unredacted *model* (a model or a model file); returns that folder.

    The folder is staged and moved into place only when complete. When *ctx* lacks the CRA Annex I
    or FDA premarket coverage (a project may list other frameworks), those mappings are run so the
    CRA document and the labelling checklist can show their verdicts. Placeholders left by import block it unless ``ctx.draft``;
    review findings do not: the open threats and gaps are what this set shows the regulatory team.
    """
    from mdptm.base.output import source_date_epoch
    from mdptm.model.io import load

    if isinstance(model, Path):
        model = load(model)
    ctx = ctx or ExportContext(epoch=source_date_epoch(model.document.date))
    placeholders = publish_blockers(model, ExportContext())  # review findings do not hold back the regulatory set
    if placeholders and not ctx.draft:
        raise BlockingError("submission set not written: " + "; ".join(placeholders) + " (use --draft for a review copy)")
    ctx = replace(ctx, coverage=_with_frameworks(model, ctx.coverage))
    _refuse_public_package(out)
    target = out / SUBMISSION_DIR
    with staged_dir(target) as tmp:
        write_submission(model, tmp, ctx)
    return target


def _with_frameworks(model: Model, coverage: Coverage | None) -> Coverage:
    """*coverage* plus the CRA Annex I and FDA premarket mappings the set needs, run if missing."""
    from mdptm.mapping.engine import map_model

    have = coverage.frameworks if coverage is not None else []
    missing = [fid for fid in (CRA_FRAMEWORK, FDA_FRAMEWORK) if not any(f.id == fid for f in have)]
    if not missing:
        return coverage or Coverage()
    return Coverage(frameworks=[*have, *map_model(model, missing).frameworks])
