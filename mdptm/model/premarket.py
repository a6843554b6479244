"""What an FDA premarket cybersecurity reviewer looks for, read from the model.

The answers the submission documents and the review checks share: the risk scoring method and its
acceptance criteria, each threat's residual-risk acceptability, which operational and clinical states
have a security use case view, Appendix 2 detail of the elements a view covers, and which rows of
Appendix 4 Table 1 the set answers. The regulatory wording is data
(``mappings/vocabulary/premarket.yaml``); this module only reads the model against it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pydantic import Field

from mdptm.model import Element, LikelihoodBasis, Model, State, Strict, Threat, View, empty_list
from mdptm.model.cvss import CvssReading
from mdptm.model.cvss import read as read_cvss
from mdptm.model.evidence import is_placeholder, verified
from mdptm.model.vocabulary import shipped

# ------------------------------------------------------------------------------------ vocabulary


class AnsweredBy(Strict):
    files: list[str] = Field(default_factory=empty_list)
    model: list[str] = Field(default_factory=empty_list)


class Appendix4Row(Strict):
    id: str
    title: str
    section: str
    asks: str
    answered_by: AnsweredBy
    maker_adds: str | None = None


class PremarketVocabulary(Strict):
    """``mappings/vocabulary/premarket.yaml``."""

    schema_version: int
    likelihood_basis: dict[str, list[str]]
    citations: dict[str, str]
    multi_patient_parts: dict[str, str]
    appendix4: list[Appendix4Row]


# The files of the submission set (documents/submission/ writes them; review checks and the Appendix 4
# index name them).
SUBMISSION_DIR = "submission"
ARCHITECTURE = "architecture-views.docx"
RISK = "risk-assessment.docx"
TRACEABILITY = "traceability.xlsx"
LABELING = "labeling-checklist.xlsx"
CRA = "cra-technical-documentation.docx"
LIFECYCLE = "lifecycle-assessment.docx"
INDEX = "submission-index.docx"
FILES = (INDEX, ARCHITECTURE, RISK, LIFECYCLE, TRACEABILITY, LABELING, CRA)


def premarket_vocabulary() -> PremarketVocabulary:
    return shipped("premarket", PremarketVocabulary)


@lru_cache(maxsize=1024)
def likelihood_basis(header: str | None) -> LikelihoodBasis | None:
    """What a likelihood column rates, from its header: ``Exploitability (1-5)`` → ``exploitability``."""
    words = " ".join(re.findall(r"[a-z0-9]+", (header or "").lower()))
    for basis, phrases in premarket_vocabulary().likelihood_basis.items():
        if any(re.search(rf"\b{re.escape(p)}", words) for p in phrases):
            return "exploitability" if basis == "exploitability" else "probability"
    return None


# ----------------------------------------------------------------------------- risk acceptance

ACCEPTABLE = "acceptable"
WITH_RATIONALE = "acceptable with rationale"
NOT_ACCEPTABLE = "not acceptable"
NOT_EVALUATED = "not evaluated"


@dataclass(frozen=True)
class Acceptability:
    verdict: str
    why: str


def has_criteria(model: Model) -> bool:
    rm = model.risk_management
    return bool(rm.acceptable_levels or rm.justify_levels)


def acceptability(model: Model, t: Threat) -> Acceptability:
    """A threat's residual risk against the project's acceptance criteria."""
    rm = model.risk_management
    if t.status == "not_applicable":
        return Acceptability(ACCEPTABLE, "the threat does not apply" + (f": {t.rationale}" if t.rationale else ""))
    if not has_criteria(model):
        return Acceptability(NOT_EVALUATED, "no acceptance criteria are stated (risk_management.acceptable_levels)")
    level = t.residual_risk.level if t.residual_risk is not None else None
    if level is None:
        return Acceptability(NOT_EVALUATED, "the residual risk has no level")
    if level in rm.acceptable_levels:
        return Acceptability(ACCEPTABLE, f"residual risk {level} is acceptable under the criteria")
    if level in rm.justify_levels:
        said = (t.rationale or "").strip()
        if said and not is_placeholder(said):
            return Acceptability(WITH_RATIONALE, said)
        if said:  # "TBD" justifies nothing
            return Acceptability(NOT_ACCEPTABLE, f"residual risk {level} needs a benefit-risk rationale; the source gives only {said!r}")
        return Acceptability(NOT_ACCEPTABLE, f"residual risk {level} needs a benefit-risk rationale and none is recorded")
    return Acceptability(NOT_ACCEPTABLE, f"residual risk {level} exceeds the acceptance criteria")


def basis_of(t: Threat) -> LikelihoodBasis | None:
    """What the threat's likelihood rates (before controls, else residual)."""
    for r in (t.risk, t.residual_risk):
        if r is not None and r.likelihood_basis:
            return r.likelihood_basis
    return None


def cvss_of(t: Threat) -> CvssReading:
    return read_cvss(t.cvss, t.cvss_score)


# -------------------------------------------------------------------------------------- states


@dataclass(frozen=True)
class StateCoverage:
    state: State
    views: list[View]
    unknown: list[str]  # view ids the state names that are not security use case views of the model
    status: str  # "view" | "justified" | "gap"


def state_coverage(model: Model) -> list[StateCoverage]:
    """Each operational and clinical state with its security use case views, or its justification."""
    out = []
    for s in model.risk_management.states:
        found = {ref: _use_case(model, ref) for ref in dict.fromkeys(s.views)}
        views = list({v.id: v for v in found.values() if v is not None}.values())
        unknown = [ref for ref, v in found.items() if v is None]
        status = "view" if views else "justified" if (s.justification or "").strip() else "gap"
        out.append(StateCoverage(s, views, unknown, status))
    return out


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _use_case(model: Model, ref: str) -> View | None:
    """A security use case view by id, or by name (views imported from documents get generated ids)."""
    cases = [v for v in model.views if v.kind == "security_use_case"]
    return next((v for v in cases if v.id == ref), None) or next((v for v in cases if _norm(v.name) == _norm(ref)), None)


def states_of_view(model: Model, view: View) -> list[State]:
    return [s for s in model.risk_management.states if any(_use_case(model, r) is view for r in s.views)]


# ------------------------------------------------------------------------------ Appendix 2 detail

APPENDIX2_FIELDS: tuple[tuple[str, str], ...] = (
    ("dormant_interfaces", "Dormant and debug interfaces"),
    ("key_lifecycle", "Key and credential life cycle"),
    ("sessions", "Identity and session management"),
    ("default_settings", "Default security settings"),
)
# Element kinds that carry interfaces, keys and sessions of their own (people and networks do not).
DETAILED_KINDS = ("device", "software", "process", "cloud_service", "mobile_app", "hardware", "data_store")


def element_detail(e: Element) -> dict[str, str]:
    """The Appendix 2 facts an element states, by field."""
    out: dict[str, str] = {}
    for name, _label in APPENDIX2_FIELDS:
        value: object = getattr(e, name)
        if isinstance(value, list):
            value = "\n".join(f"• {v.strip()}" for v in value if v.strip() and not is_placeholder(v))
        if value and str(value).strip() and not is_placeholder(str(value)):  # "TBD" states nothing
            out[name] = str(value).strip()
    return out


def missing_detail(e: Element) -> list[str]:
    """Appendix 2 facts a device-like element leaves unstated (empty for people and networks)."""
    if e.kind not in DETAILED_KINDS:
        return []
    have = element_detail(e)
    return [label for name, label in APPENDIX2_FIELDS if name not in have]


def multi_patient_parts(view: View) -> dict[str, str | None]:
    """Detect / respond / recover of a view, as stated."""
    return {part: (getattr(view, part) or "").strip() or None for part in ("detect", "respond", "recover")}


# --------------------------------------------------------------------------- Appendix 4 Table 1

IN_SET = "in this set"
PARTLY = "partly in this set"
MAKER_DOC = "maker's document"
MAKER_ADDS = "maker to add"


# ``views[kind=security_use_case]``: the items of a list whose field has that value (a view of that kind)
_SELECTOR = re.compile(r"^(\w+)\[(\w+)=([\w-]+)\]$")


def fact_parts(path: str) -> tuple[str, str]:
    """A model path as the index names it to the maker: ``risk_management.method`` → (``risk_management``,
    ``method``); ``views[kind=security_use_case]`` → (``views of kind``, ``security_use_case``)."""
    bare = path.removeprefix("any:")
    m = _SELECTOR.match(bare)
    if m:
        return f"{m[1]} of {m[2]}", m[3]
    head, _, tail = bare.rpartition(".")
    return head, tail


def model_fact(model: Model, path: str) -> bool:
    """Whether the model states the fact at a dotted path (``any:`` — some item of a list has it;
    ``views[kind=global_system]`` — some item of the list has that value).

    A placeholder ("TBD", "N/A", "to be defined") states nothing, so a row it alone answers stays the maker's;
    nor does a verification entry that cites none done ("Planned pen test", "Not tested"). A view the documents
    only derive from other facts is no view of the model: each view kind is a fact of its own.
    """
    selector = _SELECTOR.match(path)
    if selector:
        items = getattr(model, selector[1], None) or []
        return any(str(getattr(item, selector[2], "")) == selector[3] for item in items)
    any_item = path.startswith("any:")
    parts = path.removeprefix("any:").split(".")
    values: list[object] = [model]
    for part in parts:
        nxt: list[object] = []
        for v in values:
            got = getattr(v, part, None)
            if isinstance(got, list) and any_item and part != parts[-1]:
                nxt.extend(got)
            else:
                nxt.append(got)
        values = nxt

    def present(v: object) -> bool:
        if isinstance(v, str):
            # a verification entry counts only when it cites a verification done ("Planned pen test" does not)
            return bool(verified([v])) if parts[-1] == "verification" else not is_placeholder(v)
        if isinstance(v, list):
            return any(present(x) for x in v)  # ["TBD"] states nothing either
        if isinstance(v, dict):
            return bool(v)
        return v is not None

    return any(present(v) for v in values)


@dataclass(frozen=True)
class IndexRow:
    row: Appendix4Row
    status: str
    files: list[str]
    facts_missing: list[str]
    maker_document: str | None


def appendix4_index(model: Model, written: set[str]) -> list[IndexRow]:
    """Each Appendix 4 Table 1 row with the files of the set that answer it, or what the maker must add."""
    docs = model.risk_management.documents
    out = []
    for row in premarket_vocabulary().appendix4:
        files = [f for f in row.answered_by.files if f in written]
        facts_missing = [f for f in row.answered_by.model if not model_fact(model, f)]
        needed = len(row.answered_by.files) + len(row.answered_by.model)
        have = len(files) + len(row.answered_by.model) - len(facts_missing)
        maker_doc = (docs.get(row.id) or "").strip() or None
        if maker_doc:
            status = MAKER_DOC
        elif needed and have == needed and not row.maker_adds:
            status = IN_SET
        elif row.answered_by.model and len(facts_missing) == len(row.answered_by.model):
            status = MAKER_ADDS  # the files alone are empty shells without the facts they present
        elif have:
            status = PARTLY
        else:
            status = MAKER_ADDS
        out.append(IndexRow(row, status, files, facts_missing, maker_doc))
    return out
