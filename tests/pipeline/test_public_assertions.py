"""A clause the maker confirmed is published as confirmed (SPEC §4, docs/mapping.md), and what the
assertion says passes through redaction like model text: no term, no left-out threat id, no person the
policy keeps out reaches the package through the coverage tables."""

from __future__ import annotations

import json
from pathlib import Path

from mdptm.pipeline.build import build
from tests.pipeline.redteam_projects import TERM, project, where_found

ASSERTION = {
    "framework": "cra-annex-ii",
    "clause": "2",
    "evidence": ["T-99", "PSIRT-PLAN-7", "VA-2026-04"],  # VA-2026-04 looks like a ticket: cited, so published
    "rationale": f"The {TERM} PSIRT process answers reports within 5 days (see T-99).",
    "by": "Quentin Ashgrove, Head of Product Security",
    "date": "2026-04-02",
}


def test_confirmed_clause_reaches_the_package_scrubbed(tmp_path: Path) -> None:
    root = project(tmp_path / "p", frameworks=["cra-annex-ii"], assertions=[ASSERTION])
    out = tmp_path / "out"
    result = build(root, out)
    assert result.exit_code == 0, result.warnings
    # the public coverage holds the confirmation
    assert where_found(out, "Confirmed by the maker"), "the package does not show the confirmed clause"
    assert where_found(out, "PSIRT-PLAN-7")
    assert where_found(out, "VA-2026-04")
    assert where_found(out, "answers reports within 5 days")
    # ... and nothing redaction keeps out
    for secret in (TERM, "T-99", "Zephyrine"):
        assert not where_found(out, secret), (secret, where_found(out, secret))
    internal = json.loads((tmp_path / "out.internal" / "coverage.json").read_text())
    clause = next(c for f in internal["frameworks"] for c in f["clauses"] if f["id"] == "cra-annex-ii" and c["id"] == "2")
    assert clause["confirmed"]["evidence"] == ["T-99", "PSIRT-PLAN-7", "VA-2026-04"]  # the internal report keeps it whole


def test_an_assertion_resting_only_on_a_withheld_threat_names_nothing(tmp_path: Path) -> None:
    only = {**ASSERTION, "evidence": ["T-99"], "rationale": "Reviewed."}
    root = project(tmp_path / "p", frameworks=["cra-annex-ii"], assertions=[only])
    out = tmp_path / "out"
    assert build(root, out).exit_code == 0
    assert where_found(out, "Confirmed by the maker")
    assert not where_found(out, "T-99")
