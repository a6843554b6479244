"""Diagrams and charts for the written documents: view diagrams, the risk heat map, coverage.

Everything is drawn on matplotlib's Agg canvas (no pyplot, no Graphviz, nothing outside pip), with the
font file that ships inside matplotlib, a fixed size and dpi and no PNG metadata, so the same model
gives the same bytes on every machine. Model text is drawn with math parsing off: a ``$`` in a
component name is a dollar sign, not LaTeX.
"""

from __future__ import annotations

import math
import re
import struct
import textwrap
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch, Rectangle
from matplotlib.path import Path as MplPath

from mdptm.model import Element, Flow, Model, Threat, TrustZone, View
from mdptm.model.results import CLAUSE_STATUSES, Coverage
from mdptm.model.vocabulary import risk_scale
from mdptm.render.colours import level_colour as level_colour  # re-exported: the documents colour their tables with it

if TYPE_CHECKING:
    from matplotlib.axes import Axes

DPI = 200
INCH_PER_UNIT = 0.42  # one layout unit on paper; fonts are in points, so this fixes legibility
MAX_COLUMNS = 5
MAX_ELEMENTS = 48  # above this a view is drawn per trust zone, not per element
MAX_EDGES = 120
MAX_ZONE_NODES = 16  # boxes in the zone-level picture of a large view
MAX_ZONE_EDGES = 40

# layout units
_PX, _PY = 3.2, 2.2  # column and row pitch
_BW, _BH = 2.3, 1.15  # element box
_BAND_TOP, _BAND_BOTTOM, _BAND_GAP, _MARGIN = 0.75, 0.35, 0.45, 0.3

_INK = "#263238"
_ARROW = "#455A64"
_ZONE_EDGE = "#C62828"
_ZONE_FILLS = ("#F5F7FA", "#FBF7F2")
_KIND_STYLE: dict[str, tuple[str, str]] = {
    # kind: (face colour, box shape)
    "device": ("#D7E3F4", "device"),
    "hardware": ("#D7E3F4", "device"),
    "software": ("#E3F2FD", "round"),
    "process": ("#E3F2FD", "round"),
    "mobile_app": ("#E3F2FD", "round"),
    "data_store": ("#FFF8E1", "store"),
    "external_entity": ("#EEEEEE", "square"),
    "cloud_service": ("#E0F2F1", "round"),
    "network": ("#F3E5F5", "square"),
}


# ------------------------------------------------------------------------------------ plumbing


@cache
def _font_file(bold: bool) -> str:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name)


def _fp(size: float, bold: bool = False, italic: bool = False) -> FontProperties:
    """A font loaded from matplotlib's own file, never from whatever the system offers."""
    fp = FontProperties(fname=_font_file(bold), size=size)
    if italic:
        fp.set_style("oblique")
    return fp


def _new_figure(width_in: float, height_in: float) -> Figure:
    fig = Figure(figsize=(width_in, height_in), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


# zlib level 3: of a diagram's PNG time, most goes into level 6's search (0.18 s of a sample's 14 pictures,
# about a twentieth of its build) for 7 % fewer bytes
_PNG_LEVEL = 3


def _save(fig: Figure, path: Path) -> Path:
    """The figure as an opaque RGB PNG with no metadata but its dpi.

    Drawn on a white face (:func:`_new_figure`), a diagram has no transparent pixel: the alpha channel savefig writes is
    a quarter of the data to compress for nothing (dropping it saves time and 9 % of the bytes).
    """
    from PIL import Image

    with matplotlib.rc_context({"path.simplify": True}):
        canvas = fig.canvas
        assert isinstance(canvas, FigureCanvasAgg)  # every figure here is made by _new_figure
        rgba, size = canvas.print_to_buffer()  # type: ignore[no-untyped-call]  # the Agg backend has no type hints
        image = Image.frombuffer("RGBA", size, rgba, "raw", "RGBA", 0, 1).convert("RGB")
    image.save(path, format="PNG", compress_level=_PNG_LEVEL, dpi=(DPI, DPI))
    return path


def png_size_cm(path: Path) -> tuple[float, float]:
    """Natural print size of a PNG written here (its pixel size at :data:`DPI`)."""
    with path.open("rb") as fh:
        head = fh.read(24)
    width, height = struct.unpack(">II", head[16:24])
    return width / DPI * 2.54, height / DPI * 2.54


def _wrap(text: str, width: int, lines: int) -> str:
    """Wrap *text* to at most *lines* lines, ending with an ellipsis when cut."""
    text = " ".join(text.split())
    out = textwrap.wrap(text, width=width, break_long_words=True, break_on_hyphens=True) or [""]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: max(width - 1, 1)].rstrip() + "…"
    return "\n".join(out)


_NAME_ROOM_PT = (_BW - 0.2) * INCH_PER_UNIT * 72  # the width an element's name may take inside its box


@cache
def _name_width(text: str, size: float) -> float:
    """The width in points of *text* in the bold face of the element names, as drawn."""
    from matplotlib.textpath import text_to_path

    return float(text_to_path.get_text_width_height_descent(text, _fp(size, bold=True), ismath=False)[0])


def _measured_lines(text: str, size: float) -> list[str]:
    """*text* wrapped at word breaks into lines that fit an element box at *size*; a word too long for a
    line is broken inside. Counting characters let "Management Page" spill over the box's edges."""
    out: list[str] = []
    line = ""
    for word in text.split():
        joined = f"{line} {word}" if line else word
        if _name_width(joined, size) <= _NAME_ROOM_PT:
            line = joined
            continue
        if line:
            out.append(line)
        line = word
        while _name_width(line, size) > _NAME_ROOM_PT and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and _name_width(line[:cut], size) > _NAME_ROOM_PT:
                cut -= 1
            out.append(line[:cut])
            line = line[cut:]
    return [*out, line] if line or not out else out


def _fit_name(label: str) -> tuple[str, float]:
    """An element's name as drawn in its box, and its font size: two lines at 7 pt, else three at 6 pt, else
    four at 5 pt; a name is cut (with an ellipsis) only when it fits none of these."""
    for size, most in ((7.0, 2), (6.0, 3), (5.0, 4)):
        lines = _measured_lines(label, size)
        if len(lines) <= most:
            return "\n".join(lines), size
    lines = lines[:4]
    last = lines[-1]
    while last and _name_width(last + "…", 5.0) > _NAME_ROOM_PT:
        last = last[:-1]
    lines[-1] = last.rstrip() + "…"
    return "\n".join(lines), 5.0


# ------------------------------------------------------------------------------- view diagrams


@dataclass
class _Node:
    id: str
    label: str
    kind: str
    group: str
    x: float = 0.0
    y: float = 0.0


@dataclass
class _Edge:
    source: str
    target: str
    label: str
    both_ways: bool = False
    count: int = 1
    short: str = ""  # used where the full label finds no free place


@dataclass
class _Group:
    id: str
    title: str
    nodes: list[_Node] = field(default_factory=list)
    top: float = 0.0
    bottom: float = 0.0


def _view_scope(model: Model, view: View | None) -> tuple[list[Element], list[Flow]] | None:
    """The elements and flows a view shows; None when the view names none at all."""
    elements = {e.id: e for e in model.elements}
    flows = {f.id: f for f in model.flows}
    if view is None:
        return list(model.elements), [f for f in model.flows if f.source in elements and f.target in elements]
    want_e: dict[str, None] = dict.fromkeys(e for e in view.elements if e in elements)
    want_f: dict[str, None] = dict.fromkeys(f for f in view.flows if f in flows)
    threats = {t.id: t for t in model.threats}
    for tid in view.threats:
        threat = threats.get(tid)
        for target in threat.targets if threat else ():
            if target in elements:
                want_e.setdefault(target)
            elif target in flows:
                want_f.setdefault(target)
    for fid in want_f:
        want_e.setdefault(flows[fid].source)
        want_e.setdefault(flows[fid].target)
    if not want_e:
        if view.kind == "global_system":
            return _view_scope(model, None)
        return None
    picked = [e for e in model.elements if e.id in want_e and e.id in elements]
    if view.flows:
        picked_flows = [f for f in model.flows if f.id in want_f and f.source in elements and f.target in elements]
    else:
        picked_flows = [f for f in model.flows if f.source in want_e and f.target in want_e]
        picked_flows += [f for f in model.flows if f.id in want_f and f not in picked_flows]
    return picked, picked_flows


def _flow_label(flow: Flow, detailed: bool) -> str:
    if not detailed:
        return flow.id
    name = _wrap(flow.name or flow.id, 22, 3)  # whole where it can be; the placer falls back to the id
    proto = " / ".join(p for p in (flow.protocol, flow.port) if p)
    if proto and proto.lower() not in (flow.name or "").lower():
        return name + "\n" + _wrap(proto, 22, 1)
    return name


def view_diagram(model: Model, path: Path, view: View | None = None, *, max_elements: int = MAX_ELEMENTS) -> Path | None:
    """Draw a view (the whole system when *view* is None): trust zones as boxes, elements inside
    them, flows as labelled arrows. Large views are drawn zone by zone with counted flows.
    Returns None when the view names nothing that can be drawn."""
    scope = _view_scope(model, view)
    if scope is None or not scope[0]:
        return None
    elements, flows = scope
    zones = {z.id: z for z in model.trust_zones}
    if len(elements) > max_elements:
        groups, edges = _aggregate(elements, flows, zones)
        _draw(groups, edges, path, zone_boxes=False)
        return path
    groups = _zone_groups(elements, zones, [z.id for z in model.trust_zones])
    merged = _merge_edges(flows, detailed=len(flows) <= 30)
    _draw(groups, merged, path, zone_boxes=True)
    return path


def _zone_groups(elements: Sequence[Element], zones: dict[str, TrustZone], zone_order: list[str]) -> list[_Group]:
    """One group per trust zone in use, laid out by topology: the device and the patient first, then the
    hospital's networks, then the outside (cloud, maker, internet), so that no flow between the device and
    the hospital appears to cross the cloud; model order within each; unzoned last."""
    from mdptm.model.topology import zone_kind

    rank = {zid: i for i, zid in enumerate(zone_order)}
    place = {"on_body": 0, "physical": 1, "network": 2, None: 2, "vendor": 3, "cloud": 3, "internet": 3}
    by_zone: dict[str | None, list[Element]] = defaultdict(list)
    for e in elements:
        by_zone[e.trust_zone if e.trust_zone in zones else None].append(e)

    def key(zid: str | None) -> tuple[int, int]:
        if zid is None:
            return (9, 0)
        return (place.get(zone_kind(zones[zid]).kind, 2), rank[zid])

    groups = []
    for zid in sorted(by_zone, key=key):
        if zid is None:
            title = "Outside any trust zone"
        else:
            z = zones[zid]
            title = z.name + (f"  ·  trust level {z.trust_level}" if z.trust_level is not None else "")
        g = _Group(id=zid or "", title=title)
        for e in by_zone[zid]:
            g.nodes.append(_Node(e.id, e.name or e.id, e.kind, g.id))
        groups.append(g)
    return groups


def _merge_edges(flows: Iterable[Flow], detailed: bool) -> list[_Edge]:
    """One arrow per flow; more than two flows between the same pair become one counted arrow."""
    pairs: dict[frozenset[str], list[Flow]] = defaultdict(list)
    for f in flows:
        pairs[frozenset((f.source, f.target))].append(f)
    edges: list[_Edge] = []
    for group in pairs.values():
        if len(group) > 2:
            first = group[0]
            both = any(f.bidirectional or f.source != first.source for f in group)
            label = f"{len(group)} flows" if detailed else f"{group[0].id} … ({len(group)})"
            edges.append(_Edge(first.source, first.target, label, both, len(group), short=f"×{len(group)}"))
        else:
            edges.extend(_Edge(f.source, f.target, _flow_label(f, detailed), f.bidirectional, short=f.id) for f in group)
    return edges[:MAX_EDGES]


def _aggregate(elements: Sequence[Element], flows: Sequence[Flow], zones: dict[str, TrustZone]) -> tuple[list[_Group], list[_Edge]]:
    """Zone-level picture for views too large to draw element by element: one box per trust zone
    (the largest MAX_ZONE_NODES; the rest as one "other zones" box) and one counted arrow per pair."""
    order = {zid: i for i, zid in enumerate(zones)}
    members: dict[str, list[Element]] = defaultdict(list)
    for e in elements:
        members[e.trust_zone if e.trust_zone in zones else ""].append(e)
    ranked = sorted(members, key=lambda z: (-len(members[z]), z == "", order.get(z, 0)))
    kept = set(ranked[: MAX_ZONE_NODES - 1] if len(ranked) > MAX_ZONE_NODES else ranked)
    node_of: dict[str, str] = {}
    boxes: dict[str, list[Element]] = defaultdict(list)
    titles: dict[str, str] = {}
    for zid in sorted(members, key=lambda z: (z == "", order.get(z, 0))):
        key = (zid or "__none__") if zid in kept else "__other__"
        titles.setdefault(
            key,
            zones[zid].name
            if key == zid
            else "Outside any trust zone"
            if key == "__none__"
            else f"{len(members) - len(kept)} other trust zones",
        )
        boxes[key].extend(members[zid])
        for e in members[zid]:
            node_of[e.id] = key
    group = _Group(id="", title="")
    for key, items in boxes.items():
        kinds: dict[str, int] = defaultdict(int)
        for e in items:
            kinds[e.kind] += 1
        detail = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))[:2])
        label = f"{_wrap(titles[key], 22, 2)}\n{len(items)} elements\n{_wrap(detail, 26, 1)}"
        group.nodes.append(_Node(key, label, "network", ""))
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for f in flows:
        a, b = node_of.get(f.source), node_of.get(f.target)
        if a is not None and b is not None and a != b:
            counts[(a, b)] += 1
    busiest = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_ZONE_EDGES]
    edges = [_Edge(a, b, f"{n} flow" + ("s" if n != 1 else ""), count=n, short=str(n)) for (a, b), n in sorted(busiest)]
    return [group], edges


def _segment_hits_box(p: tuple[float, float], q: tuple[float, float], box: tuple[float, float, float, float]) -> bool:
    """Whether the segment p→q passes through *box* (Liang–Barsky clipping)."""
    (x0, y0), (x1, y1) = p, q
    dx, dy = x1 - x0, y1 - y0
    lo, hi = 0.0, 1.0
    for pk, qk in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if pk == 0:
            if qk < 0:
                return False
            continue
        t = qk / pk
        if pk < 0:
            lo = max(lo, t)
        else:
            hi = min(hi, t)
        if lo > hi:
            return False
    return True


class _Placer:
    """Assigns nodes to grid slots inside their band so that flows are short and pass through no box.

    A deterministic local search: swap two slots of a band (a node with a node or with an empty slot)
    whenever that lowers the cost; repeat until nothing improves. Costs are updated incrementally,
    which keeps a 48-element view well under a second.
    """

    PASS_PENALTY = 8.0

    def __init__(self, groups: list[_Group], edges: list[_Edge], columns: int):
        self.groups = groups
        self.columns = columns
        self.nodes = {n.id: n for g in groups for n in g.nodes}
        pairs = {tuple(sorted((e.source, e.target))) for e in edges if e.source in self.nodes and e.target in self.nodes}
        self.edges = sorted((a, b) for a, b in pairs if a != b)
        self.incident: dict[str, list[int]] = defaultdict(list)
        for i, (a, b) in enumerate(self.edges):
            self.incident[a].append(i)
            self.incident[b].append(i)
        self.slots: list[list[tuple[float, float]]] = []
        self.occupant: list[list[str | None]] = []

    def build_slots(self) -> tuple[float, float]:
        # wide enough for the longest zone title (7.5 pt bold is about 0.16 layout units a character)
        width = max(self.columns * _PX, max((len(g.title) * 0.16 + 0.5 for g in self.groups), default=0.0))
        y = -_MARGIN
        for g in self.groups:
            g.top = y
            y -= _BAND_TOP if g.title else 0.15
            rows = max(1, math.ceil(len(g.nodes) / self.columns))
            cols = self.columns if rows > 1 or len(self.groups) > 1 else max(len(g.nodes), 1)
            offset = (width - cols * _PX) / 2
            slots = [(_MARGIN + offset + (c + 0.5) * _PX, y - r * _PY - _BH / 2 - 0.1) for r in range(rows) for c in range(cols)]
            y -= (rows - 1) * _PY + _BH + 0.2 + _BAND_BOTTOM
            g.bottom = y
            y -= _BAND_GAP
            # start centred, in model order
            occ: list[str | None] = [None] * len(slots)
            start = max(0, (min(cols, len(slots)) - len(g.nodes)) // 2) if rows == 1 else 0
            for k, n in enumerate(g.nodes):
                occ[start + k] = n.id
            self.slots.append(slots)
            self.occupant.append(occ)
        self._apply()
        return width + 2 * _MARGIN, -self.groups[-1].bottom + _MARGIN

    def _apply(self) -> None:
        for slots, occ in zip(self.slots, self.occupant, strict=True):
            for (x, y), nid in zip(slots, occ, strict=True):
                if nid is not None:
                    self.nodes[nid].x, self.nodes[nid].y = x, y

    def _box(self, nid: str) -> tuple[float, float, float, float]:
        n = self.nodes[nid]
        return (n.x - _BW / 2 + 0.05, n.y - _BH / 2 + 0.05, n.x + _BW / 2 - 0.05, n.y + _BH / 2 - 0.05)

    def _edge_cost(self, i: int) -> float:
        a, b = self.edges[i]
        pa, pb = self.nodes[a], self.nodes[b]
        cost = math.hypot(pa.x - pb.x, pa.y - pb.y)
        for nid in self.nodes:
            if nid not in (a, b) and _segment_hits_box((pa.x, pa.y), (pb.x, pb.y), self._box(nid)):
                cost += self.PASS_PENALTY
        return cost

    def _local_cost(self, moved: list[str]) -> float:
        touched = sorted({i for m in moved for i in self.incident[m]})
        cost = sum(self._edge_cost(i) for i in touched)
        tset = set(touched)
        boxes = [self._box(m) for m in moved]
        for i, (a, b) in enumerate(self.edges):
            if i in tset:
                continue
            pa, pb = self.nodes[a], self.nodes[b]
            cost += self.PASS_PENALTY * sum(_segment_hits_box((pa.x, pa.y), (pb.x, pb.y), bx) for bx in boxes)
        return cost

    def optimise(self, passes: int = 8) -> None:
        for _ in range(passes):
            improved = False
            for gi, occ in enumerate(self.occupant):
                slots = self.slots[gi]
                for i in range(len(occ)):
                    for j in range(i + 1, len(occ)):
                        moved = [nid for nid in (occ[i], occ[j]) if nid is not None]
                        if not moved:
                            continue
                        before = self._local_cost(moved)
                        self._swap(occ, slots, i, j)
                        if self._local_cost(moved) < before - 1e-6:
                            improved = True
                        else:
                            self._swap(occ, slots, i, j)
            if not improved:
                break

    def _swap(self, occ: list[str | None], slots: list[tuple[float, float]], i: int, j: int) -> None:
        occ[i], occ[j] = occ[j], occ[i]
        for k in (i, j):
            nid = occ[k]
            if nid is not None:
                self.nodes[nid].x, self.nodes[nid].y = slots[k]


def _layout(groups: list[_Group], edges: list[_Edge], columns: int) -> tuple[float, float]:
    """Place nodes on a grid, band by band from top to bottom; returns the picture's width and height."""
    placer = _Placer(groups, edges, columns)
    size = placer.build_slots()
    placer.optimise()
    return size


def _choose_columns(groups: list[_Group]) -> int:
    """Fewest columns (at least the widest band's, up to MAX_COLUMNS) that keep the picture no
    taller than about its width."""
    widest = max((len(g.nodes) for g in groups), default=1)
    limit = max(1, min(widest, MAX_COLUMNS))
    for c in range(min(3, limit), limit + 1):
        rows = sum(max(1, math.ceil(len(g.nodes) / c)) for g in groups)
        height = rows * _PY + len(groups) * (_BAND_TOP + _BAND_BOTTOM + _BAND_GAP)
        if height <= 1.05 * (c * _PX + 2 * _MARGIN):
            return c
    return limit


def _draw(groups: list[_Group], edges: list[_Edge], path: Path, *, zone_boxes: bool) -> None:
    width, height = _layout(groups, edges, _choose_columns(groups))
    fig = _new_figure(width * INCH_PER_UNIT, height * INCH_PER_UNIT)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(-height, 0)
    ax.set_aspect("equal")
    ax.axis("off")
    if zone_boxes:
        for i, g in enumerate(groups):
            ax.add_patch(
                Rectangle(
                    (0.08, g.bottom),
                    width - 0.16,
                    g.top - g.bottom,
                    facecolor=_ZONE_FILLS[i % 2],
                    edgecolor=_ZONE_EDGE,
                    linestyle=(0, (5, 3)),
                    linewidth=1.0,
                    zorder=0,
                )
            )
            ax.text(
                0.25,
                g.top - 0.12,
                _wrap(g.title, 90, 1),
                ha="left",
                va="top",
                color=_ZONE_EDGE,
                fontproperties=_fp(7.5, bold=True),
                parse_math=False,
                zorder=1,
            )
    boxes: dict[str, FancyBboxPatch] = {}
    occupied: list[tuple[float, float, float, float]] = []
    if zone_boxes:  # keep flow labels off the zone titles
        occupied.extend((0.2, g.top - 0.6, 0.3 + 0.16 * len(g.title), g.top) for g in groups)
    for g in groups:
        for n in g.nodes:
            boxes[n.id] = _draw_node(ax, n)
            occupied.append((n.x - _BW / 2, n.y - _BH / 2, n.x + _BW / 2, n.y + _BH / 2))
    nodes = {n.id: n for g in groups for n in g.nodes}
    pair_seen: dict[frozenset[str], int] = defaultdict(int)
    drawn: list[tuple[float, float]] = []  # points along the arcs drawn so far
    for e in edges:
        a, b = nodes.get(e.source), nodes.get(e.target)
        if a is None or b is None or a is b:
            continue
        k = pair_seen[frozenset((a.id, b.id))]
        pair_seen[frozenset((a.id, b.id))] += 1
        rad = (0.0, 0.22, -0.22, 0.4, -0.4)[k % 5]
        same_row = abs(a.y - b.y) < 0.01 and abs(a.x - b.x) > _PX * 1.5
        same_col = abs(a.x - b.x) < 0.01 and abs(a.y - b.y) > _PY * 1.5
        if rad == 0.0 and (same_row or same_col):
            rad = 0.35
        if a.id > b.id and rad:  # the same bend whichever way the flow was written
            rad = -rad
        if rad and not (1.0 < _bezier((a.x, a.y), (b.x, b.y), rad, 0.5)[0] < width - 1.0):
            rad = -rad  # bend towards the inside of the picture, never off its edge
        rad = _around_boxes(a, b, rad, [n for n in nodes.values() if n is not a and n is not b], width, drawn)
        drawn.extend(_arc_points((a.x, a.y), (b.x, b.y), rad))
        ax.add_patch(
            FancyArrowPatch(
                path=_arc_between((a.x, a.y), (b.x, b.y), rad),
                arrowstyle="<|-|>" if e.both_ways else "-|>",
                mutation_scale=9,
                shrinkA=0,
                shrinkB=0,
                color=_ARROW,
                linewidth=0.5 + 0.25 * min(e.count, 4),
                zorder=2,
            )
        )
        _place_label(ax, e.label, e.short, (a.x, a.y), (b.x, b.y), rad, occupied, (0.0, width))
    _save(fig, path)


def _draw_node(ax: Axes, n: _Node) -> FancyBboxPatch:
    face, shape = _KIND_STYLE.get(n.kind, ("#ECEFF1", "round"))
    x0, y0 = n.x - _BW / 2, n.y - _BH / 2
    style = {"round": "round,pad=0,rounding_size=0.18", "device": "round,pad=0,rounding_size=0.06"}.get(shape, "square,pad=0")
    box = FancyBboxPatch(
        (x0, y0),
        _BW,
        _BH,
        boxstyle=style,
        facecolor=face,
        edgecolor="none" if shape == "store" else _INK,
        linewidth=1.6 if shape == "device" else 0.8,
        zorder=3,
    )
    ax.add_patch(box)
    if shape == "store":  # a data store: lines above and below, open at the sides
        ax.plot([x0, x0 + _BW], [y0 + _BH, y0 + _BH], color=_INK, linewidth=0.9, zorder=4)
        ax.plot([x0, x0 + _BW], [y0, y0], color=_INK, linewidth=0.9, zorder=4)
    if n.group == "" and "\n" in n.label:  # aggregated zone node: text already composed
        ax.text(
            n.x,
            n.y,
            n.label,
            ha="center",
            va="center",
            color=_INK,
            fontproperties=_fp(6.5),
            parse_math=False,
            zorder=5,
            linespacing=1.15,
        )
        return box
    name, size = _fit_name(n.label)
    ax.text(
        n.x,
        n.y + 0.14,
        name,
        ha="center",
        va="center",
        color=_INK,
        fontproperties=_fp(size, bold=True),
        parse_math=False,
        zorder=5,
        linespacing=1.05,
    )
    ax.text(
        n.x,
        y0 + 0.16,
        n.kind.replace("_", " "),
        ha="center",
        va="center",
        color="#546E7A",
        fontproperties=_fp(5.5, italic=True),
        parse_math=False,
        zorder=5,
    )
    return box


_DETOURS = (0.12, -0.12, 0.2, -0.2, 0.3, -0.3, 0.5, -0.5, 0.7, -0.7)  # bends tried, in turn, for a flow whose arc crosses another box


def _arc_points(p1: tuple[float, float], p2: tuple[float, float], rad: float) -> list[tuple[float, float]]:
    return [_bezier(p1, p2, rad, k / 40) for k in range(2, 39)]


def _boxes_crossed(points: Sequence[tuple[float, float]], others: Sequence[_Node]) -> int:
    """How many of the *others*' boxes an arc (its sampled *points*) passes through."""
    return sum(1 for n in others if any(_inside_box(x, y, (n.x, n.y), pad=0.02) for x, y in points))


def _close_to(points: Sequence[tuple[float, float]], drawn: Sequence[tuple[float, float]], gap: float = 0.2) -> int:
    """How many of an arc's *points* run within *gap* of an arc already drawn (two flows that would read as one)."""
    return sum(1 for x, y in points if any(abs(x - u) < gap and abs(y - v) < gap for u, v in drawn))


def _around_boxes(a: _Node, b: _Node, rad: float, others: Sequence[_Node], width: float, drawn: Sequence[tuple[float, float]]) -> float:
    """The bend for the flow a→b: *rad* unless its arc passes through another element's box, which would read as
    a flow to that element; then the detour inside the picture that crosses fewest boxes and, of those, runs least
    along the arcs already *drawn*."""
    p1, p2 = (a.x, a.y), (b.x, b.y)
    crossed = _boxes_crossed(_arc_points(p1, p2, rad), others)
    if not crossed:
        return rad
    best, score = rad, (crossed, 0)
    for detour in _DETOURS:
        bend = -detour if a.id > b.id else detour  # the same bend whichever way the flow was written
        if not 0.3 < _bezier(p1, p2, bend, 0.5)[0] < width - 0.3:
            continue
        points = _arc_points(p1, p2, bend)
        n = _boxes_crossed(points, others)
        if n > score[0] or (n == score[0] and n >= crossed):
            continue  # crosses more, or no fewer than the flow's own bend
        close = _close_to(points, drawn)
        if n < score[0] or close < score[1]:
            best, score = bend, (n, close)
    return best


def _inside_box(x: float, y: float, centre: tuple[float, float], pad: float = 0.06) -> bool:
    return abs(x - centre[0]) <= _BW / 2 + pad and abs(y - centre[1]) <= _BH / 2 + pad


def _arc_between(p1: tuple[float, float], p2: tuple[float, float], rad: float) -> MplPath:
    """The arc from box to box: matplotlib's arc3 curve between the two centres, cut where it
    leaves the first box and enters the second. Computed here because letting matplotlib clip
    against the box patches costs most of a diagram's drawing time."""

    def edge(lo: float, hi: float, centre: tuple[float, float]) -> float:
        # bisect for the boundary between "inside centre's box" (at lo) and "outside" (at hi)
        for _ in range(14):
            mid = (lo + hi) / 2
            if _inside_box(*_bezier(p1, p2, rad, mid), centre):
                lo = mid
            else:
                hi = mid
        return hi

    t0 = edge(0.0, 0.5, p1)
    t1 = edge(1.0, 0.5, p2)
    (x1, y1), (x2, y2) = p1, p2
    cx, cy = (x1 + x2) / 2 + rad * (y2 - y1), (y1 + y2) / 2 - rad * (x2 - x1)
    start, end = _bezier(p1, p2, rad, t0), _bezier(p1, p2, rad, t1)
    # derivative of the quadratic at t0 gives the control point of the cut segment
    dx = 2 * (1 - t0) * (cx - x1) + 2 * t0 * (x2 - cx)
    dy = 2 * (1 - t0) * (cy - y1) + 2 * t0 * (y2 - cy)
    ctrl = (start[0] + (t1 - t0) / 2 * dx, start[1] + (t1 - t0) / 2 * dy)
    return MplPath([start, ctrl, end], [MplPath.MOVETO, MplPath.CURVE3, MplPath.CURVE3])


def _bezier(p1: tuple[float, float], p2: tuple[float, float], rad: float, t: float) -> tuple[float, float]:
    """A point on matplotlib's arc3 connection (a quadratic Bézier through a bent control point)."""
    (x1, y1), (x2, y2) = p1, p2
    cx, cy = (x1 + x2) / 2 + rad * (y2 - y1), (y1 + y2) / 2 - rad * (x2 - x1)
    u = 1 - t
    return u * u * x1 + 2 * u * t * cx + t * t * x2, u * u * y1 + 2 * u * t * cy + t * t * y2


def _offset(p1: tuple[float, float], p2: tuple[float, float], x: float, y: float, d: float) -> tuple[float, float]:
    """(x, y) moved by *d* across the line p1→p2: a label beside its arrow rather than on it."""
    dx, dy = p2[0] - p1[0], p2[1] - p1[1]
    n = math.hypot(dx, dy) or 1.0
    return x - dy / n * d, y + dx / n * d


def _place_label(
    ax: Axes,
    text: str,
    short: str,
    p1: tuple[float, float],
    p2: tuple[float, float],
    rad: float,
    occupied: list[tuple[float, float, float, float]],
    bounds: tuple[float, float],
) -> None:
    """Draw a flow's label where :func:`_label_spot` puts it; the space it takes is *occupied* from then on."""
    x, y, rect, chosen = _label_spot(text, short, p1, p2, rad, occupied, bounds)
    occupied.append(rect)
    ax.text(
        x,
        y,
        chosen,
        ha="center",
        va="center",
        color=_INK,
        fontproperties=_fp(6),
        parse_math=False,
        zorder=6,
        linespacing=1.05,
        bbox={
            "boxstyle": "round,pad=0.15,rounding_size=0.1",
            "facecolor": "white",
            "edgecolor": "#B0BEC5",
            "linewidth": 0.4,
            "alpha": 0.92,
        },
    )


def _label_spot(
    text: str,
    short: str,
    p1: tuple[float, float],
    p2: tuple[float, float],
    rad: float,
    occupied: Sequence[tuple[float, float, float, float]],
    bounds: tuple[float, float],
) -> tuple[float, float, tuple[float, float, float, float], str]:
    """Where a flow's label goes, and which: on its arrow where it covers no box and no other label; where the
    full label fits nowhere, its short form (the flow id), then (between neighbours) the full label just beside
    the arrow, before accepting the placement that covers least."""
    best: tuple[tuple[int, float], float, float, tuple[float, float, float, float], str] | None = None
    near = [(t, d) for d in (0.0, 0.32, -0.32) for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78, 0.15, 0.85)]
    tries = [(c, near) for c in dict.fromkeys(c for c in (text, short) if c)]
    if math.hypot(p2[0] - p1[0], p2[1] - p1[1]) < _PX * 1.2:
        # neighbours: the gap between their boxes holds neither label; the whole label then goes just beside the
        # arrow, clear of both boxes' names, rather than over them
        tries.append((text, [(0.5, 0.8), (0.5, -0.8)]))
    for candidate, positions in tries:
        lines = candidate.split("\n")
        w = max(len(s) for s in lines) * 0.115 + 0.2
        h = len(lines) * 0.25 + 0.12
        for t, d in positions:
            x, y = _bezier(p1, p2, rad, t)
            x, y = _offset(p1, p2, x, y, d)
            rect = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
            overlaps = [
                (min(rect[2], o[2]) - max(rect[0], o[0])) * (min(rect[3], o[3]) - max(rect[1], o[1]))
                for o in occupied
                if rect[0] < o[2] and o[0] < rect[2] and rect[1] < o[3] and o[1] < rect[3]
            ]
            hits = len(overlaps) + (0 if bounds[0] <= rect[0] and rect[2] <= bounds[1] else 5)
            # fewest things covered, then least covered: where nothing is free, the smaller label hides less of a name
            score = (hits, round(sum(overlaps), 6))
            if best is None or score < best[0]:
                best = (score, x, y, rect, candidate)
            if hits == 0:
                break
        if best is not None and best[0][0] == 0:
            break
    assert best is not None
    _, x, y, rect, chosen = best
    return x, y, rect, chosen


# ------------------------------------------------------------------------------- risk heat map

_NUMBER = re.compile(r"^\s*(\d+(?:[.,]\d+)?)")


def _rank_table(axis: str) -> dict[str, int]:
    table: dict[str, int] = {}
    for rank, words in risk_scale().axis(axis).items():
        for w in words or ():
            table.setdefault(str(w).strip().lower(), int(rank))
    return table


def _label_order(labels: Iterable[str], axis: str, scores: dict[str, list[float]]) -> list[str]:
    """Source labels in ascending order: numbers by value, words by the vocabulary, the rest by score."""
    table = _rank_table(axis)

    def key(label: str) -> tuple[int, float, float, str]:
        vals = scores.get(label) or []
        mean = sum(vals) / len(vals) if vals else 0.0  # breaks ties such as "major" vs "critical"
        m = _NUMBER.match(label)
        if m:
            return (0, float(m.group(1).replace(",", ".")), mean, label)
        word = label.strip().lower()
        if word in table:
            return (0, float(table[word]), mean, label)
        return (1, mean, 0.0, label)

    return sorted(set(labels), key=key)


def _cell_level(i: int, j: int, n_l: int, n_s: int) -> str:
    """Position in the grid → a level, so the map reads green to red from corner to corner."""
    v = ((i + 1) / n_l) * ((j + 1) / n_s)
    return "low" if v <= 0.2 else "medium" if v <= 0.45 else "high" if v <= 0.7 else "critical"


def _risk_pairs(threats: Sequence[Threat], residual: bool) -> list[tuple[str, str]]:
    out = []
    for t in threats:
        r = t.residual_risk if residual else t.risk
        if r is not None and r.likelihood and r.severity:
            out.append((r.likelihood.strip(), r.severity.strip()))
    return out


def heat_map_phases(threats: Sequence[Threat]) -> str:
    """What :func:`risk_heat_map` draws, for its caption: "before and after controls", "before controls" or
    "after controls" (a panel only for ratings the model gives), or "" when it draws nothing."""
    before, after = bool(_risk_pairs(threats, False)), bool(_risk_pairs(threats, True))
    return {(True, True): "before and after controls", (True, False): "before controls", (False, True): "after controls"}.get(
        (before, after), ""
    )


def risk_heat_map(threats: Sequence[Threat], path: Path) -> Path | None:
    """Likelihood × severity grid with threat counts, before controls and (when assessed) after.
    Axes use the model's own labels. None when no threat has both a likelihood and a severity."""
    before, after = _risk_pairs(threats, False), _risk_pairs(threats, True)
    if not before and not after:
        return None
    bases = {r.likelihood_basis for t in threats for r in (t.risk, t.residual_risk) if r is not None and r.likelihood}
    axis = "Exploitability" if bases == {"exploitability"} else "Likelihood"  # the axis says what the model rates
    lik_scores: dict[str, list[float]] = defaultdict(list)
    sev_scores: dict[str, list[float]] = defaultdict(list)
    level_rank = {"low": 1.0, "medium": 2.0, "high": 3.0, "critical": 4.0}
    for t in threats:
        for r in (t.risk, t.residual_risk):
            if r is None:
                continue
            value = level_rank.get(r.level or "", r.score)
            if value is None:
                continue
            if r.likelihood:
                lik_scores[r.likelihood.strip()].append(value)
            if r.severity:
                sev_scores[r.severity.strip()].append(value)
    lik = _label_order([p[0] for p in before + after], "likelihood", lik_scores)[:12]
    sev = _label_order([p[1] for p in before + after], "severity", sev_scores)[:12]
    panels = ([("Before controls", before)] if before else []) + ([("After controls (residual risk)", after)] if after else [])
    cell = 0.55
    pw = max(len(sev) * cell, 2.2)
    ph = max(len(lik) * cell, 1.6)
    label_w = min(max(len(s) for s in lik) * 0.065 + 0.5, 1.6)
    gap = 0.45
    bottom, top = 0.72, 0.38  # inches: tick labels and axis title below, panel title above
    fig = _new_figure(label_w + len(panels) * pw + (len(panels) - 1) * gap + 0.45, ph + bottom + top)
    for k, (title, pairs) in enumerate(panels):
        left = (0.1 + label_w + k * (pw + gap)) / fig.get_figwidth()
        ax = fig.add_axes((left, bottom / fig.get_figheight(), pw / fig.get_figwidth(), ph / fig.get_figheight()))
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for p in pairs:
            counts[p] += 1
        for i, li in enumerate(lik):
            for j, se in enumerate(sev):
                colour = "#" + (level_colour(_cell_level(i, j, len(lik), len(sev))) or "EEEEEE")
                ax.add_patch(Rectangle((j, i), 1, 1, facecolor=colour, edgecolor="white", linewidth=1.5))
                n = counts.get((li, se), 0)
                if n:
                    ax.text(
                        j + 0.5,
                        i + 0.5,
                        str(n),
                        ha="center",
                        va="center",
                        color=_INK,
                        fontproperties=_fp(9, bold=True),
                        parse_math=False,
                    )
        ax.set_xlim(0, len(sev))
        ax.set_ylim(0, len(lik))
        ax.set_xticks([j + 0.5 for j in range(len(sev))])
        ax.set_yticks([i + 0.5 for i in range(len(lik))])
        ax.set_xticklabels([_wrap(s, 13, 2) for s in sev], fontproperties=_fp(6), parse_math=False)
        ax.set_yticklabels([_wrap(s, 14, 1) for s in lik] if k == 0 else [""] * len(lik), fontproperties=_fp(6.5), parse_math=False)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_xlabel("Severity", fontproperties=_fp(7.5, bold=True), color=_INK)
        if k == 0:
            ax.set_ylabel(axis, fontproperties=_fp(7.5, bold=True), color=_INK)
        ax.set_title(f"{title}  ({len(pairs)} threats)", fontproperties=_fp(8, bold=True), color=_INK, pad=6)
    return _save(fig, path)


# ------------------------------------------------------------------------------ coverage chart

_STATUS_NAMES = {"covered": "Covered", "partial": "Partly covered", "gap": "Gap", "not_applicable": "Not applicable"}


def coverage_chart(coverage: Coverage, path: Path) -> Path | None:
    """One stacked bar per framework: how many clauses are covered, partly covered, gaps, not applicable."""
    frameworks = [f for f in coverage.frameworks if f.clauses or f.summary]
    if not frameworks:
        return None
    colours = risk_scale().status_colours
    pitch, bottom, top = 0.62, 0.72, 0.12  # inches: per framework, axis and legend, air above
    height = pitch * len(frameworks) + bottom + top
    fig = _new_figure(6.6, height)
    ax = fig.add_axes((0.36, bottom / height, 0.60, (height - bottom - top) / height))
    labels = []
    for row, fw in enumerate(reversed(frameworks)):
        counts = dict.fromkeys(CLAUSE_STATUSES, 0)
        if fw.clauses:
            for c in fw.clauses:
                counts[c.status] += 1
        else:
            counts.update({k: v for k, v in fw.summary.items() if k in counts})
        total = sum(counts.values()) or 1
        left = 0.0
        for status in CLAUSE_STATUSES:
            n = counts[status]
            if not n:
                continue
            share = n / total * 100
            ax.barh(row, share, left=left, height=0.62, color="#" + str(colours.get(status, "9E9E9E")), edgecolor="white")
            if share >= 6:
                ax.text(
                    left + share / 2,
                    row,
                    str(n),
                    ha="center",
                    va="center",
                    color="white",
                    fontproperties=_fp(7, bold=True),
                    parse_math=False,
                )
            left += share
        labels.append(_wrap(fw.title or fw.id, 34, 2) + f"\n{total} clauses")
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels, fontproperties=_fp(6.5), parse_math=False, linespacing=1.1)
    ax.set_ylim(-0.5, len(labels) - 0.5)
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xticklabels(["0%", "25%", "50%", "75%", "100%"], fontproperties=_fp(6.5))
    ax.tick_params(length=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    handles = [Patch(facecolor="#" + str(colours.get(s, "9E9E9E")), label=_STATUS_NAMES[s]) for s in CLAUSE_STATUSES]
    fig.legend(handles=handles, loc="lower center", ncol=4, frameon=False, prop=_fp(7), bbox_to_anchor=(0.58, 0.0))
    return _save(fig, path)
