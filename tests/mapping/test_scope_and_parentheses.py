"""Control texts stated as implemented whose words limit or withdraw less, or more, than they seem to.

A parenthesis withdraws only what it speaks of: "AES-256 (keys are not exported)" still states the encryption, "TLS
(not yet)" does not. A measure limited to part of the product or of the time ("except the service port", "only for
the web UI", "partially implemented", "where supported") is in place only in part; one only said to be configurable or
off by default is the hospital's; a template slot or filler text, a German or French denial or deferral states
nothing. Real measures written alike keep their credit."""

from __future__ import annotations

import pytest

from mdptm.mapping.engine import map_model
from mdptm.model import Control, Document, Model, Product, Threat
from mdptm.model.evidence import affirmed, denied_part, is_placeholder, read_responsibility, scope_limit, stated, void_reason


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ("Data is encrypted with AES-256 (keys are not exported)", "encrypt"),
        ("Updates are signed (the signing key never leaves the HSM)", "signed"),
        ("Audit log of service sessions (entries cannot be deleted)", "audit"),
        ("TLS 1.3 (no plaintext fallback)", "tls"),
    ],
)
def test_a_parenthesis_denying_something_else_leaves_the_clause_standing(text: str, keyword: str) -> None:
    assert affirmed(text, [keyword]) == [keyword]
    assert stated(text)


def test_a_control_whose_parenthesis_denies_something_else_is_a_control() -> None:
    # it had been read as all denied ("cannot") and counted for no clause
    assert void_reason("Audit log", "Audit log of all service sessions (entries cannot be deleted).") is None
    model = Model(
        product=Product(name="P", manufacturer="M"),
        document=Document(version="1.0"),
        controls=[
            Control(
                id="C1",
                title="Audit log",
                category="event_logging",
                description="Audit log of all service sessions (entries cannot be deleted).",
            )
        ],
        threats=[Threat(id="T1", title="Repudiation", stride=["repudiation"], status="mitigated", controls=["C1"])],
    )
    assert _clause(model, "fda-premarket", "control.event_logging")[:3:2] == ("covered", ["C1"])


@pytest.mark.parametrize(
    "text",
    [
        "Audit logging (planned)",
        "Encryption at rest (not implemented)",
        "Encryption at rest (this is not implemented yet)",
        "Encryption (currently not supported)",
        "TLS 1.2 (TLS is not yet enabled)",
        "Encryption at rest (data is not encrypted)",
    ],
)
def test_a_parenthesis_denying_the_clause_still_withdraws_it(text: str) -> None:
    assert affirmed(text, ["encrypt", "tls", "audit"]) == []
    assert not stated(text)


@pytest.mark.parametrize(
    ("title", "description", "limit"),
    [
        ("Authentication", "Authentication is required (not on the service port).", "not on the service port"),
        ("TLS", "TLS 1.2 is used (not on the service port).", "not on the service port"),
        ("TLS", "TLS 1.2 on all interfaces except the service port.", "except the service port"),
        ("Login", "Password login, except on the service port.", "except on the service port"),
        ("TLS", "TLS 1.2 only for the web UI.", "only for the web UI"),
        ("TLS", "TLS is partially implemented.", "partially implemented"),
        ("TLS", "Traffic is encrypted in most cases.", "in most cases"),
        ("TLS", "Best effort encryption of traffic.", "Best effort"),
        ("TLS", "Mostly encrypted.", "Mostly encrypted"),
        ("TLS", "TLS 1.2 where supported.", "where supported"),
        ("Secure boot", "Secure boot (where supported by the hardware).", "where supported"),
    ],
)
def test_a_measure_limited_to_a_part_is_in_place_only_in_part(title: str, description: str, limit: str) -> None:
    assert void_reason(title, description) is None
    assert denied_part(title, description) == limit


@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("TLS", "All traffic is encrypted with TLS 1.2."),
        ("TLS", "No unencrypted traffic is allowed."),
        ("TLS", "Unencrypted connections are never accepted."),
        ("Network hardening", "All ports are closed except 443."),
        ("Local login", "Login only on the local console."),
        ("TLS", "TLS is used on every interface, not only for the web UI."),
        ("Firmware signing", "Only signed firmware is installed."),
    ],
)
def test_real_measures_written_alike_keep_their_credit(title: str, description: str) -> None:
    assert void_reason(title, description) is None
    assert denied_part(title, description) is None
    assert scope_limit(description) is None


def _model(description: str, *, stated_status: bool = True, title: str = "TLS encryption") -> Model:
    return Model(
        product=Product(name="P", manufacturer="M"),
        document=Document(version="1.0"),
        controls=[
            Control(
                id="C1", title=title, category="cryptography", status="implemented", description=description, status_stated=stated_status
            )
        ],
        threats=[Threat(id="T1", title="Disclosure", stride=["information_disclosure"], status="mitigated", controls=["C1"])],
    )


def _clause(model: Model, framework: str, clause: str) -> tuple[str, str, list[str]]:
    result = map_model(model, [framework])
    found = next(c for c in result.frameworks[0].clauses if c.id == clause)
    return found.status, found.rationale, found.evidence


def test_a_scope_limit_makes_the_clause_partial_and_says_why() -> None:
    assert _clause(_model("All traffic is encrypted with TLS 1.2."), "fda-premarket", "control.cryptography")[0] == "covered"
    status, rationale, evidence = _clause(
        _model("TLS 1.2 on all interfaces except the service port."), "fda-premarket", "control.cryptography"
    )
    assert status == "partial"
    assert evidence == ["C1"]
    assert 'C1 is in place only in part (its text says "except the service port")' in rationale


def test_a_double_negative_is_a_measure() -> None:
    status, _, evidence = _clause(_model("No unencrypted traffic is allowed."), "fda-premarket", "control.cryptography")
    assert (status, evidence) == ("covered", ["C1"])


@pytest.mark.parametrize(
    ("description", "part"),
    [("TLS 1.2 where supported.", "where supported"), ("TLS on the HL7 link; not yet on DICOM.", "not yet on DICOM")],
)
def test_a_control_in_part_with_no_stated_status_still_asks_to_confirm(description: str, part: str) -> None:
    status, rationale, _ = _clause(_model(description, stated_status=False), "fda-premarket", "control.cryptography")
    assert status == "partial"
    assert f'its text says "{part}"' in rationale
    assert rationale.count("no source states that C1 is implemented") == 1
    assert "implemented (listed as mitigations): confirm" in rationale


@pytest.mark.parametrize(
    "description",
    [
        "TLS 1.2 (not enabled by default).",
        "TLS 1.2 can be configured.",
        "TLS 1.2 may be used.",
        "Audit logging of service sessions is off by default.",
    ],
)
def test_a_safeguard_off_by_default_or_only_configurable_is_the_hospitals(description: str) -> None:
    c = Control(id="C1", title="Safeguard", category="cryptography", description=description)
    read = read_responsibility(c)
    assert read is not None and read[0] == "customer"
    status, rationale, evidence = _clause(_model(description), "fda-premarket", "control.cryptography")
    assert (status, evidence) == ("gap", [])
    assert "Relies on the hospital for C1" in rationale


@pytest.mark.parametrize(
    "description",
    [
        "Telnet is not enabled by default.",
        "Remote access, including firmware updates, is disabled by default.",
        "Authentication can be configured to use the hospital LDAP directory.",
    ],
)
def test_hardening_by_default_stays_the_makers(description: str) -> None:
    assert read_responsibility(Control(id="C1", title="Hardening", description=description)) is None


@pytest.mark.parametrize(
    "description", ["[describe]", "[describe the encryption here]", "<insert description>", "{{mitigation}}", "Lorem ipsum dolor sit amet."]
)
def test_template_slots_and_filler_are_placeholders(description: str) -> None:
    assert is_placeholder(description)
    assert void_reason("TLS encryption", description) == "placeholder"
    assert _clause(_model(description), "fda-premarket", "control.cryptography")[2] == []


@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("Verschlüsselung", "Keine Verschlüsselung."),
        ("Chiffrement", "Aucun chiffrement des données."),
        ("Verschlüsselung", "Die Verschlüsselung wird in Version 2 eingeführt."),
        ("Verschlüsselung", "Verschlüsselung wird in einer späteren Version ergänzt."),
        ("Chiffrement", "Le chiffrement sera ajouté dans la version 2."),
    ],
)
def test_german_and_french_denials_and_deferrals_state_nothing(title: str, description: str) -> None:
    assert void_reason(title, description) is not None
    assert _clause(_model(description, title=title), "fda-premarket", "control.cryptography")[2] == []


@pytest.mark.parametrize(
    ("title", "description"),
    [("Verschlüsselung", "Die Daten werden mit AES-256 verschlüsselt."), ("Chiffrement", "Les données sont chiffrées avec AES-256.")],
)
def test_german_and_french_statements_stay_measures(title: str, description: str) -> None:
    assert void_reason(title, description) is None
    assert _clause(_model(description, title=title), "fda-premarket", "control.cryptography")[:3:2] == ("covered", ["C1"])


@pytest.mark.parametrize(("framework", "clause"), [("cra-annex-i", "II.5"), ("cra-annex-ii", "2")])
def test_a_reporting_address_is_no_disclosure_policy(framework: str, clause: str) -> None:
    model = Model.empty()
    model.support.vulnerability_disclosure = "psirt@example.com"
    status, rationale, _ = _clause(model, framework, clause)
    assert status == "partial"
    assert "refers to no coordinated vulnerability disclosure policy" in rationale
    model.support.vulnerability_disclosure = "We have no CVD policy yet; psirt@example.com"
    assert _clause(model, framework, clause)[0] == "partial"
    model.support.vulnerability_disclosure = "psirt@example.com; coordinated vulnerability disclosure policy: https://example.com/cvd"
    assert _clause(model, framework, clause)[:3:2] == ("covered", ["support.vulnerability_disclosure"])
