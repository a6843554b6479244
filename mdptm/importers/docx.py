"""Word (``.docx``) threat models as device makers write them for an FDA submission (SPEC §3).

The document is read from its XML parts with the hardened parser, in body order. Headings name the
FDA security architecture views whatever their numbering, case and spelling; paragraphs under a view
become its description, lists its steps, the first image its diagram. Tables go through the same
header scoring as spreadsheets (:mod:`mdptm.importers.tabular.tables`); key/value tables and "Key: value" lines give
product and document facts; document-control and revision-history tables are reported as skipped.
Tracked changes are applied as if accepted (insertions kept, deletions dropped) and both counted in
the report; hidden text is left out; comments go to the internal ``notes`` of the item they sit on.
Document properties (``docProps/core.xml``: author, company...) are never read.
"""

from __future__ import annotations

import copy
import posixpath
import re
import zipfile
from collections.abc import Generator, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from mdptm.base.safety import check_zip, iter_zip_xml_pieces, local_name, parse_xml, read_zip_member, release
from mdptm.base.text import slug
from mdptm.errors import InputError
from mdptm.importers.doors import DocxDoor
from mdptm.importers.markdown.document import Inline, ListItem, MdList, MdTable, Other, Para, Section
from mdptm.importers.markdown.fields import _Ctx
from mdptm.importers.markdown.reader import ONE_RISK, BlockReader
from mdptm.importers.markdown.state import _LETTER_NUMBER
from mdptm.importers.markdown.words import is_navigation
from mdptm.importers.tabular.headers import classify
from mdptm.importers.tabular.lists import (
    _LEAD,
    _TITLE_OVER_PARTS,
    RISK_LEAD,
    THREAT_REF_LEAD,
    FieldBlocks,
    ListThreats,
    finding_record,
    heading_threat_id,
    id_led_threat,
)
from mdptm.importers.tabular.markings import marker_table, withheld_marking
from mdptm.importers.tabular.pairs import continuation_rows, continuation_warning, flow_context, flow_rows, known_targets, target_column
from mdptm.importers.tabular.records import SourceBuilder, first_sentence, status_mark
from mdptm.importers.tabular.resolve import resolve_references
from mdptm.importers.tabular.stride import read_stride_matrix
from mdptm.importers.tabular.tables import Grid, RowRecord, load_profile, profile_vocabulary, stride_default
from mdptm.importers.tabular.vocab import (
    Vocabulary,
    clean_text,
    deferred_by_note,
    fact_key,
    kind_from_name,
    mitigation_status,
    norm_text,
    one_line,
    parse_choice,
    vocabulary,
)
from mdptm.model import Asset, Assumption, Control, Diagram, Element, Model, OutOfScope, View
from mdptm.plugins import ImportContext

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
V = "urn:schemas-microsoft-com:vml"
VIEW_IDS = {
    "global_system": "view-global-system",
    "multi_patient_harm": "view-multi-patient-harm",
    "updatability_patchability": "view-updatability-patchability",
}
_LIST_PREFIX = re.compile(r"^\s*(?:[-*•·▪◦‣]|\(?\d+[.)]|[a-z][.)])\s+")
# A bracket closing a heading or a named item glosses it: "Assets (What we protect)", "PHI (health data on the device)".
_GLOSS = re.compile(r"\s*\(([^()]+)\)\s*$")
# "Client → Web Application: HTTPS/TLS": two ends and an arrow before the colon of a bullet
_ARROW_ITEM = re.compile(
    r"^\s*(?P<a>[^:→↔⇒<>=\-][^:→↔⇒<>=]{0,59}?)\s*(?P<arrow>→|->|<->|↔|⇒|=>|⟶)\s*(?P<b>[^:→↔⇒<>=]{1,60}?)\s*:\s*(?P<rest>.*)$"
)
_ID_PREFIX = re.compile(r"^\s*([A-Z]{1,6}[-_]?\d+[a-z]?)\s*[:.\-–—)]\s+(.+)$", re.S)
_CAPTION = re.compile(r"^\s*(figure|fig\.|diagram|image)\s*\d*[.:\s-]", re.I)
_TOC_LINE = re.compile(r"\t\s*\d+\s*$")
_TABLE_CAPTION = re.compile(r"^\s*table\s*\d*[.:\s-]", re.I)
_CONTINUED = re.compile(r"\bcont(?:inued|'d|\.)", re.I)


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_RPR, _VANISH, _VAL, _ID, _T = _w("rPr"), _w("vanish"), _w("val"), _w("id"), _w("t")
_TXBX = _w("txbxContent")
_TRPR, _TCPR, _GRIDSPAN, _VMERGE, _P_TAG, _TBL_TAG = _w("trPr"), _w("tcPr"), _w("gridSpan"), _w("vMerge"), _w("p"), _w("tbl")
_BODY = _w("body")


MAX_GRID = 64  # Word tables have at most 63 columns: a larger span or offset is a broken or hostile file
_DIGITS = re.compile(r"[0-9]{1,9}")


def _int_attr(el: etree._Element, *, cap: int) -> int | None:
    """A ``w:val`` integer, bounded; None for a value Word would not write."""
    text = el.get(_w("val")) or ""
    return min(int(text), cap) if _DIGITS.fullmatch(text) else None


_LOCAL: dict[str, str] = {}  # tag -> local name: computed once per distinct tag, not per element


def _local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""  # a comment or processing instruction
    name = _LOCAL.get(tag)
    if name is None:
        name = local_name(tag)
        if len(_LOCAL) < 4096:  # a hostile file may invent any number of namespaces
            _LOCAL[tag] = name
    return name


@dataclass
class Stats:
    """What the text extraction of one paragraph or cell met on its way."""

    inserted: int = 0
    deleted: int = 0
    hidden: int = 0
    comments: list[str] = field(default_factory=list)
    images: list[tuple[str, str]] = field(default_factory=list)  # (relationship id, alt text)
    hidden_why: dict[str, int] = field(default_factory=dict)  # what hid the runs: hidden, white, tiny
    textboxes: list[str] = field(default_factory=list)  # the text of each text box met (not read as body text)

    def add(self, other: Stats) -> None:
        self.inserted += other.inserted
        self.deleted += other.deleted
        self.hidden += other.hidden
        for why, n in other.hidden_why.items():
            self.hidden_why[why] = self.hidden_why.get(why, 0) + n
        self.comments.extend(other.comments)
        self.images.extend(other.images)
        self.textboxes.extend(other.textboxes)

    def hide(self, why: str) -> None:
        self.hidden += 1
        self.hidden_why[why] = self.hidden_why.get(why, 0) + 1


@dataclass
class StyleInfo:
    name: str
    based_on: str | None
    outline: int | None
    numbered: bool


class _Docx:
    """The parts of a .docx this importer reads: body, styles, comments and relationships."""

    def __init__(self, zf: zipfile.ZipFile, file: str):
        self.zf = zf
        self.file = file
        self.names = set(zf.namelist())
        self.main = self._main_part()
        self.rels = self._rels(self.main)
        self.hiding = Hiding()
        self.styles = self._styles()
        self.comments = self._comments()

    def xml(self, part: str) -> etree._Element:
        return parse_xml(read_zip_member(self.zf, part, file=self.file), file=self.file, part=part)

    def _main_part(self) -> str:
        if "_rels/.rels" in self.names:
            for rel in self.xml("_rels/.rels"):
                if (rel.get("Type") or "").endswith("/officeDocument"):
                    target = (rel.get("Target") or "").lstrip("/")
                    if target in self.names:
                        return target
        if "word/document.xml" in self.names:
            return "word/document.xml"
        raise InputError("not a Word document (no word/document.xml)", file=self.file)

    def blocks(self) -> Iterator[tuple[etree._Element, _Rows | None]]:
        """The body's paragraphs and tables in order, each once it is complete, read as the part inflates.

        A table comes with its rows already read (``_Rows``), each row freed as soon as it ends, and
        every block is freed once the caller has handled it: memory holds one block and what the
        parser read ahead, never the body. A block is a child of the body, or of content controls and
        custom XML around it; a table of contents (a content control of the "Table of Contents"
        gallery) repeats the headings and is left out.

        The parser reports only rows, tables and the body: a table's cell paragraphs (most of a
        register's) are read with their row and need no event of their own. The body's paragraphs are
        taken from the tree, in order, before each table and after each piece of input the parser read.
        """
        body: etree._Element | None = None
        root: etree._Element | None = None
        rows: _Rows | None = None
        kept: set[etree._Element] = set()  # tables handed out and cleared but perhaps still the last child of an open element
        for batch in iter_zip_xml_pieces(self.zf, self.main, _STREAM_TAGS, file=self.file, events=("start", "end")):
            for event, el in batch:
                if event == "start":
                    if body is None and el.tag == _BODY:
                        root = el.getroottree().getroot()
                        if el.getparent() is root:
                            body = el
                            background = root.find(_w("background"))
                            if background is not None:  # a coloured page: white text on it is read
                                colour = (background.get(_w("color")) or "").lower()
                                self.hiding.page_shaded = bool(colour) and colour not in ("auto", "ffffff")
                    continue
                if root is None:
                    root = el.getroottree().getroot()
                if body is None:
                    continue
                tag = el.tag
                kind = _KIND.get(tag) or _kind(tag)
                if kind == _TR:
                    table = _row_table(el)
                    if table is not None and _top(table, body):
                        if rows is None:
                            rows = _Rows(self.comments)
                        rows.add(el)
                        release(el)
                elif kind == _TBL:
                    if _top(el, body):
                        yield from _paragraphs(body, kept, set(el.iterancestors()), el, complete=False)
                        done, rows = rows or _Rows(self.comments), None
                        yield el, done
                        el.clear(keep_tail=True)
                        kept.add(el)
                elif el is body:
                    yield from _paragraphs(body, kept, set(), None, complete=True)
            if body is not None:
                yield from _paragraphs(body, kept, set(), None, complete=False)
        if body is None:
            if root is not None and "purl.oclc.org" in str(root.tag):
                raise InputError(
                    "Strict Open XML documents are not read; save it as a Word Document (.docx)",
                    file=self.file,
                    locator=self.main,
                )
            raise InputError("Word document has no body", file=self.file, locator=self.main)

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        folder, name = posixpath.split(part)
        path = posixpath.join(folder, "_rels", name + ".rels")
        if path not in self.names:
            return {}
        out: dict[str, tuple[str, str]] = {}
        for rel in self.xml(path):
            target = rel.get("Target") or ""
            if rel.get("TargetMode") != "External":
                target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out[rel.get("Id") or ""] = ((rel.get("Type") or "").rsplit("/", 1)[-1], target)
        return out

    def _part_of(self, kind: str) -> str | None:
        for rtype, target in self.rels.values():
            if rtype == kind and target in self.names:
                return target
        return None

    def _styles(self) -> dict[str, StyleInfo]:
        part = self._part_of("styles") or ("word/styles.xml" if "word/styles.xml" in self.names else None)
        if part is None:
            return {}
        out: dict[str, StyleInfo] = {}
        looks: dict[str, RunLook] = {}
        shading: set[str] = set()
        for st in self.xml(part).iter(_w("style")):
            sid = st.get(_w("styleId")) or ""
            rpr = st.find(_w("rPr"))
            if rpr is not None:
                looks[sid] = run_look(rpr)
            if any(_filled(shd) for shd in st.iter(_SHD)):
                shading.add(sid)
            name_el = st.find(_w("name"))
            based = st.find(_w("basedOn"))
            ppr = st.find(_w("pPr"))
            outline = None
            numbered = False
            if ppr is not None:
                ol = ppr.find(_w("outlineLvl"))
                if ol is not None:
                    outline = _int_attr(ol, cap=9)
                numbered = ppr.find(_w("numPr")) is not None
            out[sid] = StyleInfo(
                name=(name_el.get(_w("val")) if name_el is not None else sid) or sid,
                based_on=based.get(_w("val")) if based is not None else None,
                outline=outline,
                numbered=numbered,
            )
        # each style's look with its parents' folded in, and every style that shades or is based on one that does
        folded: dict[str, RunLook] = {}
        for sid in out:
            chain = _chain_ids(out, sid)
            look: RunLook | None = None
            for link in reversed(chain):
                if link in looks:
                    look = looks[link].over(look)
            if look is not None:
                folded[sid] = look
            if any(link in shading for link in chain):
                shading.add(sid)
        self.hiding = Hiding(styles=folded, shaded_styles=frozenset(shading))
        return out

    def _comments(self) -> dict[str, str]:
        part = self._part_of("comments")
        if part is None:
            return {}
        out: dict[str, str] = {}
        for c in self.xml(part).iter(_w("comment")):
            texts = []
            for p in c.iter(_w("p")):
                t, _s = paragraph_text(p)
                if t.strip():
                    texts.append(t.strip())
            out[c.get(_w("id")) or ""] = "\n".join(texts)
        return out

    def style_chain(self, sid: str | None) -> list[StyleInfo]:
        return [self.styles[link] for link in _chain_ids(self.styles, sid)]


def _chain_ids(styles: dict[str, StyleInfo], sid: str | None) -> list[str]:
    """*sid* and the styles it is based on, nearest first (a loop or an unknown parent ends the chain)."""
    out: list[str] = []
    while sid and sid not in out and sid in styles:
        out.append(sid)
        sid = styles[sid].based_on
    return out


# ------------------------------------------------------------------------------------ text


_SKIP = {"del", "moveFrom", "delText", "instrText", "pPr", "rPr", "tblPr", "sectPr", "txbxContent", "fldData"}
_RECURSE = {
    "hyperlink",
    "smartTag",
    "customXml",
    "fldSimple",
    "sdt",
    "sdtContent",
    "dir",
    "bdo",
    "ins",
    "moveTo",
    "oMath",
    "oMathPara",
    "r",
}


_SDT, _SDT_PR, _SHOWING_PLACEHOLDER = _w("sdt"), _w("sdtPr"), _w("showingPlcHdr")


def _placeholder(sdt: etree._Element) -> bool:
    """Whether content control *sdt* shows its placeholder ("Click or tap here to enter text."): nobody wrote it."""
    pr = _first(sdt, _SDT_PR)
    return pr is not None and _first(pr, _SHOWING_PLACEHOLDER) is not None


def drop_placeholders(el: etree._Element) -> None:
    """Remove from *el* every content control that shows its placeholder: an empty field of a form, whose
    prompt ("Click or tap here to enter text.") was read as the author's text and published in a title."""
    for sdt in [s for s in el.iter(_SDT) if _placeholder(s)]:
        parent = sdt.getparent()
        if parent is not None:
            parent.remove(sdt)


def paragraph_text(p: etree._Element) -> tuple[str, Stats]:
    """The text a reader sees with every tracked change accepted; hidden runs and placeholders left out."""
    stats = Stats()
    parts: list[str] = []
    hiding = _HIDING.get()
    if hiding is not None:
        _paragraph_look(p, hiding)
    _walk(p, parts, stats)
    return "".join(parts), stats


_DEL, _SKIPPED, _INS, _RUN, _COMMENT, _IMAGE, _INTO, _OTHER = range(8)
_WALK: dict[str, int] = {}  # tag -> what _walk does with it, decided once per distinct tag
_IMAGE_TAGS = ("drawing", "pict", "AlternateContent", "object")


def _textbox_warning(text: str) -> str:
    shown = text if len(text) <= 100 else text[:100] + "…"
    return (
        f"text box not imported ({len(text)} characters: {shown!r}): a text box stands outside the document's flow; "
        "move its text into the body or a table to import it"
    )


def _walk_action(tag: object) -> int:
    name = local_name(tag)
    if name in ("del", "moveFrom"):
        action = _DEL
    elif name in _SKIP:
        action = _SKIPPED
    elif name in ("ins", "moveTo"):
        action = _INS
    elif name == "r":
        action = _RUN
    elif name in ("commentRangeStart", "commentReference"):
        action = _COMMENT
    elif name in _IMAGE_TAGS:
        action = _IMAGE
    elif name in _RECURSE or name == "p":
        action = _INTO
    else:
        action = _OTHER
    if isinstance(tag, str) and len(_WALK) < 4096:
        _WALK[tag] = action
    return action


def _first(el: etree._Element, tag: str) -> etree._Element | None:
    """``el.find(tag)`` for a plain tag, without the path machinery (a few times faster; it runs per run and cell)."""
    for child in el:
        if child.tag == tag:
            return child
    return None


def _walk(el: etree._Element, parts: list[str], stats: Stats) -> None:
    for child in el:
        tag = child.tag
        action = _WALK.get(tag) if isinstance(tag, str) else _OTHER
        if action is None:
            action = _walk_action(tag)
        if action == _RUN:
            _run(child, parts, stats)
        elif action == _INTO:
            if tag == _SDT and _placeholder(child):  # an empty field's prompt: nobody wrote it
                continue
            _walk(child, parts, stats)
        elif action == _DEL:
            stats.deleted += 1
        elif action == _INS:
            stats.inserted += 1
            _walk(child, parts, stats)
        elif action == _COMMENT:
            cid = child.get(_ID)
            if cid is not None and cid not in stats.comments:
                stats.comments.append(cid)
        elif action == _IMAGE:
            _images(child, stats)


_RUN_TEXT: dict[str, str] = {"t": "", "tab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "-", "sym": " "}
_RUN_ACT: dict[str, str] = {}  # tag -> the text a run child stands for ("" for w:t: its own text), "image", "comment" or "other"


def _run_action(tag: str) -> str:
    name = local_name(tag)
    if name in _RUN_TEXT:
        action = "t" if name == "t" else _RUN_TEXT[name]
    elif name in _IMAGE_TAGS:
        action = "image"
    elif name == "commentReference":
        action = "comment"
    else:
        action = "other"
    if len(_RUN_ACT) < 4096:
        _RUN_ACT[tag] = action
    return action


# ------------------------------------------------------------------------------------ hidden text

_COLOR, _SZ, _RSTYLE, _SHD, _HIGHLIGHT, _PSTYLE, _PPR = (
    _w("color"),
    _w("sz"),
    _w("rStyle"),
    _w("shd"),
    _w("highlight"),
    _w("pStyle"),
    _w("pPr"),
)
TINY_HALF_POINTS = 4  # w:sz counts half-points: 2 pt and below is no text a reader sees
_WHITE = {"ffffff", "white"}
_WHITE_THEME = {"background1", "bg1", "light1"}


@dataclass
class RunLook:
    """What hides a run, as one run property or a style states it (None: not stated here)."""

    vanish: bool | None = None
    white: bool | None = None
    tiny: bool | None = None
    shaded: bool | None = None  # a run's own shading or highlight makes white text readable

    def over(self, base: RunLook | None) -> RunLook:
        """These properties, with *base*'s where these state none (a run over its style, a style over its parent)."""
        if base is None:
            return self
        return RunLook(
            self.vanish if self.vanish is not None else base.vanish,
            self.white if self.white is not None else base.white,
            self.tiny if self.tiny is not None else base.tiny,
            self.shaded if self.shaded is not None else base.shaded,
        )


def _filled(shd: etree._Element) -> bool:
    fill = (shd.get(_w("fill")) or "").lower()
    return bool(fill) and fill not in ("auto", "ffffff") or (shd.get(_w("val")) or "clear") not in ("clear", "nil")


def run_look(rpr: etree._Element) -> RunLook:
    """The hiding properties a ``w:rPr`` states."""
    look = RunLook()
    for prop in rpr:
        tag = prop.tag
        if tag == _VANISH:
            look.vanish = prop.get(_VAL) not in ("0", "false", "off")
        elif tag == _COLOR:
            val = (prop.get(_VAL) or "").lower()
            theme = (prop.get(_w("themeColor")) or "").lower()
            look.white = val in _WHITE or (theme in _WHITE_THEME and val in ("", "auto", "ffffff"))
        elif tag == _SZ:
            size = _int_attr(prop, cap=4000)
            if size is not None:
                look.tiny = size <= TINY_HALF_POINTS
        elif tag == _SHD:
            look.shaded = _filled(prop)
        elif tag == _HIGHLIGHT:
            look.shaded = (prop.get(_VAL) or "none").lower() not in ("none", "white")
    return look


@dataclass
class Hiding:
    """What hides text in one document beyond a run's own properties: its styles, its page colour, and
    whether the paragraph or cell being read is shaded (white text on a dark cell is read, not hidden)."""

    styles: dict[str, RunLook] = field(default_factory=dict)  # style id -> its run look, parents folded in
    shaded_styles: frozenset[str] = frozenset()  # table and paragraph styles that shade
    page_shaded: bool = False
    para: RunLook | None = None  # the paragraph style's look, for the paragraph being read
    shaded: bool = False  # the paragraph or cell being read has a fill


_HIDING: ContextVar[Hiding | None] = ContextVar("mdptm_docx_hiding", default=None)


def _paragraph_look(p: etree._Element, hiding: Hiding, shaded: bool = False) -> None:
    """Set *hiding* for paragraph *p*: its style's look and whether it is shaded."""
    hiding.para = None
    hiding.shaded = shaded or hiding.page_shaded
    ppr = p[0] if len(p) and p[0].tag == _PPR else None
    if ppr is None:
        return
    for prop in ppr:
        if prop.tag == _PSTYLE:
            sid = prop.get(_VAL) or ""
            hiding.para = hiding.styles.get(sid)
            hiding.shaded = hiding.shaded or sid in hiding.shaded_styles
        elif prop.tag == _SHD and _filled(prop):
            hiding.shaded = True


_LOOK_TAGS = frozenset({_VANISH, _COLOR, _SZ, _RSTYLE, _SHD, _HIGHLIGHT})


def _hidden(rpr: etree._Element | None) -> str | None:
    """Why a run with properties *rpr* is hidden (``hidden``, ``white``, ``tiny``), or None. It runs for
    every run of a document: nothing is allocated unless a property that can hide is there."""
    hiding = _HIDING.get()
    para = hiding.para if hiding is not None else None
    look: RunLook | None = None
    if rpr is not None:
        style: RunLook | None = None
        for prop in rpr:
            if prop.tag in _LOOK_TAGS:
                if prop.tag == _RSTYLE:
                    style = hiding.styles.get(prop.get(_VAL) or "") if hiding is not None else None
                elif look is None:
                    look = run_look(rpr)
        if style is not None:
            look = look.over(style) if look is not None else style
    if look is None:
        look = para
    elif para is not None:
        look = look.over(para)
    if look is None:
        return None
    if look.vanish:
        return "hidden"
    if look.tiny:
        return "tiny"
    if look.white and not look.shaded and not (hiding is not None and hiding.shaded):
        return "white"
    return None


def _run(r: etree._Element, parts: list[str], stats: Stats) -> None:
    """A run's text. A run hidden by its (first) ``w:rPr`` or its styles -- ``w:vanish``, white text on no
    shading, a 2-point font -- adds nothing and counts as hidden; the properties are read in the same pass
    as the text, and what was taken before them is given back."""
    n = len(r)
    if n <= 2:  # the usual runs, "<w:t>" or "<w:rPr/><w:t>", without the general loop below
        last = r[n - 1] if n else None
        if last is not None and last.tag == _T:
            if n == 1:
                why = _hidden(None)
                if why is not None:
                    stats.hide(why)
                    return
                parts.append(last.text or "")
                return
            rpr = r[0]
            if rpr.tag == _RPR:
                why = _hidden(rpr)
                if why is not None:
                    stats.hide(why)
                else:
                    parts.append(last.text or "")
                return
    mark, comments, images = len(parts), len(stats.comments), len(stats.images)
    props = False
    for rc in r:
        tag = rc.tag
        if tag == _RPR:
            if not props:
                props = True
                why = _hidden(rc)
                if why is not None:
                    del parts[mark:], stats.comments[comments:], stats.images[images:]
                    stats.hide(why)
                    return
            continue
        if not isinstance(tag, str):
            continue
        action = _RUN_ACT.get(tag) or _run_action(tag)
        if action == "t":
            parts.append(rc.text or "")
        elif action == "other":
            continue
        elif action == "image":
            _images(rc, stats)
        elif action == "comment":
            cid = rc.get(_ID)
            if cid is not None and cid not in stats.comments:
                stats.comments.append(cid)
        else:
            parts.append(action)
    if not props:  # no properties of its own: its paragraph's style may still hide it
        why = _hidden(None)
        if why is not None:
            del parts[mark:], stats.comments[comments:], stats.images[images:]
            stats.hide(why)


def _plain_text(p: etree._Element, para: RunLook | None) -> str | None:
    """The text of a paragraph of plain runs (``<w:t>`` or ``<w:rPr/><w:t>``, none hidden) and of elements
    :func:`_walk` passes over (properties, bookmarks); None for anything else, which ``_walk`` then reads.
    Most cells of a register are such paragraphs: read here without a call per run. *para*: the
    paragraph style's look (a run without properties of its own is hidden only through it)."""
    parts: list[str] = []
    for child in p:
        tag = child.tag
        action = _WALK.get(tag) if isinstance(tag, str) else _OTHER
        if action is None:
            action = _walk_action(tag)
        if action == _RUN:
            n = len(child)
            if n == 1:
                t = child[0]
                if t.tag == _T and para is None:
                    parts.append(t.text or "")
                    continue
            elif n == 2:
                rpr, t = child[0], child[1]
                if rpr.tag == _RPR and t.tag == _T and _hidden(rpr) is None:
                    parts.append(t.text or "")
                    continue
            return None
        if action != _OTHER and action != _SKIPPED:
            return None
    return "".join(parts)


def _images(el: etree._Element, stats: Stats) -> None:
    alt = ""
    for dp in el.iter(f"{{{WP}}}docPr"):
        alt = dp.get("descr") or dp.get("title") or ""
        break
    seen = {rid for rid, _a in stats.images}
    for blip in el.iter(f"{{{A}}}blip"):
        rid = blip.get(f"{{{R}}}embed") or blip.get(f"{{{R}}}link")
        if rid and rid not in seen:
            stats.images.append((rid, alt))
            seen.add(rid)
    for img in el.iter(f"{{{V}}}imagedata"):
        rid = img.get(f"{{{R}}}id")
        if rid and rid not in seen:
            stats.images.append((rid, img.get(f"{{{V}}}title") or alt))
            seen.add(rid)
    # A text box is a drawing: in a body paragraph its text is not part of the flow and is not imported (a
    # table cell reads every paragraph inside it, text boxes included). Word writes it twice (the DrawingML
    # choice and its VML fallback): each distinct text is reported once.
    for box in el.iter(_TXBX):
        boxed = {t for tbl in _boxed_tables(box, whole=True) for t in tbl.iter(_T)}  # read as tables: not lost
        text = " ".join("".join(t.text or "" for t in box.iter(_T) if t not in boxed).split())
        if text and text not in stats.textboxes:
            stats.textboxes.append(text)


# ------------------------------------------------------------------------------------ tables


def _boxed_tables(el: etree._Element, *, whole: bool = False) -> list[etree._Element]:
    """The tables in the text boxes of body paragraph *el* (a threat table laid in a text box to place it on the
    page): read as tables of the body, where the text box stands. Word writes a text box twice, as a drawing and
    as its VML fallback: the fallback's copy is left out. *whole*: *el* is one text box's content."""
    out: list[etree._Element] = []
    boxes = [el] if whole else [box for box in el.iter(_TXBX) if not any(_local(a) == "Fallback" for a in box.iterancestors())]
    for box in boxes:
        _collect(box, "tbl", out, stop="tbl")
    return out


def _boxed_rows(tbl: etree._Element, comments: dict[str, str]) -> _Rows:
    """Table *tbl* of a text box read as the streamed tables are (:class:`_Rows`)."""
    rows: list[etree._Element] = []
    _collect(tbl, "tr", rows, stop="tbl")
    reader = _Rows(comments)
    for tr in rows:
        reader.add(tr)
    return reader


class _Rows:
    """A Word table read one row at a time, so a row's elements can be freed as soon as it is read:
    spans and vertical merges recorded, deleted rows marked, cell text joined by line."""

    def __init__(self, comments: dict[str, str]) -> None:
        self.comments = comments
        self.cells: list[list[str]] = []
        self.merged: dict[tuple[int, int], tuple[int, int]] = {}
        self.cell_comments: dict[tuple[int, int], list[str]] = {}
        self.hidden_rows: dict[int, dict[str, int]] = {}  # row -> what hid text in it, and how many runs
        self.deleted: set[int] = set()
        self.changed: dict[int, tuple[int, int]] = {}  # row -> tracked (insertions, deletions)
        self.total = Stats()
        self.nested: list[_Rows] = []  # the tables nested in its cells, as read
        self.own: list[str] = []  # the text of its one-cell rows outside nested tables (a frame's caption)

    table_shaded: bool | None = None  # whether the table's style or properties shade it (set at its first row)

    def add(self, tr: etree._Element) -> None:
        drop_placeholders(tr)
        r = len(self.cells)
        cells, merged = self.cells, self.merged
        trpr, tcs = _row_cells(tr)
        row: list[str] = []
        col = 0
        if trpr is not None:
            if trpr.find(_w("del")) is not None:
                self.deleted.add(r)
            gb = trpr.find(_w("gridBefore"))
            if gb is not None:
                for _ in range(_int_attr(gb, cap=MAX_GRID) or 0):
                    row.append("")
                    col += 1
        hiding = _HIDING.get()
        if hiding is not None and self.table_shaded is None:
            self.table_shaded = _table_shaded(tr, hiding)
        row_stats = Stats()
        scratch = Stats()  # what one paragraph met; taken into the cell's stats only when it met something
        # what is the same for every cell of the row, looked up once (this loop runs for every cell of a register)
        table_shaded = bool(self.table_shaded)
        one_cell = len(tcs) == 1
        page_shaded = hiding.page_shaded if hiding is not None else False
        for tc, paras in zip(tcs, _cell_paragraphs(tr, tcs), strict=True):
            tcpr = tc[0] if len(tc) else None  # the cell's properties come first, as Word writes them
            if tcpr is not None and tcpr.tag != _TCPR:
                tcpr = _first(tc, _TCPR)
            span = 1
            vmerge = None
            shaded = table_shaded
            if tcpr is not None:
                gs = vm = None
                for prop in tcpr:
                    tag = prop.tag
                    if tag == _GRIDSPAN and gs is None:
                        gs = prop
                    elif tag == _VMERGE and vm is None:
                        vm = prop
                    elif tag == _SHD and not shaded:
                        shaded = _filled(prop)
                if gs is not None:
                    span = max(1, _int_attr(gs, cap=MAX_GRID) or 1)
                if vm is not None:
                    vmerge = vm.get(_VAL) or "continue"
            texts: list[str] = []
            lent: set[str] | None = None  # the lines of tables nested in the cell
            st: Stats | None = None
            for p in paras:
                if p.tag == _TBL_TAG:
                    nested = Stats()
                    lines = _nested_lines(p, self.comments, nested, self.nested)
                    lent = lent or set()
                    lent.update(lines)
                    texts.extend(lines)
                    if nested.inserted or nested.deleted or nested.hidden or nested.comments or nested.images:
                        st = st or Stats()
                        st.add(nested)
                    continue
                if hiding is not None:
                    if len(p) and p[0].tag == _PPR:
                        _paragraph_look(p, hiding, shaded)
                    else:  # what _paragraph_look sets for a paragraph without properties
                        hiding.para = None
                        hiding.shaded = shaded or page_shaded
                plain = _plain_text(p, hiding.para if hiding is not None else None)
                if plain is not None:
                    texts.append(plain)
                    continue
                parts: list[str] = []
                _walk(p, parts, scratch)
                if scratch.inserted or scratch.deleted or scratch.hidden or scratch.comments or scratch.images:
                    st = st or Stats()
                    st.add(scratch)
                    scratch = Stats()
                texts.append("".join(parts))
            if one_cell and (mine := [t for t in texts if t.strip() and (lent is None or t not in lent)]):  # a frame's own text
                self.own.extend(mine)
            text = texts[0] if len(texts) == 1 else "\n".join(texts)
            text = clean_text(text) if "\n" in text or "\r" in text else text.strip()  # the same, for one line
            if st is not None:
                row_stats.add(st)
            if vmerge == "continue" and r > 0 and col < len(cells[r - 1]):
                above = merged.get((r - 1, col), (r - 1, col))
                merged[(r, col)] = above
                text = ""
            row.append(text)
            if span > 1:
                anchor = merged.get((r, col), (r, col))
                for k in range(1, span):
                    row.append("")
                    merged[(r, col + k)] = anchor
            if st is not None and st.comments:
                self.cell_comments[(r, col)] = [self.comments[c] for c in st.comments if self.comments.get(c)]
            col += span
        if row_stats.inserted or row_stats.deleted:
            self.changed[r] = (row_stats.inserted, row_stats.deleted)
        if row_stats.hidden:
            self.hidden_rows[r] = dict(row_stats.hidden_why)
        self.total.add(row_stats)
        cells.append(row)

    def grid(self, number: int, file: str) -> Grid:
        return Grid(
            file=file,
            name=f"table {number}",
            style="table",
            cells=self.cells,
            merged=self.merged,
            comments=self.cell_comments,
            deleted_rows=self.deleted,
        )


def _table_shaded(tr: etree._Element, hiding: Hiding) -> bool:
    """Whether the table of row *tr* may be shaded (its style shades, or its properties do): white text in
    it is then read, never taken for hidden. A table whose style cannot be told is taken as shaded."""
    table = _row_table(tr)
    tblpr = _first(table, _w("tblPr")) if table is not None else None
    if tblpr is None:
        return False
    for prop in tblpr:
        if prop.tag == _w("tblStyle") and (prop.get(_VAL) or "") in hiding.shaded_styles:
            return True
        if prop.tag == _SHD and _filled(prop):
            return True
    return False


_TC = _w("tc")


def _row_cells(tr: etree._Element) -> tuple[etree._Element | None, list[etree._Element]]:
    """A row's (first) ``w:trPr`` and its cells (``_collect`` of its ``tc``), in one pass over its children."""
    trpr = None
    tcs: list[etree._Element] = []
    for child in tr:
        tag = child.tag
        if tag == _TC:
            tcs.append(child)
        elif tag == _TRPR:
            if trpr is None:
                trpr = child
        else:
            name = _local(child)
            if name == "tc":
                tcs.append(child)
            elif name in _WRAPPERS:
                _collect(child, "tc", tcs, stop="tc")
    return trpr, tcs


def _cell_paragraphs(tr: etree._Element, tcs: list[etree._Element]) -> list[list[etree._Element]]:
    """Each cell's paragraphs, as ``tc.iter(w:p)`` gives them (text boxes included), found in one pass over
    the row rather than one search per cell; a table nested in a cell comes as that table, in its place, and
    its own paragraphs do not (it is read row by row: see :func:`_nested_lines`)."""
    out: list[list[etree._Element]] = [[] for _ in tcs]
    index = {tc: i for i, tc in enumerate(tcs)}
    for el in tr.iter(_P_TAG, _TBL_TAG):
        parent = el.getparent()
        while parent is not None and parent not in index and parent is not tr and parent.tag != _TBL_TAG:
            parent = parent.getparent()
        if parent is not None and parent in index:
            out[index[parent]].append(el)
    return out


def _nested_lines(tbl: etree._Element, comments: dict[str, str], stats: Stats, keep: list[_Rows]) -> list[str]:
    """A table nested in a cell (the measures of one threat as "Control | Status" rows): one line per row, its
    first cell, then the others named by the nested header ("Rate limiting. Status: Implemented"), so the cell
    reads as the list it shows; its header row is no line, and a row deleted in tracked changes none either."""
    rows: list[etree._Element] = []
    _collect(tbl, "tr", rows, stop="tbl")
    reader = _Rows(comments)
    for row in rows:
        reader.add(row)
    stats.add(reader.total)
    keep.append(reader)  # a layout table around it reads it as a table of its own (see _Walker._frame)
    cells = [row for r, row in enumerate(reader.cells) if r not in reader.deleted]
    header: list[str] = []
    if len(cells) >= 2 and len(cells[0]) >= 2 and (_repeated_header(rows[0]) or all(_label(c) for c in cells[0])):
        header, cells = cells[0], cells[1:]
    lines: list[str] = []
    for row in cells:
        filled = [(c, header[k] if k < len(header) else "") for k, c in enumerate(row) if c.strip()]
        if not filled:
            continue
        first, rest = one_line(filled[0][0]), filled[1:]
        said = "; ".join(f"{h}: {one_line(c)}" if h else one_line(c) for c, h in rest)
        lines.append(f"{first.rstrip('.')}. {said}" if said else first)
    return lines


def _repeated_header(tr: etree._Element) -> bool:
    trpr = _first(tr, _TRPR)
    return trpr is not None and _first(trpr, _w("tblHeader")) is not None


def _label(text: str) -> bool:
    """A cell that reads as a column label: short, one line, no sentence."""
    text = text.strip()
    return bool(text) and "\n" not in text and len(text.split()) <= 3 and not text.endswith(".")


def table_grid(tbl: etree._Element, number: int, file: str, comments: dict[str, str]) -> tuple[Grid, Stats, dict[int, tuple[int, int]]]:
    """A whole Word table as a grid (the importer reads it row by row, as it streams: see ``_Rows``).

    Also returns what the extraction met and, per row, its tracked (insertions, deletions).
    """
    rows: list[etree._Element] = []
    _collect(tbl, "tr", rows, stop="tbl")
    reader = _Rows(comments)
    for tr in rows:
        reader.add(tr)
    return reader.grid(number, file), reader.total, reader.changed


def _collect(el: etree._Element, tag: str, out: list[etree._Element], stop: str) -> None:
    """Direct ``tag`` children, looking through content-control and custom-XML wrappers."""
    for child in el:
        name = _local(child)
        if name == tag:
            out.append(child)
        elif name in _WRAPPERS and name != stop:
            _collect(child, tag, out, stop)


_WRAPPERS = frozenset({"sdt", "sdtContent", "customXml"})


def _is_toc(sdt: etree._Element) -> bool:
    """A content control of the "Table of Contents" gallery (read from its own properties)."""
    pr = sdt.find(_w("sdtPr"))
    if pr is None:
        return False
    galleries = (g.get(_VAL) or "" for g in pr.iter(_w("docPartGallery")))
    return any("contents" in value.lower() for value in galleries)


# ------------------------------------------------------------------------------------ streaming

_STREAM_TAGS = ("{*}tbl", "{*}tr", "{*}body")  # a paragraph is taken from the tree: see _paragraphs
_P, _TBL, _TR, _NONE = 1, 2, 3, 4
_KIND: dict[str, int] = {}


def _kind(tag: object) -> int:
    kind = {"p": _P, "tbl": _TBL, "tr": _TR}.get(local_name(tag), _NONE)
    if isinstance(tag, str) and len(_KIND) < 4096:
        _KIND[tag] = kind
    return kind


def _top(el: etree._Element, body: etree._Element) -> bool:
    """A block of the body: between it and the body only content controls and custom XML, none a table of contents."""
    parent = el.getparent()
    while parent is not None:
        if parent is body:
            return True
        name = _local(parent)
        if name not in _WRAPPERS or (name == "sdt" and _is_toc(parent)):
            return False
        parent = parent.getparent()
    return False


def _row_table(tr: etree._Element) -> etree._Element | None:
    """The table a row belongs to, looking through content-control and custom-XML wrappers."""
    parent = tr.getparent()
    while parent is not None:
        name = _local(parent)
        if name == "tbl":
            return parent
        if name not in _WRAPPERS:
            return None
        parent = parent.getparent()
    return None


def _paragraphs(
    container: etree._Element, kept: set[etree._Element], path: set[etree._Element], stop: etree._Element | None, *, complete: bool
) -> Generator[tuple[etree._Element, None], None, bool]:
    """Hand out, in order, the body's paragraphs under *container* that the parser has finished, and
    drop every finished child once handled. *complete*: the container has ended; otherwise its last
    child may still be open (and is left alone). Stops at *stop* (a table that just ended: what comes
    before it is finished) and keeps *path* (the elements around it). True if the container was used up.

    Only a finished element is ever removed, so the parser never loses a node it is still building.
    """
    child = container[0] if len(container) else None
    while child is not None:
        after = child.getnext()
        if child is stop:
            return False
        still_open = child in path or (not complete and after is None)
        if child in kept:
            if still_open:
                return False
            kept.discard(child)
            container.remove(child)
            child = after
            continue
        name = _local(child)
        if name == "p":
            if still_open:
                return False
            yield child, None
            child.clear(keep_tail=True)
            container.remove(child)
        elif name in _WRAPPERS and not (name == "sdt" and (_is_toc(child) or _placeholder(child))):
            used_up = yield from _paragraphs(child, kept, path, stop, complete=not still_open)
            if not used_up or still_open:
                return False
            container.remove(child)
        else:  # not a block (section properties, bookmarks...), a table of contents, or an unfinished table
            if still_open:
                return False
            container.remove(child)
        child = after
    return True


# ------------------------------------------------------------------------------------ walking


@dataclass
class _Section:
    level: int
    text: str
    kind: str  # view | container | assumptions | out_of_scope | intended_use | product_description | other
    view: View | None = None
    marking: tuple[str, str] | None = None  # (sensitivity, heading or line) that sets the section apart
    number: str = ""  # the heading's own numbering ("4.3"), "" when it has none
    excluded: OutOfScope | None = None  # "### Safe Mode" under "Out-of-Scope Bypass Paths": the entry it names


def _within(number: str, parent: str) -> bool:
    """A heading numbered *number* belongs under one numbered *parent* ("3.1.1" under "3"); an unnumbered heading, or
    one under an unnumbered parent, is taken to."""
    return not number or not parent or number.startswith(parent + ".")


@dataclass
class _Para:
    index: int
    text: str
    style: str
    heading: int | None  # level, 0 for Title
    is_list: bool
    caption: bool
    stats: Stats
    level: int = 0  # list nesting level (w:ilvl)


class _Walker:
    def __init__(self, doc: _Docx, builder: SourceBuilder, vocab: Vocabulary):
        self.doc = doc
        self.b = builder
        self.vocab = vocab
        self.sections_cfg = vocab.sections
        self.stack: list[_Section] = []
        self.view_ids: set[str] = set()
        self.tables = 0
        self.paras = 0
        self.totals = Stats()
        self.last_text = ""
        self.pending_diagram: View | None = None
        self.title: str | None = None
        self.assumption_n = 0
        self.oos_n = 0
        self.control_n = 0
        self._heading_number = ""  # the numbering of the heading being opened ("4.3")
        # "**Threat #1 – Anon key exposed**" over a list of measures: (threat id, line) they answer, and the links made
        self.measures_of: tuple[str, str] | None = None
        self.measure_links: list[tuple[str, str, str, str]] = []  # (control id, threat id, line, locator)
        self.titled_control: tuple[Control, int] | None = None  # "4.3.1. Least Privilege:" over its parts
        # the last list item read as a term and its mitigation ("Unbefugter Zugriff: Schutz durch …"): (its section,
        # its level, its paragraph's number)
        self.term_led: tuple[int, int, int] | None = None
        self.facts_from_sections: dict[str, list[str]] = {}
        self.named_n: dict[str, int] = {}
        self.label_list: str | None = None  # the kind a label paragraph ("Assets:") names for the list below it
        self._arrows_said = False
        self.view_paras: dict[str, list[str]] = {}
        self._rx: dict[str, list[re.Pattern[str]]] = {}
        self._numbering = re.compile(self.sections_cfg["numbering"], re.I)
        self.known_targets: set[str] = set()  # components named in threat tables so far ("Device", "IoT Hub")
        self.lists = ListThreats(builder, vocab)
        self.forms = FieldBlocks(builder, vocab)
        self._markers, self._marker_nouns = marker_table(self.sections_cfg)
        self.marked: dict[str, tuple[str, str]] = {}  # "paragraph N" / "table N" -> the marking over it
        self._pending_mark: tuple[str, str] | None = None
        # list items read as nothing so far, one run of them: (first paragraph, last paragraph, count, heading)
        self.unread: tuple[int, int, int, str | None] | None = None
        # a sentence under a heading of measures or threats that nothing read: (locator, reason), said unless what
        # follows it (a list, a table) shows it was their lead-in
        self.prose: tuple[str, str] | None = None
        # the header of the threat table just read, while nothing but blank lines (a page break) follows it: a table
        # of the same width with no header of its own is its rest (header rows, merges among them, width)
        self.threat_head: tuple[list[list[str]], dict[tuple[int, int], tuple[int, int]], int] | None = None
        self._md: _WordRiskReader | None = None  # the Markdown reading of STRIDE sections written in its shapes

    # -- patterns

    def _patterns(self, key: str, items: list[str]) -> list[re.Pattern[str]]:
        if key not in self._rx:
            self._rx[key] = [re.compile(p, re.I) for p in items]
        return self._rx[key]

    def strip_number(self, text: str) -> tuple[str, int | None]:
        m = self._numbering.match(text)
        if not m:
            return text.strip(), None
        number = m.group(0).strip().rstrip(".):-–—").strip()
        number = re.sub(r"^(section|chapter|appendix|annex)\s+", "", number, flags=re.I)
        depth = len([p for p in re.split(r"[.\-]", number) if p])
        return text[m.end() :].strip(), depth

    def view_kind(self, text: str) -> str | None:
        for kind, cfg in self.sections_cfg["views"].items():
            if any(rx.search(text) for rx in self._patterns("view:" + kind, cfg["patterns"])):
                return str(kind)
        return None

    def is_container(self, text: str) -> bool:
        return any(rx.search(text) for rx in self._patterns("container", self.sections_cfg["use_case_container"]))

    def is_subsection(self, text: str) -> bool:
        return norm_text(text) in {norm_text(s) for s in self.sections_cfg["subsections"]}

    def section_kind(self, text: str) -> str:
        # "Assets (What we protect)": a bracket closing the heading glosses it; the words before it name the kind
        for name in dict.fromkeys((text, _GLOSS.sub("", text) or text)):
            for kind, pats in self.sections_cfg["sections"].items():
                if any(rx.search(name) for rx in self._patterns("sec:" + kind, pats)):
                    return str(kind)
        return "other"

    def withheld_marking(self, text: str, *, whole_only: bool = False) -> str | None:
        """The sensitivity a heading (or, *whole_only*, a line of its own) sets its section apart with:
        "Confidential", "Internal only - Debug port", "Debug port (not for distribution)"
        (``withheld_markers`` in sections.yaml). "Internal threats" or "Proprietary protocol" mark nothing."""
        return withheld_marking(self.strip_number(one_line(text))[0], self._markers, self._marker_nouns, whole_only=whole_only)

    def marking(self) -> tuple[str, str] | None:
        sec = self._current()
        return sec.marking if sec is not None else None

    # -- the walk

    def run(self) -> None:
        if self._one_risk():
            return
        # a STRIDE heading's section, read when it ends: (block, rows, its reading if a paragraph, counted already)
        held: list[tuple[etree._Element, _Rows | None, _Para | None, bool]] = []
        held_level: int | None = None
        for el, rows in self.doc.blocks():
            peek = self._peek(el) if rows is None and held_level is not None else None  # counted when read
            ends = peek is not None and peek.heading is not None and held_level is not None and peek.heading <= held_level
            if ends and peek is not None and clean_text(peek.text).strip():
                self._stride_held(held)
                held, held_level = [], None
            if held_level is not None and rows is not None:
                # a table in it: the section is walked as usual (only the Markdown shapes are held), from here on too
                for got in held:
                    self._replay_held(got)
                held, held_level = [], None
            if held_level is not None:
                held.append((copy.deepcopy(el), rows, peek, False))  # the walk frees a block once read
                continue
            if rows is not None:
                self._block(el, rows)
                continue
            self.paras += 1
            info = self._para_info(el)
            if info.heading is not None and info.heading > 0 and self._stride_name(info.text):
                self.paras -= 1  # numbered again when its section is read
                held_level = info.heading
                held.append((copy.deepcopy(el), None, info, True))
                continue
            self._read_paragraph(el, info)
        if held:
            self._stride_held(held)
        self._finish()

    def _block(self, el: etree._Element, rows: _Rows | None) -> None:
        if rows is None:
            self.paras += 1
            self._read_paragraph(el, None)
        else:
            self.tables += 1
            self._table(rows)

    def _read_paragraph(self, el: etree._Element, info: _Para | None) -> None:
        """A body paragraph (*info* its reading when it was read already), and the tables boxed in it."""
        self._paragraph(el, info)
        for tbl in _boxed_tables(el):
            self.tables += 1
            self._table(_boxed_rows(tbl, self.doc.comments))

    def _peek(self, el: etree._Element) -> _Para:
        """The paragraph's reading, counted nowhere (the walk that reads it counts it)."""
        saved = self.totals
        self.totals = Stats()
        try:
            return self._para_info(el)
        finally:
            self.totals = saved

    def _stride_name(self, text: str) -> bool:
        """A heading that names a STRIDE category, as the Markdown reader takes one (``heading_stride``)."""
        line = one_line(clean_text(text))
        return bool(line) and stride_default(self.vocab, self.strip_number(line)[0]) is not None  # its heading_stride

    def md_reader(self) -> _WordRiskReader:
        if self._md is None:
            self._md = _WordRiskReader(self.b, self.vocab)
        return self._md

    def _stride_held(self, held: list[tuple[etree._Element, _Rows | None, _Para | None, bool]]) -> None:
        """A STRIDE heading's section, held until it ended. Written in a shape the Word walk loses (a labelled
        threat paragraph over labelled bullets, "**Threat:** Session hijacking" over "- **Mitigation:** …"; threat
        bullets with their fields nested under them) and holding no table, picture, comment, hidden text or marking,
        it is read by the Markdown reader as the same text in Markdown is; otherwise each block is walked as usual."""
        tree = self._held_tree(held) if self._may_be_md_shaped(held) else None
        if tree is None or not self._md_shaped(tree):
            for got in held:
                self._replay_held(got)
            return
        outer = tuple(s.text for s in self.stack if s.level < tree.level)
        for el, _rows, info, counted in held:
            self.paras += 1
            if info is not None and info.heading is not None and clean_text(info.text).strip():
                self._paragraph(el, info if counted else None)  # the walk's sections and views follow the headings
            elif not counted and info is not None:
                self.totals.add(info.stats)  # counted (tracked changes) as the walk counts every paragraph
        self.lists.boundary()
        self.md_reader().section(tree, _Ctx(headings=outer))

    def _replay_held(self, got: tuple[etree._Element, _Rows | None, _Para | None, bool]) -> None:
        """One held block walked as usual (the heading that opened the hold with the reading it was counted by; any
        other paragraph read afresh, as its reading may depend on the headings read before it)."""
        el, rows, info, counted = got
        if counted:
            self.paras += 1
            self._read_paragraph(el, info)
        elif rows is None and info is not None and info.heading is None:
            # a body paragraph: its reading does not depend on the headings (only a heading's level may), so the one
            # taken while it was held is its reading, numbered and counted here
            self.paras += 1
            self.totals.add(info.stats)
            self._read_paragraph(el, replace(info, index=self.paras))
        else:
            self._block(el, rows)

    def _held_tree(self, held: list[tuple[etree._Element, _Rows | None, _Para | None, bool]]) -> Section | None:
        """The held section as the Markdown reader's blocks (lists nested by their level), paragraphs numbered as
        the walk numbers them; None when it holds what only the Word walk reads (a table, a picture, a comment,
        hidden text, a text box, a marking)."""
        root = Section(0, "", 0)
        stack = [root]
        n = self.paras
        for el, rows, info, _counted in held:
            if rows is not None or info is None or _boxed_tables(el):
                return None
            n += 1
            st = info.stats
            if st.hidden or st.images or st.comments or st.textboxes or info.caption:
                return None
            text = clean_text(info.text)
            if not text.strip():
                continue
            if self.withheld_marking(text) is not None:
                return None
            if info.heading is not None:
                level = max(info.heading, 1)
                while len(stack) > 1 and stack[-1].level >= level:
                    stack.pop()
                sec = Section(level, one_line(text), n)
                stack[-1].children.append(sec)
                stack.append(sec)
                continue
            bold = _bold_lead(el)
            inline = Inline(text, bold or None, text[len(bold) :] if bold and text.startswith(bold) else "")
            here = stack[-1].blocks
            if not info.is_list:
                here.append(Para(inline, n))
                continue
            item = ListItem([inline], n)
            target: MdList | None = here[-1] if here and isinstance(here[-1], MdList) else None
            depth = 0
            while target is not None and depth < info.level and target.items:
                last = target.items[-1]
                if not last.children:
                    last.children.append(MdList(False, [], n))
                target = last.children[-1]
                depth += 1
            if target is None:
                here.append(MdList(False, [item], n))
            else:
                target.items.append(item)
        return root.children[0] if len(root.children) == 1 and not root.blocks else None

    @staticmethod
    def _may_be_md_shaped(held: list[tuple[etree._Element, _Rows | None, _Para | None, bool]]) -> bool:
        """A first look at a held section, on what was read of it already: a paragraph "Label: text" right over a list
        item, or a nested list item. Without either, none of the shapes :meth:`_md_shaped` looks for is there."""
        infos = [info for _el, _rows, info, _counted in held]
        for a, b in zip(infos, infos[1:], strict=False):
            if a is not None and b is not None and not a.is_list and a.heading is None and b.is_list:
                _head, sep, tail = one_line(a.text).partition(":")
                if sep and tail.strip():
                    return True
        return any(i is not None and i.is_list and i.level > 0 for i in infos)

    def _md_shaped(self, tree: Section) -> bool:
        """Whether a held STRIDE section is written in one of the shapes only the Markdown reading reads: a
        paragraph opened by a threat's label with its text ("Threat: Session hijacking") right over a list whose
        items are labelled; or a list whose items hold nested items that are labelled ("**T-S-001**: title" over
        "**Risk**: High", "**Mitigation**: …")."""
        reader = self.md_reader()
        for sec in self._held_sections(tree):
            blocks = sec.blocks
            for i, blk in enumerate(blocks):
                if isinstance(blk, Para) and i + 1 < len(blocks) and isinstance(blocks[i + 1], MdList):
                    got = reader.para_label(blk.inline)
                    nxt = blocks[i + 1]
                    assert isinstance(nxt, MdList)
                    if got is not None and got[0] == "description" and got[1] and all(reader.item_label(it)[0] for it in nxt.items):
                        return True
                if isinstance(blk, MdList) and any(
                    it.children and all(reader.item_label(c)[0] for lst in it.children for c in lst.items) for it in blk.items
                ):
                    return True
        return False

    @staticmethod
    def _held_sections(tree: Section) -> list[Section]:
        out = [tree]
        for child in tree.children:
            out.extend(_Walker._held_sections(child))
        return out

    def _one_risk(self) -> bool:
        """A document that is one risk ("Risk Analysis: Unauthorized access to patient data" as its first heading,
        "Factor | Rating" tables, its controls as headings under "Risk Controls"): read by the Markdown importer's
        reading of such a file (:meth:`mdptm.importers.markdown.reader.BlockReader.one_risk_file`), its paragraphs,
        lists and tables taken as that reading's blocks. True when the document was read so."""
        saved = self.totals
        self.totals = Stats()  # the look ahead counts nothing: the walk that reads the document does
        try:
            for el, rows in self.doc.blocks():
                if rows is not None:
                    continue
                info = self._para_info(el)
                if info.heading is None or not info.text.strip():
                    continue
                if not ONE_RISK.match(self.strip_number(one_line(info.text))[0]):
                    return False
                break
            else:
                return False
            root = Section(0, "", 1)
            stack = [root]
            paras = tables = 0
            for el, rows in self.doc.blocks():
                if rows is not None:
                    tables += 1
                    grid = rows.grid(tables, self.b.file)
                    stack[-1].blocks.append(MdTable([list(r) for r in grid.cells], paras, paras))
                    continue
                paras += 1
                self.paras = paras - 1
                info = self._para_info(el)
                text = clean_text(info.text)
                if info.heading is not None and text:
                    level = max(info.heading, 1)
                    while stack[-1].level >= level:
                        stack.pop()
                    sec = Section(level, one_line(text), paras)
                    stack[-1].children.append(sec)
                    stack.append(sec)
                    continue
                if not text:
                    continue
                bold = _bold_lead(el)
                inline = Inline(text, bold, text[len(bold) :] if bold and text.startswith(bold) else "")
                here = stack[-1].blocks
                if info.is_list:
                    if here and isinstance(here[-1], MdList):
                        here[-1].items.append(ListItem([inline], paras))
                    else:
                        here.append(MdList(False, [ListItem([inline], paras)], paras))
                elif stack[-1] is root and _META.match(text):
                    here.append(Other("front matter", paras, paras, text))  # "id: RISK-SEC-001\ntitle: …" over the title
                else:
                    here.append(Para(inline, paras))
        finally:
            self.totals = saved
        reader = _WordRiskReader(self.b, self.vocab)
        first = next((sec for sec in root.children if sec.level == 1 and sec.title), None)
        one = reader.one_risk(root, first)
        if one is None:
            self.paras = 0
            return False
        if first is not None:
            self.b.add_fact("document.title", first.title, reader.loc(first.line, "title"))
        reader.one_risk_file(root, *one)
        reader.finish()
        self.paras, self.tables = paras, tables
        return True

    def _para_info(self, p: etree._Element) -> _Para:
        text, stats = paragraph_text(p)
        self.totals.add(stats)
        ppr = p.find(_w("pPr"))
        sid = None
        outline = None
        numbered = False
        level = 0
        if ppr is not None:
            ps = ppr.find(_w("pStyle"))
            sid = ps.get(_w("val")) if ps is not None else None
            ol = ppr.find(_w("outlineLvl"))
            if ol is not None:
                outline = _int_attr(ol, cap=9)
            num = ppr.find(_w("numPr"))
            if num is not None:
                nid = num.find(_w("numId"))
                numbered = nid is None or nid.get(_w("val")) != "0"
                lvl = num.find(_w("ilvl"))
                level = (_int_attr(lvl, cap=9) or 0) if lvl is not None else 0
        chain = self.doc.style_chain(sid)
        names = [s.name.lower() for s in chain] or [(sid or "").lower()]
        heading: int | None = None
        for n in names:
            m = re.match(r"^heading\s*(\d)", n)
            if m:
                heading = int(m.group(1))
                break
            if n in ("title",):
                heading = 0
                break
        if heading is None:
            if outline is None:
                outline = next((s.outline for s in chain if s.outline is not None), None)
            if outline is not None and outline < 9:
                heading = outline + 1
        style_name = names[0] if names else ""
        if style_name.startswith(("toc", "table of figures")) or _TOC_LINE.search(text):
            return _Para(self.paras, text, style_name, None, False, False, stats)
        is_list = heading is None and (numbered or any(s.numbered for s in chain) or any(n.startswith("list") for n in names))
        caption = "caption" in style_name
        text = text.replace("\t", " ")
        if heading is None and not is_list and not caption:
            heading = self._pseudo_heading(p, text)
        if is_list and not level:
            m = re.search(r"\s(\d)$", style_name)  # "List Bullet 2"
            level = int(m.group(1)) - 1 if m and style_name.startswith("list") else 0
        return _Para(self.paras, text, style_name, heading, is_list, caption, stats, level)

    def _term_sibling(self, text: str, before: tuple[int, int, int], loc: str) -> RowRecord | None:
        """ "Denial-of-Service: Rate-Limiting und Verbindungsgrenzen" right after "Man-in-the-Middle: Schutz durch …"
        in the same list: a threat titled by its term, as its siblings are (and as Markdown reads the list), of the
        STRIDE category the term names; never that category over a threat titled by the words after it."""
        lead = _LEAD.match(one_line(text))
        if self.term_led != before or lead is None or len(lead.group(1).split()) > 8:
            return None
        stride = self.lists.stride_of(lead.group(1))
        if stride is None:
            return None
        values = {"title": lead.group(1).strip(), "description": lead.group(2).strip(), "stride": stride.replace("_", " ")}
        headers = {"title": "list item", "description": "list item", "stride": "list item"}
        return RowRecord(kind="threat", file=self.b.file, locator=loc, values=values, headers=headers, extra={})

    def _stopped_label(self, p: etree._Element, text: str) -> str:
        """ "**Mitigation.** Pinned dependencies …": a bold label closed by a full stop, read as "Mitigation: …"."""
        bold = _bold_lead(p)
        label = bold[:-1].strip()
        if not bold.endswith(".") or not 2 <= len(label) <= 40 or not text.startswith(bold) or not text[len(bold) :].strip():
            return text
        return f"{label}: {text[len(bold) :].strip()}" if self.forms.is_label(label) else text

    def _pseudo_heading(self, p: etree._Element, text: str) -> int | None:
        """A short numbered bold line ("3.1 Global System View") written without a heading style."""
        t = one_line(text)
        if not t or len(t) > 90 or t.endswith((".", ":", ";", ",")):
            return None
        if _CAPTION.match(t) or _TABLE_CAPTION.match(t):
            return None  # "Figure 1: Global System View" in bold captions a diagram; it opens no view
        rest, depth = self.strip_number(t)
        runs = [r for r in p.iter(_w("r")) if (r.findtext(_w("t")) or "").strip()]
        bold = bool(runs) and all(r.find(f"{_w('rPr')}/{_w('b')}") is not None for r in runs)
        if depth is not None and bold and rest:
            return depth
        if len(rest.split()) <= 8 and self.view_kind(rest) and (bold or depth is not None):
            return depth or (self.stack[-1].level + 1 if self.stack else 2)
        lead = _bold_lead(p) if not bold and RISK_LEAD.match(t) is not None else ""
        id_bold = bool(lead) and BlockReader.bold_risk_line(Inline(t, lead, t[len(lead) :] if t.startswith(lead) else "")) == t
        if (bold or id_bold) and RISK_LEAD.match(t):
            # "Hazard H001: False Negative Results" in bold on a line of its own (or only "Hazard H001" in bold): that
            # risk's heading, its fields below (the next such line its sibling, never a heading under it)
            if self.stack and RISK_LEAD.match(self.stack[-1].text):
                return self.stack[-1].level
            return self.stack[-1].level + 1 if self.stack else 2
        return None

    def _paragraph(self, p: etree._Element, info: _Para | None = None) -> None:
        info = info or self._para_info(p)
        text = clean_text(info.text)
        if info.heading is None and not info.is_list:
            if is_navigation(text.strip()):
                return  # "Back to top ↑" after a threat's fields: none of them (as in Markdown)
            text = self._stopped_label(p, text)
        loc = f"paragraph {info.index}"
        if text.strip() and not (len(text) < 80 and _CONTINUED.search(text)):
            self.threat_head = None  # "Table 4 (continued)" between the parts keeps them one table
        if info.heading is not None:
            self._say_unread()
            if info.heading == 0:
                if text and self.title is None:
                    self.title = one_line(text)
                    self.b.add_fact("document.title", self.title, loc)
                return
            if text:
                self._heading(info.heading, one_line(text), loc)
                self.titled_control = None
                self.lists.heading(info.heading, self.strip_number(one_line(text))[0])
                raw = one_line(text)  # "T-01: Spoofed server" keeps its id; "3.2.1 Spoofed server" loses its number
                lettered = _LETTER_NUMBER.match(raw)  # "A. Auth Bypass" loses its letter, as in Markdown
                view_here = self._current_view()
                self.forms.heading(
                    raw[lettered.end() :].strip() if lettered else raw if re.match(r"^\s*[A-Za-z\[(]", raw) else self.strip_number(raw)[0],
                    loc,
                    view_here.id if view_here else None,
                    level=info.heading,
                )
                self._replay()
            return
        if info.stats.hidden:
            self.b.warn(loc, f"hidden text left out of the paragraph ({_hidden_words(info.stats.hidden_why)})")
        for box in info.stats.textboxes:
            self.b.warn(loc, _textbox_warning(box))
        self._comments(info, loc)
        for rid, alt in info.stats.images:
            self._image(rid, alt, loc)
        if not text:
            return
        entry = self._current()
        if entry is not None and entry.kind == "out_of_scope_entry" and info.is_list and entry.excluded is None:
            entry.kind = "out_of_scope"  # "### Network" over a list of what is left out: those are the entries
        elif entry is not None and entry.kind == "out_of_scope_entry" and not info.is_list:
            why = one_line(text)
            if entry.excluded is None:
                self.oos_n += 1
                entry.excluded = OutOfScope(id=f"OOS-{self.oos_n}", text=one_line(entry.text))
                self.b.add_item("out_of_scope", entry.excluded, loc)
                self.b.report.imported(self.b.file, loc, entry.excluded.id)
            entry.excluded.rationale = f"{entry.excluded.rationale}\n\n{why}" if entry.excluded.rationale else why
            return
        if self.prose is not None:
            if not info.is_list:
                self.b.report.skipped(self.b.file, *self.prose)
            self.prose = None  # a list right after it: it was the list's lead-in
        sec = self._current()
        if sec is not None and len(text) <= 80 and not info.is_list:  # a bullet "Confidential" names a class of data
            level = self.withheld_marking(text, whole_only=True)
            if level is not None:  # "CONFIDENTIAL" on a line of its own: the rest of the section is set apart
                sec.marking = (level, one_line(text))
                self.b.warn(loc, f"{one_line(text)!r} marks the rest of section {sec.text!r} {level}: its items are not published")
                return
        if sec is not None and sec.marking is not None:
            self.marked[loc] = sec.marking
        pending = self.pending_diagram
        if (info.caption or _CAPTION.match(text)) and pending is not None and pending.diagram is not None:
            if not pending.diagram.caption or info.caption:
                pending.diagram.caption = one_line(text)
            self.pending_diagram = None
            self.last_text = text
            return
        self.pending_diagram = None if not info.stats.images else self.pending_diagram
        self.last_text = text
        view_now = self._current_view()
        found = finding_record(text, self.b.file, loc, self.vocab, self.b.warn) if not info.is_list and "\n" in text else []
        if found:
            # "THREAT-1  (T5 — …)" over "Asset: …" / "Threat: …" / "Mitigation: …" lines: a finding, as in Markdown
            self.lists.boundary()
            self.b.records.extend(found)
            return
        taken = self.forms.line(text, loc, view_now.id if view_now else None)
        self._replay()
        if taken:
            return
        listed, self.label_list = self.label_list, None
        if listed == "legend" and self.b.add_legend_line(text, loc):
            self.label_list = listed  # "✅ Implemented and Verified" under "Legend:": a status mark's meaning
            self.b.report.skipped(self.b.file, loc, "legend of a status mark: read, not an item")
            return
        if info.is_list and listed is not None and listed != "legend":
            self.label_list = listed
            if listed in ("assumptions", "out_of_scope"):
                self._list_item(listed, text, loc)
                return
            if self._named_item(listed, text, loc):
                return
        if not info.is_list and self._label_list(text):
            return
        here = self._current()
        if info.is_list and here is not None and here.kind in ("assumptions", "out_of_scope"):
            self.lists.boundary()
            self._list_item(here.kind, text, loc)  # "Out of Scope" over "Denial of Service (DoS) attacks …": never threats
            return
        if info.is_list and view_now is None and self._arrow_item(text, loc):
            return
        led = id_led_threat(text, here.text, self.b.file, loc) if info.is_list and here is not None else None
        if led is None and info.is_list and here is not None:
            led = self._term_sibling(text, (id(here), info.level, self.paras - 1), loc)
        if led is not None and info.is_list and here is not None:
            self.term_led = (id(here), info.level, self.paras)
        if led is not None:
            # "T-3-04 (Admin suspends another admin): Mitigated by …" under "Threat Model Mitigations": that threat
            self.lists.boundary()
            self.b.records.append(led)
            return
        if not info.is_list:
            self.titled_control = None  # prose ends the parts of a titled measure
        if info.is_list:
            if self.lists.item(text, info.level, loc, view_now.id if view_now else None):
                self._took_held()
                return
        elif self.lists.paragraph(text):
            return
        if self._kv_paragraph(text, loc):
            return
        sec = self._current()
        if sec is None:
            self._unread_text(info, text, loc, None)
            return
        if sec.kind == "controls" and not info.is_list:
            named = THREAT_REF_LEAD.match(one_line(text))
            self.measures_of = (named.group(1), one_line(text)) if named is not None else None
        if sec.kind in ("assumptions", "out_of_scope", "controls") and (info.is_list or self._id_line(text)):
            self._list_item(sec.kind, text, loc, info.level if info.is_list else -1)
            return
        if sec.kind in ("assets", "elements", "interfaces") and info.is_list and self._named_item(sec.kind, text, loc, _bold_lead(p)):
            return
        view = self._current_view()
        if view is not None:
            if info.is_list:
                view.steps.append(_LIST_PREFIX.sub("", one_line(text)))
            else:
                self.view_paras.setdefault(view.id, []).append(text)
            return
        if sec.kind in ("intended_use", "product_description"):
            self.facts_from_sections.setdefault(sec.kind, []).append(text)
            return
        self._unread_text(info, text, loc, sec)

    def _unread_text(self, info: _Para, text: str, loc: str, sec: _Section | None) -> None:
        """A paragraph nothing read. List items are reported as skipped, a run of them on one line (as Markdown
        reports a list it does not read); prose is reported only where it could be a measure: under a heading of
        measures, a sentence that is no lead-in to what follows (a list or a table after it) nor a template slot."""
        heading = sec.text if sec is not None else None
        if info.is_list:
            run = self.unread
            if run is not None and run[1] == info.index - 1 and run[3] == heading:
                self.unread = (run[0], info.index, run[2] + 1, heading)
                return
            self._say_unread()
            self.unread = (info.index, info.index, 1, heading)
            return
        self._say_unread()
        line = one_line(text)
        if sec is None or line.endswith(":") or len(line.split()) < 3 or line.startswith("<"):
            return  # a lead-in, a label, a template's "<Describe …>" slot
        if sec.kind == "controls" or self.lists.mode() == "control":
            # a sentence under a heading of threats is most often their introduction (or a diagram's source): only a
            # measure written as prose is said
            self.prose = (loc, f"paragraph under {sec.text[:60]!r} (a heading of measures) read as prose, not as a record")

    def _took_held(self) -> None:
        """The list reader made a threat of a held title ("4.1.1. Buffer Overflows:") and the items under it: they
        are no longer unread."""
        took, self.lists.took_held = self.lists.took_held, None
        m = re.fullmatch(r"paragraph (\d+)", took or "")
        run = self.unread
        if m is None or run is None:
            return
        first, last, n, heading = run
        start = int(m.group(1))
        if not first <= start <= last:
            return
        self.unread = (first, start - 1, start - first, heading) if start > first else None

    def _say_unread(self) -> None:
        if self.prose is not None:
            self.b.report.skipped(self.b.file, *self.prose)
            self.prose = None
        run, self.unread = self.unread, None
        if run is None:
            return
        first, last, n, heading = run
        where = f"under {heading[:60]!r}" if heading is not None else "before any heading"
        span = f"paragraph {first}" if first == last else f"paragraphs {first}-{last}"
        why = f"{n} list item(s) ({span}) {where}: not read as threats, measures or other records"
        self.b.report.skipped(self.b.file, f"paragraph {first}", why)

    def _comments(self, info: _Para, loc: str) -> None:
        texts = [self.doc.comments.get(c, "") for c in info.stats.comments]
        texts = [t for t in texts if t]
        if not texts:
            return
        view = self._current_view()
        if view is not None:
            note = "\n".join(f"Comment: {t}" for t in texts)
            view.notes = f"{view.notes}\n{note}" if view.notes else note
        else:
            for t in texts:
                self.b.warn(loc, f"comment kept in this report only (not in the model): {one_line(t)[:120]!r}")

    def _arrow_item(self, text: str, loc: str) -> bool:
        """A bullet naming two ends with an arrow before its colon ("Client → Web Application: HTTPS/TLS",
        "App Server <-> Database: high trust"): a data flow between them, described by the words after it."""
        m = _ARROW_ITEM.match(one_line(text))
        if m is None or any(len(m.group(k).split()) > 5 for k in ("a", "b")):
            return False
        if any(m.group(k).count("(") != m.group(k).count(")") for k in ("a", "b")):
            return False  # "Frontend → API (Authorization: Bearer JWT)": the colon is inside the bracket, no flow's
        values = {"name": f"{m.group('a')} {m.group('arrow')} {m.group('b')}", "source": m.group("a"), "target": m.group("b")}
        if m.group("rest").strip():
            values["description"] = m.group("rest").strip()
        self.b.records.append(
            RowRecord(kind="flow", file=self.b.file, locator=loc, values=values, headers={k: k for k in values}, extra={})
        )
        if not self._arrows_said:
            self._arrows_said = True
            self.b.warn(loc, "bullets naming two ends with an arrow ('A → B: …') read as data flows")
        return True

    def _label_list(self, text: str) -> bool:
        """A paragraph that is only a short label naming a kind of list ("Assets:", "System Components:"): the
        bullets right below it are read as under a heading of that name."""
        t = one_line(text)
        if not t.endswith(":") or len(t.split()) > 4:
            return False
        if norm_text(t.rstrip(": ")) in ("legend", "status legend", "key", "status key"):
            self.label_list = "legend"  # the lines below give status marks their meanings
            return True
        kind = self.section_kind(t.rstrip(": "))
        if kind not in ("assets", "elements", "interfaces", "assumptions", "out_of_scope"):
            return False
        self.label_list = kind
        return True

    def _id_line(self, text: str) -> bool:
        return bool(_ID_PREFIX.match(text))

    def _kv_paragraph(self, text: str, loc: str) -> bool:
        if "\n" in text or len(text) > 300 or ":" not in text:
            return False
        key, _, value = text.partition(":")
        if len(key) > 40 or not value.strip():
            return False
        path = fact_key(self.vocab, key)
        if path is None or path == "ignore":
            return False
        self.b.add_fact(path, value.strip(), loc)
        self.b.report.imported(self.b.file, loc, path.split(".")[0])
        return True

    def link_measures(self, model: Model) -> None:
        """The measures listed under a line naming a threat ("Threat #1 – …") are that threat's, when the file
        reads a threat of that id (warned once per line); under an id no threat has, they stay unlinked."""
        threats = {t.id: t for t in model.threats}
        controls = {c.id for c in model.controls}
        said: dict[tuple[str, str], tuple[str, int]] = {}
        for cid, tid, line, loc in self.measure_links:
            threat = threats.get(tid)
            if threat is None or cid not in controls:
                continue
            if cid not in threat.controls:
                threat.controls.append(cid)
            where, n = said.get((tid, line), (loc, 0))
            said[(tid, line)] = (where, n + 1)
        for (tid, line), (where, n) in said.items():
            self.b.warn(where, f"{n} control(s) listed under {line[:60]!r} read as the controls of {tid}")

    def _list_item(self, kind: str, text: str, loc: str, level: int = -1) -> None:
        """One assumption, out-of-scope entry or control per item (*level* the list level, -1 for no list item)."""
        m = _ID_PREFIX.match(text)
        item_id, body = (m.group(1), m.group(2)) if m else (None, text)
        body = clean_text(_LIST_PREFIX.sub("", body))
        titled, self.titled_control = self.titled_control, None
        if kind == "controls" and titled is not None and level > titled[1]:
            # "Action: Run it as a dedicated user." under "4.3.5. Least Privilege:": a part of that measure
            ctl = titled[0]
            ctl.description = "\n".join(x for x in (ctl.description, one_line(body)) if x)
            self.titled_control = titled
            self.b.report.merged(self.b.file, loc, ctl.id)
            return
        over_parts = _TITLE_OVER_PARTS.match(one_line(body)) if kind == "controls" and level >= 0 else None
        if over_parts is not None:
            body = over_parts.group(1)  # "4.3.1. Memory Safety Tools:" over its Action and Rationale items
        if kind == "assumptions":
            self.assumption_n += 1
            iid = item_id or f"AS-{self.assumption_n}"
            a = Assumption(id=iid, text=body)
            self.b.add_item("assumption", a, loc)
        elif kind == "controls":
            # "SC-1: Plans are signed ..." under a Security Controls heading: one control per list item.
            self.control_n += 1
            iid = item_id or f"C-{self.control_n}"
            mark = status_mark(self.vocab, body)  # "✅ Memory zeroization", "[ ] Root detection": its status
            if mark is not None:
                body = mark[0]
            title = one_line(body) if len(one_line(body)) <= 100 else first_sentence(body)
            c = Control(
                id=iid, title=title, description=body if title != one_line(body) else "", status_stated=False, responsibility_stated=False
            )
            guess = parse_choice(self.vocab, "control_category", title).value
            if guess and guess != "other":
                c.category = guess  # type: ignore[assignment]
            note = deferred_by_note(self.vocab, one_line(body))
            here = self._current()
            said = mitigation_status(self.vocab, here.text.rstrip(": ")) if here is not None else None
            if mark is not None:
                c.status, c.status_stated = mark[1], True  # type: ignore[assignment]
            elif said is not None and note is None:
                c.status, c.status_stated = said, True  # type: ignore[assignment]  # under "Controls Implemented:"
            elif note is not None:
                # "Secure enclave for keys (Future Scope)": the author says it is not in place yet, as Markdown reads it
                c.status, c.status_stated = "planned", True
                self.b.warn(loc, f"control {iid}: {note!r} read as planned, not in place")
            self.b.add_item("control", c, loc)
            if over_parts is not None:
                self.titled_control = (c, level)
            if self.measures_of is not None:
                self.measure_links.append((iid, *self.measures_of, loc))
        else:
            self.oos_n += 1
            iid = item_id or f"OOS-{self.oos_n}"
            text_part, _, why = body.partition(" – ")
            o = OutOfScope(id=iid, text=text_part.strip() or body, rationale=why.strip() or None)
            self.b.add_item("out_of_scope", o, loc)
        self.b.report.imported(self.b.file, loc, iid)

    def _named_item(self, kind: str, text: str, loc: str, bold: str = "") -> bool:
        """A bulleted "Name – description" under an Assets, Components or Entry Points heading is one item."""
        m = _ID_PREFIX.match(text)
        item_id, body = (m.group(1), m.group(2)) if m else (None, text)
        body = clean_text(_LIST_PREFIX.sub("", body))
        parts = re.split(r"\s+[–—-]\s+|:\s+", body, maxsplit=1)
        lead, name_b = bold.strip(), one_line(bold).strip(" .:*")
        after = body[len(lead) :].strip(" .:–—-") if lead and body.startswith(lead) else ""
        closed = lead.endswith((".", ":")) or body[len(lead) :].lstrip().startswith((".", ":", "–", "—", "- "))
        if m is None and closed and after and name_b and len(name_b.split()) <= 8:
            # "**The findings register.** Every unpatched flaw …": the bold name, then what it is (as in Markdown)
            parts = [name_b, after]
        gloss = _GLOSS.search(body) if kind == "assets" and len(parts) == 1 else None
        if gloss is not None and gloss.start() > 0 and len(gloss.group(1).split()) > 1:
            # "PHI (health data on the device)": name, description ("Protected Health Information (PHI)" stays)
            parts = [body[: gloss.start()], gloss.group(1)]
        name = one_line(parts[0]).rstrip(".")
        if not name or len(name.split()) > 8:
            return False
        description = clean_text(parts[1]) if len(parts) > 1 else ""
        table = "asset_kind" if kind == "assets" else "element_kind"
        guess = kind_from_name(self.vocab, table, name)
        key = "asset" if kind == "assets" else "element"
        self.named_n[key] = self.named_n.get(key, 0) + 1
        iid = item_id or slug(name, 48, "item")
        data: dict[str, object] = {"id": iid, "name": name, "description": description}
        if guess:
            data["kind"] = guess
        if kind == "interfaces":
            data["tags"] = ["interface"]  # an entry point: one interface, not a flow with two ends
        item = (Asset if kind == "assets" else Element).model_validate(data)
        self.b.add_item(key, item, loc)
        self.b.report.imported(self.b.file, loc, iid)
        return True

    def _image(self, rid: str, alt: str, loc: str) -> None:
        view = self._current_view()
        rel = self.doc.rels.get(rid)
        if rel is None:
            return
        target = rel[1]
        path = f"{self.b.file}#{target}"
        if view is None:
            return
        if view.diagram is None:
            view.diagram = Diagram(path=path, caption=one_line(alt) or None)
            self.pending_diagram = view
        else:
            more = view.extra.setdefault("more diagrams", [])
            if isinstance(more, list) and path not in more:
                more.append(path)

    # -- sections

    def _current(self) -> _Section | None:
        return self.stack[-1] if self.stack else None

    def _current_view(self, *, own_only: bool = False) -> View | None:
        """The view the text belongs to; ``own_only`` ignores a use-case container's stand-in view."""
        for sec in reversed(self.stack):
            if sec.view is not None and not (own_only and sec.kind == "container"):
                return sec.view
        return None

    def _heading(self, level: int, text: str, loc: str) -> None:
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        self.measures_of = None
        numbered = re.match(r"^\s*(\d+(?:\.\d+)*)[.)]?\s", text)
        self._heading_number = numbered.group(1) if numbered else ""
        self.pending_diagram = None
        name, _depth = self.strip_number(text)
        own = self.withheld_marking(text)
        if own is not None:
            self.b.warn(loc, f"heading {name!r} marks its section {own}: the items under it are not published")
            self.marked[loc] = (own, name)  # and the item whose heading it is ("T-3 Console replay (Confidential)")
        self._pending_mark = (own, name) if own is not None else self.marking()
        try:
            self._section(level, name, loc)
        finally:
            if self.stack:
                self.stack[-1].marking = self._pending_mark
            self._pending_mark = None

    def _section(self, level: int, name: str, loc: str) -> None:
        parent = self._current()
        in_container = any(s.kind == "container" for s in self.stack)
        in_view = self._current_view(own_only=True) is not None
        vkind = self.view_kind(name)
        if self.is_container(name) and not re.search(r"[:–—]\s*\S", name):
            # "Security Use Case Views": the headings below are the use cases. Until one comes, the
            # container stands for a single use case, so that text written straight under it is kept.
            stand_in = self._new_view("security_use_case", name, loc)
            self.stack.append(_Section(level, name, "container", stand_in))
            return
        if vkind is not None and not (in_view and vkind == "security_use_case" and self.is_subsection(name)):
            self._drop_stand_in()
            view = self._new_view(vkind, name, loc)
            self.stack.append(_Section(level, name, "view", view))
            return
        if in_container and not in_view and parent is not None and not self.is_subsection(name) and not self.lists.is_category(name):
            self._drop_stand_in()
            view = self._new_view("security_use_case", name, loc)
            self.stack.append(_Section(level, name, "view", view))
            return
        kind = self.section_kind(name)
        number = self._heading_number
        if kind == "other" and parent is not None and parent.kind == "out_of_scope" and heading_threat_id(name) is None:
            # "### Safe Mode" under "## Out-of-Scope Bypass Paths": one excluded path, named by its heading; the
            # paragraphs under it say why (as Markdown reads it), never document facts ("Status: accepted.")
            # (made at its first paragraph: a list under the heading lists the entries instead, as in Markdown)
            self.stack.append(_Section(level, name, "out_of_scope_entry", number=number))
            return
        if kind == "other" and parent is not None and parent.kind == "controls" and _within(number, parent.number):
            # "Critical (Avg ≥ 7.5)", "Moderate" under "Mitigation Strategies": groups of the same measures ("5.
            # Cascading Effects" after "4.3 Mitigation Strategies" is another section, not one of them)
            kind = "controls"
        self.stack.append(_Section(level, name, kind, number=number))

    def _drop_stand_in(self) -> None:
        """A use case heading arrived under a container: the container was no use case itself."""
        for sec in self.stack:
            if sec.kind != "container" or sec.view is None:
                continue
            view = sec.view
            sec.view = None
            self.b.views.remove(view)
            self.b.items = [entry for entry in self.b.items if entry[1] is not view]
            self.b.report.records = [r for r in self.b.report.records if r.item != view.id or r.file != self.b.file]
            self.view_ids.discard(view.id)
            self.view_paras.pop(view.id, None)

    def _new_view(self, kind: str, heading: str, loc: str) -> View:
        name = heading
        own = re.match(r"^([A-Z]{1,6}[-_]?\d+[a-z]?)\s*[:.\-–—]\s+(\S.*)$", heading)
        if kind == "security_use_case":
            stripped = heading
            for rx in self._patterns("noise", self.sections_cfg["view_name_noise"]):
                stripped = rx.sub(" ", stripped)
            stripped = one_line(stripped.strip(" :–—-"))
            name = stripped or heading
            base = "view-uc-" + slug(name, 48, "item")
        else:
            base = VIEW_IDS[kind]
        if own and own.group(1) not in self.view_ids:
            base, name = own.group(1), one_line(own.group(2))
        iid, n = base, 2
        while iid in self.view_ids:
            iid = f"{base}-{n}"
            n += 1
        self.view_ids.add(iid)
        view = View.model_validate({"id": iid, "kind": kind, "name": name})
        if self._pending_mark is not None:
            view.sensitivity = self._pending_mark[0]  # type: ignore[assignment]
        self.b.add_item("view", view, loc)
        self.b.views.append(view)
        self.b.report.imported(self.b.file, loc, iid)
        return view

    # -- tables

    def _frame(self, rows: _Rows) -> bool:
        """A layout table of one column around tables (a frame drawn around a threat register): each table in it is
        read as a table of its own, numbered after the frame; the frame is no table of records. True if so."""
        if not rows.nested or any(len(row) != 1 for row in rows.cells):
            return False
        if len(rows.own) > len(rows.nested) + 1 or sum(len(t) for t in rows.own) > 200:
            return False  # more than a caption of its own: cards of text with tables in them, read as the table they are
        frame = self.tables
        shown = ", ".join(f"table {frame + 1 + k}" for k in range(len(rows.nested)))
        self.b.report.skipped(
            self.b.file, f"table {frame}", f"layout table of one column around {len(rows.nested)} table(s), read as {shown}"
        )
        if rows.own:
            said = one_line(" ".join(rows.own))
            said = said if len(said) <= 100 else said[:100] + "…"
            self.b.warn(f"table {frame}", f"text of the layout table outside its tables not imported ({said!r})")
        for inner in rows.nested:
            self.tables += 1
            self._table(inner)
        return True

    def _table(self, rows: _Rows) -> None:
        if self._frame(rows):
            return
        self.prose = None  # "The table below lists the threats." led into it
        self._say_unread()
        self.lists.flush()
        self.forms.boundary()
        self._replay()
        grid, stats, changed = rows.grid(self.tables, self.b.file), rows.total, rows.changed
        self.totals.add(stats)
        heading = self.stack[-1].text if self.stack else ""
        caption = self.last_text if _TABLE_CAPTION.match(self.last_text or "") else ""
        sec_words = " ".join(s.text for s in self.stack[-2:])
        grid.context = " ".join(x for x in (heading, caption, sec_words) if x)
        grid.heading = " ".join(x for x in (heading, caption) if x)
        view = self._current_view()
        grid.view = view.id if view else None
        mark = self.marking()
        if mark is None and caption:  # "Table 4: Confidential threats", "Table 5 - Debug port (internal use only)"
            level = self.withheld_marking(_TABLE_CAPTION.sub("", caption, count=1))
            if level is not None:
                mark = (level, one_line(caption))
                self.b.warn(f"table {self.tables}", f"caption {one_line(caption)!r} marks its table {level}: its rows are not published")
        if mark is not None:
            self.marked[f"table {self.tables}"] = mark
            grid.defaults["sensitivity"] = mark[0]  # a summary table read at the end takes it too
        stride = stride_default(self.vocab, heading) if heading else None
        if caption and not stride:
            stride = stride_default(self.vocab, caption)  # "Table 4: Spoofing threats"
        if stride:
            grid.defaults["stride"] = stride
        for r, (ins, dels) in changed.items():
            what = []
            if ins:
                what.append(f"{ins} insertion(s) accepted")
            if dels:
                what.append(f"{dels} deletion(s) dropped")
            self.b.warn(grid.locator(r), "tracked changes: " + ", ".join(what))
        for r in sorted(grid.deleted_rows):
            self.b.warn(grid.locator(r), "row deleted in tracked changes: not imported")
        for r, why in sorted(rows.hidden_rows.items()):
            self.b.warn(grid.locator(r), f"hidden text left out of the row ({_hidden_words(why)})")
        for (r, _c), texts in grid.comments.items():
            for t in texts:
                self.b.warn(grid.locator(r), f"comment kept in the item's internal notes: {one_line(t)[:120]!r}")
        sec = self._current()
        if sec is not None and sec.kind in ("assumptions", "out_of_scope") and "assumption" not in grid.context.lower():
            grid.context += " assumptions" if sec.kind == "assumptions" else " out of scope"
        head = self._continued(grid) if self.b.profile is None else 0
        if self.b.profile is None:
            self._pairs_and_continuations(grid, heading)
        if self.b.profile is None and read_stride_matrix(grid, self.vocab, self.b, self.b.file):
            self.b.report.tables_read.append((grid, []))
            self.lists.boundary(threat_table=True)  # "STRIDE Element | Access Controls | …": one threat per cell
            self.last_text = ""
            return
        blocks = self.b.add_grid(grid)
        if head:
            # the header rows lent by the part above are no rows of this table: no record of their own
            lent = f"{grid.name} row 0"
            self.b.report.records = [r for r in self.b.report.records if not (r.file == self.b.file and r.locator == lent)]
        threat = next((block for block in blocks if block.kind == "threat" and block.header_rows), None)
        self.threat_head = None
        if threat is not None and threat.header_rows == list(range(len(threat.header_rows))) and threat.c0 == 0:
            n = len(threat.header_rows)
            merged = {k: v for k, v in grid.merged.items() if k[0] < n}
            self.threat_head = ([list(grid.cells[r]) for r in range(n)], merged, grid.width)
        self.lists.boundary(threat_table=any(block.kind == "threat" for block in blocks))
        self.last_text = ""

    def _continued(self, grid: Grid) -> int:
        """A threat table split by a page break whose header was not repeated: this table, as wide as the threat
        table right above it (only blank lines or a "(continued)" caption between them) and with no header row of its
        own, takes that table's header rows, numbered row 0 (its own rows keep their numbers). How many were lent."""
        if self.threat_head is None or not grid.cells:
            return 0
        cells, merged, width = self.threat_head
        first = grid.cells[0]
        if grid.width != width or width < 3 or not any(c.strip() for c in first) or classify(self.vocab, first) is not None:
            return 0  # two columns are a form ("Threat ID | TP-02"), each table its own record
        if classify(self.vocab, [row[0] for row in grid.cells]) is not None:
            return 0  # its first column names fields: a form laid across, not the rest of a register
        n = len(cells)
        grid.cells[:0] = [list(row) for row in cells]
        grid.row_numbers[:0] = [0] * n
        grid.merged = {**merged, **{(r + n, c): (ar + n, ac) for (r, c), (ar, ac) in grid.merged.items()}}
        grid.comments = {(r + n, c): v for (r, c), v in grid.comments.items()}
        grid.deleted_rows = {r + n for r in grid.deleted_rows}
        said = " | ".join(one_line(c) for c in cells[-1] if c.strip())
        why = "has no header row and follows a threat table as wide: read as its rest, under its header"
        self.b.warn(grid.locator(n), f"{grid.name} {why} ({said})")
        return n

    def _pairs_and_continuations(self, grid: Grid, heading: str) -> None:
        """A threat table's component column, as Markdown reads it: a blank cell under a named one continues it
        (a table written without merged cells); under a Communication heading, a cell naming two components read
        in earlier tables ("Device IoT Hub") is the data flow between them."""
        col = target_column(grid, self.vocab)
        if col is None:
            return
        if col == 0 and (said := continuation_warning(grid, continuation_rows(grid))):
            self.b.warn(*said)
        if flow_context(heading):
            flow_rows(grid, col, self.known_targets, self.b.records, self.b.file, self.b.warn)
        else:
            self.known_targets.update(known_targets(grid, col))

    # -- end

    def _replay(self) -> None:
        """Lines a block of threat fields took in but that made no threat: read as they would have been."""
        lines, self.forms.replay = self.forms.replay, []
        unread = [(text, loc) for text, loc in lines if not self._kv_paragraph(text, loc)]
        if unread:
            # "Description: …" of a component or a tool under its heading: fields that make no threat, said
            first = unread[0][1]
            label = one_line(unread[0][0]).partition(":")[0][:40]
            why = f"{len(unread)} field line(s) from {first} ({label!r} …) make no threat or measure: not read as records"
            self.b.report.skipped(self.b.file, first, why)

    def _finish(self) -> None:
        self._say_unread()
        self.lists.finish()
        self.forms.finish()
        self._replay()
        if self._md is not None:
            self._md.finish()
        self._apply_markings()
        for view in self.b.views:
            paras = self.view_paras.get(view.id, [])
            if paras:
                view.description = "\n\n".join(paras)
        for kind, paras in self.facts_from_sections.items():
            path = "product.intended_use" if kind == "intended_use" else "product.description"
            self.b.add_fact(path, "\n\n".join(paras), f"section {kind.replace('_', ' ')}")
        t = self.totals
        if t.inserted or t.deleted:
            self.b.warn(None, f"tracked changes: {t.inserted} insertion(s) accepted, {t.deleted} deletion(s) dropped")
        if t.hidden:
            why = _hidden_words(t.hidden_why)
            self.b.warn(None, f"{t.hidden} run(s) of hidden text left out ({why}): a reader does not see them, so they are not imported")
        names = {f.path for f in self.b.facts}
        if "product.name" not in names and self.title:
            guess = self.title
            for rx in self._patterns("title_noise", self.sections_cfg["title_noise"]):
                guess = rx.sub(" ", guess)
            guess = one_line(re.sub(r"^[\s\-–—:|,]+|[\s\-–—:|,]+$", "", guess))
            if len(guess) >= 2:
                self.b.add_fact("product.name", guess, "document title")
                self.b.warn("document title", f"product name {guess!r} taken from the document title")

    def _apply_markings(self) -> None:
        """Items read under a marked heading or line that state no sensitivity of their own take its level."""
        if not self.marked:
            return
        for rec in self.b.records:
            m = _PLACE.match(rec.locator)
            mark = self.marked.get(m.group(0)) if m else None
            if mark is None or rec.file != self.b.file:
                continue
            if not (rec.values.get("sensitivity") or "").strip() or rec.headers.get("sensitivity", "").startswith("("):
                rec.values["sensitivity"] = mark[0]
                rec.headers["sensitivity"] = f"heading {mark[1]!r}"
        for _kind, item, loc in self.b.items:
            m = _PLACE.match(loc)
            mark = self.marked.get(m.group(0)) if m else None
            if mark is not None and item.sensitivity == "public":
                item.sensitivity = mark[0]  # type: ignore[assignment]


_HIDDEN_WORDS = {"hidden": "hidden (w:vanish)", "white": "white on an unshaded background", "tiny": "in a font of 2 pt or less"}


def _hidden_words(why: dict[str, int]) -> str:
    return ", ".join(f"{n} run(s) {_HIDDEN_WORDS.get(k, k)}" for k, n in sorted(why.items()))


_PLACE = re.compile(r"^(?:paragraph|table) \d+")


# "id: RISK-SEC-001" over "title: …" before the first heading: the risk file's own record of its id and title
_META = re.compile(r"^\s*id\s*:\s*\S+.*\n\s*title\s*:", re.I)


def _bold_lead(p: etree._Element) -> str:
    """The text of the bold runs that open a paragraph ("Analyzes:" of "Analyzes: HAZ-SEC-001")."""
    out: list[str] = []
    for r in p.iter(_w("r")):
        text = "".join(t.text or "" for t in r.iter(_w("t")))
        if not text:
            continue
        rpr = r.find(_w("rPr"))
        b = rpr.find(_w("b")) if rpr is not None else None
        if b is None or b.get(_w("val")) in ("0", "false"):
            break
        out.append(text)
    return "".join(out).strip()


class _WordRiskReader(BlockReader):
    """The Markdown reading of a risk file, its places named as a Word document's ("paragraph 12")."""

    def loc(self, line: int, what: str = "") -> str:
        return f"paragraph {line}" + (f" ({what})" if what else "")


class DocxImporter(DocxDoor):
    """Word threat models: FDA views from headings, items from tables, facts from cover tables."""

    def load(self, path: Path, ctx: ImportContext) -> Model:
        check_zip(path)
        file = path.name
        vocab = vocabulary()
        profile = load_profile(ctx.profile, vocab, file="profile")
        if profile is not None:
            vocab = profile_vocabulary(vocab, profile)
        builder = SourceBuilder(file, self.name, vocab, ctx.report, profile)
        try:
            with zipfile.ZipFile(path) as zf:
                doc = _Docx(zf, file)
                walker = _Walker(doc, builder, vocab)
                token = _HIDING.set(doc.hiding)
                try:
                    walker.run()
                finally:
                    _HIDING.reset(token)
                ctx.looked_at = f"{walker.paras} paragraphs and {walker.tables} tables"
        except (zipfile.BadZipFile, KeyError) as exc:
            raise InputError(f"corrupt Word document: {exc}", file=file) from None
        model = builder.build()
        walker.lists.link(model, builder.item_of)
        walker.link_measures(model)
        if walker._md is not None:
            walker._md.link_basis(model, builder.item_of)
        return model if ctx.resolved_after else resolve_references(model, ctx.report, final=False)


def read_embedded(spec: str, base: Path) -> bytes:
    """The bytes of a diagram the Word importer recorded as ``FILE.docx#word/media/image1.png``.

    *base* is the folder holding the source document. Raises :class:`InputError` if it is gone.
    """
    file, _, member = spec.partition("#")
    src = base / file
    check_zip(src)
    with zipfile.ZipFile(src) as zf:
        if member not in zf.namelist():
            raise InputError(f"no {member} inside", file=str(src))
        return read_zip_member(zf, member, file=str(src))


__all__ = ["DocxImporter", "read_embedded", "paragraph_text", "table_grid"]
