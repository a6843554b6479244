"""Letters disguised by marks or shapes that the one normalisation had not undone: an enclosing circle (U+20DD)
or a mark that shows nothing (Khmer U+17B4) after each letter, a Braille blank for a space, letters in negative
squares or circles, parentheses or regional indicator boxes, letters with a stroke or bar (ħ, ł, ø) and more
Cyrillic letters drawn like Latin ones (п, г). Redaction removes them and the leak scan finds them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mdptm.base.textnorm import key
from mdptm.redaction.leakscan import LiteralMatcher, scan
from mdptm.redaction.redact import Policy, Scrubber

STROKE = dict(zip("hbdgijlknortuyzace", "ħƀđǥɨɉłꝁƞøɍŧʉɏƶⱥȼɇ", strict=True))
CYRILLIC = {"n": "п", "r": "г", "g": "ԍ", "i": "ꙇ"}


# per letter (lower case a-z): the ways to write it
def _forms(ch: str) -> list[str]:
    i = ord(ch) - ord("a")
    forms = [
        ch + "\u20dd",  # combining enclosing circle
        ch + "\u20e3",  # combining enclosing keycap
        ch + "\u17b4",  # Khmer vowel inherent AQ: no glyph
        chr(0x1F170 + i),  # negative squared capital
        chr(0x1F150 + i),  # negative circled capital
        chr(0x1F1E6 + i),  # regional indicator
        chr(0x249C + i),  # parenthesized small letter
    ]
    if ch in STROKE:
        forms.append(STROKE[ch])
    if ch in CYRILLIC:
        forms.append(CYRILLIC[ch])
    return forms


SECRETS = ["Nightjar", "Zephyrine", "Dana Whitlock", "Kestrel build"]


@st.composite
def disguised(draw: st.DrawFn) -> tuple[str, str]:
    secret = draw(st.sampled_from(SECRETS))
    out = []
    for ch in secret:
        if ch == " ":
            out.append(draw(st.sampled_from([" ", "\u2800"])))  # a Braille blank shows as a space
        elif draw(st.booleans()):
            out.append(draw(st.sampled_from(_forms(ch.lower()))))
        else:
            out.append(ch)
    return secret, "".join(out)


@settings(max_examples=300, deadline=None)
@given(disguised())
def test_a_secret_written_with_marks_or_boxed_letters_reads_as_the_secret(pair: tuple[str, str]) -> None:
    secret, shown = pair
    assert key(shown) == key(secret)
    text = f"see {shown} here"
    assert LiteralMatcher([secret]).found(text) == {secret}
    new, removed = Scrubber(Policy(terms=[secret])).scrub(text)
    assert new == "see [redacted] here", new
    assert removed


@pytest.mark.parametrize(
    "shown",
    [
        "N\u20ddi\u20ddg\u20ddh\u20ddt\u20ddj\u20dda\u20ddr\u20dd",
        "Nigh\u17b4tjar",
        "\U0001f17d\U0001f178\U0001f176\U0001f177\U0001f183\U0001f179\U0001f170\U0001f181",
        "\u24a9\u24a4\u24a2\u24a3\u24af\u24a5\u249c\u24ad",
        "\u019e\u0268\u01e5\u0127\u0167\u0249\u2c65\u024d",
        "\u043f\u0456\u050d\u04bb\u0442\u0458\u0430\u0433",
    ],
    ids=["enclosing-circle", "khmer-inherent", "negative-squared", "parenthesized", "stroke-letters", "cyrillic"],
)
def test_the_scan_finds_them_in_a_written_page(shown: str, tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(f"<p>Reviewed with {shown} today</p>", encoding="utf-8")
    assert [h.needle for h in scan(tmp_path, ["Nightjar"])] == ["Nightjar"]


def test_names_with_stroke_letters_match_their_plain_spelling_both_ways() -> None:
    # as an accent added or left out disguises nothing (Dána = Dana), a stroke does not either
    assert LiteralMatcher(["Søren Łukasz"]).found("by Soren Lukasz") == {"Søren Łukasz"}
    assert LiteralMatcher(["Soren Lukasz"]).found("by SØREN ŁUKASZ") == {"Soren Lukasz"}
    # ordinary text with none of these letters reads as before
    assert key("Patient data (PHI) — 10 mg/h") == "patient data phi 10 mg/h"  # a bracket reads as a break
