"""The deployment guide states each ruled connection's encryption and authentication as the model does.

The firewall rules gave ends, protocol and port only: a network engineer writing them never read that the bedside
stream to the central station is unencrypted and unauthenticated, nor that the EMR interface relies on a source IP
allow-list (the station's address must be the one the EMR allows). Where the model is silent, "not stated"."""

from __future__ import annotations

from mdptm.documents.guides import build_guides
from mdptm.model import Element, Flow, TrustZone
from mdptm.render.docir import Table
from tests.documents.test_guides_readers import base, text_of

_ZONES = [
    TrustZone(id="zm", name="Monitoring VLAN", kind="network"),
    TrustZone(id="ze", name="Server VLAN", kind="network"),
    TrustZone(id="zh", name="Enterprise network", kind="network"),
]
_ELEMENTS = [
    Element(id="mon", name="Bedside monitor", kind="device", trust_zone="zm"),
    Element(id="cs", name="Central station", kind="software", trust_zone="ze"),
    Element(id="emr", name="Hospital EMR", kind="external_entity", trust_zone="zh"),
]
_FLOWS = [
    Flow(id="F-1", name="Waveforms and alarms", source="mon", target="cs", protocol="TCP", port="24105", initiator="mon",
         encryption="none (proprietary binary protocol)", authentication="none"),
    Flow(id="F-2", name="Numerics to EMR", source="cs", target="emr", protocol="HL7 v2 over MLLP", port="2575", initiator="cs",
         encryption="none", authentication="source IP allow-list"),
    Flow(id="F-3", name="Configuration push", source="cs", target="mon", protocol="TCP", port="24106", initiator="cs"),
]  # fmt: skip


def _security_rows() -> dict[str, list[str]]:
    doc = build_guides(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=_FLOWS))["deployment"]
    (table,) = [b for b in doc.blocks if isinstance(b, Table) and b.header[:3] == ["Flow", "Encryption", "Authentication"]]
    return {row[0].split()[0]: row for row in table.rows}


def test_each_ruled_flow_gives_its_encryption_and_authentication_as_the_model_states() -> None:
    rows = _security_rows()
    assert rows["F-1"][1:] == ["none (proprietary binary protocol)", "none"]
    assert rows["F-2"][1:] == ["none", "source IP allow-list"]
    assert rows["F-3"][1:] == ["not stated", "not stated"]
    assert set(rows) == {"F-1", "F-2", "F-3"}  # one row per ruled connection, not per segment


def test_the_table_is_introduced_as_what_the_model_states() -> None:
    text = text_of(build_guides(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=_FLOWS))["deployment"])
    assert "Encryption and authentication of these connections, as the threat model states them" in text
