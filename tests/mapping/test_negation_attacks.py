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


@pytest.mark.parametrize(
    "value",
    [
        "SBOM: planned",
        "Encryption: suggested",
        "k. A.",
        "entfällt",
        "Nicht zutreffend",
        "Wird noch festgelegt",
        "non applicable",
        "À définir",
        "We are working on a CVD policy",
        "A CVD policy is in the works",
    ],
)
def test_support_facts_that_state_nothing(value: str) -> None:
    """A short label over a placeholder, a German or French placeholder, or work still being done is no fact:
    'SBOM: planned' made CRA Annex II 9 and FDA labelling 5 read 'support.sbom is stated'."""
    assert not stated(value)
    m = Model(product=Product(name="P", manufacturer="M"), document=Document(version="1"))
    m.support.sbom = value
    fw = map_model(m, ["cra-annex-ii"]).framework("cra-annex-ii")
    assert fw is not None and next(c for c in fw.clauses if c.id == "9").status == "gap"


@pytest.mark.parametrize("value", ["Authentication: PIN with lockout", "SBOM: CycloneDX 1.5, on request", "Time: 10:30 daily backups"])
def test_a_label_over_a_statement_is_stated(value: str) -> None:
    assert stated(value)


@pytest.mark.parametrize(
    "text",
    [
        "Encryption at rest (not implemented)",
        "Audit logging (planned)",
        "TLS (future release)",
        "Audit logging - not yet",
        "Encrypted: false",
        "Encryption = No",
        "Encryption: ✗",
        "Encryption ❌",
        "Encryption — N/A",
    ],
)
def test_a_keyword_taken_back_by_what_follows_is_no_evidence(text: str) -> None:
    """A parenthesis, a dash or a label's value that withdraws the keyword: 'Audit logging (planned)' counted as
    audit logging for the keyword rules."""
    assert affirmed(text, ["encrypt", "logging", "tls"]) == []


@pytest.mark.parametrize(
    "text",
    [
        "TLS 1.3 (no plaintext fallback)",
        "TLS 1.3 - no plaintext fallback",
        "Audit logging (syslog, RFC 5424)",
        "Encryption: AES-256",
        "Logging: enabled",
        "Encryption ✅",
    ],
)
def test_a_keyword_with_its_detail_stays_evidence(text: str) -> None:
    assert affirmed(text, ["encrypt", "logging", "tls"]) != []


@pytest.mark.parametrize("description", ["To be defined", "Not implemented in this release."])
def test_a_hospital_control_that_describes_no_measure_documents_nothing(description: str) -> None:
    """A hospital control reading 'To be defined' made FDA labelling 1 ('recommended security controls for the use
    environment') covered: the instructions must name a measure."""

    def labeling(desc: str) -> tuple[str, str]:
        c = Control(id="C1", title="Network segmentation", responsibility="customer", description=desc)
        m = Model(product=Product(name="P", manufacturer="M"), document=Document(version="1"), controls=[c])
        fw = map_model(m, ["fda-premarket"]).framework("fda-premarket")
        assert fw is not None
        found = next(c for c in fw.clauses if c.id == "labeling.1")
        return found.status, found.rationale

    status, text = labeling(description)
    assert status == "gap"
    assert "no controls owned by the hospital or shared (not counting not implemented ones or those that describe no measure)" in text
    assert labeling("Place the pump on an isolated VLAN") == (
        "covered",
        "Controls for the customer: 1 control owned by the hospital or shared (C1).",
    )


@pytest.mark.parametrize(
    ("fid", "cid", "title", "category"),
    [
        ("cra-annex-ii", "8.e", "Automatic updates with opt-out", "updatability_patchability"),
        ("cra-annex-i", "I.2.g", "Data minimisation: collects only the data needed", "other"),
        ("mc2", "v2.46", "Secure development per IEC 81001-5-1", "other"),
    ],
)
def test_a_control_not_implemented_is_no_keyword_evidence(fid: str, cid: str, title: str, category: str) -> None:
    """Keyword rules without a status filter counted a rejected (or void) control as partial evidence."""

    def evidence(status: str) -> list[str]:
        c = Control(id="C1", title=title, category=category, status=status)  # type: ignore[arg-type]
        m = Model(product=Product(name="P", manufacturer="M"), document=Document(version="1"), controls=[c])
        fw = map_model(m, [fid]).framework(fid)
        assert fw is not None
        return next(x for x in fw.clauses if x.id == cid).evidence

    assert "C1" not in evidence("not_implemented")
    assert "C1" in evidence("implemented")


def test_an_assumption_that_states_nothing_is_no_assumption() -> None:
    """'TBD' as an operating assumption made CRA Annex II 8(a) and FDA labelling 4 count '2 assumptions'."""
    from mdptm.model import Assumption

    m = Model(
        product=Product(name="P", manufacturer="M"),
        document=Document(version="1"),
        assumptions=[
            Assumption(id="AS-1", text="TBD"),
            Assumption(id="AS-2", text="N/A"),
            Assumption(id="AS-4", text="The pump is not reachable from the internet."),
            Assumption(id="AS-3", text="The pump sits on a segmented clinical VLAN."),
        ],
    )
    fw = map_model(m, ["fda-premarket"]).framework("fda-premarket")
    assert fw is not None
    c = next(x for x in fw.clauses if x.id == "labeling.4")
    assert "AS-1" not in c.evidence and "AS-2" not in c.evidence
    assert "2 assumptions (AS-4, AS-3)" in c.rationale  # a denial is an assumption too
