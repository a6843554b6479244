"""Review findings shown in the package never quote what redaction removed."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

from mdptm.model.results import Finding, Review
from mdptm.pipeline.build import build
from mdptm.redaction.redact import RedactionLog, public_review
from tests.conftest import SAMPLES

HOST = "pump-staging.meridian.internal"


def test_findings_lose_removed_strings_and_take_public_ids() -> None:
    log = RedactionLog(terms=["Project Osprey"])
    log.add("T-9", "title", "replaced", "hostname", HOST, "[redacted]", secret=True)
    log.add("redacted-threat-1", "id", "renamed", "ticket", "INFSEC-1187", "redacted-threat-1", secret=True)
    log.renamed = {"INFSEC-1187": "redacted-threat-1"}
    review = Review(
        findings=[
            Finding(check="threat-open", severity="warning", message=f"threat T-9 (Replay on {HOST.upper()}) is open", items=["T-9"]),
            Finding(
                check="threat-open",
                severity="warning",
                message="threat INFSEC-1187 (project  osprey leftovers) is open",
                items=["INFSEC-1187"],
            ),
            Finding(check="view-missing", severity="info", message="no multi-patient harm view", items=[]),
        ]
    )
    shown = public_review(review, log, "[redacted]")
    assert [f.message for f in shown.findings] == [
        "threat T-9 (Replay on [redacted]) is open",
        "threat [redacted] ([redacted] leftovers) is open",
        "no multi-patient harm view",
    ]
    assert [f.items for f in shown.findings] == [["T-9"], ["redacted-threat-1"], []]
    assert review.findings[0].message.endswith("is open")  # the internal review is untouched
    assert HOST.upper() in review.findings[0].message


@pytest.mark.slow
def test_open_threat_titled_with_a_host_name_is_published(tmp_path: Path) -> None:
    project = tmp_path / "pump"
    project.mkdir()
    model = yaml.safe_load((SAMPLES / "infusion-pump" / "model.yaml").read_text(encoding="utf-8"))
    threat = next(t for t in model["threats"] if t["status"] == "open")
    threat["title"] = f"Clock drift on {HOST}"
    (project / "model.yaml").write_text(yaml.safe_dump(model, sort_keys=False), encoding="utf-8")
    shutil.copy(SAMPLES / "infusion-pump" / "redaction.yaml", project / "redaction.yaml")
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\nredaction: redaction.yaml\n", encoding="utf-8")
    result = build(project, draft=True)
    assert result.exit_code == 0, result.warnings
    internal = json.loads((result.internal / "review.json").read_text(encoding="utf-8"))
    assert any(HOST in f["message"] for f in internal["findings"])  # the maker's own report keeps it
    with zipfile.ZipFile(result.out / "ptm.docx") as zf:
        body = zf.read("word/document.xml").decode("utf-8")
    assert HOST not in body and "Clock drift on [redacted]" in body
