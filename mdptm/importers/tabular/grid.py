"""The shapes the table readers share: a :class:`Grid` of cell texts from one sheet, Word table or CSV file
(with its hidden rows and columns, merged cells, comments and tracked-change deletions), the :class:`Block`
found in it, and the :class:`RowRecord` or :class:`RowNote` each of its rows becomes. Kept apart so every
reader and step can name them without importing how tables are found."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from mdptm.importers.tabular.vocab import (
    HeaderMatch,
)


def col_letter(n: int) -> str:
    """1 → A, 27 → AA."""
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


# An HTML link written into a cell ("Refer: <a href="https://…">https://…</a>", as the Threat Modeling Tool's CSV
# export writes its mitigations): only links are rewritten, other angle brackets ("<script>" in a threat) are text
_LINK = re.compile(r"<a\s[^<>]*?href\s*=\s*[\"']?([^\"'\s<>]*)[\"']?[^<>]*>(.*?)</a\s*>", re.I | re.S)


def link_text(cell: str) -> str:
    """A cell with its HTML links as text: the words of the link, with its address in brackets where they differ."""

    def text(m: re.Match[str]) -> str:
        url, words = m.group(1).strip(), " ".join(m.group(2).split())
        if not words or words == url:
            return url or words
        return f"{words} ({url})" if url else words

    return _LINK.sub(text, cell)


@dataclass
class Grid:
    """A rectangle of cell texts from one sheet, Word table or CSV file."""

    file: str
    name: str  # sheet name, "table 3" for Word, "" for CSV
    style: Literal["sheet", "table"]
    cells: list[list[str]]
    row_numbers: list[int] = field(default_factory=list)  # source row number of each grid row
    first_col: int = 1  # source column number of grid column 0
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    merged: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # cell -> anchor of its range
    comments: dict[tuple[int, int], list[str]] = field(default_factory=dict)
    deleted_rows: set[int] = field(default_factory=set)
    context: str = ""  # sheet name, heading and caption around a Word table
    view: str | None = None  # the view a Word table sits under
    hidden: bool = False  # a hidden sheet
    unseen: list[tuple[str, str]] = field(default_factory=list)  # (cell, why) of values no reader sees: not read
    unit: Literal["row", "column"] = "row"  # what one record is, for Word locators
    defaults: dict[str, str] = field(default_factory=dict)  # field -> value for rows with no such column
    heading: str = ""  # the nearest heading and caption of a Word table (the context without outer sections)

    def __post_init__(self) -> None:
        width = max((len(r) for r in self.cells), default=0)
        for row in self.cells:
            if len(row) < width:
                row.extend([""] * (width - len(row)))
            for i, cell in enumerate(row):
                if "</a>" in cell or "</A>" in cell:
                    row[i] = link_text(cell)
        if not self.row_numbers:
            self.row_numbers = list(range(1, len(self.cells) + 1))

    @property
    def width(self) -> int:
        return len(self.cells[0]) if self.cells else 0

    def raw(self, r: int, c: int) -> str:
        return self.cells[r][c]

    def header_text(self, r: int, c: int) -> str:
        """A header cell, with merged ranges filled across and down."""
        anchor = self.merged.get((r, c))
        if anchor is not None:
            return self.cells[anchor[0]][anchor[1]]
        return self.cells[r][c]

    def data_text(self, r: int, c: int) -> str:
        """A data cell; a vertical merge repeats its value down, a horizontal one does not."""
        anchor = self.merged.get((r, c))
        if anchor is not None:
            return self.cells[anchor[0]][anchor[1]] if anchor[1] == c else ""
        return self.cells[r][c]

    def distinct_cells(self, r: int, c0: int = 0, c1: int | None = None) -> list[str]:
        """The filled cells of row *r* between columns *c0* and *c1*, a merged range counted once."""
        out: list[str] = []
        last = None
        for c in range(c0, (self.width - 1 if c1 is None else c1) + 1):
            anchor = self.merged.get((r, c), (r, c))
            if anchor == last:
                continue
            last = anchor
            v = self.header_text(r, c).strip()
            if v:
                out.append(v)
        return out

    def col_name(self, c: int) -> str:
        return col_letter(self.first_col + c)

    def locator(self, r: int, c: int = 0) -> str:
        """``Sheet!B12`` for sheets, ``table 3 row 5`` for Word tables, ``B12`` for CSV."""
        if self.style == "table":
            return f"{self.name} {self.unit} {self.row_numbers[r]}"
        ref = f"{self.col_name(c)}{self.row_numbers[r]}"
        return f"{self.name}!{ref}" if self.name else ref

    def row_blank(self, r: int, c0: int = 0, c1: int | None = None) -> bool:
        row = self.cells[r]
        return not any(v.strip() for v in row[c0 : (c1 if c1 is not None else len(row)) + 1])


@dataclass
class Column:
    index: int
    header: str
    field: str | None
    hidden: bool = False
    scale: int | None = None
    scale_inferred: bool = False  # the scale was worked out from the table's values, not stated ("Total" of DREAD factors)


@dataclass
class Block:
    """One table found in a grid: its kind, columns and data rows."""

    grid: Grid
    kind: str  # a kind of the vocabulary, "facts", or "skip"
    label: str
    header_rows: list[int]
    columns: list[Column]
    rows: list[int] = field(default_factory=list)
    c0: int = 0
    c1: int = 0
    reason: str | None = None  # for skipped tables
    defaults: dict[str, str] = field(default_factory=dict)  # from a caption row above it ("Spoofing threats")
    caption: str = ""
    title: str = ""  # a one-cell row just above the header ("Auth Service"), whatever it says
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (locator, message) for the import report
    confidence: str = "high"  # high, medium or low: how sure the reading is (``mdptm inspect``)
    score: float = 0.0
    origin: int = -1  # the grid row a profile's header_row names to read this table again (-1: its first)
    fallback: str = ""  # a skipped summary table: the kind it is read as when its source has no other one


@dataclass
class RowRecord:
    """One data row: raw values by field, unmapped columns by header, where it came from."""

    kind: str
    file: str
    locator: str
    values: dict[str, str]
    headers: dict[str, str]  # field -> header text, for messages and extra
    extra: dict[str, str]
    comments: list[str] = field(default_factory=list)
    hidden: bool = False
    group: str | None = None
    view: str | None = None
    scales: dict[str, int | None] = field(default_factory=dict)
    # the risk fields whose scale was inferred from the values of the table (no header states one): "5x5 (inferred)"
    inferred_scales: frozenset[str] = frozenset()
    joined: list[str] = field(default_factory=list)  # locators of rows under merged cells that joined this one
    # a control written right under its one threat ("Mitigation: …" under "Threat: …"): its own, never joined by its
    # words to another threat's control of the same text (as a Markdown threat block's mitigation is its own)
    own: bool = False
    # mitigations of the rows that joined this one, one control each: (field, text, header, locator)
    more_controls: list[tuple[str, str, str, str]] = field(default_factory=list)


@dataclass
class RowNote:
    """A row that is not a record: skipped with a reason, or a product/document fact."""

    file: str
    locator: str
    reason: str
    fact: tuple[str, str] | None = None  # (fact path, value)


@dataclass
class Classified:
    kind: str
    score: float
    fields: dict[int, HeaderMatch]
    matched: int
    skipped: bool = False
    over: str | None = None  # the kind the heading named first, too weak to be items: this one was read instead
