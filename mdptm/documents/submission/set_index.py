"""``submission-index.docx``: FDA Appendix 4 Table 1 row by row, each document in the set, the maker's or missing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from mdptm.documents.submission._shared import GAP_FILL, OK_FILL, WARN_FILL, _cite, _new_doc
from mdptm.documents.submission._tables import _fit_id_columns
from mdptm.model import Model
from mdptm.model.premarket import IN_SET, MAKER_ADDS, MAKER_DOC, PARTLY, appendix4_index, fact_parts
from mdptm.plugins import ExportContext
from mdptm.render.docir import Doc

INDEX_FILLS = {IN_SET: OK_FILL, MAKER_DOC: OK_FILL, PARTLY: WARN_FILL, MAKER_ADDS: GAP_FILL}


# --------------------------------------------------------------------------- submission-index.docx


def _fields_text(paths: Sequence[str]) -> str:
    """``risk_management.method``, ``risk_management.acceptance`` → ``risk_management: method, acceptance``;
    ``views[kind=multi_patient_harm]`` → ``views of kind: multi_patient_harm``."""
    groups: dict[str, list[str]] = {}
    for path in paths:
        head, tail = fact_parts(path)
        groups.setdefault(head, []).append(tail)
    return "; ".join(f"{head}: {', '.join(tails)}" if head else ", ".join(tails) for head, tails in groups.items())


def index_doc(model: Model, ctx: ExportContext, written: set[str]) -> Doc:
    """``submission-index.docx``: FDA Appendix 4 Table 1 row by row, answered here or left to the maker."""
    doc = _new_doc("Premarket cybersecurity documentation index", model, ctx, "Documentation index")
    doc.p(
        _cite("index") + ". Each recommended document is answered by files of this set, by the device maker's own "
        "document the project file names, or marked for the maker to add."
    )
    rows_ = appendix4_index(model, written)
    counts = Counter(r.status for r in rows_)
    doc.p(
        ", ".join(f"{counts[s]} {s}" for s in (IN_SET, MAKER_DOC, PARTLY, MAKER_ADDS) if counts[s]) + ".",
        bold_prefix=f"{len(rows_)} documents:",
    )
    rows, fills = [], {}
    for r, row in enumerate(rows_):
        where = "; ".join(row.files)
        if row.maker_document:
            where = (where + "; " if where else "") + f"maker's document: {row.maker_document}"
        todo = []
        if row.facts_missing:
            todo.append("state in the model: " + _fields_text(row.facts_missing))
        if row.row.maker_adds and not row.maker_document:
            todo.append(row.row.maker_adds)
        rows.append([row.row.title, row.row.section, row.status, where or "—", "; ".join(todo) or "—"])
        fills[(r, 2)] = INDEX_FILLS[row.status]
        if todo:
            fills[(r, 4)] = GAP_FILL if row.status == MAKER_ADDS else WARN_FILL
    doc.table(
        ["Recommended documentation", "Guidance", "Status", "Where", "To add"],
        rows,
        caption="FDA Appendix 4 Table 1: recommended premarket submission documentation",
        widths=[2.4, 0.9, 1.3, 3.4, 2.6],
        fills=fills,
    )
    doc.h("What each row asks for", 1)
    for row in rows_:
        doc.p(row.row.asks, bold_prefix=f"{row.row.title} ({row.row.section}):")
    return _fit_id_columns(doc)
