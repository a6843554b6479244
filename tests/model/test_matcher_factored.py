"""The term matchers share one look-behind (or word boundary) among their terms: they must accept the
same texts as one look-behind per term did."""

from __future__ import annotations

import re

from mdptm.model import topology

TERMS = ["port scan*", "safe profile", "mail", "e-*", "tcp", "c++", "*"]
TEXTS = [
    "",
    "A port scanner is run.",
    "portscan",
    "export scanning",
    "the safe profile.",
    "safe profiles",
    "e-mail alerts",
    "email",
    "send mail",
    "Mail-server",
    "TCP/IP",
    "tcpdump",
    "uses c++ code",
    "xc++",
    "PORT  SCAN",
    "ſafe profile",
]


def _per_term(terms: list[str], before: str) -> re.Pattern[str]:
    parts = [before + re.escape(t[:-1]) + r"\w*" if t.endswith("*") else before + re.escape(t) + r"(?!\w)" for t in terms if t.strip("*")]
    return re.compile("|".join(parts), re.IGNORECASE)


def test_matcher_accepts_what_one_look_behind_per_term_accepts() -> None:
    old = _per_term(TERMS, r"(?<!\w)")
    hit = topology.matcher(TERMS)
    assert [hit(t) for t in TEXTS] == [bool(old.search(t)) for t in TEXTS]
    assert any(hit(t) for t in TEXTS) and not all(hit(t) for t in TEXTS)


def test_word_matcher_accepts_what_one_boundary_per_term_accepts() -> None:
    old = _per_term(TERMS, r"\b")
    hit = topology.word_matcher(TERMS)
    assert [hit(t) for t in TEXTS] == [bool(old.search(t)) for t in TEXTS]
    assert hit("send mail") and not hit("email")
