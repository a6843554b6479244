"""More registers kept by people as spreadsheets (CSV, Excel, Markdown tables), each as a small synthetic excerpt
in the same shape as the real one. The real registers and their truth are listed in
tests/data/registers-real/SOURCES.md."""

from __future__ import annotations

from pathlib import Path

from tests.importers.import_helpers import checked_import, load_text, skipped, workbook
from tests.importers.import_helpers import warning_messages as warnings

# -- a hazard analysis sheet: the rating scales and the risk matrix stand above the register


_SEVERITY = [
    ["Level", "Description", "Examples"],
    ["1 - Negligible", "No injury; minor equipment inconvenience", "Temporary data loss, LED malfunction"],
    ["2 - Minor", "First-aid injury", "Small burn, single-component failure"],
    ["3 - Moderate", "Medical treatment required", "Electrical shock (non-fatal)"],
    ["4 - Serious", "Hospitalization", "Serious electrical shock, fire spread"],
    ["5 - Catastrophic", "Fatality or permanent disability", "Fatal fall from height, electrocution"],
]
_PROBABILITY = [
    ["Level", "Description", "Frequency"],
    ["A - Rare", "Almost never occurs", "< 1 in 100 device-years"],
    ["B - Unlikely", "Could occur in exceptional circumstances", "1 in 50 device-years"],
    ["C - Possible", "Might occur at some time", "1 in 10 device-years"],
    ["D - Likely", "Will probably occur", "1 in 2 device-years"],
    ["E - Almost certain", "Expected to occur", "> 1 in 1 device-years"],
]
_HAZARDS = [
    ["Hazard ID", "Hazard", "Cause", "Severity", "Probability (before controls)", "Risk (before)", "Controls", "Residual Risk"],
    [
        "H-01",
        "Electrical shock from DC power terminals",
        "Contact with energized conductors",
        "3 - Moderate",
        "C - Possible",
        "Medium",
        "Recessed terminals; safety warnings",
        "Medium",
    ],
    [
        "H-02",
        "Fire from overvoltage",
        "Power supply exceeds rated voltage",
        "4 - Serious",
        "B - Unlikely",
        "High",
        "OVP circuit; external fuse",
        "Medium",
    ],
]


def _hazard_sheet() -> list[list[str]]:
    rows: list[list[str]] = [
        ["Hazard Identification and Risk Assessment"],
        [],
        ["Severity levels:"],
        *_SEVERITY,
        [],
        ["Probability levels:"],
        *_PROBABILITY,
        [],
        ["Hazard Register"],
        *_HAZARDS,
    ]
    return rows


def test_rating_scales_above_a_hazard_register_are_no_hazards(tmp_path: Path) -> None:
    path = workbook(tmp_path / "hazards.xlsx", {"Hazard Analysis": _hazard_sheet()})
    model, report = checked_import(path)
    assert [t.id for t in model.threats] == ["H-01", "H-02"]
    reasons = skipped(report)
    for loc in ("A5", "A9", "A13", "A16"):
        assert any(r.startswith(f"Hazard Analysis!{loc}:") and "scale" in r for r in reasons), (loc, reasons)
    assert any("Hazard Analysis" in w and "scale" in w for w in warnings(report))


def _md(rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(out) + "\n"


def test_rating_scales_as_markdown_tables_are_no_hazards(tmp_path: Path) -> None:
    text = (
        "# Hazard analysis\n\n**Severity levels:**\n\n"
        + _md(_SEVERITY)
        + "\n**Probability levels:**\n\n"
        + _md(_PROBABILITY)
        + "\n## Hazard Register\n\n"
        + _md(_HAZARDS)
    )
    model, report = load_text(tmp_path, text)
    assert [t.id for t in model.threats] == ["H-01", "H-02"]
    reasons = skipped(report)
    assert sum(1 for r in reasons if "rating scale" in r) == 6  # the severity table's header and its five levels
    assert sum(1 for r in reasons if "Almost certain" in r or "A - Rare" in r) == 2  # the probability table: no table


def test_a_register_sorted_by_severity_is_still_a_register(tmp_path: Path) -> None:
    """The scale rule needs a table that names no threat: a register whose first column is its severity stays one."""
    text = _md(
        [
            ["Severity", "Threat", "Mitigation"],
            ["High", "Stolen credentials", "MFA"],
            ["Medium", "Tampered logs", "WORM storage"],
            ["Low", "Lost badge", "Badge revocation"],
        ]
    )
    model, _report = load_text(tmp_path, text)
    assert [t.title for t in model.threats] == ["Stolen credentials", "Tampered logs", "Lost badge"]


# -- a register and its mitigations in a second table below it, linked by id, a caption line above each


def test_a_second_table_under_a_caption_line_is_a_table_of_its_own(tmp_path: Path) -> None:
    rows = [
        ["Risk Register"],
        [],
        ["ID", "Asset", "Threat", "STRIDE", "Likelihood", "Impact", "Priority"],
        ["R01", "Student accounts", "Account takeover", "Spoofing", "High", "High", "Critical"],
        ["R02", "Student records", "Unauthorized modification", "Tampering", "Medium", "High", "High"],
        [],
        ["Mitigation and Verification"],
        ["ID", "Recommended Mitigation", "Verification Step"],
        ["R01", "Login rate limiting and secure sessions", "Verify repeated failed logins are limited."],
        ["R02", "Server-side object ownership checks", "Verify a user cannot change another user's records."],
    ]
    model, report = checked_import(workbook(tmp_path / "register.xlsx", {"Risk Register": rows}))
    assert [(t.id, t.title) for t in model.threats] == [("R01", "Account takeover"), ("R02", "Unauthorized modification")]
    assert sorted(c.title for c in model.controls) == ["Login rate limiting and secure sessions", "Server-side object ownership checks"]
    assert [len(t.controls) for t in model.threats] == [1, 1]
    assert not any("'ID'" in w and "title differs" in w for w in warnings(report))
    assert any(r.startswith("Risk Register!A8:") and "header row" in r for r in skipped(report))


# -- a risk list named in its first column "Risk", some risks of one word


def test_risks_named_in_a_first_column_of_one_and_two_word_names(tmp_path: Path) -> None:
    path = tmp_path / "risk_matrix.csv"
    path.write_text(
        "Risk,Category (NIST),Likelihood (1-5),Impact (1-5),Risk Score,Priority,Recommended Mitigation\n"
        'Phishing / Business Email Compromise,Protect,5,4,20,Critical,"Email filtering, phishing drills"\n'
        'Ransomware,Protect / Recover,3,5,15,High,"EDR, offline backups"\n'
        "Insider Threats,Identify / Protect,3,4,12,High,Activity logging\n",
        encoding="utf-8",
    )
    model, _report = checked_import(path)
    assert [t.title for t in model.threats] == ["Phishing / Business Email Compromise", "Ransomware", "Insider Threats"]
    assert [t.risk.level if t.risk else None for t in model.threats] == ["critical", "high", "high"]
    assert len(model.controls) == 3


def test_a_first_column_risk_of_ratings_names_no_risks(tmp_path: Path) -> None:
    """'Risk' over ratings is a rating column: the rule never titles threats by 'High'."""
    path = tmp_path / "ratings.csv"
    path.write_text("Risk,Probability,Impact\nHigh,4,5\nLow,1,2\n", encoding="utf-8")
    try:
        model, _report = checked_import(path)
    except Exception as exc:  # refused: nothing named a risk
        assert "no threat-model" in str(exc)
    else:
        assert all(t.title not in ("High", "Low") for t in model.threats)


# -- ratings: a stated level beside a column of bare scores; a "Risk" column of sentences beside the real rating


def test_a_priority_of_level_words_beside_bare_scores_is_the_stated_level(tmp_path: Path) -> None:
    path = tmp_path / "risk_register.csv"
    path.write_text(
        "Risk_ID,Asset,Threat,Likelihood,Impact,Risk_Score,Current_Controls,Recommended_Control,Priority,Status\n"
        "R001,Epic EHR System,Unauthorized Access,High,Critical,15,Basic password policy,Implement MFA,Critical,Open\n"
        "R002,Staff Workstations,Phishing Initial Access,High,High,12,Spam filters only,Email sandboxing,High,Open\n"
        "R003,Server Rooms,Physical Breach,Low,High,8,Badge access,Access log review,Medium,Open\n",
        encoding="utf-8",
    )
    model, report = checked_import(path)
    assert [t.risk.level if t.risk else None for t in model.threats] == ["critical", "high", "medium"]
    assert any("'Priority' states the level" in w for w in warnings(report))


_NOTES_BELOW = (
    "Security Risk Assessment,,,,,,,,\n"
    "Risk #,Risk ,Risk Family,Control,Liklihood,Impact,Reasoning,Mitigating Controls,Total Risk Score\n"
    "1,AES-128 encryption weak and easy to decipher,Data at Rest,File storage only supports AES-128,Medium,High,"
    "An attacker can decipher it,Apply AES-256 for encryption,Medium\n"
    "2,Database unencrypted in production environment,Data in Transit,Databases are unencrypted,High,High,"
    '"Large amounts of data, an easy target",Encrypt every database with AES-256,High\n'
    "3,MFA not applied with VPN access,User Access,VPN access does not require MFA,Medium,High,"
    "A cracked password opens the VPN,Apply MFA for VPN access,Medium\n"
    ",,,,,,,,\n"
    "Notes:,,,,,,,,\n"
    "Risk - descriptions should be some reasonable approximation of what is written above,,,,,,,,\n"
)


def test_the_total_risk_score_of_words_is_the_risk_when_risk_holds_sentences(tmp_path: Path) -> None:
    path = tmp_path / "risk-assessment.csv"
    path.write_text(_NOTES_BELOW, encoding="utf-8")
    model, report = checked_import(path)
    assert [t.id for t in model.threats] == ["1", "2", "3"]
    assert [t.risk.level if t.risk else None for t in model.threats] == ["medium", "high", "medium"]
    assert [t.risk.likelihood if t.risk else None for t in model.threats] == ["Medium", "High", "Medium"]
    assert any("Notes:" in r for r in skipped(report))


# -- a GRC workbook: risks, the controls linked to them by id, their evidence and a remediation tracker

_RISKS = [
    ["risk_id", "risk_title", "risk_category", "likelihood", "impact", "inherent_risk_rating", "control_status", "risk_owner"],
    [
        "R-001",
        "Excessive privileged access in production systems",
        "Identity and Access Management",
        "Possible",
        "Major",
        "High",
        "Partially Implemented",
        "Identity and Access Team",
    ],
    [
        "R-002",
        "Incomplete logging for critical cloud activities",
        "Logging and Monitoring",
        "Possible",
        "Major",
        "High",
        "Partially Implemented",
        "Security Operations Team",
    ],
]
_CONTROLS = [
    ["control_id", "linked_risk_id", "control_name", "control_objective", "implementation_status"],
    ["C-001", "R-001", "Privileged Access Review", "Ensure privileged access is approved and reviewed", "Partially Implemented"],
    ["C-002", "R-002", "Centralised Cloud Logging", "Ensure cloud activities are logged", "Implemented"],
]
_REMEDIATION = [
    ["remediation_id", "linked_risk_id", "control_id", "remediation_action", "priority", "owner", "status", "target_date"],
    [
        "REM-001",
        "R-001",
        "C-001",
        "Remove unnecessary privileged access and document approval",
        "High",
        "IAM Team",
        "In Progress",
        "2026-06-15",
    ],
    ["REM-002", "R-002", "C-002", "Confirm cloud log retention settings", "High", "SecOps Team", "Open", "2026-06-20"],
]


def test_a_remediation_tracker_lists_no_risks(tmp_path: Path) -> None:
    path = workbook(tmp_path / "grc.xlsx", {"Risk Register": _RISKS, "Control Register": _CONTROLS, "Remediation Tracker": _REMEDIATION})
    model, report = checked_import(path)
    assert [t.id for t in model.threats] == ["R-001", "R-002"]
    assert [t.status for t in model.threats] == ["partially_mitigated", "partially_mitigated"]  # not the actions' own statuses
    assert sorted(c.title for c in model.controls) == ["Centralised Cloud Logging", "Privileged Access Review"]
    assert all("Remediation Tracker" not in str(t.source) for t in model.threats)
    assert any(r.startswith("Remediation Tracker!A2:") and "remediation actions" in r for r in skipped(report))


def test_a_remediation_tracker_alone_is_refused_not_read_as_risks(tmp_path: Path) -> None:
    path = tmp_path / "remediation_tracker.csv"
    path.write_text("\n".join(",".join(r) for r in _REMEDIATION) + "\n", encoding="utf-8")
    try:
        model, _report = checked_import(path)
    except Exception as exc:
        assert "remediation actions" in str(exc)
    else:
        assert model.threats == []


# -- likelihood and impact written short ("Med"), one of them a range ("Low/Med")


def test_med_is_medium_and_a_range_of_levels_gives_no_level(tmp_path: Path) -> None:
    text = _md(
        [
            ["ID", "Risk", "Likelihood", "Impact", "Mitigation"],
            ["R-01", "User confuses risk score with diagnosis", "Med", "High", "Disclaimers"],
            ["R-02", "PHI sent to public OCR endpoint", "Low/Med", "Critical", "Private endpoint only"],
            ["R-03", "High FAR anomaly alerts", "Med", "Med", "Tune thresholds offline"],
        ]
    )
    model, _report = load_text(tmp_path, text)
    risks = [t.risk for t in model.threats]
    assert [r.level if r else None for r in risks] == ["high", None, "medium"]
    assert risks[1] is not None and risks[1].likelihood == "Low/Med"  # kept as written, no level guessed


# -- a two-row header: a merged "Controls" group over the existing and the recommended controls


def test_recommended_controls_under_a_merged_group_cell_are_planned_controls(tmp_path: Path) -> None:
    rows = [
        ["Risk ID", "Asset", "Threat", "Risk assessment", None, "Controls", None, None, "Priority"],
        [None, None, None, "Likelihood", "Impact", "Current Controls", "Control Gap", "Recommended Control", None],
        [
            "R001",
            "Epic EHR System",
            "Unauthorized Access",
            "High",
            "Critical",
            "Basic password policy",
            "No MFA",
            "Implement MFA for all EHR connections",
            "Critical",
        ],
        [
            "R006",
            "Infusion Pumps",
            "Lateral Movement via OT",
            "Medium",
            "Critical",
            "Physical access controls",
            "Flat network",
            "Segment medical devices",
            "High",
        ],
    ]

    def merge(wb: object) -> None:
        ws = wb.active  # type: ignore[attr-defined]
        for rng in ("A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:H1", "I1:I2"):
            ws.merge_cells(rng)

    model, _report = checked_import(workbook(tmp_path / "grouped.xlsx", {"Risk Register": rows}, merge))
    by_status = sorted((c.status, c.title) for c in model.controls)
    assert by_status == [
        ("implemented", "Basic password policy"),
        ("implemented", "Physical access controls"),
        ("planned", "Implement MFA for all EHR connections"),
        ("planned", "Segment medical devices"),
    ]


# -- an asset written with a bare slash is one asset; a list is written with commas or a spaced slash


def test_a_bare_slash_joins_one_asset_name(tmp_path: Path) -> None:
    text = _md(
        [
            ["ID", "Asset", "Threat", "Mitigation"],
            ["R01", "Student/Admin accounts", "Account takeover", "Rate limiting"],
            ["R02", "Imaging Systems MRI/CT", "Ransomware propagation", "Patching programme"],
            ["R03", "Legal/Compliance", "Regulatory violation", "Breach notification workflow"],
            ["R04", "Laptops / Phones", "Device theft", "Disk encryption"],
        ]
    )
    model, _report = load_text(tmp_path, text)
    assert sorted(a.name for a in model.assets) == [
        "Imaging Systems MRI/CT",
        "Laptops",
        "Legal/Compliance",
        "Phones",
        "Student/Admin accounts",
    ]


# -- a STRIDE-per-element report's inventory: boundaries, elements (some typed "Asset"), flows marked "(bi)",
#    and a coverage matrix of counts


def test_an_inventory_of_boundaries_elements_flows_and_a_coverage_matrix(tmp_path: Path) -> None:
    boundaries = [
        ["Boundary", "Kind", "Description"],
        ["Untrusted lab network", "Internet / DMZ perimeter", "Any peer on the lab LAN."],
        ["Host OS / root (SSH)", "Privilege level", "The Linux host the services run on."],
    ]
    elements = [
        ["Element", "Type", "Description", "In boundary"],
        ["Network client", "Entity", "Any device on the lab LAN.", "Untrusted lab network"],
        ["User store (cgm.db, SQLite)", "Data store", "Seeded user rows.", "Host OS / root (SSH)"],
        ["Root filesystem / sudoers (/etc/sudoers.d, /root)", "Data store", "The sudoers drop-in.", "Host OS / root (SSH)"],
        ["Host shell (biomed via SSH)", "Process", "SSH foothold.", "Host OS / root (SSH)"],
        ["Patient glucose data / PHI", "Asset", "Per-patient readings.", "Host OS / root (SSH)"],
    ]
    flows = [
        ["Flow", "Source", "Destination", "Protocol"],
        ["Login query", "Host shell (biomed via SSH)", "User store (cgm.db, SQLite) (bi)", "SQL"],
        ["Privilege escalation", "Host shell (biomed via SSH)", "Root filesystem / sudoers (/etc/sudoers.d, /root) (bi)", "Other"],
    ]
    matrix = [
        ["Element", "Type", "S", "T", "R", "I", "D", "E"],
        ["Network client", "Entity", "1", "·", "2", "·", "·", "·"],
        ["User store (cgm.db, SQLite)", "Data store", "·", "2", "2", "2", "2", "·"],
        ["Login query", "Data flow", "·", "1", "·", "1", "1", "·"],
    ]
    rows = [["Trust boundaries"], *boundaries, [], ["Elements"], *elements, [], ["Data flows"], *flows]
    path = workbook(tmp_path / "inventory.xlsx", {"Diagram inventory": rows, "STRIDE coverage": matrix})
    model, _report = checked_import(path)
    assert model.threats == []
    assert sorted(z.name for z in model.trust_zones) == ["Host OS / root (SSH)", "Untrusted lab network"]
    assert sorted(e.name for e in model.elements) == [
        "Host shell (biomed via SSH)",
        "Network client",
        "Root filesystem / sudoers (/etc/sudoers.d, /root)",
        "User store (cgm.db, SQLite)",
    ]
    assert [a.name for a in model.assets] == ["Patient glucose data / PHI"]
    names = {e.id: e.name for e in model.elements}
    assert [(names[f.source], names[f.target]) for f in model.flows] == [
        ("Host shell (biomed via SSH)", "User store (cgm.db, SQLite)"),
        ("Host shell (biomed via SSH)", "Root filesystem / sudoers (/etc/sudoers.d, /root)"),
    ]


# -- a TARA on one sheet: risk per threat, then countermeasures keyed by threat id under captions that say
#    whether they are in place


_APPLIED = [
    ["Threat", "Feasibility", "Damage scenario(s)", "Impact", "Risk"],
    ["T1 — Replay", "High", "D2, D1", "High", "Critical"],
    ["T2 — Spoofed value injection", "Medium", "D1", "High", "Critical"],
]
_IMPLEMENTED = [
    ["Threat", "Countermeasure", "Script", "Limitation"],
    ["T1", "Rate-window anomaly detection", "detect_replay.py", "Slow replays stay under the threshold"],
    ["T2", "Per-byte envelope learning", "detect_injection.py", "In-range spoofing evades it"],
]
_RECOMMENDED = [
    ["Threat(s)", "Countermeasure", "Why it's out of scope here"],
    ["T1, T2", "Message authentication (SecOC)", "Needs ECU key provisioning"],
    ["T2", "Gateway allowlisting", "Needs a gateway ECU"],
]


def test_countermeasures_keyed_by_threat_id_under_status_captions(tmp_path: Path) -> None:
    rows = [["Applied risk per threat"], *_APPLIED, [], ["Implemented in this lab (detective)"], *_IMPLEMENTED, [],
            ["Recommended but not implemented (preventive)"], *_RECOMMENDED]  # fmt: skip
    model, report = checked_import(workbook(tmp_path / "tara.xlsx", {"TARA": rows}))
    assert [(t.id, t.title) for t in model.threats] == [("T1", "Replay"), ("T2", "Spoofed value injection")]
    status = {c.title: c.status for c in model.controls}
    assert status == {
        "Rate-window anomaly detection": "implemented",
        "Per-byte envelope learning": "implemented",
        "Message authentication (SecOC)": "planned",
        "Gateway allowlisting": "planned",
    }
    titles = {c.id: c.title for c in model.controls}
    assert sorted(titles[c] for c in model.threats[0].controls) == ["Message authentication (SecOC)", "Rate-window anomaly detection"]
    assert any("ids only" in w for w in warnings(report))


def test_countermeasure_sheets_named_for_their_status(tmp_path: Path) -> None:
    sheets = {"Applied risk": _APPLIED, "Implemented in this lab": _IMPLEMENTED, "Recommended": _RECOMMENDED}
    model, _report = checked_import(workbook(tmp_path / "tara-sheets.xlsx", sheets))
    assert [t.id for t in model.threats] == ["T1", "T2"]
    assert sorted(c.status for c in model.controls) == ["implemented", "implemented", "planned", "planned"]


def test_countermeasure_headings_in_markdown_say_their_status(tmp_path: Path) -> None:
    text = (
        "## Applied risk per threat\n\n" + _md(_APPLIED) + "\n### Implemented in this lab (detective)\n\n" + _md(_IMPLEMENTED)
        + "\n### Recommended but not implemented\n\n" + _md(_RECOMMENDED)
    )  # fmt: skip
    model, _report = load_text(tmp_path, text)
    assert [t.id for t in model.threats] == ["T1", "T2"]
    assert sorted(c.status for c in model.controls) == ["implemented", "implemented", "planned", "planned"]


# -- an ISO 27001 register: the risk statement beside its threat source, a table of counts pasted below


_TECHVAULT = [
    ["ID", "Risk", "Asset", "Threat", "Likelihood", "Impact", "Score", "Level", "Treatment", "Owner"],
    [
        "R-001",
        "Ransomware attack encrypts DocuVault data",
        "Client documents",
        "Cybercriminal",
        4,
        5,
        20,
        "CRITICAL",
        "Mitigate — EDR, immutable backups",
        "CISO",
    ],
    [
        "R-002",
        "Unauthorised access to client documents",
        "Client documents",
        "External attacker",
        4,
        5,
        20,
        "CRITICAL",
        "Mitigate — MFA, RBAC",
        "CISO",
    ],
    [
        "R-003",
        "SQL injection attack on DocuVault",
        "Database",
        "External attacker",
        3,
        5,
        15,
        "HIGH",
        "Mitigate — input validation, WAF",
        "CTO",
    ],
    ["R-004", "USB device data exfiltration", "Client data", "Insider", 2, 2, 4, "LOW", "Accept — USB ports disabled", "IT"],
]


def test_the_risk_statement_titles_the_row_beside_a_short_threat_source(tmp_path: Path) -> None:
    model, report = checked_import(workbook(tmp_path / "register.xlsx", {"Risk Register": _TECHVAULT}))
    assert [t.title for t in model.threats] == [
        "Ransomware attack encrypts DocuVault data",
        "Unauthorised access to client documents",
        "SQL injection attack on DocuVault",
        "USB device data exfiltration",
    ]
    assert [t.extra.get("Threat") for t in model.threats] == ["Cybercriminal", "External attacker", "External attacker", "Insider"]
    assert any("threat's source" in w for w in warnings(report))


def test_a_table_of_counts_below_a_register_is_no_risk(tmp_path: Path) -> None:
    rows = [*_TECHVAULT, [], ["Risk Treatment Summary"], ["Treatment", "Count"], ["Mitigate", 3], ["Accept", 1], ["Transfer", 0]]
    model, report = checked_import(workbook(tmp_path / "register.xlsx", {"Risk Register": rows}))
    assert [t.id for t in model.threats] == ["R-001", "R-002", "R-003", "R-004"]
    reasons = skipped(report)
    assert any(r.startswith("Risk Register!A8:") and "table of counts" in r for r in reasons), reasons
    assert any(r.startswith("Risk Register!A9:") and "table of counts" in r for r in reasons)


def test_a_level_column_beside_bare_scores_is_the_stated_level_and_a_shifted_cell_is_warned(tmp_path: Path) -> None:
    rows = [
        *_TECHVAULT[:4],
        ["R-016", "Failure to comply with GDPR", "Personal data", "Regulatory", 2, 4, 8, "Mitigate", "GDPR compliance programme", "Legal"],
        ["R-020", "Physical intrusion at office", "Servers", "Physical attacker", 1, 4, 4, "MODERATE", "Mitigate — CCTV", "Facilities"],
    ]
    model, report = checked_import(workbook(tmp_path / "register.xlsx", {"Risk Register": rows}))
    levels = {t.id: t.risk.level if t.risk else None for t in model.threats}
    # as stated (R-020's 4 of 25 would be low); R-016's shifted cell leaves its level to its score
    assert levels == {"R-001": "critical", "R-002": "critical", "R-003": "high", "R-016": "medium", "R-020": "medium"}
    assert any("'Mitigate'" in w and "'Level'" in w for w in warnings(report))


# -- a register written one risk per "Field | Detail" table, after a reading guide of its columns


def test_a_reading_guide_of_the_columns_is_no_risk(tmp_path: Path) -> None:
    guide = _md(
        [
            ["Column", "Description"],
            ["Risk ID", "Unique identifier for tracking and POA&M reference"],
            ["Threat Event", "Specific adverse event that could occur"],
            ["Affected Asset", "NEXUS component or data type at risk"],
            ["Likelihood (L)", "1–5 scale (1 = Rare, 5 = Almost Certain)"],
            ["Existing Controls", "Current NEXUS controls that reduce this risk"],
        ]
    )
    record = _md(
        [
            ["Field", "Detail"],
            ["Risk ID", "R-001"],
            ["Threat Event", "Ransomware deployed across the EHR environment; clinical operations halted"],
            ["Affected Asset", "Primary PostgreSQL DB; Clinical endpoints"],
            ["Likelihood", "5 — Almost Certain"],
            ["Impact", "5 — Catastrophic"],
            ["Existing Controls", "EDR on all servers; daily backups"],
        ]
    )
    text = "## Reading Guide\n\n" + guide + "\n## Section A — Technical Threats\n\n### R-001 — Ransomware\n\n" + record
    model, _report = load_text(tmp_path, text)
    assert [t.id for t in model.threats] == ["R-001"]
    assert sorted(a.name for a in model.assets) == ["Clinical endpoints", "Primary PostgreSQL DB"]
    assert len(model.controls) == 1


def test_a_row_copied_under_a_new_id_is_kept_and_said(tmp_path: Path) -> None:
    text = _NOTES_BELOW.replace(
        "3,MFA not applied",
        "2b,Database unencrypted in production environment,Data in Transit,Databases are unencrypted,High,High,"
        '"Large amounts of data, an easy target",Encrypt every database with AES-256,High\n3,MFA not applied',
    )
    path = tmp_path / "risk-assessment.csv"
    path.write_text(text, encoding="utf-8")
    model, report = checked_import(path)
    assert [t.id for t in model.threats] == ["1", "2", "2b", "3"]
    assert any("threat 2b repeats 2 (A4)" in w for w in warnings(report))


# -- a list of threats with a yes/no column


def test_a_mitigated_yes_no_column_gives_the_status(tmp_path: Path) -> None:
    text = (
        "|             Threats              | Mitigated (Y/N) |\n|:--------------------------------:|:---------------:|\n"
        "|          SQL Injection           |        N        |\n|        Man in the Middle         |        Y        |    \n"
        "|          Eavesdropping           |        Y        |\n|          Session Hijack          |     Partly      |\n"
    )
    model, report = load_text(tmp_path, text)
    assert [(t.title, t.status) for t in model.threats] == [
        ("SQL Injection", "open"),
        ("Man in the Middle", "mitigated"),
        ("Eavesdropping", "mitigated"),
        ("Session Hijack", "open"),
    ]
    assert model.threats[3].extra.get("Mitigated (Y/N)") == "Partly"
    assert any("'Partly'" in w and "no yes or no" in w for w in warnings(report))
    path = workbook(tmp_path / "threats.xlsx", {"Threats": [["Threat", "Mitigated?"], ["SQL Injection", "No"], ["Eavesdropping", "Yes"]]})
    model, _report = checked_import(path)
    assert [t.status for t in model.threats] == ["open", "mitigated"]


def test_a_caption_states_the_status_by_what_it_opens_with() -> None:
    from mdptm.importers.tabular.scale_tables import caption_status

    assert caption_status("Recommended but not implemented (preventive)") == "planned"
    assert caption_status("Implemented (as recommended by IEC 62443)") == "implemented"
    assert caption_status("Controls not yet in place") == "planned"
    assert caption_status("Existing controls") == "implemented"
    assert caption_status("Mitigation and Verification") is None


def test_rows_of_an_unread_table_above_a_register_are_said_to_be_so(tmp_path: Path) -> None:
    damage = [["Damage ID", "Damage scenario", "Safety", "Financial"], ["D1", "False RPM data", "Major", "Minor"]]
    rows = [["TARA"], [], ["Impact ratings"], *damage, [], ["Applied risk per threat"], *_APPLIED]
    _model, report = checked_import(workbook(tmp_path / "tara.xlsx", {"TARA": rows}))
    reasons = skipped(report)
    assert any(r.startswith("TARA!A5:") and "row of a table of no threat-model kind" in r for r in reasons), reasons
    assert any(r.startswith("TARA!A1:") and "title row" in r for r in reasons)
