"""What an FDA premarket reviewer asks of the submission set (V.A.2, V.A.5, V.A.6, V.B.2, Appendix 2 and 4).

The sample's set is built once, as `mdptm build samples/infusion-pump --audience submission` writes it, and
read back from the written Word files; the gaps are checked on a model that states none of it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pytest
import yaml

from mdptm.documents.submission import ARCHITECTURE, FILES, INDEX, LIFECYCLE, RISK, write_submission
from mdptm.errors import InputError
from mdptm.model import Anomaly, Metrics, Model, State
from mdptm.model.cvss import read
from mdptm.model.io import load
from mdptm.model.premarket import likelihood_basis
from mdptm.pipeline.build import build
from mdptm.plugins import ExportContext, ReviewContext
from mdptm.redaction.redact import public_view
from mdptm.review.engine import review
from tests.conftest import SAMPLES
from tests.importers.import_helpers import run_import, warnings_with, workbook

DATA = Path(__file__).parent.parent / "data" / "submission"
PROJECT = SAMPLES / "infusion-pump"
PREMARKET_CHECKS = {
    "risk-method-missing",
    "exploitability-missing",
    "cvss-invalid",
    "hazard-link-missing",
    "residual-risk-unacceptable",
    "state-without-view",
    "multi-patient-response-missing",
    "anomaly-unassessed",
    "tplc-metrics-missing",
}


def docx_text(path: Path) -> str:
    """Every paragraph and table cell of a written Word file, in order."""
    d = docx.Document(str(path))
    out = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            out.append(" | ".join(c.text for c in row.cells))
    return "\n".join(out)


def table_rows(path: Path, *header: str) -> list[list[str]]:
    """The rows of the first table whose header starts with the given cells."""
    d = docx.Document(str(path))
    for table in d.tables:
        head = [c.text for c in table.rows[0].cells]
        if head[: len(header)] == list(header):
            return [[c.text for c in row.cells] for row in table.rows[1:]]
    raise AssertionError(f"no table headed {header!r} in {path.name}")


# ------------------------------------------------------------------------------------------- CVSS


def test_cvss_31_base_score_is_computed_from_the_vector() -> None:
    r = read("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
    assert (r.version, r.computed, r.severity, r.problem) == ("3.1", 9.8, "Critical", None)
    assert read("AV:A/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N").computed == 6.8  # no prefix: read as 3.1


def test_cvss_40_vector_is_scored_and_a_stated_score_checked() -> None:
    vector = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
    assert read(vector).computed == 9.3
    assert read(vector, 9.3).problem is None
    wrong = read(vector, 5.0)
    assert wrong.problem is not None and "5" in wrong.problem and "9.3" in wrong.problem


def test_cvss_problems_name_what_is_wrong() -> None:
    assert "AV:Q" in (read("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").problem or "")
    assert "Missing mandatory" in (read("CVSS:3.1/AV:N").problem or "")
    assert "outside 0–10" in (read("12.5").problem or "")
    assert read("7.5").stated == 7.5 and read("7.5").problem is None
    assert read("8.8 (CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H)").problem is None
    assert read("CVSS:2.0/AV:N").problem is not None


def test_likelihood_basis_comes_from_the_column_header() -> None:
    assert likelihood_basis("Exploitability (1–5)") == "exploitability"
    assert likelihood_basis("Residual risk / Ease of exploit") == "exploitability"
    assert likelihood_basis("Probability of occurrence") == "probability"
    assert likelihood_basis("Likelihood (1-5)") is None


# ------------------------------------------------------------------------------------- import


def test_register_columns_fill_exploitability_cvss_hazards_and_kev(tmp_path: Path) -> None:
    reg = workbook(
        tmp_path / "reg.xlsx",
        {
            "Threats": [
                [
                    "Threat ID",
                    "Threat",
                    "STRIDE",
                    "Exploitability",
                    "Severity",
                    "CVSS vector",
                    "CVSS score",
                    "Related hazards",
                    "CISA KEV",
                    "CVE",
                ],
                [
                    "T-1",
                    "Forged order",
                    "S",
                    "3",
                    "5",
                    "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                    "8.8",
                    "HAZ-01; HAZ-03",
                    "No",
                    "cve-2024-0001",
                ],
                ["T-2", "Bad vector", "T", "2", "4", "CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "", "", "", ""],
                ["T-3", "Wrong score", "T", "2", "4", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "5.0", "", "", ""],
            ]
        },
    )
    model, report = run_import(reg)
    t = {x.id: x for x in model.threats}
    assert t["T-1"].risk is not None and t["T-1"].risk.likelihood_basis == "exploitability"
    assert t["T-1"].risk.level is not None  # exploitability x severity still scores the risk
    assert (t["T-1"].cvss_score, t["T-1"].hazards, t["T-1"].kev, t["T-1"].cve) == (8.8, ["HAZ-01", "HAZ-03"], False, ["CVE-2024-0001"])
    bad = warnings_with(report, "AV:Q")
    assert bad and bad[0].locator == "Threats!A3" and "CVSS" in bad[0].message
    assert t["T-2"].cvss == "CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"  # kept as written
    mismatch = warnings_with(report, "does not match")
    assert mismatch and mismatch[0].locator == "Threats!A4"


def test_component_columns_fill_appendix2_detail(tmp_path: Path) -> None:
    reg = workbook(
        tmp_path / "arch.xlsx",
        {
            "Components": [
                ["Component ID", "Component", "Type", "Debug interfaces", "Key management", "Session management", "Default settings"],
                ["E-1", "Pump", "Device", "JTAG: fused; test mode\nUART: removed", "Keys in secure element", "No login", "Wi-Fi off"],
            ]
        },
    )
    model, _ = run_import(reg)
    e = model.elements[0]
    assert e.dormant_interfaces == ["JTAG: fused; test mode", "UART: removed"]
    assert (e.key_lifecycle, e.sessions, e.default_settings) == ("Keys in secure element", "No login", "Wi-Fi off")


# ------------------------------------------------------------------------------ project file


def _project(tmp_path: Path, extra: str) -> Path:
    folder = tmp_path / "p"
    folder.mkdir()
    shutil.copy(DATA / "monitor.yaml", folder / "model.yaml")
    (folder / "mdptm.yaml").write_text("sources: [model.yaml]\n" + extra, encoding="utf-8")
    return folder


def test_project_risk_management_is_validated_naming_the_place(tmp_path: Path) -> None:
    folder = _project(tmp_path, "risk_management:\n  acceptable_levels: [tolerable]\n")
    with pytest.raises(InputError) as err:
        build(folder, tmp_path / "out", audience="submission", draft=True)
    assert err.value.locator == "/risk_management/acceptable_levels/0"


def test_project_items_must_name_an_item(tmp_path: Path) -> None:
    folder = _project(tmp_path, "items:\n  V-NOPE: {respond: x}\n")
    with pytest.raises(InputError, match="no item of the model has this id or name") as err:
        build(folder, tmp_path / "out", audience="submission", draft=True)
    assert err.value.locator == "/items/V-NOPE"


# ----------------------------------------------------------------------- the sample's set


@pytest.fixture(scope="module")
def sample_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (PROJECT / "mdptm.yaml").exists():
        pytest.skip("sample project not present")
    out = tmp_path_factory.mktemp("i18") / "out"
    result = build(PROJECT, out, audience="submission")
    assert result.exit_code == 0
    return out / "submission"


def test_sample_risk_assessment_lists_its_source_documents(sample_set: Path) -> None:
    """A build hands the import report to the set: the sources and what the import left out are listed."""
    rows = table_rows(sample_set / RISK, "Source", "Records imported")
    listed = yaml.safe_load((PROJECT / "mdptm.yaml").read_text())["sources"]
    sources = [str(s["path"]) if isinstance(s, dict) else str(s) for s in listed]
    assert [r[0] for r in rows] == sources and all(int(r[1]) > 0 for r in rows)


def test_sample_set_holds_the_index_and_lifecycle_documents(sample_set: Path) -> None:
    assert sorted(p.name for p in sample_set.iterdir()) == sorted([*FILES, "MANIFEST.json", ".mdptm-output"])  # the marker: mdptm wrote it
    assert INDEX in FILES and LIFECYCLE in FILES


def test_sample_risk_assessment_states_method_scales_criteria_and_transfer(sample_set: Path) -> None:
    text = docx_text(sample_set / RISK)
    assert "Scoring method and acceptance criteria" in text
    assert "it is not a probability of occurrence" in text
    assert "Almost certain (5) | Remote and unauthenticated, with a public exploit." in text
    assert "Low | acceptable" in text and "Medium | acceptable only with a benefit-risk rationale" in text
    assert "High | not acceptable" in text
    assert "Transfer to the safety risk assessment" in text and "VLP-RMF-0007" in text
    assert "rate exploitability on the likelihood axis" in text


def test_sample_risk_assessment_rates_each_threat_before_and_after(sample_set: Path) -> None:
    rows = {r[0]: r for r in table_rows(sample_set / RISK, "ID", "Threat", "Exploitability before")}
    model = load(PROJECT / "model.yaml")
    assert set(rows) == {t.id for t in model.threats}
    # the certificate-validation flaw that undermines mutual TLS is no longer rated Minor
    assert rows["T-051"][2:8] == ["Possible (3)", "Serious (3)", "Medium (9)", "Unlikely (2)", "Serious (3)", "Medium (6)"]
    assert rows["T-051"][8] == "6.8 (Medium)" and rows["T-044"][8] == "7.2 (High)"


def test_sample_risk_assessment_links_threats_to_hazards_and_judges_acceptability(sample_set: Path) -> None:
    hazards = {r[0]: r for r in table_rows(sample_set / RISK, "ID", "Threat", "Patient harm")}
    assert hazards["T-001"][4] == "HAZ-01" and "HAZ-03" in hazards["T-051"][4]
    text = docx_text(sample_set / RISK)
    # every threat rated to harm a patient is linked to a hazard (the others say their harm is not assessed)
    assert not re.search(r"none linked(?! \(patient harm not assessed\))", text)
    verdicts = table_rows(sample_set / RISK, "ID", "Threat", "Residual risk", "Status", "Acceptability")
    assert len(verdicts) == len(load(PROJECT / "model.yaml").threats)
    assert all(r[4] in ("acceptable", "acceptable with rationale") for r in verdicts)
    t003 = next(r for r in verdicts if r[0] == "T-003")
    assert t003[4] == "acceptable with rationale" and "Signing cannot tell a wrong limit" in t003[5]
    assert "Known Exploited Vulnerabilities catalog" in text and "In CISA KEV" in text


def test_sample_architecture_covers_every_state_and_says_how_it_responds(sample_set: Path) -> None:
    text = docx_text(sample_set / ARCHITECTURE)
    assert "…" not in text  # nothing cut short
    states = {r[0]: r for r in table_rows(sample_set / ARCHITECTURE, "State", "Kind")}
    for name in (
        "Power-on and boot",
        "Alarming",
        "Manual programming at the keypad",
        "Degraded mode (network or server unavailable)",
        "Therapy delivery (infusing)",
    ):
        assert states[name][4] == "security use case view", name
    assert states["Power-off and battery operation"][4] == "justified without a view"
    assert not [r for r in states.values() if r[4].startswith("GAP")]
    drr = table_rows(sample_set / ARCHITECTURE, "Part", "How the system does it")
    assert [r[0].split(":")[0] for r in drr] == ["Detect", "Respond", "Recover"]
    assert all(r[1] and r[1] != "not stated" for r in drr)
    assert "halts a rollout for the whole fleet" in drr[1][1]


def test_sample_architecture_gives_appendix2_detail_per_view(sample_set: Path) -> None:
    d = docx.Document(str(sample_set / ARCHITECTURE))
    captions = [p.text for p in d.paragraphs if "Appendix 2 detail —" in p.text]
    model = load(PROJECT / "model.yaml")
    assert len(captions) == len(model.views)
    rows = table_rows(sample_set / ARCHITECTURE, "Element", "Dormant and debug interfaces")
    pump = next(r for r in rows if r[0].startswith("E-PUMP"))
    assert "JTAG" in pump[1] and "secure element" in pump[2] and "keypad lock" in pump[3] and "networking disabled" in pump[4]
    assert not [r for r in rows if "not stated" in r]


def test_sample_lifecycle_assessment_lists_anomalies_and_metrics(sample_set: Path) -> None:
    text = docx_text(sample_set / LIFECYCLE)
    assert "Security assessment of unresolved anomalies" in text
    anomalies = {r[0]: r for r in table_rows(sample_set / LIFECYCLE, "ID", "Anomaly")}
    assert set(anomalies) == {"AN-01", "AN-02", "AN-03"} and anomalies["AN-01"][2] == "CWE-295"
    assert "Security impact | Weakens the pumps' mutual TLS" in text
    metrics = {r[0]: r[1] for r in table_rows(sample_set / LIFECYCLE, "Measure", "Value")}
    assert metrics["Share of vulnerabilities patched"] == "86 %"
    assert metrics["Mean time from identification to patch"] == "41 days"
    assert metrics["Mean time from patch availability to field deployment"] == "24 days"


def test_sample_index_maps_every_appendix4_row(sample_set: Path) -> None:
    rows = {r[0]: r for r in table_rows(sample_set / INDEX, "Recommended documentation", "Guidance")}
    assert len(rows) == 13
    assert rows["Unresolved Anomalies Assessment"][2] == "in this set" and LIFECYCLE in rows["Unresolved Anomalies Assessment"][3]
    assert rows["Architecture Views"][3] == ARCHITECTURE
    assert rows["Software Bill of Materials"][2] == "maker's document" and "VLP-SBOM-4.2" in rows["Software Bill of Materials"][3]
    assert rows["Cybersecurity Management Plans"][2] == "maker's document"
    assert not [r for r in rows.values() if r[2] in ("maker to add", "partly in this set")]


def test_sample_project_review_has_no_premarket_gap() -> None:
    from mdptm.pipeline.build import load_project_model

    model, _report, project, _root = load_project_model(PROJECT)
    found = [
        f for f in review(ReviewContext(model=model, signoffs_required=project.signoffs_required)).findings if f.check in PREMARKET_CHECKS
    ]
    assert found == []


def test_premarket_facts_never_reach_the_public_model() -> None:
    from mdptm.pipeline.build import load_project_model

    model, *_ = load_project_model(PROJECT)
    assert model.risk_management.anomalies and model.elements[0].dormant_interfaces
    public = public_view(model)
    assert public.risk_management.anomalies == [] and public.risk_management.method is None
    assert all(not e.dormant_interfaces and e.key_lifecycle is None for e in public.elements)


# -------------------------------------------------------------------------------------- gaps


@pytest.fixture
def bare() -> Model:
    return load(DATA / "monitor.yaml")


def test_a_model_stating_nothing_shows_every_gap(bare: Model, tmp_path: Path) -> None:
    write_submission(bare, tmp_path, ExportContext(epoch=1770681600))
    risk = docx_text(tmp_path / RISK)
    assert "The scoring method is not stated" in risk and "No acceptance criteria are stated" in risk
    assert "is not stated (risk_management.safety_transfer)" in risk
    arch = docx_text(tmp_path / ARCHITECTURE)
    assert "names no operational or clinical state" in arch
    life = docx_text(tmp_path / LIFECYCLE)
    assert "records no unresolved anomaly" in life and "has no TPLC security metrics" in life
    rows = {r[0]: r[2] for r in table_rows(tmp_path / INDEX, "Recommended documentation", "Guidance")}
    assert rows["Unresolved Anomalies Assessment"] == "maker to add"  # the document alone says only that none is recorded
    assert rows["Measures and Metrics"] == "maker to add" and rows["Traceability"] == "in this set"
    assert rows["Cybersecurity Management Plans"] in ("maker to add", "partly in this set")
    checks = {f.check for f in review(ReviewContext(model=bare, audience="submission")).findings}
    assert {"risk-method-missing", "state-without-view", "anomaly-unassessed", "tplc-metrics-missing"} <= checks


def test_a_hospital_review_of_a_model_without_premarket_facts_is_not_flooded(bare: Model) -> None:
    assert not [f for f in review(ReviewContext(model=bare)).findings if f.check in PREMARKET_CHECKS]


def test_the_submission_build_reports_its_gaps(tmp_path: Path) -> None:
    folder = _project(tmp_path, "")
    result = build(folder, tmp_path / "out", audience="submission", draft=True)
    gaps = [w for w in result.warnings if w.startswith("submission gap")]
    assert any("[risk-method-missing]" in w for w in gaps) and any("[tplc-metrics-missing]" in w for w in gaps)


def test_a_state_without_view_or_justification_is_a_finding_and_red(bare: Model, tmp_path: Path) -> None:
    rm = bare.risk_management
    rm.states = [
        State(id="ST-1", name="Alarming", kind="clinical"),
        State(id="ST-2", name="Standby", kind="operational", justification="Nothing runs."),
    ]
    findings = [f for f in review(ReviewContext(model=bare, audience="submission")).findings if f.check == "state-without-view"]
    assert len(findings) == 1 and "ST-1" in findings[0].message
    write_submission(bare, tmp_path, ExportContext(epoch=1770681600))
    states = {r[0]: r[4] for r in table_rows(tmp_path / ARCHITECTURE, "State", "Kind")}
    assert states == {"Alarming": "GAP: no view, no justification", "Standby": "justified without a view"}


def test_an_anomaly_without_cwe_and_incomplete_metrics_are_findings(bare: Model) -> None:
    bare.risk_management.anomalies = [Anomaly(id="AN-1", title="Crash on long HL7 field", impact="DoS of the gateway")]
    bare.risk_management.metrics = Metrics(vulnerabilities_identified=3)
    msgs = [f.message for f in review(ReviewContext(model=bare, audience="submission")).findings]
    assert any("AN-1" in m and "CWE" in m and "rationale" in m for m in msgs)
    assert any("do not state: vulnerabilities patched, days to patch, days to deploy" in m for m in msgs)


def test_residual_risk_outside_the_criteria_and_invalid_cvss_are_findings(bare: Model) -> None:
    bare.risk_management.acceptable_levels = ["low"]
    t = next(t for t in bare.threats if t.residual_risk is not None and t.residual_risk.level in ("medium", "high"))
    t.rationale = None
    t.cvss = "CVSS:3.1/AV:X/AC:L"
    findings = review(ReviewContext(model=bare, audience="submission")).findings
    assert any(f.check == "residual-risk-unacceptable" and t.id in f.items for f in findings)
    cvss = [f for f in findings if f.check == "cvss-invalid"]
    assert cvss and f"/threats/{bare.threats.index(t)}/cvss" in cvss[0].message


def test_multi_patient_view_without_respond_is_a_finding(bare: Model) -> None:
    mph = [v for v in bare.views if v.kind == "multi_patient_harm"]
    if not mph:
        pytest.skip("fixture has no multi-patient harm view")
    mph[0].detect = "SIEM alerts"
    found = [f for f in review(ReviewContext(model=bare, audience="submission")).findings if f.check == "multi-patient-response-missing"]
    assert found and "respond, recover" in found[0].message


def test_risk_management_of_a_later_source_is_merged(tmp_path: Path) -> None:
    first = tmp_path / "a.yaml"
    first.write_text((DATA / "monitor.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    second = tmp_path / "b.yaml"
    second.write_text(
        "schema: mdptm/1\nproduct: {name: X, manufacturer: Y}\ndocument: {version: '1'}\n"
        "risk_management:\n  acceptable_levels: [low]\n  anomalies: [{id: AN-9, title: Crash, cwe: [CWE-20]}]\n",
        encoding="utf-8",
    )
    model, _ = run_import(first, second)
    assert model.risk_management.acceptable_levels == ["low"]
    assert [a.id for a in model.risk_management.anomalies] == ["AN-9"]


def test_hazard_names_stay_whole_and_prose_is_not_a_cve(tmp_path: Path) -> None:
    reg = workbook(
        tmp_path / "reg.xlsx",
        {
            "Threats": [
                ["Threat ID", "Threat", "STRIDE", "Related hazards", "CVE"],
                ["T-1", "Forged order", "S", "Overdose, wrong rate; Delayed therapy", "see the SBOM review"],
            ]
        },
    )
    model, report = run_import(reg)
    t = model.threats[0]
    assert t.hazards == ["Overdose, wrong rate", "Delayed therapy"]
    assert t.cve == [] and t.extra["CVE"] == "see the SBOM review"
    assert warnings_with(report, "CVE id")


def test_sample_traceability_carries_the_safety_hazards(sample_set: Path) -> None:
    from openpyxl import load_workbook

    ws = load_workbook(sample_set / "traceability.xlsx")["Traceability"]
    header = [c.value for c in ws[4]]
    col = header.index("Safety hazards")
    hazards = {row[0].value: row[col].value for row in ws.iter_rows(min_row=5)}
    assert hazards["T-001"] == "HAZ-01" and hazards["T-051"] == "HAZ-03, HAZ-05"


def test_the_exploitability_finding_counts_in_good_grammar() -> None:
    from mdptm.model import Document, Model, Product, Risk, Threat
    from mdptm.review.premarket_checks import ExploitabilityMissing

    model = Model(
        product=Product(name="Pump", manufacturer="Maker"),
        document=Document(version="1"),
        threats=[
            Threat(id="T-1", title="Forged dose", risk=Risk(likelihood="3", severity="4", likelihood_basis="probability")),
            Threat(id="T-2", title="Replayed order", risk=Risk(level="high")),
            Threat(id="T-3", title="Sniffed data", risk=Risk(likelihood="2", severity="3")),
        ],
    )
    ctx = ReviewContext(model, model, [])
    (finding,) = ExploitabilityMissing().findings(ctx)
    # "1 have a likelihood column" before
    assert "(1 rates probability; 1 has a risk level but no exploitability rating; 1 has a likelihood column" in finding.message
