"""Layouts of real registers written by other people (tests/data/registers-real/SOURCES.md, "Round 18 (tabular)"),
each as a short paraphrased excerpt in the same shape, read as CSV and as a workbook laid out as people keep one (a
merged title row, a two-row header, a notes row below the table)."""

from __future__ import annotations

from pathlib import Path

from tests.importers.import_helpers import warning_messages
from tests.importers.test_real_tabular14 import _both

# -- a diagnostic algorithm's clinical risk register: the risks named in the first column ("Risk"), rated in words,
# each with its mitigation and the role that owns it; no id, no status

_CLINICAL = (
    "Risk,Impact,Likelihood,Mitigation,Owner\n"
    'Missed finding on a scan,High,Medium,"Validation on sensitivity, a clinician reviews each result",Clinical Lead\n'
    "Training data skewed to one site,High,Medium,Validation per patient subgroup on local data,Data Lead\n"
    'Results land on the wrong record,High,Medium,"Input checks, interface tests and audit logs",IT Lead\n'
)


def test_a_clinical_register_with_an_owner_column_gives_its_risks(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _CLINICAL, "clinical", ("Rating", ["Impact", "Likelihood"])):
        # before: a control table (the mitigation its title, the owner its responsibility): three controls, no threat
        assert [t.title for t in model.threats] == [
            "Missed finding on a scan",
            "Training data skewed to one site",
            "Results land on the wrong record",
        ]
        assert len(model.controls) == 3
        assert [len(t.controls) for t in model.threats] == [1, 1, 1]
        assert [t.risk.likelihood for t in model.threats if t.risk is not None] == ["Medium"] * 3


# -- a site's risk register exported by a script: camel-case headers ("RiskLevel", "TreatmentPlan"), each treatment a
# sentence of measures; some of those sentences hold a status word ("monitor", "transfer", "complete")

_PLANT = (
    "Risk ID,Risk Name,Likelihood,Impact,Risk Score,RiskLevel,TreatmentPlan,Status\n"
    "R-01,Phishing of plant staff,4,5,20,High,Turn on MFA and run awareness training.,Closed\n"
    "R-02,Leak in a boiler tube,3,5,15,High,Inspect tube walls at each outage and monitor the boiler trends.,Open\n"
    "R-03,Spill while moving chemicals,2,4,8,Medium,Check transfer hoses and hold spill drills.,Open\n"
    "R-04,Arc flash on a panel,2,5,10,Medium,Follow lockout procedures and complete a yearly arc flash study.,Open\n"
    "R-05,Pump bearing failure,3,4,12,Medium,Monitor vibration and keep a spare pump.,Open\n"
)


def test_a_camel_case_treatment_plan_gives_the_measures(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _PLANT, "plant"):
        # before: "TreatmentPlan" kept in extra (no measure), "Treatment Plan" read; and the treatments holding a status
        # word ("monitor", "transfer", "complete") read as decisions: no control at all for
        by_id = {t.id: t for t in model.threats}
        assert [len(by_id[i].controls) for i in ("R-01", "R-02", "R-03", "R-04")] == [1, 1, 1, 1]
        titles = sorted(c.title for c in model.controls)
        assert "Check transfer hoses and hold spill drills" in titles
        assert "Inspect tube walls at each outage and monitor the boiler trends" in titles
        # a sentence opened by a decision word stays a decision, and the import says so naming it
        assert by_id["R-05"].controls == []
        assert any(
            "'Monitor vibration and keep a spare pump.' (column 'TreatmentPlan') read as a decision" in w for w in warning_messages(report)
        )
        assert [by_id[i].status for i in ("R-01", "R-02")] == ["mitigated", "open"]
