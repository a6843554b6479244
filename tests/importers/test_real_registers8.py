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
