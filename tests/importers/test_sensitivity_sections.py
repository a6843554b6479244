"""A Markdown section headed for a sensitivity ("Confidential", "Internal threats") keeps its table rows out of the PTM."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importers.import_helpers import run_import, warnings_with

TABLE = "| ID | Threat | STRIDE | Component | Status |\n|---|---|---|---|---|\n| {id} | {title} | T | Pump | Open |\n"


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("## Confidential", "confidential"),
        ("## Internal threats (do not publish)", "confidential"),  # set apart: withheld whatever the drop list
        ("## Confidential\n\n### Threats", "confidential"),  # under a sensitive heading, however deep
        ("## Threats", "public"),
        ("## No authentication", "public"),  # a heading that only contains a sensitivity word
    ],
)
def test_rows_under_a_sensitive_heading_take_its_sensitivity(tmp_path: Path, heading: str, expected: str) -> None:
    text = "# Pump threat model\n\n## Threats\n\n" + TABLE.format(id="T-1", title="Spoofed pump")
    text += f"\n{heading}\n\n" + TABLE.format(id="T-9", title="Backdoor account in the service menu")
    path = tmp_path / "tm.md"
    path.write_text(text, encoding="utf-8")
    model, report = run_import(path)
    got = {t.id: t.sensitivity for t in model.threats}
    assert got == {"T-1": "public", "T-9": expected}
    assert bool(warnings_with(report, "so not published")) == (expected != "public")


def test_a_stated_sensitivity_wins_over_the_heading(tmp_path: Path) -> None:
    text = "# TM\n\n## Internal\n\n| ID | Threat | STRIDE | Component | Status | Sensitivity |\n|---|---|---|---|---|---|\n"
    text += "| T-1 | Spoofed pump | S | Pump | Open | Public |\n| T-2 | Replay | T | Pump | Open | |\n"
    path = tmp_path / "tm.md"
    path.write_text(text, encoding="utf-8")
    model, _ = run_import(path)
    assert {t.id: t.sensitivity for t in model.threats} == {"T-1": "public", "T-2": "confidential"}
