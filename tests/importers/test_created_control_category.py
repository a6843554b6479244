"""A control made of a threat's mitigation cell takes the FDA category its title plainly states, as a control row with no
category column does: "Input validation" is an integrity control, "Implement audit trail" an event logging one. Before,
every such control was "other", and the flexycode HMS model (countermeasure table) left FDA control.integrity and
control.event_logging and CRA I.2.l a gap though it lists both."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.importers.tabular.vocab import parse_choice, vocabulary
from mdptm.mapping.engine import map_model
from tests.importers.import_helpers import checked_import as load

DATA = Path(__file__).resolve().parent.parent / "data" / "markdown-real"

DOC = """# Pump gateway threat model

| Threat ID | Threat | Risk Level | Countermeasure |
|-----------|--------|------------|----------------|
| T1 | Unprotected registration | Critical | Protect with admin authentication |
| T2 | Injection | High | Input validation |
| T3 | No audit logging | Medium | Implement audit trail |
| T4 | Open CORS | Medium | Restrict origins |
"""


def test_a_control_made_of_a_mitigation_cell_takes_the_category_of_its_title(tmp_path: Path) -> None:
    src = tmp_path / "tm.md"
    src.write_text(DOC, encoding="utf-8")
    model, _ = load(src)
    got = {c.title: c.category for c in model.controls}
    assert got == {
        "Protect with admin authentication": "authentication",
        "Input validation": "integrity",
        "Implement audit trail": "event_logging",
        "Restrict origins": "other",  # no category word: stays other
    }
    assert all(not c.status_stated for c in model.controls)  # the status is still not stated


def test_flexycode_countermeasures_answer_the_control_clauses_in_part() -> None:
    model, _ = load(DATA / "flexycode-hms-threat-modeling.md")
    by_title = {c.title: c for c in model.controls}
    assert by_title["Input validation"].category == "integrity"
    assert by_title["Implement audit trail"].category == "event_logging"
    results = {fw.id: {c.id: c for c in fw.clauses} for fw in map_model(model).frameworks}
    for fw, clause, title in (
        ("fda-premarket", "control.integrity", "Input validation"),
        ("fda-premarket", "control.event_logging", "Implement audit trail"),
        ("cra-annex-i", "I.2.l", "Implement audit trail"),
    ):
        got = results[fw][clause]
        # listed as a mitigation with no status: partial, and the rationale asks to confirm it is implemented; an
        # instruction ("Implement audit trail") is read as planned, which these clauses take as partial
        assert got.status == "partial" and by_title[title].id in got.evidence, (fw, clause, got.rationale)
        assert ("planned" if title.startswith("Implement") else "no source states") in got.rationale


def test_the_report_names_the_categories_taken_from_titles(tmp_path: Path) -> None:
    src = tmp_path / "tm.md"
    src.write_text(DOC, encoding="utf-8")
    model, report = load(src)
    ids = [c.id for c in model.controls if c.category != "other"]
    said = [w.message for w in report.warnings if "categories taken from the titles of controls made of mitigation text" in w.message]
    assert said == [
        f"no control category stated: 3 categories taken from the titles of controls made of mitigation text ({', '.join(ids)}); check them"
    ]


@pytest.mark.parametrize(
    ("title", "category"),
    [
        # the verb names the measure as plainly as the noun (Kubernetes admission control M-3, Azure IoT, ESP32 HomeKit)
        ("Webhook authenticates callers", "authentication"),
        ("Authenticating the Field gateway to Cloud Gateway (such as cert based, PSK, or Claim based.)", "authentication"),
        ("Encrypt sensitive data", "cryptography"),
        ("encrypted transport", "cryptography"),
        ("Enforce an encrypted connection at the DB server", "cryptography"),
        # two categories named equally stay unread (other), never the wrong one
        ("Encrypt logs to protect sensitive information", None),
    ],
)
def test_category_words_in_a_title(title: str, category: str | None) -> None:
    assert parse_choice(vocabulary(), "control_category", title).value == category
