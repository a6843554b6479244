"""The public threat model as a document (SPEC §7): content built once, rendered to Word and HTML.

Chapters follow the Four Question Framework — what are we working on, what can go wrong, what are
we going to do about it, did we do a good job — so a hospital reads the maker's analysis in the
order the analysis was done. Every threat is listed, fully mitigated ones included, with its
controls; what the hospital itself must do is stated on its own.

Only published fields are read: never ``source``, ``provenance``, ``notes`` or ``extra``.

The builder is one collaborator per part (``system``: front matter and chapter 1, ``threats``,
``mitigations``, ``assurance``) over the state they share (``_shared.Build``).
"""

from __future__ import annotations

from pathlib import Path

from mdptm.documents.ptm._shared import QUESTIONS, Build, Layout, TitledTable, label, plural
from mdptm.documents.ptm.assurance import AssuranceChapter, changes_since
from mdptm.documents.ptm.mitigations import MitigationChapter
from mdptm.documents.ptm.system import SystemChapter
from mdptm.documents.ptm.threats import ThreatChapter
from mdptm.model import Model
from mdptm.plugins import ExportContext
from mdptm.render.docir import Doc

__all__ = [
    "QUESTIONS",
    "Layout",
    "PtmBuilder",
    "TitledTable",
    "build_ptm_doc",
    "build_ptm_docs",
    "changes_since",
    "label",
    "plural",
]


class PtmBuilder:
    """Assembles the PTM :class:`Doc` for one model and export context, chapter by chapter."""

    def __init__(self, model: Model, ctx: ExportContext, workdir: Path, layout: Layout = "grouped"):
        self.state = Build(model, ctx, workdir, layout)
        self.doc = self.state.doc
        self.system = SystemChapter(self.state)
        self.threats = ThreatChapter(self.state)
        self.mitigations = MitigationChapter(self.state)
        self.assurance = AssuranceChapter(self.state)

    def build(self) -> Doc:
        self.system.front_matter()
        self.system.chapter_1()
        self.threats.chapter_2()
        self.mitigations.chapter_3()
        self.assurance.chapter_4()
        return self.doc

    def register_variant(self) -> Doc:
        """The built document with chapter 2 as one threat register (see :meth:`ThreatChapter.register_variant`)."""
        return self.threats.register_variant()


def build_ptm_doc(model: Model, ctx: ExportContext, workdir: Path, layout: Layout = "grouped") -> Doc:
    """The PTM as a Doc. Pictures are drawn into *workdir* (reused when already there).
    *layout* ``grouped`` gives one threat table per view or element (Word); ``register`` one
    filterable table of all threats (HTML)."""
    return PtmBuilder(model, ctx, workdir, layout).build()


def build_ptm_docs(model: Model, ctx: ExportContext, workdir: Path) -> tuple[Doc, Doc]:
    """Both forms at the cost of one: the grouped Doc for Word and the register Doc for HTML."""
    builder = PtmBuilder(model, ctx, workdir, "grouped")
    grouped = builder.build()
    return grouped, builder.register_variant()
