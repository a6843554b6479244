"""``ptm.xlsx``: the public threat model as a workbook a hospital can sort and filter.

One sheet per kind of item (threats, controls, elements, flows, assets, views, trust zones,
assumptions) and one coverage sheet per framework, each with a frozen, filtered header row,
sensible widths, wrapped text and risk levels in colour.

Each sheet is a list of fields (header, width, how to read the value from an item); the rows are
streamed (:class:`mdptm.base.office.StreamedSheet`) so a 10 000-threat register stays fast, and the
workbook is written like every other one (:func:`mdptm.base.office.save_workbook`). A model string
that starts with ``=`` stays text: a published workbook never turns a threat description into a formula.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mdptm.base.office import Column, StreamedSheet, save_workbook
from mdptm.model import Model, Risk
from mdptm.model.evidence import responsibility_shown, status_text
from mdptm.model.index import threats_by_control, threats_by_target, views_by_threat
from mdptm.model.results import Coverage
from mdptm.model.vocabulary import risk_scale
from mdptm.plugins import ExportContext, Exporter
from mdptm.render.colours import level_colour

if TYPE_CHECKING:
    from openpyxl import Workbook


@dataclass(frozen=True)
class Field:
    """One column of a sheet and how to read its value (and optionally its fill colour) from a row's item."""

    column: Column
    get: Callable[[Any], Any]
    fill: Callable[[Any], str | None] | None = None


def _f(
    header: str, width: float, get: Callable[[Any], Any], *, wrap: bool = False, fill: Callable[[Any], str | None] | None = None
) -> Field:
    return Field(Column(header, width, wrap), get, fill)


def _join(items: Iterable[str | None], sep: str = ", ") -> str:
    return sep.join(i for i in items if i)


def _words(value: str) -> str:
    return value.replace("_", " ")


def _risk_fields(prefix: str, attr: str, widths: tuple[float, float, float]) -> list[Field]:
    """Likelihood, severity and level of ``item.<attr>``, the level coloured."""

    def risk(item: Any) -> Risk | None:
        value: Risk | None = getattr(item, attr)
        return value

    def part(name: str) -> Callable[[Any], str]:
        def get(item: Any) -> str:
            r = risk(item)
            if r is None:
                return ""
            return (r.level or "").capitalize() if name == "level" else getattr(r, name) or ""

        return get

    def colour(item: Any) -> str | None:
        r = risk(item)
        return level_colour(r.level if r else None)

    return [
        _f(f"{prefix}likelihood".capitalize(), widths[0], part("likelihood")),
        _f(f"{prefix}severity".capitalize(), widths[1], part("severity")),
        _f(f"{prefix}risk".capitalize(), widths[2], part("level"), fill=colour),
    ]


class WorkbookBuilder:
    """Fills one workbook from a model and export context."""

    def __init__(self, model: Model, ctx: ExportContext):
        self.m = model
        self.ctx = ctx
        from openpyxl import Workbook  # on use: exporting JSON or OTM never pays for openpyxl

        self.wb = Workbook(write_only=True)
        self.used: set[str] = set()
        self.sheets: list[StreamedSheet] = []
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

    def names(self, ids: Iterable[str]) -> str:
        return _join((self.name(x) for x in ids), "; ")

    def table(self, title: str, items: Sequence[Any], fields: Sequence[Field], *, filtered: bool = True) -> None:
        """One sheet: a row per item, a column per field."""
        sheet = StreamedSheet(self.wb, title, [f.column for f in fields], self.used)
        if filtered:
            sheet.set_filter(len(items))
        self.sheets.append(sheet)
        coloured = [(i, f.fill) for i, f in enumerate(fields) if f.fill is not None]
        for item in items:
            sheet.append([f.get(item) for f in fields], {i: fill(item) for i, fill in coloured} if coloured else None)

    # ---- sheets

    def about(self) -> None:
        m, p, d = self.m, self.m.product, self.m.document
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
            ("Document status", _words(d.status)),
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
        self.table("About", facts, [_f("Item", 26, lambda r: r[0]), _f("Value", 90, lambda r: r[1], wrap=True)], filtered=False)

    def threats(self) -> None:
        def controls(t: Any) -> str:
            return "\n".join(f"{c} {self.controls[c].title}" if c in self.controls else c for c in dict.fromkeys(t.controls))

        fields = [
            _f("ID", 10, lambda t: t.id),
            _f("Title", 38, lambda t: t.title, wrap=True),
            _f("Description", 60, lambda t: t.description, wrap=True),
            _f("STRIDE", 22, lambda t: _join(_words(s) for s in t.stride), wrap=True),
            _f("Affects", 34, lambda t: self.names(t.targets), wrap=True),
            _f("Assets", 26, lambda t: self.names(t.assets), wrap=True),
            *_risk_fields("", "risk", (12, 12, 10)),
            *_risk_fields("Residual ", "residual_risk", (12, 12, 11)),
            _f("Patient harm", 13, lambda t: t.patient_harm or ""),
            _f("Multi-patient", 11, lambda t: "" if t.multi_patient is None else ("yes" if t.multi_patient else "no")),
            _f("Status", 18, lambda t: _words(t.stated_status())),
            _f("Controls", 40, controls, wrap=True),
            _f("Rationale", 40, lambda t: t.rationale or "", wrap=True),
            _f("CWE", 14, lambda t: _join(t.cwe), wrap=True),
            _f("CAPEC", 14, lambda t: _join(t.capec), wrap=True),
            _f("CVSS", 18, lambda t: t.cvss or ""),
            _f("Views", 16, lambda t: _join(self.views_by_threat.get(t.id, [])), wrap=True),
        ]
        self.table("Threats", self.m.threats, fields)

    def controls_sheet(self) -> None:
        fields = [
            _f("ID", 10, lambda c: c.id),
            _f("Title", 40, lambda c: c.title, wrap=True),
            _f("Description", 55, lambda c: c.description, wrap=True),
            _f("FDA category", 22, lambda c: _words(c.category)),
            _f("Responsibility", 15, lambda c: responsibility_shown(c, _words)),
            _f("Status", 15, lambda c: status_text(c, _words)),
            _f("Verification evidence", 40, lambda c: _join(c.verification, "; "), wrap=True),
            _f("Threats addressed", 30, lambda c: _join(self.threats_by_control.get(c.id, [])), wrap=True),
        ]
        self.table("Controls", self.m.controls, fields)

    def elements_sheet(self) -> None:
        fields = [
            _f("ID", 12, lambda e: e.id),
            _f("Name", 30, lambda e: e.name, wrap=True),
            _f("Kind", 16, lambda e: _words(e.kind)),
            _f("Trust zone", 24, lambda e: self.name(e.trust_zone) if e.trust_zone else "", wrap=True),
            _f("Description", 60, lambda e: e.description, wrap=True),
            _f("Threats", 30, lambda e: _join(self.threats_by_target.get(e.id, [])), wrap=True),
        ]
        self.table("Elements", self.m.elements, fields)

    def flows_sheet(self) -> None:
        def known(value: str | None) -> str:
            return value if value is not None else "unknown"

        fields = [
            _f("ID", 10, lambda f: f.id),
            _f("Name", 28, lambda f: f.name, wrap=True),
            _f("From", 28, lambda f: self.name(f.source), wrap=True),
            _f("To", 28, lambda f: self.name(f.target), wrap=True),
            _f("Bidirectional", 12, lambda f: "yes" if f.bidirectional else "no"),
            _f("Protocol", 22, lambda f: f.protocol or "", wrap=True),
            _f("Port", 10, lambda f: f.port or ""),
            _f("Authentication", 22, lambda f: known(f.authentication), wrap=True),
            _f("Encryption", 18, lambda f: known(f.encryption), wrap=True),
            _f("Data", 30, lambda f: self.names(f.data), wrap=True),
            _f("Description", 50, lambda f: f.description, wrap=True),
            _f("Threats", 24, lambda f: _join(self.threats_by_target.get(f.id, [])), wrap=True),
        ]
        self.table("Flows", self.m.flows, fields)

    def assets_sheet(self) -> None:
        fields = [
            _f("ID", 10, lambda a: a.id),
            _f("Name", 30, lambda a: a.name, wrap=True),
            _f("Kind", 18, lambda a: _words(a.kind)),
            _f("Confidentiality", 14, lambda a: a.confidentiality or ""),
            _f("Integrity", 11, lambda a: a.integrity or ""),
            _f("Availability", 12, lambda a: a.availability or ""),
            _f("Stored in", 34, lambda a: self.names(a.stored_in), wrap=True),
            _f("Disposal", 40, lambda a: a.disposal or "", wrap=True),
            _f("Description", 50, lambda a: a.description, wrap=True),
        ]
        self.table("Assets", self.m.assets, fields)

    def views_sheet(self) -> None:
        fields = [
            _f("ID", 12, lambda v: v.id),
            _f("Kind", 24, lambda v: _words(v.kind)),
            _f("Name", 32, lambda v: v.name, wrap=True),
            _f("Description", 50, lambda v: v.description, wrap=True),
            _f("Elements", 30, lambda v: _join(v.elements), wrap=True),
            _f("Flows", 24, lambda v: _join(v.flows), wrap=True),
            _f("Threats", 24, lambda v: _join(v.threats), wrap=True),
            _f("Controls", 24, lambda v: _join(v.controls), wrap=True),
            _f("Steps", 50, lambda v: "\n".join(f"{i}. {s}" for i, s in enumerate(v.steps, start=1)), wrap=True),
        ]
        self.table("Views", self.m.views, fields)

    def zones_sheet(self) -> None:
        members: dict[str, list[str]] = defaultdict(list)
        for e in self.m.elements:
            if e.trust_zone:
                members[e.trust_zone].append(e.id)
        fields = [
            _f("ID", 12, lambda z: z.id),
            _f("Name", 30, lambda z: z.name, wrap=True),
            _f("Trust level", 11, lambda z: z.trust_level),
            _f("Description", 50, lambda z: z.description, wrap=True),
            _f("Elements", 40, lambda z: _join(members.get(z.id, [])), wrap=True),
        ]
        self.table("Trust zones", self.m.trust_zones, fields)

    def assumptions_sheet(self) -> None:
        rows = [(a.id, "assumption", a.text, _words(a.responsibility or "")) for a in self.m.assumptions]
        rows += [(o.id, "out of scope", o.text, o.rationale or "") for o in self.m.out_of_scope]
        fields = [
            _f("ID", 12, lambda r: r[0]),
            _f("Type", 14, lambda r: r[1]),
            _f("Text", 70, lambda r: r[2], wrap=True),
            _f("Responsibility or rationale", 40, lambda r: r[3], wrap=True),
        ]
        self.table("Assumptions", rows, fields)

    def coverage_sheets(self, coverage: Coverage | None) -> None:
        if coverage is None:
            return
        colours = risk_scale().status_colours
        light = {"covered": "C8E6C9", "partial": "FFE082", "gap": "EF9A9A", "not_applicable": "E0E0E0"}
        fields = [
            _f("Clause", 16, lambda c: c.id),
            _f("Requirement", 40, lambda c: c.title, wrap=True),
            _f("Status", 15, lambda c: _words(c.status), fill=lambda c: light.get(c.status) or str(colours.get(c.status, ""))),
            _f("Evidence", 30, lambda c: _join(c.evidence), wrap=True),
            _f("Rationale", 60, lambda c: c.rationale, wrap=True),
            _f("Summary", 50, lambda c: c.summary, wrap=True),
            _f("Source", 30, lambda c: c.source, wrap=True),
            _f("Override", 10, lambda c: "yes" if c.overridden else ""),
            _f("Confirmed by maker", 30, lambda c: f"{c.confirmed.by}, {c.confirmed.date}" if c.confirmed else "", wrap=True),
        ]
        for fw in coverage.frameworks:
            self.table(f"Coverage {fw.id}", fw.clauses, fields)

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
    """Write the workbook with its rows streamed, neutral properties and fixed zip timestamps."""
    builder = WorkbookBuilder(model, ctx)
    wb = builder.build()
    title = model.document.title or f"{model.product.name} Public Threat Model"
    save_workbook(wb, path, ctx.epoch, publish=title, streamed=builder.sheets)


class XlsxExporter(Exporter):
    name = "xlsx"
    suffix = ".xlsx"

    def write(self, model: Model, path: Path, ctx: ExportContext) -> None:
        write_xlsx(model, path, ctx)
