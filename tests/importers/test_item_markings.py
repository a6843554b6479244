"""A threat written as a Markdown or Word section (a heading, then labelled fields), or a register row, that its
author marked as not for publication — a "Sensitivity:" field, another field whose whole value is a marking
("Visibility: Internal only", "Handling: NDA only", "TLP:AMBER"), or its own heading or a heading above it
("(Confidential)", "## Internal only") — is never published. Before, every one of them was published: the field
went to ``extra`` or the description, and the heading was read only above tables or items under it."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.pipeline.build import build
from tests.importers.import_helpers import run_import, warnings_with
from tests.redaction.leak_helpers import holds, package_text

DOC = """\
# Pump threat model (Confidential)

## Threats

### T-1 Spoofed drug library server

**Description:** An attacker impersonates the library server to push a forged drug library.
**Mitigation:** Libraries are signed with the maker's key and verified on the pump.

### T-2 Zephyrine debug header access

**Sensitivity:** Confidential
**Description:** The Zephyrine service header on the main board gives a root shell.
**Mitigation:** The Zephyrine header is fused off at end of line.

### T-3 Wobbegong console replay (Confidential)

**Description:** Replay of wobbegong console commands over the service USB link.
**Mitigation:** Console commands carry a per-session nonce.

### T-4 Quokka telemetry leak

**TLP:** RED
**Description:** The quokka telemetry channel leaks unit serials.
**Mitigation:** Telemetry is encrypted with TLS 1.3.

### T-5 Numbat bootloader downgrade

**Publish:** No
**Description:** The numbat bootloader accepts an older signed image.
**Mitigation:** Anti-rollback counter in the secure element.

### T-6 Bilby cache exposure

**Visibility:** Internal only
**Description:** The bilby cache keeps patient names in clear text.
**Mitigation:** Bilby cache encryption with AES-256.

### T-8 Visible status page

**Visibility:** Low
**Sensitivity:** Public
**Description:** The status page shows the unit's uptime.
**Mitigation:** The status page needs a sign-in.

## Internal only

### T-7 Dingo maintenance tunnel

**Description:** The dingo tunnel stays open after service.
**Mitigation:** The dingo tunnel closes after 10 minutes.
"""

SECRETS = ["Zephyrine", "Wobbegong", "Quokka", "Numbat", "Bilby", "Dingo"]


def test_marked_threats_are_read_as_not_public(tmp_path: Path) -> None:
    path = tmp_path / "tm.md"
    path.write_text(DOC, encoding="utf-8")
    model, report = run_import(path)
    got = {t.id: t.sensitivity for t in model.threats}
    assert got == {
        "T-1": "public",  # the document's title "(Confidential)" is a cover marking: it marks nothing
        "T-2": "confidential",
        "T-3": "confidential",
        "T-4": "confidential",  # a TLP colour is no publication
        "T-5": "confidential",
        "T-6": "confidential",
        "T-7": "confidential",
        "T-8": "public",  # "Visibility: Low" is no marking; "Sensitivity: Public" is stated
    }
    assert warnings_with(report, "'Visibility' reads 'Internal only'")
    assert warnings_with(report, "under the heading 'Internal only'")


def test_a_build_publishes_none_of_them(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "tm.md").write_text(DOC, encoding="utf-8")
    (project / "mdptm.yaml").write_text(
        "sources: [tm.md]\nproduct: {name: Pump, manufacturer: Maker}\ndocument: {version: '1.0'}\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    result = build(project, out, draft=True)
    assert result.exit_code == 0, result.warnings
    text = package_text(out)
    for word in SECRETS:
        assert not holds(text, word), word
    assert holds(text, "Spoofed drug library server")


@pytest.mark.parametrize("heading", ["# Threats", "# Pump threat model"])
def test_an_unmarked_document_stays_public(tmp_path: Path, heading: str) -> None:
    path = tmp_path / "tm.md"
    text = DOC.replace("# Pump threat model (Confidential)", heading)
    path.write_text(text, encoding="utf-8")
    model, _ = run_import(path)
    assert {t.id for t in model.threats if t.sensitivity == "public"} == {"T-1", "T-8"}


def _word(path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_heading("Pump threat model", 0)
    d.add_heading("Threats", 1)

    def threat(heading: str, fields: list[tuple[str, str]]) -> None:
        d.add_heading(heading, 2)
        for k, v in fields:
            p = d.add_paragraph()
            p.add_run(k + ": ").bold = True
            p.add_run(v)

    threat("T-1 Spoofed drug library server", [("Description", "A forged server."), ("Mitigation", "Signed libraries.")])
    threat("T-3 Wobbegong console replay (Confidential)", [("Description", "Replay of wobbegong commands."), ("Mitigation", "Nonces.")])
    threat("T-4 Quokka telemetry leak", [("Classification", "TLP:AMBER"), ("Description", "Quokka leaks serials."), ("Mitigation", "TLS.")])
    threat("T-6 Bilby cache exposure", [("Visibility", "Internal only"), ("Description", "Bilby keeps names."), ("Mitigation", "AES.")])
    threat("T-7 Status page", [("Access", "Restricted"), ("Description", "The status page shows uptime."), ("Mitigation", "Sign-in.")])
    d.add_heading("Register", 1)
    table = d.add_table(rows=1, cols=5)
    for c, h in zip(table.rows[0].cells, ["ID", "Threat", "STRIDE", "Mitigation", "Handling"], strict=True):
        c.text = h
    for row in [
        ["T-10", "Spoofed gateway", "S", "Mutual TLS", ""],
        ["T-11", "Numbat bootloader downgrade", "T", "Anti-rollback", "NDA only"],
        ["T-12", "Dingo tunnel left open", "E", "Tunnel timeout", "TLP:RED"],
    ]:
        for c, v in zip(table.add_row().cells, row, strict=True):
            c.text = v
    d.save(str(path))


def test_word_threats_marked_by_heading_or_field_are_not_public(tmp_path: Path) -> None:
    """Word: a threat's own heading "(Confidential)" marked only the items under it, not the threat; a field
    "Classification: TLP:AMBER", "Visibility: Internal only" or a register column "Handling: NDA only" was
    published. "Access: Restricted" describes access, not publication."""
    path = tmp_path / "tm.docx"
    _word(path)
    model, report = run_import(path)
    got = {t.id: t.sensitivity for t in model.threats}
    assert got == {
        "T-1": "public",
        "T-3": "confidential",
        "T-4": "confidential",
        "T-6": "confidential",
        "T-7": "public",
        "T-10": "public",
        "T-11": "confidential",
        "T-12": "confidential",
    }
    assert warnings_with(report, "'Handling' reads 'NDA only'")


def test_a_data_classification_withholds_nothing(tmp_path: Path) -> None:
    """An asset register's 'Classification | Confidential' or a threat's 'Data classification: Confidential'
    classes the data: the asset (patient records) and the threat stay public. A TLP colour still withholds."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Assets"
    ws.append(["ID", "Asset", "Type", "Classification"])
    ws.append(["A-1", "Patient records", "PHI", "Confidential"])
    ws.append(["A-2", "Pump logs", "Log", "TLP:AMBER"])
    threats = wb.create_sheet("Threats")
    threats.append(["ID", "Threat", "STRIDE", "Component", "Mitigation", "Data classification"])
    threats.append(["T-1", "Records read off the server", "I", "Server", "Encryption at rest", "Confidential"])
    path = tmp_path / "reg.xlsx"
    wb.save(path)
    model, _ = run_import(path)
    assert {a.id: a.sensitivity for a in model.assets} == {"A-1": "public", "A-2": "confidential"}
    assert {t.id: t.sensitivity for t in model.threats} == {"T-1": "public"}


def test_markdown_control_headings_marked_are_withheld(tmp_path: Path) -> None:
    """A control written as a heading ('### C-2 Ocelot key ladder') with '**Sensitivity:** Trade secret' was
    published with its text: the control reader kept only a status and threat links of its fields."""
    doc = (
        "# Pump threat model\n\n## Threats\n\n| ID | Threat | STRIDE | Component | Controls |\n|---|---|---|---|---|\n"
        "| T-1 | Spoofed server | S | Pump | C-1, C-2 |\n\n## Controls\n\n### C-1 Mutual TLS\n\n"
        "**Description:** The pump and server authenticate each other.\n\n### C-2 Ocelot key ladder\n\n"
        "**Sensitivity:** Trade secret\n**Description:** The ocelot key ladder derives session keys.\n\n"
        "### C-3 Quoll tamper switch\n\n**Visibility:** Internal only\n**Description:** The quoll switch zeroises keys.\n"
    )
    path = tmp_path / "tm.md"
    path.write_text(doc, encoding="utf-8")
    model, _ = run_import(path)
    got = {c.id: c.sensitivity for c in model.controls}
    assert got == {"C-1": "public", "C-2": "trade_secret", "C-3": "confidential"}
    assert next(c for c in model.controls if c.id == "C-3").extra == {"Visibility": "Internal only"}
