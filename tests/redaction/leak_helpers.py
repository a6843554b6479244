"""Every byte of a written package as text an attacker would read: zips opened, markup and entities undone."""

from __future__ import annotations

import html
import io
import re
import unicodedata
import zipfile
from pathlib import Path

_TAG = re.compile(r"<[^<>]*>")


def _texts(data: bytes, depth: int = 0) -> list[str]:
    out = []
    if data[:4] == b"PK\x03\x04" and depth < 3:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                out.append(info.filename)
                out.extend(_texts(zf.read(info), depth + 1))
    text = data.decode("utf-8", errors="ignore")
    out += [text, html.unescape(text), html.unescape(_TAG.sub("", text))]
    return out


def package_text(*folders: Path) -> str:
    """All files under *folders*, as one lower-cased, NFKC-normalised text with whitespace collapsed."""
    parts = []
    for folder in folders:
        for p in sorted(folder.rglob("*")):
            parts.append(p.name)
            if p.is_file():
                parts.extend(_texts(p.read_bytes()))
    text = unicodedata.normalize("NFKC", "\n".join(parts)).casefold()
    return re.sub(r"\s+", " ", text)


def holds(text: str, needle: str) -> bool:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", needle).casefold()).strip() in text
