"""Text a reader of the Word file does not see -- w:vanish (on the run or through a style), white text on
an unshaded background, a font of 2 pt or less -- is not imported, and the import report says where;
white text on a shaded cell (a header row) is read as usual."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from tests.importers.import_helpers import run_import, warnings_with

SECRET = "Zephyrine maintenance backdoor"
HEADER = ["ID", "Threat", "STRIDE", "Component", "Status"]


def _shade(cell: object, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _doc(tmp_path: Path, hide: str) -> Path:
    doc = docx.Document()
    doc.add_heading("Threats", 1)
    table = doc.add_table(rows=2, cols=len(HEADER))
    for c, h in enumerate(HEADER):  # a header row of white text on dark blue: read
        cell = table.cell(0, c)
        _shade(cell, "1F3864")
        run = cell.paragraphs[0].add_run(h)
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    for c, v in enumerate(["T-1", "Spoofed pump", "S", "Pump", "Open"]):
        table.cell(1, c).text = v
    para = table.cell(1, 1).paragraphs[0]
    run = para.add_run(" " + SECRET)
    if hide == "vanish":
        run.font.hidden = True
    elif hide == "white":
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    elif hide == "tiny":
        run.font.size = Pt(1)
    elif hide == "style":
        style = doc.styles.add_style("Secret note", WD_STYLE_TYPE.CHARACTER)
        style.font.hidden = True
        run.style = style
    elif hide == "inherited style":  # hidden by the style the run's style is based on
        base = doc.styles.add_style("Secret base", WD_STYLE_TYPE.CHARACTER)
        base.font.hidden = True
        style = doc.styles.add_style("Secret child", WD_STYLE_TYPE.CHARACTER)
        style.base_style = base
        run.style = style
    elif hide == "paragraph style":  # the whole second paragraph of the cell, by its paragraph style
        style = doc.styles.add_style("Reviewer note", WD_STYLE_TYPE.PARAGRAPH)
        style.font.hidden = True
        run.text = ""
        table.cell(1, 1).add_paragraph(SECRET, style=style)
    body = doc.add_paragraph("Threat analysis follows the STRIDE method. ")
    hidden = body.add_run(SECRET)
    hidden.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    path = tmp_path / "tm.docx"
    doc.save(str(path))
    return path


def _all_text(model: object) -> str:
    return str(model.model_dump(mode="json"))  # type: ignore[attr-defined]


def test_hidden_runs_are_left_out_and_reported(tmp_path: Path) -> None:
    for hide in ("vanish", "white", "tiny", "style", "inherited style", "paragraph style"):
        model, report = run_import(_doc(tmp_path, hide))
        assert [(t.id, t.title) for t in model.threats] == [("T-1", "Spoofed pump")], hide  # the header row was read
        assert "Zephyrine" not in _all_text(model), hide
        assert warnings_with(report, "hidden text left out of the row"), hide
        assert warnings_with(report, "hidden text left out of the paragraph"), hide
        assert warnings_with(report, "not imported"), hide


def test_white_text_on_a_coloured_page_is_read(tmp_path: Path) -> None:
    path = _doc(tmp_path, "none")
    document = docx.Document(str(path))
    background = OxmlElement("w:background")
    background.set(qn("w:color"), "000000")
    document.element.insert(0, background)
    document.save(str(path))
    model, report = run_import(path)
    assert not warnings_with(report, "hidden text")
    assert [t.title for t in model.threats] == [f"Spoofed pump {SECRET}"]


def test_visible_text_is_untouched(tmp_path: Path) -> None:
    model, report = run_import(_doc(tmp_path, "none"))
    assert [t.title for t in model.threats] == [f"Spoofed pump {SECRET}"]
    assert warnings_with(report, "hidden text left out of the paragraph")  # the white paragraph run only
    assert not warnings_with(report, "hidden text left out of the row")
