"""The leak scan: after a package is written, read every byte of every file for every redacted string.

Redaction works on the model; exporters, templates and document properties could still carry a secret
into the package. So the finished files themselves are searched -- inside .docx/.xlsx zips (document
properties, comments, custom XML and embedded parts included) -- for every string redaction removed and
every policy term. One hit is a blocker.

Each file is read once and searched in one regex pass over all needles per view of it: the needles
are compiled into a single trie-shaped alternation, so the cost does not grow with a rescan per needle.
A needle may hide behind an encoding, so each file is searched in several views: the raw text, with
XML/HTML entities decoded, with markup removed (Word splits text across runs: ``<w:t>Project </w:t>
...<w:t>Kestrel</w:t>``), as decoded JSON/YAML strings (escapes and folded lines undone), URL-decoded,
and base64 ``data:`` URIs decoded.
"""

from __future__ import annotations

import base64
import binascii
import html
import io
import json
import re
import shutil
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import unquote

from mdptm.base import textnorm
from mdptm.errors import BlockingError, ExitCode, InputError
from mdptm.model.results import Hit

try:  # a C Aho-Corasick automaton: one pass over a file whatever the needle count
    import ahocorasick
except ImportError:  # pragma: no cover - the regex trie below does the same, slower
    ahocorasick = None
from mdptm.base.parallel import both
from mdptm.base.safety import DEFAULT_LIMITS, Limits, check_zip, parse_xml, parse_yaml, read_zip_member

_WS = re.compile(r"\s+")
_TAG = re.compile(r"<[^<>]*>")
# the end of a paragraph, a cell, a row, a list item or a line break (Word, Excel, DrawingML, HTML): a line
# break in the text the patterns read, so that none of it is one line of megabytes
# (Case-sensitive and opening on one "<": the files scanned are the ones mdptm wrote, whose HTML is lower case,
# and the pass over a 10 000-threat document.xml of 35 MB takes 0.15 s instead of 0.29 s.)
_BLOCK_END = re.compile(
    r"<(?:/(?:w:p|w:tc|w:tr|a:p|si|c|row|p|div|li|tr|td|th|h[1-6]|dd|dt|caption|figcaption|pre|table|section)>"
    r"|(?:w:br|w:cr|br)\b[^<>]*>)"
)
# attributes that hold text a document carries but shows nowhere, or only on demand: a Word field's code
# (HYPERLINK or INCLUDEPICTURE with its address), a link's screen tip, a picture's alt text, a change's author;
# and the text a template brings in attributes: a watermark's words (VML ``v:textpath string``, shown on every
# page), style names, font and theme names (a style "Body for jenkins.meridian.corp builds")
_TEXT_ATTRS = (' w:instr="', ' w:tooltip="', ' descr="', ' title="', ' o:title="', ' alt="', ' w:author="')
_TEMPLATE_ATTRS = (
    ' string="',
    '<w:name w:val="',
    '<w:aliases w:val="',
    '<w:altName w:val="',
    '<w:lvlText w:val="',
    ' w:name="',
    ' name="',
    ' typeface="',
)
# a template is only ever in an Office file, and the body of a Word document is mdptm's writing from the
# public model (a template's body is discarded): the names a template brings are looked for in the other
# members of an Office file, not in index.html or a 30 MB body once more
_BODY = "word/document.xml"


def _attribute_text(text: str, part: str | None = None) -> list[str]:
    """The values of :data:`_TEXT_ATTRS` in *text* (and of :data:`_TEMPLATE_ATTRS` in a member *part* of an
    Office file other than a Word document's body), found by ``str.find`` (C speed on a 30 MB Word part, where a regular expression tried at
    every space took a tenth of the scan)."""
    out = []
    template = part is not None and part != _BODY and not part.endswith("/" + _BODY)
    for name in _TEXT_ATTRS + _TEMPLATE_ATTRS if template else _TEXT_ATTRS:
        at = text.find(name)
        while at >= 0:
            start = at + len(name)
            end = text.find('"', start, start + 4000)
            if end > start:
                out.append(text[start:end])
            at = text.find(name, start)
    return out


# written with "%" first, not as "(?:%XX)+": a leading literal lets the engine skip to each "%" (70 times
# faster on a 10 MB page holding a few, such as CSS widths)
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}(?:%[0-9A-Fa-f]{2})*")
_DATA_URI = re.compile(rb"data:[\w.+/-]*(?:;[\w=.-]+)*;base64,([A-Za-z0-9+/=\s]{8,})")
_PICTURE_PAYLOAD = re.compile(rb"(data:[\w.+/-]*(?:;[\w=.-]+)*;base64,)[A-Za-z0-9+/=\s]{64,}")


def _without_payloads(data: bytes) -> bytes:
    """*data* with the base64 payload of each ``data:`` URI (64 characters or more: a picture) blanked, for
    the text views: the payload is searched decoded, as a part of its own (:meth:`_Scanner.search`); read as
    text, its random letters hold any short term somewhere ("aws" about once in 90 KB of base64), which
    would block the package for nothing. Blanked before a large file is cut into pieces, so no piece starts
    inside a payload."""
    return _PICTURE_PAYLOAD.sub(rb"\1 ", data) if b";base64," in data else data


_DATA_URI_TEXT = re.compile(r"data:[\w.+/-]*(?:;[\w=.-]+)*;base64,[A-Za-z0-9+/=\s]*")
# four characters of _READABLE_16 in a row in UTF-16, each byte order, at any offset
_UTF16_LE = re.compile(rb"(?:[\t\n\r\x20-\x7e\xc0-\xff][\x00-\x02]){4}")
_UTF16_BE = re.compile(rb"(?:[\x00-\x02][\t\n\r\x20-\x7e\xc0-\xff]){4}")
_TAG_CHARS = re.compile("[\U000e0020-\U000e007e]")
_READABLE = re.compile(rb"[\t\n\r\x20-\x7e]{4,}")
_READABLE_16 = re.compile(r"[\t\n\r\x20-\x7e\u00c0-\u024f]{4,}")
_BACKSLASHED = re.compile(r"\\([!-/:-@\[-`{-~])")
_MAX_DEPTH = 4  # zips inside zips inside data URIs ...


# ------------------------------------------------------------------------------ literal matching


def needle_key(text: str) -> str:
    """The form two needles are equal in (:func:`mdptm.base.textnorm.key`): invisible characters removed,
    NFKC, case folded, dashes and whitespace runs one space."""
    return textnorm.key(text)


_ASCII_SEP = str.maketrans(textnorm.WORD_SEP_ASCII, " " * len(textnorm.WORD_SEP_ASCII))  # as key() reads them


_Trie = dict[str, "_Trie"]  # one level per character; "" marks the end of a key


def trie_pattern(keys: Iterable[str]) -> str:
    """One regex alternation shaped as a trie, so a search costs one pass whatever the needle count.

    A space in a key matches any whitespace run, so a term broken over a line still matches.
    """
    root: _Trie = {}
    for key in keys:
        node = root
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}

    def atom(ch: str) -> str:
        return r"\s+" if ch == " " else _INITIAL_RE if ch == INITIAL else re.escape(ch)

    def build(node: _Trie) -> str:
        # follow single-child chains without recursing, so long needles stay shallow
        prefix = []
        while len(node) == 1 and "" not in node:
            ((ch, node),) = node.items()
            prefix.append(atom(ch))
        ends = "" in node
        branches = [atom(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return "".join(prefix)
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            body = "(?:" + body + ")?"
        return "".join(prefix) + body

    return build(root)


class IdNeedle(str):
    """A needle that is an item id (a left-out threat's ``TM7-131``): found only standing alone, as a whole
    id or a part of a longer one split off by a separator (``TM7-131-M1``, ``TM7-131.2``), never inside
    a longer number or word (``TM7-1310``, ``XTM7-131``): ids are numbered, and the next one along holds
    the id of its neighbour."""

    __slots__ = ()


class LiteralMatcher:
    """Finds any of many literal strings, case-insensitively and across whitespace runs.

    ``found`` runs an Aho-Corasick automaton (pyahocorasick) over the folded text when it is
    installed, else the trie regex; ``spans`` (positions, for replacing) always uses the regex.
    Each needle is also looked for written backwards and spaced out letter by letter (:func:`_disguises`).
    The automaton looks for one word of each needle (its longest), so the text is only folded,
    never rewritten to collapse its whitespace; the rare occurrences of such a word are then
    checked for the needle's other words, across any whitespace.
    """

    def __init__(self, needles: Iterable[str]) -> None:
        self.by_key: dict[str, str] = {}
        ids: set[str] = set()
        plain: set[str] = set()
        for needle in needles:
            key = needle_key(needle)
            if key:
                self.by_key.setdefault(key, needle)
                (ids if isinstance(needle, IdNeedle) else plain).add(key)
        self._ids = ids - plain  # a key that is also an ordinary needle is found anywhere
        disguised: set[str] = set()
        whole: set[str] = set()
        for key, needle in list(self.by_key.items()):
            if key in self._ids:  # an id is looked for as written
                continue
            for variant in _joined(key):  # "DanaWhitlock", "dana.whitlock" (a zero-width joiner for the space)
                if not _own_has(variant):  # "S-IGNOFFS" joined is "signoffs", a key of every ptm.json
                    self.by_key.setdefault(variant, needle)
            for variant in (*_disguises(key), *_name_broken(needle, key)):  # "tsoh dliub lanretni", "n i g h t j a r"
                if variant not in self.by_key:
                    self.by_key[variant] = needle
                    disguised.add(variant)
            for variant in _initials(needle):  # "d. whitlock", "whitlock, d.": found standing alone
                if variant not in self.by_key:
                    self.by_key[variant] = needle
                    whole.add(variant)
            for middle in _middle_initial(needle):  # "dana j. whitlock", "dana j whitlock", "dana j.whitlock"
                self.by_key.setdefault(middle, needle)
        self._whole = whole
        self._disguised = disguised
        self._disguise_all: re.Pattern[str] | None = None
        # what must be in a text's key for a disguised key to be in it: its longest word, or the first
        # characters of a key spaced out
        self._disguise_anchors = sorted(
            {k[:_DISGUISE_ANCHOR] if _spaced(k) else max(k.split(" "), key=len) for k in disguised}, key=len, reverse=True
        )
        self._pattern: re.Pattern[str] | None = None
        self._automaton: ahocorasick.Automaton | None = None
        if self.by_key and ahocorasick is not None:
            anchors: dict[str, list[tuple[str, tuple[str, ...], int]]] = {}
            for key in self.by_key:
                words = tuple(key.split(" "))
                if key in self._ids or key in self._whole:  # an id: the automaton finds it whole (ids share their
                    # first characters: THR-000001, THR-000026 ...), then it must stand alone; a name with an initial too
                    anchors.setdefault(key, []).append((key, (key,), -2))
                    continue
                if len(max(words, key=len)) < 3 or _short(key):  # letters spaced out, or a short word: looked for
                    # by the first characters of the whole key, then compared whole (at -1; -2: standing alone)
                    alone = key in disguised or _short(key)
                    anchors.setdefault(key[:_DISGUISE_ANCHOR], []).append((key, (key,), -2 if alone else -1))
                    continue
                # the longest word, never an initial's (a letter the text holds in its place: "\0.whitlock")
                at = max(range(len(words)), key=lambda i: 0 if INITIAL in words[i] else len(words[i]))
                anchors.setdefault(words[at], []).append((key, words, at))
            automaton = ahocorasick.Automaton()
            for word, keys in anchors.items():
                automaton.add_word(word, (word, keys))
            automaton.make_automaton()
            self._automaton = automaton

    def __bool__(self) -> bool:
        return bool(self.by_key)

    @property
    def pattern(self) -> re.Pattern[str] | None:
        """The trie regex of every key but the disguised ones (see :meth:`_disguise_pattern`)."""
        if self._pattern is None and self.by_key:
            keys = [k for k in self.by_key if k not in self._disguised]
            self._pattern = self._regex(keys) if keys else None
        return self._pattern

    def _regex(self, keys: list[str]) -> re.Pattern[str]:
        """One regex of *keys*: longer keys first (at one place the longest wins), then the keys that must
        stand alone (a short word; letters spaced out)."""
        alone = [k for k in keys if self._alone(k)]
        free = [k for k in keys if not self._alone(k)]
        parts = [trie_pattern(free)] if free else []
        if alone:
            parts.append(r"(?<!\w)(?:" + trie_pattern(alone) + r")(?!\w)")
        return re.compile("|".join(parts), re.IGNORECASE)

    def _alone(self, key: str) -> bool:
        """Whether *key* is found only standing alone: a short word, letters spaced out, an id."""
        return _short(key) or (key in self._disguised and _spaced(key)) or key in self._ids or key in self._whole

    def _disguise_pattern(self, text: str) -> re.Pattern[str] | None:
        """A regex of the disguised keys (backwards, spaced out) *text* may hold, or None when it holds none.

        Their words start with common letters (a term's last letter), so a regex of them would stop at
        most places of every text: a few are looked for only when one of their anchor words is in the
        text (a fast substring search), in one regex; when they are many, a regex of those the automaton
        finds in the text is made (a regex of thousands would take seconds to compile)."""
        if not self._disguised:
            return None
        low = needle_key(text)
        if self._automaton is None or len(self._disguised) <= _DISGUISE_REGEX_MAX:
            if not any(anchor in low for anchor in self._disguise_anchors):
                return None
            if self._disguise_all is None:
                self._disguise_all = self._regex(sorted(self._disguised))
            return self._disguise_all
        present = sorted(
            {
                key
                for end, (word, keys) in self._automaton.iter(low)
                for key, words, at in keys
                if key in self._disguised and _present(low, end, word, key, words, at)
            }
        )
        return self._regex(present) if present else None

    def spans(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, needle) of each non-overlapping match in *text*, longest first at a position.

        The match is made on the normalised text (:mod:`mdptm.base.textnorm`), so a term disguised by an
        invisible character, a compatibility form or a hyphen is found, and the span covers it whole; a
        needle written backwards or spaced out letter by letter is found too. A text holding a bare
        vertical stroke (:func:`_strokes_flipped`) is read both ways, its positions unchanged.
        """
        flipped = _strokes_flipped(text)
        if flipped is None:
            for start, stop, needle in self._spans_of(text):
                yield (*_paired(text, start, stop), needle)
            return
        end = 0
        for start, stop, needle in sorted([*self._spans_of(text), *self._spans_of(flipped)], key=lambda s: (s[0], -s[1])):
            if start >= end:
                yield (*_paired(text, start, stop), needle)
                end = stop

    def _spans_of(self, text: str) -> Iterator[tuple[int, int, str]]:
        patterns = [p for p in (self.pattern, self._disguise_pattern(text)) if p is not None]
        if len(patterns) == 1:
            yield from self._spans(patterns, text)
            return
        end = 0
        for start, stop, needle in sorted(self._spans(patterns, text), key=lambda s: (s[0], -s[1])):
            if start >= end:
                yield start, stop, needle
                end = stop

    def _spans(self, patterns: list[re.Pattern[str]], text: str) -> Iterator[tuple[int, int, str]]:
        """The matches of each of *patterns* in *text*, normalised once for all of them."""
        if not patterns:
            return
        if textnorm.simple(text):  # lower case and separators as spaces keep every position
            low = text.lower().translate(_ASCII_SEP)
            for pattern in patterns:
                for m in pattern.finditer(low):
                    if m.end() > m.start():
                        yield m.start(), m.end(), self._needle(m.group())
            return
        normal, starts, ends = textnorm.key_map(text)
        for pattern in patterns:
            for m in pattern.finditer(normal):
                if m.end() > m.start():
                    start, end = textnorm.span_back(starts, ends, m.start(), m.end(), text)
                    yield start, end, self._needle(m.group())

    def _needle(self, matched: str) -> str:
        """The needle a match of the regex stands for (a middle initial read as :data:`INITIAL`)."""
        key = needle_key(matched)
        needle = self.by_key.get(key)
        if needle is None and " " in key:
            needle = self.by_key.get(_INITIAL_WORD.sub(INITIAL, key, count=1))
        return needle if needle is not None else matched

    def found(self, text: str) -> set[str]:
        """Every needle that occurs in *text* (overlapping ones included, with the automaton)."""
        if not self.by_key:
            return set()
        if self._automaton is None:
            return {needle for _, _, needle in self.spans(text)}
        flipped = _strokes_flipped(text)
        found = self._found_in(needle_key(text))
        return found if flipped is None else found | self._found_in(needle_key(flipped))

    def _found_in(self, low: str) -> set[str]:
        """The needles the automaton finds in *low*, a text's key."""
        assert self._automaton is not None
        found: set[str] = set()
        for end, (word, keys) in self._automaton.iter(low):
            for key, words, at in keys:
                needle = self.by_key[key]
                if needle not in found and _present(low, end, word, key, words, at):
                    found.add(needle)
        return found


# brackets and quotation marks, each opening one with its closing one: a match that holds one but not the other
# ("Project (Nightjar" of "Project (Nightjar)", "Project 'Nightjar" of "Project 'Nightjar'") takes the other too
_PAIRS = dict(zip("([{（［｛【〔〖⟨⟦«‹“‘「『\"'", ")]}）］｝】〕〗⟩⟧»›”’」』\"'", strict=True))
_PAIR_CHARS = frozenset(_PAIRS) | frozenset(_PAIRS.values())


def _paired(text: str, start: int, stop: int) -> tuple[int, int]:
    """*start* and *stop* of a match widened over the bracket or quotation mark, just outside it (spaces apart),
    that pairs one the match holds alone: "[redacted]" replaces "Project (Nightjar)" whole, not "[redacted])"."""
    inside = text[start:stop]
    if not _PAIR_CHARS.intersection(inside):
        return start, stop
    for opening, closing in _PAIRS.items():
        opened, closed = inside.count(opening), inside.count(closing)
        if opening == closing:  # a straight quotation mark: an odd count pairs with one beside the match
            opened, closed = opened % 2, 0
            if opened and _before(text, start, opening) is not None and _after(text, stop, closing) is None:
                opened, closed = 0, 1
        if opened > closed and (after := _after(text, stop, closing)) is not None:
            stop = after
        elif closed > opened and (before := _before(text, start, opening)) is not None:
            start = before
    return start, stop


def _after(text: str, stop: int, ch: str) -> int | None:
    """The end of *ch* when it follows *stop*, spaces apart."""
    i = stop
    while i < len(text) and i - stop < 4 and text[i] == " ":
        i += 1
    return i + 1 if text[i : i + 1] == ch else None


def _before(text: str, start: int, ch: str) -> int | None:
    """Where *ch* starts when it comes just before *start*, spaces apart."""
    i = start
    while i > 0 and start - i < 4 and text[i - 1] == " ":
        i -= 1
    return i - 1 if i > 0 and text[i - 1] == ch else None


# Letters drawn as a bare vertical stroke, which a reader takes for a capital I or a small l as the word around
# them asks: the Cyrillic palochka in "NӀGHTJAR" is an I, in "KestreӀ" an l. The normalisation reads each one
# way (textnorm's confusables: the palochka as l, the Greek capital iota as I); a text holding one is also read
# with each turned the other way, one character for one, so the positions of the first reading hold.
_STROKES_AS_L = "\u01c0\u0196\u04c0\u04cf\u16c1\u2223\u23fd\u2d4f\U00010309\U00010320\U0001028a\U00016f28"
_STROKES_AS_I = "\u0399\u0406\u2c92\ua4f2"
_STROKE_FLIP = str.maketrans({**dict.fromkeys(_STROKES_AS_L, "I"), **dict.fromkeys(_STROKES_AS_I, "l")})
_STROKES = _STROKES_AS_L + _STROKES_AS_I


def _strokes_flipped(text: str) -> str | None:
    """*text* with each bare vertical stroke read as the other letter, or None when it holds none."""
    if text.isascii() or not any(ch in text for ch in _STROKES):  # a search per character: C speed, where a regex
        return None  # of the sixteen took a tenth of a second on 20 MB of German text
    return text.translate(_STROKE_FLIP)


def _word_char(text: str, i: int) -> bool:
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] == "_")


SHORT_WORD = 4  # characters: a needle of one word this short is looked for as a word, not inside one


def _short(key: str) -> bool:
    """Whether *key* is one short word ("aws", "orc"), found only standing alone: inside a longer word
    ("flaws", "sources") it is no leak, and the package's own sentences hold such words everywhere."""
    return len(key) <= SHORT_WORD and " " not in key


def _spaced(key: str) -> bool:
    """Whether *key* is letters spaced out (no word of three characters)."""
    return len(max(key.split(" "), key=len)) < 3


def _present(low: str, end: int, word: str, key: str, words: tuple[str, ...], at: int) -> bool:
    """Whether *key* occurs in *low* where the automaton found its anchor *word* ending at *end*."""
    if at < 0:  # a key anchored by its first characters
        start = end + 1 - len(word)
        if not low.startswith(key, start):
            return False
        # letters spaced out stand alone: "see a b c" holds no "e a b c"
        return at == -1 or (not _word_char(low, start - 1) and not _word_char(low, start + len(key)))
    return len(words) == 1 or _around(low, end + 1 - len(word), end + 1, words, at)


def _joined(key: str, *, plus: bool = True) -> tuple[str, ...]:
    """The forms of a name of two to four words written without its spaces, or with dots or slashes for them (a
    user name, a path, a zero-width joiner or soft hyphen where the space was); too short a name is left
    alone, "Jo Li" would match "jolie". With *plus*, also with a plus for each space, as a query string
    writes a space (``?owner=Dana+Whitlock``), whatever its length: no word runs into another."""
    words = key.split(" ")
    if not 2 <= len(words) <= 4:
        return ()
    out = ("".join(words), ".".join(words), "/".join(words)) if len(key) >= 9 else ()
    return (*out, "+".join(words)) if plus else out


REVERSED_MIN = 8  # letters: a shorter word written backwards is too often another word ("ward", "draw")
SPACED_MIN, SPACED_MAX = 4, 64  # letters of a needle looked for spaced out letter by letter
HYPHENATED_MIN, HYPHENATED_MAX = 7, 32  # letters of a one-word needle looked for broken in two ("Zeph-yrine")
NAME_BROKEN_MAX = 48  # characters of a name of two to four words looked for with one word broken ("Dana Whit-lock")
_DISGUISE_REGEX_MAX = 200  # disguised keys compiled into one regex; more are looked up by the automaton first
_DISGUISE_ANCHOR = 7  # characters of a needle spaced out that the automaton looks for ("p u m p")


_ADDRESS = re.compile(r"\w[.@/:\\]\w")  # one word that is a host, an e-mail address, a path


@cache
def _own_words() -> str:
    """What mdptm itself prints in packages (:func:`mdptm.redaction.corpus.shipped_text`), one space around
    each line and word run, to look a pair of words up in."""
    from mdptm.redaction.corpus import shipped_text

    return " " + " ".join(shipped_text().split()) + " "


@cache
def _own_grams() -> tuple[frozenset[str], frozenset[str]]:
    """The words of :func:`_own_words`, and each two words side by side: what :func:`_own_has` looks up."""
    words = _own_words().split()
    return frozenset(words), frozenset(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))


def _own_has(run: str) -> bool:
    """Whether mdptm itself prints *run*, words one space apart, as whole words (``" run "`` in :func:`_own_words`):
    a set look-up for one word or two, as most needles' forms are; a search of the text for longer runs. (A search
    per form took a second for the 6 400 needles of a redacted 10 000-threat register.)"""
    words, pairs = _own_grams()
    spaces = run.count(" ")
    if spaces == 0:
        return run in words
    if spaces == 1:
        return run in pairs
    return f" {run} " in _own_words()


@cache
def _own_words_folded() -> str:
    """:func:`_own_words` in the form needles are compared in."""
    return f" {needle_key(_own_words())} "


def _disguises(key: str) -> tuple[str, ...]:
    """*key* written backwards ("tsoh-dliub-lanretni" for "internal-build-host"), and spaced out letter by
    letter ("i n t e r n a l - b u i l d - h o s t": its key is the letters one
    space apart), forwards or backwards. Two disguises that change no character, so no normalisation undoes
    them. Only a needle of words is looked for so (a term, a name, a title, a withheld description: at
    least three in four of its characters letters), not an address or an id ("10.0.5.196", "PUMPSEC-7072",
    "build25.kestrel.corp", which the detectors and patterns find as written), and only one of letters alone is looked for spaced out;
    each form adds automaton words that common text (digits above all) runs into, which slows every scan. A
    needle too short to be told apart from ordinary
    words in either form is left alone, and a long one is not looked for spaced out, which no one types."""
    letters = key.replace(" ", "")
    if sum(c.isalpha() for c in letters) < 0.75 * len(letters) or (" " not in key and _ADDRESS.search(key)):
        return ()
    out: list[str] = []
    if len(letters) >= REVERSED_MIN and key[::-1] != key:
        out.append(key[::-1])
        if letters.isalpha():  # and without its spaces ("tsohdliublanretni"); not "1cespmup" for "PUMPSEC-1"
            out.extend(_joined(key[::-1], plus=False))
    if SPACED_MIN <= len(letters) <= SPACED_MAX and letters.isalpha():  # words, not numbers, spaced out
        out.append(" ".join(letters))
        out.append(".".join(letters))  # or dotted as initials are ("N.i.g.h.t.j.a.r"): a full stop is no space
        if " " in key:  # each word dotted ("D.a.n.a W.h.i.t.l.o.c.k")
            out.append(" ".join(".".join(word) for word in key.split(" ")))
        if len(letters) >= REVERSED_MIN:
            out.append(" ".join(letters[::-1]))
    if " " not in key and HYPHENATED_MIN <= len(key) <= HYPHENATED_MAX and key.isalpha():
        # one word broken in two: hyphenated at a line end ("Zeph-\nyrine"), with a hyphen or a space inside
        # ("Zeph‐yrine", "Zeph yrine"), each of which folds to a space; both parts at least two letters
        # (two words mdptm itself prints side by side are left out: the scan would find them in every package)
        own = _own_words()
        out.extend(v for i in range(2, len(key) - 1) if not _own_has(v := f"{key[:i]} {key[i:]}"))
        # or split by a full stop or a slash, as a file name or a path writes it ("night.jar", "Night/jar"): the
        # code name is what the reader sees; a dotted name mdptm itself prints ("ptm.json") is left out
        out.extend(v for sep in "./" for i in range(2, len(key) - 1) if (v := f"{key[:i]}{sep}{key[i:]}") not in own)
    return tuple(out)


_NAME_WORD = re.compile(r"[A-Z][a-z]+")


def _name_broken(needle: str, key: str) -> tuple[str, ...]:
    """A name of two capitalised words written family name first ("Whitlock, Dana", "WHITLOCK Dana"), and a name of two to four
    capitalised words ("Dana Whitlock", "Meridian Fleet Gateway") with one word of 7 to 32 letters hyphenated at
    a line end ("Dana Whit-" and "lock", as text pasted from a PDF breaks it), one break at a time. Only names: a
    title in sentence case ("Tampered drug library") would add a form per break anchored by a common word, which
    every guide holds."""
    words = key.split(" ")
    if not 2 <= len(words) <= 4 or len(key) > NAME_BROKEN_MAX or not all(_NAME_WORD.fullmatch(w) for w in needle.split()):
        return ()
    # a person's name of two words written family name first, as a mail client's directory shows it and an
    # owner column or a "reviewed by" line pastes it ("Whitlock, Dana")
    out: list[str] = [f"{words[1]}, {words[0]}"] if len(words) == 2 else []
    # or, as an official list or a passport writes it, family name first without the comma ("WHITLOCK Dana"),
    # unless mdptm itself prints the two words so ("Flow Data" turned is the "data flow" of every package)
    if len(words) == 2 and f" {words[1]} {words[0]} " not in _own_words_folded():
        out.append(f"{words[1]} {words[0]}")
    for j, word in enumerate(words):
        if HYPHENATED_MIN <= len(word) <= HYPHENATED_MAX:
            for i in range(2, len(word) - 1):
                v = " ".join([*words[:j], word[:i], word[i:], *words[j + 1 :]])
                if not _own_has(v):
                    out.append(v)
    return tuple(out)


def _initials(needle: str) -> tuple[str, ...]:
    """A person's name of two capitalised words (``Dana Whitlock``) with an initial for the given name (``D. Whitlock``,
    ``D.Whitlock``, ``Whitlock, D.``, ``Whitlock D.``), as a signature, a mail directory or a document's author field
    writes it; keys found standing alone (``d. whitlock`` is no name inside ``and. whitlock``). The initial is always
    written with its full stop: without it, ``A Turing`` would be every "a Turing machine". (A middle initial:
    :func:`_middle_initial`.)"""
    words = needle.split()
    if len(words) != 2 or not all(_NAME_WORD.fullmatch(w) for w in words):
        return ()
    given, family = (needle_key(w) for w in words)
    first = given[0]
    return (f"{first}. {family}", f"{first}.{family}", f"{family}, {first}.", f"{family} {first}.")


# a character of a key that stands for any letter, the initial of a name: "dana \0. whitlock" is "Dana J. Whitlock"
# (one key and one branch of the regex, where a key per letter made redaction twenty times slower)
INITIAL = "\0"
_INITIAL_RE = r"(?![\d_])\w"  # a letter: a range [a-z] in any case costs the compiler a table per use
_INITIAL_WORD = re.compile(r"(?<= )(?![\d_])\w(?=[. ])")


def _middle_initial(needle: str) -> tuple[str, ...]:
    """The keys of a person's name of two capitalised words with any middle initial between them (:data:`INITIAL`),
    with its full stop or without, and with no space after the full stop (``Dana J.Whitlock``)."""
    words = needle.split()
    if len(words) != 2 or not all(_NAME_WORD.fullmatch(w) for w in words) or max(len(w) for w in words) < 3:
        return ()
    given, family = (needle_key(w) for w in words)
    return (f"{given} {INITIAL}. {family}", f"{given} {INITIAL} {family}", f"{given} {INITIAL}.{family}")


def _around(text: str, start: int, end: int, words: tuple[str, ...], at: int) -> bool:
    """Whether ``words[at]``, found at ``text[start:end]``, has the other words of its needle on
    either side, each separated by a run of whitespace (the first and last may be part of a longer
    word, as in any substring match)."""
    pos = start
    for word in reversed(words[:at]):
        j = pos
        while j > 0 and text[j - 1].isspace():
            j -= 1
        if INITIAL in word:  # a letter where the initial stands, the rest as written
            rest = word[1:]
            if j == pos or j < len(word) or text[j - len(rest) : j] != rest or not text[j - len(word)].isalpha():
                return False
            pos = j - len(word)
            continue
        if j == pos or j < len(word) or text[j - len(word) : j] != word:
            return False
        pos = j - len(word)
    pos = end
    for word in words[at + 1 :]:
        j = pos
        while j < len(text) and text[j].isspace():
            j += 1
        if INITIAL in word:
            if j == pos or j >= len(text) or not text[j].isalpha() or not text.startswith(word[1:], j + 1):
                return False
            pos = j + len(word)
            continue
        if j == pos or not text.startswith(word, j):
            return False
        pos = j + len(word)
    return True


# ------------------------------------------------------------------------------------------ scan


def _strings_of(text: str, *, yaml_too: bool = False) -> list[str]:
    """Every string of a JSON (or YAML) document, escapes and line folding undone."""
    out: list[str] = []
    if not yaml_too:  # strings are collected as each object is parsed: no document is built

        def pairs(items: list[tuple[str, object]]) -> None:
            for key, value in items:
                out.append(key)
                if isinstance(value, str):
                    out.append(value)
                elif isinstance(value, list):
                    _list_strings(value, out)

        try:  # a package handed to 'review --package' may be hostile: deep JSON is refused
            data = json.loads(text, object_pairs_hook=pairs)
        except (ValueError, RecursionError):
            return []
        if isinstance(data, str):
            out.append(data)
        elif isinstance(data, list):
            _list_strings(data, out)
        return out
    try:  # YAML aliases bounded
        data = parse_yaml(text, file="")
    except (ValueError, RecursionError, InputError):
        return []
    stack: list[object] = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            out.extend(str(k) for k in value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return out


def _list_strings(values: list[object], out: list[str]) -> None:
    """The strings of a parsed JSON array (objects inside it were collected as they were parsed)."""
    for value in values:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            _list_strings(value, out)


PIECE = 1 << 20  # bytes of a large file searched at a time
OVERLAP = 64 << 10  # bytes a piece repeats from the one before


def _pieces(data: bytes) -> Iterator[bytes]:
    """*data* in pieces of about :data:`PIECE` bytes, each starting :data:`OVERLAP` bytes before the
    previous one ended: an occurrence shorter than the overlap (markup and whitespace included) lies
    whole in some piece, and a 40 MB document part is never searched as one 80 MB string and its
    copies. Pieces are cut before a ``<`` where there is one nearby, never inside a UTF-8 character."""
    if len(data) <= PIECE + OVERLAP:
        yield data
        return
    start = 0
    while start < len(data):
        end = len(data) if len(data) - start <= PIECE + OVERLAP else _cut(data, start + PIECE)
        yield data[_cut(data, start - OVERLAP) if start else 0 : end]
        start = end


def _cut(data: bytes, pos: int) -> int:
    """A place at or just before *pos* to cut: before a ``<``, else before any byte that starts a character."""
    lt = data.rfind(b"<", max(pos - 4096, 0), pos + 1)
    if lt > 0:
        return lt
    while pos > 0 and data[pos] & 0xC0 == 0x80:  # a UTF-8 continuation byte
        pos -= 1
    return pos


def _utf16_runs(data: bytes) -> list[str]:
    """The runs of readable characters of *data* read as UTF-16, little- and big-endian, from its first byte and
    from its second: a font's name table (big-endian: "Nightjar Sans, designed for Project Nightjar"), the text
    records of an EMF logo, a picture's UTF-16 EXIF, at whatever offset its structure puts them. A byte order
    with no four such characters anywhere (a search at C speed) is not decoded."""
    runs: list[str] = []
    for codec, hint in (("utf-16-le", _UTF16_LE), ("utf-16-be", _UTF16_BE)):
        if hint.search(data) is None:
            continue
        for start in (0, 1):
            body = data[start:]
            runs += _READABLE_16.findall(body[: len(body) // 2 * 2].decode(codec, errors="replace"))
    return runs


def _views(data: bytes, name: str) -> Iterator[str]:
    """The texts a needle could hide in: raw, entity-decoded, markup removed, JSON- and URL-decoded.

    A large file's text views come piece by piece (see :func:`_pieces`); its JSON or YAML strings
    come in batches of about a piece each, a batch repeating the last string of the one before.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        yield data.decode("utf-16", errors="replace")
    elif b"\x00" in data:  # UTF-16 without a mark, in a binary file or not: its readable runs
        yield "\n".join(_utf16_runs(data))
    lower = name.lower()
    structured = lower.endswith(".json") or (data.lstrip()[:1] in (b"{", b"[") and lower.endswith((".otm", ".js")))
    # where Markdown's reading may differ (textnorm.rendered), looked for once in the bytes: a search per
    # view costs 3 % of a scan. In JSON a backslash of the text is written twice ("Night\\\\jar"); its other
    # backslashes are the format's own escapes ("\\n" in every description), which read as no mark
    marks = _JSON_MARKS if structured else _MARKS
    split = _LINK_BYTES.search(data) is not None or (b"\\" in data and (not structured or _TEXT_BACKSLASH.search(data) is not None))
    for piece in _pieces(data):
        if b"\x00" in piece:  # binary (a picture, a container): its runs of readable characters
            text = b"\n".join(_READABLE.findall(piece)).decode("utf-8", errors="replace")
        else:
            text = piece.decode("utf-8", errors="replace")
        yield from _text_views(text, marks=marks if split else None)
    if structured or lower.endswith((".yaml", ".yml")):
        strings = _strings_of(data.decode("utf-8", errors="replace"), yaml_too=not structured)
        batch: list[str] = []
        size = 0
        for s in strings:
            batch.append(s)
            size += len(s)
            if size >= PIECE:
                yield from _rendered_too("\n".join(batch), split)
                batch, size = [s], len(s)
        if len(batch) > 1 or (batch and len(strings) == 1):
            yield from _rendered_too("\n".join(batch), split)


def _rendered_too(text: str, split: bool = True) -> Iterator[str]:
    """*text*, and it as Markdown reads around its marks (:func:`_rendered_marks`) when that differs."""
    yield text
    if split:
        shown = _rendered_marks(text, _MARKS)
        if shown is not None:
            yield shown


# what Markdown's reading (textnorm.rendered) undoes: a backslash, a link's "](" or "]["; in a JSON file a
# backslash of the text is written twice, and one before n, r, t, b, f, u, '"' or '/' is the format's escape
_MARKS = re.compile(r"\\|\]\(|\]\[")
# the same in a file's bytes, each a regex led by one literal byte: four times faster on 26 MB than "](" in data
_LINK_BYTES = re.compile(rb"\][(\[]")
_TEXT_BACKSLASH = re.compile(rb"\\\\")
_JSON_MARKS = re.compile(r'\\(?![nrtbfu"/])|\]\(|\]\[')  # not the format's own escapes ("\\n" in every description)


def _rendered_marks(text: str, marks: re.Pattern[str]) -> str | None:
    """:func:`mdptm.base.textnorm.rendered` of the parts of *text* around each of its *marks* (:data:`OVERLAP`
    characters either side, parts that meet joined), or None when there is none or it reads the same. A needle
    split by a mark lies around it, as long as any needle a piece holds whole (:func:`_pieces`): a 34 MB Word
    part with a few backslashes in it is not searched a second time whole."""
    parts: list[list[int]] = []
    for m in marks.finditer(text):
        start, end = max(0, m.start() - OVERLAP), m.end() + OVERLAP
        if parts and start <= parts[-1][1]:
            parts[-1][1] = end
        else:
            parts.append([start, end])
    if not parts:
        return None
    around = "\n".join(text[a:b] for a, b in parts)
    shown = textnorm.rendered(around)
    return shown if shown != around else None


# one pattern per kind of escape, each led by its one character: the engine skips to that character at
# memchr speed, where one pattern of three alternatives reads every character (0.1 s per 26 MB of JSON)
_ESCAPES = (
    re.compile(r"%[0-9A-Fa-f]{2}"),
    re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?"),
    re.compile(r"\\(?:u\{[0-9A-Fa-f]{1,6}\}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{2}|[0-9A-Fa-f]{1,6} ?)"),
)
_BACKSLASH_ESCAPE = re.compile(r"\\(?:u\{([0-9A-Fa-f]{1,6})\}|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|x([0-9A-Fa-f]{2})|([0-9A-Fa-f]{1,6}) ?)")
_B64_CHARS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-="
# every byte that cannot be in a base64 run becomes a space: the runs are then the words of the text
_B64_ONLY = bytes(b if b in _B64_CHARS else 0x20 for b in range(256))
_B64_MIN = 12  # characters: 9 bytes of hidden text
_B64_WORD = re.compile(rb" ([^ ]{%d,})" % _B64_MIN)  # a space first: the regex engine starts only at spaces
_ROUNDS = 4  # escapes inside escapes: "%2525", "&amp;amp;#74;"


def _unbackslash(m: re.Match[str]) -> str:
    digits = next(g for g in m.groups() if g is not None)
    try:
        return chr(int(digits, 16))
    except (ValueError, OverflowError):
        return m.group()


def decoded(text: str) -> str:
    r"""*text* with its escapes undone until none is left (at most :data:`_ROUNDS` times): HTML/XML
    character references (numeric, named, escaped again as ``&amp;#74;``), percent escapes (``%2520``
    twice over), and backslash escapes of JSON, JavaScript and CSS (``\u0041``, ``\x41``, ``\u{41}``,
    ``\41 ``) written into any file, not only a JSON one."""
    for _ in range(_ROUNDS):
        if not any(rx.search(text) for rx in _ESCAPES):
            break
        new = html.unescape(text) if "&" in text else text
        if "%" in new:
            new = _PERCENT.sub(lambda m: unquote(m.group(), errors="replace"), new)
        if "\\" in new:
            new = _BACKSLASH_ESCAPE.sub(_unbackslash, new)
        if new == text:
            break
        text = new
    return text


_HEX_RUN = re.compile(r"(?:0x)?((?:[0-9a-f]{2}){8,})", re.IGNORECASE)  # 8 bytes or more, as a hex dump writes them


def hidden_text(run: str) -> str | None:
    """The readable UTF-8 text a run of hex digits (``4e696768746a6172``, ``0x4E69...``: 8 bytes or more) or of
    base64 (standard or URL-safe alphabet, mixing upper and lower case: an ordinary long word or a hex id in
    one case is no base64) spells, or None. One reading for redaction and the leak scan."""
    hexed = _HEX_RUN.fullmatch(run)
    if hexed is not None:
        return _readable(bytes.fromhex(hexed.group(1)))
    if run.islower() or run.isupper():
        return None
    body = run.rstrip("=")
    for alphabet in (None, b"-_"):
        try:
            raw = base64.b64decode(body + "=" * (-len(body) % 4), altchars=alphabet, validate=True)
        except (binascii.Error, ValueError):
            continue
        plain = _readable(raw)
        if plain is not None:
            return plain
    return None


def _readable(raw: bytes) -> str | None:
    try:
        plain = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return plain if plain and sum(c.isprintable() or c.isspace() for c in plain) >= 0.9 * len(plain) else None


def _base64_texts(text: str) -> str:
    """The text hidden in each run of base64 or hex digits in *text* that decodes to readable UTF-8, one per
    line (:func:`hidden_text`)."""
    out: list[str] = []
    for word in _B64_WORD.findall(b" " + text.encode("utf-8", errors="replace").translate(_B64_ONLY)):
        plain = hidden_text(word.decode("ascii"))
        if plain is not None:
            out.append(plain)
    return "\n".join(out)


def _text_views(text: str, *, marks: re.Pattern[str] | None = _MARKS) -> Iterator[str]:
    """One text as it is, entities decoded, markup removed, URL escapes decoded, every escape undone
    (nested ones too: :func:`decoded`), and the text its base64 runs hold.

    A picture's base64 payload in a ``data:`` URI is blanked before (:func:`_without_payloads`)."""
    yield text
    if not text.isascii() and _TAG_CHARS.search(text):  # text written in invisible tag characters, read back
        yield _TAG_CHARS.sub(lambda m: chr(ord(m.group()) - 0xE0000), text)
    unescaped = html.unescape(text)  # the same object when there is no '&'
    if unescaped is not text and unescaped != text:
        yield unescaped
    if "<" in text:
        stripped = html.unescape(_TAG.sub("", text))
        if stripped != text:
            yield stripped
            if marks is not None:  # a Word run holding "[Night](x)", the next "jar"
                shown = _rendered_marks(stripped, marks)
                if shown is not None:
                    yield shown
        del stripped
    if "%" in text and _PERCENT.search(text):  # only the escapes are decoded: the rest is as it was
        yield _PERCENT.sub(lambda m: unquote(m.group()), text)
    if marks is not None:  # Markdown as it reads: escapes (https:\/\/, a\@b, Night\_jar), links ([Night](x)jar)
        shown = _rendered_marks(text, marks)
        if shown is not None:
            yield shown
    undone = decoded(unescaped)  # escapes inside escapes, and backslash escapes in any file
    if undone != unescaped:
        yield undone
        if marks is not None:  # a JSON string holding "Night\\u200b\\jar"
            shown = _rendered_marks(undone, marks)
            if shown is not None:
                yield shown
        if "<" in undone:
            yield _TAG.sub("", undone)
    del unescaped, undone
    hidden = _base64_texts(_DATA_URI_TEXT.sub(" ", text) if "base64," in text else text)  # data: URIs: searched as parts
    if hidden:
        yield hidden
        again = decoded(hidden)
        if again != hidden:
            yield again


Detect = Callable[[str], Iterable[str]]  # the policy's patterns and detectors: what they find in a text


_VISIBLE_PIECE = 1 << 22  # characters of markup turned into text at a time


def _visible(text: str) -> str:
    """*text*'s markup as a reader sees it: a tag a space, the end of a paragraph, a cell or a line a line break,
    entities decoded. A few MB at a time, cut after a tag: a 10 000-threat ``document.xml`` of 35 MB had been
    copied whole with its line breaks marked (70 MB more at the peak for one with a character beyond Latin-1)."""
    if len(text) <= _VISIBLE_PIECE:
        return html.unescape(_TAG.sub(" ", _BLOCK_END.sub("\n", text)))
    out: list[str] = []
    start = 0
    while start < len(text):
        cut = text.find(">", start + _VISIBLE_PIECE)
        end = len(text) if cut < 0 else cut + 1
        out.append(_TAG.sub(" ", _BLOCK_END.sub("\n", text[start:end])))
        start = end
    return html.unescape("".join(out))


class _Scanner:
    def __init__(self, needles: Iterable[str], limits: Limits, detect: Detect | None = None) -> None:
        self.matcher = LiteralMatcher(needles)
        self.limits = limits
        self.detect = detect
        self.hits: set[Hit] = set()

    def search(self, data: bytes, file: str, part: str | None, name: str, depth: int) -> None:
        found: set[str] = set()
        if self.matcher:  # with no needle (only the detectors to run) the views would be made for nothing
            for view in _views(_without_payloads(picture_text(data)), name):
                found |= self.matcher.found(view)
        if self.detect is not None:
            found.update(self._detected(data, part))
        self.hits.update(Hit(file, part, needle) for needle in found)
        if depth >= _MAX_DEPTH:
            return
        for i, m in enumerate(_DATA_URI.finditer(data), start=1):
            try:
                inner = base64.b64decode(re.sub(rb"\s+", b"", m.group(1)), validate=False)
            except (binascii.Error, ValueError):
                continue
            label = f"{part + ' ' if part else ''}data URI #{i}"
            self.member(inner, file, label, name, depth + 1)

    def _detected(self, data: bytes, part: str | None = None) -> set[str]:
        """What the policy's patterns and detectors find in a text file's visible text (markup and
        embedded pictures apart: a tag boundary separates words, base64 is not text)."""
        assert self.detect is not None
        if b"\x00" in data[:65536]:
            return set()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return set()
        found: set[str] = set()
        text = _DATA_URI_TEXT.sub(" ", text)
        # a tag a space, the end of a paragraph or a cell a line break: a pattern such as '.*Zzyzx.*' is tried
        # from every place of a line, and Word's body read as one line of 180 KB took it 157 s (quadratic)
        views = [_visible(text)] if "<" in text else [text]
        if "<" in text and (said := _attribute_text(text, part)):  # text a file carries in markup: a field code, a tip
            views.append(html.unescape("\n".join(said)))
        if "\\" in views[0]:
            views[0] = _BACKSLASHED.sub(r"\1", views[0])
        if "%" in text and _PERCENT.search(text):
            views.append(_PERCENT.sub(lambda m: unquote(m.group()), views[0]))
        undone = decoded(views[0])
        if undone != views[0]:
            views.append(undone)
        for view in views:
            found.update(self.detect(view))
        return found

    def member(self, data: bytes, file: str, part: str | None, name: str, depth: int) -> None:
        if data[:4] == b"PK\x03\x04" and depth < _MAX_DEPTH:
            self.zip_bytes(data, file, part, depth + 1)
        self.search(data, file, part, name, depth)

    def zip_bytes(self, data: bytes, file: str, prefix: str | None, depth: int) -> None:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                self._zip_members(zf, file, prefix, depth)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, InputError) as exc:
            self.hits.add(Hit(file, prefix, "", problem=f"cannot open the zip container to scan it: {exc}"))

    def _zip_members(self, zf: zipfile.ZipFile, file: str, prefix: str | None, depth: int) -> None:
        infos = zf.infolist()
        if len(infos) > self.limits.max_members or sum(i.file_size for i in infos) > self.limits.max_total_uncompressed:
            raise InputError("zip too large to scan", file=file, locator=prefix)
        for info in infos:
            if info.is_dir():
                continue
            part = f"{prefix}/{info.filename}" if prefix else info.filename
            self.search(info.filename.encode("utf-8"), file, part, "", _MAX_DEPTH)  # member names too
            data = read_zip_member(zf, info.filename, file=file, limits=self.limits)
            self.member(data, file, part, info.filename, depth)

    def file(self, path: Path, label: str) -> None:
        self.search(label.encode("utf-8"), label, "(file name)", "", _MAX_DEPTH)
        data = path.read_bytes()
        if data[:4] != b"PK\x03\x04":
            self.search(data, label, None, path.name, 1)
            return
        try:
            check_zip(path, self.limits)
            with zipfile.ZipFile(path) as zf:
                self.search(zf.comment, label, "(zip comment)", "", _MAX_DEPTH)
                self._zip_members(zf, label, None, 1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, InputError) as exc:
            self.hits.add(Hit(label, None, "", problem=f"cannot open the zip container to scan it: {exc}"))
        # the container's own bytes too (stored members, junk between them); a needle already
        # found in a named member is not reported again without its part
        in_members = {h.needle for h in self.hits if h.file == label}
        raw = _Scanner([], self.limits, self.detect)
        raw.matcher = self.matcher
        raw.search(_between_members(data), label, None, path.name, _MAX_DEPTH)
        self.hits.update(h for h in raw.hits if h.needle not in in_members)


def _between_members(data: bytes) -> bytes:
    """A zip file's bytes with each member's (compressed) data cut out, a zero byte in its place: its headers,
    names, comments, the directory and any bytes between members are kept. Every member is searched as itself;
    its deflated bytes read as text are noise in which a short term turns up by chance ("aws" in a 1 MB Word
    file), and megabytes of zeros in their place would be read for nothing."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            cuts: list[tuple[int, int]] = []
            for info in zf.infolist():
                at = info.header_offset
                if data[at : at + 4] != b"PK\x03\x04":
                    continue
                start = at + 30 + int.from_bytes(data[at + 26 : at + 28], "little") + int.from_bytes(data[at + 28 : at + 30], "little")
                cuts.append((start, min(start + info.compress_size, len(data))))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return data
    pieces: list[bytes] = []
    pos = 0
    for start, stop in sorted(cuts):
        if start < pos:  # members that overlap (a crafted zip): what is left of this one
            start = pos
        if stop <= start:
            continue
        pieces += [data[pos:start], b"\x00"]
        pos = stop
    pieces.append(data[pos:])
    return b"".join(pieces)


_PNG = b"\x89PNG\r\n\x1a\n"
_PIXELS = (b"IDAT", b"fdAT")  # PNG chunks of (compressed) pixels
_TEXT_MAX = 16 << 20  # bytes a compressed text chunk may inflate to


def _inflate(data: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(data, _TEXT_MAX)
    except zlib.error:
        return data


def picture_text(data: bytes) -> bytes:
    """What of a PNG or JPEG picture can hold text: every PNG chunk but the pixels (``tEXt``; ``zTXt`` and
    compressed ``iTXt`` inflated; ``eXIf``), a JPEG's segments before its image data (EXIF, XMP, comments),
    and anything after the picture's end; other data as it is. The pixel data is compressed noise in which
    a short term turns up by chance ("aws" about once in 250 KB); text drawn in the pixels is not read anyway.
    A picture that does not parse is searched whole."""
    parts: list[bytes] = []
    if data[:8] == _PNG:
        pos = 8
        while pos + 12 <= len(data):
            size = int.from_bytes(data[pos : pos + 4], "big")
            kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + size]
            if pos + 12 + size > len(data):
                return data
            pos += 12 + size
            if kind in _PIXELS:
                continue
            if kind == b"zTXt":
                keyword, _, rest = body.partition(b"\x00")
                parts += [keyword, _inflate(rest[1:])]
            elif kind == b"iTXt":
                keyword, _, rest = body.partition(b"\x00")
                language, _, rest = rest[2:].partition(b"\x00")
                translated, _, text = rest.partition(b"\x00")
                parts += [keyword, language, translated, _inflate(text) if body[len(keyword) + 1 : len(keyword) + 2] == b"\x01" else text]
            else:
                parts.append(body)
            if kind == b"IEND":
                break
        else:
            return data  # no end: not a picture this reads
        parts.append(data[pos:])
    elif data[:3] == b"\xff\xd8\xff":
        pos = 2
        while pos + 4 <= len(data) and data[pos] == 0xFF:
            marker = data[pos + 1]
            if 0xD0 <= marker <= 0xD7 or marker in (0x01, 0xFF):
                pos += 1 if marker == 0xFF else 2
                continue
            size = int.from_bytes(data[pos + 2 : pos + 4], "big")
            if marker == 0xDA:  # the image data: what follows its end marker is kept
                end = data.rfind(b"\xff\xd9")
                parts.append(data[end + 2 :] if end > pos else b"")
                pos = len(data)
                break
            parts.append(data[pos + 4 : pos + 2 + size])
            pos += 2 + size
        else:
            if pos < len(data):
                return data
    else:
        return data
    return b"\x00".join(parts)


def _files(target: Path | Iterable[Path]) -> list[tuple[Path, str]]:
    if isinstance(target, Path) and not target.exists():
        raise InputError("nothing to scan: no such file or folder", file=str(target))
    if isinstance(target, Path):
        if target.is_dir():
            files = sorted((p for p in target.rglob("*") if p.is_file()), key=lambda p: p.relative_to(target).as_posix())
            return [(p, p.relative_to(target).as_posix()) for p in files]
        return [(target, target.name)]
    return [(p, str(p)) for p in target]


def scan(
    target: Path | Iterable[Path], needles: Iterable[str], *, limits: Limits = DEFAULT_LIMITS, detect: Detect | None = None
) -> list[Hit]:
    """Every needle found in the files of *target* (a folder, one file, or a list of files), and with
    *detect* (the policy's patterns and detectors) every string it finds there.

    Both sides are compared after :func:`mdptm.base.textnorm.key`; hits come back sorted.
    """
    scanner = _Scanner(needles, limits, detect)
    if not scanner.matcher and detect is None:
        return []
    files = _files(target)

    def run(part: list[tuple[Path, str]]) -> set[Hit]:
        for path, label in part:
            scanner.file(path, label)
        return scanner.hits

    # a large package is scanned by two processes at once, each taking about half of the bytes
    weights = {path: _weight(path) for path, _ in files}
    mine, theirs = _halves(files, weights)
    large = bool(theirs) and sum(weights.values()) >= PARALLEL_BYTES
    here, there = both(lambda: run(mine), lambda: run(theirs), parallel=large)
    return sorted(here | there, key=Hit.sort_key)


PARALLEL_BYTES = 32 << 20  # bytes to scan from which two processes pay off


Stamp = tuple[int, int, int]  # a file as it was scanned: inode, size, modification time (ns)


def _stamp(path: Path) -> Stamp:
    st = path.stat()
    return st.st_ino, st.st_size, st.st_mtime_ns


@dataclass
class Scanned:
    """What one process scanned of a package: the hits, and each file's stamp when it was read."""

    hits: set[Hit] = field(default_factory=set)
    files: dict[str, Stamp] = field(default_factory=dict)


class PackageScan:
    """The leak scan of a package, run file by file as the package's writers finish them.

    A large package is written by two processes (:func:`mdptm.pipeline.publish.write_package_checked`);
    each scans the files it wrote right after writing them, while its files are fresh and the other
    process is still writing. :meth:`finish` then scans, in this process, every file of the folder that
    no writer scanned or that changed since (the manifest, anything written later), so every byte of
    every file -- names included -- is scanned exactly as :func:`scan` of the finished folder would.
    The needle automaton and the detectors are built once, here, before any process is forked.
    """

    def __init__(self, needles: Iterable[str], *, detect: Detect | None = None, limits: Limits = DEFAULT_LIMITS) -> None:
        self._scanner = _Scanner(needles, limits, detect)
        self._done: list[Scanned] = []

    @property
    def active(self) -> bool:
        """Whether there is anything to look for (no needle and no detector: nothing to scan)."""
        return bool(self._scanner.matcher) or self._scanner.detect is not None

    def files(self, folder: Path, names: Iterable[str]) -> Scanned:
        """Scan ``folder/name`` for each of *names* (relative, ``/``-separated) in this process."""
        done = Scanned()
        if not self.active:
            return done
        scanner = _Scanner([], self._scanner.limits, self._scanner.detect)
        scanner.matcher = self._scanner.matcher
        for name in names:
            path = folder / name
            done.files[name] = _stamp(path)
            scanner.file(path, name)
            if _stamp(path) != done.files[name]:  # written to while read: not counted as scanned
                del done.files[name]
        done.hits = scanner.hits
        return done

    def name_hits(self, name: str) -> list[Hit]:
        """What the scan finds in *name* (a package folder's name mdptm chose: a project folder's)."""
        if not self.active:
            return []
        scanner = _Scanner([], self._scanner.limits, self._scanner.detect)
        scanner.matcher = self._scanner.matcher
        scanner.search(name.encode("utf-8"), name, "(folder name)", "", _MAX_DEPTH)
        return sorted(scanner.hits, key=Hit.sort_key)

    def add(self, done: Scanned) -> None:
        """Count what another process (or an earlier call) scanned."""
        self._done.append(done)

    def finish(self, folder: Path) -> list[Hit]:
        """Every hit in *folder*, sorted: scans here what no writer scanned as it now is."""
        if not self.active:
            return []
        stamps: dict[str, Stamp] = {}
        hits: set[Hit] = set()
        for done in self._done:
            stamps.update(done.files)
        present = _files(folder)
        rest = [label for path, label in present if stamps.get(label) != _stamp(path)]
        kept = {label for _, label in present}.difference(rest)
        for done in self._done:  # a file scanned again counts with its new hits only; a gone one not at all
            hits.update(h for h in done.hits if h.file in kept)
        hits |= self.files(folder, rest).hits
        return sorted(hits, key=Hit.sort_key)


def _weight(path: Path) -> int:
    """Bytes a scan reads: a zip's members count at their inflated size."""
    try:
        with path.open("rb") as fh:
            zipped = fh.read(4) == b"PK\x03\x04"
        size = path.stat().st_size
        if zipped:
            with zipfile.ZipFile(path) as zf:
                return size + sum(i.file_size for i in zf.infolist())
        return size
    except (OSError, zipfile.BadZipFile, ValueError):
        return 0


Files = list[tuple[Path, str]]


def _halves(files: Files, weights: dict[Path, int]) -> tuple[Files, Files]:
    """Two groups of about equal weight, heaviest files placed first; a lone group when not split."""
    groups: tuple[Files, Files] = ([], [])
    load = [0, 0]
    for entry in sorted(files, key=lambda f: -weights[f[0]]):
        i = 0 if load[0] <= load[1] else 1
        groups[i].append(entry)
        load[i] += weights[entry[0]]
    return groups


def part_text(folder: Path, file: str, part: str | None) -> str:
    """The readable text of one file of a package, or of one member of a zip in it (*part*): as written,
    markup removed (with and without a space for each tag) and escapes undone; '' when it cannot be read."""
    try:
        data = (folder / file).read_bytes()
        if part and data[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                data = read_zip_member(zf, part, file=file)
        elif part:
            return ""
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, InputError):
        return ""
    text = data.decode("utf-8", errors="replace")
    views = [text]
    if "<" in text:
        views += [html.unescape(_TAG.sub("", text)), html.unescape(_TAG.sub(" ", text))]
    views.append(decoded(text))
    return "\n".join(views)


class LeakError(BlockingError):
    """A redacted string reached the package: it was not written (exit 1)."""

    def __init__(self, hits: list[Hit], removed: Path | None = None) -> None:
        self.hits = hits
        first = hits[0].describe()
        more = f" (and {len(hits) - 1} more)" if len(hits) > 1 else ""
        gone = f"; {removed} was removed" if removed is not None else ""
        if self.own_text:  # no secret of the model: a policy that matches what every package says
            why = "the redaction policy matches text mdptm itself writes, so no package can pass the leak scan"
            super().__init__(f"{why}; change the policy: {first}{more}{gone}")
            self.exit_code = ExitCode.INPUT
        else:
            super().__init__(f"redaction leak: {first}{more}{gone}")

    @property
    def own_text(self) -> bool:
        """Whether every hit is text mdptm itself writes (:attr:`Hit.own`): the policy is at fault, not
        the model (exit 2, like any other bad input)."""
        return all(h.own for h in self.hits)


def assert_no_leaks(folder: Path, needles: Iterable[str], *, remove: bool = True, detect: Detect | None = None) -> list[Hit]:
    """Scan a written package; on any hit remove it (by default) and raise :class:`LeakError`."""
    hits = scan(folder, needles, detect=detect)
    if hits:
        if remove:
            shutil.rmtree(folder, ignore_errors=True) if folder.is_dir() else folder.unlink(missing_ok=True)
        raise LeakError(hits, folder if remove else None)
    return hits


# ------------------------------------------------------------------------ input document properties

_CORE = "docProps/core.xml"
_APP = "docProps/app.xml"
_CUSTOM = "docProps/custom.xml"


def property_values(path: Path) -> dict[str, str]:
    """The document properties of an Office file (author, last modified by, company, ...).

    Keys are ``core:<name>``, ``app:<name>`` and ``custom:<name>``. Files that are not Office zips
    give an empty dict.
    """
    try:
        with path.open("rb") as fh:
            if fh.read(4) != b"PK\x03\x04":
                return {}
    except OSError:
        return {}
    check_zip(path)
    out: dict[str, str] = {}
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        for member, prefix in ((_CORE, "core"), (_APP, "app"), (_CUSTOM, "custom")):
            if member not in names:
                continue
            root = parse_xml(read_zip_member(zf, member, file=str(path)), file=str(path), part=member)
            for el in root:
                if not isinstance(el.tag, str):
                    continue
                local = el.tag.rsplit("}", 1)[-1]
                if prefix == "custom":
                    local = str(el.get("name") or local)
                text = " ".join(t.strip() for t in el.itertext() if t.strip())
                if text:
                    out[f"{prefix}:{local}"] = text
    return out
