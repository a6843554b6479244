"""The redaction policy (SPEC §6): its schema, how a project's file is loaded, and the shipped detector words."""

from __future__ import annotations

import re
import re._parser as sre  # type: ignore[import-not-found]  # a pattern parsed (no stub: the module is private)
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from mdptm.errors import InputError
from mdptm.model import Sensitivity
from mdptm.model.io import read_structured
from mdptm.model.validate import pointer
from mdptm.model.vocabulary import shipped
from mdptm.redaction.leakscan import LiteralMatcher, needle_key

DETECTORS = ("email", "ip", "hostname", "url", "ticket")
NEVER_PUBLISHED = ("source", "provenance", "notes", "extra")
# Fields that hold identifiers by design (evidence references, weakness and attack-pattern ids): the
# ticket detector leaves them alone; terms, patterns and the other detectors still apply.
IDENTIFIER_FIELDS = frozenset({"verification", "verification_failed", "cwe", "capec", "cvss"})
# An item's own name is where makers put interface and requirement ids ("IF-01 Pump to gateway"): the
# ticket detector leaves names alone (terms, patterns and the other detectors still apply).
NAME_FIELDS = frozenset({"name"})
DEFAULT_DROP: tuple[Sensitivity, ...] = ("internal", "confidential", "trade_secret")


# -------------------------------------------------------------------------------------- policy


_Node = tuple[object, object]
_T = TypeVar("_T")
# a part of a pattern: how many ways it matches the empty string (0, 1, 2 for more), its first and its last
# character positions, a position once for each way it is first or last (`(a|a)` is `a(|)`: a, two ways last)
_Frag = tuple[int, list[int], list[int]]
_EMPTY: _Frag = (1, [], [])
_UNROLL = 16  # a repeat of at most this many copies is analysed copy by copy ({0,3} is no loop)
_STEPS = 200_000  # pairs of transitions read before a pattern counts as too large to check
_SIZE = 400  # ... unless the copies would hold more character positions than this
# required copies of a part that can match nothing (``(a?){n}``): each doubles the ways a failing search tries
# (n = 6: 0.3 s on 100 KB of letters, n = 10: 4 s, n = 30: hours)
_NULLABLE_COPIES = 5
_SAMPLES = "aAzZ09_ \t\n\r.,-!@/\\:\x00\xa0\xe9\xc9\xdf\u0663\u017f\u0131\u0130\u212a\u2028"
_CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
}


def exponential_backtracking(pattern: str, *, ignore_case: bool = True) -> bool:
    """Whether *pattern* can match one run of characters in exponentially many ways, so that a search that
    fails tries them all (Python's ``re`` has no time limit: ``(a|aa)+b``, ``(x+x+)+y``, ``(.*,)+x`` or a name
    pattern ``([A-Z][a-z]+\\s?)+`` in any case ran for hours on a line of 40 letters).

    The pattern's parse tree is read as an automaton with one state per character position (Glushkov),
    whose transitions are counted: the inner and the outer ``+`` of ``(a+)+`` give ``a`` two ways back to
    itself. The growth is exponential exactly when some state has two different cycles through it that
    read the same characters (Weber and Seidl), found on the automaton paired with itself. Character
    classes meet where one of the pattern's own characters, range ends or a sample of each category is in
    both; a repeat of at most ``_UNROLL`` copies is read copy by copy, a larger one as a loop; lookarounds are
    read on their own; atomic groups and possessive repeats as if they backtracked. Raises
    :class:`PatternTooLarge` when the automaton paired with itself is too large to read."""
    return _any_part(pattern, ignore_case, lambda auto, _frag: auto.exponential())


class PatternTooLarge(Exception):
    """A pattern repeats so many character positions that the check would take too long."""


class _Automaton:
    """The Glushkov automaton of a parse tree: positions (character classes) and counted transitions."""

    def __init__(self) -> None:
        self.classes: list[tuple[_Node | None, bool]] = []  # None: any character (a back-reference)
        self.edges: Counter[tuple[int, int]] = Counter()
        self.lookarounds: list[tuple[list[_Node], bool]] = []
        # the most copies of a part that can match nothing which a match must go through (``(a?){30}``: 30), and
        # the most inside the repeat being read
        self.nullable_copies = 0
        self._inner = 0

    def _join(self, last: list[int], first: list[int]) -> None:
        for p in last:
            for q in first:
                self.edges[(p, q)] += 1

    def _cat(self, a: _Frag, b: _Frag) -> _Frag:
        self._join(a[2], b[1])
        return min(a[0] * b[0], 2), _ways(a[1] + b[1] * a[0]), _ways(b[2] + a[2] * b[0])

    def seq(self, items: list[_Node], icase: bool) -> _Frag:
        frag = _EMPTY
        for node in items:
            frag = self._cat(frag, self.node(node, icase))
        return frag

    def _position(self, node: _Node | None, icase: bool) -> _Frag:
        self.classes.append((node, icase))
        i = len(self.classes) - 1
        return 0, [i], [i]

    def node(self, node: _Node, icase: bool) -> _Frag:
        op, arg = node
        if op in (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN):
            return self._position(node, icase)
        if op is sre.SUBPATTERN and isinstance(arg, tuple):
            add, drop = int(arg[1]), int(arg[2])
            return self.seq(list(arg[3]), bool((icase or add & re.IGNORECASE) and not drop & re.IGNORECASE))
        if op is sre.BRANCH and isinstance(arg, tuple):
            alts = [self.seq(list(alt), icase) for alt in arg[1]]
            return _either(alts)
        if op is sre.GROUPREF_EXISTS and isinstance(arg, tuple):
            return _either([self.seq(list(alt), icase) if alt is not None else _EMPTY for alt in arg[1:]])
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and isinstance(arg, tuple):
            return self.repeat(int(arg[0]), int(arg[1]), list(arg[2]), icase)
        if op is sre.ATOMIC_GROUP:
            return self.seq(list(arg), icase)  # type: ignore[call-overload]
        if op in (sre.ASSERT, sre.ASSERT_NOT) and isinstance(arg, tuple):
            self.lookarounds.append((list(arg[1]), icase))
            return _EMPTY
        if op is sre.AT:
            return _EMPTY
        return self._position(None, icase)  # a back-reference: any text

    def repeat(self, lo: int, hi: int, body: list[_Node], icase: bool) -> _Frag:
        if hi == 0:
            return _EMPTY
        outer, self._inner = self._inner, 0
        try:
            if hi > _UNROLL or hi * _size(body) > _SIZE:
                once = self.seq(body, icase)
                self._join(once[2], once[1])
                self._count_nullable(lo, once)
                return (1 if lo == 0 else once[0]), once[1], once[2]
            optional = _EMPTY
            for _ in range(hi - lo):  # (x(x(x)?)?)?: one way to match each count
                inner = self._cat(self.seq(body, icase), optional)
                optional = (1, inner[1], inner[2])
            frag = _EMPTY
            for _ in range(lo):
                once = self.seq(body, icase)
                frag = self._cat(frag, once)
            if lo:
                self._count_nullable(lo, once)
            return self._cat(frag, optional)
        finally:
            self._inner = max(outer, self._inner)

    def _count_nullable(self, lo: int, once: _Frag) -> None:
        """Count *lo* required copies of a body that can match nothing and something (*once*): each character of a
        text can be read by any of them, so a text of k characters is matched in C(lo, k) ways (``(a?){30}a{30}``
        tried 2^29 on 29 letters); copies inside copies multiply (``((a?){5}){5}``)."""
        if once[0] and once[1]:
            self._inner = lo * max(self._inner, 1)
            self.nullable_copies = max(self.nullable_copies, self._inner)

    def exponential(self) -> bool:
        """Whether some state has two different cycles through it reading the same characters, or a match goes
        through more than :data:`_NULLABLE_COPIES` copies of a part that can match nothing."""
        if self.nullable_copies > _NULLABLE_COPIES:
            return True
        out: dict[int, list[int]] = {}
        for p, q in self.edges:
            out.setdefault(p, []).append(q)
        comp = _components(range(len(self.classes)), lambda p: out.get(p, []))
        succ = {p: [q for q in qs if comp[q] == comp[p]] for p, qs in out.items()}  # a cycle stays in its component
        masks = _masks(self.classes)
        budget = [_STEPS]

        @cache
        def steps(pair: tuple[int, int]) -> list[tuple[int, int]]:
            p, q = pair
            out = [(p2, q2) for p2 in succ.get(p, []) for q2 in succ.get(q, []) if masks[p2] & masks[q2]]
            budget[0] -= len(out) + 1
            if budget[0] < 0:
                raise PatternTooLarge
            return out

        pairs = _components([(p, p) for p in succ], steps)
        diagonal = {c for (p, q), c in pairs.items() if p == q}
        for (p, q), c in pairs.items():
            if c in diagonal:
                for p2, q2 in steps((p, q)):
                    if pairs.get((p2, q2)) == c and (p != q or p2 != q2 or self.edges[(p, p2)] > 1):
                        return True
        return False

    def chained_loops(self, last: list[int]) -> bool:
        """Whether two repeats, one after the other, can each read one text while the path from the first to the
        second reads it too, and something must match after the second (``\\w+\\s*\\w+x``, ``.*a.*b.*c``): a
        text the three read splits between the two repeats in as many ways as it is long, so a search that fails
        is polynomial of a degree one higher for each such pair (``\\w+\\s*\\w+x``: 200 s on 4,000 letters;
        ``.*a.*b.*c``: 48 s on 1,600 letters); a pattern that ends at the second stops at its first match.

        Read on the automaton taken three times (Weber and Seidl's condition for polynomial ambiguity): states
        ``p`` and ``q`` on different cycles and a word ``w`` that leads from ``p`` back to ``p``, from ``p`` to
        ``q`` and from ``q`` back to ``q``. ``[\\w.-]+@[\\w.-]+\\.corp`` has none: ``@`` is on the way from the first
        repeat to the second, and the first cannot read it."""
        out: dict[int, list[int]] = {}
        for p, q in self.edges:
            out.setdefault(p, []).append(q)
        comp = _components(range(len(self.classes)), lambda p: out.get(p, []))
        size = Counter(comp.values())
        cyclic = [p for p in range(len(self.classes)) if size[comp[p]] > 1 or (p, p) in self.edges]
        if len(cyclic) < 2:
            return False
        ends = set(last)
        masks = _masks(self.classes)
        into: dict[int, list[int]] = {}
        for p, q in self.edges:
            into.setdefault(q, []).append(p)
        budget = [_STEPS]
        for q in cyclic:
            if q in ends:
                continue
            before = _reach(q, lambda n: into.get(n, []))  # the states from which q can be reached
            for p in cyclic:
                if comp[p] != comp[q] and p in before and self._three_ways(p, q, out, comp, before, masks, budget):
                    return True
        return False

    def _three_ways(
        self,
        p: int,
        q: int,
        out: dict[int, list[int]],
        comp: dict[int, int],
        before: set[int],
        masks: list[int],
        budget: list[int],
    ) -> bool:
        """Whether one word leads from *p* back to *p*, from *p* to *q* and from *q* back to *q*: a path from
        ``(p, p, q)`` to ``(p, q, q)`` in the automaton taken three times, each step reading one character all
        three classes take."""
        start, goal = (p, p, q), (p, q, q)
        seen = {start}
        todo = [start]
        while todo:
            x, y, z = todo.pop()
            for x2 in out.get(x, []):
                if comp[x2] != comp[p]:
                    continue
                for y2 in out.get(y, []):
                    if y2 not in before or not masks[x2] & masks[y2]:
                        continue
                    for z2 in out.get(z, []):
                        budget[0] -= 1
                        if budget[0] < 0:
                            raise PatternTooLarge
                        if comp[z2] != comp[q] or not masks[x2] & masks[y2] & masks[z2]:
                            continue
                        nxt = (x2, y2, z2)
                        if nxt == goal:
                            return True
                        if nxt not in seen:
                            seen.add(nxt)
                            todo.append(nxt)
        return False


def polynomial_backtracking(pattern: str, *, ignore_case: bool = True) -> bool:
    """Whether *pattern* chains two repeats that can read one text, with the way between them, before a required
    part (:meth:`_Automaton.chained_loops`: ``\\w+\\s*\\w+x``, ``(?:\\w+\\s*){1,3}secret``, ``.*\\d+.*x``,
    ``.*a.*b.*c``), read as :func:`exponential_backtracking` reads it. ``.*Kestrel.*`` and ``Kestrel.*\\d+`` are
    not: nothing follows the second repeat."""
    return _any_part(pattern, ignore_case, lambda auto, frag: auto.chained_loops(frag[2]))


def _any_part(pattern: str, ignore_case: bool, found: Callable[[_Automaton, _Frag], bool]) -> bool:
    """Whether *found* holds of the automaton of *pattern* or of any of its lookarounds, each read on its own; an
    invalid pattern holds nothing (the policy reports it as invalid)."""
    try:
        tree = sre.parse(pattern)
    except re.error:
        return False
    icase = ignore_case or bool(tree.state.flags & re.IGNORECASE)
    bodies: list[tuple[list[_Node], bool]] = [(list(tree), icase)]
    while bodies:
        items, case = bodies.pop()
        auto = _Automaton()
        frag = auto.seq(items, case)
        if found(auto, frag):
            return True
        bodies.extend(auto.lookarounds)
    return False


def _reach(start: int, succ: Callable[[int], list[int]]) -> set[int]:
    """The states reachable from *start* (itself included)."""
    seen = {start}
    todo = [start]
    while todo:
        for n in succ(todo.pop()):
            if n not in seen:
                seen.add(n)
                todo.append(n)
    return seen


def _either(alts: list[_Frag]) -> _Frag:
    """Alternatives: each way any of them matches is a way the whole does."""
    return min(sum(a[0] for a in alts), 2), _ways([p for a in alts for p in a[1]]), _ways([p for a in alts for p in a[2]])


def _ways(positions: list[int]) -> list[int]:
    """*positions* with each kept at most twice: two ways are as many as the analysis needs."""
    seen: Counter[int] = Counter()
    out = []
    for p in positions:
        seen[p] += 1
        if seen[p] <= 2:
            out.append(p)
    return out


def _size(items: list[_Node]) -> int:
    """How many character positions *items* hold once their small repeats are copied out."""
    total = 0
    for op, arg in items:
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and isinstance(arg, tuple):
            total += _size(list(arg[2])) * (int(arg[1]) if int(arg[1]) <= _UNROLL else 1)
        elif op is sre.SUBPATTERN and isinstance(arg, tuple):
            total += _size(list(arg[3]))
        elif op is sre.BRANCH and isinstance(arg, tuple):
            total += sum(_size(list(alt)) for alt in arg[1])
        elif op is sre.GROUPREF_EXISTS and isinstance(arg, tuple):
            total += sum(_size(list(alt)) for alt in arg[1:] if alt is not None)
        elif op is sre.ATOMIC_GROUP:
            total += _size(list(arg))  # type: ignore[call-overload]
        else:
            total += 1
        if total > _SIZE:
            return total
    return total


def _components(starts: Iterable[_T], succ: Callable[[_T], list[_T]]) -> dict[_T, int]:
    """The strongly connected components (Tarjan, without recursion) of the graph reachable from *starts*."""
    index: dict[_T, int] = {}
    low: dict[_T, int] = {}
    comp: dict[_T, int] = {}
    stack: list[_T] = []
    for start in starts:
        if start in index:
            continue
        work: list[tuple[_T, Iterator[_T]]] = [(start, iter(succ(start)))]
        index[start] = low[start] = len(index)
        stack.append(start)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    work.append((nxt, iter(succ(nxt))))
                elif nxt not in comp:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    comp[member] = index[node]
                    if member == node:
                        break
    return comp


def _masks(classes: list[tuple[_Node | None, bool]]) -> list[int]:
    """Each position's characters among a sample (the pattern's own characters, the ends of its ranges and
    their neighbours, and characters of each category) as bits: two classes meet where their bits do."""
    sample = set(_SAMPLES)
    for node, _ in classes:
        if node is None:
            continue
        op, arg = node
        codes = [arg] if op in (sre.LITERAL, sre.NOT_LITERAL) else []
        if op is sre.IN and isinstance(arg, list):
            for item_op, item_arg in arg:
                if item_op is sre.LITERAL:
                    codes.append(item_arg)
                elif item_op is sre.RANGE:
                    lo, hi = item_arg
                    codes += [lo, hi, max(lo - 1, 0), min(hi + 1, sys.maxunicode)]
        for code in codes:
            ch = chr(int(code))  # type: ignore[call-overload]
            sample |= {ch, ch.lower()[:1] or ch, ch.upper()[:1] or ch}
    chars = sorted(sample)
    out = []
    for node, icase in classes:
        bits = 0
        for i, ch in enumerate(chars):
            variants = {ch, ch.lower(), ch.upper(), ch.swapcase()} if icase else {ch}
            if node is None or _negated(node) != any(len(v) == 1 and _member(node, v) for v in variants):
                bits |= 1 << i
        out.append(bits)
    return out


def _negated(node: _Node) -> bool:
    """Whether *node* is a class that takes what it does not list (``[^a]``, ``\\W`` alone is a category)."""
    op, arg = node
    return op is sre.NOT_LITERAL or (op is sre.IN and isinstance(arg, list) and bool(arg) and arg[0][0] is sre.NEGATE)


def _member(node: _Node, ch: str) -> bool:
    """Whether the character class *node* (a literal, ``.``, a set) lists *ch*, case as written; a negated class
    (:func:`_negated`) is read by what it lists, and its negation applied once every case of a character is read:
    in any case ``[^a]`` takes neither ``a`` nor ``A``."""
    op, arg = node
    if op in (sre.LITERAL, sre.NOT_LITERAL):
        return ord(ch) == arg
    if op is sre.ANY:
        return True  # with or without DOTALL: a wider class only refuses more
    if op is sre.IN and isinstance(arg, list):
        for item_op, item_arg in arg:
            if item_op is sre.LITERAL and ord(ch) == item_arg:
                return True
            if item_op is sre.RANGE and item_arg[0] <= ord(ch) <= item_arg[1]:
                return True
            if item_op is sre.CATEGORY and (item_arg not in _CATEGORIES or re.fullmatch(_CATEGORIES[item_arg], ch)):
                return True
        return False
    return True


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
    # items carrying one of these tags (any case), or whose title or name one of these patterns finds (any
    # case, as ``patterns``), are dropped like ``drop_items``
    drop_tags: list[str] = Field(default_factory=list)
    # patterns match any case unless this is set (or a pattern says so itself: ``(?-i:PN)-\d{6}``); read
    # before the patterns, whose check for backtracking depends on it
    patterns_case_sensitive: bool = False
    drop_titles: list[str] = Field(default_factory=list)
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

    @field_validator("patterns", "drop_titles")
    @classmethod
    def _patterns(cls, v: list[str], info: ValidationInfo) -> list[str]:
        for i, pat in enumerate(v):
            try:
                rx = re.compile(pat)
            except re.error as exc:
                raise ValueError(f"pattern {i + 1} ({pat!r}) is not a valid regular expression: {exc}") from None
            if rx.search("") is not None or re.compile(pat, re.IGNORECASE).search("") is not None:
                raise ValueError(f"pattern {i + 1} ({pat!r}) matches the empty string")
            icase = not info.data.get("patterns_case_sensitive", False)
            try:
                slow = exponential_backtracking(pat, ignore_case=icase)
                chained = not slow and polynomial_backtracking(pat, ignore_case=icase)
            except PatternTooLarge:
                raise ValueError(
                    f"pattern {i + 1} ({pat[:80]!r}) repeats too many alternatives to check that it cannot run for "
                    "hours; split it into several patterns, or list the strings as terms"
                ) from None
            if chained:
                raise ValueError(
                    f"pattern {i + 1} ({pat!r}) repeats two overlapping classes one after the other before a required "
                    "part, as \\w+\\s*\\w+x, (\\w+\\s*){1,3}x or .*a.*b.*c do: a long run of such characters (a key, a "
                    "hash, a line of text) splits between them in so many ways that a search runs for minutes; make the "
                    "classes exclusive (\\w+\\s+\\w+x, [^a]*a[^b]*b), repeat once, or leave out a leading .*"
                )
            if slow:
                raise ValueError(
                    f"pattern {i + 1} ({pat!r}) can match the same text in exponentially many ways, as (a+)+, "
                    "(\\w+\\s?)*, (a|aa)+ or (a?){30} do: on a long text it does not match, such a pattern can run for "
                    "hours; repeat the characters once instead ([\\w\\s]*, a+, a{0,30}) and let the alternatives of a "
                    "repeated group start differently"
                )
        return v

    def pattern_flags(self) -> int:
        """The flags every policy pattern is compiled with: any case unless ``patterns_case_sensitive``."""
        return 0 if self.patterns_case_sensitive else re.IGNORECASE

    def compiled_patterns(self) -> list[re.Pattern[str]]:
        return [re.compile(p, self.pattern_flags()) for p in self.patterns]

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
