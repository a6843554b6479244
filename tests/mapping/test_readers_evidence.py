"""Coverage rests on what a control says, not on its category: a control whose description denies or defers
what its title names, or says only "TBD", is not evidence of a safeguard in place."""

from __future__ import annotations

import re

from mdptm.mapping.engine import map_model
from mdptm.model import Control, Document, Model, Product, Threat
from mdptm.model.evidence import denies_title, is_placeholder


def clause(m: Model, framework: str, cid: str) -> tuple[str, list[str]]:
    cov = map_model(m)
    c = next(c for fw in cov.frameworks if fw.id == framework for c in fw.clauses if c.id == cid)
    return c.status, c.evidence


def model(*controls: Control) -> Model:
    return Model(
        product=Product(name="P", manufacturer="M"),
        document=Document(version="1.0"),
        controls=list(controls),
        threats=[Threat(id="T1", title="Tampering", stride=["tampering"], status="mitigated", controls=[c.id for c in controls])],
    )


def test_negated_planned_or_placeholder_controls_cover_nothing() -> None:
    negated = Control(id="C1", title="Encryption at rest", category="cryptography", description="Patient data is not encrypted at rest.")
    planned = Control(id="C2", title="Secure boot", category="integrity", description="We plan to add secure boot in version 3.")
    tbd = Control(id="C3", title="Audit logging", category="event_logging", description="TBD")
    m = model(negated, planned, tbd)
    assert clause(m, "fda-premarket", "control.cryptography")[0] == "gap"
    assert clause(m, "fda-premarket", "control.integrity")[0] == "gap"
    assert clause(m, "fda-premarket", "control.event_logging")[0] == "gap"
    assert clause(m, "cra-annex-i", "I.2.l")[0] == "gap"


def test_real_controls_still_cover() -> None:
    m = model(
        Control(id="C1", title="Encryption at rest", category="cryptography", description="Patient data is encrypted with AES-256."),
        Control(id="C2", title="Secure boot", category="integrity", description="(D)TLS and secure boot verify every image."),
        Control(id="C3", title="Audit logging", category="event_logging", description="Every sign-in is logged."),
    )
    assert clause(m, "fda-premarket", "control.cryptography") == ("covered", ["C1"])
    assert clause(m, "fda-premarket", "control.integrity") == ("covered", ["C2"])
    assert clause(m, "fda-premarket", "control.event_logging") == ("covered", ["C3"])


def test_denies_title_reads_only_the_parts_that_name_the_control() -> None:
    assert denies_title("Encryption at rest", "Patient data is not encrypted at rest.")
    assert denies_title("Secure boot", "We plan to add secure boot in version 3.")
    # a discussion that also names the safeguard plainly, a denial in the title, an unrelated denial
    assert not denies_title(
        "Webhook fails closed",
        "Webhooks can be configured to either fail open, so that pods are admitted if the webhook is unavailable, or to fail closed.",
    )
    assert not denies_title("Objects are not deserialized", "Untrusted objects are not deserialized.")
    assert not denies_title("Encryption at rest", "AES-256 for the database; the log volume is not yet covered by backups.")
    assert not denies_title("Remote access", "No remote access from outside the hospital.")  # plain "no" writes safeguards
    assert denies_title("Authentication", "No authentication is required on the service port.")
    assert not denies_title("Authentication", "Authentication by smart card, and no shared account is used.")


def test_a_text_opening_with_parentheses_is_not_a_placeholder() -> None:
    assert not is_placeholder("(D)TLS (PSK/RSA) to encrypt the traffic")
    assert is_placeholder("(TBD)")
    assert is_placeholder("TBD - depends on the supplier")


def test_a_status_no_source_states_is_said_in_every_verdict_that_counts_implemented_controls() -> None:
    """Listed mitigations with no status are read as implemented; a 'gap' or 'partial' rationale that counts
    'implemented controls' must say so too, not only a 'covered' one."""
    m = model(
        Control(id="C-1", title="Firewall audits", category="other", description="Monthly firewall audits.", status_stated=False),
        Control(id="C-2", title="Patching", category="other", description="Patch systems monthly.", status_stated=False),
    )
    cov = map_model(m)
    rationales = [c.rationale for fw in cov.frameworks for c in fw.clauses]
    # the count does not call them implemented ("2 implemented controls … no source states that they are" contradicts
    # itself): it counts controls, and says whose status is only read
    counted = re.compile(r"\b\d+ implemented controls? \(|\d+ implemented controls? state")  # not "no implemented controls"
    assert not [t for t in rationales if counted.search(t)]
    texts = [t for t in rationales if re.search(r"\b\d+ controls? \(|\d+ controls? state", t) and "C-1" in t]
    assert any("none of the 2 controls state verification" in t for t in texts), rationales
    assert all(re.search(r"no source states that C-1(, C-2 are| is) implemented \(listed as mitigations\)", t) for t in texts), texts
