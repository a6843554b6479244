"""A withheld threat with a generic title ("Vulnerability disclosure", "Denial of service") must not block
a package whose own boilerplate (guides, coverage tables) prints the same words; its distinctive text is
still a needle, so a real leak is still caught."""

from __future__ import annotations

import copy
from pathlib import Path

from mdptm.model import Model
from mdptm.pipeline.build import build
from mdptm.redaction.corpus import shipped_text
from mdptm.redaction.leakscan import needle_key, scan
from mdptm.redaction.policy import Policy
from mdptm.redaction.redact import redact
from tests.pipeline.redteam_projects import MODEL, SECRET_DESCRIPTION, project

GENERIC = (
    "Vulnerability disclosure",
    "Denial of service",
    "Spoofing",
    "Ransomware",
    "Coordinated vulnerability disclosure",
    "End of support",
    "Third-party components",
)


def _model(title: str) -> dict[str, object]:
    data = copy.deepcopy(MODEL)
    threats = data["threats"]
    assert isinstance(threats, list)
    threats[1]["title"] = title
    return data


def test_shipped_text_holds_the_writers_words_not_a_secret() -> None:
    text = shipped_text()
    assert needle_key("Vulnerability disclosure") in text
    assert needle_key("Zephyrine backdoor") not in text


def test_generic_titles_are_no_needles_but_the_description_is() -> None:
    for title in GENERIC:
        _public, log = redact(Model.model_validate(_model(title)), Policy(drop=["confidential"]))
        keys = {needle_key(n) for n in log.needles()}
        # the description, one sentence, is a needle (as the sentence, a term, without its full stop)
        assert needle_key(SECRET_DESCRIPTION).rstrip(".") in keys
        if needle_key(title) in shipped_text():
            assert needle_key(title) not in keys, title


def test_a_distinctive_title_stays_a_needle() -> None:
    _public, log = redact(Model.model_validate(_model("Zephyrine backdoor")), Policy(drop=["confidential"]))
    assert "Zephyrine backdoor" in log.needles()


def test_the_scan_still_finds_the_withheld_text(tmp_path: Path) -> None:
    _public, log = redact(Model.model_validate(_model("Vulnerability disclosure")), Policy(drop=["confidential"]))
    (tmp_path / "guide.md").write_text("Vulnerability disclosure: write to psirt@example.com.\n", encoding="utf-8")
    assert scan(tmp_path, log.needles()) == []
    (tmp_path / "leak.html").write_text(f"<p>{SECRET_DESCRIPTION.upper()}</p>", encoding="utf-8")
    assert [h.file for h in scan(tmp_path, log.needles())] == ["leak.html"]


def test_a_package_with_a_generically_titled_withheld_threat_builds(tmp_path: Path) -> None:
    for n, title in enumerate(("Vulnerability disclosure", "Coordinated vulnerability disclosure", "End of support")):
        root = project(tmp_path / f"p{n}", model=_model(title))
        result = build(root, tmp_path / f"out{n}")
        assert result.exit_code == 0, (title, result.warnings)
        assert (tmp_path / f"out{n}" / "ptm.json").is_file()
