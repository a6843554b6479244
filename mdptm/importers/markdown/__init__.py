"""Markdown (``.md``) threat models as people keep them in their repositories (SPEC §3).

The text is parsed by markdown-it-py (CommonMark with pipe tables, front matter and definition lists);
this module only reads its token stream. Headings are sections and FDA views as in Word; pipe tables
are Word tables (:mod:`mdptm.importers.tabular.tables`); threats are heading blocks with bold-label or bullet fields,
labelled bullets (``**Threat:**`` / ``**Mitigation:**``) or bullets under a STRIDE heading; mermaid
flowcharts give elements, flows and trust zones. A block that is not read is reported as skipped with
its reason; nothing is made from prose that merely talks about threats.
"""

from mdptm.importers.markdown.document import (
    Code,
    Inline,
    ListItem,
    MdBlock,
    MdList,
    MdTable,
    Other,
    Para,
    Section,
    iter_sections,
    parse_markdown,
)
from mdptm.importers.markdown.importer import MAX_BYTES, MarkdownImporter
from mdptm.importers.markdown.words import VIEW_IDS, MarkdownWords, markdown_words

__all__ = [
    "MAX_BYTES",
    "Code",
    "Inline",
    "ListItem",
    "MdBlock",
    "MdList",
    "MdTable",
    "Other",
    "Para",
    "VIEW_IDS",
    "MarkdownImporter",
    "MarkdownWords",
    "Section",
    "iter_sections",
    "markdown_words",
    "parse_markdown",
]
