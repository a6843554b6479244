"""The review as a library call: what ``mdptm review`` gathers (public model, leak scan, mapping) is
done by :func:`mdptm.pipeline.reviewing.review_target`; the command only prints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mdptm.errors import InputError
from mdptm.model import Model
from mdptm.model.io import dumps, parse_text
from mdptm.pipeline.importing import ImportSource, import_sources, read_profile
from mdptm.pipeline.reviewing import ReviewFormat, review_report, review_target
from mdptm.plugins import Audience
from tests.review.test_review import CLEAN


def _model() -> Model:
    return Model.model_validate(parse_text(CLEAN, Path("model.yaml")))


def test_review_target_of_a_project_redacts_by_its_policy_and_requires_its_signoffs(tmp_path: Path) -> None:
    m = _model()
    m.threats[0].sensitivity = "confidential"
    (tmp_path / "model.yaml").write_text(dumps(m, "yaml"))
    (tmp_path / "policy.yaml").write_text("drop: [confidential]\n")
    (tmp_path / "mdptm.yaml").write_text("sources: [model.yaml]\nredaction: policy.yaml\nsignoffs_required: [legal]\n")
    run = review_target(tmp_path)
    found = {(f.check, tuple(f.items)) for f in run.review.findings}
    assert ("signoff-missing", ()) in found
    assert ("threat-dropped", ("T1",)) in found  # the policy's public model was compared with the internal one
    assert run.model_uri is None and run.warnings == []
    assert run.review.blockers


def test_review_target_leak_scans_a_package_and_warns_when_it_has_nothing_to_look_for(tmp_path: Path) -> None:
    (tmp_path / "model.json").write_text(dumps(_model()))
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "guide.md").write_text("nothing secret here\n")
    run = review_target(tmp_path / "model.json", package=package)
    assert run.warnings == ["--package: nothing to look for; pass --log (the redaction log) or --policy"]
    assert not [f for f in run.review.findings if f.check == "leak"]
    (tmp_path / "policy.yaml").write_text("terms: [secret]\n")
    run = review_target(tmp_path / "model.json", package=package, policy=tmp_path / "policy.yaml")
    assert run.warnings == []
    assert [f.check for f in run.review.findings if f.check == "leak"] == ["leak"]


def test_review_report_writes_each_format(tmp_path: Path) -> None:
    (tmp_path / "model.json").write_text(dumps(_model()))
    run = review_target(tmp_path / "model.json", signoffs_required=["legal"], audience=Audience.SUBMISSION)
    assert run.model_uri == str(tmp_path / "model.json")
    as_json = json.loads(review_report(run, "JSON"))
    assert any(f["check"] == "signoff-missing" for f in as_json["findings"])
    sarif = json.loads(review_report(run, ReviewFormat.SARIF))
    assert sarif["version"] == "2.1.0"
    assert review_report(run, "junit").startswith("<?xml")
    assert "signoff-missing" in review_report(run)


def test_import_sources_takes_typed_records_with_their_priority(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first, second = _model(), _model()
    first.product.model, second.product.model = "A-1", "B-2"
    a.write_text(dumps(first, "yaml"))
    b.write_text(dumps(second, "yaml"))
    assert import_sources([ImportSource(a), ImportSource(b)])[0].product.model == "A-1"
    assert import_sources([ImportSource(a), ImportSource(b, priority=1)])[0].product.model == "B-2"


def test_read_profile_refuses_a_profile_that_is_not_a_mapping(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text("- a list\n")
    with pytest.raises(InputError, match="a profile must be a mapping"):
        read_profile(tmp_path / "p.yaml")
    (tmp_path / "q.yaml").write_text("sheets: {}\n")
    assert read_profile(tmp_path / "q.yaml") == {"sheets": {}}


def test_an_importer_says_what_it_looked_at_when_it_found_nothing(tmp_path: Path) -> None:
    """``ImportContext.looked_at`` (the importer's typed answer) reaches the "no content" error."""
    doc = tmp_path / "notes.md"
    doc.write_text("# Meeting notes\n\nWe met and talked about lunch.\n")
    with pytest.raises(InputError, match=r"looked at 1 sections and 0 tables"):
        import_sources([ImportSource(doc)])


def test_redact_file_writes_the_public_model_and_then_its_log(tmp_path: Path) -> None:
    from mdptm.pipeline.redacting import redact_file

    m = _model()
    m.threats[0].sensitivity = "confidential"
    (tmp_path / "model.json").write_text(dumps(m))
    (tmp_path / "policy.yaml").write_text("drop: [confidential]\n")
    log = redact_file(tmp_path / "model.json", tmp_path / "public.yaml", policy=tmp_path / "policy.yaml", log=tmp_path / "log.json")
    public = Model.model_validate(parse_text((tmp_path / "public.yaml").read_text(), tmp_path / "public.yaml"))
    assert [t.id for t in public.threats] == []
    assert log.counts and json.loads((tmp_path / "log.json").read_text())["counts"] == log.counts
