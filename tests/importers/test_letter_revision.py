"""A cover sheet's "Revision | C" is the document's version: a letter revision (A, B, C …) was dropped because "C"
also heads a C/I/A column."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.importers.import_helpers import checked_import


def _workbook(path: Path, revision: str) -> Path:
    wb = openpyxl.Workbook()
    cover = wb.active
    assert cover is not None
    cover.title = "Cover"
    for row in (["Product", "CardioView Monitor"], ["Revision", revision]):
        cover.append(row)
    threats = wb.create_sheet("Threats")
    threats.append(["ID", "Threat", "STRIDE", "Mitigation"])
    threats.append(["TR-1", "Spoofed central station silences alarms", "S", "Mutual TLS"])
    wb.save(path)
    return path


@pytest.mark.parametrize("revision", ["C", "AB", "B2", "3.1"])
def test_a_letter_revision_is_the_document_version(tmp_path: Path, revision: str) -> None:
    model, _report = checked_import(_workbook(tmp_path / "register.xlsx", revision))
    assert model.document.version == revision
    assert [t.id for t in model.threats] == ["TR-1"]
