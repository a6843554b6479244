"""A word of a term put in brackets, or the words of a term joined by a slash, is still the term.

The policy term ``Project Nightjar`` was published as "Project (Nightjar)", "Project [Nightjar]" or
"Project/Nightjar" in a control's description and in an override's justification: quotation marks around a
word read as a break, brackets did not, and a name of two words was looked for with nothing, a full stop or a
plus between its words, not a slash.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
import yaml

from mdptm.model import Model
from mdptm.pipeline.build import build
from mdptm.redaction.leakscan import scan
from mdptm.redaction.redact import Policy, redact
from tests.redaction.leak_helpers import package_text
from tests.redaction.test_left_out_refs import MODEL

FORMS = [
    "Project (Nightjar)",
    "Project [Nightjar]",
    "Project {NIGHTJAR}",
    "(Project) Nightjar",
    "Project ( Night-jar )",
    "Project \uff08Nightjar\uff09",  # fullwidth brackets
    "Project \u3010Nightjar\u3011",  # CJK lenticular brackets
    "Project \u27e8Nightjar\u27e9",
    "Project/Nightjar",
    "project/nightjar",
]


@pytest.mark.parametrize("written", FORMS)
def test_a_term_in_brackets_is_removed_and_found(written: str) -> None:
    model = Model.model_validate(yaml.safe_load(MODEL))
    model.controls[0].description = f"Rolled out with {written} in 2025."
    public, log = redact(model, Policy(terms=["Project Nightjar"]))
    assert public.controls[0].description == "Rolled out with [redacted] in 2025.", written
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.md"
        page.write_text(f"Footer: {written}.", encoding="utf-8")
        assert scan(page, log.needles()), written


def test_brackets_around_other_words_change_nothing() -> None:
    model = Model.model_validate(yaml.safe_load(MODEL))
    model.controls[0].description = "Signed (ECDSA) messages [see T-1]; the project (not Nightjar) is named."
    public, _ = redact(model, Policy(terms=["Project Nightjar"]))
    assert public.controls[0].description == "Signed (ECDSA) messages [see T-1]; the project (not Nightjar) is named."


def test_a_package_holds_no_bracketed_term(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    data = yaml.safe_load(MODEL)
    data["controls"][0]["description"] = "Signed messages, rolled out by Project (Nightjar)."
    (project / "model.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    (project / "policy.yaml").write_text("terms: [Project Nightjar]\n", encoding="utf-8")
    (project / "mdptm.yaml").write_text(
        "sources: [model.yaml]\nredaction: policy.yaml\noverrides:\n"
        "  - {framework: mc2, clause: supplier_transparency, status: covered, justification: 'SBOM of Project [Nightjar] shared'}\n",
        encoding="utf-8",
    )
    result = build(project, tmp_path / "out", draft=True)
    assert result.exit_code == 0, result.warnings
    assert not re.search(r"project\W{0,3}nightjar", package_text(tmp_path / "out"))
