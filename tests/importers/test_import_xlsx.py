"""Excel registers in the layouts device makers really use (SPEC §3): each test is one layout."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from mdptm.errors import InputError
from mdptm.model import Model
from tests.importers.import_helpers import reconciles, records_at, run_import, warnings_with, workbook

THREAT_HEAD = ["Threat ID", "Threat", "STRIDE", "Affected Component(s)", "Risk", "Mitigation(s)", "Status"]
THREAT_ROWS = [
    ["T-01", "Spoofed programming command", "S", "Infusion Pump", "4 x 5 = 20", "C-01, C-02", "Mitigated"],
    ["T-02", "Drug library tampering", "T, I", "Drug Library Server", "High (12)", "C-02", "Partially mitigated"],
    ["T-03", "Gateway flooding", "D", "Gateway", "3", "None identified", "Risk accepted"],
]
CONTROL_HEAD = ["Control ID", "Security Control", "Category", "Responsibility"]
CONTROL_ROWS = [
    ["C-01", "Mutual TLS on the programming channel", "Authentication", "Manufacturer"],
    ["C-02", "Signed drug libraries", "Code, Data, and Execution Integrity", "Shared"],
]
COMPONENT_HEAD = ["Component ID", "Component", "Type"]
COMPONENT_ROWS = [
    ["E-1", "Infusion Pump", "Device"],
    ["E-2", "Drug Library Server", "Cloud service"],
    ["E-3", "Gateway", "Device"],
]


def _basic_sheets() -> dict[str, list[list[object]]]:
    return {
        "Threats": [THREAT_HEAD, *THREAT_ROWS],
        "Mitigations": [CONTROL_HEAD, *CONTROL_ROWS],
        "Components": [COMPONENT_HEAD, *COMPONENT_ROWS],
    }


def _check_basic(model: Model) -> None:
    t = {x.id: x for x in model.threats}
    assert sorted(t) == ["T-01", "T-02", "T-03"]
    assert t["T-01"].stride == ["spoofing"] and t["T-01"].targets == ["E-1"] and t["T-01"].controls == ["C-01", "C-02"]
    assert t["T-02"].stride == ["tampering", "information_disclosure"] and t["T-02"].status == "partially_mitigated"
    assert t["T-03"].controls == [] and t["T-03"].status == "accepted" and t["T-03"].targets == ["E-3"]
    assert t["T-01"].risk is not None and t["T-01"].risk.level == "critical" and t["T-01"].risk.score == 20
    assert {c.id: c.category for c in model.controls} == {"C-01": "authentication", "C-02": "integrity"}
    assert {c.id: c.responsibility for c in model.controls} == {"C-01": "manufacturer", "C-02": "shared"}
    assert [e.id for e in model.elements] == ["E-1", "E-2", "E-3"]


def test_basic_register_three_sheets(tmp_path: Path) -> None:
    model, report = run_import(workbook(tmp_path / "r.xlsx", _basic_sheets()))
    _check_basic(model)
    assert reconciles(report)
    assert report.counts.imported == 8 and report.counts.skipped == 3  # three header rows
    assert records_at(report, "Threats!A2")[0].item == "T-01"
    assert model.threats[0].source is not None and model.threats[0].source.locator == "Threats!A2"


def test_header_below_title_rows_and_facts_above(tmp_path: Path) -> None:
    sheets = _basic_sheets()
    sheets["Threats"] = [
        ["InfuMax 3000 — Cybersecurity Threat Register"],
        ["Manufacturer:", "Acme Medical Inc."],
        ["Product", "InfuMax 3000"],
        [],
        ["Prepared for the 510(k) submission; scores per SOP-RM-004"],
        THREAT_HEAD,
        *THREAT_ROWS,
    ]
    model, report = run_import(workbook(tmp_path / "r.xlsx", sheets))
    _check_basic(model)
    assert model.product.manufacturer == "Acme Medical Inc." and model.product.name == "InfuMax 3000"
    title = records_at(report, "Threats!A1")[0]
    assert title.disposition == "skipped" and "title row" in (title.reason or "")
    assert records_at(report, "Threats!A6")[0].reason == "header row of a threat table"
    assert records_at(report, "Threats!A7")[0].item == "T-01"
    assert reconciles(report)


def test_merged_two_level_header(tmp_path: Path) -> None:
    rows = [
        ["Threat ID", "Threat", "STRIDE", "Pre-mitigation risk", None, None, "Residual risk", None, None, "Status"],
        [None, None, None, "Likelihood", "Severity", "Score", "Likelihood", "Severity", "Score", None],
        ["T-1", "Replay of a bolus command", "S, T", "Likely (4)", "Critical (4)", "16", "Rare (1)", "Critical (4)", "4", "Mitigated"],
    ]

    def merge(wb: openpyxl.Workbook) -> None:
        ws = wb["Register"]
        ws.merge_cells("D1:F1")
        ws.merge_cells("G1:I1")
        for col in "ABCJ":
            ws.merge_cells(f"{col}1:{col}2")

    model, report = run_import(workbook(tmp_path / "r.xlsx", {"Register": rows}, merge))
    t = model.threats[0]
    assert t.risk is not None and t.residual_risk is not None
    assert (t.risk.likelihood, t.risk.severity, t.risk.score) == ("Likely (4)", "Critical (4)", 16)
    assert (t.residual_risk.likelihood, t.residual_risk.score, t.residual_risk.level) == ("Rare (1)", 4, "low")
    assert t.status == "mitigated" and t.stride == ["spoofing", "tampering"]
    assert [r.reason for r in report.records if r.disposition == "skipped"] == ["header row of a threat table"] * 2
    assert reconciles(report)


def test_multi_line_cells(tmp_path: Path) -> None:
    rows = [
        ["ID", "Threat", "Description", "STRIDE", "Controls"],
        [
            "T-7",
            "Firmware\nrollback",
            "An attacker installs an old image.\n\nThe old image has known flaws.",
            "Tampering\nElevation of Privilege",
            "C-1\nC-2",
        ],
    ]
    model, _ = run_import(
        workbook(
            tmp_path / "r.xlsx",
            {"Threats": rows, "Controls": [["Control ID", "Control"], ["C-1", "Signed images"], ["C-2", "Anti-rollback counter"]]},
        )
    )
    t = model.threats[0]
    assert t.title == "Firmware rollback"
    assert t.description == "An attacker installs an old image.\n\nThe old image has known flaws."
    assert t.stride == ["tampering", "elevation_of_privilege"] and t.controls == ["C-1", "C-2"]


def test_letters_and_words_give_the_same_model(tmp_path: Path) -> None:
    words = _basic_sheets()
    words["Threats"] = [THREAT_HEAD] + [
        [r[0], r[1], {"S": "Spoofing", "T, I": "Tampering / Information Disclosure", "D": "Denial of Service"}[r[2]], *r[3:]]
        for r in THREAT_ROWS
    ]
    a, _ = run_import(workbook(tmp_path / "letters.xlsx", _basic_sheets()))
    b, _ = run_import(workbook(tmp_path / "words.xlsx", words))
    assert [t.stride for t in a.threats] == [t.stride for t in b.threats]


def test_column_order_does_not_matter(tmp_path: Path) -> None:
    order = [6, 3, 0, 5, 1, 4, 2]
    sheets = _basic_sheets()
    sheets["Threats"] = [[row[i] for i in order] for row in [THREAT_HEAD, *THREAT_ROWS]]
    model, _ = run_import(workbook(tmp_path / "r.xlsx", sheets))
    _check_basic(model)


def test_names_instead_of_ids_and_an_unknown_name(tmp_path: Path) -> None:
    sheets = _basic_sheets()
    sheets["Threats"] = [
        THREAT_HEAD,
        ["T-01", "Spoof", "S", "  infusion   PUMP ", "", "Mutual TLS on the programming channel", "Open"],
        ["T-02", "Tamper", "T", "E-2; gateway", "", "C-02", "Open"],
        ["T-03", "Sniff", "I", "Nurse call system", "", "C-09", "Open"],
    ]
    model, report = run_import(workbook(tmp_path / "r.xlsx", sheets))
    t = {x.id: x for x in model.threats}
    assert t["T-01"].targets == ["E-1"] and t["T-01"].controls == ["C-01"]
    assert t["T-02"].targets == ["E-2", "E-3"]
    assert t["T-03"].targets == [] and t["T-03"].extra["Affected Component(s)"] == "Nurse call system"
    assert t["T-03"].extra["Mitigation(s)"] == "C-09"
    miss = warnings_with(report, "Nurse call system")
    assert miss and miss[0].locator == "Threats!A4"
    assert warnings_with(report, "'C-09'")
    assert [e.id for e in model.elements] == ["E-1", "E-2", "E-3"]  # nothing invented


def test_two_tables_stacked_on_one_sheet(tmp_path: Path) -> None:
    rows = [
        ["Threats"],
        THREAT_HEAD,
        *THREAT_ROWS,
        [],
        [],
        ["Mitigations"],
        CONTROL_HEAD,
        *CONTROL_ROWS,
    ]
    model, report = run_import(workbook(tmp_path / "r.xlsx", {"Register": rows, "Components": [COMPONENT_HEAD, *COMPONENT_ROWS]}))
    _check_basic(model)
    caption = records_at(report, "Register!A8")[0]
    assert caption.disposition == "skipped" and "Mitigations" in (caption.reason or "")
    assert reconciles(report)


def test_side_by_side_blocks(tmp_path: Path) -> None:
    rows: list[list[object]] = []
    left = [THREAT_HEAD, *THREAT_ROWS]
    right = [CONTROL_HEAD, *CONTROL_ROWS]
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else [None] * len(THREAT_HEAD)
        b = right[i] if i < len(right) else []
        rows.append([*a, None, *b])
    model, report = run_import(workbook(tmp_path / "r.xlsx", {"Register": rows, "Components": [COMPONENT_HEAD, *COMPONENT_ROWS]}))
    _check_basic(model)
    assert records_at(report, "Register!I2")[0].item == "C-01"  # the control block starts in column I
    assert all("Control ID" not in t.extra for t in model.threats)


def test_hidden_column_and_row_and_blank_spacer_row(tmp_path: Path) -> None:
    head = [*THREAT_HEAD, "Internal owner"]
    rows = [head, [*THREAT_ROWS[0], "JR"], [], [*THREAT_ROWS[1], "PK"], [*THREAT_ROWS[2], ""]]

    def hide(wb: openpyxl.Workbook) -> None:
        ws = wb["Threats"]
        ws.column_dimensions["H"].hidden = True
        ws.row_dimensions[5].hidden = True

    sheets = _basic_sheets()
    sheets["Threats"] = rows
    model, report = run_import(workbook(tmp_path / "r.xlsx", sheets, hide))
    _check_basic(model)
    assert model.threats[0].extra["Internal owner"] == "JR"
    assert records_at(report, "Threats!A3")[0].reason == "blank spacer row"
    assert warnings_with(report, "hidden column(s) H (Internal owner)")
    hidden_row = warnings_with(report, "row is hidden")
    assert [w.locator for w in hidden_row] == ["Threats!A5"]
    assert reconciles(report)


def test_second_sheet_of_mitigations_names_the_threats(tmp_path: Path) -> None:
    """Controls say which threats they mitigate; the threat table has no control column."""
    sheets = {
        "Threats": [["ID", "Threat", "STRIDE"], ["T-1", "Spoof pump", "S"], ["T-2", "Tamper log", "T"]],
        "Mitigations": [
            ["Mitigation ID", "Mitigation", "Mitigates"],
            ["M-1", "Mutual TLS", "T-1"],
            ["M-2", "Signed logs", "T-1, Tamper log"],
        ],
    }
    model, _ = run_import(workbook(tmp_path / "r.xlsx", sheets))
    assert {t.id: t.controls for t in model.threats} == {"T-1": ["M-1", "M-2"], "T-2": ["M-2"]}


def test_rows_join_across_tables_by_id(tmp_path: Path) -> None:
    sheets = {
        "Threats": [["Story ID", "Attacker story", "STRIDE"], ["S-01", "Bad actor reprograms the pump", "T"]],
        "Risk": [["Story ID", "Exploitability (1-3)", "Severity (1-3)", "Priority"], ["S-01", "2", "3", "High"]],
    }
    model, report = run_import(workbook(tmp_path / "r.xlsx", sheets))
    assert len(model.threats) == 1
    risk = model.threats[0].risk
    assert risk is not None and (risk.likelihood, risk.severity, risk.level) == ("2", "3", "high")
    assert records_at(report, "Risk!A2")[0].disposition == "merged"
    assert reconciles(report)


def test_unmapped_columns_go_to_extra_under_their_header(tmp_path: Path) -> None:
    rows = [["ID", "Threat", "Jira", "Owner", "Owner"], ["T-1", "Spoof", "SEC-12", "Ann", "Bo"]]
    model, _ = run_import(workbook(tmp_path / "r.xlsx", {"Threats": rows}))
    assert model.threats[0].extra == {"Jira": "SEC-12", "Owner": "Ann", "Owner (2)": "Bo"}


def test_values_that_cannot_be_normalised_stay_in_extra_with_a_warning(tmp_path: Path) -> None:
    rows = [["ID", "Threat", "STRIDE", "Status"], ["T-1", "Spoof", "Banana", "Escalated to the CAPA board"]]
    model, report = run_import(workbook(tmp_path / "r.xlsx", {"Threats": rows}))
    t = model.threats[0]
    assert t.extra == {"STRIDE": "Banana", "Status": "Escalated to the CAPA board"}
    assert t.status == "open" and t.stride == []
    assert len(warnings_with(report, "not understood")) == 2


def test_numeric_ids_restarting_per_table_do_not_collide(tmp_path: Path) -> None:
    sheets = {
        "Components": [["#", "Component"], [1, "Pump"], [2, "Server"]],
        "Threats": [["#", "Threat", "Component"], [1, "Spoof the pump", "Pump"], [2, "Flood the server", "Server"]],
    }
    model, report = run_import(workbook(tmp_path / "r.xlsx", sheets))
    assert [e.id for e in model.elements] == ["1", "2"]
    assert [t.id for t in model.threats] == ["T-1", "T-2"]
    assert [t.targets for t in model.threats] == [["1"], ["2"]]
    assert warnings_with(report, "already used by a element")


def test_register_only_creates_components_and_controls(tmp_path: Path) -> None:
    """No component or control table anywhere: the names and mitigation texts become items (with warnings)."""
    rows = [
        ["Ref", "Threat", "Component", "Mitigation"],
        ["1", "Spoof the pump", "Pump", "Use mutual TLS with device certificates"],
        ["2", "Tamper with the library", "Library server", "Sign libraries, verify on the pump"],
        ["3", "Replay the command", "Pump", "Use mutual TLS with device certificates"],
    ]
    model, report = run_import(workbook(tmp_path / "r.xlsx", {"Risk register": rows}))
    assert sorted(e.name for e in model.elements) == ["Library server", "Pump"]
    assert len(model.controls) == 2
    assert model.threats[0].controls == model.threats[2].controls
    assert model.controls[1].description == "Sign libraries, verify on the pump"
    assert warnings_with(report, "defined nowhere; created")


def test_flows_with_names_and_peer_only_interfaces(tmp_path: Path) -> None:
    sheets = {
        "Components": [COMPONENT_HEAD, *COMPONENT_ROWS],
        "Flows": [
            ["Flow ID", "Source", "Destination", "Protocol", "Port", "Encryption", "Direction"],
            ["F-1", "infusion pump", "Gateway", "Wi-Fi", "443", "TLS 1.2", "Bidirectional"],
            ["F-2", "Gateway", "Hospital EHR", "HL7", "2575", "None", "One-way"],
        ],
        "Interfaces": [["Interface", "Connected to", "Protocol"], ["Service port", "Service laptop", "USB"]],
    }
    model, report = run_import(workbook(tmp_path / "r.xlsx", sheets))
    f = {x.id: x for x in model.flows}
    assert (f["F-1"].source, f["F-1"].target, f["F-1"].bidirectional, f["F-1"].encryption) == ("E-1", "E-3", True, "TLS 1.2")
    assert f["F-2"].encryption == "none" and f["F-2"].bidirectional is False
    ehr = next(e for e in model.elements if e.name == "Hospital EHR")
    assert f["F-2"].target == ehr.id and warnings_with(report, "'Hospital EHR'")
    usb = next(x for x in model.flows if x.name == "Service port")
    assert usb.source == "E-1" and usb.protocol == "USB"


def test_hidden_sheet_is_read_and_reported(tmp_path: Path) -> None:
    def hide(wb: openpyxl.Workbook) -> None:
        wb["Mitigations"].sheet_state = "hidden"

    model, report = run_import(workbook(tmp_path / "r.xlsx", _basic_sheets(), hide))
    _check_basic(model)
    assert warnings_with(report, "sheet 'Mitigations' is hidden")


def test_threats_on_a_hidden_sheet_are_read_but_not_published(tmp_path: Path) -> None:
    """A backlog sheet hidden (or very hidden, only a macro shows it) was read and published: no reader of
    the workbook sees it. Its threats are kept, as confidential, with a warning saying how to publish them."""
    rows = [["ID", "Threat", "STRIDE", "Component", "Mitigation", "Status"]]

    def hide(wb: openpyxl.Workbook) -> None:
        wb["Backlog"].sheet_state = "hidden"
        wb["Scratch"].sheet_state = "veryHidden"

    sheets = {
        "Threats": [*rows, ["T-1", "Spoofed server", "S", "Pump", "Mutual TLS", "Mitigated"]],
        "Backlog": [*rows, ["T-9", "Axolotl debug backdoor", "E", "Pump", "Remove the account", "Open"]],
        "Scratch": [*rows, ["T-10", "Capybara key in firmware", "I", "Pump", "Rotate the key", "Open"]],
    }
    model, report = run_import(workbook(tmp_path / "r.xlsx", sheets, hide))
    got = {t.id: t.sensitivity for t in model.threats}
    assert got == {"T-1": "public", "T-9": "confidential", "T-10": "confidential"}
    assert warnings_with(report, "sheet 'Scratch' is hidden; read like the others; 1 threat or control row(s) on it read as confidential")


def test_profile_forces_sheet_and_columns(tmp_path: Path) -> None:
    rows = [["Key", "What could happen", "Place", "Fix", "Cat."], ["R1", "Pump spoofed", "Pump", "", "S"]]
    path = workbook(tmp_path / "r.xlsx", {"Odd": rows, "Parts": [["Part", "Kind"], ["Pump", "Device"]]})
    plain, _ = run_import(path)
    assert plain.threats == []
    profile = {
        "sheets": {
            "Odd": {
                "kind": "threat",
                "header_row": 1,
                "columns": {"Key": "id", "What could happen": "title", "C": "targets", "E": "stride", "Fix": "extra"},
            },
            "Parts": {"kind": "element", "columns": {"Part": "name", "Kind": "kind"}},
        }
    }
    model, report = run_import(path, profile=profile)
    assert [(t.id, t.title, t.stride) for t in model.threats] == [("R1", "Pump spoofed", ["spoofing"])]
    assert model.threats[0].targets == [model.elements[0].id] and model.elements[0].kind == "device"
    assert reconciles(report)


def test_profile_skip_and_bad_profiles(tmp_path: Path) -> None:
    path = workbook(tmp_path / "r.xlsx", _basic_sheets())
    model, report = run_import(path, profile={"sheets": {"Mitigations": "skip"}})
    assert model.controls == []
    assert all(r.reason == "skipped by the profile" for r in report.records if r.locator.startswith("Mitigations!"))
    with pytest.raises(InputError, match="unknown kind"):
        run_import(path, profile={"sheets": {"Threats": {"kind": "hazard"}}})
    with pytest.raises(InputError, match="not a field"):
        run_import(path, profile={"sheets": {"Threats": {"kind": "threat", "columns": {"X": "colour"}}}})


def test_formulas_dates_and_numbers_read_as_shown(tmp_path: Path) -> None:
    import datetime

    def values(wb: openpyxl.Workbook) -> None:
        ws = wb["Threats"]
        ws["D2"] = datetime.date(2024, 5, 17)
        ws["D2"].number_format = "yyyy-mm-dd"
        ws["E2"] = 4.0

    rows = [["ID", "Threat", "STRIDE", "Reviewed", "Score"], ["T-1", "Spoof", "S", None, None]]
    model, _ = run_import(workbook(tmp_path / "r.xlsx", {"Threats": rows}, values))
    t = model.threats[0]
    assert t.extra["Reviewed"] == "2024-05-17"
    assert t.risk is not None and t.risk.score == 4


def test_not_a_workbook_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError):
        run_import(bad)


def test_cell_comments_become_internal_notes(tmp_path: Path) -> None:
    from openpyxl.comments import Comment

    def note(wb: openpyxl.Workbook) -> None:
        wb["Threats"]["B2"].comment = Comment("Rating disputed by the safety team", "QA")

    model, _ = run_import(workbook(tmp_path / "r.xlsx", {"Threats": [["ID", "Threat", "STRIDE"], ["T-1", "Spoof", "S"]]}, note))
    assert model.threats[0].notes == "Comment: Rating disputed by the safety team"


def test_stride_as_a_matrix_of_marks(tmp_path: Path) -> None:
    rows = [
        ["Threat ID", "Threat", "S", "T", "R", "I", "D", "E"],
        ["T-1", "Forged command", "X", "x", "", "", "", ""],
        ["T-2", "Log wipe", "", "", "Yes", "", "", "✓"],
    ]
    model, _ = run_import(workbook(tmp_path / "m.xlsx", {"STRIDE per element": rows}))
    assert [t.stride for t in model.threats] == [["spoofing", "tampering"], ["repudiation", "elevation_of_privilege"]]
    assert model.threats[0].extra == {}


def test_unnamed_row_number_column_left_of_the_header(tmp_path: Path) -> None:
    rows = [[None, "Threat ID", "Threat", "STRIDE"], [1, "T-1", "Spoof", "S"], [2, "T-2", "Tamper", "T"]]
    model, report = run_import(workbook(tmp_path / "r.xlsx", {"Threats": rows}))
    assert [t.id for t in model.threats] == ["T-1", "T-2"]
    assert model.threats[0].extra == {"column A": "1"}
    assert [r.disposition for r in report.records] == ["skipped", "imported", "imported"]


@pytest.mark.slow
def test_ten_thousand_threats_import_quickly(tmp_path: Path) -> None:
    import time

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Threats")
    ws.append(["Threat register"])
    ws.append(["Threat ID", "Threat", "STRIDE", "Component", "Risk", "Controls", "Status"])
    for i in range(1, 10_001):
        ws.append(
            [
                f"T-{i:05d}",
                f"Threat number {i}",
                "STRIDE"[i % 6],
                f"Component {i % 50}",
                f"{i % 5 + 1} x 4",
                f"C-{i % 30}; C-{(i + 7) % 30}",
                ["Mitigated", "Open", "Risk accepted"][i % 3],
            ]
        )
    ctl = wb.create_sheet("Controls")
    ctl.append(["Control ID", "Control"])
    for i in range(30):
        ctl.append([f"C-{i}", f"Control {i}"])
    comp = wb.create_sheet("Components")
    comp.append(["Component"])
    for i in range(50):
        comp.append([f"Component {i}"])
    path = tmp_path / "big.xlsx"
    wb.save(str(path))
    start = time.perf_counter()
    model, report = run_import(path)
    elapsed = time.perf_counter() - start
    assert len(model.threats) == 10_000 and reconciles(report)
    assert model.threats[-1].controls == ["C-10", "C-17"] and model.threats[-1].targets == ["component-0"]
    assert elapsed < 60, f"10,000 threats took {elapsed:.1f} s"


def test_a_hidden_column_of_prose_is_kept_internal(tmp_path: Path) -> None:
    """A Description column the maker hid is not published (as hidden text in Word is not read): its text stays in
    the item's internal extra, with a warning; a hidden id or title column is read as usual."""
    sheets = {
        "Threats": [
            ["ID", "Threat", "Description", "STRIDE"],
            ["T-1", "Spoofed server", "Exploit: the debug key 0xDEADBEEF opens the service port", "S"],
        ]
    }

    def hide(wb: openpyxl.Workbook) -> None:
        wb["Threats"].column_dimensions["A"].hidden = True  # the id column: tidying, still read
        wb["Threats"].column_dimensions["C"].hidden = True

    model, report = run_import(workbook(tmp_path / "r.xlsx", sheets, hide))
    (t,) = model.threats
    assert (t.id, t.title) == ("T-1", "Spoofed server")
    assert "DEADBEEF" not in (t.description or "")
    assert t.extra["Description"] == "Exploit: the debug key 0xDEADBEEF opens the service port"
    assert warnings_with(report, "hidden column(s) C (Description) kept internal, not published")
    assert warnings_with(report, "hidden column(s) A (ID) read like the others")
    assert reconciles(report)


def test_a_stray_value_in_the_last_cell_is_reported_not_a_refusal(tmp_path: Path) -> None:
    """A value typed at XFD1048576 made the sheet 1 048 576 rows × 16 384 columns: the whole register was refused
    as too large to read. The table is read; the stray cell is named and not imported."""

    def stray(wb: openpyxl.Workbook) -> None:
        wb["Threats"]["XFD1048576"] = "oops"

    model, report = run_import(workbook(tmp_path / "r.xlsx", _basic_sheets(), stray))
    _check_basic(model)
    assert reconciles(report)
    (w,) = warnings_with(report, "stands far from the sheet's table")
    assert w.locator == "Threats!XFD1048576" and "'oops'" in w.message
    assert "oops" not in model.model_dump_json()


def test_a_sheet_large_in_truth_is_still_refused(tmp_path: Path) -> None:
    """Many cells far apart are a sheet too large to read, not strays: refused, naming the sheet."""

    def spread(wb: openpyxl.Workbook) -> None:
        for k in range(30):
            wb["Threats"].cell(row=5_000 * (k + 1), column=16_000, value=f"x{k}")

    with pytest.raises(InputError, match="too large to read") as err:
        run_import(workbook(tmp_path / "r.xlsx", _basic_sheets(), spread))
    assert err.value.locator == "Threats"
