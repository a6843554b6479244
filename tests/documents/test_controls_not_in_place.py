"""A control whose verification did not pass ("TC-202 | Fail — fix planned for 2.1") was still shown as "Implemented
(assumed: not stated)" and counted by the coverage; a control whose text is only a requirement ("The device shall
encrypt …") and whose status no source states was read as implemented. Neither is presented or counted as in place;
a stated status stands, and so does a requirement a passed test verifies."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.documents.ptm import build_ptm_doc
from mdptm.documents.submission import risk_doc
from mdptm.mapping.engine import map_model
from mdptm.model import Control, Document, Model, Product, Threat
from mdptm.plugins import ExportContext
from mdptm.render.docir import Doc, Paragraph, Table
from tests.importers.import_helpers import load_text

TRACE = """# Requirements

## Security Requirements Traceability

| Req ID | Requirement | Verification | Result |
|---|---|---|---|
| SR-03 | Pairing shall require a passkey | TC-101 | Pass |
| SR-09 | API shall limit exports to 1000 records per hour | TC-202 | Fail — fix planned for 2.1 |
"""


def _status_cells(doc: Doc) -> dict[str, str]:
    return {r[0]: r[3] for b in doc.blocks if isinstance(b, Table) and b.header[:4] == ["ID", "Control", "Who", "Status"] for r in b.rows}


def _evidence(model: Model) -> set[str]:
    return {x for fw in map_model(model).frameworks for cl in fw.clauses for x in cl.evidence}


def test_a_failed_verification_is_read_into_the_model(tmp_path: Path) -> None:
    model, _ = load_text(tmp_path, TRACE)
    sr09 = next(c for c in model.controls if c.id == "SR-09")
    assert sr09.verification_failed == "TC-202: Fail — fix planned for 2.1"
    assert next(c for c in model.controls if c.id == "SR-03").verification_failed is None


def test_a_control_whose_verification_failed_is_not_presented_or_counted_as_implemented(tmp_path: Path) -> None:
    model, _ = load_text(tmp_path, TRACE)
    status = _status_cells(build_ptm_doc(model, ExportContext(), tmp_path))
    assert status["SR-09"] == "Verification did not pass (TC-202: Fail — fix planned for 2.1)"
    assert status["SR-03"] == "Implemented (assumed: not stated)"  # a requirement a passed test verifies
    notes = [b.text for b in build_ptm_doc(model, ExportContext(), tmp_path).blocks if isinstance(b, Paragraph)]
    assert any("not counted here or in the coverage: SR-09 (verification did not pass: TC-202: Fail" in n for n in notes)
    assert "SR-09" not in _evidence(model) and "SR-03" in _evidence(model)
    rationales = [cl.rationale for fw in map_model(model).frameworks for cl in fw.clauses]
    assert any("not counted: SR-09 (verification did not pass: TC-202: Fail — fix planned for 2.1)" in r for r in rationales)
    controls = next(b for b in risk_doc(model, ExportContext()).blocks if isinstance(b, Table) and b.caption == "Security controls")
    assert {r[0]: r[4] for r in controls.rows}["SR-09"] == "Verification did not pass (TC-202: Fail — fix planned for 2.1)"


def test_a_stated_status_with_a_failed_verification_is_still_not_counted() -> None:
    c = Control(id="C-1", title="Signed updates", category="integrity", verification_failed="TC-9: Fail")
    m = Model(product=Product(name="P", manufacturer="M"), document=Document(version="1"), controls=[c])
    assert "C-1" not in _evidence(m)
    assert "C-1" in _evidence(m.model_copy(update={"controls": [c.model_copy(update={"verification_failed": None})]}))


def _requirement(stated: bool, verification: list[str] | None = None) -> Model:
    c = Control(
        id="C-1",
        title="Encryption of stored data",
        category="cryptography",
        description="The device shall encrypt stored patient data with AES-256.",
        status_stated=stated,
        verification=verification or [],
    )
    t = Threat(id="T-1", title="Theft of patient data", stride=["information_disclosure"], status="mitigated", controls=["C-1"])
    return Model(product=Product(name="P", manufacturer="M"), document=Document(version="1"), controls=[c], threats=[t])


def test_a_requirement_no_source_states_as_implemented_is_not_counted(tmp_path: Path) -> None:
    model = _requirement(stated=False)
    counted = [cl for fw in map_model(model).frameworks for cl in fw.clauses if "C-1" in cl.evidence]
    # read as planned (a requirement is what the device is to do): only a clause that takes planned controls names it
    assert counted and all("1 planned cryptography control (C-1)" in cl.rationale and cl.status == "partial" for cl in counted)
    rationales = [cl.rationale for fw in map_model(model).frameworks for cl in fw.clauses]
    assert any('not counted: C-1 (written as a requirement ("shall"); no source states it is implemented)' in r for r in rationales)
    assert _status_cells(build_ptm_doc(model, ExportContext(), tmp_path))["C-1"] == "Not stated (written as a requirement)"


@pytest.mark.parametrize(("stated", "verification"), [(True, None), (False, ["TR-12 encryption test report"])])
def test_a_stated_status_or_a_cited_test_stands_for_a_requirement(tmp_path: Path, stated: bool, verification: list[str] | None) -> None:
    model = _requirement(stated, verification)
    assert "C-1" in _evidence(model)
    expected = "Implemented" if stated else "Implemented (assumed: not stated)"
    assert _status_cells(build_ptm_doc(model, ExportContext(), tmp_path))["C-1"] == expected


def test_traceability_says_the_verification_failed(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from mdptm.documents.submission import trace_rows, write_traceability

    c = Control(id="C-1", title="Signed updates", category="integrity", verification_failed="TC-9: Fail")
    t = Threat(id="T-1", title="Forged update", stride=["tampering"], status="mitigated", controls=["C-1"])
    model = Model(product=Product(name="P", manufacturer="M"), document=Document(version="1"), controls=[c], threats=[t])
    assert {r.control_id: r.gaps for r in trace_rows(model)}["C-1"] == ["Verification did not pass: TC-9: Fail"]
    path = tmp_path / "traceability.xlsx"
    write_traceability(model, path, ExportContext())
    summary = {(r[0], r[1]): r[2] for r in load_workbook(path)["Summary"].iter_rows(min_row=5, values_only=True)}
    assert summary[("Gaps", "Controls whose verification did not pass")] == 1
    assert summary[("Gaps", "Implemented controls with no verification evidence")] == 0
    assert summary[("Controls by status", "Implemented")] == 0
    assert summary[("Controls by status", "Not implemented")] == 1


def test_guides_do_not_list_a_failed_control_as_in_place() -> None:
    from mdptm.documents.guides import build_guides
    from tests.documents.test_guides_readers import text_of

    c = Control(id="C-1", title="Signed updates", category="integrity", verification_failed="TC-9: Fail")
    ok = Control(id="C-2", title="Audit log", category="event_logging", description="Every login is logged.")
    m = Model(product=Product(name="P", manufacturer="M"), document=Document(version="1"), controls=[c, ok])
    text = text_of(build_guides(m)["pre-procurement"])
    assert "2 by the device maker (1 implemented, 1 not implemented)" in text
    assert "Control C-1 (Signed updates) is listed as implemented, but its verification did not pass: TC-9: Fail." in text


def test_a_verified_requirement_is_said_to_be_one(tmp_path: Path) -> None:
    """SR-03 counts (a passed test verifies it) but is not "listed as mitigations": it is written as a requirement."""
    model, _ = load_text(tmp_path, TRACE)
    rationales = [cl.rationale for fw in map_model(model).frameworks for cl in fw.clauses if "SR-03" in cl.evidence]
    assert rationales and all("listed as mitigations" not in r for r in rationales)
    assert any("SR-03 is implemented (written as a requirement, verified by the test it cites)" in r for r in rationales)
