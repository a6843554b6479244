"""A left-out item's id written with other characters that read the same is still its id.

"See also T-9" loses ``T-9``; "See also T-９" (fullwidth digit, as East Asian text types it), "Т-9" (a Cyrillic
Т) or "T−9" (a minus sign) kept it: the id was looked for as written only, and an id shorter than five characters
is no needle of the leak scan, so the withheld threat's id was published.
"""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mdptm.model import Model
from mdptm.redaction.redact import Policy, redact
from tests.redaction.test_left_out_refs import MODEL


def _kept_text(description: str) -> tuple[str, list[str]]:
    m = Model.model_validate(yaml.safe_load(MODEL))
    m.threats[0].description = description
    public, log = redact(m, Policy())
    removed = [e.removed or "" for e in log.entries if e.rule == "left-out-id" and e.item == "T-1" and e.field == "description"]
    return next(t for t in public.threats if t.id == "T-1").description or "", removed


@pytest.mark.parametrize("written", ["T-\uff19", "\u0422-9", "T\u22129", "T\u2212\uff19", "T\u200b-9", "\uff34\uff0d\uff19"])
def test_a_disguised_left_out_id_is_replaced(written: str) -> None:
    text, removed = _kept_text(f"Unlike {written}, this needs access; see T-2.")
    assert text == "Unlike [redacted], this needs access; see T-2.", text
    assert removed == [written]


def test_kept_ids_and_longer_numbers_stay() -> None:
    text, _ = _kept_text("See T-２, T-９1 and T-1 (é).")
    assert text == "See T-２, T-９1 and T-1 (é).", text


_DASHES = st.sampled_from(["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2212", "\uff0d", "_"])
_T = st.sampled_from(["T", "t", "\uff34", "\u0422", "\u03a4"])
_NINE = st.sampled_from(["9", "\uff19", "\u0669", "\u096f"])


@settings(max_examples=60, deadline=None)
@given(t=_T, dash=_DASHES, nine=_NINE, before=st.sampled_from(["see ", "(", "é ", "also: "]))
def test_any_look_alike_spelling_of_the_id_is_replaced(t: str, dash: str, nine: str, before: str) -> None:
    written = f"{t}{dash}{nine}"
    text, removed = _kept_text(f"{before}{written} and T-2.")
    assert text == f"{before}[redacted] and T-2.", text
    assert removed == [written]


@pytest.mark.parametrize("written", ["T9", "t9", "T 9"])
def test_a_left_out_id_written_without_its_dash_is_replaced(written: str) -> None:
    """ "T9" is how a sentence, a file name or a chat message writes the withheld threat T-9; it was published."""
    text, removed = _kept_text(f"Unlike {written}, this needs access; see T-2.")
    assert text == "Unlike [redacted], this needs access; see T-2.", text
    assert removed == [written]


def test_a_dash_between_two_letters_or_two_digits_stays_required() -> None:
    """Only the dash between the letters and the number may go: "T91", "XT9" and "T9a" are other words."""
    text, _ = _kept_text("See T91, XT9, T9a and T-2.")
    assert text == "See T91, XT9, T9a and T-2.", text
