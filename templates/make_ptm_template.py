"""Generate ``templates/ptm-template.docx``, the branding template of every written document.

Run from the repository root:  python templates/make_ptm_template.py
The script is deterministic (same python-docx, same bytes); a test checks that the committed
template is what it produces. A device maker replaces the template with their own .docx (project
file ``template:`` or ``--template``); styles it lacks are added with plain defaults when rendering.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mdptm.base.office import rewrite_zip  # noqa: E402
from mdptm.render.docx import W_NS, ensure_styles  # noqa: E402

BRAND = "1F4E79"  # navy: headings, table header rows, rules
ACCENT = "2E75B6"
TEXT = "262626"
FONT = "Arial"  # metric-compatible Liberation Sans renders the same on machines without Arial
W = f"{{{W_NS}}}"


def _plain_font(rpr: object) -> None:
    """Pin the font to FONT: drop theme font and theme colour references that would override it."""
    fonts = rpr.find(f"{W}rFonts")  # type: ignore[attr-defined]
    if fonts is None:
        fonts = parse_xml(f'<w:rFonts xmlns:w="{W_NS}"/>')
        rpr.insert(0, fonts)  # type: ignore[attr-defined]
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(f"{W}{attr}", FONT)
    colour = rpr.find(f"{W}color")  # type: ignore[attr-defined]
    if colour is not None:
        for attr in ("themeColor", "themeShade", "themeTint"):
            colour.attrib.pop(f"{W}{attr}", None)


def _style(
    document: docx.document.Document,
    name: str,
    *,
    size: float | None = None,
    colour: str | None = None,
    bold: bool | None = None,
    before: float | None = None,
    after: float | None = None,
) -> None:
    style = document.styles[name]
    if size is not None:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if colour is not None:
        style.font.color.rgb = RGBColor.from_string(colour)
    if before is not None:
        style.paragraph_format.space_before = Pt(before)
    if after is not None:
        style.paragraph_format.space_after = Pt(after)
    _plain_font(style.element.get_or_add_rPr())


def _border(style: object, side: str, colour: str, size: int = 6) -> None:
    ppr = style.element.get_or_add_pPr()  # type: ignore[attr-defined]
    for old in ppr.findall(f"{W}pBdr"):
        ppr.remove(old)
    ppr.append(
        parse_xml(
            f'<w:pBdr xmlns:w="{W_NS}"><w:{side} w:val="single" w:sz="{size}" w:space="4" w:color="{colour}"/></w:pBdr>'
        )
    )


def build(out: Path) -> None:
    document = docx.Document()
    ensure_styles(document)

    # body text and document defaults
    defaults = document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    if defaults is not None:
        _plain_font(defaults)
    normal = document.styles["Normal"]
    normal.font.size = Pt(10)
    normal.font.color.rgb = RGBColor.from_string(TEXT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    _plain_font(normal.element.get_or_add_rPr())

    _style(document, "Title", size=26, colour=BRAND, bold=True, before=96, after=6)
    title = document.styles["Title"].element.get_or_add_pPr()
    for old in title.findall(f"{W}pBdr"):
        title.remove(old)
    _style(document, "Subtitle", size=14, colour="595959", after=24)
    document.styles["Subtitle"].font.italic = False
    for level, size, before in ((1, 17, 0), (2, 13, 16), (3, 11, 12), (4, 10, 10)):
        _style(
            document,
            f"Heading {level}",
            size=size,
            colour=BRAND if level < 3 else TEXT,
            bold=True,
            before=before,
            after=6,
        )
        document.styles[f"Heading {level}"].font.italic = False
    _border(document.styles["Heading 1"], "bottom", BRAND, 8)
    _style(document, "Caption", size=8.5, colour=BRAND, bold=True, before=6, after=4)
    _style(document, "TOC Heading", size=15, colour=BRAND, bold=True, after=10)
    for level in (1, 2, 3):
        _style(document, f"TOC {level}", size=10 if level == 1 else 9.5, bold=level == 1, after=2)
        document.styles[f"TOC {level}"].paragraph_format.left_indent = Cm(0.5 * (level - 1))
    _style(document, "Table Text", size=8.5, before=1, after=1)
    document.styles["Table Text"].paragraph_format.line_spacing = 1.0
    _style(document, "Table Heading", size=8.5, bold=True, before=1, after=1)
    _style(document, "Note", size=9.5, colour="404040", before=4, after=8)
    note = document.styles["Note"]
    ppr = note.element.get_or_add_pPr()
    ppr.append(
        parse_xml(
            f'<w:pBdr xmlns:w="{W_NS}"><w:left w:val="single" w:sz="18" w:space="8" w:color="{ACCENT}"/></w:pBdr>'
        )
    )
    ppr.append(parse_xml(f'<w:shd xmlns:w="{W_NS}" w:val="clear" w:color="auto" w:fill="EEF3F8"/>'))
    note.paragraph_format.left_indent = Cm(0.3)
    _style(document, "Marking", size=10, colour="C00000", bold=True, after=2)
    for name in ("Header", "Footer", "List Paragraph", "Quote", "List Bullet", "List Number"):
        _style(document, name)
    _style(document, "Header", size=8, colour="7F7F7F")
    _border(document.styles["Header"], "bottom", "BFBFBF", 4)
    _style(document, "Footer", size=8, colour="595959")

    # A4, generous margins, header and footer close to the edge
    for section in document.sections:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.2)
        section.top_margin, section.bottom_margin = Cm(2.4), Cm(2.2)
        section.header_distance = section.footer_distance = Cm(1.1)

    # brand colour as the theme's first accent (table header rows use it)
    for part in document.part.package.iter_parts():
        if str(part.partname).endswith("/theme/theme1.xml"):
            part._blob = re.sub(
                rb'(<a:accent1>\s*<a:srgbClr val=")[0-9A-Fa-f]{6}', rb"\g<1>" + BRAND.encode(), part.blob
            )
    # Word 2010's duplicate style sheet: not needed, and half the template's size
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.rels.pop(rid)

    document.save(str(out))
    rewrite_zip(out, 315532800, publish="")


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "templates" / "ptm-template.docx")
