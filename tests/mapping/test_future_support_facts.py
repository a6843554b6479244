"""A support fact or a control text that says the thing is still to be made, only intended, being drafted,
or required by someone else states nothing: "A CVD policy will be published in Q3" is no CVD policy, and
"An SBOM is required by the CRA" is no SBOM. A commitment in the future tense stays stated ("Advisories will
be published within 30 days", "Support will end in December 2032"), and so does a safeguard described at
run time ("A TLS session will be established before any data is sent")."""

from __future__ import annotations

import pytest

from mdptm.mapping.engine import map_model
from mdptm.model import Document, Model, Product, Support
from mdptm.model.evidence import affirmed, stated, void_reason

DEFERRED = [
    "A CVD policy will be published in Q3.",
    "A coordinated vulnerability disclosure policy will be published in Q3 2027.",
    "We will publish a CVD policy later this year.",
    "A vulnerability disclosure process will be established.",
    "An SBOM will be provided in Q1 2027.",
    "The SBOM is being prepared.",
    "The CVD policy is in draft.",
    "The patch policy is currently being defined.",
    "The patch policy will be defined once the product is released.",
    "PSIRT to be set up in 2027.",
    "We intend to publish a CVD policy.",
    "We plan to publish an SBOM.",
    "Our goal is to provide an SBOM.",
    "An SBOM is expected to be available next year.",
    "An SBOM is planned.",
    "An SBOM may be provided in the future.",
    "Does the device have a CVD policy? We are checking.",
    "The FDA expects a CVD policy.",
    "The CRA requires an SBOM.",
    "An SBOM is required by the CRA.",
]

COMMITTED = [
    "Security updates will be provided for 10 years.",
    "The device will be supported until 31 December 2032.",
    "Support will end in December 2032.",
    "Patches will be released within 30 days of a confirmed vulnerability.",
    "Advisories will be published on our website within 30 days.",
    "The SBOM will be made available to customers on request.",
    "Vulnerabilities can be reported to psirt@example.com; we will acknowledge within 5 days.",
    "If requested, an SBOM can be provided.",
    "Penetration tests are planned annually by an external lab.",
    "Data is encrypted as required by the FDA guidance.",
    "Which policy? ISO/IEC 29147 CVD, advisories at https://example.com/psirt.",
]


@pytest.mark.parametrize("text", DEFERRED)
def test_what_is_still_to_be_made_is_not_stated(text: str) -> None:
    assert not stated(text)


@pytest.mark.parametrize("text", COMMITTED)
def test_a_commitment_or_a_practice_is_stated(text: str) -> None:
    assert stated(text)


@pytest.mark.parametrize(
    ("title", "description", "keyword"),
    [
        ("Transport encryption", "A TLS session will be established before any data is sent.", "tls"),
        ("Audit log", "A log entry will be created for every login.", "log"),
        ("Allow-list", "Each request is being evaluated against the allow-list.", "allow-list"),
        ("Penetration testing", "External penetration tests are planned annually.", "penetration test"),
    ],
)
def test_a_safeguard_described_in_the_future_or_as_ongoing_stays_one(title: str, description: str, keyword: str) -> None:
    assert void_reason(title, description) is None
    assert affirmed(description, [keyword]) == [keyword]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("vulnerability_disclosure", "A CVD policy will be published in Q3 2027."),
        ("vulnerability_disclosure", "We intend to publish a coordinated vulnerability disclosure policy."),
        ("sbom", "An SBOM is required by the CRA."),
        ("sbom", "The SBOM is being prepared."),
        ("patch_policy", "The patch policy is currently being defined."),
    ],
)
def test_a_deferred_support_fact_covers_nothing(field: str, value: str) -> None:
    """'A CVD policy will be published in Q3' gave the CVD clauses 'covered' as if it were the policy."""

    def verdicts(**kw: str) -> dict[tuple[str, str], str]:
        m = Model(product=Product(name="P", manufacturer="M"), document=Document(version="1"), support=Support(**kw))
        return {(fw.id, c.id): c.status for fw in map_model(m).frameworks for c in fw.clauses}

    assert verdicts(**{field: value}) == verdicts()
    stated_value = {
        "vulnerability_disclosure": "Report vulnerabilities to psirt@example.com; advisories within 30 days.",
        "sbom": "A CycloneDX SBOM ships with every release.",
        "patch_policy": "Critical patches within 30 days of a confirmed vulnerability.",
    }[field]
    assert verdicts(**{field: stated_value}) != verdicts()
