"""The canonical model: round trips, stable serialisation, schema."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mdptm.model import STRIDE_ORDER, Control, Element, Flow, Model, Risk, Source, Threat, provenance
from mdptm.model.io import dumps, load, save
from mdptm.model.schema import model_schema

text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
ident = st.from_regex(r"[A-Z]{1,3}-[0-9]{1,4}", fullmatch=True)


@st.composite
def models(draw: st.DrawFn) -> Model:
    m = Model.empty()
    m.product.name = draw(text.filter(str.strip))
    m.product.manufacturer = draw(text.filter(str.strip))
    ids = draw(st.lists(ident, min_size=2, max_size=8, unique=True))
    e_ids, rest = ids[:2], ids[2:]
    for i in e_ids:
        m.elements.append(Element(id=i, name=draw(text), description=draw(text), tags=draw(st.lists(text, max_size=3))))
    m.flows.append(Flow(id="F-X", source=e_ids[0], target=e_ids[1], encryption=draw(st.none() | text), provenance=Source(file="a")))
    for i in rest:
        m.threats.append(
            Threat(
                id=i,
                title=draw(text),
                stride=draw(st.lists(st.sampled_from(STRIDE_ORDER), unique=True)),
                targets=[e_ids[0], "F-X"],
                risk=draw(st.none() | st.builds(Risk, likelihood=st.none() | text, score=st.none() | st.floats(0, 25))),
                extra=draw(st.dictionaries(text, text | st.integers(), max_size=3)),
            )
        )
    m.controls.append(Control(id="C-X", title=draw(text), verification=draw(st.lists(text, max_size=2))))
    return m


@settings(max_examples=60, deadline=None)
@given(models())
def test_json_and_yaml_round_trip_identically(model: Model) -> None:
    as_json = json.loads(dumps(model, "json"))
    as_yaml = yaml.safe_load(dumps(model, "yaml"))
    assert as_json == as_yaml
    again = Model.model_validate(as_json)
    assert again == model
    assert dumps(again, "json") == dumps(model, "json")


def test_save_load_keeps_key_order_and_provenance(tmp_path: Path) -> None:
    m = Model.empty()
    m.elements.append(Element(id="E1", name="Pump", source=Source(file="x.docx", locator="table 1 row 2")))
    m.elements.append(Element(id="E2", name="Server"))
    m.flows.append(Flow(id="F1", source="E1", target="E2", provenance=Source(file="x.docx")))
    for suffix in (".json", ".yaml"):
        path = tmp_path / f"m{suffix}"
        save(m, path)
        loaded = load(path)
        assert loaded == m
        assert provenance(loaded.flows[0]) == Source(file="x.docx")
    keys = list(json.loads((tmp_path / "m.json").read_text()).keys())
    assert keys[:3] == ["schema", "product", "document"]
    assert keys[-3:] == ["support", "risk_management", "dependencies"]


def test_schema_lists_every_top_level_key() -> None:
    schema = model_schema()
    props = schema["properties"]
    for key in (
        "schema",
        "product",
        "document",
        "elements",
        "trust_zones",
        "flows",
        "assets",
        "views",
        "threats",
        "controls",
        "assumptions",
        "out_of_scope",
        "support",
    ):
        assert key in props
    assert schema["additionalProperties"] is False
    stride = schema["$defs"]["Threat"]["properties"]["stride"]["items"]["enum"]
    assert set(stride) == set(STRIDE_ORDER)


def test_unknown_keys_are_refused() -> None:
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Element.model_validate({"id": "E1", "name": "x", "colour": "red"})
