"""A value that opens with a deferral after a short label ("Authentication: to be defined", "Patches: to be
agreed with each customer", "Software updates: N/A for this product") states nothing; a control whose
description says "No security events are logged" denies its title "Logging". Neither is evidence."""

from __future__ import annotations

import pytest

from mdptm.mapping.engine import map_model
from mdptm.model import Control, Document, Model, Product, Support, Threat
from mdptm.model.evidence import denies_title, is_placeholder


@pytest.mark.parametrize(
    "text",
    [
        "Authentication: to be defined",
        "Patches: to be agreed with each customer",
        "Software updates: N/A for this product.",
        "To be confirmed with the hospital",
        "N/A for this release",
        "Pending",
    ],
)
def test_deferrals_after_a_label_are_placeholders(text: str) -> None:
    assert is_placeholder(text)


@pytest.mark.parametrize(
    "text",
    [
        "None of the data leaves the pump",
        "Patches within 30 days; the schedule is to be agreed per site",
        "Signed updates: the hospital approves each package",
        "Noted: patches are to be defined by the maker in the policy document P-12",
    ],
)
def test_statements_are_not_placeholders(text: str) -> None:
    assert not is_placeholder(text)


def test_no_events_logged_denies_logging() -> None:
    assert denies_title("Logging", "No security events are logged.")
    assert not denies_title("Logging", "Every sign-in is logged; no patient data is logged.")
    assert not denies_title("Remote access", "No remote access from outside the hospital.")


def _clause(m: Model, fw: str, cid: str) -> str:
    return next(c.status for f in map_model(m).frameworks if f.id == fw for c in f.clauses if c.id == cid)


def test_such_controls_and_fields_cover_nothing() -> None:
    m = Model(
        product=Product(name="P", manufacturer="M"),
        document=Document(version="1.0"),
        support=Support(patch_policy="Patches: to be agreed with each customer"),
        controls=[
            Control(id="C2", title="Logging", category="event_logging", status="implemented", description="No security events are logged."),
            Control(
                id="C3",
                title="Authentication",
                category="authentication",
                status="implemented",
                description="Authentication: to be defined",
            ),
            Control(
                id="C6",
                title="Updates",
                category="updatability_patchability",
                status="implemented",
                description="Software updates: N/A for this product.",
            ),
        ],
        threats=[Threat(id="T1", title="Tampering", stride=["tampering"], status="mitigated", controls=["C2", "C3", "C6"])],
    )
    assert _clause(m, "fda-premarket", "control.event_logging") == "gap"
    assert _clause(m, "cra-annex-i", "I.2.l") == "gap"
    assert _clause(m, "fda-premarket", "control.authentication") == "gap"
    assert _clause(m, "fda-premarket", "control.updatability_patchability") == "gap"
    assert _clause(m, "cra-annex-i", "II.2") == "gap"


def test_a_negation_in_a_condition_denies_nothing() -> None:
    """'…fail open, so that workloads are admitted if the webhook is unavailable, or to fail closed' (the
    Kubernetes admission control model) says when the webhook acts; it is no denial of the control."""
    from mdptm.model.evidence import affirmed, void_control

    text = (
        "Webhooks in Kubernetes can be configured to either fail open, so that workloads are admitted if the webhook is "
        "unavailable, or to fail closed.\n\nCare should be taken before setting a webhook to fail closed, as it could prevent "
        "new workloads being deployed to the cluster if it is unavailable."
    )
    assert not void_control("Webhook fails closed", text)
    assert affirmed("If the certificate is not valid, the connection is refused", ["certificate"]) == ["certificate"]
    assert affirmed("If encryption is not enabled, data is sent in plaintext", ["encryption"]) == []  # the plaintext still denies


def test_a_prohibition_title_is_a_safeguard() -> None:
    """'Ensure that bucket and objects are not world readable or world writable' (AWS timeshift) with no
    description is a control, not a void one; 'Secure boot: not supported' is void."""
    from mdptm.model.evidence import void_control

    assert not void_control("Ensure that bucket and objects are not world readable or world writable", "")
    assert not void_control("No default passwords", "")
    assert void_control("Secure boot: not supported", "")
    assert void_control("TBD", "")
