"""The shipped sample project: a complete, valid model that the whole pipeline runs as is."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from mdptm.cli import cli
from mdptm.model import CONTROL_CATEGORIES, STRIDE_ORDER, VIEW_KINDS, Model
from mdptm.model.io import load, read_structured
from mdptm.model.validate import validate_data
from mdptm.pipeline.project import load_project

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "infusion-pump"


@pytest.fixture(scope="module")
def model() -> Model:
    return load(SAMPLE / "model.yaml")


def test_model_validates_without_problems() -> None:
    _, problems = validate_data(read_structured(SAMPLE / "model.yaml"))
    assert problems == []


def test_model_has_the_promised_breadth(model: Model) -> None:
    assert len(model.elements) >= 10
    assert len(model.trust_zones) >= 3
    assert all(z.trust_level is not None for z in model.trust_zones)
    assert len(model.flows) >= 12
    assert len(model.assets) >= 7
    assert len(model.threats) >= 35
    assert len(model.controls) >= 18
    assert model.assumptions and model.out_of_scope


def test_every_stride_category_control_category_and_view_kind(model: Model) -> None:
    assert {s for t in model.threats for s in t.stride} == set(STRIDE_ORDER)
    categories = {c.category for c in model.controls}
    assert set(CONTROL_CATEGORIES) - {"other"} <= categories
    kinds = Counter(v.kind for v in model.views)
    assert set(VIEW_KINDS) <= set(kinds)
    assert kinds["security_use_case"] >= 3
    assert all(v.steps for v in model.views if v.kind == "security_use_case")


def test_statuses_and_responsibilities_are_mixed(model: Model) -> None:
    statuses = {t.status for t in model.threats}
    assert statuses == {"mitigated", "partially_mitigated", "accepted", "open", "transferred", "not_applicable"}
    assert {"customer", "shared", "manufacturer"} <= {c.responsibility for c in model.controls}
    assert "planned" in {c.status for c in model.controls}


def test_implemented_controls_carry_evidence(model: Model) -> None:
    missing = [c.id for c in model.controls if c.status == "implemented" and not c.verification]
    assert missing == []


def test_risk_scores_follow_the_stated_5x5_scale(model: Model) -> None:
    def band(score: float) -> str:
        return "low" if score <= 4 else "medium" if score <= 9 else "high" if score <= 16 else "critical"

    for threat in model.threats:
        for risk in (threat.risk, threat.residual_risk):
            if risk is None:
                continue
            assert risk.scale == "5x5"
            assert risk.likelihood and risk.severity and risk.score is not None
            likelihood = int(risk.likelihood.rsplit("(", 1)[1].rstrip(")"))
            severity = int(risk.severity.rsplit("(", 1)[1].rstrip(")"))
            assert risk.score == likelihood * severity, threat.id
            assert risk.level == band(risk.score), threat.id


def test_flows_use_both_unknown_and_none_honestly(model: Model) -> None:
    assert any(f.encryption is None for f in model.flows)
    assert any(f.encryption == "none" for f in model.flows)
    assert any(f.authentication == "none" for f in model.flows)


def test_sample_exercises_redaction(model: Model) -> None:
    """The model holds withheld items and internal strings that redaction.yaml must remove."""
    assert {"confidential", "trade_secret"} <= {item.sensitivity for _, item in model.items()}
    policy = yaml.safe_load((SAMPLE / "redaction.yaml").read_text(encoding="utf-8"))
    assert set(policy["drop"]) == {"confidential", "trade_secret"}
    text = (SAMPLE / "model.yaml").read_text(encoding="utf-8")
    for term in policy["terms"]:
        assert term.lower() in text.lower(), term
    # the engineer's name must also sit in a public field, not only in notes or dropped items
    public = [t for t in model.threats if t.sensitivity == "public" and "Dana Whitlock" in t.description]
    assert public


def test_project_file_matches_the_schema() -> None:
    project, root = load_project(SAMPLE)
    assert root == SAMPLE
    assert [s.path for s in project.sources] == ["threat-model.docx", "register.xlsx"]
    assert project.frameworks == ["cra-annex-i", "cra-annex-ii", "mc2", "fda-premarket"]
    assert {s.role for s in project.signoffs if s.decision == "approved"} >= set(project.signoffs_required)
    assert project.redaction and (root / project.redaction).is_file()


@pytest.mark.slow
def test_build_runs_on_the_sample(tmp_path: Path) -> None:
    out = tmp_path / "ptm"
    result = CliRunner().invoke(cli, ["build", str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    published = json.loads((out / "ptm.json").read_text(encoding="utf-8"))
    assert published["schema"] == "mdptm/1"
    assert published["product"]["name"] == "Vantage LVP Infusion System"
