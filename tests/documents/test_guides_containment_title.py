"""The operations guide's containment step names the hospital's segmentation control as the model writes it.

It lowercased the title into its sentence: the patient monitor's "Place monitors and the central station on an
isolated VLAN" read "the model relies on place monitors and the central station on an isolated vlan (C-03)"."""

from __future__ import annotations

from mdptm.documents.guides import build_guides
from mdptm.model import Control
from tests.documents.test_guides_readers import base, text_of


def test_the_segmentation_control_is_quoted_as_written() -> None:
    control = Control(id="C-3", title="Put the pumps and the gateway on an isolated VLAN", responsibility="customer", status="implemented")
    text = text_of(build_guides(base(controls=[control]))["operations"])
    assert "Contain: the model relies on C-3 “Put the pumps and the gateway on an isolated VLAN”;" in text
    assert "isolated vlan" not in text
