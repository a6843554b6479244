"""Tables whose rows each start with a STRIDE category: one threat per row, or definitions (no threat).

Shapes met in real documents: a diabetes-management system's security plan ("Threat Type | Example |
Mitigation", one row per category) and an edge-sensing system's "Threat | Example" table; tutorials hold
the same shape with definitions ("Threat | Violates | Question").
"""

from __future__ import annotations

from pathlib import Path

from docx import Document

from tests.importers.import_helpers import reconciles, run_import

STRIDE_ROWS = [
    ("Spoofing", "Attacker impersonates user", "MFA, certificate pinning"),
    ("Tampering", "Modify insulin commands", "HMAC, TLS, code signing"),
    ("Repudiation", "User denies action", "Audit logging"),
    ("Information Disclosure", "Data breach", "Encryption, access control"),
    ("Denial of Service", "DDoS attack", "Rate limiting"),
    ("Elevation of Privilege", "Attacker gains admin access", "RBAC, least privilege"),
]
CATEGORIES = ["spoofing", "tampering", "repudiation", "information_disclosure", "denial_of_service", "elevation_of_privilege"]


def _md(tmp_path: Path, header: list[str], rows: list[tuple[str, ...]]) -> Path:
    lines = ["# Security plan", "", "## 2.4 STRIDE Analysis", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join((f"**{r[0]}**", *r[1:])) + " |" for r in rows]
    path = tmp_path / "plan.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_threat_type_example_mitigation_is_one_threat_per_category(tmp_path: Path) -> None:
    model, report = run_import(_md(tmp_path, ["Threat Type", "Example", "Mitigation"], STRIDE_ROWS))
    assert [(t.title, t.stride) for t in model.threats] == [(r[1], [c]) for r, c in zip(STRIDE_ROWS, CATEGORIES, strict=True)]
    assert [c.title for c in model.controls][:2] == ["MFA, certificate pinning", "HMAC, TLS, code signing"]
    assert all(t.controls for t in model.threats)
    assert reconciles(report)


def test_threat_example_rows_are_threats_and_no_component_is_invented(tmp_path: Path) -> None:
    model, report = run_import(_md(tmp_path, ["Threat", "Example"], [r[:2] for r in STRIDE_ROWS]))
    assert [(t.title, t.stride) for t in model.threats] == [(r[1], [c]) for r, c in zip(STRIDE_ROWS, CATEGORIES, strict=True)]
    assert model.elements == []  # "Example" is a column, not a component
    assert reconciles(report)


def test_the_same_shape_in_word(tmp_path: Path) -> None:
    doc = Document()
    doc.add_heading("STRIDE analysis", 1)
    table = doc.add_table(rows=1 + len(STRIDE_ROWS), cols=2)
    for r, row in enumerate([("Threat", "Example"), *[x[:2] for x in STRIDE_ROWS]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    path = tmp_path / "tm.docx"
    doc.save(str(path))
    model, _report = run_import(path)
    assert [t.stride for t in model.threats] == [[c] for c in CATEGORIES]
    assert model.threats[1].title == "Modify insulin commands"


def test_definitions_in_the_same_shape_are_no_threats(tmp_path: Path) -> None:
    rows = [
        (name, prop, "Can someone do it?")
        for name, prop in zip(
            [r[0] for r in STRIDE_ROWS],
            ["Authentication", "Integrity", "Non-repudiation", "Confidentiality", "Availability", "Authorization"],
            strict=True,
        )
    ]
    path = _md(tmp_path, ["Threat", "Violates", "Question"], rows)
    text = (
        path.read_text(encoding="utf-8")
        + "\n## Threats\n\n| ID | Threat | STRIDE |\n|---|---|---|\n| T-1 | Pump firmware replaced over USB | T |\n"
    )
    path.write_text(text, encoding="utf-8")
    model, _report = run_import(path)
    assert [t.id for t in model.threats] == ["T-1"]


def test_a_glossary_with_an_example_column_stays_a_glossary(tmp_path: Path) -> None:
    text = (
        "# TM\n\n## 1. Background\n\n| Term | Definition | Example |\n|---|---|---|\n"
        "| PHI | Protected health information | A glucose log |\n"
        "\n## Threats\n\n| ID | Threat | STRIDE |\n|---|---|---|\n| T-1 | Pump firmware replaced over USB | T |\n"
    )
    path = tmp_path / "tm.md"
    path.write_text(text, encoding="utf-8")
    model, report = run_import(path)
    assert [t.id for t in model.threats] == ["T-1"]
    assert any(r.reason == "glossary table (not threat-model content)" for r in report.records)
