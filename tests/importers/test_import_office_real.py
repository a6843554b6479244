"""Real Word and Excel threat models by other authors (../shared/corpus/office-real): hand-counted truth.

The truth is in ../shared/corpus/SOURCES.md. Skipped where ../shared is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CORPUS
from tests.importers.import_helpers import reconciles, run_import

OFFICE = CORPUS / "office-real"


def _file(name: str) -> Path:
    path = OFFICE / name
    if not path.exists():
        pytest.skip(f"{path} not present")
    return path


def test_uptane_tara_threats_merged_over_impact_rows() -> None:
    model, report = run_import(_file("uptane-threat-analysis.xlsx"))
    assert len(model.threats) == 17
    assert len(model.assets) == 32
    assert len(model.elements) == 13
    assert not any(t.title.startswith("Threat ") for t in model.threats)
    titles = [t.title for t in model.threats]
    assert titles.count("Eavesdrop Attack") == 3  # three components, three threats
    # Each threat's four impact rows (Safety/Financial/Operational/Privacy) joined it.
    merged = [r for r in report.records if r.disposition == "merged"]
    assert len(merged) == 17 * 3
    assert all(t.targets and t.assets for t in model.threats)
    assert reconciles(report)


def test_acme_risk_register_keeps_the_stated_level() -> None:
    model, report = run_import(_file("acme-health-risk-register.xlsx"))
    assert len(model.threats) == 10
    assert len(model.controls) == 10  # one treatment per risk
    assert len(model.assets) == 10  # the first row's asset included
    assert "Microsoft 365" in {a.name for a in model.assets}
    levels = {t.id: t.risk.level for t in model.threats if t.risk}
    assert levels["R-001"] == "high"  # stated "High", although 5 x 5 = 25
    assert levels["R-007"] == "medium"
    assert sum(1 for lv in levels.values() if lv == "high") == 7  # as the file's own dashboard counts
    assert reconciles(report)


def test_aws_template_empty_rows_are_not_records() -> None:
    model, report = run_import(_file("aws-timeshift-threat-model.docx"))
    assert [t.id for t in model.threats] == ["T-001", "T-002"]
    ids = [c.id for c in model.controls]
    assert "M-001" in ids and "M-002" in ids
    assert len([i for i in ids if i.startswith("BSC")]) == 39
    assert len(model.controls) == 41
    assert len(model.assets) == 4
    template = [r for r in report.records if r.disposition == "skipped" and "empty template row" in (r.reason or "")]
    assert len([r for r in template if "threat" in (r.reason or "")]) == 28
    assert len([r for r in template if "control" in (r.reason or "")]) == 18
    assert not any(t.title.startswith("Threat ") for t in model.threats)
    assert not any(c.title.startswith("Control ") for c in model.controls)
    assert reconciles(report)


def test_ecommerce_tables_are_no_threats() -> None:
    """Its trust-level (user role) and STRIDE-definition tables are not threats; its threats are bullet
    lists, not tables."""
    model, report = run_import(_file("ecommerce-threat-modeling.docx"))
    from_tables = [t for t in model.threats if t.source and (t.source.locator or "").startswith("table ")]
    assert from_tables == []
    assert not any(c.source and (c.source.locator or "").startswith("table 4 ") for c in model.controls)  # exit points
    reasons = {r.locator.split(" row")[0]: r.reason for r in report.records if r.disposition == "skipped"}
    assert "STRIDE definitions" in (reasons.get("table 8") or "")
    assert reconciles(report)


@pytest.mark.parametrize(
    "name",
    ["uptane-threat-analysis.xlsx", "acme-health-risk-register.xlsx", "aws-timeshift-threat-model.docx", "ecommerce-threat-modeling.docx"],
)
def test_pinned_profile_reads_each_file_the_same(name: str) -> None:
    """`mdptm inspect --write-profile` pins every guess: read with it, each real file gives the same items."""
    from mdptm.pipeline.inspection import inspect_file, profile_for

    path = _file(name)
    plain, _ = run_import(path)
    pinned, _ = run_import(path, profile=profile_for(inspect_file(path)))
    for coll in ("threats", "controls", "assets", "elements"):
        assert [i.id for i in getattr(pinned, coll)] == [i.id for i in getattr(plain, coll)], coll
