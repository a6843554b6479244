"""The one slug: readable ASCII ids and file names from any name."""

from __future__ import annotations

from mdptm.base.text import slug


def test_slug_folds_accents_and_joins_words_with_hyphens() -> None:
    assert slug("Infusion Pump (PCU) für Ärzte") == "infusion-pump-pcu-fur-arzte"
    assert slug("  --Drug  library//server--  ") == "drug-library-server"


def test_slug_is_cut_at_a_word_boundary_character_and_never_ends_in_a_hyphen() -> None:
    assert slug("abc def ghi", limit=4) == "abc"
    assert len(slug("x" * 100, limit=48)) == 48


def test_slug_falls_back_when_nothing_readable_is_left() -> None:
    assert slug("日本語") == ""
    assert slug("日本語", fallback="item") == "item"
    assert slug("") == ""
