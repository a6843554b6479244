"""A threat written as one-line fields ("**STRIDE:** Spoofing", "**Target:** Pump"), a blank line, then its text:
the paragraph is the threat's description. It had been read as more of the target ("component 'An attacker spoofs
the pump …' matches no component", kept internal), and the published threat had no description."""

from __future__ import annotations

from pathlib import Path

from tests.importers.import_helpers import load_text, warning_messages

DOC = """# Pump threat model

## Components

| Component | Description |
|---|---|
| Pump | The infusion pump |

## Threats

### T-1 Spoofing of the pump

**STRIDE:** Spoofing
**Target:** Pump

An attacker spoofs the pump on the network.

**Mitigation:** Mutual TLS

A second paragraph about the mutual TLS set-up.
"""


def test_a_paragraph_after_one_line_fields_is_the_description(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, DOC)
    (threat,) = model.threats
    assert threat.description == "An attacker spoofs the pump on the network."
    assert threat.targets == ["pump"] and "targets" not in threat.extra
    assert not any("matches no component" in w for w in warning_messages(report))


def test_a_paragraph_after_a_mitigation_is_still_the_mitigation(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, DOC)
    (control,) = model.controls
    assert "A second paragraph about the mutual TLS set-up." in (control.description or "")


def test_a_label_alone_takes_the_paragraph_below(tmp_path: Path) -> None:
    text = DOC.replace("**Target:** Pump\n\nAn attacker", "**Target:** Pump\n\n**Description:**\n\nAn attacker")
    model, _report = load_text(tmp_path, text)
    assert model.threats[0].description == "An attacker spoofs the pump on the network."
