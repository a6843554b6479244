"""A Word branding template made fit to publish: its header, footer and note text scrubbed like model text.

A maker's template is an internal document too: its header may name a ticket, an internal host or a
person. The renderer keeps the template's headers and footers, so before a public build uses it, the
text of those parts goes through the same redaction as the model (terms, patterns, detectors), pictures'
alt text and names, field codes and links' screen tips too; their tracked changes are accepted (deleted
text and the authors' names go) and content controls lose their titles and tags; the pictures lose their
metadata text (:mod:`mdptm.render.image_meta`), and hyperlinks to outside the document lose their
target. Pictures and parts a maker's tool named (``word/media/ProjectNightjar-logo.png``) are renamed
neutrally (:func:`neutral_part_names`). External relationships (``attachedTemplate`` pointing at ``file:///C:/Users/...``) are dropped
when the document is written (:func:`mdptm.base.office.rewrite_zip`). The leak scan then reads every
part as usual.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

from mdptm.base.office import dropped_when_published, rewrite_zip
from mdptm.base.safety import check_zip, parse_xml, read_zip_member
from mdptm.errors import InputError
from mdptm.render.image_meta import strip_metadata

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
V = "{urn:schemas-microsoft-com:vml}"
VO = "{urn:schemas-microsoft-com:office:office}"
THM15 = "{http://schemas.microsoft.com/office/thememl/2012/main}"
_DOCUMENT_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_TEMPLATE_MAIN = (
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    b"application/vnd.ms-word.document.macroEnabled.main+xml",
)
_TEXT_PARTS = re.compile(r"^word/(header\d*|footer\d*|footnotes|endnotes)\.xml$")
# parts whose text is names: styles, fonts, numbering and the theme (a style "Body for jenkins.meridian.corp
# builds", a watermark font named after a file server); their name attributes are scrubbed like text
_NAME_PARTS = re.compile(r"^word/(styles|stylesWithEffects|fontTable|numbering)\.xml$|^word/theme/theme\d*\.xml$")


def scrub_template(template: Path, scrub: Callable[[str, str], str], out: Path) -> Path:
    """Write to *out* a copy of *template* whose header, footer and note text passed through
    ``scrub(text, part)``; returns *out*."""
    check_zip(template)
    with zipfile.ZipFile(template) as zf:
        members = [i.filename for i in zf.infolist() if not i.is_dir()]
        types = read_zip_member(zf, "[Content_Types].xml", file=str(template)) if "[Content_Types].xml" in members else b""
    renames = neutral_part_names(members, _content_types(types, str(template)))

    def edit(name: str, data: bytes) -> bytes:
        if renames:
            data = _renamed_references(name, data, renames, str(template))
        if name.startswith("word/media/"):  # a logo's author, path or editing history in its metadata
            return strip_metadata(data)
        if name == "[Content_Types].xml":  # a .dotx or .dotm template's main part is a document's once used
            for kind in _TEMPLATE_MAIN:
                data = data.replace(kind, _DOCUMENT_MAIN)
            return data
        if _TEXT_PARTS.match(name):
            return _scrub_part(data, name, scrub, str(template))
        return _scrub_names(data, name, scrub, str(template)) if _NAME_PARTS.match(name) else data

    rewrite_zip(template, edit=edit, target=out, names=renames)
    import docx  # the renderer opens the copy: a template it cannot use is named here, not as the copy

    try:
        docx.Document(str(out))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds for a bad file
        raise InputError(f"not a usable Word template: {str(exc).replace(str(out), template.name)}", file=str(template)) from None
    return out


# Tracked changes: what was deleted is gone (its text and the change with it), what was inserted stays as
# plain text; the record of a formatting change is dropped. Each carried its author's name and a date.
_DELETED = {f"{W}{n}" for n in ("del", "moveFrom", "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd")}
_INSERTED = {f"{W}{n}" for n in ("ins", "moveTo")}
_FORMAT_CHANGES = {
    f"{W}{n}"
    for n in (
        "rPrChange",
        "pPrChange",
        "sectPrChange",
        "tblPrChange",
        "tblGridChange",
        "trPrChange",
        "tcPrChange",
        "numberingChange",
        "tblPrExChange",
    )
}
_PEOPLE_ATTRS = (f"{W}author", f"{W}initials", f"{W}date")
# a content control's title and tag name its owner or purpose for the editors; nothing shows them
_CONTROL_LABELS = {f"{W}alias", f"{W}tag"}
# an embedded object's link to its document (dropped when a document is published): the picture that shows it stays
_EMBEDDED = {f"{VO}OLEObject"}
# Text a reader of the document never sees but its file carries: a field's code (a HYPERLINK or
# INCLUDEPICTURE path), a content control's title and tag, a link's screen tip, a picture's name.
_TEXT_ATTRS = {
    f"{W}fldSimple": (f"{W}instr",),
    f"{W}hyperlink": (f"{W}tooltip",),
    f"{WP}docPr": ("descr", "title", "name"),
    f"{PIC}cNvPr": ("descr", "title", "name"),
    # a VML watermark's words are an attribute, shown on every page; its shape's alt text and picture's title
    f"{V}textpath": ("string",),
    f"{V}shape": ("alt",),
    f"{V}imagedata": (f"{VO}title",),
}
_NAME_ATTRS = {
    f"{W}name": (f"{W}val",),
    f"{W}aliases": (f"{W}val",),
    f"{W}altName": (f"{W}val",),
    f"{W}font": (f"{W}name",),
    f"{W}lvlText": (f"{W}val",),  # a list's numbering text, shown before every item
    f"{W}rFonts": (f"{W}ascii", f"{W}hAnsi", f"{W}eastAsia", f"{W}cs"),
    f"{A}theme": ("name",),
    f"{A}clrScheme": ("name",),
    f"{A}fontScheme": ("name",),
    f"{A}fmtScheme": ("name",),
    f"{THM15}themeFamily": ("name",),  # Word 2013 on names the theme's family too ("Office Theme", a brand's name)
    f"{A}latin": ("typeface",),
    f"{A}ea": ("typeface",),
    f"{A}cs": ("typeface",),
    f"{A}font": ("typeface",),
}


def _accept_changes(root: etree._Element) -> bool:
    """Every tracked change in *root* accepted (deletions dropped, insertions kept as text), no author,
    initials or date left on any element and no content control title or tag; whether anything changed."""
    changed = False
    for el in [e for e in root.iter() if e.tag in _DELETED or e.tag in _FORMAT_CHANGES or e.tag in _CONTROL_LABELS or e.tag in _EMBEDDED]:
        parent = el.getparent()
        if parent is not None:
            parent.remove(el)
            changed = True
    for el in [e for e in root.iter() if e.tag in _INSERTED]:
        parent = el.getparent()
        if parent is None:
            continue
        at = parent.index(el)
        for i, child in enumerate(list(el)):
            parent.insert(at + i, child)
        parent.remove(el)
        changed = True
    for el in root.iter():
        for attr in _PEOPLE_ATTRS:
            if attr in el.attrib:
                del el.attrib[attr]
                changed = True
    return changed


def _scrub_attributes(root: etree._Element, attrs: dict[str, tuple[str, ...]], part: str, scrub: Callable[[str, str], str]) -> bool:
    """The attributes *attrs* names of the elements of *root* scrubbed as text; whether any changed."""
    changed = False
    for el in root.iter(*attrs):
        for attr in attrs[el.tag]:
            value = el.get(attr)
            if value:
                new_value = scrub(value, part)
                if new_value != value:
                    el.set(attr, new_value)
                    changed = True
    return changed


def _scrub_names(data: bytes, part: str, scrub: Callable[[str, str], str], file: str) -> bytes:
    root = parse_xml(data, file=file, part=part)
    if not _scrub_attributes(root, _NAME_ATTRS, part, scrub):
        return data
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _scrub_part(data: bytes, part: str, scrub: Callable[[str, str], str], file: str) -> bytes:
    root = parse_xml(data, file=file, part=part)
    changed = _accept_changes(root)
    changed = _scrub_attributes(root, _TEXT_ATTRS, part, scrub) or changed
    for para in root.iter(f"{W}p"):  # a field's code, split across runs like its text
        codes = list(para.iter(f"{W}instrText"))
        joined = "".join(t.text or "" for t in codes)
        new = scrub(joined, part) if joined else joined
        if new != joined:
            codes[0].text = new
            for t in codes[1:]:
                t.text = ""
            changed = True
    for link in root.iter(f"{W}hyperlink"):
        if link.get(R_ID) is not None:  # a link out of the document: its text stays, the target goes
            del link.attrib[R_ID]
            changed = True
    for para in root.iter(f"{W}p"):
        texts = list(para.iter(f"{W}t"))
        if not texts:
            continue
        joined = "".join(t.text or "" for t in texts)  # Word splits words across runs
        new = scrub(joined, part)
        if new != joined:
            texts[0].text = new
            texts[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            for t in texts[1:]:
                t.text = ""
            changed = True
    if not changed:
        return data
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


# Part names as Word and python-docx write them. Any other name is the maker's tool's choice and may say what the
# template is for ("word/media/ProjectNightjar-logo.png", a picture a tool did not rename to image1.png): such a
# part is renamed neutrally, in the order of the zip, and every reference to it follows (relationships, content
# types, a picture's name that repeats its file's). Pictures are always numbered anew, whatever they were called;
# a part publication leaves out (an embedded workbook, custom XML) keeps its name, by which it is left out.
_KEPT_NAME = re.compile(
    r"^(\[Content_Types\]\.xml|docProps/(core|app|custom)\.xml|docProps/thumbnail\.[A-Za-z]{3,4}"
    r"|word/(document|styles|stylesWithEffects|settings|webSettings|fontTable|numbering|footnotes|endnotes"
    r"|comments(Extended|Ids|Extensible)?|people|vbaData|keyMapCustomizations|(header|footer)\d*|theme/theme\d*)\.xml"
    r"|word/(vbaProject|attachedToolbars)\.bin|customXml/(item|itemProps)\d*\.xml)$"
)
_NEUTRAL = re.compile(r"(image|header|footer|part)\d+\.\w+")
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_KNOWN_EXT = {
    *("png", "jpg", "jpeg", "jpe", "jfif", "gif", "bmp", "tif", "tiff", "emf", "wmf", "emz", "wmz", "svg", "webp", "ico", "wdp"),
    *("xml", "bin"),
}
_CT_HEADER = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
_CT_FOOTER = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"


def _content_types(data: bytes, file: str) -> Callable[[str], str]:
    """The content type of a part name by the package's [Content_Types].xml (override, then default by extension)."""
    overrides: dict[str, str] = {}
    defaults: dict[str, str] = {}
    if data:
        for node in parse_xml(data, file=file, part="[Content_Types].xml"):
            if node.tag == f"{_CT}Override":
                overrides[(node.get("PartName") or "").lstrip("/")] = node.get("ContentType") or ""
            elif node.tag == f"{_CT}Default":
                defaults[(node.get("Extension") or "").lower()] = node.get("ContentType") or ""
    return lambda name: overrides.get(name) or defaults.get(posixpath.splitext(name)[1][1:].lower(), "")


def _rels_source(rels_name: str) -> str | None:
    """The part whose relationships *rels_name* holds (``word/_rels/header1.xml.rels`` -> ``word/header1.xml``)."""
    folder, base = posixpath.split(rels_name)
    if posixpath.basename(folder) != "_rels" or not base.endswith(".rels"):
        return None
    return posixpath.join(posixpath.dirname(folder), base[: -len(".rels")])


def neutral_part_names(members: list[str], content_type: Callable[[str], str]) -> dict[str, str]:
    """Old name to new for each part of a template whose name is not one Word gives (and for each picture),
    and for the relationships of a renamed part; deterministic (the zip's order)."""
    taken = set(members)
    renames: dict[str, str] = {}
    counters: dict[str, int] = {}

    def fresh(stem: str, ext: str) -> str:
        while True:
            counters[stem] = counters.get(stem, 0) + 1
            new = f"{stem}{counters[stem]}.{ext}"
            if new not in taken or new in renames:  # a picture's old name may be another's new one: all are renamed
                taken.add(new)
                return new

    media = [n for n in members if n.startswith("word/media/")]
    others = [
        n
        for n in members
        if not n.startswith("word/media/") and not n.endswith(".rels") and not _KEPT_NAME.match(n) and not dropped_when_published(n)
    ]
    taken -= set(media)
    for name in [*media, *others]:
        ext = posixpath.splitext(name)[1][1:]
        ext = ext if ext.lower() in _KNOWN_EXT else "bin"
        kind = content_type(name)
        stem = (
            "word/media/image"
            if name in media
            else "word/header"
            if kind == _CT_HEADER
            else "word/footer"
            if kind == _CT_FOOTER
            else "word/part"
        )
        new = fresh(stem, ext)
        if new != name:
            renames[name] = new
    for name in members:
        source = _rels_source(name)
        if source in renames:
            new_source = renames[source]
            renames[name] = posixpath.join(posixpath.dirname(new_source), "_rels", posixpath.basename(new_source) + ".rels")
    return renames


def _renamed_references(name: str, data: bytes, renames: Mapping[str, str], file: str) -> bytes:
    """*data* (part *name*, as renamed) with what referred to a renamed part following it."""
    old_of = {new: old for old, new in renames.items()}
    if name == "[Content_Types].xml":
        root = parse_xml(data, file=file, part=name)
        defaults = {(n.get("Extension") or "").lower(): n.get("ContentType") for n in root if n.tag == f"{_CT}Default"}
        for node in list(root):
            if node.tag == f"{_CT}Override" and (node.get("PartName") or "").lstrip("/") in renames:
                node.set("PartName", "/" + renames[(node.get("PartName") or "").lstrip("/")])
        overridden = {(n.get("PartName") or "").lstrip("/") for n in root if n.tag == f"{_CT}Override"}
        for old, new in renames.items():  # a new extension's type: that of the old name
            if new in overridden or new.endswith(".rels"):
                continue
            old_kind = defaults.get(posixpath.splitext(old)[1][1:].lower())
            if old_kind and defaults.get(posixpath.splitext(new)[1][1:].lower()) != old_kind:
                etree.SubElement(root, f"{_CT}Override", PartName="/" + new, ContentType=old_kind)
        return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
    if name.endswith(".rels"):
        source = _rels_source(old_of.get(name, name))
        base = posixpath.dirname(source) if source is not None else ""
        new_base = posixpath.dirname(renames.get(source, source)) if source is not None else ""
        root = parse_xml(data, file=file, part=name)
        for rel in root.iter(f"{_RELS}Relationship"):
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External" or not target:
                continue
            resolved = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(base, target))
            moved = renames.get(resolved, resolved)
            if moved != resolved or new_base != base:
                rel.set("Target", "/" + moved if target.startswith("/") else posixpath.relpath(moved, new_base or "."))
        return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
    if name.endswith(".xml"):  # a picture's name or alt text that repeats its file's name
        for old, new in renames.items():
            before, after = posixpath.basename(old), posixpath.basename(new)
            if len(before) >= 5 and "." in before and not _NEUTRAL.fullmatch(before):
                data = data.replace(escape(before).encode("utf-8"), after.encode("utf-8"))
    return data
