"""The submission set is complete and says what the public PTM withholds: a control the redaction policy may drop
(sensitivity not public) is marked so in the risk assessment, as a withheld threat already is."""

from __future__ import annotations

from mdptm.documents.submission import risk_doc
from mdptm.model import Control, Document, Model, Product, Threat
from mdptm.plugins import ExportContext
from mdptm.render.docir import Heading, Table


def test_a_withheld_control_says_so_in_the_risk_assessment() -> None:
    model = Model(
        product=Product(name="Pump", manufacturer="Maker"),
        document=Document(version="1.0"),
        threats=[Threat(id="T-1", title="Debug port opened", controls=["C-1", "C-2"], status="mitigated")],
        controls=[
            Control(id="C-1", title="Anti-tamper lockout", status="implemented", sensitivity="trade_secret"),
            Control(id="C-2", title="Signed firmware", status="implemented"),
        ],
    )
    doc = risk_doc(model, ExportContext())
    start = next(i for i, b in enumerate(doc.blocks) if isinstance(b, Heading) and b.text == "C-1 Anti-tamper lockout")
    table = next(b for b in doc.blocks[start:] if isinstance(b, Table))
    assert ["Sensitivity", "Trade secret — withheld or summarised in the public PTM"] in table.rows
    assert not any(isinstance(b, Heading) and b.text.startswith("C-2 ") for b in doc.blocks)
