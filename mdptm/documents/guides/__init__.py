"""The hospital lifecycle guides (SPEC §8): one short document per phase, derived from the model.

A hospital (HDO) reads a PTM at five moments: before it buys (pre-procurement), when it writes the
contract (procurement), when it installs the device (deployment), while it runs it (operations) and
when it retires it (decommissioning). Each guide answers that moment's questions with the model's own
facts — its flows, ports, zones, assets, controls, threats and support terms — so nothing in a guide
would fit another product. Where the model is silent, the guide says so instead of filling the gap.

Words the guides use to read a model (which zone names mean "outside the hospital", which use cases
are about installation) are data: ``mappings/vocabulary/guide-terms.yaml``, read by :mod:`.facts`.
One module per guide (``pre_procurement``, ``procurement``, ``deployment``, ``operations``,
``decommissioning``), what they read from the model (``facts``, ``credentials``) and share
(``_shared``); this module builds and writes them all and re-exports what callers name.
"""

from __future__ import annotations

from pathlib import Path

from mdptm.documents.guides import decommissioning, deployment, operations, pre_procurement, procurement
from mdptm.documents.guides._shared import PHASE_TITLES, PHASES, Drawn
from mdptm.documents.guides.credentials import Credential
from mdptm.documents.guides.decommissioning import holding_assets
from mdptm.documents.guides.facts import LOCATION_WORDS, Facts, GuideTerms, Location, load_terms
from mdptm.documents.guides.operations import RISK_ROWS
from mdptm.documents.guides.procurement import Principle, _group_titles, contract_language, mc2_principles
from mdptm.model import Model
from mdptm.model.results import Coverage, Review
from mdptm.plugins import ExportContext
from mdptm.render.docir import Doc, Image

__all__ = [
    "LOCATION_WORDS",
    "PHASES",
    "PHASE_TITLES",
    "RISK_ROWS",
    "Credential",
    "Facts",
    "GuideTerms",
    "Location",
    "Principle",
    "_group_titles",
    "build_guides",
    "contract_language",
    "holding_assets",
    "load_terms",
    "mc2_principles",
    "write_guides",
]

# -------------------------------------------------------------------------------------- public


def build_guides(
    model: Model, coverage: Coverage | None = None, review: Review | None = None, terms: GuideTerms | None = None
) -> dict[str, Doc]:
    """One document per lifecycle phase, in the order of :data:`PHASES`."""
    f = Facts.of(model, terms)
    return {
        "pre-procurement": pre_procurement.pre_procurement(f, review),
        "procurement": procurement.procurement(f, coverage),
        "deployment": deployment.deployment(f),
        "operations": operations.operations(f),
        "decommissioning": decommissioning.decommissioning(f),
    }


def write_guides(folder: Path, docs: dict[str, Doc], ctx: ExportContext) -> list[Path]:
    """Write ``folder/guides/<phase>.md`` and ``.docx`` for each guide; returns the files written.

    The Word form uses the package's branding template (``ctx.template``) and fixed timestamps
    (``ctx.epoch``); ``ctx.draft`` marks both forms DRAFT.
    """
    from mdptm.render import markdown as render_md
    from mdptm.render.docx import render_docx

    out_dir = folder / "guides"
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for phase, doc in docs.items():
        doc.draft = doc.draft or ctx.draft
        pictures: list[Path] = []
        for block in list(doc.blocks):
            if isinstance(block, Drawn) and block.draw is not None:
                png = block.draw(out_dir / block.path.name)
                if png is None:
                    doc.blocks.remove(block)
                else:
                    pictures.append(png)
        md = out_dir / f"{phase}.md"
        render_md.write(doc, md)  # pictures linked by name, beside the guide
        docx = out_dir / f"{phase}.docx"
        render_docx(_absolute_pictures(doc, out_dir), docx, template=ctx.template, epoch=ctx.epoch)
        written += [*pictures, md, docx]
    return written


def _absolute_pictures(doc: Doc, folder: Path) -> Doc:
    from dataclasses import replace

    blocks = [Image(folder / b.path.name, b.caption, b.width_cm, b.max_height_cm) if isinstance(b, Image) else b for b in doc.blocks]
    return replace(doc, blocks=blocks)
