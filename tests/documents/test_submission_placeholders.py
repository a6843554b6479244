"""A placeholder the maker left in the model (``sbom: TBD``) is no fact: the submission set does not count it as
answering FDA Appendix 4 Table 1 or a labelling recommendation, and says what it is instead."""

from __future__ import annotations

import pytest

from mdptm.documents.labeling import answer_labeling
from mdptm.model import Document, Model, Product, Support
from mdptm.model.premarket import MAKER_ADDS, PARTLY, appendix4_index


def _model(sbom: str | None) -> Model:
    return Model(
        product=Product(name="Monitor", manufacturer="Maker"),
        document=Document(version="1.0"),
        support=Support(sbom=sbom),
    )


@pytest.mark.parametrize("sbom", ["TBD", "N/A", "  to be defined  "])
def test_a_placeholder_sbom_leaves_the_index_row_to_the_maker(sbom: str) -> None:
    row = next(r for r in appendix4_index(_model(sbom), set()) if r.row.id == "sbom")
    assert row.status == MAKER_ADDS
    assert row.facts_missing == ["support.sbom"]


def test_a_stated_sbom_still_counts() -> None:
    row = next(r for r in appendix4_index(_model("CycloneDX 1.5 on the customer portal"), set()) if r.row.id == "sbom")
    assert row.status == PARTLY and row.facts_missing == []


def test_a_placeholder_sbom_is_no_labelling_answer_and_says_what_it_reads() -> None:
    answer = next(a for a in answer_labeling(_model("TBD")) if a.item.number == 5)
    assert answer.status == "missing"
    assert answer.answer == "" and answer.where == []
    assert answer.missing == ["SBOM reference (support.sbom reads 'TBD', a placeholder)"]


def test_the_cra_document_flags_a_placeholder_support_fact() -> None:
    from mdptm.documents.submission import cra_doc
    from mdptm.documents.submission._shared import GAP_FILL
    from mdptm.plugins import ExportContext
    from mdptm.render.docir import Table

    doc = cra_doc(_model("TBD"), ExportContext())
    table = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Vulnerability handling")
    r = next(i for i, row in enumerate(table.rows) if row[0] == "SBOM")
    assert table.rows[r][1] == "TBD (a placeholder: not stated)"
    assert table.fills[(r, 1)] == GAP_FILL


def test_a_placeholder_rationale_does_not_make_a_residual_risk_acceptable() -> None:
    from mdptm.documents.submission import risk_doc
    from mdptm.documents.submission._shared import GAP_FILL
    from mdptm.model import Risk, Threat
    from mdptm.model.premarket import NOT_ACCEPTABLE, acceptability
    from mdptm.plugins import ExportContext
    from mdptm.render.docir import Table

    model = _model(None)
    model.risk_management.acceptable_levels = ["low"]
    model.risk_management.justify_levels = ["medium"]
    model.threats = [Threat(id="T-1", title="Replayed order", status="accepted", residual_risk=Risk(level="medium"), rationale="TBD")]
    verdict = acceptability(model, model.threats[0])
    assert verdict.verdict == NOT_ACCEPTABLE
    assert "'TBD'" in verdict.why
    doc = risk_doc(model, ExportContext())
    accepted = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Accepted threats")
    assert accepted.fills.get((0, 6)) == GAP_FILL
    assert accepted.rows[0][6] == "TBD (a placeholder: not stated)"


def test_architecture_views_flag_placeholder_flow_and_asset_facts() -> None:
    from mdptm.documents.submission import architecture_doc
    from mdptm.documents.submission._shared import GAP_FILL, WARN_FILL
    from mdptm.model import Asset, Element, Flow
    from mdptm.plugins import ExportContext
    from mdptm.render.docir import Table

    model = _model(None)
    model.elements = [Element(id="E-1", name="Pump", kind="device"), Element(id="E-2", name="Server", kind="software")]
    model.flows = [
        Flow(id="F-1", name="Orders", source="E-2", target="E-1", protocol="TBD", port="TBD", authentication="TBD", encryption="none"),
    ]
    model.assets = [Asset(id="A-1", name="Firmware", kind="firmware", stored_in=["E-1"], disposal="N/A")]
    doc = architecture_doc(model, ExportContext())
    flows = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Data flows — Global System View")
    assert flows.rows[0][3] == "TBD / TBD (placeholders: not stated)"
    assert flows.rows[0][5] == "TBD (a placeholder: not stated)"
    assert flows.rows[0][6] == "none"  # "none" says there is none: a gap, not a placeholder
    assert flows.fills[(0, 3)] == WARN_FILL and flows.fills[(0, 5)] == WARN_FILL and flows.fills[(0, 6)] == GAP_FILL
    assets = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Assets — Global System View")
    assert assets.rows[0][5] == "N/A (a placeholder: not stated)"
    assert assets.fills[(0, 5)] == WARN_FILL


@pytest.mark.parametrize(
    ("authentication", "encryption", "auth_fill", "enc_fill", "enc_shown"),
    [
        # the patient monitor's F-01: the first clause says there is none, the rest why; no placeholder
        ("none", "none (proprietary binary protocol)", "gap", "gap", "none (proprietary binary protocol)"),
        ("No - shared account", "No encryption", "gap", "gap", "No encryption"),
        ("Mutual TLS", "not encrypted", None, "gap", "not encrypted"),
        ("Mutual TLS", "TLS (planned)", None, "gap", "TLS (planned)"),
        ("Mutual TLS", "TLS 1.3", None, None, "TLS 1.3"),
        ("Mutual TLS", "TBD", None, "warn", "TBD (a placeholder: not stated)"),
    ],
)
def test_a_flow_said_to_have_no_protection_is_a_gap_not_a_placeholder(
    authentication: str, encryption: str, auth_fill: str | None, enc_fill: str | None, enc_shown: str
) -> None:
    from mdptm.documents.submission import architecture_doc
    from mdptm.documents.submission._shared import GAP_FILL, WARN_FILL
    from mdptm.model import Element, Flow
    from mdptm.plugins import ExportContext
    from mdptm.render.docir import Table

    model = _model(None)
    model.elements = [Element(id="E-1", name="Monitor", kind="device"), Element(id="E-2", name="Central station", kind="software")]
    model.flows = [Flow(id="F-1", name="Waveforms", source="E-1", target="E-2", authentication=authentication, encryption=encryption)]
    doc = architecture_doc(model, ExportContext())
    flows = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Data flows — Global System View")
    fill = {"gap": GAP_FILL, "warn": WARN_FILL, None: None}
    assert flows.rows[0][5] == authentication and flows.fills.get((0, 5)) == fill[auth_fill]
    assert flows.rows[0][6] == enc_shown and flows.fills.get((0, 6)) == fill[enc_fill]


def test_an_asset_kind_that_is_an_acronym_is_written_as_one() -> None:
    from mdptm.documents.submission import architecture_doc
    from mdptm.model import Asset, Element
    from mdptm.plugins import ExportContext
    from mdptm.render.docir import Table

    model = _model(None)
    model.elements = [Element(id="E-1", name="Monitor", kind="device")]
    model.assets = [
        Asset(id="A-1", name="Vital signs", kind="phi", stored_in=["E-1"]),
        Asset(id="A-2", name="Names", kind="pii", stored_in=["E-1"]),
    ]
    doc = architecture_doc(model, ExportContext())
    assets = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Assets — Global System View")
    assert [row[2] for row in assets.rows] == ["PHI", "PII"]  # "Phi" and "Pii" before


def test_a_placeholder_anomaly_rationale_and_fix_are_gaps() -> None:
    from mdptm.documents.submission import lifecycle_doc
    from mdptm.documents.submission._shared import GAP_FILL, WARN_FILL
    from mdptm.model import Anomaly
    from mdptm.plugins import ExportContext
    from mdptm.render.docir import Table

    model = _model(None)
    model.risk_management.anomalies = [
        Anomaly(id="AN-1", title="Session not ended", cwe=["CWE-613"], impact="TBD", rationale="N/A", fix="TBD")
    ]
    doc = lifecycle_doc(model, ExportContext())
    listing = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Unresolved anomalies")
    assert listing.rows[0][5] == "TBD (a placeholder: not stated)" and listing.fills[(0, 5)] == WARN_FILL
    detail = next(b for b in doc.blocks if isinstance(b, Table) and b.rows and b.rows[0][0] == "CWE")
    said = {row[0]: (row[1], detail.fills.get((r, 1))) for r, row in enumerate(detail.rows)}
    assert said["Security impact"] == ("TBD (a placeholder: not stated)", GAP_FILL)
    assert said["Why it may ship unresolved"] == ("N/A (a placeholder: not stated)", GAP_FILL)


def test_a_placeholder_appendix_2_fact_is_not_stated() -> None:
    from mdptm.documents.submission import architecture_doc
    from mdptm.documents.submission._shared import GAP_FILL
    from mdptm.model import Element
    from mdptm.model.premarket import missing_detail
    from mdptm.plugins import ExportContext
    from mdptm.render.docir import Table

    model = _model(None)
    pump = Element(id="E-1", name="Pump", kind="device", dormant_interfaces=["TBD"], sessions="Sessions end after 15 min")
    model.elements = [pump]
    assert "Dormant and debug interfaces" in missing_detail(pump)
    doc = architecture_doc(model, ExportContext())
    table = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Appendix 2 detail — Global System View")
    assert table.rows[0][1] == "TBD (a placeholder: not stated)" and table.fills[(0, 1)] == GAP_FILL
    assert table.rows[0][3] == "Sessions end after 15 min" and (0, 3) not in table.fills


def test_a_row_partly_in_the_set_names_the_files_that_show_it() -> None:
    # a stated SBOM reference is shown by the CRA document and the labelling checklist: "partly in this set"
    # pointed nowhere ("Where: —") before
    from mdptm.documents.submission import FILES

    model = _model("CycloneDX 1.5 on the customer portal")
    model.support.patch_policy = "Security fixes within 60 days."
    rows = {r.row.id: r for r in appendix4_index(model, set(FILES))}
    for row_id in ("sbom", "management_plans"):
        assert rows[row_id].status == PARTLY
        assert rows[row_id].files


def test_a_labelling_answer_says_which_matching_items_lack_the_field_asked_for() -> None:
    # "How each sensitive asset is disposed of: A-VITALS Live vital signs" read as if the asset said how
    from mdptm.model import Asset, Element, Flow

    model = _model(None)
    model.elements = [Element(id="E-1", name="Monitor", kind="device"), Element(id="E-2", name="Station", kind="software")]
    model.flows = [Flow(id="F-1", name="Vitals", source="E-1", target="E-2", protocol="TCP")]
    model.assets = [
        Asset(id="A-1", name="Vital signs", kind="phi"),
        Asset(id="A-2", name="Keys", kind="cryptographic_key", disposal="Zeroised on reset"),
    ]
    answers = {a.item.number: a for a in answer_labeling(model)}
    assert "A-1 Vital signs (disposal not stated)" in answers[14].answer
    assert "A-2 Keys (disposal: Zeroised on reset)" in answers[14].answer
    assert "F-1 (Vitals): Monitor → Station, TCP (port not stated)" in answers[3].answer


def test_a_recommendation_the_mapping_does_not_count_says_why_under_missing() -> None:
    # the checklist found an answer, the mapping counted none: the row read 'missing' with nothing under Missing
    from mdptm.documents.labeling import agree_with_mapping
    from mdptm.model.results import ClauseResult, FrameworkResult

    model = _model("Available on request")
    own = next(a for a in answer_labeling(model) if a.item.number == 5)
    assert own.status == "answered" and own.missing == []
    fw = FrameworkResult(id="fda-premarket", title="FDA", clauses=[ClauseResult(id=own.item.id, title="SBOM", status="gap")])
    agreed = next(a for a in agree_with_mapping([own], fw))
    assert agreed.status == "missing"
    assert agreed.missing == ["What the model states here is not counted by the fda-premarket mapping (see its verdict)"]
