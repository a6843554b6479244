"""An apostrophe of any kind, and a colon, read as a break like a hyphen.

Word turns the apostrophe a maker types into a typographic one: a policy term ``O'Brien Lab`` (typed with the
ASCII apostrophe, as YAML is) did not find ``O’Brien Lab`` in an imported document, so redaction kept it and the
leak scan passed it; ``Night:jar`` and ``NIGHT::JAR`` (a label, a namespace) were not the term ``Nightjar``
broken in two, as ``Night-jar`` is.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mdptm.base import textnorm
from mdptm.model import Model
from mdptm.redaction.leakscan import LiteralMatcher, scan
from mdptm.redaction.redact import Policy, redact
from tests.redaction.test_left_out_controls import MODEL

APOSTROPHES = "'\u2019\u2018\u201b\u02bc\u2032\u00b4\uff07"
WRITTEN = [
    ("O'Brien Lab", "the O\u2019Brien Lab"),
    ("O\u2019Brien Lab", "the O'Brien Lab"),
    ("O'Brien Lab", "the O\u02bcBrien Lab"),
    ("Nightjar", "the Night:jar relay"),
    ("Nightjar", "NIGHT::JAR"),
    ("Nightjar", "the Night\u2019jar relay"),
    ("Dana Whitlock", "Dana:Whitlock"),
]


@pytest.mark.parametrize(("term", "written"), WRITTEN)
def test_redaction_removes_the_term(term: str, written: str) -> None:
    m = Model.model_validate(yaml.safe_load(MODEL))
    m.threats[0].description = f"Reported by {written} at start."
    public, _log = redact(m, Policy(terms=[term]))
    text = next(t for t in public.threats if t.id == "T-1").description or ""
    assert "[redacted]" in text, text
    assert textnorm.key(term) not in textnorm.key(text.replace("[redacted]", " ")), text


@pytest.mark.parametrize(("term", "written"), WRITTEN)
def test_the_leak_scan_finds_the_term(tmp_path: Path, term: str, written: str) -> None:
    (tmp_path / "guide.md").write_text(f"Ask {written} first.", encoding="utf-8")
    assert [h.needle for h in scan(tmp_path, [term])] == [term]


def test_ordinary_text_with_colons_and_apostrophes_is_no_term() -> None:
    """A short term stays a word; a colon between words is no term of the words around it."""
    matcher = LiteralMatcher(["AWS", "Nightjar"])
    assert not matcher.found("flaws: the law's text, at 10:30; night: a jar")
    assert matcher.found("AWS's console") == {"AWS"}


@settings(max_examples=80, deadline=None)
@given(
    family=st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=9),
    typed=st.sampled_from(APOSTROPHES),
    written=st.sampled_from(APOSTROPHES),
)
def test_any_apostrophe_finds_any_other(family: str, typed: str, written: str) -> None:
    term = f"O{typed}{family.capitalize()}"
    text = f"signed by O{written}{family.upper()} today"
    assert textnorm.key(term) in textnorm.key(text)
    assert LiteralMatcher([term]).found(text) == {term}
    assert [text[s:e] for s, e, _ in LiteralMatcher([term]).spans(text)] == [f"O{written}{family.upper()}"]


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(min_value=2, max_value=6), sep=st.sampled_from([":", "::", "'", "\u2019"]))
def test_any_cut_of_a_word_by_a_colon_or_apostrophe_is_found(cut: int, sep: str) -> None:
    word = "Nightjar"
    written = f"{word[:cut]}{sep}{word[cut:]}"
    assert LiteralMatcher([word]).found(f"see {written} here") == {word}
    assert [m[2] for m in LiteralMatcher([word]).spans(f"see {written} here")] == [word]
