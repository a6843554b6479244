"""A control status "Deferred", "Status: deferred" or "Postponed to 2.1" says the control is on a plan, not that it
was given up: "Deferred" read as not implemented, and "Postponed to 2.1" was not understood at all, so the control was
read as implemented (assumed) and counted as partial evidence. Both are planned now, and what the cell says beyond
the status word (the release or date it moved to) is kept as written. A deferral with no end ("Deferred
indefinitely", "Deferred - risk accepted") is no plan: not implemented."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.mapping.engine import map_model
from tests.importers.import_helpers import load_text, warning_messages

DOC = """# Controls

| ID | Control | Category | Status |
|---|---|---|---|
| C-1 | Role-based access control for service functions | Authorization | Deferred |
| C-2 | Encrypted backups with AES-256 | Cryptography | Postponed to 2.1 |
| C-3 | Bluetooth pairing PIN | Authentication | Status: deferred |
| C-4 | Signed firmware images verified by the bootloader | Code, data and execution integrity | Deferred to Q3 2027 |
| C-5 | Audit log of every dose change | Event detection and logging | postponed until 2027-06-30 |
| C-6 | USB port lock | Authorization | Deferred indefinitely |
| C-7 | Session timeout on the service console | Authentication | Implemented |
| C-8 | Network segmentation guide | Other | Planned for release 3.0 |
| C-9 | Remote wipe | Other | Deferred - risk accepted |
"""


@pytest.mark.parametrize("cid", ["C-1", "C-2", "C-3", "C-4", "C-5", "C-8"])
def test_a_deferred_or_postponed_control_is_planned(tmp_path: Path, cid: str) -> None:
    model, report = load_text(tmp_path, DOC)
    c = next(c for c in model.controls if c.id == cid)
    assert (c.status, c.status_stated) == ("planned", True)
    assert not any("not understood" in w and c.id in w for w in warning_messages(report))


KEPT = [
    ("C-2", "Postponed to 2.1"),
    ("C-4", "Deferred to Q3 2027"),
    ("C-5", "postponed until 2027-06-30"),
    ("C-8", "Planned for release 3.0"),
]


@pytest.mark.parametrize(("cid", "written"), KEPT)
def test_the_release_or_date_it_moved_to_is_kept(tmp_path: Path, cid: str, written: str) -> None:
    model, _ = load_text(tmp_path, DOC)
    c = next(c for c in model.controls if c.id == cid)
    assert c.extra["Status"] == written


def test_a_bare_status_word_is_not_copied(tmp_path: Path) -> None:
    model, _ = load_text(tmp_path, DOC)
    assert "Status" not in next(c for c in model.controls if c.id == "C-1").extra
    assert "Status" not in next(c for c in model.controls if c.id == "C-7").extra


def test_a_deferral_with_no_end_is_not_a_plan(tmp_path: Path) -> None:
    model, _ = load_text(tmp_path, DOC)
    assert next(c for c in model.controls if c.id == "C-6").status == "not_implemented"
    given_up = next(c for c in model.controls if c.id == "C-9")  # the risk is accepted instead
    assert (given_up.status, given_up.extra["Status"]) == ("not_implemented", "Deferred - risk accepted")


def test_coverage_counts_a_postponed_control_as_planned_only(tmp_path: Path) -> None:
    model, _ = load_text(tmp_path, DOC)
    result = map_model(model)
    for fw in result.frameworks:
        for cl in fw.clauses:
            if "C-2" in cl.evidence:
                assert "planned" in cl.rationale, (fw.id, cl.id, cl.rationale)
    # only C-7 is in place
    implemented = {c.id for c in model.controls if c.status == "implemented"}
    assert implemented == {"C-7"}
