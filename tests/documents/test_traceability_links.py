"""The traceability workbook shows each threat–control link as the source states it: a pair the source lists only
side by side under one heading is no stated pair, and a link the threat and the control state differently is a gap."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from mdptm.documents.submission import trace_rows, write_traceability
from mdptm.model import Control, Model, Threat
from mdptm.plugins import ExportContext


def model() -> Model:
    m = Model.empty()
    m.controls = [Control(id=c, title=f"Control {c}", verification=["TR-1"]) for c in ("C-1", "C-2", "C-3")]
    m.threats = [
        # C-1 stated as a pair, C-2 only listed beside it, C-3 lists T-1 but T-1 does not name it
        Threat(id="T-1", title="Replay", controls=["C-1", "C-2"], controls_grouped=["C-2"], controls_disputed=["C-3"]),
        # T-2 names C-1, whose own list of threats leaves T-2 out
        Threat(id="T-2", title="Spoofing", controls=["C-1"], controls_disputed=["C-1"]),
    ]
    return m


def test_trace_rows_say_how_each_link_is_stated() -> None:
    rows = {(r.threat.id, r.control_id): r for r in trace_rows(model())}
    assert rows[("T-1", "C-1")].link == "stated" and rows[("T-1", "C-1")].gaps == []
    assert rows[("T-1", "C-2")].link == "grouped"
    assert rows[("T-1", "C-2")].gaps[0].startswith("Link not stated as a pair")
    assert rows[("T-1", "C-3")].link == "control_only"
    assert rows[("T-1", "C-3")].gaps == ["Links disagree: the control lists the threat, the threat does not name the control"]
    assert rows[("T-2", "C-1")].link == "threat_only" and rows[("T-2", "C-1")].gaps[0].startswith("Links disagree")


def test_workbook_shows_the_link_and_counts_the_gaps(tmp_path: Path) -> None:
    path = tmp_path / "traceability.xlsx"
    write_traceability(model(), path, ExportContext())
    wb = load_workbook(path)
    ws = wb["Traceability"]
    header = [c.value for c in ws[4]]
    col = header.index("Link as the source states it")
    links = {(r[0], r[6]): r[col] for r in ws.iter_rows(min_row=5, values_only=True)}
    assert links[("T-1", "C-1")] == "Stated"
    assert links[("T-1", "C-2")] == "Listed side by side under one heading (not paired)"
    assert links[("T-1", "C-3")] == "Stated by the control only (not linked)"
    assert links[("T-2", "C-1")] == "Stated by the threat only"
    summary = {(r[0], r[1]): r[2] for r in wb["Summary"].iter_rows(min_row=5, values_only=True)}
    assert summary[("Totals", "Threat–control pairs")] == 3  # the control-only row is no link
    assert summary[("Gaps", "Pairs linked only as a group (not stated as pairs)")] == 1
    assert summary[("Gaps", "Links the threat and the control state differently")] == 2


def _texts(doc: object) -> str:
    from mdptm.render.docir import Table

    out: list[str] = []
    for b in getattr(doc, "blocks", []):
        if isinstance(b, Table):
            out.extend(" | ".join(r) for r in b.rows)
        elif hasattr(b, "rows"):  # a titled table
            out.extend(" | ".join(str(c) for c in r) for r in b.rows)
    return "\n".join(out)


def test_risk_assessment_says_how_each_link_is_stated() -> None:
    from mdptm.documents.submission import risk_doc

    m = model()
    m.product.name, m.product.manufacturer = "Pump", "Maker"
    text = _texts(risk_doc(m, ExportContext()))
    assert "C-2 Control C-2 (implemented) — listed beside this threat under one heading, not paired with it" in text
    assert "C-3 lists this threat, but the threat does not name it (not linked)" in text
    assert "C-1 Control C-1 (implemented) — the control's list of threats leaves this threat out" in text


def test_ptm_threat_register_marks_grouped_and_one_sided_links(tmp_path: Path) -> None:
    from mdptm.documents.ptm import build_ptm_doc

    m = model()
    m.product.name, m.product.manufacturer = "Pump", "Maker"
    text = _texts(build_ptm_doc(m, ExportContext(), tmp_path, layout="register"))
    assert "C-2 Control C-2 (listed beside this threat under one heading, not paired with it)" in text
    assert "C-1 Control C-1 (the control does not list this threat)" in text


def test_ptm_says_once_that_all_of_a_threats_controls_are_only_grouped(tmp_path: Path) -> None:
    """Six controls each marked "listed beside this threat under one heading …" made one threat a page long."""
    from mdptm.documents.ptm import build_ptm_doc

    m = model()
    m.product.name, m.product.manufacturer = "Pump", "Maker"
    m.threats.append(Threat(id="T-3", title="Tampering", controls=["C-1", "C-2"], controls_grouped=["C-1", "C-2"]))
    text = _texts(build_ptm_doc(m, ExportContext(), tmp_path, layout="register"))
    cell = "Listed beside this threat under one heading, not paired with it:\nC-1 Control C-1\nC-2 Control C-2"
    assert cell in text
    assert text.count("(listed beside this threat under one heading, not paired with it)") == 1  # T-1's C-2 only
