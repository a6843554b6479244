"""What the guides read from a model: the guide vocabulary (``mappings/vocabulary/guide-terms.yaml``) and
:class:`Facts`, the model with its look-ups and where each element sits (outside, hospital network, device)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from mdptm.model import Asset, Control, Element, Flow, Item, Model, Strict, TrustZone, topology
from mdptm.model.evidence import is_placeholder, real_values, says_none, void_reason
from mdptm.model.index import threats_by_control
from mdptm.model.io import load_validated
from mdptm.model.vocabulary import vocabulary_file

NOT_STATED = "not stated"

Location = Literal["outside", "hospital", "device", "unknown"]
LOCATION_WORDS: dict[Location, str] = {
    "outside": "outside the hospital",
    "hospital": "in the hospital",  # a network segment or a room (a service bench): not said to be on a network
    "device": "on the device",
    "unknown": NOT_STATED,
}


# ----------------------------------------------------------------------------------- vocabulary


class _UseCases(Strict):
    deployment: list[str] = Field(default_factory=list)
    operations: list[str] = Field(default_factory=list)
    decommissioning: list[str] = Field(default_factory=list)


class GuideTerms(Strict):
    """The vocabulary file, validated."""

    schema_version: int
    locations: topology.Locations
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


_matcher = topology.word_matcher


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
    _by_name: set[str] = field(default_factory=set)  # elements placed only by a word of their own name
    void: set[str] = field(default_factory=set)  # controls that describe no safeguard (denied, deferred, "TBD")
    _mitigates: dict[str, list[str]] = field(default_factory=dict)  # control id -> threat ids

    @classmethod
    def of(cls, model: Model, terms: GuideTerms | None = None) -> Facts:
        f = cls(model=_said(model), terms=terms or load_terms())
        f.void = {c.id for c in model.controls if void_reason(c.title, c.description)}
        model = f.model
        for kind, item in model.items():
            f.index.setdefault(item.id, (kind, item))
        f.elements = {e.id: e for e in reversed(model.elements)}
        f.zones = {z.id: z for z in reversed(model.trust_zones)}
        f.assets = {a.id: a for a in reversed(model.assets)}
        f.controls = {c.id: c for c in reversed(model.controls)}
        placed = topology.places_basis(model, f.terms.locations, f.terms.element_kinds)
        f._where = {e: place for e, (place, _b) in placed.items()}
        f._by_name = {e for e, (_p, basis) in placed.items() if basis == "name"}
        f._mitigates = threats_by_control(model)
        return f

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
        """Where the element sits, a place read only from its own name ("Cloud API") included: for
        describing it, with :meth:`by_name` saying so."""
        return self._where.get(element_id, "unknown")

    def by_name(self, element_id: str) -> bool:
        """Whether the element's place rests only on a word of its own name (no zone, kind or zone
        neighbour says it): a hint to confirm, never the ground of a firewall rule or a count."""
        return element_id in self._by_name

    def stated_where(self, element_id: str) -> Location:
        """Where the model places the element (its zone, its kind, its zone's neighbours): "unknown" when
        only its own name suggests a place."""
        return "unknown" if element_id in self._by_name else self.where(element_id)

    def where_words(self, element_id: str) -> str:
        """The element's place in words, a place read from its name only marked so."""
        words = LOCATION_WORDS[self.where(element_id)]
        return f"{words} (by its name only)" if self.by_name(element_id) else words

    def is_person_flow(self, f: Flow) -> bool:
        """Whether a person (a Threat Dragon actor "User") is at one end of a flow that is not a local link: not a
        network connection, and where its data goes depends on the device the person uses. A person at a keypad
        or a USB cable (a local link) is where the device is."""
        return any(topology.is_person(self.elements.get(e)) for e in (f.source, f.target)) and (
            topology.transport(f, ends=(self.name(f.source), self.name(f.target))) != "local"
        )

    def endpoint(self, element_id: str) -> str:
        """``Name (Zone)``: the element and the trust zone it sits in."""
        z = self.zone_of(element_id)
        return f"{self.name(element_id)} ({z.name})" if z is not None else self.name(element_id)

    def crosses_zones(self, f: Flow) -> bool:
        a, b = self.elements.get(f.source), self.elements.get(f.target)
        return a is not None and b is not None and (a.trust_zone or None) != (b.trust_zone or None)

    def subnet_only(self, f: Flow) -> bool:
        """Whether a flow is sent by broadcast or multicast (discovery: SSDP, mDNS, a UPnP "Broadcast"), which reaches
        the hosts of the sender's subnet only (further only where the hospital's own routers pass it on): wherever its
        ends sit, it does not leave the hospital. Not a local link, nor a person's use of a system."""
        ends = (self.name(f.source), self.name(f.target))
        if self.is_person_flow(f) or topology.transport(f, ends=ends) == "local":
            return False
        return bool(topology.multicast(f, ends=ends))

    def group_traffic(self, flows: list[Flow]) -> str:
        """What flows sent by broadcast or multicast are, in a guide's words: "discovery" (SSDP, mDNS), "data sent to
        a multicast group" (a monitor's waveforms, the device's work), or both."""
        kinds = {topology.discovery(fl, ends=(self.name(fl.source), self.name(fl.target))) for fl in flows}
        if kinds == {True}:
            return "discovery"
        return "data sent to a multicast group" if kinds == {False} else "discovery, or data sent to a multicast group"

    def leaves_hospital(self, f: Flow) -> bool | None:
        """True when one end is outside the hospital and the other inside; None when the model does not
        say enough to tell (an end that cannot be placed, on the far side of a trust boundary; an end only
        its own name places; a person at one end, who is not a network endpoint). False for a broadcast or
        multicast (:meth:`subnet_only`): it reaches one subnet, whatever the model says of its ends."""
        if self.is_person_flow(f):
            return None
        if self.subnet_only(f):
            return False
        ends = {self.stated_where(f.source), self.stated_where(f.target)}
        if "unknown" not in ends:
            return "outside" in ends and len(ends) > 1
        if self.crosses_zones(f) or "outside" in ends:
            return None
        # an end that cannot be placed stays with the other only when the model puts both in one zone:
        # two ends in no zone at all may be anywhere (absence of a place is not "inside the hospital")
        a, b = self.elements.get(f.source), self.elements.get(f.target)
        return False if a is not None and b is not None and a.trust_zone else None

    def threats_using(self, control_id: str) -> list[str]:
        return self._mitigates.get(control_id, [])


def _said(model: Model) -> Model:
    """*model* as the guides may quote it. A product or support fact, or a flow's encryption, authentication,
    protocol or port that is a placeholder ("TBD", "N/A", "see later") is not stated, so no guide prints it as
    the device maker's statement or counts it as a fact; an assumption that is only a placeholder and a view
    step that is one are left out; a control that describes no safeguard (its text denies or defers what its
    title names, or is only "TBD": :func:`mdptm.model.evidence.void_reason`, as the mapping reads it) is not
    implemented. Only what changes is copied."""
    update: dict[str, object] = {}
    product = {
        name: None
        for name in ("model", "version", "intended_use", "description", "device_type")
        if isinstance(getattr(model.product, name), str) and is_placeholder(getattr(model.product, name))
    }
    if product:
        update["product"] = model.product.model_copy(update=product)
    support = {
        name: None
        for name in type(model.support).model_fields
        if isinstance(getattr(model.support, name), str) and is_placeholder(getattr(model.support, name))
    }
    if support:
        update["support"] = model.support.model_copy(update=support)
    flows: list[Flow] = []
    changed = False
    for fl in model.flows:
        said = {
            name: None
            for name in ("encryption", "authentication")
            if (v := getattr(fl, name)) is not None and not says_none(v) and is_placeholder(v)
        }
        # a protocol or port that is a placeholder ("TBD", "N/A") is not stated: no rule prints it as one
        said.update({name: None for name in ("protocol", "port") if (v := getattr(fl, name)) is not None and is_placeholder(v)})
        flows.append(fl.model_copy(update=said) if said else fl)
        changed = changed or bool(said)
    if changed:
        update["flows"] = flows
    void = [c.id for c in model.controls if c.status != "not_implemented" and void_reason(c.title, c.description)]
    if void:
        ids = set(void)
        off = {"status": "not_implemented", "status_stated": True}
        update["controls"] = [c.model_copy(update=off) if c.id in ids else c for c in model.controls]
    assets = [a.model_copy(update={"disposal": None}) if a.disposal and is_placeholder(a.disposal) else a for a in model.assets]
    if any(a is not b for a, b in zip(assets, model.assets, strict=True)):
        update["assets"] = assets
    assumptions = [a for a in model.assumptions if not (is_placeholder(a.text) and (not a.description or is_placeholder(a.description)))]
    if len(assumptions) != len(model.assumptions):
        update["assumptions"] = assumptions
    views = [v.model_copy(update={"steps": real_values(v.steps)}) if len(real_values(v.steps)) != len(v.steps) else v for v in model.views]
    if any(a is not b for a, b in zip(views, model.views, strict=True)):
        update["views"] = views
    return model.model_copy(update=update) if update else model
