"""A clause answered by the threats it counts is not met while one of them stays open or partly mitigated with an
unacceptable residual risk.

CRA Annex I Part I (2)(f) read "covered" on one implemented integrity control and the tampering threats, while a
tampering threat was only partly mitigated with a high residual risk; MC2 Secure Design counted that threat as
answered by controls. The threat now holds the clause at partial and the rationale names it. Acceptable means the
model's own criteria (risk_management.acceptable_levels) when it states them, else below high. A threat the rule
does not count (another STRIDE category) changes nothing."""

from __future__ import annotations

import pytest

from mdptm.mapping.engine import map_model
from mdptm.model import Control, Document, Model, Product, Risk, RiskManagement, Threat, View
from mdptm.model import RiskLevel as Level


def _model(status: str, residual: Level | None, *, stride: str = "tampering", acceptable: list[Level] | None = None) -> Model:
    return Model(
        product=Product(name="P", manufacturer="M"),
        document=Document(version="1", date="2026-01-01"),
        controls=[
            Control(id="C-1", title="Signed firmware and configuration checksums", category="integrity"),
            Control(id="C-2", title="Watchdog restart", category="resiliency_recovery"),
        ],
        threats=[
            Threat(id="T-1", title="Settings altered on the wire", stride=["tampering"], controls=["C-1"], status="mitigated"),
            Threat(
                id="T-2",
                title="Forged packets",
                stride=[stride],  # type: ignore[list-item]
                controls=["C-1", "C-2"],
                status=status,  # type: ignore[arg-type]
                risk=Risk(level="high"),
                residual_risk=Risk(level=residual) if residual else None,
            ),
        ],
        views=[View(id="V-1", kind="global_system", name="System", description="The monitor, its station and the network between them.")],
        risk_management=RiskManagement(acceptable_levels=acceptable or []),
    )


def _verdict(model: Model, framework: str, clause: str) -> tuple[str, str]:
    fw = next(f for f in map_model(model).frameworks if f.id == framework)
    c = next(c for c in fw.clauses if c.id == clause)
    return c.status, c.rationale


@pytest.mark.parametrize(("framework", "clause"), [("cra-annex-i", "I.2.f"), ("mc2", "secure_design")])
def test_a_partly_mitigated_threat_with_a_high_residual_holds_the_clause_at_partial(framework: str, clause: str) -> None:
    status, rationale = _verdict(_model("partially_mitigated", "high"), framework, clause)
    assert status == "partial"
    assert "T-2 is partly mitigated with residual risk high" in rationale


def test_an_open_threat_in_scope_holds_integrity_back_by_its_risk() -> None:
    status, rationale = _verdict(_model("open", None), "cra-annex-i", "I.2.f")
    assert status == "partial" and "T-2 is open with risk (no residual rated) high" in rationale


def test_an_open_threat_holds_availability_back() -> None:
    status, rationale = _verdict(_model("open", "critical", stride="denial_of_service"), "cra-annex-i", "I.2.h")
    assert status == "partial" and "T-2 is open" in rationale


@pytest.mark.parametrize(("framework", "clause"), [("cra-annex-i", "I.2.f"), ("mc2", "secure_design")])
def test_an_acceptable_residual_leaves_the_clause_covered(framework: str, clause: str) -> None:
    assert _verdict(_model("partially_mitigated", "medium"), framework, clause)[0] == "covered"
    assert _verdict(_model("mitigated", "high"), framework, clause)[0] == "covered"  # mitigated: the model's own word


def test_the_models_acceptable_levels_decide_when_stated() -> None:
    status, rationale = _verdict(_model("partially_mitigated", "medium", acceptable=["low"]), "cra-annex-i", "I.2.f")
    assert status == "partial" and "acceptable levels are low" in rationale
    assert _verdict(_model("partially_mitigated", "high", acceptable=["low", "medium", "high"]), "cra-annex-i", "I.2.f")[0] == "covered"


def test_a_threat_outside_the_clauses_scope_changes_nothing() -> None:
    """An open spoofing threat does not hold back integrity: the clause counts tampering threats only."""
    assert _verdict(_model("open", "critical", stride="spoofing"), "cra-annex-i", "I.2.f")[0] == "covered"


def test_the_option_is_for_threat_rules_only() -> None:
    from pydantic import ValidationError

    from mdptm.mapping.framework import Rule

    with pytest.raises(ValidationError, match="threats only"):
        Rule.model_validate({"controls": {"category": ["integrity"]}, "unacceptable_residual": ["high"]})
