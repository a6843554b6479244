"""A name of two to four words with one word hyphenated at a line end is still the name.

"Dana Whit-\\nlock" (text pasted from a PDF keeps its line-end hyphens) folds to "dana whit lock": a one-word term
broken so was found ("Zeph-\\nyrine"), a name of several words was not, so redaction kept it and the leak scan
passed it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mdptm.model import Model
from mdptm.redaction.leakscan import LiteralMatcher, scan
from mdptm.redaction.redact import Policy, redact
from tests.redaction.test_left_out_controls import MODEL

BROKEN = [
    ("Dana Whit-\nlock", "Dana Whitlock"),
    ("Meri-\ndian Fleet Gateway", "Meridian Fleet Gateway"),
    ("Meridian Fleet Gate-\r\nway", "Meridian Fleet Gateway"),
]


@pytest.mark.parametrize(("written", "term"), BROKEN)
def test_redaction_removes_a_name_with_a_word_broken(written: str, term: str) -> None:
    m = Model.model_validate(yaml.safe_load(MODEL))
    m.threats[0].description = f"Reported by {written} in March."
    public, _log = redact(m, Policy(terms=[term]))
    assert next(t for t in public.threats if t.id == "T-1").description == "Reported by [redacted] in March."


@pytest.mark.parametrize(("written", "term"), BROKEN)
def test_the_leak_scan_finds_a_name_with_a_word_broken(tmp_path: Path, written: str, term: str) -> None:
    (tmp_path / "guide.md").write_text(f"Ask {written} first.", encoding="utf-8")
    assert [h.needle for h in scan(tmp_path, [term])] == [term]


def test_short_words_and_long_texts_are_not_broken() -> None:
    """Only a word of 7 letters or more, in a needle of at most four words: "Dana Wh itlock" is not looked for
    through "Dana" (4 letters), and a withheld description is not looked for with each of its words broken."""
    assert not LiteralMatcher(["Dana Whitlock"]).found("Da na Whitlock")
    sentence = "The Zephyrine service accepts unsigned orders from anyone"
    assert not LiteralMatcher([sentence]).found(sentence.replace("unsigned", "un-\nsigned"))


@pytest.mark.parametrize("written", ["Whitlock, Dana", "WHITLOCK, DANA", "Whitlock,\nDana"])
def test_a_name_written_family_name_first_is_the_name(tmp_path: Path, written: str) -> None:
    """Mail directories show people as "Whitlock, Dana", and an owner column or a "reviewed by" line pastes it so."""
    m = Model.model_validate(yaml.safe_load(MODEL))
    m.threats[0].description = f"Owner: {written}."
    public, _log = redact(m, Policy(terms=["Dana Whitlock"]))
    assert next(t for t in public.threats if t.id == "T-1").description == "Owner: [redacted]."
    (tmp_path / "guide.md").write_text(f"Ask {written} first.", encoding="utf-8")
    assert [h.needle for h in scan(tmp_path, ["Dana Whitlock"])] == ["Dana Whitlock"]
    assert not LiteralMatcher(["Replay of orders"]).found("orders, Replay of")  # names only
