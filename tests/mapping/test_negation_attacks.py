"""Crafted but realistic control texts that state no safeguard: a denial in German or French, a possibility
("would be implemented if budget allows"), an analyst's recommendation ("Encryption is recommended"), a status
label ("Deferred", "Open issue: …", "Encryption: suggested"), risk-acceptance reasoning ("We acknowledge that … but
we note that"). No clause counts them, and the review says why. Safeguards written alike stay safeguards."""

from __future__ import annotations

import pytest

from mdptm.mapping.engine import map_model
from mdptm.model import Control, Document, Model, Product, Threat
from mdptm.model.evidence import affirmed, stated, void_reason
from mdptm.review.checks import PlaceholderValue
from mdptm.review.engine import ReviewContext

NO_SAFEGUARD = [
    ("Verschlüsselung", "Die Daten werden nicht verschlüsselt."),
    ("Authentifizierung", "Eine Authentifizierung ist noch nicht umgesetzt."),
    ("Chiffrement", "Les données ne sont pas chiffrées."),
    ("Chiffrement", "Non implémenté dans cette version."),
    ("Encryption at rest", "Encryption would be implemented if budget allows."),
    ("Encryption at rest", "Encryption could be added later."),
    ("Encryption at rest", "Encryption is recommended."),
    ("Encryption at rest", "Encryption is proposed."),
    ("Encryption at rest", "The team recommends encrypting the database."),
    ("Encryption at rest", "Encryption is on the backlog."),
    ("Encryption at rest", "Encryption: suggested."),
    ("Encryption at rest", "Currently no encryption; encryption to follow."),
    ("Access control", "Deferred to release 4."),
    ("Access control", "Unenforced."),
    ("Access control", "Open issue: RBAC design."),
    ("Access control", "Accepted risk: no RBAC."),
    ("BLE pairing", "We acknowledge that the BLE link is unauthenticated but we note that the attack requires physical proximity."),
    ("Service port", "The residual risk is accepted because exploitation requires physical access."),
]

SAFEGUARDS = [
    ("Encryption at rest", "AES-256 encryption of the database files."),
    ("Encryption at rest", "Encrypt the database with AES-256."),
    ("Remote access", "No remote access from outside the hospital network."),
    ("Verschlüsselung", "Die Daten werden mit AES-256 verschlüsselt."),
    ("Chiffrement", "Les données sont chiffrées avec AES-256."),
    ("Non-repudiation", "Non-repudiation through signed audit records."),
    ("Login", "Users cannot log in without a PIN."),
    ("Firmware signing", "Firmware is signed; the bootloader would reject an unsigned image."),
    ("Rate limiting", "Rate limiting keeps the risk low."),
    ("Network segmentation", "Segmentation is recommended to the hospital and documented in the security guide."),
]


@pytest.mark.parametrize(("title", "description"), NO_SAFEGUARD)
def test_texts_that_state_no_safeguard_are_void(title: str, description: str) -> None:
    assert void_reason(title, description) is not None


@pytest.mark.parametrize(("title", "description"), SAFEGUARDS)
def test_safeguards_written_alike_stay_safeguards(title: str, description: str) -> None:
    assert void_reason(title, description) is None


def test_german_and_french_denials_deny_a_keyword() -> None:
    assert affirmed("Die Protokolle werden nicht signiert", ["signiert"]) == []
    assert affirmed("Les journaux ne sont pas signés", ["signés"]) == []
    assert affirmed("Die Protokolle werden signiert", ["signiert"]) == ["signiert"]
    assert not stated("Noch nicht festgelegt, keine Verschlüsselung")


def _model(title: str, description: str) -> Model:
    return Model(
        product=Product(name="P", manufacturer="M"),
        document=Document(version="1.0"),
        controls=[Control(id="C1", title=title, category="cryptography", status="implemented", description=description)],
        threats=[Threat(id="T1", title="Disclosure", stride=["information_disclosure"], status="mitigated", controls=["C1"])],
    )


@pytest.mark.parametrize(
    ("title", "description"),
    [NO_SAFEGUARD[0], NO_SAFEGUARD[4], NO_SAFEGUARD[6], NO_SAFEGUARD[16]],
)
def test_mapping_counts_them_for_no_clause(title: str, description: str) -> None:
    for fw in map_model(_model(title, description)).frameworks:
        for c in fw.clauses:
            assert "C1" not in c.evidence, (fw.id, c.id, c.rationale)
    baseline = map_model(_model("Encryption at rest", "AES-256 encryption of the database files."))
    assert any("C1" in c.evidence for fw in baseline.frameworks for c in fw.clauses)


def test_review_says_acceptance_reasoning_is_no_safeguard() -> None:
    model = _model("BLE pairing", NO_SAFEGUARD[16][1])
    findings = list(PlaceholderValue().run(ReviewContext(model)))
    assert any("argues that the risk is acceptable" in f.message and f.items == ["C1"] for f in findings)
