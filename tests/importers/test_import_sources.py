"""Several sources at once: names and ids resolve across files, the sample's three forms agree, the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mdptm.cli import cli
from mdptm.importers.tabular.records import PENDING
from mdptm.model import Item, Model
from mdptm.model.io import load
from tests.importers.import_helpers import Doc, reconciles, run_import, warnings_with, workbook

SAMPLE = Path(__file__).resolve().parent.parent.parent / "samples" / "infusion-pump"
NOT_COMPARED = {"source", "provenance", "extra"}


def _architecture_doc(path: Path) -> Path:
    d = Doc().title("PumpCo P5 – Threat Model")
    d.heading("2 Architecture", 1)
    d.table(
        [
            ["ID", "Component", "Type"],
            ["CMP-1", "P5 Pump", "Device"],
            ["CMP-2", "Fleet Server", "Server"],
            ["CMP-3", "Nurse Tablet", "Mobile app"],
        ]
    )
    d.table([["Interface", "Source", "Destination", "Protocol"], ["Pump sync", "P5 Pump", "Fleet Server", "HTTPS"]])
    return d.save(path)


def test_register_names_components_defined_in_the_word_document(tmp_path: Path) -> None:
    doc = _architecture_doc(tmp_path / "tm.docx")
    reg = workbook(
        tmp_path / "reg.xlsx",
        {
            "Threats": [
                ["Threat ID", "Threat", "STRIDE", "Affected component", "Controls"],
                ["T-1", "Pump impersonation", "S", "p5 pump", "SC-1"],
                ["T-2", "Sync tampering", "T", "Pump sync", "SC-1; SC-2"],
                ["T-3", "Tablet theft", "I", "Nurse Tablet / Fleet Server", "SC-2"],
                ["T-4", "Badge cloning", "S", "Badge reader", "SC-3"],
            ],
            "Controls": [["Control ID", "Control"], ["SC-1", "Device certificates"], ["SC-2", "Session timeout"]],
        },
    )
    model, report = run_import(doc, reg)
    t = {x.id: x for x in model.threats}
    assert t["T-1"].targets == ["CMP-1"]
    sync = model.flows[0]
    assert t["T-2"].targets == [sync.id] and (sync.source, sync.target) == ("CMP-1", "CMP-2")
    assert t["T-3"].targets == ["CMP-3", "CMP-2"]
    assert t["T-4"].targets == [] and t["T-4"].extra["Affected component"] == "Badge reader"
    assert t["T-4"].extra["Controls"] == "SC-3"
    badge = warnings_with(report, "'Badge reader'")
    assert badge and badge[0].file == "reg.xlsx" and badge[0].locator == "Threats!A5"
    assert not any(k.startswith(PENDING) for _kind, item in model.items() for k in item.extra)
    assert reconciles(report)


def test_control_references_resolve_to_controls_of_another_source(tmp_path: Path) -> None:
    doc = Doc()
    doc.heading("5 Security Controls", 1)
    doc.table([["Control ID", "Security Control", "Category"], ["C-10", "Code signing", "Integrity"]])
    controls = doc.save(tmp_path / "controls.docx")
    threats = tmp_path / "threats.csv"
    threats.write_text("ID,Threat,STRIDE,Mitigation\nT-1,Unsigned firmware,T,Code signing\nT-2,Replay,S,C-10\n", encoding="utf-8")
    model, _ = run_import(threats, controls)
    assert [t.controls for t in model.threats] == [["C-10"], ["C-10"]]


def _fields(item: Item) -> dict[str, object]:
    return {k: v for k, v in item.model_dump(mode="json").items() if k not in NOT_COMPARED}


def _same_items(a: Model, b: Model, coll: str) -> None:
    left = {i.id: _fields(i) for i in getattr(a, coll)}
    right = {i.id: _fields(i) for i in getattr(b, coll)}
    assert left == right, coll


@pytest.fixture(scope="module")
def native() -> Model:
    return load(SAMPLE / "model.yaml")


@pytest.mark.parametrize("source", ["threat-model.docx", "register.xlsx"])
def test_sample_word_and_excel_forms_import_to_the_native_model(native: Model, source: str) -> None:
    model, report = run_import(SAMPLE / source)
    for coll in ("threats", "controls", "elements", "flows", "assets", "trust_zones", "assumptions", "out_of_scope"):
        _same_items(native, model, coll)
    assert reconciles(report)
    assert not warnings_with(report, "not understood") and not warnings_with(report, "matches no")


def test_sample_word_form_has_the_views(native: Model) -> None:
    model, _ = run_import(SAMPLE / "threat-model.docx")
    mine = {(v.kind, v.name): v for v in model.views}
    theirs = {(v.kind, v.name): v for v in native.views}
    assert set(mine) == set(theirs)
    for key, view in theirs.items():
        for fname in ("elements", "flows", "threats", "controls", "steps", "description"):
            assert getattr(mine[key], fname) == getattr(view, fname), (key, fname)
    assert model.product == native.product.model_copy(
        update={"regulatory": native.product.regulatory.model_copy(update={"cra_scope": "unknown"})}
    )
    assert model.support == native.support


def test_sample_sources_merge_without_conflicts(native: Model) -> None:
    model, report = run_import(SAMPLE / "threat-model.docx", SAMPLE / "register.xlsx")
    assert not warnings_with(report, "conflict")
    for coll in ("threats", "controls", "elements", "flows"):
        _same_items(native, model, coll)
    assert report.counts.merged > 0 and reconciles(report)


def test_sample_sources_are_current_and_deterministic(tmp_path: Path) -> None:
    """make_sources.py writes byte-identical files: the committed ones are what it makes from model.yaml."""
    import importlib.util

    work = tmp_path / "infusion-pump"
    work.mkdir()
    for name in ("make_sources.py", "model.yaml"):
        shutil.copy(SAMPLE / name, work / name)
    spec = importlib.util.spec_from_file_location("make_sources_copy", work / "make_sources.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main()
    for name in ("threat-model.docx", "register.xlsx"):
        assert (work / name).read_bytes() == (SAMPLE / name).read_bytes(), f"{name} is stale: run make_sources.py"


def test_cli_import_with_profile_and_report(tmp_path: Path) -> None:
    path = workbook(tmp_path / "odd.xlsx", {"Sheet1": [["Key", "What could happen", "Cat."], ["R-1", "Pump spoofed", "S"]]})
    profile = tmp_path / "profile.yaml"
    profile.write_text(
        "sheets:\n  Sheet1:\n    kind: threat\n    header_row: 1\n    columns:\n"
        "      Key: id\n      What could happen: title\n      Cat.: stride\n",
        encoding="utf-8",
    )
    out = tmp_path / "model.json"
    rep = tmp_path / "report.json"
    result = CliRunner().invoke(cli, ["import", str(path), "-o", str(out), "--profile", str(profile), "--report", str(rep)])
    assert result.exit_code == 0, result.output
    model = json.loads(out.read_text(encoding="utf-8"))
    assert [(t["id"], t["title"], t["stride"]) for t in model["threats"]] == [("R-1", "Pump spoofed", ["spoofing"])]
    report = json.loads(rep.read_text(encoding="utf-8"))
    c = report["counts"]
    assert c["seen"] == c["imported"] + c["merged"] + c["skipped"] == len(report["records"]) == 2
    assert {r["disposition"] for r in report["records"]} == {"imported", "skipped"}


def test_build_on_the_sample_reads_the_word_and_excel_sources(tmp_path: Path, native: Model) -> None:
    out = tmp_path / "ptm"
    result = CliRunner().invoke(cli, ["build", str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "ptm.internal" / "import-report.json").read_text(encoding="utf-8"))
    files = {r["file"] for r in report["records"]}
    assert files == {"threat-model.docx", "register.xlsx"}
    published = json.loads((out / "ptm.json").read_text(encoding="utf-8"))
    assert {t["id"] for t in published["threats"]} <= {t.id for t in native.threats}


def test_references_with_explanations_in_brackets(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "r.xlsx",
        {
            "Threats": [
                ["ID", "Threat", "Controls", "Component"],
                ["T-1", "Forged image", "C-01 (signed images / secure boot), C-02 (anti-rollback)", "Pump (firmware)"],
            ],
            "Controls": [["Control ID", "Control"], ["C-01", "Code signing"], ["C-02", "Version counter"]],
            "Components": [["Component"], ["Pump"]],
        },
    )
    model, report = run_import(path)
    assert model.threats[0].controls == ["C-01", "C-02"] and model.threats[0].targets == ["pump"]
    assert not warnings_with(report, "matches no")
