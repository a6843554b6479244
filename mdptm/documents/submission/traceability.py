"""``traceability.xlsx``: threat → control → verification evidence, with a summary and the controls."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from mdptm.documents.submission._shared import (
    CONTROL_SUGGESTED,
    GAP_FILL,
    OPEN_STATUSES,
    STATUS_NOT_STATED,
    SUGGESTED,
    THREAT_STATUS_ORDER,
    WARN_FILL,
    Index,
    _level,
    _words,
    category_label,
    control_status,
    control_status_key,
    level_fill,
    responsibility_text,
    risk_text,
    source_rows,
    threat_status,
    unverified,
    unverified_gap,
    verification_entries,
    vocabulary,
)
from mdptm.documents.submission._workbook import Sheet, _save_workbook
from mdptm.documents.submission.premarket import HARM_ORDER, hazards_text
from mdptm.model import CONTROL_CATEGORIES, STRIDE_ORDER, Control, Model, Threat
from mdptm.model.evidence import verified
from mdptm.plugins import ExportContext

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
    "Link as the source states it",
    "FDA category",
    "Responsibility",
    "Control status",
    "Verification evidence",
    "Gap",
    "Safety hazards",
]
_T_STATUS, _T_RISK, _T_RES, _C_ID, _LINK, _C_STATUS, _C_VERIF, _GAP, _HAZARDS = 3, 4, 5, 6, 8, 11, 12, 13, 14
# How the source states a threat–control link (Threat.controls_grouped, Threat.controls_disputed)
STATED, GROUPED, THREAT_ONLY, CONTROL_ONLY = "stated", "grouped", "threat_only", "control_only"
LINK_WORDS = {
    STATED: "Stated",
    GROUPED: "Listed side by side under one heading (not paired)",
    THREAT_ONLY: "Stated by the threat only",
    CONTROL_ONLY: "Stated by the control only (not linked)",
}
LINK_GAPS = {
    GROUPED: "Link not stated as a pair: the source lists the threat and the control under one heading without pairing them",
    THREAT_ONLY: "Links disagree: the threat names the control, the control's list of threats leaves the threat out",
    CONTROL_ONLY: "Links disagree: the control lists the threat, the threat does not name the control",
}


@dataclass
class TraceRow:
    threat: Threat
    control_id: str | None
    control: Control | None
    gaps: list[str]
    link: str = STATED  # how the source states the link (LINK_WORDS); "control_only" rows are no link


def link_kind(t: Threat, cid: str) -> str:
    """How the source states the link of threat *t* to control *cid*: a pair, a group, or one direction only."""
    if cid in t.controls_disputed:
        return THREAT_ONLY if cid in t.controls else CONTROL_ONLY
    return GROUPED if cid in t.controls_grouped else STATED


def trace_rows(model: Model) -> list[TraceRow]:
    """One row per threat–control pair, in threat order; a threat with no control gets one row. A pair the
    source states only as a group, or in one direction only, says so in its Link and Gap cells; a control that
    lists a threat which does not name it gets a row of its own, marked not linked."""
    ix = Index(model)
    out = []
    for t in model.threats:
        back_only = [cid for cid in t.controls_disputed if cid not in t.controls]
        if not t.controls:
            gap = "No control (threat not applicable)" if t.status == "not_applicable" else "No control"
            out.append(TraceRow(t, None, None, [gap]))
        for cid in dict.fromkeys([*t.controls, *back_only]):
            c = ix.controls.get(cid)
            link = link_kind(t, cid)
            gaps = [LINK_GAPS[link]] if link in LINK_GAPS else []
            if c is None:
                gaps.append("Control not in the model")
            elif link != CONTROL_ONLY:
                gaps.extend(_control_gaps(c))
            out.append(TraceRow(t, cid, c, gaps, link))
    return out


def _control_gaps(c: Control) -> list[str]:
    """What a control still lacks: its status as the source states it, and verification of an implemented one."""
    if c.status == "implemented" and c.verification_failed:  # not "no verification evidence": the test failed
        return [f"Verification did not pass: {c.verification_failed}"]
    if not c.status_stated:
        return ["Status not stated in the source" + ("" if not unverified(c) else "; " + unverified_gap(c))]
    if c.status == "implemented":
        return [] if not unverified(c) else ["Implemented, " + unverified_gap(c)]
    if control_status_key(c) == SUGGESTED:
        return [CONTROL_SUGGESTED]
    return [f"Control {_words(c.status).lower()}"]


def _trace_sheet(model: Model, rows: Sequence[TraceRow]) -> Sheet:
    data: list[list[object]] = []
    fills: dict[tuple[int, int], str] = {}
    for r, row in enumerate(rows):
        t, c = row.threat, row.control
        data.append(
            [
                t.id,
                t.title,
                ", ".join(_words(s) for s in t.stride),
                threat_status(t),
                risk_text(t.risk),
                risk_text(t.residual_risk),
                row.control_id or "",
                c.title if c else ("" if row.control_id is None else "(not in the model)"),
                LINK_WORDS[row.link] if row.control_id is not None else "",
                category_label(c.category) if c else "",
                responsibility_text(c) if c else "",
                control_status(c) if c else "",
                "\n".join(verification_entries(c)) if c else "",
                "; ".join(row.gaps),
                hazards_text(t),  # hazards: FDA V.A traceability to safety
            ]
        )
        for col, lvl in ((_T_RISK, _level(t.risk)), (_T_RES, _level(t.residual_risk))):
            if lvl:
                fills[(r, col)] = level_fill(lvl)
        if t.status in OPEN_STATUSES:
            fills[(r, _T_STATUS)] = WARN_FILL
        if not t.hazards and t.patient_harm in HARM_ORDER:  # a harmful threat the safety file does not take up
            fills[(r, _HAZARDS)] = WARN_FILL
        if row.control_id is None:
            colour = WARN_FILL if t.status == "not_applicable" else GAP_FILL
            for col in range(_C_ID, _GAP + 1):
                fills[(r, col)] = colour
        elif c is None:
            fills[(r, _C_ID)] = fills[(r, _GAP)] = GAP_FILL
        elif row.link == CONTROL_ONLY:
            fills[(r, _LINK)] = fills[(r, _GAP)] = GAP_FILL
        else:
            if c.status != "implemented" or not c.status_stated:
                fills[(r, _C_STATUS)] = fills[(r, _GAP)] = WARN_FILL
            if unverified(c):
                fills[(r, _C_VERIF)] = fills[(r, _GAP)] = GAP_FILL
            if row.link == THREAT_ONLY:
                fills[(r, _LINK)] = fills[(r, _GAP)] = GAP_FILL
            elif row.link == GROUPED:
                fills[(r, _LINK)] = WARN_FILL
                fills.setdefault((r, _GAP), WARN_FILL)
    note = (
        "One row per threat–control pair. Red: a threat with no control, a control missing from the model, an "
        "implemented control (or one whose status the source does not state) with no verification evidence, or a link "
        "the threat and the control state differently. Amber: a planned or unimplemented control, a control whose "
        "status the source does not state, an open threat or one whose status the source does not state, or a link the "
        "source states only by listing threats and controls side by side, or a threat that could harm a patient with no "
        "safety hazard linked. " + vocabulary().citations["traceability"]
    )
    return Sheet(
        "Traceability",
        "Threat → control → verification traceability",
        note,
        TRACE_HEADER,
        data,
        [11, 38, 20, 14, 22, 22, 11, 36, 20, 26, 14, 14, 36, 30, 16],
        fills,
    )


def _controls_sheet(model: Model) -> Sheet:
    ix = Index(model)
    data: list[list[object]] = []
    fills: dict[tuple[int, int], str] = {}
    for r, c in enumerate(model.controls):
        threats = ix.threats_of_control.get(c.id, [])
        gaps = _control_gaps(c)
        if unverified(c):
            fills[(r, 6)] = GAP_FILL
        if not threats:
            gaps.append("Linked to no threat")
            fills[(r, 7)] = WARN_FILL
        if c.status != "implemented" or not c.status_stated:
            fills[(r, 5)] = WARN_FILL
        if gaps:
            fills[(r, 8)] = GAP_FILL if unverified(c) else WARN_FILL
        data.append(
            [
                c.id,
                c.title,
                " ".join(c.description.split()) if c.description.strip() else "",
                category_label(c.category),
                responsibility_text(c),
                control_status(c),
                "\n".join(verification_entries(c)),
                ", ".join(threats),
                "; ".join(gaps),
                "\n".join(f"{k.removeprefix('In the source: ')}: {v}" for k, v in source_rows(c)),
            ]
        )
    note = (
        "Every control with its verification evidence and the threats it answers; 'Also in the source' gives what "
        "else the source says of the control, word for word (such as the threats it lists as mitigated)."
    )
    return Sheet(
        "Controls",
        "Controls and verification evidence",
        note,
        [
            "Control ID",
            "Control",
            "Description",
            "FDA category",
            "Responsibility",
            "Status",
            "Verification evidence",
            "Threats",
            "Gap",
            "Also in the source",
        ],
        data,
        [11, 40, 60, 28, 14, 14, 40, 24, 32, 40],
        fills,
    )


def _trace_summary_sheet(model: Model, rows: Sequence[TraceRow]) -> Sheet:
    ix = Index(model)
    data: list[list[object]] = []
    fills: dict[tuple[int, int], str] = {}

    def add(group: str, measure: str, count: int, gap: bool = False) -> None:
        if gap and count:
            fills[(len(data), 2)] = GAP_FILL
        data.append([group, measure, count])

    threats, controls = model.threats, model.controls
    add("Totals", "Threats", len(threats))
    add("Totals", "Controls", len(controls))
    add("Totals", "Threat–control pairs", sum(1 for r in rows if r.control_id is not None and r.link != CONTROL_ONLY))
    add("Gaps", "Threats with no control", sum(1 for t in threats if not t.controls and t.status != "not_applicable"), True)
    add(
        "Gaps",
        "Implemented controls with no verification evidence",
        sum(1 for c in controls if c.status == "implemented" and c.status_stated and unverified(c) and not c.verification_failed),
        True,
    )
    add(
        "Gaps",
        "Controls whose verification did not pass",
        sum(1 for c in controls if c.status == "implemented" and c.verification_failed),
        True,
    )
    add("Gaps", "Controls whose status the source does not state", sum(1 for c in controls if not c.status_stated), True)
    add("Gaps", "Pairs linked only as a group (not stated as pairs)", sum(1 for r in rows if r.link == GROUPED), True)
    add("Gaps", "Links the threat and the control state differently", sum(1 for r in rows if r.link in (THREAT_ONLY, CONTROL_ONLY)), True)
    add("Gaps", "Control references not in the model", sum(1 for r in rows if r.control_id is not None and r.control is None), True)
    add("Gaps", "Controls linked to no threat", sum(1 for c in controls if c.id not in ix.threats_of_control), True)
    add("Gaps", "Open or partly mitigated threats", sum(1 for t in threats if t.stated_status() in OPEN_STATUSES), True)
    add("Gaps", "Threats whose status the source does not state", sum(1 for t in threats if t.stated_status() == STATUS_NOT_STATED), True)
    t_status: Counter[str] = Counter(t.stated_status() for t in threats)
    for s in THREAT_STATUS_ORDER:
        add("Threats by status", _words(s), t_status[s])
    c_status: Counter[str] = Counter(control_status_key(c) for c in controls)
    for s in ("implemented", "planned", "not_implemented", STATUS_NOT_STATED):
        add("Controls by status", _words(s), c_status[s])
    add("Controls by status", CONTROL_SUGGESTED, c_status[SUGGESTED])
    add("Verification", "Controls with verification evidence", sum(1 for c in controls if verified(c.verification)))
    add("Verification", "Evidence references", sum(len(verified(c.verification)) for c in controls))
    c_cat: Counter[str] = Counter(c.category for c in controls)
    for cat in CONTROL_CATEGORIES:
        add("Controls by FDA category", category_label(cat), c_cat[cat])
    c_resp: Counter[str] = Counter(c.responsibility if c.responsibility_stated else STATUS_NOT_STATED for c in controls)
    for resp in ("manufacturer", "customer", "shared", "third_party"):
        add("Controls by responsibility", _words(resp), c_resp[resp])
    add("Controls by responsibility", "Not stated in the source", c_resp[STATUS_NOT_STATED])
    s_count: Counter[str] = Counter(s for t in threats for s in t.stride)
    for s in STRIDE_ORDER:
        add("Threats by STRIDE category", _words(s), s_count[s])
    note = "Counts over the whole threat model. A red count is a gap to close or justify before submission."
    return Sheet("Summary", "Traceability summary", note, ["Group", "Measure", "Count"], data, [28, 52, 10], fills, freeze_columns=0)


def write_traceability(model: Model, path: Path, ctx: ExportContext) -> None:
    rows = trace_rows(model)
    sheets = [_trace_summary_sheet(model, rows), _trace_sheet(model, rows), _controls_sheet(model)]
    _save_workbook(Workbook(), sheets, model, path, ctx, "Traceability")
