"""StartLeft writes a trust zone drawn inside a machine with ``parent: {component: ...}``
(iriusrisk/startleft examples/otm/visio/nested_tz_inside_component.otm: "Private Secured Cloud" inside the
EC2 "Custom machine", itself in "Public Cloud"). That parent was dropped without a word."""

from __future__ import annotations

from pathlib import Path

from mdptm.exporters.otm import to_otm
from mdptm.model import Model
from mdptm.model.report import ImportReport
from tests.formats.otm_helpers import load_otm

OTM = """\
otmVersion: 0.1.0
project: {name: project-name, id: project-id}
trustZones:
  - id: 2ab4effa-40b7-4cd2-ba81-8247d29a6f2d
    name: Private Secured Cloud
    risk: {trustRating: 10}
    parent: {component: '2'}
  - id: b61d6911-338d-46a8-9f39-8dcd24abfe91
    name: Public Cloud
    risk: {trustRating: 10}
  - id: z-lost
    name: Lost zone
    parent: {component: '99'}
components:
  - {id: '2', name: Custom machine, type: ec2, parent: {trustZone: b61d6911-338d-46a8-9f39-8dcd24abfe91}}
  - {id: '7', name: Private Database, type: rds, parent: {trustZone: 2ab4effa-40b7-4cd2-ba81-8247d29a6f2d}}
dataflows: []
"""


def _load(tmp_path: Path) -> tuple[Model, ImportReport]:
    return load_otm(tmp_path, OTM, "nested_tz_inside_component.otm")


def test_a_zone_inside_a_component_keeps_its_place(tmp_path: Path) -> None:
    model, report = _load(tmp_path)
    zones = {z.name: z for z in model.trust_zones}
    inner = zones["Private Secured Cloud"]
    assert inner.extra["parent_component"] == "custom-machine"
    assert inner.extra["parent_zone"] == zones["Public Cloud"].id  # the machine's own zone
    assert {e.name: e.trust_zone for e in model.elements} == {"Custom machine": zones["Public Cloud"].id, "Private Database": inner.id}
    lost = zones["Lost zone"]
    assert lost.extra["parent_component_otm_id"] == "99" and "parent_zone" not in lost.extra
    assert any("unknown parent component '99'" in w.message for w in report.warnings)
    # the nesting survives an OTM export
    out = to_otm(model)
    by_name = {z["name"]: z for z in out["trustZones"]}
    assert by_name["Private Secured Cloud"]["parent"] == {"trustZone": zones["Public Cloud"].id}
