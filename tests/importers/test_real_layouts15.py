"""Layouts of real threat models of health software written by other people (tests/data/markdown-real/SOURCES.md,
"Round 15 (health)"), each as a short paraphrased excerpt in the same shape, read alike in Markdown and in Word
(tests/importers/md_word.py)."""

from __future__ import annotations

from pathlib import Path

from tests.importers.import_helpers import load_text, warning_messages
from tests.importers.md_word import both as _both

# -- a clinic scribe app's STRIDE analysis: "- **T-S-001**: title" over nested "**Risk**" / "**Impact**" /
# "**Mitigation**" bullets, a "#### Controls Implemented:" list in every category, a risk matrix keyed by the ids

_SCRIBE = (
    "# Threat Model - STRIDE Analysis for a Clinic Scribe App\n\n## STRIDE Threat Categories\n\n"
    "### 1. Spoofing (S)\n\n#### Threats Identified:\n\n"
    "- **T-S-001**: Rogue app posing as the scribe app\n  - **Risk**: High\n  - **Impact**: Notes read by the rogue app\n"
    "  - **Mitigation**: App signature check\n\n"
    "- **T-S-002**: Forged clinic key\n  - **Risk**: Medium\n  - **Impact**: Notes encrypted to a stranger's key\n"
    "  - **Mitigation**: Key pinning\n\n"
    "#### Controls Implemented:\n\n- Keystore-held keys\n- App signature check\n\n"
    "### 2. Tampering (T)\n\n#### Threats Identified:\n\n"
    "- **T-T-001**: Audit log altered\n  - **Risk**: High\n  - **Impact**: Audit trail lost\n"
    "  - **Mitigation**: Chained audit log\n\n"
    "#### Controls Implemented:\n\n- Chained audit log with tamper checks\n\n"
    "## Risk Assessment Matrix\n\n| Threat ID | Likelihood | Impact | Risk Level |\n|---|---|---|---|\n"
    "| T-S-001 | Medium | High | High |\n| T-S-002 | Low | Medium | Medium |\n| T-T-001 | Medium | High | High |\n"
)


def test_bold_ids_leading_stride_bullets_are_the_threats_ids(tmp_path: Path) -> None:
    # the Word rebuild (nested bullets) gave no threat at all until round 16 (test_real_health16.py)
    for model, _report in _both(tmp_path, _SCRIBE):
        # before: ids T-1, T-2 …, titles "T-S-001: Rogue app …", the matrix rows skipped as "no threat text"
        assert [(t.id, t.title) for t in model.threats] == [
            ("T-S-001", "Rogue app posing as the scribe app"),
            ("T-S-002", "Forged clinic key"),
            ("T-T-001", "Audit log altered"),
        ]
        assert [t.risk.likelihood if t.risk else None for t in model.threats] == ["Medium", "Low", "Medium"]


def test_controls_implemented_under_a_stride_heading_are_controls_not_threats(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _SCRIBE):
        # before: "Keystore-held keys", "App signature check" and the chained log were three more threats
        titles = {c.title for c in model.controls}
        assert {"Keystore-held keys", "App signature check", "Chained audit log with tamper checks"} <= titles
        assert not {"Keystore-held keys", "App signature check"} & {t.title for t in model.threats}


# -- a demo FHIR server's threat analysis: "#### Threats" over "- **T1.1:** title" bullets in numbered sections,
# and a risk matrix whose rows name the same threats "T1.1: Unauthorized access"

_FHIR = (
    "# FHIR Sandbox - Security Threat Analysis\n\n## Identified Threats\n\n### 1. Authentication & Authorization\n\n"
    "#### Current State\n\n- **Authentication:** None\n- **Authorization:** None\n\n"
    "#### Threats\n\n- **T1.1:** Unauthorised access to the FHIR endpoints\n- **T1.2:** Records changed without an identity check\n\n"
    "### 2. Data Security\n\n#### Threats\n\n- **T2.1:** Health data exposed\n- **T2.2:** Data left in memory dumps\n\n"
    "## Risk Assessment Matrix\n\n| Threat | Likelihood | Impact | Risk Level |\n|---|---|---|---|\n"
    "| T1.1: Unauthorized access | High | High | Critical |\n| T2.1: Data exposure | Medium | High | High |\n"
)


def test_bold_ids_over_titles_under_a_threats_heading_join_the_matrix(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _FHIR):
        # before: 6 threats, four titled "T1.1", "T1.2" … with ids T-1 …, and the matrix's two rows again
        assert sorted(t.id for t in model.threats) == ["T1.1", "T1.2", "T2.1", "T2.2"]
        by_id = {t.id: t for t in model.threats}
        assert by_id["T1.2"].title == "Records changed without an identity check"
        assert by_id["T1.1"].risk is not None and by_id["T1.1"].risk.level == "critical"


# -- a patient survey app's STRIDE table: one row per category ("**S**poofing") with a Description, a Mitigation and
# Likelihood / Impact ratings; a primer defines the categories, it does not rate them

_RATED_STRIDE_ROWS = (
    "# Threat Model & Risk Assessment\n\nA short STRIDE analysis of the survey app:\n\n"
    "| Threat | Description | Mitigation | Likelihood | Impact |\n|---|---|---|---|---|\n"
    "| **S**poofing | A caller poses as a legitimate agent | Authenticated API calls | Medium | High |\n"
    "| **T**ampering | Survey payloads changed in flight | HTTPS everywhere | Medium | High |\n"
    "| **R**epudiation | A user denies sending feedback | Submissions logged with ids | Low | Medium |\n"
    "| **D**enial of Service | The API is flooded | Rate limits | Low | Medium |\n"
)


def test_stride_rows_rated_for_likelihood_are_threats_not_definitions(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _RATED_STRIDE_ROWS):
        # before: "STRIDE definitions table (its rows are the six categories)": no threat, exit 2
        assert [(t.title, t.stride) for t in model.threats] == [
            ("A caller poses as a legitimate agent", ["spoofing"]),
            ("Survey payloads changed in flight", ["tampering"]),
            ("A user denies sending feedback", ["repudiation"]),
            ("The API is flooded", ["denial_of_service"]),
        ]
        assert [t.risk.likelihood if t.risk else None for t in model.threats] == ["Medium", "Medium", "Low", "Low"]
        assert len(model.controls) == 4


def test_a_stride_table_with_a_description_and_no_ratings_stays_definitions(tmp_path: Path) -> None:
    primer = (
        "# Threat Model\n\n| Threat | Description | Mitigation |\n|---|---|---|\n"
        "| **S**poofing | Pretending to be someone else | Authentication |\n"
        "| **T**ampering | Modifying data without leave | Integrity checks |\n"
        "| **R**epudiation | Denying an action | Audit logs |\n\n## Threats\n\n- **Threat:** Forged survey links\n"
    )
    model, _report = load_text(tmp_path, primer)
    assert [t.title for t in model.threats] == ["Forged survey links"]


# -- an EMR's threat analysis written in Polish: "**Zagrożenie**:" (threat) paragraphs over "- **Podatność**:"
# (vulnerability) / "- **Mitigacja**:" / "- **Status**:" bullets, two threats under one STRIDE heading

_POLISH = (
    "# Analiza zagrożeń - System EMR\n\n### 1. STRIDE Analysis\n\n#### 1.1 Spoofing (Podszywanie się)\n"
    "**Zagrożenie**: Logowanie osoby podającej się za lekarza\n- **Podatność**: Słabe hasła\n"
    "- **Mitigacja**: JWT + MFA\n\n"
    "**Zagrożenie**: Przejęcie sesji\n- **Podatność**: Tokeny bez ochrony\n- **Mitigacja**: HttpOnly cookies\n\n"
    "#### 1.2 Tampering (Modyfikacja danych)\n**Zagrożenie**: SQL Injection\n- **Mitigacja**: Prepared Statements\n"
)


def test_polish_threat_labels_and_two_threats_under_one_stride_heading(tmp_path: Path) -> None:
    # Word alike since round 16 (before, in Word, every labelled bullet was a threat and the threat lines were lost)
    for model, report in _both(tmp_path, _POLISH):
        # before: exit 2 ("no threat-model content found": "Zagrożenie" no label); with the labels alone, the two
        # spoofing threats were one, the second's mitigation lost
        assert [(t.title, t.stride) for t in model.threats] == [
            ("Logowanie osoby podającej się za lekarza", ["spoofing"]),
            ("Przejęcie sesji", ["spoofing"]),
            ("SQL Injection", ["tampering"]),
        ]
        titles = {c.id: c.title for c in model.controls}
        assert [[titles[c] for c in t.controls] for t in model.threats] == [["JWT + MFA"], ["HttpOnly cookies"], ["Prepared Statements"]]
        assert "Słabe hasła" in model.threats[0].description
        assert any("2 threats under this STRIDE heading" in w for w in warning_messages(report))


def test_one_threat_label_over_a_vulnerability_label_stays_one_threat(tmp_path: Path) -> None:
    text = "# TM\n\n### Spoofing\n**Threat**: Staff login faked\n\n**Vulnerability**: Weak login\n\n**Mitigation**: MFA\n"
    model, _report = load_text(tmp_path, text)
    assert [t.title for t in model.threats] == ["Staff login faked"]
    assert "Weak login" in model.threats[0].description


# -- the scribe app's "Security Controls Summary": "### Implemented Controls:" over "- ✅ HMAC-chained audit logging"


def test_status_marks_opening_every_item_of_a_controls_list_state_the_status(tmp_path: Path) -> None:
    text = (
        "# Threat Model\n\n## Security Controls Summary\n\n### Implemented Controls:\n\n"
        "- ✅ Chained audit logging\n- ✅ Keystore-held keys\n- 🔄 Root detection\n"
    )
    model, _report = load_text(tmp_path, text)
    # before: titles "✅ Chained audit logging" …, every status implemented by default (not stated)
    assert [(c.title, c.status, c.status_stated) for c in model.controls] == [
        ("Chained audit logging", "implemented", True),
        ("Keystore-held keys", "implemented", True),
        ("Root detection", "planned", True),
    ]
