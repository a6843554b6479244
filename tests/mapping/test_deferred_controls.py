"""A control that only defers ("Will be implemented in the next release", "Currently under evaluation"), only
asks ("Is the database encrypted?") or says "not yet" is no safeguard: no clause counts it, the review says so."""

from __future__ import annotations

import pytest

from mdptm.mapping.engine import map_model
from mdptm.model import Control, Document, Model, Product, Support, Threat
from mdptm.model.evidence import affirmed, is_placeholder, stated, void_reason
from mdptm.review.checks import PlaceholderValue
from mdptm.review.engine import ReviewContext

TITLE = "Encryption at rest"


@pytest.mark.parametrize(
    "description",
    [
        "Not yet implemented.",
        "Encryption is not yet supported.",
        "Will be implemented in the next release.",
        "Planned for version 3.0.",
        "Targeted for release 2.1.",
        "Currently under evaluation.",
        "Encryption at rest is under discussion.",
        "The team is investigating disk encryption options.",
        "Awaiting vendor confirmation.",
        "Out of scope for this product.",
        "Is the database encrypted?",
        "TLS 1.2 or 1.3? To be decided.",
    ],
)
def test_deferred_or_asked_controls_are_no_safeguard(description: str) -> None:
    assert void_reason(TITLE, description) is not None


@pytest.mark.parametrize(
    "description",
    [
        "XTS-AES-256 full disk encryption via dm-crypt.",
        "Database files are encrypted with AES-256; key rotation will be implemented in the next release.",
        "Protect the Field Gateway against tampering (TPM?)",
        "Which cipher? AES-256-GCM with keys in the secure element.",
        "Telnet is disabled by default.",
    ],
)
def test_statements_stay_safeguards(description: str) -> None:
    assert void_reason(TITLE, description) is None


def test_a_safeguard_described_as_ongoing_is_no_deferral() -> None:
    """'Is evaluating' describes what a gateway does, not work the maker has not done."""
    assert affirmed("The gateway is evaluating every request against the allow-list", ["allow-list"]) == ["allow-list"]
    assert affirmed("Each request is being evaluated against the allow-list", ["allow-list"]) == ["allow-list"]


def test_not_yet_is_one_clause() -> None:
    """' yet ' ends a clause ("fast, yet secure"), but not after "not": "not yet implemented" denied whole."""
    assert not stated("Not yet implemented")
    assert affirmed("Encryption is not yet supported", ["encrypt"]) == []
    assert affirmed("Small, yet every record is encrypted", ["encrypt"]) == ["encrypt"]


def _model(description: str) -> Model:
    return Model(
        product=Product(name="P", manufacturer="M"),
        document=Document(version="1.0"),
        controls=[Control(id="C1", title=TITLE, category="cryptography", status="implemented", description=description)],
        threats=[Threat(id="T1", title="Disclosure", stride=["information_disclosure"], status="mitigated", controls=["C1"])],
    )


@pytest.mark.parametrize("description", ["Not yet implemented.", "Will be implemented in the next release.", "Is the database encrypted?"])
def test_mapping_counts_them_for_no_clause(description: str) -> None:
    for fw in map_model(_model(description)).frameworks:
        for c in fw.clauses:
            assert "C1" not in c.evidence, (fw.id, c.id)
    baseline = map_model(_model("AES-256 encryption of the database files."))
    assert any("C1" in c.evidence for fw in baseline.frameworks for c in fw.clauses)


def test_review_says_a_question_is_no_safeguard() -> None:
    findings = list(PlaceholderValue().run(ReviewContext(_model("Is the database encrypted?"))))
    assert any("only asks" in f.message and f.items == ["C1"] for f in findings)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("vulnerability_disclosure", "Do we have a CVD policy?"),
        ("end_of_support", "2030-12-31?"),
        ("sbom", "SBOM available on request?"),
        ("patch_policy", "Critical patches within 30 days?"),
    ],
)
def test_a_support_fact_that_only_asks_covers_nothing(field: str, value: str) -> None:
    """'Do we have a CVD policy?' gave CRA II.5, II.6 and Annex II 2 'covered' as if it were the policy."""

    def verdicts(**kw: str) -> dict[tuple[str, str], str]:
        m = Model(product=Product(name="P", manufacturer="M"), document=Document(version="1"), support=Support(**kw))
        return {(fw.id, c.id): c.status for fw in map_model(m).frameworks for c in fw.clauses}

    assert verdicts(**{field: value}) == verdicts()
    assert is_placeholder(value)
    assert not is_placeholder("Which policy? ISO/IEC 29147 CVD, advisories at https://example.com/psirt.")


@pytest.mark.parametrize(
    "text",
    [
        "The device will be supported until 31 December 2032.",
        "Security updates will be provided for 10 years.",
        "Secure boot will be enabled by default on every unit.",
    ],
)
def test_a_commitment_in_the_future_tense_is_stated(text: str) -> None:
    """A support period or a default promised in the future tense is the maker's commitment, not a deferral."""
    assert stated(text)
