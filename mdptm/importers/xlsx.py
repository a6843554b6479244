"""Excel (``.xlsx``, ``.xlsm``) and CSV threat registers (SPEC §3).

The workbook is read straight from its XML parts with the hardened parser: one pass per sheet gives
values, hidden rows and columns, merged ranges and cell comments, which openpyxl's fast read-only mode
does not expose and its full mode reads slowly. Every sheet — hidden ones too — becomes a
:class:`~mdptm.importers.tabular.tables.Grid`; finding the tables and turning rows into items is format-independent.
"""

from __future__ import annotations

import csv
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from lxml import etree

from mdptm.base.safety import check_zip, current_limits, iter_xml, local_name, parse_xml, read_input, read_zip_member, release
from mdptm.errors import InputError
from mdptm.importers.doors import CsvDoor, XlsxDoor
from mdptm.importers.tabular.pairs import continuation_rows, continuation_warning, flow_context, flow_rows, known_targets, target_column
from mdptm.importers.tabular.records import SourceBuilder
from mdptm.importers.tabular.resolve import resolve_references
from mdptm.importers.tabular.stride import read_stride_matrix
from mdptm.importers.tabular.tables import Grid, RowRecord, col_letter, load_profile, profile_vocabulary, stride_default
from mdptm.importers.tabular.vocab import vocabulary
from mdptm.model import Model
from mdptm.plugins import ImportContext

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
BUILTIN_DATE_FORMATS = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
MAX_CELLS = 20_000_000
_REF = re.compile(r"^([A-Z]+)(\d+)$")
_DATE_TOKENS = re.compile(r"[dmyhs]", re.I)
_DIGITS = re.compile(r"[0-9]{1,9}")


def _local(tag: object) -> str:
    """:func:`~mdptm.base.safety.local_name`, inlined: it runs for every cell of a large sheet."""
    return tag[tag.rfind("}") + 1 :] if isinstance(tag, str) else ""


def _int(text: str | None, default: int) -> int:
    """An integer attribute as Excel writes it; anything else (a hostile or broken file) is *default*."""
    return int(text) if text and _DIGITS.fullmatch(text) else default


def col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def parse_ref(ref: str) -> tuple[int, int]:
    """``B12`` → (row 12, column 2)."""
    m = _REF.match(ref.upper().replace("$", ""))
    if not m:
        raise ValueError(ref)
    return int(m.group(2)), col_number(m.group(1))


_COLUMNS: dict[str, int] = {}  # column letters of a cell reference -> column number


def ref_column(ref: str) -> int:
    """The column of a cell reference (``B12`` → 2), as :func:`parse_ref` gives it; one dict
    lookup for the letters already seen, since a sheet has many rows but few columns."""
    letters = ref.rstrip("0123456789")
    col = _COLUMNS.get(letters)
    if col is None or len(letters) == len(ref):
        col = parse_ref(ref)[1]
        if letters.isascii() and letters.isalpha() and letters.isupper() and len(letters) < len(ref):
            _COLUMNS[letters] = col
    return col


def format_number(text: str) -> str:
    """Excel stores 4 as "4" or "4.0" and 0.3 as "0.29999999999999999": show them as people typed them."""
    try:
        value = float(text)
    except ValueError:
        return text
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.15g}"


def excel_date(serial: float, date1904: bool) -> str:
    base = datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 30)
    dt = base + timedelta(days=serial)
    if dt.hour == dt.minute == dt.second == 0:
        return dt.date().isoformat()
    return dt.isoformat(timespec="minutes")


class _Workbook:
    """The parts of a workbook this importer needs, read once."""

    def __init__(self, zf: zipfile.ZipFile, file: str):
        self.zf = zf
        self.file = file
        self.names = set(zf.namelist())
        self.wb_path = self._office_document()
        wb = self._xml(self.wb_path)
        if local_name(wb.tag) != "workbook":
            raise InputError(
                f"not an Excel workbook: its main part is {self.wb_path} (a {local_name(wb.tag)!r})", file=file, locator=self.wb_path
            )
        self.date1904 = any(el.get("date1904") in ("1", "true") for el in wb.iter() if _local(el.tag) == "workbookPr")
        rels = self._rels(self.wb_path)
        self.sheets: list[tuple[str, str, str]] = []  # (name, state, part path)
        for el in wb.iter():
            if _local(el.tag) == "sheet":
                rid = el.get(f"{{{REL_NS}}}id") or el.get("{http://purl.oclc.org/ooxml/officeDocument/relationships}id")
                target = rels.get(rid or "")
                if target and target in self.names:
                    self.sheets.append((el.get("name") or target, el.get("state") or "visible", target))
                else:  # Excel refuses such a file: what the sheet held is lost, so nothing is imported
                    raise InputError(
                        f"the workbook lists sheet {el.get('name')!r} but holds no part for it"
                        + (f" ({target} is missing)" if target else f" (no relationship {rid!r})")
                        + ": the file is damaged; open and save it in Excel, or export it again",
                        file=file,
                        locator=self.wb_path,
                    )
        self.shared = self._shared_strings(rels)
        self.unseen_styles: dict[int, str] = {}  # cell style index -> why its values are not seen
        self.date_styles = self._date_styles(rels)

    def _xml(self, part: str) -> etree._Element:
        return parse_xml(read_zip_member(self.zf, part, file=self.file), file=self.file, part=part)

    def _stream(self, part: str, *tags: str) -> Iterator[etree._Element]:
        """Elements of a large part as they end; each is freed once the caller moves on."""
        for el in iter_xml(read_zip_member(self.zf, part, file=self.file), tags, file=self.file, part=part):
            yield el
            release(el)

    def _office_document(self) -> str:
        if "_rels/.rels" in self.names:
            root = self._xml("_rels/.rels")
            for rel in root:
                if (rel.get("Type") or "").endswith("/officeDocument"):
                    target = (rel.get("Target") or "").lstrip("/")
                    if target in self.names:
                        return target
        if "xl/workbook.xml" in self.names:
            return "xl/workbook.xml"
        raise InputError("not an Excel workbook (no xl/workbook.xml)", file=self.file)

    def _rels(self, part: str) -> dict[str, str]:
        folder, name = posixpath.split(part)
        rels_path = posixpath.join(folder, "_rels", name + ".rels")
        if rels_path not in self.names:
            return {}
        out: dict[str, str] = {}
        for rel in self._xml(rels_path):
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External":
                continue
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out[rel.get("Id") or ""] = path
            out["type:" + (rel.get("Type") or "").rsplit("/", 1)[-1]] = path
        return out

    def _shared_strings(self, rels: dict[str, str]) -> list[str]:
        part = rels.get("type:sharedStrings") or "xl/sharedStrings.xml"
        if part not in self.names:
            return []
        return [_rich_text(si) for si in self._stream(part, "{*}si") if _top(si)]

    def _date_styles(self, rels: dict[str, str]) -> set[int]:
        part = rels.get("type:styles") or "xl/styles.xml"
        if part not in self.names:
            return set()
        root = self._xml(part)
        custom: dict[int, str] = {}
        xfs: list[int] = []
        fonts: list[str | None] = []  # why a font hides text ("white", "tiny") or None
        fills: list[bool] = []  # whether a fill colours the cell
        styles: list[tuple[int, int]] = []  # (fontId, fillId) of each cell style
        for el in root:
            name = _local(el.tag)
            if name == "numFmts":
                for fmt in el:
                    try:
                        custom[_int(fmt.get("numFmtId"), -1)] = fmt.get("formatCode") or ""
                    except ValueError:
                        continue
            elif name == "cellXfs":
                for xf in el:
                    try:
                        xfs.append(_int(xf.get("numFmtId"), 0))
                        styles.append((_int(xf.get("fontId"), 0), _int(xf.get("fillId"), 0)))
                    except ValueError:
                        xfs.append(0)
                        styles.append((0, 0))
            elif name == "fonts":
                fonts = [_font_hides(font) for font in el]
            elif name == "fills":
                fills = [_fill_colours(fill) for fill in el]
        out = set()
        for i, fmt_id in enumerate(xfs):
            if fmt_id in BUILTIN_DATE_FORMATS or (fmt_id in custom and _is_date_format(custom[fmt_id])):
                out.add(i)
            font_id, fill_id = styles[i]
            why = fonts[font_id] if 0 <= font_id < len(fonts) else None
            if why == "white" and 0 <= fill_id < len(fills) and fills[fill_id]:
                why = None  # white on a coloured cell (a header row) is read
            if fmt_id in custom and re.fullmatch(r"\s*;\s*;\s*;?\s*", custom[fmt_id]):
                why = "format"  # ";;;" shows nothing whatever the value
            if why is not None:
                self.unseen_styles[i] = why
        return out

    def grid(self, name: str, state: str, part: str) -> Grid:
        """One sheet, read as a stream of rows: a large sheet is never a whole tree in memory."""
        hidden_cols: set[int] = set()
        cells: dict[tuple[int, int], str] = {}
        hidden_rows: set[int] = set()
        merges: list[tuple[int, int, int, int]] = []
        rows = _RowReader(self, cells, hidden_rows)
        rows.sheet = name
        for el in self._stream(part, "{*}row", "{*}cols", "{*}mergeCells"):
            tag = _local(el.tag)
            if tag == "row":
                rows.read(el)
            elif not _top(el):
                continue
            elif tag == "cols":
                for col in el:
                    if col.get("hidden") in ("1", "true"):
                        lo, hi = _int(col.get("min"), 0), _int(col.get("max"), 0)
                        hidden_cols.update(range(lo, min(hi, lo + 16384) + 1))
            elif tag == "mergeCells":
                for mc in el:
                    ref = mc.get("ref") or ""
                    if ":" in ref:
                        a, b = ref.split(":", 1)
                        try:
                            (r0, c0), (r1, c1) = parse_ref(a), parse_ref(b)
                        except ValueError:
                            continue
                        merges.append((r0, c0, r1, c1))
        comments = self._comments(part)
        grid = _make_grid(self.file, name, state, cells, hidden_rows, hidden_cols, merges, comments)
        grid.unseen += [(f"{name}!{col_letter(c)}{r}", why) for r, c, why in rows.unseen]
        return grid

    def _value(self, c: etree._Element, ns: str, v_tag: str | None = None, is_tag: str | None = None) -> str:
        kind = c.get("t") or "n"
        v = None
        inline = None
        v_tag = v_tag or ns + "v"
        is_tag = is_tag or ns + "is"
        for child in c:
            if child.tag == v_tag:
                v = child.text or ""
            elif child.tag == is_tag:
                inline = _rich_text(child)
        if kind == "inlineStr":
            return inline or ""
        if v is None:
            return ""
        if kind == "s":
            try:
                index = int(v)
            except ValueError:
                return ""
            if not 0 <= index < len(self.shared):
                raise _NoSharedString(index, len(self.shared))
            return self.shared[index]
        if kind == "b":
            return "TRUE" if v.strip() in ("1", "true") else "FALSE"
        if kind in ("str", "e"):
            return v
        if kind == "d":
            return v[:10] if v.endswith("T00:00:00") or len(v) == 10 else v
        style = c.get("s")
        if style is not None and style.isdigit() and int(style) in self.date_styles:
            try:
                return excel_date(float(v), self.date1904)
            except (ValueError, OverflowError):
                return v
        return format_number(v)

    def _comments(self, sheet_part: str) -> dict[tuple[int, int], list[str]]:
        rels = self._rels(sheet_part)
        part = rels.get("type:comments")
        if not part or part not in self.names:
            return {}
        out: dict[tuple[int, int], list[str]] = {}
        for el in self._xml(part).iter():
            if _local(el.tag) == "comment":
                try:
                    pos = parse_ref(el.get("ref") or "")
                except ValueError:
                    continue
                text = " ".join(_rich_text(t) for t in el if _local(t.tag) == "text").strip()
                if text:
                    out.setdefault(pos, []).append(text)
        return out


class _NoSharedString(Exception):
    """A cell refers to a shared string the workbook does not hold (the part is missing or cut short)."""

    def __init__(self, index: int, count: int) -> None:
        super().__init__(index)
        self.index, self.count = index, count


class _RowReader:
    """Rows of one sheet's ``sheetData``, read one at a time as the sheet streams by."""

    def __init__(self, wb: _Workbook, cells: dict[tuple[int, int], str], hidden_rows: set[int]):
        self.wb = wb
        self.sheet = ""
        self.cells = cells
        self.hidden_rows = hidden_rows
        self.parent: etree._Element | None = None  # the sheetData being read
        self.unseen: list[tuple[int, int, str]] = []  # (row, column, why) of values no reader sees
        self.row_no = 0
        self.ns = ""
        self.tags = ("row", "c", "v", "is")

    def read(self, row: etree._Element) -> None:
        sheet_data = row.getparent()
        if sheet_data is not self.parent:
            if sheet_data is None or _local(sheet_data.tag) != "sheetData" or not _top(sheet_data):
                return
            self.parent, self.row_no = sheet_data, 0  # a new sheetData: numbering starts again
            tag = sheet_data.tag
            self.ns = ns = tag[: tag.index("}") + 1] if isinstance(tag, str) and tag.startswith("{") else ""
            self.tags = (ns + "row", ns + "c", ns + "v", ns + "is")
        row_tag, c_tag, v_tag, is_tag = self.tags
        f_tag = self.ns + "f"
        if row.tag != row_tag:
            return
        row_no = self.row_no = _int(row.get("r"), self.row_no + 1)
        if row.get("hidden") in ("1", "true"):
            self.hidden_rows.add(row_no)
        col_no = 0
        value = self.wb._value
        unseen = self.wb.unseen_styles
        for c in row:
            if c.tag != c_tag:
                continue
            ref = c.get("r")
            if ref:
                try:
                    col_no = ref_column(ref)
                except ValueError:
                    col_no += 1
            else:
                col_no += 1
            if c.get("t") == "e":  # an error a formula gave (#REF!, #N/A): no text anyone wrote
                code = next((child.text or "" for child in c if child.tag == v_tag), "")
                self.unseen.append((row_no, col_no, f"error:{code.strip()}"))
                continue
            try:
                text = value(c, self.ns, v_tag, is_tag)
            except _NoSharedString as exc:
                raise InputError(
                    f"the cell refers to shared string {exc.index}, and the workbook holds {exc.count}: "
                    "its text is lost, the file is damaged; open and save it in Excel, or export it again",
                    file=self.wb.file,
                    locator=f"{self.sheet}!{col_letter(col_no)}{row_no}",
                ) from None
            if not text and len(c) and _uncomputed(c, f_tag, v_tag):
                self.unseen.append((row_no, col_no, "formula"))  # written by a program that computes no formula
            if text:
                why = unseen.get(_int(c.get("s"), 0)) if unseen else None
                if why is not None:
                    self.unseen.append((row_no, col_no, why))
                    continue
                self.cells[(row_no, col_no)] = text


def _uncomputed(c: etree._Element, f_tag: str, v_tag: str) -> bool:
    """Whether cell *c* holds a formula whose result was never saved: no value, or an empty one where a text
    result is not what the cell says it holds (Excel writes ``t="str"`` for a formula giving "")."""
    if not any(child.tag == f_tag for child in c):
        return False
    value = next((child for child in c if child.tag == v_tag), None)
    return value is None or (not value.text and c.get("t") != "str")


def _font_hides(font: etree._Element) -> str | None:
    """Why a font of styles.xml makes text unseen: ``white`` (rgb white, or theme colour 0, Background 1),
    ``tiny`` (2 pt or less), or None."""
    for prop in font:
        name = _local(prop.tag)
        if name == "sz":
            try:
                if float(prop.get("val") or "11") <= 2:
                    return "tiny"
            except ValueError:
                continue
        elif name == "color":
            rgb = (prop.get("rgb") or "").upper()
            if rgb in ("FFFFFFFF", "FFFFFF") or (prop.get("theme") == "0" and not prop.get("tint")):
                return "white"
    return None


def _fill_colours(fill: etree._Element) -> bool:
    """Whether a fill of styles.xml colours the cell (a pattern other than none, or a gradient)."""
    for node in fill.iter():
        name = _local(node.tag)
        if name == "gradientFill":
            return True
        if name == "patternFill":
            kind = node.get("patternType") or "none"
            if kind == "none":
                return False
            colour = next((c for c in node if _local(c.tag) == "fgColor"), None)
            return colour is None or (colour.get("rgb") or "").upper() not in ("FFFFFFFF", "FFFFFF")
    return False


def _top(el: etree._Element) -> bool:
    """Whether *el* is a child of its document's root element."""
    parent = el.getparent()
    return parent is not None and parent.getparent() is None


def _rich_text(el: etree._Element) -> str:
    """The text of a shared or inline string: all runs, without phonetic guides."""
    if len(el) == 1 and _local(el[0].tag) == "t":
        text = el[0].text or ""
        return _unescape(text) if "_x" in text else text
    parts: list[str] = []
    for node in el.iter():
        name = _local(node.tag)
        if name == "rPh":
            continue
        if name == "t" and _local(node.getparent().tag) != "rPh":
            parts.append(node.text or "")
    return _unescape("".join(parts))


def _unescape(text: str) -> str:
    """Excel writes control characters as ``_x000D_``."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)


def _is_date_format(code: str) -> bool:
    stripped = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code)
    return bool(_DATE_TOKENS.search(stripped)) and "General" not in code


_FAR_ROWS, _FAR_COLS = 1_000, 50  # an empty stretch this long parts a sheet's cells into blocks
_MAX_STRAYS = 20  # more cells than this outside the largest block are a sheet that is large, not a stray


def _strays_apart(cells: dict[tuple[int, int], str]) -> tuple[dict[tuple[int, int], str], dict[tuple[int, int], str]]:
    """The cells of a sheet's largest block, and the few cells far from it (a value typed at the sheet's last cell
    by mistake): those are reported and not read, rather than refusing the whole workbook. Where more than a few
    lie outside, nothing is set apart (the sheet is then refused as too large)."""

    def blocks(values: set[int], gap: int) -> dict[int, int]:
        out: dict[int, int] = {}
        block, last = 0, None
        for v in sorted(values):
            if last is not None and v - last > gap:
                block += 1
            out[v] = block
            last = v
        return out

    row_block = blocks({r for r, _c in cells}, _FAR_ROWS)
    col_block = blocks({c for _r, c in cells}, _FAR_COLS)
    sizes: dict[tuple[int, int], int] = {}
    for r, c in cells:
        key = (row_block[r], col_block[c])
        sizes[key] = sizes.get(key, 0) + 1
    main = max(sorted(sizes), key=lambda k: sizes[k])
    kept = {rc: v for rc, v in cells.items() if (row_block[rc[0]], col_block[rc[1]]) == main}
    far = {rc: v for rc, v in cells.items() if rc not in kept}
    if len(far) > _MAX_STRAYS:
        return cells, {}
    return kept, far


def _make_grid(
    file: str,
    name: str,
    state: str,
    cells: dict[tuple[int, int], str],
    hidden_rows: set[int],
    hidden_cols: set[int],
    merges: list[tuple[int, int, int, int]],
    comments: dict[tuple[int, int], list[str]],
) -> Grid:
    """Sheet cells by (row, column) → a dense grid over the used range."""
    if not cells:
        return Grid(file=file, name=name, style="sheet", cells=[], hidden=state != "visible")
    rows = [r for r, _c in cells]
    cols = [c for _r, c in cells]
    r0, r1, c0, c1 = min(rows), max(rows), min(cols), max(cols)
    far: dict[tuple[int, int], str] = {}
    if (r1 - r0 + 1) * (c1 - c0 + 1) > MAX_CELLS:
        cells, far = _strays_apart(cells)  # a value typed at XFD1048576 would make the sheet a billion cells
        rows = [r for r, _c in cells]
        cols = [c for _r, c in cells]
        r0, r1, c0, c1 = min(rows), max(rows), min(cols), max(cols)
        if not far or (r1 - r0 + 1) * (c1 - c0 + 1) > MAX_CELLS:
            raise InputError(f"sheet spans {r1 - r0 + 1} rows × {c1 - c0 + 1} columns; too large to read", file=file, locator=name)
    dense = [[""] * (c1 - c0 + 1) for _ in range(r1 - r0 + 1)]
    for (r, c), text in cells.items():
        dense[r - r0][c - c0] = text
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    for mr0, mc0, mr1, mc1 in merges:
        if mr1 < r0 or mr0 > r1 or mc1 < c0 or mc0 > c1 or (mr1 - mr0 + 1) * (mc1 - mc0 + 1) > 100_000:
            continue
        anchor = (mr0 - r0, mc0 - c0)
        if not (0 <= anchor[0] < len(dense) and 0 <= anchor[1] < len(dense[0])):
            continue
        for r in range(max(mr0, r0), min(mr1, r1) + 1):
            for c in range(max(mc0, c0), min(mc1, c1) + 1):
                if (r, c) != (mr0, mc0):
                    merged[(r - r0, c - c0)] = anchor
    grid = Grid(
        file=file,
        name=name,
        style="sheet",
        cells=dense,
        row_numbers=list(range(r0, r1 + 1)),
        first_col=c0,
        hidden_rows={r - r0 for r in hidden_rows if r0 <= r <= r1},
        hidden_cols={c - c0 for c in hidden_cols if c0 <= c <= c1},
        merged=merged,
        comments={(r - r0, c - c0): v for (r, c), v in comments.items() if r0 <= r <= r1 and c0 <= c <= c1},
        context=name,
        hidden=state != "visible",
    )
    grid.unseen = [(f"{name}!{col_letter(c)}{r}", "far:" + text) for (r, c), text in sorted(far.items())]
    return grid


def read_workbook(path: Path) -> list[Grid]:
    """Every sheet of a workbook as a grid, in workbook order."""
    check_zip(path)
    file = path.name
    try:
        with zipfile.ZipFile(path) as zf:
            wb = _Workbook(zf, file)
            return [wb.grid(name, state, part) for name, state, part in wb.sheets]
    except (zipfile.BadZipFile, KeyError) as exc:
        raise InputError(f"corrupt workbook: {exc}", file=file) from None


def import_grids(path: Path, grids: list[Grid], ctx: ImportContext, importer: str) -> Model:
    """Shared by the Excel and CSV importers: grids → tables → a model with local references resolved."""
    file = path.name
    vocab = vocabulary()
    profile = load_profile(ctx.profile, vocab, file="profile")
    if profile is not None:
        vocab = profile_vocabulary(vocab, profile)
    builder = SourceBuilder(file, importer, vocab, ctx.report, profile)
    known: set[str] = set()  # components named on the threat sheets read so far
    names = [repr(g.name) for g in grids if g.name]
    ctx.looked_at = f"sheets {', '.join(names)}" if names else f"{sum(len(g.cells) for g in grids)} rows"
    for grid in grids:
        first = len(builder.records)
        words = {"white": "white text on an uncoloured cell", "tiny": "a font of 2 pt or less", "format": "the number format ;;;"}
        for where, why in grid.unseen:  # nobody sees it in the workbook: not imported, so never published
            if why == "formula":  # its value was never computed: nothing to read, and nothing silently lost
                ctx.report.warn(
                    file,
                    where,
                    "cell holds a formula with no saved result (the file was written by a program that computes no "
                    "formulas): its value is not imported; open and save the workbook in Excel to import it",
                )
                continue
            if why.startswith("error:"):  # "#REF!" would have become a component's name, "#N/A" a description
                ctx.report.warn(
                    file,
                    where,
                    f"cell shows the error {why[6:] or 'value'} (its formula failed): not imported; fix the formula in Excel",
                )
                continue
            if why.startswith("far:"):  # typed far from the sheet's table (its last cell): no row of any table
                ctx.report.warn(
                    file,
                    where,
                    f"cell {why[4:][:60]!r} stands far from the sheet's table, with nothing around it: not imported; "
                    "move it into a table row if it belongs to one",
                )
                continue
            ctx.report.warn(file, where, f"cell value hidden by {words.get(why, why)} left out: it is not imported")
        stride = stride_default(vocab, grid.name) if grid.name else None
        if stride:
            grid.defaults["stride"] = stride
        if profile is None:
            col = target_column(grid, vocab)  # a threat sheet's component column, read as Markdown and Word read it
            if col == 0 and (said := continuation_warning(grid, continuation_rows(grid))):  # a blank component
                builder.warn(*said)  # cell under a named one continues it
            if col is not None and flow_context(grid.name):
                flow_rows(grid, col, known, builder.records, file, builder.warn)  # "Device IoT Hub" on a Communication sheet
            elif col is not None:
                known.update(known_targets(grid, col))
        if profile is None and read_stride_matrix(grid, vocab, builder, file):
            ctx.report.tables_read.append((grid, []))  # a STRIDE x component matrix: one threat per filled cell
        else:
            builder.add_grid(grid)
        if grid.hidden:
            _hidden_sheet(grid, builder.records[first:], ctx, file)
    model = builder.build()
    return model if ctx.resolved_after else resolve_references(model, ctx.report, final=False)


def _hidden_sheet(grid: Grid, records: list[RowRecord], ctx: ImportContext, file: str) -> None:
    """A hidden sheet is read like the others (nothing lost), but no reader of the workbook sees it: its
    threats and controls that state no sensitivity are read as confidential, so not published (a backlog, a
    scratch sheet, one only a macro shows). Its other rows (components, lists) are read as written."""
    marked = 0
    for rec in records:
        if rec.kind in ("threat", "control") and not (rec.values.get("sensitivity") or "").strip():
            rec.values["sensitivity"] = "confidential"
            rec.headers["sensitivity"] = f"hidden sheet {grid.name!r}"
            marked += 1
    what = f"; {marked} threat or control row(s) on it read as confidential, so not published (unhide it to publish them)" if marked else ""
    ctx.report.warn(file, grid.name, f"sheet {grid.name!r} is hidden; read like the others{what}")


class XlsxImporter(XlsxDoor):
    """Excel threat registers: every sheet scanned, header rows found by their synonyms (sniffed by the door)."""

    def load(self, path: Path, ctx: ImportContext) -> Model:
        ahead = ctx.read_ahead
        grids = ahead if isinstance(ahead, list) and all(isinstance(g, Grid) for g in ahead) else read_workbook(path)
        return import_grids(path, grids, ctx, self.name)


# ------------------------------------------------------------------------------------------ CSV

MAX_CSV_BYTES = 256 * 1024 * 1024


def decode_text(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was in: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most consistent number of fields."""
    lines = text.splitlines()[:64]
    sample = "\n".join(lines)
    best, best_score = ",", -1.0
    for delim in (",", ";", "\t", "|"):
        try:
            rows = [r for r in csv.reader(io.StringIO(sample), delimiter=delim) if any(x.strip() for x in r)]
        except csv.Error:
            continue
        if not rows:
            continue
        counts: dict[int, int] = {}
        for r in rows:
            counts[len(r)] = counts.get(len(r), 0) + 1
        width, freq = max(counts.items(), key=lambda kv: (kv[1] * (kv[0] > 1), kv[0]))
        if width <= 1:
            continue
        score = freq / len(rows) * 100 + min(width, 30)
        if score > best_score:
            best, best_score = delim, score
    return best


_SEP_LINE = re.compile(r"^\ufeff?sep=([^\r\n])[ \t]*\r?\n", re.I)


def read_csv(path: Path) -> tuple[Grid, str, str, list[tuple[int, int, int]]]:
    """A CSV file as one grid, with the encoding and delimiter found and the rows rejoined (:func:`rejoin_spilled`)."""
    data = read_input(path, limit=min(MAX_CSV_BYTES, current_limits().max_input_bytes))
    text, encoding = decode_text(data)
    delim = "\t" if path.suffix.lower() == ".tsv" else sniff_delimiter(text)
    said = _SEP_LINE.match(text)
    if said:  # "sep=;": Excel's line naming the delimiter, no row of the table (kept as a blank row: lines keep their numbers)
        delim = said.group(1)
        text = "\n" + text[said.end() :]
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    except csv.Error as exc:
        raise InputError(f"CSV syntax error: {exc}", file=path.name) from None
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    rejoined = rejoin_spilled(rows, delim)
    return Grid(file=path.name, name="", style="sheet", cells=rows, context=path.stem), encoding, delim, rejoined


def rejoin_spilled(rows: list[list[str]], delim: str) -> list[tuple[int, int, int]]:
    """Rows a hand-written CSV split at a delimiter inside an unquoted text ("… data manipulation, privilege
    escalation, or …"): a row with k more filled cells than the others, where exactly one run of k cells opens
    with a space (as text after a comma does, and a field after a delimiter does not), has that run joined back
    to the cell before it. (row index, column, k) of each row rejoined; a row with no single such run is left."""
    widths: dict[int, int] = {}
    for r in rows:
        filled = len(r) - next((i for i, c in enumerate(reversed(r)) if c.strip()), len(r))
        if filled > 1:
            widths[filled] = widths.get(filled, 0) + 1
    if not widths:
        return []
    width = max(widths.items(), key=lambda kv: (kv[1], -kv[0]))[0]
    done: list[tuple[int, int, int]] = []
    for n, row in enumerate(rows):
        while len(row) > width and not row[-1].strip():
            row.pop()
        k = len(row) - width
        if k <= 0:
            continue
        opens = [c[:1] == " " and c[1:2].strip() != "" for c in row]
        runs = [j for j in range(1, len(row) - k + 1) if all(opens[j : j + k]) and not opens[j - 1]]
        if len(runs) != 1:
            continue
        j = runs[0] - 1
        row[j : j + k + 1] = [delim.join(row[j : j + k + 1])]
        done.append((n, j, k))
    return done


class CsvImporter(CsvDoor):
    """CSV threat registers: delimiter (, ; tab |) and encoding (UTF-8, BOM, cp1252) sniffed."""

    def load(self, path: Path, ctx: ImportContext) -> Model:
        grid, encoding, delim, rejoined = read_csv(path)
        if encoding not in ("utf-8", "utf-8-sig"):
            ctx.report.warn(path.name, None, f"read as {encoding} (not UTF-8)")
        for n, col, k in rejoined:
            where = f"{col_letter(col + 1)}{grid.row_numbers[n]}"
            said = f"row had {k} cell(s) more than the table: the text in {where} held {delim!r} unquoted; rejoined"
            ctx.report.warn(path.name, where, said)
        return import_grids(path, [grid], ctx, self.name)
