"""The detectors: terms, patterns, e-mail and IP addresses, host names, URLs and ticket ids found in one text."""

from __future__ import annotations

import html
import ipaddress
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import accumulate
from urllib.parse import unquote, urlsplit

from mdptm.base import textnorm
from mdptm.errors import InputError
from mdptm.model import Model
from mdptm.redaction.leakscan import LiteralMatcher, hidden_text, needle_key
from mdptm.redaction.policy import (
    IDENTIFIER_FIELDS,
    Policy,
    detector_data,
)
from mdptm.redaction.textfields import all_items

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
        self.any_case = bool(rx.flags & re.IGNORECASE)
        if self.any_case:  # an ASCII text lowered keeps every position; other texts are searched as usual
            self.prefix = self.prefix.lower() if self.prefix.isascii() else ""

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if len(self.prefix) < 2 or (self.any_case and not text.isascii()):
            yield from self.rx.finditer(text)
            return
        hay = text.lower() if self.any_case else text
        pos = hay.find(self.prefix)
        while pos >= 0:
            m = self.rx.match(text, pos)
            if m is not None:
                yield m
                pos = hay.find(self.prefix, m.end() if m.end() > pos else pos + 1)
            else:
                pos = hay.find(self.prefix, pos + 1)


def _leading_literal(rx: re.Pattern[str]) -> str:
    """The characters every match of *rx* starts with ('' when that is not plain to see)."""
    try:
        from re import _constants, _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(rx.pattern, rx.flags)
    except (ImportError, AttributeError, re.error):  # pragma: no cover - another Python's internals
        return ""
    if parsed.state.flags & re.IGNORECASE and not rx.flags & re.IGNORECASE:
        return ""  # an inline (?i) the caller cannot see: no prefix
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


_ESCAPE = re.compile(
    r"(?:%[0-9A-Fa-f]{2})+|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
    r"|\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}|\\u\{[0-9A-Fa-f]{1,6}\}"
)
_ROUNDS = 4  # escapes inside escapes: Dana%2520Whitlock, Dana&amp;nbsp;Whitlock
# a run of 12 characters or more, its padding counted, as the leak scan reads it (leakscan._B64_MIN)
_BASE64 = re.compile(r"(?<![A-Za-z0-9+/_-])(?=[A-Za-z0-9+/_-]{10}[A-Za-z0-9+/_=-]{2})[A-Za-z0-9+/_-]+={0,2}(?![A-Za-z0-9+/=_-])")


def _escape_char(esc: str) -> str:
    if esc[0] == "%":  # a run of percent escapes: UTF-8 bytes ("%E2%80%8B" is one zero-width space)
        return unquote(esc, errors="replace")
    if esc[0] == "\\":
        try:
            return chr(int(esc[2:].strip("{}"), 16))
        except (ValueError, OverflowError):
            return esc
    return html.unescape(esc)


_INLINE_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>|<!--.{0,200}?-->", re.S)


def _untagged(text: str) -> tuple[str, list[tuple[int, int]]] | None:
    """*text* without its HTML tags ("Night<b>jar</b>" reads as Nightjar once rendered), and for each
    character left the span of *text* it came from: a term split by a tag is found, and replaced with it;
    None when it holds no tag."""
    return textnorm.sub_mapped(_INLINE_TAG, "", text)


_CLOSING_TAG = re.compile(r"</[A-Za-z][^<>]{0,200}>")
_OPENING_TAG = re.compile(r"<[A-Za-z][^<>]{0,200}>")


def _closed(text: str, start: int, end: int) -> int:
    """*end* moved over the closing tags right after it that close tags opened in ``text[start:end]``: the
    replacement of "Night<b>jar</b>" leaves no "</b>" behind."""
    part = text[start:end]
    opened = len(_OPENING_TAG.findall(part)) - len(_CLOSING_TAG.findall(part))
    while opened > 0 and (m := _CLOSING_TAG.match(text, end)):
        end, opened = m.end(), opened - 1
    return end


def _deep_unescaped(text: str) -> tuple[str, list[tuple[int, int]]]:
    """:func:`_unescaped` again and again while escapes are left (at most :data:`_ROUNDS` times), each
    decoded character mapped to the span of *text* it came from."""
    decoded, where = _unescaped(text)
    for _ in range(_ROUNDS - 1):
        if decoded == text or not _ESCAPE.search(decoded):
            break
        again, inner = _unescaped(decoded)
        if again == decoded:
            break
        where = [(where[a][0], where[b - 1][1]) for a, b in inner]
        text, decoded = decoded, again
    return decoded, where


def _unescaped(text: str) -> tuple[str, list[tuple[int, int]]]:
    """*text* with percent escapes and HTML character references decoded, and for each decoded character
    the span of *text* it came from: a term is found inside a link or an entity-encoded cell, and the
    whole escape is replaced."""
    out: list[str] = []
    where: list[tuple[int, int]] = []
    pos = 0
    for m in _ESCAPE.finditer(text):
        for i in range(pos, m.start()):
            out.append(text[i])
            where.append((i, i + 1))
        esc = m.group()
        char = _escape_char(esc)
        if esc[0] == "%" and char != esc:  # a run of percent escapes: each character stands for its bytes
            at = m.start()
            for ch in char:
                size = 3 * len(ch.encode("utf-8")) if ch != "\ufffd" else 3
                out.append(ch)
                where.append((at, min(at + size, m.end())))
                at = min(at + size, m.end())
            where[-1] = (where[-1][0], m.end())
        elif char == esc or len(char) != 1:  # an unknown entity (or one of two characters): kept as written
            for i in range(m.start(), m.end()):
                out.append(text[i])
                where.append((i, i + 1))
        else:
            out.append(char)
            where.append((m.start(), m.end()))
        pos = m.end()
    for i in range(pos, len(text)):
        out.append(text[i])
        where.append((i, i + 1))
    return "".join(out), where


class Scrubber:
    """Finds what the policy removes in one string: terms, patterns and detector hits."""

    def __init__(self, policy: Policy, exempt: Iterable[str] = ()) -> None:
        data = detector_data()
        self.policy = policy
        self.replacement = policy.replacement
        self.terms = LiteralMatcher(policy.terms)
        self.patterns = [(f"pattern:{rx.pattern}", LeadingLiteral(rx)) for rx in policy.compiled_patterns()]
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
            if prefix in self.ticket_prefixes or needle_key(token) in self.exempt:
                continue
            if "." in token and needle_key(token.split(".", 1)[0]) in self.exempt:
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
        if "%" in text or "&" in text or "\\" in text:  # Dana%20Whitlock (a link), Dana&nbsp;Whitlock, escaped again
            decoded, where = _deep_unescaped(text)
            if decoded != text:
                raw.extend((where[s][0], where[e - 1][1], "term") for s, e, _ in self.terms.spans(decoded) if e > s)
        if "<" in text and self.terms:  # "Night<b>jar</b>": the term, tags and all, goes
            found = _untagged(text)
            if found is not None:
                untagged, where = found
                for s, e, _ in self.terms.spans(untagged):
                    if e > s:
                        raw.append((where[s][0], _closed(text, where[s][0], where[e - 1][1]), "term"))
        if self.terms and textnorm.splits(text):  # "[Night](x)jar", "Night\\jar": the term, link and backslashes too
            shown, where = textnorm.rendered_map(text)
            if shown != text:
                raw.extend((where[s][0], where[e - 1][1], "term") for s, e, _ in self.terms.spans(shown) if e > s)
        if self.terms and len(text) >= 12 and max(map(len, text.split()), default=0) >= 12:  # a term in base64 or hex: the whole run goes
            for m in _BASE64.finditer(text):
                plain = hidden_text(m.group())
                if plain and self.terms.found(plain):
                    raw.append((m.start(), m.end(), "term"))
        raw.extend(self._rule_spans(text, ids_expected))
        defanged = textnorm.refanged_map(text)
        if defanged is not None:  # "build01[.]meridian[.]corp": the address, brackets and all
            plain, where = defanged
            raw.extend((where[s][0], where[e - 1][1], rule) for s, e, rule in self._rule_spans(plain, ids_expected) if e > s)
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
