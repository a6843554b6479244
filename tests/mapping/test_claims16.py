"""Support facts that claimed more than they said.

CRA Annex II (9) asks where users can access the SBOM: one given only "on request" covered it; now it is a gap where
the field names no one to ask and partial where it names whom. A support fact written as a requirement ("The pump
shall be supported until 2034-12-31") counted as the maker's commitment; a requirement is not one: partial. CRA
Annex I Part II (8) read a reporting address ("security@maker.example") as advisories to users; an address for reports
is not advice published to users."""

from __future__ import annotations

import pytest

from mdptm.mapping.engine import map_model
from mdptm.model import Document, Model, Product, Support


def _verdict(framework: str, clause: str, **support: str) -> tuple[str, str]:
    model = Model(
        product=Product(name="P", manufacturer="M"), document=Document(version="1", date="2026-01-01"), support=Support(**support)
    )
    fw = next(f for f in map_model(model).frameworks if f.id == framework)
    c = next(c for c in fw.clauses if c.id == clause)
    return c.status, c.rationale


@pytest.mark.parametrize(
    "sbom",
    ["SBOM available on request", "Provided upon request.", "CycloneDX SBOM available on request", "The SBOM is shared if requested"],
)
def test_an_sbom_on_request_naming_no_one_to_ask_says_nowhere_to_access_it(sbom: str) -> None:
    status, rationale = _verdict("cra-annex-ii", "9", sbom=sbom)
    assert status == "gap" and "names no one to ask" in rationale


@pytest.mark.parametrize(
    ("sbom", "whom"),
    [
        ("CycloneDX SBOM available on request from psirt@maker.example", "psirt@maker.example"),
        ("SBOM on request via the customer portal", "customer portal"),
        ("Available on request: contact Technical Support, +44 20 7946 0000", "Technical Support"),
    ],
)
def test_an_sbom_on_request_naming_whom_to_ask_is_partial(sbom: str, whom: str) -> None:
    status, rationale = _verdict("cra-annex-ii", "9", sbom=sbom)
    assert status == "partial" and whom in rationale


@pytest.mark.parametrize(
    "sbom",
    [
        "CycloneDX 1.5 SBOM per release at https://maker.example/sbom",
        "SPDX SBOM in the customer portal, updated with each release",
        "Component list in Appendix B of the instructions for use",
    ],
)
def test_an_sbom_with_a_place_to_access_it_covers_annex_ii_9(sbom: str) -> None:
    assert _verdict("cra-annex-ii", "9", sbom=sbom)[0] == "covered"


def test_an_sbom_only_promised_is_nowhere_yet() -> None:
    status, rationale = _verdict("cra-annex-ii", "9", sbom="An SBOM will be provided")
    assert status == "partial" and "only promised" in rationale


@pytest.mark.parametrize(
    ("field", "value", "framework", "clause"),
    [
        ("end_of_support", "The pump shall be supported until 2034-12-31.", "fda-premarket", "labeling.13"),
        ("end_of_support", "Security updates must be provided until 31 December 2034", "fda-premarket", "labeling.13"),
        ("patch_policy", "Security patches shall be released within 30 days of a confirmed vulnerability", "mc2", "v2.31"),
        ("patch_policy", "Patches should be made available within 30 days", "mc2", "v2.31"),
    ],
)
def test_a_support_fact_written_as_a_requirement_is_no_commitment(field: str, value: str, framework: str, clause: str) -> None:
    status, rationale = _verdict(framework, clause, **{field: value})
    assert status == "partial" and "written as a re" in rationale and "confirm" in rationale
    stated = value.replace("shall be", "is").replace("must be", "are").replace("should be", "are")
    assert _verdict(framework, clause, **{field: stated})[0] == "covered", stated


@pytest.mark.parametrize(
    "disclosure", ["security@maker.example", "Report vulnerabilities to psirt@maker.example", "PSIRT: psirt@maker.example, +1 555 0100"]
)
def test_an_address_for_reports_is_no_advisories_to_users(disclosure: str) -> None:
    status, rationale = _verdict(
        "cra-annex-i", "II.8", patch_policy="Security updates within 30 days, free of charge.", vulnerability_disclosure=disclosure
    )
    assert status == "partial" and "not advisories published to users" in rationale


@pytest.mark.parametrize(
    ("disclosure", "patch", "expected"),
    [
        ("security@maker.example", "Fixes within 30 days, free of charge; security advisories are published for each fix.", "covered"),
        (
            "Advisories at https://maker.example/advisories; report to psirt@maker.example",
            "Fixes within 30 days, free of charge.",
            "covered",
        ),
        ("Customers are notified of each security update by e-mail", "Fixes within 30 days, free of charge.", "covered"),
        ("https://maker.example/security", "Fixes within 30 days, free of charge.", "partial"),
        ("Page: https://maker.example/security; reports to psirt@maker.example", "Fixes within 30 days, free of charge.", "partial"),
        ("No security advisories are published", "Fixes within 30 days, free of charge.", "partial"),
    ],
)
def test_advisories_to_users_need_words_of_advice(disclosure: str, patch: str, expected: str) -> None:
    assert _verdict("cra-annex-i", "II.8", patch_policy=patch, vulnerability_disclosure=disclosure)[0] == expected


# Control texts that say the opposite of their keyword; each had been cited as a measure in place
OPPOSITES = [
    ("Password policy", "There is no password policy on the bedside monitor.", "authentication"),
    ("Certificate validation", "Certificate validation is disabled.", "cryptography"),
    ("Encryption of backups", "Backups are stored unencrypted.", "cryptography"),
    ("Encryption", "Encryption - planned", "cryptography"),
    ("Remote access", "Remote access is unrestricted and unauthenticated.", "authorization"),
    ("Tamper detection", "Tamper detection was removed in release 2.1.", "integrity"),
    ("Audit log protection", "Logs can be modified by any local user.", "event_logging"),
    ("Audit log", "Any user can delete the audit log.", "event_logging"),
    ("Least privilege", "All services run as root.", "authorization"),
]
# ... and texts that state a safeguard with the same words, which keep their credit
SAFEGUARDS = [
    ("Encryption", "Traffic that is unencrypted is rejected by the gateway.", "cryptography"),
    ("Hardening", "The debug port is disabled in production.", "other"),
    ("Transport security", "TLS 1.0 and 1.1 are disabled; TLS 1.3 is used for all connections.", "cryptography"),
    ("Account lockout", "Account lockout after five failed logins.", "authentication"),
    ("Encryption", "Encryption - AES-256-GCM with keys in the secure element", "cryptography"),
    ("Least privilege", "Only the update service runs as root; all other services run as unprivileged users.", "authorization"),
    ("Audit log protection", "Audit logs are signed and cannot be modified by any local user.", "event_logging"),
    ("Least privilege", "No process runs as root.", "authorization"),
]


def _cited(title: str, text: str, category: str) -> list[str]:
    from mdptm.model import Control, Threat

    c = Control(id="C1", title=title, description=text, category=category, status="implemented", status_stated=True)  # type: ignore[arg-type]
    t = Threat(id="T1", title="Attack", stride=["tampering"], status="mitigated", controls=["C1"])
    model = Model(product=Product(name="P", manufacturer="M"), document=Document(version="1"), controls=[c], threats=[t])
    return [
        f"{fw.id}:{x.id}"
        for fw in map_model(model).frameworks
        for x in fw.clauses
        if x.status in ("covered", "partial") and "C1" in x.evidence
    ]


@pytest.mark.parametrize(("title", "text", "category"), OPPOSITES)
def test_a_control_saying_the_opposite_of_its_keyword_is_no_evidence(title: str, text: str, category: str) -> None:
    assert _cited(title, text, category) == []


@pytest.mark.parametrize(("title", "text", "category"), SAFEGUARDS)
def test_a_safeguard_in_the_same_words_keeps_its_credit(title: str, text: str, category: str) -> None:
    assert _cited(title, text, category) != []


@pytest.mark.parametrize("value", ["see vendor", "See the manufacturer.", "Refer to vendor"])
def test_a_bare_pointer_to_the_vendor_is_no_support_fact(value: str) -> None:
    assert _verdict("cra-annex-ii", "9", sbom=value)[0] == "gap"
    assert _verdict("cra-annex-ii", "8.d", data_disposal=value)[0] == "gap"
