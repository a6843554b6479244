"""Layouts of real tabular registers written by other people (tests/data/markdown-real/SOURCES.md, "round 13
(tabular)"), each as a short paraphrased excerpt in the same shape, read alike as CSV and as a workbook laid out
as people keep one (a merged title row and a version line above the header, a scale sheet beside it)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from mdptm.errors import InputError
from mdptm.importers.tabular.records import first_sentence
from mdptm.model import Model
from mdptm.model.report import ImportReport
from mdptm.pipeline.importing import ImportSource, import_sources
from tests.importers.import_helpers import checked_import, skipped, warning_messages, workbook


def _both(tmp_path: Path, text: str, name: str = "register") -> Iterator[tuple[Model, ImportReport]]:
    """*text* imported as a CSV file and as a workbook: a merged title, a version line and a blank row above the
    header, numbers as numbers, and a second sheet holding a likelihood scale."""
    plain = tmp_path / f"{name}.csv"
    plain.write_text(text, encoding="utf-8")
    yield checked_import(plain)
    rows = list(csv.reader(io.StringIO(text)))
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Register"
    width = max(len(r) for r in rows)
    ws.append([f"{name.title()} register"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.append(["Version 1.2", None, "Reviewed 2024-03-01"])
    ws.append([])
    for row in rows:
        ws.append([int(c) if c.isdigit() else (c or None) for c in row])
    scale = wb.create_sheet("Scales")
    scale.append(["Likelihood scale"])
    scale.append(["Rating", "Level", "Meaning"])
    for n, level, meaning in [(1, "Low", "Unlikely"), (2, "Medium", "Possible"), (3, "High", "Likely")]:
        scale.append([n, level, meaning])
    book = tmp_path / f"{name}.xlsx"
    wb.save(str(book))
    yield checked_import(book)


# -- the Threat Modeling Tool's CSV export: "Possible Mitigation(s)" are the tool's suggestions, written with HTML
# links; "Interaction" names the data flow the threat is on, whose ends the export does not give

_TOOL_EXPORT = (
    "Id,Title,Category,Interaction,Priority,State,Description,Possible Mitigation(s)\n"
    "12,An adversary can read stored readings,Information Disclosure,Request,High,Not Started,Readings kept in clear "
    'on the handset,"Encrypt readings at rest. Refer: <a href=""https://example.org/enc"">https://example.org/enc</a>  '
    'Wipe readings on logout. Refer: <a href=""https://example.org/wipe"">wipe guidance</a>"\n'
    "11,An adversary may inject script into the portal,Tampering,Response,Medium,Not Started,"
    "Input such as <script> reaches the page unescaped,"
    '"Encode output. Refer: <a href=""https://example.org/xss"">https://example.org/xss</a>"\n'
)


def test_possible_mitigations_of_a_tool_export_are_its_suggestions(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _TOOL_EXPORT, "export"):
        # before: both controls read as implemented (status not stated), though the tool only suggested them; now
        # as the .tm7 importer reads the same field: not implemented, tagged suggested (no decision recorded)
        assert [(c.status, c.status_stated, c.tags) for c in model.controls] == [("not_implemented", True, ["suggested"])] * 2
        assert [t.status for t in model.threats] == ["open", "open"]
    mitigated = _TOOL_EXPORT.replace("Medium,Not Started", "Medium,Mitigated")
    for model, _report in _both(tmp_path, mitigated, "export-mitigated"):
        # the threat the author marked mitigated has its mitigation in place
        assert [(c.status, c.tags) for c in model.controls] == [("not_implemented", ["suggested"]), ("implemented", [])]


def test_html_links_in_cells_read_as_their_text(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _TOOL_EXPORT, "export"):
        first, second = model.controls
        # before: the control's description was the markup ("Refer: <a href="https://…">https://…</a>")
        assert "<a" not in first.description and "</a>" not in first.description
        assert "Refer: https://example.org/enc" in first.description
        assert "Refer: wipe guidance (https://example.org/wipe)" in first.description
        assert second.description == "Encode output. Refer: https://example.org/xss"
        # angle brackets that are no link are the threat's own words
        assert "<script>" in model.threats[1].description


def test_an_interaction_named_without_its_ends_makes_no_component(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _TOOL_EXPORT, "export"):
        # before: components "Request" and "Response" were created from the flows' names
        assert model.elements == []
        assert [t.targets for t in model.threats] == [[], []]
        assert [t.extra.get("Interaction") for t in model.threats] == ["Request", "Response"]
        assert sum("names a data flow with no ends given" in w for w in warning_messages(report)) == 2


# -- an O-RAN risk assessment: "Risk ID | Threat Key | Risk Description", several risk rows of one threat, each
# keyed by the threat's id; the descriptions open with "(e.g. …)" inside their first sentence

_RISKS_BY_THREAT = (
    "Risk ID,Threat Key,Risk Description,Severity Level,Likelihood Level,Risk Score\n"
    '"TK-01 (radio unit)",TK-01,"A rogue operator weakens hardening (e.g. open ports) on the radio unit, causing:\n'
    ' - loss of service",High,High,High\n'
    '"TK-01 (control node)",TK-01,"A rogue operator weakens hardening (e.g. open ports) on the control node, causing:\n'
    ' - loss of service",High,Medium,High\n'
    "TK-PLANE-02,TK-PLANE-02,An attacker replays timing messages to a clock over the fronthaul,Medium,Low,Low\n"
)


def test_a_column_of_threat_ids_beside_the_risk_ids_titles_nothing(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _RISKS_BY_THREAT, "risks"):
        # before: every risk titled by its threat's id ("TK-01", "TK-01", "TK-PLANE-02")
        assert [t.title for t in model.threats] == [
            "A rogue operator weakens hardening (e.g. open ports) on the radio unit, causing:",
            "A rogue operator weakens hardening (e.g. open ports) on the control node, causing:",
            "An attacker replays timing messages to a clock over the fronthaul",
        ]
        assert [t.extra.get("Threat Key") for t in model.threats] == ["TK-01", "TK-01", "TK-PLANE-02"]
        assert [t.id for t in model.threats] == ["TK-01 (radio unit)", "TK-01 (control node)", "TK-PLANE-02"]
        assert any("'Threat Key' holds ids only" in w for w in warning_messages(report))


def test_a_title_column_of_names_beside_the_risk_ids_stays_the_title(tmp_path: Path) -> None:
    text = (
        "Risk ID,Threat,Risk Description,Severity Level\n"
        "R-1,Phishing,Staff give their passwords to a forged login page,High\n"
        "R-2,Malware 2.0,A worm spreads from a laptop to the pump server,Medium\n"
    )
    for model, _report in _both(tmp_path, text, "named"):
        assert [t.title for t in model.threats] == ["Phishing", "Malware 2.0"]


def test_a_first_sentence_does_not_end_at_an_abbreviation_or_inside_brackets() -> None:
    # before: "… weakens hardening (e.g" — the title cut at the abbreviation's full stop
    assert first_sentence("A rogue operator weakens hardening (e.g. open ports) on the pump. Then more.") == (
        "A rogue operator weakens hardening (e.g. open ports) on the pump"
    )
    assert first_sentence("Telemetry is altered in transit (see sect. 4.2 of the spec). It is unsigned.") == (
        "Telemetry is altered in transit (see sect. 4.2 of the spec)"
    )
    assert first_sentence("Attacker floods the gateway, i.e. the hub. Alarms are lost.") == "Attacker floods the gateway, i.e. the hub"


# -- a public catalogue of threat types kept beside a system's register (MITRE EMB3D: "id | name | category"): its
# rows are the catalogue's entries, not threats of the device

_CATALOGUE = (
    "id,name,category\n"
    "TID-101,Power draw side channel,hardware\n"
    "TID-201,Bootloader not verified,system software\n"
    "TID-311,Default credentials,application software\n"
    "TID-408,Sensitive data sent in clear,networking\n"
)


def test_a_catalogue_of_threat_types_is_no_threat_of_the_system(tmp_path: Path) -> None:
    for name in ("threats.csv", "register.csv"):
        path = tmp_path / name
        path.write_text(_CATALOGUE, encoding="utf-8")
        # before: four threats "Power draw side channel" … read from a file named for threats, nothing said
        with pytest.raises(InputError, match="MITRE EMB3D catalogue of threat types"):
            import_sources([ImportSource(path)])
    rows = [r.split(",") for r in _CATALOGUE.splitlines()]
    titled = workbook(
        tmp_path / "catalogue.xlsx", {"Register": [["EMB3D threats"], ["Version 1.2", None, "Reviewed 2024-03-01"], [], *rows]}
    )
    # the error names the catalogue, not the version line above it
    with pytest.raises(InputError, match="Register!A4: MITRE EMB3D catalogue of threat types"):
        import_sources([ImportSource(titled)])
    register = [["ID", "Threat", "Component", "Mitigation"], ["T-1", "Firmware replaced over USB", "Pump", "Signed images"]]
    book = workbook(tmp_path / "model.xlsx", {"Threats": rows, "Register": register})
    model, report = checked_import(book)
    assert [t.id for t in model.threats] == ["T-1"]
    said = [s for s in skipped(report) if "MITRE EMB3D catalogue" in s]
    assert all(any(s.startswith(f"Threats!A{r}:") for s in said) for r in range(2, 6))


# -- a drone threat register's "disposition" (mitigate / accept): what was decided for each threat

_DISPOSITION = (
    "threat_id,title,element_id,stride,description,disposition,acceptance_rationale\n"
    "THR-001,Spoofed ground-station heartbeats keep the link-loss failsafe off,CMP-GCS,S,"
    "An adversary on any link impersonates the ground station,mitigate,\n"
    "THR-002,Telemetry read off the radio link,CMP-RADIO,I,Telemetry is sent unencrypted,accept,Holds no personal data\n"
    "THR-003,Parameters rewritten over the debug port,CMP-FC,T,The debug port is open on the bench,Mitigated,\n"
)


def test_a_disposition_to_mitigate_is_a_decision_not_a_status(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _DISPOSITION, "drone"):
        # before: THR-001 read as mitigated (stated) though only the decision to mitigate is written
        assert [(t.status, t.status_stated) for t in model.threats] == [("open", False), ("accepted", True), ("mitigated", True)]
        assert model.threats[0].extra.get("disposition") == "mitigate"
        assert model.threats[1].rationale == "Holds no personal data"
        assert any("is a decision to mitigate" in w for w in warning_messages(report))


# -- a clinic's risk register with its controls in place split by kind: "Existing Preventive Controls | Existing
# Detective Controls", each cell several measures apart by ";"

_CONTROLS_BY_KIND = (
    "Risk ID,Risk Statement,Likelihood,Impact,Inherent Risk Rating,Existing Preventive Controls,Existing Detective Controls,Status\n"
    "RR-1,Former staff keep active accounts after leaving,High,9,Critical,Offboarding revokes access within two hours,"
    "Monthly audit of leavers against active accounts,Open\n"
    "RR-2,Vendors with remote access have weak security,High,10,Critical,Vendor assessment before access; MFA for vendors,"
    "Vendor access logs reviewed weekly,Open\n"
)


def test_existing_controls_split_by_kind_are_stated_in_place(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _CONTROLS_BY_KIND, "clinic"):
        # before: the four controls' status was not stated ("implemented" by default, shown as not stated)
        assert [(c.status, c.status_stated) for c in model.controls] == [("implemented", True)] * 4
        assert [len(t.controls) for t in model.threats] == [2, 2]


# -- a penetration-test findings register mapped to ISO 27001 (hand-written CSV): a summary whose commas were not
# quoted, and a remediation time frame beside each finding

_FINDINGS = (
    "ID,Finding,CVSS Score (approx),Severity,Primary Annex A Control,Business Risk Summary,Priority,Remediation Timeframe\n"
    "1,Malicious file upload,9.4,Critical,A.8.28 Secure Coding,Remote code execution and full server compromise,Critical,24-48 hours\n"
    "2,Broken access control on admin pages,8.1,High,A.5.15 Access Control,Standard users reach admin functions; data changed, "
    "privileges raised, or settings altered,High,1-2 weeks\n"
    "3,Session timeout too long,4.8,Medium,A.8.5 Secure Authentication,Longer window for hijacking, mainly on shared devices,"
    "Medium,4 weeks\n"
)


def test_a_text_split_at_unquoted_commas_is_rejoined(tmp_path: Path) -> None:
    path = tmp_path / "findings.csv"
    path.write_text(_FINDINGS, encoding="utf-8")
    model, report = checked_import(path)
    # before: the summary's pieces ran into the next columns ("privileges raised" read as the priority, the
    # time frame and priority of the row pushed into two columns with no header)
    second = model.threats[1]
    assert (
        second.extra["Business Risk Summary"]
        == "Standard users reach admin functions; data changed, privileges raised, or settings altered"
    )
    assert second.extra["Priority"] == "High" and second.extra["Remediation Timeframe"] == "1-2 weeks"
    assert model.threats[2].extra["Business Risk Summary"] == "Longer window for hijacking, mainly on shared devices"
    said = [w for w in warning_messages(report) if "rejoined" in w]
    assert len(said) == 2 and "F3" in said[0]
    assert not any("column K" in k or "column I" in k for t in model.threats for k in t.extra)


def test_a_remediation_time_frame_is_no_measure(tmp_path: Path) -> None:
    text = _FINDINGS.replace("data changed, privileges raised, or settings altered", "data changed").replace(
        "hijacking, mainly on shared devices", "hijacking"
    )
    text += "4,Self-signed certificate,3.7,Low,A.8.24 Use of Cryptography,Weak trust,Low,with the next release\n"
    for model, report in _both(tmp_path, text, "findings"):
        # before: four "controls" titled "24-48 hours", "1-2 weeks", "4 weeks", …, read as implemented
        assert model.controls == []
        spans = ["24-48 hours", "1-2 weeks", "4 weeks", "with the next release"]
        assert [t.extra.get("Remediation Timeframe") for t in model.threats] == spans
        assert any("holds time frames" in w for w in warning_messages(report))


# -- a drone operator's compliance risk register: rows grouped by the operator profile they belong to, each with
# the action recommended

_BY_PROFILE = (
    "Risk ID,Gap ID,Profile Name,Risk Description,Likelihood,Consequence,Risk Rating,Recommended Action\n"
    "RSK-001,GAP-001,Hobbyist,Flying an unregistered drone — a fine,Medium,Medium,Medium,Register the drone\n"
    "RSK-002,GAP-002,Hobbyist,Flying without a pilot certificate — a fine,Medium,High,High,Pass the basic exam\n"
    "RSK-003,GAP-003,Hobbyist,Flying in controlled airspace — serious enforcement,High,Critical,Critical,Check the airspace map\n"
    "RSK-004,GAP-008,Delivery pilot,Flying beyond line of sight without a permit — shutdown,High,Critical,Critical,Halt those routes\n"
)


def test_a_column_grouping_the_rows_titles_none_and_recommended_actions_are_planned(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _BY_PROFILE, "drone-ops"):
        # before: titled "Hobbyist" three times and "Delivery pilot"; the recommended actions kept in extra
        assert [t.title for t in model.threats] == [
            "Flying an unregistered drone",
            "Flying without a pilot certificate",
            "Flying in controlled airspace",
            "Flying beyond line of sight without a permit",
        ]
        assert [t.extra.get("Profile Name") for t in model.threats] == ["Hobbyist"] * 3 + ["Delivery pilot"]
        assert [(c.title, c.status) for c in model.controls][:2] == [("Register the drone", "planned"), ("Pass the basic exam", "planned")]
        assert [len(t.controls) for t in model.threats] == [1, 1, 1, 1]
