"""A needle of two words is also looked for joined ("DanaWhitlock"); a joined form that mdptm itself writes
as a word is not: the term "S-IGNOFFS" (found by the property test of planted terms) joined is "signoffs", a key
of every ptm.json, and the scan refused every package of a project with that term."""

from __future__ import annotations

from pathlib import Path

from mdptm.redaction.leakscan import LiteralMatcher, scan


def test_a_joined_needle_that_mdptm_writes_as_a_word_is_not_looked_for(tmp_path: Path) -> None:
    (tmp_path / "ptm.json").write_text('{"document": {"signoffs": [], "title": "x"}}', encoding="utf-8")
    assert scan(tmp_path, ["S-IGNOFFS"]) == []
    assert LiteralMatcher(["S-IGNOFFS"]).found("the S-IGNOFFS group") == {"S-IGNOFFS"}


def test_a_joined_name_is_still_found() -> None:
    assert LiteralMatcher(["Dana Whitlock"]).found("mail DanaWhitlock or dana.whitlock") == {"Dana Whitlock"}
