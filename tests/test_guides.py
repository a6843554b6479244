"""The hospital lifecycle guides: derived from the model, complete where it matters, in .md and .docx."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml

from mdptm import guides, render_md
from mdptm.docir import Bullets, Doc, Heading, Table
from mdptm.guides import PHASES, Facts, build_guides, holding_assets, mc2_principles, write_guides
from mdptm.model import Asset, Document, Element, Flow, Model, Product, Threat, TrustZone
from mdptm.modelio import load
from mdptm.plugins import ExportContext
from mdptm.results import ClauseResult, Coverage, Finding, FrameworkResult, Review

PUMP = Path(__file__).parent / "data" / "guides" / "pump.yaml"
SAMPLE_MODEL = Path(__file__).resolve().parent.parent / "samples" / "infusion-pump" / "model.yaml"


def pump() -> Model:
    return Model.model_validate(yaml.safe_load(PUMP.read_text(encoding="utf-8")))


def text_of(doc: Doc) -> str:
    """Every word of a guide, as a reader sees the Markdown the renderer writes (backslash escapes,
    which keep model text from becoming links, undone)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", render_md.render(doc))


def tables(doc: Doc) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def headings(doc: Doc, level: int | None = None) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Heading) and (level is None or b.level == level)]


def coverage() -> Coverage:
    mc2 = FrameworkResult(id="mc2", title="HSCC MC2", clauses=[
        ClauseResult(id="security_development_lifecycle", title="Security Development Lifecycle", status="covered",
                     evidence=["T-1", "C-MTLS"], rationale="Threat model with verified controls."),
        ClauseResult(id="supplier_transparency", title="Supplier Transparency", status="partial",
                     evidence=["V-GSV"], rationale="No SBOM format stated for the gateway."),
        ClauseResult(id="secure_by_default", title="Secure by Default", status="gap", evidence=[],
                     rationale="Default biomed PIN must be changed by the hospital."),
    ])
    cra = FrameworkResult(id="cra-annex-i", title="CRA Annex I", clauses=[
        ClauseResult(id="I.2.a", title="No known exploitable vulnerabilities", status="gap"),
        ClauseResult(id="I.2.b", title="Secure by default configuration", status="covered"),
    ], summary={"covered": 1, "gap": 1})
    fda = FrameworkResult(id="fda-premarket", title="FDA premarket cybersecurity", clauses=[
        ClauseResult(id="view.global_system", title="Global system view", status="covered"),
    ])
    return Coverage(frameworks=[cra, mc2, fda])


# ------------------------------------------------------------------------------------ every phase


def test_five_guides_in_order_each_specific_to_the_device() -> None:
    docs = build_guides(pump(), coverage(), None)
    assert list(docs) == list(PHASES)
    for phase, doc in docs.items():
        text = text_of(doc)
        assert "Aquila Infusion System" in doc.title and phase.replace("-", "") in doc.title.replace("-", "").lower()
        assert "public threat model version 1.0" in text
        assert tables(doc), phase


def test_deployment_lists_every_port_of_every_flow() -> None:
    m = pump()
    doc = build_guides(m)["deployment"]
    flow_table = next(t for t in tables(doc) if "Port" in t.header)
    col = flow_table.header.index("Port")
    rows = {r[0]: r for r in flow_table.rows}
    assert set(rows) == {f.id for f in m.flows}
    for f in m.flows:
        assert rows[f.id][col] == (f.port or "not stated")
        assert rows[f.id][flow_table.header.index("Protocol")] == f.protocol
    assert rows["F-4"][col] == "443, 8080"
    assert rows["F-5"][flow_table.header.index("Encryption")] == "none"
    assert rows["F-6"][flow_table.header.index("Encryption")] == "not stated"
    assert rows["F-1"][flow_table.header.index("Dir")] == "↔"
    assert rows["F-2"][2:5] == ["Pump controller", "→", "Pump gateway server"]
    text = text_of(doc)
    assert "Port not stated for F-6" in text and "Unencrypted: F-5" in text


def test_deployment_segmentation_customer_controls_and_hardening() -> None:
    doc = build_guides(pump())["deployment"]
    seg = next(t for t in tables(doc) if t.header[:3] == ["Zone", "Direction", "Zone"])
    assert ["Hospital clinical network", "→", "Manufacturer cloud", "F-3", "443"] in seg.rows
    assert ["Hospital clinical network", "↔", "Pump device", "F-1", "8443"] in seg.rows
    zones = next(t for t in tables(doc) if t.header[:2] == ["Zone", "Trust level"])
    assert [r[2] for r in zones.rows] == ["on the device", "hospital network", "outside the hospital"]
    owned = next(t for t in tables(doc) if "Threats addressed" in t.header)
    assert [r[0] for r in owned.rows] == ["C-LOG", "C-SEG", "C-BACKUP"]
    text = text_of(doc)
    assert "AS-1" in text and "AS-2" in text and "AS-3" not in text  # the maker's own assumption is not the hospital's
    assert "Installation and network configuration" in headings(doc, 2)
    assert "Change the default biomed PIN." in text
    assert "Decommissioning a pump" not in text


def test_decommissioning_names_every_asset_that_holds_data_or_secrets() -> None:
    m = pump()
    doc = build_guides(m)["decommissioning"]
    table = tables(doc)[0]
    names = [r[0] for r in table.rows]
    expected = [a.name for a in m.assets if a.kind in {"phi", "pii", "therapy_data", "credential",
                                                       "cryptographic_key", "configuration", "log"}]
    assert names == expected
    assert "Pump firmware" not in names and "Dose delivery" not in names
    phi = table.rows[0]
    assert phi[2] == "Pump controller, Pump gateway server, Fleet analytics service"
    assert phi[3] == "on the device, hospital network, outside the hospital"
    assert phi[4].startswith("Factory reset")
    text = text_of(doc)
    revoke = next(b for b in doc.blocks[doc.blocks.index(Heading("Credentials and certificates to revoke")):]
                  if isinstance(b, Bullets))
    joined = "\n".join(revoke.items)
    assert "Device TLS private key" in joined and "Gateway service account" in joined
    assert "F-1 Infusion orders: mutual TLS certificates" in joined and "F-4" not in joined  # signed packages
    assert "Fleet analytics service" in joined and "Update server" not in joined
    assert "Export the audit log." in text  # the decommissioning use case


def test_holding_assets_by_rating_or_disposal_too() -> None:
    m = pump()
    m.assets.append(Asset(id="A-X", name="Trend cache", kind="other", confidentiality="high"))
    m.assets.append(Asset(id="A-Y", name="Boot logo", kind="firmware", disposal="Reflash."))
    m.assets.append(Asset(id="A-Z", name="Spare", kind="other"))
    held = [a.id for a in holding_assets(Facts.of(m))]
    assert "A-X" in held and "A-Y" in held and "A-Z" not in held


def test_pre_procurement_profile_data_leaving_and_support() -> None:
    doc = build_guides(pump(), None, Review(findings=[Finding(check="x", severity="warning", message="m")]))[
        "pre-procurement"]
    profile = {r[0]: r[1] for r in tables(doc)[0].rows}
    assert profile["Data flows"].startswith("6; 2 leave the hospital; 1 unencrypted")
    assert profile["Threats analysed"] == "5 (2 mitigated, 1 partially mitigated, 1 accepted, 1 open)"
    assert "pre-publication review passed" in profile["Publication review"]
    leaving = tables(doc)[1]
    assert [r[0] for r in leaving.rows] == ["F-3 Fleet telemetry", "F-4 Software updates"]
    assert "Patient identity and infusion history" in leaving.rows[0][3]
    text = text_of(doc)
    assert "2032-12-31" in text and "https://example.com/security/cvd" in text and "psirt@example.com" in text
    assert "C-SEG" in text and "AS-1" in text
    assert "Threat T-5 (Telemetry exposes patient data in the cloud) is open." in text
    assert "Control C-PSEUDO (Pseudonymise telemetry) is planned." in text


def test_operations_logs_monitoring_patching_residual_risk() -> None:
    doc = build_guides(pump())["operations"]
    text = text_of(doc)
    logs = next(t for t in tables(doc) if t.header[0] == "Log")
    assert logs.rows[0][0] == "Pump audit log"
    assert "Fleet analytics service (Manufacturer cloud) via F-3 (leaves the hospital)" in logs.rows[0][2]
    look = next(t for t in tables(doc) if "Logging controls" in t.header)
    assert look.rows == [["T-2", "Clinician denies changing a dose", "Pump controller", "mitigated", "C-LOG"]]
    assert "The gateway downloads the package and verifies its signature." in text
    assert "Critical fixes within 30 days of validation." in text
    residual = next(t for t in tables(doc) if "Residual risk" in t.header)
    assert [(r[0], r[3]) for r in residual.rows] == [("T-3", "medium"), ("T-4", "medium"), ("T-5", "not stated")]
    assert "T-3" in text and "catastrophic" in text  # multi-patient harm
    assert "F-3 to Fleet analytics service (443)" in text


# ---------------------------------------------------------------------------------- procurement


def test_procurement_is_organised_by_mc2_principles() -> None:
    doc = build_guides(pump(), coverage())["procurement"]
    assert headings(doc, 1)[:2] == ["MC2 principles", "MC2 gaps to settle in the contract"]
    annex = tables(doc)[0]
    assert annex.header == ["Principle", "Status", "Evidence in the threat model", "Assessment"]
    assert [r[:2] for r in annex.rows] == [["Security Development Lifecycle", "covered"],
                                           ["Supplier Transparency", "partial"], ["Secure by Default", "gap"]]
    assert annex.rows[0][2] == "T-1 Spoofed infusion order; C-MTLS Mutual TLS between gateway and pump"
    assert annex.rows[2][2] == "none in the threat model"
    assert "Default biomed PIN" in annex.rows[2][3]
    gaps = next(b for b in doc.blocks if isinstance(b, Bullets))
    assert gaps.items == ["Supplier Transparency (partial)", "Secure by Default (gap)"]
    summary = next(t for t in tables(doc) if t.header[0] == "Framework")
    assert summary.rows == [["CRA Annex I", "1", "0", "1", "0"], ["FDA premarket cybersecurity", "1", "0", "0", "0"]]
    text = text_of(doc)
    assert "I.2.a No known exploitable vulnerabilities (gap)" in text
    assert "outside the Cyber Resilience Act" in text  # cra_scope: excluded_mdr_ivdr
    assert "2032-12-31" in text  # support terms for the contract


def test_procurement_from_the_shipped_mc2_catalogue_and_mapping() -> None:
    from mdptm.mapping import map_model

    m = pump()
    cov = map_model(m)
    mc2 = cov.framework("mc2")
    assert mc2 is not None
    doc = build_guides(m, cov)["procurement"]
    groups = list(dict.fromkeys(c.group for c in mc2.clauses))
    titles = guides._group_titles()
    assert headings(doc, 1)[:len(groups)] == [titles.get(g, g) for g in groups]
    annex_rows = [r[0] for t in tables(doc)[:len(groups)] for r in t.rows]
    assert annex_rows == [c.title for c in mc2.clauses]  # every MC2 clause, in catalogue order
    text = text_of(doc)
    for fw in ("cra-annex-i", "cra-annex-ii", "fda-premarket"):
        f = cov.framework(fw)
        assert f is not None and f.title in text


def test_many_evidence_items_are_cut_short() -> None:
    cov = coverage()
    mc2 = cov.framework("mc2")
    assert mc2 is not None
    mc2.clauses[0].evidence = [t.id for t in pump().threats] + ["C-LOG", "C-SEG"]
    doc = build_guides(pump(), cov)["procurement"]
    assert tables(doc)[0].rows[0][2].endswith("; and 2 more")


def test_procurement_without_coverage_lists_the_catalogues_principles(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    cat = tmp_path / "mc2.yaml"
    cat.write_text(yaml.safe_dump({"id": "mc2", "groups": [{"id": "maturity", "title": "Maturity pillar"}],
                                   "clauses": [
        {"id": "security_development_lifecycle", "title": "Security Development Lifecycle", "summary": "SDL.",
         "group": "maturity"},
        {"id": "security_patching", "title": "Security Patching", "summary": "Patches in time.",
         "group": "performance"}]}), encoding="utf-8")
    assert [p.id for p in mc2_principles(cat)] == ["security_development_lifecycle", "security_patching"]
    monkeypatch.setattr(guides, "MC2_FILE", str(cat))  # an absolute path wins over the mappings folder
    doc = build_guides(pump(), None)["procurement"]
    assert headings(doc, 1)[:2] == ["Maturity pillar", "Performance"]
    assert [r[0] for r in tables(doc)[0].rows] == ["Security Development Lifecycle"]
    assert [r[0] for r in tables(doc)[1].rows] == ["Security Patching"]
    assert all(r[2] == "not assessed" for t in tables(doc)[:2] for r in t.rows)
    assert "MC2 coverage was not assessed" in text_of(doc)
    assert "CRA and FDA coverage was not assessed" in text_of(doc)


def test_mc2_catalogue_absent(tmp_path: Path) -> None:
    assert mc2_principles(tmp_path / "missing.yaml") == []


# ----------------------------------------------------------------------------- robustness, output


def test_sparse_model_says_what_is_missing() -> None:
    m = Model(product=Product(name="Bare", manufacturer="Maker"), document=Document(version="0.1"))
    docs = build_guides(m)
    text = "\n".join(text_of(d) for d in docs.values())
    assert "ask the manufacturer" in text
    assert "The threat model describes no data flows." in text
    assert "The threat model names no asset that holds data or secrets." in text
    assert "MC2" in text_of(docs["procurement"])


def test_locations_from_zone_names_kinds_and_element_names() -> None:
    m = Model(product=Product(name="P", manufacturer="M"), document=Document(version="1"),
              trust_zones=[TrustZone(id="Z1", name="Internet"), TrustZone(id="Z2", name="Ward LAN"),
                           TrustZone(id="Z3", name="Zone C", tags=["cloud"])],
              elements=[Element(id="a", name="Portal", trust_zone="Z1"), Element(id="b", name="Monitor", trust_zone="Z2"),
                        Element(id="c", name="Svc", trust_zone="Z3"), Element(id="d", name="X", kind="cloud_service"),
                        Element(id="e", name="Bedside pump", kind="process"), Element(id="f", name="Planner")],
              flows=[Flow(id="F1", source="b", target="a", port="443"), Flow(id="F2", source="b", target="f")])
    m.trust_zones.append(TrustZone(id="Z4", name="Solution boundary"))
    m.elements += [Element(id="g", name="Functions", kind="cloud_service", trust_zone="Z4"),
                   Element(id="h", name="Store", kind="data_store", trust_zone="Z4"),
                   Element(id="i", name="Thing", kind="process")]
    m.flows += [Flow(id="F3", source="g", target="h"), Flow(id="F4", source="g", target="i"),
                Flow(id="F5", source="e", target="b")]
    f = Facts.of(m)
    assert [f.where(x) for x in "abcdefghi"] == ["outside", "hospital", "outside", "outside", "hospital", "unknown",
                                                 "outside", "outside", "unknown"]  # h sits with g in Z4
    assert f.leaves_hospital(m.flows[0]) is True
    assert f.leaves_hospital(m.flows[1]) is None  # crosses zones, but "Planner" says nothing ("lan" ≠ "plan")
    assert f.leaves_hospital(m.flows[2]) is False  # both ends in the cloud
    assert f.leaves_hospital(m.flows[3]) is None  # from the cloud to somewhere the model does not say
    assert f.leaves_hospital(m.flows[4]) is False  # bedside pump to the ward LAN


def test_markdown_escapes_model_text() -> None:
    m = pump()
    m.threats.append(Threat(id="T-X", title="Pipe | in <script>alert(1)</script> title", status="accepted",
                            rationale="# not a heading"))
    md = render_md.render(build_guides(m)["operations"])  # as written, escapes and all
    row = next(line for line in md.splitlines() if line.startswith("| T-X"))
    assert "Pipe \\| in &lt;script>alert(1)&lt;/script> title" in row
    assert row.count(" | ") == 5  # six cells, the pipe in the title did not add one
    assert "\\# not a heading" in row


def test_long_threat_lists_keep_the_most_severe_and_say_how_many_more() -> None:
    from mdptm.model import Risk

    m = pump()
    m.threats += [Threat(id=f"T-A{i}", title=f"Accepted {i}", status="accepted",
                         residual_risk=Risk(level="critical" if i == 77 else "low")) for i in range(100)]
    doc = build_guides(m)["operations"]
    residual = next(t for t in tables(doc) if "Residual risk" in t.header)
    ids = [r[0] for r in residual.rows]
    assert len(ids) == guides.THREAT_ROWS
    assert "T-A77" in ids and "T-3" in ids  # the critical one and the medium ones are kept
    assert ids.index("T-3") < ids.index("T-A77")  # model order is kept among those shown
    assert "… and 63 more threats with residual risk" in text_of(doc)
    deploy = text_of(build_guides(m)["deployment"])
    assert all(f.id in deploy for f in m.flows)  # flows are never cut


def test_guides_are_deterministic() -> None:
    a = {k: text_of(d) for k, d in build_guides(pump(), coverage()).items()}
    b = {k: text_of(d) for k, d in build_guides(pump(), coverage()).items()}
    assert a == b


def test_sample_project_guides() -> None:
    if not SAMPLE_MODEL.is_file():
        pytest.skip("samples/infusion-pump is not in this checkout")
    m = load(SAMPLE_MODEL)
    docs = build_guides(m)
    deploy = text_of(docs["deployment"])
    for f in m.flows:
        assert f.id in deploy and (f.port or "not stated") in deploy
    decom = text_of(docs["decommissioning"])
    for a in m.assets:
        if a.kind in {"phi", "pii", "therapy_data", "credential", "cryptographic_key", "configuration", "log"}:
            assert a.name in decom
    lengths = {k: len(text_of(d)) for k, d in docs.items()}
    assert max(lengths.values()) < 40_000, lengths  # short guides, not a second copy of the PTM


def test_write_guides_writes_markdown_and_word(tmp_path: Path) -> None:
    pytest.importorskip("mdptm.render_docx", reason="the Word renderer is not in this checkout yet")
    docs = build_guides(pump(), coverage())
    written = write_guides(tmp_path, docs, ExportContext(draft=True))
    assert sorted(p.name for p in written) == sorted(f"{p}.{ext}" for p in PHASES for ext in ("md", "docx"))
    for phase in PHASES:
        md = (tmp_path / "guides" / f"{phase}.md").read_text(encoding="utf-8")
        assert md.startswith("**DRAFT**")
        with zipfile.ZipFile(tmp_path / "guides" / f"{phase}.docx") as z:
            body = z.read("word/document.xml").decode("utf-8")
        assert "Aquila Infusion System" in body
    with zipfile.ZipFile(tmp_path / "guides" / "deployment.docx") as z:
        body = z.read("word/document.xml").decode("utf-8")
    for port in ("8443", "6514", "443, 8080", "2575"):
        assert port in body


# ------------------------------------------------------------------------------------------ build


def _project(tmp_path: Path, model: Model, **extra: object) -> Path:
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "model.json").write_text(model.model_dump_json(by_alias=True), encoding="utf-8")
    (proj / "mdptm.yaml").write_text(yaml.safe_dump({"sources": ["model.json"], **extra}), encoding="utf-8")
    return proj


def test_build_writes_ten_guide_files(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from mdptm.cli import cli

    proj = _project(tmp_path, pump())
    res = CliRunner().invoke(cli, ["build", str(proj), "-o", str(tmp_path / "out"), "--draft"])
    assert res.exit_code == 0, res.output
    names = sorted(p.name for p in (tmp_path / "out" / "guides").iterdir())
    assert names == sorted(f"{p}.{ext}" for p in PHASES for ext in ("docx", "md"))
    manifest = (tmp_path / "out" / "MANIFEST.json").read_text(encoding="utf-8")
    assert "guides/deployment.docx" in manifest
    procurement = (tmp_path / "out" / "guides" / "procurement.md").read_text(encoding="utf-8")
    assert "Security Development Lifecycle" in procurement and "not assessed" not in procurement
    first = {p.name: p.read_bytes() for p in (tmp_path / "out" / "guides").iterdir()}
    res = CliRunner().invoke(cli, ["build", str(proj), "-o", str(tmp_path / "out"), "--draft"])
    assert res.exit_code == 0, res.output
    assert first == {p.name: p.read_bytes() for p in (tmp_path / "out" / "guides").iterdir()}


def test_build_with_a_previous_version_records_the_history(tmp_path: Path) -> None:
    from mdptm.build import build

    old, new = pump(), pump()
    new.document.version = "1.1"
    new.threats = [t for t in new.threats if t.id != "T-4"]
    proj = _project(tmp_path, new, previous="previous/ptm.json")
    (proj / "previous").mkdir()
    (proj / "previous" / "ptm.json").write_text(old.model_dump_json(by_alias=True), encoding="utf-8")
    build(proj, tmp_path / "out", draft=True)
    published = yaml.safe_load((tmp_path / "out" / "ptm.json").read_text(encoding="utf-8"))
    history = published["document"]["history"]
    assert [h["version"] for h in history] == ["1.0", "1.1"]
    assert history[-1]["summary"] == "Removed threat T-4."
