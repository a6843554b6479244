"""Mermaid ``flowchart`` / ``graph`` blocks as components, data flows and trust zones.

No maintained Python parser for Mermaid exists, so this reads the small part of the flowchart grammar a
data-flow diagram uses: node shapes, edges with or without labels, ``A & B --> C`` and ``subgraph`` …
``end``. Subgraphs are trust zones; a cylinder ``[(…)]`` is a data store. Any other statement is
reported, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from mdptm.importers.tabular.records import SourceBuilder
from mdptm.importers.tabular.tables import RowRecord
from mdptm.importers.tabular.vocab import Vocabulary, norm_text, one_line

_SHAPES = (
    ("(((", ")))"),
    ("([", "])"),
    ("[[", "]]"),
    ("[(", ")]"),
    ("((", "))"),
    ("{{", "}}"),
    ("[/", "/]"),
    ("[\\", "\\]"),
    ("[/", "\\]"),
    ("[\\", "/]"),
    (">", "]"),
    ("[", "]"),
    ("(", ")"),
    ("{", "}"),
)
_NODE_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_\-.]*")
_EDGE_TEXT = re.compile(r"\s*(<)?(--|==|-\.)\s*([^|>\-=.][^>]*?)\s*(-{2,}>|={2,}>|\.+-+>|-{3,}|={3,}|\.+-)\s*")
_EDGE = re.compile(r"\s*(<)?(-{2,}|={2,}|-\.+-|~{3,})(>|o|x)?\s*(?:\|([^|]*)\|)?\s*")
_IGNORED = re.compile(r"^(classDef|class|style|linkStyle|click|direction|%%|accTitle|accDescr)\b")
_HEADER = re.compile(r"^(flowchart|graph)\b(\s+\w+)?\s*$")


@dataclass
class _Node:
    id: str
    label: str = ""
    shape: str = ""
    zone: str | None = None
    line: int = 0


@dataclass
class _Diagram:
    nodes: dict[str, _Node] = field(default_factory=dict)
    edges: list[tuple[str, str, str, bool, int]] = field(default_factory=list)  # (from, to, label, both ways, line)
    zones: list[tuple[str, str, int]] = field(default_factory=list)  # (id, title, line)
    unread: list[tuple[int, str]] = field(default_factory=list)


def _clean(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    text = re.sub(r"<br\s*/?>", " ", text, flags=re.I)
    text = re.sub(r"</?[a-z][^>]*>", "", text, flags=re.I)
    return one_line(text.replace("**", "").replace("`", ""))


def _node(text: str, pos: int) -> tuple[str, str, str, int] | None:
    """(id, label, shape, end) for a node reference at *pos*."""
    m = _NODE_ID.match(text, pos)
    if m is None:
        return None
    nid, end = m.group(0), m.end()
    # "A-->B": the id pattern swallowed part of the arrow.
    for arrow in ("--", "==", "-."):
        cut = nid.find(arrow)
        if cut > 0:
            nid, end = nid[:cut], pos + cut
            break
    nid = nid.rstrip("-.")
    end = pos + len(nid)
    if not nid:
        return None
    for opening, closing in _SHAPES:
        if text.startswith(opening, end):
            close = text.find(closing, end + len(opening))
            if close < 0:
                continue
            label = _clean(text[end + len(opening) : close])
            end = close + len(closing)
            if text.startswith(":::", end):
                m2 = _NODE_ID.match(text, end + 3)
                end = m2.end() if m2 else end + 3
            return nid, label, opening, end
    if text.startswith(":::", end):
        m2 = _NODE_ID.match(text, end + 3)
        end = m2.end() if m2 else end + 3
    return nid, "", "", end


def _group(text: str, pos: int) -> tuple[list[tuple[str, str, str]], int] | None:
    out = []
    while True:
        while pos < len(text) and text[pos] == " ":
            pos += 1
        got = _node(text, pos)
        if got is None:
            return None
        nid, label, shape, pos = got
        out.append((nid, label, shape))
        m = re.compile(r"\s*&\s*").match(text, pos)
        if m is None:
            return out, pos
        pos = m.end()


def parse_flowchart(source: str, first_line: int) -> _Diagram:
    """The nodes, edges and subgraphs of a flowchart; lines not understood are listed."""
    d = _Diagram()
    zones: list[str] = []
    started = False
    for n, raw in enumerate(source.splitlines()):
        line_no = first_line + 1 + n
        for stmt in raw.split(";"):
            s = stmt.strip()
            if not s or _IGNORED.match(s):
                continue
            if not started and _HEADER.match(s):
                started = True
                continue
            if s.startswith("subgraph"):
                rest = s[len("subgraph") :].strip()
                m = re.match(r"^([A-Za-z0-9_\-.]+)\s*\[(.*)\]\s*$", rest)
                zid, title = (m.group(1), _clean(m.group(2))) if m else (rest, _clean(rest))
                title = title or zid
                zones.append(title)
                d.zones.append((zid, title, line_no))
                continue
            if s == "end":
                if zones:
                    zones.pop()
                continue
            if not _statement(d, s, zones[-1] if zones else None, line_no):
                d.unread.append((line_no, s))
    return d


def _statement(d: _Diagram, s: str, zone: str | None, line_no: int) -> bool:
    got = _group(s, 0)
    if got is None:
        return False
    groups = [got[0]]
    labels: list[tuple[str, bool]] = []
    pos = got[1]
    while pos < len(s):
        m = _EDGE_TEXT.match(s, pos) or _EDGE.match(s, pos)
        if m is None:
            return False
        if m.re is _EDGE_TEXT:
            label, both = _clean(m.group(3)), bool(m.group(1))
        else:
            label, both = _clean(m.group(4) or ""), bool(m.group(1))
        nxt = _group(s, m.end())
        if nxt is None:
            return False
        groups.append(nxt[0])
        labels.append((label, both))
        pos = nxt[1]
        while pos < len(s) and s[pos] == " ":
            pos += 1
    for grp in groups:
        for nid, label, shape in grp:
            node = d.nodes.get(nid)
            if node is None:
                d.nodes[nid] = _Node(nid, label, shape, zone, line_no)
            else:
                node.label = node.label or label
                node.shape = node.shape or shape
    for i, (label, both) in enumerate(labels):
        for a, _la, _sa in groups[i]:
            for b, _lb, _sb in groups[i + 1]:
                d.edges.append((a, b, label, both, line_no))
    return True


def attack_tree(source: str, first_line: int, headings: Sequence[str], vocab: Vocabulary) -> str | None:
    """Why a flowchart is an attack tree, not a data-flow diagram: a heading above it names one ("Attack Tree: I-1 —
    …"), or two nodes or more open with an attack tree's words ("Attacker Goal: …", "Path 1: …", "OR: …";
    ``attack_tree_node_labels``). None for any other flowchart."""
    named = next((h for h in reversed(headings) if "attack tree" in norm_text(h)), None)
    if named is not None:
        return f"under {one_line(named)[:60]!r}"
    d = parse_flowchart(source, first_line)
    opened = [
        n.label
        for n in d.nodes.values()
        if (m := re.match(r"^\s*([A-Za-z][A-Za-z ]{0,30}?)\s*\d*\s*:", n.label)) and norm_text(m.group(1)) in vocab.attack_tree_node_labels
    ]
    return f"its nodes are an attacker's goal and paths ({opened[0][:40]!r}, …)" if len(opened) >= 2 else None


def read_flowchart(source: str, first_line: int, builder: SourceBuilder, view: str | None) -> None:
    """Add the flowchart's zones, elements and flows to *builder* as records."""
    d = parse_flowchart(source, first_line)
    file = builder.file
    zone_ids = {zid for zid, _t, _l in d.zones}
    for _zid, title, line in d.zones:
        builder.records.append(
            RowRecord(
                kind="trust_zone",
                file=file,
                locator=f"line {line} (mermaid subgraph)",
                values={"name": title},
                headers={"name": "subgraph"},
                extra={},
            )
        )
    names: dict[str, str] = {}
    for nid, node in d.nodes.items():
        if nid in zone_ids:
            continue
        name = node.label or nid
        names[nid] = name
        values = {"name": name}
        if node.shape == "[(":
            values["kind"] = "data store"
        if node.zone:
            values["trust_zone"] = node.zone
        builder.records.append(
            RowRecord(
                kind="element",
                file=file,
                locator=f"line {node.line} (mermaid node {nid})",
                values=values,
                headers=dict.fromkeys(values, "mermaid"),
                extra={},
                view=view,
            )
        )
    labels = [label for _a, _b, label, _both, _l in d.edges if label]
    seen: set[tuple[str, str, str]] = set()
    for a, b, label, both, line in d.edges:
        where = f"line {line} (mermaid edge {a} -> {b})"
        if a in zone_ids or b in zone_ids:
            builder.report.skipped(file, where, "an edge to a whole subgraph names no component")
            continue
        key = (a, b, label)
        if key in seen:
            builder.report.merged(file, where, f"{names[a]} -> {names[b]}")
            continue
        seen.add(key)
        name = label if label and labels.count(label) == 1 else f"{names[a]} -> {names[b]}" + (f": {label}" if label else "")
        values = {"name": name, "source": names[a], "target": names[b]}
        if both:
            values["bidirectional"] = "yes"
        builder.records.append(
            RowRecord(kind="flow", file=file, locator=where, values=values, headers=dict.fromkeys(values, "mermaid"), extra={}, view=view)
        )
    for line, text in d.unread:
        builder.report.skipped(file, f"line {line} (mermaid)", f"flowchart statement not understood: {text[:80]!r}")
