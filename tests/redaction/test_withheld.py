"""Withheld means withheld: nothing redaction dropped, withheld or removed reaches any output byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from mdptm.pipeline.build import build
from tests.conftest import SAMPLES
from tests.redaction.leak_helpers import holds, package_text

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


def _copy_sample(tmp_path: Path) -> Path:
    project = tmp_path / "pump"
    shutil.copytree(PUMP, project, ignore=shutil.ignore_patterns("out", "out.internal", "*.py", "README.md"))
    return project


def test_override_justifications_are_redacted(tmp_path: Path) -> None:
    project = _copy_sample(tmp_path)
    secrets = ["PUMPSEC-999", "https://wiki.meridian.corp/display/SEC/Decl", "10.9.8.7", "dana.w@meridian.corp"]
    with (project / "mdptm.yaml").open("a", encoding="utf-8") as fh:
        fh.write(
            "overrides:\n  - {framework: cra-annex-ii, clause: '6', status: covered,\n"
            f"     justification: 'Signed off in {secrets[0]}, see {secrets[1]} (host {secrets[2]}, "
            f"ask {secrets[3]})'}}\n"
        )
    result = build(project, tmp_path / "out")
    assert result.exit_code == 0, result.warnings
    text = package_text(tmp_path / "out")
    assert holds(text, "Signed off in")  # the justification is published ...
    for secret in secrets:  # ... without what the policy removes
        assert not holds(text, secret), secret
    log = (tmp_path / "out.internal" / "redaction-log.json").read_text(encoding="utf-8")
    assert "overrides[0].justification" in log
