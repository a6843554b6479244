"""A status cell that says done, then takes it back ("Implemented in the next release", "Mitigated - fix planned
for 2.1") or asks ("Implemented?"), is not read as done: a control is planned, a threat open, a question states
nothing. Before, the first word won and the mapping counted such controls as implemented."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from mdptm.importers.tabular.vocab import parse_choice, parse_status, vocabulary
from tests.importers.import_helpers import run_import


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Implemented in v3.1 (next release)", "planned"),
        ("Implemented - planned for v2", "planned"),
        ("Implemented; not yet deployed", "planned"),
        ("Implemented?", None),
        ("Implemented (pending verification)", "implemented"),  # in place, not yet verified
        ("Implemented. A second factor is planned for 2.0", "implemented"),  # its first sentence says done
        ("Done", "implemented"),
    ],
)
def test_control_status(text: str, expected: str | None) -> None:
    assert parse_choice(vocabulary(), "control_status", text).value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mitigated in next release", "open"),
        ("Mitigated (fix planned for 2.1)", "open"),
        ("Mitigated (pending fix)", "open"),
        ("Mitigated?", None),
        ("Mitigated (verified)", "mitigated"),
        ("Accepted. Any report is treated as a bug.", "accepted"),
    ],
)
def test_threat_status(text: str, expected: str | None) -> None:
    assert parse_status(vocabulary(), text).value == expected


def test_register_rows(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Controls"
    ws.append(["ID", "Control", "Category", "Status"])
    ws.append(["C-1", "Signed firmware", "Integrity", "Implemented"])
    ws.append(["C-2", "Database encryption", "Cryptography", "Implemented in release 3.1 (next release)"])
    ws.append(["C-3", "Audit log", "Event logging", "Implemented?"])
    path = tmp_path / "controls.xlsx"
    wb.save(path)
    model, _ = run_import(path)
    got = {c.id: (c.status, c.status_stated) for c in model.controls}
    assert got["C-1"] == ("implemented", True)
    assert got["C-2"] == ("planned", True)
    assert got["C-3"][1] is False  # a question states no status: mdptm's reading, capped by the mapping
