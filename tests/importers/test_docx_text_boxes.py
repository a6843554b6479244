"""Text boxes in a Word threat model: a body paragraph's text box is outside the document's flow and is not
imported, so the import report names it (nothing lost silently); a table cell reads the paragraphs inside it."""

from __future__ import annotations

from pathlib import Path

import docx
from lxml import etree

from tests.importers.import_helpers import reconciles, run_import, warnings_with

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
VML_BOX = (
    f'<w:r xmlns:w="{W}" xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape style="width:200pt;height:50pt">'
    "<v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
)


def _box(text: str) -> etree._Element:
    return etree.fromstring(VML_BOX.replace("{text}", text))


def _doc(tmp_path: Path) -> Path:
    d = docx.Document()
    d.add_heading("Threat model", 1)
    d.add_paragraph("The pump talks to the server.")._p.append(_box("Note: the debug port is open on field units"))
    t = d.add_table(rows=2, cols=3)
    for i, h in enumerate(["ID", "Threat", "Mitigation"]):
        t.rows[0].cells[i].text = h
    for i, h in enumerate(["T-1", "Spoofed server", "Mutual TLS"]):
        t.rows[1].cells[i].text = h
    t.rows[1].cells[1].paragraphs[0]._p.append(_box("over Wi-Fi"))
    path = tmp_path / "boxes.docx"
    d.save(str(path))
    return path


def test_a_text_box_in_the_body_is_named_in_the_report(tmp_path: Path) -> None:
    model, report = run_import(_doc(tmp_path))
    assert reconciles(report)
    found = warnings_with(report, "text box not imported")
    assert len(found) == 1
    assert "debug port is open on field units" in found[0].message
    assert "paragraph" in (found[0].locator or "")
    assert all("debug port" not in t.title for t in model.threats)


def test_a_text_box_in_a_table_cell_is_read_with_the_cell(tmp_path: Path) -> None:
    model, report = run_import(_doc(tmp_path))
    assert [t.title for t in model.threats] == ["Spoofed server over Wi-Fi"]
    assert not [w for w in warnings_with(report, "text box") if "over Wi-Fi" in w.message]
