"""CRA Annex I Part II (7), secure distribution of updates: an integrity control counts when it protects
updates. Secure boot ("only authorized firmware can be executed", uptane M-6) and the signing of a library's
packages (uptane M-67) protect something else: "firmware" and "package" alone no longer count."""

from __future__ import annotations

import pytest

from mdptm.mapping.engine import map_model
from mdptm.model import Control, Document, Model, Product


def _evidence(*controls: Control) -> list[str]:
    m = Model(product=Product(name="P", manufacturer="M"), document=Document(version="1.0"), controls=list(controls))
    cov = map_model(m)
    return next(c for fw in cov.frameworks if fw.id == "cra-annex-i" for c in fw.clauses if c.id == "II.7").evidence


@pytest.mark.parametrize(
    "description",
    [
        "Utilize secure boot mechanisms to ensure that only authorized firmware can be executed.",
        "Use package signing and verification to ensure that only libraries from trusted sources are used.",
    ],
)
def test_secure_boot_and_library_signing_are_no_update_distribution(description: str) -> None:
    assert _evidence(Control(id="C-1", title="Integrity", category="integrity", status="implemented", description=description)) == []


@pytest.mark.parametrize(
    "description",
    [
        "Every firmware image is signed.",
        "Firmware updates are signed with the maker's key and verified before installation.",
        "The pump only accepts signed firmware.",
        "Software packages are signed and verified before installation.",
        "Anti-rollback security version counter: images below the counter are refused.",
    ],
)
def test_signed_updates_still_count(description: str) -> None:
    c = Control(id="C-1", title="Integrity", category="integrity", status="implemented", description=description)
    assert _evidence(c) == ["C-1"]
