"""``dumps`` writes JSON straight from the model; the text must be the plain path's, byte for byte."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mdptm.base.output import json_text
from mdptm.model import Element, Metrics, Model, Risk, RiskManagement, Source, Threat
from mdptm.model.io import _finite, _json_direct, dumps, model_to_data
from tests.conftest import SAMPLES


def plain(model: Model) -> str:
    """The definition: the JSON form dumped to Python data, then written."""
    return json_text(model_to_data(model))


text = st.text(max_size=20)  # surrogates included: neither writer can encode them
floats = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([1e-5, 1e-7, 0.00001, 1e16, -0.0, 2.5])
# the model's own float fields refuse NaN and infinity (JSON has no such number); an item's extra may hold them
model_floats = st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from([1e-5, 1e-7, 0.00001, 1e16, -0.0, 2.5])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | floats | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)


@st.composite
def models(draw: st.DrawFn) -> Model:
    m = Model.empty()
    m.product.name = draw(text)
    m.elements.append(Element(id="E-1", name=draw(text), extra=draw(st.dictionaries(text, json_values, max_size=3))))
    for i in range(draw(st.integers(0, 3))):
        m.threats.append(
            Threat(
                id=f"T-{i}",
                title=draw(text),
                targets=["E-1"],
                risk=draw(st.none() | st.builds(Risk, level=st.none() | st.just("high"), score=st.none() | model_floats)),
                cvss_score=draw(st.none() | model_floats),
                extra=draw(st.dictionaries(text, json_values, max_size=3)),
                source=Source(file=draw(text), locator="row 2"),
            )
        )
    if draw(st.booleans()):
        m.risk_management = RiskManagement(metrics=Metrics(days_to_patch=draw(st.none() | model_floats)))
    return m


@settings(max_examples=300, deadline=None)
@given(models())
def test_direct_json_is_the_plain_path_for_any_model(model: Model) -> None:
    try:
        expected = plain(model)
    except UnicodeEncodeError:  # neither writer encodes a lone surrogate: the same error either way
        with pytest.raises(UnicodeEncodeError):
            dumps(model)
        return
    assert dumps(model) == expected


def test_a_float_only_the_plain_path_writes_as_it_did_is_left_to_it() -> None:
    m = Model.empty()
    m.threats.append(Threat(id="T-1", title="t", extra={"score": math.inf}))  # a model field refuses it
    assert not _finite(m) and _json_direct(m) is None
    assert '"score": null' in dumps(m) and dumps(m) == plain(m)
    m.threats[0].risk = Risk(score=2.0)
    m.threats[0].extra = {"deep": [{"x": [math.nan]}]}
    assert _json_direct(m) is None and dumps(m) == plain(m)
    m.threats[0].extra = {"deep": [{"x": [1e-5]}]}  # pydantic-core writes 1e-5, the standard library 1e-05
    assert _json_direct(m) is None and "1e-05" in dumps(m) and dumps(m) == plain(m)
    m.threats[0].extra = {"deep": [{"x": [0.5]}]}
    assert _json_direct(m) == plain(m)


def test_direct_json_of_the_imported_sample() -> None:
    from mdptm.pipeline.importing import ImportSource, import_sources

    src = SAMPLES / "infusion-pump"
    model, _rep = import_sources([ImportSource(Path(src / name), None, None) for name in ("threat-model.docx", "register.xlsx")])
    assert _json_direct(model) is not None  # the fast path is taken, and writes the same bytes
    assert dumps(model) == plain(model)
