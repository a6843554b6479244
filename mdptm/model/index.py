"""Look-ups over one model: each collection by id, and the reverse ones (which threats name a control or a
target, which views show a threat).

Written once here for every document and exporter that needs them. Each reverse look-up maps an id to
the ids that refer to it, in the order of the referring collection, each once; an id nothing refers to
is absent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from mdptm.model import Asset, Control, Element, Flow, Model, Threat, TrustZone, View

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


@dataclass
class ById:
    """Each collection of *model* by id, built once, so that documents never rescan a list to follow a reference."""

    model: Model
    elements: dict[str, Element] = field(init=False)
    flows: dict[str, Flow] = field(init=False)
    assets: dict[str, Asset] = field(init=False)
    zones: dict[str, TrustZone] = field(init=False)
    threats: dict[str, Threat] = field(init=False)
    controls: dict[str, Control] = field(init=False)
    views: dict[str, View] = field(init=False)

    def __post_init__(self) -> None:
        m = self.model
        self.elements = {e.id: e for e in m.elements}
        self.flows = {f.id: f for f in m.flows}
        self.assets = {a.id: a for a in m.assets}
        self.zones = {z.id: z for z in m.trust_zones}
        self.threats = {t.id: t for t in m.threats}
        self.controls = {c.id: c for c in m.controls}
        self.views = {v.id: v for v in m.views}
