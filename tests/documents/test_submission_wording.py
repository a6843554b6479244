"""Counted sentences of the submission set agree in number with their count ("1 does not say", "2 do not say")."""

from __future__ import annotations

from mdptm.documents.submission import risk_doc
from mdptm.model import Document, Model, Product, Risk, Threat
from mdptm.plugins import ExportContext
from mdptm.render.docir import Paragraph


def test_the_exploitability_count_agrees_with_one() -> None:
    model = Model(
        product=Product(name="Monitor", manufacturer="Maker"),
        document=Document(version="1.0"),
        threats=[
            Threat(id="T-1", title="Forged alarm", risk=Risk(likelihood="3", severity="5", score=15, level="high")),
            Threat(id="T-2", title="Read vitals", risk=Risk(level="medium")),
        ],
    )
    doc = risk_doc(model, ExportContext())
    line = next(b for b in doc.blocks if isinstance(b, Paragraph) and b.bold_prefix == "Exploitability rather than probability:")
    assert (
        line.text
        == "0 of 2 rated threats rate exploitability on the likelihood axis; 1 does not say what the axis rates; 1 gives no likelihood."
    )


def test_the_threat_register_writes_levels_as_the_other_tables_do() -> None:
    from mdptm.render.docir import Table

    model = Model(
        product=Product(name="Monitor", manufacturer="Maker"),
        document=Document(version="1.0"),
        threats=[Threat(id="T-1", title="Forged alarm", risk=Risk(level="high"), residual_risk=Risk(level="medium"))],
    )
    doc = risk_doc(model, ExportContext())
    register = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Threat register")
    assert register.rows[0][4] == "High" and register.rows[0][6] == "Medium"  # "high" / "medium" before
