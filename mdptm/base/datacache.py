"""Parsed shipped data files, kept between runs and keyed by their content.

PyYAML's C parser reads a vocabulary quickly, but its Python constructor then builds every dict, list
and string one call at a time: the shipped vocabularies take tens of milliseconds each, more than the
rest of importing a .tm7. The parsed result is kept in ``$XDG_CACHE_HOME/mdptm`` (``~/.cache/mdptm``)
in ``marshal`` form (which, unlike pickle, never runs code while loading), under the SHA-256 of the
file's bytes and of what reads them; a changed file has another key, so nothing is ever stale.

``MDPTM_CACHE_DIR`` names another folder; ``MDPTM_CACHE_DIR=off`` turns the cache off. A folder that
cannot be created, read or written is skipped silently: the cache only ever saves time. Only mdptm's
own data files come here (:func:`mdptm.model.io.read_structured` decides), never a user's documents.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mdptm import __version__

ENV = "MDPTM_CACHE_DIR"
OFF = frozenset({"off", "0", "no", "false", "none"})
FORMAT = 1  # bump when what is stored changes meaning
_DIGEST = 16  # bytes of BLAKE2b over the payload, checked before it is trusted


def cache_dir() -> Path | None:
    """The folder of the cache, or None when it is turned off or no home folder is known."""
    value = os.environ.get(ENV, "").strip()
    if value:
        return None if value.lower() in OFF else Path(value).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "mdptm"
    try:
        return Path.home() / ".cache" / "mdptm"
    except RuntimeError:  # no HOME and no password entry
        return None


def entry(raw: bytes, reader: str) -> Path | None:
    """Where the data parsed from *raw* by *reader* is kept (None: no cache)."""
    folder = cache_dir()
    if folder is None:
        return None
    h = hashlib.sha256(f"mdptm-data {FORMAT} {__version__} {sys.version_info[:2]} {reader}\0".encode())
    h.update(raw)
    return folder / "data" / f"{h.hexdigest()}.marshal"


def cached(raw: bytes, reader: str, parse: Callable[[], Any]) -> Any:
    """``parse()``, or what it returned the last time it read these bytes with this *reader*.

    *reader* names everything besides the bytes that shapes the result (the parser and its options,
    with their versions). Errors from *parse* propagate and nothing is stored."""
    path = entry(raw, reader)
    if path is None:
        return parse()
    found = _load(path)
    if found is not _MISSING:
        return found
    data = parse()
    _store(path, data)
    return data


_MISSING: Any = object()


def _load(path: Path) -> Any:
    try:
        blob = path.read_bytes()
    except OSError:
        return _MISSING
    digest, payload = blob[:_DIGEST], blob[_DIGEST:]
    if len(digest) != _DIGEST or hashlib.blake2b(payload, digest_size=_DIGEST).digest() != digest:
        return _MISSING
    try:
        return marshal.loads(payload)  # noqa: S302 - data types only; its integrity was checked above
    except (EOFError, ValueError, TypeError):
        return _MISSING


def _store(path: Path, data: Any) -> None:
    """Write atomically (a reader never sees half a file); anything in the way skips the cache."""
    try:
        payload = marshal.dumps(data)
    except ValueError:  # a type marshal cannot keep (a YAML timestamp): parse it each time
        return
    blob = hashlib.blake2b(payload, digest_size=_DIGEST).digest() + payload
    import tempfile  # only when writing: it imports random

    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".marshal")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
