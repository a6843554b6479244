"""What a control's text says of its status is worked out once per control, not once per threat that lists it.

The PTM's threat register shows each listed control's status (``status_shown``); worked out afresh for every
threat row, a 10 000-threat register's package spent 7 s more in the PTM alone (20 000 rows of 333 controls)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.documents.ptm import build_ptm_doc
from mdptm.model import Control, Document, Element, Model, Product, Threat, evidence
from mdptm.plugins import ExportContext


def test_a_control_listed_by_many_threats_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []
    real = evidence.void_control

    def counted(title: str, description: str) -> bool:
        calls.append((title, description))
        return real(title, description)

    monkeypatch.setattr(evidence, "void_control", counted)
    evidence.void_reason.cache_clear()
    controls = [Control(id=f"C-{i}", title=f"Signed updates {i}", description="Images are signed.", status="implemented") for i in range(3)]
    threats = [Threat(id=f"T-{i}", title=f"Forged image {i}", targets=["E-1"], controls=[c.id for c in controls]) for i in range(60)]
    model = Model(
        product=Product(name="Pump", manufacturer="Maker"),
        document=Document(version="1.0"),
        elements=[Element(id="E-1", name="Pump", kind="device")],
        threats=threats,
        controls=controls,
    )
    try:
        build_ptm_doc(model, ExportContext(), tmp_path)
    finally:
        evidence.void_reason.cache_clear()
    assert calls, "the PTM reads what each control's text says of its status"
    assert len(calls) == len(set(calls)) <= len(controls)  # before: once per threat row and control (180)
