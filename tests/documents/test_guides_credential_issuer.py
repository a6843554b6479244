"""Who issues a credential: the device maker named in a flow's description about something else ("Opened by
Sentinel's support centre into the hospital", "Aurora engineers connect to the console") made the flow's account
"issued by the device maker", and, grouped with the hospital's own users' passwords, theirs too: "Ask the device maker
to revoke it" for the radiologists' web viewer passwords."""

from __future__ import annotations

import pytest

from mdptm.documents.guides import build_guides
from mdptm.model import Document, Element, Flow, Model, Product, TrustZone
from tests.documents.test_guides_readers import text_of


def _text(flows: list[Flow]) -> str:
    m = Model(
        product=Product(name="Kit", manufacturer="Sentinel Medical Ltd."),
        document=Document(version="1.0"),
        trust_zones=[TrustZone(id="zh", name="Clinical VLAN", kind="network"), TrustZone(id="zv", name="Maker support", kind="vendor")],
        elements=[
            Element(id="cs", name="Central station", kind="software", trust_zone="zh"),
            Element(id="sup", name="Support centre", kind="cloud_service", trust_zone="zv"),
            Element(id="ws", name="Reading workstation", kind="external_entity", trust_zone="zh"),
        ],
        flows=flows,
    )
    return text_of(build_guides(m)["decommissioning"])


def test_the_maker_named_about_something_else_does_not_issue_the_account() -> None:
    text = _text(
        [
            Flow(
                id="F-05",
                name="Remote session",
                source="sup",
                target="cs",
                protocol="HTTPS",
                port="443",
                authentication="Shared service password",
                description="Opened by Sentinel's support centre when a case is logged.",
            ),
            Flow(
                id="F-08",
                name="Web viewer",
                source="ws",
                target="cs",
                protocol="HTTPS",
                port="443",
                authentication="user name and password",
            ),
        ]
    )
    assert "issued by the device maker" not in text
    assert "Ask the device maker to revoke it" not in text


@pytest.mark.parametrize(
    ("authentication", "description"),
    [("Sentinel service password", None), ("Service password", "Sentinel issues one password per site.")],
)
def test_the_maker_named_about_the_credential_issues_it(authentication: str, description: str | None) -> None:
    extra = {"description": description} if description else {}
    text = _text(
        [
            Flow(
                id="F-05",
                name="Remote session",
                source="sup",
                target="cs",
                protocol="HTTPS",
                port="443",
                authentication=authentication,
                **extra,
            )
        ]
    )
    assert "(issued by the device maker): used for F-05 Remote session. Ask the device maker to revoke it." in text


def test_credentials_of_one_kind_from_two_issuers_are_two_rows() -> None:
    """The maker's service password and the hospital's users' passwords were one row "issued by the hospital and the
    device maker", and decommissioning asked nobody, or the maker, to revoke the hospital's own accounts."""
    text = _text(
        [
            Flow(
                id="F-05",
                name="Remote session",
                source="sup",
                target="cs",
                protocol="HTTPS",
                port="443",
                authentication="Sentinel service password",
            ),
            Flow(
                id="F-08",
                name="Web viewer",
                source="ws",
                target="cs",
                protocol="HTTPS",
                port="443",
                authentication="User password, issued by the hospital",
            ),
        ]
    )
    assert "the hospital and the device maker" not in text
    assert "(issued by the device maker): used for F-05 Remote session. Ask the device maker to revoke it." in text
    assert "(issued by the hospital): used for F-08 Web viewer." in text


def test_a_credential_naming_no_issuer_joins_the_one_its_kind_names() -> None:
    """ "Mutual TLS (pump certificate)" beside "Mutual TLS (pump certificate from hospital PKI)" is the same certificate:
    one row, issued by the hospital."""
    text = _text(
        [
            Flow(
                id="F-02",
                name="Library",
                source="cs",
                target="ws",
                protocol="HTTPS",
                port="443",
                authentication="Mutual TLS (pump certificate from hospital PKI)",
            ),
            Flow(
                id="F-03",
                name="Events",
                source="ws",
                target="cs",
                protocol="HTTPS",
                port="443",
                authentication="Mutual TLS (pump certificate)",
            ),
        ]
    )
    assert "(issued by the hospital): used for F-02, F-03." in text
