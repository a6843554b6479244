"""The procurement guide: contract language from the MC2 principles and the framework summary."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol, TypeVar

from mdptm.documents.guides._shared import SUMMARY_FRAMEWORKS, _counts, _customer_assumptions, _customer_controls, _new_doc, _words
from mdptm.documents.guides.facts import Facts
from mdptm.errors import InputError
from mdptm.model import Model
from mdptm.model.evidence import stated
from mdptm.model.io import read_structured
from mdptm.model.results import Coverage, FrameworkResult
from mdptm.render.docir import Doc
from mdptm.resources import mappings_dir

# ---------------------------------------------------------------------------------- procurement


MC2_FILE = "mc2.yaml"
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
        said = " ".join(value.split()).rstrip(".") if value else ""
        if said and stated(said):
            values[name] = said
            continue
        words = fact.get("words", name.replace("_", " "))
        # a fact the model only denies ("There is no end-of-support date") is no commitment to write into a term
        values[name] = f"[{words}: the threat model says only: {said}]" if said else fact.get("missing", f"[{name}: not stated]")
        if name in (c.get("facts") or []):
            gaps.append(f"{words} (the threat model says only: {said})" if said else words)
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


def _catalogue(path: Path | None) -> object:
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
