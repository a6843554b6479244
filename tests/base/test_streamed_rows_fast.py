"""A streamed sheet's row XML, written with per-text memory, is what the plain per-cell definition writes;
risk colours worked out once per scale are those of the scale."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook

from mdptm.base.office import Column, StreamedSheet, _line_count, cell_text, save_workbook
from mdptm.model.vocabulary import risk_scale
from mdptm.render.diagrams import level_colour


def _plain_row(sheet: StreamedSheet, r: int, values: list[Any], fills: dict[int, str | None] | None) -> str:
    """The row as StreamedSheet.append wrote it before it remembered texts (the definition)."""
    cells = []
    lines = 1
    for c, col in enumerate(sheet.columns):
        value = cell_text(values[c]) if c < len(values) else None
        if value is None or value == "":
            continue
        if col.wrap and isinstance(value, str):
            lines = max(lines, _line_count(value, col.width))
        fill = fills.get(c) if fills else None
        style = sheet.style_id(col.wrap, fill)
        ref = f"{sheet.letters[c]}{r}"
        if isinstance(value, bool):
            cells.append(f'<c r="{ref}" s="{style}" t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, int | float):
            cells.append(f'<c r="{ref}" s="{style}" t="n"><v>{value}</v></c>')
        else:
            cells.append(f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>')
    height = f' ht="{min(409, 15 * lines + 2)}" customHeight="1"' if lines > 1 else ""
    return f'<row r="{r}"{height}>{"".join(cells)}</row>'


VALUES: list[Any] = [
    None,
    "",
    "\x01",
    "\x01\x02",
    "short",
    "x" * 10,
    "x" * 11,
    "x" * 12,
    "x" * 40,
    "a & b < c > d",
    "line one\nline two\n\nfour",
    "tab\tand\x0bvertical",
    "é—…" * 30,
    "y" * 33000,
    0,
    7,
    2.5,
    True,
    False,
    ["not", "a", "string"],
]


def test_rows_are_those_of_the_plain_definition(tmp_path: Path) -> None:
    rnd = random.Random(7)
    columns = [Column("ID", 10), Column("Title", 10.5, wrap=True), Column("Text", 30, wrap=True), Column("N", 8)]
    wb = Workbook(write_only=True)
    sheet = StreamedSheet(wb, "Rows", columns, set())
    expected = []
    for r in range(2, 2 + 600):
        values = [rnd.choice(VALUES) for _ in range(rnd.randint(0, 5))]
        fills = rnd.choice([None, {}, {1: "FF0000"}, {2: None, 3: "00FF00"}])
        expected.append(_plain_row(sheet, r, values, fills))
        sheet.append(values, fills)
    written = sheet.rows.text()
    save_workbook(wb, tmp_path / "rows.xlsx", streamed=[sheet])  # the sheet is finished and its spool emptied
    assert written == "".join(expected)


def test_level_colours_follow_the_scale() -> None:
    scale = risk_scale()
    for strong, table in ((False, scale.level_colours), (True, scale.level_strong_colours)):
        for level, colour in table.items():
            for _ in range(2):
                assert level_colour(str(level), strong) == (str(colour) if colour else None)
        assert level_colour("no such level", strong) is None
    assert level_colour(None) is None
