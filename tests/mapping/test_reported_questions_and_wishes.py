"""Controls attacked with real sentences that ask, quote a question, wish or cite a requirement: none of them is a
safeguard in place, so none is evidence of the clause its keywords name. Each case was counted before."""

from __future__ import annotations

import pytest

from mdptm.mapping.engine import map_model
from mdptm.model import Control, Document, Model, Product
from mdptm.model.evidence import affirmed, hospital_performed, void_reason


def _evidence(title: str, description: str) -> set[str]:
    c = Control(id="C1", title=title, category="other", status="implemented", description=description)
    m = Model(product=Product(name="P", manufacturer="M"), document=Document(version="1.0"), controls=[c])
    return {f"{fw.id}:{cl.id}" for fw in map_model(m).frameworks for cl in fw.clauses if "C1" in cl.evidence}


@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("Audit logging", "Are logins recorded in the audit log? To be checked."),
        ("Audit logging", 'The customer asked: "Does the device keep an audit log of logins?"'),
        ("Audit logging", "IEC 62443-4-2 requires audit logs of every login."),
        ("Encryption at rest", 'A hospital asked whether "patient data is encrypted at rest".'),
        ("Signed firmware updates", "Consider signing firmware updates."),
        ("Signed firmware updates", "It would be good to sign firmware updates."),
        ("Signed firmware updates", "Firmware updates should ideally be signed."),
    ],
)
def test_asked_quoted_wished_or_required_is_no_safeguard(title: str, description: str) -> None:
    assert void_reason(title, description) is not None
    assert _evidence(title, description) == set()


def test_a_port_left_open_is_no_closed_port() -> None:
    assert affirmed("Unused network ports are left open.", ["unused"]) == []
    assert affirmed("Unused network ports are closed.", ["unused"]) == ["unused"]


def test_the_hospitals_own_system_doing_it_is_the_hospitals() -> None:
    assert hospital_performed("Audit logging", "The hospital's SIEM records every login; the device sends nothing.")
    made = _evidence("Audit logging", "Audit logs record every login and configuration change.")
    done = _evidence("Audit logging", "The hospital's SIEM records every login; the device sends nothing.")
    assert "cra-annex-i:I.1" in made and "cra-annex-i:I.1" not in done  # controls in place: the maker's


@pytest.mark.parametrize(
    "description",
    [
        "Audit logs record every login and configuration change.",
        "As required by IEC 62443-4-2, every login is recorded in the audit log.",
        "The question of retention is settled: logs are kept for 90 days.",
    ],
)
def test_statements_still_count(description: str) -> None:
    assert void_reason("Audit logging", description) is None
    assert _evidence("Audit logging", description)
