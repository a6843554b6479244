"""Property tests: a term planted in any text field never survives into any output byte.

The text fields are found here independently of :mod:`mdptm.redaction.redact` (every string leaf of the dumped
model that is not an id, a reference or an enum), so a field the redactor forgot would fail here.
"""

from __future__ import annotations

import copy
import io
import json
import tempfile
import zipfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mdptm.errors import InputError
from mdptm.model import Model
from mdptm.model.io import dumps
from mdptm.redaction.leakscan import needle_key, scan
from mdptm.redaction.redact import Policy, iter_text, redact

BASE: dict[str, Any] = {
    "schema": "mdptm/1",
    "product": {
        "name": "Vantage Pump",
        "manufacturer": "Meridian",
        "model": "VP-1",
        "version": "2.0",
        "intended_use": "Infusion",
        "description": "A pump",
        "device_type": "Infusion pump",
        "regulatory": {
            "fda_product_code": "FRN",
            "submission_type": "510k",
            "submission_number": "K000001",
            "cra_category": "default",
            "cra_scope": "in_scope",
        },
    },
    "document": {
        "title": "Threat model",
        "version": "1.0",
        "date": "2026-01-15",
        "status": "approved",
        "history": [{"version": "0.9", "date": "2025-12-01", "summary": "First draft"}],
        "signoffs": [{"role": "legal", "name": "Alex Counsel", "date": "2026-01-10", "decision": "approved", "comment": "Fine"}],
    },
    "trust_zones": [{"id": "TZ1", "name": "Clinical", "description": "Ward", "tags": ["zone"], "trust_level": 1}],
    "elements": [
        {"id": "E1", "name": "Pump", "kind": "device", "trust_zone": "TZ1", "description": "Bedside", "tags": ["hw"]},
        {"id": "E2", "name": "Server", "kind": "software", "description": "Hospital server", "tags": ["sw"]},
    ],
    "flows": [
        {
            "id": "F1",
            "name": "Sync",
            "source": "E1",
            "target": "E2",
            "protocol": "HTTPS",
            "port": "443",
            "data": ["A1"],
            "authentication": "mTLS",
            "encryption": "TLS 1.3",
            "description": "Sync",
            "tags": ["net"],
        }
    ],
    "assets": [
        {
            "id": "A1",
            "name": "Therapy data",
            "kind": "therapy_data",
            "stored_in": ["E1"],
            "disposal": "Wipe",
            "description": "Doses",
            "tags": ["phi"],
        }
    ],
    "views": [
        {
            "id": "V1",
            "kind": "security_use_case",
            "name": "Update",
            "elements": ["E1"],
            "flows": ["F1"],
            "threats": ["T1"],
            "controls": ["C1"],
            "steps": ["Download", "Verify"],
            "diagram": {"path": "uc.png", "caption": "Update flow"},
            "description": "Update",
            "tags": ["uc"],
        }
    ],
    "threats": [
        {
            "id": "T1",
            "title": "Spoofed server",
            "stride": ["spoofing"],
            "targets": ["F1"],
            "assets": ["A1"],
            "risk": {"likelihood": "High", "severity": "Major", "score": 6, "level": "high", "scale": "3x3"},
            "residual_risk": {"likelihood": "Low", "severity": "Major", "level": "low", "scale": "3x3"},
            "controls": ["C1"],
            "status": "mitigated",
            "rationale": "Certificates",
            "cvss": "AV:N",
            "cwe": ["CWE-295"],
            "capec": ["CAPEC-94"],
            "description": "MITM",
            "tags": ["net"],
        }
    ],
    "controls": [
        {
            "id": "C1",
            "title": "Mutual TLS",
            "category": "authentication",
            "verification": ["Pen test"],
            "description": "Per-device certificates",
            "tags": ["crypto"],
        }
    ],
    "assumptions": [{"id": "AS1", "text": "Segmented network", "responsibility": "customer", "description": "Net"}],
    "out_of_scope": [{"id": "OS1", "text": "Physical theft", "rationale": "Hospital", "description": "Theft"}],
    "support": {
        "end_of_support": "2035",
        "vulnerability_disclosure": "psirt page",
        "patch_policy": "Quarterly",
        "sbom": "On request",
        "contact": "Support desk",
        "data_disposal": "Wipe",
    },
}

NOT_TEXT = {
    "id",
    "schema",
    "trust_zone",
    "source",
    "target",
    "data",
    "stored_in",
    "elements",
    "flows",
    "threats",
    "controls",
    "targets",
    "assets",
    "kind",
    "sensitivity",
    "status",
    "category",
    "responsibility",
    "stride",
    "level",
    "confidentiality",
    "integrity",
    "availability",
    "patient_harm",
    "decision",
    "cra_category",
    "cra_scope",
    "notes",
    "extra",
    "provenance",
}


def text_slots(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every string leaf that is published text, found without asking mdptm."""
    out: list[tuple[Any, ...]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key not in NOT_TEXT:
                out.extend(text_slots(value, (*path, key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.extend(text_slots(value, (*path, i)))
    elif isinstance(data, str):
        out.append(path)
    return out


SLOTS = text_slots(BASE)
_PLAIN = redact(Model.model_validate(BASE), Policy())[0]
# structure, not planted text: keys, fixed values and the output files' own names (a term "PTM.D" is in "ptm.docx")
SKELETON = needle_key(dumps(_PLAIN) + dumps(_PLAIN, "yaml") + json.dumps(BASE) + " ptm.docx ptm.xlsx ptm.json ptm.yaml")


def plant(path: tuple[Any, ...], value: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    out = copy.deepcopy(data or BASE)
    node: Any = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return out


def strings_of(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*strings_of(str(k)), *strings_of(v))]
    if isinstance(value, list):
        return [s for v in value for s in strings_of(v)]
    return []


def write_documents(model: Model, folder: Path) -> None:
    """A Word and an Excel file carrying every published string, as an exporter would."""
    d = docx.Document()
    wb = openpyxl.Workbook()
    ws = wb.active
    for row, (item, field, text) in enumerate(iter_text(model), start=1):
        d.add_paragraph(f"{item} {field}: ").add_run(text)
        ws.cell(row=row, column=1, value=item)
        ws.cell(row=row, column=2, value="".join(c for c in text if c.isprintable()))
    d.save(str(folder / "ptm.docx"))
    wb.save(folder / "ptm.xlsx")


def texts_of(folder: Path) -> Iterator[tuple[str, str]]:
    """(file name, text) of every file and zip member, and of the strings JSON/YAML files decode to."""
    for path in sorted(folder.iterdir()):
        data = path.read_bytes()
        yield path.name, data.decode("utf-8", "replace")
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                for n in zf.namelist():
                    yield path.name, zf.read(n).decode("utf-8", "replace")
        elif path.suffix == ".json":
            yield path.name, "\x00".join(strings_of(json.loads(data)))  # no match may bridge two strings
        elif path.suffix == ".yaml":
            yield path.name, "\x00".join(strings_of(yaml.safe_load(data)))


def assert_absent(term: str, folder: Path) -> None:
    key = needle_key(term)
    for name, text in texts_of(folder):
        assert key not in needle_key(text), f"{term!r} survived in {name}"
    assert scan(folder, [term]) == []


@cache
def document_skeleton() -> str:
    """What the Word/Excel writers put in any file (styles, themes), planted or not."""
    with tempfile.TemporaryDirectory() as tmp:
        write_documents(redact(Model.model_validate(BASE), Policy())[0], Path(tmp))
        return needle_key(" ".join(text for _, text in texts_of(Path(tmp))))


TERM = st.text(
    alphabet=st.characters(categories=("Lu", "Ll", "Nd", "Zs", "Pd", "Po"), exclude_characters="\\\"'&<>%"),
    min_size=5,
    max_size=24,
).filter(lambda t: len(needle_key(t)) >= 5)
FILLER = st.text(alphabet=st.characters(categories=("L", "N", "Zs", "P")), max_size=12)


def policy_for(term: str) -> Policy:
    try:
        return Policy(terms=[term])
    except ValueError:  # the term occurs in the policy's own texts
        assume(False)
        raise


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(term=TERM, slot=st.sampled_from(SLOTS), before=FILLER, after=FILLER, upper=st.booleans())
def test_a_planted_term_never_survives_in_the_model_outputs(
    tmp_path_factory: pytest.TempPathFactory, term: str, slot: tuple[Any, ...], before: str, after: str, upper: bool
) -> None:
    assume(needle_key(term) not in SKELETON)
    planted = term.upper() if upper and needle_key(term.upper()) == needle_key(term) else term
    model = Model.model_validate(plant(slot, f"{before}{planted}{after}"))
    try:
        public, log = redact(model, policy_for(term))
    except InputError:
        assume(False)  # a slot whose value the model rejects after planting (none today)
        raise
    folder = tmp_path_factory.mktemp("out")
    (folder / "ptm.json").write_text(dumps(public, "json"), encoding="utf-8")
    (folder / "ptm.yaml").write_text(dumps(public, "yaml"), encoding="utf-8")
    assert_absent(term, folder)
    assert any(e.action == "replaced" for e in log.entries)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(term=TERM, slot=st.sampled_from(SLOTS))
def test_a_planted_term_never_survives_in_written_documents(
    tmp_path_factory: pytest.TempPathFactory, term: str, slot: tuple[Any, ...]
) -> None:
    assume(needle_key(term) not in SKELETON and needle_key(term) not in document_skeleton())
    model = Model.model_validate(plant(slot, f"x {term} y"))
    public, _ = redact(model, policy_for(term))
    folder = tmp_path_factory.mktemp("docs")
    write_documents(public, folder)
    assert_absent(term, folder)


UNPUBLISHED = st.sampled_from(
    [
        ("elements", 0, "notes"),
        ("threats", 0, "notes"),
        ("controls", 0, "extra", "Owner"),
        ("assets", 0, "extra", "nested", 0),
        ("flows", 0, "provenance", "file"),
        ("elements", 1, "source", "locator"),
    ]
)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(secret=TERM, where=UNPUBLISHED)
def test_never_published_fields_never_reach_an_output(
    tmp_path_factory: pytest.TempPathFactory, secret: str, where: tuple[Any, ...]
) -> None:
    assume(needle_key(secret) not in SKELETON and needle_key(secret) not in document_skeleton())
    data = copy.deepcopy(BASE)
    node: Any = data
    for key in where[:-1]:
        if isinstance(key, str) and key not in node:
            node[key] = {} if key in ("provenance", "source") else ({"nested": [""]} if key == "extra" else {})
        node = node[key]
    node[where[-1]] = secret
    public, _ = redact(Model.model_validate(data), Policy())
    folder = tmp_path_factory.mktemp("unpub")
    (folder / "ptm.json").write_text(dumps(public, "json"), encoding="utf-8")
    write_documents(public, folder)
    assert_absent(secret, folder)


@settings(max_examples=60, deadline=None)
@given(
    ip=st.one_of(
        st.ip_addresses(v=4, network="10.0.0.0/8"), st.ip_addresses(v=4, network="192.168.0.0/16"), st.ip_addresses(v=6, network="fd00::/8")
    ),
    slot=st.sampled_from(SLOTS),
)
def test_private_addresses_are_always_removed(ip: Any, slot: tuple[Any, ...]) -> None:
    public, log = redact(Model.model_validate(plant(slot, f"host at {ip} now")), Policy())
    text = dumps(public)
    assert str(ip) not in text
    if slot[-1] != "comment":  # sign-off comments are not published at all
        assert any(str(ip) in needle for needle in log.needles())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    needle=TERM,
    cuts=st.lists(st.integers(min_value=1, max_value=23), max_size=4),
    upper=st.booleans(),
)
def test_the_scan_finds_a_needle_split_across_word_runs(
    tmp_path_factory: pytest.TempPathFactory, needle: str, cuts: list[int], upper: bool
) -> None:
    text = needle.upper() if upper and needle_key(needle.upper()) == needle_key(needle) else needle
    points = sorted({c for c in cuts if c < len(text)})
    pieces = [text[a:b] for a, b in zip([0, *points], [*points, len(text)], strict=True)]
    d = docx.Document()
    p = d.add_paragraph()
    for piece in ["before ", *pieces, " after"]:
        p.add_run(piece)
    folder = tmp_path_factory.mktemp("split")
    d.save(str(folder / "ptm.docx"))
    hits = scan(folder, [needle])
    assert ("ptm.docx", "word/document.xml", needle) in {(h.file, h.part, h.needle) for h in hits}
