"""The redaction policy (SPEC §6): its schema, how a project's file is loaded, and the shipped detector words."""

from __future__ import annotations

import re
import re._parser as sre  # type: ignore[import-not-found]  # a pattern parsed (no stub: the module is private)
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

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


_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT)
_Node = tuple[object, object]


def nested_repeat(pattern: str) -> bool:
    """Whether *pattern* repeats without bound a group whose every part is a repeat without bound or
    optional (``(a+)+``, ``(\\w+\\s?)*``, ``(x+x+)+``): the group then matches one run of characters in
    exponentially many ways, and a search that fails tries them all (catastrophic backtracking: Python's
    ``re`` has no time limit). A group with a required part the inner repeat cannot take (``(\\w+\\.)+``, a
    host name) is matched one way and is not refused; alternatives that overlap (``(a|aa)+``) are not read."""
    try:
        tree = sre.parse(pattern)
    except re.error:
        return False
    return _has_nested(list(tree))


def _unbounded(node: _Node) -> bool:
    op, arg = node
    return op in _REPEATS and isinstance(arg, tuple) and arg[1] == sre.MAXREPEAT


def _optional(node: _Node) -> bool:
    op, arg = node
    return op in _REPEATS and isinstance(arg, tuple) and arg[0] == 0


def _parts(items: list[_Node]) -> list[_Node]:
    """*items* with groups opened: a group's parts stand in its place."""
    out: list[_Node] = []
    for op, arg in items:
        if op is sre.SUBPATTERN and isinstance(arg, tuple):
            out.extend(_parts(list(arg[-1])))
        else:
            out.append((op, arg))
    return out


def _only_repeats(items: list[_Node]) -> bool:
    parts = _parts(items)
    return any(_unbounded(p) for p in parts) and all(_unbounded(p) or _optional(p) for p in parts)


def _has_nested(items: list[_Node]) -> bool:
    for op, arg in items:
        if not isinstance(arg, tuple):
            continue
        if op in _REPEATS:
            body = list(arg[2])
            if (arg[1] == sre.MAXREPEAT and _only_repeats(body)) or _has_nested(body):
                return True
            continue
        inner = [list(arg[-1])] if op is sre.SUBPATTERN else [list(alt) for alt in arg[1]] if op is sre.BRANCH else []
        if any(_has_nested(part) for part in inner):
            return True
    return False


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
    drop_titles: list[str] = Field(default_factory=list)
    summarise: list[Sensitivity] = Field(default_factory=list)
    summary: str = "Details of this item are summarised in this public version."
    terms: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)
    # patterns match any case unless this is set (or a pattern says so itself: ``(?-i:PN)-\d{6}``)
    patterns_case_sensitive: bool = False
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
    def _patterns(cls, v: list[str]) -> list[str]:
        for i, pat in enumerate(v):
            try:
                rx = re.compile(pat)
            except re.error as exc:
                raise ValueError(f"pattern {i + 1} ({pat!r}) is not a valid regular expression: {exc}") from None
            if rx.search("") is not None or re.compile(pat, re.IGNORECASE).search("") is not None:
                raise ValueError(f"pattern {i + 1} ({pat!r}) matches the empty string")
            if nested_repeat(pat):
                raise ValueError(
                    f"pattern {i + 1} ({pat!r}) repeats a group that is itself only repeats, such as (\\w+\\s?)* or (a+)+: "
                    "on a long text it does not match, such a pattern can run for hours; repeat the characters once "
                    "instead ([\\w\\s]*, a+)"
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
