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
