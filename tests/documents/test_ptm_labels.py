"""Enum values print as words a reader knows: an asset of kind ``pii`` is "PII", not "Pii"."""

from __future__ import annotations

from pathlib import Path

from mdptm.documents.ptm import build_ptm_doc
from mdptm.documents.ptm._shared import label
from mdptm.model import Asset, Document, Model, Product
from mdptm.plugins import ExportContext
from mdptm.render.docir import Table


def test_acronyms_keep_their_capitals() -> None:
    assert label("pii") == "PII"
    assert label("os_updates") == "OS updates"
    assert label("information_disclosure") == "Information disclosure"


def test_the_asset_table_names_personal_data_pii(tmp_path: Path) -> None:
    model = Model(
        product=Product(name="Pump", manufacturer="Maker"),
        document=Document(version="1.0"),
        assets=[Asset(id="A-1", name="Patient record", kind="phi"), Asset(id="A-2", name="Login", kind="pii")],
    )
    doc = build_ptm_doc(model, ExportContext(), tmp_path)
    table = next(b for b in doc.blocks if isinstance(b, Table) and b.header[:3] == ["ID", "Asset", "Kind"])
    assert [r[2] for r in table.rows] == ["PHI", "PII"]
