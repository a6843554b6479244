"""Mitigations a threat calls for are not mitigations in place.

"| Required Controls |" in a register, or "**Required controls:**" under a threat, lists what the threat
needs: the controls made from them are planned, as under "Recommended" or "Potential". And a label that
says so keeps saying it when it shares a paragraph with the label above it (no blank line between
"**Description:** …" and "**Potential mitigations:** …"): the controls read "implemented (not stated)".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importers.import_helpers import load_text


@pytest.mark.parametrize("header", ["Required Controls", "Mitigations required", "Mitigation needed", "Required countermeasures"])
def test_a_required_controls_column_makes_planned_controls(tmp_path: Path, header: str) -> None:
    model, _report = load_text(
        tmp_path,
        f"# Register\n\n| ID | Threat | {header} |\n|---|---|---|\n| T-1 | Log tampering | Audit logs are hash chained |\n",
    )
    assert [(c.title, c.status, c.status_stated) for c in model.controls] == [("Audit logs are hash chained", "planned", True)]


@pytest.mark.parametrize("blank", ["\n\n", "\n"])
@pytest.mark.parametrize(("label", "status"), [("Required controls", "planned"), ("Potential mitigations", "planned")])
def test_a_planned_label_in_the_same_paragraph_still_says_planned(tmp_path: Path, blank: str, label: str, status: str) -> None:
    model, report = load_text(
        tmp_path,
        "# Pump threat model\n\n### T-1 Spoofed drug library server\n\n"
        f"**Description:** An attacker pushes a forged drug library.{blank}"
        f"**{label}:** Libraries are signed and verified on the pump.\n",
    )
    assert [(c.title, c.status, c.status_stated) for c in model.controls] == [
        ("Libraries are signed and verified on the pump", status, True)
    ]
    assert model.threats[0].description == "An attacker pushes a forged drug library."


def test_an_empty_mitigation_in_the_same_paragraph_is_kept(tmp_path: Path) -> None:
    """ "**Mitigation:** N/A" right under the description: no control, and the value is kept in extra."""
    model, _report = load_text(
        tmp_path,
        "# Pump threat model\n\n### T-1 Spoofed drug library server\n\n"
        "**Description:** An attacker pushes a forged drug library.\n**Mitigation:** N/A\n",
    )
    assert model.controls == []
    assert model.threats[0].extra == {"Mitigation": "N/A"}
