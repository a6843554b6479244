"""Coverage verdicts follow evidence, not keywords (docs/mapping.md, "What counts as evidence").

A corpus of models built to fool the matcher (tests/data/adversarial/, with the verdicts each must get in
expected.yaml): denials, placeholders, keyword stuffing, hospital-only controls, threats called mitigated
with no control, commitments with the wrong numbers. Then the sample: one verdict per meaning across
frameworks, the labelling checklist agreeing with the mapping, and the same rationale in every report.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from mdptm.documents.coverage import coverage_data, render_table
from mdptm.errors import InputError
from mdptm.mapping.coherence import Link, disagreements
from mdptm.mapping.engine import map_model
from mdptm.mapping.framework import Assertion, Override
from mdptm.model import Model
from mdptm.model.evidence import affirmed, durations, first_date, is_placeholder, stated, void_control
from mdptm.model.results import ClauseResult, Coverage
from mdptm.pipeline.project import load_project
from mdptm.plugins import ReviewContext
from mdptm.review.engine import review

DATA = Path(__file__).parent.parent / "data" / "adversarial"
EXPECTED: dict[str, Any] = yaml.safe_load((DATA / "expected.yaml").read_text(encoding="utf-8"))
SAMPLE = Path(__file__).resolve().parent.parent.parent / "samples" / "infusion-pump"


def adversarial(name: str) -> Model:
    # validated as a model, not for references: imported models carry dangling control ids too
    return Model.model_validate(yaml.safe_load((DATA / name).read_text(encoding="utf-8")))


def clause(cov: Coverage, fid: str, cid: str) -> ClauseResult:
    fw = cov.framework(fid)
    assert fw is not None, fid
    found = next((c for c in fw.clauses if c.id == cid), None)
    assert found is not None, f"{fid} {cid}"
    return found


# ------------------------------------------------------------------------------- the vocabulary


@pytest.mark.parametrize(
    "value",
    [
        "TBD",
        "tbc",
        "N/A",
        "n.a.",
        "none",
        "None.",
        "unknown",
        "-",
        "—",
        "not supported",
        "pending",
        "to be determined",
        "later",
        "see later",
        "Coming soon.",
        "To follow",
        "Planned: TLS 1.3",
        "TBD: AES or ChaCha20",
        "next release",
        "TBD - depends on the supplier",
        "  ",
        "UNKNOWN: set it in mdptm.yaml",
    ],
)
def test_placeholders_state_nothing(value: str) -> None:
    assert is_placeholder(value) and not stated(value)


@pytest.mark.parametrize(
    "value",
    [
        "2034-12-31",
        "CycloneDX SBOM per release",
        "psirt@example.com",
        "No later than 30 days",
        "TLS 1.2 (mutual)",
        "HTTPS (TLS 1.2)",
        "Factory reset: supported",
    ],
)
def test_real_values_are_stated(value: str) -> None:
    assert not is_placeholder(value) and stated(value)


@pytest.mark.parametrize(
    "value",
    ["TLS (planned)", "TLS (not yet)", "AES-256 (future release)", "unencrypted HTTP", "plaintext over UDP", "Unsigned image"],
)
def test_a_value_taken_back_or_denied_states_nothing(value: str) -> None:
    assert not stated(value)


def test_a_flow_whose_encryption_is_planned_or_denied_is_not_encrypted() -> None:
    flows = [
        {"id": f"F{i}", "source": "E1", "target": "E2", "name": "x", "protocol": "HTTP", "encryption": v}
        for i, v in enumerate(["TLS (planned)", "unencrypted HTTP", "Planned: TLS 1.3"])
    ]
    model = Model.model_validate(
        {
            "schema": "mdptm/1",
            "product": {"name": "P", "manufacturer": "M"},
            "document": {"version": "1"},
            "elements": [{"id": "E1", "name": "A", "kind": "device"}, {"id": "E2", "name": "B", "kind": "software"}],
            "flows": flows,
        }
    )
    clause = next(c for c in map_model(model, ["cra-annex-i"], []).frameworks[0].clauses if c.id == "I.2.e")
    assert clause.status == "gap" and "none of the 3 flows state encryption" in clause.rationale


@pytest.mark.parametrize(
    "text",
    [
        "Known gap: the default password is admin and cannot be changed; there is no factory reset; no secure boot",
        "Factory reset: not supported. Secure boot: TBD.",
        "The device lacks secure boot and a factory reset is not yet available.",
        "Secure boot is disabled, factory reset missing.",
        "Without secure boot; factory reset absent.",
        "There is no secure boot. A factory reset can't be done.",
    ],
)
def test_a_denied_keyword_is_no_evidence(text: str) -> None:
    assert affirmed(text, ["secure boot", "factory reset"]) == []


def test_a_keyword_outside_the_denied_clause_still_counts() -> None:
    text = "Secure boot verifies every image. There is no remote access; disabled by default: telnet."
    assert affirmed(text, ["secure boot", "remote access", "disabled by default"]) == ["secure boot", "disabled by default"]


def test_time_spans_and_dates_are_read_with_their_units() -> None:
    assert [d for d, _ in durations("within 60 days (30 days for critical ones), or two weeks")] == [60, 30, 14]
    assert [d for d, _ in durations("patches within 3 months; not within 90 days")] == [90]
    # a deadline is what "within" introduces, not how long the commitment lasts
    assert [d for d, _ in durations("patches within 30 days for 10 years", deadlines=True)] == [30]
    assert [d for d, _ in durations("30 days", deadlines=True)] == [30]
    assert str(first_date("until 31 December 2035")) == "2035-12-31"
    assert first_date("until further notice") is None


def test_controls_that_deny_themselves_are_void_but_safeguards_written_with_no_are_not() -> None:
    assert void_control("Secure boot", "Not implemented in this release.")
    assert void_control("Known gap", "Known gap: no factory reset; no secure boot")
    assert not void_control("Remote access", "No remote access. No USB.")
    assert not void_control("Signed firmware", "Images without a valid signature are refused.")
    assert not void_control("Secure boot", "")


# ------------------------------------------------------------------------------- the corpus


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_adversarial_models_get_the_verdicts_their_evidence_allows(name: str) -> None:
    want = EXPECTED[name]
    model = adversarial(name)
    cov = map_model(model)
    wrong = []
    for fid, ids in (want.get("not_covered") or {}).items():
        for cid in ids:
            c = clause(cov, fid, str(cid))
            if c.status == "covered":
                wrong.append(f"{fid} {cid} is covered: {c.rationale}")
    for fid, verdicts in (want.get("verdicts") or {}).items():
        for cid, status in verdicts.items():
            c = clause(cov, fid, str(cid))
            if c.status != status:
                wrong.append(f"{fid} {cid}: {c.status}, expected {status}: {c.rationale}")
    for where, text in (want.get("rationale") or {}).items():
        fid, cid = where.split(" ", 1)
        c = clause(cov, fid, cid)
        if text not in c.rationale:
            wrong.append(f"{where}: {text!r} not in {c.rationale!r}")
    assert wrong == []
    found = {f.check for f in review(ReviewContext(model, coverage=cov)).findings}
    assert set(want.get("review") or []) <= found


def test_review_names_a_control_that_describes_no_safeguard() -> None:
    model = adversarial("known-gap.yaml")
    found = [f for f in review(ReviewContext(model)).findings if f.check == "placeholder-value" and f.items == ["C-1"]]
    assert any("describes no safeguard" in f.message for f in found)


def test_the_first_model_of_the_issue_covers_nothing_its_text_denies() -> None:
    """Every clause the issue names for this model, in every wording of it: never covered."""
    named = {
        "cra-annex-i": ["I.1", "I.2.a", "I.2.b", "I.2.g", "I.2.k", "I.2.m", "II.1", "II.5", "II.8"],
        "cra-annex-ii": ["1", "2", "7"],
        "mc2": ["secure_by_default"],
    }
    for name in ("known-gap.yaml", "known-gap-colons.yaml", "known-gap-prose.yaml"):
        cov = map_model(adversarial(name))
        covered = [f"{fid} {cid}" for fid, ids in named.items() for cid in ids if clause(cov, fid, cid).status == "covered"]
        assert covered == [], name


def test_mitigated_without_control_is_a_warning_and_not_treated() -> None:
    model = adversarial("mitigated-without-control.yaml")
    findings = [f for f in review(ReviewContext(model)).findings if f.check == "threat-without-control"]
    assert {i for f in findings for i in f.items} == {"T-1", "T-2", "T-3"}
    assert all(f.severity == "warning" for f in findings)
    c = clause(map_model(model, ["cra-annex-i"]), "cra-annex-i", "I.1")
    assert c.status == "partial" and "T-1" in c.rationale


# ------------------------------------------------------------------------------- assertions


def test_a_maker_assertion_confirms_a_clause_and_every_report_says_so() -> None:
    model = adversarial("right-numbers.yaml")
    a = Assertion(
        framework="cra-annex-i",
        clause="I.2.a",
        evidence=["VA-2026-04", "PEN-TEST-7"],
        rationale="The vulnerability assessment of release 3.0 found no known exploitable vulnerability.",
        by="P. Raman, Director of Product Security",
        date="2026-05-30",
    )
    cov = map_model(model, ["cra-annex-i"], assertions=[a])
    c = clause(cov, "cra-annex-i", "I.2.a")
    assert c.status == "covered" and c.confirmed is not None and c.confirmed.computed == "partial"
    assert c.rationale.startswith("Confirmed by the maker (P. Raman, Director of Product Security, 2026-05-30)")
    assert "From the threat model alone: partly covered" in c.rationale
    assert "VA-2026-04" in c.evidence
    data = coverage_data(cov)
    assert data["frameworks"][0]["clauses"][1]["confirmed"]["by"].startswith("P. Raman")
    assert "covered+" in render_table(cov)


@pytest.mark.parametrize(
    ("entry", "where"),
    [
        ({"evidence": ["TBD"]}, "/assertions/0/evidence"),
        ({"date": "last week"}, "/assertions/0/date"),
        ({"by": "N/A"}, "/assertions/0/by"),
        ({"rationale": "tbd"}, "/assertions/0/rationale"),
    ],
)
def test_assertions_are_validated_with_their_place(tmp_path: Path, entry: dict[str, Any], where: str) -> None:
    good = {
        "framework": "mc2",
        "clause": "v2.46",
        "evidence": ["SDL-01"],
        "rationale": "We follow IEC 81001-5-1.",
        "by": "A. Person, quality",
        "date": "2026-05-30",
    }
    (tmp_path / "mdptm.yaml").write_text(yaml.safe_dump({"sources": ["a.docx"], "assertions": [{**good, **entry}]}), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_project(tmp_path)
    assert exc.value.locator == where


def test_an_assertion_naming_an_unknown_clause_is_refused() -> None:
    a = Assertion(framework="mc2", clause="v2.99", evidence=["X-1"], rationale="Because.", by="A. Person", date="2026-05-30")
    with pytest.raises(InputError) as exc:
        map_model(adversarial("right-numbers.yaml"), ["mc2"], assertions=[a], overrides_file="mdptm.yaml")
    assert exc.value.locator == "/assertions/0/clause"


# ------------------------------------------------------------------------------- one meaning, one verdict


def test_linked_clauses_that_disagree_are_a_review_warning() -> None:
    model = adversarial("right-numbers.yaml")
    ov = Override(framework="mc2", clause="v2.44", status="not_applicable", justification="Not offered to customers.")
    cov = map_model(model, overrides=[ov])
    split = disagreements(cov)
    assert [d.meaning for d in split] == ["Software bill of materials made available"]
    found = [f for f in review(ReviewContext(model, coverage=cov)).findings if f.check == "coverage-disagreement"]
    assert len(found) == 1 and found[0].severity == "warning" and "mc2 v2.44 not applicable" in found[0].message
    assert "linked clauses that disagree" in render_table(cov)
    assert disagreements(map_model(model)) == []


def test_a_link_must_name_framework_and_clause() -> None:
    with pytest.raises(ValueError, match="<framework>:<clause>"):
        Link(meaning="x", clauses=["mc2:v2.44", "labeling.5"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_adversarial_models_do_not_contradict_themselves_across_frameworks(name: str) -> None:
    assert disagreements(map_model(adversarial(name))) == []


# ------------------------------------------------------------------------------- the sample


@pytest.fixture(scope="module")
def sample() -> tuple[Model, Coverage]:
    from mdptm.pipeline.build import load_project_model

    model, _, project, root = load_project_model(SAMPLE)
    return model, map_model(model, project.frameworks, project.overrides, base_dir=root, assertions=project.assertions)


def test_sample_has_no_contradiction_between_frameworks(sample: tuple[Model, Coverage]) -> None:
    assert disagreements(sample[1]) == []


def test_sample_verdicts_the_issue_names(sample: tuple[Model, Coverage]) -> None:
    _, cov = sample
    assert clause(cov, "cra-annex-i", "I.2.g").status != "covered"  # "minimis" in a control is a text match
    i = clause(cov, "cra-annex-i", "I.2.i")
    assert i.status != "covered" and "C-28" in i.relies_on_hospital  # the hospital's segmentation
    assert clause(cov, "cra-annex-i", "II.4").status != "covered"  # "advisor" and "publish" are text
    patch = clause(cov, "mc2", "v2.31")
    assert patch.status == "gap" and "60 days" in patch.rationale and "30 days the clause asks" in patch.rationale
    assert clause(cov, "fda-premarket", "labeling.2").status == "covered"  # the PTM draws every view
    assert clause(cov, "cra-annex-i", "I.2.b").status == clause(cov, "mc2", "secure_by_default").status


def test_labelling_checklist_states_the_mapping_verdict(sample: tuple[Model, Coverage]) -> None:
    from mdptm.documents.labeling import VERDICT_STATUS, agree_with_mapping, answer_labeling

    model, cov = sample
    fw = cov.framework("fda-premarket")
    answers = agree_with_mapping(answer_labeling(model), fw)
    assert fw is not None
    verdicts = {c.id: c.status for c in fw.clauses}
    for a in answers:
        assert a.status == VERDICT_STATUS[verdicts[a.item.id]], a.item.id
    diagrams = next(a for a in answers if a.item.id == "labeling.2")
    assert diagrams.status == "answered"


def _texts(blocks: list[Any]) -> str:
    out: list[str] = []
    for b in blocks:
        for name in ("text", "rows", "items"):
            value = getattr(b, name, None)
            if isinstance(value, str):
                out.append(value)
            elif isinstance(value, list):
                out.extend(str(cell) for row in value for cell in (row if isinstance(row, list) else [row]))
    return "\n".join(out)


def test_the_same_rationale_in_coverage_json_the_ptm_and_the_submission_set(sample: tuple[Model, Coverage], tmp_path: Path) -> None:
    from mdptm.documents.ptm import build_ptm_doc
    from mdptm.documents.submission import cra_doc
    from mdptm.plugins import ExportContext

    model, cov = sample
    ctx = ExportContext(coverage=cov)
    ptm = _texts(build_ptm_doc(model, ctx, tmp_path).blocks)
    cra = _texts(cra_doc(model, ExportContext(coverage=cov, audience="submission")).blocks)
    data = json.loads(json.dumps(coverage_data(cov)))
    for fw in data["frameworks"]:
        for c in fw["clauses"]:
            assert c["rationale"] in ptm, f"{fw['id']} {c['id']}"
            if fw["id"] == "cra-annex-i":
                assert c["rationale"] in cra, c["id"]
                assert "mentioning" not in c["rationale"] and "counts as partial" not in c["rationale"]


@pytest.mark.parametrize("zoned", [False, True])
def test_no_cloud_is_not_applicable_only_where_the_model_places_its_elements(zoned: bool) -> None:
    data: dict[str, Any] = {
        "schema": "mdptm/1",
        "product": {"name": "P", "manufacturer": "M"},
        "document": {"version": "1"},
        "elements": [{"id": "E1", "name": "A", "kind": "device"}, {"id": "E2", "name": "B", "kind": "software"}],
        "flows": [{"id": "F1", "source": "E1", "target": "E2", "name": "x"}],
    }
    if zoned:
        data["trust_zones"] = [{"id": "TZ", "name": "Clinical network"}]
        for e in data["elements"]:
            e["trust_zone"] = "TZ"
    clause = next(c for c in map_model(Model.model_validate(data), ["mc2"], []).frameworks[0].clauses if c.id == "v2.24")
    assert (clause.status == "not_applicable") is zoned


def test_review_names_a_control_its_own_description_denies_or_leaves_empty() -> None:
    """The mapping counts such a control for no clause; review says so, so the maker can fix the status or the text."""
    from mdptm.model import Control, Document, Model, Product

    model = Model(
        product=Product(name="Pump", manufacturer="Maker"),
        document=Document(version="1.0"),
        controls=[
            Control(id="C-1", title="Encryption at rest", description="Patient data is not encrypted at rest."),
            Control(id="C-2", title="Secure boot", description="We plan to add secure boot in a later release."),
            Control(id="C-3", title="Audit logging", description="TBD"),
            Control(id="C-4", title="Encryption at rest", description="Patient data is encrypted at rest with AES-256."),
        ],
    )
    found = {f.items[0]: f.message for f in review(ReviewContext(model)).findings if f.check == "placeholder-value"}
    assert "denied or deferred by its own description" in found["C-1"]
    assert "denied or deferred by its own description" in found["C-2"]
    assert "only by a placeholder" in found["C-3"]
    assert "C-4" not in found
