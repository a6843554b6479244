"""The framework file format (SPEC §4): clause catalogues with declarative evidence rules.

A framework file lists clauses of one regulation, guidance or contract, each with rules that say
which parts of a threat model count as evidence. Rules are data, never code: a small fixed set of
selectors (items of a collection with given field values, product/support/document fields that are
stated, other clauses) and combinators (``all``, ``any``, ``none``), interpreted by
:mod:`mdptm.mapping.engine`. The JSON Schema shipped as ``mappings/framework.schema.json`` is generated from
these models (:func:`framework_schema`), so the file format and its checker cannot drift apart.
"""

from __future__ import annotations

import types
import typing
from typing import TYPE_CHECKING, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator, model_validator

from mdptm import model as m

SCHEMA_VERSION = 1
Confidence = Literal["verified", "secondary", "unverified"]
CountsAs = Literal["covered", "partial"]

# Collections a rule may select from, with the item class whose fields the rule may test.
COLLECTION_ITEMS: dict[str, type[m.Item]] = {
    "elements": m.Element,
    "trust_zones": m.TrustZone,
    "flows": m.Flow,
    "assets": m.Asset,
    "views": m.View,
    "threats": m.Threat,
    "controls": m.Control,
    "assumptions": m.Assumption,
    "out_of_scope": m.OutOfScope,
}
# Internal fields (provenance, notes, unmapped source data) are never evidence. On flows alone
# ``source`` is the flow's source element, not provenance.
INTERNAL_FIELDS = frozenset({"source", "provenance", "notes", "extra", "sensitivity"})


def _internal(item_cls: type[m.Item]) -> frozenset[str]:
    return INTERNAL_FIELDS - {"source"} if item_cls is m.Flow else INTERNAL_FIELDS


# Text a ``keywords`` filter searches, per collection.
TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "elements": ("name", "description"),
    "trust_zones": ("name", "description"),
    "flows": ("name", "description", "protocol"),
    "assets": ("name", "description"),
    "views": ("name", "description", "steps"),
    "threats": ("title", "description", "rationale"),
    "controls": ("title", "description"),
    "assumptions": ("text", "description"),
    "out_of_scope": ("text", "rationale", "description"),
}
# Top-level model parts whose fields a ``fields`` rule may name.
FIELD_ROOTS: dict[str, type[BaseModel]] = {"product": m.Product, "document": m.Document, "support": m.Support}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# ----------------------------------------------------------------------------- item filters


def _unwrap_optional(ann: object) -> object:
    """``X | None`` → ``X``; anything else unchanged."""
    if typing.get_origin(ann) in (Union, types.UnionType):
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return ann


def _value_type(ann: object) -> object:
    """The type of one value a filter may list for a field of annotation *ann*, or None when only
    presence (true/false) can be tested (nested objects such as ``risk`` or ``diagram``)."""
    ann = _unwrap_optional(ann)
    if typing.get_origin(ann) is list:
        ann = typing.get_args(ann)[0]
    if typing.get_origin(ann) is Literal or ann in (str, int, bool):
        return ann
    return None


def _condition_type(ann: object) -> object:
    inner = _value_type(ann)
    if inner is None:
        return bool | None
    return list[inner] | bool | None  # type: ignore[valid-type]


def _filter_fields(item_cls: type[m.Item]) -> dict[str, Any]:  # Any: pydantic create_model field definitions
    fields: dict[str, object] = {}
    for name, info in item_cls.model_fields.items():
        if name in _internal(item_cls):
            continue
        fields[name] = (_condition_type(info.annotation), None)
    return fields


def _exclude_fields(item_cls: type[m.Item]) -> dict[str, Any]:  # Any: as _filter_fields
    fields: dict[str, object] = {}
    for name, info in item_cls.model_fields.items():
        inner = _value_type(info.annotation)
        if name in _internal(item_cls) or inner is None or inner is bool:
            continue
        fields[name] = (list[inner] | None, Field(default=None))  # type: ignore[valid-type]
    return fields


# Conditions read from an item rather than stored in one of its fields, per collection.
DERIVED_FIELDS: dict[str, tuple[str, ...]] = {"elements": ("person",), "flows": ("person",)}


def _derived_fields(collection: str) -> dict[str, Any]:  # Any: as _filter_fields
    if "person" not in DERIVED_FIELDS.get(collection, ()):
        return {}
    if collection == "flows":
        return {
            "person": (
                bool | None,
                Field(
                    default=None,
                    description="true: only flows with a person at one end (person_terms in "
                    "mappings/vocabulary/hospital-network.yaml); false: only flows between systems. A person's flow "
                    "is a user interface, not a network interface.",
                ),
            )
        }
    return {
        "person": (
            bool | None,
            Field(
                default=None,
                description="true: only persons (an external entity named as a person, as a Threat Dragon actor "
                "'User'; the words are person_terms in mappings/vocabulary/hospital-network.yaml); false: only "
                "systems. A person is not a connection to another system.",
            ),
        )
    }


def _title(collection: str) -> str:
    return "".join(p.capitalize() for p in collection.split("_"))


def _build_filters() -> tuple[dict[str, type[BaseModel]], dict[str, type[BaseModel]]]:
    """One filter model and one selector model per collection, generated from the mdptm/1 item
    classes so that a field name or enum value the model does not know is rejected on load."""
    filters: dict[str, type[BaseModel]] = {}
    selectors: dict[str, type[BaseModel]] = {}
    for coll, item_cls in COLLECTION_ITEMS.items():
        name = _title(coll)
        exclude = create_model(
            f"{name}Exclude",
            __base__=Strict,
            __doc__=f"{coll}: drop items whose field has one of these values",
            **_exclude_fields(item_cls),
        )
        common = {
            **_filter_fields(item_cls),
            **_derived_fields(coll),
            "keywords": (
                list[str] | None,
                Field(default=None, description="item text contains one of these (case-insensitive substrings)"),
            ),
            "exclude": (exclude | None, Field(default=None)),
        }
        flt = create_model(
            f"{name}Filter",
            __base__=Strict,
            __doc__=f"Conditions on {coll}, all of which must hold. For a field, a list means the value is one of "
            "these (a list field shares one of them); true or false means the field is stated or not.",
            **common,
        )
        sel = create_model(
            f"{name}Selector",
            __base__=Strict,
            __doc__=f"Items of {coll} that pass the conditions (as in {name}Filter): met when at least 'min' "
            "do and, if 'every' is given, all of them pass it too.",
            **common,
            min=(int, Field(default=1, ge=1, description="how many matching items are needed")),
            every=(
                flt | None,
                Field(default=None, description="each matching item must also pass these; some do → partial"),
            ),
        )
        filters[coll] = flt
        selectors[coll] = sel
    return filters, selectors


FILTERS, SELECTORS = _build_filters()
# Names pydantic puts into error locations for the branches of a union (not keys of the file).
UNION_LABELS = frozenset(
    {"bool", "str", "int", "FieldCheck"} | {f"{_title(c)}{kind}" for c in COLLECTION_ITEMS for kind in ("Selector", "Filter", "Exclude")}
)

# The selector classes are generated, so type checkers see them as what they all share.
if TYPE_CHECKING:

    class Selector(BaseModel):
        """The fields every generated selector has besides its collection's conditions."""

        keywords: list[str] | None
        min: int
        every: BaseModel | None

    ElementsSelector = Selector
    TrustZonesSelector = Selector
    FlowsSelector = Selector
    AssetsSelector = Selector
    ViewsSelector = Selector
    ThreatsSelector = Selector
    ControlsSelector = Selector
    AssumptionsSelector = Selector
    OutOfScopeSelector = Selector
else:
    ElementsSelector = SELECTORS["elements"]
    TrustZonesSelector = SELECTORS["trust_zones"]
    FlowsSelector = SELECTORS["flows"]
    AssetsSelector = SELECTORS["assets"]
    ViewsSelector = SELECTORS["views"]
    ThreatsSelector = SELECTORS["threats"]
    ControlsSelector = SELECTORS["controls"]
    AssumptionsSelector = SELECTORS["assumptions"]
    OutOfScopeSelector = SELECTORS["out_of_scope"]


# ----------------------------------------------------------------------------- rules


class FieldCheck(Strict):
    """A product, document or support field that must be stated (and may be tested further)."""

    path: str = Field(description="dotted path, e.g. support.vulnerability_disclosure or product.regulatory.cra_scope")
    keywords: list[str] | None = Field(default=None, description="the value contains one of these")
    in_: list[str] | None = Field(default=None, alias="in", description="the value is one of these")
    within_days: int | None = Field(
        default=None, ge=0, description="every time span the value commits to is at most this many days (30 days, 2 weeks)"
    )
    at_least_days: int | None = Field(
        default=None, ge=0, description="the value commits to a time span of at least this many days (24 months of notice)"
    )
    date: bool | None = Field(default=None, description="true: the value holds a calendar date, not earlier than document.date")
    sbom: bool | None = Field(
        default=None,
        description="true: the value is an SBOM in hand in a machine-readable format, not one promised or given on request",
    )
    sbom_support: bool | None = Field(
        default=None, description="true: as sbom, and the SBOM gives each component's support level or end of support"
    )
    sbom_access: bool | None = Field(
        default=None,
        description="true: the value says where users can access the SBOM; one given only on request is accessed nowhere "
        "but by asking: in part where it names whom to ask, else not at all",
    )
    advisories: bool | None = Field(
        default=None, description="true: the value says advisories are published to users, not only an address for reports"
    )
    without_delay: bool | None = Field(
        default=None, description="true: the value says vulnerabilities are remediated without delay, not on a schedule only"
    )


SELECTOR_KEYS: tuple[str, ...] = (*COLLECTION_ITEMS, "fields", "clauses", "all", "any", "none")


class Rule(Strict):
    """Exactly one selector or combinator, optionally labelled and capped at ``partial``.

    ``all``: every sub-rule met → met, some met or partial → partial, none → unmet.
    ``any``: the best sub-rule wins. ``none``: met when no sub-rule is met or partial.
    """

    label: str | None = Field(default=None, description="names this rule in the generated rationale")
    counts_as: CountsAs = Field(default="covered", description="'partial': when met, this rule only gives partial")
    unacceptable_residual: list[m.RiskLevel] | None = Field(
        default=None,
        description="threats only: when met, a counted threat still open or partly mitigated whose residual risk is not "
        "acceptable gives only partial; acceptable means within risk_management.acceptable_levels (or justify_levels "
        "with a rationale) when the model states them, else at none of these levels",
        min_length=1,
    )
    elements: ElementsSelector | None = None
    trust_zones: TrustZonesSelector | None = None
    flows: FlowsSelector | None = None
    assets: AssetsSelector | None = None
    views: ViewsSelector | None = None
    threats: ThreatsSelector | None = None
    controls: ControlsSelector | None = None
    assumptions: AssumptionsSelector | None = None
    out_of_scope: OutOfScopeSelector | None = None
    fields: list[FieldCheck | str] | None = Field(default=None, description="each path must be stated; some stated → partial", min_length=1)
    clauses: list[str] | None = Field(default=None, description="ids of other clauses of this framework; all covered → met", min_length=1)
    all_: list[Rule] | None = Field(default=None, alias="all", min_length=1)
    any_: list[Rule] | None = Field(default=None, alias="any", min_length=1)
    none_: list[Rule] | None = Field(default=None, alias="none", min_length=1)

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        json_schema_extra={"oneOf": [{"required": [k]} for k in SELECTOR_KEYS]},
    )

    @model_validator(mode="after")
    def _one_selector(self) -> Rule:
        present = [k for k in SELECTOR_KEYS if getattr(self, _attr(k)) is not None]
        if len(present) != 1:
            found = ", ".join(present) or "none"
            raise ValueError(f"a rule needs exactly one of {', '.join(SELECTOR_KEYS)} (found: {found})")
        if self.unacceptable_residual is not None and present != ["threats"]:
            raise ValueError("unacceptable_residual applies to a rule on threats only")
        return self

    @field_validator("fields")
    @classmethod
    def _known_paths(cls, v: list[FieldCheck | str] | None) -> list[FieldCheck | str] | None:
        for entry in v or []:
            path = entry if isinstance(entry, str) else entry.path
            problem = field_path_problem(path)
            if problem:
                raise ValueError(problem)
        return v

    @property
    def kind(self) -> str:
        return next(k for k in SELECTOR_KEYS if getattr(self, _attr(k)) is not None)

    @property
    def selector(self) -> Selector | None:
        """The selector of a rule on a collection's items (``threats:``, ``controls:``, ...), else None."""
        sel: Selector | None = getattr(self, self.kind) if self.kind in COLLECTION_ITEMS else None
        return sel


def _attr(key: str) -> str:
    return key + "_" if key in ("all", "any", "none") else key


def field_path_problem(path: str) -> str | None:
    """Why *path* does not name a field of product/document/support, or None if it does."""
    parts = path.split(".")
    root = FIELD_ROOTS.get(parts[0])
    if root is None or len(parts) < 2:
        return f"field path {path!r} must start with one of: {', '.join(FIELD_ROOTS)}"
    cls: object = root
    for part in parts[1:]:
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)) or part not in cls.model_fields:
            return f"field path {path!r}: no field {part!r} there"
        cls = _unwrap_optional(cls.model_fields[part].annotation)
    return None


# ----------------------------------------------------------------------------- framework


class Citation(Strict):
    document: str = Field(description="the document cited, with its version or date")
    section: str | None = Field(default=None, description="article, annex, section or clause within it")
    page: str | None = None
    url: str | None = None
    note: str | None = Field(default=None, description="how the text was checked, caveats")


class Group(Strict):
    id: str
    title: str
    summary: str = ""


class ScopeNote(Strict):
    """A note that applies to the whole framework when its condition holds (e.g. CRA Art 2(2))."""

    when: Rule
    note: str = Field(description="shown with the framework's results")
    rationale: str | None = Field(default=None, description="prefixed to every clause's rationale")


class ExternalEvidence(Strict):
    """Evidence a threat model cannot hold itself (a vulnerability scan, a test report): the clause stays
    ``partial`` until a control's verification or a support field refers to it."""

    what: str = Field(description="the evidence, in plain words, e.g. 'a vulnerability assessment of the SBOM components'")
    references: list[str] = Field(
        min_length=1, description="words that identify a reference to it (case-insensitive, in verification entries and support fields)"
    )


class Clause(Strict):
    id: str = Field(description="the source's own numbering, e.g. I.2.a, 8.b, control.event_logging")
    title: str
    summary: str = Field(description="what the clause asks, in the catalogue author's own words")
    source: Citation
    confidence: Confidence = Field(description="how the clause text was checked")
    group: str | None = None
    evidence: Rule | None = Field(default=None, description="when absent the model cannot answer the clause: it is a gap until overridden")
    not_applicable_when: Rule | None = None
    hint: str | None = Field(default=None, description="how to close a gap; added to the rationale when not covered")
    external_evidence: ExternalEvidence | None = Field(
        default=None, description="what the model must refer to before the clause can be covered"
    )


class Framework(Strict):
    schema_version: Literal[1] = Field(description="version of this file format")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    title: str
    version: str = Field(description="the version or date of the source text this catalogue follows")
    source: Citation
    note: str = Field(default="", description="always shown with the results (e.g. limits of the catalogue)")
    groups: list[Group] = Field(default_factory=list)
    scope_notes: list[ScopeNote] = Field(default_factory=list)
    clauses: list[Clause] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> Framework:
        ids: set[str] = set()
        for clause in self.clauses:
            if clause.id in ids:
                raise ValueError(f"clause id {clause.id!r} appears twice")
            ids.add(clause.id)
        groups = {g.id for g in self.groups}
        for clause in self.clauses:
            if clause.group is not None and clause.group not in groups:
                raise ValueError(f"clause {clause.id!r}: group {clause.group!r} is not listed under 'groups'")
            for rule in (clause.evidence, clause.not_applicable_when):
                for ref in clause_refs(rule):
                    if ref not in ids:
                        raise ValueError(f"clause {clause.id!r} refers to clause {ref!r}, which does not exist")
        cycle = _find_cycle({c.id: clause_refs(c.evidence) | clause_refs(c.not_applicable_when) for c in self.clauses})
        if cycle:
            raise ValueError("clauses refer to each other in a circle: " + " → ".join(cycle))
        return self

    def clause(self, cid: str) -> Clause | None:
        return next((c for c in self.clauses if c.id == cid), None)


def clause_refs(rule: Rule | None) -> set[str]:
    """Ids of the clauses a rule refers to, at any depth."""
    if rule is None:
        return set()
    if rule.clauses is not None:
        return set(rule.clauses)
    out: set[str] = set()
    for sub in rule.all_ or rule.any_ or rule.none_ or []:
        out |= clause_refs(sub)
    return out


def _find_cycle(graph: dict[str, set[str]]) -> list[str]:
    state: dict[str, int] = {}  # 1 visiting, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        state[node] = 2
        path.pop()
        return []

    for node in graph:
        if node not in state:
            found = visit(node)
            if found:
                return found
    return []


def framework_schema() -> dict[str, object]:
    """The JSON Schema of framework files, as shipped in ``mappings/framework.schema.json``."""
    schema = Framework.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://mdptm.invalid/schema/framework-1.json"
    schema["title"] = "mdptm framework (clause catalogue with evidence rules)"
    return schema


class Override(BaseModel):
    """A project's own verdict on one clause (``overrides:`` in ``mdptm.yaml``), with its reason."""

    model_config = ConfigDict(extra="forbid")
    framework: str
    clause: str
    status: Literal["covered", "partial", "gap", "not_applicable"]
    justification: str

    @field_validator("justification")
    @classmethod
    def _needs_text(cls, v: str) -> str:
        from mdptm.model.evidence import is_placeholder

        if not v.strip():
            raise ValueError("an override needs a justification")
        if is_placeholder(v):  # "TBD" justifies nothing, and the verdict would be published on it
            raise ValueError(f"an override needs a real justification, not the placeholder {v.strip()!r}")
        return v


class Assertion(BaseModel):
    """A device maker's recorded confirmation that a clause is met, with the evidence it rests on.

    The mapping cannot read everything a notified body would (a test report, a contract); a named
    person confirms the clause instead, and every report shows the verdict as confirmed by the maker.
    """

    model_config = ConfigDict(extra="forbid")
    framework: str
    clause: str
    evidence: list[str] = Field(min_length=1, description="ids of model items or of the maker's own documents")
    rationale: str
    by: str = Field(description="who confirms: name and role")
    date: str = Field(description="when, as YYYY-MM-DD")

    @field_validator("evidence")
    @classmethod
    def _real_evidence(cls, v: list[str]) -> list[str]:
        from mdptm.model.evidence import is_placeholder

        if any(is_placeholder(e) for e in v):
            raise ValueError("an assertion's evidence must name real items or documents, not placeholders")
        return [e.strip() for e in v]

    @field_validator("rationale", "by")
    @classmethod
    def _real_text(cls, v: str) -> str:
        from mdptm.model.evidence import is_placeholder

        if is_placeholder(v):
            raise ValueError("an assertion needs a rationale and the name of who confirms it (not a placeholder)")
        return v.strip()

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, v: object) -> str:
        import datetime as dt

        text = v.isoformat() if isinstance(v, dt.date) else str(v).strip()
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"the date of an assertion must be YYYY-MM-DD, not {text!r}") from None
        return text
