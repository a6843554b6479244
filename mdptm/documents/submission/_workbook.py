"""The confidential workbooks of the submission set: one sheet layout (title block, header, fills) and one save."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from mdptm.base.office import save_workbook
from mdptm.documents.submission._shared import CONFIDENTIAL, HEADER_FILL, XLSX_CELL_LIMIT
from mdptm.model import Model
from mdptm.plugins import ExportContext

# ---------------------------------------------------------------------------------- workbooks


@dataclass
class Sheet:
    """One worksheet: a title block, a header row and data rows with optional cell fills."""

    name: str
    title: str
    note: str
    header: list[str]
    rows: list[list[Any]]
    widths: list[float]
    fills: dict[tuple[int, int], str]  # (data row, column) -> RRGGBB; column -1 fills the whole row
    freeze_columns: int = 1


_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEADER_ROW = 4


def _cell_value(value: object) -> Any:
    """Text safe for a cell: no control characters, within Excel's length limit."""
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(text) > XLSX_CELL_LIMIT:
        text = text[: XLSX_CELL_LIMIT - 40] + " … [truncated: over the cell limit]"
    return text


def _row_height(values: Sequence[object], widths: Sequence[float]) -> float:
    """Points for a row of wrapped text, so every viewer shows it whole (not all of them autofit)."""
    lines = 1
    for value, width in zip(values, widths, strict=False):
        per_line = max(int(width * 1.1) - 1, 1)
        text = str(value) if value is not None else ""
        lines = max(lines, sum(max(math.ceil(len(part) / per_line), 1) for part in text.split("\n")))
    return min(15.0 * lines + 2, 409.0)


def _product_line(model: Model) -> str:
    p, d = model.product, model.document
    bits = [p.name, p.model or "", f"version {p.version}" if p.version else "", p.manufacturer]
    return " · ".join(b for b in bits if b) + f" — threat model version {d.version}" + (f", {d.date}" if d.date else "")


def _add_sheet(wb: Workbook, sheet: Sheet, model: Model, ctx: ExportContext) -> Worksheet:
    ws = wb.create_sheet(sheet.name)
    ncols = len(sheet.header)
    last_col = get_column_letter(ncols)
    stamp = f"{CONFIDENTIAL}{' — DRAFT' if ctx.draft else ''}"
    ws["A1"] = f"{stamp} — {sheet.title}"
    ws["A1"].font = Font(bold=True, size=14, color="C00000")
    ws["A2"] = _cell_value(_product_line(model))
    ws["A2"].font = Font(italic=True, color="404040")
    ws["A3"] = _cell_value(sheet.note)
    ws["A3"].font = Font(size=9, color="595959")
    ws["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    for row in (1, 2, 3):
        if ncols > 1:
            ws.merge_cells(f"A{row}:{last_col}{row}")
    ws.row_dimensions[3].height = 30
    for c, text in enumerate(sheet.header, start=1):
        cell = ws.cell(row=_HEADER_ROW, column=c, value=text)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = _WRAP
        cell.border = _BORDER
    for r, values in enumerate(sheet.rows):
        row_fill = sheet.fills.get((r, -1))
        for c, value in enumerate(values):
            cell = ws.cell(row=_HEADER_ROW + 1 + r, column=c + 1, value=_cell_value(value))
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # model text, never a formula
            cell.alignment = _WRAP
            cell.border = _BORDER
            colour = sheet.fills.get((r, c), row_fill)
            if colour:
                cell.fill = PatternFill("solid", fgColor=colour)
    for c, width in enumerate(sheet.widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    for r, values in enumerate(sheet.rows):
        ws.row_dimensions[_HEADER_ROW + 1 + r].height = _row_height(values, sheet.widths)
    ws.row_dimensions[_HEADER_ROW].height = _row_height(sheet.header, sheet.widths)
    last_row = _HEADER_ROW + max(len(sheet.rows), 1)
    ws.auto_filter.ref = f"A{_HEADER_ROW}:{last_col}{last_row}"
    ws.freeze_panes = ws.cell(row=_HEADER_ROW + 1, column=sheet.freeze_columns + 1)
    ws.print_title_rows = f"{_HEADER_ROW}:{_HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.center.text = stamp
    ws.oddHeader.center.font = "Calibri,Bold"
    ws.oddHeader.center.color = "C00000"
    ws.oddHeader.right.text = sheet.title
    ws.oddFooter.left.text = _cell_value(f"{stamp} — {model.product.name}").replace("&", "&&")
    ws.oddFooter.right.text = "Page &P of &N"
    return ws


def _save_workbook(wb: Workbook, sheets: Sequence[Sheet], model: Model, path: Path, ctx: ExportContext, title: str) -> None:
    """Write the sheets with pinned document properties (no author, no 'now') and normalise the zip."""
    wb.remove(wb.active)
    for sheet in sheets:
        _add_sheet(wb, sheet, model, ctx)
    wb.active = 0
    props = wb.properties
    props.creator = "mdptm"
    props.lastModifiedBy = "mdptm"
    props.title = f"{CONFIDENTIAL} — {title}"
    save_workbook(wb, path, ctx.epoch)
