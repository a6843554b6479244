"""The submission audience (SPEC §7): the confidential documentation set for regulators.

The same model that feeds the public PTM holds what the FDA premarket cybersecurity section and the
CRA technical file ask for. This module writes that set, unredacted, into ``OUT/submission/``:
the architecture views, the risk assessment, the threat → control → evidence traceability, the FDA
labelling checklist and the CRA Annex I applicability, plus a manifest. Every page says
CONFIDENTIAL; nothing here is ever placed inside a public package.

One module per artefact of the set (``views``, ``risk``, ``cra``, ``lifecycle``, ``set_index``,
``traceability``, ``checklist``), the FDA premarket sections the documents share (``premarket``) and
the shared helpers (``_shared``, ``_tables``, ``_workbook``). Word documents are assembled as
:mod:`mdptm.render.docir` blocks and rendered by :mod:`mdptm.render.docx`; the two workbooks are
written with openpyxl. This module writes the whole set and re-exports what callers name.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from mdptm.base.output import staged_dir, write_manifest
from mdptm.documents.submission._shared import CONFIDENTIAL, MAX_IMAGE_CM, PUBLIC_PACKAGE_FILES, Index, risk_text, vocabulary
from mdptm.documents.submission.checklist import FDA_FRAMEWORK, write_labeling
from mdptm.documents.submission.cra import CRA_FRAMEWORK, cra_doc
from mdptm.documents.submission.lifecycle import lifecycle_doc
from mdptm.documents.submission.risk import risk_doc
from mdptm.documents.submission.set_index import index_doc
from mdptm.documents.submission.traceability import TraceRow, trace_rows, write_traceability
from mdptm.documents.submission.views import ViewScope, architecture_doc, architecture_scopes, view_scope
from mdptm.errors import BlockingError, InputError
from mdptm.model import VIEW_KINDS, Model
from mdptm.model.io import dumps
from mdptm.model.premarket import (  # the set's file names: review checks name them too
    ARCHITECTURE,
    CRA,
    FILES,
    INDEX,
    LABELING,
    LIFECYCLE,
    RISK,
    SUBMISSION_DIR,
    TRACEABILITY,
)
from mdptm.model.results import Coverage
from mdptm.plugins import Audience, ExportContext
from mdptm.render.docir import Doc, Image
from mdptm.review.engine import publish_blockers

__all__ = [
    "ARCHITECTURE",
    "CONFIDENTIAL",
    "CRA",
    "FILES",
    "INDEX",
    "LABELING",
    "LIFECYCLE",
    "PUBLIC_PACKAGE_FILES",
    "RISK",
    "SUBMISSION_DIR",
    "TRACEABILITY",
    "Index",
    "TraceRow",
    "ViewScope",
    "architecture_doc",
    "architecture_scopes",
    "cra_doc",
    "index_doc",
    "lifecycle_doc",
    "publish_submission",
    "risk_doc",
    "risk_text",
    "trace_rows",
    "view_scope",
    "vocabulary",
    "write_labeling",
    "write_submission",
    "write_traceability",
]


# ------------------------------------------------------------------------------------ writing


def _model_sha(model: Model) -> str:
    return hashlib.sha256(dumps(model, "json").encode("utf-8")).hexdigest()


def _draw_diagrams(model: Model, scopes: dict[str, list[ViewScope]], folder: Path) -> dict[str, Image]:
    """PNG diagrams of every view, drawn from the model as for the public PTM, at their natural size."""
    from mdptm.render.diagrams import png_size_cm, view_diagram

    out: dict[str, Image] = {}
    for n, scope in enumerate(s for kind in VIEW_KINDS for s in scopes.get(kind, [])):
        view = scope.view
        if scope.derived:  # draw exactly what the derived tables list
            view = view.model_copy(update={"elements": [e.id for e in scope.elements], "flows": [f.id for f in scope.flows], "threats": []})
        drawn = view_diagram(model, folder / f"view-{n:03d}.png", view)
        if drawn is not None:
            out[scope.view.id] = Image(drawn, width_cm=min(MAX_IMAGE_CM, png_size_cm(drawn)[0]))
    return out


def _render(doc: Doc, path: Path, ctx: ExportContext) -> None:
    """Word output on the user's branding template, with pinned properties and zip timestamps."""
    from mdptm.render.docx import render_docx

    render_docx(doc, path, template=ctx.template, epoch=ctx.epoch)


def write_submission(model: Model, folder: Path, ctx: ExportContext) -> list[Path]:
    """Write the submission documents (FILES) and MANIFEST.json into *folder* (which must exist).

    *model* is the unredacted model: nothing is dropped or scrubbed, every page is marked
    confidential. Returns the files written, manifest last.
    """
    import tempfile

    from mdptm.render.diagrams import png_size_cm, risk_heat_map

    ctx = replace(ctx, audience=Audience.SUBMISSION)
    scopes = architecture_scopes(model)
    with tempfile.TemporaryDirectory(prefix="mdptm-submission-") as tmp:
        work = Path(tmp)
        diagrams = _draw_diagrams(model, scopes, work)
        heat_png = risk_heat_map(model.threats, work / "risk-heat-map.png")
        heat = Image(heat_png, width_cm=min(MAX_IMAGE_CM, png_size_cm(heat_png)[0])) if heat_png is not None else None
        _render(architecture_doc(model, ctx, diagrams, scopes), folder / ARCHITECTURE, ctx)
        _render(risk_doc(model, ctx, heat), folder / RISK, ctx)
        _render(cra_doc(model, ctx), folder / CRA, ctx)
        _render(lifecycle_doc(model, ctx), folder / LIFECYCLE, ctx)
        _render(index_doc(model, ctx, set(FILES)), folder / INDEX, ctx)
    write_traceability(model, folder / TRACEABILITY, ctx)
    write_labeling(model, folder / LABELING, ctx)
    manifest = write_manifest(folder, {"audience": Audience.SUBMISSION.value, "confidential": True, "model_sha256": _model_sha(model)})
    return [*(folder / name for name in FILES), manifest]


def _refuse_public_package(out: Path) -> None:
    """The submission set never goes inside a public package (SPEC §7)."""
    if not out.is_dir():
        return
    found = [name for name in PUBLIC_PACKAGE_FILES if (out / name).exists()]
    if found:
        raise InputError(
            f"holds a public PTM package ({', '.join(found)}); the confidential submission set is never written "
            "inside one — choose another output folder",
            file=str(out),
        )


def publish_submission(model: Model | Path, out: Path, ctx: ExportContext | None = None) -> Path:
    """Write ``OUT/submission/`` from the unredacted *model* (a model or a model file); returns that folder.

    The folder is staged and moved into place only when complete. When *ctx* lacks the CRA Annex I
    or FDA premarket coverage (a project may list other frameworks), those mappings are run so the
    CRA document and the labelling checklist can show their verdicts. Placeholders left by import block it unless ``ctx.draft``;
    review findings do not: the open threats and gaps are what this set shows the regulatory team.
    """
    from mdptm.base.output import source_date_epoch
    from mdptm.model.io import load

    if isinstance(model, Path):
        model = load(model)
    ctx = ctx or ExportContext(epoch=source_date_epoch(model.document.date))
    placeholders = publish_blockers(model, ExportContext())  # review findings do not hold back the regulatory set
    if placeholders and not ctx.draft:
        raise BlockingError("submission set not written: " + "; ".join(placeholders) + " (use --draft for a review copy)")
    ctx = replace(ctx, coverage=_with_frameworks(model, ctx.coverage))
    _refuse_public_package(out)
    target = out / SUBMISSION_DIR
    with staged_dir(target) as tmp:
        write_submission(model, tmp, ctx)
    return target


def _with_frameworks(model: Model, coverage: Coverage | None) -> Coverage:
    """*coverage* plus the CRA Annex I and FDA premarket mappings the set needs, run if missing."""
    from mdptm.mapping.engine import map_model

    have = coverage.frameworks if coverage is not None else []
    missing = [fid for fid in (CRA_FRAMEWORK, FDA_FRAMEWORK) if not any(f.id == fid for f in have)]
    if not missing:
        return coverage or Coverage()
    return Coverage(frameworks=[*have, *map_model(model, missing).frameworks])
