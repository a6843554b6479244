"""A small document structure shared by every written document (PTM, guides, submission set).

Content is assembled once as blocks and rendered to .docx, Markdown or HTML by the renderers,
so a guide's Word and Markdown forms always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Heading:
    text: str
    level: int = 1  # 1 = chapter


@dataclass
class Paragraph:
    text: str
    style: str | None = None  # e.g. "note", "quote"; renderers map to their own styles
    bold_prefix: str | None = None  # "Rationale:" rendered bold before the text


@dataclass
class Bullets:
    items: list[str]
    numbered: bool = False


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    caption: str | None = None
    widths: list[float] | None = None  # relative column widths
    # optional per-cell fill keyed by (row index, column index) -> hex colour "RRGGBB"
    fills: dict[tuple[int, int], str] = field(default_factory=dict)
    # identifiers in the cells ("A-PHI", "PEN-TEST-2026-03") never break at their hyphens: a reviewer reading
    # "A-" at the end of one line and "PHI" on the next cannot tell the id
    keep_ids: bool = False


@dataclass
class Image:
    path: Path
    caption: str | None = None
    width_cm: float = 16.0
    # a cap on its height, where a tall picture must leave room for the text before it on its page (the deployment
    # guide's network picture under the title); None: the renderer's own limit
    max_height_cm: float | None = None


@dataclass
class PageBreak:
    pass


@dataclass
class Toc:
    """A table of contents field (Word updates it on open)."""


Block = Heading | Paragraph | Bullets | Table | Image | PageBreak | Toc


@dataclass
class Doc:
    title: str
    subtitle: str | None = None
    blocks: list[Block] = field(default_factory=list)
    draft: bool = False
    confidential: bool = False
    footer: str | None = None

    def h(self, text: str, level: int = 1) -> None:
        self.blocks.append(Heading(text, level))

    def p(self, text: str, style: str | None = None, bold_prefix: str | None = None) -> None:
        self.blocks.append(Paragraph(text, style, bold_prefix))

    def bullets(self, items: list[str], numbered: bool = False) -> None:
        if items:
            self.blocks.append(Bullets(items, numbered))

    def table(self, header: list[str], rows: list[list[str]], caption: str | None = None, **kw: object) -> Table:
        t = Table(header, rows, caption, **kw)  # type: ignore[arg-type]
        self.blocks.append(t)
        return t

    def image(self, path: Path, caption: str | None = None, width_cm: float = 16.0) -> None:
        self.blocks.append(Image(path, caption, width_cm))
