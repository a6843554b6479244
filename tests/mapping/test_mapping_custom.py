"""A user's own framework file, or a plug-in, maps exactly like the shipped ones; bad files are
refused with the place of the problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mdptm.errors import InputError
from mdptm.mapping.engine import framework_conflicts, load_framework, load_framework_file, map_model
from mdptm.model import Control, Element, Model, Threat
from mdptm.model.results import Coverage
from mdptm.plugins import registry

CUSTOM = {
    "schema_version": 1,
    "id": "hospital-checklist",
    "title": "Example hospital security checklist",
    "version": "2026-01",
    "source": {"document": "Example hospital purchasing checklist, January 2026"},
    "note": "Internal checklist of an example hospital.",
    "groups": [{"id": "basics", "title": "Basics"}],
    "clauses": [
        {
            "id": "HC-1",
            "group": "basics",
            "title": "Two logging controls",
            "summary": "At least two implemented logging controls.",
            "source": {"document": "checklist", "section": "1"},
            "confidence": "verified",
            "evidence": {"controls": {"category": ["event_logging"], "status": ["implemented"], "min": 2}},
        },
        {
            "id": "HC-2",
            "title": "Spoofing and tampering analysed",
            "summary": "Threats of both kinds are in the model and every one is mitigated.",
            "source": {"document": "checklist", "section": "2"},
            "confidence": "verified",
            "evidence": {
                "all": [
                    {"label": "Spoofing", "threats": {"stride": ["spoofing"]}},
                    {"label": "Tampering", "threats": {"stride": ["tampering"], "every": {"status": ["mitigated"]}}},
                ]
            },
        },
        {
            "id": "HC-3",
            "title": "No remote access",
            "summary": "Applies only to devices reachable from a cloud service.",
            "source": {"document": "checklist", "section": "3"},
            "confidence": "secondary",
            "not_applicable_when": {"none": [{"elements": {"kind": ["cloud_service"]}}]},
            "evidence": {"controls": {"keywords": ["remote access disabled"]}, "counts_as": "partial"},
        },
        {
            "id": "HC-4",
            "title": "All of the above",
            "summary": "Every other item of the checklist is met.",
            "source": {"document": "checklist", "section": "4"},
            "confidence": "verified",
            "evidence": {"clauses": ["HC-1", "HC-2", "HC-3"]},
        },
    ],
}


def model() -> Model:
    m = Model.empty()
    m.controls = [Control(id="C-1", title="Audit log", category="event_logging")]
    m.threats = [
        Threat(id="T-1", title="Spoofed gateway", stride=["spoofing"], status="mitigated", controls=["C-1"]),
        Threat(id="T-2", title="Tampered settings", stride=["tampering"], status="open"),
    ]
    return m


def write(tmp_path: Path, data: dict[str, Any], name: str = "checklist.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def verdicts(cov: Coverage) -> dict[str, str]:
    fw = cov.framework("hospital-checklist")
    assert fw is not None
    return {c.id: c.status for c in fw.clauses}


def test_custom_framework_file_maps_like_the_shipped_ones(tmp_path: Path) -> None:
    path = write(tmp_path, CUSTOM)
    m = model()
    cov = map_model(m, [str(path)])
    assert verdicts(cov) == {"HC-1": "partial", "HC-2": "partial", "HC-3": "not_applicable", "HC-4": "partial"}
    fw = cov.framework("hospital-checklist")
    assert fw is not None and fw.note == "Internal checklist of an example hospital."
    hc1, hc2 = fw.clauses[0], fw.clauses[1]
    assert hc1.evidence == ["C-1"] and "2 needed" in hc1.rationale and hc1.group == "basics"
    assert "tampering: the 1 threat with STRIDE category tampering does not have status mitigated (T-2)" in hc2.rationale
    assert fw.summary == {"covered": 0, "partial": 3, "gap": 0, "not_applicable": 1}

    m.controls.append(Control(id="C-2", title="Dose change log", category="event_logging"))
    m.threats[1].status = "mitigated"
    m.threats[1].controls = ["C-2"]  # called mitigated with no control, it would count as open
    assert verdicts(map_model(m, [path])) == {"HC-1": "covered", "HC-2": "covered", "HC-3": "not_applicable", "HC-4": "covered"}


def test_none_and_counts_as_partial(tmp_path: Path) -> None:
    path = write(tmp_path, CUSTOM)
    m = model()
    m.elements.append(Element(id="E-C", name="Cloud", kind="cloud_service"))
    assert verdicts(map_model(m, [path]))["HC-3"] == "gap"
    m.controls.append(Control(id="C-3", title="Remote access disabled by default", category="authorization"))
    cov = map_model(m, [path])
    assert verdicts(cov)["HC-3"] == "partial"  # the rule is capped at partial
    fw = cov.framework("hospital-checklist")
    assert fw is not None and "text match: confirm" in fw.clauses[2].rationale  # a text match alone is partial


def test_custom_framework_next_to_shipped_ones_and_relative_to_the_project(tmp_path: Path) -> None:
    write(tmp_path, CUSTOM)
    cov = map_model(model(), ["cra-annex-ii", "checklist.yaml"], base_dir=tmp_path)
    assert [f.id for f in cov.frameworks] == ["cra-annex-ii", "hospital-checklist"]


def test_users_own_mc2_text_replaces_the_shipped_catalogue(tmp_path: Path) -> None:
    own = {**CUSTOM, "id": "mc2", "title": "MC2 v2 (our licensed copy)", "version": "v2, November 2025"}
    path = write(tmp_path, own, "mc2-v2.yaml")
    cov = map_model(model(), [path])
    fw = cov.framework("mc2")
    assert fw is not None and fw.title == "MC2 v2 (our licensed copy)"
    with pytest.raises(InputError, match="two frameworks share the id 'mc2'"):
        map_model(model(), ["mc2", path])


@pytest.mark.parametrize("shape", ["callable-path", "callable-dict", "path"])
def test_plugin_framework(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shape: str) -> None:
    path = write(tmp_path, CUSTOM)
    target: Any = {"callable-path": lambda: path, "callable-dict": lambda: CUSTOM, "path": str(path)}[shape]
    monkeypatch.setitem(registry("framework").frameworks, "hospital-checklist", target)
    cov = map_model(model(), ["hospital-checklist"])
    assert verdicts(cov)["HC-1"] == "partial"
    assert load_framework("hospital-checklist").title == CUSTOM["title"]
    every = map_model(model())  # no selection: built-ins first, then plug-ins
    assert [f.id for f in every.frameworks][-1] == "hospital-checklist"


def test_plugin_cannot_replace_a_shipped_framework(monkeypatch: pytest.MonkeyPatch) -> None:
    assert framework_conflicts() == []
    monkeypatch.setitem(registry("framework").frameworks, "mc2", lambda: {**CUSTOM, "id": "mc2"})
    assert load_framework("mc2").title.startswith("HSCC")
    assert framework_conflicts() == ["framework plug-in 'mc2' is ignored: a shipped framework has that id"]


def test_the_example_in_the_documentation_loads(tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parent.parent.parent / "docs" / "mapping.md").read_text(encoding="utf-8")
    example = next(b for b in doc.split("```yaml\n")[1:] if b.startswith("schema_version: 1"))
    path = tmp_path / "example.yaml"
    path.write_text(example.split("```")[0], encoding="utf-8")
    assert load_framework_file(path).id == "hospital-checklist"
    m = model()
    assert verdicts(map_model(m, [path])) == {"HC-1": "not_applicable"}  # no device element
    m.elements.append(Element(id="E-D", name="Pump", kind="device"))
    assert verdicts(map_model(m, [path])) == {"HC-1": "partial"}  # logging, but no log asset


def test_plugin_whose_file_declares_another_id_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry("framework").frameworks, "checklist", lambda: CUSTOM)
    with pytest.raises(InputError, match="declares the id 'hospital-checklist'"):
        map_model(model(), ["checklist"])


def _with_clause(**changes: Any) -> dict[str, Any]:
    data = yaml.safe_load(yaml.safe_dump(CUSTOM))
    data["clauses"][0].update(changes)
    return data


@pytest.mark.parametrize(
    ("data", "message", "locator"),
    [
        (_with_clause(evidence={"controls": {"colour": ["red"]}}), "unknown key 'colour'", "/clauses/0/evidence/controls/colour"),
        (
            _with_clause(evidence={"controls": {"Category": ["event_logging"]}}),
            "unknown key 'Category'",
            "/clauses/0/evidence/controls/Category",
        ),
        (
            _with_clause(evidence={"fields": [{"path": "support.sbom", "Keywords": ["x"]}]}),
            "unknown key 'Keywords'",
            "/clauses/0/evidence/fields/0/Keywords",
        ),
        (_with_clause(evidence={"controls": {"category": ["event_loging"]}}), "event_logging", "/clauses/0/evidence/controls/category/0"),
        (_with_clause(evidence={"controls": {}, "threats": {}}), "exactly one of", "/clauses/0/evidence"),
        (_with_clause(evidence={"fields": ["support.phone"]}), "no field 'phone'", "/clauses/0/evidence/fields"),
        (_with_clause(evidence={"clauses": ["HC-9"]}), "refers to clause 'HC-9'", "/"),
        (_with_clause(evidence={"clauses": ["HC-4"]}), "in a circle: HC-1 → HC-4 → HC-1", "/"),
        (_with_clause(id="HC-2"), "'HC-2' appears twice", "/"),
        (_with_clause(group="extras"), "group 'extras' is not listed", "/"),
        (_with_clause(confidence="sure"), "'verified', 'secondary' or 'unverified'", "/clauses/0/confidence"),
        ({**CUSTOM, "schema_version": 2}, "Input should be 1", "/schema_version"),
        ({k: v for k, v in CUSTOM.items() if k != "title"}, "required key 'title' is missing", "/title"),
    ],
)
def test_bad_framework_files_are_refused_with_the_place(tmp_path: Path, data: dict[str, Any], message: str, locator: str) -> None:
    path = write(tmp_path, data)
    with pytest.raises(InputError) as exc:
        load_framework_file(path)
    assert message in exc.value.message
    assert exc.value.locator == locator
    assert exc.value.file == str(path)


def test_framework_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(InputError, match="must be a mapping"):
        load_framework_file(path)
    with pytest.raises(InputError, match="no such file"):
        map_model(model(), [str(tmp_path / "missing.yaml")])
