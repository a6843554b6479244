"""``labeling-checklist.xlsx``: each FDA labelling recommendation answered from the model, beside the mapping's verdict."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from openpyxl import Workbook

from mdptm.documents.labeling import LABEL_STATUSES, LabelingAnswer, agree_with_mapping, answer_labeling
from mdptm.documents.submission._shared import LABEL_FILLS, _words, vocabulary
from mdptm.documents.submission._workbook import Sheet, _save_workbook
from mdptm.model import Model
from mdptm.model.results import FrameworkResult
from mdptm.plugins import ExportContext

# ------------------------------------------------------------------------ labeling-checklist.xlsx

FDA_FRAMEWORK = "fda-premarket"


def _mapping_verdict(answer: LabelingAnswer, fw: FrameworkResult | None) -> str:
    if fw is None:
        return "mapping not run"
    clause = next((c for c in fw.clauses if c.id == answer.item.id), None)
    if clause is None:
        return "not in the mapping"
    return f"{_words(clause.status)}" + (f": {clause.rationale}" if clause.rationale else "")


def write_labeling(model: Model, path: Path, ctx: ExportContext) -> list[LabelingAnswer]:
    fw = ctx.coverage.framework(FDA_FRAMEWORK) if ctx.coverage is not None else None
    answers = agree_with_mapping(answer_labeling(model), fw)
    data: list[list[object]] = []
    fills: dict[tuple[int, int], str] = {}
    for r, a in enumerate(answers):
        data.append(
            [
                a.item.number,
                a.item.title,
                a.item.asks,
                a.status,
                a.answer or "—",
                "\n".join(a.where) or "—",
                "\n".join(a.missing) or "—",
                _mapping_verdict(a, fw),
                a.item.citation,
            ]
        )
        fills[(r, 3)] = LABEL_FILLS[a.status]
        if a.missing:
            fills[(r, 6)] = LABEL_FILLS["missing" if a.status == "missing" else "partial"]
    note = (
        "Each FDA labelling recommendation answered from the threat model, or marked missing. The numbering follows the "
        "order of the guidance's bullets (they are unnumbered there). " + vocabulary().citations["labeling"]
    )
    checklist = Sheet(
        "Labeling checklist",
        "FDA labeling recommendations",
        note,
        [
            "#",
            "Recommendation",
            "What FDA asks",
            "Status",
            "Answer from the model",
            "Where in the model",
            "Missing",
            "Mapping verdict (fda-premarket)",
            "Citation",
        ],
        data,
        [5, 30, 48, 11, 60, 28, 40, 30, 30],
        fills,
    )
    counts = Counter(a.status for a in answers)
    summary_rows: list[list[object]] = [
        [_words(s), counts[s], ", ".join(str(a.item.number) for a in answers if a.status == s) or "—"] for s in LABEL_STATUSES
    ]
    summary_rows.append(["Total", len(answers), ""])
    summary = Sheet(
        "Summary",
        "Labeling checklist summary",
        "How many labelling recommendations the model answers.",
        ["Status", "Recommendations", "Numbers"],
        summary_rows,
        [16, 18, 40],
        {(i, 0): LABEL_FILLS[s] for i, s in enumerate(LABEL_STATUSES)},
        freeze_columns=0,
    )
    _save_workbook(Workbook(), [checklist, summary], model, path, ctx, "FDA labeling checklist")
    return answers
