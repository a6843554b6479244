"""Tables that define a rating scale ("Level | Description | Examples": "1 - Negligible" … "5 - Catastrophic"):
the levels a register's ratings are read against, never rows of threats."""

from __future__ import annotations

import re

from mdptm.importers.tabular.vocab import Vocabulary, norm_text

# "1 - Negligible", "A - Rare", "(3) Moderate", "Possible (C)": a level of a rating with the number or letter it
# is ranked by
_RANK_PREFIX = re.compile(r"^\s*(?:\(?\s*(?:\d{1,2}|[A-Ea-e])\s*\)?\s*[-–—.:)]\s*|\(\s*(?:\d{1,2}|[A-Ea-e])\s*\)\s*)")
_RANK_SUFFIX = re.compile(r"\s*[(\[]\s*(?:\d{1,2}|[A-Ea-e])\s*[)\]]\s*$")
# what the first column of a rating scale is headed
_SCALE_HEADS = frozenset(
    {
        *("level", "levels", "rating", "ratings", "rank", "grade", "value", "score"),
        *("likelihood", "probability", "severity", "impact", "consequence", "category", "class"),
    }
)


def rating_level(vocab: Vocabulary, text: str) -> str | None:
    """The level a cell names and nothing else ("4 - Serious", "Almost certain", "High (4)"): its word as the
    likelihood, severity or risk-level tables know it; None for any other text."""
    words = _RANK_SUFFIX.sub("", _RANK_PREFIX.sub("", text)).strip()
    if not words or len(words.split()) > 3:
        return None
    for table in (vocab.likelihood_words, vocab.severity_words):
        if table.exact(words) is not None:
            return words
    return words if vocab.tables["risk_level"].exact(words) is not None else None


def scale_definition(vocab: Vocabulary, header: str, values: list[str]) -> bool:
    """A rating scale written as a table: its first column is headed as a scale ("Level", "Rating") and each of
    its three or more rows names one level of a rating, each a different one ("1 - Negligible", "2 - Minor" …;
    "A - Rare" … "E - Almost certain")."""
    if not set(norm_text(header).split()) & _SCALE_HEADS or len(values) < 3:
        return False
    levels = [rating_level(vocab, v) for v in values]
    if any(lv is None for lv in levels):
        return False
    return len({norm_text(lv or "") for lv in levels}) == len(levels)


# A caption over a table of controls that says what was done with all of them.
_CAPTION_PLANNED = re.compile(
    r"\b(?:not(?:\s+yet)?\s+implemented|recommended|planned|proposed|to\s+be\s+implemented|future|outstanding|open)\b", re.I
)
_CAPTION_NOT_DONE = re.compile(r"\bnot(?:\s+yet)?\s+(?:implemented|in\s+place|deployed)\b", re.I)
_CAPTION_DONE = re.compile(r"^\s*(?:implemented|in\s+place|existing|current|deployed)\b", re.I)


def caption_status(text: str) -> str | None:
    """The status a caption says of every control under it: "planned" for "Recommended but not implemented",
    "Planned mitigations"; "implemented" for "Implemented in this lab", "Existing controls"; None otherwise."""
    if not text or len(text.split()) > 20:
        return None
    if _CAPTION_NOT_DONE.search(text):
        return "planned"
    if _CAPTION_DONE.search(text):  # "Implemented (as recommended by IEC 62443)": what it opens with
        return "implemented"
    return "planned" if _CAPTION_PLANNED.search(text) else None


_GUIDE_KEYS = frozenset({"column", "columns", "column name", "column header", "column heading", "field name", "heading", "header"})
_GUIDE_VALUES = frozenset({"description", "meaning", "definition", "explanation", "guidance", "what to enter", "purpose", "how to fill"})


def column_guide(header: list[str]) -> bool:
    """A two-column table headed "Column | Description" (a reading guide, a data dictionary): each row says what
    a column of the register means ("Risk ID | Unique identifier for tracking"), it is no record of it."""
    cells = [norm_text(h) for h in header if h.strip()]
    return len(cells) == 2 and cells[0] in _GUIDE_KEYS and cells[1] in _GUIDE_VALUES
