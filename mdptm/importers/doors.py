"""The entry-point doors of the table-reading importers (Excel, CSV, Word, Markdown): name, extensions, sniffing.

Every ``mdptm import`` loads every importer's entry point, to warn about broken plug-ins and to let each
say how sure it is that it reads the file. The readers behind these four doors share the table machinery
(``mdptm.importers.tabular``: header vocabulary, row records, reference resolution), which takes longer
to import than a whole .tm7 takes to read; so the door is this light class, and the reader (a subclass in
its own module, which only adds ``load``) is imported when a file of its kind is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mdptm.plugins import ImportContext, Importer

if TYPE_CHECKING:
    from mdptm.model import Model


class XlsxDoor(Importer):
    """Excel threat registers: every sheet scanned, header rows found by their synonyms."""

    name = "xlsx"
    extensions = (".xlsx", ".xlsm")

    def sniff(self, path: Path, head: bytes) -> int:
        if not head.startswith(b"PK"):
            return 0
        if path.suffix.lower() in self.extensions:
            return 80
        return 30 if b"xl/" in head else 0

    def load(self, path: Path, ctx: ImportContext) -> Model:
        from mdptm.importers.xlsx import XlsxImporter

        return XlsxImporter().load(path, ctx)

    def read_ahead(self, path: Path) -> object | None:
        """Every sheet as a grid (:func:`mdptm.importers.xlsx.read_workbook`)."""
        from mdptm.importers.xlsx import read_workbook

        return read_workbook(path)


class CsvDoor(Importer):
    """CSV threat registers: delimiter (, ; tab |) and encoding (UTF-8, BOM, cp1252) sniffed."""

    name = "csv"
    extensions = (".csv", ".tsv")

    def sniff(self, path: Path, head: bytes) -> int:
        return 70 if path.suffix.lower() in self.extensions else 0

    def load(self, path: Path, ctx: ImportContext) -> Model:
        from mdptm.importers.xlsx import CsvImporter

        return CsvImporter().load(path, ctx)


class DocxDoor(Importer):
    """Word threat models: FDA views from headings, items from tables, facts from cover tables."""

    name = "docx"
    extensions = (".docx", ".docm")

    def sniff(self, path: Path, head: bytes) -> int:
        if not head.startswith(b"PK"):
            return 0
        if path.suffix.lower() in self.extensions:
            return 80
        return 30 if b"word/" in head else 0

    def load(self, path: Path, ctx: ImportContext) -> Model:
        from mdptm.importers.docx import DocxImporter

        return DocxImporter().load(path, ctx)


class MarkdownDoor(Importer):
    """Markdown threat models: heading blocks, labelled bullets, pipe tables and mermaid flowcharts."""

    name = "markdown"
    extensions = (".md", ".markdown")

    def sniff(self, path: Path, head: bytes) -> int:
        if path.suffix.lower() not in self.extensions:
            return 0
        return 0 if head.startswith(b"PK") or b"\x00" in head else 60

    def load(self, path: Path, ctx: ImportContext) -> Model:
        from mdptm.importers.markdown import MarkdownImporter

        return MarkdownImporter().load(path, ctx)


__all__ = ["CsvDoor", "DocxDoor", "MarkdownDoor", "XlsxDoor"]
