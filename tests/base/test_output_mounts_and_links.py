"""An output that is a mount point, reached through a linked parent, or that cannot be put in place."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from mdptm.base import output
from mdptm.errors import InputError
from tests.base.test_output_safety import _tree
from tests.test_cli_foundation import MODEL, run


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "model.yaml").write_text(MODEL)
    (folder / "mdptm.yaml").write_text("sources: [model.yaml]\n")
    return folder


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp") or ".old-" in p.name)


def test_a_mount_point_is_refused_before_anything_is_written(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """'-o /media/usb' (an empty mounted drive): the build wrote everything into a staging folder beside it,
    then failed to rename the mount point away with 'unexpected OSError: Device or resource busy' and left the
    staging folder behind."""
    mount = tmp_path / "usb"
    mount.mkdir()
    real_ismount = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda p: Path(p) == mount or real_ismount(p))
    code, _, err = run(["build", str(project), "-o", str(mount)], capsys)
    assert code == 2, err
    assert "mount point" in err and str(mount) in err and "unexpected" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["proj", "usb"]
    assert list(mount.iterdir()) == []


def test_a_drive_mounted_inside_a_package_is_not_emptied(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pkg"
    assert run(["build", str(project), "-o", str(out)], capsys)[0] == 0
    inner = out / "guides"
    real_ismount = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda p: Path(p) == inner or real_ismount(p))
    before = _tree(out)
    code, _, err = run(["build", str(project), "-o", str(out)], capsys)
    assert code == 2, err
    assert "guides/" in err
    assert _tree(out) == before


_CAN_MOUNT = sys.platform.startswith("linux") and os.geteuid() == 0 and shutil.which("unshare") is not None


@pytest.mark.skipif(not _CAN_MOUNT, reason="needs root and unshare")
def test_a_real_mount_point_is_refused(project: Path, tmp_path: Path) -> None:
    mount = tmp_path / "mnt"
    mount.mkdir()
    script = f'mount -t tmpfs none "{mount}" || exit 77; exec "{sys.executable}" -m mdptm build "{project}" -o "{mount}"'
    proc = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=300)
    if proc.returncode == 77:
        pytest.skip("cannot mount here")
    assert proc.returncode == 2, proc.stderr
    assert "mount point" in proc.stderr and "Traceback" not in proc.stderr
    assert _leftovers(tmp_path) == []
    assert not (tmp_path / "mnt.internal").exists()


def test_a_failure_putting_the_folder_in_place_leaves_the_old_package_and_no_staging(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pkg"
    assert run(["build", str(project), "-o", str(out)], capsys)[0] == 0
    before = _tree(out)
    real_rename = Path.rename

    def busy(self: Path, target: str | os.PathLike[str]) -> Path:
        if Path(target).name.startswith(".pkg.old-"):
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(self))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", busy)
    code, _, err = run(["build", str(project), "-o", str(out)], capsys)
    assert code == 2, err
    assert "cannot put the output folder in place" in err and "unexpected" not in err
    assert _leftovers(tmp_path) == []
    assert _tree(out) == before


def test_a_build_through_a_linked_parent_waits_for_one_into_the_same_folder(tmp_path: Path) -> None:
    """Two builds into one folder, one named through a symbolic link to its parent, took different locks: the
    second removed the first's staging folder as one a killed run left ('unexpected FileNotFoundError')."""
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    entered = threading.Event()

    def second() -> None:
        with output.output_lock(tmp_path / "link" / "out"):
            entered.set()

    with output.output_lock(real / "out"):
        worker = threading.Thread(target=second)
        worker.start()
        assert not entered.wait(1.0), "the build through the link did not wait for the lock"
    worker.join(10)
    assert entered.is_set()


@pytest.mark.parametrize("when", ["made", "filled"])
def test_a_folder_a_user_makes_or_fills_while_the_build_runs_is_not_deleted(tmp_path: Path, when: str) -> None:
    """A build into 'reports/q3' (not there yet, or a package mdptm wrote) checked the folder when it started;
    a user who made the folder meanwhile and saved notes into it lost them when the package was moved in."""
    final = tmp_path / "q3"
    if when == "filled":
        with output.staged_dir(final) as first:
            (first / "ptm.json").write_text("{}")
    with pytest.raises(InputError) as err, output.staged_dir(final) as tmp:
        (tmp / "ptm.json").write_text("{}")
        final.mkdir(exist_ok=True)
        (final / "notes.txt").write_text("my notes")
    assert str(final) in str(err.value)
    assert (final / "notes.txt").read_text() == "my notes"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT, errno.EROFS])
def test_a_full_drive_is_named_and_leaves_the_old_output(tmp_path: Path, code: int) -> None:
    """A build onto a full USB stick ended 'unexpected OSError: [Errno 28] No space left on device', naming nothing."""
    final = tmp_path / "pkg"
    with output.staged_dir(final) as first:
        (first / "ptm.json").write_text("{}")
    before = _tree(final)
    with pytest.raises(InputError) as err, output.staged_dir(final) as tmp:
        raise OSError(code, os.strerror(code), str(tmp / "ptm.docx"))
    assert str(final) in str(err.value) and os.strerror(code) in str(err.value)
    assert _tree(final) == before and _leftovers(tmp_path) == []
    target = tmp_path / "model.json"
    target.write_text("old")
    with pytest.raises(InputError) as err, output.staged_file(target):
        raise OSError(code, os.strerror(code))
    assert str(target) in str(err.value) and target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.skipif(not _CAN_MOUNT, reason="needs root and unshare")
def test_a_real_full_drive_is_named(project: Path, tmp_path: Path) -> None:
    mount = tmp_path / "stick"
    mount.mkdir()
    script = f'mount -t tmpfs -o size=64k none "{mount}" || exit 77; exec "{sys.executable}" -m mdptm build "{project}" -o "{mount}/out"'
    proc = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=300)
    if proc.returncode == 77:
        pytest.skip("cannot mount here")
    assert proc.returncode == 2, proc.stderr
    assert "No space left on device" in proc.stderr and f"{mount}/out" in proc.stderr and "unexpected" not in proc.stderr
