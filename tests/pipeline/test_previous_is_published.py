"""The previous version the change log compares with must be a published model, not an internal one.

With ``previous:`` naming the maker's internal model of the last version, the change log quoted its old
values: a title since rewritten ("Spoofed server via maintenance PIN 4471") was published in ptm.docx and
index.html, and nothing the leak scan looks for said it was withheld."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.test_cli_foundation import MODEL, run

OLD_TITLE = "Spoofed server via maintenance PIN 4471"


def _files_text(folder: Path) -> str:
    import zipfile

    out = []
    for p in sorted(folder.rglob("*")):
        if p.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(p) as z:
                out += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
        elif p.is_file():
            out.append(p.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(out)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "model.yaml").write_text(MODEL.replace('version: "1.0"', 'version: "2.0"'))
    (folder / "mdptm.yaml").write_text("sources: [model.yaml]\nprevious: v1.json\n")
    return folder


@pytest.mark.parametrize("field", ["notes", "source", "extra"])
def test_an_internal_previous_model_is_refused(project: Path, tmp_path: Path, field: str, capsys: pytest.CaptureFixture[str]) -> None:
    old = yaml.safe_load(MODEL)
    old["threats"][0]["title"] = OLD_TITLE
    old["threats"][0][field] = {
        "notes": "Keep the PIN out of the submission.",
        "source": {"file": "tm-v1.docx", "locator": "table 3 row 2"},
        "extra": {"Owner": "QA"},
    }[field]
    (project / "v1.json").write_text(json.dumps(old))
    out = tmp_path / "pkg"
    code, _, err = run(["build", str(project), "-o", str(out)], capsys)
    assert code == 2, err
    assert "v1.json" in err and "not a published PTM" in err and f"T1 has {field}" in err
    assert not out.exists()


def test_the_published_previous_version_gives_the_change_log(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = tmp_path / "v1pkg"
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\n")
    (project / "model.yaml").write_text(MODEL.replace("title: Spoofed server", f"title: {OLD_TITLE}"))
    assert run(["build", str(project), "-o", str(first)], capsys)[0] == 0
    (project / "model.yaml").write_text(MODEL.replace('version: "1.0"', 'version: "2.0"'))
    (project / "mdptm.yaml").write_text(f"sources: [model.yaml]\nprevious: {first / 'ptm.json'}\n")
    out = tmp_path / "pkg"
    code, _, err = run(["build", str(project), "-o", str(out)], capsys)
    assert code == 0, err
    assert OLD_TITLE in _files_text(out)  # published before: the change log may quote it


def test_the_previous_package_folder_stands_for_its_ptm_json(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """'previous: ../v1', the published package as it was handed out: read as its ptm.json (it was refused as
    'a folder, not a file'). A folder that is no package is still refused, naming what is missing."""
    first = tmp_path / "v1pkg"
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\n")
    (project / "model.yaml").write_text(MODEL.replace("title: Spoofed server", f"title: {OLD_TITLE}"))
    assert run(["build", str(project), "-o", str(first)], capsys)[0] == 0
    (project / "model.yaml").write_text(MODEL.replace('version: "1.0"', 'version: "2.0"'))
    (project / "mdptm.yaml").write_text(f"sources: [model.yaml]\nprevious: {first}\n")
    code, _, err = run(["build", str(project), "-o", str(tmp_path / "pkg")], capsys)
    assert code == 0, err
    assert OLD_TITLE in _files_text(tmp_path / "pkg")  # the change log compared with version 1
    empty = tmp_path / "not-a-package"
    empty.mkdir()
    (project / "mdptm.yaml").write_text(f"sources: [model.yaml]\nprevious: {empty}\n")
    code, _, err = run(["build", str(project), "-o", str(tmp_path / "pkg2")], capsys)
    assert code == 2, err
    assert "ptm.json" in err and "Traceback" not in err
    assert not (tmp_path / "pkg2").exists()


def test_a_build_into_the_folder_of_the_previous_version_is_refused(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'previous: ../v1/ptm.json' and '-o ../v1': version 2 replaced the published version 1 it compared with
    (the record of what was published, and the next build's previous version)."""
    first = tmp_path / "v1"
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\n")
    assert run(["build", str(project), "-o", str(first)], capsys)[0] == 0
    before = {p.relative_to(first).as_posix(): p.read_bytes() for p in sorted(first.rglob("*")) if p.is_file()}
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\nprevious: ../v1/ptm.json\n")
    code, _, err = run(["build", str(project), "-o", str(first)], capsys)
    assert code == 2, err
    assert "ptm.json" in err and "replace it" in err
    assert {p.relative_to(first).as_posix(): p.read_bytes() for p in sorted(first.rglob("*")) if p.is_file()} == before
    assert run(["build", str(project), "-o", str(tmp_path / "v2")], capsys)[0] == 0  # beside it is fine


@pytest.mark.parametrize("manifest", ["none", "other tool", "changed since"])
def test_a_hand_written_previous_model_without_internal_fields_is_refused(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], manifest: str
) -> None:
    """A hand-written internal model with no notes, source or extra passed as the previous version: its ids were
    taken as public (the leak scan stopped looking for a threat this version withholds) and the change log quoted
    its old values. Only a ptm.json its package's MANIFEST.json records is a previous version."""
    old = yaml.safe_load(MODEL)
    old["threats"][0]["title"] = OLD_TITLE
    text = json.dumps(old)
    (project / "v1.json").write_text(text)
    import hashlib

    if manifest == "other tool":
        (project / "MANIFEST.json").write_text(json.dumps({"tool": "other", "model_sha256": hashlib.sha256(text.encode()).hexdigest()}))
    elif manifest == "changed since":
        (project / "MANIFEST.json").write_text(json.dumps({"tool": "mdptm", "model_sha256": "0" * 64}))
    out = tmp_path / "pkg"
    code, _, err = run(["build", str(project), "-o", str(out)], capsys)
    assert code == 2, err
    assert "v1.json" in err and "not a published PTM" in err and "MANIFEST.json" in err
    assert not out.exists()
    assert OLD_TITLE not in err  # the message names the file, never its content


def test_what_the_previous_version_published_and_this_policy_withholds_is_not_quoted(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Version 1 published "Reviewed by Dana Whitlock on site."; version 2 adds her name to the policy and
    rewrites the text. The change log quoted the old value, the scan found the term and version 2 could not be
    published at all (nothing in the model to fix). The previous version's text is read through this version's
    policy: the change log quotes it redacted."""
    first = tmp_path / "v1"

    def model(version: str, description: str) -> str:
        data = yaml.safe_load(MODEL)
        data["document"]["version"] = version
        data["threats"][0]["description"] = description
        return yaml.safe_dump(data)

    (project / "model.yaml").write_text(model("1.0", "Reviewed by Dana Whitlock on site."))
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\n")
    assert run(["build", str(project), "-o", str(first)], capsys)[0] == 0
    assert "Dana Whitlock" in (first / "ptm.json").read_text(encoding="utf-8")
    (project / "model.yaml").write_text(model("2.0", "Reviewed on site by the security team."))
    (project / "redaction.yaml").write_text("terms: [Dana Whitlock]\n")
    (project / "mdptm.yaml").write_text(f"sources: [model.yaml]\nredaction: redaction.yaml\nprevious: {first / 'ptm.json'}\n")
    out = tmp_path / "v2"
    code, _, err = run(["build", str(project), "-o", str(out)], capsys)
    assert code == 0, err
    text = _files_text(out)
    assert "Whitlock" not in text
    assert "Reviewed by [redacted] on site." in text  # the change log still says what changed
