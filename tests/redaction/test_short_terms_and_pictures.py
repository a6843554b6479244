"""Short policy terms ("AWS", "GCP", "SAP", "IBM": a cloud vendor a maker does not want named) blocked every
package with a picture, and redaction cut them out of ordinary words:

- the leak scan read a picture's pixel data (PNG ``IDAT``, JPEG image data), the deflated bytes of a Word
  file's members and a data URI's base64 as text, where any three letters turn up by chance;
- a short term was matched inside longer words ("flaws" for "AWS"), in the model's text ("fl[redacted]")
  and in the package's own sentences, which then blocked the build.

A picture is now searched in what can hold text (its metadata), a zip container between its members, and a
needle of one word of four characters or fewer as a word. Text in a picture's metadata is still found."""

from __future__ import annotations

import io
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

from mdptm.model import Model
from mdptm.pipeline.build import build
from mdptm.redaction.leakscan import LiteralMatcher, _between_members, picture_text, scan
from mdptm.redaction.policy import Policy
from mdptm.redaction.redact import redact
from tests.pipeline.redteam_projects import MODEL

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "infusion-pump"


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png(pixels: bytes, *extra: bytes) -> bytes:
    head = _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + head + b"".join(extra) + _chunk(b"IDAT", pixels) + _chunk(b"IEND", b"")


def test_a_pictures_pixels_are_not_read_but_its_metadata_is() -> None:
    pixels = b"\x00\x01noise aws noise\x02\x03"  # three letters by chance in the compressed pixels
    png = _png(pixels, _chunk(b"tEXt", b"Author\x00Dana Whitlock"), _chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"Project Kestrel")))
    text = picture_text(png)
    assert b"aws" not in text
    assert b"Dana Whitlock" in text and b"Project Kestrel" in text
    itxt = _chunk(b"iTXt", b"Title\x00\x01\x00en\x00\x00" + zlib.compress("Nightjär".encode()))
    assert "Nightjär".encode() in picture_text(_png(b"", itxt))
    assert picture_text(_png(b"") + b"appended secret").endswith(b"appended secret")  # after the end: kept
    assert picture_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\xffIDAT") == b"\x89PNG\r\n\x1a\n\x00\x00\x00\xffIDAT"  # broken: whole


def test_a_jpegs_image_data_is_not_read_but_its_comment_is() -> None:
    com = b"\xff\xfe" + struct.pack(">H", 2 + 13) + b"Dana Whitlock"
    jpeg = b"\xff\xd8" + com + b"\xff\xda\x00\x02" + b"random aws bytes" + b"\xff\xd9"
    text = picture_text(jpeg)
    assert b"Dana Whitlock" in text and b"aws" not in text


def test_a_zip_is_read_between_its_members_not_in_their_deflated_bytes(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", "<w:t>Plain text</w:t>")
        zf.writestr("Dana Whitlock notes.xml", "<x/>")
        info = zipfile.ZipInfo("stored.bin")
        zf.writestr(info, b"\x00random aws\x00", compress_type=zipfile.ZIP_STORED)
    data = buf.getvalue()
    between = _between_members(data)
    assert b"random aws" not in between and b"Dana Whitlock notes.xml" in between
    (tmp_path / "ptm.docx").write_bytes(data + b"junk after: GCP")
    hits = {(h.part, h.needle) for h in scan(tmp_path, ["AWS", "GCP", "Dana Whitlock"])}
    # the stored member is read as itself (and named), the junk after the zip as the container's
    assert hits == {(None, "GCP"), ("Dana Whitlock notes.xml", "Dana Whitlock"), ("stored.bin", "AWS")}, hits


def test_a_short_term_is_a_word_not_part_of_one() -> None:
    m = LiteralMatcher(["AWS", "Kestrel"])
    assert m.found("software flaws and laws") == set()
    assert m.found("hosted on AWS.") == {"AWS"} and m.found("aws-prod") == {"AWS"}
    assert m.found("kestrelbuild") == {"Kestrel"}  # a longer term is still found inside a word
    data = dict(MODEL)
    data["threats"] = [dict(t) for t in MODEL["threats"]]  # type: ignore[union-attr]
    data["threats"][0]["description"] = "Software flaws in the AWS build."  # type: ignore[index]
    public, _log = redact(Model.model_validate(data), Policy(drop=["confidential"], terms=["AWS"]))
    assert public.threats[0].description == "Software flaws in the [redacted] build."


def test_the_sample_builds_with_three_letter_terms(tmp_path: Path) -> None:
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("out", "out.internal"))
    policy = root / "redaction.yaml"
    short = "terms:\n  - AWS\n  - GCP\n  - SAP\n  - IBM\n"
    policy.write_text(policy.read_text(encoding="utf-8").replace("terms:\n", short, 1), encoding="utf-8")
    result = build(root, tmp_path / "out")
    assert result.exit_code == 0, [w for w in result.warnings if "leak" in str(w)]
    with zipfile.ZipFile(tmp_path / "out" / "ptm.docx") as zf:  # the package holds pictures, and they were read
        assert any(n.endswith(".png") for n in zf.namelist())
