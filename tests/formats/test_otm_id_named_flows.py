"""StartLeft's Visio and draw.io converters name an unlabelled connector by its GUID
(iriusrisk/startleft examples/otm/visio/orphan_dataflows.otm: five flows named like
"4d18cdd9-ab7a-425e-a01a-57cf2d6ad0f0"). A GUID is no name a hospital can read: such a flow is called
by its ends, as a flow with no name is, and the GUID is kept."""

from __future__ import annotations

from pathlib import Path

from mdptm.model import Model
from mdptm.model.report import ImportReport
from tests.formats.otm_helpers import load_otm

OTM = """\
otmVersion: 0.1.0
project: {id: project-id, name: project-name}
trustZones:
  - {id: b61d6911-338d-46a8-9f39-8dcd24abfe91, name: Public Cloud, risk: {trustRating: 10}}
components:
  - {id: '19', name: Bucket, type: s3, parent: {trustZone: b61d6911-338d-46a8-9f39-8dcd24abfe91}}
  - {id: '31', name: Amazon MQ, type: CD-MQ, parent: {trustZone: b61d6911-338d-46a8-9f39-8dcd24abfe91}}
  - {id: '46', name: Amazon MQ, type: CD-MQ, parent: {trustZone: b61d6911-338d-46a8-9f39-8dcd24abfe91}}
dataflows:
  - {id: '94', name: 4d18cdd9-ab7a-425e-a01a-57cf2d6ad0f0, source: '31', destination: '19'}
  - {id: '114', name: 25370304-37BA-42D4-A700-2DF1EBD01D4E, source: '46', destination: '19'}
  - {id: '120', name: Upload 25370304-37ba-42d4-a700-2df1ebd01d4e, source: '46', destination: '19'}
  - {id: '121', name: '', source: '31', destination: '46'}
"""


def _load(tmp_path: Path) -> tuple[Model, ImportReport]:
    return load_otm(tmp_path, OTM, "orphan_dataflows.otm")


def test_a_flow_named_by_a_guid_is_called_by_its_ends(tmp_path: Path) -> None:
    model, report = _load(tmp_path)
    flows = {f.extra.get("source_name") or f.name: f for f in model.flows}
    assert len(model.flows) == 4
    first = flows["4d18cdd9-ab7a-425e-a01a-57cf2d6ad0f0"]
    second = flows["25370304-37BA-42D4-A700-2DF1EBD01D4E"]
    assert first.name == second.name == "Amazon MQ to Bucket"
    assert (first.source, first.target) != (second.source, second.target)
    assert "4d18cdd9" not in first.id and first.id != second.id
    # words around a GUID are a name; an empty name is called by its ends as before
    assert flows["Upload 25370304-37ba-42d4-a700-2df1ebd01d4e"].extra.get("source_name") is None
    assert flows["Amazon MQ to Amazon MQ"].extra.get("source_name") is None
    said = [w.message for w in report.warnings if "GUID" in w.message]
    assert len(said) == 1 and said[0].startswith("2 data flow(s)")
