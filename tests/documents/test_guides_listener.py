"""HL7 v2 over MLLP runs both ways between a central station and an interface engine, each direction on a
connection of its own: which end opens each is not fixed by the protocol, so the rules assumed the sender and asked.
Where the model says one end listens on the flow's port ("Listens for HL7 results on TCP 2575"), the other end opens
it; where it says nothing of the kind, the rule stays assumed and asked."""

from __future__ import annotations

import pytest

from mdptm.documents.guides import build_guides
from mdptm.model import Element, Flow, TrustZone
from tests.documents.test_guides_readers import base, firewall_rows, text_of

_ZONES = [TrustZone(id="zm", name="Monitoring VLAN", kind="network"), TrustZone(id="zc", name="Core servers", kind="network")]


def _model(engine: str = "", station: str = ""):  # type: ignore[no-untyped-def]
    return base(
        trust_zones=_ZONES,
        elements=[
            Element(id="cs", name="Central station", kind="software", trust_zone="zm", description=station),
            Element(id="ie", name="HL7 interface engine", kind="external_entity", trust_zone="zc", description=engine),
        ],
        flows=[
            Flow(id="F-03", name="Results (ORU)", source="cs", target="ie", protocol="HL7 v2.5 over MLLP", port="TCP 2575"),
            Flow(id="F-04", name="Admissions (ADT)", source="ie", target="cs", protocol="HL7 v2.5 over MLLP", port="TCP 2576"),
        ],
    )


def _out(rows: list[list[str]], fid: str) -> list[str]:
    (row,) = [r for r in rows if r[0] == "out" and r[-1].split()[0] == fid]
    return row


def test_a_listener_port_on_one_end_makes_the_other_end_the_opener() -> None:
    m = _model(
        engine="Receives results from the monitoring system. Listens for HL7 results on TCP 2575.",
        station="The ADT listener accepts connections on TCP 2576.",
    )
    docs = build_guides(m)
    rows = firewall_rows(docs["deployment"])
    assert _out(rows, "F-03")[1] == "Central station" and _out(rows, "F-03")[-1] == "F-03", rows
    assert _out(rows, "F-04")[1] == "HL7 interface engine" and _out(rows, "F-04")[-1] == "F-04", rows
    assert "which end opens the connection" not in text_of(docs["deployment"])


@pytest.mark.parametrize(
    "engine",
    [
        "",  # nothing said: stays assumed, and asked
        "Does not listen on TCP 2575.",  # negated
        "Listens for HL7 results on TCP 2580.",  # another port
        "Connects to the station, which listens on TCP 2575.",  # says another end listens
    ],
)
def test_without_a_listener_port_on_one_end_the_rule_stays_assumed(engine: str) -> None:
    """Not decided: HL7 over MLLP, which either end may open, then gets no direction ("?"), and is asked."""
    docs = build_guides(_model(engine=engine))
    rows = firewall_rows(docs["deployment"])
    assert {r[0] for r in rows if r[-1] == "F-03"} == {"?"}, rows
    assert "F-03 Results (ORU): which end opens the connection, and which listens on TCP 2575?" in text_of(docs["deployment"])


def test_both_ends_listening_on_the_port_decides_nothing() -> None:
    docs = build_guides(_model(engine="Listens on TCP 2575.", station="Listens on TCP 2575 too."))
    assert {r[0] for r in firewall_rows(docs["deployment"]) if r[-1] == "F-03"} == {"?"}
