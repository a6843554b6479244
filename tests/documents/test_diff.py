"""mdptm diff: exactly what changed between two model versions, and the update triggers it suggests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from mdptm.cli import cli
from mdptm.documents.changes import (
    Diff,
    changelog,
    diff_models,
    load_triggers,
    read_model,
    record_history,
    render,
    summary,
)
from mdptm.errors import InputError
from mdptm.model import Control, HistoryEntry, Model, Source, Threat

PUMP = Path(__file__).parent.parent / "data" / "guides" / "pump.yaml"


def pump() -> Model:
    return Model.model_validate(yaml.safe_load(PUMP.read_text(encoding="utf-8")))


def threat(model: Model, tid: str) -> Threat:
    return next(t for t in model.threats if t.id == tid)


def control(model: Model, cid: str) -> Control:
    return next(c for c in model.controls if c.id == cid)


def next_version() -> tuple[Model, Model]:
    """v1.0 → v1.1: threat T-9 added, T-4 removed, T-5 re-assessed (status and controls)."""
    old, new = pump(), pump()
    new.document.version = "1.1"
    new.threats = [t for t in new.threats if t.id != "T-4"]
    t5 = threat(new, "T-5")
    t5.status = "mitigated"
    t5.controls = ["C-PSEUDO", "C-MTLS"]
    new.threats.append(
        Threat(id="T-9", title="Replay of a bolus command", stride=["spoofing"], targets=["F-1"], controls=["C-MTLS"], status="mitigated")
    )
    return old, new


def as_json(diff: Diff) -> dict[str, object]:
    data: dict[str, object] = json.loads(render(diff, "json"))
    return data


def test_exactly_the_added_removed_and_changed_threats() -> None:
    old, new = next_version()
    data = as_json(diff_models(old, new))
    assert data["added"] == [{"id": "T-9", "kind": "threat"}]
    assert data["removed"] == [{"id": "T-4", "kind": "threat"}]
    assert data["changed"] == [
        {"id": "T-5", "kind": "threat", "fields": {"controls": [["C-PSEUDO"], ["C-PSEUDO", "C-MTLS"]], "status": ["open", "mitigated"]}}
    ]
    assert data["document"] == {"version": ["1.0", "1.1"]}
    assert data["product"] == {} and data["support"] == {}


def test_cli_json_matches_library(tmp_path: Path) -> None:
    old, new = next_version()
    a, b = tmp_path / "old.json", tmp_path / "new.yaml"
    a.write_text(old.model_dump_json(by_alias=True), encoding="utf-8")
    b.write_text(yaml.safe_dump(new.model_dump(mode="json", by_alias=True)), encoding="utf-8")
    res = CliRunner().invoke(cli, ["diff", str(a), str(b), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert [c["id"] for c in data["changed"]] == ["T-5"]
    assert data["added"] == [{"id": "T-9", "kind": "threat"}]
    for fmt in ("text", "md"):
        res = CliRunner().invoke(cli, ["diff", str(a), str(b), "--format", fmt])
        assert res.exit_code == 0
        assert "T-9" in res.output and "T-4" in res.output and "T-5" in res.output


def test_identical_models_have_no_differences() -> None:
    d = diff_models(pump(), pump())
    assert d.is_empty() and not d.document and not d.triggers
    assert summary(d) == "No change to the published model."
    assert changelog(d) == []


def test_reordered_id_lists_are_not_changes_but_step_order_is() -> None:
    old, new = pump(), pump()
    threat(new, "T-3").controls.reverse()
    threat(new, "T-1").stride.reverse()
    new.flows[2].data.reverse()
    new.threats.reverse()  # collection order is not a change either
    assert diff_models(old, new).changed == []
    upd = next(v for v in new.views if v.id == "V-UPD")
    upd.steps = [upd.steps[1], upd.steps[0], *upd.steps[2:]]
    d = diff_models(old, new)
    assert [(c.id, list(c.fields)) for c in d.changed] == [("V-UPD", ["steps"])]


def test_internal_fields_are_ignored() -> None:
    old, new = pump(), pump()
    new.flows[0].provenance = Source(file="register.xlsx", locator="Flows!B7", importer="xlsx")
    new.flows[0].notes = "ask Bob"
    threat(new, "T-1").source = Source(file="tm.docx", locator="table 3 row 2")
    threat(new, "T-1").extra = {"Owner": "J. Roe"}
    control(new, "C-LOG").notes = "internal ticket SEC-42"
    d = diff_models(old, new)
    assert d.is_empty() and d.changed == [] and d.triggers == []


def test_nested_risk_compared_field_by_field() -> None:
    old, new = pump(), pump()
    t1 = threat(new, "T-1")
    assert t1.risk is not None
    t1.risk.level = "critical"
    t2 = threat(new, "T-2")
    t2.residual_risk = t1.residual_risk.model_copy() if t1.residual_risk else None
    d = diff_models(old, new)
    fields = {c.id: c.fields for c in d.changed}
    assert fields["T-1"] == {"risk.level": ["high", "critical"]}
    assert fields["T-2"] == {"residual_risk.level": [None, "low"]}
    assert "threat_rerated" in {t.id for t in d.triggers}


def test_reference_lists_emptied_by_a_removal_are_not_repeated() -> None:
    old, new = pump(), pump()
    new.threats = [t for t in new.threats if t.id != "T-3"]
    for v in new.views:
        v.threats = [x for x in v.threats if x != "T-3"]
    d = diff_models(old, new)
    assert [(r.id, r.kind) for r in d.removed] == [("T-3", "threat")]
    assert d.changed == []
    removed = next(t for t in d.triggers if t.id == "threat_removed")
    assert "referenced by V-MPH" in removed.reasons[0]


def test_every_kind_and_sections() -> None:
    old, new = pump(), pump()
    new.flows[0].port = "9443"
    new.flows[1].source = "E-UI"  # a flow's source is its source element, not provenance
    new.elements[0].trust_zone = "TZ-HOSP"
    new.assets[0].stored_in.append("E-UPD")
    new.assumptions = [a for a in new.assumptions if a.id != "AS-2"]
    new.product.version = "4.3"
    new.product.regulatory.cra_category = "default"
    new.support.patch_policy = "Fixes within 14 days."
    d = diff_models(old, new)
    assert {(c.kind, c.id) for c in d.changed} == {("flow", "F-1"), ("flow", "F-2"), ("element", "E-PUMP"), ("asset", "A-PHI")}
    assert next(c for c in d.changed if c.id == "F-2").fields == {"source": ["E-PUMP", "E-UI"]}
    assert d.removed[0].model_dump() == {"id": "AS-2", "kind": "assumption"}
    assert d.product == {"version": ["4.2", "4.3"], "regulatory.cra_category": [None, "default"]}
    assert list(d.support) == ["patch_policy"]
    ids = {t.id for t in d.triggers}
    assert {"architecture_changed", "data_handling_changed", "customer_responsibility_changed", "support_changed", "new_release"} <= ids
    assert "new_threat" not in ids


def test_triggers_for_the_next_version() -> None:
    old, new = next_version()
    d = diff_models(old, new)
    hits = {t.id: t for t in d.triggers}
    assert set(hits) == {"new_threat", "threat_removed", "threat_status_changed", "mitigation_added"}
    assert hits["new_threat"].items == ["T-9"]
    assert hits["threat_status_changed"].reasons == ["threat T-5: status open → mitigated"]
    assert hits["mitigation_added"].reasons == ["threat T-5: controls +C-MTLS"]


def test_weakened_control_and_new_interface() -> None:
    old, new = pump(), pump()
    control(new, "C-MTLS").status = "planned"
    threat(new, "T-3").controls = ["C-SIGN"]
    new.flows[1].encryption = "none"
    new.flows.append(new.flows[0].model_copy(update={"id": "F-7", "name": "Remote service", "port": "22"}))
    d = diff_models(old, new)
    hits = {t.id: t for t in d.triggers}
    weakened = hits["control_removed_or_weakened"]
    assert set(weakened.items) == {"C-MTLS", "T-3", "F-2"}
    assert hits["new_interface"].items == ["F-7"]


def test_kind_change_is_a_removal_and_an_addition() -> None:
    old, new = pump(), pump()
    new.controls.append(Control(id="OOS-1", title="Now a control"))
    new.out_of_scope = []
    d = diff_models(old, new)
    assert [r.model_dump() for r in d.added] == [{"id": "OOS-1", "kind": "control"}]
    assert [r.model_dump() for r in d.removed] == [{"id": "OOS-1", "kind": "out_of_scope"}]


def test_changelog_lines_and_history() -> None:
    old, new = next_version()
    d = diff_models(old, new)
    lines = changelog(d)
    assert lines[0] == "Added threat T-9 (Replay of a bolus command)."
    assert lines[1] == "Removed threat T-4 (Eavesdropping on EHR orders)."
    assert lines[2].startswith("Changed threat T-5") and "status open → mitigated" in lines[2]
    old.document.history = [HistoryEntry(version="0.9", date="2024-11-01", summary="First release.")]
    record_history(new, old, d)
    assert [e.version for e in new.document.history] == ["0.9", "1.0", "1.1"]
    assert new.document.history[-1].summary == summary(d)
    assert "T-9" in new.document.history[-1].summary


def test_history_keeps_the_makers_own_words() -> None:
    old, new = next_version()
    new.document.history = [HistoryEntry(version="1.1", summary="Answered the 2025 replay advisory.")]
    record_history(new, old)
    assert [(e.version, e.summary) for e in new.document.history][-1] == ("1.1", "Answered the 2025 replay advisory.")


def test_long_text_is_summarised_in_words() -> None:
    old, new = pump(), pump()
    threat(new, "T-1").description = "A much longer explanation of the attack path. " * 5
    line = changelog(diff_models(old, new))[0]
    assert line == "Changed threat T-1 (Spoofed infusion order): description revised."


def test_read_model_tolerates_dangling_references_but_not_schema_errors(tmp_path: Path) -> None:
    data = yaml.safe_load(PUMP.read_text(encoding="utf-8"))
    data["threats"] = [t for t in data["threats"] if t["id"] != "T-3"]  # V-MPH still names it
    p = tmp_path / "m.yaml"
    p.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert read_model(p).document.version == "1.0"
    data["threats"][0]["status"] = "done"
    p.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_model(p)
    assert "/threats/0/status" in str(exc.value)


def test_trigger_catalogue_covers_the_papers_reasons() -> None:
    cat = load_triggers()
    ids = {t.id for t in cat.triggers}
    assert {"new_interface", "new_threat", "threat_rerated", "control_removed_or_weakened", "support_changed"} <= ids
    assert {t.id for t in cat.manual()} >= {"security_incident", "periodic_review", "lost_sales"}


def test_user_trigger_file(tmp_path: Path) -> None:
    p = tmp_path / "t.yaml"
    p.write_text(
        yaml.safe_dump(
            {
                "schema_version": 1,
                "triggers": [
                    {
                        "id": "ports",
                        "title": "Port moved",
                        "paper": "architecture",
                        "when": [{"change": "changed", "kind": ["flow"], "fields": ["port"], "from": ["8443"]}],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    old, new = pump(), pump()
    new.flows[0].port = "9443"
    new.flows[1].port = "6515"
    d = diff_models(old, new, load_triggers(p))
    assert [(t.id, t.items) for t in d.triggers] == [("ports", ["F-1"])]
    p.write_text("schema_version: 1\ntriggers: [{id: x, title: y, paper: z, when: [{change: moved, kind: [flow]}]}]\n", encoding="utf-8")
    with pytest.raises(InputError):
        load_triggers(p)
