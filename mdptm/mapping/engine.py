"""Map a threat model onto regulatory frameworks (SPEC §4).

Frameworks are data (:mod:`mdptm.mapping.framework`): the shipped catalogues in ``mappings/*.yaml``, plug-ins
registered under the ``mdptm.frameworks`` entry-point group, and user files given by path. Each
clause's rules are evaluated over the model to a verdict — ``covered``, ``partial``, ``gap`` or
``not_applicable`` — with the evidence ids and a rationale that names them, so a reviewer can check
every verdict against the model. Overrides from the project file then replace verdicts, keeping the
computed one and the justification in the rationale.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ValidationError

from mdptm.errors import InputError
from mdptm.mapping.framework import TEXT_FIELDS, UNION_LABELS, Assertion, Clause, FieldCheck, Framework, Override, Rule
from mdptm.model import Flow, Item, Model, Risk, RiskLevel, Threat, View
from mdptm.model.evidence import (
    advisories,
    affirmed,
    customer_enabled,
    denied_part,
    due_after,
    durations,
    first_date,
    not_in_place,
    others_only,
    prompt_remediation,
    read_as_requirement,
    read_responsibility,
    real_values,
    requirement_kind,
    requirement_only,
    says_none,
    sbom_access,
    sbom_shortfall,
    stated,
    support_withheld,
    verified,
    void_reason,
    with_article,
    without_citations,
    written_as,
)
from mdptm.model.io import read_structured
from mdptm.model.premarket import NOT_ACCEPTABLE, acceptability, has_criteria
from mdptm.model.results import CLAUSE_STATUSES, ClauseResult, ClauseStatus, Confirmation, Coverage, FrameworkResult
from mdptm.model.validate import pointer
from mdptm.resources import mappings_dir

if TYPE_CHECKING:
    from mdptm.mapping.framework import Selector

__all__ = [
    "BUILTIN_FRAMEWORKS",
    "MAX_NAMED",
    "FrameworkRef",
    "available_frameworks",
    "check_overrides",
    "evaluate_framework",
    "framework_conflicts",
    "load_framework",
    "load_framework_file",
    "map_model",
    "resolve_frameworks",
]

BUILTIN_FRAMEWORKS: tuple[str, ...] = ("cra-annex-i", "cra-annex-ii", "mc2", "fda-premarket")
MAX_NAMED = 3  # ids named in one part of a rationale, then the count of the rest; the evidence list has them all
FRAMEWORK_SUFFIXES = (".yaml", ".yml", ".json")

Level = Literal["met", "partial", "unmet"]
_RANK: dict[Level, int] = {"unmet": 0, "partial": 1, "met": 2}
_STATUS: dict[Level, ClauseStatus] = {"met": "covered", "partial": "partial", "unmet": "gap"}


# ============================================================================ loading


def _shipped(name: str) -> Path:
    return mappings_dir() / f"{name}.yaml"


def cra_annex_i() -> Path:
    """Entry point ``mdptm.frameworks: cra-annex-i``."""
    return _shipped("cra-annex-i")


def cra_annex_ii() -> Path:
    """Entry point ``mdptm.frameworks: cra-annex-ii``."""
    return _shipped("cra-annex-ii")


def mc2() -> Path:
    """Entry point ``mdptm.frameworks: mc2``."""
    return _shipped("mc2")


def fda_premarket() -> Path:
    """Entry point ``mdptm.frameworks: fda-premarket``."""
    return _shipped("fda-premarket")


@dataclass(frozen=True)
class FrameworkRef:
    """Where a framework comes from: a file, or a plug-in object (callable, path, dict, Framework)."""

    id: str
    origin: str  # "shipped", "plugin" or "file"
    target: object  # a file path (shipped, file) or what the plug-in names (mdptm.plugins.FrameworkSource)


def _clean_loc(loc: Iterable[int | str]) -> list[int | str]:
    """Drop pydantic's union-branch labels (``bool``, ``list[...]``, ``FieldCheck``) from a location."""
    out: list[int | str] = []
    for part in loc:
        if isinstance(part, str) and ("[" in part or part in UNION_LABELS):
            continue
        out.append(part)
    return out


def _validation_error(exc: ValidationError, file: str) -> InputError:
    errors = exc.errors(include_url=False)
    # a union reports one error per alternative: the deepest is the one the author meant
    err = max(errors, key=lambda e: (len(_clean_loc(e["loc"])), e["type"] != "bool_type"))
    loc = _clean_loc(err["loc"])
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden" and loc:
        msg = f"unknown key {loc[-1]!r}"
    elif err["type"] == "missing" and loc:
        msg = f"required key {loc[-1]!r} is missing"
    more = len({tuple(_clean_loc(e["loc"])) for e in errors}) - 1
    if more > 0:
        msg += f" (and {more} more problem{'s' if more > 1 else ''})"
    return InputError(msg, file=file, locator=pointer(*loc) or "/")


def framework_from_data(data: object, file: str) -> Framework:
    """Validate parsed framework data; the error names the file and a JSON pointer."""
    if isinstance(data, Framework):
        return data
    if not isinstance(data, dict):
        raise InputError("a framework file must be a mapping", file=file)
    try:
        return Framework.model_validate(data)
    except ValidationError as exc:
        raise _validation_error(exc, file) from None


def load_framework_file(path: Path) -> Framework:
    """Read and check one framework file (YAML or JSON)."""
    return framework_from_data(read_structured(path), str(path))


def _plugin_framework(name: str, target: object) -> Framework:
    obj = target() if callable(target) and not isinstance(target, type) else target
    if isinstance(obj, (str, Path)):
        return load_framework_file(Path(obj))
    return framework_from_data(obj, f"plug-in {name!r}")


def available_frameworks() -> dict[str, FrameworkRef]:
    """Every framework that can be named by id: shipped files, then plug-ins (entry points).

    The built-ins register through entry points too and resolve to the shipped files; another
    plug-in with a shipped framework's id is left out (see :func:`framework_conflicts`) rather than
    silently replacing regulatory content.
    """
    from mdptm.plugins import registry

    refs: dict[str, FrameworkRef] = {}
    shipped = mappings_dir()
    for path in sorted(shipped.glob("*.yaml")):  # top level only: sub-folders hold other data
        refs[path.stem] = FrameworkRef(path.stem, "shipped", path)
    for name, target in sorted(registry("framework").frameworks.items()):
        if name not in refs:
            refs[name] = FrameworkRef(name, "plugin", target)
    return refs


def framework_conflicts() -> list[str]:
    """Warnings for plug-ins that claim the id of a shipped framework and are therefore ignored."""
    from mdptm.plugins import registry

    builtin = {cra_annex_i, cra_annex_ii, mc2, fda_premarket}
    shipped = {p.stem for p in mappings_dir().glob("*.yaml")}
    return [
        f"framework plug-in {name!r} is ignored: a shipped framework has that id"
        for name, target in sorted(registry("framework").frameworks.items())
        if name in shipped and target not in builtin
    ]


def _order(ids: Iterable[str]) -> list[str]:
    builtin = [i for i in BUILTIN_FRAMEWORKS if i in ids]
    return builtin + sorted(i for i in ids if i not in BUILTIN_FRAMEWORKS)


def _is_path(ref: str) -> bool:
    return ref.lower().endswith(FRAMEWORK_SUFFIXES) or "/" in ref or "\\" in ref


def load_framework(ref: str | Path, base_dir: Path | None = None) -> Framework:
    """A framework by id (shipped or plug-in) or by path to a user's file."""
    if isinstance(ref, Path) or _is_path(ref):
        path = Path(ref)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        return load_framework_file(path)
    refs = available_frameworks()
    found = refs.get(ref)
    if found is None:
        known = ", ".join(_order(refs)) or "none"
        raise InputError(f"unknown framework {ref!r} (known: {known}; or give the path of a framework file)")
    shipped = found.origin == "shipped"
    fw = load_framework_file(found.target) if shipped and isinstance(found.target, Path) else _plugin_framework(ref, found.target)
    if fw.id != ref:
        raise InputError(f"framework {ref!r} declares the id {fw.id!r}; they must agree", file=str(found.target))
    return fw


def resolve_frameworks(refs: Sequence[str | Path] | None, base_dir: Path | None = None, *, where: str | None = None) -> list[Framework]:
    """The frameworks to map onto: those named (ids or paths), or every available one. *where* is the file
    that names them (the project file): an unknown id is reported at its place there."""
    if not refs:
        refs = _order(available_frameworks())
    out: list[Framework] = []
    seen: dict[str, str] = {}
    for n, ref in enumerate(refs):
        try:
            fw = load_framework(ref, base_dir)
        except InputError as exc:
            if where is None or exc.file is not None:
                raise
            raise InputError(exc.message, file=where, locator=pointer("frameworks", n)) from None
        if fw.id in seen:
            if seen[fw.id] == str(ref):
                continue
            raise InputError(f"two frameworks share the id {fw.id!r}: {seen[fw.id]} and {ref}")
        seen[fw.id] = str(ref)
        out.append(fw)
    return out


# ============================================================================ evaluation
#
# Evidence rules (docs/mapping.md, "What counts as evidence"): placeholders and denied text never count;
# a keyword match alone gives at most "partial" (text match: confirm); controls the hospital owns never
# meet a device maker's duty; a threat called mitigated with no control is not treated.

TREATED = frozenset({"mitigated", "partially_mitigated"})
HELD_OPEN: dict[str, str] = {"open": "open", "partially_mitigated": "partly mitigated"}  # may hold a clause back


def unacceptable_level(model: Model, t: Threat, levels: Sequence[RiskLevel]) -> RiskLevel | None:
    """The residual risk level of *t* when it is not acceptable, else None. The residual level, or the risk before
    controls when no residual is rated; judged by the model's acceptance criteria when it states them
    (:func:`~mdptm.model.premarket.acceptability`), else unacceptable at one of *levels*. Unrated: None (no claim)."""
    rated = [r for r in (t.residual_risk, t.risk) if r is not None and r.level]
    if not rated:
        return None
    level = rated[0].level
    if not has_criteria(model):
        return level if level in levels else None
    judged = t if rated[0] is t.residual_risk else t.model_copy(update={"residual_risk": rated[0]})
    return level if acceptability(model, judged).verdict == NOT_ACCEPTABLE else None


TEXT_MATCH = "text match: confirm"


@dataclass
class Outcome:
    level: Level
    evidence: list[str] = field(default_factory=list)
    text: str = ""
    hospital: list[str] = field(default_factory=list)  # the hospital's own controls left out


@lru_cache(maxsize=1 << 16)
def _stated(text: str) -> bool:
    """:func:`stated` of a text, remembered: a register repeats its values (and the public model is
    mapped after the internal one, with the same texts), and the answer depends on the text alone."""
    return stated(text)


@lru_cache(maxsize=1 << 16)
def _real(text: str) -> bool:
    """Whether a list entry is not a placeholder (:func:`real_values` of one entry), remembered."""
    return bool(real_values((text,)))


def _present(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return _stated(value)
    if isinstance(value, (list, tuple)):
        return any(_real(v) for v in value) if all(isinstance(v, str) for v in value) else bool(value)
    if isinstance(value, dict):
        return bool(value)
    if isinstance(value, Risk):  # a severity alone ("High", no likelihood, no level) is one axis, not a rating
        return value.rated() and any(_present(v) for _, v in value)
    if isinstance(value, BaseModel):
        return any(_present(v) for _, v in value)
    return bool(value) if isinstance(value, bool) else True


def _norm(value: object) -> object:
    return value.strip().casefold() if isinstance(value, str) else value


def _text(item: Item, collection: str) -> str:
    parts: list[str] = []
    for name in TEXT_FIELDS[collection]:
        value = getattr(item, name, None)
        if isinstance(value, list):
            parts.extend(str(v) for v in value)
        elif value:
            parts.append(without_citations(str(value)))  # "… refer to these whitepapers: - Hardening …" cites
    parts.extend(item.tags)
    return "\n".join(parts)


# One test of a compiled filter: ("keywords", "", casefolded words), ("exclude", field, values),
# ("present", field, bool) or ("in", field, values). A compiled filter is hashable, so the items it
# selects are computed once per model however many clauses and frameworks use the same filter.
# (operation, field, argument): the argument is keywords, a frozenset of wanted values or a bool by operation
# (Any: the hot loop of select() reads it by operation, without isinstance checks per item).
Check = tuple[str, str, Any]


def compile_filter(flt: BaseModel | None) -> tuple[Check, ...]:
    """The conditions of a filter or selector, normalised once rather than once per item."""
    if flt is None:
        return ()
    out: list[Check] = []
    for name, cond in flt:
        if cond is None or name in ("min", "every"):
            continue
        if name == "keywords":
            out.append(("keywords", "", tuple(k.casefold() for k in cond)))
        elif name == "person":  # read from the element (its kind and name), not a stored field
            out.append(("person", "", bool(cond)))
        elif name == "exclude":
            out.extend(("exclude", fname, frozenset(_norm(v) for v in values)) for fname, values in cond if values is not None)
        elif isinstance(cond, bool):
            out.append(("present", name, cond))
        else:
            out.append(("in", name, frozenset(_norm(v) for v in cond)))
    return tuple(out)


def _has(value: object, wanted: frozenset[object]) -> bool:
    if isinstance(value, list):
        return any(_norm(v) in wanted for v in value if v is not None)
    return value is not None and _norm(value) in wanted


def effective_model(model: Model) -> tuple[Model, list[str]]:
    """*model* as the mapping reads it. A control that describes no safeguard (all it says is denied or a
    placeholder) is not implemented; one that protects only when the hospital turns it on ("TLS can be
    enabled by the hospital", "optional encryption") is the hospital's configuration, not the maker's
    safeguard (read as the hospital's control), and so is one called the maker's whose text says the hospital
    carries it out ("the hospital applies it"); one whose text says a third party carries it out ("The cloud provider
    encrypts data at rest") is that party's (``third_party``); a threat called (partially) mitigated that names no other control of
    the model is open; an assumption that states nothing ("TBD") is left out. Returns the model (a copy only when
    something changed) and the ids of those threats."""
    # a control whose text gives only a date still to come ("Secure boot — Q4 2026") is due then, not in place
    void = {
        c.id
        for c in model.controls
        if c.status != "not_implemented" and (void_reason(c.title, c.description) or due_after(c.title, c.description, model.document.date))
    }
    controls = {c.id for c in model.controls if c.id not in void}
    # a control that protects only when the hospital turns it on is the hospital's configuration choice, and so is one
    # called the maker's whose text says the hospital carries it out ("the hospital applies it", "Customers must change
    # the default password"): a shared one stays shared; one whose text says a third party carries it out ("The cloud
    # provider encrypts data at rest", "(provided by the cloud vendor)") is that party's measure, not the maker's
    read = {c.id: who for c in model.controls if c.id not in void and (who := read_responsibility(c)) is not None}
    optional = {cid for cid, (party, _) in read.items() if party == "customer"}
    others = {cid for cid, (party, _) in read.items() if party == "third_party"}
    # a control whose verification failed does not work yet ("TC-202: Fail — fix planned"): not in place
    failed = {c.id for c in model.controls if c.id not in void and c.status == "implemented" and c.verification_failed}
    # a requirement ("The device shall encrypt …") no source states as implemented, and no passed test verifies, says
    # what the device is to do: it is planned, not a control in place. A stated status stands.
    required = {c.id for c in model.controls if c.id not in void | failed | optional | others and read_as_requirement(c)}
    controls -= failed | required
    untreated = [t.id for t in model.threats if t.status in TREATED and not [c for c in t.controls if c in controls]]
    empty_views = [v.id for v in model.views if _empty_view(v)]
    # a flow's encryption that the hospital turns on ("optional TLS", "TLS can be enabled by the hospital"), that another
    # party provides ("the hospital VPN encrypts it", "AWS handles TLS termination") or that is only asked for ("TLS 1.2
    # should be used", "Implement TLS") is no encryption the maker's product applies: read as not stated
    others_flows = {fl.id for fl in model.flows if fl.encryption and not_the_products(fl.encryption)}
    # a flow's encryption that opens by saying there is none ("Unencrypted (plain HTTP)", "Not encrypted - MLLP") is
    # read as the "none" it says: the plain protocol in its parenthesis or after its dash is no encryption
    plain = {
        fl.id
        for fl in model.flows
        if fl.encryption and fl.id not in others_flows and says_none(fl.encryption) and _norm(fl.encryption) != "none"
    }
    # an assumption that says nothing ("TBD", "N/A") is none; one written as a denial stays ("The pump is not
    # reachable from the internet" is an operating assumption)
    silent = {a.id for a in model.assumptions if not _real(a.text)}
    if not (untreated or void or empty_views or optional or others or others_flows or plain or silent or failed or required):
        return model, []
    ids = set(untreated)
    threats = [t.model_copy(update={"status": "open"}) if t.id in ids else t for t in model.threats]
    kept = [
        c.model_copy(update={"status": "not_implemented"})
        if c.id in void or c.id in failed
        else c.model_copy(update={"status": "planned"})
        if c.id in required
        else c.model_copy(update={"responsibility": "customer"})
        if c.id in optional
        else c.model_copy(update={"responsibility": "third_party"})
        if c.id in others
        else c
        for c in model.controls
    ]
    views = [v for v in model.views if v.id not in empty_views]
    assumptions = [a for a in model.assumptions if a.id not in silent]
    flows = [
        fl.model_copy(update={"encryption": None})
        if fl.id in others_flows
        else fl.model_copy(update={"encryption": "none"})
        if fl.id in plain
        else fl
        for fl in model.flows
    ]
    update = {"threats": threats, "controls": kept, "views": views, "assumptions": assumptions, "flows": flows}
    return model.model_copy(update=update), untreated


def not_the_products(encryption: str) -> bool:
    """Whether a flow's encryption is not one the product applies: the hospital turns it on ("optional TLS", "when
    enabled by the hospital"), another party provides it ("the hospital VPN encrypts it"), or it is only asked for
    ("TLS 1.2 should be used", "Implement TLS")."""
    return bool(customer_enabled(encryption, "") or others_only(encryption) or requirement_only(encryption, ""))


def _empty_view(v: View) -> bool:
    """A view with a name and nothing else, or only placeholders ("To be written", steps "TBD"): no picture,
    no element, flow, threat or control, no step or description that states something. It shows nothing."""
    if v.diagram is not None or v.elements or v.flows or v.threats or v.controls:
        return False
    texts = [v.description, v.detect, v.respond, v.recover]
    return not any(t and _stated(t) for t in texts) and not real_values(v.steps)


class ModelIndex:
    """What rule evaluation reads from one model, computed once: item texts for keyword filters
    and the items each distinct filter selects. Lookups never rescan a collection."""

    def __init__(self, model: Model):
        self.original = model
        self.model, self.untreated = effective_model(model)
        # the controls listed as implemented that the mapping does not count, and why (verification failed, a requirement)
        self.left_out = {c.id: why for c in model.controls if (why := not_in_place(c)) is not None}
        # the controls in place only in part: the clause of their text that denies a measure ("TLS on the HL7 link; not
        # yet on DICOM" → "not yet on DICOM")
        self.in_part = {
            c.id: part
            for c in self.model.controls
            if c.status == "implemented" and (part := denied_part(c.title, c.description)) is not None
        }
        self._texts: dict[str, list[str]] = {}
        self._selected: dict[tuple[str, tuple[Check, ...]], list[Item]] = {}
        self._references: list[tuple[str, str]] | None = None

    def texts(self, collection: str) -> list[str]:
        found = self._texts.get(collection)
        if found is None:
            found = self._texts[collection] = [_text(it, collection) for it in getattr(self.model, collection)]
        return found

    def select(self, collection: str, checks: tuple[Check, ...]) -> list[Item]:
        """Items of *collection* passing every check, in model order."""
        key = (collection, checks)
        found = self._selected.get(key)
        if found is not None:
            return found
        items: list[Item] = getattr(self.model, collection)
        keep = list(range(len(items)))
        for kind, name, arg in checks:  # narrow the candidates check by check
            if kind == "keywords":
                texts = self.texts(collection)
                keep = [i for i in keep if any(k in texts[i].casefold() for k in arg) and affirmed(texts[i], arg)]
            elif kind == "present" and name == "verification":  # "Not tested", "Planned pen test" verify nothing
                keep = [i for i in keep if bool(verified(getattr(items[i], name))) == arg]
            elif kind == "present":
                keep = [i for i in keep if _present(getattr(items[i], name)) == arg]
            elif kind == "in":
                keep = [i for i in keep if _has(getattr(items[i], name), arg)]
            elif kind == "person":
                from mdptm.model.topology import is_person

                if collection == "flows":  # a flow with a person at one end: a user interface, not a network connection
                    ends = {e.id: e for e in self.model.elements}
                    flows: list[Flow] = items  # type: ignore[assignment]
                    keep = [i for i in keep if any(is_person(ends.get(x)) for x in (flows[i].source, flows[i].target)) == arg]
                else:
                    keep = [i for i in keep if is_person(items[i]) == arg]  # type: ignore[arg-type]
            else:  # exclude
                keep = [i for i in keep if not _has(getattr(items[i], name), arg)]
        found = self._selected[key] = [items[i] for i in keep]
        return found

    def references(self) -> list[tuple[str, str]]:
        """(where, text) of every reference to evidence outside the model: controls' verification entries
        and the support fields, placeholders left out."""
        if self._references is None:
            refs: list[tuple[str, str]] = []
            for c in self.model.controls:
                refs.extend((c.id, v) for v in verified(c.verification))
            for name, value in self.model.support:
                if isinstance(value, str) and stated(value):
                    refs.append((f"support.{name}", value))
            self._references = refs
        return self._references


def _join(values: Sequence[str], word: str = "or") -> str:
    vals = [str(v) for v in values]
    if len(vals) <= 1:
        return "".join(vals)
    return ", ".join(vals[:-1]) + f" {word} " + vals[-1]


_SINGULAR = {"out_of_scope": "out-of-scope entry", "trust_zones": "trust zone"}
_PLURAL = {"out_of_scope": "out-of-scope entries", "trust_zones": "trust zones"}


def _noun(collection: str, count: int) -> str:
    if count == 1:
        return _SINGULAR.get(collection, collection.removesuffix("s"))
    return _PLURAL.get(collection, collection)


def _human(value: object) -> str:
    return str(value).replace("_", " ")


_FIELD_WORDS = {
    "stride": "STRIDE category",
    "risk": "a risk rating",
    "residual_risk": "a residual risk rating",
    "controls_grouped": "controls linked only as a group",
}  # "3 threats with STRIDE category tampering", not "with stride tampering"
# a list field that must be empty, in words per form (plural, singular, denied)
_NONE_WORDS = {
    "controls_grouped": {
        "plural": "name no control linked only as a group",
        "singular": "names no control linked only as a group",
        "denied": "names a control linked only as a group",
    }
}


def _describe(collection: str, flt: BaseModel, count: int = 0, status: bool = True) -> str:
    """Plain words for a filter: 'implemented event logging controls'. Keywords are not listed: the rule
    file has them, and the rationale names the items that matched. Without *status* the status words are
    left out ('event logging controls'), for items whose status only mdptm read."""
    noun = _noun(collection, count)
    front: dict[str, str] = {}
    tail: list[str] = []
    for name, cond in flt:
        if cond is None or name in ("min", "every", "keywords", "exclude") or (name == "status" and not status):
            continue
        if name in ("status", "category", "kind") and isinstance(cond, list):
            front[name] = _join([_human(c) for c in cond])
        elif name == "person" and isinstance(cond, bool) and collection == "flows":
            tail.append("with a person at one end" if cond else "between systems (no person at either end)")
        elif name == "person" and isinstance(cond, bool):
            one = count == 1
            tail.append(
                ("that is a person" if one else "that are persons") if cond else ("that is not a person" if one else "that are not persons")
            )
        elif name == "responsibility" and isinstance(cond, list):
            tail.append("owned by " + _join([{"customer": "the hospital", "manufacturer": "the maker"}.get(c, _human(c)) for c in cond]))
        elif isinstance(cond, bool):
            tail.append(f"{'with' if cond else 'without'} {_human(name)}")
        else:
            tail.append(f"with {_FIELD_WORDS.get(name, _human(name))} {_join([_human(c) for c in cond])}")
    excluded = [v for f, vals in (getattr(flt, "exclude", None) or ()) if f == "status" and vals for v in vals]
    words = " ".join([*(front[k] for k in ("status", "category", "kind") if k in front), noun])
    words += " " + ", ".join(tail) if tail else ""
    if excluded and collection == "controls" and not count:  # "no controls owned by the hospital …" must not hide a void one
        words += f" (not counting {_join([_human(v) for v in excluded])} ones or those that describe no measure)"
    return words


def _ids(ids: Sequence[str]) -> str:
    """A few ids and the count of the rest: 'C-01, C-02, C-03 and 4 more'."""
    shown = ", ".join(ids[:MAX_NAMED])
    return shown + (f" and {len(ids) - MAX_NAMED} more" if len(ids) > MAX_NAMED else "")


Form = Literal["plural", "singular", "denied"]


def _conditions(flt: BaseModel, form: Form = "plural") -> str:
    """Plain words for an 'every' filter, as a verb phrase that agrees with its subject: 'state encryption'
    (plural), 'states encryption' (one item), 'does not state encryption' (the one item fails it); an excluded
    status reads 'have a status other than open'."""
    parts: list[str] = []
    stated_fields = {name for name, cond in flt if isinstance(cond, bool)}

    def verb(plural: str, singular: str, rest: str) -> str:
        if form == "denied":
            return f"does not {plural} {rest}"
        return f"{plural if form == 'plural' else singular} {rest}"

    for name, cond in flt:
        if cond is None or name == "keywords":
            continue
        if name == "exclude":
            # values excluded from a field that must be stated ("none", "plaintext") are detail of the rule file
            parts.extend(
                verb("have", "has", f"a {_human(f)} other than {_join([_human(v) for v in vals])}")
                for f, vals in cond
                if vals and f not in stated_fields
            )
            continue
        if name == "person" and isinstance(cond, bool):
            one = {"plural": "are persons", "singular": "is a person", "denied": "is not a person"}
            other = {"plural": "are not persons", "singular": "is not a person", "denied": "is a person"}
            parts.append((one if cond else other)[form])
        elif isinstance(cond, bool):
            said = _FIELD_WORDS.get(name, _human(name))  # "state a risk rating"
            if not cond and name in _NONE_WORDS:  # "name no controls linked only as a group", not "leave out …"
                parts.append(_NONE_WORDS[name][form])
                continue
            parts.append(verb("state", "states", said) if cond else verb("leave out", "leaves out", said))
        else:
            parts.append(verb("have", "has", f"{_FIELD_WORDS.get(name, _human(name))} {_join([_human(c) for c in cond])}"))
    if not parts:
        return {"plural": "meet the rule", "singular": "meets the rule", "denied": "does not meet the rule"}[form]
    return _join(parts, "or") if form == "denied" and len(parts) > 1 else ", ".join(parts)


def _on_status(flt: BaseModel | None) -> bool:
    """Whether an 'every' filter looks at the status (wants some, or excludes some: "not open")."""
    if flt is None:
        return False
    if getattr(flt, "status", None):
        return True
    return any(f == "status" and vals for f, vals in (getattr(flt, "exclude", None) or ()))


def _wants_implemented(sel: Selector) -> bool:
    """Whether the rule asks for implemented controls (then a status no source states only half answers)."""
    for flt in (sel, sel.every):
        wanted = getattr(flt, "status", None) if flt is not None else None
        if wanted and "implemented" in wanted:
            return True
    return False


def _uses_keywords(sel: Selector) -> bool:
    return bool(getattr(sel, "keywords", None)) or bool(sel.every is not None and getattr(sel.every, "keywords", None))


class Evaluator:
    """Evaluates one framework's rules over one model; clause verdicts are memoised because
    ``clauses`` rules refer to other clauses (cycles are refused when the file is loaded)."""

    def __init__(
        self,
        model: Model,
        framework: Framework,
        overrides: Sequence[Override] = (),
        index: ModelIndex | None = None,
        assertions: Sequence[Assertion] = (),
    ):
        self.index = index or ModelIndex(model)
        self.model = self.index.model
        self._third_party = {c.id for c in self.model.controls if c.responsibility == "third_party"}
        self.framework = framework
        self.overrides = {o.clause: o for o in overrides if o.framework == framework.id}
        self.assertions = {a.clause: a for a in assertions if a.framework == framework.id}
        self._results: dict[str, ClauseResult] = {}
        self._prefix = ""

    # -- clause level

    def run(self) -> FrameworkResult:
        notes = [self.framework.note] if self.framework.note else []
        prefixes = []
        for scope in self.framework.scope_notes:
            if self.rule(scope.when).level == "met":
                notes.append(scope.note)
                if scope.rationale:
                    prefixes.append(scope.rationale)
        self._prefix = " ".join(prefixes)
        clauses = [self.clause(c) for c in self.framework.clauses]
        return FrameworkResult(
            id=self.framework.id,
            title=self.framework.title,
            version=self.framework.version,
            note=" ".join(notes),
            clauses=clauses,
            summary=summarise(clauses),
        )

    def clause(self, clause: Clause) -> ClauseResult:
        done = self._results.get(clause.id)
        if done is not None:
            return done
        status: ClauseStatus
        evidence: list[str] = []
        hospital: list[str] = []
        not_applicable = self.rule(clause.not_applicable_when) if clause.not_applicable_when else None
        if not_applicable is not None and not_applicable.level == "met":
            status = "not_applicable"
            text = "Not applicable: " + not_applicable.text + "."
        elif clause.evidence is None:
            status = "gap"
            text = "The threat model holds no information for this clause."
            if not clause.hint:
                text += " Record the answer as an override in the project file."
        else:
            out = self.rule(clause.evidence)
            if clause.external_evidence is not None and out.level == "met":
                out = self._external(clause, out)
            status, evidence, hospital = _STATUS[out.level], out.evidence, out.hospital
            text = _sentence(out.text)
        others = [i for i in hospital if i in self._third_party]
        if others:
            hospital = [i for i in hospital if i not in self._third_party]
        if hospital:
            text += f" Relies on the hospital for {_ids(hospital)}: the hospital's own controls do not count for the maker."
        if others:
            text += f" Relies on a third party for {_ids(others)}: another party's measures do not count for the maker."
        if status in ("gap", "partial") and clause.hint:
            text += " " + clause.hint.strip()
        if self._prefix:
            text = self._prefix.strip() + " " + text
        result = ClauseResult(
            id=clause.id,
            title=clause.title,
            status=status,
            evidence=evidence,
            rationale=text,
            summary=clause.summary.strip(),
            source=_citation(clause),
            confidence=clause.confidence,
            group=clause.group or "",
            relies_on_hospital=hospital,
        )
        assertion = self.assertions.get(clause.id)
        if assertion is not None:
            result = _confirmed(result, assertion)
        override = self.overrides.get(clause.id)
        if override is not None:
            result = _overridden(result, override)
        self._results[clause.id] = result
        return result

    def _external(self, clause: Clause, out: Outcome) -> Outcome:
        """A clause the model cannot prove alone is met only when the model refers to the outside evidence."""
        ext = clause.external_evidence
        assert ext is not None
        found = [where for where, text in self.index.references() if affirmed(text, ext.references)]
        if found:
            where = list(dict.fromkeys(found))
            return Outcome("met", _merge([out.evidence, where]), f"{out.text}; {ext.what}: referenced by {_ids(where)}", out.hospital)
        return Outcome(
            "partial", out.evidence, f"{out.text}; but a threat model alone cannot show this, and it refers to no {ext.what}", out.hospital
        )

    # -- rule level

    def rule(self, rule: Rule) -> Outcome:
        sel = rule.selector
        if sel is not None:
            out = self._items(rule.kind, sel)
        elif rule.fields is not None:
            out = self._fields(rule.fields)
        elif rule.clauses is not None:
            out = self._clauses(rule.clauses)
        elif rule.all_ is not None:
            out = self._all(rule.all_)
        elif rule.any_ is not None:
            out = self._any(rule.any_)
        else:
            out = self._none(rule.none_ or [])
        if rule.unacceptable_residual and out.level == "met":
            out = self._residual_cap(out, rule.unacceptable_residual)
        if rule.counts_as == "partial" and out.level == "met":
            out = Outcome("partial", out.evidence, out.text + " (which only partly answers the clause)", out.hospital)
        if rule.label:
            label = rule.label[0].lower() + rule.label[1:] if rule.label[1:2].islower() else rule.label
            out = Outcome(out.level, out.evidence, f"{label}: {out.text}", out.hospital)
        return out

    def _residual_cap(self, out: Outcome, levels: Sequence[RiskLevel]) -> Outcome:
        """A clause answered by the threats it counts is not met while one of them is still open or only partly
        mitigated with a residual risk above what is acceptable: that threat holds the clause at partial."""
        threats = {t.id: t for t in self.model.threats}
        held: list[str] = []
        for i in out.evidence:
            t = threats.get(i)
            if t is None or t.status not in HELD_OPEN:
                continue
            level = unacceptable_level(self.model, t, levels)
            if level is not None:
                risk = "residual risk" if t.residual_risk is not None and t.residual_risk.level else "risk (no residual rated)"
                held.append(f"{t.id} is {HELD_OPEN[t.status]} with {risk} {level}")
        if not held:
            return out
        rm = self.model.risk_management
        above = (
            f"the acceptable levels are {_join(rm.acceptable_levels, 'and')}"
            if rm.acceptable_levels
            else "outside the acceptance criteria"
            if has_criteria(self.model)
            else f"the model states no acceptable levels; {_join(list(levels), 'and')} are taken as above them"
        )
        shown = "; ".join(held[:MAX_NAMED]) + (f"; and {len(held) - MAX_NAMED} more" if len(held) > MAX_NAMED else "")
        return Outcome("partial", out.evidence, f"{out.text}; but {shown} ({above})", out.hospital)

    def _items(self, collection: str, sel: Selector) -> Outcome:
        checks = compile_filter(sel)
        matched = self.index.select(collection, checks)
        hospital: list[str] = []
        if collection == "controls" and getattr(sel, "responsibility", None) is None:
            # a duty of the device maker: the hospital's own controls, or a third party's, never meet it
            owned = [it.id for it in matched if getattr(it, "responsibility", None) in ("customer", "third_party")]
            if owned:
                mine = set(owned)
                matched = [it for it in matched if it.id not in mine]
                if sel.every is None:  # a population rule ("every control verified") just leaves them out
                    hospital = owned
        textual = _uses_keywords(sel)
        claims = self._claimed_treated(collection, sel)
        skipped = self._left_out(collection, sel, checks)
        unstated = {it.id for it in matched if getattr(it, "status_stated", True) is False} if _wants_implemented(sel) else set()

        # "2 implemented backup controls; no source states that they are implemented" contradicts itself: when some
        # matched item's status is only read, the count does not call them implemented
        read_only = bool(unstated & {it.id for it in matched})

        def what(n: int) -> str:
            return _describe(collection, sel, n, status=not read_only)

        def capped(level: Level, ids: list[str], text: str) -> Outcome:
            text += skipped
            met = level == "met"  # before a control in place only in part lowers it: the notes below still apply
            partly = [i for i in ids if i in self.index.in_part] if collection == "controls" else []
            if partly:  # "TLS on the HL7 link; not yet on DICOM": evidence of the part in place, not of the whole
                said = "; ".join(f'{i} is in place only in part (its text says "{self.index.in_part[i]}")' for i in partly[:MAX_NAMED])
                more = f" and {len(partly) - MAX_NAMED} more" if len(partly) > MAX_NAMED else ""
                text = f"{text}; {said}{more}"
                if level == "met":
                    level = "partial"
            read_as = [i for i in (it.id for it in matched) if i in unstated]
            if read_as and (not met or textual):  # the maker's word on the status is missing: say so
                verb = "is" if len(read_as) == 1 else "are"
                text = f"{text}; no source states that {_ids(read_as)} {verb} implemented ({self._listed_as(read_as)})"
            if textual and met:
                return Outcome("partial", ids, f"{text} ({TEXT_MATCH})", hospital)
            assumed = [i for i in ids if i in unstated]
            if assumed and met:  # listed as mitigations, but no source says they are in place
                verb = "is" if len(assumed) == 1 else "are"
                said = f"{text}; but no source states that {_ids(assumed)} {verb} implemented ({self._listed_as(assumed)}): confirm"
                return Outcome("partial", ids, said, hospital)
            if claims and met:  # the threats called treated without a control are part of the answer
                return Outcome("partial", ids, f"{text}; but {_ids(claims)} called mitigated name no control", hospital)
            return Outcome(level, ids, text, hospital)

        if sel.every is None:
            ids = [it.id for it in matched]
            if not ids:  # the hospital's own controls, if any, are named once for the clause
                return Outcome("unmet", [], f"no {what(0)}{skipped}", hospital)
            level: Level = "met" if len(ids) >= sel.min else "partial"
            need = f", {sel.min} needed" if level == "partial" else ""
            return capped(level, ids, f"{len(ids)} {what(len(ids))} ({_ids(ids)}{need})")
        good_all = self.index.select(collection, checks + compile_filter(sel.every))
        matched_ids = {it.id for it in matched}
        good = [it.id for it in good_all if it.id in matched_ids]
        good_set = set(good)
        bad = [it.id for it in matched if it.id not in good_set]
        cond = _conditions(sel.every)  # with a plural subject: "none of the 10 threats state risk"
        if not matched:
            return Outcome("unmet", [], f"no {what(0)}{skipped}", hospital)
        total = len(matched)
        note = self._untreated_note(collection, bad)
        if collection == "threats" and _on_status(sel.every):
            silent = [it.id for it in matched if it.id not in good_set and getattr(it, "status_stated", True) is False]
            if silent:  # "none of the 16 threats have a status other than open": the source states none, not "open"
                note += f" (the source states no status for {_ids(silent)})"
        if not good:
            read_as = [i for i in bad if i in unstated]
            if read_as:  # "none of the 10 implemented controls …": say whose status is only read
                verb = "is" if len(read_as) == 1 else "are"
                note += f"; no source states that {_ids(read_as)} {verb} implemented ({self._listed_as(read_as)})"
            if total == 1:  # "none of the 1 threat state risk": the one item fails the condition
                said = f"the 1 {what(1)} {_conditions(sel.every, 'denied')} ({_ids(bad)}){note}"
                return Outcome("unmet", [], said, hospital)
            return Outcome("unmet", [], f"none of the {total} {what(total)} {cond} ({_ids(bad)}){note}", hospital)
        if bad:
            agreed = _conditions(sel.every, "singular" if len(good) == 1 else "plural")  # "1 of 4 threats has …"
            return capped("partial", good, f"{len(good)} of {total} {what(total)} {agreed}; not {_ids(bad)}{note}")
        level = "met" if len(good) >= sel.min else "partial"
        need = f", {sel.min} needed" if level == "partial" else ""
        every = "all" if len(good) > 1 else "the"
        agreed = _conditions(sel.every, "singular" if len(good) == 1 else "plural")  # "the 1 threat states risk"
        return capped(level, good, f"{every} {len(good)} {what(len(good))} {agreed} ({_ids(good)}{need})")

    def _listed_as(self, ids: Sequence[str]) -> str:
        """How controls read as implemented are listed: as mitigations, or (every one of them) as requirements a
        cited test verifies ("SR-03 | Pairing shall require a passkey | TC-101 | Pass")."""
        controls = {c.id: c for c in self.model.controls}
        written = [controls[i] for i in ids if i in controls]
        if written and len(written) == len(ids) and all(requirement_only(c.title, c.description) for c in written):
            kinds = {written_as(c) for c in written}  # "should" recommends, "shall" requires
            noun = kinds.pop() if len(kinds) == 1 else "requirement"
            return (
                f"written as {noun}s, verified by the tests they cite"
                if len(ids) > 1
                else f"written as {with_article(noun)}, verified by the test it cites"
            )
        return "listed as mitigations"

    def _left_out(self, collection: str, sel: Selector, checks: tuple[Check, ...]) -> str:
        """ "; not counted: SR-09 (its verification did not pass (…))": the controls a rule asking for implemented
        controls would have counted as the source lists them, and why it does not."""
        if collection != "controls" or not self.index.left_out or not _wants_implemented(sel):
            return ""
        loose = tuple(c for c in checks if c[1] != "status")
        ids = [it.id for it in self.index.select(collection, loose) if it.id in self.index.left_out]
        if not ids:
            return ""
        return (
            "; not counted: "
            + "; ".join(f"{i} ({self.index.left_out[i]})" for i in ids[:MAX_NAMED])
            + (f" and {len(ids) - MAX_NAMED} more" if len(ids) > MAX_NAMED else "")
        )

    def _claimed_treated(self, collection: str, sel: object) -> list[str]:
        """Threats a rule on treated threats would have counted, had they named a control."""
        wanted = getattr(sel, "status", None) if collection == "threats" else None
        if not wanted or not self.index.untreated or not TREATED & set(wanted):
            return []
        return list(self.index.untreated)

    def _untreated_note(self, collection: str, bad: list[str]) -> str:
        if collection == "flows":  # "TLS 1.2 (when enabled by the hospital)": stated, but not the product's
            said = {fl.id: fl.encryption for fl in self.index.original.flows}
            theirs = [i for i in bad if (enc := said.get(i)) and not_the_products(enc)]
            if theirs:
                why = "the hospital turns on, another party provides or the text only asks for: not the product's"
                return f" ({_ids(theirs)} state encryption that {why})"
            return ""
        if collection != "threats" or not self.index.untreated:
            return ""
        untreated = set(self.index.untreated)
        claimed = [t for t in bad if t in untreated]
        if not claimed:
            return ""
        return f" ({_ids(claimed)} called mitigated but naming no control)"

    def _fields(self, checks: list[FieldCheck | str]) -> Outcome:
        stated_paths: list[str] = []
        phrases: list[str] = []
        levels: list[Level] = []
        for entry in checks:
            check = FieldCheck(path=entry) if isinstance(entry, str) else entry
            value = self._field_value(check.path)
            one, phrase = _field_check(check, value, self.model)
            phrases.append(phrase)
            levels.append(one)
            if one != "unmet":
                stated_paths.append(check.path)
        level: Level
        if all(lv == "met" for lv in levels):
            level = "met"
        elif all(lv == "unmet" for lv in levels):
            level = "unmet"
        else:
            level = "partial"
        return Outcome(level, stated_paths, _join(phrases, "and") if len(phrases) < 3 else "; ".join(phrases))

    def _field_value(self, path: str) -> object:
        value: object = self.model
        for part in path.split("."):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value

    def _clauses(self, ids: list[str]) -> Outcome:
        wanted = set(ids)
        results = [self.clause(c) for c in self.framework.clauses if c.id in wanted]
        done = [r for r in results if r.status in ("covered", "not_applicable")]
        some = [r for r in results if r.status == "partial"]
        evidence = _merge(r.evidence for r in results)
        level: Level = "met" if len(done) == len(results) else ("partial" if done or some else "unmet")
        groups: dict[str, list[str]] = {}
        for r in results:
            groups.setdefault(_STATUS_WORDS[r.status], []).append(r.id)
        parts = [f"{_join(members, 'and')} {word}" for word, members in groups.items()]
        return Outcome(level, evidence, "clause" + ("s " if len(results) > 1 else " ") + "; ".join(parts))

    def _all(self, rules: list[Rule]) -> Outcome:
        outs = [self.rule(r) for r in rules]
        levels = {o.level for o in outs}
        level: Level = "met" if levels == {"met"} else ("unmet" if levels == {"unmet"} else "partial")
        return Outcome(level, _merge(o.evidence for o in outs), _texts(outs), _merge(o.hospital for o in outs))

    def _any(self, rules: list[Rule]) -> Outcome:
        outs = [self.rule(r) for r in rules]
        best = max(outs, key=lambda o: _RANK[o.level])
        if best.level == "unmet":
            return Outcome("unmet", [], _texts(outs[:1]) if len(outs) > 1 else _texts(outs), _merge(o.hospital for o in outs))
        tied = [o for o in outs if o.level == best.level]  # every alternative at the best level is evidence
        evidence = _merge(o.evidence for o in tied)
        first = set(tied[0].evidence)  # once: a clause's evidence may list every threat
        extra = [e for e in evidence if e not in first]
        text = tied[0].text + (f"; also {_ids(extra)}" if extra else "")
        return Outcome(best.level, evidence, text, _merge(o.hospital for o in tied))

    def _none(self, rules: list[Rule]) -> Outcome:
        outs = [self.rule(r) for r in rules]
        if all(o.level == "unmet" for o in outs):
            return Outcome("met", [], _texts(outs))
        return Outcome("unmet", [], _texts(o for o in outs if o.level != "unmet"))


_STATUS_WORDS: dict[str, str] = {"covered": "covered", "partial": "partly covered", "gap": "a gap", "not_applicable": "not applicable"}


def _quote(value: str, width: int = 40) -> str:
    one = " ".join(value.split())
    return repr(one if len(one) <= width else one[: width - 1] + "…")


def _field_check(check: FieldCheck, value: object, model: Model) -> tuple[Level, str]:
    """Whether one product/support/document field answers, and a phrase saying why (:func:`_field_level`). A support
    fact written as a requirement or an instruction ("The pump shall be supported for 10 years", "Ensure patches are
    released within 30 days", "Implement a CVD process") says what is to be done, not what the maker commits to: at
    most partial. The disposal instructions are the user's to follow."""
    level, phrase = _field_level(check, value, model)
    if level != "met" or not isinstance(value, str) or not check.path.startswith("support.") or check.path == "support.data_disposal":
        return level, phrase
    word = requirement_only(value, "")
    if word is None:
        return level, phrase
    return "partial", f'{phrase}; but it is written as {with_article(requirement_kind(word))} ("{word}"): confirm'


def _field_level(check: FieldCheck, value: object, model: Model) -> tuple[Level, str]:
    """Whether one product/support/document field answers, and a phrase saying why (with the numbers)."""
    path = check.path
    if value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, (list, dict)) and not value):
        return "unmet", f"{path} is not stated"
    if check.in_ is not None and _norm(str(value)) in {_norm(v) for v in check.in_}:
        return "met", f"{path} is {str(value)!r}"  # an enumerated value ("unknown") is itself the answer
    if not _present(value):
        shown = value if isinstance(value, str) else ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        return "unmet", f"{path} reads {_quote(str(shown))}, which states nothing"
    shown = str(value)
    who = others_only(shown) if path.startswith("support.") else None
    if who is not None:  # "The hospital is responsible for patching": the maker states no practice of its own
        return "unmet", f"{path} reads {_quote(shown)}, which gives it to {who}, not the maker"
    if path.startswith("support.") and (held := support_withheld(path, shown)) is not None:  # "Under NDA only", "Best effort"
        return "unmet", f'{path} reads {_quote(shown)}, which gives no practice anyone can rely on ("{held}")'
    if check.in_ is not None:
        if _norm(shown) not in {_norm(v) for v in check.in_}:
            return "unmet", f"{path} is {shown!r}, not {_join(check.in_)}"
        return "met", f"{path} is {shown!r}"
    if check.within_days is not None or check.at_least_days is not None:
        return _commitment(check, shown)
    if check.date:
        return _dated(check, shown, model)
    if check.keywords:
        found = affirmed(shown, check.keywords)
        if not found:
            return "unmet", f"{path} is stated but does not mention {check.keywords[0]!r}"
        return "partial", f"{path} mentions {_join([repr(k) for k in found[:2]], 'and')} ({TEXT_MATCH})"
    if (check.sbom or check.sbom_support) and (why := sbom_shortfall(shown, support=bool(check.sbom_support))) is not None:
        return "partial", f"{path} reads {_quote(shown)}, but {why}: confirm"
    if check.sbom_access and (access := sbom_access(shown)) is not None:
        return access[0], f"{path} reads {_quote(shown)}, but {access[1]}"  # type: ignore[return-value]
    if check.advisories and (said := advisories(shown))[0] != "met":
        return said[0], f"{path} reads {_quote(shown)}, which {said[1]}"  # type: ignore[return-value]
    if check.without_delay and not prompt_remediation(shown):
        return "partial", f"{path} reads {_quote(shown)}, which states a practice but not remediation without delay: confirm"
    return "met", f"{path} is stated"


def _days(n: int) -> str:
    if n >= 60 and n % 365 == 0:
        return f"{n // 365} years"
    if n >= 60 and n % 30 == 0:
        return f"{n // 30} months"
    return f"{n} day{'s' if n != 1 else ''}"


def _commitment(check: FieldCheck, text: str) -> tuple[Level, str]:
    """Compare the time spans a field commits to with what the clause asks."""
    spans = durations(text, deadlines=check.within_days is not None)
    path = check.path
    if not spans:
        asked = f"at most {_days(check.within_days)}" if check.within_days is not None else f"at least {_days(check.at_least_days or 0)}"
        return "partial", f"{path} is stated but commits to no time span (the clause asks for {asked})"
    said = _join(list(dict.fromkeys(w for _, w in spans)), "and")
    if check.within_days is not None and check.at_least_days is not None and max(d for d, _ in spans) < check.at_least_days:
        return "unmet", f"{path} commits to {said}, shorter than the {_days(check.at_least_days)} the clause asks"
    if check.within_days is not None:
        longest = max(d for d, _ in spans)
        if longest > check.within_days:
            return "unmet", f"{path} commits to {said}, longer than the {_days(check.within_days)} the clause asks"
        return "met", f"{path} commits to {said}, within the {_days(check.within_days)} the clause asks"
    floor = check.at_least_days or 0
    longest = max(d for d, _ in spans)
    if longest < floor:
        return "unmet", f"{path} commits to {said}, shorter than the {_days(floor)} the clause asks"
    return "met", f"{path} commits to {said}, at least the {_days(floor)} the clause asks"


def _dated(check: FieldCheck, text: str, model: Model) -> tuple[Level, str]:
    when = first_date(text)
    path = check.path
    if when is None:
        return "partial", f"{path} is stated but gives no date ({_quote(text)})"
    ref = first_date(model.document.date or "") if model.document.date else None
    if ref is not None and when < ref:
        return "unmet", f"{path} ended on {when.isoformat()}, before this version of the threat model ({ref.isoformat()})"
    return "met", f"{path} gives the date {when.isoformat()}"


def _texts(outs: Iterable[Outcome]) -> str:
    """Sub-rule texts joined, each said once."""
    return "; ".join(dict.fromkeys(o.text for o in outs if o.text))


def _merge(groups: Iterable[list[str]]) -> list[str]:
    seen: dict[str, None] = {}
    for group in groups:
        for i in group:
            seen.setdefault(i, None)
    return list(seen)


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    first = text.split(" ", 1)[0]
    if "." not in first and "_" not in first:  # never capitalise a field path or an enum value
        text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _citation(clause: Clause) -> str:
    src = clause.source
    parts = [src.document]
    parts += [p for p in (src.section, f"p. {src.page}" if src.page else None, src.url) if p]
    return ", ".join(parts)


def summarise(clauses: Sequence[ClauseResult]) -> dict[str, int]:
    """Count of clauses per status, every status present (zero included), in a fixed order."""
    counts: dict[str, int] = dict.fromkeys(CLAUSE_STATUSES, 0)
    for c in clauses:
        counts[c.status] += 1
    return counts


def evaluate_framework(
    model: Model, framework: Framework, overrides: Sequence[Override] = (), assertions: Sequence[Assertion] = ()
) -> FrameworkResult:
    """Every clause of *framework* evaluated over *model*, with the overrides and assertions that name it."""
    return Evaluator(model, framework, overrides, assertions=assertions).run()


def _confirmed(result: ClauseResult, a: Assertion) -> ClauseResult:
    """The maker's recorded confirmation: covered, with who, when and why, and what the model alone gave."""
    rationale = (
        f"Confirmed by the maker ({a.by}, {a.date}): {_sentence(a.rationale)} Evidence: {_ids(a.evidence)}."
        f" From the threat model alone: {_STATUS_WORDS[result.status]}. {result.rationale}"
    )
    confirmation = Confirmation(by=a.by, date=a.date, rationale=a.rationale, evidence=list(a.evidence), computed=result.status)
    return result.model_copy(
        update={
            "status": "covered",
            "rationale": rationale,
            "confirmed": confirmation,
            "evidence": _merge([result.evidence, list(a.evidence)]),
        }
    )


# ============================================================================ overrides and entry


def _overridden(result: ClauseResult, ov: Override) -> ClauseResult:
    """The override's verdict, keeping the computed one and its rationale for the reviewer."""
    rationale = (
        f"Set to {ov.status} by override (computed: {result.status}): {_sentence(ov.justification)} Computed rationale: {result.rationale}"
    )
    return result.model_copy(update={"status": ov.status, "overridden": True, "rationale": rationale})


def check_overrides(
    frameworks: Sequence[Framework],
    overrides: Sequence[Override],
    file: str | None = None,
    assertions: Sequence[Assertion] = (),
) -> None:
    """Refuse an override or assertion naming a clause its framework does not have (most likely a typo).

    One for a framework that is not being mapped is ignored: the user chose a subset.
    """
    by_id = {fw.id: fw for fw in frameworks}
    named: list[tuple[str, Sequence[Override | Assertion]]] = [("overrides", overrides), ("assertions", assertions)]
    for key, entries in named:
        for n, ov in enumerate(entries):
            fw = by_id.get(ov.framework)
            if fw is not None and fw.clause(ov.clause) is None:
                what = "override" if key == "overrides" else "assertion"
                raise InputError(
                    f"{what} names clause {ov.clause!r}, which framework {ov.framework!r} does not have",
                    file=file,
                    locator=pointer(key, n, "clause"),
                )


def map_model(
    model: Model,
    frameworks: Sequence[str | Path] | None = None,
    overrides: Sequence[Override] = (),
    *,
    base_dir: Path | None = None,
    overrides_file: str | None = None,
    assertions: Sequence[Assertion] = (),
) -> Coverage:
    """Map *model* onto the named frameworks (ids or file paths; None = every available one).

    Overrides replace verdicts before clauses that aggregate other clauses are decided, so an
    override of Annex II 8(e) counts towards Annex II 8. Relative framework paths are resolved
    against *base_dir* (the project folder in ``build``). *assertions* are the maker's recorded
    confirmations (project file ``assertions``): each sets its clause to covered, shown as confirmed.
    """
    fws = resolve_frameworks(frameworks, base_dir, where=overrides_file)
    check_overrides(fws, overrides, overrides_file, assertions)
    index = ModelIndex(model)
    return Coverage(frameworks=[Evaluator(model, fw, overrides, index, assertions).run() for fw in fws])
