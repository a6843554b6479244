"""The credentials a hospital holds or issues for the device, read from the model: who issues each, its
lifetime and how it is revoked (the operations guide tables them; decommissioning revokes them)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from mdptm.documents.guides.facts import NOT_STATED, Facts, _matcher
from mdptm.model import Flow, topology
from mdptm.model.evidence import authentication_in_place


@dataclass
class Credential:
    what: str
    used_for: str
    issuer: str
    lifetime: str
    revoke: str
    short_lived: bool
    maker_held: bool
    hospital_side: bool


def credentials(f: Facts, nt: topology.NetworkTerms | None = None) -> list[Credential]:
    """The certificates, keys, accounts and tokens the model names: its credential and key assets, then the
    flows' authentication grouped by kind and issuer (every mutual-TLS certificate the hospital issues in one row; the
    maker's service password apart from the hospital's users' passwords), with who issues them, how long they live and
    how they are revoked where the model says."""
    nt = nt or topology.network_terms()
    m = f.model
    short = re.compile("|".join(nt.short_lived), re.IGNORECASE) if nt.short_lived else None
    maker = topology.matcher(nt.maker_held)
    by_hospital, by_maker = topology.matcher(nt.hospital_issued), topology.matcher(nt.maker_issued)
    revoke_hit = topology.matcher(["revoc*", "revoke*", "crl", "ocsp", "disable*", "deactivat*"])
    renew_hit = topology.matcher(["renew*", "rotat*", "expir*", "valid for", "lifetime", "re-enrol*", "reissu*"])
    cred = _matcher(f.terms.credential_terms)

    issue_hit = topology.matcher(["issu*", "provision*", "generat*", "assign*", "enrol*", "creat*", "set up", "sets up"])

    def issuer(texts: list[str]) -> str:
        who = ["the hospital" for t in texts if by_hospital(t)][:1]
        # the maker named in a sentence about the credential ("Sentinel service account"), not in one about something
        # else ("Opened by Sentinel's support centre"): who opens a connection does not issue its accounts
        who += ["the device maker" for t in texts if by_maker(t) or _maker_named(f, t, lambda s: cred(s) or issue_hit(s))][:1]
        return " and ".join(who) or NOT_STATED

    def lifetime(texts: list[str]) -> str:
        for t in texts:
            for mm in short.finditer(t) if short else ():
                if any(ch.isdigit() for ch in mm.group(0)):
                    return "expires after " + mm.group(0).replace("lifetime", "").strip()
        for t in texts:
            sentence = topology.first_sentence_with(t, renew_hit)
            if sentence:
                return sentence
        return NOT_STATED

    def revocation(texts: list[str], by: str) -> str:
        for t in texts:
            sentence = topology.first_sentence_with(t, revoke_hit)
            if sentence:
                return sentence[0].upper() + sentence[1:]
        if by == "the hospital":
            return "By the hospital, as its issuer; the model does not say how"
        return "Not stated: ask the device maker"

    out: list[Credential] = []
    secret = {a.id for a in m.assets if a.kind in f.terms.secret_assets}
    for a in m.assets:
        if a.id not in secret:
            continue
        texts = [a.description, a.disposal or ""]
        users = [fl for fl in m.flows if a.id in fl.data]
        out.append(
            Credential(
                what=a.name,
                used_for=_flow_ids(users) or (f"held in {f.names(a.stored_in)}" if a.stored_in else "held where the model does not say"),
                issuer=issuer(texts),
                lifetime=lifetime(texts),
                revoke=revocation(texts, issuer(texts)),
                short_lived=bool(short and any(short.search(t) for t in texts)),
                maker_held=any(maker(t) for t in (a.name, *texts)),
                hospital_side=any(f.where(e) != "outside" for e in a.stored_in),
            )
        )
    # by kind, and within a kind by who issues them where flows name different issuers: the maker's service password and
    # the hospital's users' passwords are two rows, since who revokes each differs. A flow naming no issuer joins the
    # kind's one named issuer ("pump certificate" beside "pump certificate from hospital PKI"), or, beside two, stays apart
    kinds: dict[str, list[tuple[Flow, str]]] = {}
    for fl in m.flows:
        auth = (fl.authentication or "").strip()
        # a mechanism only planned ("Mutual TLS (planned)") issues no credential yet
        if not auth or not cred(auth) or secret.intersection(fl.data) or not authentication_in_place(auth):
            continue
        label = next((k.label for k in nt.credential_kinds if topology.matcher(k.terms)(auth)), auth)
        kinds.setdefault(label, []).append((fl, issuer([auth, fl.description])))
    groups: dict[tuple[str, str], list[Flow]] = {}
    for label, members in kinds.items():
        named = {by for _, by in members if by != NOT_STATED}
        for fl, by in members:
            groups.setdefault((label, by if len(named) > 1 else ""), []).append(fl)
    for (label, _issuer), flows in groups.items():
        texts = [x for fl in flows for x in (fl.authentication or "", fl.description)]
        out.append(
            Credential(
                what=label,
                used_for=_flow_ids(flows),
                issuer=issuer(texts),
                lifetime=lifetime(texts),
                revoke=revocation([fl.description for fl in flows], issuer(texts)),
                short_lived=short is not None and all(short.search(fl.authentication or "") for fl in flows),
                maker_held=all(maker(fl.authentication or "") for fl in flows),
                hospital_side=True,
            )
        )
    return out


def _flow_ids(flows: list[Flow]) -> str:
    if len(flows) == 1:
        return f"{flows[0].id} {flows[0].name}".strip()
    return ", ".join(fl.id for fl in flows)


def _maker_named(f: Facts, text: str, about: Callable[[str], bool]) -> bool:
    """Whether a sentence of *text* names the device maker (its name's first word) and is *about* the credential."""
    name = f.model.product.manufacturer.split()[0] if f.model.product.manufacturer else ""
    if len(name) <= 2:
        return False
    named = re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE)
    return topology.first_sentence_with(text, lambda s: bool(named.search(s)) and about(s)) is not None
