"""A Word branding template made fit to publish: its header, footer and note text scrubbed like model text.

A maker's template is an internal document too: its header may name a ticket, an internal host or a
person. The renderer keeps the template's headers and footers, so before a public build uses it, the
text of those parts goes through the same redaction as the model (terms, patterns, detectors), pictures'
alt text and names, field codes and links' screen tips too; their tracked changes are accepted (deleted
text and the authors' names go) and content controls lose their titles and tags; the pictures lose their
metadata text (:mod:`mdptm.render.image_meta`), and hyperlinks to outside the document lose their
target. External relationships (``attachedTemplate`` pointing at ``file:///C:/Users/...``) are dropped
when the document is written (:func:`mdptm.base.office.rewrite_zip`). The leak scan then reads every
part as usual.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from mdptm.base.office import rewrite_zip
from mdptm.base.safety import check_zip, parse_xml
from mdptm.errors import InputError
from mdptm.render.image_meta import strip_metadata

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
V = "{urn:schemas-microsoft-com:vml}"
VO = "{urn:schemas-microsoft-com:office:office}"
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

    def edit(name: str, data: bytes) -> bytes:
        if name.startswith("word/media/"):  # a logo's author, path or editing history in its metadata
            return strip_metadata(data)
        if name == "[Content_Types].xml":  # a .dotx or .dotm template's main part is a document's once used
            for kind in _TEMPLATE_MAIN:
                data = data.replace(kind, _DOCUMENT_MAIN)
            return data
        if _TEXT_PARTS.match(name):
            return _scrub_part(data, name, scrub, str(template))
        return _scrub_names(data, name, scrub, str(template)) if _NAME_PARTS.match(name) else data

    rewrite_zip(template, edit=edit, target=out)
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
    f"{W}rFonts": (f"{W}ascii", f"{W}hAnsi", f"{W}eastAsia", f"{W}cs"),
    f"{A}theme": ("name",),
    f"{A}clrScheme": ("name",),
    f"{A}fontScheme": ("name",),
    f"{A}fmtScheme": ("name",),
    f"{A}latin": ("typeface",),
    f"{A}ea": ("typeface",),
    f"{A}cs": ("typeface",),
    f"{A}font": ("typeface",),
}


def _accept_changes(root: etree._Element) -> bool:
    """Every tracked change in *root* accepted (deletions dropped, insertions kept as text), no author,
    initials or date left on any element and no content control title or tag; whether anything changed."""
    changed = False
    for el in [e for e in root.iter() if e.tag in _DELETED or e.tag in _FORMAT_CHANGES or e.tag in _CONTROL_LABELS]:
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
