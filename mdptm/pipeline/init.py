"""``mdptm init [FOLDER]``: a first ``mdptm.yaml`` written from the documents a device maker already has.

The folder is searched for threat models every installed importer recognises (Word, Excel, CSV,
Markdown, .tm7, Threat Dragon, OTM, native models). Each is imported once to make sure it reads;
what could not be read is listed in the file as a comment with the reason, never silently left out.
The product and document facts the sources state are written as a starting point; what they do not
state (the CRA scope above all) is left for the maker to set, with a comment saying so. An existing
project file is never overwritten.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from mdptm.errors import InputError, MdptmError
from mdptm.model import PLACEHOLDER, Model
from mdptm.pipeline.importing import ImportSource, detect, import_sources
from mdptm.pipeline.project import PROJECT_FILE
from mdptm.plugins import importers

REDACTION_FILE = "redaction.yaml"
# Sources first by kind: a Word threat model is the fullest account, a register adds to it (the first wins a conflict).
ORDER = ("docx", "markdown", "xlsx", "csv", "tm7", "threatdragon", "otm", "threagile", "mdptm")
NOT_SOURCES = {PROJECT_FILE, REDACTION_FILE}
SIGNOFFS = ("product_security", "regulatory")
PRODUCT_FACTS = ("name", "manufacturer", "model", "version", "device_type", "intended_use")

REDACTION_SKELETON = """\
# Redaction policy for the public threat model (docs/review-and-redaction.md). Review it before publishing:
# everything listed here is kept out of every file of the package, and a leak scan checks it.
drop: [confidential, trade_secret]   # items of these sensitivities are left out of the public model
terms: []            # literal strings never to publish: code names, people's names, internal hosts
  # - Project Kestrel
patterns: []         # regular expressions, e.g. internal part numbers or ticket ids
  # - '\\bPN \\d{3}-\\d{4}\\b'
replacement: "[redacted]"
withheld_mitigation: "Mitigated by a proprietary control; details are available under NDA."
"""


@dataclass
class Found:
    """One file of the folder: the importer that reads it, or why it was not taken."""

    path: str
    importer: str | None
    problem: str | None = None
    threats: int = 0


@dataclass
class InitResult:
    project_file: Path
    sources: list[Found] = field(default_factory=list)
    rejected: list[Found] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)
    redaction_written: bool = False
    unrelated: list[str] = field(default_factory=list)  # sources that may describe another device (:func:`_unrelated`)


def _candidates(folder: Path) -> list[tuple[Path, str]]:
    """Files an importer recognises by their extension, in the folder and one level below."""
    available = importers()
    by_ext: dict[str, str] = {}
    for name in ORDER + tuple(sorted(available)):
        imp = available.get(name)
        if imp is None:
            continue
        for ext in imp.extensions:
            by_ext.setdefault(ext.lower(), name)
    out: list[tuple[Path, str]] = []
    paths: list[Path] = sorted(folder.iterdir()) + sorted(
        p for d in sorted(folder.iterdir()) if d.is_dir() and not _ignored(d) for p in d.iterdir()
    )
    for p in paths:
        if not p.is_file() or _ignored(p) or p.name in NOT_SOURCES or p.name.endswith((".profile.yaml", ".profile.yml")):
            continue
        if p.suffix.lower() not in by_ext:
            continue
        try:
            out.append((p, detect(p, available).name))  # by content: a .yaml may be a model, an OTM file or neither
        except MdptmError:
            out.append((p, by_ext[p.suffix.lower()]))  # import_one reports why it cannot be read
    rank = {name: n for n, name in enumerate(ORDER)}
    return sorted(out, key=lambda pf: (rank.get(pf[1], len(ORDER)), pf[0].relative_to(folder).as_posix()))


def _ignored(p: Path) -> bool:
    """Hidden files, Office lock files ("~$model.docx") and what mdptm writes (out/, *.internal/, a package)."""
    if p.is_dir() and (p / "MANIFEST.json").exists():
        return True  # a PTM package written earlier: its ptm.json is an output, not a source
    return p.name.startswith((".", "~$")) or p.name in ("out", "__pycache__") or p.name.endswith(".internal")


def init_project(folder: Path) -> InitResult:
    """Write ``FOLDER/mdptm.yaml`` (and a redaction policy skeleton, if none exists) from the documents found."""
    if not folder.exists():
        raise InputError("no such folder", file=str(folder))
    if not folder.is_dir():
        raise InputError("is a file, not a folder: run 'mdptm init' on the folder that holds it", file=str(folder))
    target = folder / PROJECT_FILE
    if target.exists():
        raise InputError(f"{PROJECT_FILE} already exists; edit it, or move it away to write a new one", file=str(target))
    result = InitResult(target)
    readable: list[tuple[Path, str]] = []
    models: list[tuple[str, Model]] = []
    for path, fmt in _candidates(folder):
        rel = path.relative_to(folder).as_posix()
        try:  # references resolved, as build does: a component named only in a threat's row is found
            model, _report = import_sources([ImportSource(path, fmt)])
        except MdptmError as exc:
            result.rejected.append(Found(rel, fmt, getattr(exc, "message", None) or str(exc)))
            continue
        if fmt == "mdptm" and not model.threats and not model.elements:
            result.rejected.append(Found(rel, fmt, "a model file with no threats or components"))
            continue
        result.sources.append(Found(rel, fmt, None, len(model.threats)))
        readable.append((path, fmt))
        models.append((rel, model))
    if not result.sources:
        looked = ", ".join(sorted({ext for imp in importers().values() for ext in imp.extensions}))
        why = "; ".join(f"{f.path}: {f.problem}" for f in result.rejected)
        raise InputError(f"no threat model found to import (looked for {looked})" + (f" — {why}" if why else ""), file=str(folder))
    result.facts = _facts(readable)
    result.unrelated = _unrelated(models)
    redaction = folder / REDACTION_FILE
    if not redaction.exists():
        redaction.write_text(REDACTION_SKELETON, encoding="utf-8")
        result.redaction_written = True
    target.write_text(_render(result), encoding="utf-8")
    return result


def _facts(readable: list[tuple[Path, str]]) -> dict[str, str]:
    """The product and document facts the sources state, merged as ``build`` will merge them."""
    try:
        model, _report = import_sources([ImportSource(p) for p, _f in readable])
    except MdptmError:
        return {}  # the sources read one by one but not together: facts are then left to the maker
    return _stated(model)


def _words(text: str) -> str:
    return " ".join(text.casefold().split())


def _names(model: Model) -> set[str]:
    """The components and assets a source names: one device's documents name some of the same."""
    names = [e.name for e in model.elements] + [a.name for a in model.assets]
    return {_words(n) for n in names if n.strip()}


def _product(model: Model) -> str | None:
    name = model.product.name
    return _words(name) if name.strip() and name != PLACEHOLDER else None


def _same_product(a: str | None, b: str | None) -> bool:
    """Product names that may be one device's: unstated, equal, or one inside the other ("Acme Pump" and
    "Acme Pump threat model": a tool file's product name is often its title)."""
    return a is None or b is None or a in b or b in a


def _unrelated(models: list[tuple[str, Model]]) -> list[str]:
    """Sources that may describe another device than those before them. ``build`` merges every source into
    one model, so two devices' documents in one folder would become one PTM: said, never decided here (the
    same device's documents may name things differently). A source is unrelated when it shares no component
    or asset name with the sources before it (both naming some), or, where names cannot be compared, when it
    names another product."""
    out: list[str] = []
    names: set[str] = set()
    products: list[str] = []
    seen: list[str] = []
    for rel, model in models:
        own = _names(model)
        product = _product(model)
        if seen:
            if own and names:
                related = bool(own & names)
                why = "shares no component or asset name with"
            else:
                related = all(_same_product(product, p) for p in products)
                why = f"names another product ({model.product.name!r}) than"
            if not related:
                out.append(
                    f"{rel} {why} {', '.join(seen)}: build merges every source into one model; list only the documents of one device"
                )
        names |= own
        if product is not None:
            products.append(product)
        seen.append(rel)
    return out


def _stated(model: Model) -> dict[str, str]:
    out: dict[str, str] = {}
    for key in PRODUCT_FACTS:
        value = getattr(model.product, key, None)
        if isinstance(value, str) and value.strip() and value != PLACEHOLDER:
            out[f"product.{key}"] = value
    scope = model.product.regulatory.cra_scope
    if scope and scope != "unknown":
        out["product.regulatory.cra_scope"] = str(scope)
    for key in ("title", "version", "date"):
        value = getattr(model.document, key, None)
        if isinstance(value, str) and value.strip() and value != PLACEHOLDER:
            out[f"document.{key}"] = value
    return out


def _q(value: str) -> str:
    """A YAML scalar that reads back as the same string (JSON strings are YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _render(result: InitResult) -> str:
    facts = result.facts
    lines = [
        "# mdptm project file (docs/project.md), written by 'mdptm init' from the documents in this folder.",
        "# Check every line: facts written here win over what the sources say.",
        "sources:                 # imported in this order and merged; the first source wins a conflict",
    ]
    lines.extend(f"  - {_q(f.path)}   # {f.importer}, {f.threats} threat(s)" for f in result.sources)
    lines.extend(f"  # CHECK: {line}" for line in result.unrelated)
    lines.extend(f"  # - {_q(f.path)}   # not read: {(f.problem or '?').splitlines()[0][:160]}" for f in result.rejected)
    lines.append("product:")
    for key in PRODUCT_FACTS:
        value = facts.get(f"product.{key}")
        if value is not None:
            lines.append(f"  {key}: {_q(value)}")
        elif key in ("name", "manufacturer"):
            lines.append(f"  # {key}: ...          # no source states it: set it (publishing needs it)")
    scope = facts.get("product.regulatory.cra_scope")
    lines += [
        "  regulatory:",
        "    # SET THIS: in_scope if the EU Cyber Resilience Act applies to the product, excluded_mdr_ivdr for a",
        "    # medical device under the EU MDR/IVDR (the CRA mapping is then a benchmark). 'unknown' is not an answer",
        "    # a package should be published with." + (" The value below is what a source states: check it." if scope else ""),
        f"    cra_scope: {scope or 'unknown'}",
    ]
    doc = {k.split(".", 1)[1]: v for k, v in facts.items() if k.startswith("document.")}
    lines.append("document:" if doc else "document: {}")
    for key in ("title", "version", "date"):
        if key in doc:
            lines.append(f"  {key}: {_q(doc[key])}")
    if "version" not in doc:
        lines.append('  # version: "1.0"      # no source states it: set it (publishing needs it)')
    lines += [
        "# frameworks: [cra-annex-i, cra-annex-ii, mc2, fda-premarket]   # default: every installed framework",
        f"redaction: {REDACTION_FILE}       # the redaction policy: review it before publishing",
        "# Publishing needs these sign-offs ('mdptm signoff . --role ROLE --name NAME --decision approved').",
        "signoffs_required: [" + ", ".join(SIGNOFFS) + "]",
        "signoffs: []",
    ]
    return "\n".join(lines) + "\n"


__all__ = ["InitResult", "init_project", "REDACTION_FILE"]
