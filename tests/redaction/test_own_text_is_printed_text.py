"""mdptm's own text (what a package prints whatever the model) is the string literals of its writers, not their
comments and docstrings. A quoted example in a docstring ("Meridian fleet log service" in the decommissioning
guide's) counted as printed text, so a left-out component of that name was neither removed from kept text
nor looked for by the leak scan; a comment quoting "KESTREL-%1." did the same for the name Kestrel."""

from __future__ import annotations

import yaml

from mdptm.model import Model
from mdptm.redaction.corpus import _literals, shipped_text
from mdptm.redaction.leakscan import needle_key
from mdptm.redaction.redact import Policy, redact
from tests.redaction.test_left_out_controls import MODEL

SOURCE = '''"""Module doc "Alpha words"."""
from __future__ import annotations

x = "kept one"  # a comment "Beta words"


class C:
    # a comment first
    """Class doc "Gamma words"."""

    def f(self) -> str:
        y = (
            """kept two"""
        )
        z = ("kept three"  # note "Delta"
             " joined")
        return y + z + """kept four""" + "a # in a string"
'''


def test_comments_and_docstrings_are_no_literals() -> None:
    assert list(_literals(SOURCE)) == ["kept one", "kept two", "kept three  joined", "kept four", "a # in a string"]


def test_a_docstring_example_is_not_printed_text() -> None:
    assert needle_key("Meridian fleet log service") not in shipped_text()
    assert needle_key("Patient records") in shipped_text() or needle_key("Vulnerability disclosure") in shipped_text()


def test_a_left_out_component_named_like_a_docstring_example_is_withheld_from_kept_text() -> None:
    m = Model.model_validate(yaml.safe_load(MODEL))
    m.elements.append(m.elements[0].model_copy(update={"id": "E2", "name": "Meridian fleet log service"}))
    m.threats[0].targets = ["E1", "E2"]
    m.threats[0].description = "Logs go to the Meridian fleet log service of the pump."
    public, log = redact(m, Policy(drop_items=["E2"]))
    text = next(t for t in public.threats if t.id == "T-1").description or ""
    assert "fleet log service" not in text and "[redacted]" in text, text
    assert "Meridian fleet log service" in log.needles()
