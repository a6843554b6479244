"""CRA Annex I part I 2(g) (data minimisation) asks for an inventory of the data the product processes. Any asset
satisfied it: an IT register's systems ("Firewall", "Employee Laptops", "VPN Gateway") counted as the data inventory.
Only data counts now: an asset of a data kind (PHI, PII, therapy data, configuration, credentials, keys, logs) or one
whose name says it is data ("Customer data-at-rest", "Billing Information", "Patient records")."""

from __future__ import annotations

import pytest

from mdptm.mapping.engine import map_model
from mdptm.model import Asset, Control, Document, Model, Product


def _clause(*assets: Asset) -> tuple[str, list[str], str]:
    c = Control(
        id="C-1",
        title="Data minimisation",
        category="confidentiality",
        status="implemented",
        description="The pump collects only the data its therapy needs.",
    )
    m = Model(product=Product(name="P", manufacturer="M"), document=Document(version="1"), assets=list(assets), controls=[c])
    cl = next(cl for fw in map_model(m).frameworks if fw.id == "cra-annex-i" for cl in fw.clauses if cl.id == "I.2.g")
    return cl.status, cl.evidence, cl.rationale


SYSTEMS = [
    Asset(id="firewall", name="Firewall"),
    Asset(id="laptops", name="Employee Laptops"),
    Asset(id="vpn", name="VPN Gateway"),
    Asset(id="m365", name="Microsoft 365"),
    Asset(id="fw", name="Pump firmware", kind="firmware"),
]


def test_an_inventory_of_systems_is_no_data_inventory() -> None:
    status, evidence, rationale = _clause(*SYSTEMS)
    assert status == "partial"
    assert not {a.id for a in SYSTEMS} & set(evidence)
    assert "C-1" in evidence
    assert rationale.startswith("Data inventory: no ")


@pytest.mark.parametrize(
    "asset",
    [
        Asset(id="a", name="Patient records", kind="phi"),
        Asset(id="a", name="Network credentials", kind="credential"),
        Asset(id="a", name="Audit trail", kind="log"),
        Asset(id="a", name="Customer data-at-rest"),
        Asset(id="a", name="Billing Information"),
    ],
)
def test_data_assets_make_the_inventory(asset: Asset) -> None:
    _, evidence, rationale = _clause(*SYSTEMS, asset)
    assert "a" in evidence
    assert rationale.startswith("Data inventory: 1 ")
    assert not {a.id for a in SYSTEMS} & set(evidence)
