"""A control whose description denies the measure in one clause that shares no word with the title ("Role-based
access control" / "RBAC hasn't been rolled out yet") still counted as evidence. A clause that says a measure is
not in place (perfect tense denied, "isn't enforced", "no longer enforced", "not yet", "TBD", "pending", "out of
scope") or the title's short name denied makes the control void; honest text that mentions "not" stays evidence."""

from __future__ import annotations

import pytest

from mdptm.mapping.engine import map_model
from mdptm.model import Control, Document, Model, Product, Threat
from mdptm.model.evidence import affirmed, denies_measure, void_reason

# what a device maker writes when the measure is not there: each was counted as a safeguard before
DENIALS = [
    ("Role-based access control", "RBAC hasn't been rolled out yet."),
    ("Role-based access control", "RBAC is not enforced on the service port."),
    ("Access control", "RBAC has not been rolled out on the infusion pump."),
    ("Access control", "Role checks aren't enforced for the service technician account."),
    ("Access control", "RBAC no longer enforced since firmware 2.3."),
    ("Access control", "RBAC TBD."),
    ("Access control", "RBAC out of scope for this release."),
    ("Access control", "Under review."),
    ("Multi-factor authentication", "MFA is not yet enabled for remote service sessions."),
    ("Multi-factor authentication", "MFA has yet to be configured on the clinician portal."),
    ("Transport encryption", "TLS hasn't been implemented for the HL7 interface, so results travel in clear text."),
    ("Session timeout", "Automatic logout has not been tested on the bedside monitor."),
    ("Certificate pinning", "Pinning pending for release 3."),
    ("Log review", "Reviews of the audit trail are no longer performed since the SOC moved."),
    ("Intrusion detection", "The network IDS isn't in place at the pilot site."),
]

# real safeguards that mention "not": they stay evidence
SAFEGUARDS = [
    ("Default credentials", "No default passwords are shipped; each pump gets a unique password at manufacture."),
    ("Authentication", "Prevents unauthenticated access to the pump API."),
    ("Login", "Users cannot log in without a PIN."),
    ("Secure boot", "The bootloader refuses unsigned images."),
    ("Network hardening", "Telnet and FTP are not enabled; only SSH is open."),
    ("Protocol hardening", "TLS 1.0 and 1.1 are no longer supported."),
    ("Firmware integrity", "Firmware is signed so that it has not been altered between the build server and the pump."),
    ("Update approval", "Updates are not rolled out until the hospital approves them in the fleet console."),
    ("Therapy independence", "Infusions and alarms work without Wi-Fi; nothing is lost while the network is down."),
    ("Role-based access control", "RBAC restricts configuration to biomed staff; clinicians cannot change drug limits."),
    ("Secrets handling", "Passwords are never written to the log, and keys are not stored in plaintext."),
    ("Debug interfaces", "JTAG is not populated on production boards and the UART console is disabled."),
    ("Stale command expiry", "Commands pending for more than 30 seconds are discarded by the pump."),
]


@pytest.mark.parametrize(("title", "description"), DENIALS)
def test_a_clause_that_denies_the_measure_is_no_safeguard(title: str, description: str) -> None:
    assert void_reason(title, description) is not None


@pytest.mark.parametrize(("title", "description"), SAFEGUARDS)
def test_safeguards_that_mention_not_stay_safeguards(title: str, description: str) -> None:
    assert void_reason(title, description) is None
    assert not denies_measure(description)


def test_a_denial_beside_a_statement_leaves_the_statement() -> None:
    """Only a text that says nothing else is void: the clause stating TLS still counts."""
    assert void_reason("Transport encryption", "TLS 1.3 on the Wi-Fi link; the HL7 feed has not been migrated yet.") is None
    assert not denies_measure("TLS 1.3 on the Wi-Fi link; encryption of the HL7 feed has not been implemented.")


def _model(title: str, description: str) -> Model:
    return Model(
        product=Product(name="P", manufacturer="M"),
        document=Document(version="1.0"),
        controls=[Control(id="C1", title=title, category="authorization", status="implemented", description=description)],
        threats=[Threat(id="T1", title="Misuse of service", stride=["elevation_of_privilege"], status="mitigated", controls=["C1"])],
    )


@pytest.mark.parametrize(("title", "description"), [DENIALS[0], DENIALS[1], DENIALS[4], DENIALS[6], DENIALS[8]])
def test_mapping_counts_a_denied_measure_for_no_clause(title: str, description: str) -> None:
    for fw in map_model(_model(title, description)).frameworks:
        for c in fw.clauses:
            assert "C1" not in c.evidence, (fw.id, c.id, c.rationale)
    honest = map_model(_model("Role-based access control", "RBAC restricts configuration to biomed staff."))
    assert any("C1" in c.evidence for fw in honest.frameworks for c in fw.clauses)


def test_a_negation_in_the_purpose_does_not_deny_the_safeguard() -> None:
    """ "signed so that it has not been altered": the negation is the attack prevented; "signed" is evidence."""
    assert affirmed("Firmware is signed so that it has not been altered.", ["signed"]) == ["signed"]
    assert affirmed("Hashes are verified to confirm that the image was not tampered with.", ["verified"]) == ["verified"]
    assert affirmed("Firmware is not signed, so that updates stay small.", ["signed"]) == []
