"""The output detector reads each distinct word once; what it finds must be what a pass of every
detector over the whole text finds (the version-word exemption of addresses included)."""

from __future__ import annotations

import random
import re

import yaml

from mdptm.base import textnorm
from mdptm.model import Model
from mdptm.redaction.leakscan import needle_key
from mdptm.redaction.redact import Policy, Scrubber, _exempt, output_detector, public_corpus, redact
from tests.redaction.test_disguised_terms import MODEL

PIECES = [
    "10.1.2.3",
    "firmware 10.4.5.6",
    "version\n10.7.8.9",
    "fw 10.1.2.3",
    "rev.10.2.2.2",
    "ver. 192.168.1.20",
    "10.1.2.3/24",
    "255.255.255.0",
    "fe80::1ff:fe23:4567:890a",
    "jira.meridian.corp",
    "https://wiki.meridian.corp/x?y=1",
    "\\\\fileserver\\share\\x",
    "ops@meridian.corp",
    "security@vendor.com",
    "PUMPSEC-214",
    "PUMPSEC-214.",
    "CVE-2024-1234",
    "T1",
    "PN 840-0217",
    "PN\n840-0217",
    "build\u200b01.meridian.corp",
    "ｊｉｒａ.meridian.corp",
    "Dana-Whitlock",
    "<w:t>10.9.9.9</w:t>",
    "—",
    "…",
    "version",
    "a",
    "",
]


def _reference(scrubber: Scrubber, corpus: str, text: str) -> set[str]:
    cleaned = textnorm.clean(text)
    out = set()
    for start, end, _rule in scrubber._rule_spans(cleaned, False):
        k = needle_key(cleaned[start:end])
        if k and k not in corpus:
            out.add(cleaned[start:end])
    return out


def test_word_by_word_detection_finds_what_a_whole_text_pass_finds() -> None:
    model = Model.model_validate(yaml.safe_load(MODEL))
    policy = Policy(patterns=[r"\bPN \d{3}-\d{4}\b", r"PN\s+840"])
    public, _ = redact(model, policy)
    scrubber, corpus = Scrubber(policy, _exempt(model)), public_corpus(public, policy)
    detect = output_detector(policy, model, public)  # one detector for all texts: its memory is exercised too
    rnd = random.Random(21)
    seps = [" ", "  ", "\n", "\t", " (", ") ", ", ", "\u00a0", "\u2028"]
    for _ in range(3000):
        text = "".join(rnd.choice(PIECES) + rnd.choice(seps) for _ in range(rnd.randint(1, 8)))
        assert set(detect(text)) == _reference(scrubber, corpus, text), repr(text)


def test_an_address_after_a_version_word_in_one_place_is_still_found_in_another() -> None:
    model = Model.model_validate(yaml.safe_load(MODEL))
    policy = Policy()
    public, _ = redact(model, policy)
    detect = output_detector(policy, model, public)
    assert detect("firmware 10.4.5.6 released") == []
    assert detect("firmware 10.4.5.6 released; the server is at 10.4.5.6") == ["10.4.5.6"]


def test_a_pattern_searched_from_its_leading_literal_matches_as_finditer_does() -> None:
    from mdptm.redaction.redact import LeadingLiteral

    patterns = [
        r"\bPUMPSEC-\d+\b",
        r"\b10\.\d{1,3}\.\d{1,3}\.\d{1,3}\b",
        r"(?<![\w-])PN \d{3}(?:-\d{4})?",
        r"aa",
        r"(?i)\bpn \d",
        r"PN\s+\d+|PUMPSEC",
        r"[A-Z]+-\d+",
        r"\bab?",
    ]
    alphabet = ["PUMPSEC-", "PN ", "10.", "1", "2", "-", "x", " ", "a", "\n", "PN", "7", ".", "pumpSec-", "pn", "İ", "é"]
    rnd = random.Random(3)
    for pattern, flags in [(p, f) for p in patterns for f in (0, re.IGNORECASE)]:  # policy patterns match any case
        rx = re.compile(pattern, flags)
        lead = LeadingLiteral(rx)
        for _ in range(2000):
            text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 20)))
            assert [m.span() for m in lead.finditer(text)] == [m.span() for m in rx.finditer(text)], (pattern, text)
    assert LeadingLiteral(re.compile(r"\bPUMPSEC-\d+")).prefix == "PUMPSEC-"
    # any case: an ASCII text is searched lowered for the lowered prefix; others as usual
    assert LeadingLiteral(re.compile(r"\bPN-", re.IGNORECASE)).prefix == "pn-"


def test_words_are_read_a_piece_at_a_time_and_never_cut() -> None:
    from mdptm.redaction.redact import _words

    rnd = random.Random(2)
    for _ in range(2000):
        text = "".join(rnd.choice(["ab", " ", "\n", "c", "\u3000", "dd", "\u2028", "x"]) for _ in range(rnd.randint(0, 60)))
        for piece in (1, 2, 3, 7, 1 << 20):
            assert _words(text, piece) == set(text.split()), (text, piece)
