"""Withheld means withheld: nothing redaction dropped, withheld or removed reaches any output byte."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import SAMPLES
from leak_helpers import holds, package_text

from mdptm.build import build

PUMP = SAMPLES / "infusion-pump"


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pump") / "out"
    result = build(PUMP, out)
    assert result.exit_code == 0, result.warnings
    return out


def _dropped_items() -> list[dict[str, object]]:
    model = yaml.safe_load((PUMP / "model.yaml").read_text(encoding="utf-8"))
    policy = yaml.safe_load((PUMP / "redaction.yaml").read_text(encoding="utf-8"))
    items = []
    for coll in ("elements", "flows", "assets", "threats", "controls", "trust_zones"):
        items += [i for i in model.get(coll) or [] if i.get("sensitivity") in policy["drop"]]
    assert items
    return items


def test_review_findings_stay_internal(sample_build: Path) -> None:
    text = package_text(sample_build)
    assert not holds(text, "open review findings")
    internal = (sample_build.parent / "out.internal" / "review.json").read_text(encoding="utf-8")
    assert "T-051" in internal  # the maker's own report still names the open, withheld threat


def test_no_withheld_title_or_description_in_any_byte(sample_build: Path) -> None:
    text = package_text(sample_build)
    for item in _dropped_items():
        for field in ("title", "name", "description"):
            value = item.get(field)
            if isinstance(value, str):
                for chunk in (value[:30], value[-30:]):
                    assert not holds(text, chunk), (item["id"], field, chunk)
