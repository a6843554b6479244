"""Write one artefact through the exporter plug-ins (``mdptm export``)."""

from __future__ import annotations

from pathlib import Path

from mdptm.errors import UsageError
from mdptm.model import Model
from mdptm.output import normalize_zip, source_date_epoch, staged_file
from mdptm.plugins import ExportContext, exporters


def export_one(model: Model, fmt: str, output: Path, ctx: ExportContext | None = None) -> None:
    available = exporters()
    if fmt not in available:
        raise UsageError(f"unknown export format {fmt!r} (installed: {', '.join(sorted(available))})")
    ctx = ctx or ExportContext(epoch=source_date_epoch(model.document.date))
    exp = available[fmt]
    with staged_file(output) as tmp:
        exp.write(model, tmp, ctx)
        if _is_zip(tmp):
            normalize_zip(tmp, ctx.epoch)


def _is_zip(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(4) == b"PK\x03\x04"
