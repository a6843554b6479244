"""``cra-technical-documentation.docx``: the CRA Annex I applicability, clause by clause, and the support period."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from mdptm.documents.ptm._shared import plural
from mdptm.documents.submission._shared import (
    CLAUSE_FILLS,
    GAP_FILL,
    OPEN_STATUSES,
    STATUS_NOT_STATED,
    WARN_FILL,
    Index,
    _new_doc,
    _paragraphs,
    _words,
    stated,
    vocabulary,
)
from mdptm.documents.submission._tables import _controls_table, _fit_id_columns
from mdptm.model import Model
from mdptm.model.premarket import (  # the set's file names: review checks name them too
    RISK,
    TRACEABILITY,
)
from mdptm.model.results import ClauseResult, FrameworkResult
from mdptm.plugins import ExportContext
from mdptm.render.docir import Doc

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
    open_n = sum(1 for t in threats if t.stated_status() in OPEN_STATUSES)
    unstated = sum(1 for t in threats if t.stated_status() == STATUS_NOT_STATED)
    doc.p(
        f"Article 13(2)-(3): the risk assessment covers {plural(len(threats), 'threat')} against "
        f"{plural(len(model.elements), 'element')}, {plural(len(model.flows), 'data flow')} and "
        f"{plural(len(model.assets), 'asset')}, with {plural(len(model.controls), 'control')}; {plural(open_n, 'threat')} "
        + ("is" if open_n == 1 else "are")
        + " open or only partly mitigated"
        + (f" and the source states no status for {unstated}" if unstated else "")
        + f". It is given in full in {RISK}, with the traceability to verification evidence in {TRACEABILITY}."
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
    """Each support fact as stated; one missing, or only a placeholder ("TBD"), is red and says so."""
    rows: list[list[str]] = []
    fills: dict[tuple[int, int], str] = {}
    for r, (k, v) in enumerate(facts):
        text, gap = stated(v, "missing")
        if gap:
            fills[(r, 1)] = GAP_FILL
        rows.append([k, text])
    doc.table([], rows, caption=caption, widths=[3.0, 7.0], fills=fills)
