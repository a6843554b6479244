"""The built-in review checks, each registered under ``mdptm.checks`` in pyproject.toml.

Severities are deliberate (docs/review-and-redaction.md has the table and the reasons):
a *blocker* makes the package unsafe or dishonest to publish (a leak, a missing or rejected sign-off,
a withheld mitigation that silently vanished, "all mitigated" with nothing behind it, an unset
placeholder); a *warning* is something the paper wants fixed or disclosed rather than hidden (open
threats, unanalysed elements, claims with no control, dropped threats); an *info* is a prompt
(STRIDE-per-element gaps, controls nothing refers to).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache

from pydantic import BaseModel, ConfigDict

from mdptm.model import PLACEHOLDER, STRIDE_ORDER, VIEW_KINDS, Model, Signoff, Stride, Threat
from mdptm.model.evidence import (
    accepts_risk,
    is_placeholder,
    read_as_requirement,
    verified,
    void_reason,
    with_article,
    written_as,
)
from mdptm.model.results import Finding
from mdptm.model.vocabulary import shipped
from mdptm.plugins import ReviewContext
from mdptm.redaction.leakscan import needle_key, trie_pattern
from mdptm.redaction.redact import BOILERPLATE, iter_text, quotable_sentences, unusual_names, written_as_names
from mdptm.review._shared import ReviewCheck, label

# ----------------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class StrideTable:
    """STRIDE-per-element applicability, read from ``mappings/vocabulary/stride-per-element.yaml``."""

    dfd_kinds: dict[str, tuple[str, ...]]
    element_kinds: dict[str, str]
    flow_kind: str

    def for_element(self, kind: str) -> tuple[str, str, tuple[str, ...]]:
        """(DFD kind, mdptm kind, expected STRIDE categories) for an element kind."""
        dfd = self.element_kinds.get(kind, "process")
        return dfd, kind, self.dfd_kinds.get(dfd, ())

    def for_flow(self) -> tuple[str, ...]:
        return self.dfd_kinds.get(self.flow_kind, ())


class StridePerElement(BaseModel):
    """``stride-per-element.yaml``: the STRIDE categories that apply to each kind of DFD element."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    schema_version: int
    dfd_kinds: dict[str, list[Stride]]
    element_kinds: dict[str, str]
    flow_kind: str = "data_flow"


@cache
def stride_table() -> StrideTable:
    raw = shipped("stride-per-element", StridePerElement)
    return StrideTable(
        dfd_kinds={k: tuple(v) for k, v in raw.dfd_kinds.items()},
        element_kinds=dict(raw.element_kinds),
        flow_kind=raw.flow_kind,
    )


def _targets(model: Model) -> dict[str, list[Threat]]:
    out: dict[str, list[Threat]] = {}
    for t in model.threats:
        for target in dict.fromkeys(t.targets):
            out.setdefault(target, []).append(t)
    return out


def _article(dfd_kind: str) -> str:
    words = dfd_kind.replace("_", " ")
    return ("an " if words[0] in "aeiou" else "a ") + words


def _words(categories: Iterable[str]) -> str:
    return ", ".join(c.replace("_", " ") for c in categories)


def _role_key(role: str) -> str:
    return re.sub(r"[\s_-]+", "_", role.strip().lower())


def _latest_by_role(signoffs: list[Signoff]) -> dict[str, Signoff]:
    """The last decision of each role: later dates win, and the later entry among equal dates."""
    ordered = sorted(enumerate(signoffs), key=lambda p: (p[1].date or "", p[0]))
    return {_role_key(s.role): s for _, s in ordered}


# ------------------------------------------------------------------------------ analysis gaps


class ElementWithoutThreat(ReviewCheck):
    id = "element-without-threat"
    severity = "warning"
    description = "An element no threat analyses: the analysis is missing, or the PTM hides it."

    def run(self, ctx: ReviewContext) -> Iterator[Finding]:
        targeted = _targets(ctx.model)
        for el in ctx.model.elements:
            if el.id not in targeted:
                yield self.finding(f"element {label(el)} is the target of no threat", [el.id])


class FlowWithoutThreat(ReviewCheck):
    id = "flow-without-threat"
    severity = "warning"
    description = "A data flow no threat analyses (flows carry tampering, disclosure and denial of service)."

    def run(self, ctx: ReviewContext) -> Iterator[Finding]:
        targeted = _targets(ctx.model)
        for flow in ctx.model.flows:
            if flow.id not in targeted:
                ends = f"{flow.source} -> {flow.target}"
                yield self.finding(f"flow {label(flow)} [{ends}] is the target of no threat", [flow.id])


class StrideGap(ReviewCheck):
    id = "stride-gap"
    severity = "info"
    description = "STRIDE-per-element: a category that applies to the element's kind has no threat."

    def run(self, ctx: ReviewContext) -> Iterator[Finding]:
        table = stride_table()
        targeted = _targets(ctx.model)

        def covered(item_id: str) -> set[str]:
            return {s for t in targeted.get(item_id, []) for s in t.stride}

        for el in ctx.model.elements:
            if el.id not in targeted:
                continue  # reported by element-without-threat
            dfd, kind, expected = table.for_element(el.kind)
            missing = [s for s in STRIDE_ORDER if s in expected and s not in covered(el.id)]
            if missing:
                yield self.finding(
                    f"element {label(el)}: no threat considers {_words(missing)} (STRIDE-per-element, kind {kind} read as {_article(dfd)})",
                    [el.id],
                )
        expected_flow = table.for_flow()
        for flow in ctx.model.flows:
            if flow.id not in targeted:
                continue
            missing = [s for s in STRIDE_ORDER if s in expected_flow and s not in covered(flow.id)]
            if missing:
                yield self.finding(f"flow {label(flow)}: no threat considers {_words(missing)}", [flow.id])


# ---------------------------------------------------------------------------- threats, controls


class ThreatOpen(ReviewCheck):
    id = "threat-open"
    severity = "warning"
    description = "An open threat: the PTM discloses it, with what the hospital can do meanwhile."

    def run(self, ctx: ReviewContext) -> Iterator[Finding]:
        for t in ctx.model.threats:
            if t.status == "open":
                tail = "" if t.controls else "; no control is named for it"
                yield self.finding(f"threat {label(t)} is open{tail}: disclose it and say what the hospital can do meanwhile", [t.id])


class ThreatWithoutControl(ReviewCheck):
    id = "threat-without-control"
    severity = "warning"
    description = "A threat called mitigated, accepted or transferred that names no control ('trust us')."

    def run(self, ctx: ReviewContext) -> Iterator[Finding]:
        known = {c.id for c in ctx.model.controls}
        for t in ctx.model.threats:
            if [c for c in t.controls if c in known] or t.status in ("open", "not_applicable"):
                continue  # a control id the model does not hold is no control
            why = {
                "mitigated": "is called mitigated but names no control of the model: the mapping counts it as not treated",
                "partially_mitigated": "is called partially mitigated but names no control of the model: the mapping "
                "counts it as not treated",
                "accepted": "is accepted with no control named; state the residual risk and the rationale",
                "transferred": "is transferred with no control named; say who must do what",
            }[t.status]
            yield self.finding(f"threat {label(t)} {why}", [t.id])


class LinkNotStated(ReviewCheck):
    id = "link-not-stated"
    severity = "warning"
    description = (
        "A threat–control link the source does not state as a pair: listed side by side under one heading (linked as a "
        "group), or named by the threat and not by the control's own list of threats (or the other way round)."
    )

    def run(self, ctx: ReviewContext) -> Iterator[Finding]:
        grouped = [t.id for t in ctx.model.threats if t.controls_grouped]
        if grouped:
            shown = ", ".join(grouped[:5]) + (f" and {len(grouped) - 5} more" if len(grouped) > 5 else "")
            one = len(grouped) == 1
            yield self.finding(
                f"{len(grouped)} {'threat is' if one else 'threats are'} linked to {'its' if one else 'their'} controls only as "
                f"a group ({shown}): the source lists threats and countermeasures side by side under one heading without "
                "pairing them, so the traceability cannot say which control answers which threat; pair them in the source",
                grouped,
            )
        for t in ctx.model.threats:
            for cid in t.controls_disputed:
                if cid in t.controls:
                    said = f"threat {label(t)} names {cid}, but {cid}'s own list of the threats it mitigates leaves it out"
                else:
                    said = f"control {cid} lists threat {label(t)} among the threats it mitigates, but the threat does not name it"
                yield self.finding(said + ": the links disagree; correct one side in the source", [t.id, cid])


class ControlUnverified(ReviewCheck):
    id = "control-unverified"
    severity = "warning"
    description = "An implemented control with no verification evidence (FDA expects test evidence)."

    def run(self, ctx: ReviewContext) -> Iterator[Finding]:
        for c in ctx.model.controls:
            if c.status == "implemented" and c.verification_failed:
                yield self.finding(
                    f"control {label(c)} is listed as implemented, but its verification did not pass "
                    f"({c.verification_failed}): it is not presented or counted as implemented until a passing result is cited",
                    [c.id],
                )
            elif c.status == "implemented" and not verified(c.verification):
                if read_as_requirement(c):
                    yield self.finding(
                        f"control {label(c)} is written as {with_article(written_as(c))} and no source states it is implemented or cites a "
                        "verification: it is read as planned; state its status (and its verification) in the source",
                        [c.id],
                    )
                elif c.status_stated:
                    yield self.finding(f"control {label(c)} is implemented but cites no verification evidence", [c.id])
                else:
                    yield self.finding(
                        f"control {label(c)} has no stated status (listed as a mitigation, read as implemented) and cites "
                        "no verification evidence: state both (a Status and a Verification column)",
                        [c.id],
                    )


class ControlUnreferenced(ReviewCheck):
    id = "control-unreferenced"
    severity = "info"
    description = "A control that no threat and no view refers to."

    def run(self, ctx: ReviewContext) -> Iterator[Finding]:
        used = {cid for t in ctx.model.threats for cid in t.controls}
        used.update(cid for v in ctx.model.views for cid in v.controls)
        for c in ctx.model.controls:
            if c.id not in used:
                yield self.finding(f"control {label(c)} is referenced by no threat or view", [c.id])


_VIEW_NAMES = {
    "global_system": "Global System View",
    "multi_patient_harm": "Multi-Patient Harm View",
    "updatability_patchability": "Updatability/Patchability View",
    "security_use_case": "Security Use Case View",
}


class ViewMissing(ReviewCheck):
    id = "view-missing"
    severity = "warning"
    description = "An FDA security architecture view kind the model does not have."

    def run(self, ctx: ReviewContext) -> Iterator[Finding]:
        present = {v.kind for v in ctx.model.views}
        for kind in VIEW_KINDS:
            if kind not in present:
                yield self.finding(f"no {_VIEW_NAMES[kind]} (kind {kind}), one of FDA's security architecture views")


class MitigationWithoutDetail(ReviewCheck):
    id = "mitigation-without-detail"
    severity = "blocker"
    description = "The published model says 'all threats are mitigated' with no mitigation detail."

    def run(self, ctx: ReviewContext) -> Iterator[Finding]:
        model = ctx.published
        if not model.threats:
            yield self.finding("the published model lists no threat: a PTM says what can go wrong")
            return
        if any(t.status not in ("mitigated", "not_applicable") for t in model.threats):
            return
        controls = {c.id: c for c in model.controls}
        used = [controls[cid] for t in model.threats for cid in t.controls if cid in controls]
        if not any(c.description.strip() and "withheld" not in c.tags for c in used):
            yield self.finding(
                "every threat is called mitigated, but no published control says how: "
                "describe at least the mitigations that can be disclosed",
                [t.id for t in model.threats],
            )


class PlaceholderValue(ReviewCheck):
    id = "placeholder-value"
    severity = "warning"
    description = "A fact that reads as a placeholder (TBD, N/A, none, not supported): it is no evidence."

    def run(self, ctx: ReviewContext) -> Iterator[Finding]:
        m = ctx.model
        for section in ("product", "support"):
            for name, value in getattr(m, section):
                if isinstance(value, str) and value.strip() and PLACEHOLDER not in value and is_placeholder(value):
                    yield self.finding(
                        f"{section}.{name} reads {value.strip()!r}: the mapping treats it as not stated; "
                        "give the real value or leave it empty",
                    )
        for where, value in _document_dates(m):
            problem = _date_problem(value)
            if problem:
                yield self.finding(f"{where} reads {value.strip()!r}: {problem}; the PTM shows it as written")
        for c in m.controls:
            why = void_reason(c.title, c.description) if c.status != "not_implemented" else None
            if why == "void":
                yield self.finding(
                    f"control {label(c)} describes no safeguard (all it says is denied or a placeholder): "
                    "the mapping does not count it, nor the threats that rely on it alone",
                    [c.id],
                )
            elif why == "denied":
                yield self.finding(
                    f'control {label(c)} is denied or deferred by its own description ("not encrypted", "we plan '
                    'to add"): the mapping counts it for no clause; give its real status (planned, not implemented) '
                    "or correct the text",
                    [c.id],
                )
            elif why == "placeholder":
                yield self.finding(
                    f"control {label(c)} is described only by a placeholder ({c.description.strip()!r}): the mapping "
                    "counts it for no clause; describe the safeguard",
                    [c.id],
                )
            elif why == "citation":
                yield self.finding(
                    f"control {label(c)} only points to another document ({(c.description or c.title).strip()!r}): the "
                    "mapping counts it for no clause; say what the control does",
                    [c.id],
                )
            elif why == "acceptance":
                yield self.finding(
                    f"control {label(c)} argues that the risk is acceptable ({accepts_risk(c.description or c.title)!r} …) "
                    "rather than saying what is done: the mapping counts it for no clause; record it as the threat's "
                    "rationale (status accepted, if the maker accepts the risk) or describe the safeguard",
                    [c.id],
                )
            elif why == "question":
                asked = (c.description or c.title).strip()
                yield self.finding(
                    f"control {label(c)} only asks ({asked!r}): a question is no safeguard, the mapping counts it "
                    "for no clause; answer it in the threat model",
                    [c.id],
                )
            empty = [v for v in c.verification if v.strip() and is_placeholder(v)]
            if empty:
                yield self.finding(
                    f"control {label(c)} cites {', '.join(repr(v) for v in empty)} as verification: a placeholder is no evidence",
                    [c.id],
                )


def _document_dates(m: Model) -> Iterator[tuple[str, str]]:
    """The document's dates a reader takes as when it was issued, revised and signed."""
    if m.document.date:
        yield "document.date", m.document.date
    for n, h in enumerate(m.document.history):
        if h.date:
            yield f"document.history[{n}].date ({h.version})", h.date
    for n, s in enumerate(m.document.signoffs):
        if s.date:
            yield f"document.signoffs[{n}].date ({s.role})", s.date


_ISO_START = re.compile(r"\s*\d{4}-\d{2}-\d{2}\b")
# a template's date field left as it came: "YYYY-MM-DD", "DD/MM/YYYY", "XX.XX.XXXX", "<date>", "[Date]"
_DATE_TEMPLATE = re.compile(r"\s*(?:(?:[dmyx]{1,4}[-/. ]){2}[dmyx]{1,4}|[<\[{(]\s*date\s*[>\]})])\s*", re.IGNORECASE)


def _date_problem(value: str) -> str | None:
    """Why a date is none: a placeholder ("TBD") or a calendar date that does not exist ("2026-02-31")."""
    if is_placeholder(value) or _DATE_TEMPLATE.fullmatch(value):
        return "a placeholder, not a date"
    if _ISO_START.match(value):
        try:
            date.fromisoformat(value.strip()[:10])
        except ValueError:
            return "no such day in the calendar"
    return None


class CoverageDisagreement(ReviewCheck):
    id = "coverage-disagreement"
    severity = "warning"
    description = "Clauses of different frameworks that ask the same thing got different verdicts."

    def run(self, ctx: ReviewContext) -> Iterator[Finding]:
        if ctx.coverage is None:
            return
        from mdptm.mapping.coherence import disagreements

        for d in disagreements(ctx.coverage):
            yield self.finding(
                "linked clauses disagree: " + d.describe() + "; one meaning needs one verdict (check the "
                "overrides and assertions, or the evidence)",
            )


# --------------------------------------------------------------------- internal vs public model


class ThreatDropped(ReviewCheck):
    id = "threat-dropped"
    severity = "warning"
    description = "A threat in the internal model that the public one omits (reputational risk)."

    def run(self, ctx: ReviewContext) -> Iterator[Finding]:
        if ctx.public is None:
            return
        public_ids = {t.id for t in ctx.public.threats}
        for t in ctx.model.threats:
            if ctx.renames.get(t.id, t.id) not in public_ids:
                yield self.finding(
                    f"threat {label(t)} is not in the public model: a known threat found missing later looks like "
                    "a gap; publish it with a withheld-mitigation placeholder, or record why it was removed",
                    [t.id],
                )


# one plain word: a left-out component named so ("Browser") is not looked for in kept text that writes it
# as a common word (mdptm.redaction.redact._proper_word)
_PLAIN_WORD = re.compile(r"[A-Za-z]+")


class LeftOutNameInText(ReviewCheck):
    id = "left-out-name-in-text"
    severity = "warning"
    description = "A left-out component's one-word name is still in published text, where it reads as a common word."

    def run(self, ctx: ReviewContext) -> Iterator[Finding]:
        if ctx.public is None:
            return
        public_ids = {e.id for e in ctx.public.elements}
        kept_names = {e.name.strip().casefold() for e in ctx.public.elements}
        names: dict[str, list[str]] = {}
        for e in ctx.model.elements:
            name = e.name.strip()
            if ctx.renames.get(e.id, e.id) in public_ids or not _PLAIN_WORD.fullmatch(name) or len(name) < 4:
                continue
            if name.casefold() not in kept_names:
                names.setdefault(name.casefold(), []).append(e.id)
        if not names:
            return
        rx = re.compile(r"(?<![^\W\d_])(" + "|".join(map(re.escape, sorted(names))) + r")(?![^\W\d_])", re.IGNORECASE)
        where: dict[str, dict[str, None]] = {}
        for item, _path, text in iter_text(ctx.public):
            for m in rx.finditer(text):
                where.setdefault(m.group().casefold(), {})[item] = None
        for word, items in where.items():
            shown = ", ".join(list(items)[:5]) + (f" and {len(items) - 5} more" if len(items) > 5 else "")
            yield self.finding(
                f"left-out component {', '.join(names[word])} is named {word!r}, a word published text still uses "
                f"({shown}): redaction keeps a plain word that kept text writes in lower case; if the text means "
                "the component, add the name to the policy's terms",
                [*names[word], *items],
            )


_LEFT_OUT_KINDS = frozenset({"threat", "control", "element"})


class WithheldTextKept(ReviewCheck):
    id = "withheld-text-kept"
    severity = "warning"
    description = (
        "Published text repeats the title, the name in a long title, or a sentence of a threat, control or component the "
        "public model leaves out."
    )

    def run(self, ctx: ReviewContext) -> Iterator[Finding]:
        """Redaction makes a left-out item's title a term only where the title is distinctive (three words or
        more, or a name); kept text that quotes a shorter title ("Debug backdoor"), or copies a sentence of a
        left-out description, publishes what the maker withheld. Whether it does is the maker's to judge: named
        here, in the internal review, with the place."""
        if ctx.public is None:
            return
        public_ids = {item.id for _, item in ctx.public.items()}
        kept = {needle_key(_title(item)) for _, item in ctx.public.items()}
        # the words of what the public model names (labels, the product, the document): a name word of a
        # withheld title that one of them holds ("Vantage" of a kept "Vantage server") says nothing of the item
        p = ctx.public.product
        named = [*kept, p.name, p.manufacturer, p.model or "", ctx.public.document.title or ""]
        kept_words = set(needle_key(" ".join(named)).split())
        names: set[str] | None = None  # the words published text writes as names, read once when needed
        phrases: dict[str, list[tuple[str, str]]] = {}  # key -> (left-out item, what of it)
        for kind, item in ctx.model.items():
            if kind not in _LEFT_OUT_KINDS or ctx.renames.get(item.id, item.id) in public_ids:
                continue
            title = needle_key(_title(item))
            if " " in title and len(title) >= 8 and title not in kept:
                phrases.setdefault(title, []).append((item.id, "title"))
            if title.count(" ") >= 2 and (words := unusual_names(_title(item))):
                # a long title is a term whole; kept text may call the thing by its name alone
                if names is None:
                    names = written_as_names(text for _, _, text in iter_text(ctx.public))
                for name in words:
                    if name in names and name not in kept_words:
                        phrases.setdefault(name, []).append((item.id, "name"))
            for _sentence, key in quotable_sentences(getattr(item, "description", None) or ""):
                phrases.setdefault(key, []).append((item.id, "description"))
        if not phrases:
            return
        rx = re.compile(r"(?<!\w)(?:" + trie_pattern(phrases) + r")(?!\w)")  # one pass, however many phrases
        where: dict[str, dict[str, None]] = {}
        for item_id, path, text in iter_text(ctx.public):
            for m in rx.finditer(needle_key(text)):
                where.setdefault(needle_key(m.group()), {})[f"{item_id} {path}"] = None
        for key, places in where.items():
            items = {p.split(" ", 1)[0] for p in places}
            for left, what in phrases[key]:
                if what == "description" and len(items) >= BOILERPLATE:  # a sentence many items share says nothing of one
                    continue
                shown = ", ".join(list(places)[:5]) + (f" and {len(places) - 5} more" if len(places) > 5 else "")
                said = {"title": f"its title, {key!r}", "name": f"the name {key!r} of its title"}.get(
                    what, f"a sentence of its description, {key!r}"
                )
                yield self.finding(
                    f"{left}, left out of the public model, is quoted by published text ({shown}): {said}; "
                    "if the text gives away what was withheld, reword it or add the words to the policy's terms",
                    [left, *(p.split(" ", 1)[0] for p in places)],
                )


def _title(item: object) -> str:
    for attr in ("title", "name"):
        value = getattr(item, attr, None)
        if isinstance(value, str) and value.strip():
            return value
    return ""


class WithheldWithoutPlaceholder(ReviewCheck):
    id = "withheld-without-placeholder"
    severity = "blocker"
    description = "A published threat lost a mitigation and nothing says one exists."

    def run(self, ctx: ReviewContext) -> Iterator[Finding]:
        public = ctx.published
        controls = {c.id: c for c in public.controls}
        for c in public.controls:
            if "withheld" in c.tags and not c.description.strip():
                yield self.finding(f"placeholder control {c.id} does not say that a mitigation exists", [c.id])
        if ctx.public is None:
            return
        threats = {t.id: t for t in ctx.public.threats}
        for t in ctx.model.threats:
            pt = threats.get(ctx.renames.get(t.id, t.id))
            if pt is None:
                continue
            for cid in t.controls:
                pid = ctx.renames.get(cid, cid)
                if pid not in pt.controls or pid not in controls:
                    yield self.finding(
                        f"threat {pt.id} relied on control {cid}, which the public model neither shows nor "
                        "replaces with a withheld-mitigation placeholder",
                        [pt.id, cid],
                    )


# ------------------------------------------------------------------------- publication gates


class SignoffMissing(ReviewCheck):
    id = "signoff-missing"
    severity = "blocker"
    description = "A sign-off the project requires has not been recorded."

    def run(self, ctx: ReviewContext) -> Iterator[Finding]:
        latest = _latest_by_role(ctx.model.document.signoffs)
        for role in dict.fromkeys(ctx.signoffs_required):
            if _role_key(role) not in latest:
                yield self.finding(f"no sign-off recorded for the required role {role!r} (mdptm signoff)")


class SignoffRejected(ReviewCheck):
    id = "signoff-rejected"
    severity = "blocker"
    description = "The latest sign-off of a role rejects publication."

    def run(self, ctx: ReviewContext) -> Iterator[Finding]:
        for s in _latest_by_role(ctx.model.document.signoffs).values():
            if s.decision == "rejected":
                when = f" on {s.date}" if s.date else ""
                why = f": {s.comment}" if s.comment else ""
                yield self.finding(f"role {s.role!r} rejected publication{when}{why}")


class Leak(ReviewCheck):
    id = "leak"
    severity = "blocker"
    description = "A redacted string or policy term was found in a written file."

    def run(self, ctx: ReviewContext) -> Iterator[Finding]:
        for hit in ctx.leaks:
            if hit.own:  # the policy matches what every package says: it is the policy to change
                yield self.finding(f"the redaction policy matches text mdptm itself writes: {hit.describe()}; change the policy")
            else:
                yield self.finding(f"redaction leak: {hit.describe()}")


class UnknownPlaceholder(ReviewCheck):
    id = "unknown-placeholder"
    severity = "blocker"
    description = "A required fact still reads 'UNKNOWN: set it in mdptm.yaml'."

    def run(self, ctx: ReviewContext) -> Iterator[Finding]:
        for item, path, text in iter_text(ctx.model):
            if PLACEHOLDER in text:
                items = [] if item in ("product", "document", "support") else [item]
                where = f"{item}.{path}" if not items else f"{path} of {item}"
                yield self.finding(f"{where} is still a placeholder: set it in mdptm.yaml", items)
