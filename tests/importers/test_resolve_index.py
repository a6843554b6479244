"""The last resolution pass builds its reference index only when it needs one: the result must be the
same as with the index built first, as it always was."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mdptm.importers.tabular.resolve import PENDING, Resolver, has_pending
from mdptm.model import Element, Flow, Model, Source, Threat, View
from mdptm.model.io import dumps
from mdptm.model.report import ImportReport
from tests.conftest import SAMPLES


def _resolved(model: Model, *, eager: bool) -> tuple[str, str]:
    model = copy.deepcopy(model)
    report = ImportReport()
    resolver = Resolver(model, report, final=True)
    if eager:
        resolver._build_index()  # as before: built when the pass begins
    resolver.run()
    return dumps(model), json.dumps(report.model_dump(mode="json"), sort_keys=True)


def _src(row: int) -> Source:
    return Source(file="tm.docx", locator=f"table 2 row {row}", importer="docx")


def _flows_without_ends() -> Model:
    m = Model.empty()
    m.elements += [
        Element(id="E-1", name="Infusion pump", kind="device", source=_src(2)),
        Element(id="E-2", name="Gateway", source=_src(3)),
    ]
    m.flows += [
        Flow(id="F-1", name="Infusion pump to Gateway", source="", target="", provenance=_src(4)),
        Flow(id="F-2", name="Pump to Drug library server", source="", target="", provenance=_src(5)),
        Flow(id="F-3", name="Local console (:8443)", source="", target="", provenance=_src(6)),
        Flow(id="F-4", name="Gateway uplink", source="E-2", target="", provenance=_src(7), extra={"_mdptm_peer": "E-1"}),
        Flow(id="F-5", name="Stray", source="E-1", target="E-9", provenance=_src(8)),
    ]
    m.threats += [
        Threat(id="T-1", title="Spoofed console", targets=["F-3", "E-7"], source=_src(9)),
        Threat(id="T-2", title="Tampered uplink", targets=["F-4"], controls=["C-9"], source=_src(10)),
    ]
    m.views.append(View(id="V-1", kind="global_system", name="Network", flows=["F-1", "F-3"], threats=["T-1"], source=_src(11)))
    return m


def test_the_index_is_built_only_for_a_pass_that_needs_it() -> None:
    m = Model.empty()
    m.elements.append(Element(id="E-1", name="Pump", source=_src(2)))
    m.flows.append(Flow(id="F-1", name="Pump loop", source="E-1", target="E-1", provenance=_src(3)))
    assert Resolver(m, ImportReport(), final=True)._index is None
    assert Resolver(m, ImportReport(), final=False)._index is not None  # the first pass always resolves
    m.elements[0].extra[PENDING + "tm.docx"] = {"refs": [], "alias": "Infusion pump"}  # an alias: nothing to resolve
    assert has_pending(m) and Resolver(m, ImportReport(), final=True)._index is None
    m.elements[0].extra[PENDING + "tm.docx"] = {"refs": [{"field": "trust_zone", "raw": "Zone 1"}], "alias": None}
    assert Resolver(m, ImportReport(), final=True)._index is not None


def test_an_alias_the_last_pass_drops_still_names_its_item_in_an_index_built_later() -> None:
    model = _flows_without_ends()
    model.elements[0].extra[PENDING + "tm.docx"] = {"refs": [], "alias": "IPX"}  # the id the row gave, renamed
    model.flows.append(Flow(id="F-6", name="IPX to Gateway", source="", target="", provenance=_src(12)))
    lazy = _resolved(model, eager=False)
    assert lazy == _resolved(model, eager=True)
    ends = {f["id"]: (f["source"], f["target"]) for f in json.loads(lazy[0])["flows"]}
    assert ends["F-6"] == ("E-1", "E-2")
    assert PENDING not in lazy[0]


def test_flows_without_ends_resolve_the_same_with_the_index_built_on_need() -> None:
    model = _flows_without_ends()
    lazy = _resolved(model, eager=False)
    assert lazy == _resolved(model, eager=True)
    out = json.loads(lazy[0])
    ends = {f["id"]: (f["source"], f["target"]) for f in out["flows"]}
    assert ends["F-1"] == ("E-1", "E-2") and ends["F-2"] == ("pump", "drug-library-server")  # both ends created
    assert any(e["id"] == "F-3" for e in out["elements"])  # the interface row became an element
    assert "dropped" in lazy[1]


@pytest.mark.parametrize("names", [("threat-model.docx",), ("register.xlsx",), ("threat-model.docx", "register.xlsx")])
def test_the_sample_resolves_the_same_with_the_index_built_on_need(names: tuple[str, ...]) -> None:
    from mdptm.importers.merge import merge_models
    from mdptm.pipeline.importing import import_one

    parts = []
    for name in names:
        model, report = import_one(Path(SAMPLES / "infusion-pump" / name))
        parts.append((name, model, report))
    merged, _report = merge_models(parts)
    assert _resolved(merged, eager=False) == _resolved(merged, eager=True)


NAMES = ["Infusion pump", "Gateway (HL7 v2 / FHIR)", "Drug library", "Lab, QA and test", "Pump|Console", "Cloud; backup"]
PIECES = ["C-01", "C-02", "c-03", "Infusion pump", "Gateway (HL7 v2", "FHIR)", "Drug library", "Lab", "QA and test", "Pump", "Console",
          "Cloud", "backup", "- Drug library", "1. C-01", "", "see C-02", "nothing here"]  # fmt: skip
SEPS = [", ", "; ", "\n", " | ", "/", " / ", ",\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=6), st.lists(st.sampled_from(SEPS), min_size=5, max_size=5), st.data())
def test_a_list_cell_splits_the_same_without_trying_runs_no_key_could_be(pieces: list[str], seps: list[str], data: st.DataObject) -> None:
    from mdptm.model import Control

    names = data.draw(st.lists(st.sampled_from(NAMES), max_size=4, unique=True))
    m = Model.empty()
    m.elements += [Element(id=f"E-{k}", name=name, source=_src(k)) for k, name in enumerate(names)]
    m.controls += [Control(id=f"C-0{k}", title=f"Control {k}", source=_src(k)) for k in (1, 2, 3)]
    raw = pieces[0] + "".join(sep + piece for sep, piece in zip(seps, pieces[1:], strict=False))
    resolver = Resolver(m, ImportReport(), final=False)
    for colls in (("controls",), ("elements", "flows", "trust_zones"), ("elements",)):
        assert resolver._segments(colls, raw, False) == _plain_segments(resolver, colls, raw)


def _plain_segments(resolver: Resolver, colls: tuple[str, ...], raw: str) -> list[str | tuple[str, str]]:
    """The definition (outside a threat's targets): every run of pieces up to the longest key tried, longest first."""
    from mdptm.importers.tabular.resolve import _BULLETS, _SPLIT

    pieces = _SPLIT.split(raw.strip())
    atoms, seps = pieces[0::2], pieces[1::2]
    out: list[str | tuple[str, str]] = []
    i = 0
    while i < len(atoms):
        found: tuple[tuple[str, str] | None, int] | None = None
        for j in range(min(len(atoms) - 1, i + resolver.index.span), i - 1, -1):
            text = atoms[i] + "".join(seps[k - 1] + atoms[k] for k in range(i + 1, j + 1))
            text = _BULLETS.sub("", text).strip().rstrip(".")
            got = resolver.index.find(colls, text) if text else None
            if not text or got is not None:
                found = (got, j)
                break
        if found is None and resolver._abbreviation_pair(colls, atoms, seps, i):
            out.append(f"{atoms[i]}/{atoms[i + 1]}")  # a bare slash joins one name ("MRI/CT"), the rule under test too
            i += 2
        elif found is None:
            out.append(_BULLETS.sub("", atoms[i]).strip().rstrip("."))
            i += 1
        else:
            if found[0] is not None:
                out.append(found[0])
            i = found[1] + 1
    return out
