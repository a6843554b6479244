"""A kind read from an item's name (no kind column or label) comes from the name's head only: the words
before a qualifying word such as "to", "of" or "as" (mdptm.importers.tabular.vocab.kind_from_name)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.importers.tabular.vocab import kind_from_name, vocabulary
from tests.importers.import_helpers import load_text


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Ability to Execute Code as a Web Server User", None),  # an ability, not firmware
        ("Access to Audit Data", None),  # access, not a log
        ("Ability to Create Users", None),
        ("Drug library of the pump", "therapy_data"),
        ("Credentials for the cloud portal", "credential"),
        ("Audit log", "log"),
        ("Patient Records (PHI)", "phi"),
        ("User Login Details", "credential"),
    ],
)
def test_asset_kind_from_the_head_of_the_name(name: str, kind: str | None) -> None:
    assert kind_from_name(vocabulary(), "asset_kind", name) == kind


def test_element_kind_from_the_head_of_the_name() -> None:
    vocab = vocabulary()
    assert kind_from_name(vocab, "element_kind", "Database of patient records") == kind_from_name(vocab, "element_kind", "Database")
    assert kind_from_name(vocab, "element_kind", "Database") is not None


def test_an_asset_list_item_is_not_firmware_because_it_mentions_code(tmp_path: Path) -> None:
    model, _report = load_text(
        tmp_path,
        "# Threat model\n\n## Assets\n\n"
        "- Ability to Execute Code – an attacker running code on the web server\n"
        "- Update package – the signed firmware image\n\n"
        "## Threats\n\n| ID | Threat | Asset | Mitigation |\n|---|---|---|---|\n"
        "| T1 | Remote code execution | Ability to Execute Code | Patch the server |\n",
    )
    kinds = {a.name: a.kind for a in model.assets}
    assert kinds["Update package"] == "firmware"
    assert kinds["Ability to Execute Code"] != "firmware"
    assert model.threats[0].assets == [next(a.id for a in model.assets if a.name == "Ability to Execute Code")]
