"""The model's network as a hospital engineer sees it: segments, who opens each connection, ports, infrastructure.

A threat model draws flows in the direction data moves and zones by trust; a firewall needs the side that
opens the connection, the network segment each end sits on, the transport and the port. This module reads
those from the model's own fields (``TrustZone.kind``, ``Flow.initiator``, ``dependencies``) and, where the
model leaves them out, from its text with the vocabulary ``mappings/vocabulary/hospital-network.yaml``.
Every fact carries how it was found ("stated", "from the flow's text", "inferred", "assumed"), so a
guide can say which ones to confirm with the device maker.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mdptm.errors import InputError
from mdptm.model import Dependency, DependencyService, Element, Flow, Model, TrustZone, ZoneKind, empty_dict, empty_list
from mdptm.model.evidence import customer_enabled, deferred, not_in_place, says_none
from mdptm.model.io import load_validated
from mdptm.model.vocabulary import vocabulary_file

NETWORK_KINDS: frozenset[str] = frozenset({"network"})
OUTSIDE_KINDS: frozenset[str] = frozenset({"cloud", "vendor", "internet"})
ZONE_KIND_WORDS: dict[str, str] = {
    "network": "network segment",
    "physical": "physical area",
    "on_body": "on the patient's body",
    "cloud": "cloud",
    "vendor": "device maker's site",
    "internet": "internet",
}
Basis = Literal["stated", "text", "design", "kind", "name", "assumed"]
Transport = Literal["network", "local", "unknown"]
Place = Literal["outside", "hospital", "device", "unknown"]
Side = Literal["outside", "hospital", "device"]  # a place the words can state


class _Service(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    terms: list[str]
    ask_when: list[str] = Field(default_factory=empty_list)
    question: str | None = None


class _CredentialKind(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str
    terms: list[str]


class _ServiceServer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    protocols: list[str]
    servers: list[str] = Field(default_factory=empty_list)  # the end so named accepts the connection
    clients: list[str] = Field(default_factory=empty_list)  # the end so named opens it (an SNMP manager polling)
    ports: list[str] = Field(default_factory=empty_list)  # read only where every port the flow states is one of these
    # what the port carries and which way, where its opener is a role the model may not name ("polls: SNMP manager →
    # agent"): given per port where a flow states two such ports that go opposite ways and names neither role
    role: str = ""


class _Portless(BaseModel):
    model_config = ConfigDict(extra="forbid")
    terms: list[str]
    label: str


class _Narrowed(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pattern: str  # the flow's port text saying part of the answer ("passive mode")
    question: str  # what is left to ask


class _ExtraPorts(BaseModel):
    model_config = ConfigDict(extra="forbid")
    terms: list[str]
    question: str
    answered_by: list[str] = Field(default_factory=empty_list)  # port texts that answer it ("passive 50000-50100")
    narrowed: list[_Narrowed] = Field(default_factory=empty_list)


class _Protection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    terms: list[str]
    question: str | None
    tls_ports: list[str] = Field(default_factory=empty_list)
    clear_ports: list[str] = Field(default_factory=empty_list)


class _Multicast(BaseModel):
    model_config = ConfigDict(extra="forbid")
    names: list[str]
    label: str
    group: str
    port: str


class NetworkTerms(BaseModel):
    """The vocabulary file, validated."""

    model_config = ConfigDict(extra="forbid")
    schema_version: int
    zone_kinds: dict[ZoneKind, list[str]]
    local_links: list[str]
    ip_protocols: list[str]
    tcp_protocols: list[str]
    udp_protocols: list[str]
    udp_variant_terms: list[str] = Field(default_factory=empty_list)
    both_transport_protocols: list[str] = Field(default_factory=empty_list)
    both_transport_ports: dict[str, list[str]] = Field(default_factory=empty_dict)
    either_transport_protocols: list[str] = Field(default_factory=empty_list)
    multicast_terms: list[str] = Field(default_factory=empty_list)
    extra_port_protocols: list[_ExtraPorts] = Field(default_factory=empty_list)
    portless_protocols: list[_Portless] = Field(default_factory=empty_list)
    protection: list[_Protection] = Field(default_factory=empty_list)
    service_servers: list[_ServiceServer] = Field(default_factory=empty_list)
    discovery_terms: list[str] = Field(default_factory=empty_list)
    stream_terms: list[str] = Field(default_factory=empty_list)
    either_opener_protocols: list[str] = Field(default_factory=empty_list)
    can_disable_terms: list[str] = Field(default_factory=empty_list)
    multicast_protocols: list[_Multicast] = Field(default_factory=empty_list)
    initiator_patterns: list[str]
    acceptor_patterns: list[str] = Field(default_factory=empty_list)
    push_terms: list[str]
    pull_terms: list[str]
    response_terms: list[str] = Field(default_factory=empty_list)
    encrypted_protocols: list[str] = Field(default_factory=empty_list)
    outbound_terms: list[str]
    inbound_terms: list[str] = Field(default_factory=empty_list)
    outbound_only_terms: list[str]
    outbound_only_subject_terms: list[str] = Field(default_factory=empty_list)
    outbound_only_optional_after: list[str] = Field(default_factory=empty_list)
    outbound_only_optional_before: list[str] = Field(default_factory=empty_list)
    services: dict[DependencyService, _Service]
    short_lived: list[str]
    maker_held: list[str]
    hospital_issued: list[str]
    maker_issued: list[str]
    detective_terms: list[str]
    recording_terms: list[str] = Field(default_factory=empty_list)
    log_handling_verbs: list[str] = Field(default_factory=empty_list)
    retention_patterns: list[str]
    format_terms: list[str]
    scan_terms: list[str]
    scan_profile_terms: list[str]
    incident_terms: list[str]
    service_return_terms: list[str]
    backup_terms: list[str]
    credential_kinds: list[_CredentialKind]
    hospital_words: list[str]
    person_terms: list[str] = Field(default_factory=empty_list)
    client_terms: list[str] = Field(default_factory=empty_list)
    attacker_terms: list[str] = Field(default_factory=empty_list)
    optional_terms: list[str] = Field(default_factory=empty_list)
    default_off_terms: list[str] = Field(default_factory=empty_list)
    loopback_terms: list[str] = Field(default_factory=empty_list)
    tunnel_terms: list[str] = Field(default_factory=empty_list)
    same_connection_terms: list[str] = Field(default_factory=empty_list)
    relayed_protocols: list[str] = Field(default_factory=empty_list)
    tunnel_protocols: list[str] = Field(default_factory=empty_list)
    unnamed_tunnel_words: list[str] = Field(default_factory=empty_list)
    tunnel_carrier_words: list[str] = Field(default_factory=empty_list)
    cellular_terms: list[str] = Field(default_factory=empty_list)
    eap_terms: list[str] = Field(default_factory=empty_list)
    authenticator_terms: list[str] = Field(default_factory=empty_list)
    cellular_other_links: list[str] = Field(default_factory=empty_list)
    host_name_suffixes: list[str] = Field(default_factory=empty_list)  # "com", "example", "home.arpa": ends a host name
    clear_ports_beside_tls: dict[str, str] = Field(default_factory=empty_dict)
    named_protocols: list[str] = Field(default_factory=empty_list)
    server_terms: list[str] = Field(default_factory=empty_list)
    listener_terms: list[str] = Field(default_factory=empty_list)
    server_role_patterns: list[str] = Field(default_factory=empty_list)
    self_subject_words: list[str] = Field(default_factory=empty_list)
    any_port_terms: list[str] = Field(default_factory=empty_list)
    dynamic_port_terms: list[str] = Field(default_factory=empty_list)


@cache
def network_terms() -> NetworkTerms:
    return read_terms(vocabulary_file("hospital-network"))


def read_terms(path: Path) -> NetworkTerms:
    terms = load_validated(path, NetworkTerms)
    try:
        for rx in (*terms.initiator_patterns, *terms.acceptor_patterns, *terms.short_lived, *terms.retention_patterns):
            re.compile(rx)
    except re.error as exc:
        raise InputError(f"not a regular expression: {exc}", file=str(path)) from None
    return terms


def matcher(terms: Iterable[str]) -> Callable[[str], bool]:
    """Whole-word, case-insensitive; ``configur*`` matches every word starting with ``configur``."""
    rx = _rx(tuple(terms))
    return (lambda _t: False) if rx is None else (lambda text: bool(rx.search(text or "")))


@cache
def _rx(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = [re.escape(t[:-1]) + r"\w*" if t.endswith("*") else re.escape(t) + r"(?!\w)" for t in terms if t.strip("*")]
    # one look-behind for all the terms (it holds or not at a place whichever term follows): the same
    # places match as with one per term, about five times faster over a large register's text
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")", re.IGNORECASE) if parts else None


_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+")


def first_sentence_with(text: str, hit: Callable[[str], bool]) -> str | None:
    """The first sentence of *text* that *hit* accepts, as written."""
    for sentence in _SENTENCE_END.split(" ".join((text or "").split())):
        if sentence and hit(sentence):
            return sentence
    return None


# ------------------------------------------------------------------------------------- zones


@dataclass(frozen=True)
class ZoneInfo:
    kind: ZoneKind | None
    stated: bool  # False: inferred from the zone's words (or not known at all when kind is None)
    from_description: bool = False  # inferred from the zone's description, not its name or tags


# A description speaks of the other side of the zone's boundary after these words: "separates the client
# (public internet) from the servers", "isolated from the internet", "between the LAN and the WAN",
# "reachable from the internet", "connected to the cloud", "no internet access", "internet-facing". What
# they govern runs to the end of the clause (a comma, semicolon, colon or full stop).
_BOUNDARY_VERB = re.compile(
    r"\b(?:separat|isolat|segregat|divid|partition|shield|protect|fenc)\w*\b[^,;:.!?]*?\b(?:from|between)\b[^,;:.!?]*",
    re.IGNORECASE,
)
_FACING = r"\b[\w-]+[- ]facing\b"  # "internet-facing": what the zone faces, not what it is
_OTHER_SIDE = re.compile(
    r"\b(?:from|between|to|towards?|than|not|no|never|without|unlike|outside|beyond|except|versus|vs|against|"
    r"instead of)\b[^,;:.!?]*|" + _FACING,
    re.IGNORECASE,
)


def zone_words(zone: TrustZone) -> list[str]:
    """A zone's name and tags as they say what it is: "Internet-facing DMZ" is a DMZ, not the internet."""
    return [re.sub(_FACING, " ", t, flags=re.IGNORECASE) for t in (zone.name, *zone.tags)]


def own_words(description: str) -> str:
    """The words of a zone's *description* that say what the zone is: every clause about what it is
    separated from, reached from, connected to or unlike is left out ("Separates client (public internet)
    from server-side components" says nothing of what the zone itself is)."""
    return _OTHER_SIDE.sub(" ", _BOUNDARY_VERB.sub(" ", " ".join((description or "").split())))


def zone_kind(zone: TrustZone, terms: NetworkTerms | None = None) -> ZoneInfo:
    """The zone's kind as stated, else as its name and tags suggest, else as its description's own words
    do (:func:`own_words`: never the words about the other side of its boundary)."""
    if zone.kind is not None:
        return ZoneInfo(zone.kind, True)
    terms = terms or network_terms()
    for n, text in enumerate((" ".join(zone_words(zone)), own_words(zone.description))):
        for kind, words in terms.zone_kinds.items():
            if matcher(words)(text):
                return ZoneInfo(kind, False, from_description=n == 1)
    return ZoneInfo(None, False)


# ------------------------------------------------------------------------------------- ports


@dataclass(frozen=True)
class Port:
    number: str  # "443" or "5000-5010"
    transport: str | None  # "TCP", "UDP" or None when not stated or implied
    tentative: bool = False  # written with a doubt: "443?", "443 (to be confirmed)", "e.g. 443"
    either: str = ""  # "443 to 8443": a range or one port mapped to another; the words, for the question

    def __str__(self) -> str:
        text = f"{self.transport} {self.number}" if self.transport else self.number
        return f"{text} (not confirmed)" if self.tentative or self.either else text


_TRANSPORT = r"(?:tcp|udp)(?:\s*(?:/|\+|&|\band\b|\bor\b)\s*(?:tcp|udp))?"  # "TCP", "TCP/UDP", "tcp+udp"
# a range is "5000-5010", "5000..5010", or in words "5000 to 5010", "from 5000 through 5010"
_RANGE_WORDS = r"\s+(?:to|through|thru|until)\s+"
_PORT_RX = re.compile(
    rf"(?:(?P<pre>{_TRANSPORT})\s*[/: ]?\s*)?(?<![\w.-])(?P<num>\d{{1,5}}(?:(?:\s*[-–]\s*|\.\.|{_RANGE_WORDS})\d{{1,5}})?)(?!\w|\.\d)"
    # a transport after the number is its own ("514/udp", "443 (TCP)", "5000 UDP"), not the next port's ("UDP 514/TCP 6514")
    rf"(?:(?:\s*/\s*|\s*\(\s*|\s+)(?P<post>{_TRANSPORT})\b(?!\s*[:/]?\s*\d))?",
    re.IGNORECASE,
)
# "v2", "version 3", "RFC 5425", "IEC 62443", "802.1X" name a version or a standard whatever the number; a
# protocol name before a small number is its version ("HTTP/2", "HL7 2"), before a port-sized one or after a
# colon it labels the port ("HTTP 8080", "HTTP: 80")
_VERSIONISH = re.compile(r"(?<![a-z])(?:v|version|rfc|iso|iec|ieee|802|r)\s*$", re.IGNORECASE)
_PROTOCOL_VERSIONISH = re.compile(r"(?<![a-z])(?:tls|http|ipv|wpa|hl7|fhir)\s*[/ ]?\s*$", re.IGNORECASE)
# a number that points elsewhere ("see table 4", "step 3") or bounds a range ("> 1024", "above 1024") is no port
_NOT_A_PORT = re.compile(
    r"(?:(?<![a-z])(?:see|table|tab|section|sect|figure|fig|page|p|chapter|annex|appendix|step|row|item|note|ref|"
    r"requirement|req|above|over|below|under|than)\.?|(?<![-=])[<>]|[≤≥])\s*$",
    re.IGNORECASE,
)
# a redirect or a translation names two ports, never a range between them ("redirect from 80 to 443")
_TWO_ENDS = re.compile(r"\b(?:redirect\w*|forward\w*|map\w*|translat\w*|nat|rewrit\w*)\b", re.IGNORECASE)
# "to" between two numbers reads as a range ("5000 to 5010") or as one port sent on to another ("443 to 8443")
_AMBIGUOUS_TO = re.compile(r"\d\s+to\s+\d", re.IGNORECASE)


def _spans_service_ports(num: str) -> bool:
    """Whether a range in words runs from a well-known port (below 1024) into the registered ones: "443 to 8443",
    "80 to 8080" open thousands of ports as a range and are more often a mapping; "5000 to 5010" is a range."""
    first, second = (int(x) for x in re.split(_RANGE_WORDS, num, flags=re.IGNORECASE))
    return first < 1024 <= second


# a port the text excludes: "never 80", "not 8080 or 8443", "443 only, no 80" ("except" is left alone: "all ports
# except 443" names the one in use); or says is shut:
# "22 (disabled)", "22 (SSH, disabled)", "port 80 is closed"
_EXCLUDED_BEFORE = re.compile(  # the negation governs the number: only port words and other numbers between them
    r"\b(?:not|never|no|nor|without|instead of)\s+(?:(?:on|via|over|port|ports|tcp|udp|or|and|nor|"
    r"\d{1,5})\b[\s,/]*)*$",
    re.IGNORECASE,
)
_EXCLUDED_AFTER = re.compile(
    r"^\s*(?:(?:/\s*)?(?:tcp|udp)\s*)?(?:\((?:[^(),;]*,\s*)?|:\s*|is\s+|are\s+)?(?:closed|blocked|disabled|not used|unused|"
    r"not (?:open|opened|required|needed|used|exposed|reachable|accessible|listening|enabled))\b"
    # shut only sometimes ("disabled by default", "closed when idle", "disabled unless in service mode"): a port in use
    r"(?!\s+(?:by default|unless|until|when|while|except|outside|if|during|in normal|between))",
    re.IGNORECASE,
)
# a source port is no port a rule opens towards the other end: "1024-65535 (client source ports)", "source port 5000",
# "ephemeral 49152-65535"
_SOURCE_PORT = re.compile(r"\b(?:source|src|ephemeral|client[- ]side|client ports?)\b", re.IGNORECASE)
# words in a port text that make the number a guess: "443?", "443 (to be confirmed)", "e.g. 443", "probably 8443"
_TENTATIVE = re.compile(
    r"\?|\b(?:tbc|tbd|to be (?:confirmed|defined|decided|determined|agreed)|not confirmed|unconfirmed|tentative|"
    r"provisional|probably|possibly|maybe|e\.\s*g\.?|for example|approx\w*|assumed|guess)",
    re.IGNORECASE,
)


def parse_ports(port: str | None, *texts: str | None, terms: NetworkTerms | None = None) -> list[Port]:
    """Every port stated for a flow: any number in its *port* text ("443/tcp", "1812/udp (RadSec 2083/tcp)"),
    and in other *texts* (its protocol) only a number marked as a port ("HTTPS / TCP 443", "port 2575"), so
    that "every 5 min" is not a port. The transport is as written, else as the protocol name implies
    (:func:`implied_transport`: HTTPS is TCP, HTTP/3 UDP; a DNS port is opened on UDP and on TCP). Versions and
    standards ("TLS 1.2", "RFC 5425", "802.11") are never ports."""
    terms = terms or network_terms()
    implied = implied_transport(port, *texts, terms=terms)
    ports = _read_ports(port, *texts, implied=implied if implied in ("TCP", "UDP") else None)[0]
    if implied != "UDP and TCP":
        return ports
    # DNS, Kerberos: the one port on both transports, UDP first as the protocol mostly uses it. Named beside another
    # protocol ("LDAPS / Kerberos" on "636, 88"), only their own ports run on both: 636 is the other's, over its transport
    joined = " ".join(t for t in (port, *texts) if t)
    beside = implied_transport(re.sub(_words_rx(terms.both_transport_protocols), " ", joined), terms=terms)
    own = {n for name, numbers in terms.both_transport_ports.items() if matcher([name])(joined) for n in numbers}
    if beside not in ("TCP", "UDP"):
        return [q for p in ports for q in ((p,) if p.transport else _both(p))]
    return [q for p in ports for q in ((p,) if p.transport else _both(p) if p.number in own else (replace(p, transport=beside),))]


def _words_rx(words: Iterable[str]) -> str:
    """A pattern for any of *words* as whole words (case-insensitive)."""
    return r"(?i)\b(?:" + "|".join(re.escape(w) for w in words) + r")\b"


def _both(p: Port) -> tuple[Port, Port]:
    return (
        Port(p.number, "UDP", p.tentative, p.either),
        Port(p.number, "TCP", p.tentative, p.either),
    )


# a port that only sends a browser on to another: "80 (redirects to 443)", "redirect from 80 to 443", "80 redirected to 443"
_REDIRECT = re.compile(
    r"\bredirect\w*\s+(?:from\s+)?(?:port\s+)?(?:tcp\s*)?(?P<a>\d{1,5})(?:/tcp)?\s+to\s+(?:port\s+)?(?:tcp\s*)?(?P<b>\d{1,5})"
    r"|(?<![\w.])(?P<c>\d{1,5})(?:/tcp)?\s*[(:,-]?\s*(?:is\s+|are\s+|only\s+)*redirect\w*\s+(?:\w+\s+){0,2}?to\s+(?:port\s+)?(?:tcp\s*)?"
    r"(?P<d>\d{1,5})\b",
    re.IGNORECASE,
)
_PLAIN_HTTP = re.compile(r"\bhttp\b(?![/ ]*(?:s\b|over tls|with tls))", re.IGNORECASE)


def redirect_only(f: Flow, terms: NetworkTerms | None = None) -> dict[str, str]:
    """The ports of a flow that only redirect to another of its ports ("80 (redirects to 443)"), each with the port it
    sends on to, where the flow's protocol serves no plain HTTP: HTTPS needs the port it is sent to, not the redirect.
    A protocol naming HTTP itself ("HTTP / HTTPS") serves pages on the first port too: nothing is left out."""
    if _PLAIN_HTTP.search(f.protocol or "") or not f.port:
        return {}
    numbers = {p.number for p in parse_ports(f.port, f.protocol, terms=terms)}
    out: dict[str, str] = {}
    for m in _REDIRECT.finditer(f.port):
        a, b = m.group("a") or m.group("c"), m.group("b") or m.group("d")
        if a in numbers and b in numbers and a != b:
            out[a] = b
    return out


def portless(f: Flow, terms: NetworkTerms | None = None) -> str:
    """The rule's protocol for a flow over an IP protocol that has no port ("ICMP (no port)", ``portless_protocols``),
    or "": read from its protocol, where no port and no transport is stated ("Ping API" names no protocol)."""
    terms = terms or network_terms()
    text = f.protocol or ""
    if f.port and parse_ports(f.port, f.protocol, terms=terms) or implied_transport(f.port, f.protocol, terms=terms):
        return ""
    return next((p.label for p in terms.portless_protocols if matcher(p.terms)(text)), "")


def implied_transport(*texts: str | None, terms: NetworkTerms | None = None) -> str | None:
    """The transport a flow's protocol names imply, where its text says neither TCP nor UDP alone: "TCP" (HTTPS,
    SSH, LDAP, MLLP, DICOM: ``tcp_protocols``), "UDP" (NTP, SNMP, RADIUS: ``udp_protocols``; HTTP/3 and QUIC:
    ``udp_variant_terms``, though they say HTTP too), "UDP and TCP" (DNS, Kerberos: ``both_transport_protocols``, alone
    or named beside another protocol, "LDAPS / Kerberos"; not carried in one: "DNS over HTTPS" is TCP); None where the
    names leave it open (syslog, a protocol of both lists, no known protocol)."""
    terms = terms or network_terms()
    joined = " ".join(t for t in texts if t)
    tcp, udp = matcher(terms.tcp_protocols)(joined), matcher(terms.udp_protocols)(joined)
    if matcher(terms.udp_variant_terms)(joined) and not re.search(r"\btcp\b", joined, re.IGNORECASE):
        # "HTTP/2 or HTTP/3": the TCP form beside the UDP one (a client falls back to it)
        return "UDP and TCP" if re.search(r"\bhttp/(?:1(?:\.[01])?|2)(?![\w.])|\bh2\b", joined, re.IGNORECASE) else "UDP"
    both = matcher(terms.both_transport_protocols)(joined)
    # a protocol of both transports named beside another ("LDAPS / Kerberos"), not carried in it ("DNS over HTTPS")
    said = re.search(r"\b(?:tcp|udp)\b", joined, re.IGNORECASE)  # a transport written ("DNS (UDP)") is the model's
    if both and not said and (not (tcp or udp) or not re.search(r"\b(?:over|via|in|inside|through)\b", joined, re.IGNORECASE)):
        return "UDP and TCP"
    if tcp != udp:
        return "TCP" if tcp else "UDP"
    return None


def excluded_ports(port: str | None, *texts: str | None) -> list[str]:
    """The port numbers a flow's *port* text (and its protocol, where marked as ports) says are not used:
    "443 only, never 80" → ["80"]; "22 (SSH, disabled)" → ["22"]."""
    return _read_ports(port, *texts, implied=None)[1]


# an IPv6 address ("[2001:db8::10]:443", "fd00:10::20"): its groups are no ports; at least two colons, so "HTTP: 80" stays
IPV6 = re.compile(r"\[?(?<![\w:])[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?<=[0-9a-f:])(?![\w:])\]?", re.IGNORECASE)


def _read_ports(port: str | None, *texts: str | None, implied: str | None) -> tuple[list[Port], list[str]]:
    out: list[Port] = []
    excluded: list[str] = []
    for i, raw in enumerate((port, *texts)):
        text = IPV6.sub(lambda a: " " * len(a.group(0)), raw or "")  # blanked, so that offsets stay
        for m in _PORT_RX.finditer(text or ""):
            pre, post = m.group("pre"), m.group("post")
            named = [t.upper() for t in re.findall(r"tcp|udp", f"{pre or ''} {post or ''}", re.IGNORECASE)]
            proto = named[0] if len(set(named)) == 1 else None  # "TCP/UDP" names no single transport
            before = (text or "")[: m.start("num")]
            word = before.rstrip(" /:#")
            if not named and (
                _VERSIONISH.search(word[-8:])
                or (_PROTOCOL_VERSIONISH.search(before[-8:]) and all(int(n) < 10 for n in re.findall(r"\d+", m.group("num"))))
            ):
                continue
            if _NOT_A_PORT.search(word[-14:]):
                continue
            if i > 0 and not named and not re.search(r"\bports?$", word, re.IGNORECASE):
                continue
            num = m.group("num")
            either = ""
            if re.search(_RANGE_WORDS, num, re.IGNORECASE) and _TWO_ENDS.search(before):
                # "redirect from 80 to 443": two ports, each read on its own
                first, second = re.split(_RANGE_WORDS, num, flags=re.IGNORECASE)
                nums = [first, second]
            elif _AMBIGUOUS_TO.search(num) and _spans_service_ports(num):
                # "443 to 8443": a range from a well-known port into the registered ones, or 443 mapped to 8443?
                # the narrower reading is ruled, marked not confirmed, and asked
                nums = re.split(_RANGE_WORDS, num, flags=re.IGNORECASE)
                either = " ".join(num.split())
            else:
                nums = [re.sub(_RANGE_WORDS + r"|\.\.", "-", num, flags=re.IGNORECASE)]
            # its own words: back to the number before it or the clause's start, on to the next number or clause
            clause = re.split(r"[,;]|\d", before)[-1] + re.split(r"[,;]|\d", (text or "")[m.end("num") :])[0]
            if _SOURCE_PORT.search(clause):  # the connecting end's own port, not the one a rule opens
                continue
            for n in nums:
                n = re.sub(r"\s+", "", n).replace("–", "-")
                if not all(0 < int(x) < 65536 for x in n.split("-")):
                    continue
                if _EXCLUDED_BEFORE.search(before) or _EXCLUDED_AFTER.search((text or "")[m.end("num") :]):
                    if n not in excluded:
                        excluded.append(n)
                    continue
                found = Port(n, proto or implied, i == 0 and bool(_TENTATIVE.search(text or "")), either)
                # one port per number and transport: "TCP 443 and UDP 443" is two ports (HTTP/2 and HTTP/3)
                if all(p.number != n or None not in (p.transport, found.transport) and p.transport != found.transport for p in out):
                    out.append(found)
    return out, excluded


# a number written where a port goes but which is none: "TCP+SSL 500002 JSON RPC" (a real Threat Dragon flow name),
# "port 70000", "0/tcp"; a port runs from 1 to 65535
_PORT_SIZED = re.compile(r"(?<![\w.])(\d+)(?![\w.]\d|\w)")
_PORT_MARK = re.compile(r"\b(?:tcp|udp|port|ports|ssl|tls)\b[^\d,;.]{0,12}$", re.IGNORECASE)


def invalid_ports(port: str | None, *texts: str | None) -> list[str]:
    """The numbers a flow gives where a port goes that are no port (0, or above 65535): any such number in its
    *port* text, and in other *texts* (its name, its protocol) one marked as a port ("TCP+SSL 500002")."""
    out: list[str] = []
    for i, text in enumerate((port, *texts)):
        for m in _PORT_SIZED.finditer(text or ""):
            n = m.group(1)
            if 0 < int(n) < 65536 or n in out:
                continue
            if i == 0 or _PORT_MARK.search((text or "")[: m.start()]) or re.match(r"\s*/\s*(?:tcp|udp)\b", (text or "")[m.end() :], re.I):
                out.append(n)
    return out


_NOT_OPTIONAL = re.compile(r"\b(?:not|never|non)[\s-]*(?:an?\s+)?(?:optional|opt-in)\b", re.IGNORECASE)


def optional_flow(f: Flow, terms: NetworkTerms | None = None) -> str:
    """The words saying a flow is optional, as written, or "": its name or port ("De-identified log upload
    (optional)", ``optional_terms``), or a sentence of its name, protocol, port or description saying it is off
    until turned on ("Off by default.", ``default_off_terms``). "An optional keypad lock" in a description
    speaks of something else, so a description is read only for the second kind."""
    terms = terms or network_terms()
    named, off = matcher(terms.optional_terms), matcher(terms.default_off_terms)
    # "443, 8443 (admin, optional)": the word is one port's, not the flow's (:func:`optional_ports`)
    texts = (f.name,) if optional_ports(f, terms) else (f.name, f.port)
    said = [" ".join(text.split()) for text in texts if text and named(text) and not _NOT_OPTIONAL.search(text)]
    for text in (f.name, f.protocol, f.port, f.description):
        sentence = first_sentence_with(text or "", off)
        if sentence and not _NOT_OPTIONAL.search(sentence) and sentence not in said:
            said.append(sentence)
    return "; ".join(f"“{s}”" for s in said)


def optional_ports(f: Flow, terms: NetworkTerms | None = None) -> dict[str, str]:
    """The ports a flow's port text calls optional where it gives others that it does not ("443, 8443 (admin,
    optional)": 8443 only), each with its words as written; {} where it gives one port, or calls none or every one
    optional (then the flow is: :func:`optional_flow`). A port's words run from its number to the next number."""
    terms = terms or network_terms()
    named = matcher(terms.optional_terms)
    text = f.port or ""
    spans = list(_PORT_RX.finditer(text))
    if len(spans) < 2 or not named(text):
        return {}
    numbers = {p.number for p in parse_ports(f.port, terms=terms)}
    out: dict[str, str] = {}
    for i, m in enumerate(spans):
        own = text[m.start() : spans[i + 1].start() if i + 1 < len(spans) else len(text)]
        number = re.sub(r"\s+", "", m.group("num")).replace("–", "-")
        if number in numbers and named(own) and not _NOT_OPTIONAL.search(own):
            out[number] = " ".join(own.strip(" ,;").split())
    return out if 0 < len(out) < len(spans) else {}


_NOT_LOOPBACK = re.compile(r"\b(?:not|never|no longer|instead of)\s+(?:on\s+|over\s+|via\s+|to\s+)?(?:the\s+)?\S*$", re.IGNORECASE)


def loopback(f: Flow, terms: NetworkTerms | None = None, ends: Iterable[str] = ()) -> str:
    """The sentence saying a flow stays on one host ("random port localhost", "5432/tcp (local to the server)",
    ``loopback_terms``), as written, or "": its name (without its ends' names), protocol, port or description.
    A loopback connection never reaches a network firewall. "Not localhost" says the opposite."""
    terms = terms or network_terms()
    rx = _rx(tuple(terms.loopback_terms))
    if rx is None:
        return ""
    for text in (without(f.name, ends), f.protocol, f.port, f.description):
        for sentence in _SENTENCE_END.split(" ".join((text or "").split())):
            hits = list(rx.finditer(sentence))
            if hits and not any(_NOT_LOOPBACK.search(sentence[: h.start()]) for h in hits):
                return sentence
    return ""


def eap_to_radius(f: Flow, elements: dict[str, Element], terms: NetworkTerms | None = None) -> str:
    """The RADIUS server's id where a flow draws a device's EAP (802.1X) straight to it ("EAP-TLS over RADIUS" from the
    pump, ``eap_terms``), else "": the device speaks EAP over its link to the access point or switch it joins, which
    sends it on in RADIUS from its own address; a rule from the device's address to the server would be wrong. Not
    where the other end is the authenticator itself (kind ``network``, or ``authenticator_terms`` in its name)."""
    terms = terms or network_terms()
    if not matcher(terms.eap_terms)(f.protocol or ""):
        return ""
    radius = next((s for s in terms.service_servers if "radius" in s.protocols), None)
    if radius is None:
        return ""
    named = {e: _QUALIFIER.sub(" ", getattr(elements.get(e), "name", "")) for e in (f.source, f.target)}
    servers = [e for e in named if matcher(radius.servers)(named[e])]
    if len(servers) != 1 or f.source == f.target:
        return ""
    other = f.target if servers[0] == f.source else f.source
    el = elements.get(other)
    if el is None or el.kind == "network" or matcher(terms.authenticator_terms)(named[other]):
        return ""
    return servers[0]


def cellular(f: Flow, terms: NetworkTerms | None = None, ends: Iterable[str] = ()) -> str:
    """The words saying a flow runs over the device's own cellular link ("HTTPS over LTE", ``cellular_terms``), as
    written, or "": its name (without its ends' names), protocol or port; not its description, which may speak of a
    fallback. Such a flow leaves through the carrier's network, not the hospital's: no hospital firewall sees or stops
    it. Not where the same text names a hospital link too ("Wi-Fi or LTE") or denies it ("not over LTE")."""
    terms = terms or network_terms()
    rx = _rx(tuple(terms.cellular_terms))
    other = _rx(tuple(terms.cellular_other_links))
    if rx is None:
        return ""
    texts = [t for t in (f.protocol, f.port, without(f.name, ends)) if t]
    if other is not None and any(other.search(t) for t in texts):
        return ""
    for text in texts:
        for sentence in _SENTENCE_END.split(" ".join(text.split())):
            hits = list(rx.finditer(sentence))
            if hits and not any(_NOT_LOOPBACK.search(sentence[: h.start()]) for h in hits):
                return sentence
    return ""


def short_protocol(text: str | None) -> str:
    """A protocol without its parenthesised remarks: "HTTPS over 802.11 (polling every 5 min)" → "HTTPS over
    802.11"; a remark naming an alternative is kept as one: "RADIUS (or RadSec, at the hospital's choice)" →
    "RADIUS or RadSec", since the port column may list the alternative's port."""
    if not text:
        return "not stated"
    out = re.sub(r"\s*\(\s*(or\s+[^),;]+)[^)]*\)", r" \1", text)
    out = re.sub(r"\s*\([^)]*\)", "", out).strip(" ,;")
    return " ".join(out.split()) or text.strip()


_OR_PORTS = re.compile(r"\d\s*(?:/\s*(?:tcp|udp))?(?:\s+|\s*[()]\s*)or\s+\(?\s*(?:tcp\s*|udp\s*)?\d", re.IGNORECASE)


def alternatives(f: Flow) -> str:
    """The model's words giving a flow's ports as alternatives, one of which the site uses ("RADIUS (or RadSec, at the
    hospital's choice)" with 1812/udp and 2083/tcp; "443 or 8443"), or "": its rule opens one, not all."""
    proto = short_protocol(f.protocol) if f.protocol else ""
    if re.search(r"\bor\b", proto, re.IGNORECASE) and len(parse_ports(f.port, f.protocol)) > 1:
        return proto
    return (f.port or "") if _OR_PORTS.search(f.port or "") else ""


def relayed(f: Flow, terms: NetworkTerms | None = None) -> bool:
    """Whether a flow's protocol is one a relay carries between segments (``relayed_protocols``: DHCP, whose request
    is a broadcast a router's relay sends on from its own address)."""
    terms = terms or network_terms()
    return matcher(terms.relayed_protocols)(f.protocol or "")


def over_tunnel(protocol: str, terms: NetworkTerms | None = None) -> bool:
    """Whether a protocol is written as another protocol carried over a tunnel ("RDP over VPN", "SSH via IPsec";
    ``tunnel_carrier_words``): its port is what runs inside the tunnel, not what a firewall between segments sees.
    Not a tunnel protocol named first ("OpenVPN over UDP", "IPsec in tunnel mode"): that is the tunnel itself."""
    terms = terms or network_terms()
    if not terms.tunnel_carrier_words:
        return False
    tunnel = matcher(terms.tunnel_protocols)
    words = "|".join(re.escape(w) for w in terms.tunnel_carrier_words)
    m = re.match(rf"\s*(?P<inner>.+?)\s+(?:{words})\s+(?:(?:an?|the)\s+)?(?P<outer>.+)$", protocol, re.IGNORECASE | re.DOTALL)
    return bool(m and tunnel(m["outer"]) and not tunnel(m["inner"]))


def tunnelled(f: Flow, flows: Iterable[Flow], terms: NetworkTerms | None = None) -> tuple[str, list[str]]:
    """The words saying a flow runs inside a tunnel (``tunnel_terms``: "Runs inside the IPsec tunnel of F-08"; or its
    protocol written so: "RDP over VPN", :func:`over_tunnel`), as written, and the ids of the flows beside it that are
    tunnels (``tunnel_protocols``, sharing one of its ends); ("", []) where it says none, names a tunnel protocol
    itself, or, said only in a sentence, no tunnel flow shares an end with it. A protocol written as carried over a
    tunnel is so even where the model draws no tunnel beside it (the ids are then empty): its port is inside a VPN
    the model does not describe. A firewall sees the tunnel, not what it carries."""
    terms = terms or network_terms()
    tunnel = matcher(terms.tunnel_protocols)
    over = over_tunnel(f.protocol or "", terms)
    if tunnel(f.protocol or "") and not over:
        return "", []

    def hit(sentence: str) -> bool:
        return _affirmed(sentence, terms.tunnel_terms)

    said = next((s for text in (f.protocol, f.port, f.description) if (s := first_sentence_with(text or "", hit))), "")
    if over and not said:
        said = (f.protocol or "").strip()
    if not said:
        return "", []
    ends = {f.source, f.target}
    tunnels = [
        o.id
        for o in flows
        if o.id != f.id
        and ends & {o.source, o.target}
        and tunnel(f"{o.protocol or ''} {o.name or ''}")
        and not over_tunnel(o.protocol or "", terms)  # another flow carried over a tunnel is not the tunnel
    ]
    return (said, tunnels) if tunnels or over else ("", [])


def inside_what(tunnels: list[str]) -> str:
    """Where a tunnelled flow runs, for the guides and the PTM: "inside F-08", or, where the model names a tunnel it
    does not draw as a flow ("RDP over VPN" and no VPN flow), says so."""
    return f"inside {', '.join(tunnels)}" if tunnels else "inside a VPN the model does not draw as a flow"


_WRITTEN_TRANSPORT = re.compile(r"\b(?:tcp|udp)\b", re.IGNORECASE)


# how a flow whose port text says which ports without a number is written where a port goes
OPEN_PORT_WORDS = {"any": "any port (as the model states)", "dynamic": "dynamic ports: ask the maker for the range"}


def open_ports(f: Flow, terms: NetworkTerms | None = None) -> Literal["any", "dynamic"] | None:
    """What a port text that states no number says of the ports: "any" ("any", "all ports", "*": every port, as the
    model states), "dynamic" ("dynamic", "ephemeral", "random": chosen at run time), or None. A stated number wins:
    "49152-65535 (dynamic)" is a range."""
    terms = terms or network_terms()
    text = " ".join((f.port or "").split())
    if not text or parse_ports(f.port, f.protocol, terms=terms):
        return None
    if matcher(terms.dynamic_port_terms)(text):
        return "dynamic"
    # a word alone ("any", "all", "*") only as the whole text; a phrase ("any port") anywhere in it
    if text.strip(" .").lower() in {t.lower() for t in terms.any_port_terms} or matcher([t for t in terms.any_port_terms if " " in t])(
        text
    ):
        return "any"
    return None


def transport(f: Flow, terms: NetworkTerms | None = None, ends: Iterable[str] = ()) -> Transport:
    """Whether a flow is IP traffic a firewall sees, a local link (USB, BLE, keypad), or not clear. The names
    of its two ends (*ends*) are left out of its name: a flow an importer called "Cloud API to MySQL database"
    names a database, not the MySQL protocol."""
    terms = terms or network_terms()
    text = " ".join(x for x in (f.protocol, f.port, without(f.name, ends)) if x)
    ports = parse_ports(f.port, f.protocol, terms=terms)
    # "Raw TCP (serial tunnelling)" on TCP 4001: a serial stream a device server carries over IP is network traffic
    carried = any(p.transport for p in ports) and _WRITTEN_TRANSPORT.search(" ".join(x for x in (f.protocol, f.port) if x))
    if matcher(terms.local_links)(text) and not carried:
        return "local"
    if matcher(terms.ip_protocols)(text) or ports or open_ports(f, terms):  # "dynamic ports": network, no number
        return "network"
    return "unknown"


_NOT_MULTICAST = re.compile(r"\b(?:not|never|no|non|without)[\s-]+(?:a\s+|by\s+|via\s+)?$", re.IGNORECASE)


def multicast(f: Flow, terms: NetworkTerms | None = None, ends: Iterable[str] = ()) -> str:
    """The words saying a flow is sent by multicast or broadcast (discovery: "Broadcast" over UPnP, SSDP, mDNS), as
    written, or "": its name (without its ends' names *ends*), protocol or port has a ``multicast_terms`` term not
    negated ("no broadcast", "non-multicast"), or a ``discovery_terms`` word beside a protocol of
    ``multicast_protocols`` ("UPnP discovery"). Such traffic reaches one subnet only: no unicast rule carries it."""
    terms = terms or network_terms()
    ports = parse_ports(f.port, f.protocol, terms=terms)
    if implied_transport(f.port, f.protocol, terms=terms) == "TCP" or (ports and all(p.transport == "TCP" for p in ports)):
        return ""  # TCP is one connection between two hosts: an "alarm broadcast" over HTTPS is sent to each by name
    texts = [t for t in (without(f.name or "", ends), f.protocol, f.port) if t and t.strip()]
    hit = _rx(tuple(terms.multicast_terms))
    said = [
        " ".join(text.split())
        for text in texts
        if hit is not None and any(not _NOT_MULTICAST.search(text[: h.start()]) for h in hit.finditer(text))
    ]
    joined = " ".join(texts)
    names = [n for p in terms.multicast_protocols for n in p.names]
    if not said and matcher(names)(joined) and matcher(terms.discovery_terms)(joined):
        said = [" ".join(t.split()) for t in texts]
    return "; ".join(dict.fromkeys(said))


# a multicast group the model gives: IPv4 224.0.0.0/4, IPv6 ff00::/8
_GROUP = re.compile(
    r"(?<![\d.])2(?:2[4-9]|3\d)(?:\.\d{1,3}){3}(?![\d.])|(?<![\w:])ff[0-9a-f]{2}:[0-9a-f:]*[0-9a-f](?![\w:])", re.IGNORECASE
)


def multicast_groups(f: Flow) -> list[str]:
    """The multicast group addresses a flow's port or protocol text gives ("239.10.1.1 UDP 7100")."""
    return list(dict.fromkeys(m.group(0) for t in (f.port, f.protocol) if t for m in _GROUP.finditer(t)))


def link_local_group(group: str) -> bool:
    """Whether a multicast group is of link-local scope (IPv4 224.0.0.0/24, IPv6 ff02::/16 and ff01::/16): no multicast
    router forwards it, whatever the hospital sets up; only a gateway that repeats it (an mDNS gateway) reaches further."""
    g = group.strip().lower()
    if g.startswith("ff"):
        return len(g) >= 4 and g[3] in "12"
    return g.startswith("224.0.0.")


def discovery(f: Flow, terms: NetworkTerms | None = None, ends: Iterable[str] = ()) -> bool:
    """Whether a flow sent by multicast or broadcast is discovery (SSDP, mDNS, "Printer discovery"), which a setting
    may turn off and an address set by hand may replace, rather than a stream of data sent to a group ("Waveform
    multicast" to the central station), which is the device's work."""
    terms = terms or network_terms()
    text = " ".join(t for t in (without(f.name or "", ends), f.protocol, f.port) if t)
    names = [n for p in terms.multicast_protocols for n in p.names]
    return matcher([*names, *terms.discovery_terms])(text) or not matcher(terms.stream_terms)(text)


def either_opener(f: Flow, terms: NetworkTerms | None = None) -> bool:
    """Whether the flow's protocol is one either end may open, as the two systems are set up (HL7 v2 over MLLP):
    with no opener stated, no end is more likely than the other."""
    terms = terms or network_terms()
    return matcher(terms.either_opener_protocols)(f.protocol or "")


def multicast_protocol(f: Flow, terms: NetworkTerms | None = None) -> _Multicast | None:
    """The discovery protocol a flow's protocol or name names (``multicast_protocols``), with its standard group and port."""
    terms = terms or network_terms()
    text = " ".join(t for t in (f.protocol, f.name) if t)
    return next((p for p in terms.multicast_protocols if matcher(p.names)(text)), None)


def protocol_clash(f: Flow, terms: NetworkTerms | None = None, ends: Iterable[str] = ()) -> tuple[list[str], list[str]] | None:
    """The protocols a flow's name names and the different ones its protocol names, when they disagree
    (``named_protocols``): "gRPC OTEL" drawn with the protocol "RPC or DCOM" (a real TMT model, its stencil) → the
    rule's protocol column would tell an engineer DCOM. None when they agree or one side names none. The names of
    its two ends (*ends*) are left out of its name."""
    terms = terms or network_terms()
    if not f.protocol or not f.name:
        return None
    name = without(f.name, ends)
    named = [t for t in terms.named_protocols if matcher([t])(name)]
    stated = [t for t in terms.named_protocols if matcher([t])(f.protocol)]
    # a protocol and its secured form agree ("LDAP Credential Check" over ldaps, "HTTP API" over HTTPS)
    if not named or not stated or any(a in b or b in a for a in named for b in stated):
        return None
    return named, stated


def without(text: str, names: Iterable[str]) -> str:
    """*text* with each of *names* (whole, case-insensitive) taken out."""
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", text, flags=re.IGNORECASE)
    return text


_QUALIFIER = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*")
# a phrase after the name saying where or whose ("Clinician at the bedside", "Technician on site"): the person
# word ends the name before it
_WHERE_PHRASE = re.compile(r"\s+(?:at|in|on|of|from|with|via|behind|near|inside|outside|using)\s+", re.IGNORECASE)


def is_person(el: Element | None, terms: NetworkTerms | None = None) -> bool:
    """Whether *el* is a person (a Threat Dragon actor "User", an external entity "Clinician") rather than a
    system: an external entity whose name ends in a person word (``person_terms``), remarks in brackets
    and a phrase saying where ("Clinician at the bedside") left aside. A person has no network address: no firewall rule can name one."""
    if el is None or el.kind != "external_entity":
        return False
    head = _WHERE_PHRASE.split(_QUALIFIER.sub(" ", el.name), maxsplit=1)[0]  # "Clinician at the bedside": a clinician
    words = re.findall(r"[\w'-]+", head) or re.findall(r"[\w'-]+", el.name)
    return bool(words) and matcher((terms or network_terms()).person_terms)(words[-1])


# ---------------------------------------------------------------------------------- initiator


@dataclass(frozen=True)
class Initiator:
    element: str  # element id of the end that opens the connection
    basis: Basis
    evidence: str = ""  # the words or the item that say so


def _end_words(model_el: Element | None, zone: TrustZone | None) -> str:
    if model_el is None:
        return ""
    return " ".join([model_el.name, model_el.id, *model_el.tags, zone.name if zone else "", model_el.kind])


def _is_client(el: Element | None, terms: NetworkTerms) -> bool:
    """Whether *el* only opens connections: a mobile app, or an element named as a browser or an app
    (``client_terms``: "Vantage Clinician app (hospital tablet)", "Web browser")."""
    if el is None:
        return False
    if el.kind == "mobile_app":
        return True
    # the client word heads the name: "Clinician app (tablet)", "Browser Client"; "App server" and "App API" are servers
    head = _WHERE_PHRASE.split(_QUALIFIER.sub(" ", el.name), maxsplit=1)[0].strip(" .,;:/-")
    rx = _rx(tuple(terms.client_terms))
    # "Web app" is the server a browser reaches, not the client: an app named for the web is served (``server_terms``)
    served = _rx(tuple(terms.server_terms))
    if served is not None and any(m.end() == len(head) for m in served.finditer(head)):
        return _heads(head, "client")
    return rx is not None and any(m.end() == len(head) for m in rx.finditer(head)) or _heads(head, "client")


# a negation that governs what follows it: "never initiated by", "is not cloud-initiated", "cannot be opened by"
_NEGATED = re.compile(
    r"\b(?:not|never|cannot|can't|isn't|aren't|doesn't|don't|won't|no longer)\s+(?:(?:be|been|being|ever|always|"
    r"directly|itself|themselves|an?|the)\s+)*$",
    re.IGNORECASE,
)
# what the clause says of the way it names: "server-initiated push is not used", "… is disabled"
_DENIED_AFTER = re.compile(
    r"^[^,;.:!?]*?\b(?:(?:is|are)\s+(?:not|never)\s+(?:used|supported|enabled|allowed|permitted|possible|enforced|required|"
    r"guaranteed|implemented)|disabled|"
    r"prohibited|forbidden|blocked)\b",
    re.IGNORECASE,
)


def _affirmed(text: str, words: list[str]) -> bool:
    """Whether *text* uses one of *words* without a negation before it ("no outbound connection" does not)."""
    rx = _rx(tuple(words))
    return rx is not None and any(
        not re.search(r"\b(?:no|not|never|without)\s+(?:\w+\s+)?$", text[: m.start()], re.IGNORECASE) for m in rx.finditer(text)
    )


def affirmed(text: str, words: list[str]) -> bool:
    """Whether *text* uses one of *words* not negated ("is not tunnelled", "does not run inside the tunnel" do not)."""
    return _affirmed(text, words)


def named_tunnel(f: Flow, terms: NetworkTerms | None = None) -> tuple[str, str]:
    """The tunnel protocol a flow's encryption or protocol names ("IPsec" of "IPsec VPN"), as written, and the text
    that names it; ("", "") where none does or only a word that names no protocol ("VPN") or it is denied."""
    terms = terms or network_terms()
    rx = _rx(tuple(terms.tunnel_protocols))
    unnamed = {w.lower() for w in terms.unnamed_tunnel_words}
    for text in (f.encryption, f.protocol):
        if not text or rx is None or says_none(text):
            continue
        for m in rx.finditer(text):
            if m.group(0).lower() not in unnamed and not re.search(r"\b(?:no|not|never|without)\s+(?:\w+\s+)?$", text[: m.start()], re.I):
                return m.group(0), text.strip()
    return "", ""


def _heads(name: str, word: str) -> bool:
    """Whether *word* is the last word of *name* ("Browser Client", "DICOM client", "Client")."""
    words = re.findall(r"[\w'-]+", name)
    return bool(words) and words[-1].lower() == word


_CONNECTS = re.compile(r"\b(?:connects?\s+to|opens|initiat\w*)\b", re.IGNORECASE)
# "The analyzer and the pump connect to the interface engine", "opens a TCP connection to the station"
_CONNECTS_TO = re.compile(
    r"\b(?:connects?|opens?\s+(?:a\s+|an\s+)?(?:[\w/-]+\s+){0,2}connections?)\s+to\s+(?P<obj>(?:[\w'’-]+\s+){0,4}[\w'’-]+)",
    re.IGNORECASE,
)
# what ends the clause a subject starts: a comma, a semicolon or a colon, or a conjunction ("… and the LIS acts as …")
_CLAUSE_BREAK = re.compile(r"[,;:]|\b(?:and|but|while|whilst|whereas)\b", re.IGNORECASE)
_INSERTED = re.compile(r",[^,]*,\s*$")  # "The gateway, which listens on 443, is …": the inserted clause
_PREPOSITION = re.compile(r"\b(?:to|from|with|on|in|of|for|by|at|via|over|into|onto|towards)\b", re.IGNORECASE)
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "its", "each", "every", "our", "their", "both", "all"})
_PRONOUNS = frozenset({"it", "itself", "this"})
_RELATIVES = frozenset({"which", "who", "that"})


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9][\w-]*", text.lower()) if w not in _DETERMINERS]


def _name_words(el: Element) -> set[str]:
    """The words that name *el*: its name's and tags' words of three letters or more, and its initials ("NMS")."""
    own = {w.lower() for w in re.findall(r"[\w-]+", " ".join([_QUALIFIER.sub(" ", el.name), *el.tags])) if len(w) > 2}
    return own | _initials(el.name)


def _subject(before: str) -> tuple[str, bool]:
    """The subject of the clause whose verb follows *before*, and whether it starts the sentence: parentheses and an
    inserted clause (", which listens on 443,") left out; after "and" with nothing between (a second verb: "Receives
    ADT and listens on 2575") the sentence's own subject; for a relative pronoun ("the LIS, which acts as …") the
    words it follows, from their last preposition on."""
    text = _INSERTED.sub(" ", _QUALIFIER.sub(" ", before))
    parts = _CLAUSE_BREAK.split(text)
    clause = parts[-1]
    first = len(parts) == 1
    if not _words(clause) and len(parts) > 1:
        clause, first = parts[0], True
    words = _words(clause)
    if words and words[0] in _RELATIVES and len(parts) > 1:
        previous = parts[-2]
        return _PREPOSITION.split(previous)[-1], len(parts) == 2
    return clause, first


def _said_of(before: str, el: Element, other: Element | None, terms: NetworkTerms) -> bool:
    """Whether the clause whose verb follows *before*, in *el*'s own description, speaks of *el*: its subject is
    none ("Listens on 2575"), a pronoun, *el*'s name or a word a description uses for the thing it describes
    (``self_subject_words``: "the application"), or a verb opening the sentence ("Receives ADT and listens …"); not
    where it names the other end, or any other subject ("… and the LIS acts as the TCP server")."""
    subject, first = _subject(before)
    words = _words(subject)
    if not words or words[0] in _PRONOUNS:
        return True
    said = set(words)
    mine = bool(said & _name_words(el))
    theirs = other is not None and bool(said & (_name_words(other) - _name_words(el)))
    if theirs:
        return False
    if mine or words[0] in terms.self_subject_words or words[-1] in terms.self_subject_words:
        return True  # "the application", "the ADT listener": a part of the element described
    # a description written without a subject opens on its verb: "Receives ADT and results and listens on 2575"
    head = re.findall(r"[A-Za-z][\w-]*", subject)
    return first and bool(head) and head[0][0].isupper() and re.fullmatch(r"[A-Z][a-z]+[^s]s", head[0]) is not None


def _other_end(el: Element | None, f: Flow, elements: dict[str, Element]) -> Element | None:
    if el is None:
        return None
    return elements.get(f.target if el.id == f.source else f.source)


def _listens_on(el: Element | None, f: Flow, terms: NetworkTerms, other: Element | None = None) -> str:
    """The sentence of an element's own description or settings saying it listens on one of the flow's stated ports
    (``listener_terms``: "Listens for HL7 results on TCP 2575", "The ADT listener accepts connections on TCP 2576"),
    as written; "" where none does, the listening is negated ("does not listen"), said of another system ("The LIS
    listens on 2575"), or the sentence speaks of connecting to another end ("connects to the station, which listens
    on 2575")."""
    if el is None or not terms.listener_terms:
        return ""
    numbers = {p.number for p in parse_ports(f.port, f.protocol, terms=terms)}
    rx = _rx(tuple(terms.listener_terms))
    if not numbers or rx is None:
        return ""

    def hit(sentence: str) -> bool:
        if _CONNECTS.search(sentence) or not any(re.search(rf"(?<![\w.]){n}(?!\w|\.\d)", sentence) for n in numbers):
            return False
        return any(
            not re.search(r"\b(?:no|not|never|without)\s+(?:\w+\s+)?$", sentence[: m.start()], re.IGNORECASE)
            and _said_of(sentence[: m.start()], el, other, terms)
            for m in rx.finditer(sentence)
        )

    return next((s for text in (el.description, el.default_settings) if (s := first_sentence_with(text or "", hit))), "")


_PROTOCOL_FILLERS = frozenset({"over", "via", "and", "with", "the", "for"})


def _serves(el: Element | None, f: Flow, terms: NetworkTerms, other: Element | None = None) -> str:
    """The sentence of an element's own description or settings saying it takes the accepting role in the flow
    (``server_role_patterns``: "The interface engine acts as the TCP server for HL7 results"), as written: it names
    one of the flow's stated ports, a word of its protocol, or the transport of its stated ports; "" where none does,
    the role is negated, said of another system ("It is the MLLP client and the LIS acts as the TCP server"), or the
    sentence speaks of connecting to another end."""
    if el is None or not terms.server_role_patterns:
        return ""
    ports = parse_ports(f.port, f.protocol, terms=terms)
    words = {w for w in re.findall(r"[a-z0-9]{3,}", (f.protocol or "").lower()) if w not in _PROTOCOL_FILLERS}
    words |= {p.transport.lower() for p in ports if p.transport}
    numbers = {p.number for p in ports}
    role = re.compile("|".join(f"(?:{p})" for p in terms.server_role_patterns), re.IGNORECASE)

    def hit(sentence: str) -> bool:
        m = role.search(sentence)
        if m is None or _NEGATED.search(sentence[: m.start()]) or _CONNECTS.search(sentence):
            return False
        if not _said_of(sentence[: m.start()], el, other, terms):
            return False  # "The gateway is the MQTT client and the broker acts as the server": said of another end
        return _names_flow(sentence, numbers, words)

    return next((s for text in (el.description, el.default_settings) if (s := first_sentence_with(text or "", hit))), "")


def _names_flow(sentence: str, numbers: set[str], words: set[str]) -> bool:
    """Whether *sentence* names one of the flow's stated ports or a word of its protocol or transport, and no other
    port ("the TCP server for the pharmacy on port 9000" is another connection)."""
    said = sentence.lower()
    if any(n not in numbers for n in re.findall(r"(?<![\w.])\d{2,5}(?!\w|\.\d)", said)):
        return False
    return any(re.search(rf"(?<![\w.]){n}(?!\w|\.\d)", said) for n in numbers) or any(
        re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", said) for w in words
    )


def _connected_to(f: Flow, elements: dict[str, Element], terms: NetworkTerms) -> tuple[str, str] | None:
    """The end the other connects to, and the sentence that says so, from either end's own description or settings:
    "The analyzer and the pump connect to the interface engine" (the engine accepts). Its subject names one end and
    its object the other, by their names' words; not where negated, nor where it names a port the flow does not
    state (another connection)."""
    ends = [elements.get(f.source), elements.get(f.target)]
    if ends[0] is None or ends[1] is None or f.source == f.target:
        return None
    numbers = {p.number for p in parse_ports(f.port, f.protocol, terms=terms)}
    names = [_name_words(e) for e in ends if e is not None]
    only = [names[0] - names[1], names[1] - names[0]]
    found: set[tuple[str, str]] = set()
    for el in ends:
        for text in (el.description, el.default_settings) if el is not None else ():
            for sentence in _SENTENCE_END.split(" ".join((text or "").split())):
                for m in _CONNECTS_TO.finditer(sentence):
                    before = sentence[: m.start()]
                    if _NEGATED.search(before) or re.search(r"\b(?:no|not|never|without)\b", before, re.IGNORECASE):
                        continue
                    if any(n not in numbers for n in re.findall(r"(?<![\w.])\d{2,5}(?!\w|\.\d)", sentence.lower())):
                        continue
                    start = max((b.end() for b in re.finditer(r"[;:]|,\s*(?:but|while|whereas)\b", before)), default=0)
                    subject = set(_words(before[start:]))
                    obj = set(_words(_PREPOSITION.split(_CLAUSE_BREAK.split(m.group("obj"))[0])[0]))
                    openers = [i for i in (0, 1) if subject & only[i]]
                    accepters = [i for i in (0, 1) if obj & only[i]]
                    if len(openers) == 1 and accepters == [1 - openers[0]]:
                        found.add((f.target if accepters[0] == 1 else f.source, sentence))
    accepting = {e for e, _ in found}
    if len(accepting) != 1:
        return None
    return sorted(found)[0]


def initiator(
    f: Flow,
    elements: dict[str, Element],
    zones: dict[str, TrustZone],
    where: Callable[[str], Place],
    outbound_only: str | None,
    terms: NetworkTerms | None = None,
) -> Initiator:
    """Who opens the connection: the model's ``initiator``; else the flow's own words ("pump-initiated
    polling", "outbound from the hospital"); else the model's outbound-only design for flows that leave
    the hospital; else the one end that is an app or a browser (a client opens its connections: the FHIR
    data a model draws from the gateway to the tablet app is still fetched by the app; a UPnP broadcast drawn
    from a device to the app is not read so); else a name that
    says sending ("event forwarding": the source) or fetching ("firmware
    download": the target); else, where one end is a data store, the other end (a store opens no connection);
    else the source end, marked assumed."""
    terms = terms or network_terms()
    if f.initiator in (f.source, f.target):
        return Initiator(f.initiator, "stated")
    ends = (f.source, f.target)
    text = " ".join(x for x in (f.protocol, f.name, f.description) if x)

    def zone(e: str) -> TrustZone | None:
        el = elements.get(e)
        return zones.get(el.trust_zone) if el is not None and el.trust_zone else None

    for pattern in terms.initiator_patterns:
        for m in re.finditer(pattern, text, re.IGNORECASE):
            who = m.group("who")
            if len(who) < 3 or _DENIED_AFTER.search(text[m.end() :]):  # "server-initiated push is not used"
                continue
            hit = matcher([who.rstrip("s") + "*"])
            found = [e for e in ends if hit(_end_words(elements.get(e), zone(e)))]
            if len(found) == 1 and (to := m.groupdict().get("to")):  # "… connect to the server": that end, not another
                other = f.target if found[0] == f.source else f.source
                if not matcher([to.rstrip("s") + "*"])(_end_words(elements.get(other), zone(other))):
                    continue
            if len(found) == 1:
                # "never initiated by the cloud", "the server never initiates connections": the other end opens it
                if _NEGATED.search(text[: m.start()]) or m.groupdict().get("neg"):
                    other = f.target if found[0] == f.source else f.source
                    start = max(text.rfind(c, 0, m.start()) for c in ".;,!?") + 1
                    return Initiator(other, "text", text[start : m.end()].strip())
                return Initiator(found[0], "text", m.group(0))
    for pattern in terms.acceptor_patterns:  # "The central station serves time to its monitors": the monitors ask it
        for m in re.finditer(pattern, f.description or "", re.IGNORECASE):
            who = m.group("who")
            if len(who) < 3 or _NEGATED.search((f.description or "")[: m.start()]):
                continue
            hit = matcher([who.rstrip("s") + "*"])
            found = [e for e in ends if hit(_end_words(elements.get(e), zone(e)))]
            if len(found) == 1:
                return Initiator(f.target if found[0] == f.source else f.source, "text", m.group(0))
    outbound = _affirmed(text, terms.outbound_terms)  # "no outbound connection" says none
    said_in = " ".join(x for x in (text, f.port) if x)  # the port's words too: "443 (inbound to the hospital)"
    inbound = _affirmed(said_in, terms.inbound_terms) and not outbound
    if outbound or inbound or outbound_only:  # where the ends sit matters only then (placing them reads the guide words)
        places = {e: where(e) for e in ends}
        inside = [e for e in ends if places[e] in ("hospital", "device")]
        leaves = "outside" in places.values() and len(inside) == 1
        if leaves and outbound:
            sentence = first_sentence_with(text, lambda s: _affirmed(s, terms.outbound_terms)) or "outbound"
            return Initiator(inside[0], "text", sentence)
        if leaves and inbound:  # the outside end opens it, as the model says
            sentence = first_sentence_with(said_in, lambda s: _affirmed(s, terms.inbound_terms)) or "inbound"
            return Initiator(next(e for e in ends if e not in inside), "text", sentence)
        if leaves and outbound_only:
            return Initiator(inside[0], "design", outbound_only)
    clients = [e for e in ends if _is_client(elements.get(e), terms)]
    # an app or a browser opens its connections; it accepts none. Drawn towards the client, that holds for a
    # connection it requests (HTTPS, FHIR: ``tcp_protocols``), not for what another end broadcasts or sends
    # it over a protocol that names no connection (UPnP discovery, no protocol at all)
    # a connection: a protocol that names one, or every stated port TCP ("APNs" on "TCP 5223": the phone connects)
    stated = parse_ports(f.port, f.protocol, terms=terms)
    connection = matcher(terms.tcp_protocols)(f.protocol or "") or (bool(stated) and all(p.transport == "TCP" for p in stated))
    if len(clients) == 1 and (clients[0] == f.source or connection):
        el = elements[clients[0]]
        return Initiator(clients[0], "kind", f"{el.name} is a client (an app or a browser)")
    # an NTP, DNS or directory server accepts the connection its client opens, whichever way the answer is drawn
    for service in terms.service_servers:
        if not matcher(service.protocols)(f.protocol or ""):
            continue
        if service.ports:  # SNMP: the manager polls the agent's 161, the agent sends traps to the manager's 162
            stated = parse_ports(f.port, f.protocol, terms=terms)
            if not stated or any(p.number not in service.ports for p in stated):
                continue
        named = {e: _QUALIFIER.sub(" ", getattr(elements.get(e), "name", "")) for e in ends}
        servers = [e for e in ends if matcher(service.servers)(named[e])]
        if len(servers) == 1:
            other = f.target if servers[0] == f.source else f.source
            return Initiator(other, "kind", f"{elements[servers[0]].name} serves {(f.protocol or '').strip()}: it accepts connections")
        clients = [e for e in ends if matcher(service.clients)(named[e])]
        if len(clients) == 1:
            return Initiator(clients[0], "kind", f"{elements[clients[0]].name} is the {(f.protocol or '').strip()} client: it opens")

    # one end the model says listens on the flow's port ("Listens for HL7 results on TCP 2575"): the other end opens
    def accepts(e: str) -> str:
        end = elements.get(e)
        return _listens_on(end, f, terms, _other_end(end, f, elements)) or _serves(end, f, terms, _other_end(end, f, elements))

    listening = [(e, said) for e in ends if (said := accepts(e))]
    if not listening and (connected := _connected_to(f, elements, terms)) is not None:
        e, said = connected  # "The analyzer and the pump connect to the interface engine": the engine accepts
        return Initiator(f.target if e == f.source else f.source, "text", said)
    if len(listening) == 1:
        e, said = listening[0]
        return Initiator(f.target if e == f.source else f.source, "text", f"{elements[e].name}: {said}")
    name = f.name or ""
    if matcher(terms.push_terms)(name) and not matcher(terms.pull_terms)(name):
        return Initiator(f.source, "name", f"the flow's name: {name}")
    if matcher(terms.pull_terms)(name) and not matcher(terms.push_terms)(name):
        return Initiator(f.target, "name", f"the flow's name: {name}")
    # a data store opens no connection (in a data flow diagram only a process moves data to or from it): the
    # results a database is drawn sending to the app are fetched by the app
    stores = [e for e in ends if getattr(elements.get(e), "kind", None) == "data_store"]
    if len(stores) == 1 and f.source != f.target:
        other = f.target if stores[0] == f.source else f.source
        return Initiator(other, "kind", f"{elements[stores[0]].name} is a data store, which accepts connections")
    return Initiator(f.source, "assumed")


# a port's own words saying where it goes: "162/udp (traps to the NMS)" (the NMS accepts it), "514 from the pump"
_PORT_TO = re.compile(
    r"(?<!local )(?<!next )(?<!close )(?<!similar )\b(?:to|towards|into)\s+(?:the\s+|its\s+)?(?P<who>[\w-]+(?:\s+[\w-]+){0,3})",
    re.IGNORECASE,
)
# "by" only after a verb of connecting: "opened by the hospital" may speak of the firewall, not the connection
_PORT_FROM = re.compile(
    r"\b(?:from|(?:initiated|polled|queried|requested|sent|pushed)\s+by)\s+(?:the\s+|its\s+)?(?P<who>[\w-]+(?:\s+[\w-]+){0,3})",
    re.IGNORECASE,
)


def _initials(name: str) -> set[str]:
    """The initials of the name and of its last three or more words: "NMS" names the "Hospital network management
    system" as it names the "Network management system"."""
    words = re.findall(r"[A-Za-z][\w-]*", _QUALIFIER.sub(" ", name))
    whole = "".join(w[0] for w in words).lower() if len(words) > 1 else ""
    return {x for x in (whole, *("".join(w[0] for w in words[i:]).lower() for i in range(len(words) - 2))) if x}


def _names_end(words: str, el: Element | None, zone: TrustZone | None) -> bool:
    """Whether *words* ("the NMS", "network management station", "pump") name the end *el*: its name's first
    word(s), a word of its name, tags or zone, or its name's initials ("NMS" for "Network management station")."""
    if el is None:
        return False
    head = [w.lower() for w in re.findall(r"[\w-]+", words)]
    if not head:
        return False
    # the end's own name and tags: its zone's words ("to the hospital standard") and kind name no end
    own = {w.lower() for w in re.findall(r"[\w-]+", " ".join([el.name, *el.tags])) if len(w) > 2}
    return head[0] in own or head[0] in _initials(el.name) or (el.name.lower().startswith(" ".join(head[:2])) and len(head) > 1)


def port_openers(
    f: Flow,
    elements: dict[str, Element],
    zones: dict[str, TrustZone],
    terms: NetworkTerms | None = None,
) -> dict[str, Initiator]:
    """Per port of the flow's port text, who opens it, where the port's own words say which end it goes to:
    "161/udp (get), 162/udp (traps to the NMS)" → 162 is opened by the other end towards the NMS; 161 is not
    said (left to the flow's opener). Only ports whose words name exactly one end are returned."""
    terms = terms or network_terms()
    text = f.port or ""
    spans = list(_PORT_RX.finditer(text))
    ports = {p.number: p for p in parse_ports(f.port, terms=terms)}
    out: dict[str, Initiator] = {}

    def zone(e: str) -> TrustZone | None:
        el = elements.get(e)
        return zones.get(el.trust_zone) if el is not None and el.trust_zone else None

    for i, m in enumerate(spans):
        number = re.sub(r"\s+", "", re.sub(_RANGE_WORDS + r"|\.\.", "-", m.group("num"), flags=re.IGNORECASE)).replace("–", "-")
        if number not in ports:
            continue
        end = spans[i + 1].start() if i + 1 < len(spans) else len(text)
        own = re.split(r"[;,](?![^()]*\))", text[m.end() : end])[0]  # its own words, to the next clause
        for rx, listens in ((_PORT_TO, True), (_PORT_FROM, False)):
            found = [e for hit in rx.finditer(own) for e in (f.source, f.target) if _names_end(hit.group("who"), elements.get(e), zone(e))]
            ends = list(dict.fromkeys(found))
            if len(ends) == 1:
                opener = ends[0] if not listens else (f.target if ends[0] == f.source else f.source)
                out[number] = Initiator(opener, "text", f"{m.group(0).strip()}{own.rstrip()}")
                break
    # SNMP's two ports go opposite ways: the manager polls the agent's 161, the agent sends traps to the manager's 162
    named = {e: _QUALIFIER.sub(" ", getattr(elements.get(e), "name", "")) for e in (f.source, f.target)}
    for service in terms.service_servers:
        if not service.ports or not matcher(service.protocols)(f.protocol or ""):
            continue
        for number in service.ports:
            if number not in ports or number in out:
                continue
            servers = [e for e in named if matcher(service.servers)(named[e])]
            clients = [e for e in named if matcher(service.clients)(named[e])]
            if len(servers) == 1:
                other = f.target if servers[0] == f.source else f.source
                out[number] = Initiator(other, "kind", f"{named[servers[0]].strip()} accepts {f.protocol} on {number}")
            elif len(clients) == 1:
                out[number] = Initiator(clients[0], "kind", f"{named[clients[0]].strip()} opens {f.protocol} to {number}")
    return out


def port_roles(f: Flow, terms: NetworkTerms | None = None) -> dict[str, str]:
    """Per stated port, the role its standard gives it, where the flow states two or more such ports of its protocol
    (``service_servers`` with ``role``: SNMP's "161, 162", the manager's polls and the agent's traps, which go opposite
    ways): {"161": "polls: SNMP manager → agent", "162": "traps: agent → SNMP manager"}; else empty."""
    terms = terms or network_terms()
    stated = {p.number for p in parse_ports(f.port, f.protocol, terms=terms)}
    roles = {
        number: service.role
        for service in terms.service_servers
        if service.role and matcher(service.protocols)(f.protocol or "")
        for number in service.ports
        if number in stated
    }
    return roles if len(set(roles.values())) > 1 else {}


_CLAUSE = re.compile(r"(?<=[.;:!?])\s+|\s+(?:but|whereas|while)\s+", re.IGNORECASE)


@cache
def _optional_rx(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I) if patterns else None


def _optional_design(clause: str, start: int, end: int, terms: NetworkTerms) -> bool:
    """Whether the outbound-only term at *start*:*end* of *clause* is said to be an option ("Outbound-only connections
    are optional", "Optional outbound-only mode"): the hospital's choice, not the device's design as installed. An
    option said of something else in another clause ("Outbound-only; encryption is optional") leaves the design."""
    after = _optional_rx(tuple(terms.outbound_only_optional_after))
    before = _optional_rx(tuple(terms.outbound_only_optional_before))
    return bool((after is not None and after.search(clause[end:])) or (before is not None and before.search(clause[:start])))


def _states_outbound_only(text: str, terms: NetworkTerms) -> bool:
    """Whether *text* states an outbound-only design: a term of ``outbound_only_terms`` not negated ("not
    outbound-only", "outbound-only … is not enforced"), or one of ``outbound_only_subject_terms`` ("cannot
    initiate") said of the outside ("the cloud cannot initiate"; "the device never initiates" says the opposite)."""
    plain, said_of = _rx(tuple(terms.outbound_only_terms)), _rx(tuple(terms.outbound_only_subject_terms))
    outside = matcher([w for k in ("internet", "vendor", "cloud") for w in terms.zone_kinds.get(k, [])])
    for clause in _CLAUSE.split(" ".join((text or "").split())):
        for m in plain.finditer(clause) if plain is not None else ():
            if (
                not _NEGATED.search(clause[: m.start()])
                and not _DENIED_AFTER.search(clause[m.end() :])
                and not _optional_design(clause, m.start(), m.end(), terms)
                and customer_enabled("", clause) is None
            ):
                return True
        for m in said_of.finditer(clause) if said_of is not None else ():
            if outside(clause[: m.start()]):
                return True
    return False


def outbound_only_design(model: Model, terms: NetworkTerms | None = None, void: Iterable[str] = ()) -> str | None:
    """The id of the first control, assumption or zone that states an outbound-only design, if any; a control only where
    it is in place (implemented, verification not failed, not written as a requirement only): an outbound-only design
    "planned for release 5" does not hold for the device a hospital installs now. *void*: the controls the guides read
    as denying what they name ("The cloud cannot initiate connections"), marked not implemented for that reason alone:
    the outbound-only reading weighs their words itself."""
    terms = terms or network_terms()

    voided = set(void)

    def hit(text: str) -> bool:
        return _states_outbound_only(text, terms)

    for c in model.controls:
        if (c.status != "implemented" and c.id not in voided) or not_in_place(c):
            continue
        # a void control is weighed by its words, and words that defer the design ("Outbound-only design (planned
        # for release 5)", "(roadmap)") state no design of the device as installed; words that leave it to the
        # hospital ("Outbound-only mode can be enabled by the hospital") are read in its clause (_optional_design)
        if deferred(c.description if c.description.strip() else c.title):
            continue
        if hit(c.title) or hit(c.description):
            return c.id
    for a in model.assumptions:
        if hit(a.text) or hit(a.description):
            return a.id
    for z in model.trust_zones:
        if hit(z.description):
            return z.id
    return None


# ----------------------------------------------------------------------------- dependencies


@dataclass
class Need:
    """One infrastructure service: stated in the model (with where), or a question to ask."""

    service: DependencyService
    title: str
    stated_in: list[str] = field(default_factory=list)  # item ids
    details: list[str] = field(default_factory=list)  # the model's own words (protocol/port, descriptions)
    needed_by: list[str] = field(default_factory=list)  # element ids
    provided_by: str | None = None
    question: str | None = None


def needs(model: Model, where: Callable[[str], Place], terms: NetworkTerms | None = None) -> list[Need]:
    """The infrastructure the model says the device needs (its ``dependencies`` first, then what its
    elements, flows, controls and assumptions name), and a question for each service the model is silent
    about where its flows make it matter (certificates make revocation checks matter)."""
    terms = terms or network_terms()
    out: dict[str, Need] = {}

    def need(service: DependencyService) -> Need:
        s = terms.services.get(service)
        return out.setdefault(service, Need(service, s.title if s else service.replace("_", " ")))

    for d in model.dependencies:
        n = need(d.service)
        n.stated_in.append(d.id)
        detail = ", ".join(x for x in (d.name, d.protocol, d.port) if x)
        if d.description:
            detail += f": {d.description}" if detail else d.description
        n.details.append(detail)
        n.needed_by += [e for e in d.elements if e not in n.needed_by]
        n.provided_by = n.provided_by or _dependency_responsibility(d)
    names = {e.id: e.name for e in model.elements}
    for service, s in terms.services.items():
        hit = matcher(s.terms)
        if service == "service_tool_internet":  # a service tool that reaches outside the hospital
            for f in model.flows:
                ends = [
                    (a, b)
                    for a, b in ((f.source, f.target), (f.target, f.source))
                    if hit(names.get(a, "")) and where(b) == "outside" and where(a) != "outside"
                ]
                if ends:
                    n = need(service)
                    n.stated_in.append(f.id)
                    n.needed_by.append(ends[0][0])
                    ports = (" or " if alternatives(f) else ", ").join(str(p) for p in parse_ports(f.port, f.protocol, terms=terms))
                    n.details.append(f"to {names.get(ends[0][1], ends[0][1])}" + (f", {ports}" if ports else "") + f" ({f.id})")
            continue
        for e in model.elements:
            if hit(e.name):
                need(service).stated_in.append(e.id)
        for f in model.flows:
            if hit(" ".join(x for x in (f.name, f.protocol) if x)):  # the flow is the service itself
                n = need(service)
                n.stated_in.append(f.id)
                ports = (" or " if alternatives(f) else ", ").join(str(p) for p in parse_ports(f.port, f.protocol, terms=terms))
                kind = transport(f, terms, (names.get(f.source, ""), names.get(f.target, "")))
                implied = implied_transport(f.port, f.protocol, terms=terms)
                said = OPEN_PORT_WORDS.get(open_ports(f, terms) or "", "port not stated")  # "any port (as the model states)"
                missing = "local link" if kind == "local" else f"{implied}, {said}" if implied else said
                n.details.append(f"{ports} ({f.id})" if ports else f"{missing} ({f.id})")
            elif hit(f.authentication or ""):  # the flow signs in or checks certificates with it
                n = need(service)
                n.stated_in.append(f.id)
                n.details.append(f"used to authenticate {f.id}")
        for c in model.controls:
            if hit(c.title):
                need(service).stated_in.append(c.id)
        for a in model.assumptions:
            if hit(a.text):
                need(service).stated_in.append(a.id)
    flow_text = " ".join(" ".join(x for x in (f.name, f.protocol, f.authentication, f.encryption) if x) for f in model.flows)
    # the maker's own elements, named and described: a hospital's "DHCP server" (an external entity) is no server of the
    # device whose operating system needs updates; a central station "Windows server application" is
    owned = {e.name: f"{e.name} {e.description or ''}" for e in model.elements if e.kind != "external_entity" and where(e.id) != "outside"}
    for service, s in terms.services.items():
        if service in out or not s.question or not s.ask_when:
            continue
        # the question names the parts that make it matter ("Aurora cart", a Windows scanner), not "the server"
        which = [name for name, own in owned.items() if matcher(s.ask_when)(own)]
        if which or matcher(s.ask_when)(flow_text):
            named = " and ".join(which) if len(which) < 2 else "each of " + ", ".join(which[:-1]) + " and " + which[-1]
            need(service).question = s.question.replace("{elements}", named or "the device")
    order = list(terms.services)
    for n in out.values():
        n.stated_in = list(dict.fromkeys(n.stated_in))
        n.details = list(dict.fromkeys(n.details))
    return sorted(out.values(), key=lambda n: (n.question is not None, order.index(n.service) if n.service in order else 99))


def _dependency_responsibility(d: Dependency) -> str | None:
    return {
        "customer": "the hospital",
        "manufacturer": "the device maker",
        "shared": "the hospital and the maker",
        "third_party": "a third party",
    }.get(d.provided_by or "")


def fill_initiators(model: Model, where: Callable[[str], Place]) -> list[str]:
    """Set ``initiator`` on each flow whose own words say who opens it ("pump-initiated polling",
    "outbound from the hospital"); returns the flows set. Guesses (a flow's name, the source end) are
    left to the guides, which mark them."""
    elements = {e.id: e for e in model.elements}
    zones = {z.id: z for z in model.trust_zones}
    done = []
    for f in model.flows:
        if f.initiator is None:
            found = initiator(f, elements, zones, where, None)
            if found.basis == "text":
                f.initiator = found.element
                done.append(f.id)
    return done


# ------------------------------------------------------------------------------------- places
# Where each element sits (outside the hospital, on its network, on the device). The import step needs
# it to read who opens a flow ("outbound from the hospital"), the guides to describe the network; the
# words are those of ``mappings/vocabulary/guide-terms.yaml`` (``locations``, ``element_kinds``).

PLACE_TERMS = "guide-terms"


class Locations(BaseModel):
    """Words in a zone's or an element's name or tags that place it."""

    model_config = ConfigDict(extra="forbid", defer_build=True)  # built when first read: most imports never place
    outside: list[str] = Field(default_factory=empty_list)
    hospital: list[str] = Field(default_factory=empty_list)
    device: list[str] = Field(default_factory=empty_list)


class PlaceTerms(BaseModel):
    """The part of the guide vocabulary that places elements (the guides validate the whole file)."""

    model_config = ConfigDict(extra="ignore", defer_build=True)
    locations: Locations
    element_kinds: dict[Side, list[str]] = Field(default_factory=empty_dict)


@cache
def place_terms() -> PlaceTerms:
    """The shipped place words, read once."""
    from mdptm.model.io import load_validated

    return load_validated(vocabulary_file(PLACE_TERMS), PlaceTerms)


def word_matcher(terms: Iterable[str]) -> Callable[[str], bool]:
    """Whole-word, case-insensitive; ``configur*`` matches every word starting with ``configur``
    (a term starts at a word boundary: unlike :func:`matcher`, "e-mail" is found by "mail")."""
    parts = [re.escape(t[:-1]) + r"\w*" if t.endswith("*") else re.escape(t) + r"(?!\w)" for t in terms if t.strip("*")]
    if not parts:
        return lambda _text: False
    rx = re.compile(r"\b(?:" + "|".join(parts) + ")", re.IGNORECASE)  # one boundary for all (see _rx)
    return lambda text: bool(rx.search(text))


def location_matchers(locations: Locations) -> dict[Side, Callable[[str], bool]]:
    return {
        "outside": word_matcher(locations.outside),
        "hospital": word_matcher(locations.hospital),
        "device": word_matcher(locations.device),
    }


PlaceBasis = Literal["zone", "kind", "name", "zone_kind", "zone_peers", "none"]


def locate(e: Element, zone: TrustZone | None, match: dict[Side, Callable[[str], bool]], kinds: Mapping[Side, list[str]]) -> Place:
    """Where an element sits: its zone's name first, then its kind, then its own name."""
    return locate_basis(e, zone, match, kinds)[0]


def locate_basis(
    e: Element, zone: TrustZone | None, match: dict[Side, Callable[[str], bool]], kinds: Mapping[Side, list[str]]
) -> tuple[Place, PlaceBasis]:
    """:func:`locate` with what placed the element: its zone's stated kind or words, its kind, or only its own
    name. A kind the model states for the zone comes first: Threagile's "Web DMZ" is a cloud security group
    (``network-cloud-security-group``), not the hospital's DMZ its name suggests."""
    if zone is not None and zone.kind in _ZONE_PLACE:
        return _ZONE_PLACE[zone.kind], "zone"
    if zone is not None:
        words = zone_words(zone)
        for loc, hit in match.items():
            if any(hit(t) for t in words):
                return loc, "zone"
    order: tuple[Side, ...] = ("outside", "hospital", "device")
    for loc in order:
        if e.kind in kinds.get(loc, []):
            return loc, "kind"
    for loc, hit in match.items():
        if hit(e.name) or any(hit(t) for t in e.tags):
            return loc, "name"
    return "unknown", "none"


_ZONE_PLACE: dict[str, Place] = {"network": "hospital", "cloud": "outside", "vendor": "outside", "internet": "outside", "on_body": "device"}


def places(model: Model, locations: Locations, element_kinds: Mapping[Side, list[str]]) -> dict[str, Place]:
    """Element id → where it sits: by the words of its zone, its kind and its name; else where its
    zone's kind says (a network zone is the hospital's, a cloud, vendor or internet zone is outside, an
    on-body zone is with the device); else where the other elements of its trust zone sit, when those
    agree (a database in the zone of two cloud services is in the cloud too)."""
    return {e: place for e, (place, _basis) in places_basis(model, locations, element_kinds).items()}


def places_basis(model: Model, locations: Locations, element_kinds: Mapping[Side, list[str]]) -> dict[str, tuple[Place, PlaceBasis]]:
    """:func:`places` with what each place rests on. ``name``: only a word of the element's own name or
    tags ("Cloud API"), or the agreement of zone neighbours placed only so; a hint, not the model's
    statement, so no firewall rule or count of flows leaving the hospital rests on it."""
    zones = {z.id: z for z in reversed(model.trust_zones)}
    match = location_matchers(locations)
    where: dict[str, tuple[Place, PlaceBasis]] = {}
    for e in model.elements:
        where.setdefault(e.id, locate_basis(e, zones.get(e.trust_zone or ""), match, element_kinds))
    for e in model.elements:
        z = zones.get(e.trust_zone or "")
        if where[e.id][0] == "unknown" and z is not None:
            kind = zone_kind(z).kind
            if kind in _ZONE_PLACE:
                where[e.id] = (_ZONE_PLACE[kind], "zone_kind")
    by_zone: dict[str, set[Place]] = {}
    named_only: dict[str, bool] = {}  # zone id -> every element placed in it was placed by its own name
    for e in model.elements:
        place, basis = where[e.id]
        if e.trust_zone and place != "unknown":
            by_zone.setdefault(e.trust_zone, set()).add(place)
            named_only[e.trust_zone] = named_only.get(e.trust_zone, True) and basis == "name"
    for e in model.elements:
        zid = e.trust_zone or ""
        agreed = by_zone.get(zid, set())
        if where[e.id][0] == "unknown" and len(agreed) == 1:
            where[e.id] = (next(iter(agreed)), "name" if named_only.get(zid) else "zone_peers")
    return where
