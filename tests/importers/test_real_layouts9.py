"""Layouts of real threat models written by other people (tests/data/markdown-real/SOURCES.md, "round 9"), each as
a short excerpt in the same shape, read alike in Markdown and in Word (tests/importers/md_word.py)."""

from __future__ import annotations

from pathlib import Path

from tests.importers.import_helpers import checked_import, load_text
from tests.importers.md_word import both as _both
from tests.importers.md_word import word_from_markdown

# -- an OT risk register report: "| Risk ID | Risk | Level | Treatment | Owner | Due |", no score, no status

_TOP_RISKS = (
    "# Risk Register Report\n\n## 3. Results\n\n### Top risks\n"
    "| Risk ID | Risk | Level | Treatment | Owner | Due |\n|---|---|---|---|---|---|\n"
    "| R-001 | Ransomware from business IT spreads to SCADA servers | High | OT DMZ; remove remote desktop to HMIs | "
    "SCADA Supervisor | 2027-01-31 |\n"
    "| R-002 | Attacker uses the integrator's always-on remote access | High | Jump host with named accounts, MFA | "
    "IT Manager | 2026-11-30 |\n"
    "| R-032 | Internet-exposed well-pad modems with default passwords | Moderate | Private network only | "
    "SCADA Supervisor | 2026-09-30 |\n"
    "| R-006 | Unapproved PLC logic change alters an injection limit | Moderate | Change requests, peer review | "
    "SCADA Supervisor | 2026-12-31 |\n"
)


def test_a_level_column_beside_no_rating_is_the_risk_level(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _TOP_RISKS):
        # before: no risk at all ("Level" kept in extra only)
        assert [t.risk.level if t.risk else None for t in model.threats] == ["high", "high", "medium", "medium"]
        assert any("'Level' states each row's risk level" in w.message for w in report.warnings)


def test_a_treatment_with_a_due_date_and_no_status_is_a_plan(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _TOP_RISKS):
        # before: every treatment "implemented" (not stated), as if in place
        assert [(c.status, c.status_stated) for c in model.controls] == [("planned", True)] * 4
        assert [len(t.controls) for t in model.threats] == [1, 1, 1, 1]
        assert any("due 2027-01-31 (column 'Due')" in w.message for w in report.warnings)


_STATUS_AND_DUE = (
    "## Risks\n\n| Risk ID | Risk | Treatment | Status | Due |\n|---|---|---|---|---|\n"
    "| R-1 | Stolen laptop exposes patient exports | Full-disk encryption | Mitigated | 2026-01-31 |\n"
    "| R-2 | Phishing of clinician accounts | MFA for every account | Mitigated | 2026-03-31 |\n"
)


def test_a_due_date_beside_a_stated_status_changes_nothing(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, _STATUS_AND_DUE)
    assert [t.status for t in model.threats] == ["mitigated", "mitigated"]
    assert not any(c.status == "planned" for c in model.controls)


# -- a healthcare GRC risk register (office-real/acme-health-risk-register.xlsx): "| Risk | Mitigation Strategy |
# Status | Target Completion Date |" with "Open" and "In Progress" risks, whose strategies are still to be done

_OPEN_AND_DUE = (
    "## Risks\n\n| Risk ID | Risk Name | Mitigation Strategy | Status | Target Completion Date |\n|---|---|---|---|---|\n"
    "| R-001 | Phishing Attack | Enable MFA and phishing training | Open | 2026-08-31 |\n"
    "| R-003 | Malware Infection | Update antivirus and patch systems | In Progress | 2026-08-20 |\n"
    "| R-007 | Stolen laptop | Full-disk encryption | Mitigated | 2026-01-31 |\n"
)


def test_a_treatment_due_on_a_risk_still_open_is_a_plan(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _OPEN_AND_DUE):
        assert [t.status for t in model.threats] == ["open", "partially_mitigated", "mitigated"]
        # before: the open risks' strategies shown as "Implemented (assumed: not stated)"
        status = {c.title: (c.status, c.status_stated) for c in model.controls}
        assert status["Enable MFA and phishing training"] == ("planned", True)
        assert status["Update antivirus and patch systems"] == ("planned", True)
        assert status["Full-disk encryption"] == ("implemented", False)  # a mitigated risk's treatment stays in place
        assert any("due 2026-08-31 (column 'Target Completion Date') and the risk is open" in w.message for w in report.warnings)
        assert any("the risk is partly mitigated (in progress): read as planned" in w.message for w in report.warnings)


# -- a program risk register (tests/data/markdown-real/SOURCES.md, round 10): "| Mitigation | Status | Target close UTC |"

_TARGET_CLOSE = (
    "# Program Risk Register\n\n| Risk ID | Risk statement | Mitigation | Status | Target close UTC |\n|---|---|---|---|---|\n"
    "| RISK-001 | Claims could ship without complete evidence mapping. | enforce release/evidence gate | open | "
    "2026-02-28T00:00:00Z |\n"
    "| RISK-002 | Spend can exceed the intended envelope. | enforce budget caps | closed | 2026-02-21T00:00:00Z |\n"
)


def test_a_target_close_date_in_a_time_zone_is_a_due_date(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _TARGET_CLOSE):
        status = {c.title.lower(): (c.status, c.status_stated) for c in model.controls}
        assert status["enforce release/evidence gate"] == ("planned", True)  # before: shown as in place
        assert status["enforce budget caps"][0] == "implemented"  # the closed risk's treatment is done
        assert any("(column 'Target close UTC') and the risk is open" in w.message for w in report.warnings)


# -- a DCB0129 clinical hazard log: "| ID | Hazard | Cause | Mitigation |", one mitigation closing on
# "(future enhancement)"

_HAZARD_LOG = (
    "# Clinical Safety Case\n\n## Hazard log (top-level)\n\n"
    "| ID | Hazard | Cause | Mitigation |\n| --- | --- | --- | --- |\n"
    "| H-01 | Incorrect band displayed | Engine rule bug | Unit tests on the grader covering each cut-off |\n"
    "| H-06 | Stale assessment used | Days-old score used at clinic appointment | Each assessment timestamped |\n"
    "| H-08 | Data loss | Browser crash | LocalStorage autosave (future enhancement) |\n\n"
    "## Verification evidence\n\n- Unit tests on every band.\n- Manual review against worked examples.\n"
)


def test_a_mitigation_closing_on_future_enhancement_is_planned(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _HAZARD_LOG):
        assert [t.id for t in model.threats] == ["H-01", "H-06", "H-08"]
        # before: "LocalStorage autosave (future enhancement)" read as a control in place
        status = {c.title: (c.status, c.status_stated) for c in model.controls}
        assert status["LocalStorage autosave (future enhancement)"] == ("planned", True)
        assert status["Each assessment timestamped"] == ("implemented", False)
        assert len(model.controls) == 3
        assert any("'future enhancement' read as planned" in w.message for w in report.warnings)


# -- an ISO 14971 IoT risk analysis: "**Risk Controls**:" over bullets each labelled with the kind of control

_RISK_CONTROLS = (
    "# IoT Device Risk Analysis\n\n## Risk Analysis\n\n"
    "### RISK-IOT-001: Bluetooth Communication Failure\n"
    "**Hazard**: Loss of wireless connectivity between patch and smartphone  \n"
    "**Harm**: Patient unaware of critical glucose levels, delayed treatment  \n"
    "**Severity**: Major (S3) - could lead to diabetic emergency  \n"
    "**Probability**: Occasional (P3) - BLE interference common  \n"
    "**Risk Level**: HIGH (S3 × P3 = 9)\n\n"
    "**Risk Controls**:\n"
    "- **Design Control**: Automatic reconnection algorithm with exponential backoff\n"
    "- **Implementation**: Data buffering for 24 hours of measurements\n"
    "- **Verification**: TC-002 Bluetooth reliability testing\n\n"
    "**Residual Risk**: MEDIUM (S3 × P2 = 6) - reduced probability through robust protocols\n"
)


def test_a_control_written_as_labelled_lines_is_titled_by_its_first_measure(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _RISK_CONTROLS):
        assert [t.id for t in model.threats] == ["RISK-IOT-001"]
        (ctl,) = model.controls
        # before: "Design Control: Automatic reconnection …" (the label kept in the title)
        assert ctl.title == "Automatic reconnection algorithm with exponential backoff"
        assert "Implementation: Data buffering" in (ctl.description or "")
        assert model.threats[0].controls == [ctl.id]


_ONE_LABELLED = "## Threats\n\n| ID | Threat | Mitigation |\n|---|---|---|\n| T1 | Token theft | MFA: required for every admin |\n"


def test_a_single_labelled_mitigation_keeps_its_label_in_the_title(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, _ONE_LABELLED)
    assert [c.title for c in model.controls] == ["MFA: required for every admin"]


# -- a medical wearable's attack tree: the same "Attack | Mitigation" table under a heading naming the
# mitigations of a sub-tree, once titled by an attack and once not

_ATTACK_MITIGATIONS = (
    "# Attack Tree\n\n## 5. G4 — Compromise Tailscale Mesh (new sub-tree)\n\n### 5.2 Mitigations for G4\n\n"
    "| Attack | Mitigation |\n|--------|-----------|\n"
    "| G4.1 (credential theft) | Enable 2FA on the mesh account; device keys with short expiry |\n"
    "| G4.2 (ACL misconfiguration) | Apply tag-based ACL; audit ACL in the admin console |\n\n"
    "## 6. G5 — Firmware Tampering Attacks (new sub-tree)\n\n### 6.2 Mitigations for G5\n\n"
    "| Attack | Mitigation |\n|--------|-----------|\n"
    "| G5.1 (firmware replacement) | SHA-256 integrity manifest verified at boot |\n"
    "| G5.2 (gateway modification) | Secure Boot; least-privilege service user |\n"
)


def test_attack_and_mitigation_tables_are_read_whatever_the_section_title(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _ATTACK_MITIGATIONS):
        # before: only the G5 rows (their section title holds "Attacks"); the G4 table "no threat-model table"
        assert [t.title for t in model.threats] == [
            "G4.1 (credential theft)",
            "G4.2 (ACL misconfiguration)",
            "G5.1 (firmware replacement)",
            "G5.2 (gateway modification)",
        ]
        assert [len(t.controls) for t in model.threats] == [1, 1, 1, 1]
        unsure = [w.message for w in report.warnings if w.message.startswith("unsure of")]
        assert len(unsure) == 1 and "(Attack | Mitigation): its heading names controls" in unsure[0]


_MITIGATION_LIST = (
    "# Security design\n\n## Mitigations\n\n| Mitigation | Owner |\n|---|---|\n"
    "| TLS 1.3 on every connection | Platform team |\n| Signed firmware images | Firmware team |\n"
)


def test_a_table_of_mitigations_under_a_mitigations_heading_stays_controls(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, _MITIGATION_LIST)
    assert model.threats == []
    assert [c.title for c in model.controls] == ["TLS 1.3 on every connection", "Signed firmware images"]


_NAMED_MEASURES = (
    "# Threat model\n\n## Threats\n\n### Threat: Cross-patient data access\n\n**Mitigation:**\n"
    "- **RLS**: sessions policy using (user_id = auth.uid())\n"
    "- **Audit**: every read of a session logged\n"
)


def test_labelled_lines_named_by_the_measure_keep_the_name_in_the_title(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _NAMED_MEASURES):
        assert [t.title for t in model.threats] == ["Cross-patient data access"]
        # "RLS" is the measure's own name, no kind of control: the title keeps it
        assert [c.title for c in model.controls] == ["RLS: sessions policy using (user_id = auth.uid())"]


# -- an ISO 14971 hazard register of a neuro-navigation device: "Initial Risk (S×P)" cells written in words,
# "Serious × Probable (Medium)", and residual cells "Serious × Remote (Acceptable)"

_WORDED_SXP = (
    "# ISO 14971 Initial Hazard Analysis & Risk Register v1.0\n\n"
    "## Initial Hazard Analysis & Risk Mitigation Table\n\n"
    "| Risk ID | Hazard & Sequence of Events | Hazardous Situation | Harm | Initial Risk (S×P) | Risk Control Measure "
    "| Requirement ID | Verification Method | Residual Risk (S×P) |\n|---|---|---|---|---|---|---|---|---|\n"
    "| **HAZ-001** | Clinician approves a candidate target without review. | Off-target stimulation delivered. "
    "| Lack of treatment efficacy. | Serious × Probable (Medium) | 1. No pre-selected default candidate in UI.<br>"
    "2. Explicit manual confirmation required. | `MAG-UX-031` | Usability Validation (`HF-07`) | Serious × Remote (Acceptable) |\n"
    "| **HAZ-003** | Patient motion corrupts connectome estimation. | Spurious target displacement. "
    "| Suboptimal target selection. | Minor × Probable (Medium) | 1. Automated motion censoring.<br>"
    "2. Fallback to Evidence-Only Prior upon QC failure. | `MAG-IMG-001` | QC Unit Testing (`QC-04`) | Minor × Remote (Acceptable) |\n"
)


def test_a_product_of_rating_words_keeps_the_level_its_author_states(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _WORDED_SXP):
        assert [t.id for t in model.threats] == ["HAZ-001", "HAZ-003"]
        # before: "high" then "low" (the level of the severity word alone), against the "(Medium)" written
        assert [t.risk.level if t.risk else None for t in model.threats] == ["medium", "medium"]
        first = model.threats[0]
        assert first.risk is not None and (first.risk.severity, first.risk.likelihood) == ("Serious", "Probable")
        # before: residual "high"; "(Acceptable)" states an acceptability, no level
        assert first.residual_risk is not None and first.residual_risk.level is None
        assert (first.residual_risk.severity, first.residual_risk.likelihood) == ("Serious", "Remote")


def test_a_mitigation_cell_numbered_as_a_list_is_titled_without_the_number(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _WORDED_SXP):
        # before: "1. No pre-selected default candidate in UI"
        assert [c.title for c in model.controls] == ["No pre-selected default candidate in UI", "Automated motion censoring"]
        assert "2. Explicit manual confirmation required." in (model.controls[0].description or "")


# -- a patient-data app's security report: "### Threat: title" over "**Threat Level**:", "**Mitigation**:" (a line
# or a list) and "**Status**:" written right under the list's last bullet, no blank line between

_STATUS_UNDER_LIST = (
    "# Security Report\n\n## 10. Threat Model & Mitigations\n\n"
    "### Threat: Encryption Key Compromise\n\n**Threat Level**: CRITICAL\n**Mitigation**:\n"
    "- Keys stored in environment variables (not in code)\n- Never log or expose keys\n**Status**: ✅ Implemented\n\n"
    "### Threat: Man-in-the-Middle Attack\n\n**Threat Level**: MEDIUM\n**Mitigation**: TLS 1.3 HTTPS encryption\n"
    "**Status**: ✅ Implemented\n"
)


def test_a_status_label_right_under_a_list_is_the_next_field(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _STATUS_UNDER_LIST):
        # before (Markdown): the first threat "open", its status swallowed by the last bullet of its mitigation
        assert [(t.title, t.status) for t in model.threats] == [
            ("Encryption Key Compromise", "mitigated"),
            ("Man-in-the-Middle Attack", "mitigated"),
        ]
        assert not any("Status" in (c.description or "") for c in model.controls)
        # before: "**Threat Level**: CRITICAL" kept in extra, no risk
        assert [t.risk.level if t.risk else None for t in model.threats] == ["critical", "medium"]
    md, _ = load_text(tmp_path, _STATUS_UNDER_LIST)
    # line numbers stay the author's although a blank line is put in before "**Status**"
    assert md.threats[1].source.locator == "line 13 (heading 'Threat: Man-in-the-Middle Attack')"


# -- a sports-tracker's one-page "Threat Model (STRIDE)": front matter, then one bullet per category
# "- **Spoofing:** rogue BLE devices → whitelist and mapping lock" (the others name only their measures)

_STRIDE_BULLETS = (
    '---\ntitle: "Threat Model (STRIDE)"\nstatus: "Draft"\nversion: "0.1.0"\n---\n\n# Threat Model (STRIDE)\n\n'
    "- **Spoofing:** Rogue BLE devices → Whitelist and mapping lock\n"
    "- **Tampering:** No external write paths; local integrity check\n"
    "- **Repudiation:** Minimal local logs; no personal data in logs\n"
    "- **Information Disclosure:** Scoreboard shows anonymous aliases only (optional)\n"
    "- **Denial of Service:** Limit the scan rate; connection limits\n"
    "- **Elevation of Privilege:** One local trainer role only, device PIN/MDM\n"
)


def test_bullets_labelled_by_stride_categories_are_one_threat_each(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _STRIDE_BULLETS):
        # before: exit 2 ("no threat-model content found"; the list skipped as bold terms)
        assert [t.stride for t in model.threats] == [
            ["spoofing"],
            ["tampering"],
            ["repudiation"],
            ["information_disclosure"],
            ["denial_of_service"],
            ["elevation_of_privilege"],
        ]
        first = model.threats[0]
        assert first.title == "Rogue BLE devices"
        assert [c.title for c in model.controls if c.id in first.controls] == ["Whitelist and mapping lock"]
        assert model.threats[1].title == "No external write paths; local integrity check"


_STRIDE_PRIMER_LIST = (
    "# Threat model\n\n## STRIDE\n\n"
    "- **Spoofing:** Pretending to be someone or something else\n"
    "- **Tampering:** Modifying data or code without authorisation\n"
    "- **Repudiation:** Claiming not to have performed an action\n\n"
    "## STRIDE Categories\n\n"
    "- **Spoofing:** Impersonation of a user or system\n"
    "- **Tampering:** Unauthorized modification of data\n"
    "- **Denial of Service:** Service unavailability\n\n"
    "## Threats\n\n| ID | Threat | Mitigation |\n|---|---|---|\n| T1 | Forged pump commands | Signed commands |\n"
)


def test_bullets_defining_the_stride_categories_are_no_threats(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _STRIDE_PRIMER_LIST):
        assert [t.title for t in model.threats] == ["Forged pump commands"]


# -- a medication-data pipeline's run notes: "| Misuse case | Control | Result |" with "Mitigated." / "Open."

_MISUSE_RESULTS = (
    "# Trial run notes\n\n## Misuse cases\n\n| Misuse case | Control | Result |\n|---|---|---|\n"
    "| Source-page medication identity promoted to trial acceptance. | Source research only selects candidates. | Mitigated. |\n"
    "| Read-only dry-run treated as a live write. | Dry-run flag printed on every line. | Mitigated. |\n"
    "| Checkpoint overwritten by a later run. | Checkpoints are append-only. | Open. |\n"
)


def test_the_result_column_of_misuse_cases_is_their_status(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _MISUSE_RESULTS):
        # before: every case "open" (not stated), "Mitigated." kept in extra
        assert [(t.status, t.status_stated) for t in model.threats] == [
            ("mitigated", True),
            ("mitigated", True),
            ("open", True),
        ]
        assert [len(t.controls) for t in model.threats] == [1, 1, 1]


_TEST_RESULTS = (
    "## Threats\n\n| ID | Threat | Mitigation | Result |\n|---|---|---|---|\n"
    "| T1 | Forged pump commands | Signed commands | Pass (12 vectors) |\n"
    "| T2 | Replayed boluses | Nonces | Fail, fixed in 2.1 |\n"
)


def test_a_result_column_of_test_outcomes_is_no_status(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, _TEST_RESULTS)
    assert [t.status_stated for t in model.threats] == [False, False]
    assert model.threats[0].extra["Result"] == "Pass (12 vectors)"


# -- an IoT accessory's THREAT_MODEL.md: "## Assets", "## Attack Surfaces", "## Defenses", "## Residual Risks" lists

_DEFENSES = (
    "\n# Threat Model\n\n## Assets\n- pairing keys\n- session keys\n\n## Attack Surfaces\n- WiFi network\n- pairing endpoint\n\n"
    "## Defenses\n- SRP authentication\n- encrypted transport\n- rate limiting\n\n"
    "## Residual Risks\n- hardware probing\n- fault injection\n"
)


def test_a_defenses_list_holds_one_control_per_bullet(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _DEFENSES):
        # before: the defenses skipped in both formats (Markdown: "list under 'Defenses' without threat labels")
        assert [c.title for c in model.controls] == ["SRP authentication", "encrypted transport", "rate limiting"]
        assert [a.name for a in model.assets] == ["pairing keys", "session keys"]
        assert model.threats == []


# -- a deep analysis of one attack path, in Word as in Markdown: numbered bold titles over "Description:" /
# "Attack Vector:" items (threats) and, after a bold line naming mitigations, over "Action:" / "Rationale:" (controls)

_TITLED_ITEMS = (
    "### 4. Deep Analysis of Attack Tree Path 3.1: Exploit the name server\n\n"
    "**4.1. Potential Vulnerabilities and Attack Vectors**\n\n"
    "*   **4.1.1. Buffer Overflows:**\n"
    "    *   **Description:**  The name server copies service names into a fixed buffer.\n"
    "    *   **Attack Vector:**  A malicious service sends an oversized name.\n"
    "    *   **Example:**  A 1024-byte name into a 256-byte buffer.\n\n"
    "*   **4.1.2. Code Injection (via Lua):**\n"
    "    *   **Description:**  Untrusted input reaches the Lua interpreter.\n"
    "    *   **Attack Vector:**  A service name holding Lua code.\n\n"
    "**4.2. Assessment**\n\n"
    "*   **Likelihood:**  Low (if well-audited).\n*   **Impact:**  Very High.\n\n"
    "**4.3. Mitigation Strategies (Detailed)**\n\n"
    "*   **4.3.1. Memory Safety Tools:**\n"
    "    *   **Action:**  Run AddressSanitizer in every test.\n"
    "    *   **Rationale:**  Memory errors are found before release.\n"
    "*   **4.3.2. Least Privilege:**\n"
    "    *   **Action:**  Run the name server as a dedicated user.\n"
    "    *   **Rationale:**  A compromise gains little.\n"
)


def test_numbered_titles_over_labelled_items_read_alike_in_word(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _TITLED_ITEMS):
        # before (Word): no threat, and every Action and Rationale line a control of its own (6 controls)
        assert [t.title for t in model.threats] == ["Buffer Overflows", "Code Injection (via Lua)"]
        assert sorted(c.title for c in model.controls) == ["Least Privilege", "Memory Safety Tools"]
        tools = next(c for c in model.controls if c.title == "Memory Safety Tools")
        assert "AddressSanitizer" in (tools.description or "") and "found before release" in (tools.description or "")


_DESCRIBED_SECTIONS = (
    "# Design notes\n\n**2. Components**\n\n"
    "*   **2.1. Name server:**\n    *   **Description:**  Keeps the service registry.\n"
    "    *   **Owner:**  Platform team.\n"
    "*   **2.2. Gateway:**\n    *   **Description:**  Terminates TLS.\n\n"
    "## Threats\n\n| ID | Threat | Mitigation |\n|---|---|---|\n| T1 | Registry poisoning | Signed registrations |\n"
)


def test_numbered_titles_over_descriptions_without_an_attack_vector_are_no_threats(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _DESCRIBED_SECTIONS):
        assert [t.title for t in model.threats] == ["Registry poisoning"]


_PRIVACY_RIGHTS = (
    "# Security Report\n\n## 9. CCPA Compliance Checklist\n\n| Right/Requirement | Status | Implementation |\n"
    "|---|---|---|\n| Right to know | ✅ | Users can view data via app |\n| Right to delete | ✅ | Secure delete function |\n"
    "| Do Not Sell | ✅ | Data not shared/sold |\n\n"
    "## 10. Threat Model & Mitigations\n\n### Threat: Unauthorized Access to Patient Data\n\n"
    "**Threat Level**: HIGH\n**Mitigation**: RLS policies + JWT authentication\n**Status**: ✅ Implemented\n"
)


def test_a_privacy_rights_checklist_holds_no_controls(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _PRIVACY_RIGHTS):
        # before: "Right to know", "Right to delete", "Do Not Sell" read as three security controls in place
        assert [c.title for c in model.controls] == ["RLS policies + JWT authentication"]
        assert [t.title for t in model.threats] == ["Unauthorized Access to Patient Data"]
        assert any("privacy rights table" in w.message for w in report.warnings)


# -- a DCB0129 hazard log of a kidney self-care app: measures numbered on one line ("1. … 2. …"), risks "High (4x3=12)"

_ONE_LINE_NUMBERED = (
    "# Clinical Safety & Hazard Log (DCB0129 / DCB0160)\n\n## 2. DCB0129 Hazard Log\n\n"
    "| Hazard ID | Hazard Description | Potential Clinical Consequence | Initial Risk Score | Mitigation & Design Controls "
    "| Residual Risk Score |\n|---|---|---|---|---|---|\n"
    "| **HAZ-001** | **Patient reads an estimate as a diagnosis.** | Unwarranted anxiety. | Moderate (3x3=9) "
    "| 1. Warning banners on all calculators. 2. No automatic diagnostic labels. | Low (1x2=2) |\n"
    "| **HAZ-005** | **Calculation error in the eGFR formula.** | Wrong risk shown. | High (4x3=12) "
    "| 1. Verified equation test suite. 2. Input bounds validation. | Low (1x1=1) |\n"
)


def test_measures_numbered_on_one_line_are_titled_without_the_number(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _ONE_LINE_NUMBERED):
        # before: "1. Warning banners on all calculators"
        assert [c.title for c in model.controls] == ["Warning banners on all calculators", "Verified equation test suite"]
        assert [(t.risk.level if t.risk else None, t.residual_risk.level if t.residual_risk else None) for t in model.threats] == [
            ("medium", "low"),
            ("high", "low"),
        ]


# -- an AI pathology device's hazard analysis: "**Hazard H001: title**" bold lines (no headings) over labelled
# bullets, "**Risk Control Measures:**" over "1. **Primary Control:** …", "**Residual Risk:** Low (P2/S4) - …"

_BOLD_HAZARDS = (
    "# Hazard Analysis — AI Pathology Decision Support\n\n## 2. Hazard Analysis\n\n#### 2.1.1 Diagnostic Accuracy Hazards\n\n"
    "**Hazard H001: False Negative Results (Missed Cancer Diagnosis)**\n"
    "- **Description:** AI system fails to detect cancer in positive cases\n"
    "- **Severity:** S4 (Critical - potential for permanent moderate injury)\n"
    "- **Initial Risk Level:** Medium\n\n"
    "**Risk Control Measures:**\n1. **Primary Control:** Mandatory pathologist review of all AI results\n"
    "2. **Secondary Control:** Conservative diagnostic thresholds\n\n"
    "**Residual Risk:** Low (P2/S4) - Acceptable with pathologist oversight\n\n---\n\n"
    "**Hazard H002: False Positive Results (Incorrect Cancer Diagnosis)**\n"
    "- **Description:** AI system incorrectly identifies cancer in negative cases\n"
    "- **Severity:** S3 (Serious - temporary moderate injury)\n"
    "- **Initial Risk Level:** Medium\n\n"
    "**Risk Control Measures:**\n1. **Primary Control:** Pathologist verification of all positive results\n"
    "2. **Training:** Comprehensive user training on AI limitations\n\n"
    "**Residual Risk:** Low (P2/S3) - Acceptable with clinical oversight\n"
)


def test_bold_hazard_lines_with_ids_are_one_risk_each(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _BOLD_HAZARDS):
        _two_hazards(model)


def _two_hazards(model) -> None:  # noqa: ANN001
    # before: the file read as one risk named after its title ("Hazard Analysis — …"), one control (Markdown); no
    # threat and the second hazard's fields as controls (Word)
    assert [(t.id, t.title) for t in model.threats] == [
        ("H001", "False Negative Results (Missed Cancer Diagnosis)"),
        ("H002", "False Positive Results (Incorrect Cancer Diagnosis)"),
    ]
    assert [(t.risk.level if t.risk else None, t.residual_risk.level if t.residual_risk else None) for t in model.threats] == [
        ("medium", "low"),
        ("medium", "low"),
    ]
    titles = {c.id: c.title for c in model.controls}
    assert [[titles[c] for c in t.controls] for t in model.threats] == [
        ["Mandatory pathologist review of all AI results"],
        ["Pathologist verification of all positive results"],
    ]


def test_in_word_the_fields_after_a_measures_label_are_no_controls(tmp_path: Path) -> None:
    model, _report = checked_import(word_from_markdown(_BOLD_HAZARDS, tmp_path / "tm.docx"))
    # before: "Description: …", "Severity: …", "Initial Risk Level: Medium" of the second hazard read as controls
    titles = [c.title for c in model.controls]
    assert not any(t.startswith(("Description", "Severity", "Initial Risk")) for t in titles)
    assert titles == ["Mandatory pathologist review of all AI results", "Pathologist verification of all positive results"]


_MEASURES_THEN_PROSE = (
    "# Device risk notes\n\n## Alarm handling\n\n**Mitigations:**\n- Redundant alarm tones\n- Alarm self-test at start-up\n\n"
    "The alarm subsystem was reviewed in March.\n\n- Reviewed by the clinical lead\n- Signed off in the design review\n"
)


def test_in_word_prose_after_a_measures_list_ends_it(tmp_path: Path) -> None:
    model, _report = checked_import(word_from_markdown(_MEASURES_THEN_PROSE, tmp_path / "tm.docx"))
    # before: "Reviewed by the clinical lead" and "Signed off in the design review" read as two more controls
    assert [c.title for c in model.controls] == ["Redundant alarm tones", "Alarm self-test at start-up"]


# -- an ISO 14971 hazard analysis of an applicator-tracking system: "### HAZ-001: title" over an "Attribute |
# Value" form and a "Control ID | Control Measure | Type" table, under "# Hazard Analysis — <system>"

_HAZARD_FORMS = (
    "# Hazard Analysis — Applicator Tracking System (ISO 14971)\n\n## 3. Hazard Identification and Analysis\n\n"
    "### HAZ-001: Incorrect Applicator Tracking\n\n| Attribute | Value |\n|---|---|\n| **Hazard ID** | HAZ-001 |\n"
    "| **Hazard Description** | Applicator usage not correctly recorded |\n| **Initial Risk** | Medium |\n\n"
    "**Risk Control Measures:**\n| Control ID | Control Measure | Type |\n|---|---|---|\n"
    "| RC-001-A | Validate applicator serial numbers against inventory | Inherent Safety |\n\n"
    "**Residual Risk:**\n- Severity: 4 | Probability: 1 | Risk Level: **Medium (Acceptable with ALARP)**\n\n"
    "### HAZ-003: Unauthorized Access to Patient Treatment Data\n\n| Attribute | Value |\n|---|---|\n"
    "| **Hazard ID** | HAZ-003 |\n| **Hazard Description** | Unauthorized users access treatment records |\n"
    "| **Initial Risk** | Medium |\n\n"
    "**Risk Control Measures:**\n| Control ID | Control Measure | Type |\n|---|---|---|\n"
    "| RC-003-A | Validate user email against the phone book | Inherent Safety |\n\n"
    "**Residual Risk:**\n- Severity: 3 | Probability: 1 | Risk Level: **Low (Acceptable)**\n"
)


def test_a_file_of_hazard_forms_is_not_one_risk_named_after_its_title(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _HAZARD_FORMS):
        # before (Markdown): a third "risk" titled "Applicator Tracking System (ISO 14971)", made of the whole file
        assert [t.id for t in model.threats] == ["HAZ-001", "HAZ-003"]
        # before (Word): the residual-risk bullets read as controls
        assert sorted(c.id for c in model.controls) == ["RC-001-A", "RC-003-A"]
        # before: the control tables under each hazard's heading linked to nothing
        assert [t.controls for t in model.threats] == [["RC-001-A"], ["RC-003-A"]]


# -- a security audit: "### Threat: title" over "**Likelihood**:", "**Risk**:" and "**Mitigations Required**:" bullets

_REQUIRED = (
    "# Security Audit\n\n## Threat Model Analysis\n\n### Threat: Unauthorized Data Access\n**Likelihood**: MEDIUM\n"
    "**Impact**: HIGH\n**Risk**: HIGH\n\n**Mitigations Required**:\n- Implement agent ID validation (H-1)\n"
    "- Audit log all pattern access\n\n### Threat: Denial of Service\n**Likelihood**: MEDIUM\n**Impact**: MEDIUM\n"
    "**Risk**: MEDIUM\n\n**Mitigations Required**:\n- Add global memory limits (M-2)\n"
)


def test_mitigations_required_are_planned_controls_in_word_too(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _REQUIRED):
        # before (Word): the required mitigations kept in the threats' extra, no control
        assert [len(t.controls) for t in model.threats] == [1, 1]
        assert [(c.status, c.status_stated) for c in model.controls] == [("planned", True), ("planned", True)]


_REQUIREMENTS_TO_HAZARDS = (
    "# Hazard Analysis\n\n## Hazards\n\n| Hazard ID | Hazard | Initial Risk |\n|---|---|---|\n"
    "| HAZ-001 | Applicator usage not recorded | Medium |\n| HAZ-003 | Unauthorized access to treatment data | Medium |\n\n"
    "## Safety-Critical Requirements\n\n| Requirement ID | Description | Related Hazards |\n|---|---|---|\n"
    "| SRS-SCAN-003 | Validate applicator against inventory | HAZ-001 |\n| SRS-AUTH-007 | HttpOnly secure cookies | HAZ-003 |\n"
)


def test_safety_requirements_traced_to_hazards_link_them(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _REQUIREMENTS_TO_HAZARDS):
        # before: the requirements read as controls linked to nothing ("Related Hazards" not read)
        assert [t.controls for t in model.threats] == [["SRS-SCAN-003"], ["SRS-AUTH-007"]]
