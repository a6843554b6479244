"""A mitigation text that argues a risk is acceptable ("We acknowledge that … but we note that", "Risk accepted: …")
says what is not done and why: it is kept as the threat's rationale, and no control is made of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.model.evidence import accepts_risk
from tests.importers.import_helpers import load_text

REGISTER = """ID,Threat,Mitigation,Status
T-1,Replay of bolus command over BLE,Risk accepted: the attack requires physical proximity,Open
T-2,Firmware tampering,Signed firmware images verified by the bootloader,Mitigated
T-3,Eavesdropping on the service port,"We acknowledge that the service port is unencrypted, but we note it sits inside the housing.",Open
T-4,Cloud outage,The residual risk is considered acceptable because the pump works offline.,Accepted
T-5,Flooding the gateway,Rate limiting keeps the risk low.,Mitigated
"""


def test_register_acceptance_reasoning_is_the_threats_rationale(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, REGISTER, "register.csv")
    by_id = {t.id: t for t in model.threats}
    assert [c.title for c in model.controls] == ["Signed firmware images verified by the bootloader", "Rate limiting keeps the risk low"]
    for tid in ("T-1", "T-3", "T-4"):
        assert by_id[tid].controls == []
        assert by_id[tid].rationale
    assert by_id["T-3"].rationale == "We acknowledge that the service port is unencrypted, but we note it sits inside the housing."
    assert sum("kept as the threat's rationale, not made a control" in w.message for w in report.warnings) == 3


MARKDOWN = """# BLE pump threat model

## Relaying advertisements

**Concern**

An adversary could relay the pump's BLE advertisements to a distant phone.

**Mitigations and considerations**

We acknowledge that a sophisticated adversary could relay advertisements but we note that:

* the attack needs high-powered antennas close to the patient;
* pairing still requires the code shown on the pump screen.

## Replayed bolus command

**Concern**

An adversary could replay a captured bolus command.

**Mitigations**

Every command carries a counter and a MAC checked by the pump.
"""


def test_markdown_acceptance_reasoning_is_the_threats_rationale(tmp_path: Path) -> None:
    text = MARKDOWN.replace(
        "We acknowledge that a sophisticated adversary could relay advertisements but we note that:\n\n"
        "* the attack needs high-powered antennas close to the patient;\n"
        "* pairing still requires the code shown on the pump screen.\n",
        "We acknowledge that a sophisticated adversary could relay advertisements but we note that the attack needs "
        "high-powered antennas close to the patient.\n",
    )
    model, report = load_text(tmp_path, text)
    by_title = {t.title: t for t in model.threats}
    relay, replay = by_title["Relaying advertisements"], by_title["Replayed bolus command"]
    assert relay.controls == [] and "high-powered antennas" in (relay.rationale or "")
    assert len(replay.controls) == 1 and len(model.controls) == 1
    assert any("argues that the risk is acceptable" in w.message for w in report.warnings)


def test_acceptance_reasoning_that_lists_items_is_a_control(tmp_path: Path) -> None:
    """ "… but we note that:" over items that are measures ("pairing still requires the code shown on the pump
    screen"): the block is a control, as its author wrote it under "Mitigations", with a warning to check it."""
    model, report = load_text(tmp_path, MARKDOWN)
    by_title = {t.title: t for t in model.threats}
    relay = by_title["Relaying advertisements"]
    assert len(relay.controls) == 1 and len(model.controls) == 2
    control = next(c for c in model.controls if c.id == relay.controls[0])
    assert "pairing still requires the code shown on the pump screen" in (control.description or "")
    assert any("opens by arguing that the risk is acceptable" in w.message for w in report.warnings)


@pytest.mark.parametrize(
    "text",
    [
        "Signed firmware images verified by the bootloader",
        "Rate limiting keeps the risk low.",
        "The risk is low because TLS 1.3 encrypts all traffic",  # a measure given as the reason
        "We acknowledge receipt of vulnerability reports within 2 days.",
        "Network segmentation reduces the risk to low if the hospital applies it",
    ],
)
def test_a_measure_is_no_acceptance(text: str) -> None:
    assert accepts_risk(text) is None
