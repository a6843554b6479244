"""A control that says a measure is not there yet ("No RBAC yet on the service port", "No encryption yet on the DICOM
link", "Audit logging is not enabled yet on the DICOM router") counted as the control it names: " yet " ended the
clause, so "no RBAC" lost what it was said of and the rest ("on the service port") denied nothing. The adverb "yet"
(before a preposition or the end of the sentence, no comma before it) does not end a clause, and "no X yet" /
"not X yet" deny the measure. The conjunction still does: "The pump has no display, yet every dose change is logged"
states the logging."""

from __future__ import annotations

import pytest

from mdptm.model.evidence import affirmed, denies_measure, void_reason
from tests.mapping.test_opposite_meaning import _counted  # one control counted by the mapping, as there

NOT_YET = [
    ("Access control", "authorization", "No RBAC yet on the service port."),
    ("Role-based access control", "authorization", "No RBAC yet on the service port."),
    ("Transport encryption", "cryptography", "No encryption yet on the DICOM link."),
    ("Audit logging", "event_logging", "Not yet enabled: audit logging."),
    ("Access control", "authorization", "No RBAC yet."),
    ("Audit logging", "event_logging", "Audit logging is not enabled yet on the DICOM router."),
    ("Transport encryption", "cryptography", "There is no TLS yet for the HL7 feed."),
]


@pytest.mark.parametrize(("title", "category", "description"), NOT_YET)
def test_a_measure_not_there_yet_counts_for_no_clause(title: str, category: str, description: str) -> None:
    assert void_reason(title, description) == "denied"
    assert _counted(title, category, description) == []


@pytest.mark.parametrize("title", ["No RBAC yet on the service port", "No encryption yet on the DICOM link"])
def test_a_title_alone_that_says_not_yet_counts_for_no_clause(title: str) -> None:
    """A register row with only a title: the title is the text read."""
    assert denies_measure(title)
    assert _counted(title, "authorization", "") == []


@pytest.mark.parametrize(
    ("text", "keywords", "found"),
    [
        ("No encryption yet on the DICOM link.", ["encrypt"], []),
        ("Audit logging is not enabled yet on the DICOM router.", ["audit log"], []),
        # the conjunction still ends a clause: what follows it is stated
        ("The pump has no display, yet every dose change is logged.", ["logged"], ["logged"]),
        ("The pump is small yet every dose change is logged locally.", ["logged"], ["logged"]),
        ("Small yet encrypted with AES-256.", ["aes"], ["aes"]),
        ("Data not uploaded yet is kept encrypted on the pump.", ["encrypt"], ["encrypt"]),
        ("Events not sent yet are logged locally and retried.", ["logged"], ["logged"]),
    ],
)
def test_yet_as_adverb_and_as_conjunction(text: str, keywords: list[str], found: list[str]) -> None:
    assert affirmed(text, keywords) == found


@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("Remote access", "No remote access from outside the hospital."),
        ("Default passwords", "No default passwords on any unit; each pump gets its own at manufacture."),
        ("Audit logging", "The pump has no display, yet every dose change is logged with the nurse's badge ID."),
        ("Pairing", "Devices that are not paired yet cannot send commands."),
        # "yet" then a verb: the negation was said of the subject, the statement follows
        ("Encryption at rest", "Data not uploaded yet is kept encrypted on the pump."),
        ("Audit logging", "Events not sent yet are logged locally and retried."),
        # "no" before a verb: what the device does not do, not a measure missing
        ("Data minimisation", "No PHI is stored yet."),
    ],
)
def test_safeguards_are_not_read_as_not_yet(title: str, description: str) -> None:
    assert void_reason(title, description) is None
    assert not denies_measure(description)


def test_yet_after_has_or_is_stays_a_denial() -> None:
    """The guards of the clause break: " yet " after "has"/"is" is inside its clause, "has yet to be" denies."""
    assert denies_measure("MFA has yet to be configured on the clinician portal.")
    assert denies_measure("Encryption of the HL7 feed is yet to be implemented.")
    assert void_reason("Multi-factor authentication", "MFA has yet to be configured on the clinician portal.") == "denied"
