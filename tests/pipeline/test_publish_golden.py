"""Golden structure of the package: headings, captions, table headers and sizes of each form.

Run ``pytest --regen-golden`` (or with MDPTM_REGEN_GOLDEN=1) to rewrite the golden file after a
deliberate change, then read the diff before committing it. A missing golden file fails.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from mdptm.pipeline.publish import publish
from mdptm.plugins import ExportContext
from tests.conftest import DATA, Golden
from tests.ptm_fixture import coverage, model, review

GOLDEN = DATA / "publish" / "golden-structure.txt"


def _text(el: object) -> str:
    return "".join(t.text or "" for t in el.iter(qn("w:t")))  # type: ignore[attr-defined]


def docx_outline(path: Path) -> list[str]:
    d = docx.Document(str(path))
    styles = {s.style_id: s.name for s in d.styles}
    out = []
    for child in d.element.body:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            style_el = child.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            style = styles.get(style_el.get(qn("w:val")), "") if style_el is not None else ""
            if style.startswith(("Heading", "Title", "Caption", "TOC Heading")):
                out.append(f"docx {style}: {_text(child)}")
            if child.find(f".//{qn('w:drawing')}") is not None:
                out.append("docx picture")
        elif tag == "tbl":
            rows = child.findall(qn("w:tr"))
            head = [_text(tc) for tc in rows[0].findall(qn("w:tc"))] if rows else []
            out.append(f"docx table [{' | '.join(head)}] rows={len(rows) - 1}")
    return out


def xlsx_outline(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path, read_only=True)
    out = []
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        out.append(f"xlsx {ws.title} [{' | '.join(str(v) for v in rows[0])}] rows={len(rows) - 1}")
    return out


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.out: list[str] = []
        self._tag: str | None = None
        self._buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-5]|caption|figcaption", tag):
            self._tag, self._buf = tag, []
        elif tag == "table":
            self.out.append("html table")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._tag:
            self.out.append(f"html {tag}: {''.join(self._buf)}")
            self._tag = None

    def handle_data(self, data: str) -> None:
        if self._tag:
            self._buf.append(data)


def html_outline(path: Path) -> list[str]:
    parser = _Headings()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.out


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("golden") / "ptm"
    publish(model(), out, ExportContext(coverage=coverage(), review=review(), epoch=1740787200))
    return out


def test_structure_matches_golden(package: Path, golden: Golden) -> None:
    lines = docx_outline(package / "ptm.docx") + xlsx_outline(package / "ptm.xlsx") + html_outline(package / "index.html")
    golden.check(GOLDEN, "\n".join(lines) + "\n")
