"""More layouts of real threat models written by other people, each as a small synthetic excerpt in the same shape.

The real documents are listed in tests/data/markdown-real/SOURCES.md ("Looked at, not kept" when their
licence does not allow a copy).
"""

from __future__ import annotations

from pathlib import Path

from tests.importers.import_helpers import load_text, skipped
from tests.importers.import_helpers import warning_messages as warnings
from tests.importers.md_word import both

# -- a risk register whose cells break lines with <br>: "**Title**<br>description", "• a<br>• b"

_REGISTER = (
    "# Risk Register\n\n## Risk Inventory\n\n"
    "| ID | Risk Description | Likelihood | Impact | Score | Mitigation Controls (Implemented) | Residual Risk | Status |\n"
    "| :--- | :--- | :---: | :---: | :---: | :--- | :---: | :--- |\n"
    "| **CR-01** | **Weak Client-Side Passwords**<br>User chooses a weak password, making the key guessable. "
    "| 3 | 5 | **15** | • **PBKDF2** with 100,000 iterations.<br>• Rate limiting on login attempts. | **Low** | ✅ Active |\n"
    "\n## Planned\n\n"
    "| ID | Risk Description | Likelihood | Impact | Score | Planned Mitigation | Status |\n"
    "| :--- | :--- | :---: | :---: | :---: | :--- | :---: |\n"
    "| **FUT-01** | **Penetration Test Findings**<br>An audit reveals logic flaws. | 3 | 4 | **12** "
    "| • Scheduled Pen-Test (Q3 2026).<br>• Bug Bounty program launch. | ⏳ Planned |\n"
)


def test_line_breaks_in_table_cells_part_title_description_and_measures(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, _REGISTER)
    threats = {t.id: t for t in model.threats}
    assert set(threats) == {"CR-01", "FUT-01"}
    weak = threats["CR-01"]
    # "<br>" is a line break: the bold first line is the title, the words after it are not glued on
    assert weak.title == "Weak Client-Side Passwords"
    assert "Passwords\nUser chooses" in weak.description
    ctl = {c.id: c for c in model.controls}[weak.controls[0]]
    assert ctl.description.split("\n") == ["• PBKDF2 with 100,000 iterations.", "• Rate limiting on login attempts."]
    assert ctl.title == "PBKDF2 with 100,000 iterations"  # the bullet mark is no word of the title


def test_a_mitigation_header_saying_implemented_states_the_status(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, _REGISTER)
    threats = {t.id: t for t in model.threats}
    controls = {c.id: c for c in model.controls}
    done = controls[threats["CR-01"].controls[0]]
    assert (done.status, done.status_stated) == ("implemented", True)  # "Mitigation Controls (Implemented)"
    later = controls[threats["FUT-01"].controls[0]]
    assert (later.status, later.status_stated) == ("planned", True)  # "Planned Mitigation"


def test_a_br_tag_outside_tables_is_a_line_break_too(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "# TM\n\n## Threats\n\n### Threat 1: Spoofed pump\n\n**Description:** An attacker<br>poses as the pump.\n\n"
        "**Mitigation:** Mutual TLS.\n",
    )
    assert [t.description for t in model.threats] == ["An attacker\nposes as the pump."]


# -- an ISO/SAE 21434 package: "### Threat 1: **title**" with labelled fields, "Mitigations Implemented:" over
#    check-marked lines, and a summary table keyed "T1"


_TARA = (
    "# TARA\n\n## Threat Scenarios\n\n"
    "### Threat 1: **Man-in-the-Middle on the charging link**\n\n"
    "**Asset:** V2G Communication Channel\n\n"
    "**Damage Scenario:**\n- Unauthorized charging\n- Payment credential theft\n\n"
    "**Severity:** S4 (High)  \n**Likelihood:** L3 (Medium)  \n**Risk Level:** HIGH (12/25)\n\n"
    "**Mitigations Implemented:**\n"
    "✅ **TLS 1.3 Encryption:** End-to-end encryption  \n"
    "✅ **Certificate Pinning:** Only the trusted root CA is accepted  \n\n"
    "**Residual Risk:** LOW (4/25) - physical access needed\n\n"
    "### Threat 2: **Credential stuffing on the app**\n\n"
    "**Asset:** User authentication\n\n"
    "**Severity:** S3 (Medium)  \n**Risk Level:** HIGH (12/25)\n\n"
    "**Mitigations Implemented:**\n✅ **Rate Limiting:** 5 attempts per 15 min  \n\n"
    "## Summary\n\n"
    "| Threat ID | Threat | Asset | Severity | Likelihood | Risk | Mitigation Status |\n"
    "|---|---|---|---|---|---|---|\n"
    "| T1 | MITM on V2G | V2G Communication Channel | S4 | L3 | HIGH | ✅ Implemented |\n"
    "| T2 | Credential Stuffing | User authentication | S3 | L4 | HIGH | ✅ Implemented |\n"
)


def test_threat_n_headings_and_a_summary_keyed_tn_are_the_same_threats(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, _TARA)
    assert [t.id for t in model.threats] == ["T-1", "T-2"]  # "T1" in the summary is "Threat 1": one threat each
    assert any("'T1' is 'T-1' written another way" in w for w in warnings(report))
    mitm = model.threats[0]
    assert mitm.title == "Man-in-the-Middle on the charging link"
    assert mitm.status == "mitigated"  # from the summary's "✅ Implemented"
    assert mitm.extra.get("Other title") == "MITM on V2G"  # the summary's shorter title is kept


def test_mitigations_implemented_label_over_check_marked_lines(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, _TARA)
    controls = {c.id: c for c in model.controls}
    assert len(controls) == 2
    ctl = controls[model.threats[0].controls[0]]
    assert ctl.title.startswith("TLS 1.3 Encryption")  # the check mark is no word of the title
    assert "Certificate Pinning" in ctl.description
    assert (ctl.status, ctl.status_stated) == ("implemented", True)


def test_severity_beside_a_risk_level_is_the_severity_not_a_second_risk(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, _TARA)
    mitm = model.threats[0]
    assert mitm.risk is not None and mitm.risk.level == "high" and mitm.risk.severity == "High"
    assert mitm.extra.get("Severity") == "S4 (High)"
    assert not any("not understood" in w and "risk" in w for w in warnings(report))
    assert "Impact: - Unauthorized charging" in mitm.description  # the damage scenario is the impact


def test_severity_alone_is_still_the_risk(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "# TM\n\n## Threats\n\n### Threat 1: Spoofed pump\n\n**Description:** An attacker poses as the pump.\n\n"
        "**Severity:** High\n\n**Mitigation:** Mutual TLS.\n",
    )
    assert model.threats[0].risk is not None and model.threats[0].risk.level == "high"


def test_ids_written_another_way_join_only_letters_and_a_number(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "# TM\n\n## Threats\n\n| ID | Threat | Mitigation |\n|---|---|---|\n"
        "| T-01 | Spoofed pump | Mutual TLS |\n| T-1.1 | Replayed dose command | Nonces |\n\n"
        "## Risk\n\n| Threat ID | Threat | Risk |\n|---|---|---|\n| T1 | Spoofed pump | High |\n| T11 | Tampered log | Low |\n",
    )
    # T1 is T-01; T11 is neither T-1.1 nor T-01
    assert sorted(t.id for t in model.threats) == ["T-01", "T-1.1", "T11"]


# -- asset lists: a heading glossed in brackets, "Name (what it is)" items, a bold "Assets:" label in Word


def test_a_glossed_assets_heading_and_bracketed_asset_names(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "# TM\n\n## Assets (What we protect)\n\n"
        "1. **PHI/PII**: Patient attributes, triage summaries (High Criticality).\n"
        "2. **User Identities**: Clinician credentials and sessions.\n\n"
        "## Key assets\n\n**Assets:**\n"
        "- Device functionality (sensor readings, TENS output)\n- Encryption keys\n\n"
        "## Threats\n\n| Threat ID | Threat | Asset | Mitigation |\n|---|---|---|---|\n"
        "| T1 | Unauthorized PHI access | PHI | Row-level security |\n"
        "| T2 | Authentication bypass | User Identity | Middleware on every route |\n"
        "| T3 | TENS output manipulation | Device functionality | Authenticated BLE commands |\n",
    )
    assets = {a.name: a for a in model.assets}
    assert set(assets) == {"PHI/PII", "User Identities", "Device functionality", "Encryption keys"}
    assert assets["Device functionality"].description == "sensor readings, TENS output"
    links = {t.id: [assets_by_id.name for assets_by_id in model.assets if assets_by_id.id in t.assets] for t in model.threats}
    # "PHI" is one side of "PHI/PII"; "User Identity" is not "User Identities" (plurals are not guessed: two
    # sheets of one workbook can name two assets so)
    assert links == {"T1": ["PHI/PII"], "T2": [], "T3": ["Device functionality"]}


def test_word_assets_label_over_bullets_and_bracketed_names(tmp_path: Path) -> None:
    from tests.importers.import_helpers import Doc, run_import

    d = Doc().title("Wearable Threat Model")
    d.heading("Threat Modeling Methodology", 2)
    d.para("We use STRIDE for medical device threats.")
    d.para("Assets:", bold=True)
    d.bullets("PHI (health data stored on device and in cloud)", "Firmware integrity", "Encryption keys")
    d.para("The assets above are rated High.")
    d.bullets("Not an asset: a bullet after prose")
    d.heading("Assets (What we protect)", 2)
    d.bullets("Audit logs")
    model, _report = run_import(d.save(tmp_path / "wearable.docx"))
    assets = {a.name: a.description for a in model.assets}
    assert assets == {
        "PHI": "health data stored on device and in cloud",
        "Firmware integrity": "",
        "Encryption keys": "",
        "Audit logs": "",
    }


def test_components_and_abbreviations_keep_their_brackets(tmp_path: Path) -> None:
    from tests.importers.import_helpers import Doc, run_import

    d = Doc().title("Gateway Threat Model")
    d.heading("Entry Points", 2)
    d.bullets("Local admin console (:8443)")
    d.heading("Components", 2)
    d.bullets("MQTT broker infrastructure (AWS IoT Core)")
    d.heading("Assets", 2)
    d.bullets("Protected Health Information (PHI)")
    model, _report = run_import(d.save(tmp_path / "gw.docx"))
    assert sorted(e.name for e in model.elements) == ["Local admin console (:8443)", "MQTT broker infrastructure (AWS IoT Core)"]
    assert [a.name for a in model.assets] == ["Protected Health Information (PHI)"]


def test_lettered_headings_lose_their_letter(tmp_path: Path) -> None:
    text = (
        "# TM\n\n## Abuse cases\n\n### A. Auth Bypass\n\n- **Attack**: Attacker opens the dashboard without a session.\n"
        "- **Mitigation**: Middleware on every route.\n"
    )
    for model, _report in both(tmp_path, text):
        # Word kept the letter before ("A. Auth Bypass")
        assert [t.title for t in model.threats] == ["Auth Bypass"]


# -- a software bill of materials beside the threat model


def test_a_software_bill_of_materials_is_no_component_table(tmp_path: Path) -> None:
    model, report = load_text(
        tmp_path,
        "# TM\n\n## Firmware SBOM (Shared Components)\n\n"
        "| Component | Version | License | Source | CVE Status | Notes |\n|---|---|---|---|---|---|\n"
        "| Zephyr RTOS | 3.5.0 | Apache 2.0 | zephyrproject.org | No known CVEs | Base RTOS |\n"
        "| MCUboot | 2.0.0 | Apache 2.0 | mcuboot.com | No known CVEs | Secure bootloader |\n\n"
        "## System components\n\n| Component | Description |\n|---|---|\n| Wearable | The patch on the arm |\n\n"
        "## Threats\n\n| Threat ID | Threat | Mitigation |\n|---|---|---|\n| T-S-001 | Rogue BLE device | Attestation |\n",
    )
    assert [e.name for e in model.elements] == ["Wearable"]
    assert any("software bill of materials" in s for s in skipped(report))
    assert any("not read as components: software bill of materials" in w for w in warnings(report))


# -- Word: threats as headings carrying their id, each over labelled paragraphs


def _word_tara(tmp_path: Path) -> Path:
    from tests.importers.import_helpers import Doc

    d = Doc().title("EV Charging TARA")
    d.heading("Threat Scenarios", 1)
    d.heading("Threat 1: Man-in-the-Middle on the charging link", 2)
    d.para("Asset: V2G Communication Channel")
    d.para("Damage Scenario:")
    d.bullets("Unauthorized charging", "Payment credential theft")
    d.para("Severity: S4 (High)\nLikelihood: L3 (Medium)\nRisk Level: HIGH (12/25)")
    d.para("Attack Path:")
    d.para("1. Attacker intercepts the PLC link")
    d.para("Mitigations Implemented:")
    d.para("✅ TLS 1.3 Encryption: End-to-end encryption\n✅ Certificate Pinning: only the trusted root CA")
    d.para("Residual Risk: LOW (4/25) - physical access needed")
    d.heading("Threat 2: Credential stuffing on the app", 2)
    d.para("Asset: User authentication")
    d.para("Mitigations Implemented:")
    d.para("✅ Rate Limiting: 5 attempts per 15 min")
    d.heading("T-03 Rogue wallbox firmware", 2)  # a threat prefix: an id too
    d.para("Asset: Wallbox")
    d.para("Mitigation: Signed firmware and secure boot.")
    d.heading("Threat 4: Covered in the register", 2)  # an id over nothing: no threat read from the heading
    d.heading("Summary", 1)
    d.table([["Threat ID", "Threat", "Risk", "Mitigation Status"], ["T1", "MITM on V2G", "HIGH", "✅ Implemented"]])
    return d.save(tmp_path / "tara.docx")


def test_word_headings_with_threat_ids_over_labelled_paragraphs(tmp_path: Path) -> None:
    from tests.importers.import_helpers import run_import

    model, report = run_import(_word_tara(tmp_path))
    threats = {t.id: t for t in model.threats}
    assert sorted(threats) == ["T-03", "T-1", "T-2"]  # "Threat 4" has no field: no threat
    mitm = threats["T-1"]
    assert mitm.extra["Damage Scenario"] == "Unauthorized charging\nPayment credential theft"
    assert mitm.description == "1. Attacker intercepts the PLC link"  # the attack path
    assert mitm.risk is not None and mitm.risk.level == "high" and mitm.risk.severity == "S4 (High)"
    assert mitm.residual_risk is not None and mitm.residual_risk.level == "low"
    assert mitm.status == "mitigated"  # the summary row "T1" is this threat
    assert any("'T1' is 'T-1' written another way" in w.message for w in report.warnings)
    controls = {c.id: c for c in model.controls}
    ctl = controls[mitm.controls[0]]
    assert ctl.title.startswith("TLS 1.3 Encryption") and "Certificate Pinning" in ctl.description
    assert (ctl.status, ctl.status_stated) == ("implemented", True)  # "Mitigations Implemented"
    rogue = threats["T-03"]
    assert rogue.title == "Rogue wallbox firmware"
    assert controls[rogue.controls[0]].status_stated is False  # "Mitigation:" says nothing of its status
    assert len(model.controls) == 3


def test_a_word_table_of_layers_gives_no_product_name(tmp_path: Path) -> None:
    from tests.importers.import_helpers import Doc, run_import

    d = Doc().title("Charging Backend Threat Model")
    d.heading("Security Controls per Layer", 2)
    d.table(
        [
            ["Layer", "Security Controls"],
            ["Physical", "Tamper-evident seals"],
            ["Network", "TLS 1.3, MQTT over TLS"],
            ["Session", "Session tokens, timeouts"],
            ["Application", "API-Key auth, rate limiting, RBAC"],
        ]
    )
    d.heading("Threats", 2)
    d.table([["ID", "Threat", "Mitigation"], ["T-1", "Spoofed wallbox", "Mutual TLS"]])
    model, report = run_import(d.save(tmp_path / "layers.docx"))
    assert "API-Key" not in (model.product.name or "")  # "Application" names a layer here, not the product
    assert any("'Application' of a table whose other rows are no facts" in s for s in skipped(report))


# -- a legend of status marks decides a mark written with another word ("✅ Required")

_LEGEND_MD = (
    "# TARA\n\n## Security Controls\n\n| Control ID | Control Name | Status |\n|---|---|---|\n"
    "| SC-01 | HSM for device keys | ✅ Required |\n| SC-02 | Certificate rotation | ✅ Implemented |\n"
    "| SC-03 | Tamper detection | ⚠️ Recommended |\n| SC-04 | Penetration testing | ✅ Scheduled |\n\n"
    "**Legend:**\n- ✅ Implemented and Verified\n- ⚠️ Recommended (not mandatory)\n- 🔄 In Development\n\n"
    "## Threats\n\n| ID | Threat | Controls |\n|---|---|---|\n| T-01 | Key extraction | SC-01, SC-03 |\n"
)


def test_a_legend_of_status_marks_wins_over_the_word_beside_the_mark(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, _LEGEND_MD)
    controls = {c.id: c for c in model.controls}
    assert controls["SC-01"].status == "implemented"  # "✅ Required" with ✅ = implemented and verified
    assert controls["SC-04"].status == "implemented"  # "✅ Scheduled" too
    assert controls["SC-01"].extra["Status as written"] == "✅ Required"
    assert controls["SC-03"].status == "planned"  # the legend says the same as the word
    said = [w for w in warnings(report) if "read by the document's legend" in w]
    assert len(said) == 2 and "✅ = 'Implemented and Verified'" in said[0]
    assert any("legend of 3 status mark(s)" in s for s in skipped(report))


def test_without_a_legend_the_word_beside_the_mark_still_wins(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, _LEGEND_MD.split("**Legend:**")[0] + _LEGEND_MD.split("🔄 In Development\n\n")[1])
    assert {c.id: c.status for c in model.controls}["SC-01"] == "planned"


def test_a_word_legend_under_a_legend_label(tmp_path: Path) -> None:
    from tests.importers.import_helpers import Doc, run_import

    d = Doc().title("Pump TARA")
    d.heading("Security Controls", 2)
    d.table([["Control ID", "Control Name", "Status"], ["SC-01", "HSM for device keys", "✅ Required"]])
    d.para("Legend:")
    d.bullets("✅ Implemented and Verified", "⚠️ Recommended")
    model, report = run_import(d.save(tmp_path / "legend.docx"))
    assert [c.status for c in model.controls] == ["implemented"]
    assert any("read by the document's legend" in w.message for w in report.warnings)


# -- a mitigation that recommends a measure to another party is that party's, not the device maker's


def test_a_recommendation_to_another_party_is_that_partys_control(tmp_path: Path) -> None:
    model, report = load_text(
        tmp_path,
        "# EN risks\n\n## Abuse\n\n### Server data pollution\n\n**Concern**\n\nAn adversary uploads fake keys.\n\n"
        "**Mitigations**\n\n"
        "*   We strongly recommend that all Health Authorities implement a mechanism to verify uploaded keys.\n"
        "    This will limit the ability to upload fake keys.\n"
        "*   Servers are also strongly encouraged to implement standard abuse prevention.\n\n"
        "### Re-identification\n\n**Concern**\n\nAn adversary observes network traffic.\n\n**Mitigations**\n\n"
        "*   Use TLS to protect network data.\n"
        "*   We recommend that Healthcare Authority apps make randomized requests to servers.\n\n"
        "### Default passwords\n\n**Concern**\n\nThe pump ships with a known password.\n\n**Mitigations**\n\n"
        "We recommend that hospitals change the default password at installation.\n",
    )
    by_threat = {t.title: {c.id: c for c in model.controls}[t.controls[0]] for t in model.threats}
    asked = by_threat["Server data pollution"]
    assert (asked.responsibility, asked.responsibility_stated) == ("third_party", True)  # never the maker's
    mixed = by_threat["Re-identification"]
    assert mixed.responsibility == "manufacturer" and mixed.extra["Recommended to"] == "Healthcare Authority apps"
    hospital = by_threat["Default passwords"]
    assert (hospital.responsibility, hospital.responsibility_stated) == ("customer", True)
    assert any("recommendation to Health Authorities, Servers" in w for w in warnings(report))


def test_a_recommendation_in_a_mitigation_column(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "# TM\n\n## Threats\n\n| ID | Threat | Mitigation |\n|---|---|---|\n"
        "| T-1 | Network sniffing | We recommend that hospitals place the pump on an isolated VLAN. |\n"
        "| T-2 | Firmware tampering | Signed firmware images. |\n",
    )
    who = {t.id: {c.id: c for c in model.controls}[t.controls[0]].responsibility for t in model.threats}
    assert who == {"T-1": "customer", "T-2": "manufacturer"}


# -- a hazard log: one "Field | Value" form per hazard under its heading, and a summary table


_HAZARDS = (
    "# Clinical Safety Hazard Log\n\n## Hazard register\n\n### H-001 — Stale or wrong-patient data displayed\n\n"
    "| Field | Value |\n|-------|-------|\n"
    "| **Hazard ID** | H-001 |\n"
    "| **Description** | The panel displays data of a previously-viewed patient. |\n"
    "| **Affected users / components** | Clinicians viewing patient data. Components: `engine/data-fetcher.js`, "
    "`content-scripts/sentinel.js`. |\n"
    "| **Initial severity** | 4 (Major) |\n| **Initial likelihood** | 3 (Possible) |\n| **Initial risk** | 12 |\n"
    "| **Controls / mitigations** | (a) Cache keyed by patient UUID. (b) URL-change watcher re-fetches. |\n"
    "| **Residual severity** | 4 |\n| **Residual likelihood** | 2 |\n\n"
    "## Hazard summary\n\n| ID | Hazard | Initial risk | Residual risk | Status |\n|---|---|---|---|---|\n"
    "| H-001 | Wrong-patient data (live panel) | 12 | 8 | Accepted (ALARP) |\n\n"
    "## Document control\n\n| Field | Value |\n|---|---|\n| Document ID | MS-CSO-HL-001 |\n| Version | 3.1 |\n"
)


def test_a_field_value_form_of_a_hazard_is_that_threat_not_document_facts(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, _HAZARDS)
    assert [t.id for t in model.threats] == ["H-001"]
    hz = model.threats[0]
    assert hz.title == "Wrong-patient data (live panel)" and hz.status == "accepted"  # from the summary row
    assert hz.description == "The panel displays data of a previously-viewed patient."
    assert hz.risk is not None and hz.risk.score == 12 and hz.residual_risk is not None and hz.residual_risk.score == 8
    assert [c.description for c in model.controls if c.id in hz.controls] == [
        "(a) Cache keyed by patient UUID. (b) URL-change watcher re-fetches."
    ]
    assert model.document.version == "3.1"  # a "Field | Value" table of document fields stays facts


def test_a_cell_of_sentences_about_affected_parts_makes_no_components(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, _HAZARDS)
    assert model.elements == []  # never "engine", "data-fetcher.js" cut out of a sentence
    hz = model.threats[0]
    assert "Components: engine/data-fetcher.js" in hz.extra["Affected users / components"]
    assert any("reads as sentences, not names" in w for w in warnings(report))


def test_a_list_of_component_names_still_makes_components(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "# TM\n\n## Threats\n\n| ID | Threat | Affected component |\n|---|---|---|\n"
        "| T-1 | Spoofed pump | Infusion pump, Gateway |\n| T-2 | Log tampering | Cloud API |\n",
    )
    assert sorted(e.name for e in model.elements) == ["Cloud API", "Gateway", "Infusion pump"]


# -- Word: lists a reader never takes for threats, and labelled bullets that are fields of a threat


def test_word_out_of_scope_list_is_never_threats(tmp_path: Path) -> None:
    from tests.importers.import_helpers import Doc, run_import

    d = Doc().title("Signing Threat Model")
    d.heading("Out of Scope", 2)
    d.para("The following attacks are considered out of scope:")
    d.bullets("Denial of Service (DoS) attacks, including endless data attacks.", "Registry validation.", numbered=True)
    d.heading("Threats", 2)
    d.table([["ID", "Threat", "Mitigation"], ["T-1", "Forged signature", "Verify against the trust store"]])
    model, _report = run_import(d.save(tmp_path / "oos.docx"))
    assert [t.title for t in model.threats] == ["Forged signature"]
    dos = "Denial of Service (DoS) attacks, including endless data attacks."
    assert [o.text for o in model.out_of_scope] == [dos, "Registry validation."]


def test_word_case_bullets_are_fields_of_the_threat_above_and_additional_concerns_no_category(tmp_path: Path) -> None:
    from tests.importers.import_helpers import Doc, run_import

    d = Doc().title("Broker Threat Model")
    d.heading("Spoofing", 2)
    d.bullets(
        "Threat: Unauthorized entities impersonating legitimate users.",
        "Case: Advisory GHSA-fr2g about an auth bypass.",
        "Mitigation: Robust authentication mechanisms.",
    )
    d.heading("Tampering", 2)
    d.bullets(
        "Threat: Unauthorized modification of configuration.",
        "Case 1: Arbitrary file write by stream users.",
        "Case 2: CVE-2022-26652.",
        "Mitigation: Access controls and integrity checks.",
    )
    d.heading("Additional Concerns", 2)
    d.bullets("Issues like missing cipher-suite settings.", "Other operational issues such as stalled consumers.")
    model, _report = run_import(d.save(tmp_path / "nats.docx"))
    assert [t.title for t in model.threats] == [
        "Unauthorized entities impersonating legitimate users",
        "Unauthorized modification of configuration",
    ]
    tamper = model.threats[1]
    assert tamper.extra["Case 1"] == "Arbitrary file write by stream users." and tamper.extra["Case 2"] == "CVE-2022-26652."
    assert len(model.controls) == 2


# -- Word: "Threat ID n - title" headings over labels written alone, "Mitigation ID n - title" headings,
#    a threat id used twice, and "Threat-01-S Recommended mitigations" headings


def test_word_threat_and_mitigation_headings_with_bare_labels(tmp_path: Path) -> None:
    from tests.importers.import_helpers import Doc, run_import

    d = Doc().title("Admission Control Threat Model")
    d.heading("Threats", 2)
    d.heading("Threat ID 1 - Attacker floods webhook with traffic", 4)
    d.para("Scenario", bold=True)
    d.para("An attacker with network access sends large quantities of traffic to the webhook.")
    d.para("Impact", bold=True)
    d.para("If the API server gets no answer in time, a malicious workload could be admitted.")
    d.para("Mitigation", bold=True)
    d.bullets("Mitigation ID 2 - Webhook fails closed")
    d.heading("Threat ID 2 - Attacker passes complex workloads causing timeouts", 4)
    d.para("Scenario", bold=True)
    d.para("Workloads that take long to process make the webhook time out.")
    d.para("Mitigation", bold=True)
    d.bullets("Mitigation ID 2 - Webhook fails closed", "Mitigation ID 3 - Webhook authenticates callers")
    d.heading("Threat ID 2 - Attacker replays an old admission review", 4)  # the id again, another threat
    d.para("Scenario", bold=True)
    d.para("A captured admission review is sent again.")
    d.heading("Mitigations", 2)
    d.heading("Mitigation ID 2 - Webhook fails closed", 4)
    d.para("Description", bold=True)
    d.para("The webhook configuration sets failurePolicy to Fail.")
    d.heading("Mitigation ID 3 - Webhook authenticates callers", 4)
    d.para("Description", bold=True)
    d.para("Callers present client certificates.")
    model, report = run_import(d.save(tmp_path / "k8s.docx"))
    threats = {t.id: t for t in model.threats}
    assert sorted(threats) == ["T-1", "T-2", "T-2-2"]
    assert any("threat id T-2 is used again" in w.message for w in report.warnings)
    one = threats["T-1"]
    assert one.description.startswith("An attacker with network access")  # "Scenario" alone describes it
    assert "malicious workload" in one.extra["Impact"]  # an impact of sentences is kept, not a severity
    assert one.controls == ["M-2"] and threats["T-2"].controls == ["M-2", "M-3"]
    controls = {c.id: c for c in model.controls}
    assert sorted(controls) == ["M-2", "M-3"]
    assert controls["M-2"].title == "Webhook fails closed" and "failurePolicy" in controls["M-2"].description


def test_word_recommended_mitigations_heading_is_the_threats_mitigation(tmp_path: Path) -> None:
    from tests.importers.import_helpers import Doc, run_import

    d = Doc().title("Federation Threat Model")
    d.heading("Spoofing", 2)
    d.heading("Threat-01-S - Spoofing of the federation admin", 3)
    d.para("An attacker obtains the admin's kubeconfig and acts as the admin.")
    d.heading("Threat-01-S Recommended mitigations", 3)
    d.bullets("Short-lived credentials.", "Audit every admin action.")
    model, _report = run_import(d.save(tmp_path / "karmada.docx"))
    assert [t.title for t in model.threats] == ["Spoofing of the federation admin"]
    ctl = {c.id: c for c in model.controls}[model.threats[0].controls[0]]
    assert "Short-lived credentials." in ctl.description and "Audit every admin action." in ctl.description
    assert (ctl.status, ctl.status_stated) == ("planned", True)  # "Recommended mitigations": proposed


# -- Word: a heading with no id over a "Concern" label is a threat; a category's own concern over threats
#    written as sub-headings introduces them; "Additional considerations" concerns are no threats


def test_word_concern_headings_with_no_id(tmp_path: Path) -> None:
    from tests.importers.import_helpers import Doc, run_import

    d = Doc().title("Exposure Notification Risks")
    d.heading("Disruption", 2)
    d.para("Concern", bold=True)
    d.para("An adversary could try to disrupt the service in several ways.")  # introduces the threats below
    d.heading("RPI Spoofing", 3)
    d.para("Concern", bold=True)
    d.para("An adversary rebroadcasts identifiers of diagnosed people.")
    d.para("Mitigations", bold=True)
    d.bullets("Keys are only published after verification.")
    d.heading("Additional considerations", 4)
    d.para("Concern", bold=True)
    d.para("Relay attacks are well understood.")  # a discussion, not a threat
    d.heading("Learning social interactions", 2)
    d.para("Concern", bold=True)
    d.para("An adversary learns who met whom.")
    d.para("Mitigations", bold=True)
    d.para("Identifiers rotate every 15 minutes.")
    d.heading("Scenario 1: Ransomware attack", 2)
    d.para("Description: Malware encrypts patient data and demands ransom.")
    d.para("Mitigation: Regular automated backups.")
    d.heading("Bandwidth usage", 2)
    d.para("The daily keys of 100,000 people take 22.4 MB.")  # prose under a heading: nothing
    model, report = run_import(d.save(tmp_path / "en.docx"))
    assert [t.title for t in model.threats] == ["RPI Spoofing", "Learning social interactions", "Scenario 1: Ransomware attack"]
    assert [len(t.controls) for t in model.threats] == [1, 1, 1]
    assert model.threats[0].description == "An adversary rebroadcasts identifiers of diagnosed people."
    assert any("introduces the threats below it" in s for s in skipped(report))


def test_word_lead_ins_about_the_activity_or_every_threat_make_no_threats(tmp_path: Path) -> None:
    from tests.importers.import_helpers import Doc, run_import

    d = Doc().title("Gateway TARA")
    d.heading("Threat Scenarios", 2)
    d.heading("Threat Scenario Template", 3)
    d.para("Each threat follows the structure:")
    d.bullets("Threat Agent: Who or what can exploit", "Attack Vector: How the attack is carried out")
    d.heading("What to threat model", 3)
    d.para("You should threat model the solution as a whole and also focus in the following areas:")
    d.bullets("The security and privacy features", "The features that touch a trust boundary")
    d.heading("Attack Feasibility", 3)
    d.para("Total Attack Feasibility Score:", bold=True)
    d.bullets("0-13: Very High", "14-19: High")
    d.heading("Threats", 2)
    d.table([["ID", "Threat", "Mitigation"], ["T-01", "Private key extraction", "HSM"]])
    model, _report = run_import(d.save(tmp_path / "tara.docx"))
    assert [t.title for t in model.threats] == ["Private key extraction"]


def test_word_asset_headings_over_stride_items(tmp_path: Path) -> None:
    from tests.importers.import_helpers import Doc, run_import

    d = Doc().title("OTA STRIDE")
    d.heading("Asset 1: Firmware and Software Images", 3)
    d.bullets("Spoofing Identity", numbered=True)
    d.para("Threat: An attacker spoofs the update source.", style="List Bullet 2")
    d.para("Mitigation: Signed images verified on the device.", style="List Bullet 2")
    d.heading("Asset 2: Update Server", 3)
    d.bullets("Denial of Service (DoS)", numbered=True)
    d.para("Threat: An attacker floods the update server.", style="List Bullet 2")
    d.para("Mitigation: Rate limiting.", style="List Bullet 2")
    d.heading("Asset 1: Firmware and Software Images", 3)  # analysed again: one asset
    d.bullets("Tampering with Data", numbered=True)
    d.para("Threat: Images altered in storage.", style="List Bullet 2")
    model, _report = run_import(d.save(tmp_path / "ota.docx"))
    names = {a.id: a.name for a in model.assets}
    assert sorted(names.values()) == ["Firmware and Software Images", "Update Server"]
    assert [[names[a] for a in t.assets] for t in model.threats] == [
        ["Firmware and Software Images"],
        ["Update Server"],
        ["Firmware and Software Images"],
    ]
    assert [t.stride for t in model.threats] == [["spoofing"], ["denial_of_service"], ["tampering"]]


def test_word_stride_by_component_matrix(tmp_path: Path) -> None:
    from tests.importers.import_helpers import Doc, run_import

    d = Doc().title("Storage Threat Model")
    d.heading("STRIDE Threat Model", 2)
    d.table(
        [
            ["STRIDE Element", "Access Controls", "Raft Consensus"],
            ["Spoofing Identity", "Attackers impersonate authorized users.", "A node poses as the leader."],
            ["Tampering", "Access settings are altered.", ""],
            ["Repudiation", "Users deny their changes.", "A leader denies a proposal."],
            ["Information Disclosure", "Unauthorized reads of keys.", "Log entries leak."],
            ["Denial of Service", "Lockouts by failed logins.", "Elections flooded."],
            ["Elevation of Privilege", "Users gain admin rights.", "A follower acts as leader."],
        ]
    )
    model, report = run_import(d.save(tmp_path / "matrix.docx"))
    assert len(model.threats) == 11  # one per filled cell, the empty one skipped
    assert sorted(e.name for e in model.elements) == ["Access Controls", "Raft Consensus"]
    assert any("empty cell of a STRIDE x component matrix" in s for s in skipped(report))


def test_word_arrow_bullets_are_data_flows(tmp_path: Path) -> None:
    from tests.importers.import_helpers import Doc, run_import

    d = Doc().title("Triage App Threat Model")
    d.heading("Trust Boundaries", 2)
    d.bullets("Client <-> Server: The browser is untrusted.", "App Server -> Database: authenticated via a service role.")
    d.heading("Threats", 2)
    d.table([["ID", "Threat", "Mitigation"], ["T1", "IDOR on patient records", "Row-level security"]])
    model, report = run_import(d.save(tmp_path / "flows.docx"))
    ends = {e.id: e.name for e in model.elements}
    assert sorted((ends[f.source], ends[f.target]) for f in model.flows) == [("App Server", "Database"), ("Client", "Server")]
    assert [t.title for t in model.threats] == ["IDOR on patient records"]
    assert any("read as data flows" in w.message for w in report.warnings)


def test_excel_stride_matrix_sheet_and_a_feasibility_scale_sheet(tmp_path: Path) -> None:
    import openpyxl

    from tests.importers.import_helpers import run_import

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "STRIDE Threat Model"
    ws.append(["STRIDE Element", "Access Controls", "Raft Consensus"])
    for cat in ("Spoofing", "Tampering", "Repudiation", "Information Disclosure", "Denial of Service", "Elevation of Privilege"):
        ws.append([cat, f"{cat} of access settings.", f"{cat} of the consensus."])
    scale = wb.create_sheet("ISO 21434 Attack Feasibility")
    scale.append(["Factor", "Score", "Description"])
    scale.append(["Elapsed Time", "", ""])
    scale.append(["11", "<=1 day", "Trivial"])
    scale.append(["9", "<=1 week", "Quick"])
    path = tmp_path / "matrix.xlsx"
    wb.save(path)
    model, report = run_import(path)
    assert len(model.threats) == 12 and sorted(e.name for e in model.elements) == ["Access Controls", "Raft Consensus"]
    assert not any(t.title in ("Trivial", "Quick") for t in model.threats)


# -- a register's own score bands level its scores


def test_the_documents_score_bands_level_its_scores(tmp_path: Path) -> None:
    text = (
        "# Risk Register\n\n## Methodology\n\n**Risk Score = Likelihood × Impact**.\n"
        "- **Critical (20-25):** Immediate action required.\n- **High (15-19):** Action within 30 days.\n"
        "- **Medium (10-14):** Action within 90 days.\n- **Low (<10):** Monitor and accept.\n\n"
        "## Risks\n\n| ID | Risk Description | Likelihood | Impact | Score | Mitigation |\n|---|---|---|---|---|---|\n"
        "| R-1 | Weak passwords | 3 | 4 | 12 | PBKDF2 |\n| R-2 | Key loss | 3 | 3 | 9 | Backup codes |\n"
        "| R-3 | Data breach | 4 | 5 | 20 | Zero-knowledge storage |\n"
    )
    model, report = load_text(tmp_path, text)
    levels = {t.id: t.risk.level for t in model.threats if t.risk is not None}
    assert levels == {"R-1": "medium", "R-2": "low", "R-3": "critical"}  # 12 and 9 by the document, not the 1-25 default
    assert any("the document's own score bands" in w for w in warnings(report))
    assert any("legend of risk score bands" in s for s in skipped(report))


def test_without_bands_scores_keep_the_shipped_scale(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "# Risk Register\n\n## Risks\n\n| ID | Risk Description | Likelihood | Impact | Score | Mitigation |\n"
        "|---|---|---|---|---|---|\n| R-1 | Weak passwords | 3 | 4 | 12 | PBKDF2 |\n",
    )
    assert model.threats[0].risk is not None and model.threats[0].risk.level == "high"


def test_a_status_word_followed_by_its_reason(tmp_path: Path) -> None:
    model, report = load_text(
        tmp_path,
        "# Hazards\n\n## Register\n\n| Hazard ID | Hazard | Acceptability |\n|---|---|---|\n"
        "| H-1 | Wrong-patient data | Accepted. Any report of wrong-patient display is treated as a significant safety "
        "event and triggers immediate CSO review and a hot-fix release. |\n"
        "| H-2 | Silent failure | Mitigated; the toolbar icon shows the extension is alive. |\n"
        "| H-3 | Stale PDF | The PDF is dated on every page. |\n",
    )
    assert {t.id: t.status for t in model.threats} == {"H-1": "accepted", "H-2": "mitigated", "H-3": "open"}
    assert not model.threats[2].status_stated  # a sentence that opens with no status word states none


def test_threat_column_titles_a_register_beside_a_shorter_vulnerability_column(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "# Risk assessment\n\n## Threat and Vulnerability Register\n\n"
        "| Threat ID | Threat | Asset(s) | Vulnerability | Existing Controls |\n|---|---|---|---|---|\n"
        "| T-001 | Ransomware / malware | Pump | Unpatched systems | EDR, patch management |\n"
        "| T-002 | Phishing / credential theft | Gateway | User susceptibility | MFA |\n",
    )
    assert [(t.title, t.description) for t in model.threats] == [
        ("Ransomware / malware", "Unpatched systems"),
        ("Phishing / credential theft", "User susceptibility"),
    ]


def test_score_bands_written_range_first_in_a_table(tmp_path: Path) -> None:
    model, report = load_text(
        tmp_path,
        "# Risk assessment\n\n## Methodology\n\n| Score Range | Risk Level | Treatment |\n|---|---|---|\n"
        "| 1–4 | Low | Accept |\n| 5–9 | Medium | Treat within 90 days |\n| 10–16 | High | Treat within 30 days |\n"
        "| 17–25 | Critical | Treat immediately |\n\n## Risk Register\n\n"
        "| Risk ID | Threat | Likelihood (1–5) | Impact (1–5) | Score | Status |\n|---|---|---|---|---|---|\n"
        "| R-003 | Unauthorized access | 2 | 5 | 10 | Open |\n| R-006 | DDoS | 3 | 3 | 9 | Open |\n",
    )
    assert {t.id: t.risk.level for t in model.threats if t.risk is not None} == {"R-003": "high", "R-006": "medium"}
