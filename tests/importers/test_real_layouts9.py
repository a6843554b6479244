"""Layouts of real threat models written by other people (tests/data/markdown-real/SOURCES.md, "round 9"), each as
a short excerpt in the same shape, read alike in Markdown and in Word (tests/importers/md_word.py)."""

from __future__ import annotations

from pathlib import Path

from tests.importers.import_helpers import checked_import, load_text
from tests.importers.md_word import word_from_markdown


def _both(tmp_path: Path, text: str) -> list:
    """The model of *text* read as Markdown and as the same text in Word."""
    md = load_text(tmp_path, text)
    word = checked_import(word_from_markdown(text, tmp_path / "tm.docx"))
    return [md, word]


# -- an OT risk register report: "| Risk ID | Risk | Level | Treatment | Owner | Due |", no score, no status

_TOP_RISKS = (
    "# Risk Register Report\n\n## 3. Results\n\n### Top risks\n"
    "| Risk ID | Risk | Level | Treatment | Owner | Due |\n|---|---|---|---|---|---|\n"
    "| R-001 | Ransomware from business IT spreads to SCADA servers | High | OT DMZ; remove remote desktop to HMIs | "
    "SCADA Supervisor | 2027-01-31 |\n"
    "| R-002 | Attacker uses the integrator's always-on remote access | High | Jump host with named accounts, MFA | "
    "IT Manager | 2026-11-30 |\n"
    "| R-032 | Internet-exposed well-pad modems with default passwords | Moderate | Private network only | "
    "SCADA Supervisor | 2026-09-30 |\n"
    "| R-006 | Unapproved PLC logic change alters an injection limit | Moderate | Change requests, peer review | "
    "SCADA Supervisor | 2026-12-31 |\n"
)


def test_a_level_column_beside_no_rating_is_the_risk_level(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _TOP_RISKS):
        # before: no risk at all ("Level" kept in extra only)
        assert [t.risk.level if t.risk else None for t in model.threats] == ["high", "high", "medium", "medium"]
        assert any("'Level' states each row's risk level" in w.message for w in report.warnings)


def test_a_treatment_with_a_due_date_and_no_status_is_a_plan(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _TOP_RISKS):
        # before: every treatment "implemented" (not stated), as if in place
        assert [(c.status, c.status_stated) for c in model.controls] == [("planned", True)] * 4
        assert [len(t.controls) for t in model.threats] == [1, 1, 1, 1]
        assert any("due 2027-01-31 (column 'Due')" in w.message for w in report.warnings)


_STATUS_AND_DUE = (
    "## Risks\n\n| Risk ID | Risk | Treatment | Status | Due |\n|---|---|---|---|---|\n"
    "| R-1 | Stolen laptop exposes patient exports | Full-disk encryption | Mitigated | 2026-01-31 |\n"
    "| R-2 | Phishing of clinician accounts | MFA for every account | Mitigated | 2026-03-31 |\n"
)


def test_a_due_date_beside_a_stated_status_changes_nothing(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, _STATUS_AND_DUE)
    assert [t.status for t in model.threats] == ["mitigated", "mitigated"]
    assert not any(c.status == "planned" for c in model.controls)


# -- a DCB0129 clinical hazard log: "| ID | Hazard | Cause | Mitigation |", one mitigation closing on
# "(future enhancement)"

_HAZARD_LOG = (
    "# Clinical Safety Case\n\n## Hazard log (top-level)\n\n"
    "| ID | Hazard | Cause | Mitigation |\n| --- | --- | --- | --- |\n"
    "| H-01 | Incorrect band displayed | Engine rule bug | Unit tests on the grader covering each cut-off |\n"
    "| H-06 | Stale assessment used | Days-old score used at clinic appointment | Each assessment timestamped |\n"
    "| H-08 | Data loss | Browser crash | LocalStorage autosave (future enhancement) |\n\n"
    "## Verification evidence\n\n- Unit tests on every band.\n- Manual review against worked examples.\n"
)


def test_a_mitigation_closing_on_future_enhancement_is_planned(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _HAZARD_LOG):
        assert [t.id for t in model.threats] == ["H-01", "H-06", "H-08"]
        # before: "LocalStorage autosave (future enhancement)" read as a control in place
        status = {c.title: (c.status, c.status_stated) for c in model.controls}
        assert status["LocalStorage autosave (future enhancement)"] == ("planned", True)
        assert status["Each assessment timestamped"] == ("implemented", False)
        assert len(model.controls) == 3
        assert any("'future enhancement' read as planned" in w.message for w in report.warnings)
