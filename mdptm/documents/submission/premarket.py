"""The FDA premarket parts of the submission set that answer V.A.2, V.A.5, V.A.6, V.B.2 and Appendix 4.

Sections added to the risk assessment (scoring method and acceptance criteria, exploitability and
severity per threat, the transfer to the safety risk assessment, residual-risk acceptability, known
vulnerabilities) and to the architecture views (operational and clinical states, Appendix 2 detail,
detect / respond / recover), beside two documents of their own (:mod:`.lifecycle`: unresolved anomalies and TPLC metrics;
:mod:`.set_index`: Appendix 4 Table 1 row by row). A gap is shown
in red where it is, so the regulatory team sees it before the set is sent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from mdptm.documents.ptm._shared import plural
from mdptm.documents.submission._shared import (
    GAP_FILL,
    NOT_STATED,
    OK_FILL,
    RISK_LEVELS,
    WARN_FILL,
    Index,
    _cite,
    _paragraphs,
    _words,
    _yes_no,
    level_fill,
    level_text,
    stated,
    threat_status,
)
from mdptm.model import Element, Model, Risk, Threat, View
from mdptm.model.cvss import describe as describe_cvss
from mdptm.model.premarket import (
    ACCEPTABLE,
    APPENDIX2_FIELDS,
    NOT_ACCEPTABLE,
    NOT_EVALUATED,
    WITH_RATIONALE,
    acceptability,
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
from mdptm.render.docir import Doc

VERDICT_FILLS = {ACCEPTABLE: OK_FILL, WITH_RATIONALE: OK_FILL, NOT_ACCEPTABLE: GAP_FILL, NOT_EVALUATED: WARN_FILL}
HARM_ORDER = ("catastrophic", "critical", "serious", "minor", "negligible")


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
    with_risk = [t for t in model.threats if t.risk is not None or t.residual_risk is not None]
    bases = Counter(basis_of(t) for t in with_risk)
    # a threat rated by severity alone has no likelihood axis to say anything of
    no_axis = sum(1 for t in with_risk if basis_of(t) is None and not any(r and r.likelihood for r in (t.risk, t.residual_risk)))
    rated = sum(bases.values())
    if rated:
        unsaid = bases[None] - no_axis

        def verb(n: int, one: str, many: str) -> str:  # "1 does not say", "2 do not say"
            return f"{n} {one if n == 1 else many}"

        doc.p(
            f"{bases['exploitability']} of {plural(rated, 'rated threat')} "
            + ("rates" if bases["exploitability"] == 1 else "rate")
            + " exploitability on the likelihood axis"
            + (f"; {verb(bases['probability'], 'rates', 'rate')} probability" if bases["probability"] else "")
            + (f"; {verb(unsaid, 'does', 'do')} not say what the axis rates" if unsaid else "")
            + (f"; {verb(no_axis, 'gives', 'give')} no likelihood" if no_axis else "")
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
    rated = [t for t in model.threats if t.risk is not None or t.residual_risk is not None]
    exploit = sum(1 for t in rated if basis_of(t) == "exploitability")
    # The column is named after what the model's likelihood axis rates: "exploitability" only when it says so.
    axis = "Exploitability" if rated and exploit == len(rated) else "Likelihood"
    scored = [t for t in model.threats if cvss_of(t).vector or cvss_of(t).stated is not None]
    if model.threats and not rated and not scored:
        # a table of dashes, one row per threat, would only hide that nothing is rated
        doc.p(
            f"The threat model rates none of its {len(model.threats)} threats before or after its controls and gives no CVSS "
            "vector: FDA V.A.2 asks for each threat's exploitability and severity, with the scoring method.",
            style="note",
        )
        return
    doc.p(
        f"Each threat's {axis.lower()} and severity before its controls and after them (residual), as the threat model "
        "rates them, with the CVSS base score where one is given (computed from the vector)."
        + (
            ""
            if axis == "Exploitability" or not rated
            else f" The likelihood axis rates exploitability for {exploit} of the {len(rated)} rated threats; "
            "for the others the model does not say it does (FDA V.A.2 asks for exploitability rather than probability)."
        )
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
                f"{axis} before",
                "Severity before",
                "Risk before",
                f"{axis} after",
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
    unassessed = sum(1 for t in model.threats if t.patient_harm is None)
    doc.p(
        f"{plural(len(harmful), 'threat')} could harm a patient; {len(linked)} of them "
        f"{'is' if len(linked) == 1 else 'are'} linked to hazards of the safety risk management file"
        f"{' (' + model.risk_management.hazard_file.split(',')[0] + ')' if model.risk_management.hazard_file else ''}."
        + (f" For {plural(unassessed, 'threat')} the threat model does not assess patient harm." if unassessed else "")
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
                level_text(t.residual_risk),
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
        rows.append([t.id, t.title, level_text(t.residual_risk), threat_status(t), v.verdict, v.why])
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
            rows.append([t.id, t.title, ", ".join(t.cve) or "—", describe_cvss(cvss_of(t)) or "—", _yes_no(t.kev), threat_status(t)])
            if t.kev:
                fills[(r, 4)] = GAP_FILL
        doc.table(
            ["ID", "Threat", "CVE", "CVSS", "In CISA KEV", "Status"],
            rows,
            caption="Threats resting on known vulnerabilities",
            widths=[1.0, 2.8, 1.2, 3.4, 0.9, 1.1],
            fills=fills,
        )


def hazards_text(t: Threat) -> str:
    """The safety hazards a threat links, or why there are none: the risk assessment and the traceability workbook
    say the same, so a harmful threat with no hazard is never a blank cell."""
    if t.hazards:
        return ", ".join(t.hazards)
    if t.patient_harm in HARM_ORDER:
        return "none linked"
    return "none (no patient harm)" if t.patient_harm == "none" else "none linked (patient harm not assessed)"


def threat_rows(model: Model, t: Threat) -> list[list[str]]:
    """Extra rows of a threat's detail table: exploitability basis, CVSS, hazards, acceptability."""
    rows = []
    basis = basis_of(t)
    axis = {"exploitability": "exploitability", "probability": "probability (FDA asks for exploitability)"}
    if t.risk is not None or t.residual_risk is not None:
        given = any(r is not None and r.likelihood for r in (t.risk, t.residual_risk))
        rows.append(["Likelihood axis", axis.get(basis or "", "not stated" if given else "no likelihood given")])
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
    rows.append(["Safety hazards", hazards_text(t)])
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
            if name in have:
                row.append(have[name])
                continue
            raw = getattr(e, name)
            raw = "; ".join(v.strip() for v in raw if v.strip()) if isinstance(raw, list) else raw
            row.append(stated(raw, NOT_STATED)[0])  # a placeholder is shown as written, and as not stated
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
