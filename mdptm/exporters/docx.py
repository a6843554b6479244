"""``ptm.docx``: the public threat model as a Word document on the branding template.

:func:`write_docx` is the one writer of ``ptm.docx``, whichever command asks for it: ``mdptm export
--format docx`` builds the document here; the package (:func:`mdptm.pipeline.publish.write_package`)
hands in the one it built together with its HTML twin, so both share their pictures.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from mdptm.model import Model
from mdptm.plugins import ExportContext, Exporter

if TYPE_CHECKING:
    from mdptm.render.docir import Doc


def write_docx(model: Model, path: Path, ctx: ExportContext, *, doc: Doc | None = None) -> None:
    """Render the PTM (*doc*, else built here from *model*) on ``ctx.template`` (the shipped template
    by default), stamped with ``ctx.epoch``."""
    from mdptm.render.docx import render_docx

    if doc is not None:
        render_docx(doc, path, template=ctx.template, epoch=ctx.epoch)
        return
    from mdptm.documents.ptm import build_ptm_doc

    with tempfile.TemporaryDirectory(prefix="mdptm-docx-") as work:
        render_docx(build_ptm_doc(model, ctx, Path(work), layout="grouped"), path, template=ctx.template, epoch=ctx.epoch)


class DocxExporter(Exporter):
    name = "docx"
    suffix = ".docx"

    def write(self, model: Model, path: Path, ctx: ExportContext) -> None:
        write_docx(model, path, ctx)
