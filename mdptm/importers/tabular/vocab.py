"""The import vocabulary: header synonyms and value synonyms, kept as data in ``mappings/vocabulary``
(``headers``, ``values``, ``sections``, with the shared ``stride`` and ``risk-scale``).

Device makers label columns and write values in a thousand ways ("Mitigation(s)", "T, I", "4 x 5 = 20",
"Risk accepted"). The words live in YAML so that a new synonym is a data change; this module loads them
once and turns cells into normalised values. Every parser returns a :class:`Parsed` whose ``ok`` is
False when the cell could not be understood, so the caller keeps the raw text in ``extra`` and warns.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from mdptm.errors import InputError
from mdptm.model import Risk
from mdptm.model.vocabulary import risk_scale, shipped, stride_terms, vocabulary_file

T = TypeVar("T")

_WORD = re.compile(r"[a-z0-9#]+|[^\W\d_a-z]+")
_OTHER_LETTERS = re.compile(r"[^\w#&]")  # after folding: what is no letter, digit or "#" separates words
_SEPARATORS = re.compile(r"\s*(?:[,;\n|/\\+&]|\band\b|\r)\s*")
_LIST_SEPARATORS = re.compile(r"\s*(?:[,;\n|]|\r|\s/\s|/)\s*")
_BULLET = re.compile(r"^\s*(?:[-*•·▪◦‣]|\d+[.)])\s+")
# at most 15 digits a side: a longer run is no score a person wrote (400 nines made float() infinite)
_NUMBER = r"(\d{1,15}(?:[.,]\d{1,15})?)(?!\d)"
_PRODUCT = re.compile(rf"^\s*{_NUMBER}\s*[x×*]\s*{_NUMBER}\s*(?:=\s*{_NUMBER})?\s*(?:[-–:(]\s*([A-Za-z][A-Za-z ]*?)\s*\)?)?\s*$", re.I)
_NUM_LABEL = re.compile(rf"^\s*{_NUMBER}\s*(?:[-–:(/]\s*)?([A-Za-z][A-Za-z ]*?)\s*\)?\s*$")
_LABEL_NUM = re.compile(rf"^\s*([A-Za-z][A-Za-z ]*?)\s*(?:[-–:(/]\s*)?{_NUMBER}\s*\)?\s*$")
_PLAIN_NUM = re.compile(rf"^\s*{_NUMBER}\s*$")
_LEADING_NUM = re.compile(rf"^\s*{_NUMBER}")
_BRACKET_NUM = re.compile(rf"\(\s*{_NUMBER}\s*\)")
_LABEL = re.compile(r"^\s*([A-Za-z][A-Za-z ]{0,30}?)(?:\s*[:=]|\s+[-–—])\s*")
_HEAD = re.compile(r"\s*(?:[(\[:;,–—\n]|\s-\s)")
_SCALE_HINT = re.compile(r"(\d+)\s*(?:-|–|—|to|\.\.|_)\s*(\d+)|(?:/|out of|of)\s*(\d+)\s*\)?\s*$", re.I)


@dataclass(frozen=True)
class Parsed(Generic[T]):
    """A normalised value, and whether the cell was understood (False: keep the raw text, warn)."""

    value: T
    ok: bool = True


@dataclass(frozen=True)
class FieldSpec:
    kind: str
    name: str
    weight: float
    key: bool
    synonyms: tuple[str, ...]


@dataclass
class KindSpec:
    name: str
    label: str
    context: tuple[str, ...]
    fields: dict[str, FieldSpec]
    exact: dict[str, str] = field(default_factory=dict)  # normalised synonym -> field
    phrases: list[tuple[frozenset[str], str, int]] = field(default_factory=list)  # (tokens, field, n)
    by_token: dict[str, list[int]] = field(default_factory=dict)  # token -> indexes into phrases
    # headings under which a table's first column names this kind's items whatever its header says
    # ("Out of Scope" over "Component | Reason")
    first_column_under: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class HeaderMatch:
    field: str
    score: float
    exact: bool


class PhraseTable:
    """Phrase → value lookup on whole words; the longest phrase found in a cell wins."""

    def __init__(self, table: dict[str, list[str]], wins_ties: dict[str, list[str]] | None = None):
        self.index: dict[str, str] = {}
        self.longest = 1
        # value -> the values it beats in a tie ("Cloud Gateway": cloud_service over device)
        self.wins_ties = {str(k): frozenset(str(x) for x in v) for k, v in (wins_ties or {}).items()}
        for value, phrases in table.items():
            for phrase in phrases:
                raw = str(phrase).strip().lower()
                key = norm_text(raw)
                self.index.setdefault(raw, str(value))
                if key:
                    self.index.setdefault(key, str(value))
                    self.longest = max(self.longest, len(key.split()))

    def exact(self, text: str) -> str | None:
        raw = text.strip().lower()
        if raw in self.index:
            return self.index[raw]
        return self.index.get(norm_text(raw))

    def find(self, text: str, *, max_words: int = 14) -> str | None:
        """Exact match first, then the longest phrase inside the text (ties of different values fail)."""
        hit = self.exact(text)
        if hit is not None:
            return hit
        # People write the value first and explain after: "Mitigated (residual risk acceptable)".
        head = _HEAD.split(text, maxsplit=1)[0]
        if head.strip() and head != text:
            hit = self.find(head, max_words=max_words)
            if hit is not None:
                return hit
        words = norm_text(text).split()
        if not words or len(words) > max_words:
            return None
        for n in range(min(self.longest, len(words)), 0, -1):
            found = {self.index[g] for g in (" ".join(words[i : i + n]) for i in range(len(words) - n + 1)) if g in self.index}
            if len(found) == 1:
                return found.pop()
            if len(found) > 1:
                winners = [w for w in found if found - {w} <= self.wins_ties.get(w, frozenset())]
                return winners[0] if len(winners) == 1 else None
        return None


@dataclass
class Vocabulary:
    kinds: dict[str, KindSpec]
    skipped: dict[str, tuple[str, frozenset[str]]]  # name -> (label, normalised synonyms)
    facts: dict[str, str]  # normalised key -> fact path ("product.name", "ignore")
    empty: frozenset[str]
    stride_letters: dict[str, str]
    stride_words: PhraseTable  # every STRIDE spelling (stride.yaml names and words)
    stride_names: PhraseTable  # the full names only: what makes a heading a STRIDE category of threats
    tables: dict[str, PhraseTable]
    numeric_levels: dict[int, list[str]]
    product_thresholds: list[tuple[float, str]]
    scale_thresholds: dict[int, list[tuple[float, str]]]
    scale_candidates: list[int]
    likelihood_words: PhraseTable
    severity_words: PhraseTable
    sections: dict[str, Any]
    stride_all: frozenset[str] = frozenset()  # cells meaning all six STRIDE categories ("All")
    reference_noise: frozenset[str] = frozenset()  # words written before a reference ("see M-04")
    name_qualifiers: frozenset[str] = frozenset()  # words after a name's head ("Access to …"): see kind_from_name
    summary_rows: frozenset[str] = frozenset()  # first words of a totals row below a table
    note_rows: frozenset[str] = frozenset()  # first words of a legend or note row below a table
    planned_mitigations: frozenset[str] = frozenset()  # mitigation labels and headers of proposed controls
    verification_result_headers: frozenset[str] = frozenset()  # a control's verification result column ("Result")
    verification_not_passed: frozenset[str] = frozenset()  # its words for a verification that did not pass ("Fail")
    treatment_decisions: frozenset[str] = frozenset()  # "Mitigation" in a Risk Treatment column: a decision, no measure
    implemented_mitigations: frozenset[str] = frozenset()  # ... and of controls said to be in place
    status_not_applicable: frozenset[str] = frozenset()  # "nothing here" words that in a status cell mean not applicable
    control_not_applicable: frozenset[str] = frozenset()  # the same in a control status cell: the control is not in place
    status_deferral: re.Pattern[str] | None = None  # words after a done status that take it back ("Implemented in the next release")
    deferral_note: re.Pattern[str] | None = None  # a mitigation's closing note saying it is not in place ("(future enhancement)")
    deferral_note_whole: frozenset[str] = frozenset()  # ... said in a word that defers only as the whole note ("(future)", "(v2)")
    # a mitigation's opening note saying the product does not do it ("(Out of scope for the library itself.)")
    outside_note: re.Pattern[str] | None = None
    unverified_measure: re.Pattern[str] | None = None  # "Backup assumed present": a measure only assumed in place
    dread_factors: tuple[frozenset[str], ...] = ()  # the headers of each of DREAD's five factors ("Damage", …)
    dread_totals: frozenset[str] = frozenset()  # ... and of the column combining them ("Total", "Average", "DREAD")
    later_stage: re.Pattern[str] | None = None  # "Milestone 3", "Phase 2" as a control's status: the stage it comes in
    part_measure: re.Pattern[str] | None = None  # "Partial enrollment" as an existing control: in place only in part
    part_scope: re.Pattern[str] | None = None  # "In place for the pump only" as a control's status: in place in part
    unverified_practice: re.Pattern[str] | None = None  # ... unless the word names a practice ("Assumed-breach drills")
    plan_date_headers: frozenset[str] = frozenset()  # a column giving the date a treatment is due ("Due", "Target date")
    rpn_headers: frozenset[str] = frozenset()  # an FMEA's risk priority number, before or after the controls ("RPN", "Res. RPN")
    applicability_headers: frozenset[str] = frozenset()  # "Applicable?" beside a STRIDE category of an element
    applicability_no: frozenset[str] = frozenset()  # ... and its words saying the category does not apply ("No")
    applicability_yes: frozenset[str] = frozenset()  # ... and its first words saying it does ("Yes", "Có → T-02")
    control_kind_labels: frozenset[str] = frozenset()  # labels naming a measure's kind ("Design Control:"), not the measure
    # public catalogues of threat types, by the form of their ids ("EMB3D": TID-101): their rows are no system's threats
    threat_catalogues: tuple[tuple[str, re.Pattern[str]], ...] = ()
    threat_type_headers: frozenset[str] = frozenset()  # a column naming its rows as kinds of threat ("Threat category")
    threat_example_headers: frozenset[str] = frozenset()  # ... beside a column of examples of each ("Examples")
    category_id_headers: frozenset[str] = frozenset()  # a column of the ids of categories ("Category ID"): a legend
    situation_headers: frozenset[str] = frozenset()  # a hazard analysis's "Hazardous Situation" column
    attack_tree_node_labels: frozenset[str] = frozenset()  # a flowchart node's opening word of an attack tree ("Path 1:")
    threat_catalogue_entries: tuple[tuple[str, str], ...] = ()  # what a catalogue lists where no threat types ("CWE": weaknesses)
    threat_catalogue_headers: frozenset[str] = frozenset()  # ... a column of its tactics ("Tactic"), even beside components
    # ... as its publisher exports it, by columns no register has ("Abstraction", "Related Attack Patterns": CAPEC)
    threat_catalogue_exports: tuple[tuple[str, frozenset[str]], ...] = ()
    threat_catalogue_columns: frozenset[str] = frozenset()  # ... its other columns ("Technique ID", "Technique")
    threat_catalogue_headings: frozenset[str] = frozenset()  # ... a heading word naming it ("MITRE ATT&CK Mapping")
    threat_catalogue_wording: frozenset[str] = frozenset()  # ... its own opening of an entry ("Adversaries may")
    attack_tree_parents: frozenset[str] = frozenset()  # an attack tree's column naming each node's parent ("parent")
    attack_tree_gates: frozenset[str] = frozenset()  # ... and the gate of each node ("AND", "OR", "LEAF")
    disposition_decisions: frozenset[str] = frozenset()  # "mitigate" in a Disposition column: a decision, no status
    tool_suggestions: frozenset[str] = frozenset()  # a modelling tool's column of suggested mitigations, as written
    all_targets: frozenset[str] = frozenset()  # a target cell naming every element ("All components")
    flow_security_none: frozenset[str] = frozenset()  # a flow's encryption/authentication cell saying there is none
    flow_security_unknown: frozenset[str] = frozenset()  # ... or saying nothing
    key_value_keys: frozenset[str] = frozenset()  # "Field | Value": the left header of a table of facts
    key_value_values: frozenset[str] = frozenset()  # ... and its right header
    generic_headers: frozenset[str] = frozenset()  # headers that say nothing of the table's kind ("Type")
    rating_letters: dict[str, frozenset[str]] = field(default_factory=dict)  # "L" | "S" columns: likelihood, severity
    header_cache: dict[tuple[str, str], HeaderMatch | None] = field(default_factory=dict)
    skipped_index: dict[str, list[str]] = field(default_factory=dict)  # normalised word -> skipped kinds
    first_column_not_items: dict[str, str] = field(default_factory=dict)  # normalised first header -> label
    context_not_items: frozenset[str] = frozenset()  # sheet/heading words of scales, legends, matrices ...
    context_soft_not_items: frozenset[str] = frozenset()  # summaries: skipped unless the only such table
    caption_ends_table: frozenset[str] = frozenset()  # a caption row inside a register's span that ends it ("Risk matrix")
    # a software bill of materials: the headers of its version column and of its licence/CVE/supplier column
    software_version: frozenset[str] = frozenset()
    software_facts: frozenset[str] = frozenset()
    empty_cache: dict[str, bool] = field(default_factory=dict)  # cell text -> is_empty: a register repeats its values
    risk_cache: dict[tuple[object, ...], tuple[Risk | None, bool]] = field(default_factory=dict)  # cells -> risk read
    stride_cache: dict[str | None, tuple[list[str], bool]] = field(default_factory=dict)  # cell -> STRIDE read
    template_cache: dict[tuple[str, str, str], dict[str, bool]] = field(default_factory=dict)  # column -> cell -> describes it

    def __post_init__(self) -> None:
        for name, (_label, syns) in self.skipped.items():
            for syn in syns:
                self.skipped_index.setdefault(syn, []).append(name)


@lru_cache(maxsize=65536)
def norm_text(text: str) -> str:
    """Lower case words only: punctuation and runs of space become one space. Letters with accents lose them
    and "ß" is "ss" ("Maßnahme" reads "massnahme", "Priorité" "priorite"); other letters ("查询") stay words."""
    low = text.lower().replace("&", " and ")
    if not low.isascii():
        low = _fold(low)
    return " ".join(_WORD.findall(low))


_FILLER = frozenset({"the", "and", "for", "with", "via", "from", "into", "that", "this", "are", "not", "its", "all", "any"})


def content_words(title: str) -> set[str]:
    """The words of *title* that say what it is about (three letters or more, no filler), to tell whether
    one title restates another in fewer words."""
    return {w for w in norm_text(title).split() if len(w) >= 3 and w not in _FILLER}


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return _OTHER_LETTERS.sub(" ", "".join(c for c in decomposed if not unicodedata.combining(c)))


_FORM_MARKS = ("&", "(", "[", "'", "’")  # what header_forms rewrites beyond norm_text


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# "Likelihood_1_5", "Impact 1-5" written without brackets: the scale at the end of a header names no field
_SCALE_TAIL = re.compile(r"^(?P<head>.*[a-z].*?)[\s_]+(?P<lo>[01])[\s_]*(?:-|–|_|to|\s)[\s_]*(?P<hi>\d{1,3})$", re.I)


_SHARED_NOUN = re.compile(r"^\s*(?P<a>[A-Za-z]+)\s*/\s*(?P<b>[A-Za-z]+)\s+(?P<rest>[A-Za-z][A-Za-z ]*)$")


@lru_cache(maxsize=131072)
def header_forms(text: str) -> tuple[str, ...]:
    """Normalised forms of a column header: with parenthesised text as words, and without it (and without a
    scale written at its end: "Likelihood_1_5")."""
    if _CAMEL.search(text) and " " not in text.strip():
        # "FailureModes", "RequirementIDs", "threatId": a tool's export names its columns in camel case
        return header_forms(_CAMEL.sub(" ", text.strip()))
    shared = _SHARED_NOUN.match(text)
    if shared is not None:
        # "Current/required mitigation": two words sharing the noun after them, each read with it as well
        rest = shared.group("rest")
        alternatives = (*header_forms(f"{shared.group('a')} {rest}"), *header_forms(f"{shared.group('b')} {rest}"))
        return tuple(dict.fromkeys((*header_forms(text.replace("/", " ")), *alternatives)))
    tail = _SCALE_TAIL.match(text.strip())
    if tail and int(tail.group("hi")) > int(tail.group("lo")) and not any(ch in text for ch in _FORM_MARKS):
        forms = [norm_text(tail.group("head")), norm_text(text)]
        return tuple(dict.fromkeys(f for f in forms if f))
    if not any(ch in text for ch in _FORM_MARKS):  # nothing to drop or rewrite: one form, the words
        plain = norm_text(text)
        return (plain,) if plain else ()
    t = re.sub(r"\((e?s)\)", r"\1", text.lower().replace("&", " and "))
    t = t.replace("’", "'").replace("'s", "s")
    without = norm_text(re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", t))
    with_p = norm_text(t)
    forms = [f for f in (without, with_p) if f]
    return tuple(dict.fromkeys(forms))


def header_words(text: str) -> set[str]:
    """The words of a column header in every form it is read in ("TreatmentPlan" gives "treatment" and "plan", as
    "Treatment Plan" does), to ask whether a header says a word."""
    return {w for form in header_forms(text) for w in form.split()}


def scale_hint(header: str, rpn_headers: frozenset[str] = frozenset()) -> int | None:
    """The top of a scale stated in a header: "Exploitability (1–3)", "Risk score /25"; 1000 for a risk priority
    number (*rpn_headers*, the vocabulary's ``rpn_headers``)."""
    m = _SCALE_HINT.search(header)
    if not m:
        # An FMEA's risk priority number is severity x occurrence x detection, each 1-10: a score out of 1000,
        # never a product of the two factors beside it ("RPN" 84 is no "critical" 84 of 100)
        return 1000 if norm_text(header) in rpn_headers else None
    top = m.group(2) or m.group(3)
    return int(top) if top and int(top) > 1 else None


class _Terms(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _HeaderField(_Terms):
    synonyms: list[str]
    weight: float = 1
    key: bool = False


class _HeaderKind(_Terms):
    label: str
    context: list[str]
    fields: dict[str, _HeaderField]
    first_column_under: str | None = None  # a section of sections.yaml (its heading patterns)


class _SkippedKind(_Terms):
    label: str
    synonyms: list[str]


class _NotItems(_Terms):
    first_column: dict[str, list[str]] = Field(default_factory=dict)
    context: list[str] = Field(default_factory=list)
    context_soft: list[str] = Field(default_factory=list)
    caption_ends_table: list[str] = Field(default_factory=list)
    software_list: dict[str, list[str]] = Field(default_factory=dict)


class _KeyValue(_Terms):
    keys: list[str]
    values: list[str]


class HeaderTerms(_Terms):
    """``headers.yaml``: the column headers of each kind of table, fact keys, tables that are not threat models."""

    schema_version: int
    kinds: dict[str, _HeaderKind]
    skipped: dict[str, _SkippedKind]
    facts: dict[str, list[str]]
    not_items: _NotItems
    key_value: _KeyValue
    generic_headers: list[str]
    rating_letters: dict[str, list[str]] = Field(default_factory=dict)


class ValueTerms(_Terms):
    """``values.yaml``: the words a cell uses for a value (statuses, kinds, categories), scales and row words."""

    schema_version: int
    empty: list[str]
    threat_status: dict[str, list[str]]
    control_status: dict[str, list[str]]
    numeric_levels: dict[int, list[str]]
    product_thresholds: list[tuple[float, str]]
    scale_candidates: list[int]
    scale_thresholds: dict[int, list[tuple[float, str]]]
    patient_harm: dict[str, list[str]]
    boolean: dict[str, list[str]]
    element_kind: dict[str, list[str]]
    asset_kind: dict[str, list[str]]
    rating: dict[str, list[str]]
    control_category: dict[str, list[str]]
    responsibility: dict[str, list[str]]
    document_status: dict[str, list[str]]
    sensitivity: dict[str, list[str]]
    status_not_applicable: list[str]
    control_status_not_applicable: list[str] = Field(default_factory=list)
    wins_ties: dict[str, dict[str, list[str]]] = Field(default_factory=dict)
    reference_noise: list[str]
    name_qualifiers: list[str] = Field(default_factory=list)
    summary_rows: list[str]
    note_rows: list[str]
    all_targets: list[str]
    flow_security_none: list[str]
    flow_security_unknown: list[str]
    planned_mitigations: list[str] = Field(default_factory=list)
    verification_result_headers: list[str] = Field(default_factory=list)
    verification_not_passed: list[str] = Field(default_factory=list)
    implemented_mitigations: list[str] = Field(default_factory=list)
    status_deferrals: list[str] = Field(default_factory=list)
    deferral_notes: list[str] = Field(default_factory=list)
    deferral_notes_whole: list[str] = Field(default_factory=list)
    outside_product_notes: list[str] = Field(default_factory=list)
    unverified_measure_words: list[str] = Field(default_factory=list)
    later_stage_words: list[str] = Field(default_factory=list)
    dread_factors: list[list[str]] = Field(default_factory=list)
    dread_totals: list[str] = Field(default_factory=list)
    part_measure_words: list[str] = Field(default_factory=list)
    part_scope_patterns: list[str] = Field(default_factory=list)
    later_stage_qualifiers: list[str] = Field(default_factory=list)
    unverified_measure_practices: list[str] = Field(default_factory=list)
    plan_date_headers: list[str] = Field(default_factory=list)
    rpn_headers: list[str] = Field(default_factory=list)
    applicability_headers: list[str] = Field(default_factory=list)
    applicability_no: list[str] = Field(default_factory=list)
    applicability_yes: list[str] = Field(default_factory=list)
    control_kind_labels: list[str] = Field(default_factory=list)
    threat_catalogue_ids: dict[str, str] = Field(default_factory=dict)
    threat_catalogue_headers: list[str] = Field(default_factory=list)
    threat_catalogue_entries: dict[str, str] = Field(default_factory=dict)
    threat_type_headers: list[str] = Field(default_factory=list)
    threat_example_headers: list[str] = Field(default_factory=list)
    category_id_headers: list[str] = Field(default_factory=list)
    situation_headers: list[str] = Field(default_factory=list)
    attack_tree_node_labels: list[str] = Field(default_factory=list)
    threat_catalogue_exports: dict[str, list[str]] = Field(default_factory=dict)
    threat_catalogue_columns: list[str] = Field(default_factory=list)
    threat_catalogue_headings: list[str] = Field(default_factory=list)
    threat_catalogue_wording: list[str] = Field(default_factory=list)
    attack_tree_parents: list[str] = Field(default_factory=list)
    attack_tree_gates: list[str] = Field(default_factory=list)
    disposition_decisions: list[str] = Field(default_factory=list)
    tool_suggestions: list[str] = Field(default_factory=list)
    linddun: dict[str, list[str]] = Field(default_factory=dict)
    impact_categories: dict[str, list[str]] = Field(default_factory=dict)
    treatment_decisions: list[str] = Field(default_factory=list)


class _SectionView(_Terms):
    name: str
    patterns: list[str]


class _ThreatLists(_Terms):
    headings: list[str]
    threat_labels: list[str]
    control_labels: list[str]
    other_labels: list[str]
    other_words: list[str]
    definition_run: int


class SectionTerms(_Terms):
    """``sections.yaml``: the headings and sections of a threat model written as a document."""

    schema_version: int
    views: dict[str, _SectionView]
    use_case_container: list[str]
    subsections: list[str]
    view_name_noise: list[str]
    sections: dict[str, list[str]]
    stride_heading_noise: list[str]
    numbering: str
    title_noise: list[str]
    threat_lists: _ThreatLists
    withheld_markers: dict[str, list[str]] = {}
    withheld_marker_nouns: list[str] = []
    # headings under which a table's first column names the items of a kind, whatever its header says (no list or
    # paragraph under them is read by their name, so they are kept apart from `sections`)
    table_sections: dict[str, list[str]] = {}


def _load(name: str, schema: type[_Terms]) -> dict[str, Any]:
    """A vocabulary file as plain data, once validated against its schema."""
    data: dict[str, Any] = shipped(name, schema).model_dump(exclude_unset=True)
    return data


def _kind_spec(name: str, data: dict[str, Any], sections: dict[str, list[str]]) -> KindSpec:
    fields: dict[str, FieldSpec] = {}
    for fname, fdata in data["fields"].items():
        syns = tuple(str(s) for s in fdata.get("synonyms", []))
        fields[fname] = FieldSpec(name, fname, float(fdata.get("weight", 1)), bool(fdata.get("key", False)), syns)
    section = data.get("first_column_under")
    if section and section not in sections:
        raise InputError(f"kinds.{name}.first_column_under: no section {section!r} in sections.yaml", file=str(vocabulary_file("headers")))
    under = tuple(re.compile(str(rx), re.IGNORECASE) for rx in sections.get(section, [])) if section else ()
    spec = KindSpec(name, str(data.get("label", name)), tuple(str(c) for c in data.get("context", [])), fields, first_column_under=under)
    return _index_kind(spec)


def _index_kind(spec: KindSpec) -> KindSpec:
    for fspec in spec.fields.values():
        for syn in fspec.synonyms:
            key = norm_text(syn)
            if not key:
                continue
            spec.exact.setdefault(key, fspec.name)
            if len(key) >= 3:
                toks = key.split()
                for tok in set(toks):
                    spec.by_token.setdefault(tok, []).append(len(spec.phrases))
                spec.phrases.append((frozenset(toks), fspec.name, len(toks)))
    return spec


def with_synonyms(vocab: Vocabulary, additions: dict[tuple[str, str], list[str]]) -> Vocabulary:
    """A copy of *vocab* where the given (kind, field) pairs also answer to more header texts.

    Added synonyms come first, so a profile's words win over the shipped ones.
    """
    if not additions:
        return vocab
    kinds: dict[str, KindSpec] = {}
    for name, spec in vocab.kinds.items():
        fields = {}
        for fname, fs in spec.fields.items():
            more = tuple(additions.get((name, fname), ()))
            fields[fname] = FieldSpec(fs.kind, fs.name, fs.weight, fs.key, more + fs.synonyms)
        kinds[name] = _index_kind(KindSpec(name, spec.label, spec.context, fields, first_column_under=spec.first_column_under))
    # a STRIDE label is read by the headers, a template row by the kinds' header words
    return replace(vocab, kinds=kinds, header_cache={}, stride_cache={}, template_cache={})


def load_vocabulary() -> Vocabulary:
    """Read the shipped vocabulary files (``mappings/vocabulary``)."""
    headers = _load("headers", HeaderTerms)
    values = _load("values", ValueTerms)
    sections = _load("sections", SectionTerms)
    stride = stride_terms()
    scale = risk_scale()
    under = {**sections["sections"], **sections.get("table_sections", {})}
    kinds = {name: _kind_spec(name, data, under) for name, data in headers["kinds"].items()}
    skipped = {
        name: (str(d.get("label", name)), frozenset(norm_text(str(s)) for s in d["synonyms"]))
        for name, d in headers.get("skipped", {}).items()
    }
    facts: dict[str, str] = {}
    for path, keys in headers.get("facts", {}).items():
        for key in keys:
            facts.setdefault(norm_text(str(key)), str(path))
    tables = {
        name: PhraseTable(values[name], values.get("wins_ties", {}).get(name))
        for name in (
            "threat_status",
            "control_status",
            "patient_harm",
            "boolean",
            "element_kind",
            "asset_kind",
            "rating",
            "control_category",
            "responsibility",
            "document_status",
            "sensitivity",
        )
    }
    tables["risk_level"] = PhraseTable(scale.level_words())
    tables["linddun"] = PhraseTable(values.get("linddun", {}))
    tables["impact_categories"] = PhraseTable(values.get("impact_categories", {}))
    not_items = headers.get("not_items", {}) or {}
    first_col = {norm_text(str(word)): str(label) for label, words in (not_items.get("first_column", {}) or {}).items() for word in words}
    return Vocabulary(
        first_column_not_items=first_col,
        context_not_items=frozenset(norm_text(str(w)) for w in not_items.get("context", []) or []),
        context_soft_not_items=frozenset(norm_text(str(w)) for w in not_items.get("context_soft", []) or []),
        caption_ends_table=frozenset(norm_text(str(w)) for w in not_items.get("caption_ends_table", []) or []),
        software_version=frozenset(norm_text(str(w)) for w in (not_items.get("software_list", {}) or {}).get("version", [])),
        software_facts=frozenset(norm_text(str(w)) for w in (not_items.get("software_list", {}) or {}).get("facts", [])),
        kinds=kinds,
        skipped=skipped,
        facts=facts,
        empty=frozenset(norm_text(str(e)) for e in values["empty"]) | frozenset(str(e).strip().lower() for e in values["empty"]),
        stride_letters={str(k).lower(): str(v) for k, v in stride.letters.items()},
        stride_words=PhraseTable(stride.synonyms()),
        stride_names=PhraseTable(stride.synonyms(names_only=True)),
        tables=tables,
        numeric_levels={int(k): [str(x) for x in v] for k, v in values["numeric_levels"].items()},
        product_thresholds=[(float(a), str(b)) for a, b in values["product_thresholds"]],
        scale_thresholds={int(k): [(float(a), str(b)) for a, b in v] for k, v in values.get("scale_thresholds", {}).items()},
        scale_candidates=sorted(int(x) for x in values["scale_candidates"]),
        likelihood_words=PhraseTable({str(k): v for k, v in scale.likelihood.items()}),
        severity_words=PhraseTable({str(k): v for k, v in scale.severity.items()}),
        sections=sections,
        stride_all=_words(stride.all),
        reference_noise=_words(values.get("reference_noise", [])),
        name_qualifiers=_words(values.get("name_qualifiers", [])),
        summary_rows=_words(values.get("summary_rows", [])),
        note_rows=_words(values.get("note_rows", [])),
        status_not_applicable=frozenset(str(w).strip().lower() for w in values["status_not_applicable"]),
        control_not_applicable=frozenset(str(w).strip().lower() for w in values.get("control_status_not_applicable", [])),
        status_deferral=_phrase_rx(values.get("status_deferrals", [])),
        deferral_note=_phrase_rx([*values.get("status_deferrals", []), *values.get("deferral_notes", [])]),
        deferral_note_whole=_words(values.get("deferral_notes_whole", [])),
        outside_note=_phrase_rx(values.get("outside_product_notes", [])),
        unverified_measure=_phrase_rx(values.get("unverified_measure_words", [])),
        later_stage=_stage_rx(values.get("later_stage_words", []), values.get("later_stage_qualifiers", [])),
        dread_factors=tuple(_words(names) for names in values.get("dread_factors", [])),
        dread_totals=_words(values.get("dread_totals", [])),
        part_measure=_phrase_rx(values.get("part_measure_words", [])),
        part_scope=re.compile("|".join(f"(?:{p})" for p in pats), re.I) if (pats := values.get("part_scope_patterns")) else None,
        unverified_practice=_phrase_rx(values.get("unverified_measure_practices", [])),
        plan_date_headers=_words(values.get("plan_date_headers", [])),
        rpn_headers=_words(values.get("rpn_headers", [])),
        applicability_headers=_words(values.get("applicability_headers", [])),
        applicability_no=frozenset(str(w).strip().lower() for w in values.get("applicability_no", [])),
        applicability_yes=frozenset(str(w).strip().lower() for w in values.get("applicability_yes", [])),
        control_kind_labels=_words(values.get("control_kind_labels", [])),
        disposition_decisions=_words(values.get("disposition_decisions", [])),
        tool_suggestions=frozenset(" ".join(str(w).lower().split()) for w in values.get("tool_suggestions", [])),
        attack_tree_parents=_words(values.get("attack_tree_parents", [])),
        attack_tree_gates=_words(values.get("attack_tree_gates", [])),
        threat_catalogues=tuple((name, re.compile(rf"(?:{rx})", re.I)) for name, rx in values.get("threat_catalogue_ids", {}).items()),
        threat_catalogue_headers=_words(values.get("threat_catalogue_headers", [])),
        threat_type_headers=_words(values.get("threat_type_headers", [])),
        threat_example_headers=_words(values.get("threat_example_headers", [])),
        category_id_headers=_words(values.get("category_id_headers", [])),
        situation_headers=_words(values.get("situation_headers", [])),
        attack_tree_node_labels=_words(values.get("attack_tree_node_labels", [])),
        threat_catalogue_entries=tuple((str(k), str(v)) for k, v in values.get("threat_catalogue_entries", {}).items()),
        threat_catalogue_exports=tuple((name, _words(cols)) for name, cols in values.get("threat_catalogue_exports", {}).items()),
        threat_catalogue_columns=_words(values.get("threat_catalogue_columns", [])),
        threat_catalogue_headings=_words(values.get("threat_catalogue_headings", [])),
        threat_catalogue_wording=_words(values.get("threat_catalogue_wording", [])),
        planned_mitigations=_words(values.get("planned_mitigations", [])),
        verification_result_headers=_words(values.get("verification_result_headers", [])),
        verification_not_passed=_words(values.get("verification_not_passed", [])),
        treatment_decisions=_words(values.get("treatment_decisions", [])),
        implemented_mitigations=_words(values.get("implemented_mitigations", [])),
        all_targets=frozenset(str(w).casefold() for w in values["all_targets"]),
        flow_security_none=frozenset(str(w).lower() for w in values["flow_security_none"]),
        flow_security_unknown=frozenset(str(w).lower() for w in values["flow_security_unknown"]),
        key_value_keys=frozenset(str(w) for w in headers["key_value"]["keys"]),
        key_value_values=frozenset(str(w) for w in headers["key_value"]["values"]),
        generic_headers=frozenset(str(w) for w in headers["generic_headers"]),
        rating_letters={axis: frozenset(str(w).lower() for w in ws) for axis, ws in (headers.get("rating_letters") or {}).items()},
    )


def _words(items: Iterable[object]) -> frozenset[str]:
    return frozenset(w for w in (norm_text(str(x)) for x in items) if w)


@cache
def vocabulary() -> Vocabulary:
    """The shipped vocabulary, loaded once per process."""
    return load_vocabulary()


# ------------------------------------------------------------------------------------- headers


def match_header(vocab: Vocabulary, kind: str, header: str) -> HeaderMatch | None:
    """The field of *kind* a column header names, with a score (exact synonyms beat partial ones)."""
    key = (kind, header)
    cache = vocab.header_cache
    if key in cache:
        return cache[key]
    result = _compute_header(vocab.kinds[kind], header)
    if len(cache) > 200_000:
        cache.clear()
    cache[key] = result
    return result


# "mitigation in architecture": one word naming a column, then where or for what it is said
_QUALIFIED_HEADER = re.compile(r"^(\w+)\s+(?:in|for|within|per)\s+\w.*$")
# "Controllo V6.6", "Mitigation v2": one word naming a column, then the release it is said of (normalised "v6 6")
_VERSIONED_HEADER = re.compile(r"^(\w+)\s+v\d+(?:\s+\d+)*$")


def _compute_header(spec: KindSpec, header: str) -> HeaderMatch | None:
    if not header or len(header) > 80:
        return None
    forms = header_forms(header)
    # The form with the words in brackets first: "Risk score (post)" is the residual risk, not the risk.
    for form in sorted(forms, key=lambda f: -len(f)):
        hit = spec.exact.get(form)
        if hit is not None:
            return HeaderMatch(hit, 100.0 + len(form.split()), True)
    qualified = (_QUALIFIED_HEADER.match(forms[0]) or _VERSIONED_HEADER.match(forms[0])) if forms else None
    if qualified is not None and spec.exact.get(qualified.group(1)) in ("controls", "title"):
        # "Mitigation in architecture", "Countermeasure for v1", "Controllo V6.6": that column, said of one place
        # or release
        return HeaderMatch(spec.exact[qualified.group(1)], 50.0, False)
    best: HeaderMatch | None = None
    for form in forms:
        toks = form.split()
        dated = "date" in toks or "deadline" in toks  # "Target Date" names no target
        if len(toks) > 8:
            continue
        tokset = set(toks)
        candidates = sorted({i for t in tokset for i in spec.by_token.get(t, ())})
        for i in candidates:
            syn_toks, fname, n = spec.phrases[i]
            if n * 2 < len(toks) or not syn_toks <= tokset or (dated and not syn_toks & {"date", "deadline"}):
                continue
            score = float(n) + (0.25 if _contiguous(toks, syn_toks, n) else 0.0)
            if best is None or score > best.score:
                best = HeaderMatch(fname, score, False)
    return best


def _contiguous(toks: list[str], syn: frozenset[str], n: int) -> bool:
    return any(set(toks[i : i + n]) == syn for i in range(len(toks) - n + 1))


def skipped_hits(vocab: Vocabulary, header: str) -> dict[str, int]:
    """For each non-threat-model table kind, whether *header* is one of its words."""
    out: dict[str, int] = {}
    for form in header_forms(header):
        for name in vocab.skipped_index.get(form, ()):
            out[name] = 1
    return out


def fact_key(vocab: Vocabulary, text: str) -> str | None:
    """The product/document fact a key names ("Manufacturer:" → ``product.manufacturer``)."""
    for form in header_forms(text.rstrip(":").strip()):
        hit = vocab.facts.get(form)
        if hit is not None:
            return hit
    return None


# -------------------------------------------------------------------------------------- values


def is_empty(vocab: Vocabulary, text: str | None) -> bool:
    """True for blank cells and for words that mean "nothing here" (N/A, None identified, -)."""
    if text is None:
        return True
    cache = vocab.empty_cache
    hit = cache.get(text)
    if hit is not None:
        return hit
    t = text.strip()
    if not t or t.lower() in vocab.empty or _FILL_IN.fullmatch(t):
        empty = True
    else:
        n = norm_text(t)
        empty = bool(n) and n in vocab.empty
    if len(cache) < _EMPTY_CACHE_MAX:  # a hostile file may hold any number of distinct cells
        cache[text] = empty
    return empty


_EMPTY_CACHE_MAX = 65536

# A template's fill-in left as it was: "[TBD]", "[Insert mitigation]", "<describe>", "[ ]", "{{OWNER}}". Only text
# wholly in brackets, with no digit (an id "[T-01]", a footnote "[1]") and more than one letter ("[x]" is a tick).
_FILL_IN = re.compile(r"\[\s*\]|\[[^\[\]\d]{2,}\]|<[^<>\d]{2,}>|\{\{[^{}]*\}\}|\[\[[^\[\]]*\]\]")


def is_fill_in(text: str) -> bool:
    """A template's fill-in left as it was ("[TBD]", "[Insert mitigation]", "<describe>", "[ ]")."""
    return _FILL_IN.fullmatch(text.strip()) is not None


def clean_text(text: str) -> str:
    """Trim each line and drop blank lines at the ends; paragraphs inside the text are kept."""
    if "\n" not in text and "\r" not in text:  # one line (most cells): the same as below, without the lists
        return text.strip()
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    out: list[str] = []
    for ln in lines:
        if not ln and out and not out[-1]:
            continue
        out.append(ln)
    return "\n".join(out)


def one_line(text: str) -> str:
    return " ".join(text.split())


def split_list(vocab: Vocabulary, text: str | None) -> list[str]:
    """Split a list cell on , ; | / and new lines ("C-01, C-02; C-03"); "None identified" is empty."""
    if is_empty(vocab, text):
        return []
    assert text is not None
    out: list[str] = []
    for part in _LIST_SEPARATORS.split(text):
        part = _BULLET.sub("", part).strip().strip(".").strip()
        if part and not is_empty(vocab, part):
            out.append(part)
    return list(dict.fromkeys(out))


def split_evidence(vocab: Vocabulary, text: str | None) -> list[str]:
    """Evidence references: one per line or per ";" — or per "," when the cell has neither."""
    if is_empty(vocab, text):
        return []
    assert text is not None
    if "\n" in text.strip() or ";" in text:
        return split_lines(vocab, text)
    parts = [_BULLET.sub("", p).strip() for p in text.split(",")]
    return [p for p in dict.fromkeys(parts) if p and not is_empty(vocab, p)]


def split_lines(vocab: Vocabulary, text: str | None) -> list[str]:
    """Split on new lines and semicolons only, for lists of phrases that may hold commas."""
    if is_empty(vocab, text):
        return []
    assert text is not None
    out = [_BULLET.sub("", p).strip() for p in re.split(r"\s*[\n;]\s*", text)]
    return [p for p in dict.fromkeys(out) if p and not is_empty(vocab, p)]


def stride_letters_only(vocab: Vocabulary, text: str) -> bool:
    """True for one to six capital STRIDE letters and nothing else ("S", "TRID")."""
    return 0 < len(text) <= 6 and text.isupper() and all(ch.lower() in vocab.stride_letters for ch in text)


def parse_stride(vocab: Vocabulary, text: str | None) -> Parsed[list[str]]:
    """STRIDE as words, abbreviations or letters, alone or combined: "S", "T, I", "T/R", "Spoofing / Tampering".

    Read once per distinct cell text (a register repeats a handful); each caller gets its own list."""
    cache = vocab.stride_cache
    hit = cache.get(text)
    if hit is None:
        got = _parse_stride(vocab, text)
        if len(cache) >= _EMPTY_CACHE_MAX:
            return got
        hit = cache[text] = (got.value, got.ok)
    return Parsed(list(hit[0]), hit[1])


def _parse_stride(vocab: Vocabulary, text: str | None) -> Parsed[list[str]]:
    if is_empty(vocab, text):
        return Parsed([])
    assert text is not None
    found: dict[str, None] = {}  # in the order written, without repeats
    ok = True
    label = _LABEL.match(text)
    if label and _is_stride_label(vocab, label.group(1)):
        text = text[label.end() :]  # "STRIDE: S, E", "Category - I"
    if norm_text(text) in vocab.stride_all:
        return Parsed(list(vocab.stride_letters.values()))
    for token in _SEPARATORS.split(text.strip()):
        token = token.strip().strip("()[]-–.:").strip()
        if not token or is_empty(vocab, token):
            continue
        got = _stride_token(vocab, token)
        if got is None:
            ok = False
        else:
            found.update(dict.fromkeys(got))
    if not ok and re.search(r"\(.*?\)", text):
        # "I (Privacy)": the words in brackets only explain the category.
        again = parse_stride(vocab, re.sub(r"\s*\([^()]*\)", " ", text))
        if again.ok:
            return again
    return Parsed(list(found), ok and bool(found))


def _is_stride_label(vocab: Vocabulary, text: str) -> bool:
    """True when *text* is a header word for the STRIDE column ("STRIDE", "Threat category")."""
    if "threat" not in vocab.kinds:
        return False
    m = match_header(vocab, "threat", text.strip())
    return m is not None and m.exact and m.field == "stride"


def _stride_token(vocab: Vocabulary, token: str) -> list[str] | None:
    hit = vocab.stride_words.exact(token)
    if hit is not None:
        return [hit]
    letters = re.sub(r"[^A-Za-z]", "", token)
    short = letters and len(letters) <= 6 and (letters.isupper() or len(letters) == 1) and " " not in token.strip()
    if short and all(ch.lower() in vocab.stride_letters for ch in letters):
        return [vocab.stride_letters[ch.lower()] for ch in letters]
    parts = token.split()
    if len(parts) > 1 and all(len(p) == 1 and p.lower() in vocab.stride_letters for p in parts):
        return [vocab.stride_letters[p.lower()] for p in parts]
    words = norm_text(token).split()
    found: list[str] = []
    i = 0
    longest = vocab.stride_words.longest
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            g = " ".join(words[i : i + n])
            if g in vocab.stride_words.index and not (n == 1 and g in ("id",)):
                found.append(vocab.stride_words.index[g])
                i += n
                break
        else:
            i += 1
    return found or None


def parse_choice(vocab: Vocabulary, table: str, text: str | None) -> Parsed[str | None]:
    """One value from a named synonym table (statuses, kinds, categories, responsibility...)."""
    if table == "control_status" and text is not None and text.strip().lower() in vocab.control_not_applicable:
        return Parsed("not_implemented")  # "N/A" in a control's status: the control does not apply, it is not in place
    if is_empty(vocab, text):
        return Parsed(None)
    assert text is not None
    hit = vocab.tables[table].find(text)
    if hit is None and table in ("threat_status", "control_status"):
        # "✅ Detected", "✅ Slowed": a mark the table knows, then words it does not: the mark says it
        mark = text.strip().split(maxsplit=1)[0] if text.strip() else ""
        if mark and not any(ch.isalnum() for ch in mark):
            hit = vocab.tables[table].exact(mark)
        first = re.match(r"^\s*([^.;!?\n]{2,40}?)\s*[.;!]\s+\S", text)
        if hit is None and first is not None and len(first.group(1).split()) <= 4:
            # "Accepted. Any report of wrong-patient display is treated as …": the status, then why
            hit = vocab.tables[table].exact(first.group(1))
    if table == "control_status" and hit is None and vocab.later_stage is not None and vocab.later_stage.match(text):
        # "Milestone 3", "Phase 2": the stage of the work the control comes in, named as its status; the document
        # states no stage it has reached, so the control is later work (the cell is kept as written beside it)
        return Parsed("planned")
    if table == "control_status" and hit in (None, "implemented") and text is not None and in_part(vocab, text) is not None:
        # "Inventory exists but incomplete", "In place for the pump only": in place only in part, read as a
        # "Partial" status is (planned), not counted in place
        return Parsed("planned")
    if table == "control_status" and hit == "planned" and text is not None:
        # "Deferred - risk accepted", "Postponed (risk accepted)": the words after the deferral give the control up
        after = _HEAD.split(text, maxsplit=1)[1:]
        if after and vocab.tables["threat_status"].find(after[0].strip(" )]-–—")) == "accepted":
            return Parsed("not_implemented")
    if hit in _DONE.get(table, ()) and text is not None:
        # "Implemented?", "Mitigated in the next release", "Implemented - planned for v2": the words after
        # the status take it back; a question states none, a deferral is not done yet
        rest = re.split(r"\.\s+", text.strip(), maxsplit=1)[0]  # its first sentence: "Mitigated. X is planned for 2.0" is done
        if rest.endswith("?"):
            return Parsed(None, False)
        if vocab.status_deferral is not None and vocab.status_deferral.search(rest):
            return Parsed("planned" if table == "control_status" else "open")
    return Parsed(hit, hit is not None)


# The statuses that say a control is in place or a threat is dealt with.
_DONE = {"control_status": ("implemented",), "threat_status": ("mitigated", "partially_mitigated")}


def _stage_rx(words: list[str], qualifiers: Sequence[str] = ()) -> re.Pattern[str] | None:
    """A whole cell naming a numbered stage of the work ("Milestone 3", "Phase II", "Sprint 12") or one still to come
    ("Next release", "Future phase")."""
    rx = _phrase_rx(words)
    if rx is None:
        return None
    numbered = r"(?:" + rx.pattern + r")\s*(?:\d+(?:\.\d+)*|[ivx]{1,4})"
    before = _phrase_rx(list(qualifiers))
    coming = r"|(?:" + before.pattern + r")\s+(?:" + rx.pattern + r")" if before is not None else ""
    return re.compile(r"^\s*(?:" + numbered + coming + r")\s*$", re.I)


def _phrase_rx(words: list[str]) -> re.Pattern[str] | None:
    alts = sorted({str(w).casefold().strip() for w in words if str(w).strip()}, key=len, reverse=True)
    if not alts:
        return None
    return re.compile(r"(?<![\w'])(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in alts) + r")(?![\w'])", re.I)


def kind_from_name(vocab: Vocabulary, table: str, name: str) -> str | None:
    """The kind (``element_kind``, ``asset_kind``) an item's name states when no column or label gives one:
    "Drug library" is therapy data, "Cloud update service" a cloud service. Only the head of the name is read,
    the words before the first qualifying word (``name_qualifiers``): "Ability to Execute Code as a Web Server
    User" is no firmware and "Access to Audit Data" no log, while "Drug library of the pump" is therapy data."""
    words = name.split()
    for i, word in enumerate(words[1:], start=1):
        if norm_text(word) in vocab.name_qualifiers:
            name = " ".join(words[:i])
            break
    return parse_choice(vocab, table, name).value


def parse_status(vocab: Vocabulary, text: str | None) -> Parsed[str | None]:
    """Threat status: "Mitigated", "Partially mitigated", "Risk accepted", "Transferred", "Open", "N/A"."""
    if text is not None and text.strip().lower() in vocab.status_not_applicable:
        return Parsed("not_applicable")
    got = parse_choice(vocab, "threat_status", text)
    if got.value == "accepted" and text and _NOT_QUITE.search(text) and vocab.tables["threat_status"].exact(text) is None:
        # "Not accepted", "Conditionally acceptable", "Accepted (conditional)": no risk acceptance the row can be said
        # to have; kept as written
        return Parsed(None, False)
    return got


# What takes back an acceptance written beside it
_NOT_QUITE = re.compile(r"\b(?:not|never|non|conditional|conditionally|conditions?|provisional|provisionally)\b", re.I)


def parse_bool(vocab: Vocabulary, text: str | None) -> Parsed[bool | None]:
    got = parse_choice(vocab, "boolean", text)
    if got.value is None:
        return Parsed(None, got.ok)
    return Parsed(got.value == "true")


def _num(text: str) -> float:
    return float(text.replace(",", "."))


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def scale_for(vocab: Vocabulary, top: float) -> int:
    """The smallest known scale that holds *top* (3, 4, 5, 9, 10, 16, 25, 100)."""
    for cand in vocab.scale_candidates:
        if top <= cand:
            return cand
    return int(top)


def level_for_score(vocab: Vocabulary, score: float, scale: int | None) -> str | None:
    """The level of a bare number on its scale (a 1–3, 1–5 rating or a product such as 5 × 5)."""
    top = scale or scale_for(vocab, score)
    if score <= 0:
        return "low"
    if top in vocab.numeric_levels and score == int(score) and score <= top:
        return vocab.numeric_levels[top][int(score) - 1]
    frac = score / top
    for bound, level in vocab.scale_thresholds.get(top, vocab.product_thresholds):
        if frac <= bound + 1e-9:
            return level
    return "critical"


def parse_level(vocab: Vocabulary, text: str | None) -> Parsed[str | None]:
    return parse_choice(vocab, "risk_level", text)


def _risk_memo(
    vocab: Vocabulary, key: tuple[object, ...], read: Callable[[], Parsed[Risk | None]], *, shared: bool = False
) -> Parsed[Risk | None]:
    """A risk read once per distinct cell text (and scale): a register repeats "High" or "3 x 4" on every row.
    Each caller gets its own copy, as callers fill in and change the risk they get; one that only reads it
    asks for the *shared* instance."""
    hit = vocab.risk_cache.get(key)
    if hit is None:
        got = read()
        hit = (got.value, got.ok)
        if len(vocab.risk_cache) < _EMPTY_CACHE_MAX:
            vocab.risk_cache[key] = hit
        else:
            return got
    risk, ok = hit
    return Parsed(own_risk(risk) if risk is not None and not shared else risk, ok)


def own_risk(risk: Risk) -> Risk:
    """A copy of *risk* its holder may change: ``model_copy()``, without its three generic ``copy`` calls.
    A Risk holds only strings and numbers, so a copy of its field values is a whole copy."""
    new = Risk.__new__(Risk)
    object.__setattr__(new, "__dict__", risk.__dict__.copy())
    object.__setattr__(new, "__pydantic_fields_set__", set(risk.__pydantic_fields_set__))
    object.__setattr__(new, "__pydantic_extra__", None)
    object.__setattr__(new, "__pydantic_private__", None)
    return new


def parse_risk(vocab: Vocabulary, text: str | None, scale: int | None = None, *, shared: bool = False) -> Parsed[Risk | None]:
    """A risk cell as people write it: "4 x 5 = 20", "High (12)", "3", "H", "Medium".

    The level is normalised; a product keeps its factors in likelihood/severity, a number its score.
    With *shared*, the risk is the one kept for this cell text: read it, never change it.
    """
    return _risk_memo(vocab, ("cell", text, scale), lambda: _parse_risk(vocab, text, scale), shared=shared)


def _parse_risk(vocab: Vocabulary, text: str | None, scale: int | None) -> Parsed[Risk | None]:
    if is_empty(vocab, text):
        return Parsed(None)
    assert text is not None
    t = one_line(text)
    m = _PRODUCT.match(t)
    if m:
        a, b = _num(m.group(1)), _num(m.group(2))
        score = _num(m.group(3)) if m.group(3) else a * b
        label = m.group(4)
        level = parse_level(vocab, label).value if label else None
        factor = scale_for(vocab, max(a, b, float(scale_from_product(scale) or 0)))
        level = level or level_for_score(vocab, score, factor * factor)
        return Parsed(Risk(likelihood=_fmt(a), severity=_fmt(b), score=score, level=level, scale=f"{factor}x{factor}"))
    m = _PLAIN_NUM.match(t)
    if m:
        score = _num(m.group(1))
        top = scale or scale_for(vocab, score)
        return Parsed(Risk(score=score, level=level_for_score(vocab, score, top), scale=f"1-{top}"))
    for rx, lab_i, num_i in ((_NUM_LABEL, 2, 1), (_LABEL_NUM, 1, 2)):
        m = rx.match(t)
        if m:
            lvl = parse_level(vocab, m.group(lab_i)).value
            if lvl is not None:
                score = _num(m.group(num_i))
                shown = f"1-{scale}" if scale and score <= scale else None
                return Parsed(Risk(score=score, level=lvl, scale=shown))
    m = _WORDED_PRODUCT.match(t)
    if m:
        # "Serious × Probable (Medium)" (ISO 14971 S×P in words): the level the author states in brackets, never
        # one computed from the two words on a scale the cell does not give ("(Acceptable)" states no level)
        w1, w2 = m.group("a").strip(), m.group("b").strip()
        sev_first = vocab.severity_words.find(w1) is not None and vocab.likelihood_words.find(w2) is not None
        lik_first = vocab.likelihood_words.find(w1) is not None and vocab.severity_words.find(w2) is not None
        if sev_first or lik_first:
            sev, lik = (w1, w2) if sev_first else (w2, w1)
            stated = m.group("said") or m.group("said2")
            said = parse_level(vocab, stated).value if stated else None
            return Parsed(Risk(likelihood=lik, severity=sev, level=said))
    m = _WORDED_FACTORS.match(t)
    if m:
        # "High severity, Low likelihood", "likelihood low / impact high": the two factors, level from their product
        got = combine_risk(vocab, m.group("l1") or m.group("l2"), m.group("s1") or m.group("s2"), 5, 5)  # words: 5 points
        if got is not None and got.level is not None:
            return Parsed(got)
    lvl = parse_level(vocab, t).value
    if lvl is not None:
        return Parsed(Risk(level=lvl))
    return Parsed(None, False)


# "Serious × Probable (Medium)", "Minor x Remote = Acceptable": two rating words multiplied, then what the author says
_WORDED_PRODUCT = re.compile(
    r"^\s*(?P<a>[^\W\d_][^\W\d_ ]*(?: [^\W\d_]+)?)(?:\s*[×*]\s*|\s+[xX]\s+)(?P<b>[^\W\d_][^\W\d_ ]*(?: [^\W\d_]+)?)"
    r"\s*(?:\((?P<said>[^()]+)\)|[=:→]\s*(?P<said2>.+))?\s*\.?\s*$"
)

_SEV = r"(?:severity|impact)"
_LIK = r"(?:likelihood|probability)"
_WORD_LEVEL = r"[A-Za-z][A-Za-z ]{0,14}?"
# "High severity, Low likelihood" (either order; "impact" and "probability" too; "and", ",", ";" or "/" between)
_WORDED_FACTORS = re.compile(
    rf"^\s*(?:(?P<s1>{_WORD_LEVEL})\s+{_SEV}\s*(?:,|;|/|\band\b)\s*(?P<l1>{_WORD_LEVEL})\s+{_LIK}"
    rf"|(?P<l2>{_WORD_LEVEL})\s+{_LIK}\s*(?:,|;|/|\band\b)\s*(?P<s2>{_WORD_LEVEL})\s+{_SEV})\s*\.?\s*$",
    re.I,
)


def scale_from_product(scale: int | None) -> int | None:
    """The factor scale of a product scale (25 → 5, 9 → 3), else None."""
    if scale is None:
        return None
    root = round(scale**0.5)
    return root if root * root == scale else None


def ordinal(vocab: Vocabulary, table: str, text: str | None) -> float | None:
    """A likelihood or severity as a number: "4", "Probable", "Serious" (None if not understood)."""
    if is_empty(vocab, text):
        return None
    assert text is not None
    t = one_line(text)
    m = _LEADING_NUM.match(t) or _BRACKET_NUM.search(t)
    if m:
        return _num(m.group(1))
    words = vocab.likelihood_words if table == "likelihood" else vocab.severity_words
    hit = words.find(t)
    return float(hit) if hit is not None else None


def combine_risk(vocab: Vocabulary, likelihood: str | None, severity: str | None, l_scale: int | None, s_scale: int | None) -> Risk | None:
    """A risk from separate likelihood and severity columns: labels kept, level from their product."""
    key = ("pair", likelihood, severity, l_scale, s_scale)
    return _risk_memo(vocab, key, lambda: Parsed(_combine_risk(vocab, likelihood, severity, l_scale, s_scale))).value


def _combine_risk(vocab: Vocabulary, likelihood: str | None, severity: str | None, l_scale: int | None, s_scale: int | None) -> Risk | None:
    if is_empty(vocab, likelihood) and is_empty(vocab, severity):
        return None
    lik = None if is_empty(vocab, likelihood) else one_line(likelihood or "")
    sev = None if is_empty(vocab, severity) else one_line(severity or "")
    a = ordinal(vocab, "likelihood", lik)
    b = ordinal(vocab, "severity", sev)
    if a is None or b is None:
        return Risk(likelihood=lik, severity=sev)
    la = l_scale or scale_for(vocab, max(a, 3))
    sb = s_scale or scale_for(vocab, max(b, 3))
    score = a * b
    return Risk(likelihood=lik, severity=sev, score=score, level=level_for_score(vocab, score, la * sb), scale=f"{la}x{sb}")


def parse_harm(vocab: Vocabulary, text: str | None) -> Parsed[str | None]:
    return parse_choice(vocab, "patient_harm", text)


def normalise_cwe(vocab: Vocabulary, text: str | None, prefix: str) -> Parsed[list[str]]:
    """ "CWE-79, 352" → ["CWE-79", "CWE-352"]; anything else fails."""
    items = split_list(vocab, text)
    out: list[str] = []
    ok = True
    for item in items:
        m = re.fullmatch(rf"(?:{prefix}\s*[-_:]?\s*)?(\d+)", item.strip(), re.I)
        if m:
            out.append(f"{prefix}-{m.group(1)}")
        else:
            ok = False
    return Parsed(out, ok)


_PLURAL_MARK = re.compile(r"(?<=\w)\((e?s)\)", re.I)  # "Mitigation(s)", "Match(es)": the plural, as header_forms reads it


def mitigation_status(vocab: Vocabulary, label: str) -> str | None:
    """The status a mitigation label or column header states of the controls under it: "planned" for
    "Potential mitigations", "implemented" for "Mitigations Implemented" / "Mitigation Controls (Implemented)".
    A plural written "(s)" is the plural: the Threat Modeling Tool's "Possible Mitigation(s)" is "possible mitigations"."""
    for key in dict.fromkeys((norm_text(label), norm_text(_PLURAL_MARK.sub(r"\1", label)))):
        if key in vocab.planned_mitigations:
            return "planned"
        if key in vocab.implemented_mitigations:
            return "implemented"
    return None


def work_not_done(vocab: Vocabulary, threat_status: str) -> str | None:
    """The status a threat's own status text states of the control made from that threat's mitigation text: the
    control status it reads as when that says the work is not done ("Planned", "Open", "In progress", "TODO", "Not
    started", "Milestone 3", "❌ DO WDROŻENIA"): the threat is open because its mitigation is not in place. A status
    that reads as done ("Mitigated", "Closed") says the threat is dealt with, not which measure is in place: None,
    no claim for the control (nor for an empty or unknown text)."""
    said = parse_choice(vocab, "control_status", threat_status).value if threat_status.strip() else None
    return said if said in ("planned", "not_implemented") else None


# A note closing a mitigation: "LocalStorage autosave (future enhancement)", "Rate limiting (planned)".
_CLOSING_NOTE = re.compile(r"\(([^()]{2,60})\)[\s.;]*$")


def deferred_by_note(vocab: Vocabulary, text: str) -> str | None:
    """The note in brackets that closes a mitigation's text when it says the measure is not in place yet
    ("(future enhancement)", "(planned for v2)", "(TBD)"); None when there is none or it says something else."""
    m = _CLOSING_NOTE.search(text.strip())
    if m is None:
        return None
    if norm_text(m.group(1)) in vocab.deferral_note_whole:
        return m.group(1).strip()  # "(future)", "(v2)": the whole note defers
    if vocab.deferral_note is None or not vocab.deferral_note.search(m.group(1)):
        return None
    return m.group(1).strip()


def assumed_in_place(vocab: Vocabulary, text: str) -> str | None:
    """The word saying a measure is only assumed to be in place ("Backup *assumed* present", "unverified"), or None:
    an assumption is no evidence that the measure is there. A practice named with such a word ("Assumed-breach
    drills") hedges nothing."""
    if vocab.unverified_practice is not None:
        text = vocab.unverified_practice.sub(" ", text.replace("-", " "))
    m = vocab.unverified_measure.search(text) if vocab.unverified_measure is not None else None
    return m.group(0) if m is not None else None


def part_measure(vocab: Vocabulary, text: str) -> str | None:
    """The word saying a measure is in place only in part ("*Partial* enrollment", "*Partially* deployed backup"),
    or None: a part measure named under an "Existing controls" header is not the control in place."""
    m = vocab.part_measure.search(text) if vocab.part_measure is not None else None
    return m.group(0) if m is not None else None


def in_part(vocab: Vocabulary, status: str) -> str | None:
    """The words of a control status saying the control is in place only in part: a part-measure word
    ("*incomplete*", "*partially*") or a scope it is limited to ("in place *for the pump only*"); None when none."""
    m = vocab.part_scope.search(status) if vocab.part_scope is not None else None
    return m.group(0) if m is not None else part_measure(vocab, status)


_OPENING_NOTE = re.compile(r"^\(([^()]{2,80})\)")


def outside_by_note(vocab: Vocabulary, text: str) -> str | None:
    """The note in brackets that opens a mitigation's text when it says the measure is no part of the product
    ("(Out of scope for the library itself.) The user's code must use timeouts"): someone else's to take, not a
    control of the maker in place. None when there is none, or it defers the measure (read as planned)."""
    m = _OPENING_NOTE.match(text.strip())
    if m is None or vocab.outside_note is None or not vocab.outside_note.search(m.group(1)):
        return None
    if vocab.deferral_note is not None and vocab.deferral_note.search(m.group(1)):
        return None  # "(Out of scope for v1)": a plan
    return m.group(1).strip()


def _cells_under(extra: dict[str, object], headers: frozenset[str]) -> Iterator[tuple[str, str]]:
    """The text cells a row keeps in *extra* under one of *headers* (normalised), as (header, text)."""
    for header, value in extra.items():
        if isinstance(value, str) and norm_text(str(header)) in headers:
            yield header, value


def plan_date(vocab: Vocabulary, extra: dict[str, object]) -> tuple[str, str] | None:
    """The column and date a row gives for when its treatment is due ("Due: 2027-01-31", "Target date: Q3
    2026"): a date to come says the treatment is a plan. None when the row has no such dated cell."""
    for header, value in extra.items():
        if not isinstance(value, str) or not any(ch.isdigit() for ch in value):
            continue
        said = norm_text(str(header))
        zone = said.rsplit(" ", 1)  # "Target close UTC": the date's time zone is no part of the column's name
        if said in vocab.plan_date_headers or (len(zone) == 2 and zone[1] in _TIME_ZONES and zone[0] in vocab.plan_date_headers):
            return header, value.strip()
    return None


_TIME_ZONES = frozenset({"utc", "gmt", "cet", "cest", "est", "edt", "pst", "pdt", "z", "local"})


def verification_not_passed(vocab: Vocabulary, extra: dict[str, object]) -> str | None:
    """A control row's verification result, where a result column says the verification did not pass ("Fail —
    fix planned for 2.1", "Not run"); None otherwise."""
    for _header, value in _cells_under(extra, vocab.verification_result_headers):
        said = norm_text(value)
        if any(said == w or said.startswith(w + " ") for w in vocab.verification_not_passed):
            return one_line(value)
    return None


# "We strongly recommend that all Health Authorities implement …", "Servers are also strongly encouraged to …",
# "… is strongly recommended to all Health Authorities": a measure the author asks another party to take.
_RECOMMEND_THAT = re.compile(
    r"\b(?:we\s+)?(?:also\s+)?(?:strongly\s+)?(?:recommend|advise|urge|encourage)s?\s+that\s+(?:all\s+|the\s+|each\s+|every\s+)?"
    r"(?P<party>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){0,3}?)\s+(?:should\s+|must\s+|also\s+|always\s+|only\s+|do\s+not\s+|not\s+|never\s+)?"
    r"(?:implement|use|make|limit|deploy|adopt|apply|enable|configure|pad|ensure|keep|restrict|verify|monitor|install|"
    r"update|change|rotate|review|segment|isolate|disable|follow|set|store|protect|require|add|run|block|re-order|reorder|"
    r"place|put|connect|patch|harden|train|educate|lock|avoid|consider|maintain|perform|conduct|establish|provide|allow|"
    r"deny|turn|remove|replace|upgrade|log|audit|scan|test|encrypt|authenticate|report|back|check|apply|operate|"
    r"install|separate|contact|inform|notify|retain|delete|dispose|wipe|sanitize|sanitise|validate|whitelist|allowlist)\b",
    re.IGNORECASE,
)
_ENCOURAGED = re.compile(
    r"^(?P<party>[A-Z][\w-]*(?:\s+[\w-]+){0,3}?)\s+(?:are|is)\s+(?:also\s+)?(?:strongly\s+)?"
    r"(?:encouraged|advised|recommended|urged)\s+to\b"
)
_RECOMMENDED_TO = re.compile(
    r"\b(?:is|are)\s+(?:also\s+)?(?:strongly\s+)?recommended\s+(?:to|for)\s+(?:all\s+|the\s+)?(?P<party>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})"
)
_OWN_SIDE = frozenset({"we", "us", "our team", "you", "the manufacturer", "manufacturer"})


def recommended_to(vocab: Vocabulary, text: str) -> tuple[str, list[str], bool] | None:
    """Who a mitigation asks to take it, when it is a recommendation to another party: (responsibility,
    parties as written, whether every item of it is such a recommendation). "We strongly recommend that all
    Health Authorities implement …" is the health authorities' (a third party; a hospital or user is the
    customer), never the device maker's; "you" is the reader (the customer). None when the text recommends
    nothing to anyone else."""
    items = [one_line(x).lstrip("-*•· ").strip() for x in re.split(r"\n\s*\n|\n(?=\s*[-*•·]\s)", text) if x.strip()]
    parties: list[str] = []
    asked = 0
    for item in items:
        found = []
        for rx in (_RECOMMEND_THAT, _ENCOURAGED, _RECOMMENDED_TO):
            found += [m.group("party").strip() for m in rx.finditer(item)]
        found = [p for p in found if norm_text(p) not in _OWN_SIDE or norm_text(p) == "you"]
        if found:
            parties += [p for p in found if p not in parties]
            first = re.split(r"(?<=[.!?])\s+", item, maxsplit=1)[0]
            # the item is the other party's when it opens with the recommendation, not when prose about the
            # maker's own design ends with one
            asked += any(rx.search(first) for rx in (_RECOMMEND_THAT, _ENCOURAGED, _RECOMMENDED_TO))
    if not parties:
        return None
    kinds = set()
    for party in parties:
        got = "customer" if norm_text(party) == "you" else parse_choice(vocab, "responsibility", party).value
        if got is None and party.endswith("s"):
            got = parse_choice(vocab, "responsibility", party[:-1]).value  # "hospitals", "operators"
        kinds.add(got or "third_party")
    if "manufacturer" in kinds:
        return None  # "we recommend that the manufacturer …": the maker's own
    kind = kinds.pop() if len(kinds) == 1 else "third_party"
    return kind, parties, asked == len(items)
