"""Writing outputs safely and reproducibly.

Outputs are staged in a temporary sibling folder and moved into place only when complete, so a
failure leaves nothing half-written and an existing output untouched. Office files (zips) are
written reproducibly by :mod:`mdptm.base.office`.
"""

from __future__ import annotations

import calendar
import errno
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING

import pydantic_core

from mdptm.base.process import stop_if_asked
from mdptm.errors import InputError

if TYPE_CHECKING:
    pass

DEFAULT_EPOCH = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip entry can hold


def source_date_epoch(document_date: str | None = None) -> int:
    """SOURCE_DATE_EPOCH if set, else the document date, else 1980-01-01: never 'now'."""
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env and env.strip().isdigit():
        return max(int(env.strip()), DEFAULT_EPOCH)
    if document_date:
        try:
            d = date.fromisoformat(document_date[:10])
            return max(calendar.timegm(d.timetuple()), DEFAULT_EPOCH)
        except ValueError:
            pass
    return DEFAULT_EPOCH


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_manifest(folder: Path, extra: dict[str, object] | None = None) -> Path:
    """MANIFEST.json: sha256 and size of every file under *folder*, sorted by path."""
    from mdptm import __version__

    paths = sorted(
        (p for p in folder.rglob("*") if p.is_file() and p.name not in ("MANIFEST.json", MARKER)),
        key=lambda q: q.relative_to(folder).as_posix(),
    )
    files = [{"path": p.relative_to(folder).as_posix(), "sha256": sha256_file(p), "size": p.stat().st_size} for p in paths]
    data: dict[str, object] = {"tool": "mdptm", "tool_version": __version__}
    data.update(extra or {})
    data["files"] = files
    out = folder / "MANIFEST.json"
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8", newline="\n")
    return out


def json_text(data: object) -> str:
    """``json.dumps(data, indent=2, ensure_ascii=False) + "\\n"``, the same characters, written by
    pydantic-core: ten times faster on a large model, and without the millions of small strings
    the pure-Python indenting encoder builds before joining them.

    Mapping keys must be strings (as in any ``model_dump(mode="json")``). The two writers differ
    only in how they spell floats below 1e-4 (``1e-05`` against ``0.00001``); where the text may
    hold one, and for what pydantic-core cannot encode, the standard library writes it.
    """
    try:
        text = pydantic_core.to_json(data, indent=2).decode("utf-8")
    except (ValueError, TypeError, pydantic_core.PydanticSerializationError):
        text = ""
    if not text or _tiny_float(text):
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return text + "\n"


# A number written with a negative exponent or as 0.0000..., standing as a value on its own line of the
# indented text (``"key": 1.5e-7,`` or ``  0.00001``): never inside a string, where a GUID's "3e-4" stands.
_TINY_NUMBER = re.compile(r'[ ]*(?:"(?:[^"\\\n]|\\.)*": )?-?(?:\d+(?:\.\d+)?e-\d+|0\.0000\d*),?')


def _tiny_float(text: str) -> bool:
    """Whether *text* holds a number written with a negative exponent or as ``0.0000...``: each place that
    looks like one ("5e-7", "0.0000") is checked on its own line."""
    for marker in ("e-", "0.0000"):
        i = text.find(marker)
        while i >= 0:
            before = text[i - 1] if i else ""
            after = text[i + len(marker)] if i + len(marker) < len(text) else ""
            if (before.isdigit() or marker != "e-") and after.isdigit():
                start = text.rfind("\n", 0, i) + 1
                end = text.find("\n", i)
                if _TINY_NUMBER.fullmatch(text, start, len(text) if end < 0 else end):
                    return True
            i = text.find(marker, i + 1)
    return False


def write_json(path: Path, data: object) -> None:
    path.write_text(json_text(data), encoding="utf-8", newline="\n")


class Spool:
    """Text written as it is produced and read back once, as UTF-8 pieces: kept in memory while
    small, on disk beyond *limit* bytes. The body of a 10 000-threat document is tens of megabytes
    that need not stay in memory while the rest of the package is assembled."""

    def __init__(self, limit: int = 4 << 20) -> None:
        self.limit = limit
        self.count = 0  # pieces written
        self._pending: list[bytes] = []
        self._size = 0
        self._file: IO[bytes] | None = None

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self._pending.append(data)
        self._size += len(data)
        self.count += 1
        if self._size >= self.limit:
            self._flush()

    def _flush(self) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by pieces()
        self._file.write(b"".join(self._pending))
        self._pending, self._size = [], 0

    def pieces(self, size: int = 1 << 20) -> Iterator[bytes]:
        """Everything written, in pieces of about *size* bytes; the spool is emptied as it goes."""
        if self._file is not None:
            self._flush()
            with self._file as fh:
                fh.seek(0)
                while data := fh.read(size):
                    yield data
            self._file = None
        else:
            pending, self._pending, self._size = self._pending, [], 0
            if pending:
                yield b"".join(pending)

    def text(self) -> str:
        """Everything written so far (for inspection; a large spool is better read by :meth:`pieces`)."""
        head = b""
        if self._file is not None:
            pos = self._file.tell()
            self._file.seek(0)
            head = self._file.read()
            self._file.seek(pos)
        return (head + b"".join(self._pending)).decode("utf-8")


MARKER = ".mdptm-output"  # in every folder mdptm writes: only such a folder is ever replaced
MARKER_TEXT = "This folder was written by mdptm; the next build into it replaces it whole.\n"
_INVENTORY = "Files mdptm wrote here (sha256, path); a folder holding any other file, or one of these changed, is not replaced:\n"


def is_ours(folder: Path) -> bool:
    """Whether *folder* is one mdptm wrote (it holds the marker file)."""
    return (folder / MARKER).is_file()


def write_marker(folder: Path) -> None:
    """The marker, with what mdptm wrote in *folder*: a later build replaces the folder only while it
    holds nothing else (:func:`foreign_files`)."""
    files = sorted((p for p in folder.rglob("*") if p.is_file() and not p.is_symlink() and p.name != MARKER), key=_rel(folder))
    lines = [f"{sha256_file(p)}  {_rel(folder)(p)}\n" for p in files]
    (folder / MARKER).write_text(MARKER_TEXT + _INVENTORY + "".join(lines), encoding="utf-8", newline="\n")


def _rel(folder: Path) -> Callable[[Path], str]:
    return lambda p: p.relative_to(folder).as_posix()


def foreign_files(folder: Path) -> list[str]:
    """Paths in an mdptm folder that mdptm did not write there, or that changed since (a user's notes, an
    edited document, an editor's lock file): replacing the folder would delete them. A folder inside it
    that mdptm wrote on its own (``OUT/submission/``) is checked the same way. A marker with no inventory
    (an older mdptm) vouches only for what the folder's MANIFEST.json lists (:func:`_legacy_inventory`), and
    one that is not text mdptm writes vouches for nothing."""
    try:
        text = (folder / MARKER).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""  # not a marker mdptm wrote: it vouches for nothing
    _head, sep, body = text.partition(_INVENTORY)
    wrote: dict[str, str] = {}
    if sep:
        for line in body.splitlines():
            digest, _, path = line.partition("  ")
            wrote[path] = digest
    else:
        wrote = _legacy_inventory(folder)
    found: list[str] = []

    def walk(here: Path) -> None:
        for p in sorted(here.iterdir(), key=lambda q: q.name):
            rel = _rel(folder)(p)
            if p.is_dir() and not p.is_symlink() and os.path.ismount(p):
                found.append(rel + "/")  # a drive mounted inside: replacing the folder would empty it
            elif p.is_dir() and not p.is_symlink():
                if any(w.startswith(rel + "/") for w in wrote):
                    walk(p)
                elif is_ours(p):
                    found.extend(f"{rel}/{f}" for f in foreign_files(p))
                else:
                    found.append(rel + "/")
            elif rel != MARKER and (rel not in wrote or p.is_symlink() or not p.is_file() or sha256_file(p) != wrote[rel]):
                found.append(rel)

    walk(folder)
    return found


# The internal reports an older mdptm wrote into OUT.internal/, which has no MANIFEST.json.
_LEGACY_INTERNAL = ("coverage.json", "import-report.json", "redaction-log.json", "review.json")


def _legacy_inventory(folder: Path) -> dict[str, str]:
    """What a marker with no inventory (an older mdptm wrote it, or it was copied from one) vouches for: the
    files its folder's MANIFEST.json lists, as they were written, that manifest, and the internal reports by
    name. Copying such a marker into a folder of one's own makes nothing else in it mdptm's."""
    wrote: dict[str, str] = {}
    manifest = folder / "MANIFEST.json"
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if data.get("tool") != "mdptm":
            return wrote
        for entry in data.get("files", []):
            if isinstance(entry, dict) and isinstance(entry.get("path"), str) and isinstance(entry.get("sha256"), str):
                wrote[entry["path"]] = entry["sha256"]
        wrote["MANIFEST.json"] = sha256_file(manifest)
    except (OSError, ValueError, AttributeError, TypeError, RecursionError):  # no manifest mdptm wrote: nothing listed
        pass
    for name in _LEGACY_INTERNAL if folder.name.endswith(".internal") else ():
        if (folder / name).is_file() and not (folder / name).is_symlink():
            wrote.setdefault(name, sha256_file(folder / name))
    return wrote


def check_replaceable(final: Path, *, contents: bool = True) -> None:
    """Refuse to replace a folder mdptm did not write: a user's folder must never be deleted, nor a file
    a user put into (or changed in) a folder mdptm wrote. *contents* False skips reading the files (a
    first, cheap check; the one that counts runs under the output lock).

    An empty folder may be used (it holds nothing to lose)."""
    if final.is_symlink():
        raise InputError("output path is a symbolic link; mdptm writes only a folder it owns", file=str(final))
    if final.exists() and not final.is_dir():
        raise InputError("output path exists and is not a folder", file=str(final))
    if final.is_dir() and os.path.ismount(final):
        raise InputError(
            "output folder is a mount point (a drive or share mounted there); mdptm replaces its output folder "
            "whole, which a mount point cannot be: choose a folder inside it",
            file=str(final),
        )
    if final.is_dir() and not is_ours(final) and any(final.iterdir()):
        raise InputError(
            f"output folder exists and was not written by mdptm (no {MARKER} file); it is left untouched: "
            "choose a new or empty folder, or remove it yourself",
            file=str(final),
        )
    if contents and final.is_dir() and is_ours(final):
        found = foreign_files(final)
        if found:
            shown = ", ".join(found[:5]) + (f" and {len(found) - 5} more" if len(found) > 5 else "")
            raise InputError(
                f"output folder holds what mdptm did not write there, or changed since it did: {shown}; "
                "the folder is left untouched: move those files out (close a document open in an editor), "
                "or choose another folder",
                file=str(final),
            )


def check_name_length(out: Path) -> None:
    """Refuse an output folder whose name leaves no room for the names mdptm makes beside it
    (``OUT.internal``, staging folders ``.OUT.internal.xxxxxxxx.tmp``): the file system would refuse them
    half-way, with an error naming none of this."""
    parent = Path(os.path.abspath(out)).parent
    try:
        limit = os.pathconf(parent if parent.exists() else "/", "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        limit = 255
    longest = f".{out.name}.internal.xxxxxxxx.tmp"
    if len(os.fsencode(longest)) > limit:
        raise InputError(
            f"output folder name is {len(os.fsencode(out.name))} bytes long; beside it mdptm writes '{out.name}.internal' "
            f"and staging folders named like {longest!r}, which must fit the file system's limit of {limit} bytes: "
            "choose a shorter name",
            file=str(out),
        )


def _ours_above(path: Path) -> Path | None:
    """The nearest folder above *path* that mdptm wrote (it holds the marker), if any."""
    return next((parent for parent in Path(os.path.abspath(path)).parents if is_ours(parent)), None)


def check_not_in_ours(folder: Path) -> None:
    """Refuse a folder output inside a folder mdptm wrote: ``-o ptm/next`` put ``ptm/next.internal/``, the
    redaction log with every withheld string, inside the public package ``ptm/``; and the next build into
    ``ptm/`` would refuse it for what it holds."""
    parent = _ours_above(folder)
    if parent is not None:
        raise InputError(
            f"output folder is inside {parent}, a folder mdptm wrote (it holds {MARKER}): its internal reports "
            "would be published with that package; choose a folder outside it",
            file=str(folder),
        )


def check_not_inside(out: Path, protected: list[Path]) -> None:
    """Refuse an output that equals or contains a source or the project folder (it would be replaced)."""
    target = Path(os.path.abspath(out))
    real = target.resolve()
    for path in protected:
        for p in {Path(os.path.abspath(path)), path.resolve()}:
            for t in (target, real):
                if t == p or t in p.parents:
                    raise InputError(
                        f"output folder is or contains the input {path}; writing there would replace it — "
                        "choose a folder beside or below the project",
                        file=str(out),
                    )


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.realpath(a) == os.path.realpath(b)


def check_file_outputs(outputs: Mapping[str, Path | None], inputs: Sequence[Path | None] = ()) -> None:
    """Refuse file outputs that would destroy or misplace something: an output that is one of the command's
    inputs (``mdptm import t.docx -o t.docx`` replaced the Word document with JSON), two outputs that are
    one file (``mdptm redact -o public.json --log public.json`` wrote the redaction log, every withheld
    string, under the public model's name), or an output inside a folder mdptm wrote (a package: an
    internal report would be published with it, and the next build would refuse the folder).

    *outputs* maps each option (``-o``, ``--log``) to its path; ``None`` and ``-`` (standard output) are
    skipped. Raises :class:`InputError` naming the output."""
    named = [(opt, path) for opt, path in outputs.items() if path is not None and str(path) != "-"]
    for i, (opt, path) in enumerate(named):
        for other_opt, other in named[:i]:
            if _same_file(path, other):
                raise InputError(f"{other_opt} and {opt} name the same file; give each output its own", file=str(path))
        for source in inputs:
            if source is not None and str(source) != "-" and _same_file(path, source):
                raise InputError(
                    f"{opt} names an input of this command ({source}); writing there would replace it: choose another file",
                    file=str(path),
                )
        folder = _ours_above(path)
        if folder is not None:
            raise InputError(
                f"{opt} is inside {folder}, a folder mdptm wrote (it holds {MARKER}): a file written there "
                "is not part of what mdptm wrote (an internal report would be published with the package, and the "
                "next build would refuse the folder): write it elsewhere",
                file=str(path),
            )


def _lock_path(final: Path) -> Path:
    """A lock file for *final*, kept in the temporary folder so nothing is left beside the output. The
    folder is named through its parent's real path: a second build into ``link/out`` (``link`` a symbolic
    link to the parent) is the same output, and without the same lock it removed the first build's staging
    folder as one a killed run left behind."""
    where = Path(os.path.realpath(final.parent)) / final.name
    key = hashlib.sha256(str(where).encode("utf-8")).hexdigest()[:32]
    folder = Path(tempfile.gettempdir()) / "mdptm-locks"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder / f"{key}.lock"


@contextmanager
def output_lock(final: Path) -> Iterator[None]:
    """Serialise writers of one output folder: a second build into it waits for the first."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock, staging still keeps each output whole
        yield
        return
    try:
        fh = _lock_path(final).open("a+b")
    except OSError:  # pragma: no cover - an unwritable temp folder: go on unlocked
        yield
        return
    with fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def clean_stale(final: Path) -> None:
    """Remove staging folders an interrupted run left beside *final* (only ones mdptm marked)."""
    parent = final.parent
    if not parent.is_dir():
        return
    own = re.compile(re.escape(f".{final.name}.") + r"(?:[a-z0-9_]{8}\.tmp|old-\d+)")
    for p in parent.iterdir():
        if own.fullmatch(p.name) and p.is_dir() and not p.is_symlink() and is_ours(p):
            shutil.rmtree(p, ignore_errors=True)


# a drive that is full, over its quota or read-only: the output is not written, and that is the whole story
_NO_ROOM = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)


def _no_room(exc: BaseException, final: Path) -> InputError | None:
    """An error naming *final* for a write that failed for want of room (or a read-only drive), else None."""
    if isinstance(exc, OSError) and exc.errno in _NO_ROOM:
        where = f" (writing {exc.filename})" if exc.filename else ""
        return InputError(
            f"cannot write the output: {exc.strerror}{where}; nothing was written and an earlier output there is untouched",
            file=str(final),
        )
    return None


@contextmanager
def staged_dir(final: Path) -> Iterator[Path]:
    """Yield an empty temporary folder beside *final*; on success it replaces *final*.

    *final* is replaced only when mdptm wrote it (:func:`check_replaceable`); writers of one folder
    take turns, and staging folders a killed run left behind are removed first.
    """
    parent = final.parent
    check_replaceable(final, contents=False)
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create output folder: {exc.strerror}", file=str(parent)) from None
    with output_lock(final):
        check_replaceable(final)  # again: another writer may have finished meanwhile
        clean_stale(final)
        try:
            tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".tmp", dir=parent))
        except OSError as exc:
            raise InputError(f"output folder is not writable: {exc.strerror}", file=str(parent)) from None
        try:
            (tmp / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
            yield tmp
        except BaseException as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            if (clear := _no_room(exc, final)) is not None:  # a full drive: "unexpected OSError" named nothing
                raise clear from None
            raise
        old = None
        try:
            stop_if_asked()  # a stop a library swallowed on the way: the output is not put in place
            write_marker(tmp)
            tmp.chmod(0o755)
            if final.exists() or final.is_symlink():
                # again: while the package was written, a user may have made the folder, or put a file into it
                check_replaceable(final)
                old = final.with_name(f".{final.name}.old-{os.getpid()}")
                if old.exists() and is_ours(old):
                    shutil.rmtree(old)
                final.rename(old)
            tmp.rename(final)
        except BaseException as exc:  # nothing half-written is left: the staging folder goes, the old output stays
            if old is not None and old.exists() and not final.exists():
                old.rename(final)
            shutil.rmtree(tmp, ignore_errors=True)
            if isinstance(exc, OSError):
                raise InputError(f"cannot put the output folder in place: {exc.strerror}", file=str(final)) from None
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


@contextmanager
def staged_file(final: Path) -> Iterator[Path]:
    """Yield a temporary path beside *final*; on success it replaces *final* atomically.

    A *final* that is a character device or a pipe (``-o /dev/null``, ``-o /dev/stdout``, a named pipe) is
    written into once the output is complete, never replaced: renaming over it would put a regular file
    where the system's ``/dev/null`` was. A block device or a socket is refused."""
    parent = final.parent
    if final.is_dir():
        raise InputError("output path is a folder", file=str(final))
    try:
        mode = final.stat().st_mode
    except OSError:
        mode = 0
    if mode and not stat.S_ISREG(mode):
        if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
            raise InputError("output path is a device or socket, not a file", file=str(final))
        fd, name = tempfile.mkstemp(prefix="mdptm-output-", suffix=".tmp")
        os.close(fd)
        tmp = Path(name)
        try:
            yield tmp
            stop_if_asked()
            with tmp.open("rb") as src, final.open("wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        except OSError as exc:
            raise InputError(f"cannot write the output: {exc.strerror}", file=str(final)) from None
        finally:
            tmp.unlink(missing_ok=True)
        return
    if not parent.exists():
        raise InputError("output folder does not exist", file=str(parent))
    try:
        fd, name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:  # the staging name beside it is 14 bytes longer than the output's
            raise InputError(
                "output file name is too long for the file system (with the staging name beside it): choose a shorter name", file=str(final)
            ) from None
        raise InputError(f"output folder is not writable: {exc.strerror}", file=str(parent)) from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if (clear := _no_room(exc, final)) is not None:
            raise clear from None
        raise
    try:
        stop_if_asked()
        os.chmod(tmp, 0o644)
        tmp.replace(final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
