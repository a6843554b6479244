"""Coverage results as files and text: ``coverage.json``, ``coverage.xlsx`` and a terminal table.

Both files are deterministic: the same coverage gives the same bytes (no timestamps, fixed order).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from mdptm.base.office import save_workbook
from mdptm.base.output import DEFAULT_EPOCH, json_text, staged_file
from mdptm.errors import InputError
from mdptm.model.results import CLAUSE_STATUSES, Confirmation, Coverage, FrameworkResult

__all__ = ["coverage_data", "render_table", "write_coverage", "write_coverage_json", "write_coverage_xlsx"]

TITLE_WIDTH = 48  # terminal table: clause titles are clipped to this many characters
STATUS_LABEL = {"covered": "covered", "partial": "partial", "gap": "gap", "not_applicable": "n/a"}
STATUS_FILL = {"covered": "C6EFCE", "partial": "FFEB9C", "gap": "FFC7CE", "not_applicable": "EDEDED"}
CLAUSE_COLUMNS: tuple[tuple[str, str, int], ...] = (
    # (header, ClauseResult field, width)
    ("Group", "group", 16),
    ("Clause", "id", 16),
    ("Title", "title", 36),
    ("Status", "status", 12),
    ("Evidence", "evidence", 28),
    ("Rationale", "rationale", 70),
    ("Overridden", "overridden", 11),
    ("Confirmed by maker", "confirmed", 30),
    ("Relies on the hospital", "relies_on_hospital", 20),
    ("Summary", "summary", 60),
    ("Source", "source", 50),
    ("Confidence", "confidence", 12),
)


def coverage_data(coverage: Coverage) -> dict[str, object]:
    """The coverage JSON (SPEC §4): frameworks with their clauses and a per-status summary."""
    return coverage.model_dump(mode="json")


def write_coverage_json(coverage: Coverage, path: Path) -> None:
    text = json_text(coverage_data(coverage))
    path.write_text(text, encoding="utf-8", newline="\n")


def _sheet_title(fid: str, used: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", "-", fid)[:31] or "framework"
    title, n = base, 2
    while title.casefold() in used:
        suffix = f"~{n}"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.casefold())
    return title


def _cell_value(value: object) -> object:
    if isinstance(value, Confirmation):
        return f"{value.by}, {value.date}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else ""
    if value is None:
        return ""
    if isinstance(value, str) and value in STATUS_LABEL:
        return STATUS_LABEL[value]
    return value


def write_coverage_xlsx(coverage: Coverage, path: Path, epoch: int = DEFAULT_EPOCH) -> None:
    """A summary sheet and one sheet per framework, statuses coloured, byte-for-byte reproducible."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    fills = {s: PatternFill("solid", start_color=c, end_color=c) for s, c in STATUS_FILL.items()}

    summary = wb.active
    summary.title = "Summary"
    header = ["Framework", "Title", "Version", *(STATUS_LABEL[s] for s in CLAUSE_STATUSES), "Clauses", "Note"]
    summary.append(header)
    for fw in coverage.frameworks:
        counts = [fw.summary.get(s, 0) for s in CLAUSE_STATUSES]
        summary.append([fw.id, fw.title, fw.version, *counts, len(fw.clauses), fw.note])
    for i, width in enumerate((16, 50, 40, 10, 10, 10, 10, 10, 80), start=1):
        summary.column_dimensions[get_column_letter(i)].width = width

    used = {"summary"}
    for fw in coverage.frameworks:
        ws = wb.create_sheet(_sheet_title(fw.id, used))
        ws.append([h for h, _, _ in CLAUSE_COLUMNS])
        status_col = next(i for i, (_, f, _) in enumerate(CLAUSE_COLUMNS) if f == "status")
        for clause in fw.clauses:
            row = [_cell_value(getattr(clause, f)) for _, f, _ in CLAUSE_COLUMNS]
            ws.append(row)
            ws.cell(row=ws.max_row, column=status_col + 1).fill = fills[clause.status]
        for i, (_, _, width) in enumerate(CLAUSE_COLUMNS, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions

    for ws in wb.worksheets:
        for cell in ws[1]:
            cell.font = bold
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = wrap
                if cell.data_type == "f":  # an id or justification starting with '=' is text, never a formula
                    cell.data_type = "s"

    wb.properties.creator = "mdptm"
    wb.properties.lastModifiedBy = None
    save_workbook(wb, path, epoch)


def write_coverage(coverage: Coverage, path: Path, epoch: int = DEFAULT_EPOCH) -> None:
    """Write coverage as .json or .xlsx by the file's extension; staged, so never half-written."""
    suffix = path.suffix.lower()
    if suffix not in (".json", ".xlsx"):
        raise InputError("coverage output must end in .json or .xlsx", file=str(path))
    with staged_file(path) as tmp:
        if suffix == ".json":
            write_coverage_json(coverage, tmp)
        else:
            write_coverage_xlsx(coverage, tmp, epoch)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _framework_lines(fw: FrameworkResult, verbose: bool, style: Callable[[str, str], str]) -> list[str]:
    lines = [f"{fw.id}: {fw.title}", f"  version: {fw.version}"] if fw.version else [f"{fw.id}: {fw.title}"]
    if fw.note:
        lines.append(f"  note: {fw.note}")
    id_w = max([len(c.id) for c in fw.clauses] + [6])
    title_w = min(max([len(c.title) for c in fw.clauses] + [5]), TITLE_WIDTH)
    for c in fw.clauses:
        label = STATUS_LABEL[c.status] + ("*" if c.overridden else "") + ("+" if c.confirmed else "")
        status = style(c.status, label.ljust(8))
        title = _clip(c.title, title_w).ljust(title_w) if c.evidence else _clip(c.title, title_w)
        evidence = f"  {_clip(', '.join(c.evidence), 40)}" if c.evidence else ""
        lines.append(f"  {c.id.ljust(id_w)}  {status}  {title}{evidence}")
        if verbose:
            lines.append(f"  {' ' * id_w}            {c.rationale}")
    counts = ", ".join(f"{fw.summary.get(s, 0)} {STATUS_LABEL[s]}" for s in CLAUSE_STATUSES)
    lines.append(f"  summary: {counts} ({len(fw.clauses)} clauses)")
    return lines


def render_table(coverage: Coverage, *, verbose: bool = False, style: Callable[[str, str], str] | None = None) -> str:
    """A readable table per framework with a summary line; *style(status, text)* may colour the status.

    ``*`` marks a verdict set by override, ``+`` one confirmed by the maker; *verbose* adds each clause's rationale.
    """
    from mdptm.mapping.coherence import disagreements

    styler = style or (lambda _status, text: text)
    blocks = ["\n".join(_framework_lines(fw, verbose, styler)) for fw in coverage.frameworks]
    split = disagreements(coverage)
    if split:
        blocks.append("\n".join(["linked clauses that disagree (one meaning, one verdict):", *(f"  {d.describe()}" for d in split)]))
    return "\n\n".join(blocks) + "\n"
