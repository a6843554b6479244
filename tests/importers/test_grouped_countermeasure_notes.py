"""A countermeasure bullet under "**Mitigations:**" whose closing note defers it ("Optional local audit log (planned)")
is planned, not a control in place: it answers no clause that asks for implemented controls."""

from __future__ import annotations

from pathlib import Path

from mdptm.mapping.engine import map_model
from tests.importers.import_helpers import checked_import as load

DATA = Path(__file__).resolve().parent.parent / "data" / "markdown-real"

DOC = """# Extension threat model

### R — Repudiation

**Risks:**

- Hard to prove who changed rule bundles

**Mitigations:**

- User confirmation flows for rule changes
- Optional local audit log (planned)
- Event log kept on the device (future enhancement)
"""


def _controls(tmp_path: Path) -> dict[str, tuple[str, bool]]:
    src = tmp_path / "tm.md"
    src.write_text(DOC, encoding="utf-8")
    model, _ = load(src)
    return {c.title: (c.status, c.status_stated) for c in model.controls}


def test_a_grouped_countermeasure_deferred_by_its_note_is_planned(tmp_path: Path) -> None:
    got = _controls(tmp_path)
    assert got["Optional local audit log (planned)"] == ("planned", True)
    assert got["Event log kept on the device (future enhancement)"] == ("planned", True)
    # a countermeasure with no such note keeps no stated status (listed as a mitigation)
    assert got["User confirmation flows for rule changes"][1] is False


def test_guardon_planned_audit_log_answers_no_logging_clause() -> None:
    model, _ = load(DATA / "guardon-threat-model.md")
    (log,) = [c for c in model.controls if c.title == "Optional local audit log (planned)"]
    assert log.status == "planned" and log.status_stated
    results = {fw.id: {c.id: c for c in fw.clauses} for fw in map_model(model).frameworks}
    # a planned logging control is named as planned (the catalogue counts a plan as partial), never as in place
    for fw, clause in (("cra-annex-i", "I.2.l"), ("fda-premarket", "control.event_logging")):
        got = results[fw][clause]
        assert "1 planned event logging control (M-9)" in got.rationale, (fw, clause, got.rationale)
        assert "is implemented" not in got.rationale
    # where the clause asks for controls in place, it is not counted
    access = results["cra-annex-i"]["I.2.d"]
    assert log.id not in access.evidence and "reporting of unauthorised access: no implemented event logging" in access.rationale


TABLE = """# Threat model

## Controls

| ID | Control | Description |
|----|---------|-------------|
| C-1 | Audit logging (planned) | Audit log of service logins |
| C-2 | Secure boot | Signed images verified by ROM |
| C-3 | Encrypted backups | Nightly backups of the configuration (future enhancement) |

## Threats

| ID | Threat | Controls |
|----|--------|----------|
| T-1 | Tampering with firmware | C-2 |
| T-2 | Repudiation of service logins | C-1, C-3 |
"""


def test_a_control_row_deferred_by_its_closing_note_is_planned(tmp_path: Path) -> None:
    """A control table with no status column: "Audit logging (planned)" read as listed (implemented, not stated) had
    the rationale of FDA control.event_logging ask to confirm it is implemented, though its title says it is planned."""
    src = tmp_path / "tm.md"
    src.write_text(TABLE, encoding="utf-8")
    model, report = load(src)
    got = {c.id: (c.status, c.status_stated) for c in model.controls}
    assert got == {"C-1": ("planned", True), "C-2": ("implemented", False), "C-3": ("planned", True)}
    assert any("control C-1: 'planned' read as planned, not in place" in w.message for w in report.warnings)
    logging = next(
        c for fw in map_model(model).frameworks if fw.id == "fda-premarket" for c in fw.clauses if c.id == "control.event_logging"
    )
    assert "1 planned event logging control (C-1)" in logging.rationale and "no source states" not in logging.rationale
