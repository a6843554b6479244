"""STRIDE categories named by a heading, caption, sheet name, list item, header or cell. One reader of such
names for Word, Excel, Markdown and lists, so every format recognises the same category words."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mdptm.importers.tabular.grid import Block, Column, Grid, RowRecord
from mdptm.importers.tabular.vocab import (
    Vocabulary,
    clean_text,
    is_empty,
    match_header,
    norm_text,
    one_line,
    parse_stride,
    stride_letters_only,
)

if TYPE_CHECKING:
    from mdptm.importers.tabular.records import SourceBuilder


def _stride_cell(vocab: Vocabulary, text: str) -> bool:
    """A cell that is nothing but STRIDE categories: letters ("S", "TRID", "T, I") or category names."""
    compact = re.sub(r"[\s,/;&+|]", "", text)
    if 0 < len(compact) <= 6 and compact.isupper() and all(ch.lower() in vocab.stride_letters for ch in compact):
        return True
    parts = [p.strip() for p in re.split(r"[,/;&+\n]", text) if p.strip()]
    return bool(parts) and all(_stride_header(vocab, p) for p in parts)


def _stride_definitions(g: Grid, block: Block, vocab: Vocabulary) -> bool:
    """The title (or first) column holds nothing but STRIDE category names: a definitions table."""
    col = next((c for c in block.columns if c.field == "title"), block.columns[0] if block.columns else None)
    if col is None:
        return False
    values = [one_line(g.data_text(r, col.index)) for r in block.rows]
    values = [v for v in values if v]
    if not (len(values) >= 3 and all(_stride_header(vocab, v) for v in values)):
        return False
    return not _stride_rows_of_threats(g, block)


def _stride_rows_of_threats(g: Grid, block: Block) -> bool:
    """One threat per category row: beside the category, a column that says how the attack goes ("Vector")
    and a mitigation column, filled on most rows. A column that defines the category ("Description",
    "Question": ``matrix_not_components`` in markdown.yaml) makes it a table of definitions after all."""
    from mdptm.importers.markdown.words import markdown_words

    defining = {norm_text(str(w)) for w in markdown_words()["matrix_not_components"]}

    def filled(col: Column) -> bool:
        return sum(1 for r in block.rows if one_line(g.data_text(r, col.index))) * 2 > len(block.rows)

    text = [c for c in block.columns if c.field in ("description", "title") and filled(c)]
    mitigated = any(c.field == "controls" and filled(c) for c in block.columns)
    return mitigated and bool(text) and not any(norm_text(c.header) in defining for c in text)


def _stride_header(vocab: Vocabulary, header: str) -> str | None:
    head = header.strip()
    if len(head) == 1:
        return vocab.stride_letters.get(head.lower())
    return vocab.stride_words.exact(head) if len(head) >= 3 else None  # "DoS", "EoP" are names


def _stride_matrix(columns: list[Column], vocab: Vocabulary) -> None:
    """STRIDE as a matrix: one column per category ("S | T | R | I | D | E") marked with X or Yes."""
    marks = [c for c in columns if c.field is None and c.header and _stride_header(vocab, c.header)]
    if len(marks) < 3:
        return
    for col in marks:
        col.field = f"stride:{_stride_header(vocab, col.header)}"


_LETTER_LEAD = re.compile(r"^\s*([A-Za-z])\s*[-–—:.)]\s*")  # "S — Spoofing", "T) Tampering"
_LETTER_BRACKET = re.compile(r"\(\s*[A-Za-z]\s*\)")  # "Spoofing (S)"
_ANY_BRACKET = re.compile(r"\([^)]*\)|\[[^\]]*\]")  # "Denial of Service (DoS)"
_NUMBERING = re.compile(r"^[\d.\s]+")


def stride_default(vocab: Vocabulary, text: str, *, names_only: bool = False, max_words: int = 4) -> str | None:
    """The STRIDE category a heading, caption, sheet name or list item names, and nothing else
    ("4.2 Tampering Threats", "S — Spoofing", "Denial of Service (DoS)"). The one reader of such names for
    Word, Excel, Markdown and lists; with *names_only* only the full names of ``stride.yaml`` count (what
    makes a heading a category of listed threats)."""
    noise = set(vocab.sections.get("stride_heading_noise", [])) - {"of"}
    table = vocab.stride_names if names_only else vocab.stride_words
    numbered = _NUMBERING.sub("", text)
    lead = _LETTER_LEAD.match(text)
    unlettered = text[lead.end() :] if lead and stride_letters_only(vocab, lead.group(1)) else text
    for cleaned in (_LETTER_BRACKET.sub(" ", numbered), _NUMBERING.sub("", _ANY_BRACKET.sub(" ", unlettered))):
        words = [w for w in norm_text(cleaned).split() if w not in noise and not w.isdigit()]
        if not words or len(words) > max_words:
            continue
        phrase = " ".join(words)
        hit = table.exact(phrase) if len(phrase) >= 3 else None
        if hit is not None:
            return hit
    return None


def read_stride_matrix(grid: Grid, vocab: Vocabulary, builder: SourceBuilder, file: str) -> bool:
    """A STRIDE x component matrix (STRIDE categories down the first column, components across the header,
    or the transpose): every filled cell is one threat on that component in that category. False (nothing
    read) for any other table."""
    from mdptm.importers.markdown.words import markdown_words

    cells = grid.cells
    if len(cells) < 3 or grid.width < 2:
        return False

    def category(text: str) -> str | None:
        if re.search(r"\d", text):
            return None  # "S-01", "T1": an id that starts with a STRIDE letter, not a category
        got = parse_stride(vocab, text)
        return got.value[0] if got.ok and got.value and len(got.value) == 1 and len(text.split()) <= 4 else None

    not_components = {norm_text(str(w)) for w in markdown_words()["matrix_not_components"]}
    for h in cells[0][1:]:
        m = match_header(vocab, "threat", h)
        if m is not None and getattr(m, "exact", False):
            return False  # "| STRIDE | Threat | Mitigation |": a register whose rows start with a category
        if norm_text(h) in not_components:
            return False  # "| Threat | Violates | Question |": definitions of the categories
    down = [category(cells[r][0]) for r in range(1, len(cells))]
    across = [category(cells[0][c]) for c in range(1, grid.width)]
    if sum(x is not None for x in down) >= 4 and all(x is not None for x in down):
        pairs = [(r, c, str(down[r - 1]), cells[0][c]) for r in range(1, len(cells)) for c in range(1, grid.width)]
    elif sum(x is not None for x in across) >= 4 and all(x is not None for x in across):
        pairs = [(r, c, str(across[c - 1]), cells[r][0]) for r in range(1, len(cells)) for c in range(1, grid.width)]
    else:
        return False
    if any(not one_line(name) for _r, _c, _s, name in pairs):
        return False  # a component without a name: not a matrix this reader understands
    builder.report.skipped(file, grid.locator(0), "header row of a STRIDE x component matrix")
    builder.warn(grid.locator(0), "STRIDE x component matrix: each filled cell read as one threat on its component")
    for r, c, stride, name in pairs:
        text = clean_text(cells[r][c])
        where = f"{grid.locator(r)} column {c + 1}"
        if not text or is_empty(vocab, text):
            builder.report.skipped(file, where, "empty cell of a STRIDE x component matrix")
            continue
        from mdptm.importers.tabular.records import first_sentence

        rec = RowRecord(
            kind="threat",
            file=file,
            locator=where,
            values={"title": first_sentence(text), "description": text, "stride": stride, "targets": one_line(name)},
            headers={"title": "cell", "description": "cell", "stride": "row", "targets": "column"},
            extra={},
            view=grid.view,
        )
        builder.records.append(rec)
    return True
