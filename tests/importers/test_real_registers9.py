"""Registers of this round kept by people as spreadsheets (CSV, Excel, Markdown tables), each as a small synthetic
excerpt in the same shape as the real one. The real registers and their truth are listed in
tests/data/registers-real/SOURCES.md (section "Registers 9")."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

from tests.importers.import_helpers import checked_import, load_text, workbook
from tests.importers.import_helpers import warning_messages as warnings

# -- an ISO/SAE 21434 TARA that rates each threat once per impact category (Safety, Financial, Operational,
#    Privacy) on rows of its own, the threat's cells merged down over them (the shape of a public OTA-update TARA)

_TARA_HEADER = [
    "Component",
    "Function",
    "Asset",
    "Damage Scenario",
    "Name of threat",
    "Type of threat",
    "Security property",
    "Impact category",
    "Impact level",
    "Description of impact",
    "Attack Path Number",
    "Attack Path",
]
_TARA = [
    ["Description:", "Threats of an update system for vehicles"],
    _TARA_HEADER,
    [
        "Telematics unit",
        "Talks to the back end",
        "Modem",
        "Updates are held back",
        "Slow delivery",
        "Denial of Service",
        "I",
        "S",
        "Medium",
        "A safety fix is held back",
        "A.1",
        "Attacker on the cellular link",
    ],
    ["", "", "", "", "", "", "", "F", "-", "", "", "The link is slowed just below the time-out"],
    ["", "", "", "", "", "", "", "O", "Medium", "The car cannot be used", "A.2", "Attacker on the Wi-Fi link"],
    ["", "", "", "", "", "", "", "P", "-", "", "", ""],
    [
        "",
        "",
        "",
        "Secrets of the update are read",
        "Eavesdropping",
        "Information Disclosure",
        "C",
        "S",
        "-",
        "",
        "A.3",
        "Listener on the back-end link",
    ],
    ["", "", "", "", "", "", "", "F", "Medium", "Payment data is read", "", ""],
    ["", "", "", "", "", "", "", "O", "-", "", "", ""],
    ["", "", "", "", "", "", "", "P", "High", "Owner data is read", "", ""],
]
# the cells each threat's first row spans down over its category rows (the component over both threats)
_TARA_MERGES = ["A3:A10", "B3:B10", "C3:C10", "D3:D6", "E3:E6", "F3:F6", "G3:G6", "K3:K4", "D7:D10", "E7:E10", "F7:F10", "G7:G10"]


def _tara_workbook(path: Path) -> Path:
    def merge(wb: openpyxl.Workbook) -> None:
        ws = wb.active
        assert ws is not None
        for rng in _TARA_MERGES:
            ws.merge_cells(rng)

    return workbook(path, {"TARA": _TARA}, merge)


def test_a_threat_rated_once_per_impact_category_keeps_each_rating(tmp_path: Path) -> None:
    model, report = checked_import(_tara_workbook(tmp_path / "tara.xlsx"))
    assert [t.title for t in model.threats] == ["Slow delivery", "Eavesdropping"]
    slow, eaves = model.threats
    # the severity is the highest of the four (as before); the rating of each category is kept, named as ISO/SAE
    # 21434 names them, and each line of the impact's description says which category it describes
    assert slow.risk is not None and slow.risk.severity == "Medium"
    assert eaves.risk is not None and eaves.risk.severity == "High"
    key = "Impact level by Impact category"
    assert slow.extra[key] == "Safety: Medium\nFinancial: -\nOperational: Medium\nPrivacy: -"
    assert eaves.extra[key] == "Safety: -\nFinancial: Medium\nOperational: -\nPrivacy: High"
    assert eaves.extra["Description of impact"] == "Financial: Payment data is read\nPrivacy: Owner data is read"
    assert slow.extra["Description of impact"] == "Safety: A safety fix is held back\nOperational: The car cannot be used"
    said = [w for w in warnings(report) if "once per 'Impact category'" in w]
    assert len(said) == 1 and "'Impact level' is the highest" in said[0], warnings(report)


def test_the_same_tara_saved_as_csv_reads_the_category_rows_as_the_threat_above(tmp_path: Path) -> None:
    # saved as CSV the merges are gone: the category and attack-path rows leave the title and every column left of
    # it empty; they are more of the threat above (its rows, as in the workbook), never threats titled by the path
    path = tmp_path / "tara.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(_TARA)
    model, report = checked_import(path)
    assert [t.title for t in model.threats] == ["Slow delivery", "Eavesdropping"]
    slow, eaves = model.threats
    assert slow.description.splitlines() == [
        "Attacker on the cellular link",
        "The link is slowed just below the time-out",
        "Attacker on the Wi-Fi link",
    ]
    assert eaves.extra["Impact level by Impact category"] == "Safety: -\nFinancial: Medium\nOperational: -\nPrivacy: High"
    assert report.counts.merged == 6
    assert any("leave empty its title and every column left of it" in w for w in warnings(report)), warnings(report)


def test_a_register_row_without_a_title_under_an_id_column_is_still_its_own_row(tmp_path: Path) -> None:
    # with an id column a row that leaves the title empty is not read as more of the row above
    rows = [
        ["ID", "Component", "Threat", "Description"],
        ["T1", "Pump", "Spoofed pump", "A rogue pump joins the network"],
        ["T2", "", "", "Therapy log altered on the gateway"],
    ]
    model, _ = checked_import(workbook(tmp_path / "reg.xlsx", {"Threats": rows}))
    assert [t.id for t in model.threats] == ["T1", "T2"]


# -- a Threat Modeling Tool CSV export reviewed and enriched in a spreadsheet (semicolon-delimited, decimal commas):
#    CVSS v4.0 vector, score and severity, a likelihood of exploit, the risk worked out from both, a risk treatment
#    written as a noun ("Acceptance", "Mitigation", "Avoidance") and who approved it

_TMT_ENRICHED = [
    "Id;Title;Category;Diagram;Interaction;Priority;State;Changed By;Description;Justification;Last Modified;ATT&CK ID;"
    "CWE ID;CVSS v4.0 Vector;CVSS-B v4.0 Score;CVSS v4.0 Severity;Likelihood of Exploit;Risk Prioritization;"
    "Threat Actor;Risk Treatment;Risk Approval",
    "1;Potential Lack of Input Validation for Positioner;Tampering;Valve;PLC to Positioner via Modbus RTU (RS-485);High;"
    'Mitigated;;"Data across the bus may be tampered with.";"No integrity on the bus; range checks in firmware.";Generated;'
    "T0836;CWE-20;CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:L/SC:N/SI:L/SA:N;7,1;High;Medium;High;Cybercriminal;"
    "Acceptance;CPSO",
    "4;Data Flow Is Potentially Interrupted;Denial Of Service;Valve;PLC to Positioner via Modbus RTU (RS-485);Medium;"
    'Mitigated;;"An external agent interrupts the flow.";"Shielded cable; fail-safe on time-out.";Generated;T0813;CWE-693;'
    "CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:L/SC:N/SI:N/SA:L;5,3;Medium;Low;Low;Insider Threat;Acceptance;Lead Security",
    "6;Elevation by Changing the Execution Flow in Positioner;Elevation Of Privilege;Valve;Debug probe to Positioner over "
    'JTAG;Medium;Mitigated;;"Data passed in changes the flow of execution.";"JTAG fused off in production.";Generated;T0821;'
    "CWE-1191;CVSS:4.0/AV:P/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:H/SC:N/SI:N/SA:N;5,2;Medium;Low;Low;Insider Threat;Mitigation;"
    "Lead Security",
    "10;Spoofing the Positioner Process;Spoofing;Valve;Operator to Positioner (GPIO);Low;Not Applicable;;"
    '"The positioner may be spoofed.";"Dry contacts carry no identity to spoof.";Generated;N/A;N/A;'
    "CVSS:4.0/AV:P/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N;0,0;None;Info;Info;Insider Threat;Avoidance;Not Required",
]


def test_an_enriched_tool_export_reads_its_risk_and_names_no_control_after_a_treatment_decision(tmp_path: Path) -> None:
    path = tmp_path / "valve_threat_model_generated.csv"
    path.write_text("\n".join(_TMT_ENRICHED) + "\n", encoding="utf-8")
    model, report = checked_import(path)
    assert [t.id for t in model.threats] == ["1", "4", "6", "10"]
    # "Acceptance", "Mitigation", "Avoidance" are decisions: no control is named "Acceptance"
    assert model.controls == []
    first, second, third, fourth = model.threats
    assert [t.status for t in model.threats] == ["mitigated", "mitigated", "mitigated", "not_applicable"]
    # the likelihood of exploit and the CVSS severity are the factors, the risk prioritisation the stated level
    assert first.risk is not None and (first.risk.likelihood, first.risk.severity, first.risk.level) == ("Medium", "High", "high")
    assert second.risk is not None and (second.risk.likelihood, second.risk.severity, second.risk.level) == ("Low", "Medium", "low")
    assert first.cvss_score == 7.1 and first.cwe == ["CWE-20"]
    assert first.extra["Priority"] == "High" and first.extra["Risk Treatment"] == "Acceptance"
    # the interaction written in words is the flow between its ends, over what follows "via" / "over" / the bracket
    flows = {f.name: f for f in model.flows}
    bus = flows["PLC to Positioner via Modbus RTU (RS-485)"]
    assert (bus.source, bus.target, bus.protocol) == ("plc", "positioner", "Modbus RTU (RS-485)")
    assert flows["Debug probe to Positioner over JTAG"].protocol == "JTAG"
    assert flows["Operator to Positioner (GPIO)"].protocol == "GPIO"
    assert first.targets == second.targets == [bus.id] and third.targets and fourth.targets
    assert sorted(e.name for e in model.elements) == ["Debug probe", "Operator", "PLC", "Positioner"]
    assert not any("Acceptance" in w for w in warnings(report))


def test_to_in_a_column_not_named_for_flows_makes_no_flow(tmp_path: Path) -> None:
    rows = [
        ["ID", "Threat", "Component"],
        ["T1", "Stolen session", "Access to records via portal"],
    ]
    model, _ = checked_import(workbook(tmp_path / "reg.xlsx", {"Threats": rows}))
    assert model.flows == []
    assert [e.name for e in model.elements] == ["Access to records via portal"]


# -- a TARA generated as Markdown: the impact rated in a column per category (Safety, Financial, Operational,
#    Privacy), the attack feasibility as the likelihood, a stated risk; the rating scales of a quick reference above

_SFOP_TARA = """# Threat Analysis and Risk Assessment (TARA)

### Impact Rating Criteria

| Rating | Safety | Financial | Operational | Privacy |
|--------|--------|-----------|-------------|---------|
| **Severe** | Death or serious injury | >1,000,000 | Complete system failure | Mass data breach |
| **Major** | Light to moderate injury | 100,000 - 1,000,000 | Major degradation | Significant exposure |
| **Negligible** | No injury | <10,000 | Inconvenience only | No privacy impact |

| Total Score | Feasibility Rating |
|-------------|-------------------|
| 0-9 | Very High |
| 10-16 | High |
| ≥34 | Very Low |

## Threat Register

| ID | Asset | Threat | Attack Vector | Feasibility | Safety | Financial | Operational | Privacy | Risk | Treatment |
|---|---|---|---|---|---|---|---|---|---|---|
| TARA-001 | copy_name (cmd.c) | Bad input to copy_name crashes it | local | medium | high | low | medium | low | high | mitigate |
| TARA-002 | load_config (config.c) | Bad input to load_config crashes it | local | medium | low | low | medium | low | medium | mitigate |

_Total assets analysed: 2_
"""


def test_an_impact_rated_per_category_in_columns_gives_the_highest_as_severity(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, _SFOP_TARA, "tara.md")
    assert [t.id for t in model.threats] == ["TARA-001", "TARA-002"]  # the rating scales above are no threats
    first, second = model.threats
    assert first.risk is not None and (first.risk.likelihood, first.risk.severity, first.risk.level) == ("medium", "high", "high")
    assert second.risk is not None and (second.risk.likelihood, second.risk.severity, second.risk.level) == ("medium", "medium", "medium")
    assert first.risk.scale == second.risk.scale  # one scale for the table, not one per row's highest value
    # each category's rating kept as written (the safety one also read as the patient harm, as before)
    assert (first.extra["Safety"], first.extra["Financial"], first.extra["Operational"], first.extra["Privacy"]) == (
        "high",
        "low",
        "medium",
        "low",
    )
    said = [w for w in warnings(report) if "impact rated per category" in w]
    assert len(said) == 1 and "Safety, Financial, Operational, Privacy" in said[0]
    assert model.controls == []  # "mitigate" is a decision, no measure
