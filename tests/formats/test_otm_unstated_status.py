"""OTM export: a status or a responsibility the source does not state is not written as stated.

A Word or Excel threat model often lists a mitigation with no status and a threat with no status column;
mdptm reads the control "implemented" and the threat "open", marked not stated. The OTM file is published
(``ptm.otm.json``): a reader of any tool takes an instance state "implemented" or "exposed" as the
device maker's word. Read back without mdptm's embedded model, the file keeps "not stated".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mdptm.exporters.otm import to_otm
from mdptm.formats.otm_extension import DIGEST_KEY, MODEL_KEY
from mdptm.model import Control, Document, Element, Model, Product, Threat
from tests.formats.otm_helpers import load_otm


def _model() -> Model:
    return Model(
        product=Product(name="Pump", manufacturer="Maker"),
        document=Document(version="1"),
        elements=[Element(id="E-1", name="Pump", kind="device")],
        threats=[
            Threat(id="T-1", title="Forged drug library", targets=["E-1"], controls=["M-1"], status_stated=False),
            Threat(id="T-2", title="Firmware tampering", targets=["E-1"], controls=["M-2"], status="mitigated"),
        ],
        controls=[
            Control(id="M-1", title="Libraries are signed", status_stated=False, responsibility_stated=False),
            Control(id="M-2", title="Secure boot", status="implemented", responsibility="manufacturer"),
        ],
    )


def _instances(doc: dict[str, object]) -> dict[str, dict[str, object]]:
    comps = doc["components"]
    assert isinstance(comps, list)
    return {i["threat"]: i for c in comps for i in c.get("threats", [])}


def test_unstated_statuses_are_not_written_as_stated() -> None:
    doc = to_otm(_model())
    inst = _instances(doc)
    assert inst["T-1"]["state"] == "not-stated"  # not "exposed": nobody said the threat is open
    assert inst["T-1"]["mitigations"] == [{"mitigation": "M-1", "state": None}]  # not "implemented"
    assert inst["T-2"]["state"] == "mitigated"
    assert inst["T-2"]["mitigations"] == [{"mitigation": "M-2", "state": "implemented"}]
    threats = {t["id"]: t for t in doc["threats"]}  # type: ignore[attr-defined]
    mits = {m["id"]: m for m in doc["mitigations"]}  # type: ignore[attr-defined]
    assert "mdptm.status" not in threats["T-1"]["attributes"]
    assert threats["T-2"]["attributes"]["mdptm.status"] == "mitigated"
    assert "mdptm.status" not in mits["M-1"]["attributes"]
    assert "mdptm.responsibility" not in mits["M-1"]["attributes"]
    assert mits["M-2"]["attributes"]["mdptm.status"] == "implemented"
    assert mits["M-2"]["attributes"]["mdptm.responsibility"] == "manufacturer"


def test_unstated_export_is_valid_otm(corpus: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((corpus / "otm" / "otm_schema.json").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft7Validator(schema).iter_errors(to_otm(_model()))) == []


def test_plain_otm_reads_back_not_stated(tmp_path: Path) -> None:
    """Without the embedded model (another tool edited the file), the OTM content alone keeps 'not stated'."""
    doc = to_otm(_model())
    attrs = doc["project"]["attributes"]  # type: ignore[index]
    attrs.pop(MODEL_KEY)
    attrs.pop(DIGEST_KEY)
    back, _report = load_otm(tmp_path, json.dumps(doc), "plain.otm.json")
    threats = {t.id: t for t in back.threats}
    controls = {c.id: c for c in back.controls}
    assert threats["T-1"].stated_status() == "status_not_stated"
    assert threats["T-2"].status == "mitigated" and threats["T-2"].status_stated
    assert controls["M-1"].status_stated is False and controls["M-1"].responsibility_stated is False
    assert controls["M-2"].status == "implemented" and controls["M-2"].status_stated
    assert controls["M-2"].responsibility_stated


def test_a_threat_on_no_component_with_no_state_is_not_stated(tmp_path: Path) -> None:
    text = json.dumps(
        {
            "otmVersion": "0.2.0",
            "project": {"name": "P", "id": "p"},
            "trustZones": [],
            "components": [],
            "threats": [{"id": "t1", "name": "Loose threat", "risk": {"likelihood": None, "impact": 0}}],
            "mitigations": [],
        }
    )
    back, _report = load_otm(tmp_path, text, "loose.otm.json")
    assert back.threats[0].stated_status() == "status_not_stated"


def test_csv_and_threat_dragon_do_not_state_an_unstated_status(tmp_path: Path) -> None:
    """The other interchange exports keep the difference too: CSV says it in words, Threat Dragon beside its
    own "Open" (which it must write), and the Threat Dragon import reads it back."""
    import csv
    import io

    from mdptm.exporters.csvfile import to_csv
    from mdptm.exporters.threatdragon import to_threatdragon
    from mdptm.importers.threatdragon import ThreatDragonImporter
    from mdptm.model.report import ImportReport
    from mdptm.plugins import ImportContext

    rows = {r["ID"]: r for r in csv.DictReader(io.StringIO(to_csv(_model())))}
    assert rows["T-1"]["Status"] == "status not stated"
    assert rows["M-1"]["Status"] == "implemented (assumed: not stated)"
    assert rows["M-1"]["Responsibility"] == "manufacturer (assumed: not stated)"
    assert rows["T-2"]["Status"] == "mitigated" and rows["M-2"]["Status"] == "implemented"
    assert rows["M-2"]["Responsibility"] == "manufacturer"

    path = tmp_path / "td.json"
    path.write_text(json.dumps(to_threatdragon(_model())), encoding="utf-8")
    back = ThreatDragonImporter().load(path, ImportContext(report=ImportReport()))
    by_title = {t.title: t for t in back.threats}
    assert by_title["Forged drug library"].stated_status() == "status_not_stated"
    assert by_title["Firmware tampering"].status == "mitigated" and by_title["Firmware tampering"].status_stated


def test_a_control_whose_verification_failed_is_not_written_as_implemented() -> None:
    """The PTM said "Verification did not pass" while ptm.otm.json still gave the mitigation instance "implemented"."""
    m = _model()
    m.controls[1].verification_failed = "TC-202: Fail — fix planned for 2.1"
    doc = to_otm(m)
    assert _instances(doc)["T-2"]["mitigations"] == [{"mitigation": "M-2", "state": None}]
    mits = {x["id"]: x for x in doc["mitigations"]}  # type: ignore[attr-defined]
    assert mits["M-2"]["attributes"]["mdptm.status"] == "implemented"  # as the source states it ...
    assert mits["M-2"]["attributes"]["mdptm.verification_failed"] == "TC-202: Fail — fix planned for 2.1"  # ... and why not
