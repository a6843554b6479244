"""The words the Markdown importer reads threat models by (``markdown.yaml``) and the patterns of ids in headings."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict

from mdptm.model.vocabulary import shipped

VIEW_IDS = {
    "global_system": "view-global-system",
    "multi_patient_harm": "view-multi-patient-harm",
    "updatability_patchability": "view-updatability-patchability",
}
_HEADING_ID = re.compile(
    r"^\s*(?P<word>[A-Za-z][A-Za-z ]{0,24}?)\s*(?:#\s*|[-_]\s*)?(?P<num>\d+(?:\.\d+)*[a-z]?)(?P<suffix>-[A-Z]{1,3}\b)?"
    r"\s*(?:[:：.\-–—)]\s*|\s+|$)(?P<rest>.*)$"
)
# "[T-01] Private key compromise", "(T-01) ...": a bracketed id opening a heading.
_BRACKETED_ID = re.compile(r"^\s*[\[(]\s*([A-Za-z]{1,6}[-_.]?\d+(?:\.\d+)*[a-z]?)\s*[\])]\s*[:：\-–—]?\s*")
# "T-03-09-S03 — Path traversal": an id of several dashed parts is one id, not "T-03" titled "09-S03 — …".
_PREFIX_ID = re.compile(
    r"^\s*(?P<pre>[A-Za-z]{1,6})[-_.]?(?P<num>\d+(?:\.\d+)*[a-z]?(?:-[A-Z]{0,3}\d+[a-z]?)*)\s*(?:[:：.\-–—)]\s*|\s+|$)(?P<rest>.*)$"
)
# "RISK-IOT-001: Bluetooth communication failure", "T-SUPPLY-01 — dependency compromise": an id of several lettered
# parts before its number, then a title; "T-AI-INJECT — prompt injection": three or more parts in capitals, no number.
_DASHED_ID = re.compile(
    r"^\s*(?P<id>[A-Za-z]{1,6}(?:-[A-Za-z]{2,8})+-\d+[a-z]?|[A-Z]{1,6}(?:-[A-Z]{2,8}){2,})\s*[:：.\-–—)]\s*(?P<rest>\S.*)$"
)


def written_id(title: str) -> tuple[str, str] | None:
    """(id, title) of a threat's heading that opens with an id of any prefix ("T-03-09-S03 — Path traversal",
    "RISK-IOT-001: Bluetooth communication failure"), read once the block under it is known to be a threat;
    None when no id opens it or nothing follows the id."""
    written = _PREFIX_ID.match(title)
    if written is not None and written.group("rest"):
        return title[written.start("pre") : written.end("num")].strip(), written.group("rest")
    dashed = _DASHED_ID.match(title)
    return (dashed.group("id"), dashed.group("rest")) if dashed is not None else None


_PLACEHOLDER = re.compile(r"\[[^\]]*\]|<[^>]*>|\{\{[^{}]*\}\}|\.\.\.|…|TBD|TODO|x+|-+", re.I)
# "[ ]", "[x]", "[X]", "[✓]" at the start of a list item: a task box (GitHub renders it as a checkbox).
_CHECK_BOX = re.compile(r"^\s*\[([ xX✓✔]?)\]\s")
_LABEL_END = re.compile(r"^\s*[:：\-–—]\s*")


class MarkdownWords(BaseModel):
    """``markdown.yaml``: the words the Markdown importer reads threat models by."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    schema_version: int
    labels: dict[str, list[str]]
    threat_list_labels: list[str]
    threat_labels: list[str]
    generic_headings: list[str]
    threat_heading_words: list[str]
    skip_sections: dict[str, list[str]]
    threat_words: list[str]
    threat_prefixes: list[str]
    control_words: list[str]
    control_prefixes: list[str]
    asset_words: list[str]
    component_words: list[str] = []
    zone_words: list[str]
    zone_noise: list[str]
    flow_context: list[str]
    diagram_languages: list[str]
    matrix_not_components: list[str] = []
    navigation: list[str] = []


@cache
def markdown_words() -> dict[str, Any]:
    """The Markdown importer's words (``mappings/vocabulary/markdown.yaml``)."""
    data: dict[str, Any] = shipped("markdown", MarkdownWords).model_dump()
    return data


@cache
def _navigation() -> frozenset[str]:
    from mdptm.importers.tabular.vocab import norm_text

    return frozenset(norm_text(str(w)) for w in markdown_words()["navigation"])


def is_navigation(text: str) -> bool:
    """A line that only takes the reader elsewhere in the document ("[Back to top ↑](#contents)"): no text of the
    field or item above it. Read alike in Markdown and in Word."""
    from mdptm.importers.tabular.vocab import norm_text

    return len(text) <= 40 and norm_text(text) in _navigation()


_ID_PREFIX = {"threat": "T", "control": "M", "asset": "A", "component": "E"}


def heading_id(title: str, kind: str, words: dict[str, Any]) -> tuple[str, str] | None:
    """("T-3", "title") for a heading that carries the id of a *kind* ("threat", "control", "asset",
    "component"): "Threat ID 3 - title", "[T-01] title", "T-01: title" (a prefix of *words*, the importer's
    words); the title may be empty. None otherwise, and for an appendix's numbering ("C.2 Privacy matrix").
    Read alike in Markdown and in Word headings."""
    from mdptm.importers.tabular.vocab import norm_text, one_line

    title = _BRACKETED_ID.sub(r"\1 ", title)  # "[T-01] Private key compromise", "(T-01) ..."
    m = _HEADING_ID.match(title)
    if m and norm_text(m.group("word")) in {norm_text(str(x)) for x in words[f"{kind}_words"]}:
        word = m.group("word")
        if len(word) > 1 and word.isupper() and title[m.end("word") : m.end("word") + 1] == "-":
            # "THREAT-001: OAuth Token Theft": an id written whole, as a risk matrix elsewhere cites it ("THREAT-001"),
            # not the word "Threat" before a number ("Threat 1" is T-1)
            return f"{word}-{m.group('num')}{m.group('suffix') or ''}", one_line(m.group("rest"))
        return f"{_ID_PREFIX[kind]}-{m.group('num')}{m.group('suffix') or ''}", one_line(m.group("rest"))
    p = _PREFIX_ID.match(title)
    if p and len(p.group("pre")) == 1 and title[p.end("pre") : p.end("pre") + 1] == ".":
        return None  # "C.2 LINDDUN Privacy Matrix", "A.1 Scope": an appendix's numbering, not an id
    if p and p.group("pre") in {str(x) for x in words.get(f"{kind}_prefixes", [])}:
        return title[p.start("pre") : p.end("num")].strip(), one_line(p.group("rest"))
    return None


# a qualifier in brackets closing a label: "Residual Risk (Phase 2)"
_QUALIFIER = re.compile(r"\s*\([^()]{1,40}\)\s*$")
# the nouns that name a measure at the end of a longer label ("Phase 2 Mitigation"; not "Security Controls", a heading)
_MEASURE_NOUNS = frozenset({"mitigation", "mitigations", "countermeasure", "countermeasures"})
_PHASE = re.compile(r"\bphase\s*(\d+)\b", re.I)
_PRODUCT = re.compile(r"[A-Z][A-Z0-9]{1,11}")  # "SMAOS": a product's name in capitals


def qualified_label(text: str, lookup: Callable[[str], str | None], measure: str) -> str | None:
    """The field a label names once its qualifier is set aside, for a label no word list has whole: "Residual Risk
    (Phase 2)" is the residual risk; "SMAOS Mitigation (Phase 1)", "Phase 2 Mitigation" are mitigations (*measure*,
    the field *lookup* gives "mitigation"), named after a product or a phase. "Future Mitigation" names neither: it
    is never read as a measure in place. Read alike in Markdown and in Word."""
    from mdptm.importers.tabular.vocab import norm_text

    raw = text.rstrip(":：").strip()
    if not raw:
        return None
    base = norm_text(_QUALIFIER.sub("", raw))
    if base != norm_text(raw) and (hit := lookup(base)) is not None:
        return hit
    words = base.split()
    named = _PHASE.search(raw) is not None or _PRODUCT.fullmatch(raw.split()[0]) is not None
    if 2 <= len(words) <= 4 and words[-1] in _MEASURE_NOUNS and lookup(words[-1]) == measure and named:
        return measure
    return None


def label_phases(parts: list[tuple[str, str]]) -> list[tuple[str, str, str]] | None:
    """(label, text, status) for mitigations written under labels of two phases or more ("SMAOS Mitigation (Phase
    1)" then "Phase 2 Mitigation"): the first phase's measure as any mitigation, a later phase's planned (not in
    place yet); a label of a phase after the first alone is planned too. None unless every part's label names a
    phase."""
    numbers = [_PHASE.search(label) for label, _text in parts]
    if not parts or any(n is None for n in numbers):
        return None
    phases = [int(n.group(1)) for n in numbers if n is not None]
    if len(parts) == 1 and phases[0] > 1:
        return [(parts[0][0], parts[0][1], "planned")]  # "Phase 2 Mitigation" alone: a later phase, not in place yet
    if len(set(phases)) < 2:
        return None
    first = min(phases)
    return [(label, text, "planned" if n > first else "") for (label, text), n in zip(parts, phases, strict=True)]
