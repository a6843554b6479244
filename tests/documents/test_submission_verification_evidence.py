"""A verification entry that cites no test done ("TBD", "Planned pen test") is no evidence in the submission set: the
traceability workbook, the risk assessment and the architecture views count and shade it as a control with no
verification evidence, as the review, the mapping and the PTM already do (``evidence.verified``)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from mdptm.documents.submission import risk_doc, trace_rows, write_traceability
from mdptm.documents.submission._shared import GAP_FILL
from mdptm.model import Control, Document, Model, Product, Threat
from mdptm.model.premarket import appendix4_index
from mdptm.plugins import ExportContext
from mdptm.render.docir import Table


def _model() -> Model:
    return Model(
        product=Product(name="Pump", manufacturer="Maker"),
        document=Document(version="1.0"),
        threats=[Threat(id="T-1", title="Forged library", controls=["C-1", "C-2", "C-3"], status="mitigated")],
        controls=[
            Control(id="C-1", title="Signed library", status="implemented", verification=["TBD"]),
            Control(id="C-2", title="Account lockout", status="implemented", verification=["Planned pen test"]),
            Control(id="C-3", title="Secure boot", status="implemented", verification=["VT-130 secure boot report"]),
        ],
    )


def test_traceability_counts_only_verification_done(tmp_path: Path) -> None:
    model = _model()
    gaps = {r.control_id: r.gaps for r in trace_rows(model)}
    assert gaps["C-1"] == ["Implemented, no verification evidence (the source says: TBD)"]
    assert gaps["C-2"] == ["Implemented, no verification evidence (the source says: Planned pen test)"]
    assert gaps["C-3"] == []
    path = tmp_path / "traceability.xlsx"
    write_traceability(model, path, ExportContext())
    wb = load_workbook(path)
    summary = {(r[0], r[1]): r[2] for r in wb["Summary"].iter_rows(min_row=5, values_only=True)}
    assert summary[("Gaps", "Implemented controls with no verification evidence")] == 2
    assert summary[("Verification", "Controls with verification evidence")] == 1
    assert summary[("Verification", "Evidence references")] == 1


def test_risk_assessment_does_not_show_a_placeholder_as_evidence() -> None:
    doc = risk_doc(_model(), ExportContext())
    table = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Security controls")
    verif = {row[0]: (row[5], table.fills.get((r, 5))) for r, row in enumerate(table.rows)}
    assert verif["C-1"] == ("none done (the source says: TBD)", GAP_FILL)
    assert verif["C-2"] == ("none done (the source says: Planned pen test)", GAP_FILL)
    assert verif["C-3"] == ("VT-130 secure boot report", None)


def test_a_placeholder_verification_does_not_put_traceability_in_the_set() -> None:
    model = _model()
    model.controls = model.controls[:2]
    model.threats[0].controls = ["C-1", "C-2"]
    model.controls[1].verification = ["N/A"]
    row = next(r for r in appendix4_index(model, {"traceability.xlsx"}) if r.row.id == "traceability")
    assert "any:controls.verification" in row.facts_missing


def test_a_planned_or_failed_test_does_not_put_traceability_in_the_set() -> None:
    """The documentation index counted "Planned pen test" as the verification the traceability matrix cites."""
    model = _model()
    model.controls = model.controls[1:2]
    model.threats[0].controls = ["C-2"]
    for entry in ("Planned pen test", "Not tested", "Fail"):
        model.controls[0].verification = [entry]
        row = next(r for r in appendix4_index(model, {"traceability.xlsx"}) if r.row.id == "traceability")
        assert "any:controls.verification" in row.facts_missing, entry
    model.controls[0].verification = ["VT-130 penetration test report, passed"]
    row = next(r for r in appendix4_index(model, {"traceability.xlsx"}) if r.row.id == "traceability")
    assert "any:controls.verification" not in row.facts_missing
