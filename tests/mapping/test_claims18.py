"""Texts whose keyword says more than the text: "TLS is available but disabled by default", "Encryption: optional",
"MFA planned Q3 2027", "Secure boot (roadmap)", "Encryption is disabled to preserve performance", an SBOM "available
upon contract signature" or "in preparation", a disclosure policy "under development", a flow's encryption
"Unencrypted (plain HTTP)". Each counted as the maker's safeguard in place (FDA control.* covered, CRA Annex II (9)
covered). And the other side: "Audit logging is always on and cannot be turned off by users" and a flow's "Encryption
is not optional: TLS 1.3" state the safeguard, and were read as denials."""

from __future__ import annotations

import pytest

from mdptm.mapping.engine import map_model
from mdptm.model import Control, Document, Element, Flow, Model, Product, Support, Threat
from mdptm.model.evidence import status_shown

_BASE = {"product": Product(name="P", manufacturer="M"), "document": Document(version="1", date="2026-01-01")}


def _counted(title: str, category: str, description: str) -> dict[str, str]:
    """The clauses the maker's control C1 is evidence for, with their status."""
    c = Control(id="C1", title=title, category=category, status="implemented", description=description)  # type: ignore[arg-type]
    t = Threat(id="T1", title="Attack", stride=["tampering"], status="mitigated", controls=["C1"])
    m = Model(**_BASE, controls=[c], threats=[t])  # type: ignore[arg-type]
    return {f"{fw.id} {cl.id}": cl.status for fw in map_model(m).frameworks for cl in fw.clauses if "C1" in cl.evidence}


# the maker's safeguard is not in place as shipped: it counts for no control.* clause of the FDA premarket guidance
NOT_THE_MAKERS = [
    ("TLS", "cryptography", "TLS is available but disabled by default."),
    ("Authentication", "authentication", "Authentication: customer-configured (off by default)."),
    ("Encryption", "cryptography", "Encryption: optional."),
    ("Role-based access", "authorization", "RBAC is supported but not configured at shipment."),
    ("Encryption", "cryptography", "Data is encrypted only when the optional security module is purchased."),
    ("Secure boot (roadmap)", "integrity", ""),
    ("Secure boot", "integrity", "Roadmap item."),
    ("MFA", "authentication", "MFA planned Q3 2027."),
    ("Encryption", "cryptography", "Encryption is disabled to preserve performance."),
]
# the safeguard is in place, and said with a negation word
STATED = [
    ("Audit log", "event_logging", "Audit logging is always on and cannot be turned off by users.", "control.event_logging"),
    ("Encryption", "cryptography", "Encryption is not optional; all data at rest is AES-256 encrypted.", "control.cryptography"),
    ("Authentication", "authentication", "Authentication cannot be disabled.", "control.authentication"),
    ("TLS", "cryptography", "TLS 1.3 is enabled by default and cannot be disabled.", "control.cryptography"),
    ("Firmware signing", "integrity", "Secure boot planned and verified in release 1; all images are signed.", "control.integrity"),
]


@pytest.mark.parametrize(("title", "category", "description"), NOT_THE_MAKERS)
def test_a_safeguard_off_optional_or_planned_is_no_control_in_place(title: str, category: str, description: str) -> None:
    # before: each covered the FDA premarket control.<category> clause
    counted = _counted(title, category, description)
    assert not [k for k in counted if k.startswith("fda-premarket control.")], counted


@pytest.mark.parametrize(("title", "category", "description", "clause"), STATED)
def test_a_safeguard_stated_with_a_negation_word_counts(title: str, category: str, description: str, clause: str) -> None:
    assert _counted(title, category, description).get(f"fda-premarket {clause}") == "covered"


def test_a_way_round_a_safeguard_makes_it_partial() -> None:
    text = "Authentication can be bypassed in emergency mode."
    c = Control(id="C1", title="Authentication", category="authentication", status="implemented", description=text)
    assert "can be bypassed in emergency mode" in (status_shown(c) or "")
    assert _counted(c.title, "authentication", c.description or "")["fda-premarket control.authentication"] == "partial"
    assert _counted(c.title, "authentication", "Authentication cannot be bypassed.")["fda-premarket control.authentication"] == "covered"


def _support(framework: str, clause: str, **support: str) -> str:
    fw = next(f for f in map_model(Model(**_BASE, support=Support(**support))).frameworks if f.id == framework)  # type: ignore[arg-type]
    return next(c for c in fw.clauses if c.id == clause).status


@pytest.mark.parametrize("sbom", ["SBOM available upon contract signature", "SBOM in preparation", "CycloneDX SBOM: subject to NDA"])
def test_an_sbom_behind_a_contract_or_not_yet_made_gives_no_place_to_access_it(sbom: str) -> None:
    # before: covered CRA Annex II (9)
    assert _support("cra-annex-ii", "9", sbom=sbom) == "gap"
    assert _support("cra-annex-ii", "9", sbom="CycloneDX SBOM at https://maker.example/sbom") == "covered"


@pytest.mark.parametrize("text", ["Vulnerability disclosure policy under development.", "CVD policy in preparation"])
def test_a_disclosure_policy_being_written_is_none(text: str) -> None:
    # before: covered CRA Annex I Part II (5) and Annex II (2)
    assert _support("cra-annex-ii", "2", vulnerability_disclosure=text) == "gap"
    assert _support("cra-annex-ii", "2", vulnerability_disclosure="CVD policy at https://maker.example/cvd") == "covered"


def _flow_evidence(encryption: str) -> list[str]:
    m = Model(
        **_BASE,  # type: ignore[arg-type]
        elements=[Element(id="E1", name="Pump", kind="device"), Element(id="E2", name="Gateway", kind="software")],
        flows=[Flow(id="F-01", source="E1", target="E2", protocol="HTTPS", encryption=encryption)],
    )
    fw = next(f for f in map_model(m).frameworks if f.id == "cra-annex-i")
    return list(next(c for c in fw.clauses if c.id == "I.2.e").evidence)


@pytest.mark.parametrize(
    "encryption",
    [
        "Optional",
        "TLS available but disabled by default",
        "TLS (customer-configured, off by default)",
        "TLS planned",
        "TLS if supported by the hospital",
        "Unencrypted (plain HTTP)",
        "Not encrypted - MLLP",
    ],
)
def test_a_flow_encryption_that_is_off_optional_or_planned_is_no_encryption_in_transit(encryption: str) -> None:
    # before: F-01 was evidence of encryption in transit (CRA Annex I (2)(e))
    assert "F-01" not in _flow_evidence(encryption)


@pytest.mark.parametrize("encryption", ["Encryption is not optional: TLS 1.3", "TLS 1.3", "TLS 1.3 (no plaintext fallback)"])
def test_a_flow_encryption_stated_counts(encryption: str) -> None:
    assert "F-01" in _flow_evidence(encryption)


@pytest.mark.parametrize(
    "policy",
    ["Patches are not provided; upgrade to the next model.", "No security patches. Customers should purchase a new device."],
)
def test_a_patch_policy_that_offers_a_new_product_instead_of_a_patch_states_none(policy: str) -> None:
    # before: "upgrade to the next model" was the stated patch policy of CRA Annex I Part II (2) (partial)
    assert _support("cra-annex-i", "II.2", patch_policy=policy) == "gap"
    assert _support("cra-annex-i", "II.2", patch_policy="Patches are provided for the current and the previous model.") != "gap"


@pytest.mark.parametrize(
    ("title", "category", "description"),
    [
        ("Encryption (optional module)", "cryptography", ""),
        ("Audit logging", "event_logging", "Audit logging: available as an option."),
        ("MFA", "authentication", "MFA: customer option."),
        ("Encryption", "cryptography", "Encryption: Yes (optional)."),
        ("Encryption", "cryptography", "Encryption: disabled."),
        ("Logging", "event_logging", "Logging: off."),
        ("Signed updates", "integrity", "Signed updates will be supported from v5."),
        ("Code signing", "integrity", "Code signing: feature request."),
    ],
)
def test_an_option_a_switched_off_label_or_a_feature_to_come_is_no_control_in_place(title: str, category: str, description: str) -> None:
    # before: each covered the FDA premarket control.<category> clause
    counted = _counted(title, category, description)
    assert not [k for k in counted if k.startswith("fda-premarket control.")], counted


@pytest.mark.parametrize(
    ("title", "category", "description", "clause"),
    [
        ("Encryption", "cryptography", "Encryption: enabled.", "control.cryptography"),
        ("Logging", "event_logging", "Audit logging: on.", "control.event_logging"),
        ("Signed updates", "integrity", "Signed updates are supported from v3 onwards.", "control.integrity"),
        ("Hardening", "authentication", "Telnet: disabled. SSH: off. Every session needs authentication.", "control.authentication"),
    ],
)
def test_a_label_that_is_on_or_a_feature_already_there_counts(title: str, category: str, description: str, clause: str) -> None:
    assert _counted(title, category, description).get(f"fda-premarket {clause}") == "covered"


@pytest.mark.parametrize("encryption", ["Yes (optional)", "TLS (optional)", "Off"])
def test_a_flow_encryption_that_is_an_option_or_off_is_none(encryption: str) -> None:
    assert "F-01" not in _flow_evidence(encryption)


@pytest.mark.parametrize("encryption", ["TLS 1.2 - disabled", "TLS 1.2 – not enabled"])
def test_a_dash_before_a_denial_withdraws_the_flow_encryption(encryption: str) -> None:
    # before: "TLS 1.2 - disabled" was encryption in transit; "(disabled)" already was not
    assert "F-01" not in _flow_evidence(encryption)


@pytest.mark.parametrize(
    "encryption",
    [
        "TLS 1.3 - mutual authentication",
        "TLS - not on the service port",
        "AES-256 - keys are not exported",
        "TLS 1.3 - no plaintext fallback",
    ],
)
def test_a_dash_before_a_statement_or_a_limit_keeps_the_flow_encryption(encryption: str) -> None:
    assert "F-01" in _flow_evidence(encryption)
