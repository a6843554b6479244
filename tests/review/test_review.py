"""Review checks: each fires where it should, with its severity, and stays silent otherwise."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from mdptm.cli import STATE, main
from mdptm.model import PLACEHOLDER, HistoryEntry, Model, Signoff
from mdptm.model.io import dumps
from mdptm.model.results import Finding
from mdptm.plugins import Check, ReviewContext, registry
from mdptm.redaction.leakscan import Hit
from mdptm.redaction.redact import Policy, redact
from mdptm.review.checks import stride_table
from mdptm.review.engine import format_text, review

CLEAN = """\
schema: mdptm/1
product: {name: Demo Pump, manufacturer: Demo Medical}
document: {version: "1.0", date: "2026-01-15"}
trust_zones: [{id: TZ1, name: Clinical network}]
elements:
  - {id: E1, name: Pump, kind: external_entity}
flows: []
threats:
  - {id: T1, title: Spoofed pump, stride: [spoofing, repudiation], targets: [E1], controls: [C1], status: mitigated}
controls:
  - {id: C1, title: Mutual TLS, description: Certificates per device., category: authentication, verification: [PT-1]}
views:
  - {id: V1, kind: global_system, name: GSV}
  - {id: V2, kind: multi_patient_harm, name: MPH}
  - {id: V3, kind: updatability_patchability, name: UP}
  - {id: V4, kind: security_use_case, name: UC, controls: [C1]}
"""


def load(text: str = CLEAN, **changes: Any) -> Model:
    data = yaml.safe_load(text)
    data.update(changes)
    return Model.model_validate(data)


def findings(ctx: ReviewContext, check: str | None = None) -> list[Finding]:
    return [f for f in review(ctx).findings if check is None or f.check == check]


def test_a_clean_model_has_no_findings() -> None:
    assert findings(ReviewContext(model=load())) == []


def test_every_builtin_check_is_registered_with_id_and_severity() -> None:
    checks = registry().checks
    assert len(checks) >= 15
    for name, cls in checks.items():
        assert issubclass(cls, Check)
        assert cls.id == name
        assert cls.severity in ("blocker", "warning", "info")
        assert cls.description


# ------------------------------------------------------------------------------- analysis gaps


def test_element_and_flow_without_threat() -> None:
    m = load()
    m.elements.append(m.elements[0].model_copy(update={"id": "E2", "name": "Server", "kind": "software"}))
    m.flows.append(
        Model.model_validate(
            {**yaml.safe_load(CLEAN), "elements": [], "flows": [{"id": "F1", "name": "sync", "source": "E1", "target": "E2"}]}
        ).flows[0]
    )
    got = findings(ReviewContext(model=m))
    assert [(f.check, f.severity, f.items) for f in got if f.check.endswith("without-threat")] == [
        ("element-without-threat", "warning", ["E2"]),
        ("flow-without-threat", "warning", ["F1"]),
    ]
    assert "E1 -> E2" in next(f.message for f in got if f.check == "flow-without-threat")


def test_stride_per_element_gaps_use_the_table() -> None:
    m = load()
    m.elements[0].kind = "data_store"  # expects T, R, I, D; the threat covers S and R
    got = findings(ReviewContext(model=m), "stride-gap")
    assert len(got) == 1 and got[0].severity == "info" and got[0].items == ["E1"]
    assert "tampering, information disclosure, denial of service" in got[0].message
    table = stride_table()
    assert table.for_element("external_entity")[2] == ("spoofing", "repudiation")
    assert table.for_flow() == ("tampering", "information_disclosure", "denial_of_service")
    assert len(table.for_element("process")[2]) == 6


# ------------------------------------------------------------------------- threats and controls


def test_open_threat_and_threat_without_control() -> None:
    m = load()
    m.threats.append(m.threats[0].model_copy(update={"id": "T2", "title": "Open debug port", "status": "open", "controls": []}))
    m.threats.append(m.threats[0].model_copy(update={"id": "T3", "title": "Claimed", "controls": []}))
    m.threats.append(m.threats[0].model_copy(update={"id": "T4", "title": "N/A", "status": "not_applicable", "controls": []}))
    got = findings(ReviewContext(model=m))
    assert [(f.check, f.items) for f in got if f.check.startswith("threat-")] == [
        ("threat-open", ["T2"]),
        ("threat-without-control", ["T3"]),
    ]
    message = next(f.message for f in got if f.check == "threat-without-control")
    assert message == ("threat T3 (Claimed) is called mitigated but names no control of the model: the mapping counts it as not treated")
    m.threats[-2].controls = ["C-GONE"]  # a control id the model does not hold is no control either
    assert [f.items for f in findings(ReviewContext(model=m)) if f.check == "threat-without-control"] == [["T3"]]


def test_unverified_and_unreferenced_controls() -> None:
    m = load()
    m.controls.append(m.controls[0].model_copy(update={"id": "C2", "verification": []}))
    m.controls.append(m.controls[0].model_copy(update={"id": "C3", "verification": [], "status": "planned"}))
    got = findings(ReviewContext(model=m))
    assert [(f.check, f.severity, f.items) for f in got if f.check.startswith("control-")] == [
        ("control-unverified", "warning", ["C2"]),
        ("control-unreferenced", "info", ["C2"]),
        ("control-unreferenced", "info", ["C3"]),
    ]


def test_missing_view_kinds() -> None:
    m = load()
    m.views = [v for v in m.views if v.kind in ("global_system", "security_use_case")]
    got = findings(ReviewContext(model=m), "view-missing")
    assert [f.message.split(" (")[0] for f in got] == ["no Multi-Patient Harm View", "no Updatability/Patchability View"]


def test_all_mitigated_with_no_detail_is_a_blocker() -> None:
    m = load()
    m.controls[0].description = ""
    got = findings(ReviewContext(model=m), "mitigation-without-detail")
    assert [(f.severity, f.items) for f in got] == [("blocker", ["T1"])]
    m.threats[0].status = "partially_mitigated"
    assert findings(ReviewContext(model=m), "mitigation-without-detail") == []
    empty = load(threats=[], controls=[])
    assert "lists no threat" in findings(ReviewContext(model=empty), "mitigation-without-detail")[0].message


def test_only_withheld_placeholders_are_not_detail() -> None:
    internal = load()
    internal.controls[0].sensitivity = "trade_secret"
    public, _ = redact(internal, Policy())
    got = findings(ReviewContext(model=internal, public=public), "mitigation-without-detail")
    assert [f.severity for f in got] == ["blocker"]


# --------------------------------------------------------------------- internal vs public model


def test_dropped_threat_is_a_warning_and_renames_are_followed() -> None:
    internal = load()
    internal.threats.append(internal.threats[0].model_copy(update={"id": "T-KESTREL", "sensitivity": "confidential"}))
    public, log = redact(internal, Policy())
    got = findings(ReviewContext(model=internal, public=public, renames=log.renamed), "threat-dropped")
    assert [(f.severity, f.items) for f in got] == [("warning", ["T-KESTREL"])]
    renamed_public, log2 = redact(load(threats=[{**yaml.safe_load(CLEAN)["threats"][0], "id": "T-KESTREL"}]), Policy(terms=["Kestrel"]))
    internal2 = load(threats=[{**yaml.safe_load(CLEAN)["threats"][0], "id": "T-KESTREL"}])
    assert log2.renamed == {"T-KESTREL": "redacted-threat-1"}
    ctx = ReviewContext(model=internal2, public=renamed_public, renames=log2.renamed)
    assert findings(ctx, "threat-dropped") == []


def test_redaction_always_leaves_a_placeholder() -> None:
    internal = load()
    internal.controls[0].sensitivity = "trade_secret"
    public, log = redact(internal, Policy())
    assert findings(ReviewContext(model=internal, public=public, renames=log.renamed), "withheld-without-placeholder") == []


def test_a_mitigation_that_vanished_without_placeholder_is_a_blocker() -> None:
    internal = load()
    public = internal.model_copy(deep=True)
    public.threats[0].controls = []
    public.controls = []
    got = findings(ReviewContext(model=internal, public=public), "withheld-without-placeholder")
    assert [(f.severity, f.items) for f in got] == [("blocker", ["T1", "C1"])]
    public2 = internal.model_copy(deep=True)
    public2.controls[0].tags = ["withheld"]
    public2.controls[0].description = ""
    got2 = findings(ReviewContext(model=internal, public=public2), "withheld-without-placeholder")
    assert [f.items for f in got2] == [["C1"]]


# --------------------------------------------------------------------------- publication gates


def test_required_signoffs_latest_decision_wins_and_roles_are_normalised() -> None:
    m = load()
    ctx = ReviewContext(model=m, signoffs_required=["Product Security", "legal"])
    assert [f.check for f in findings(ctx) if f.severity == "blocker"] == ["signoff-missing", "signoff-missing"]
    m.document.signoffs = [
        Signoff(role="product_security", name="A", date="2026-01-01", decision="rejected", comment="fix T1"),
        Signoff(role="product-security", name="A", date="2026-01-05", decision="approved"),
        Signoff(role="legal", name="B", date="2026-01-04", decision="approved"),
        Signoff(role="legal", name="B", date="2026-01-03", decision="rejected"),
    ]
    assert [f for f in findings(ctx) if f.severity == "blocker"] == []
    m.document.signoffs.append(Signoff(role="Legal", name="C", date="2026-01-09", decision="rejected", comment="no"))
    got = [f for f in findings(ctx) if f.severity == "blocker"]
    assert [f.check for f in got] == ["signoff-rejected"]
    assert "'Legal' rejected publication on 2026-01-09: no" in got[0].message


def test_leak_hits_are_blockers_naming_file_and_part() -> None:
    ctx = ReviewContext(model=load(), leaks=[Hit("ptm.docx", "docProps/core.xml", "Jane Roe")])
    got = findings(ctx, "leak")
    assert [(f.severity, f.message) for f in got] == [("blocker", "redaction leak: 'Jane Roe' found in ptm.docx (docProps/core.xml)")]


def test_unknown_placeholders_block() -> None:
    m = load()
    m.product.manufacturer = PLACEHOLDER
    m.elements[0].name = PLACEHOLDER
    got = findings(ReviewContext(model=m), "unknown-placeholder")
    assert [(f.severity, f.items) for f in got] == [("blocker", []), ("blocker", ["E1"])]
    assert got[0].message.startswith("product.manufacturer is still a placeholder")


def test_dates_that_are_no_dates_are_named() -> None:
    """A PTM dated "TBD" or "2026-02-31" tells a hospital nothing about its age: the maker is told."""
    m = load()
    assert findings(ReviewContext(model=m), "placeholder-value") == []
    m.document.date = "TBD"
    m.document.history = [HistoryEntry(version="1.0", date="2026-02-31"), HistoryEntry(version="1.1", date="March 2026")]
    m.document.signoffs = [Signoff(role="regulatory", name="R. Lee", date="YYYY-MM-DD", decision="approved")]
    got = [f.message for f in findings(ReviewContext(model=m), "placeholder-value")]
    assert got == [
        "document.date reads 'TBD': a placeholder, not a date; the PTM shows it as written",
        "document.history[0].date (1.0) reads '2026-02-31': no such day in the calendar; the PTM shows it as written",
        "document.signoffs[0].date (regulatory) reads 'YYYY-MM-DD': a placeholder, not a date; the PTM shows it as written",
    ]


def test_kept_text_quoting_a_withheld_item_is_named() -> None:
    """A two-word withheld title is no term (it may be a common phrase): where kept text quotes it, or copies
    a sentence of the withheld description, the maker is told which item and where."""
    m = load()
    m.threats[0].description = "Unlike the Debug backdoor, this needs a forged certificate."
    m.controls[0].description = "Certificates per device. The service shell listens on TCP 2222 with a fixed password in every unit."
    secret = {
        "id": "T9",
        "title": "Debug backdoor",
        "stride": ["elevation_of_privilege"],
        "targets": ["E1"],
        "sensitivity": "confidential",
        "status": "open",
        "description": "The service shell listens on TCP 2222 with a fixed password in every unit.",
    }
    m.threats.append(type(m.threats[0]).model_validate(secret))
    public, log = redact(m, Policy())
    # the control copies the sentence without naming the withheld threat: shared text, kept, and named here
    assert public.controls[0].description == m.controls[0].description
    got = findings(ReviewContext(model=m, public=public, renames=log.renamed), "withheld-text-kept")
    by_place = {f.items[1]: f for f in got}
    assert sorted(by_place) == ["C1", "T1"] and {f.severity for f in got} == {"warning"}
    assert all(f.items[0] == "T9" for f in got)
    assert "its title, 'debug backdoor'" in by_place["T1"].message and "(T1 description)" in by_place["T1"].message
    assert "a sentence of its description" in by_place["C1"].message
    # kept text that quotes nothing withheld: silent
    m.threats[0].description, m.controls[0].description = "Spoofing needs a forged certificate.", "Certificates per device."
    public, log = redact(m, Policy())
    assert findings(ReviewContext(model=m, public=public, renames=log.renamed), "withheld-text-kept") == []


def test_a_crashing_check_is_itself_a_blocker(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken(Check):
        id = "broken"
        severity = "info"

        def run(self, ctx: Any) -> list[Finding]:
            raise RuntimeError("boom")

    checks = dict(registry("check").checks)
    checks["broken"] = Broken
    monkeypatch.setattr(registry("check"), "checks", checks)  # the door review opens
    got = findings(ReviewContext(model=load()), "check-failed")
    assert [(f.severity, f.message) for f in got] == [("blocker", "check 'broken' failed: boom")]


def test_findings_are_sorted_by_severity_then_check_then_items() -> None:
    m = load(threats=[], controls=[], views=[])
    m.elements.append(m.elements[0].model_copy(update={"id": "E0"}))
    result = review(ReviewContext(model=m, signoffs_required=["legal"]))
    keys = [(f.severity, f.check, f.items) for f in result.findings]
    rank = {"blocker": 0, "warning": 1, "info": 2}
    assert keys == sorted(keys, key=lambda k: (rank[k[0]], k[1], k[2]))
    assert result.findings[0].severity == "blocker"
    text = format_text(result)
    assert text.splitlines()[-1] == f"{len(result.blockers)} blockers, 6 warnings, 0 infos"


# ------------------------------------------------------------------------------------------ CLI


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    STATE.verbosity, STATE.debug = 1, False  # another test may have left -q or --debug set
    with pytest.raises(SystemExit) as exc:
        main(args)
    out, err = capsys.readouterr()
    code = exc.value.code
    return (code if isinstance(code, int) else 0), out, err


def test_cli_review_json_and_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    m = load()
    m.threats[0].status = "open"
    path = tmp_path / "model.json"
    path.write_text(dumps(m))
    code, out, _ = run(["review", str(path), "--format", "json"], capsys)
    data = json.loads(out)
    assert code == 0
    assert [(f["check"], f["severity"], f["items"]) for f in data["findings"]] == [("threat-open", "warning", ["T1"])]
    assert set(data["findings"][0]) == {"check", "severity", "message", "items"}
    code, out, _ = run(["review", str(path), "--require-signoff", "legal"], capsys)
    assert code == 1 and "BLOCKER  signoff-missing" in out


def test_cli_review_with_public_model_log_and_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    m = load()
    m.threats[0].description = "see PUMPSEC-214"
    (tmp_path / "model.json").write_text(dumps(m))
    code, _, _ = run(
        ["redact", str(tmp_path / "model.json"), "-o", str(tmp_path / "public.json"), "--log", str(tmp_path / "log.json")], capsys
    )
    assert code == 0
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "guide.md").write_text("Tracked in PUMPSEC-214.")
    code, out, _ = run(
        [
            "review",
            str(tmp_path / "model.json"),
            "--public",
            str(tmp_path / "public.json"),
            "--log",
            str(tmp_path / "log.json"),
            "--package",
            str(pkg),
            "--format",
            "json",
        ],
        capsys,
    )
    assert code == 1
    leaks = [f for f in json.loads(out)["findings"] if f["check"] == "leak"]
    assert [f["message"] for f in leaks] == ["redaction leak: 'PUMPSEC-214' found in guide.md"]


def test_cli_review_with_a_log_that_is_not_a_redaction_log_is_an_input_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "model.json").write_text(dumps(load()))
    (tmp_path / "log.json").write_text('{"terms": "not a list"}')
    code, _, err = run(["review", str(tmp_path / "model.json"), "--log", str(tmp_path / "log.json")], capsys)
    assert code == 2
    assert "log.json" in err and "/terms" in err and "Traceback" not in err


def test_cli_review_of_a_project_folder_uses_its_requirements_and_policy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    m = load()
    m.threats[0].sensitivity = "confidential"
    (tmp_path / "model.yaml").write_text(dumps(m, "yaml"))
    (tmp_path / "policy.yaml").write_text("drop: [confidential]\n")
    (tmp_path / "mdptm.yaml").write_text("sources: [model.yaml]\nredaction: policy.yaml\nsignoffs_required: [legal]\n")
    code, out, _ = run(["review", str(tmp_path), "--format", "json"], capsys)
    checks = {(f["check"], tuple(f["items"])) for f in json.loads(out)["findings"]}
    assert code == 1
    assert ("signoff-missing", ()) in checks
    assert ("threat-dropped", ("T1",)) in checks


def test_cli_review_bad_model_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.json").write_text("{")
    code, _, err = run(["review", str(tmp_path / "bad.json")], capsys)
    assert code == 2 and "JSON syntax error" in err


def test_kept_text_naming_a_long_withheld_title_by_its_name_word_is_named() -> None:
    """A withheld title of three words or more is a term whole; kept text that calls the thing by its name alone
    ("distinct from the Zephyrine backdoor", "see Zephyrine") published the name with no word to the maker. A name
    word a kept label also holds ("Vantage" of a kept "Vantage server") says nothing of the withheld item."""
    m = load()
    m.threats[0].description = "Distinct from the Zephyrine backdoor; the Vantage server is patched."
    m.elements[0].name = "Vantage server"
    secret = {
        "id": "T9",
        "title": "Zephyrine backdoor in the Vantage relay firmware",
        "stride": ["elevation_of_privilege"],
        "targets": ["E1"],
        "sensitivity": "confidential",
        "status": "open",
    }
    m.threats.append(type(m.threats[0]).model_validate(secret))
    public, log = redact(m, Policy())
    got = findings(ReviewContext(model=m, public=public, renames=log.renamed), "withheld-text-kept")
    assert [(f.items, f.severity) for f in got] == [(["T9", "T1"], "warning")]
    assert "the name 'zephyrine' of its title" in got[0].message and "(T1 description)" in got[0].message
    m.threats[0].description = "Distinct from the backdoor; the Vantage server is patched."
    public, log = redact(m, Policy())
    assert findings(ReviewContext(model=m, public=public, renames=log.renamed), "withheld-text-kept") == []
