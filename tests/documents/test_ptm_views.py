"""PTM 1.3 speaks of the views the model has: with none at all, it does not add that there are "no views besides
the Global System View" under a note saying there is no Global System View."""

from __future__ import annotations

from pathlib import Path

from mdptm.documents.ptm import build_ptm_doc
from mdptm.model import Document, Element, Model, Product, View
from mdptm.plugins import ExportContext
from mdptm.render.docir import Paragraph


def _texts(model: Model, tmp_path: Path) -> list[str]:
    return [b.text for b in build_ptm_doc(model, ExportContext(), tmp_path).blocks if isinstance(b, Paragraph)]


def _model(views: list[View]) -> Model:
    return Model(
        product=Product(name="Pump", manufacturer="Maker"),
        document=Document(version="1.0"),
        elements=[Element(id="E-1", name="Pump", kind="device")],
        views=views,
    )


def test_a_model_without_views_is_not_said_to_have_a_global_system_view(tmp_path: Path) -> None:
    texts = _texts(_model([]), tmp_path)
    assert any(t.startswith("This model contains no Global System View") for t in texts)
    assert "There are no views besides the Global System View." not in texts


def test_a_model_with_only_a_global_system_view_says_so(tmp_path: Path) -> None:
    texts = _texts(_model([View(id="V-1", kind="global_system", name="Global System View", elements=["E-1"])]), tmp_path)
    assert "There are no views besides the Global System View." in texts
