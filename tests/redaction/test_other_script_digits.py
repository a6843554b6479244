"""Digits of other scripts, which NFKC leaves alone: "build٠١.meridian.corp" with Arabic-Indic digits, or
"PUMPSEC-२१४" with Devanagari ones, was neither the term, nor the pattern's or detector's match: published, and
not found by the leak scan. They read as ASCII digits in the one normalisation now."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mdptm.base.textnorm import clean, key
from mdptm.redaction.leakscan import LiteralMatcher, scan
from mdptm.redaction.redact import Policy, Scrubber

ZEROS = [0x660, 0x6F0, 0x966, 0x9E6, 0xE50, 0x1040, 0x17E0, 0xFF10, 0x1D7CE]  # Arabic-Indic ... fullwidth, bold


def _in(zero: int, digits: str) -> str:
    return "".join(chr(zero + int(d)) if d.isdigit() else d for d in digits)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(ZEROS), st.sampled_from(["build01.meridian.corp", "Unit 42", "PN 840-0217-03"]))
def test_a_term_written_with_other_digits_reads_as_the_term(zero: int, term: str) -> None:
    shown = _in(zero, term)
    assert all(unicodedata.category(c) == "Nd" for c in shown if not c.isascii())
    assert key(shown) == key(term)
    text = f"see {shown} here"
    assert LiteralMatcher([term]).found(text) == {term}
    new, removed = Scrubber(Policy(terms=[term])).scrub(text)
    assert new == "see [redacted] here", new
    assert removed


@pytest.mark.parametrize("zero", ZEROS)
def test_a_ticket_with_other_digits_is_the_ticket(zero: int) -> None:
    shown = _in(zero, "PUMPSEC-214")
    assert clean(shown) == "PUMPSEC-214"
    new, _ = Scrubber(Policy(patterns=[r"(?-i:PUMPSEC)-[0-9]+"])).scrub(f"fixed in {shown}.")
    assert new == "fixed in [redacted].", new


def test_the_scan_finds_them_in_a_written_page(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(f"<p>Built on {_in(0x660, 'build01.meridian.corp')}</p>", encoding="utf-8")
    assert [h.needle for h in scan(tmp_path, ["build01.meridian.corp"])] == ["build01.meridian.corp"]
