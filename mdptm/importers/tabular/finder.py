"""Finding the tables of one grid (SPEC §3): header rows found by scoring synonym hits (not assumed to be
row 1), title and caption rows above them, several tables stacked or side by side, two-level headers under
merged cells, key/value tables, and one-record-per-column tables."""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass

from mdptm.errors import InputError
from mdptm.importers.tabular.grid import Block, Classified, Column, Grid, RowNote
from mdptm.importers.tabular.headers import (
    _BORROWED,
    _GENERIC_FIELDS,
    _control_ids_beside_text,
    _correct_by_values,
    _countermeasures_by_id,
    _dread_total,
    _id_column,
    _is_kv_header,
    _letters_to_index,
    _link_id_column,
    _more_controls,
    _second_title,
    _stated_levels,
    _text_column,
    classify,
    hazard_ids_column,
)
from mdptm.importers.tabular.profile import Profile, TableProfile
from mdptm.importers.tabular.rows import other_row
from mdptm.importers.tabular.scale_tables import caption_status, column_guide, scale_definition
from mdptm.importers.tabular.stride import _stride_definitions, _stride_header, _stride_matrix, stride_default
from mdptm.importers.tabular.vocab import (
    Vocabulary,
    fact_key,
    header_forms,
    header_words,
    is_empty,
    match_header,
    norm_text,
    one_line,
    parse_risk,
    parse_stride,
    scale_hint,
)

_LETTER_REVISION = re.compile(r"[A-Z]{1,2}\d{0,2}")  # "C", "AB", "B2": a document-control revision

# "TM-S1 — Загрузка вредоносных файлов (Spoofing/Tampering/DoS)": a threat's id, title and categories in a heading
_FORM_HEADING = re.compile(
    r"^(?P<id>[A-Za-z]{1,6}(?:[-_.][A-Za-z]{1,4})?[-_.]?\d+[A-Za-z]?)\s*[—–:-]\s*(?P<title>.+?)(?:\s*\((?P<cats>[^()]+)\))?$"
)
_ID_CELL = re.compile(r"^[A-Za-z]{1,6}[-_.]?\d+(?:[.\-]\d+)*[A-Za-z]?$")

# what a catalogue's table may say of each entry: its id, name, text, category and references, nothing of a system
CATALOGUE_FIELDS = frozenset({None, "id", "title", "description", "stride", "cwe", "capec", "references"})


# a type name of a tool's element model: a compound word, no space ("CloudApplication", "RemoteUser", "DataStore")
_TYPE_NAME = re.compile(r"[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+")
# the kinds of a data-flow diagram, written as the element types a library entry applies to ("Process, Data Store")
_DFD_KINDS = frozenset({"process", "data store", "datastore", "external entity", "external interactor", "data flow", "dataflow"})


def _element_types(text: str) -> list[str]:
    """The element types a cell lists ("1. ExternalService -> CloudApplication; 2. Container -> HostStorage",
    "Process, DataStore"), or [] when any part of it is something else (a name with spaces, a sentence)."""
    parts = re.split(r"\s*(?:[;,\n]|<?-+>|<-+|→|↔)\s*", re.sub(r"(?:^|(?<=[;\n]))\s*\d+[.)]\s*", "", text))
    parts = [p.strip() for p in parts if p.strip()]
    if not parts or not all(re.fullmatch(r"[A-Z][a-z0-9]+", p) or _TYPE_NAME.fullmatch(p) or p.lower() in _DFD_KINDS for p in parts):
        return []
    return parts


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
    note: str | None = None  # how the table was read, said with it (a header read another way than written)
    plan: str | None = None  # a treatment plan's measure column: its measures are to be taken (planned)


# "IPC → favorites-manager", "renderer → IPC → ai-manager": ends joined by arrow signs
_ARROW_PAIR = re.compile(r"^[^→⇒↔<>]{1,60}?(?:\s*(?:→|⇒|↔|-+>|<-+>)\s*[^→⇒↔<>]{1,60}?){1,3}$")


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
        if (
            len(cands) == 1
            and cands[0].cls.kind == "facts"
            and g.width == 2
            and self._form_first()
            and self._transposed(skip=set(cands[0].header_rows))
        ):
            # "Field | Value" over "Hazard ID | H-001", "Description | …", "Initial risk | 12": one threat's form,
            # not document facts (its keys are a threat's fields, as a form without that header is read)
            return self.blocks, self.notes
        if not cands and g.style == "table":
            cands = self._stride_rows()
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
                    # a group cell spans this column: merged from a cell left of it on this row (the last column of a
                    # two-column group has no other cell under the same anchor), or the anchor of cells right of it
                    spans = (
                        (anchor != (r, c) and anchor[0] == r)
                        or any(g.merged.get((r, cc)) == anchor for cc in range(c0, c1 + 1) if cc != c)
                        or any(g.merged.get((r, cc)) == (r, c) for cc in range(c0, c1 + 1) if cc != c)
                    )
                    combined.append(f"{top} {sub[k]}".strip() if spans and sub[k] else (sub[k] or top))
                cls2 = classify(self.vocab, combined, self._context(), only, near=self.grid.heading)
                if cls2 is not None and not cls2.skipped:
                    # A group cell that is a title ("Threat register" over "Threat | STRIDE"): where the two
                    # words together name no field, the sub-header alone does.
                    plain = [sub[k] or headers[k] for k in range(len(sub))]
                    mixed = [h if match_header(self.vocab, cls2.kind, h) is not None else p for h, p in zip(combined, plain, strict=True)]
                    cls3 = classify(self.vocab, mixed, self._context(), cls2.kind, near=self.grid.heading)
                    if cls3 is not None and len(cls3.fields) >= len(cls2.fields) and cls3.score >= cls2.score:
                        return self._two_row(r, c0, c1, mixed, cls3, only)
                    return self._two_row(r, c0, c1, combined, cls2, only)
                plain = [sub[k] or headers[k] for k in range(len(sub))]
                cls4 = classify(self.vocab, plain, self._context(), only, near=self.grid.heading) if cls2 is None else None
                if cls4 is not None and not cls4.skipped:
                    return self._two_row(r, c0, c1, plain, cls4, only)
        if only in (None, "flow") and self._arrow_rows(r, c0, c1) and (only == "flow" or not self._titles_threats(headers)):
            # "Boundary | Description | Data Crossing" over "IPC → favorites-manager" rows: each row crosses from one
            # end to the other, a data flow named by its ends, whatever the first column is called
            named = ["flow", *headers[1:]]
            got = classify(self.vocab, named, self._context(), "flow", near=self.grid.heading)
            if got is not None and not got.skipped:
                return _Candidate(r, c0, c1, got, header_rows, [headers[0] or "flow", *headers[1:]])
        if _is_kv_header(self.vocab, headers):
            return _Candidate(r, c0, c1, Classified("facts", 10, {}, 2), header_rows, headers)
        if sum(1 for h in headers if h and self._is_exact(h)) < 1:
            return None
        cls = classify(self.vocab, headers, self._context(), only, near=self.grid.heading)
        risk_col = self._risk_names(r, c0, c1, headers) if only in (None, "threat") and (cls is None or cls.skipped) else None
        # a threat reading with no title or description gives no threat: "Risk ID | Treatment | Owner" may be a plan
        textless = cls is not None and cls.kind == "threat" and not any(m.field in ("title", "description") for m in cls.fields.values())
        plan = self._treatment_plan(r, c0, c1, headers) if only in (None, "control") and (cls is None or cls.skipped or textless) else None
        if plan is not None:
            # "Risk | Treatment | Owner | Priority" over "R-001 | Least privilege and access review": a treatment plan,
            # each row the measure to be taken against the risk its id names (a control of that risk)
            renamed = [("Related risk ID" if k == 0 else "Control" if k == plan else h) for k, h in enumerate(headers)]
            by_plan = classify(self.vocab, renamed, self._context(), "control", near=self.grid.heading)
            if by_plan is not None and not by_plan.skipped:
                said = (
                    f"treatment plan: {one_line(headers[0])!r} gives the ids of the risks, {one_line(headers[plan])!r} the "
                    "measure to be taken against each: read as their controls"
                )
                return _Candidate(r, c0, c1, by_plan, header_rows, renamed, note=said, plan=one_line(headers[plan]))
        if risk_col is not None:
            # "Risk | Probability | Impact" over "Data Breach", "Vendor Delay": the first column names the risks,
            # it rates none: the risk's title ("OWASP ID | Risk | Mitigation in architecture" alike)
            renamed = [("Risk Name" if k == risk_col else h) for k, h in enumerate(headers)]
            by_name = classify(self.vocab, renamed, self._context(), "threat", near=self.grid.heading)
            if by_name is not None and not by_name.skipped:
                cls, headers = by_name, renamed
        if cls is None:
            return None
        cls, headers = self._risks_over_controls(r, c0, c1, headers, cls, only)
        grouped = self._group_row_above(r, c0, c1, headers, cls, only)
        if grouped is not None:
            return grouped
        return _Candidate(r, c0, c1, cls, header_rows, headers)

    def _two_row(self, r: int, c0: int, c1: int, headers: list[str], cls: Classified, only: str | None) -> _Candidate:
        """The candidate of a two-row header (rows *r* and *r* + 1) read as *cls*."""
        cls, headers = self._risks_over_controls(r + 1, c0, c1, headers, cls, only)
        return _Candidate(r, c0, c1, cls, [r, r + 1], headers)

    def _risks_over_controls(
        self, r: int, c0: int, c1: int, headers: list[str], cls: Classified, only: str | None
    ) -> tuple[Classified, list[str]]:
        """ "Risk | Impact | Likelihood | Mitigation | Owner": a control reading (the mitigation its title, the owner
        its responsibility) that leaves the first column unread while it names risks: the rows are those risks, each
        with its mitigation. The reading and header to use (*cls* and *headers* unchanged otherwise)."""
        if only not in (None, "threat") or cls.kind != "control" or cls.skipped or 0 in cls.fields:
            return cls, headers
        if self._risk_names(r, c0, c1, headers) != 0:
            return cls, headers
        renamed = ["Risk Name", *headers[1:]]
        by_name = classify(self.vocab, renamed, self._context(), "threat", near=self.grid.heading)
        if by_name is None or by_name.skipped:
            return cls, headers
        return by_name, renamed

    def _treatment_plan(self, r: int, c0: int, c1: int, headers: list[str]) -> int | None:
        """A treatment plan ("Risk | Treatment | Owner | Priority"): the first column headed "Risk" (or "Threat",
        "Risk ID") with an id in every cell below ("R-001", two rows at least), and a treatment column whose cells name measures
        (two words or more, no decision such as "Mitigate"), and no column naming or describing the risks (that is a
        register: "Risk ID | Risk | Level | Treatment"). The index of the treatment column in *headers*, or None."""
        g = self.grid
        first = norm_text(headers[0])
        keyed = (
            (m := match_header(self.vocab, "threat", headers[0])) is not None
            and m.field == "id"
            and bool({"risk", "threat"} & set(first.split()))
        )
        if c1 <= c0 or (first not in ("risk", "risks", "threat", "threats") and not keyed):
            return None
        for head in headers[1:]:
            m = match_header(self.vocab, "threat", head) if head else None
            if norm_text(head) in ("risk", "risks", "threat", "threats") or (m is not None and m.field in ("title", "description")):
                return None  # "Risk ID | Risk | Level | Treatment": a register whose risks are named beside their ids
        rows = [row for row in range(r + 1, len(g.cells)) if not g.row_blank(row)]
        ids = [one_line(g.cells[row][c0]) for row in rows]
        if len(rows) < 2 or not all(i and _ID_CELL.match(i) for i in ids):
            return None
        for k, head in enumerate(headers[1:], start=1):
            m = match_header(self.vocab, "threat", head) if head else None
            if m is None or m.field != "acceptability" or "treatment" not in header_words(head):
                continue
            cells = [one_line(g.cells[row][c0 + k]) for row in rows]
            if all(len(c.split()) >= 2 and norm_text(c) not in self.vocab.treatment_decisions for c in cells):
                return k
        return None

    def _risk_names(self, r: int, c0: int, c1: int, headers: list[str]) -> int | None:
        """The index in *headers* of the column headed "Risk" (or "Risks", "Threats") whose cells are names, no
        ratings (two rows at least), most of two words or more ("Ransomware" beside "Insider Threats"), beside other
        columns: the first column, or the first one mdptm reads beside a mitigation column ("OWASP ID | Risk |
        Mitigation in architecture"). None otherwise."""
        g = self.grid
        if c1 <= c0:
            return None
        known = [match_header(self.vocab, "threat", h) if h else None for h in headers]
        for k, head in enumerate(headers):
            if norm_text(head) not in ("risk", "risks", "threats"):
                continue
            mitigated = any(m is not None and m.field == "controls" for m in known[k + 1 :])
            if k > 0 and (any(m is not None for m in known[:k]) or not mitigated):
                return None
            cells = [one_line(g.cells[row][c0 + k]) for row in range(r + 1, len(g.cells)) if not g.row_blank(row)]
            cells = [c for c in cells if c]
            if len(cells) < 2 or any(parse_risk(self.vocab, c, None, shared=True).ok for c in cells):
                return None
            return k if sum(1 for c in cells if len(c.split()) >= 2) * 2 > len(cells) else None
        return None

    def _titles_threats(self, headers: list[str]) -> bool:
        """A column of the header is exactly a threat's title ("Threat") beside a column of its mitigations: the rows are
        threats, and an "A → B" first column names where each one crosses, not a data flow of its own."""
        got = classify(self.vocab, headers, self._context(), "threat", near=self.grid.heading)
        if got is None or got.skipped:
            return False
        fields = {m.field: m.exact for m in got.fields.values()}
        return bool(fields.get("title")) and "controls" in fields

    def _arrow_rows(self, r: int, c0: int, c1: int) -> bool:
        """Every row below the header names two ends with an arrow in its first cell ("IPC → favorites-manager"),
        and that column's header names no field of a threat, control, asset or component (two rows at least)."""
        g = self.grid
        head = one_line(g.header_text(r, c0))
        for kind in ("threat", "control", "asset", "element"):
            hit = match_header(self.vocab, kind, head) if head else None
            if hit is not None and hit.exact and hit.field != "trust_zone":  # a zone is never "A → B"
                return False
        cells = [one_line(g.cells[k][c0]) for k in range(r + 1, len(g.cells)) if not g.row_blank(k)]
        return len(cells) >= 2 and all(_ARROW_PAIR.match(c) for c in cells)

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
        cls2 = classify(self.vocab, combined, self._context(), only, near=self.grid.heading)
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
        letters, exact, is_exact = self.vocab.stride_letters, self._exact_cache, self._is_exact
        for r in range(len(g.cells)):
            if r in skip_rows:
                continue
            row = g.cells[r]
            filled = [v for v in row if v.strip()]
            if not filled:
                prev_blank = True
                continue
            # Every row is looked at (a second table may start anywhere): its header words and STRIDE letters
            # counted in one plain loop, the answer per distinct text read from the finder's cache.
            stride_cols = words = 0
            for v in filled:
                hit = exact.get(v)
                if hit is None:
                    hit = is_exact(v)
                words += hit
                if len(t := v.strip()) == 1 and t.lower() in letters:
                    stride_cols += 1
            if len(filled) == 2 and _is_kv_header(self.vocab, filled) and not active_until:
                segs0 = self._segments(r)
                cand = self._classify_span(r, segs0[0][0], segs0[-1][1], only) if segs0 else None
                if cand is not None:
                    found.append(cand)
                    for c in range(cand.c0, cand.c1 + 1):
                        active_until[c] = r
                    prev_blank = False
                    continue
            hits = words + (stride_cols if stride_cols >= 3 else 0)
            if hits == 1 and r == 0 and len(filled) >= 3 and norm_text(filled[0]) in ("threat", "threats") and _names_threats(g.heading):
                # "| Threat | Session-only | Vault | Verdict |" under "Threat model for …": options weighed per threat
                hits = len(filled)
            inside = bool(active_until)
            # A header row is mostly header words; inside a table only a clear one (after a gap) starts another.
            if (
                hits == 0
                or (hits * 10 < len(filled) * 3 and hits < 5)
                or (inside and not prev_blank and (hits < 2 or hits * 10 < len(filled) * 6))
            ):
                # a caption line after a blank row ("Mitigation and Verification") is still the gap before a table
                prev_blank = prev_blank and len(filled) == 1 and hits == 0
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
        cls = classify(self.vocab, headers, self._context(), only, near=self.grid.heading)
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
        cells = [g.cells[r][c].strip() for c in range(block.c0, block.c1 + 1) if g.cells[r][c].strip()] if r >= 0 else []
        if block.kind == "control" and not any(c.field == "status" for c in block.columns):
            # "Recommended but not implemented", "Implemented in this lab": a caption (or the heading of a Word or
            # Markdown table) that says the status of every control under it
            said = one_line(cells[0]) if len(cells) == 1 else g.heading or (g.name if g.style == "sheet" else "")
            status = caption_status(said)
            if status is not None:
                block.defaults["status"] = status
                block.caption = said
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
            columns.append(Column(c, header, fname, c in g.hidden_cols, scale_hint(header, self.vocab.rpn_headers) if header else None))
        if cls.kind == "threat" and not forced:
            _more_controls(columns, self.vocab)
        if not forced:
            hazard_ids_column(g, cls.kind, columns, rows, self.vocab)
        _second_title(g, cls.kind, columns, rows, self.vocab)
        warnings: list[tuple[str, str]] = []
        loc = g.locator(cand.header_rows[0], cand.c0)
        if cand.note is not None:
            warnings.append((loc, cand.note))
        link = _link_id_column(g, columns, rows)
        if link is not None:
            warnings.append((loc, f"column {link!r} holds links, not ids: kept in extra; ids are given in row order"))
        _id_column(g, cls.kind, columns, rows, self.vocab)
        said_ids = _control_ids_beside_text(g, columns, rows, self.vocab) if cls.kind == "threat" and not forced else None
        if said_ids is not None:
            warnings.append((loc, said_ids))
        kind = cls.kind
        if kind == "threat" and not forced and _countermeasures_by_id(g, columns, rows, self.vocab):
            kind = "control"
            warnings.append((loc, "its 'threat' cells are ids only, beside a countermeasure: read as the countermeasures of those threats"))
        if not forced:
            warnings.extend((loc, message) for message in _correct_by_values(g, kind, columns, rows, self.vocab))
        text_col = _text_column(g, kind, columns, rows) if not forced else None
        if text_col is not None:
            warnings.append(
                (
                    loc,
                    f"no title or description column recognised: column {text_col!r} (the longest texts) "
                    "read as the description; a profile can name the right one",
                )
            )
        if kind == "threat" and not forced and (said_dread := _dread_total(g, columns, rows, self.vocab)) is not None:
            warnings.append((loc, said_dread))
        _stated_levels(columns)
        if kind == "threat":
            _stride_matrix(columns, self.vocab)
        label = self.vocab.kinds[kind].label
        block = Block(g, kind, label, cand.header_rows, columns, rows, cand.c0, c1, warnings=warnings, score=cls.score, origin=cand.origin)
        if cand.plan is not None and not any(c.field == "status" for c in columns):
            # "Risk | Treatment | Owner | Priority": the plan says what is to be done, and no column says it is done;
            # its measures are planned (not counted in place), as a "Planned controls" caption would make them
            block.defaults["status"] = "planned"
            block.caption = f"treatment plan, column {cand.plan!r}"
            warnings.append((loc, f"treatment plan with no status column: the measures of {cand.plan!r} read as planned"))
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
            title_col = title_col or next((c for c in block.columns if c.field == "threat_agent"), None)
            if title_col is not None and self.vocab.first_column_not_items.get(norm_text(title_col.header)):
                first, said = norm_text(title_col.header), one_line(title_col.header)
                entity = self.vocab.first_column_not_items[first]
        if entity is None and len(heads) > 1 and re.fullmatch(r"id|no|nr|number|ref|#", first):
            # "ID | Constraint | Target | Work Item": beside the id, the column that names what a row is (constraints
            # are met by a design, whatever the kind its other headers suggest)
            second = norm_text(heads[1])
            if self.vocab.first_column_not_items.get(second) == "constraints":
                entity, first, said = "constraints", second, one_line(heads[1])
        if (
            entity == "threat agents"
            and block.kind == "threat"
            and any(c.field == "controls" for c in block.columns)
            and any(c.field in ("title", "description") for c in block.columns)
        ):
            # "Threat Agent | Attack Vector | Mitigation Strategy": each row is an attack by that agent and what
            # counters it (a table of agents says who they are, not what is done against them)
            entity = None
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
        hit = next((w for w in sorted(words, key=lambda w: (-len(w), w)) if f" {w} " in ctx), None)  # the longest; ties by spelling
        if reason is None and hit is not None and not strong:
            reason = f"{hit} table (named so by {g.context.strip()[:60]!r}), not {block.label}s"
            if hit in self.vocab.context_soft_not_items:
                block.fallback = block.kind
        said_all = {norm_text(h) for h in heads}
        if (
            reason is None
            and block.kind in ("element", "asset")
            and said_all & self.vocab.software_version
            and said_all & self.vocab.software_facts
        ):
            reason = "software bill of materials (its rows are software with versions and licences), not components"
        if reason is None and block.kind == "threat" and _stride_definitions(g, block, self.vocab):
            reason = "STRIDE definitions table (its rows are the six categories), not threats"
        if reason is None and block.kind == "threat" and self._attack_tree(block):
            reason = "attack tree (its rows are a goal and the steps that reach it, linked by their parent), not a list of threats"
        if reason is None and block.kind == "threat" and (listed := self._catalogue(block)) is not None:
            lists = dict(self.vocab.threat_catalogue_entries).get(listed, "threat types")
            reason = f"{listed} catalogue of {lists} (its rows are the catalogue's entries), not threats of this system"
        if reason is None and block.kind == "threat" and (kinds := self._type_library(block)) is not None:
            reason = f"catalogue of threat types ({kinds}), not threats of this system"
        if reason is None and not strong and block.columns and block.rows:
            run = list(itertools.takewhile(lambda r: not g.row_blank(r, block.c0, block.c1), block.rows))
            firsts = [one_line(g.data_text(r, block.c0)) for r in run]
            if scale_definition(self.vocab, block.columns[0].header, firsts):
                shown = ", ".join(repr(v) for v in firsts[:2])
                reason = f"rating scale table (its rows are the levels of a rating: {shown}, …), not {block.label}s"
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
        if block.kind == "threat" and mapped == 1 and named >= 3 and cand.cls.over is None:
            # "| Threat | Session-only | Vault | Verdict |": one column names the threats, the others say what each
            # option does about them; threats titled by the first column, the rest kept as written
            block.confidence = "low"
            others = ", ".join(repr(one_line(c.header)) for c in block.columns if c.header and not c.field)
            block.warnings.append(
                (
                    g.locator(block.header_rows[0], block.c0),
                    f"unsure of {where}: only its first column names threats; {others} kept as written with each threat "
                    "(no mitigation or rating read from them), a profile can name them",
                )
            )
            return
        if cand.cls.over is not None:
            # the heading names another kind ("Mitigations for G4" over "Attack | Mitigation"): read as the
            # header says, and named so the author can check it
            block.confidence = "medium"
            other = self.vocab.kinds[cand.cls.over].label
            block.warnings.append(
                (
                    g.locator(block.header_rows[0], block.c0),
                    f"unsure of {where}: its heading names {other}s, its header {block.label}s; read as {block.label}s, "
                    "a profile can correct it (mdptm inspect --write-profile)",
                )
            )
        elif strong or specific >= 2 or (exact >= 3 and specific) or (exact and exact == named and specific):
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

    def _catalogue(self, block: Block) -> str | None:
        """The public catalogue a threat table lists ("MITRE EMB3D" for "TID-101 | Power Consumption Analysis Side
        Channel | hardware"): every id is of that catalogue and no column says anything of a system (a component,
        an asset, a rating, a status, a measure). A column of the catalogue's tactics ("MS-TA9001 | Using cloud
        credentials | InitialAccess | kube-apiserver") says so even beside the generic part each entry concerns.
        A catalogue as its publisher exports it is known by its own columns ("Abstraction | Related Attack Patterns |
        Execution Flow": CAPEC), whatever else it carries. None otherwise."""
        said = {norm_text(c.header) for c in block.columns}
        exported = next((name for name, cols in self.vocab.threat_catalogue_exports if len(said & cols) >= 3), None)
        if exported is not None:
            return exported
        tactics = any(norm_text(c.header) in self.vocab.threat_catalogue_headers for c in block.columns)
        allowed = CATALOGUE_FIELDS | {"targets"} if tactics else CATALOGUE_FIELDS
        if any(c.field not in allowed for c in block.columns):
            return None
        idcol = next((c for c in block.columns if c.field == "id"), None)
        if idcol is None:
            return None
        g = block.grid
        ids = [one_line(g.data_text(r, idcol.index)) for r in self._data_rows(block)]
        ids = [i for i in ids if i]
        if len(ids) < 3:
            return None
        return next((name for name, rx in self.vocab.threat_catalogues if all(rx.fullmatch(i) for i in ids)), None)

    def _type_library(self, block: Block) -> str | None:
        """A library of threat types, not a product's register: no column says anything of a system (no id,
        component, asset, rating, status or measure: only titles, descriptions, categories and references), and
        either a column lists the kinds of element each entry applies to, written as a tool's type names
        ("1. ExternalService -> CloudApplication; 2. RemoteUser -> CloudApplication": compound words, no instance
        of a product), or the column naming the rows calls them types or categories beside a column of examples
        ("Threat category | Description | Examples"). What it says of its rows, or None."""
        if any(c.field not in CATALOGUE_FIELDS or c.field == "id" for c in block.columns):
            return None
        g = block.grid
        rows = self._data_rows(block)
        said = {norm_text(c.header): c for c in block.columns}
        typed = next((c for h, c in said.items() if h in self.vocab.threat_type_headers), None)
        examples = next((c for h, c in said.items() if h in self.vocab.threat_example_headers), None)
        if typed is not None and examples is not None and typed is not examples and len(rows) >= 3:
            names = [one_line(g.data_text(r, typed.index)) for r in rows]
            shown = ", ".join(repr(n) for n in names[:2] if n)
            return f"its rows are kinds of threat with examples: {shown}, …"
        keyed = next((c for h, c in said.items() if h in self.vocab.category_id_headers), None)
        if keyed is not None and keyed is block.columns[0] and not any(c.field == "title" for c in block.columns) and len(rows) >= 2:
            # "| Category ID | Category | Description |" ("CAT-AUTH | Authentication | Hazards related to identity
            # verification"): the categories the document files its threats under, no threat of them
            names = [one_line(g.data_text(r, keyed.index)) for r in rows]
            shown = ", ".join(repr(n) for n in names[:2] if n)
            return f"its rows are categories keyed by {one_line(keyed.header)!r}: {shown}, …"
        for c in block.columns:
            if c.field is not None:
                continue
            cells = [one_line(g.data_text(r, c.index)) for r in rows]
            cells = [t for t in cells if t and not is_empty(self.vocab, t)]
            if len(cells) < 3 or len(cells) * 2 < len(rows):
                continue
            types = [_element_types(t) for t in cells]
            if all(types) and any(_TYPE_NAME.fullmatch(n) for ns in types for n in ns):
                seen = list(dict.fromkeys(n for ns in types for n in ns))
                shown = ", ".join(repr(n) for n in seen[:3])
                return f"its rows apply to kinds of element named in {one_line(c.header)!r}: {shown}, …"
        return None

    def _data_rows(self, block: Block) -> list[int]:
        """The rows of *block* that may be items: neither blank nor a totals, legend or note row written below the
        table ("Note: scores are likelihood x impact …" under a workbook's register)."""
        g = block.grid
        return [
            r
            for r in block.rows
            if not g.row_blank(r, block.c0, block.c1) and other_row(g, r, block.c0, block.c1, None, self.vocab) is None
        ]

    def _attack_tree(self, block: Block) -> bool:
        """An attack tree written as a table: a column naming each row's parent and a column of gates only ("AND",
        "OR", "LEAF"), over three rows or more."""
        g = block.grid
        if not any(norm_text(c.header) in self.vocab.attack_tree_parents for c in block.columns):
            return False
        for c in block.columns:
            values = [norm_text(one_line(g.data_text(r, c.index))) for r in block.rows]
            values = [v for v in values if v]
            if len(values) >= 3 and all(v in self.vocab.attack_tree_gates for v in values) and len(set(values)) >= 2:
                return True
        return False

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

    def _headerless(self) -> dict[int, str]:
        """A register written without its header row: three or more rows of the same width (four cells or more),
        each starting with a distinct id ("R-01", "R-02" …), perhaps under a title line: the reason to give
        the title lines and the first row; empty otherwise."""
        g = self.grid
        rows = all_rows = [r for r in range(len(g.cells)) if not g.row_blank(r)]
        titles = 0  # a title or a note line or two above the rows
        while titles < min(3, len(rows)) and sum(1 for v in g.cells[rows[titles]] if v.strip()) == 1:
            titles += 1
        rows = rows[titles:]
        if len(rows) < 3:
            return {}
        widths = [sum(1 for v in g.cells[r] if v.strip()) for r in rows]
        firsts = [one_line(g.cells[r][0]) if g.cells[r] else "" for r in rows]
        if min(widths) < 4 or max(widths) - min(widths) > 2 or len(set(firsts)) != len(firsts):
            return {}
        if not all(_ID_CELL.match(f) for f in firsts):
            return {}
        shown = ", ".join(repr(f) for f in firsts[:2]) + (", …" if len(firsts) > 2 else "")
        fix = "add a header row naming the columns, or a profile"
        out = dict.fromkeys(all_rows[:titles], f"title row above a register with no header row (ids {shown}); {fix}")
        out[rows[0]] = f"no header row: this row and the ones below are data (ids {shown}); {fix}"
        return out

    def _note_uncovered(self, covered: dict[int, list[tuple[int, int]]]) -> None:
        """Rows outside every table: facts ("Manufacturer | Acme"), titles, captions, stray text."""
        g = self.grid
        first_header = min((b.header_rows[0] for b in self.blocks), default=len(g.cells))
        last = g.width - 1
        lone = self._lone_fact_rows() if not self.blocks and g.style == "table" else set()
        headerless = self._headerless() if not self.blocks else {}
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
            facts = self._row_facts([v for _c, v in cells]) if r not in lone else []
            loc = g.locator(r, cells[0][0])
            if r in lone:
                first = one_line(cells[0][1])[:40]
                self.notes.append(RowNote(g.file, loc, f"row {first!r} of a table whose other rows are no facts: not a document fact"))
                continue
            if facts:
                for path, value in facts:
                    self.notes.append(RowNote(g.file, loc, "fact", fact=(path, value)))
                continue
            text = one_line(" ".join(v for _c, v in cells))
            short = text if len(text) <= 60 else text[:57] + "..."
            if not self.blocks and r in headerless:
                reason = f"{headerless[r]} ({short!r})"
            elif not self.blocks:
                where = "table" if g.style == "table" else "sheet"
                reason = f"no threat-model table recognised in this {where} ({short!r}); a profile can name its columns"
            elif len(g.distinct_cells(r)) >= 2 and (r < first_header or any(b.header_rows[0] > r for b in self.blocks)):
                # "D1 | False RPM data | Major | Minor": a row of a table whose header named no kind, no title
                reason = f"row of a table of no threat-model kind ({short!r}); a profile can name its columns"
            elif r < first_header:
                reason = f"title row above the table header ({short!r})"
            elif any(b.header_rows[0] > r for b in self.blocks):
                reason = f"caption or text between tables ({short!r})"
            else:
                reason = f"text outside any table ({short!r})"
            self.notes.append(RowNote(g.file, loc, reason))

    def _lone_fact_rows(self) -> set[int]:
        """Rows of a Word table of several like rows ("Layer | Security Controls": Physical, Link, ...,
        Application) where one row's first cell happens to be a fact's key ("Application"): when fewer than
        half of the rows read as facts, none of them is a document fact."""
        g = self.grid
        rows = [r for r in range(len(g.cells)) if not g.row_blank(r)]
        if len(rows) < 3:
            return set()
        hits = {r for r in rows if self._row_facts([v for v in g.cells[r] if v.strip()])}
        return hits if hits and len(hits) * 2 < len(rows) else set()

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
            # "Revision | C": a document's letter revision is its version, though "C" also heads a C/I/A column
            letter_rev = path == "document.version" and _LETTER_REVISION.fullmatch(nxt.strip()) is not None
            if path and nxt and fact_key(self.vocab, nxt) is None and (letter_rev or not self._is_exact(nxt)):
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
            vals = self.grid.distinct_cells(r)
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
        cls = classify(self.vocab, keys, g.context, near=g.heading)
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

    def _stride_rows(self) -> list[_Candidate]:
        """ "Threat | Example" with one STRIDE category per row down the first column: that column is the
        category of the row's threat whatever its header says, and a text column beside it the threat.
        Without a title or description beside it, the table is a list of definitions (not read here)."""
        g = self.grid
        if g.width < 2 or len(g.cells) < 4:
            return []
        rows = [r for r in range(1, len(g.cells)) if not g.row_blank(r)]
        firsts = [one_line(g.data_text(r, 0)) for r in rows]
        if len(firsts) < 3 or not all(f and _stride_header(self.vocab, f) for f in firsts):
            return []
        headers = [one_line(g.header_text(0, c)) for c in range(g.width)]
        cls = classify(self.vocab, ["STRIDE", *headers[1:]], self._context(), "threat", near=self.grid.heading)
        if cls is None or cls.skipped or not any(i and m.field in ("title", "description") for i, m in cls.fields.items()):
            return []
        return [_Candidate(0, 0, g.width - 1, cls, [0], headers)]

    def _transposed(self, skip: set[int] | None = None) -> bool:
        """A table whose first column names the fields: each further column is one record (*skip*: rows
        that are no field, a "Field | Value" header)."""
        g = self.grid
        if g.width < 2 or len(g.cells) < 2:
            return False
        if skip:
            keep = [r for r in range(len(g.cells)) if r not in skip]
            g = dataclasses.replace(
                g,
                cells=[g.cells[r] for r in keep],
                row_numbers=[g.row_numbers[r] for r in keep] if g.row_numbers else [],
                merged={(keep.index(r), c): (keep.index(a[0]), a[1]) for (r, c), a in g.merged.items() if r in keep and a[0] in keep},
                comments={(keep.index(r), c): v for (r, c), v in g.comments.items() if r in keep},
                hidden_rows=set(),
                deleted_rows=set(),
            )
        if column_guide([one_line(g.header_text(0, c)) for c in range(g.width)]):
            return False  # "Column | Description" over "Risk ID | Unique identifier …": what each column means, no record
        headers = [one_line(g.header_text(r, 0)) for r in range(len(g.cells))]
        cls = classify(self.vocab, headers, g.context, near=g.heading)
        if cls is None or cls.skipped or cls.matched < 3:
            return False
        categories = sum(1 for h in headers[1:] if h and _stride_header(self.vocab, h))
        if categories >= 3 and not any(m.field == "id" for m in cls.fields.values()):
            return False  # rows that each start with a category ("Threat | Violates"): no form of one threat
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
        block = finder._make_block(cand, t.width - 1, rows)
        if block.kind == "threat" and len(rows) == 1:
            self._form_under_heading(block)
        self.blocks.append(block)
        return True

    def _form_under_heading(self, block: Block) -> None:
        """ "### TM-S1 — Malicious uploads (Spoofing/Tampering)" over "| **Threat** | … |", "| **Mitigation** | … |": the
        heading names the one threat its form describes (its id, its title, its STRIDE categories in brackets);
        the form's threat text is then its description."""
        fields = {c.field for c in block.columns if c.field}
        said = _FORM_HEADING.match(one_line(self.grid.heading or ""))
        if said is None or "id" in fields:
            return
        title, cats = said.group("title"), said.group("cats")
        if cats and "stride" not in fields and parse_stride(self.vocab, cats).ok:
            block.defaults["stride"] = cats
        elif cats:
            title = f"{title} ({cats})"
        if "description" not in fields:
            for col in block.columns:
                if col.field == "title":
                    col.field = "description"
        block.defaults["id"] = said.group("id")
        block.defaults["title"] = title
        block.caption = one_line(self.grid.heading or "")


def _names_threats(heading: str) -> bool:
    """The heading over a table says it holds a threat model or threats ("Threat model for a browser-only app")."""
    words = norm_text(heading or "").split()
    return "threat" in words or "threats" in words
