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
