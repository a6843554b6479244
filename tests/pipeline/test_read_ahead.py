"""Reading large sources ahead in a forked process while the build loads its later stages
(mdptm.pipeline.importing.read_ahead): the same model, and every failure still reported by the importer."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import mdptm.pipeline.importing as importing
from mdptm.errors import InputError
from mdptm.importers.doors import XlsxDoor
from mdptm.model.io import dumps
from mdptm.pipeline.importing import ImportSource, import_sources
from tests.conftest import SAMPLES
from tests.forks import count_forks, needs_fork

REGISTER = SAMPLES / "infusion-pump" / "register.xlsx"


@needs_fork
def test_a_workbook_read_ahead_gives_the_same_model(monkeypatch: pytest.MonkeyPatch) -> None:
    alone, alone_report = import_sources([ImportSource(REGISTER)])
    monkeypatch.setattr(importing, "READ_AHEAD_BYTES", 0)  # the sample is small: read it ahead all the same
    children = count_forks(monkeypatch)
    ran: list[int] = []
    read_in: list[int] = []
    real = XlsxDoor.read_ahead

    def spy(self: XlsxDoor, path: Path) -> object | None:
        read_in.append(os.getpid())
        return real(self, path)

    monkeypatch.setattr(XlsxDoor, "read_ahead", spy)
    ahead, ahead_report = import_sources([ImportSource(REGISTER)], meanwhile=lambda: ran.append(os.getpid()))
    assert len(children) == 1 and ran == [os.getpid()]
    assert read_in == []  # the sheets were read in the other process, not here
    assert dumps(ahead) == dumps(alone)
    assert ahead_report.model_dump() == alone_report.model_dump()


def test_small_sources_are_read_here_and_meanwhile_still_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    children = count_forks(monkeypatch)
    ran: list[bool] = []
    model, _ = import_sources([ImportSource(REGISTER)], meanwhile=lambda: ran.append(True))
    assert ran == [True] and children == [] and model.threats


@needs_fork
def test_a_read_ahead_that_fails_leaves_the_importer_to_read_and_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "READ_AHEAD_BYTES", 0)
    broken = tmp_path / "register.xlsx"
    shutil.copy(REGISTER, broken)
    data = bytearray(broken.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = b"\0" * 64  # a damaged member
    broken.write_bytes(bytes(data))
    with pytest.raises(InputError) as direct:
        import_sources([ImportSource(broken)])
    with pytest.raises(InputError) as ahead:
        import_sources([ImportSource(broken)], meanwhile=lambda: None)
    assert str(ahead.value) == str(direct.value) and ahead.value.file == direct.value.file


@needs_fork
def test_a_read_ahead_that_raises_anything_is_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "READ_AHEAD_BYTES", 0)

    def boom(self: XlsxDoor, path: Path) -> object | None:
        raise RuntimeError("a bug in reading ahead")

    monkeypatch.setattr(XlsxDoor, "read_ahead", boom)
    alone, _ = import_sources([ImportSource(REGISTER)])
    ahead, _ = import_sources([ImportSource(REGISTER)], meanwhile=lambda: None)
    assert dumps(ahead) == dumps(alone)
