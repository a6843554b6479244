"""Characters XML cannot hold never reach an XML output; lone surrogates are refused on input;
an internal model exported as is says so."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree

from tests.test_cli_foundation import MODEL, run


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_lone_surrogate_is_refused_with_file_and_place(tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = yaml.safe_load(MODEL)
    data["threats"][0]["title"] = "Spoofed \ud800 server"
    path = tmp_path / f"model{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(data), encoding="utf-8")  # ensure_ascii: written as \\ud800
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=False), encoding="utf-8")
    assert "\\ud800" in path.read_text(encoding="utf-8").lower()
    for args in (["validate", str(path)], ["import", str(path), "-o", str(tmp_path / "m.json")]):
        code, _, err = run(args, capsys)
        assert code == 2, err
        assert path.name in err and "Traceback" not in err
        # JSON: named by pointer; YAML's own reader already refuses the escape, by line and column
        assert ("surrogate" in err and "/threats/0/title" in err) or ("invalid Unicode" in err and "line 41" in err)


def test_xml_forbidden_characters_are_removed_and_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = yaml.safe_load(MODEL)
    data["threats"][0]["title"] = "Spoofed\ufffe ser\x01ver\uffff"
    data["controls"][0]["description"] = "Per-device\x0b certificates."
    (tmp_path / "model.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "mdptm.yaml").write_text("sources: [model.json]\n")
    code, out, err = run(["build", str(tmp_path), "-o", str(tmp_path / "pkg")], capsys)
    assert code == 0, err
    for name in ("ptm.xlsx", "ptm.docx"):
        with zipfile.ZipFile(tmp_path / "pkg" / name) as zf:
            for member in zf.namelist():
                if member.endswith((".xml", ".rels")):
                    etree.fromstring(zf.read(member))  # well-formed, or this raises
    ptm = json.loads((tmp_path / "pkg" / "ptm.json").read_text(encoding="utf-8"))
    assert ptm["threats"][0]["title"] == "Spoofed server"
    report = (tmp_path / "pkg.internal" / "import-report.json").read_text(encoding="utf-8")
    assert "U+FFFE" in report and "U+0001" in report and "T1" in report


def _model_with(tmp_path: Path, sensitivity: str | None) -> Path:
    data = yaml.safe_load(MODEL)
    if sensitivity:
        data["controls"][0]["sensitivity"] = sensitivity
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_export_of_an_internal_model_is_marked_confidential(tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    model = _model_with(tmp_path, "trade_secret")
    out = tmp_path / f"doc.{fmt}"
    code, said, err = run(["export", str(model), "--format", fmt, "-o", str(out)], capsys)
    assert code == 0, err
    assert "CONFIDENTIAL" in said

    def text(path: Path) -> str:
        if fmt == "html":
            return path.read_text(encoding="utf-8")
        with zipfile.ZipFile(path) as zf:
            return zf.read("word/document.xml").decode("utf-8")

    assert "CONFIDENTIAL" in text(out)
    code, _, err = run(["export", str(model), "--format", fmt, "-o", str(tmp_path / "pub"), "--public"], capsys)
    assert code == 2 and "not a public model" in err and not (tmp_path / "pub").exists()
    (tmp_path / "p").mkdir()
    public = _model_with(tmp_path / "p", None)
    code, _, err = run(["export", str(public), "--format", fmt, "-o", str(tmp_path / f"p.{fmt}")], capsys)
    assert code == 0 and "CONFIDENTIAL" not in text(tmp_path / f"p.{fmt}")
    code, _, err = run(["export", str(public), "--format", fmt, "-o", str(tmp_path / f"i.{fmt}"), "--internal"], capsys)
    assert code == 0 and "CONFIDENTIAL" in text(tmp_path / f"i.{fmt}")
