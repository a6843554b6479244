"""Publishing the PTM package (SPEC §7): every file of ``OUT/`` written together, then hashed.

The package is built in a staged folder and moved into place only when complete, so a failure
leaves no half-written package and an existing one untouched. Pictures are drawn once and shared
by the Word and HTML forms.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from mdptm.base.output import json_text, staged_dir, write_manifest
from mdptm.base.parallel import background
from mdptm.documents.ptm import build_ptm_docs
from mdptm.errors import BlockingError
from mdptm.exporters.docx import write_docx
from mdptm.exporters.html import write_html
from mdptm.exporters.otm import OtmExporter, write_otm
from mdptm.exporters.xlsx import write_xlsx
from mdptm.model import COLLECTIONS, Model
from mdptm.model.io import model_to_data
from mdptm.plugins import ExportContext, exporters
from mdptm.review.engine import publish_blockers

PARALLEL_ITEMS = 2000  # model items from which writing the package in two processes pays off
R = TypeVar("R")

PACKAGE_FILES = ("ptm.docx", "ptm.xlsx", "ptm.json", "ptm.otm.json", "index.html", "MANIFEST.json")


@dataclass
class PublishResult:
    out: Path
    files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


_INTERNAL_KEYS = ("source", "notes", "extra")


def public_data(model: Model) -> dict[str, object]:
    """The model as data without the fields that are never published (SPEC §2): provenance,
    internal notes and unmapped source data. The pipeline strips them already; publishing does it
    again so that a model published as is cannot leak them."""
    data = model_to_data(model)
    for attr, _ in COLLECTIONS:
        for item in data.get(attr) or []:
            if attr == "flows":
                item["provenance"] = None  # on a flow, ``source`` is its source element
                item["notes"], item["extra"] = None, {}
            else:
                item["source"], item["notes"], item["extra"] = None, None, {}
    return data


def _stripped(model: Model) -> bool:
    """Whether *model* already holds nothing :func:`public_data` removes (the pipeline's public model
    does), so exporters can read it as is rather than a re-validated copy of its data."""
    for attr, _ in COLLECTIONS:
        for item in getattr(model, attr):
            src = item.provenance if attr == "flows" else item.source
            if src is not None or item.notes is not None or item.extra:
                return False
    return True


def _own_otm(model: Model) -> bool:
    """Whether ``ptm.otm.json`` is mdptm's own OTM writer's, embedding the data ``ptm.json`` was written
    from (the model is stripped already); otherwise another exporter writes it with the whole context."""
    return type(exporters().get("otm")) is OtmExporter and _stripped(model)


def write_package(model: Model, folder: Path, ctx: ExportContext) -> list[str]:
    """Write every package file except the manifest into *folder*; returns their names.

    The documents are rendered from *model* as given (renderers read only published fields);
    ``ptm.json`` and ``ptm.otm.json`` come from :func:`public_data`.

    ``ptm.otm.json`` is written when an ``otm`` exporter is installed. The hospital lifecycle
    guides go to ``guides/``. Callers then call :func:`mdptm.base.output.write_manifest`.
    """
    return write_package_checked(model, folder, ctx, lambda _names: None)[0]


def write_package_checked(model: Model, folder: Path, ctx: ExportContext, check: Callable[[list[str]], R]) -> tuple[list[str], list[R]]:
    """:func:`write_package`, and ``check(names)`` called on the files each writing process wrote, in
    that process, as soon as it has written them (the build's leak scan: see
    :class:`mdptm.redaction.leakscan.PackageScan`). Returns the names and each ``check`` result; a
    result from the forked process must pickle."""
    # a large package is written by two processes (see mdptm.base.parallel), each about half of the
    # work with its share of the leak scan (measured on a 10 000-threat register); the files are the same
    with background(lambda _inbox: data_files(model, folder, lambda: ctx, check), parallel=is_large(model)) as pending:
        docs = document_files(model, folder, ctx, check)
        data = pending.result()
    return package_names(docs[0] + data[0]), [docs[1], data[1]]


def is_large(model: Model) -> bool:
    """Whether writing *model*'s package in two processes pays off."""
    return sum(len(getattr(model, attr)) for attr, _ in COLLECTIONS) >= PARALLEL_ITEMS


_ORDER = ("ptm.docx", "ptm.xlsx", "index.html", "ptm.json", "ptm.otm.json")


def package_names(names: list[str]) -> list[str]:
    """The names both halves wrote, in the package's order: the main files, then the guides."""
    return sorted(names, key=lambda n: _ORDER.index(n) if n in _ORDER else len(_ORDER))  # stable: guides as written


def data_files(model: Model, folder: Path, context: Callable[[], ExportContext], check: Callable[[list[str]], R]) -> tuple[list[str], R]:
    """The model as JSON and OTM (mdptm's own OTM writer), which need nothing but the model; then,
    with the context *context* returns (the coverage, the review), the register workbook and the
    hospital guides. A build starts this before its mapping and review are done and hands their
    results over when they are (:meth:`mdptm.base.parallel.Pending.send`)."""
    data = public_data(model)
    # the same bytes as mdptm.model.io.dumps of the stripped model
    (folder / "ptm.json").write_text(json_text(data), encoding="utf-8", newline="\n")
    out: list[str] = ["ptm.json"]
    if _own_otm(model):
        write_otm(model, folder / "ptm.otm.json", data=data)  # mdptm's own writer embeds the data just written
        out.append("ptm.otm.json")
    del data
    from mdptm.documents.guides import build_guides, write_guides

    ctx = context()
    write_xlsx(model, folder / "ptm.xlsx", ctx)
    out.append("ptm.xlsx")
    guides = write_guides(folder, build_guides(model, ctx.coverage, ctx.review), ctx)
    out += [p.relative_to(folder).as_posix() for p in guides]
    return out, check(out)


def document_files(model: Model, folder: Path, ctx: ExportContext, check: Callable[[list[str]], R]) -> tuple[list[str], R]:
    """The customer document and the web page, which share their pictures, and ``ptm.otm.json`` when
    another OTM exporter is installed (it may read anything in *ctx*)."""
    with tempfile.TemporaryDirectory(prefix="mdptm-pictures-") as work:
        word, web = build_ptm_docs(model, ctx, Path(work))
        write_docx(model, folder / "ptm.docx", ctx, doc=word)
        del word  # each document is dropped as soon as it is written: they never pile up
        write_html(web, folder / "index.html")
    names = ["ptm.docx", "index.html"]
    otm = exporters().get("otm")
    if otm is not None and not _own_otm(model):
        otm.write(model if _stripped(model) else Model.model_validate(public_data(model)), folder / "ptm.otm.json", ctx)
        names.append("ptm.otm.json")
    return names, check(names)


def publish(model: Model, out: Path, ctx: ExportContext) -> PublishResult:
    """Write the PTM package to *out*: ptm.docx, ptm.xlsx, ptm.json, ptm.otm.json (when the
    ``otm`` exporter is installed), index.html and MANIFEST.json with true hashes.

    Raises :class:`BlockingError` while :func:`publish_blockers` finds any, unless ``ctx.draft``.
    """
    reasons = publish_blockers(model, ctx)
    if reasons and not ctx.draft:
        raise BlockingError("not published: " + "; ".join(reasons) + " (use --draft for a review copy)")
    result = PublishResult(out=out)
    if "otm" not in exporters():
        result.warnings.append("no 'otm' exporter is installed: ptm.otm.json was not written")
    with staged_dir(out) as tmp:
        result.files = write_package(model, tmp, ctx)
        model_sha = hashlib.sha256((tmp / "ptm.json").read_bytes()).hexdigest()
        write_manifest(tmp, {"model_sha256": model_sha})
        result.files.append("MANIFEST.json")
    return result
