"""An outbound-only design the model lists as a control not in place ("planned", "not implemented").

The sample's C-34 "Outbound-only connections to the maker; no cloud command channel" decides who opens every
connection to the maker's cloud, and the guide says so above the rules. The same control marked planned was read the
same way: "Connections to the device maker's systems are opened from the hospital only (C-9)", and a push drawn from
the cloud got an unmarked outbound rule, for a design the device a hospital installs now does not have."""

from __future__ import annotations

import pytest

from mdptm.documents.guides import build_guides
from mdptm.model import Control, Element, Flow, TrustZone
from tests.documents.test_guides_readers import base, firewall_rows, text_of

_ZONES = [TrustZone(id="zh", name="Clinical VLAN", kind="network"), TrustZone(id="zc", name="Maker cloud", kind="cloud")]
_ELEMENTS = [
    Element(id="srv", name="Fleet server", kind="software", trust_zone="zh"),
    Element(id="cloud", name="Maker update service", kind="cloud_service", trust_zone="zc"),
]
_FLOW = Flow(id="F-1", name="Remote configuration", source="cloud", target="srv", protocol="HTTPS", port="443")


def _doc(status: str, verification_failed: str | None = None):  # type: ignore[no-untyped-def]
    control = Control(
        id="C-9",
        title="Outbound-only connections to the maker; no cloud command channel",
        status=status,  # type: ignore[arg-type]
        description="The hospital opens only outbound HTTPS to the maker.",
        verification_failed=verification_failed,
    )
    return build_guides(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[_FLOW], controls=[control]))["deployment"]


def test_an_implemented_outbound_only_design_decides_the_opener() -> None:
    doc = _doc("implemented")
    assert ("out", "Fleet server") in {(r[0], r[1]) for r in firewall_rows(doc)}
    assert "opened from the hospital only (C-9)" in text_of(doc)


@pytest.mark.parametrize(("status", "failed"), [("planned", None), ("not_implemented", None), ("implemented", "PT-12: fail")])
def test_an_outbound_only_design_not_in_place_decides_nothing(status: str, failed: str | None) -> None:
    doc = _doc(status, failed)
    assert "opened from the hospital only" not in text_of(doc)
    assert all(r[5].endswith("*") for r in firewall_rows(doc))  # assumed, and asked
