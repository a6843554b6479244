"""Merging sources: same id field by field, name matching, conflicts with both places, priorities."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from mdptm.cli import main
from mdptm.importers.merge import merge_models
from mdptm.model import PLACEHOLDER, Model
from mdptm.model.io import load as load_model
from mdptm.model.report import ImportReport
from mdptm.model.validate import validate_model
from mdptm.pipeline.build import load_project_model
from mdptm.pipeline.importing import ImportSource, import_sources


def native(path: Path, **collections: Any) -> Path:
    data: dict[str, Any] = {
        "schema": "mdptm/1",
        "product": collections.pop("product", {"name": PLACEHOLDER, "manufacturer": PLACEHOLDER}),
        "document": collections.pop("document", {"version": PLACEHOLDER}),
    }
    data.update(collections)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def design(tmp_path: Path) -> Path:
    """The architecture as the design team keeps it."""
    return native(
        tmp_path / "design.yaml",
        product={"name": "Infusion pump", "manufacturer": PLACEHOLDER},
        trust_zones=[{"id": "tz-clinic", "name": "Clinic network"}],
        elements=[
            {"id": "pump", "name": "Infusion Pump", "description": "Delivers drugs.", "trust_zone": "tz-clinic"},
            {"id": "server", "name": "Drug library server", "kind": "data_store"},
        ],
        flows=[{"id": "df-library", "name": "Library update", "source": "server", "target": "pump"}],
        threats=[
            {"id": "T-1", "title": "Library tampering", "targets": ["df-library"], "status": "open", "tags": ["design"]},
            {"id": "T-2", "title": "Dose altered", "targets": ["pump"]},
        ],
    )


def register(tmp_path: Path) -> Path:
    """The threat register as the security team keeps it: other ids for the same things."""
    return native(
        tmp_path / "register.yaml",
        product={"name": "Infusion pump system", "manufacturer": "Acme Medical"},
        document={"version": "2.0"},
        trust_zones=[{"id": "zone-1", "name": "clinic  network", "trust_level": 50}],
        elements=[
            {"id": "infusion-pump", "name": "infusion pump", "kind": "device", "trust_zone": "zone-1", "tags": ["class-ii"]},
            {"id": "T-2", "name": "Tablet", "kind": "mobile_app"},
            {"id": "server", "name": "Drug library server"},
        ],
        flows=[{"id": "lib", "name": "library update", "source": "server", "target": "infusion-pump", "protocol": "HTTPS"}],
        threats=[
            {"id": "T-1", "title": "Drug library tampering", "targets": ["lib"], "status": "mitigated", "tags": ["register"]},
            {"id": "T-9", "title": "Library tampering", "targets": ["infusion-pump"]},
        ],
        controls=[{"id": "C-1", "title": "Signed libraries"}],
    )


def test_same_id_merges_field_by_field_and_names_match(tmp_path: Path) -> None:
    model, report = import_sources([ImportSource(design(tmp_path)), ImportSource(register(tmp_path))])
    assert validate_model(model) == []
    # elements, zones and flows the register calls differently are the same things
    assert [e.id for e in model.elements] == ["pump", "server", "T-2-2"]
    pump = model.elements[0]
    assert (pump.kind, pump.description, pump.tags, pump.trust_zone) == ("device", "Delivers drugs.", ["class-ii"], "tz-clinic")
    assert [z.id for z in model.trust_zones] == ["tz-clinic"] and model.trust_zones[0].trust_level == 50
    assert [f.id for f in model.flows] == ["df-library"] and model.flows[0].protocol == "HTTPS"
    t = {x.id: x for x in model.threats}
    assert t["T-1"].tags == ["design", "register"] and t["T-1"].targets == ["df-library"]
    assert t["T-9"].title == t["T-1"].title == "Library tampering" or t["T-1"].title == "Library tampering"
    assert "T-9" in t  # threats never match by title
    assert t["T-9"].targets == ["pump"]  # its reference follows the renamed element
    # the placeholder never counts as a value; the register fills it
    assert model.product.manufacturer == "Acme Medical" and model.document.version == "2.0"
    c = report.counts
    assert c.seen == c.imported + c.merged + c.skipped
    merged = {r.locator: r.item for r in report.records if r.disposition == "merged"}
    assert merged["/elements/0"] == "pump" and merged["/flows/0"] == "df-library" and merged["/trust_zones/0"] == "tz-clinic"


def test_conflict_first_wins_and_names_both_places(tmp_path: Path) -> None:
    model, report = import_sources([ImportSource(design(tmp_path)), ImportSource(register(tmp_path))])
    t1 = next(t for t in model.threats if t.id == "T-1")
    assert t1.title == "Library tampering"
    # an unset default (status open) is no value: the register's status is taken without a conflict
    assert t1.status == "mitigated"
    conflicts = [w.message for w in report.warnings if w.message.startswith("conflict")]
    title = next(m for m in conflicts if ".title" in m)
    assert "'Library tampering' (design.yaml (/threats/0))" in title and "'Drug library tampering' (register.yaml (/threats/0))" in title
    assert any("product.name" in m and "kept 'Infusion pump'" in m for m in conflicts)
    assert any("already a threat" in w.message and "'T-2-2'" in w.message for w in report.warnings)


def test_a_source_with_higher_priority_wins(tmp_path: Path) -> None:
    model, report = import_sources([ImportSource(design(tmp_path)), ImportSource(register(tmp_path), priority=1)])
    t1 = next(t for t in model.threats if t.id == "T-1")
    assert t1.title == "Drug library tampering"
    assert model.product.name == "Infusion pump system"
    assert any("higher priority" in w.message and "Drug library tampering" in w.message for w in report.warnings)


def test_priority_is_remembered_per_field(tmp_path: Path) -> None:
    a = native(tmp_path / "a.yaml", elements=[{"id": "e", "name": "E", "description": "from a"}])
    b = native(tmp_path / "b.yaml", elements=[{"id": "e", "name": "E", "description": "from b"}])
    c = native(tmp_path / "c.yaml", elements=[{"id": "e", "name": "E", "description": "from c"}])
    model, _ = import_sources([ImportSource(a), ImportSource(b, priority=2), ImportSource(c, priority=1)])
    assert model.elements[0].description == "from b"  # c comes later but ranks below b
    model, _ = import_sources([ImportSource(a), ImportSource(b), ImportSource(c)])
    assert model.elements[0].description == "from a"


def test_merge_models_directly_keeps_records_consistent(tmp_path: Path) -> None:
    first = Model.model_validate(
        {"product": {"name": "P", "manufacturer": "M"}, "document": {"version": "1"}, "elements": [{"id": "a", "name": "A"}]}
    )
    second = Model.model_validate(
        {
            "product": {"name": "P", "manufacturer": "M"},
            "document": {"version": "1"},
            "elements": [{"id": "b", "name": " a "}],
            "flows": [{"id": "f", "source": "b", "target": "b"}],
        }
    )
    r1, r2 = ImportReport(), ImportReport()
    r1.imported("one", "/elements/0", "a")
    r2.imported("two", "/elements/0", "b")
    r2.imported("two", "/flows/0", "f")
    model, report = merge_models([("one", first, r1), ("two", second, r2)])
    assert [e.id for e in model.elements] == ["a"] and (model.flows[0].source, model.flows[0].target) == ("a", "a")
    assert [(r.disposition, r.item) for r in report.finish().records] == [("imported", "a"), ("merged", "a"), ("imported", "f")]
    with pytest.raises(ValueError, match="one priority per source"):
        merge_models([("one", first, r1)], [0, 1])


def test_project_sources_take_a_priority(tmp_path: Path) -> None:
    design(tmp_path)
    register(tmp_path)
    (tmp_path / "mdptm.yaml").write_text(
        yaml.safe_dump({"sources": ["design.yaml", {"path": "register.yaml", "priority": 5}], "document": {"version": "3.0"}}),
        encoding="utf-8",
    )
    model, report, _project, _root = load_project_model(tmp_path)
    assert model.product.name == "Infusion pump system"
    assert model.document.version == "3.0"  # the project file has the last word
    assert report.counts.seen == len(report.records)


def test_cli_import_merges_an_interchange_file_with_a_register(tmp_path: Path) -> None:
    otm = tmp_path / "arch.otm.yaml"
    otm.write_text(
        yaml.safe_dump(
            {
                "otmVersion": "0.2.0",
                "project": {"name": "Infusion pump", "id": "pump"},
                "trustZones": [{"id": "clinic", "name": "Clinic network", "risk": {"trustRating": 50}}],
                "components": [
                    {"id": "c1", "name": "Infusion pump", "type": "device", "parent": {"trustZone": "clinic"}},
                    {"id": "c2", "name": "Drug library server", "type": "database", "parent": {"trustZone": "clinic"}},
                ],
                "dataflows": [{"id": "d1", "name": "Library update", "source": "c2", "destination": "c1"}],
                "threats": [{"id": "1", "name": "Library tampering", "risk": {"likelihood": 50, "impact": 50}}],
            }
        ),
        encoding="utf-8",
    )
    out, rep = tmp_path / "m.json", tmp_path / "report.json"
    with pytest.raises(SystemExit) as done:
        main(["-q", "import", str(otm), str(register(tmp_path)), "-o", str(out), "--report", str(rep)])
    assert done.value.code == 0
    model = load_model(out)
    assert sorted(e.name for e in model.elements) == ["Drug library server", "Infusion pump", "Tablet"]
    assert len(model.flows) == 1 and model.flows[0].protocol == "HTTPS"
    assert len(model.threats) == 3
    counts = json.loads(rep.read_text(encoding="utf-8"))["counts"]
    assert counts["seen"] == counts["imported"] + counts["merged"] + counts["skipped"]


def test_corpus_tm7_and_its_otm_merge_into_one_model(corpus: Path) -> None:
    """The same device from two tools: elements, zones and flows meet; every threat is kept."""
    model, report = import_sources(
        [
            ImportSource(corpus / "tm7" / "startleft-mtmt-mobile-api.tm7"),
            ImportSource(corpus / "otm" / "threatdragon-mobile-cloud.otm.json"),
        ]
    )
    assert len(model.elements) == 4 and len(model.flows) == 6
    assert len(model.threats) == 43 + 43  # separate ids from separate tools: never merged by title
    assert validate_model(model) == []
    assert report.counts.seen == report.counts.imported + report.counts.merged + report.counts.skipped
