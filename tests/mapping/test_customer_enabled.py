"""A control that protects only when the hospital turns it on ("TLS can be enabled by the hospital",
"optional encryption", "encrypted if configured") is the hospital's configuration choice: it does not
count as the device maker's cryptography, nor as a sign the product is secure by default."""

from __future__ import annotations

import pytest

from mdptm.mapping.engine import map_model
from mdptm.model import Control, Document, Model, Product
from mdptm.model.evidence import customer_enabled


@pytest.mark.parametrize(
    "text",
    [
        "TLS can be enabled by the hospital",
        "Optional encryption of the serial link",
        "Traffic is encrypted if configured",
        "Encrypted only if the customer enables it; by default no encryption is used",
        "Encryption is disabled by default",
        "TLS can be configured by the hospital",
        "At the hospital's discretion, the link uses TLS",
        "Customer-configurable TLS",
    ],
)
def test_conditional_protection_is_found(text: str) -> None:
    assert customer_enabled("Encryption", text)


@pytest.mark.parametrize(
    "text",
    [
        "TLS 1.2 is enforced on every connection",
        "Unused services are disabled by default",
        "Telnet is not enabled by default",
        "Weak ciphers cannot be enabled",
        "Secure boot is enabled by default",
        "Webhooks in Kubernetes can be configured to either fail open or to fail closed",
    ],
)
def test_protection_by_default_is_not_conditional(text: str) -> None:
    assert customer_enabled("Encryption", text) is None


def _clause(m: Model, fw: str, cid: str) -> tuple[str, str]:
    c = next(c for f in map_model(m).frameworks if f.id == fw for c in f.clauses if c.id == cid)
    return c.status, c.rationale


def _model(description: str) -> Model:
    control = Control(id="C1", title="TLS on the network link", category="cryptography", status="implemented", description=description)
    return Model(product=Product(name="P", manufacturer="M"), document=Document(version="1.0"), controls=[control])


def test_optional_encryption_is_not_the_makers_cryptography() -> None:
    status, _ = _clause(_model("TLS 1.2 protects the link to the server."), "fda-premarket", "control.cryptography")
    assert status == "covered"
    status, rationale = _clause(_model("TLS can be enabled by the hospital."), "fda-premarket", "control.cryptography")
    assert status == "gap"
    assert "C1" in rationale and "hospital" in rationale
    status, _ = _clause(_model("TLS protects the link to the server, if configured by the site."), "cra-annex-i", "I.2.e")
    assert status == "gap"
    status, _ = _clause(_model("TLS protects the link to the server."), "cra-annex-i", "I.2.e")
    assert status != "gap"


def test_a_protection_off_by_default_is_no_secure_default() -> None:
    """CRA I.2.b counts "disabled by default" as a secure default: said of the protection itself, it is the opposite."""
    hardening = Control(id="C2", title="Hardening", category="other", status="implemented", description="Telnet is disabled by default.")
    optional = Control(
        id="C3", title="Link encryption", category="cryptography", status="implemented", description="Encryption is disabled by default."
    )
    base = {"product": Product(name="P", manufacturer="M"), "document": Document(version="1.0")}
    status, rationale = _clause(Model(controls=[hardening], **base), "cra-annex-i", "I.2.b")
    assert status == "partial" and "C2" in rationale
    status, rationale = _clause(Model(controls=[optional], **base), "cra-annex-i", "I.2.b")
    assert status == "gap" and "Relies on the hospital for C3" in rationale
