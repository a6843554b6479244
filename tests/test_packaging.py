"""The wheel carries templates/ and mappings/ inside the package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_contains_data_folders(tmp_path: Path) -> None:
    pytest.importorskip("build")
    pytest.importorskip("hatchling")
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    wheel = next(tmp_path.glob("mdptm-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for folder in ("templates", "mappings"):
        shipped = [n for n in names if n.startswith(f"mdptm/{folder}/")]
        expected = [p for p in (ROOT / folder).rglob("*") if p.is_file()]
        assert len(shipped) == len(expected) > 0, folder
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    for group in ("[mdptm.importers]", "[mdptm.exporters]", "[console_scripts]"):
        assert group in text
