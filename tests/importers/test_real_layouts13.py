"""Layouts of real threat models written by other people (tests/data/markdown-real/SOURCES.md, "round 13"), each as
a short paraphrased excerpt in the same shape, read alike in Markdown and in Word (tests/importers/md_word.py)."""

from __future__ import annotations

from pathlib import Path

from tests.importers.import_helpers import reconciles, warning_messages
from tests.importers.md_word import both as _both

# -- "Boundary | Protected asset | Threat | Mitigation | Residual risk": each threat placed on the boundary it crosses
# ("CI store → runner"); the residual risk said in a sentence

_BOUNDARY_THREATS = (
    "# Security Policy\n\n## Threat Model\n\n### Trust boundaries and failure modes\n\n"
    "| Boundary | Protected asset | Threat | Mitigation | Residual risk |\n|---|---|---|---|---|\n"
    "| Source repo → build runner | Build scripts | A poisoned dependency changes the build | Pinned versions, read-only checkout |"
    " A taken-over repository can still change the build |\n"
    "| Secret store → job | Broker keys | Keys leak or are misused | Keys injected at run time; none in the source |"
    " A taken-over runner can still read the injected keys |\n"
    "| Feed → pricing engine | Decisions | Stale or forged prices | Freshness and range checks |"
    " No check proves that an outside feed tells the truth |\n"
)


def test_a_threat_table_whose_first_column_names_boundaries_is_no_flow_table(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _BOUNDARY_THREATS):
        # before: read as a flow table (three flows, six components), no threat at all
        assert [t.title for t in model.threats] == [
            "A poisoned dependency changes the build",
            "Keys leak or are misused",
            "Stale or forged prices",
        ]
        assert [len(t.controls) for t in model.threats] == [1, 1, 1]
        assert model.flows == []
        assert model.threats[0].extra.get("Boundary") == "Source repo → build runner"
        assert reconciles(report)


def test_a_residual_risk_said_in_sentences_is_not_the_threat_description(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _BOUNDARY_THREATS):
        first = model.threats[0]
        # before: "A taken-over repository can still change the build" was the threat's description
        assert not first.description
        assert first.extra.get("Residual risk") == "A taken-over repository can still change the build"
        assert first.residual_risk is None
        assert any("Residual risk" in w and "what remains after the mitigation" in w for w in warning_messages(report))


def test_a_residual_risk_column_of_levels_is_still_the_residual_risk(tmp_path: Path) -> None:
    text = (
        "# Auth spec\n\n## Threat model table\n\n| Threat ID | Asset | Threat | Mitigation | Residual risk |\n|---|---|---|---|---|\n"
        "| TH-01 | signing key | key written in the code | key from the environment only | low |\n"
        "| TH-02 | password | offline guessing after a leak | slow hash | medium (acceptable) |\n"
    )
    for model, report in _both(tmp_path, text):
        assert [t.residual_risk.level if t.residual_risk else None for t in model.threats] == ["low", "medium"]
        assert reconciles(report)
