"""Layouts of real threat models written by other people (tests/data/markdown-real/SOURCES.md, "round 8"), each as
a short excerpt in the same shape, read alike in Markdown and in Word (tests/importers/md_word.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.errors import InputError
from tests.importers.import_helpers import checked_import, load_text
from tests.importers.md_word import word_from_markdown


def _both(tmp_path: Path, text: str) -> list:
    """The model of *text* read as Markdown and as the same text in Word."""
    md = load_text(tmp_path, text)
    word = checked_import(word_from_markdown(text, tmp_path / "tm.docx"))
    return [md, word]


# -- a vehicle API's STRIDE primer: the six categories defined, with "Mitigation Options", is no threat

_PRIMER = (
    "# Simple Security and Threat Analysis\n\n## Finding Threats Using STRIDE\n\n"
    "| # | Threat | Property Violated | Threat Definition | Typical Victims | Mitigation Options | Examples |\n"
    "|---|---|---|---|---|---|---|\n"
    "| S | Spoofing | Authentication | Pretending to be someone else | Processes, persons | Identification and "
    "Authentication | Falsely claiming to be the head of state. |\n"
    "| T | Tampering | Integrity | Modify data at rest or in transit | Data flows, processes | Cryptographic | "
    "Removing packets from a network. |\n"
    "| R | Repudiation | Non-Repudiation | Claiming you did not do something | Processes | Logs | "
    '"I did not press the red button". |\n'
    "| D | Denial of Service | Availability | Absorbing resources needed by a service | Processes | Careful design | "
    "A program tricked into using all resources. |\n"
)


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_a_stride_primer_with_mitigation_options_holds_no_threat(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "primer.md"
    path.write_text(_PRIMER, encoding="utf-8")
    if fmt == "docx":
        path = word_from_markdown(_PRIMER, tmp_path / "primer.docx")
    # before: four "threats" titled by their examples ("Falsely claiming to be the head of state") and four
    # controls made of the mitigation options; now nothing is a threat, and the import says why
    with pytest.raises(InputError, match="STRIDE definitions table|no threat-model content"):
        checked_import(path)
