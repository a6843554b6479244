"""CRA I.2.i asks for the connections to other systems. A person (a Threat Dragon actor "User", an external
entity named as one) is not a connection to another system: the rule selects external entities that are
not persons (``person: false``), so a model whose only external entity is its user shows no connection."""

from __future__ import annotations

import pytest

from mdptm.errors import InputError
from mdptm.mapping.engine import evaluate_framework, framework_from_data, map_model
from mdptm.model import Document, Element, Flow, Model, Product
from mdptm.pipeline.importing import ImportSource, import_sources
from tests.conftest import CORPUS

CORPUS_TD = CORPUS / "threatdragon" / "td-v2-iot-device.json"


def _i2i(m: Model) -> tuple[str, list[str], str]:
    cov = map_model(m)
    c = next(c for fw in cov.frameworks if fw.id == "cra-annex-i" for c in fw.clauses if c.id == "I.2.i")
    return c.status, c.evidence, c.rationale


def _model(*elements: Element) -> Model:
    return Model(
        product=Product(name="P", manufacturer="M"),
        document=Document(version="1.0"),
        elements=[Element(id="app", name="Pump app", kind="process"), *elements],
        flows=[Flow(id=f"F{i}", source=e.id, target="app", protocol="HTTPS") for i, e in enumerate(elements)],
    )


def test_a_person_is_not_a_connection_to_another_system() -> None:
    status, evidence, rationale = _i2i(_model(Element(id="user", name="User", kind="external_entity")))
    assert "user" not in evidence
    assert status == "gap"
    wanted = "Connections to other systems identified: no network, external entity, cloud service or mobile app elements that"
    assert wanted + " are not persons" in rationale


def test_a_system_outside_still_is() -> None:
    status, evidence, _ = _i2i(
        _model(
            Element(id="user", name="Clinician (nurse)", kind="external_entity"),
            Element(id="dir", name="User directory", kind="external_entity"),
        )
    )
    assert "dir" in evidence and "user" not in evidence
    assert status == "partial"  # the measures limiting impact are still missing


def _framework(evidence: dict[str, object]) -> dict[str, object]:
    clause = {"id": "1", "title": "persons", "summary": "s", "source": {"document": "d"}, "confidence": "verified", "evidence": evidence}
    return {"schema_version": 1, "id": "people", "title": "t", "version": "1", "source": {"document": "d"}, "clauses": [clause]}


def test_person_filter_in_a_framework_file() -> None:
    fw = framework_from_data(_framework({"elements": {"person": True}}), "people.yaml")
    m = _model(Element(id="user", name="User", kind="external_entity"), Element(id="dir", name="User directory", kind="external_entity"))
    res = evaluate_framework(m, fw)
    assert res.clauses[0].status == "covered" and res.clauses[0].evidence == ["user"]
    with pytest.raises(InputError, match="person"):  # only elements (and flows, by their ends) can be persons
        framework_from_data(_framework({"controls": {"person": True}}), "people.yaml")


@pytest.mark.skipif(not CORPUS_TD.exists(), reason="shared corpus not present")
def test_threat_dragon_iot_device_user_is_no_connection() -> None:
    m, _ = import_sources([ImportSource(CORPUS_TD)])
    status, evidence, _ = _i2i(m)
    assert "user" not in evidence
    assert status == "gap"


def test_one_system_reads_in_the_singular() -> None:
    _, _, rationale = _i2i(_model(Element(id="dir", name="User directory", kind="external_entity")))
    assert "mobile app element that is not a person (dir)" in rationale
