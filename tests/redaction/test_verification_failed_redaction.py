"""A control whose verification did not pass: a summarised control keeps that it did not pass (never shown as
implemented in the public package) without the test and its result; a published one keeps the test id, which the
ticket detector leaves alone as it does in the verification list."""

from __future__ import annotations

from mdptm.model import Control, Document, Model, Product
from mdptm.model.evidence import status_shown
from mdptm.redaction.redact import WITHHELD_RESULT, Policy, redact


def _model(sensitivity: str) -> Model:
    c = Control(id="C-1", title="Signed updates", category="integrity", verification_failed="TC-202: Fail — fix planned for 2.1")
    c.sensitivity = sensitivity  # type: ignore[assignment]
    return Model(product=Product(name="P", manufacturer="M"), document=Document(version="1"), controls=[c])


def test_a_summarised_control_keeps_that_its_verification_did_not_pass() -> None:
    public, log = redact(_model("internal"), Policy(drop=["confidential", "trade_secret"], summarise=["internal"]))
    c = public.controls[0]
    assert c.verification_failed == WITHHELD_RESULT
    assert status_shown(c) == "Verification did not pass (details withheld)"
    assert any(e.field == "verification_failed" and e.action == "summarised" for e in log.entries)


def test_a_published_control_keeps_the_test_id() -> None:
    public, _ = redact(_model("public"), Policy(drop=["confidential", "trade_secret"]))
    assert public.controls[0].verification_failed == "TC-202: Fail — fix planned for 2.1"
