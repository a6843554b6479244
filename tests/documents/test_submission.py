"""The submission audience (SPEC §7): the confidential documentation set for regulators."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from mdptm.base.output import MARKER
from mdptm.documents.labeling import answer_labeling, load_catalogue
from mdptm.documents.submission import (
    ARCHITECTURE,
    CRA,
    FILES,
    LABELING,
    RISK,
    TRACEABILITY,
    architecture_doc,
    architecture_scopes,
    cra_doc,
    publish_submission,
    risk_doc,
    trace_rows,
    write_labeling,
    write_submission,
    write_traceability,
)
from mdptm.errors import InputError
from mdptm.mapping.engine import load_framework, map_model
from mdptm.model import Model
from mdptm.model.io import load
from mdptm.plugins import ExportContext
from mdptm.render.docir import Bullets, Doc, Heading, Paragraph, Table
from tests.conftest import SAMPLES

DATA = Path(__file__).parent.parent / "data" / "submission"
EPOCH = 1770681600  # 2026-02-10


@pytest.fixture
def model() -> Model:
    return load(DATA / "monitor.yaml")


@pytest.fixture
def ctx() -> ExportContext:
    return ExportContext(epoch=EPOCH)


def texts(doc: Doc) -> str:
    """Every word a document says, tables included."""
    out: list[str] = []
    for b in doc.blocks:
        if isinstance(b, Heading | Paragraph):
            out.append(b.text)
        elif isinstance(b, Bullets):
            out.extend(b.items)
        elif isinstance(b, Table):
            out.extend(b.header)
            out.extend(cell for row in b.rows for cell in row)
    return "\n".join(out)


def headings(doc: Doc, level: int | None = None) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Heading) and (level is None or b.level == level)]


def table_after(doc: Doc, heading: str) -> Table:
    """The first table following the heading *heading*."""
    start = next(i for i, b in enumerate(doc.blocks) if isinstance(b, Heading) and b.text == heading)
    return next(b for b in doc.blocks[start:] if isinstance(b, Table))


def sheet_rows(path: Path, sheet: str) -> list[dict[str, object]]:
    ws = load_workbook(path)[sheet]
    header = [c.value for c in ws[4]]
    return [dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=5)]


# ------------------------------------------------------------------------------- labelling data


def test_labeling_catalogue_numbers_the_fourteen_recommendations_like_the_fda_framework() -> None:
    cat = load_catalogue()
    assert [i.number for i in cat.items] == list(range(1, 15))
    fda = load_framework("fda-premarket")
    clause_ids = {c.id for c in fda.clauses}
    assert {i.id for i in cat.items} <= clause_ids
    assert all("VI.A" in i.citation for i in cat.items)


def test_labeling_answers_come_from_the_model(model: Model) -> None:
    answers = {a.item.number: a for a in answer_labeling(model)}
    assert answers[5].status == "answered" and "CycloneDX" in answers[5].answer
    assert answers[13].status == "answered" and "2033-12-31" in answers[13].answer
    # F-04 has no port and F-07 none either: the ports list is only partly answered
    assert answers[3].status == "partial"
    assert any("F-04" in m and "F-07" in m for m in answers[3].missing)
    # no data-disposal procedure in support: decommissioning is partial, and says what is missing
    assert answers[14].status == "partial"
    assert "Data disposal procedure" in answers[14].missing
    assert answers[9].where == ["controls: C-BACKUP"]


def test_labeling_items_with_nothing_in_the_model_are_missing(model: Model) -> None:
    bare = model.model_copy(update={"support": type(model.support)(), "controls": [], "assumptions": []})
    answers = {a.item.number: a for a in answer_labeling(bare)}
    for n in (1, 5, 7, 8, 9, 13):
        assert answers[n].status == "missing", n
        assert answers[n].answer == ""


# ------------------------------------------------------------------------------ traceability


def test_trace_rows_pair_every_threat_with_each_of_its_controls(model: Model) -> None:
    rows = trace_rows(model)
    pairs = [(r.threat.id, r.control_id) for r in rows]
    expected = [(t.id, c) for t in model.threats for c in t.controls] + [(t.id, None) for t in model.threats if not t.controls]
    assert sorted(pairs, key=str) == sorted(expected, key=str)
    assert {t.id for t in model.threats} == {r.threat.id for r in rows}
    no_control = {r.threat.id: r.gaps for r in rows if r.control_id is None}
    assert no_control["T-08"] == ["No control"]
    assert no_control["T-12"] == ["No control (threat not applicable)"]
    gaps = {(r.threat.id, r.control_id): r.gaps for r in rows}
    assert gaps[("T-03", "C-RATE")] == ["Implemented, no verification evidence"]
    assert gaps[("T-09", "C-TPM")] == ["Control planned"]
    assert gaps[("T-01", "C-MTLS")] == []


def test_trace_rows_flag_a_control_missing_from_the_model(model: Model) -> None:
    model.threats[0].controls.append("C-GHOST")
    gaps = {(r.threat.id, r.control_id): r.gaps for r in trace_rows(model)}
    assert gaps[("T-01", "C-GHOST")] == ["Control not in the model"]


def test_traceability_workbook(model: Model, ctx: ExportContext, tmp_path: Path) -> None:
    path = tmp_path / TRACEABILITY
    write_traceability(model, path, ctx)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Summary", "Traceability", "Controls"]
    controls = {c.id: c for c in model.controls}
    rows = sheet_rows(path, "Traceability")
    assert len(rows) == len(trace_rows(model))
    for row in rows:
        cid = row["Control ID"]
        if cid:
            assert row["Verification evidence"] == ("\n".join(controls[str(cid)].verification) or None)
            assert row["FDA category"]
    by_pair = {(r["Threat ID"], r["Control ID"]): r for r in rows}
    assert by_pair[("T-01", "C-MTLS")]["Verification evidence"] == "PEN-2025-07 section 4\nVER-TLS-011"
    assert by_pair[("T-01", "C-MTLS")]["FDA category"] == "Authentication"

    ws = wb["Traceability"]
    assert str(ws["A1"].value).startswith("CONFIDENTIAL")
    assert ws.freeze_panes == "B5"
    assert ws.auto_filter.ref == f"A4:O{4 + len(rows)}"
    assert "CONFIDENTIAL" in ws.oddHeader.center.text
    assert ws["B4"].alignment.wrap_text or ws["B5"].alignment.wrap_text
    assert ws.column_dimensions["B"].width > 20
    t08 = next(i for i, r in enumerate(rows, start=5) if r["Threat ID"] == "T-08")
    assert ws.cell(row=t08, column=14).fill.fgColor.rgb.endswith("F4CCCC")  # a threat with no control is red
    rate = next(i for i, r in enumerate(rows, start=5) if r["Control ID"] == "C-RATE")
    assert ws.cell(row=rate, column=13).fill.fgColor.rgb.endswith("F4CCCC")  # implemented, no evidence

    summary = {(r["Group"], r["Measure"]): r["Count"] for r in sheet_rows(path, "Summary")}
    assert summary[("Totals", "Threats")] == 12
    assert summary[("Totals", "Threat–control pairs")] == sum(len(t.controls) for t in model.threats)
    assert summary[("Gaps", "Threats with no control")] == 1
    assert summary[("Gaps", "Implemented controls with no verification evidence")] == 2
    assert summary[("Gaps", "Controls linked to no threat")] == 1  # C-ORPHAN

    ctl = {r["Control ID"]: r for r in sheet_rows(path, "Controls")}
    assert ctl["C-ORPHAN"]["Gap"] == "Linked to no threat"
    assert ctl["C-ALLOW"]["Threats"] == "T-01, T-05"

    props = wb.properties
    assert props.creator == "mdptm" and props.lastModifiedBy == "mdptm"
    assert props.created == props.modified == datetime(2026, 2, 10)


def test_workbooks_are_byte_identical_across_runs(model: Model, ctx: ExportContext, tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        write_traceability(model, tmp_path / name / TRACEABILITY, ctx)
        write_labeling(model, tmp_path / name / LABELING, ctx)
    for f in (TRACEABILITY, LABELING):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()
        with zipfile.ZipFile(tmp_path / "a" / f) as z:
            assert {i.date_time for i in z.infolist()} == {(2026, 2, 10, 0, 0, 0)}


def test_model_text_that_looks_like_a_formula_stays_text(model: Model, ctx: ExportContext, tmp_path: Path) -> None:
    model.threats[0].title = '=HYPERLINK("http://evil")\x07'
    write_traceability(model, tmp_path / TRACEABILITY, ctx)
    ws = load_workbook(tmp_path / TRACEABILITY)["Traceability"]
    assert ws["B5"].data_type == "s"
    assert ws["B5"].value == '=HYPERLINK("http://evil")'


def test_labeling_workbook_lists_every_recommendation_with_a_status(model: Model, ctx: ExportContext, tmp_path: Path) -> None:
    path = tmp_path / LABELING
    ctx.coverage = map_model(model, ["fda-premarket"])
    write_labeling(model, path, ctx)
    rows = sheet_rows(path, "Labeling checklist")
    assert [r["#"] for r in rows] == list(range(1, 15))
    assert all(r["Status"] in ("answered", "partial", "missing") for r in rows)
    assert all(r["Recommendation"] and r["Citation"] for r in rows)
    row5 = rows[4]
    assert row5["Where in the model"] == "support.sbom"
    # the sample's CycloneDX SBOM gives no component's support level or end of support (FDA premarket V.A.4)
    assert str(row5["Mapping verdict (fda-premarket)"]).startswith("Partial")
    assert "support level or end of support" in str(row5["Mapping verdict (fda-premarket)"])
    ws = load_workbook(path)["Labeling checklist"]
    assert "CONFIDENTIAL" in ws.oddHeader.center.text and str(ws["A1"].value).startswith("CONFIDENTIAL")
    summary = {r["Status"]: r["Recommendations"] for r in sheet_rows(path, "Summary")}
    assert summary["Total"] == 14


def test_labeling_workbook_without_mapping_says_so(model: Model, ctx: ExportContext, tmp_path: Path) -> None:
    write_labeling(model, tmp_path / LABELING, ctx)
    rows = sheet_rows(tmp_path / LABELING, "Labeling checklist")
    assert {r["Mapping verdict (fda-premarket)"] for r in rows} == {"mapping not run"}


# ------------------------------------------------------------------------- architecture views


def test_architecture_has_a_chapter_per_view_kind_naming_each_use_case(model: Model, ctx: ExportContext) -> None:
    doc = architecture_doc(model, ctx)
    assert doc.confidential
    chapters = headings(doc, 1)
    assert chapters[:4] == ["Global System View", "Multi-Patient Harm View", "Updatability/Patchability View", "Security Use Case Views"]
    assert chapters[4:] == ["Security Use Case View: Alarm surveillance", "Security Use Case View: Field service of a monitor"]
    uc = table_after(doc, "Security Use Case Views")
    assert [r[1] for r in uc.rows] == ["Alarm surveillance", "Field service of a monitor"]
    body = texts(doc)
    assert "Technician authenticates" in body  # use-case steps


def test_view_tables_cover_elements_flows_assets_and_controls(model: Model, ctx: ExportContext) -> None:
    scopes = architecture_scopes(model)
    upd = scopes["updatability_patchability"][0]
    assert [e.id for e in upd.elements] == ["E-MON", "E-CS", "E-UPD"]
    assert [f.id for f in upd.flows] == ["F-05", "F-06"]
    assert "A-FW" in [a.id for a in upd.assets]
    assert "C-SIGN" in [c.id for c in upd.controls]
    uc1 = scopes["security_use_case"][0]
    assert [t.id for t in uc1.threats] == ["T-01", "T-02", "T-03"]
    assert {"C-MTLS", "C-HMAC", "C-RATE"} <= {c.id for c in uc1.controls}


def test_multi_patient_view_names_what_could_harm_many_patients(model: Model, ctx: ExportContext) -> None:
    doc = architecture_doc(model, ctx)
    table = table_after(doc, "Elements and flows that could affect many patients at once")
    by_id = {r[0]: r for r in table.rows}
    assert {"E-CS", "E-MON", "F-02", "F-06"} <= set(by_id)
    assert "T-02" in by_id["F-02"][4] and by_id["F-02"][5] == "Catastrophic"
    assert "E-EMR" not in by_id  # nothing says the EMR could harm many patients


def test_missing_view_kinds_are_derived_or_called_out(model: Model, ctx: ExportContext) -> None:
    bare = model.model_copy(update={"views": []})
    doc = architecture_doc(bare, ctx)
    assert headings(doc, 1) == [
        "Global System View",
        "Multi-Patient Harm View",
        "Updatability/Patchability View",
        "Security Use Case Views",
    ]
    body = texts(doc)
    assert body.count("The model has no view of this kind") == 3  # global, multi-patient, update path derived
    assert "defines no security use case view" in body
    scopes = architecture_scopes(bare)
    assert len(scopes["global_system"][0].elements) == len(model.elements)
    assert {t.id for t in scopes["multi_patient_harm"][0].threats} == {"T-02", "T-03", "T-04", "T-05"}
    assert [f.id for f in scopes["updatability_patchability"][0].flows] == ["F-05", "F-06"]


# --------------------------------------------------------------------------- risk assessment


def test_risk_assessment_covers_every_threat_unredacted(model: Model, ctx: ExportContext) -> None:
    doc = risk_doc(model, ctx)
    chapters = headings(doc, 1)
    assert chapters == [
        "Scope and method",
        "Scoring method and acceptance criteria",
        "Risk scales",
        "Threat register",
        "Exploitability and severity per threat",
        "Security risks carried into the safety risk assessment",
        "Known vulnerabilities",
        "Threats in detail",
        "Open and accepted threats",
        "Residual risk acceptance",
        "Security controls",
    ]
    details = headings(doc, 2)
    for t in model.threats:
        assert f"{t.id} {t.title}" in details
    body = texts(doc)
    assert "5x5 exploitability" in body  # the scale used
    assert "Dana Whitfield" in body  # confidential by design: nothing is redacted
    assert "withheld or summarised in the public PTM" in body  # T-09 is confidential
    register = table_after(doc, "Threat register")
    assert [r[0] for r in register.rows] == [t.id for t in model.threats]


def test_risk_assessment_calls_out_open_and_accepted_threats(model: Model, ctx: ExportContext) -> None:
    doc = risk_doc(model, ctx)
    callouts = {b.bold_prefix: b.text for b in doc.blocks if isinstance(b, Paragraph) and b.bold_prefix}
    assert callouts["Open:"].startswith("2 threats")  # T-02 partially mitigated, T-08 open
    assert callouts["Accepted:"].startswith("1 threat is accepted with its residual risk")
    assert callouts["High residual risk:"].startswith("1 threat keeps a high or critical residual risk")
    tables = [b for b in doc.blocks if isinstance(b, Table) and b.caption == "Accepted threats"]
    assert tables[0].rows[0][0] == "T-05" and "Dana Whitfield" in tables[0].rows[0][6]
    signoffs = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Sign-offs")
    assert signoffs.rows[0][:2] == ["Product security lead", "Dana Whitfield"]


# ------------------------------------------------------------------------------ CRA document


def test_cra_document_without_mapping_says_the_mapping_was_not_run(model: Model, ctx: ExportContext) -> None:
    body = texts(cra_doc(model, ctx))
    assert body.count("The mapping was not run for cra-annex-i") == 2
    assert "2033-12-31" in body and "psirt@northwind.example" in body


def test_cra_document_states_how_each_annex_i_item_applies(model: Model, ctx: ExportContext) -> None:
    ctx.coverage = map_model(model, ["cra-annex-i"])
    doc = cra_doc(model, ctx)
    fw = ctx.coverage.frameworks[0]
    details = headings(doc, 2)
    for clause in fw.clauses:
        assert f"{clause.id} {clause.title}" in details
    part1 = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Annex I Part I at a glance")
    assert [r[0] for r in part1.rows] == [c.id for c in fw.clauses if c.id.startswith("I.")]
    body = texts(doc)
    assert "Important product, class I" in body
    assert "Data disposal" in body and "missing" in body  # support.data_disposal is not stated


def test_cra_document_for_an_mdr_device_says_the_cra_is_a_benchmark(model: Model, ctx: ExportContext) -> None:
    model.product.regulatory.cra_scope = "excluded_mdr_ivdr"
    assert "Article 2(2)" in texts(cra_doc(model, ctx))


# ------------------------------------------------------------------------------- the whole set


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/") and n.endswith(".xml"))


def test_write_submission_writes_five_documents_and_a_manifest(model: Model, ctx: ExportContext, tmp_path: Path) -> None:
    ctx.coverage = map_model(model, ["cra-annex-i", "fda-premarket"])
    written = write_submission(model, tmp_path, ctx)
    assert [p.name for p in written] == [*FILES, "MANIFEST.json"]
    manifest = json.loads((tmp_path / "MANIFEST.json").read_text())
    assert manifest["audience"] == "submission" and manifest["confidential"] is True
    assert sorted(f["path"] for f in manifest["files"]) == sorted(FILES)
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".png"]  # diagrams live inside the documents only
    for name in (ARCHITECTURE, RISK, CRA):
        text = _docx_text(tmp_path / name)
        assert "CONFIDENTIAL" in text
    assert "Dana Whitfield" in _docx_text(tmp_path / RISK)
    with zipfile.ZipFile(tmp_path / ARCHITECTURE) as z:
        assert len([n for n in z.namelist() if n.startswith("word/media/")]) >= 5  # one diagram per view


@pytest.mark.slow
def test_publish_submission_is_deterministic_and_stays_out_of_public_packages(model: Model, tmp_path: Path) -> None:
    src = tmp_path / "model.yaml"
    src.write_text((DATA / "monitor.yaml").read_text())
    a = publish_submission(src, tmp_path / "a")
    b = publish_submission(load(src), tmp_path / "b")
    assert a == tmp_path / "a" / "submission"
    for f in [*FILES, "MANIFEST.json"]:
        assert (a / f).read_bytes() == (b / f).read_bytes(), f
    public = tmp_path / "pkg"
    public.mkdir()
    (public / "ptm.json").write_text("{}")
    with pytest.raises(InputError, match="public PTM package"):
        publish_submission(model, public)
    assert not (public / "submission").exists()


@pytest.mark.slow
def test_sample_project_builds_its_submission_set(tmp_path: Path) -> None:
    sample = SAMPLES / "infusion-pump" / "model.yaml"
    if not sample.exists():
        pytest.skip("sample project not present")
    model = load(sample)
    out = publish_submission(model, tmp_path)
    assert sorted(p.name for p in out.iterdir()) == sorted([*FILES, "MANIFEST.json", MARKER])
    rows = sheet_rows(out / TRACEABILITY, "Traceability")
    assert {r["Threat ID"] for r in rows} == {t.id for t in model.threats}
    pairs = {(r["Threat ID"], r["Control ID"]) for r in rows}
    assert all((t.id, c) in pairs for t in model.threats for c in t.controls)
    labels = sheet_rows(out / LABELING, "Labeling checklist")
    assert len(labels) == 14
    doc = architecture_doc(model, ExportContext())
    for v in model.views:
        if v.kind == "security_use_case":
            assert f"Security Use Case View: {v.name}" in headings(doc, 1)
    with zipfile.ZipFile(out / ARCHITECTURE) as z:
        assert len([n for n in z.namelist() if n.startswith("word/media/")]) >= len(model.views)


def test_publish_submission_keeps_given_coverage_and_adds_what_is_missing(model: Model, tmp_path: Path) -> None:
    mc2 = map_model(model, ["mc2"])
    ctx = ExportContext(epoch=EPOCH, coverage=mc2)
    out = publish_submission(model, tmp_path, ctx)
    assert ctx.coverage is mc2 and len(mc2.frameworks) == 1  # the caller's context is left alone
    rows = sheet_rows(out / LABELING, "Labeling checklist")
    assert all(r["Mapping verdict (fda-premarket)"] != "mapping not run" for r in rows)


def test_publish_submission_refuses_placeholders_unless_draft(model: Model, tmp_path: Path) -> None:
    from mdptm.errors import BlockingError
    from mdptm.model import PLACEHOLDER

    model.product.manufacturer = PLACEHOLDER
    with pytest.raises(BlockingError, match="placeholder"):
        publish_submission(model, tmp_path / "a", ExportContext(epoch=EPOCH))
    assert not (tmp_path / "a").exists()
    out = publish_submission(model, tmp_path / "b", ExportContext(epoch=EPOCH, draft=True))
    assert "DRAFT" in _docx_text(out / RISK)
    assert "DRAFT" in str(load_workbook(out / TRACEABILITY)["Traceability"]["A1"].value)


@pytest.mark.slow
def test_cli_publish_with_submission_audience(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from mdptm.cli import STATE, main

    STATE.verbosity = 1
    src = tmp_path / "model.yaml"
    src.write_text((DATA / "monitor.yaml").read_text())
    with pytest.raises(SystemExit) as exc:
        main(["publish", str(src), "-o", str(tmp_path / "out"), "--audience", "submission"])
    assert exc.value.code in (0, None)
    assert "confidential submission set" in capsys.readouterr().out
    assert sorted(p.name for p in (tmp_path / "out" / "submission").iterdir()) == sorted([*FILES, "MANIFEST.json", MARKER])
    assert not (tmp_path / "out" / "ptm.docx").exists()  # never mixed with a public package
    # a public package in the same folder would swallow it: refused, exit 2
    with pytest.raises(SystemExit) as exc:
        main(["publish", str(src), "-o", str(tmp_path / "pub"), "--draft"])
    with pytest.raises(SystemExit) as exc:
        main(["publish", str(src), "-o", str(tmp_path / "pub"), "--audience", "submission"])
    assert exc.value.code == 2
    assert "public PTM package" in capsys.readouterr().err
