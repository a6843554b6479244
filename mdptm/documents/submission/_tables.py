"""The item tables the Word documents of the submission set share (elements, flows, assets, threats, controls)."""

from __future__ import annotations

from collections.abc import Sequence

from mdptm.documents.labeling import asked_of
from mdptm.documents.netplan import encryption_stated
from mdptm.documents.submission._shared import (
    GAP_FILL,
    NOT_STATED,
    OPEN_STATUSES,
    WARN_FILL,
    Index,
    _level,
    _words,
    category_label,
    control_status,
    level_fill,
    responsibility_text,
    risk_text,
    source_rows,
    stated,
    threat_status,
    unverified,
    verification_text,
)
from mdptm.model import Asset, Control, Element, Flow, Threat
from mdptm.model.evidence import is_placeholder, says_none
from mdptm.render.docir import Doc, Table


def _elements_table(doc: Doc, ix: Index, elements: Sequence[Element], caption: str) -> None:
    if not elements:
        doc.p("No elements are listed for this view.", style="note")
        return
    rows = [[e.id, e.name, _words(e.kind), ix.name(e.trust_zone) if e.trust_zone else "—", _described(e)] for e in elements]
    doc.table(["ID", "Element", "Kind", "Trust zone", "Description"], rows, caption=caption, widths=[1.3, 2.3, 1.5, 1.8, 3.9])


def _flows_table(doc: Doc, ix: Index, flows: Sequence[Flow], caption: str) -> None:
    if not flows:
        doc.p("No data flows are listed for this view.", style="note")
        return
    rows: list[list[str]] = []
    fills: dict[tuple[int, int], str] = {}
    for r, f in enumerate(flows):
        said = [x for x in (f.protocol, f.port) if x]
        proto = " / ".join(said) or "not stated"
        if said and all(is_placeholder(x) for x in said):  # "TBD / TBD" states no protocol or port
            proto += " (placeholders: not stated)" if len(said) > 1 else " (a placeholder: not stated)"
            fills[(r, 3)] = WARN_FILL
        cells = []
        for c, value in ((5, f.authentication), (6, f.encryption)):
            if value is None:  # the model is silent: "not stated", as the Appendix 2 table says, not "unknown"
                cells.append(NOT_STATED)
                fills[(r, c)] = WARN_FILL
            elif not value.strip() or says_none(value):  # the source says there is none ("none (proprietary protocol)"): a gap
                cells.append(value)
                fills[(r, c)] = GAP_FILL
            elif is_placeholder(value):  # "TBD" is as unknown as a blank
                cells.append(stated(value, NOT_STATED)[0])
                fills[(r, c)] = WARN_FILL
            else:
                cells.append(value)
                if c == 6 and not encryption_stated(value):  # "not encrypted", "TLS (planned)": read as the guides read it
                    fills[(r, c)] = GAP_FILL
        rows.append([f.id, f.name or "—", ix.ends(f), proto, ix.labels(f.data) or "—", *cells])
    doc.table(
        ["ID", "Flow", "From → to", "Protocol / port", "Data", "Authentication", "Encryption"],
        rows,
        caption=caption,
        widths=[1.2, 1.7, 2.5, 1.6, 2.1, 1.8, 1.6],
        fills=fills,
    )


def _assets_table(doc: Doc, ix: Index, assets: Sequence[Asset], caption: str) -> None:
    if not assets:
        doc.p("No assets are recorded for this view.", style="note")
        return
    rows = []
    fills: dict[tuple[int, int], str] = {}
    for r, a in enumerate(assets):
        cia = "/".join(x[0].upper() if x else "–" for x in (a.confidentiality, a.integrity, a.availability))
        # a blank disposal the labelling asks for (VI.A bullet 14: PHI, credentials, ...) is a gap; else a plain dash
        disposal, gap = stated(a.disposal, NOT_STATED if asked_of("assets", a, "disposal") else "—")
        if gap and disposal != "—":  # a placeholder, or a blank the labelling asks to fill
            fills[(r, 5)] = WARN_FILL
        rows.append(
            [
                a.id,
                a.name,
                _words(a.kind),
                cia,
                ", ".join(ix.name(s) for s in a.stored_in) or "—",
                disposal,
                _described(a),
            ]
        )
    header = ["ID", "Asset", "Kind", "C/I/A", "Stored in", "Disposal", "Description"]
    widths = [1.1, 1.8, 1.2, 0.8, 1.5, 1.4, 2.2]
    if not any(row[-1] for row in rows):  # no asset is described: no empty column squeezing the others
        header, widths, rows = header[:-1], widths[:-1], [row[:-1] for row in rows]
    doc.table(header, rows, caption=caption, widths=widths, fills=fills)


def _described(item: Element | Asset) -> str:
    """An element's or asset's description with what else its author wrote of it (the source's other columns)."""
    said = [" ".join(item.description.split())] if item.description.strip() else []
    said += [f"{key.removeprefix('In the source: ')}: {value}" for key, value in source_rows(item)]
    return " — ".join(said)


def _threats_table(doc: Doc, threats: Sequence[Threat], caption: str) -> None:
    if not threats:
        doc.p("No threats are recorded for this view.", style="note")
        return
    rows, fills = [], {}
    for r, t in enumerate(threats):
        rows.append(
            [t.id, t.title, ", ".join(_words(s) for s in t.stride) or "—", risk_text(t.risk), risk_text(t.residual_risk), threat_status(t)]
        )
        for c, lvl in ((3, _level(t.risk)), (4, _level(t.residual_risk))):
            if lvl:
                fills[(r, c)] = level_fill(lvl)
        if t.status in OPEN_STATUSES:
            fills[(r, 5)] = GAP_FILL
    doc.table(
        ["ID", "Threat", "STRIDE", "Risk before controls", "Residual risk", "Status"],
        rows,
        caption=caption,
        widths=[1.2, 3.2, 1.8, 2.0, 2.0, 1.5],
        fills=fills,
    )


def _controls_table(doc: Doc, controls: Sequence[Control], caption: str) -> None:
    if not controls:
        doc.p("No controls are recorded for this view.", style="note")
        return
    rows, fills = [], {}
    for r, c in enumerate(controls):
        rows.append(
            [
                c.id,
                c.title,
                category_label(c.category),
                responsibility_text(c),
                control_status(c),
                verification_text(c),
            ]
        )
        if unverified(c):
            fills[(r, 5)] = GAP_FILL
        if c.status != "implemented" or not c.status_stated:
            fills[(r, 4)] = WARN_FILL
    doc.table(
        ["ID", "Control", "FDA category", "Responsibility", "Status", "Verification"],
        rows,
        caption=caption,
        widths=[1.3, 2.8, 2.1, 1.7, 1.6, 2.2],
        fills=fills,
    )


MAX_ID_CM = 3.0


def _fit_id_columns(doc: Doc) -> Doc:
    """Widen a table's id column to its longest id, so ``E-SAFETY`` is not broken across lines; and keep every id
    in the other cells whole ("A-PHI", "PEN-TEST-2026-03" in a list of assets or evidence)."""
    for block in doc.blocks:
        if isinstance(block, Table):
            block.keep_ids = True
        if isinstance(block, Table) and block.widths and block.header and block.header[0] in ("ID", "Clause"):
            longest = max((len(r[0]) for r in block.rows if r), default=0)
            # up to a cap: a 48-character slug id would otherwise squeeze every other column to one letter a line
            block.widths[0] = max(block.widths[0], min(0.16 * longest + 0.2, MAX_ID_CM))
    return doc
