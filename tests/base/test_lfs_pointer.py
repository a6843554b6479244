"""A repository that keeps its .tm7 (or .docx, .json) in Git LFS leaves a three-line pointer file in a
checkout made without Git LFS. Importing it is an error that says so and names the file, whatever the
extension and whether the format was named or detected, not an XML or JSON syntax error."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.base.safety import LFS_POINTER, describe_bytes, lfs_pointer
from mdptm.cli import main
from mdptm.errors import InputError
from mdptm.pipeline.importing import import_one

POINTER = (
    "version https://git-lfs.github.com/spec/v1\n"
    "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
    "size 1345484\n"
)


def test_a_pointer_is_recognised_and_described() -> None:
    assert lfs_pointer(POINTER.encode())
    assert not lfs_pointer(b'<ThreatModel xmlns="http://schemas.datacontract.org/2004/07/ThreatModeling.Model">')
    assert not lfs_pointer(b"# version https://git-lfs.github.com/spec/v1 is mentioned here")
    assert "Git LFS pointer" in describe_bytes(POINTER.encode())


@pytest.mark.parametrize(
    ("name", "fmt"), [("model.tm7", None), ("model.json", None), ("model.docx", None), ("model.otm", None), ("model.xml", "tm7")]
)
def test_importing_a_pointer_names_the_file(tmp_path: Path, name: str, fmt: str | None) -> None:
    path = tmp_path / name
    path.write_text(POINTER, encoding="utf-8")
    with pytest.raises(InputError) as err:
        import_one(path, fmt)
    assert err.value.message == LFS_POINTER
    assert err.value.file == str(path)


def test_the_command_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "threat-model.tm7"
    path.write_text(POINTER, encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main(["import", str(path), "-o", str(tmp_path / "out.json")])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "threat-model.tm7" in err and "Git LFS pointer" in err
    assert not (tmp_path / "out.json").exists()
