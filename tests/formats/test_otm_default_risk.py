"""OTM likelihood/impact a converter fills in on every threat is not a rating (StartLeft gives 100/100)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from mdptm.exporters.otm import to_otm
from mdptm.importers.otm import OtmImporter
from mdptm.model import Model, Risk
from mdptm.model.report import ImportReport
from mdptm.plugins import ImportContext

CONVERTED = ["startleft-mtmt-mobile-api.otm.yaml", "threatdragon-mobile-cloud.otm.json"]


def load(path: Path) -> tuple[Model, ImportReport]:
    report = ImportReport()
    model = OtmImporter().load(path, ImportContext(report=report))
    return model, report.finish()


def otm(risks: list[dict[str, object] | None], *, representations: list[dict[str, str]] | None = None) -> str:
    threats = []
    for i, risk in enumerate(risks):
        threat: dict[str, object] = {"id": f"t{i}", "name": f"Threat {i}", "categories": ["Tampering"]}
        if risk is not None:
            threat["risk"] = risk
        threats.append(threat)
    instances = [{"threat": f"t{i}", "state": "exposed"} for i in range(len(risks))]
    doc: dict[str, object] = {
        "otmVersion": "0.1.0",
        "project": {"name": "Pump", "id": "pump"},
        "trustZones": [{"id": "lan", "name": "LAN", "risk": {"trustRating": 50}}],
        "components": [{"id": "pump", "name": "Pump", "parent": {"trustZone": "lan"}, "threats": instances}],
        "threats": threats,
    }
    if representations:
        doc["representations"] = representations
    return yaml.safe_dump(doc, sort_keys=False)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pump.otm.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", CONVERTED)
def test_converter_default_on_every_threat_is_not_a_rating(corpus: Path, name: str) -> None:
    model, report = load(corpus / "otm" / name)
    assert len(model.threats) == 43
    assert all(t.risk is None for t in model.threats), "100/100 on every threat read as critical"
    assert all(t.extra["risk"] == {"likelihood": 100, "impact": 100} for t in model.threats)  # the numbers kept
    (warning,) = [w for w in report.warnings if "converter's default" in w.message]
    assert warning.file == name and "100" in warning.message and "43 of 43" in warning.message and "not rated" in warning.message


def test_same_pair_on_every_threat_is_a_default(tmp_path: Path) -> None:
    model, report = load(write(tmp_path, otm([{"likelihood": 50, "impact": 50}] * 4)))
    assert [t.risk for t in model.threats] == [None] * 4
    assert any("50 / impact 50 on 4 of 4" in w.message for w in report.warnings)


def test_stated_ratings_stay(tmp_path: Path) -> None:
    # differing pairs: a rating, 100/100 included
    stated: list[dict[str, object] | None] = [
        {"likelihood": 100, "impact": 100},
        {"likelihood": 10, "impact": 10},
        {"likelihood": 50, "impact": 100},
    ]
    model, report = load(write(tmp_path, otm(stated)))
    assert [t.risk.level if t.risk else None for t in model.threats] == ["critical", "low", "high"]
    assert not any("converter's default" in w.message for w in report.warnings)
    # two threats rated alike are too few to call the pair a default, unless it is the known converter pair
    model, _ = load(write(tmp_path, otm([{"likelihood": 50, "impact": 50}] * 2)))
    assert [t.risk.level if t.risk else None for t in model.threats] == ["medium", "medium"]
    model, _ = load(write(tmp_path, otm([{"likelihood": 100, "impact": 100}] * 2)))
    assert [t.risk for t in model.threats] == [None, None]
    # a single threat states its rating
    model, _ = load(write(tmp_path, otm([{"likelihood": 100, "impact": 100}])))
    assert model.threats[0].risk and model.threats[0].risk.level == "critical"


def test_converted_file_marks_the_known_default_even_where_others_were_rated(tmp_path: Path) -> None:
    reps = [{"name": "Microsoft Threat Modeling Tool", "id": "Microsoft Threat Modeling Tool", "type": "threat-model"}]
    default = {"likelihood": 100, "impact": 100}
    risks: list[dict[str, object] | None] = [default, default, {"likelihood": 40, "impact": 60}]
    model, report = load(write(tmp_path, otm(risks, representations=reps)))
    assert [t.risk.level if t.risk else None for t in model.threats] == [None, None, "medium"]
    assert any("2 of 3" in w.message for w in report.warnings)


def test_a_file_mdptm_wrote_keeps_its_uniform_ratings(tmp_path: Path) -> None:
    model, _ = load(write(tmp_path, otm([{"likelihood": 70, "impact": 70}] * 4)))
    assert all(t.risk is None for t in model.threats)
    # the same threats as mdptm writes them (its attributes on every threat) state their ratings
    for t in model.threats:
        t.risk = Risk(level="high")
    doc = to_otm(model)
    path = tmp_path / "back.otm.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    back, _ = load(path)
    assert [t.risk.level if t.risk else None for t in back.threats] == ["high"] * 4
