"""A term written in hex digits, as a packet capture or a hex dump shows it (``4e696768746a6172`` is
``Nightjar``), is the term: base64 runs were read, hex runs were not, so redaction kept one and the leak scan
passed it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mdptm.model import Model
from mdptm.redaction.leakscan import hidden_text, scan
from mdptm.redaction.redact import Policy, redact
from tests.redaction.test_left_out_controls import MODEL

TERMS = ["Nightjar", "Dana Whitlock"]
WRITTEN = [
    "beacon payload " + b"Nightjar".hex() + " seen",
    "beacon payload 0x" + b"the Nightjar relay".hex().upper() + ".",
    "user " + b"Dana Whitlock".hex(),
]


@pytest.mark.parametrize("written", WRITTEN)
def test_redaction_replaces_the_hex_run(written: str) -> None:
    m = Model.model_validate(yaml.safe_load(MODEL))
    m.threats[0].description = written
    public, log = redact(m, Policy(terms=TERMS))
    text = next(t for t in public.threats if t.id == "T-1").description or ""
    assert "[redacted]" in text, text
    assert not any(c.isdigit() for c in text.split()[-1].rstrip(".")), text
    assert any(e.rule == "term" for e in log.entries)


@pytest.mark.parametrize("written", WRITTEN)
def test_the_leak_scan_reads_the_hex_run(tmp_path: Path, written: str) -> None:
    (tmp_path / "guide.md").write_text(written, encoding="utf-8")
    assert len(scan(tmp_path, TERMS)) == 1


def test_hashes_and_short_runs_are_not_read() -> None:
    """A digest decodes to bytes that are no text; a run of fewer than 8 bytes is too short to read."""
    assert hidden_text("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08") is None
    assert hidden_text(b"Nightja".hex()) is None
    assert hidden_text(b"Nightjar".hex()) == "Nightjar"


@settings(max_examples=30, deadline=None)
@given(
    before=st.text(alphabet="abcdefghij klmnop", max_size=12),
    after=st.text(alphabet="abcdefghij klmnop", max_size=12),
    upper=st.booleans(),
    prefix=st.booleans(),
)
def test_any_hex_run_holding_the_term_is_found(
    tmp_path_factory: pytest.TempPathFactory, before: str, after: str, upper: bool, prefix: bool
) -> None:
    run = f"{before}Nightjar{after}".encode().hex()
    run = ("0x" if prefix else "") + (run.upper() if upper else run)
    folder = tmp_path_factory.mktemp("hex")
    (folder / "a.txt").write_text(f"value {run} end", encoding="utf-8")
    assert [h.needle for h in scan(folder, ["Nightjar"])] == ["Nightjar"]
