"""Render a :class:`mdptm.render.docir.Doc` to a Word document on a branding template.

Any Doc renders — the PTM, the hospital guides, the submission set. The result uses real Word
features: heading styles and a table-of-contents field (pre-filled, so viewers that never update
fields still show it), numbered captions, table header rows that repeat on every page, page
numbers, a DRAFT watermark and header, a CONFIDENTIAL marking.

Tables are written as ``w:tbl`` XML text and parsed once with lxml: python-docx's cell API costs
about a millisecond per cell, which a 10 000-threat register cannot afford.

The package is scrubbed as it is written (:func:`mdptm.base.office.rewrite_zip`): document properties
carry no author, company, editing history or template path; thumbnails, custom properties and
comments of the template are dropped; every zip entry has the same fixed timestamp, so the same Doc
gives the same bytes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml as docx_parse_xml
from docx.shared import Emu, Pt, RGBColor
from lxml import etree

from mdptm.base.office import ILLEGAL_XML, chain_pieces, rewrite_zip, xml_text
from mdptm.base.output import DEFAULT_EPOCH, Spool
from mdptm.base.safety import check_zip, parse_xml
from mdptm.errors import InputError
from mdptm.render.docir import Bullets, Doc, Heading, Image, PageBreak, Paragraph, Table, Toc
from mdptm.resources import templates_dir

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.section import _Footer, _Header

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
V_NS = "urn:schemas-microsoft-com:vml"
O_NS = "urn:schemas-microsoft-com:office:office"
_W = f"{{{W_NS}}}"
_XMLNS = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'
TEMPLATE_NAME = "ptm-template.docx"
TOC_LEVELS = 2
BODY_MARK = "@@mdptm-body@@"
_BODY_P = re.compile(rb"<w:p>\s*<w:r>\s*<w:t>" + re.escape(BODY_MARK.encode()) + rb"</w:t>\s*</w:r>\s*</w:p>")
DEFAULT_HEADER_FILL = "1F4E79"


def default_template() -> Path:
    return templates_dir() / TEMPLATE_NAME


# ------------------------------------------------------------------------------------ styles


@dataclass(frozen=True)
class _StyleSpec:
    name: str
    base: str | None
    size: float | None = None
    bold: bool = False
    italic: bool = False
    colour: str | None = None
    space_before: float | None = None
    space_after: float | None = None
    keep_next: bool = False
    outline: int | None = None
    kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH


# Styles every rendered document relies on. A template that defines them keeps its own look;
# one that lacks them (a Word file only carries the styles it uses) gets these plain defaults.
REQUIRED_STYLES: tuple[_StyleSpec, ...] = (
    _StyleSpec("Title", "Normal", size=26, bold=True, space_after=6),
    _StyleSpec("Subtitle", "Normal", size=14, colour="595959", space_after=18),
    *(
        _StyleSpec(f"Heading {n}", "Normal", size=s, bold=True, space_before=b, space_after=4, keep_next=True, outline=n - 1)
        for n, s, b in ((1, 16, 18), (2, 13, 14), (3, 11.5, 10), (4, 10.5, 8))
    ),
    _StyleSpec("Caption", "Normal", size=8.5, bold=True, space_before=4, space_after=4),
    _StyleSpec("List Paragraph", "Normal", space_after=2),
    _StyleSpec("TOC Heading", "Normal", size=14, bold=True, space_after=8),
    _StyleSpec("TOC 1", "Normal", bold=True, space_before=4, space_after=2),
    _StyleSpec("TOC 2", "Normal", space_after=1),
    _StyleSpec("TOC 3", "Normal", space_after=0),
    _StyleSpec("Table Text", "Normal", size=8.5, space_before=1, space_after=1),
    _StyleSpec("Table Heading", "Table Text", bold=True),
    _StyleSpec("Note", "Normal", italic=True, colour="404040", space_before=4, space_after=8),
    _StyleSpec("Quote", "Normal", italic=True),
    _StyleSpec("Marking", "Normal", size=9, bold=True, colour="C00000", space_after=0),
)


def _style_names(document: DocxDocument) -> set[str]:
    return {s.name for s in document.styles}


def ensure_styles(document: DocxDocument) -> None:
    """Add the styles rendering needs to *document*, leaving those it already has untouched."""
    have = _style_names(document)
    for spec in REQUIRED_STYLES:
        if spec.name in have:
            continue
        style = document.styles.add_style(spec.name, spec.kind)
        if spec.base and spec.base in have | {s.name for s in REQUIRED_STYLES}:
            style.base_style = document.styles[spec.base]
        font = style.font
        if spec.size:
            font.size = Pt(spec.size)
        font.bold = spec.bold or None
        font.italic = spec.italic or None
        if spec.colour:
            font.color.rgb = RGBColor.from_string(spec.colour)
        pf = style.paragraph_format
        if spec.space_before is not None:
            pf.space_before = Pt(spec.space_before)
        if spec.space_after is not None:
            pf.space_after = Pt(spec.space_after)
        if spec.keep_next:
            pf.keep_with_next = True
        if spec.outline is not None:
            ppr = style.element.get_or_add_pPr()
            ppr.append(docx_parse_xml(f'<w:outlineLvl {_XMLNS} w:val="{spec.outline}"/>'))
        style.quick_style = True
        have.add(spec.name)


def _style_id(document: DocxDocument, name: str) -> str:
    return str(document.styles[name].style_id)


def style_ids(document: DocxDocument) -> dict[str, str]:
    """Style id by UI name for every style, as ``document.styles[name]`` finds it, in one pass over
    the styles (each lookup by name is a search of them all)."""
    from docx.styles import BabelFish

    first: dict[str, str] = {}  # w:name value -> id of the first style with it
    for el in document.styles.element.style_lst:
        if el.name_val is not None and el.styleId is not None:
            first.setdefault(el.name_val, el.styleId)
    out: dict[str, str] = {}
    for name in _style_names(document):
        found = first.get(BabelFish.ui2internal(name)) if isinstance(name, str) else None
        out[name] = found if found is not None else _style_id(document, name)
    return out


def theme_accent(document: DocxDocument) -> str:
    """The template's first accent colour (its brand colour), for table header rows."""
    try:
        theme = document.part.part_related_by(RT.THEME)
    except KeyError:
        return DEFAULT_HEADER_FILL
    root = parse_xml(theme.blob, file="template", part="theme")
    node = root.find(".//{http://schemas.openxmlformats.org/drawingml/2006/main}accent1/*")
    if node is None:
        return DEFAULT_HEADER_FILL
    value = node.get("val") or node.get("lastClr") or ""
    return value.upper() if re.fullmatch(r"[0-9A-Fa-f]{6}", value) else DEFAULT_HEADER_FILL


# ------------------------------------------------------------------------------- table layout

_CHAR_TWIPS = 92  # an average character of 8.5 pt table text
_CELL_PAD = 200  # cell margins and a little air
_SAMPLE = 300  # rows looked at to size columns: enough to judge, cheap for a 10 000-row table


def _longest_word(text: str) -> int:
    """Length of the longest unbreakable run; lines may break after a slash."""
    return max((len(w) for w in text.replace("/", "/ ").split()), default=0)


# Advance widths of Arial (and its metric twin Liberation Sans) in thousandths of an em, by glyph class: a word
# of wide letters ("Medium", "WPA2") is wider than its length times an average character.
_NARROW = dict.fromkeys("ijl|'", 222) | dict.fromkeys("ft!.,:;/()[]I ", 278) | dict.fromkeys("r-`", 333)
_SMALL = dict.fromkeys('cksvxyzJ"', 500) | {"m": 833, "w": 722, "M": 833, "W": 944, "@": 1015, "%": 889}
_UPPER_EM = 690  # the capitals between E (667) and O (778)
_TEXT_EM_TWIPS = 170  # one em of 8.5 pt table text


@lru_cache(maxsize=1 << 16)  # a 10 000-row register repeats its words: measured once each
def _word_twips(word: str) -> int:
    """How wide *word* sets in 8.5 pt Arial table text, so a column is given room for its longest word."""
    em = 0
    for ch in word:
        if ch in _NARROW:
            em += _NARROW[ch]
        elif ch in _SMALL:
            em += _SMALL[ch]
        elif ch.isupper():
            em += _UPPER_EM
        elif ord(ch) >= 0x2E80:  # CJK and other full-width scripts
            em += 1000
        else:
            em += 556  # digits and the other lower-case letters
    return em * _TEXT_EM_TWIPS // 1000


def _widest_word(text: str) -> int:
    """Width in twips of the widest unbreakable run; lines may break after a slash."""
    return max((_word_twips(w) for w in text.replace("/", "/ ").split()), default=0)


# an identifier: an upper-case first part and hyphenated parts ("A-PHI", "PEN-TEST-2026-03", "E-SAFETY")
_ID_TOKEN = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]*(?:-[A-Za-z0-9]+)+(?![\w-])")
_NO_BREAK_HYPHEN = '</w:t><w:noBreakHyphen/><w:t xml:space="preserve">'


def _run_text(line: str, keep_ids: bool) -> str:
    """The ``w:t`` of a cell line; with *keep_ids*, an identifier's hyphens are non-breaking (``w:noBreakHyphen``),
    so Word moves the whole id to the next line instead of breaking it after a hyphen."""
    if not keep_ids or "-" not in line:
        return f'<w:t xml:space="preserve">{xml_text(line)}</w:t>'
    out, at = [], 0
    for m in _ID_TOKEN.finditer(line):
        out.append(xml_text(line[at : m.start()]))
        out.append(_NO_BREAK_HYPHEN.join(xml_text(part) for part in m.group().split("-")))
        at = m.end()
    out.append(xml_text(line[at:]))
    return f'<w:t xml:space="preserve">{"".join(out)}</w:t>'


def bold_columns(block: Table) -> tuple[int, ...]:
    """Columns whose first line is a title, rendered bold, and whose later lines may open with a
    label (``Affects:``) set in bold too. A plain :class:`Table` has none; a subclass may set
    ``bold_first_line`` (see :class:`mdptm.documents.ptm.TitledTable`)."""
    cols = getattr(block, "bold_first_line", ())
    return tuple(int(c) for c in cols)


_LABEL = re.compile(r"([A-Z][A-Za-z][A-Za-z /()-]{0,22}:)(\s.*)", re.S)


def split_label(line: str) -> tuple[str, str]:
    """``"Affects: the pump"`` → ``("Affects:", " the pump")``; ``("", line)`` without a label."""
    m = _LABEL.fullmatch(line)
    return (m.group(1), m.group(2)) if m else ("", line)


def column_widths(block: Table, total: int) -> list[int]:
    """Column widths (in *total*'s unit, twentieths of a point for Word) for a table.

    Proportions come from the Doc's relative ``widths`` or, without them, from the content. A table
    of short values takes only the width it needs; a column is never narrower than its longest
    word (up to a quarter of the page), so identifiers such as ``security_development_lifecycle``
    are not broken mid-word.
    """
    n = max(len(block.header), max((len(r) for r in block.rows[:_SAMPLE]), default=0), 1)
    sample = block.rows[:_SAMPLE]
    longest, typical, words = [], [], []
    for c in range(n):
        head = block.header[c] if c < len(block.header) else ""
        cells = [r[c] if c < len(r) else "" for r in sample]
        line_lengths = sorted(max((len(x) for x in cell.split("\n")), default=0) for cell in cells) or [0]
        longest.append(max(line_lengths[-1], len(head), 1))
        typical.append(line_lengths[int(len(line_lengths) * 0.8)] if line_lengths else 0)
        # measured glyph by glyph (a header is set bold, about 7 % wider), never below the length times an average letter
        words.append(
            max(
                [int(_widest_word(head) * 1.07), _longest_word(head) * _CHAR_TWIPS]
                + [max(_widest_word(x), _longest_word(x) * _CHAR_TWIPS) for x in cells]
            )
        )
    if block.widths and len(block.widths) == n and sum(block.widths) > 0:
        weights = [max(float(w), 0.01) for w in block.widths]
    else:
        weights = [
            max(math.sqrt(max(t, len(block.header[c]) * 0.8 if c < len(block.header) else 3, 3)), 2.2) for c, t in enumerate(typical)
        ]
    natural = sum(min(x, 60) * _CHAR_TWIPS + _CELL_PAD for x in longest)
    if natural < 0.6 * total:  # short values: a compact table reads better than a stretched one
        total = int(max(natural * 1.15, 0.4 * total))
        weights = [min(x, 60) * _CHAR_TWIPS + _CELL_PAD for x in longest]
    scale = total / sum(weights)
    widths = [w * scale for w in weights]
    floor = [min(wd + _CELL_PAD, total / 4) for wd in words]
    need = {i: floor[i] - widths[i] for i in range(n) if widths[i] < floor[i]}
    # donors give at most a quarter of their width, the main text column only a tenth
    main = max(range(n), key=lambda i: widths[i])
    spare = {i: min(widths[i] - floor[i], widths[i] / (10 if i == main else 4)) for i in range(n) if i not in need and widths[i] > floor[i]}
    take = min(sum(need.values()), sum(spare.values()))
    if take > 0:
        total_need, total_spare = sum(need.values()), sum(spare.values())
        for i, cap in spare.items():
            widths[i] -= take * cap / total_spare
        for i, gap in need.items():
            widths[i] += take * gap / total_need
    out = [int(w) for w in widths]
    out[-1] += total - sum(out)
    return out


# ----------------------------------------------------------------------------------- renderer


@dataclass
class _Counters:
    table: int = 0
    figure: int = 0
    bookmark: int = 0
    numbering: int = 0
    drawing: int = 0
    bookmarks: dict[int, str] = field(default_factory=dict)  # heading block index -> bookmark name


class DocxRenderer:
    """Turns the blocks of one Doc into the body of one template-based document."""

    def __init__(self, doc: Doc, template: Path | None = None):
        self.doc = doc
        tpl = template or default_template()
        if not tpl.is_file():
            raise InputError("Word template not found", file=str(tpl))
        check_zip(tpl)
        try:
            self.document = docx.Document(str(tpl))
        except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds for a bad file
            raise InputError(f"not a usable Word template: {exc}", file=str(tpl)) from None
        self.body = self.document.element.body
        self.sect_pr = self.body.find(f"{_W}sectPr")
        self.body_spool = Spool()  # the body XML, written as rendered
        # body XML is spliced in as text: declare w: on each element unless the root already binds it
        self.ns = "" if self.document.element.nsmap.get("w") == W_NS else f" {_XMLNS}"
        self.count = _Counters()
        self._clear_body()
        ensure_styles(self.document)
        self.sid = style_ids(self.document)
        self.header_fill = theme_accent(self.document)
        section = self.document.sections[-1]

        def emu(value: int | None, default: float) -> int:  # a template may leave page geometry unset
            return int(value) if value is not None else int(default * 360000)

        self.text_width = emu(section.page_width, 21.0) - emu(section.left_margin, 2.5) - emu(section.right_margin, 2.5)
        self.text_height = emu(section.page_height, 29.7) - emu(section.top_margin, 2.5) - emu(section.bottom_margin, 2.5)

    # ---- structure

    def _clear_body(self) -> None:
        for child in list(self.body):
            if child is not self.sect_pr:
                self.body.remove(child)

    def _append_xml(self, xml: str) -> None:
        """Body content is kept as XML text and spliced into ``word/document.xml`` after saving:
        no parsing and no tree surgery, which is what keeps a 10 000-row table fast."""
        self.body_spool.write(xml)

    def body_xml(self) -> str:
        return self.body_spool.text()

    def _placeholder(self) -> None:
        p = etree.SubElement(self.body, f"{_W}p")
        etree.SubElement(etree.SubElement(p, f"{_W}r"), f"{_W}t").text = BODY_MARK
        if self.sect_pr is not None:
            self.sect_pr.addprevious(p)

    def _pstyle(self, name: str | None) -> str:
        if not name or name not in self.sid:
            return ""
        return f'<w:pStyle w:val="{self.sid[name]}"/>'

    def _para(self, text: str, style: str | None = None, *, ppr_extra: str = "", rpr: str = "", bold_prefix: str | None = None) -> str:
        runs = ""
        if bold_prefix:
            runs += f'<w:r><w:rPr><w:b/>{rpr}</w:rPr><w:t xml:space="preserve">{xml_text(bold_prefix)} </w:t></w:r>'
        if text:
            rp = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
            runs += f'<w:r>{rp}<w:t xml:space="preserve">{xml_text(text)}</w:t></w:r>'
        return f"<w:p{self.ns}><w:pPr>{self._pstyle(style)}{ppr_extra}</w:pPr>{runs}</w:p>"

    # ---- blocks

    def render(self) -> DocxDocument:
        d = self.doc
        self._title_block()
        toc_entries = self._plan_bookmarks()
        for index, block in enumerate(d.blocks):
            if isinstance(block, Heading):
                self._heading(block, self.count.bookmarks.get(index))
            elif isinstance(block, Paragraph):
                self._paragraph(block)
            elif isinstance(block, Bullets):
                self._bullets(block)
            elif isinstance(block, Table):
                self._table(block)
            elif isinstance(block, Image):
                self._image(block)
            elif isinstance(block, PageBreak):
                self._append_xml(f'<w:p{self.ns}><w:r><w:br w:type="page"/></w:r></w:p>')
            elif isinstance(block, Toc):
                self._toc(toc_entries)
        self._headers_and_footers()
        self._placeholder()
        return self.document

    def _title_block(self) -> None:
        d = self.doc
        if d.title:
            self._append_xml(self._para(d.title, "Title"))
        if d.subtitle:
            self._append_xml(self._para(d.subtitle, "Subtitle"))
        for marking in self._markings():
            self._append_xml(self._para(marking, "Marking"))

    def _markings(self) -> list[str]:
        out = []
        if self.doc.draft:
            out.append("DRAFT — not approved for release")
        if self.doc.confidential:
            out.append("CONFIDENTIAL")
        return out

    def _plan_bookmarks(self) -> list[tuple[int, str, str]]:
        entries = []
        for index, block in enumerate(self.doc.blocks):
            if isinstance(block, Heading):
                self.count.bookmark += 1
                name = f"_Toc{self.count.bookmark:06d}"
                self.count.bookmarks[index] = name
                if block.level <= TOC_LEVELS:
                    entries.append((block.level, block.text, name))
        return entries

    def _heading(self, block: Heading, bookmark: str | None) -> None:
        level = min(max(block.level, 1), 4)
        mark_start = mark_end = ""
        if bookmark:
            bid = int(bookmark[4:])
            mark_start = f'<w:bookmarkStart w:id="{bid}" w:name="{bookmark}"/>'
            mark_end = f'<w:bookmarkEnd w:id="{bid}"/>'
        self._append_xml(
            f"<w:p{self.ns}><w:pPr>{self._pstyle(f'Heading {level}')}</w:pPr>{mark_start}"
            f'<w:r><w:t xml:space="preserve">{xml_text(block.text)}</w:t></w:r>{mark_end}</w:p>'
        )

    def _paragraph(self, block: Paragraph) -> None:
        style = {"note": "Note", "quote": "Quote", None: None}.get(block.style, block.style)
        if style and style not in self.sid:
            style = None
        lines = block.text.split("\n") if block.text else [""]
        for k, line in enumerate(lines):
            self._append_xml(self._para(line, style, bold_prefix=block.bold_prefix if k == 0 else None))

    def _bullets(self, block: Bullets) -> None:
        num_id = self._new_list(block.numbered)
        style = "List Paragraph"
        numpr = f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
        for item in block.items:
            first, *rest = (item or "").split("\n")
            self._append_xml(self._para(first, style, ppr_extra=numpr))
            for line in rest:
                self._append_xml(self._para(line, style, ppr_extra='<w:ind w:left="720"/>'))

    def _new_list(self, numbered: bool) -> int:
        """A fresh numbering instance per list, so every numbered list starts at 1."""
        numbering = self.document.part.numbering_part.element
        abstract_ids = [int(a.get(f"{_W}abstractNumId")) for a in numbering.findall(f"{_W}abstractNum")]
        num_ids = [int(n.get(f"{_W}numId")) for n in numbering.findall(f"{_W}num")]
        aid = max(abstract_ids + [0]) + 1
        nid = max(num_ids + [0]) + 1
        if numbered:
            lvl = (
                '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>'
                '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl>'
            )
        else:
            lvl = (
                '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\u2022"/>'
                '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl>'
            )
        abstract = etree.fromstring(
            f'<w:abstractNum {_XMLNS} w:abstractNumId="{aid}"><w:multiLevelType w:val="singleLevel"/>{lvl}</w:abstractNum>'
        )
        existing_abstract = numbering.findall(f"{_W}abstractNum")
        if existing_abstract:
            existing_abstract[-1].addnext(abstract)
        else:
            numbering.insert(0, abstract)
        num = etree.fromstring(f'<w:num {_XMLNS} w:numId="{nid}"><w:abstractNumId w:val="{aid}"/></w:num>')
        nums = numbering.findall(f"{_W}num")
        (nums[-1] if nums else abstract).addnext(num)  # schema order: abstractNum*, num*, then the rest
        return nid

    def _caption(self, kind: str, number: int, text: str, keep_next: bool) -> str:
        keep = "<w:keepNext/>" if keep_next else ""
        return (
            f"<w:p{self.ns}><w:pPr>{self._pstyle('Caption')}{keep}</w:pPr>"
            f'<w:r><w:t xml:space="preserve">{kind} </w:t></w:r>'
            f'<w:fldSimple w:instr=" SEQ {kind} \\* ARABIC "><w:r><w:t>{number}</w:t></w:r></w:fldSimple>'
            f'<w:r><w:t xml:space="preserve">: {xml_text(text)}</w:t></w:r></w:p>'
        )

    def _table(self, block: Table) -> None:
        if block.caption:
            self.count.table += 1
            self._append_xml(self._caption("Table", self.count.table, block.caption, keep_next=True))
        for row in self.table_rows(block):
            self.body_spool.write(row)
        # a little air after each table, and a paragraph between two adjacent tables
        self._append_xml(f'<w:p{self.ns}><w:pPr><w:spacing w:before="0" w:after="60"/></w:pPr></w:p>')

    def column_widths(self, block: Table) -> list[int]:
        return column_widths(block, self.text_width // 635)

    def table_xml(self, block: Table) -> str:
        """The whole ``w:tbl`` as one string."""
        return "".join(self.table_rows(block))

    def table_rows(self, block: Table) -> Iterator[str]:
        """The ``w:tbl`` XML as text, a row at a time: no cell objects, and a 10 000-row table is
        never one string."""
        widths = self.column_widths(block)
        ncol = len(widths)
        body_style = self._pstyle("Table Text")
        head_style = self._pstyle("Table Heading")
        border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>'
        borders = "".join(border.format(s) for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
        yield (
            f'<w:tbl{self.ns}><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
            '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="30" w:type="dxa"/><w:left w:w="80" w:type="dxa"/>'
            '<w:bottom w:w="30" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
            'w:noHBand="1" w:noVBand="1"/>'
            "</w:tblPr><w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>"
        )
        if block.header:
            parts = ["<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"]
            head_rpr = '<w:rPr><w:b/><w:color w:val="FFFFFF"/></w:rPr>'
            for c in range(ncol):
                text = block.header[c] if c < len(block.header) else ""
                parts.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{widths[c]}" w:type="dxa"/>'
                    f'<w:shd w:val="clear" w:color="auto" w:fill="{self.header_fill}"/></w:tcPr>'
                    f"<w:p><w:pPr>{head_style}<w:keepNext/></w:pPr><w:r>{head_rpr}"
                    f'<w:t xml:space="preserve">{xml_text(text)}</w:t></w:r></w:p></w:tc>'
                )
            parts.append("</w:tr>")
            yield "".join(parts)
        fills = block.fills
        bold = set(bold_columns(block))
        for r, row in enumerate(block.rows):
            parts = ["<w:tr><w:trPr><w:cantSplit/></w:trPr>"]
            for c in range(ncol):
                text = row[c] if c < len(row) else ""
                fill = fills.get((r, c)) if fills else None
                shd = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
                lines = text.split("\n") if text else [""]
                if c in bold:
                    paras = "".join(self._titled_line(k, line, body_style) for k, line in enumerate(lines))
                else:
                    paras = "".join(f"<w:p><w:pPr>{body_style}</w:pPr><w:r>{_run_text(line, block.keep_ids)}</w:r></w:p>" for line in lines)
                parts.append(f'<w:tc><w:tcPr><w:tcW w:w="{widths[c]}" w:type="dxa"/>{shd}</w:tcPr>{paras}</w:tc>')
            parts.append("</w:tr>")
            yield "".join(parts)
        yield "</w:tbl>"

    @staticmethod
    def _titled_line(k: int, line: str, style: str) -> str:
        """A line of a titled cell: the first in bold, later ones with their label in bold."""
        bold = "<w:rPr><w:b/></w:rPr>"
        if k == 0:
            return f'<w:p><w:pPr>{style}</w:pPr><w:r>{bold}<w:t xml:space="preserve">{xml_text(line)}</w:t></w:r></w:p>'
        label, rest = split_label(line)
        head = f'<w:r>{bold}<w:t xml:space="preserve">{xml_text(label)}</w:t></w:r>' if label else ""
        return f'<w:p><w:pPr>{style}</w:pPr>{head}<w:r><w:t xml:space="preserve">{xml_text(rest)}</w:t></w:r></w:p>'

    def _image(self, block: Image) -> None:
        from docx.image.image import Image as DocxImage

        path = Path(block.path)
        if not path.is_file():
            raise InputError("image not found", file=str(path))
        info = DocxImage.from_file(str(path))
        width = min(int(block.width_cm * 360000), self.text_width)
        height = int(width * info.px_height / max(info.px_width, 1))
        limit = int(self.text_height * 0.85)
        if block.max_height_cm is not None:
            limit = min(limit, int(block.max_height_cm * 360000))
        if height > limit:
            width, height = int(width * limit / height), limit
        inline = self.document.part.new_pic_inline(str(path), Emu(width), Emu(height))
        doc_pr = inline.find("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")
        self.count.drawing += 1
        if doc_pr is not None:
            # the body is kept as text, so python-docx cannot see earlier drawings: number them here
            doc_pr.set("id", str(self.count.drawing + 1000))
            doc_pr.set("name", f"Figure {self.count.figure + 1}")
            doc_pr.set("descr", ILLEGAL_XML.sub("", block.caption or ""))
        drawing = etree.tostring(inline, encoding="unicode")
        keep = "<w:keepNext/>" if block.caption else ""
        self._append_xml(f'<w:p{self.ns}><w:pPr>{keep}<w:jc w:val="center"/></w:pPr><w:r><w:drawing>{drawing}</w:drawing></w:r></w:p>')
        if block.caption:
            self.count.figure += 1
            self._append_xml(self._caption("Figure", self.count.figure, block.caption, keep_next=False))

    def _toc(self, entries: Sequence[tuple[int, str, str]]) -> None:
        """A TOC field. Word fills in page numbers when it updates the field on opening; until then
        (and in viewers that never update fields) the cached result lists every heading as a link."""
        self._append_xml(self._para("Contents", "TOC Heading"))
        begin = (
            '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        )
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        if not entries:
            self._append_xml(f"<w:p{self.ns}>{begin}{end}</w:p>")
        for k, (level, text, mark) in enumerate(entries):
            link = f'<w:hyperlink w:anchor="{mark}" w:history="1"><w:r><w:t xml:space="preserve">{xml_text(text)}</w:t></w:r></w:hyperlink>'
            self._append_xml(
                f"<w:p{self.ns}><w:pPr>{self._pstyle(f'TOC {min(level, 3)}')}</w:pPr>"
                f"{begin if k == 0 else ''}{link}{end if k == len(entries) - 1 else ''}</w:p>"
            )
        self._set_update_fields()

    def _set_update_fields(self) -> None:
        """Ask Word to refresh the fields (TOC page numbers) when the document is opened."""
        settings = self.document.settings.element
        if settings.find(f"{_W}updateFields") is not None:
            return
        node = etree.fromstring(f'<w:updateFields {_XMLNS} w:val="true"/>')
        later = (
            "hdrShapeDefaults",
            "footnotePr",
            "endnotePr",
            "compat",
            "docVars",
            "rsids",
            "mathPr",
            "attachedSchema",
            "themeFontLang",
            "clrSchemeMapping",
            "doNotIncludeSubdocsInStats",
            "doNotAutoCompressPictures",
            "forceUpgrade",
            "captions",
            "readModeInkLockDown",
            "smartTagType",
            "schemaLibrary",
            "shapeDefaults",
            "doNotEmbedSmartTags",
            "decimalSymbol",
            "listSeparator",
        )
        for child in settings:
            if etree.QName(child).localname in later:
                child.addprevious(node)
                return
        settings.append(node)

    # ---- headers and footers

    def _headers_and_footers(self) -> None:
        section = self.document.sections[-1]
        headers = [section.header]
        footers = [section.footer]
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
            footers.append(section.first_page_footer)
        if self.document.settings.odd_and_even_pages_header_footer:
            headers.append(section.even_page_header)
            footers.append(section.even_page_footer)
        for header in headers:
            self._decorate_header(header)
        for footer in footers:
            self._decorate_footer(footer)

    def _right_tab(self, style: str, pos: int) -> str:
        """One right-aligned tab stop at the margin, clearing the style's own stops (Word's Header
        style sets a centre stop that would otherwise catch the tab)."""
        stops = []
        if style in self.sid:
            for tab in self.document.styles[style].element.iter(f"{_W}tab"):
                at = tab.get(f"{_W}pos")
                if at is not None and at != str(pos):
                    stops.append(f'<w:tab w:val="clear" w:pos="{at}"/>')
        stops.append(f'<w:tab w:val="right" w:pos="{pos}"/>')
        return f"<w:tabs>{''.join(stops)}</w:tabs>"

    def _decorate_header(self, header: _Header) -> None:
        el = header._element
        has_text = any((t.text or "").strip() for t in el.iter(f"{_W}t"))
        right = self.text_width // 635
        tabs = self._right_tab("Header", right)
        marking = " · ".join(self._markings())
        title = "" if has_text else (self.doc.title or "")
        if not title and not marking:
            return
        runs = ""
        if title:
            runs += (
                f'<w:r><w:rPr><w:color w:val="7F7F7F"/><w:sz w:val="16"/></w:rPr><w:t xml:space="preserve">{xml_text(title)}</w:t></w:r>'
            )
        if marking:
            runs += (
                '<w:r><w:tab/></w:r><w:r><w:rPr><w:b/><w:color w:val="C00000"/><w:sz w:val="18"/></w:rPr>'
                f'<w:t xml:space="preserve">{xml_text(marking)}</w:t></w:r>'
            )
        if self.doc.draft:
            runs += _WATERMARK
        el.append(
            etree.fromstring(f'<w:p {_XMLNS} xmlns:v="{V_NS}" xmlns:o="{O_NS}"><w:pPr>{self._pstyle("Header")}{tabs}</w:pPr>{runs}</w:p>')
        )

    def _decorate_footer(self, footer: _Footer) -> None:
        el = footer._element
        has_page = any("PAGE" in (i.text or "") for i in el.iter(f"{_W}instrText")) or any(
            "PAGE" in (f.get(f"{_W}instr") or "") for f in el.iter(f"{_W}fldSimple")
        )
        if has_page and not self.doc.footer:
            return
        right = self.text_width // 635
        grey = '<w:rPr><w:color w:val="595959"/><w:sz w:val="16"/></w:rPr>'

        def run(text: str) -> str:
            return f'<w:r>{grey}<w:t xml:space="preserve">{xml_text(text)}</w:t></w:r>'

        def field(instr: str) -> str:
            return f'<w:fldSimple w:instr=" {instr} "><w:r>{grey}<w:t>1</w:t></w:r></w:fldSimple>'

        runs = run(self.doc.footer) if self.doc.footer else ""
        if not has_page:
            runs += f"<w:r>{grey}<w:tab/></w:r>" + run("Page ") + field("PAGE") + run(" of ") + field("NUMPAGES")
        ppr = f"<w:pPr>{self._pstyle('Footer')}{self._right_tab('Footer', right)}</w:pPr>"
        el.append(etree.fromstring(f"<w:p {_XMLNS}>{ppr}{runs}</w:p>"))


# A Word-style diagonal watermark (VML text path in the header, as Word itself writes it).
_WATERMARK = (
    "<w:r><w:pict>"
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e">'
    '<v:path textpathok="t" o:connecttype="custom"/><v:textpath on="t" fitshape="t"/></v:shapetype>'
    '<v:shape id="mdptmDraftWatermark" o:spid="_x0000_s1025" type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:110pt;rotation:315;z-index:-251657216;'
    "mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;"
    'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#d9d9d9" stroked="f">'
    '<v:fill opacity=".5"/><v:textpath style="font-family:&quot;Arial&quot;;font-size:1pt" string="DRAFT"/>'
    "</v:shape></w:pict></w:r>"
)


# ---------------------------------------------------------------------------------- entry point


def render_docx(doc: Doc, path: Path, *, template: Path | None = None, epoch: int = DEFAULT_EPOCH) -> None:
    """Write *doc* to *path* as .docx on *template* (the shipped branding template by default)."""
    renderer = DocxRenderer(doc, template)
    document = renderer.render()
    document.save(str(path))

    def splice(name: str, data: bytes) -> bytes | Iterator[bytes]:
        if name != "word/document.xml":
            return data
        found = _BODY_P.search(data)
        if found is None:
            raise RuntimeError("rendered body could not be placed in word/document.xml")
        return chain_pieces(data[: found.start()], renderer.body_spool.pieces(), data[found.end() :])

    rewrite_zip(path, epoch, publish=doc.title or "", edit=splice)
