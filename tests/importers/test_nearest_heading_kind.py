"""A table's kind is said most by the heading nearest it. "## Components" with "ID | Name | Type" under the document
title "Pump threat model" made the two components threats (Type read as STRIDE): the title's "threat" weighed as
much as the nearest heading's "Components"."""

from __future__ import annotations

from pathlib import Path

from tests.importers.import_helpers import load_text

DOC = (
    "# Pump threat model\n\n## {heading}\n\n| ID | Name | Type |\n|---|---|---|\n"
    "| E-1 | Pump | device |\n| E-2 | Drug library server | server |\n"
)


def test_a_component_table_under_a_threat_model_title_is_components(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, DOC.format(heading="Components"))
    assert model.threats == []
    assert [(e.id, e.name) for e in model.elements] == [("E-1", "Pump"), ("E-2", "Drug library server")]


def test_a_threat_table_under_the_same_title_stays_threats(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, DOC.format(heading="Threats"))
    assert [t.id for t in model.threats] == ["E-1", "E-2"] and model.elements == []


def test_threats_with_mitigations_under_a_controls_heading_stay_threats(tmp_path: Path) -> None:
    """The outer heading still counts, less: 'ID | Threat | Mitigation' rows are threats wherever they stand."""
    model, _report = load_text(
        tmp_path,
        "# Pump threat model\n\n## Security controls\n\n| ID | Threat | Mitigation |\n|---|---|---|\n"
        "| T-1 | Spoofed server | Mutual TLS |\n",
    )
    assert [t.title for t in model.threats] == ["Spoofed server"]
    assert [c.title for c in model.controls] == ["Mutual TLS"]
