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
    colours: dict[str, str] = {str(k): v for k, v in (scale.level_strong_colours if strong else scale.level_colours).items()}
    colour = colours.get(level)
    return str(colour) if colour else None
