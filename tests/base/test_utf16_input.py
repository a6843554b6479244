"""A Threat Dragon, OTM or mdptm JSON file saved as UTF-16 (Windows "Unicode", PowerShell's `>`): the error
names the encoding and what to do, whichever importer reads it, instead of "not UTF-8 text (byte 0)"."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# what an editor shows on one line: no control characters or line separators
LINE_CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"))


@settings(max_examples=100, deadline=None)
@given(
    lines=st.lists(st.text(alphabet=LINE_CHARS, max_size=30), min_size=1, max_size=8),
    bad=st.sampled_from([b"\xff", b"\xfe", b"\xc3", b"\x80", b"\xed\xa0\x80"]),
    bom=st.booleans(),
    suffix=st.sampled_from([".md", ".json", ".yaml"]),
)
def test_bytes_that_are_not_utf8_are_named_by_line_and_column(lines: list[str], bad: bytes, bom: bool, suffix: str) -> None:
    """A Markdown file, a model or a project file with a stray byte names its line and column, not only its offset."""
    import tempfile

    head = "\n".join(lines).encode("utf-8")
    raw = (b"\xef\xbb\xbf" if bom else b"") + head + bad + b" tail\n"
    want_line = head.count(b"\n") + 1
    want_column = len(lines[-1]) + 1
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"model{suffix}"
        path.write_bytes(raw)
        with pytest.raises(InputError) as err:
            import_one(path, "markdown" if suffix == ".md" else None)
    assert f"at line {want_line}, column {want_column}" in err.value.message, err.value.message
    assert f"byte {len(head)}" in err.value.message
