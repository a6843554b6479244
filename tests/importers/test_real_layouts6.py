"""Layouts of real threat models written by other people (tests/data/markdown-real/SOURCES.md, "round 8"), each as
a short excerpt in the same shape, read alike in Markdown and in Word (tests/importers/md_word.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.errors import InputError
from tests.importers.import_helpers import checked_import, load_text
from tests.importers.md_word import both as _both
from tests.importers.md_word import word_from_markdown

# -- a vehicle API's STRIDE primer: the six categories defined, with "Mitigation Options", is no threat

_PRIMER = (
    "# Simple Security and Threat Analysis\n\n## Finding Threats Using STRIDE\n\n"
    "| # | Threat | Property Violated | Threat Definition | Typical Victims | Mitigation Options | Examples |\n"
    "|---|---|---|---|---|---|---|\n"
    "| S | Spoofing | Authentication | Pretending to be someone else | Processes, persons | Identification and "
    "Authentication | Falsely claiming to be the head of state. |\n"
    "| T | Tampering | Integrity | Modify data at rest or in transit | Data flows, processes | Cryptographic | "
    "Removing packets from a network. |\n"
    "| R | Repudiation | Non-Repudiation | Claiming you did not do something | Processes | Logs | "
    '"I did not press the red button". |\n'
    "| D | Denial of Service | Availability | Absorbing resources needed by a service | Processes | Careful design | "
    "A program tricked into using all resources. |\n"
)


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_a_stride_primer_with_mitigation_options_holds_no_threat(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "primer.md"
    path.write_text(_PRIMER, encoding="utf-8")
    if fmt == "docx":
        path = word_from_markdown(_PRIMER, tmp_path / "primer.docx")
    # before: four "threats" titled by their examples ("Falsely claiming to be the head of state") and four
    # controls made of the mitigation options; now nothing is a threat, and the import says why
    with pytest.raises(InputError, match="STRIDE definitions table|no threat-model content"):
        checked_import(path)


# -- an ISO 14971 risk analysis of a glucose-monitoring patch: "### RISK-IOT-001: title" over "**Hazard**:" lines
# and "**Risk Controls**:" over bullets each labelled with the kind of control

_GLUCOSE = (
    "# IoT Device Risk Analysis - Glucose Patch\n\n**Document ID**: RMF-IoT-001  \n**Version**: 1.0\n\n"
    "## Risk Analysis Matrix\n\n"
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
    "**Residual Risk**: MEDIUM (S3 × P2 = 6) - reduced probability\n\n---\n\n"
    "### RISK-IOT-002: Firmware Security Vulnerability\n"
    "**Hazard**: Unauthorized access to device firmware or patient data  \n"
    "**Harm**: Privacy breach, false glucose readings  \n"
    "**Risk Level**: MEDIUM (S3 × P2 = 6)\n\n"
    "**Risk Controls**:\n"
    "- **Design Control**: AES-128 encryption for all BLE communications\n"
    "- **Post-Market**: Regular security updates via OTA mechanism\n\n"
    "**Residual Risk**: LOW (S3 × P1 = 3)\n\n"
    "## Risk Control Verification Matrix\n\n"
    "| Risk ID | Primary Control | Verification Method | Test Protocol |\n|---|---|---|---|\n"
    "| IOT-001 | Auto-reconnection | TC-002 Reliability | TP-001 |\n"
    "| IOT-002 | AES encryption | TC-004 Security | TP-001 |\n"
)


def test_hazard_blocks_under_dashed_ids_are_risks_with_their_labelled_controls(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _GLUCOSE):
        # before: no risk at all in Markdown or Word, and one control per bullet (verification tests among them)
        assert [(t.id, t.title) for t in model.threats] == [
            ("RISK-IOT-001", "Bluetooth Communication Failure"),
            ("RISK-IOT-002", "Firmware Security Vulnerability"),
        ]
        first, second = model.threats
        assert first.risk is not None and first.risk.level == "high"
        assert second.risk is not None and second.risk.level == "medium"
        controls = {c.id: c for c in model.controls}
        assert len(model.controls) == 2 and [len(t.controls) for t in model.threats] == [1, 1]
        one = controls[first.controls[0]]
        # the block's bullets are that control's text, each with its label; none is lost
        for said in ("Automatic reconnection algorithm", "Data buffering for 24 hours", "TC-002 Bluetooth reliability"):
            assert said in (one.description or "")
        assert "Regular security updates via OTA" in (controls[second.controls[0]].description or "")


# -- a telemetry gateway's threat model: "### Spoofed Devices" under "## Threats Considered", a line of prose and
# "**Mitigation:** …" on the next line of the same paragraph

_GATEWAY = (
    "# Threat Model — Telemetry Bridge v0.2\n\n## Assets\n- Telemetry integrity\n- Device identity\n\n"
    "## Threats Considered\n\n"
    "### Spoofed Devices\nAttackers may attempt to submit fake telemetry.\n"
    "**Mitigation:** Per-device HMAC secrets and API key verification.\n\n"
    "### Replay Attacks\nPreviously valid telemetry may be resent.\n\n"
    "**Mitigation:** Timestamp skew checks and nonce replay protection.\n\n"
    "## Out of Scope\n- Insider threats\n- Physical device capture\n"
)


def test_prose_then_a_mitigation_under_a_heading_of_threats_is_that_threat(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _GATEWAY):
        # before: the two threats were lost without a word (only the assets and exclusions were read)
        assert [(t.title, t.description) for t in model.threats] == [
            ("Spoofed Devices", "Attackers may attempt to submit fake telemetry."),
            ("Replay Attacks", "Previously valid telemetry may be resent."),
        ]
        titles = {c.id: c.title for c in model.controls}
        assert [titles[c] for t in model.threats for c in t.controls] == [
            "Per-device HMAC secrets and API key verification",
            "Timestamp skew checks and nonce replay protection",
        ]
        assert sorted(a.name for a in model.assets) == ["Device identity", "Telemetry integrity"]
        assert len(model.out_of_scope) == 2


def test_prose_under_a_heading_of_the_threat_model_stays_prose(tmp_path: Path) -> None:
    text = (
        "# Threat Model — Telemetry Bridge\n\n## System Overview\nThe bridge receives signed events.\n"
        "**Mitigation:** see the security chapter.\n\n## Threats\n\n### Spoofed Devices\n"
        "**Threat:** Attackers may submit fake telemetry.\n"
    )
    for model, _report in _both(tmp_path, text):
        # "Threat Model" names the whole document: the overview's prose and its mitigation line are no threat
        assert [t.title for t in model.threats] == ["Spoofed Devices"]


# -- a hospital waveform study tool: "| Threat | Path | Impact | Current/required mitigation |"

_WAVEFORM = (
    "# Threat model\n\n## Adversaries and failures\n\n"
    "| Threat | Path | Impact | Current/required mitigation |\n|---|---|---|---|\n"
    "| Accidental internet egress | Remote API URL | PHI/raw waveform disclosure | Offline default; host firewall |\n"
    "| Replay session theft | Guess/use session ID | Unauthorized stream consumption | Random ID, one consumer, TTL |\n"
)


def test_a_mitigation_column_named_by_two_words_sharing_its_noun(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _WAVEFORM):
        # before: both threats kept, their mitigations only in extra (no control, nothing linked)
        titles = {c.id: c.title for c in model.controls}
        assert [[titles[c] for c in t.controls] for t in model.threats] == [
            ["Offline default; host firewall"],
            ["Random ID, one consumer, TTL"],
        ]
        # "current or required": the column does not say which, so no control claims to be in place
        assert not any(c.status_stated for c in model.controls)


# -- a security engineer's findings on a delegation library: "| State | Status |" beside each other, the first
# of test evidence, the second of marks; "N/A — reason" as a mitigation

_FINDINGS = (
    "# Raw findings\n\n## THREAT TABLE\n\n"
    "| # | Asset | Attacker | Threat | Mitigation | State | Status |\n|---|---|---|---|---|---|---|\n"
    "| T1 | Record | Network | Forgery | ES256, curve enforced | TESTED (256+ mutations, fuzz) | ✅ |\n"
    "| T2 | Record | Holds valid record | Transplantation to C | Records are bearer assertions | ASSERTED as out-of-scope | ⚠️ owned |\n"
    "| T3 | Verifier CPU | Deep chain | DoS | **N/A — single-hop, no chain walker** | — | ✅ |\n"
    "| T4 | Clock | Controls verifier clock | Extend expiry | ±skew tolerance; injected clock | Documented (§4.5) | ⚠️ |\n"
    "| T5 | Record | Network | Algorithm confusion | alg pinned pre-verify | TESTED (neg-vectors) | ✅ |\n"
)


def test_the_second_status_column_holds_the_statuses_and_n_a_names_no_control(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _FINDINGS):
        # before: every threat "open" (the status marks kept in extra) and a control titled "N/A — single-hop …"
        # "⚠️ owned": ROAM's Owned, a risk someone has taken on and not resolved, is open (the word wins over the mark)
        statuses = ["mitigated", "open", "mitigated", "partially_mitigated", "mitigated"]
        assert [t.status for t in model.threats] == statuses
        assert not any(c.title.startswith("N/A") for c in model.controls)
        loop = model.threats[2]
        assert loop.controls == [] and loop.rationale == "single-hop, no chain walker"
        assert [len(t.controls) for t in model.threats] == [1, 1, 0, 1, 1]
        assert any("says none applies" in w.message for w in report.warnings)


# -- a deep analysis of one attack-tree path: its objectives are a bulleted list after "… we aim to:"

_OBJECTIVES = (
    "## Deep Analysis: Compromising the Name Server\n\n### 1. Define Objective\n\n"
    'The objective of this deep analysis is to examine the attack path "Compromise the Name Server". '
    "Specifically, we aim to:\n\n"
    "*   Identify the specific vulnerabilities and attack vectors that could lead to the compromise of the service.\n"
    "*   Assess the likelihood, impact, effort and detection difficulty of exploiting them.\n"
    "*   Propose concrete, actionable mitigation strategies.\n\n"
    "### 2. Threats\n\n| ID | Threat | Mitigation |\n|---|---|---|\n"
    "| T1 | Buffer overflow in the name buffer | Bounds checks on every name |\n"
)


def test_the_aims_of_an_analysis_are_no_threats(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _OBJECTIVES):
        # before, in Word: the three aims were three threats ("Identify the specific vulnerabilities …")
        assert [t.title for t in model.threats] == ["Buffer overflow in the name buffer"]


# -- a medical-device documentation kit's threat item (French): one threat per file, rated in its front matter,
# its text under "## Threat", its expected controls under "## Contrôles attendus"

_THR_ITEM = (
    "---\nid: THR-EXAMPLE-001\ntitle: Exemple — vol de session via XSS\nstatus: Draft\nstride: [S, I]\n"
    "asset: Cookie de session\nlikelihood: Medium\nimpact: High\nrisk_level: High\nacceptable: false\n---\n\n"
    "## Threat\n\nInjection de script dans le frontend permet de voler le cookie de session.\n\n"
    "## Vecteur d'exploitation\n\nAttaquant Internet non authentifié.\n\n"
    "## Justification de niveau\n\n`Likelihood: Medium` — XSS reste un défaut fréquent.\n\n"
    "## Contrôles attendus\n\n- Cookie session `HttpOnly` + `Secure`.\n- CSP stricte.\n"
)


def test_a_threat_file_rated_in_its_front_matter(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, _THR_ITEM)
    (threat,) = model.threats
    # before: only the id and title were read; the rest sat in extra, no control was made
    assert (threat.id, threat.title) == ("THR-EXAMPLE-001", "Exemple — vol de session via XSS")
    assert threat.stride == ["spoofing", "information_disclosure"]
    assert [a.name for a in model.assets] == ["Cookie de session"]
    assert threat.risk is not None and threat.risk.level == "high"
    assert (threat.risk.likelihood, threat.risk.severity) == ("Medium", "High")
    assert threat.description.startswith("Injection de script")
    assert "Attaquant Internet" in threat.description  # the attack vector, added to the description
    assert threat.extra["likelihood"].startswith("Medium — XSS")  # the justification below is kept, not lost
    (control,) = model.controls
    assert threat.controls == [control.id] and control.status == "planned"  # "attendus": expected, not in place
    assert "CSP stricte" in (control.description or "")
    assert threat.status == "open"  # "status: Draft" is the file's review state, not the threat's


# -- a build system's security analysis: component bullets over nested "**Threat:**" bullets, each over
# "**Attack Vector:**", "**Impact:**" and "**Mitigation:**" bullets (three levels deep)

_NESTED = (
    "## Deep Analysis of Security Considerations\n\n### Security Implications of Key Components:\n\n"
    "*   **Nx CLI (Command Line Interface):**\n"
    "    *   **Threat:** Command Injection. An attacker could inject malicious commands.\n"
    "        *   **Attack Vector:**  Crafting malicious commands.\n"
    "        *   **Impact:** Arbitrary code execution on the CI server.\n"
    "        *   **Mitigation:** Implement strict input validation for shell arguments.\n"
    "    *   **Threat:** Unauthorized Access to Sensitive Operations. The remote cache is reachable.\n"
    "        *   **Attack Vector:** Bypassing authorization checks.\n"
    "        *   **Mitigation:** Enforce strong authentication for remote resources.\n"
    "*   **Task Runner:**\n"
    "    *   **Threat:** Execution of Malicious Executors. A compromised executor runs code.\n"
    "        *   **Mitigation:** Review every custom executor.\n"
)


def test_nested_threat_bullets_under_component_bullets(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _NESTED):
        # before, in Word: "no threat-model content found" (exit 2); Markdown read them already
        assert [t.title for t in model.threats] == [
            "Command Injection",
            "Unauthorized Access to Sensitive Operations",
            "Execution of Malicious Executors",
        ]
        titles = {c.id: c.title for c in model.controls}
        assert [[titles[c] for c in t.controls] for t in model.threats] == [
            ["Implement strict input validation for shell arguments"],
            ["Enforce strong authentication for remote resources"],
            ["Review every custom executor"],
        ]
        assert "crafting malicious commands" in (str(model.threats[0].extra) + model.threats[0].description).lower()


def test_attack_steps_under_a_bold_threat_line_are_no_threats_of_their_own(tmp_path: Path) -> None:
    text = (
        "# Threat Model\n\n## STRIDE\n\n| ID | Component | Threat Description |\n|---|---|---|\n"
        "| T1 | Login | Spoofing via registration |\n\n"
        "**T1 - Spoofing via registration**\n\n"
        "- **File**: register.php\n- **Vulnerability**: no e-mail check\n- **Attack**: register as another user\n"
    )
    for model, _report in _both(tmp_path, text):
        # "Attack: …" under a threat's bold line is a step of that threat (kept with it), never a threat itself
        assert [t.id for t in model.threats] == ["T1"]


# -- the same analysis's vulnerabilities and mitigations: numbered bold titles over labelled items

_NUMBERED_TITLES = (
    "### 4. Deep Analysis of Attack Tree Path 3.1: Exploit vulnerabilities in the name server\n\n"
    "**4.1. Potential Vulnerabilities and Attack Vectors**\n\n"
    "*   **4.1.1. Buffer Overflows:**\n"
    "    *   **Description:**  The name server copies service names into a fixed buffer.\n"
    "    *   **Attack Vector:**  A malicious service sends an oversized name.\n"
    "    *   **Example:**  A 1024-byte name into a 256-byte buffer.\n\n"
    "*   **4.1.2. Code Injection (via Lua):**\n"
    "    *   **Description:**  Untrusted input reaches the Lua interpreter.\n"
    "    *   **Attack Vector:**  A service name holding Lua code.\n\n"
    "**4.3. Mitigation Strategies (Detailed)**\n\n"
    "The provided mitigations are a good starting point, but we can expand on them:\n\n"
    "*   **4.3.1. Memory Safety Tools:**\n"
    "    *   **Action:**  Run AddressSanitizer in every test.\n"
    "    *   **Rationale:**  Memory errors are found before release.\n"
    "*   **4.3.2. Least Privilege:**\n"
    "    *   **Action:**  Run the name server as a dedicated user.\n"
    "    *   **Rationale:**  A compromise gains little.\n"
)


def test_numbered_bold_titles_over_a_description_and_an_attack_vector_are_threats(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, _NUMBERED_TITLES)
    # before: one threat named after the section heading, every vulnerability and measure folded into it
    assert [t.title for t in model.threats] == ["Buffer Overflows", "Code Injection (via Lua)"]
    assert "oversized name" in model.threats[0].description
    assert model.threats[0].extra["Example"] == "A 1024-byte name into a 256-byte buffer."
    assert sorted(c.title for c in model.controls) == ["Least Privilege", "Memory Safety Tools"]
    assert "AddressSanitizer" in (next(c for c in model.controls if c.title == "Memory Safety Tools").description or "")
