"""A file output never replaces an input of the command, two outputs are never one file, and no file output
goes into a folder mdptm wrote (docs/security.md, "Never deleting what is not ours")."""

from __future__ import annotations

import os
import shutil
import stat
import threading
from pathlib import Path

import pytest

from mdptm.base.output import MARKER
from tests.conftest import SAMPLES
from tests.test_cli_foundation import MODEL, run

POLICY = "terms: [Kestrel]\n"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "model.yaml").write_text(MODEL)
    (tmp_path / "policy.yaml").write_text(POLICY)
    return tmp_path


def _refused(args: list[str], capsys: pytest.CaptureFixture[str], keep: dict[Path, bytes]) -> str:
    code, _, err = run(args, capsys)
    assert code == 2, err
    assert "Traceback" not in err
    for path, data in keep.items():
        assert path.read_bytes() == data, f"{path} was changed"
    return err


def test_import_over_its_own_source_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 'mdptm import t.docx -o t.docx' replaced the Word threat model with its JSON import
    doc = tmp_path / "threat-model.docx"
    shutil.copy(SAMPLES / "infusion-pump" / "threat-model.docx", doc)
    err = _refused(["import", str(doc), "-o", str(doc)], capsys, {doc: doc.read_bytes()})
    assert "input of this command" in err and str(doc) in err


def test_redact_log_and_public_model_in_one_file_is_refused(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # '-o public.json --log public.json' wrote the redaction log (every withheld string) as the public model
    out = work / "public.json"
    err = _refused(
        ["redact", str(work / "model.yaml"), "--policy", str(work / "policy.yaml"), "-o", str(out), "--log", str(out)], capsys, {}
    )
    assert "name the same file" in err
    assert not out.exists()


def test_redact_over_its_policy_or_model_is_refused(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keep = {work / "model.yaml": (work / "model.yaml").read_bytes(), work / "policy.yaml": (work / "policy.yaml").read_bytes()}
    base = ["redact", str(work / "model.yaml"), "--policy", str(work / "policy.yaml")]
    _refused([*base, "-o", str(work / "policy.yaml")], capsys, keep)
    _refused([*base, "-o", str(work / "public.json"), "--log", str(work / "model.yaml")], capsys, keep)
    assert not (work / "public.json").exists()


def test_an_input_reached_through_a_link_or_another_spelling_is_refused(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "link.yaml").symlink_to(work / "model.yaml")
    keep = {work / "model.yaml": (work / "model.yaml").read_bytes()}
    _refused(["export", str(work / "model.yaml"), "-o", str(work / "link.yaml")], capsys, keep)
    _refused(["export", str(work / "model.yaml"), "-o", str(work / "sub" / ".." / "model.yaml")], capsys, keep)


def test_import_report_and_model_in_one_file_is_refused(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = work / "m.json"
    err = _refused(["import", str(work / "model.yaml"), "-o", str(out), "--report", str(out)], capsys, {})
    assert "-o and --report" in err


def test_review_or_map_over_a_project_input_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "pump"
    shutil.copytree(SAMPLES / "infusion-pump", project)
    keep = {p: p.read_bytes() for p in project.iterdir() if p.is_file()}
    _refused(["review", str(project), "-o", str(project / "redaction.yaml")], capsys, keep)
    _refused(["review", str(project), "-o", str(project / "mdptm.yaml")], capsys, keep)
    _refused(["map", str(project / "model.yaml"), "--project", str(project), "-o", str(project / "register.xlsx")], capsys, keep)


def test_a_file_output_inside_a_package_folder_is_refused(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the redaction log written into the package would be published with it
    package = work / "out"
    package.mkdir()
    (package / MARKER).write_text("This folder was written by mdptm\n")
    base = ["redact", str(work / "model.yaml"), "--policy", str(work / "policy.yaml")]
    err = _refused([*base, "-o", str(work / "public.json"), "--log", str(package / "guides" / "log.json")], capsys, {})
    assert "a folder mdptm wrote" in err
    assert sorted(p.name for p in package.rglob("*")) == [MARKER]
    assert not (work / "public.json").exists()


def test_distinct_outputs_are_written(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        [
            "redact",
            str(work / "model.yaml"),
            "--policy",
            str(work / "policy.yaml"),
            "-o",
            str(work / "p.json"),
            "--log",
            str(work / "l.json"),
        ],
        capsys,
    )
    assert code == 0, err
    assert (work / "p.json").is_file() and (work / "l.json").is_file()


def test_o_at_a_device_writes_into_it_and_never_replaces_it(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """'-o /dev/null' run as root renamed a regular file over the system's /dev/null."""
    null = work / "null"
    try:
        os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # the null device, as /dev/null is
    except (PermissionError, AttributeError, OSError):
        pytest.skip("cannot make a device node here")
    code, _, err = run(["export", str(work / "model.yaml"), "--format", "csv", "-o", str(null)], capsys)
    assert code == 0, err
    assert stat.S_ISCHR(null.stat().st_mode)
    assert [p.name for p in work.iterdir() if p.name.startswith(".null")] == []


def test_o_at_a_named_pipe_writes_the_output_into_it(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pipe = work / "pipe"
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()), daemon=True)  # waits for a writer
    reader.start()
    code, _, err = run(["export", str(work / "model.yaml"), "--format", "csv", "-o", str(pipe)], capsys)
    assert code == 0, err
    assert stat.S_ISFIFO(pipe.stat().st_mode), "the pipe was replaced by a file"
    reader.join(timeout=60)
    assert got and b"Issue Type,ID" in got[0]


def test_a_file_output_name_too_long_is_named_as_such(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = work / ("m" * 245 + ".json")  # fits alone, not with the staging name beside it
    err = _refused(["export", str(work / "model.yaml"), "-o", str(out)], capsys, {})
    assert "too long" in err and str(out) in err and "not writable" not in err
