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

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mdptm.docir import Doc
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
)
from mdptm.modelio import read_structured
from mdptm.plugins import ExportContext
from mdptm.resources import mappings_dir
from mdptm.results import Coverage, FrameworkResult, Review
from mdptm.validate import pointer

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
ASK = "Not stated in the threat model: ask the manufacturer."
EVIDENCE_ROWS = 5  # evidence items named per MC2 principle before "and N more"
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


class _Locations(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outside: list[str] = Field(default_factory=list)
    hospital: list[str] = Field(default_factory=list)
    device: list[str] = Field(default_factory=list)


class _UseCases(BaseModel):
    model_config = ConfigDict(extra="forbid")
    deployment: list[str] = Field(default_factory=list)
    operations: list[str] = Field(default_factory=list)
    decommissioning: list[str] = Field(default_factory=list)


class GuideTerms(BaseModel):
    """The vocabulary file, validated."""

    model_config = ConfigDict(extra="forbid")
    schema_version: int
    locations: _Locations
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
    try:
        return GuideTerms.model_validate(read_structured(path))
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise InputError(err["msg"], file=str(path), locator=pointer(*err["loc"])) from None


def _matcher(terms: Iterable[str]) -> Callable[[str], bool]:
    """Whole-word, case-insensitive; ``configur*`` matches every word starting with ``configur``."""
    parts = [
        r"\b" + re.escape(t[:-1]) + r"\w*" if t.endswith("*") else r"\b" + re.escape(t) + r"(?!\w)"
        for t in terms
        if t.strip("*")
    ]
    if not parts:
        return lambda _text: False
    rx = re.compile("|".join(parts), re.IGNORECASE)
    return lambda text: bool(rx.search(text))


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
        loc = terms_locations(f.terms)
        kinds = dict(f.terms.element_kinds)
        for e in model.elements:
            f._where.setdefault(e.id, _locate(e, f.zones.get(e.trust_zone or ""), loc, kinds))
        f._share_zone_locations()
        for t in model.threats:
            for c in dict.fromkeys(t.controls):
                f._mitigates.setdefault(c, []).append(t.id)
        return f

    def _share_zone_locations(self) -> None:
        """An element the words cannot place sits where the other elements of its trust zone sit,
        when those agree (a database in the zone of two cloud services is in the cloud too)."""
        by_zone: dict[str, set[Location]] = {}
        for e in self.model.elements:
            if e.trust_zone and self._where[e.id] != "unknown":
                by_zone.setdefault(e.trust_zone, set()).add(self._where[e.id])
        for e in self.model.elements:
            places = by_zone.get(e.trust_zone or "", set())
            if self._where[e.id] == "unknown" and len(places) == 1:
                self._where[e.id] = next(iter(places))

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


def terms_locations(terms: GuideTerms) -> dict[Location, Callable[[str], bool]]:
    return {
        "outside": _matcher(terms.locations.outside),
        "hospital": _matcher(terms.locations.hospital),
        "device": _matcher(terms.locations.device),
    }


def _locate(
    e: Element, zone: TrustZone | None, match: dict[Location, Callable[[str], bool]], kinds: dict[Any, list[str]]
) -> Location:
    """Where an element sits: its zone's name first, then its kind, then its own name."""
    if zone is not None:
        for loc, hit in match.items():
            if hit(zone.name) or any(hit(t) for t in zone.tags):
                return loc
    order: tuple[Location, ...] = ("outside", "hospital", "device")
    for loc in order:
        if e.kind in kinds.get(loc, []):
            return loc
    for loc, hit in match.items():
        if hit(e.name) or any(hit(t) for t in e.tags):
            return loc
    return "unknown"


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


def _id_list(ids: list[str], limit: int = 30) -> str:
    return ", ".join(ids[:limit]) + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


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
    return [
        v for v in f.model.views
        if v.kind == "security_use_case" and v.steps and (hit(v.name) or any(hit(t) for t in v.tags))
    ]


def _customer_controls(f: Facts) -> list[Control]:
    return [c for c in f.model.controls if c.responsibility in ("customer", "shared")]


def _customer_assumptions(f: Facts) -> list[Assumption]:
    return [a for a in f.model.assumptions if a.responsibility in ("customer", "shared", None)]


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
            [[f"{fl.id} {fl.name}".strip(), f.endpoint(fl.source), f.endpoint(fl.target),
              f.names(fl.data), _encryption(fl)] for fl in leaving],
        )
    else:
        doc.p(f"None of the {len(m.flows)} data flows in the threat model leaves the hospital.")
    if unclear:
        doc.p(
            "The model does not say where one end of these flows sits, so whether they leave the hospital is "
            "not clear: " + "; ".join(f"{fl.id} ({f.endpoint(fl.source)} → {f.endpoint(fl.target)})" for fl in unclear)
            + ".",
            style="note",
        )
    outside_stores = [
        (a, [e for e in a.stored_in if f.where(e) == "outside"]) for a in m.assets if a.kind in f.terms.retrieve_assets
    ]
    rows = [[a.name, _words(a.kind), f.names(where)] for a, where in outside_stores if where]
    if rows:
        doc.p("Patient, therapy, log and configuration data kept outside the hospital:")
        doc.table(["Asset", "Kind", "Stored in"], rows)

    doc.h("Support and vulnerability disclosure")
    doc.table(["Topic", "Manufacturer's statement"], _support_rows(f))

    doc.h("What the hospital must provide")
    _responsibilities(doc, f)

    doc.h("Open points to raise with the manufacturer")
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
    regs = [f"FDA product code {reg.fda_product_code}" if reg.fda_product_code else "",
            f"{reg.submission_type} {reg.submission_number or ''}".strip() if reg.submission_type else "",
            f"CRA category: {_words(reg.cra_category)}" if reg.cra_category else "",
            {"excluded_mdr_ivdr": "outside the CRA (EU MDR/IVDR device)", "in_scope": "in scope of the CRA",
             "unknown": ""}[reg.cra_scope]]
    if any(regs):
        rows.append(["Regulatory", "; ".join(r for r in regs if r)])
    kinds = _counts(e.kind for e in m.elements)
    rows.append(["Components", f"{len(m.elements)} ({_count_phrase(kinds)})" if m.elements else NOT_STATED])
    if m.trust_zones:
        rows.append(["Trust zones", ", ".join(z.name for z in m.trust_zones)])
    leaving = sum(1 for fl in m.flows if f.leaves_hospital(fl))
    plain = sum(1 for fl in m.flows if _encryption(fl) == "none")
    unknown = sum(1 for fl in m.flows if fl.encryption is None)
    rows.append(["Data flows", f"{len(m.flows)}; {leaving} leave the hospital; {plain} unencrypted; "
                 f"encryption not stated for {unknown}"])
    by_kind: dict[str, list[str]] = {}
    for a in m.assets:
        by_kind.setdefault(_words(a.kind), []).append(a.name)
    rows.append(["Data and functions protected",
                 "; ".join(f"{k}: {', '.join(v)}" for k, v in by_kind.items()) or NOT_STATED])
    statuses = _counts((t.status for t in m.threats),
                       ("mitigated", "partially_mitigated", "accepted", "transferred", "open", "not_applicable"))
    stride = _counts((s for t in m.threats for s in t.stride), STRIDE_ORDER)
    rows.append(["Threats analysed", f"{len(m.threats)} ({_count_phrase(statuses)})" if m.threats else "none"])
    if m.threats:
        rows.append(["Threats by STRIDE", _count_phrase(stride) or NOT_STATED])
    multi = [t.id for t in m.threats if t.multi_patient]
    if multi:
        shown = ", ".join(multi[:10]) + (f" and {len(multi) - 10} more" if len(multi) > 10 else "")
        rows.append(["Threats that could harm several patients", f"{len(multi)}: {shown}"])
    c_status = _counts((c.status for c in m.controls), ("implemented", "planned", "not_implemented"))
    customer = len(_customer_controls(f))
    rows.append(["Controls", f"{len(m.controls)} ({_count_phrase(c_status)}); {customer} the hospital owns "
                 "or shares" if m.controls else "none"])
    present = _counts(v.kind for v in m.views)
    missing = [k for k in ("global_system", "multi_patient_harm", "updatability_patchability", "security_use_case")
               if k not in present]
    rows.append(["Security architecture views",
                 (_count_phrase(present) or "none") + (f"; not provided: {', '.join(_words(k) for k in missing)}"
                                                      if missing else "")])
    rows.append(["Publication review", _review_line(m, review)])
    return rows


def _review_line(m: Model, review: Review | None) -> str:
    approved = [f"{_words(s.role)} ({s.date})" if s.date else _words(s.role)
                for s in m.document.signoffs if s.decision == "approved"]
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
    rows = [[c.id, c.title, _words(c.responsibility), _words(c.category), _words(c.status)] for c in _customer_controls(f)]
    if rows:
        doc.table(["Control", "What", "Responsibility", "Category", "Status"], rows[:THREAT_ROWS])
        if len(rows) > THREAT_ROWS:
            doc.p(f"… and {len(rows) - THREAT_ROWS} more controls the hospital owns or shares (see the deployment "
                  "guide).", style="note")
    arows = [[a.id, a.text, _words(a.responsibility) if a.responsibility else NOT_STATED]
             for a in _customer_assumptions(f)]
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
    bare = [t.id for t in m.threats
            if not t.controls and t.status not in ("not_applicable", "accepted", "transferred", "open")]
    if bare:
        out.append("No control is named for threats " + _id_list(bare) + ".")
    pending = [c for c in m.controls if c.status != "implemented"]
    if len(pending) <= THREAT_ROWS:
        out += [f"Control {c.id} ({c.title}) is {_words(c.status)}." for c in pending]
    else:
        out.append(f"{len(pending)} controls are planned or not implemented: " + _id_list([c.id for c in pending]) + ".")
    s = m.support
    missing = [name for name, v in (("end of support", s.end_of_support), ("patch policy", s.patch_policy),
                                    ("vulnerability disclosure", s.vulnerability_disclosure),
                                    ("SBOM", s.sbom)) if not v]
    if missing:
        out.append("Not stated: " + ", ".join(missing) + ".")
    unknown = [fl.id for fl in m.flows if fl.encryption is None]
    if unknown:
        out.append("Encryption not stated for flows " + _id_list(unknown) + ".")
    return out


# ---------------------------------------------------------------------------------- procurement


def procurement(f: Facts, coverage: Coverage | None) -> Doc:
    m = f.model
    doc = _new_doc(
        f,
        "procurement",
        f"For the purchase contract of {m.product.name}: each principle of the HSCC Model Contract-language "
        "for Medtech Cybersecurity (MC2) with the evidence the public threat model offers and the gaps it "
        "leaves, ready to attach as a security annex; then the CRA and FDA coverage in brief.",
    )
    mc2 = coverage.framework("mc2") if coverage is not None else None
    if mc2 is not None:
        _mc2_assessed(doc, f, mc2)
    else:
        _mc2_unassessed(doc)

    doc.h("Terms to write into the contract")
    doc.table(["Topic", "Manufacturer's statement"], _support_rows(f)[:5] + [
        ["Hospital responsibilities", f"{len(_customer_controls(f))} controls and "
         f"{len(_customer_assumptions(f))} assumptions (see the deployment guide)"],
    ])

    doc.h("CRA and FDA coverage")
    frameworks = [fw for fw in (coverage.frameworks if coverage is not None else []) if fw.id != "mc2"]
    frameworks.sort(key=lambda fw: (SUMMARY_FRAMEWORKS.index(fw.id) if fw.id in SUMMARY_FRAMEWORKS else 99, fw.id))
    cra_noted = any(fw.note for fw in frameworks if fw.id.startswith("cra"))
    if m.product.regulatory.cra_scope == "excluded_mdr_ivdr" and not cra_noted:
        doc.p("The device falls under the EU MDR/IVDR and outside the Cyber Resilience Act; the CRA rows "
              "are a benchmark, not a legal obligation.", style="note")
    if not frameworks:
        doc.p("CRA and FDA coverage was not assessed for this publication.")
        return doc
    doc.table(
        ["Framework", "Covered", "Partial", "Gap", "Not applicable"],
        [[fw.title or fw.id, *(str(_summary(fw).get(s, 0)) for s in ("covered", "partial", "gap", "not_applicable"))]
         for fw in frameworks],
    )
    for fw in frameworks:
        if fw.note:
            doc.p(fw.note, style="note", bold_prefix=f"{fw.title or fw.id}:")
        gaps = [c for c in fw.clauses if c.status in ("gap", "partial")]
        if gaps:
            doc.p(f"Not fully covered in {fw.title or fw.id}:")
            doc.bullets([f"{c.id} {c.title} ({c.status})" for c in gaps])
    return doc


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
    return [(titles.get(g) or (_words(g).capitalize() if g else "MC2 principles"), members)
            for g, members in out.items()]


def _evidence_cell(f: Facts, ids: list[str]) -> str:
    if not ids:
        return "none in the threat model"
    shown = "; ".join(f"{i} {f.name(i)}" if f.name(i) != i else i for i in ids[:EVIDENCE_ROWS])
    return shown + (f"; and {len(ids) - EVIDENCE_ROWS} more" if len(ids) > EVIDENCE_ROWS else "")


def _mc2_assessed(doc: Doc, f: Facts, mc2: FrameworkResult) -> None:
    if mc2.note:
        doc.p(mc2.note, style="note")
    for title, clauses in _grouped(mc2.clauses, _group_titles()):
        doc.h(title)
        doc.table(["Principle", "Status", "Evidence in the threat model", "Assessment"],
                  [[c.title or c.id, _words(c.status), _evidence_cell(f, c.evidence), c.rationale or NOT_STATED]
                   for c in clauses], widths=[2, 1, 3, 3])
    gaps = [c for c in mc2.clauses if c.status in ("gap", "partial")]
    doc.h("MC2 gaps to settle in the contract")
    if gaps:
        doc.bullets([f"{c.title or c.id} ({_words(c.status)})" for c in gaps])
    else:
        doc.p("The threat model gives evidence for every MC2 principle.")


def _mc2_unassessed(doc: Doc) -> None:
    principles = mc2_principles()
    if not principles:
        doc.h("MC2 principles")
        doc.p("MC2 coverage was not assessed for this publication, and no MC2 catalogue is installed.")
        return
    doc.p("MC2 coverage was not assessed for this publication: the principles are listed so that the "
          "contract annex can be completed with the manufacturer.", style="note")
    for title, members in _grouped(principles, _group_titles()):
        doc.h(title)
        doc.table(["Principle", "What it asks", "Evidence in the threat model"],
                  [[p.title, p.summary or NOT_STATED, "not assessed"] for p in members])


def mc2_principles(path: Path | None = None) -> list[Principle]:
    """Each clause of the MC2 catalogue (``mappings/mc2.yaml`` unless *path*), in order; empty when absent."""
    data = _catalogue(path)
    clauses = (data.get("clauses") or data.get("principles")) if isinstance(data, dict) else None
    if not isinstance(clauses, list):
        return []
    return [
        Principle(id=str(c.get("id", "")), title=str(c.get("title") or c.get("id", "")),
                  summary=" ".join(str(c.get("summary") or "").split()), group=str(c.get("group") or ""))
        for c in clauses
        if isinstance(c, dict)
    ]


# ----------------------------------------------------------------------------------- deployment


def deployment(f: Facts) -> Doc:
    m = f.model
    doc = _new_doc(
        f,
        "deployment",
        f"How to place {m.product.name} in the hospital network as its threat model expects: every data "
        f"flow with its port and protection ({len(m.flows)} flows, a starting point for firewall rules), the "
        f"trust zones and the segmentation they imply, the controls the hospital owns, and the hardening "
        "steps the model gives.",
    )
    doc.h("Data flows and ports")
    if m.flows:
        doc.table(FLOW_HEADER, [_flow_row(f, fl) for fl in m.flows],
                  caption="Dir: → one way, from the first element to the second; ↔ both ways.",
                  widths=[0.8, 1.6, 1.5, 0.6, 1.5, 1.7, 1.0, 2.2, 1.4])
        notes = _flow_notes(f)
        if notes:
            doc.bullets(notes)
    else:
        doc.p("The threat model describes no data flows.")

    doc.h("Trust zones and segmentation")
    if m.trust_zones:
        members: dict[str, list[Element]] = {}
        for e in m.elements:
            members.setdefault(e.trust_zone or "", []).append(e)
        doc.table(["Zone", "Trust level", "Where", "Elements"],
                  [[z.name, str(z.trust_level) if z.trust_level is not None else NOT_STATED,
                    _zone_where(f, members.get(z.id, [])), ", ".join(e.name for e in members.get(z.id, [])) or "none"]
                   for z in m.trust_zones])
        if members.get(""):
            doc.p("Elements with no trust zone: " + ", ".join(e.name for e in members[""]) + ".")
    else:
        doc.p("The threat model defines no trust zones.")
    boundaries = _boundaries(f)
    if boundaries:
        doc.p("Each zone is a separate network segment; only these flows need to pass between segments:")
        doc.table(["Zone", "Direction", "Zone", "Flows", "Ports"], boundaries)

    doc.h("Controls the hospital owns")
    cc = _customer_controls(f)
    if cc:
        doc.table(["Id", "Control", "Category", "Responsibility", "Status", "Threats addressed"],
                  [[c.id, c.title, _words(c.category), _words(c.responsibility), _words(c.status),
                    ", ".join(f.threats_using(c.id)) or "none"] for c in cc])
    else:
        doc.p("The threat model assigns no control to the hospital.")
    ca = _customer_assumptions(f)
    if ca:
        doc.p("The threat analysis holds only if these assumptions are true in the hospital:")
        doc.table(["Id", "Assumption", "Responsibility"],
                  [[a.id, a.text, _words(a.responsibility) if a.responsibility else NOT_STATED] for a in ca])

    doc.h("Hardening and configuration")
    steps_given = False
    for v in _use_case_views(f, "deployment"):
        doc.h(v.name, 2)
        if v.description:
            doc.p(v.description)
        doc.bullets(v.steps, numbered=True)
        steps_given = True
    configs = [a for a in m.assets if a.kind == "configuration"]
    if configs:
        doc.p("Configuration the device relies on (protect it from change and keep a copy):")
        doc.table(["Configuration", "Stored in", "Integrity"],
                  [[a.name, f.names(a.stored_in), a.integrity or NOT_STATED] for a in configs])
        steps_given = True
    pending = [c for c in cc if c.status != "implemented"]
    if pending:
        doc.p("Hospital controls the model marks as not yet in place: "
              + "; ".join(f"{c.id} {c.title} ({_words(c.status)})" for c in pending) + ".")
        steps_given = True
    if not steps_given:
        doc.p("The threat model gives no hardening or configuration steps beyond the controls above.")
    return doc


def _flow_notes(f: Facts) -> list[str]:
    m = f.model
    out = []
    no_port = [fl.id for fl in m.flows if not (fl.port or "").strip()]
    if no_port:
        out.append("Port not stated for " + ", ".join(no_port) + ": ask the manufacturer before writing rules.")
    plain = [fl for fl in m.flows if _encryption(fl) == "none"]
    if plain:
        out.append("Unencrypted: " + "; ".join(f"{fl.id} ({f.name(fl.source)} → {f.name(fl.target)})" for fl in plain)
                   + ". Keep these inside their segment.")
    no_auth = [fl for fl in m.flows if (fl.authentication or "").strip().lower() in ("none", "no")]
    if no_auth:
        out.append("Unauthenticated: " + "; ".join(f"{fl.id} ({f.name(fl.source)} → {f.name(fl.target)})"
                                                   for fl in no_auth) + ".")
    return out


def _zone_where(f: Facts, members: list[Element]) -> str:
    places = {f.where(e.id) for e in members}
    places.discard("unknown")
    if len(places) == 1:
        return LOCATION_WORDS[places.pop()]
    return "mixed" if places else NOT_STATED


def _boundaries(f: Facts) -> list[list[str]]:
    """Zone pairs that flows cross, with the flows and ports each pair needs."""
    pairs: dict[tuple[str, str, bool], list[Flow]] = {}
    for fl in f.model.flows:
        if not f.crosses_zones(fl):
            continue
        a, b = f.zone_name(fl.source), f.zone_name(fl.target)
        if fl.bidirectional and b < a:
            a, b = b, a
        pairs.setdefault((a, b, fl.bidirectional), []).append(fl)
    rows = []
    for (a, b, both), flows in pairs.items():
        ports = list(dict.fromkeys(_port(fl) for fl in flows))
        rows.append([a, "↔" if both else "→", b, ", ".join(fl.id for fl in flows), ", ".join(ports)])
    return rows


# ----------------------------------------------------------------------------------- operations


def operations(f: Facts) -> Doc:
    m = f.model
    doc = _new_doc(
        f,
        "operations",
        f"Running {m.product.name} day to day: which logs to collect and what to look for in them, what to "
        "monitor, how the device is patched, whom to call, and the residual risks the hospital accepts by "
        "operating it.",
    )
    doc.h("Logs to collect")
    logging = [c for c in m.controls if c.category == "event_logging"]
    logs = [a for a in m.assets if a.kind == "log"]
    if logging:
        doc.table(["Id", "Logging control", "Responsibility", "Status", "Threats addressed"],
                  [[c.id, c.title, _words(c.responsibility), _words(c.status), ", ".join(f.threats_using(c.id)) or "none"]
                   for c in logging])
    if logs:
        doc.table(["Log", "Kept in", "Sent to"],
                  [[a.name, f.names(a.stored_in), _sent_to(f, a)] for a in logs])
    if not logging and not logs:
        doc.p("The threat model names no logging control and no log data; ask the manufacturer what the "
              "device records and how the hospital can collect it.")

    doc.h("What to look for")
    logging_ids = {c.id for c in logging}
    watch, left_out = _most_severe([t for t in m.threats
                                    if "repudiation" in t.stride or logging_ids.intersection(t.controls)])
    if watch:
        doc.table(["Threat", "Signs of", "Against", "Status", "Logging controls"],
                  [[t.id, t.title, f.names(t.targets), _words(t.status),
                    ", ".join(c for c in t.controls if c in logging_ids) or "none"] for t in watch])
        _more(doc, left_out, "threats to watch for")
    else:
        doc.p("The threat model has no repudiation threat and no threat answered by logging.")

    doc.h("Monitoring")
    _monitoring(doc, f)

    doc.h("Patching and updates")
    _patching(doc, f)

    doc.h("Incident contacts")
    s = m.support
    doc.table(["Topic", "Manufacturer's statement"], [
        ["Security contact", s.contact or ASK],
        ["Vulnerability disclosure", s.vulnerability_disclosure or ASK],
        ["Manufacturer", m.product.manufacturer],
    ])

    procedures = _use_case_views(f, "operations")
    if procedures:
        doc.h("Operating procedures from the security use cases")
        for v in procedures:
            doc.h(v.name, 2)
            doc.bullets(v.steps, numbered=True)

    doc.h("Residual risks the hospital accepts")
    residual, left_out = _most_severe(
        [t for t in m.threats if t.status in ("accepted", "open", "partially_mitigated", "transferred")])
    if residual:
        doc.table(["Threat", "Title", "Status", "Residual risk", "Patient harm", "Rationale"],
                  [[t.id, t.title, _words(t.status), _risk_level(t), t.patient_harm or NOT_STATED,
                    t.rationale or NOT_STATED] for t in residual])
        _more(doc, left_out, "threats with residual risk")
    else:
        doc.p("Every threat in the model is mitigated or not applicable; no residual risk is handed to the hospital.")
    return doc


def _sent_to(f: Facts, a: Asset) -> str:
    flows = [fl for fl in f.model.flows if a.id in fl.data]
    if not flows:
        return "no flow in the model carries it"
    return "; ".join(f"{f.endpoint(fl.target)} via {fl.id}" + (" (leaves the hospital)" if f.leaves_hospital(fl) else "")
                     for fl in flows)


def _monitoring(doc: Doc, f: Facts) -> None:
    m = f.model
    critical: list[str] = []
    for v in m.views:
        if v.kind == "multi_patient_harm":
            critical.extend(e for e in v.elements if e not in critical)
    for t in m.threats:
        if t.multi_patient:
            critical.extend(x for x in t.targets if x in f.elements and x not in critical)
    said = False
    if critical:
        doc.p("Elements whose compromise could harm several patients at once: "
              + ", ".join(f.name(e) for e in critical) + ".")
        said = True
    multi = [t for t in m.threats if t.multi_patient]
    unresolved = [t for t in multi if t.status not in ("mitigated", "not_applicable")]
    if multi:
        doc.p(f"{len(multi)} threats could harm several patients; "
              + (f"{len(unresolved)} of them are not fully mitigated:" if unresolved else "all are mitigated."))
        said = True
    if unresolved:
        shown, left_out = _most_severe(unresolved)
        doc.table(["Threat", "Title", "Patient harm", "Status"],
                  [[t.id, t.title, t.patient_harm or NOT_STATED, _words(t.status)] for t in shown])
        _more(doc, left_out, "multi-patient threats")
    resilience = [c for c in m.controls if c.category == "resiliency_recovery"]
    if resilience:
        doc.table(["Id", "Resilience and recovery control", "Responsibility", "Status"],
                  [[c.id, c.title, _words(c.responsibility), _words(c.status)] for c in resilience])
        said = True
    leaving = [fl for fl in m.flows if f.leaves_hospital(fl)]
    if leaving:
        doc.p("Connections leaving the hospital, to watch at the perimeter: "
              + "; ".join(f"{fl.id} {'to' if f.where(fl.target) == 'outside' else 'from'} "
                          f"{f.name(fl.target) if f.where(fl.target) == 'outside' else f.name(fl.source)} ({_port(fl)})"
                          for fl in leaving) + ".")
        said = True
    if not said:
        doc.p("The threat model names no multi-patient harm, resilience control or external connection to monitor.")


def _patching(doc: Doc, f: Facts) -> None:
    m = f.model
    s = m.support
    doc.table(["Topic", "Manufacturer's statement"], [
        ["Patch policy", s.patch_policy or ASK],
        ["End of support", s.end_of_support or ASK],
        ["SBOM", s.sbom or ASK],
    ])
    views = [v for v in m.views if v.kind == "updatability_patchability"]
    for v in views:
        doc.h(v.name, 2)
        if v.description:
            doc.p(v.description)
        doc.bullets(v.steps, numbered=True)
        flows = [fl for fl in m.flows if fl.id in set(v.flows)]
        if flows:
            doc.table(["Id", "Update path", "From", "To", "Protocol", "Port", "Encryption"],
                      [[fl.id, fl.name or NOT_STATED, f.endpoint(fl.source), f.endpoint(fl.target),
                        _value(fl.protocol), _value(fl.port), _encryption(fl)] for fl in flows])
    if not views:
        doc.p("The threat model has no updatability/patchability view.")
    upd = [c for c in m.controls if c.category == "updatability_patchability"]
    if upd:
        doc.table(["Id", "Update control", "Responsibility", "Status"],
                  [[c.id, c.title, _words(c.responsibility), _words(c.status)] for c in upd])


# ------------------------------------------------------------------------------ decommissioning


def decommissioning(f: Facts) -> Doc:
    m = f.model
    doc = _new_doc(
        f,
        "decommissioning",
        f"Retiring {m.product.name}: where each piece of patient data, configuration and secret lives and how "
        "to sanitise it, the data to retrieve first, and the credentials and network access to revoke.",
    )
    doc.h("Data and secrets to sanitise")
    held = holding_assets(f)
    if held:
        doc.table(["Asset", "Kind", "Stored in", "Where", "How to sanitise"],
                  [[a.name, _words(a.kind), f.names(a.stored_in), _asset_where(f, a), _disposal(f, a)] for a in held])
    else:
        doc.p("The threat model names no asset that holds data or secrets.")
    stored = {e for a in m.assets for e in a.stored_in}
    stores = [e for e in m.elements if e.kind == "data_store" and e.id not in stored]
    if stores:
        doc.p("Data stores for which the model records no asset; they may still hold data to sanitise:")
        doc.table(["Data store", "Zone", "Where"],
                  [[e.name, f.zone_name(e.id), LOCATION_WORDS[f.where(e.id)]] for e in stores])
    if m.support.data_disposal:
        doc.p(m.support.data_disposal, bold_prefix="Manufacturer's disposal statement:")

    doc.h("Data to retrieve first")
    retrieve = [a for a in held if a.kind in f.terms.retrieve_assets]
    if retrieve:
        doc.bullets([f"{a.name} ({_words(a.kind)}) from {f.names(a.stored_in)}" for a in retrieve])
    else:
        doc.p("The threat model names no patient data, logs or configuration to export before wiping.")

    doc.h("Credentials and certificates to revoke")
    revoke = _revocations(f)
    if revoke:
        doc.bullets(revoke)
    else:
        doc.p("The threat model names no credential, key or certificate.")

    doc.h("Network access to remove")
    crossing = [fl for fl in m.flows if f.crosses_zones(fl) or f.leaves_hospital(fl)]
    if crossing:
        doc.bullets([f"{fl.id} {fl.name}: {_port(fl)}, {f.name(fl.source)} {'↔' if fl.bidirectional else '→'} "
                     f"{f.name(fl.target)}".replace("  ", " ") for fl in crossing])
    else:
        doc.p("No flow in the model crosses a trust zone.")
    for v in _use_case_views(f, "decommissioning"):
        doc.h(v.name, 2)
        doc.bullets(v.steps, numbered=True)
    return doc


def holding_assets(f: Facts) -> list[Asset]:
    """Every asset that holds data or secrets: by kind, by a confidentiality rating, or by a disposal rule."""
    kinds = set(f.terms.data_assets)
    return [a for a in f.model.assets
            if a.kind in kinds or a.confidentiality in ("medium", "high") or a.disposal]


def _asset_where(f: Facts, a: Asset) -> str:
    places = [LOCATION_WORDS[f.where(e)] for e in a.stored_in]
    unique = list(dict.fromkeys(p for p in places if p != NOT_STATED))
    return ", ".join(unique) or NOT_STATED


def _disposal(f: Facts, a: Asset) -> str:
    if a.disposal:
        return a.disposal
    if a.kind in f.terms.secret_assets:
        return "Revoke it (see below), then erase it; how to erase is not stated in the threat model."
    return ASK


def _revocations(f: Facts) -> list[str]:
    m = f.model
    out = [f"{a.name} ({_words(a.kind)}), held in {f.names(a.stored_in)}" for a in m.assets
           if a.kind in f.terms.secret_assets]
    cred = _matcher(f.terms.credential_terms)
    out += [f"{fl.id} {fl.name}: {fl.authentication}".replace("  ", " ") for fl in m.flows
            if fl.authentication and cred(fl.authentication)]
    hospital_data = {a.id for a in m.assets if a.kind in f.terms.retrieve_assets}
    holders = {e for a in m.assets if a.id in hospital_data for e in a.stored_in}
    holders |= {fl.target for fl in m.flows if hospital_data.intersection(fl.data) and f.where(fl.source) != "outside"}
    out += [f"The hospital's account and data at {f.endpoint(e.id)}: ask the manufacturer to close the account "
            "and confirm deletion" for e in m.elements if e.id in holders and f.where(e.id) == "outside"]
    return out


# -------------------------------------------------------------------------------------- public


def build_guides(model: Model, coverage: Coverage | None = None, review: Review | None = None,
                 terms: GuideTerms | None = None) -> dict[str, Doc]:
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
    from mdptm import render_md
    from mdptm.render_docx import render_docx

    out_dir = folder / "guides"
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for phase, doc in docs.items():
        doc.draft = doc.draft or ctx.draft
        md = out_dir / f"{phase}.md"
        render_md.write(doc, md)
        docx = out_dir / f"{phase}.docx"
        render_docx(doc, docx, template=ctx.template, epoch=ctx.epoch)
        written += [md, docx]
    return written
