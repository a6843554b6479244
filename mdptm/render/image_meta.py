"""Pictures made fit to publish: the text a camera or an editor wrote into them removed, the pixels untouched.

A branding template's logo can carry its author, a path on the maker's network or an editing history in
PNG text chunks (``tEXt``, compressed ``zTXt``/``iTXt``), EXIF (UTF-16 ``XPAuthor``) or XMP. Compressed
or UTF-16 text is not what the leak scan reads in a binary, so the metadata goes before the picture is
published. An SVG logo (Word keeps one beside its PNG fallback) carries its editor's record as XML: RDF
metadata naming its creator, Inkscape's ``export-filename`` and ``docname`` (a path in a user's home),
comments, and links to pictures on the maker's disk; these go, the drawing and its text stay. So do a GIF's
comments and application blocks (XMP; an animation's loop count stays) and a WebP's EXIF and XMP. PNG chunks
and JPEG segments are cut out byte for byte (no re-encoding: output stays deterministic, colours stay as
drawn); a picture in another format, or one that does not parse, is kept as it is.
"""

from __future__ import annotations

import re
import struct

from lxml import etree

from mdptm.base.safety import parse_xml
from mdptm.errors import InputError

_PNG = b"\x89PNG\r\n\x1a\n"
_PNG_TEXT = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}
# JPEG segments that hold text: APP1 (EXIF, XMP), APP12 (Ducky, picture info), APP13 (Photoshop IPTC), COM
_JPEG_TEXT = {0xE1, 0xEC, 0xED, 0xFE}


def strip_metadata(data: bytes) -> bytes:
    """*data* without its metadata text, when it is a PNG, JPEG, GIF, WebP or SVG picture; otherwise *data* itself."""
    try:
        if data.startswith(_PNG):
            return _png(data)
        if data.startswith(b"\xff\xd8"):
            return _jpeg(data)
        if data[:6] in (b"GIF87a", b"GIF89a"):
            return _gif(data)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp(data)
        if _SVG_START.match(data[:4096]):
            return _svg(data)
    except (ValueError, struct.error, InputError):
        return data
    return data


def _png(data: bytes) -> bytes:
    out = [_PNG]
    pos = len(_PNG)
    while pos < len(data):
        if pos + 12 > len(data):
            raise ValueError("truncated PNG chunk")
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise ValueError("truncated PNG chunk")
        if kind not in _PNG_TEXT:
            out.append(data[pos:end])
        pos = end
        if kind == b"IEND":
            break
    return b"".join(out)


def _jpeg(data: bytes) -> bytes:
    out = [data[:2]]
    pos = 2
    while pos < len(data):
        if data[pos] != 0xFF:
            raise ValueError("not a JPEG marker")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # markers without a length
            out.append(data[pos : pos + 2])
            pos += 2
            continue
        if marker == 0xD9:  # end of image
            out.append(data[pos:])
            break
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        end = pos + 2 + length
        if end > len(data) or length < 2:
            raise ValueError("truncated JPEG segment")
        if marker == 0xDA:  # start of scan: the entropy-coded picture follows, to the end
            out.append(data[pos:])
            break
        if marker not in _JPEG_TEXT:
            out.append(data[pos:end])
        pos = end
    return b"".join(out)


_SVG_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE[^>]*>\s*)?<svg[\s>]", re.S)
_SVG = "{http://www.w3.org/2000/svg}"
# the namespaces of an editor's own record: Inkscape, Sodipodi, Adobe Illustrator's and RDF / Dublin Core
_EDITOR_NS = (
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://ns.adobe.com/",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://purl.org/dc/",
    "http://creativecommons.org/ns#",
    "http://web.resource.org/cc/",
)
_HREFS = ("href", "{http://www.w3.org/1999/xlink}href")


def _editor(name: str) -> bool:
    return name.startswith("{") and name[1:].startswith(_EDITOR_NS)


def _svg(data: bytes) -> bytes:
    root = parse_xml(_DOCTYPE.sub(b"", data, count=1), file="picture", part="svg")
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction, f"{_SVG}metadata", "metadata")):
        _drop(el)
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if _editor(el.tag):
            _drop(el)
            continue
        for attr in list(el.attrib):
            value = el.attrib[attr]
            if _editor(str(attr)) or (str(attr) in _HREFS and not value.startswith(("#", "data:"))):
                del el.attrib[attr]
    etree.cleanup_namespaces(root)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


_DOCTYPE = re.compile(rb"<!DOCTYPE[^>\[]*>")  # an SVG 1.1 DOCTYPE names its DTD, which the parser never fetches


def _drop(el: etree._Element) -> None:
    """*el* removed, the text that followed it kept."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


_GIF_LOOPS = (b"NETSCAPE2.0", b"ANIMEXTS1.0")  # an animation's loop count: no text of anyone's


def _gif_blocks(data: bytes, pos: int) -> int:
    """The position after the data sub-blocks starting at *pos* (each a length byte, the last of length 0)."""
    while True:
        if pos >= len(data):
            raise ValueError("truncated GIF")
        size = data[pos]
        pos += 1 + size
        if size == 0:
            return pos


def _gif(data: bytes) -> bytes:
    pos = 13
    if len(data) < pos:
        raise ValueError("truncated GIF")
    if data[10] & 0x80:
        pos += 3 << ((data[10] & 0x07) + 1)
    out = [data[:pos]]
    while pos < len(data):
        kind = data[pos]
        if kind == 0x3B:  # trailer
            out.append(data[pos:])
            break
        if kind == 0x21:  # extension: a label, then sub-blocks
            if pos + 2 > len(data):
                raise ValueError("truncated GIF")
            label = data[pos + 1]
            end = _gif_blocks(data, pos + 2)
            app = data[pos + 3 : pos + 3 + 11] if label == 0xFF else b""
            if label != 0xFE and (label != 0xFF or app in _GIF_LOOPS):  # comments and XMP go
                out.append(data[pos:end])
            pos = end
        elif kind == 0x2C:  # an image: descriptor, its colour table, the LZW code size, sub-blocks
            if pos + 10 > len(data):
                raise ValueError("truncated GIF")
            start = pos
            packed = data[pos + 9]
            pos += 10
            if packed & 0x80:
                pos += 3 << ((packed & 0x07) + 1)
            pos = _gif_blocks(data, pos + 1)
            out.append(data[start:pos])
        else:
            raise ValueError("not a GIF block")
    return b"".join(out)


def _webp(data: bytes) -> bytes:
    out: list[bytes] = []
    pos = 12
    while pos + 8 <= len(data):
        kind = data[pos : pos + 4]
        (size,) = struct.unpack("<I", data[pos + 4 : pos + 8])
        end = pos + 8 + size + (size & 1)
        if pos + 8 + size > len(data):
            raise ValueError("truncated WebP chunk")
        chunk = data[pos:end]
        if kind == b"VP8X" and size >= 1:  # the flags saying EXIF (0x08) and XMP (0x04) follow
            chunk = chunk[:8] + bytes([chunk[8] & ~0x0C & 0xFF]) + chunk[9:]
        if kind not in (b"EXIF", b"XMP "):
            out.append(chunk)
        pos = end
    body = b"WEBP" + b"".join(out)
    return b"RIFF" + struct.pack("<I", len(body)) + body
