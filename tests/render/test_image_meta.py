"""A template's pictures are published without the text written into them (author, path, history)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Inches
from PIL import Image, PngImagePlugin

from mdptm.render.image_meta import strip_metadata
from tests.test_cli_foundation import MODEL, run

NAME = "Dana Whitlock"


def _png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", NAME)
    info.add_text("Comment", NAME, zip=True)  # zTXt: compressed
    info.add_itxt("Description", NAME, zip=True)  # iTXt: compressed
    img = Image.new("RGB", (8, 4), "blue")
    exif = img.getexif()
    exif[0x9C9D] = NAME.encode("utf-16-le") + b"\0\0"  # XPAuthor, UTF-16
    out = io.BytesIO()
    img.save(out, "PNG", pnginfo=info, exif=exif)
    return out.getvalue()


def _jpeg() -> bytes:
    img = Image.new("RGB", (8, 4), "red")
    exif = img.getexif()
    exif[0x013B] = NAME  # Artist
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif, comment=NAME.encode())
    return out.getvalue()


@pytest.mark.parametrize("make", [_png, _jpeg])
def test_metadata_text_goes_and_the_pixels_stay(make: object) -> None:
    data = make()  # type: ignore[operator]
    clean = strip_metadata(data)
    before, after = Image.open(io.BytesIO(data)), Image.open(io.BytesIO(clean))
    assert after.tobytes() == before.tobytes() and after.size == before.size
    assert not {k for k in after.info if k not in ("dpi", "jfif", "jfif_version", "jfif_unit", "jfif_density")}
    assert not dict(after.getexif())
    assert NAME.encode() not in clean and NAME.encode("utf-16-le") not in clean


def test_other_bytes_are_kept() -> None:
    assert strip_metadata(b"GIF89a...") == b"GIF89a..."
    assert strip_metadata(b"\x89PNG\r\n\x1a\n\x00\x00") == b"\x89PNG\r\n\x1a\n\x00\x00"  # truncated: as it was


def test_a_template_logo_reaches_the_package_without_its_metadata_or_alt_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    (project / "model.yaml").write_text(MODEL)
    (tmp_path / "logo.png").write_bytes(_png())
    d = docx.Document()
    d.sections[0].header.paragraphs[0].add_run().add_picture(str(tmp_path / "logo.png"), width=Inches(1))
    for pr in d.sections[0].header._element.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"):
        pr.set("descr", f"Logo drawn by {NAME}")
    d.save(str(project / "brand.docx"))
    (project / "redaction.yaml").write_text(f"terms: [{NAME}]\n")
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\ntemplate: brand.docx\nredaction: redaction.yaml\n")
    code, _, err = run(["build", str(project), "-o", str(tmp_path / "pkg")], capsys)
    assert code == 0, err
    for path in [tmp_path / "pkg" / "ptm.docx", *sorted((tmp_path / "pkg" / "guides").glob("*.docx"))]:
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                data = zf.read(name)
                if name.startswith("word/media/"):
                    assert not Image.open(io.BytesIO(data)).info.get("Author"), (path.name, name)
                    assert NAME.encode("utf-16-le") not in data, (path.name, name)
                assert NAME.encode() not in data, (path.name, name)


PERSON = "Carl Vance"  # no term, no detector: only dropping the editor's record keeps him out
SVG = f"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with Inkscape by {PERSON} -->
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
 xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:cc="http://creativecommons.org/ns#"
 width="10" height="10" sodipodi:docname="carl-vance-logo.svg" inkscape:export-filename="/home/cvance/logo.png">
<metadata><rdf:RDF><cc:Work><dc:creator><cc:Agent><dc:title>{PERSON}</dc:title></cc:Agent></dc:creator></cc:Work></rdf:RDF></metadata>
<sodipodi:namedview id="nv" inkscape:current-layer="layer1"/>
<g inkscape:label="Layer by cvance" id="layer1"><rect width="5" height="5" fill="#00f"/><text x="1" y="9">Meridian</text>
<image xlink:href="file:///C:/Users/cvance/logo.png" width="1" height="1"/><use xlink:href="#layer1"/></g></svg>""".encode()


def test_an_svg_loses_its_editors_record_and_keeps_its_drawing() -> None:
    """An SVG logo (Word keeps one beside its PNG fallback) was published as it was: its creator in RDF
    metadata, Inkscape's file names under the user's home, a comment, a link to a picture on the user's disk."""
    clean = strip_metadata(SVG)
    for gone in (PERSON, b"cvance", b"Inkscape", b"metadata", b"file:///", b"<!--"):
        assert (gone.encode() if isinstance(gone, str) else gone) not in clean, gone
    for kept in (b"<rect", b'fill="#00f"', b"Meridian", b'xlink:href="#layer1"', b'width="10"'):
        assert kept in clean, kept


def test_a_template_svg_logo_reaches_the_package_without_its_editors_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    (project / "model.yaml").write_text(MODEL)
    (tmp_path / "logo.png").write_bytes(_png())
    d = docx.Document()
    d.sections[0].header.paragraphs[0].add_run().add_picture(str(tmp_path / "logo.png"), width=Inches(1))
    plain = tmp_path / "plain.docx"
    d.save(str(plain))
    svg_rel = (
        '<Relationship Id="rIdSvg1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
        'Target="media/logo.svg"/></Relationships>'
    )
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(project / "brand.docx", "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Default Extension="svg" ContentType="image/svg+xml"/></Types>')
            elif info.filename == "word/_rels/header1.xml.rels":
                data = data.replace(b"</Relationships>", svg_rel.encode())
            zout.writestr(info, data)
        zout.writestr("word/media/logo.svg", SVG)
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\ntemplate: brand.docx\n")
    code, _, err = run(["build", str(project), "-o", str(tmp_path / "pkg")], capsys)
    assert code == 0, err
    svgs = 0
    for path in [tmp_path / "pkg" / "ptm.docx", *sorted((tmp_path / "pkg" / "guides").glob("*.docx"))]:
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                data = zf.read(name)
                assert PERSON.encode() not in data and b"cvance" not in data, (path.name, name)
                svgs += name.endswith(".svg")
    assert svgs  # the logo itself is published


def _gif() -> bytes:
    frames = [Image.new("RGB", (8, 4), colour) for colour in ("red", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], loop=0, comment=PERSON.encode())
    return out.getvalue()


def _webp() -> bytes:
    img = Image.new("RGB", (8, 4), "green")
    exif = img.getexif()
    exif[0x9C9D] = PERSON.encode("utf-16-le") + b"\0\0"  # XPAuthor, UTF-16: not what the scan reads
    xmp = f"<x:xmpmeta><dc:creator>{PERSON}</dc:creator></x:xmpmeta>".encode()
    out = io.BytesIO()
    img.save(out, "WEBP", exif=exif, xmp=xmp, lossless=True)
    return out.getvalue()


@pytest.mark.parametrize("make", [_gif, _webp])
def test_a_gif_or_webp_loses_its_comments_exif_and_xmp(make: object) -> None:
    """Word takes GIF and WebP pictures too: a GIF's comment and a WebP's EXIF (UTF-16) and XMP named their author."""
    data = make()  # type: ignore[operator]
    assert PERSON.encode() in data or PERSON.encode("utf-16-le") in data
    clean = strip_metadata(data)
    assert PERSON.encode() not in clean and PERSON.encode("utf-16-le") not in clean
    before, after = Image.open(io.BytesIO(data)), Image.open(io.BytesIO(clean))
    assert after.size == before.size and getattr(after, "n_frames", 1) == getattr(before, "n_frames", 1)
    assert after.convert("RGB").tobytes() == before.convert("RGB").tobytes()
    assert after.info.get("loop") == before.info.get("loop")  # an animation still loops as it did
    assert strip_metadata(clean) == clean
