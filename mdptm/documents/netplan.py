"""The firewall plan a hospital derives from a threat model: segments, rules, and what to ask the maker.

Only network zones are segments: a pump enclosure, a bedside or a patient's body is where someone can touch
the device, not a place a firewall sits. An element in such a zone sits on the segment of the network it
joins (the Wi-Fi it associates with); where the model does not say, the plan asks. Rules follow who opens
each connection (:func:`mdptm.model.topology.initiator`), so an outbound-only design never yields an inbound rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Literal

from mdptm.model import Flow, Model, topology
from mdptm.model.evidence import says_none, stated
from mdptm.model.topology import NETWORK_KINDS, OUTSIDE_KINDS, Initiator, Need, Place

if TYPE_CHECKING:
    from mdptm.documents.guides import Facts

SegmentPlace = Literal["hospital", "outside", "unknown"]
INTERNET = "Internet"
NOT_PLACED = "Not stated (see the questions)"
BOUNDARY_TAG = "crosses-trust-boundary"  # set by importers on a flow drawn across a trust boundary


@dataclass(frozen=True)
class Segment:
    name: str
    place: SegmentPlace
    zone: str | None = None
    note: str = ""  # how the element was placed there, when not by its own zone


@dataclass(frozen=True)
class Rule:
    segment: str
    direction: Literal["outbound", "inbound"]
    local: str  # the element on this segment
    peer: str  # the other end, with its segment
    protocol: str
    ports: str
    flow: Flow
    opener: Initiator


@dataclass
class Plan:
    """Everything the deployment guide needs about the network."""

    segment: dict[str, Segment] = field(default_factory=dict)  # element id -> segment
    opener: dict[str, Initiator] = field(default_factory=dict)  # flow id -> who opens it
    rules: list[Rule] = field(default_factory=list)
    same_segment: list[Flow] = field(default_factory=list)
    local: list[Flow] = field(default_factory=list)
    unclear: list[Flow] = field(default_factory=list)
    network: list[Flow] = field(default_factory=list)
    outside: list[Flow] = field(default_factory=list)  # network flows with both ends outside the hospital
    people: list[Flow] = field(default_factory=list)  # flows with a person at one end: no rule names a person
    on_host: dict[str, str] = field(default_factory=dict)  # flow id -> the words saying it stays on one host
    cellular: dict[str, str] = field(default_factory=dict)  # flow id -> the words saying it goes over a cellular link
    eap: dict[str, str] = field(default_factory=dict)  # flow id -> the RADIUS server a device's EAP is drawn straight to
    tunnelled: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # flow id -> the words, the tunnel flows
    relayed: list[Flow] = field(default_factory=list)  # DHCP between two segments: through a relay, no rule of the device's
    ruled_out: list[Flow] = field(default_factory=list)  # flows every stated port of which the model rules out
    multicast: dict[str, str] = field(default_factory=dict)  # flow id -> the words saying it is broadcast or multicast
    # flows either end may open (HL7 over MLLP) whose opener the model does not state: their rules give no direction
    undecided: set[str] = field(default_factory=set)
    # flows stating ports whose standard gives them opposite ways between two roles the model names no end for (SNMP's
    # 161 polls and 162 traps, no manager named): flow id -> port number -> its role; undecided too
    roles: dict[str, dict[str, str]] = field(default_factory=dict)
    returns: dict[str, Flow] = field(default_factory=dict)  # flow id -> the flow it answers (its return traffic)
    carried: dict[str, Flow] = field(default_factory=dict)  # flow id -> the flow whose connection it rides on
    needs: list[Need] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    outbound_only: str | None = None

    def rows(self, segment: str) -> list[list[Rule]]:
        """The rules of one segment, those asking for the same rule (:func:`rule_key`) in one row: the gateway's
        telemetry to the maker's MQTT broker and the commands the broker delivers on the gateway's subscription are
        both the gateway opening TCP 8883 to the broker, one rule for an engineer."""
        rows: dict[object, list[Rule]] = {}
        for i, r in enumerate(r for r in self.rules if r.segment == segment):
            rows.setdefault(rule_key(self, r) or i, []).append(r)
        return list(rows.values())

    def same_rules(self) -> list[list[str]]:
        """Flow ids grouped where every rule one flow asks for is a rule another asks for too (and the other way):
        in order of their first rule; a flow with no such twin alone."""
        keys: dict[str, list[object]] = {}
        for i, r in enumerate(self.rules):
            keys.setdefault(r.flow.id, []).append(rule_key(self, r) or ("own", i))
        groups: dict[tuple[object, ...], list[str]] = {}
        for fid, k in keys.items():
            groups.setdefault(tuple(sorted(k, key=repr)), []).append(fid)
        return list(groups.values())

    def segments_in_order(self) -> list[str]:
        """Hospital segments in rule order; the unplaced ones last."""
        segs = list(dict.fromkeys(r.segment for r in self.rules))
        return [s for s in segs if s != NOT_PLACED] + [s for s in segs if s == NOT_PLACED]


short_protocol = topology.short_protocol


_CONFIGURABLE = re.compile(r"\b(?:configurable|by default|default|can be changed|may be changed|adjustable)\b", re.IGNORECASE)


def rule_ports(f: Flow) -> list[topology.Port]:
    """The ports a rule opens for a flow: those it states, less one that only redirects to another of them ("80
    (redirects to 443)" over HTTPS: the connection needs 443; the guide names the redirect below the rules)."""
    redirects = topology.redirect_only(f)
    return [p for p in topology.parse_ports(f.port, f.protocol) if p.number not in redirects]


def ports_text(f: Flow, only: Iterable[str] | None = None) -> str:
    """The ports stated for a flow (*only* those numbers, when given), with "(configurable)" where its port
    text says the port can be set ("TCP 104 (configurable)", "default 8080"): the hospital's site may use another."""
    ports = rule_ports(f)
    said = f.port or ""
    if only is not None:
        keep = set(only)
        ports = [p for p in ports if p.number in keep]
        # "(configurable)" for these ports only where their own clause says so ("162/udp (default)" is not 161's)
        said = " ".join(part for part in re.split(r"[,;](?![^()]*\))", said) if any(n in part for n in keep))
    text = (" or " if len(ports) > 1 and alternatives(f) else ", ").join(str(p) for p in ports)
    return f"{text} (configurable)" if text and _CONFIGURABLE.search(said) else text


alternatives = topology.alternatives


def rule_key(plan: Plan, r: Rule) -> tuple[str, str, str, str, str] | None:
    """What makes a rule the one an engineer writes: its segment, direction, the end that opens it, the end that
    accepts it and its ports (transport and number); None where the flow states no port ("TCP, port not stated"
    twice is not one rule: the two may use different ports)."""
    if not topology.parse_ports(r.flow.port, r.flow.protocol):
        return None
    other = r.flow.target if r.opener.element == r.flow.source else r.flow.source
    return (r.segment, r.direction, r.opener.element, other, r.ports)


def opener_groups(f: Facts, plan: Plan, fl: Flow) -> list[tuple[Initiator, str | None]]:
    """Who opens the connection, per group of the flow's ports: one group (the flow's opener, all its ports:
    None) unless the port text says one port goes the other way ("161/udp (get), 162/udp (traps to the NMS)":
    the NMS opens 161, the device sends its traps to 162). Each group with its ports' numbers, comma-joined."""
    flow_opener = plan.opener[fl.id]
    roles = plan.roles.get(fl.id)
    if roles:  # each role's port a group of its own: its direction is the role's, whichever end that is
        numbers = [p.number for p in rule_ports(fl)]
        rest = ",".join(n for n in numbers if n not in roles)
        own: list[tuple[Initiator, str | None]] = [(flow_opener, n) for n in dict.fromkeys(numbers) if n in roles]
        return own + ([(flow_opener, rest)] if rest else [])
    per_port = topology.port_openers(fl, f.elements, f.zones)
    # a port's own words only matter where they say more than the flow's opener does: another end, or the same
    # end where the flow's opener is a guess ("UDP 514 (to the SIEM); TCP 6514": 514 is stated, 6514 assumed)
    guess = flow_opener.basis in ("name", "assumed")
    if not per_port or all(o.element == flow_opener.element for o in per_port.values()) and not guess:
        return [(flow_opener, None)]
    groups: dict[tuple[str, bool], tuple[Initiator, list[str]]] = {}
    for p in rule_ports(fl):
        who = per_port.get(p.number, flow_opener)
        groups.setdefault((who.element, p.number in per_port), (who, []))[1].append(p.number)
    if len(groups) == 1:
        ((who, _numbers),) = groups.values()
        return [(who, None)]
    return [(who, ",".join(numbers)) for who, numbers in groups.values()]


def build(f: Facts) -> Plan:
    m = f.model
    plan = Plan(outbound_only=topology.outbound_only_design(m, void=f.void))
    plan.returns = return_legs(m.flows)
    plan.carried = {fid: o for fid, o in carried_legs(m.flows).items() if fid not in plan.returns}
    for fl in m.flows:
        if fl.id in plan.returns or fl.id in plan.carried:  # the answer drawn back along a request, or a flow riding on
            continue  # another's connection: that flow's rule covers it
        ends = (f.name(fl.source), f.name(fl.target))
        if any(topology.is_person(f.elements.get(e)) for e in (fl.source, fl.target)):
            if topology.transport(fl, ends=ends) == "local":  # a keypad, a USB cable: no network, whoever uses it
                plan.local.append(fl)
            else:
                plan.people.append(fl)  # a person has no address: the hospital decides which workstation it is
            continue
        plan.opener[fl.id] = topology.initiator(fl, f.elements, f.zones, f.where, plan.outbound_only)
        if plan.opener[fl.id].basis == "assumed" and topology.either_opener(fl):
            plan.undecided.add(fl.id)
        roles = topology.port_roles(fl)
        if roles and not set(roles) & set(topology.port_openers(fl, f.elements, f.zones)):
            # SNMP's 161 and 162 go opposite ways and no end is named the manager: no guess, and one opener the model
            # states for the whole flow holds for one of the two ports only
            plan.roles[fl.id] = roles
            plan.undecided.add(fl.id)
        said = topology.loopback(fl, ends=ends)
        if said:  # the model says it stays on one host ("localhost"): no network firewall sees it
            plan.on_host[fl.id] = said
            continue
        said = topology.cellular(fl, ends=ends)
        if said:  # over the device's own modem and the carrier's network: no hospital firewall sees it
            plan.cellular[fl.id] = said
            continue
        server = topology.eap_to_radius(fl, f.elements)
        if server:  # 802.1X: the authenticator, not the device, sends RADIUS to the server
            plan.eap[fl.id] = server
            continue
        inside = topology.tunnelled(fl, m.flows)
        if inside[0]:  # carried inside another flow's tunnel: the firewall sees the tunnel, not this
            plan.tunnelled[fl.id] = inside
            continue
        if topology.excluded_ports(fl.port, fl.protocol) and not topology.parse_ports(fl.port, fl.protocol):
            plan.ruled_out.append(fl)  # "23 (disabled in production)": every port it states is shut, no rule opens one
            continue
        kind = topology.transport(fl, ends=ends)
        said = topology.multicast(fl, ends=ends) if kind != "local" else ""
        if said:  # discovery to a multicast group or the broadcast address: one subnet only, no unicast rule
            plan.multicast[fl.id] = said
            continue
        (plan.network if kind == "network" else plan.local if kind == "local" else plan.unclear).append(fl)
    for e in m.elements:
        plan.segment[e.id] = _segment_of(f, e.id, plan)
    for fl in plan.network:
        _rules(f, plan, fl)
    # a flow of no stated protocol between two systems the model places outside the hospital needs no hospital
    # rule whatever it is: not a question for the hospital to ask
    outside = [fl for fl in plan.unclear if plan.segment[fl.source].place == plan.segment[fl.target].place == "outside"]
    plan.unclear = [fl for fl in plan.unclear if fl not in outside]
    plan.outside.extend(outside)
    plan.needs = topology.needs(m, f.where)
    plan.questions = _questions(f, plan)
    return plan


def return_legs(flows: list[Flow]) -> dict[str, Flow]:
    """Flows named as the answer to another ("Web Response", "PSQL Response") drawn back between the same
    two ends as a flow that is not itself an answer: each is that connection's return traffic, which a
    stateful firewall lets through, never a connection its source opens (no rule of its own)."""
    is_answer = topology.matcher(topology.network_terms().response_terms)
    answers = {fl.id for fl in flows if is_answer(fl.name or "")}
    if not answers:
        return {}
    requests: dict[tuple[str, str], Flow] = {}  # (source, target) -> the first flow between them that is no answer
    for o in flows:
        if o.id not in answers:
            requests.setdefault((o.source, o.target), o)
    out: dict[str, Flow] = {}
    for fl in flows:
        ask = requests.get((fl.target, fl.source)) if fl.id in answers else None
        if ask is not None and not _own_connection(fl, ask):
            out[fl.id] = ask
    return out


def carried_legs(flows: list[Flow]) -> dict[str, Flow]:
    """Flows the model says ride on another flow's connection ("Delivered over the connection of F-06";
    ``same_connection_terms``): the other flow between the same two ends, named by its id, else the only one there.
    No connection of their own, so no rule; the carrying flow's rule covers them."""
    terms = topology.network_terms().same_connection_terms
    ids = "|".join(re.escape(o.id) for o in sorted(flows, key=lambda o: -len(o.id)))
    out: dict[str, Flow] = {}
    for fl in flows:
        text = " ".join(x for x in (fl.protocol, fl.port, fl.description) if x)
        # "F-1's connection", "the F-1 connection", "the relay connection of F-1": written "the connection of F-1"
        text = re.sub(rf"(?:\bthe\s+)?(?<![\w-])({ids})(?:'s)?\s+connection\b", r"the connection of \1", text) if ids else text
        text = re.sub(r"\bthe\s+(?:[\w-]+\s+){1,2}connection of\b", "the connection of", text)
        if not topology.affirmed(text, terms):  # "not over the same connection" says the opposite
            continue
        beside = [o for o in flows if o.id != fl.id and {o.source, o.target} == {fl.source, fl.target}]
        named = [o for o in beside if re.search(rf"(?<![\w-]){re.escape(o.id)}(?![\w-])", text)]
        pick = named if named else beside
        if len(pick) == 1 and pick[0].id not in out:
            out[fl.id] = pick[0]
    return out


def _own_connection(answer: Flow, request: Flow) -> bool:
    """Whether a flow named as an answer is a connection of its own all the same: the model says which end opens it,
    or it states ports other than the request's (HL7 results sent to the interface engine's TCP 2575 beside the
    admissions it sends to TCP 2576): an answer comes back on the request's connection, so on its ports."""
    if answer.initiator:
        return True
    mine = {(p.transport, p.number) for p in topology.parse_ports(answer.port, answer.protocol)}
    theirs = {(p.transport, p.number) for p in topology.parse_ports(request.port, request.protocol)}
    return bool(mine and theirs and not mine & theirs)


def _zone_segment(f: Facts, element_id: str) -> Segment | None:
    z = f.zone_of(element_id)
    # where the model places it: a word of its own name alone ("Cloud API") is a hint, not a place a rule may rest on
    place: Place = f.stated_where(element_id)
    if z is None:
        if place == "outside":
            return Segment(INTERNET, "outside")
        return None
    kind = topology.zone_kind(z).kind
    if kind in OUTSIDE_KINDS or place == "outside":
        return Segment(z.name, "outside", z.id)
    if kind in NETWORK_KINDS or (kind is None and place == "hospital"):
        return Segment(z.name, "hospital", z.id)
    return None


def _segment_of(f: Facts, element_id: str, plan: Plan) -> Segment:
    """The element's own zone when that is a network (or outside); else the network it joins, when one of
    its flows reaches a network element (a Wi-Fi access point, a switch) in a network zone."""
    own = _zone_segment(f, element_id)
    if own is not None:
        return own
    joined: list[tuple[Segment, str]] = []
    for fl in f.model.flows:
        if element_id not in (fl.source, fl.target):
            continue
        other = fl.target if fl.source == element_id else fl.source
        el = f.elements.get(other)
        seg = _zone_segment(f, other)
        if el is not None and el.kind == "network" and seg is not None and seg.place == "hospital":
            joined.append((seg, f"joins {el.name} ({fl.id})"))
    names = list(dict.fromkeys(s.name for s, _ in joined))
    if len(names) == 1:
        seg, how = joined[0]
        return Segment(seg.name, "hospital", seg.zone, how)
    hint = "its name suggests outside the hospital" if f.by_name(element_id) and f.where(element_id) == "outside" else ""
    return Segment("segment not stated", "unknown", note=hint)


def addresses(f: Facts, element_id: str, flows: Iterable[Flow]) -> list[str]:
    """The host names and addresses the model gives for an end (its description, the flows' port or description):
    the rule needs them, or it allows any internet address as that end."""
    texts = [getattr(f.elements.get(element_id), "description", "") or ""]
    texts += [x or "" for fl in flows for x in (fl.port, fl.description)]
    return list(dict.fromkeys(m.group(0) for t in texts for m in _address().finditer(t)))


def zone_addresses(f: Facts, element_id: str) -> tuple[list[str], list[str]]:
    """The host names and addresses the description of an end's trust zone gives ("Aurora remote service platform at
    203.0.113.0/28"), and the other elements the model places in that zone: the addresses are the end's own only
    where it is alone there; beside others, the model does not say whose they are."""
    z = f.zone_of(element_id)
    if z is None or not z.description:
        return [], []
    found = list(dict.fromkeys(m.group(0) for m in _address().finditer(z.description)))
    others = [e.id for e in f.model.elements if e.trust_zone == z.id and e.id != element_id] if found else []
    return found, others


def _peer(f: Facts, plan: Plan, element_id: str, fl: Flow) -> str:
    seg = plan.segment[element_id]
    given = [a for a in addresses(f, element_id, [fl]) if a.lower() not in f.name(element_id).lower()] if seg.place == "outside" else []
    if seg.place == "outside" and not given:  # its zone's description may give them: its own only where it is alone
        zoned, others = zone_addresses(f, element_id)
        zone = f.zone_of(element_id)
        if zoned and zone is not None:
            given = zoned if not others else [f"{', '.join(zoned)} given for its zone {zone.name}, not for it alone"]
    where = {
        "hospital": seg.name,
        "outside": f"{seg.name}, {INTERNET.lower()}" if seg.name != INTERNET else INTERNET.lower() + (f", {seg.note}" if seg.note else ""),
        "unknown": "segment not stated" + (f"; {seg.note}" if seg.note else ""),
    }[seg.place]
    return f"{f.name(element_id)} ({'; '.join([*given, where])})"


def _rules(f: Facts, plan: Plan, fl: Flow) -> None:
    sa, sb = plan.segment[fl.source], plan.segment[fl.target]
    if sa.place == "hospital" and sa == sb or (sa.place == sb.place == "hospital" and sa.name == sb.name):
        plan.same_segment.append(fl)
        return
    if sa.place == sb.place == "outside":  # both ends outside the hospital: no hospital firewall sees it
        plan.outside.append(fl)
        return
    if sa.place == sb.place == "hospital" and topology.relayed(fl):
        plan.relayed.append(fl)  # DHCP's broadcast crosses no router: a relay sends it on from its own address
        return
    proto = short_protocol(fl.protocol)
    for opener, numbers in opener_groups(f, plan, fl):
        a = opener.element
        b = fl.target if a == fl.source else fl.source
        sa, sb = plan.segment[a], plan.segment[b]
        ports = ports_text(fl, None if numbers is None else numbers.split(",")) or no_port(fl)
        role = plan.roles.get(fl.id, {}).get(numbers or "")
        said = f"{proto} ({role})" if role else proto  # "SNMPv3 (traps: agent → SNMP manager)"
        if sa.place != "outside":
            seg = sa.name if sa.place == "hospital" else NOT_PLACED
            plan.rules.append(Rule(seg, "outbound", f.name(a), _peer(f, plan, b, fl), said, ports, fl, opener))
        if sb.place != "outside":
            seg = sb.name if sb.place == "hospital" else NOT_PLACED
            plan.rules.append(Rule(seg, "inbound", f.name(b), _peer(f, plan, a, fl), said, ports, fl, opener))


def _questions(f: Facts, plan: Plan) -> list[str]:
    """Precise questions for the maker: one per fact a firewall rule or a go-live check is missing."""
    out: list[str] = []
    if not f.model.flows:  # silence is not "no connection": a model may simply not describe its flows
        out.append(
            f"The threat model describes no data flow of {f.model.product.name}: which network connections "
            "does it make or accept (the other end, protocol, port, and which end opens each), and which "
            "local links (USB, Bluetooth, serial) does it have?"
        )
    outside = {fl.id for fl in plan.outside}
    same = {fl.id for fl in plan.same_segment}
    for fl in plan.network:
        if fl.id in outside or fl.id in same:  # no hospital firewall between them: no rule needs the port
            continue
        ends = f"{f.name(fl.source)} and {f.name(fl.target)}"
        if topology.portless(fl):  # ICMP, GRE: a rule names the protocol, there is no port to ask
            continue
        # a number where a port goes that is none ("TCP+SSL 500002 JSON RPC"): no rule, and the question names it
        bad = _invalid_port_words(fl)
        ports = topology.parse_ports(fl.port, fl.protocol)
        if not ports:
            # a port its description names ("listens on TCP port 8443") is not its stated port: quoted, not ruled
            said = topology.first_sentence_with(fl.description or "", lambda s: bool(topology.parse_ports(None, s)))
            out.append(
                f"{fl.id} {fl.name or ''} ({short_protocol(fl.protocol)}, between {ends}): {_port_question(fl)}".replace("  ", " ")
                + (f" {bad}" if bad else "")
                + (f" Its description says “{said.rstrip('.')}”, but gives no port for the flow itself." if said else "")
                + (f" Its name gives {named} (“{fl.name}”), but the model states no port for it." if (named := _name_port(fl)) else "")
            )
            continue
        if bad:
            out.append(f"{fl.id} {fl.name or ''}: {bad} Which port does it use?".replace("  ", " "))
        either = list(dict.fromkeys(p.either for p in ports if p.either))
        for words in either:  # "443 to 8443": a range or a mapping; the rules hold the two ports alone
            first, _, second = words.partition(" to ")
            out.append(
                f"{fl.id} {fl.name or ''}: the model writes “{words}”: a range of ports ({first}-{second}), or port "
                f"{first} sent on (redirected, mapped) to {second}? The rules list {first} and {second} alone, "
                "not confirmed.".replace("  ", " ")
            )
        # alternative protocols the protection question already asks about ("which of RADIUS or RadSec does it use?")
        asked_which = fl.encryption is None and (protection_question(fl) or "").startswith("which of ")
        if len(ports) > 1 and (alt := alternatives(fl)) and not asked_which:
            out.append(
                f"{fl.id} {fl.name or ''}: the model gives alternatives (“{alt}”): which does the site use? The rules list "
                f"{' or '.join(str(p) for p in ports)}; only the port of the one used is needed.".replace("  ", " ")
            )
        if any(p.tentative for p in ports):
            out.append(
                f"{fl.id} {fl.name or ''}: the model gives its port only tentatively ({fl.port!r}): which port and "
                "transport does it use?".replace("  ", " ")
            )
        elif any(p.transport is None for p in ports):
            said = fl.port or fl.protocol or ""
            both = re.search(r"\btcp\b", said, re.IGNORECASE) and re.search(r"\budp\b", said, re.IGNORECASE)
            out.append(
                f"{fl.id} {fl.name or ''}: the model names both TCP and UDP (“{said}”): does it use both, or which one?".replace("  ", " ")
                if both
                else f"{fl.id} {fl.name or ''}: is port {fl.port} TCP or UDP?{_either_note(fl)}".replace("  ", " ")
            )
    out.extend(
        f"{fl.id} {fl.name or ''} (between {f.name(fl.source)} and {f.name(fl.target)}): is it network "
        "traffic (which protocol and port), a local link such as USB or Bluetooth, or within one host (a file or a "
        "process on the same machine)?".replace("  ", " ")
        for fl in plan.unclear
    )
    # a flow written as carried over a VPN the model does not draw ("RDP over VPN"): its port is inside the tunnel, and
    # the tunnel a firewall sees is described nowhere
    for fl in f.model.flows:
        said, tunnels = plan.tunnelled.get(fl.id, ("", []))
        if said and not tunnels:
            name, where = topology.named_tunnel(fl)  # "IPsec VPN" as its encryption: the protocol is stated
            vpn_asked = (
                f"the model names its tunnel as {name} (“{where}”): which ports does the tunnel use"
                if name
                else "which VPN protocol and ports does the tunnel use"
            )
            out.append(
                f"{fl.id} {fl.name or ''} runs over a VPN (“{said}”) that the model does not draw as a flow of its own, so "
                f"its port is inside the tunnel and no rule is written for it: {vpn_asked}, which end opens it, where does it "
                "end on the hospital's side, and which host names or addresses does its other end use?".replace("  ", " ")
            )
    crossing = {r.flow.id: r for r in plan.rules}
    split = {fid for fid in crossing if len({r.ports for r in plan.rules if r.flow.id == fid}) > 1}
    asked_roles: set[str] = set()
    for r in {(r.flow.id, r.opener.element, r.opener.basis, r.ports): r for r in plan.rules}.values():
        fid = r.flow.id
        other = r.flow.target if r.opener.element == r.flow.source else r.flow.source
        # a flow whose port text sends one port the other way: the question is about the other ports only
        on = f" on {r.ports}" if fid in split else ""
        if fid in plan.roles:  # SNMP with no manager named: one question for the flow, each port's role in it
            if fid not in asked_roles:
                asked_roles.add(fid)
                roles = "; ".join(f"{port_words(r.flow, n)} carries the {role.replace(':', ',', 1)}" for n, role in plan.roles[fid].items())
                stated = plan.opener[fid].basis in ("stated", "text", "design")
                said = (
                    f" The model says {f.name(plan.opener[fid].element)} opens the connection, which holds for one of the two ports only."
                    if stated
                    else ""
                )
                out.append(
                    f"{fid} {r.flow.name}: which end is the SNMP manager? The model names neither {f.name(r.flow.source)} nor "
                    f"{f.name(r.flow.target)} as the manager, and by the standard {roles}: the rules give no direction until "
                    f"the device maker says which end is which.{said}"
                )
        elif fid in plan.undecided:  # HL7 over MLLP: either end may be set up to open it; no guess, a question
            listens = f", and which listens on {r.ports}" if r.ports and "not stated" not in r.ports else ""
            out.append(f"{fid} {r.flow.name}: which end opens the connection{listens}? Either end may (the rules give no direction).")
        elif r.opener.basis == "assumed":
            out.append(
                f"{fid} {r.flow.name}: which end opens the connection{on}? The rules assume {f.name(r.opener.element)}, "
                f"not {f.name(other)}."
            )
        elif r.opener.basis == "name":  # a name says which way data moves, not who connects
            out.append(
                f"{fid} {r.flow.name}: does {f.name(r.opener.element)} open the connection{on}, as the flow's name suggests, "
                f"or {f.name(other)}?"
            )
    asked: set[str] = set()
    for fl in plan.network:
        for e in (fl.source, fl.target):
            if plan.segment[e].place == "unknown" and e not in asked:
                asked.add(e)
                z = f.zone_of(e)
                if f.by_name(e) and f.where(e) == "outside":  # only its name says so: ask, do not assume it
                    zone = f"places it in {z.name}, which does not say where that is" if z is not None else "places it in no trust zone"
                    # a boundary line the model draws (Threat Dragon) is stated, though not which side is which
                    across = [o.id for o in plan.network if e in (o.source, o.target) and BOUNDARY_TAG in o.tags]
                    drawn = f"; it draws {', '.join(across)} across a trust boundary" if across else ""
                    out.append(
                        f"Where does {f.name(e)} run ({fl.id} {fl.name}): outside the hospital, as its name suggests, or on "
                        f"a hospital network (which segment)? The model {zone}{drawn}, so the rules do not assume either."
                    )
                    continue
                known = z is not None and topology.zone_kind(z).kind is not None
                where = (
                    ""
                    if z is None
                    else f" (the model places it in {z.name}, which is not a network)"
                    if known
                    else f" (the model places it in {z.name}, and does not say what kind of place that is)"
                )
                out.append(f"Which hospital network does {f.name(e)} use for {fl.id} {fl.name}{where}?")
    for r in plan.rules:
        if r.direction != "inbound" or plan.segment[r.opener.element].place != "outside":
            continue
        accepts = r.flow.target if r.opener.element == r.flow.source else r.flow.source
        # the accepting end on no known network may run outside too (then no hospital rule): the need is conditional
        needs = (
            "which needs an inbound rule from the internet"
            if plan.segment[accepts].place == "hospital"
            else f"which, if {f.name(accepts)} runs in the hospital, needs an inbound rule from the internet"
        )
        out.append(
            f"{r.flow.id} {r.flow.name} is opened from outside the hospital ({f.name(r.opener.element)}), {needs}: "
            "is there a way to run it outbound only?"
        )
    # an end outside the hospital that a rule names: the rule needs its host names or addresses, or it allows any
    outside_ends: dict[str, list[Rule]] = {}
    for r in plan.rules:
        far = r.flow.target if plan.segment.get(r.flow.source, Segment("", "unknown")).place != "outside" else r.flow.source
        if plan.segment[far].place == "outside":
            outside_ends.setdefault(far, []).append(r)
    for e, rules in outside_ends.items():
        flows = list(dict.fromkeys(r.flow.id for r in rules))
        if _address().search(f.name(e)) or addresses(f, e, [r.flow for r in rules]):
            continue
        zoned, others = zone_addresses(f, e)
        home = f.zone_of(e)
        if zoned and home is not None:
            if others:  # its zone's description gives addresses, but the zone holds others too
                out.append(
                    f"Which host names or addresses does {f.name(e)} use ({', '.join(flows)})? The model gives "
                    f"{', '.join(zoned)} for its zone {home.name}, which holds {f.names(others)} too, not for "
                    f"{f.name(e)} alone: which of them are its own?"
                )
            continue
        out.append(
            f"Which host names or addresses does {f.name(e)} use ({', '.join(flows)})? The rules name it, not its addresses: "
            "without them a rule can only allow any internet address as the other end."
        )
    for fl in plan.network:
        clash = topology.protocol_clash(fl, ends=(f.name(fl.source), f.name(fl.target))) if fl.id in crossing else None
        if clash:  # "gRPC OTEL" drawn as "RPC or DCOM": the rule's protocol column would say DCOM
            out.append(
                f"{fl.id} {fl.name}: its name names {', '.join(_upper(clash[0]))}, its protocol “{fl.protocol}”: which protocol "
                "does it use, on which port? The rules give the protocol as the model states it."
            )
    for fl in plan.network:  # FTP's data connection, IPsec's ESP, SIP's media: more than the port a rule names
        if fl.id not in crossing or topology.protocol_clash(fl, ends=(f.name(fl.source), f.name(fl.target))):
            continue  # a protocol in doubt ("gRPC OTEL" drawn as "RPC or DCOM") is asked above
        text = " ".join(x for x in (fl.protocol, topology.without(fl.name, (f.name(fl.source), f.name(fl.target)))) if x)
        said = fl.port or ""
        for extra in topology.network_terms().extra_port_protocols:
            if not topology.matcher(extra.terms)(text) or any(re.search(rx, said, re.IGNORECASE) for rx in extra.answered_by):
                continue  # "passive 50000-50100": the rule's ports already say it
            narrowed = next((n.question for n in extra.narrowed if re.search(n.pattern, said, re.IGNORECASE)), extra.question)
            out.append(f"{fl.id} {fl.name}: {narrowed}")
    encrypted_by_name = topology.matcher(topology.network_terms().encrypted_protocols)
    clear_by_standard = topology.network_terms().clear_ports_beside_tls
    for fl in plan.network:
        # its encryption stated, or its protocol one encrypted by name ("HTTPS" on "80,443", no encryption stated)
        claimed = (
            f"states its encryption (“{fl.encryption}”)"
            if fl.encryption is not None and encryption_stated(fl.encryption)
            else f"names {short_protocol(fl.protocol)}, an encrypted protocol,"
            if fl.encryption is None and encrypted_by_name(short_protocol(fl.protocol) if fl.protocol else "")
            else ""
        )
        if fl.id in crossing and claimed:
            # "HTTP / HTTPS" on 80 and 443 with "TLS 1.2": the stated encryption may be the other port's only
            ports = rule_ports(fl)
            out.extend(
                f"{fl.id} {fl.name}: the model {claimed} but also gives {p}, "
                f"{clear_by_standard[p.number]}'s port in clear by its standard: does {p} carry data in clear, or "
                f"does it carry none (unused, or only a redirect to an encrypted port)? Its rule is needed only if it is used."
                for p in ports
                if p.number in clear_by_standard and len(ports) > 1
            )
        if fl.encryption is not None or fl.id not in crossing:
            continue
        question = protection_question(fl)
        if question is not None:  # the protocol's own question (TLS: certificates; SSH: host keys; RADIUS: its secret)
            if question:
                out.append(f"{fl.id} {fl.name}: {question}")
        elif encrypted_by_name(topology.without(fl.name, (f.name(fl.source), f.name(fl.target)))):
            # "Websocket Secure": the flow's name names an encrypted protocol; the model states no protocol or encryption
            out.append(
                f"{fl.id} {fl.name}: its name names an encrypted protocol, but the model states neither the protocol nor "
                "its encryption: which are they, with which version, and how are certificates checked?"
            )
        else:
            out.append(f"{fl.id} {fl.name}: is the traffic encrypted, and with what? The model does not say.")
    for fl in plan.people:
        person, other = _person_ends(f, fl)
        if topology.is_person(f.elements.get(other)) or _attacker(f, person):
            continue  # two people, or an attacker's path: nothing to ask about the network
        proto = short_protocol(fl.protocol) if fl.protocol else None
        over = f", over {proto}" if proto else ""
        if person == fl.target:  # drawn to the person: the model says what the person receives, not who connects
            out.append(
                f"{fl.id} {fl.name or ''}: {f.name(person)} is a person; on which device does {f.name(person)} receive "
                f"what {f.name(other)} sends (a hospital workstation, a phone, the device's own screen){over}, "
                "and if over the network, which end opens the connection and which port does it use?".replace("  ", " ")
            )
            continue
        if f.stated_where(person) == "outside" and f.stated_where(other) != "outside":
            out.append(
                f"{fl.id} {fl.name or ''}: {f.name(person)} is a person outside the hospital; from which system does the "
                f"session reach {f.name(other)}{over} (a system of the device maker's, a relay {f.name(other)} connects "
                f"to), and which end opens the connection{'' if fl.port else ', on which port'}? An inbound rule from the "
                "internet is needed only if the outside end opens it.".replace("  ", " ")
            )
            continue
        out.append(
            f"{fl.id} {fl.name or ''}: {f.name(person)} is a person; from which device does {f.name(person)} reach "
            f"{f.name(other)} (a hospital workstation, a phone, the device's own screen){over}, "
            "and if over the network, which port does it use?".replace("  ", " ")
        )
    for fid in plan.multicast:
        fl = next(o for o in f.model.flows if o.id == fid)
        if not topology.discovery(fl, ends=(f.name(fl.source), f.name(fl.target))):  # a stream to a group: its group
            if not topology.multicast_groups(fl):
                out.append(
                    f"{fl.id} {fl.name or ''} (sent to a multicast group): which group address does it use, and with which "
                    "TTL (how many routers it may cross)?".replace("  ", " ")
                )
            continue
        if disable_words(fl):
            continue
        # "Printer discovery" drawn from the station to the printer: the station looks for the printer, not the other way
        found, finder = (fl.target, fl.source) if _discovered(f, fl, fl.target) else (fl.source, fl.target)
        out.append(
            f"{fl.id} {fl.name or ''} (discovery by broadcast or multicast): can it be turned off, and how does "
            f"{f.name(finder)} then find {f.name(found)} (an address set by hand)? Which unicast connections follow "
            "it, on which ports?".replace("  ", " ")
        )
    out.extend(n.question for n in plan.needs if n.question)
    return out


def _discovered(f: Facts, fl: Flow, end: str) -> bool:
    """Whether the flow's name names *end* as what is discovered: a word of its name before the discovery word
    ("Printer discovery (mDNS)" of the "Ward printer")."""
    words = re.findall(r"[\w-]+", fl.name or "")
    discovery = topology.matcher(topology.network_terms().discovery_terms)
    first = next((i for i, w in enumerate(words) if discovery(w)), None)
    own = {w.lower() for w in re.findall(r"[\w-]{3,}", f.name(end))}
    return first is not None and any(w.lower() in own for w in words[:first])


_CLEAR_QUESTION = (
    "the model names {protocol} on {ports}, its port in clear by its standard, and says nothing else of encryption: is "
    "the traffic unencrypted, or carried inside a VPN?"
)
_TLS_QUESTION = (
    "the model names {protocol} on {ports}, its port for TLS by its standard, but not the TLS version or how certificates "
    "are checked: which are they?"
)


def encryption_stated(text: str) -> bool:
    """Whether a flow's encryption text states some encryption: not "none", a placeholder or a denial ("not
    encrypted", "TLS (planned)"), read as the guides read it."""
    return bool(text.strip()) and not says_none(text) and stated(text)


def protection_question(fl: Flow) -> str | None:
    """What to ask of a flow's protection, by the protocol it names (``protection``): only what applies to that
    protocol (SSH its host keys, TLS its version and certificates, RADIUS its shared secret, SNMP its version); ""
    where nothing applies (DHCP, ICMP); None where its protocol is none of them. A protocol naming alternatives
    ("RADIUS or RadSec") is asked which it uses, then each alternative's question."""
    proto = short_protocol(fl.protocol) if fl.protocol else ""
    if not proto:
        return None
    entries = topology.network_terms().protection
    alts = [a.strip() for a in re.split(r"\s+or\s+", proto) if a.strip()] or [proto]
    picked: dict[int, str] = {}  # entry (its index) -> its question, for the first alternative naming it
    ports = topology.parse_ports(fl.port, fl.protocol)
    # a wrapper the port text names ("25 / 587 (STARTTLS)" of SMTP): the protocol is carried in it, as "SMTP over TLS"
    wrapped = fl.port and next(((i, e) for i, e in enumerate(entries) if topology.matcher(e.terms)(fl.port or "")), None)
    for alt in alts:
        i, entry = next(((i, e) for i, e in enumerate(entries) if topology.matcher(e.terms)(alt)), (-1, None))
        if wrapped and wrapped[1].question and (entry is None or wrapped[0] < i) and len(alts) == 1:
            picked[wrapped[0]] = wrapped[1].question.format(protocol=f"{alt} on “{' '.join((fl.port or '').split())}”")
            continue
        if entry is None or i in picked:
            continue
        if entry.tls_ports and ports and all(p.number in entry.tls_ports for p in ports):
            picked[i] = _TLS_QUESTION.format(protocol=alt, ports=", ".join(str(p) for p in ports))
        elif entry.clear_ports and ports and all(p.number in entry.clear_ports for p in ports):
            picked[i] = _CLEAR_QUESTION.format(protocol=alt, ports=", ".join(str(p) for p in ports))
        else:
            picked[i] = entry.question.format(protocol=alt) if entry.question else ""
    if not picked:
        return None
    asked = [q for q in picked.values() if q]
    if len(asked) < 2:
        return asked[0] if asked else ""
    ports_said = " or ".join(str(p) for p in ports)
    rules = f" (the rules list {ports_said}: only the port of the one used is needed)" if alternatives(fl) and ports_said else ""
    return f"which of {proto} does it use{rules}? " + " ".join(q[0].upper() + q[1:] for q in asked)


# a host name ("updates.maker.com", "*.maker-cloud.net") or an IPv4 address or network ("203.0.113.10", "198.51.100.0/24"),
# also where a sentence ends on it ("… at 203.0.113.0/28.")
# (the suffixes are ``host_name_suffixes``: public domains and the reserved ones, "updates.maker.example", "pacs.hospital.internal")
@cache
def _address() -> re.Pattern[str]:
    suffixes = "|".join(re.escape(x) for x in sorted(topology.network_terms().host_name_suffixes, key=len, reverse=True))
    return re.compile(
        rf"(?<![\w.-])(?:\*\.)?(?:[a-z0-9-]+\.)+(?:{suffixes})(?![\w-])|(?<![\d.])\d{{1,3}}(?:\.\d{{1,3}}){{3}}(?:/\d{{1,2}})?(?!\d|\.\d)"
        rf"|(?:{topology.IPV6.pattern})(?:/\d{{1,3}})?",  # an IPv6 address or prefix too
        re.IGNORECASE,
    )


def disable_words(fl: Flow) -> str:
    """The model's words saying a flow can be turned off or is optional (``can_disable_terms``, ``optional_flow``), or ""."""
    said = topology.optional_flow(fl)
    if said:
        return said
    hit = topology.matcher(topology.network_terms().can_disable_terms)
    for text in (fl.name, fl.protocol, fl.port, fl.description):
        sentence = topology.first_sentence_with(text or "", hit)
        if sentence and not re.search(r"\b(?:cannot|can ?not|can't)\b", sentence, re.IGNORECASE):
            return f"“{sentence}”"
    return ""


def multicast_note(f: Facts, plan: Plan, fl: Flow) -> str:
    """One flow sent by broadcast or multicast, for the deployment guide: its ends, what the model says, the
    discovery protocol's standard group and port where the model gives none, where its ends sit, and whether the
    model says it can be turned off."""
    proto = topology.multicast_protocol(fl)
    said = " ".join(x for x in (short_protocol(fl.protocol) if fl.protocol else "", ports_text(fl)) if x)
    parts = [f"{fl.id} {fl.name or ''}: {f.name(fl.source)} → {f.name(fl.target)}".replace("  ", " ") + (f" ({said})" if said else "")]
    if proto is not None and not ports_text(fl):
        parts.append(f"{proto.label} uses the group {proto.group} and {proto.port} by its standard; the model states no port")
    groups = topology.multicast_groups(fl)
    if groups:
        parts.append(f"group {', '.join(groups)}")
    local = [g for g in groups if topology.link_local_group(g)]
    if local:  # ff02::1, 224.0.0.x: a multicast router never forwards it
        parts.append(f"{', '.join(local)} is of link-local scope: no multicast router forwards it, only a gateway that repeats it")
    sa, sb = plan.segment[fl.source], plan.segment[fl.target]
    if sa.place == sb.place == "hospital" and sa.name != sb.name:
        parts.append(
            f"the model places its ends on two segments ({sa.name}, {sb.name}): it does not reach across unless "
            + ("repeated by such a gateway" if local else "relayed")
        )
    if not topology.discovery(fl, ends=(f.name(fl.source), f.name(fl.target))):
        return "; ".join([*parts, "a stream of data sent to a group, not discovery"])
    off = disable_words(fl)
    parts.append(
        f"the model says it can be turned off or is optional: {off}" if off else "the model does not say whether it can be turned off"
    )
    return "; ".join(parts)


def _implied(fl: Flow) -> tuple[str | None, bool]:
    """The transport a flow's protocol implies (its port text saying none), or, where the model states no protocol,
    its name ("TCP+SSL 500002 JSON RPC", "Websocket Secure"); and whether it was read from the name."""
    implied = topology.implied_transport(fl.port, fl.protocol)
    if implied is not None or fl.protocol:
        return implied, False
    implied = topology.implied_transport(fl.name)
    return implied, implied is not None


def no_port(fl: Flow) -> str:
    """The port column of a flow that states no port: the transport its protocol (or, with no protocol, its name)
    implies, where it does ("TCP, port not stated" for HTTPS), else "not stated"."""
    implied, _ = _implied(fl)
    said = topology.OPEN_PORT_WORDS.get(topology.open_ports(fl) or "")
    if said:  # "any" or "dynamic": what the model says of the ports, not silence
        return f"{implied}, {said}" if implied else said
    return f"{implied}, port not stated" if implied else topology.portless(fl) or "not stated"


def port_words(fl: Flow, number: str) -> str:
    """A port of the flow as its rules print it ("TCP 80", "UDP 161")."""
    return next((str(p) for p in topology.parse_ports(fl.port, fl.protocol) if p.number == number), number)


def port_label(fl: Flow) -> str:
    """A flow's ports in a sentence: "TCP 443", "TCP, port not stated" (HTTPS), "port not stated"."""
    said = no_port(fl)
    return ports_text(fl) or (said if said != "not stated" else "port not stated")


def _port_question(fl: Flow) -> str:
    """The question for a flow that states no port: its transport only where the protocol leaves it open (HTTPS
    runs over TCP; HTTP/3 over UDP; syslog over either)."""
    implied, by_name = _implied(fl)
    said = topology.open_ports(fl)
    if said == "any":  # a rule for any port opens every port between the two ends
        return (
            f"the model gives its port as “{' '.join((fl.port or '').split())}”: a rule for any port opens every port between the "
            "two ends; which port or ports does it actually use" + ("" if implied else ", over TCP or UDP") + "?"
        )
    if said == "dynamic":  # chosen at run time: the rule needs the range
        return (
            f"the model gives dynamic ports (“{' '.join((fl.port or '').split())}”): which range does it use"
            + ("" if implied else ", over TCP or UDP")
            + ", and can it be fixed to a smaller range or one port?"
        )
    if implied is None:
        return "which port and transport (TCP or UDP) does it use?" + _either_note(fl)
    proto = short_protocol(fl.protocol)
    runs = "needs" if implied == "UDP and TCP" else "runs over"
    if by_name:
        why = f"its name, “{' '.join((fl.name or '').split())}”, implies {implied}, as no protocol is stated; "
    else:
        why = "" if proto.upper() in ("TCP", "UDP") else f"{proto} {runs} {implied}; "  # "TCP" alone needs no reason
    return f"which port does it use? ({why}the rules say {implied} and leave the port open.)"


def _either_note(fl: Flow) -> str:
    """ " Syslog runs over UDP or TCP, as set up." where the flow names such a protocol (``either_transport_protocols``)."""
    names = [t for t in topology.network_terms().either_transport_protocols if topology.matcher([t])(fl.protocol or "")]
    return f" (It names {names[0]}, which runs over UDP or TCP, as set up.)" if names else ""


_NAME_PORT = re.compile(r"(?P<word>[A-Za-z][\w+-]*)\s*[:/ ]\s*(?P<num>\d{2,5})(?![\w.])")


def _name_port(fl: Flow) -> str:
    """A port a flow's name gives after a protocol or port word ("HTTPS 8443 API" → "8443"), quoted in the question
    but not ruled: the name is not the flow's port text. "" where it gives none."""
    ip = topology.matcher([*topology.network_terms().ip_protocols, "port", "ports"])
    nums = [
        m.group("num")
        for m in _NAME_PORT.finditer(fl.name or "")
        if ip(m.group("word")) and 0 < int(m.group("num")) < 65536 and not re.match(r"(?i)(?:tls|http|hl7|ipv|snmpv)$", m.group("word"))
    ]
    return " and ".join(dict.fromkeys(nums))


def _upper(words: list[str]) -> list[str]:
    return [{"grpc": "gRPC"}.get(w, w.upper()) for w in words]


def _invalid_port_words(fl: Flow) -> str:
    """A sentence naming the numbers a flow gives where a port goes that are no port, or ""."""
    parts = []
    for label, text in (("port", fl.port), ("protocol", fl.protocol), ("name", fl.name)):
        bad = topology.invalid_ports(text) if label == "port" else topology.invalid_ports(None, text)
        if bad:
            parts.append(f"its {label} (“{' '.join((text or '').split())}”) gives {' and '.join(bad)}")
    if not parts:
        return ""
    return "The model writes a number where a port goes that is no port number (a port runs from 1 to 65535): " + "; ".join(parts) + "."


def _person_ends(f: Facts, fl: Flow) -> tuple[str, str]:
    """(the person, the other end) of a flow with a person at one end."""
    return (fl.source, fl.target) if topology.is_person(f.elements.get(fl.source)) else (fl.target, fl.source)


def _attacker(f: Facts, element_id: str) -> bool:
    """Whether the person is named as an attacker (``attacker_terms``): the flow is an attack path."""
    return topology.matcher(topology.network_terms().attacker_terms)(f.name(element_id))


def person_note(f: Facts, fl: Flow) -> str:
    """What the hospital must decide for a flow with a person at one end: the rule is written for the
    device the person uses, which the model does not name."""
    person, other = _person_ends(f, fl)
    via = f" over {short_protocol(fl.protocol)}" if fl.protocol else ""
    ends = f"{f.name(fl.source)} to {f.name(fl.target)}"  # the flow's own direction, whichever end the person is
    if _attacker(f, person):
        return (
            f"{fl.id} ({ends}{via}): {f.name(person)} is an attacker; the flow is an "
            "attack path the threat model draws, not traffic to allow"
        )
    if person == fl.target:  # drawn to the person: the flow states what is sent, not which end connects
        return (
            f"{fl.id} ({ends}{via}): {f.name(other)} sends to {f.name(person)}; the hospital decides on which "
            f"workstations or devices {f.name(person)} receives it; if that is over the network, the rule is written "
            f"between {f.name(other)} and those workstations' segment, in the direction the device maker states (the "
            f"threat model does not say which end opens the connection); if {f.name(other)} runs on the workstation "
            "itself, no rule is needed"
        )
    if f.stated_where(person) == "outside" and f.stated_where(other) != "outside":
        # the maker's service engineer: not at a hospital workstation; the system the session comes from is not named
        return (
            f"{fl.id} ({ends}{via}): {f.name(person)} is a person the model places outside the hospital; it does not say "
            f"from which system the session reaches {f.name(other)}, nor which end opens the connection, so no rule is "
            "written (see the questions)"
        )
    return (
        f"{fl.id} ({ends}{via}): the hospital decides from which workstations or devices "
        f"{f.name(person)} may reach {f.name(other)}; if that is over the network, the rule is written for those "
        f"workstations' segment, to {f.name(other)}; if {f.name(other)} runs on the workstation itself, no rule is needed"
    )


def diagram_model(f: Facts, plan: Plan) -> Model | None:
    """The deployment picture as a model: one zone per segment in topology order (the device's own
    segments, the other hospital segments, unplaced elements, outside), the elements that use the network,
    and each network flow drawn from the end that opens it, labelled with its ports; a discovery sent by broadcast
    or multicast drawn from its sender, labelled so."""
    from mdptm.model import Document, Element, Product, TrustZone

    casts = [fl for fl in f.model.flows if fl.id in plan.multicast]
    used = list(dict.fromkeys(e for fl in [*plan.network, *casts] for e in (fl.source, fl.target)))
    if not used:
        return None
    device_side = {plan.segment[e].name for e in used if f.where(e) == "device"}

    def rank(seg: Segment) -> int:
        if seg.place == "hospital":
            return 0 if seg.name in device_side else 1
        return 2 if seg.place == "unknown" else 3

    segs = sorted({plan.segment[e] for e in used}, key=lambda s: (rank(s), _zone_index(f, s)))
    names = list(dict.fromkeys(s.name for s in segs))
    zone_id = {n: f"S{i + 1}" for i, n in enumerate(names)}
    titles = {s.name: s.name + (" (internet)" if s.place == "outside" and s.name != INTERNET else "") for s in segs}
    titles.update({s.name: "Network segment not stated" for s in segs if s.place == "unknown"})
    m = Model(
        product=Product(name=f.model.product.name, manufacturer=f.model.product.manufacturer),
        document=Document(version=f.model.document.version),
    )
    m.trust_zones = [TrustZone(id=zone_id[n], name=titles[n]) for n in names]
    m.elements = [
        Element(id=e, name=f.name(e), kind=f.elements[e].kind, trust_zone=zone_id[plan.segment[e].name]) for e in used if e in f.elements
    ]
    # one arrow per pair and opener, its label every port the opener uses towards the other end ("TCP 80, TCP 443"):
    # a renderer counts more than two arrows between a pair as "3 flows", hiding the ports an engineer needs
    drawn: dict[tuple[str, str, bool, bool], tuple[Flow, list[str]]] = {}
    relayed = {fl.id for fl in plan.relayed}
    for fl in plan.network:
        for opener, numbers in opener_groups(f, plan, fl):  # "162/udp (traps to the NMS)": its own arrow
            a = opener.element
            b = fl.target if a == fl.source else fl.source
            ports = ports_text(fl, None if numbers is None else numbers.split(","))
            optional = bool(topology.optional_flow(fl))
            if fl.id in relayed:  # DHCP across segments: the relay, not the device, reaches the server
                pieces = [f"{ports or port_label(fl)} (relay)"]
            elif ports and " or " not in ports and "(configurable)" not in ports:
                pieces = [str(p) for p in rule_ports(fl) if numbers is None or p.number in numbers.split(",")]
            else:
                pieces = [ports or port_label(fl)]
            key = (a, b, optional, fl.id in plan.undecided)  # no direction stated (HL7 over MLLP): a head at each end
            known = drawn.get(key)
            if known is None:  # a flow split by its ports keeps its id on each arrow: the short label names the rules' flow
                drawn[key] = (Flow(id=fl.id, name="", source=a, target=b), pieces)
            else:
                _add_pieces(known[1], pieces)
    for (a, b, optional, loose), (arrow, pieces) in list(drawn.items()):
        arrow.name = ", ".join(pieces) + (" (optional)" if optional else "")
        arrow.bidirectional = loose
        back = drawn.get((b, a, optional, loose))
        if back is not None and back[1] == pieces and a < b:  # each end opens the same ports to the other: one arrow
            arrow.bidirectional = True
            del drawn[(b, a, optional, loose)]
    # discovery: sent by its source to a group or the subnet, no connection opened
    casts_drawn = [Flow(id=fl.id, name="broadcast or multicast (one subnet)", source=fl.source, target=fl.target) for fl in casts]
    m.flows = [arrow for arrow, _pieces in drawn.values()] + casts_drawn
    return m


def _add_pieces(known: list[str], pieces: list[str]) -> None:
    """Add an arrow's port labels to those it has, a port once: "TCP 104" beside "TCP 104 (configurable)" is the same
    port (a label the picture cannot fit is replaced by the flow id, hiding every port)."""
    for p in pieces:
        if any(k == p or k.startswith(p + " (") for k in known):
            continue
        fuller = [i for i, k in enumerate(known) if p.startswith(k + " (")]
        if fuller:
            known[fuller[0]] = p
        else:
            known.append(p)


def _zone_index(f: Facts, seg: Segment) -> int:
    for i, z in enumerate(f.model.trust_zones):
        if z.id == seg.zone:
            return i
    return len(f.model.trust_zones)
