"""A one-word secret broken in two is still the secret: hyphenated at a line end ("Zeph-\\nyrine", as Word and PDF
text breaks words), with a hyphen or a Unicode hyphen inside ("Zeph-yrine", "Zeph\\u2010yrine") or a space. Each
folds to "zeph yrine", which neither redaction nor the leak scan looked for: the text was published."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mdptm.model import Model
from mdptm.redaction.leakscan import LiteralMatcher, scan
from mdptm.redaction.redact import Policy, redact
from tests.redaction.test_left_out_controls import MODEL

BROKEN = ["Zeph-\nyrine", "Zeph-yrine", "Zeph\u2010yrine", "Zephyr-ine", "Zeph yrine", "ZEPH-\r\nYRINE"]


@pytest.mark.parametrize("written", BROKEN)
def test_redaction_removes_a_term_broken_in_two(written: str) -> None:
    m = Model.model_validate(yaml.safe_load(MODEL))
    m.threats[0].description = f"Reached through the {written} port."
    public, _log = redact(m, Policy(terms=["Zephyrine"]))
    text = next(t for t in public.threats if t.id == "T-1").description or ""
    assert text == "Reached through the [redacted] port."


@pytest.mark.parametrize("written", BROKEN)
def test_the_leak_scan_finds_a_term_broken_in_two(tmp_path: Path, written: str) -> None:
    (tmp_path / "guide.md").write_text(f"Connect the {written} cable.", encoding="utf-8")
    assert [h.needle for h in scan(tmp_path, ["Zephyrine"])] == ["Zephyrine"]


def test_only_words_long_enough_are_looked_for_broken() -> None:
    """A short word broken in two is too often two words ("Okon kwo" is fine; "Li ma" is not "Lima")."""
    assert LiteralMatcher(["Okonkwo"]).found("signed by Okon-kwo")
    assert not LiteralMatcher(["Lima"]).found("li ma")
    assert not LiteralMatcher(["Zephyrine"]).found("zeph and yrine")
