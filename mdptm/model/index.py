"""Reverse look-ups over one model: which threats name a control or a target, which views show a threat.

Written once here for every document and exporter that needs them. Each maps an id to the ids that
refer to it, in the order of the referring collection, each once; an id nothing refers to is absent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from mdptm.model import Model, Threat, View

_I = TypeVar("_I", Threat, View)


def _reverse(items: Iterable[_I], refs: Callable[[_I], list[str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in items:
        for ref in dict.fromkeys(refs(item)):
            out.setdefault(ref, []).append(item.id)
    return out


def threats_by_control(model: Model) -> dict[str, list[str]]:
    """Control id → the threats it mitigates (the threats that list it)."""
    return _reverse(model.threats, lambda t: t.controls)


def threats_by_target(model: Model) -> dict[str, list[str]]:
    """Element or flow id → the threats that target it."""
    return _reverse(model.threats, lambda t: t.targets)


def views_by_threat(model: Model) -> dict[str, list[str]]:
    """Threat id → the views that show it."""
    return _reverse(model.views, lambda v: v.threats)
