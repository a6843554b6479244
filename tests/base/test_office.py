"""One home for writing Office files (mdptm.base.office): one zip rewriter, one workbook writer."""

from __future__ import annotations

import ast
import zipfile
from pathlib import Path

import openpyxl
from openpyxl import Workbook

from mdptm.base.office import Column, StreamedSheet, rewrite_zip, save_workbook
from tests.conftest import ROOT

EPOCH = 1740787200  # 2025-03-01


def _zip(path: Path, members: dict[str, bytes], when: tuple[int, int, int, int, int, int]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=when), data)
    return path


MEMBERS = {
    "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Override PartName="/docProps/custom.xml" ContentType="x"/><Override PartName="/word/document.xml" ContentType="y"/></Types>',
    "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="r1" Type="t" Target="docProps/custom.xml"/><Relationship Id="r2" Type="t" Target="word/document.xml"/>'
    b'<Relationship Id="r3" Type="t" Target="file:///C:/Users/dana/tpl.dotx" TargetMode="External"/></Relationships>',
    "docProps/core.xml": b"<cp:coreProperties><dc:creator>Dana Whitlock</dc:creator></cp:coreProperties>",
    "docProps/custom.xml": b"<Properties><property name='Project'>Kestrel</property></Properties>",
    "word/comments.xml": b"<w:comments>Dana was here</w:comments>",
    "word/document.xml": b'<w:document><w:p w:rsidR="00A1B2C3"><w:t>@@body@@</w:t></w:p></w:document>',
}


def test_the_same_members_give_the_same_bytes_whenever_they_were_written(tmp_path: Path) -> None:
    a = _zip(tmp_path / "a.zip", MEMBERS, (2001, 2, 3, 4, 5, 6))
    b = _zip(tmp_path / "b.zip", MEMBERS, (2024, 12, 31, 23, 59, 58))
    rewrite_zip(a, EPOCH)
    rewrite_zip(b, EPOCH)
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as zf:
        assert [i.filename for i in zf.infolist()] == list(MEMBERS)  # nothing dropped without publish
        assert {(i.date_time, i.external_attr >> 16, i.create_system) for i in zf.infolist()} == {((2025, 3, 1, 0, 0, 0), 0o644, 0)}
        assert zf.read("docProps/core.xml") == MEMBERS["docProps/core.xml"]


def test_publishing_drops_people_and_history_and_splices_after_the_clean_up(tmp_path: Path) -> None:
    path = _zip(tmp_path / "d.docx", MEMBERS, (2001, 2, 3, 4, 5, 6))

    def edit(name: str, data: bytes) -> bytes | list[bytes]:
        if name != "word/document.xml":
            return data
        head, _, tail = data.partition(b"@@body@@")
        return [head, b'model text that mentions w:rsidR="1"', tail]  # in pieces, never cleaned

    rewrite_zip(path, EPOCH, publish="Pump <PTM>\x01", edit=edit)
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        core = zf.read("docProps/core.xml").decode()
        rels = zf.read("_rels/.rels").decode()
        types = zf.read("[Content_Types].xml").decode()
        body = zf.read("word/document.xml").decode()
    assert "docProps/custom.xml" not in names and "word/comments.xml" not in names
    assert "Dana" not in core and "<dc:title>Pump &lt;PTM&gt;</dc:title>" in core and "2025-03-01T00:00:00Z" in core
    assert "custom.xml" not in rels and "file:///" not in rels and "word/document.xml" in rels
    assert "custom.xml" not in types and "/word/document.xml" in types
    assert body == '<w:document><w:p><w:t>model text that mentions w:rsidR="1"</w:t></w:p></w:document>'


def test_a_rewrite_to_a_target_leaves_the_source_and_its_folder_alone(tmp_path: Path) -> None:
    src_dir, out_dir = tmp_path / "maker", tmp_path / "work"
    src_dir.mkdir()
    out_dir.mkdir()
    src = _zip(src_dir / "template.docx", MEMBERS, (2001, 2, 3, 4, 5, 6))
    before = src.read_bytes()
    rewrite_zip(src, EPOCH, edit=lambda name, data: data.upper() if name == "word/document.xml" else data, target=out_dir / "t.docx")
    assert src.read_bytes() == before and sorted(p.name for p in src_dir.iterdir()) == ["template.docx"]
    with zipfile.ZipFile(out_dir / "t.docx") as zf:
        assert b"@@BODY@@" in zf.read("word/document.xml")


def _streamed(path: Path, rows: list[list[object]]) -> None:
    wb = Workbook(write_only=True)
    sheet = StreamedSheet(wb, "Threats: all/[x]", [Column("ID", 10), Column("Text", 30, wrap=True)], set())
    sheet.set_filter(len(rows))
    for row in rows:
        sheet.append(row, {1: "FF0000"})
    save_workbook(wb, path, EPOCH, publish="Register", streamed=[sheet])


def test_streamed_rows_are_spliced_in_reproducibly_and_text_never_becomes_a_formula(tmp_path: Path) -> None:
    rows: list[list[object]] = [["T-1", '=HYPERLINK("http://x")'], ["T-2", "line one\nline two"], ["T-3", 7]]
    _streamed(tmp_path / "a.xlsx", rows)
    _streamed(tmp_path / "b.xlsx", rows)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    wb = openpyxl.load_workbook(tmp_path / "a.xlsx")
    ws = wb.worksheets[0]
    assert ws.title == "Threats  all  x"
    assert [[c.value for c in row] for row in ws.iter_rows()] == [["ID", "Text"], *rows]
    assert ws["B2"].data_type == "s" and ws["B2"].fill.fgColor.rgb.endswith("FF0000")
    assert ws.auto_filter.ref == "A1:B4" and wb.properties.title == "Register"
    with zipfile.ZipFile(tmp_path / "a.xlsx") as zf:
        assert b"creator" not in zf.read("docProps/core.xml")  # published: nobody's name, not even openpyxl's


def test_a_workbook_of_cells_keeps_its_own_properties_with_pinned_dates(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["a", 1])
    wb.properties.creator = "mdptm"
    save_workbook(wb, tmp_path / "c.xlsx", EPOCH)
    back = openpyxl.load_workbook(tmp_path / "c.xlsx")
    assert back.properties.creator == "mdptm"
    assert back.properties.created.year == 2025 and back.properties.modified == back.properties.created


def _writes_a_zip_or_workbook(tree: ast.AST) -> list[int]:
    """Lines that open a zip for writing or save a workbook or document themselves."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        modes = [a.value for a in node.args[1:2] if isinstance(a, ast.Constant)]
        modes += [k.value.value for k in node.keywords if k.arg == "mode" and isinstance(k.value, ast.Constant)]
        if (name == "ZipFile" and any(m in ("w", "a", "x") for m in modes)) or name == "ExcelWriter":
            lines.append(node.lineno)
    return lines


def test_only_the_office_module_writes_zips_and_workbooks() -> None:
    writers = {}
    for path in sorted((ROOT / "mdptm").rglob("*.py")):
        found = _writes_a_zip_or_workbook(ast.parse(path.read_text(encoding="utf-8")))
        if found:
            writers[path.relative_to(ROOT).as_posix()] = found
    assert list(writers) == ["mdptm/base/office.py"], writers


def test_publishing_drops_a_templates_mail_merge_source_and_schemas(tmp_path: Path) -> None:
    # a template's mail merge named a data source on a file server and a query naming a person's folder
    settings = (
        b'<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:zoom w:percent="100"/>'
        b'<w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:connectString w:val="Provider=Microsoft.ACE.OLEDB.12.0;'
        b'Data Source=\\\\fs01.meridian.corp\\hr\\staff.xlsx"/><w:query w:val="SELECT * FROM `C:\\Users\\dana.whitlock\\x`"/>'
        b'</w:mailMerge><w:attachedSchema w:val="http://schemas.meridian.corp/kestrel"/><w:docVars/>'
        b'<w:defaultTabStop w:val="720"/></w:settings>'
    )
    path = _zip(tmp_path / "t.docx", {**MEMBERS, "word/settings.xml": settings}, (2001, 2, 3, 4, 5, 6))
    rewrite_zip(path, EPOCH, publish="Pump PTM")
    with zipfile.ZipFile(path) as zf:
        kept = zf.read("word/settings.xml").decode()
    for secret in ("fs01", "meridian", "dana", "mailMerge", "attachedSchema", "docVars"):
        assert secret not in kept, secret
    assert '<w:zoom w:percent="100"/>' in kept and '<w:defaultTabStop w:val="720"/>' in kept
