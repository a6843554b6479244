"""Registers of this round kept by people as spreadsheets (CSV, Excel, Markdown tables), each as a small synthetic
excerpt in the same shape as the real one. The real registers and their truth are listed in
tests/data/registers-real/SOURCES.md (section "Registers 8")."""

from __future__ import annotations

from pathlib import Path

from tests.importers.import_helpers import checked_import, load_text, skipped, workbook
from tests.importers.import_helpers import warning_messages as warnings

# -- a threat list in German with a second table under its caption below it (a sheet of stacked tables)

_BEDROHUNGEN = [
    ["Bedrohung", "Risiko", "Priorität"],
    ["Entwickler installiert beliebige Linux-Distros", "Umgehung Zero-Trust-Registry, ungeprüfte Toolchains", "🔴 Kritisch"],
    ["Manipulation der Corporate-Skripte in SecureStorage", "Policy-Bypass, Registry-Manipulation", "🔴 Kritisch"],
    ["WSL-Prozess läuft als root-User", "Privilege Escalation innerhalb des Containers", "🟠 Hoch"],
    ["Windows-PATH und Windows-Dateien in WSL sichtbar", "Informationsoffenlegung", "🟡 Mittel"],
]


def test_another_table_under_its_caption_below_a_threat_list_is_no_threats(tmp_path: Path) -> None:
    rows = [
        ["Was muss geschützt werden?"],
        *_BEDROHUNGEN,
        [],
        ["Was darf NICHT eingeschränkt werden?"],
        ["Funktion", "Begründung"],
        ["podman machine stop / podman machine start", "Entwickler müssen Podman neu starten können"],
        ["wsl --terminate podman-machine-default", "Hängenden WSL-Prozess beenden"],
    ]
    model, report = checked_import(workbook(tmp_path / "bedrohungen.xlsx", {"Bedrohungsanalyse": rows}))
    assert [t.title for t in model.threats] == [r[0] for r in _BEDROHUNGEN[1:]]
    reasons = skipped(report)
    assert any(r.startswith("Bedrohungsanalyse!A8:") and "caption of another table" in r for r in reasons), reasons
    for loc in ("A9", "A10", "A11"):
        assert any(r.startswith(f"Bedrohungsanalyse!{loc}:") and "not a row of it" in r for r in reasons), (loc, reasons)
    assert any(
        str(w.locator).startswith("Bedrohungsanalyse!A8")
        and "another table under its caption" in w.message
        and "Bedrohung | Risiko" in w.message
        for w in report.warnings
    )


def test_a_group_heading_over_rows_of_the_same_shape_is_still_a_group(tmp_path: Path) -> None:
    rows = [
        ["ID", *_BEDROHUNGEN[0]],
        *[[f"B-{k}", *r] for k, r in enumerate(_BEDROHUNGEN[1:], 1)],
        [],
        ["Netzwerk"],
        ["B-5", "WSL-Netzwerkinterface umgeht Windows Firewall", "Lateralbewegung, Datexfiltration", "🟡 Mittel"],
        ["B-6", "Distro-Download über Microsoft Store", "Gleich wie oben", "🔴 Kritisch"],
    ]
    model, report = checked_import(workbook(tmp_path / "bedrohungen.xlsx", {"Bedrohungsanalyse": rows}))
    # the rows under the heading fill every column the rows above fill: rows of this table, in its group
    assert [t.id for t in model.threats] == ["B-1", "B-2", "B-3", "B-4", "B-5", "B-6"]
    assert any(r.startswith("Bedrohungsanalyse!A7:") and "group heading" in r for r in skipped(report))


# -- an FMEA whose risk priority number is severity x occurrence x detection, with constraints tables below

_FMEA = """## 3. FMEA Table

| # | Failure Mode | Effect | Severity | Occurrence | Detection | RPN | Status | Mitigation |
|---|---|---|---|---|---|---|---|---|
| F1 | Rust panic crosses NIF boundary | BEAM VM crash | 10 | 2 | 2 | 40 | MITIGATED | panic = unwind in the workspace profile |
| F6 | Affine matrix with wrong coefficient count | Wrong transform | 7 | 3 | 4 | 84 | MITIGATED | affine op validates six coefficients |
| F10 | NaN float input to geometry ops | Garbage geometry | 7 | 2 | 5 | 70 | PARTIAL | Kurbo validates finite floats for most ops |

## 5. STAMP Constraints Table

| ID | Constraint | Severity | Compliance Evidence | Status |
|----|------------|:--------:|---------------------|:------:|
| SC-NIF-001 | NIF MUST be a proper cdylib compiled with rustler | CRITICAL | crate-type cdylib in Cargo.toml | PASS |
| SC-NIF-005 | Degenerate inputs MUST return Err, never NaN/Inf | HIGH | zero-check in normalize | PARTIAL |

### 5.1 Planned Constraints (Future Sprint)

| ID | Constraint | Target | Work Item |
|----|------------|--------|-----------|
| SC-NIF-007 | Long-running NIFs MUST use dirty schedulers | HIGH | Annotate render NIFs |
| SC-NIF-008 | Memory safety MUST be verified by MIRI | MEDIUM | Add cargo miri test to CI |
"""


def test_an_rpn_is_a_score_out_of_1000_not_a_product_of_two_factors(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, _FMEA)
    risks = {t.id: t.risk for t in model.threats}
    assert {k: (r.score, r.level, r.scale) for k, r in risks.items() if r} == {
        "F1": (40.0, "low", "1-1000"),
        "F6": (84.0, "low", "1-1000"),
        "F10": (70.0, "low", "1-1000"),
    }
    assert [t.status for t in model.threats] == ["mitigated", "mitigated", "partially_mitigated"]


def test_tables_of_constraints_are_no_threats_and_no_components(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, _FMEA)
    assert [t.id for t in model.threats] == ["F1", "F6", "F10"]
    assert model.elements == []
    said = warnings(report)
    assert sum("constraints table" in w for w in said) == 2, said


def test_constraints_stacked_below_an_fmea_sheet_are_no_rows_of_it(tmp_path: Path) -> None:
    rows = [
        ["#", "Failure Mode", "Effect", "Severity", "Occurrence", "Detection", "RPN", "Status", "Mitigation"],
        ["F1", "Rust panic crosses NIF boundary", "BEAM VM crash", 10, 2, 2, 40, "MITIGATED", "panic = unwind"],
        ["F6", "Affine matrix with wrong coefficient count", "Wrong transform", 7, 3, 4, 84, "MITIGATED", "six coefficients"],
        ["F10", "NaN float input to geometry ops", "Garbage geometry", 7, 2, 5, 70, "PARTIAL", "finite floats"],
        [],
        ["3.1 Residual Risk Assessment"],
        ["RPN Range", "Count", "Assessment"],
        ["RPN ≥ 200", 0, "No immediate-action items"],
        ["RPN 50-99", 2, "F6(84), F10(70)"],
        [],
        ["5. STAMP Constraints Table"],
        ["ID", "Constraint", "Severity", "Compliance Evidence", "Status"],
        ["SC-NIF-001", "NIF MUST be a proper cdylib compiled with rustler", "CRITICAL", "crate-type cdylib", "PASS"],
    ]
    model, report = checked_import(workbook(tmp_path / "fmea.xlsx", {"FMEA": rows}))
    assert [t.id for t in model.threats] == ["F1", "F6", "F10"]
    assert [t.risk.level for t in model.threats if t.risk] == ["low", "low", "low"]
    reasons = skipped(report)
    assert any(r.startswith("FMEA!A6:") and "caption of another table" in r for r in reasons), reasons
    assert any(r.startswith("FMEA!A13:") and "constraints table" in r for r in reasons), reasons


# -- a risk-control traceability table: one row per hazard and its control, the control's id beside its text

_TRACE = """### 4.4 Risk-Control Traceability

| Hazard ID | Hazardous situation | Risk control ID | Risk control summary | Requirement | Architectural element | Verification |
|---|---|---|---|---|---|---|
| HAZ-001 | Incorrect value displayed | RC-001 | Validate frame structure and checksum first. | SRS-004 | AE-PROTO-001 | Parser |
| HAZ-002 | Operator relies on stale data | RC-002 | Detect missing samples, show stale state. | SRS-C-001 | AE-VM-001 | Not implemented |
| HAZ-003 | Failure cannot be reconstructed | RC-003 | Record relevant operational events in logs. | SRS-010 | AE-LOG-001 | Log check |
"""


def test_a_control_id_beside_the_control_text_names_the_row_control(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, _TRACE)
    assert [(c.id, c.title) for c in model.controls] == [
        ("RC-001", "Validate frame structure and checksum first"),
        ("RC-002", "Detect missing samples, show stale state"),
        ("RC-003", "Record relevant operational events in logs"),
    ]
    assert [t.controls for t in model.threats] == [["RC-001"], ["RC-002"], ["RC-003"]]
    assert not any("matches no control" in w for w in warnings(report))
    assert any("'Risk control ID' holds the ids of the controls" in w for w in warnings(report))


# -- a healthcare GRC register: preventive and detective controls in columns of their own, a KPI and its target

_GRC_HEADER = [
    "Risk ID",
    "Risk Statement",
    "Category",
    "Likelihood",
    "Impact",
    "Inherent Risk Rating",
    "Existing Preventive Controls",
    "Existing Detective Controls",
    "Risk Owner",
    "KPI",
    "Target",
    "Status",
]
_GRC_ROWS = [
    [
        "RR-ID-001",
        "Former employees or volunteers retain active accounts after separation",
        "Identity and Access Management",
        "High",
        9,
        "Critical",
        "HR-triggered offboarding workflow revoking all access within two hours",
        "Monthly automated audit comparing terminated HR records with active accounts",
        "HR Director",
        "On-time deprovisioning rate",
        "100% within two hours",
        "Open",
    ],
    [
        "RR-ID-003",
        "Employees may interact with phishing messages that steal credentials",
        "Phishing and Social Engineering",
        "High",
        10,
        "Critical",
        "Security awareness training; phishing-resistant MFA",
        "Quarterly phishing simulations; review of suspicious-email reports",
        "IT Manager",
        "Phishing reporting rate",
        "100% annual training; improving report rate",
        "Open",
    ],
]


def _grc_csv(tmp_path: Path) -> Path:
    import csv

    path = tmp_path / "risk_register.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([_GRC_HEADER, *_GRC_ROWS])
    return path


def _assert_grc(model: object) -> None:
    threats = model.threats  # type: ignore[attr-defined]
    controls = model.controls  # type: ignore[attr-defined]
    assert [t.id for t in threats] == ["RR-ID-001", "RR-ID-003"]
    assert len(controls) == 4
    assert [len(t.controls) for t in threats] == [2, 2]
    assert model.elements == []  # type: ignore[attr-defined]  # "100% within two hours" is the KPI's target
    assert [t.extra.get("Target") for t in threats] == ["100% within two hours", "100% annual training; improving report rate"]
    assert [t.risk.level for t in threats] == ["critical", "critical"]


def test_preventive_and_detective_control_columns_are_both_controls(tmp_path: Path) -> None:
    model, report = checked_import(_grc_csv(tmp_path))
    _assert_grc(model)
    assert any("'Target' beside 'KPI' is the measure's target" in w for w in warnings(report))


def test_preventive_and_detective_controls_under_a_two_column_group_cell(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Risk Register"
    ws["A1"] = "Healthcare GRC — Risk Register"
    ws.merge_cells("A1:L1")
    for c, h in enumerate(_GRC_HEADER, 1):
        if h.startswith("Existing "):
            ws.cell(4, c, h.split()[1])  # "Preventive", "Detective" under the group cell
        else:
            ws.cell(3, c, h)
            ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    ws.cell(3, 7, "Existing Controls")
    ws.merge_cells("G3:H3")
    for r, row in enumerate(_GRC_ROWS, 5):
        for c, v in enumerate(row, 1):
            ws.cell(r, c, v)
    path = tmp_path / "register.xlsx"
    wb.save(path)
    model, report = checked_import(path)
    _assert_grc(model)
    assert "Existing Controls Detective" not in model.threats[0].extra


# -- a vulnerability summary: severity rated beside a CVSS score, exploitability in words, status with a sign


def test_the_severity_beside_a_cvss_score_is_the_stated_level(tmp_path: Path) -> None:
    text = """### Identified Vulnerabilities Summary

| ID | Vulnerability | Severity | CVSS | Exploitability | Impact | Status |
|----|--------------|----------|------|----------------|--------|--------|
| V1 | Multi-tenant isolation incomplete | Critical | 9.1 | Easy | Data breach | 🔴 Open |
| V3 | Service discovery no company check | Critical | 8.2 | Medium | Resource theft | 🔴 Open |
| V7 | Rate limiting not implemented | High | 6.5 | Easy | DoS | 🔴 Open |
| V8 | XSS via webhook payload | High | 7.9 | Medium | Account compromise | ✅ Mitigated |
| V9 | Mass assignment vulnerabilities | High | 8.1 | Medium | Data manipulation | 🟡 Partial |
"""
    model, _report = load_text(tmp_path, text)
    assert [(t.id, t.risk.level if t.risk else None) for t in model.threats] == [
        ("V1", "critical"),
        ("V3", "critical"),
        ("V7", "high"),
        ("V8", "high"),
        ("V9", "high"),
    ]
    assert [t.status for t in model.threats] == ["open", "open", "open", "mitigated", "partially_mitigated"]


def test_an_impact_beside_a_cvss_score_stays_a_factor(tmp_path: Path) -> None:
    text = """| RiskID | Threat | Impact | Likelihood | CVSS_Score |
|---|---|---|---|---|
| R01 | Salesforce-to-SAP payload tampering | Critical | High | 9.1 |
| R02 | Unauthenticated OData exposure | Critical | Medium | 9.8 |
"""
    model, _report = load_text(tmp_path, text)
    assert [t.risk.level for t in model.threats if t.risk] == ["high", "high"]  # from likelihood x impact, as before


def test_a_priority_of_level_words_rates_the_risks_when_the_risk_column_says_what_would_follow(tmp_path: Path) -> None:
    text = "| Bedrohung | Risiko | Priorität |\n|---|---|---|\n" + "".join(f"| {a} | {b} | {c} |\n" for a, b, c in _BEDROHUNGEN[1:])
    model, report = load_text(tmp_path, text)
    assert [t.risk.level if t.risk else None for t in model.threats] == ["critical", "critical", "high", "medium"]
    assert [t.description for t in model.threats][0] == "Umgehung Zero-Trust-Registry, ungeprüfte Toolchains"
    assert any("'Risiko' rates no risk" in w for w in warnings(report))


# -- an ISO 14971 hazard baseline: products written severity first, a residual acceptance that is conditional

_BASELINE = """## Hazard Baseline

| Hazard ID | Hazardous Situation | Harm | Initial SxP | Residual SxP | Acceptance | Risk Controls |
|---|---|---|---:|---:|---|---|
| HAZ-001 | Therapy requested while an inhibit is active | unintended therapy | 5x3=15 | 5x1=5 | Conditionally acceptable | RC-001, RC-002 |
| HAZ-004 | Therapy is requested when the patient connection is absent | ineffective therapy | 4x3=12 | 4x1=4 | Acceptable | RC-001 |

## Risk Controls

| Control ID | Control | Control Type |
|---|---|---|
| RC-001 | Implement a single pure transition function that gates all state changes. | software architecture |
| RC-002 | Block therapy request whenever therapy inhibit is active. | protective measure |
"""


def test_an_sxp_product_is_read_severity_first(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, _BASELINE)
    got = [(t.risk.severity, t.risk.likelihood, t.risk.score, t.residual_risk.severity, t.residual_risk.likelihood) for t in model.threats]
    assert got == [("5", "3", 15.0, "5", "1"), ("4", "3", 12.0, "4", "1")]
    assert [t.controls for t in model.threats] == [["RC-001", "RC-002"], ["RC-001"]]


def test_a_conditional_or_refused_acceptance_is_no_accepted_status(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, _BASELINE)
    assert [(t.status, t.status_stated) for t in model.threats] == [("open", False), ("accepted", True)]
    assert any("Conditionally acceptable" in w for w in warnings(report))
