"""Recording sign-offs keeps every other byte of a hand-written project file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from mdptm.cli import STATE, main
from mdptm.errors import InputError
from mdptm.model import Model, Signoff
from mdptm.model.io import dumps, load
from mdptm.pipeline.signoff import add_to_yaml_list, record_signoff
from mdptm.plugins import ReviewContext
from mdptm.review.engine import review

PROJECT = """\
# Vantage pump PTM project
sources:
  - model.yaml   # the merged model
product: {name: Demo Pump, manufacturer: Demo Medical}
signoffs_required: [product_security, legal]
signoffs:
  - role: product_security
    name: A. Person
    date: "2026-01-02"
    decision: approved
# - role: legal  (pending)
output: out   # keep this
"""

MODEL = """\
schema: mdptm/1
product: {name: Demo Pump, manufacturer: Demo Medical}
document:
  version: "1.0"
  # reviewed twice
  status: in_review
"""

LEGAL = Signoff(role="legal", name="B. Counsel", date="2026-01-05", decision="approved", comment="ok: NDA text checked")


def entry(s: Signoff = LEGAL) -> dict[str, object]:
    return s.model_dump(mode="json", exclude_none=True)


def test_project_file_keeps_comments_and_layout(tmp_path: Path) -> None:
    (tmp_path / "mdptm.yaml").write_text(PROJECT)
    written = record_signoff(tmp_path, LEGAL)
    text = written.read_text()
    assert written == tmp_path / "mdptm.yaml"
    for line in PROJECT.splitlines():
        assert line in text.splitlines()
    data = yaml.safe_load(text)
    assert data["signoffs"][-1] == entry()
    assert len(data["signoffs"]) == 2
    assert text.index("B. Counsel") < text.index("# - role: legal")  # inside the list, before the trailing comment


@pytest.mark.parametrize(
    "before",
    [
        "sources: [m.yaml]\n",
        "sources: [m.yaml]\nsignoffs: []   # none yet\noutput: out\n",
        "sources: [m.yaml]\nsignoffs:\noutput: out\n",
        "sources: [m.yaml]\nsignoffs:\n- role: qa\n  name: Q\n  decision: approved\noutput: out\n",
        "sources: [m.yaml]\nsignoffs:\n    - {role: qa, name: Q, decision: approved}\n\n# end\n",
        "",
    ],
    ids=["absent", "flow-empty", "null", "indentless", "flow-items", "empty-file"],
)
def test_yaml_list_shapes(before: str) -> None:
    after = add_to_yaml_list(before, ["signoffs"], entry(), file="mdptm.yaml")
    old = yaml.safe_load(before) or {}
    new = yaml.safe_load(after)
    assert new["signoffs"][-1] == entry()
    assert {k: v for k, v in new.items() if k != "signoffs"} == {k: v for k, v in old.items() if k != "signoffs"}
    if "# none yet" in before:
        assert "# none yet" in after


def test_nested_list_in_a_model_yaml(tmp_path: Path) -> None:
    path = tmp_path / "model.yaml"
    path.write_text(MODEL)
    record_signoff(path, LEGAL)
    text = path.read_text()
    assert "# reviewed twice" in text
    assert load(path).document.signoffs == [LEGAL]
    record_signoff(path, LEGAL.model_copy(update={"role": "qa"}))
    assert [s.role for s in load(path).document.signoffs] == ["legal", "qa"]


def test_a_flow_style_parent_falls_back_to_the_canonical_form_for_models(tmp_path: Path) -> None:
    path = tmp_path / "model.yaml"
    path.write_text("schema: mdptm/1\nproduct: {name: P, manufacturer: M}\ndocument: {version: '1'}\n")
    record_signoff(path, LEGAL)
    assert load(path).document.signoffs == [LEGAL]


def test_a_project_file_it_cannot_edit_safely_is_refused(tmp_path: Path) -> None:
    (tmp_path / "mdptm.yaml").write_text("sources: [m.yaml]\nsignoffs: [{role: qa, name: Q, decision: approved}]\n")
    with pytest.raises(InputError, match="not a block list"):
        record_signoff(tmp_path, LEGAL)
    assert "B. Counsel" not in (tmp_path / "mdptm.yaml").read_text()


def test_json_model(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(dumps(Model.model_validate(yaml.safe_load(MODEL))))
    record_signoff(path, LEGAL)
    data = json.loads(path.read_text())
    assert data["document"]["signoffs"] == [entry()]
    assert data["document"]["status"] == "in_review"


def test_missing_targets(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        record_signoff(tmp_path / "nope.json", LEGAL)
    with pytest.raises(InputError, match="no mdptm.yaml"):
        record_signoff(tmp_path, LEGAL)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    STATE.verbosity, STATE.debug = 1, False  # another test may have left -q or --debug set
    with pytest.raises(SystemExit) as exc:
        main(args)
    out, err = capsys.readouterr()
    code = exc.value.code
    return (code if isinstance(code, int) else 0), out, err


def test_cli_signoff_then_review_passes_the_gate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "model.json"
    path.write_text(dumps(Model.model_validate(yaml.safe_load(MODEL))))
    ctx = ReviewContext(model=load(path), signoffs_required=["legal"])
    assert [f.check for f in review(ctx).blockers if f.check.startswith("signoff")] == ["signoff-missing"]
    code, out, _ = run(
        [
            "signoff",
            str(path),
            "--role",
            "legal",
            "--name",
            "B. Counsel",
            "--decision",
            "approved",
            "--date",
            "2026-02-01",
            "--comment",
            "ok",
        ],
        capsys,
    )
    assert code == 0 and "recorded approved by legal" in out
    ctx = ReviewContext(model=load(path), signoffs_required=["legal"])
    assert [f.check for f in review(ctx).blockers if f.check.startswith("signoff")] == []
    assert load(path).document.signoffs[0].date == "2026-02-01"


def test_cli_signoff_defaults_the_date_and_checks_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mdptm.yaml").write_text(PROJECT)
    code, _, _ = run(["signoff", str(tmp_path), "--role", "legal", "--name", "B", "--decision", "approved"], capsys)
    assert code == 0
    assert yaml.safe_load((tmp_path / "mdptm.yaml").read_text())["signoffs"][-1]["date"]
    code, _, err = run(
        ["signoff", str(tmp_path), "--role", "legal", "--name", "B", "--decision", "approved", "--date", "02/01/2026"], capsys
    )
    assert code == 2 and "not an ISO date" in err
    code, _, err = run(["signoff", str(tmp_path), "--role", "legal", "--name", "B", "--decision", "maybe"], capsys)
    assert code == 2
