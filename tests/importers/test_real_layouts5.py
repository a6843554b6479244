"""Layouts of real threat models written by other people (tests/data/markdown-real/SOURCES.md, this round's
documents), each as a small synthetic excerpt in the same shape, read alike in Markdown and in Word."""

from __future__ import annotations

from pathlib import Path

from mdptm.importers.tabular.vocab import norm_text
from tests.importers.import_helpers import Doc, checked_import, load_text, skipped
from tests.importers.import_helpers import warning_messages as warnings

# -- a HIPAA security risk assessment: "#### Threat: title" headings over labelled bullets

_HIPAA = (
    "# Security Risk Assessment\n\n## 4. Threat Analysis\n\n### 4.1 External Threats\n\n"
    "#### Threat: Unauthorized Network Access\n\n"
    "- **Likelihood:** 3/5 (Moderate - web application exposure)\n"
    "- **Impact:** 5/5 (Critical - full PHI compromise)\n"
    "- **Safeguards:** 4/5 (Strong - encryption, access controls, monitoring)\n"
    "- **Risk Score:** (3×5) - 4 = **11** (High)\n"
    "- **Mitigations:** Multi-factor authentication, encrypted transmission\n\n"
    "#### Threat: Phishing/Social Engineering\n\n"
    "- **Likelihood:** rare, needs a staff member's help\n"
    "- **Impact:** 4/5 (High - credential compromise)\n"
    "- **Mitigations:** Staff training, email filtering\n"
)


def _hipaa_docx(tmp_path: Path) -> Path:
    d = Doc()
    d.heading("Security Risk Assessment", 1)
    d.heading("4. Threat Analysis", 2)
    d.heading("4.1 External Threats", 3)
    d.heading("Threat: Unauthorized Network Access", 4)
    d.bullets(
        "Likelihood: 3/5 (Moderate - web application exposure)",
        "Impact: 5/5 (Critical - full PHI compromise)",
        "Safeguards: 4/5 (Strong - encryption, access controls, monitoring)",
        "Risk Score: (3×5) - 4 = 11 (High)",
        "Mitigations: Multi-factor authentication, encrypted transmission",
    )
    d.heading("Threat: Phishing/Social Engineering", 4)
    d.bullets(
        "Likelihood: rare, needs a staff member's help",
        "Impact: 4/5 (High - credential compromise)",
        "Mitigations: Staff training, email filtering",
    )
    return d.save(tmp_path / "sra.docx")


def test_threat_word_headings_over_labelled_bullets_are_those_threats_in_markdown(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, _HIPAA)
    assert [t.title for t in model.threats] == ["Unauthorized Network Access", "Phishing/Social Engineering"]
    first, second = model.threats
    assert first.risk is not None and first.risk.level == "high"  # the stated "(High)" of its risk score
    assert first.risk.likelihood == "3/5 (Moderate - web application exposure)"
    # the safeguards' rating is kept, never a control; the Mitigations line is the control
    assert first.extra["Safeguards"] == "4/5 (Strong - encryption, access controls, monitoring)"
    titles = {c.id: c.title for c in model.controls}
    assert [titles[c] for c in first.controls] == ["Multi-factor authentication, encrypted transmission"]
    assert not any("4/5" in c.title for c in model.controls)
    # a likelihood with no level is kept as written, not lost
    assert second.extra["Likelihood"] == "rare, needs a staff member's help"


def test_threat_word_headings_over_labelled_bullets_are_those_threats_in_word(tmp_path: Path) -> None:
    model, _report = checked_import(_hipaa_docx(tmp_path))
    assert [t.title for t in model.threats] == ["Unauthorized Network Access", "Phishing/Social Engineering"]
    first = model.threats[0]
    assert first.risk is not None and first.risk.level == "high"
    titles = {c.id: c.title for c in model.controls}
    assert [titles[c] for c in first.controls] == ["Multi-factor authentication, encrypted transmission"]
    assert len(model.controls) == 2


def test_a_safeguard_table_is_controls(tmp_path: Path) -> None:
    text = (
        "# Assessment\n\n## 6. Current Safeguards Evaluation\n\n### 6.1 Administrative Safeguards\n\n"
        "| Safeguard | Implementation | Effectiveness | Compliance |\n| --- | --- | --- | --- |\n"
        "| **Security Management** | Documented policies | High | Compliant |\n"
        "| **Incident Response** | Documented plan | High | Compliant |\n"
    )
    model, _report = load_text(tmp_path, text)
    assert sorted(c.title for c in model.controls) == ["Incident Response", "Security Management"]
    assert model.threats == []


# -- German and French threat tables and labels


def test_words_with_accents_and_sharp_s_are_folded() -> None:
    assert norm_text("Vorhandene Maßnahme") == "vorhandene massnahme"
    assert norm_text("Priorité élevée") == "priorite elevee"
    assert norm_text("FTS5 查询注入") == "fts5 查询注入"  # other letters stay words
    assert norm_text("Threat #") == "threat #"


_GERMAN_TABLE = (
    "# Schnittstellen\n\n## Bedrohungsanalyse für diesen Änderungsumfang\n\n"
    "| STRIDE | Bedrohung | Vorhandene Maßnahme dieses Stands |\n| --- | --- | --- |\n"
    "| Spoofing | Gefälschter Absender oder Lizenzdienst | Namen und Routen eingeschränkt |\n"
    "| Tampering | Manipulierte Artefakte | Geschlossene Schemas, strikter Parser |\n"
)

_FRENCH_TABLE = (
    "# Modèle de sécurité\n\n## Analyse des menaces (STRIDE)\n\n"
    "| Menace | Vecteur | Mesure |\n|--------|---------|--------|\n"
    "| **Spoofing** | Usurpation d'identité utilisateur | JWT signé + refresh tokens révocables |\n"
    "| **Tampering** | Modification des données en transit | TLS 1.2+ obligatoire en prod |\n"
    "| **Repudiation** | Déni d'action | Logs structurés + Sentry |\n"
)


def test_a_german_stride_table_gives_its_threats_and_measures_never_a_matrix(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, _GERMAN_TABLE)
    assert [t.title for t in model.threats] == ["Gefälschter Absender oder Lizenzdienst", "Manipulierte Artefakte"]
    assert [t.stride for t in model.threats] == [["spoofing"], ["tampering"]]
    assert model.elements == []  # before: the measure column was a component of a STRIDE x component matrix
    titles = {c.id: c.title for c in model.controls}
    assert [titles[c] for t in model.threats for c in t.controls] == [
        "Namen und Routen eingeschränkt",
        "Geschlossene Schemas, strikter Parser",
    ]


def test_a_french_stride_table_whose_threat_column_names_the_category(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, _FRENCH_TABLE)
    assert [t.title for t in model.threats] == [
        "Usurpation d'identité utilisateur",
        "Modification des données en transit",
        "Déni d'action",
    ]
    assert [t.stride for t in model.threats] == [["spoofing"], ["tampering"], ["repudiation"]]
    assert len(model.controls) == 3 and model.elements == []  # before: 6 threats, half of them measures


def test_word_french_stride_table_reads_as_markdown(tmp_path: Path) -> None:
    d = Doc()
    d.heading("Analyse des menaces (STRIDE)", 2)
    d.table(
        [
            ["Menace", "Vecteur", "Mesure"],
            ["Spoofing", "Usurpation d'identité utilisateur", "JWT signé + refresh tokens révocables"],
            ["Tampering", "Modification des données en transit", "TLS 1.2+ obligatoire en prod"],
        ]
    )
    model, _report = checked_import(d.save(tmp_path / "securite.docx"))
    assert [t.title for t in model.threats] == ["Usurpation d'identité utilisateur", "Modification des données en transit"]
    assert len(model.controls) == 2 and model.elements == []


_GERMAN_PROSE = (
    "# Sicherheitskonzept\n\n## Bedrohungsanalyse (containerspezifische Risiken)\n\n"
    "### Unautorisierter Zugriff auf Web-Interfaces\n"
    "**Risiko:** Offene Web-Ports können von unberechtigten Personen erreicht werden.  \n"
    "**Betroffene Dienste:** Nextcloud, Gitea.\n\n"
    "**Massnahmen:**\n- Zugriff nur über definierte Ports.\n- Administrationsoberflächen nur für Admins.\n\n"
    "### Datenbankzugriff von aussen\n"
    "**Risiko:** Direkte Exponierung von Datenbankports erhöht die Angriffsfläche.  \n"
    "**Maßnahmen:**\n- Datenbankcontainer veröffentlichen **keine** Ports nach aussen.\n\n"
    "## Konkrete Security-Massnahmen in der Umsetzung\n\n### Netzwerk- und Port-Konzept\n"
    "- Extern erreichbar: Nextcloud 8080\n"
)


def test_german_risk_and_measure_labels_make_threats_in_markdown(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, _GERMAN_PROSE)
    assert [t.title for t in model.threats] == ["Unautorisierter Zugriff auf Web-Interfaces", "Datenbankzugriff von aussen"]
    assert model.threats[0].targets == ["nextcloud", "gitea"]
    assert all(len(t.controls) == 1 for t in model.threats) and len(model.controls) == 2


def test_german_risk_and_measure_labels_make_threats_in_word(tmp_path: Path) -> None:
    d = Doc()
    d.heading("Bedrohungsanalyse (containerspezifische Risiken)", 2)
    d.heading("Unautorisierter Zugriff auf Web-Interfaces", 3)
    d.para("Risiko: Offene Web-Ports können von unberechtigten Personen erreicht werden.")
    d.para("Betroffene Dienste: Nextcloud, Gitea.")
    d.para("Massnahmen:")
    d.bullets("Zugriff nur über definierte Ports.", "Administrationsoberflächen nur für Admins.")
    d.heading("Datenbankzugriff von aussen", 3)
    d.para("Risiko: Direkte Exponierung von Datenbankports erhöht die Angriffsfläche.")
    d.para("Maßnahmen:")
    d.bullets("Datenbankcontainer veröffentlichen keine Ports nach aussen.")
    model, _report = checked_import(d.save(tmp_path / "konzept.docx"))
    assert [t.title for t in model.threats] == ["Unautorisierter Zugriff auf Web-Interfaces", "Datenbankzugriff von aussen"]
    assert model.threats[0].targets == ["nextcloud", "gitea"]
    assert len(model.controls) == 2


# -- plain lists under "Threats" / "Primary threats" and "Mitigations" / "Mitigation themes" headings

_PLAIN_LISTS = (
    "# Threat Model\n\n## Assets\n- Medication orders\n- Audit logs\n\n"
    "## Threats\n- Unauthorized access\n- Data leakage via logs\n\n"
    "## Mitigations\n- RBAC and least privilege\n- Strict log redaction\n- Rate limiting (Phase 3)\n\n"
    "## Residual Risks\n- Misconfiguration of secrets\n"
)


def test_plain_lists_under_threats_and_mitigations_headings_in_markdown(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, _PLAIN_LISTS)
    assert [t.title for t in model.threats] == ["Unauthorized access", "Data leakage via logs"]
    assert [c.title for c in model.controls] == ["RBAC and least privilege", "Strict log redaction", "Rate limiting (Phase 3)"]
    assert [a.name for a in model.assets] == ["Medication orders", "Audit logs"]
    assert any("plain list of 2 item(s) read as threats" in w for w in warnings(report))
    assert any("Residual Risks" in s for s in skipped(report))  # no threat: reported, named


def test_plain_lists_under_threats_and_mitigations_headings_read_alike_in_word(tmp_path: Path) -> None:
    d = Doc()
    d.heading("Threat Model", 1)
    d.heading("Threats", 2)
    d.bullets("Unauthorized access", "Data leakage via logs")
    d.heading("Mitigations", 2)
    d.bullets("RBAC and least privilege", "Strict log redaction", "Rate limiting (Phase 3)")
    model, _report = checked_import(d.save(tmp_path / "tm.docx"))
    assert [t.title for t in model.threats] == ["Unauthorized access", "Data leakage via logs"]
    assert [c.title for c in model.controls] == ["RBAC and least privilege", "Strict log redaction", "Rate limiting (Phase 3)"]


_PRIMARY = (
    "# Threat Model (v1)\n\n## Primary threats\n"
    "1. Credential theft / API key leakage -> unauthorized inference access\n"
    "2. Log tampering -> inability to prove decisions for audit\n\n"
    "## Mitigation themes\n- Strong auth + rate limiting\n- Append-only audit logs + integrity checks\n"
)


def test_numbered_primary_threats_with_arrows_are_threats_not_flows(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, _PRIMARY)
    assert [t.title for t in model.threats] == [
        "Credential theft / API key leakage -> unauthorized inference access",
        "Log tampering -> inability to prove decisions for audit",
    ]
    assert model.flows == [] and model.elements == []
    assert [c.title for c in model.controls] == ["Strong auth + rate limiting", "Append-only audit logs + integrity checks"]


def test_word_numbered_primary_threats_and_mitigation_themes(tmp_path: Path) -> None:
    d = Doc()
    d.heading("Primary threats", 2)
    d.bullets(
        "Credential theft / API key leakage -> unauthorized inference access",
        "Log tampering -> inability to prove decisions for audit",
        numbered=True,
    )
    d.heading("Mitigation themes", 2)
    d.bullets("Strong auth + rate limiting", "Append-only audit logs + integrity checks")
    model, _report = checked_import(d.save(tmp_path / "tm.docx"))
    assert len(model.threats) == 2 and len(model.controls) == 2 and model.flows == []


def test_a_lead_in_naming_other_things_keeps_a_threats_list_from_being_threats(tmp_path: Path) -> None:
    text = (
        "# Architecture\n\n#### Threats\n\nThe four core elements of a threat model are:\n\n"
        "* Processes such as web services\n* Data stores (anywhere data is stored)\n\n"
        "Different elements of the application diagram are subject to certain STRIDE threats:\n\n"
        "* Processes are subject to STRIDE\n* Data flows are subject to TID\n\n"
        "## Threat table\n\n| Component | Threat | Mitigation |\n| --- | --- | --- |\n"
        "| Device | S | Assign identity to the device |\n"
    )
    model, report = load_text(tmp_path, text)
    assert len(model.threats) == 1
    assert sum("after the lead-in" in s for s in skipped(report)) == 2


# -- Word: an arrow before a colon inside a bracket is no flow


def test_word_numbered_steps_with_an_arrow_and_a_bracketed_colon_are_no_flow(tmp_path: Path) -> None:
    d = Doc()
    d.heading("Threats", 2)
    d.table([["Threat", "Mitigation"], ["Token forgery", "Validate signatures"]])
    d.heading("Authentication flow", 3)
    d.bullets(
        "Utilisateur → Frontend → Keycloak (login)",
        "Frontend → API (Authorization: Bearer JWT)",
        numbered=True,
    )
    model, _report = checked_import(d.save(tmp_path / "flow.docx"))
    assert model.flows == [] and model.elements == []
    assert [t.title for t in model.threats] == ["Token forgery"]


# -- threats in a table, controls as "### C1 — title" headings naming the threats they mitigate

_CONTROLS_NAME_THREATS = (
    "# Security Implementation Report\n\n## 2. Identified Threats\n\n"
    "| ID | Threat | Category | Description | Impact |\n|----|--------|----------|-------------|--------|\n"
    "| T1 | API Key Exposure | Exposure | The API key could be bundled in client code. | Financial loss |\n"
    "| T2 | Unauthorized Data Access | Authorization | One user could read another's data. | Data breach |\n"
    "| T7 | Privilege Escalation | Authorization | A user could write to admin-only tables. | Audit tampering |\n\n"
    "## 3. Security Controls Implemented\n\n"
    "### C1 — OpenAI API Proxy\n**Location:** `functions/identify/index.ts`  \n**Mitigates:** T1  \n"
    "**Implementation:** The key stays a server secret.\n\n"
    "### C2 — Row Level Security\n**Mitigates:** T2, T7  \n**Implementation:** RLS on every table.\n\n"
    "### C7 — Role-Based Access Control\n**Mitigates:** T7  \n**Implementation:** Service role only.\n"
)


def test_controls_naming_the_threats_they_mitigate_by_plain_ids_link_them(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, _CONTROLS_NAME_THREATS)
    assert {t.id: t.controls for t in model.threats} == {"T1": ["C1"], "T2": ["C2"], "T7": ["C2", "C7"]}
    assert [c.title for c in model.controls] == ["OpenAI API Proxy", "Row Level Security", "Role-Based Access Control"]


def test_word_controls_naming_the_threats_they_mitigate_read_as_markdown(tmp_path: Path) -> None:
    d = Doc()
    d.heading("Identified Threats", 2)
    d.table(
        [
            ["ID", "Threat", "Description"],
            ["T1", "API Key Exposure", "The API key could be bundled in client code."],
            ["T7", "Privilege Escalation", "A user could write to admin-only tables."],
        ]
    )
    d.heading("Security Controls Implemented", 2)
    d.heading("C1 — OpenAI API Proxy", 3)
    d.para("Mitigates: T1")
    d.para("Implementation: The key stays a server secret.")
    d.heading("C2 — Row Level Security", 3)
    d.para("Mitigates: T7")
    d.para("Implementation: RLS on every table.")
    model, _report = checked_import(d.save(tmp_path / "report.docx"))
    assert {t.id: t.controls for t in model.threats} == {"T1": ["C1"], "T7": ["C2"]}


def test_german_residual_risk_words_are_levels(tmp_path: Path) -> None:
    text = (
        "# Connector\n\n## Bedrohungsanalyse\n\n| Bedrohung | Gegenmaßnahme | Restrisiko |\n| --- | --- | --- |\n"
        "| Gestohlenes Access-Token | 60 min Laufzeit, nur Hash gespeichert, sofortiger Widerruf | Missbrauch bis Ablauf |\n"
        "| Abgefangener Autorisierungscode | PKCE S256 Pflicht, 5 min, einmalig | gering |\n"
        "| Offene Weiterleitung über den Login | Rücksprung ausschließlich zu `/oauth/authorize` | keins bekannt |\n"
        "| Gestohlenes Refresh-Token | Rotation | Diebstahl erst bei Wiederverwendung erkannt |\n"
    )
    model, _report = load_text(tmp_path, text)
    assert [t.residual_risk.level if t.residual_risk else None for t in model.threats] == [None, "low", None, None]
    assert model.threats[3].extra["Restrisiko"] == "Diebstahl erst bei Wiederverwendung erkannt"
    assert len(model.controls) == 4


# -- a failure modes analysis: plain headings over "Description:" / "Risk Assessment:" / "Mitigations:" bullets

_FMA_LINES = (
    "Description: An incorrectly implemented VM could result in an invalid fault proof.",
    "Risk Assessment: High severity, Low likelihood.",
    "Mitigations: Comprehensive testing of every supported instruction.",
    "Detection: op-dispute-mon alerts on undesirable game resolutions.",
    "Recovery Path(s): See Fault Proof Recovery.",
)


def _fma_markdown() -> str:
    bullets = "".join("- **" + ln.replace(": ", ":** ", 1) + "\n" for ln in _FMA_LINES)
    return (
        "# Failure Modes and Recovery Path Analysis\n\n## Failure Modes and Recovery Paths\n\n"
        f"### Incorrect Linux/MIPS emulation\n\n{bullets}\n## Components\n\n### Web server\n\n"
        "- **Description:** Serves the dashboard.\n- **Owner:** Platform team\n"
    )


def test_a_failure_mode_written_as_labelled_bullets_under_a_plain_heading_in_markdown(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, _fma_markdown())
    assert [t.title for t in model.threats] == ["Incorrect Linux/MIPS emulation"]
    fm = model.threats[0]
    assert fm.risk is not None and (fm.risk.severity, fm.risk.likelihood, fm.risk.level) == ("High", "Low", "medium")
    assert fm.extra["Detection"] == "op-dispute-mon alerts on undesirable game resolutions."
    assert [c.title for c in model.controls] == ["Comprehensive testing of every supported instruction"]


def test_a_failure_mode_written_as_labelled_bullets_under_a_plain_heading_in_word(tmp_path: Path) -> None:
    d = Doc()
    d.heading("Failure Modes and Recovery Paths", 2)
    d.heading("Incorrect Linux/MIPS emulation", 3)
    d.bullets(*_FMA_LINES)
    d.heading("Components", 2)
    d.heading("Web server", 3)
    d.bullets("Description: Serves the dashboard.", "Owner: Platform team")  # no field of a threat: no threat
    model, _report = checked_import(d.save(tmp_path / "fma.docx"))
    assert [t.title for t in model.threats] == ["Incorrect Linux/MIPS emulation"]
    fm = model.threats[0]
    assert fm.risk is not None and fm.risk.level == "medium" and fm.risk.scale == "5x5 (inferred)"
    # "Detection:" and "Recovery Path(s):" are fields of their own, not more text of the mitigation
    assert fm.extra["Detection"] == "op-dispute-mon alerts on undesirable game resolutions."
    assert fm.extra["Recovery Path(s)"] == "See Fault Proof Recovery."
    assert [c.description or c.title for c in model.controls] == ["Comprehensive testing of every supported instruction."]


def test_word_lines_under_a_mitigation_label_alone_stay_the_mitigation(tmp_path: Path) -> None:
    d = Doc()
    d.heading("Threats", 2)
    d.heading("Threat 1: Privilege escalation", 3)
    d.bullets("Attack: A clinician grants themselves admin rights.", "Mitigation:")
    d.doc.add_paragraph("RLS policy on profiles: for update using (auth.uid() = id).", style="List Number 2")
    d.doc.add_paragraph("Fix: the role column is not updatable by users.", style="List Number 2")
    model, _report = checked_import(d.save(tmp_path / "mb.docx"))
    (threat,) = model.threats
    assert len(threat.controls) == 1
    control = next(c for c in model.controls if c.id == threat.controls[0])
    assert "RLS policy on profiles" in (control.description or control.title)
    assert "Fix: the role column" in (control.description or control.title)


# -- plan summaries: a threat-model section of id-led bullets, and a verification table keyed "T-03-04 (DoS)"

_ID_LED_BULLETS = (
    "# Phase 3: Admin Module - Plan 3 Summary\n\n## What Was Built\n\n### Suspend User\n"
    "- Prevents suspending admin users (security measure)\n\n## Deviations from Plan\n\n"
    "- **Suspension fields:** Plan expected dedicated fields.\n\n## Threat Model Mitigations\n\n"
    "- **T-3-04 (Admin suspends another admin):** Mitigated by checking user role before suspension.\n"
    "- **T-3-05 (Missing audit trail for user actions):** Mitigated by forcing audit log creation.\n"
)


def test_bullets_led_by_a_threat_id_and_title_under_a_threat_heading_in_markdown(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, _ID_LED_BULLETS)
    assert [(t.id, t.title) for t in model.threats] == [
        ("T-3-04", "Admin suspends another admin"),
        ("T-3-05", "Missing audit trail for user actions"),
    ]
    titles = {c.id: c.title for c in model.controls}
    assert [titles[c] for t in model.threats for c in t.controls] == [
        "checking user role before suspension",
        "forcing audit log creation",
    ]
    assert any("led by a threat's id" in w for w in warnings(report))


def test_bullets_led_by_a_threat_id_and_title_under_a_threat_heading_in_word(tmp_path: Path) -> None:
    d = Doc()
    d.heading("Deviations from Plan", 2)
    d.bullets("Suspension fields: Plan expected dedicated fields.")
    d.heading("Threat Model Mitigations", 2)
    d.bullets(
        "T-3-04 (Admin suspends another admin): Mitigated by checking user role before suspension.",
        "T-3-05 (Missing audit trail for user actions): Mitigated by forcing audit log creation.",
    )
    d.heading("Notes", 2)
    d.bullets("T-9 (not a threat heading): this list is under Notes.")  # no threat heading: not read so
    model, _report = checked_import(d.save(tmp_path / "summary.docx"))
    assert [t.id for t in model.threats] == ["T-3-04", "T-3-05"]
    assert len(model.controls) == 2


def test_a_verification_table_keyed_by_id_and_category_gives_those_threats(tmp_path: Path) -> None:
    text = (
        "---\nphase: 03-network-hardening\nprovides:\n  - ProposalCleanupHandler callback infrastructure\n---\n\n"
        "# Phase 3 Plan 2: Summary\n\n## Threat Model Verification\n\n"
        "| Threat ID | Mitigation | Status |\n|-----------|-----------|--------|\n"
        "| T-03-04 (DoS) | OnProposalTimeoutCleanup → ChangeTransactionState(FAILED) → ReleaseNonce | Implemented |\n"
        "| T-03-05 (EoP) | FireProposalCleanupCallbacks NOT called from certificate path | Verified |\n"
    )
    model, report = load_text(tmp_path, text)
    assert [(t.id, t.title, t.stride) for t in model.threats] == [
        ("T-03-04", "Denial of service (T-03-04)", ["denial_of_service"]),
        ("T-03-05", "Elevation of privilege (T-03-05)", ["elevation_of_privilege"]),
    ]
    assert len(model.controls) == 2 and model.flows == []
    assert any("from its id and STRIDE category" in w for w in warnings(report))


# -- a drift report: threats and mitigations in separate sections, linked by their ids both ways

_DRIFT = (
    "# Threat model drift — service token\n\n## 4. Validate\n\n### Threats\n\n"
    "#### T1 — Cross-project secret access\n\n- **Target then / now:** P3, P13 / P7, P14\n"
    "- **Narrative still valid:** no. The token's project is checked.\n- **Recorded mitigations:** none\n\n"
    "#### T6 — Possession equals access on the default origin\n\n- **Target then / now:** D1, P4 / D4, P9\n"
    "- **Narrative still valid:** yes, stronger.\n- **Recorded mitigations:** M7\n\n"
    "#### T13 — User issues or revokes a token without project standing\n\n- **Target then / now:** P4 / P9\n"
    "- **Narrative still valid:** yes on create and delete.\n- **Recorded mitigations:** M4, M5\n\n"
    "### Mitigations\n\n#### M4 — CASL on create, update, delete\n\n"
    "- **Status:** present, moved, narrower (no update)\n- **Upholds:** A5, A14\n\n"
    "#### M5 — User membership at P3\n\n- **Status:** present, moved\n- **Upholds:** A5\n\n"
    "#### M7 — `trustedIps` checked at P3\n\n- **Status:** gone. Schema has no `trustedIps`.\n\n"
    "### Assumptions\n\n#### A1 — Environment reach\n\n- **Verdict:** fails as stated.\n\n"
    "## 5. Identify\n\n### New mitigations\n\n#### M11 — `projectId` equality on service-token permission\n\n"
    "- **Targets:** T1 full\n- **Upholds:** A4\n"
)


def _drift_docx(tmp_path: Path) -> Path:
    d = Doc()
    d.heading("Threat model drift — service token", 1)
    d.heading("Threats", 3)
    d.heading("T1 — Cross-project secret access", 4)
    d.bullets("Target then / now: P3, P13 / P7, P14", "Narrative still valid: no. The token's project is checked.")
    d.bullets("Recorded mitigations: none")
    d.heading("T6 — Possession equals access on the default origin", 4)
    d.bullets("Target then / now: D1, P4 / D4, P9", "Narrative still valid: yes, stronger.", "Recorded mitigations: M7")
    d.heading("T13 — User issues or revokes a token without project standing", 4)
    d.bullets("Target then / now: P4 / P9", "Narrative still valid: yes on create and delete.", "Recorded mitigations: M4, M5")
    d.heading("Mitigations", 3)
    d.heading("M4 — CASL on create, update, delete", 4)
    d.bullets("Status: present, moved, narrower (no update)", "Upholds: A5, A14")
    d.heading("M5 — User membership at P3", 4)
    d.bullets("Status: present, moved", "Upholds: A5")
    d.heading("M7 — trustedIps checked at P3", 4)
    d.bullets("Status: gone. Schema has no trustedIps.")
    d.heading("New mitigations", 3)
    d.heading("M11 — projectId equality on service-token permission", 4)
    d.bullets("Targets: T1 full", "Upholds: A4")
    return d.save(tmp_path / "drift.docx")


def _drift_checks(model: object) -> None:
    from mdptm.model import Model

    assert isinstance(model, Model)
    assert {t.id: t.controls for t in model.threats} == {"T1": ["M11"], "T6": ["M7"], "T13": ["M4", "M5"]}
    assert {c.id: c.status for c in model.controls} == {
        "M4": "implemented",
        "M5": "implemented",
        "M7": "not_implemented",
        "M11": "implemented",
    }


def test_a_drift_report_links_threats_and_mitigations_by_id_in_markdown(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, _DRIFT)
    _drift_checks(model)
    assert model.assets == []  # "A1 — Environment reach" is an assumption, not an asset


def test_a_drift_report_links_threats_and_mitigations_by_id_in_word(tmp_path: Path) -> None:
    model, _report = checked_import(_drift_docx(tmp_path))
    _drift_checks(model)
    t1 = next(t for t in model.threats if t.id == "T1")
    assert t1.extra["Narrative still valid"] == "no. The token's project is checked."  # a field, not the description


# -- German: a table of hazards G1…, a table of measures "gegen" them, the baseline measures all numbered M0

_GERMAN_MEASURES = (
    "## Anhang A: Schutz vor Missbrauch\n\n### A.2 Gefährdungen\n\n"
    "| Nr. | Gefährdung | Folge ohne Schutz |\n|---|---|---|\n"
    "| G1 | Missbrauch als E-Mail-Versender | Spam unter unserem Namen |\n"
    "| G4 | Massenhafte automatische Absendungen | Flut von E-Mails |\n"
    "| G5 | Einschleusen von E-Mail-Kopfzeilen | Versand an beliebige Empfänger |\n"
    "| G7 | Absenden von fremden Webseiten aus (CSRF) | Kündigungen im Namen ahnungsloser Besucher |\n\n"
    "### A.3 Umgesetzte Maßnahmen\n\n"
    "| Nr. | Maßnahme | Umsetzung | gegen | Test 06.10.2026 |\n|---|---|---|---|---|\n"
    "| M0 | Fallenfeld, nur POST, Pflichtfelder | `kuendigung.php` | G4 | ✔ |\n"
    "| M0 | Kopfzeilen-Schutz; feste Empfänger und Absender | Zeilenumbrüche entfernt | G5 | ✔ |\n"
    "| **M1(a)** | Höchstens 3 Absendungen je IP-Adresse in 60 Minuten | `zaehle()` | G1, G4 | ✔ |\n\n"
    "### A.6 Was offen ist\n\n| Nr. | Offener Punkt | Bewertung / Vorschlag | Zuständig |\n|---|---|---|---|\n"
    "| O6 | CSRF-Token nicht umgesetzt | geringes Risiko | Programmierung |\n"
)


def test_german_hazard_and_measure_tables_link_by_the_against_column(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, _GERMAN_MEASURES)
    assert {t.id: t.controls for t in model.threats} == {
        "G1": ["M1(a)"],
        "G4": ["M0", "M1(a)"],
        "G5": ["M0-2"],  # the second baseline measure numbered M0 is a control of its own
        "G7": [],
    }
    titles = {c.id: c.title for c in model.controls}
    assert titles["M0-2"] == "Kopfzeilen-Schutz; feste Empfänger und Absender"
    assert any("control id M0 is used again" in w for w in warnings(report))


def test_word_german_hazard_and_measure_tables_read_as_markdown(tmp_path: Path) -> None:
    d = Doc()
    d.heading("A.2 Gefährdungen", 3)
    d.table([["Nr.", "Gefährdung", "Folge ohne Schutz"], ["G4", "Massenhafte automatische Absendungen", "Flut von E-Mails"],
             ["G5", "Einschleusen von E-Mail-Kopfzeilen", "Versand an beliebige Empfänger"]])  # fmt: skip
    d.heading("A.3 Umgesetzte Maßnahmen", 3)
    d.table([["Nr.", "Maßnahme", "Umsetzung", "gegen"], ["M0", "Fallenfeld, nur POST, Pflichtfelder", "kuendigung.php", "G4"],
             ["M0", "Kopfzeilen-Schutz; feste Empfänger und Absender", "Zeilenumbrüche entfernt", "G5"]])  # fmt: skip
    model, _report = checked_import(d.save(tmp_path / "anhang.docx"))
    assert {t.id: t.controls for t in model.threats} == {"G4": ["M0"], "G5": ["M0-2"]}


def test_a_control_id_repeated_with_the_same_measure_stays_one_control(tmp_path: Path) -> None:
    text = (
        "# Register\n\n## Controls\n\n| ID | Control | Threats |\n| --- | --- | --- |\n"
        "| C-1 | Signed firmware images | T-1 |\n| C-1 | Signed firmware images (bootloader check) | T-2 |\n\n"
        "## Threats\n\n| ID | Threat |\n| --- | --- |\n| T-1 | Tampered update image |\n| T-2 | Rollback to old firmware |\n"
    )
    model, _report = load_text(tmp_path, text)
    assert [c.id for c in model.controls] == ["C-1"]


# -- a medical-device maker's QMS plan: an ISO 14971 table inside a numbered step, a German project risk table

_QMS_PLAN = (
    "#### Woche 3-4: KI-Einsatz regeln\n\n**Aufgaben:**\n\n3. **Risikoanalyse nach ISO 14971**\n\n"
    "   **RMA-001: KI-System im QMS**\n\n"
    "   | Gefährdung | Gefährdungssituation | Schaden | S | P | RPZ | Maßnahme |\n"
    "   |------------|---------------------|---------|---|---|-----|----------|\n"
    "   | Falsche Bewertung | KI bewertet Lieferant falsch | Schlechter Lieferant wird nicht erkannt | 3 | 2 | 6 | Human Review |\n"
    "   | Daten-Leak | KI-Provider speichert Daten | Vertraulichkeit verletzt | 4 | 1 | 4 | AVV, Anonymisierung |\n\n"
    "## Zeitplan\n\n| Meilenstein | Datum | Status | Notizen |\n|---|---|---|---|\n"
    "| **M0:** Warehouse-App Live | 2024-12-15 | ✅ | Wareneingang läuft |\n"
    "| **M1:** KI-Abstraktion fertig | 2025-02-11 | ✅ | Multi-Provider |\n\n"
    "## Risiken & Mitigation\n\n| ID | Risiko | Wahrscheinlichkeit | Impact | Mitigation |\n|----|--------|---|---|---|\n"
    "| R1 | **Zeitverzug bei FastAPI-Migration** | Hoch (50%) | Hoch | Parallel-Betrieb Streamlit |\n"
    "| R3 | **Audit-Probleme** | Niedrig (10%) | Kritisch | Mock-Audit mit externem Berater |\n"
    "| R5 | **User-Akzeptanz niedrig** | Mittel (30%) | Hoch | Intensive Schulung, Pilot-Phase |\n"
)


def test_a_table_inside_a_numbered_step_is_read_as_a_table(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, _QMS_PLAN)
    hazards = [t for t in model.threats if not t.id.startswith("R")]
    assert [t.title for t in hazards] == ["Falsche Bewertung", "Daten-Leak"]
    assert hazards[0].description == "KI bewertet Lieferant falsch"  # the hazardous situation
    assert hazards[0].risk is not None and hazards[0].risk.score == 6  # RPZ
    assert not any(c.id in ("M0", "M1") for c in model.controls)  # milestones are no controls


def test_a_risk_column_of_names_beside_likelihood_and_impact_titles_the_rows(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, _QMS_PLAN)
    risks = {t.id: t for t in model.threats if t.id.startswith("R")}
    assert [r.title for r in risks.values()] == ["Zeitverzug bei FastAPI-Migration", "Audit-Probleme", "User-Akzeptanz niedrig"]
    assert [r.risk.level if r.risk else None for r in risks.values()] == ["high", "medium", "high"]  # German factor words
    assert any("names the risks, no risk levels" in w for w in warnings(report))


def test_word_risk_column_of_names_reads_as_markdown(tmp_path: Path) -> None:
    d = Doc()
    d.heading("Risiken & Mitigation", 2)
    d.table(
        [
            ["ID", "Risiko", "Wahrscheinlichkeit", "Impact", "Mitigation"],
            ["R1", "Zeitverzug bei FastAPI-Migration", "Hoch (50%)", "Hoch", "Parallel-Betrieb Streamlit"],
            ["R3", "Audit-Probleme", "Niedrig (10%)", "Kritisch", "Mock-Audit mit externem Berater"],
        ]
    )
    model, _report = checked_import(d.save(tmp_path / "plan.docx"))
    assert [t.title for t in model.threats] == ["Zeitverzug bei FastAPI-Migration", "Audit-Probleme"]
    assert len(model.controls) == 2


def test_a_risk_column_of_levels_stays_the_risk(tmp_path: Path) -> None:
    text = (
        "# Register\n\n| ID | Threat | Risk | Likelihood | Impact |\n|---|---|---|---|---|\n"
        "| T-1 | Spoofed pump | High | 4 | 5 |\n| T-2 | Replayed dose | Medium | 3 | 3 |\n"
    )
    model, _report = load_text(tmp_path, text)
    assert [t.title for t in model.threats] == ["Spoofed pump", "Replayed dose"]
    assert [t.risk.level if t.risk else None for t in model.threats] == ["high", "medium"]
