"""Layouts of real threat models written by other people (tests/data/markdown-real/SOURCES.md), each as a small
synthetic excerpt in the same shape."""

from __future__ import annotations

from pathlib import Path

from tests.importers.test_real_layouts3 import load_text, warnings

# -- a risk written as one file (a SaMD's risk file): front matter, factor tables, control headings

_RISK_FILE = (
    "---\nid: RISK-SEC-007\ntitle: Tampered Firmware Image Accepted\nstatus: approved\nreviewers:\n  - quality\n---\n\n"
    "# Risk Analysis: Tampered Firmware Image Accepted\n\n## Risk Path\n\n"
    "**Analyzes:** [HAZ-SEC-004](HAZ-SEC-004.md)\n**Leads to:** [HS-009](../HS-009.md)\n\n"
    "## Inherent Risk Assessment\n\n| Factor | Rating | Justification |\n| --- | --- | --- |\n"
    "| Severity | 4 (Critical) | Wrong therapy delivered |\n| Probability | 2 (Remote) | Needs signing key |\n"
    "| **Inherent Risk** | **8 - ALARP** | Reduce as far as practicable |\n\n"
    "## Risk Controls\n\n### [SRS-011](../SRS-011.md) - Signed Firmware Images\n\n**Reduces:** sequence_probability\n\n"
    "The bootloader verifies an ECDSA signature before any image runs.\n\n**Verification:** [TC-031](../TC-031.md)\n\n"
    "### [SRS-012](../SRS-012.md) - Anti-Rollback Counter\n\nA monotonic counter refuses older images.\n\n"
    "## Residual Risk Assessment\n\n| Factor | Rating | Justification |\n| --- | --- | --- |\n"
    "| Severity | 4 (Critical) | Unchanged |\n| Probability | 1 (Rare) | Signature required |\n"
    "| **Residual Risk** | **4 - Acceptable** | Within tolerance |\n\n"
    "## Risk-Benefit Analysis\n\nNot required - residual risk is acceptable.\n"
)


def test_a_risk_written_as_one_file_is_that_risk_with_its_controls(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, _RISK_FILE)
    assert [t.id for t in model.threats] == ["RISK-SEC-007"]
    risk = model.threats[0]
    assert risk.title == "Tampered Firmware Image Accepted"
    assert risk.controls == ["SRS-011", "SRS-012"]
    assert risk.risk is not None and risk.risk.severity == "4 (Critical)" and risk.risk.likelihood == "2 (Remote)"
    assert risk.risk.score == 8
    assert risk.residual_risk is not None and risk.residual_risk.likelihood == "1 (Rare)" and risk.residual_risk.score == 4
    # "4 (Critical)", "2 (Remote)" are points of 5-point scales: levelled on 5 × 5, not on a scale guessed from one row
    assert risk.risk.scale == "5x5" and risk.residual_risk.scale == "5x5" and risk.residual_risk.level == "low"
    # the words beside the scores, the justifications and the risk path are kept, not dropped
    assert risk.extra["Inherent Risk"] == "8 - ALARP" and risk.extra["Residual Risk"] == "4 - Acceptable"
    assert risk.extra["Analyzes"] == "HAZ-SEC-004" and risk.extra["Leads to"] == "HS-009"
    assert risk.extra["Residual probability (Justification)"] == "Signature required"
    assert risk.extra["Risk-Benefit Analysis"] == "Not required - residual risk is acceptable."
    assert risk.status == "open" and not risk.status_stated  # "approved" is the file's review state, no risk status
    controls = {c.id: c for c in model.controls}
    assert set(controls) == {"SRS-011", "SRS-012"}
    signed = controls["SRS-011"]
    assert signed.title == "Signed Firmware Images"
    assert signed.description == "The bootloader verifies an ECDSA signature before any image runs."
    assert signed.verification == ["TC-031"] and signed.extra["Reduces"] == "sequence_probability"
    assert controls["SRS-012"].description == "A monotonic counter refuses older images."
    assert any("read as one risk" in w for w in warnings(report))


def test_a_file_of_several_threats_is_no_one_risk_file(tmp_path: Path) -> None:
    text = (
        "---\nid: RISK-001\ntitle: Pump threat model\n---\n\n# Security risks of the pump\n\n"
        "## T-01 Spoofed server\n\n**Description:** A fake server.\n\n## T-02 Replay\n\n**Description:** Old commands.\n"
    )
    model, _report = load_text(tmp_path, text)
    assert [t.id for t in model.threats] == ["T-01", "T-02"]


# -- a per-plan security audit: threat tables keyed "T-03-09-S03", a detail heading for one of them, a findings table

_AUDIT = (
    "# Phase 3 Security Audit\n\n### Plan 03-09: CLI\n\n"
    "| Threat ID | Description | STRIDE | Severity | Disposition | Status | Evidence |\n"
    "|---|---|---|---|---|---|---|\n"
    "| T-03-09-S02 | Export bundle holds secrets | Information Disclosure | HIGH | Mitigate | CLOSED | `export.py:73` redacts |\n"
    "| T-03-09-S03 | Export path traversal via node_id | Information Disclosure | MEDIUM | Mitigate | CLOSED | rejects `..` |\n\n"
    "## Closed Threat Detail\n\n### T-03-09-S03 — Path Traversal in `trajectory export` — RESOLVED\n\n"
    "**Severity:** MEDIUM\n**STRIDE:** Information Disclosure\n**Files:** `src/cli/trajectory.py:124–131` (mitigation)\n\n"
    "## Unregistered Flags\n\n| Flag | Source | Notes |\n|---|---|---|\n"
    "| Shell injection via `$ENVELOPE` | Audit observation | Investigated and confirmed mitigated. |\n"
)


def test_a_heading_with_an_id_of_several_dashed_parts_joins_that_threat(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, _AUDIT)
    # "T-03-09-S03 — …" is that threat's id (before: a threat "T-03" titled "09-S03 — Path Traversal …")
    assert sorted(t.id for t in model.threats) == ["T-03-09-S02", "T-03-09-S03"]
    detail = {t.id: t for t in model.threats}["T-03-09-S03"]
    assert detail.stride == ["information_disclosure"]
    # "**STRIDE:** Information Disclosure" ends at its line: the "**Files:**" line below is a field of its own
    assert detail.extra["Files"].startswith("src/cli/trajectory.py:124")
    assert not any("STRIDE value" in w for w in warnings(report))


def test_a_table_naming_one_end_only_is_no_flow_table(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, _AUDIT)
    # "Flag | Source | Notes": where a finding came from, not a data flow; no element or interface is made of it
    assert model.flows == [] and model.elements == []


# -- an ISO 27001 register: Annex A control ids beside a "Treatment" column of measures

_ANNEX_A = (
    "# CompanyX Risk Register\n\n## Risk Register Table\n\n"
    "| ID | Asset | Threat | Vulnerability | Likelihood | Impact | Inherent Risk | Controls Applied (Annex A) "
    "| Residual Risk | Owner | Treatment | Status |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    "| R-001 | IAM (Entra) | Account compromise | Weak credentials | High | High | High | A.5.15–A.5.18, A.8.2 | Medium "
    "| Security | MFA, CA Policies | Mitigated |\n"
    "| R-006 | CI/CD | Supply chain compromise | Vulnerable dependencies | Medium | Medium | Medium | A.5.21, A.8.25 | Low "
    "| DevOps | SCA, pinned deps | Mitigated |\n"
    "| R-008 | Workforce | Insider threat | Privileged misuse | Low | High | Medium | A.5.3 | Medium | Security "
    "| Accept | Accepted |\n"
)


def test_treatment_measures_are_the_mitigation_and_catalogue_ids_stay_references(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, _ANNEX_A)
    threats = {t.id: t for t in model.threats}
    controls = {c.id: c for c in model.controls}
    # "MFA, CA Policies" under "Treatment" is what is done about R-001; "Accept" is a decision, no measure
    assert controls[threats["R-001"].controls[0]].title == "MFA, CA Policies"
    assert controls[threats["R-006"].controls[0]].title == "SCA, pinned deps"
    assert threats["R-008"].controls == [] and threats["R-008"].status == "accepted"
    assert len(model.controls) == 2
    # the Annex A ids (a range "A.5.15–A.5.18" too) name the standard's controls: kept, no control made of them
    assert threats["R-001"].extra["Controls Applied (Annex A)"].split("\n") == ["A.5.15–A.5.18", "A.8.2"]
    assert not any(c.title.startswith("A.") for c in model.controls)
    assert threats["R-001"].extra["Treatment"] == "MFA, CA Policies"  # the cell is kept as written too
    # "CI/CD" is one asset, not "CI" and "CD"
    assert [a.name for a in model.assets if a.id in threats["R-006"].assets] == ["CI/CD"]
    assert threats["R-001"].status == "mitigated"
    assert any("A.5.15–A.5.18" in w for w in warnings(report))


def test_a_treatment_decision_with_its_measure(tmp_path: Path) -> None:
    text = (
        "| Risk ID | Threat | Asset | Score | Treatment | Status |\n|---|---|---|---|---|---|\n"
        "| R-001 | Ransomware | Servers | 15 | Mitigate: immutable backups, network segmentation | Open |\n"
        "| R-006 | DDoS | Website | 9 | Transfer: CDN + DDoS mitigation service | Completed |\n"
        "| R-007 | Physical access | Server room | 4 | Accept: colocation controls documented | Accepted |\n"
    )
    model, _report = load_text(tmp_path, text)
    threats = {t.id: t for t in model.threats}
    assert [c.title for c in model.controls] == ["immutable backups, network segmentation"]
    assert threats["R-001"].controls == [model.controls[0].id]
    # an acceptance's reason and a transfer to another party make no control of the device maker
    assert threats["R-006"].controls == [] and threats["R-007"].controls == []
    assert threats["R-007"].extra["Treatment"] == "Accept: colocation controls documented"


def test_a_table_of_boundary_crossings_written_with_arrows_is_flows(tmp_path: Path) -> None:
    text = (
        "# Phase 23 — Security\n\n## Trust Boundaries\n\n| Boundary | Description | Data Crossing |\n|---|---|---|\n"
        "| IPC → favorites-manager | search keywords into the main process | user keywords |\n"
        "| renderer → IPC → ai-manager | referenced tab content | page text |\n"
    )
    model, _report = load_text(tmp_path, text)
    flows = {f.name: f for f in model.flows}
    assert set(flows) == {"IPC → favorites-manager", "renderer → IPC → ai-manager"}
    names = {e.id: e.name for e in model.elements}
    assert (names[flows["IPC → favorites-manager"].source], names[flows["IPC → favorites-manager"].target]) == ("IPC", "favorites-manager")
    chain = flows["renderer → IPC → ai-manager"]
    # a chain runs from its first end to its last; the end between is kept, not dropped
    assert (names[chain.source], names[chain.target]) == ("renderer", "ai-manager") and chain.extra["Via"] == "IPC"
    # what crosses the boundary is the flow's data, never the boundary's name
    assert sorted(a.name for a in model.assets) == ["page text", "user keywords"]
    assert model.threats == []


def test_a_boundary_column_of_zone_names_is_still_the_zone(tmp_path: Path) -> None:
    text = (
        "## Components\n\n| Component | Description | Boundary |\n|---|---|---|\n"
        "| Pump | doses | Device zone |\n| Gateway | relays | Hospital network |\n"
    )
    model, _report = load_text(tmp_path, text)
    assert model.flows == [] and sorted(e.name for e in model.elements) == ["Gateway", "Pump"]


def test_word_register_rows_with_a_category_and_component_but_no_threat_text(tmp_path: Path) -> None:
    from tests.importers.import_helpers import Doc, run_import

    d = Doc().title("Phase 23 — Security")
    d.heading("Threat Register", 2)
    d.table(
        [
            ["Threat ID", "Category", "Component", "Severity", "Disposition", "Mitigation", "Status"],
            ["T-23-01", "Tampering", "FTS5 query injection", "medium", "mitigate", "Parameterised MATCH queries", "closed"],
            ["T-23-05", "Information Disclosure", "Cross-container tab leak", "low", "accept", "Source shown on every pill", "closed"],
            ["T-23-06", "", "", "", "", "", ""],
        ]
    )
    model, report = run_import(d.save(tmp_path / "security.docx"))
    threats = {t.id: t for t in model.threats}
    # in Word as in Markdown: the register's rows are threats, titled by their category and component
    assert threats["T-23-01"].title == "Tampering of FTS5 query injection"
    assert threats["T-23-05"].title == "Information disclosure of Cross-container tab leak"
    assert threats["T-23-05"].status == "accepted" and threats["T-23-01"].status == "mitigated"
    assert "T-23-06" not in threats  # an empty row with only its id is still no threat
    assert len(model.controls) == 2
    assert any("titled 'Tampering of FTS5 query injection'" in w.message for w in report.warnings)


def test_word_countermeasures_that_begin_alike_stay_two_controls(tmp_path: Path) -> None:
    from tests.importers.import_helpers import Doc, run_import

    d = Doc().title("Update system STRIDE")
    d.heading("Spoofing", 2)
    d.para("Threats:")
    d.bullets("An attacker impersonates the Director Repository")
    d.para("Countermeasures:")
    d.bullets(
        "Use strong cryptographic signatures to authenticate the source of the metadata. Accept metadata only when it "
        "is signed by the Director's pinned keys and reject every other signer, logging the attempt for audit."
    )
    d.heading("Tampering", 2)
    d.para("Threats:")
    d.bullets("An attacker alters targets metadata in transit")
    d.para("Countermeasures:")
    d.bullets(
        "Use strong cryptographic signatures to authenticate the source of the metadata. Verify every targets file "
        "against its hash before install and refuse any image whose hash differs from the signed metadata."
    )
    model, _report = run_import(d.save(tmp_path / "stride.docx"))
    assert len(model.threats) == 2 and len(model.controls) == 2
    # each threat keeps its own countermeasure: the shared first sentence does not make them one control
    ctl = {c.id: c for c in model.controls}
    texts = {t.title: ctl[t.controls[0]].title + " " + ctl[t.controls[0]].description for t in model.threats}
    assert "pinned keys" in texts["An attacker impersonates the Director Repository"]
    assert "hash before install" in texts["An attacker alters targets metadata in transit"]
    assert not any("pinned keys" in x and "hash" in x for x in texts.values())


def test_word_threat_tables_with_blank_component_cells_and_a_communication_table(tmp_path: Path) -> None:
    from tests.importers.import_helpers import Doc, run_import

    d = Doc().title("IoT security architecture")
    d.heading("Processes", 2)
    d.table(
        [
            ["Component", "Threat", "Mitigation", "Risk"],
            ["Device", "S", "Authenticate the device", "Replacing the device with another one"],
            ["", "T", "Tamper-proof key storage", "Someone tampers with the device"],
            ["Field Gateway", "S", "Authenticate the gateway to the cloud", "Spoofed gateway presents itself as any device"],
            ["", "E", "Access control mechanism for Field Gateway", ""],
        ]
    )
    d.heading("Communication", 2)
    d.table(
        [
            ["Component", "Threat", "Mitigation", "Risk"],
            ["Device Field Gateway", "TID", "(D)TLS", "Eavesdropping on the link"],
            ["Field Gateway Device", "D", "Rate limits", "Flooding the device with commands"],
        ]
    )
    model, report = run_import(d.save(tmp_path / "iot.docx"))
    names = {e.id: e.name for e in model.elements}
    by_risk = {t.title: t for t in model.threats}
    # a blank component cell continues the row above, as in a Markdown table
    assert [names[x] for x in by_risk["Someone tampers with the device"].targets] == ["Device"]
    # a row with only its category, component and mitigation is titled by them, not dropped
    assert [names[x] for x in by_risk["Elevation of privilege of Field Gateway"].targets] == ["Field Gateway"]
    # under "Communication", "Device Field Gateway" names two known components: the flow between them
    flow = next(f for f in model.flows if f.name == "Device Field Gateway")
    assert (names[flow.source], names[flow.target]) == ("Device", "Field Gateway")
    assert by_risk["Eavesdropping on the link"].targets == [flow.id]
    assert len(model.flows) == 2 and len(model.threats) == 6 and sorted(names.values()) == ["Device", "Field Gateway"]
    assert any("read as the data flow 'Device' -> 'Field Gateway'" in w.message for w in report.warnings)


def test_word_risk_file_reads_as_its_markdown(tmp_path: Path) -> None:
    from tests.importers.import_helpers import Doc, run_import

    d = Doc()
    d.para("id: RISK-SEC-007\ntitle: Tampered Firmware Image Accepted\nstatus: approved")
    d.heading("Risk Analysis: Tampered Firmware Image Accepted", 1)
    d.heading("Inherent Risk Assessment", 2)
    d.table(
        [
            ["Factor", "Rating", "Justification"],
            ["Severity", "4 (Critical)", "Wrong therapy"],
            ["Probability", "2 (Remote)", "Needs key"],
            ["Inherent Risk", "8 - ALARP", "Reduce"],
        ]
    )
    d.heading("Risk Controls", 2)
    d.heading("SRS-011 - Signed Firmware Images", 3)
    d.para("The bootloader verifies an ECDSA signature before any image runs.")
    d.para("Verification: TC-031", bold=False)
    d.heading("SRS-012 - Anti-Rollback Counter", 3)
    d.para("A monotonic counter refuses older images.")
    d.heading("Residual Risk Assessment", 2)
    d.table(
        [
            ["Factor", "Rating", "Justification"],
            ["Severity", "4 (Critical)", "Unchanged"],
            ["Probability", "1 (Rare)", "Signed"],
            ["Residual Risk", "4 - Acceptable", "Within tolerance"],
        ]
    )
    model, report = run_import(d.save(tmp_path / "RISK-SEC-007.docx"))
    assert [t.id for t in model.threats] == ["RISK-SEC-007"]
    risk = model.threats[0]
    assert risk.title == "Tampered Firmware Image Accepted" and risk.controls == ["SRS-011", "SRS-012"]
    assert risk.risk is not None and risk.risk.score == 8 and risk.residual_risk is not None and risk.residual_risk.score == 4
    assert risk.extra["Inherent Risk"] == "8 - ALARP"
    assert {c.id: c.title for c in model.controls} == {"SRS-011": "Signed Firmware Images", "SRS-012": "Anti-Rollback Counter"}
    assert any("read as one risk" in w.message and w.locator and w.locator.startswith("paragraph") for w in report.warnings)


def test_a_word_document_whose_first_heading_names_no_risk_is_walked_as_before(tmp_path: Path) -> None:
    from tests.importers.import_helpers import Doc, run_import

    d = Doc().title("Pump threat model")
    d.heading("Threats", 1)
    d.table([["ID", "Threat", "Mitigation"], ["T-1", "Spoofed server", "Mutual TLS"]])
    model, _report = run_import(d.save(tmp_path / "tm.docx"))
    assert [t.id for t in model.threats] == ["T-1"] and len(model.controls) == 1


_ATTACK = (
    "# MITRE ATT&CK Threat Mapping\n\n## Threat Scenarios & ATT&CK Mapping\n\n"
    "### 1. **Phishing Attack Leading to Credential Theft**\n"
    "| ATT&CK Tactic | Technique | ID | Description |\n|---|---|---|---|\n"
    "| Initial Access | Phishing | T1566 | Deceptive emails trick staff into clicking links. |\n"
    "| Credential Access | Valid Accounts | T1078 | Stolen logins reused to access the EHR. |\n\n"
    "### 3. **Suspicious Remote Access from Foreign IP**\n"
    "| ATT&CK Tactic | Technique | ID | Description |\n|---|---|---|---|\n"
    "| Initial Access | Valid Accounts | T1078 | Remote attacker uses stolen credentials. |\n"
    "| Command and Control | Remote Access Software | T1219 | AnyDesk or TeamViewer. |\n"
)


def test_attack_technique_tables_are_the_steps_of_the_scenario_above_them(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, _ATTACK)
    # "T1566", "T1078" are ATT&CK techniques, not threat ids: one threat per scenario heading
    assert [t.title for t in model.threats] == ["Phishing Attack Leading to Credential Theft", "Suspicious Remote Access from Foreign IP"]
    phishing, remote = model.threats
    assert phishing.extra["ATT&CK techniques"] == "T1566, T1078" and remote.extra["ATT&CK techniques"] == "T1078, T1219"
    assert "T1566 — ATT&CK Tactic: Initial Access; Technique: Phishing" in phishing.description
    assert "AnyDesk" in remote.description  # T1078 under two scenarios joins neither into the other
    assert not any(t.id.startswith("T1") for t in model.threats)
    assert sum(r.disposition == "merged" for r in report.records) == 2  # the second row of each table


def test_word_attack_mapping_reads_alike(tmp_path: Path) -> None:
    from tests.importers.import_helpers import Doc, run_import

    d = Doc().title("MITRE ATT&CK Threat Mapping")
    d.heading("2. Unauthorized USB Device Usage", 3)
    d.table(
        [
            ["ATT&CK Tactic", "Technique", "ID", "Description"],
            ["Execution", "User Execution", "T1204", "Personal USB drives with malware."],
            ["Collection", "Data Staged", "T1074", "Data staged before exfiltration."],
        ]
    )
    model, _report = run_import(d.save(tmp_path / "attack.docx"))
    assert [t.title for t in model.threats] == ["Unauthorized USB Device Usage"]
    assert model.threats[0].extra["ATT&CK techniques"] == "T1204, T1074"


def test_excel_sheets_with_blank_component_cells_and_a_communication_sheet(tmp_path: Path) -> None:
    import openpyxl

    from tests.importers.import_helpers import run_import

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Processes"
    for row in (
        ["Component", "Threat", "Mitigation", "Risk"],
        ["Device", "S", "Authenticate the device", "Replacing the device with another one"],
        ["", "T", "Tamper-proof key storage", "Someone tampers with the device"],
        ["Field Gateway", "S", "Authenticate the gateway", "A spoofed gateway poses as any device"],
    ):
        ws.append(row)
    comm = wb.create_sheet("Communication")
    for row in (
        ["Component", "Threat", "Mitigation", "Risk"],
        ["Device Field Gateway", "TID", "(D)TLS", "Eavesdropping on the link"],
        ["Field Gateway Device", "D", "Rate limits", "Flooding the device with commands"],
    ):
        comm.append(row)
    path = tmp_path / "iot.xlsx"
    wb.save(path)
    model, _report = run_import(path)
    names = {e.id: e.name for e in model.elements}
    by_risk = {t.title: t for t in model.threats}
    assert [names[x] for x in by_risk["Someone tampers with the device"].targets] == ["Device"]
    flow = next(f for f in model.flows if f.name == "Device Field Gateway")
    assert (names[flow.source], names[flow.target]) == ("Device", "Field Gateway")
    assert by_risk["Eavesdropping on the link"].targets == [flow.id] and sorted(names.values()) == ["Device", "Field Gateway"]


def test_a_csv_register_with_existing_and_proposed_controls(tmp_path: Path) -> None:
    text = (
        "RiskID,Threat,Asset,Impact,Likelihood,CVSS_Vector,CVSS_Score,Existing_Control,Proposed_Control,Residual_Risk\n"
        "R01,Salesforce-to-SAP Payload Tampering,MuleSoft Ingestion API,Critical,High,AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N,"
        "9.1,Basic API Key,RS256 Payload Signing & JSON Schema Validation,Low\n"
    )
    model, _report = load_text(tmp_path, text, "register.csv")
    (risk,) = model.threats
    assert risk.cvss_score == 9.1 and len(risk.controls) == 2
    said = {c.title: (c.status, c.status_stated) for c in model.controls}
    # "Existing_Control" states what is in place, "Proposed_Control" what is planned
    assert said == {"Basic API Key": ("implemented", True), "RS256 Payload Signing & JSON Schema Validation": ("planned", True)}


def test_word_mitigations_written_under_their_threats_stay_each_threats_own(tmp_path: Path) -> None:
    from tests.importers.import_helpers import Doc, run_import

    d = Doc().title("Update system STRIDE")
    for asset in ("Image repository", "Director repository"):
        d.heading(f"Asset {1 if asset.startswith('Image') else 2}: {asset}", 3)
        d.bullets("Spoofing Identity", numbered=True)
        d.para(f"Threat: An attacker impersonates the {asset}.", style="List Bullet 2")
        d.para("Mitigation: Use mutual TLS with pinned certificates.", style="List Bullet 2")
    model, _report = run_import(d.save(tmp_path / "stride.docx"))
    assert len(model.threats) == 2
    # the same words under two threats are each threat's own mitigation, as two Markdown threat blocks make two
    assert len(model.controls) == 2 and model.threats[0].controls != model.threats[1].controls


def test_word_threat_bullets_under_an_asset_heading_are_titled_by_their_text(tmp_path: Path) -> None:
    from tests.importers.import_helpers import Doc, run_import

    d = Doc().title("Update system STRIDE")
    d.heading("Asset 1: Image repository", 3)
    d.bullets("Threat: An attacker impersonates the image repository.", "Mitigation: Use mutual TLS with pinned certificates.")
    model, _report = run_import(d.save(tmp_path / "assets.docx"))
    (threat,) = model.threats
    # the heading names the asset the threat is about; the threat is titled by its own words, as in Markdown
    assert threat.title == "An attacker impersonates the image repository"
    assert [a.name for a in model.assets if a.id in threat.assets] == ["Image repository"]
