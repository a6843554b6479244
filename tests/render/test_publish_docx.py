"""The general Doc → .docx renderer: any Doc renders, on any template, reproducibly."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from mdptm.errors import InputError
from mdptm.model.results import ClauseResult, Coverage, FrameworkResult
from mdptm.render.diagrams import coverage_chart
from mdptm.render.docir import Bullets, Doc, Image, PageBreak, Table, Toc
from mdptm.render.docx import column_widths, default_template, render_docx

ROOT = Path(__file__).resolve().parent.parent.parent


def _sample_doc(tmp_path: Path, **kw: object) -> Doc:
    picture = coverage_chart(
        Coverage(frameworks=[FrameworkResult(id="x", title="X", clauses=[ClauseResult(id="1", title="t", status="covered")])]),
        tmp_path / "chart.png",
    )
    assert picture is not None
    d = Doc(title="Guide: deployment", subtitle="For hospitals", footer="Example footer", **kw)  # type: ignore[arg-type]
    d.blocks.append(Toc())
    d.h("First chapter", 1)
    d.p('Plain text & <angle> "quotes" \x01 control', bold_prefix="Note:")
    d.p("A note", style="note")
    d.p("Unknown style falls back", style="no such style")
    d.blocks.append(Bullets(["one", "two"], numbered=True))
    d.blocks.append(Bullets(["again one"], numbered=True))
    d.blocks.append(Bullets(["a bullet\nsecond line"]))
    d.h("Second level", 2)
    d.blocks.append(
        Table(
            ["Port", "Protocol"],
            [["443", "HTTPS"], ["6514", "syslog\nover TLS"]],
            caption="Ports",
            fills={(0, 1): "C8E6C9"},
        )
    )
    d.blocks.append(Image(picture, "A chart"))
    d.blocks.append(PageBreak())
    d.h("Third chapter", 1)
    return d


def test_any_doc_renders_with_every_block(tmp_path: Path) -> None:
    out = tmp_path / "guide.docx"
    render_docx(_sample_doc(tmp_path, confidential=True), out, epoch=1700000000)
    d = docx.Document(str(out))
    styles = [(p.style.name if p.style is not None else "", "".join(t.text or "" for t in p._p.iter(qn("w:t")))) for p in d.paragraphs]
    assert ("Title", "Guide: deployment") in styles
    assert ("Heading 1", "First chapter") in styles and ("Heading 2", "Second level") in styles
    assert any(s == "Caption" and t == "Table 1: Ports" for s, t in styles)
    assert any(s == "Caption" and t == "Figure 1: A chart" for s, t in styles)
    assert any("Plain text & <angle>" in t and "\x01" not in t for _, t in styles)
    with zipfile.ZipFile(out) as z:
        body = z.read("word/document.xml").decode()
        headers = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/header"))
    assert "CONFIDENTIAL" in headers and "DRAFT" not in headers
    assert 'w:fill="C8E6C9"' in body
    # every numbered list starts again at 1: each list has its own numbering instance
    num_ids = {p._p.pPr.numPr.numId.val for p in d.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None}
    assert len(num_ids) == 3
    assert d.tables[0].rows[2].cells[1].text == "syslog\nover TLS"


def test_same_doc_same_bytes(tmp_path: Path) -> None:
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    render_docx(_sample_doc(tmp_path, draft=True), a, epoch=1700000000)
    render_docx(_sample_doc(tmp_path, draft=True), b, epoch=1700000000)
    assert a.read_bytes() == b.read_bytes()


def test_a_users_template_keeps_its_branding_but_not_its_history(tmp_path: Path) -> None:
    user = docx.Document()
    user.sections[0].header.paragraphs[0].text = "ACME Medical — brand header"
    user.core_properties.author = "Jane Roe"
    user.core_properties.comments = "internal remark"
    user.add_paragraph("Template body text that must not survive")
    template = tmp_path / "acme.docx"
    user.save(str(template))
    out = tmp_path / "out.docx"
    render_docx(_sample_doc(tmp_path), out, template=template, epoch=1700000000)
    with zipfile.ZipFile(out) as z:
        everything = b"".join(z.read(n) for n in z.namelist())
        names = z.namelist()
    assert b"ACME Medical" in everything
    assert b"Jane Roe" not in everything and b"internal remark" not in everything
    assert b"Template body text" not in everything
    assert not any("thumbnail" in n for n in names)


def test_a_template_without_our_styles_gets_them(tmp_path: Path) -> None:
    bare = docx.Document()
    for name in ("Caption", "TOC Heading"):
        el = bare.styles[name].element
        el.getparent().remove(el)
    template = tmp_path / "bare.docx"
    bare.save(str(template))
    out = tmp_path / "out.docx"
    render_docx(_sample_doc(tmp_path), out, template=template)
    names = {s.name for s in docx.Document(str(out)).styles}
    assert {"Caption", "TOC Heading", "Table Text", "Note", "TOC 1"} <= names


def test_a_bad_template_is_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_text("not a zip")
    with pytest.raises(InputError):
        render_docx(Doc(title="x"), tmp_path / "o.docx", template=bad)
    with pytest.raises(InputError, match="not found"):
        render_docx(Doc(title="x"), tmp_path / "o.docx", template=tmp_path / "missing.docx")


def test_compact_tables_and_unbroken_identifiers() -> None:
    small = Table(["Status", "Threats"], [["Mitigated", "29"], ["Open", "1"]])
    widths = column_widths(small, 9500)
    assert sum(widths) < 9500 * 0.6
    wide = Table(["Clause", "Requirement"], [["security_development_lifecycle", "x " * 200]], widths=[0.3, 5])
    widths = column_widths(wide, 9500)
    assert widths[0] > 2.5 * 9500 * 0.3 / 5.3  # well beyond its 6 % share, taken from the text column
    assert sum(widths) == 9500


def test_committed_template_is_what_the_script_makes(tmp_path: Path) -> None:
    out = tmp_path / "t.docx"
    subprocess.run([sys.executable, str(ROOT / "templates" / "make_ptm_template.py"), str(out)], check=True)
    assert out.read_bytes() == default_template().read_bytes()


def test_a_column_of_wide_letters_is_not_broken_mid_word() -> None:
    # the risk assessment's exploitability table: "Medium (9)" set in a column sized for six average letters broke
    # as "Mediu / m (9)"; Arial sets "Medium" 604 twips wide at 8.5 pt, plus 2 x 80 twips of cell margin
    head = ["ID", "Threat", "Exploitability before", "Severity before", "Risk before", "Exploitability after"]
    head += ["Severity after", "Residual risk", "CVSS"]
    row = ["T-021", "Malformed or high-rate traffic crashes the module", "Likely (4)", "Serious (3)", "Medium (9)"]
    row += ["Unlikely (2)", "Negligible (1)", "Medium (6)", "8.0 (High)"]
    table = Table(head, [row] * 20, widths=[0.9, 2.1, 1.3, 1.6, 1.2, 1.3, 1.6, 1.2, 0.9])
    widths = column_widths(table, 9412)
    assert widths[4] >= 604 + 160 and widths[7] >= 604 + 160
    assert sum(widths) == 9412
