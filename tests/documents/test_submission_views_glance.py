"""The architecture views' "Views at a glance" counts what the views of a kind cover: an element, flow or threat
two security use case views share is one item, not two, so the row never counts more than the model holds."""

from __future__ import annotations

from mdptm.documents.submission import architecture_doc
from mdptm.model import Document, Element, Flow, Model, Product, Threat, View
from mdptm.plugins import ExportContext
from mdptm.render.docir import Table


def _model() -> Model:
    return Model(
        product=Product(name="Pump", manufacturer="Maker"),
        document=Document(version="1.0"),
        elements=[Element(id="pump", name="Pump", kind="device"), Element(id="srv", name="Server", kind="software")],
        flows=[Flow(id="F-1", name="Orders", source="srv", target="pump")],
        threats=[Threat(id="T-1", title="Forged order", targets=["F-1"])],
        views=[
            View(id="UC-1", kind="security_use_case", name="Remote programming", elements=["pump", "srv"], flows=["F-1"]),
            View(id="UC-2", kind="security_use_case", name="Order check", elements=["pump", "srv"], flows=["F-1"]),
        ],
    )


def test_views_sharing_items_count_each_item_once() -> None:
    doc = architecture_doc(_model(), ExportContext())
    glance = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Views at a glance")
    row = next(r for r in glance.rows if r[0] == "Security Use Case Views")
    assert row[1] == "Remote programming; Order check"
    assert row[2:] == ["2", "1", "1"]  # 2 elements, 1 flow, 1 threat: the model holds no more


def test_a_derived_update_view_says_what_it_was_derived_from() -> None:
    # derived from an update control alone, the chapter claimed firmware flows and elements the model does not hold
    from mdptm.model import Control
    from mdptm.render.docir import Paragraph

    model = _model()
    model.views = []
    model.controls = [Control(id="C-5", title="Apply validated updates", category="updatability_patchability")]
    model.threats[0].controls = ["C-5"]
    doc = architecture_doc(model, ExportContext())
    text = "\n".join(b.text for b in doc.blocks if isinstance(b, Paragraph))
    assert "The tables below are derived from the update controls; the model records no firmware asset" in text
    assert "carry or hold firmware" not in text


def test_a_missing_multi_patient_harm_view_is_said_before_its_sections() -> None:
    # the chapter's "no view" statement sat under the "Detect, respond, recover" heading, as if it were part of it
    from mdptm.render.docir import Heading, Paragraph

    doc = architecture_doc(_model(), ExportContext())
    blocks = doc.blocks
    chapter = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == "Multi-Patient Harm View")
    missing = next(
        i
        for i, b in enumerate(blocks)
        if isinstance(b, Paragraph) and b.text.startswith("The model has no Multi-Patient Harm View, and none")
    )
    first_section = next(i for i, b in enumerate(blocks) if i > chapter and isinstance(b, Heading))
    assert chapter < missing < first_section
