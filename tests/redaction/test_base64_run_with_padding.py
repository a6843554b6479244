"""Redaction reads a base64 run as long as the leak scan does, its padding counted.

``TmlnaHRqYXI=`` (the term Nightjar, 8 bytes) is 12 characters with its ``=``: the leak scan reads runs of 12
characters or more, padding included, and found the term; redaction counted 12 before the padding and kept the
run, so a build whose model text held it was refused for a leak that redaction should have removed."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mdptm.model import Model
from mdptm.redaction.leakscan import scan
from mdptm.redaction.redact import Policy, redact
from tests.redaction.test_left_out_controls import MODEL


def _redacted(text: str, term: str = "Nightjar") -> str:
    m = Model.model_validate(yaml.safe_load(MODEL))
    m.threats[0].description = text
    public, _log = redact(m, Policy(terms=[term]))
    return next(t for t in public.threats if t.id == "T-1").description or ""


@pytest.mark.parametrize("run", ["TmlnaHRqYXI=", "TmlnaHRqYXIx", "TmlnaHRqYXIxMg=="])
def test_a_padded_run_the_scan_reads_is_redacted(tmp_path: Path, run: str) -> None:
    (tmp_path / "g.md").write_text(f"Key {run} here.", encoding="utf-8")
    assert scan(tmp_path, ["Nightjar"])  # the scan reads it ...
    assert _redacted(f"Key {run} here.") == "Key [redacted] here."  # ... so redaction removes it


@settings(max_examples=40, deadline=None)
@given(prefix=st.text(alphabet="abcXYZ019 ", max_size=6))
def test_any_base64_of_the_term_is_redacted(prefix: str) -> None:
    run = base64.b64encode(f"{prefix}Nightjar".encode()).decode()
    if run.islower() or run.isupper() or len(run) < 12:
        return
    assert run not in _redacted(f"Key {run} here.")
