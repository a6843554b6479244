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
