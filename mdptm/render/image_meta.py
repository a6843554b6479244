"""Pictures made fit to publish: the text a camera or an editor wrote into them removed, the pixels untouched.

A branding template's logo can carry its author, a path on the maker's network or an editing history in
PNG text chunks (``tEXt``, compressed ``zTXt``/``iTXt``), EXIF (UTF-16 ``XPAuthor``) or XMP. Compressed
or UTF-16 text is not what the leak scan reads in a binary, so the metadata goes before the picture is
published. The chunks and segments are cut out byte for byte (no re-encoding: output stays
deterministic, colours stay as drawn); a picture in another format, or one that does not parse, is kept as
it is.
"""

from __future__ import annotations

import struct

_PNG = b"\x89PNG\r\n\x1a\n"
_PNG_TEXT = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}
# JPEG segments that hold text: APP1 (EXIF, XMP), APP12 (Ducky, picture info), APP13 (Photoshop IPTC), COM
_JPEG_TEXT = {0xE1, 0xEC, 0xED, 0xFE}


def strip_metadata(data: bytes) -> bytes:
    """*data* without its metadata text, when it is a PNG or JPEG picture; otherwise *data* itself."""
    try:
        if data.startswith(_PNG):
            return _png(data)
        if data.startswith(b"\xff\xd8"):
            return _jpeg(data)
    except (ValueError, struct.error):
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
