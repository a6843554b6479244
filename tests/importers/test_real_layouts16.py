"""Layouts of real threat models written by other people (tests/data/markdown-real/SOURCES.md, "round 16"), each as
a short paraphrased excerpt in the same shape, read alike in Markdown and in Word (tests/importers/md_word.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.errors import InputError
from mdptm.model import Control, Model
from mdptm.pipeline.importing import ImportSource, import_sources
from tests.importers.import_helpers import reconciles, warning_messages
from tests.importers.md_word import both as _both
from tests.importers.md_word import word_from_markdown


def _control(model: Model, cid: str) -> Control:
    return next(c for c in model.controls if c.id == cid)


def _titles(model: Model) -> list[list[str]]:
    return [[_control(model, c).title for c in t.controls] for t in model.threats]


# -- "| # | Attack | Defeated by | Residual risk | Status |" of an attendance system, and "| Threat | Defense |
# Residual Risk | Status |" of an app locker: the column says what stops the attack; "Not defeated by BLE alone"
# says that nothing does

_DEFEATED_BY = (
    "# Threat Model\n\n## 1. Attack / Countermeasure Table\n\n"
    "| # | Attack | Defeated by | Residual risk | Status |\n|---|---|---|---|---|\n"
    "| 1 | **Screenshot of a QR code sent to an absent student** | Rotating nonce in a short window | "
    "A forged nonce is caught only at close | **Implemented and tested** |\n"
    "| 2 | **Radio relay through a helper in the room** | Not defeated by BLE alone | "
    "**Open gap.** Needs distance bounding. | **Open** |\n"
    "| 3 | **Friend performs the liveness check** | Not defeated by any factor in this design | "
    "A policy problem more than a technical one | **Open** |\n"
)

_DEFENSE = (
    "# Threat Model\n\n## 6. Threat Matrix\n\n| Threat | Defense | Residual Risk | Status |\n|---|---|---|---|\n"
    "| Direct launch of a locked app | Foreground detection + native overlay | Detection race | Test |\n"
    "| Credential extraction | Native-only checking + protected credential storage | Device compromise | Accepted |\n"
)


def test_a_defeated_by_column_gives_the_controls_and_a_negation_gives_none(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _DEFEATED_BY):
        assert [t.title for t in model.threats] == [
            "Screenshot of a QR code sent to an absent student",
            "Radio relay through a helper in the room",
            "Friend performs the liveness check",
        ]
        # before: no control at all (the column was not read); a negation made a control would be claimed in place
        assert _titles(model) == [["Rotating nonce in a short window"], [], []]
        assert [c.title for c in model.controls] == ["Rotating nonce in a short window"]
        assert [t.extra.get("Defeated by") for t in model.threats[1:]] == [
            "Not defeated by BLE alone",
            "Not defeated by any factor in this design",
        ]
        assert sum("says no measure stops it" in w for w in warning_messages(report)) == 2
        assert reconciles(report)


def test_a_defense_column_gives_the_controls(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _DEFENSE):
        # before: 2 threats, 0 controls (the Defense column kept nowhere)
        assert _titles(model) == [
            ["Foreground detection + native overlay"],
            ["Native-only checking + protected credential storage"],
        ]
        assert [t.status for t in model.threats] == ["open", "accepted"]


# -- a SECURITY.md with no threat model: how to report a vulnerability ("### What to Include" over "1.
# **Description**: …", "2. **Impact**: …"), defence layers, "### Threat Model" over "We assume:" and a trust table

_SECURITY_POLICY = (
    "# Security Policy\n\n## Supported Versions\n\n| Version | Supported |\n| --- | --- |\n| 0.1.x | yes |\n\n"
    "## Reporting a Vulnerability\n\nReport problems privately.\n\n### What to Include\n\n"
    "1. **Description**: What the vulnerability is\n2. **Impact**: What an attacker could do with it\n"
    "3. **Reproduction**: Steps to reproduce it\n\n## Security Architecture\n\n### Threat Model\n\nWe assume:\n"
    "- The live server is hostile territory\n- The network is untrusted\n"
)


def test_a_disclosure_policy_is_no_threat_model(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _SECURITY_POLICY):
        # before: one threat titled "What to Include", its severity "What an attacker could do with it"
        assert model.threats == []
        assert model.controls == []
        assert [a.text for a in model.assumptions] == ["The live server is hostile territory", "The network is untrusted"]
    text = _SECURITY_POLICY.split("## Security Architecture")[0]
    md = tmp_path / "SECURITY.md"
    md.write_text(text, encoding="utf-8")
    for path in (md, word_from_markdown(text, tmp_path / "SECURITY.docx")):
        with pytest.raises(InputError, match="no threat-model content found"):
            import_sources([ImportSource(path)])


def test_a_threat_under_a_what_to_include_heading_of_a_threat_model_is_still_read(tmp_path: Path) -> None:
    text = _SECURITY_POLICY.replace("### What to Include\n\n", "### Replayed firmware\n\n").replace(
        "3. **Reproduction**: Steps to reproduce it", "3. **Mitigation**: Signed, versioned images"
    )
    for model, _report in _both(tmp_path, text.replace("## Reporting a Vulnerability", "## Threats")):
        assert [t.title for t in model.threats] == ["Replayed firmware"]


# -- "## Application-specific threats" over "### T-AI-INJECT — prompt injection …" headings, each with
# "**Mitigation.** …" and "**Residual.** …" paragraphs (labels closed by a full stop), one with no prose at all

_STOPPED_LABELS = (
    "# Threat Model\n\n## Application-specific threats\n\n### T-AI-INJECT — prompt injection through feeds\n\n"
    "A feed item carries instructions aimed at the model.\n\n"
    "**Mitigation.** Untrusted text is fenced with markers it cannot close.\n\n"
    "**Residual.** Detection is heuristic.\n\n### T-SUPPLY-01 — dependency compromise\n\n"
    "**Mitigation.** Pinned dependencies and an SBOM per build.\n\n**Residual.** The backend still trusts the index.\n\n"
    "### T-KEY-01 — loss of the encryption key\n\nLosing the key makes stored credentials unreadable.\n\n"
    "**Mitigation.** The key goes into backups.\n"
)


def test_threat_headings_with_lettered_ids_and_labels_closed_by_a_full_stop(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _STOPPED_LABELS):
        # before: Markdown lost T-SUPPLY-01 (no prose under it; not even reported), titled the others
        # "T-AI-INJECT — …" with ids T-1, T-2, and added "Detection is heuristic." to the control; Word lost
        # T-AI-INJECT and every control ("Mitigation." is no "Mitigation:")
        assert [(t.id, t.title) for t in model.threats] == [
            ("T-AI-INJECT", "prompt injection through feeds"),
            ("T-SUPPLY-01", "dependency compromise"),
            ("T-KEY-01", "loss of the encryption key"),
        ]
        assert _titles(model) == [
            ["Untrusted text is fenced with markers it cannot close"],
            ["Pinned dependencies and an SBOM per build"],
            ["The key goes into backups"],
        ]
        assert all("heuristic" not in c.description for c in model.controls)
        assert [next(iter(t.extra.values()), None) for t in model.threats] == [
            "Detection is heuristic.",
            "The backend still trusts the index.",
            None,
        ]
        assert reconciles(report)


def test_a_bold_lead_closed_by_a_full_stop_that_is_no_label_stays_text(tmp_path: Path) -> None:
    text = _STOPPED_LABELS.replace("**Mitigation.** The key goes into backups.", "**Note.** The key goes into backups.")
    for model, _report in _both(tmp_path, text):
        assert "T-KEY-01" not in [t.id for t in model.threats] or not next(t for t in model.threats if t.id == "T-KEY-01").controls
        assert "The key goes into backups" not in [c.title for c in model.controls]


# -- a wallet's threat list: "## THREAT-001: title" over "- **Actor:** …", "- **Occurrence likelihood**: High",
# "- **Potential mitigations:**" over a numbered list, then "[Back to top ↑](#contents)"

_THREAT_LIST = (
    "# Threat Catalogue\n\n## Contents\n\n- [THREAT-001: Look-alike dApp](#threat-001-look-alike-dapp)\n\n"
    "## THREAT-001: Look-alike dApp\n\n- **Actor:** Fraudster\n"
    "- **Action:** The actor copies a known dApp's site under a similar address.\n"
    "- **Occurrence likelihood**: High\n- **Impact:** Medium\n- **Threat type:** Spoofing\n"
    "- **Potential mitigations:**\n  1. Let only listed dApps connect\n  2. Keep a list of bookmarked dApps\n\n"
    "[Back to top ↑](#contents)\n\n## THREAT-002: Eavesdropping on the loopback server\n\n"
    "- **Action:** Malware listens on the loopback traffic.\n- **Occurrence likelihood**: Low\n"
    "- **Potential mitigations:**\n  1. Use TLS where it can be done\n\n[Back to top ↑](#contents)\n"
)


def test_occurrence_likelihood_potential_mitigations_and_back_to_top_links(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _THREAT_LIST):
        assert [t.id for t in model.threats] == ["THREAT-001", "THREAT-002"]
        # before: the likelihood only in extra ("Occurrence likelihood"), in both formats
        assert [t.risk.likelihood if t.risk else None for t in model.threats] == ["High", "Low"]
        assert all("Occurrence likelihood" not in t.extra for t in model.threats)
        # before: Markdown read the proposed measures as implemented (Word as planned)
        assert [(c.status, c.status_stated) for c in model.controls] == [("planned", True), ("planned", True)]
        # before: "Back to top ↑" closed each control's description
        assert all("Back to top" not in c.description for c in model.controls)
        assert _control(model, model.threats[0].controls[0]).description.endswith("Keep a list of bookmarked dApps")


# -- a web portal's STRIDE tables (threat statuses only), then "| Control | Implementation | Protects Against |"
# whose cells name the attack in words and the threats of the model in brackets ("Man-in-the-middle (WT-2, WS-1)")

_PROTECTS_AGAINST = (
    "### 13.2 Threat Analysis\n\n#### Spoofing\n\n| ID | Threat | Likelihood | Impact | Status |\n|---|---|---|---|---|\n"
    "| WS-1 | Someone poses as the site | Low | High | Mitigated: HTTPS through Certbot |\n\n#### Tampering\n\n"
    "| ID | Threat | Likelihood | Impact | Status |\n|---|---|---|---|---|\n"
    "| WT-2 | Man-in-the-middle towards the data API | Very Low | Medium | Mitigated: HTTPS on every call |\n"
    "| WT-3 | Dotfiles served over HTTP | Low | Medium | Mitigated: Nginx denies dotfiles |\n\n"
    "### 13.3 Controls in Place\n\n| Control | Implementation | Protects Against |\n|---|---|---|\n"
    "| **HTTPS (TLS)** | Certificates renewed automatically | Man-in-the-middle (WT-2, WS-1) |\n"
    "| **Dotfile blocking** | Nginx location rule | `.git/`, `.env` exposure (WT-3) |\n"
    "| **X-Frame-Options** | Nginx header | Clickjacking |\n"
)


def test_a_protects_against_column_links_the_threats_it_cites_in_brackets(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _PROTECTS_AGAINST):
        # before: the column kept in extra, no control linked to any threat
        assert _titles(model) == [["HTTPS (TLS)"], ["HTTPS (TLS)"], ["Dotfile blocking"]]
        assert _control(model, "C-1").extra["Protects Against"] == "Man-in-the-middle (WT-2, WS-1)"
        assert any("'Clickjacking'" in w and "matches no threat" in w for w in warning_messages(report))
        assert [t.status for t in model.threats] == ["mitigated"] * 3


# -- "## Assets worth attacking" / "## 2. Assets to Protect" over a list, one item a bold name closed by a full stop
# then what it is ("1. **The findings register.** Every unpatched flaw …")

_ASSETS = (
    "# Threat Model\n\n## Assets worth attacking\n\n"
    "1. **The findings register.** Every unpatched flaw with its exposure: the most sensitive data held.\n"
    "2. Third-party credentials (ticketing, feeds).\n\n## 2. Assets to Protect\n\n- User PIN.\n- **Patient** records kept on the phone\n\n"
    "## Threats\n\n| ID | Threat | Mitigation |\n|---|---|---|\n| T-1 | Stolen PIN | Rate-limited attempts |\n"
)


def test_assets_headings_that_say_what_the_assets_are_exposed_to(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _ASSETS):
        # before: none of the four assets ("list under 'Assets worth attacking' without threat labels")
        assert [(a.name, a.description[:24]) for a in model.assets] == [
            ("The findings register", "Every unpatched flaw wit"),
            ("Third-party credentials (ticketing, feeds)", ""),
            ("User PIN", ""),
            ("Patient records kept on the phone", ""),
        ]


# -- "## 5. Out-of-Scope Bypass Paths" over one heading per excluded path, each with a sentence and "Status: accepted."

_EXCLUDED_PATHS = (
    "# AppLock Threat Model\n\n## 5. Out-of-Scope Bypass Paths\n\nThe following are accepted residual risks:\n\n"
    "### ADB with USB debugging\n\nADB can uninstall apps outside the app's control.\n\nStatus: accepted.\n\n"
    "### Factory reset\n\nStatus: accepted.\n\n### Hardware attacks\n\n- Chip-off reads of the flash\n- Glitching the boot ROM\n\n"
    "## 6. Threat Matrix\n\n| Threat | Defense | Status |\n|---|---|---|\n| Uninstall | Device Admin + interception | Accepted |\n"
)


def test_headings_under_an_out_of_scope_heading_name_the_excluded_paths(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _EXCLUDED_PATHS):
        # before: no entry; each "Status: accepted." was read as the document's status ("not understood; left as draft")
        assert [(o.text, o.rationale) for o in model.out_of_scope] == [
            ("ADB with USB debugging", "ADB can uninstall apps outside the app's control.\n\nStatus: accepted."),
            ("Factory reset", "Status: accepted."),
            ("Chip-off reads of the flash", None),
            ("Glitching the boot ROM", None),
        ]
        assert not any("document status" in w for w in warning_messages(report))
        assert [t.title for t in model.threats] == ["Uninstall"]


# -- "| Boundary | From → To | Protocol | Authentication |": one column holds both ends of each flow

_FROM_TO = (
    "### 13.1 Trust Boundaries\n\n| Boundary | From → To | Protocol | Authentication |\n|---|---|---|---|\n"
    "| **TB-1: Internet → Proxy** | Browser → Reverse proxy | HTTPS | None (public site) |\n"
    "| **TB-2: Proxy → App** | Reverse proxy → App server | HTTP (loopback) | Loopback only |\n\n"
    "### 13.2 Threats\n\n| ID | Threat | Status |\n|---|---|---|\n| W-1 | Someone poses as the site | Open |\n"
)


def test_a_from_to_column_holds_both_ends_of_a_flow(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _FROM_TO):
        names = {e.id: e.name for e in model.elements}
        # before: elements named "Browser → Reverse proxy" and "Reverse proxy → App server", and no flow
        assert sorted(names.values()) == ["App server", "Browser", "Reverse proxy"]
        assert [(names[f.source], names[f.target], f.protocol) for f in model.flows] == [
            ("Browser", "Reverse proxy", "HTTPS"),
            ("Reverse proxy", "App server", "HTTP (loopback)"),
        ]


# -- "*   **Threat:** title" items, each over nested "**Description:**", "**Risk Severity:**" and "**Mitigation
# Strategies:**" items, the strategies nested one level further

_NESTED_THREATS = (
    "Here are the high and critical threats of the `renderlib` library:\n\n"
    "*   **Threat:** Code execution through a scene definition\n"
    "    *   **Description:** Input used to build a scene injects code that runs while rendering.\n"
    "    *   **Risk Severity:** Critical\n    *   **Mitigation Strategies:**\n"
    "        *   Never build scene code from user input.\n        *   Render in a sandbox with few permissions.\n\n"
    "*   **Threat:** Resource exhaustion through a complex scene\n"
    "    *   **Description:** A scene uses far too much CPU or memory.\n    *   **Risk Severity:** High\n"
    "    *   **Mitigation Strategies:**\n        *   Limit the renderer's CPU time and memory.\n"
)


def test_nested_mitigation_strategies_under_a_threat_item_are_its_control(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _NESTED_THREATS):
        # before, in Word: no control (the strategies added to the threat's description) and the severity in extra
        assert _titles(model) == [["Never build scene code from user input"], ["Limit the renderer's CPU time and memory"]]
        assert "Render in a sandbox" in _control(model, model.threats[0].controls[0]).description
        assert [t.risk.level if t.risk else None for t in model.threats] == ["critical", "high"]
        assert all("Mitigation Strategies" not in t.description for t in model.threats)


# -- a SECURITY.md's "## Threat Model": "We assume:" over a list, "We do **not** assume:" over another, then
# "| Risk | Mitigation |" with bold risks

_WE_ASSUME = (
    "# Security Policy\n\n## Threat Model\n\nWe assume:\n- The bot token may leak.\n- A model will be prompt-injected.\n\n"
    "We do **not** assume:\n- The user's machine is free of malware.\n\n## Specific Risks We Mitigate\n\n"
    "| Risk | Mitigation |\n|---|---|\n| **OAuth token leaks** | Encrypted at rest + token rotation |\n"
    "| **Audit log tampered** | HMAC-chained append-only log |\n"
)


def test_a_we_assume_list_holds_assumptions_and_a_we_do_not_assume_list_none(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _WE_ASSUME):
        # before: no assumption (both lists skipped: "not read as threats")
        assert [a.text for a in model.assumptions] == ["The bot token may leak.", "A model will be prompt-injected."]
        assert [t.title for t in model.threats] == ["OAuth token leaks", "Audit log tampered"]


# -- "### 4.1 Open a locked app" under "## 4. In-Scope Attack Paths", with "Attack:" over the steps and "Expected
# defense:" over what stops them (plain lines, no bold)

_ATTACK_PATHS = (
    "# AppLock Threat Model\n\n## 4. In-Scope Attack Paths\n\n### 4.1 Open a locked app\n\nAttack:\n"
    "- Start the app directly.\n- Start it from a notification.\n\nExpected defense:\n"
    "- Foreground detection recognises the package.\n- A native overlay asks for the PIN.\n\n"
    "### 4.2 Uninstall\n\nAttack:\n- Choose uninstall in App Info.\n\nExpected defense:\n- Device Admin requires deactivation first.\n"
)


def test_an_expected_defense_list_under_an_attack_path_is_its_control(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _ATTACK_PATHS):
        assert [t.title for t in model.threats] == ["Open a locked app", "Uninstall"]
        # before: no control; the defense read as more of the attack (Markdown) or kept in extra (Word)
        assert _titles(model) == [["Foreground detection recognises the package"], ["Device Admin requires deactivation first"]]
        assert all("overlay" not in t.description for t in model.threats)


# -- a README's "### Threat Model": "#### 1. Payment Replay" over "**Threat:** …" and "**Mitigation:**" over a fenced
# block of code only (or over bullets)

_CODE_MITIGATION = (
    "## Security\n\n### Threat Model\n\n#### 1. Payment Replay\n**Threat:** A payment proof is reused for several requests\n\n"
    "**Mitigation:**\n```typescript\n// remember every nonce for a day\nawait redis.setex(`nonce:${sig}`, 86400, '1');\n```\n\n"
    "#### 2. SQL Injection\n**Threat:** Crafted input compromises the database\n\n**Mitigation:**\n"
    "- Parameterised queries\n- Schema validation of input\n"
)


def test_a_mitigation_written_only_as_code_is_the_threats_control(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _CODE_MITIGATION):
        # before: Markdown made no control of the code (skipped as a code block); Word made one of its lines
        assert _titles(model) == [["// remember every nonce for a day"], ["Parameterised queries"]]
        assert "redis.setex" in _control(model, model.threats[0].controls[0]).description
