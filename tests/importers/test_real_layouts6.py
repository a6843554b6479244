"""Layouts of real threat models written by other people (tests/data/markdown-real/SOURCES.md, "round 8"), each as
a short excerpt in the same shape, read alike in Markdown and in Word (tests/importers/md_word.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.errors import InputError
from tests.importers.import_helpers import checked_import, load_text
from tests.importers.md_word import word_from_markdown


def _both(tmp_path: Path, text: str) -> list:
    """The model of *text* read as Markdown and as the same text in Word."""
    md = load_text(tmp_path, text)
    word = checked_import(word_from_markdown(text, tmp_path / "tm.docx"))
    return [md, word]


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
