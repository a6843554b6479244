"""Layouts of real threat models written by other people (tests/data/markdown-real/SOURCES.md, "round 13"), each as
a short paraphrased excerpt in the same shape, read alike in Markdown and in Word (tests/importers/md_word.py)."""

from __future__ import annotations

from pathlib import Path

from tests.importers.import_helpers import load_text, reconciles, warning_messages
from tests.importers.md_word import both as _both

# -- "Boundary | Protected asset | Threat | Mitigation | Residual risk": each threat placed on the boundary it crosses
# ("CI store → runner"); the residual risk said in a sentence

_BOUNDARY_THREATS = (
    "# Security Policy\n\n## Threat Model\n\n### Trust boundaries and failure modes\n\n"
    "| Boundary | Protected asset | Threat | Mitigation | Residual risk |\n|---|---|---|---|---|\n"
    "| Source repo → build runner | Build scripts | A poisoned dependency changes the build | Pinned versions, read-only checkout |"
    " A taken-over repository can still change the build |\n"
    "| Secret store → job | Broker keys | Keys leak or are misused | Keys injected at run time; none in the source |"
    " A taken-over runner can still read the injected keys |\n"
    "| Feed → pricing engine | Decisions | Stale or forged prices | Freshness and range checks |"
    " No check proves that an outside feed tells the truth |\n"
)


def test_a_threat_table_whose_first_column_names_boundaries_is_no_flow_table(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _BOUNDARY_THREATS):
        # before: read as a flow table (three flows, six components), no threat at all
        assert [t.title for t in model.threats] == [
            "A poisoned dependency changes the build",
            "Keys leak or are misused",
            "Stale or forged prices",
        ]
        assert [len(t.controls) for t in model.threats] == [1, 1, 1]
        assert model.flows == []
        assert model.threats[0].extra.get("Boundary") == "Source repo → build runner"
        assert reconciles(report)


def test_a_residual_risk_said_in_sentences_is_not_the_threat_description(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _BOUNDARY_THREATS):
        first = model.threats[0]
        # before: "A taken-over repository can still change the build" was the threat's description
        assert not first.description
        assert first.extra.get("Residual risk") == "A taken-over repository can still change the build"
        assert first.residual_risk is None
        assert any("Residual risk" in w and "what remains after the mitigation" in w for w in warning_messages(report))


def test_a_residual_risk_column_of_levels_is_still_the_residual_risk(tmp_path: Path) -> None:
    text = (
        "# Auth spec\n\n## Threat model table\n\n| Threat ID | Asset | Threat | Mitigation | Residual risk |\n|---|---|---|---|---|\n"
        "| TH-01 | signing key | key written in the code | key from the environment only | low |\n"
        "| TH-02 | password | offline guessing after a leak | slow hash | medium (acceptable) |\n"
    )
    for model, report in _both(tmp_path, text):
        assert [t.residual_risk.level if t.residual_risk else None for t in model.threats] == ["low", "medium"]
        assert reconciles(report)


# -- threats as "#### THREAT-001: title" headings over bold fields and a "**Mitigations**:" list whose every item
# carries its own mark ("✅" in place, "⚠️ TODO:" to do); a risk matrix keyed by the same "THREAT-001" ids

_MARKED_MEASURES = (
    "# Threat Model - Scheduling Assistant\n\n## Threat Analysis\n\n### 1. Authentication Threats\n\n"
    "#### THREAT-001: Stolen Refresh Token\n**Category**: Spoofing\n**Description**: Someone copies a user's refresh token\n\n"
    "**Likelihood**: Medium\n**Impact**: Critical\n\n**Mitigations**:\n"
    "- ✅ Tokens kept on the server only\n- ✅ Tokens encrypted in the database\n- ⚠️ TODO: Rotate the token on every use\n\n"
    "**Residual Risk**: Low\n\n---\n\n"
    "#### THREAT-002: Guessed Logins\n**Category**: Spoofing\n**Description**: Someone tries many passwords\n\n"
    "**Likelihood**: High\n**Impact**: High\n\n**Mitigations**:\n"
    "- ✅ Sign-in through the identity provider only\n- ⚠️ TODO: Rate limit the sign-in endpoint\n"
    "  - Public: 10 tries a minute per IP\n  - Signed in: 100 a minute\n- ⚠️ TODO: Alert on many failures\n\n"
    "**Residual Risk**: Medium\n\n"
    "## Risk Matrix\n\n| Threat ID | Threat | Likelihood | Impact | Risk Score | Priority |\n|---|---|---|---|---|---|\n"
    "| THREAT-001 | Stolen Refresh Token | Medium | Critical | 12 | P0 |\n| THREAT-002 | Guessed Logins | High | High | 12 | P0 |\n"
)


def test_a_heading_id_written_in_capitals_is_kept_so_the_risk_matrix_joins_it(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _MARKED_MEASURES):
        # before: the headings gave T-001, T-002 and the matrix THREAT-001, THREAT-002: four threats
        assert [t.id for t in model.threats] == ["THREAT-001", "THREAT-002"]
        assert model.threats[0].extra.get("Priority") == "P0"
        assert reconciles(report)


def test_each_measure_marked_with_its_own_status_is_a_control(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _MARKED_MEASURES):
        # before: one control per list, titled by its first item and in place, its "TODO" items with it
        by_id = {c.id: c for c in model.controls}
        first = [by_id[c] for c in model.threats[0].controls]
        assert [(c.title, c.status) for c in first] == [
            ("Tokens kept on the server only", "implemented"),
            ("Tokens encrypted in the database", "implemented"),
            ("Rotate the token on every use", "planned"),
        ]
        second = [by_id[c] for c in model.threats[1].controls]
        assert [c.status for c in second] == ["implemented", "planned", "planned"]
        assert second[1].description == "Rate limit the sign-in endpoint\nPublic: 10 tries a minute per IP\nSigned in: 100 a minute"
        assert len(model.controls) == 6
        assert reconciles(report)


def test_a_public_label_under_a_measure_is_the_measure_words_not_the_threat_marking(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _MARKED_MEASURES):
        # before (Word): "Public: 10 tries a minute per IP" was read as the threat's sensitivity ("… per IP" as a
        # trade secret), so the threat was withheld, and the measures below it went into its description
        assert [t.sensitivity for t in model.threats] == ["public", "public"]
        assert (model.threats[1].description or "").startswith("Someone tries many passwords")
        assert "Alert on many failures" not in (model.threats[1].description or "")


def test_a_list_of_measures_without_marks_stays_one_control(tmp_path: Path) -> None:
    text = _MARKED_MEASURES.replace("✅ ", "").replace("⚠️ TODO: ", "")
    for model, report in _both(tmp_path, text):
        assert len(model.controls) == 2
        assert all(len(t.controls) <= 1 for t in model.threats)
        assert reconciles(report)


# -- threats as "#### Threat n: title" headings over one paragraph of label lines: "**Attack:**", a mitigation named
# after the product and its phase ("**Acme Mitigation (Phase 1):**"), "**Remaining Risk:**", "**Phase 2 Mitigation:**",
# "**Residual Risk (Phase 2):**"; a risk matrix after them that names the same threats in words of its own

_PHASED = (
    "# Acme Security Report\n\n## Threat Modeling\n\n"
    "#### Threat 1: Agent Identity Spoofing\n\n"
    "**Attack:** A rogue agent claims a trusted agent's name  \n**Acme Mitigation (Phase 1):** Signed agent cards  \n"
    "**Remaining Risk:** ⚠️ A stolen key cannot be rotated at once  \n**Phase 2 Mitigation:** Automatic key rotation  \n"
    "**Residual Risk (Phase 2):** ✅ Negligible\n\n"
    "#### Threat 2: Silent Behavioral Drift\n\n"
    "**Attack:** The agent slowly makes wrong decisions  \n**Acme Mitigation (Phase 1):** Anomaly rules  \n"
    "**Remaining Risk:** ⚠️ The rules are static  \n**Phase 2 Mitigation:** Learned baselines  \n"
    "**Residual Risk (Phase 2):** ✅ Negligible\n\n"
    "#### Threat 3: Ledger Tampering\n\n"
    "**Attack:** Someone edits the audit ledger  \n**Acme Mitigation (Phase 1):** Hash chain over every entry  \n"
    "**Remaining Risk:** ✅ None  \n**Residual Risk (Phase 1):** ✅ Negligible\n\n"
    "### Risk Matrix\n\n| Threat | Severity | Phase 1 Risk | Phase 2 Risk |\n|---|---|---|---|\n"
    "| Agent identity spoofing | Critical | Medium | Low |\n| Behavioral drift | High | Medium | Low |\n"
    "| Ledger tampering | Critical | Low | Low |\n"
)


def test_mitigations_of_two_phases_are_a_control_each_the_later_planned(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _PHASED):
        # before: no mitigation read from the headings (the labels named the product and the phase): 0 links there
        by_id = {c.id: c for c in model.controls}
        first = [(by_id[c].title, by_id[c].status) for c in model.threats[0].controls]
        assert first == [("Signed agent cards", "implemented"), ("Automatic key rotation", "planned")]
        third = [(by_id[c].title, by_id[c].status) for c in model.threats[2].controls]
        assert third == [("Hash chain over every entry", "implemented")]
        assert model.threats[0].description == "A rogue agent claims a trusted agent's name"
        assert any("Phase 2 Mitigation" in w and "planned" in w for w in warning_messages(report))
        assert reconciles(report)


def test_a_matrix_row_in_words_all_of_one_threat_title_joins_that_threat(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _PHASED):
        # before: "Behavioral drift" was a threat of its own beside "Silent Behavioral Drift"
        assert [t.title for t in model.threats] == ["Agent Identity Spoofing", "Silent Behavioral Drift", "Ledger Tampering"]
        assert any("every word of 'Behavioral drift'" in w for w in warning_messages(report))
        assert reconciles(report)


def test_a_row_of_a_table_that_repeats_no_threat_is_not_joined_by_words(tmp_path: Path) -> None:
    text = (
        "# Model\n\n#### Threat 1: Data Leakage from the vector store\n\n**Attack:** Someone copies the embeddings\n\n"
        "## Other risks\n\n| Threat | Likelihood |\n|---|---|\n| Data leakage | High |\n| Ransomware outbreak | Low |\n"
        "| Insider sabotage | Low |\n"
    )
    model, report = load_text(tmp_path, text)
    assert [t.title for t in model.threats] == [
        "Data Leakage from the vector store",
        "Data leakage",
        "Ransomware outbreak",
        "Insider sabotage",
    ]
    assert reconciles(report)


# -- an asset table of two columns under "## Assets": the asset, and where it lies in plaintext (or why it matters)


def test_a_two_column_table_under_an_assets_heading_lists_the_assets(tmp_path: Path) -> None:
    text = (
        "# Threat model\n\n## Assets\n\n| Asset | Where it exists in plaintext |\n|---|---|\n"
        "| Master password | typed into a client; never stored |\n| Session tokens | client storage; hashed on the server |\n\n"
        "## Threats and mitigations\n\n| # | Threat | Mitigation |\n|---|---|---|\n"
        "| T1 | Server reads vault data | Client-side encryption |\n"
    )
    for model, report in _both(tmp_path, text):
        # before: "no threat-model table recognised", both assets lost (reported)
        assert [a.name for a in model.assets] == ["Master password", "Session tokens"]
        assert model.assets[0].extra.get("Where it exists in plaintext") == "typed into a client; never stored"
        assert [t.id for t in model.threats] == ["T1"]
        assert reconciles(report)
    german = "# Bedrohungsmodell\n\n## System und Schutzgüter\n\n| Schutzgut | Warum kritisch |\n|---|---|\n"
    german += "| Mail-Zugangsdaten | Zugriff auf das Postfach |\n| Exportdateien | Falsche Aufträge |\n\n"
    german += "## Bedrohungen\n\n| ID | Bedrohung | Maßnahme |\n|---|---|---|\n| T-01 | MitM liest Mails | Nur TLS |\n"
    for model, report in _both(tmp_path, german):
        assert [a.name for a in model.assets] == ["Mail-Zugangsdaten", "Exportdateien"]
        assert reconciles(report)


def test_a_two_column_table_under_an_assets_heading_that_names_no_asset_column_is_still_skipped(tmp_path: Path) -> None:
    text = (
        "# Threat model\n\n## Assets\n\n| Term | Meaning |\n|---|---|\n| PHI | health data |\n\n"
        "## Threats\n\n| ID | Threat | Mitigation |\n|---|---|---|\n| T1 | Data theft | Encryption |\n"
    )
    for model, report in _both(tmp_path, text):
        assert model.assets == []
        assert reconciles(report)


def test_a_later_phase_alone_is_planned_and_a_future_label_is_no_measure_in_place(tmp_path: Path) -> None:
    text = (
        "# Report\n\n## Threat Modeling\n\n#### Threat 1: Key Theft\n\n"
        "**Attack:** Someone copies the signing key  \n**Phase 2 Mitigation:** Keys kept in an HSM\n\n"
        "#### Threat 2: Log Loss\n\n**Attack:** The audit log is deleted  \n**Future Mitigation:** Remote log copies\n"
    )
    for model, report in _both(tmp_path, text):
        by_id = {c.id: c for c in model.controls}
        assert [(by_id[c].title, by_id[c].status) for c in model.threats[0].controls] == [("Keys kept in an HSM", "planned")]
        # "Future Mitigation" names no product and no phase: not read as a measure in place
        assert all(by_id[c].status != "implemented" for c in model.threats[1].controls)
        assert reconciles(report)


def test_a_measure_closed_by_a_later_phase_note_is_planned(tmp_path: Path) -> None:
    text = (
        "# Threat Model\n\n## Assets\n- Medication orders\n\n## Threats\n- Unauthorized access\n- Availability attacks\n\n"
        "## Mitigations\n- RBAC and least privilege\n- Rate limiting (Phase 3)\n"
    )
    for model, report in _both(tmp_path, text):
        # before: "Rate limiting (Phase 3)" read as in place ("(Phase 2)" already deferred, "(Phase 3)" did not)
        assert [(c.title, c.status) for c in model.controls] == [
            ("RBAC and least privilege", "implemented"),
            ("Rate limiting (Phase 3)", "planned"),
        ]
        assert reconciles(report)


def test_classification_levels_under_the_assets_heading_are_no_assets(tmp_path: Path) -> None:
    text = (
        "# Threat Model\n\n## Assets\n\n### Critical Assets\n1. **User Credentials**: OAuth tokens\n2. **Calendar Data**: events\n\n"
        "### Classification\n- **Public**: marketing pages\n- **Confidential**: user PII\n- **Secret**: API keys\n\n"
        "## Threats\n\n| ID | Threat | Mitigation |\n|---|---|---|\n| T1 | Token theft | Server-side storage |\n"
    )
    for model, report in _both(tmp_path, text):
        # before (Markdown): Public, Confidential and Secret were three more assets
        assert [a.name for a in model.assets] == ["User Credentials", "Calendar Data"]
        assert reconciles(report)


# -- "OWASP ID | Risk | Mitigation in architecture": the catalogue entry, the risk named in words, its mitigation


def test_a_risk_column_of_names_after_a_catalogue_column_titles_the_threats(tmp_path: Path) -> None:
    text = (
        "# Architecture\n\n## OWASP Top 10 Mapping\n\n| OWASP ID | Risk | Mitigation in architecture |\n|---|---|---|\n"
        "| **A01 Broken Access Control** | Local debug endpoint left open | Deny-by-default access; no open IPC. |\n"
        "| **A02 Cryptographic Failures** | Weak hashing, plaintext secrets | SHA-256 minimum; OS keystore. |\n"
        "| **A03 Injection** | Sample strings injected into the report | Escaped HTML; prepared statements. |\n"
    )
    for model, report in _both(tmp_path, text):
        # before: "no threat-model table recognised", the three rows skipped
        assert [t.title for t in model.threats] == [
            "Local debug endpoint left open",
            "Weak hashing, plaintext secrets",
            "Sample strings injected into the report",
        ]
        assert [t.extra.get("OWASP ID") for t in model.threats] == [
            "A01 Broken Access Control",
            "A02 Cryptographic Failures",
            "A03 Injection",
        ]
        assert [len(t.controls) for t in model.threats] == [1, 1, 1]
        assert reconciles(report)


def test_a_risk_column_of_names_without_a_mitigation_column_beside_it_is_not_read_so(tmp_path: Path) -> None:
    text = (
        "# Register\n\n## Review\n\n| Reviewer | Risk | Notes |\n|---|---|---|\n| Ana | Data loss in backups | checked |\n"
        "| Ben | Late security patches | open |\n\n"
        "## Threats\n\n| ID | Threat | Mitigation |\n|---|---|---|\n| T1 | Token theft | Short tokens |\n"
    )
    for model, report in _both(tmp_path, text):
        assert [t.id for t in model.threats] == ["T1"]
        assert reconciles(report)


def test_a_mitigation_that_opens_by_saying_not_mitigated_is_no_control_in_place(tmp_path: Path) -> None:
    table = (
        "# Threat model\n\n## Threats and mitigations\n\n| # | Threat | Mitigation | Residual risk |\n|---|---|---|---|\n"
        "| T1 | The server serves a changed web app | **Not mitigated for the web client.** Use the desktop app; strict CSP |"
        " Documented non-goal |\n| T2 | Traffic is read on the way | TLS required; HSTS | Compromised CA |\n"
    )
    headed = (
        "# Threat model\n\n### Threat 1: Changed web app\n\n**Threat:** The server serves a changed web app\n\n"
        "**Mitigation:** Not mitigated for the web client. Use the desktop app.\n"
    )
    for text in (table, headed):
        for model, report in _both(tmp_path, text):
            # before: the text was a control in place ("Not mitigated for the web client", implemented)
            first = next(c for c in model.controls if c.id == model.threats[0].controls[0])
            assert first.status == "not_implemented"
            assert all(c.status == "implemented" for c in model.controls if c is not first)
            assert any("not mitigated" in w for w in warning_messages(report))
            assert reconciles(report)
