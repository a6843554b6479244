"""Write the sample's threat model as a device maker would hand it over: a Word document and an Excel register.

    python samples/infusion-pump/make_sources.py

Reads ``model.yaml`` (the native form) and writes ``threat-model.docx`` — an FDA premarket-style document with
a cover and document-control table, a revision history, numbered headings, the security architecture views,
and human-labelled tables in which components are named, not referenced by id — and ``register.xlsx``, a
threat register workbook with a title above a two-level header, STRIDE as letters, several list separators, a
hidden column, a blank spacer row, a second sheet of mitigations and side-by-side tables. Both files are
deterministic (fixed document properties and zip timestamps), so they are committed with this script; a test
checks that they import to the same threats, controls, elements and flows as ``model.yaml``.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

import docx
import openpyxl
from docx.enum.section import WD_ORIENT
from docx.shared import Pt
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from mdptm.base.office import rewrite_zip  # noqa: E402
from mdptm.model import Element, Model, Risk  # noqa: E402
from mdptm.model.io import load  # noqa: E402

STRIDE_WORDS = {
    "spoofing": "Spoofing",
    "tampering": "Tampering",
    "repudiation": "Repudiation",
    "information_disclosure": "Information Disclosure",
    "denial_of_service": "Denial of Service",
    "elevation_of_privilege": "Elevation of Privilege",
}
STRIDE_LETTERS = {k: v[0] for k, v in STRIDE_WORDS.items()}
STATUS = {
    "mitigated": "Mitigated",
    "partially_mitigated": "Partially mitigated",
    "accepted": "Risk accepted",
    "transferred": "Transferred",
    "open": "Open",
    "not_applicable": "N/A",
}
FDA_CATEGORY = {
    "authentication": "Authentication",
    "authorization": "Authorization",
    "cryptography": "Cryptography",
    "integrity": "Code, Data, and Execution Integrity",
    "confidentiality": "Confidentiality",
    "event_logging": "Event Detection and Logging",
    "resiliency_recovery": "Resiliency and Recovery",
    "updatability_patchability": "Updatability and Patchability",
    "other": "Other",
}
RESPONSIBILITY = {
    "manufacturer": "Manufacturer",
    "customer": "Customer (HDO)",
    "shared": "Shared (Manufacturer and HDO)",
    "third_party": "Third party",
}
ELEMENT_KIND = {
    "device": "Device",
    "software": "Software",
    "process": "Process",
    "data_store": "Data store",
    "external_entity": "External entity",
    "cloud_service": "Cloud service",
    "mobile_app": "Mobile app",
    "network": "Network",
    "hardware": "Hardware",
}
ASSET_KIND = {
    "phi": "PHI",
    "pii": "PII",
    "therapy_data": "Therapy data",
    "configuration": "Configuration",
    "credential": "Credential",
    "cryptographic_key": "Cryptographic key",
    "firmware": "Firmware",
    "log": "Log",
    "clinical_function": "Clinical function",
    "other": "Other",
}
SENSITIVITY = {"public": "Public", "internal": "Internal", "confidential": "Confidential", "trade_secret": "Trade secret"}
CORE_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    '<dcterms:created xsi:type="dcterms:W3CDTF">2026-03-30T00:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-03-30T00:00:00Z</dcterms:modified>'
    "</cp:coreProperties>"
)


def fixed_properties(path: Path) -> None:
    """Replace the document properties (author, times) with fixed neutral ones, then fix zip timestamps."""
    with zipfile.ZipFile(path) as zin:
        members = [(i.filename, zin.read(i)) for i in zin.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in members:
            zout.writestr(name, CORE_XML.encode() if name == "docProps/core.xml" else data)
    path.write_bytes(buf.getvalue())
    rewrite_zip(path)


class Names:
    """Ids → the names people write in documents."""

    def __init__(self, model: Model):
        self.by_id: dict[str, str] = {}
        for coll in (model.elements, model.flows, model.assets, model.trust_zones):
            for item in coll:
                self.by_id[item.id] = item.name  # type: ignore[attr-defined]

    def __call__(self, ids: Sequence[str], sep: str = "; ") -> str:
        return sep.join(self.by_id.get(i, i) for i in ids)


def risk_label(risk: Risk | None) -> tuple[str, str, str]:
    if risk is None:
        return "", "", ""
    score = "" if risk.score is None else f"{int(risk.score)}"
    level = (risk.level or "").capitalize()
    return risk.likelihood or "", risk.severity or "", f"{level} ({score})" if score else level


def score_text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def appendix2(e: Element) -> list[str]:
    """FDA Appendix 2 detail of a component, as the component tables carry it."""
    return ["\n".join(e.dormant_interfaces), e.key_lifecycle or "", e.sessions or "", e.default_settings or ""]


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


# ------------------------------------------------------------------------------------------- Word


def _cell_text(cell: docx.table._Cell, text: str, bold: bool = False) -> None:
    lines = text.split("\n") if text else [""]
    cell.text = ""
    para = cell.paragraphs[0]
    for n, line in enumerate(lines):
        if n:
            para = cell.add_paragraph()
        run = para.add_run(line)
        run.bold = bold
        run.font.size = Pt(8)


def word_table(doc: docx.document.Document, headers: list[str], rows: list[list[str]], caption: str | None = None) -> None:
    if caption:
        doc.add_paragraph(caption, style="Caption")
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, head in zip(table.rows[0].cells, headers, strict=True):
        _cell_text(cell, head, bold=True)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            _cell_text(cell, value)
    doc.add_paragraph()


def write_docx(model: Model, dest: Path) -> None:
    names = Names(model)
    doc = docx.Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    p = model.product
    d = model.document
    doc.add_paragraph(d.title or p.name, style="Title")
    cover = doc.add_table(rows=0, cols=2)
    cover.style = "Table Grid"
    facts = [
        ("Document number", "VLP-SEC-TM-0042"),
        ("Version", d.version),
        ("Date", d.date or ""),
        ("Status", d.status.replace("_", " ").capitalize()),
        ("Product", p.name),
        ("Model", p.model or ""),
        ("Software version", p.version or ""),
        ("Manufacturer", p.manufacturer),
        ("Device type", p.device_type or ""),
        ("FDA product code", p.regulatory.fda_product_code or ""),
        ("Submission type", p.regulatory.submission_type or ""),
        ("Prepared by", "Product Security Engineering"),
    ]
    for key, value in facts:
        cells = cover.add_row().cells
        _cell_text(cells[0], key, bold=True)
        _cell_text(cells[1], value)
    doc.add_paragraph()
    word_table(
        doc,
        ["Rev", "Date", "Description of change"],
        [[h.version, h.date or "", h.summary] for h in d.history],
        caption="Revision history",
    )

    doc.add_heading("1 Introduction", 1)
    doc.add_heading("1.1 Purpose", 2)
    doc.add_paragraph(
        f"This document is the cybersecurity threat model of the {p.name} ({p.model}). It presents the security "
        "architecture views recommended by the FDA premarket cybersecurity guidance, the threats identified with "
        "STRIDE, their risk before and after controls, and the security controls with their verification."
    )
    doc.add_heading("1.2 Intended Use", 2)
    doc.add_paragraph(p.intended_use or "")
    doc.add_heading("1.3 Device Description", 2)
    doc.add_paragraph(p.description or "")

    doc.add_heading("2 System Architecture", 1)
    doc.add_heading("2.1 Trust Zones", 2)
    word_table(
        doc,
        ["Zone ID", "Trust Zone", "Trust Level", "Description", "Tags"],
        [[z.id, z.name, "" if z.trust_level is None else str(z.trust_level), z.description, ", ".join(z.tags)]
         for z in model.trust_zones],
    )
    doc.add_heading("2.2 System Components", 2)
    word_table(
        doc,
        ["ID", "Component", "Type", "Trust Zone", "Description", "Tags", "Debug / Dormant Interfaces", "Key Life Cycle",
         "Session Management", "Default Security Settings"],
        [[e.id, e.name, ELEMENT_KIND[e.kind], names([e.trust_zone] if e.trust_zone else []), e.description,
          ", ".join(e.tags), *appendix2(e)] for e in model.elements],
    )
    doc.add_heading("2.3 Interfaces and Data Flows", 2)
    word_table(
        doc,
        ["Flow ID", "Data Flow", "Source", "Destination", "Protocol", "Port", "Data Exchanged", "Authentication",
         "Encryption", "Direction", "Description", "Tags"],
        [[f.id, f.name, names([f.source]), names([f.target]), f.protocol or "", f.port or "", names(f.data),
          f.authentication or "Unknown", f.encryption or "Unknown", "Bidirectional" if f.bidirectional else "One-way",
          f.description, ", ".join(f.tags)] for f in model.flows],
    )
    doc.add_heading("2.4 Assets", 2)
    word_table(
        doc,
        ["Asset ID", "Asset", "Type", "Confidentiality", "Integrity", "Availability", "Stored In", "Disposal",
         "Description", "Tags"],
        [[a.id, a.name, ASSET_KIND[a.kind], (a.confidentiality or "").capitalize(), (a.integrity or "").capitalize(),
          (a.availability or "").capitalize(), names(a.stored_in), a.disposal or "", a.description, ", ".join(a.tags)]
         for a in model.assets],
    )

    doc.add_heading("3 Security Architecture Views", 1)
    doc.add_paragraph(
        "The views below follow the FDA premarket guidance. Each lists the components, data flows, threats and "
        "controls it concerns; the threats and controls are detailed in sections 4 and 5."
    )
    use_cases = [v for v in model.views if v.kind == "security_use_case"]
    number = 0
    for view in model.views:
        if view.kind == "security_use_case":
            continue
        number += 1
        heading = {"updatability_patchability": "Updatability and Patchability View"}.get(view.kind, view.name)
        doc.add_heading(f"3.{number} {heading}", 2)
        _view_body(doc, view, model)
    number += 1
    doc.add_heading(f"3.{number} Security Use Case Views", 2)
    styles = ["{name}", "Security Use Case View – {name}", "Security Use Case View: {name}", "{name}"]
    for n, view in enumerate(use_cases, start=1):
        doc.add_heading(f"3.{number}.{n} " + styles[(n - 1) % len(styles)].format(name=view.name), 3)
        _view_body(doc, view, model)

    doc.add_heading("4 Threat Model and Risk Assessment", 1)
    doc.add_heading("4.1 Threat Identification", 2)
    word_table(
        doc,
        ["Threat ID", "Threat", "Description", "STRIDE", "Affected Component(s)", "Assets at Risk"],
        [[t.id, t.title, t.description, " / ".join(STRIDE_WORDS[s] for s in t.stride), names(t.targets),
          names(t.assets)] for t in model.threats],
        caption="Table 4-1: Threats identified with STRIDE",
    )
    doc.add_heading("4.2 Risk Assessment", 2)
    rows = []
    for t in model.threats:
        pre = risk_label(t.risk)
        post = risk_label(t.residual_risk)
        rows.append([t.id, pre[0], pre[1], pre[2], (t.patient_harm or "").capitalize(), ", ".join(t.hazards),
                     yes_no(t.multi_patient), ", ".join(t.controls), post[0], post[1], post[2], STATUS[t.status],
                     t.rationale or ""])
    word_table(
        doc,
        ["Threat ID", "Exploitability (1–5)", "Severity (1–5)", "Pre-mitigation Risk", "Patient Harm",
         "Related Hazards (ISO 14971)", "Multi-patient Harm", "Risk Control Measures", "Residual Exploitability (1–5)", "Residual Severity (1–5)",
         "Residual Risk", "Status", "Rationale"],
        rows,
        caption="Table 4-2: Cybersecurity risk before and after risk control measures (5 x 5 scale)",
    )
    doc.add_heading("4.3 Weakness References and Publication", 2)
    word_table(
        doc,
        ["Threat ID", "CWE", "CAPEC", "CVSS Vector", "CVSS Score", "CISA KEV", "Tags", "Publication", "Internal Notes"],
        [[t.id, ", ".join(t.cwe), ", ".join(t.capec), t.cvss or "", score_text(t.cvss_score), yes_no(t.kev),
          ", ".join(t.tags), SENSITIVITY[t.sensitivity], t.notes or ""] for t in model.threats],
    )

    doc.add_heading("5 Security Controls", 1)
    word_table(
        doc,
        ["Control ID", "Security Control", "Description", "Control Category", "Responsibility",
         "Implementation Status", "Verification Evidence", "Tags", "Publication", "Internal Notes"],
        [[c.id, c.title, c.description, FDA_CATEGORY[c.category], RESPONSIBILITY[c.responsibility],
          c.status.replace("_", " ").capitalize(), "\n".join(c.verification), ", ".join(c.tags),
          SENSITIVITY[c.sensitivity], c.notes or ""] for c in model.controls],
        caption="Table 5-1: Security controls (FDA premarket guidance, Appendix 1 categories)",
    )
    doc.add_heading("6 Assumptions", 1)
    word_table(
        doc,
        ["ID", "Assumption", "Responsibility", "Tags"],
        [[a.id, a.text, RESPONSIBILITY.get(a.responsibility or "", ""), ", ".join(a.tags)] for a in model.assumptions],
    )
    doc.add_heading("7 Out of Scope", 1)
    word_table(doc, ["ID", "Out of Scope", "Rationale"], [[o.id, o.text, o.rationale or ""] for o in model.out_of_scope])
    doc.add_heading("8 Product Support", 1)
    s = model.support
    support = doc.add_table(rows=0, cols=2)
    support.style = "Table Grid"
    for key, value in (
        ("End of support", s.end_of_support),
        ("Vulnerability disclosure", s.vulnerability_disclosure),
        ("Patch policy", s.patch_policy),
        ("SBOM", s.sbom),
        ("Security contact", s.contact),
        ("Data disposal", s.data_disposal),
    ):
        if value:
            cells = support.add_row().cells
            _cell_text(cells[0], key, bold=True)
            _cell_text(cells[1], value)

    props = doc.core_properties
    props.author = ""
    props.last_modified_by = ""
    props.title = ""
    doc.save(str(dest))
    fixed_properties(dest)


def _view_body(doc: docx.document.Document, view: object, model: Model) -> None:
    from mdptm.model import View

    assert isinstance(view, View)
    for para in view.description.split("\n\n") if view.description else []:
        doc.add_paragraph(para)
    for step in view.steps:
        doc.add_paragraph(step, style="List Number")
    by_id = {i.id: i for _k, i in model.items()}
    if view.elements:
        word_table(doc, ["ID", "Component"], [[i, by_id[i].name] for i in view.elements])  # type: ignore[attr-defined]
    if view.flows:
        word_table(doc, ["Flow ID", "Data Flow"], [[i, by_id[i].name] for i in view.flows])  # type: ignore[attr-defined]
    if view.threats:
        word_table(doc, ["Threat ID", "Threat"], [[i, by_id[i].title] for i in view.threats])  # type: ignore[attr-defined]
    if view.controls:
        word_table(doc, ["Control ID", "Security Control"], [[i, by_id[i].title] for i in view.controls])  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------------------ Excel

WRAP = Alignment(wrap_text=True, vertical="top")
BOLD = Font(bold=True)


def sheet_rows(ws: openpyxl.worksheet.worksheet.Worksheet, top: int, left: int, headers: list[str],
               rows: list[list[str]]) -> None:
    for c, head in enumerate(headers):
        cell = ws.cell(row=top, column=left + c, value=head)
        cell.font = BOLD
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            cell = ws.cell(row=top + r, column=left + c, value=value if value != "" else None)
            cell.alignment = WRAP


def write_xlsx(model: Model, dest: Path) -> None:
    names = Names(model)
    p = model.product
    wb = openpyxl.Workbook()
    cover = wb.active
    assert cover is not None
    cover.title = "Cover"
    cover["A1"] = f"{p.name} — Cybersecurity Threat Register"
    cover["A1"].font = Font(bold=True, size=14)
    for r, (key, value) in enumerate(
        [("Product", p.name), ("Manufacturer", p.manufacturer), ("Model", p.model or ""),
         ("Software version", p.version or ""), ("Document version", model.document.version),
         ("Date", model.document.date or "")],
        start=3,
    ):
        cover.cell(row=r, column=1, value=key).font = BOLD
        cover.cell(row=r, column=2, value=value)

    ws = wb.create_sheet("Threat Register")
    ws["A1"] = f"{p.name} — Threat Register (rev {model.document.version})"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "Risk = exploitability x severity on a 5 x 5 scale; components are named as in the architecture document."
    top = [("Threat ID", 1), ("Threat", 1), ("Description", 1), ("STRIDE", 1), ("Affected component(s)", 1),
           ("Asset(s)", 1), ("Pre-mitigation risk", 3), ("Patient harm", 1), ("Multi-patient", 1),
           ("Control ID(s)", 1), ("Residual risk", 3), ("Status", 1), ("Rationale", 1), ("CWE", 1), ("CAPEC", 1),
           ("CVSS vector", 1), ("CVSS score", 1), ("Related hazards", 1), ("CISA KEV", 1), ("Tags", 1), ("Publication", 1), ("Internal notes", 1)]
    sub = ["Exploitability (1-5)", "Severity (1-5)", "Score"]
    col = 1
    for head, span in top:
        ws.cell(row=4, column=col, value=head).font = BOLD
        if span > 1:
            ws.merge_cells(start_row=4, start_column=col, end_row=4, end_column=col + span - 1)
            for k, s in enumerate(sub):
                ws.cell(row=5, column=col + k, value=s).font = BOLD
        else:
            ws.merge_cells(start_row=4, start_column=col, end_row=5, end_column=col)
        col += span
    seps = [", ", "; ", "\n", "/"]
    row = 6
    for n, t in enumerate(model.threats):
        if n == 25:
            row += 1  # a blank spacer row, as registers often have between groups
        pre = risk_label(t.risk)
        post = risk_label(t.residual_risk)
        score_pre = f"{int(t.risk.score)} ({t.risk.level.capitalize()})" if t.risk and t.risk.score is not None and t.risk.level else ""
        score_post = (
            f"{int(t.residual_risk.score)} ({t.residual_risk.level.capitalize()})"
            if t.residual_risk and t.residual_risk.score is not None and t.residual_risk.level
            else ""
        )
        targets = names(t.targets)
        if n % 3 == 1:
            targets = targets.lower()
        values = [t.id, t.title, t.description, seps[n % 2].join(STRIDE_LETTERS[s] for s in t.stride) if n % 4 else
                  "\n".join(STRIDE_WORDS[s] for s in t.stride), targets, names(t.assets), pre[0], pre[1], score_pre,
                  (t.patient_harm or "").capitalize(), yes_no(t.multi_patient), seps[n % 4].join(t.controls), post[0],
                  post[1], score_post, STATUS[t.status], t.rationale or "", ", ".join(t.cwe), ", ".join(t.capec),
                  t.cvss or "", score_text(t.cvss_score), ", ".join(t.hazards), yes_no(t.kev), ", ".join(t.tags), SENSITIVITY[t.sensitivity], t.notes or ""]
        for c, value in enumerate(values, start=1):
            ws.cell(row=row, column=c, value=value or None).alignment = WRAP
        row += 1
    ws.column_dimensions[get_column_letter(len(values))].hidden = True
    ws.freeze_panes = "C6"

    mit = wb.create_sheet("Mitigations")
    sheet_rows(
        mit, 1, 1,
        ["Control ID", "Security Control", "Description", "FDA Category", "Responsibility", "Status",
         "Verification evidence", "Tags", "Publication", "Internal notes"],
        [[c.id, c.title, c.description, FDA_CATEGORY[c.category], RESPONSIBILITY[c.responsibility],
          c.status.replace("_", " ").capitalize(), "\n".join(c.verification), ", ".join(c.tags),
          SENSITIVITY[c.sensitivity], c.notes or ""] for c in model.controls],
    )

    comp = wb.create_sheet("Components")
    comp["A1"] = "System components"
    comp["A1"].font = Font(bold=True, size=12)
    sheet_rows(
        comp, 3, 1, ["Component ID", "Component", "Type", "Trust zone", "Description", "Tags", "Dormant / debug interfaces",
                     "Key life cycle", "Session management", "Default security settings"],
        [[e.id, e.name, ELEMENT_KIND[e.kind], names([e.trust_zone] if e.trust_zone else []), e.description,
          ", ".join(e.tags), *appendix2(e)] for e in model.elements],
    )

    flows = wb.create_sheet("Data Flows")
    sheet_rows(
        flows, 1, 1,
        ["Flow ID", "Data flow", "From", "To", "Protocol", "Port(s)", "Data", "Authentication", "Encryption",
         "Bidirectional", "Description", "Tags"],
        [[f.id, f.name, names([f.source]), names([f.target]), f.protocol or "", f.port or "", names(f.data, "\n"),
          f.authentication or "", f.encryption or "", "Yes" if f.bidirectional else "No", f.description,
          ", ".join(f.tags)] for f in model.flows],
    )

    az = wb.create_sheet("Assets & Zones")
    asset_headers = ["Asset ID", "Asset", "Asset type", "C", "I", "A", "Stored in", "Disposal", "Description", "Tags"]
    sheet_rows(
        az, 1, 1, asset_headers,
        [[a.id, a.name, ASSET_KIND[a.kind], (a.confidentiality or "")[:1].upper(), (a.integrity or "")[:1].upper(),
          (a.availability or "")[:1].upper(), names(a.stored_in, ", "), a.disposal or "", a.description,
          ", ".join(a.tags)] for a in model.assets],
    )
    sheet_rows(
        az, 1, len(asset_headers) + 2, ["Zone ID", "Trust zone", "Trust level", "Description", "Tags"],
        [[z.id, z.name, "" if z.trust_level is None else str(z.trust_level), z.description, ", ".join(z.tags)]
         for z in model.trust_zones],
    )

    asm = wb.create_sheet("Assumptions")
    sheet_rows(
        asm, 1, 1, ["Assumption ID", "Assumption", "Responsibility", "Tags"],
        [[a.id, a.text, RESPONSIBILITY.get(a.responsibility or "", ""), ", ".join(a.tags)] for a in model.assumptions],
    )
    below = len(model.assumptions) + 4
    asm.cell(row=below, column=1, value="Out of scope").font = Font(bold=True, size=12)
    sheet_rows(asm, below + 1, 1, ["ID", "Out of scope", "Rationale"],
               [[o.id, o.text, o.rationale or ""] for o in model.out_of_scope])

    wb.properties.creator = None
    wb.properties.lastModifiedBy = None
    wb.save(str(dest))
    fixed_properties(dest)


def main() -> None:
    model = load(HERE / "model.yaml")
    write_docx(model, HERE / "threat-model.docx")
    write_xlsx(model, HERE / "register.xlsx")


if __name__ == "__main__":
    main()
