"""The operations guide: security events, monitoring, patching, credentials, incidents and accepted risks."""

from __future__ import annotations

import re

from mdptm.documents import netplan
from mdptm.documents.guides._shared import (
    ASK,
    _control_label,
    _customer_controls,
    _first_sentence,
    _left_out_rating,
    _most_severe,
    _new_doc,
    _port,
    _risk_level,
    _run_by,
    _sentences,
    _words,
)
from mdptm.documents.guides.credentials import credentials
from mdptm.documents.guides.facts import NOT_STATED, Facts
from mdptm.model import Asset, Control, Flow, Threat, topology
from mdptm.model.evidence import not_in_place
from mdptm.render.docir import Doc

# ----------------------------------------------------------------------------------- operations


RISK_ROWS = 12  # accepted risks shown in the operations guide, the most severe first


def operations(f: Facts) -> Doc:
    m = f.model
    nt = topology.network_terms()
    doc = _new_doc(
        f,
        "operations",
        f"Running {m.product.name} day to day: the security events it records and where they go, what to "
        "monitor, how it is patched, how its certificates and credentials are renewed and revoked, whom to call "
        f"in an incident and what to do first, and {_risks_phrase(m.threats)}.",
    )
    doc.h("Security events and where they go")
    _log_events(doc, f, nt)

    doc.h("What to monitor")
    _monitoring(doc, f, nt)

    doc.h("Patching and support")
    _patching(doc, f)

    doc.h("Certificates and credentials")
    _credentials(doc, f, nt)

    doc.h("Incidents: contacts and first steps")
    _incidents(doc, f, nt)

    scans = _scan_statements(f, nt)
    if scans:
        doc.h("Network vulnerability scans")
        doc.bullets(scans)

    doc.h(_risks_phrase(m.threats, heading=True))
    _accepted_risks(doc, f)
    return doc


_ADVERB = re.compile(r"^\W*(?:\w+ly\s+)?", re.IGNORECASE)


def records(c: Control, nt: topology.NetworkTerms) -> bool:
    """Whether *c* records or monitors events: a recording term in its title or, when the title has none
    and does not name a handling of logs, in its description. A title that opens with a verb handling the
    logs ("Encrypt logs …", "Regularly back up logs") records nothing unless it also records or monitors."""
    title = c.title or ""
    handles = topology.matcher(nt.log_handling_verbs)
    opening = _ADVERB.sub("", title)
    if handles(" ".join(opening.split()[:2])):  # its first words (a verb may take two: "back up")
        return topology.matcher([t for t in nt.recording_terms if t.casefold() not in ("log", "logs")])(title)
    hit = topology.matcher(nt.recording_terms)
    return hit(title) or hit(c.description or "")


def _log_events(doc: Doc, f: Facts, nt: topology.NetworkTerms) -> None:
    m = f.model
    handled = [c for c in m.controls if c.category == "event_logging"]
    logging = [c for c in handled if records(c, nt)]
    logs = [a for a in m.assets if a.kind == "log"]
    retention = re.compile("|".join(nt.retention_patterns), re.IGNORECASE) if nt.retention_patterns else None
    keeps = _sentences(f, lambda s: bool(retention and retention.search(s)), [*logs, *handled, *m.elements])
    if logging:
        doc.table(
            ["What is recorded", "Details", "Run by"],
            [[_control_label(c), _first_sentence(c.description) or NOT_STATED, _run_by(c)] for c in logging],
            widths=[4.5, 7, 2.5],
        )
    if logs:
        doc.table(
            ["Log", "Kept in", "Sent to (protocol, port)"],
            [[a.name, f.names(a.stored_in), _log_destinations(f, a)] for a in logs],
            widths=[3.5, 4.5, 6],
        )
    if not logs and not logging:
        others = [c for c in handled if c not in logging]
        doc.p(
            "The threat model names no log and no logging control: ask the device maker what the device records "
            "and how the hospital can collect it."
            if not others
            else "The threat model names no log and no control that records events (only "
            + "; ".join(_control_label(c) for c in others[:3])
            + (f" and {len(others) - 3} more" if len(others) > 3 else "")
            + ", which handle logs): ask the device maker what the device records and how the hospital can collect it."
        )
        return
    fmt = topology.matcher(nt.format_terms)
    formats = _sentences(f, fmt, [*logging, *logs])
    if keeps:
        doc.p("; ".join(f"{s.rstrip('.')} ({i})" for i, s in keeps[:3]) + ".", bold_prefix="Retention:")
    else:
        doc.p("How long logs are kept is not stated: ask the device maker.", bold_prefix="Retention:")
    if not formats and not any(fmt(fl.protocol or "") for fl in m.flows if set(fl.data) & {a.id for a in logs}):
        doc.p("The format in which events are sent is not stated: ask the device maker.", bold_prefix="Format:")


def _log_destinations(f: Facts, a: Asset) -> str:
    """The flows that carry log *a*; where none lists it, a flow drawn from one place the model keeps it to another
    ("Audit log forwarding" from the console to the syslog collector, both keeping the audit log) is named as one
    that may, not said to carry nothing: the model does not list the log among that flow's data."""
    flows = [fl for fl in f.model.flows if a.id in fl.data]
    if not flows:
        kept = set(a.stored_in)
        between = [fl for fl in f.model.flows if fl.source in kept and fl.target in kept and fl.source != fl.target]
        if between:
            return (
                "no flow lists it among its data; drawn between two places that keep it: "
                + "; ".join(f"{fl.id} {fl.name or ''} to {_log_destination(f, a, fl)}".replace("  ", " ") for fl in between)
                + " (ask the device maker whether it carries it)"
            )
        return "no flow in the model carries it"
    return "; ".join(_log_destination(f, a, fl) for fl in flows)


def _log_destination(f: Facts, a: Asset, fl: Flow) -> str:
    """Where *fl* takes the log *a*: its target as drawn; a flow drawn both ways runs "between" its ends. The
    sample's USB service session is drawn from the service tool to the pump, both ways, and carries the pump's
    logs: "sent to the pump" said the logs go to the device that writes them. Where a log is kept does not say
    which way it moves (the pump keeps what it writes, the fleet log service what it receives)."""
    via = f"{netplan.short_protocol(fl.protocol)}" + (f", {netplan.ports_text(fl)}" if netplan.ports_text(fl) else "")
    if fl.bidirectional:
        return f"between {f.name(fl.source)} and {f.name(fl.target)} ({via}; the model draws the flow both ways)"
    leaves = f.leaves_hospital(fl) and f.stated_where(fl.target) == "outside"
    return f"{f.name(fl.target)} ({via})" + (", leaves the hospital" if leaves else "")


def _perimeter_port(fl: Flow) -> str:
    """A flow of no parsed port at the perimeter: its protocol with the transport it implies ("https, TCP, port not
    stated"), else what the model writes."""
    said = netplan.no_port(fl)
    if said == "not stated" or (fl.port and fl.port.strip()):
        return _port(fl)
    return f"{fl.protocol}, {said}" if fl.protocol else said


def _monitoring(doc: Doc, f: Facts, nt: topology.NetworkTerms) -> None:
    m = f.model
    hit = topology.matcher(nt.detective_terms)
    detective = [c for c in m.controls if (c.category == "event_logging" and records(c, nt)) or hit(c.title)]
    if detective:
        rows = []
        for c in detective:
            threats = [f.name(t) for t in f.threats_using(c.id)]
            watch = "; ".join(threats[:2]) + (f" (and {len(threats) - 2} other threats)" if len(threats) > 2 else "")
            rows.append([_control_label(c), _run_by(c), watch or "no threat in the model names it"])
        doc.table(["Detective control", "Run by", "Signs of"], rows, widths=[5, 2.4, 6.6])
    else:
        doc.p(
            "The threat model names no detective control (logging, alarms, integrity checks); ask the device "
            "maker what the hospital can monitor."
        )
    plan = netplan.build(f)
    # a flow inside another's tunnel (remote desktop inside the maker's IPsec tunnel) is not seen at the perimeter: the
    # tunnel is; it is named with the tunnel it runs in
    # one over the device's own cellular link never reaches the perimeter either: named apart
    leaving = [
        fl
        for fl in m.flows
        if f.leaves_hospital(fl) and fl.id not in plan.tunnelled and fl.id not in plan.carried and fl.id not in plan.cellular
    ]
    riding = [fl for fl in m.flows if f.leaves_hospital(fl) and fl.id in plan.carried]
    inside = [fl for fl in m.flows if f.leaves_hospital(fl) and fl.id in plan.tunnelled]
    if leaving:
        # crossing either way, as the data is drawn: a flow drawn in from outside is not one "leaving"; which end
        # opens it is added where the model says (a firmware download drawn from the cloud is opened from inside)
        opener = plan.opener
        said = {fid: who.element for fid, who in opener.items() if who.basis in ("stated", "text", "design", "kind")}
        doc.p(
            "Connections between the hospital and outside it, to watch at the perimeter: "
            + "; ".join(
                f"{fl.id} {'to' if f.where(fl.target) == 'outside' else 'from'} "
                f"{f.name(fl.target) if f.where(fl.target) == 'outside' else f.name(fl.source)} "
                f"({netplan.ports_text(fl) or _perimeter_port(fl)}" + (f"; opened by {f.name(said[fl.id])}" if fl.id in said else "") + ")"
                for fl in leaving
            )
            + "."
            + (
                " Over another flow's connection, so seen as that connection: "
                + "; ".join(f"{fl.id} over {plan.carried[fl.id].id}" for fl in riding)
                + "."
                if riding
                else ""
            )
        )
    if plan.cellular:
        doc.p(
            "Not seen at the hospital's perimeter, over a cellular link, as the threat model says: "
            + "; ".join(
                f"{fl.id} {fl.name or ''} (“{plan.cellular[fl.id]}”)".replace("  ", " ") for fl in m.flows if fl.id in plan.cellular
            )
            + "."
        )
    if inside:  # said even where nothing else crosses: a remote session over a VPN the model does not draw
        doc.p(
            "Connections between the hospital and outside it inside a tunnel, so seen at the perimeter only as the "
            "tunnel's traffic: "
            + "; ".join(f"{fl.id} {fl.name or ''} ({topology.inside_what(plan.tunnelled[fl.id][1])})".replace("  ", " ") for fl in inside)
            + "."
        )
    multi = [t for t in m.threats if t.multi_patient and t.status not in ("mitigated", "not_applicable")]
    if multi:
        shown, _ = _most_severe(multi, 5)
        doc.p(
            f"{len(multi)} threats that could harm several patients at once are not fully mitigated, among "
            "them: " + "; ".join(t.title for t in shown) + "."
        )


def _patching(doc: Doc, f: Facts) -> None:
    m = f.model
    s = m.support
    rows = [
        ["Patch cadence", s.patch_policy or ASK],
        ["Security support ends", s.end_of_support or ASK],
        ["Software bill of materials", s.sbom or ASK],
    ]
    upd = [c for c in m.controls if c.category == "updatability_patchability" and c.responsibility in ("customer", "shared")]
    rows += [[f"{c.id} {c.title}", "expected of " + _run_by(c)] for c in upd]
    doc.table(["Topic", "From the threat model"], rows, widths=[4, 10])
    for v in (v for v in m.views if v.kind == "updatability_patchability" and v.steps):
        doc.p(v.name, bold_prefix="How an update reaches the device:")
        doc.bullets(v.steps, numbered=True)


def _credentials(doc: Doc, f: Facts, nt: topology.NetworkTerms) -> None:
    creds = credentials(f, nt)
    if creds:
        doc.table(
            ["Credential", "Used for", "Issued by", "Lifetime or renewal", "Revocation"],
            [[c.what, c.used_for, c.issuer, c.lifetime, c.revoke] for c in creds],
            widths=[3.2, 3, 2.2, 2.8, 3.2],
        )
    else:
        doc.p(
            "The threat model lists no certificate, key, account or token among its assets or its flows' "
            "authentication: ask the device maker which credentials the device uses and how they are renewed and revoked."
        )


def _incidents(doc: Doc, f: Facts, nt: topology.NetworkTerms) -> None:
    m = f.model
    s = m.support
    doc.table(
        ["Topic", "From the threat model"],
        [
            ["Security contact", s.contact or ASK],
            ["Vulnerability disclosure", s.vulnerability_disclosure or ASK],
        ],
        widths=[4, 10],
    )
    hit = topology.matcher(nt.incident_terms)
    views = [v for v in m.views if v.kind == "security_use_case" and v.steps and (hit(v.name) or any(hit(t) for t in v.tags))]
    if views:
        for v in views:
            doc.p(v.name, bold_prefix="First steps:")
            doc.bullets(v.steps, numbered=True)
        return
    steps = []
    segmentation = [c for c in _customer_controls(f) if "segment" in c.title.lower() or "isolat" in c.title.lower()]
    if segmentation:
        steps.append(
            # the title as written: lowercased, "Isolated VLAN" read "isolated vlan" and a command read as a noun
            f"Contain: the model relies on {segmentation[0].id} “{segmentation[0].title}”; "
            "keep the affected devices on their segment and block what is not in the firewall rules."
        )
    # only controls in place say what keeps working or what evidence there is; an unstated status is said
    in_place = [c for c in m.controls if c.status == "implemented" and not_in_place(c) is None]

    def named(c: Control) -> str:
        return f"{c.title} ({c.id}{'' if c.status_stated else ', status not stated'})"

    resilience = [c for c in in_place if c.category == "resiliency_recovery" and _first_sentence(c.description)]
    if resilience:
        steps.append("What keeps working: " + "; ".join(named(c) for c in resilience[:3]) + ".")
    logs = [c for c in in_place if c.category == "event_logging" and records(c, nt)]
    if logs:
        steps.append("Preserve evidence: " + "; ".join(named(c) for c in logs[:3]) + ".")
    if s.contact:
        steps.append(f"Report to the device maker: {s.contact}.")
    if steps:
        doc.p("The model gives no incident procedure; these steps follow from its controls:")
        doc.bullets(steps, numbered=True)
    doc.p(
        "Ask the device maker for its incident response steps for this device: how to isolate it safely "
        "during therapy, and what it needs from the hospital (logs, device state).",
        style="note",
    )


def _scan_statements(f: Facts, nt: topology.NetworkTerms) -> list[str]:
    """What the model says about network scans; when it assumes a safe scan profile it does not give, a
    question."""
    m = f.model
    hit = topology.matcher(nt.scan_terms)
    profile = topology.matcher(nt.scan_profile_terms)
    found = _sentences(f, hit, [*m.assumptions, *m.controls, *m.threats])
    if not found:
        return []
    out = [f"{s} ({i})" for i, s in found[:3]]
    if not any(profile(s) for _, s in found):
        out.append(
            "The scan profile itself is not given: ask the device maker for it (scan rate, ports and checks "
            "to exclude, whether devices must be idle, and how to tell a scan-induced fault)."
        )
    return out


_RESIDUAL = ("accepted", "transferred", "partially_mitigated", "open")  # in the order a heading names them
_RESIDUAL_WORDS = {"accepted": "accepted", "transferred": "transferred", "partially_mitigated": "partly mitigated", "open": "left open"}


def _risks_phrase(threats: list[Threat], *, heading: bool = False) -> str:
    """What the last section holds, as its threats' statuses say: "the risks the device maker accepted" only
    when every one of them was accepted; "accepted or left open" when some were left open, and so on. Threats
    whose source states no status are called so, never "left open"."""
    said = [_RESIDUAL_WORDS[s] for s in _RESIDUAL if any(t.stated_status() == s for t in threats)]
    silent = any(t.stated_status() == "status_not_stated" for t in threats)
    if silent and not said:
        return "Threats whose status is not stated" if heading else "the threats whose status the model does not state"
    if not said:
        said = ["accepted"]
    words = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " or " + said[-1]
    more = ", and threats with no stated status" if silent else ""
    if said == ["left open"]:
        return f"Risks left open{more}" if heading else f"the risks left open{more}"
    return f"Risks the device maker {words}{more}" if heading else f"the risks the device maker {words}{more}"


def _accepted_risks(doc: Doc, f: Facts) -> None:
    m = f.model
    residual = [t for t in m.threats if t.status in _RESIDUAL]
    if not residual:
        doc.p("Every threat in the model is mitigated or not applicable.")
        return
    undecided = [t for t in residual if t.status in ("open", "partially_mitigated")]
    silent = [t for t in residual if t.stated_status() == "status_not_stated"]
    if not undecided:
        lead = "These are the device maker's decisions, not the hospital's"
    elif len(silent) == len(residual):
        lead = "The threat model states no status for these: whether each is mitigated, accepted or open is not stated"
    elif len(undecided) == len(residual):
        lead = "The device maker has not stated a decision on these (not the hospital's to take)"
    else:
        kinds = [
            w for s, w in (("partially_mitigated", "partly mitigated"), ("open", "open")) if any(t.stated_status() == s for t in residual)
        ]
        rest = f"for the {' and '.join(kinds)} ones the model states no decision on the risk that remains" if kinds else ""
        if silent:
            rest = f"{rest}, and for some it states no status at all" if rest else "for the others the model states no status"
        lead = f"Accepted and transferred risks are the device maker's decisions, not the hospital's; {rest}"
    doc.p(f"{lead}. The last column is what the hospital can do about each, from the controls the model expects of it.")
    shown, left_out = _most_severe(residual, RISK_ROWS)
    doc.table(
        ["Threat", "Decision", "Residual risk", "What the hospital can do"],
        [[f"{t.id} {t.title}", _DECISION.get(t.stated_status(), _words(t.status)), _risk_level(t), _hospital_can(f, t)] for t in shown],
        widths=[5.5, 2.2, 2, 5],
    )
    if left_out:
        how = _left_out_rating(shown, residual)
        doc.p(
            f"{left_out} more of these threats are in the threat register (ptm.xlsx)" + (f"; {how}" if how else "") + ".",
            style="note",
        )


_DECISION = {
    "accepted": "accepted by the maker",
    "open": "open (no decision yet)",
    "status_not_stated": "no status stated",
    "partially_mitigated": "partly mitigated",
    "transferred": "transferred",
}


def _hospital_can(f: Facts, t: Threat) -> str:
    own = [f.controls[c] for c in t.controls if c in f.controls and f.controls[c].responsibility in ("customer", "shared")]
    if own:
        return "; ".join(f"{c.title} ({c.id})" for c in own[:3])
    return "nothing named in the model: ask the device maker"
