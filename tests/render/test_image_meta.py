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
