"""A comparison of PTMs as a workbook, a self-contained page or Markdown (``mdptm compare -o FILE``).

All three show the same rows: one column per device, the best of a row in green and the worst in red
where the row has an order, "not stated" in amber (never green), the biggest differences first, and
where each value came from. The workbook and the page also chart the open threats per device.
"""

from __future__ import annotations

import html
from pathlib import Path

from mdptm.base.office import save_workbook
from mdptm.base.output import DEFAULT_EPOCH, staged_file
from mdptm.errors import InputError
from mdptm.pipeline.compare import LEVELS, NOT_STATED, Comparison, Row
from mdptm.render.markdown import escape

BEST, WORST, SILENT = "C6EFCE", "FFC7CE", "FFEB9C"
LEVEL_COLOURS = {"critical": "8B0000", "high": "D9534F", "medium": "F0AD4E", "low": "5CB85C"}


def _mark(row: Row, i: int) -> str:
    if not row.cells[i].stated:
        return "silent"
    if i in row.best:
        return "best"
    if i in row.worst:
        return "worst"
    return ""


def write_comparison(comparison: Comparison, path: Path, epoch: int = DEFAULT_EPOCH) -> None:
    """Write by the file's extension (.xlsx, .html, .md), staged so nothing is half-written."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".html", ".htm", ".md"):
        raise InputError("the comparison is written as .xlsx, .html or .md", file=str(path))
    with staged_file(path) as tmp:
        if suffix == ".xlsx":
            _xlsx(comparison, tmp, epoch)
        else:
            text = _md(comparison) if suffix == ".md" else _html(comparison)
            tmp.write_text(text, encoding="utf-8", newline="\n")


# ------------------------------------------------------------------------------------------ Markdown


def _md_text(text: str) -> str:
    """Model text inside a table cell, on one line, escaped by the one Markdown escaping function."""
    return escape(" ".join(text.split()))


def _md(c: Comparison) -> str:
    names = [d.label for d in c.devices]
    lines = ["# Public threat models compared", ""]
    lines.append("Devices: " + "; ".join(f"**{_md_text(d.label)}** ({d.origin}, `{_md_text(d.path.name)}`)" for d in c.devices) + ".")
    lines += ["", "## Biggest differences", ""]
    lines += [f"- {_md_text(h)}" for h in c.highlights] or ["- The PTMs do not differ on the facts compared."]
    lines += ["", "Best of a row: ✅; worst: ❌; not stated: ⚠ (never counted as a pass).", ""]
    group = None
    for row in c.rows:
        if row.group != group:
            group = row.group
            lines += ["", f"## {group}", "", "| | " + " | ".join(_md_text(n) for n in names) + " |", "|---" * (len(names) + 1) + "|"]
        cells = []
        for i, cell in enumerate(row.cells):
            mark = {"best": "✅ ", "worst": "❌ ", "silent": "⚠ "}.get(_mark(row, i), "")
            cells.append(mark + _md_text(cell.text))
        lines.append(f"| {_md_text(row.label)} | " + " | ".join(cells) + " |")
    lines += ["", "## Where each value came from", ""]
    for row in c.rows:
        lines.append(
            f"- {_md_text(row.label)}: "
            + "; ".join(f"{_md_text(d.label)}: {_md_text(cell.source)}" for d, cell in zip(c.devices, row.cells, strict=True))
        )
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------- HTML

_CSS = (
    """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1d1d1f;max-width:1400px}
h1{font-size:1.6rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem;table-layout:fixed}
col.fact{width:18rem}
th,td{border:1px solid #ccc;padding:.4rem .5rem;vertical-align:top;text-align:left}
th{background:#f2f2f2}td.best{background:#BEST}td.worst{background:#WORST}td.silent{background:#SILENT}
td small,th small{display:block;color:#666;margin-top:.25rem;font-weight:normal}
.legend span{padding:.1rem .4rem;margin-right:.5rem}
""".replace("BEST", BEST)
    .replace("WORST", WORST)
    .replace("SILENT", SILENT)
)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _svg_chart(c: Comparison) -> str:
    """Stacked bars of open threats per residual level, one per device: which device leaves the most open."""
    width, bar_h, gap, left = 640, 26, 12, 220
    total = max([sum(v) for v in c.chart.values()] + [1])
    height = len(c.chart) * (bar_h + gap) + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" aria-label="Open threats per device">']
    for n, (label, counts) in enumerate(c.chart.items()):
        y = 10 + n * (bar_h + gap)
        parts.append(f'<text x="{left - 8}" y="{y + bar_h * 0.7:.0f}" text-anchor="end" font-size="12">{_e(label)}</text>')
        x = float(left)
        for level, count in zip(LEVELS, counts, strict=True):
            w = (width - left - 40) * count / total
            if count:
                box = f'x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#{LEVEL_COLOURS[level]}"'
                parts.append(f"<rect {box}><title>{count} {level}</title></rect>")
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + bar_h * 0.7:.0f}" font-size="12">{sum(counts)}</text>')
    ly = height - 14
    for k, level in enumerate(LEVELS):
        parts.append(f'<rect x="{left + k * 90}" y="{ly - 9}" width="10" height="10" fill="#{LEVEL_COLOURS[level]}"/>')
        parts.append(f'<text x="{left + k * 90 + 14}" y="{ly}" font-size="11">{level}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _html(c: Comparison) -> str:
    head = "".join(f"<th>{_e(d.label)}<small>{_e(d.origin)}: {_e(d.path.name)}</small></th>" for d in c.devices)
    body = []
    group = None
    for row in c.rows:
        if row.group != group:
            group = row.group
            body.append(f'<tr><th colspan="{len(c.devices) + 1}">{_e(group)}</th></tr>')
        tds = "".join(
            f'<td class="{_mark(row, i)}">{_e(cell.text)}<small>{_e(cell.source)}</small></td>' for i, cell in enumerate(row.cells)
        )
        body.append(f"<tr><td>{_e(row.label)}</td>{tds}</tr>")
    items = "".join(f"<li>{_e(h)}</li>" for h in c.highlights) or "<li>The PTMs do not differ on the facts compared.</li>"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>Public threat models compared</title><style>{_CSS}</style></head><body>"
        "<h1>Public threat models compared</h1>"
        f"<h2>Biggest differences</h2><ul>{items}</ul>"
        f"<h2>Open threats by residual risk level</h2>{_svg_chart(c)}"
        f'<p class="legend"><span style="background:#{BEST}">best of the row</span>'
        f'<span style="background:#{WORST}">worst of the row</span><span style="background:#{SILENT}">{NOT_STATED}: never a pass</span></p>'
        f'<table><colgroup><col class="fact">{"<col>" * len(c.devices)}</colgroup>'
        f"<thead><tr><th></th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></body></html>\n"
    )


# ---------------------------------------------------------------------------------------------- xlsx


def _xlsx(c: Comparison, path: Path, epoch: int) -> None:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Comparison"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    fills = {k: PatternFill("solid", start_color=v, end_color=v) for k, v in (("best", BEST), ("worst", WORST), ("silent", SILENT))}
    ws.append(["Public threat models compared"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["Biggest differences"])
    ws.cell(row=ws.max_row, column=1).font = bold
    for h in c.highlights or ["The PTMs do not differ on the facts compared."]:
        ws.append([h])
    ws.append([])
    ws.append(["Group", "Fact", *(d.label for d in c.devices), *(f"Source: {d.label}" for d in c.devices)])
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = bold
    for row in c.rows:
        ws.append([row.group, row.label, *(cell.text for cell in row.cells), *(cell.source for cell in row.cells)])
        r = ws.max_row
        for i in range(len(c.devices)):
            mark = _mark(row, i)
            target = ws.cell(row=r, column=3 + i)
            target.alignment = wrap
            if mark:
                target.fill = fills[mark]
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    widths = [24, 44, *([48] * len(c.devices)), *([30] * len(c.devices))]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w

    chart_ws = wb.create_sheet("Open threats")
    chart_ws.append(["Device", *LEVELS])
    for label, counts in c.chart.items():
        chart_ws.append([label, *counts])
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
    chart.title = "Open threats by residual risk level"
    data = Reference(chart_ws, min_col=2, max_col=1 + len(LEVELS), min_row=1, max_row=1 + len(c.chart))
    cats = Reference(chart_ws, min_col=1, min_row=2, max_row=1 + len(c.chart))
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    for series, level in zip(chart.series, LEVELS, strict=True):
        series.graphicalProperties.solidFill = LEVEL_COLOURS[level]
    chart_ws.add_chart(chart, "G2")

    save_workbook(wb, path, epoch)
