"""A discovery sent to the IPv6 all-nodes group ff02::1 between two segments was said to reach across "unless
relayed", beside the advice to relay it with a multicast router: a group of link-local scope (ff02::/16, 224.0.0.0/24)
is never forwarded by a multicast router, only repeated by a gateway."""

from __future__ import annotations

import pytest

from mdptm.documents.guides import build_guides
from mdptm.model import Element, Flow, TrustZone
from tests.documents.test_guides_readers import base, text_of

_ZONES = [TrustZone(id="za", name="Monitor VLAN", kind="network"), TrustZone(id="zb", name="Station VLAN", kind="network")]
_ELEMENTS = [
    Element(id="cs", name="Central station", kind="software", trust_zone="zb"),
    Element(id="bm", name="Bedside monitor", kind="device", trust_zone="za"),
]


def _text(protocol: str) -> str:
    fl = Flow(id="F-08", name="Monitor discovery", source="cs", target="bm", protocol=protocol, port="UDP 7100")
    return text_of(build_guides(base(trust_zones=_ZONES, elements=_ELEMENTS, flows=[fl]))["deployment"])


@pytest.mark.parametrize("group", ["ff02::1", "FF02::1:3", "224.0.0.251"])
def test_a_link_local_group_is_not_said_to_cross_a_router(group: str) -> None:
    text = _text(f"multicast ({group})")
    assert f"{group} is of link-local scope: no multicast router forwards it, only a gateway that repeats it" in text
    assert "it does not reach across unless repeated by such a gateway" in text


@pytest.mark.parametrize("group", ["239.1.2.3", "ff05::1:3", "ff0e::101"])
def test_a_wider_group_may_be_routed(group: str) -> None:
    text = _text(f"multicast ({group})")
    assert "link-local scope" not in text
    assert "it does not reach across unless relayed" in text
