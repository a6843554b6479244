"""A letter drawn as a bare vertical stroke reads as a capital I or a small l, as the word around it asks.

The Cyrillic palochka (U+04C0) was read only as l: ``KestreӀ`` was the term Kestrel, but ``NӀGHTJAR`` (the
palochka for the I of an upper-case word) was "nlghtjar", kept by redaction and passed by the leak scan; the
Greek capital iota, read only as I, hid the l of ``KESTREΙ``'s lower-case twin ``KestreΙ`` the same way."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mdptm.model import Model
from mdptm.redaction.leakscan import _STROKES_AS_I, _STROKES_AS_L, LiteralMatcher, scan
from mdptm.redaction.redact import Policy, redact
from tests.redaction.test_left_out_controls import MODEL

WRITTEN = [("NӀGHTJAR", "Nightjar"), ("Nӏghtjar", "Nightjar"), ("NǀGHTJAR", "Nightjar"), ("KestreΙ", "Kestrel"), ("KestreӀ", "Kestrel")]


@pytest.mark.parametrize(("written", "term"), WRITTEN)
def test_redaction_reads_a_stroke_either_way(written: str, term: str) -> None:
    m = Model.model_validate(yaml.safe_load(MODEL))
    m.threats[0].description = f"The {written} service and the {term} agent."
    public, _log = redact(m, Policy(terms=[term]))
    text = next(t for t in public.threats if t.id == "T-1").description or ""
    assert text == "The [redacted] service and the [redacted] agent."


@pytest.mark.parametrize(("written", "term"), WRITTEN)
def test_the_leak_scan_reads_a_stroke_either_way(tmp_path: Path, written: str, term: str) -> None:
    (tmp_path / "guide.md").write_text(f"Start {written} first.", encoding="utf-8")
    assert [h.needle for h in scan(tmp_path, [term])] == [term]


def test_a_stroke_is_no_wildcard() -> None:
    """Read as I or as l, never as another letter: ``NӀGHT`` is not "night" with an o."""
    assert not LiteralMatcher(["Nightjar"]).found("NӀGHTJОR")  # a Cyrillic О for the A: another word
    assert not LiteralMatcher(["Nightjar"]).found("Nӏgttjar")


@settings(max_examples=80, deadline=None)
@given(stroke=st.sampled_from(_STROKES_AS_L + _STROKES_AS_I), upper=st.booleans())
def test_any_stroke_stands_for_the_i_and_the_l(stroke: str, upper: bool) -> None:
    word = "Illinoisan"  # an I and two l's: each stroke read one way, then the other
    for i, ch in enumerate(word):
        if ch.lower() in "il":
            shown = word.upper() if upper else word
            written = shown[:i] + stroke + shown[i + 1 :]
            assert LiteralMatcher([word]).found(f"see {written} here") == {word}, written
