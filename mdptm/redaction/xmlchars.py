"""Characters XML 1.0 cannot hold, taken out of a model before any XML-based output is written.

A cell or a JSON string may carry a C0 control character, U+FFFE/U+FFFF or a lone surrogate; written
into ``ptm.xlsx`` or ``ptm.docx`` it makes a file Office refuses to open (or a writer crash at the end
of a build). They carry no meaning, so they are removed, and each removal is reported so nothing is
dropped silently.
"""

from __future__ import annotations

import re

from mdptm.model import Model

# XML 1.0: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Unicode tag characters (U+E0000-U+E007F): invisible, each the copy of an ASCII character, so a run of them is
# text no reader sees that any program reads back ("Pump" followed by "Nightjar" written in tags). The leak scan
# and redaction read past invisible characters, not through them: the runs are taken out of every text, and said.
TAGS = re.compile("[\U000e0000-\U000e007f]+")


def strip_forbidden(model: Model) -> list[tuple[str, str, str]]:
    """Remove the characters XML 1.0 forbids from every text field of *model*, in place.

    Returns (item id, field path, the code points removed) for each field changed.
    """
    from mdptm.redaction.redact import walk_text

    changed: list[tuple[str, str, str]] = []

    def fn(text: str, item: str, path: str) -> str:
        if text.isascii() and not FORBIDDEN.search(text):
            return text
        if TAGS.search(text):
            changed.append((item, path, f"{len(''.join(TAGS.findall(text)))} invisible tag character(s)"))
            text = TAGS.sub("", text)
        if not FORBIDDEN.search(text):
            return text
        gone = sorted({f"U+{ord(c):04X}" for c in FORBIDDEN.findall(text)})
        changed.append((item, path, ", ".join(gone)))
        return FORBIDDEN.sub("", text)

    walk_text(model, fn)
    for item_id, item in ((i.id, i) for _, i in model.items()):
        for name in ("notes",):
            value = getattr(item, name, None)
            if isinstance(value, str) and FORBIDDEN.search(value):
                changed.append((item_id, name, ", ".join(sorted({f"U+{ord(c):04X}" for c in FORBIDDEN.findall(value)}))))
                setattr(item, name, FORBIDDEN.sub("", value))
    return changed


def describe(changes: list[tuple[str, str, str]]) -> list[str]:
    """One line per field changed, for a report or a warning."""
    why = {True: "which hide text no reader sees", False: "which XML documents cannot hold"}
    return [f"{item} {path}: removed {chars}, {why[chars.endswith('tag character(s)')]}" for item, path, chars in changes]
