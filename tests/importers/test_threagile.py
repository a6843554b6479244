"""The Threagile importer: a Threagile model YAML (``threagile_version``) gives its architecture, the risks
its author identified by hand and their tracking; risks Threagile's rules make when it runs are never
invented, and the stub's example entries are no part of a threat model. Real files: the two corpus files
(threagile/SOURCES in the shared corpus) and those listed in tests/data/formats-real/SOURCES.md."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given

from mdptm.cli import cli, main
from mdptm.errors import InputError
from mdptm.importers.native import NativeImporter
from mdptm.importers.threagile import ThreagileImporter, link_id, synthetic_id, tracking_pattern
from mdptm.model import Model
from mdptm.model.report import ImportReport
from mdptm.model.validate import pointer
from tests.importers.import_helpers import checked_import, warnings_with
from tests.importers.test_fuzz_importers import FUZZ, changes, in_tmp, mutated, outcome

MODEL = """\
threagile_version: 1.0.0
title: Infusion Pump Cloud
date: 2024-03-01
author:
  name: Jane Roe
  homepage: www.example.com
management_summary_comment: Summary for the report.
business_criticality: critical
business_overview:
  description: Remote programming of <b>infusion pumps</b>.
  images:
questions:
  How is the gateway patched?: Monthly by the device maker.
  Who rotates the keys?: ""
abuse_cases:
  Dose Tampering: As an attacker I want to change a dose.
security_requirements:
  Signed Firmware: Only signed firmware may run.
tags_available: [aws, pump]
data_assets:
  Infusion Orders:
    id: orders
    description: Drug library and orders
    usage: business
    owner: Hospital
    quantity: many
    confidentiality: strictly-confidential
    integrity: mission-critical
    availability: important
    justification_cia_rating: Patient safety.
  Pump Logs:
    id: logs
    description: Event logs
    confidentiality: internal
    integrity: operational
    availability: archive
technical_assets:
  Clinician Browser:
    id: browser
    description: The clinician's browser
    type: external-entity
    technology: browser
    out_of_scope: true
    justification_out_of_scope: Owned by the hospital
    internet: true
    machine: physical
    encryption: none
    owner: Hospital
    confidentiality: internal
    integrity: operational
    availability: operational
    data_assets_processed: [orders]
    communication_links:
      Order Entry:
        target: gateway
        description: Orders sent to the gateway
        protocol: https
        authentication: session-id
        authorization: end-user-identity-propagation
        vpn: false
        ip_filtered: false
        readonly: false
        usage: business
        data_assets_sent: [orders]
        data_assets_received: [orders, logs]
  Pump Gateway:
    id: gateway
    description: Gateway in the cloud
    type: process
    technology: web-service-rest
    tags: [aws]
    machine: container
    encryption: transparent
    data_assets_processed: [orders, logs]
    communication_links:
      Log Upload:
        target: log-store
        protocol: jdbc-encrypted
        authentication: credentials
        authorization: technical-user
        data_assets_sent: [logs]
  Log Store:
    id: log-store
    description: Log database
    type: datastore
    technology: database
    data_assets_stored: [logs]
trust_boundaries:
  Cloud:
    id: cloud
    description: Cloud account
    type: network-cloud-provider
    technical_assets_inside: [gateway]
    trust_boundaries_nested: [db-net]
  DB Network:
    id: db-net
    description: Database subnet
    type: network-cloud-security-group
    technical_assets_inside: [log-store]
shared_runtimes:
  Kubernetes:
    id: k8s
    description: Cluster
    technical_assets_running: [gateway, log-store]
individual_risk_categories:
  Dose Manipulation:
    id: dose-manipulation
    description: An order can be altered on its way to the pump.
    impact: A wrong dose reaches the patient.
    asvs: V5
    action: Order Integrity
    mitigation: Sign every order end to end.
    check: Are orders signed?
    function: architecture
    model_failure_possible_reason: true
    stride: tampering
    cwe: 345
    risks_identified:
      <b>Dose Manipulation</b> at <b>Pump Gateway</b>:
        severity: elevated
        exploitation_likelihood: likely
        exploitation_impact: high
        data_breach_probability: possible
        data_breach_technical_assets: [gateway]
        most_relevant_data_asset: orders
        most_relevant_technical_asset: gateway
      <b>Dose Manipulation</b> via <b>Order Entry</b>:
        severity: high
        exploitation_likelihood: unlikely
        exploitation_impact: very-high
        most_relevant_communication_link: browser>order-entry
  Log Loss:
    id: log-loss
    description: Logs can be lost.
    mitigation: Replicate logs.
    stride: repudiation
    risks_identified:
      <b>Log Loss</b> at <b>Log Store</b>:
        severity: low
        exploitation_likelihood: unlikely
        exploitation_impact: low
        most_relevant_technical_asset: log-store
      <b>Log Loss</b> in <b>DB Network</b>:
        severity: medium
        most_relevant_trust_boundary: db-net
risk_tracking:
  dose-manipulation@gateway@orders:
    status: mitigated
    justification: Orders are signed with the pharmacy key.
    ticket: PUMP-12
    date: 2024-02-01
    checked_by: Max Mustermann
  dose-manipulation@*@*:
    status: accepted
    justification: Matches only the risk the entry above tracks.
  dose-manipulation@*:
    status: in-progress
    justification: Being rolled out.
    checked_by: Erika Musterfrau
  log-loss@log-store:
    status: false-positive
    justification: The store is append-only and replicated by the cloud provider.
  log-loss@db-net:
    status: in-discussion
  missing-hardening@*:
    status: accepted
    justification: Hardened by the platform.
    checked_by: Jane Roe
diagram_tweak_nodesep: 2
"""

# the named entries of a Threagile model, each of which must be a record of the report
_ENTRIES = (
    "data_assets",
    "technical_assets",
    "trust_boundaries",
    "shared_runtimes",
    "individual_risk_categories",
    "risk_tracking",
    "questions",
    "abuse_cases",
    "security_requirements",
)


def _write(tmp_path: Path, text: str, name: str = "threagile.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _entries(data: dict[str, Any]) -> list[str]:
    """The pointer of every named entry, link and risk identified of a Threagile model."""
    out: list[str] = []
    for key in _ENTRIES:
        for name, entry in (data.get(key) or {}).items():
            out.append(pointer(key, name))
            if key == "technical_assets":
                out += [pointer(key, name, "communication_links", t) for t in (entry.get("communication_links") or {})]
            if key == "individual_risk_categories":
                out += [pointer(key, name, "risks_identified", t) for t in (entry.get("risks_identified") or {})]
    return out


def _accounted(path: Path, report: ImportReport) -> None:
    """Every entry of the file is a record, and the counts add up."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    located = {r.locator for r in report.records if r.file == path.name}
    missing = [p for p in _entries(data) if p not in located]
    assert not missing, missing
    c = report.finish().counts
    assert c.seen == c.imported + c.merged + c.skipped > 0


def _reason(report: ImportReport, locator: str) -> str:
    recs = [r for r in report.records if r.locator == locator]
    assert len(recs) == 1, (locator, recs)
    return recs[0].reason or ""


@pytest.fixture
def read(tmp_path: Path) -> tuple[Model, ImportReport, Path]:
    path = _write(tmp_path, MODEL)
    model, report = checked_import(path)
    return model, report, path


def test_the_architecture(read: tuple[Model, ImportReport, Path]) -> None:
    model, report, path = read
    _accounted(path, report)
    elements = {e.id: e for e in model.elements}
    assert {k: e.kind for k, e in elements.items()} == {"browser": "external_entity", "gateway": "process", "log-store": "data_store"}
    browser = elements["browser"]
    assert "out-of-scope" in browser.tags and browser.extra["out_of_scope_reason"] == "Owned by the hospital"
    assert browser.extra["technology"] == "browser" and browser.extra["internet"] is True and browser.extra["owner"] == "Hospital"
    assert browser.extra["confidentiality"] == "internal" and browser.extra["assets_processed"] == ["orders"]
    assert elements["gateway"].extra["encryption"] == "transparent" and elements["gateway"].tags == ["aws"]
    assert elements["gateway"].extra["shared_runtimes"] == ["Kubernetes"] == elements["log-store"].extra["shared_runtimes"]
    assert "shared runtime 'Kubernetes'" in _reason(report, "/shared_runtimes/Kubernetes")
    assert "its description: Cluster" in _reason(report, "/shared_runtimes/Kubernetes")
    # nesting: db-net inside cloud; each asset in the innermost boundary that lists it
    zones = {z.id: z for z in model.trust_zones}
    assert zones["db-net"].extra["parent_zone"] == "cloud" and zones["cloud"].kind == "cloud"
    assert (elements["gateway"].trust_zone, elements["log-store"].trust_zone, browser.trust_zone) == ("cloud", "db-net", None)
    flows = {f.name: f for f in model.flows}
    order = flows["Order Entry"]
    assert (order.source, order.target, order.initiator, order.protocol, order.authentication) == (
        "browser",
        "gateway",
        "browser",
        "https",
        "session-id",
    )
    assert (
        order.data == ["orders", "logs"] and order.extra["data_sent"] == ["orders"] and order.extra["data_received"] == ["orders", "logs"]
    )
    assert order.extra["authorization"] == "end-user-identity-propagation" and order.extra["vpn"] is False
    assert order.extra["threagile_id"] == "browser>order-entry" and "crosses-trust-boundary" in order.tags
    assets = {a.id: a for a in model.assets}
    orders = assets["orders"]
    assert (orders.confidentiality, orders.integrity, orders.availability) == ("high", "high", "medium")
    assert orders.extra["owner"] == "Hospital" and orders.extra["quantity"] == "many"
    assert orders.extra["threagile_confidentiality"] == "strictly-confidential"
    assert (assets["logs"].confidentiality, assets["logs"].availability) == ("low", "low") and assets["logs"].stored_in == ["log-store"]


def test_each_risk_identified_is_one_threat(read: tuple[Model, ImportReport, Path]) -> None:
    model, _report, _path = read
    threats = {t.title: t for t in model.threats}
    assert len(model.threats) == 4
    at_gateway = threats["Dose Manipulation at Pump Gateway"]  # the <b> markup gone
    assert at_gateway.stride == ["tampering"] and at_gateway.cwe == ["CWE-345"]
    assert at_gateway.targets == ["gateway"] and at_gateway.assets == ["orders"]
    assert at_gateway.risk is not None and at_gateway.risk.level == "high"  # elevated sits between medium and high
    assert (at_gateway.risk.likelihood, at_gateway.risk.severity) == ("likely", "high")
    assert at_gateway.extra["threagile_severity"] == "elevated" and at_gateway.extra["threagile_id"] == "dose-manipulation@gateway@orders"
    assert at_gateway.description.startswith("An order can be altered") and "Impact: A wrong dose" in at_gateway.description
    assert at_gateway.extra["category_model_failure_possible_reason"] is True
    assert at_gateway.extra["action"] == "Order Integrity" and at_gateway.extra["data_breach_technical_assets"] == ["gateway"]
    via_link = threats["Dose Manipulation via Order Entry"]
    assert via_link.targets == [next(f.id for f in model.flows if f.name == "Order Entry")]
    assert via_link.risk is not None and via_link.risk.level == "high"
    in_zone = threats["Log Loss in DB Network"]
    assert in_zone.targets == ["db-net"] and in_zone.stride == ["repudiation"]


def test_risk_tracking_gives_the_status(read: tuple[Model, ImportReport, Path]) -> None:
    model, report, _path = read
    threats = {t.extra["threagile_id"]: t for t in model.threats}
    mitigated = threats["dose-manipulation@gateway@orders"]  # the direct entry wins over the wildcard
    assert (mitigated.status, mitigated.status_stated) == ("mitigated", True)
    assert mitigated.rationale == "Orders are signed with the pharmacy key."
    assert mitigated.extra["tracking"] == {
        "id": "dose-manipulation@gateway@orders",
        "status": "mitigated",
        "ticket": "PUMP-12",
        "date": "2024-02-01",
    }
    in_progress = threats["dose-manipulation@browser>order-entry"]  # the wildcard: one @-part
    assert (in_progress.status, in_progress.status_stated, in_progress.rationale) == ("open", True, "Being rolled out.")
    false_positive = threats["log-loss@log-store"]
    assert false_positive.status == "not_applicable" and false_positive.rationale.startswith("The store is append-only")
    discussed = threats["log-loss@db-net"]
    assert (discussed.status, discussed.status_stated) == ("open", True)
    # the category's mitigation is one control for its threats; its status as their tracking states it
    controls = {c.id: c for c in model.controls}
    dose = controls[mitigated.controls[0]]
    assert dose.description == "Sign every order end to end." and in_progress.controls == [dose.id]
    assert (dose.status, dose.status_stated) == ("planned", True)  # one risk mitigated, the other in progress
    logs = controls[false_positive.controls[0]]
    assert logs.status_stated is False  # false-positive and in-discussion say nothing of the mitigation
    # a tracking entry for a risk Threagile's rules make: never a threat
    assert "Threagile's own rules make when it runs" in _reason(report, "/risk_tracking/missing-hardening@*")
    assert not any("hardening" in t.title.lower() for t in model.threats)
    assert warnings_with(report, "missing-hardening@*")
    dose = {r.locator: r.disposition for r in report.records if r.locator.startswith("/risk_tracking/dose") and r.locator.count("/") == 2}
    assert dose == {
        "/risk_tracking/dose-manipulation@gateway@orders": "merged",
        "/risk_tracking/dose-manipulation@*": "merged",
        "/risk_tracking/dose-manipulation@*@*": "skipped",  # a direct entry tracks its one risk already (Threagile: direct wins)
    }
    assert "tracks already" in _reason(report, "/risk_tracking/dose-manipulation@*@*")


def test_untracked_risks_state_no_status(tmp_path: Path) -> None:
    text = MODEL.split("risk_tracking:")[0]
    model, report = checked_import(_write(tmp_path, text))
    assert all(t.status == "open" and t.status_stated is False for t in model.threats)
    assert all(c.status_stated is False for c in model.controls)
    assert warnings_with(report, "have no risk_tracking entry")


def test_mitigated_everywhere_makes_the_control_implemented(tmp_path: Path) -> None:
    tracking = {"dose-manipulation@*": "mitigated", "dose-manipulation@*@*": "mitigated", "unchecked-thing@x": "unchecked"}
    text = MODEL.split("risk_tracking:")[0] + "risk_tracking:\n" + "".join(f"  {k}:\n    status: {v}\n" for k, v in tracking.items())
    model, report = checked_import(_write(tmp_path, text))
    dose = next(c for c in model.controls if c.description.startswith("Sign every order"))
    assert (dose.status, dose.status_stated) == ("implemented", True)
    assert "Threagile's own rules" in _reason(report, "/risk_tracking/unchecked-thing@x")


def test_questions_abuse_cases_requirements_and_people(read: tuple[Model, ImportReport, Path]) -> None:
    model, report, _path = read
    assert [a.text for a in model.assumptions] == ["How is the gateway patched? Monthly by the device maker."]
    assert "unanswered" in _reason(report, "/questions/Who rotates the keys?")
    assert "not a threat" in _reason(report, "/abuse_cases/Dose Tampering")
    assert "not a control" in _reason(report, "/security_requirements/Signed Firmware")
    assert len(model.threats) == 4  # no abuse case became a threat
    # people are never in the model: the author and every checked_by are skipped records, their names nowhere
    assert "people are not part of the model" in _reason(report, "/author")
    assert "people are not part of the model" in _reason(report, "/risk_tracking/dose-manipulation@gateway@orders/checked_by")
    dumped = model.model_dump_json()
    for name in ("Jane Roe", "Max Mustermann", "Erika Musterfrau"):
        assert name not in dumped
        assert not any(name in (r.reason or "") for r in report.records)
    assert model.product.name == "Infusion Pump Cloud" and model.document.date == "2024-03-01"
    assert model.product.description == "Remote programming of infusion pumps."
    assert "diagram layout only" in _reason(report, "/diagram_tweak_nodesep")


def test_ids_threagile_makes() -> None:
    assert link_id("web", "Customer Traffic (HTTPS)") == "web>customer-traffic-https"
    # as argo-threagile's risk_tracking writes it (SOURCES.md)
    assert link_id("api-server", "Get/Update/Delete Live Resource State from Kubernetes (Host)") == (
        "api-server>get-update-delete-live-resource-state-from-kubernetes-host"
    )
    assert synthetic_id("cat", data="d", asset="a", link="a>l", boundary="b", runtime="r") == "cat@a@a>l@b@r@d"
    assert tracking_pattern("cat@*@x").fullmatch("cat@a@x") and not tracking_pattern("cat@*").fullmatch("cat@a@x")
    assert not tracking_pattern("at@*").fullmatch("cat@a")  # the whole id, not a part of it


def test_detected_by_its_key(tmp_path: Path) -> None:
    path = _write(tmp_path, MODEL)
    head = path.read_bytes()[:8192]
    assert ThreagileImporter().sniff(path, head) > NativeImporter().sniff(path, head)
    assert ThreagileImporter().sniff(tmp_path / "x.yaml", b"title: x\n") == 0
    assert ThreagileImporter().sniff(path, b"\xef\xbb\xbfthreagile_version: 1.0.0\n") == 95  # saved with a BOM
    assert ThreagileImporter().sniff(path, b"# my model\n'threagile_version': 1.0.0\n") == 95
    assert ThreagileImporter().sniff(path, b"title: x\n# threagile_version: 1.0.0\n") == 0
    assert ThreagileImporter().sniff(tmp_path / "x.json", head) == 0


def test_broken_parts_are_reported_not_lost(tmp_path: Path) -> None:
    text = """\
threagile_version: 1.0.0
title: Shop
technical_assets:
  Web:
    id: web
    type: robot
    communication_links:
      To Nowhere:
        target: ghost
  Bare: just a string
trust_boundaries: [not, a, mapping]
individual_risk_categories:
  Empty Category:
    id: empty
    mitigation: Do something.
  Listed Risks:
    id: listed
    risks_identified: [a risk written as a list item]
  Odd:
    id: odd
    stride: linkability
    risks_identified:
      Odd at Web:
        severity: extreme
        most_relevant_technical_asset: web
      Odd at Ghost:
        most_relevant_technical_asset: ghost
"""
    path = _write(tmp_path, text)
    model, report = checked_import(path)
    assert [e.id for e in model.elements] == ["web"] and model.elements[0].extra["type"] == "robot"
    assert "not a technical asset" in _reason(report, "/technical_assets/Bare")
    assert "no technical asset of this file" in _reason(report, "/technical_assets/Web/communication_links/To Nowhere")
    assert "not a mapping" in _reason(report, "/trust_boundaries")
    assert "identifies no risk" in _reason(report, "/individual_risk_categories/Empty Category")
    assert "not a mapping of named risks" in _reason(report, "/individual_risk_categories/Listed Risks/risks_identified")
    odd = {t.title: t for t in model.threats}
    assert odd["Odd at Web"].risk is None and odd["Odd at Web"].extra["severity"] == "extreme" and odd["Odd at Web"].stride == []
    assert odd["Odd at Ghost"].targets == [] and odd["Odd at Ghost"].extra["unknown_targets"] == ["ghost"]
    assert warnings_with(report, "robot") and warnings_with(report, "linkability") and warnings_with(report, "extreme")


def test_bad_yaml_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "threagile_version: 1.0.0\ntechnical_assets:\n  Web: [unclosed\n")
    with pytest.raises(SystemExit) as exc:
        main(["import", str(path), "-o", str(tmp_path / "m.json")])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and str(path) in err and "YAML syntax error" in err and "Traceback" not in err


# --------------------------------------------------------------------------------------- template

STUB_FILLED_IN = """\
threagile_version: 1.0.0
title: Wahlpflichtmodul
questions:
  Some question without an answer?: ""
abuse_cases:
  Some Abuse Case: >
    Some Description
data_assets:
  Some Data Asset:
    id: some-data
    description: Some Description
    owner: Some Owner
    confidentiality: confidential
technical_assets:
  Client:
    id: some-component
    description: Some Description
    type: process
    owner: Some Owner
    data_assets_processed: [some-data]
    communication_links:
      Some Traffic:
        target: some-other-component
        description: Some Description
        protocol: https
        data_assets_sent: [some-data]
  Server:
    id: some-other-component
    description: Some Description
    type: process
  Some Other Technical Asset:
    id: leftover
    description: Some Description
    type: process
trust_boundaries:
  Some Trust Boundary:
    id: some-network
    description: Some Description
    technical_assets_inside: [some-component]
shared_runtimes:
  Some Shared Runtime:
    id: some-runtime
    description: Some Description
    technical_assets_running: [leftover]
individual_risk_categories:
  Some Individual Risk Example:
    id: something-strange
    description: Some text describing the risk category...
    impact: Some text describing the impact...
    mitigation: Some text describing the mitigation...
    stride: repudiation
    cwe: 693
    risks_identified:
      <b>Example Individual Risk</b> at <b>Some Technical Asset</b>:
        severity: critical
        most_relevant_technical_asset: some-component
risk_tracking:
  something-strange@some-component:
    status: accepted
  unencrypted-asset@some-component:
    status: accepted
    justification: Risk accepted as tolerable
"""


def test_a_stub_filled_in_keeps_the_authors_entries_only(tmp_path: Path) -> None:
    """A stub whose assets the author renamed (a real student model, SOURCES.md): what the author named or
    wired is theirs (the link 'Some Traffic' between their own assets, the boundary holding one); what is still
    as the stub has it is skipped, and the stub's example risk never becomes a threat, though it points at
    an asset the author kept."""
    path = _write(tmp_path, STUB_FILLED_IN)
    model, report = checked_import(path)
    _accounted(path, report)
    assert {e.name for e in model.elements} == {"Client", "Server"}
    assert [f.name for f in model.flows] == ["Some Traffic"] and model.flows[0].description == ""
    assert [a.id for a in model.assets] == ["some-data"]  # still the stub's, but the author's link sends it
    assert [z.id for z in model.trust_zones] == ["some-network"]
    assert model.threats == [] and model.controls == [] and model.assumptions == []
    for loc in (
        "/technical_assets/Some Other Technical Asset",
        "/shared_runtimes/Some Shared Runtime",
        "/individual_risk_categories/Some Individual Risk Example",
        pointer(
            "individual_risk_categories",
            "Some Individual Risk Example",
            "risks_identified",
            "<b>Example Individual Risk</b> at <b>Some Technical Asset</b>",
        ),
        "/questions/Some question without an answer?",
        "/abuse_cases/Some Abuse Case",
    ):
        assert "Threagile's model stub" in _reason(report, loc)
    assert "example risk" in _reason(report, "/risk_tracking/something-strange@some-component")
    assert "own rules" in _reason(report, "/risk_tracking/unencrypted-asset@some-component")
    client = next(e for e in model.elements if e.name == "Client")
    assert client.description == "" and client.extra["template_text"] == {"owner": "Some Owner", "description": "Some Description"}
    assert warnings_with(report, "still the ones Threagile's model stub fills in")


def test_the_stub_itself_is_refused(tmp_path: Path) -> None:
    stub = """\
threagile_version: 1.0.0
title: Model Stub
data_assets:
  Some Data Asset:
    id: some-data
    description: Some Description
technical_assets:
  Some Technical Asset:
    id: some-component
    description: Some Description
    type: process
    data_assets_processed: [some-data]
    communication_links:
      Some Traffic:
        target: some-other-component
        description: Some Description
        data_assets_sent: [some-data]
  Some Other Technical Asset:
    id: some-other-component
    description: Some Description
individual_risk_categories:
  Some Individual Risk Example:
    id: something-strange
    description: Some text describing the risk category...
    mitigation: Some text describing the mitigation...
    risks_identified:
      <b>Example Individual Risk</b> at <b>Some Technical Asset</b>:
        severity: critical
        most_relevant_technical_asset: some-component
"""
    with pytest.raises(InputError, match="model stub, not filled in"):
        checked_import(_write(tmp_path, stub))


# ------------------------------------------------------------------------------------ real files


def test_the_corpus_example(corpus: Path) -> None:
    """threagile-example.yaml (Threagile/threagile demo/example, 74e323e), counted by hand: 14 technical assets
    (4 external entities, 7 processes, 3 datastores; 4 out of scope), 20 communication links, 5 trust boundaries
    (3 nested in 'Application Network'), 12 data assets, 1 shared runtime over 5 assets, 1 individual risk
    category (the stub's, texts unchanged) with 2 risks its author pointed at the example's own assets, 6
    risk_tracking entries all for risks Threagile's rules make, 3 questions (1 unanswered), 11 abuse cases,
    3 security requirements."""
    path = corpus / "threagile" / "threagile-example.yaml"
    model, report = checked_import(path)
    _accounted(path, report)
    kinds = [e.kind for e in model.elements]
    assert (kinds.count("external_entity"), kinds.count("process"), kinds.count("data_store")) == (4, 7, 3)
    assert sum("out-of-scope" in e.tags for e in model.elements) == 4
    assert len(model.flows) == 20 and len(model.trust_zones) == 5 and len(model.assets) == 12
    assert sorted(z.id for z in model.trust_zones if z.extra.get("parent_zone") == "application-network") == [
        "auth-env",
        "erp-dmz",
        "web-dmz",
    ]
    assert sum("shared_runtimes" in e.extra for e in model.elements) == 5
    assert [(t.title, t.targets) for t in model.threats] == [
        ("Example Individual Risk at Database", ["sql-database"]),
        ("Example Individual Risk at Contract Filesystem", ["contract-file-server"]),
    ]
    assert all(t.description == "" and t.status_stated is False for t in model.threats)  # its texts are the stub's
    assert model.controls == []  # the mitigation is the stub's text
    tracking = [r for r in report.records if r.locator.count("/") == 2 and r.locator.startswith("/risk_tracking/")]
    assert len(tracking) == 6 and all(r.disposition == "skipped" and "own rules" in (r.reason or "") for r in tracking)
    assert len(model.assumptions) == 2
    assert sum(r.locator.startswith("/abuse_cases/") for r in report.records) == 11
    assert "John Doe" not in model.model_dump_json()


def test_the_corpus_stub(corpus: Path) -> None:
    """threagile-stub.yaml (Threagile/threagile demo/stub): every entry is the template's example."""
    path = corpus / "threagile" / "threagile-stub.yaml"
    with pytest.raises(InputError, match="model stub, not filled in") as err:
        checked_import(path)
    assert err.value.file == str(path)


def test_build_of_the_corpus_example(corpus: Path, tmp_path: Path) -> None:
    """mdptm build on a project whose source is the Threagile example: the package builds, the only threats
    are the file's two risks identified, and no person's name or tracking ticket reaches a public byte."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(corpus / "threagile" / "threagile-example.yaml", project / "threagile.yaml")
    (project / "mdptm.yaml").write_text(
        "sources: [threagile.yaml]\nproduct: {name: Example Portal, manufacturer: Example Maker}\ndocument: {version: '1.0'}\n",
        encoding="utf-8",
    )
    out = tmp_path / "ptm"
    result = CliRunner().invoke(cli, ["build", str(project), "-o", str(out)])
    assert result.exit_code == 0, result.output
    published = json.loads((out / "ptm.json").read_text(encoding="utf-8"))
    assert [t["title"] for t in published["threats"]] == [
        "Example Individual Risk at Database",
        "Example Individual Risk at Contract Filesystem",
    ]
    assert len(published["elements"]) == 14 and len(published["flows"]) == 20
    for f in sorted(p for p in out.rglob("*") if p.is_file()):
        data = f.read_bytes()
        for secret in (b"John Doe", b"XYZ-1234", b"XYZ-5678", b"ldap-injection", b"missing-hardening"):
            assert secret not in data, (f.name, secret)


ARGO_LIKE = """\
threagile_version: 1.0.0
title: Argo CD
technical_assets:
  API Server:
    id: api-server
    description: Argo CD API server.
    type: process
    data_assets_sent: [db-export]
    data_assets_produced: [db-export]
    communication_links:
      Get/Update/Delete Live Resource State from Kubernetes (Host):
        target: host-api
        protocol: https
        authentication: token
  Host Cluster Kubernetes API:
    id: host-api
    type: external-entity
  User CLI:
    id: user-cli
    type: process
    communication_links:
      Make Requests to API Server: &api-server-request
        target: api-server
        protocol: https
        authentication: token
  Web UI:
    id: web-ui
    type: process
    communication_links:
      Make Requests to API Server:
        <<: *api-server-request
risk_tracking:
  server-side-request-forgery@api-server@host-api@api-server>get-update-delete-live-resource-state-from-kubernetes-host:
    status: false-positive
    justification: We do not control the Kubernetes API.
    checked_by: A Maintainer
  missing-authentication-second-factor@*>make-requests-to-api-server@*@api-server:
    status: accepted
    justification: Not supported yet.
"""


def test_a_real_model_without_risks_of_its_own(tmp_path: Path) -> None:
    """The layout of argo-threagile (SOURCES.md): links written with a YAML merge key, two assets giving a
    link the same title, link titles with '/' and brackets, assets without a description, keys Threagile does
    not define on an asset, and a risk_tracking that tracks only risks Threagile's rules make."""
    path = _write(tmp_path, ARGO_LIKE)
    model, report = checked_import(path)
    _accounted(path, report)
    flows = {f.id: f for f in model.flows}
    assert sorted(flows) == [
        "df-get-update-delete-live-resource-state-fr",  # a slug is cut at 40 characters
        "df-make-requests-to-api-server-user-cli",
        "df-make-requests-to-api-server-web-ui",
    ]
    web = flows["df-make-requests-to-api-server-web-ui"]
    assert (web.source, web.target, web.protocol, web.authentication) == ("web-ui", "api-server", "https", "token")
    assert flows["df-get-update-delete-live-resource-state-fr"].extra["threagile_id"] == (
        "api-server>get-update-delete-live-resource-state-from-kubernetes-host"
    )
    api = next(e for e in model.elements if e.id == "api-server")
    assert api.extra["data_assets_sent"] == ["db-export"] and api.extra["data_assets_produced"] == ["db-export"]
    assert next(e for e in model.elements if e.id == "host-api").description == ""
    assert model.threats == [] and model.controls == []
    tracking = [r for r in report.records if r.locator.startswith("/risk_tracking/") and not r.locator.endswith("/checked_by")]
    assert len(tracking) == 2 and all("own rules" in (r.reason or "") for r in tracking)
    assert "A Maintainer" not in model.model_dump_json()


def _model() -> Any:
    return yaml.safe_load(MODEL)


@FUZZ
@given(changes)
def test_mutated_threagile_models_are_read_or_refused(edits: list[tuple[int, Any]]) -> None:
    """Any part of a Threagile model replaced by a random value: a model whose report reconciles, or an input
    error naming the file; never a crash."""
    data = mutated(_model, edits)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    in_tmp("threagile.yaml", text.encode("utf-8", "surrogatepass"), lambda p: outcome(p, "threagile"))


@pytest.mark.parametrize(
    "text", ["threagile_version: 1\n", "threagile_version: 1\ntechnical_assets: 5\n", "- threagile_version\n", "null\n"]
)
def test_empty_or_odd_files_are_input_errors(tmp_path: Path, text: str) -> None:
    assert outcome(_write(tmp_path, text), "threagile") == "input error"


def test_build_of_a_model_with_risks_and_tracking(tmp_path: Path) -> None:
    """A model whose author identified and tracked risks builds into a package: its threats with their tracked
    statuses, the category's mitigation as a control, and no name of a person, ticket or tracking date in any byte."""
    project = tmp_path / "project"
    project.mkdir()
    _write(project, MODEL)
    (project / "mdptm.yaml").write_text(
        "sources: [threagile.yaml]\nproduct: {manufacturer: Pump Maker}\ndocument: {version: '1.0'}\n", encoding="utf-8"
    )
    out = tmp_path / "ptm"
    result = CliRunner().invoke(cli, ["build", str(project), "-o", str(out)])
    assert result.exit_code == 0, result.output
    published = json.loads((out / "ptm.json").read_text(encoding="utf-8"))
    statuses = {t["title"]: t["status"] for t in published["threats"]}
    assert statuses == {
        "Dose Manipulation at Pump Gateway": "mitigated",
        "Dose Manipulation via Order Entry": "open",
        "Log Loss at Log Store": "not_applicable",
        "Log Loss in DB Network": "open",
    }
    assert {c["description"] for c in published["controls"]} == {"Sign every order end to end.", "Replicate logs."}
    for f in sorted(p for p in out.rglob("*") if p.is_file()):
        data = f.read_bytes()
        for secret in (b"Jane Roe", b"Max Mustermann", b"Erika Musterfrau", b"PUMP-12", b"missing-hardening"):
            assert secret not in data, (f.name, secret)
