"""An item is validated with its provenance among its fields: the same item as setting it afterwards."""

from __future__ import annotations

import pytest

from mdptm.importers.tabular.grid import RowRecord
from mdptm.importers.tabular.records import SourceBuilder
from mdptm.importers.tabular.vocab import vocabulary
from mdptm.model import Asset, Assumption, Control, Element, Flow, OutOfScope, Risk, Source, Threat, TrustZone, set_provenance
from mdptm.model.report import ImportReport

CASES = [
    ("threat", Threat, {"title": "Replay", "stride": ["spoofing"], "risk": Risk(level="high")}),
    ("control", Control, {"title": "Signed images"}),
    ("element", Element, {"name": "Pump", "kind": "device"}),
    ("flow", Flow, {"name": "Pump to Gateway", "protocol": "HTTPS"}),
    ("asset", Asset, {"name": "Dose library"}),
    ("trust_zone", TrustZone, {}),
    ("assumption", Assumption, {"text": "The hospital network is segmented."}),
    ("out_of_scope", OutOfScope, {"text": "Physical theft"}),
]


@pytest.mark.parametrize(("kind", "cls", "fields"), CASES)
def test_an_item_made_from_a_row_is_the_item_with_its_provenance_set_after(kind: str, cls: type, fields: dict[str, object]) -> None:
    builder = SourceBuilder("r.xlsx", "xlsx", vocabulary(), ImportReport(), None)
    rec = RowRecord(kind, "r.xlsx", "Sheet!A7", {}, {}, {})
    item = builder._new_item(kind, "X-1", dict(fields), {"Owner": "QA"}, rec)
    data = {**fields, "id": "X-1", "extra": {"Owner": "QA"}}
    required = {"threat": "title", "control": "title", "element": "name", "asset": "name", "trust_zone": "name"}.get(kind)
    if required and not data.get(required):
        data[required] = ""
    if kind == "flow":
        data.update(source="", target="")
    if kind in ("control", "threat") and "status" not in fields:
        data["status_stated"] = False  # the row gave no status (docs/model.md)
    if kind == "control" and "responsibility" not in fields:
        data["responsibility_stated"] = False  # nor anyone who runs the control
    plain = cls.model_validate(data)
    set_provenance(plain, Source(file="r.xlsx", locator="Sheet!A7", importer="xlsx"))
    assert type(item) is cls
    assert item.model_dump() == plain.model_dump()
    assert item.model_fields_set == plain.model_fields_set
    assert list(item.__dict__) == list(plain.__dict__)
