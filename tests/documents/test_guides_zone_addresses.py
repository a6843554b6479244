"""Host names and addresses the model gives for a system outside the hospital: one written only in its trust zone's
description ("Maker remote service platform at rs.maker-imaging.com") was not given to the zone's system, and the
guide asked for it; an address ending a sentence ("… at 203.0.113.0/28.") was lost or cut to its network address."""

from __future__ import annotations

from mdptm.documents.guides import build_guides
from mdptm.model import Element, Flow, TrustZone
from tests.documents.test_guides_readers import base, firewall_rows, text_of


def _model(zone_description: str, alone: bool = True, flow_description: str | None = None) -> object:
    zones = [
        TrustZone(id="zm", name="Modality VLAN", kind="network"),
        TrustZone(id="zv", name="Maker service cloud", kind="vendor", description=zone_description),
    ]
    elements = [
        Element(id="con", name="Console", kind="device", trust_zone="zm"),
        Element(id="rs", name="Remote service", kind="cloud_service", trust_zone="zv"),
    ]
    if not alone:
        elements.append(Element(id="lic", name="Licence server", kind="cloud_service", trust_zone="zv"))
    flows = [
        Flow(
            id="F-09",
            name="Log upload",
            source="con",
            target="rs",
            protocol="HTTPS",
            port="443",
            initiator="con",
            **({"description": flow_description} if flow_description else {}),
        )
    ]
    return base(trust_zones=zones, elements=elements, flows=flows)


def _other_end(doc: object) -> str:
    return next(r[2] for r in firewall_rows(doc) if r[-1].startswith("F-09"))  # type: ignore[arg-type]


def test_a_zone_address_is_its_only_system_s() -> None:
    doc = build_guides(_model("Maker remote service platform at rs.maker-imaging.com."))["deployment"]  # type: ignore[arg-type]
    assert _other_end(doc) == "Remote service (rs.maker-imaging.com; Maker service cloud, internet)"
    assert "Which host names or addresses does Remote service use" not in text_of(doc)


def test_a_zone_address_beside_other_systems_is_not_said_to_be_its() -> None:
    doc = build_guides(_model("Maker remote service platform at rs.maker-imaging.com.", alone=False))["deployment"]  # type: ignore[arg-type]
    assert "rs.maker-imaging.com given for its zone Maker service cloud, not for it alone" in _other_end(doc)
    assert (
        "Which host names or addresses does Remote service use (F-09)? The model gives rs.maker-imaging.com for its zone "
        "Maker service cloud, which holds Licence server too, not for Remote service alone: which of them are its own?"
    ) in text_of(doc)


def test_an_address_ending_a_sentence_is_read_whole() -> None:
    doc = build_guides(_model("Hosted by the maker.", flow_description="Sent to 203.0.113.0/28."))["deployment"]  # type: ignore[arg-type]
    assert _other_end(doc).startswith("Remote service (203.0.113.0/28;")
    doc = build_guides(_model("Hosted by the maker.", flow_description="Sent to 198.51.100.7."))["deployment"]  # type: ignore[arg-type]
    assert _other_end(doc).startswith("Remote service (198.51.100.7;")
