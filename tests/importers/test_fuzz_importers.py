"""Fuzzing every importer: the only outcomes are a valid model or an InputError naming the file.

Random bytes under each extension; valid files of every format with attribute values, text and
JSON subtrees replaced by random values; random JSON in the shapes the JSON importers detect.
An :class:`ImporterFailure` (an importer raising anything but InputError) fails the test.
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mdptm.errors import InputError
from mdptm.model.validate import validate_model
from mdptm.pipeline.importing import ImporterFailure, ImportSource, import_sources
from tests.formats.test_otm import OTM_01_YAML
from tests.importers.import_helpers import reconciles
from tests.importers.test_threatdragon import v1_model, v2_model
from tests.importers.test_tm7 import synthetic_tm7

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLE = ROOT / "samples" / "infusion-pump"
# MDPTM_FUZZ_EXAMPLES=2000 for a longer hunt than the suite affords.
FUZZ = settings(
    max_examples=int(os.environ.get("MDPTM_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def outcome(path: Path, fmt: str | None = None) -> str:
    """'model' or 'input error'; anything else (an ImporterFailure included) fails the test."""
    try:
        model, report = import_sources([ImportSource(path, fmt)])
    except ImporterFailure as exc:
        raise AssertionError(f"importer crashed: {exc}") from exc.cause
    except InputError as exc:
        assert exc.file, f"an input error must name the file: {exc}"
        return "input error"
    assert validate_model(model) == []
    assert reconciles(report)
    return "model"


def in_tmp(name: str, data: bytes, check: Callable[[Path], str] = outcome) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        return check(path)


# ------------------------------------------------------------------------------ random bytes

EXTENSIONS = [".docx", ".xlsx", ".csv", ".tm7", ".json", ".yaml", ".otm", ".tsv", ".xlsm"]
PREFIXES = [
    b"",
    b"PK\x03\x04",
    b"PK\x05\x06" + bytes(18),
    b'<?xml version="1.0"?>',
    b"<ThreatModel",
    b"{",
    b"[",
    b'{"otmVersion": "0.2.0",',
    b'{"summary": {}, "detail": {"diagrams": ',
    b"schema: mdptm/1\n",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xd0\xcf\x11\xe0",
]


@FUZZ
@given(st.sampled_from(EXTENSIONS), st.sampled_from(PREFIXES), st.binary(max_size=600))
def test_random_bytes(ext: str, prefix: bytes, body: bytes) -> None:
    in_tmp("fuzz" + ext, prefix + body)


@FUZZ
@given(st.sampled_from(EXTENSIONS), st.text(max_size=400))
def test_random_text(ext: str, text: str) -> None:
    in_tmp("fuzz" + ext, text.encode("utf-8", "surrogatepass"))


# ------------------------------------------------------------------------ mutated XML parts

_SLOT = re.compile(rb'="([^"]*)"|>([^<]+)<')
xml_values = st.one_of(
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1",
            "99999999999999999999",
            "1e308",
            "NaN",
            "true",
            "A0",
            "ZZZ99",
            "A1:B",
            "$A$1:$XFD$1048576",
            "s",
            "b",
            "e",
            "inlineStr",
            "d",
            "str",
            "n",
            "hidden",
            "00000000-0000",
            "rId999",
            "../../etc/passwd",
            "/xl/missing.xml",
            " ",
            "\t",
            "x" * 40,
        ]
    ),
    st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=30),
    st.integers(min_value=-(10**6), max_value=10**7).map(str),
)


def mutate_xml(data: bytes, picks: list[tuple[int, str]]) -> bytes:
    """Replace attribute values and text spans, chosen by index, with the given values (escaped)."""
    slots = list(_SLOT.finditer(data))
    if not slots:
        return data
    out = bytearray(data)
    chosen = {slots[i % len(slots)].start(): (slots[i % len(slots)], v) for i, v in picks}
    for _start, (m, value) in sorted(chosen.items(), reverse=True):
        group = 1 if m.group(1) is not None else 2
        out[m.start(group) : m.end(group)] = escape(value, {'"': "&quot;"}).encode("utf-8")
    return bytes(out)


def rezip(src: Path, part_filter: Callable[[str], bool], picks: list[tuple[int, str]], which: int) -> bytes:
    """*src* with one of its matching XML parts mutated."""
    with zipfile.ZipFile(src) as zin:
        infos = zin.infolist()
        parts = [i.filename for i in infos if part_filter(i.filename)]
        target = parts[which % len(parts)]
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in infos:
                data = zin.read(info)
                if info.filename == target:
                    data = mutate_xml(data, picks)
                zout.writestr(info.filename, data)
    return buf.getvalue()


picks = st.lists(st.tuples(st.integers(min_value=0, max_value=10**6), xml_values), min_size=1, max_size=6)


@pytest.mark.slow
@FUZZ
@given(picks, st.integers(min_value=0, max_value=50))
def test_mutated_workbook_parts(choices: list[tuple[int, str]], which: int) -> None:
    data = rezip(SAMPLE / "register.xlsx", lambda n: n.endswith((".xml", ".rels")), choices, which)
    in_tmp("register.xlsx", data)


@pytest.mark.slow
@FUZZ
@given(picks, st.integers(min_value=0, max_value=50))
def test_mutated_word_parts(choices: list[tuple[int, str]], which: int) -> None:
    data = rezip(SAMPLE / "threat-model.docx", lambda n: n.endswith((".xml", ".rels")), choices, which)
    in_tmp("threat-model.docx", data)


TM7 = synthetic_tm7()


@FUZZ
@given(picks)
def test_mutated_tm7(choices: list[tuple[int, str]]) -> None:
    in_tmp("model.tm7", mutate_xml(TM7, choices))


@FUZZ
@given(st.integers(min_value=0, max_value=len(TM7)), st.integers(min_value=1, max_value=200), st.binary(max_size=20))
def test_tm7_with_bytes_cut_or_spliced(at: int, cut: int, splice: bytes) -> None:
    in_tmp("model.tm7", TM7[:at] + splice + TM7[at + cut :])


# ------------------------------------------------------------------------------ random JSON

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(
        [
            "tm.Process",
            "tm.Store",
            "tm.Actor",
            "tm.Flow",
            "tm.Boundary",
            "process",
            "actor",
            "store",
            "flow",
            "trust-boundary-box",
            "Open",
            "Mitigated",
            "High",
            "S",
            "T-1",
            "",
            "a",
            "b",
        ]
    ),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "name",
                    "type",
                    "data",
                    "source",
                    "target",
                    "threats",
                    "cells",
                    "shape",
                    "title",
                    "status",
                    "severity",
                    "mitigation",
                    "attrs",
                    "text",
                    "parent",
                    "isTrustBoundary",
                    "x",
                    "y",
                    "position",
                    "size",
                    "vertices",
                ]
            )
            | st.text(max_size=8),
            inner,
            max_size=5,
        ),
    ),
    max_leaves=25,
)


def json_paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += json_paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += json_paths(v, (*prefix, i))
    return out


def replace_at(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


def mutated(base: Callable[[], Any], changes: list[tuple[int, Any]]) -> Any:
    data = copy.deepcopy(base())  # the base may share parts with other tests' data: never edit those
    for index, value in changes:
        paths = json_paths(data)
        data = replace_at(data, paths[index % len(paths)], value)
    return data


changes = st.lists(st.tuples(st.integers(min_value=0, max_value=10**6), json_values), min_size=1, max_size=4)


@FUZZ
@given(st.sampled_from([v1_model, v2_model]), changes)
def test_mutated_threat_dragon(base: Callable[[], Any], edits: list[tuple[int, Any]]) -> None:
    data = mutated(base, edits)
    in_tmp("model.json", json.dumps(data).encode(), lambda p: outcome(p, "threatdragon"))


def _otm() -> Any:
    import yaml

    return yaml.safe_load(OTM_01_YAML.replace("y: 20", "'y': 20"))


@FUZZ
@given(changes)
def test_mutated_otm(edits: list[tuple[int, Any]]) -> None:
    data = mutated(_otm, edits)
    in_tmp("model.otm.json", json.dumps(data).encode(), lambda p: outcome(p, "otm"))


def _native() -> Any:
    return json.loads(json.dumps(_NATIVE))


_NATIVE: dict[str, Any] = {
    "schema": "mdptm/1",
    "product": {"name": "Pump", "manufacturer": "Acme"},
    "document": {"version": "1"},
    "trust_zones": [{"id": "TZ1", "name": "Ward"}],
    "elements": [{"id": "E1", "name": "Pump", "kind": "device", "trust_zone": "TZ1"}, {"id": "E2", "name": "Server", "kind": "software"}],
    "flows": [{"id": "F1", "name": "sync", "source": "E1", "target": "E2"}],
    "threats": [{"id": "T1", "title": "Spoofing", "stride": ["spoofing"], "targets": ["F1"], "controls": ["C1"]}],
    "controls": [{"id": "C1", "title": "TLS"}],
}


@FUZZ
@given(changes)
def test_mutated_native_model(edits: list[tuple[int, Any]]) -> None:
    data = mutated(_native, edits)
    in_tmp("model.json", json.dumps(data).encode(), lambda p: outcome(p, "mdptm"))


@FUZZ
@given(json_values, json_values)
def test_random_json_in_each_envelope(a: Any, b: Any) -> None:
    envelopes = [
        ("threatdragon", {"summary": a, "detail": {"diagrams": b}}),
        ("threatdragon", {"version": "2.2.0", "summary": {"title": "x"}, "detail": {"diagrams": [{"cells": b, "title": a}]}}),
        ("otm", {"otmVersion": "0.2.0", "project": a, "components": b}),
        ("otm", {"otmVersion": "0.1.0", "project": {"name": "p", "id": "p"}, "trustZones": a, "dataflows": b}),
        ("mdptm", {"schema": "mdptm/1", "product": a, "elements": b}),
    ]
    for fmt, data in envelopes:
        in_tmp("model.json", json.dumps(data).encode(), lambda p, f=fmt: outcome(p, f))


@pytest.mark.parametrize("fmt", ["threatdragon", "otm", "mdptm", None])
def test_every_json_importer_refuses_scalars_and_lists(tmp_path: Path, fmt: str | None) -> None:
    for n, doc in enumerate(["null", "0", '"text"', "[]", "[{}]", "{}", '{"detail": null}', "1" * 5000]):
        path = tmp_path / f"m{n}.json"
        path.write_text(doc, encoding="utf-8")
        assert outcome(path, fmt) == "input error", doc
