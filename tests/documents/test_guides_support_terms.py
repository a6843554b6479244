"""The pre-procurement guide's support table said "Data disposal: not stated" for a model whose assets give their
disposal steps ("The console's SSD is removed and returned for shredding"), and its open points then said "no support
term unstated" where the security contact or data disposal was not stated at all."""

from __future__ import annotations

from mdptm.documents.guides import build_guides
from mdptm.model import Asset, Element, Support, TrustZone
from tests.documents.test_guides_readers import base, text_of

_ZONES = [TrustZone(id="zm", name="Modality VLAN", kind="network")]
_ELEMENTS = [Element(id="con", name="Console", kind="device", trust_zone="zm")]
_SUPPORT = {
    "end_of_support": "2032-12-31",
    "patch_policy": "Monthly.",
    "vulnerability_disclosure": "psirt@maker.com",
    "sbom": "On request.",
}


def test_asset_disposal_steps_are_said_where_no_support_term_is() -> None:
    assets = [Asset(id="A-1", name="MR images", kind="phi", stored_in=["con"], disposal="The SSD is returned for shredding.")]
    m = base(trust_zones=_ZONES, elements=_ELEMENTS, assets=assets, support=Support(contact="Service desk", **_SUPPORT))
    text = text_of(build_guides(m)["pre-procurement"])
    assert (
        "| Data disposal | Not stated as a support term; the threat model gives disposal steps for MR images (see the "
        "decommissioning guide). |"
    ) in text


def test_a_missing_contact_or_disposal_is_an_open_point() -> None:
    assets = [Asset(id="A-1", name="MR images", kind="phi", stored_in=["con"])]
    m = base(trust_zones=_ZONES, elements=_ELEMENTS, assets=assets, support=Support(**_SUPPORT))
    text = text_of(build_guides(m)["pre-procurement"])
    assert "no support term unstated" not in text
    assert "Not stated: security contact, data disposal." in text
