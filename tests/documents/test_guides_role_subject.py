"""Whose role a sentence states, read by its subject.

An element's own description saying it accepts a flow ("acts as the TCP server", "listens on 2575") decides who opens
the connection. The reading skipped every sentence with a comma or "and" before the role, so "The interface engine,
hosted in the data centre, acts as the MLLP listener" left the rule without a direction; and it read a role said of
another system as the element's own ("The LIS listens on 2575" in the engine's description made the engine the
listener). A sentence saying that one end connects to the other ("The analyzer and the pump connect to the interface
engine") decides it too."""

from __future__ import annotations

import pytest

from mdptm.documents.guides import build_guides
from mdptm.model import Element, Flow, TrustZone
from tests.documents.test_guides_readers import base, firewall_rows

_LAB = [TrustZone(id="z1", name="Laboratory VLAN", kind="network"), TrustZone(id="z2", name="Server VLAN", kind="network")]


def _rows(engine_says: str = "", analyzer_says: str = "", protocol: str = "HL7 over MLLP", port: str = "2575") -> set[tuple[str, str]]:
    elements = [
        Element(id="an", name="Chemistry analyzer", kind="device", trust_zone="z1", description=analyzer_says),
        Element(id="ie", name="Interface engine", kind="software", trust_zone="z2", description=engine_says),
    ]
    flow = Flow(id="F-1", name="Results", source="an", target="ie", protocol=protocol, port=port)
    return {(r[0], r[1]) for r in firewall_rows(build_guides(base(trust_zones=_LAB, elements=elements, flows=[flow]))["deployment"])}


_ENGINE_ACCEPTS = {("out", "Chemistry analyzer"), ("in", "Interface engine")}
_ANALYZER_ACCEPTS = {("in", "Chemistry analyzer"), ("out", "Interface engine")}


@pytest.mark.parametrize(
    "said",
    [
        "The interface engine, hosted in the data centre, acts as the MLLP listener for results.",
        "For laboratory results, the engine acts as the TCP server.",
        "Results arrive from each analyzer, and the interface engine operates as the MLLP listener.",
        "The engine, which listens on TCP 2575, is the hub of the laboratory interfaces.",
        "Receives ADT and results and listens on port 2575.",
        "The analyzer and the pump connect to the interface engine on TCP 2575.",
    ],
)
def test_a_role_said_of_the_element_itself_is_read_past_a_comma_or_and(said: str) -> None:
    assert _rows(engine_says=said) == _ENGINE_ACCEPTS


@pytest.mark.parametrize(
    "said",
    [
        "The LIS listens on TCP 2575 for orders.",  # another system, not this end
        "The analyzer listens on port 2575.",  # the other end, said in this end's description
        "Results go to the LIS, which acts as the TCP server.",  # "which" is the LIS
        "It is the MLLP client and the LIS acts as the TCP server.",
        "The LIS and the middleware connect to the engine's web console on port 8080.",  # another connection
    ],
)
def test_a_role_said_of_another_system_decides_nothing(said: str) -> None:
    assert {d for d, _ in _rows(engine_says=said)} == {"?"}


def test_the_other_end_saying_the_element_accepts_is_read_from_its_own_description() -> None:
    """The analyzer's description: "The analyzer and the pump connect to the interface engine": the analyzer opens."""
    assert _rows(analyzer_says="The analyzer and the infusion pump connect to the interface engine.") == _ENGINE_ACCEPTS
    assert _rows(analyzer_says="The interface engine connects to the analyzer, which listens on 2575.") == _ANALYZER_ACCEPTS


def test_a_denied_connection_decides_nothing() -> None:
    assert {d for d, _ in _rows(engine_says="The analyzer and the pump never connect to the interface engine directly.")} == {"?"}


def test_a_word_that_may_name_another_system_is_not_read_as_the_element() -> None:
    """In the analyzer's description, "the server" is some other machine: the analyzer is not read as the listener."""
    assert {d for d, _ in _rows(analyzer_says="The server listens on TCP 2575.")} == {"?"}


# the same readings in a flow's own description: a drawn push from the gateway to the pump, said otherwise in words
_GW = [TrustZone(id="z1", name="Clinical VLAN", kind="network"), TrustZone(id="z2", name="Server VLAN", kind="network")]


@pytest.mark.parametrize(
    "said",
    [
        "Pumps connect to the gateway over TLS.",
        "The infusion pump and the patient monitor connect to the gateway.",
        "The monitor and the pump connect to the gateway.",
        "The gateway, which listens on 443, is the server for the pumps.",
        "The gateway, hosted by the hospital, is the server.",
    ],
)
def test_a_flow_saying_the_pump_connects_or_the_gateway_serves_is_opened_by_the_pump(said: str) -> None:
    elements = [
        Element(id="p", name="Infusion pump", kind="device", trust_zone="z1"),
        Element(id="g", name="Gateway", kind="software", trust_zone="z2"),
    ]
    flow = Flow(id="F-1", name="Orders", source="g", target="p", protocol="HTTPS", port="443", description=said)
    rows = firewall_rows(build_guides(base(trust_zones=_GW, elements=elements, flows=[flow]))["deployment"])
    assert {(r[0], r[1]) for r in rows} == {("out", "Infusion pump"), ("in", "Gateway")}
    assert all("*" not in r[5] for r in rows)


def test_two_ends_connecting_to_a_third_system_say_nothing_of_this_flow() -> None:
    elements = [
        Element(id="p", name="Infusion pump", kind="device", trust_zone="z1"),
        Element(id="g", name="Gateway", kind="software", trust_zone="z2"),
    ]
    flow = Flow(id="F-1", name="Orders", source="g", target="p", protocol="HTTPS", port="443",
                description="The gateway and the pump connect to the hub.")  # fmt: skip
    rows = firewall_rows(build_guides(base(trust_zones=_GW, elements=elements, flows=[flow]))["deployment"])
    assert all(r[5].endswith("*") for r in rows)  # still assumed, and asked
