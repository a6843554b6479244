"""What the guides read from a model: the guide vocabulary (``mappings/vocabulary/guide-terms.yaml``) and
:class:`Facts`, the model with its look-ups and where each element sits (outside, hospital network, device)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from mdptm.model import Asset, Control, Element, Flow, Item, Model, Strict, TrustZone, topology
from mdptm.model.index import threats_by_control
from mdptm.model.io import load_validated
from mdptm.model.vocabulary import vocabulary_file

NOT_STATED = "not stated"

Location = Literal["outside", "hospital", "device", "unknown"]
LOCATION_WORDS: dict[Location, str] = {
    "outside": "outside the hospital",
    "hospital": "hospital network",
    "device": "on the device",
    "unknown": NOT_STATED,
}


# ----------------------------------------------------------------------------------- vocabulary


class _Locations(Strict):
    outside: list[str] = Field(default_factory=list)
    hospital: list[str] = Field(default_factory=list)
    device: list[str] = Field(default_factory=list)


class _UseCases(Strict):
    deployment: list[str] = Field(default_factory=list)
    operations: list[str] = Field(default_factory=list)
    decommissioning: list[str] = Field(default_factory=list)


class GuideTerms(Strict):
    """The vocabulary file, validated."""

    schema_version: int
    locations: _Locations
    element_kinds: dict[Literal["outside", "hospital", "device"], list[str]] = Field(default_factory=dict)
    use_cases: _UseCases
    data_assets: list[str]
    retrieve_assets: list[str]
    secret_assets: list[str]
    credential_terms: list[str] = Field(default_factory=list)


def load_terms(path: Path | None = None) -> GuideTerms:
    """The shipped guide vocabulary, or a user's own file."""
    return _shipped_terms() if path is None else _read_terms(path)


@cache
def _shipped_terms() -> GuideTerms:
    return _read_terms(vocabulary_file("guide-terms"))


def _read_terms(path: Path) -> GuideTerms:
    return load_validated(path, GuideTerms)


def _matcher(terms: Iterable[str]) -> Callable[[str], bool]:
    """Whole-word, case-insensitive; ``configur*`` matches every word starting with ``configur``."""
    parts = [r"\b" + re.escape(t[:-1]) + r"\w*" if t.endswith("*") else r"\b" + re.escape(t) + r"(?!\w)" for t in terms if t.strip("*")]
    if not parts:
        return lambda _text: False
    rx = re.compile("|".join(parts), re.IGNORECASE)
    return lambda text: bool(rx.search(text))


# -------------------------------------------------------------------------------------- lookups


@dataclass
class Facts:
    """The model with the lookups every guide needs (id → item, where an element sits)."""

    model: Model
    terms: GuideTerms
    elements: dict[str, Element] = field(default_factory=dict)
    zones: dict[str, TrustZone] = field(default_factory=dict)
    assets: dict[str, Asset] = field(default_factory=dict)
    controls: dict[str, Control] = field(default_factory=dict)
    index: dict[str, tuple[str, Item]] = field(default_factory=dict)
    _where: dict[str, Location] = field(default_factory=dict)
    _mitigates: dict[str, list[str]] = field(default_factory=dict)  # control id -> threat ids

    @classmethod
    def of(cls, model: Model, terms: GuideTerms | None = None) -> Facts:
        f = cls(model=model, terms=terms or load_terms())
        for kind, item in model.items():
            f.index.setdefault(item.id, (kind, item))
        f.elements = {e.id: e for e in reversed(model.elements)}
        f.zones = {z.id: z for z in reversed(model.trust_zones)}
        f.assets = {a.id: a for a in reversed(model.assets)}
        f.controls = {c.id: c for c in reversed(model.controls)}
        loc = terms_locations(f.terms)
        kinds = dict(f.terms.element_kinds)
        for e in model.elements:
            f._where.setdefault(e.id, _locate(e, f.zones.get(e.trust_zone or ""), loc, kinds))
        f._zone_kind_locations()
        f._share_zone_locations()
        f._mitigates = threats_by_control(model)
        return f

    def _zone_kind_locations(self) -> None:
        """An element the words cannot place sits where its zone's kind says: a network zone is the
        hospital's, a cloud, vendor or internet zone is outside, an on-body zone is with the device."""
        place: dict[str, Location] = {
            "network": "hospital",
            "cloud": "outside",
            "vendor": "outside",
            "internet": "outside",
            "on_body": "device",
        }
        for e in self.model.elements:
            z = self.zones.get(e.trust_zone or "")
            if self._where[e.id] == "unknown" and z is not None:
                kind = topology.zone_kind(z).kind
                if kind in place:
                    self._where[e.id] = place[kind]

    def _share_zone_locations(self) -> None:
        """An element the words cannot place sits where the other elements of its trust zone sit,
        when those agree (a database in the zone of two cloud services is in the cloud too)."""
        by_zone: dict[str, set[Location]] = {}
        for e in self.model.elements:
            if e.trust_zone and self._where[e.id] != "unknown":
                by_zone.setdefault(e.trust_zone, set()).add(self._where[e.id])
        for e in self.model.elements:
            places = by_zone.get(e.trust_zone or "", set())
            if self._where[e.id] == "unknown" and len(places) == 1:
                self._where[e.id] = next(iter(places))

    def name(self, iid: str) -> str:
        entry = self.index.get(iid)
        if entry is None:
            return iid
        item = entry[1]
        for attr in ("name", "title", "text"):
            value = getattr(item, attr, None)
            if isinstance(value, str) and value:
                return value
        return iid

    def names(self, ids: Iterable[str]) -> str:
        return ", ".join(self.name(i) for i in ids) or NOT_STATED

    def zone_of(self, element_id: str) -> TrustZone | None:
        e = self.elements.get(element_id)
        return self.zones.get(e.trust_zone) if e is not None and e.trust_zone else None

    def zone_name(self, element_id: str) -> str:
        z = self.zone_of(element_id)
        return z.name if z is not None else "no zone"

    def where(self, element_id: str) -> Location:
        return self._where.get(element_id, "unknown")

    def endpoint(self, element_id: str) -> str:
        """``Name (Zone)``: the element and the trust zone it sits in."""
        z = self.zone_of(element_id)
        return f"{self.name(element_id)} ({z.name})" if z is not None else self.name(element_id)

    def crosses_zones(self, f: Flow) -> bool:
        a, b = self.elements.get(f.source), self.elements.get(f.target)
        return a is not None and b is not None and (a.trust_zone or None) != (b.trust_zone or None)

    def leaves_hospital(self, f: Flow) -> bool | None:
        """True when one end is outside the hospital and the other inside; None when the model does not
        say enough to tell (an end that cannot be placed, on the far side of a trust boundary)."""
        ends = {self.where(f.source), self.where(f.target)}
        if "unknown" not in ends:
            return "outside" in ends and len(ends) > 1
        return None if self.crosses_zones(f) or "outside" in ends else False

    def threats_using(self, control_id: str) -> list[str]:
        return self._mitigates.get(control_id, [])


def terms_locations(terms: GuideTerms) -> dict[Location, Callable[[str], bool]]:
    return {
        "outside": _matcher(terms.locations.outside),
        "hospital": _matcher(terms.locations.hospital),
        "device": _matcher(terms.locations.device),
    }


def _locate(e: Element, zone: TrustZone | None, match: dict[Location, Callable[[str], bool]], kinds: dict[Any, list[str]]) -> Location:
    """Where an element sits: its zone's name first, then its kind, then its own name."""
    if zone is not None:
        for loc, hit in match.items():
            if hit(zone.name) or any(hit(t) for t in zone.tags):
                return loc
    order: tuple[Location, ...] = ("outside", "hospital", "device")
    for loc in order:
        if e.kind in kinds.get(loc, []):
            return loc
    for loc, hit in match.items():
        if hit(e.name) or any(hit(t) for t in e.tags):
            return loc
    return "unknown"
