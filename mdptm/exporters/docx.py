"""``ptm.docx``: the public threat model as a Word document on the branding template."""

from __future__ import annotations

import tempfile
from pathlib import Path

from mdptm.model import Model
from mdptm.plugins import ExportContext, Exporter


def write_docx(model: Model, path: Path, ctx: ExportContext) -> None:
    """Build the PTM content and render it on ``ctx.template`` (the shipped template by default)."""
    from mdptm.documents.ptm import build_ptm_doc
    from mdptm.render.docx import render_docx

    with tempfile.TemporaryDirectory(prefix="mdptm-docx-") as work:
        doc = build_ptm_doc(model, ctx, Path(work), layout="grouped")
        render_docx(doc, path, template=ctx.template, epoch=ctx.epoch)


class DocxExporter(Exporter):
    name = "docx"
    suffix = ".docx"

    def write(self, model: Model, path: Path, ctx: ExportContext) -> None:
        write_docx(model, path, ctx)
