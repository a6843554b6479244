"""Write one artefact through the exporter plug-ins (``mdptm export``)."""

from __future__ import annotations

from pathlib import Path

from mdptm.errors import UsageError
from mdptm.model import Model
from mdptm.output import normalize_zip, source_date_epoch, staged_file
from mdptm.plugins import ExportContext, exporters


def export_one(model: Model, fmt: str, output: Path, ctx: ExportContext | None = None) -> list[str]:
    """Write *model* as *fmt*; returns warnings (characters XML cannot hold that were removed)."""
    from mdptm.xmlchars import describe, strip_forbidden

    available = exporters()
    if fmt not in available:
        raise UsageError(f"unknown export format {fmt!r} (installed: {', '.join(sorted(available))})")
    ctx = ctx or ExportContext(epoch=source_date_epoch(model.document.date))
    exp = available[fmt]
    warnings = describe(strip_forbidden(model))
    with staged_file(output) as tmp:
        exp.write(model, tmp, ctx)
        if _is_zip(tmp):
            normalize_zip(tmp, ctx.epoch)
    return warnings


def _is_zip(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(4) == b"PK\x03\x04"


def not_public(model: Model) -> list[str]:
    """Why *model* is not a public model (empty when it is): items marked internal or above, or
    internal notes, which only redaction takes out."""
    out = []
    marked = [item.id for _, item in model.items() if item.sensitivity in ("internal", "confidential", "trade_secret")]
    if marked:
        out.append(f"{len(marked)} items marked internal, confidential or trade secret, e.g. {marked[0]}")
    noted = [item.id for _, item in model.items() if item.notes or item.extra]
    if noted:
        out.append(f"{len(noted)} items carry internal notes or unmapped source data, e.g. {noted[0]}")
    return out
