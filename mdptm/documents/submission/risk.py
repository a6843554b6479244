"""``risk-assessment.docx``: the security risk assessment, threat by threat, with the FDA premarket chapters."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from mdptm.documents.ptm._shared import plural
from mdptm.documents.submission._shared import (
    GAP_FILL,
    OK_FILL,
    OPEN_STATUSES,
    RISK_LEVELS,
    STATUS_NOT_STATED,
    SUGGESTED,
    THREAT_STATUS_ORDER,
    WARN_FILL,
    Index,
    _level,
    _new_doc,
    _paragraphs,
    _words,
    _yes_no,
    control_status_key,
    level_fill,
    level_text,
    risk_text,
    sensitivity_rows,
    source_rows,
    stated,
    threat_status,
    vocabulary,
)
from mdptm.documents.submission._tables import _assets_table, _controls_table, _fit_id_columns
from mdptm.documents.submission.premarket import (
    acceptability_section,
    exploitability_chapter,
    known_vulnerabilities_chapter,
    method_chapter,
    safety_chapter,
    threat_rows,
)
from mdptm.model import Control, Model, Risk, Threat
from mdptm.model.evidence import is_placeholder, status_shown
from mdptm.model.premarket import (  # the set's file names: review checks name them too
    TRACEABILITY,
)
from mdptm.model.report import ImportReport
from mdptm.plugins import ExportContext
from mdptm.render.docir import Doc, Image

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


def _controls_text(ix: Index, t: Threat) -> str:
    """A threat's controls with their status, and how the source states each link when it is not a pair: listed
    beside the threat under one heading, or named by one side only (Threat.controls_grouped, controls_disputed)."""
    parts = []
    for c in t.controls:
        said = f"{ix.label(c)} ({_control_word(ix.controls[c])})" if c in ix.controls else f"{c} (not in the model)"
        if c in t.controls_disputed:
            said += " — the control's list of threats leaves this threat out"
        elif c in t.controls_grouped:
            said += " — listed beside this threat under one heading, not paired with it"
        parts.append(said)
    parts += [f"{c} lists this threat, but the threat does not name it (not linked)" for c in t.controls_disputed if c not in t.controls]
    return "; ".join(parts) or "none"


def _accepted_sentence(accepted: Sequence[Threat]) -> str:
    """How many accepted threats say why: an accepted threat whose rationale is blank or a placeholder ("N/A")
    is not said to have one listed, since nothing recorded justifies accepting its residual risk."""
    n = len(accepted)
    said = [t for t in accepted if (t.rationale or "").strip() and not is_placeholder(t.rationale or "")]
    silent = [t.id for t in accepted if t not in said]
    head = "1 threat is accepted with its residual risk" if n == 1 else f"{n} threats are accepted with their residual risk"
    where = "listed under 'Open and accepted threats'"
    if not silent:
        return f"{head}; {'its rationale is' if n == 1 else 'their rationales are'} {where}."
    ids = ", ".join(silent)
    if not said:
        who = "it states no rationale" if n == 1 else "neither states a rationale" if n == 2 else "none of them states a rationale"
        return f"{head}; {who} ({ids}), so nothing recorded justifies accepting {'it' if n == 1 else 'them'}."
    k = len(said)
    return (
        f"{head}; {k} {'states its rationale' if k == 1 else 'state their rationales'}, {where}; "
        f"{len(silent)} {'states' if len(silent) == 1 else 'state'} none ({ids}), so nothing recorded justifies "
        f"accepting {'it' if len(silent) == 1 else 'them'}."
    )


def _threat_detail(doc: Doc, ix: Index, t: Threat) -> None:
    doc.h(f"{t.id} {t.title}", 2)
    rows: list[list[str]] = [
        ["STRIDE", ", ".join(_words(s) for s in t.stride) or "not classified"],
        ["Targets", ix.labels(t.targets) or "none recorded"],
        ["Assets", ix.labels(t.assets) or "none recorded"],
        ["Risk before controls", _risk_with_scale(t.risk)],
        ["Controls", _controls_text(ix, t)],
        ["Residual risk", _risk_with_scale(t.residual_risk)],
        ["Patient harm", _words(t.patient_harm) or "not assessed"],
        ["Could harm many patients at once", _yes_no(t.multi_patient)],
        ["Status", threat_status(t)],
        ["Rationale", stated(t.rationale, "none recorded")[0]],
    ]
    refs = [x for x in (", ".join(t.cwe), ", ".join(t.capec)) if x]  # CVSS has a row of its own, read and scored
    if refs:
        rows.append(["References", "; ".join(refs)])
    rows += sensitivity_rows(t)
    fills: dict[tuple[int, int], str] = {}
    for r, lvl in ((3, _level(t.risk)), (5, _level(t.residual_risk))):
        if lvl:
            fills[(r, 1)] = level_fill(lvl)
    if not t.controls:
        fills[(4, 1)] = GAP_FILL
    if t.status in OPEN_STATUSES:
        fills[(8, 1)] = GAP_FILL
    if is_placeholder(t.rationale) and t.status in ("accepted", "transferred", "not_applicable"):  # "TBD" is none
        fills[(9, 1)] = GAP_FILL
    rows += threat_rows(ix.model, t)  # appended: the fills above keep their row numbers
    rows += source_rows(t)
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
    by_status = Counter(t.stated_status() for t in threats)
    doc.p(
        f"The threat model holds {len(model.elements)} elements, {len(model.flows)} data flows, {len(model.assets)} assets, "
        f"{len(threats)} threats and {len(model.controls)} controls. " + _method_facts(threats)
    )
    if model.assumptions:
        doc.h("Assumptions", 2)
        doc.table(
            ["ID", "Assumption", "Responsibility"],
            [[a.id, a.text, _words(a.responsibility) or "—"] for a in model.assumptions],
            widths=[1.0, 7.4, 1.6],
        )
    if model.assets:  # what the threats are against: the only place the set lists assets no element holds
        doc.h("Assets", 2)
        _assets_table(doc, ix, model.assets, "Assets of the threat model")
    if model.out_of_scope:
        doc.h("Out of scope", 2)
        doc.table(
            ["ID", "Out of scope", "Rationale"],
            [[o.id, o.text, o.rationale or "none recorded"] for o in model.out_of_scope],
            widths=[1.0, 4.6, 4.4],
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
            fills[(r, 0)] = level_fill(lvl)
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
        from mdptm.render.diagrams import heat_map_phases  # drawn already: its library is loaded

        doc.image(heat_map.path, caption=f"Likelihood and severity of the threats, {heat_map_phases(threats)}", width_cm=heat_map.width_cm)
    harm = Counter(t.patient_harm for t in threats)
    harm_rows = [
        [_words(h) or "Not assessed", str(harm[h])]
        for h in ("catastrophic", "critical", "serious", "minor", "negligible", "none", None)
        if harm[h]
    ]
    if harm_rows:
        doc.table(["Patient harm", "Threats"], harm_rows, caption="Threats by potential patient harm", widths=[3.0, 2.0])
    many, unsaid = sum(1 for t in threats if t.multi_patient), sum(1 for t in threats if t.multi_patient is None)
    doc.p(
        f"{plural(many, 'threat')} could harm many patients at once" + (f"; for {unsaid} the threat model does not say." if unsaid else ".")
    )

    doc.h("Threat register", 1)
    status_text = ", ".join(f"{by_status[s]} {_words(s).lower()}" for s in THREAT_STATUS_ORDER if by_status[s])
    doc.p(f"{len(threats)} threats: {status_text or 'none'}.")
    reg_rows, reg_fills = [], {}
    for r, t in enumerate(threats):
        reg_rows.append(
            [
                t.id,
                t.title,
                ", ".join(_words(s) for s in t.stride) or "—",
                ", ".join(ix.name(x) for x in t.targets) or "—",
                level_text(t.risk),
                ", ".join(t.controls) or "none",
                level_text(t.residual_risk),
                threat_status(t),
            ]
        )
        for c, lvl in ((4, _level(t.risk)), (6, _level(t.residual_risk))):
            if lvl:
                reg_fills[(r, c)] = level_fill(lvl)
            elif t.status != "not_applicable":  # unrated: a gap to close, as under 'Residual risk not rated'
                reg_fills[(r, c)] = WARN_FILL
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
    unstated = [t for t in threats if t.stated_status() == STATUS_NOT_STATED]
    _callout_table(
        doc,
        ix,
        [t for t in threats if t.stated_status() in OPEN_STATUSES],
        "Open",
        ("threats are open or only partly mitigated.", "threat is open or only partly mitigated."),
        # "no threat is open" would read as all treated when the source states no status at all
        f"No threat is stated to be open or only partly mitigated; the source states no status for {len(unstated)} (below)."
        if unstated
        else "No threat is open or only partly mitigated.",
    )
    _callout_table(
        doc,
        ix,
        unstated,
        "Status not stated",
        (
            "threats have no status in the source: none of them is shown to be mitigated.",
            "threat has no status in the source: it is not shown to be mitigated.",
        ),
        None,
    )
    _callout_table(
        doc,
        ix,
        [t for t in threats if t.status == "accepted"],
        "Accepted",
        ("threats are accepted with their residual risk.", "threat is accepted with its residual risk."),
        "No threat is recorded as accepted.",  # not "accepted without mitigation": that reads as "all are mitigated"
    )
    _callout_table(
        doc,
        ix,
        [t for t in threats if t.status == "transferred"],
        "Transferred",
        ("threats are transferred to another party.", "threat is transferred to another party."),
        None,
    )
    no_control = [t for t in threats if not t.controls and t.status != "not_applicable"]
    _callout_table(
        doc,
        ix,
        no_control,
        "No control",
        ("threats have no control.", "threat has no control."),
        "Every applicable threat has at least one control.",
    )

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
                level_fills[(len(level_rows), 0)] = level_fill(lvl)
            level_rows.append([lvl.capitalize() if lvl else "Not rated", str(len(ids)), ", ".join(ids)])
    if level_rows:
        doc.table(
            ["Residual risk", "Threats", "Which"], level_rows, caption="Residual risk by level", widths=[1.8, 1.0, 7.2], fills=level_fills
        )
    accepted = [t for t in threats if t.status == "accepted"]
    if accepted:
        doc.p(_accepted_sentence(accepted))
    high = [t for t in threats if _level(t.residual_risk) in ("high", "critical")]
    unrated = [t for t in threats if t.residual_risk is None and t.status != "not_applicable"]
    leveled = sum(1 for t in threats if _level(t.residual_risk))
    _callout_table(
        doc,
        ix,
        high,
        "High residual risk",
        (
            "threats keep a high or critical residual risk; each needs a benefit-risk justification.",
            "threat keeps a high or critical residual risk; it needs a benefit-risk justification.",
        ),
        # a residual risk left unrated is not shown to be below high
        "No threat keeps a high or critical residual risk."
        if not unrated
        else f"{_none_keeps(leveled)}; {_have_no_rating(len(unrated))}"
        if leveled
        else f"No threat has a residual risk level, so none is shown to stay below high ({len(unrated)} not rated).",
    )
    _callout_table(
        doc, ix, unrated, "Residual risk not rated", ("threats have no residual risk rating.", "threat has no residual risk rating."), None
    )
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
    _control_details(doc, model.controls)
    if ctx.import_report is not None:
        _sources_chapter(doc, ctx.import_report)
    return _fit_id_columns(doc)


def _places(locators: Sequence[str]) -> str:
    """``table 2 row 1`` … ``table 2 row 12`` → ``table 2 rows 1–12``; other places listed as they are."""
    parts = [re.fullmatch(r"(.*\brow) (\d+)", loc) for loc in locators]
    if len(locators) > 1 and all(parts) and len({m.group(1) for m in parts if m}) == 1:
        nums = [int(m.group(2)) for m in parts if m]
        head = parts[0].group(1) if parts[0] else ""
        if nums == list(range(nums[0], nums[0] + len(nums))):
            return f"{head}s {nums[0]}–{nums[-1]}"
        return f"{head}s " + ", ".join(map(str, nums))
    return "; ".join(locators)


def _sources_chapter(doc: Doc, report: ImportReport) -> None:
    """The documents the model was read from, and what of them the model does not hold: the parts the import
    skipped and what it noted (a list of threats and mitigations linked as a group, a table it could not place),
    so that a reviewer sees what the source says beyond the model rather than trusting that nothing is left."""
    doc.h("Source documents", 1)
    doc.p(
        "The threat model was read from these documents. The parts of them the model does not hold, and what the "
        "import noted while reading them, are listed below: check each before the set is sent."
    )
    files = list(dict.fromkeys([*(r.file for r in report.records), *(w.file for w in report.warnings)]))
    counts = {f: Counter(r.disposition for r in report.records if r.file == f) for f in files}
    notes = Counter(w.file for w in report.warnings)
    rows = [[f, str(counts[f]["imported"]), str(counts[f]["merged"]), str(counts[f]["skipped"]), str(notes[f])] for f in files]
    fills = {(r, 3): WARN_FILL for r, f in enumerate(files) if counts[f]["skipped"]}
    doc.table(
        ["Source", "Records imported", "Merged", "Not read", "Import notes"],
        rows,
        caption="Source documents",
        widths=[4.0, 1.6, 1.2, 1.4, 1.8],
        fills=fills,
    )
    skipped = [r for r in report.records if r.disposition == "skipped"]
    if skipped:
        doc.h("Parts of the sources not read into the model", 2)
        groups: dict[tuple[str, str], list[str]] = {}
        for r in skipped:  # the rows of one table skipped for one reason are one line
            groups.setdefault((r.file, r.reason or "—"), []).append(r.locator)
        doc.table(
            ["Source", "Where", "Why"],
            [[file, _places(locators), reason] for (file, reason), locators in groups.items()],
            caption="Not read into the model",
            widths=[2.6, 2.2, 5.2],
        )
    if report.warnings:
        doc.h("Import notes", 2)
        doc.table(
            ["Source", "Where", "Note"],
            [[w.file, w.locator or "—", w.message] for w in report.warnings],
            caption="Import notes",
            widths=[2.6, 2.2, 5.2],
        )


def _said_more(c: Control) -> bool:
    """Whether the control's text says more than its (possibly shortened) title."""
    return bool(c.description.strip()) and " ".join(c.description.split()) != " ".join(c.title.split())


def _control_details(doc: Doc, controls: Sequence[Control]) -> None:
    """Each control whose text the table's title shortens or leaves out, in full, with what else the author wrote
    of it and whether the public PTM withholds it: the control's design is what a reviewer traces a threat to."""
    detailed = [(c, sensitivity_rows(c) + source_rows(c)) for c in controls]  # a withheld control says so
    detailed = [(c, rows) for c, rows in detailed if _said_more(c) or rows]
    if not detailed:
        return
    doc.h("Controls in detail", 2)
    for c, rows in detailed:
        doc.h(f"{c.id} {c.title}", 3)
        if _said_more(c):
            _paragraphs(doc, c.description)
        if rows:
            doc.table([], rows, widths=[2.4, 7.6])


def _method_facts(threats: Sequence[Threat]) -> str:
    """How far the threats are classified and rated, counted (not the method a complete model would follow)."""
    n = len(threats)
    if not n:
        return "It records no threat."
    stride = sum(1 for t in threats if t.stride)
    targets = sum(1 for t in threats if t.targets)
    before = sum(1 for t in threats if _full(t.risk))
    part = sum(1 for t in threats if t.risk is not None and not _full(t.risk))  # a severity alone rates nothing
    after = sum(1 for t in threats if _full(t.residual_risk))
    after_part = sum(1 for t in threats if t.residual_risk is not None and not _full(t.residual_risk))

    if n == 1:  # "Of the 1 threats, all are classified …" said of one threat
        return (
            "The only threat "
            + ("is classified with STRIDE" if stride else "is not classified with STRIDE")
            + (" and names the elements or flows it targets" if targets else " and names no element or flow it targets")
            + ("; it is rated before controls" if before else "; it is not rated before controls")
            + (" (it gives a likelihood or severity but no risk level)" if part else "")
            + (" and after them (residual risk)" if after else " and not after them (residual risk)")
            + (" (it gives a likelihood or severity but no residual level)" if after_part else "")
            + "."
        )

    def of(k: int, plural: str, one: str) -> str:
        """'all are …', 'none are …', '1 is …', '3 are …': the count agrees with its verb."""
        return "all " + plural if k == n else "none " + plural if not k else f"{k} " + (one if k == 1 else plural)

    def more(k: int, what: str) -> str:
        return f" ({k} more {'gives' if k == 1 else 'give'} a likelihood or severity but no {what})" if k else ""

    return (
        f"Of the {n} threats, {of(stride, 'are classified', 'is classified')} with STRIDE and "
        f"{of(targets, 'name the elements or flows they target', 'names the elements or flows it targets')}; "
        f"{of(before, 'are rated', 'is rated')} before controls"
        + more(part, "risk level")
        + f" and {of(after, 'are rated', 'is rated')} after them (residual risk)"
        + more(after_part, "residual level")
        + "."
    )


def _full(r: Risk | None) -> bool:
    """A rating: a risk level, a score, or both a likelihood and a severity (:meth:`Risk.rated`, as the mapping reads it)."""
    return r is not None and r.rated()


def _control_word(c: Control) -> str:
    """A control's status inside a sentence: ``implemented``, or ``status not stated in the source``."""
    if control_status_key(c) == SUGGESTED:
        return "suggested by the modelling tool, no decision recorded"
    shown = status_shown(c)  # "verification did not pass (…)", "not stated (written as a requirement)"
    if shown is not None:
        return shown[0].lower() + shown[1:]
    return _words(c.status).lower() if c.status_stated else "status not stated in the source"


def _none_keeps(n: int) -> str:
    """'None of the 3 threats with a residual risk level keeps …', never 'None of the 1 threats …'."""
    if n == 1:
        return "The 1 threat with a residual risk level does not keep a high or critical one"
    return f"None of the {n} threats with a residual risk level keeps a high or critical one"


def _have_no_rating(n: int) -> str:
    if n == 1:
        return "1 threat has no residual risk rating, so it is not shown to stay below high."
    return f"{n} threats have no residual risk rating, so they are not shown to stay below high."


def _callout_table(doc: Doc, ix: Index, threats: Sequence[Threat], label: str, some: tuple[str, str], none: str | None) -> None:
    """A call-out (*label*: "3 threats have no control.", or *none* when no threat is listed) and the threats'
    table. *some* is the sentence after the count, for several threats and for one."""
    if not threats:
        if none:
            doc.p(none, bold_prefix=f"{label}:")
        return
    doc.p(f"{len(threats)} {some[1] if len(threats) == 1 else some[0]}", bold_prefix=f"{label}:")
    rows = [
        [
            t.id,
            t.title,
            risk_text(t.risk),
            ", ".join(t.controls) or "none",
            risk_text(t.residual_risk),
            threat_status(t),
            stated(t.rationale, "none recorded")[0],
        ]
        for t in threats
    ]
    fills = {(r, 6): GAP_FILL for r, t in enumerate(threats) if is_placeholder(t.rationale)}
    doc.table(
        ["ID", "Threat", "Before", "Controls", "Residual", "Status", "Rationale"],
        rows,
        caption=f"{label} threats",
        widths=[1.1, 2.3, 1.5, 1.2, 1.5, 1.3, 2.3],
        fills=fills,
    )
