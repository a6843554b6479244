"""``mdptm publish`` and ``mdptm export`` for the package formats, with their exit codes."""

from __future__ import annotations

import json
import sys
import types
import zipfile
from pathlib import Path

import docx
import pytest

from mdptm.cli import main
from mdptm.documents.ptm import build_ptm_doc
from mdptm.model import PLACEHOLDER, Model
from mdptm.model.io import save
from mdptm.plugins import ExportContext
from tests.ptm_fixture import model, model_data


def run(*args: str) -> int:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    return int(exc.value.code or 0)


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "model.json"
    save(model(), path)
    return path


@pytest.mark.slow
def test_publish_command_writes_the_package_twice_the_same(model_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert run("publish", str(model_file), "-o", str(tmp_path / "a")) == 0
    assert run("publish", str(model_file), "-o", str(tmp_path / "b"), "-q") == 0
    a, b = tmp_path / "a", tmp_path / "b"
    files = sorted(f.relative_to(a) for f in a.rglob("*") if f.is_file())
    assert len(files) >= 16 and files == sorted(f.relative_to(b) for f in b.rglob("*") if f.is_file())
    for f in files:
        assert (a / f).read_bytes() == (b / f).read_bytes(), f
    with zipfile.ZipFile(tmp_path / "a" / "ptm.docx") as z:
        assert "2023-11-14T22:13:20Z" in z.read("docProps/core.xml").decode()


@pytest.mark.slow
def test_publish_with_a_template_and_draft(model_file: Path, tmp_path: Path) -> None:
    brand = docx.Document()
    brand.sections[0].header.paragraphs[0].text = "ACME brand header"
    template = tmp_path / "brand.docx"
    brand.save(str(template))
    assert run("publish", str(model_file), "-o", str(tmp_path / "p"), "--draft", "--template", str(template)) == 0
    with zipfile.ZipFile(tmp_path / "p" / "ptm.docx") as z:
        headers = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/header"))
    assert "ACME brand header" in headers and "DRAFT" in headers


@pytest.mark.slow
def test_publish_refuses_a_placeholder_with_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = model_data()
    data["document"]["version"] = PLACEHOLDER
    path = tmp_path / "m.json"
    save(Model.model_validate(data), path)
    assert run("publish", str(path), "-o", str(tmp_path / "p")) == 1
    assert "placeholder" in capsys.readouterr().err
    assert not (tmp_path / "p").exists()
    assert run("publish", str(path), "-o", str(tmp_path / "p"), "--draft") == 0


def test_publish_bad_input_exits_2(tmp_path: Path) -> None:
    assert run("publish", str(tmp_path / "missing.json"), "-o", str(tmp_path / "p")) == 2
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"schema": "mdptm/1"}))
    assert run("publish", str(bad), "-o", str(tmp_path / "p")) == 2


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["docx", "xlsx", "html", "json", "yaml"])
def test_export_each_format(fmt: str, model_file: Path, tmp_path: Path) -> None:
    out = tmp_path / f"ptm.{fmt}"
    assert run("export", str(model_file), "--format", fmt, "-o", str(out)) == 0
    data = out.read_bytes()
    if fmt in ("docx", "xlsx"):
        assert data[:2] == b"PK"
    elif fmt == "html":
        assert data.startswith(b"<!DOCTYPE html>")
    assert run("export", str(model_file), "--format", fmt, "-o", str(tmp_path / f"again.{fmt}")) == 0
    assert (tmp_path / f"again.{fmt}").read_bytes() == data


def test_change_log_uses_the_diff_module_when_present(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The change-log chapter reads mdptm.documents.changes.diff_models (SPEC §9 shape) when it is installed."""
    previous = model()
    previous.document.version = "1.0"

    def diff_models(old: Model, new: Model) -> dict[str, object]:
        return {
            "added": [{"id": "T-38", "kind": "threat"}],
            "removed": [{"id": "E-OLD", "kind": "element"}],
            "changed": [{"id": "C-01", "kind": "control", "fields": {"status": ["planned", "implemented"]}}],
        }

    monkeypatch.setitem(sys.modules, "mdptm.documents.changes", types.SimpleNamespace(diff_models=diff_models))
    doc = build_ptm_doc(model(), ExportContext(previous=previous), tmp_path)
    tables = [b for b in doc.blocks if getattr(b, "caption", None) == "Changes since version 1.0"]
    assert tables, "change-log table missing"
    rows = tables[0].rows  # type: ignore[attr-defined]
    assert ["Added", "Threat", "T-38 Plain-text credentials in the gateway configuration", ""] in rows
    assert ["Removed", "Element", "E-OLD", ""] in rows
    assert any(r[0] == "Changed" and "status: planned → implemented" in r[3] for r in rows)
