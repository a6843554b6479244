"""Text helpers every stage shares."""

from __future__ import annotations

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
