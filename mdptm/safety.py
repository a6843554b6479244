"""Guards for hostile input: one hardened XML parser and a zip-bomb check (SPEC §12).

Every XML document mdptm parses itself goes through :func:`parse_xml`; every zip container
(.docx, .xlsx) passes :func:`check_zip` before python-docx or openpyxl opens it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from mdptm.errors import InputError


@dataclass(frozen=True)
class Limits:
    max_members: int = 10_000
    max_total_uncompressed: int = 1024 * 1024 * 1024  # 1 GiB
    max_member_uncompressed: int = 512 * 1024 * 1024
    max_ratio: float = 200.0  # compression ratio past which a large member is a bomb
    ratio_floor: int = 10 * 1024 * 1024  # members smaller than this may compress as they like
    max_xml_bytes: int = 256 * 1024 * 1024


DEFAULT_LIMITS = Limits()


def xml_parser(*, huge: bool = False) -> etree.XMLParser:
    """No entities, no DTD, no network: an XXE or billion-laughs entity is never expanded."""
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=huge,
        remove_comments=False,
        collect_ids=False,
    )


def parse_xml(data: bytes, *, file: str, part: str | None = None, huge: bool = True) -> etree._Element:
    """Parse bytes with the hardened parser; a DTD with entity declarations is refused."""
    head = data[:4096].lstrip()
    if b"<!ENTITY" in data[: 1024 * 1024]:
        raise InputError(
            "XML declares entities (a DTD with <!ENTITY>); refused as potentially hostile",
            file=file,
            locator=part,
        )
    if not head:
        raise InputError("empty XML document", file=file, locator=part)
    try:
        root = etree.fromstring(data, xml_parser(huge=huge))
    except etree.XMLSyntaxError as exc:
        line = getattr(exc, "lineno", None)
        loc = f"{part + ', ' if part else ''}line {line}" if line else part
        raise InputError(f"XML syntax error: {exc.msg}", file=file, locator=loc) from None
    if root is None:
        raise InputError("empty XML document", file=file, locator=part)
    return root


def check_zip(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a file that is not a sound zip, or whose declared sizes make it a bomb.

    Reads only the central directory, so a 1 GiB bomb is refused in milliseconds.
    """
    name = str(path)
    if path.is_dir():
        raise InputError("is a folder, not a file", file=name)
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=name) from None
    if magic[:2] != b"PK":
        raise InputError("not a zip container (an Office Open XML file is a zip)", file=name)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise InputError(f"corrupt or truncated zip: {exc}", file=name) from None
    if len(infos) > limits.max_members:
        raise InputError(f"zip has {len(infos)} members (limit {limits.max_members})", file=name)
    total = 0
    for info in infos:
        size = info.file_size
        total += size
        if size > limits.max_member_uncompressed:
            raise InputError(
                f"member inflates to {size} bytes (limit {limits.max_member_uncompressed})",
                file=name,
                locator=info.filename,
            )
        if size > limits.ratio_floor and size > limits.max_ratio * max(info.compress_size, 1):
            raise InputError(
                f"member compression ratio {size // max(info.compress_size, 1)}:1 looks like a zip bomb",
                file=name,
                locator=info.filename,
            )
    if total > limits.max_total_uncompressed:
        raise InputError(f"zip inflates to {total} bytes (limit {limits.max_total_uncompressed})", file=name)


def read_zip_member(zf: zipfile.ZipFile, member: str, *, file: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """Read one member, stopping at the limit even if the directory lied about its size."""
    with zf.open(member) as fh:
        data = fh.read(limits.max_member_uncompressed + 1)
    if len(data) > limits.max_member_uncompressed:
        raise InputError("member larger than its declared size allows", file=file, locator=member)
    return data


def iter_xml(data: bytes, tags: tuple[str, ...], *, file: str, part: str | None = None) -> Iterator[etree._Element]:
    """The elements named *tags* (``{*}row`` style), each as it ends, under :func:`parse_xml`'s rules.

    For parts too large to hold as a tree (a 10 000-row sheet takes about ten times its size as
    one): the caller reads each element and clears it, so memory stays near the size of the bytes.
    """
    if b"<!ENTITY" in data[: 1024 * 1024]:
        raise InputError("XML declares entities (a DTD with <!ENTITY>); refused as potentially hostile", file=file, locator=part)
    if not data[:4096].lstrip():
        raise InputError("empty XML document", file=file, locator=part)
    events = etree.iterparse(
        io.BytesIO(data), events=("end",), tag=tags, resolve_entities=False, load_dtd=False, dtd_validation=False,
        no_network=True, huge_tree=True, remove_comments=False,
    )
    try:
        for _event, el in events:
            yield el
    except etree.XMLSyntaxError as exc:
        line = getattr(exc, "lineno", None)
        loc = f"{part + ', ' if part else ''}line {line}" if line else part
        raise InputError(f"XML syntax error: {exc.msg}", file=file, locator=loc) from None


def release(el: etree._Element) -> None:
    """Free an element read through :func:`iter_xml` and the siblings before it."""
    el.clear(keep_tail=True)
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]
