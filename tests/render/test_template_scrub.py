"""The Word branding template is scrubbed like model text; its external relationships are dropped."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from tests.redaction.leak_helpers import holds, package_text
from tests.test_cli_foundation import MODEL, run

SECRETS = ["PUMPSEC-777", "10.44.1.2", "build01.meridian.corp", "ops@meridian.corp"]
TEMPLATE_PATH = "file:///C:/Users/jdoe/Templates/Meridian-Confidential.dotm"


def _template(path: Path) -> Path:
    d = docx.Document()
    section = d.sections[0]
    section.header.paragraphs[0].text = f"Ticket {SECRETS[0]} · print server {SECRETS[1]}"
    section.footer.paragraphs[0].text = f"Built on {SECRETS[2]} — questions to {SECRETS[3]}"
    d.save(str(path))
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    rel = (
        f'<Relationship Id="rIdTpl" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'attachedTemplate" Target="{TEMPLATE_PATH}" TargetMode="External"/>'
    )
    rels = members.get(
        "word/_rels/settings.xml.rels",
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
        b'openxmlformats.org/package/2006/relationships"></Relationships>',
    )
    members["word/_rels/settings.xml.rels"] = rels.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
    members["word/settings.xml"] = members["word/settings.xml"].replace(
        b"<w:zoom",
        b'<w:attachedTemplate r:id="rIdTpl" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/><w:zoom',
        1,
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_template_header_and_footer_are_redacted_and_external_links_dropped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    (project / "model.yaml").write_text(MODEL)
    _template(project / "brand.docx")
    (project / "redaction.yaml").write_text("patterns: ['PUMPSEC-\\d+']\n")
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\ntemplate: brand.docx\nredaction: redaction.yaml\n")
    code, _, err = run(["build", str(project), "-o", str(tmp_path / "pkg")], capsys)
    assert code == 0, err
    text = package_text(tmp_path / "pkg")
    for secret in SECRETS:
        assert not holds(text, secret), secret
    assert not holds(text, "Meridian-Confidential") and not holds(text, "file:///")
    with zipfile.ZipFile(tmp_path / "pkg" / "ptm.docx") as zf:
        headers = [zf.read(n).decode() for n in zf.namelist() if n.startswith("word/header")]
    assert any("Ticket [redacted]" in h for h in headers)
    log = (tmp_path / "pkg.internal" / "redaction-log.json").read_text(encoding="utf-8")
    assert "PUMPSEC-777" in log  # the maker's log says what was removed, and where


HIDDEN_HEADER = (
    # a tracked insertion and deletion: the authors' names, and deleted text the reader never sees
    '<w:p><w:ins w:id="91" w:author="Marguerite Okonkwo" w:date="2026-01-01T00:00:00Z"><w:r><w:t>Product security</w:t></w:r></w:ins>'
    '<w:del w:id="92" w:author="Marguerite Okonkwo" w:date="2026-01-01T00:00:00Z"><w:r>'
    "<w:delText>Draft by Tobias Wren ext 4471</w:delText></w:r></w:del></w:p>"
    # a field whose code is an attribute, and one written as runs
    '<w:p><w:fldSimple w:instr=" HYPERLINK &quot;http://wiki.meridian.corp/branding&quot; "><w:r><w:t>Branding</w:t></w:r>'
    "</w:fldSimple></w:p>"
    '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> INCLUDEPICTURE '
    '"\\\\fs01.meridian</w:instrText></w:r><w:r><w:instrText>.corp\\branding\\logo.png" </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    # a content control's title and tag, a link's screen tip
    '<w:sdt><w:sdtPr><w:alias w:val="Owner Tobias Wren"/><w:tag w:val="owner:tobias.wren@meridian.corp"/></w:sdtPr>'
    "<w:sdtContent><w:p><w:r><w:t>Public</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    '<w:p><w:hyperlink w:anchor="top" w:tooltip="see http://jira.meridian.corp/browse/BRAND-9"><w:r><w:t>Top</w:t></w:r></w:hyperlink></w:p>'
)


def test_template_header_text_no_reader_sees_is_redacted_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Tracked changes (their authors and deleted text), field codes, content control titles and tags and
    screen tips of the template's header were published as they were: an internal host in a field code,
    a person in deleted text or as a change's author."""
    project = tmp_path / "proj"
    project.mkdir()
    (project / "model.yaml").write_text(MODEL)
    d = docx.Document()
    d.core_properties.author = "Marguerite Okonkwo"  # the template's author is a term, as a source's is
    d.sections[0].header.paragraphs[0].text = "Meridian Infusion Systems"
    plain = tmp_path / "plain.docx"
    d.save(str(plain))
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(project / "brand.docx", "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("word/header"):
                data = data.replace(b"</w:hdr>", HIDDEN_HEADER.encode() + b"</w:hdr>")
            zout.writestr(info, data)
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\ntemplate: brand.docx\n")
    code, _, err = run(["build", str(project), "-o", str(tmp_path / "pkg")], capsys)
    assert code == 0, err
    text = package_text(tmp_path / "pkg")
    for secret in ["Okonkwo", "Tobias Wren", "4471", "meridian.corp", "fs01", "BRAND-9", "tobias.wren"]:
        assert not holds(text, secret), secret
    with zipfile.ZipFile(tmp_path / "pkg" / "ptm.docx") as zf:
        header = next(zf.read(n).decode() for n in zf.namelist() if n.startswith("word/header"))
    # what a reader sees stays: the inserted text, the field results, the control's content
    for shown in ("Meridian Infusion Systems", "Product security", "Branding", "Public", "Top"):
        assert shown in header, shown
    assert "INCLUDEPICTURE" in header and "HYPERLINK" in header


def test_a_macro_enabled_template_gives_documents_without_its_macros(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A .dotm template was refused naming a temporary file; as a .docx holding a macro project, its macros
    (code naming a share on the maker's network) were copied into every published Word file."""
    project = tmp_path / "proj"
    project.mkdir()
    (project / "model.yaml").write_text(MODEL)
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "Meridian Infusion Systems"
    plain = tmp_path / "plain.docx"
    d.save(str(plain))
    code_text = b'Attribute VB_Name = "AutoOpen"\r\nSub AutoOpen()\r\n Shell "cmd /c copy \\\\share01\\drop\\x.exe"\r\nEnd Sub'
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(project / "brand.dotm", "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
                    b'Target="vbaProject.bin"/></Relationships>',
                )
            elif info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
                ).replace(b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
            zout.writestr(info, data)
        zout.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 100 + code_text + b"\x00" * 50)
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\ntemplate: brand.dotm\n")
    code, _, err = run(["build", str(project), "-o", str(tmp_path / "pkg")], capsys)
    assert code == 0, err
    words = sorted((tmp_path / "pkg").rglob("*.docx"))
    assert words
    for path in words:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            rels = zf.read("word/_rels/document.xml.rels").decode()
            types = zf.read("[Content_Types].xml").decode()
            header = next(zf.read(n).decode() for n in names if n.startswith("word/header"))
        assert not [n for n in names if "vba" in n.lower()], path
        assert "vbaProject" not in rels and "macroEnabled" not in types and "template.main" not in types
        assert "wordprocessingml.document.main+xml" in types
        assert "Meridian Infusion Systems" in header
    assert not holds(package_text(tmp_path / "pkg"), "share01")


def test_a_template_that_is_no_word_document_is_named_as_the_projects_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The error named the scrubbed copy in the work folder (/tmp/mdptm-work-…/template.docx)."""
    import openpyxl

    project = tmp_path / "proj"
    project.mkdir()
    (project / "model.yaml").write_text(MODEL)
    openpyxl.Workbook().save(project / "brand.docx")  # a workbook under a Word name
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\ntemplate: brand.docx\n")
    code, _, err = run(["build", str(project), "-o", str(tmp_path / "pkg")], capsys)
    assert code == 2, err
    assert str(project / "brand.docx") in err and "not a usable Word template" in err
    assert "mdptm-work-" not in err and "template.docx" not in err
    assert not (tmp_path / "pkg").exists()


def test_a_templates_watermark_style_and_font_names_are_redacted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A VML watermark's words (an attribute, shown on every page), a style name and a font name of the branding
    template were published as they were: 'ask ops-wiki.meridian.corp' in every Word file of the package."""
    project = tmp_path / "proj"
    project.mkdir()
    (project / "model.yaml").write_text(MODEL)
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "Meridian Infusion Systems"
    plain = tmp_path / "plain.docx"
    d.save(str(plain))
    watermark = (
        '<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" id="PowerPlusWaterMarkObject" alt="by eve.stone@meridian.corp">'
        '<v:textpath string="DRAFT ask ops-wiki.meridian.corp"/></v:shape></w:pict></w:r></w:p>'
    )
    style = '<w:style w:type="paragraph" w:customStyle="1" w:styleId="X1"><w:name w:val="Body for jenkins.meridian.corp builds"/></w:style>'
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(project / "brand.docx", "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("word/header"):
                data = data.replace(b"</w:p>", watermark.encode(), 1)
            elif info.filename == "word/styles.xml":
                data = data.replace(b"</w:styles>", style.encode() + b"</w:styles>")
            elif info.filename == "word/fontTable.xml":
                data = data.replace(b"</w:fonts>", b'<w:font w:name="Build svc01.meridian.corp Sans"/></w:fonts>')
            zout.writestr(info, data)
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\ntemplate: brand.docx\n")
    code, _, err = run(["build", str(project), "-o", str(tmp_path / "pkg")], capsys)
    assert code == 0, err
    text = package_text(tmp_path / "pkg")
    for secret in ["ops-wiki", "eve.stone", "jenkins", "svc01", "meridian.corp"]:
        assert not holds(text, secret), secret
    with zipfile.ZipFile(tmp_path / "pkg" / "ptm.docx") as zf:
        header = next(zf.read(n).decode() for n in zf.namelist() if n.startswith("word/header"))
        styles = zf.read("word/styles.xml").decode()
    assert 'string="DRAFT ask [redacted]"' in header  # the watermark stays, without the address
    assert "Body for [redacted] builds" in styles


def test_an_object_embedded_in_the_templates_header_is_not_published(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A workbook embedded in the template's header (an OLE object) was copied into every published Word file,
    with its own document properties: its author's name, which no term and no detector names."""
    import io

    import openpyxl

    project = tmp_path / "proj"
    project.mkdir()
    (project / "model.yaml").write_text(MODEL)
    wb = openpyxl.Workbook()
    wb.properties.creator = "Carl Vance"
    ws = wb.active
    assert ws is not None
    ws["A1"] = "Logo sizes for the Kestrel programme"
    book = io.BytesIO()
    wb.save(book)
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "Meridian Infusion Systems"
    plain = tmp_path / "plain.docx"
    d.save(str(plain))
    ole = (
        '<w:r><w:object><o:OLEObject xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships" Type="Embed" ProgID="Excel.Sheet.12" ObjectID="_1" r:id="rIdEmb1"/></w:object></w:r></w:p>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rIdEmb1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'package" Target="embeddings/Book1.xlsx"/></Relationships>'
    )
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(project / "brand.docx", "w", zipfile.ZIP_DEFLATED) as zout:
        assert "word/_rels/header1.xml.rels" not in zin.namelist()
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Default Extension="xlsx" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/></Types>',
                )
            elif info.filename == "word/header1.xml":
                data = data.replace(b"</w:p>", ole.encode(), 1)
            zout.writestr(info, data)
        zout.writestr("word/_rels/header1.xml.rels", rels)
        zout.writestr("word/embeddings/Book1.xlsx", book.getvalue())
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\ntemplate: brand.docx\n")
    code, _, err = run(["build", str(project), "-o", str(tmp_path / "pkg")], capsys)
    assert code == 0, err
    text = package_text(tmp_path / "pkg")
    assert not holds(text, "Carl Vance") and not holds(text, "Logo sizes")
    for word in sorted((tmp_path / "pkg").rglob("*.docx")):
        with zipfile.ZipFile(word) as zf:
            assert not [n for n in zf.namelist() if "embeddings/" in n], word
            header = next(zf.read(n).decode() for n in zf.namelist() if n.startswith("word/header"))
        assert "OLEObject" not in header and "Meridian Infusion Systems" in header


def test_a_templates_editing_restriction_and_password_hash_are_not_published(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A template restricted for editing carries a salted hash of the maker's password in its settings; every
    published Word file carried it (a hash to crack offline) and was itself restricted."""
    project = tmp_path / "proj"
    project.mkdir()
    (project / "model.yaml").write_text(MODEL)
    plain = tmp_path / "plain.docx"
    docx.Document().save(str(plain))
    protection = (
        b'<w:documentProtection w:edit="readOnly" w:enforcement="1" w:cryptProviderType="rsaAES" w:cryptAlgorithmClass="hash" '
        b'w:cryptAlgorithmType="typeAny" w:cryptAlgorithmSid="14" w:cryptSpinCount="100000" '
        b'w:hash="c2VjcmV0LWhhc2gtb2YtdGhlLXBhc3N3b3Jk" w:salt="c2FsdHNhbHRzYWx0"/>'
        b'<w:writeProtection w:recommended="1" w:hashValue="d3JpdGUtcHJvdGVjdGlvbi1oYXNo" w:saltValue="c2FsdA=="/>'
    )
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(project / "brand.docx", "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/settings.xml":
                data = data.replace(b"<w:zoom", protection + b"<w:zoom", 1)
                assert protection in data
            elif info.filename == "word/numbering.xml":
                data = data.replace(b'<w:lvlText w:val="', b'<w:lvlText w:val="ops@meridian.corp ', 1)
            zout.writestr(info, data)
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\ntemplate: brand.docx\n")
    code, _, err = run(["build", str(project), "-o", str(tmp_path / "pkg")], capsys)
    assert code == 0, err
    for word in sorted((tmp_path / "pkg").rglob("*.docx")):
        with zipfile.ZipFile(word) as zf:
            settings = zf.read("word/settings.xml")
            numbering = zf.read("word/numbering.xml") if "word/numbering.xml" in zf.namelist() else b""
        for gone in (b"documentProtection", b"writeProtection", b"c2VjcmV0LWhhc2gtb2YtdGhlLXBhc3N3b3Jk", b"d3JpdGUtcHJvdGVjdGlvbi1oYXNo"):
            assert gone not in settings, (word.name, gone)
        assert b"ops@meridian.corp" not in numbering, word.name


def _picture_template(path: Path, picture: str, header_part: str = "word/header1.xml") -> Path:
    """A template whose header shows a picture stored under *picture* (a tool that does not rename pictures to
    image1.png), the picture's name repeating the file's, the header stored as *header_part*."""
    import io

    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 0, 0)).save(png, "PNG")
    d = docx.Document()
    d.sections[0].header.paragraphs[0].add_run().add_picture(io.BytesIO(png.getvalue()))
    plain = path.with_name("plain.docx")
    d.save(str(plain))
    base = picture.rsplit("/", 1)[-1]
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            name, data = info.filename, zin.read(info)
            name = picture if name.startswith("word/media/") else name
            name = {"word/header1.xml": header_part, "word/_rels/header1.xml.rels": f"word/_rels/{header_part[5:]}.rels"}.get(name, name)
            data = data.replace(b"media/image1.png", picture[5:].encode()).replace(b"header1.xml", header_part[5:].encode())
            if name == header_part:
                data = data.replace(b'descr=""', f'descr="{base}"'.encode()).replace(b'name="Picture 1"', f'name="{base}"'.encode())
            zout.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("picture", "header_part"),
    [
        ("word/media/ProjectNightjar-logo.png", "word/header1.xml"),
        ("word/media/carl-vance-headshot.PNG", "word/header-nightjar.xml"),  # a person no term names; a header renamed
    ],
)
def test_a_templates_picture_and_part_names_are_published_neutrally(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], picture: str, header_part: str
) -> None:
    """A template's picture kept the name the maker's tool gave it ("ProjectNightjar-logo.png", a code name the
    policy withholds): the leak scan refused every build with that template. The package is now written, the
    picture renamed image1.png and every reference following it, nothing of the old names left."""
    project = tmp_path / "proj"
    project.mkdir()
    (project / "model.yaml").write_text(MODEL)
    _picture_template(project / "brand.docx", picture, header_part)
    (project / "redaction.yaml").write_text("terms: [Nightjar]\n")
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\ntemplate: brand.docx\nredaction: redaction.yaml\n")
    code, _, err = run(["build", str(project), "-o", str(tmp_path / "pkg")], capsys)
    assert code == 0, err
    text = package_text(tmp_path / "pkg")
    for secret in ("nightjar", "carl-vance", "carl vance", "headshot"):
        assert not holds(text, secret), secret
    with zipfile.ZipFile(tmp_path / "pkg" / "ptm.docx") as zf:
        names = zf.namelist()
        header = next(n for n in names if n.startswith("word/header"))
        rels = zf.read(f"word/_rels/{header[5:]}.rels").decode()
    assert "word/media/image1.png" in names or "word/media/image1.PNG" in names
    target = rels.split('Target="')[1].split('"')[0]
    assert f"word/{target}" in names  # the header's picture is there, under its new name
    shown = docx.Document(str(tmp_path / "pkg" / "ptm.docx")).sections[0].header
    assert shown.part.related_parts  # python-docx follows the header's relationship to the picture


def test_a_font_embedded_in_the_template_is_not_published(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A font embedded in the template was copied into every Word file (renamed, once pictures and parts were):
    its name table, UTF-16 the scan did not read, named "Nightjar Sans ... for Project Nightjar by Carl Vance".
    Embedded fonts are left out with every reference to them; the document names its fonts as before."""
    project = tmp_path / "proj"
    project.mkdir()
    (project / "model.yaml").write_text(MODEL)
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "Meridian Infusion Systems"
    plain = tmp_path / "plain.docx"
    d.save(str(plain))
    name = "Nightjar Sans; designed for Project Nightjar by Carl Vance"
    font = b"\x00\x01\x00\x00" + b"\x00" * 60 + name.encode("utf-16-be") + b"\x00" * 99
    embed = b'<w:font w:name="Brand Sans"><w:embedRegular r:id="rIdF1" w:fontKey="{00000000-0000-0000-0000-000000000000}"/></w:font>'
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rIdF1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'font" Target="fonts/font1.odttf"/></Relationships>'
    )
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(project / "brand.docx", "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/fontTable.xml":
                data = data.replace(b"</w:fonts>", embed + b"</w:fonts>")
                assert b"xmlns:r=" in data
            elif info.filename == "word/settings.xml":
                data = data.replace(b"<w:zoom", b"<w:embedTrueTypeFonts/><w:zoom", 1)
            elif info.filename == "[Content_Types].xml":
                kind = b"application/vnd.openxmlformats-officedocument.obfuscatedFont"
                data = data.replace(b"</Types>", b'<Default Extension="odttf" ContentType="' + kind + b'"/></Types>')
            zout.writestr(info, data)
        zout.writestr("word/_rels/fontTable.xml.rels", rels)
        zout.writestr("word/fonts/font1.odttf", font)
    (project / "redaction.yaml").write_text("terms: [Nightjar]\n")
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\ntemplate: brand.docx\nredaction: redaction.yaml\n")
    code, _, err = run(["build", str(project), "-o", str(tmp_path / "pkg")], capsys)
    assert code == 0, err
    for word in sorted((tmp_path / "pkg").rglob("*.docx")):
        with zipfile.ZipFile(word) as zf:
            members = {n: zf.read(n) for n in zf.namelist()}
        assert not [n for n in members if n.startswith("word/fonts/") or n.endswith((".odttf", ".bin"))], word
        for name, data in members.items():
            assert "Nightjar".encode("utf-16-be") not in data and b"Carl Vance" not in data, (word, name)
        assert b"embedRegular" not in members["word/fontTable.xml"] and b"embedTrueTypeFonts" not in members["word/settings.xml"]
        docx.Document(str(word))  # still opens
