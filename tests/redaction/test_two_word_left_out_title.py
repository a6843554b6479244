"""A withheld threat's two-word title that names a thing is not published by a kept threat quoting it.

"Zephyrine backdoor" (confidential) was left out, but a kept threat's "Distinct from the Zephyrine backdoor
threat." was published as written: a left-out title of fewer than three words is kept as a phrase ("Default
passwords", which kept text uses for itself), and since the public model then held it, the leak scan did not look
for it either. A two-word title holding a word written as a name that neither mdptm's own text nor kept text (in
lower case) uses is the withheld thing's name."""

from __future__ import annotations

import yaml

from mdptm.model import Model
from mdptm.redaction.redact import Policy, redact
from tests.redaction.test_left_out_controls import MODEL


def _public(title: str, kept: str) -> tuple[str, list[str]]:
    m = Model.model_validate(yaml.safe_load(MODEL))
    left = m.threats[-1]
    left.title, left.sensitivity = title, "confidential"
    m.threats[0].description = kept
    public, log = redact(m, Policy())
    needles = [e.removed for e in log.entries if e.secret and e.removed]
    return next(t for t in public.threats if t.id == m.threats[0].id).description or "", needles


def test_a_named_two_word_title_quoted_by_kept_text_is_redacted() -> None:
    text, needles = _public("Zephyrine backdoor", "Distinct from the Zephyrine backdoor threat.")
    assert "zephyrine" not in text.lower(), text
    assert "Zephyrine backdoor" in needles  # and the leak scan looks for it


def test_a_common_two_word_title_stays_kept_texts_phrase() -> None:
    text, _ = _public("Default passwords", "Default passwords are changed at installation.")
    assert text == "Default passwords are changed at installation."
    text, _ = _public("Firmware replay", "Firmware replay is refused by the version check.")
    assert text == "Firmware replay is refused by the version check."


def test_a_word_kept_text_writes_in_lower_case_is_no_name() -> None:
    text, _ = _public("Backdoor access", "A backdoor is ruled out; Backdoor access needs the service key.")
    assert "Backdoor access" in text


def test_a_one_word_title_that_is_a_name_is_redacted() -> None:
    """A withheld threat titled by one name ("Kestrelguard") is the same: the element rule, for any item."""
    text, _ = _public("Kestrelguard", "Unlike Kestrelguard, this needs no service key.")
    assert "kestrelguard" not in text.lower(), text
    text, _ = _public("Eavesdropping", "Eavesdropping is prevented by TLS.")
    assert text == "Eavesdropping is prevented by TLS."
