"""The submission set says what the source states, and no more: a threat or control whose status the source
does not state is not shown as "Open" or "Implemented" (mdptm's reading) in the risk assessment, the
traceability workbook or the CRA document, and is counted apart as a gap."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from mdptm.documents.submission import cra_doc, risk_doc, trace_rows, write_traceability
from mdptm.model import Control, Document, Model, Product, Threat
from mdptm.plugins import ExportContext
from mdptm.render.docir import Doc, Heading, Paragraph, Table


def _model() -> Model:
    return Model(
        product=Product(name="Pump", manufacturer="Maker"),
        document=Document(version="1.0"),
        threats=[
            Threat(id="T-1", title="Forged drug library", controls=["C-1"], status_stated=False),
            Threat(id="T-2", title="Replayed bolus command", controls=["C-2"], status="open"),
        ],
        controls=[
            Control(id="C-1", title="Signed drug library", status_stated=False, responsibility_stated=False),
            Control(id="C-2", title="Message counters", status="implemented", verification=["TR-7"]),
        ],
    )


def _texts(doc: Doc) -> str:
    out: list[str] = []
    for b in doc.blocks:
        if isinstance(b, Heading | Paragraph):
            out.append(b.text if not isinstance(b, Paragraph) or not b.bold_prefix else f"{b.bold_prefix} {b.text}")
        elif isinstance(b, Table):
            out.extend(" | ".join(r) for r in b.rows)
    return "\n".join(out)


def _detail(doc: Doc, threat_id: str) -> dict[str, str]:
    start = next(i for i, b in enumerate(doc.blocks) if isinstance(b, Heading) and b.text.startswith(threat_id + " "))
    table = next(b for b in doc.blocks[start:] if isinstance(b, Table))
    return {r[0]: r[1] for r in table.rows}


def test_risk_assessment_does_not_state_an_unstated_status() -> None:
    doc = risk_doc(_model(), ExportContext())
    t1, t2 = _detail(doc, "T-1"), _detail(doc, "T-2")
    assert t1["Status"] == "Status not stated"
    assert t1["Controls"] == "C-1 Signed drug library (status not stated in the source)"
    assert t2["Status"] == "Open"
    assert t2["Controls"] == "C-2 Message counters (implemented)"
    text = _texts(doc)
    assert "2 threats: 1 open, 1 status not stated." in text
    assert "Open: 1 threat is open or only partly mitigated." in text
    assert "Status not stated: 1 threat has no status in the source" in text
    register = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Threat register")
    assert [r[-1] for r in register.rows] == ["Status not stated", "Open"]
    controls = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Security controls")
    assert controls.rows[0][3:5] == ["Manufacturer (not stated in the source)", "Not stated in the source"]


def test_traceability_counts_unstated_statuses_apart(tmp_path: Path) -> None:
    model = _model()
    gaps = {r.control_id: r.gaps for r in trace_rows(model)}
    assert gaps["C-1"] == ["Status not stated in the source; no verification evidence"]
    assert gaps["C-2"] == []
    path = tmp_path / "traceability.xlsx"
    write_traceability(model, path, ExportContext())
    wb = load_workbook(path)
    summary = {(r[0], r[1]): r[2] for r in wb["Summary"].iter_rows(min_row=5, values_only=True)}
    assert summary[("Controls by status", "Implemented")] == 1
    assert summary[("Controls by status", "Status not stated")] == 1
    assert summary[("Gaps", "Implemented controls with no verification evidence")] == 0
    assert summary[("Gaps", "Controls whose status the source does not state")] == 1
    assert summary[("Threats by status", "Open")] == 1
    assert summary[("Threats by status", "Status not stated")] == 1
    assert summary[("Gaps", "Threats whose status the source does not state")] == 1
    assert summary[("Controls by responsibility", "Manufacturer")] == 1
    assert summary[("Controls by responsibility", "Not stated in the source")] == 1
    ws = wb["Traceability"]
    header = [c.value for c in ws[4]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=5, values_only=True)}
    assert rows["T-1"]["Threat status"] == "Status not stated"
    assert rows["T-1"]["Control status"] == "Not stated in the source"
    assert rows["T-2"]["Control status"] == "Implemented"
    ctl = wb["Controls"]
    head = [c.value for c in ctl[4]]
    status = {r[0]: r[head.index("Status")] for r in ctl.iter_rows(min_row=5, values_only=True)}
    assert status == {"C-1": "Not stated in the source", "C-2": "Implemented"}


@pytest.mark.parametrize("stated", [True, False])
def test_cra_document_counts_unstated_threats_apart(stated: bool) -> None:
    model = _model()
    model.threats[0].status_stated = stated
    text = _texts(cra_doc(model, ExportContext()))
    if stated:
        assert "2 threats are open or only partly mitigated." in text
    else:
        assert "1 threat is open or only partly mitigated and the source states no status for 1." in text


def _rated(likelihood_basis: str | None = None, residual: bool = False) -> Model:
    from mdptm.model import Risk

    risk = Risk(likelihood="4", severity="5", score=20, level="high", likelihood_basis=likelihood_basis)  # type: ignore[arg-type]
    model = _model()
    model.threats[0].risk = risk
    model.threats[0].stride = ["tampering"]
    if residual:
        model.threats[0].residual_risk = Risk(likelihood="2", severity="5", score=10, level="medium", likelihood_basis=likelihood_basis)  # type: ignore[arg-type]
    return model


def test_scope_counts_what_is_classified_and_rated_instead_of_claiming_it() -> None:
    text = _texts(risk_doc(_rated(), ExportContext()))
    assert "each is rated before controls and again after them" not in text
    assert (
        "Of the 2 threats, 1 is classified with STRIDE and none name the elements or flows they target; "
        "1 is rated before controls and none are rated after them (residual risk)." in text
    )


@pytest.mark.parametrize(
    ("residual", "expected"),
    [
        (False, "High residual risk: No threat has a residual risk level, so none is shown to stay below high (2 not rated)."),
        (
            True,
            "High residual risk: The 1 threat with a residual risk level does not keep a high or critical one; "
            "1 threat has no residual risk rating, so it is not shown to stay below high.",
        ),
    ],
)
def test_unrated_residual_risk_is_not_read_as_below_high(residual: bool, expected: str) -> None:
    text = _texts(risk_doc(_rated(residual=residual), ExportContext()))
    assert expected in text
    assert "No threat keeps a high or critical residual risk." not in text


@pytest.mark.parametrize(("basis", "column"), [(None, "Likelihood before"), ("exploitability", "Exploitability before")])
def test_likelihood_column_is_called_exploitability_only_when_the_model_says_so(basis: str | None, column: str) -> None:
    doc = risk_doc(_rated(basis), ExportContext())
    table = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Exploitability and severity, before and after controls")
    assert table.header[2] == column
    text = _texts(doc)
    if basis is None:
        assert "The likelihood axis rates exploitability for 0 of the 1 rated threats" in text
        assert "Each threat's exploitability and severity" not in text


def test_what_else_the_source_says_of_a_threat_or_control_is_in_the_set(tmp_path: Path) -> None:
    from mdptm.model import Source

    model = _model()
    for item in (*model.threats, *model.controls):
        item.source = Source(file="tm.md", importer="markdown")
    model.threats[0].extra = {
        "Implementation": "Read-only OS partition,\nsigned OS image",
        "Target Completion Date": "2026-09-30",
        "properties": {"SDL Phase": "Design"},  # structured import detail stays in the model
        "new": False,
    }
    model.threats[1].extra = {"Mitigation": "N/A"}
    model.controls[0].extra = {"Mitigated Threats": "T-1, T-9"}
    doc = risk_doc(model, ExportContext())
    t1 = _detail(doc, "T-1")
    assert t1["In the source: Implementation"] == "Read-only OS partition, signed OS image"
    assert t1["In the source: Target Completion Date"] == "2026-09-30"
    assert not any("properties" in k or "new" in k for k in t1)
    assert _detail(doc, "T-2")["In the source: Mitigation"] == "N/A"
    path = tmp_path / "traceability.xlsx"
    write_traceability(model, path, ExportContext())
    ws = load_workbook(path)["Controls"]
    head = [c.value for c in ws[4]]
    also = {r[0]: r[head.index("Also in the source")] for r in ws.iter_rows(min_row=5, values_only=True)}
    assert also["C-1"] == "Mitigated Threats: T-1, T-9"


@pytest.mark.parametrize(
    ("links", "verification", "status"),
    [(True, True, "in this set"), (True, False, "partly in this set"), (False, False, "maker to add")],
)
def test_traceability_is_in_the_set_only_when_it_reaches_verification(links: bool, verification: bool, status: str) -> None:
    from mdptm.model.premarket import appendix4_index

    model = _model()
    for t in model.threats:
        t.controls = t.controls if links else []
    for c in model.controls:
        c.verification = c.verification if verification else []
    rows = {r.row.id: r for r in appendix4_index(model, {"traceability.xlsx"})}
    assert rows["traceability"].status == status
    if status != "in this set":
        assert "any:controls.verification" in rows["traceability"].facts_missing


def test_no_open_threat_is_not_said_when_the_source_states_no_status() -> None:
    model = _model()
    model.threats[1].status_stated = False
    text = _texts(risk_doc(model, ExportContext()))
    assert "No threat is open or only partly mitigated." not in text
    assert "Open: No threat is stated to be open or only partly mitigated; the source states no status for 2 (below)." in text


def test_a_model_rating_nothing_says_so_instead_of_a_table_of_dashes() -> None:
    doc = risk_doc(_model(), ExportContext())
    assert not any(isinstance(b, Table) and b.caption == "Exploitability and severity, before and after controls" for b in doc.blocks)
    assert "The threat model rates none of its 2 threats before or after its controls and gives no CVSS vector" in _texts(doc)


def test_a_modelling_tools_own_fields_are_not_shown_as_the_authors_word() -> None:
    """A TMT threat keeps the template's generic description and default priority in extra: not the maker's word."""
    from mdptm.model import Source

    model = _model()
    model.threats[0].source = Source(file="tm.tm7", importer="tm7")
    model.threats[0].extra = {"short_description": "Spoofing is when a process is impersonated.", "priority": "High"}
    t1 = _detail(risk_doc(model, ExportContext()), "T-1")
    assert not [k for k in t1 if k.startswith("In the source")]


def test_a_severity_alone_is_not_counted_as_a_rating() -> None:
    from mdptm.model import Risk

    model = _model()
    model.threats[0].risk = Risk(severity="High")
    text = _texts(risk_doc(model, ExportContext()))
    assert "none are rated before controls (1 more gives a likelihood or severity but no risk level)" in text
    assert "0 of 1 rated threat rate exploitability on the likelihood axis; 1 gives no likelihood." in text


def test_a_model_without_elements_or_flows_has_no_derived_global_system_view() -> None:
    from mdptm.documents.submission import architecture_doc

    doc = architecture_doc(_model(), ExportContext())
    glance = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Views at a glance")
    assert glance.rows[0][:2] == ["Global System View", "missing"]
    assert "The model has no Global System View, and none can be derived from it." in _texts(doc)


def test_a_controls_full_text_is_in_the_set_when_its_title_shortens_it(tmp_path: Path) -> None:
    model = _model()
    long = "Keys are released only once expired.\n\nThe matching algorithm ignores identifiers from expired keys."
    model.controls[0].title = "Keys are released only once…"
    model.controls[0].description = long
    doc = risk_doc(model, ExportContext())
    heads = [b.text for b in doc.blocks if isinstance(b, Heading)]
    assert "Controls in detail" in heads and "C-1 Keys are released only once…" in heads
    assert "C-2 Message counters" not in heads  # its title says it all
    text = _texts(doc)
    assert "Keys are released only once expired." in text
    assert "The matching algorithm ignores identifiers from expired keys." in text
    path = tmp_path / "traceability.xlsx"
    write_traceability(model, path, ExportContext())
    ws = load_workbook(path)["Controls"]
    head = [c.value for c in ws[4]]
    described = {r[0]: r[head.index("Description")] for r in ws.iter_rows(min_row=5, values_only=True)}
    assert described["C-1"] == " ".join(long.split())


def test_assets_no_element_holds_and_no_threat_names_are_still_in_the_set() -> None:
    from mdptm.documents.submission import architecture_doc
    from mdptm.model import Asset, Element

    model = _model()
    model.elements = [Element(id="web", name="Web server", kind="process")]
    model.assets = [Asset(id="A-1", name="Staff login details", description="Credentials staff use for the back office.")]
    risk = risk_doc(model, ExportContext())
    table = next(b for b in risk.blocks if isinstance(b, Table) and b.caption == "Assets of the threat model")
    assert table.rows[0][:2] == ["A-1", "Staff login details"]
    assert table.rows[0][-1] == "Credentials staff use for the back office."
    views = architecture_doc(model, ExportContext())
    glance = next(b for b in views.blocks if isinstance(b, Table) and b.caption == "Assets — Global System View")
    assert [r[0] for r in glance.rows] == ["A-1"]


def test_a_threat_model_without_a_system_is_only_partly_in_the_set() -> None:
    from mdptm.model import Assumption, Element
    from mdptm.model.premarket import appendix4_index

    model = _model()
    model.assumptions = [Assumption(id="AS-1", text="The hospital network is segmented.")]
    files = {"risk-assessment.docx", "architecture-views.docx"}
    row = next(r for r in appendix4_index(model, files) if r.row.id == "threat_model")
    assert row.status == "partly in this set" and row.facts_missing == ["elements"]
    model.elements = [Element(id="pump", name="Pump", kind="device")]
    assert next(r for r in appendix4_index(model, files) if r.row.id == "threat_model").status == "in this set"


def test_a_long_id_widens_its_column_only_up_to_a_cap() -> None:
    from mdptm.documents.submission._tables import MAX_ID_CM
    from mdptm.model import Asset

    model = _model()
    model.assets = [Asset(id="example-tls-certificates-aws-certificate-manager", name="TLS certificates")]
    doc = risk_doc(model, ExportContext())
    table = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Assets of the threat model")
    assert table.widths is not None and table.widths[0] == MAX_ID_CM
    register = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Threat register")
    assert register.widths is not None and register.widths[0] < MAX_ID_CM  # short ids keep their column


def test_a_rating_without_likelihood_says_none_is_given() -> None:
    from mdptm.model import Risk

    model = _model()
    model.threats[0].risk = Risk(level="high")
    model.threats[1].risk = Risk(likelihood="4", severity="5", level="high")
    doc = risk_doc(model, ExportContext())
    assert _detail(doc, "T-1")["Likelihood axis"] == "no likelihood given"
    assert _detail(doc, "T-2")["Likelihood axis"] == "not stated"


def test_a_modelling_tools_suggested_mitigation_is_not_read_as_the_makers_decision(tmp_path: Path) -> None:
    """TMT's 'Possible Mitigation(s)' of a generated threat: the importer tags it 'suggested'; nobody decided it."""
    model = _model()
    model.controls[0].status, model.controls[0].status_stated, model.controls[0].tags = "not_implemented", True, ["suggested"]
    doc = risk_doc(model, ExportContext())
    assert _detail(doc, "T-1")["Controls"] == "C-1 Signed drug library (suggested by the modelling tool, no decision recorded)"
    controls = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Security controls")
    assert controls.rows[0][4] == "Suggested by the modelling tool (no decision recorded)"
    assert {r.control_id: r.gaps for r in trace_rows(model)}["C-1"] == ["Suggested by the modelling tool (no decision recorded)"]
    path = tmp_path / "traceability.xlsx"
    write_traceability(model, path, ExportContext())
    summary = {(r[0], r[1]): r[2] for r in load_workbook(path)["Summary"].iter_rows(min_row=5, values_only=True)}
    assert summary[("Controls by status", "Not implemented")] == 0
    assert summary[("Controls by status", "Suggested by the modelling tool (no decision recorded)")] == 1


def test_no_accepted_threat_is_not_worded_as_all_mitigated() -> None:
    text = _texts(risk_doc(_model(), ExportContext()))
    assert "Accepted: No threat is recorded as accepted." in text
    assert "without mitigation" not in text


def test_what_an_author_wrote_of_an_element_or_asset_is_in_the_views() -> None:
    from mdptm.documents.submission import architecture_doc
    from mdptm.model import Asset, Element, Source

    model = _model()
    src = Source(file="tm.docx", importer="docx")
    model.elements = [Element(id="1.1", name="Login page", kind="process", source=src, extra={"Trust Levels": "(1) Anonymous web user"})]
    model.assets = [Asset(id="A-1", name="Staff login", description="Back-office credentials.", source=src, extra={"Roles": "Admin"})]
    doc = architecture_doc(model, ExportContext())
    elements = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Elements — Global System View")
    assert elements.rows[0][-1] == "Trust Levels: (1) Anonymous web user"
    assets = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Assets — Global System View")
    assert assets.rows[0][-1] == "Back-office credentials. — Roles: Admin"


def test_what_the_import_left_out_of_the_model_is_listed() -> None:
    from mdptm.model.report import ImportReport

    report = ImportReport()
    report.imported("tm.docx", "paragraph 12", "T-1")
    report.skipped("tm.docx", "table 4 row 2", "unsure of table 4 (ID | Name | Description | Potential Threats)")
    report.warn("tm.docx", "paragraph 52", "section 'Spoofing': its 6 threat(s) and 6 countermeasure(s) are linked as a group")
    doc = risk_doc(_model(), ExportContext(import_report=report))
    sources = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Source documents")
    assert sources.rows == [["tm.docx", "1", "0", "1", "1"]]
    text = _texts(doc)
    assert "tm.docx | table 4 row 2 | unsure of table 4 (ID | Name | Description | Potential Threats)" in text
    assert "are linked as a group" in text
    assert "Source documents" not in [b.text for b in risk_doc(_model(), ExportContext()).blocks if isinstance(b, Heading)]


def test_rows_of_one_table_skipped_for_one_reason_are_one_line() -> None:
    from mdptm.model.report import ImportReport

    report = ImportReport()
    for n in range(1, 13):
        report.skipped("tm.docx", f"table 2 row {n}", "trust levels table, not threats")
    report.skipped("tm.docx", "paragraph 3", "a heading")
    doc = risk_doc(_model(), ExportContext(import_report=report))
    table = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Not read into the model")
    assert table.rows == [["tm.docx", "table 2 rows 1–12", "trust levels table, not threats"], ["tm.docx", "paragraph 3", "a heading"]]


def test_scope_of_one_threat_speaks_of_it_in_the_singular() -> None:
    """'Of the 1 threats, all are classified …' said of the OTM specification example's one threat."""
    model = _rated()
    model.threats = model.threats[:1]
    text = _texts(risk_doc(model, ExportContext()))
    assert "Of the 1 threats" not in text
    assert (
        "The only threat is classified with STRIDE and names no element or flow it targets; it is rated before controls "
        "and not after them (residual risk)." in text
    )


def test_patient_harm_not_assessed_is_not_said_to_be_none() -> None:
    """A register that rates no patient harm read "0 threats could harm a patient", "0 threats could harm many patients
    at once" and, per threat, "Safety hazards: none (no patient harm)": more than the source states."""
    m = _model()
    m.threats[1].patient_harm = "serious"
    m.threats[1].multi_patient = True
    m.threats.append(Threat(id="T-3", title="Spoofed alarm silence", patient_harm="none", multi_patient=False))
    doc = risk_doc(m, ExportContext())
    text = _texts(doc)
    assert "1 threat could harm a patient; 0 of them are linked to hazards of the safety risk management file." in text
    assert "For 1 threat the threat model does not assess patient harm." in text
    assert "1 threat could harm many patients at once; for 1 the threat model does not say." in text
    assert _detail(doc, "T-1")["Safety hazards"] == "none linked (patient harm not assessed)"
    assert _detail(doc, "T-2")["Safety hazards"] == "none linked"
    assert _detail(doc, "T-3")["Safety hazards"] == "none (no patient harm)"
