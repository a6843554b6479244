"""Layouts of real registers and catalogues written by other people (tests/data/registers-real/SOURCES.md, "Round 16
(tabular)"), each as a short paraphrased excerpt in the same shape; the registers read alike as CSV, as Markdown and
as a workbook laid out as people keep one (a merged title row, a two-row header, a notes row below the table)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.errors import InputError
from mdptm.pipeline.importing import ImportSource, import_sources
from tests.importers.import_helpers import checked_import, load_text, run_import, warning_messages
from tests.importers.test_catalogues15 import _CWE, _K8S
from tests.importers.test_real_tabular14 import _book, _both, _rows

# -- a cloud risk tool's threat library: threat types with generic descriptions, and the kinds of element each
# applies to written as the tool's type names ("1. PartnerService -> WebPortal"); no id, component, rating or measure

_LIBRARY = (
    "Threat,Description,Data Flow\n"
    "Outage Of Partner Service,Unexpected outage of the partner service,1. PartnerService -> WebPortal\n"
    "Leak Through Partner Service,Data leaked (information disclosure) through the partner service,"
    "1. PartnerService -> WebPortal\n"
    'Portal Session Takeover,"A session of the web portal is taken over by a third party",'
    '"1. WebPortal -> EndUser; 2. EndUser -> WebPortal"\n'
    'Volume Written Beyond Need,"A volume mounted read-write where reading suffices","1. Worker -> SharedVolume; 2. Worker -> HostDisk"\n'
)
_REGISTER = (
    "ID,Threat,Component,Likelihood,Impact,Mitigation\n"
    "T-01,Drug library replaced on the pump,Infusion pump,2,5,Signed drug library\n"
    "T-02,Dose log read off the gateway,Gateway,3,3,Encrypted storage\n"
)


def test_a_library_of_threat_types_alone_is_refused(tmp_path: Path) -> None:
    for name in ("library.csv", "library.xlsx"):
        path = tmp_path / name
        if name.endswith(".csv"):
            path.write_text(_LIBRARY, encoding="utf-8")
        else:
            _book(path, {"Library": _rows(_LIBRARY)})
        # before: 4 threats titled by the library's threat types
        with pytest.raises(InputError, match=r"catalogue of threat types \(its rows apply to kinds of element named in 'Data Flow'"):
            import_sources([ImportSource(path)])


def test_a_library_of_threat_types_beside_a_register_is_skipped(tmp_path: Path) -> None:
    book = _book(tmp_path / "tm.xlsx", {"Register": _rows(_REGISTER), "Library": _rows(_LIBRARY)})
    model, report = checked_import(book)
    # before: 6 threats, the library's 4 among them
    assert [t.id for t in model.threats] == ["T-01", "T-02"]
    assert any("not read as threats: catalogue of threat types" in w for w in warning_messages(report))


@pytest.mark.parametrize(
    "text",
    [
        # a product's own threats with no component, rating or measure: still its threats
        "Threat,Description\nDrug library replaced on the pump,An attacker swaps the library over Wi-Fi\n"
        "Dose log read off the gateway,A visitor copies the logs from the USB port\nAlarm silenced remotely,A forged "
        "command mutes the alarm\n",
        # flows between the product's parts, named with spaces as people name them
        "Threat,Description,Data Flow\n"
        "Drug library replaced,The library is swapped in transit,1. Library server -> Infusion pump\n"
        "Dose log read,Logs copied on the way,1. Infusion pump -> Gateway\n"
        "Alarm silenced,A forged command mutes it,1. Nurse station -> Infusion pump\n",
    ],
)
def test_a_register_without_a_component_column_still_imports(tmp_path: Path, text: str) -> None:
    for model, _report in _both(tmp_path, text, "register"):
        assert len(model.threats) == 3


_LANDSCAPE = (
    "# Mobile security\n\n## Threat landscape\n\n| Threat Category | Description | Examples |\n|---|---|---|\n"
    "| **Malicious apps** | Apps that steal data or spy | Fake apps, trojanised apps |\n"
    "| **Network attacks** | Traffic intercepted or changed | Rogue hotspot, TLS stripping |\n"
    "| **Physical access** | A lost or stolen device is read | Data extraction, credential harvesting |\n"
)


def test_a_table_of_threat_categories_with_examples_is_no_register(tmp_path: Path) -> None:
    # before: 3 threats titled by their examples ("Fake apps, trojanised apps")
    with pytest.raises(InputError, match="catalogue of threat types \\(its rows are kinds of threat with examples"):
        load_text(tmp_path, _LANDSCAPE)
    register = (
        "\n## Threats of the app\n\n| ID | Threat | Mitigation |\n|---|---|---|\n"
        "| T-1 | Session token read from logs | Tokens never logged |\n"
    )
    model, report = load_text(tmp_path, _LANDSCAPE + register, "app.md")
    assert [t.title for t in model.threats] == ["Session token read from logs"]
    assert any("catalogue of threat types" in w for w in warning_messages(report))


def test_a_catalogue_in_a_workbook_laid_out_by_hand_is_refused_as_its_csv_is(tmp_path: Path) -> None:
    book = _book(tmp_path / "matrix.xlsx", {"Register": _K8S}, ("Catalogue", ["tactics", "primary_component"]))
    # before: 4 threats on 4 components: the note row below the table was read as one more catalogue id
    with pytest.raises(InputError, match="Microsoft Threat Matrix for Kubernetes catalogue of threat types"):
        import_sources([ImportSource(book)])


# -- an API's threat model in French: the ATT&CK techniques as they touch the product, each with its measure

_TECHNIQUES = (
    "# API threat model\n\n### Mapping MITRE ATT&CK (sélection)\n\n"
    "| Technique ID | Technique | Tactic | Présence dans le projet | Contrôle |\n|---|---|---|---|---|\n"
    "| T1078.003 | Cloud Accounts | Initial Access | JWT auth | Expiry and rotation |\n"
    "| T1190 | Exploit Public-Facing Application | Initial Access | API endpoints | Schema validation |\n"
    "| T1068 | Exploitation for Privilege Escalation | Privilege Escalation | Container escape | Non-root user |\n"
)


def test_a_technique_table_written_for_the_product_gives_a_threat_per_row(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, _TECHNIQUES)
    # before: 1 threat titled by the heading, the techniques its description, no control
    assert [t.title for t in model.threats] == [
        "Cloud Accounts",
        "Exploit Public-Facing Application",
        "Exploitation for Privilege Escalation",
    ]
    assert [t.id for t in model.threats] == ["T-1", "T-2", "T-3"]
    assert model.threats[0].description == "Présence dans le projet: JWT auth"
    assert [t.extra.get("Technique ID") for t in model.threats] == ["T1078.003", "T1190", "T1068"]
    assert [c.title for c in model.controls] == ["Expiry and rotation", "Schema validation", "Non-root user"]
    assert [t.controls for t in model.threats] == [["C-1"], ["C-2"], ["C-3"]]
    assert any("each row read as a threat of the product" in w for w in warning_messages(report))


def test_an_attack_column_stays_a_reference(tmp_path: Path) -> None:
    text = (
        "# Ledger threat model\n\n## Attack Vectors & Mitigations\n\n| Vector | ATT&CK | Mitigation |\n|---|---|---|\n"
        "| Clock spoofing | T1070.006 | Monotonic time check |\n| Race on the lock | T1548 | Versioned lock |\n"
        "| Request flood | T1499 | Token-bucket limits |\n"
    )
    model, _report = load_text(tmp_path, text)
    # before: the threats' ids were T1070.006, T1548, T1499
    assert [t.id for t in model.threats] == ["T-1", "T-2", "T-3"]
    assert [t.extra.get("ATT&CK") for t in model.threats] == ["T1070.006", "T1548", "T1499"]


def test_a_cwe_export_is_refused_as_a_catalogue_of_weaknesses(tmp_path: Path) -> None:
    path = tmp_path / "cwe.csv"
    path.write_text(_CWE, encoding="utf-8")
    # before: "CWE catalogue of threat types"
    with pytest.raises(InputError, match="CWE catalogue of weaknesses"):
        import_sources([ImportSource(path)])


# -- a wearable's link to its risk analysis: "| Threat | Hazard | Existing risk controls |" rows naming two threats

_LINKS = (
    "# Cybersecurity\n\n## 4. Threat model\n\n| ID | Threat | STRIDE | Hazard | Controls |\n|---|---|---|---|---|\n"
    "| TH-1 | A look-alike sensor streams to the app | S | HAZ-013 | SC-1 |\n"
    "| TH-2 | Packets are changed in flight | T | HAZ-001 | SC-1 |\n"
    "| TH-3 | Foreign data fed on the test input | T | — | SC-2 |\n\n"
    "## 5. Controls\n\n| ID | Control | Threats | Status |\n|---|---|---|---|\n"
    "| SC-1 | Bonded, encrypted link | TH-1, TH-2 | Planned |\n| SC-2 | Checked test inputs | TH-3 | In place |\n\n"
    "## 8. Link to the risk analysis\n\n| Threat | Hazard | Existing risk controls | Risk-analysis open point |\n|---|---|---|---|\n"
    "| TH-1 (look-alike sensor), TH-3 (foreign test data) | HAZ-013 | RC-015 | OP-012 |\n"
    "| TH-2 (changed packets) | HAZ-001, HAZ-002 | RC-012 | — |\n"
)


def test_a_link_row_naming_two_threats_joins_both(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, _LINKS)
    by_id = {t.id: t for t in model.threats}
    assert sorted(by_id) == ["TH-1", "TH-2", "TH-3"]
    # before: TH-3 got no hazard from the row, and TH-1 kept "(look-alike sensor), TH-3 (…)" as an "Other title"
    assert {tid: t.hazards for tid, t in by_id.items()} == {"TH-1": ["HAZ-013"], "TH-2": ["HAZ-001", "HAZ-002"], "TH-3": ["HAZ-013"]}
    assert all("Other title" not in t.extra for t in model.threats)
    assert by_id["TH-3"].extra["Threat"] == "TH-1 (look-alike sensor), TH-3 (foreign test data)"
    assert by_id["TH-1"].title == "A look-alike sensor streams to the app"
    assert any("row names 2 threats (TH-1, TH-3)" in w for w in warning_messages(report))


# -- control statuses: "Weak" in a control matrix, and an existing control that is only assumed

_MATRIX = (
    "control_id,control_area,control_activity,mapped_risk_id,implementation_status\n"
    "C-01,Access Management,Quarterly access review,R-01,Partial\n"
    "C-03,Logging,Monthly log review,R-06,Weak\n"
    "C-04,Backup,Restore tests before term,R-03,Missing\n"
)


def test_a_weak_control_is_not_counted_in_place(tmp_path: Path) -> None:
    plain = tmp_path / "control_matrix.csv"
    plain.write_text(_MATRIX, encoding="utf-8")
    book = _book(tmp_path / "control_matrix.xlsx", {"Control matrix": _rows(_MATRIX)})
    for model, report in (checked_import(plain), checked_import(book)):
        # before: "Weak" not understood (warned), the control's status not stated (read implemented)
        assert [(c.status, c.status_stated) for c in model.controls] == [("planned", True), ("planned", True), ("not_implemented", True)]
        assert not any("'Weak'" in w for w in warning_messages(report))


_ASSUMED = (
    "risk_id,domain,risk_statement,likelihood,impact,inherent_score,existing_control,residual_score,priority,owner\n"
    "R-01,Identity,Two users are not enrolled in MFA,4,5,20,Enrollment reminders sent,16,Critical,Office Manager\n"
    "R-04,Resilience,Client files could be lost to ransomware,3,5,15,Backup assumed present,12,High,Owner\n"
    "R-07,Detection,An intruder goes unnoticed for weeks,3,4,12,Assumed-breach drills each quarter,9,Medium,Owner\n"
)


def test_an_existing_control_only_assumed_is_not_stated_in_place(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _ASSUMED, "assumed"):
        by_title = {c.title: c for c in model.controls}
        # before: "Backup assumed present" stated implemented by the existing_control header
        assert by_title["Backup assumed present"].status_stated is False
        assert by_title["Enrollment reminders sent"].status == "implemented"
        assert by_title["Enrollment reminders sent"].status_stated is True
        # a practice named with the word hedges nothing
        assert by_title["Assumed-breach drills each quarter"].status_stated is True
        assert any("'assumed' in its text: only assumed in place" in w for w in warning_messages(report))


# -- a wellness-device maker's STRIDE tables (one per category) beside SBOM, summary and claims tables

_DEVICE = (
    "# Threat Model and SBOM\n\n## 1. SBOM\n\n| Component | Version | License | CVE Status |\n|---|---|---|---|\n"
    "| BLE stack | 3.1.2 | MIT | No known CVEs |\n| Charts | 6.12.0 | MIT | No known CVEs |\n\n"
    "## 2. Threat Model\n\n**Assets:**\n- PHI (health data on the band and in the cloud)\n- Firmware integrity\n\n"
    "#### 2.2.1 Spoofing Threats\n\n| Threat ID | Threat | Asset | Attack Vector | Mitigation | Residual Risk |\n"
    "|---|---|---|---|---|---|\n"
    "| T-S-001 | A rogue radio poses as the band | PHI | BLE pairing | Device attestation; pairing confirmed in the app | Low |\n"
    "| T-S-002 | A fake backend answers the app | PHI, credentials | Interception | Certificate pinning | Low |\n\n"
    "#### 2.2.5 Denial of Service Threats\n\n| Threat ID | Threat | Asset | Attack Vector | Mitigation | Residual Risk |\n"
    "|---|---|---|---|---|---|\n"
    "| T-D-001 | Radio jamming stops the sync | Device function | RF jamming | Seven days of local buffering | Medium |\n\n"
    "### 2.3 Threat Summary\n\n| STRIDE Category | Total Threats | High Risk | Medium Risk | Low Risk |\n|---|---|---|---|---|\n"
    "| Spoofing | 2 | 0 | 0 | 2 |\n| Denial of Service | 1 | 0 | 1 | 0 |\n| **Total** | **3** | **0** | **1** | **2** |\n\n"
    "## 4. Claims\n\n| Claim | Claim Type | Substantiation Required | Substantiation Available | Status |\n|---|---|---|---|---|\n"
    '| "Monitors heart rate" | Structure/function | Performance testing | Lab testing complete | ✅ |\n'
)
_DEVICE_CSV = (
    "Threat ID,Threat,Asset,Attack Vector,Mitigation,Residual Risk\n"
    "T-S-001,A rogue radio poses as the band,PHI,BLE pairing,Device attestation; pairing confirmed in the app,Low\n"
    'T-S-002,A fake backend answers the app,"PHI, credentials",Interception,Certificate pinning,Low\n'
    "T-D-001,Radio jamming stops the sync,Device function,RF jamming,Seven days of local buffering,Medium\n"
)


def test_a_device_makers_stride_tables_read_alike_in_every_layout(tmp_path: Path) -> None:
    md = load_text(tmp_path, _DEVICE)
    for model, _report in [md, *_both(tmp_path, _DEVICE_CSV, "device", ("Assessment", ["Mitigation", "Residual Risk"]))]:
        assert [t.id for t in model.threats] == ["T-S-001", "T-S-002", "T-D-001"]
        assert [t.residual_risk.level if t.residual_risk else None for t in model.threats] == ["low", "low", "medium"]
        assert [t.controls != [] for t in model.threats] == [True, True, True]
        assert len(model.controls) == 3
    # the SBOM, summary and claims tables name no threat
    assert not md[0].elements


# -- an ISMS kit: a risk register with a treatment plan keyed by risk id ("Risk | Treatment | Owner | Priority")

_RISK_REGISTER = (
    "Risk ID,Asset,Threat,Vulnerability,Likelihood,Impact,Risk Score,Risk Rating,Treatment,Risk Owner\n"
    "R-001,Customer Database,Data Breach,Broad database privileges,4,5,20,Critical,Mitigate,Data Owner\n"
    "R-002,Web Application,SQL Injection,Unchecked input,4,5,20,Critical,Mitigate,App Owner\n"
    "R-005,Backup Storage,Ransomware,Backups not isolated,3,5,15,High,Mitigate,IT Manager\n"
)
_TREATMENT = (
    "# Risk Treatment Plan\n\n| Risk | Treatment | Owner | Priority |\n|---|---|---|---|\n"
    "| R-001 | Least privilege and access reviews | Data Owner | Critical |\n"
    "| R-002 | Secure development and security testing | App Owner | Critical |\n"
    "| R-005 | Isolated backups and restore tests | IT Manager | High |\n"
)


def test_a_treatment_plan_keyed_by_risk_id_gives_the_risks_controls(tmp_path: Path) -> None:
    register, plan = tmp_path / "risk-register.csv", tmp_path / "risk-treatment-plan.md"
    register.write_text(_RISK_REGISTER, encoding="utf-8")
    plan.write_text(_TREATMENT, encoding="utf-8")
    rows = [r.strip("|").split("|") for r in _TREATMENT.splitlines() if r.startswith("| ") and "---" not in r]
    book = _book(tmp_path / "isms.xlsx", {"Risk register": _rows(_RISK_REGISTER), "Treatment plan": [[c.strip() for c in r] for r in rows]})
    keyed = tmp_path / "plan-by-risk-id.md"
    keyed.write_text(_TREATMENT.replace("| Risk | Treatment", "| Risk ID | Treatment"), encoding="utf-8")
    # before: "no threat-model table recognised" in the plan (exit 2 with the register), its sheet skipped; headed
    # "Risk ID", "row 'R-001' gives no threat text" (exit 2)
    for model, report in (run_import(register, plan), run_import(book), run_import(register, keyed)):
        assert [t.id for t in model.threats] == ["R-001", "R-002", "R-005"]
        titles = {c.id: c.title for c in model.controls}
        assert {t.id: [titles[c] for c in t.controls] for t in model.threats} == {
            "R-001": ["Least privilege and access reviews"],
            "R-002": ["Secure development and security testing"],
            "R-005": ["Isolated backups and restore tests"],
        }
        assert any("treatment plan: 'Risk" in w and "gives the ids of the risks" in w for w in warning_messages(report))
