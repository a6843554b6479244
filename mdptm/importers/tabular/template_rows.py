"""A template's example row: cells that describe their column instead of giving a value.

Threat-model templates ship with a row such as ``1 | Description | S/T/R/I/D/E | Affected component |
Critical/High/Medium/Low``; a device maker who fills in the rows below may leave it. Such a row is no
threat (SPEC: a row that is not a threat never becomes one). A cell counts as describing its column when
it repeats its column's header or another name of its field ("Affected component") or offers a choice of values
("Critical/High/Medium/Low", every STRIDE letter); two such cells in one row make it a template row.
"""

from __future__ import annotations

import re

from mdptm.importers.tabular.grid import RowRecord
from mdptm.importers.tabular.vocab import Vocabulary, norm_text

_CHOICE_SPLIT = re.compile(r"\s*[/|]\s*")
_CHOICE_TABLES = ("risk_level", "threat_status", "control_status", "boolean", "patient_harm")
MIN_DESCRIBING_CELLS = 2


_LONGEST = 80  # a longer cell neither echoes a header (at most 40) nor offers a choice (at most 80)
_CACHE_MAX = 65_536  # distinct cells remembered per column: a hostile file may hold any number


def template_row_reason(vocab: Vocabulary, rec: RowRecord) -> str | None:
    """Why *rec* is a template's example row, or None when it is not one.

    Whether a cell describes its column depends only on its text, its field and header and the
    table's kind: the answer is kept per column and distinct text (a register repeats its values).
    """
    said: list[str] = []
    columns = vocab.template_cache
    headers = rec.headers
    for fname, value in rec.values.items():
        text = value.strip()
        if not text or fname == "id" or len(text) > _LONGEST:
            continue
        column = (rec.kind, fname, headers.get(fname, ""))
        seen = columns.get(column)
        if seen is None:
            seen = columns[column] = {}
        hit = seen.get(text)
        if hit is None:
            hit = _echoes_header(vocab, rec, fname, text) or _offers_choice(vocab, text)
            if len(seen) < _CACHE_MAX:
                seen[text] = hit
        if hit:
            said.append(text)
    for header, value in rec.extra.items():
        text = value.strip()
        if text and (norm_text(text) == norm_text(header) or _offers_choice(vocab, text)):
            said.append(text)
    if len(said) < MIN_DESCRIBING_CELLS:
        return None
    shown = ", ".join(repr(s) for s in said[:3])
    return f"template row: its cells describe their columns ({shown}), they give no {rec.kind.replace('_', ' ')}"


def _echoes_header(vocab: Vocabulary, rec: RowRecord, fname: str, text: str) -> bool:
    """The cell repeats its own header, or another header word of its own field ("Affected component"
    in the Component column). A header word of another field is no echo: "No" names the id column but is
    a multi-patient answer, "Public" a sensitivity."""
    if len(text) > 40:
        return False
    if norm_text(text) == norm_text(rec.headers.get(fname, "")):
        return True
    spec = vocab.kinds.get(rec.kind)
    return spec is not None and spec.exact.get(norm_text(text)) == fname


def _offers_choice(vocab: Vocabulary, text: str) -> bool:
    """ "Critical/High/Medium/Low", "Yes/No/Partial", "S/T/R/I/D/E": the values to choose from, not one."""
    if "/" not in text and "|" not in text:  # most cells: no menu to look at
        return False
    parts = [p for p in _CHOICE_SPLIT.split(text) if p]
    if len(parts) < 2 or len(text) > 80:
        return False
    letters = {vocab.stride_letters.get(p.lower()) for p in parts}
    if None not in letters and len(letters) == len(vocab.stride_letters) == len(parts):
        return True  # every STRIDE letter, once each
    for name in _CHOICE_TABLES:
        table = vocab.tables[name]
        values = [table.exact(p) for p in parts]
        if None not in values and len(set(values)) == len(parts) and len(parts) >= (2 if name == "boolean" else 3):
            return True
    return False
