""" "should" wording ("The device should encrypt PHI at rest", "Firmware updates should be signed") that no source states
implemented and no test verifies is a recommendation, not a control shown in place: it was read as implemented and
counted like one. It is read like "shall"/"must": planned, shown "Not stated (written as a recommendation)". A stated
status wins (the Threat Dragon demos write implemented mitigations as "The requests should require HTTP/S"), a test
cited verifies it, and a duty of a person ("The hospital should segment the network", "Users should lock the screen")
stays apart as for "shall"."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.documents.ptm import build_ptm_doc
from mdptm.mapping.engine import map_model
from mdptm.model import Control, Document, Model, Product, Threat
from mdptm.model.evidence import not_in_place, requirement_only, status_shown
from mdptm.plugins import ExportContext
from mdptm.render.docir import Table


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("The device should encrypt PHI at rest.", "should"),
        ("Firmware updates should be signed.", "should"),
        ("HTTP should not be supported. The requests should require HTTPS.", "should"),
        ("SR-4: The gateway SHOULD authenticate every client.", "should"),
        # a person's duty is no device recommendation
        ("The hospital should segment the network.", None),
        ("Users should lock the screen when they leave.", None),
        ("Operators should change the default PIN at installation.", None),
        # a statement beside it, or a remark that is no recommendation
        ("Firmware updates should be signed. The bootloader verifies the ECDSA signature.", None),
        ("It should be noted that TLS 1.3 encrypts all traffic.", None),
        ("Firmware images are signed with ECDSA P-256.", None),
    ],
)
def test_should_wording(text: str, word: str | None) -> None:
    assert requirement_only("Control", text) == word


def _model(stated: bool, verification: list[str] | None = None, description: str = "The device should encrypt PHI at rest.") -> Model:
    c = Control(
        id="C-1",
        title="Encryption at rest",
        category="cryptography",
        description=description,
        status_stated=stated,
        verification=verification or [],
    )
    t = Threat(id="T-1", title="Theft of patient data", stride=["information_disclosure"], status="mitigated", controls=["C-1"])
    return Model(product=Product(name="P", manufacturer="M"), document=Document(version="1"), controls=[c], threats=[t])


def _status_cells(model: Model, tmp_path: Path) -> dict[str, str]:
    doc = build_ptm_doc(model, ExportContext(), tmp_path)
    return {r[0]: r[3] for b in doc.blocks if isinstance(b, Table) and b.header[:4] == ["ID", "Control", "Who", "Status"] for r in b.rows}


def test_an_unstated_should_is_a_recommendation_not_a_control_in_place(tmp_path: Path) -> None:
    model = _model(stated=False)
    c = model.controls[0]
    assert not_in_place(c) == 'written as a recommendation ("should"); no source states it is implemented'
    assert status_shown(c) == "Not stated (written as a recommendation)"
    counted = [cl for fw in map_model(model).frameworks for cl in fw.clauses if "C-1" in cl.evidence]
    assert all(cl.status != "covered" for cl in counted)
    assert all("1 planned cryptography control (C-1)" in cl.rationale for cl in counted)
    assert _status_cells(model, tmp_path)["C-1"] == "Not stated (written as a recommendation)"


@pytest.mark.parametrize(("stated", "verification"), [(True, None), (False, ["TR-12 encryption test report"])])
def test_a_stated_status_or_a_cited_test_stands_for_a_should(tmp_path: Path, stated: bool, verification: list[str] | None) -> None:
    model = _model(stated, verification)
    assert not_in_place(model.controls[0]) is None
    counted = [cl for fw in map_model(model).frameworks for cl in fw.clauses if "C-1" in cl.evidence]
    assert counted and not any("planned cryptography control (C-1)" in cl.rationale for cl in counted)
    expected = "Implemented" if stated else "Implemented (assumed: not stated)"
    assert _status_cells(model, tmp_path)["C-1"] == expected


def test_a_hospital_should_is_not_read_as_the_makers_recommendation() -> None:
    model = _model(stated=False, description="The hospital should encrypt the backup share.")
    assert not_in_place(model.controls[0]) is None


def test_a_verified_recommendation_is_called_one() -> None:
    model = _model(stated=False, verification=["TR-12 encryption test report"])
    rationales = [cl.rationale for fw in map_model(model).frameworks for cl in fw.clauses if "C-1" in cl.evidence]
    assert any("written as a recommendation, verified by the test it cites" in r for r in rationales)
    assert not any("written as a requirement" in r for r in rationales)
