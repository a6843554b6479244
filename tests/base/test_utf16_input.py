"""A Threat Dragon, OTM or mdptm JSON file saved as UTF-16 (Windows "Unicode", PowerShell's `>`): the error
names the encoding and what to do, whichever importer reads it, instead of "not UTF-8 text (byte 0)"."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from mdptm.errors import InputError
from mdptm.pipeline.importing import import_one

TD = {
    "summary": {"title": "kms"},
    "detail": {"contributors": [], "diagrams": [{"id": 0, "title": "D", "diagramType": "STRIDE", "cells": []}]},
}
OTM = {"otmVersion": "0.2.0", "project": {"name": "p", "id": "p"}, "components": [{"id": "c", "name": "C"}]}


@pytest.mark.parametrize(
    ("name", "data", "fmt", "bom", "codec"),
    [
        ("model.json", TD, None, codecs.BOM_UTF16_LE, "utf-16-le"),
        ("model.json", TD, "threatdragon", codecs.BOM_UTF16_LE, "utf-16-le"),
        ("model.otm", OTM, None, codecs.BOM_UTF16_BE, "utf-16-be"),
        ("model.otm.json", OTM, "otm", codecs.BOM_UTF16_LE, "utf-16-le"),
    ],
)
def test_utf16_is_named(tmp_path: Path, name: str, data: dict[str, object], fmt: str | None, bom: bytes, codec: str) -> None:
    path = tmp_path / name
    path.write_bytes(bom + json.dumps(data).encode(codec))
    with pytest.raises(InputError) as err:
        import_one(path, fmt)
    assert "UTF-16" in err.value.message and "save it as UTF-8" in err.value.message
    assert err.value.file == str(path)


def test_other_bytes_still_give_the_offset(tmp_path: Path) -> None:
    path = tmp_path / "model.otm"
    path.write_bytes(b'{"otmVersion": "0.2.0", "project": {"name": "\xe9"}}')
    with pytest.raises(InputError) as err:
        import_one(path, None)
    assert err.value.message.startswith("not UTF-8 text (byte ")
