"""Review checks for what an FDA premarket cybersecurity reviewer asks of the submission set.

Each gap the submission documents show in red is also a finding here, so it shows in ``mdptm review``
before the set is sent: the scoring method and acceptance criteria (V.A.2), exploitability rather than
probability, CVSS vectors that do not parse or disagree with their score, threats that can harm a patient
but link to no safety hazard, residual risks outside the acceptance criteria, operational and clinical
states without a security use case view or justification (V.B.2(d)), elements without Appendix 2 detail,
a Multi-Patient Harm View that does not say how it detects, responds and recovers, unresolved anomalies
without assessment (V.A.5), missing TPLC metrics (V.A.6) and Appendix 4 documents nobody supplies.
Checks that need a fact the model does not state report that once, not once per threat. They run for
the submission audience (``mdptm review --audience submission``, ``mdptm build --audience submission``) or
when the model states premarket facts of its own; ``cvss-invalid`` always runs.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator

from mdptm.model import RiskManagement, Threat
from mdptm.model.cvss import read as read_cvss
from mdptm.model.premarket import (
    FILES,
    MAKER_ADDS,
    NOT_ACCEPTABLE,
    PARTLY,
    acceptability,
    appendix4_index,
    basis_of,
    cvss_of,
    fact_parts,
    has_criteria,
    missing_detail,
    multi_patient_parts,
    state_coverage,
)
from mdptm.model.results import Finding
from mdptm.plugins import Audience, ReviewContext
from mdptm.review._shared import ReviewCheck, unstated

HARMFUL = ("negligible", "minor", "serious", "critical", "catastrophic")


def applies(ctx: ReviewContext) -> bool:
    """Premarket checks run for the submission audience, or once the model states premarket facts of its own.

    A hospital-facing review of a model that never meant to carry them is not flooded with FDA findings.
    """
    return ctx.audience == Audience.SUBMISSION or ctx.model.risk_management != RiskManagement()


class PremarketCheck(ReviewCheck):
    """A check that runs only where :func:`applies`: its :meth:`findings` are those of the model."""

    def run(self, ctx: ReviewContext) -> Iterator[Finding]:
        if applies(ctx):
            yield from self.findings(ctx)

    @abc.abstractmethod
    def findings(self, ctx: ReviewContext) -> Iterator[Finding]:
        """The findings for a model the premarket checks apply to."""


def _rated(t: Threat) -> bool:
    return any(r is not None and (r.likelihood or r.level or r.score is not None) for r in (t.risk, t.residual_risk))


class RiskMethodMissing(PremarketCheck):
    id = "risk-method-missing"
    severity = "warning"
    description = "The scoring method, exploitability scale, acceptance criteria or transfer to safety risk is not stated (FDA V.A.2)."

    def findings(self, ctx: ReviewContext) -> Iterator[Finding]:
        rm = ctx.model.risk_management
        missing = unstated(
            (
                ("the scoring method (risk_management.method)", rm.method),
                ("the exploitability scale (risk_management.exploitability_scale)", rm.exploitability_scale),
                ("the acceptance criteria (risk_management.acceptable_levels / justify_levels)", rm.acceptable_levels or rm.justify_levels),
                ("the transfer of security risks into the safety risk assessment (risk_management.safety_transfer)", rm.safety_transfer),
            )
        )
        for what in missing:
            yield self.finding(f"the risk assessment does not state {what}: FDA V.A.2 asks for it; set it in mdptm.yaml")


class ExploitabilityMissing(PremarketCheck):
    id = "exploitability-missing"
    severity = "warning"
    description = "Threats rated on a likelihood axis that is not exploitability (FDA V.A.2: exploitability rather than probability)."

    def findings(self, ctx: ReviewContext) -> Iterator[Finding]:
        rated = [t for t in ctx.model.threats if _rated(t)]
        other = [t for t in rated if basis_of(t) != "exploitability"]
        if other:
            prob = sum(1 for t in other if basis_of(t) == "probability")
            level_only = sum(1 for t in other if not any(r is not None and r.likelihood for r in (t.risk, t.residual_risk)))
            unnamed = len(other) - prob - level_only
            why = [f"{prob} {'rates' if prob == 1 else 'rate'} probability"] if prob else []
            if level_only:
                why.append(f"{level_only} {'has' if level_only == 1 else 'have'} a risk level but no exploitability rating")
            if unnamed:
                why.append(f"{unnamed} {'has' if unnamed == 1 else 'have'} a likelihood column that does not say what it rates")
            yield self.finding(
                f"{len(other)} of {len(rated)} rated threats do not rate exploitability ({'; '.join(why)}): FDA asks for "
                "exploitability rather than probability; name the column 'Exploitability' or re-rate",
                [t.id for t in other],
            )


class CvssInvalid(ReviewCheck):
    id = "cvss-invalid"
    severity = "warning"
    description = "A CVSS vector that does not parse, or a stated score that does not match its vector or lies outside 0-10."

    def run(self, ctx: ReviewContext) -> Iterator[Finding]:
        for n, t in enumerate(ctx.model.threats):
            reading = cvss_of(t)
            if reading.problem:
                yield self.finding(f"threat {t.id} (/threats/{n}/cvss): {reading.problem}", [t.id])
        for n, a in enumerate(ctx.model.risk_management.anomalies):
            reading = read_cvss(a.cvss)
            if a.cvss and reading.problem:
                yield self.finding(f"anomaly {a.id} (/risk_management/anomalies/{n}/cvss): {reading.problem}", [a.id])


class HazardLinkMissing(PremarketCheck):
    id = "hazard-link-missing"
    severity = "warning"
    description = "A threat that can harm a patient links to no hazard of the ISO 14971 file (FDA V.A.2 transfer to safety risk)."

    def findings(self, ctx: ReviewContext) -> Iterator[Finding]:
        harmful = [t for t in ctx.model.threats if t.patient_harm in HARMFUL and t.status != "not_applicable"]
        unlinked = [t for t in harmful if not t.hazards]
        if not unlinked:
            return
        if len(unlinked) == len(harmful) and len(harmful) > 1:
            yield self.finding(
                f"none of the {len(harmful)} threats that can harm a patient links to a safety hazard: add the "
                "hazard ids of the ISO 14971 file (a 'Related hazards' column)",
                [t.id for t in unlinked],
            )
            return
        for t in unlinked:
            yield self.finding(f"threat {t.id} can cause {t.patient_harm} patient harm but links to no safety hazard", [t.id])


class ResidualRiskUnacceptable(PremarketCheck):
    id = "residual-risk-unacceptable"
    severity = "warning"
    description = "A residual risk outside the acceptance criteria, or needing a rationale it lacks."

    def findings(self, ctx: ReviewContext) -> Iterator[Finding]:
        if not has_criteria(ctx.model):
            return  # reported once by risk-method-missing
        for t in ctx.model.threats:
            verdict = acceptability(ctx.model, t)
            if verdict.verdict == NOT_ACCEPTABLE:
                yield self.finding(f"threat {t.id}: {verdict.why}", [t.id])


class StateWithoutView(PremarketCheck):
    id = "state-without-view"
    severity = "warning"
    description = "An operational or clinical state with neither a security use case view nor a justification (FDA V.B.2(d))."

    def findings(self, ctx: ReviewContext) -> Iterator[Finding]:
        coverage = state_coverage(ctx.model)
        if not coverage:
            yield self.finding(
                "the model names no operational or clinical state (risk_management.states): FDA expects a "
                "security use case view, or a justification, for each (power-on, standby, programming, alarming, ...)",
            )
            return
        for c in coverage:
            if c.unknown:
                yield self.finding(
                    f"state {c.state.id} ({c.state.name}) names {', '.join(map(repr, c.unknown))}, which is not a "
                    "security use case view of the model",
                )
            if c.status == "gap":
                yield self.finding(f"state {c.state.id} ({c.state.name}) has no security use case view and no justification")


class ViewDetailMissing(PremarketCheck):
    id = "view-detail-missing"
    severity = "info"
    description = "An element in a view without Appendix 2 detail (dormant/debug interfaces, key life cycle, sessions, defaults)."

    def findings(self, ctx: ReviewContext) -> Iterator[Finding]:
        in_views = {e for v in ctx.model.views for e in v.elements}
        for e in ctx.model.elements:
            if in_views and e.id not in in_views:
                continue
            missing = missing_detail(e)
            if missing:
                yield self.finding(f"element {e.id} ({e.name}) does not state: {', '.join(m.lower() for m in missing)}", [e.id])


class MultiPatientResponseMissing(PremarketCheck):
    id = "multi-patient-response-missing"
    severity = "warning"
    description = "A Multi-Patient Harm View that does not say how attacks are detected, responded to and recovered from."

    def findings(self, ctx: ReviewContext) -> Iterator[Finding]:
        for v in ctx.model.views:
            if v.kind != "multi_patient_harm":
                continue
            missing = [p for p, text in multi_patient_parts(v).items() if not text]
            if missing:
                yield self.finding(
                    f"view {v.id} ({v.name}) does not say how the system will {', '.join(missing)}: FDA V.B.2(b) "
                    "asks how it defends against and responds to attacks on many patients",
                    [v.id],
                )


class AnomalyUnassessed(PremarketCheck):
    id = "anomaly-unassessed"
    severity = "warning"
    description = "Unresolved anomalies not stated, or one without CWE, security impact or rationale (FDA V.A.5)."

    def findings(self, ctx: ReviewContext) -> Iterator[Finding]:
        anomalies = ctx.model.risk_management.anomalies
        if not anomalies:
            yield self.finding(
                "no unresolved anomalies are recorded (risk_management.anomalies): list each known defect the "
                "release ships with and its security impact, or state that there is none",
            )
            return
        for a in anomalies:
            missing = unstated((("CWE", a.cwe), ("security impact", a.impact), ("rationale", a.rationale)))
            if missing:
                yield self.finding(f"anomaly {a.id} ({a.title}) has no {', '.join(missing)}", [a.id])


class TplcMetricsMissing(PremarketCheck):
    id = "tplc-metrics-missing"
    severity = "warning"
    description = "TPLC security metrics missing: share patched, time to patch, time to field deployment (FDA V.A.6)."

    def findings(self, ctx: ReviewContext) -> Iterator[Finding]:
        m = ctx.model.risk_management.metrics
        if m is None:
            yield self.finding(
                "no TPLC security metrics (risk_management.metrics): FDA V.A.6 asks for the share of "
                "vulnerabilities patched, the time to patch and the time to deploy patches in the field",
            )
            return
        missing = unstated(
            (
                ("vulnerabilities identified", m.vulnerabilities_identified is not None),
                ("vulnerabilities patched", m.vulnerabilities_patched is not None),
                ("days to patch", m.days_to_patch is not None),
                ("days to deploy", m.days_to_deploy is not None),
            )
        )
        if missing:
            yield self.finding(f"the TPLC metrics do not state: {', '.join(missing)}")


def _fact_label(path: str) -> str:
    """``any:threats.controls`` → ``threats.controls``; ``views[kind=security_use_case]`` → ``views of kind security_use_case``."""
    head, tail = fact_parts(path)
    return f"{head} {tail}" if " of " in head else ".".join(x for x in (head, tail) if x)


class SubmissionDocumentMissing(PremarketCheck):
    id = "submission-document-missing"
    severity = "info"
    description = "An FDA Appendix 4 Table 1 document that the submission set only partly answers or leaves to the maker."

    def findings(self, ctx: ReviewContext) -> Iterator[Finding]:
        for row in appendix4_index(ctx.model, set(FILES)):
            if row.status in (PARTLY, MAKER_ADDS):
                todo = [f"state {', '.join(_fact_label(f) for f in row.facts_missing)}"] if row.facts_missing else []
                if row.row.maker_adds:
                    todo.append(f"add {row.row.maker_adds[0].lower()}{row.row.maker_adds[1:].rstrip('.')}")
                yield self.finding(
                    f"Appendix 4 '{row.row.title}' is {row.status}: "
                    + "; ".join(todo)
                    + " (or name the maker's document in risk_management.documents)",
                )


PREMARKET_CHECKS = (
    RiskMethodMissing,
    ExploitabilityMissing,
    CvssInvalid,
    HazardLinkMissing,
    ResidualRiskUnacceptable,
    StateWithoutView,
    ViewDetailMissing,
    MultiPatientResponseMissing,
    AnomalyUnassessed,
    TplcMetricsMissing,
    SubmissionDocumentMissing,
)
