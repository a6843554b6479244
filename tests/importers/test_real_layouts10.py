"""Layouts of real threat models written by other people (tests/data/markdown-real/SOURCES.md, "round 10"), each as
a short paraphrased excerpt in the same shape, read alike in Markdown and in Word (tests/importers/md_word.py)."""

from __future__ import annotations

from pathlib import Path

from tests.importers.import_helpers import reconciles, skipped
from tests.importers.md_word import both as _both

# -- STRIDE per element: one table per element, a row per category with "Applicable?" and the threat's id, then a
# register keyed by the same ids and mitigation sections naming the threats they address

_PER_ELEMENT = (
    "# Threat Model: Content Builder\n\n## STRIDE Analysis\n\n### Element: Upstream Fetch (DF-1)\n"
    "**Type:** data flow\n\n"
    "| STRIDE Category | Applicable? | Threat Description | Threat ID |\n|---|---|---|---|\n"
    "| **S**poofing | Yes | A hijacked upstream account delivers content that looks legitimate | T-001 |\n"
    "| **T**ampering | Yes | Content altered in transit between upstream and the local copy | T-002 |\n"
    "| **R**epudiation | No | Every fetch is logged locally | -- |\n"
    "| **I**nformation Disclosure | No | The fetch sends no user data | -- |\n"
    "| **D**enial of Service | Yes | The upstream is unreachable and updates stop | T-003 |\n"
    "| **E**levation of Privilege | No | The fetch runs with the user's rights only | -- |\n\n"
    "## Risk Assessment\n\n### Threat Register\n\n"
    "| Threat ID | Threat | STRIDE | Element | Likelihood | Impact | Risk Level | Mitigation ID |\n"
    "|---|---|---|---|---|---|---|---|\n"
    "| T-001 | Upstream account takeover | S | DF-1 | Low | High | Moderate | M-001 |\n"
    "| T-002 | Transport tampering | T | DF-1 | Low | High | Low | M-001 |\n\n"
    "## Mitigations\n\n### M-001: Pinned copies by commit hash\n\n"
    "- **Threat(s) addressed:** T-001, T-002\n- **Description:** Content is copied at a pinned commit.\n"
    "- **Status:** implemented\n\n"
    "### M-002: Cached last good copy\n\n- **Threat(s) addressed:** T-003\n"
    "- **Description:** The last accepted copy stays usable offline.\n- **Status:** implemented\n"
)


def test_stride_per_element_rows_that_apply_are_threats_and_the_others_are_skipped(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _PER_ELEMENT):
        # before: the table was skipped as "STRIDE definitions" (T-003 lost) and only the register's rows read
        assert [t.id for t in model.threats] == ["T-001", "T-002", "T-003"]
        assert [t.stride for t in model.threats] == [["spoofing"], ["tampering"], ["denial_of_service"]]
        assert model.threats[2].description.startswith("The upstream is unreachable")
        assert model.threats[0].title == "Upstream account takeover"  # the register's title joins the row by id
        notes = [s for s in skipped(report) if "not applicable to the element" in s]
        assert len(notes) == 3 and any("sends no user data" in n for n in notes)
        assert reconciles(report)


def test_threats_addressed_label_links_a_mitigation_section(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _PER_ELEMENT):
        # before: "Threat(s) addressed" was kept in extra, so T-003 had no control
        links = {t.id: t.controls for t in model.threats}
        assert links == {"T-001": ["M-001"], "T-002": ["M-001"], "T-003": ["M-002"]}


def test_a_stride_table_without_applicability_is_still_a_primer(tmp_path: Path) -> None:
    primer = (
        "## STRIDE Categories\n\n| Category | Description |\n|---|---|\n| Spoofing | Pretending to be someone else |\n"
        "| Tampering | Modifying data |\n| Repudiation | Denying an action |\n| Information Disclosure | Exposing data |\n"
        "| Denial of Service | Making it unavailable |\n| Elevation of Privilege | Gaining rights |\n\n"
        "## Threats\n\n| ID | Threat | Mitigation |\n|---|---|---|\n| T1 | Stolen session token | Short-lived tokens |\n"
    )
    for model, _report in _both(tmp_path, primer):
        assert [t.id for t in model.threats] == ["T1"]
