"""Layouts of real threat models written by other people (tests/data/markdown-real/SOURCES.md, "round 14"), each as
a short paraphrased excerpt in the same shape, read alike in Markdown and in Word (tests/importers/md_word.py)."""

from __future__ import annotations

from pathlib import Path

from mdptm.model import Control, Model
from tests.importers.import_helpers import warning_messages
from tests.importers.md_word import both as _both


def _control(model: Model, cid: str) -> Control:
    return next(c for c in model.controls if c.id == cid)


# -- "## Abuse Cases" over "| Case | Control |": the first column names the abuse cases whatever it is called

_ABUSE_CASES = (
    "# Hosted API Threat Model\n\n## Assets\n\n- Access tokens.\n- Audit metadata.\n\n## Abuse Cases\n\n"
    "| Case | Control |\n| --- | --- |\n"
    "| Unpaid user calls the hosted tools | entitlement checked at grant and at each call |\n"
    "| Revoked client keeps its refresh token | grant revoked on the server |\n"
    "| Token replayed against another service | audience validation |\n"
)


def test_a_case_column_under_an_abuse_cases_heading_lists_threats(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _ABUSE_CASES):
        # before: "no threat-model table recognised" (0 threats), the three cases lost
        assert [t.title for t in model.threats] == [
            "Unpaid user calls the hosted tools",
            "Revoked client keeps its refresh token",
            "Token replayed against another service",
        ]
        assert [[_control(model, c).title for c in t.controls] for t in model.threats] == [
            ["entitlement checked at grant and at each call"],
            ["grant revoked on the server"],
            ["audience validation"],
        ]
        assert any("unsure of table" in w for w in warning_messages(report))


def test_a_case_column_under_another_heading_is_still_no_threat_table(tmp_path: Path) -> None:
    text = _ABUSE_CASES.replace("## Abuse Cases", "## Test cases")
    for model, _report in _both(tmp_path, text):
        assert model.threats == []
