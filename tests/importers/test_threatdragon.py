"""OWASP Threat Dragon import: the same synthetic model saved by v1 and v2, and the public corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mdptm.errors import InputError
from mdptm.importers.threatdragon import ThreatDragonImporter
from mdptm.model import Model
from mdptm.model.io import dumps
from mdptm.model.report import ImportReport
from mdptm.model.validate import validate_model
from mdptm.pipeline.importing import detect
from mdptm.plugins import ImportContext, importers

# (id, type, name, box) of the nodes; the phone box only exists in v2 (v1 has no boundary boxes)
NODES = [
    ("n-patient", "tm.Actor", "Patient", (0, 0, 100, 60)),
    ("n-app", "tm.Process", "Mobile app", (200, 0, 100, 100)),
    ("n-log", "tm.Store", "Dose log", (350, 20, 80, 60)),
    ("n-cloud", "tm.Process", "Cloud\nservice", (600, 0, 100, 100)),
]
# (id, name, source, target, data)
FLOWS: list[tuple[str, str, Any, Any, dict[str, Any]]] = [
    ("f-enter", "Enter dose", "n-patient", "n-app", {"protocol": "BLE", "isEncrypted": True, "isPublicNetwork": False}),
    ("f-store", "", "n-app", "n-log", {}),
    ("f-upload", "Upload", "n-app", "n-cloud", {"protocol": "HTTPS", "isPublicNetwork": True, "isBidirectional": True}),
    ("f-loose", "Sync back", {"x": 705, "y": 50}, "n-log", {}),
    ("f-broken", "Broken", {"x": 2000, "y": 2000}, "n-patient", {}),
]
# (cell, title, type, status, severity, mitigation)
THREATS = [
    ("n-app", "Dose tampering", "Tampering", "Open", "High", "Sign dose commands"),
    ("n-app", "Dose tampering", "Tampering", "Mitigated", "Medium", "HMAC over every command"),
    ("f-upload", "Eavesdropping", "Information disclosure", "NotApplicable", "Low", "The uploaded data is public"),
    ("n-log", "Log wiped", "Denial of service", "Open", "TBA", "None as yet :)"),
    ("n-cloud", "Linkable users", "Linkability", "Open", "TBD", ""),
    ("f-broken", "Spoofed sender", "Spoofing", "Open", "Critical", "Mutual authentication"),
]


def _threats(cell: str, v2: bool) -> list[dict[str, Any]]:
    out = []
    for n, (c, title, kind, status, severity, mitigation) in enumerate(THREATS, 1):
        if c != cell:
            continue
        t = {"title": title, "type": kind, "status": status, "severity": severity, "mitigation": mitigation, "description": f"{title}."}
        if v2:
            t |= {"id": f"uuid-{n}", "number": n * 10, "modelType": "LINDDUN" if kind == "Linkability" else "STRIDE", "score": ""}
        out.append(t)
    return out


def v2_model() -> dict[str, Any]:
    cells: list[dict[str, Any]] = [
        {
            "shape": "trust-boundary-box",
            "id": "b-phone",
            "position": {"x": 180, "y": -20},
            "size": {"width": 300, "height": 200},
            "attrs": {"label": {"text": "Phone"}},
            "data": {"type": "tm.BoundaryBox", "name": "Phone", "isTrustBoundary": True},
        },
        {
            "shape": "trust-broundary-curve",  # the misspelling older releases saved
            "id": "b-internet",
            "source": {"x": 550, "y": -100},
            "target": {"x": 550, "y": 300},
            "vertices": [{"x": 550, "y": 100}],
            "data": {"type": "tm.Boundary", "name": "Internet", "isTrustBoundary": True},
        },
        {
            "shape": "td-text-block",
            "id": "t-note",
            "position": {"x": 0, "y": 400},
            "size": {"width": 10, "height": 10},
            "data": {"type": "tm.Text", "name": "Sketch"},
        },
    ]
    shapes = {"tm.Actor": "actor", "tm.Process": "process", "tm.Store": "store"}
    for cid, kind, name, (x, y, w, h) in NODES:
        cells.append(
            {
                "shape": shapes[kind],
                "id": cid,
                "position": {"x": x, "y": y},
                "size": {"width": w, "height": h},
                "attrs": {"text": {"text": name}},
                "data": {
                    "type": kind,
                    "name": name,
                    "description": "",
                    "outOfScope": False,
                    "reasonOutOfScope": "",
                    "threats": _threats(cid, True),
                },
            }
        )
    for fid, name, src, tgt, data in FLOWS:
        cells.append(
            {
                "shape": "flow",
                "id": fid,
                "source": {"cell": src} if isinstance(src, str) else src,
                "target": {"cell": tgt} if isinstance(tgt, str) else tgt,
                "labels": [{"attrs": {"labelText": {"text": name}}}],
                "data": {"type": "tm.Flow", "name": name, "outOfScope": False, **data, "threats": _threats(fid, True)},
            }
        )
    return {
        "version": "2.3.0",
        "summary": {"title": "Insulin pump app", "owner": "Jane Roe", "description": "A <b>phone</b> app that doses insulin."},
        "detail": {
            "contributors": [{"name": "Dev team"}],
            "reviewer": "",
            "diagrams": [{"id": 0, "title": "Main", "diagramType": "STRIDE", "cells": cells}],
        },
    }


def v1_model() -> dict[str, Any]:
    cells: list[dict[str, Any]] = [
        {
            "type": "tm.Boundary",
            "id": "b-internet",
            "source": {"x": 550, "y": -100},
            "target": {"x": 550, "y": 300},
            "vertices": [{"x": 550, "y": 100}],
        },
    ]
    for cid, kind, name, (x, y, w, h) in NODES:
        cells.append(
            {
                "type": kind,
                "id": cid,
                "position": {"x": x, "y": y},
                "size": {"width": w, "height": h},
                "attrs": {"text": {"text": name}, ".element-shape": {"class": "element-shape hasOpenThreats isInScope"}},
                "threats": _threats(cid, False),
            }
        )
    for fid, name, src, tgt, data in FLOWS:
        cells.append(
            {
                "type": "tm.Flow",
                "id": fid,
                "source": {"id": src} if isinstance(src, str) else src,
                "target": {"id": tgt} if isinstance(tgt, str) else tgt,
                "labels": [{"position": 0.5, "attrs": {"text": {"text": name}}}],
                "threats": _threats(fid, False),
                **data,
            }
        )
    return {
        "summary": {"title": "Insulin pump app", "owner": "Jane Roe", "description": "A phone app that doses insulin."},
        "detail": {"contributors": [], "diagrams": [{"title": "Main", "diagramType": "STRIDE", "id": 0, "diagramJson": {"cells": cells}}]},
    }


def load(path: Path) -> tuple[Model, ImportReport]:
    report = ImportReport()
    model = ThreatDragonImporter().load(path, ImportContext(report=report))
    return model, report.finish()


def count_threats(data: dict[str, Any]) -> int:
    """Independent count: every threat object in every cell of every diagram."""
    n = 0
    for diagram in data["detail"]["diagrams"]:
        cells = diagram.get("cells") or diagram.get("diagramJson", {}).get("cells", [])
        for cell in cells:
            holder = cell.get("data") if isinstance(cell.get("data"), dict) else cell
            n += len(holder.get("threats") or [])
    return n


@pytest.fixture(params=["v1", "v2"])
def saved(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path]:
    data = v1_model() if request.param == "v1" else v2_model()
    path = tmp_path / f"pump-{request.param}.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return request.param, path


# ------------------------------------------------------------------------------- synthetic


def test_both_versions_import_the_same_model(tmp_path: Path) -> None:
    models = {}
    for version, data in (("v1", v1_model()), ("v2", v2_model())):
        path = tmp_path / f"{version}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        models[version], _ = load(path)
        assert len(models[version].threats) == count_threats(data) == len(THREATS)
    v1, v2 = models["v1"], models["v2"]
    assert [(e.id, e.name, e.kind) for e in v1.elements] == [(e.id, e.name, e.kind) for e in v2.elements]
    assert [(f.id, f.source, f.target) for f in v1.flows] == [(f.id, f.source, f.target) for f in v2.flows]
    assert [(t.title, t.status, t.stride, t.targets) for t in v1.threats] == [(t.title, t.status, t.stride, t.targets) for t in v2.threats]


def test_elements_flows_and_boundaries(saved: tuple[str, Path]) -> None:
    version, path = saved
    model, report = load(path)
    names = {e.name: e for e in model.elements}
    assert set(names) == {"Patient", "Mobile app", "Dose log", "Cloud service"}  # the newline is normalised
    assert (names["Patient"].kind, names["Dose log"].kind) == ("external_entity", "data_store")
    flows = {f.name: f for f in model.flows}
    assert set(flows) == {"Enter dose", "Mobile app to Dose log", "Upload", "Sync back"}
    assert flows["Enter dose"].protocol == "BLE" and flows["Enter dose"].encryption == "encrypted"
    assert flows["Upload"].bidirectional and "public-network" in flows["Upload"].tags
    assert flows["Upload"].extra["crosses_line_boundaries"] == ["Internet" if version == "v2" else "Trust boundary"]
    assert "crosses_line_boundaries" not in flows["Enter dose"].extra
    assert flows["Sync back"].source == names["Cloud service"].id  # a loose end drawn at the cloud service
    assert any("no name" in w.message for w in report.warnings)
    assert any(r.disposition == "skipped" and "'Broken' is not connected at its source" in (r.reason or "") for r in report.records)
    if version == "v2":
        (zone,) = model.trust_zones
        assert zone.name == "Phone"
        assert names["Mobile app"].trust_zone == names["Dose log"].trust_zone == zone.id
        assert names["Patient"].trust_zone is None and names["Cloud service"].trust_zone is None
        assert any("text annotation" in (r.reason or "") for r in report.records)
    assert validate_model(model) == []


def test_threats_status_severity_and_mitigations(saved: tuple[str, Path]) -> None:
    version, path = saved
    model, report = load(path)
    controls = {c.id: c for c in model.controls}
    assert [x.title for x in model.threats].count("Dose tampering") == 2  # never merged by title
    planned, done = (x for x in model.threats if x.title == "Dose tampering")
    t = {x.title: x for x in model.threats}
    assert planned.status == "open" and planned.risk and planned.risk.level == "high" and planned.stride == ["tampering"]
    assert controls[planned.controls[0]].status == "planned"
    assert done.status == "mitigated" and controls[done.controls[0]].status == "implemented"
    na = t["Eavesdropping"]
    assert na.status == "not_applicable" and na.rationale == "The uploaded data is public" and na.controls == []
    wiped = t["Log wiped"]
    assert wiped.risk is None and wiped.extra["severity"] == "TBA" and wiped.controls == []  # junk severity; "None as yet"
    linkable = t["Linkable users"]
    assert linkable.stride == [] and linkable.extra["category"] == "Linkability" and linkable.risk is None
    spoofed = t["Spoofed sender"]
    assert spoofed.risk and spoofed.risk.level == "critical"
    patient = next(e.id for e in model.elements if e.name == "Patient")
    assert spoofed.targets == [patient]  # its flow was not imported: it targets the end it reaches
    messages = " ".join(w.message for w in report.warnings)
    assert "'TBA'" in messages and "'Linkability'" in messages and "'TBD'" not in messages
    ids = [x.id for x in model.threats]
    if version == "v2":  # Threat Dragon's own threat numbers
        assert ids == ["TD-10", "TD-20", "TD-40", "TD-50", "TD-30", "TD-60"]
        assert linkable.extra["modelType"] == "LINDDUN"
    else:  # v1 has no numbers: in document order
        assert ids == ["TD-1", "TD-2", "TD-3", "TD-4", "TD-5", "TD-6"]


def test_report_accounts_for_every_cell_and_threat(saved: tuple[str, Path]) -> None:
    _version, path = saved
    model, report = load(path)
    c = report.counts
    assert c.seen == c.imported + c.merged + c.skipped
    data = json.loads(path.read_text())
    diagram = data["detail"]["diagrams"][0]
    cells = diagram.get("cells") or diagram["diagramJson"]["cells"]
    base = "/detail/diagrams/0/cells" if "cells" in diagram else "/detail/diagrams/0/diagramJson/cells"
    locators = {r.locator for r in report.records}
    for i in range(len(cells)):
        assert f"{base}/{i}" in locators
    assert sum("/threats/" in r.locator and "/mitigation" not in r.locator for r in report.records) == len(THREATS)
    assert {r.item for r in report.records if r.disposition != "skipped"} == {i.id for _, i in model.items()}
    assert any("Jane Roe" in (r.reason or "") for r in report.records)


def test_stable_output(saved: tuple[str, Path]) -> None:
    _version, path = saved
    assert dumps(load(path)[0]) == dumps(load(path)[0])


def test_detection(tmp_path: Path, saved: tuple[str, Path]) -> None:
    _version, path = saved
    assert detect(path, importers()).name == "threatdragon"
    not_td = tmp_path / "other.json"
    not_td.write_text('{"otmVersion": "0.2.0", "project": {"name": "x", "id": "x"}}', encoding="utf-8")
    assert detect(not_td, importers()).name == "otm"


def test_not_a_threat_dragon_file(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"summary": {}}', encoding="utf-8")
    with pytest.raises(InputError, match="no 'detail'"):
        load(path)
    path.write_text('{"summary": {', encoding="utf-8")
    with pytest.raises(InputError, match="JSON syntax error"):
        load(path)


# ---------------------------------------------------------------------------------- corpus

TD_FILES = [
    "td-v1-demo-threat-model.json",
    "td-v2-cryptocurrency-wallet.json",
    "td-v2-demo-threat-model.json",
    "td-v2-generic-cms.json",
    "td-v2-iot-device.json",
]


@pytest.mark.parametrize("name", TD_FILES)
def test_corpus_model_imports_every_threat(corpus: Path, name: str) -> None:
    path = corpus / "threatdragon" / name
    model, report = load(path)
    assert len(model.threats) == count_threats(json.loads(path.read_text(encoding="utf-8")))
    assert validate_model(model) == []
    assert all(t.targets for t in model.threats)
    assert report.counts.seen == report.counts.imported + report.counts.merged + report.counts.skipped


def test_corpus_counts(corpus: Path) -> None:
    counts = {}
    for name in TD_FILES:
        model, _ = load(corpus / "threatdragon" / name)
        counts[name] = (len(model.elements), len(model.trust_zones), len(model.flows), len(model.threats))
    assert counts == {
        "td-v1-demo-threat-model.json": (7, 0, 10, 14),
        "td-v2-cryptocurrency-wallet.json": (15, 1, 17, 1),
        "td-v2-demo-threat-model.json": (7, 0, 10, 14),
        "td-v2-generic-cms.json": (5, 1, 5, 0),
        "td-v2-iot-device.json": (11, 0, 14, 4),
    }


def test_corpus_demo_v1_and_v2_agree(corpus: Path) -> None:
    v1, _ = load(corpus / "threatdragon" / "td-v1-demo-threat-model.json")
    v2, _ = load(corpus / "threatdragon" / "td-v2-demo-threat-model.json")
    assert sorted(e.name for e in v1.elements) == sorted(e.name for e in v2.elements)
    assert sorted((t.title, t.status) for t in v1.threats) == sorted((t.title, t.status) for t in v2.threats)
    assert sum(t.status == "mitigated" for t in v2.threats) == 4


def test_corpus_junk_severity_and_cia_types(corpus: Path) -> None:
    iot, report = load(corpus / "threatdragon" / "td-v2-iot-device.json")
    junk = [t for t in iot.threats if t.extra.get("severity") == "TBA"]
    assert len(junk) == 1 and junk[0].risk is None
    assert any("'TBA'" in w.message for w in report.warnings)
    wallet, _ = load(corpus / "threatdragon" / "td-v2-cryptocurrency-wallet.json")
    (threat,) = wallet.threats
    assert threat.stride == ["tampering"] and threat.extra["category"] == "Integrity" and threat.risk and threat.risk.level == "critical"
    assert threat.controls == []  # "None as yet :)" is no mitigation


def test_a_thing_drawn_on_two_diagrams_is_one_item(tmp_path: Path) -> None:
    data = v2_model()
    first = data["detail"]["diagrams"][0]["cells"]
    again = [json.loads(json.dumps(c)) for c in first if c["id"] in ("n-patient", "n-app", "f-enter")]
    for c in again:
        c["id"] += "-2"
        c["data"]["threats"] = []
    again[-1]["source"], again[-1]["target"] = {"cell": "n-patient-2"}, {"cell": "n-app-2"}
    again[-1]["data"]["threats"] = [{"title": "Replayed dose", "type": "Tampering", "status": "Open", "severity": "High", "number": 99}]
    data["detail"]["diagrams"].append({"id": 1, "title": "Dosing use case", "cells": again})
    path = tmp_path / "two.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    model, report = load(path)
    assert sorted(e.name for e in model.elements) == ["Cloud service", "Dose log", "Mobile app", "Patient"]
    app = next(e for e in model.elements if e.name == "Mobile app")
    assert app.extra["diagrams"] == ["Main", "Dosing use case"]
    enter = [f for f in model.flows if f.name == "Enter dose"]
    assert len(enter) == 1 and enter[0].extra["diagrams"] == ["Main", "Dosing use case"]
    replayed = next(t for t in model.threats if t.title == "Replayed dose")
    assert replayed.targets == [enter[0].id]
    assert sum(r.disposition == "merged" for r in report.records) == 3
    assert validate_model(model) == []


def test_labels_that_are_not_a_list_are_tolerated(tmp_path: Path) -> None:
    data = v2_model()
    for diagram in data["detail"]["diagrams"]:
        for cell in diagram["cells"]:
            cell["labels"] = True  # a hostile or broken file: the only outcome is a model or an InputError
    path = tmp_path / "labels.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    model, report = load(path)
    assert model.threats and report.counts.seen == report.counts.imported + report.counts.merged + report.counts.skipped
