"""``mdptm init``: a project file from a folder of documents; ``mdptm build FILE`` says what to do instead."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mdptm.cli import main
from mdptm.pipeline.project import load_project
from mdptm.redaction.redact import Policy
from tests.importers.import_helpers import Doc, workbook


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(args)
    out, err = capsys.readouterr()
    code = exc.value.code
    return (code if isinstance(code, int) else 0), out, err


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = Doc().title("Acme Pump Cybersecurity Threat Model")
    d.table([["Product", "Acme Pump"], ["Manufacturer", "Acme Medical"], ["Version", "1.4"]])
    d.heading("Threats", 1)
    d.table([["ID", "Threat", "STRIDE"], ["T-1", "Spoofed server", "S"], ["T-2", "Firmware replaced", "T"]])
    d.save(tmp_path / "threat-model.docx")
    workbook(tmp_path / "register.xlsx", {"Threats": [["ID", "Threat", "STRIDE", "Status"], ["T-3", "Log wiped", "R", "Open"]]})
    (tmp_path / "notes.docx").write_bytes(b"not a zip at all")
    (tmp_path / "~$threat-model.docx").write_bytes(b"owner lock file")
    return tmp_path


def test_init_writes_a_project_file_that_builds(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["init", str(folder)], capsys)
    assert code == 0, err
    text = (folder / "mdptm.yaml").read_text()
    data = yaml.safe_load(text)
    assert data["sources"] == ["threat-model.docx", "register.xlsx"]  # the Word model first; the broken file is not
    assert '# - "notes.docx"   # not read:' in text
    assert "notes.docx" in err and "~$" not in text
    assert data["product"]["name"] == "Acme Pump" and data["product"]["manufacturer"] == "Acme Medical"
    assert data["product"]["regulatory"]["cra_scope"] == "unknown"
    assert "SET THIS" in text.split("cra_scope")[0].rsplit("regulatory:", 1)[1]  # the comment asking for it
    assert data["signoffs_required"] == ["product_security", "regulatory"]
    assert data["redaction"] == "redaction.yaml"
    Policy.model_validate(yaml.safe_load((folder / "redaction.yaml").read_text()))
    project, _root = load_project(folder)
    assert [s.path for s in project.sources] == ["threat-model.docx", "register.xlsx"]
    assert f"mdptm build {folder} --draft" in out


def test_init_never_overwrites(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "mdptm.yaml").write_text("sources: [threat-model.docx]\n")
    (folder / "redaction.yaml").write_text("drop: [confidential]\n")
    code, _out, err = run(["init", str(folder)], capsys)
    assert code == 2 and "already exists" in err and "Traceback" not in err
    assert (folder / "mdptm.yaml").read_text() == "sources: [threat-model.docx]\n"
    assert (folder / "redaction.yaml").read_text() == "drop: [confidential]\n"


def test_init_keeps_an_existing_policy(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "redaction.yaml").write_text("drop: [confidential]\n")
    code, _out, _err = run(["init", str(folder)], capsys)
    assert code == 0
    assert (folder / "redaction.yaml").read_text() == "drop: [confidential]\n"


def test_init_on_a_folder_without_threat_models(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "readme.txt").write_text("hello")
    code, _out, err = run(["init", str(tmp_path)], capsys)
    assert code == 2 and "no threat model found" in err
    assert not (tmp_path / "mdptm.yaml").exists()


def test_build_given_a_document_says_to_init(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(["build", str(folder / "threat-model.docx")], capsys)
    assert code == 2 and "Traceback" not in err
    assert "is a document, not a project folder" in err and f"mdptm init {folder}" in err
    run(["init", str(folder)], capsys)
    code, _out, err = run(["build", str(folder / "threat-model.docx")], capsys)
    assert code == 2 and f"mdptm build {folder}" in err


def test_build_with_no_folder_builds_this_one(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _out, err = run(["build"], capsys)
    assert code == 2 and "no mdptm.yaml in the project folder" in err


def _register(path: Path, product: str, components: list[str]) -> None:
    workbook(
        path,
        {
            "Cover": [["Product", product], ["Manufacturer", "Acme Medical"]],
            "Components": [["ID", "Component", "Type"], *([f"C-{i}", name, "process"] for i, name in enumerate(components, 1))],
            "Threats": [
                ["ID", "Threat", "Component", "STRIDE"],
                *([f"T-{i}", f"{name} spoofed", name, "S"] for i, name in enumerate(components, 1)),
            ],
        },
    )


def test_init_warns_of_sources_that_describe_another_device(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two devices' registers in one folder would become one PTM: init says so, in its output and the file."""
    _register(tmp_path / "a-pump.xlsx", "Acme Pump", ["Pump Controller", "Drug Library Server"])
    _register(tmp_path / "b-monitor.xlsx", "Vista Monitor", ["Bedside Display", "Central Station"])
    code, _out, err = run(["init", str(tmp_path)], capsys)
    assert code == 0, err
    assert "b-monitor.xlsx shares no component or asset name with a-pump.xlsx" in err
    text = (tmp_path / "mdptm.yaml").read_text()
    assert "# CHECK: b-monitor.xlsx shares no component or asset name with a-pump.xlsx" in text
    assert yaml.safe_load(text)["sources"] == ["a-pump.xlsx", "b-monitor.xlsx"]  # listed all the same: the maker decides


def test_init_is_quiet_about_one_devices_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _register(tmp_path / "a-threats.xlsx", "Acme Pump", ["Pump Controller", "Drug Library Server"])
    _register(tmp_path / "b-network.xlsx", "Acme Pump network view", ["pump  controller", "Hospital Gateway"])
    code, _out, err = run(["init", str(tmp_path)], capsys)
    assert code == 0, err
    assert "CHECK" not in (tmp_path / "mdptm.yaml").read_text() and "merges every source" not in err


def test_init_compares_product_names_where_components_cannot_be(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The fixture's Word model and register name no component; a third document naming another product is said."""
    d = Doc().title("Vista Monitor Threat Model")
    d.table([["Product", "Vista Monitor"], ["Manufacturer", "Acme Medical"]])
    d.heading("Threats", 1)
    d.table([["ID", "Threat", "STRIDE"], ["T-9", "Alarm silenced", "T"]])
    d.save(folder / "vista.docx")
    code, _out, err = run(["init", str(folder)], capsys)
    assert code == 0, err
    assert "vista.docx names another product ('Vista Monitor') than threat-model.docx" in err
    assert "register.xlsx shares" not in err and "register.xlsx names" not in err  # it states no product: not said
