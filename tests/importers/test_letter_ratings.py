"""A threat table that rates each threat in one-letter columns ("L (1-5)" | "S (1-5)", ISO 14971's "S" | "P") is
read for its likelihood and severity; the two columns had been left in extra, the threats unrated. Never a STRIDE
checklist's letters (S | T | R | I | D | E), never columns of words."""

from __future__ import annotations

from pathlib import Path

from tests.importers.import_helpers import load_text, warning_messages


def test_l_and_s_columns_are_the_likelihood_and_the_severity(tmp_path: Path) -> None:
    model, report = load_text(
        tmp_path,
        "## Threat register\n\n| ID | Threat Scenario | L (1-5) | S (1-5) | Mitigation |\n|---|---|---|---|---|\n"
        "| TR-1 | Attacker intercepts waveform data | 3 | 4 | TLS |\n"
        "| TR-2 | Firmware loaded through the service port | 2 | 5 | Signed firmware |\n",
    )
    assert [(t.risk.likelihood, t.risk.severity, t.risk.score) for t in model.threats if t.risk] == [("3", "4", 12.0), ("2", "5", 10.0)]
    assert any("'L (1-5)' and 'S (1-5)' read as the likelihood and the severity" in w for w in warning_messages(report))


def test_an_iso_14971_s_and_p_pair_is_read(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "## Hazard analysis\n\n| ID | Threat | S | P | Risk control |\n|---|---|---|---|---|\n"
        "| H-1 | Dose changed over the network | 5 | 2 | Signed commands |\n"
        "| H-2 | Alarm silenced remotely | 4 | 3 | Local confirmation |\n",
    )
    assert [(t.risk.severity, t.risk.likelihood) for t in model.threats if t.risk] == [("5", "2"), ("4", "3")]


def test_a_stride_checklist_is_no_rating(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "## Threats\n\n| ID | Threat | S | T | R | I | D | E |\n|---|---|---|---|---|---|---|---|\n"
        "| T-1 | Spoofed pump | 1 | 0 | 0 | 1 | 0 | 0 |\n| T-2 | Replayed order | 0 | 1 | 0 | 0 | 0 | 1 |\n",
    )
    assert all(t.risk is None or (t.risk.likelihood is None and t.risk.severity is None) for t in model.threats)


def test_letter_columns_of_words_are_no_rating(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "## Threats\n\n| ID | Threat | L | S | Mitigation |\n|---|---|---|---|---|\n"
        "| T-1 | Spoofed pump | Lab | Server | TLS |\n| T-2 | Replayed order | Ward | Pump | Nonces |\n",
    )
    assert all(t.risk is None or t.risk.likelihood is None for t in model.threats)
