"""Markings that set a part of a document apart from what may be published ("Confidential", "Internal only -
Debug port", "Debug port (not for distribution)"): ``withheld_markers`` of sections.yaml, read alike by the
Word and Markdown importers and by the row reader."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache


@lru_cache(maxsize=1 << 14)  # a register repeats its cell values: each is keyed once
def marker_key(text: str) -> str:
    """A marking as compared: case folded, punctuation and underscores read as spaces."""
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold().replace("_", " ")).split())


def marker_table(sections: Mapping[str, object]) -> tuple[dict[str, str], set[str]]:
    """(marking phrase -> sensitivity, the nouns a marking may be followed by) from sections.yaml."""
    raw = sections.get("withheld_markers") or {}
    assert isinstance(raw, Mapping)
    markers = {marker_key(str(m)): str(level) for level, ms in raw.items() for m in ms}
    nouns = {marker_key(str(n)) for n in sections.get("withheld_marker_nouns") or []}  # type: ignore[attr-defined]
    return markers, nouns


def withheld_marking(name: str, markers: Mapping[str, str], nouns: set[str], *, whole_only: bool = False) -> str | None:
    """The sensitivity a heading *name* (numbering removed) or, *whole_only*, a line of its own sets its section
    apart with: the whole name, the name less a trailing noun ("Confidential threats"), a bracketed part
    ("Debug port (not for distribution)") or the first or last part split at a colon, bar, slash or dash
    ("Internal only - Debug port"). "Internal threats" or "Proprietary protocol" mark nothing."""
    if not markers:
        return None
    candidates = [name]
    words = marker_key(name).split(" ")
    if len(words) > 1 and words[-1] in nouns:
        candidates.append(" ".join(words[:-1]))
    candidates += re.findall(r"[(\[]([^()\[\]]{2,60})[)\]]", name) if not whole_only else []
    if not whole_only:
        parts = [p for p in re.split(r"\s*(?:[:|/]|\s[-–—]\s|[–—])\s*", name) if p.strip()]
        if len(parts) > 1:
            candidates += [parts[0], parts[-1]]
    if whole_only:
        bracketed = re.fullmatch(r"\s*[(\[]([^()\[\]]{2,60})[)\]]\s*", name)
        if bracketed:
            candidates.append(bracketed.group(1))
    levels = [level for c in candidates if (level := markers.get(marker_key(c)))]
    if not levels:
        return None
    return "trade_secret" if "trade_secret" in levels else levels[0]
