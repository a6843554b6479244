"""The branding template's theme family is a name the theme carries, scrubbed like the theme's own name.

Word 2013 and later write ``<thm15:themeFamily name="Office Theme" .../>`` into the theme of every document it
saves; a maker's brand theme names it after the brand or the product ("Nightjar Corporate"). The theme's name,
its colour, font and format schemes and its typefaces were scrubbed, the family's name was not: every Word file
of the package carried it (the leak scan refused the build, with nothing the maker could change in the model)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from tests.pipeline.redteam_projects import package_views, project
from tests.test_cli_foundation import run

THM15 = "http://schemas.microsoft.com/office/thememl/2012/main"


def _brand(path: Path, family: str) -> None:
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "Acme Medical"
    d.save(str(path))
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    ext = (
        f'<a:extLst><a:ext uri="{{05A4C25C-085E-4340-85A3-A5531E510DB2}}"><thm15:themeFamily xmlns:thm15="{THM15}" '
        f'name="{family}" id="{{62F939B6-93AF-4DB8-9C6B-D6C7DFDC589F}}" vid="{{4A3C46E8-61CC-4603-A589-7422A47A8E4A}}"/>'
        "</a:ext></a:extLst></a:theme>"
    )
    members["word/theme/theme1.xml"] = members["word/theme/theme1.xml"].replace(b"</a:theme>", ext.encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


@pytest.mark.parametrize("family", ["Nightjar Corporate", "Brand for build01.meridian.corp"])
def test_the_theme_family_name_is_scrubbed(tmp_path: Path, capsys: pytest.CaptureFixture[str], family: str) -> None:
    proj = project(tmp_path / "proj", template="brand.docx")
    _brand(proj / "brand.docx", family)
    code, _, err = run(["build", str(proj), "-o", str(tmp_path / "out")], capsys)
    assert code == 0, err
    for where, text in package_views(tmp_path / "out"):
        assert "nightjar" not in text and "meridian" not in text, where
    with zipfile.ZipFile(tmp_path / "out" / "ptm.docx") as zf:
        theme = zf.read("word/theme/theme1.xml").decode("utf-8")
    assert "themeFamily" in theme  # the family stays, its name scrubbed
