"""Risk-level colours, shared by the pictures and the workbook.

Kept apart from :mod:`mdptm.render.diagrams` so that colouring a workbook cell does not import matplotlib
(half a second) just to read a colour from the risk scale.
"""

from __future__ import annotations

from mdptm.model.vocabulary import risk_scale


def level_colour(level: str | None, strong: bool = False) -> str | None:
    """RRGGBB for a risk level, or None."""
    if level is None:
        return None
    scale = risk_scale()
    made = _COLOURS.get(strong)
    if made is None or made[0] is not scale:  # worked out once per scale, not once per cell
        made = _COLOURS[strong] = (scale, {str(k): v for k, v in (scale.level_strong_colours if strong else scale.level_colours).items()})
    colour = made[1].get(level)
    return str(colour) if colour else None


_COLOURS: dict[bool, tuple[object, dict[str, str]]] = {}  # by strong: the scale and its colours by level
