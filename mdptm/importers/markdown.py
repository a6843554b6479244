"""Markdown (``.md``) threat models as people keep them in their repositories (SPEC §3).

The text is parsed by markdown-it-py (CommonMark with pipe tables, front matter and definition lists);
this module only reads its token stream. Headings are sections and FDA views as in Word; pipe tables
are Word tables (:mod:`mdptm.importers.tabular.tables`); threats are heading blocks with bold-label or bullet fields,
labelled bullets (``**Threat:**`` / ``**Mitigation:**``) or bullets under a STRIDE heading; mermaid
flowcharts give elements, flows and trust zones. A block that is not read is reported as skipped with
its reason; nothing is made from prose that merely talks about threats.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from mdptm.base.text import slug
from mdptm.errors import InputError
from mdptm.importers.doors import MarkdownDoor
from mdptm.importers.merge import norm_name
from mdptm.importers.tabular.records import SourceBuilder, first_sentence
from mdptm.importers.tabular.resolve import resolve_references
from mdptm.importers.tabular.tables import Grid, RowRecord, load_profile, profile_vocabulary, stride_default
from mdptm.importers.tabular.vocab import (
    Vocabulary,
    clean_text,
    fact_key,
    is_empty,
    match_header,
    norm_text,
    one_line,
    parse_risk,
    parse_stride,
    stride_letters_only,
    vocabulary,
)
from mdptm.model import Model, View
from mdptm.model.vocabulary import shipped, stride_title
from mdptm.plugins import ImportContext

if TYPE_CHECKING:  # markdown-it is imported when a Markdown file is read, not when the door is opened
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

MAX_BYTES = 20_000_000
VIEW_IDS = {
    "global_system": "view-global-system",
    "multi_patient_harm": "view-multi-patient-harm",
    "updatability_patchability": "view-updatability-patchability",
}
_HEADING_ID = re.compile(
    r"^\s*(?P<word>[A-Za-z][A-Za-z ]{0,24}?)\s*(?:#\s*|[-_]\s*)?(?P<num>\d+(?:\.\d+)*[a-z]?)(?P<suffix>-[A-Z]{1,3}\b)?"
    r"\s*(?:[:：.\-–—)]\s*|\s+|$)(?P<rest>.*)$"
)
_PREFIX_ID = re.compile(r"^\s*(?P<pre>[A-Za-z]{1,6})[-_.]?(?P<num>\d+(?:\.\d+)*[a-z]?)\s*(?:[:：.\-–—)]\s*|\s+|$)(?P<rest>.*)$")
_PLACEHOLDER = re.compile(r"\[[^\]]*\]|<[^>]*>|\.\.\.|…|TBD|TODO|x+|-+", re.I)
_LABEL_END = re.compile(r"^\s*[:：\-–—]\s*")


class MarkdownWords(BaseModel):
    """``markdown.yaml``: the words the Markdown importer reads threat models by."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    schema_version: int
    labels: dict[str, list[str]]
    threat_list_labels: list[str]
    threat_labels: list[str]
    generic_headings: list[str]
    skip_sections: dict[str, list[str]]
    threat_words: list[str]
    threat_prefixes: list[str]
    control_words: list[str]
    control_prefixes: list[str]
    asset_words: list[str]
    zone_words: list[str]
    zone_noise: list[str]
    flow_context: list[str]
    diagram_languages: list[str]


@cache
def markdown_words() -> dict[str, Any]:
    """The Markdown importer's words (``mappings/vocabulary/markdown.yaml``)."""
    data: dict[str, Any] = shipped("markdown", MarkdownWords).model_dump()
    return data


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


def _blank(parts: list[str]) -> bool:
    """Nothing but white space or a task-list box ("- [ ] **Threat:** ...") before a bold label."""
    return "".join(parts).strip() in ("", "[ ]", "[x]", "[X]")


def _inline(tok: Token) -> Inline:
    parts: list[str] = []
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
            nxt = next((c.type for c in children[k + 1 :] if c.type != "text" or c.content), "")
            text = "\n" if nxt == "strong_open" else " "
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


def _line(tok: Token) -> int:
    return (tok.map[0] + 1) if tok.map else 0


def _parse_list(tokens: list[Token], i: int) -> tuple[MdList, int]:
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
                    child, k = _parse_list(tokens, k)
                    item.children.append(child)
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
    last = span[1] if span else _line(tokens[i])
    return MdTable(rows=rows, line=_line(tokens[i]), end=last), end + 1


def parse_markdown(text: str) -> Section:
    """The document as a tree of sections holding their blocks, from markdown-it's tokens."""
    tokens = _parser().parse(text)
    root = Section(0, "", 1)
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
            lst, i = _parse_list(tokens, i)
            stack[-1].blocks.append(lst)
        elif t.type == "table_open":
            tbl, i = _parse_table(tokens, i)
            stack[-1].blocks.append(tbl)
        elif t.type in ("fence", "code_block"):
            stack[-1].blocks.append(Code(t.info.strip(), t.content, _line(t)))
            i += 1
        elif t.type == "front_matter":
            end = t.map[1] if t.map else 1
            stack[-1].blocks.append(Other("front matter", _line(t), end, t.content))
            i += 1
        elif t.type == "dl_open":
            j = _close(tokens, i)
            words = [_inline(x).text for x in tokens[i:j] if x.type == "inline"]
            span = tokens[i].map
            end = span[1] if span else _line(t)
            stack[-1].blocks.append(Other("definition list", _line(t), end, "\n".join(words)))
            i = j + 1
        else:
            i += 1  # blockquotes and other containers are read through; html blocks and rules carry nothing
    return root


# ----------------------------------------------------------------------------- reading


@dataclass
class _Ctx:
    skip: str | None = None  # why the enclosing section holds no records
    asset: str | None = None  # the asset name a block of threats is about
    stride: str | None = None
    view: str | None = None
    zone: str | None = None
    headings: tuple[str, ...] = ()
    list_kind: str | None = None  # "assumption" or "out_of_scope" under such a heading


@dataclass
class _Fields:
    values: dict[str, list[str]] = field(default_factory=dict)
    links: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # field -> label as written
    lead: list[str] = field(default_factory=list)  # text before any label
    tables: list[MdTable] = field(default_factory=list)
    others: list[MdBlock] = field(default_factory=list)

    def add(self, fname: str, text: str, links: list[tuple[str, str]] | None = None) -> None:
        if text.strip():
            self.values.setdefault(fname, []).append(text.strip())
        if links:
            self.links.setdefault(fname, []).extend(links)

    def text(self, fname: str) -> str:
        return "\n\n".join(self.values.get(fname, []))


@dataclass
class _Pending:
    """A threat read from prose: its row record, and its mitigation as written."""

    rec: RowRecord
    mitigation: str = ""
    mitigation_refs: list[str] = field(default_factory=list)
    threat_id: str = ""
    shared_with: _Pending | None = None  # takes the control made for another threat's mitigation
    control: str = ""


class _Reader:
    def __init__(self, builder: SourceBuilder, vocab: Vocabulary):
        self.b = builder
        self.vocab = vocab
        self.words = markdown_words()
        self.file = builder.file
        self.labels: dict[str, str] = {}
        for fname, words in self.words["labels"].items():
            for w in words:
                self.labels.setdefault(norm_text(str(w)), str(fname))
        self.skip_rx = {k: [re.compile(p, re.I) for p in v] for k, v in self.words["skip_sections"].items()}
        secs = vocab.sections
        self.view_rx = {k: [re.compile(p, re.I) for p in cfg["patterns"]] for k, cfg in secs["views"].items()}
        self.numbering = re.compile(secs["numbering"], re.I)
        self.section_rx = {k: [re.compile(p, re.I) for p in v] for k, v in secs["sections"].items()}
        self.threat_list_labels = frozenset(norm_text(str(w)) for w in self.words["threat_list_labels"])
        self.generic_words = frozenset(norm_text(str(w)) for w in self.words["generic_headings"])
        self.threat_ids: dict[str, str] = {}  # heading id -> its threat's title, to tell a reused id
        self.threats: list[_Pending] = []
        self.controls: list[RowRecord] = []
        self.control_backlinks: dict[str, tuple[list[str], str]] = {}  # control id -> (threat ids, locator)
        self.tables: list[tuple[MdTable, _Ctx]] = []
        self.codes: list[tuple[Code, _Ctx]] = []
        self.assets: dict[str, str] = {}  # norm name -> asset id
        self.asset_numbers: dict[str, str] = {}  # written number -> norm name
        self.zones: dict[str, str] = {}  # norm name -> name as first written
        self.view_ids: set[str] = set()
        self.views: dict[str, View] = {}
        self.view_text: dict[str, list[str]] = {}
        self.explicit_ids: set[str] = set()
        self.control_n = 0
        self.n_tables = 0
        self.n_sections = 0

    # -- words

    def label_of(self, text: str | None) -> str | None:
        if not text:
            return None
        return self.labels.get(norm_text(text.rstrip(":：")))

    def skip_kind(self, title: str) -> str | None:
        for kind, rxs in self.skip_rx.items():
            if any(rx.search(title) for rx in rxs):
                return str(kind)
        return None

    def strip_number(self, text: str) -> str:
        m = self.numbering.match(text)
        return text[m.end() :].strip() if m else text.strip()

    def view_kind(self, text: str) -> str | None:
        for kind, rxs in self.view_rx.items():
            if any(rx.search(text) for rx in rxs):
                return str(kind)
        return None

    def heading_id(self, title: str, kind: str) -> tuple[str, str] | None:
        """("T-3", "title") for "Threat ID 3 - title" or "T-03: title" when the heading names a *kind*."""
        words = {norm_text(str(w)) for w in self.words[f"{kind}_words"]}
        m = _HEADING_ID.match(title)
        if m and norm_text(m.group("word")) in words:
            prefix = {"threat": "T", "control": "M", "asset": "A"}[kind]
            return f"{prefix}-{m.group('num')}{m.group('suffix') or ''}", one_line(m.group("rest"))
        prefixes = set(self.words.get(f"{kind}_prefixes", []))
        p = _PREFIX_ID.match(title)
        if p and p.group("pre") in prefixes:
            written = title[p.start("pre") : p.end("num")].strip()
            return written, one_line(p.group("rest"))
        w = re.match(r"^\s*(?P<word>[A-Za-z ]{2,24}?)\s*[:：\-–—]\s+(?P<rest>\S.*)$", title)
        if w and norm_text(w.group("word")) in words:
            return "", one_line(w.group("rest"))  # "Threat: Spoofed update server" has no id
        return None

    def loc(self, line: int, what: str = "") -> str:
        return f"line {line}" + (f" ({what})" if what else "")

    # -- the walk

    def run(self, root: Section) -> None:
        first = next((sec for sec in root.children if sec.level == 1 and sec.title), None)
        if first is not None:
            self.b.add_fact("document.title", first.title, self.loc(first.line, "title"))
        for blk in root.blocks:
            self.block(blk, _Ctx(), owner=None)
        for sec in root.children:
            self.section(sec, _Ctx())
        self.finish()

    def section(self, sec: Section, ctx: _Ctx) -> None:
        before = len(self.threats) + len(self.b.records)
        self.section_body(sec, ctx)
        parent = ctx.headings[-1] if ctx.headings else ""
        if (
            ctx.skip is None
            and len(self.threats) + len(self.b.records) == before
            and self.names_threats(parent)
            and any(isinstance(b, Para) for b in sec.blocks)
        ):
            self.b.warn(
                self.loc(sec.line, f"heading {sec.title[:60]!r}"),
                f"section under {parent!r} not read as a threat: no id in its heading and no labelled fields",
            )

    def section_body(self, sec: Section, ctx: _Ctx) -> None:
        self.n_sections += 1
        title = self.strip_number(sec.title)
        here = _Ctx(ctx.skip, ctx.asset, ctx.stride, ctx.view, ctx.zone, (*ctx.headings, title), ctx.list_kind)
        kind_here = self.section_kind(title)
        if kind_here is not None:
            here.list_kind = kind_here
        where = self.loc(sec.line, f"heading {title[:60]!r}")
        if ctx.skip is None:
            kind = self.skip_kind(title)
            if kind is not None:
                here.skip = f"under the heading {title!r} ({kind}): not threat-model records"
                self.b.report.skipped(self.file, where, f"section {title!r}: {kind}, not threat-model records")
        if here.skip is not None:
            fields = self.fields(sec.blocks)
            if self.is_threat_block(fields):
                label = fields.labels.get("description", "concern")
                self.b.report.skipped(
                    self.file, self.loc(sec.line, f"{label!r} under {title[:60]!r}"), f"{label!r} {here.skip}; not a threat"
                )
            for blk in sec.blocks:
                self.block(blk, here, owner=None)
            for child in sec.children:
                self.section(child, here)
            return
        # "T-01 title" looks like heading numbering ("A-1 Scope"): ids are read before numbering is removed.
        raw = one_line(sec.title)
        threat = self.heading_id(raw, "threat") or self.heading_id(title, "threat")
        control = self.heading_id(raw, "control") or self.heading_id(title, "control")
        asset = self.heading_id(raw, "asset") or self.heading_id(title, "asset")
        where = self.loc(sec.line, f"heading {raw[:60]!r}")
        if threat is not None and threat[0] and self.label_of(threat[1]) == "mitigation":
            self.threat_mitigation(sec, here, threat[0], where)  # "### Threat-01-S Recommended mitigations"
        elif threat is not None:
            self.threat_block(sec, here, threat[0] or None, threat[1], where)
        elif control is not None:
            self.control_block(sec, here, control[0], control[1], where)
        else:
            if asset is not None and asset[1]:
                here.asset = self.asset(asset[0], asset[1], where)
            elif self.zone_name(title):
                here.zone = self.zone(self.zone_name(title) or title, where)
            vkind = self.view_kind(title)
            if vkind is not None:
                here.view = self.view(vkind, title, where)
            stride = self.heading_stride(title)
            if stride:
                here.stride = stride
            fields = self.fields(sec.blocks)
            stride_only = bool(here.stride) and self.heading_stride(title) is not None
            lists = [b for b in sec.blocks if isinstance(b, MdList) and self.labelled_threats(b)]
            generic = set(norm_text(title).split()) <= self.generic_words
            if lists and (stride_only or generic or sum(self.threat_items(b) for b in lists) != 1):
                fields = _Fields()  # "- **Threat:** ..." bullets, several or nested: each one is a threat
            elif stride_only and self.is_threat_block(fields):
                self.threat_block(sec, here, None, "", where, fields=fields)  # titled by its text, not "Repudiation"
                for child in sec.children:
                    self.section(child, here)
                return
            if self.is_threat_block(fields) and asset is None:
                if self.has_threat_children(sec) and "mitigation" not in fields.values:
                    self.b.report.skipped(
                        self.file,
                        where,
                        f"{fields.labels.get('description', 'concern')!r} of the section {title!r} introduces the "
                        "threats under it; not a threat itself",
                    )
                    for blk in fields.tables + fields.others:
                        self.block(blk, here, owner=None)
                else:
                    written = _PREFIX_ID.match(raw)
                    if written is not None and written.group("rest"):
                        tid = raw[written.start("pre") : written.end("num")].strip()
                        self.threat_block(sec, here, tid, one_line(written.group("rest")), where, fields=fields)
                    else:
                        self.threat_block(sec, here, None, title, where, fields=fields)
                for child in sec.children:
                    self.section(child, here)
                return
            if here.stride and not here.view and not self.is_threat_block(fields):
                self.stride_section(sec.blocks, here, where)
            else:
                for blk in sec.blocks:
                    self.block(blk, here, owner=title)
        for child in sec.children:
            self.section(child, here)

    def stride_section(self, blocks: list[MdBlock], ctx: _Ctx, where: str) -> None:
        """Under a STRIDE heading: bullets are threats until a label ("**Mitigations**") opens another field;
        a mitigation list then belongs to every threat of the section (one control)."""
        label: str | None = None
        made: list[_Pending] = []
        mitigation: list[str] = []
        prose = 0
        for blk in blocks:
            if isinstance(blk, Para):
                got = self.para_label(blk.inline)
                if got is not None:
                    label = got[0]
                    if got[1]:
                        (mitigation if label == "mitigation" else []).append(got[1])
                elif label == "mitigation":
                    mitigation.append(blk.inline.text)
                else:
                    prose += 1
                continue
            if isinstance(blk, MdList) and label == "mitigation":
                mitigation.extend("- " + it.all_text() for it in blk.items)
                continue
            listed = isinstance(blk, MdList) and label is not None and label.startswith("extra:")
            if listed and label is not None and norm_text(label[6:]) in self.threat_list_labels:
                label = "description"  # "**Risks:**" over a list of bullets: each bullet is a threat
            if isinstance(blk, MdList) and label is not None and label != "description":
                self.b.report.skipped(self.file, self.loc(blk.line, "list"), f"list under the label {label!r} of a STRIDE section")
                continue
            before = len(self.threats)
            self.block(blk, ctx, owner=None)
            made.extend(self.threats[before:])
        if prose and not made:
            self.b.warn(where, f"{prose} paragraph(s) under this STRIDE heading not read as threats (prose, no bullet or label)")
        text = "\n".join(m for m in mitigation if m.strip())
        if text and made:
            if len(made) > 1:
                self.b.warn(where, f"one mitigation list for the {len(made)} threats of this STRIDE section: linked to each")
            made[0].mitigation = text
            for other in made[1:]:
                other.shared_with = made[0]
        elif text:
            self.b.report.skipped(self.file, where, "mitigations under a STRIDE heading with no threat bullets")

    def names_threats(self, heading: str) -> bool:
        """A heading that announces a list of threats ("Threats", "Identified threats", "Threat model" excepted)."""
        words = set(norm_text(self.strip_number(heading)).split())
        return bool(words & {"threat", "threats", "attacks", "risks"}) and words <= self.generic_words - {"model"}

    def section_kind(self, title: str) -> str | None:
        """Assumptions and out-of-scope sections, named as the Word importer names them."""
        names = {"assumptions": "assumption", "out_of_scope": "out_of_scope", "assets": "asset", "elements": "element"}
        for kind, item_kind in names.items():
            if any(rx.search(title) for rx in self.section_rx.get(kind, [])):
                return item_kind
        return None

    def has_threat_children(self, sec: Section) -> bool:
        for child in sec.children:
            title = self.strip_number(child.title)
            if self.skip_kind(title):
                continue
            if self.heading_id(one_line(child.title), "threat") or self.heading_id(title, "threat"):
                return True
            if self.is_threat_block(self.fields(child.blocks)):
                return True
            if self.has_threat_children(child):
                return True
        return False

    def is_threat_block(self, fields: _Fields) -> bool:
        return any(f in fields.values for f in self.words["threat_labels"])

    # -- fields of a block

    def fields(self, blocks: list[MdBlock]) -> _Fields:
        """Split a section's blocks into labelled fields: ``**Concern**`` paragraphs, ``Impact: ...`` bullets."""
        out = _Fields()
        current: str | None = None
        for blk in blocks:
            if isinstance(blk, Para):
                inl = blk.inline
                got = self.para_label(inl)
                label, rest = got if got is not None else (None, "")
                if label is not None:
                    out.labels.setdefault(label, one_line(inl.bold_lead or inl.text.partition(":")[0]))
                    for part_label, part in self.split_labels(label, rest):
                        current = part_label
                        out.add(part_label, part, inl.links if part_label == label else None)
                elif current is not None:
                    out.add(current, inl.text, inl.links)
                else:
                    out.lead.append(inl.text)
            elif isinstance(blk, MdList):
                labelled = [self.item_label(it) for it in blk.items]
                if any(lab is not None for lab, _r in labelled):
                    for it, (lab, rest) in zip(blk.items, labelled, strict=True):
                        if lab is not None:
                            out.labels.setdefault(lab, lab)
                            nested = "\n".join(sub.all_text() for ch in it.children for sub in ch.items)
                            for part_label, part in self.split_labels(lab, "\n".join(x for x in (rest, nested) if x)):
                                current = part_label
                                out.add(part_label, part, it.all_links() if part_label == lab else None)
                        elif current is not None:
                            out.add(current, "- " + it.all_text(), it.all_links())
                elif current is not None:
                    for it in blk.items:
                        out.add(current, "- " + it.all_text(), it.all_links())
                else:
                    out.lead.extend("- " + it.all_text() for it in blk.items)
            elif isinstance(blk, MdTable):
                out.tables.append(blk)
            else:
                out.others.append(blk)
        return out

    def para_label(self, inl: Inline) -> tuple[str, str] | None:
        """(field, rest) for a paragraph that opens a field: "**Concern**", "**Threat:** text", "Impact: ...",
        "Scenario" alone; ("extra:Label", rest) for another short bold label ending in a colon."""
        label = self.label_of(inl.bold_lead)
        if label is not None:
            return label, _LABEL_END.sub("", inl.after_bold).strip()
        head, sep, tail = inl.text.partition(":")
        if sep and len(head.split()) <= 4 and self.label_of(head):
            return str(self.label_of(head)), tail.strip()
        if len(inl.text.split()) <= 4 and self.label_of(inl.text):
            return str(self.label_of(inl.text)), ""
        lead = inl.bold_lead or ""
        if lead and len(lead.split()) <= 4 and (lead.endswith(":") or inl.after_bold.lstrip().startswith(":")):
            return "extra:" + lead.rstrip(": "), _LABEL_END.sub("", inl.after_bold).strip()
        return None

    def split_labels(self, label: str, text: str) -> list[tuple[str, str]]:
        """A field's text with further "Label: ..." lines ("**Threat:** x" then "**Mitigation:** y" in one
        paragraph) split into their own fields."""
        out = [(label, [])]  # type: list[tuple[str, list[str]]]
        for line in text.split("\n"):
            head, sep, tail = line.partition(":")
            other = self.label_of(head.strip("* ")) if sep and len(head.split()) <= 4 else None
            if other is not None:
                out.append((other, [tail.strip("* ").strip()]))
            else:
                out[-1][1].append(line)
        return [(lab, "\n".join(lines).strip()) for lab, lines in out]

    def item_label(self, item: ListItem) -> tuple[str | None, str]:
        lead = item.lead
        label = self.label_of(lead.bold_lead)
        if label is not None:
            return label, _LABEL_END.sub("", lead.after_bold).strip()
        head, sep, tail = lead.text.partition(":")
        if sep and len(head.split()) <= 4:
            label = self.label_of(head)
            if label is not None:
                return label, tail.strip()
        bold = lead.bold_lead or ""
        if bold and len(bold.split()) <= 4 and (bold.endswith(":") or lead.after_bold.lstrip().startswith(":")):
            return "extra:" + bold.rstrip(": "), _LABEL_END.sub("", lead.after_bold).strip()  # "**Case 1:** ..."
        return None, ""

    def heading_stride(self, title: str) -> str | None:
        """The STRIDE category a heading names ("S — Spoofing", "Denial of Service (DoS)")."""
        return stride_default(self.vocab, title)

    # -- items

    def threat_block(self, sec: Section, ctx: _Ctx, tid: str | None, title: str, where: str, fields: _Fields | None = None) -> None:
        fields = fields or self.fields(sec.blocks)
        if tid and tid in self.threat_ids and norm_text(self.threat_ids[tid]) != norm_text(title):
            n = 2
            while f"{tid}-{n}" in self.threat_ids:
                n += 1
            self.b.warn(where, f"threat id {tid} is used again for another threat ({title!r}); this one is {tid}-{n}")
            tid = f"{tid}-{n}"
        if tid:
            self.explicit_ids.add(tid)
            self.threat_ids[tid] = title
        form_rows: list[str] = []
        for tbl in list(fields.tables):
            used = self.form_table(tbl, fields)
            if used:
                fields.tables.remove(tbl)
                first = len(tbl.rows) - used + 1
                form_rows.extend(f"line {tbl.line} (table row {n})" for n in range(first, len(tbl.rows) + 1))
        values: dict[str, str] = {}
        if tid:
            values["id"] = tid
        title = one_line(fields.text("title")) or title
        description = fields.text("description") or "\n\n".join(fields.lead)
        if not title:
            title = first_sentence(description)
        if title:
            values["title"] = title
        impact = fields.text("impact")
        if impact:
            description = f"{description}\n\nImpact: {impact}" if description else f"Impact: {impact}"
        if description:
            values["description"] = description
        for fname in ("stride", "targets", "assets", "status", "risk"):
            if fields.text(fname):
                values[fname] = fields.text(fname)
        if "stride" not in values and ctx.stride:
            values["stride"] = ctx.stride
        if "assets" not in values and ctx.asset:
            values["assets"] = ctx.asset
        rec = self.record("threat", values, where, ctx)
        for key in fields.values:
            if key.startswith("extra:"):
                rec.extra[key[6:]] = fields.text(key)
        pend = _Pending(rec, threat_id=tid or "")
        self.mitigation(pend, fields)
        self.threats.append(pend)
        for loc in form_rows:
            self.b.report.merged(self.file, loc, tid or title)
        for tbl in fields.tables:
            self.block(tbl, ctx, owner=title)
        for blk in fields.others:
            self.block(blk, ctx, owner=title)

    def threat_mitigation(self, sec: Section, ctx: _Ctx, tid: str, where: str) -> None:
        """A heading naming a threat's mitigations: its text is that threat's mitigation field."""
        pend = next((p for p in reversed(self.threats) if p.threat_id == tid), None)
        fields = self.fields(sec.blocks)
        if pend is None:
            self.b.report.skipped(self.file, where, f"mitigations of {tid}, which no heading above describes")
            self.b.warn(where, f"mitigations for {tid} but no threat {tid} above them; not imported")
            return
        joined = fields.text("mitigation") or "\n\n".join(fields.lead)
        merged = _Fields(values={"mitigation": [joined]} if joined else {}, links=fields.links)
        merged.labels["mitigation"] = "mitigation"
        if pend.mitigation or pend.mitigation_refs:
            self.b.warn(where, f"{tid} has mitigations in two places; the text under this heading is added")
            pend.mitigation = "\n\n".join(x for x in (pend.mitigation, joined) if x)
            return
        self.mitigation(pend, merged)
        self.b.report.merged(self.file, where, tid)

    def form_table(self, tbl: MdTable, fields: _Fields) -> int:
        """A two-column table under a threat heading whose first column names fields (``| STRIDE | Spoofing |``,
        ``| Mitigation | MFA |``) is that threat's form: its rows are the threat's fields. Returns the rows read."""
        rows = [r for r in tbl.rows if len(r) >= 2]
        if not rows or any(len(r) != 2 for r in tbl.rows):
            return 0
        body = rows[1:] if not self.label_of(rows[0][0]) else rows
        labelled = [(self.label_of(k), v) for k, v in body if k.strip()]
        if not labelled or sum(lab is not None for lab, _v in labelled) * 2 < len(labelled):
            return 0
        for (key, value), (lab, _v) in zip([(k, v) for k, v in body if k.strip()], labelled, strict=True):
            name = lab if lab is not None else "extra:" + one_line(key)
            fields.labels.setdefault(name, one_line(key))
            fields.add(name, value)
        return len(body)

    def mitigation(self, pend: _Pending, fields: _Fields) -> None:
        text = fields.text("mitigation")
        refs = []
        for link_text, _href in fields.links.get("mitigation", []):
            got = self.heading_id(link_text, "control")
            if got is not None:
                refs.append(got[0])
        if refs:
            pend.mitigation_refs = list(dict.fromkeys(refs))
            return
        plain = one_line(text).strip("*_ .")
        if not plain or is_empty(self.vocab, plain) or norm_text(plain) in ("n a", "na", "none", "not applicable"):
            if "mitigation" in fields.labels and text:
                pend.rec.extra[fields.labels["mitigation"]] = one_line(text)
            return
        ids = [w for w in re.split(r"[\s,;]+", plain) if w]
        if ids and all(_PREFIX_ID.fullmatch(w) or self.heading_id(w, "control") for w in ids):
            pend.mitigation_refs = ids  # "M-01, M-02": references, resolved against the controls
            return
        pend.mitigation = text

    def control_block(self, sec: Section, ctx: _Ctx, cid: str, title: str, where: str) -> None:
        fields = self.fields(sec.blocks)
        self.explicit_ids.add(cid)
        description = fields.text("description") or "\n\n".join(fields.lead) or fields.text("mitigation")
        values = {"id": cid, "title": title or first_sentence(description)}
        if description:
            values["description"] = description
        rec = self.record("control", values, where, ctx)
        self.controls.append(rec)
        back = []
        for link_text, _href in fields.links.get("threats", []):
            got = self.heading_id(link_text, "threat")
            if got is not None:
                back.append(got[0])
        if "threats" in fields.values:
            self.control_backlinks[cid] = (list(dict.fromkeys(back)), where)
            written = fields.labels.get("threats", "threats")
            rec.extra[written] = ", ".join(dict.fromkeys(back)) or one_line(fields.text("threats"))
        for blk in fields.tables + fields.others:
            self.block(blk, ctx, owner=title)

    def asset(self, number: str, name: str, where: str) -> str:
        """An "Asset N: name" heading; the same name again is the same asset, whatever its number."""
        key = norm_name(name)
        written = number.split("-", 1)[-1]
        before = self.asset_numbers.get(written)
        if before is not None and before != key:
            self.b.warn(where, f"asset number {written} already names another asset; read by its name {name!r}")
        if key in self.assets:
            aid = self.assets[key]
            self.b.warn(where, f"asset {name!r} is analysed again here; its threats join asset {aid}")
            self.b.report.merged(self.file, where, aid)
            return name
        self.asset_numbers.setdefault(written, key)
        aid = number
        if not aid or aid in self.explicit_ids:
            n = len(self.assets) + 1
            while f"A-{n}" in self.explicit_ids:
                n += 1
            aid = f"A-{n}"
        self.explicit_ids.add(aid)
        self.assets[key] = aid
        self.record("asset", {"id": aid, "name": name}, where, _Ctx())
        return name

    def zone_name(self, title: str) -> str | None:
        words = norm_text(title).split()
        if not words or len(words) > 8:
            return None
        for zw in self.words["zone_words"]:
            zwords = norm_text(str(zw)).split()
            if words[-len(zwords) :] == zwords and len(words) > len(zwords):
                noise = {norm_text(str(n)) for n in self.words["zone_noise"]}
                kept = title.strip().split()
                while kept and norm_text(kept[0]) in noise:
                    kept = kept[1:]
                return " ".join(kept)
        return None

    def zone(self, name: str, where: str) -> str:
        key = norm_name(name)
        if key in self.zones:
            self.b.report.merged(self.file, where, self.zones[key])
            return self.zones[key]
        for known_key, known in self.zones.items():
            if key.endswith(" " + known_key) or key.endswith("/" + known_key):
                self.b.warn(where, f"trust zone {name!r} read as the zone {known!r} named before")
                self.b.report.merged(self.file, where, known)
                return known
        self.zones[key] = name
        self.record("trust_zone", {"name": name}, where, _Ctx())
        return name

    def view(self, kind: str, title: str, where: str) -> str:
        name = title
        base = VIEW_IDS.get(kind) or "view-uc-" + slug(
            re.sub(r"(?i)^.*?use\s*case\s*(view)?\s*\d*\s*[:\-–—]?\s*", "", title) or title, 48, "item"
        )
        iid, n = base, 2
        while iid in self.view_ids:
            iid, n = f"{base}-{n}", n + 1
        self.view_ids.add(iid)
        view = View.model_validate({"id": iid, "kind": kind, "name": name})
        self.b.add_item("view", view, where)
        self.b.views.append(view)
        self.b.report.imported(self.file, where, iid)
        self.views[iid] = view
        return iid

    def record(self, kind: str, values: dict[str, str], where: str, ctx: _Ctx) -> RowRecord:
        rec = RowRecord(kind=kind, file=self.file, locator=where, values=values, headers={k: k for k in values}, extra={}, view=ctx.view)
        self.b.records.append(rec)
        return rec

    # -- blocks outside items

    def block(self, blk: MdBlock, ctx: _Ctx, owner: str | None) -> None:
        if isinstance(blk, MdTable):
            if ctx.skip:
                for n in range(1, len(blk.rows)):
                    self.b.report.skipped(self.file, self.loc(blk.line, f"table row {n}"), f"table {ctx.skip}")
                return
            self.tables.append((blk, ctx))
        elif isinstance(blk, Code):
            self.codes.append((blk, ctx))
        elif isinstance(blk, Other):
            if blk.what == "front matter":
                self.b.warn(self.loc(blk.line), f"YAML front matter (lines {blk.line}-{blk.end}) ignored")
            self.b.report.skipped(self.file, self.loc(blk.line, blk.what), f"{blk.what}: not threat-model records")
        elif isinstance(blk, MdList):
            self.list_block(blk, ctx, owner)
        elif isinstance(blk, Para) and not ctx.skip:
            if self.fact_lines(blk):
                return
            if ctx.view:
                self.view_text.setdefault(ctx.view, []).append(blk.inline.text)

    def fact_lines(self, para: Para) -> bool:
        """``**Version:** v1.0`` / ``Manufacturer: Acme`` lines give document and product facts, as in Word."""
        lines = [ln.strip() for ln in para.inline.text.split("\n") if ln.strip()]
        found = []
        for ln in lines:
            key, sep, value = ln.partition(":")
            if not sep or len(key) > 40 or not value.strip():
                return False
            path = fact_key(self.vocab, key.strip("* "))
            if path is None:
                continue
            found.append((path, value.strip("* ").strip()))
        if not found:
            return False
        where = self.loc(para.line, "facts")
        for path, value in found:
            if path == "ignore":
                self.b.report.skipped(self.file, where, "document-control field deliberately not copied")
                continue
            self.b.add_fact(path, value, where)
            self.b.report.imported(self.file, where, path.split(".")[0])
        return True

    def list_block(self, lst: MdList, ctx: _Ctx, owner: str | None) -> None:
        where = self.loc(lst.line, "list")
        if ctx.skip:
            if self.labelled_threats(lst):
                self.b.report.skipped(self.file, where, f"threat-like list {ctx.skip}")
            return
        if self.labelled_threats(lst):
            self.labelled_list(lst, ctx)
            return
        if ctx.stride and not ctx.view:
            self.stride_list(lst, ctx)
            return
        if ctx.list_kind in ("asset", "element"):
            # "- Kubernetes YAML documents" under "Assets": one item per short bullet, "Name – description" split.
            for it in lst.items:
                parts = re.split(r"\s+[–—-]\s+|:\s+", one_line(it.lead.text), maxsplit=1)
                name = parts[0].strip(" .*")
                if not name or len(name.split()) > 8:
                    self.b.report.skipped(self.file, self.loc(it.line, "list item"), f"not a short {ctx.list_kind} name")
                    continue
                values = {"name": name}
                if len(parts) > 1:
                    values["description"] = parts[1]
                self.record(ctx.list_kind, values, self.loc(it.line, "list item"), ctx)
            return
        if ctx.list_kind:
            for it in lst.items:
                text = clean_text(it.all_text())
                if text:
                    self.record(ctx.list_kind, {"text": text}, self.loc(it.line, "list item"), ctx)
            return
        if ctx.view:
            view = self.views[ctx.view]
            view.steps.extend(one_line(it.lead.text) for it in lst.items if it.lead.text)
            return
        heading = ctx.headings[-1] if ctx.headings else ""
        if self.names_threats(heading) and self.titled_items(lst):
            self.b.warn(where, f"list under {heading!r} read as threats: one per bold title")
            for it in lst.items:
                fields = _Fields()
                title = one_line(it.lead.bold_lead or "").strip(" :.-–—")
                body = _LABEL_END.sub("", it.lead.after_bold).strip()
                fields.add("description", body or title, it.lead.links)
                for child in it.children:
                    for sub in child.items:
                        lab, rest = self.item_label(sub)
                        fields.add(lab if lab and lab != "description" else "description", rest or sub.all_text())
                self.emit_item(fields, it.line, ctx, ctx.stride, title=title)
            return
        if any(self.label_of(it.lead.bold_lead) or it.lead.bold_lead for it in lst.items):
            self.b.report.skipped(self.file, where, "list of bold terms (definitions or emphasis): not threat-model records")
            return
        if self.names_threats(heading) or norm_text(self.strip_number(heading)) in ("threat model", "threat models"):
            self.b.warn(
                where,
                f"list of {len(lst.items)} item(s) under {heading!r} not read as threats: its items carry "
                "no threat label (**Threat:**, a STRIDE heading or a threat heading)",
            )
        self.b.report.skipped(self.file, where, f"list under {heading!r} without threat labels: not read as records")

    def threat_items(self, lst: MdList) -> int:
        """Top-level items of *lst* that open a threat ("- **Threat:** ...")."""
        return sum(1 for it in lst.items if self.item_label(it)[0] == "description")

    def titled_items(self, lst: MdList) -> bool:
        """Every item starts with a bold title that is neither a field label nor a STRIDE category (a list of
        definitions), and says something after it: "1. **Spoofed login** – an attacker ..."."""
        for it in lst.items:
            bold = one_line(it.lead.bold_lead or "").strip(" :.-–—")
            if not bold or self.label_of(bold) or self.heading_stride(bold) or len(bold.split()) > 14:
                return False
            if not _LABEL_END.sub("", it.lead.after_bold).strip() and not it.children:
                return False
        return bool(lst.items)

    def labelled_threats(self, lst: MdList) -> bool:
        """A list whose items, or their nested items, carry a threat label ("**Threat:** ...")."""
        for it in lst.items:
            lab, _rest = self.item_label(it)
            written = norm_text(it.lead.bold_lead or it.lead.text.partition(":")[0])
            if lab == "description" and any(w in written.split() for w in ("threat", "scenario", "attack", "concern")):
                return True
            for child in it.children:
                if self.labelled_threats(child):
                    return True
        return False

    def labelled_list(self, lst: MdList, ctx: _Ctx) -> None:
        """``1. **Spoofing**`` items with nested ``**Threat:**`` / ``**Mitigation:**`` bullets, or flat ones."""
        flat = [self.item_label(it) for it in lst.items]
        if any(lab == "description" for lab, _r in flat):
            self.flat_labelled(lst.items, ctx, stride=ctx.stride)
            return
        for it in lst.items:
            stride = parse_stride(self.vocab, it.lead.bold_lead or it.lead.text)
            here = _Ctx(
                ctx.skip, ctx.asset, ",".join(stride.value) if stride.ok and stride.value else ctx.stride, ctx.view, ctx.zone, ctx.headings
            )
            found = False
            for child in it.children:
                if self.labelled_threats(child):
                    self.flat_labelled(child.items, here, stride=here.stride)
                    found = True
            if not found:
                self.b.report.skipped(self.file, self.loc(it.line, "list item"), "list item without a threat label")

    def flat_labelled(self, items: list[ListItem], ctx: _Ctx, stride: str | None) -> None:
        current: tuple[_Fields, int] | None = None
        for it in items:
            lab, rest = self.item_label(it)
            if lab == "description":
                if current is not None:
                    self.emit_item(current[0], current[1], ctx, stride)
                current = (_Fields(), it.line)
            if current is None:
                self.b.report.skipped(self.file, self.loc(it.line, "list item"), "list item before any threat label")
                continue
            subs = [c for child in it.children for c in child.items]
            own = [c for c in subs if self.item_label(c)[0] not in (None, "description")]
            nested = "\n".join(c.all_text() for c in subs if c not in own)
            body = "\n".join(x for x in (rest, nested) if x)
            if lab is None:
                current[0].add("description", it.all_text(), it.all_links())
            else:
                current[0].labels.setdefault(lab, it.lead.bold_lead or lab)
                for part_label, part in self.split_labels(lab, body):
                    current[0].add(part_label, part, it.lead.links if part_label == lab else None)
            for sub in own:  # "- **Threat:** ..." with nested "  - **Mitigation:** ..." bullets
                sub_label, sub_rest = self.item_label(sub)
                assert sub_label is not None
                current[0].labels.setdefault(sub_label, sub.lead.bold_lead or sub_label)
                sub_nested = "\n".join(c.all_text() for ch in sub.children for c in ch.items)
                current[0].add(sub_label, "\n".join(x for x in (sub_rest, sub_nested) if x), sub.all_links())
        if current is not None:
            self.emit_item(current[0], current[1], ctx, stride)

    def emit_item(self, fields: _Fields, line: int, ctx: _Ctx, stride: str | None, title: str = "") -> None:
        description = fields.text("description")
        values: dict[str, str] = {"title": title or first_sentence(description), "description": description}
        impact = fields.text("impact")
        if impact:
            values["description"] += f"\n\nImpact: {impact}"
        for fname in ("stride", "targets", "assets", "status", "risk"):
            if fields.text(fname):
                values[fname] = fields.text(fname)
        if "stride" not in values and stride:
            values["stride"] = stride
        if "assets" not in values and ctx.asset:
            values["assets"] = ctx.asset
        rec = self.record("threat", values, self.loc(line, "list item"), ctx)
        for key in fields.values:
            if key.startswith("extra:"):
                rec.extra[key[6:]] = fields.text(key)
        pend = _Pending(rec)
        self.mitigation(pend, fields)
        self.threats.append(pend)

    def stride_list(self, lst: MdList, ctx: _Ctx) -> None:
        """Bullets under a STRIDE heading: one threat per top-level item, nested labelled bullets its fields."""
        for it in lst.items:
            text = one_line(it.lead.text)
            if not text:
                continue
            if text.endswith("?"):
                self.b.report.skipped(self.file, self.loc(it.line, "list item"), "a question (a checklist), not a threat")
                continue
            fields = _Fields()
            fields.add("description", it.lead.text, it.lead.links)
            for child in it.children:
                for sub in child.items:
                    lab, rest = self.item_label(sub)
                    if lab is not None and lab != "description":
                        fields.labels.setdefault(lab, sub.lead.bold_lead or lab)
                        nested = "\n".join(c.all_text() for ch in sub.children for c in ch.items)
                        fields.add(lab, "\n".join(x for x in (rest, nested) if x), sub.all_links())
                    else:
                        fields.add("description", "- " + sub.all_text(), sub.all_links())
            self.emit_item(fields, it.line, ctx, ctx.stride)

    # -- after the walk

    def new_control_id(self) -> str:
        while True:
            self.control_n += 1
            cid = f"M-{self.control_n}"
            if cid not in self.explicit_ids:
                self.explicit_ids.add(cid)
                return cid

    def finish(self) -> None:
        by_title = {norm_name(c.values.get("title", "")): c for c in self.controls if c.values.get("title")}
        for pend in self.threats:
            named = by_title.get(norm_name(one_line(pend.mitigation).strip(" .-*"))) if pend.mitigation else None
            if named is not None:
                # The mitigation names a control written under its own heading: a reference, not a new control.
                pend.mitigation_refs = [named.values.get("id") or named.values["title"]]
                pend.mitigation = ""
            if pend.mitigation_refs:
                pend.rec.values["controls"] = ", ".join(pend.mitigation_refs)
                pend.rec.headers["controls"] = "mitigation"
            elif pend.mitigation:
                cid = self.new_control_id()
                text = pend.mitigation
                ctl = RowRecord(
                    kind="control",
                    file=self.file,
                    locator=pend.rec.locator,
                    values={"id": cid, "title": first_sentence(text.lstrip("-* ")).rstrip("."), "description": text},
                    headers={"id": "id", "title": "mitigation", "description": "mitigation"},
                    extra={},
                    view=pend.rec.view,
                )
                self.b.records.append(ctl)
                pend.control = cid
                pend.rec.values["controls"] = cid
                pend.rec.headers["controls"] = "mitigation"
        for pend in self.threats:
            if pend.shared_with is not None and pend.shared_with.control:
                pend.rec.values["controls"] = pend.shared_with.control
                pend.rec.headers["controls"] = "mitigation"
        self.links()
        self.read_tables()
        self.read_codes()
        for vid, paras in self.view_text.items():
            self.views[vid].description = "\n\n".join(paras)

    def links(self) -> None:
        """Forward links (threat -> mitigation) and back links (mitigation -> threats) that disagree are reported."""
        if not self.control_backlinks:
            return
        forward = {(p.threat_id, c) for p in self.threats if p.threat_id for c in p.mitigation_refs}
        back = {(t, c) for c, (ts, _w) in self.control_backlinks.items() for t in ts}
        where = {p.threat_id: p.rec.locator for p in self.threats}
        for t, c in sorted(forward - back):
            if c in self.control_backlinks:
                self.b.warn(
                    where.get(t),
                    f"{t} names {c} as its mitigation, but {c} does not list {t} among the threats it mitigates; kept as the threat says",
                )
        for t, c in sorted(back - forward):
            self.b.warn(
                self.control_backlinks[c][1],
                f"{c} lists {t} among the threats it mitigates, but {t} does not name {c}; not linked (kept in the control's extra)",
            )

    # -- tables

    def read_tables(self) -> None:
        known: set[str] = set()
        plans = []
        for tbl, ctx in self.tables:
            self.n_tables += 1
            grid = self.grid(tbl, ctx, self.n_tables)
            if self.stride_matrix(grid):
                continue
            target_col = self.target_column(grid)
            flowish = target_col is not None and self.flow_context(ctx)
            if target_col is not None and not flowish:
                known.update(norm_name(grid.cells[r][target_col]) for r in range(1, len(grid.cells)) if grid.cells[r][target_col])
            plans.append((grid, target_col, flowish))
        prose_controls = bool(self.controls) or any(p.control for p in self.threats)
        made: dict[str, str] = {}
        for grid, target_col, flowish in plans:
            if flowish and target_col is not None:
                self.flow_rows(grid, target_col, known)
            before = len(self.b.records)
            self.b.add_grid(grid)
            if prose_controls:
                self.table_controls(self.b.records[before:], made)

    def table_controls(self, records: list[RowRecord], made: dict[str, str]) -> None:
        """Mitigation text in a threat table of a document whose other mitigations became controls: one
        control per distinct text, as the resolver does for documents with no controls at all."""
        known = {norm_name(c.values.get("title", "")) for c in self.controls}
        known |= {c.values.get("id", "") for c in self.controls}
        for rec in records:
            text = rec.values.get("controls", "")
            if rec.kind != "threat" or not text.strip() or is_empty(self.vocab, text):
                continue
            tokens = [t for t in re.split(r"[\s,;]+", text) if t]
            if all(_PREFIX_ID.fullmatch(t) for t in tokens) or norm_name(text) in known or text in known:
                continue  # ids or a control's title: the resolver links them
            key = norm_name(text)
            if key not in made:
                made[key] = self.new_control_id()
                title = first_sentence(text.lstrip("-* ")).rstrip(".")
                self.b.records.append(
                    RowRecord(
                        kind="control",
                        file=self.file,
                        locator=rec.locator,
                        values={"id": made[key], "title": title, "description": clean_text(text)},
                        headers={
                            "id": "id",
                            "title": rec.headers.get("controls", "mitigation"),
                            "description": rec.headers.get("controls", "mitigation"),
                        },
                        extra={},
                        view=rec.view,
                    )
                )
            rec.values["controls"] = made[key]

    def stride_matrix(self, grid: Grid) -> bool:
        """A STRIDE x component matrix (STRIDE categories down the first column, components across the
        header, or the transpose): every filled cell is one threat on that component in that category."""
        cells = grid.cells
        if len(cells) < 3 or grid.width < 2:
            return False

        def category(text: str) -> str | None:
            got = parse_stride(self.vocab, text)
            return got.value[0] if got.ok and got.value and len(got.value) == 1 and len(text.split()) <= 4 else None

        for h in cells[0][1:]:
            m = match_header(self.vocab, "threat", h)
            if m is not None and getattr(m, "exact", False):
                return False  # "| STRIDE | Threat | Mitigation |": a register whose rows start with a category
        down = [category(cells[r][0]) for r in range(1, len(cells))]
        across = [category(cells[0][c]) for c in range(1, grid.width)]
        if sum(x is not None for x in down) >= 4 and all(x is not None for x in down):
            pairs = [(r, c, str(down[r - 1]), cells[0][c]) for r in range(1, len(cells)) for c in range(1, grid.width)]
        elif sum(x is not None for x in across) >= 4 and all(x is not None for x in across):
            pairs = [(r, c, str(across[c - 1]), cells[r][0]) for r in range(1, len(cells)) for c in range(1, grid.width)]
        else:
            return False
        if any(not one_line(name) for _r, _c, _s, name in pairs):
            return False  # a component without a name: not a matrix this reader understands
        self.b.report.skipped(self.file, grid.locator(0), "header row of a STRIDE x component matrix")
        self.b.warn(grid.locator(0), "STRIDE x component matrix: each filled cell read as one threat on its component")
        for r, c, stride, name in pairs:
            text = clean_text(cells[r][c])
            where = f"{grid.locator(r)} column {c + 1}"
            if not text or is_empty(self.vocab, text):
                self.b.report.skipped(self.file, where, "empty cell of a STRIDE x component matrix")
                continue
            rec = RowRecord(
                kind="threat",
                file=self.file,
                locator=where,
                values={"title": first_sentence(text), "description": text, "stride": stride, "targets": one_line(name)},
                headers={"title": "cell", "description": "cell", "stride": "row", "targets": "column"},
                extra={},
                view=grid.view,
            )
            self.b.records.append(rec)
        return True

    def grid(self, tbl: MdTable, ctx: _Ctx, n: int) -> Grid:
        name = f"table {n} at line {tbl.line}"
        cells: list[list[str]] = []
        numbers: list[int] = []
        for r, row in enumerate(tbl.rows):
            filled = [c.strip() for c in row if c.strip()]
            if r and filled and all(_PLACEHOLDER.fullmatch(c) for c in filled):
                # "| [Threat] | [High/Med/Low] | [Mitigation] |": a template's example row, not a record
                self.b.report.skipped(self.file, f"{name} row {r + 1}", "template row: placeholders in brackets only")
                continue
            cells.append(list(row))
            numbers.append(r + 1)
        grid = Grid(file=self.file, name=name, style="table", cells=cells, row_numbers=numbers)
        grid.context = " ".join(ctx.headings[-2:])
        grid.view = ctx.view
        if ctx.stride:
            grid.defaults["stride"] = ctx.stride
        width = grid.width
        # A row whose first cell is empty continues the one above (Markdown has no merged cells).
        for r in range(2, len(cells)):
            if not cells[r][0].strip() and any(c.strip() for c in cells[r][1:]):
                anchor = grid.merged.get((r - 1, 0), (r - 1, 0))
                if cells[anchor[0]][0].strip() and anchor[0] >= 1:
                    grid.merged[(r, 0)] = anchor
        if width and cells:
            self.letters_column(grid)
            self.prose_risk_column(grid)
            self.title_from_stride(grid)
        return grid

    def letters_column(self, grid: Grid) -> None:
        """A "Threat" column holding only STRIDE letters ("S", "TRID") is the STRIDE column."""
        for c in range(grid.width):
            match = match_header(self.vocab, "threat", grid.cells[0][c])
            if match is None or match.field != "title":
                continue
            vals = [grid.cells[r][c].strip() for r in range(1, len(grid.cells)) if grid.cells[r][c].strip()]
            if vals and all(stride_letters_only(self.vocab, v) for v in vals):
                self.b.warn(grid.locator(0, c), f"column {grid.cells[0][c]!r} holds STRIDE letters only; read as STRIDE")
                grid.cells[0][c] = "STRIDE"

    def prose_risk_column(self, grid: Grid) -> None:
        """A "Risk" column of sentences (no level, no score) describes the threat: it is its description."""
        headers = [match_header(self.vocab, "threat", h) for h in grid.cells[0]]
        if any(h is not None and h.field in ("description", "title") for h in headers):
            return
        for c, h in enumerate(headers):
            if h is None or h.field != "risk":
                continue
            vals = [grid.cells[r][c] for r in range(1, len(grid.cells)) if grid.cells[r][c].strip()]
            if vals and all(len(v.split()) >= 5 and not parse_risk(self.vocab, v).ok for v in vals):
                self.b.warn(
                    grid.locator(0, c), f"column {grid.cells[0][c]!r} holds sentences, no risk levels; read as the threat's description"
                )
                grid.cells[0][c] = "Description"

    def title_from_stride(self, grid: Grid) -> None:
        """A row with only a STRIDE letter and a component ("| | E | Access control ... | | |") still says
        what it is about: it is titled "Elevation of privilege of Field Gateway", never "Threat T-6"."""
        fields: dict[str, int] = {}
        for c, h in enumerate(grid.cells[0]):
            m = match_header(self.vocab, "threat", h)
            if m is not None:
                fields.setdefault(m.field, c)
        if "title" in fields or "stride" not in fields or "targets" not in fields:
            return
        desc = fields.get("description")
        made = []
        for r in range(1, len(grid.cells)):
            if desc is not None and grid.cells[r][desc].strip():
                made.append("")
                continue
            stride = parse_stride(self.vocab, grid.cells[r][fields["stride"]])
            target = one_line(grid.data_text(r, fields["targets"]))
            if stride.ok and stride.value and target:
                made.append(f"{stride_title(stride.value[0])} of {target}")
                self.b.warn(grid.locator(r), f"row has no threat text; titled {made[-1]!r} from its STRIDE and component")
            else:
                made.append("")
        if any(made):
            grid.cells[0].append("Title")
            for r, title in enumerate(made, start=1):
                grid.cells[r].append(title)

    def target_column(self, grid: Grid) -> int | None:
        if not grid.cells:
            return None
        for c, h in enumerate(grid.cells[0]):
            m = match_header(self.vocab, "threat", h)
            if m is not None and m.field == "targets":
                return c
        return None

    def flow_context(self, ctx: _Ctx) -> bool:
        words = f" {norm_text(ctx.headings[-1] if ctx.headings else '')} "
        return any(f" {norm_text(str(w))} " in words for w in self.words["flow_context"])

    def flow_rows(self, grid: Grid, col: int, known: set[str]) -> None:
        """Component cells of a communication table name the two ends of a flow ("Device IoT Hub")."""
        seen: set[str] = set()
        for r in range(1, len(grid.cells)):
            cell = one_line(grid.data_text(r, col))
            if not cell or norm_name(cell) in seen:
                continue
            ends = self.split_pair(cell, known)
            if ends is None:
                self.b.warn(
                    grid.locator(r, col), f"{cell!r} under a communication heading names no two known components; read as a component"
                )
                continue
            seen.add(norm_name(cell))
            self.b.warn(grid.locator(r, col), f"{cell!r} read as the data flow {ends[0]!r} -> {ends[1]!r}")
            rec = RowRecord(
                kind="flow",
                file=self.file,
                locator=grid.locator(r, col),
                values={"name": cell, "source": ends[0], "target": ends[1]},
                headers={"name": grid.cells[0][col], "source": grid.cells[0][col], "target": grid.cells[0][col]},
                extra={},
                view=grid.view,
            )
            self.b.records.append(rec)

    def split_pair(self, cell: str, known: set[str]) -> tuple[str, str] | None:
        parts = re.split(r"\s*(?:<-+>|-+>|<-+|↔|→|←|⇄)\s*", cell)
        if len(parts) == 2 and all(p.strip() for p in parts):
            return parts[0].strip(), parts[1].strip()
        words = cell.split()
        both = [(i, " ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
        for _i, a, b in both:
            if norm_name(a) in known and norm_name(b) in known:
                return a, b
        one = [(len(a) if norm_name(a) in known else len(b), a, b) for _i, a, b in both if norm_name(a) in known or norm_name(b) in known]
        if one:
            _n, a, b = max(one)
            return a, b
        return None

    # -- fenced code

    def read_codes(self) -> None:
        titles = {norm_text(p.rec.values.get("title", "")) for p in self.threats if len(p.rec.values.get("title", "").split()) >= 3}
        for code, ctx in self.codes:
            where = self.loc(code.line, f"code block {code.info or 'without a language'}")
            lang = code.info.split()[0].lower() if code.info else ""
            first = next((ln.strip() for ln in code.content.splitlines() if ln.strip() and not ln.strip().startswith("%%")), "")
            if not ctx.skip and lang in self.words["diagram_languages"] and re.match(r"^(flowchart|graph)\b", first):
                from mdptm.importers.mermaid import read_flowchart

                read_flowchart(code.content, code.line, self.b, ctx.view)
                continue
            body = norm_text(code.content)
            repeats = sum(1 for t in titles if t and t in body)
            reason = f"code block ({lang or 'no language'}): not read as records"
            if repeats:
                reason += f"; it repeats {repeats} threat(s) read above"
            if ctx.skip:
                reason += f" ({ctx.skip})"
            self.b.report.skipped(self.file, where, reason)


def iter_sections(sec: Section) -> Iterator[Section]:
    yield sec
    for child in sec.children:
        yield from iter_sections(child)


class MarkdownImporter(MarkdownDoor):
    """Markdown threat models: heading blocks, labelled bullets, pipe tables and mermaid flowcharts."""

    def load(self, path: Path, ctx: ImportContext) -> Model:
        file = path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", file=file) from None
        if len(data) > MAX_BYTES:
            raise InputError(f"too large for a Markdown threat model ({len(data)} bytes)", file=file)
        if b"\x00" in data:
            raise InputError("not a text file (it holds NUL bytes)", file=file)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text (byte {exc.start})", file=file) from None
        vocab = vocabulary()
        profile = load_profile(ctx.profile, vocab, file="profile")
        if profile is not None:
            vocab = profile_vocabulary(vocab, profile)
        builder = SourceBuilder(file, self.name, vocab, ctx.report, profile)
        root = parse_markdown(text)
        reader = _Reader(builder, vocab)
        reader.run(root)
        looked = f"{reader.n_sections} sections and {reader.n_tables} tables"
        unread = [
            w
            for w in ctx.report.warnings
            if w.file == file and "not read as threats" in w.message or w.file == file and "not read as a threat" in w.message
        ]
        if unread:
            looked += f"; {len(unread)} block(s) that may be threats were not recognised, the first at {unread[0].locator}"
        ctx.looked_at = looked
        model = builder.build()
        return resolve_references(model, ctx.report, final=False)


__all__ = ["MarkdownImporter", "parse_markdown"]
