"""Texts that still said more than they state: a control whose text is only a date still to come ("Secure boot — Q4
2026"), a safeguard on its way out ("Encryption is deprecated and will be removed"), a log soon gone ("Audit log: local
only, overwritten after 24 h"), a disclosure policy given to no one ("Contact sales", "Under NDA only") and a patch
policy that promises nothing ("Best effort"). And the other side: a date already past, "verified 2025-03", a log kept
for years, a policy with an address, a patch policy with a deadline."""

from __future__ import annotations

import pytest

from mdptm.mapping.engine import map_model
from mdptm.model import Control, Document, Model, Product, Support, Threat


def _counted(title: str, category: str, description: str, date: str = "2026-01-01") -> dict[str, str]:
    """The clauses the maker's control C1 is evidence for, with their status, in a model dated *date*."""
    c = Control(id="C1", title=title, category=category, status="implemented", description=description)  # type: ignore[arg-type]
    t = Threat(id="T1", title="Attack", stride=["tampering"], status="mitigated", controls=["C1"])
    m = Model(product=Product(name="P", manufacturer="M"), document=Document(version="1", date=date), controls=[c], threats=[t])
    return {f"{fw.id} {cl.id}": cl.status for fw in map_model(m).frameworks for cl in fw.clauses if "C1" in cl.evidence}


@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("Secure boot", "Secure boot — Q4 2026."),
        ("Secure boot — Q4 2026", ""),
        ("Secure boot", "Q4 2026."),
        ("Secure boot", "Secure boot: 2027"),
    ],
)
def test_a_date_still_to_come_is_no_control_in_place(title: str, description: str) -> None:
    # before: covered the FDA premarket control.integrity clause
    assert _counted(title, "integrity", description) == {}


@pytest.mark.parametrize("description", ["Secure boot — Q4 2025.", "Secure boot — verified 2025-03.", "Secure boot - 2024"])
def test_a_date_past_or_a_verification_still_counts(description: str) -> None:
    assert _counted("Secure boot", "integrity", description)["fda-premarket control.integrity"] == "covered"


def test_the_date_is_read_against_the_document_not_the_clock() -> None:
    assert _counted("Secure boot", "integrity", "Secure boot — Q4 2026.", date="2027-02-01")["fda-premarket control.integrity"] == "covered"
    assert _counted("Secure boot", "integrity", "Secure boot — Q1 2026.", date="2026-02-01") == {}


def test_a_safeguard_on_its_way_out_is_in_place_only_in_part() -> None:
    # before: covered the FDA premarket control.cryptography clause
    assert (
        _counted("Encryption", "cryptography", "Encryption is deprecated and will be removed.")["fda-premarket control.cryptography"]
        == "partial"
    )
    assert _counted("Encryption", "cryptography", "AES-256 encryption of data at rest.")["fda-premarket control.cryptography"] == "covered"


@pytest.mark.parametrize(
    ("title", "category", "description", "clause"),
    [
        ("TLS", "cryptography", "TLS 1.0 is deprecated; TLS 1.3 is used on all interfaces.", "control.cryptography"),
        ("Data wipe", "cryptography", "AES-256 encryption at rest; temporary files will be removed after use.", "control.cryptography"),
    ],
)
def test_retiring_an_old_form_or_removing_something_else_is_no_limit(title: str, category: str, description: str, clause: str) -> None:
    assert _counted(title, category, description)[f"fda-premarket {clause}"] == "covered"


def test_a_log_soon_overwritten_is_partial_at_most() -> None:
    # before: covered control.event_logging, CRA I.2.l and FDA labeling.7
    counted = _counted("Audit log", "event_logging", "Audit log: local only, overwritten after 24 h.")
    assert counted and set(counted.values()) == {"partial"}
    kept = _counted("Audit log", "event_logging", "Audit log of all access, kept for 2 years.")
    assert kept["fda-premarket control.event_logging"] == kept["cra-annex-i I.2.l"] == "covered"


def _support(framework: str, clause: str, **support: str) -> str:
    m = Model(product=Product(name="P", manufacturer="M"), document=Document(version="1", date="2026-01-01"), support=Support(**support))
    fw = next(f for f in map_model(m).frameworks if f.id == framework)
    return next(c for c in fw.clauses if c.id == clause).status


@pytest.mark.parametrize("text", ["Contact sales.", "Under NDA only", "Vulnerability disclosure: available under NDA only."])
def test_a_disclosure_given_to_no_one_is_none(text: str) -> None:
    # before: covered CRA Annex I Part II (6), partial Annex II (2)
    assert _support("cra-annex-i", "II.6", vulnerability_disclosure=text) == "gap"
    assert _support("cra-annex-ii", "2", vulnerability_disclosure=text) == "gap"


def test_a_disclosure_policy_with_an_address_still_counts() -> None:
    text = "Coordinated disclosure policy at https://maker.example/cvd; report to psirt@maker.example"
    assert _support("cra-annex-i", "II.6", vulnerability_disclosure=text) == "covered"
    assert _support("cra-annex-ii", "2", vulnerability_disclosure=text) == "covered"


@pytest.mark.parametrize("policy", ["Security patches at the manufacturer's discretion.", "Best effort", "Patches: on a best-effort basis"])
def test_a_patch_policy_that_promises_nothing_is_none(policy: str) -> None:
    # before: partial CRA Annex I Part II (2)
    assert _support("cra-annex-i", "II.2", patch_policy=policy) == "gap"


def test_a_patch_policy_with_a_commitment_still_counts() -> None:
    assert _support("cra-annex-i", "II.2", patch_policy="Critical patches within 30 days; others best effort.") == "partial"
    said = "Security patches released within 30 days, free of charge, announced in security advisories."
    assert _support("cra-annex-i", "II.8", patch_policy=said) == "covered"
