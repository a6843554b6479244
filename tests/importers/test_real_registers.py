"""Threat and risk registers kept as CSV by other people, each as a small synthetic excerpt in the same shape.

The real registers (none licensed for copying) are listed with their truth in tests/data/registers-real/SOURCES.md.
"""

from __future__ import annotations

from pathlib import Path

from mdptm.errors import InputError
from mdptm.model import Model
from mdptm.model.report import ImportReport
from mdptm.pipeline.importing import ImportSource, import_sources
from tests.importers.import_helpers import checked_import, reconciles, skipped, workbook
from tests.importers.import_helpers import warning_messages as warnings


def load(tmp_path: Path, text: str, name: str = "register.csv", newline: str = "\n") -> tuple[Model, ImportReport]:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return checked_import(path)


# -- a cloud risk register: groups apart by blank rows, then a legend and two single-column lists below it

_CLOUD = (
    "Risk Name,Description,Likelihood (1-5),Impact (1-5),Risk Score (LxI),Mitigation Strategy,Residual Risk,Control Area\n"
    "\n"
    'Broad IAM roles,Accounts hold more rights than they need,,,,"Predefined roles; least privilege",,IAM\n'
    'Admin service accounts,Service accounts carry admin roles,,,,"Drop admin roles",,IAM\n'
    "\n"
    'Open subnet,A subnet is reachable from the internet,,,,"Private subnets only",,VPC\n'
    "\n"
    "Low — the measures remove most of the risk\n"
    "Medium — the measures remove some risk, but not all\n"
    "High — the measures remove little of the risk\n"
    "\n"
    "Medium\n"
    "Low\n"
    "High\n"
    "\n"
    "IAM\n"
    "IAM\n"
    "VPC\n"
)


def test_single_column_lists_below_a_register_are_no_threats(tmp_path: Path) -> None:
    model, report = load(tmp_path, _CLOUD)
    assert [t.title for t in model.threats] == ["Broad IAM roles", "Admin service accounts", "Open subnet"]
    assert len(model.controls) == 3
    reasons = skipped(report)
    for text in ("Medium", "Low", "IAM", "VPC", "Low — the measures"):
        assert any(repr(text)[:-1] in r and "below the table" in r for r in reasons), text
    assert any("below the table" in w and "first column" in w for w in warnings(report))


def test_single_column_lists_below_a_register_in_a_workbook(tmp_path: Path) -> None:
    rows = [line.split(",") if line else [] for line in _CLOUD.replace('"', "").splitlines()]
    path = workbook(tmp_path / "cloud.xlsx", {"Register": rows})
    model, report = import_sources([ImportSource(path)])
    assert reconciles(report)
    assert [t.title for t in model.threats] == ["Broad IAM roles", "Admin service accounts", "Open subnet"]


def test_a_register_of_title_only_rows_keeps_them(tmp_path: Path) -> None:
    """The rule needs full rows above: a list of threats by title alone is still read."""
    text = "Threat,Mitigation\nPhishing,Training\nMalware,\n\nRansomware,\nInsider misuse,\n"
    model, _report = load(tmp_path, text)
    assert [t.title for t in model.threats] == ["Phishing", "Malware", "Ransomware", "Insider misuse"]


# -- existing controls beside recommended ones: both are controls, in place and planned

_HOSPITAL = (
    "Risk ID,Asset,Risk Title,Vulnerability,Existing Controls,Likelihood (1-5),Impact (1-5),Inherent Rating,"
    "Treatment,Recommended Controls,Residual Rating,Status\n"
    "R01,A1,Ransomware through a vendor's remote access,Vendor accounts lack MFA,Annual contract renewal,5,5,Critical,"
    "Mitigate,Phishing-resistant MFA for vendor access,Medium,In Progress\n"
    "R02,A1,Lost laptop exposes patient data,Disk encryption not enforced,,3,3,Medium,Mitigate,"
    "Enforce full-disk encryption,Low,Not Started\n"
)


def test_existing_and_recommended_control_columns_are_both_read(tmp_path: Path) -> None:
    model, report = load(tmp_path, _HOSPITAL)
    by_title = {c.title: c for c in model.controls}
    assert set(by_title) == {
        "Annual contract renewal",
        "Phishing-resistant MFA for vendor access",
        "Enforce full-disk encryption",
    }
    assert by_title["Annual contract renewal"].status == "implemented"
    assert by_title["Phishing-resistant MFA for vendor access"].status == "planned"
    assert by_title["Enforce full-disk encryption"].status == "planned"
    assert all(c.status_stated for c in model.controls)
    r01, r02 = model.threats
    assert len(r01.controls) == 2 and len(r02.controls) == 1
    assert "Recommended Controls" not in r01.extra


# -- a ranked threat list: a 1-10 score, the severity as a word, several STRIDE categories, arrows in the location

_RANKED = (
    "rank,id,score,severity,stride,location,description,mitigations,prob\n"
    "1,T1,7.60,High,Spoofing|Tampering,Home<->Internet boundary,Rogue access point captures tokens,WPA3; HSTS,0.15\n"
    "2,T4,6.60,High,Tampering|Denial of Service,Smart TV <-> Streaming/CDN,Manifests altered in transit,Signed manifests,0.08\n"
    "3,T5,6.40,Medium,Information Disclosure,Smart TV -> Telemetry/Analytics,Telemetry sends sensitive data,Opt-in,0.05\n"
    "4,T8,6.60,High,Denial of Service,Streaming/CDN,Flood of requests to the API,Rate limits,0.1\n"
)


def test_a_severity_word_beside_a_bare_score_is_the_stated_level(tmp_path: Path) -> None:
    model, _report = load(tmp_path, _RANKED)
    levels = {t.id: t.risk.level for t in model.threats if t.risk is not None}
    assert levels == {"T1": "high", "T4": "high", "T5": "medium", "T8": "high"}
    t1 = next(t for t in model.threats if t.id == "T1")
    assert t1.stride == ["spoofing", "tampering"]
    assert t1.risk is not None and t1.risk.score == 7.6


def test_a_location_written_as_an_interaction_is_a_flow_between_its_ends(tmp_path: Path) -> None:
    model, report = load(tmp_path, _RANKED)
    names = sorted(e.name for e in model.elements)
    assert names == ["Home", "Internet boundary", "Smart TV", "Streaming/CDN", "Telemetry/Analytics"]
    flows = {f.name: f for f in model.flows}
    assert set(flows) == {"Home<->Internet boundary", "Smart TV <-> Streaming/CDN", "Smart TV -> Telemetry/Analytics"}
    assert flows["Smart TV <-> Streaming/CDN"].bidirectional
    assert not flows["Smart TV -> Telemetry/Analytics"].bidirectional
    by_id = {t.id: t for t in model.threats}
    assert by_id["T4"].targets == [flows["Smart TV <-> Streaming/CDN"].id]
    cdn = next(e for e in model.elements if e.name == "Streaming/CDN")
    assert by_id["T8"].targets == [cdn.id]
    assert any("names an interaction" in w for w in warnings(report))


# -- snake_case headers with the scale written at their end ("Likelihood_1_5")

_SNAKE = (
    "Risk_ID,Asset,Threat_Scenario,Likelihood_1_5,Impact_1_5,Inherent_Risk_Score,Inherent_Risk_Level,"
    "Residual_Likelihood_1_5,Residual_Impact_1_5,Residual_Risk_Level,NIST_CSF_2_0,Status\n"
    "RISK-001,Customer-data bucket,An internet user reads objects in a public bucket.,4,5,20,Critical,1,5,Moderate,PR.DS,Planned\n"
    "RISK-002,Audit logs,Activity goes unrecorded and unnoticed.,3,4,12,High,1,4,Low,DE.CM,Planned\n"
)


def test_a_scale_written_at_the_end_of_a_snake_case_header(tmp_path: Path) -> None:
    model, _report = load(tmp_path, _SNAKE)
    r1 = model.threats[0]
    assert r1.risk is not None and (r1.risk.likelihood, r1.risk.severity, r1.risk.level) == ("4", "5", "critical")
    assert r1.risk.scale == "5x5"
    assert r1.residual_risk is not None and r1.residual_risk.level == "medium"
    assert "Likelihood_1_5" not in r1.extra and r1.extra.get("NIST_CSF_2_0") == "PR.DS"


# -- STRIDE per element exported from a small tool: "sep=;", two matrices stacked, a threat and a mitigation
#    column per component

_PAIRED = (
    "sep=;\n"
    ";Portal Threat;Portal Mitigation;Link Threat;Link Mitigation;Store Threat;Store Mitigation\n"
    "Spoofing;;Signed tokens;;;;Server certificate\n"
    "Tampering;;;;TLS;Records edited through the API without roles;\n"
    "Repudiation;;Audit trail;;;;\n"
    "Information Disclosure;;;;;;\n"
    "Denial of Service;;;;Redundant link;;\n"
    "Elevation of privilege;;;;;;Separate admin console\n"
    "\n"
    ";Browser Threat;Browser Mitigation;Link Threat;Link Mitigation;Portal Threat;Portal Mitigation\n"
    "Spoofing;Password guessing without lockout;Account lockout;;;;Server certificate\n"
    "Tampering;;;;TLS;;\n"
    "Repudiation;No client logs;;;;;\n"
    "Information Disclosure;;;;;Photos reachable by guessable links;\n"
    "Denial of Service;;;;;;\n"
    "Elevation of privilege;;;;;;\n"
)


def test_stacked_stride_matrices_with_a_threat_and_a_mitigation_column_per_component(tmp_path: Path) -> None:
    model, report = load(tmp_path, _PAIRED, name="stride.csv")
    threats = {t.title: t for t in model.threats}
    assert set(threats) == {
        "Records edited through the API without roles",
        "Password guessing without lockout",
        "No client logs",
        "Photos reachable by guessable links",
    }
    assert threats["Records edited through the API without roles"].stride == ["tampering"]
    names = {e.id: e.name for e in model.elements}
    assert sorted(names.values()) == ["Browser", "Portal", "Store"]
    assert [names[t] for t in threats["Photos reachable by guessable links"].targets] == ["Portal"]
    lockout = threats["Password guessing without lockout"]
    assert [c.title for c in model.controls if c.id in lockout.controls] == ["Account lockout"]
    titles = sorted(c.title for c in model.controls)
    assert titles == sorted(
        ["Signed tokens", "Server certificate", "TLS", "Audit trail", "Redundant link", "Separate admin console", "Account lockout"]
    )
    assert not any(c.title == "sep=" for c in model.controls)
    assert any("stands beside no threat" in w for w in warnings(report))


def test_a_stride_matrix_under_a_title_and_a_two_row_header_in_a_workbook(tmp_path: Path) -> None:
    lines = _PAIRED.splitlines()[1:8]
    rows: list[list[object]] = [["STRIDE per element — portal"], [], *[line.split(";") for line in lines]]

    def merge_header(wb: object) -> None:
        ws = wb.active  # type: ignore[attr-defined]
        ws.insert_rows(4)
        for col in range(1, 8):
            ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)

    path = workbook(tmp_path / "stride.xlsx", {"STRIDE": rows}, merge_header)
    model, report = import_sources([ImportSource(path)])
    assert reconciles(report)
    assert [t.title for t in model.threats] == ["Records edited through the API without roles"]
    assert len(model.controls) == 6


# -- an asset register with its threats: asset id, name and type first

_ASSET_FIRST = (
    "Asset_ID,Asset_Name,Asset_Type,Threat,Vulnerability,Impact,Likelihood,Risk_Score,Risk_Level,Mitigation,Risk_Owner\n"
    "A001,Staff Laptop,Hardware,Malware,No endpoint protection,3,4,12,Medium,Endpoint protection and patching,IT\n"
    "A002,Web Server,Server,SQL Injection,Input not validated,5,3,15,High,Input validation and a WAF,Security\n"
    "A003,Mail System,Service,Phishing,Staff unaware of lures,3,4,12,Medium,Awareness training,HR\n"
)


def test_asset_ids_beside_asset_names_and_an_asset_type_column(tmp_path: Path) -> None:
    model, report = load(tmp_path, _ASSET_FIRST)
    assert sorted(a.name for a in model.assets) == ["Mail System", "Staff Laptop", "Web Server"]
    malware = model.threats[0]
    assert malware.title == "Malware" and malware.stride == []
    assert [a.name for a in model.assets if a.id in malware.assets] == ["Staff Laptop"]
    assert malware.extra.get("Asset_ID") == "A001" and malware.extra.get("Asset_Type") == "Hardware"
    assert not any("STRIDE value" in w for w in warnings(report))


# -- a register kept without its header row

_HEADERLESS = (
    "R-01,Credential stuffing,No rate limiting,Authentication,4,5,20,Password rules,MFA and rate limiting,High\n"
    "R-02,Account takeover,MFA optional,Authentication,4,5,20,Password only,MFA required,High\n"
    "R-03,Phishing of employees,Little training,Privileged access,3,5,15,Ad-hoc training,Phishing drills,Medium\n"
    "\n"
)


def test_a_register_without_a_header_row_is_refused_saying_so(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text(_HEADERLESS, encoding="utf-8")
    try:
        import_sources([ImportSource(path)])
    except InputError as exc:
        message = str(exc)
    else:  # pragma: no cover - the import must refuse
        raise AssertionError("a register without a header was imported")
    assert "register.csv" in message
    assert "no header row" in message and "'R-01', 'R-02'" in message
    # with a title line above it, the same
    path.write_text("Risk register 2025\n" + _HEADERLESS, encoding="utf-8")
    try:
        import_sources([ImportSource(path)])
    except InputError as exc:
        assert "no header row" in str(exc)


# -- FMEA-style logs exported by a tool: camel-case headers; an FMEA whose failure-mode cells are all empty

_FMEA = (
    "Component,Function,FailureModes,Effects,Severity,DetectionControl,RequirementIDs,CyberRisks\n"
    "lin,Checksum,Wrong checksum for a frame,Frames accepted with corrupt data,high,unit tests,REQ-LIN-008,narrowing conversion\n"
    "lin,Send,Unexpected error returned,Silent failure reaches the caller,medium,unit tests,,\n"
)

_FMEA_EMPTY = (
    "ID,Function,File,Line,Failure Mode,Effect,Cause,Severity,O,D,RPN,Action,Cyber Failure Mode\n"
    'FM-001,"proxy_default_config","proxy.c",9,,,,"High",1,1,9,,\n'
    'FM-002,"proxy_controller_new","proxy.c",75,,,,"Low",1,1,3,,\n'
    'FM-003,"registry_new","proxy.c",248,,,,"Low",1,1,3,,\n'
)


def test_fmea_failure_modes_under_camel_case_headers_are_its_rows(tmp_path: Path) -> None:
    model, _report = load(tmp_path, _FMEA)
    assert [t.title for t in model.threats] == ["Wrong checksum for a frame", "Unexpected error returned"]
    first = model.threats[0]
    assert first.risk is not None and first.risk.severity == "high"
    assert [c.title for c in model.controls if c.id in first.controls] == ["unit tests"]


def test_an_fmea_with_no_failure_mode_written_gives_no_threat(tmp_path: Path) -> None:
    path = tmp_path / "fmea.csv"
    path.write_text(_FMEA_EMPTY, encoding="utf-8")
    try:
        model, report = import_sources([ImportSource(path)])
    except InputError as exc:
        assert "fmea.csv" in str(exc) and "title and description cells are empty" in str(exc)
        return
    assert model.threats == []
    assert reconciles(report)


def test_the_refusal_of_an_empty_fmea_under_a_title_names_its_rows_not_the_title(tmp_path: Path) -> None:
    path = tmp_path / "fmea.csv"
    path.write_text("FMEA of the relay library,,,,,,,,,,,,\n" + _FMEA_EMPTY, encoding="utf-8")
    try:
        import_sources([ImportSource(path)])
    except InputError as exc:
        assert "title and description cells are empty" in str(exc)
    else:  # pragma: no cover - the import must refuse
        raise AssertionError("an FMEA with no failure mode was imported")


# -- a control_status column and no control named: the row's status, never a control called "Implemented"

_CONTROL_STATUS = (
    "id,asset,risk,category,likelihood,impact,control_status,owner\n"
    "R-001,Customer Web App,Weak administrator authentication,Identity & Access,4,5,Partial,Security Engineering\n"
    "R-002,Cloud Storage,Misconfigured storage exposes sensitive data,Cloud Security,3,5,None,Cloud Team\n"
    "R-003,Employee Accounts,Phishing leads to account compromise,Human Risk,4,4,Implemented,Security Operations\n"
)


def test_a_control_status_column_names_no_control(tmp_path: Path) -> None:
    model, _report = load(tmp_path, _CONTROL_STATUS)
    assert model.controls == []
    assert [t.status for t in model.threats] == ["partially_mitigated", "open", "mitigated"]


# -- the Threat Modeling Tool's CSV export: the flow a threat is on is its "Interaction"

_TMT = (
    "Id,Diagram Name,Changed By,Last Modified,State,Title,Category,Description,Justification,Interaction,Priority\n"
    "0,Diagram 1,alice,2024-03-01,Not Started,Spoofing the Pump Process,Spoofing,Pump may be spoofed,,Pump -> Gateway,High\n"
    "1,Diagram 1,alice,2024-03-01,Mitigated,Data flow sniffing,Information Disclosure,HL7 may be sniffed,TLS everywhere,"
    "Pump -> Gateway,High\n"
    "2,Diagram 1,bob,2024-03-02,Needs Investigation,Excessive resource consumption,Denial Of Service,Gateway overwhelmed,,"
    "Gateway -> EMR,Medium\n"
)


def test_the_interaction_of_a_threat_modeling_tool_export_is_the_flow(tmp_path: Path) -> None:
    model, _report = load(tmp_path, _TMT)
    flows = {f.name: f for f in model.flows}
    assert set(flows) == {"Pump -> Gateway", "Gateway -> EMR"}
    assert sorted(e.name for e in model.elements) == ["EMR", "Gateway", "Pump"]
    assert [t.targets for t in model.threats] == [[flows["Pump -> Gateway"].id]] * 2 + [[flows["Gateway -> EMR"].id]]
    assert [t.status for t in model.threats] == ["open", "mitigated", "open"]
    assert model.threats[1].rationale == "TLS everywhere"


# -- "Risk | Probability | Impact": the first column names the risks


def test_a_risk_column_of_names_titles_a_csv_register(tmp_path: Path) -> None:
    text = "Risk,Probability,Impact\nData Breach,4,5\nServer Downtime,3,4\nVendor Delay,3,2\n"
    model, _report = load(tmp_path, text)
    assert [t.title for t in model.threats] == ["Data Breach", "Server Downtime", "Vendor Delay"]
    first = model.threats[0].risk
    assert first is not None and (first.likelihood, first.severity) == ("4", "5")
    # a "Risk" column of ratings stays a rating: no threat is titled "High"
    rated = "Threat,Risk\nPhishing of staff,High\nLost laptop,Low\n"
    other, _r = load(tmp_path, rated, name="rated.csv")
    assert [(t.title, t.risk.level if t.risk else None) for t in other.threats] == [("Phishing of staff", "high"), ("Lost laptop", "low")]


# -- a real register kept with the tests (MIT): its truth counted by hand

REAL = Path(__file__).resolve().parents[1] / "data" / "registers-real"


def test_the_it_asset_risk_register_as_csv_and_as_a_workbook(tmp_path: Path) -> None:
    import csv

    source = REAL / "ishant-it-asset-risk-register.csv"
    rows = list(csv.reader(source.read_text(encoding="utf-8").splitlines()))
    book = workbook(tmp_path / "register.xlsx", {"Register": [[int(v) if v.isdigit() else v for v in r] for r in rows]})
    for path in (source, book):
        model, report = import_sources([ImportSource(path)])
        assert reconciles(report)
        assert [t.title for t in model.threats] == ["Malware", "SQL Injection", "Phishing", "Data Breach", "Unauthorized Access"]
        assets = ["Customer Database", "Email System", "Employee Laptop", "Web Server", "Wi-Fi Network"]
        assert sorted(a.name for a in model.assets) == assets
        levels = [t.risk.level if t.risk else None for t in model.threats]
        assert levels == ["medium", "high", "medium", "high", "medium"]
        assert len(model.controls) == 5 and all(len(t.controls) == 1 for t in model.threats)
        assert all(t.stride == [] for t in model.threats)


def test_a_totals_row_and_a_legend_below_a_register_keep_their_own_reasons(tmp_path: Path) -> None:
    text = (
        "ID,Threat,Component,Likelihood,Impact,Mitigation\n"
        "T-1,Rogue bolus command,Pump,4,5,Signed commands\n"
        "T-2,Drug library tampered,Gateway,3,5,Signed drug library\n"
        "\n"
        "Total: 2 threats\n"
        "Legend: Likelihood 1 (rare) – 5 (frequent)\n"
    )
    model, report = load(tmp_path, text)
    assert [t.id for t in model.threats] == ["T-1", "T-2"]
    reasons = skipped(report)
    assert any(r.startswith("A5: totals row") for r in reasons)
    assert any(r.startswith("A6: legend or note row") for r in reasons)


# -- a merged register saved as CSV: the rows under a threat each add a mitigation


def test_each_continuation_row_of_a_register_adds_a_control_of_its_own(tmp_path: Path) -> None:
    text = (
        "Threat ID,Threat,Component,Likelihood,Impact,Mitigation\n"
        "T-01,Spoofed clinician login,Tablet app,High (4),Major (4),MFA for clinicians\n"
        ",,,,,Session timeout after 5 minutes\n"
        ",,,,,Device certificate pinning\n"
        'T-02,Tampered drug library,Pump firmware,Medium (3),Catastrophic (5),"Signed drug library\nVersion check on import"\n'
    )
    model, report = load(tmp_path, text)
    t1, t2 = model.threats
    titles = {c.id: c.title for c in model.controls}
    assert [titles[c] for c in t1.controls] == ["MFA for clinicians", "Session timeout after 5 minutes", "Device certificate pinning"]
    assert [titles[c] for c in t2.controls] == ["Signed drug library"]  # one cell, one control (its lines kept)
    assert t1.risk is not None and t1.risk.level in ("high", "critical")
    assert [r.locator for r in report.records if r.disposition == "merged"] == ["A3", "A4"]


def test_a_bracketed_stride_title_and_a_security_finding_beside_the_threat_scenario(tmp_path: Path) -> None:
    text = (
        "Risk_ID,Security_Finding,Threat_Scenario,Likelihood_1_5,Impact_1_5\n"
        "RISK-001,A bucket with customer data allows public access.,An internet user reads objects in the bucket.,4,5\n"
    )
    model, _report = load(tmp_path, text)
    (risk,) = model.threats
    assert risk.title == "An internet user reads objects in the bucket."
    assert risk.description == "A bucket with customer data allows public access."
    dos, _r = load(tmp_path, "Risk_ID,Threat,Vulnerability\nR-008,Denial of Service (DDoS),High-volume traffic\n", name="dos.csv")
    assert dos.threats[0].stride == ["denial_of_service"]


# -- a risk matrix pasted below the register, with or without its caption

_MATRIX = (
    "Instructions: one row per threat; rate likelihood and impact 1-5; the score is L x I.,,,,,,\n"
    ",,,,,,\n"
    "Threat ID,Threat,Asset,Likelihood,Impact,Score,Mitigation\n"
    "T-01,Spoofed pump command,Pump,4,5,20,Signed commands\n"
    "T-02,Log tampering,Server,2,3,6,Append-only logs\n"
    ",,,,,,\n"
    "Risk matrix,,,,,,\n"
    "Likelihood \\ Impact,1,2,3,4,5,\n"
    "5,5,10,15,20,25,\n"
    "4,4,8,12,16,20,\n"
    "1,1,2,3,4,5,\n"
)


def test_a_risk_matrix_below_a_register_is_no_threat(tmp_path: Path) -> None:
    for name, text in (("captioned.csv", _MATRIX), ("bare.csv", _MATRIX.replace("Risk matrix,,,,,,\n", ""))):
        model, report = load(tmp_path, text, name=name)
        assert [t.id for t in model.threats] == ["T-01", "T-02"], name
        assert len(model.controls) == 2
    model, report = load(tmp_path, _MATRIX, name="again.csv")
    assert any("under 'Risk matrix'" in r for r in skipped(report))
    assert any("unsure of the rows under 'Risk matrix'" in w for w in warnings(report))


def test_a_group_row_that_names_a_component_still_groups(tmp_path: Path) -> None:
    text = (
        "ID,Threat,Likelihood,Impact,Mitigation\n"
        "Dashboard,,,,\n"
        "1,Session fixation on the dashboard,3,4,Rotate session ids\n"
        "Metrics service,,,,\n"
        "2,Metrics endpoint leaks patient counts,2,3,Authenticate the endpoint\n"
        "Key management,,,,\n"
        "3,Signing key copied off the build server,2,5,Keys in an HSM\n"
        "Scale-out cluster,,,,\n"
        "4,Node joins without attestation,2,4,Attested node join\n"
    )
    model, _report = load(tmp_path, text)
    assert [t.title for t in model.threats] == [
        "Session fixation on the dashboard",
        "Metrics endpoint leaks patient counts",
        "Signing key copied off the build server",
        "Node joins without attestation",
    ]


# -- a tool's export with one row per countermeasure: the threat repeated on each row

_PER_COUNTERMEASURE = (
    "Component,Threat,Threat Risk,Threat State,Countermeasure,Countermeasure State,Countermeasure Risk\n"
    "Web API,Attacker sends crafted JWT,High,Expose,Validate JWT signature,Implemented,High\n"
    "Web API,Attacker sends crafted JWT,High,Expose,Rotate signing keys,Required,Medium\n"
    "Web API,SQL injection in search,Critical,Expose,Use parameterised queries,Recommended,High\n"
    "Database,Backup stolen,Medium,Mitigated,Encrypt backups,Implemented,Medium\n"
    "Web API,SQL injection in search,High,Expose,Input allow-lists,Recommended,High\n"
)


def test_a_threat_repeated_for_each_countermeasure_is_one_threat(tmp_path: Path) -> None:
    model, report = load(tmp_path, _PER_COUNTERMEASURE)
    titles = [t.title for t in model.threats]
    # the last row rates its threat otherwise (High, not Critical): kept apart, not merged on a guess
    assert titles == ["Attacker sends crafted JWT", "SQL injection in search", "Backup stolen", "SQL injection in search"]
    jwt = model.threats[0]
    names = {c.id: c.title for c in model.controls}
    assert [names[c] for c in jwt.controls] == ["Validate JWT signature", "Rotate signing keys"]
    assert jwt.risk is not None and jwt.risk.level == "high"  # the threat's risk, not the countermeasure's
    assert [t.status for t in model.threats] == ["open", "open", "mitigated", "open"]
    assert [r.locator for r in report.records if r.disposition == "merged"] == ["A3"]
