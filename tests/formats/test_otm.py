"""Open Threat Model: import of 0.1/0.2 YAML and JSON, export, the round trip, and the public corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from mdptm.cli import main
from mdptm.errors import InputError
from mdptm.exporters.otm import to_otm
from mdptm.importers.otm import OtmImporter, combine_status
from mdptm.model import (
    PLACEHOLDER,
    Asset,
    Control,
    Document,
    Element,
    Flow,
    Model,
    Product,
    Risk,
    Source,
    Threat,
    TrustZone,
    set_provenance,
)
from mdptm.model.io import dumps, save
from mdptm.model.report import ImportReport
from mdptm.model.validate import validate_model
from mdptm.pipeline.exporting import export_one
from mdptm.pipeline.importing import detect, import_one
from mdptm.plugins import ExportContext, ImportContext, importers

OTM_01_YAML = """\
otmVersion: 0.1.0
project:
  name: Dialysis machine
  id: dialysis
  owner: Jane Roe
  attributes:
    manufacturer: Acme Medical
    cmdbId: DX-1
representations:
  - name: Diagram
    id: diagram
    type: diagram
trustZones:
  - id: internet
    name: Internet
    risk:
      trustRating: 10
  - id: sandbox
    name: Sandbox
    risk:
      trustRating: 20
    parent:
      trustZone: internet
  - id: 7c9e6679-7425-40de-944b-e07fc1f90ae7
    name: Clinic LAN
    risk:
      trustRating: 80
assets:
  - id: treatment-log
    name: Treatment log
    risk: {confidentiality: 90, integrity: 50, availability: 10}
components:
  - id: 3f2504e0-4f89-11d3-9a0c-0305e82c3301
    name: Dialysis machine
    type: embedded-device
    parent:
      trustZone: 7c9e6679-7425-40de-944b-e07fc1f90ae7
    assets:
      stored: [treatment-log]
    representations:
      - representation: diagram
        id: dm-shape
        position:
          x: 10
          y: 20
    threats:
      - threat: 1
        state: exposed
        mitigations:
          - mitigation: 1
            state: implemented
      - threat: ghost
        state: exposed
  - id: controller
    name: Controller board
    type: hardware
    parent:
      component: 3f2504e0-4f89-11d3-9a0c-0305e82c3301
  - id: portal
    name: Clinic portal
    type: web-client
    parent:
      trustZone: sandbox
    attributes:
      Out Of Scope: 'false'
      Reason For Out Of Scope: {}
dataflows:
  - id: results
    name: Results upload
    source: 3f2504e0-4f89-11d3-9a0c-0305e82c3301
    destination: portal
    assets: [treatment-log]
    attributes:
      Protocol: HTTPS
      port: 443
    threats:
      - threat: 1
        state: mitigated
        mitigations:
          - mitigation: 1
            state: required
      - threat: '2'
        state: investigating
  - id: from-zone
    name: Inbound
    source: internet
    destination: portal
    threats:
      - threat: '3'
        state: Accepted
threats:
  - id: 1
    name: Treatment data altered
    description: >-
      See <a href="https://example.org/advisory">the advisory</a>
      for details.
    categories: [Tampering]
    cwes: [CWE-345, 20]
    risk: {likelihood: 50, impact: 100, likelihoodComment: needs LAN access}
  - id: '2'
    name: Results read in transit
    categories: [Information Disclosure, Denial of Service]
    risk: {likelihood: 100, impact: 100}
  - id: '3'
    name: Portal spoofed
    categories: [Elevation of Privileges]
    risk: {likelihood: 10, impact: 10}
  - id: '4'
    name: Never instantiated
    categories: [Lateral movement]
    risk: {likelihood: null, impact: 0}
mitigations:
  - id: 1
    name: Signed treatment records
    description: Records are signed by the machine.
    riskReduction: 80
  - id: '2'
    name: Unused mitigation
    riskReduction: 10
"""


def otm_02_json() -> str:
    data = yaml.safe_load(OTM_01_YAML.replace("y: 20", "'y': 20"))
    data["otmVersion"] = "0.2.0"
    return json.dumps(data, indent=2)


def load(path: Path) -> tuple[Model, ImportReport]:
    report = ImportReport()
    model = OtmImporter().load(path, ImportContext(report=report))
    return model, report.finish()


def count_threats(data: dict[str, Any]) -> int:
    """Independent count: the threats the file defines."""
    return len(data.get("threats") or [])


@pytest.fixture(params=["0.1.yaml", "0.2.json"])
def otm_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "0.1.yaml":
        path = tmp_path / "dialysis.otm.yaml"
        path.write_text(OTM_01_YAML, encoding="utf-8")
    else:
        path = tmp_path / "dialysis.otm.json"
        path.write_text(otm_02_json(), encoding="utf-8")
    return path


# --------------------------------------------------------------------------------- import


def test_structure(otm_file: Path) -> None:
    model, report = load(otm_file)
    assert model.product.name == "Dialysis machine" and model.product.manufacturer == "Acme Medical"
    zones = {z.name: z for z in model.trust_zones}
    assert zones["Sandbox"].extra["parent_zone"] == zones["Internet"].id
    assert zones["Clinic LAN"].id == "tz-clinic-lan" and zones["Clinic LAN"].trust_level == 80  # a GUID id becomes readable
    el = {e.name: e for e in model.elements}
    assert el["Dialysis machine"].id == "dialysis-machine" and el["Dialysis machine"].kind == "device"
    assert el["Controller board"].kind == "hardware"
    assert el["Controller board"].trust_zone == zones["Clinic LAN"].id  # inherited from its parent component
    assert el["Clinic portal"].kind == "external_entity" and el["Clinic portal"].trust_zone == "sandbox"
    assert el["Clinic portal"].extra["attributes"] == {"Out Of Scope": "false", "Reason For Out Of Scope": {}}
    assert el["Dialysis machine"].extra["representations"][0]["position"] == {"x": 10, "y": 20}  # 'y' stays a key
    (asset,) = model.assets
    assert (asset.confidentiality, asset.integrity, asset.availability) == ("high", "medium", "low")
    assert asset.stored_in == [el["Dialysis machine"].id]
    (flow,) = model.flows
    assert (flow.protocol, flow.port, flow.data) == ("HTTPS", "443", [asset.id])
    skipped = {r.locator: r.reason for r in report.records if r.disposition == "skipped"}
    assert "a trust zone" in (skipped["/dataflows/1"] or "")
    assert "cmdbId" in (skipped["/project"] or "") and "Jane Roe" in (skipped["/project"] or "")
    assert validate_model(model) == []


def test_threats_are_defined_once_and_instantiated_on_targets(otm_file: Path) -> None:
    model, report = load(otm_file)
    data = yaml.safe_load(otm_file.read_text(encoding="utf-8"))
    assert len(model.threats) == count_threats(data) == 4
    t = {x.title: x for x in model.threats}
    machine, portal = (next(e.id for e in model.elements if e.name == n) for n in ("Dialysis machine", "Clinic portal"))
    altered = t["Treatment data altered"]
    # threat '1' and mitigation '1' collide: each gets its kind prefix, the original id stays in the source
    assert altered.id == "OTM-T-1" and altered.source and altered.source.locator == "/threats/0 (OTM id '1')"
    assert altered.targets == [machine, "results"]
    assert altered.status == "partially_mitigated"  # exposed on the machine, mitigated on the flow
    assert altered.extra["states"] == {machine: "exposed", "results": "mitigated"}
    assert altered.description == "See the advisory (https://example.org/advisory) for details."
    assert altered.cwe == ["CWE-345", "CWE-20"] and altered.stride == ["tampering"]
    assert altered.risk and (altered.risk.likelihood, altered.risk.severity, altered.risk.level) == ("50", "100", "high")
    assert altered.extra["likelihoodComment"] == "needs LAN access"
    control = next(c for c in model.controls if c.id == altered.controls[0])
    assert control.id == "OTM-M-1" and control.status == "planned"  # implemented on one target, required on the other
    assert control.extra["states"] == {machine: "implemented", "results": "required"}
    transit = t["Results read in transit"]
    assert transit.stride == ["information_disclosure", "denial_of_service"] and transit.risk and transit.risk.level == "critical"
    assert transit.status == "open"  # 'investigating' is no state we know: open, with a warning
    spoofed = t["Portal spoofed"]
    assert spoofed.targets == [portal] and spoofed.status == "accepted"  # its flow starts at a zone: the portal it reaches
    assert spoofed.risk and spoofed.risk.level == "low"
    never = t["Never instantiated"]
    assert never.targets == [] and never.risk is None and never.extra["categories"] == ["Lateral movement"]
    unused = next(c for c in model.controls if c.title == "Unused mitigation")
    assert unused.status == "not_implemented" and unused.extra["riskReduction"] == 10
    # no source states its status: "not implemented" is a reading, never claimed as the maker's statement
    assert unused.status_stated is False and control.status_stated is True
    messages = " ".join(w.message for w in report.warnings)
    for expected in ("'investigating'", "'ghost'", "not instantiated", "'Lateral movement'", "no state on any threat"):
        assert expected in messages
    ghost = [r for r in report.records if "ghost" in (r.reason or "")]
    assert ghost and ghost[0].disposition == "skipped"


def test_report_reconciles_and_names_every_item(otm_file: Path) -> None:
    model, report = load(otm_file)
    c = report.counts
    assert c.seen == c.imported + c.merged + c.skipped
    assert {r.item for r in report.records if r.disposition != "skipped"} == {i.id for _, i in model.items()}
    instances = [r for r in report.records if "/threats/" in r.locator and "/mitigations/" not in r.locator and r.locator.count("/") == 4]
    assert len(instances) == 5  # five threat instances in the file, each merged into its threat or skipped


def test_yaml_and_json_give_the_same_model(tmp_path: Path) -> None:
    a = tmp_path / "a.yaml"
    a.write_text(OTM_01_YAML, encoding="utf-8")
    b = tmp_path / "b.json"
    b.write_text(otm_02_json(), encoding="utf-8")
    ma, mb = load(a)[0], load(b)[0]
    for m in (ma, mb):  # the same model but for the file name in the provenance
        for _, item in m.items():
            set_provenance(item, Source())
    assert dumps(ma) == dumps(mb)


def test_detection(otm_file: Path, tmp_path: Path) -> None:
    assert detect(otm_file, importers()).name == "otm"
    other = tmp_path / "model.otm"
    other.write_text(OTM_01_YAML, encoding="utf-8")
    assert detect(other, importers()).name == "otm"


def test_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("otmVersion: [", encoding="utf-8")
    with pytest.raises(InputError, match="YAML syntax error"):
        load(path)
    path.write_text("project: {name: x}", encoding="utf-8")
    with pytest.raises(InputError, match="otmVersion"):
        load(path)


def test_combine_status() -> None:
    assert combine_status(["open", "open"]) == "open"
    assert combine_status(["open", "mitigated"]) == "partially_mitigated"
    assert combine_status(["mitigated", "not_applicable"]) == "mitigated"
    assert combine_status(["accepted", "mitigated"]) == "accepted"


# --------------------------------------------------------------------------------- export


def rich_model() -> Model:
    """A model that uses every field the OTM export must carry."""
    return Model(
        product=Product(name="Infusion pump", manufacturer="Acme Medical", version="3.1", model="IP-7"),
        document=Document(version="1.0"),
        trust_zones=[
            TrustZone(id="tz-hospital", name="Hospital", trust_level=60),
            TrustZone(id="tz-pump", name="Pump", trust_level=None, extra={"parent_zone": "tz-hospital"}, tags=["physical"]),
        ],
        elements=[
            Element(id="pump", name="Pump", kind="device", trust_zone="tz-pump", description="Delivers insulin."),
            Element(id="server", name="Server", kind="data_store", trust_zone="tz-hospital"),
            Element(id="nurse", name="Nurse", kind="external_entity", trust_zone=None, tags=["human"]),
            Element(id="cloud", name="Cloud", kind="cloud_service"),
        ],
        flows=[
            Flow(
                id="df-dose",
                name="Dose",
                source="server",
                target="pump",
                protocol="HTTPS",
                port="443",
                encryption="TLS 1.3",
                authentication="mTLS",
                data=["a-dose"],
            ),
            Flow(id="df-report", name="", source="pump", target="cloud", bidirectional=True, encryption="none"),
        ],
        assets=[Asset(id="a-dose", name="Dose settings", kind="therapy_data", integrity="high", stored_in=["pump"])],
        threats=[
            Threat(
                id="T-1",
                title="Dose altered",
                stride=["tampering"],
                targets=["df-dose", "pump"],
                controls=["C-1", "C-2"],
                risk=Risk(level="critical", severity="Critical"),
                status="partially_mitigated",
                rationale="Signing covers the link",
                residual_risk=Risk(level="low"),
                patient_harm="serious",
                multi_patient=False,
                cwe=["CWE-345"],
            ),
            Threat(id="T-2", title="Zone bypass", stride=["elevation_of_privilege", "spoofing"], targets=["tz-pump"], status="accepted"),
            Threat(id="T-3", title="Nothing targeted", status="not_applicable"),
            Threat(
                id="T-4",
                title="Report leak",
                stride=["information_disclosure"],
                targets=["df-report"],
                status="mitigated",
                risk=Risk(level="medium"),
                controls=["C-2"],
            ),
        ],
        controls=[
            Control(id="C-1", title="Signed dose commands", category="integrity", status="implemented", responsibility="manufacturer"),
            Control(id="C-2", title="TLS everywhere", category="cryptography", status="planned", responsibility="shared"),
            Control(id="C-3", title="Badge access", category="authentication", status="not_implemented", responsibility="customer"),
        ],
    )


def otm_schema(corpus_dir: Path) -> dict[str, Any]:
    return json.loads((corpus_dir / "otm" / "otm_schema.json").read_text(encoding="utf-8"))


def test_export_round_trip_keeps_the_model(tmp_path: Path) -> None:
    original = rich_model()
    assert validate_model(original) == []
    out = tmp_path / "ptm.otm.json"
    export_one(original, "otm", out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    for key in ("mdptm.model", "mdptm.digest"):  # read as any other tool's OTM: the extension does not help
        del doc["project"]["attributes"][key]
    out.write_text(json.dumps(doc), encoding="utf-8")
    back, report = import_one(out)
    for z in back.trust_zones:  # OTM's trust rating is 0-100; the model's levels here are on 0-100 too
        assert z.trust_level is None or 0 <= z.trust_level <= 100
    assert [(z.id, z.name, z.trust_level, z.tags, z.extra.get("parent_zone")) for z in back.trust_zones] == [
        (z.id, z.name, z.trust_level, z.tags, z.extra.get("parent_zone")) for z in original.trust_zones
    ]
    fields = {
        "elements": ("id", "name", "kind", "trust_zone", "description", "tags"),
        "flows": ("id", "name", "source", "target", "protocol", "port", "encryption", "authentication", "bidirectional", "data"),
        "assets": ("id", "name", "kind", "confidentiality", "integrity", "availability", "stored_in"),
        "threats": ("id", "title", "stride", "targets", "controls", "status", "rationale", "patient_harm", "multi_patient", "cwe"),
        "controls": ("id", "title", "category", "responsibility", "status"),
    }
    for coll, names in fields.items():
        for a, b in zip(getattr(original, coll), getattr(back, coll), strict=True):
            for name in names:
                if coll == "flows" and name == "name" and not getattr(a, name):
                    continue  # a nameless flow comes back with a readable name
                assert getattr(a, name) == getattr(b, name), (coll, a.id, name)
    for a, b in zip(original.threats, back.threats, strict=True):
        assert (a.risk.level if a.risk else None) == (b.risk.level if b.risk else None)
        assert (a.residual_risk.level if a.residual_risk else None) == (b.residual_risk.level if b.residual_risk else None)
    assert back.product.manufacturer == "Acme Medical" and back.document.version == "1.0"
    skipped = [r for r in report.records if r.disposition == "skipped"]
    # the project id, the diagram, the no-zone placeholder
    assert [r.locator for r in skipped] == ["/project", "/representations/0", "/trustZones/2"]
    assert validate_model(back) == []


def test_export_is_deterministic_and_never_writes_internal_fields(tmp_path: Path) -> None:
    model = rich_model()
    model.elements[0].notes = "internal: ask Jane"
    model.elements[0].extra["secret"] = "PN-123456"
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    export_one(model, "otm", a, ExportContext())
    export_one(model, "otm", b, ExportContext())
    assert a.read_bytes() == b.read_bytes()
    text = a.read_text(encoding="utf-8")
    assert "ask Jane" not in text and "PN-123456" not in text
    doc = json.loads(text)
    nurse = next(c for c in doc["components"] if c["id"] == "nurse")
    unassigned = next(z for z in doc["trustZones"] if z["id"] == nurse["parent"]["trustZone"])
    assert unassigned["attributes"] == {"mdptm.unassigned": True}
    instances = [i for c in doc["components"] + doc["dataflows"] for i in c.get("threats", [])]
    assert {
        "threat": "T-1",
        "state": "partly-mitigated",
        "mitigations": [{"mitigation": "C-1", "state": "implemented"}, {"mitigation": "C-2", "state": "required"}],
    } in instances


def test_export_validates_against_the_otm_schema(corpus: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft7Validator(otm_schema(corpus))
    assert list(validator.iter_errors(to_otm(rich_model()))) == []
    empty = Model(product=Product(name=PLACEHOLDER, manufacturer=PLACEHOLDER), document=Document(version=PLACEHOLDER))
    assert list(validator.iter_errors(to_otm(empty))) == []


def test_cli_export_and_import(tmp_path: Path) -> None:
    model_path = tmp_path / "model.json"
    save(rich_model(), model_path)
    out = tmp_path / "out.otm.json"
    with pytest.raises(SystemExit) as done:
        main(["-q", "export", str(model_path), "--format", "otm", "-o", str(out)])
    assert done.value.code == 0
    back = tmp_path / "back.yaml"
    with pytest.raises(SystemExit) as done:
        main(["-q", "import", str(out), "-o", str(back)])
    assert done.value.code == 0
    assert "Dose altered" in back.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------- corpus

OTM_FILES = [
    "otm-spec-example.json",
    "otm-spec-example.yaml",
    "startleft-manual-threat-model.otm.yaml",
    "startleft-mtmt-mobile-api.otm.yaml",
    "threatdragon-mobile-cloud.otm.json",
]


@pytest.mark.parametrize("name", OTM_FILES)
def test_corpus_file_imports_every_threat(corpus: Path, name: str) -> None:
    path = corpus / "otm" / name
    model, report = load(path)
    assert len(model.threats) == count_threats(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert validate_model(model) == []
    assert report.counts.seen == report.counts.imported + report.counts.merged + report.counts.skipped


@pytest.mark.parametrize("name", OTM_FILES)
def test_corpus_file_round_trips_through_export(corpus: Path, name: str, tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    model, _ = load(corpus / "otm" / name)
    doc = to_otm(model)
    assert list(jsonschema.Draft7Validator(otm_schema(corpus)).iter_errors(doc)) == []
    out = tmp_path / "x.otm.json"
    out.write_text(json.dumps(doc), encoding="utf-8")
    back, _ = load(out)
    for coll in ("elements", "trust_zones", "flows", "threats", "controls"):
        assert [i.id for i in getattr(back, coll)] == [i.id for i in getattr(model, coll)]
    assert [(t.status, t.targets, t.controls) for t in back.threats] == [(t.status, t.targets, t.controls) for t in model.threats]


def test_corpus_same_device_in_three_formats(corpus: Path) -> None:
    """The MTMT mobile API model as .tm7, OTM YAML and OTM JSON: same elements, flows and threats."""
    tm7, _ = import_one(corpus / "tm7" / "startleft-mtmt-mobile-api.tm7")
    otm_yaml, _ = import_one(corpus / "otm" / "startleft-mtmt-mobile-api.otm.yaml")
    otm_json, _ = import_one(corpus / "otm" / "threatdragon-mobile-cloud.otm.json")
    counts = {(len(m.elements), len(m.flows), len(m.threats)) for m in (tm7, otm_yaml, otm_json)}
    assert counts == {(4, 6, 43)}
    assert sorted(e.id for e in tm7.elements) == sorted(e.id for e in otm_yaml.elements) == sorted(e.id for e in otm_json.elements)
    assert sorted(f.name for f in tm7.flows) == sorted(f.name for f in otm_json.flows)


def test_corpus_spec_example_details(corpus: Path) -> None:
    model, _ = load(corpus / "otm" / "otm-spec-example.yaml")
    (threat,) = model.threats
    assert threat.targets == ["web-service", "cc-store-in-db"] and threat.stride == ["spoofing", "tampering"]
    assert threat.cwe == ["CWE-79", "CWE-787"]
    assert {a.id: a.kind for a in model.assets} == {"cc-data": "pii", "public-info": "other"}
