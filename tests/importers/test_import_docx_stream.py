"""The Word importer reads ``word/document.xml`` as a stream: each block once it ends, tables row by row,
everything freed once read. What it reads must not depend on that: merged cells, nested tables, tracked
changes, content controls, hyperlinks, fields and hidden text give the records they always gave."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from mdptm.errors import InputError
from mdptm.importers.docx import _Docx
from tests.importers.import_helpers import reconciles, records_at, run_import, warnings_with

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _p(text: str, style: str | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def _tc(*content: str, props: str = "") -> str:
    return f"<w:tc>{f'<w:tcPr>{props}</w:tcPr>' if props else ''}{''.join(content) or '<w:p/>'}</w:tc>"


def _cells(*texts: str) -> str:
    return "".join(_tc(_p(t)) for t in texts)


def _table(*rows: str) -> str:
    return f"<w:tbl><w:tblPr/><w:tblGrid/>{''.join(f'<w:tr>{r}</w:tr>' for r in rows)}</w:tbl>"


def _word(path: Path, body: str) -> Path:
    """A .docx whose body is *body* (python-docx's default styles, settings and relationships)."""
    skeleton = io.BytesIO()
    docx.Document().save(skeleton)
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W}" xmlns:r="{R}">'
    xml += f"<w:body>{body}</w:body></w:document>"
    with zipfile.ZipFile(skeleton) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, xml.encode() if info.filename == "word/document.xml" else src.read(info.filename))
    return path


HEADER = _cells("ID", "Threat", "Description", "STRIDE", "Component", "Mitigations", "Status")
INS = '<w:ins w:id="1" w:author="A" w:date="2024-01-01T00:00:00Z"><w:r><w:t xml:space="preserve"> over Wi-Fi</w:t></w:r></w:ins>'
DEL = '<w:del w:id="2" w:author="A" w:date="2024-01-01T00:00:00Z"><w:r><w:delText xml:space="preserve"> OBSOLETE</w:delText></w:r></w:del>'
HIDDEN = '<w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve"> SECRET-NOTE</w:t></w:r>'
FIELD = (
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> REF ctl1 </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>C-01</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
)
NESTED = _table(_cells("Inner A"), _cells("Inner B"))
TOC = (
    '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/></w:docPartObj></w:sdtPr>'
    f"<w:sdtContent>{_p('Contents', 'TOCHeading')}{_p('Manufacturer: Wrong Maker Ltd')}{_p('2 Threats', 'Heading1')}</w:sdtContent></w:sdt>"
)
ROWS = [
    # T-01: a tracked insertion kept, a deletion dropped, hidden text left out; component merged down into T-02
    _tc(_p("T-01"))
    + _tc(f"<w:p><w:r><w:t>Spoofed pump command</w:t></w:r>{INS}{DEL}{HIDDEN}</w:p>")
    + _cells("A forged command reaches the pump.", "S")
    + _tc(_p("Infusion Pump"), props='<w:vMerge w:val="restart"/>')
    + _cells("C-01", "Mitigated"),
    # T-02: the component cell continues the merge; a nested table in the description; a field as mitigation
    _cells("T-02", "Library tampering")
    + _tc(_p("The drug library is altered."), NESTED)
    + _cells("T")
    + _tc("<w:p/>", props="<w:vMerge/>")
    + _tc(f"<w:p>{FIELD}</w:p>")
    + _cells("Open"),
    # T-03: a hyperlink in the title, a run-level content control as status, the row wrapped in a content control
    "<w:sdt><w:sdtPr/><w:sdtContent><w:tr>"
    + _cells("T-03")
    + _tc('<w:p><w:hyperlink r:id="rIdX"><w:r><w:t>Gateway flooding</w:t></w:r></w:hyperlink></w:p>')
    + _cells("A broadcast storm takes the gateway down.", "D", "Gateway", "C-02")
    + _tc("<w:p><w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>Mitigated</w:t></w:r></w:sdtContent></w:sdt></w:p>")
    + "</w:tr></w:sdtContent></w:sdt>",
    # T-04: a row deleted in tracked changes, and a cell spanning two columns
    '<w:trPr><w:del w:id="3" w:author="A" w:date="2024-01-01T00:00:00Z"/></w:trPr>'
    + _cells("T-04", "Removed threat")
    + _tc(_p("Spans two columns"), props='<w:gridSpan w:val="2"/>')
    + _cells("Gateway", "", "Open"),
]


def _threat_document(path: Path) -> Path:
    rows = "".join(r if r.startswith("<w:sdt>") else f"<w:tr>{r}</w:tr>" for r in ROWS)
    body = (
        _p("Streamed Pump Threat Model", "Title")
        + TOC
        + f"<w:sdt><w:sdtPr/><w:sdtContent>{_p('Manufacturer: Acme Streams Inc.')}</w:sdtContent></w:sdt>"
        + _p("1 Components", "Heading1")
        + _table(
            _cells("Component ID", "Component Name", "Type"),
            _cells("E-PUMP", "Infusion Pump", "Device"),
            _cells("E-GW", "Gateway", "Device"),
        )
        + _p("2 Threats", "Heading1")
        + f"<w:sdt><w:sdtPr/><w:sdtContent><w:tbl><w:tblPr/><w:tblGrid/><w:tr>{HEADER}</w:tr>{rows}</w:tbl></w:sdtContent></w:sdt>"
        + _p("3 Security Controls", "Heading1")
        + _table(_cells("Control ID", "Control"), _cells("C-01", "Signed commands"), _cells("C-02", "Rate limiting"))
    )
    return _word(path, body)


def test_streamed_document_gives_the_expected_records(tmp_path: Path) -> None:
    model, report = run_import(_threat_document(tmp_path / "stream.docx"))
    assert reconciles(report)
    threats = {t.id: t for t in model.threats}
    assert sorted(threats) == ["T-01", "T-02", "T-03"]  # T-04 was deleted in tracked changes
    assert threats["T-01"].title == "Spoofed pump command over Wi-Fi"  # insertion kept, deletion and hidden run dropped
    assert threats["T-01"].stride == ["spoofing"] and threats["T-01"].status == "mitigated"
    assert threats["T-01"].targets == ["E-PUMP"] and threats["T-02"].targets == ["E-PUMP"]  # merged down
    assert threats["T-02"].description == "The drug library is altered.\nInner A\nInner B"  # nested table: cell text
    assert threats["T-02"].controls == ["C-01"]  # a field's result, not its instruction
    assert threats["T-03"].title == "Gateway flooding" and threats["T-03"].status == "mitigated"
    assert threats["T-03"].controls == ["C-02"] and threats["T-03"].targets == ["E-GW"]
    assert {c.id: c.title for c in model.controls} == {"C-01": "Signed commands", "C-02": "Rate limiting"}
    assert model.product.manufacturer == "Acme Streams Inc."  # read through a content control; the TOC's line is not
    assert model.document.title == "Streamed Pump Threat Model"
    assert records_at(report, "table 2 row 5")[0].disposition == "skipped"  # the deleted row, named
    assert warnings_with(report, "row deleted in tracked changes")
    assert warnings_with(report, "1 insertion(s) accepted, 1 deletion(s) dropped")
    assert warnings_with(report, "1 run(s) of hidden text left out")
    assert "SECRET-NOTE" not in model.model_dump_json() and "OBSOLETE" not in model.model_dump_json()


def test_table_rows_are_read_and_freed_as_they_end(tmp_path: Path) -> None:
    """The reader never holds a table's rows as elements: each is read into text and freed when it ends,
    and a block handed out is cleared once the caller comes back for the next."""
    src = _threat_document(tmp_path / "stream.docx")
    with zipfile.ZipFile(src) as zf:
        doc = _Docx(zf, src.name)
        seen: list[tuple[str, int]] = []
        previous = None
        for el, rows in doc.blocks():
            if previous is not None:
                assert len(previous) == 0 and not previous.attrib  # the last block was freed
            if rows is not None:
                left = list(el.iter(f"{{{W}}}tr"))
                assert len(left) <= 1  # at most the last row's empty shell remains
                seen.append(("tbl", len(rows.cells)))
            else:
                seen.append(("p", len(el)))
            previous = el
    assert [kind for kind, _n in seen] == ["p", "p", "p", "tbl", "p", "tbl", "p", "tbl"]  # the TOC's three lines left out
    assert [n for kind, n in seen if kind == "tbl"] == [3, 5, 3]
    grid = _grid_of(src, 2)
    assert grid.cells[1][4] == "Infusion Pump" and grid.cells[2][4] == "" and grid.merged[(2, 4)] == (1, 4)
    assert grid.cells[4][2:4] == ["Spans two columns", ""] and grid.merged[(4, 3)] == (4, 2)
    assert grid.deleted_rows == {4}


def _grid_of(src: Path, number: int):  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(src) as zf:
        tables = [rows for _el, rows in _Docx(zf, src.name).blocks() if rows is not None]
    return tables[number - 1].grid(number, src.name)


def test_large_tables_stream_in_bounded_memory(tmp_path: Path) -> None:
    """Three tables of 1 500 rows: whenever a block is handed out the tree holds what the parser read ahead
    (a buffer of text), never the tables read so far (about 50 000 elements)."""
    body = ""
    for t in range(3):
        rows = [_cells("ID", "Threat", "STRIDE")] + [_cells(f"T-{t}{i:04d}", f"Threat number {t}.{i}", "T") for i in range(1500)]
        body += _p(f"{t + 1} Threats", "Heading1") + _p("Every threat found.") + _table(*rows)
    src = _word(tmp_path / "long.docx", body)
    sizes = []
    with zipfile.ZipFile(src) as zf:
        for el, _rows in _Docx(zf, src.name).blocks():
            sizes.append(sum(1 for _ in el.getroottree().getroot().iter()))
    assert len(sizes) == 9 and max(sizes) < 5_000, sizes
    model, _report = run_import(src)
    assert len(model.threats) == 4500 and model.threats[-1].title == "Threat number 2.1499"


def test_stream_errors_name_the_part_and_line(tmp_path: Path) -> None:
    body = _p("Threats", "Heading1") + _table(_cells("ID", "Threat"), _cells("T-1", "x")) + "<w:p><w:r></w:p>"
    with pytest.raises(InputError, match=r"word/document\.xml, line \d+.*XML syntax error"):
        run_import(_word(tmp_path / "broken.docx", body))
    late = _p("Threats", "Heading1") + "<!--" + "x" * 100_000 + "-->" + "<!-- <!ENTITY e 'E'> -->" + _p("more")
    with pytest.raises(InputError, match="declares entities"):
        run_import(_word(tmp_path / "late.docx", late))


def test_document_larger_than_the_xml_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _threat_document(tmp_path / "stream.docx")
    monkeypatch.setenv("MDPTM_LIMIT_MAX_XML_BYTES", "2000")
    with pytest.raises(InputError, match="MDPTM_LIMIT_MAX_XML_BYTES"):
        run_import(src)


def test_table_of_contents_is_left_out_but_not_the_content_control_around_it(tmp_path: Path) -> None:
    """A table of contents is known by its own properties: a content control that merely contains one
    (a whole front matter wrapped in a control) is read, the table of contents inside it is not."""
    outer = f"<w:sdt><w:sdtPr/><w:sdtContent>{_p('Manufacturer: Outer Maker Ltd')}{TOC}</w:sdtContent></w:sdt>"
    body = outer + _p("Threats", "Heading1") + _table(_cells("Threat ID", "Threat"), _cells("T-1", "Spoofed pump command"))
    model, _report = run_import(_word(tmp_path / "front.docx", body))
    assert model.product.manufacturer == "Outer Maker Ltd"
    assert [t.title for t in model.threats] == ["Spoofed pump command"]


@pytest.mark.parametrize("wrapped", [False, True])
def test_paragraphs_stream_without_tables(tmp_path: Path, wrapped: bool) -> None:
    """Paragraphs are taken from the tree as the parser goes, not only before a table or at the end: a
    long document of prose (or one wrapped whole in a content control) never sits in memory whole, and a
    table of contents longer than what the parser reads at a time is still left out whole."""
    paras = "".join(_p(f"Line {i} of the introduction to the device and its intended use.") for i in range(3000))
    toc = "".join(_p(f"{i} Section heading\t{i}", "TOC1") for i in range(1500))  # a table of contents longer than a piece
    toc = TOC.replace("</w:sdtContent>", toc + "</w:sdtContent>")
    if wrapped:
        paras = f"<w:sdt><w:sdtPr/><w:sdtContent>{paras}</w:sdtContent></w:sdt>"
    body = _p("Manufacturer: Prose Maker Ltd") + toc + paras
    src = _word(tmp_path / "prose.docx", body)
    sizes = []
    texts = []
    with zipfile.ZipFile(src) as zf:
        for el, rows in _Docx(zf, src.name).blocks():
            assert rows is None
            sizes.append(sum(1 for _ in el.getroottree().getroot().iter()))
            texts.append("".join(el.itertext()))
    assert len(texts) == 3001 and texts[0] == "Manufacturer: Prose Maker Ltd"  # the table of contents left out
    assert texts[1] == "Line 0 of the introduction to the device and its intended use."
    assert texts[-1].startswith("Line 2999 ")  # every paragraph, in order
    assert max(sizes) < 5_000, max(sizes)  # the whole body is about 12 000 elements
