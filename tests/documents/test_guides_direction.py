"""Who opens a connection, read from a flow's own words, follows what they say: "Connections are never initiated
by the cloud" makes the cloud the end that does not open it (it had become the opener, an inbound rule from
the internet); "No outbound connection" is no outbound statement; "server-initiated push is not used" says
nothing of who opens the flow."""

from __future__ import annotations

import pytest

from mdptm.documents import netplan
from mdptm.documents.guides import Facts, build_guides
from mdptm.model import Element, Flow, TrustZone
from tests.documents.test_guides_readers import base, firewall_rows, text_of


def _model(name: str, description: str):  # type: ignore[no-untyped-def]
    return base(
        trust_zones=[TrustZone(id="Zc", name="Maker cloud", kind="cloud"), TrustZone(id="Zh", name="Clinical VLAN", kind="network")],
        elements=[
            Element(id="gw", name="Gateway", kind="software", trust_zone="Zh"),
            Element(id="cl", name="Cloud service", kind="cloud_service", trust_zone="Zc"),
        ],
        flows=[Flow(id="F-1", name=name, source="cl", target="gw", protocol="HTTPS", port="443/tcp", description=description)],
    )


@pytest.mark.parametrize(
    ("description", "opener", "basis"),
    [
        ("Connections are never initiated by the cloud.", "gw", "text"),
        ("Not initiated by the cloud service; the gateway connects.", "gw", "text"),
        ("The gateway is not cloud-initiated.", "gw", "text"),
        ("Cannot be initiated by the cloud.", "gw", "text"),
        ("Initiated by the cloud.", "cl", "text"),  # unchanged: what is said is read
        ("No outbound connection from the hospital is needed.", "cl", "assumed"),  # says no outbound: nothing read
        ("Outbound from the hospital.", "gw", "text"),
    ],
)
def test_a_negated_statement_of_who_opens_is_read_as_negated(description: str, opener: str, basis: str) -> None:
    plan = netplan.build(Facts.of(_model("Status", description)))
    assert (plan.opener["F-1"].element, plan.opener["F-1"].basis) == (opener, basis)


def test_a_way_the_model_says_is_not_used_decides_nothing() -> None:
    m = _model("Status", "Gateway-initiated push is not used.")
    assert netplan.build(Facts.of(m)).opener["F-1"].basis == "assumed"


def test_never_initiated_by_the_cloud_writes_no_inbound_rule_from_the_internet() -> None:
    rows = firewall_rows(build_guides(_model("Status", "Connections are never initiated by the cloud."))["deployment"])
    assert rows and all(r[0] == "out" and r[1] == "Gateway" for r in rows), rows


@pytest.mark.parametrize(
    ("statement", "design"),
    [
        ("All connections are outbound-only from the hospital.", True),
        ("The cloud cannot initiate connections to the device.", True),
        ("No inbound connections from the internet are accepted.", True),
        # the opposite design, or none: never "opened from the hospital only"
        ("The device never initiates connections; the cloud pushes commands.", False),
        ("The pump cannot initiate connections to the cloud.", False),
        ("The design is not outbound-only: the cloud connects to the gateway.", False),
        ("Outbound-only connections are not enforced.", False),
    ],
)
def test_an_outbound_only_design_is_read_as_stated(statement: str, design: bool) -> None:
    from mdptm.model import Control
    from mdptm.model.topology import outbound_only_design

    m = _model("Status", "")
    m.controls = [Control(id="C-1", title="Connectivity", description=statement, responsibility="manufacturer", status="implemented")]
    assert (outbound_only_design(m) == "C-1") == design
    rows = firewall_rows(build_guides(m)["deployment"])
    # drawn from the cloud with nothing else said: the design alone has the gateway open it
    assert all(r[0] == "out" for r in rows if r[1] == "Gateway") == design, rows


def test_a_download_from_outside_is_not_data_leaving_the_hospital() -> None:
    """The sample's firmware download and service certificate issuance are drawn from the maker's cloud into the
    hospital; the pre-procurement guide said "3 of 18 data flows leave the hospital", counting them."""
    m = _model("Firmware download", "")
    text = text_of(build_guides(m)["pre-procurement"])
    assert "| Data flows | 1; 1 come in from outside the hospital;" in text
    assert "1 of 1 data flows come in from outside the hospital; none is drawn leaving it." in text
    assert "leave the hospital" not in text


@pytest.mark.parametrize(
    ("name", "client"),
    [
        ("Vantage Clinician app (hospital tablet)", True),
        ("Browser Client", True),
        ("DICOM client", True),
        ("Web browser", True),
        ("App server", False),  # "app" names what the server serves: it accepts connections
        ("App API", False),
    ],
)
def test_a_client_is_named_by_the_head_of_its_name(name: str, client: bool) -> None:
    m = base(
        elements=[Element(id="x", name="Gateway", kind="software"), Element(id="y", name=name, kind="software")],
        flows=[Flow(id="F-1", name="Data", source="x", target="y", protocol="HTTPS", port="443/tcp")],
    )
    o = netplan.build(Facts.of(m)).opener["F-1"]
    assert (o.element, o.basis) == (("y", "kind") if client else ("x", "assumed"))
