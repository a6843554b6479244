"""Builders for the Word, Excel and CSV layouts the import tests read, and a one-call import."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import docx
import openpyxl
from docx.oxml import parse_xml

from mdptm.model import Model
from mdptm.model.report import ImportReport
from mdptm.model.validate import validate_model
from mdptm.pipeline.importing import ImportSource, import_sources

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
# A 1x1 PNG: the smallest picture Word accepts as a diagram.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def run_import(*paths: Path, profile: dict[str, Any] | None = None, fmt: str | None = None) -> tuple[Model, ImportReport]:
    return import_sources([ImportSource(p, fmt, profile) for p in paths])


def checked_import(path: Path) -> tuple[Model, ImportReport]:
    """Import one file; the model must validate and the report reconcile (seen = imported + merged + skipped)."""
    model, report = import_sources([ImportSource(path)])
    assert validate_model(model) == []
    assert reconciles(report)
    return model, report


def load_text(tmp_path: Path, text: str, name: str = "tm.md") -> tuple[Model, ImportReport]:
    """*text* written as *name* and imported by :func:`checked_import`."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return checked_import(path)


def warning_messages(report: ImportReport) -> list[str]:
    return [w.message for w in report.warnings]


def skipped(report: ImportReport) -> list[str]:
    """Each skipped record as "locator: reason"."""
    return [f"{r.locator}: {r.reason}" for r in report.records if r.disposition == "skipped"]


def reconciles(report: ImportReport) -> bool:
    c = report.counts
    return c.seen == c.imported + c.merged + c.skipped == len(report.records)


def records_at(report: ImportReport, locator: str) -> list[Any]:
    return [r for r in report.records if r.locator == locator]


def warnings_with(report: ImportReport, text: str) -> list[Any]:
    return [w for w in report.warnings if text.lower() in w.message.lower()]


def workbook(
    path: Path,
    sheets: dict[str, Sequence[Sequence[Any]]],
    tweak: Callable[[openpyxl.Workbook], None] | None = None,
) -> Path:
    """An .xlsx with one sheet per entry; rows are written from A1 down (None = empty cell)."""
    wb = openpyxl.Workbook()
    first = True
    for name, rows in sheets.items():
        ws = wb.active if first else wb.create_sheet(name)
        assert ws is not None
        ws.title = name
        first = False
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None and value != "":
                    ws.cell(row=r, column=c, value=value)
    if tweak is not None:
        tweak(wb)
    wb.save(str(path))
    return path


class Doc:
    """A python-docx document with the helpers a threat-model test needs."""

    def __init__(self) -> None:
        self.doc = docx.Document()

    def title(self, text: str) -> Doc:
        self.doc.add_paragraph(text, style="Title")
        return self

    def heading(self, text: str, level: int = 1) -> Doc:
        self.doc.add_heading(text, level)
        return self

    def para(self, text: str, style: str | None = None, bold: bool = False) -> Doc:
        p = self.doc.add_paragraph(style=style)
        run = p.add_run(text)
        run.bold = bold or None
        return self

    def bullets(self, *items: str, numbered: bool = False) -> Doc:
        for item in items:
            self.doc.add_paragraph(item, style="List Number" if numbered else "List Bullet")
        return self

    def table(self, rows: Sequence[Sequence[str]]) -> Any:
        t = self.doc.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
        return t

    def image(self, caption: str | None = None, alt: str = "") -> Doc:
        self.doc.add_picture(io.BytesIO(PNG))
        if alt:
            for dp in self.doc.paragraphs[-1]._p.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"):
                dp.set("descr", alt)
        if caption:
            self.doc.add_paragraph(caption, style="Caption")
        return self

    @staticmethod
    def track_insert(paragraph: Any, text: str) -> None:
        paragraph._p.append(
            parse_xml(
                f'<w:ins {W_NS} w:id="91" w:author="A" w:date="2024-01-01T00:00:00Z">'
                f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:ins>'
            )
        )

    @staticmethod
    def track_delete(paragraph: Any, text: str) -> None:
        paragraph._p.append(
            parse_xml(
                f'<w:del {W_NS} w:id="92" w:author="A" w:date="2024-01-01T00:00:00Z">'
                f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'
            )
        )

    @staticmethod
    def delete_row(row: Any) -> None:
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(parse_xml(f'<w:del {W_NS} w:id="93" w:author="A" w:date="2024-01-01T00:00:00Z"/>'))

    @staticmethod
    def hidden_run(paragraph: Any, text: str) -> None:
        paragraph._p.append(parse_xml(f"<w:r {W_NS}><w:rPr><w:vanish/></w:rPr><w:t>{text}</w:t></w:r>"))

    def comment(self, paragraph: Any, text: str) -> None:
        self.doc.add_comment(paragraph.runs, text=text, author="Reviewer", initials="R")

    def save(self, path: Path) -> Path:
        self.doc.save(str(path))
        return path
