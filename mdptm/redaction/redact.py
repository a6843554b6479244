"""Redaction (SPEC §6): turn the internal threat model into the public one, and log every change.

The policy drops items by sensitivity, scrubs terms, patterns and what the default detectors find
(e-mail addresses, IP addresses, internal host names and URLs, ticket ids) from every published text
field -- names, captions, protocols and ports included -- and puts a placeholder where a control a
published threat relies on is withheld, so the reader still sees that a mitigation exists. Every
change goes to the (internal) :class:`RedactionLog`, whose removed strings are the needles of the
leak scan that runs over the written package (:mod:`mdptm.redaction.leakscan`).

Item ids are structural and are never rewritten by the detectors; an id that itself contains a policy
term, pattern or internal address is renamed everywhere, consistently, and the rename logged.
"""

from __future__ import annotations

import ipaddress
import re
import types
import typing
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Literal, get_args, get_origin
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from mdptm.base import textnorm
from mdptm.base.copies import deep_copy
from mdptm.errors import InputError
from mdptm.mapping.framework import Override
from mdptm.model import COLLECTIONS, Control, Flow, Item, Model, RiskManagement, Sensitivity
from mdptm.model.io import read_structured
from mdptm.model.results import Review
from mdptm.model.validate import REFERENCES, pointer, validate_model
from mdptm.model.vocabulary import shipped
from mdptm.redaction.leakscan import LiteralMatcher, needle_key, property_values

DETECTORS = ("email", "ip", "hostname", "url", "ticket")
NEVER_PUBLISHED = ("source", "provenance", "notes", "extra")
# Fields that hold identifiers by design (evidence references, weakness and attack-pattern ids): the
# ticket detector leaves them alone; terms, patterns and the other detectors still apply.
IDENTIFIER_FIELDS = frozenset({"verification", "cwe", "capec", "cvss"})
# An item's own name is where makers put interface and requirement ids ("IF-01 Pump to gateway"): the
# ticket detector leaves names alone (terms, patterns and the other detectors still apply).
NAME_FIELDS = frozenset({"name"})
DEFAULT_DROP: tuple[Sensitivity, ...] = ("internal", "confidential", "trade_secret")


# -------------------------------------------------------------------------------------- policy


class Detectors(BaseModel):
    """Which default detectors run; each is on unless the policy switches it off."""

    model_config = ConfigDict(extra="forbid")
    email: bool = True
    ip: bool = True
    hostname: bool = True
    url: bool = True
    ticket: bool = True


class Policy(BaseModel):
    """A redaction policy (SPEC §6), loaded from YAML by :func:`load_policy`."""

    model_config = ConfigDict(extra="forbid")

    drop: list[Sensitivity] = Field(default_factory=lambda: list(DEFAULT_DROP))
    drop_items: list[str] = Field(default_factory=list)
    summarise: list[Sensitivity] = Field(default_factory=list)
    summary: str = "Details of this item are summarised in this public version."
    terms: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)
    replacement: str = "[redacted]"
    withheld_mitigation: str = "Mitigated by a proprietary control; details are available under NDA."
    withheld_title: str = "Withheld mitigation"
    context_note: str = "This item also concerns {what} not described in this public version."
    detectors: Detectors = Field(default_factory=Detectors)
    internal_domains: list[str] = Field(default_factory=list)
    allow: list[str] = Field(default_factory=list)
    ticket_allowed_prefixes: list[str] = Field(default_factory=list)
    rewrite: dict[str, dict[str, str | list[str]]] = Field(default_factory=dict)
    publish_signoff_names: bool = False
    publish_signoff_comments: bool = False

    @field_validator("terms")
    @classmethod
    def _terms(cls, v: list[str]) -> list[str]:
        out = []
        for i, term in enumerate(v):
            term = term.strip()
            if len(term) < 2:
                raise ValueError(f"term {i + 1} ({term!r}) is shorter than 2 characters and would match everywhere")
            out.append(term)
        return list(dict.fromkeys(out))

    @field_validator("patterns")
    @classmethod
    def _patterns(cls, v: list[str]) -> list[str]:
        for i, pat in enumerate(v):
            try:
                rx = re.compile(pat)
            except re.error as exc:
                raise ValueError(f"pattern {i + 1} ({pat!r}) is not a valid regular expression: {exc}") from None
            if rx.search("") is not None:
                raise ValueError(f"pattern {i + 1} ({pat!r}) matches the empty string")
        return v

    @field_validator("context_note")
    @classmethod
    def _note(cls, v: str) -> str:
        try:
            v.format(what="1 component")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"context_note may use only the placeholder {{what}}: {exc}") from None
        return v

    @model_validator(mode="after")
    def _own_texts_clean(self) -> Policy:
        """The policy's own texts are published, so no term may occur in them (it would leak)."""
        matcher = LiteralMatcher(self.terms)
        for name in ("replacement", "withheld_mitigation", "withheld_title", "summary", "context_note"):
            found = matcher.found(getattr(self, name))
            if found:
                raise ValueError(f"{name} contains the term {sorted(found)[0]!r}, which the leak scan would then find")
        return self

    def with_terms(self, extra: Iterable[str]) -> Policy:
        """A copy with more terms (people named in sign-offs or document properties)."""
        known = {needle_key(t) for t in self.terms}
        add = [t.strip() for t in extra if len(t.strip()) >= 2 and needle_key(t) not in known]
        if not add:
            return self
        return self.model_copy(update={"terms": list(dict.fromkeys([*self.terms, *add]))})


def load_policy(path: Path | None) -> Policy:
    """The policy in *path*, or the default policy (detectors on, internal and above dropped)."""
    if path is None:
        return Policy()
    data = read_structured(path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError("a redaction policy must be a mapping", file=str(path))
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        msg = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = f"unknown policy key {err['loc'][-1]!r}"
        raise InputError(msg, file=str(path), locator=pointer(*err["loc"]) or "/") from None


# --------------------------------------------------------------------------------- detector data


@dataclass(frozen=True)
class DetectorData:
    """The shipped lists behind the detectors (``mappings/vocabulary/redaction-detectors.yaml``)."""

    internal_domains: tuple[str, ...]
    internal_url_domains: tuple[str, ...]
    internal_host_labels: frozenset[str]
    public_mailboxes: frozenset[str]
    ticket_allowed_prefixes: frozenset[str]
    generic_property_values: frozenset[str]


class DetectorTerms(BaseModel):
    """``redaction-detectors.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    schema_version: int
    internal_domains: list[str] = Field(default_factory=list)
    internal_url_domains: list[str] = Field(default_factory=list)
    internal_host_labels: list[str] = Field(default_factory=list)
    public_mailboxes: list[str] = Field(default_factory=list)
    ticket_allowed_prefixes: list[str] = Field(default_factory=list)
    generic_property_values: list[str] = Field(default_factory=list)


@cache
def detector_data() -> DetectorData:
    raw = shipped("redaction-detectors", DetectorTerms)

    def strs(key: str) -> list[str]:
        return list(getattr(raw, key))

    return DetectorData(
        internal_domains=tuple(d.lower().lstrip(".") for d in strs("internal_domains")),
        internal_url_domains=tuple(d.lower().lstrip(".") for d in strs("internal_url_domains")),
        internal_host_labels=frozenset(v.lower() for v in strs("internal_host_labels")),
        public_mailboxes=frozenset(v.lower() for v in strs("public_mailboxes")),
        ticket_allowed_prefixes=frozenset(strs("ticket_allowed_prefixes")),
        generic_property_values=frozenset(needle_key(v) for v in strs("generic_property_values")),
    )


# -------------------------------------------------------------------------------------- scrubber

Span = tuple[int, int, str]  # start, end, rule

_EMAIL = re.compile(r"(?<![\w.+%-])[A-Za-z0-9._%+-]+@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})(?![\w-])")
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?(?![\w]|\.\d)")
_IPV6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?:%[\w.]+)?(?:/\d{1,3})?(?![\w:])")
_URL = re.compile(r"\b(?:https?|ftps?|sftp|smb|file|ldaps?|ssh|git|svn)://[^\s<>\"'`\])}]+", re.IGNORECASE)
_UNC = re.compile(r"(?<![\w\\])\\\\[A-Za-z0-9][\w.$-]*(?:\\[^\s\\<>\"|]+)+")
_TICKET = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]+-\d+(?:[-.]\d+)*(?!\w)")
_VERSION_BEFORE = re.compile(r"(?:\bversion|\bver\.?|\bfirmware|\bfw|\brelease|\brev\.?|\brevision)\s*$", re.IGNORECASE)


class LeadingLiteral:
    """A policy pattern searched for its leading literal first.

    ``\\bPUMPSEC-\\d+`` can only match where ``PUMPSEC-`` starts; Python's regex engine tries every
    position of a text when a pattern starts with an assertion, while ``str.find`` skips to the places
    that matter at C speed. The pattern itself then decides at each such place, so the matches are those
    of ``finditer`` (leftmost, non-overlapping), whatever the pattern: one whose first characters are not
    a case-sensitive literal is searched as usual.
    """

    def __init__(self, rx: re.Pattern[str]) -> None:
        self.rx = rx
        self.prefix = _leading_literal(rx)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if len(self.prefix) < 2:
            yield from self.rx.finditer(text)
            return
        pos = text.find(self.prefix)
        while pos >= 0:
            m = self.rx.match(text, pos)
            if m is not None:
                yield m
                pos = text.find(self.prefix, m.end() if m.end() > pos else pos + 1)
            else:
                pos = text.find(self.prefix, pos + 1)


def _leading_literal(rx: re.Pattern[str]) -> str:
    """The characters every match of *rx* starts with ('' when that is not plain to see)."""
    try:
        from re import _constants, _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(rx.pattern, rx.flags)
    except (ImportError, AttributeError, re.error):  # pragma: no cover - another Python's internals
        return ""
    if parsed.state.flags & re.IGNORECASE:
        return ""
    out: list[str] = []
    zero_width = (_constants.AT, _constants.ASSERT, _constants.ASSERT_NOT)
    ops = list(parsed.data)
    i = 0
    while i < len(ops) and ops[i][0] in zero_width and not out:
        i += 1
    while i < len(ops) and ops[i][0] is _constants.LITERAL:
        out.append(chr(ops[i][1]))
        i += 1
    return "".join(out)


def version_before(text: str, start: int) -> bool:
    """Whether the address at *start* follows a version word ("firmware 10.2.0.1" is no address)."""
    return _VERSION_BEFORE.search(text, max(0, start - 12), start) is not None


def _is_netmask(ip: ipaddress.IPv4Address) -> bool:
    bits = int(ip)
    inverted = ~bits & 0xFFFFFFFF
    return ip.packed[0] == 255 and (inverted & (inverted + 1)) == 0


class Scrubber:
    """Finds what the policy removes in one string: terms, patterns and detector hits."""

    def __init__(self, policy: Policy, exempt: Iterable[str] = ()) -> None:
        data = detector_data()
        self.policy = policy
        self.replacement = policy.replacement
        self.terms = LiteralMatcher(policy.terms)
        self.patterns = [(f"pattern:{p}", LeadingLiteral(re.compile(p))) for p in policy.patterns]
        self.allow = {needle_key(x) for x in policy.allow}
        self.exempt = self.allow | {needle_key(x) for x in exempt}  # ids and product numbers, for tickets
        self.internal_domains = tuple(
            dict.fromkeys([*data.internal_domains, *(d.lower().strip().lstrip(".") for d in policy.internal_domains)])
        )
        self.data = data
        self.ticket_prefixes = data.ticket_allowed_prefixes | set(policy.ticket_allowed_prefixes)
        alternation = "|".join(re.escape(d) for d in sorted(self.internal_domains, key=len, reverse=True))
        self.host_rx = re.compile(
            r"(?<![\w.@-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:" + alternation + r")(?![\w-])(?!\.[A-Za-z0-9])",
            re.IGNORECASE,
        )
        sw = policy.detectors
        self._seen: dict[tuple[str, bool], tuple[Span, ...]] = {}
        self.detectors: list[tuple[str, Callable[[str], Iterator[Span]]]] = [
            (name, fn)
            for name, fn, on in (
                ("url", self._urls, sw.url),
                ("email", self._emails, sw.email),
                ("hostname", self._hosts, sw.hostname),
                ("ip", self._ips, sw.ip),
                ("ticket", self._tickets, sw.ticket),
            )
            if on
        ]
        for name in ("replacement", "withheld_mitigation", "withheld_title", "summary", "context_note"):
            if self.spans(getattr(policy, name)):
                raise InputError(f"the policy's {name} would itself be redacted; choose another text")

    # --- detectors ---------------------------------------------------------------------------

    def _allowed(self, text: str) -> bool:
        return needle_key(text) in self.allow

    def _internal_domain(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return any(host == d or host.endswith("." + d) for d in self.internal_domains)

    def _emails(self, text: str) -> Iterator[Span]:
        if "@" not in text:
            return
        for m in _EMAIL.finditer(text):
            local = m.group().split("@", 1)[0].lower()
            public = local in self.data.public_mailboxes and not self._internal_domain(m.group(1))
            if not public and not self._allowed(m.group()):
                yield m.start(), m.end(), "email"

    def _hosts(self, text: str) -> Iterator[Span]:
        if "." not in text:
            return
        for m in self.host_rx.finditer(text):
            if not self._allowed(m.group()):
                yield m.start(), m.end(), "hostname"

    def _ips(self, text: str) -> Iterator[Span]:
        for start, end in self._ipv4(text):
            if not version_before(text, start):
                yield start, end, "ip"
        yield from self._ipv6(text)

    def _ipv4(self, text: str) -> Iterator[tuple[int, int]]:
        """IPv4 addresses, before the one check that reads the text around them (:func:`version_before`)."""
        for m in _IPV4.finditer(text) if "." in text else ():
            addr = m.group().split("/", 1)[0]
            try:
                ip4 = ipaddress.IPv4Address(addr)
            except ValueError:
                continue
            if ip4.is_loopback or ip4.is_unspecified or ip4.is_multicast or _is_netmask(ip4):
                continue
            if self._allowed(m.group()):
                continue
            yield m.start(), m.end()

    def _ipv6(self, text: str) -> Iterator[Span]:
        for m in _IPV6.finditer(text) if text.count(":") >= 2 else ():
            addr = m.group().split("/", 1)[0].split("%", 1)[0]
            try:
                ip6 = ipaddress.IPv6Address(addr)
            except ValueError:
                continue
            if ip6.is_loopback or ip6.is_unspecified or ip6.is_multicast or self._allowed(m.group()):
                continue
            yield m.start(), m.end(), "ip"

    def _internal_url(self, url: str) -> bool:
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
        except ValueError:
            return True
        if parts.scheme.lower() in ("file", "smb"):
            return True
        if not host:
            return False
        if host == "localhost":
            return False
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            pass
        else:
            return not ip.is_loopback
        if "." not in host or self._internal_domain(host):
            return True
        if any(host == d or host.endswith("." + d) for d in self.data.internal_url_domains):
            return True
        labels = host.split(".")
        return len(labels) >= 3 and labels[0] in self.data.internal_host_labels

    def _urls(self, text: str) -> Iterator[Span]:
        if "://" not in text and "\\\\" not in text:
            return
        for m in _URL.finditer(text):
            url = m.group().rstrip(".,;:!?")
            if self._internal_url(url) and not self._allowed(url):
                yield m.start(), m.start() + len(url), "url"
        for m in _UNC.finditer(text):
            if not self._allowed(m.group()):
                yield m.start(), m.end(), "url"

    def _tickets(self, text: str) -> Iterator[Span]:
        if "-" not in text:
            return
        for m in _TICKET.finditer(text):
            token = m.group()
            prefix = token.split("-", 1)[0]
            # a model id, the product's own number, or an id with a sub-number ("TM-12.3") stays
            if prefix in self.ticket_prefixes or {needle_key(token), needle_key(token.split(".", 1)[0])} & self.exempt:
                continue
            yield m.start(), m.end(), "ticket"

    # --- matching ----------------------------------------------------------------------------

    def spans(self, text: str, *, ids_expected: bool = False) -> list[Span]:
        """Merged, sorted spans to remove; overlapping hits become one span naming every rule.

        Answers are remembered per text: a register repeats the same values (a rationale, a status,
        a column of extra data) thousands of times, and the detectors are regular expressions.
        """
        if not text:
            return []
        key = (text, ids_expected)
        found = self._seen.get(key)
        if found is None:
            found = self._seen[key] = tuple(self._spans(text, ids_expected))
        return list(found)

    def _spans(self, text: str, ids_expected: bool) -> list[Span]:
        raw: list[Span] = [(s, e, "term") for s, e, _ in self.terms.spans(text)]
        raw.extend(self._rule_spans(text, ids_expected))
        if not textnorm.simple(text):  # a disguised address or ticket: matched on the cleaned text
            cleaned, starts, ends = textnorm.key_map(text, fold=False)
            if cleaned != text:
                for s, e, rule in self._rule_spans(cleaned, ids_expected):
                    raw.append((*textnorm.span_back(starts, ends, s, e, text), rule))
        if not raw:
            return []
        raw.sort(key=lambda s: (s[0], -s[1]))
        merged: list[Span] = []
        for start, end, rule in raw:
            if merged and start < merged[-1][1]:
                ps, pe, prule = merged[-1]
                rules = prule if rule in prule.split("+") else f"{prule}+{rule}"
                merged[-1] = (ps, max(pe, end), rules)
            else:
                merged.append((start, end, rule))
        return merged

    def _rule_spans(self, text: str, ids_expected: bool) -> Iterator[Span]:
        yield from self.pattern_spans(text)
        for name, fn in self.detectors:
            if ids_expected and name == "ticket":
                continue  # ids and evidence references look like tickets by design
            yield from fn(text)

    def pattern_spans(self, text: str) -> Iterator[Span]:
        """What the policy's own patterns match (they may span words and lines)."""
        for rule, rx in self.patterns:
            yield from ((m.start(), m.end(), rule) for m in rx.finditer(text) if m.end() > m.start())

    def word_spans(self, words: Sequence[str]) -> list[list[tuple[int, int, bool]]]:
        """For each of *words* (runs of non-whitespace), the spans the detectors find in it, each
        with whether it is an IPv4 address whose verdict depends on the text before the word
        (:func:`version_before`).

        Every detector matches a run of non-whitespace characters only, and none of its look-arounds
        tells whitespace from the start or end of the text: what they find in a text is what they find
        in each of its words. The words are searched as one text, one per line.
        """
        joined = "\n".join(words)
        starts = list(accumulate((len(w) + 1 for w in words[:-1]), initial=0))
        out: list[list[tuple[int, int, bool]]] = [[] for _ in words]

        def place(start: int, end: int, context: bool) -> None:
            i = bisect_right(starts, start) - 1
            out[i].append((start - starts[i], end - starts[i], context))

        for name, fn in self.detectors:
            if name == "ip":
                for start, end in self._ipv4(joined):
                    place(start, end, True)
                spans: Iterable[Span] = self._ipv6(joined)
            else:
                spans = fn(joined)
            for start, end, _rule in spans:
                place(start, end, False)
        return out

    def scrub(self, text: str, *, ids_expected: bool = False) -> tuple[str, list[tuple[str, str]]]:
        """*text* with every span replaced, and the (rule, removed text) pairs."""
        removed: list[tuple[str, str]] = []
        for _ in range(5):  # a removal can join neighbours into a new match; repeat until stable
            spans = self.spans(text, ids_expected=ids_expected)
            if not spans:
                break
            out, pos = [], 0
            for start, end, rule in spans:
                out.append(text[pos:start])
                out.append(self.replacement)
                removed.append((rule, text[start:end]))
                pos = end
            out.append(text[pos:])
            text = "".join(out)
        return text, removed


# ---------------------------------------------------------------------------------- text fields


def all_items(model: Model) -> Iterator[Item]:
    """Every identifiable item, in collection order."""
    for attr, _kind in COLLECTIONS:
        yield from getattr(model, attr)


TextFn = Callable[[str, str, str], str]  # (text, item id, field path) -> new text


def _is_enum(annotation: object) -> bool:
    origin = get_origin(annotation)
    if origin is Literal:
        return True
    if origin in (list, typing.Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return bool(args) and all(_is_enum(a) for a in args)
    return False


def _model_class(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (typing.Union, types.UnionType):
        for a in get_args(annotation):
            if isinstance(a, type) and issubclass(a, BaseModel):
                return a
    return None


def _ref_fields() -> dict[type, set[str]]:
    out: dict[type, set[str]] = {Flow: {"source", "target"}}
    for coll, fld in REFERENCES:
        cls = get_args(Model.model_fields[coll].annotation)[0]
        out.setdefault(cls, set()).add(fld)
    return out


_REFS = _ref_fields()


@cache
def _text_fields(cls: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(name, shape) of the fields of *cls* that hold published free text or nested models.

    Shapes: ``str``, ``strs`` (list of str), ``model``, ``models``. Ids, references, enums and the
    never-published fields are left out, so adding a text field to the model needs no change here.
    """
    out = []
    skip = {"id", *NEVER_PUBLISHED, *_REFS.get(cls, set())}
    for name, info in cls.model_fields.items():
        ann = info.annotation
        if name in skip or _is_enum(ann):
            continue
        sub = _model_class(ann)
        args = [a for a in get_args(ann) if a is not type(None)]
        if sub is not None:
            out.append((name, "model"))
        elif ann is str or (args == [str] and get_origin(ann) in (typing.Union, types.UnionType)):
            out.append((name, "str"))
        elif get_origin(ann) is list and args == [str]:
            out.append((name, "strs"))
        elif get_origin(ann) is list and args and _model_class(args[0]) is not None:
            out.append((name, "models"))
    return tuple(out)


def _walk(obj: BaseModel, item: str, prefix: str, fn: TextFn) -> None:
    for name, shape in _text_fields(type(obj)):
        value = getattr(obj, name)
        path = prefix + name
        if value is None:
            continue
        if shape == "str":
            new = fn(value, item, path)
            if new is not value:  # most text is left as it was: no assignment needed
                setattr(obj, name, new)
        elif shape == "strs":
            if value:
                setattr(obj, name, [fn(v, item, f"{path}[{i}]") for i, v in enumerate(value)])
        elif shape == "model":
            _walk(value, item, path + ".", fn)
        else:
            for i, sub in enumerate(value):
                _walk(sub, item, f"{path}[{i}].", fn)


def walk_text(model: Model, fn: TextFn) -> None:
    """Apply *fn* to every published text field of *model*, in place, names and captions included."""
    for attr, _kind in COLLECTIONS:
        for item in getattr(model, attr):
            _walk(item, item.id, "", fn)
    _walk(model.product, "product", "", fn)
    _walk(model.document, "document", "", fn)
    _walk(model.support, "support", "", fn)


def iter_text(model: Model) -> Iterator[tuple[str, str, str]]:
    """(item id, field path, text) of every published text field."""
    found: list[tuple[str, str, str]] = []

    def collect(text: str, item: str, path: str) -> str:
        found.append((item, path, text))
        return text

    walk_text(model, collect)
    return iter(found)


# ------------------------------------------------------------------------------------------ log

Action = Literal["replaced", "renamed", "dropped", "withheld", "summarised", "rewritten", "noted", "stripped"]


class LogEntry(BaseModel):
    """One change: *secret* marks removed text that the leak scan must never find in the package."""

    item: str
    field: str
    action: Action
    rule: str
    removed: str | None = None
    replacement: str | None = None
    secret: bool = False


class RedactionLog(BaseModel):
    """Everything redaction changed (internal: it holds the very strings that were removed)."""

    terms: list[str] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict)
    dropped: list[str] = Field(default_factory=list)
    withheld: list[str] = Field(default_factory=list)
    renamed: dict[str, str] = Field(default_factory=dict)
    entries: list[LogEntry] = Field(default_factory=list)
    # the public corpus redaction built (see public_corpus): the leak scan reuses it while the public
    # model is unchanged, rather than build the same ~10 MB string again
    _corpus: str | None = PrivateAttr(default=None)

    def add(
        self,
        item: str,
        field: str,
        action: Action,
        rule: str,
        removed: str | None = None,
        replacement: str | None = None,
        *,
        secret: bool = False,
    ) -> None:
        self.entries.append(
            LogEntry(item=item, field=field, action=action, rule=rule, removed=removed, replacement=replacement, secret=secret)
        )

    def needles(self) -> list[str]:
        """What the leak scan looks for: every policy term and every secret string removed."""
        out = dict.fromkeys(self.terms)
        for e in self.entries:
            if e.secret and e.removed and e.removed.strip():
                out.setdefault(e.removed)
        return list(out)

    def corpus(self) -> str | None:
        """The public corpus of the model :func:`redact` returned, as it returned it (None for a log
        not made by it): only valid while that model is unchanged."""
        return self._corpus

    def finish(self) -> RedactionLog:
        self.counts = dict(sorted(Counter(e.action for e in self.entries).items()))
        return self


# -------------------------------------------------------------------------------- public view


def public_view(model: Model, *, signoff_names: bool = False, signoff_comments: bool = False) -> Model:
    """A copy with nothing that is never published: provenance, notes, extra; sign-off people by role.

    Every published model passes through here, redacted or not.
    """
    return _strip(deep_copy(model), signoff_names=signoff_names, signoff_comments=signoff_comments)


def _strip(out: Model, *, signoff_names: bool, signoff_comments: bool) -> Model:
    out.risk_management = RiskManagement()  # the submission's own facts (anomalies, metrics) are never published
    for el in out.elements:  # FDA Appendix 2 design detail (debug interfaces, keys) goes to the regulator only
        el.dormant_interfaces, el.key_lifecycle, el.sessions, el.default_settings = [], None, None, None
    for item in all_items(out):
        item.notes = None
        item.extra = {}
        if isinstance(item, Flow):
            item.provenance = None
        else:
            item.source = None
    for s in out.document.signoffs:
        if not signoff_names:
            s.name = s.role
        if not signoff_comments:
            s.comment = None
    return out


# ------------------------------------------------------------------------------------ redaction

_NOUNS = {  # in the order a reader meets them
    "trust_zone": ("trust zone", "trust zones"),
    "element": ("component", "components"),
    "flow": ("data flow", "data flows"),
    "asset": ("asset", "assets"),
    "threat": ("threat", "threats"),
    "control": ("control", "controls"),
    "view": ("view", "views"),
}


def _what(kinds: Counter[str]) -> str:
    parts = [f"{kinds[k]} {one if kinds[k] == 1 else many}" for k, (one, many) in _NOUNS.items() if kinds[k]]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _label(item: Item) -> str:
    for attr in ("name", "title", "text"):
        value = getattr(item, attr, None)
        if isinstance(value, str):
            return value
    return ""


class _Redactor:
    def __init__(self, model: Model, policy: Policy, log: RedactionLog) -> None:
        self.policy = policy
        self.log = log
        self.kind_of = {item.id: kind for kind, item in model.items()}

    # --- rewrite and summarise ---------------------------------------------------------------

    def rewrite(self, model: Model) -> None:
        index = model.index()
        for iid, fields in self.policy.rewrite.items():
            item = index.get(iid)
            if item is None:
                raise InputError(f"the policy rewrites {iid!r}, but the model has no item with that id", locator=pointer("rewrite", iid))
            shapes = dict(_text_fields(type(item)))
            for name, value in fields.items():
                shape = shapes.get(name)
                if shape not in ("str", "strs"):
                    raise InputError(f"{name!r} is not a text field of {iid!r}", locator=pointer("rewrite", iid, name))
                new: object = (
                    ([value] if isinstance(value, str) else value)
                    if shape == "strs"
                    else (value if isinstance(value, str) else "\n".join(value))
                )
                old = getattr(item, name)
                setattr(item, name, new)
                self.log.add(iid, name, "rewritten", "rewrite", _flat(old), _flat(new), secret=True)

    def summarise(self, item: Item, rule: str) -> None:
        cleared: dict[str, object] = {"rationale": None, "steps": [], "verification": [], "disposal": None, "diagram": None}
        if item.description:
            self.log.add(item.id, "description", "summarised", rule, item.description, self.policy.summary, secret=True)
        item.description = self.policy.summary
        for name, empty in cleared.items():
            old = getattr(item, name, None)
            if old:
                self.log.add(item.id, name, "summarised", rule, _flat(old), secret=True)
                setattr(item, name, empty)

    # --- dropping ----------------------------------------------------------------------------

    def dropped_ids(self, model: Model) -> dict[str, str]:
        drop: dict[str, str] = {}
        wanted = set(self.policy.drop_items)
        for item in all_items(model):
            if item.sensitivity in self.policy.drop:
                drop[item.id] = f"sensitivity:{item.sensitivity}"
            elif item.id in wanted:
                drop[item.id] = "drop_items"
        for flow in model.flows:
            if flow.id not in drop:
                for end in (flow.source, flow.target):
                    if end in drop:
                        drop[flow.id] = f"cascade:endpoint {end} dropped"
                        break
        return drop

    def drop(self, model: Model) -> None:
        drop = self.dropped_ids(model)
        if not drop:
            return
        controls = {c.id: c for c in model.controls}
        kept_threats = [t for t in model.threats if t.id not in drop]
        needed = {cid for t in kept_threats for cid in t.controls if cid in drop and cid in controls}
        stubs = {cid: self._stub(controls[cid], drop[cid]) for cid in sorted(needed)}
        for item in all_items(model):
            if item.id in drop and item.id not in stubs:
                self.log.add(item.id, "*", "dropped", drop[item.id], _label(item) or None, secret=True)
                self.withheld_text(item, "dropped", drop[item.id])
        self.log.dropped = sorted(set(drop) - set(stubs))
        self.log.withheld = sorted(stubs)
        gone = set(drop) - set(stubs)

        def keep(ids: list[str]) -> tuple[list[str], Counter[str]]:
            kept, lost = [], Counter[str]()
            for i in ids:
                if i in gone:
                    lost[self.kind_of.get(i, "element")] += 1
                else:
                    kept.append(i)
            return kept, lost

        for attr, _kind in COLLECTIONS:
            items = [i for i in getattr(model, attr) if i.id not in gone or i.id in stubs]
            if attr == "controls":
                items = [stubs.get(c.id, c) for c in items]
            setattr(model, attr, items)
        for el in model.elements:
            if el.trust_zone in gone:
                el.trust_zone = None
                self.note(el, Counter({"trust_zone": 1}))
        for flow in model.flows:
            flow.data, lost = keep(flow.data)
            self.note(flow, lost)
        for asset in model.assets:
            asset.stored_in, lost = keep(asset.stored_in)
            self.note(asset, lost)
        for view in model.views:
            lost = Counter[str]()
            for name in ("elements", "flows", "threats", "controls"):
                kept, lost_here = keep(getattr(view, name))
                setattr(view, name, kept)
                lost += lost_here
            self.note(view, lost)
        for threat in model.threats:
            threat.targets, lost = keep(threat.targets)
            threat.assets, lost_assets = keep(threat.assets)
            threat.controls, _ = keep(threat.controls)  # withheld controls stay, as placeholders
            self.note(threat, lost + lost_assets)
        for dep in model.dependencies:
            dep.elements, lost = keep(dep.elements)
            self.note(dep, lost)
        for flow in model.flows:
            if flow.initiator in gone:
                flow.initiator = None

    def withheld_text(self, item: Item, action: Action, rule: str) -> None:
        """Every text field of an item the public model leaves out becomes a leak-scan needle."""
        for _, path, text in _item_text(item):
            if path not in ("title", "name"):
                self.log.add(item.id, path, action, rule, text, secret=True)

    def _stub(self, control: Control, rule: str) -> Control:
        self.log.add(control.id, "*", "withheld", rule, control.title, self.policy.withheld_title, secret=True)
        self.withheld_text(control, "withheld", rule)
        return Control(
            id=control.id,
            title=self.policy.withheld_title,
            description=self.policy.withheld_mitigation,
            category=control.category,
            responsibility=control.responsibility,
            status=control.status,
            tags=["withheld"],
        )

    def note(self, item: Item, lost: Counter[str]) -> None:
        if not lost:
            return
        text = self.policy.context_note.format(what=_what(lost))
        item.description = f"{item.description}\n\n{text}" if item.description else text
        self.log.add(item.id, "description", "noted", "context", None, text)

    # --- ids and text ------------------------------------------------------------------------

    def rename_ids(self, model: Model, scrubber: Scrubber) -> None:
        taken = {item.id for _, item in model.items()}
        renames: dict[str, str] = {}
        counters: Counter[str] = Counter()
        for kind, item in model.items():
            spans = scrubber.spans(item.id, ids_expected=True)
            if not spans:
                continue
            new = ""
            while not new or new in taken:
                counters[kind] += 1
                new = f"redacted-{kind.replace('_', '-')}-{counters[kind]}"
            taken.add(new)
            renames[item.id] = new
            rules = "+".join(dict.fromkeys(r for _, _, r in spans))
            self.log.add(new, "id", "renamed", rules, item.id, new, secret=True)
        if not renames:
            return
        for item in all_items(model):
            item.id = renames.get(item.id, item.id)
            for name in _REFS.get(type(item), ()):
                value = getattr(item, name)
                if isinstance(value, list):
                    setattr(item, name, [renames.get(v, v) for v in value])
                elif isinstance(value, str):
                    setattr(item, name, renames.get(value, value))
        self.log.renamed = renames

    def scrub_text(self, model: Model, scrubber: Scrubber) -> None:
        def fn(text: str, item: str, path: str) -> str:
            field = path.rsplit(".", 1)[-1].split("[", 1)[0]
            new, removed = scrubber.scrub(text, ids_expected=field in IDENTIFIER_FIELDS or path in NAME_FIELDS)
            for rule, gone in removed:
                self.log.add(item, path, "replaced", rule, gone, scrubber.replacement, secret=True)
            return new

        walk_text(model, fn)

    def stripped_secrets(self, model: Model, scrubber: Scrubber) -> None:
        """Secrets in the never-published fields become needles, in case an exporter leaks them."""
        for item in all_items(model):
            src = item.provenance if isinstance(item, Flow) else item.source
            values: list[tuple[str, object]] = [("notes", item.notes), ("extra", item.extra)]
            if src is not None:
                values.append(("source", src.model_dump()))
            for field, value in values:
                for path, text in _strings(value, field):
                    for _s, _e, rule in scrubber.spans(text):
                        self.log.add(item.id, path, "stripped", rule, text[_s:_e], secret=True)


def _item_text(item: Item) -> list[tuple[str, str, str]]:
    """(item id, field path, text) of the published text fields of one item."""
    found: list[tuple[str, str, str]] = []

    def collect(text: str, iid: str, path: str) -> str:
        found.append((iid, path, text))
        return text

    _walk(item, item.id, "", collect)
    return found


def _strings(value: object, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(str(k), f"{path}.{k}(key)")
            yield from _strings(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{path}[{i}]")


def _flat(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, BaseModel):
        return str(value.model_dump(mode="json"))
    return str(value)


def _exempt(model: Model) -> set[str]:
    """Ticket look-alikes the ticket detector leaves alone: item ids, the product's own numbers, and
    the identifiers cited in evidence fields (so "VT-112" reads the same in a rationale as in the
    verification list it comes from)."""
    out = {item.id for _, item in model.items()}
    for item in all_items(model):
        for name in IDENTIFIER_FIELDS:
            value = getattr(item, name, None)
            for entry in [value] if isinstance(value, str) else (value or []):
                out.update(m.group() for m in _TICKET.finditer(entry))
    p = model.product
    for value in (
        p.name,
        p.model,
        p.version,
        p.device_type,
        p.regulatory.fda_product_code,
        p.regulatory.submission_number,
        model.document.version,
    ):
        if value:
            out.add(value)
            out.update(value.split())
    return out


MIN_ITEM_NEEDLE = 6  # characters: shorter field values of left-out items ("BLE", "USB") are everywhere


@cache
def _vocabulary() -> tuple[str, ...]:
    """Every enumerated value of the model (asset kinds, STRIDE categories, statuses): documents print
    them as labels ("Therapy data"), so a left-out item named like one discloses nothing."""
    out: list[str] = []
    stack: list[object] = [Model.model_json_schema()]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("enum"), list):
                out.extend(str(v) for v in node["enum"])
            if isinstance(node.get("const"), str):
                out.append(node["const"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return tuple(dict.fromkeys(out))


def public_corpus(public: Model, policy: Policy) -> str:
    """What the package may legitimately hold, normalised: every string of the public model (text,
    ids, enumerated values), the model's vocabulary and the policy's own published texts."""
    texts = [text for _, _, text in iter_text(public)] + [item.id for _, item in public.items()]
    texts += list(_strings_all(public.model_dump(mode="json")))
    texts += list(_vocabulary())
    texts += [str(getattr(policy, name)) for name in ("replacement", "withheld_mitigation", "withheld_title", "summary", "context_note")]
    # each distinct text once (the model's text fields are also among its dumped strings, and a register
    # repeats its values): a needle key holds no line break, so it is in the joined keys exactly when
    # it is in one of them, whatever their number
    return "\n".join(needle_key(t) for t in dict.fromkeys(texts))


def _strings_all(value: object) -> Iterator[str]:
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            yield v
        elif isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)


def _exempt_published(log: RedactionLog, public: Model, policy: Policy) -> None:
    """Text of a left-out item that the public model itself holds is no secret (a kept threat may share
    a dropped one's mitigation text); nor is a value too short to be told apart from ordinary words."""
    corpus = log._corpus = public_corpus(public, policy)
    for entry in log.entries:
        if entry.secret and entry.removed and entry.action in ("dropped", "withheld", "rewritten", "summarised"):
            k = needle_key(entry.removed)
            if len(k) < MIN_ITEM_NEEDLE or k in corpus:
                entry.secret = False


def redact_overrides(
    overrides: Sequence[Override], model: Model, policy: Policy, log: RedactionLog, where: str = "mdptm.yaml"
) -> list[Override]:
    """Mapping overrides as the package may show them: their justifications are model text like any
    other (a ticket id, a wiki URL, an internal address in one must not reach the coverage tables).

    Uses the terms redaction used (``log.terms``: policy, sign-off and document-property terms);
    what is removed is logged and becomes a needle."""
    scrubber = Scrubber(policy.model_copy(update={"terms": list(log.terms)}), _exempt(model))
    out: list[Override] = []
    for i, ov in enumerate(overrides):
        new, removed = scrubber.scrub(ov.justification)
        for rule, gone in removed:
            log.add(where, f"overrides[{i}].justification", "replaced", rule, gone, scrubber.replacement, secret=True)
        out.append(ov.model_copy(update={"justification": new}) if removed else ov)
    log.finish()
    return out


def text_scrubber(model: Model, policy: Policy, log: RedactionLog, where: str) -> Callable[[str, str], str]:
    """``scrub(text, place)`` for published text that is not in the model (a template's header): the
    build's terms, patterns and detectors; removals are logged as needles."""
    scrubber = Scrubber(policy.model_copy(update={"terms": list(log.terms)}), _exempt(model))

    def scrub(text: str, place: str) -> str:
        new, removed = scrubber.scrub(text)
        for rule, gone in removed:
            log.add(where, place, "replaced", rule, gone, scrubber.replacement, secret=True)
        return new

    return scrub


def output_detector(policy: Policy, model: Model, public: Model, *, corpus: str | None = None) -> Callable[[str], list[str]]:
    """What the leak scan runs besides its needles: the policy's patterns and the detectors, over every
    output. A hit that the public model itself holds (an id, a public host, a cited evidence id) or that
    the policy publishes is no leak.

    *corpus* is ``public_corpus(public, policy)`` when the caller already has it (:meth:`RedactionLog.corpus`
    while *public* is as redaction left it); it is built here otherwise."""
    scrubber = Scrubber(policy, _exempt(model))
    if corpus is None:
        corpus = public_corpus(public, policy)
    leaks: dict[str, bool] = {}  # by needle key
    verdicts: dict[str, bool] = {}  # by the text found
    by_word: dict[str, list[tuple[int, int, bool]]] = {}  # what the detectors find in a word, once
    plain: set[str] = set()  # words they find nothing in (most): kept apart, a set costs half a dict

    def leak(hit: str) -> bool:
        verdict = verdicts.get(hit)
        if verdict is None:
            k = needle_key(hit)
            if k not in leaks:
                leaks[k] = bool(k) and k not in corpus
            verdict = verdicts[hit] = leaks[k]
        return verdict

    def detect(text: str) -> list[str]:
        cleaned = textnorm.clean(text)
        out = [hit for start, end, _rule in scrubber.pattern_spans(cleaned) if leak(hit := cleaned[start:end])]
        # the detectors run on each distinct word once: a package repeats its ids, names and
        # addresses thousands of times, in every file (see Scrubber.word_spans)
        words = _words(cleaned) - plain
        new = [w for w in words if w not in by_word]
        if new:
            for word, spans in zip(new, scrubber.word_spans(new), strict=True):
                if spans:
                    by_word[word] = spans
                else:
                    plain.add(word)
        for word in words:
            for start, end, context in by_word.get(word, ()):
                hit = word[start:end]
                if leak(hit) and (not context or _free_standing(cleaned, word, start)):
                    out.append(hit)
        return out

    return detect


_SPACE = re.compile(r"\s")


def _words(text: str, piece: int = 1 << 20) -> set[str]:
    """The distinct runs of non-whitespace in *text*, split a piece at a time (cut at whitespace, so no
    word is cut): a 40 MB document is never a list of millions of words at once."""
    words: set[str] = set()
    start = 0
    while start < len(text):
        end = start + piece
        if end < len(text):
            cut = _SPACE.search(text, end)
            end = cut.start() if cut else len(text)
        words.update(text[start:end].split())
        start = end
    return words


def _free_standing(text: str, word: str, offset: int) -> bool:
    """Whether an address found at *offset* in *word* is, at one place at least where *word* stands
    in *text*, not preceded by a version word (:func:`version_before`)."""
    places = re.finditer(r"(?<!\S)" + re.escape(word) + r"(?!\S)", text)
    return any(not version_before(text, m.start() + offset) for m in places)


def public_review(review: Review, log: RedactionLog, replacement: str) -> Review:
    """Review findings as a published document may show them.

    Checks describe the internal model, so a finding can quote a title or an id that redaction
    removed ("threat T-9 (Replay on pump.hospital.local) is open"). Every string the leak scan
    looks for is replaced here, and renamed ids take their public names.
    """
    matcher = LiteralMatcher(log.needles())
    if not matcher and not log.renamed:
        return review

    def clean(text: str) -> str:
        out, pos = [], 0
        for start, end, _needle in matcher.spans(text):
            out.append(text[pos:start])
            out.append(replacement)
            pos = end
        return "".join(out) + text[pos:] if out else text

    findings = [
        f.model_copy(update={"message": clean(f.message), "items": [clean(log.renamed.get(i, i)) for i in f.items]})
        for f in review.findings
    ]
    return Review(findings=findings)


def signoff_terms(model: Model, policy: Policy) -> list[str]:
    """People named in sign-offs, when the policy does not publish them: redacted everywhere."""
    if policy.publish_signoff_names:
        return []
    out: dict[str, None] = {}
    for s in model.document.signoffs:
        for name in (s.name, *bare_names(s.name)):
            if len(name.strip()) >= 3 and needle_key(name) != needle_key(s.role):
                out.setdefault(name.strip())
    return list(out)


_HONORIFIC = re.compile(r"^(?:(?:dr|prof|mr|mrs|ms|mx|sir|dame|ing|dipl|mag|med|rer|nat|phil|habil)\.?\s+)+", re.I)
_SUFFIX = re.compile(r"\s*(?:\([^)]*\)|\[[^\]]*\]|,.*|\s[-\u2013\u2014|/]\s.*|\s+(?:jr|sr|phd|md|msc|mba|ii|iii)\.?)$", re.I)


def bare_names(name: str) -> list[str]:
    """The person alone in a sign-off name: "Dr. Jane Roe", "Max Mustermann (Head of Ops)" and
    "Priya Raman, Director" name "Jane Roe", "Max Mustermann" and "Priya Raman"."""
    out: list[str] = []
    current = name.strip()
    for _ in range(4):
        shorter = _HONORIFIC.sub("", _SUFFIX.sub("", current)).strip()
        if shorter == current or len(shorter) < 3:
            break
        out.append(shorter)
        current = shorter
    return out


def property_terms(paths: Iterable[Path], *, keep: Iterable[str] = ()) -> list[str]:
    """People and organisations named in the input documents' properties, as terms.

    Author, last modified by, manager, company and comments never reach the package; making them
    terms also scrubs them from the model's text and makes the leak scan look for them. Values that
    name a tool or default account, and the values in *keep* (the manufacturer), are left out.
    """
    generic = detector_data().generic_property_values
    keep_keys = [needle_key(k) for k in keep if k]
    out: dict[str, None] = {}
    for path in paths:
        props = property_values(path)
        for key in ("core:creator", "core:lastModifiedBy", "app:Manager", "app:Company", "core:description"):
            value = props.get(key, "").strip()
            k = needle_key(value)
            if len(k) < 3 or k in generic or any(k in kk or kk in k for kk in keep_keys):
                continue
            out.setdefault(value)
    return list(out)


def redact(model: Model, policy: Policy, *, extra_terms: Iterable[str] = ()) -> tuple[Model, RedactionLog]:
    """The public model and the log of every change. *model* itself is not modified.

    *extra_terms* adds terms the policy file does not list (document-property authors, say).
    """
    policy = policy.with_terms([*signoff_terms(model, policy), *extra_terms])
    log = RedactionLog(terms=list(policy.terms))
    work = deep_copy(model)
    red = _Redactor(work, policy, log)
    scrubber = Scrubber(policy, _exempt(model))
    red.rewrite(work)
    red.stripped_secrets(work, scrubber)
    for item in all_items(work):
        if item.sensitivity in policy.summarise and item.sensitivity not in policy.drop:
            red.summarise(item, f"sensitivity:{item.sensitivity}")
    red.drop(work)
    before = [(s.name, s.comment) for s in work.document.signoffs]
    public = _strip(work, signoff_names=policy.publish_signoff_names, signoff_comments=policy.publish_signoff_comments)
    for i, (s, (name, comment)) in enumerate(zip(public.document.signoffs, before, strict=True)):
        if s.name != name:
            log.add("document", f"signoffs[{i}].name", "replaced", "signoff-name", name, s.name, secret=True)
        if comment and s.comment != comment:
            log.add("document", f"signoffs[{i}].comment", "dropped", "signoff-comment", comment)
    red.rename_ids(public, scrubber)
    red.scrub_text(public, scrubber)
    _exempt_published(log, public, policy)
    problems = validate_model(public)
    if problems:  # redaction must never publish a broken model
        raise InputError(f"redaction produced an inconsistent model: {problems[0]}")
    return public, log.finish()
