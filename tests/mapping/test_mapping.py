"""Verdicts of the shipped frameworks follow the evidence in the model (SPEC §4).

Every test starts from a complete model (tests/data/mapping/rich-model.yaml) or an empty one and
changes one thing, so each assertion says which piece of evidence decides which clause.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mdptm.errors import InputError
from mdptm.mapping.engine import BUILTIN_FRAMEWORKS, load_framework, map_model
from mdptm.mapping.framework import Assertion, Override
from mdptm.model import COLLECTIONS, Control, Element, Model, Risk, View
from mdptm.model.io import load
from mdptm.model.results import ClauseResult, Coverage

RICH = Path(__file__).parent.parent / "data" / "mapping" / "rich-model.yaml"
# Clauses the rich model cannot cover: no model field answers them, their rule is capped at partial, or
# only a text match answers them (at most partial until the maker confirms the clause with an assertion).
TEXT_MATCH_ONLY = [
    ("cra-annex-i", "I.2.b"),
    ("cra-annex-i", "I.2.g"),
    ("cra-annex-i", "I.2.i"),
    ("cra-annex-i", "I.2.j"),
    ("cra-annex-i", "I.2.k"),
    ("cra-annex-i", "II.4"),
    ("cra-annex-i", "II.7"),
    ("cra-annex-ii", "8.b"),
    ("cra-annex-ii", "8.e"),
    ("cra-annex-ii", "8"),
    ("mc2", "secure_by_default"),
    ("mc2", "pillar.product_design_maturity"),
    ("mc2", "v2.33"),
    ("mc2", "v2.46"),
    ("fda-premarket", "labeling.9"),
    ("fda-premarket", "labeling.10"),
    ("fda-premarket", "labeling.11"),
]
NOT_COVERED_IN_RICH = {
    **dict.fromkeys(TEXT_MATCH_ONLY, "partial"),
    ("cra-annex-ii", "6"): "gap",
    ("mc2", "v2.11"): "gap",
    ("mc2", "v2.20"): "gap",
    ("mc2", "v2.24"): "gap",
    ("mc2", "v2.35"): "partial",
    ("mc2", "v2.40"): "partial",
    ("mc2", "v2.42-43"): "partial",
}


def rich() -> Model:
    return load(RICH)


def clause(cov: Coverage, fid: str, cid: str) -> ClauseResult:
    fw = cov.framework(fid)
    assert fw is not None, fid
    found = next((c for c in fw.clauses if c.id == cid), None)
    assert found is not None, f"{fid} {cid}"
    return found


def status(model: Model, fid: str, cid: str) -> str:
    return clause(map_model(model, [fid]), fid, cid).status


def without(model: Model, *ids: str) -> Model:
    """A copy of *model* with the items of these ids removed."""
    out = model.model_copy(deep=True)
    drop = set(ids)
    for attr, _ in COLLECTIONS:
        setattr(out, attr, [it for it in getattr(out, attr) if it.id not in drop])
    return out


def unset(model: Model, *paths: str) -> Model:
    """A copy of *model* with these product/document/support fields cleared."""
    out = model.model_copy(deep=True)
    for path in paths:
        *parents, last = path.split(".")
        obj: Any = out
        for p in parents:
            obj = getattr(obj, p)
        current = getattr(obj, last)
        setattr(obj, last, [] if isinstance(current, list) else ("" if last in ("name", "manufacturer") else None))
    return out


# ----------------------------------------------------------------------------- whole catalogues


def test_complete_model_covers_every_clause_the_model_can_answer() -> None:
    cov = map_model(rich())
    assert [f.id for f in cov.frameworks] == list(BUILTIN_FRAMEWORKS)
    wrong = []
    for fw in cov.frameworks:
        for c in fw.clauses:
            expected = NOT_COVERED_IN_RICH.get((fw.id, c.id), "covered")
            if c.status != expected:
                wrong.append(f"{fw.id} {c.id}: {c.status} ({c.rationale})")
    assert wrong == []


def test_empty_model_leaves_every_clause_a_gap() -> None:
    cov = map_model(Model.empty())
    for fw in cov.frameworks:
        for c in fw.clauses:
            # v2.24 too: a model that describes no flow cannot show that no data leaves for a cloud
            assert c.status == "gap", f"{fw.id} {c.id}: {c.rationale}"
            assert c.evidence == []


@pytest.mark.parametrize("fid", BUILTIN_FRAMEWORKS)
def test_removing_the_evidence_of_a_covered_clause_uncovers_it(fid: str) -> None:
    """For every rule: the items and fields it names as evidence are what make it covered."""
    model = rich()
    fw = map_model(model, [fid]).framework(fid)
    assert fw is not None
    checked = 0
    for c in fw.clauses:
        if c.status != "covered":
            continue
        assert c.evidence, f"{fid} {c.id} is covered without evidence"
        paths = [e for e in c.evidence if e.split(".")[0] in ("product", "document", "support")]
        ids = [e for e in c.evidence if e not in paths]
        stripped = unset(without(model, *ids), *paths)
        after = clause(map_model(stripped, [fid]), fid, c.id)
        assert after.status != "covered", f"{fid} {c.id} stays covered without {c.evidence}: {after.rationale}"
        checked += 1
    assert checked >= 10


def test_rationale_names_a_few_evidence_ids_and_counts_the_rest() -> None:
    import re

    cov = map_model(rich(), ["fda-premarket", "cra-annex-ii"])
    for fw in cov.frameworks:
        for c in fw.clauses:
            if c.rationale.startswith("Clause"):
                continue  # a clause that aggregates others names them; their rationales name the items
            named = [e for e in c.evidence if e in c.rationale]
            assert named or not c.evidence, f"{fw.id} {c.id}: no evidence named in {c.rationale!r}"
            if len(named) < len(c.evidence):
                assert re.search(r"and \d+ more", c.rationale), f"{fw.id} {c.id}: the rest is not counted: {c.rationale!r}"
            for listed in re.findall(r"\(([^()]*)\)", c.rationale):  # no bare list of more than a few ids
                assert len([p for p in listed.split(",") if re.fullmatch(r"\s*[A-Z]+-[A-Z0-9-]+\s*", p)]) <= 3, listed


# ----------------------------------------------------------------------------- CRA Annex II item 2


def test_annex_ii_2_is_a_gap_without_disclosure_contact_and_covered_with_one() -> None:
    model = unset(rich(), "support.vulnerability_disclosure")
    c = clause(map_model(model, ["cra-annex-ii"]), "cra-annex-ii", "2")
    assert c.status == "gap"
    assert "support.vulnerability_disclosure is not stated" in c.rationale
    model.support.vulnerability_disclosure = "https://example.com/.well-known/security.txt"
    c = clause(map_model(model, ["cra-annex-ii"]), "cra-annex-ii", "2")
    assert c.status == "partial"  # a contact; where the disclosure policy is, it does not say
    assert c.evidence == ["support.vulnerability_disclosure"]
    model.support.vulnerability_disclosure = "https://example.com/.well-known/security.txt; CVD policy: https://example.com/cvd"
    assert status(model, "cra-annex-ii", "2") == "covered"


def test_annex_ii_2_on_an_otherwise_empty_model() -> None:
    model = Model.empty()
    assert status(model, "cra-annex-ii", "2") == "gap"
    model.support.contact = "sales@example.com"  # a general contact is not a disclosure contact
    assert status(model, "cra-annex-ii", "2") == "gap"
    model.support.vulnerability_disclosure = "psirt@example.com"
    assert status(model, "cra-annex-ii", "2") == "partial"
    model.support.vulnerability_disclosure = "psirt@example.com, coordinated vulnerability disclosure policy at https://example.com/cvd"
    assert status(model, "cra-annex-ii", "2") == "covered"


def test_placeholder_values_count_as_not_stated() -> None:
    model = rich()
    model.support.vulnerability_disclosure = "UNKNOWN: set it in mdptm.yaml"
    assert status(model, "cra-annex-ii", "2") == "gap"


# ----------------------------------------------------------------------------- logging


def test_removing_the_last_implemented_logging_control_makes_logging_clauses_gaps() -> None:
    model = rich()
    second = Control(id="C-LOG2", title="Audit trail of dose changes", category="event_logging")
    model.controls.append(second)
    one_left = without(model, "C-LOG")
    assert status(one_left, "fda-premarket", "control.event_logging") == "covered"
    assert status(one_left, "cra-annex-i", "I.2.l") == "covered"
    none_left = without(model, "C-LOG", "C-LOG2")
    cov = map_model(none_left, ["fda-premarket", "cra-annex-i"])
    assert clause(cov, "fda-premarket", "control.event_logging").status == "gap"
    assert clause(cov, "cra-annex-i", "I.2.l").status == "gap"
    assert clause(cov, "fda-premarket", "labeling.7").status == "gap"
    # I.2.d also asks for reporting of unauthorised access, but authentication still stands
    assert clause(cov, "cra-annex-i", "I.2.d").status == "partial"


def test_a_planned_logging_control_is_partial() -> None:
    model = rich()
    for c in model.controls:
        if c.category == "event_logging":
            c.status = "planned"
    c = clause(map_model(model, ["fda-premarket"]), "fda-premarket", "control.event_logging")
    assert c.status == "partial"
    assert "1 planned event logging control (C-LOG)" in c.rationale


# ----------------------------------------------------------------------------- FDA views and controls

VIEW_IDS = {"V-GSV": "global_system", "V-MPH": "multi_patient_harm", "V-UPD": "updatability_patchability", "V-UC1": "security_use_case"}


@pytest.mark.parametrize("view_id", VIEW_IDS)
def test_fda_views_follow_the_views_present(view_id: str) -> None:
    kind = VIEW_IDS[view_id]
    model = rich()
    c = clause(map_model(model, ["fda-premarket"]), "fda-premarket", f"view.{kind}")
    assert c.status == "covered" and c.evidence == [view_id]
    assert status(without(model, view_id), "fda-premarket", f"view.{kind}") == "gap"


def test_views_present_cover_the_view_clauses_of_an_otherwise_empty_model() -> None:
    model = Model.empty()
    model.views = [View(id=f"V{i}", kind=k, name=k, steps=["The pump reports its state"]) for i, k in enumerate(VIEW_IDS.values())]
    cov = map_model(model, ["fda-premarket"])
    for kind in VIEW_IDS.values():
        assert clause(cov, "fda-premarket", f"view.{kind}").status == "covered"


def test_a_view_that_shows_nothing_covers_nothing() -> None:
    """A view with a name and nothing else, or only placeholders ("To be written", steps "TBD"), shows no
    architecture: it is no evidence of the view the FDA asks for."""
    model = Model.empty()
    model.views = [
        View(id="V1", kind="multi_patient_harm", name="Multi-Patient Harm View"),
        View(id="V2", kind="updatability_patchability", name="Update view", description="To be written", steps=["TBD"]),
    ]
    cov = map_model(model, ["fda-premarket"])
    assert clause(cov, "fda-premarket", "view.multi_patient_harm").status == "gap"
    assert clause(cov, "fda-premarket", "view.updatability_patchability").status == "gap"
    model.views[1].steps = ["The server downloads signed packages"]
    cov = map_model(model, ["fda-premarket"])
    assert clause(cov, "fda-premarket", "view.updatability_patchability").status == "covered"


CATEGORIES = [
    "authentication",
    "authorization",
    "cryptography",
    "integrity",
    "confidentiality",
    "event_logging",
    "resiliency_recovery",
    "updatability_patchability",
]


@pytest.mark.parametrize("category", CATEGORIES)
def test_fda_control_categories_follow_the_controls(category: str) -> None:
    model = rich()
    ids = [c.id for c in model.controls if c.category == category]
    assert status(model, "fda-premarket", f"control.{category}") == "covered"
    gone = without(model, *ids)
    assert status(gone, "fda-premarket", f"control.{category}") == "gap"
    gone.controls.append(Control(id="C-NEW", title="Hardware-backed key store", category=category, status="planned"))
    assert status(gone, "fda-premarket", f"control.{category}") == "partial"
    gone.controls[-1].status = "not_implemented"
    assert status(gone, "fda-premarket", f"control.{category}") == "gap"


# ----------------------------------------------------------------------------- other CRA rules


def test_unencrypted_flow_makes_confidentiality_partial_and_is_named() -> None:
    model = rich()
    model.flows[1].encryption = "none"
    c = clause(map_model(model, ["cra-annex-i"]), "cra-annex-i", "I.2.e")
    assert c.status == "partial"
    assert "2 of 3 flows" in c.rationale and "not F-2" in c.rationale
    assert "F-2" not in c.evidence
    model.flows[1].encryption = None  # unknown is not enough either
    assert status(model, "cra-annex-i", "I.2.e") == "partial"


def test_open_threat_makes_risk_clauses_partial() -> None:
    model = rich()
    model.threats[0].status = "open"
    cov = map_model(model, ["cra-annex-i"])
    assert clause(cov, "cra-annex-i", "I.1").status == "partial"
    assert "not T-1" in clause(cov, "cra-annex-i", "I.1").rationale
    assert clause(cov, "cra-annex-i", "I.2.a").status == "partial"


def test_an_empty_risk_rating_is_not_a_rating() -> None:
    model = rich()
    model.threats[2].risk = Risk()
    c = clause(map_model(model, ["cra-annex-i"]), "cra-annex-i", "I.1")
    assert c.status == "partial" and "5 of 6 threats state a risk rating" in c.rationale and "not T-3" in c.rationale


def test_keyword_rules_read_control_titles_and_give_at_most_partial() -> None:
    model = rich()
    c = clause(map_model(model, ["cra-annex-i"]), "cra-annex-i", "I.2.b")
    assert c.status == "partial" and "text match: confirm" in c.rationale and c.evidence == ["C-DEF"]
    model.controls = [c for c in model.controls if c.id != "C-DEF"]
    model.controls.append(Control(id="C-HARD", title="Hardened OS image, unused services removed", category="other"))
    c = clause(map_model(model, ["cra-annex-i"]), "cra-annex-i", "I.2.b")
    assert c.status == "partial"  # secure default shown (as text), reset to the original state not
    assert c.evidence == ["C-HARD"] and "reset to original state: no implemented controls" in c.rationale


def test_field_keywords_give_at_most_partial() -> None:
    model = rich()
    c = clause(map_model(model, ["cra-annex-i"]), "cra-annex-i", "II.4")
    assert c.status == "partial" and "text match: confirm" in c.rationale
    model.support.vulnerability_disclosure = "psirt@example.com"  # no word on where fixes are published
    c = clause(map_model(model, ["cra-annex-i"]), "cra-annex-i", "II.4")
    assert c.status == "partial"
    assert "does not mention" in c.rationale and "advisories page" in c.rationale


def test_support_period_and_decommissioning() -> None:
    model = unset(rich(), "support.end_of_support")
    assert status(model, "cra-annex-ii", "7") == "partial"
    assert status(model, "fda-premarket", "labeling.13") == "gap"
    model = rich()
    model.assets[0].disposal = None
    c = clause(map_model(model, ["cra-annex-ii"]), "cra-annex-ii", "8.d")
    assert c.status == "partial" and "not A-PHI" in c.rationale


# ----------------------------------------------------------------------------- CRA scope (Art 2(2))


def test_cra_is_a_benchmark_for_a_device_under_the_mdr() -> None:
    model = rich()
    in_scope = map_model(model, ["cra-annex-i", "cra-annex-ii"])
    model.product.regulatory.cra_scope = "excluded_mdr_ivdr"
    bench = map_model(model, ["cra-annex-i", "cra-annex-ii", "fda-premarket"])
    for fid in ("cra-annex-i", "cra-annex-ii"):
        fw, ref = bench.framework(fid), in_scope.framework(fid)
        assert fw is not None and ref is not None
        assert "Benchmark" in fw.note and "Article 2(2)" in fw.note
        assert "Benchmark" not in ref.note
        assert [c.status for c in fw.clauses] == [c.status for c in ref.clauses]  # verdicts still computed
        assert all(c.rationale.startswith("Benchmark only (CRA Art 2(2)") for c in fw.clauses)
    fda = bench.framework("fda-premarket")
    assert fda is not None and "Benchmark" not in fda.note


def test_unknown_cra_scope_is_said() -> None:
    model = rich()
    model.product.regulatory.cra_scope = "unknown"
    fw = map_model(model, ["cra-annex-i"]).framework("cra-annex-i")
    assert fw is not None and "cra_scope" in fw.note and "not stated" in fw.note
    assert not fw.clauses[0].rationale.startswith("Benchmark")


# ----------------------------------------------------------------------------- MC2


def test_mc2_principles_pillars_and_not_applicable() -> None:
    model = rich()
    cov = map_model(model, ["mc2"])
    assert clause(cov, "mc2", "pillar.maturity").status == "covered"
    assert clause(cov, "mc2", "v2.24").status == "gap"  # the model has a cloud service
    # an empty "Manufacturer cloud" zone left behind still names a place outside: not "no cloud"
    assert clause(map_model(without(model, "E-CLOUD"), ["mc2"]), "mc2", "v2.24").status == "gap"
    no_cloud = without(model, "E-CLOUD", "TZ-CLOUD")
    c = clause(map_model(no_cloud, ["mc2"]), "mc2", "v2.24")
    assert c.status == "not_applicable"
    assert c.rationale == (
        "Not applicable: no cloud service elements; no cloud, vendor or internet trust zones; trust zones named for a "
        "cloud, the internet or the maker: no trust zones; the data flows the model describes: 3 flows (F-1, F-2, F-3); "
        "the trust zones that place its elements: all 3 elements that are not persons state trust zone (E-PUMP, E-GW, E-NET)."
    )
    # one zone holding some elements places the others nowhere: they may run in a cloud
    partly = no_cloud.model_copy(deep=True)
    partly.elements[0].trust_zone = None
    assert clause(map_model(partly, ["mc2"]), "mc2", "v2.24").status == "gap"
    no_flows = without(no_cloud, *[fl.id for fl in no_cloud.flows])
    assert clause(map_model(no_flows, ["mc2"]), "mc2", "v2.24").status == "gap"  # silence shows nothing
    no_sbom = unset(model, "support.sbom")
    cov = map_model(no_sbom, ["mc2"])
    assert clause(cov, "mc2", "supplier_transparency").status == "partial"
    assert clause(cov, "mc2", "pillar.maturity").status == "partial"
    assert "supplier_transparency partly covered" in clause(cov, "mc2", "pillar.maturity").rationale
    fw = cov.framework("mc2")
    assert fw is not None and "could not be verified" in fw.note


# ----------------------------------------------------------------------------- overrides


def test_override_replaces_the_verdict_and_keeps_the_computed_one() -> None:
    ov = Override(framework="cra-annex-ii", clause="6", status="covered", justification="The declaration is at https://example.com/doc")
    cov = map_model(rich(), ["cra-annex-ii"], [ov])
    c = clause(cov, "cra-annex-ii", "6")
    assert c.status == "covered" and c.overridden
    assert "computed: gap" in c.rationale and "https://example.com/doc" in c.rationale
    fw = cov.framework("cra-annex-ii")
    assert fw is not None and fw.summary["gap"] == 0 and fw.summary["covered"] == 15 - fw.summary["partial"]


def test_override_counts_towards_clauses_that_aggregate_it() -> None:
    model = rich()
    model.support.patch_policy = "Security patches within 30 days, free of charge"
    model.controls = [c for c in model.controls if c.id != "C-UPD"]
    cov = map_model(model, ["cra-annex-ii"])
    assert clause(cov, "cra-annex-ii", "8.e").status == "gap"
    assert clause(cov, "cra-annex-ii", "8").status == "partial"
    ov = Override(
        framework="cra-annex-ii", clause="8.e", status="not_applicable", justification="The pump installs no update without a technician."
    )
    cov = map_model(model, ["cra-annex-ii"], [ov])
    assert clause(cov, "cra-annex-ii", "8").status == "partial"  # 8.b rests on a text match only
    confirm = Assertion(
        framework="cra-annex-ii",
        clause="8.b",
        evidence=["C-DEF", "IFU-7 section 4"],
        rationale="The instructions for use explain which settings affect data security.",
        by="A. Person, regulatory",
        date="2026-10-02",
    )
    cov = map_model(model, ["cra-annex-ii"], [ov], assertions=[confirm])
    assert clause(cov, "cra-annex-ii", "8").status == "covered"


def test_override_of_an_unknown_clause_is_refused_with_its_place() -> None:
    ov = Override(framework="cra-annex-ii", clause="10", status="covered", justification="Checked by the notified body.")
    with pytest.raises(InputError) as exc:
        map_model(rich(), ["cra-annex-ii"], [ov], overrides_file="mdptm.yaml")
    assert exc.value.locator == "/overrides/0/clause" and exc.value.file == "mdptm.yaml"


def test_override_of_a_framework_not_mapped_is_ignored() -> None:
    ov = Override(framework="mc2", clause="nope", status="covered", justification="Checked by the notified body.")
    cov = map_model(rich(), ["cra-annex-ii"], [ov])
    assert [f.id for f in cov.frameworks] == ["cra-annex-ii"]


def test_override_needs_a_justification() -> None:
    with pytest.raises(ValueError, match="justification"):
        Override(framework="mc2", clause="v2.44", status="covered", justification="  ")


@pytest.mark.parametrize("placeholder", ["TBD", "N/A", "see later", "tbd - ask legal", "..."])
def test_a_placeholder_is_no_justification(placeholder: str) -> None:
    with pytest.raises(ValueError, match="placeholder"):
        Override(framework="mc2", clause="v2.44", status="covered", justification=placeholder)


# ----------------------------------------------------------------------------- selection


def test_frameworks_by_id_in_the_order_given_and_unknown_ids_refused() -> None:
    cov = map_model(rich(), ["fda-premarket", "mc2"])
    assert [f.id for f in cov.frameworks] == ["fda-premarket", "mc2"]
    with pytest.raises(InputError, match="unknown framework 'cra'"):
        map_model(rich(), ["cra"])
    assert load_framework("mc2").id == "mc2"


def test_an_unknown_framework_in_the_project_file_is_reported_at_its_place() -> None:
    """The user must find the typo: the file and the entry, not only the id."""
    with pytest.raises(InputError) as caught:
        map_model(rich(), ["mc2", "fda-premarkt"], overrides_file="proj/mdptm.yaml")
    assert caught.value.file == "proj/mdptm.yaml" and caught.value.locator == "/frameworks/1"
    assert str(caught.value).startswith("proj/mdptm.yaml (/frameworks/1): unknown framework 'fda-premarkt'")


def test_mapping_does_not_change_the_model() -> None:
    model = rich()
    before = model.model_dump()
    model.elements.append(Element(id="E-X", name="x", kind="cloud_service"))
    snapshot = model.model_dump()
    map_model(model)
    assert model.model_dump() == snapshot != before


# ----------------------------------------------------------------------------- the shipped sample

SAMPLE = Path(__file__).resolve().parent.parent.parent / "samples" / "infusion-pump" / "model.yaml"


def test_sample_model_maps_onto_all_four_frameworks() -> None:
    if not SAMPLE.is_file():
        pytest.skip("samples/infusion-pump is not in this checkout")
    model = load(SAMPLE)
    cov = map_model(model)
    assert [f.id for f in cov.frameworks] == list(BUILTIN_FRAMEWORKS)
    for fw in cov.frameworks:
        for c in fw.clauses:
            assert c.title and c.rationale and c.status in ("covered", "partial", "gap", "not_applicable")
    for kind in {v.kind for v in model.views}:
        assert clause(cov, "fda-premarket", f"view.{kind}").status == "covered"
    assert clause(cov, "cra-annex-ii", "2").status == "partial"  # a web page and a PSIRT address, no policy named
    model.support.vulnerability_disclosure = None
    assert status(model, "cra-annex-ii", "2") == "gap"
    model.support.vulnerability_disclosure = "psirt@example.com; vulnerability disclosure policy: https://example.com/cvd"
    assert status(model, "cra-annex-ii", "2") == "covered"


def test_untreated_threats_are_named_without_a_double_negative() -> None:
    """CRA I.2.a's "no open threats": "none of the 2 threats not open" read as if every threat were treated."""
    from mdptm.model import Threat

    model = Model.empty().model_copy(
        update={
            "threats": [
                Threat(id="T-1", title="Spoofed server", status="open"),
                Threat(id="T-2", title="Forged library", status="open", status_stated=False),
            ]
        }
    )
    text = clause(map_model(model, ["cra-annex-i"]), "cra-annex-i", "I.2.a").rationale
    assert (
        "none of the 2 threats have a status other than open or partially mitigated (T-1, T-2) (the source states no status for T-2)"
        in text
    )
    assert "not open" not in text


def test_a_threat_mitigated_in_part_leaves_a_known_vulnerability() -> None:
    """CRA I.2.a (no known exploitable vulnerability): two risks "In Progress" of ten made the clause partly covered,
    as if mitigating part of a threat closed it."""
    from mdptm.model import Control, Threat

    def i2a(status: str) -> tuple[str, list[str]]:
        model = Model.empty().model_copy(
            update={
                "threats": [Threat(id="T-1", title="Spoofed server", status=status, controls=["C-1"])],
                "controls": [Control(id="C-1", title="Mutual TLS", status="implemented", verification=["TR-1"])],
            }
        )
        found = clause(map_model(model, ["cra-annex-i"]), "cra-annex-i", "I.2.a")
        return found.rationale, found.evidence

    text, evidence = i2a("partially_mitigated")
    assert "the 1 threat does not have a status other than open or partially mitigated (T-1)" in text
    assert "T-1" not in evidence
    _text, evidence = i2a("mitigated")
    assert "T-1" in evidence
