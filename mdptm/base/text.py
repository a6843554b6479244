"""Text helpers every stage shares."""

from __future__ import annotations

import hashlib
import re
import unicodedata


def slug(text: str, limit: int = 40, fallback: str = "") -> str:
    """A readable id or file name from a name: "Infusion Pump (PCU) für" → "infusion-pump-pcu-fur".

    Lower-case ASCII words joined by hyphens (accents folded), at most *limit* characters; *fallback*
    when nothing readable is left. The one slug of the code base, so that ids minted by importers and
    names written by the documents follow one rule."""
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    t = re.sub(r"[^A-Za-z0-9]+", "-", t).strip("-").lower()
    return t[:limit].rstrip("-") or fallback


def name_slug(name: str, limit: int = 48, fallback: str = "item") -> str:
    """:func:`slug` of an item's name, made distinct when the name is written in letters that fold to no ASCII
    ("RDMA 传输", "文件系统"): its slug and a short digest of the name ("rdma-5c1f0e"), so that two names the folding
    makes alike ("RDMA 传输" and "RDMA") get two ids and a name never reads as another item's id."""
    base = slug(name, limit, fallback)
    if not any(ch.isalpha() and not unicodedata.normalize("NFKD", ch).encode("ascii", "ignore") for ch in name):
        return base
    digest = hashlib.blake2s(name.strip().encode("utf-8"), digest_size=3).hexdigest()
    return f"{base[: max(1, limit - 7)].rstrip('-')}-{digest}"
