"""What every guide shares: its phases, row limits and value wording, the flow table, the front matter."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from mdptm.documents import netplan
from mdptm.documents.guides.facts import NOT_STATED, Facts, _matcher
from mdptm.model import Assumption, Control, Flow, Item, Threat, View, topology
from mdptm.model.evidence import authentication_shown, responsibility_shown, says_none, status_shown
from mdptm.model.vocabulary import enum_words
from mdptm.render.docir import Doc, Image

PHASES: tuple[str, ...] = ("pre-procurement", "procurement", "deployment", "operations", "decommissioning")
PHASE_TITLES = {
    "pre-procurement": "Pre-procurement",
    "procurement": "Procurement",
    "deployment": "Deployment",
    "operations": "Operations",
    "decommissioning": "Decommissioning",
}

SUMMARY_FRAMEWORKS = ("cra-annex-i", "cra-annex-ii", "fda-premarket")

ASK = "Not stated in the threat model: ask the device maker."
THREAT_ROWS = 40  # threats listed in one guide table before the rest is left to the PTM register
_LEVEL_RANK = {"critical": 4, "high": 3, "medium": 2, "low": 1}
_HARM_RANK = {"catastrophic": 5, "critical": 4, "serious": 3, "minor": 2, "negligible": 1, "none": 0}


# ------------------------------------------------------------------------------------- helpers


def _value(v: str | None) -> str:
    return v.strip() if v and v.strip() else NOT_STATED


def _port(f: Flow) -> str:
    """The port, or the protocol where no port is stated (a serial link, Bluetooth)."""
    if f.port and f.port.strip():
        return f.port.strip()
    return f"{f.protocol}, port not stated" if f.protocol else "port not stated"


def _authentication(f: Flow) -> str:
    """A flow's authentication, saying what is in place (:func:`authentication_shown`), or "not stated"."""
    return authentication_shown(f.authentication) if f.authentication and f.authentication.strip() else NOT_STATED


def _encryption(f: Flow) -> str:
    if f.encryption is None:
        return NOT_STATED
    text = f.encryption.strip()
    if text.lower() in ("none", "no", ""):
        return "none"
    if says_none(text):  # "none (proprietary binary protocol)": as written, "No - plain TCP" said as none
        return text if text.lower().startswith("none") else f"none ({text})"
    return f.encryption if netplan.encryption_stated(text) else f"none ({text})"  # "not encrypted", "TLS (planned)"


def carriers(f: Facts, fl: Flow) -> list[Flow]:
    """The flows whose tunnel the model says carries *fl* (:func:`topology.tunnelled`: remote desktop "inside the
    IPsec tunnel of F-08"): those its sentence names by id, else every tunnel flow beside it."""
    said, ids = topology.tunnelled(fl, f.model.flows)
    if not said:
        return []
    named = [i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", said)]
    keep = set(named or ids)
    return [o for o in f.model.flows if o.id in keep]


def transit_encryption(f: Facts, fl: Flow, riding: dict[str, Flow] | None = None) -> str:
    """A flow's encryption; where it states none but runs inside another flow's tunnel, what the model states of the
    tunnel's ("inside F-08's tunnel: AES-256-GCM"), or rides on another flow's connection (*riding*:
    :func:`netplan.carried_legs`; "Delivered over the connection of F-06"), that connection's ("over F-06's
    connection: TLS 1.3"); "not stated" still where the carrier's is not stated either."""
    own = _encryption(fl)
    if fl.encryption is not None:
        return own
    over = (riding if riding is not None else netplan.carried_legs(f.model.flows)).get(fl.id)
    tunnels = [over] if over is not None else carriers(f, fl)
    if not tunnels:
        return own
    if over is not None:
        where = f"over {over.id}'s connection"
    elif len(tunnels) == 1:
        where = f"inside {tunnels[0].id}'s tunnel"
    else:
        where = f"inside the tunnel of {' or '.join(t.id for t in tunnels)}"
    states = [(t.id, _encryption(t)) for t in tunnels]
    if all(e == NOT_STATED for _, e in states):
        return f"{NOT_STATED} ({where}, whose encryption the model does not state either)"
    if len(states) == 1:
        return f"{where}: {states[0][1]}"
    return f"{where}: " + "; ".join(f"{i} {e}" for i, e in states)


def carried_by(f: Facts, fl: Flow, riding: dict[str, Flow]) -> list[Flow]:
    """The flow whose connection *fl* rides on (*riding*), else the tunnels the model says carry it."""
    over = riding.get(fl.id)
    return [over] if over is not None else carriers(f, fl)


def unencrypted(f: Flow) -> bool:
    """Whether the model says the flow is not encrypted ("none", "not encrypted", "TLS disabled")."""
    return _encryption(f).startswith("none")


def _risk_level(t: Threat) -> str:
    r = t.residual_risk or t.risk
    if r is None:
        return NOT_STATED
    label = r.level or r.severity or (str(r.score) if r.score is not None else None)
    prefix = "" if t.residual_risk is not None else "before controls: "
    return prefix + label if label else NOT_STATED


def _most_severe(threats: list[Threat], limit: int = THREAT_ROWS) -> tuple[list[Threat], int]:
    """At most *limit* threats, the most severe first (residual risk, then patient harm), else in model
    order; and how many were left out. A guide is read, not searched: the full list is in ptm.xlsx."""
    if len(threats) <= limit:
        return threats, 0

    keep = {id(t) for t in sorted(threats, key=_severity)[:limit]}
    return [t for t in threats if id(t) in keep], len(threats) - limit


def _severity(t: Threat) -> tuple[int, int]:
    """A sort key, most severe first: the residual (else initial) risk level, then the patient harm."""
    r = t.residual_risk or t.risk
    return (-_LEVEL_RANK.get(r.level or "", 0) if r else 0, -_HARM_RANK.get(t.patient_harm or "", -1))


def _left_out_rating(shown: list[Threat], threats: list[Threat]) -> str:
    """How the threats *threats* holds beyond *shown* compare with those shown, in words the ratings support:
    "rated lower than", "rated no higher than", or that the model rates none of them."""
    rest = [t for t in threats if all(t is not s for s in shown)]
    if not rest:
        return ""
    if all(_severity(t) == (0, 1) for t in threats):  # no level and no patient harm anywhere
        return "the model rates none of these threats, so those above are simply the first it lists"
    worst_rest, least_shown = min(_severity(t) for t in rest), max(_severity(t) for t in shown)
    return "rated lower than those above" if worst_rest > least_shown else "rated no higher than those above"


def _id_list(ids: list[str], limit: int = 12) -> str:
    """A few ids inline; a longer list is counted, not dumped (the register has them all)."""
    if len(ids) <= limit:
        return ", ".join(ids)
    return f"{len(ids)} items (listed in the threat register, ptm.xlsx)"


def _more(doc: Doc, left_out: int, what: str) -> None:
    if left_out:
        doc.p(f"… and {left_out} more {what}, listed in the threat register of the PTM (ptm.xlsx).", style="note")


def _words(value: str) -> str:
    """An enum value as words: ``partially_mitigated`` → ``partially mitigated``, ``phi`` → ``PHI``."""
    return enum_words(value, capital=False)


def _count_phrase(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {_words(k)}" for k, n in counts.items() if n)


def _counts(values: Iterable[str], order: Iterable[str] | None = None) -> dict[str, int]:
    out: dict[str, int] = dict.fromkeys(order or (), 0)
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


def _use_case_views(f: Facts, phase: Literal["deployment", "operations", "decommissioning"]) -> list[View]:
    hit = _matcher(getattr(f.terms.use_cases, phase))
    return [v for v in f.model.views if v.kind == "security_use_case" and v.steps and (hit(v.name) or any(hit(t) for t in v.tags))]


def _customer_controls(f: Facts) -> list[Control]:
    """The controls the model expects of the hospital, alone or with the maker; not one whose text denies or
    defers what its title names ("Network segmentation" / "Not required for this device"), or is only "TBD"."""
    return [c for c in f.model.controls if c.responsibility in ("customer", "shared") and c.id not in f.void]


def _customer_assumptions(f: Facts) -> list[Assumption]:
    return [a for a in f.model.assumptions if a.responsibility in ("customer", "shared", None)]


# Who a control is expected of. A hospital's control is never "implemented" in a guide: the maker cannot
# have verified what the hospital has yet to do.
_EXPECTED_OF = {
    "customer": "the hospital",
    "shared": "the hospital and the device maker",
    "manufacturer": "the device maker",
    "third_party": "a third party",
}


def _run_by(c: Control) -> str:
    """Who runs *c*, as the model says; "the device maker (assumed: not stated)" when no source named anyone
    and "the device maker" is only mdptm's reading of the maker's own threat model."""
    return responsibility_shown(c, lambda r: _EXPECTED_OF.get(r, "the device maker"))


def _control_label(c: Control) -> str:
    """``C-07 Title``, with the status when the control is not stated to be in place: a planned or
    unstated control is never listed as something the device already does."""
    shown = status_shown(c)
    if shown is not None:  # "verification did not pass (…)": not something the device already does
        return f"{c.id} {c.title} ({shown[0].lower()}{shown[1:]})"
    if c.status != "implemented":
        return f"{c.id} {c.title} ({c.status.replace('_', ' ')})"
    return f"{c.id} {c.title}" + ("" if c.status_stated else " (status not stated)")


def _first_sentence(text: str | None) -> str:
    text = " ".join((text or "").split())
    if not text:
        return ""
    m = re.match(r"(.+?[.!?])(?:\s|$)", text)
    return m.group(1) if m else text


@dataclass
class Drawn(Image):
    """A picture drawn when the guide is written (into ``guides/``), not when it is built."""

    draw: Callable[[Path], Path | None] | None = None


FLOW_HEADER = ["Id", "Flow", "From", "Dir", "To", "Protocol", "Port", "Authentication", "Encryption"]


def _flow_row(f: Facts, fl: Flow) -> list[str]:
    """One flow as a firewall-rule starting point; zones are in the zone table, so ends are names."""
    return [
        fl.id,
        fl.name or NOT_STATED,
        f.name(fl.source),
        "↔" if fl.bidirectional else "→",
        f.name(fl.target),
        _value(fl.protocol),
        _value(fl.port),
        _authentication(fl),
        _encryption(fl),
    ]


def _new_doc(f: Facts, phase: str, purpose: str) -> Doc:
    m = f.model
    product = " ".join(x for x in (m.product.name, m.product.model or "", m.product.version or "") if x)
    version = f"version {m.document.version}" + (f" of {m.document.date}" if m.document.date else "")
    doc = Doc(
        title=f"{m.product.name}: {PHASE_TITLES[phase].lower()} security guide",
        subtitle=f"For hospitals. Derived from the public threat model {version}.",
        footer=f"{product} · {m.product.manufacturer} · public threat model {m.document.version}",
    )
    doc.p(purpose)
    return doc


def _text_of(item: Item) -> str:
    return " ".join(str(getattr(item, a, "") or "") for a in ("name", "title", "text", "description", "rationale"))


def _sentences(f: Facts, hit: Callable[[str], bool], items: Iterable[Item]) -> list[tuple[str, str]]:
    """(item id, sentence) for each item with a sentence *hit* accepts, read from its own words (a title,
    then its text or description, each on its own)."""
    out = []
    for it in items:
        for attr in ("text", "description", "rationale", "disposal", "title"):
            s = topology.first_sentence_with(str(getattr(it, attr, "") or ""), hit)
            if s:
                out.append((it.id, s))
                break
    return out
