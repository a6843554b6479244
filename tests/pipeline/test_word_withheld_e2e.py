"""A Word threat model with a section set apart ("Confidential") and hidden text, built with the default
policy: the package holds the public threats, and no byte of it (zips opened, escapes undone) holds the
set-apart threat or the hidden text."""

from __future__ import annotations

from pathlib import Path

import docx
import yaml
from docx.shared import RGBColor

from mdptm.pipeline.build import build
from tests.pipeline.redteam_projects import where_found

HEADER = ["ID", "Threat", "Description", "STRIDE", "Component", "Status"]


def _table(doc: docx.document.Document, rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1 + len(rows), cols=len(HEADER))
    for c, h in enumerate(HEADER):
        table.cell(0, c).text = h
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            table.cell(r, c).text = v


def test_a_confidential_word_section_and_hidden_text_stay_out_of_the_package(tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    doc = docx.Document()
    doc.add_heading("Acme Pump threat model", 0)
    doc.add_heading("Threats", 1)
    _table(doc, [["T-1", "Spoofed pump", "An attacker on the network impersonates the pump.", "S", "Pump", "Open"]])
    para = doc.add_paragraph("The analysis follows STRIDE per element. ")
    white = para.add_run("Reviewer: the Quokkaline service account has no password.")
    white.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    doc.add_heading("Internal only – debug interface", 1)
    _table(doc, [["T-9", "Zephyrine backdoor", "The Zephyrine debug port 31337 accepts unsigned firmware.", "E", "Pump", "Open"]])
    doc.save(str(root / "tm.docx"))
    project = {
        "sources": ["tm.docx"],
        "product": {"name": "Acme Pump", "manufacturer": "Acme Medical", "model": "AP-1", "version": "1.0"},
        "document": {"version": "1.0", "date": "2026-03-01"},
    }
    (root / "mdptm.yaml").write_text(yaml.safe_dump(project), encoding="utf-8")
    out = tmp_path / "out"
    result = build(root, out, draft=True)  # draft: the open threats are this test's, not a review's concern
    assert result.exit_code == 0, result.warnings
    assert where_found(out, "impersonates the pump")
    for secret in ("Zephyrine", "31337", "Quokkaline"):
        assert not where_found(out, secret), (secret, where_found(out, secret))
    public = (out / "ptm.json").read_text(encoding="utf-8")
    assert '"T-1"' in public and '"T-9"' not in public
    report = (tmp_path / "out.internal" / "import-report.json").read_text(encoding="utf-8")
    assert "marks its section confidential" in report
    assert "hidden text left out" in report
