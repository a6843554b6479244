"""The Word branding template is scrubbed like model text; its external relationships are dropped."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from tests.redaction.leak_helpers import holds, package_text
from tests.test_cli_foundation import MODEL, run

SECRETS = ["PUMPSEC-777", "10.44.1.2", "build01.meridian.corp", "ops@meridian.corp"]
TEMPLATE_PATH = "file:///C:/Users/jdoe/Templates/Meridian-Confidential.dotm"


def _template(path: Path) -> Path:
    d = docx.Document()
    section = d.sections[0]
    section.header.paragraphs[0].text = f"Ticket {SECRETS[0]} · print server {SECRETS[1]}"
    section.footer.paragraphs[0].text = f"Built on {SECRETS[2]} — questions to {SECRETS[3]}"
    d.save(str(path))
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    rel = (
        f'<Relationship Id="rIdTpl" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'attachedTemplate" Target="{TEMPLATE_PATH}" TargetMode="External"/>'
    )
    rels = members.get(
        "word/_rels/settings.xml.rels",
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
        b'openxmlformats.org/package/2006/relationships"></Relationships>',
    )
    members["word/_rels/settings.xml.rels"] = rels.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
    members["word/settings.xml"] = members["word/settings.xml"].replace(
        b"<w:zoom",
        b'<w:attachedTemplate r:id="rIdTpl" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/><w:zoom',
        1,
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_template_header_and_footer_are_redacted_and_external_links_dropped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    (project / "model.yaml").write_text(MODEL)
    _template(project / "brand.docx")
    (project / "redaction.yaml").write_text("patterns: ['PUMPSEC-\\d+']\n")
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\ntemplate: brand.docx\nredaction: redaction.yaml\n")
    code, _, err = run(["build", str(project), "-o", str(tmp_path / "pkg")], capsys)
    assert code == 0, err
    text = package_text(tmp_path / "pkg")
    for secret in SECRETS:
        assert not holds(text, secret), secret
    assert not holds(text, "Meridian-Confidential") and not holds(text, "file:///")
    with zipfile.ZipFile(tmp_path / "pkg" / "ptm.docx") as zf:
        headers = [zf.read(n).decode() for n in zf.namelist() if n.startswith("word/header")]
    assert any("Ticket [redacted]" in h for h in headers)
    log = (tmp_path / "pkg.internal" / "redaction-log.json").read_text(encoding="utf-8")
    assert "PUMPSEC-777" in log  # the maker's log says what was removed, and where
