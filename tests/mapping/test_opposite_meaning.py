"""Control texts a device maker writes where a keyword appears with the opposite meaning ("TLS is not used on the HL7
link", "RBAC pending for release 3.2") and real safeguards that mention "not" ("The bootloader does not start an image
whose signature does not verify", "encrypted so that a stolen disk does not disclose data"), checked on the coverage
verdicts: the first count for no clause, the second for some. Before, six of the first made clauses partial or
covered (FDA control.cryptography covered by "TLS is not used") and three of the second counted for none."""

from __future__ import annotations

import pytest

from mdptm.mapping.engine import map_model
from mdptm.model import Control, Document, Model, Product, Threat
from mdptm.model.evidence import affirmed

# keyword present, meaning: the measure is absent
OPPOSITE = [
    ("Secure boot", "integrity", "Secure boot hasn't been enabled on the production line yet."),
    ("Encryption at rest", "cryptography", "Patient records aren't encrypted on the SD card."),
    ("Firmware signing", "integrity", "Firmware images are not signed by the build server."),
    ("Audit logging", "event_logging", "Audit logs are not kept for service logins."),
    ("Account lockout", "authentication", "Lockout after failed PIN attempts is not enforced on the service port."),
    ("Automatic updates", "updatability_patchability", "Automatic updates have not been implemented; patches are installed by hand."),
    ("TLS", "cryptography", "TLS is not used on the HL7 link."),
    ("Multi-factor authentication", "authentication", "MFA is no longer enforced for remote support since the portal migration."),
    ("Input validation", "integrity", "Input validation of the drug library import is TBD."),
    ("Backup and restore", "resiliency_recovery", "Backups of the pump configuration: out of scope for this release."),
    ("Intrusion detection", "event_logging", "The IDS hasn't been rolled out to the hospital sites."),
    ("Certificate pinning", "cryptography", "Pinning isn't in place on the Android app."),
    ("Session timeout", "authentication", "Automatic logout has yet to be implemented on the bedside monitor."),
    ("Role-based access control", "authorization", "RBAC pending for release 3.2."),
    ("Data minimisation", "other", "Minimisation of the telemetry fields has not been done."),
    ("Secure defaults", "other", "The default admin password is not changed at first start."),
    ("Vulnerability monitoring", "other", "SBOM-based vulnerability monitoring is not yet in place."),
]
# real evidence that mentions "not" or another negation word
REAL = [
    ("Default credentials", "authentication", "No default passwords are shipped; each pump has a unique password."),
    ("Authentication", "authentication", "The API rejects unauthenticated requests with 401."),
    ("Firmware signing", "integrity", "The bootloader does not start an image whose ECDSA signature does not verify."),
    ("Network hardening", "other", "Telnet, FTP and SNMPv1 are not enabled; only TLS 1.3 on port 443 is open."),
    ("Protocol hardening", "cryptography", "TLS 1.0 and 1.1 are no longer supported; TLS 1.2+ with AES-GCM only."),
    ("Update approval", "updatability_patchability", "Signed updates are not installed until the biomed approves them."),
    ("Secrets handling", "cryptography", "Keys are never stored in plaintext; they live in the secure element."),
    ("Logging", "event_logging", "Every login and dose change is logged; no patient names are written to the log."),
    ("Firmware integrity", "integrity", "Images are hashed and signed so that they cannot be altered in transit."),
    ("Therapy independence", "resiliency_recovery", "Infusions continue without Wi-Fi and queued events are not lost."),
    ("Debug interfaces", "other", "JTAG is not populated and the UART console is disabled in production."),
    ("Remote access", "authorization", "No remote access from outside the hospital network; service needs on-site login."),
    ("Replay protection", "integrity", "Commands with a counter that is not higher than the last one are rejected."),
    ("Encryption at rest", "cryptography", "The database is encrypted with AES-256 so that a stolen disk does not disclose data."),
    ("Lockout", "authentication", "Users cannot log in without a PIN; five wrong PINs lock the account."),
]


def _counted(title: str, category: str, description: str) -> list[str]:
    c = Control(id="C1", title=title, category=category, status="implemented", description=description)  # type: ignore[arg-type]
    t = Threat(id="T1", title="Attack", stride=["tampering"], status="mitigated", controls=["C1"])
    m = Model(product=Product(name="P", manufacturer="M"), document=Document(version="1"), controls=[c], threats=[t])
    return [f"{fw.id} {cl.id} {cl.status}" for fw in map_model(m).frameworks for cl in fw.clauses if "C1" in cl.evidence]


@pytest.mark.parametrize(("title", "category", "description"), OPPOSITE)
def test_a_keyword_with_the_opposite_meaning_counts_for_no_clause(title: str, category: str, description: str) -> None:
    assert _counted(title, category, description) == []


@pytest.mark.parametrize(("title", "category", "description"), REAL)
def test_real_evidence_that_mentions_not_still_counts(title: str, category: str, description: str) -> None:
    assert _counted(title, category, description)


@pytest.mark.parametrize(
    ("text", "keywords", "found"),
    [
        ("Automatic updates are not supported; the biomed installs each patch.", ["automatic"], []),
        ("Security advisories have not been published so far.", ["advisor", "publish"], []),
        ("Opt-out of automatic updates is no longer offered.", ["opt-out"], []),
        ("Automatic updates, which the hospital can turn off, are installed overnight.", ["automatic"], ["automatic"]),
        ("Advisories are published within 30 days so that hospitals are not left exposed.", ["advisor"], ["advisor"]),
    ],
)
def test_support_texts_read_the_same_way(text: str, keywords: list[str], found: list[str]) -> None:
    assert affirmed(text, keywords) == found
