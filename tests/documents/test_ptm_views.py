"""PTM 1.3 speaks of the views the model has: with none at all, it does not add that there are "no views besides
the Global System View" under a note saying there is no Global System View."""

from __future__ import annotations

from pathlib import Path

from mdptm.documents.ptm import build_ptm_doc
from mdptm.model import Document, Element, Model, Product, Threat, View
from mdptm.plugins import ExportContext
from mdptm.render.docir import Image, Paragraph, Table


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


def test_a_model_without_elements_points_to_no_picture(tmp_path: Path) -> None:
    """A risk register of assets only: "the picture below shows every element and flow" stood above no picture."""
    empty = _model([]).model_copy(update={"elements": []})
    doc = build_ptm_doc(empty, ExportContext(), tmp_path)
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert "The model has no view marked as the Global System View." in texts
    assert not any("the picture below" in t for t in texts)
    assert not any(
        isinstance(b, Image)
        for b in doc.blocks[
            : next(i for i, b in enumerate(doc.blocks) if getattr(b, "text", "") == "1.3 Other security architecture views")
        ]
    )
    texts = _texts(_model([]), tmp_path)  # with elements, the picture is there
    assert "The model has no view marked as the Global System View; the picture below shows every element and flow." in texts


def test_threats_with_no_stride_category_are_counted_in_the_stride_table(tmp_path: Path) -> None:
    """Of ten threats one classified: the table listed "Elevation of privilege 1" as if it were the whole."""
    m = _model([]).model_copy(
        update={
            "threats": [
                Threat(id="T-1", title="Privilege escalation", stride=["elevation_of_privilege"]),
                Threat(id="T-2", title="Phishing"),
                Threat(id="T-3", title="Ransomware"),
            ]
        }
    )
    table = next(
        b for b in build_ptm_doc(m, ExportContext(), tmp_path).blocks if isinstance(b, Table) and b.caption == "Threats by STRIDE category"
    )
    assert table.rows == [["Elevation of privilege", "1"], ["Not classified", "2"]]
