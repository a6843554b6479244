"""The people a diagram tool's file names are terms, as the author of a Word or Excel source is.

A Threat Dragon model names its owner, reviewer and contributors, a Microsoft Threat Modeling Tool (.tm7) file its
Owner, Reviewer and Contributors, a Threagile model its author: the importers skip them ("people are not part of
the model"), but nothing made them terms, so a kept threat's "Raised by Tobias Wren" was published as written,
where a Word document's author is removed from the model's text and looked for by the leak scan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mdptm.redaction.redact import property_terms

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "golden"


def _dragon(folder: Path) -> Path:
    d = json.loads((GOLDEN / "threatdragon.td.json").read_text(encoding="utf-8"))
    d["summary"]["owner"] = "Tobias Wren"
    d["detail"]["reviewer"] = "Marguerite Okonkwo, QA lead"
    d["detail"]["contributors"] = [{"name": "Priya Raman"}, {"name": "Example Medical Devices GmbH"}]
    path = folder / "model.td.json"
    path.write_text(json.dumps(d), encoding="utf-8")
    return path


def test_threat_dragon_people_are_terms(tmp_path: Path) -> None:
    terms = property_terms([_dragon(tmp_path)], keep=["Example Medical Devices GmbH"])
    assert {"Tobias Wren", "Marguerite Okonkwo", "Priya Raman"} <= set(terms)
    assert not any("Example Medical" in t for t in terms)  # the manufacturer is kept


def test_tm7_people_are_terms(tmp_path: Path) -> None:
    path = tmp_path / "m.tm7"
    path.write_text(
        '<ThreatModel xmlns="http://schemas.datacontract.org/2004/07/ThreatModeling.Model"><MetaInformation>'
        "<Contributors>Priya Raman; Lena Ortiz</Contributors><Owner>Tobias Wren</Owner><Reviewer>Marguerite Okonkwo</Reviewer>"
        "</MetaInformation></ThreatModel>",
        encoding="utf-8",
    )
    assert {"Tobias Wren", "Marguerite Okonkwo", "Priya Raman", "Lena Ortiz"} <= set(property_terms([path]))


def test_threagile_author_is_a_term(tmp_path: Path) -> None:
    path = tmp_path / "threagile.yaml"
    path.write_text(
        "threagile_version: 1.0.0\ntitle: Pump\nauthor:\n  name: Tobias Wren\n  homepage: https://example.com\n", encoding="utf-8"
    )
    assert "Tobias Wren" in property_terms([path])


@pytest.mark.parametrize("text", ['{"not": "a dragon"}', "not json", "[1, 2]"])
def test_other_json_names_nobody(tmp_path: Path, text: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    assert property_terms([path]) == []


def test_a_kept_threat_naming_the_owner_is_redacted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.pipeline.redteam_projects import package_views
    from tests.test_cli_foundation import run

    proj = tmp_path / "proj"
    proj.mkdir()
    path = _dragon(proj)
    d = json.loads(path.read_text(encoding="utf-8"))
    for cell in d["detail"]["diagrams"][0]["cells"]:
        threats = cell.get("data", {}).get("threats")
        if threats:
            threats[0]["description"] += " Raised by Tobias Wren; checked by Priya Raman."
            break
    path.write_text(json.dumps(d), encoding="utf-8")
    (proj / "mdptm.yaml").write_text(
        'sources: [model.td.json]\nproduct: {manufacturer: Example Medical Devices GmbH}\ndocument: {version: "1.0", status: approved}\n'
    )
    code, _, err = run(["build", str(proj), "-o", str(tmp_path / "out")], capsys)
    assert code == 0, err
    for where, text in package_views(tmp_path / "out"):
        assert "tobias wren" not in text and "priya raman" not in text, where


def test_otm_project_owner_is_a_term(tmp_path: Path) -> None:
    path = tmp_path / "m.otm.json"
    path.write_text(json.dumps({"otmVersion": "0.2.0", "project": {"name": "Pump", "id": "p", "owner": "Tobias Wren"}}), encoding="utf-8")
    assert "Tobias Wren" in property_terms([path])
