"""Control statuses that claimed more than their source: a threat table's "Status" of work not done ("Planned",
"Open", "In progress", "TODO", "Not started") left the control made from that threat's mitigation text in place
(status not stated, counted implemented), in Markdown, Word, CSV and Excel and in Word's heading per threat; a control
status saying the control is there only in part ("Inventory exists but incomplete", "In place for the pump only") or
only to come ("Next release") read as implemented. Each excerpt is paraphrased from the shape of a real register."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importers.import_helpers import checked_import, warnings_with, workbook
from tests.importers.md_word import both

# -- a device maker's threat table: one row per threat, its mitigation and where the work on it stands

_ROWS = [
    ("T-01", "Drug library tampered in transit", "Tampering", "Signed drug library packages", "Planned"),
    ("T-02", "Clinician session hijacked", "Spoofing", "Session timeout after 10 minutes of inactivity", "Open"),
    ("T-03", "Syslog flooding from the pump", "Denial of service", "Rate limit on the syslog forwarder", "In progress"),
    ("T-04", "Firmware downgraded to a vulnerable build", "Tampering", "Anti-rollback counter in the bootloader", "TODO"),
    ("T-05", "BLE pairing sniffed", "Information disclosure", "LE Secure Connections pairing", "Not started"),
    ("T-06", "Audit log wiped by a service user", "Repudiation", "Append-only audit log", "Mitigated"),
]
_HEADER = ("ID", "Threat", "STRIDE", "Mitigation", "Status")
_TABLE = (
    "# Infusion pump threat model\n\n## Threats\n\n| "
    + " | ".join(_HEADER)
    + " |\n|---|---|---|---|---|\n"
    + "".join("| " + " | ".join(r) + " |\n" for r in _ROWS)
)
# work not done: the control is later work; "Mitigated" says the threat is dealt with, not which measure is in place
_EXPECTED = [
    ("Signed drug library packages", "planned", True),
    ("Session timeout after 10 minutes of inactivity", "planned", True),
    ("Rate limit on the syslog forwarder", "planned", True),
    ("Anti-rollback counter in the bootloader", "planned", True),
    ("LE Secure Connections pairing", "planned", True),
    ("Append-only audit log", "implemented", False),
]


def _statuses(model: object) -> list[tuple[str, str, bool]]:
    return [(c.title, c.status, c.status_stated) for c in model.controls]  # type: ignore[attr-defined]


def test_a_threat_tables_status_of_work_not_done_reaches_its_mitigations_control_in_markdown_and_word(tmp_path: Path) -> None:
    for model, report in both(tmp_path, _TABLE):
        # before: every control ('…', 'implemented', False): counted in place
        assert _statuses(model) == _EXPECTED
        assert [t.status for t in model.threats] == ["open", "open", "partially_mitigated", "open", "open", "mitigated"]
        assert warnings_with(report, "the threat's status 'Planned' says its mitigation is not in place: read as planned")


def test_a_threat_registers_status_of_work_not_done_reaches_its_mitigations_control_in_csv_and_excel(tmp_path: Path) -> None:
    csv = tmp_path / "register.csv"
    csv.write_text("\n".join(",".join(r) for r in [_HEADER, *_ROWS]) + "\n", encoding="utf-8")
    xlsx = workbook(tmp_path / "register.xlsx", {"Threats": [_HEADER, *_ROWS]})
    for path in (csv, xlsx):
        model, _report = checked_import(path)
        assert _statuses(model) == _EXPECTED, path.name


def test_a_mitigation_status_column_of_a_register_reaches_the_control_too(tmp_path: Path) -> None:
    rows = [("ID", "Threat", "Mitigation", "Mitigation status"), ("T-1", "Replay of bolus command", "Nonce per command", "planned")]
    model, _report = checked_import(workbook(tmp_path / "r.xlsx", {"Threats": rows}))
    # before: ('Nonce per command', 'implemented', False)
    assert _statuses(model) == [("Nonce per command", "planned", True)]


_HEADINGS = (
    "# Pump threat model\n\n## Threats\n\n### T-01 Drug library tampered in transit\n\n"
    "Description: An attacker on the hospital network alters the drug library on its way to the pump.\n\n"
    "Status: Planned\n\nMitigation: Signed drug library packages\n\n"
    "### T-02 Clinician session hijacked\n\nDescription: A session cookie is replayed from another workstation.\n\n"
    "Status: In progress\n\nMitigation: Session timeout after 10 minutes of inactivity\n\n"
    "### T-03 Audit log wiped\n\nDescription: A service user removes the audit log.\n\n"
    "Status: Mitigated\n\nMitigation: Append-only audit log\n"
)


def test_a_heading_per_threat_with_a_status_paragraph_reaches_its_mitigations_control_in_word(tmp_path: Path) -> None:
    for model, _report in both(tmp_path, _HEADINGS):
        # before (Word): ('Signed drug library packages', 'implemented', False), ('Session timeout …', 'implemented', False)
        assert _statuses(model) == [
            ("Signed drug library packages", "planned", True),
            ("Session timeout after 10 minutes of inactivity", "planned", True),
            ("Append-only audit log", "implemented", False),
        ]


# -- a control table whose status says the control is there only in part, or only to come

_CONTROLS = (
    "# Security controls\n\n## Controls\n\n| ID | Control | Status |\n|---|---|---|\n"
    "| C-01 | Software inventory (SBOM) | Inventory exists but incomplete |\n"
    "| C-02 | Role-based access for service users | Partially implemented |\n"
    "| C-03 | Disk encryption | In place for the pump only |\n"
    "| C-04 | Signed firmware images | Milestone 3 |\n"
    "| C-05 | Secure boot | Phase 2 |\n"
    "| C-06 | Audit log export | Sprint 12 |\n"
    "| C-07 | Session timeout | Next release |\n"
    "| C-08 | TLS 1.2 on the gateway link | Implemented |\n"
)


def test_a_control_in_place_only_in_part_or_only_to_come_is_planned_in_markdown_and_word(tmp_path: Path) -> None:
    for model, report in both(tmp_path, _CONTROLS):
        got = {c.id: (c.status, c.status_stated) for c in model.controls}
        # before: C-01 and C-07 ('implemented', False), C-03 ('implemented', True)
        assert got == {f"C-0{n}": ("planned", True) for n in range(1, 8)} | {"C-08": ("implemented", True)}
        by_id = {c.id: c for c in model.controls}
        assert "Inventory exists but incomplete" in by_id["C-01"].extra.values()  # kept as written
        assert warnings_with(report, "'In place for the pump only' says in place only in part, read as planned")


_CONTROL_HEADINGS = (
    "# Security controls\n\n## Controls\n\n### C-01 Software inventory\n\nDescription: An SBOM is kept for each release.\n\n"
    "Status: Inventory exists but incomplete\n\n### C-02 Session timeout\n\nDescription: Idle sessions end.\n\n"
    "Status: Next release\n\n### C-03 Disk encryption\n\nDescription: AES-256 on the data partition.\n\n"
    "Status: In place for the pump only\n\n### C-04 Signed firmware\n\nDescription: Images are signed.\n\nStatus: Sprint 12\n"
)


def test_a_control_heading_whose_status_says_in_part_or_to_come_is_planned_in_markdown_and_word(tmp_path: Path) -> None:
    for model, _report in both(tmp_path, _CONTROL_HEADINGS):
        # before: C-01 and C-02 ('implemented', False), C-03 ('implemented', True)
        assert [(c.id, c.status, c.status_stated) for c in model.controls] == [
            ("C-01", "planned", True),
            ("C-02", "planned", True),
            ("C-03", "planned", True),
            ("C-04", "planned", True),
        ]


@pytest.mark.parametrize(
    "status",
    ["Implemented", "In place", "Implemented; only signed images boot", "Complete", "Deployed on all pumps", "Release 2.1 (in place)"],
)
def test_a_control_status_in_place_stays_in_place(tmp_path: Path, status: str) -> None:
    text = f"# Controls\n\n| ID | Control | Status |\n|---|---|---|\n| C-01 | Code signing | {status} |\n"
    for model, _report in both(tmp_path, text):
        assert (model.controls[0].status, model.controls[0].status_stated) == ("implemented", True), status
