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


# -- threats as "#### THREAT-001: title" headings over bold fields and a "**Mitigations**:" list whose every item
# carries its own mark ("✅" in place, "⚠️ TODO:" to do); a risk matrix keyed by the same "THREAT-001" ids

_MARKED_MEASURES = (
    "# Threat Model - Scheduling Assistant\n\n## Threat Analysis\n\n### 1. Authentication Threats\n\n"
    "#### THREAT-001: Stolen Refresh Token\n**Category**: Spoofing\n**Description**: Someone copies a user's refresh token\n\n"
    "**Likelihood**: Medium\n**Impact**: Critical\n\n**Mitigations**:\n"
    "- ✅ Tokens kept on the server only\n- ✅ Tokens encrypted in the database\n- ⚠️ TODO: Rotate the token on every use\n\n"
    "**Residual Risk**: Low\n\n---\n\n"
    "#### THREAT-002: Guessed Logins\n**Category**: Spoofing\n**Description**: Someone tries many passwords\n\n"
    "**Likelihood**: High\n**Impact**: High\n\n**Mitigations**:\n"
    "- ✅ Sign-in through the identity provider only\n- ⚠️ TODO: Rate limit the sign-in endpoint\n"
    "  - Public: 10 tries a minute per IP\n  - Signed in: 100 a minute\n- ⚠️ TODO: Alert on many failures\n\n"
    "**Residual Risk**: Medium\n\n"
    "## Risk Matrix\n\n| Threat ID | Threat | Likelihood | Impact | Risk Score | Priority |\n|---|---|---|---|---|---|\n"
    "| THREAT-001 | Stolen Refresh Token | Medium | Critical | 12 | P0 |\n| THREAT-002 | Guessed Logins | High | High | 12 | P0 |\n"
)


def test_a_heading_id_written_in_capitals_is_kept_so_the_risk_matrix_joins_it(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _MARKED_MEASURES):
        # before: the headings gave T-001, T-002 and the matrix THREAT-001, THREAT-002: four threats
        assert [t.id for t in model.threats] == ["THREAT-001", "THREAT-002"]
        assert model.threats[0].extra.get("Priority") == "P0"
        assert reconciles(report)


def test_each_measure_marked_with_its_own_status_is_a_control(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _MARKED_MEASURES):
        # before: one control per list, titled by its first item and in place, its "TODO" items with it
        by_id = {c.id: c for c in model.controls}
        first = [by_id[c] for c in model.threats[0].controls]
        assert [(c.title, c.status) for c in first] == [
            ("Tokens kept on the server only", "implemented"),
            ("Tokens encrypted in the database", "implemented"),
            ("Rotate the token on every use", "planned"),
        ]
        second = [by_id[c] for c in model.threats[1].controls]
        assert [c.status for c in second] == ["implemented", "planned", "planned"]
        assert second[1].description == "Rate limit the sign-in endpoint\nPublic: 10 tries a minute per IP\nSigned in: 100 a minute"
        assert len(model.controls) == 6
        assert reconciles(report)


def test_a_public_label_under_a_measure_is_the_measure_words_not_the_threat_marking(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _MARKED_MEASURES):
        # before (Word): "Public: 10 tries a minute per IP" was read as the threat's sensitivity ("… per IP" as a
        # trade secret), so the threat was withheld, and the measures below it went into its description
        assert [t.sensitivity for t in model.threats] == ["public", "public"]
        assert (model.threats[1].description or "").startswith("Someone tries many passwords")
        assert "Alert on many failures" not in (model.threats[1].description or "")


def test_a_list_of_measures_without_marks_stays_one_control(tmp_path: Path) -> None:
    text = _MARKED_MEASURES.replace("✅ ", "").replace("⚠️ TODO: ", "")
    for model, report in _both(tmp_path, text):
        assert len(model.controls) == 2
        assert all(len(t.controls) <= 1 for t in model.threats)
        assert reconciles(report)
