"""How any table is classified and read: real layouts, built small with openpyxl (issue 15).

Precision before recall: a sheet or table becomes threats (controls, assets ...) only when its header
and its contents say so; everything else is skipped with a reason in the import report.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl

from mdptm.model.report import ImportReport
from tests.importers.import_helpers import Doc, reconciles, run_import, warnings_with, workbook


def _merge(sheet: str, *ranges: str) -> Callable[[openpyxl.Workbook], None]:
    def tweak(wb: openpyxl.Workbook) -> None:
        for ref in ranges:
            wb[sheet].merge_cells(ref)

    return tweak


def _skipped(report: ImportReport, text: str) -> list[Any]:
    return [r for r in report.records if r.disposition == "skipped" and text.lower() in (r.reason or "").lower()]


# ---------------------------------------------------------------------------- vertically merged cells


def test_threat_merged_over_impact_rows_is_one_threat(tmp_path: Path) -> None:
    head = ["Component", "Asset", "Threat", "STRIDE", "Impact category", "Impact level", "Description of impact"]
    rows = [
        head,
        ["Gateway", "Update image", "Freeze attack", "Denial of Service", "Safety", "Medium", "Update denied"],
        [None, None, None, None, "Financial", "-", None],
        [None, None, None, None, "Operational", "High", "Fleet stays old"],
        [None, None, None, None, "Privacy", "-", None],
        [None, "Root metadata", None, None, None, None, None],
        [None, "Keys", "Rollback attack", "Tampering", "Safety", "Low", "Old image"],
        [None, None, None, None, "Financial", "Medium", None],
    ]
    tweak = _merge("TARA", "A2:A8", "B2:B5", "C2:C5", "D2:D5", "C7:C8", "D7:D8", "B7:B8")
    model, report = run_import(workbook(tmp_path / "t.xlsx", {"TARA": rows}, tweak))
    assert [t.title for t in model.threats] == ["Freeze attack", "Rollback attack"]
    freeze = model.threats[0]
    assert freeze.risk is not None and freeze.risk.severity == "High"  # the highest of the impact rows
    assert "Safety" in freeze.extra["Impact category"] and "Operational" in freeze.extra["Impact category"]
    # The row with no threat still names an asset; nothing is titled "Threat T-n".
    assert sorted(a.name for a in model.assets) == ["Keys", "Root metadata", "Update image"]
    assert [e.name for e in model.elements] == ["Gateway"]
    assert _skipped(report, "no threat in this row")
    merged = [r.locator for r in report.records if r.disposition == "merged"]
    assert merged == ["TARA!A3", "TARA!A4", "TARA!A5", "TARA!A8"]  # the impact rows joined their threat
    assert reconciles(report)


def test_csv_continuation_rows_join_the_threat_above(tmp_path: Path) -> None:
    path = tmp_path / "threats.csv"
    path.write_text(
        "ID,Threat,Component,Mitigation\n"
        "T-1,Spoofed pump command,Pump,Mutual TLS\n"
        ",,,Command nonces\n"
        "T-2,Library tampering,Server,Signed libraries\n",
        encoding="utf-8",
    )
    model, report = run_import(path)
    assert [t.id for t in model.threats] == ["T-1", "T-2"]
    # each row's mitigation is a control of its own, both the threat's
    assert sorted(c.title for c in model.controls if c.id in model.threats[0].controls) == ["Command nonces", "Mutual TLS"]
    assert [r.locator for r in report.records if r.disposition == "merged"] == ["A3"]
    assert reconciles(report)


# ------------------------------------------------------------------------------- template rows, titles


def test_empty_template_rows_are_not_threats(tmp_path: Path) -> None:
    rows = [
        ["Threat ID", "Threat", "STRIDE", "Mitigations", "Status"],
        ["T-001", "Tampering with API calls in transit", "Tampering", "M-001", "Mitigated"],
        ["T-002", "Caller impersonation", "Spoofing", "M-002", "Open"],
        *[[f"T-{n:03d}", None, None, None, None] for n in range(3, 12)],
        ["T-012", None, None, None, "Open"],
    ]
    controls = [
        ["Mitigation ID", "Mitigation", "Threats mitigated"],
        ["M-001", "TLS 1.2 everywhere", "T-001"],
        ["M-002", "SigV4 authentication", "T-002"],
        *[[f"M-{n:03d}", None, None] for n in range(3, 9)],
    ]
    model, report = run_import(workbook(tmp_path / "t.xlsx", {"Threats": rows, "Mitigations": controls}))
    assert [t.id for t in model.threats] == ["T-001", "T-002"]
    assert [c.id for c in model.controls] == ["M-001", "M-002"]
    assert not any(t.title.startswith("Threat ") for t in model.threats)
    assert len(_skipped(report, "empty template row")) == 10 + 6
    assert reconciles(report)


def test_stated_risk_level_is_kept(tmp_path: Path) -> None:
    rows = [
        ["Risk ID", "Risk Name", "Asset", "Likelihood", "Impact", "Risk Score", "Risk Level", "Status"],
        ["R-001", "Phishing", "Microsoft 365", 5, 5, 25, "High", "Open"],
        ["R-002", "Backup failure", "Backup Server", 2, 4, 8, "Medium", "Open"],
    ]
    model, _report = run_import(workbook(tmp_path / "r.xlsx", {"Register": rows}))
    levels = {t.id: t.risk.level for t in model.threats if t.risk}
    assert levels == {"R-001": "high", "R-002": "medium"}  # as stated, not 25 → critical
    assert model.threats[0].risk is not None and model.threats[0].risk.score == 25
    assert sorted(a.name for a in model.assets) == ["Backup Server", "Microsoft 365"]


def test_grc_register_ratings_treatment_and_dates(tmp_path: Path) -> None:
    """Inherent and residual ratings stated beside scores; a treatment beside a status; a target date."""
    path = tmp_path / "risk_register.csv"
    path.write_text(
        "Risk ID,Risk Title,Likelihood (1-5),Impact (1-5),Inherent Score,Inherent Rating,Treatment,Target Date,"
        "Residual Score,Residual Rating,Status\n"
        "R01,Ransomware via vendor remote access,5,5,25,High,Mitigate,May 2027,10,Low,In Progress\n"
        "R02,Lost laptop exposes PHI,3,3,9,Medium,Accept,Nov 2026,9,Medium,Accepted\n",
        encoding="utf-8",
    )
    model, _report = run_import(path)
    r01, r02 = model.threats
    assert r01.risk is not None and (r01.risk.level, r01.risk.score) == ("high", 25)
    assert r01.residual_risk is not None and r01.residual_risk.level == "low"
    assert r01.status == "partially_mitigated" and r01.extra["Treatment"] == "Mitigate"  # the Status column wins
    assert r02.status == "accepted"
    assert r01.targets == [] and r01.extra["Target Date"] == "May 2027"  # a date names no component


# ------------------------------------------------------------------------------------------ headers


def test_two_row_header_with_group_cells(tmp_path: Path) -> None:
    rows = [
        ["ID", "Threat", "Component", "Inherent risk", None, "Residual risk", None, "Status"],
        [None, None, None, "Likelihood", "Severity", "Likelihood", "Severity", None],
        ["T-1", "Spoofed pump command", "Pump", 4, 5, 2, 5, "Mitigated"],
        ["T-2", "Library tampering", "Server", 3, 4, 1, 4, "Open"],
    ]
    tweak = _merge("Register", "D1:E1", "F1:G1", "A1:A2", "B1:B2", "C1:C2", "H1:H2")
    model, report = run_import(workbook(tmp_path / "r.xlsx", {"Register": rows}, tweak))
    t1 = model.threats[0]
    assert [t.id for t in model.threats] == ["T-1", "T-2"]
    assert t1.risk is not None and t1.risk.likelihood == "4" and t1.risk.severity == "5"
    assert t1.residual_risk is not None and t1.residual_risk.likelihood == "2"
    assert reconciles(report)


def test_two_row_header_group_cell_not_merged(tmp_path: Path) -> None:
    rows = [
        [None, None, None, "Before mitigation", None, "After mitigation", None],
        ["Threat ID", "Threat", "STRIDE", "Likelihood", "Impact", "Likelihood", "Impact"],
        ["T-1", "Spoofed pump command", "S", 4, 5, 2, 5],
    ]
    model, _report = run_import(workbook(tmp_path / "r.xlsx", {"Register": rows}))
    t1 = model.threats[0]
    assert t1.risk is not None and t1.risk.likelihood == "4"
    assert t1.residual_risk is not None and t1.residual_risk.likelihood == "2"


def test_merged_title_row_above_the_header(tmp_path: Path) -> None:
    rows = [
        ["Threat register — Infusion system v2"],
        [],
        ["Threat ID", "Threat", "STRIDE", "Affected component"],
        ["T-1", "Spoofed pump command", "S", "Pump"],
        ["T-2", "Library tampering", "T", "Server"],
    ]
    model, report = run_import(workbook(tmp_path / "r.xlsx", {"Register": rows}, _merge("Register", "A1:D1")))
    assert [t.id for t in model.threats] == ["T-1", "T-2"]
    assert _skipped(report, "title row above the table header")


def test_title_cell_merged_over_the_header(tmp_path: Path) -> None:
    rows = [
        ["Threat ID", "Threat register — Pump v2", None, None],
        [None, "Threat", "STRIDE", "Component"],
        ["T-1", "Spoofed pump command", "S", "Pump"],
        ["T-2", "Library tampering", "T", "Server"],
    ]
    model, _report = run_import(workbook(tmp_path / "r.xlsx", {"Register": rows}, _merge("Register", "A1:A2", "B1:D1")))
    assert [(t.id, t.title, t.stride) for t in model.threats] == [
        ("T-1", "Spoofed pump command", ["spoofing"]),
        ("T-2", "Library tampering", ["tampering"]),
    ]


def test_wide_cvss_register_is_read_unknown_columns_to_extra(tmp_path: Path) -> None:
    head = [
        "Threat ID",
        "Threat",
        "Description",
        "STRIDE",
        "Affected component",
        "Attack vector (AV)",
        "Attack complexity (AC)",
        "Privileges required (PR)",
        "User interaction (UI)",
        "Scope (S)",
        "Confidentiality (C)",
        "Integrity (I)",
        "Availability (A)",
        "CVSS vector",
        "CVSS base score",
        "Exploit code maturity",
        "Remediation level",
        "Report confidence",
        "Temporal score",
        "CR",
        "IR",
        "AR",
        "Modified AV",
        "Modified AC",
        "Environmental score",
        "Owner",
        "Ticket",
        "Sprint",
        "Reviewer",
        "Date found",
        "Date closed",
        "Mitigation",
        "Status",
        "Comments",
    ]
    assert len(head) == 34
    row1 = [
        "TH-01",
        "BLE pairing downgrade",
        "An attacker downgrades pairing",
        "S",
        "Pump",
        "A",
        "L",
        "N",
        "N",
        "U",
        "H",
        "H",
        "N",
        "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N",
        "8.1",
        "U",
        "O",
        "C",
        "7.1",
        "H",
        "H",
        "M",
        "A",
        "L",
        "7.5",
        "Team A",
        "JIRA-1",
        "12",
        "R. Roe",
        "2024-01-02",
        "",
        "Secure pairing",
        "Open",
        "-",
    ]
    row2 = [
        "TH-02",
        "Firmware rollback",
        "Old signed firmware installed",
        "T",
        "Pump",
        "L",
        "H",
        "H",
        "N",
        "U",
        "N",
        "H",
        "H",
        "CVSS:3.1/AV:L/AC:H/PR:H/UI:N/S:U/C:N/I:H/A:H",
        "6.0",
        "U",
        "O",
        "C",
        "5.2",
        "M",
        "H",
        "H",
        "L",
        "H",
        "5.5",
        "Team B",
        "JIRA-2",
        "13",
        "R. Roe",
        "2024-01-03",
        "2024-02-01",
        "Anti-rollback counter",
        "Mitigated",
        "",
    ]
    model, report = run_import(workbook(tmp_path / "w.xlsx", {"Vulnerabilities": [head, row1, row2]}))
    assert [t.id for t in model.threats] == ["TH-01", "TH-02"]
    t1 = model.threats[0]
    vector = "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N"
    assert t1.cvss == vector and t1.cvss_score == 8.1  # the stated base score has its own field
    assert t1.extra["Exploit code maturity"] == "U" and t1.extra["Ticket"] == "JIRA-1"
    assert reconciles(report)


# --------------------------------------------------------------------------------- ids and columns


def test_ids_restarting_per_block_are_scoped_by_the_block(tmp_path: Path) -> None:
    rows = [
        ["#", "Threat", "STRIDE", "Mitigation"],
        ["Auth Service"],
        [1, "Credential stuffing", "S", "Rate limiting"],
        [2, "Token replay", "S", "Nonce"],
        ["Billing Service"],
        [1, "Invoice tampering", "T", "Signed invoices"],
        [2, "Card data leak", "I", "Tokenisation"],
    ]
    model, report = run_import(workbook(tmp_path / "r.xlsx", {"Threats": rows}))
    assert [t.id for t in model.threats] == ["Auth Service/1", "Auth Service/2", "Billing Service/1", "Billing Service/2"]
    assert [t.title for t in model.threats][2] == "Invoice tampering"
    assert warnings_with(report, "restart")


def test_ids_restarting_in_stacked_tables_with_captions(tmp_path: Path) -> None:
    rows = [
        ["Auth Service"],
        ["ID", "Threat", "STRIDE"],
        [1, "Credential stuffing", "S"],
        [2, "Token replay", "S"],
        [],
        ["Billing Service"],
        ["ID", "Threat", "STRIDE"],
        [1, "Invoice tampering", "T"],
        [2, "Card data leak", "I"],
    ]
    model, _report = run_import(workbook(tmp_path / "r.xlsx", {"Threats": rows}))
    assert sorted(t.id for t in model.threats) == ["Auth Service/1", "Auth Service/2", "Billing Service/1", "Billing Service/2"]


def test_numbers_restarting_in_each_sheet_are_scoped_by_the_sheet(tmp_path: Path) -> None:
    head = ["#", "Threat", "STRIDE"]
    sheets = {
        "Auth Service": [head, [1, "Credential stuffing", "S"], [2, "Token replay", "S"]],
        "Billing": [head, [1, "Invoice tampering", "T"], [2, "Card data leak", "I"]],
    }
    model, report = run_import(workbook(tmp_path / "r.xlsx", sheets))
    assert [t.id for t in model.threats] == ["Auth Service/1", "Auth Service/2", "Billing/1", "Billing/2"]
    assert warnings_with(report, "numbers restart in each table")


def test_ids_restarting_per_component_merged_down_are_scoped(tmp_path: Path) -> None:
    rows = [
        ["Component", "ID", "Threat", "STRIDE"],
        ["Auth Service", 1, "Credential stuffing", "S"],
        [None, 2, "Token replay", "S"],
        ["Billing Service", 1, "Invoice tampering", "T"],
        [None, 2, "Card data leak", "I"],
    ]
    model, report = run_import(workbook(tmp_path / "r.xlsx", {"Threats": rows}, _merge("Threats", "A2:A3", "A4:A5")))
    assert [t.id for t in model.threats] == [
        "Auth Service/1",
        "Auth Service/2",
        "Billing Service/1",
        "Billing Service/2",
    ]
    assert warnings_with(report, "ids restart for each component")


def test_threat_column_of_stride_letters_and_risk_column_of_sentences(tmp_path: Path) -> None:
    rows = [
        ["Component", "Threat", "Mitigation", "Risk"],
        ["Device storage", "TRID", "Storage encryption", "Reading data from the storage and tampering with telemetry"],
        ["Device OS image", "TRID", "Signed OS image", "Tampering with the OS or replacing its components"],
        ["Field gateway", "S", "Certificates", "Someone spoofs the field gateway and presents itself as any device"],
    ]
    model, report = run_import(workbook(tmp_path / "r.xlsx", {"Threats": rows}))
    assert len(model.threats) == 3
    t = model.threats[2]
    assert t.stride == ["spoofing"] and t.title.startswith("Someone spoofs the field gateway")
    assert warnings_with(report, "holds STRIDE categories") and warnings_with(report, "holds sentences")


def test_reference_column_of_urls_is_never_the_id(tmp_path: Path) -> None:
    rows = [
        ["Reference", "Threat", "Description", "Category"],
        ["https://attack.mitre.org/techniques/T1557/", "Man in the middle", "Traffic intercepted", "Spoofing"],
        ["https://attack.mitre.org/techniques/T1557/", "ARP poisoning", "LAN redirect", "Spoofing"],
        ["https://cwe.mitre.org/data/definitions/319.html", "Cleartext transmission", "No TLS", "Information disclosure"],
    ]
    model, report = run_import(workbook(tmp_path / "r.xlsx", {"Threats": rows}))
    assert [t.title for t in model.threats] == ["Man in the middle", "ARP poisoning", "Cleartext transmission"]
    assert not any(t.id.startswith("http") for t in model.threats)
    assert model.threats[0].extra["Reference"].startswith("https://")
    assert warnings_with(report, "links, not ids")


def test_same_threat_in_two_tables_merges_and_is_reported(tmp_path: Path) -> None:
    sheets = {
        "Threats": [["Threat ID", "Threat", "STRIDE"], ["T-1", "Spoofed command", "S"], ["T-2", "Tampering", "T"]],
        "Risk assessment": [["Threat ID", "Likelihood", "Severity", "Residual risk"], ["T-1", 4, 5, "Low"], ["T-2", 2, 3, "Low"]],
    }
    model, report = run_import(workbook(tmp_path / "r.xlsx", sheets))
    assert [t.id for t in model.threats] == ["T-1", "T-2"]
    assert model.threats[0].risk is not None and model.threats[0].risk.likelihood == "4"
    assert [r.item for r in report.records if r.disposition == "merged"] == ["T-1", "T-2"]


def test_residual_risk_table_keyed_by_title_joins_the_threat(tmp_path: Path) -> None:
    sheets = {
        "Threats": [["Threat ID", "Threat", "STRIDE"], ["T-1", "Spoofed command", "S"], ["T-2", "Tampering", "T"]],
        "Residual risk": [
            ["Threat", "Residual risk", "Rationale"],
            ["Spoofed command", "Low", "Mutual TLS"],
            ["Tampering", "Medium", "Signed files"],
        ],
    }
    model, report = run_import(workbook(tmp_path / "r.xlsx", sheets))
    assert [t.id for t in model.threats] == ["T-1", "T-2"]
    assert model.threats[0].residual_risk is not None and model.threats[0].residual_risk.level == "low"
    assert [r.item for r in report.records if r.disposition == "merged"] == ["T-1", "T-2"]


# ------------------------------------------------------------------------ tables that are not threats


def test_legend_matrix_and_other_sheets_beside_the_register(tmp_path: Path) -> None:
    sheets: dict[str, list[list[Any]]] = {
        "Register": [
            ["Threat ID", "Threat", "STRIDE", "Likelihood", "Impact", "Risk"],
            ["T-1", "Spoofed command", "S", 4, 5, 20],
            ["T-2", "Library tampering", "T", 3, 4, 12],
            ["T-3", "Flooding", "D", 2, 2, 4],
            ["Total", 3, None, None, None, None],
        ],
        "Risk matrix": [
            ["Likelihood \\ Impact", "1", "2", "3", "4", "5"],
            ["5", "", "", "", "", ""],
            ["4", "", "", "", "", "T-1"],
            ["3", "", "", "", "T-2", ""],
            ["2", "", "T-3", "", "", ""],
        ],
        "Legend": [["Value", "Meaning"], ["1", "Rare"], ["5", "Almost certain"]],
        "Likelihood scale": [["Score", "Likelihood", "Description"], [1, "Rare", "Once in 10 years"], [5, "Almost certain", "Every week"]],
        "Dashboard": [["Metric", "Value"], ["Total risks", 3], ["High risks", 1]],
        "Threat agents": [
            ["Threat Agent", "Motivation", "Capability", "Description"],
            ["Hacktivist", "Publicity", "Medium", "Defaces things"],
            ["Insider", "Money", "High", "Sells data"],
        ],
        "Actors": [["ID", "Threat Actor", "Motivation"], ["TA-1", "Organised crime", "Money"], ["TA-2", "Insider", "Revenge"]],
        "Attack paths": [
            ["Attack Path ID", "Attack path", "Threat", "Steps"],
            ["AP-1", "Via BLE", "T-1", "Pair; send"],
            ["AP-2", "Via Wi-Fi", "T-2", "Join; push"],
        ],
    }
    model, report = run_import(workbook(tmp_path / "r.xlsx", sheets))
    assert [t.id for t in model.threats] == ["T-1", "T-2", "T-3"]
    assert not model.controls and not model.elements
    assert _skipped(report, "totals row")
    assert _skipped(report, "threat agent")
    assert _skipped(report, "attack path")
    assert reconciles(report)


def test_word_roles_and_stride_definition_tables_are_not_threats(tmp_path: Path) -> None:
    doc = Doc().heading("Trust Levels")
    doc.table(
        [
            ["ID", "Name", "Description"],
            ["1", "Website Administrator", "Can access all pages"],
            ["2", "Anonymous Web User", "Not logged in"],
            ["3", "Order Manager", "Manages orders"],
        ]
    )
    doc.heading("STRIDE")
    doc.table(
        [
            ["Threat", "Description", "Security Control"],
            ["Spoofing", "Pretending", "Authentication"],
            ["Tampering", "Changing", "Integrity"],
            ["Repudiation", "Denying", "Non-repudiation"],
            ["Information disclosure", "Reading", "Confidentiality"],
            ["Denial of service", "Stopping", "Availability"],
            ["Elevation of privilege", "Rising", "Authorization"],
        ]
    )
    doc.heading("Threats")
    doc.table([["Threat ID", "Threat", "STRIDE"], ["T-1", "Session hijack", "S"]])
    path = doc.save(tmp_path / "m.docx")
    model, report = run_import(path)
    assert [t.id for t in model.threats] == ["T-1"]
    assert _skipped(report, "STRIDE definitions")
    assert warnings_with(report, "table 1")  # the unsure table is named
    assert reconciles(report)


def test_a_summary_table_is_read_only_when_it_is_the_only_register(tmp_path: Path) -> None:
    summary = [
        ["ID", "Description", "Risk", "Status"],
        ["1", "Pump accepts spoofed commands", "High", "Open"],
        ["2", "Drug library can be altered", "Medium", "Mitigated"],
    ]
    only = Doc()
    only.heading("Summary")
    only.table(summary)
    model, report = run_import(only.save(tmp_path / "only.docx"))
    assert [t.title for t in model.threats] == ["Pump accepts spoofed commands", "Drug library can be altered"]
    assert warnings_with(report, "no other threat table")
    both = Doc()
    both.heading("Threat register")
    both.table([["Threat ID", "Threat", "Risk"], ["T-1", "Spoofed pump command", "High"], ["T-2", "Library tampering", "Medium"]])
    both.heading("Summary")
    both.table(summary)
    model, report = run_import(both.save(tmp_path / "both.docx"))
    assert [t.id for t in model.threats] == ["T-1", "T-2"]
    assert _skipped(report, "summary table")
    assert reconciles(report)
