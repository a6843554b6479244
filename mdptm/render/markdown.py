"""Markdown rendering of a :class:`mdptm.render.docir.Doc` (GitHub-flavoured tables).

The Markdown form of a guide says exactly what its Word form says; text from the model is escaped so
that a threat title can never turn into a heading, a link or raw HTML.
"""

from __future__ import annotations

import re
from pathlib import Path

from mdptm.render.docir import Block, Bullets, Doc, Heading, Image, PageBreak, Paragraph, Table, Toc

_TAG = re.compile(r"<(?=[A-Za-z/!?])")
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])(?=\s|$)")


_LINKISH = re.compile(r"[\[\]@]|://|(?i:\bwww)\.")


def _unlink(m: re.Match[str]) -> str:
    found = m.group()
    if found == "://":
        return ":\\/\\/"
    if found.endswith("."):  # www.
        return found[:-1] + "\\."
    return "\\" + found


def escape(text: str) -> str:
    """Neutralise what could change a document's structure or reach out of it: raw HTML, links and
    images (``[..](..)``, ``![..](..)``, reference definitions), autolinks (``<https://..>``, bare URLs,
    ``www.`` names, e-mail addresses), table pipes, block markers.

    Model text comes from other people's documents; in a guide a link would be live and an image a
    tracking pixel. Escaped characters read the same once rendered. Emphasis characters are left
    alone, so names and ids read exactly as in the model.
    """
    text = _TAG.sub("&lt;", text).replace("|", "\\|")
    text = _LINKISH.sub(_unlink, text)
    return "\n".join(_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line) for line in text.split("\n"))


def _cell(text: str) -> str:
    return (
        escape(" ".join(text.split("\n")).strip())
        if "\n" not in text
        else "<br>".join(escape(part.strip()) for part in text.split("\n") if part.strip())
    )


def _one_line(text: str) -> str:
    return escape(" ".join(text.split()))


def _table(t: Table) -> list[str]:
    width = max([len(t.header)] + [len(r) for r in t.rows])
    header = [*t.header, *([""] * (width - len(t.header)))]
    lines = []
    if t.caption:
        lines += [f"*{_one_line(t.caption)}*", ""]
    lines.append("| " + " | ".join(_cell(h) for h in header) + " |")
    lines.append("|" + "|".join("---" for _ in header) + "|")
    for row in t.rows:
        cells = [*row, *([""] * (width - len(row)))]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return lines


def _block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return ["#" * min(block.level + 1, 6) + " " + _one_line(block.text)]
    if isinstance(block, Paragraph):
        text = escape(block.text.strip())
        if block.bold_prefix:
            text = f"**{_one_line(block.bold_prefix)}** {text}"
        if block.style in ("note", "quote"):
            return ["> " + line if line else ">" for line in text.split("\n")]
        return [text]
    if isinstance(block, Bullets):
        out = []
        for i, item in enumerate(block.items, 1):
            mark = f"{i}." if block.numbered else "-"
            first, *rest = escape(item.strip()).split("\n") or [""]
            out.append(f"{mark} {first}")
            out.extend("   " + line for line in rest)
        return out
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Image):
        caption = _one_line(block.caption or block.path.name)
        return [f"![{caption}]({block.path.as_posix().replace(' ', '%20')})"]
    if isinstance(block, PageBreak | Toc):
        return []
    raise TypeError(f"unknown block {type(block).__name__}")


def render(doc: Doc) -> str:
    """The whole document as Markdown text (one trailing newline, Unix line ends)."""
    parts: list[list[str]] = []
    if doc.draft:
        parts.append(["**DRAFT** — not for release."])
    if doc.confidential:
        parts.append(["**CONFIDENTIAL**"])
    parts.append(["# " + _one_line(doc.title)])
    if doc.subtitle:
        parts.append([_one_line(doc.subtitle)])
    parts.extend(lines for lines in (_block(b) for b in doc.blocks) if lines)
    if doc.footer:
        parts.append(["---", "", "*" + _one_line(doc.footer) + "*"])
    return "\n\n".join("\n".join(lines) for lines in parts) + "\n"


def write(doc: Doc, path: Path) -> None:
    path.write_text(render(doc), encoding="utf-8", newline="\n")
