"""Import one or more sources into one model, with the report that accounts for every record."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mdptm.base.data import JSONObject
from mdptm.base.parallel import Inbox, background, can_fork
from mdptm.base.safety import LFS_POINTER, describe_bytes, lfs_pointer
from mdptm.errors import InputError, MdptmError, UsageError
from mdptm.importers.merge import merge_models
from mdptm.model import COLLECTIONS, PLACEHOLDER, Model, provenance
from mdptm.model.io import read_structured
from mdptm.model.report import ImportReport
from mdptm.model.validate import validate_model
from mdptm.plugins import ImportContext, Importer, importers


@dataclass(frozen=True)
class ImportSource:
    """One source to import: the file, its format (None: detected from the file), a profile (the
    parsed profile file, for the table importers) and its priority when sources disagree (a later
    source wins a field only with a strictly higher priority than the one that set it)."""

    path: Path
    format: str | None = None
    profile: JSONObject | None = None
    priority: int = 0


def read_profile(path: Path) -> JSONObject:
    """A profile file (how a workbook's sheets and columns map to the model), parsed; a mapping or an error."""
    data = read_structured(path)
    if not isinstance(data, dict):
        raise InputError("a profile must be a mapping", file=str(path))
    return data


def detect(path: Path, available: dict[str, Importer]) -> Importer:
    """Pick the importer most sure it reads *path*, by extension and first bytes."""
    if path.is_dir():
        raise InputError("is a folder, not a file", file=str(path))
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
    except FileNotFoundError:
        raise InputError("no such file", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from None
    if lfs_pointer(head):
        raise InputError(LFS_POINTER, file=str(path))
    scored = sorted(((imp.sniff(path, head), name) for name, imp in available.items()), reverse=True)
    if not scored or scored[0][0] <= 0:
        suffix = path.suffix.lower()
        meant = sorted(name for name, imp in available.items() if suffix and suffix in imp.extensions)
        if meant:
            raise InputError(
                f"not a valid {suffix} file ({' or '.join(meant)}): it looks like {describe_bytes(head)}",
                file=str(path),
            )
        known = ", ".join(sorted(available))
        looks = describe_bytes(head)  # "a PDF document", "a legacy binary Office file": what to do about it
        said = f"; it looks like {looks}" if looks not in ("plain text", "JSON text", "XML or HTML text") else ""
        raise InputError(f"no importer recognises this file (formats: {known}; use --format){said}", file=str(path))
    return available[scored[0][1]]


def importer_for(path: Path, fmt: str | None = None) -> Importer:
    """The importer named by *fmt*, or the one most sure it reads *path*."""
    available = importers()
    if fmt:
        fmt = next((name for name in available if name.casefold() == fmt.strip().casefold()), fmt)
        if fmt not in available:
            raise UsageError(f"unknown format {fmt!r} (installed: {', '.join(sorted(available))})")
        return available[fmt]
    return detect(path, available)


def import_one(
    path: Path,
    fmt: str | None = None,
    profile: JSONObject | None = None,
    *,
    read_ahead: object | None = None,
    resolved_after: bool = False,
) -> tuple[Model, ImportReport]:
    """Import one file; anything wrong with it is an :class:`InputError` naming it. *read_ahead* is what
    the file's importer read of it beforehand (:func:`read_ahead`); *resolved_after*, that the caller
    resolves the model's references right after (``ImportContext.resolved_after``)."""
    imp = importer_for(path, fmt)
    report = ImportReport()
    if path.is_dir():
        raise InputError("is a folder, not a file", file=str(path))
    if not path.exists():
        raise InputError("no such file", file=str(path))
    if fmt:  # detect() looked at the first bytes already when the format was not named
        try:
            with path.open("rb") as fh:
                if lfs_pointer(fh.read(256)):
                    raise InputError(LFS_POINTER, file=str(path))
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from None
    ctx = ImportContext(report=report, profile=profile, read_ahead=read_ahead, resolved_after=resolved_after)
    try:
        model = imp.load(path, ctx)
    except MdptmError:
        raise
    except RecursionError:
        raise InputError("nested too deeply to read", file=str(path)) from None
    except MemoryError:
        raise InputError("too large to read in the memory available", file=str(path)) from None
    except Exception as exc:  # noqa: BLE001 - an importer bug must still name the file it failed on
        raise ImporterFailure(imp.name, exc, file=str(path)) from exc
    if not imp.may_be_empty and not has_content(model):
        looked = ctx.looked_at
        said = [r for r in report.records if r.disposition == "skipped" and r.reason and not r.reason.startswith(("header row", "blank"))]
        # a row of a table that says why it is none ("gives no threat text") tells more than a title line or a sheet of notes
        vague = ("title row above the table", "no threat-model table recognised", "row of a table of no threat-model kind")
        # ... and a table found to be a public catalogue ("not threats of this system") says most of all
        decisive = ("not threats of this system", "not a threat of this system")
        why = next((r for r in said if any(d in (r.reason or "") for d in decisive)), None)
        why = why or next((r for r in said if not (r.reason or "").startswith(vague)), None)
        why = why or next(iter(said), None)
        hint = f"; e.g. {why.locator}: {why.reason} (`mdptm inspect {path.name}` shows how each table was read)" if why is not None else ""
        raise InputError(
            "no threat-model content found"
            + (f" (looked at {looked})" if looked else "")
            + ": nothing names threats, components, flows, assets or controls"
            + hint,
            file=str(path),
        )
    return model, report


def has_content(model: Model) -> bool:
    """Any item, or a fact naming the device (a cover sheet). A title, a date or a version alone is
    not enough: any document of prose has those."""
    if any(getattr(model, coll) for coll, _kind in COLLECTIONS):
        return True
    p = model.product
    return p.manufacturer != PLACEHOLDER or any([p.model, p.intended_use, p.device_type])


class ImporterFailure(InputError):
    """An importer raised something other than :class:`InputError`: a bug, reported with the file."""

    def __init__(self, importer: str, exc: Exception, *, file: str) -> None:
        super().__init__(
            f"the {importer} importer failed on this file ({type(exc).__name__}: {exc}); please report it (--debug shows the traceback)",
            file=file,
        )
        self.cause = exc


def import_sources(sources: Sequence[ImportSource], *, meanwhile: Callable[[], object] | None = None) -> tuple[Model, ImportReport]:
    """Import each source and merge them in order.

    On a conflict the first source wins, unless a later one has a higher priority. *meanwhile*, when
    given, is run while the sources are read ahead in another process (:func:`read_ahead`).
    """
    ahead = read_ahead(sources, meanwhile) if meanwhile is not None else {}
    parts = []
    for i, src in enumerate(sources):
        # One source is the merged model itself: its references are resolved once, below.
        model, report = import_one(src.path, src.format, src.profile, read_ahead=ahead.get(i), resolved_after=len(sources) == 1)
        parts.append((src.path.name, model, report))
    model, report = merge_models(parts, [src.priority for src in sources])
    # Names and ids written in one source may point into another: resolve them on the merged model.
    from mdptm.importers.tabular.resolve import resolve_references

    resolve_references(model, report, final=True)
    check_references(model)
    _initiators(model)
    return model, report.finish()


READ_AHEAD_BYTES = 256 * 1024  # bytes of sources from which reading them in another process pays off


def read_ahead(sources: Sequence[ImportSource], meanwhile: Callable[[], object]) -> dict[int, object]:
    """Run *meanwhile* (a build loads the modules of its later stages: about half a second) while a
    forked process runs each source's :meth:`Importer.read_ahead` (a workbook's sheets parsed into
    grids); returns what it read, by the source's place in *sources*.

    Nothing is read ahead for small sources or where no process can be forked (then *meanwhile* runs
    alone), and a source whose reading ahead fails is simply read again by its importer, which says
    what is wrong with it: the model is the same either way.
    """
    chosen: list[tuple[int, Importer, Path]] = []
    size = 0
    for i, src in enumerate(sources):
        try:
            imp = importer_for(src.path, src.format)
            if type(imp).read_ahead is not Importer.read_ahead:
                size += src.path.stat().st_size
                chosen.append((i, imp, src.path))
        except (MdptmError, OSError):
            continue  # import_one reports it
    if not chosen or size < READ_AHEAD_BYTES or not can_fork():
        meanwhile()
        return {}

    def job(_inbox: Inbox) -> dict[int, object]:
        out: dict[int, object] = {}
        for i, imp, path in chosen:
            try:
                out[i] = imp.read_ahead(path)
            except Exception:  # noqa: BLE001, S112 - the importer reads the file again and reports it
                continue
        return out

    with background(job) as pending:
        meanwhile()
        try:
            return pending.result()
        except Exception:  # noqa: BLE001 - a result that does not come back: every source is read here
            return {}


def _initiators(model: Model) -> None:
    """Who opens each connection (``Flow.initiator``), where a flow's own text says so."""
    from mdptm.model.topology import Place, fill_initiators, place_terms, places

    found: dict[str, Place] = {}

    def where(element_id: str) -> Place:
        if not found:  # placed on first need: only a flow whose text says "outbound" asks
            terms = place_terms()
            found.update(places(model, terms.locations, terms.element_kinds))
        return found.get(element_id, "unknown")

    fill_initiators(model, where)


def check_references(model: Model) -> None:
    """Refuse a merged model with a dangling reference, naming the source and place that made it."""
    problems = validate_model(model)
    if not problems:
        return
    p = problems[0]
    parts = p.pointer.strip("/").split("/")
    file, locator = "merged model", p.pointer
    if len(parts) >= 2 and parts[1].isdigit() and hasattr(model, parts[0]):
        item = getattr(model, parts[0])[int(parts[1])]
        src = provenance(item)
        if src is not None and src.file:
            file, locator = src.file, src.locator or p.pointer
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    raise InputError(p.message + more, file=file, locator=locator)
