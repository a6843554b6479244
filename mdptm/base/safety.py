"""Guards for hostile input (SPEC §12): one hardened parser per syntax and a zip-bomb check.

Every XML document mdptm parses itself goes through :func:`parse_xml`; every zip container
(.docx, .xlsx) passes :func:`check_zip` before anything opens it, and its members are read with
:func:`read_zip_member`; JSON and YAML go through :func:`parse_json` and :func:`parse_yaml`;
whole files through :func:`read_input`. Each raises :class:`~mdptm.errors.InputError` naming the
file and the place, never anything else (only a malformed ``MDPTM_LIMIT_*`` variable is a usage error).

The limits are generous for real threat models and can be raised (or lowered) per run with
environment variables ``MDPTM_LIMIT_<FIELD>`` (for example ``MDPTM_LIMIT_MAX_RATIO=500``);
``docs/security.md`` lists them.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from functools import cache
from pathlib import Path
from typing import IO, Any

from lxml import etree

from mdptm.errors import InputError, UsageError

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds on what one input may cost; every field has an ``MDPTM_LIMIT_<FIELD>`` variable."""

    max_members: int = 10_000  # members of one zip container
    max_total_uncompressed: int = 1024 * MiB  # all members of one zip, inflated
    max_member_uncompressed: int = 512 * MiB  # one member, inflated
    max_ratio: float = 200.0  # compression ratio past which a large member is a bomb
    ratio_floor: int = 10 * MiB  # members smaller than this may compress as they like
    max_xml_bytes: int = 256 * MiB  # one XML document (a .tm7, a sheet, word/document.xml)
    max_input_bytes: int = 512 * MiB  # one JSON, YAML, CSV or XML file on disk
    max_yaml_expansion: int = 1_000_000  # nodes YAML aliases may add beyond what the text spells out
    max_nesting: int = 100  # levels of JSON/YAML arrays and objects (threat models use about ten)
    xml_prolog_bytes: int = 64 * 1024  # how far into a zip's XML member a DOCTYPE is looked for


DEFAULT_LIMITS = Limits()
ENV_PREFIX = "MDPTM_LIMIT_"


def current_limits() -> Limits:
    """The limits of this run: the defaults, with any ``MDPTM_LIMIT_<FIELD>`` variable applied."""
    changes: dict[str, Any] = {}  # field name -> int or float, checked against the field by replace()
    for f in fields(Limits):
        var = ENV_PREFIX + f.name.upper()
        raw = os.environ.get(var)
        if raw is None or not raw.strip():
            continue
        try:
            value: float = float(raw) if f.type == "float" else int(raw.strip().replace("_", ""))
        except ValueError:
            raise UsageError(f"{var}={raw!r} is not a number") from None
        if not value > 0:  # NaN too
            raise UsageError(f"{var}={raw!r} must be positive")
        changes[f.name] = value
    return replace(DEFAULT_LIMITS, **changes) if changes else DEFAULT_LIMITS


# ------------------------------------------------------------------------------------ files


def not_utf8(raw: bytes, exc: UnicodeDecodeError) -> str:
    """Why *raw* is not UTF-8 text, for the error: UTF-16 (a Windows editor's or PowerShell's "Unicode")
    is named as such, with what to do, rather than a byte offset."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 text (it starts with a UTF-16 byte-order mark), not UTF-8: save it as UTF-8 and import again"
    data = exc.object if isinstance(exc.object, bytes) else raw  # after a byte-order mark, where the offset counts
    line = data.count(b"\n", 0, exc.start) + 1
    start = data.rfind(b"\n", 0, exc.start) + 1
    column = len(data[start : exc.start].decode("utf-8", errors="replace")) + 1
    return f"not UTF-8 text (byte {exc.start}, 0x{data[exc.start]:02X}, at line {line}, column {column}): save it as UTF-8"


def read_input(path: Path, *, limit: int | None = None) -> bytes:
    """The bytes of an input file, refused clearly when it is missing, a folder or too large."""
    name = str(path)
    cap = limit if limit is not None else current_limits().max_input_bytes
    if path.is_dir():
        raise InputError("is a folder, not a file", file=name)
    try:
        st = path.stat()
        if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
            raise InputError("is a device, not a file", file=name)
        size = st.st_size
        if size > cap:
            raise InputError(f"file is {size} bytes, larger than the limit of {cap} (MDPTM_LIMIT_MAX_INPUT_BYTES)", file=name)
        with path.open("rb") as fh:
            data = fh.read(cap + 1)
    except FileNotFoundError:
        raise InputError("no such file", file=name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=name) from None
    if len(data) > cap:  # a file that grew, or a device that reports no size
        raise InputError(f"file is larger than the limit of {cap} bytes (MDPTM_LIMIT_MAX_INPUT_BYTES)", file=name)
    return data


# -------------------------------------------------------------------------------------- XML


def xml_parser(*, huge: bool = False) -> etree.XMLParser:
    """No entities, no DTD, no network: an XXE or billion-laughs entity is never expanded.

    libxml2 bounds the nesting depth (256 levels, 2048 with *huge*, which also lifts its 10 MB
    limit on one text node).
    """
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=huge,
        remove_comments=False,
        collect_ids=False,
    )


_ENTITY_REFUSED = "XML declares entities (a DTD with <!ENTITY>); refused as potentially hostile"


CONFLICT_MARKERS = "the file holds unresolved merge-conflict markers (<<<<<<<, =======, >>>>>>>): resolve the conflict first"
_CONFLICT = re.compile(rb"^<<<<<<< .*$(?s:.*?)^=======\s*$(?s:.*?)^>>>>>>> ", re.MULTILINE)


def conflict_markers(data: bytes | str) -> int | None:
    """The line of the first unresolved merge conflict (a version-control "<<<<<<< / ======= / >>>>>>>"
    block) in a file that failed to parse, so the error says what is wrong instead of a syntax detail."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if b"<<<<<<< " not in raw:
        return None
    m = _CONFLICT.search(raw)
    return None if m is None else raw.count(b"\n", 0, m.start()) + 1


def parse_xml(data: bytes, *, file: str, part: str | None = None, huge: bool = True) -> etree._Element:
    """Parse bytes with the hardened parser; a document declaring entities is refused."""
    cap = current_limits().max_xml_bytes
    if len(data) > cap:
        raise InputError(
            f"XML document is {len(data)} bytes, larger than the limit of {cap} (MDPTM_LIMIT_MAX_XML_BYTES)", file=file, locator=part
        )
    if b"<!ENTITY" in data:  # a literal '<!' can only stand in a DTD, a comment or CDATA
        raise InputError(_ENTITY_REFUSED, file=file, locator=part)
    if not data.strip():
        raise InputError("empty XML document", file=file, locator=part)
    try:
        root = etree.fromstring(data, xml_parser(huge=huge))
    except (etree.XMLSyntaxError, ValueError, MemoryError) as exc:
        conflict = conflict_markers(data)
        if conflict is not None:
            raise InputError(CONFLICT_MARKERS, file=file, locator=f"{part + ', ' if part else ''}line {conflict}") from None
        raise _xml_error(exc, file, part) from None
    if root is None:
        raise InputError("empty XML document", file=file, locator=part)
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):  # declared in UTF-16, which the byte scan misses
        raise InputError(_ENTITY_REFUSED, file=file, locator=part)
    return root


def split_tag(tag: object) -> tuple[str | None, str]:
    """(namespace, local name) of an lxml tag; comments and PIs give (None, "").

    String slicing, not ``etree.QName``: that refuses namespace URIs a hostile file may declare
    (one holding a ``}``).
    """
    if not isinstance(tag, str):
        return None, ""
    if tag.startswith("{"):
        end = tag.rfind("}")
        return tag[1:end], tag[end + 1 :]
    return None, tag


def local_name(tag: object) -> str:
    return split_tag(tag)[1]


def _declares_dtd(head: bytes) -> bool | None:
    """Whether an XML prolog holds ``<!DOCTYPE``/``<!ENTITY``; None if the root is not within *head*."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[:2] in (b"<\x00", b"\x00<"):
        enc = "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-16-le" if head[0:1] == b"<" else "utf-16-be")
        text = head[: len(head) // 2 * 2].decode(enc, errors="replace")
    else:
        text = head.decode("latin-1")
    pos = 0
    while True:
        lt = text.find("<", pos)
        if lt < 0 or lt + 1 >= len(text):
            return None
        nxt = text[lt + 1]
        if nxt == "?":  # declaration or processing instruction
            end = text.find("?>", lt)
        elif text.startswith("<!--", lt):
            end = text.find("-->", lt)
        else:  # <!DOCTYPE, <!ENTITY or anything else DTD-like before the root; or the root itself
            return nxt == "!"
        if end < 0:
            return None
        pos = end + 2


# -------------------------------------------------------------------------------------- zip

_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError, NotImplementedError, RuntimeError)


def check_zip(path: Path, lim: Limits | None = None, *, scan_xml: bool = True) -> None:
    """Refuse a file that is not a sound zip, whose declared sizes make it a bomb, or whose XML
    parts carry a DTD (python-docx, openpyxl and our own readers then never see one).

    Reads the central directory and the first bytes of each XML member only, so a 1 GiB bomb is
    refused in milliseconds.
    """
    limits_ = lim or current_limits()
    name = str(path)
    if path.is_dir():
        raise InputError("is a folder, not a file", file=name)
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
    except FileNotFoundError:
        raise InputError("no such file", file=name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=name) from None
    if magic[:2] != b"PK":
        raise InputError(f"not a zip container (an Office Open XML file is a zip); it looks like {describe_bytes(magic)}", file=name)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            _check_sizes(infos, name, limits_)
            _check_unique_names(infos, name)
            if scan_xml:
                _check_xml_heads(zf, infos, name, limits_)
    except InputError:
        raise
    except _ZIP_ERRORS as exc:
        raise InputError(f"corrupt or truncated zip: {exc}", file=name) from None


def _check_unique_names(infos: list[zipfile.ZipInfo], name: str) -> None:
    """Refuse a zip that holds two members of one name (part names compare without case, as Office's do):
    Python's zip reader takes the last, Office the first or neither, so which text was imported depended on
    the reader, and the other was lost without a word."""
    seen: set[str] = set()
    for info in infos:
        key = info.filename.replace("\\", "/").lstrip("/").casefold()
        if key in seen:
            raise InputError(
                f"damaged: the zip holds two members named {info.filename!r} (Office does not open such a file, "
                "and readers disagree on which one counts); save the file again from its application",
                file=name,
                locator=info.filename,
            )
        seen.add(key)


def _check_sizes(infos: list[zipfile.ZipInfo], name: str, lim: Limits) -> None:
    if len(infos) > lim.max_members:
        raise InputError(f"zip has {len(infos)} members (limit {lim.max_members}, MDPTM_LIMIT_MAX_MEMBERS)", file=name)
    total = 0
    for info in infos:
        size = info.file_size
        total += size
        if size > lim.max_member_uncompressed:
            raise InputError(
                f"member inflates to {size} bytes (limit {lim.max_member_uncompressed}, MDPTM_LIMIT_MAX_MEMBER_UNCOMPRESSED)",
                file=name,
                locator=info.filename,
            )
        if size > lim.ratio_floor and size > lim.max_ratio * max(info.compress_size, 1):
            raise InputError(
                f"member compression ratio {size // max(info.compress_size, 1)}:1 looks like a zip bomb "
                f"(limit {lim.max_ratio:g}:1, MDPTM_LIMIT_MAX_RATIO)",
                file=name,
                locator=info.filename,
            )
    if total > lim.max_total_uncompressed:
        raise InputError(
            f"zip inflates to {total} bytes (limit {lim.max_total_uncompressed}, MDPTM_LIMIT_MAX_TOTAL_UNCOMPRESSED)",
            file=name,
        )


def _check_xml_heads(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str, lim: Limits) -> None:
    for info in infos:
        lower = info.filename.lower()
        if info.is_dir() or not lower.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with zf.open(info) as fh:
                head = fh.read(lim.xml_prolog_bytes)
        except _ZIP_ERRORS as exc:
            raise InputError(f"corrupt zip member: {exc}", file=name, locator=info.filename) from None
        verdict = _declares_dtd(head)
        if verdict is None and len(head) >= lim.xml_prolog_bytes:
            raise InputError(f"XML part has no root element in its first {lim.xml_prolog_bytes} bytes", file=name, locator=info.filename)
        if verdict:
            raise InputError(
                "XML part declares a DTD (<!DOCTYPE or <!ENTITY>); Office never writes one, refused as potentially hostile",
                file=name,
                locator=info.filename,
            )


def read_zip_member(zf: zipfile.ZipFile, member: str | zipfile.ZipInfo, *, file: str, limits: Limits | None = None) -> bytes:
    """Read one member (by name, or by its entry where names repeat), stopping at the limit even if the
    directory lied about its size."""
    cap = (limits or current_limits()).max_member_uncompressed
    name = member if isinstance(member, str) else member.filename
    try:
        with zf.open(member) as fh:
            data = fh.read(cap + 1)
    except KeyError:
        raise InputError("part is missing from the zip", file=file, locator=name) from None
    except _ZIP_ERRORS as exc:
        raise InputError(f"corrupt zip member: {exc}", file=file, locator=name) from None
    if len(data) > cap:
        raise InputError("member larger than its declared size allows", file=file, locator=name)
    return data


# ------------------------------------------------------------------------------- JSON, YAML


class _DuplicateJsonKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise _DuplicateJsonKey(key)
            seen.add(key)
    return data


def _json_key_line(text: str, key: str) -> str | None:
    """The line of the second *key* when the text writes it as a key exactly twice (then those are the two)."""
    places = [m.start() for m in re.finditer(re.escape(json.dumps(key)) + r"\s*:", text)]
    if len(places) != 2:
        return None
    return f"line {text.count(chr(10), 0, places[1]) + 1}"


def parse_json(text: str, *, file: str) -> object:
    """JSON, with the line and column of a syntax error; absurd nesting or numbers are refused, and so is an
    object that writes one key twice (the standard reader keeps the last silently: a policy written in JSON
    with two "terms" lists published the terms of the first)."""
    try:
        data = json.loads(text, object_pairs_hook=_unique_pairs)
    except _DuplicateJsonKey as exc:
        raise InputError(
            f"the key {exc.key!r} is written twice in one object; JSON readers keep only the last",
            file=file,
            locator=_json_key_line(text, exc.key),
        ) from None
    except json.JSONDecodeError as exc:
        conflict = conflict_markers(text)
        if conflict is not None:
            raise InputError(CONFLICT_MARKERS, file=file, locator=f"line {conflict}") from None
        raise InputError(f"JSON syntax error: {exc.msg}", file=file, locator=f"line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise InputError("JSON nested too deeply to read", file=file) from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise InputError(f"JSON value cannot be read: {exc}", file=file) from None
    check_nesting(data, file=file, limit=current_limits().max_nesting)
    if _SURROGATE_ESCAPE.search(text):
        check_surrogates(data, file=file)
    return data


_SURROGATE_ESCAPE = re.compile(r"\\(?:u[dD][89a-fA-F][0-9a-fA-F]{2}|U0000[dD][89a-fA-F][0-9a-fA-F]{2})")
_SURROGATE = re.compile("[\ud800-\udfff]")


def check_surrogates(data: object, *, file: str) -> None:
    """Refuse a string holding a lone surrogate (``"\\ud800"`` in JSON or YAML): no output can encode it,
    so it is bad input, named by its JSON pointer, rather than an encoding error at the end of a build."""
    stack: list[tuple[object, str]] = [(data, "")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise InputError("text holds a lone surrogate (an invalid \\ud800-\\udfff escape)", file=file, locator=where or "/")
        elif isinstance(value, dict):
            for k, v in value.items():
                here = f"{where}/{str(k).replace('~', '~0').replace('/', '~1')}"
                if isinstance(k, str) and _SURROGATE.search(k):
                    raise InputError("a key holds a lone surrogate", file=file, locator=here)
                stack.append((v, here))
        elif isinstance(value, list):
            stack.extend((v, f"{where}/{i}") for i, v in enumerate(value))


@cache
def yaml_loader(yaml12: bool = False) -> type:
    """The safe YAML loader: libyaml's where installed. With *yaml12*, booleans as YAML 1.2 reads them
    (only true/false, so keys like ``y`` or ``no`` stay text), on PyYAML's own SafeLoader.

    PyYAML is imported here, when something is read as YAML: a run whose data files all come from the
    cache (:mod:`mdptm.base.datacache`) never imports it."""
    import yaml

    if not yaml12:

        class UniqueKeysLoader(_unique_keys(yaml), getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
            """The safe loader, refusing a key written twice in one mapping."""

        return UniqueKeysLoader

    class Yaml12Loader(_unique_keys(yaml), yaml.SafeLoader):  # type: ignore[misc]
        """SafeLoader that reads only true/false as booleans (YAML 1.2), refusing a key written twice."""

    Yaml12Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
    return Yaml12Loader


class DuplicateKeyError(ValueError):
    """A YAML mapping holds one key twice; *line* and *column* (1-based) are where the second one is."""

    def __init__(self, key: str, line: int, column: int, first: int) -> None:
        super().__init__(f"the key {key!r} is written twice in one mapping (first on line {first}); YAML keeps only the last")
        self.line, self.column = line, column


@cache
def _unique_keys(yaml: Any) -> type:
    """A constructor mixin refusing a mapping that writes one key twice. PyYAML keeps the last value
    silently: a redaction policy with two ``terms:`` lists published every term of the first. Merge keys
    (``<<: *base``) may still be overridden by the mapping's own keys, as YAML intends."""

    class UniqueKeys:
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            if isinstance(node, yaml.MappingNode):
                seen: dict[tuple[str, str], int] = {}
                for key_node, _value in node.value:
                    if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                        continue
                    key = (key_node.tag, key_node.value)
                    line = key_node.start_mark.line + 1
                    if key in seen:
                        raise DuplicateKeyError(key_node.value, line, key_node.start_mark.column + 1, seen[key])
                    seen[key] = line
            return super().construct_mapping(node, deep)  # type: ignore[misc]

    return UniqueKeys


def parse_yaml(text: str, *, file: str, yaml12: bool = False) -> object:
    """YAML with a safe loader (YAML 1.2 booleans with *yaml12*, see :func:`yaml_loader`); aliases that
    would expand past the limit (a "billion laughs") or refer to themselves are refused before anything
    walks the result."""
    import yaml

    try:
        data = yaml.load(text, Loader=yaml_loader(yaml12))  # noqa: S506 - safe loaders only
    except yaml.YAMLError as exc:
        conflict = conflict_markers(text)
        if conflict is not None:
            raise InputError(CONFLICT_MARKERS, file=file, locator=f"line {conflict}") from None
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"YAML syntax error: {problem}", file=file, locator=where) from None
    except DuplicateKeyError as exc:
        raise InputError(str(exc), file=file, locator=f"line {exc.line}, column {exc.column}") from None
    except RecursionError:
        raise InputError("YAML nested too deeply to read", file=file) from None
    except (ValueError, TypeError, OverflowError) as exc:  # an over-long integer, an unhashable key
        raise InputError(f"YAML value cannot be read: {exc}", file=file) from None
    lim = current_limits()
    if "*" in text and "&" in text:  # an alias needs an anchor: without both, nothing is shared
        check_expansion(data, file=file, budget=len(text) + lim.max_yaml_expansion)
    check_nesting(data, file=file, limit=lim.max_nesting)
    if _SURROGATE_ESCAPE.search(text):
        check_surrogates(data, file=file)
    return data


def check_nesting(data: object, *, file: str, limit: int) -> None:
    """Refuse arrays and objects nested deeper than *limit*: nothing downstream (validation,
    serialisation, the writers) has to cope with them. Level by level, so no recursion."""
    level = [data] if isinstance(data, (dict, list)) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            raise InputError(f"arrays and objects nested deeper than {limit} levels; refused (MDPTM_LIMIT_MAX_NESTING)", file=file)
        below: list[Any] = []
        for node in level:
            below.extend(v for v in (node.values() if isinstance(node, dict) else node) if isinstance(v, (dict, list)))
        level = below


def check_expansion(data: object, *, file: str, budget: int) -> None:
    """Refuse data whose tree, with shared (aliased) nodes counted at every use, exceeds *budget*
    nodes or contains a cycle. Iterative and memoised: linear in the distinct nodes."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        kids = list(node.values()) if isinstance(node, dict) else node
        if done:
            total = 1 + sum(sizes[id(k)] if isinstance(k, (dict, list)) else 1 for k in kids)
            if isinstance(node, dict):
                total += len(node)
            if total > budget:
                raise InputError(
                    f"YAML aliases expand to more than {budget} nodes (a 'billion laughs'?); refused (MDPTM_LIMIT_MAX_YAML_EXPANSION)",
                    file=file,
                )
            sizes[key] = total
            on_path.discard(key)
            continue
        if key in sizes:
            continue
        on_path.add(key)
        stack.append((node, True))
        for k in kids:
            if isinstance(k, (dict, list)):
                if id(k) in on_path:
                    raise InputError("YAML alias refers to a node that contains it (a recursive structure)", file=file)
                if id(k) not in sizes:
                    stack.append((k, False))
    return None


LFS_POINTER = (
    "the file is a Git LFS pointer (a few lines naming the real file's hash), not the threat model itself: "
    "fetch the real file with `git lfs pull` and import that"
)


def lfs_pointer(head: bytes) -> bool:
    """True when *head* is the start of a Git LFS pointer file, which a checkout without Git LFS leaves
    in place of the real file (``version https://git-lfs.github.com/spec/v1``, ``oid sha256:…``, ``size …``)."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"version https://git-lfs.github.com/spec/")


def describe_bytes(head: bytes) -> str:
    """What the first bytes of a file look like, for 'wrong format' messages."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        return "an empty file"
    if lfs_pointer(head):
        return "a Git LFS pointer, not the file itself (fetch it with `git lfs pull`)"
    if head.startswith(b"PK"):
        return "a zip container"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "a legacy binary Office file (.doc/.xls) or a password-protected one: save it unprotected as .docx/.xlsx"
    if head.startswith(b"%PDF"):
        return "a PDF document"
    if stripped.startswith(b"<<<<<<< "):
        return "text with unresolved merge-conflict markers (<<<<<<<)"
    if stripped.startswith((b"{", b"[")):
        return "JSON text"
    if stripped.startswith(b"<") and b"<title>Threat Modeling Report</title>" in head:
        # Microsoft's Threat Modeling Tool writes this report from a .tm7: the model itself is in the .tm7
        return "a Microsoft Threat Modeling Tool HTML report: import the .tm7 model it was made from"
    if stripped.startswith(b"<"):
        return "XML or HTML text"
    if b"\x00" in head[:512]:
        return "binary data"
    return "plain text"


def iter_xml(data: bytes, tags: tuple[str, ...], *, file: str, part: str | None = None) -> Iterator[etree._Element]:
    """The elements named *tags* (``{*}row`` style), each as it ends, under :func:`parse_xml`'s rules.

    For parts too large to hold as a tree (a 10 000-row sheet takes about ten times its size as
    one): the caller reads each element and clears it, so memory stays near the size of the bytes.
    """
    cap = current_limits().max_xml_bytes
    if len(data) > cap:
        raise InputError(
            f"XML document is {len(data)} bytes, larger than the limit of {cap} (MDPTM_LIMIT_MAX_XML_BYTES)", file=file, locator=part
        )
    if b"<!ENTITY" in data:  # as in parse_xml: a document declaring entities is refused outright
        raise InputError(_ENTITY_REFUSED, file=file, locator=part)
    if not data.strip():
        raise InputError("empty XML document", file=file, locator=part)
    for batch in _pieces(io.BytesIO(data), tags, ("end",), file=file, part=part, check_dtd=False):
        for _event, el in batch:
            yield el


def _hardened_pull_parser(tags: tuple[str, ...], events: tuple[str, ...]) -> etree.XMLPullParser:
    """The streaming parser, fed a piece at a time, with the same guards as :func:`xml_parser`: no entities, no DTD, no network."""
    return etree.XMLPullParser(
        events=events,
        tag=tags,
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=True,
        remove_comments=False,
    )


def _xml_error(exc: Exception, file: str, part: str | None) -> InputError:
    """What lxml said about a document, as the error a user reads: the part, the line and the problem."""
    if isinstance(exc, etree.XMLSyntaxError):
        line = getattr(exc, "lineno", None)
        loc = f"{part + ', ' if part else ''}line {line}" if line else part
        msg = str(exc.msg or exc)
        if "Excessive depth" in msg:
            msg = "elements nested too deeply (libxml2 allows 2048 levels)"
        return InputError(f"XML syntax error: {msg}", file=file, locator=loc)
    # lxml: unsupported encoding declarations, exhausted memory
    return InputError(f"XML cannot be read: {exc or type(exc).__name__}", file=file, locator=part)


def release(el: etree._Element) -> None:
    """Free an element read through :func:`iter_xml` and the siblings before it."""
    el.clear(keep_tail=True)
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


class _CappedMember(io.RawIOBase):
    """A zip member read piece by piece: refused past *cap* bytes or where it declares entities."""

    def __init__(self, fh: IO[bytes], cap: int, *, file: str, part: str) -> None:
        super().__init__()
        self.fh = fh
        self.cap = cap
        self.file = file
        self.part = part
        self.total = 0
        self.tail = b""
        self.pending = b""  # read ahead (the prolog), handed out first

    def readable(self) -> bool:
        return True

    def take(self, size: int) -> bytes:
        try:
            data = self.fh.read(size)
        except _ZIP_ERRORS as exc:
            raise InputError(f"corrupt zip member: {exc}", file=self.file, locator=self.part) from None
        self.total += len(data)
        if self.total > self.cap:
            raise InputError(
                f"XML document is larger than the limit of {self.cap} bytes (MDPTM_LIMIT_MAX_XML_BYTES)", file=self.file, locator=self.part
            )
        if b"<!ENTITY" in self.tail + data[:8] or b"<!ENTITY" in data:  # as parse_xml: anywhere in the document
            raise InputError(_ENTITY_REFUSED, file=self.file, locator=self.part)
        self.tail = data[-8:]
        return data

    def readinto(self, buffer: Any) -> int:
        if self.pending:
            data, self.pending = self.pending[: len(buffer)], self.pending[len(buffer) :]
        else:
            data = self.take(len(buffer))
        buffer[: len(data)] = data
        return len(data)


_PIECE = 32_768  # bytes fed to the streaming parser at a time (what lxml's iterparse reads)


def iter_zip_xml_pieces(
    zf: zipfile.ZipFile, member: str, tags: tuple[str, ...], *, file: str, events: tuple[str, ...] = ("end",)
) -> Iterator[list[tuple[str, etree._Element]]]:
    """The *events* (``"start"``, ``"end"``) of the elements named *tags*, parsed from a zip member as it inflates.

    For a part too large to hold whole (``word/document.xml`` of a long Word document), with
    :func:`parse_xml`'s refusals and messages. The member is fed to the parser a piece at a time and
    each piece's events come as one list, in document order: between two lists the caller may look at
    the tree the parser has built so far (every element in it but the last child of an element still
    open is complete) and clear what it has read.
    """
    lim = current_limits()
    cap = lim.max_xml_bytes
    try:
        info = zf.getinfo(member)
        fh = zf.open(info)
    except KeyError:
        raise InputError("part is missing from the zip", file=file, locator=member) from None
    except _ZIP_ERRORS as exc:
        raise InputError(f"corrupt zip member: {exc}", file=file, locator=member) from None
    with fh:
        if info.file_size > cap:
            raise InputError(
                f"XML document is {info.file_size} bytes, larger than the limit of {cap} (MDPTM_LIMIT_MAX_XML_BYTES)",
                file=file,
                locator=member,
            )
        source = _CappedMember(fh, cap, file=file, part=member)
        source.pending = source.take(lim.xml_prolog_bytes)
        if not source.pending.strip():
            raise InputError("empty XML document", file=file, locator=member)
        yield from _pieces(source, tags, events, file=file, part=member, check_dtd=True)


def _pieces(
    source: io.RawIOBase | io.BufferedIOBase,
    tags: tuple[str, ...],
    events: tuple[str, ...],
    *,
    file: str,
    part: str | None,
    check_dtd: bool,
) -> Iterator[list[tuple[str, etree._Element]]]:
    """Feed *source* to the hardened parser a piece at a time; each piece's events as one list (empty if it completed none)."""
    parser = _hardened_pull_parser(tags, events)
    checked = not check_dtd
    while True:
        data = source.read(_PIECE)
        try:
            if not data:
                root = parser.close()
                break
            parser.feed(data)
        except (etree.XMLSyntaxError, ValueError, MemoryError) as exc:
            raise _xml_error(exc, file, part) from None
        batch = list(parser.read_events())
        if batch and not checked:
            _refuse_dtd(batch[0][1].getroottree().getroot(), file=file, part=part or "")
            checked = True
        yield batch
    if not checked and root is not None:
        _refuse_dtd(root, file=file, part=part or "")


def _refuse_dtd(root: etree._Element, *, file: str, part: str) -> None:
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):  # declared in UTF-16, which the byte scan misses
        raise InputError(_ENTITY_REFUSED, file=file, locator=part)
