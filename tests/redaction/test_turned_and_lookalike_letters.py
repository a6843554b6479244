"""Disguises a reader still reads as the term, each caught by redaction and by the leak scan.

Before: a single turned or reversed letter ("Nighʇjar", "Zǝphyrine", "NIGHTJAƎ"), an insular or small-capital
letter with a stroke ("Nighꞇjar", "nᵻghtjar") and letters Unicode's confusables data (UTS #39) lists as drawn
like a Latin one ("Kestꭇel" with ꭇ, "ռightjar" with an Armenian ռ, "Nightjaꮁ" with a Cherokee ꮁ, "bacᛕdoor") were
none of them the term. The forms already read (dotless i and j, small capitals, fullwidth, mathematical letters,
superscripts, subscripts, enclosed letters) are kept here too, so that none is lost.

Text turned upside down whole ("ɹɐɾʇɥƃıu", read from its end with u for n) is left out: a puzzle, not a word.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.base.textnorm import key
from mdptm.redaction.leakscan import LiteralMatcher, scan
from mdptm.redaction.redact import Policy, Scrubber


def _letters(first: int) -> str:
    return "".join(chr(first + ord(c) - ord("a")) for c in "nightjar")


READ_BEFORE = {
    "dotless i and j": "Nıghtȷar",
    "small capitals": "ɴɪɢʜᴛᴊᴀʀ",
    "fullwidth": "Ｎｉｇｈｔｊａｒ",
    "mathematical bold": _letters(0x1D41A),
    "mathematical double-struck": "ℕ𝕚𝕘𝕙𝕥𝕛𝕒𝕣",
    "mathematical fraktur": _letters(0x1D51E),
    "mathematical monospace": _letters(0x1D68A),
    "superscripts": "ᴺⁱᵍʰᵗʲᵃʳ",
    "subscripts": "ₙᵢgₕₜⱼₐᵣ",
    "circled": _letters(0x24D0),
    "circled capitals": "ⓃⒾⒼⒽⓉⒿⒶⓇ",
    "parenthesized": _letters(0x249C),
    "squared": "".join(chr(0x1F130 + ord(c) - ord("a")) for c in "nightjar"),
    "negative squared": "".join(chr(0x1F170 + ord(c) - ord("a")) for c in "nightjar"),
    "modifier small capitals": "ᶰᶦᵍʰᵗʲᵃʳ",
}
READ_NOW = {
    "turned t": "Nighʇjar",
    "turned a and r": "Nightjɐɹ",
    "turned h": "Nigɥtjar",
    "turned i": "Nᴉghtjar",
    "reversed capital E": "ZƎPHYRINE",
    "turned e": "Zǝphyrine",
    "insular t": "Nighꞇjar",
    "small capital i with stroke": "nᵻghtjar",
    "dotless j with stroke": "Nightɟar",
    "Armenian ռ (UTS #39: n)": "ռightjar",
    "Cherokee small ꮁ (UTS #39: r)": "Nightjaꮁ",
    "Latin ꭇ (UTS #39: r)": "Nightjaꭇ",
    "APL alpha (UTS #39: a)": "Nightj⍺r",
}
TERMS = {"n": "Nightjar", "z": "Zephyrine"}


@pytest.mark.parametrize("shown", [*READ_BEFORE.values(), *READ_NOW.values()], ids=[*READ_BEFORE, *READ_NOW])
def test_a_disguised_term_is_removed_and_found(shown: str, tmp_path: Path) -> None:
    term = TERMS[key(shown)[0]]
    assert key(shown) == key(term)
    assert LiteralMatcher([term]).found(f"see {shown} here") == {term}
    new, removed = Scrubber(Policy(terms=[term])).scrub(f"see {shown} here")
    assert new == "see [redacted] here", new
    assert removed
    (tmp_path / "page.html").write_text(f"<p>Reviewed by {shown}</p>", encoding="utf-8")
    assert [h.needle for h in scan(tmp_path, [term])] == [term]


def test_lookalikes_of_digits_and_upside_down_text_are_not_read_as_letters() -> None:
    assert key("PUMPSEC-०१") == "pumpsec 01"  # other scripts' digits stay digits, not o and l
    assert key("ɹɐɾʇɥƃıu") != "nightjar" and "nightjar" not in key("ɹɐɾʇɥƃıu")[::-1]
    assert key("Σ") == "σ"  # a Greek capital sigma is no O, whatever its small letter looks like


@pytest.mark.parametrize("shown", ["Night·jar", "Night‧jar", "Night•jar", "Dana·Whitlock", "Night∙jar"])
def test_a_term_split_by_a_syllable_dot_or_a_bullet_is_removed_and_found(shown: str, tmp_path: Path) -> None:
    """A middle dot, a hyphenation point or a bullet inside a word ("Night·jar", as a dictionary splits its
    syllables) was read as a letter of another word: neither redaction nor the scan saw the term. It is read like
    a hyphen now; a full stop is not ("build01.meridian.corp" stays an address)."""
    term = "Dana Whitlock" if shown.startswith("Dana") else "Nightjar"
    assert LiteralMatcher([term]).found(f"see {shown} here") == {term}
    new, _ = Scrubber(Policy(terms=[term])).scrub(f"see {shown} here")
    assert new == "see [redacted] here", new
    (tmp_path / "page.md").write_text(f"Reviewed by {shown}.\n", encoding="utf-8")
    assert [h.needle for h in scan(tmp_path, [term])] == [term]
    assert key("build01.meridian.corp") == "build01.meridian.corp"
