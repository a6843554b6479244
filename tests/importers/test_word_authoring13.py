"""Word threat models as people write them in Word, not as Markdown rebuilt: a table of measures nested in a
threat's cell, "Threat: … Mitigation: …" written in one numbered paragraph with bold lead-ins, and a threat table
laid in a text box. The threat wording is paraphrased from the Kubernetes admission-control threat model."""

from __future__ import annotations

from pathlib import Path

import docx
from lxml import etree

from mdptm.model import Model
from tests.importers.import_helpers import reconciles, run_import, warnings_with

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = f'xmlns:w="{W}"'
FLOOD = "Attacker floods webhook with traffic preventing its operations"
SLOW = "Attacker passes workloads which require complex processing causing timeouts"
BYPASS = "Attacker exploits misconfiguration of webhook to bypass"


def _cell(text: str) -> str:
    return f"<w:tc><w:tcPr/><w:p><w:r><w:t xml:space='preserve'>{text}</w:t></w:r></w:p></w:tc>"


def _row(*cells: str) -> str:
    return "<w:tr>" + "".join(cells) + "</w:tr>"


def _table(rows: list[str], cols: int) -> str:
    return "<w:tbl><w:tblPr/><w:tblGrid>" + "<w:gridCol/>" * cols + "</w:tblGrid>" + "".join(rows) + "</w:tbl>"


def _controls_of(model: Model, threat_id: str) -> list[str]:
    titles = {c.id: c.title for c in model.controls}
    threat = next(t for t in model.threats if t.id == threat_id)
    return [titles[c] for c in threat.controls]


def test_a_table_of_measures_nested_in_a_threat_cell_gives_its_measures_not_its_header(tmp_path: Path) -> None:
    """Before, the nested table's paragraphs were read as lines ("Control", "Status", …): both threats got a
    control titled "Control", one and the same by its title."""

    def measures(*names: str) -> str:
        nested = _table([_row(_cell("Control"), _cell("Status"))] + [_row(_cell(n), _cell("Implemented")) for n in names], 2)
        return f"<w:tc><w:tcPr/>{nested}<w:p/></w:tc>"

    d = docx.Document()
    d.add_heading("Admission control threat model", 1)
    d.add_heading("Threats", 2)
    rows = [
        _row(_cell("ID"), _cell("Threat"), _cell("Mitigations")),
        _row(_cell("T-1"), _cell(FLOOD), measures("Rate-limit the API server", "Run several webhook replicas")),
        _row(_cell("T-2"), _cell(SLOW), measures("Set webhook timeouts")),
    ]
    d.element.body.insert(len(d.element.body) - 1, etree.fromstring(f"<w:tbl {NS}>" + _table(rows, 3)[7:]))
    path = tmp_path / "nested.docx"
    d.save(str(path))
    model, report = run_import(path)
    assert [(t.id, t.title) for t in model.threats] == [("T-1", FLOOD), ("T-2", SLOW)]
    assert _controls_of(model, "T-1") == ["Rate-limit the API server"]
    assert _controls_of(model, "T-2") == ["Set webhook timeouts"]
    first = next(c for c in model.controls if c.title == "Rate-limit the API server")
    assert "Run several webhook replicas" in first.description  # the second measure is kept, not lost
    assert not any(c.title == "Control" for c in model.controls)
    assert reconciles(report)


def test_threat_and_mitigation_lead_ins_in_one_numbered_paragraph(tmp_path: Path) -> None:
    """Before, "Mitigation: …" stayed in the threat's description and no control was made."""
    d = docx.Document()
    d.add_heading("Admission control threat model", 1)
    d.add_heading("Threats", 1)
    for threat, measure in ((FLOOD, "Rate-limit the API server"), (BYPASS, "Review webhook failure policy")):
        p = d.add_paragraph(style="List Number")
        p.add_run("Threat: ").bold = True
        p.add_run(f"{threat}. ")
        p.add_run("Mitigation: ").bold = True
        p.add_run(f"{measure}.")
    path = tmp_path / "leads.docx"
    d.save(str(path))
    model, report = run_import(path)
    assert [t.title for t in model.threats] == [FLOOD, BYPASS]
    assert [_controls_of(model, t.id) for t in model.threats] == [["Rate-limit the API server"], ["Review webhook failure policy"]]
    assert not any("Mitigation" in t.description for t in model.threats)
    assert reconciles(report)


def test_a_threat_table_in_a_text_box_is_read_once(tmp_path: Path) -> None:
    """Before, a table laid in a text box was left out (only named in a warning): no threat was imported. Word
    writes the box twice (drawing and VML fallback); its table is read once."""
    rows = [_row(_cell("ID"), _cell("Threat"), _cell("Mitigation"))]
    rows += [_row(_cell("T-1"), _cell(FLOOD), _cell("Rate-limit the API server"))]
    rows += [_row(_cell("T-2"), _cell(SLOW), _cell("Set webhook timeouts"))]
    content = f"<w:txbxContent>{_table(rows, 3)}<w:p/></w:txbxContent>"
    box = etree.fromstring(
        f'<w:r {NS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml">'
        '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:inline><wp:docPr id="1" name="Text Box 1"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
        f"<wps:txbx>{content}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice>"
        f'<mc:Fallback><w:pict><v:shape style="width:400pt;height:200pt"><v:textbox>{content}</v:textbox></v:shape>'
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    d = docx.Document()
    d.add_heading("Admission control threat model", 1)
    d.add_heading("Threats", 2)
    d.add_paragraph()._p.append(box)
    path = tmp_path / "boxed.docx"
    d.save(str(path))
    model, report = run_import(path)
    assert [(t.id, t.title) for t in model.threats] == [("T-1", FLOOD), ("T-2", SLOW)]
    assert _controls_of(model, "T-2") == ["Set webhook timeouts"]
    assert not warnings_with(report, "text box not imported")  # its text is imported: nothing to warn of
    assert reconciles(report)


def test_a_threat_table_split_by_a_page_break_without_its_header_keeps_its_rest(tmp_path: Path) -> None:
    """Before, the part after the page break (no header repeated) was skipped as no table: T-3 and T-4 were lost."""
    d = docx.Document()
    d.add_heading("Admission control threat model", 1)
    d.add_heading("Threats", 2)
    head = [("ID", "Threat", "Component", "Mitigation")]
    parts = [
        [("T-1", FLOOD, "Webhook", "Rate-limit the API server"), ("T-2", SLOW, "Webhook", "Set webhook timeouts")],
        [
            ("T-3", BYPASS, "API server", "Review webhook failure policy"),
            ("T-4", "Attacker sniffs traffic on the container network", "Network", "Encrypt traffic with TLS"),
        ],
    ]
    for k, rows in enumerate(parts):
        if k:
            d.add_paragraph().add_run().add_break(docx.enum.text.WD_BREAK.PAGE)
        table = d.add_table(rows=0, cols=4)
        for row in (head if not k else []) + rows:
            cells = table.add_row().cells
            for c, value in enumerate(row):
                cells[c].text = value
    path = tmp_path / "split.docx"
    d.save(str(path))
    model, report = run_import(path)
    assert [t.id for t in model.threats] == ["T-1", "T-2", "T-3", "T-4"]
    assert _controls_of(model, "T-4") == ["Encrypt traffic with TLS"]
    assert [r.locator for r in report.records if r.item == "T-3"] == ["table 2 row 1"]  # its own row, not shifted
    assert len(report.records) == 5  # the header lent to the second part is no record of its own
    assert warnings_with(report, "read as its rest")
    assert reconciles(report)


def test_a_table_after_a_threat_table_with_its_own_header_is_its_own_table(tmp_path: Path) -> None:
    """A control table right after the threat table, as wide, keeps its own header: nothing is lent to it."""
    d = docx.Document()
    d.add_heading("Admission control threat model", 1)
    d.add_heading("Threats", 2)
    for rows in (
        [("ID", "Threat", "Component", "Mitigation"), ("T-1", FLOOD, "Webhook", "C-1")],
        [("ID", "Control", "Status", "Owner"), ("C-1", "Rate-limit the API server", "Implemented", "Platform team")],
    ):
        table = d.add_table(rows=0, cols=4)
        for row in rows:
            cells = table.add_row().cells
            for c, value in enumerate(row):
                cells[c].text = value
        d.add_paragraph()
    path = tmp_path / "two.docx"
    d.save(str(path))
    model, report = run_import(path)
    assert [t.id for t in model.threats] == ["T-1"]
    assert [(c.id, c.title) for c in model.controls] == [("C-1", "Rate-limit the API server")]
    assert not warnings_with(report, "read as its rest")


def test_a_merged_section_row_right_under_the_header_heads_its_group(tmp_path: Path) -> None:
    """Before, "Denial of service threats" (four words in the id column) right under the header was a note row, so
    T-1 and T-2 had no STRIDE category while "Spoofing threats" further down gave T-3 its category."""

    def section(text: str) -> str:
        return _row(f"<w:tc><w:tcPr><w:gridSpan w:val='3'/></w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")

    rows = [_row(_cell("ID"), _cell("Threat"), _cell("Mitigation")), section("Denial of service threats")]
    rows += [
        _row(_cell("T-1"), _cell(FLOOD), _cell("Rate-limit the API server")),
        _row(_cell("T-2"), _cell(SLOW), _cell("Set webhook timeouts")),
    ]
    rows += [section("Spoofing threats"), _row(_cell("T-3"), _cell(BYPASS), _cell("Review webhook failure policy"))]
    d = docx.Document()
    d.add_heading("Admission control threat model", 1)
    d.add_heading("Threats", 2)
    d.element.body.insert(len(d.element.body) - 1, etree.fromstring(f"<w:tbl {NS}>" + _table(rows, 3)[7:]))
    path = tmp_path / "sections.docx"
    d.save(str(path))
    model, report = run_import(path)
    assert [(t.id, t.stride) for t in model.threats] == [
        ("T-1", ["denial_of_service"]),
        ("T-2", ["denial_of_service"]),
        ("T-3", ["spoofing"]),
    ]
    assert reconciles(report)


def test_a_threat_table_framed_by_a_one_column_layout_table_is_read(tmp_path: Path) -> None:
    """Before, the frame's one cell held the register's text as lines and no table was recognised: the import
    failed with "no threat-model content found"."""
    rows = [_row(_cell("ID"), _cell("Threat"), _cell("Mitigation"))]
    rows += [_row(_cell("T-1"), _cell(FLOOD), _cell("Rate-limit the API server"))]
    rows += [_row(_cell("T-2"), _cell(SLOW), _cell("Set webhook timeouts"))]
    frame = _row(f"<w:tc><w:tcPr/><w:p><w:r><w:t>Threat register</w:t></w:r></w:p>{_table(rows, 3)}<w:p/></w:tc>")
    d = docx.Document()
    d.add_heading("Admission control threat model", 1)
    d.add_heading("Threats", 2)
    d.element.body.insert(len(d.element.body) - 1, etree.fromstring(f"<w:tbl {NS}>" + _table([frame], 1)[7:]))
    path = tmp_path / "frame.docx"
    d.save(str(path))
    model, report = run_import(path)
    assert [(t.id, t.title) for t in model.threats] == [("T-1", FLOOD), ("T-2", SLOW)]
    assert [r.locator for r in report.records if r.item == "T-2"] == ["table 2 row 3"]
    assert warnings_with(report, "'Threat register'")  # the frame's own words are named, not dropped silently
    assert reconciles(report)
