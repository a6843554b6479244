"""Whose measure a control is, and when a planned one is due, as the PTM and the register show them: a control called
the maker's whose text says the hospital or a third party carries it out is shown as theirs (the mapping reads it so:
it meets no duty of the maker), an instruction is no implemented measure, and a planned control shows the release or
date its text gives."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from mdptm.documents.ptm import build_ptm_doc
from mdptm.exporters.xlsx import write_xlsx
from mdptm.model import Control, Document, Model, Product, Threat
from mdptm.plugins import ExportContext
from mdptm.render.docir import Table


def _model() -> Model:
    return Model(
        product=Product(name="Pump", manufacturer="Maker"),
        document=Document(version="1.0"),
        threats=[Threat(id="T-1", title="Network attack", controls=["C-1", "C-2", "C-3", "C-4"])],
        controls=[
            Control(
                id="C-1",
                title="Perimeter",
                description="The hospital's firewall blocks inbound traffic to the pump",
                responsibility_stated=False,
            ),
            Control(
                id="C-2",
                title="Bucket encryption",
                description="AWS KMS (provided by the cloud vendor) encrypts the bucket",
                category="cryptography",
            ),
            Control(id="C-3", title="Implement multi-factor authentication", category="authentication", status_stated=False),
            Control(id="C-4", title="Rate limiting", description="Rate limiting is planned for release 2.1", status="planned"),
        ],
    )


def test_ptm_shows_whose_measure_it_is_and_when_it_is_due(tmp_path: Path) -> None:
    doc = build_ptm_doc(_model(), ExportContext(), tmp_path)
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    rows = {r[0]: r for b in tables if b.header[:4] == ["ID", "Control", "Who", "Status"] for r in b.rows}
    assert rows["C-1"][2] == 'Hospital (customer) (its text says "the hospital\'s firewall blocks")'
    assert rows["C-2"][2] == 'Third party (its text says "provided by the cloud vendor")'
    assert rows["C-3"][3] == "Not stated (written as an instruction)"
    assert rows["C-4"][3] == "Planned for release 2.1"
    cells = [c for b in tables for r in b.rows for c in r if "C-1" in c and "C-4" in c]
    assert cells, "the threat's controls cell"
    assert "[hospital]" in cells[0] and "[third party]" in cells[0] and "(planned for release 2.1)" in cells[0]


def test_register_shows_whose_measure_it_is_and_when_it_is_due(tmp_path: Path) -> None:
    path = tmp_path / "ptm.xlsx"
    write_xlsx(_model(), path, ExportContext())
    ws = openpyxl.load_workbook(path, read_only=True)["Controls"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    head = next(r for r in rows if "Status" in r)
    got = {r[0]: r for r in rows[rows.index(head) + 1 :] if r and r[0]}
    who, status = head.index("Responsibility"), head.index("Status")
    assert str(got["C-2"][who]).startswith("third party (its text says")
    assert got["C-3"][status] == "Not stated (written as an instruction)"
    assert got["C-4"][status] == "Planned for release 2.1"


def test_a_register_due_date_is_shown_with_the_planned_status(tmp_path: Path) -> None:
    from mdptm.model.evidence import status_text
    from mdptm.model.schema import model_schema
    from tests.importers.import_helpers import checked_import

    src = tmp_path / "register.csv"
    src.write_text(
        "Risk ID,Risk Title,Risk Level,Mitigation,Target Completion Date,Status\n"
        "R-001,Phishing attack,High,Enable MFA and phishing training,2026-08-31,Open\n",
        encoding="utf-8",
    )
    model, _ = checked_import(src)
    c = model.controls[0]
    assert (c.status, c.planned_for) == ("planned", "2026-08-31")
    assert status_text(c, str) == "Planned for 2026-08-31"
    props = model_schema()["$defs"]["Control"]["properties"]  # type: ignore[index]
    assert "planned_for" in props and "due" in props["planned_for"]["description"]
