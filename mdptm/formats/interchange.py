"""Machinery shared by the interchange importers (.tm7, Threat Dragon, OTM) and the OTM exporter.

The three formats differ in syntax but pose the same problems: vocabularies to normalise (kept as
data in ``mappings/vocabulary/interchange.yaml``, with STRIDE and risk-level words from ``stride.yaml``
and ``risk-scale.yaml``), HTML inside text, readable ids that must stay unique
and stable, and trust-zone membership that only the drawing's geometry knows.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from html.parser import HTMLParser
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

from mdptm.base.text import slug
from mdptm.model import PLACEHOLDER, Control, ControlStatus, Document, Model, Product, Source
from mdptm.model.report import ImportReport
from mdptm.model.vocabulary import risk_scale, shipped, stride_terms

# ------------------------------------------------------------------------------------ vocabulary


def compact(label: object) -> str:
    """The key a label is matched by: case-folded, letters and digits only (of any script: "高" and "中" are
    two keys, not both the empty one)."""
    return _compact(str(label))


_NOT_ALNUM = re.compile(r"[\W_]+")


@lru_cache(maxsize=16384)
def _compact(text: str) -> str:  # a .tm7 matches the same few dozen property labels thousands of times
    return _NOT_ALNUM.sub("", text.casefold())


class InterchangeTerms(BaseModel):
    """``interchange.yaml``: one table per format; their keys are read by :func:`section`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    schema_version: int
    no_mitigation: list[str]
    tm7: dict[str, Any]
    threatdragon: dict[str, Any]
    otm: dict[str, Any]
    threagile: dict[str, Any]


@cache
def vocabulary() -> dict[str, Any]:
    """The shipped interchange vocabulary (validated as :class:`InterchangeTerms`), read once."""
    data: dict[str, Any] = shipped("interchange", InterchangeTerms).model_dump()
    return data


def section(*keys: str) -> Any:
    """A part of the vocabulary, e.g. ``section("tm7", "states")`` (Any: shipped YAML whose shape each caller knows)."""
    node: object = vocabulary()
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node


@cache
def table(*keys: str) -> dict[str, object]:
    """A vocabulary mapping keyed compactly, so lookups ignore case, spaces and punctuation."""
    node = section(*keys)
    if not isinstance(node, dict):
        return {}
    return {compact(k): v for k, v in node.items()}


def _inverted(table: dict[str, list[str]]) -> dict[str, str]:
    """Invert ``{canonical: [label, ...]}`` into ``{compact label: canonical}``."""
    out: dict[str, str] = {}
    for canonical, labels in table.items():
        out.setdefault(compact(canonical), str(canonical))
        for label in labels:
            out.setdefault(compact(label), str(canonical))
    return out


@cache
def _stride_labels() -> dict[str, str]:
    terms = stride_terms()
    out = _inverted(terms.synonyms(properties=True))
    for letter, category in terms.letters.items():
        out.setdefault(compact(letter), category)
    return out


@cache
def _level_labels() -> dict[str, str]:
    return _inverted(risk_scale().level_words())


def lookup(label: object, *keys: str) -> Any | None:
    """The value a vocabulary table gives *label*, or None when it does not know it."""
    return table(*keys).get(compact(label))


def stride_of(label: object) -> str | None:
    """A category label as a STRIDE value, or None when the label is not a STRIDE category."""
    return _stride_labels().get(compact(label))


def level_of(label: object) -> str | None:
    """A priority or severity word as a risk level (low/medium/high/critical), or None."""
    return _level_labels().get(compact(label))


def is_no_mitigation(text: str) -> bool:
    """True for mitigation texts that say there is none ("None as yet", "TBD", ...)."""
    return compact(text) in {compact(t) for t in section("no_mitigation") or []}


@cache
def _rules(*keys: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    rules = section(*keys) or []
    return tuple((re.compile(str(r["match"]), re.IGNORECASE), str(r.get("kind") or r.get("rating"))) for r in rules)


def kind_by_rules(text: str, *keys: str) -> str | None:
    """The kind named by the first regular-expression rule that matches *text*."""
    for pattern, kind in _rules(*keys):
        if pattern.search(text):
            return kind
    return None


def threshold(value: float, *keys: str, field: str = "level") -> str:
    """The label of the first ``{min, <field>}`` threshold that *value* reaches (tables are descending)."""
    rows = section(*keys) or []
    for row in rows:
        if value >= float(row["min"]):
            return str(row[field])
    return str(rows[-1][field])


# ------------------------------------------------------------------------------------------ text


class _TextOf(HTMLParser):
    """HTML to plain paragraphs; a link keeps its target when the text does not show it."""

    BLOCK = frozenset({"p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr"})
    HIDDEN = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[tuple[str, int]] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        if tag in self.BLOCK:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")
        if tag == "a":
            self.links.append(((dict(attrs).get("href") or "").strip(), len(self.parts)))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        if tag == "a" and self.links:
            href, start = self.links.pop()
            shown = "".join(self.parts[start:]).strip()
            if href and href.rstrip("/") != shown.rstrip("/") and not href.startswith(("#", "javascript:")):
                self.parts.append(f" ({href})" if shown else href)
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]*>")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_WHITESPACE = re.compile(r"\s+")


def plain(text: object) -> str:
    """Plain text with paragraphs: HTML (also entity-escaped HTML) becomes text, spacing is tidied."""
    if text is None:
        return ""
    s = str(text).replace("\r\n", "\n").replace("\r", "\n")
    if "<" not in s and "&lt;" in s:
        s = html.unescape(s)
    if _TAG.search(s):
        parser = _TextOf()
        parser.feed(s)
        parser.close()
        s = "".join(parser.parts)
    lines = [(_SPACES.sub(" ", line) if "  " in line or "\t" in line or "\xa0" in line else line).strip() for line in s.split("\n")]
    out = _BLANK_LINES.sub("\n\n", "\n".join(lines))
    return out.strip()


def one_line(text: object) -> str:
    """A name: any run of whitespace (newlines included) becomes one space."""
    return _WHITESPACE.sub(" ", "" if text is None else str(text)).strip()


def headline(text: str, limit: int = 100) -> str:
    """A short title for a long text: its first sentence or line, cut at a word."""
    first = plain(text).split("\n", 1)[0]
    m = re.match(r"(.+?[.!?])(\s|$)", first)
    if m and len(m.group(1)) >= 12:
        first = m.group(1)
    if len(first) <= limit:
        return first.rstrip(".")
    cut = first[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def as_dict(value: object) -> dict[str, Any]:
    """*value* if it is a JSON object, else an empty one (so a malformed file reads as missing data).

    Any: the values of a file from another tool; the importers check each where they read it."""
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list[Any]:
    """*value* if it is a JSON array, nothing for null, else the one value (a malformed file keeps its data)."""
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def json_safe(value: object) -> object:
    """A value fit for ``extra``: string keys, lists for tuples, no empty ``{}`` placeholders lost."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


# ------------------------------------------------------------------------------------------- ids


class IdMinter:
    """Readable ids, unique across one import and the same on every run over the same file."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.taken: set[str] = set(taken)

    def claim(self, wanted: str) -> str:
        """*wanted* itself if free, else *wanted*-2, -3, ..."""
        cand, n = wanted, 2
        while cand in self.taken:
            cand = f"{wanted}-{n}"
            n += 1
        self.taken.add(cand)
        return cand

    def mint(self, wanted: Sequence[tuple[str, str]]) -> list[str]:
        """Ids for (base, discriminator) pairs: the base alone where it is unique, else base-<short discriminator>."""
        counts = Counter(base for base, _ in wanted)
        out = []
        for base, disc in wanted:
            short = slug(disc)[:8]
            cand = base if counts[base] == 1 or not short else f"{base}-{short}"
            out.append(self.claim(cand))
        return out


def repeats(keys: Sequence[tuple[tuple[str, ...], int]]) -> list[int]:
    """For each (key, diagram), the index of the earlier entry it repeats on another diagram, else its own.

    Used for flows: the same ends and name drawn on two diagrams are one flow.
    """
    first: dict[tuple[str, ...], int] = {}
    out = []
    for i, (key, diagram) in enumerate(keys):
        j = first.setdefault(key, i)
        out.append(j if j != i and keys[j][1] != diagram else i)
    return out


# -------------------------------------------------------------------------------------- geometry

_T = TypeVar("_T")


def across_diagrams(items: Sequence[_T], name: Callable[[_T], str], diagram: Callable[[_T], int]) -> list[list[_T]]:
    """Group the drawings of one thing on several diagrams: the same name, unique on each diagram it is on.

    A name drawn twice on one diagram names two things, so those drawings stay apart.
    """
    per_diagram: Counter[tuple[str, int]] = Counter((compact(name(i)), diagram(i)) for i in items if compact(name(i)))
    groups: dict[str, list[_T]] = {}
    out: list[list[_T]] = []
    for item in items:
        key = compact(name(item))
        if key and per_diagram[(key, diagram(item))] == 1:
            if key in groups:
                groups[key].append(item)
                continue
            groups[key] = [item]
            out.append(groups[key])
        else:
            out.append([item])
    return out


Point = tuple[float, float]
LOOSE_END_MARGIN = 15.0  # how far (drawing units) a loose flow end may sit from the shape it was drawn to


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle of a drawing (left/top/width/height, y grows downwards)."""

    left: float
    top: float
    width: float
    height: float

    @property
    def centre(self) -> Point:
        return (self.left + self.width / 2, self.top + self.height / 2)

    @property
    def area(self) -> float:
        return abs(self.width * self.height)

    def contains(self, p: Point, margin: float = 0.0) -> bool:
        return (
            self.left - margin <= p[0] <= self.left + self.width + margin and self.top - margin <= p[1] <= self.top + self.height + margin
        )

    def encloses(self, other: Box) -> bool:
        return (
            self.left <= other.left
            and self.top <= other.top
            and other.left + other.width <= self.left + self.width
            and other.top + other.height <= self.top + self.height
            and self.area > other.area
        )


def innermost(boxes: Iterable[tuple[str, Box]], p: Point) -> str | None:
    """The key of the smallest box that contains *p* (the innermost of nested boundaries)."""
    hits = [(box.area, key) for key, box in boxes if box.contains(p)]
    return min(hits)[1] if hits else None


def nearest(boxes: Iterable[tuple[str, Box]], p: Point, margin: float) -> str | None:
    """The key of the box *p* lies in or nearest to (at most *margin* away); the smaller box wins a tie.

    Used to attach a flow end that was drawn on a shape but never connected to it.
    """
    hits = []
    for key, box in boxes:
        dx = max(box.left - p[0], 0.0, p[0] - (box.left + box.width))
        dy = max(box.top - p[1], 0.0, p[1] - (box.top + box.height))
        dist = (dx * dx + dy * dy) ** 0.5
        if dist <= margin:
            hits.append((dist, box.area, key))
    return min(hits)[2] if hits else None


def nesting(boxes: Sequence[tuple[str, Box]]) -> dict[str, str]:
    """key -> key of the smallest other box that wholly encloses it (boxes with no parent are absent)."""
    out: dict[str, str] = {}
    for key, box in boxes:
        parents = [(other.area, okey) for okey, other in boxes if okey != key and other.encloses(box)]
        if parents:
            out[key] = min(parents)[1]
    return out


def _orient(a: Point, b: Point, c: Point) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _on_segment(a: Point, b: Point, p: Point) -> bool:
    return min(a[0], b[0]) <= p[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= p[1] <= max(a[1], b[1])


def segments_cross(p1: Point, p2: Point, q1: Point, q2: Point) -> bool:
    """Whether two segments meet (touching counts)."""
    d1, d2 = _orient(q1, q2, p1), _orient(q1, q2, p2)
    d3, d4 = _orient(p1, p2, q1), _orient(p1, p2, q2)
    if ((d1 > 0 > d2) or (d1 < 0 < d2)) and ((d3 > 0 > d4) or (d3 < 0 < d4)):
        return True
    return (
        (d1 == 0 and _on_segment(q1, q2, p1))
        or (d2 == 0 and _on_segment(q1, q2, p2))
        or (d3 == 0 and _on_segment(p1, p2, q1))
        or (d4 == 0 and _on_segment(p1, p2, q2))
    )


def polylines_cross(a: Sequence[Point], b: Sequence[Point]) -> bool:
    """Whether two drawn lines (each a list of points) cross anywhere."""
    return any(segments_cross(a[i], a[i + 1], b[j], b[j + 1]) for i in range(len(a) - 1) for j in range(len(b) - 1))


# ----------------------------------------------------------------------------------- model parts


def shell(
    name: str | None,
    description: str | None,
    *,
    report: ImportReport,
    file: str,
    fmt: str,
    facts: dict[str, str] | None = None,
) -> Model:
    """An empty model with what the source says about the product, and visible placeholders for the rest.

    The warning names what the source lacks; another source or ``mdptm.yaml`` may still give it.
    """
    facts = {k: v for k, v in (facts or {}).items() if v and v != PLACEHOLDER}
    model = Model(
        product=Product(
            name=one_line(name) or PLACEHOLDER,
            manufacturer=facts.get("manufacturer", PLACEHOLDER),
            model=facts.get("model"),
            version=facts.get("version"),
            intended_use=facts.get("intended_use"),
            description=plain(description) or None,
        ),
        document=Document(version=facts.get("document_version", PLACEHOLDER)),
    )
    missing = [
        label
        for label, value in (
            ("product name", model.product.name),
            ("manufacturer", model.product.manufacturer),
            ("document version", model.document.version),
        )
        if value == PLACEHOLDER
    ]
    if missing:
        report.warn(
            file,
            None,
            f"this {fmt} gives no {', '.join(missing)}: placeholders remain unless another source or mdptm.yaml sets them",
        )
    return model


def mitigation_control(
    cid: str,
    text: str,
    status: ControlStatus,
    src: Source,
    *,
    tags: Sequence[str] = (),
    extra: dict[str, object] | None = None,
) -> Control:
    """A control made from a mitigation text written on a threat."""
    body = plain(text)
    return Control(
        id=cid,
        title=headline(body) or cid,
        description=body,
        status=status,
        tags=list(tags),
        source=src,
        extra=extra or {},
        responsibility_stated=False,  # a mitigation written on a threat names no one who runs it
    )
