"""Layouts of real threat models of health software written by other people (tests/data/markdown-real/SOURCES.md,
"Round 16 (health)"), each as a short paraphrased excerpt in the same shape, read alike in Markdown and in Word
(tests/importers/md_word.py)."""

from __future__ import annotations

from pathlib import Path

from tests.importers.import_helpers import warning_messages
from tests.importers.md_word import both as _both

# -- an EMR's STRIDE analysis (Polish, round 15): a labelled threat paragraph over labelled bullets, two threats under
# one STRIDE heading; the same shape in English

_LABELLED_OVER_BULLETS = (
    "# Threat analysis - EMR\n\n### 1. STRIDE Analysis\n\n#### 1.1 Spoofing (Podszywanie się)\n"
    "**Zagrożenie**: Logowanie osoby podającej się za lekarza\n- **Podatność**: Słabe hasła\n"
    "- **Mitigacja**: JWT + MFA\n- **Residual Risk**: NISKIE\n\n"
    "**Zagrożenie**: Przejęcie sesji\n- **Podatność**: Tokeny bez ochrony\n- **Mitigacja**: HttpOnly cookies\n\n"
    "#### 1.2 Tampering\n**Threat**: Patient records changed\n- **Vulnerability**: No integrity check\n"
    "- **Mitigation**: Audit trail\n"
)


def test_a_labelled_threat_paragraph_over_labelled_bullets_is_one_threat_in_word_too(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _LABELLED_OVER_BULLETS):
        # before (Word): 5 threats "Podatność: Słabe hasła", "Mitigacja: JWT + MFA" …, the threat lines lost, no control
        assert [(t.title, t.stride) for t in model.threats] == [
            ("Logowanie osoby podającej się za lekarza", ["spoofing"]),
            ("Przejęcie sesji", ["spoofing"]),
            ("Patient records changed", ["tampering"]),
        ]
        titles = {c.id: c.title for c in model.controls}
        assert [[titles[c] for c in t.controls] for t in model.threats] == [["JWT + MFA"], ["HttpOnly cookies"], ["Audit trail"]]
        assert "Słabe hasła" in model.threats[0].description
        assert "No integrity check" in model.threats[2].description
        assert any("2 threats under this STRIDE heading" in w for w in warning_messages(report))


# -- a clinic scribe app's STRIDE analysis (round 15): "- **T-S-001**: title" over nested "**Risk**" / "**Impact**" /
# "**Mitigation**" bullets, then "#### Controls Implemented:"

_NESTED = (
    "# Threat Model - STRIDE Analysis for a Clinic Scribe App\n\n## STRIDE Threat Categories\n\n"
    "### 1. Spoofing (S)\n**Definition**: Posing as another user or part of the system\n\n#### Threats Identified:\n"
    "- **T-S-001**: Rogue app posing as the scribe app\n  - **Risk**: High\n  - **Impact**: Notes read by the rogue app\n"
    "  - **Mitigation**: App signature check\n\n"
    "- **T-S-002**: Forged clinic key\n  - **Risk**: Medium\n  - **Impact**: Notes encrypted to a stranger's key\n"
    "  - **Mitigation**: Key pinning\n\n"
    "#### Controls Implemented:\n- Keystore-held keys\n- App signature check\n\n"
    "### 2. Tampering (T)\n\n#### Threats Identified:\n"
    "- **T-T-001**: Audit log altered\n  - **Risk**: High\n  - **Impact**: Audit trail lost\n"
    "  - **Mitigation**: Chained audit log\n\n## Conclusion\n\nThe app is well protected.\n"
)


def test_nested_threat_bullets_under_a_stride_heading_give_their_threats_in_word_too(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _NESTED):
        # before (Word): no threat ("8 list item(s) … not read as threats, measures or other records")
        assert [(t.id, t.title, t.stride) for t in model.threats] == [
            ("T-S-001", "Rogue app posing as the scribe app", ["spoofing"]),
            ("T-S-002", "Forged clinic key", ["spoofing"]),
            ("T-T-001", "Audit log altered", ["tampering"]),
        ]
        titles = {c.id: c.title for c in model.controls}
        assert [[titles[c] for c in t.controls] for t in model.threats] == [["App signature check"], ["Key pinning"], ["Chained audit log"]]
        assert {"Keystore-held keys", "App signature check"} <= set(titles.values())
        assert "Notes read by the rogue app" in (model.threats[0].description + str(model.threats[0].extra))


# -- the EMR's threats say the state of their mitigation on a line of the threat ("**Status**: ❌ DO WDROŻENIA",
# "to implement"); other threat models write "Status: Planned" or "Mitigation status: planned"

_STATUS_OF_THE_MITIGATION = (
    "# Threat analysis - EMR\n\n### 1. STRIDE Analysis\n\n#### 1.1 Spoofing\n"
    "**Zagrożenie**: Przejęcie sesji\n- **Podatność**: Tokeny bez ochrony\n- **Mitigacja**: HttpOnly cookies\n"
    "- **Status**: ❌ DO WDROŻENIA\n- **Priorytet**: WYSOKI\n\n"
    "#### 1.2 Repudiation\n**Threat**: Staff login guessed\n- **Mitigation**: Account lockout\n- **Status**: Planned\n\n"
    "#### 1.3 Tampering\n**Threat**: Orders changed in transit\n- **Mitigation**: Signed orders\n"
    "- **Mitigation status**: implemented\n\n"
    "**Threat**: Audit log wiped\n- **Mitigation**: Append-only log\n- **Status**: Mitigated\n"
)


def test_a_threats_status_of_work_not_done_reaches_the_control_made_from_its_mitigation(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _STATUS_OF_THE_MITIGATION):
        by_title = {c.title: c for c in model.controls}
        # before: each control implemented, its status not stated
        # "DO WDROŻENIA": to be put in place
        assert (by_title["HttpOnly cookies"].status, by_title["HttpOnly cookies"].status_stated) == ("planned", True)
        assert (by_title["Account lockout"].status, by_title["Account lockout"].status_stated) == ("planned", True)
        assert (by_title["Signed orders"].status, by_title["Signed orders"].status_stated) == ("implemented", True)
        # "Mitigated" says the threat is dealt with, not which measure is in place: no claim for the control
        assert by_title["Append-only log"].status_stated is False
        threats = {t.title: t for t in model.threats}
        assert threats["Staff login guessed"].status == "open"
        assert threats["Orders changed in transit"].extra.get("Mitigation status") == "implemented"


def test_a_mitigation_status_line_under_a_threat_heading(tmp_path: Path) -> None:
    # Word reads a heading over labelled lines by its form reading (tabular), which now carries the threat's status
    # to the control made from its mitigation as well (test_claims17_status)
    text = (
        "# TM\n\n## Threats\n\n### T-1 Session hijack\n\n**Description:** Cookie theft.\n\n"
        "**Mitigation:** HttpOnly cookies\n\n**Status:** Planned\n\n### T-2 Log leak\n\n**Description:** PHI in logs.\n\n"
        "**Mitigation:** Log scrubbing\n\n**Mitigation status:** planned\n"
    )
    for model, _report in _both(tmp_path, text):
        assert [(c.title, c.status, c.status_stated) for c in model.controls] == [
            ("HttpOnly cookies", "planned", True),
            ("Log scrubbing", "planned", True),
        ]


# -- the scribe app's "Security Controls Summary": "### Implemented Controls:" over "- ✅ …" items, then
# "### Additional Recommendations:" over "- [ ] …" boxes; the EMR's mitigations closed by a mark ("JWT + MFA ✅
# (zaimplementowane)"); a controls list mixing a box with plain items

_MARKED_MEASURES = (
    "# Threat Model\n\n### 1. Spoofing\n**Zagrożenie**: Logowanie jako lekarz\n- **Podatność**: Słabe hasła\n"
    "- **Mitigacja**: JWT + MFA ✅ (zaimplementowane)\n\n"
    "**Zagrożenie**: Odczyt danych pacjentów\n- **Mitigacja**: RLS ✅, RBAC ✅\n\n"
    "## Security Controls Summary\n\n### Implemented Controls:\n\n- ✅ Chained audit logging\n- ✅ Memory zeroization\n\n"
    "### Additional Recommendations:\n\n- [ ] Implement root detection\n- [x] Add input validation\n\n"
    "## Mitigations\n\n- Signed updates\n- [ ] Tamper-evident enclosure\n"
)


def test_status_marks_and_task_boxes_are_read_as_the_status_and_left_out_of_the_title(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _MARKED_MEASURES):
        got = {c.title: (c.status, c.status_stated) for c in model.controls}
        # before (Word): "✅ Chained audit logging" and "[ ] Implement root detection" as titles, implemented by
        # default; the mitigations' marks in their titles ("JWT + MFA ✅ (zaimplementowane)"), status not stated;
        # (Markdown): the boxes skipped as a checklist of tasks, "[ ]" among plain items implemented by default
        assert got == {
            "JWT + MFA": ("implemented", True),
            "RLS, RBAC": ("implemented", True),
            "Chained audit logging": ("implemented", True),
            "Memory zeroization": ("implemented", True),
            "Implement root detection": ("planned", True),
            "Add input validation": ("implemented", True),
            "Signed updates": ("implemented", False),
            "Tamper-evident enclosure": ("planned", True),
        }


# -- the EMR's "### 3. Healthcare-Specific Threats": a heading per threat over "- **Risk**: <a sentence>",
# "- **Mitigation**: …", "- **Status**: …" (no threat label); a heading with a rated risk and no mitigation stays none

_RISK_SENTENCE_UNDER_THREATS = (
    "# EMR security\n\n### 3. Healthcare-Specific Threats\n\n#### 3.2 Medical Identity Theft\n"
    "- **Risk**: Records are a high value target\n- **Mitigation**: Strong patient identification, audit trails\n"
    "- **Status**: ✅ Identifier encryption\n\n#### 3.3 Emergency Access Abuse\n"
    "- **Risk**: Break-glass access misused to read records\n- **Mitigation**: Time-limited access, reason logging\n\n"
    "#### 3.4 Availability\n- **Risk**: Outages happen during upgrades\n- **Owner**: Operations\n"
)


def test_a_risk_sentence_and_a_mitigation_under_a_threats_heading_are_a_threat(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _RISK_SENTENCE_UNDER_THREATS):
        # before: nothing ("list of bold terms (definitions or emphasis)"); Word the same
        assert [t.title for t in model.threats] == ["Medical Identity Theft", "Emergency Access Abuse"]
        assert "high value target" in model.threats[0].description
        assert all(len(t.controls) == 1 for t in model.threats)
        assert sorted(c.title for c in model.controls) == [
            "Strong patient identification, audit trails",
            "Time-limited access, reason logging",
        ]


# -- the scribe app's "#### Controls Implemented:" under each STRIDE heading; another document's "## Existing
# Controls" over plain bullets: the heading states that the measures are in place


def test_a_list_under_a_heading_that_says_the_controls_are_in_place_states_their_status(tmp_path: Path) -> None:
    text = (
        "# Threat Model\n\n### 1. Spoofing (S)\n\n#### Threats Identified:\n"
        "- **T-S-001**: Rogue app posing as the scribe app\n  - **Risk**: High\n  - **Mitigation**: App signature check\n\n"
        "#### Controls Implemented:\n- Keystore-held keys\n- Clinic key pinning\n\n"
        "## Existing Controls\n\n- Audit log rotation\n- Memory zeroization\n\n## Mitigations\n\n- Rate limits\n"
    )
    for model, _report in _both(tmp_path, text):
        got = {c.title: (c.status, c.status_stated) for c in model.controls}
        # before: every one implemented by default, its status not stated
        assert got["Keystore-held keys"] == ("implemented", True)
        assert got["Clinic key pinning"] == ("implemented", True)
        assert got["Audit log rotation"] == ("implemented", True)
        assert got["Memory zeroization"] == ("implemented", True)
        assert got["Rate limits"] == ("implemented", False)  # "Mitigations" says nothing of their status
        assert got["App signature check"] == ("implemented", False)


# -- a closed-loop insulin system's security plan: "#### Scenario n: title" over one code block of "Attacker Goal:",
# "Attack Vector:" (numbered steps), "Impact:" and "Mitigations:" over ticked measures ("✓ …")

_SCENARIO_BLOCKS = (
    "# Security Plan - Closed-Loop Insulin System\n\n## 2. Threat Model\n\n### 2.3 Attack Scenarios\n\n"
    "#### Scenario 1: Insulin Over-Delivery Attack\n```\nAttacker Goal: Cause low blood sugar by commanding too much insulin\n\n"
    "Attack Vector:\n  1. Intercept app to backend traffic\n  2. Raise the dose in a command\n\n"
    "Impact: Life-threatening hypoglycemia\n\nMitigations:\n  ✓ End-to-end encryption (TLS 1.3)\n"
    "  ✓ Pump-side validation of commands\n```\n\n"
    "#### Scenario 2: Ransomware Attack\n```\nAttacker Goal: Encrypt patient data and demand ransom\n\n"
    "Mitigations:\n  ✓ Network segmentation\n  ✓ Air-gapped backups\n```\n\n"
    "### 2.5 Build\n\n```\nmake release\n```\n"
)


def test_a_scenarios_fields_fenced_in_a_code_block_are_that_threat(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _SCENARIO_BLOCKS):
        # before: no threat ("code block (no language): not read as records"; in Word the lines were read as nothing)
        assert [t.title for t in model.threats] == ["Scenario 1: Insulin Over-Delivery Attack", "Scenario 2: Ransomware Attack"]
        assert "Cause low blood sugar" in model.threats[0].description
        titles = {c.id: (c.title, c.status, c.status_stated) for c in model.controls}
        assert [[titles[c] for c in t.controls] for t in model.threats] == [
            [("End-to-end encryption (TLS 1.3)", "implemented", True), ("Pump-side validation of commands", "implemented", True)],
            [("Network segmentation", "implemented", True), ("Air-gapped backups", "implemented", True)],
        ]


def test_tracked_changes_in_a_stride_section_read_as_markdown_are_counted_once(tmp_path: Path) -> None:
    import docx

    from tests.importers.import_helpers import Doc, checked_import
    from tests.importers.md_word import word_from_markdown

    path = word_from_markdown(_LABELLED_OVER_BULLETS, tmp_path / "tm.docx")
    d = docx.Document(str(path))
    for p in d.paragraphs:
        if p.text.startswith(("Podatność: Słabe", "Mitigacja: HttpOnly")):
            Doc.track_insert(p, " (2024)")
    d.save(str(path))
    model, report = checked_import(path)
    assert len(model.threats) == 3
    assert "Słabe hasła (2024)" in model.threats[0].description
    # before the fix: "4 insertion(s)", each counted by the look ahead and again by the Markdown reading
    assert any("tracked changes: 2 insertion(s) accepted" in w for w in warning_messages(report))


# -- the EMR's "#### 3.1 HIPAA Violation Risks": bold terms each "Mitigated by …" (one "Partial mitigation (…)")

_TERMS_MITIGATED = (
    "# EMR\n\n### 3. Healthcare-Specific Threats\n\n#### 3.1 Privacy Violation Risks\n"
    "- **Patient Data Exposure**: Mitigated by row-level security\n- **Unauthorized Access**: Mitigated by strong login\n"
    "- **Data Breach**: Partial mitigation (encryption at rest still needed)\n\n"
    "#### 3.4 Glossary Terms\n- **RLS**: Row-level security\n- **MFA**: Multi-factor login\n"
)


def test_terms_each_mitigated_by_a_measure_under_a_risks_heading_are_threats(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _TERMS_MITIGATED):
        # before: "list of bold terms (definitions or emphasis): not threat-model records"; in Word "not read as threats"
        titles = {c.id: c.title for c in model.controls}
        assert [(t.title, [titles[c] for c in t.controls]) for t in model.threats] == [
            ("Patient Data Exposure", ["row-level security"]),
            ("Unauthorized Access", ["strong login"]),
            ("Data Breach", ["Partial mitigation (encryption at rest still needed)"]),
        ]
        assert [(t.status, t.status_stated) for t in model.threats][2] == ("partially_mitigated", True)
        assert "RLS" not in {t.title for t in model.threats}


# -- a DICOM viewer's ISO 14971 risk management file: "#### Hazard Category n: …" over "**Hazard H001**: title" lines
# (only the id in bold) and their "**Severity**" / "**Probability**" / "**Risk Score**" / "**Risk Control Measures**"
# bullets; only the category that names threats holds security risks

_HAZARD_LOG = (
    "# ISO 14971 Risk Management File\n\n### Hazard Identification and Risk Analysis\n\n"
    "#### Hazard Category 1: Software Malfunction\n**Hazard H001**: Viewer crashes during a review\n"
    "- **Potential Harm**: Delayed diagnosis\n- **Severity**: 3 (Moderate)\n- **Probability**: 2 (Unlikely)\n"
    "- **Risk Score**: 6 (Acceptable with controls)\n- **Risk Control Measures**:\n  - Automatic session recovery\n"
    "  - Graceful error handling\n- **Residual Risk**: 2 (Very low)\n\n"
    "#### Hazard Category 4: Cybersecurity Threats\n**Hazard H009**: Unauthorized access to patient images\n"
    "- **Potential Harm**: Privacy breach\n- **Severity**: 4 (Serious)\n- **Probability**: 2 (Unlikely)\n"
    "- **Risk Score**: 8 (Requires risk control measures)\n- **Risk Control Measures**:\n  - Multi-factor authentication\n"
    "  - Role-based access control\n- **Residual Risk**: 2 (Acceptable)\n\n"
    "**Hazard H010**: Ransomware attack\n- **Potential Harm**: System unavailable\n- **Severity**: 4 (Serious)\n"
    "- **Risk Control Measures**:\n  - Endpoint protection\n  - Network segmentation\n"
)


def test_a_hazard_log_gives_the_hazards_under_a_heading_that_names_threats_and_reports_the_others(tmp_path: Path) -> None:
    from tests.importers.import_helpers import skipped

    for model, report in _both(tmp_path, _HAZARD_LOG):
        # before: exit 2 in Markdown ("no threat-model content found"); in Word no threat either
        assert [(t.id, t.title) for t in model.threats] == [
            ("H009", "Unauthorized access to patient images"),
            ("H010", "Ransomware attack"),
        ]
        assert all(t.controls for t in model.threats)
        assert "Multi-factor authentication" in {c.title for c in model.controls}
        assert any("H001" in s and "safety hazard, not a security threat" in s for s in skipped(report))
        # "Risk Score: 8 (Requires risk control measures)" is a rating with its gloss, not a sentence describing H009
        assert "Requires risk control" not in model.threats[0].description
