"""Office files (Word and Excel) written one way, whoever writes them.

Every workbook mdptm writes -- ``ptm.xlsx``, the coverage workbook, the submission workbooks, the
comparison -- goes through :func:`save_workbook`, whether its rows are streamed (:class:`StreamedSheet`,
for registers of thousands of rows) or built as openpyxl cells. Every Office zip -- those workbooks,
each ``.docx`` the renderer writes, an artefact a plug-in exporter writes -- is rewritten by
:func:`rewrite_zip` only: one fixed time, mode and system on every entry, so the same input gives the
same bytes; for publication it also gives neutral document properties and drops what can carry people,
paths or history.

openpyxl is imported only by the functions that write a workbook: writing a Word document does not
load it.
"""

from __future__ import annotations

import posixpath
import re
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from lxml import etree

from mdptm.base.output import DEFAULT_EPOCH, Spool
from mdptm.base.safety import parse_xml, read_zip_member

if TYPE_CHECKING:
    from openpyxl import Workbook


# Characters XML 1.0 cannot carry; model text that holds them is cleaned, never refused.
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@lru_cache(maxsize=1 << 15)  # a register repeats its cell lines ("Affects: Pump", "Before: High"): escape each once
def xml_text(text: str) -> str:
    """Text made safe for an XML text node (a Word ``w:t``, a document title)."""
    return escape(ILLEGAL_XML.sub("", text))


def fixed_entry(name: str, epoch: int = DEFAULT_EPOCH) -> zipfile.ZipInfo:
    """A zip entry that carries nothing of the machine or the moment: fixed time, mode and system."""
    g = time.gmtime(max(epoch, DEFAULT_EPOCH))
    info = zipfile.ZipInfo(name, date_time=(g.tm_year, g.tm_mon, g.tm_mday, g.tm_hour, g.tm_min, g.tm_sec))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 0
    return info


# ------------------------------------------------------------------------------- zip rewriting

_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{title}</dc:title><cp:revision>1</cp:revision>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
    "</cp:coreProperties>"
)
_APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>mdptm</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
    "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
    "</Properties>"
)
# Parts that can carry people, paths or history and have no place in a published document.
_DROP = re.compile(
    r"^(docProps/(custom\.xml|thumbnail\.\w+)|customXml/.*|word/(comments\w*|people|commentsIds|commentsExtended"
    r"|commentsExtensible)\.xml|xl/persons/.*|word/glossary/.*"
    # a macro-enabled template's macros (their code names the maker's shares and people), its key bindings,
    # toolbars and ribbon: a published document carries no code
    r"|(word|xl)/(vbaProject\.bin|vbaData\.xml|_rels/vbaProject\.bin\.rels|keyMapCustomizations\.xml|attachedToolbars\.bin)"
    # objects embedded in a template's header (a workbook, a drawing): documents of their own, with their own
    # author and editing history; the header keeps the picture that shows them
    r"|(word|xl)/embeddings/.*"
    # fonts embedded in a template: a font's name table (UTF-16) names its family, designer and licensee, and a
    # maker's own font may be named after the product's code name; a published document names its fonts only
    r"|word/fonts/.*"
    r"|customUI/.*|_rels/customUI\w*\.xml\.rels)$"
)


def dropped_when_published(name: str) -> bool:
    """Whether a member of this name is left out of a published document (:func:`rewrite_zip` with *publish*)."""
    return bool(_DROP.match(name))


_RSID_ATTR = re.compile(rb'\s(?:w:rsid\w*|w14:paraId|w14:textId)="[^"]*"')
_RSIDS_EL = re.compile(rb"<w:rsids>.*?</w:rsids>|<w:rsids/>", re.S)
# settings a template carries that name its maker's machines: the template it came from, document variables,
# a mail merge's data source and query (a connection string, a path on a file server), attached XML schemas;
# and its editing restriction, whose salted hash of the maker's password can be cracked offline (a published
# document restricts no one's editing anyway)
_SETTINGS_DROP = re.compile(
    rb"<w:attachedTemplate [^>]*/>|<w:trackRevisions(?: [^>]*)?/>|<w:docVars>.*?</w:docVars>|<w:docVars/>"
    rb"|<w:mailMerge>.*?</w:mailMerge>|<w:mailMerge/>|<w:attachedSchema [^>]*/>"
    rb"|<w:(?:documentProtection|writeProtection)(?: [^>]*)?/>|<w:(?:embedTrueTypeFonts|embedSystemFonts|saveSubsetFonts)(?: [^>]*)?/>",
    re.S,
)

_FONT_EMBED = re.compile(rb"<w:embed(?:Regular|Bold|Italic|BoldItalic) [^>]*/>")

# Rewrites one member on the way (splices in content written as text); may return it in pieces.
Edit = Callable[[str, bytes], bytes | Iterable[bytes]]


def _stamp(epoch: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(max(epoch, DEFAULT_EPOCH)))


def _rels_source_dir(rels_name: str) -> str:
    # word/_rels/document.xml.rels -> word ; _rels/.rels -> ""
    return posixpath.dirname(posixpath.dirname(rels_name))


def _drop_relationships(rels_name: str, data: bytes, dropped: set[str]) -> bytes:
    root = parse_xml(data, file="office package", part=rels_name)
    base = _rels_source_dir(rels_name)
    changed = False
    for rel in list(root):
        if rel.get("TargetMode") == "External":  # a template's file:///C:/Users/<name>/..., a tracking link
            root.remove(rel)
            changed = True
            continue
        target = rel.get("Target") or ""
        resolved = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(base, target))
        if resolved in dropped:
            root.remove(rel)
            changed = True
    if not changed:
        return data
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _drop_content_types(data: bytes, dropped: set[str]) -> bytes:
    root = parse_xml(data, file="office package", part="[Content_Types].xml")
    for node in list(root):
        part = (node.get("PartName") or "").lstrip("/")
        if part and part in dropped:
            root.remove(node)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _published(name: str, data: bytes, dropped: set[str], title: str, epoch: int) -> bytes:
    """One member as a published document may carry it."""
    if name == "docProps/core.xml":
        data = _CORE.format(title=xml_text(title), stamp=_stamp(epoch)).encode("utf-8")
    elif name == "docProps/app.xml":
        data = _APP.encode("utf-8")
    elif name.endswith(".rels"):
        data = _drop_relationships(name, data, dropped)
    elif name == "[Content_Types].xml" and dropped:
        data = _drop_content_types(data, dropped)
    if name.startswith("word/") and name.endswith(".xml"):
        data = _RSID_ATTR.sub(b"", data)
        if name == "word/settings.xml":
            data = _SETTINGS_DROP.sub(b"", _RSIDS_EL.sub(b"", data))
        elif name == "word/fontTable.xml":  # the embedded fonts are left out: no reference to them stays
            data = _FONT_EMBED.sub(b"", data)
    return data


def rewrite_zip(
    path: Path,
    epoch: int = DEFAULT_EPOCH,
    *,
    publish: str | None = None,
    edit: Edit | None = None,
    target: Path | None = None,
    names: Mapping[str, str] | None = None,
) -> None:
    """Rewrite the zip at *path* (in place, or to *target*), members in their order, every entry stamped
    by :func:`fixed_entry`. Members are read within the size limits (:func:`read_zip_member`): the zip
    may be a maker's template.

    With *publish* (the document's title) it is made fit to publish: neutral document properties (no
    author, company, template or editing history; created = modified = *epoch*), no thumbnails, custom
    properties, comments or revision ids, no relationship to outside the package. *edit* may rewrite any
    member after that clean-up (which must never touch spliced-in model text); a member it returns in
    pieces is compressed as they come rather than joined first. *names* renames members (old name to new):
    *edit* sees the new name, and must itself update what refers to a renamed member.
    """
    with zipfile.ZipFile(path) as zin:
        members = [(info.filename, read_zip_member(zin, info, file=str(path))) for info in zin.infolist()]
    dropped = {n for n, _ in members if _DROP.match(n)} if publish is not None else set()
    dest = target or path
    tmp = dest.with_name(dest.name + ".rewrite")  # beside what is written, never beside a maker's file
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in members:
            if name in dropped:
                continue
            if publish is not None:
                data = _published(name, data, dropped, publish, epoch)
            if names:
                name = names.get(name, name)
            new = data if edit is None else edit(name, data)
            info = fixed_entry(name, epoch)
            if isinstance(new, bytes):
                zout.writestr(info, new, compresslevel=6)
            else:  # zlib's default level is 6: the same bytes as writestr of the joined pieces
                with zout.open(info, "w") as out:
                    for piece in new:
                        out.write(piece)
    tmp.replace(dest)


def chain_pieces(head: bytes, middle: Iterable[bytes], tail: bytes) -> Iterator[bytes]:
    yield head
    yield from middle
    yield tail


# ------------------------------------------------------------------------------------ workbooks

MAX_CELL = 32767  # Excel's limit for one cell
HEADER_FILL = "1F4E79"
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    wrap: bool = False


# openpyxl's ILLEGAL_CHARACTERS_RE (openpyxl.cell.cell), here so that a cell does not import it
_ILLEGAL_CELL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def cell_text(value: Any) -> Any:
    """A value as a cell may hold it: no character XML cannot carry, no more than Excel's cell limit."""
    if isinstance(value, str):
        value = _ILLEGAL_CELL.sub("", value)
        if len(value) > MAX_CELL:
            value = value[: MAX_CELL - 40] + " … [truncated: see ptm.json]"
    return value


def sheet_name(title: str, used: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, none of ``[]:*?/\\``), unique in *used* (lower case)."""
    base = _SHEET_BAD.sub(" ", title).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name.lower())
    return name


def _line_count(text: str, width: float) -> int:
    """Lines a wrapped cell needs: a column width unit holds about 1.15 characters of body text."""
    per_line = max(int(width * 1.15), 1)
    return sum(max(1, -(-len(segment) // per_line)) for segment in text.split("\n"))


class StreamedSheet:
    """One sheet of a write-only workbook: openpyxl writes the styled header row, frame and filter;
    the data rows are kept as ``<row>`` XML text and spliced in when the workbook is saved
    (:func:`save_workbook`), which is several times faster than building a cell object per value.
    A string is always an inline string: text never becomes a formula."""

    def __init__(self, wb: Workbook, title: str, columns: Sequence[Column], used: set[str]):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
        from openpyxl.utils import get_column_letter

        self.ws = wb.create_sheet(sheet_name(title, used))
        self.columns = columns
        self.rows = Spool()  # the data rows' XML, written as added
        self.letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
        for letter, col in zip(self.letters, columns, strict=True):
            self.ws.column_dimensions[letter].width = col.width
        self.ws.freeze_panes = "B2" if len(columns) > 1 else "A2"
        self.ws.print_title_rows = "1:1"
        self._styles: dict[tuple[bool, str | None], int] = {}
        head = []
        side = Side(style="thin", color="FFFFFF")
        for col in columns:
            cell = WriteOnlyCell(self.ws, col.header)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            cell.border = Border(left=side, right=side)
            head.append(cell)
        self.ws.append(head)

    @property
    def member(self) -> str:
        """The sheet's part name inside the .xlsx zip (assigned when the workbook is saved)."""
        return str(self.ws.path).lstrip("/")

    def set_filter(self, rows: int) -> None:
        """Filters must be declared before the sheet is written."""
        self.ws.auto_filter.ref = f"A1:{self.letters[-1]}{rows + 1}"

    def style_id(self, wrap: bool, fill: str | None) -> int:
        """The workbook's cell-format index for top-aligned (optionally wrapped, filled) cells."""
        key = (wrap, fill)
        if key not in self._styles:
            from openpyxl.cell import WriteOnlyCell
            from openpyxl.styles import Alignment, PatternFill

            proto = WriteOnlyCell(self.ws, "")
            proto.alignment = Alignment(wrap_text=wrap, vertical="top")
            if fill:
                proto.fill = PatternFill("solid", fgColor=fill)
            self._styles[key] = int(proto.style_id)  # registers the format with the workbook
        return self._styles[key]

    def append(self, values: Sequence[Any], fills: dict[int, str | None] | None = None) -> None:
        r = self.rows.count + 2
        cells = []
        lines = 1
        columns, letters, styles = self.columns, self.letters, self._styles
        for c in range(min(len(values), len(columns))):
            value = values[c]
            text = None
            if isinstance(value, str):
                text, escaped = _cell_string(value)  # cell_text, then XML-escaped: once per distinct text
                if not text:
                    continue
            elif value is None:
                continue
            col = columns[c]
            if text is not None and col.wrap:
                lines = max(lines, _line_count(text, col.width) if len(text) > col.width or "\n" in text else 1)
            fill = fills.get(c) if fills else None
            style = styles.get((col.wrap, fill))
            if style is None:
                style = self.style_id(col.wrap, fill)
            if text is not None:
                cells.append(f'<c r="{letters[c]}{r}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{escaped}</t></is></c>')
            elif isinstance(value, bool):
                cells.append(f'<c r="{letters[c]}{r}" s="{style}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int | float):
                cells.append(f'<c r="{letters[c]}{r}" s="{style}" t="n"><v>{value}</v></c>')
            else:
                cells.append(
                    f'<c r="{letters[c]}{r}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'
                )
        # an explicit height: not every spreadsheet program fits rows of wrapped text on opening
        height = f' ht="{min(409, 15 * lines + 2)}" customHeight="1"' if lines > 1 else ""
        self.rows.write(f'<row r="{r}"{height}>{"".join(cells)}</row>')


@lru_cache(maxsize=1 << 15)  # a register repeats its values (statuses, levels, names): each is cleaned once
def _cell_string(value: str) -> tuple[str, str]:
    """A text as a cell holds it (:func:`cell_text`) and that, XML-escaped."""
    text = cell_text(value)
    return text, escape(text)


def save_workbook(
    wb: Workbook, path: Path, epoch: int = DEFAULT_EPOCH, *, publish: str | None = None, streamed: Sequence[StreamedSheet] = ()
) -> None:
    """Write an openpyxl workbook (streamed or not) byte-for-byte reproducibly: created = modified =
    *epoch*, the rows of *streamed* sheets spliced in, the zip rewritten by :func:`rewrite_zip` (with
    *publish*, the title, made fit to publish).

    openpyxl's own ``save()`` stamps 'modified' with the clock, so the workbook goes through its
    ``ExcelWriter`` instead. Callers set the other properties (creator, title) first."""
    from datetime import UTC, datetime

    from openpyxl.writer.excel import ExcelWriter

    stamp = datetime.fromtimestamp(max(epoch, DEFAULT_EPOCH), UTC).replace(tzinfo=None)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    if wb.write_only and not wb.worksheets:
        wb.create_sheet()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    rows = {sheet.member: sheet.rows for sheet in streamed}  # part names are assigned while saving
    if len(rows) != len(streamed):
        raise RuntimeError("sheet part names are not unique")

    def splice(name: str, data: bytes) -> bytes | Iterator[bytes]:
        if name not in rows:
            return data
        head, sep, tail = data.rpartition(b"</sheetData>")
        if not sep:
            raise RuntimeError(f"no sheetData in {name}")
        return chain_pieces(head, rows.pop(name).pieces(), sep + tail)

    rewrite_zip(path, epoch, publish=publish, edit=splice if rows else None)
