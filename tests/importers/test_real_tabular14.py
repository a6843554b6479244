"""Layouts of real tabular registers written by other people (tests/data/registers-real/SOURCES.md, "Round 14
(tabular)"), each as a short paraphrased excerpt in the same shape, read alike as CSV and as a workbook laid out as
people keep one (a merged title row, a two-row header with a group cell over the rating columns, a notes row below
the table)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from mdptm.errors import InputError
from mdptm.model import Model
from mdptm.model.report import ImportReport
from tests.importers.import_helpers import checked_import, run_import, warning_messages


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _cell(value: str) -> object:
    return int(value) if value.isdigit() else (value or None)


def _book(path: Path, sheets: dict[str, list[list[str]]], group: tuple[str, list[str]] | None = None) -> Path:
    """Each sheet: a merged title row, then the table; on the first sheet a two-row header whose *group* cell spans
    the named columns (the other header cells merged down), and a notes row below the table."""
    wb = openpyxl.Workbook()
    first = True
    for name, rows in sheets.items():
        ws = wb.active if first else wb.create_sheet(name)
        assert ws is not None
        ws.title = name
        width = max(len(r) for r in rows)
        ws.append([f"{name} — reviewed quarterly"])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        header, body = rows[0], rows[1:]
        if first and group is not None:
            label, spanned = group
            cols = [header.index(h) + 1 for h in spanned]
            top = [label if i + 1 == cols[0] else None for i in range(width)]
            top = [h if i + 1 not in cols else top[i] for i, h in enumerate(header)]
            ws.append(top)
            ws.append([h if i + 1 in cols else None for i, h in enumerate(header)])
            ws.merge_cells(start_row=2, start_column=cols[0], end_row=2, end_column=cols[-1])
            for c in range(1, width + 1):
                if c not in cols:
                    ws.merge_cells(start_row=2, start_column=c, end_row=3, end_column=c)
        else:
            ws.append(header)
        for row in body:
            ws.append([_cell(v) for v in row])
        if first:
            ws.append([])
            ws.append(["Note: scores are likelihood x impact on 1-5 scales; owners review monthly."])
        first = False
    wb.save(str(path))
    return path


def _both(tmp_path: Path, text: str, name: str, group: tuple[str, list[str]] | None = None) -> Iterator[tuple[Model, ImportReport]]:
    """*text* imported as a CSV file and as a workbook laid out by hand (see :func:`_book`)."""
    plain = tmp_path / f"{name}.csv"
    plain.write_text(text, encoding="utf-8")
    yield checked_import(plain)
    yield checked_import(_book(tmp_path / f"{name}.xlsx", {"Register": _rows(text)}, group))


# -- a findings register: "Target" holds when each finding is due to be fixed ("3 days", "45 days"), next to the
# priority and the owner; and a risk register whose "target_window" says "0-30 days"

_FINDINGS = (
    "ID,Finding,Asset,Likelihood,Impact,Score,Rating,Owner,Priority,Target,Status\n"
    "F-01,Unpatched logging library on the portal API,app-srv-04,4,5,20,Critical,App Owner,P1,3 days,Open\n"
    "F-02,Legacy file server still speaks SMBv1,fs-legacy-01,4,5,20,Critical,Infra Lead,P1,45 days,Open\n"
    "F-03,SQL injection in the calculator search,calc.example,3,5,15,High,Dev Lead,P2,30 days,Open\n"
    "F-04,Default credentials on cameras,Cameras,2,2,4,Low,Facilities,P4,180 days,Open\n"
)


def test_a_target_column_of_time_frames_names_no_component(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _FINDINGS, "findings", ("Rating", ["Likelihood", "Impact", "Score", "Rating"])):
        assert len(model.threats) == 4
        # before: four components named "3 days", "45 days", "30 days", "180 days", each threat targeting one
        assert model.elements == []
        assert [t.targets for t in model.threats] == [[]] * 4
        assert [t.extra.get("Target") for t in model.threats] == ["3 days", "45 days", "30 days", "180 days"]
        assert any("holds time frames ('3 days', …), not components" in w for w in warning_messages(report))
        assert [t.risk.level if t.risk else None for t in model.threats] == ["critical", "critical", "high", "low"]


_WINDOWS = (
    "risk_id,domain,risk_statement,likelihood,impact,inherent_score,existing_control,residual_score,priority,owner,target_window\n"
    "R-01,Identity,Two users are not enrolled in MFA,4,5,20,Partial enrollment,16,Critical,Office Manager,0-14 days\n"
    "R-02,Identity,The owner's daily account keeps the admin role,4,5,20,No separate admin account evidenced,15,High,Owner,0-30 days\n"
    "R-03,Endpoint,Devices run weeks behind on updates,4,4,16,Ad hoc updates,12,High,Office Manager,15-45 days\n"
)


def test_a_target_window_of_day_ranges_names_no_component(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _WINDOWS, "windows"):
        # before: components "0-14 days", "0-30 days", "15-45 days"
        assert model.elements == []
        assert [t.extra.get("target_window") for t in model.threats] == ["0-14 days", "0-30 days", "15-45 days"]


def test_an_existing_control_cell_saying_none_is_in_place_makes_no_control(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _WINDOWS, "existing"):
        # before: a control titled "No separate admin account evidenced", implemented, linked to R-02
        assert [c.title for c in model.controls] == ["Partial enrollment", "Ad hoc updates"]
        assert [t.controls != [] for t in model.threats] == [True, False, True]
        assert model.threats[1].extra["existing_control"] == "No separate admin account evidenced"
        assert any("says no measure is in place: no control" in w for w in warning_messages(report))


def test_a_design_measure_opening_with_no_stays_a_control(tmp_path: Path) -> None:
    design = _WINDOWS.replace("No separate admin account evidenced", "No remote login service implemented")
    for model, _report in _both(tmp_path, design, "design"):
        # the absence of an attack surface is a measure; only "evidenced", "in place" … say a measure is missing
        assert [c.title for c in model.controls][1] == "No remote login service implemented"


# -- a GRC case study: the risk register names one control id per risk ("existing_control_id"); the control
# matrix, a file (or sheet) of its own, maps each control to the risks it treats by id, several in one cell
# ("R-02; R-13"), among them a control the register's rows do not name

_RISKS = (
    "risk_id,asset_id,risk_area,threat_event,likelihood_score,impact_score,inherent_risk_score,existing_control_id,control_effectiveness,residual_risk_score\n"
    "R-01,A-005; A-009,Access Management,Outdated access rights are misused after a role change,4,5,20,C-01,Partial,15\n"
    "R-02,A-001; A-006,Data Privacy,A user exports personal data beyond the job's need,3,5,15,C-02,Partial,12\n"
    "R-10,A-009; A-005,User Lifecycle,A leaver's account keeps access to admin functions,4,4,16,C-02,Partial,12\n"
    "R-13,A-001; A-006,Data Retention,Old personal records are kept with no need,3,4,12,C-08,Missing,12\n"
)
_CONTROLS = (
    "control_id,control_area,control_activity,control_type,mapped_risk_id,implementation_status\n"
    "C-01,Access Management,Quarterly access review and role recertification,Detective,R-01,Partial\n"
    'C-02,User Lifecycle,"Approve access requests; reconcile accounts with HR leavers",Preventive,"R-02; R-10",Partial\n'
    "C-08,Data Retention,Retention schedule and deletion review,Preventive,R-13,Missing\n"
    'C-14,Personal Data Export Review,Approve and log bulk exports of personal data,Detective,"R-02; R-13",Planned\n'
)


def _links(model: Model) -> dict[str, list[str]]:
    return {t.id: sorted(t.controls) for t in model.threats}


def test_a_control_matrix_maps_its_controls_to_risks_by_id(tmp_path: Path) -> None:
    risks, controls = tmp_path / "risk_register.csv", tmp_path / "control_matrix.csv"
    risks.write_text(_RISKS, encoding="utf-8")
    controls.write_text(_CONTROLS, encoding="utf-8")
    book = tmp_path / "grc.xlsx"
    _book(book, {"Risk register": _rows(_RISKS), "Control matrix": _rows(_CONTROLS)})
    newline = tmp_path / "grc-newline.xlsx"
    _book(newline, {"Risk register": _rows(_RISKS), "Control matrix": _rows(_CONTROLS.replace("; R-", "\nR-"))})
    for model, _report in (run_import(risks, controls), run_import(book), run_import(newline)):
        # before: C-14 (named by no risk row) linked to nothing; its "mapped_risk_id" kept in extra
        assert _links(model) == {"R-01": ["C-01"], "R-02": ["C-02", "C-14"], "R-10": ["C-02"], "R-13": ["C-08", "C-14"]}
        assert [c.status for c in model.controls] == ["planned", "planned", "not_implemented", "planned"]


@pytest.mark.parametrize("sheet", ["Register", "Risk Register"])
def test_a_control_matrix_in_a_sheet_named_register_is_controls(tmp_path: Path, sheet: str) -> None:
    # the sheet's name had made it a threat table keyed by "mapped_risk_id", titled by nothing: each row refused as
    # "gives no threat text" (exit 2); its first column names controls and no column gives a threat's text
    book = _book(tmp_path / "matrix.xlsx", {sheet: _rows(_CONTROLS)})
    model, _report = run_import(book)
    assert [c.id for c in model.controls] == ["C-01", "C-02", "C-08", "C-14"] and model.threats == []
    both = _book(tmp_path / "grc.xlsx", {"Risks": _rows(_RISKS), sheet: _rows(_CONTROLS)})
    model, _report = run_import(both)
    assert _links(model) == {"R-01": ["C-01"], "R-02": ["C-02", "C-14"], "R-10": ["C-02"], "R-13": ["C-08", "C-14"]}


# -- a course's risk matrix in Spanish: "activo | amenaza | probabilidad | impacto", one asset and one threat a row

_RIESGOS = (
    "activo,amenaza,probabilidad,impacto\n"
    "Servidor web,Fallo de disco,2,3\n"
    "Correo,Phishing,3,3\n"
    "Portátil comercial,Robo,2,3\n"
    "Oficina,Incendio,1,3\n"
)


def test_a_risk_matrix_with_spanish_headers(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _RIESGOS, "riesgos", ("Valoración", ["probabilidad", "impacto"])):
        # before: exit 2, "no threat-model table recognised in this sheet ('activo amenaza probabilidad impacto')"
        assert [t.title for t in model.threats] == ["Fallo de disco", "Phishing", "Robo", "Incendio"]
        assert [a.name for a in model.assets] == ["Servidor web", "Correo", "Portátil comercial", "Oficina"]
        assert [(t.risk.likelihood, t.risk.severity) for t in model.threats if t.risk] == [("2", "3"), ("3", "3"), ("2", "3"), ("1", "3")]


# -- an attack tree kept as a table: "name | id | parent | type", one goal ("Open a safe", parent NA, an OR gate)
# and the steps that reach it (OR, AND, LEAF): no list of threats

_TREE = (
    '"name","id","parent","type","description","difficulty"\n'
    '"open safe",1,NA,OR,"Open a safe",""\n'
    '"Pick lock",2,1,LEAF,"Pick the lock of the safe","Hard"\n'
    '"Learn combo",4,1,OR,"Learn the combination","Hard"\n'
    '"Get combo from target",7,4,AND,"Get the combination from a person","Hard"\n'
    '"Bribe",10,7,LEAF,"Bribe a person","Hard"\n'
)


def test_an_attack_tree_is_no_list_of_threats(tmp_path: Path) -> None:
    path = tmp_path / "attack_tree.csv"
    path.write_text(_TREE, encoding="utf-8")
    # before: five threats (every node of the tree), each warned that its gate "OR", "LEAF" is no STRIDE value
    with pytest.raises(InputError, match=r"attack tree \(its rows are a goal and the steps that reach it"):
        run_import(path)
    register = _rows(_FINDINGS)
    book = _book(tmp_path / "tree.xlsx", {"Findings": register, "Attack tree": _rows(_TREE)})
    model, report = checked_import(book)
    assert [t.id for t in model.threats] == ["F-01", "F-02", "F-03", "F-04"]
    assert any("attack tree" in w for w in warning_messages(report))


# -- an LLM risk analysis: "control_effectiveness" is a factor (0.5 on every row) that halves the inherent risk

_FACTORS = (
    "threat_id,threat_name,base_severity,likelihood,inherent_risk,control_effectiveness,residual_risk,risk_level\n"
    "LLM01,Prompt Injection,10,0.9,9.0,0.5,4.5,Medium\n"
    "LLM05,Supply Chain Vulnerabilities,8,0.6,4.8,0.5,2.4,Low\n"
    "LLM10,Model Theft,8,0.6,4.8,0.5,2.4,Low\n"
)


def test_a_control_effectiveness_factor_names_no_control(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _FACTORS, "factors"):
        assert model.controls == []
        # before: three warnings "control '0.5' (column 'control_effectiveness') matches no control by id or name"
        assert not any("matches no control" in w for w in warning_messages(report))
        assert any("holds fractions ('0.5', …), not measures" in w for w in warning_messages(report))
        assert [t.extra.get("control_effectiveness") for t in model.threats] == ["0.5"] * 3
