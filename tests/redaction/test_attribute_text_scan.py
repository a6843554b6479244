"""The leak scan's detectors read the text a file carries in attributes (a Word field's code, a link's screen
tip, a picture's alt text, a change's author), not only its visible text: an internal address there, written
by no model text, was found nowhere."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from mdptm.model import Model
from mdptm.redaction.leakscan import scan
from mdptm.redaction.redact import Policy, output_detector

PUBLIC = Model.model_validate({"schema": "mdptm/1", "product": {"name": "Pump", "manufacturer": "Maker"}, "document": {"version": "1"}})


@pytest.mark.parametrize(
    ("markup", "found"),
    [
        (
            '<w:fldSimple w:instr=" HYPERLINK &quot;http://wiki.meridian.corp/branding&quot; "><w:r><w:t>Brand</w:t></w:r></w:fldSimple>',
            "wiki.meridian.corp",
        ),
        ('<w:hyperlink w:anchor="top" w:tooltip="ask ops@meridian.corp"><w:r><w:t>Top</w:t></w:r></w:hyperlink>', "ops@meridian.corp"),
        ('<wp:docPr id="1" name="Picture 1" descr="printed on 10.44.1.2"/>', "10.44.1.2"),
        ('<w:ins w:id="1" w:author="build01.meridian.corp"><w:r><w:t>x</w:t></w:r></w:ins>', "build01.meridian.corp"),
    ],
    ids=["field-code", "screen-tip", "alt-text", "change-author"],
)
def test_an_internal_address_in_an_attribute_is_found(tmp_path: Path, markup: str, found: str) -> None:
    part = f'<w:hdr xmlns:w="w" xmlns:wp="wp"><w:p>{markup}</w:p></w:hdr>'
    with zipfile.ZipFile(tmp_path / "ptm.docx", "w") as zf:
        zf.writestr("word/header1.xml", part)
    detect = output_detector(Policy(), PUBLIC, PUBLIC)
    hits = scan(tmp_path, [], detect=detect)
    assert any(found in h.needle for h in hits), hits


def test_public_attribute_text_is_no_hit(tmp_path: Path) -> None:
    part = (
        '<w:hdr xmlns:w="w" xmlns:wp="wp"><w:p><wp:docPr id="1" name="Picture 1" descr="Network diagram of the pump"/>'
        '<w:fldSimple w:instr=" PAGE "/><w:hyperlink w:tooltip="https://example.com/psirt"/></w:p></w:hdr>'
    )
    with zipfile.ZipFile(tmp_path / "ptm.docx", "w") as zf:
        zf.writestr("word/header1.xml", part)
    assert scan(tmp_path, [], detect=output_detector(Policy(), PUBLIC, PUBLIC)) == []


@pytest.mark.parametrize(
    ("member", "markup", "found"),
    [
        (
            "word/header1.xml",
            '<w:hdr xmlns:w="w" xmlns:v="v"><w:p><w:r><w:pict><v:shape><v:textpath string="ask ops@meridian.corp"/></v:shape>'
            "</w:pict></w:r></w:p></w:hdr>",
            "ops@meridian.corp",
        ),
        (
            "word/styles.xml",
            '<w:styles xmlns:w="w"><w:style w:styleId="X1"><w:name w:val="Body for jenkins.meridian.corp builds"/></w:style></w:styles>',
            "jenkins.meridian.corp",
        ),
        ("word/fontTable.xml", '<w:fonts xmlns:w="w"><w:font w:name="Build svc01.meridian.corp Sans"/></w:fonts>', "svc01.meridian.corp"),
        ("word/theme/theme1.xml", '<a:theme xmlns:a="a" name="Theme of 10.44.1.2"><a:latin typeface="Calibri"/></a:theme>', "10.44.1.2"),
    ],
    ids=["watermark", "style-name", "font-name", "theme-name"],
)
def test_an_internal_address_in_a_templates_names_is_found(tmp_path: Path, member: str, markup: str, found: str) -> None:
    """A VML watermark's words (shown on every page), a style, font or theme name a branding template brings:
    attributes the detectors did not read, so an internal address there was published unnoticed."""
    with zipfile.ZipFile(tmp_path / "ptm.docx", "w") as zf:
        zf.writestr(member, markup)
    hits = scan(tmp_path, [], detect=output_detector(Policy(), PUBLIC, PUBLIC))
    assert any(found in h.needle for h in hits), hits


def test_public_template_names_are_no_hit(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "ptm.docx", "w") as zf:
        zf.writestr("word/styles.xml", '<w:styles xmlns:w="w"><w:style w:styleId="H1"><w:name w:val="heading 1"/></w:style></w:styles>')
        zf.writestr("word/fontTable.xml", '<w:fonts xmlns:w="w"><w:font w:name="Calibri"/></w:fonts>')
        zf.writestr("word/header1.xml", '<w:hdr xmlns:w="w" xmlns:v="v"><v:textpath string="DRAFT"/></w:hdr>')
    assert scan(tmp_path, [], detect=output_detector(Policy(), PUBLIC, PUBLIC)) == []
