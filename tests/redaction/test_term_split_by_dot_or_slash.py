"""A one-word secret split by a full stop or a slash is still the secret: ``Night.jar`` (a file name the maker
publishes: ``night.jar`` *is* the code name Nightjar written as a Java archive), ``Night/jar`` (a path). Both were
read as two words of an address, not as the term broken in two as ``Night-jar`` and ``Night jar`` are, so
redaction kept them and the leak scan passed them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mdptm.model import Model
from mdptm.redaction.leakscan import LiteralMatcher, scan
from mdptm.redaction.redact import Policy, redact
from tests.redaction.test_left_out_controls import MODEL

SPLIT = ["Night.jar", "night.jar", "NIGHT/JAR", "Nigh.tjar", "Night/jar", "deploy/lib/night.jar"]


@pytest.mark.parametrize("written", SPLIT)
def test_redaction_removes_a_term_split_by_a_dot_or_slash(written: str) -> None:
    m = Model.model_validate(yaml.safe_load(MODEL))
    m.threats[0].description = f"The service loads {written} at start."
    public, _log = redact(m, Policy(terms=["Nightjar"]))
    text = next(t for t in public.threats if t.id == "T-1").description or ""
    assert "jar" not in text.lower().replace("[redacted]", ""), text


@pytest.mark.parametrize("written", SPLIT)
def test_the_leak_scan_finds_a_term_split_by_a_dot_or_slash(tmp_path: Path, written: str) -> None:
    (tmp_path / "guide.md").write_text(f"Copy {written} to the pump.", encoding="utf-8")
    assert [h.needle for h in scan(tmp_path, ["Nightjar"])] == ["Nightjar"]


def test_ordinary_dotted_and_slashed_text_is_no_term() -> None:
    """Only a word of 7 letters or more is looked for so, both parts at least two letters; what mdptm itself
    prints split by a dot (``ptm.json``) is not a disguise of a term spelt like it."""
    assert not LiteralMatcher(["Lima"]).found("li.ma and li/ma")
    assert not LiteralMatcher(["Nightjar"]).found("night. jar, night/ jar, nightly.jar")
    assert not LiteralMatcher(["Ptmjson"]).found("see ptm.json")


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(min_value=2, max_value=6), sep=st.sampled_from("./"), upper=st.booleans())
def test_any_cut_of_the_term_is_found(cut: int, sep: str, upper: bool) -> None:
    word = "Nightjar"
    written = f"{word[:cut]}{sep}{word[cut:]}"
    assert LiteralMatcher([word]).found(f"see {written.upper() if upper else written} here") == {word}
