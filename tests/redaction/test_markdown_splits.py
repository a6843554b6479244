"""A term split by a Markdown link or a backslash escape ("[Night](x)jar", "Night\\jar", "Night\\\\_jar") reads
whole once rendered: redaction removes it and the leak scan finds it, by one reading (textnorm.rendered)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from mdptm.base import textnorm
from mdptm.model import Model
from mdptm.pipeline.build import build
from mdptm.redaction.leakscan import scan
from mdptm.redaction.redact import Policy, Scrubber

SPLITS = [
    "see [Night](https://example.com/x)jar here",
    "see [Night][1]jar here",
    "see ![Night](a.png)jar here",
    "Night\\jar",
    "Night\\_jar",
    "Night\\\\_jar",
    "Night\\\\jar",
    "[Ni\\ght](x)jar",
]


@pytest.mark.parametrize("text", SPLITS)
def test_rendered_reads_the_term_whole(text: str) -> None:
    assert "nightjar" in textnorm.key(textnorm.rendered(text))
    shown, where = textnorm.rendered_map(text)
    assert shown == textnorm.rendered(text) and len(where) == len(shown)


@pytest.mark.parametrize("text", SPLITS)
def test_redaction_removes_a_split_term_with_its_link_and_backslashes(text: str) -> None:
    new, removed = Scrubber(Policy(terms=["Nightjar"])).scrub(text)
    assert removed, text
    assert "night" not in new.lower() and "jar" not in new.replace("[redacted]", ""), new
    assert "](" not in new and "\\" not in new, new


def test_a_short_term_in_a_path_is_still_a_word() -> None:
    new, _ = Scrubber(Policy(terms=["AWS"])).scrub("C:\\AWS\\keys and flaws")
    assert new == "C:\\[redacted]\\keys and flaws"


@pytest.mark.parametrize("text", SPLITS)
def test_the_leak_scan_finds_a_split_term(tmp_path: Path, text: str) -> None:
    (tmp_path / "guide.md").write_text(f"# Guide\n\n{text}\n", encoding="utf-8")
    (tmp_path / "ptm.json").write_text(json.dumps({"description": text}), encoding="utf-8")
    (tmp_path / "index.html").write_text(f"<p>{text}</p>", encoding="utf-8")
    run = text.replace("jar", "</w:t></w:r><w:r><w:t>jar", 1)  # Word splits the link from the rest
    (tmp_path / "document.xml").write_text(f"<w:p><w:r><w:t>{run}</w:t></w:r></w:p>", encoding="utf-8")
    assert {h.file for h in scan(tmp_path, ["Nightjar"])} == {"guide.md", "ptm.json", "index.html", "document.xml"}


def test_no_split_no_hit(tmp_path: Path) -> None:
    # (the two halves side by side, "Night jar", read as the word broken in two: test_hyphenated_terms.py)
    (tmp_path / "guide.md").write_text("[Night](x) and a jar\\n; Night \\\\ a jar", encoding="utf-8")
    assert scan(tmp_path, ["Nightjar"]) == []


MODEL = """\
schema: mdptm/1
product: {name: Acme Monitor, manufacturer: Acme Medical, version: "1.0"}
document: {version: "1.0", date: "2026-01-01"}
elements:
  - {id: E-MON, name: Monitor, kind: device, description: "Built in [Night](https://wiki.example.com/nj)jar."}
  - {id: E-GW, name: Gateway, kind: software, description: "Night\\\\jar relay; Night\\\\_jar export."}
flows:
  - {id: F-1, source: E-MON, target: E-GW, name: Vitals, protocol: HL7}
threats:
  - {id: T-1, title: Vitals tampering, stride: [tampering], targets: [F-1], status: mitigated, controls: [C-1],
     description: "Seen in the [Night][1]jar tests."}
controls:
  - {id: C-1, title: Message signing, category: integrity, status: implemented}
"""


def test_a_package_built_from_split_terms_holds_none(tmp_path: Path) -> None:
    data = yaml.safe_load(MODEL)
    assert "\\" in data["elements"][1]["description"]
    Model.model_validate(data)
    project = tmp_path / "p"
    project.mkdir()
    (project / "model.yaml").write_text(MODEL, encoding="utf-8")
    (project / "policy.yaml").write_text("terms: [Nightjar]\n", encoding="utf-8")
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\nredaction: policy.yaml\n", encoding="utf-8")
    result = build(project, tmp_path / "out", draft=True)
    assert result.exit_code == 0, result.warnings
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file() and path.suffix in (".md", ".json", ".html"):
            shown = textnorm.key(textnorm.rendered(path.read_text(encoding="utf-8")))
            assert "nightjar" not in shown and "night jar" not in shown, path


def test_markdown_is_read_only_around_its_marks(tmp_path: Path) -> None:
    """A 34 MB Word part with 16 backslashes was searched a second time whole, and so was every JSON file whose
    descriptions hold line breaks ("\\n"): Markdown's reading is made of the parts around each mark."""
    from mdptm.redaction import leakscan

    filler = "lorem ipsum dolor " * 20000  # 360 000 characters
    text = filler + "see Night\\jar here" + filler
    shown = leakscan._rendered_marks(text, leakscan._MARKS)
    assert shown is not None and "Nightjar" in shown and len(shown) < 3 * leakscan.OVERLAP
    plain = json.dumps({"description": filler + "\nline two " + filler})
    assert leakscan._rendered_marks(plain, leakscan._JSON_MARKS) is None  # the format's own escapes are no mark
    (tmp_path / "ptm.json").write_text(json.dumps({"description": filler + " Night\\jar " + filler}), encoding="utf-8")
    (tmp_path / "document.xml").write_text(f"<w:t>{filler}</w:t><w:t>[Night](x)</w:t><w:t>jar {filler}</w:t>", encoding="utf-8")
    assert {h.file for h in scan(tmp_path, ["Nightjar"])} == {"ptm.json", "document.xml"}
