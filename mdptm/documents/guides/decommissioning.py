"""The decommissioning guide: data on every element, what to retrieve, credentials to revoke, access to remove."""

from __future__ import annotations

import re

from mdptm.documents import netplan
from mdptm.documents.guides._shared import _new_doc, _sentences, _use_case_views, _words
from mdptm.documents.guides.credentials import credentials
from mdptm.documents.guides.facts import NOT_STATED, Facts
from mdptm.model import Asset, Element, Flow, topology
from mdptm.render.docir import Doc

# ------------------------------------------------------------------------------ decommissioning


def decommissioning(f: Facts) -> Doc:
    m = f.model
    nt = topology.network_terms()
    doc = _new_doc(
        f,
        "decommissioning",
        f"Retiring {m.product.name}, or sending a unit away for service: where data lives on every element "
        "(servers and backups included), what to retrieve first, the credentials to revoke, and the network "
        "access to remove.",
    )
    doc.h("Data on every element")
    rows = _data_rows(f, nt)
    if rows:
        doc.table(["Element", "Where", "Data held", "How to erase it"], rows, widths=[3.4, 2.2, 4.4, 4.4])
    else:
        doc.p("The threat model names no asset that holds data or secrets.")
    silent = _silent_parts(f)
    if silent:  # "data on every element": a part with no row is not one that holds nothing
        doc.p(
            "The threat model names no data kept on "
            + ", ".join(e.name for e in silent)
            + (
                ": it does not say that it keeps none. Ask the device maker whether it keeps any"
                if len(silent) == 1
                else ": it does not say that they keep none. Ask the device maker whether they keep any"
            )
            + " (logs, caches, configuration, credentials) and how to erase it when the device is retired.",
            style="note",
        )
    if m.support.data_disposal:
        doc.p(m.support.data_disposal, bold_prefix="Device maker's erasure procedure:")

    doc.h("Devices returned for service or repair")
    service_return = topology.matcher(nt.service_return_terms)
    back = _sentences(f, service_return, [*m.assumptions, *m.controls, *m.views, *m.assets])
    # the maker's own disposal term ("Units returned for repair are wiped by the service tool") says it too
    said = topology.first_sentence_with(m.support.data_disposal or "", service_return)
    if said:
        back.insert(0, ("the device maker's erasure procedure", said))
    if back:
        doc.bullets([f"{s} ({i})" for i, s in back[:4]])
    else:
        doc.p(
            "The threat model does not say what happens to data on a unit sent for repair or exchange: ask the "
            "device maker whether it must be erased first and who erases it."
        )

    doc.h("Data to retrieve first")
    retrieve = [a for a in holding_assets(f) if a.kind in f.terms.retrieve_assets]
    if retrieve:
        doc.bullets(
            [
                f"{a.name} ({_words(a.kind)}) from {f.names(a.stored_in)}"
                if a.stored_in
                else f"{a.name} ({_words(a.kind)}; where it is kept is not stated)"
                for a in retrieve
            ]
        )
    else:
        doc.p("The threat model names no patient data, logs or configuration to export before erasing.")

    doc.h("Credentials to revoke")
    revoke = _revocations(f, nt)
    if revoke:
        doc.bullets(revoke)
    else:
        doc.p("The threat model names no credential the hospital holds or issues.")

    doc.h("Network access to remove")
    plan = netplan.build(f)
    if plan.rules:
        _rules_to_remove(doc, f, plan)
    elif not m.flows:
        doc.p(
            "The threat model describes no data flow, so it does not show which network access the device has: "
            "ask the device maker, and remove every rule and account the hospital set up for it."
        )
    elif plan.unclear:
        doc.p(
            "The threat model does not say which of its data flows are network connections (no protocol or port): "
            "ask the device maker which network access to remove, and remove every rule the hospital set up for it."
        )
    elif plan.outside and not (plan.same_segment or plan.local or plan.people or plan.on_host or plan.multicast):
        doc.p(
            "The connections the threat model describes run between systems outside the hospital ("
            + ", ".join(fl.id for fl in plan.outside)
            + "): no firewall rule of the hospital follows from them."
        )
    elif not plan.multicast:
        doc.p("No connection in the model crosses a network segment.")
    if plan.multicast:  # no rule carries group traffic; a relay the hospital set up for it is access to remove
        ids = ", ".join(plan.multicast)
        what = f.group_traffic([fl for fl in f.model.flows if fl.id in plan.multicast])
        doc.p(
            f"Traffic sent by broadcast or multicast ({what}: {ids}) has no firewall rule: where the hospital "
            "relays it between segments (a multicast router, an mDNS or SSDP gateway), remove that relay when the whole "
            "system is retired."
        )
    if plan.cellular:  # no hospital rule to remove: the link is the device's own
        doc.p(
            "Connections over a cellular link ("
            + "; ".join(f"{fl.id} {fl.name or ''}, “{plan.cellular[fl.id]}”".replace("  ", " ") for fl in m.flows if fl.id in plan.cellular)
            + ") have no firewall rule of the hospital to remove; the threat model does not say how that link is ended "
            "when a unit leaves: ask the device maker."
        )
    if plan.tunnelled:  # no rule of their own, but the tunnel's policy lets them through: access all the same
        doc.p(
            "Connections carried inside a tunnel have no firewall rule of their own: when the whole system is retired, "
            "remove them from the tunnel's own policy, and the tunnel where nothing else uses it: "
            + "; ".join(
                f"{fl.id} {fl.name or ''} ({topology.inside_what(plan.tunnelled[fl.id][1])})".replace("  ", " ")
                for fl in m.flows
                if fl.id in plan.tunnelled
            )
            + "."
        )
    for v in _use_case_views(f, "decommissioning"):
        doc.p(v.name, bold_prefix="Use case:")
        doc.bullets(v.steps, numbered=True)
    return doc


def _rules_to_remove(doc: Doc, f: Facts, plan: netplan.Plan) -> None:
    """The firewall rules to remove: when one unit of the device leaves, only those with a unit at one end (and
    those only for its own address); the rules the servers and gateways need for the other units are kept until
    the whole system is retired. A model with no element on the device lists them all, for the system's retirement."""
    m = f.model
    ruled_ids = {r.flow.id for r in plan.rules}
    ruled = [fl for fl in m.flows if fl.id in ruled_ids]

    # flows that ask for the same rule (telemetry and the commands on the same subscription): one entry, both named
    twins = {fid: group for group in plan.same_rules() for fid in group}

    def listed(flows: list[Flow]) -> str:
        out: list[str] = []
        done: set[str] = set()
        for fl in flows:
            if fl.id in done:
                continue
            group = [o for o in flows if o.id in twins.get(fl.id, [fl.id])]
            done.update(o.id for o in group)
            if len(group) == 1:
                out.append(f"{fl.id} {fl.name} ({netplan.port_label(fl)})")
            else:
                names = [f"{o.id} {o.name}" for o in group]
                out.append(f"{', '.join(names[:-1])} and {names[-1]} (one rule: {netplan.port_label(fl)})")
        return "; ".join(out)

    # a rule between two of the hospital's own systems (its Wi-Fi and its RADIUS server): other devices may need it; an
    # external system outside the hospital (the device maker's cloud portal) is not the hospital's
    def hospitals(e: str) -> bool:
        return getattr(f.elements.get(e), "kind", None) in _HOSPITAL_KINDS and f.stated_where(e) != "outside"

    theirs = [fl for fl in ruled if hospitals(fl.source) and hospitals(fl.target)]
    system = [fl for fl in ruled if fl not in theirs]
    infra = (
        f"The rules between two of the hospital's own systems ({listed(theirs)}) may serve other devices too: remove them "
        "only where none needs them."
        if theirs
        else ""
    )
    # the device's units: its devices and hardware, and whatever the model places on the device (a physical zone)
    units = {e.id for e in m.elements if e.kind in ("device", "hardware") or f.where(e.id) == "device"}
    if not units:
        if system:
            doc.p(f"Remove the firewall rules of the deployment guide for: {listed(system)}.")
        if infra:
            doc.p(infra)
        return
    own = [fl for fl in ruled if units & {fl.source, fl.target}]
    shared = [fl for fl in ruled if fl not in own]
    doc.p("When one unit is retired or sent away for service:")
    lines = []
    if own:
        lines.append(
            f"The rules with a unit at one end: {listed(own)}. Remove this unit from them where the hospital names units "
            "one by one (its address); a rule written for the unit's whole segment stays while other units use it."
        )
    else:
        inside = [fl.id for fl in plan.same_segment if units & {fl.source, fl.target}]
        lines.append(
            "No firewall rule of the deployment guide has a unit at one end"
            + (f": the units' connections ({', '.join(inside)}) stay within one segment" if inside else "")
            + "."
        )
    if shared:
        lines.append(
            f"Keep the rules the other units and the systems that serve them still need: {listed(shared)}. They name no "
            "unit, so they are not the leaving unit's own."
        )
    doc.bullets(lines)
    if system:
        doc.p(f"When the whole system is retired, remove the firewall rules of the deployment guide for: {listed(system)}.")
    if infra:
        doc.p(infra)


_PARTS = ("software", "process", "hardware", "mobile_app")
_HOSPITAL_KINDS = frozenset({"external_entity", "network"})  # the hospital's systems the device uses, not its parts


def _silent_parts(f: Facts) -> list[Element]:
    """The device's own parts the model places in the hospital or on the device and names no data on: the
    software, processes, hardware and apps without a row in "Data on every element" (data stores and devices
    always have one; the hospital's own systems, external entities, are not the device's to retire)."""
    held = {e for a in holding_assets(f) for e in a.stored_in}
    return [e for e in f.model.elements if e.kind in _PARTS and e.id not in held and f.stated_where(e.id) in ("hospital", "device")]


def holding_assets(f: Facts) -> list[Asset]:
    """Every asset that holds data or secrets: by kind, by a confidentiality rating, or by a disposal rule."""
    kinds = set(f.terms.data_assets)
    return [a for a in f.model.assets if a.kind in kinds or a.confidentiality in ("medium", "high") or a.disposal]


# Elements listed even where the model names no data on them: a data store holds data by definition, and a
# device is what the hospital retires or sends away (its settings, logs and credentials are on it).
_ALWAYS_LISTED = {
    "data_store": "A data store for which the model names no data: ask the device maker what it holds.",
    "device": "The model names no data kept on this device: ask the device maker what it keeps (patient data, logs, "
    "configuration, credentials) and how to erase it.",
}


def _data_rows(f: Facts, nt: topology.NetworkTerms) -> list[list[str]]:
    """One row per element that holds data: its assets and how to erase them; every data store and every
    device even where the model names no asset; backups where the model mentions them."""
    m = f.model
    held = holding_assets(f)
    rows: list[list[str]] = []
    by_element: dict[str, list[Asset]] = {}
    for a in held:
        for eid in a.stored_in:
            by_element.setdefault(eid, []).append(a)
    for e in m.elements:
        assets = by_element.get(e.id, [])
        if not assets and e.kind not in _ALWAYS_LISTED:
            continue
        hows = {a.name: _disposal_on(f, a, e) for a in assets}
        how = next(iter(hows.values())) if len(set(hows.values())) == 1 else " ".join(f"{n}: {h.rstrip('.;')}." for n, h in hows.items())
        rows.append(
            [
                e.name,
                f.where_words(e.id),
                ", ".join(a.name for a in assets) or "not stated",
                how or _ALWAYS_LISTED[e.kind],
            ]
        )
    backups = _sentences(f, topology.matcher(nt.backup_terms), [*m.controls, *m.assumptions, *m.elements])
    if backups:
        ids = ", ".join(i for i, _ in backups[:3])
        rows.append(
            [
                f"Backups and copies ({ids})",
                "not stated",
                "the same data as the systems they copy",
                "Destroy or erase every backup and offline copy as well; the model does not say how.",
            ]
        )
    return rows


_STOP = frozenset(
    {"the", "and", "for", "with", "from", "data", "hospital", "service", "system", "device", "server", "app", "tool", "module", "unit"}
)


def _disposal_on(f: Facts, a: Asset, e: Element) -> str:
    """The part of an asset's disposal rule about this element ("Pump: ... Server: ..." → the pump's part),
    found by the words of the element's name that the product name does not share, with the parts that name no
    other place of the data; the whole rule when the asset is kept in this element alone. A rule for an asset
    kept in several places that names none of its words is not said to be this element's: it is quoted as the
    model's rule ("Pump logs are erased by Decommission" is not how the maker's cloud log service erases them)."""
    text = _disposal(f, a)
    if not a.disposal:
        return text
    places = [x for x in a.stored_in if x in f.elements]
    if len(places) <= 1:  # kept here alone: the whole rule is this element's ("… ; the hospital then revokes …")
        return text
    rx = _words_rx(f, e, a)
    parts = [p.strip() for p in re.split(r"(?<=[.;])\s+", text) if p.strip()]
    if rx is not None and any(rx.search(p) for p in parts):
        # its own parts, and the parts that name no other place of the data ("Service certificates expire after
        # 8 hours"), which speak of the data wherever this element's own part is
        others = [o for x in places if x != e.id and (o := _words_rx(f, f.elements[x], a)) is not None]
        kept = " ".join(p for p in parts if rx.search(p) or not any(o.search(p) for o in others))
        return re.sub(r"[;,]$", ".", kept)  # a clause cut at its semicolon ends as a sentence
    return f"the model's rule for this data, not said to be for {e.name}: “{text.rstrip('.')}”"


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z][a-z0-9-]{2,}", text.lower()))


def _words_rx(f: Facts, e: Element, a: Asset) -> re.Pattern[str] | None:
    """The words that name *e* in a disposal rule: of its name and its zone's, not shared with the asset's name
    ("Meridian fleet log service" is not named by "Pump logs"), nor with the product's where another element's name
    has the word too ("Vantage" of "Vantage Connect server" and "Vantage LVP pump"); a product word only this element
    bears names it ("On the pump: …" is the Pump's part in "Nimbus Smart Pump", "The console's SSD …" the MR-3
    console's in "Aurora MR-3 Console")."""
    zone = f.zone_of(e.id)
    others = {w for o in f.model.elements if o.id != e.id for w in words(o.name)}
    shared_product = words(f.model.product.name) & others
    own = (words(e.name) | (words(zone.name) if zone is not None else set())) - _STOP - shared_product - words(a.name)
    own = {w for w in own if w.rstrip("s") not in {x.rstrip("s") for x in words(a.name)}}
    for kind_word in {"data_store": ("database",), "software": ("server",), "mobile_app": ("tablet", "app")}.get(e.kind, ()):
        own.add(kind_word)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(own)) + r")s?\b", re.IGNORECASE) if own else None


def _disposal(f: Facts, a: Asset) -> str:
    if a.disposal:
        return a.disposal
    if a.kind in f.terms.secret_assets:
        return "revoke it (see below), then erase it; how to erase is not stated"
    return "not stated: ask the device maker"


def _revocations(f: Facts, nt: topology.NetworkTerms) -> list[str]:
    """Credentials that matter to the hospital: those it issues or holds, and its accounts at outside
    services. Tokens that expire within hours and keys only the device maker holds are left out."""
    m = f.model
    out = []
    for c in credentials(f, nt):
        if c.short_lived or c.maker_held or not c.hospital_side:
            continue
        who = f" (issued by {c.issuer})" if c.issuer != NOT_STATED else ""
        ask = " Ask the device maker to revoke it." if c.issuer == "the device maker" else ""
        use = c.used_for if c.used_for.startswith("held ") else f"used for {c.used_for}"
        out.append(f"{c.what}{who}: {use}.{ask}")
    hospital_data = {a.id for a in m.assets if a.kind in f.terms.retrieve_assets}
    holders = {e for a in m.assets if a.id in hospital_data for e in a.stored_in}
    holders |= {fl.target for fl in m.flows if hospital_data.intersection(fl.data) and f.where(fl.source) != "outside"}
    out += [
        f"The hospital's account and data at {f.endpoint(e.id)}: ask the device maker to close the account and confirm deletion."
        for e in m.elements
        if e.id in holders and f.where(e.id) == "outside"
    ]
    return out
