"""``index.html``: the PTM as one self-contained page, readable offline and printable.

Rendered from the same :class:`mdptm.render.docir.Doc` as the Word document, so both say the same thing.
Nothing is fetched: styles are inline, pictures are data URIs, and the one small script (table
filters) is allowed by hash in a Content-Security-Policy that forbids everything else. Every string
from the model is escaped; the policy is the second line of defence should one ever slip through.
"""

from __future__ import annotations

import base64
import hashlib
import re
import tempfile
from collections.abc import Iterator, Sequence
from functools import lru_cache
from html import escape
from pathlib import Path

from mdptm.model import Model
from mdptm.plugins import ExportContext, Exporter
from mdptm.render.docir import Bullets, Doc, Heading, Image, Paragraph, Table, Toc
from mdptm.render.docx import bold_columns, column_widths, split_label

FILTER_MIN_ROWS = 10  # tables this long get a filter bar
SELECT_MAX_VALUES = 12  # columns with at most this many distinct values get a drop-down filter
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_CSS = """
:root{--brand:#1F4E79;--ink:#262626;--muted:#595959;--rule:#c8d1dc;--note:#eef3f8}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 -apple-system,"Segoe UI",Roboto,Arial,"Liberation Sans",sans-serif;color:var(--ink);
 background:#f4f6f9}
main{max-width:1100px;margin:0 auto;padding:28px 36px 48px;background:#fff;min-height:100vh}
header.doc{border-bottom:3px solid var(--brand);margin-bottom:18px;padding-bottom:10px}
header.doc h1{color:var(--brand);font-size:30px;margin:0 0 4px}
header.doc .subtitle{color:var(--muted);font-size:17px;margin:0}
.marking{display:inline-block;margin:8px 8px 0 0;padding:3px 10px;border:2px solid #c00000;color:#c00000;
 font-weight:700;letter-spacing:.04em}
h2{color:var(--brand);font-size:24px;border-bottom:2px solid var(--brand);padding-bottom:4px;margin:40px 0 12px}
h3{color:var(--brand);font-size:19px;margin:28px 0 8px}
h4{font-size:16px;margin:22px 0 6px}
h5{font-size:15px;margin:18px 0 6px}
p{margin:0 0 10px}
p.note{background:var(--note);border-left:4px solid #2E75B6;padding:8px 12px;font-style:italic;color:#404040}
nav.toc{background:var(--note);padding:12px 20px;margin:14px 0 22px;border-radius:4px}
nav.toc h2{border:0;margin:0 0 6px;font-size:18px}
nav.toc ol{margin:0;padding-left:0;list-style:none}
nav.toc li.l1{font-weight:600;margin-top:6px}
nav.toc li.l2{padding-left:20px;font-size:14px}
nav.toc a{color:var(--ink);text-decoration:none}
nav.toc a:hover{text-decoration:underline}
figure{margin:16px 0;text-align:center}
figure img{max-width:100%;height:auto;border:1px solid #e3e7ec}
figcaption,caption{color:var(--brand);font-weight:700;font-size:13px;text-align:left;padding:4px 0}
figcaption{text-align:center}
.tablewrap{overflow-x:auto;margin:4px 0 18px}
table{border-collapse:collapse;width:100%;font-size:13px;table-layout:fixed}
table.compact{width:auto;min-width:40%}
th{background:var(--brand);color:#fff;text-align:left;padding:5px 7px;vertical-align:bottom;position:sticky;top:0}
td{border:1px solid var(--rule);padding:4px 7px;vertical-align:top;overflow-wrap:anywhere}
tbody tr:nth-child(even) td{background-color:#fafbfc}
td .t,td .l{font-weight:700}
.filterbar{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:6px 0;font-size:13px}
.filterbar input{flex:1 1 240px;padding:5px 8px;border:1px solid var(--rule);border-radius:3px;font:inherit}
.filterbar select{padding:4px;border:1px solid var(--rule);border-radius:3px;font:inherit;max-width:220px}
.filterbar .count{color:var(--muted)}
footer.doc{margin-top:40px;border-top:1px solid var(--rule);padding-top:8px;color:var(--muted);font-size:12px}
.draft-mark{position:fixed;top:40%;left:0;right:0;text-align:center;font-size:120px;font-weight:800;color:rgba(160,160,160,.18);
 transform:rotate(-35deg);pointer-events:none;z-index:10}
@media print{
 body{background:#fff;font-size:10.5pt}
 main{max-width:none;padding:0}
 .filterbar,nav.toc{display:none}
 h2{break-before:page}
 h2,h3,h4,caption,figcaption{break-after:avoid}
 thead{display:table-header-group}
 tr,figure{break-inside:avoid}
 tr[hidden]{display:table-row}
 th{position:static;-webkit-print-color-adjust:exact;print-color-adjust:exact}
 td{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 .tablewrap{overflow:visible}
 a{color:inherit;text-decoration:none}
}
@page{size:A4;margin:16mm 14mm}
"""

_JS = """
document.querySelectorAll('.filterbar').forEach(function(bar){
  var table=document.getElementById(bar.dataset.table);
  var rows=Array.prototype.slice.call(table.tBodies[0].rows);
  var text=bar.querySelector('input');
  var selects=Array.prototype.slice.call(bar.querySelectorAll('select'));
  var count=bar.querySelector('.count');
  var cache=rows.map(function(r){return r.textContent.toLowerCase();});
  function apply(){
    var q=text.value.trim().toLowerCase(), shown=0;
    rows.forEach(function(r,i){
      var ok=!q||cache[i].indexOf(q)>=0;
      selects.forEach(function(s){
        if(ok&&s.value){ok=r.cells[+s.dataset.col].dataset.v===s.value;}
      });
      r.hidden=!ok; if(ok){shown++;}
    });
    count.textContent=shown+' of '+rows.length+' shown';
  }
  text.addEventListener('input',apply);
  selects.forEach(function(s){s.addEventListener('change',apply);});
  apply();
});
""".strip()


@lru_cache(maxsize=1 << 15)  # a register repeats its cell lines: escape each once
def _t(text: str | None) -> str:
    """Model text as HTML text: escaped, control characters dropped."""
    return escape(_CONTROL_CHARS.sub("", text or ""), quote=True)


def _cell(text: str, titled: bool) -> str:
    """Cell text with line breaks; a titled cell has its first line and its line labels in bold."""
    lines = text.split("\n") if text else [""]
    if not titled:
        return "<br>".join(_t(x) for x in lines)
    parts = [f'<span class="t">{_t(lines[0])}</span>' if lines[0] else ""]
    for line in lines[1:]:
        label, rest = split_label(line)
        parts.append(f'<span class="l">{_t(label)}</span>{_t(rest)}' if label else _t(line))
    return "<br>".join(parts)


class HtmlRenderer:
    """Turns one Doc into one self-contained HTML page."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.tables = 0
        self.figures = 0
        self.anchor: dict[int, str] = {}
        self.toc: list[tuple[int, str, str]] = []
        for index, block in enumerate(doc.blocks):
            if isinstance(block, Heading):
                anchor = f"s{len(self.anchor) + 1}"
                self.anchor[index] = anchor
                if block.level <= 2:
                    self.toc.append((block.level, block.text, anchor))

    def render(self) -> str:
        return "".join(self.pieces())

    def pieces(self) -> Iterator[str]:
        """The page in order, a block (a table row for tables) at a time, so a 10 000-row page can
        be written without ever being one string."""
        yield self._head()
        for n, piece in enumerate(self._body()):
            if n:
                yield "\n"
            if isinstance(piece, str):
                yield piece
            else:
                yield from piece
        yield f"\n</main>\n<script>{_JS}</script>\n</body>\n</html>\n"

    def _head(self) -> str:
        d = self.doc
        script_hash = base64.b64encode(hashlib.sha256(_JS.encode("utf-8")).digest()).decode("ascii")
        csp = (
            f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-{script_hash}'; "
            "base-uri 'none'; form-action 'none'"
        )
        return (
            "<!DOCTYPE html>\n"
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="generator" content="mdptm">\n'
            f"<title>{_t(d.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        )

    def _body(self) -> Iterator[str | Iterator[str]]:
        """Body elements, to be separated by line breaks; a table comes as its parts, in order."""
        d = self.doc
        if d.draft:
            yield '<div class="draft-mark" aria-hidden="true">DRAFT</div>'
        yield '<header class="doc">'
        yield f"<h1>{_t(d.title)}</h1>"
        if d.subtitle:
            yield f'<p class="subtitle">{_t(d.subtitle)}</p>'
        if d.draft:
            yield '<span class="marking">DRAFT — not approved for release</span>'
        if d.confidential:
            yield '<span class="marking">CONFIDENTIAL</span>'
        yield "</header>"
        for index, block in enumerate(d.blocks):
            if isinstance(block, Heading):
                level = min(max(block.level, 1), 4) + 1
                yield f'<h{level} id="{self.anchor[index]}">{_t(block.text)}</h{level}>'
            elif isinstance(block, Paragraph):
                yield self._paragraph(block)
            elif isinstance(block, Bullets):
                tag = "ol" if block.numbered else "ul"
                items = "".join(f"<li>{_cell(i, False)}</li>" for i in block.items)
                yield f"<{tag}>{items}</{tag}>"
            elif isinstance(block, Table):
                yield self._table(block)
            elif isinstance(block, Image):
                yield self._image(block)
            elif isinstance(block, Toc):
                yield self._nav()
        if d.footer:
            yield f'<footer class="doc">{_t(d.footer)}</footer>'

    def _paragraph(self, block: Paragraph) -> str:
        cls = f' class="{_t(block.style)}"' if block.style else ""
        prefix = f"<strong>{_t(block.bold_prefix)}</strong> " if block.bold_prefix else ""
        return f"<p{cls}>{prefix}{_cell(block.text, False)}</p>"

    def _nav(self) -> str:
        items = "".join(f'<li class="l{lv}"><a href="#{a}">{_t(text)}</a></li>' for lv, text, a in self.toc)
        return f'<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>{items}</ol></nav>'

    def _image(self, block: Image) -> str:
        data = base64.b64encode(Path(block.path).read_bytes()).decode("ascii")
        mime = "image/png" if str(block.path).lower().endswith(".png") else "image/jpeg"
        caption = ""
        if block.caption:
            self.figures += 1
            caption = f"<figcaption>Figure {self.figures}: {_t(block.caption)}</figcaption>"
        width = f' style="width:{min(block.width_cm / 16.0 * 100, 100):.0f}%"'
        return f'<figure><img src="data:{mime};base64,{data}" alt="{_t(block.caption)}"{width}>{caption}</figure>'

    def _table(self, block: Table) -> Iterator[str]:
        self.tables += 1
        tid = f"t{self.tables}"
        widths = column_widths(block, 10000)
        total = sum(widths) or 1
        compact = total < 9990
        ncol = len(widths)
        bold = set(bold_columns(block))
        selectable = self._selectable(block, ncol) if len(block.rows) >= FILTER_MIN_ROWS else {}
        if len(block.rows) >= FILTER_MIN_ROWS:
            yield self._filter_bar(tid, block, selectable)
        cls = ' class="compact"' if compact else ""
        yield f'<div class="tablewrap"><table id="{tid}"{cls}>'
        if block.caption:
            yield f"<caption>Table {self.tables}: {_t(block.caption)}</caption>"
        yield "<colgroup>" + "".join(f'<col style="width:{w * 100 / total:.1f}%">' for w in widths) + "</colgroup>"
        if block.header:
            yield "<thead><tr>" + "".join(f"<th>{_t(h)}</th>" for h in block.header) + "</tr></thead>"
        yield "<tbody>"
        fills = block.fills
        for r, row in enumerate(block.rows):
            cells = []
            for c in range(ncol):
                text = row[c] if c < len(row) else ""
                fill = fills.get((r, c)) if fills else None
                style = f' style="background:#{_t(fill)}"' if fill else ""
                value = f' data-v="{_t(text)}"' if c in selectable else ""
                cells.append(f"<td{style}{value}>{_cell(text, c in bold)}</td>")
            yield "<tr>" + "".join(cells) + "</tr>"
        yield "</tbody></table></div>"

    @staticmethod
    def _selectable(block: Table, ncol: int) -> dict[int, list[str]]:
        """Columns with few distinct single-line values: worth a drop-down filter."""
        out: dict[int, list[str]] = {}
        for c in range(ncol):
            values = {row[c] if c < len(row) else "" for row in block.rows}
            if 1 < len(values) <= SELECT_MAX_VALUES and all("\n" not in v and len(v) <= 40 for v in values):
                out[c] = sorted(values)
        return out

    def _filter_bar(self, tid: str, block: Table, selectable: dict[int, list[str]]) -> str:
        parts = [
            f'<div class="filterbar" data-table="{tid}">',
            '<input type="search" placeholder="Filter rows…" aria-label="Filter rows">',
        ]
        for c, values in selectable.items():
            name = block.header[c] if c < len(block.header) else f"Column {c + 1}"
            options = "".join(f'<option value="{_t(v)}">{_t(v) or "(empty)"}</option>' for v in values)
            parts.append(f'<select data-col="{c}" aria-label="{_t(name)}"><option value="">{_t(name)}: all</option>{options}</select>')
        parts.append('<span class="count"></span></div>')
        return "".join(parts)


def render_html(doc: Doc) -> str:
    """The Doc as a complete, self-contained HTML page."""
    return HtmlRenderer(doc).render()


def write_html(doc: Doc, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.writelines(HtmlRenderer(doc).pieces())


class HtmlExporter(Exporter):
    name = "html"
    suffix = ".html"

    def write(self, model: Model, path: Path, ctx: ExportContext) -> None:
        from mdptm.documents.ptm import build_ptm_doc

        with tempfile.TemporaryDirectory(prefix="mdptm-html-") as work:
            write_html(build_ptm_doc(model, ctx, Path(work), layout="register"), path)


__all__: Sequence[str] = ("HtmlExporter", "render_html", "write_html")
