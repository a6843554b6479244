"""A control status "Accepted", "Risk accepted", "N/A" or "Not applicable" says no control is in place: the risk is
accepted instead, or the control does not apply. It stayed "not stated" (read as implemented, assumed) and so
counted as partial evidence of implemented controls; it is read as not implemented, the cell kept as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.mapping.engine import map_model
from tests.importers.import_helpers import load_text, warning_messages

DOC = """# Controls

| ID | Control | Category | Status |
|---|---|---|---|
| C-1 | Role-based access control for service functions | Authorization | Accepted |
| C-2 | Encrypted backups with AES-256 | Cryptography | Risk accepted |
| C-3 | Bluetooth pairing PIN | Authentication | N/A |
| C-4 | Signed firmware images verified by the bootloader | Code, data and execution integrity | Not applicable |
| C-5 | Audit log of every dose change | Event detection and logging | Implemented |
| C-6 | USB port lock | Authorization | accepted risk |
"""


WRITTEN = [("C-1", "Accepted"), ("C-2", "Risk accepted"), ("C-3", "N/A"), ("C-4", "Not applicable"), ("C-6", "accepted risk")]


@pytest.mark.parametrize(("cid", "written"), WRITTEN)
def test_accepted_and_not_applicable_are_no_control_in_place(tmp_path: Path, cid: str, written: str) -> None:
    model, report = load_text(tmp_path, DOC)
    c = next(c for c in model.controls if c.id == cid)
    assert (c.status, c.status_stated) == ("not_implemented", True)
    assert c.extra["Status"] == written  # what the status says beyond "not in place" is kept
    assert not any(written in w and "not understood" in w for w in warning_messages(report))


def test_coverage_counts_none_of_them(tmp_path: Path) -> None:
    model, _ = load_text(tmp_path, DOC)
    assert next(c for c in model.controls if c.id == "C-5").status == "implemented"
    evidence = {x for fw in map_model(model).frameworks for cl in fw.clauses for x in cl.evidence}
    assert "C-5" in evidence
    assert not evidence & {"C-1", "C-2", "C-3", "C-4", "C-6"}
