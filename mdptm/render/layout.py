"""Where each trust zone and element sits on a drawn diagram, for formats that carry positions.

Threat Dragon cells and OTM representations both need coordinates; one layout serves both, so the
two files of one model draw the same picture.
"""

from __future__ import annotations

import math

from mdptm.model import Element, Model

NODE_W, NODE_H, GAP, PAD, TITLE = 160, 80, 60, 40, 30


class Layout:
    """Trust zones left to right, each a grid of its elements; loose elements in a last column."""

    def __init__(self, model: Model) -> None:
        zone_ids = [z.id for z in model.trust_zones]
        members: dict[str | None, list[Element]] = {zid: [] for zid in zone_ids}
        members[None] = []
        for e in model.elements:
            members[e.trust_zone if e.trust_zone in members else None].append(e)
        self.boxes: dict[str, tuple[float, float, float, float]] = {}
        self.nodes: dict[str, tuple[float, float]] = {}
        x = 20.0
        for key in [*zone_ids, None]:
            elems = members[key]
            if key is None and not elems:
                continue
            cols = max(1, math.ceil(math.sqrt(len(elems)))) if elems else 1
            rows = max(1, math.ceil(len(elems) / cols))
            width = PAD * 2 + cols * NODE_W + (cols - 1) * GAP
            height = TITLE + PAD * 2 + rows * NODE_H + (rows - 1) * GAP
            for i, e in enumerate(elems):
                r, c = divmod(i, cols)
                self.nodes[e.id] = (x + PAD + c * (NODE_W + GAP), 20 + TITLE + PAD + r * (NODE_H + GAP))
            if key is not None:
                self.boxes[key] = (x, 20.0, width, height)
            x += width + GAP

    def size(self) -> tuple[float, float]:
        """The whole drawing's width and height."""
        right = [x + w for x, _, w, _ in self.boxes.values()] + [x + NODE_W for x, _ in self.nodes.values()]
        bottom = [y + h for _, y, _, h in self.boxes.values()] + [y + NODE_H for _, y in self.nodes.values()]
        return max(right, default=0.0) + 20, max(bottom, default=0.0) + 20
