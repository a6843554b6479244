"""The deployment guide: network segments and firewall rules, zones, and the hospital's controls."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from mdptm.documents import netplan
from mdptm.documents.guides._shared import (
    _EXPECTED_OF,
    Drawn,
    _authentication,
    _customer_assumptions,
    _customer_controls,
    _first_sentence,
    _new_doc,
    _use_case_views,
    transit_encryption,
)
from mdptm.documents.guides.facts import NOT_STATED, Facts
from mdptm.model import Flow, Model, topology
from mdptm.model.evidence import customer_enabled
from mdptm.render.docir import Doc

# ----------------------------------------------------------------------------------- deployment


_DIRECTION = {"outbound": "out", "inbound": "in"}
_NAMED_ONLY = "named, not stated as needed from the hospital; no port given"  # a word in a control is no stated need
_BASIS_MARK = {"stated": "", "text": "", "design": "", "kind": "", "name": " †", "assumed": " *"}


def deployment(f: Facts) -> Doc:
    m = f.model
    plan = netplan.build(f)
    doc = _new_doc(
        f,
        "deployment",
        f"How to connect {m.product.name} as its threat model expects: the firewall rules per network segment, "
        "the infrastructure the device needs from the hospital, the controls the hospital is expected to "
        "provide, and the questions to settle with the device maker before go-live.",
    )
    picture = netplan.diagram_model(f, plan)
    if picture is not None:
        doc.blocks.append(
            Drawn(
                Path("deployment-network.png"),
                "Network segments and connections; each arrow starts at the end that opens the connection.",
                12.5,
                15.0,  # a tall picture (few segments side by side) still fits under the title on the first page
                _network_picture(picture),
            )
        )

    doc.h("Firewall rules")
    # a connection the model says is optional or off by default: its rule is needed only where the feature is used
    optional = {fl.id: said for fl in plan.network if (said := topology.optional_flow(fl))}
    if plan.rules:
        doc.p(
            "Per network segment. Dir: out = a system on this segment opens the connection, in = it accepts "
            "it; return traffic is not listed."
            + (
                f" Connections to the device maker's systems are opened from the hospital only ({plan.outbound_only})."
                if plan.outbound_only
                else ""
            )
        )
        for seg in plan.segments_in_order():
            doc.h(seg, 2)
            doc.table(
                ["Dir", "This end", "Other end", "Protocol", "Port", "Flow"],
                [
                    [
                        "?" if all(o.flow.id in plan.undecided for o in row) else _DIRECTION[r.direction],
                        r.local,
                        r.peer,
                        "; ".join(dict.fromkeys(o.protocol for o in row)),
                        r.ports,
                        ", ".join(
                            o.flow.id
                            + ("" if o.flow.id in plan.undecided else _BASIS_MARK[o.opener.basis])
                            + (" (optional)" if o.flow.id in optional else "")
                            for o in row
                        ),
                    ]
                    for row in plan.rows(seg)
                    for r in row[:1]
                ],
                widths=[0.6, 3.3, 4.7, 2.3, 1.4, 0.9],
            )
        ruled_ids = {r.flow.id for r in plan.rules}
        if (plan.undecided - set(plan.roles)) & ruled_ids:
            doc.p(
                "?: either end may open this connection (HL7 over MLLP, as the two systems are set up) and the "
                "model does not say which: allow only the direction the device maker names (see the questions at the end).",
                style="note",
            )
        if set(plan.roles) & ruled_ids:
            doc.p(
                "?: the port's standard gives its direction between two roles (SNMP: the manager polls the agent on UDP "
                "161, the agent sends its traps to the manager on UDP 162) but the model does not say which end is the "
                "SNMP manager, so no direction is assumed: once the device maker names it, allow each port only in its "
                "role's direction (see the questions at the end).",
                style="note",
            )
        if any(r.opener.basis == "assumed" and r.flow.id not in plan.undecided for r in plan.rules):
            doc.p(
                "* The model does not say which end opens this connection; the rule assumes the end the model "
                "names first. Confirm it (see the questions at the end).",
                style="note",
            )
        ruled_optional = [fid for fid in dict.fromkeys(r.flow.id for r in plan.rules) if fid in optional]
        if ruled_optional:
            said = "; ".join(f"{fid} {optional[fid]}" for fid in ruled_optional)
            doc.p(
                "(optional) The threat model says this connection is optional, so its rule is needed only where the "
                f"hospital uses it: {said}" + ("" if said.endswith((".”", "!”", "?”")) else "."),
                style="note",
            )
        optional_ports = [
            f"{fl.id} {netplan.port_words(fl, n)} (“{said}”)"
            for fl in m.flows
            if fl.id in ruled_ids
            for n, said in topology.optional_ports(fl).items()
        ]
        if optional_ports:  # "443, 8443 (admin, optional)": 443 is needed, 8443 only where it is used
            doc.p(
                "The threat model calls one port of these connections optional, not the others: its rule is needed only "
                "where the hospital uses it: " + "; ".join(optional_ports) + ".",
                style="note",
            )
        if any(r.opener.basis == "name" for r in plan.rules):
            doc.p(
                '† Which end opens this connection is read from the flow\'s name ("forwarding", "upload": the '
                'sending end; "download", "poll": the fetching end), which says which way the data moves, not '
                "who connects. Confirm it (see the questions at the end).",
                style="note",
            )
        _flow_security(doc, f, [fl for fl in m.flows if fl.id in ruled_ids])
    elif not m.flows:  # silence is not "no connection": the model may simply not describe its flows
        doc.p(
            "The threat model describes no data flow, so it does not say which network connections the device "
            "makes or accepts: no firewall rule can be written from it. See the questions at the end."
        )
    elif plan.network and len(plan.same_segment) == len(plan.network):
        doc.p("Every network connection stays within one segment; no rule between segments is needed.")
    excluded = [
        f"{fl.id} {fl.name or ''}: the threat model says port{'s' if len(ex) > 1 else ''} {', '.join(ex)} "
        f"{'are' if len(ex) > 1 else 'is'} not used (“{' '.join(said.split())}”); no rule opens "
        f"{'them' if len(ex) > 1 else 'it'}".replace("  ", " ")
        for fl in m.flows
        if fl in plan.network or fl in plan.ruled_out
        for ex in [topology.excluded_ports(fl.port, fl.protocol)]
        if ex
        for said in [(fl.port if topology.excluded_ports(fl.port) else fl.protocol) or ""]
    ]
    if excluded:  # a port the model rules out is what an engineer must not open
        doc.p("Ports the threat model rules out:")
        doc.bullets([e + "." for e in excluded])
    ruled = {r.flow.id for r in plan.rules}
    redirects = [
        f"{fl.id} {fl.name or ''}: the threat model says {netplan.port_words(fl, a)} only redirects to {netplan.port_words(fl, b)} "
        f"(“{' '.join((fl.port or '').split())}”), so the rule opens {netplan.port_words(fl, b)} alone; {netplan.port_words(fl, a)} serves "
        "nothing but the redirect, to a browser that asks for plain HTTP".replace("  ", " ")
        for fl in m.flows
        if fl.id in ruled
        for a, b in topology.redirect_only(fl).items()
    ]
    if redirects:  # what a redirect port is for, so that the engineer can decide to leave it shut
        doc.p("Ports that only redirect to another:")
        doc.bullets([r + "." for r in redirects])
    if plan.outside:
        ids = ", ".join(fl.id for fl in plan.outside)
        doc.p(f"Between systems outside the hospital (no hospital firewall rule follows from them): {ids}.")
    if plan.unclear:  # flows with no protocol or port: not "no connection", but no rule can be written
        n = len(plan.unclear)
        ids = ", ".join(fl.id for fl in plan.unclear[:8]) + (", …" if n > 8 else "")
        what = (
            "data flow ({}) but not whether it is a network connection"
            if n == 1
            else "data flows ({}) but not whether they are network connections"
        )
        doc.p(
            f"The threat model describes {n} {what.format(ids)} (no protocol or port is given): no firewall rule can be "
            f"written from {'it' if n == 1 else 'them'}. See the questions at the end."
        )
    elif not plan.rules and not plan.network and not plan.unclear and not plan.people and not plan.multicast and m.flows:
        doc.p("The threat model describes no network connection: its data flows are local links or return traffic.")
    if plan.returns:
        doc.p(
            "Return traffic of another flow (no rule of its own): "
            + "; ".join(f"{fid} answers {req.id}" for fid, req in plan.returns.items())
            + "."
        )
    if plan.carried:
        doc.p(
            "Carried over another flow's connection, as the threat model says (no rule of its own): "
            + "; ".join(f"{fid} over {o.id}" for fid, o in plan.carried.items())
            + "."
        )
    if plan.same_segment:
        same: dict[str, list[str]] = {}
        for fl in plan.same_segment:
            a = plan.opener[fl.id].element
            b = fl.target if a == fl.source else fl.source
            same.setdefault(f"{f.name(a)} → {f.name(b)} ({netplan.port_label(fl)})", []).append(fl.id)
        doc.p("Within one segment (no rule between segments): " + "; ".join(f"{', '.join(ids)} {what}" for what, ids in same.items()) + ".")
    if plan.on_host:
        doc.p(
            "On one host, as the threat model says (no network firewall sees it): "
            + "; ".join(_on_host(f, plan, fl) for fl in m.flows if fl.id in plan.on_host)
            + "."
        )
    if plan.cellular:
        doc.p(
            "Over a cellular link, as the threat model says: the traffic leaves through the carrier's network, not the "
            "hospital's, so no firewall of the hospital sees or stops it and no rule is written for it: "
            + "; ".join(_on_host(f, plan, fl, plan.cellular) for fl in m.flows if fl.id in plan.cellular)
            + "."
        )
    if plan.eap:
        doc.p(
            "Through the authenticator (802.1X): the device speaks EAP over its link to the access point or switch it "
            "joins (EAPOL, no IP), which sends it on in RADIUS from its own address as the RADIUS client, so no rule names "
            "the device. Allow RADIUS from the hospital's access points, Wi-Fi controllers or switches (the model does not "
            "name them) to the RADIUS server: "
            + "; ".join(
                f"{fl.id} {f.name(fl.target if plan.eap[fl.id] == fl.source else fl.source)} → {f.name(plan.eap[fl.id])} "
                f"({plan.segment[plan.eap[fl.id]].name}; {netplan.short_protocol(fl.protocol)}"
                + (f", {ports}" if (ports := netplan.ports_text(fl)) else "")
                + ")"
                for fl in m.flows
                if fl.id in plan.eap
            )
            + "."
        )
    if plan.relayed:
        doc.p(
            "Through a relay: the device asks by broadcast on its own segment, which no router passes on; the router's "
            "DHCP relay (helper) on that segment sends the request on from its own address, so no rule names the device. "
            "Allow UDP 67 between the relay and the DHCP server, both ways: "
            + "; ".join(
                f"{fl.id} {f.name(fl.source)} ({plan.segment[fl.source].name}) → {f.name(fl.target)} ({plan.segment[fl.target].name})"
                for fl in plan.relayed
            )
            + "."
        )
    if plan.tunnelled:
        doc.p(
            "Carried inside a tunnel, as the threat model says: a firewall between segments sees the tunnel's own "
            "traffic, which its rule allows, not what the tunnel carries, so no rule of its own; the tunnel's own policy "
            "(at the end that terminates it) should let through only this: "
            + "; ".join(_tunnelled(f, plan, fl) for fl in m.flows if fl.id in plan.tunnelled)
            + "."
        )
    if plan.multicast:
        sent = [fl for fl in m.flows if fl.id in plan.multicast]
        # a monitor's waveforms sent to a group are the device's work, not discovery to allow or turn off
        what = f.group_traffic(sent)
        streams = what != "discovery"
        doc.p(
            f"Sent by broadcast or multicast ({what}): a "
            "router passes such traffic on only where it is set up to (multicast routing, a relay), so it reaches the hosts "
            "of one subnet, and no unicast rule between segments carries it. Place both ends on one subnet, or relay it "
            + (
                "between segments (a multicast router; for discovery, an mDNS or SSDP gateway where the hospital allows it):"
                if streams
                else "between segments (a multicast router, an mDNS or SSDP gateway) where the hospital allows discovery:"
            )
        )
        doc.bullets([netplan.multicast_note(f, plan, fl) + "." for fl in m.flows if fl.id in plan.multicast])
    if plan.people:
        doc.p(
            "A person is not a network endpoint, so no firewall rule is written for a flow with a person at one "
            "end. The model does not say which device the person uses:"
        )
        doc.bullets([netplan.person_note(f, fl) + "." for fl in plan.people])
    if plan.local:
        doc.p(
            "Not network traffic (local links, no firewall rule): "
            + "; ".join(f"{fl.id} {fl.name or netplan.short_protocol(fl.protocol)}" for fl in plan.local)
            + "."
        )

    doc.h("Trust zones and segments")
    _zone_table(doc, f, plan)

    doc.h("Infrastructure the device needs")
    stated = [n for n in plan.needs if n.stated_in]
    if stated:
        doc.table(
            ["Service", "What the model says", "Stated in"],
            [[n.title, "; ".join(_short_details(n.details)) or _NAMED_ONLY, ", ".join(n.stated_in[:5])] for n in stated],
            widths=[3.6, 6.4, 3.4],
        )
    else:
        doc.p("The threat model names no infrastructure service (directory, time, name resolution, logging).")

    doc.h("Controls expected of the hospital")
    _hospital_controls(doc, f)

    steps = _use_case_views(f, "deployment")
    configs = [a for a in m.assets if a.kind == "configuration"]
    if steps:
        doc.h("Installation and hardening steps")
        for v in steps:
            doc.p(v.name, bold_prefix="Use case:")
            doc.bullets(v.steps, numbered=True)
    if configs:
        doc.p(
            "Configuration to protect from change and keep a copy of: "
            + "; ".join(f"{a.name} ({'in ' + f.names(a.stored_in) if a.stored_in else 'where it is kept is not stated'})" for a in configs)
            + "."
        )

    doc.h("Questions for the device maker before go-live")
    if plan.questions:
        doc.bullets(plan.questions, numbered=True)
    else:
        doc.p(
            "None: the model states every port, who opens each connection, and the infrastructure it needs."
            if plan.rules
            else "None: no connection the threat model describes needs a rule in the hospital's firewalls."
        )
    return doc


def _flow_security(doc: Doc, f: Facts, flows: list[Flow]) -> None:
    """Each ruled connection's encryption and authentication, as the model states them ("not stated" where it is
    silent): an engineer needs them beside the rule (an allow-list by source address, a stream in clear that a
    segment must keep to itself), and they are the model's words, not the guide's."""
    if not flows:
        return
    doc.p("Encryption and authentication of these connections, as the threat model states them:")
    doc.table(
        ["Flow", "Encryption", "Authentication"],
        [[fl.id, transit_encryption(f, fl), _authentication(fl)] for fl in flows],
        widths=[1.4, 6.0, 6.0],
    )


def _on_host(f: Facts, plan: netplan.Plan, fl: Flow, said: dict[str, str] | None = None) -> str:
    """A flow listed apart with the model's words for why (*said*: on one host, over a cellular link)."""
    a = plan.opener[fl.id].element
    b = fl.target if a == fl.source else fl.source
    ports = netplan.ports_text(fl)
    return f"{fl.id} {f.name(a)} → {f.name(b)} ({ports + '; ' if ports else ''}“{(said or plan.on_host)[fl.id]}”)"


def _tunnelled(f: Facts, plan: netplan.Plan, fl: Flow) -> str:
    said, tunnels = plan.tunnelled[fl.id]
    a = plan.opener[fl.id].element
    b = fl.target if a == fl.source else fl.source
    what = " ".join(x for x in (netplan.short_protocol(fl.protocol) if fl.protocol else "", netplan.ports_text(fl)) if x)
    return f"{fl.id} {f.name(a)} → {f.name(b)} ({what + '; ' if what else ''}{topology.inside_what(tunnels)}; “{said}”)"


def _short_details(details: list[str]) -> list[str]:
    """At most three details, "used to authenticate" ones merged: "used to authenticate F-02, F-04"."""
    auth = [d.removeprefix("used to authenticate ") for d in details if d.startswith("used to authenticate ")]
    rest = [d for d in details if not d.startswith("used to authenticate ")][:2]
    return rest + ([f"used to authenticate {', '.join(auth[:4])}"] if auth else [])


def _network_picture(picture: Model) -> Callable[[Path], Path | None]:
    def draw(path: Path) -> Path | None:
        from mdptm.render.diagrams import view_diagram

        return view_diagram(picture, path)

    return draw


def _zone_table(doc: Doc, f: Facts, plan: netplan.Plan) -> None:
    """The trust zones sorted into segments, places that are not segments, and outside; one line each."""
    m = f.model
    if not m.trust_zones:
        doc.p("The threat model defines no trust zones; segments are read from the elements' places.")
        return
    groups: dict[str, list[str]] = {"Segments": [], "Not segments": [], "Outside the hospital": [], "Kind not stated": []}
    for z in m.trust_zones:
        info = topology.zone_kind(z)
        kind = topology.ZONE_KIND_WORDS.get(info.kind or "", NOT_STATED)
        how = "stated" if info.stated else "inferred from its description" if info.from_description else "inferred from its name"
        joined = [
            f"{e.name} {plan.segment[e.id].note.rsplit(' (', 1)[0]} and so sits on {plan.segment[e.id].name}"
            for e in m.elements
            if e.trust_zone == z.id and plan.segment[e.id].note
        ]
        text = f"{z.name} ({kind}, {how}" + ("; " + "; ".join(joined) if joined else "") + ")"
        if info.kind is None:
            groups["Kind not stated"].append(f"{z.name}: treated as a segment where its elements are in the hospital")
        elif info.kind in topology.NETWORK_KINDS:
            groups["Segments"].append(text)
        elif info.kind in topology.OUTSIDE_KINDS:
            groups["Outside the hospital"].append(text)
        else:
            groups["Not segments"].append(text)
    for label, items in groups.items():
        if items:
            doc.p("; ".join(items) + ".", bold_prefix=f"{label}:")


def _hospital_part(text: str) -> str:
    """The clauses of a shared control's description that name the hospital ("the hospital operates the
    RADIUS server"): what the hospital has to do, without the maker's part."""
    hit = topology.matcher(topology.network_terms().hospital_words)
    parts = [p.strip() for p in re.split(r"(?<=[.;])\s+", " ".join((text or "").split())) if p.strip()]
    mine = [p for p in parts if hit(p)]  # every such clause: the hospital's part may be in more than one
    out = " ".join(mine).rstrip(";,: ")
    if out and out[-1] not in ".!?)":  # a clause cut at its semicolon ends the cell as a sentence
        out += "."
    return out[0].upper() + out[1:] if out else ""


def _hospital_controls(doc: Doc, f: Facts) -> None:
    cc = _customer_controls(f)
    if cc:
        doc.table(
            ["Control", "Expected of", "The hospital's part"],
            [
                [
                    f"{c.id} {c.title}",
                    _EXPECTED_OF[c.responsibility],
                    _hospital_part(c.description) or _first_sentence(c.description) or "not described in the model",
                ]
                for c in cc
            ],
            widths=[5, 2.2, 6],
        )
    else:
        doc.p(
            "The threat model assigns no control to the hospital; it does not say that the hospital has nothing to "
            "provide. Ask the device maker what the device expects of the hospital before go-live."
        )
    optional = [
        c
        for c in f.model.controls
        if c.responsibility not in ("customer", "shared") and c.id not in f.void and customer_enabled(c.title, c.description)
    ]
    if optional:  # the maker's, but they protect only once the hospital turns them on
        doc.p(
            "These controls of the device maker protect only once the hospital turns them on; the device does not "
            "apply them by default: "
            + "; ".join(f"{c.id} {c.title} (“{customer_enabled(c.title, c.description)}”)" for c in optional)
            + ". Decide before go-live whether to enable them, and ask the device maker how.",
            style="note",
        )
    empty = [c for c in f.model.controls if c.responsibility in ("customer", "shared") and c.id in f.void]
    if empty:  # named for the hospital, but their text denies, defers or leaves out what the hospital is to do
        doc.p(
            "These controls name the hospital but describe nothing for it to do: "
            + "; ".join(f"{c.id} {c.title} (“{' '.join(c.description.split())[:80].rstrip('.')}”)" for c in empty)
            + ". Ask the device maker whether the hospital has a part in them.",
            style="note",
        )
    ca = _customer_assumptions(f)
    if ca:
        doc.p(
            "The threat analysis holds only if these are true in the hospital:"
            if all(a.responsibility for a in ca)
            else "The threat analysis holds only if these are true; the model does not say who ensures those so marked, "
            "so they may or may not fall to the hospital:"
        )
        doc.bullets([f"{a.id}: {a.text}" + ("" if a.responsibility else " (who ensures it is not stated)") for a in ca])
