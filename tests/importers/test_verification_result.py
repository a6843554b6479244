"""A traceability table's result column ("| Verification | Result |") that says a test did not pass keeps that
test out of the control's verification evidence: "TC-202 | Fail — fix planned for 2.1" had made SR-09 count as
verified in the coverage."""

from __future__ import annotations

from pathlib import Path

from tests.importers.import_helpers import load_text, warning_messages

DOC = """# Requirements

## Security Requirements Traceability

| Req ID | Requirement | Verification | Result |
|---|---|---|---|
| SR-03 | Pairing shall require a passkey | TC-101 | Pass |
| SR-09 | API shall limit exports to 1000 records per hour | TC-202 | Fail — fix planned for 2.1 |
| SR-10 | Logs shall be signed | TC-301 | Not run |
| SR-11 | Sessions shall expire after 15 minutes | TC-302 | Passed |
"""


def test_a_verification_that_did_not_pass_is_no_evidence(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, DOC)
    controls = {c.id: c for c in model.controls}
    assert controls["SR-03"].verification == ["TC-101"]
    assert controls["SR-11"].verification == ["TC-302"]
    assert controls["SR-09"].verification == [] and controls["SR-09"].extra["Verification"] == "TC-202"
    assert controls["SR-10"].verification == [] and controls["SR-10"].extra["Result"] == "Not run"
    assert any("'TC-202'" in w and "did not pass ('Fail — fix planned for 2.1')" in w for w in warning_messages(report))
