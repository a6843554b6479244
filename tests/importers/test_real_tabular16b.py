"""Layouts of real registers written by other people (tests/data/registers-real/SOURCES.md, "Round 16b (tabular)"),
each as a short paraphrased excerpt in the same shape, read as CSV and as a workbook laid out as people keep one (a
merged title row, a two-row header, a notes row below the table)."""

from __future__ import annotations

from pathlib import Path

from tests.importers.import_helpers import run_import, warning_messages
from tests.importers.test_real_tabular14 import _book, _both, _rows
from tests.importers.test_real_tabular16 import _RISK_REGISTER, _TREATMENT

# -- a small office's register whose existing controls name part measures ("Partial enrollment")

_PART = (
    "risk_id,domain,risk_statement,likelihood,impact,inherent_score,existing_control,residual_score,priority,owner\n"
    "R-01,Identity,Two users are not enrolled in MFA,4,5,20,Partial enrollment,16,Critical,Office Manager\n"
    "R-02,Patching,Workstations are patched late,3,4,12,Ad hoc updates,9,High,Office Manager\n"
    "R-03,Resilience,Client files could be lost to ransomware,3,5,15,Offsite backup partially deployed,12,High,Owner\n"
    "R-04,Email,Staff open a forged invoice,3,4,12,Mail filtering in place,9,Medium,Owner\n"
)


def test_an_existing_control_named_as_a_part_measure_is_not_counted_in_place(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _PART, "part", ("Risk assessment", ["likelihood", "impact", "inherent_score"])):
        by_title = {c.title: c for c in model.controls}
        # before: "Partial enrollment" stated implemented by the existing_control header
        assert (by_title["Partial enrollment"].status, by_title["Partial enrollment"].status_stated) == ("planned", True)
        assert by_title["Offsite backup partially deployed"].status == "planned"
        assert (by_title["Ad hoc updates"].status, by_title["Ad hoc updates"].status_stated) == ("implemented", True)
        assert by_title["Mail filtering in place"].status == "implemented"
        assert len(model.threats) == 4
        assert any("'Partial' in its text: in place only in part" in w for w in warning_messages(report))


# -- a control list whose status names the stage of the work each control comes in

_THREATS = (
    "ID,Threat\nT-01,Drug library replaced on the pump\nT-02,Dose log read off the gateway\n"
    "T-03,Alarm silenced remotely\nT-04,Firmware downgraded\n"
)
_STAGED = (
    "Control ID,Control,Threat ID,Status\n"
    "C-01,Signed drug library,T-01,Milestone 3\n"
    "C-02,Encrypted storage,T-02,Future work\n"
    "C-03,Authenticated commands,T-03,Phase 2\n"
    "C-04,Anti-rollback counter,T-04,Implemented\n"
)


def test_a_control_status_naming_a_later_stage_is_planned(tmp_path: Path) -> None:
    (tmp_path / "threats.csv").write_text(_THREATS, encoding="utf-8")
    (tmp_path / "controls.csv").write_text(_STAGED, encoding="utf-8")
    book = _book(tmp_path / "tm.xlsx", {"Threats": _rows(_THREATS), "Controls": _rows(_STAGED)})
    for model, report in (run_import(tmp_path / "threats.csv", tmp_path / "controls.csv"), run_import(book)):
        got = {c.id: (c.status, c.status_stated, c.extra.get("Status")) for c in model.controls}
        # before: "Milestone 3" and "Phase 2" not understood (warned), the controls read implemented, not stated
        assert got == {
            "C-01": ("planned", True, "Milestone 3"),
            "C-02": ("planned", True, "Future work"),
            "C-03": ("planned", True, "Phase 2"),
            "C-04": ("implemented", True, None),
        }
        said = warning_messages(report)
        assert not any("not understood" in w for w in said)
        assert any("'Milestone 3' names a stage of the work: read as planned" in w for w in said)


def test_a_treatment_plans_measures_are_planned(tmp_path: Path) -> None:
    register, plan = tmp_path / "risk-register.csv", tmp_path / "risk-treatment-plan.md"
    register.write_text(_RISK_REGISTER, encoding="utf-8")
    plan.write_text(_TREATMENT, encoding="utf-8")
    rows = [r.strip("|").split("|") for r in _TREATMENT.splitlines() if r.startswith("| ") and "---" not in r]
    book = _book(tmp_path / "isms.xlsx", {"Risk register": _rows(_RISK_REGISTER), "Treatment plan": [[c.strip() for c in r] for r in rows]})
    for model, report in (run_import(register, plan), run_import(book)):
        # before: the plan's measures read implemented (status not stated) while every risk says "Mitigate"
        assert [(c.status, c.status_stated) for c in model.controls] == [("planned", True)] * 3
        said = "treatment plan with no status column: the measures of 'Treatment' read as planned"
        assert any(said in w for w in warning_messages(report))
    # a plan that says what is done keeps its statuses
    done = _TREATMENT.replace("| Priority |\n|---|---|---|---|", "| Priority | Status |\n|---|---|---|---|---|")
    done = done.replace("| Critical |\n", "| Critical | Done |\n").replace("| High |\n", "| High | In progress |\n")
    plan.write_text(done, encoding="utf-8")
    model, _report = run_import(register, plan)
    assert [c.status for c in model.controls] == ["implemented", "implemented", "planned"]


# -- a DREAD ranking: the five factors scored 1-10 and a "Total" that sums them (out of 50), no level stated

_DREAD = (
    "Rank,Threat ID,Threat,Damage,Reproducibility,Exploitability,Affected users,Discoverability,Total\n"
    "1,PUMP-S01,Signing key of the drug library stolen from the build server,10,7,6,10,7,40\n"
    "2,PUMP-T02,Dose limits changed through the service port,9,8,7,6,6,36\n"
    "3,PUMP-I01,Infusion history read off the gateway share,7,8,8,6,6,35\n"
    "4,PUMP-D01,Gateway flooded with pairing requests,5,9,8,4,4,30\n"
)


def test_a_dread_total_is_the_risk_score_of_its_factors(tmp_path: Path) -> None:
    group = ("DREAD", ["Damage", "Reproducibility", "Exploitability", "Affected users", "Discoverability"])
    for model, report in _both(tmp_path, _DREAD, "dread", group):
        assert [t.id for t in model.threats] == ["PUMP-S01", "PUMP-T02", "PUMP-I01", "PUMP-D01"]
        risks = [t.risk for t in model.threats]
        # before: "Total" not read (kept in extra): no score and no level
        assert [(r.score, r.scale) for r in risks if r] == [
            (40.0, "1-50 (inferred)"),
            (36.0, "1-50 (inferred)"),
            (35.0, "1-50 (inferred)"),
            (30.0, "1-50 (inferred)"),
        ]
        assert [r.level for r in risks if r] == ["critical", "high", "high", "high"]  # shares of 50: 0.8, 0.72, 0.7, 0.6
        assert any("'Total' is the sum of DREAD's five factors" in w for w in warning_messages(report))
    # the average of the factors is read on their own scale
    average = _DREAD.replace(",Total\n", ",Average\n").replace(",40\n", ",8.0\n").replace(",36\n", ",7.2\n")
    average = average.replace(",35\n", ",7.0\n").replace(",30\n", ",6.0\n")
    model, report = next(_both(tmp_path, average, "dread-average"))
    assert [t.risk.score if t.risk else None for t in model.threats] == [8.0, 7.2, 7.0, 6.0]
    assert any("'Average' is the average of DREAD's five factors" in w for w in warning_messages(report))


def test_a_total_that_is_not_the_dread_sum_is_kept_as_written(tmp_path: Path) -> None:
    weighted = _DREAD.replace(",40\n", ",44\n")  # one row weighted some other way: the table states no rule
    model, report = next(_both(tmp_path, weighted, "weighted"))
    assert [t.risk.score if t.risk else None for t in model.threats] == [None] * 4
    assert [t.extra["Total"] for t in model.threats] == ["44", "36", "35", "30"]
    assert not any("DREAD" in w for w in warning_messages(report))


def test_a_dread_total_beside_a_stated_priority_keeps_the_priority_as_the_level(tmp_path: Path) -> None:
    # a PASTA write-up's "Threat Scenario | Damage | … | Total Score | Priority": the priority is the stated level
    rows = _DREAD.replace(",Total\n", ",Total Score,Priority\n").replace(",40\n", ",40,Critical\n")
    rows = rows.replace(",36\n", ",36,High\n").replace(",35\n", ",35,High\n").replace(",30\n", ",30,Medium\n")
    for model, _report in _both(tmp_path, rows, "pasta"):
        # before: the priority read as the risk, the total kept in extra (no score)
        assert [(t.risk.score, t.risk.level) if t.risk else None for t in model.threats] == [
            (40.0, "critical"),
            (36.0, "high"),
            (35.0, "high"),
            (30.0, "medium"),
        ]
