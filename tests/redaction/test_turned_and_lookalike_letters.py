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


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01" * 8 + "Project Nightjar".encode("utf-16-be") + b"\x00" * 40,  # a font's name table
        b"\x01" * 3 + "Project Nightjar".encode("utf-16-le") + b"\x07" * 400,  # at an odd offset
        b"\xff" * 4000 + "Project Nightjar".encode("utf-16-le") + b"\xfe" * 4000,  # few zero bytes around it
    ],
    ids=["big-endian", "odd offset", "few zeros"],
)
def test_utf16_text_in_a_binary_file_is_read(data: bytes, tmp_path: Path) -> None:
    """The scan read UTF-16 only little-endian, from a file's first byte, and only in a file of a quarter zero
    bytes: a font's big-endian name table, or an EMF logo's text at an odd offset, hid a term."""
    (tmp_path / "logo.emf").write_bytes(data)
    assert [h.needle for h in scan(tmp_path, ["Nightjar"])] == ["Nightjar"]


@pytest.mark.parametrize(
    "shown",
    ["build01ꓸmeridianꓸcorp", "jenkins꘎meridian꘎corp", "ops@meridianꓸcorp", "http:∕∕wiki։8080", "10ꓸ44ꓸ1ꓸ2"],
)
def test_an_address_written_with_lookalike_dots_slashes_or_colons_is_found(shown: str, tmp_path: Path) -> None:
    """A host, an e-mail address or an IP address whose dots are a Lisu tone mark (ꓸ) or a Vai full stop (꘎),
    a URL's slashes division slashes, read as the address: neither the term nor the detectors found them."""
    from mdptm.redaction.redact import load_policy

    term = "build01.meridian.corp"
    new, _ = Scrubber(load_policy(None).with_terms([term, "http://wiki:8080"])).scrub(f"see {shown} now")
    assert new == "see [redacted] now", new
    (tmp_path / "page.md").write_text(f"Reviewed on {shown}.\n", encoding="utf-8")
    if shown.startswith("build01"):
        assert [h.needle for h in scan(tmp_path, [term])] == [term]


@pytest.mark.parametrize("shown", ["N.i.g.h.t.j.a.r", "N.I.G.H.T.J.A.R.", "D.a.n.a W.h.i.t.l.o.c.k", "D.a.n.a.W.h.i.t.l.o.c.k"])
def test_a_term_dotted_letter_by_letter_is_removed_and_found(shown: str, tmp_path: Path) -> None:
    """Spelled out with a full stop after each letter, as initials are, a term was neither redacted nor found (the
    letters spaced out were)."""
    term = "Dana Whitlock" if shown.startswith("D") else "Nightjar"
    new, _ = Scrubber(Policy(terms=[term])).scrub(f"see {shown} here")
    assert new.startswith("see [redacted]") and "a.r" not in new and "c.k" not in new, new
    (tmp_path / "page.md").write_text(f"Reviewed by {shown} today.\n", encoding="utf-8")
    assert [h.needle for h in scan(tmp_path, [term])] == [term]
