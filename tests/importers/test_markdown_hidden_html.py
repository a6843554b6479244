"""Markdown text a reader of the rendered page does not see -- an HTML comment, an element with ``hidden``,
``display:none``, ``visibility:hidden`` or a zero font size -- is not imported, and the report says where."""

from __future__ import annotations

from pathlib import Path

from tests.importers.import_helpers import run_import, warnings_with

DOC = """# Pump threat model

## Global System View

The pump talks to the server. <!-- internal: the Zephyrine debug port is open -->

Shown <span style="display:none">Quokkaline</span> text and <b hidden>Marmoset</b> and <span>visible words</span>.

<div hidden>Capybarine block</div>

## Threats

| ID | Threat | STRIDE | Component | Status | Description |
|---|---|---|---|---|---|
| T-1 | Spoofed pump | S | Pump | Open | An attacker spoofs the pump <span style="font-size:0;">Wombatine</span> |
"""


def test_hidden_html_is_left_out_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "tm.md"
    path.write_text(DOC, encoding="utf-8")
    model, report = run_import(path)
    dumped = model.model_dump_json()
    for secret in ("Zephyrine", "Quokkaline", "Marmoset", "Capybarine", "Wombatine"):
        assert secret not in dumped, secret
    assert "visible words" in dumped
    assert [t.description for t in model.threats] == ["An attacker spoofs the pump"]
    lines = sorted(w.locator for w in warnings_with(report, "left out: a reader of the rendered document"))
    assert lines == ["line 15", "line 5", "line 7", "line 7", "line 9"]
