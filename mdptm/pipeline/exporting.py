"""Write one artefact through the exporter plug-ins (``mdptm export``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from mdptm.base.office import rewrite_zip
from mdptm.base.output import source_date_epoch, staged_file
from mdptm.errors import UsageError
from mdptm.model import Model
from mdptm.plugins import ExportContext, Exporter, exporters

STDOUT = Path("-")


def resolve_format(fmt: str | None, output: Path, available: dict[str, Exporter] | None = None) -> str:
    """The exporter for *fmt* (any case), or the one whose suffix *output* ends with when that is unambiguous.

    Users type ``--format OTM`` or only ``-o model.otm.json``; both should work, and a name that fits
    several exporters (``.json``: the model or Threat Dragon?) is refused with the candidates named.
    """
    available = exporters() if available is None else available
    names = sorted(available)
    if fmt is not None:
        wanted = fmt.strip().casefold()
        for name in names:
            if name.casefold() == wanted:
                return name
        raise UsageError(f"unknown export format {fmt!r} (installed: {', '.join(names)})")
    if output == STDOUT:
        raise UsageError(f"--format is needed when writing to standard output (installed: {', '.join(names)})")
    if output.is_dir():  # "-o ." names no file, so no format either
        raise UsageError(f"{output}: output path is a folder; name the file to write")
    lower = output.name.casefold()
    if lower.endswith(".yml") and "yaml" in available:
        return "yaml"
    fits = [n for n in names if available[n].suffix and lower.endswith(available[n].suffix.casefold())]
    if not fits:
        raise UsageError(f"cannot tell the format from {output.name!r}; pass --format (installed: {', '.join(names)})")
    longest = max(len(available[n].suffix) for n in fits)
    best = [n for n in fits if len(available[n].suffix) == longest]
    if len(best) > 1:
        raise UsageError(f"{output.name!r} fits several formats ({', '.join(best)}); pass --format")
    return best[0]


def export_one(model: Model, fmt: str | None, output: Path, ctx: ExportContext | None = None) -> list[str]:
    """Write *model* as *fmt* to *output*, staged so a failure leaves nothing half-written; returns warnings
    (characters XML cannot hold that were removed)."""
    from mdptm.redaction.xmlchars import describe, strip_forbidden

    available = exporters()
    name = resolve_format(fmt, output, available)
    ctx = ctx or ExportContext(epoch=source_date_epoch(model.document.date))
    exp = available[name]
    warnings = describe(strip_forbidden(model))
    with staged_file(output) as tmp:
        exp.write(model, tmp, ctx)
        if _is_zip(tmp):
            rewrite_zip(tmp, ctx.epoch)
    return warnings


def export_bytes(model: Model, fmt: str | None, ctx: ExportContext | None = None) -> bytes:
    """The artefact's bytes, for ``-o -``: written to a scratch folder first, exactly as to a file."""
    available = exporters()
    name = resolve_format(fmt, STDOUT, available)
    with tempfile.TemporaryDirectory(prefix="mdptm-export-") as tmpdir:
        target = Path(tmpdir) / ("artefact" + available[name].suffix)
        export_one(model, name, target, ctx)
        return target.read_bytes()


def is_binary(fmt: str) -> bool:
    """Whether the format's bytes are not text (a zip), so they are never sent to a terminal."""
    return exporters()[fmt].suffix.casefold() in (".docx", ".xlsx")


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
