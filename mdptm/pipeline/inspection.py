"""``mdptm inspect FILE``: how each sheet and table of a document was read, and a profile that pins it.

The importer guesses: which row is the header, what kind of items a table holds, which column is which
field. A user who finds a misread needs to see those guesses and to correct one without learning the
heuristics. :func:`inspect_file` runs the ordinary import and reports, per sheet or Word table, the kind,
header row, column → field, confidence and what happened to every row; :func:`profile_for` writes every
guess as a profile (docs/import.md "Profiles") in which one edited line changes the reading.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mdptm.base.data import JSONObject
from mdptm.errors import InputError, MdptmError, UsageError
from mdptm.importers.tabular.tables import Block, Grid
from mdptm.model.report import ImportReport, Record
from mdptm.plugins import ImportContext


@dataclass
class ColumnRead:
    letter: str
    header: str
    field: str | None  # None: kept in extra under its header


@dataclass
class TableRead:
    """One table found in a sheet or Word table."""

    where: str  # sheet name, "table 3", or the CSV file's name
    locator: str  # of its first header cell
    kind: str  # an item kind, "skip" or "facts"
    label: str
    header_rows: list[int]
    columns: list[ColumnRead]
    confidence: str
    reason: str | None = None
    pin_row: int = 0  # the header_row a profile names to read this table again
    first: str = ""  # its first and last column letters
    last: str = ""
    partial: bool = False  # other cells of its header row lie outside it (a legend beside the table)
    rows: Counter[str] = field(default_factory=Counter)  # imported / merged / skipped
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> rows


@dataclass
class GridRead:
    """A sheet, Word table or CSV file and the tables found in it."""

    where: str
    key: str  # how a profile names it: sheet name, Word table number, CSV file stem
    style: str
    tables: list[TableRead]
    other: Counter[str] = field(default_factory=Counter)  # rows outside every table: reason -> rows


@dataclass
class Inspection:
    file: str
    importer: str
    grids: list[GridRead]
    warnings: list[str]
    counts: dict[str, int]

    def to_dict(self) -> dict[str, object]:
        """Plain data for ``--json`` (counters as mappings)."""
        return {
            "file": self.file,
            "importer": self.importer,
            "grids": [
                {
                    "where": g.where,
                    "key": g.key,
                    "style": g.style,
                    "tables": [
                        {
                            "where": t.where,
                            "locator": t.locator,
                            "kind": t.kind,
                            "label": t.label,
                            "header_rows": t.header_rows,
                            "columns": [{"letter": c.letter, "header": c.header, "field": c.field} for c in t.columns],
                            "confidence": t.confidence,
                            "reason": t.reason,
                            "rows": dict(t.rows),
                            "skipped": dict(t.skipped),
                        }
                        for t in g.tables
                    ],
                    "other": dict(g.other),
                }
                for g in self.grids
            ],
            "warnings": self.warnings,
            "counts": self.counts,
        }


def _reason_key(reason: str) -> str:
    """Row reasons grouped for a summary: "empty template row (only its id 'T-3')" → "empty template row"."""
    for sep in (" (", ": ", " '"):
        if sep in reason:
            head = reason.split(sep, 1)[0]
            if len(head) >= 8:
                return head
    return reason[:80]


def inspect_file(path: Path, fmt: str | None = None, profile: JSONObject | None = None) -> Inspection:
    """Import *path* as ``mdptm import`` would and say how each of its tables was read."""
    from mdptm.pipeline.importing import detect
    from mdptm.plugins import importers

    available = importers()
    if fmt:
        if fmt not in available:
            raise UsageError(f"unknown format {fmt!r} (installed: {', '.join(sorted(available))})")
        imp = available[fmt]
    else:
        imp = detect(path, available)
    if path.is_dir():
        raise InputError("is a folder, not a file", file=str(path))
    if not path.exists():
        raise InputError("no such file", file=str(path))
    report = ImportReport()
    ctx = ImportContext(report=report, profile=profile)
    try:
        imp.load(path, ctx)
    except MdptmError:
        raise
    except Exception as exc:  # noqa: BLE001 - an importer bug must still name the file it failed on
        from mdptm.pipeline.importing import ImporterFailure

        raise ImporterFailure(imp.name, exc, file=str(path)) from exc
    report.finish()
    by_loc: dict[str, list[Record]] = {}
    for rec in report.records:
        by_loc.setdefault(rec.locator, []).append(rec)
    grids = [_grid_read(grid, blocks, by_loc) for grid, blocks in report.tables_read]
    warnings = [f"{w.locator}: {w.message}" if w.locator else w.message for w in report.warnings]
    c = report.counts
    return Inspection(
        path.name, imp.name, grids, warnings, {"seen": c.seen, "imported": c.imported, "merged": c.merged, "skipped": c.skipped}
    )


def _grid_key(grid: Grid) -> str:
    if grid.style == "table":
        return grid.name.removeprefix("table ").strip()
    return grid.name or grid.context


def _partial(grid: Grid, block: Block) -> bool:
    if not block.header_rows:
        return False
    r = block.header_rows[-1]
    filled = [c for c in range(grid.width) if grid.header_text(r, c).strip()]
    return bool(filled) and (min(filled) < block.c0 or max(filled) > block.c1)


def _grid_read(grid: Grid, blocks: list[Block], by_loc: dict[str, list[Record]]) -> GridRead:
    where = grid.name or f"{grid.context} (CSV)"
    claimed: set[str] = set()
    tables: list[TableRead] = []
    for block in blocks:
        rows = [*block.header_rows, *block.rows]
        locs = {grid.locator(r, block.c0) for r in rows}
        claimed |= locs
        tr = TableRead(
            where=where,
            locator=grid.locator(block.header_rows[0], block.c0) if block.header_rows else grid.locator(0),
            kind=block.kind,
            label=block.label,
            header_rows=[grid.row_numbers[r] for r in block.header_rows],
            columns=[ColumnRead(grid.col_name(c.index), c.header, c.field) for c in block.columns],
            confidence=block.confidence,
            reason=block.reason,
            pin_row=grid.row_numbers[block.origin if block.origin >= 0 else block.header_rows[0]] if block.header_rows else 0,
            first=grid.col_name(block.c0),
            last=grid.col_name(block.c1),
            partial=_partial(grid, block),
        )
        for loc in sorted(locs):
            for rec in by_loc.get(loc, []):
                tr.rows[rec.disposition] += 1
                if rec.disposition == "skipped" and not (rec.reason or "").startswith("header row"):
                    tr.skipped[_reason_key(rec.reason or "")] += 1
        tables.append(tr)
    other: Counter[str] = Counter()
    seen: set[str] = set()
    for r in range(len(grid.cells)):
        for c in range(grid.width):
            loc = grid.locator(r, c)
            if loc in claimed or loc in seen or loc not in by_loc:
                continue
            seen.add(loc)
            for rec in by_loc[loc]:
                if rec.disposition == "skipped" and rec.reason != "blank row":
                    other[_reason_key(rec.reason or "")] += 1
    return GridRead(where, _grid_key(grid), grid.style, tables, other)


# ----------------------------------------------------------------------------------- the profile


def profile_for(insp: Inspection) -> dict[str, object]:
    """Every guess of an inspection as a profile: kind, header row and every column of each sheet or
    table; ``skip`` for those with none; a sheet of stacked tables as its ``tables``, one entry each.
    Tables side by side on one header row are pinned with their first and last column."""
    sheets: dict[str, Any] = {}
    tables: dict[str, Any] = {}
    for gr in insp.grids:
        target = tables if gr.style == "table" else sheets
        items = [t for t in gr.tables if t.kind != "facts"]
        if not gr.tables:
            target[gr.key] = "skip"
            continue
        if len(gr.tables) == 1 and items and items[0].kind == "skip":
            target[gr.key] = "skip"
        elif len(gr.tables) == 1 and items:
            target[gr.key] = _pinned(items[0])
            if items[0].partial:  # pin its columns: the header row holds more than this table
                target[gr.key]["first_column"], target[gr.key]["last_column"] = items[0].first, items[0].last
        elif len(items) == len(gr.tables):
            # Several tables in one sheet: each pinned by its header row (and its columns when side by side).
            side = len({t.pin_row for t in items}) < len(items)
            entries = []
            for t in items:
                entry = {"kind": "skip", "header_row": t.pin_row} if t.kind == "skip" else _pinned(t)
                if side or t.partial:
                    entry["first_column"], entry["last_column"] = t.first, t.last
                entries.append(entry)
            target[gr.key] = {"tables": entries}
    out: dict[str, object] = {}
    if sheets:
        out["sheets"] = sheets
    if tables:
        out["tables"] = tables
    return out


def _pinned(t: TableRead) -> dict[str, object]:
    columns: dict[str, str] = {}
    headers = [c.header for c in t.columns]
    for col in t.columns:
        name = col.header if col.header and headers.count(col.header) == 1 and col.header != col.letter else col.letter
        columns[name] = col.field or "extra"
    return {"kind": t.kind, "header_row": t.pin_row, "columns": columns}


def profile_yaml(insp: Inspection) -> str:
    """The profile as YAML a user edits, with a comment on each table saying how sure the reading was."""
    data = profile_for(insp)
    lines = [
        f"# Profile written by `mdptm inspect {insp.file} --write-profile`: every guess pinned.",
        "# Edit a line to correct a misread (a column's field, 'extra' to keep it unmapped, a sheet's kind or",
        "# 'skip'), then: mdptm import " + insp.file + " -o model.yaml --profile THIS-FILE",
    ]
    for gr in insp.grids:
        for t in gr.tables:
            if t.kind in ("skip", "facts"):
                continue
            if t.confidence != "high":
                lines.append(f"# {gr.where} {t.locator}: {t.label} table, confidence {t.confidence}: check it")
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120) if data else "{}\n"
    return "\n".join(lines) + "\n" + body


# --------------------------------------------------------------------------------------- as text


def render(insp: Inspection) -> str:
    """The inspection as text, one block per sheet or table."""
    out = [f"{insp.file} (read by the {insp.importer} importer)"]
    for gr in insp.grids:
        name = f"Word {gr.where}" if gr.style == "table" else gr.where if gr.where.endswith("(CSV)") else f"sheet {gr.where!r}"
        if not gr.tables:
            out.append(f"\n{name}: no table read")
        for t in gr.tables:
            at = t.locator.split("!")[-1] if gr.style != "table" else f"(row {t.header_rows[0] if t.header_rows else 1})"
            rows = ", ".join(f"{n} {d}" for d, n in sorted(t.rows.items()))
            if t.kind == "skip":
                out.append(f"\n{name} {at}: skipped: {t.reason} ({rows})")
                continue
            if t.kind == "facts":
                out.append(f"\n{name} {at}: key/value facts ({rows})")
                continue
            header = ", ".join(str(r) for r in t.header_rows)
            out.append(f"\n{name} {at}: {t.label} table, header row {header}, confidence {t.confidence}")
            out.extend(f"  {col.letter:>3}  {col.header or '(no header)'!s:<40} → {col.field or 'extra'}" for col in t.columns)
            out.append(f"  rows: {rows or 'none'}")
            for reason, n in t.skipped.most_common():
                out.append(f"    skipped {n}: {reason}")
        for reason, n in gr.other.most_common():
            out.append(f"  outside tables, skipped {n}: {reason}")
    c = insp.counts
    out.append(
        f"\nrecords: {c['seen']} seen, {c['imported']} imported, {c['merged']} merged, {c['skipped']} skipped; "
        f"{len(insp.warnings)} warnings"
    )
    return "\n".join(out) + "\n"
