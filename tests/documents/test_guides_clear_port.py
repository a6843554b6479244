"""A flow "HTTP / HTTPS" on ports 80 and 443 whose encryption is stated as TLS 1.2 got rules for both ports and no
question: the stated encryption may be port 443's only, while port 80 carries the same data in clear."""

from __future__ import annotations

import pytest

from mdptm.documents.guides import build_guides
from mdptm.model import Element, Flow, TrustZone
from tests.documents.test_guides_readers import base, text_of

_ZONES = [TrustZone(id="zm", name="Modality VLAN", kind="network"), TrustZone(id="zh", name="Clinical network", kind="network")]
_ELEMENTS = [
    Element(id="con", name="Console", kind="device", trust_zone="zm"),
    Element(id="ws", name="Reading workstation", kind="external_entity", trust_zone="zh"),
]


def _viewer(protocol: str, port: str, encryption: str) -> Flow:
    return Flow(
        id="F-08", name="Web viewer", source="ws", target="con", protocol=protocol, port=port, encryption=encryption, initiator="ws"
    )


def test_a_clear_port_beside_a_stated_encryption_is_asked_about() -> None:
    text = text_of(
        build_guides(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[_viewer("HTTP / HTTPS", "80, 443", "TLS 1.2")]))["deployment"]
    )
    assert (
        "F-08 Web viewer: the model states its encryption (“TLS 1.2”) but also gives TCP 80, HTTP's port in clear by its "
        "standard: does TCP 80 carry data in clear, or does it carry none (unused, or only a redirect to an encrypted "
        "port)? Its rule is needed only if it is used."
    ) in text


@pytest.mark.parametrize(
    ("protocol", "port", "encryption"),
    [
        ("HTTPS", "443", "TLS 1.2"),  # no clear port
        ("HTTP / HTTPS", "80, 443", "none"),  # no encryption stated: the clear question is the protocol's own
        ("HTTPS", "80 (redirects to 443), 443", "TLS 1.2"),  # the model says 80 only redirects: no rule for it
        ("HTTP", "80", "TLS 1.2"),  # one port: the stated encryption is its own
    ],
)
def test_no_clear_port_question_where_the_model_answers_it(protocol: str, port: str, encryption: str) -> None:
    text = text_of(build_guides(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[_viewer(protocol, port, encryption)]))["deployment"])
    assert "port in clear by its standard: does" not in text


def test_a_clear_port_beside_an_encrypted_protocol_is_asked_about() -> None:
    """ "HTTPS" on "80,443" with no encryption stated: the protocol claims TLS, port 80 is HTTP's in clear."""
    fl = Flow(id="F-08", name="Web viewer", source="ws", target="con", protocol="HTTPS", port="80,443", initiator="ws")
    text = text_of(build_guides(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[fl]))["deployment"])
    assert "F-08 Web viewer: the model names HTTPS, an encrypted protocol, but also gives TCP 80, HTTP's port in clear" in text
