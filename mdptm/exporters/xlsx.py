"""``ptm.xlsx``: the public threat model as a workbook a hospital can sort and filter.

One sheet per kind of item (threats, controls, elements, flows, assets, views, trust zones,
assumptions) and one coverage sheet per framework, each with a frozen, filtered header row,
sensible widths, wrapped text and risk levels in colour.

Written in openpyxl's streaming (write-only) mode so a 10 000-threat register stays fast; only the
cells that need a style get one. A model string that starts with ``=`` stays text: a published
workbook never turns a threat description into a formula.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from mdptm.base.output import Spool
from mdptm.model import Model, Risk
from mdptm.model.index import threats_by_control, threats_by_target, views_by_threat
from mdptm.model.results import Coverage
from mdptm.model.vocabulary import risk_scale
from mdptm.plugins import ExportContext, Exporter
from mdptm.render.diagrams import level_colour
from mdptm.render.docx import chain_pieces, scrub_office_file

MAX_CELL = 32767  # Excel's limit for one cell
HEADER_FILL = "1F4E79"
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    wrap: bool = False


def _clean(value: object) -> object:
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        if len(text) > MAX_CELL:
            text = text[: MAX_CELL - 40] + " … [truncated: see ptm.json]"
        return text
    return value


def _join(items: Iterable[str | None], sep: str = ", ") -> str:
    return sep.join(i for i in items if i)


class SheetWriter:
    """One sheet: openpyxl writes the styled header row, frame and filter; the data rows are kept
    as ``<row>`` XML text and spliced in after saving (see :func:`write_xlsx`), which is several
    times faster than building a cell object per value."""

    def __init__(self, wb: Workbook, title: str, columns: Sequence[Column], used: set[str]):
        self.ws = wb.create_sheet(_sheet_name(title, used))
        self.columns = columns
        self.rows = Spool()  # the data rows' XML, written as added
        self.letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
        for letter, col in zip(self.letters, columns, strict=True):
            self.ws.column_dimensions[letter].width = col.width
        self.ws.freeze_panes = "B2" if len(columns) > 1 else "A2"
        self.ws.print_title_rows = "1:1"
        self.wb = wb
        self._styles: dict[tuple[bool, str | None], int] = {}
        head = []
        side = Side(style="thin", color="FFFFFF")
        for col in columns:
            cell = WriteOnlyCell(self.ws, col.header)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            cell.border = Border(left=side, right=side)
            head.append(cell)
        self.ws.append(head)

    @property
    def member(self) -> str:
        """The sheet's part name inside the .xlsx zip."""
        return str(self.ws.path).lstrip("/")

    def set_filter(self, rows: int) -> None:
        """Filters must be declared before the sheet is written."""
        self.ws.auto_filter.ref = f"A1:{self.letters[-1]}{rows + 1}"

    def style_id(self, wrap: bool, fill: str | None) -> int:
        """The workbook's cell-format index for top-aligned (optionally wrapped, filled) cells."""
        key = (wrap, fill)
        if key not in self._styles:
            proto = WriteOnlyCell(self.ws, "")
            proto.alignment = Alignment(wrap_text=wrap, vertical="top")
            if fill:
                proto.fill = PatternFill("solid", fgColor=fill)
            self._styles[key] = int(proto.style_id)  # registers the format with the workbook
        return self._styles[key]

    def append(self, values: Sequence[object], fills: dict[int, str | None] | None = None) -> None:
        r = self.rows.count + 2
        cells = []
        lines = 1
        for c, col in enumerate(self.columns):
            value = _clean(values[c]) if c < len(values) else None
            if value is None or value == "":
                continue
            if col.wrap and isinstance(value, str):
                lines = max(lines, _line_count(value, col.width))
            fill = fills.get(c) if fills else None
            style = self.style_id(col.wrap, fill)
            ref = f"{self.letters[c]}{r}"
            if isinstance(value, bool):
                cells.append(f'<c r="{ref}" s="{style}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int | float):
                cells.append(f'<c r="{ref}" s="{style}" t="n"><v>{value}</v></c>')
            else:  # always an inline string: text never becomes a formula
                cells.append(f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>')
        # an explicit height: not every spreadsheet program fits rows of wrapped text on opening
        height = f' ht="{min(409, 15 * lines + 2)}" customHeight="1"' if lines > 1 else ""
        self.rows.write(f'<row r="{r}"{height}>{"".join(cells)}</row>')

    def xml_rows(self) -> Iterator[bytes]:
        """The data rows in pieces, read once."""
        return self.rows.pieces()


def _line_count(text: str, width: float) -> int:
    """Lines a wrapped cell needs: a column width unit holds about 1.15 characters of body text."""
    per_line = max(int(width * 1.15), 1)
    return sum(max(1, -(-len(segment) // per_line)) for segment in text.split("\n"))


def _sheet_name(title: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub(" ", title).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name.lower())
    return name


def _risk_cells(r: Risk | None) -> list[str]:
    if r is None:
        return ["", "", ""]
    return [r.likelihood or "", r.severity or "", (r.level or "").capitalize()]


class WorkbookBuilder:
    """Fills one workbook from a model and export context."""

    def __init__(self, model: Model, ctx: ExportContext):
        self.m = model
        self.ctx = ctx
        self.wb = Workbook(write_only=True)
        self.used: set[str] = set()
        self.sheets: list[SheetWriter] = []
        m = model
        self.elements = {e.id: e for e in m.elements}
        self.flows = {f.id: f for f in m.flows}
        self.assets = {a.id: a for a in m.assets}
        self.zones = {z.id: z for z in m.trust_zones}
        self.controls = {c.id: c for c in m.controls}
        self.threats_by_control = threats_by_control(m)
        self.threats_by_target = threats_by_target(m)
        self.views_by_threat = views_by_threat(m)

    def name(self, item_id: str) -> str:
        for table in (self.elements, self.flows, self.assets, self.zones):
            item = table.get(item_id)
            if item is not None:
                nm = getattr(item, "name", "")
                return f"{nm} ({item_id})" if nm and nm != item_id else item_id
        return item_id

    def sheet(self, title: str, columns: Sequence[Column], rows: int | None) -> SheetWriter:
        writer = SheetWriter(self.wb, title, columns, self.used)
        if rows is not None:
            writer.set_filter(rows)
        self.sheets.append(writer)
        return writer

    # ---- sheets

    def about(self) -> None:
        m, p, d = self.m, self.m.product, self.m.document
        w = self.sheet("About", [Column("Item", 26), Column("Value", 90, wrap=True)], None)
        cov = self.ctx.coverage
        facts = [
            ("Title", d.title or f"{p.name} Public Threat Model"),
            ("Product", _join([p.name, p.model], " ")),
            ("Product version", p.version or ""),
            ("Manufacturer", p.manufacturer),
            ("Device type", p.device_type or ""),
            ("Intended use", p.intended_use or ""),
            ("Document version", d.version),
            ("Document date", d.date or ""),
            ("Document status", d.status.replace("_", " ")),
            ("Threats", str(len(m.threats))),
            ("Controls", str(len(m.controls))),
            ("Elements / flows / assets", f"{len(m.elements)} / {len(m.flows)} / {len(m.assets)}"),
            (
                "Coverage",
                "assessed: one sheet per framework" if cov and cov.frameworks else "not assessed for this version",
            ),
            (
                "Report a vulnerability",
                _join([m.support.vulnerability_disclosure or "", m.support.contact or ""], "; "),
            ),
            ("End of support", m.support.end_of_support or ""),
            (
                "Reading this workbook",
                "Each sheet has a filter on its header row. Risk levels are coloured: "
                "green low, yellow medium, orange high, red critical. The same content, with "
                "diagrams, is in ptm.docx and index.html; the machine-readable model is ptm.json.",
            ),
        ]
        if self.ctx.draft:
            facts.insert(0, ("DRAFT", "Not approved for release."))
        for k, v in facts:
            w.append([k, v])

    def threats(self) -> None:
        m = self.m
        cols = [
            Column("ID", 10),
            Column("Title", 38, wrap=True),
            Column("Description", 60, wrap=True),
            Column("STRIDE", 22, wrap=True),
            Column("Affects", 34, wrap=True),
            Column("Assets", 26, wrap=True),
            Column("Likelihood", 12),
            Column("Severity", 12),
            Column("Risk", 10),
            Column("Residual likelihood", 12),
            Column("Residual severity", 12),
            Column("Residual risk", 11),
            Column("Patient harm", 13),
            Column("Multi-patient", 11),
            Column("Status", 18),
            Column("Controls", 40, wrap=True),
            Column("Rationale", 40, wrap=True),
            Column("CWE", 14, wrap=True),
            Column("CAPEC", 14, wrap=True),
            Column("CVSS", 18),
            Column("Views", 16, wrap=True),
        ]
        w = self.sheet("Threats", cols, len(m.threats))
        for t in m.threats:
            controls = "\n".join(f"{c} {self.controls[c].title}" if c in self.controls else c for c in dict.fromkeys(t.controls))
            row = [
                t.id,
                t.title,
                t.description,
                _join(s.replace("_", " ") for s in t.stride),
                _join((self.name(x) for x in t.targets), "; "),
                _join((self.name(x) for x in t.assets), "; "),
                *_risk_cells(t.risk),
                *_risk_cells(t.residual_risk),
                t.patient_harm or "",
                "" if t.multi_patient is None else ("yes" if t.multi_patient else "no"),
                t.status.replace("_", " "),
                controls,
                t.rationale or "",
                _join(t.cwe),
                _join(t.capec),
                t.cvss or "",
                _join(self.views_by_threat.get(t.id, [])),
            ]
            fills = {
                8: level_colour(t.risk.level if t.risk else None),
                11: level_colour(t.residual_risk.level if t.residual_risk else None),
            }
            w.append(row, fills)

    def controls_sheet(self) -> None:
        m = self.m
        cols = [
            Column("ID", 10),
            Column("Title", 40, wrap=True),
            Column("Description", 55, wrap=True),
            Column("FDA category", 22),
            Column("Responsibility", 15),
            Column("Status", 15),
            Column("Verification evidence", 40, wrap=True),
            Column("Threats addressed", 30, wrap=True),
        ]
        w = self.sheet("Controls", cols, len(m.controls))
        for c in m.controls:
            w.append(
                [
                    c.id,
                    c.title,
                    c.description,
                    c.category.replace("_", " "),
                    c.responsibility.replace("_", " "),
                    c.status.replace("_", " "),
                    _join(c.verification, "; "),
                    _join(self.threats_by_control.get(c.id, [])),
                ]
            )

    def elements_sheet(self) -> None:
        m = self.m
        cols = [
            Column("ID", 12),
            Column("Name", 30, wrap=True),
            Column("Kind", 16),
            Column("Trust zone", 24, wrap=True),
            Column("Description", 60, wrap=True),
            Column("Threats", 30, wrap=True),
        ]
        w = self.sheet("Elements", cols, len(m.elements))
        for e in m.elements:
            w.append(
                [
                    e.id,
                    e.name,
                    e.kind.replace("_", " "),
                    self.name(e.trust_zone) if e.trust_zone else "",
                    e.description,
                    _join(self.threats_by_target.get(e.id, [])),
                ]
            )

    def flows_sheet(self) -> None:
        m = self.m
        cols = [
            Column("ID", 10),
            Column("Name", 28, wrap=True),
            Column("From", 28, wrap=True),
            Column("To", 28, wrap=True),
            Column("Bidirectional", 12),
            Column("Protocol", 22, wrap=True),
            Column("Port", 10),
            Column("Authentication", 22, wrap=True),
            Column("Encryption", 18, wrap=True),
            Column("Data", 30, wrap=True),
            Column("Description", 50, wrap=True),
            Column("Threats", 24, wrap=True),
        ]
        w = self.sheet("Flows", cols, len(m.flows))
        for f in m.flows:
            w.append(
                [
                    f.id,
                    f.name,
                    self.name(f.source),
                    self.name(f.target),
                    "yes" if f.bidirectional else "no",
                    f.protocol or "",
                    f.port or "",
                    f.authentication if f.authentication is not None else "unknown",
                    f.encryption if f.encryption is not None else "unknown",
                    _join((self.name(a) for a in f.data), "; "),
                    f.description,
                    _join(self.threats_by_target.get(f.id, [])),
                ]
            )

    def assets_sheet(self) -> None:
        m = self.m
        cols = [
            Column("ID", 10),
            Column("Name", 30, wrap=True),
            Column("Kind", 18),
            Column("Confidentiality", 14),
            Column("Integrity", 11),
            Column("Availability", 12),
            Column("Stored in", 34, wrap=True),
            Column("Disposal", 40, wrap=True),
            Column("Description", 50, wrap=True),
        ]
        w = self.sheet("Assets", cols, len(m.assets))
        for a in m.assets:
            w.append(
                [
                    a.id,
                    a.name,
                    a.kind.replace("_", " "),
                    a.confidentiality or "",
                    a.integrity or "",
                    a.availability or "",
                    _join((self.name(e) for e in a.stored_in), "; "),
                    a.disposal or "",
                    a.description,
                ]
            )

    def views_sheet(self) -> None:
        m = self.m
        cols = [
            Column("ID", 12),
            Column("Kind", 24),
            Column("Name", 32, wrap=True),
            Column("Description", 50, wrap=True),
            Column("Elements", 30, wrap=True),
            Column("Flows", 24, wrap=True),
            Column("Threats", 24, wrap=True),
            Column("Controls", 24, wrap=True),
            Column("Steps", 50, wrap=True),
        ]
        w = self.sheet("Views", cols, len(m.views))
        for v in m.views:
            steps = "\n".join(f"{i}. {s}" for i, s in enumerate(v.steps, start=1))
            w.append(
                [
                    v.id,
                    v.kind.replace("_", " "),
                    v.name,
                    v.description,
                    _join(v.elements),
                    _join(v.flows),
                    _join(v.threats),
                    _join(v.controls),
                    steps,
                ]
            )

    def zones_sheet(self) -> None:
        m = self.m
        members: dict[str, list[str]] = defaultdict(list)
        for e in m.elements:
            if e.trust_zone:
                members[e.trust_zone].append(e.id)
        cols = [
            Column("ID", 12),
            Column("Name", 30, wrap=True),
            Column("Trust level", 11),
            Column("Description", 50, wrap=True),
            Column("Elements", 40, wrap=True),
        ]
        w = self.sheet("Trust zones", cols, len(m.trust_zones))
        for z in m.trust_zones:
            w.append([z.id, z.name, z.trust_level, z.description, _join(members.get(z.id, []))])

    def assumptions_sheet(self) -> None:
        m = self.m
        cols = [
            Column("ID", 12),
            Column("Type", 14),
            Column("Text", 70, wrap=True),
            Column("Responsibility or rationale", 40, wrap=True),
        ]
        w = self.sheet("Assumptions", cols, len(m.assumptions) + len(m.out_of_scope))
        for a in m.assumptions:
            w.append([a.id, "assumption", a.text, (a.responsibility or "").replace("_", " ")])
        for o in m.out_of_scope:
            w.append([o.id, "out of scope", o.text, o.rationale or ""])

    def coverage_sheets(self, coverage: Coverage | None) -> None:
        if coverage is None:
            return
        colours = risk_scale().status_colours
        light = {"covered": "C8E6C9", "partial": "FFE082", "gap": "EF9A9A", "not_applicable": "E0E0E0"}
        for fw in coverage.frameworks:
            cols = [
                Column("Clause", 16),
                Column("Requirement", 40, wrap=True),
                Column("Status", 15),
                Column("Evidence", 30, wrap=True),
                Column("Rationale", 60, wrap=True),
                Column("Summary", 50, wrap=True),
                Column("Source", 30, wrap=True),
                Column("Override", 10),
                Column("Confirmed by maker", 30, wrap=True),
            ]
            w = self.sheet(f"Coverage {fw.id}", cols, len(fw.clauses))
            for c in fw.clauses:
                w.append(
                    [
                        c.id,
                        c.title,
                        c.status.replace("_", " "),
                        _join(c.evidence),
                        c.rationale,
                        c.summary,
                        c.source,
                        "yes" if c.overridden else "",
                        f"{c.confirmed.by}, {c.confirmed.date}" if c.confirmed else "",
                    ],
                    {2: light.get(c.status) or str(colours.get(c.status, ""))},
                )

    def build(self) -> Workbook:
        self.about()
        self.threats()
        self.controls_sheet()
        self.elements_sheet()
        self.flows_sheet()
        self.assets_sheet()
        self.views_sheet()
        self.zones_sheet()
        self.assumptions_sheet()
        self.coverage_sheets(self.ctx.coverage)
        return self.wb


def write_xlsx(model: Model, path: Path, ctx: ExportContext) -> None:
    """Write the workbook, splice in the data rows, then give it neutral properties and fixed
    zip timestamps."""
    builder = WorkbookBuilder(model, ctx)
    wb = builder.build()
    wb.save(str(path))
    rows = {w.member: w.xml_rows() for w in builder.sheets}  # part names are assigned while saving
    if len(rows) != len(builder.sheets):
        raise RuntimeError("sheet part names are not unique")

    def splice(name: str, data: bytes) -> bytes | Iterator[bytes]:
        if name not in rows:
            return data
        head, sep, tail = data.rpartition(b"</sheetData>")
        if not sep:
            raise RuntimeError(f"no sheetData in {name}")
        return chain_pieces(head, rows.pop(name), sep + tail)

    scrub_office_file(path, title=model.document.title or f"{model.product.name} Public Threat Model", epoch=ctx.epoch, edit=splice)


class XlsxExporter(Exporter):
    name = "xlsx"
    suffix = ".xlsx"

    def write(self, model: Model, path: Path, ctx: ExportContext) -> None:
        write_xlsx(model, path, ctx)
