"""Mapping remembers whether a text states something: the answer must be that of the plain functions."""

from __future__ import annotations

from mdptm.mapping.engine import _present
from mdptm.model.evidence import real_values, stated

TEXTS = [
    "",
    "TBD",
    "N/A",
    "none",
    "TBD - depends on the supplier",
    "There is no SBOM",
    "Signed firmware updates, verified at boot",
    "not supported",
    "  tbd  ",
    "Encrypted with TLS 1.3; no plaintext fallback",
    "UNKNOWN: set it in mdptm.yaml",
]


def test_present_of_texts_and_lists_is_the_plain_answer() -> None:
    for _ in range(2):  # the second round answers from memory
        for text in TEXTS:
            assert _present(text) == stated(text), text
        for i in range(len(TEXTS)):
            values = TEXTS[i : i + 3]
            assert _present(values) == bool(real_values(values)), values
    assert _present([]) is False
    assert _present(None) is False
