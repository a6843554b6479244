"""The FDA premarket parts of the submission set that answer V.A.2, V.A.5, V.A.6, V.B.2 and Appendix 4.

Sections added to the risk assessment (scoring method and acceptance criteria, exploitability and
severity per threat, the transfer to the safety risk assessment, residual-risk acceptability, known
vulnerabilities) and to the architecture views (operational and clinical states, Appendix 2 detail,
detect / respond / recover), plus two documents of their own: ``lifecycle-assessment.docx`` (unresolved
anomalies, TPLC metrics) and ``submission-index.docx`` (Appendix 4 Table 1 row by row). A gap is shown
in red where it is, so the regulatory team sees it before the set is sent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from mdptm.documents.submission import GAP_FILL, OK_FILL, RISK_LEVELS, WARN_FILL, Index, _new_doc, _paragraphs, _words, level_fill
from mdptm.model import Element, Model, Risk, Threat, View
from mdptm.model.cvss import describe as describe_cvss
from mdptm.model.cvss import read as read_cvss
from mdptm.model.premarket import (
    ACCEPTABLE,
    APPENDIX2_FIELDS,
    IN_SET,
    MAKER_ADDS,
    MAKER_DOC,
    NOT_ACCEPTABLE,
    NOT_EVALUATED,
    PARTLY,
    WITH_RATIONALE,
    acceptability,
    appendix4_index,
    basis_of,
    cvss_of,
    element_detail,
    has_criteria,
    missing_detail,
    multi_patient_parts,
    premarket_vocabulary,
    state_coverage,
    states_of_view,
)
from mdptm.plugins import ExportContext
from mdptm.render.docir import Doc

NOT_STATED = "not stated"
VERDICT_FILLS = {ACCEPTABLE: OK_FILL, WITH_RATIONALE: OK_FILL, NOT_ACCEPTABLE: GAP_FILL, NOT_EVALUATED: WARN_FILL}
INDEX_FILLS = {IN_SET: OK_FILL, MAKER_DOC: OK_FILL, PARTLY: WARN_FILL, MAKER_ADDS: GAP_FILL}
HARM_ORDER = ("catastrophic", "critical", "serious", "minor", "negligible")


def _cite(key: str) -> str:
    return premarket_vocabulary().citations[key]


def _axis(r: Risk | None) -> tuple[str, str, str]:
    if r is None:
        return "—", "—", "not rated"
    return r.likelihood or "—", r.severity or "—", (r.level or "—").capitalize() + (f" ({r.score:g})" if r.score is not None else "")


# ------------------------------------------------------------------------- risk-assessment.docx


def method_chapter(doc: Doc, model: Model) -> None:
    """Scoring method, exploitability and severity scales, acceptance criteria, transfer to safety risk."""
    rm = model.risk_management
    doc.h("Scoring method and acceptance criteria", 1)
    doc.p(_cite("risk_method") + ".", style="note")
    doc.h("Scoring method", 2)
    if rm.method:
        _paragraphs(doc, rm.method)
    else:
        doc.p("The scoring method is not stated (risk_management.method in the project file). FDA asks for it.", style="note")
    bases = Counter(basis_of(t) for t in model.threats if t.risk is not None or t.residual_risk is not None)
    rated = sum(bases.values())
    if rated:
        doc.p(
            f"{bases['exploitability']} of {rated} rated threats rate exploitability on the likelihood axis"
            + (f"; {bases['probability']} rate probability" if bases["probability"] else "")
            + (f"; {bases[None]} do not say what the axis rates" if bases[None] else "")
            + ".",
            bold_prefix="Exploitability rather than probability:",
        )
    for label, scale in (("Exploitability scale", rm.exploitability_scale), ("Severity scale", rm.severity_scale)):
        doc.h(label, 2)
        if scale:
            doc.table(["Value", "Meaning"], [[p.value, p.meaning or "—"] for p in scale], caption=label, widths=[2.4, 7.6])
        else:
            doc.p(f"The {label.lower()} is not stated (risk_management.{label.split()[0].lower()}_scale).", style="note")
    doc.h("Acceptance criteria", 2)
    if rm.acceptance:
        _paragraphs(doc, rm.acceptance)
    if has_criteria(model):
        rows, fills = [], {}
        for r, lvl in enumerate(RISK_LEVELS):
            verdict = (
                "acceptable"
                if lvl in rm.acceptable_levels
                else "acceptable only with a benefit-risk rationale"
                if lvl in rm.justify_levels
                else "not acceptable"
            )
            rows.append([lvl.capitalize(), verdict])
            fills[(r, 0)] = level_fill(lvl)
            fills[(r, 1)] = GAP_FILL if verdict == "not acceptable" else OK_FILL if verdict == "acceptable" else WARN_FILL
        doc.table(["Residual risk", "Acceptability"], rows, caption="Residual-risk acceptance criteria", widths=[2.4, 7.6], fills=fills)
    elif not rm.acceptance:
        doc.p("No acceptance criteria are stated (risk_management.acceptance and acceptable_levels). FDA asks for them.", style="note")
    doc.h("Transfer to the safety risk assessment", 2)
    if rm.safety_transfer:
        _paragraphs(doc, rm.safety_transfer)
    else:
        doc.p(
            "The method that carries security risks into the safety risk assessment is not stated (risk_management.safety_transfer).",
            style="note",
        )
    if rm.hazard_file:
        doc.p(rm.hazard_file, bold_prefix="Safety risk management file:")


def exploitability_chapter(doc: Doc, model: Model, ix: Index) -> None:
    """Pre- and post-control exploitability and severity of every threat, with its CVSS reading."""
    doc.h("Exploitability and severity per threat", 1)
    doc.p(
        "Each threat's exploitability and severity before its controls and after them (residual), as the threat model "
        "rates them, with the CVSS base score where one is given (computed from the vector)."
    )
    rows, fills = [], {}
    for r, t in enumerate(model.threats):
        pre, post = _axis(t.risk), _axis(t.residual_risk)
        reading = cvss_of(t)
        cvss = ""
        if reading.vector or reading.stated is not None:
            score = reading.score
            cvss = f"{score:.1f} ({reading.severity})" if score is not None else "invalid"
        rows.append([t.id, t.title, pre[0], pre[1], pre[2], post[0], post[1], post[2], cvss or "—"])
        for c, r_ in ((4, t.risk), (7, t.residual_risk)):
            if r_ is not None and r_.level:
                fills[(r, c)] = level_fill(r_.level)
        if basis_of(t) == "probability":
            fills[(r, 2)] = WARN_FILL
        if reading.problem:
            fills[(r, 8)] = GAP_FILL
    if rows:
        doc.table(
            [
                "ID",
                "Threat",
                "Exploitability before",
                "Severity before",
                "Risk before",
                "Exploitability after",
                "Severity after",
                "Residual risk",
                "CVSS",
            ],
            rows,
            caption="Exploitability and severity, before and after controls",
            widths=[0.9, 2.1, 1.3, 1.6, 1.2, 1.3, 1.6, 1.2, 0.9],
            fills=fills,
        )
    problems = [(t, cvss_of(t)) for t in model.threats if cvss_of(t).problem]
    for t, reading in problems:
        doc.p(f"{t.id}: {reading.problem}.", bold_prefix="CVSS to check:")


def safety_chapter(doc: Doc, model: Model, ix: Index) -> None:
    """Threats that can reach the patient and the hazards of the ISO 14971 file they lead to."""
    doc.h("Security risks carried into the safety risk assessment", 1)
    harmful = [t for t in model.threats if t.patient_harm in HARM_ORDER]
    linked = [t for t in harmful if t.hazards]
    doc.p(
        f"{len(harmful)} threats could harm a patient; {len(linked)} of them are linked to hazards of the safety risk "
        f"management file{' (' + model.risk_management.hazard_file.split(',')[0] + ')' if model.risk_management.hazard_file else ''}."
    )
    if not harmful:
        return
    rows, fills = [], {}
    order = {h: n for n, h in enumerate(HARM_ORDER)}
    for r, t in enumerate(sorted(harmful, key=lambda x: order[x.patient_harm or "negligible"])):
        rows.append(
            [
                t.id,
                t.title,
                _words(t.patient_harm),
                "yes" if t.multi_patient else "no",
                ", ".join(t.hazards) or "none linked",
                (t.residual_risk.level or "—").capitalize() if t.residual_risk else "not rated",
            ]
        )
        if not t.hazards:
            fills[(r, 4)] = GAP_FILL
    doc.table(
        ["ID", "Threat", "Patient harm", "Many patients", "Hazards (ISO 14971)", "Residual risk"],
        rows,
        caption="Threats with patient harm and their hazards",
        widths=[1.0, 3.6, 1.3, 1.1, 1.8, 1.2],
        fills=fills,
    )


def acceptability_section(doc: Doc, model: Model) -> None:
    """Each threat's residual-risk verdict against the acceptance criteria, with its rationale."""
    verdicts = [(t, acceptability(model, t)) for t in model.threats]
    counts = Counter(v.verdict for _, v in verdicts)
    doc.p(
        ", ".join(f"{counts[v]} {v}" for v in (ACCEPTABLE, WITH_RATIONALE, NOT_ACCEPTABLE, NOT_EVALUATED) if counts[v]) + ".",
        bold_prefix="Residual-risk acceptability:",
    )
    rows, fills = [], {}
    for r, (t, v) in enumerate(verdicts):
        lvl = t.residual_risk.level if t.residual_risk is not None else None
        rows.append([t.id, t.title, (lvl or "—").capitalize(), _words(t.status), v.verdict, v.why])
        if lvl:
            fills[(r, 2)] = level_fill(lvl)
        fills[(r, 4)] = VERDICT_FILLS[v.verdict]
    if rows:
        doc.table(
            ["ID", "Threat", "Residual risk", "Status", "Acceptability", "Rationale"],
            rows,
            caption="Residual-risk acceptability per threat",
            widths=[1.0, 2.6, 1.1, 1.3, 1.4, 3.6],
            fills=fills,
        )


def known_vulnerabilities_chapter(doc: Doc, model: Model, ix: Index) -> None:
    """The known-vulnerability (CISA KEV) statement and the threats that rest on known vulnerabilities."""
    doc.h("Known vulnerabilities", 1)
    statement = model.risk_management.known_vulnerabilities
    if statement:
        _paragraphs(doc, statement)
    else:
        doc.p(
            "The model has no statement on known vulnerabilities of the device's software components (CISA KEV); "
            "FDA asks that KEV-listed vulnerabilities be designed out (risk_management.known_vulnerabilities).",
            style="note",
        )
    known = [t for t in model.threats if t.cve or t.kev is not None or t.cvss or t.cvss_score is not None]
    if known:
        rows, fills = [], {}
        for r, t in enumerate(known):
            kev = "unknown" if t.kev is None else ("yes" if t.kev else "no")
            rows.append([t.id, t.title, ", ".join(t.cve) or "—", describe_cvss(cvss_of(t)) or "—", kev, _words(t.status)])
            if t.kev:
                fills[(r, 4)] = GAP_FILL
        doc.table(
            ["ID", "Threat", "CVE", "CVSS", "In CISA KEV", "Status"],
            rows,
            caption="Threats resting on known vulnerabilities",
            widths=[1.0, 2.8, 1.2, 3.4, 0.9, 1.1],
            fills=fills,
        )


def threat_rows(model: Model, t: Threat) -> list[list[str]]:
    """Extra rows of a threat's detail table: exploitability basis, CVSS, hazards, acceptability."""
    rows = []
    basis = basis_of(t)
    axis = {"exploitability": "exploitability", "probability": "probability (FDA asks for exploitability)"}
    if t.risk is not None or t.residual_risk is not None:
        rows.append(["Likelihood axis", axis.get(basis or "", "not stated")])
    reading = cvss_of(t)
    if reading.vector or reading.stated is not None or reading.problem:
        rows.append(["CVSS", describe_cvss(reading) or f"check: {reading.problem}"])
    if t.cve or t.kev is not None:
        rows.append(
            [
                "Known vulnerabilities",
                (", ".join(t.cve) or "no CVE id") + "; in CISA KEV: " + ("unknown" if t.kev is None else "yes" if t.kev else "no"),
            ]
        )
    rows.append(["Safety hazards", ", ".join(t.hazards) or ("none linked" if t.patient_harm in HARM_ORDER else "none (no patient harm)")])
    v = acceptability(model, t)
    rows.append(["Residual-risk acceptability", f"{v.verdict}: {v.why}"])
    return rows


# ------------------------------------------------------------------------ architecture-views.docx


def states_section(doc: Doc, model: Model) -> None:
    """Every operational and clinical state with its security use case views or a justification."""
    doc.h("Operational and clinical states", 2)
    doc.p(_cite("states") + ".", style="note")
    coverage = state_coverage(model)
    if not coverage:
        doc.p(
            "The model names no operational or clinical state (risk_management.states), so it cannot show that every "
            "state has a security use case view or a justification.",
            style="note",
        )
        return
    rows, fills = [], {}
    for r, c in enumerate(coverage):
        views = "; ".join(v.name for v in c.views)
        if c.unknown:
            views += ("; " if views else "") + "not a security use case view of the model: " + ", ".join(c.unknown)
        how = {"view": "security use case view", "justified": "justified without a view", "gap": "GAP: no view, no justification"}[c.status]
        rows.append([c.state.name, _words(c.state.kind), views or "—", c.state.justification or "—", how])
        fills[(r, 4)] = {"view": OK_FILL, "justified": WARN_FILL, "gap": GAP_FILL}[c.status]
        if c.unknown:
            fills[(r, 2)] = GAP_FILL
    counts = Counter(c.status for c in coverage)
    doc.p(
        f"{len(coverage)} states: {counts['view']} with a security use case view, {counts['justified']} justified without one"
        + (f", {counts['gap']} with neither" if counts["gap"] else "")
        + "."
    )
    doc.table(
        ["State", "Kind", "Security use case views", "Justification", "Covered by"],
        rows,
        caption="Operational and clinical states",
        widths=[2.2, 1.1, 2.6, 2.8, 1.5],
        fills=fills,
    )


def view_states_line(doc: Doc, model: Model, view: View) -> None:
    states = states_of_view(model, view)
    if states:
        doc.p("; ".join(f"{s.name} ({s.kind})" for s in states), bold_prefix="States covered:")


def appendix2_section(doc: Doc, elements: Sequence[Element], level: int, caption: str) -> None:
    """Per element: dormant and debug interfaces, key life cycle, sessions, default settings."""
    doc.h("Interfaces, keys, sessions and defaults (Appendix 2)", level)
    rows: list[list[str]] = []
    fills: dict[tuple[int, int], str] = {}
    for e in elements:
        have = element_detail(e)
        missing = missing_detail(e)
        if not have and not missing:
            continue  # people and networks: nothing of their own to state
        r = len(rows)
        row = [f"{e.id} {e.name}"]
        for c, (name, _label) in enumerate(APPENDIX2_FIELDS, start=1):
            row.append(have.get(name, NOT_STATED))
            if name not in have:
                fills[(r, c)] = GAP_FILL
        rows.append(row)
    if rows:
        doc.table(
            ["Element", *(label for _n, label in APPENDIX2_FIELDS)], rows, caption=caption, widths=[1.8, 2.2, 2.2, 2.0, 2.0], fills=fills
        )
    else:
        doc.p("No element of this view carries interfaces, keys or sessions of its own.", style="note")


def response_section(doc: Doc, views: Sequence[View]) -> None:
    """Detect, respond, recover of the Multi-Patient Harm View(s)."""
    voc = premarket_vocabulary().multi_patient_parts
    doc.h("Detect, respond, recover", 2)
    if not views:
        doc.p(
            "The model has no Multi-Patient Harm View to say how an attack on many patients is detected, answered and recovered from.",
            style="note",
        )
        return
    for v in views:
        parts = multi_patient_parts(v)
        rows = [[voc[p], text or NOT_STATED] for p, text in parts.items()]
        fills = {(r, 1): GAP_FILL for r, (_p, text) in enumerate(parts.items()) if not text}
        doc.table(["Part", "How the system does it"], rows, caption=f"Detect, respond, recover — {v.name}", widths=[3.2, 6.8], fills=fills)


# ------------------------------------------------------------------------ lifecycle-assessment.docx


def lifecycle_doc(model: Model, ctx: ExportContext) -> Doc:
    """``lifecycle-assessment.docx``: unresolved anomalies (V.A.5) and TPLC security metrics (V.A.6)."""
    ix = Index(model)
    rm = model.risk_management
    doc = _new_doc("Unresolved anomalies and TPLC security metrics", model, ctx, "Unresolved anomalies and metrics")

    doc.h("Security assessment of unresolved anomalies", 1)
    doc.p(_cite("anomalies") + ".", style="note")
    if not rm.anomalies:
        doc.p(
            "The model records no unresolved anomaly (risk_management.anomalies). List each known defect the release "
            "ships with and its security impact, or state that there is none.",
            style="note",
        )
    else:
        doc.p(
            f"{len(rm.anomalies)} unresolved anomalies ship with this release. For each: its weakness (CWE), the "
            "elements it affects, its security impact, why it may ship unresolved, and the planned fix."
        )
        rows, fills = [], {}
        for r, a in enumerate(rm.anomalies):
            rows.append(
                [
                    a.id,
                    a.title,
                    ", ".join(a.cwe) or "missing",
                    ix.labels(a.affects) or "—",
                    ", ".join(a.threats) or "—",
                    a.fix or NOT_STATED,
                ]
            )
            if not a.cwe:
                fills[(r, 2)] = GAP_FILL
            if not a.fix:
                fills[(r, 5)] = WARN_FILL
        doc.table(
            ["ID", "Anomaly", "CWE", "Affects", "Threats", "Planned fix"],
            rows,
            caption="Unresolved anomalies",
            widths=[0.9, 3.2, 1.1, 2.2, 0.9, 1.9],
            fills=fills,
        )
        for a in rm.anomalies:
            doc.h(f"{a.id} {a.title}", 2)
            _paragraphs(doc, a.description)
            detail = [["CWE", ", ".join(a.cwe) or "missing"]]
            if a.cvss:
                detail.append(["CVSS", describe_cvss(read_cvss(a.cvss)) or a.cvss])
            detail += [
                ["Affects", ix.labels(a.affects) or "—"],
                ["Threats", ix.labels(a.threats) or "—"],
                ["Security impact", a.impact or "missing"],
                ["Why it may ship unresolved", a.rationale or "missing"],
                ["Planned fix", a.fix or NOT_STATED],
            ]
            fills = {(r, 1): GAP_FILL for r, row in enumerate(detail) if row[1] == "missing"}
            doc.table([], detail, widths=[2.6, 7.4], fills=fills)

    doc.h("TPLC security risk management: measures and metrics", 1)
    doc.p(_cite("metrics") + ".", style="note")
    m = rm.metrics
    if m is None:
        doc.p(
            "The model has no TPLC security metrics (risk_management.metrics): the share of vulnerabilities patched, the "
            "time from identification to patch and the time from patch to deployment in the field.",
            style="note",
        )
    else:
        share = None
        if m.vulnerabilities_identified:
            share = 100.0 * (m.vulnerabilities_patched or 0) / m.vulnerabilities_identified
        rows = [
            ["Period", m.period or NOT_STATED],
            ["Vulnerabilities identified", NOT_STATED if m.vulnerabilities_identified is None else str(m.vulnerabilities_identified)],
            ["Vulnerabilities updated or patched", NOT_STATED if m.vulnerabilities_patched is None else str(m.vulnerabilities_patched)],
            ["Share of vulnerabilities patched", NOT_STATED if share is None or m.vulnerabilities_patched is None else f"{share:.0f} %"],
            ["Mean time from identification to patch", NOT_STATED if m.days_to_patch is None else f"{m.days_to_patch:g} days"],
            [
                "Mean time from patch availability to field deployment",
                NOT_STATED if m.days_to_deploy is None else f"{m.days_to_deploy:g} days",
            ],
        ]
        fills = {(r, 1): GAP_FILL for r, row in enumerate(rows) if row[1] == NOT_STATED}
        doc.table(["Measure", "Value"], rows, caption="TPLC security metrics", widths=[4.6, 5.4], fills=fills)
        if m.note:
            _paragraphs(doc, m.note)
    sup = model.support
    if sup.patch_policy:
        doc.p(" ".join(sup.patch_policy.split()), bold_prefix="Patch policy:")
    return doc


# --------------------------------------------------------------------------- submission-index.docx


def _fields_text(paths: Sequence[str]) -> str:
    """``risk_management.method``, ``risk_management.acceptance`` → ``risk_management: method, acceptance``."""
    groups: dict[str, list[str]] = {}
    for path in paths:
        head, _, tail = path.removeprefix("any:").rpartition(".")
        groups.setdefault(head, []).append(tail)
    return "; ".join(f"{head}: {', '.join(tails)}" if head else ", ".join(tails) for head, tails in groups.items())


def index_doc(model: Model, ctx: ExportContext, written: set[str]) -> Doc:
    """``submission-index.docx``: FDA Appendix 4 Table 1 row by row, answered here or left to the maker."""
    doc = _new_doc("Premarket cybersecurity documentation index", model, ctx, "Documentation index")
    doc.p(
        _cite("index") + ". Each recommended document is answered by files of this set, by the device maker's own "
        "document the project file names, or marked for the maker to add."
    )
    rows_ = appendix4_index(model, written)
    counts = Counter(r.status for r in rows_)
    doc.p(
        ", ".join(f"{counts[s]} {s}" for s in (IN_SET, MAKER_DOC, PARTLY, MAKER_ADDS) if counts[s]) + ".",
        bold_prefix=f"{len(rows_)} documents:",
    )
    rows, fills = [], {}
    for r, row in enumerate(rows_):
        where = "; ".join(row.files)
        if row.maker_document:
            where = (where + "; " if where else "") + f"maker's document: {row.maker_document}"
        todo = []
        if row.facts_missing:
            todo.append("state in the model: " + _fields_text(row.facts_missing))
        if row.row.maker_adds and not row.maker_document:
            todo.append(row.row.maker_adds)
        rows.append([row.row.title, row.row.section, row.status, where or "—", "; ".join(todo) or "—"])
        fills[(r, 2)] = INDEX_FILLS[row.status]
        if todo:
            fills[(r, 4)] = GAP_FILL if row.status == MAKER_ADDS else WARN_FILL
    doc.table(
        ["Recommended documentation", "Guidance", "Status", "Where", "To add"],
        rows,
        caption="FDA Appendix 4 Table 1: recommended premarket submission documentation",
        widths=[2.4, 0.9, 1.3, 3.4, 2.6],
        fills=fills,
    )
    doc.h("What each row asks for", 1)
    for row in rows_:
        doc.p(row.row.asks, bold_prefix=f"{row.row.title} ({row.row.section}):")
    return doc
