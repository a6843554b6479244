"""mdptm.base.copies.deep_copy: equal, independent, and as complete as model_copy(deep=True)."""

from __future__ import annotations

from mdptm.base.copies import deep_copy
from mdptm.model import Model, Risk, Source, Threat
from mdptm.model.report import ImportReport


def _model() -> Model:
    m = Model.empty()
    m.threats.append(
        Threat(
            id="T-1",
            title="Replay",
            stride=["tampering"],
            risk=Risk(likelihood="3", severity="High", level="high"),
            source=Source(file="r.xlsx", locator="Threats!A2"),
            extra={"Owner": {"name": "x", "tags": ["a", 1, None]}},
        )
    )
    return m


def test_copy_is_equal_and_shares_nothing_mutable() -> None:
    m = _model()
    c = deep_copy(m)
    assert c == m and c.model_dump() == m.model_dump()
    assert c.threats is not m.threats and c.threats[0] is not m.threats[0]
    assert c.threats[0].risk is not m.threats[0].risk
    assert c.threats[0].extra["Owner"]["tags"] is not m.threats[0].extra["Owner"]["tags"]
    c.threats[0].stride.append("spoofing")
    c.threats[0].risk.level = "low"  # type: ignore[union-attr]
    c.threats[0].extra["Owner"]["name"] = "y"
    assert m.threats[0].stride == ["tampering"] and m.threats[0].risk.level == "high"  # type: ignore[union-attr]
    assert m.threats[0].extra["Owner"]["name"] == "x"


def test_copy_keeps_which_fields_were_set() -> None:
    m = _model()
    c = deep_copy(m)
    assert c.threats[0].model_fields_set == m.threats[0].model_fields_set
    assert c.model_dump(exclude_unset=True) == m.model_dump(exclude_unset=True)


def test_copy_of_a_report_matches_model_copy() -> None:
    rep = ImportReport()
    rep.imported("r.xlsx", "Threats!A2", "T-1")
    rep.warn("r.xlsx", "Threats!B2", "odd value")
    assert deep_copy(rep).model_dump() == rep.model_copy(deep=True).model_dump()
