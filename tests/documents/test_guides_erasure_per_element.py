"""The decommissioning guide's "how to erase it" is said of an element only where the model says it of that
element: a rule that names no element ("Erased by the Decommission function", a pump's function) was
printed as the way to erase the same data in the server's database, and a cloud log service got the pump's
sentence of a two-place rule because "log" is in its name."""

from __future__ import annotations

from mdptm.documents.guides import build_guides
from mdptm.model import Asset, Element, TrustZone
from mdptm.render.docir import Table
from tests.documents.test_guides_readers import base, text_of


def _rows() -> dict[str, str]:
    m = base(
        trust_zones=[
            TrustZone(id="Z-dev", name="Pump enclosure", kind="on_body"),
            TrustZone(id="Z-net", name="Clinical VLAN", kind="network"),
            TrustZone(id="Z-cloud", name="Maker cloud", kind="cloud"),
        ],
        elements=[
            Element(id="E-pump", name="Infusion pump", kind="device", trust_zone="Z-dev"),
            Element(id="E-db", name="Connect database", kind="data_store", trust_zone="Z-net"),
            Element(id="E-logs", name="Fleet log service", kind="external_entity", trust_zone="Z-cloud"),
        ],
        assets=[
            Asset(
                id="A-ther",
                name="Therapy data",
                kind="therapy_data",
                stored_in=["E-pump", "E-db"],
                disposal="Erased by the Decommission function.",
            ),
            Asset(
                id="A-log",
                name="Event logs",
                kind="log",
                stored_in=["E-pump", "E-logs"],
                disposal="Pump logs are erased by Decommission. Cloud copies are deleted after 24 months.",
            ),
        ],
    )
    doc = build_guides(m)["decommissioning"]
    (table,) = [b for b in doc.blocks if isinstance(b, Table) and b.header[-1] == "How to erase it"]
    return {r[0]: r[-1] for r in table.rows}


def test_a_rule_naming_no_element_is_not_said_of_each_element() -> None:
    rows = _rows()
    expected = "the model's rule for this data, not said to be for Connect database: “Erased by the Decommission function”"
    assert rows["Connect database"] == expected


def test_each_place_of_a_two_place_rule_goes_to_its_element() -> None:
    rows = _rows()
    assert rows["Fleet log service"] == "Cloud copies are deleted after 24 months."
    assert "Event logs: Pump logs are erased by Decommission." in rows["Infusion pump"]


def _erase(stored_in: list[str], disposal: str) -> dict[str, str]:
    m = base(
        trust_zones=[
            TrustZone(id="Z-dev", name="Pump enclosure", kind="physical"),
            TrustZone(id="Z-bench", name="Biomed bench", kind="physical"),
        ],
        elements=[
            Element(id="E-pump", name="Infusion pump", kind="device", trust_zone="Z-dev"),
            Element(id="E-comms", name="Communication module", kind="hardware", trust_zone="Z-dev"),
            Element(id="E-tool", name="Biomed service tool", kind="software", trust_zone="Z-bench"),
        ],
        assets=[Asset(id="A-1", name="Service credentials", kind="credential", stored_in=stored_in, disposal=disposal)],
    )
    doc = build_guides(m)["decommissioning"]
    (table,) = [b for b in doc.blocks if isinstance(b, Table) and b.header[-1] == "How to erase it"]
    return {r[0]: r[-1] for r in table.rows}


def test_a_rule_for_data_kept_in_one_place_is_given_whole() -> None:
    """The sample's Wi-Fi credentials are kept in the communication module alone; the row kept the sentences
    naming the pump and dropped "the hospital then revokes the certificate in its PKI", a step of the erasure."""
    rule = (
        "Decommission erases the pump certificate and the Wi-Fi profile; the hospital then revokes the certificate "
        "in its PKI. Research found credentials still readable on second-hand pumps sold without this step."
    )
    assert _erase(["E-comms"], rule)["Communication module"] == rule


def test_a_part_naming_no_other_place_stays_with_the_element_its_rule_names() -> None:
    """The sample's service credentials (tool and pump): the tool's row kept only "the biomed service code is
    changed when staff leave" and lost "Service certificates expire after 8 hours", which names no place."""
    rows = _erase(
        ["E-tool", "E-pump"],
        "Service certificates expire after 8 hours; the biomed service code is changed when staff leave.",
    )
    assert rows["Biomed service tool"] == "Service certificates expire after 8 hours; the biomed service code is changed when staff leave."
    assert rows["Infusion pump"].startswith("the model's rule for this data, not said to be for Infusion pump")
    two = _erase(["E-tool", "E-pump"], "Pump: reset by Decommission. Biomed tool: delete the profile. Both need a sanitisation record.")
    assert two["Biomed service tool"] == "Biomed tool: delete the profile. Both need a sanitisation record."
    assert two["Infusion pump"] == "Pump: reset by Decommission. Both need a sanitisation record."


def test_an_element_on_a_bench_is_in_the_hospital_not_on_its_network() -> None:
    """The sample's biomed service tool sits in "Biomed service bench", a room: the deployment guide asks which
    network it uses, and the decommissioning guide had placed it on the "hospital network"."""
    m = base(
        trust_zones=[TrustZone(id="Z-bench", name="Biomed service bench", kind="physical")],
        elements=[Element(id="E-tool", name="Biomed service tool", kind="software", trust_zone="Z-bench")],
        assets=[Asset(id="A-1", name="Service credentials", kind="credential", stored_in=["E-tool"], disposal="Expire after 8 hours.")],
    )
    doc = build_guides(m)["decommissioning"]
    (table,) = [b for b in doc.blocks if isinstance(b, Table) and b.header[-1] == "How to erase it"]
    assert [r[:2] for r in table.rows] == [["Biomed service tool", "in the hospital"]]


def test_a_part_with_no_data_named_is_not_said_to_hold_none() -> None:
    """The sample's Vantage Connect server has no asset of its own (its database has): "Data on every element"
    gave it no row, and said nothing of it."""
    m = base(
        trust_zones=[TrustZone(id="Z-net", name="Clinical VLAN", kind="network")],
        elements=[
            Element(id="E-srv", name="Connect server", kind="software", trust_zone="Z-net"),
            Element(id="E-db", name="Connect database", kind="data_store", trust_zone="Z-net"),
            Element(id="E-emr", name="Hospital EMR", kind="external_entity", trust_zone="Z-net"),
        ],
        assets=[Asset(id="A-1", name="Patient data", kind="phi", stored_in=["E-db"], disposal="Delete the database.")],
    )
    text = text_of(build_guides(m)["decommissioning"])
    assert "The threat model names no data kept on Connect server: it does not say that it keeps none." in text
    assert "Hospital EMR" not in text  # the hospital's own system is not the device's to retire


def _erase_rows(product: str, elements: list[Element], stored_in: list[str], disposal: str) -> dict[str, str]:
    from mdptm.model import Document, Model, Product

    m = Model(
        product=Product(name=product, manufacturer="Maker"),
        document=Document(version="1.0"),
        trust_zones=[
            TrustZone(id="Z-net", name="Clinical VLAN", kind="network"),
            TrustZone(id="Z-cloud", name="Maker cloud", kind="cloud"),
        ],
        elements=elements,
        assets=[Asset(id="A-ev", name="Infusion events", kind="therapy_data", stored_in=stored_in, disposal=disposal)],
    )
    doc = build_guides(m)["decommissioning"]
    return {row[0]: row[-1] for b in doc.blocks if isinstance(b, Table) and b.header[0] == "Element" for row in b.rows}


def test_a_product_word_only_one_element_bears_names_that_element() -> None:
    """Product "Nimbus Smart Pump", element "Pump": "On the pump: …" was not said to be the pump's (every word of its
    name is the product's), and the pump's step was printed as the way to erase the server's and the cloud's copies."""
    rows = _erase_rows(
        "Nimbus Smart Pump",
        [
            Element(id="E-pump", name="Pump", kind="device", trust_zone="Z-net"),
            Element(id="E-dls", name="Drug library server", kind="software", trust_zone="Z-net"),
            Element(id="E-nc", name="Nimbus analytics", kind="cloud_service", trust_zone="Z-cloud"),
        ],
        ["E-pump", "E-dls", "E-nc"],
        "On the pump: Settings > Service > Erase logs. On the server: delete the event database. "
        "Nimbus deletes cloud data 90 days after contract end.",
    )
    assert rows["Pump"] == "On the pump: Settings > Service > Erase logs."
    assert rows["Drug library server"] == "On the server: delete the event database."
    assert rows["Nimbus analytics"] == "Nimbus deletes cloud data 90 days after contract end."


def test_a_product_word_several_elements_bear_names_none_of_them() -> None:
    """The word "Vantage" is in the product's name and in two elements': "Vantage deletes …" is not the server's alone."""
    rows = _erase_rows(
        "Vantage Infusion System",
        [
            Element(id="E-pump", name="Vantage pump", kind="device", trust_zone="Z-net"),
            Element(id="E-srv", name="Vantage Connect server", kind="software", trust_zone="Z-net"),
        ],
        ["E-pump", "E-srv"],
        "Vantage deletes them on request.",
    )
    assert rows["Vantage Connect server"].startswith("the model's rule for this data, not said to be for Vantage Connect server")


def test_a_mobile_app_is_named_by_app() -> None:
    rows = _erase_rows(
        "PulseBand",
        [
            Element(id="E-patch", name="ECG patch", kind="device", trust_zone="Z-net"),
            Element(id="E-app", name="PulseBand app", kind="mobile_app", trust_zone="Z-cloud"),
        ],
        ["E-patch", "E-app"],
        "The patch is returned in the prepaid envelope; the app deletes recordings after upload.",
    )
    assert rows["ECG patch"] == "The patch is returned in the prepaid envelope."  # not cut at its semicolon
    assert rows["PulseBand app"] == "the app deletes recordings after upload."
