"""Text written in Unicode tag characters (U+E0000-U+E007F): invisible, each the copy of an ASCII character.

A description holding "Pump " followed by "Nightjar" written in tag characters showed "Pump" to a reader and gave
"Nightjar" to any program reading the file back. Redaction and the leak scan read past invisible characters (a
tag inside "Night|jar" disguises nothing), not through them: the term was published, found by neither. The
runs are now taken out of the model's text, with a warning, and the scan reads them back as the text they spell.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mdptm.redaction.leakscan import scan
from tests.redaction.leak_helpers import holds, package_text
from tests.test_cli_foundation import MODEL, run


def _tags(text: str) -> str:
    return "".join(chr(0xE0000 + ord(c)) for c in text)


def test_the_scan_reads_text_written_in_tag_characters(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(f"<p>Pump {_tags('Nightjar')} firmware</p>", encoding="utf-8")
    assert [h.needle for h in scan(tmp_path, ["Nightjar"])] == ["Nightjar"]


def test_text_in_tag_characters_is_not_published(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    data = yaml.safe_load(MODEL)
    data["threats"][0]["description"] = f"Spoofed server {_tags('Nightjar')}reached from the ward network."
    data["threats"][0]["title"] = f"Spoofed server{_tags('ask Carl Vance')}"
    (project / "model.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (project / "redaction.yaml").write_text("terms: [Nightjar]\n")
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\nredaction: redaction.yaml\n")
    code, _, err = run(["build", str(project), "-o", str(tmp_path / "pkg")], capsys)
    assert code == 0, err
    assert "tag character" in err
    text = package_text(tmp_path / "pkg")  # every file and zip member, decoded
    assert not any(0xE0000 <= ord(c) <= 0xE007F for c in text)
    assert holds(text, "Spoofed server reached from the ward network")
    assert not holds(text, "Carl Vance") and not holds(text, "nightjar")
