"""The shipped catalogues: every clause of SPEC §4 under its own numbering, cited, in the schema."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from mdptm.mapping.engine import BUILTIN_FRAMEWORKS, available_frameworks, load_framework
from mdptm.mapping.framework import Framework, framework_schema
from mdptm.model import CONTROL_CATEGORIES, VIEW_KINDS
from mdptm.resources import mappings_dir

jsonschema = pytest.importorskip("jsonschema")

EXPECTED_IDS = {
    "cra-annex-i": ["I.1", *(f"I.2.{c}" for c in "abcdefghijklm"), *(f"II.{n}" for n in range(1, 9))],
    "cra-annex-ii": ["1", "2", "3", "4", "5", "6", "7", "8", *(f"8.{c}" for c in "abcdef"), "9"],
    "fda-premarket": [
        *(f"view.{k}" for k in VIEW_KINDS),
        *(f"control.{c}" for c in CONTROL_CATEGORIES if c != "other"),
        *(f"labeling.{n}" for n in range(1, 15)),
    ],
}
MC2_PRINCIPLES = {
    "security_development_lifecycle",
    "supplier_transparency",
    "security_patching",
    "standard_security_controls",
    "secure_by_default",
    "secure_design",
}
MC2_V2_CLAUSES = {"v2.11", "v2.20", "v2.24", "v2.31", "v2.33", "v2.35", "v2.38", "v2.40", "v2.42-43", "v2.44", "v2.45", "v2.46"}


def shipped(fid: str) -> Framework:
    return load_framework(fid)


@pytest.mark.parametrize("fid", sorted(EXPECTED_IDS))
def test_clause_ids_follow_the_sources_numbering(fid: str) -> None:
    assert [c.id for c in shipped(fid).clauses] == EXPECTED_IDS[fid]


def test_mc2_models_pillars_principles_and_v2_clause_numbers() -> None:
    fw = shipped("mc2")
    ids = {c.id for c in fw.clauses}
    assert ids >= MC2_PRINCIPLES | MC2_V2_CLAUSES | {"pillar.maturity", "pillar.product_design_maturity", "pillar.performance"}
    confidences = {c.id: c.confidence for c in fw.clauses}
    assert confidences["secure_design"] == "unverified"
    assert all(confidences[i] == "secondary" for i in MC2_V2_CLAUSES)
    assert "verified" not in confidences.values()  # nothing was checked against the MC2 text
    assert "could not be verified" in fw.note and "your own framework file" in fw.note


@pytest.mark.parametrize("fid", BUILTIN_FRAMEWORKS)
def test_every_clause_has_title_summary_citation_and_confidence(fid: str) -> None:
    fw = shipped(fid)
    assert fw.title and fw.version and fw.source.document
    for c in fw.clauses:
        assert c.title.strip() and len(c.summary.strip()) > 20, c.id
        assert c.source.document and c.source.section and c.source.url, c.id
        assert c.source.url.startswith("https://"), c.id
        assert c.confidence in ("verified", "secondary", "unverified")
        assert c.evidence is not None or c.hint, f"{fid} {c.id}: a clause without rules must say how to answer it"


def test_cra_catalogues_cite_the_regulation_and_carry_the_art_2_2_note() -> None:
    for fid in ("cra-annex-i", "cra-annex-ii"):
        fw = shipped(fid)
        assert "2024/2847" in fw.source.document
        assert any("Article 2(2)" in s.note for s in fw.scope_notes)


def test_builtins_are_registered_as_entry_points() -> None:
    from importlib.metadata import entry_points

    names = {ep.name for ep in entry_points(group="mdptm.frameworks")}
    assert set(BUILTIN_FRAMEWORKS) <= names
    for ep in entry_points(group="mdptm.frameworks"):
        if ep.name in BUILTIN_FRAMEWORKS:
            path = ep.load()()
            assert Path(path).is_file() and Path(path).stem == ep.name
    assert set(BUILTIN_FRAMEWORKS) <= set(available_frameworks())


def test_shipped_schema_is_current() -> None:
    on_disk = json.loads((mappings_dir() / "framework.schema.json").read_text(encoding="utf-8"))
    assert on_disk == framework_schema(), (
        'regenerate: python -c "import json; from mdptm.mapping.framework import framework_schema; '
        'print(json.dumps(framework_schema(), indent=2, ensure_ascii=False))" > mappings/framework.schema.json'
    )


@pytest.mark.parametrize("fid", BUILTIN_FRAMEWORKS)
def test_shipped_frameworks_validate_against_the_json_schema(fid: str) -> None:
    schema = json.loads((mappings_dir() / "framework.schema.json").read_text(encoding="utf-8"))
    data = yaml.safe_load((mappings_dir() / f"{fid}.yaml").read_text(encoding="utf-8"))
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]
    assert errors == []


def test_json_schema_rejects_what_the_loader_rejects() -> None:
    schema = json.loads((mappings_dir() / "framework.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    base = {"schema_version": 1, "id": "x", "title": "t", "version": "1", "source": {"document": "d"}}
    clause = {"id": "a", "title": "t", "summary": "s", "source": {"document": "d"}, "confidence": "verified"}
    good = {**base, "clauses": [{**clause, "evidence": {"controls": {"category": ["event_logging"]}}}]}
    assert not list(validator.iter_errors(good))
    for evidence in (
        {"controls": {"category": ["event_loging"]}},
        {"controls": {}, "threats": {}},
        {"controls": {"colour": ["red"]}},
        {"label": "nothing selected"},
    ):
        bad = {**base, "clauses": [{**clause, "evidence": evidence}]}
        assert list(validator.iter_errors(bad)), evidence


def test_only_top_level_yaml_files_are_frameworks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(mappings_dir() / "mc2.yaml", tmp_path / "mc2.yaml")
    (tmp_path / "vocabulary").mkdir()
    (tmp_path / "vocabulary" / "stride.yaml").write_text("spoofing: [S, Spoof]\n", encoding="utf-8")
    (tmp_path / "framework.schema.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr("mdptm.mapping.engine.mappings_dir", lambda: tmp_path)
    refs = available_frameworks()
    assert "stride" not in refs and "vocabulary" not in refs and "framework.schema" not in refs
    assert refs["mc2"].origin == "shipped"
