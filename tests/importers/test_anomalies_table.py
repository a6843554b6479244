"""A table of unresolved anomalies (FDA V.A.5: software defects shipped with a security impact assessment)
sits in the same risk management report as the threat table and borrows its columns (CWE, impact,
justification); its rows are defects, never threats."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from tests.importers.import_helpers import checked_import as load
from tests.importers.import_helpers import load_text, skipped

THREATS = [
    ["T-1", "Attacker spoofs the mobile app over BLE", "Spoofing", "BLE LE Secure Connections pairing"],
    ["T-2", "Tampering with calibration data in transit", "Tampering", "AES-CCM with per-session keys"],
]
ANOMALIES = [["AN-12", "Log timestamp drifts after 30 days", "CWE-778", "Low: forensic ordering", "Accepted; fixed in 1.1"]]
ANOMALY_HEAD = ["Anomaly ID", "Description", "CWE", "Security impact", "Justification"]


def _md_table(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows]) + "\n"


def test_markdown_anomalies_are_no_threats(tmp_path: Path) -> None:
    text = (
        "# Risk management report\n\n## Threat analysis\n\n"
        + _md_table(["Threat ID", "Threat", "STRIDE", "Mitigation"], THREATS)
        + "\n## Unresolved anomalies\n\n"
        + _md_table(ANOMALY_HEAD, ANOMALIES)
    )
    model, report = load_text(tmp_path, text)
    assert [t.id for t in model.threats] == ["T-1", "T-2"]
    assert any("unresolved anomalies table" in s for s in skipped(report)), skipped(report)


@pytest.mark.parametrize("heading", ["Unresolved anomalies", "Software defects"])
def test_word_anomalies_are_no_threats(tmp_path: Path, heading: str) -> None:
    d = docx.Document()
    for title, head, rows in (
        ("Threat analysis", ["Threat ID", "Threat", "STRIDE", "Mitigation"], THREATS),
        (heading, ANOMALY_HEAD, ANOMALIES),
    ):
        d.add_heading(title, 2)
        t = d.add_table(rows=1, cols=len(head))
        for i, h in enumerate(head):
            t.rows[0].cells[i].text = h
        for r in rows:
            for i, v in enumerate(t.add_row().cells):
                v.text = r[i]
    path = tmp_path / "report.docx"
    d.save(str(path))
    model, report = load(path)
    assert [t.id for t in model.threats] == ["T-1", "T-2"]
    assert not any("drifts" in (c.title or "") for c in model.controls)
    assert any("unresolved anomalies table" in s for s in skipped(report)), skipped(report)
