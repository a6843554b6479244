"""Latin letters with a hook, tail, curl or belt, which NFD does not take apart and no confusable listed:
"ɲiɠɦʈjar" (n with left hook, g with hook, h with hook, t with retroflex hook) was not the term Nightjar, so
redaction left it and the leak scan did not find it. They read as their letter, as accented letters do."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.base.textnorm import key
from mdptm.redaction.leakscan import LiteralMatcher, scan
from mdptm.redaction.redact import Policy, Scrubber

HOOKED = {
    "n": "ɲɳꞑ",
    "g": "ɠ",
    "h": "ɦⱨ",
    "t": "ʈƭȶ",
    "j": "ʝ",
    "r": "ɽɼɾ",
    "k": "ƙⱪ",
    "l": "ɭɬ",
    "s": "ʂȿ",
    "d": "ɗɖȡ",
    "c": "ƈɕ",
    "p": "ƥ",
    "b": "ɓ",
    "m": "ɱ",
    "z": "ʐȥ",
    "y": "ƴ",
    "v": "ʋ",
    "w": "ⱳ",
}


@pytest.mark.parametrize(("letter", "form"), [(letter, form) for letter, forms in HOOKED.items() for form in forms])
def test_a_hooked_letter_reads_as_its_letter(letter: str, form: str) -> None:
    assert key(form) == letter
    assert key(form.upper()) == letter


@pytest.mark.parametrize("shown", ["ɲiɠɦʈjar", "Niɠhʈʝaɽ", "ƊAƝA ⱲHIƬLOCK"])
def test_a_term_written_with_hooked_letters_is_removed_and_found(shown: str, tmp_path: Path) -> None:
    term = "Dana Whitlock" if " " in shown else "Nightjar"
    assert LiteralMatcher([term]).found(f"see {shown} here") == {term}
    new, removed = Scrubber(Policy(terms=[term])).scrub(f"see {shown} here")
    assert new == "see [redacted] here", new
    assert removed
    (tmp_path / "page.html").write_text(f"<p>Reviewed by {shown}</p>", encoding="utf-8")
    assert [h.needle for h in scan(tmp_path, [term])] == [term]


def test_distinct_letters_stay_themselves() -> None:
    # eng and heng are letters of their own, not an n or h with a mark
    assert key("ŋ") == "ŋ" and key("ɧ") == "ɧ"
    assert key("Patient data (PHI) — 10 mg/h") == "patient data phi 10 mg/h"  # a bracket reads as a break
