"""A table row's cells are read once and every row test works from them: each test must answer as its
plain definition (below, reading the grid cell by cell) does, on any row, merged cells included."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from mdptm.importers.tabular.grid import Block, Column, Grid, RowRecord
from mdptm.importers.tabular.rows import _continuation_row, _filled, _lone_group, _lone_group_cell, _other_row, block_records, other_row
from mdptm.importers.tabular.stride import stride_default
from mdptm.importers.tabular.vocab import one_line, vocabulary

V = vocabulary()
_ID_LIKE_CELL = re.compile(r"^[A-Za-z]{0,10}[-_ .]?\d+(?:[.\-]\d+)*[A-Za-z]?$")


def plain_lone_group_cell(g: Grid, r: int, c0: int, c1: int, id_col: int | None) -> bool:
    text = one_line(g.data_text(r, c0))
    if not text or len(text.split()) > 6 or _ID_LIKE_CELL.match(text):
        return False
    if any(g.data_text(r, c).strip() for c in range(c0 + 1, c1 + 1)):
        return False
    return id_col == c0 or stride_default(V, text) is not None


def plain_continuation_row(g: Grid, r: int, block: Block, key_cols: list[int]) -> bool:
    if not key_cols or block.kind not in ("threat", "control"):
        return False
    filled = [c for c in range(block.c0, block.c1 + 1) if g.data_text(r, c).strip()]
    return bool(filled) and len(filled) <= 3 and min(filled) > max(key_cols)


CELLS = ["", " ", "T-01", "T-02", "Spoofing threats", "Total: 7", "Total loss of power", "Legend: X = applies",
         "* estimated", "An attacker replays a dose command", "Mitigated", "High", "4 x 5", "Cloud back end",
         "see the risk plan for every row here", "Spoofing", "\n", "Line one\nline two"]  # fmt: skip


@st.composite
def grids(draw: st.DrawFn) -> tuple[Grid, int, int]:
    width = draw(st.integers(2, 6))
    height = draw(st.integers(1, 5))
    cells = [[draw(st.sampled_from(CELLS)) for _ in range(width)] for _ in range(height)]
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    for _ in range(draw(st.integers(0, 3))):  # merged ranges: covered cells are blank and point at the anchor
        r0, c0 = draw(st.integers(0, height - 1)), draw(st.integers(0, width - 1))
        r1, c1 = draw(st.integers(r0, height - 1)), draw(st.integers(c0, width - 1))
        if any((r, c) in merged for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)):
            continue
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                merged[(r, c)] = (r0, c0)
                if (r, c) != (r0, c0):
                    cells[r][c] = ""
    c0 = draw(st.integers(0, width - 2))
    c1 = draw(st.integers(c0 + 1, width - 1))
    return Grid(file="t.csv", name="", style="sheet", cells=cells, merged=merged), c0, c1


@settings(max_examples=400, deadline=None)
@given(grids(), st.sampled_from(["threat", "control", "element"]), st.data())
def test_each_row_test_answers_as_its_plain_definition(gc: tuple[Grid, int, int], kind: str, data: st.DataObject) -> None:
    g, c0, c1 = gc
    id_col = data.draw(st.sampled_from([None, c0, c1]))
    key_cols = data.draw(st.lists(st.integers(c0, c1), max_size=2))
    block = Block(g, kind, kind, [], [Column(c, f"h{c}", None) for c in range(c0, c1 + 1)], list(range(len(g.cells))), c0, c1)
    for r in range(len(g.cells)):
        cells = [g.data_text(r, c) for c in range(c0, c1 + 1)]
        filled = _filled(cells, c0)
        assert filled == [(c, g.data_text(r, c).strip()) for c in range(c0, c1 + 1) if g.data_text(r, c).strip()]
        assert _other_row(filled, id_col, V) == other_row(g, r, c0, c1, id_col, V)
        assert _lone_group(cells, filled, c0, id_col, V) == plain_lone_group_cell(g, r, c0, c1, id_col)
        assert _lone_group_cell(g, r, c0, c1, id_col, V) == plain_lone_group_cell(g, r, c0, c1, id_col)
        assert _continuation_row(block, filled, key_cols) == plain_continuation_row(g, r, block, key_cols)


def _records(block: Block) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for rec in block_records(block, V):
        if isinstance(rec, RowRecord):
            out.append((rec.locator, rec.values, rec.extra, rec.group, rec.joined))
        else:
            out.append((rec.locator, rec.reason))
    return out


def test_a_table_whose_columns_skip_a_grid_column_reads_each_column_own_cell() -> None:
    """Rows of a table with a column per grid column are read from the row's cells; any other table
    reads each column's cell on its own. Both give what the row holds."""
    cells = [
        ["T-01", "Replay of a dose command", "ignored", "High"],
        ["T-02", "Spoofed pump", "ignored", "Low"],
        ["Spoofing threats", "", "", ""],
        ["T-03", "Forged order", "ignored", "Medium"],
    ]
    g = Grid(file="t.csv", name="", style="sheet", cells=[list(r) for r in cells])
    cols = [Column(0, "ID", "id"), Column(1, "Threat", "title"), Column(3, "Risk", "risk")]
    sparse = _records(Block(g, "threat", "threat", [], cols, [0, 1, 2, 3], 0, 3))
    g2 = Grid(file="t.csv", name="", style="sheet", cells=[[r[0], r[1], r[3]] for r in cells])
    dense = _records(
        Block(
            g2, "threat", "threat", [], [Column(0, "ID", "id"), Column(1, "Threat", "title"), Column(2, "Risk", "risk")], [0, 1, 2, 3], 0, 2
        )
    )
    assert [r[1:] for r in sparse] == [r[1:] for r in dense]
    assert sparse[0][1] == {"id": "T-01", "title": "Replay of a dose command", "risk": "High"}
    assert "group heading" in str(sparse[2][1]) and sparse[3][3] == "Spoofing threats"
