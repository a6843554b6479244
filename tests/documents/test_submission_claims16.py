"""The submission set says no more than the model supports: a view kind the model only derives does not make the
Appendix 4 "Architecture Views" row complete, and an accepted threat without a rationale is not said to have one."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from mdptm.documents.submission import FILES, index_doc, risk_doc, write_traceability
from mdptm.model import Control, Document, Model, Product, Risk, Threat, View
from mdptm.model.premarket import IN_SET, PARTLY, IndexRow, appendix4_index
from mdptm.plugins import ExportContext
from mdptm.render.docir import Doc, Paragraph, Table


def _model(*kinds: str) -> Model:
    return Model(
        product=Product(name="Monitor", manufacturer="Maker"),
        document=Document(version="1.0"),
        views=[View(id=f"V-{i}", kind=k, name=f"View {i}") for i, k in enumerate(kinds)],  # type: ignore[arg-type]
    )


def _views_row(model: Model) -> IndexRow:
    return next(r for r in appendix4_index(model, set(FILES)) if r.row.id == "architecture_views")


def test_a_global_system_view_alone_leaves_the_architecture_views_row_partly_answered() -> None:
    # the index read "Architecture Views — in this set" while the document derived the Multi-Patient Harm and
    # Updatability/Patchability views and had no Security Use Case view at all
    row = _views_row(_model("global_system"))
    assert row.status == PARTLY
    assert row.facts_missing == [
        "views[kind=multi_patient_harm]",
        "views[kind=updatability_patchability]",
        "views[kind=security_use_case]",
    ]
    doc = index_doc(_model("global_system"), ExportContext(), set(FILES))
    table = next(b for b in doc.blocks if isinstance(b, Table))
    cells = next(r for r in table.rows if r[0] == "Architecture Views")
    assert cells[2] == PARTLY
    assert cells[4] == "state in the model: views of kind: multi_patient_harm, updatability_patchability, security_use_case"


def test_every_view_kind_answers_the_architecture_views_row() -> None:
    row = _views_row(_model("global_system", "multi_patient_harm", "updatability_patchability", "security_use_case"))
    assert row.status == IN_SET and row.facts_missing == []


def _accepted(rationale: str | None) -> Threat:
    return Threat(id="T-1", title="Replayed order", status="accepted", residual_risk=Risk(level="medium"), rationale=rationale)


def _texts(model: Model) -> list[str]:
    return [b.text for b in risk_doc(model, ExportContext()).blocks if isinstance(b, Paragraph)]


def test_an_accepted_threat_without_rationale_is_not_said_to_have_one() -> None:
    # "2 threats are accepted with their residual risk; their rationales are listed under 'Open and accepted
    # threats'" was written when neither gave one ("N/A" and nothing)
    model = _model()
    model.threats = [_accepted("N/A"), _accepted(None).model_copy(update={"id": "T-2"})]
    texts = _texts(model)
    assert not any("rationales are listed" in t or "rationale is listed" in t for t in texts)
    assert (
        "2 threats are accepted with their residual risk; neither states a rationale (T-1, T-2), "
        "so nothing recorded justifies accepting them." in texts
    )


def test_an_accepted_threat_with_a_rationale_still_points_to_it() -> None:
    model = _model()
    model.threats = [_accepted("Exploitation needs physical access to a locked ward."), _accepted("TBD").model_copy(update={"id": "T-2"})]
    texts = _texts(model)
    assert (
        "2 threats are accepted with their residual risk; 1 states its rationale, listed under 'Open and accepted "
        "threats'; 1 states none (T-2), so nothing recorded justifies accepting it." in texts
    )


def test_the_traceability_workbook_does_not_show_a_placeholder_beside_real_evidence(tmp_path: Path) -> None:
    # "VT-112\nTBD" stood unshaded under "Verification evidence" (the control counts as verified by VT-112), while
    # the risk assessment read "VT-112; TBD (no evidence)"; a planned control's "Planned pen test" read as evidence
    model = _model()
    model.threats = [Threat(id="T-1", title="Forged library", controls=["C-1", "C-2"], status="mitigated")]
    model.controls = [
        Control(id="C-1", title="Signed library", status="implemented", verification=["VT-112 signature test", "TBD"]),
        Control(id="C-2", title="Account lockout", status="planned", verification=["Planned pen test"]),
    ]
    path = tmp_path / "traceability.xlsx"
    write_traceability(model, path, ExportContext())
    wb = load_workbook(path)
    trace = {r[6]: r[12] for r in wb["Traceability"].iter_rows(min_row=5, values_only=True)}
    controls = {r[0]: r[6] for r in wb["Controls"].iter_rows(min_row=5, values_only=True)}
    for cells in (trace, controls):
        assert cells["C-1"] == "VT-112 signature test\nTBD (no evidence)"
        assert cells["C-2"] == "Planned pen test (no evidence)"


def test_ids_in_the_set_s_table_cells_do_not_break_at_their_hyphens() -> None:
    # "A-" ended one line of the Data column and "PHI Patient health information" began the next; so did
    # "PEN-" / "TEST-2026-03 §3.1" under Verification
    from mdptm.render.docx import DocxRenderer

    model = _model("global_system")
    model.threats = [_accepted("Exploitation needs physical access.")]
    doc = risk_doc(model, ExportContext())
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert tables and all(t.keep_ids for t in tables)
    cell = Table(["ID", "Data"], [["F-03", "A-PHI Patient data; PEN-TEST-2026-03 §3.1; Wi-Fi & more"]], keep_ids=True)
    xml = DocxRenderer(Doc(title="t")).table_xml(cell)
    hyphen = '</w:t><w:noBreakHyphen/><w:t xml:space="preserve">'
    assert f"A{hyphen}PHI Patient data; PEN{hyphen}TEST{hyphen}2026{hyphen}03 §3.1; Wi-Fi &amp; more" in xml
    assert f"F{hyphen}03" in xml
    plain = DocxRenderer(Doc(title="t")).table_xml(Table(["ID"], [["A-PHI"]]))
    assert "noBreakHyphen" not in plain and ">A-PHI<" in plain


def test_a_flow_that_states_no_encryption_reads_not_stated_not_unknown() -> None:
    # a blank authentication or encryption read "unknown", as if the maker had written that it is unknown; the
    # Appendix 2 table beside it says "not stated" for the same silence
    from mdptm.documents.submission import architecture_doc
    from mdptm.documents.submission._shared import WARN_FILL
    from mdptm.model import Element, Flow

    model = _model("global_system")
    model.elements = [Element(id="E-1", name="Station", kind="software"), Element(id="E-2", name="Monitor", kind="device")]
    model.flows = [Flow(id="F-1", name="Configuration push", source="E-1", target="E-2", protocol="TCP", port="24106")]
    model.views[0].elements = ["E-1", "E-2"]
    doc = architecture_doc(model, ExportContext())
    table = next(b for b in doc.blocks if isinstance(b, Table) and b.header[-2:] == ["Authentication", "Encryption"])
    assert table.rows[0][5:] == ["not stated", "not stated"]
    assert table.fills[(0, 5)] == table.fills[(0, 6)] == WARN_FILL


def test_the_threat_register_says_a_threat_is_not_rated_rather_than_a_dash() -> None:
    # "T-06 … Before — … Residual — … Mitigated": the register alone hid that the threat was never rated, which
    # every other table of the risk assessment says ("not rated")
    from mdptm.documents.submission._shared import WARN_FILL

    model = _model()
    model.threats = [
        Threat(id="T-6", title="Malware through USB", status="mitigated"),
        Threat(id="T-7", title="Limits changed", status="mitigated", risk=Risk(likelihood="3", severity="4")),
    ]
    doc = risk_doc(model, ExportContext())
    table = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Threat register")
    assert [table.rows[0][4], table.rows[0][6]] == ["Not rated", "Not rated"]
    assert table.fills[(0, 4)] == table.fills[(0, 6)] == WARN_FILL
    assert table.rows[1][4] == "Level not stated" and table.rows[1][6] == "Not rated"


def test_the_traceability_workbook_says_a_harmful_threat_links_no_hazard(tmp_path: Path) -> None:
    # T-01 (patient harm critical) left the "Safety hazards" cell empty, a blank column beside a gap the risk
    # assessment states ("none linked")
    from mdptm.documents.submission._shared import WARN_FILL

    model = _model()
    model.threats = [
        Threat(id="T-1", title="Alarm suppressed", patient_harm="critical", status="open"),
        Threat(id="T-2", title="Vitals read", status="open"),
        Threat(id="T-3", title="Limits changed", patient_harm="serious", hazards=["HAZ-7"], status="open"),
    ]
    path = tmp_path / "traceability.xlsx"
    write_traceability(model, path, ExportContext())
    ws = load_workbook(path)["Traceability"]
    cells = {r[0].value: r[14] for r in ws.iter_rows(min_row=5)}
    assert cells["T-1"].value == "none linked"
    assert cells["T-1"].fill.fgColor.rgb.endswith(WARN_FILL)
    assert cells["T-2"].value == "none linked (patient harm not assessed)"
    assert cells["T-3"].value == "HAZ-7"


def test_the_assets_table_says_a_sensitive_asset_states_no_disposal_and_drops_an_empty_column() -> None:
    # "A-VITALS … PHI … Disposal —  Description (blank)": a dash hid that FDA VI.A bullet 14 asks how patient data
    # is disposed of, and an empty Description column took a sixth of the page
    from mdptm.documents.submission._shared import WARN_FILL
    from mdptm.model import Asset

    model = _model()
    model.assets = [Asset(id="A-1", name="Vital signs", kind="phi"), Asset(id="A-2", name="Firmware image", kind="firmware")]
    doc = risk_doc(model, ExportContext())
    table = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Assets of the threat model")
    assert table.header == ["ID", "Asset", "Kind", "C/I/A", "Stored in", "Disposal"]
    assert table.rows[0][5] == "not stated" and table.fills[(0, 5)] == WARN_FILL
    assert table.rows[1][5] == "—" and (1, 5) not in table.fills
    assert table.widths is not None and len(table.widths) == 6


def test_every_residual_level_column_says_not_rated_rather_than_a_dash() -> None:
    # "T-06 … —  Mitigated  not evaluated" in the acceptability table; "—" under Residual risk beside a harm
    from mdptm.documents.submission._shared import level_text

    model = _model()
    model.threats = [
        Threat(id="T-6", title="Malware through USB", status="mitigated", patient_harm="serious"),
        Threat(id="T-7", title="Limits changed", status="mitigated", patient_harm="serious", residual_risk=Risk(likelihood="2")),
    ]
    doc = risk_doc(model, ExportContext())
    acceptability = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Residual-risk acceptability per threat")
    assert [r[2] for r in acceptability.rows] == ["Not rated", "Level not stated"]
    harm = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Threats with patient harm and their hazards")
    assert [r[-1] for r in harm.rows] == ["Not rated", "Level not stated"]
    assert level_text(Risk(level="high")) == "High"
