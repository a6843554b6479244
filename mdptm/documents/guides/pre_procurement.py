"""The pre-procurement guide: what a hospital should know about the device before it buys."""

from __future__ import annotations

from mdptm.documents import netplan
from mdptm.documents.guides._shared import (
    _EXPECTED_OF,
    ASK,
    THREAT_ROWS,
    _count_phrase,
    _counts,
    _customer_assumptions,
    _customer_controls,
    _id_list,
    _most_severe,
    _new_doc,
    _words,
    carried_by,
    transit_encryption,
    unencrypted,
)
from mdptm.documents.guides.facts import NOT_STATED, Facts
from mdptm.model import STRIDE_ORDER, Control, Flow, Model, topology
from mdptm.model.results import Review
from mdptm.render.docir import Doc

# ------------------------------------------------------------------------------ pre-procurement


def pre_procurement(f: Facts, review: Review | None = None) -> Doc:
    m = f.model
    doc = _new_doc(
        f,
        "pre-procurement",
        f"What a hospital evaluating {m.product.name} from {m.product.manufacturer} needs to know before "
        "choosing it: its security profile, where its data goes, how long it is supported and what the "
        "hospital itself must provide.",
    )
    doc.h("Security profile at a glance")
    doc.table(["Topic", "From the threat model"], _profile_rows(f, review))

    doc.h("Where data goes")
    people = [fl for fl in m.flows if f.is_person_flow(fl)]
    leaving = [fl for fl in m.flows if f.leaves_hospital(fl)]
    beyond = _outside_only(f)
    unclear = [fl for fl in m.flows if f.leaves_hospital(fl) is None and fl not in people and fl not in beyond]
    # discovery by broadcast or multicast reaches the sender's subnet only: it stays, whether or not its ends are placed
    subnet = [fl for fl in m.flows if f.subnet_only(fl) and fl not in beyond]
    riding = netplan.carried_legs(m.flows)  # flows over another flow's connection: that connection's encryption
    if leaving:
        doc.p(_crossing_sentence(f, leaving, len(m.flows)))
        doc.table(
            ["Flow", "From", "To", "Data carried", "Encryption"],
            [
                [
                    f"{fl.id} {fl.name}".strip(),
                    f.endpoint(fl.source),
                    f.endpoint(fl.target),
                    f.names(fl.data),
                    transit_encryption(f, fl, riding),
                ]
                for fl in leaving
            ],
        )
        # over the device's own modem: the data leaves without crossing the hospital's network or firewall
        cellular = [(fl, said) for fl in leaving if (said := topology.cellular(fl, ends=(f.name(fl.source), f.name(fl.target))))]
        if cellular:
            doc.p(
                "Over a cellular link, as the threat model says, not through the hospital's network, so no firewall of the "
                "hospital sees it: " + "; ".join(f"{fl.id} (“{said}”)" for fl, said in cellular) + "."
            )
    elif not m.flows:  # no flow described is not "no data leaves": the model is silent
        doc.p("The threat model describes no data flow, so where the device's data goes is not stated: ask the device maker.")
    else:
        # a flow between two systems outside the hospital never was in it: it is not one that "stays"
        inside = len(m.flows) - len(unclear) - len(beyond) - len(people) - len(subnet)
        if inside:
            scope = "whose ends the model places" if unclear or beyond or people or subnet else "in the threat model"
            doc.p(f"None of the {inside} data flows {scope} leaves the hospital.")
    if subnet:
        doc.p(
            f"Sent by broadcast or multicast ({f.group_traffic(subnet)}), which reaches only the hosts of the sender's subnet (further "
            "only where the hospital's own routers are set up to pass it on), so it does not leave the hospital: "
            + "; ".join(f"{fl.id} ({f.endpoint(fl.source)} → {f.endpoint(fl.target)})" for fl in subnet)
            + ".",
            style="note",
        )
    if beyond:
        doc.p(
            f"{len(beyond)} of {len(m.flows)} data flows run outside the hospital, between systems the model places "
            "outside it: " + "; ".join(f"{fl.id} ({f.endpoint(fl.source)} → {f.endpoint(fl.target)})" for fl in beyond) + "."
        )
    if unclear:
        doc.p(
            "The model does not say where one end of these flows sits, so whether they leave the hospital is "
            "not clear: " + "; ".join(f"{fl.id} ({f.endpoint(fl.source)} → {f.endpoint(fl.target)})" for fl in unclear) + ".",
            style="note",
        )
        hinted = list(dict.fromkeys(e for fl in unclear for e in (fl.source, fl.target) if f.by_name(e) and f.where(e) == "outside"))
        if hinted:
            doc.p(
                f"Only their names suggest that {_and([f.name(e) for e in hinted])} "
                f"{'run' if len(hinted) > 1 else 'runs'} outside the hospital; the model does not place "
                f"{'them' if len(hinted) > 1 else 'it'}. Ask the device maker where each runs.",
                style="note",
            )
    if people:
        doc.p(
            "A person is at one end of these flows; a person is not a network endpoint, so they are a person's use "
            "of a system, not network connections (whether data leaves the hospital depends on the device the "
            "person uses, which the model does not name): "
            + "; ".join(f"{fl.id} ({f.endpoint(fl.source)} → {f.endpoint(fl.target)})" for fl in people)
            + ".",
            style="note",
        )
    outside_stores = [(a, [e for e in a.stored_in if f.where(e) == "outside"]) for a in m.assets if a.kind in f.terms.retrieve_assets]
    rows = [[a.name, _words(a.kind), f.names(where)] for a, where in outside_stores if where]
    if rows:
        doc.p("Patient, therapy, log and configuration data kept outside the hospital:")
        doc.table(["Asset", "Kind", "Stored in"], rows)

    doc.h("Support and vulnerability disclosure")
    doc.table(["Topic", "Manufacturer's statement"], _support_rows(f))

    doc.h("What the hospital must provide")
    _responsibilities(doc, f)

    doc.h("Open points to raise with the device maker")
    points = _open_points(f)
    if points:
        doc.bullets(points)
    else:
        doc.p("The threat model leaves no threat open, no control unfinished and no support term unstated.")
    return doc


def _profile_rows(f: Facts, review: Review | None) -> list[list[str]]:
    m = f.model
    p = m.product
    rows = [["Product", " ".join(x for x in (p.name, p.model or "", p.version or "") if x) + f", by {p.manufacturer}"]]
    if p.intended_use:
        rows.append(["Intended use", p.intended_use])
    if p.device_type:
        rows.append(["Device type", p.device_type])
    reg = p.regulatory
    regs = [
        f"FDA product code {reg.fda_product_code}" if reg.fda_product_code else "",
        f"{reg.submission_type} {reg.submission_number or ''}".strip() if reg.submission_type else "",
        f"CRA category: {_words(reg.cra_category)}" if reg.cra_category else "",
        {"excluded_mdr_ivdr": "outside the CRA (EU MDR/IVDR device)", "in_scope": "in scope of the CRA", "unknown": ""}[reg.cra_scope],
    ]
    if any(regs):
        rows.append(["Regulatory", "; ".join(r for r in regs if r)])
    kinds = _counts(e.kind for e in m.elements)
    rows.append(["Components", f"{len(m.elements)} ({_count_phrase(kinds)})" if m.elements else NOT_STATED])
    if m.trust_zones:
        rows.append(["Trust zones", ", ".join(z.name for z in m.trust_zones)])
    crossing = [fl for fl in m.flows if f.leaves_hospital(fl)]
    leaving = len(crossing)
    incoming = sum(1 for fl in crossing if not _carries_out(f, fl))
    outside_only = _outside_only(f)
    persons = sum(1 for fl in m.flows if f.is_person_flow(fl))
    unplaced = sum(1 for fl in m.flows if f.leaves_hospital(fl) is None and not f.is_person_flow(fl) and fl not in outside_only)
    beyond = len(outside_only)
    subnet = sum(1 for fl in m.flows if f.subnet_only(fl) and fl not in outside_only)
    # a flow inside another flow's tunnel is as encrypted as the model says that tunnel is
    riding = netplan.carried_legs(m.flows)
    plain = sum(
        1
        for fl in m.flows
        if unencrypted(fl) or fl.encryption is None and (ts := carried_by(f, fl, riding)) and all(unencrypted(t) for t in ts)
    )
    unknown = sum(1 for fl in m.flows if fl.encryption is None and transit_encryption(f, fl, riding).startswith(NOT_STATED))
    rows.append(
        [
            "Data flows",
            f"{len(m.flows)}; "
            + (
                f"{leaving} leave the hospital"
                if not incoming
                else f"{leaving} come in from outside the hospital"
                if incoming == leaving
                else f"{leaving} cross the hospital's boundary ({leaving - incoming} out, {incoming} in)"
            )
            + (f", {unplaced} may (ends not placed)" if unplaced else "")
            + (f", {subnet} broadcast or multicast (one subnet)" if subnet else "")
            + (f", {beyond} run outside it" if beyond else "")
            + (f", {persons} with a person at one end" if persons else "")
            + f"; {plain} unencrypted; encryption not stated for {unknown}"
            if m.flows
            else "none described in the threat model",
        ]
    )
    by_kind: dict[str, list[str]] = {}
    for a in m.assets:
        by_kind.setdefault(_words(a.kind), []).append(a.name)
    rows.append(["Data and functions protected", "; ".join(f"{k}: {', '.join(v)}" for k, v in by_kind.items()) or NOT_STATED])
    statuses = _counts(
        (t.stated_status() for t in m.threats),
        ("mitigated", "partially_mitigated", "accepted", "transferred", "open", "not_applicable", "status_not_stated"),
    )
    stride = _counts((s for t in m.threats for s in t.stride), STRIDE_ORDER)
    rows.append(["Threats analysed", f"{len(m.threats)} ({_count_phrase(statuses)})" if m.threats else "none listed in the threat model"])
    if m.threats:
        rows.append(["Threats by STRIDE", _count_phrase(stride) or NOT_STATED])
    multi = [t.id for t in m.threats if t.multi_patient]
    if multi:
        rows.append(
            [
                "Threats that could harm several patients",
                f"{len(multi)}" + (f": {', '.join(multi)}" if len(multi) <= 12 else ", listed in the threat register (ptm.xlsx)"),
            ]
        )
    maker = [c for c in m.controls if c.responsibility not in ("customer", "shared")]
    c_status = _counts((_status_key(c) for c in maker), ("implemented", "planned", "not_implemented", "status_not_stated"))
    customer = len(_customer_controls(f))
    rows.append(
        [
            "Controls",
            f"{len(maker)} by the device maker ({_count_phrase(c_status)}); {customer} expected of the hospital, alone or with the maker"
            if m.controls
            else "none listed in the threat model: ask the device maker which controls protect the device",
        ]
    )
    present = _counts(v.kind for v in m.views)
    missing = [k for k in ("global_system", "multi_patient_harm", "updatability_patchability", "security_use_case") if k not in present]
    rows.append(
        [
            "Security architecture views",
            (_count_phrase(present) or "none") + (f"; not provided: {', '.join(_words(k) for k in missing)}" if missing else ""),
        ]
    )
    rows.append(["Publication review", _review_line(m, review)])
    return rows


def _review_line(m: Model, review: Review | None) -> str:
    approved = [f"{_words(s.role)} ({s.date})" if s.date else _words(s.role) for s in m.document.signoffs if s.decision == "approved"]
    parts = [f"document status: {_words(m.document.status)}"]
    if approved:
        parts.append("approved by " + ", ".join(approved))
    if review is not None:
        blockers = len(review.blockers)
        parts.append("pre-publication review passed" if not blockers else f"{blockers} blocking review findings open")
    return "; ".join(parts)


def _support_rows(f: Facts) -> list[list[str]]:
    s = f.model.support
    return [
        ["End of support", s.end_of_support or ASK],
        ["Patch policy", s.patch_policy or ASK],
        ["Vulnerability disclosure", s.vulnerability_disclosure or ASK],
        ["Security contact", s.contact or ASK],
        ["Software bill of materials (SBOM)", s.sbom or ASK],
        ["Data disposal", s.data_disposal or _asset_disposal(f) or ASK],
    ]


def _asset_disposal(f: Facts) -> str:
    """Where the model states no disposal term but gives steps for some of its assets ("The console's SSD is removed
    and returned for shredding"): said so, not "not stated"."""
    said = [a.name for a in f.model.assets if a.disposal]
    if not said:
        return ""
    return (
        "Not stated as a support term; the threat model gives disposal steps for " + ", ".join(said) + " (see the decommissioning guide)."
    )


def _responsibilities(doc: Doc, f: Facts) -> None:
    """Who provides what, in brief: the deployment guide lists it all."""
    rows = [[c.id, c.title, _EXPECTED_OF[c.responsibility], _words(c.category)] for c in _customer_controls(f)]
    if rows:
        doc.table(["Control", "What", "Expected of", "Category"], rows[:THREAT_ROWS])
        if len(rows) > THREAT_ROWS:
            doc.p(f"… and {len(rows) - THREAT_ROWS} more controls the hospital owns or shares (see the deployment guide).", style="note")
    arows = [[a.id, a.text, _words(a.responsibility) if a.responsibility else NOT_STATED] for a in _customer_assumptions(f)]
    if arows:
        doc.p("The threat analysis assumes:")
        doc.table(["Assumption", "What", "Responsibility"], arows)
    if not rows and not arows:
        doc.p("The threat model assigns no control or assumption to the hospital.")


def _status_key(c: Control) -> str:
    """The status a control is counted under: a failed verification is not implemented, an unstated one apart."""
    if c.status == "implemented" and c.verification_failed:
        return "not_implemented"
    return c.status if c.status_stated else "status_not_stated"


def _open_points(f: Facts) -> list[str]:
    m = f.model
    opened, left_out = _most_severe([t for t in m.threats if t.status == "open" and t.status_stated])
    out = [f"Threat {t.id} ({t.title}) is open." for t in opened]
    if left_out:
        out.append(f"… and {left_out} more open threats (see the threat register, ptm.xlsx).")
    silent = [t.id for t in m.threats if t.stated_status() == "status_not_stated"]
    if silent:
        listed = f"threats {_id_list(silent)}" if len(silent) <= 12 else f"{len(silent)} threats (see the register, ptm.xlsx)"
        out.append(f"The threat model states no status for {listed}: ask whether each is mitigated, accepted or open.")
    bare = [t.id for t in m.threats if not t.controls and t.status not in ("not_applicable", "accepted", "transferred", "open")]
    if bare:
        out.append(
            "No control is named for threats " + _id_list(bare) + "."
            if len(bare) <= 12
            else f"No control is named for {len(bare)} threats (see the register, ptm.xlsx)."
        )
    failed = [
        c for c in m.controls if c.status == "implemented" and c.verification_failed and c.responsibility not in ("customer", "shared")
    ]
    out += [
        f"Control {c.id} ({c.title}) is listed as implemented, but its verification did not pass: {c.verification_failed}." for c in failed
    ]
    unstated = [c.id for c in m.controls if not c.status_stated and c.responsibility not in ("customer", "shared") and c not in failed]
    if unstated:
        listed = f"controls {_id_list(unstated)}" if len(unstated) <= 12 else f"{len(unstated)} controls (see the register, ptm.xlsx)"
        out.append(f"The threat model lists {listed} without saying whether they are implemented.")
    pending = [c for c in m.controls if c.status != "implemented" and c.responsibility not in ("customer", "shared")]
    if len(pending) <= THREAT_ROWS:
        out += [
            f"Control {c.id} ({c.title}) describes no safeguard in place: “{' '.join(c.description.split())[:120].rstrip('.')}”."
            if c.id in f.void and c.description.strip()
            else f"Control {c.id} ({c.title}) is {_words(c.status)}."
            for c in pending
        ]
    else:
        out.append(
            f"{len(pending)} controls are planned or not implemented"
            + (": " + _id_list([c.id for c in pending]) if len(pending) <= 12 else " (see the register, ptm.xlsx)")
            + "."
        )
    s = m.support
    missing = [
        name
        for name, v in (
            ("end of support", s.end_of_support),
            ("patch policy", s.patch_policy),
            ("vulnerability disclosure", s.vulnerability_disclosure),
            ("SBOM", s.sbom),
            ("security contact", s.contact),
            ("data disposal", s.data_disposal or _asset_disposal(f)),
        )
        if not v
    ]
    if missing:
        out.append("Not stated: " + ", ".join(missing) + ".")
    if not m.flows:
        out.append("No data flow is described: which connections the device makes, and where its data goes.")
    riding = netplan.carried_legs(m.flows)
    unknown = [fl.id for fl in m.flows if fl.encryption is None and transit_encryption(f, fl, riding).startswith(NOT_STATED)]
    if unknown:
        out.append(
            "Encryption not stated for flows " + _id_list(unknown) + "."
            if len(unknown) <= 12
            else f"Encryption not stated for {len(unknown)} flows (see the register, ptm.xlsx)."
        )
    return out


def _outside_only(f: Facts) -> list[Flow]:
    """Flows whose two ends the model places outside the hospital (within the maker's cloud)."""
    return [
        fl
        for fl in f.model.flows
        if f.stated_where(fl.source) == "outside" and f.stated_where(fl.target) == "outside" and not f.is_person_flow(fl)
    ]


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _carries_out(f: Facts, fl: Flow) -> bool:
    """Whether a flow that crosses the hospital's boundary carries data out of it: drawn to the outside, or both ways."""
    return fl.bidirectional or f.stated_where(fl.target) == "outside"


def _crossing_sentence(f: Facts, crossing: list[Flow], total: int) -> str:
    """How many flows cross the hospital's boundary, and which way the model draws their data: a firmware
    download drawn from the maker's cloud to the hospital brings data in; it does not "leave the hospital"."""
    out = [fl.id for fl in crossing if _carries_out(f, fl)]
    into = [fl.id for fl in crossing if not _carries_out(f, fl)]
    if not into:
        return f"{len(out)} of {total} data flows leave the hospital."
    if not out:
        return f"{len(into)} of {total} data flows come in from outside the hospital; none is drawn leaving it."
    return (
        f"{len(crossing)} of {total} data flows cross the hospital's boundary: {len(out)} "
        f"{'carries' if len(out) == 1 else 'carry'} data out ({', '.join(out)}), {len(into)} "
        f"{'brings' if len(into) == 1 else 'bring'} data in ({', '.join(into)})."
    )
