"""Threat tables whose component cells name two ends ("Device IoT Hub" under a Communication heading) and rows whose
component cell is left blank under the one above: read alike in Markdown and Word tables."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from mdptm.importers.merge import norm_name
from mdptm.importers.tabular.tables import Grid, RowRecord
from mdptm.importers.tabular.vocab import Vocabulary, match_header, norm_text, one_line

Warn = Callable[[str, str], None]


def target_column(grid: Grid, vocab: Vocabulary) -> int | None:
    """The column of a threat table's header row that names the threat's component."""
    if not grid.cells:
        return None
    for c, h in enumerate(grid.cells[0]):
        m = match_header(vocab, "threat", h)
        if m is not None and m.field == "targets":
            return c
    return None


def flow_context(heading: str, words: Iterable[str] | None = None) -> bool:
    """A heading that names communication ("Communication", "Data flows"): ``flow_context`` of markdown.yaml
    (the shipped words unless *words* are given)."""
    if words is None:
        from mdptm.importers.markdown.words import markdown_words

        words = markdown_words()["flow_context"]
    text = f" {norm_text(heading)} "
    return any(f" {norm_text(str(w))} " in text for w in words)


def known_targets(grid: Grid, col: int) -> set[str]:
    return {norm_name(grid.cells[r][col]) for r in range(1, len(grid.cells)) if grid.cells[r][col].strip()}


def split_pair(cell: str, known: set[str]) -> tuple[str, str] | None:
    """The two ends a component cell names: "Device -> IoT Hub", or "Device IoT Hub" where one side is a known name."""
    parts = re.split(r"\s*(?:<-+>|-+>|<-+|↔|→|←|⇄)\s*", cell)
    if len(parts) == 2 and all(p.strip() for p in parts):
        return parts[0].strip(), parts[1].strip()
    words = cell.split()
    both = [(i, " ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    for _i, a, b in both:
        if norm_name(a) in known and norm_name(b) in known:
            return a, b
    one = [(len(a) if norm_name(a) in known else len(b), a, b) for _i, a, b in both if norm_name(a) in known or norm_name(b) in known]
    if one:
        _n, a, b = max(one)
        return a, b
    return None


def flow_rows(grid: Grid, col: int, known: set[str], records: list[RowRecord], file: str, warn: Warn) -> None:
    """Component cells of a communication table name the two ends of a flow ("Device IoT Hub"): one flow record
    per distinct cell, which the rows' threats then name as their target."""
    seen: set[str] = set()
    for r in range(1, len(grid.cells)):
        cell = one_line(grid.data_text(r, col))
        if not cell or norm_name(cell) in seen:
            continue
        ends = split_pair(cell, known)
        if ends is None:
            warn(grid.locator(r, col), f"{cell!r} under a communication heading names no two known components; read as a component")
            continue
        seen.add(norm_name(cell))
        warn(grid.locator(r, col), f"{cell!r} read as the data flow {ends[0]!r} -> {ends[1]!r}")
        records.append(
            RowRecord(
                kind="flow",
                file=file,
                locator=grid.locator(r, col),
                values={"name": cell, "source": ends[0], "target": ends[1]},
                headers={"name": grid.cells[0][col], "source": grid.cells[0][col], "target": grid.cells[0][col]},
                extra={},
                view=grid.view,
            )
        )


def continuation_rows(grid: Grid) -> None:
    """A row whose first cell is empty continues the one above (a table with no merged cells: Markdown, or Word
    written without merging): its first cell reads as the row above's."""
    cells = grid.cells
    for r in range(2, len(cells)):
        if (r, 0) in grid.merged or cells[r][0].strip() or not any(c.strip() for c in cells[r][1:]):
            continue
        anchor = grid.merged.get((r - 1, 0), (r - 1, 0))
        if cells[anchor[0]][0].strip() and anchor[0] >= 1:
            grid.merged[(r, 0)] = anchor
