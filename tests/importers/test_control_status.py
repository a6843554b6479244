"""A control a document lists without a status is read as implemented, but marked as not stated, and that
mark reaches the mapping (at most partial) and the documents ("status not stated")."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from mdptm.documents.guides import build_guides
from mdptm.mapping.engine import map_model
from mdptm.model import Control, Document, Model, Product
from mdptm.pipeline.importing import ImportSource, import_sources
from tests.documents.test_guides import text_of
from tests.importers.import_helpers import run_import


def _register(path: Path, header: list[str], rows: list[list[str]], sheet: str = "Controls") -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    for row in [header, *rows]:
        ws.append(row)
    wb.save(path)
    return path


def test_a_control_table_without_a_status_column_states_no_status(tmp_path: Path) -> None:
    path = _register(tmp_path / "c.xlsx", ["Control ID", "Security control", "Category"], [["C-1", "Append-only audit log", "Logging"]])
    model, _report = run_import(path)
    assert [(c.id, c.status, c.status_stated) for c in model.controls] == [("C-1", "implemented", False)]


def test_a_status_column_states_it_and_a_second_source_stating_it_wins(tmp_path: Path) -> None:
    stated = _register(
        tmp_path / "stated.xlsx", ["Control ID", "Security control", "Status"], [["C-1", "Append-only audit log", "Implemented"]]
    )
    model, _ = run_import(stated)
    assert model.controls[0].status_stated is True
    bare = _register(tmp_path / "bare.xlsx", ["Control ID", "Security control"], [["C-1", "Append-only audit log"]])
    merged, _ = import_sources([ImportSource(bare, None, None), ImportSource(stated, None, None)])
    assert [(c.status, c.status_stated) for c in merged.controls] == [("implemented", True)]


def test_a_mitigation_text_made_into_a_control_states_no_status(tmp_path: Path) -> None:
    path = _register(
        tmp_path / "t.xlsx",
        ["Threat ID", "Threat", "STRIDE", "Mitigation"],
        [["T-1", "Log wiped by an intruder", "R", "Append-only log"]],
        "Threats",
    )
    model, _ = run_import(path)
    assert [(c.title, c.status_stated) for c in model.controls] == [("Append-only log", False)]


def _model(stated: bool) -> Model:
    c = Control(id="C-1", title="Security event log exported over syslog", category="event_logging", status_stated=stated)
    return Model(product=Product(name="P", manufacturer="M"), document=Document(version="1"), controls=[c])


def test_the_mapping_counts_an_unstated_status_at_most_partial() -> None:
    def verdict(m: Model) -> tuple[str, str]:
        fw = map_model(m, ["fda-premarket"]).framework("fda-premarket")
        assert fw is not None
        c = next(c for c in fw.clauses if c.id == "control.event_logging")
        return c.status, c.rationale

    assert verdict(_model(True))[0] == "covered"
    status, why = verdict(_model(False))
    assert status == "partial"
    assert "no source states that C-1 is implemented (listed as mitigations): confirm" in why


def test_the_guides_say_the_status_is_not_stated() -> None:
    text = text_of(build_guides(_model(False))["pre-procurement"])
    assert "1 by the device maker (1 status not stated)" in text
    assert "The threat model lists controls C-1 without saying whether they are implemented." in text


def test_the_submission_set_tells_a_reviewer_the_status_is_not_stated() -> None:
    from mdptm.documents.submission._tables import _controls_table
    from mdptm.documents.submission.traceability import trace_rows
    from mdptm.model import Threat
    from mdptm.render.docir import Doc

    m = _model(False)
    m.threats = [Threat(id="T-1", title="Log wiped", stride=["repudiation"], controls=["C-1"], status="mitigated")]
    assert trace_rows(m)[0].gaps == ["Status not stated in the source; no verification evidence"]
    doc = Doc(title="t")
    _controls_table(doc, m.controls, "Controls")
    assert "| Not stated in the source |" in text_of(doc)  # not "Implemented", mdptm's reading
