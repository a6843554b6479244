"""Who opens a connection, said with "initiates", a modal or a negation in the active voice.

Only "opens", "establishes" and the passive "initiated by" were read. A configuration push drawn from the central
station to the monitor whose description says "The central station never initiates connections to the monitors" got
the rule the model denies ("out" from the station, assumed), and "The monitor initiates the connection" or "only the
monitor may open the connection" were not read at all."""

from __future__ import annotations

import pytest

from mdptm.documents.guides import build_guides
from mdptm.model import Element, Flow, TrustZone
from tests.documents.test_guides_readers import base, firewall_rows, text_of

_ZONES = [TrustZone(id="zb", name="Bedside VLAN", kind="network"), TrustZone(id="zm", name="Server VLAN", kind="network")]
_ELEMENTS = [
    Element(id="mon", name="Bedside monitor", kind="device", trust_zone="zb"),
    Element(id="cs", name="Central station", kind="software", trust_zone="zm"),
]


@pytest.mark.parametrize(
    "said",
    [
        "Alarm limits sent to monitors. The central station never initiates connections to the monitors.",
        "The central station cannot open a connection to a monitor.",
        "The central station does not initiate the connection.",
        "The monitor initiates the connection and fetches its alarm limits.",
        "Only the monitor may open the connection.",
    ],
)
def test_the_end_the_model_says_opens_gets_the_outbound_rule(said: str) -> None:
    flow = Flow(id="F-6", name="Configuration push", source="cs", target="mon", protocol="TCP", port="24106", description=said)
    doc = build_guides(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[flow]))["deployment"]
    assert {(r[0], r[1]) for r in firewall_rows(doc)} == {("out", "Bedside monitor"), ("in", "Central station")}
    assert "F-6 Configuration push: does" not in text_of(doc)  # not asked: the model says it


def test_a_negation_of_the_other_end_does_not_turn_it_around() -> None:
    flow = Flow(id="F-6", name="Status", source="mon", target="cs", protocol="TCP", port="24106",
                description="The monitor never initiates connections to the central station.")  # fmt: skip
    doc = build_guides(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[flow]))["deployment"]
    assert {(r[0], r[1]) for r in firewall_rows(doc)} == {("out", "Central station"), ("in", "Bedside monitor")}


def test_a_poller_named_without_an_article_opens_the_connection() -> None:
    """ "Monitor polls the central station every 30 s." (a register's terse style) was not read: the rule assumed the
    station, drawn as the source, opened it."""
    flow = Flow(id="F-6", name="Alarm limits", source="cs", target="mon", protocol="TCP", port="24106",
                description="Limits for the bed. Monitor polls the central station every 30 s.")  # fmt: skip
    doc = build_guides(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[flow]))["deployment"]
    assert {(r[0], r[1]) for r in firewall_rows(doc)} == {("out", "Bedside monitor"), ("in", "Central station")}
