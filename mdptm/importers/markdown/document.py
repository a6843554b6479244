"""The block tree of a Markdown file: markdown-it-py's token stream as sections of paragraphs, lists, tables and code."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from mdptm.importers.tabular.vocab import (
    one_line,
)

if TYPE_CHECKING:  # markdown-it is imported when a Markdown file is read, not when the door is opened
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    return MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(deflist_plugin)


# ----------------------------------------------------------------------------- the block tree


@dataclass
class Inline:
    """The plain text of an inline run, its leading bold label and its links."""

    text: str
    bold_lead: str | None = None  # the text of a leading **bold** run
    after_bold: str = ""  # the text after it
    links: list[tuple[str, str]] = field(default_factory=list)  # (text, href)


@dataclass
class Para:
    inline: Inline
    line: int


@dataclass
class ListItem:
    parts: list[Inline]
    line: int
    children: list[MdList] = field(default_factory=list)

    @property
    def lead(self) -> Inline:
        return self.parts[0] if self.parts else Inline("")

    def all_text(self, depth: int = 0) -> str:
        """The item with its nested items, as indented lines."""
        lines = [("  " * depth) + p.text for p in self.parts if p.text]
        lines.extend(it.all_text(depth + 1) for child in self.children for it in child.items)
        return "\n".join(lines)

    def all_links(self) -> list[tuple[str, str]]:
        out = [link for p in self.parts for link in p.links]
        for child in self.children:
            for it in child.items:
                out.extend(it.all_links())
        return out


@dataclass
class MdList:
    ordered: bool
    items: list[ListItem]
    line: int


@dataclass
class MdTable:
    rows: list[list[str]]
    line: int
    end: int


@dataclass
class Code:
    info: str
    content: str
    line: int


@dataclass
class Other:
    """A block read for the report only: a definition list, front matter."""

    what: str
    line: int
    end: int
    text: str = ""


MdBlock = Para | MdList | MdTable | Code | Other


@dataclass
class Section:
    level: int
    title: str
    line: int
    blocks: list[MdBlock] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    hidden: list[tuple[int, str]] = field(default_factory=list)  # (line, what) of text a reader does not see (root only)


# an inline HTML element a browser does not show: hidden, display:none, visibility:hidden, a zero font size
_HIDDEN_OPEN = re.compile(
    r"^<([A-Za-z][\w-]*)\b[^>]*?(?:\shidden\b|\saria-hidden\s*=\s*[\"']?true|display\s*:\s*none|visibility\s*:\s*hidden"
    r"|font-size\s*:\s*0(?:\.0*)?(?:px|pt|em|rem|%)?\s*[;\"'])[^>]*>$",
    re.IGNORECASE | re.DOTALL,
)
_COMMENT = re.compile(r"^<!--.*-->$", re.DOTALL)
_BREAK = re.compile(r"^<br\s*/?>$", re.IGNORECASE)
# A line opening with a short plain label: "Mitigation: …", "Residual risk:    …", "Stated?:  YES"
_LINE_LABEL = re.compile(r"^\s*[A-Z][\w()/?-]*(?: [\w()/?-]+){0,3}:\s")
_VOID = {"br", "img", "hr", "input", "wbr", "meta", "link", "source"}
_HIDDEN_FOUND: list[tuple[int, str]] = []  # filled while a document is parsed, then kept on its root section


def _blank(parts: list[str]) -> bool:
    """Nothing but white space or a task-list box ("- [ ] **Threat:** ...") before a bold label."""
    return "".join(parts).strip() in ("", "[ ]", "[x]", "[X]")


def _inline(tok: Token) -> Inline:
    parts: list[str] = []
    hidden_tag: str | None = None  # the element whose text is being left out
    hidden_depth = 0
    links: list[tuple[str, str]] = []
    bold_lead: str | None = None
    in_strong = 0
    strong_buf: list[str] = []
    lead_open = True  # still before any text outside the first bold run
    link_href: str | None = None
    link_buf: list[str] = []
    after_lead_at = -1
    children = tok.children or []
    for k, ch in enumerate(children):
        t = ch.type
        line_break: str | None = None
        if t == "html_inline":
            html = ch.content.strip()
            if hidden_tag is not None:
                name = re.match(r"^</?\s*([A-Za-z][\w-]*)", html)
                if name and name.group(1).lower() == hidden_tag:
                    if html.startswith("</"):
                        hidden_depth -= 1
                    elif not html.endswith("/>"):
                        hidden_depth += 1
                    if hidden_depth == 0:
                        hidden_tag = None
                continue
            opened = _HIDDEN_OPEN.match(html)
            if opened and opened.group(1).lower() not in _VOID and not html.endswith("/>"):
                hidden_tag, hidden_depth = opened.group(1).lower(), 1
                _HIDDEN_FOUND.append((_line(tok), f"text in a hidden <{hidden_tag}>"))
                continue
            if _COMMENT.match(html) and html[4:-3].strip():
                _HIDDEN_FOUND.append((_line(tok), "an HTML comment"))
            if not _BREAK.match(html):
                continue
            line_break = "\n"  # "<br>" in a table cell or a line: a line break, as a reader sees it
        elif hidden_tag is not None:
            continue
        if line_break is not None:
            parts.append(line_break)
            if link_href is not None:
                link_buf.append(line_break)
            continue
        if t == "strong_open":
            in_strong += 1
            if lead_open and bold_lead is None and _blank(parts):
                strong_buf = []
            continue
        if t == "strong_close":
            in_strong -= 1
            if lead_open and bold_lead is None and in_strong == 0 and _blank(parts):
                bold_lead = "".join(strong_buf)
                lead_open = False
                parts.append(bold_lead)
                after_lead_at = len(parts)
            continue
        if t in ("text", "code_inline", "html_inline"):
            text = ch.content if t != "html_inline" else ""
        elif t == "softbreak":
            # A line break before a bold run may start another label ("**Mitigation:** ..."): kept as a line.
            nxt_tok = next((c for c in children[k + 1 :] if c.type != "text" or c.content), None)
            nxt = nxt_tok.type if nxt_tok is not None else ""
            # ... as is a line that opens with a plain label ("   Mitigation: derive …", "  Asset:   Snapshot")
            label_line = nxt == "text" and nxt_tok is not None and _LINE_LABEL.match(nxt_tok.content) is not None
            text = "\n" if nxt == "strong_open" or label_line else " "
        elif t == "hardbreak":
            text = "\n"
        elif t == "link_open":
            link_href = str(ch.attrs.get("href", ""))
            link_buf = []
            continue
        elif t == "link_close":
            links.append(("".join(link_buf), link_href or ""))
            link_href = None
            continue
        elif t == "image":
            continue
        else:
            continue
        if link_href is not None:
            link_buf.append(text)
        if in_strong and lead_open and bold_lead is None and _blank(parts):
            strong_buf.append(text)
            continue
        if text.strip():
            lead_open = False if bold_lead is None and in_strong == 0 else lead_open
        parts.append(text)
    text = "".join(parts)
    after = "".join(parts[after_lead_at:]) if bold_lead is not None else ""
    return Inline(text=text.strip(), bold_lead=bold_lead.strip() if bold_lead else None, after_bold=after, links=links)


def _close(tokens: list[Token], i: int) -> int:
    """Index of the token closing the one opened at *i*."""
    open_tok = tokens[i]
    want = open_tok.type.replace("_open", "_close")
    for j in range(i + 1, len(tokens)):
        if tokens[j].type == want and tokens[j].level == open_tok.level:
            return j
    return len(tokens) - 1


# Blank lines put in before parsing (their 0-based indexes in the text parsed, in order): every line number
# said of the file is the author's own, counted without them.
_PUT_IN: list[int] = []


def _orig(n: int) -> int:
    """Line index *n* of the text parsed, as a line index of the author's file."""
    return n - sum(1 for k in _PUT_IN if k < n)


def _line(tok: Token) -> int:
    return (_orig(tok.map[0]) + 1) if tok.map else 0


_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+\S")
_FENCE = re.compile(r"^\s{0,3}(?:```|~~~)")
# "**Status**: ✅ Implemented" at the margin, right under a bullet: a field label, not more words of the bullet
_MARGIN_LABEL = re.compile(r"^\*\*[^*\n]{1,40}?(?::\*\*|\*\*\s*:)")


def _end_lazy_labels(text: str) -> str:
    """A bold label written at the margin on the line right after a list item ("- Secure localStorage" then
    "**Status**: ✅ Implemented") continues that item in CommonMark (a lazy line), yet its author wrote the
    next field of the block: a blank line is put in before it (and kept in ``_PUT_IN``)."""
    _PUT_IN.clear()
    if "**" not in text:
        return text
    out: list[str] = []
    in_item = in_fence = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and in_item and _MARGIN_LABEL.match(line):
            _PUT_IN.append(len(out))
            out.append("")
            in_item = False
        if not line.strip():
            in_item = False
        elif _LIST_ITEM.match(line) and not in_fence:
            in_item = True
        out.append(line)
    return "\n".join(out)


def _parse_list(tokens: list[Token], i: int, hoisted: list[MdTable] | None = None) -> tuple[MdList, int]:
    """A list from its opening token; a table written inside an item (indented under "3. **Risk analysis**") is
    no text of the item: it goes to *hoisted*, read as a table of its own after the list."""
    end = _close(tokens, i)
    lst = MdList(ordered=tokens[i].type == "ordered_list_open", items=[], line=_line(tokens[i]))
    j = i + 1
    while j < end:
        tok = tokens[j]
        if tok.type == "list_item_open":
            item_end = _close(tokens, j)
            item = ListItem(parts=[], line=_line(tok))
            k = j + 1
            while k < item_end:
                t = tokens[k]
                if t.type == "inline":
                    item.parts.append(_inline(t))
                    k += 1
                elif t.type in ("bullet_list_open", "ordered_list_open"):
                    child, k = _parse_list(tokens, k, hoisted)
                    item.children.append(child)
                elif t.type == "table_open":
                    tbl, k = _parse_table(tokens, k)
                    if hoisted is not None:
                        hoisted.append(tbl)
                elif t.type in ("fence", "code_block") and t.content.strip():
                    item.parts.append(Inline(t.content.strip()))
                    k += 1
                else:
                    k += 1
            lst.items.append(item)
            j = item_end + 1
        else:
            j += 1
    return lst, end + 1


def _parse_table(tokens: list[Token], i: int) -> tuple[MdTable, int]:
    end = _close(tokens, i)
    rows: list[list[str]] = []
    row: list[str] | None = None
    for t in tokens[i:end]:
        if t.type == "tr_open":
            row = []
        elif t.type == "tr_close" and row is not None:
            rows.append(row)
            row = None
        elif t.type == "inline" and row is not None:
            row.append(_inline(t).text)
    span = tokens[i].map
    last = _orig(span[1]) if span else _line(tokens[i])
    return MdTable(rows=rows, line=_line(tokens[i]), end=last), end + 1


# An editor's export of Markdown typed as text (Google Docs, Pandoc from Word): every mark is escaped,
# "\\# Title", "\\| ID \\| Threat \\|", "\\*\\*Threat:\\*\\*". Lines that open with an escaped mark betray it.
_ESCAPED_LINE = re.compile(r"^\s{0,3}(?:\\(?:#|\||[-*+>]\s|\*\\\*|\[)|\d+\\\.\s)")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def unescape_export(text: str) -> tuple[str, int]:
    """The text with an editor's escapes undone (outside code fences), and how many lines betrayed them;
    the text unchanged when fewer than two lines open with an escaped mark. Lines stay where they are."""
    lines = text.split("\n")
    marked = sum(1 for ln in lines if _ESCAPED_LINE.match(ln))
    if marked < 2:
        return text, 0
    out, fenced = [], False
    for ln in lines:
        if _FENCE.match(ln):
            fenced = not fenced
        out.append(ln if fenced else _ESCAPE.sub(r"\1", ln))
    return "\n".join(out), marked


def parse_markdown(text: str) -> Section:
    """The document as a tree of sections holding their blocks, from markdown-it's tokens."""
    tokens = _parser().parse(_end_lazy_labels(text))
    root = Section(0, "", 1)
    _HIDDEN_FOUND.clear()
    stack = [root]
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.type == "heading_open":
            level = int(t.tag[1:]) if t.tag[1:].isdigit() else 6
            title = _inline(tokens[i + 1]).text if i + 1 < len(tokens) and tokens[i + 1].type == "inline" else ""
            while stack[-1].level >= level:
                stack.pop()
            sec = Section(level, one_line(title), _line(t))
            stack[-1].children.append(sec)
            stack.append(sec)
            i = _close(tokens, i) + 1
        elif t.type == "paragraph_open":
            if i + 1 < len(tokens) and tokens[i + 1].type == "inline":
                stack[-1].blocks.append(Para(_inline(tokens[i + 1]), _line(t)))
            i = _close(tokens, i) + 1
        elif t.type in ("bullet_list_open", "ordered_list_open"):
            nested: list[MdTable] = []
            lst, i = _parse_list(tokens, i, nested)
            stack[-1].blocks.append(lst)
            stack[-1].blocks.extend(nested)
        elif t.type == "table_open":
            tbl, i = _parse_table(tokens, i)
            stack[-1].blocks.append(tbl)
        elif t.type in ("fence", "code_block"):
            stack[-1].blocks.append(Code(t.info.strip(), t.content, _line(t)))
            i += 1
        elif t.type == "front_matter":
            end = _orig(t.map[1]) if t.map else 1
            stack[-1].blocks.append(Other("front matter", _line(t), end, t.content))
            i += 1
        elif t.type == "dl_open":
            j = _close(tokens, i)
            words = [_inline(x).text for x in tokens[i:j] if x.type == "inline"]
            span = tokens[i].map
            end = _orig(span[1]) if span else _line(t)
            stack[-1].blocks.append(Other("definition list", _line(t), end, "\n".join(words)))
            i = j + 1
        elif t.type == "html_block" and _HTML_TABLE.match(t.content.strip()):
            # "<table><tr><th>Threat</th>…": a table written in HTML inside the Markdown, read as a pipe table is
            fragment, span = t.content, t.map
            while "</table" not in fragment.lower() and i + 1 < len(tokens) and tokens[i + 1].type == "html_block":
                i += 1  # a blank line inside the table ends markdown-it's HTML block: the table goes on in the next
                fragment, span = fragment + tokens[i].content, tokens[i].map or span
            last = _orig(span[1]) if span else _line(t)
            for rows in html_tables(fragment, _line(t)):
                stack[-1].blocks.append(MdTable(rows=rows, line=_line(t), end=last))
            i += 1
        elif t.type == "html_block":  # not read: a comment or hidden element is said in the report
            block = t.content.strip()
            if _COMMENT.match(block) and block[4:-3].strip():
                _HIDDEN_FOUND.append((_line(t), "an HTML comment"))
            elif _HIDDEN_OPEN.match(block.split(">", 1)[0] + ">") and re.sub(r"<[^>]*>", "", block).strip():
                _HIDDEN_FOUND.append((_line(t), "a hidden HTML block"))
            i += 1
        else:
            i += 1  # blockquotes and other containers are read through; rules carry nothing
    root.hidden = sorted(set(_HIDDEN_FOUND))
    _HIDDEN_FOUND.clear()
    return root


_HTML_TABLE = re.compile(r"^(?:<(?:div|details|figure|center)\b[^>]*>\s*)*<table\b", re.IGNORECASE)


class _TableHTML(HTMLParser):
    """The rows of the tables in an HTML fragment, each cell as the text a reader sees: "<br>" and block
    elements as line breaks, a cell spanning rows repeated in the rows it covers, one spanning columns given
    once and followed by empty cells. Text in an element a browser hides is left out (and said)."""

    def __init__(self, line: int) -> None:
        super().__init__(convert_charrefs=True)
        self.line = line
        self.tables: list[list[list[str]]] = []
        self.rows: list[list[str]] | None = None
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.spans: list[tuple[int, int]] = []  # (rowspan, colspan) of each cell of the row being read
        self.down: dict[int, tuple[int, str]] = {}  # column -> (rows still covered, text) of a rowspan
        self.hidden: list[str] = []  # the hidden elements open

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        shown = " ".join(f'{k}="{v or ""}"' for k, v in attrs)
        if self.hidden or (tag not in _VOID and _HIDDEN_OPEN.match(f"<{tag} {shown}>")):
            if tag not in _VOID:
                if not self.hidden:
                    _HIDDEN_FOUND.append((self.line, f"text in a hidden <{tag}>"))
                self.hidden.append(tag)
            return
        if tag == "table":
            self.rows = []
        elif tag == "tr" and self.rows is not None:
            self.row, self.spans = [], []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
            got = dict(attrs)
            self.spans.append((_span(got.get("rowspan")), _span(got.get("colspan"))))
        elif self.cell is not None and tag in ("br", "p", "div", "li", "tr"):
            self.cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.hidden:
            if tag == self.hidden[-1]:
                self.hidden.pop()
            return
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            lines = [" ".join(ln.split()) for ln in "".join(self.cell).split("\n")]
            self.row.append("\n".join(ln for ln in lines if ln))
            self.cell = None
        elif tag == "tr" and self.row is not None and self.rows is not None:
            self.rows.append(self._placed(self.row, self.spans))
            self.row = None
        elif tag == "table" and self.rows is not None:
            self.tables.append(self.rows)
            self.rows, self.down = None, {}

    def handle_data(self, data: str) -> None:
        if self.cell is not None and not self.hidden:
            self.cell.append(data)

    def _placed(self, cells: list[str], spans: list[tuple[int, int]]) -> list[str]:
        out: list[str] = []
        queue = list(zip(cells, spans, strict=True))
        col = 0
        while queue or any(c >= col for c in self.down):
            if col in self.down:
                left, text = self.down[col]
                out.append(text)
                self.down = {**self.down, col: (left - 1, text)} if left > 1 else {k: v for k, v in self.down.items() if k != col}
                col += 1
                continue
            if not queue:
                break
            text, (rows, cols) = queue.pop(0)
            if rows > 1:
                self.down[col] = (rows - 1, text)
            out.append(text)
            out.extend("" for _ in range(cols - 1))
            col += cols
        return out


def _span(value: str | None) -> int:
    return max(1, min(int(value), 100)) if value and value.strip().isdigit() else 1


def html_tables(fragment: str, line: int) -> list[list[list[str]]]:
    """The tables of an HTML fragment as rows of cell texts (see :class:`_TableHTML`)."""
    reader = _TableHTML(line)
    reader.feed(fragment)
    reader.close()
    if reader.rows:  # a table never closed: the rows read are kept
        reader.tables.append(reader.rows)
    return [rows for rows in reader.tables if rows]


def iter_sections(sec: Section) -> Iterator[Section]:
    yield sec
    for child in sec.children:
        yield from iter_sections(child)
