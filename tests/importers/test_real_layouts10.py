"""Layouts of real threat models written by other people (tests/data/markdown-real/SOURCES.md, "round 10"), each as
a short paraphrased excerpt in the same shape, read alike in Markdown and in Word (tests/importers/md_word.py)."""

from __future__ import annotations

from pathlib import Path

from tests.importers.import_helpers import load_text, reconciles, skipped
from tests.importers.md_word import both as _both

# -- STRIDE per element: one table per element, a row per category with "Applicable?" and the threat's id, then a
# register keyed by the same ids and mitigation sections naming the threats they address

_PER_ELEMENT = (
    "# Threat Model: Content Builder\n\n## STRIDE Analysis\n\n### Element: Upstream Fetch (DF-1)\n"
    "**Type:** data flow\n\n"
    "| STRIDE Category | Applicable? | Threat Description | Threat ID |\n|---|---|---|---|\n"
    "| **S**poofing | Yes | A hijacked upstream account delivers content that looks legitimate | T-001 |\n"
    "| **T**ampering | Yes | Content altered in transit between upstream and the local copy | T-002 |\n"
    "| **R**epudiation | No | Every fetch is logged locally | -- |\n"
    "| **I**nformation Disclosure | No | The fetch sends no user data | -- |\n"
    "| **D**enial of Service | Yes | The upstream is unreachable and updates stop | T-003 |\n"
    "| **E**levation of Privilege | No | The fetch runs with the user's rights only | -- |\n\n"
    "## Risk Assessment\n\n### Threat Register\n\n"
    "| Threat ID | Threat | STRIDE | Element | Likelihood | Impact | Risk Level | Mitigation ID |\n"
    "|---|---|---|---|---|---|---|---|\n"
    "| T-001 | Upstream account takeover | S | DF-1 | Low | High | Moderate | M-001 |\n"
    "| T-002 | Transport tampering | T | DF-1 | Low | High | Low | M-001 |\n\n"
    "## Mitigations\n\n### M-001: Pinned copies by commit hash\n\n"
    "- **Threat(s) addressed:** T-001, T-002\n- **Description:** Content is copied at a pinned commit.\n"
    "- **Status:** implemented\n\n"
    "### M-002: Cached last good copy\n\n- **Threat(s) addressed:** T-003\n"
    "- **Description:** The last accepted copy stays usable offline.\n- **Status:** implemented\n"
)


def test_stride_per_element_rows_that_apply_are_threats_and_the_others_are_skipped(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _PER_ELEMENT):
        # before: the table was skipped as "STRIDE definitions" (T-003 lost) and only the register's rows read
        assert [t.id for t in model.threats] == ["T-001", "T-002", "T-003"]
        assert [t.stride for t in model.threats] == [["spoofing"], ["tampering"], ["denial_of_service"]]
        assert model.threats[2].description.startswith("The upstream is unreachable")
        assert model.threats[0].title == "Upstream account takeover"  # the register's title joins the row by id
        notes = [s for s in skipped(report) if "not applicable to the element" in s]
        assert len(notes) == 3 and any("sends no user data" in n for n in notes)
        assert reconciles(report)


def test_threats_addressed_label_links_a_mitigation_section(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _PER_ELEMENT):
        # before: "Threat(s) addressed" was kept in extra, so T-003 had no control
        links = {t.id: t.controls for t in model.threats}
        assert links == {"T-001": ["M-001"], "T-002": ["M-001"], "T-003": ["M-002"]}


def test_a_stride_table_without_applicability_is_still_a_primer(tmp_path: Path) -> None:
    primer = (
        "## STRIDE Categories\n\n| Category | Description |\n|---|---|\n| Spoofing | Pretending to be someone else |\n"
        "| Tampering | Modifying data |\n| Repudiation | Denying an action |\n| Information Disclosure | Exposing data |\n"
        "| Denial of Service | Making it unavailable |\n| Elevation of Privilege | Gaining rights |\n\n"
        "## Threats\n\n| ID | Threat | Mitigation |\n|---|---|---|\n| T1 | Stolen session token | Short-lived tokens |\n"
    )
    for model, _report in _both(tmp_path, primer):
        assert [t.id for t in model.threats] == ["T1"]


# -- an implementation plan: "## Risks and mitigations" over numbered "Risk: <sentence>" items whose next line is
# "Mitigation: …", then tasks and decisions (no threats)

_PLAN = (
    "# Remote verification offload\n\n## Risks and mitigations\n\n"
    "1. Risk: two worktrees overwrite one shared remote checkout.\n"
    "   Mitigation: give each worktree its own lease id and work root; serialise syncs\n"
    "   through the artifact lock.\n"
    "2. Risk: a remote account exposes credentials to the code under test.\n"
    "   Mitigation: use a dedicated account without product credentials.\n\n"
    "## Tasks\n\n1. Refactor the runner so the trusted entry point stays.\n2. Add host validation.\n\n"
    "## Decisions\n\n- Keep the local executor as the default.\n"
)


def test_numbered_risk_items_with_a_mitigation_line_are_threats(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _PLAN):
        # before: exit 2, "no threat-model content found" (the list had no threat label), in both formats
        assert [t.title for t in model.threats] == [
            "two worktrees overwrite one shared remote checkout",
            "a remote account exposes credentials to the code under test",
        ]
        assert [c.title for c in model.controls][1] == "use a dedicated account without product credentials"
        first = model.controls[0]
        assert "through the artifact lock" in f"{first.title} {first.description}"  # the mitigation's every line
        assert [len(t.controls) for t in model.threats] == [1, 1]
        assert reconciles(report)
    md, _report = load_text(tmp_path, _PLAN)
    assert any("'Risk: <sentence>'" in w.message for w in _report.warnings)


def test_a_risk_label_over_a_level_is_no_risk_item(tmp_path: Path) -> None:
    text = (
        "## Threats\n\n| ID | Threat | Mitigation |\n|---|---|---|\n| T1 | Pump link spoofed | PIN pairing |\n\n"
        "## Notes\n\n1. Risk: High for the pump link.\n   Mitigation: pairing with a PIN.\n2. Risk: Low.\n   Mitigation: none.\n"
    )
    model, _report = load_text(tmp_path, text)
    assert [t.id for t in model.threats] == ["T1"]


# -- findings written as blocks of plain "Label: value" lines under an id line, citing the table's threat ids

_FINDINGS = (
    "# Security engineer — raw findings\n\n## THREAT TABLE\n\n"
    "| # | Asset | Threat | Mitigation | Status |\n|---|---|---|---|---|\n"
    "| T1 | Record | Forgery | ES256 signatures | ✅ |\n"
    "| T3 | Record | Transplantation to another party | **No audience claim**; records are bearer tokens | ⚠️ owned |\n"
    "| T5 | Snapshot | Fleet fail-closed | Staleness bound R | ⚠️ |\n"
    "| T8 | Verifier CPU | Looping chain | **N/A — single-hop, no chain walker** | ✅ |\n\n"
    "THREAT-1  (T5 — the finding that orbits everything)\n"
    "  Asset:            Snapshot distribution\n"
    "  Threat:           Fleet-wide fail-closed once every verifier ages past R\n"
    "  Mitigation:       R bounds the window; fails closed\n"
    "  Mitigation state: IMPLEMENTED (the bound)\n\n"
    "THREAT-2  (governance/process, not a runtime threat)\n"
    "  Asset:            The disclosure process itself\n"
    "  Threat:           A researcher who finds a bug has a one-line SECURITY.md and no terms\n"
    "  Mitigation state: ABSENT\n"
    "  Residual risk:    A credibility gap for a crypto project;\n"
    "                    a blocker for the foundation.\n"
    "  Fix:              Expand SECURITY.md with an SLA and supported versions.\n"
)


def test_finding_blocks_of_label_lines_are_threats_joined_by_the_cited_id(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _FINDINGS):
        # before: the blocks were plain paragraphs, nothing read from them (THREAT-2 lost), in both formats
        assert sorted(t.id for t in model.threats) == ["T1", "T3", "T5", "T8", "THREAT-2"]
        t5 = next(t for t in model.threats if t.id == "T5")
        assert len(t5.controls) == 1  # the finding's mitigation restates the table's: no second control
        assert any("finding THREAT-1 cites T5" in w.message for w in report.warnings)
        new = next(t for t in model.threats if t.id == "THREAT-2")
        assert new.title.startswith("A researcher who finds a bug")
        assert [a.name for a in model.assets if a.id in new.assets] == ["The disclosure process itself"]
        fix = next(c for c in model.controls if c.id in new.controls)
        assert fix.status == "planned"  # "Mitigation state: ABSENT" beside "Fix:": to be done
        assert len(model.controls) == 4
        assert reconciles(report)


def test_a_not_applicable_mitigation_beside_prose_controls_is_no_control(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, _FINDINGS)
    t8 = next(t for t in model.threats if t.id == "T8")
    # before: "N/A — single-hop, no chain walker" became a control once the findings made controls of their own
    assert t8.controls == [] and t8.rationale == "single-hop, no chain walker"


def test_roam_owned_is_open_and_unconfirmed_findings_are_open(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, _FINDINGS)
    status = {t.id: t.status for t in model.threats}
    # before: "⚠️ owned" read as partially mitigated by its mark; ROAM's "Owned" is a risk with an owner, not resolved
    assert status["T3"] == "open" and status["T5"] == "partially_mitigated"
    text = (
        "## Findings\n\n| Threat ID | Threat | Existing control | Status |\n|---|---|---|---|\n"
        "| F-1 | Object disclosure by id | Field filtering | **Potential (TO CONFIRM)** |\n"
        "| F-2 | Enumeration via prompts | domain-scoped sets | **Mitigated (partial)** |\n"
        "| F-3 | Pagination leak | none if counts ignore visibility | **TO CONFIRM** |\n"
        "| F-4 | Write tampering | no write operations | **Not Applicable** |\n"
    )
    model, _report = load_text(tmp_path, text)
    assert [t.status for t in model.threats] == ["open", "partially_mitigated", "open", "not_applicable"]
    # "none if …": no measure in place, kept as the rationale (before: a control named "none if counts …")
    assert model.threats[2].controls == [] and model.threats[2].rationale == "none if counts ignore visibility"
    assert len(model.controls) == 3


# -- an IEC 62304 hazard table whose controls are "software safety contracts" (rules, checks, proofs)

_CONTRACTS = (
    "## 2. Hazard Mitigation & Traceability Matrix (IEC 62304 §7)\n\n"
    "| Hazard ID | Hazard Description | Software Safety Contract | Verification Method | Status |\n|---|---|---|---|---|\n"
    "| **HAZ-MED-01** | Excess flow rate leaves pores in a titanium implant. | `Rule max-flow-rate` (verify.rs) | "
    "Automated analysis of the flow rate | **PASS (0 violations)** |\n"
    "| **HAZ-MED-02** | A tool plunge gouges the cutting guide. | `Theorem singularity_hold_preserved` | "
    "Machine-checked theorem | **PASS (Mathematically Proven)** |\n"
)


def test_a_software_safety_contract_column_holds_the_controls(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _CONTRACTS):
        # before: the contracts were kept in each hazard's extra, no control
        assert [t.id for t in model.threats] == ["HAZ-MED-01", "HAZ-MED-02"]
        assert [c.title for c in model.controls] == ["Rule max-flow-rate (verify.rs)", "Theorem singularity_hold_preserved"]
        assert [len(t.controls) for t in model.threats] == [1, 1]


# -- an ISO 14971 analysis: hazards in tables, then "#### INF-001: Provider Outage" over labelled lists of measures

_HAZARD_MEASURES = (
    "## 4. Risk Analysis\n\n### 4.1 Hazard Identification\n\n| HAZ-ID | Hazard | Hazardous Situation | Harm |\n"
    "|---|---|---|---|\n| INF-001 | Cloud provider outage | Platform unavailable at a deadline | Missed deadline |\n"
    "| INF-002 | Data breach at provider | Unauthorized access to records | Legal liability |\n\n"
    "### 4.4 Risk Control Measures\n\n#### INF-001: Provider Outage\n\n**Design Controls:**\n"
    "- Multi-AZ deployment\n- Database replication across zones\n\n**Information Controls:**\n- Status page monitoring\n\n"
    "#### INF-009: Something not analysed\n\n**Design Controls:**\n- Quarterly review\n"
)


def test_measures_listed_under_a_risks_id_heading_are_its_controls(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _HAZARD_MEASURES):
        # before: the listed measures were controls linked to nothing
        titles = {c.id: c.title for c in model.controls}
        links = {t.id: sorted(titles[c] for c in t.controls) for t in model.threats}
        assert links == {
            "INF-001": ["Database replication across zones", "Multi-AZ deployment", "Status page monitoring"],
            "INF-002": [],
        }
        assert "Quarterly review" in titles.values()  # under an id no risk of the file has: linked to nothing
        assert any("read as the controls of INF-001" in w.message for w in report.warnings)


# -- an FMEA of a clinical record system: S, O and D scored 1–5, their product the RPN (out of 125)

_FMEA_FIVE = (
    "## 2. FMEA Table\n\n| # | Failure mode | Effect | Cause | S | O | D | RPN | Control (module) |\n"
    "|---|---|---|---|---|---|---|---|---|\n"
    "| R1 | Audit entry is altered or deleted | Loss of the record of changes | Update on the audit collection | "
    "5 | 3 | 4 | 60 | Append-only plugin blocks every mutation |\n"
    "| R12 | Query history lost | Cannot reconstruct clarifications | History not retained | 3 | 2 | 3 | 18 | "
    "Query history kept with an audit entry per transition |\n"
)


def test_an_rpn_of_factors_scored_one_to_five_is_out_of_125(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _FMEA_FIVE):
        risks = [t.risk for t in model.threats]
        # before: read out of 1000 (factors of 1–10), so 60 was "low"
        assert [(r.score, r.scale, r.level) for r in risks if r] == [(60.0, "1-125", "high"), (18.0, "1-125", "low")]
        assert any("read out of 125" in w.message for w in report.warnings)


def test_residual_fmea_columns_give_the_residual_risk(tmp_path: Path) -> None:
    text = _FMEA_FIVE.replace(
        "| Control (module) |\n|---|---|---|---|---|---|---|---|---|",
        "| Control (module) | Res. S | Res. O | Res. D | Res. RPN |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    )
    text = text.replace("every mutation |", "every mutation | 5 | 3 | 1 | **15** |").replace(
        "per transition |", "per transition | 3 | 1 | 1 | **3** |"
    )
    model, _report = load_text(tmp_path, text)
    # before: "Res. S" … "Res. RPN" kept in extra, no residual risk
    residual = [t.residual_risk for t in model.threats]
    assert [(r.severity, r.likelihood, r.score, r.scale) for r in residual if r] == [("5", "3", 15.0, "1-125"), ("3", "1", 3.0, "1-125")]


def test_an_rpn_of_factors_scored_to_ten_stays_out_of_1000(tmp_path: Path) -> None:
    text = _FMEA_FIVE.replace("| 5 | 3 | 4 | 60 |", "| 9 | 8 | 4 | 288 |").replace("| 3 | 2 | 3 | 18 |", "| 7 | 2 | 3 | 42 |")
    model, _report = load_text(tmp_path, text)
    assert [t.risk.scale for t in model.threats if t.risk] == ["1-1000", "1-1000"]


# -- a design review: "| Threat | <option A> | <option B> | Verdict |" under "Threat model for …", options weighed per
# threat (no mitigation, no rating column)

_OPTIONS = (
    "# Vault revival review\n\n### Threat model for a browser-only, no-backend app\n\n"
    "| Threat | Session-only (status quo) | Vault (revived) | Verdict |\n|---|---|---|---|\n"
    "| **XSS / malicious dependency in the page** | Reads the current tab's secret | Reads every wrapped secret | "
    "Vault widens the blast radius. |\n"
    "| **Stolen laptop, tab closed** | Nothing on disk | Ciphertext on disk behind a passphrase | Vault wins. |\n"
    "| **Shared/kiosk machine** | Secret dies on tab close | Ciphertext persists for the next user | Vault loses. |\n"
)


def test_a_threat_column_beside_options_weighed_is_threats_named_as_unsure(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _OPTIONS):
        # before: exit 2, "no threat-model table recognised" (one header word of four)
        assert [t.title for t in model.threats] == [
            "XSS / malicious dependency in the page",
            "Stolen laptop, tab closed",
            "Shared/kiosk machine",
        ]
        assert model.controls == []  # the options and the verdict are no mitigation
        assert model.threats[1].extra["Verdict"] == "Vault wins."
        assert any("only its first column names threats" in w.message and "Verdict" in w.message for w in report.warnings)


def test_a_threat_column_under_a_heading_of_no_threats_is_still_no_table(tmp_path: Path) -> None:
    text = _OPTIONS.replace("### Threat model for a browser-only, no-backend app", "### Options weighed") + (
        "\n## Threats\n\n| ID | Threat | Mitigation |\n|---|---|---|\n| T1 | Token theft | Short-lived tokens |\n"
    )
    model, _report = load_text(tmp_path, text)
    assert [t.id for t in model.threats] == ["T1"]


# -- a story's security review: "| Threat | Attack Vector | Impact |" with N/A rows, then findings with a code
# location and a remediation

_REVIEW = (
    "## Threat Model for This Story\n\n| Threat | Attack Vector | Impact |\n|---|---|---|\n"
    "| SQL injection via `search_term` | Crafted Postgres syntax in the search term | Read or destroy events |\n"
    "| Open redirect / path traversal | N/A — no redirects or filesystem ops in handler | — |\n\n"
    "## Findings\n\n| # | Severity | Location | Vulnerability | Remediation |\n|---|---|---|---|---|\n"
    "| LOW-1 | LOW | `search.go:122-138` (gRPC error mapping) | Unexpected gRPC codes are not logged server-side. | "
    "Log the gRPC status code in the default arm. |\n"
)


def test_a_findings_remediation_is_a_planned_control_and_a_code_location_no_component(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _REVIEW):
        low = next(t for t in model.threats if t.id == "LOW-1")
        # before: the remediation was kept in extra (no control) and "search.go:122-138 (…)" became a component
        assert [(c.title, c.status) for c in model.controls] == [("Log the gRPC status code in the default arm", "planned")]
        assert low.controls == [model.controls[0].id]
        assert model.elements == []
        assert any("names a place in source code" in w.message for w in report.warnings)


def test_a_threat_whose_vector_says_n_a_is_not_applicable(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _REVIEW):
        redirect = next(t for t in model.threats if t.title.startswith("Open redirect"))
        # before: "open", as if the threat stood
        assert redirect.status == "not_applicable"
        assert redirect.rationale == "no redirects or filesystem ops in handler"
        assert next(t for t in model.threats if t.title.startswith("SQL")).status == "open"


def test_a_risk_severity_label_gives_the_risk(tmp_path: Path) -> None:
    text = (
        "### Threat Model for Flask Applications\n\n#### 1. **Insecure Client-Side Session Management**\n"
        "- **Description**: Attackers may forge session cookies if the secret key is weak.\n"
        "- **Impact**: Session hijacking.\n- **Risk Severity**: Critical.\n"
        "- **Mitigation**:\n  - Use a strong secret key.\n  - Enforce HTTPS.\n"
    )
    model, _report = load_text(tmp_path, text)
    # before: no risk ("Risk Severity" kept in extra)
    assert [t.risk.level if t.risk else None for t in model.threats] == ["critical"]


def test_one_letter_columns_of_letter_points_are_the_likelihood_and_severity(tmp_path: Path) -> None:
    text = (
        "## 2. Hazard Analysis Table (ISO 14971:2019)\n\n"
        "| H-ID | Hazard | Hazardous Situation | Harm | P | S | R | Risk Control |\n|---|---|---|---|---|---|---|---|\n"
        "| **H-001** | Phenotype miscalculated | Wrong phenotype prescribed for | Contraindicated drug | P3 | S3 | ALARP | "
        "Confidence below 0.65 locks the state |\n"
        "| **H-003** | Input out of bounds | Glucose values give false results | Overdose | P4 | S3 | UNA | "
        "Bounds checked at the API |\n"
    )
    for model, _report in _both(tmp_path, text):
        # before: "P" and "S" kept in extra (points written with their letter), no risk at all
        assert [(t.risk.likelihood, t.risk.severity) for t in model.threats if t.risk] == [("P3", "S3"), ("P4", "S3")]
        assert all(t.risk.level is None for t in model.threats if t.risk)  # no scale stated beside the table: no level made up


# -- "Protect against:" over a plain list under "## Threat Model For …", then guidance sections (no threats)

_PROTECT = (
    "# Security And Privacy Reference\n\n## Threat Model For the Laundry Service\n\nProtect against:\n\n"
    "- leaked API keys and service-role secrets\n- fake WhatsApp webhook requests\n- replayed webhooks\n\n"
    "## Secret Management\n\nRules:\n\n- Rotate keys after suspected exposure.\n- Keep example env files empty.\n\n"
    "## Review Checklist\n\nBefore approving changes, confirm:\n\n- secrets are not committed\n- SQL is parameterized\n"
)


def test_a_protect_against_line_over_a_list_names_threats(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _PROTECT):
        # before (Markdown): exit 2, "list under 'Threat Model For …' without threat labels"
        assert [t.title for t in model.threats] == [
            "leaked API keys and service-role secrets",
            "fake WhatsApp webhook requests",
            "replayed webhooks",
        ]
        assert model.controls == []  # the rules and the checklist are guidance, linked to nothing: not read
        assert reconciles(report)


# -- STRIDE per trust boundary answered by a question ("| STRIDE | Có mối đe dọa? | Ghi chú |": "is there a threat?"),
# the answers citing the threats of a catalogue written below ("Có → T-02"), or "Không áp dụng" (not applicable)

_ANSWERED = (
    "# Threat model\n\n### TB-1 — browser ↔ server\n| STRIDE | Threat? | Notes |\n|---|---|---|\n"
    "| S — Spoofing | Yes → T-02 | No authentication; every sender is anonymous. |\n"
    "| T — Tampering | Yes → T-03, T-06 | The client edits any field. |\n"
    "| R — Repudiation | No | Nothing to log. |\n| I — Information disclosure | Yes (low) | Tracebacks show paths. |\n"
    "| D — Denial of service | Negligible | Local demo only. |\n| E — Elevation of privilege | Not applicable | No roles. |\n\n"
    "## Threats\n\n| ID | Threat | Mitigation |\n|---|---|---|\n"
    "| T-02 | Anonymous sign-ups under another name | Accepted for the demo |\n"
    "| T-03 | Browser checks bypassed with curl | Server-side validation |\n| T-06 | Oversized reason field | Length check |\n"
)


def test_stride_rows_answered_by_a_question_column_invent_nothing(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _ANSWERED):
        # before: read as a STRIDE x component matrix — a threat per cell ("Yes → T-02", "Not applicable", …) on
        # components named "Threat?" and "Notes"
        assert model.elements == []
        assert sorted(t.title for t in model.threats) == [
            "Anonymous sign-ups under another name",
            "Browser checks bypassed with curl",
            "Oversized reason field",
            "Tracebacks show paths.",
        ]
        notes = skipped(report)
        assert sum("not applicable to the element" in n for n in notes) == 3
        assert any("answered by 'T-03, T-06'" in n for n in notes)
        assert reconciles(report)


def test_vietnamese_answers_invent_no_threat(tmp_path: Path) -> None:
    text = (
        "### TB-3 — tiến trình ↔ đĩa\n| STRIDE | Có mối đe dọa? | Ghi chú |\n|---|---|---|\n"
        "| S | Không áp dụng | Không có định danh ở tầng tệp. |\n| T | Có → T-12 | Người dùng OS khác sửa được bản ghi. |\n"
        "| D | Không đáng kể | Chấp nhận. |\n| E | Không áp dụng | Không có phân quyền. |\n\n"
        "## Threats\n\n| ID | Threat | Mitigation |\n|---|---|---|\n| T-12 | Database file edited by another OS user | chmod 600 |\n"
    )
    model, _report = load_text(tmp_path, text)
    # before: 8 threats titled "Không áp dụng", "Có → T-12", … on components "Có mối đe dọa?" and "Ghi chú"
    assert [t.id for t in model.threats] == ["T-12"] and model.elements == []


# -- a Vietnamese catalogue: a bold id line over "Kịch bản:" (scenario) / "Giảm nhẹ:" (mitigation) lines, fields
# joined on one line by a middle dot ("Owner: backend · Trạng thái: open")

_CATALOGUE_VI = (
    "## 6. Danh mục mối đe dọa\n\n"
    "**T-02 · Spoofing · A-01 · CVSS 4.0 ~2.0 (Low)**\n"
    "Kịch bản: không có xác thực, ATK-02 gửi đăng ký dưới tên người khác.\n"
    "Giảm nhẹ: chấp nhận rủi ro — dữ liệu là mô phỏng, không có hệ quả nghiệp vụ.\n"
    "Yêu cầu ánh xạ: W-01 · Ticket: không · Trạng thái: **accepted** (trong phạm vi Won't).\n\n"
    "**T-10 · Information disclosure · A-01, A-03 · CVSS 4.0 ~4.0 (Medium)**\n"
    "Kịch bản: thông báo lỗi chèn giá trị người dùng vào log.\n"
    "Giảm nhẹ: log chỉ ghi TÊN trường lỗi, không ghi giá trị.\n"
    "Owner: backend · Trạng thái: **mitigated một phần** — nhánh traceback chưa có yêu cầu.\n"
)


def test_a_vietnamese_catalogue_of_label_lines(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _CATALOGUE_VI):
        # before: exit 2 (nothing read)
        assert [(t.id, t.status) for t in model.threats] == [("T-02", "accepted"), ("T-10", "partially_mitigated")]
        t02, t10 = model.threats
        assert t02.controls == [] and (t02.rationale or "").startswith("chấp nhận rủi ro")  # "risk accepted": no control
        assert [c.title for c in model.controls if c.id in t10.controls] == ["log chỉ ghi TÊN trường lỗi, không ghi giá trị"]
