"""Grids of cells → tables → row records, whatever the layout (SPEC §3).

Word tables, Excel sheets and CSV files all arrive here as a :class:`Grid` of cell texts with what the
reader knows about it (hidden rows and columns, merged cells, comments, tracked-change deletions). This
module finds the tables in it: header rows found by scoring synonym hits (not assumed to be row 1),
title and caption rows above them, several tables stacked or side by side, two-level headers under
merged cells, key/value tables, and one-record-per-column tables. Each data row becomes a
:class:`RowRecord` of raw field values plus the columns that have no field (kept for ``extra``).
Every row with content ends up either in a record or in a :class:`RowNote` that says why it was skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mdptm.base.data import JSONObject
from mdptm.errors import InputError
from mdptm.importers.tabular.vocab import (
    HeaderMatch,
    Vocabulary,
    fact_key,
    header_forms,
    is_empty,
    match_header,
    norm_text,
    one_line,
    ordinal,
    parse_risk,
    scale_hint,
    skipped_hits,
    stride_letters_only,
    with_synonyms,
)


def col_letter(n: int) -> str:
    """1 → A, 27 → AA."""
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


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
    unit: Literal["row", "column"] = "row"  # what one record is, for Word locators
    defaults: dict[str, str] = field(default_factory=dict)  # field -> value for rows with no such column
    heading: str = ""  # the nearest heading and caption of a Word table (the context without outer sections)

    def __post_init__(self) -> None:
        width = max((len(r) for r in self.cells), default=0)
        for row in self.cells:
            if len(row) < width:
                row.extend([""] * (width - len(row)))
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
    joined: list[str] = field(default_factory=list)  # locators of rows under merged cells that joined this one


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


# ----------------------------------------------------------------------------------- profiles


class TableProfile(BaseModel):
    """How to read one sheet or Word table when the heuristics cannot."""

    model_config = ConfigDict(extra="forbid")
    kind: str | None = None  # threat, control, element, flow, asset, trust_zone, assumption, out_of_scope, skip
    header_row: int | None = Field(default=None, ge=1)
    columns: dict[str, str] = Field(default_factory=dict)  # header text or column letter -> field, or "extra"
    # Several tables stacked in one sheet, each pinned by its own kind, header_row and columns.
    tables: list[TableProfile] = Field(default_factory=list)
    # The column span of one of several tables side by side on one header row ("A", "F").
    first_column: str | None = Field(default=None, pattern=r"^[A-Z]{1,3}$")
    last_column: str | None = Field(default=None, pattern=r"^[A-Z]{1,3}$")


class Profile(BaseModel):
    """``--profile PROFILE.yaml``: forced sheet/table and column → field mappings."""

    model_config = ConfigDict(extra="forbid")
    synonyms: dict[str, list[str]] = Field(default_factory=dict)  # "threat.title": ["What could happen"]
    sheets: dict[str, TableProfile] = Field(default_factory=dict)
    tables: dict[str, TableProfile] = Field(default_factory=dict)

    @field_validator("sheets", "tables", mode="before")
    @classmethod
    def _skip_shorthand(cls, v: object) -> object:
        if isinstance(v, dict):
            return {str(k): ({"kind": "skip"} if val == "skip" else val) for k, val in v.items()}
        return v

    def for_grid(self, grid: Grid) -> TableProfile | None:
        if grid.style == "table":
            number = grid.name.removeprefix("table ").strip()
            for key in (grid.name, number):
                if key in self.tables:
                    return self.tables[key]
            return None
        for key, prof in self.sheets.items():
            if key == grid.name or key.casefold() == grid.name.casefold():
                return prof
            if not grid.name and key.casefold() == grid.context.casefold():
                return prof  # a CSV file, named by its file name without extension
        return self.sheets.get("*")


def load_profile(data: JSONObject | None, vocab: Vocabulary, file: str = "profile") -> Profile | None:
    """Validate a profile mapping; unknown kinds and fields are input errors naming their place."""
    if data is None:
        return None
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = "/".join(str(p) for p in err["loc"])
        raise InputError(f"profile: {err['msg']}", file=file, locator=loc) from None
    for where, tables in (("sheets", profile.sheets), ("tables", profile.tables)):
        flat = [(name, tp) for name, tp in tables.items()]
        flat += [(f"{name}/tables/{n}", sub) for name, tp in tables.items() for n, sub in enumerate(tp.tables)]
        for name, tp in flat:
            if tp.kind is not None and tp.kind != "skip" and tp.kind not in vocab.kinds:
                known = ", ".join([*vocab.kinds, "skip"])
                raise InputError(f"profile: unknown kind {tp.kind!r} (known: {known})", file=file, locator=f"{where}/{name}")
            kind = tp.kind if tp.kind in vocab.kinds else None
            for col, fname in tp.columns.items():
                if fname == "extra":
                    continue
                kinds = [kind] if kind else list(vocab.kinds)
                if not any(fname in vocab.kinds[k].fields for k in kinds):
                    raise InputError(
                        f"profile: {fname!r} is not a field of {kind or 'any table kind'}",
                        file=file,
                        locator=f"{where}/{name}/columns/{col}",
                    )
    for path in profile.synonyms:
        kind, _, fname = path.partition(".")
        if kind not in vocab.kinds or fname not in vocab.kinds[kind].fields:
            raise InputError(f"profile: unknown field {path!r} (write kind.field)", file=file, locator=f"synonyms/{path}")
    return profile


def profile_vocabulary(vocab: Vocabulary, profile: Profile) -> Vocabulary:
    """The vocabulary plus the header texts a profile names, so its tables are found by their headers."""
    additions: dict[tuple[str, str], list[str]] = {}
    for path, words in profile.synonyms.items():
        kind, _, fname = path.partition(".")
        additions.setdefault((kind, fname), []).extend(words)
    every = [*profile.sheets.values(), *profile.tables.values()]
    for tp in [*every, *(sub for top in every for sub in top.tables)]:
        kinds = [tp.kind] if tp.kind in vocab.kinds else list(vocab.kinds)
        for header, fname in tp.columns.items():
            if fname == "extra" or re.fullmatch(r"[A-Z]{1,3}", header):
                continue
            for kind in kinds:
                if fname in vocab.kinds[kind].fields:
                    additions.setdefault((kind, fname), []).append(header)
    return with_synonyms(vocab, additions)


# ------------------------------------------------------------------------------ classification


def classify(vocab: Vocabulary, headers: list[str], context: str = "", only: str | None = None) -> Classified | None:
    """The table kind a header row names, or None when it is not a header row."""
    nonempty = [(i, h) for i, h in enumerate(headers) if h.strip()]
    if not nonempty:
        return None
    ctx_words = norm_text(context).split()
    results: list[Classified] = []
    # "Document Title" is a references-table word: it is no partial hit for a threat's "title".
    non_content = {i for i, h in nonempty if skipped_hits(vocab, h)}
    for kind, spec in vocab.kinds.items():
        if only is not None and kind != only:
            continue
        cands = []
        for i, h in nonempty:
            m = match_header(vocab, kind, h)
            if m is not None and (m.exact or i not in non_content):
                cands.append((m.exact, m.score, -i, i, m))
        cands.sort(reverse=True)
        used: set[str] = set()
        fields: dict[int, HeaderMatch] = {}
        score = 0.0
        for _e, _s, _n, i, m in cands:
            if m.field in used:
                continue
            used.add(m.field)
            fields[i] = m
            score += spec.fields[m.field].weight * (1.0 if m.exact else 0.7)
        matched = len(fields)
        if kind == "threat" and "stride" not in used:
            matrix = [i for i, h in nonempty if i not in fields and _stride_header(vocab, h)]
            if len(matrix) >= 3:  # one column per STRIDE category
                score += spec.fields["stride"].weight
                matched += len(matrix)
        if not any(spec.fields[m.field].key for m in fields.values()):
            continue
        if any(w.startswith(c) for c in spec.context for w in ctx_words):
            score += 2.5
        if _names_other_kind(vocab, kind, [headers[i] for i, m in fields.items() if spec.fields[m.field].key]):
            score -= 3  # "Asset Name" is the name of an asset, not of a component
        results.append(Classified(kind, score, fields, matched))
    if only is None:
        per_header = [skipped_hits(vocab, h) for _i, h in nonempty]
        for name in {n for hit in per_header for n in hit}:
            hits = sum(hit.get(name, 0) for hit in per_header)
            if hits >= 2 and hits * 2 >= len(nonempty):
                results.append(Classified(name, hits * 1.5, {}, hits, skipped=True))
    if not results:
        return None
    results.sort(key=lambda c: -c.score)  # stable: the vocabulary's kind order breaks ties
    best = results[0]
    if best.skipped:
        return best
    need = min(2, len(nonempty))
    wide = best.matched >= 5 and best.score >= 10  # a 34-column register: unknown columns go to extra
    if best.matched < need or best.score < (2 if only else 3) or (best.matched * 3 < len(nonempty) and not wide):
        return None
    return best


def _names_other_kind(vocab: Vocabulary, kind: str, headers: list[str]) -> bool:
    """A key column whose header names another kind ("Asset Name", "Threat ID") and not this one."""
    own = vocab.kinds[kind].context
    for h in headers:
        words = norm_text(h).split()
        if any(w.startswith(c) for c in own for w in words):
            continue
        for other, spec in vocab.kinds.items():
            if other != kind and any(w == c or w == c + "s" for c in spec.context if len(c) > 3 for w in words):
                return True
    return False


def _is_kv_header(vocab: Vocabulary, headers: list[str]) -> bool:
    vals = [norm_text(h) for h in headers if h.strip()]
    return len(vals) == 2 and vals[0] in vocab.key_value_keys and vals[1] in vocab.key_value_values


# -------------------------------------------------------------------------------- block finding


@dataclass
class _Candidate:
    row: int
    c0: int
    c1: int
    cls: Classified
    header_rows: list[int]
    headers: list[str]  # per column c0..c1
    origin: int = -1  # the row the header was found from, when its group row lies above
    forced: dict[str, str] | None = None  # the columns a profile pins for this table


class TableFinder:
    """Finds the tables of one grid and turns their rows into records and notes."""

    def __init__(self, grid: Grid, vocab: Vocabulary, profile: Profile | None = None):
        self.grid = grid
        self.vocab = vocab
        self.profile = profile.for_grid(grid) if profile else None
        self.blocks: list[Block] = []
        self.notes: list[RowNote] = []
        self.warnings: list[tuple[str, str]] = []  # (locator, message)
        self._exact_cache: dict[str, bool] = {}
        self._all_exact: set[str] = set()
        for spec in vocab.kinds.values():
            self._all_exact.update(spec.exact)
        for _label, syns in vocab.skipped.values():
            self._all_exact.update(syns)

    # -- public

    def run(self) -> tuple[list[Block], list[RowNote]]:
        g = self.grid
        if not g.cells:
            return [], []
        if self.profile is not None and self.profile.kind == "skip":
            for r in range(len(g.cells)):
                if not g.row_blank(r):
                    self.notes.append(RowNote(g.file, g.locator(r), "skipped by the profile"))
            return [], self.notes
        if self.profile and self.profile.tables:
            cands = [c for sub in self.profile.tables for c in self._forced_candidate(sub)]
        elif self.profile and self.profile.header_row:
            cands = self._forced_candidate(self.profile)
        else:
            cands = self._find_candidates()
        if not cands and g.style == "table":
            if self._form_first() and self._transposed():
                return self.blocks, self.notes
            if self._kv_table():
                return self.blocks, self.notes
            if self._transposed():
                return self.blocks, self.notes
        self._assemble(cands)
        return self.blocks, self.notes

    # -- candidates

    def _is_exact(self, text: str) -> bool:
        hit = self._exact_cache.get(text)
        if hit is None:
            hit = len(text) <= 60 and any(f in self._all_exact for f in header_forms(text))
            if len(self._exact_cache) < 500_000:
                self._exact_cache[text] = hit
        return hit

    def _segments(self, r: int) -> list[tuple[int, int]]:
        g = self.grid
        segs: list[tuple[int, int]] = []
        start = None
        for c in range(g.width):
            filled = bool(g.header_text(r, c).strip())
            if filled and start is None:
                start = c
            elif not filled and start is not None:
                segs.append((start, c - 1))
                start = None
        if start is not None:
            segs.append((start, g.width - 1))
        return segs

    def _classify_span(self, r: int, c0: int, c1: int, only: str | None = None) -> _Candidate | None:
        g = self.grid
        headers = [one_line(g.header_text(r, c)) for c in range(c0, c1 + 1)]
        header_rows = [r]
        # Two-level header: a merged group cell above sub-headers ("Pre-mitigation risk" over "Likelihood").
        if r + 1 < len(g.cells) and self._has_group_cells(r, c0, c1):
            sub = [one_line(g.cells[r + 1][c]) for c in range(c0, c1 + 1)]
            if any(sub):
                combined = []
                for k, c in enumerate(range(c0, c1 + 1)):
                    top = headers[k]
                    anchor = g.merged.get((r, c), (r, c))
                    spans = any(g.merged.get((r, cc)) == anchor for cc in range(c0, c1 + 1) if cc != c) or any(
                        g.merged.get((r, cc)) == (r, c) for cc in range(c0, c1 + 1) if cc != c
                    )
                    combined.append(f"{top} {sub[k]}".strip() if spans and sub[k] else (sub[k] or top))
                cls2 = classify(self.vocab, combined, self._context(), only)
                if cls2 is not None and not cls2.skipped:
                    # A group cell that is a title ("Threat register" over "Threat | STRIDE"): where the two
                    # words together name no field, the sub-header alone does.
                    plain = [sub[k] or headers[k] for k in range(len(sub))]
                    mixed = [h if match_header(self.vocab, cls2.kind, h) is not None else p for h, p in zip(combined, plain, strict=True)]
                    cls3 = classify(self.vocab, mixed, self._context(), cls2.kind)
                    if cls3 is not None and len(cls3.fields) > len(cls2.fields):
                        return _Candidate(r, c0, c1, cls3, [r, r + 1], mixed)
                    return _Candidate(r, c0, c1, cls2, [r, r + 1], combined)
                plain = [sub[k] or headers[k] for k in range(len(sub))]
                cls4 = classify(self.vocab, plain, self._context(), only) if cls2 is None else None
                if cls4 is not None and not cls4.skipped:
                    return _Candidate(r, c0, c1, cls4, [r, r + 1], plain)
        if _is_kv_header(self.vocab, headers):
            return _Candidate(r, c0, c1, Classified("facts", 10, {}, 2), header_rows, headers)
        if sum(1 for h in headers if h and self._is_exact(h)) < 1:
            return None
        cls = classify(self.vocab, headers, self._context(), only)
        if cls is None:
            return None
        grouped = self._group_row_above(r, c0, c1, headers, cls, only)
        if grouped is not None:
            return grouped
        return _Candidate(r, c0, c1, cls, header_rows, headers)

    def _group_row_above(self, r: int, c0: int, c1: int, headers: list[str], cls: Classified, only: str | None) -> _Candidate | None:
        """Group cells written once above their sub-headers without merging ("Before mitigation" over
        "Likelihood | Impact"): the header is both rows when that names more fields."""
        g = self.grid
        if r == 0 or cls.skipped:
            return None
        above = [one_line(g.header_text(r - 1, c)) for c in range(c0, c1 + 1)]
        filled = [k for k, v in enumerate(above) if v]
        if len(filled) < 2 or len(filled) * 2 > len(above) or any(not headers[k] for k in filled):
            return None
        combined: list[str] = []
        group = ""
        for k, sub in enumerate(headers):
            if above[k]:
                group = above[k]
            elif k and not headers[k - 1]:
                group = ""
            if k < filled[0]:
                group = ""
            both = f"{group} {sub}".strip() if group and sub else sub
            combined.append(both if match_header(self.vocab, cls.kind, both) is not None else sub)
        cls2 = classify(self.vocab, combined, self._context(), only)
        if cls2 is None or cls2.skipped or cls2.kind != cls.kind or len(cls2.fields) <= len(cls.fields):
            return None
        return _Candidate(r - 1, c0, c1, cls2, [r - 1, r], combined, origin=r)

    def _has_group_cells(self, r: int, c0: int, c1: int) -> bool:
        g = self.grid
        return any(g.merged.get((r, c), (None, None))[0] == r and g.merged.get((r, c)) != (r, c) for c in range(c0, c1 + 1))

    def _context(self) -> str:
        return self.grid.context

    def _find_candidates(self) -> list[_Candidate]:
        g = self.grid
        only = self.profile.kind if self.profile and self.profile.kind in self.vocab.kinds else None
        found: list[_Candidate] = []
        active_until: dict[int, int] = {}  # column -> last row of the table currently covering it
        prev_blank = True
        skip_rows: set[int] = set()
        for r in range(len(g.cells)):
            if r in skip_rows:
                continue
            row = g.cells[r]
            if not any(v.strip() for v in row):
                prev_blank = True
                continue
            filled = [v for v in row if v.strip()]
            stride_cols = sum(1 for v in filled if len(v.strip()) == 1 and v.strip().lower() in self.vocab.stride_letters)
            if len(filled) == 2 and _is_kv_header(self.vocab, filled) and not active_until:
                segs0 = self._segments(r)
                cand = self._classify_span(r, segs0[0][0], segs0[-1][1], only) if segs0 else None
                if cand is not None:
                    found.append(cand)
                    for c in range(cand.c0, cand.c1 + 1):
                        active_until[c] = r
                    prev_blank = False
                    continue
            hits = sum(1 for v in filled if self._is_exact(v)) + (stride_cols if stride_cols >= 3 else 0)
            inside = bool(active_until)
            # A header row is mostly header words; inside a table only a clear one (after a gap) starts another.
            if (
                hits == 0
                or (hits * 10 < len(filled) * 3 and hits < 5)
                or (inside and not prev_blank and (hits < 2 or hits * 10 < len(filled) * 6))
            ):
                prev_blank = False
                continue
            segs = self._merge_segments(r, self._segments(r), only)
            for c0, c1, cand in segs:
                if cand is None:
                    continue
                if inside and not prev_blank and not self._strong(cand):
                    continue
                found.append(cand)
                for c in range(c0, c1 + 1):
                    active_until[c] = r
                if len(cand.header_rows) > 1:
                    skip_rows.update(cand.header_rows[1:])
            prev_blank = False
        return found

    def _strong(self, cand: _Candidate) -> bool:
        exact = sum(1 for m in cand.cls.fields.values() if m.exact)
        nonempty = sum(1 for h in cand.headers if h)
        return cand.cls.skipped or (exact >= 2 and exact * 10 >= nonempty * 6)

    def _merge_segments(self, r: int, segs: list[tuple[int, int]], only: str | None) -> list[tuple[int, int, _Candidate | None]]:
        """Classify runs of filled cells; a run that is no table on its own joins the table to its left."""
        out: list[tuple[int, int, _Candidate | None]] = []
        for c0, c1 in segs:
            cand = self._classify_span(r, c0, c1, only)
            if cand is None and out and out[-1][2] is not None and self._belongs_left(r, out[-1], c0, c1):
                p0, _p1, _prev = out[-1]
                joined = self._classify_span(r, p0, c1, only)
                if joined is not None:
                    out[-1] = (p0, c1, joined)
                    continue
            out.append((c0, c1, cand))
        return out

    def _belongs_left(self, r: int, left: tuple[int, int, _Candidate | None], c0: int, c1: int) -> bool:
        """A run of header cells right of a table is more of it when the columns between hold data or its
        headers are that table's words ("Notes"); after empty columns, "Status legend" is a block of its own."""
        g = self.grid
        _p0, p1, prev = left
        below = range(r + 1, min(len(g.cells), r + 51))
        if any(g.cells[rr][c].strip() for c in range(p1 + 1, c0) for rr in below):
            return True
        kind = prev.cls.kind if prev is not None else None
        if kind not in self.vocab.kinds:
            return False
        heads = [one_line(g.header_text(r, c)) for c in range(c0, c1 + 1) if g.header_text(r, c).strip()]
        return bool(heads) and all((m := match_header(self.vocab, kind, h)) is not None and m.exact for h in heads)

    def _forced_candidate(self, prof: TableProfile) -> list[_Candidate]:
        g = self.grid
        if prof.header_row is None:
            raise InputError("profile: a table of a sheet's 'tables' needs its header_row", file=g.file, locator=g.name or None)
        wanted = prof.header_row
        if wanted not in g.row_numbers:
            raise InputError(f"profile header_row {wanted} is outside the table", file=g.file, locator=g.name or None)
        r = g.row_numbers.index(wanted)
        segs = self._segments(r)
        if not segs:
            raise InputError(f"profile header_row {wanted} is blank", file=g.file, locator=g.locator(r))
        c0, c1 = segs[0][0], segs[-1][1]
        if prof.first_column or prof.last_column:  # one of several tables side by side
            c0 = _letters_to_index(prof.first_column, g) if prof.first_column else c0
            c1 = _letters_to_index(prof.last_column, g) if prof.last_column else c1
            if not 0 <= c0 <= c1 < g.width:
                raise InputError(
                    f"profile columns {prof.first_column}..{prof.last_column} are outside the table", file=g.file, locator=g.locator(r)
                )
        if prof.kind == "skip":  # a table of a sheet's "tables" the user does not want read
            headers = [one_line(g.header_text(r, c)) for c in range(c0, c1 + 1)]
            return [_Candidate(r, c0, c1, Classified("skip", 0, {}, 0, skipped=True), [r], headers)]
        only = prof.kind if prof.kind in self.vocab.kinds else None
        found = self._classify_span(r, c0, c1, only)
        if found is not None and not found.cls.skipped and found.cls.kind != "facts":
            found.forced = prof.columns
            return [found]  # a two-level header is read as the heuristics read it
        headers = [one_line(g.header_text(r, c)) for c in range(c0, c1 + 1)]
        cls = classify(self.vocab, headers, self._context(), only)
        if cls is None and only:
            cls = Classified(only, 0, {}, 0)
        if cls is None:
            raise InputError("profile header_row names no table kind; set 'kind' in the profile", file=g.file, locator=g.locator(r))
        return [_Candidate(r, c0, c1, cls, [r], headers, forced=prof.columns)]

    # -- assembling blocks

    def _assemble(self, cands: list[_Candidate]) -> None:
        g = self.grid
        cands.sort(key=lambda c: (c.row, c.c0))
        covered_rows: dict[int, list[tuple[int, int]]] = {}  # row -> spans covered by some block
        for idx, cand in enumerate(cands):
            nxt = len(g.cells)
            for other in cands[idx + 1 :]:
                if other.row > cand.row and other.c0 <= cand.c1 and other.c1 >= cand.c0:
                    nxt = other.row
                    break
            cand = self._extend_left(cand, nxt, cands)
            c1 = self._extend_right(cand, nxt, cands)
            last = cand.header_rows[-1]
            rows = list(range(last + 1, nxt))
            # Caption rows just above the next table belong to it, not to this one.
            rows = self._trim_captions(rows, cand.c0, c1, nxt < len(g.cells))
            while rows and g.row_blank(rows[-1], cand.c0, c1):
                rows.pop()
            block = self._make_block(cand, c1, rows)
            self._caption_defaults(block)
            self.blocks.append(block)
            for r in [*cand.header_rows, *rows]:
                covered_rows.setdefault(r, []).append((cand.c0, c1))
        self._note_uncovered(covered_rows)

    def _caption_defaults(self, block: Block) -> None:
        """A caption row just above a threat table that names a STRIDE category ("Spoofing threats") is the
        category of its rows, as a heading is in a Word document."""
        if block.kind not in self.vocab.kinds or not block.header_rows:
            return
        g = self.grid
        r = block.header_rows[0] - 1
        while r >= 0 and g.row_blank(r, block.c0, block.c1) and block.header_rows[0] - r <= 2:
            r -= 1
        if r < 0:
            return
        cells = [g.cells[r][c].strip() for c in range(block.c0, block.c1 + 1) if g.cells[r][c].strip()]
        if len(cells) != 1:
            return
        block.title = one_line(cells[0])
        if block.kind != "threat":
            return
        stride = stride_default(self.vocab, cells[0])
        if stride:
            block.defaults["stride"] = stride
            block.caption = one_line(cells[0])

    def _extend_left(self, cand: _Candidate, nxt: int, cands: list[_Candidate]) -> _Candidate:
        """A column left of the header with no header text but data (row numbers, say) belongs to the table."""
        g = self.grid
        limit = 0
        for other in cands:
            if other is not cand and other.c1 < cand.c0 and other.row < nxt and other.row >= cand.row - 50:
                limit = max(limit, other.c1 + 2)
        c0 = cand.c0
        last = cand.header_rows[-1]
        while c0 - 1 >= limit:
            c = c0 - 1
            if any(g.header_text(r, c).strip() for r in cand.header_rows):
                break
            if not any(g.cells[r][c].strip() for r in range(last + 1, nxt)):
                break
            c0 = c
        if c0 == cand.c0:
            return cand
        shift = cand.c0 - c0
        cls = Classified(
            cand.cls.kind, cand.cls.score, {k + shift: m for k, m in cand.cls.fields.items()}, cand.cls.matched, cand.cls.skipped
        )
        return _Candidate(cand.row, c0, cand.c1, cls, cand.header_rows, [""] * shift + cand.headers)

    def _extend_right(self, cand: _Candidate, nxt: int, cands: list[_Candidate]) -> int:
        """Columns right of the header that hold data (an unnamed column) belong to the table."""
        g = self.grid
        limit = g.width - 1
        for other in cands:
            if other is not cand and other.c0 > cand.c1 and other.row < nxt and other.row >= cand.row - 50:
                limit = min(limit, other.c0 - 1)
        c1 = cand.c1
        while c1 < limit:
            c = c1 + 1
            if not any(g.cells[r][c].strip() for r in range(cand.row, nxt)):
                break
            c1 = c
        return c1

    def _trim_captions(self, rows: list[int], c0: int, c1: int, before_table: bool) -> list[int]:
        if not before_table:
            return rows
        g = self.grid
        end = len(rows)
        while end > 0 and g.row_blank(rows[end - 1], c0, c1):
            end -= 1
        k = end
        taken = 0
        while k > 0 and taken < 3:
            r = rows[k - 1]
            filled = [c for c in range(c0, c1 + 1) if g.cells[r][c].strip()]
            if len(filled) != 1:
                break
            above_blank = k - 2 < 0 or g.row_blank(rows[k - 2], c0, c1)
            if not above_blank and taken == 0:
                break
            k -= 1
            taken += 1
            while k > 0 and g.row_blank(rows[k - 1], c0, c1):
                k -= 1
        return rows[:k] if taken else rows

    def _make_block(self, cand: _Candidate, c1: int, rows: list[int]) -> Block:
        g = self.grid
        cls = cand.cls
        if cls.kind == "facts":
            return Block(g, "facts", "key/value", cand.header_rows, [], rows, cand.c0, c1)
        if cls.skipped:
            label = self.vocab.skipped[cls.kind][0] if cls.kind in self.vocab.skipped else "skipped"
            reason = f"{label} table (not threat-model content)" if cls.kind in self.vocab.skipped else "skipped by the profile"
            return Block(g, "skip", label, cand.header_rows, [], rows, cand.c0, c1, reason=reason, origin=cand.origin)
        forced = cand.forced if cand.forced is not None else (self.profile.columns if self.profile else {})
        columns: list[Column] = []
        seen_fields: set[str] = set()
        for c in range(cand.c0, c1 + 1):
            k = c - cand.c0
            header = cand.headers[k] if k < len(cand.headers) else ""
            m = cls.fields.get(k)
            fname = m.field if m else None
            for key in (header, g.col_name(c)):
                if key and key in forced:
                    fname = None if forced[key] == "extra" else forced[key]
                    break
                lowered = {h.casefold(): v for h, v in forced.items()}
                if key and key.casefold() in lowered:
                    fname = None if lowered[key.casefold()] == "extra" else lowered[key.casefold()]
                    break
            if fname is not None and fname in seen_fields:
                fname = None
            if fname is not None:
                seen_fields.add(fname)
            columns.append(Column(c, header, fname, c in g.hidden_cols, scale_hint(header) if header else None))
        _second_title(g, cls.kind, columns, rows, self.vocab)
        warnings: list[tuple[str, str]] = []
        loc = g.locator(cand.header_rows[0], cand.c0)
        link = _link_id_column(g, columns, rows)
        if link is not None:
            warnings.append((loc, f"column {link!r} holds links, not ids: kept in extra; ids are given in row order"))
        _id_column(g, cls.kind, columns, rows, self.vocab)
        if not forced:
            warnings.extend((loc, message) for message in _correct_by_values(g, cls.kind, columns, rows, self.vocab))
        text_col = _text_column(g, cls.kind, columns, rows) if not forced else None
        if text_col is not None:
            warnings.append(
                (
                    loc,
                    f"no title or description column recognised: column {text_col!r} (the longest texts) "
                    "read as the description; a profile can name the right one",
                )
            )
        _stated_levels(columns)
        if cls.kind == "threat":
            _stride_matrix(columns, self.vocab)
        label = self.vocab.kinds[cls.kind].label
        block = Block(
            g, cls.kind, label, cand.header_rows, columns, rows, cand.c0, c1, warnings=warnings, score=cls.score, origin=cand.origin
        )
        if not forced:
            self._judge(block, cand)
        return block

    def _judge(self, block: Block, cand: _Candidate) -> None:
        """Precision before recall: a table is read as items only when its header and its contents say so.
        Tables of threat agents, attack paths, roles, scales, legends and STRIDE definitions are skipped; a
        table whose header is generic ("ID | Name | Description") and whose heading names no kind is skipped
        with a warning naming it."""
        g = self.grid
        if self.profile is not None and (self.profile.kind in self.vocab.kinds or self.profile.tables):
            return
        heads = [c.header for c in block.columns if c.header]
        shown = " | ".join(one_line(h) for h in heads[:8]) + (" | ..." if len(heads) > 8 else "")
        where = f"{g.name or g.context} ({shown})"
        first = norm_text(heads[0]) if heads else ""
        entity = self.vocab.first_column_not_items.get(first)
        said = one_line(heads[0]) if heads else ""
        if entity is None:  # "ID | Threat Agent | Motivation": the title column says what a row is
            title_col = next((c for c in block.columns if c.field in ("title", "name")), None)
            if title_col is not None and self.vocab.first_column_not_items.get(norm_text(title_col.header)):
                first, said = norm_text(title_col.header), one_line(title_col.header)
                entity = self.vocab.first_column_not_items[first]
        spec = self.vocab.kinds[block.kind]
        strong = any(
            c.field in ("id", "title", "name", "text")
            and (m := match_header(self.vocab, block.kind, c.header)) is not None
            and m.exact
            and any(w.startswith(cw) for cw in spec.context for w in norm_text(c.header).split())
            for c in block.columns
        )
        reason: str | None = None
        named_by_id = bool(re.search(r"\b(id|no|nr|number|ref|#)$", first)) or (bool(heads) and heads[0].strip().endswith("#"))
        if entity is not None and (named_by_id or not strong):
            reason = f"{entity} table (its rows are named by {said!r}), not {block.label}s"
        ctx = f" {norm_text(g.heading or g.context)} "
        words = self.vocab.context_not_items | self.vocab.context_soft_not_items
        hit = next((w for w in sorted(words, key=len, reverse=True) if f" {w} " in ctx), None)
        if reason is None and hit is not None and not strong:
            reason = f"{hit} table (named so by {g.context.strip()[:60]!r}), not {block.label}s"
            if hit in self.vocab.context_soft_not_items:
                block.fallback = block.kind
        if reason is None and block.kind == "threat" and _stride_definitions(g, block, self.vocab):
            reason = "STRIDE definitions table (its rows are the six categories), not threats"
        if reason is None and not self._evidence(block):
            reason = (
                f"nothing in its header or heading says its rows are {block.label}s "
                f"(generic columns); not imported, a profile can name its kind"
            )
            block.warnings.append((g.locator(block.header_rows[0], block.c0), f"unsure of {where}: {reason}"))
        if reason is not None:
            if "generic" not in reason:
                block.warnings.append(
                    (
                        g.locator(block.header_rows[0], block.c0),
                        f"{where} not read as {block.label}s: {reason}; a profile can force its kind",
                    )
                )
            block.kind, block.reason, block.confidence = "skip", reason, "low" if "generic" in reason else "high"
            return
        exact = sum(1 for c in block.columns if c.field and (m := match_header(self.vocab, spec.name, c.header)) and m.exact)
        mapped = sum(1 for c in block.columns if c.field)
        named = sum(1 for c in block.columns if c.header)
        specific = sum(
            1
            for c in block.columns
            if c.field and c.field not in _GENERIC_FIELDS and (m := match_header(self.vocab, spec.name, c.header)) and m.exact
        )
        if strong or specific >= 2 or (exact >= 3 and specific) or (exact and exact == named and specific):
            block.confidence = "high"
        elif exact >= 2 or mapped >= 3:
            block.confidence = "medium"
        else:
            block.confidence = "low"
            fields = ", ".join(f"{one_line(c.header)!r} → {c.field}" for c in block.columns if c.field)
            article = "an" if block.label[:1] in "aeiou" else "a"
            block.warnings.append(
                (
                    g.locator(block.header_rows[0], block.c0),
                    f"unsure of {where}: read as {article} {block.label} table ({fields}); "
                    "a profile can correct it (mdptm inspect --write-profile)",
                )
            )

    def _evidence(self, block: Block) -> bool:
        """Whether the header or the heading names the kind, or a column is one only that kind has."""
        spec = self.vocab.kinds[block.kind]
        words = norm_text(" ".join(c.header for c in block.columns) + " " + self.grid.context).split()
        if any(w.startswith(cw) for cw in spec.context for w in words):
            return True
        for c in block.columns:
            if (
                c.field
                and c.field not in _GENERIC_FIELDS
                and norm_text(c.header) not in self.vocab.generic_headers
                and (block.kind, c.field) not in _BORROWED
            ):
                return True
        return False

    def _note_uncovered(self, covered: dict[int, list[tuple[int, int]]]) -> None:
        """Rows outside every table: facts ("Manufacturer | Acme"), titles, captions, stray text."""
        g = self.grid
        first_header = min((b.header_rows[0] for b in self.blocks), default=len(g.cells))
        last = g.width - 1
        for r in range(len(g.cells)):
            spans = covered.get(r, [])
            if any(a <= 0 and b >= last for a, b in spans):
                continue  # a row of a table as wide as the grid (every data row of a register): nothing outside it
            cells = [(c, v) for c, v in enumerate(g.cells[r]) if v.strip()]  # rows are padded to the grid's width
            if spans:
                cells = [(c, v) for c, v in cells if not any(a <= c <= b for a, b in spans)]
            if not cells:
                if not spans and g.row_blank(r):
                    self.notes.append(RowNote(g.file, g.locator(r, 0), "blank row"))
                continue
            facts = self._row_facts([v for _c, v in cells])
            loc = g.locator(r, cells[0][0])
            if facts:
                for path, value in facts:
                    self.notes.append(RowNote(g.file, loc, "fact", fact=(path, value)))
                continue
            text = one_line(" ".join(v for _c, v in cells))
            short = text if len(text) <= 60 else text[:57] + "..."
            if not self.blocks:
                where = "table" if g.style == "table" else "sheet"
                reason = f"no threat-model table recognised in this {where} ({short!r}); a profile can name its columns"
            elif r < first_header:
                reason = f"title row above the table header ({short!r})"
            elif any(b.header_rows[0] > r for b in self.blocks):
                reason = f"caption or text between tables ({short!r})"
            else:
                reason = f"text outside any table ({short!r})"
            self.notes.append(RowNote(g.file, loc, reason))

    def _row_facts(self, values: list[str]) -> list[tuple[str, str]]:
        """ "Manufacturer | Acme" or "Manufacturer: Acme" on a row of its own (at most two pairs)."""
        out: list[tuple[str, str]] = []
        if len(values) > 4 or (not any(":" in v for v in values) and len(values) % 2):
            return out  # "STRIDE | Status | Likelihood" is a row of words, not "Key | value" pairs
        i = 0
        while i < len(values):
            v = values[i]
            key, sep, val = v.partition(":")
            keyed = fact_key(self.vocab, key) if sep and val.strip() else None
            if keyed is not None:
                out.append((keyed, val.strip()))  # "Product: VitalView | Doc No: RR-1 | Rev: 2" on one title row
                i += 1
                continue
            path = fact_key(self.vocab, v)
            nxt = values[i + 1] if i + 1 < len(values) else ""
            if path and nxt and fact_key(self.vocab, nxt) is None and not self._is_exact(nxt):
                out.append((path, values[i + 1].strip()))
                i += 2
                continue
            i += 1
        return out

    # -- Word-only layouts

    def _kv_table(self) -> bool:
        """A key/value table (cover page, document control): its rows are facts."""
        g = self.grid
        rows = [r for r in range(len(g.cells)) if not g.row_blank(r)]
        if not rows:
            return False
        hits = 0
        for r in rows:
            vals = self._distinct_cells(r)
            if vals and fact_key(self.vocab, vals[0]) is not None:
                hits += 1
        if hits < 2 and not (hits == 1 and len(rows) == 1):
            return False
        if hits * 2 < len(rows):
            return False
        block = Block(g, "facts", "key/value", [], [], list(range(len(g.cells))), 0, g.width - 1)
        self.blocks.append(block)
        return True

    def _form_first(self) -> bool:
        """A small form per threat ("Threat ID | T-01", "Title | ...", "Status | Open") is an item, not document
        facts: more of its field names belong to an item kind alone than to the document facts alone."""
        g = self.grid
        if g.width < 2:
            return False
        keys = [one_line(g.header_text(r, 0)) for r in range(len(g.cells))]
        cls = classify(self.vocab, keys, g.context)
        if cls is None or cls.skipped or cls.matched < 3 or not any(m.field == "id" for m in cls.fields.values()):
            return False
        item_only = fact_only = 0
        for i, key in enumerate(keys):
            if not key:
                continue
            is_fact = fact_key(self.vocab, key) is not None
            is_item = i in cls.fields
            item_only += is_item and not is_fact
            fact_only += is_fact and not is_item
        return item_only > fact_only

    def _distinct_cells(self, r: int) -> list[str]:
        g = self.grid
        out: list[str] = []
        last_anchor = None
        for c in range(g.width):
            anchor = g.merged.get((r, c), (r, c))
            if anchor == last_anchor:
                continue
            last_anchor = anchor
            v = g.header_text(r, c).strip()
            if v:
                out.append(v)
        return out

    def _transposed(self) -> bool:
        """A table whose first column names the fields: each further column is one record."""
        g = self.grid
        if g.width < 2 or len(g.cells) < 2:
            return False
        headers = [one_line(g.header_text(r, 0)) for r in range(len(g.cells))]
        cls = classify(self.vocab, headers, g.context)
        if cls is None or cls.skipped or cls.matched < 3:
            return False
        t = Grid(
            file=g.file,
            name=g.name,
            style="table",
            cells=[[g.cells[r][c] for r in range(len(g.cells))] for c in range(g.width)],
            row_numbers=list(range(1, g.width + 1)),
            merged={(c, r): (a[1], a[0]) for (r, c), a in g.merged.items()},
            comments={(c, r): v for (r, c), v in g.comments.items()},
            context=g.context,
            view=g.view,
            unit="column",
        )
        finder = TableFinder(t, self.vocab)
        cand = _Candidate(0, 0, t.width - 1, cls, [0], headers)
        rows = [r for r in range(1, len(t.cells)) if not t.row_blank(r)]
        finder.grid = t
        self.blocks.append(finder._make_block(cand, t.width - 1, rows))
        return True


_BORROWED = {("control", "threats")}  # a column naming another kind's items says nothing of this kind
_GENERIC_FIELDS = {"id", "title", "name", "text", "description", "notes", "tags", "sensitivity", "status"}
_URL = re.compile(r"^\s*(?:https?://|www\.|ftp://|file:|mailto:)\S*", re.I)


def _link_id_column(g: Grid, columns: list[Column], rows: list[int]) -> str | None:
    """A "Reference" column of URLs is never the id: it would merge unrelated rows that cite one page."""
    col = next((c for c in columns if c.field == "id"), None)
    if col is None:
        return None
    values = [one_line(g.data_text(r, col.index)) for r in rows]
    values = [v for v in values if v]
    if values and sum(1 for v in values if _URL.match(v) or " " in v.strip() and len(v.split()) > 6) * 2 > len(values):
        col.field = None
        return col.header or g.col_name(col.index)
    return None


def _letters_to_index(letters: str, g: Grid) -> int:
    """Column letters of the sheet ("C") → the grid's column index."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - g.first_col


def _text_column(g: Grid, kind: str, columns: list[Column], rows: list[int]) -> str | None:
    """A threat or control table with an id but no title or description column the vocabulary knows
    ("Menace", "What could happen"): the unmapped column of longest texts is its description, rather
    than rows with no words at all."""
    if kind not in ("threat", "control") or any(c.field in ("title", "description") for c in columns):
        return None
    if not any(c.field == "id" for c in columns):
        return None
    best: tuple[float, Column] | None = None
    for col in columns:
        if col.field is not None:
            continue
        texts = [one_line(g.data_text(r, col.index)) for r in rows]
        texts = [t for t in texts if t]
        if len(texts) * 2 < len([r for r in rows if not g.row_blank(r)]) or not texts:
            continue
        words = sum(len(t.split()) for t in texts) / len(texts)
        if words >= 3 and len(set(texts)) * 4 >= len(texts) * 3 and (best is None or words > best[0]):
            best = (words, col)
    if best is None:
        return None
    best[1].field = "description"
    return best[1].header or g.col_name(best[1].index)


def _correct_by_values(g: Grid, kind: str, columns: list[Column], rows: list[int], vocab: Vocabulary) -> list[str]:
    """Where a column's cells contradict its header: a "Threat" column of STRIDE letters ("S", "TRID") is the
    STRIDE column; a "Risk" column of sentences is the description, not a rating."""
    if kind != "threat":
        return []
    out: list[str] = []
    fields = {c.field for c in columns}

    def cells(col: Column) -> list[str]:
        return [t for t in (one_line(g.data_text(r, col.index)) for r in rows) if t]

    title = next((c for c in columns if c.field == "title"), None)
    if title is not None and "stride" not in fields:
        values = cells(title)
        if len(values) >= 2 and all(_stride_cell(vocab, v) for v in values):
            title.field = "stride"
            fields.add("stride")
            out.append(f"column {title.header!r} holds STRIDE categories, not threat titles: read as the STRIDE column")
    cvss = next((c for c in columns if c.field == "cvss"), None)
    vector = next((c for c in columns if c.field is None and {"cvss", "vector"} <= set(norm_text(c.header).split())), None)
    if cvss is not None and vector is not None and any(v.upper().startswith(("CVSS:", "AV:")) for v in cells(vector)):
        cvss.field, vector.field = None, "cvss"  # the vector says more than the score it gives
    for col in columns:
        if col.field not in ("risk", "residual_risk"):
            continue
        values = cells(col)
        prose = [v for v in values if len(v.split()) >= 5 and not parse_risk(vocab, v, None, shared=True).ok]
        if values and len(prose) * 2 >= len(values):
            new = "description" if "description" not in fields else None
            out.append(f"column {col.header!r} holds sentences, not risk ratings: read as {'the description' if new else 'extra'}")
            col.field = new
            fields.add("description")
    return out


def _stride_cell(vocab: Vocabulary, text: str) -> bool:
    """A cell that is nothing but STRIDE categories: letters ("S", "TRID", "T, I") or category names."""
    compact = re.sub(r"[\s,/;&+|]", "", text)
    if 0 < len(compact) <= 6 and compact.isupper() and all(ch.lower() in vocab.stride_letters for ch in compact):
        return True
    parts = [p.strip() for p in re.split(r"[,/;&+\n]", text) if p.strip()]
    return bool(parts) and all(_stride_header(vocab, p) for p in parts)


def _stated_levels(columns: list[Column]) -> None:
    """A risk level column with no score beside it is the risk itself (read as before); beside a score it
    is the stated level, kept as written."""
    fields = {c.field for c in columns}
    for c in columns:
        if c.field in ("risk.level", "residual_risk.level") and c.field.split(".")[0] not in fields:
            c.field = c.field.split(".")[0]


def _stride_definitions(g: Grid, block: Block, vocab: Vocabulary) -> bool:
    """The title (or first) column holds nothing but STRIDE category names: a definitions table."""
    col = next((c for c in block.columns if c.field == "title"), block.columns[0] if block.columns else None)
    if col is None:
        return False
    values = [one_line(g.data_text(r, col.index)) for r in block.rows]
    values = [v for v in values if v]
    return len(values) >= 3 and all(_stride_header(vocab, v) for v in values)


_ID_VALUE = re.compile(r"^[A-Za-z]{1,6}[-_.]?\d+(?:[.\-]\d+)*[A-Za-z]?$")


def _id_column(g: Grid, kind: str, columns: list[Column], rows: list[int], vocab: Vocabulary) -> None:
    """A table with no id column whose "Threat" (or first unnamed) column holds T-01, T-02...: those are ids."""
    if "id" not in vocab.kinds[kind].fields or any(c.field == "id" for c in columns):
        return
    described = any(c.field == "description" for c in columns)
    c0, c1 = columns[0].index, columns[-1].index
    rows = [
        r
        for r in rows
        if not _group_row(g, r, c0, c1) and not other_row(g, r, c0, c1, None, vocab) and not _lone_group_cell(g, r, c0, c1, None, vocab)
    ]
    for col in columns:
        if col.field not in (None, "title", "name", "text") or (col.field is not None and not described):
            continue
        values = [g.data_text(r, col.index).strip() for r in rows]
        values = [v for v in values if v]
        if len(values) >= 1 and len(set(values)) == len(values) and all(_ID_VALUE.match(v) for v in values):
            col.field = "id"
            return


def _second_title(g: Grid, kind: str, columns: list[Column], rows: list[int], vocab: Vocabulary) -> None:
    """ "Threat | Threat Scenario": two columns both name the title and none the description. The one with
    the shorter texts is the title, the other the description."""
    fields = vocab.kinds[kind].fields
    if "title" not in fields or "description" not in fields or any(c.field == "description" for c in columns):
        return
    title = next((c for c in columns if c.field == "title"), None)
    if title is None:
        return
    for col in columns:
        m = match_header(vocab, kind, col.header) if col.field is None and col.header else None
        if m is None or not m.exact or m.field != "title":
            continue

        def mean(c: Column) -> float:
            texts = [g.data_text(r, c.index).strip() for r in rows]
            texts = [t for t in texts if t]
            return sum(len(t) for t in texts) / len(texts) if texts else 0.0

        short, long_ = (title, col) if mean(title) <= mean(col) else (col, title)
        short.field, long_.field = "title", "description"
        return


def _stride_header(vocab: Vocabulary, header: str) -> str | None:
    head = header.strip()
    if len(head) == 1:
        return vocab.stride_letters.get(head.lower())
    return vocab.stride_words.exact(head) if len(head) > 3 else None


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


# ------------------------------------------------------------------------------------- records


def block_records(block: Block, vocab: Vocabulary) -> Iterator[RowRecord | RowNote]:
    """Each data row of a table as a record, each other row as a note saying why it was skipped."""
    out = list(_block_records(block, vocab))
    _scope_restarting_ids(block, [r for r in out if isinstance(r, RowRecord)])
    yield from out


def _scope_restarting_ids(block: Block, records: list[RowRecord]) -> None:
    """Ids that start again at 1 in each group of a table ("Auth Service" 1, 2; "Billing" 1, 2) are
    scoped by their group: "Auth Service/1"."""
    groups: dict[str, set[str]] = {}
    for rec in records:
        rid = one_line(rec.values.get("id", ""))
        if rid and rec.group:
            groups.setdefault(rec.group, set()).add(rid)
    seen: set[str] = set()
    clash = False
    for ids in groups.values():
        clash = clash or bool(ids & seen)
        seen |= ids
    if not clash or any(rec.values.get("id") and not rec.group for rec in records):
        _scope_by_component(block, records)
        return
    for rec in records:
        if rec.values.get("id") and rec.group:
            rec.values["id"] = f"{rec.group}/{one_line(rec.values['id'])}"
    first = next(r for r in records if r.group)
    block.warnings.append((first.locator, f"ids restart in each group of this table: scoped by the group ({first.values['id']!r})"))


def _scope_by_component(block: Block, records: list[RowRecord]) -> None:
    """Ids that start again for each component of one table (the component merged down its rows, ids
    1, 2 under "Auth Service", 1, 2 under "Billing"): the same id with another title and another
    component is another threat, scoped by its component ("Billing/1"), never merged into the first."""
    by_id: dict[str, list[RowRecord]] = {}
    for rec in records:
        rid = one_line(rec.values.get("id", ""))
        if rid:
            by_id.setdefault(rid, []).append(rec)

    def title(rec: RowRecord) -> str:
        return norm_text(rec.values.get("title") or rec.values.get("name") or rec.values.get("description") or "")

    clashes = [recs for recs in by_id.values() if len({title(r) for r in recs}) > 1]
    if not clashes:
        return
    scopes = {one_line(r.values.get("targets", "")) for recs in clashes for r in recs}
    if "" in scopes or not all(len({one_line(r.values.get("targets", "")) for r in recs}) == len(recs) for recs in clashes):
        return
    for rec in records:
        rid, scope = one_line(rec.values.get("id", "")), one_line(rec.values.get("targets", ""))
        if rid and scope:
            rec.values["id"] = f"{scope}/{rid}"
    first = next(r for r in records if r.values.get("id"))
    block.warnings.append(
        (first.locator, f"ids restart for each component of this table: scoped by the component ({first.values['id']!r})")
    )


def _continuation_row(g: Grid, r: int, block: Block, key_cols: list[int]) -> bool:
    """A row that only adds to the row above: its id, title and description cells are empty and all its
    cells lie right of them (a second mitigation on a line of its own in a CSV register)."""
    if not key_cols or block.kind not in ("threat", "control"):
        return False
    filled = [c for c in range(block.c0, block.c1 + 1) if g.data_text(r, c).strip()]
    return bool(filled) and len(filled) <= 3 and min(filled) > max(key_cols)


def _continues(g: Grid, r: int, c: int, start: int) -> bool:
    """The cell is covered by a vertical merge that began on the row *start*."""
    anchor = g.merged.get((r, c))
    return anchor is not None and anchor == (start, c) and r > start


def _join(prev: RowRecord, g: Grid, r: int, block: Block, texts: list[str], vocab: Vocabulary) -> None:
    """A row under cells merged over it adds to the record above: lines are joined, and for a risk
    factor the highest value is kept ("Medium", "-", "High", "-" → "High")."""
    names = _extra_names(block)
    for col, text in zip(block.columns, texts, strict=True):
        text = text.strip()
        anchor = g.merged.get((r, col.index))
        if not text or (anchor is not None and anchor[0] < r):
            continue
        if col.field:
            old = prev.values.get(col.field, "")
            if col.field.split(".")[0] in ("risk", "residual_risk"):
                part = "likelihood" if col.field.endswith("likelihood") else "severity"
                new_v, old_v = ordinal(vocab, part, text), ordinal(vocab, part, old)
                if not old.strip() or is_empty(vocab, old) or (new_v is not None and (old_v is None or new_v > old_v)):
                    prev.values[col.field] = text
                    prev.headers.setdefault(col.field, col.header or col.field)
                continue
            if text not in old.split("\n"):
                prev.values[col.field] = f"{old}\n{text}" if old else text
                prev.headers.setdefault(col.field, col.header or col.field)
        else:
            key = names[col.index]
            old = prev.extra.get(key, "")
            if text not in old.split("\n"):
                prev.extra[key] = f"{old}\n{text}" if old else text


def _block_records(block: Block, vocab: Vocabulary) -> Iterator[RowRecord | RowNote]:
    g = block.grid
    if block.kind == "skip":
        for r in [*block.header_rows, *block.rows]:
            if not g.row_blank(r, block.c0, block.c1):
                yield RowNote(g.file, g.locator(r, block.c0), block.reason or "not threat-model content")
        return
    if block.kind == "facts":
        yield from _fact_rows(block, vocab)
        return
    for r in block.header_rows:
        article = "an" if block.label[:1] in "aeiou" else "a"
        yield RowNote(g.file, g.locator(r, block.c0), f"header row of {article} {block.label} table")
    header_key = [norm_text(c.header) for c in block.columns]
    extra_names = _extra_names(block)
    by_field = {c.field: c for c in block.columns if c.field}
    key_fields = [f for f, s in vocab.kinds[block.kind].fields.items() if s.key and f in by_field]
    id_col = by_field["id"].index if "id" in by_field else None
    group: str | None = None
    pending_blank: list[int] = []
    guidance = _guidance_row(g, block, id_col, vocab)
    key_col = next((by_field[f].index for f in ("id", "title", "name", "text") if f in by_field), None)
    key_cols = [by_field[f].index for f in ("id", "title", "name", "text", "description") if f in by_field]
    prev: tuple[RowRecord, int] | None = None
    # What is the same for every row, worked out once per table rather than once per row.
    kind_fields = vocab.kinds[block.kind].fields
    defaults = [
        (fname, value, f"({(block.caption if fname in block.defaults else g.context).strip() or 'heading'})")
        for fname, value in {**g.defaults, **block.defaults}.items()
        if fname not in by_field and fname in kind_fields
    ]
    scales = {c.field: c.scale for c in block.columns if c.field}
    cell_comments = g.comments
    for r in block.rows:
        loc = g.locator(r, block.c0)
        if g.row_blank(r, block.c0, block.c1):
            pending_blank.append(r)
            continue
        for b in pending_blank:
            yield RowNote(g.file, g.locator(b, block.c0), "blank spacer row")
        pending_blank = []
        if r in g.deleted_rows:
            yield RowNote(g.file, loc, "row deleted in tracked changes (deletion accepted)")
            continue
        if r == guidance:
            text = one_line(g.data_text(r, id_col if id_col is not None else block.c0))[:60]
            yield RowNote(g.file, loc, f"guidance row under the header ({text!r}), not an item")
            continue
        texts = [g.data_text(r, c.index) for c in block.columns]
        if all(norm_text(t) == k for t, k in zip(texts, header_key, strict=True)):  # stops at the first cell that differs
            yield RowNote(g.file, loc, "repeated header row")
            continue
        other = other_row(g, r, block.c0, block.c1, id_col, vocab)
        if other is not None:
            yield RowNote(g.file, loc, other)
            continue
        if _group_row(g, r, block.c0, block.c1) or _lone_group_cell(g, r, block.c0, block.c1, id_col, vocab):
            group = one_line(g.raw(r, block.c0))
            prev = None
            yield RowNote(g.file, loc, f"group heading row ({group!r}) applied to the rows below")
            continue
        if prev is not None and key_col is not None and (_continues(g, r, key_col, prev[1]) or _continuation_row(g, r, block, key_cols)):
            _join(prev[0], g, r, block, texts, vocab)  # reported as merged into the item of the row above
            prev[0].joined.append(loc)
            continue
        values: dict[str, str] = {}
        headers: dict[str, str] = {}
        extra: dict[str, str] = {}
        comments: list[str] = []
        for col, text in zip(block.columns, texts, strict=True):
            if cell_comments:
                comments.extend(cell_comments.get((r, col.index), []))
            if not text.strip():
                continue
            if col.field:
                values[col.field] = text
                headers[col.field] = col.header or col.field
            else:
                extra[extra_names[col.index]] = text
        if values:
            for fname, value, header in defaults:
                values[fname] = value
                headers[fname] = header
        if key_fields and not any(values.get(f, "").strip() for f in key_fields):
            nonempty = [t for t in texts if t.strip()]
            if len(nonempty) == 1 and not values:
                yield RowNote(g.file, loc, f"note row with no {block.label} ({one_line(nonempty[0])[:60]!r})")
                continue
        rec = RowRecord(
            kind=block.kind,
            file=g.file,
            locator=loc,
            values=values,
            headers=headers,
            extra=extra,
            comments=comments,
            hidden=r in g.hidden_rows,
            group=group,
            view=g.view,
            scales=dict(scales),
        )
        prev = (rec, r)
        yield rec


def _guidance_row(g: Grid, block: Block, id_col: int | None, vocab: Vocabulary) -> int | None:
    """A template's guidance row under the header ("Unique identifier (T-nnn) | Short description | S/T/R/I/D/E"):
    the first row's id cell is prose while every later id looks like an id."""
    if id_col is None:
        return None
    rows = [r for r in block.rows if not g.row_blank(r, block.c0, block.c1)]
    if len(rows) < 3 or _group_row(g, rows[0], block.c0, block.c1):
        return None
    if _lone_group_cell(g, rows[0], block.c0, block.c1, id_col, vocab):
        return None
    first = one_line(g.data_text(rows[0], id_col))
    if not first or _ID_LIKE_CELL.match(first) or len(first.split()) < 2:
        return None
    later = [one_line(g.data_text(r, id_col)) for r in rows[1:]]
    later = [v for v in later if v]
    if len(later) >= 2 and all(_ID_LIKE_CELL.match(v) for v in later):
        return rows[0]
    return None


def _extra_names(block: Block) -> dict[int, str]:
    """The key each unmapped column gets in ``extra``: its header text, made unique."""
    out: dict[int, str] = {}
    used: set[str] = set()
    for col in block.columns:
        if col.field:
            continue
        name = col.header or f"column {block.grid.col_name(col.index)}"
        base, n = name, 2
        while name in used:
            name = f"{base} ({n})"
            n += 1
        used.add(name)
        out[col.index] = name
    return out


def _group_row(g: Grid, r: int, c0: int, c1: int) -> bool:
    """A full-width merged row inside a table ("Spoofing threats") is a group heading, not a record."""
    if c1 <= c0:
        return False
    anchor = (r, c0)
    if not g.raw(r, c0).strip():
        return False
    return all(g.merged.get((r, c)) == anchor for c in range(c0 + 1, c1 + 1))


def _lone_group_cell(g: Grid, r: int, c0: int, c1: int, id_col: int | None, vocab: Vocabulary) -> bool:
    """A group heading written in the first cell only, without merging ("Spoofing threats", "Cloud back end"):
    short text that is no id, naming a STRIDE category or standing in the id column."""
    text = one_line(g.data_text(r, c0))
    if not text or len(text.split()) > 6 or _ID_LIKE_CELL.match(text):
        return False
    if any(g.data_text(r, c).strip() for c in range(c0 + 1, c1 + 1)):
        return False
    return id_col == c0 or stride_default(vocab, text) is not None


_ID_LIKE_CELL = re.compile(r"^[A-Za-z]{0,10}[-_ .]?\d+(?:[.\-]\d+)*[A-Za-z]?$")
_FOOTNOTE = re.compile(r"^\s*[*†‡§¹²³]")


def other_row(g: Grid, r: int, c0: int, c1: int, id_col: int | None, vocab: Vocabulary) -> str | None:
    """Why a row inside a table is no item: a totals row ("Total | 7 | 3"), a legend or note written below
    the table ("Legend: X = applies"), or a sentence alone in the id column. None for an ordinary row."""
    filled = [(c, text) for c in range(c0, c1 + 1) if (text := g.data_text(r, c).strip())]
    if not filled:
        return None
    first = filled[0][1]
    words = norm_text(first).split()
    for n in range(min(3, len(words)), 0, -1):
        if " ".join(words[:n]) not in vocab.summary_rows:
            continue
        rest = first.split(None, n)[n] if len(first.split()) > n else ""
        # "Total", "Totals:", "Total: 7 threats" — not "Total loss of ventilation".
        if not rest.strip(" :=-–") or re.match(r"^[\s:=\-–]*\d", rest):
            return f"totals row ({one_line(first)[:60]!r})"
    if len(filled) != 1:
        return None
    text = one_line(first)
    short = text[:60] + ("..." if len(text) > 60 else "")
    if _FOOTNOTE.match(text):
        return f"note row below the table ({short!r})"
    head = re.match(r"^\s*([A-Za-z][A-Za-z. ]{0,20}?)\s*[:=–—-]\s*\S", text)
    if head and norm_text(head.group(1)) in vocab.note_rows:
        return f"legend or note row ({short!r})"
    if filled[0][0] == id_col and len(text.split()) >= 4 and not _ID_LIKE_CELL.match(text):
        return f"note row: a sentence alone in the id column ({short!r})"
    return None


def _fact_rows(block: Block, vocab: Vocabulary) -> Iterator[RowNote]:
    g = block.grid
    for r in block.header_rows:
        yield RowNote(g.file, g.locator(r, block.c0), "header row of a key/value table")
    for r in block.rows:
        cells: list[str] = []
        last = None
        for c in range(block.c0, block.c1 + 1):
            anchor = g.merged.get((r, c), (r, c))
            if anchor == last:
                continue
            last = anchor
            v = g.header_text(r, c).strip()
            if v:
                cells.append(v)
        loc = g.locator(r, block.c0)
        if not cells:
            yield RowNote(g.file, loc, "blank row")
            continue
        pairs: list[tuple[str, str]] = []
        i = 0
        while i + 1 < len(cells):
            path = fact_key(vocab, cells[i])
            if path is not None:
                pairs.append((path, cells[i + 1]))
                i += 2
            else:
                i += 1
        if not pairs and len(cells) == 1 and ":" in cells[0]:
            key, _, val = cells[0].partition(":")
            path = fact_key(vocab, key)
            if path and val.strip():
                pairs.append((path, val.strip()))
        used = [(p, v) for p, v in pairs if p != "ignore"]
        if used:
            for path, value in used:
                yield RowNote(g.file, loc, "fact", fact=(path, value))
        elif pairs:
            yield RowNote(g.file, loc, f"document-control field {one_line(cells[0])!r} deliberately not copied")
        else:
            yield RowNote(g.file, loc, f"key/value row with no model field ({one_line(cells[0])[:60]!r})")
