"""A control whose status no source states (a mitigation written beside a threat) is not printed as
"Implemented" in the PTM's control tables or the register: the status column says it is assumed, as the
threat tables and the guides already say "status not stated"."""

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
        threats=[Threat(id="T-1", title="Forged library", controls=["C-1", "C-2"])],
        controls=[
            Control(id="C-1", title="Signed drug library", category="authentication", status="implemented", status_stated=False),
            Control(id="C-2", title="Event logging", category="event_logging", status="implemented", status_stated=True),
        ],
    )


def test_ptm_control_tables_say_an_unstated_status_is_assumed(tmp_path: Path) -> None:
    doc = build_ptm_doc(_model(), ExportContext(), tmp_path)
    rows = {r[0]: r for b in doc.blocks if isinstance(b, Table) and b.header[:4] == ["ID", "Control", "Who", "Status"] for r in b.rows}
    assert rows["C-1"][3] == "Implemented (assumed: not stated)"
    assert rows["C-2"][3] == "Implemented"


def test_register_says_an_unstated_status_is_assumed(tmp_path: Path) -> None:
    path = tmp_path / "ptm.xlsx"
    write_xlsx(_model(), path, ExportContext())
    ws = openpyxl.load_workbook(path, read_only=True)["Controls"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    head = next(r for r in rows if "Status" in r)
    status = {r[0]: r[head.index("Status")] for r in rows[rows.index(head) + 1 :] if r and r[0]}
    assert status["C-1"] == "implemented (assumed: not stated)"  # the register writes values as words
    assert status["C-2"] == "implemented"
