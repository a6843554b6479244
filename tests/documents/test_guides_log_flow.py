"""A console's audit log kept on the console and on the hospital's syslog collector, with an "Audit log forwarding"
flow over syslog drawn between them that does not list the log among its data, was said to be carried by "no flow in
the model": the engineer read that the log is not forwarded, against the model's own flow."""

from __future__ import annotations

from mdptm.documents.guides import build_guides
from mdptm.model import Asset, Element, Flow, TrustZone
from tests.documents.test_guides_readers import base, text_of

_ZONES = [TrustZone(id="zm", name="Modality VLAN", kind="network"), TrustZone(id="zh", name="Clinical network", kind="network")]
_ELEMENTS = [
    Element(id="con", name="Console", kind="device", trust_zone="zm"),
    Element(id="log", name="Hospital syslog collector", kind="external_entity", trust_zone="zh"),
    Element(id="pacs", name="PACS", kind="external_entity", trust_zone="zh"),
]
_LOG = Asset(id="A-LOG", name="Audit log", kind="log", stored_in=["con", "log"])


def test_a_flow_between_two_places_keeping_a_log_is_named_as_one_that_may_carry_it() -> None:
    flows = [
        Flow(id="F-04", name="Audit log forwarding", source="con", target="log", protocol="Syslog", port="514/udp"),
        Flow(id="F-01", name="Image export", source="con", target="pacs", protocol="DICOM", port="104"),
    ]
    text = text_of(build_guides(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=flows, assets=[_LOG]))["operations"])
    assert (
        "| Audit log | Console, Hospital syslog collector | no flow lists it among its data; drawn between two places that "
        "keep it: F-04 Audit log forwarding to Hospital syslog collector (Syslog, UDP 514) (ask the device maker whether "
        "it carries it) |"
    ) in text
    assert "F-01" not in text.split("| Audit log |")[1].split("\n")[0]


def test_no_flow_between_its_places_is_still_said() -> None:
    flows = [Flow(id="F-01", name="Image export", source="con", target="pacs", protocol="DICOM", port="104")]
    text = text_of(build_guides(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=flows, assets=[_LOG]))["operations"])
    assert "| Audit log | Console, Hospital syslog collector | no flow in the model carries it |" in text
