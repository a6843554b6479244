"""Chapter 3, "What are we going to do about it?": the controls, what the hospital must do, residual risk."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable

from mdptm.documents import netplan
from mdptm.documents.ptm._shared import (
    LEVEL_ORDER,
    QUESTIONS,
    RESPONSIBILITY_TITLES,
    STATUS_TITLES,
    Chapter,
    TitledTable,
    _join_words,
    _security_text,
    _titled,
    label,
    plural,
)
from mdptm.model import CONTROL_CATEGORIES, Control, Flow, Threat, topology
from mdptm.model.evidence import responsibility_shown, status_text
from mdptm.model.vocabulary import category_title
from mdptm.render import diagrams
from mdptm.render.docir import PageBreak, Table


class MitigationChapter(Chapter):
    """Chapter 3."""

    def chapter_3(self) -> None:
        d, m, ix = self.doc, self.m, self.ix
        d.blocks.append(PageBreak())
        d.h("3 " + QUESTIONS[2], 1)
        d.h("3.1 Controls by FDA security control category", 2)
        d.p(
            f"{plural(len(m.controls), 'control')} address the threats of chapter 2. They are grouped by the security "
            "control categories of the FDA premarket cybersecurity guidance (Appendix 1)."
        )
        by_cat: dict[str, list[Control]] = defaultdict(list)
        for c in m.controls:
            by_cat[c.category].append(c)
        for cat in CONTROL_CATEGORIES:
            controls = by_cat.get(cat)
            if not controls:
                continue
            d.h(category_title(cat), 3)
            rows = [
                [
                    c.id,
                    _titled(c.title, c.description),
                    responsibility_shown(c, RESPONSIBILITY_TITLES.__getitem__),
                    status_text(c, label),
                    ", ".join(ix.threats_by_control.get(c.id, [])) or "—",
                ]
                for c in controls
            ]
            d.blocks.append(
                TitledTable(
                    ["ID", "Control", "Who", "Status", "Threats addressed"],
                    rows,
                    widths=[0.65, 3.6, 1.2, 1.0, 1.6],
                    bold_first_line=(1,),
                )
            )
        empty = [category_title(c) for c in CONTROL_CATEGORIES if c != "other" and not by_cat.get(c)]
        if empty:
            d.p("No control is listed in these categories: " + _join_words(empty) + ".", style="note")

        d.h("3.2 What the hospital must do", 2)
        yours = [c for c in m.controls if c.responsibility in ("customer", "shared")]
        if yours:
            d.p(
                "These controls depend on the hospital, alone or together with the manufacturer. The threats they "
                "address are only handled as described if they are in place."
            )
            rows = [
                [
                    c.id,
                    _titled(c.title, c.description),
                    RESPONSIBILITY_TITLES[c.responsibility],
                    ", ".join(ix.threats_by_control.get(c.id, [])) or "—",
                ]
                for c in yours
            ]
            d.blocks.append(
                TitledTable(
                    ["ID", "What you must do", "Who", "Threats that depend on it"],
                    rows,
                    "Controls the hospital provides or shares",
                    widths=[0.65, 4.2, 1.2, 1.6],
                    bold_first_line=(1,),
                )
            )
        else:
            d.p(  # silence is not "nothing to do": a control with no stated owner reads as the maker's
                "The threat model assigns no control to the hospital; it does not say that the hospital has nothing "
                "to provide. Ask the device maker what the device expects of the hospital."
            )
        hospital_assumptions = [a for a in m.assumptions if a.responsibility in ("customer", "shared")]
        if hospital_assumptions:
            d.p("The analysis also assumes that:")
            d.bullets([f"{a.text} ({a.id})" for a in hospital_assumptions])
        self._network_table()

        d.h("3.3 Residual risk", 2)
        self._residual()

    def _opened_by(self) -> Callable[[Flow], str]:
        """Which end opens each connection, as far as the model says: its ``initiator``, its own words, its
        outbound-only design or a client end; "not stated" where only the flow's name or the order of its ends
        would say (the deployment guide marks and asks about those)."""
        m, ix = self.m, self.ix
        terms = topology.place_terms()
        placed = topology.places(m, terms.locations, terms.element_kinds)
        design = topology.outbound_only_design(m)

        def where(e: str) -> topology.Place:
            return placed.get(e, "unknown")

        def said(who: topology.Initiator) -> str:
            name = ix.elements[who.element].name if who.element in ix.elements else who.element
            if who.basis in ("stated", "text", "design"):
                return name
            if who.basis == "kind":
                return f"{name} (a client)"
            if who.basis == "name":
                return f"not stated (its name suggests {name})"
            return "not stated"

        def opened(f: Flow) -> str:
            who = topology.initiator(f, ix.elements, ix.zones, where, design)
            # a port whose own words say where it goes ("162/udp (traps to the NMS)"): per port, as the guide's rules
            per_port = topology.port_openers(f, ix.elements, ix.zones)
            roles = topology.port_roles(f)  # SNMP's 161 and 162, no end named the manager: each port's role, no guess
            if roles and not set(roles) & set(per_port):
                return "; ".join(f"not stated, by the standard {role} ({netplan.port_words(f, n)})" for n, role in roles.items())
            if not per_port:
                return said(who)
            parts: dict[str, list[str]] = {}
            for p in topology.parse_ports(f.port, f.protocol):
                parts.setdefault(said(per_port.get(p.number, who)), []).append(str(p))
            if len(parts) == 1:
                return next(iter(parts))
            return "; ".join(f"{text} ({', '.join(ports)})" for text, ports in parts.items())

        return opened

    def _network_table(self) -> None:
        ix = self.ix
        rows = []
        people: list[str] = []
        local: list[str] = []
        on_host: list[str] = []
        cellular: list[str] = []  # over the device's own cellular link: no hospital firewall sees it
        eap: list[str] = []  # a device's EAP drawn to the RADIUS server: the authenticator sends the RADIUS
        tunnelled: dict[str, list[str]] = {}  # flow id -> the tunnel flows it runs inside
        # a flow riding on another's connection ("Delivered over the connection of F-06"): no connection of its own
        riding = {fid: o.id for fid, o in netplan.carried_legs(self.m.flows).items()}
        carried: list[str] = []
        silent: list[str] = []
        opened = self._opened_by()
        # flows needing one firewall rule (same opening end, other end, transport and port): said below the table
        same_rule: dict[tuple[str, str, frozenset[tuple[str | None, str]]], list[str]] = {}
        place_terms = topology.place_terms()
        placed = topology.places(self.m, place_terms.locations, place_terms.element_kinds)
        design = topology.outbound_only_design(self.m)
        for f in self.m.flows:
            a, b = ix.elements.get(f.source), ix.elements.get(f.target)
            if a is None or b is None or (a.trust_zone == b.trust_zone and a.trust_zone is not None):
                continue
            if topology.is_person(a) or topology.is_person(b):  # a person has no address a firewall rule can name
                people.append(f.id)
                continue
            ends = (a.name, b.name)
            if topology.transport(f, ends=ends) == "local":  # BLE, USB, the Wi-Fi association: no firewall sees it
                local.append(f.id)
                continue
            if topology.loopback(f, ends=ends):  # "local to the server", an ALPC channel: within one host
                on_host.append(f.id)
                continue
            if topology.cellular(f, ends=ends):  # "HTTPS over LTE": through the carrier's network, not the hospital's
                cellular.append(f.id)
                continue
            if topology.eap_to_radius(f, ix.elements):  # 802.1X: the access point or switch is the RADIUS client
                eap.append(f.id)
                continue
            if f.id in riding:
                carried.append(f"{f.id} over {riding[f.id]}")
                continue
            inside = topology.tunnelled(f, self.m.flows)
            if inside[0]:  # remote desktop inside the maker's IPsec tunnel: the firewall sees the tunnel
                tunnelled[f.id] = inside[1]
                continue
            if not (f.protocol or f.port):
                silent.append(f.id)
                continue
            ports = frozenset((p.transport, p.number) for p in topology.parse_ports(f.port, f.protocol))
            relayed = topology.relayed(f)
            cast = topology.multicast(f, ends=ends)
            if ports and not relayed and not cast and not topology.port_openers(f, ix.elements, ix.zones):
                who = topology.initiator(f, ix.elements, ix.zones, lambda e: placed.get(e, "unknown"), design).element
                same_rule.setdefault((who, f.target if who == f.source else f.source, ports), []).append(f.id)
            za = ix.zones[a.trust_zone].name if a.trust_zone in ix.zones else "—"
            zb = ix.zones[b.trust_zone].name if b.trust_zone in ix.zones else "—"
            rows.append(
                [
                    f.id,
                    ix.route(f),
                    f"{za} {'↔' if f.bidirectional else '→'} {zb}",
                    # discovery sent to a multicast group or broadcast: no end opens a connection, one subnet only
                    "none: broadcast or multicast, one subnet only"
                    if cast
                    # DHCP between two zones: the device's request is a broadcast; a relay sends it on from its own address
                    else "a DHCP relay (the client's request is a broadcast)"
                    if relayed
                    and all(
                        z in ix.zones and topology.zone_kind(ix.zones[z]).kind in topology.NETWORK_KINDS
                        for z in (a.trust_zone, b.trust_zone)
                    )
                    else opened(f),
                    f.protocol or "—",
                    # no port: the transport its protocol implies still tells the engineer TCP or UDP ("https": TCP)
                    f.port or (f"not stated ({t})" if (t := topology.implied_transport(f.protocol)) else "—"),
                    _security_text(f.encryption),
                ]
            )
        if rows:
            unzoned = any("—" in r[2].split(" ") for r in rows)
            self.doc.table(
                ["Flow", "Between", "Trust zones", "Opened by", "Protocol", "Port", "Encryption"],
                rows,
                caption=(
                    "Connections that cross a trust-zone boundary (for firewall rules and segmentation)"
                    if not unzoned
                    else "Connections that cross a trust-zone boundary or whose ends' trust zones are not stated "
                    "(—: the model places that end in no zone), for firewall rules and segmentation"
                )
                # the arrow is the way the model draws the data; a firmware download drawn from the cloud is
                # opened from the hospital: a rule written from the arrow would be an inbound rule from the internet
                + "; the arrow shows which way the data moves; Opened by, which end opens the connection, where the model "
                "says so (see the deployment guide)",
                widths=[0.6, 2.0, 1.8, 1.3, 1.3, 0.6, 0.8],
            )
        for ids in (ids for ids in same_rule.values() if len(ids) > 1):
            self.doc.p(
                f"{', '.join(ids[:-1])} and {ids[-1]} need no more than one firewall rule between them: the same end opens each "
                "to the same other end, on the same transport and port (see the deployment guide).",
                style="note",
            )
        if people:
            self.doc.p(
                f"Not listed for firewall rules: {', '.join(people)}, with a person at one end; a person is not a network "
                "endpoint (see the deployment guide).",
                style="note",
            )
        if local:
            self.doc.p(
                f"Not listed for firewall rules: {', '.join(local)}: local links (USB, Bluetooth, the Wi-Fi association), "
                "not network traffic a firewall sees.",
                style="note",
            )
        if silent:  # crossing a boundary, but no protocol or port: not a row an engineer can write a rule from
            self.doc.p(
                f"Not listed: {', '.join(silent)}, for which the threat model states neither protocol nor port (see the "
                "deployment guide's questions).",
                style="note",
            )
        if on_host:
            self.doc.p(
                f"Not listed for firewall rules: {', '.join(on_host)}, which the threat model keeps on one host (see the "
                "deployment guide).",
                style="note",
            )
        if cellular:
            self.doc.p(
                f"Not listed for firewall rules: {', '.join(cellular)}, over a cellular link, as the threat model says: "
                "through the carrier's network, not the hospital's (see the deployment guide).",
                style="note",
            )
        if eap:
            self.doc.p(
                f"Not listed for firewall rules: {', '.join(eap)}, a device's EAP (802.1X) drawn to the RADIUS server: the "
                "access point or switch it joins sends the RADIUS from its own address (see the deployment guide).",
                style="note",
            )
        if carried:
            self.doc.p(
                f"Not listed for firewall rules: {', '.join(carried)}, carried over another flow's connection, as the threat "
                "model says (see the deployment guide).",
                style="note",
            )
        if tunnelled:
            self.doc.p(
                "Not listed for firewall rules: "
                + ", ".join(f"{fid} ({topology.inside_what(ts)})" for fid, ts in tunnelled.items())
                + ", carried inside a tunnel, as the threat model says; a firewall sees the tunnel, not what it carries "
                "(see the deployment guide).",
                style="note",
            )

    def _residual(self) -> None:
        d, m = self.doc, self.m
        pic = self._figure("risk-heat-map", lambda path: diagrams.risk_heat_map(m.threats, path))
        if pic is not None:
            w, _ = diagrams.png_size_cm(pic)
            d.image(
                pic,
                f"Risk heat map: number of threats per likelihood and severity, {diagrams.heat_map_phases(m.threats)}",
                width_cm=min(16.0, w),
            )
        elif m.threats:
            d.p("The model does not rate threats by likelihood and severity, so no risk heat map can be drawn.", style="note")
        levels = Counter((t.residual_risk.level if t.residual_risk else None) for t in m.threats)
        rated = {k: v for k, v in levels.items() if k}
        if rated:
            parts = [f"{rated[k]} {k}" for k in ("critical", "high", "medium", "low") if rated.get(k)]
            unrated = levels.get(None, 0)
            d.p(
                "Residual risk after controls: "
                + ", ".join(parts)
                + "."
                + (
                    f" {plural(unrated, 'threat')} has no residual rating."
                    if unrated == 1
                    else f" {unrated} threats have no residual rating."
                    if unrated
                    else ""
                )
            )
        elif m.threats:
            d.p("The model gives no residual risk ratings.", style="note")

        def weight(t: Threat) -> int:
            return LEVEL_ORDER.get((t.residual_risk.level if t.residual_risk else None) or "", 0)

        ranked = [
            (-weight(t), i, t)
            for i, t in enumerate(m.threats)
            if t.status in ("open", "accepted", "transferred", "partially_mitigated") or weight(t) >= 2
        ]
        if not ranked:
            if m.threats:
                d.p("Every threat is mitigated and no residual risk is rated medium or higher.")
            return
        ranked.sort(key=lambda x: (x[0], x[1]))
        notable = [t for _, _, t in ranked]
        rows: list[list[str]] = []
        fills: dict[tuple[int, int], str] = {}
        for t in notable:
            level = t.residual_risk.level if t.residual_risk else None
            colour = diagrams.level_colour(level)
            if colour:
                fills[(len(rows), 2)] = colour
            rows.append(
                [
                    t.id,
                    t.title,
                    label(level) or "not rated",
                    STATUS_TITLES[t.stated_status()],
                    t.rationale or ("Controls: " + ", ".join(t.controls) if t.controls else "No control listed"),
                ]
            )
        d.p(
            "The threats below keep a residual risk rated medium or higher, or are not fully mitigated. "
            "Read them with your own environment in mind."
        )
        d.blocks.append(
            Table(
                ["ID", "Threat", "Residual risk", "Status", "Rationale"],
                rows,
                "Threats with remaining risk",
                widths=[0.65, 2.8, 1.0, 1.1, 3.0],
                fills=fills,
            )
        )
