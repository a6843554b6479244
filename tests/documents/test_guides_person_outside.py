"""The maker's service engineer, a person the model places in the maker's zone, drawn reaching the console over RDP:
the deployment guide said the hospital decides from which of its workstations the engineer may reach the console and
writes the rule for those workstations' segment, and asked whether it was from "a hospital workstation, a phone, the
device's own screen". The engineer is outside the hospital: what matters is which system the session comes from and
which end opens it."""

from __future__ import annotations

from mdptm.documents.guides import build_guides
from mdptm.model import Element, Flow, TrustZone
from tests.documents.test_guides_readers import base, firewall_rows, text_of

_ZONES = [TrustZone(id="zm", name="Modality VLAN", kind="network"), TrustZone(id="zv", name="Maker support", kind="vendor")]


def _text(person_zone: str) -> tuple[str, list[list[str]]]:
    elements = [
        Element(id="con", name="Console", kind="device", trust_zone="zm"),
        Element(id="eng", name="Service engineer", kind="external_entity", trust_zone=person_zone),
    ]
    flows = [Flow(id="F-2", name="Remote desktop", source="eng", target="con", protocol="RDP", port="3389")]
    doc = build_guides(base(trust_zones=_ZONES, elements=elements, flows=flows))["deployment"]
    return text_of(doc), firewall_rows(doc)


def test_a_person_outside_the_hospital_is_not_at_a_hospital_workstation() -> None:
    text, rows = _text("zv")
    assert not rows
    assert "the hospital decides from which workstations" not in text
    assert "Service engineer is a person the model places outside the hospital; it does not say from which system" in text
    assert (
        "F-2 Remote desktop: Service engineer is a person outside the hospital; from which system does the session reach "
        "Console, over RDP (a system of the device maker's, a relay Console connects to), and which end opens the "
        "connection? An inbound rule from the internet is needed only if the outside end opens it."
    ) in text


def test_a_person_in_the_hospital_keeps_the_workstation_reading() -> None:
    text, _rows = _text("zm")
    assert "the hospital decides from which workstations or devices Service engineer may reach Console" in text
