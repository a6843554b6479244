"""The hospital lifecycle guides (SPEC §8): one short document per phase, derived from the model.

A hospital (HDO) reads a PTM at five moments: before it buys (pre-procurement), when it writes the
contract (procurement), when it installs the device (deployment), while it runs it (operations) and
when it retires it (decommissioning). Each guide answers that moment's questions with the model's own
facts — its flows, ports, zones, assets, controls, threats and support terms — so nothing in a guide
would fit another product. Where the model is silent, the guide says so instead of filling the gap.

Words the guides use to read a model (which zone names mean "outside the hospital", which use cases
are about installation) are data: ``mappings/vocabulary/guide-terms.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from mdptm.documents import netplan
from mdptm.errors import InputError
from mdptm.model import (
    STRIDE_ORDER,
    Asset,
    Assumption,
    Control,
    Element,
    Flow,
    Item,
    Model,
    Threat,
    TrustZone,
    View,
    topology,
)
from mdptm.model.index import threats_by_control
from mdptm.model.io import load_validated, read_structured
from mdptm.model.results import Coverage, FrameworkResult, Review
from mdptm.plugins import ExportContext
from mdptm.render.docir import Doc, Image
from mdptm.resources import mappings_dir

PHASES: tuple[str, ...] = ("pre-procurement", "procurement", "deployment", "operations", "decommissioning")
PHASE_TITLES = {
    "pre-procurement": "Pre-procurement",
    "procurement": "Procurement",
    "deployment": "Deployment",
    "operations": "Operations",
    "decommissioning": "Decommissioning",
}
TERMS_FILE = ("vocabulary", "guide-terms.yaml")
MC2_FILE = "mc2.yaml"
SUMMARY_FRAMEWORKS = ("cra-annex-i", "cra-annex-ii", "fda-premarket")
NOT_STATED = "not stated"
ASK = "Not stated in the threat model: ask the device maker."
THREAT_ROWS = 40  # threats listed in one guide table before the rest is left to the PTM register
_LEVEL_RANK = {"critical": 4, "high": 3, "medium": 2, "low": 1}
_HARM_RANK = {"catastrophic": 5, "critical": 4, "serious": 3, "minor": 2, "negligible": 1, "none": 0}

Location = Literal["outside", "hospital", "device", "unknown"]
LOCATION_WORDS: dict[Location, str] = {
    "outside": "outside the hospital",
    "hospital": "hospital network",
    "device": "on the device",
    "unknown": NOT_STATED,
}


# ----------------------------------------------------------------------------------- vocabulary


class _UseCases(BaseModel):
    model_config = ConfigDict(extra="forbid")
    deployment: list[str] = Field(default_factory=list)
    operations: list[str] = Field(default_factory=list)
    decommissioning: list[str] = Field(default_factory=list)


class GuideTerms(BaseModel):
    """The vocabulary file, validated."""

    model_config = ConfigDict(extra="forbid")
    schema_version: int
    locations: topology.Locations
    element_kinds: dict[Literal["outside", "hospital", "device"], list[str]] = Field(default_factory=dict)
    use_cases: _UseCases
    data_assets: list[str]
    retrieve_assets: list[str]
    secret_assets: list[str]
    credential_terms: list[str] = Field(default_factory=list)


def load_terms(path: Path | None = None) -> GuideTerms:
    """The shipped guide vocabulary, or a user's own file."""
    return _shipped_terms() if path is None else _read_terms(path)


@cache
def _shipped_terms() -> GuideTerms:
    return _read_terms(mappings_dir().joinpath(*TERMS_FILE))


def _read_terms(path: Path) -> GuideTerms:
    return load_validated(path, GuideTerms)


_matcher = topology.word_matcher


# -------------------------------------------------------------------------------------- lookups


@dataclass
class Facts:
    """The model with the lookups every guide needs (id → item, where an element sits)."""

    model: Model
    terms: GuideTerms
    elements: dict[str, Element] = field(default_factory=dict)
    zones: dict[str, TrustZone] = field(default_factory=dict)
    assets: dict[str, Asset] = field(default_factory=dict)
    controls: dict[str, Control] = field(default_factory=dict)
    index: dict[str, tuple[str, Item]] = field(default_factory=dict)
    _where: dict[str, Location] = field(default_factory=dict)
    _mitigates: dict[str, list[str]] = field(default_factory=dict)  # control id -> threat ids

    @classmethod
    def of(cls, model: Model, terms: GuideTerms | None = None) -> Facts:
        f = cls(model=model, terms=terms or load_terms())
        for kind, item in model.items():
            f.index.setdefault(item.id, (kind, item))
        f.elements = {e.id: e for e in reversed(model.elements)}
        f.zones = {z.id: z for z in reversed(model.trust_zones)}
        f.assets = {a.id: a for a in reversed(model.assets)}
        f.controls = {c.id: c for c in reversed(model.controls)}
        f._where = topology.places(model, f.terms.locations, f.terms.element_kinds)
        f._mitigates = threats_by_control(model)
        return f

    def name(self, iid: str) -> str:
        entry = self.index.get(iid)
        if entry is None:
            return iid
        item = entry[1]
        for attr in ("name", "title", "text"):
            value = getattr(item, attr, None)
            if isinstance(value, str) and value:
                return value
        return iid

    def names(self, ids: Iterable[str]) -> str:
        return ", ".join(self.name(i) for i in ids) or NOT_STATED

    def zone_of(self, element_id: str) -> TrustZone | None:
        e = self.elements.get(element_id)
        return self.zones.get(e.trust_zone) if e is not None and e.trust_zone else None

    def zone_name(self, element_id: str) -> str:
        z = self.zone_of(element_id)
        return z.name if z is not None else "no zone"

    def where(self, element_id: str) -> Location:
        return self._where.get(element_id, "unknown")

    def endpoint(self, element_id: str) -> str:
        """``Name (Zone)``: the element and the trust zone it sits in."""
        z = self.zone_of(element_id)
        return f"{self.name(element_id)} ({z.name})" if z is not None else self.name(element_id)

    def crosses_zones(self, f: Flow) -> bool:
        a, b = self.elements.get(f.source), self.elements.get(f.target)
        return a is not None and b is not None and (a.trust_zone or None) != (b.trust_zone or None)

    def leaves_hospital(self, f: Flow) -> bool | None:
        """True when one end is outside the hospital and the other inside; None when the model does not
        say enough to tell (an end that cannot be placed, on the far side of a trust boundary)."""
        ends = {self.where(f.source), self.where(f.target)}
        if "unknown" not in ends:
            return "outside" in ends and len(ends) > 1
        return None if self.crosses_zones(f) or "outside" in ends else False

    def threats_using(self, control_id: str) -> list[str]:
        return self._mitigates.get(control_id, [])


# ------------------------------------------------------------------------------------- helpers


def _value(v: str | None) -> str:
    return v.strip() if v and v.strip() else NOT_STATED


def _port(f: Flow) -> str:
    """The port, or the protocol where no port is stated (a serial link, Bluetooth)."""
    if f.port and f.port.strip():
        return f.port.strip()
    return f"{f.protocol}, port not stated" if f.protocol else "port not stated"


def _encryption(f: Flow) -> str:
    if f.encryption is None:
        return NOT_STATED
    return "none" if f.encryption.strip().lower() in ("none", "no", "") else f.encryption


def _risk_level(t: Threat) -> str:
    r = t.residual_risk or t.risk
    if r is None:
        return NOT_STATED
    label = r.level or r.severity or (str(r.score) if r.score is not None else None)
    prefix = "" if t.residual_risk is not None else "before controls: "
    return prefix + label if label else NOT_STATED


_ACRONYMS = {"phi": "PHI", "pii": "PII"}


def _most_severe(threats: list[Threat], limit: int = THREAT_ROWS) -> tuple[list[Threat], int]:
    """At most *limit* threats, the most severe first (residual risk, then patient harm), else in model
    order; and how many were left out. A guide is read, not searched: the full list is in ptm.xlsx."""
    if len(threats) <= limit:
        return threats, 0

    def rank(t: Threat) -> tuple[int, int]:
        r = t.residual_risk or t.risk
        return (-_LEVEL_RANK.get(r.level or "", 0) if r else 0, -_HARM_RANK.get(t.patient_harm or "", -1))

    keep = {id(t) for t in sorted(threats, key=rank)[:limit]}
    return [t for t in threats if id(t) in keep], len(threats) - limit


def _id_list(ids: list[str], limit: int = 12) -> str:
    """A few ids inline; a longer list is counted, not dumped (the register has them all)."""
    if len(ids) <= limit:
        return ", ".join(ids)
    return f"{len(ids)} items (listed in the threat register, ptm.xlsx)"


def _more(doc: Doc, left_out: int, what: str) -> None:
    if left_out:
        doc.p(f"… and {left_out} more {what}, listed in the threat register of the PTM (ptm.xlsx).", style="note")


def _words(value: str) -> str:
    """An enum value as words: ``partially_mitigated`` → ``partially mitigated``, ``phi`` → ``PHI``."""
    return _ACRONYMS.get(value, value.replace("_", " "))


def _count_phrase(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {_words(k)}" for k, n in counts.items() if n)


def _counts(values: Iterable[str], order: Iterable[str] | None = None) -> dict[str, int]:
    out: dict[str, int] = dict.fromkeys(order or (), 0)
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


def _use_case_views(f: Facts, phase: Literal["deployment", "operations", "decommissioning"]) -> list[View]:
    hit = _matcher(getattr(f.terms.use_cases, phase))
    return [v for v in f.model.views if v.kind == "security_use_case" and v.steps and (hit(v.name) or any(hit(t) for t in v.tags))]


def _customer_controls(f: Facts) -> list[Control]:
    return [c for c in f.model.controls if c.responsibility in ("customer", "shared")]


def _customer_assumptions(f: Facts) -> list[Assumption]:
    return [a for a in f.model.assumptions if a.responsibility in ("customer", "shared", None)]


# Who a control is expected of. A hospital's control is never "implemented" in a guide: the maker cannot
# have verified what the hospital has yet to do.
_EXPECTED_OF = {
    "customer": "the hospital",
    "shared": "the hospital and the device maker",
    "manufacturer": "the device maker",
    "third_party": "a third party",
}


def _first_sentence(text: str | None) -> str:
    text = " ".join((text or "").split())
    if not text:
        return ""
    m = re.match(r"(.+?[.!?])(?:\s|$)", text)
    return m.group(1) if m else text


@dataclass
class Drawn(Image):
    """A picture drawn when the guide is written (into ``guides/``), not when it is built."""

    draw: Callable[[Path], Path | None] | None = None


FLOW_HEADER = ["Id", "Flow", "From", "Dir", "To", "Protocol", "Port", "Authentication", "Encryption"]


def _flow_row(f: Facts, fl: Flow) -> list[str]:
    """One flow as a firewall-rule starting point; zones are in the zone table, so ends are names."""
    return [
        fl.id,
        fl.name or NOT_STATED,
        f.name(fl.source),
        "↔" if fl.bidirectional else "→",
        f.name(fl.target),
        _value(fl.protocol),
        _value(fl.port),
        _value(fl.authentication),
        _encryption(fl),
    ]


def _new_doc(f: Facts, phase: str, purpose: str) -> Doc:
    m = f.model
    product = " ".join(x for x in (m.product.name, m.product.model or "", m.product.version or "") if x)
    version = f"version {m.document.version}" + (f" of {m.document.date}" if m.document.date else "")
    doc = Doc(
        title=f"{m.product.name}: {PHASE_TITLES[phase].lower()} security guide",
        subtitle=f"For hospitals. Derived from the public threat model {version}.",
        footer=f"{product} · {m.product.manufacturer} · public threat model {m.document.version}",
    )
    doc.p(purpose)
    return doc


# ------------------------------------------------------------------------------ pre-procurement


def pre_procurement(f: Facts, review: Review | None = None) -> Doc:
    m = f.model
    doc = _new_doc(
        f,
        "pre-procurement",
        f"What a hospital evaluating {m.product.name} from {m.product.manufacturer} needs to know before "
        "choosing it: its security profile, where its data goes, how long it is supported and what the "
        "hospital itself must provide.",
    )
    doc.h("Security profile at a glance")
    doc.table(["Topic", "From the threat model"], _profile_rows(f, review))

    doc.h("Where data goes")
    leaving = [fl for fl in m.flows if f.leaves_hospital(fl)]
    unclear = [fl for fl in m.flows if f.leaves_hospital(fl) is None]
    if leaving:
        doc.p(f"{len(leaving)} of {len(m.flows)} data flows leave the hospital.")
        doc.table(
            ["Flow", "From", "To", "Data carried", "Encryption"],
            [
                [f"{fl.id} {fl.name}".strip(), f.endpoint(fl.source), f.endpoint(fl.target), f.names(fl.data), _encryption(fl)]
                for fl in leaving
            ],
        )
    else:
        doc.p(f"None of the {len(m.flows)} data flows in the threat model leaves the hospital.")
    if unclear:
        doc.p(
            "The model does not say where one end of these flows sits, so whether they leave the hospital is "
            "not clear: " + "; ".join(f"{fl.id} ({f.endpoint(fl.source)} → {f.endpoint(fl.target)})" for fl in unclear) + ".",
            style="note",
        )
    outside_stores = [(a, [e for e in a.stored_in if f.where(e) == "outside"]) for a in m.assets if a.kind in f.terms.retrieve_assets]
    rows = [[a.name, _words(a.kind), f.names(where)] for a, where in outside_stores if where]
    if rows:
        doc.p("Patient, therapy, log and configuration data kept outside the hospital:")
        doc.table(["Asset", "Kind", "Stored in"], rows)

    doc.h("Support and vulnerability disclosure")
    doc.table(["Topic", "Manufacturer's statement"], _support_rows(f))

    doc.h("What the hospital must provide")
    _responsibilities(doc, f)

    doc.h("Open points to raise with the device maker")
    points = _open_points(f)
    if points:
        doc.bullets(points)
    else:
        doc.p("The threat model leaves no threat open, no control unfinished and no support term unstated.")
    return doc


def _profile_rows(f: Facts, review: Review | None) -> list[list[str]]:
    m = f.model
    p = m.product
    rows = [["Product", " ".join(x for x in (p.name, p.model or "", p.version or "") if x) + f", by {p.manufacturer}"]]
    if p.intended_use:
        rows.append(["Intended use", p.intended_use])
    if p.device_type:
        rows.append(["Device type", p.device_type])
    reg = p.regulatory
    regs = [
        f"FDA product code {reg.fda_product_code}" if reg.fda_product_code else "",
        f"{reg.submission_type} {reg.submission_number or ''}".strip() if reg.submission_type else "",
        f"CRA category: {_words(reg.cra_category)}" if reg.cra_category else "",
        {"excluded_mdr_ivdr": "outside the CRA (EU MDR/IVDR device)", "in_scope": "in scope of the CRA", "unknown": ""}[reg.cra_scope],
    ]
    if any(regs):
        rows.append(["Regulatory", "; ".join(r for r in regs if r)])
    kinds = _counts(e.kind for e in m.elements)
    rows.append(["Components", f"{len(m.elements)} ({_count_phrase(kinds)})" if m.elements else NOT_STATED])
    if m.trust_zones:
        rows.append(["Trust zones", ", ".join(z.name for z in m.trust_zones)])
    leaving = sum(1 for fl in m.flows if f.leaves_hospital(fl))
    plain = sum(1 for fl in m.flows if _encryption(fl) == "none")
    unknown = sum(1 for fl in m.flows if fl.encryption is None)
    rows.append(["Data flows", f"{len(m.flows)}; {leaving} leave the hospital; {plain} unencrypted; encryption not stated for {unknown}"])
    by_kind: dict[str, list[str]] = {}
    for a in m.assets:
        by_kind.setdefault(_words(a.kind), []).append(a.name)
    rows.append(["Data and functions protected", "; ".join(f"{k}: {', '.join(v)}" for k, v in by_kind.items()) or NOT_STATED])
    statuses = _counts(
        (t.status for t in m.threats), ("mitigated", "partially_mitigated", "accepted", "transferred", "open", "not_applicable")
    )
    stride = _counts((s for t in m.threats for s in t.stride), STRIDE_ORDER)
    rows.append(["Threats analysed", f"{len(m.threats)} ({_count_phrase(statuses)})" if m.threats else "none"])
    if m.threats:
        rows.append(["Threats by STRIDE", _count_phrase(stride) or NOT_STATED])
    multi = [t.id for t in m.threats if t.multi_patient]
    if multi:
        rows.append(
            [
                "Threats that could harm several patients",
                f"{len(multi)}" + (f": {', '.join(multi)}" if len(multi) <= 12 else ", listed in the threat register (ptm.xlsx)"),
            ]
        )
    maker = [c for c in m.controls if c.responsibility not in ("customer", "shared")]
    c_status = _counts((c.status for c in maker), ("implemented", "planned", "not_implemented"))
    customer = len(_customer_controls(f))
    rows.append(
        [
            "Controls",
            f"{len(maker)} by the device maker ({_count_phrase(c_status)}); {customer} expected of the hospital, alone or with the maker"
            if m.controls
            else "none",
        ]
    )
    present = _counts(v.kind for v in m.views)
    missing = [k for k in ("global_system", "multi_patient_harm", "updatability_patchability", "security_use_case") if k not in present]
    rows.append(
        [
            "Security architecture views",
            (_count_phrase(present) or "none") + (f"; not provided: {', '.join(_words(k) for k in missing)}" if missing else ""),
        ]
    )
    rows.append(["Publication review", _review_line(m, review)])
    return rows


def _review_line(m: Model, review: Review | None) -> str:
    approved = [f"{_words(s.role)} ({s.date})" if s.date else _words(s.role) for s in m.document.signoffs if s.decision == "approved"]
    parts = [f"document status: {_words(m.document.status)}"]
    if approved:
        parts.append("approved by " + ", ".join(approved))
    if review is not None:
        blockers = len(review.blockers)
        parts.append("pre-publication review passed" if not blockers else f"{blockers} blocking review findings open")
    return "; ".join(parts)


def _support_rows(f: Facts) -> list[list[str]]:
    s = f.model.support
    return [
        ["End of support", s.end_of_support or ASK],
        ["Patch policy", s.patch_policy or ASK],
        ["Vulnerability disclosure", s.vulnerability_disclosure or ASK],
        ["Security contact", s.contact or ASK],
        ["Software bill of materials (SBOM)", s.sbom or ASK],
        ["Data disposal", s.data_disposal or ASK],
    ]


def _responsibilities(doc: Doc, f: Facts) -> None:
    """Who provides what, in brief: the deployment guide lists it all."""
    rows = [[c.id, c.title, _EXPECTED_OF[c.responsibility], _words(c.category)] for c in _customer_controls(f)]
    if rows:
        doc.table(["Control", "What", "Expected of", "Category"], rows[:THREAT_ROWS])
        if len(rows) > THREAT_ROWS:
            doc.p(f"… and {len(rows) - THREAT_ROWS} more controls the hospital owns or shares (see the deployment guide).", style="note")
    arows = [[a.id, a.text, _words(a.responsibility) if a.responsibility else NOT_STATED] for a in _customer_assumptions(f)]
    if arows:
        doc.p("The threat analysis assumes:")
        doc.table(["Assumption", "What", "Responsibility"], arows)
    if not rows and not arows:
        doc.p("The threat model assigns no control or assumption to the hospital.")


def _open_points(f: Facts) -> list[str]:
    m = f.model
    opened, left_out = _most_severe([t for t in m.threats if t.status == "open"])
    out = [f"Threat {t.id} ({t.title}) is open." for t in opened]
    if left_out:
        out.append(f"… and {left_out} more open threats (see the threat register, ptm.xlsx).")
    bare = [t.id for t in m.threats if not t.controls and t.status not in ("not_applicable", "accepted", "transferred", "open")]
    if bare:
        out.append("No control is named for threats " + _id_list(bare) + ".")
    pending = [c for c in m.controls if c.status != "implemented" and c.responsibility not in ("customer", "shared")]
    if len(pending) <= THREAT_ROWS:
        out += [f"Control {c.id} ({c.title}) is {_words(c.status)}." for c in pending]
    else:
        out.append(f"{len(pending)} controls are planned or not implemented: " + _id_list([c.id for c in pending]) + ".")
    s = m.support
    missing = [
        name
        for name, v in (
            ("end of support", s.end_of_support),
            ("patch policy", s.patch_policy),
            ("vulnerability disclosure", s.vulnerability_disclosure),
            ("SBOM", s.sbom),
        )
        if not v
    ]
    if missing:
        out.append("Not stated: " + ", ".join(missing) + ".")
    unknown = [fl.id for fl in m.flows if fl.encryption is None]
    if unknown:
        out.append("Encryption not stated for flows " + _id_list(unknown) + ".")
    return out


# ---------------------------------------------------------------------------------- procurement


CONTRACT_FILE = "contract-language.yaml"
_STATUS_WORDS = {
    "covered": "the threat model supports it",
    "partial": "the threat model supports it in part",
    "gap": "the threat model gives no evidence for it",
    "not_applicable": "does not apply to this device",
}


def procurement(f: Facts, coverage: Coverage | None) -> Doc:
    m = f.model
    doc = _new_doc(
        f,
        "procurement",
        f"Security terms for the purchase contract of {m.product.name}, one per principle of the HSCC Model "
        "Contract-language for Medtech Cybersecurity (MC2), worded here in our own terms with this device's "
        "commitments filled in; then what the device maker has not yet stated, and the CRA and FDA coverage.",
    )
    mc2 = coverage.framework("mc2") if coverage is not None else None
    if mc2 is not None and mc2.note:
        doc.p(mc2.note, style="note")
    principles = [p for p in mc2_principles() if p.group != "pillars"] or [
        Principle(id=c.id, title=c.title or c.id, group=c.group) for c in (mc2.clauses if mc2 else [])
    ]
    status = {c.id: c.status for c in (mc2.clauses if mc2 else [])}
    if mc2 is None:
        doc.p(
            "MC2 coverage was not assessed for this publication: the terms are given without the threat model's evidence for each.",
            style="note",
        )
    contract = contract_language()
    missing: dict[str, None] = {}
    fold = {cid: c.get("same_as") for cid, c in contract.clauses.items() if c.get("same_as")}
    for title, members in _grouped(principles, _group_titles()):
        written = [p for p in members if p.id not in fold]
        if not written:
            continue
        doc.h(title)
        for p in written:
            text, gaps = _clause_text(f, contract, p)
            also = [q.title for q in principles if fold.get(q.id) == p.id]
            label = p.title + (f" (with {', '.join(also)})" if also else "") + "."
            st = status.get(p.id)
            doc.p(text or (p.summary or ""), bold_prefix=label)
            notes = []
            if st:
                notes.append("This device: " + _STATUS_WORDS.get(st, _words(st)) + ".")
            if gaps:
                notes.append("Missing: " + "; ".join(gaps) + ".")
                missing.update(dict.fromkeys(gaps))
            if notes:
                doc.p(" ".join(notes), style="note")

    doc.h("What the device maker has not stated")
    open_terms = list(missing) + [
        f"{p.title}: the threat model gives no evidence for it" for p in principles if status.get(p.id) == "gap" and p.id not in fold
    ]
    if open_terms:
        doc.bullets(open_terms)
    else:
        doc.p("Every commitment the terms above need is stated in the threat model.")
    cc, ca = len(_customer_controls(f)), len(_customer_assumptions(f))
    if cc or ca:
        doc.p(
            f"The contract should also name the {cc} controls and {ca} conditions the threat model expects of "
            "the hospital (see the deployment guide), so that both sides agree who does what."
        )

    _framework_summary(doc, m, coverage)
    return doc


@dataclass(frozen=True)
class ContractLanguage:
    facts: dict[str, dict[str, str]]
    clauses: dict[str, dict[str, Any]]


@cache
def contract_language(path: Path | None = None) -> ContractLanguage:
    """The contract wording of ``templates/contract-language.yaml``."""
    from mdptm.resources import templates_dir

    p = path or templates_dir() / CONTRACT_FILE
    data = read_structured(p) if p.is_file() else {}
    if not isinstance(data, dict):
        raise InputError("expected a mapping with 'facts' and 'clauses'", file=str(p))
    facts, clauses = data.get("facts") or {}, data.get("clauses") or {}
    if not isinstance(facts, dict) or not isinstance(clauses, dict):
        raise InputError("'facts' and 'clauses' must be mappings", file=str(p))
    return ContractLanguage({str(k): dict(v) for k, v in facts.items()}, {str(k): dict(v) for k, v in clauses.items()})


def _clause_text(f: Facts, contract: ContractLanguage, p: Principle) -> tuple[str, list[str]]:
    """The clause with this device's commitments filled in, and the commitments it lacks (in words)."""
    c = contract.clauses.get(p.id)
    if not c or not c.get("text"):
        return "", []
    m = f.model
    s = m.support
    values: dict[str, str] = {"product": m.product.name, "maker": m.product.manufacturer}
    gaps: list[str] = []
    for name, fact in contract.facts.items():
        value = getattr(s, name, None)
        values[name] = " ".join(value.split()).rstrip(".") if value else fact.get("missing", f"[{name}: not stated]")
        if not value and name in (c.get("facts") or []):
            gaps.append(fact.get("words", name.replace("_", " ")))
    cc = _customer_controls(f)
    values["hospital_tasks"] = (
        "; ".join(x.title.lower() for x in cc[:4]) + (" and others" if len(cc) > 4 else "") if cc else "none are listed"
    )
    text = " ".join(str(c["text"]).split())
    return re.sub(r"\{(\w+)\}", lambda mm: values.get(mm.group(1), mm.group(0)), text), gaps


def _framework_summary(doc: Doc, m: Model, coverage: Coverage | None) -> None:
    doc.h("CRA and FDA coverage")
    frameworks = [fw for fw in (coverage.frameworks if coverage is not None else []) if fw.id != "mc2"]
    frameworks.sort(key=lambda fw: (SUMMARY_FRAMEWORKS.index(fw.id) if fw.id in SUMMARY_FRAMEWORKS else 99, fw.id))
    cra_noted = any(fw.note for fw in frameworks if fw.id.startswith("cra"))
    if m.product.regulatory.cra_scope == "excluded_mdr_ivdr" and not cra_noted:
        doc.p(
            "The device falls under the EU MDR/IVDR and outside the Cyber Resilience Act; the CRA rows "
            "are a benchmark, not a legal obligation.",
            style="note",
        )
    if not frameworks:
        doc.p("CRA and FDA coverage was not assessed for this publication.")
        return
    doc.table(
        ["Framework", "Covered", "Partial", "Gap", "Not applicable"],
        [[fw.title or fw.id, *(str(_summary(fw).get(s, 0)) for s in ("covered", "partial", "gap", "not_applicable"))] for fw in frameworks],
    )
    for fw in frameworks:
        gaps = [c for c in fw.clauses if c.status in ("gap", "partial")]
        if gaps:
            doc.p(f"Not fully covered in {fw.title or fw.id}: " + "; ".join(f"{c.id} {c.title} ({c.status})" for c in gaps) + ".")


def _summary(fw: FrameworkResult) -> dict[str, int]:
    return fw.summary or _counts(c.status for c in fw.clauses)


@dataclass(frozen=True)
class Principle:
    """One clause of the MC2 catalogue, as the procurement guide needs it."""

    id: str
    title: str
    summary: str = ""
    group: str = ""


def _group_titles(path: Path | None = None) -> dict[str, str]:
    data = _catalogue(path)
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        return {}
    return {str(g["id"]): str(g.get("title") or g["id"]) for g in groups if isinstance(g, dict) and "id" in g}


def _catalogue(path: Path | None) -> Any:
    path = path or mappings_dir() / MC2_FILE
    return read_structured(path) if path.is_file() else None


class _HasGroup(Protocol):
    @property
    def group(self) -> str: ...


G = TypeVar("G", bound=_HasGroup)


def _grouped(items: Iterable[G], titles: dict[str, str]) -> list[tuple[str, list[G]]]:
    """Clauses in catalogue order, gathered under their group (pillar, principle set, clause list)."""
    out: dict[str, list[G]] = {}
    for item in items:
        out.setdefault(item.group, []).append(item)
    return [(titles.get(g) or (_words(g).capitalize() if g else "MC2 principles"), members) for g, members in out.items()]


def mc2_principles(path: Path | None = None) -> list[Principle]:
    """Each clause of the MC2 catalogue (``mappings/mc2.yaml`` unless *path*), in order; empty when absent."""
    data = _catalogue(path)
    clauses = (data.get("clauses") or data.get("principles")) if isinstance(data, dict) else None
    if not isinstance(clauses, list):
        return []
    return [
        Principle(
            id=str(c.get("id", "")),
            title=str(c.get("title") or c.get("id", "")),
            summary=" ".join(str(c.get("summary") or "").split()),
            group=str(c.get("group") or ""),
        )
        for c in clauses
        if isinstance(c, dict)
    ]


# ----------------------------------------------------------------------------------- deployment


_DIRECTION = {"outbound": "out", "inbound": "in"}
_BASIS_MARK = {"stated": "", "text": "", "design": "", "name": "", "assumed": " *"}


def deployment(f: Facts) -> Doc:
    m = f.model
    plan = netplan.build(f)
    doc = _new_doc(
        f,
        "deployment",
        f"How to connect {m.product.name} as its threat model expects: the firewall rules per network segment, "
        "the infrastructure the device needs from the hospital, the controls the hospital is expected to "
        "provide, and the questions to settle with the device maker before go-live.",
    )
    picture = netplan.diagram_model(f, plan)
    if picture is not None:
        doc.blocks.append(
            Drawn(
                Path("deployment-network.png"),
                "Network segments and connections; each arrow starts at the end that opens the connection.",
                12.5,
                _network_picture(picture),
            )
        )

    doc.h("Firewall rules")
    if plan.rules:
        doc.p(
            "Per network segment. Dir: out = a system on this segment opens the connection, in = it accepts "
            "it; return traffic is not listed."
            + (
                f" Connections to the device maker's systems are opened from the hospital only ({plan.outbound_only})."
                if plan.outbound_only
                else ""
            )
        )
        for seg in plan.segments_in_order():
            rules = [r for r in plan.rules if r.segment == seg]
            doc.h(seg, 2)
            doc.table(
                ["Dir", "This end", "Other end", "Protocol", "Port", "Flow"],
                [[_DIRECTION[r.direction], r.local, r.peer, r.protocol, r.ports, r.flow.id + _BASIS_MARK[r.opener.basis]] for r in rules],
                widths=[0.6, 3.3, 4.7, 2.3, 1.4, 0.9],
            )
        if any(r.opener.basis == "assumed" for r in plan.rules):
            doc.p(
                "* The model does not say which end opens this connection; the rule assumes the end the model "
                "names first. Confirm it (see the questions at the end).",
                style="note",
            )
    elif plan.network:
        doc.p("Every network connection stays within one segment; no rule between segments is needed.")
    else:
        doc.p("The threat model describes no network connection.")
    if plan.same_segment:
        same: dict[str, list[str]] = {}
        for fl in plan.same_segment:
            a = plan.opener[fl.id].element
            b = fl.target if a == fl.source else fl.source
            same.setdefault(f"{f.name(a)} → {f.name(b)} ({netplan.ports_text(fl) or 'port not stated'})", []).append(fl.id)
        doc.p("Within one segment (no rule between segments): " + "; ".join(f"{', '.join(ids)} {what}" for what, ids in same.items()) + ".")
    if plan.local:
        doc.p(
            "Not network traffic (local links, no firewall rule): "
            + "; ".join(f"{fl.id} {fl.name or netplan.short_protocol(fl.protocol)}" for fl in plan.local)
            + "."
        )

    doc.h("Trust zones and segments")
    _zone_table(doc, f, plan)

    doc.h("Infrastructure the device needs")
    stated = [n for n in plan.needs if n.stated_in]
    if stated:
        doc.table(
            ["Service", "What the model says", "Stated in"],
            [[n.title, "; ".join(_short_details(n.details)) or "mentioned; no port given", ", ".join(n.stated_in[:5])] for n in stated],
            widths=[3.6, 6.4, 3.4],
        )
    else:
        doc.p("The threat model names no infrastructure service (directory, time, name resolution, logging).")

    doc.h("Controls expected of the hospital")
    _hospital_controls(doc, f)

    steps = _use_case_views(f, "deployment")
    configs = [a for a in m.assets if a.kind == "configuration"]
    if steps:
        doc.h("Installation and hardening steps")
        for v in steps:
            doc.p(v.name, bold_prefix="Use case:")
            doc.bullets(v.steps, numbered=True)
    if configs:
        doc.p(
            "Configuration to protect from change and keep a copy of: "
            + "; ".join(f"{a.name} (in {f.names(a.stored_in)})" for a in configs)
            + "."
        )

    doc.h("Questions for the device maker before go-live")
    if plan.questions:
        doc.bullets(plan.questions, numbered=True)
    else:
        doc.p("None: the model states every port, who opens each connection, and the infrastructure it needs.")
    return doc


def _short_details(details: list[str]) -> list[str]:
    """At most three details, "used to authenticate" ones merged: "used to authenticate F-02, F-04"."""
    auth = [d.removeprefix("used to authenticate ") for d in details if d.startswith("used to authenticate ")]
    rest = [d for d in details if not d.startswith("used to authenticate ")][:2]
    return rest + ([f"used to authenticate {', '.join(auth[:4])}"] if auth else [])


def _network_picture(picture: Model) -> Callable[[Path], Path | None]:
    def draw(path: Path) -> Path | None:
        from mdptm.render.diagrams import view_diagram

        return view_diagram(picture, path)

    return draw


def _zone_table(doc: Doc, f: Facts, plan: netplan.Plan) -> None:
    """The trust zones sorted into segments, places that are not segments, and outside; one line each."""
    m = f.model
    if not m.trust_zones:
        doc.p("The threat model defines no trust zones; segments are read from the elements' places.")
        return
    groups: dict[str, list[str]] = {"Segments": [], "Not segments": [], "Outside the hospital": [], "Kind not stated": []}
    for z in m.trust_zones:
        info = topology.zone_kind(z)
        kind = topology.ZONE_KIND_WORDS.get(info.kind or "", NOT_STATED)
        how = "stated" if info.stated else "inferred from its name"
        joined = [
            f"{e.name} {plan.segment[e.id].note.rsplit(' (', 1)[0]} and so sits on {plan.segment[e.id].name}"
            for e in m.elements
            if e.trust_zone == z.id and plan.segment[e.id].note
        ]
        text = f"{z.name} ({kind}, {how}" + ("; " + "; ".join(joined) if joined else "") + ")"
        if info.kind is None:
            groups["Kind not stated"].append(f"{z.name}: treated as a segment where its elements are in the hospital")
        elif info.kind in topology.NETWORK_KINDS:
            groups["Segments"].append(text)
        elif info.kind in topology.OUTSIDE_KINDS:
            groups["Outside the hospital"].append(text)
        else:
            groups["Not segments"].append(text)
    for label, items in groups.items():
        if items:
            doc.p("; ".join(items) + ".", bold_prefix=f"{label}:")


def _hospital_part(text: str) -> str:
    """The clauses of a shared control's description that name the hospital ("the hospital operates the
    RADIUS server"): what the hospital has to do, without the maker's part."""
    hit = topology.matcher(topology.network_terms().hospital_words)
    parts = [p.strip() for p in re.split(r"(?<=[.;])\s+", " ".join((text or "").split())) if p.strip()]
    mine = [p for p in parts if hit(p)]
    out = " ".join(mine[:1])
    return out[0].upper() + out[1:] if out else ""


def _hospital_controls(doc: Doc, f: Facts) -> None:
    cc = _customer_controls(f)
    if cc:
        doc.table(
            ["Control", "Expected of", "The hospital's part"],
            [
                [
                    f"{c.id} {c.title}",
                    _EXPECTED_OF[c.responsibility],
                    _hospital_part(c.description) or _first_sentence(c.description) or "not described in the model",
                ]
                for c in cc
            ],
            widths=[5, 2.2, 6],
        )
    else:
        doc.p("The threat model expects no control of the hospital.")
    ca = _customer_assumptions(f)
    if ca:
        doc.p("The threat analysis holds only if these are true in the hospital:")
        doc.bullets([f"{a.id}: {a.text}" + ("" if a.responsibility else " (who ensures it is not stated)") for a in ca])


# ----------------------------------------------------------------------------------- operations


RISK_ROWS = 12  # accepted risks shown in the operations guide, the most severe first


def operations(f: Facts) -> Doc:
    m = f.model
    nt = topology.network_terms()
    doc = _new_doc(
        f,
        "operations",
        f"Running {m.product.name} day to day: the security events it records and where they go, what to "
        "monitor, how it is patched, how its certificates and credentials are renewed and revoked, whom to call "
        "in an incident and what to do first, and the risks the device maker accepted.",
    )
    doc.h("Security events and where they go")
    _log_events(doc, f, nt)

    doc.h("What to monitor")
    _monitoring(doc, f, nt)

    doc.h("Patching and support")
    _patching(doc, f)

    doc.h("Certificates and credentials")
    _credentials(doc, f, nt)

    doc.h("Incidents: contacts and first steps")
    _incidents(doc, f, nt)

    scans = _scan_statements(f, nt)
    if scans:
        doc.h("Network vulnerability scans")
        doc.bullets(scans)

    doc.h("Risks the device maker accepted")
    _accepted_risks(doc, f)
    return doc


def _text_of(item: Item) -> str:
    return " ".join(str(getattr(item, a, "") or "") for a in ("name", "title", "text", "description", "rationale"))


def _sentences(f: Facts, hit: Callable[[str], bool], items: Iterable[Item]) -> list[tuple[str, str]]:
    """(item id, sentence) for each item with a sentence *hit* accepts, read from its own words (a title,
    then its text or description, each on its own)."""
    out = []
    for it in items:
        for attr in ("text", "description", "rationale", "disposal", "title"):
            s = topology.first_sentence_with(str(getattr(it, attr, "") or ""), hit)
            if s:
                out.append((it.id, s))
                break
    return out


def _log_events(doc: Doc, f: Facts, nt: topology.NetworkTerms) -> None:
    m = f.model
    logging = [c for c in m.controls if c.category == "event_logging"]
    logs = [a for a in m.assets if a.kind == "log"]
    retention = re.compile("|".join(nt.retention_patterns), re.IGNORECASE) if nt.retention_patterns else None
    keeps = _sentences(f, lambda s: bool(retention and retention.search(s)), [*logs, *logging, *m.elements])
    if logging:
        doc.table(
            ["What is recorded", "Details", "Run by"],
            [
                [f"{c.id} {c.title}", _first_sentence(c.description) or NOT_STATED, _EXPECTED_OF.get(c.responsibility, "the device maker")]
                for c in logging
            ],
            widths=[4.5, 7, 2.5],
        )
    if logs:
        doc.table(
            ["Log", "Kept in", "Sent to (protocol, port)"],
            [[a.name, f.names(a.stored_in), _log_destinations(f, a)] for a in logs],
            widths=[3.5, 4.5, 6],
        )
    if not logs and not logging:
        doc.p(
            "The threat model names no log and no logging control: ask the device maker what the device records "
            "and how the hospital can collect it."
        )
        return
    fmt = topology.matcher(nt.format_terms)
    formats = _sentences(f, fmt, [*logging, *logs])
    if keeps:
        doc.p("; ".join(f"{s.rstrip('.')} ({i})" for i, s in keeps[:3]) + ".", bold_prefix="Retention:")
    else:
        doc.p("How long logs are kept is not stated: ask the device maker.", bold_prefix="Retention:")
    if not formats and not any(fmt(fl.protocol or "") for fl in m.flows if set(fl.data) & {a.id for a in logs}):
        doc.p("The format in which events are sent is not stated: ask the device maker.", bold_prefix="Format:")


def _log_destinations(f: Facts, a: Asset) -> str:
    flows = [fl for fl in f.model.flows if a.id in fl.data]
    if not flows:
        return "no flow in the model carries it"
    return "; ".join(
        f"{f.name(fl.target)} ({netplan.short_protocol(fl.protocol)}"
        + (f", {netplan.ports_text(fl)}" if netplan.ports_text(fl) else "")
        + ")"
        + (", leaves the hospital" if f.leaves_hospital(fl) else "")
        for fl in flows
    )


def _monitoring(doc: Doc, f: Facts, nt: topology.NetworkTerms) -> None:
    m = f.model
    hit = topology.matcher(nt.detective_terms)
    detective = [c for c in m.controls if c.category == "event_logging" or hit(c.title)]
    if detective:
        rows = []
        for c in detective:
            threats = [f.name(t) for t in f.threats_using(c.id)]
            watch = "; ".join(threats[:2]) + (f" (and {len(threats) - 2} other threats)" if len(threats) > 2 else "")
            rows.append(
                [f"{c.id} {c.title}", _EXPECTED_OF.get(c.responsibility, "the device maker"), watch or "no threat in the model names it"]
            )
        doc.table(["Detective control", "Run by", "Signs of"], rows, widths=[5, 2.4, 6.6])
    else:
        doc.p(
            "The threat model names no detective control (logging, alarms, integrity checks); ask the device "
            "maker what the hospital can monitor."
        )
    leaving = [fl for fl in m.flows if f.leaves_hospital(fl)]
    if leaving:
        doc.p(
            "Connections leaving the hospital, to watch at the perimeter: "
            + "; ".join(
                f"{fl.id} to {f.name(fl.target) if f.where(fl.target) == 'outside' else f.name(fl.source)} "
                f"({netplan.ports_text(fl) or _port(fl)})"
                for fl in leaving
            )
            + "."
        )
    multi = [t for t in m.threats if t.multi_patient and t.status not in ("mitigated", "not_applicable")]
    if multi:
        shown, _ = _most_severe(multi, 5)
        doc.p(
            f"{len(multi)} threats that could harm several patients at once are not fully mitigated, among "
            "them: " + "; ".join(t.title for t in shown) + "."
        )


def _patching(doc: Doc, f: Facts) -> None:
    m = f.model
    s = m.support
    rows = [
        ["Patch cadence", s.patch_policy or ASK],
        ["Security support ends", s.end_of_support or ASK],
        ["Software bill of materials", s.sbom or ASK],
    ]
    upd = [c for c in m.controls if c.category == "updatability_patchability" and c.responsibility in ("customer", "shared")]
    rows += [[f"{c.id} {c.title}", "expected of " + _EXPECTED_OF[c.responsibility]] for c in upd]
    doc.table(["Topic", "From the threat model"], rows, widths=[4, 10])
    for v in (v for v in m.views if v.kind == "updatability_patchability" and v.steps):
        doc.p(v.name, bold_prefix="How an update reaches the device:")
        doc.bullets(v.steps, numbered=True)


def _credentials(doc: Doc, f: Facts, nt: topology.NetworkTerms) -> None:
    creds = credentials(f, nt)
    if creds:
        doc.table(
            ["Credential", "Used for", "Issued by", "Lifetime or renewal", "Revocation"],
            [[c.what, c.used_for, c.issuer, c.lifetime, c.revoke] for c in creds],
            widths=[3.2, 3, 2.2, 2.8, 3.2],
        )
    else:
        doc.p("The threat model names no certificate, key, account or token.")


@dataclass
class Credential:
    what: str
    used_for: str
    issuer: str
    lifetime: str
    revoke: str
    short_lived: bool
    maker_held: bool
    hospital_side: bool


def credentials(f: Facts, nt: topology.NetworkTerms | None = None) -> list[Credential]:
    """The certificates, keys, accounts and tokens the model names: its credential and key assets, then the
    flows' authentication grouped by kind (every mutual-TLS certificate in one row), with who issues them, how
    long they live and how they are revoked where the model says."""
    nt = nt or topology.network_terms()
    m = f.model
    short = re.compile("|".join(nt.short_lived), re.IGNORECASE) if nt.short_lived else None
    maker = topology.matcher(nt.maker_held)
    by_hospital, by_maker = topology.matcher(nt.hospital_issued), topology.matcher(nt.maker_issued)
    revoke_hit = topology.matcher(["revoc*", "revoke*", "crl", "ocsp", "disable*", "deactivat*"])
    renew_hit = topology.matcher(["renew*", "rotat*", "expir*", "valid for", "lifetime", "re-enrol*", "reissu*"])
    cred = _matcher(f.terms.credential_terms)

    def issuer(texts: list[str]) -> str:
        who = ["the hospital" for t in texts if by_hospital(t)][:1]
        who += ["the device maker" for t in texts if by_maker(t) or _maker_named(f, t)][:1]
        return " and ".join(who) or NOT_STATED

    def lifetime(texts: list[str]) -> str:
        for t in texts:
            for mm in short.finditer(t) if short else ():
                if any(ch.isdigit() for ch in mm.group(0)):
                    return "expires after " + mm.group(0).replace("lifetime", "").strip()
        for t in texts:
            sentence = topology.first_sentence_with(t, renew_hit)
            if sentence:
                return sentence
        return NOT_STATED

    def revocation(texts: list[str], by: str) -> str:
        for t in texts:
            sentence = topology.first_sentence_with(t, revoke_hit)
            if sentence:
                return sentence[0].upper() + sentence[1:]
        if by == "the hospital":
            return "By the hospital, as its issuer; the model does not say how"
        return "Not stated: ask the device maker"

    out: list[Credential] = []
    secret = {a.id for a in m.assets if a.kind in f.terms.secret_assets}
    for a in m.assets:
        if a.id not in secret:
            continue
        texts = [a.description, a.disposal or ""]
        users = [fl for fl in m.flows if a.id in fl.data]
        out.append(
            Credential(
                what=a.name,
                used_for=_flow_ids(users) or f"held in {f.names(a.stored_in)}",
                issuer=issuer(texts),
                lifetime=lifetime(texts),
                revoke=revocation(texts, issuer(texts)),
                short_lived=bool(short and any(short.search(t) for t in texts)),
                maker_held=any(maker(t) for t in (a.name, *texts)),
                hospital_side=any(f.where(e) != "outside" for e in a.stored_in),
            )
        )
    groups: dict[str, list[Flow]] = {}
    for fl in m.flows:
        auth = (fl.authentication or "").strip()
        if not auth or not cred(auth) or secret.intersection(fl.data):
            continue
        label = next((k.label for k in nt.credential_kinds if topology.matcher(k.terms)(auth)), auth)
        groups.setdefault(label, []).append(fl)
    for label, flows in groups.items():
        texts = [x for fl in flows for x in (fl.authentication or "", fl.description)]
        out.append(
            Credential(
                what=label,
                used_for=_flow_ids(flows),
                issuer=issuer(texts),
                lifetime=lifetime(texts),
                revoke=revocation([fl.description for fl in flows], issuer(texts)),
                short_lived=short is not None and all(short.search(fl.authentication or "") for fl in flows),
                maker_held=all(maker(fl.authentication or "") for fl in flows),
                hospital_side=True,
            )
        )
    return out


def _flow_ids(flows: list[Flow]) -> str:
    if len(flows) == 1:
        return f"{flows[0].id} {flows[0].name}".strip()
    return ", ".join(fl.id for fl in flows)


def _maker_named(f: Facts, text: str) -> bool:
    name = f.model.product.manufacturer.split()[0] if f.model.product.manufacturer else ""
    return len(name) > 2 and bool(re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE))


def _incidents(doc: Doc, f: Facts, nt: topology.NetworkTerms) -> None:
    m = f.model
    s = m.support
    doc.table(
        ["Topic", "From the threat model"],
        [
            ["Security contact", s.contact or ASK],
            ["Vulnerability disclosure", s.vulnerability_disclosure or ASK],
        ],
        widths=[4, 10],
    )
    hit = topology.matcher(nt.incident_terms)
    views = [v for v in m.views if v.kind == "security_use_case" and v.steps and (hit(v.name) or any(hit(t) for t in v.tags))]
    if views:
        for v in views:
            doc.p(v.name, bold_prefix="First steps:")
            doc.bullets(v.steps, numbered=True)
        return
    steps = []
    segmentation = [c for c in _customer_controls(f) if "segment" in c.title.lower() or "isolat" in c.title.lower()]
    if segmentation:
        steps.append(
            f"Contain: the model relies on {segmentation[0].title.lower()} ({segmentation[0].id}); "
            "keep the affected devices on their segment and block what is not in the firewall rules."
        )
    resilience = [c for c in m.controls if c.category == "resiliency_recovery" and _first_sentence(c.description)]
    if resilience:
        steps.append("What keeps working: " + "; ".join(f"{c.title} ({c.id})" for c in resilience[:3]) + ".")
    logs = [c for c in m.controls if c.category == "event_logging"]
    if logs:
        steps.append("Preserve evidence: " + "; ".join(f"{c.title} ({c.id})" for c in logs[:3]) + ".")
    if s.contact:
        steps.append(f"Report to the device maker: {s.contact}.")
    if steps:
        doc.p("The model gives no incident procedure; these steps follow from its controls:")
        doc.bullets(steps, numbered=True)
    doc.p(
        "Ask the device maker for its incident response steps for this device: how to isolate it safely "
        "during therapy, and what it needs from the hospital (logs, device state).",
        style="note",
    )


def _scan_statements(f: Facts, nt: topology.NetworkTerms) -> list[str]:
    """What the model says about network scans; when it assumes a safe scan profile it does not give, a
    question."""
    m = f.model
    hit = topology.matcher(nt.scan_terms)
    profile = topology.matcher(nt.scan_profile_terms)
    found = _sentences(f, hit, [*m.assumptions, *m.controls, *m.threats])
    if not found:
        return []
    out = [f"{s} ({i})" for i, s in found[:3]]
    if not any(profile(s) for _, s in found):
        out.append(
            "The scan profile itself is not given: ask the device maker for it (scan rate, ports and checks "
            "to exclude, whether devices must be idle, and how to tell a scan-induced fault)."
        )
    return out


def _accepted_risks(doc: Doc, f: Facts) -> None:
    m = f.model
    residual = [t for t in m.threats if t.status in ("accepted", "open", "partially_mitigated", "transferred")]
    if not residual:
        doc.p("Every threat in the model is mitigated or not applicable.")
        return
    doc.p(
        "These are the device maker's decisions, not the hospital's; the last column is what the hospital can do "
        "about each, from the controls the model expects of it."
    )
    shown, left_out = _most_severe(residual, RISK_ROWS)
    doc.table(
        ["Threat", "Decision", "Residual risk", "What the hospital can do"],
        [[f"{t.id} {t.title}", _DECISION.get(t.status, _words(t.status)), _risk_level(t), _hospital_can(f, t)] for t in shown],
        widths=[5.5, 2.2, 2, 5],
    )
    if left_out:
        doc.p(f"{left_out} more threats with residual risk, less severe, are in the threat register (ptm.xlsx).", style="note")


_DECISION = {
    "accepted": "accepted by the maker",
    "open": "open (no decision yet)",
    "partially_mitigated": "partly mitigated",
    "transferred": "transferred",
}


def _hospital_can(f: Facts, t: Threat) -> str:
    own = [f.controls[c] for c in t.controls if c in f.controls and f.controls[c].responsibility in ("customer", "shared")]
    if own:
        return "; ".join(f"{c.title} ({c.id})" for c in own[:3])
    return "nothing named in the model: ask the device maker"


# ------------------------------------------------------------------------------ decommissioning


def decommissioning(f: Facts) -> Doc:
    m = f.model
    nt = topology.network_terms()
    doc = _new_doc(
        f,
        "decommissioning",
        f"Retiring {m.product.name}, or sending a unit away for service: where data lives on every element "
        "(servers and backups included), what to retrieve first, the credentials to revoke, and the network "
        "access to remove.",
    )
    doc.h("Data on every element")
    rows = _data_rows(f, nt)
    if rows:
        doc.table(["Element", "Where", "Data held", "How to erase it"], rows, widths=[3.4, 2.2, 4.4, 4.4])
    else:
        doc.p("The threat model names no asset that holds data or secrets.")
    if m.support.data_disposal:
        doc.p(m.support.data_disposal, bold_prefix="Device maker's erasure procedure:")

    doc.h("Devices returned for service or repair")
    back = _sentences(f, topology.matcher(nt.service_return_terms), [*m.assumptions, *m.controls, *m.views, *m.assets])
    if back:
        doc.bullets([f"{s} ({i})" for i, s in back[:4]])
    else:
        doc.p(
            "The threat model does not say what happens to data on a unit sent for repair or exchange: ask the "
            "device maker whether it must be erased first and who erases it."
        )

    doc.h("Data to retrieve first")
    retrieve = [a for a in holding_assets(f) if a.kind in f.terms.retrieve_assets]
    if retrieve:
        doc.bullets([f"{a.name} ({_words(a.kind)}) from {f.names(a.stored_in)}" for a in retrieve])
    else:
        doc.p("The threat model names no patient data, logs or configuration to export before erasing.")

    doc.h("Credentials to revoke")
    revoke = _revocations(f, nt)
    if revoke:
        doc.bullets(revoke)
    else:
        doc.p("The threat model names no credential the hospital holds or issues.")

    doc.h("Network access to remove")
    plan = netplan.build(f)
    if plan.rules:
        ruled = {r.flow.id for r in plan.rules}
        doc.p(
            "Remove the firewall rules of the deployment guide for: "
            + "; ".join(f"{fl.id} {fl.name} ({netplan.ports_text(fl) or 'port not stated'})" for fl in m.flows if fl.id in ruled)
            + "."
        )
    else:
        doc.p("No connection in the model crosses a network segment.")
    for v in _use_case_views(f, "decommissioning"):
        doc.p(v.name, bold_prefix="Use case:")
        doc.bullets(v.steps, numbered=True)
    return doc


def holding_assets(f: Facts) -> list[Asset]:
    """Every asset that holds data or secrets: by kind, by a confidentiality rating, or by a disposal rule."""
    kinds = set(f.terms.data_assets)
    return [a for a in f.model.assets if a.kind in kinds or a.confidentiality in ("medium", "high") or a.disposal]


def _data_rows(f: Facts, nt: topology.NetworkTerms) -> list[list[str]]:
    """One row per element that holds data: its assets and how to erase them; every data store even where the
    model names no asset; backups where the model mentions them."""
    m = f.model
    held = holding_assets(f)
    rows: list[list[str]] = []
    by_element: dict[str, list[Asset]] = {}
    for a in held:
        for eid in a.stored_in:
            by_element.setdefault(eid, []).append(a)
    for e in m.elements:
        assets = by_element.get(e.id, [])
        if not assets and e.kind != "data_store":
            continue
        hows = {a.name: _disposal_on(f, a, e) for a in assets}
        how = next(iter(hows.values())) if len(set(hows.values())) == 1 else " ".join(f"{n}: {h.rstrip('.;')}." for n, h in hows.items())
        rows.append(
            [
                e.name,
                LOCATION_WORDS[f.where(e.id)],
                ", ".join(a.name for a in assets) or "not stated",
                how or "A data store for which the model names no data: ask the device maker what it holds.",
            ]
        )
    backups = _sentences(f, topology.matcher(nt.backup_terms), [*m.controls, *m.assumptions, *m.elements])
    if backups:
        ids = ", ".join(i for i, _ in backups[:3])
        rows.append(
            [
                f"Backups and copies ({ids})",
                "where the hospital keeps them",
                "the same data as the systems they copy",
                "Destroy or erase every backup and offline copy as well; the model does not say how.",
            ]
        )
    return rows


_STOP = frozenset(
    {"the", "and", "for", "with", "from", "data", "hospital", "service", "system", "device", "server", "app", "tool", "module", "unit"}
)


def _disposal_on(f: Facts, a: Asset, e: Element) -> str:
    """The part of an asset's disposal rule about this element ("Pump: ... Server: ..." → the pump's part),
    found by the words of the element's name that the product name does not share; else the whole rule."""
    text = _disposal(f, a)
    own = (
        set(re.findall(r"[a-z][a-z0-9-]{2,}", e.name.lower()))
        - _STOP
        - set(re.findall(r"[a-z][a-z0-9-]{2,}", f.model.product.name.lower()))
    )
    if kind_word := {"data_store": "database", "software": "server", "mobile_app": "tablet"}.get(e.kind):
        own.add(kind_word)
    parts = [p.strip() for p in re.split(r"(?<=[.;])\s+", text) if p.strip()]
    if len(parts) < 2 or not own:
        return text
    rx = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(own)) + r")s?\b", re.IGNORECASE)
    mine = [p for p in parts if rx.search(p)]
    return " ".join(mine) if mine else text


def _disposal(f: Facts, a: Asset) -> str:
    if a.disposal:
        return a.disposal
    if a.kind in f.terms.secret_assets:
        return "revoke it (see below), then erase it; how to erase is not stated"
    return "not stated: ask the device maker"


def _revocations(f: Facts, nt: topology.NetworkTerms) -> list[str]:
    """Credentials that matter to the hospital: those it issues or holds, and its accounts at outside
    services. Tokens that expire within hours and keys only the device maker holds are left out."""
    m = f.model
    out = []
    for c in credentials(f, nt):
        if c.short_lived or c.maker_held or not c.hospital_side:
            continue
        who = f" (issued by {c.issuer})" if c.issuer != NOT_STATED else ""
        ask = " Ask the device maker to revoke it." if c.issuer == "the device maker" else ""
        use = c.used_for if c.used_for.startswith("held in") else f"used for {c.used_for}"
        out.append(f"{c.what}{who}: {use}.{ask}")
    hospital_data = {a.id for a in m.assets if a.kind in f.terms.retrieve_assets}
    holders = {e for a in m.assets if a.id in hospital_data for e in a.stored_in}
    holders |= {fl.target for fl in m.flows if hospital_data.intersection(fl.data) and f.where(fl.source) != "outside"}
    out += [
        f"The hospital's account and data at {f.endpoint(e.id)}: ask the device maker to close the account and confirm deletion."
        for e in m.elements
        if e.id in holders and f.where(e.id) == "outside"
    ]
    return out


# -------------------------------------------------------------------------------------- public


def build_guides(
    model: Model, coverage: Coverage | None = None, review: Review | None = None, terms: GuideTerms | None = None
) -> dict[str, Doc]:
    """One document per lifecycle phase, in the order of :data:`PHASES`."""
    f = Facts.of(model, terms)
    return {
        "pre-procurement": pre_procurement(f, review),
        "procurement": procurement(f, coverage),
        "deployment": deployment(f),
        "operations": operations(f),
        "decommissioning": decommissioning(f),
    }


def write_guides(folder: Path, docs: dict[str, Doc], ctx: ExportContext) -> list[Path]:
    """Write ``folder/guides/<phase>.md`` and ``.docx`` for each guide; returns the files written.

    The Word form uses the package's branding template (``ctx.template``) and fixed timestamps
    (``ctx.epoch``); ``ctx.draft`` marks both forms DRAFT.
    """
    from mdptm.render import markdown as render_md
    from mdptm.render.docx import render_docx

    out_dir = folder / "guides"
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for phase, doc in docs.items():
        doc.draft = doc.draft or ctx.draft
        pictures: list[Path] = []
        for block in list(doc.blocks):
            if isinstance(block, Drawn) and block.draw is not None:
                png = block.draw(out_dir / block.path.name)
                if png is None:
                    doc.blocks.remove(block)
                else:
                    pictures.append(png)
        md = out_dir / f"{phase}.md"
        render_md.write(doc, md)  # pictures linked by name, beside the guide
        docx = out_dir / f"{phase}.docx"
        render_docx(_absolute_pictures(doc, out_dir), docx, template=ctx.template, epoch=ctx.epoch)
        written += [*pictures, md, docx]
    return written


def _absolute_pictures(doc: Doc, folder: Path) -> Doc:
    from dataclasses import replace

    blocks = [Image(folder / b.path.name, b.caption, b.width_cm) if isinstance(b, Image) else b for b in doc.blocks]
    return replace(doc, blocks=blocks)
