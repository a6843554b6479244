"""Layouts of real threat models written by other people, each as a small synthetic excerpt in the same shape.

Each test names the shape it stands for; the real documents are listed in tests/data/markdown-real/SOURCES.md.
"""

from __future__ import annotations

from pathlib import Path

from mdptm.model import Model
from mdptm.model.validate import validate_model
from mdptm.pipeline.importing import ImportSource, import_sources
from tests.importers.import_helpers import load_text, reconciles, skipped


def by_title(model: Model) -> dict[str, object]:
    return {t.title: t for t in model.threats}


# -- 1. "| Threat | Mitigation | Status |": threats, their mitigations as linked controls


def test_threat_mitigation_status_table_gives_threats_with_linked_controls(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "# Threat model\n\n## Threats\n\n"
        "| Threat | Mitigation | Status |\n|---|---|---|\n"
        "| Attacker spoofs the cloud server | Mutual TLS with pinned certificates | ✅ Implemented |\n"
        "| Firmware image tampered in transit | Signed firmware updates | ⚠️ Partially implemented |\n"
        "| Telemetry eavesdropped on BLE | BLE LE Secure Connections | ❌ Not implemented |\n",
    )
    threats = by_title(model)
    assert len(model.threats) == 3 and len(model.controls) == 3
    spoof = threats["Attacker spoofs the cloud server"]
    assert spoof.status == "mitigated"  # type: ignore[attr-defined]
    ctl = {c.id: c for c in model.controls}[spoof.controls[0]]  # type: ignore[attr-defined]
    assert ctl.title == "Mutual TLS with pinned certificates"
    assert threats["Firmware image tampered in transit"].status == "partially_mitigated"  # type: ignore[attr-defined]
    # "Not implemented" is not "implemented": the longest phrase wins
    assert threats["Telemetry eavesdropped on BLE"].status == "open"  # type: ignore[attr-defined]


# -- 3. status cells written as check marks, alone or with words, and more status words


def test_status_marks_and_words(tmp_path: Path) -> None:
    rows = {
        "Spoofed gateway": ("✅", "mitigated"),
        "Tampered firmware": ("⚠️", "partially_mitigated"),
        "Leaked PHI": ("❌", "open"),
        "Replayed command": ("✅ Done", "mitigated"),
        "Log flooding": ("In progress", "partially_mitigated"),
        "USB port": ("Accepted", "accepted"),
        "BLE sniffing": ("N/A", "not_applicable"),
        "Debug port": ("Not implemented", "open"),
        "DNS spoofing": ("Partially implemented", "partially_mitigated"),
        "Cloud outage": ("Open", "open"),
        "Old TLS": ("Implemented", "mitigated"),
        "Session fixation": ("Planned", "open"),
        "Weak PIN": ("⚠ Partial", "partially_mitigated"),
    }
    table = "| ID | Threat | Status |\n|---|---|---|\n" + "".join(
        f"| T{n} | {title} | {cell} |\n" for n, (title, (cell, _want)) in enumerate(rows.items(), start=1)
    )
    model, report = load_text(tmp_path, "# Model\n\n" + table)
    got = {t.title: t.status for t in model.threats}
    assert got == {title: want for title, (_cell, want) in rows.items()}
    assert not [w for w in report.warnings if "not understood" in w.message]


def test_control_status_marks(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "# Model\n\n## Controls\n\n| Control ID | Control | Status |\n|---|---|---|\n"
        "| C-1 | Mutual TLS | ✅ |\n| C-2 | Signed images | ❌ |\n| C-3 | Audit log | ⚠️ Partially implemented |\n",
    )
    assert {c.id: c.status for c in model.controls} == {"C-1": "implemented", "C-2": "not_implemented", "C-3": "planned"}


# -- 4. ISO/SAE 21434 risk treatment decisions


def test_iso_21434_risk_treatments_give_the_status(tmp_path: Path) -> None:
    """Sharing, transferring, retaining and accepting a risk are what was done with it; reducing or avoiding
    it is a decision to treat it, which says nothing of whether that is done: the status stays not stated,
    the decision kept as written."""
    model, report = load_text(
        tmp_path,
        "# TARA\n\n| ID | Threat scenario | Risk treatment |\n|---|---|---|\n"
        "| TS-1 | Spoofed gateway | Reduce |\n| TS-2 | Tampered firmware | Avoid |\n| TS-3 | Leaked PHI | Share |\n"
        "| TS-4 | Replay | Transfer |\n| TS-5 | Log flooding | Retain |\n| TS-6 | USB port | Accept |\n"
        "| TS-7 | Stolen backup | Mitigate — encrypt the backups, access monitoring |\n",
    )
    stated = {t.id: t.status for t in model.threats if t.status_stated}
    assert stated == {"TS-3": "transferred", "TS-4": "transferred", "TS-5": "accepted", "TS-6": "accepted"}
    by_id = {t.id: t for t in model.threats}
    assert by_id["TS-1"].extra["Risk treatment"] == "Reduce" and by_id["TS-2"].extra["Risk treatment"] == "Avoid"
    assert by_id["TS-7"].status != "accepted"  # "monitoring" in the measures is no acceptance
    assert not [w for w in report.warnings if "not understood" in w.message]


# -- 5. a template's bracketed fill-ins are empty


def test_bracketed_fill_ins_are_empty_never_titles_or_evidence(tmp_path: Path) -> None:
    model, report = load_text(
        tmp_path,
        "# Model\n\n| ID | Threat | Mitigation | Evidence | Status |\n|---|---|---|---|---|\n"
        "| T1 | Spoofed gateway | [Insert mitigation] | [TBD] | [ ] |\n"
        "| T2 | Tampered firmware | Signed images | <describe> | Open |\n"
        "| T3 | [Threat title] | [Insert mitigation] | [TBD] | [ ] |\n",
    )
    assert [t.id for t in model.threats] == ["T1", "T2"]  # a threat table, not a control table
    t1 = model.threats[0]
    assert t1.controls == [] and "Evidence" not in t1.extra and "Status" not in t1.extra
    assert [c.title for c in model.controls] == ["Signed images"]
    assert any("T3" in s for s in skipped(report))
    assert not any("[" in c.title for c in model.controls)


# -- 6. proposed mitigations are planned controls


def test_potential_and_recommended_mitigations_are_planned(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "# Model\n\n### T-1 Spoofed pump server\n\n**Scenario:** An attacker impersonates the pump server.\n\n"
        "**Potential mitigations:** Mutual TLS between pump and server.\n\n"
        "### T-2 Firmware tampering\n\n**Description:** The firmware image is replaced.\n\n"
        "**Recommended mitigations:**\n- Sign firmware images\n- Verify the signature at boot\n\n"
        "### T-3 Log deletion\n\n**Description:** Logs are wiped.\n\n**Mitigation:** Append-only log store.\n",
    )
    status = {c.title: (c.status, c.status_stated) for c in model.controls}
    assert status["Mutual TLS between pump and server"] == ("planned", True)
    assert status["Sign firmware images"] == ("planned", True)
    assert status["Append-only log store"] == ("implemented", False)  # stated nowhere: mdptm's reading


def test_recommended_mitigation_column_makes_planned_controls(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "# Model\n\n| ID | Threat | Recommended mitigation |\n|---|---|---|\n"
        "| T1 | Spoofed gateway | Mutual TLS |\n| T2 | Tampered firmware | Signed images |\n",
    )
    assert {c.title: c.status for c in model.controls} == {"Mutual TLS": "planned", "Signed images": "planned"}
    assert all(c.status_stated for c in model.controls)


# -- 2. mitigation columns make controls; control tables keyed by threat id link to those threats


def test_mitigation_column_beside_a_control_table_keyed_by_threat_id(tmp_path: Path) -> None:
    model, report = load_text(
        tmp_path,
        "# Device threat model\n\n## Threats\n\n| ID | Threat | STRIDE | Mitigation |\n|---|---|---|---|\n"
        "| T1 | Spoofed gateway | S | Mutual TLS |\n| T2 | Log deletion | R | Append-only audit log |\n"
        "| T3 | Debug port left open | E | Disable JTAG in production |\n\n"
        "## Controls\n\n| Control | Description | Threats | Status |\n|---|---|---|---|\n"
        "| Mutual TLS | Both ends present certificates | T1 | Implemented |\n"
        "| Audit log | Logs are append only | T1, T2 | Planned |\n",
    )
    ctl = {c.title: c for c in model.controls}
    threats = {t.id: t for t in model.threats}
    assert set(threats["T1"].controls) == {ctl["Mutual TLS"].id, ctl["Audit log"].id}
    assert threats["T2"].controls == [ctl["Audit log"].id]  # linked by the control table's "Threats" column
    assert threats["T2"].extra["Mitigation"] == "Append-only audit log"  # its own words, kept internal (warned)
    # T3's mitigation names no control and no control links T3: it is a control of its own
    jtag = ctl["Disable JTAG in production"]
    assert threats["T3"].controls == [jtag.id] and not jtag.status_stated
    assert any("names no control and no control links T3" in w.message for w in report.warnings)
    assert len(model.controls) == 3


def test_control_table_keyed_by_threat_id_column(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "# Model\n\n## Threats\n\n| ID | Threat |\n|---|---|\n| T-01 | Spoofed gateway |\n| T-02 | Log deletion |\n\n"
        "## Mitigations\n\n| Threat ID | Mitigation | Status |\n|---|---|---|\n"
        "| T-01 | Mutual TLS | ✅ |\n| T-02 | Append-only audit log | ❌ |\n",
    )
    ctl = {c.id: c for c in model.controls}
    linked = {t.id: [(ctl[c].title, ctl[c].status) for c in t.controls] for t in model.threats}
    assert linked == {"T-01": [("Mutual TLS", "implemented")], "T-02": [("Append-only audit log", "not_implemented")]}


# -- 7. "Subsystem n: Name" / "Component n: Name" headings name components


def test_subsystem_and_component_headings_name_components(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "# Model\n\n## Subsystem 1: Infusion Pump\n\nThe pump delivers the drug.\n\n"
        "### T-1 Spoofed pump server\n\n**Description:** An attacker impersonates the pump server.\n\n"
        "## Component 2: Cloud Backend\n\n| ID | Threat | STRIDE |\n|---|---|---|\n| T-2 | Database dump | I |\n\n"
        "## Component 3 - Mobile App\n\n- **Threat:** Stolen phone reveals PHI\n- **Mitigation:** App PIN\n",
    )
    names = {e.id: e.name for e in model.elements}
    assert sorted(names.values()) == ["Cloud Backend", "Infusion Pump", "Mobile App"]
    targets = {t.title: [names[x] for x in t.targets] for t in model.threats}
    assert targets == {
        "Spoofed pump server": ["Infusion Pump"],
        "Database dump": ["Cloud Backend"],
        "Stolen phone reveals PHI": ["Mobile App"],
    }
    assert not any("Subsystem" in t.title or "Component" in t.title for t in model.threats)
    pump = next(e for e in model.elements if e.name == "Infusion Pump")
    assert pump.description == "The pump delivers the drug."


# -- 8. editor-escaped exports (Google Docs, Pandoc): "\#", "\|", "\_", "\*"


def test_escaped_export_is_read_unescaped(tmp_path: Path) -> None:
    model, report = load_text(
        tmp_path,
        "\\# Threat Model\n\n\\#\\# Threats\n\n"
        "\\| ID \\| Threat \\| Mitigation \\|\n\\|---\\|---\\|---\\|\n"
        "\\| T\\_1 \\| Spoofed gateway \\| Mutual TLS \\|\n\\| T\\_2 \\| Tampered firmware \\| Signed images \\|\n\n"
        "\\#\\#\\# T-3 Debug port\n\n\\*\\*Description:\\*\\* JTAG left enabled on port\\_1.\n\n"
        "\\*\\*Mitigation:\\*\\* Fuse JTAG off.\n",
    )
    assert sorted((t.id, t.title) for t in model.threats) == [
        ("T-3", "Debug port"),
        ("T_1", "Spoofed gateway"),
        ("T_2", "Tampered firmware"),
    ]
    assert next(t for t in model.threats if t.id == "T-3").description == "JTAG left enabled on port_1."
    assert sorted(c.title for c in model.controls) == ["Fuse JTAG off", "Mutual TLS", "Signed images"]
    assert any("escaped mark" in w.message for w in report.warnings)
    assert model.document.title == "Threat Model"


def test_escapes_inside_a_normal_table_stay_literal(tmp_path: Path) -> None:
    model, report = load_text(
        tmp_path,
        "# Threat Model\n\n| ID | Threat | Mitigation |\n|---|---|---|\n"
        "| T\\_1 | Spoofed \\*gateway\\* on port\\_443 | Mutual TLS \\| pinned |\n",
    )
    assert [(t.id, t.title) for t in model.threats] == [("T_1", "Spoofed *gateway* on port_443")]
    assert [c.title for c in model.controls] == ["Mutual TLS | pinned"]
    assert not any("escaped mark" in w.message for w in report.warnings)


# -- 9. template slots and checklists are no threats, and say so


def test_template_slots_and_checklists_are_skipped_with_reasons(tmp_path: Path) -> None:
    model, report = load_text(
        tmp_path,
        "# {{PRODUCT_NAME}} Threat Model\n\n**Version:** {{VERSION}}\n\n## Threats\n\n{{THREAT_TABLE}}\n\n"
        "### T-1 {{THREAT_TITLE}}\n\n**Description:** {{THREAT_DESCRIPTION}}\n\n**Mitigation:** {{MITIGATION}}\n\n"
        "### T-2 Spoofed gateway\n\n**Description:** A rogue gateway.\n\n"
        "## Spoofing\n\n- [x] Authentication of the cloud server reviewed\n- [x] Device certificates rotated\n"
        "- [ ] Pen test of the pairing flow\n\n"
        "## Register\n\n| ID | Threat | Mitigation |\n|---|---|---|\n| {{ID}} | {{THREAT}} | {{MITIGATION}} |\n"
        "| T-3 | Log deletion | Append-only log |\n",
    )
    assert sorted(t.title for t in model.threats) == ["Log deletion", "Spoofed gateway"]
    assert [c.title for c in model.controls] == ["Append-only log"]
    why = skipped(report)
    assert any("template slot '{{THREAT_TABLE}}'" in s for s in why)
    assert any("checklist of 3 box(es), 2 ticked" in s for s in why)
    assert any("'Version' is a template's fill-in" in s for s in why)
    assert any("T-1" in s and "no threat text" in s for s in why)
    assert any("row 2" in s and "placeholders" in s for s in why)
    assert "{{" not in (model.document.title or "") and "{{" not in str(model.document.version)


def test_a_checklist_under_a_stride_heading_is_no_threats_in_word_either(tmp_path: Path) -> None:
    """Word read the boxes under "Spoofing" as three threats titled "[x] Authentication of the cloud server reviewed" and
    so on; Markdown skipped them as a checklist. Both skip them now, each item with the reason."""
    from tests.importers.md_word import both

    text = (
        "# Pump threat model\n\n## Threats\n\n### T-2 Spoofed gateway\n\n**Description:** A rogue gateway.\n\n"
        "## Spoofing\n\n- [x] Authentication of the cloud server reviewed\n- [x] Device certificates rotated\n"
        "- [ ] Pen test of the pairing flow\n"
    )
    for model, report in both(tmp_path, text):
        assert [t.title for t in model.threats] == ["Spoofed gateway"]
        assert any("checklist of 3 box(es), 2 ticked" in s for s in skipped(report))
        assert reconciles(report)


def test_task_box_threats_are_still_threats(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, "# Model\n\n- [ ] **Threat**: Spoofed gateway\n- [x] **Threat**: Replayed commands\n")
    assert sorted(t.title for t in model.threats) == ["Replayed commands", "Spoofed gateway"]


# -- a threat whose document states no status is not called open


def test_threats_without_a_stated_status_are_not_called_open(tmp_path: Path) -> None:
    from mdptm.documents.guides import build_guides
    from mdptm.render import markdown as render_md

    model, _report = load_text(
        tmp_path,
        "# Model\n\n| ID | Threat | Mitigation |\n|---|---|---|\n| T1 | Spoofed gateway | Mutual TLS |\n"
        "| T2 | Log deletion | Append-only log |\n\n## Register\n\n| ID | Threat | Status |\n|---|---|---|\n"
        "| T3 | Replay | Open |\n| T4 | XSS | Mitigated |\n",
    )
    stated = {t.id: (t.status, t.status_stated, t.stated_status()) for t in model.threats}
    assert stated == {
        "T1": ("open", False, "status_not_stated"),
        "T2": ("open", False, "status_not_stated"),
        "T3": ("open", True, "open"),
        "T4": ("mitigated", True, "mitigated"),
    }
    guides = build_guides(model)
    pre = render_md.render(guides["pre-procurement"])
    assert "4 (1 mitigated, 1 open, 2 status not stated)" in pre
    assert "Threat T3 (Replay) is open." in pre and "Threat T1 (Spoofed gateway) is open." not in pre
    assert "The threat model states no status for threats T1, T2" in pre
    ops = render_md.render(guides["operations"])
    assert "## Risks left open, and threats with no stated status" in ops


# -- "Impact: High" / "Likelihood: Low" fields are the severity and likelihood


def test_impact_and_likelihood_bullets_give_the_risk_factors(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "# Model\n\n### T-1 Spoofed pump server\n\n- **Description:** An attacker impersonates the pump server.\n"
        "- **Impact:** High\n- **Likelihood:** Low\n- **Mitigation:** Mutual TLS\n\n"
        "### T-2 Firmware tampering\n\n- Description: The firmware image is replaced.\n"
        "- Impact: Critical – patients get wrong doses\n- Likelihood: Medium\n\n"
        "### T-3 Log deletion\n\n- Description: Logs are wiped.\n- Impact: the audit trail is lost\n\n"
        "## Threats\n\n- **Threat:** Replay of commands\n  - **Impact:** Medium\n  - **Likelihood:** High\n",
    )
    risk = {t.id: (t.risk.likelihood, t.risk.severity, t.risk.scale) if t.risk else None for t in model.threats}
    assert risk["T-1"] == ("Low", "High", "5x5")
    assert risk["T-2"] == ("Medium", "Critical", "5x5")
    assert risk["T-3"] is None  # an impact written as prose states no level
    replay = next(t for t in model.threats if t.title == "Replay of commands")
    assert replay.risk is not None and (replay.risk.likelihood, replay.risk.severity) == ("High", "Medium")
    t2 = next(t for t in model.threats if t.id == "T-2")
    assert "Impact: Critical – patients get wrong doses" in (t2.description or "")  # the words are kept
    assert "Likelihood" not in t2.extra and "Likelihood" not in (t2.description or "")


# -- an ISO/SAE 21434 TARA written as headings: "#### [T-01] title", labelled fields, "[SC-01]" control bullets,
#    a control status table, asset tables with ids and rating-scale tables (a vehicle-to-cloud TARA's shape)

TARA = """# ISO 21434 Threat Analysis and Risk Assessment (TARA)

## Scope and Boundaries

### In Scope

**System Components:**
- Vehicle Telematics Control Unit (TCU)
- MQTT broker infrastructure (AWS IoT Core)

## Asset Identification

| Asset ID | Asset Name | Description |
|---|---|---|
| **A-01** | Vehicle Private Key | ECC P-256 key for mTLS |
| **A-02** | Vehicle Certificate | X.509 certificate |

### Supporting Assets

| Asset ID | Asset Name | Impact if Compromised |
|----------|------------|----------------------|
| **S-01** | Certificate Database | Revocation delays |
| **S-02** | OCSP Responder | Cannot validate certificates |
| **S-03** | Audit Logs | Loss of forensic evidence |
| **S-04** | Backend API Services | Service disruption |

## Threat Scenarios

#### [T-01] Private Key Compromise

**Threat Agent:** External attacker with physical access to the TCU

**Attack Vector:**
1. Attacker removes the TCU
2. Extracts the private key

**Asset(s) Targeted:** A-01 (Vehicle Private Key), A-02 (Vehicle Certificate)

**Likelihood:** Low (specialized equipment required)

**Risk Level:** **HIGH** (High Impact × Medium Feasibility)

**Security Controls:**
- **[SC-01]** FIPS 140-2 HSM with tamper-evident packaging
- **[SC-02]** Certificate rotation every 12 months

**Residual Risk:** **LOW** (after controls applied)

#### [T-06] Denial of Service (DoS) Attack

**Attack Vector:**
1. Attacker floods the broker

**Security Controls:**
- **[SC-03]** AWS Shield

## Attack Feasibility Rating

### ISO 21434 Attack Feasibility Table

| Factor | Score | Description |
|--------|-------|-------------|
| **Elapsed Time** | | |
| 11 | ≤1 day | Trivial |
| 9 | ≤1 week | Quick |

## Security Controls

| Control ID | Control Name | Implementation | Status |
|------------|--------------|----------------|--------|
| SC-01 | FIPS 140-2 HSM/TPM | Hardware requirement | ✅ Implemented |
| SC-02 | Certificate Rotation | Automated | 🔄 In Development |
"""


def test_tara_written_as_headings_with_bracketed_ids(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, TARA)
    threats = {t.id: t for t in model.threats}
    assert sorted(threats) == ["T-01", "T-06"]  # "[T-06] Denial of Service" is a threat, not a STRIDE heading
    t1 = threats["T-01"]
    assert t1.title == "Private Key Compromise"
    assert sorted(t1.assets) == ["A-01", "A-02"]
    assert t1.risk is not None and t1.risk.level == "high" and t1.risk.likelihood == "Low"
    assert t1.residual_risk is not None and t1.residual_risk.level == "low"
    assert "Attack vector:" in (t1.description or "") and "Extracts the private key" in (t1.description or "")
    # "[SC-01] ..." bullets name the controls of the status table: no new control made from their words
    controls = {c.id: c for c in model.controls}
    assert sorted(controls) == ["SC-01", "SC-02", "SC-03"]
    assert t1.controls == ["SC-01", "SC-02"] and threats["T-06"].controls == ["SC-03"]
    assert controls["SC-01"].title == "FIPS 140-2 HSM/TPM" and controls["SC-02"].status == "planned"
    assert controls["SC-03"].title == "AWS Shield"  # defined only by its bullet: made from it, once
    # "S-01" is an asset id, not the STRIDE letter S: no matrix, four assets
    assert sorted(a.id for a in model.assets) == ["A-01", "A-02", "S-01", "S-02", "S-03", "S-04"]
    assert not any("matrix" in w.message for w in report.warnings)
    # the feasibility scale is no threat table
    assert not any(t.title in ("Trivial", "Quick") for t in model.threats)
    assert any("feasibility table" in s for s in skipped(report))
    # "**System Components:**" over a list: components
    assert sorted(e.name for e in model.elements) == ["MQTT broker infrastructure (AWS IoT Core)", "Vehicle Telematics Control Unit (TCU)"]


def test_id_led_mitigation_words_that_are_no_control_ids(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "# Model\n\n### T-1 Eavesdropping\n\n**Description:** Traffic is read.\n\n"
        "**Mitigation:**\n- AES-256 encryption of the link\n- TLS 1.3 only\n",
    )
    assert len(model.controls) == 1 and model.controls[0].title.startswith("AES-256 encryption")


# -- an ISO/SAE 21434 TARA in tables: threat scenarios, a risk table keyed by the same ids with "Reduce"
#    treatments, and a traceability table "| ID | Control | Implemented in |" keyed by the threat ids


def test_control_table_keyed_by_the_threat_ids_links_each_control(tmp_path: Path) -> None:
    model, report = load_text(
        tmp_path,
        "# TARA\n\n## Threat scenarios\n\n| ID | Damage scenario | Threat scenario | Asset |\n|---|---|---|---|\n"
        "| TS-01 | Unintended actuation | Attacker executes a routine with a read-only token | AS-01 |\n"
        "| TS-02 | Session hijack | Stream ticket replayed by a second client | AS-02 |\n\n"
        "## Risk determination\n\n| ID | Feasibility | Risk | Treatment (15.9) |\n|---|---|---|---|\n"
        "| TS-01 | Low | 4 | Reduce |\n| TS-02 | Medium | 3 | Retain |\n\n"
        "## Traceability\n\n| ID | Control | Implemented in | Verified by |\n|---|---|---|---|\n"
        "| TS-01 | Per-route scope gate, default-deny | `server/src/routes.cpp` | `tests/test_core.cpp` |\n"
        "| TS-02 | Single-use stream tickets | `server/src/stream_ticket.cpp` | `tests/test_core.cpp` |\n",
    )
    threats = {t.id: t for t in model.threats}
    controls = {c.title: c for c in model.controls}
    assert sorted(threats) == ["TS-01", "TS-02"] and len(controls) == 2
    assert threats["TS-01"].controls == [controls["Per-route scope gate, default-deny"].id]
    assert threats["TS-02"].controls == [controls["Single-use stream tickets"].id]
    # "Reduce" is the decision to treat TS-01, not a statement that it is treated: no status stated
    assert (threats["TS-01"].status_stated, threats["TS-02"].status) == (False, "accepted")
    assert threats["TS-01"].extra["Treatment (15.9)"] == "Reduce"
    assert sum("control keyed by threat id" in w.message for w in report.warnings) == 2
    assert not any("already used" in w.message for w in report.warnings)  # one warning per row, not two
    # "Implemented in" holds where, not whether: no status read from it, and no warning about one
    assert all(not c.status_stated for c in controls.values())
    assert not any("control status" in w.message for w in report.warnings)


def test_numbered_controls_are_not_keyed_by_numbered_threats(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "# Model\n\n## Threats\n\n| ID | Threat |\n|---|---|\n| T-1 | Spoofed gateway |\n| T-2 | Log deletion |\n\n"
        "## Controls\n\n| Control ID | Control |\n|---|---|\n| T-1 | Mutual TLS |\n\n",
    )
    assert all(t.controls == [] for t in model.threats)  # a "Control ID" column names controls, whatever they look like
    numbered, _report = load_text(
        tmp_path,
        "# Model\n\n## Threats\n\n| ID | Threat |\n|---|---|\n| 1 | Spoofed gateway |\n| 2 | Log deletion |\n\n"
        "## Mitigations\n\n| ID | Mitigation |\n|---|---|\n| 1 | Append-only log |\n",
        name="numbered.md",
    )
    assert all(t.controls == [] for t in numbered.threats)  # numbers restart in every table


# -- a STRIDE table and a LINDDUN table in one appendix, ids reused across them ("I-001" in both), an
#    "Implementation status" column of prose, appendix numbering "C.1" in the headings


def test_stride_and_linddun_tables_with_reused_ids(tmp_path: Path) -> None:
    model, report = load_text(
        tmp_path,
        "# Appendix C — STRIDE + LINDDUN Threat Matrix\n\n## C.1 STRIDE Matrix\n\n"
        "| Category | ID | Threat | Mitigation | Implementation status |\n|---|---|---|---|---|\n"
        "| Tampering | T-001 | Data in transit modified | TLS 1.3 | Operator (transport) |\n"
        "| Info Disclosure | I-001 | Credential to agent | Vault isolation | Structural by type: no secret-returning method |\n"
        "| Denial | D-001 | Rate limit exhaustion | Backoff + quotas | Structural: fixed-window rate limit |\n\n"
        "## C.2 LINDDUN Privacy Matrix\n\n"
        "| Category | ID | Threat | Mitigation | Implementation status |\n|---|---|---|---|---|\n"
        "| Linkability | L-001 | Cross-connector correlation | Scope isolation | Structural: per-scope grants |\n"
        "| Identifiability | I-001 | Subject re-identification | Consent-gated only | Structural: no read without a grant |\n"
        "| Non-repudiation | N-001 | Subject cannot deny data | Consent audit | Structural: ledger |\n"
        "| Disclosure | D-002 | Data leak | Encryption at rest | Operator (store choice) |\n",
    )
    threats = {t.id: t for t in model.threats}
    assert sorted(threats) == ["D-001", "D-002", "I-001", "I-001-2", "L-001", "N-001", "T-001"]
    assert threats["I-001-2"].title == "Subject re-identification"
    assert any("I-001 is used again for another threat" in w.message for w in report.warnings)
    # LINDDUN categories are kept as written, never read as STRIDE (non-repudiation is no repudiation)
    assert threats["N-001"].stride == [] and threats["N-001"].extra["LINDDUN category"] == "Non-repudiation"
    assert threats["L-001"].stride == [] and threats["D-002"].stride == ["information_disclosure"]
    assert not any("STRIDE value" in w.message for w in report.warnings)
    # the implementation-status prose is no status: kept as written, one warning per table, none per row
    assert all(not t.status_stated for t in model.threats)
    assert sum("holds no threat statuses" in w.message for w in report.warnings) == 2
    assert not any("status 'Operator" in w.message for w in report.warnings)
    # "C.2 ..." is appendix numbering, no control; "TLS 1.3" is a mitigation's words, a control of its own
    assert "C.2" not in {c.id for c in model.controls}
    assert threats["T-001"].controls and len(model.controls) == 7


def test_a_risk_table_with_shorter_titles_still_joins_its_threats(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "# Model\n\n## Threats\n\n| ID | Threat |\n|---|---|\n| T-03 | Man-in-the-Middle (MITM) Attack on TLS |\n"
        "| T-06 | Denial of Service (DoS) Attack |\n\n## Risk summary\n\n| Threat ID | Threat Name | Risk Level |\n|---|---|---|\n"
        "| T-03 | MITM on TLS | High |\n| T-06 | DoS Attack | Medium |\n",
    )
    assert sorted(t.id for t in model.threats) == ["T-03", "T-06"]
    assert all(t.risk is not None for t in model.threats)


# -- a classroom health-system threat model: a STRIDE table with one tick column per letter, a DREAD table
#    and a countermeasure table keyed by the same ids, bold "**T1 - title**" lines over labelled bullets,
#    and a table of the security mechanisms already in place


def test_bold_threat_lines_over_labelled_bullets_are_those_threats(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "# Threat Modeling\n\n## Security Mechanisms\n\n| Mechanism | Description | Implementation |\n|---|---|---|\n"
        "| **JWT Authentication** | Token-based auth with 1-hour expiry | `jsonwebtoken` library |\n"
        "| **Password Hashing** | bcrypt with 10 salt rounds | `bcryptjs` library |\n\n"
        "## STRIDE\n\n| ID | Component | S | T | R | I | D | E | Threat Description |\n|---|---|---|---|---|---|---|---|---|\n"
        "| T1 | /api/auth/register | ✓ |   |   |   |   | ✓ | Unprotected registration allows anyone to create admin accounts |\n"
        "| T2 | AuthContext.jsx |   |   |   | ✓ |   |   | JWT stored in localStorage vulnerable to XSS |\n\n"
        "### Detailed Threat Descriptions\n\n**T1 - Spoofing via Unprotected Registration**\n"
        "- **File**: `server/routes/authRoutes.js`\n- **Vulnerability**: Registration endpoint has no authentication\n"
        '- **Attack**: Attacker registers with `role: "admin"` to gain full access\n\n'
        "**T2 - Information Disclosure via XSS**\n- **Vulnerability**: JWT token stored in `localStorage`\n"
        "- **Attack**: XSS attack steals token for session hijacking\n\n"
        "## Countermeasures\n\n| Threat ID | Threat | Risk Level | Countermeasure |\n|---|---|---|---|\n"
        "| T1 | Unprotected Registration | Critical | Protect with admin authentication |\n"
        "| T2 | JWT in localStorage | High | HTTP-only cookies |\n",
    )
    threats = {t.id: t for t in model.threats}
    assert sorted(threats) == ["T1", "T2"]  # the bullets are the fields of T1 and T2, never threats of their own
    assert threats["T1"].stride == ["spoofing", "elevation_of_privilege"]
    assert "Registration endpoint has no authentication" in (threats["T1"].description or "") or any(
        "Registration endpoint has no authentication" in str(v) for v in threats["T1"].extra.values()
    )
    titles = {c.id: c.title for c in model.controls}
    assert sorted(titles.values()) == ["HTTP-only cookies", "JWT Authentication", "Password Hashing", "Protect with admin authentication"]
    assert [titles[c] for c in threats["T1"].controls] == ["Protect with admin authentication"]


# -- the real document of that shape, kept with its MIT licence (tests/data/markdown-real/SOURCES.md)

DATA = Path(__file__).resolve().parent.parent / "data" / "markdown-real"


def test_flexycode_health_system_threat_model_truth() -> None:
    """Counted by hand: 10 threats (T1-T10, STRIDE ticks), 10 countermeasures + 5 security mechanisms = 15
    controls, 6 assets + 4 exit points, 6 entry points; the DREAD and countermeasure rows join T1-T10."""
    model, report = import_sources([ImportSource(DATA / "flexycode-hms-threat-modeling.md")])
    assert validate_model(model) == [] and reconciles(report)
    threats = {t.id: t for t in model.threats}
    assert sorted(threats, key=lambda i: int(i[1:])) == [f"T{n}" for n in range(1, 11)]
    assert threats["T1"].stride == ["spoofing", "elevation_of_privilege"]
    assert threats["T1"].risk is not None and threats["T1"].risk.level == "critical"
    assert len(model.controls) == 15 and all(len(t.controls) == 1 for t in model.threats)
    assert len(model.assets) == 10
    assert sorted(e.id for e in model.elements if e.id.startswith("EP")) == [f"EP{n}" for n in range(1, 7)]
    assert not any(t.title.startswith(("Registration endpoint", "Attacker registers")) for t in model.threats)


# -- a LINDDUN privacy threat model written as headings and prose


def test_linddun_headings_and_prose(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, LINDDUN)
    threats = [(t.extra.get("LINDDUN category"), t.title) for t in model.threats]
    assert threats == [
        ("Linkability", "Linking sessions across devices"),
        ("Linkability", "Linking dose records to a person"),
        ("Identifiability", "Patients can be re-identified from the anonymised telemetry because it keeps birth date and postcode"),
        ("Detectability", "An observer can tell that a person wears a pump from its BLE advertisements"),
        ("Detectability", "The cloud API answers differently for known and unknown serial numbers"),
        ("Unawareness", "Patients are not told that telemetry is shared with the research partner"),
    ]
    assert all(t.stride == [] for t in model.threats)
    assert sorted(c.title for c in model.controls) == [
        "Generalise birth date to year and drop the postcode",
        "Rotate the BLE address on every pairing",
    ]
    assert "Consent screens are planned for release 2." in (model.threats[-1].description or "")
    assert sum("read as one" in w.message for w in report.warnings) == 2


def test_one_disclosure_heading_is_no_privacy_category(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "# Model\n\n## Threats\n\n| ID | Threat |\n|---|---|\n| T-1 | Spoofed gateway |\n\n"
        "## Disclosure\n\nReport vulnerabilities to security@example.com; we answer within five days.\n",
    )
    assert [t.id for t in model.threats] == ["T-1"]


LINDDUN = """# Privacy threat model (LINDDUN)

## Linkability

### Linking sessions across devices

An adversary who observes the pairing traffic can link a patient's phone and pump sessions.

**Mitigation:** Rotate the BLE address on every pairing.

### Linking dose records to a person

Dose records carry a stable device serial that links them to the patient.

## Identifiability

Patients can be re-identified from the anonymised telemetry because it keeps birth date and postcode.

**Mitigation:** Generalise birth date to year and drop the postcode.

## Detectability

- An observer can tell that a person wears a pump from its BLE advertisements.
- The cloud API answers differently for known and unknown serial numbers.

## Unawareness

Patients are not told that telemetry is shared with the research partner.

Consent screens are planned for release 2.
"""


# -- "Threats we mitigate" with "✅ <word>" statuses, and "Threats we do NOT mitigate" with the user's part


def test_threats_mitigated_and_not_mitigated_tables(tmp_path: Path) -> None:
    model, report = load_text(
        tmp_path,
        "## Threat Model\n\n### Threats We Mitigate\n\n| Threat | Mitigation | Status |\n|---|---|---|\n"
        "| **Credential theft via file access** | AES-256-GCM encryption | ✅ Mitigated |\n"
        "| **Tampering with credentials file** | GCM authentication tags | ✅ Detected |\n"
        "| **Git commit of credentials** | `.gitignore` + warnings | ✅ Prevented |\n"
        "| **Brute-force attacks** | PBKDF2 (600k iterations) | ✅ Slowed |\n\n"
        "### Threats We Do NOT Mitigate\n\n| Threat | Why Not Mitigated | User Responsibility |\n|---|---|---|\n"
        "| **Root/admin access on machine** | Encryption keys in memory | Use disk encryption (FileVault, BitLocker) |\n"
        "| **Keylogger/malware** | Credentials entered interactively | Use antivirus, secure OS |\n",
    )
    threats = {t.title: t for t in model.threats}
    assert len(threats) == 6
    # the mark says it when the word beside it is no status word
    assert {threats[t].status for t in list(threats)[:4]} == {"mitigated"}
    assert not any("holds no threat statuses" in w.message for w in report.warnings)
    root = threats["Root/admin access on machine"]
    assert root.rationale == "Encryption keys in memory" and not root.status_stated
    users = {c.title: c.responsibility for c in model.controls if c.id in root.controls}
    assert users == {"Use disk encryption (FileVault, BitLocker)": "customer"}


# -- one threat per STRIDE row written with abbreviations ("DoS", "Elevation") and a "Vector" column


def test_stride_rows_with_vectors_and_mitigations_are_threats(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "# Threat Model (STRIDE)\n\n| Threat | Vector | Impact | Mitigation |\n|---|---|---|---|\n"
        "| Spoofing | Stolen tokens | Unauthorized access | Short-lived JWTs, mTLS |\n"
        "| Tampering | Image or config changes | Supply-chain risk | Signed images |\n"
        "| Info Disclosure | Misconfigured buckets | Data leak | Least privilege |\n"
        "| DoS | GPU exhaustion | Latency spikes | Quotas, rate limits |\n"
        "| Elevation | Privileged pod | Cluster takeover | Minimal capabilities |\n",
    )
    got = [(t.stride, t.title) for t in model.threats]
    assert got == [
        (["spoofing"], "Stolen tokens"),
        (["tampering"], "Image or config changes"),
        (["information_disclosure"], "Misconfigured buckets"),
        (["denial_of_service"], "GPU exhaustion"),
        (["elevation_of_privilege"], "Privileged pod"),
    ]
    assert len(model.controls) == 5


def test_stride_definitions_with_a_description_column_stay_definitions(tmp_path: Path) -> None:
    model, report = load_text(
        tmp_path,
        "# Model\n\n## Threats\n\n| ID | Threat |\n|---|---|\n| T-1 | Spoofed gateway |\n\n## STRIDE\n\n"
        "| Category | Description | Mitigation |\n|---|---|---|\n| Spoofing | Pretending to be someone else | Authentication |\n"
        "| Tampering | Changing data | Integrity checks |\n| Repudiation | Denying an action | Logging |\n",
    )
    assert [t.id for t in model.threats] == ["T-1"]


# -- trust boundaries written as a numbered list of bold "A → B" terms


def test_bold_arrow_terms_are_data_flows(tmp_path: Path) -> None:
    model, report = load_text(
        tmp_path,
        "# Threat Model Analysis\n\n### Trust Boundaries\n1. **Client → Web Application**: HTTPS/TLS encrypted\n"
        "2. **Web Application → API**: JWT authentication\n3. **API → Database**: Encrypted connections\n"
        "4. **Internal Services**: Service-to-service authentication\n\n## Threats\n\n| ID | Threat |\n|---|---|\n"
        "| T-1 | Spoofed client |\n",
    )
    names = {e.id: e.name for e in model.elements}
    flows = [(names[f.source], names[f.target], f.description) for f in model.flows]
    assert flows == [
        ("Client", "Web Application", "HTTPS/TLS encrypted"),
        ("Web Application", "API", "JWT authentication"),
        ("API", "Database", "Encrypted connections"),
    ]
    assert any("names no two ends" in s for s in skipped(report))


# -- "**T1.1** title" ids in the threat cell, and a "Risk" column that names the risks


def test_bold_ids_in_threat_cells_and_a_risk_column_of_names(tmp_path: Path) -> None:
    model, report = load_text(
        tmp_path,
        "# Threat model\n\n## Records at rest\n\n| Threat | Vector | Likelihood | Mitigation | Residual risk |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| **T1.1** Records read off an unlocked, unattended device | A phone left on a table | **High** — the commonest | "
        "Session timeout | Medium |\n"
        "| **T1.2** Database copied from a stolen laptop | Disk image taken | **Low** — needs the laptop | Disk encryption | Low |\n\n"
        "## Risk Analysis\n\n| Risk | Likelihood | Impact | Mitigation | Residual Risk |\n|---|---|---|---|---|\n"
        "| **Unauthorized access to patient data** | LOW | HIGH | RBAC + audit logging | MINIMAL |\n"
        "| **Accidental data deletion** | MEDIUM | MEDIUM | Soft delete + daily backups | LOW |\n",
    )
    threats = {t.id: t for t in model.threats}
    assert threats["T1.1"].title == "Records read off an unlocked, unattended device"
    assert threats["T1.2"].residual_risk is not None and threats["T1.2"].residual_risk.level == "low"
    names = sorted(t.title for t in model.threats if not t.id.startswith("T1."))
    assert names == ["Accidental data deletion", "Unauthorized access to patient data"]
    assert any("names the risks" in w.message for w in report.warnings)
    # "TLS1.2 downgrade" is no id: only the threat prefixes are read without a separator
    other, _r = load_text(tmp_path, "# M\n\n| Threat | Mitigation |\n|---|---|\n| TLS1.2 downgrade | TLS 1.3 only |\n", name="tls.md")
    assert [t.title for t in other.threats] == ["TLS1.2 downgrade"]


def test_two_rows_of_one_threat_keep_both_descriptions_and_the_other_title(tmp_path: Path) -> None:
    model, report = load_text(
        tmp_path,
        "# M\n\n## Threats\n\n| ID | Threat | Description |\n|---|---|---|\n"
        "| T1 | Unprotected Registration | Unprotected registration allows anyone to create admin accounts |\n\n"
        "## Detail\n\n| ID | Threat | Description |\n|---|---|---|\n"
        "| T1 | Spoofing via Unprotected Registration | Attacker registers with role admin to gain full access |\n",
    )
    t1 = model.threats[0]
    assert t1.title == "Unprotected Registration" and t1.extra["Other title"] == "Spoofing via Unprotected Registration"
    assert "allows anyone to create admin accounts" in (t1.description or "")
    assert "Attacker registers with role admin" in (t1.description or "")
    assert any("description of another row added" in w.message for w in report.warnings)


def test_a_bracketed_sensitivity_is_read_never_empty(tmp_path: Path) -> None:
    """A fill-in is empty everywhere else, but "[Confidential]" in a sensitivity cell withholds the row: a guess
    must never publish it."""
    model, _report = load_text(
        tmp_path,
        "# M\n\n| ID | Threat | Sensitivity |\n|---|---|---|\n| T-1 | Spoofed gateway | [Confidential] |\n"
        "| T-2 | Log deletion | [Public/Confidential] |\n| T-3 | Replay | Public |\n",
    )
    got = {t.id: t.sensitivity for t in model.threats}
    assert got["T-1"] == "confidential" and got["T-2"] == "confidential" and got["T-3"] == "public"


def test_a_risk_row_titled_by_a_stride_category_takes_that_category(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "# M\n\n## Risk Assessment Matrix\n\n| Threat | Likelihood | Impact | Risk Level |\n|---|---|---|---|\n"
        "| Data Breach | Medium | Critical | High |\n| Spoofing | Medium | High | Medium |\n",
    )
    assert {t.title: t.stride for t in model.threats} == {"Data Breach": [], "Spoofing": ["spoofing"]}


# -- a control table whose only text column is "Control", under "Threat model > Security controls"


def test_a_control_column_under_a_controls_heading_is_a_control_table(tmp_path: Path) -> None:
    """Both the document's "Threat model" title and the "Security controls" heading give their kind the
    context bonus; the nearest heading says what the rows are, so the controls are read and linked."""
    for third in ("Category", "Status", "Type"):
        model, _report = load_text(
            tmp_path,
            "# Threat model\n\n## Threats\n\n| ID | Threat | Controls |\n|---|---|---|\n"
            "| T-1 | Forged drug library | C-1 |\n\n## Security controls\n\n"
            f"| ID | Control | {third} |\n|---|---|---|\n| C-1 | Signed drug libraries | Integrity |\n",
            name=f"controls-{third}.md",
        )
        assert [(c.id, c.title) for c in model.controls] == [("C-1", "Signed drug libraries")], third
        assert [t.controls for t in model.threats] == [["C-1"]], third
