"""The hospital lifecycle guides: derived from the model, complete where it matters, in .md and .docx."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml

from mdptm.documents import guides
from mdptm.documents.guides import PHASES, Facts, build_guides, holding_assets, mc2_principles, write_guides
from mdptm.model import Asset, Document, Element, Flow, Model, Product, Threat, TrustZone, topology
from mdptm.model.io import load
from mdptm.model.results import ClauseResult, Coverage, Finding, FrameworkResult, Review
from mdptm.plugins import ExportContext
from mdptm.render import markdown as render_md
from mdptm.render.docir import Bullets, Doc, Heading, Table

PUMP = Path(__file__).parent.parent / "data" / "guides" / "pump.yaml"
SAMPLE_MODEL = Path(__file__).resolve().parent.parent.parent / "samples" / "infusion-pump" / "model.yaml"


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
    mc2 = FrameworkResult(
        id="mc2",
        title="HSCC MC2",
        clauses=[
            ClauseResult(
                id="security_development_lifecycle",
                title="Security Development Lifecycle",
                status="covered",
                evidence=["T-1", "C-MTLS"],
                rationale="Threat model with verified controls.",
            ),
            ClauseResult(
                id="supplier_transparency",
                title="Supplier Transparency",
                status="partial",
                evidence=["V-GSV"],
                rationale="No SBOM format stated for the gateway.",
            ),
            ClauseResult(
                id="secure_by_default",
                title="Secure by Default",
                status="gap",
                evidence=[],
                rationale="Default biomed PIN must be changed by the hospital.",
            ),
        ],
    )
    cra = FrameworkResult(
        id="cra-annex-i",
        title="CRA Annex I",
        clauses=[
            ClauseResult(id="I.2.a", title="No known exploitable vulnerabilities", status="gap"),
            ClauseResult(id="I.2.b", title="Secure by default configuration", status="covered"),
        ],
        summary={"covered": 1, "gap": 1},
    )
    fda = FrameworkResult(
        id="fda-premarket",
        title="FDA premarket cybersecurity",
        clauses=[
            ClauseResult(id="view.global_system", title="Global system view", status="covered"),
        ],
    )
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


def test_deployment_firewall_rules_follow_who_opens_each_connection() -> None:
    m = pump()
    doc = build_guides(m)["deployment"]
    assert headings(doc, 2)[:2] == ["Hospital clinical network", "Not stated (see the questions)"]
    clinical = next(t for t in tables(doc) if t.header[0] == "Dir")
    rows = {(r[0], r[-1].rstrip(" *")): r for r in clinical.rows}
    assert rows[("out", "F-1")][1:5] == ["Pump gateway server", "Pump controller (segment not stated)", "HTTPS", "TCP 8443"]
    assert rows[("in", "F-2")][4] == "6514"  # transport not stated: a question asks, nothing is invented
    assert rows[("in", "F-4")][4] == "TCP 443, TCP 8080"
    text = text_of(doc)
    assert "F-5 Electronic health record → Pump gateway server (TCP 2575)" in text  # same segment: no rule
    assert "local links, no firewall rule): F-6 Screen to controller." in text  # an internal bus is not network traffic
    assert "not stated" not in " ".join(r[4] for t in tables(doc) if t.header[0] == "Dir" for r in t.rows)
    assert "F-2 Pump events to gateway: is port 6514 TCP or UDP?" in text
    # F-4 is drawn from the update server: with no statement, the rule is assumed and flagged, and asked about
    assert "F-4 Software updates is opened from outside the hospital (Update server)" in text
    assert "Which hospital network does Pump controller use for F-1 Infusion orders" in text


def test_deployment_zones_hospital_controls_and_hardening() -> None:
    doc = build_guides(pump())["deployment"]
    text = text_of(doc)
    assert "**Segments:** Hospital clinical network (network segment, inferred from its name)." in text
    assert "**Not segments:** Pump device (physical area, inferred from its name)." in text
    assert "**Outside the hospital:** Manufacturer cloud (device maker's site, inferred from its name)." in text
    owned = next(t for t in tables(doc) if t.header[:2] == ["Control", "Expected of"])
    assert [r[0].split()[0] for r in owned.rows] == ["C-LOG", "C-SEG", "C-BACKUP"]
    assert [r[1] for r in owned.rows] == ["the hospital and the device maker", "the hospital", "the hospital"]
    assert "implemented" not in text.lower()  # the hospital's controls are expected, never "implemented"
    assert "AS-1" in text and "AS-2" in text and "AS-3" not in text  # the maker's own assumption is not the hospital's
    assert "Change the default biomed PIN." in text
    assert "Decommissioning a pump" not in text
    infra = next(t for t in tables(doc) if t.header[0] == "Service")
    assert [r[0] for r in infra.rows] == ["Identity provider (SSO, OAuth, SAML)", "Log collection (syslog / SIEM)"]
    assert "Does the device resolve names through the hospital's DNS" in text


def test_decommissioning_names_every_asset_that_holds_data_or_secrets() -> None:
    m = pump()
    doc = build_guides(m)["decommissioning"]
    table = tables(doc)[0]
    held = [a for a in m.assets if a.kind in {"phi", "pii", "therapy_data", "credential", "cryptographic_key", "configuration", "log"}]
    data = " ".join(r[2] for r in table.rows)
    assert all(a.name in data for a in held)
    assert "Pump firmware" not in data and "Dose delivery" not in data
    rows = {r[0]: r for r in table.rows}
    assert list(rows)[:3] == ["Pump controller", "Pump gateway server", "Fleet analytics service"]
    assert rows["Pump controller"][1] == "on the device" and rows["Fleet analytics service"][1] == "outside the hospital"
    assert "Factory reset from the service menu" in rows["Pump controller"][3]
    assert "delete gateway database records" in rows["Pump gateway server"][3]
    assert "Backups and copies (C-BACKUP)" in rows  # the model mentions backups: they hold the data too
    text = text_of(doc)
    revoke = next(b for b in doc.blocks[doc.blocks.index(Heading("Credentials to revoke")) :] if isinstance(b, Bullets))
    joined = "\n".join(revoke.items)
    assert "Device TLS private key" in joined and "Gateway service account" in joined
    assert "Device certificates (mutual TLS, EAP-TLS): used for F-1, F-2." in joined
    assert "F-4" not in joined  # signed packages are not a credential
    assert "Fleet analytics service" in joined and "Update server" not in joined
    assert "ask the device maker whether it must be erased first" in text  # return for service: not stated
    assert "Export the audit log." in text  # the decommissioning use case


def test_holding_assets_by_rating_or_disposal_too() -> None:
    m = pump()
    m.assets.append(Asset(id="A-X", name="Trend cache", kind="other", confidentiality="high"))
    m.assets.append(Asset(id="A-Y", name="Boot logo", kind="firmware", disposal="Reflash."))
    m.assets.append(Asset(id="A-Z", name="Spare", kind="other"))
    held = [a.id for a in holding_assets(Facts.of(m))]
    assert "A-X" in held and "A-Y" in held and "A-Z" not in held


def test_pre_procurement_profile_data_leaving_and_support() -> None:
    doc = build_guides(pump(), None, Review(findings=[Finding(check="x", severity="warning", message="m")]))["pre-procurement"]
    profile = {r[0]: r[1] for r in tables(doc)[0].rows}
    # F-3 telemetry is drawn out to the cloud, F-4 software updates in from it: not two flows that "leave"
    assert profile["Data flows"].startswith("6; 2 cross the hospital's boundary (1 out, 1 in); 1 unencrypted")
    assert "2 of 6 data flows cross the hospital's boundary: 1 carries data out (F-3), 1 brings data in (F-4)." in text_of(doc)
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


def test_operations_logs_monitoring_patching_credentials_and_accepted_risks() -> None:
    doc = build_guides(pump())["operations"]
    text = text_of(doc)
    logs = next(t for t in tables(doc) if t.header[0] == "Log")
    assert logs.rows[0][0] == "Pump audit log"
    assert "Pump gateway server (Syslog, 6514)" in logs.rows[0][2]
    assert "Fleet analytics service (HTTPS, TCP 443), leaves the hospital" in logs.rows[0][2]
    assert "**Retention:** How long logs are kept is not stated: ask the device maker." in text
    watch = next(t for t in tables(doc) if t.header[0] == "Detective control")
    assert watch.rows == [
        ["C-LOG Signed audit log of every dose change", "the hospital and the device maker", "Clinician denies changing a dose"]
    ]
    assert "The gateway downloads the package and verifies its signature." in text
    assert "Critical fixes within 30 days of validation." in text
    creds = next(t for t in tables(doc) if t.header[0] == "Credential")
    assert [r[0] for r in creds.rows] == [
        "Device TLS private key",
        "Gateway service account",
        "Device certificates (mutual TLS, EAP-TLS)",
        "User sign-in tokens",
    ]
    assert "psirt@example.com" in text
    risks = next(t for t in tables(doc) if t.header[0] == "Threat")
    assert [(r[0].split()[0], r[1]) for r in risks.rows] == [
        ("T-3", "partly mitigated"),
        ("T-4", "accepted by the maker"),
        ("T-5", "open (no decision yet)"),
    ]
    assert risks.rows[0][3] == "Gateway on an isolated VLAN (C-SEG)"  # what the hospital can do about it
    assert "the device maker's decisions, not the hospital's" in text
    assert "hospital accepts" not in text
    assert "F-3 to Fleet analytics service (TCP 443)" in text


# ---------------------------------------------------------------------------------- procurement


def test_procurement_is_contract_wording_per_mc2_principle() -> None:
    doc = build_guides(pump(), coverage())["procurement"]
    titles = guides._group_titles()
    assert headings(doc, 1)[:2] == [titles["maturity"], titles["product_design_maturity"]]
    assert "What the device maker has not stated" in headings(doc, 1)
    text = text_of(doc)
    # the device's own commitments are written into the clauses
    assert "Critical fixes within 30 days of validation" in text and "2032-12-31" in text
    assert "(Available on request in CycloneDX)" in text and "https://example.com/security/cvd" in text
    assert "the threat model supports it in part" in text and "gives no evidence for it" in text
    for tool_words in ("support.patch", "support.sbom", "override", "patch_policy", "end_of_support"):
        assert tool_words not in text, tool_words
    assert not re.search(r"and \d+ more", text)
    summary = next(t for t in tables(doc) if t.header[0] == "Framework")
    assert summary.rows == [["CRA Annex I", "1", "0", "1", "0"], ["FDA premarket cybersecurity", "1", "0", "0", "0"]]
    assert "I.2.a No known exploitable vulnerabilities (gap)" in text
    assert "outside the Cyber Resilience Act" in text  # cra_scope: excluded_mdr_ivdr


def test_procurement_names_what_the_maker_has_not_stated() -> None:
    m = pump()
    m.support.end_of_support = None
    m.support.sbom = None
    doc = build_guides(m, coverage())["procurement"]
    text = text_of(doc)
    assert "[support end date: not stated by the device maker]" in text
    missing = next(b for b in doc.blocks[doc.blocks.index(Heading("What the device maker has not stated")) :] if isinstance(b, Bullets))
    assert "the date security support ends" in missing.items
    assert "how the software bill of materials (SBOM) is provided" in missing.items
    assert "Secure by Default: the threat model gives no evidence for it" in missing.items


def test_procurement_from_the_shipped_mc2_catalogue_and_mapping() -> None:
    from mdptm.mapping.engine import map_model

    m = pump()
    cov = map_model(m)
    mc2 = cov.framework("mc2")
    assert mc2 is not None
    doc = build_guides(m, cov)["procurement"]
    text = text_of(doc)
    folded = {cid for cid, c in guides.contract_language().clauses.items() if c.get("same_as")}
    for c in mc2.clauses:
        if c.group != "pillars" and c.id not in folded:
            assert f"**{c.title}" in text, c.id  # every MC2 principle, each with its clause
    for fw in ("cra-annex-i", "cra-annex-ii", "fda-premarket"):
        f = cov.framework(fw)
        assert f is not None and f.title in text


def test_procurement_without_coverage_lists_the_catalogues_principles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cat = tmp_path / "mc2.yaml"
    cat.write_text(
        yaml.safe_dump(
            {
                "id": "mc2",
                "groups": [{"id": "maturity", "title": "Maturity pillar"}],
                "clauses": [
                    {
                        "id": "security_development_lifecycle",
                        "title": "Security Development Lifecycle",
                        "summary": "SDL.",
                        "group": "maturity",
                    },
                    {"id": "security_patching", "title": "Security Patching", "summary": "Patches in time.", "group": "performance"},
                ],
            }
        ),
        encoding="utf-8",
    )
    assert [p.id for p in mc2_principles(cat)] == ["security_development_lifecycle", "security_patching"]
    monkeypatch.setattr(guides.procurement, "MC2_FILE", str(cat))  # an absolute path wins over the mappings folder
    doc = build_guides(pump(), None)["procurement"]
    assert headings(doc, 1)[:2] == ["Maturity pillar", "Performance"]
    text = text_of(doc)
    assert "**Security Development Lifecycle.** Example Medical Devices Ltd develops and maintains" in text
    assert "**Security Patching.**" in text and "Critical fixes within 30 days of validation" in text
    assert "MC2 coverage was not assessed" in text_of(doc)
    assert "CRA and FDA coverage was not assessed" in text_of(doc)


def test_mc2_catalogue_absent(tmp_path: Path) -> None:
    assert mc2_principles(tmp_path / "missing.yaml") == []


# ----------------------------------------------------------------------------- robustness, output


def test_sparse_model_says_what_is_missing() -> None:
    m = Model(product=Product(name="Bare", manufacturer="Maker"), document=Document(version="0.1"))
    docs = build_guides(m)
    text = "\n".join(text_of(d) for d in docs.values())
    assert "ask the device maker" in text
    assert "describes no data flow, so it does not say which network connections" in text
    assert "The threat model names no asset that holds data or secrets." in text
    assert "MC2" in text_of(docs["procurement"])


def test_a_model_without_flows_claims_nothing_about_the_network() -> None:
    """Silence is not evidence: a model that describes no data flow (a Markdown threat table with only a
    component list) must not tell a hospital that no data leaves it, that nothing needs asking before
    go-live, or that no connection crosses a segment."""
    m = Model(
        product=Product(name="Tremor Monitor", manufacturer="Maker"),
        document=Document(version="1.0"),
        elements=[Element(id="api", name="API Gateway", kind="process"), Element(id="db", name="DynamoDB", kind="data_store")],
        threats=[Threat(id="S1", title="User impersonation", stride=["spoofing"], status="mitigated")],
    )
    docs = build_guides(m)
    pre, deploy, decom = (text_of(docs[k]) for k in ("pre-procurement", "deployment", "decommissioning"))
    assert "leaves the hospital" not in pre
    assert "describes no data flow, so where the device's data goes is not stated: ask the device maker" in pre
    assert "| Data flows | none described in the threat model |" in pre
    assert "No data flow is described" in pre  # an open point to raise
    assert "None: the model states every port" not in deploy
    assert "The threat model describes no data flow of Tremor Monitor: which network connections" in deploy
    assert "No connection in the model crosses a network segment." not in decom
    assert "does not show which network access the device has" in decom


def test_flows_without_protocol_or_port_are_not_called_no_connection() -> None:
    """The Azure IoT reference architecture names its flows by their ends only: the guides must not say the
    model describes no connection, nor that none crosses a segment."""
    m = Model(
        product=Product(name="Gateway kit", manufacturer="Maker"),
        document=Document(version="1.0"),
        elements=[Element(id="dev", name="Device", kind="device"), Element(id="cg", name="Cloud Gateway", kind="cloud_service")],
        flows=[Flow(id="F-1", name="Device to Cloud Gateway", source="dev", target="cg")],
    )
    docs = build_guides(m)
    deploy, decom = text_of(docs["deployment"]), text_of(docs["decommissioning"])
    assert "The threat model describes no network connection." not in deploy
    assert "describes 1 data flow (F-1) but not whether it is a network connection (no protocol or port" in deploy
    assert "No connection in the model crosses a network segment." not in decom
    assert "does not say which of its data flows are network connections" in decom


def test_locations_from_zone_names_kinds_and_element_names() -> None:
    m = Model(
        product=Product(name="P", manufacturer="M"),
        document=Document(version="1"),
        trust_zones=[
            TrustZone(id="Z1", name="Internet"),
            TrustZone(id="Z2", name="Ward LAN"),
            TrustZone(id="Z3", name="Zone C", tags=["cloud"]),
        ],
        elements=[
            Element(id="a", name="Portal", trust_zone="Z1"),
            Element(id="b", name="Monitor", trust_zone="Z2"),
            Element(id="c", name="Svc", trust_zone="Z3"),
            Element(id="d", name="X", kind="cloud_service"),
            Element(id="e", name="Bedside pump", kind="process"),
            Element(id="f", name="Planner"),
        ],
        flows=[Flow(id="F1", source="b", target="a", port="443"), Flow(id="F2", source="b", target="f")],
    )
    m.trust_zones.append(TrustZone(id="Z4", name="Solution boundary"))
    m.elements += [
        Element(id="g", name="Functions", kind="cloud_service", trust_zone="Z4"),
        Element(id="h", name="Store", kind="data_store", trust_zone="Z4"),
        Element(id="i", name="Thing", kind="process"),
    ]
    m.flows += [Flow(id="F3", source="g", target="h"), Flow(id="F4", source="g", target="i"), Flow(id="F5", source="e", target="b")]
    f = Facts.of(m)
    assert [f.where(x) for x in "abcdefghi"] == [
        "outside",
        "hospital",
        "outside",
        "outside",
        "hospital",
        "unknown",
        "outside",
        "outside",
        "unknown",
    ]  # h sits with g in Z4
    assert f.leaves_hospital(m.flows[0]) is True
    assert f.leaves_hospital(m.flows[1]) is None  # crosses zones, but "Planner" says nothing ("lan" ≠ "plan")
    assert f.leaves_hospital(m.flows[2]) is False  # both ends in the cloud
    assert f.leaves_hospital(m.flows[3]) is None  # from the cloud to somewhere the model does not say
    # bedside pump to the ward LAN: only the pump's own name ("Bedside") places it, a hint and not the
    # model's statement (a pump may run at a patient's home), so whether the flow leaves is not clear
    assert f.by_name("e") and not f.by_name("b")
    assert f.leaves_hospital(m.flows[4]) is None


def test_markdown_escapes_model_text() -> None:
    m = pump()
    m.threats.append(Threat(id="T-X", title="Pipe | in <script>alert(1)</script> title", status="accepted"))
    m.assumptions[0].text = "# not a heading"
    md = render_md.render(build_guides(m)["operations"])  # as written, escapes and all
    row = next(line for line in md.splitlines() if line.startswith("| T-X"))
    assert "Pipe \\| in &lt;script>alert(1)&lt;/script> title" in row
    assert row.count(" | ") == 3  # four cells, the pipe in the title did not add one
    deploy = text_of(build_guides(m)["deployment"]).splitlines()
    assert "- AS-1: # not a heading" in deploy and "# not a heading" not in deploy  # never a heading


def test_long_threat_lists_keep_the_most_severe_and_say_how_many_more() -> None:
    from mdptm.model import Risk

    m = pump()
    m.threats += [
        Threat(id=f"T-A{i}", title=f"Accepted {i}", status="accepted", residual_risk=Risk(level="critical" if i == 77 else "low"))
        for i in range(100)
    ]
    doc = build_guides(m)["operations"]
    residual = next(t for t in tables(doc) if "Residual risk" in t.header)
    ids = [r[0].split()[0] for r in residual.rows]
    assert len(ids) == guides.RISK_ROWS
    assert "T-A77" in ids and "T-3" in ids  # the critical one and the medium ones are kept
    assert ids.index("T-3") < ids.index("T-A77")  # model order is kept among those shown
    assert "91 more of these threats are in the threat register (ptm.xlsx); rated no higher than those above." in text_of(doc)
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
        assert f.id in deploy
        for port in topology.parse_ports(f.port, f.protocol):
            assert str(port) in deploy
    decom = text_of(docs["decommissioning"])
    for a in m.assets:
        if a.kind in {"phi", "pii", "therapy_data", "credential", "cryptographic_key", "configuration", "log"}:
            assert a.name in decom
    lengths = {k: len(text_of(d)) for k, d in docs.items()}
    assert max(lengths.values()) < 40_000, lengths  # short guides, not a second copy of the PTM


def test_write_guides_writes_markdown_and_word(tmp_path: Path) -> None:
    pytest.importorskip("mdptm.render.docx", reason="the Word renderer is not in this checkout yet")
    docs = build_guides(pump(), coverage())
    written = write_guides(tmp_path, docs, ExportContext(draft=True))
    assert sorted(p.name for p in written) == sorted([f"{p}.{ext}" for p in PHASES for ext in ("md", "docx")] + ["deployment-network.png"])
    for phase in PHASES:
        md = (tmp_path / "guides" / f"{phase}.md").read_text(encoding="utf-8")
        assert md.startswith("**DRAFT**")
        with zipfile.ZipFile(tmp_path / "guides" / f"{phase}.docx") as z:
            body = z.read("word/document.xml").decode("utf-8")
        assert "Aquila Infusion System" in body
    with zipfile.ZipFile(tmp_path / "guides" / "deployment.docx") as z:
        body = z.read("word/document.xml").decode("utf-8")
    for port in ("TCP 8443", "6514", "TCP 443, TCP 8080", "TCP 2575"):
        assert port in body
    assert "word/media/" in " ".join(zipfile.ZipFile(tmp_path / "guides" / "deployment.docx").namelist())


# ------------------------------------------------------------------------------------------ build


def _project(tmp_path: Path, model: Model, **extra: object) -> Path:
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "model.json").write_text(model.model_dump_json(by_alias=True), encoding="utf-8")
    (proj / "mdptm.yaml").write_text(yaml.safe_dump({"sources": ["model.json"], **extra}), encoding="utf-8")
    return proj


@pytest.mark.slow
def test_build_writes_ten_guide_files(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from mdptm.cli import cli

    proj = _project(tmp_path, pump())
    res = CliRunner().invoke(cli, ["build", str(proj), "-o", str(tmp_path / "out"), "--draft"])
    assert res.exit_code == 0, res.output
    names = sorted(p.name for p in (tmp_path / "out" / "guides").iterdir())
    assert names == sorted([f"{p}.{ext}" for p in PHASES for ext in ("docx", "md")] + ["deployment-network.png"])
    manifest = (tmp_path / "out" / "MANIFEST.json").read_text(encoding="utf-8")
    assert "guides/deployment.docx" in manifest
    procurement = (tmp_path / "out" / "guides" / "procurement.md").read_text(encoding="utf-8")
    assert "Security Development Lifecycle" in procurement and "not assessed" not in procurement
    first = {p.name: p.read_bytes() for p in (tmp_path / "out" / "guides").iterdir()}
    res = CliRunner().invoke(cli, ["build", str(proj), "-o", str(tmp_path / "out"), "--draft"])
    assert res.exit_code == 0, res.output
    assert first == {p.name: p.read_bytes() for p in (tmp_path / "out" / "guides").iterdir()}


def test_build_with_a_previous_version_records_the_history(tmp_path: Path) -> None:
    from mdptm.pipeline.build import build

    old, new = pump(), pump()
    new.document.version = "1.1"
    new.threats = [t for t in new.threats if t.id != "T-4"]
    (tmp_path / "v1").mkdir()
    first = _project(tmp_path / "v1", old)  # the previous version: the package published from the old model
    assert build(first, first / "previous", draft=True).exit_code == 0
    proj = _project(tmp_path, new, previous="../v1/proj/previous/ptm.json")
    build(proj, tmp_path / "out", draft=True)
    published = yaml.safe_load((tmp_path / "out" / "ptm.json").read_text(encoding="utf-8"))
    history = published["document"]["history"]
    assert [h["version"] for h in history] == ["1.0", "1.1"]
    assert history[-1]["summary"] == "Removed threat T-4."


def test_operations_risk_title_says_accepted_or_left_open() -> None:
    """A model whose remaining threats are accepted or left open: the title and sentences do not claim the
    device maker accepted them all, nor call an open threat its decision."""

    def ops(*statuses: str) -> str:
        m = Model(
            product=Product(name="Tremor Monitor", manufacturer="Maker"),
            document=Document(version="1.0"),
            threats=[Threat(id=f"T{n}", title=f"Threat {n}", status=s) for n, s in enumerate(statuses, start=1)],  # type: ignore[arg-type]
        )
        return text_of(build_guides(m)["operations"])

    mixed = ops("accepted", "open", "mitigated")
    assert "## Risks the device maker accepted or left open" in mixed
    assert "and the risks the device maker accepted or left open." in mixed
    assert "Risks the device maker accepted\n" not in mixed
    assert (
        "Accepted and transferred risks are the device maker's decisions, not the hospital's; "
        "for the open ones the model states no decision on the risk that remains." in mixed
    )
    partly = ops("accepted", "partially_mitigated", "open")
    # a partly mitigated threat awaits no decision the model speaks of: the guide says only what is not stated
    assert "for the partly mitigated and open ones the model states no decision on the risk that remains." in partly
    assert "await" not in partly
    accepted = ops("accepted", "transferred")
    assert "## Risks the device maker accepted or transferred" in accepted
    assert "These are the device maker's decisions, not the hospital's." in accepted
    only_open = ops("open", "open")
    assert "## Risks left open" in only_open
    assert "The device maker has not stated a decision on these" in only_open
    assert "decisions" not in only_open
