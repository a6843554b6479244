"""Rows of a found table → records and notes. Each data row becomes a :class:`RowRecord` of raw field values
plus the columns that have no field (kept for ``extra``); rows under merged cells join the record above; group,
guidance, footnote and fact rows become a :class:`RowNote` saying why they are not records."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from mdptm.importers.tabular.grid import Block, Column, Grid, RowNote, RowRecord
from mdptm.importers.tabular.stride import applicability_column, says_not_applicable, stride_default
from mdptm.importers.tabular.vocab import (
    Vocabulary,
    fact_key,
    is_empty,
    is_fill_in,
    norm_text,
    one_line,
    ordinal,
    parse_risk,
    parse_stride,
)


def block_records(block: Block, vocab: Vocabulary) -> Iterator[RowRecord | RowNote]:
    """Each data row of a table as a record, each other row as a note saying why it was skipped."""
    out = list(_block_records(block, vocab))
    _scope_restarting_ids(block, [r for r in out if isinstance(r, RowRecord)])
    for rec in out:
        if isinstance(rec, RowRecord) and rec.kind == "threat":
            yield from _listed_in_cell(rec)
        else:
            yield rec


# "Spoof.1 - (Authorization Flow) An attacker …": one of several threats listed in one cell, each on a line of its own
_LISTED = re.compile(r"^(?P<id>[A-Za-z]{1,12}[.\-_]?\d{1,3}[a-z]?)\s*[-–—:]\s+(?P<text>\S.*)$")
_DOTTED = re.compile(r"^[A-Za-z]{2,12}\.\d{1,3}$")  # "Info.1": a threat's id of the kind a template numbers, never a word
_ID_ALONE = re.compile(r"^[A-Za-z]{1,12}[.\-_]?\d{1,3}[a-z]?$")


def _listed_in_cell(rec: RowRecord) -> list[RowRecord]:
    """A row of a threat table with no id whose threat cell lists several threats, a line each opening on its
    id ("Spoof.1 - …", "Spoof.2 - …"): one record per threat, the row's other cells (its STRIDE category) said
    of each. A mitigation cell that names the threats it answers on lines of their own ("Spoof.1" over "S1R1 -
    …"): one record per threat named, holding that threat's mitigation (joined by id to the threat)."""
    v = rec.values
    if one_line(v.get("id", "")):
        return [rec]
    for fname in ("title", "description"):
        lines = [ln.strip() for ln in v.get(fname, "").split("\n") if ln.strip()]
        found = [_LISTED.match(ln) for ln in lines]
        ids = [m.group("id") for m in found if m]
        if lines and all(found) and len(set(ids)) == len(ids) and (len(lines) >= 2 or _DOTTED.match(ids[0])):
            rest = {k: x for k, x in v.items() if k not in ("title", "description")}
            heads = {k: x for k, x in rec.headers.items() if k not in ("title", "description")}
            return [
                dataclasses.replace(
                    rec,
                    locator=f"{rec.locator} ({m.group('id')})",
                    values={**rest, "id": m.group("id"), "description": m.group("text")},
                    headers={**heads, "id": rec.headers.get(fname, fname), "description": rec.headers.get(fname, fname)},
                    extra=dict(rec.extra),
                )
                for m in found
                if m
            ]
    lines = [ln.strip() for ln in v.get("controls", "").split("\n") if ln.strip()]
    if len(lines) < 2 or not _ID_ALONE.match(lines[0]):
        return [rec]
    parts: list[tuple[str, list[str]]] = []
    for ln in lines:
        if _ID_ALONE.match(ln):
            parts.append((ln, []))
        else:
            parts[-1][1].append(ln)
    if not all(said for _tid, said in parts) or len({t for t, _ in parts}) != len(parts) or not _DOTTED.match(parts[0][0]):
        return [rec]
    keep = {k: x for k, x in v.items() if k in ("stride",)}
    said_in = rec.headers.get("controls", "controls")
    return [
        dataclasses.replace(
            rec,
            locator=f"{rec.locator} ({tid})",
            values={**keep, "id": tid, "controls": "\n".join(said)},
            headers={
                **{k: x for k, x in rec.headers.items() if k in keep},
                "id": said_in,
                "controls": said_in,
            },
            extra={},
        )
        for tid, said in parts
    ]


def _scope_restarting_ids(block: Block, records: list[RowRecord]) -> None:
    """Ids that start again at 1 in each group of a table ("Auth Service" 1, 2; "Billing" 1, 2) are
    scoped by their group: "Auth Service/1"."""
    groups: dict[str, set[str]] = {}
    for rec in records:
        rid = one_line(rec.values.get("id", ""))
        if rid and rec.group:
            groups.setdefault(rec.group, set()).add(rid)
    seen: set[str] = set()
    clash = False
    for ids in groups.values():
        clash = clash or bool(ids & seen)
        seen |= ids
    if not clash or any(rec.values.get("id") and not rec.group for rec in records):
        _scope_by_component(block, records)
        return
    for rec in records:
        if rec.values.get("id") and rec.group:
            rec.values["id"] = f"{rec.group}/{one_line(rec.values['id'])}"
    first = next(r for r in records if r.group)
    block.warnings.append((first.locator, f"ids restart in each group of this table: scoped by the group ({first.values['id']!r})"))


def _scope_by_component(block: Block, records: list[RowRecord]) -> None:
    """Ids that start again for each component of one table (the component merged down its rows, ids
    1, 2 under "Auth Service", 1, 2 under "Billing"): the same id with another title and another
    component is another threat, scoped by its component ("Billing/1"), never merged into the first."""
    by_id: dict[str, list[RowRecord]] = {}
    for rec in records:
        rid = one_line(rec.values.get("id", ""))
        if rid:
            by_id.setdefault(rid, []).append(rec)

    def title(rec: RowRecord) -> str:
        return norm_text(rec.values.get("title") or rec.values.get("name") or rec.values.get("description") or "")

    clashes = [recs for recs in by_id.values() if len({title(r) for r in recs}) > 1]
    if not clashes:
        return
    scopes = {one_line(r.values.get("targets", "")) for recs in clashes for r in recs}
    if "" in scopes or not all(len({one_line(r.values.get("targets", "")) for r in recs}) == len(recs) for recs in clashes):
        return
    for rec in records:
        rid, scope = one_line(rec.values.get("id", "")), one_line(rec.values.get("targets", ""))
        if rid and scope:
            rec.values["id"] = f"{scope}/{rid}"
    first = next(r for r in records if r.values.get("id"))
    block.warnings.append(
        (first.locator, f"ids restart for each component of this table: scoped by the component ({first.values['id']!r})")
    )


def _continuation_row(block: Block, filled: list[tuple[int, str]], key_cols: list[int]) -> bool:
    """A row that only adds to the row above: its id, title and description cells are empty and all its
    cells lie right of them (a second mitigation on a line of its own in a CSV register). *filled*: the
    row's non-blank cells (:func:`_filled`)."""
    if not key_cols or block.kind not in ("threat", "control"):
        return False
    return bool(filled) and len(filled) <= 3 and filled[0][0] > max(key_cols)


_FLATTENED = "read as more of the item above"


def _flattened_continuation(
    g: Grid, r: int, block: Block, filled: list[tuple[int, str]], by_field: dict[str, Column], prev: RowRecord
) -> bool:
    """A row of a threat table with no id column that leaves empty its title cell and every cell left of it, under
    a titled threat: the rest of that threat's rows (an impact rated per category, a second attack path) in a sheet
    whose merged cells were lost when it was saved as CSV ("Gateway ECU | … | Slow-retrieval attack | S | Medium"
    over " | | | | F | - | …"). Only where something stands left of the title (a component, an asset)."""
    if block.kind != "threat" or "id" in by_field or "title" not in by_field or not filled:
        return False
    title_col = by_field["title"].index
    if title_col <= block.c0 or not prev.values.get("title", "").strip():
        return False
    # a cell left of the title may repeat the one above it (a reader that fills a group column down, as Markdown's
    # does for the first column)
    left = [(c, t) for c, t in filled if c <= title_col]
    if any(c == title_col for c, _t in left) or len(left) == len(filled):
        return False
    return all(r > 0 and one_line(g.data_text(r - 1, c)) == one_line(t) for c, t in left) if left else True


def _fill_left(block: Block, texts: list[str], title_col: int, left: dict[int, str], filling: bool, loc: str) -> list[str]:
    """The row's cells, those left of the title that it leaves empty taken from the rows above once the table is
    known to be a flattened merged register (*filling*); *left* keeps the last cell of each such column."""
    out = list(texts)
    taken: list[str] = []
    for i, col in enumerate(block.columns):
        if col.index >= title_col:
            continue
        if out[i].strip():
            left[col.index] = out[i]
        elif filling and col.index in left:
            out[i] = left[col.index]
            taken.append(f"{col.header or col.index}: {one_line(left[col.index])[:40]!r}")
    if taken and not any(_FILLED_DOWN in w for _l, w in block.warnings):
        block.warnings.append((loc, f"{_FILLED_DOWN} ({', '.join(taken)}), as the cells merged over them were"))
    return out


_FILLED_DOWN = "cells left of the title that a threat's row leaves empty repeat the ones above it"


def _continues(g: Grid, r: int, c: int, start: int) -> bool:
    """The cell is covered by a vertical merge that began on the row *start*."""
    anchor = g.merged.get((r, c))
    return anchor is not None and anchor == (start, c) and r > start


_LABEL_MAX_WORDS = 3


def _header_words(header: str) -> set[str]:
    return {w for w in norm_text(header).split() if len(w) >= 4}


def _is_rating(col: Column) -> bool:
    return bool(col.field) and str(col.field).split(".")[0] in ("risk", "residual_risk")


def _label_column(block: Block, col: Column) -> Column | None:
    """The column that names what each row of an item rates, for *col*: for a rating column, the nearest column
    with no field of its own whose header shares a word with it ("Impact category" for "Impact level"); for a
    column of text with no field, the label column of a rating column of the same subject ("Description of
    impact"), never that label column itself. None when there is none."""
    if not col.header:
        return None
    words = _header_words(col.header)
    if _is_rating(col):
        cands = [c for c in block.columns if not c.field and c.header and words & _header_words(c.header)]
        return min(cands, key=lambda c: abs(c.index - col.index)) if cands else None
    if col.field:
        return None
    for rating in block.columns:
        if _is_rating(rating) and rating.header and words & _header_words(rating.header):
            label = _label_column(block, rating)
            if label is not None and label.index != col.index:
                return label
    return None


def _row_label(g: Grid, block: Block, start: int, r: int, col: Column, vocab: Vocabulary) -> tuple[str, str, str] | None:
    """What the cell of row *r* in column *col* rates or says, when the rows of one item name it in a column of the
    same subject: "Impact level" beside "Impact category" S, F, O, P (an ISO/SAE 21434 TARA rating a threat once
    per impact category on rows of its own). The label on the item's first row and on this row must be short and
    differ. Returns (the label column's header, the first row's label, this row's label), the letters of
    ISO/SAE 21434's categories named (Safety, Financial, Operational, Privacy)."""
    c = _label_column(block, col)
    if c is None or c.index == col.index:
        return None
    anchor = g.merged.get((r, c.index))
    if anchor is not None and anchor[0] < r:
        return None
    first, here = one_line(g.data_text(start, c.index)), one_line(g.data_text(r, c.index))
    if not first or not here or first == here or max(len(first.split()), len(here.split())) > _LABEL_MAX_WORDS:
        return None
    named = vocab.tables["impact_categories"]
    return c.header, named.exact(first) or first, named.exact(here) or here


def _labelled(old: str, first_label: str, first_text: str) -> str:
    """The first row's own text under its label, once ("A safety-sensitive update …" → "Safety: A safety-…")."""
    if old and old.strip() == first_text.strip() and not old.startswith(f"{first_label}: "):
        return f"{first_label}: {old}"
    return old


def _join(prev: RowRecord, g: Grid, r: int, block: Block, texts: list[str], vocab: Vocabulary, start: int | None = None) -> None:
    """A row under cells merged over it adds to the record above: lines are joined, and for a risk
    factor the highest value is kept ("Medium", "-", "High", "-" → "High"). When the rows name what each rates
    in a column of the same subject ("Impact category" S, F, O, P beside "Impact level"), the rating of each is
    kept too, under "<rating header> by <label header>" ("Safety: Medium", "Financial: -" …), and the lines of
    the columns of that subject ("Description of impact") are labelled alike."""
    names = _extra_names(block)
    for col, text in zip(block.columns, texts, strict=True):
        text = text.strip()
        anchor = g.merged.get((r, col.index))
        if not text or (anchor is not None and anchor[0] < r):
            continue
        label = _row_label(g, block, start, r, col, vocab) if start is not None else None
        if label is not None and col.field and col.field.split(".")[0] in ("risk", "residual_risk"):
            key = f"{col.header} by {label[0]}"
            if key not in prev.extra:
                first = one_line(g.data_text(start, col.index)) if start is not None else ""
                prev.extra[key] = f"{label[1]}: {first or '(not stated)'}"
                said = f"rated once per {label[0]!r} on rows of their own"
                if not any(said in w for _l, w in block.warnings):
                    block.warnings.append(
                        (
                            prev.locator,
                            f"{block.label}s {said}: {col.header!r} is the highest of them, each kept with the item "
                            f"under {key!r} ({label[1]}: {first or '(not stated)'}, {label[2]}: {one_line(text)} …)",
                        )
                    )
            prev.extra[key] += f"\n{label[2]}: {one_line(text)}"
        elif label is not None and not col.field:
            key = names[col.index]
            first_text = g.data_text(start, col.index).strip() if start is not None else ""
            old = _labelled(prev.extra.get(key, ""), label[1], first_text)
            line = f"{label[2]}: {text}"
            if line not in old.split("\n"):
                prev.extra[key] = f"{old}\n{line}" if old else line
            continue
        if col.field in ("controls", "controls.more") and block.kind == "threat" and prev.values.get(col.field, "").strip():
            # a further mitigation on a row of its own under the threat (a merged register saved as CSV): a control
            # of its own, not a line of the first one
            prev.more_controls.append((col.field, text, col.header or col.field, g.locator(r, block.c0)))
            continue
        if col.field:
            old = prev.values.get(col.field, "")
            if col.field.split(".")[0] in ("risk", "residual_risk"):
                part = "likelihood" if col.field.endswith("likelihood") else "severity"
                new_v, old_v = ordinal(vocab, part, text), ordinal(vocab, part, old)
                if not old.strip() or is_empty(vocab, old) or (new_v is not None and (old_v is None or new_v > old_v)):
                    prev.values[col.field] = text
                    prev.headers.setdefault(col.field, col.header or col.field)
                continue
            if text not in old.split("\n"):
                prev.values[col.field] = f"{old}\n{text}" if old else text
                prev.headers.setdefault(col.field, col.header or col.field)
        else:
            key = names[col.index]
            old = prev.extra.get(key, "")
            if text not in old.split("\n"):
                prev.extra[key] = f"{old}\n{text}" if old else text


# "Có → T-03, T-06", "Yes -> T-2": an applicability answer pointing at threats written elsewhere
_CITED_IDS = re.compile(r"^\s*\S+(?:\s*\([^()]*\))?\s*(?:→|->|=>|:)\s*((?:[A-Z]{1,6}[-_.]?\d+(?:\.\d+)*\s*[,;&]?\s*)+)$")


def _block_records(block: Block, vocab: Vocabulary) -> Iterator[RowRecord | RowNote]:
    g = block.grid
    if block.kind == "skip":
        for r in [*block.header_rows, *block.rows]:
            if not g.row_blank(r, block.c0, block.c1):
                yield RowNote(g.file, g.locator(r, block.c0), block.reason or "not threat-model content")
        return
    if block.kind == "facts":
        yield from _fact_rows(block, vocab)
        return
    for r in block.header_rows:
        article = "an" if block.label[:1] in "aeiou" else "a"
        yield RowNote(g.file, g.locator(r, block.c0), f"header row of {article} {block.label} table")
    header_key = [norm_text(c.header) for c in block.columns]
    extra_names = _extra_names(block)
    by_field = {c.field: c for c in block.columns if c.field}
    key_fields = [f for f, s in vocab.kinds[block.kind].fields.items() if s.key and f in by_field]
    id_col = by_field["id"].index if "id" in by_field else None
    group: str | None = None
    pending_blank: list[int] = []
    guidance = _guidance_row(g, block, id_col, vocab)
    key_col = next((by_field[f].index for f in ("id", "title", "name", "text") if f in by_field), None)
    key_cols = [by_field[f].index for f in ("id", "title", "name", "text", "description") if f in by_field]
    prev: tuple[RowRecord, int] | None = None
    # What is the same for every row, worked out once per table rather than once per row.
    kind_fields = vocab.kinds[block.kind].fields
    defaults = [
        (fname, value, f"({(block.caption if fname in block.defaults else g.context).strip() or 'heading'})")
        for fname, value in {**g.defaults, **block.defaults}.items()
        if fname not in by_field and fname in kind_fields
    ]
    scales = {c.field: c.scale for c in block.columns if c.field}
    inferred = frozenset(c.field for c in block.columns if c.field and c.scale and c.scale_inferred)
    cell_comments = g.comments
    span = range(block.c0, block.c1 + 1)
    dense = [c.index for c in block.columns] == list(span)  # a column per grid column: the columns' texts are the row's
    below = _lists_below(g, block, vocab)
    below_caption: str | None = None
    if below:
        shown = " | ".join(one_line(c.header) for c in block.columns if c.header)[:80]
        block.warnings.append(
            (
                g.locator(below[0], block.c0),
                f"unsure of {len(below)} rows below the table ({shown}): each fills only its first column, or a label "
                "and a count, after a blank row (a legend, a list of values or a table of counts), read as no rows of it",
            )
        )
    other_below = _other_table_below(g, block) if not below else None
    applies = applicability_column(block, vocab) if block.kind == "threat" else None
    # a merged register saved as CSV: once rows of it prove flattened, the cells left of the title a threat's row leaves
    # empty are the ones above it, as the merged cells were
    title_col = by_field["title"].index if block.kind == "threat" and "title" in by_field and "id" not in by_field else None
    left_cells: dict[int, str] = {}
    filling = False
    for r in block.rows:
        loc = g.locator(r, block.c0)
        if g.row_blank(r, block.c0, block.c1):
            pending_blank.append(r)
            continue
        for b in pending_blank:
            yield RowNote(g.file, g.locator(b, block.c0), "blank spacer row")
        pending_blank = []
        if r in below:
            said = _other_row(_filled([g.data_text(r, c) for c in span], block.c0), id_col, vocab)  # "Total: 2", "Legend: …"
            text = one_line(g.data_text(r, block.c0))
            short = text[:60] + ("..." if len(text) > 60 else "")
            if said is None and sum(1 for c in span if g.data_text(r, c).strip()) == 2:
                pair = " | ".join(one_line(g.data_text(r, c)) for c in span if g.data_text(r, c).strip())[:60]
                said = f"below the table: a table of counts ({pair!r}), not a row of it"
            yield RowNote(g.file, loc, said or f"below the table: a list in its first column alone ({short!r}), not a row of it")
            continue
        if r in g.deleted_rows:
            yield RowNote(g.file, loc, "row deleted in tracked changes (deletion accepted)")
            continue
        if r == guidance:
            text = one_line(g.data_text(r, id_col if id_col is not None else block.c0))[:60]
            yield RowNote(g.file, loc, f"guidance row under the header ({text!r}), not an item")
            continue
        # The row's cells are read once (c0..c1 as data cells) and every test below looks at them.
        cells = [g.data_text(r, c) for c in span]
        texts = cells if dense else [g.data_text(r, c.index) for c in block.columns]
        if all(norm_text(t) == k for t, k in zip(texts, header_key, strict=True)):  # stops at the first cell that differs
            yield RowNote(g.file, loc, "repeated header row")
            continue
        if r == other_below:
            # "Was darf NICHT eingeschränkt werden?" over "Funktion | Begründung" under a threat list: the caption of
            # another table whose rows leave empty a column every row above fills, not a row or group of this one
            below_caption = one_line(g.raw(r, block.c0))
            shown = " | ".join(one_line(c.header) for c in block.columns if c.header)[:80]
            block.warnings.append(
                (
                    loc,
                    f"unsure of the rows under {below_caption!r} below the table ({shown}): they leave empty a column "
                    "every row above fills (another table under its caption), read as no rows of it",
                )
            )
            yield RowNote(g.file, loc, f"caption of another table below the table ({below_caption!r}), not a row of it")
            continue
        if applies is not None and says_not_applicable(g.data_text(r, applies.index), vocab):
            # "Information Disclosure | No | The fetch itself does not expose user data | --": the category does not
            # apply to the element, and the row says why; no threat
            said = one_line(g.data_text(r, applies.index))
            why = next((t for c, t in zip(block.columns, texts, strict=True) if c.field == "description" and t.strip()), "")
            because = f": {one_line(why)[:80]!r}" if why else ""
            yield RowNote(
                g.file, loc, f"category not applicable to the element ({applies.header.strip()!r} says {said!r}){because}, not a threat"
            )
            continue
        cited = _CITED_IDS.match(one_line(g.data_text(r, applies.index))) if applies is not None else None
        if cited is not None:
            # "T — Tampering | Có → T-03, T-06 | …": the category applies, and the row names the threats written
            # elsewhere in the document; it restates them, no threat of its own
            yield RowNote(
                g.file, loc, f"category of the element answered by {cited.group(1).strip()!r} (cited threats): read where they are written"
            )
            continue
        filled = _filled(cells, block.c0)
        other = _other_row(filled, id_col, vocab, spanned=_group_row(g, r, block.c0, block.c1))
        if other is not None:
            yield RowNote(g.file, loc, other)
            continue
        if below_caption is not None:
            yield RowNote(g.file, loc, f"under {below_caption!r} below the table: not a row of it")
            continue
        if _group_row(g, r, block.c0, block.c1) or _lone_group(cells, filled, block.c0, id_col, vocab):
            caption = one_line(g.raw(r, block.c0))
            named = _names_no_items(caption, vocab)
            if named is not None and block.kind in ("threat", "control"):
                # "Risk matrix", "Legend", "Scoring" inside the span of a register: what follows is that, not rows of it
                below_caption = caption
                block.warnings.append((loc, f"unsure of the rows under {caption!r} (a {named}): read as no rows of the table above"))
                yield RowNote(g.file, loc, f"caption of a {named} below the table ({caption!r}), not a group of it")
                continue
            group = caption
            prev = None
            yield RowNote(g.file, loc, f"group heading row ({group!r}) applied to the rows below")
            continue
        if block.kind in ("threat", "control") and len(filled) >= 3 and all(_NUMBER.match(t) for _c, t in filled):
            # "5 | 5 | 10 | 15 | 20 | 25": a row of a risk matrix or a scale, no threat however its cells line up
            yield RowNote(g.file, loc, f"a row of numbers only ({' | '.join(t for _c, t in filled[:6])}), not a {block.label}")
            continue
        flattened = prev is not None and _flattened_continuation(g, r, block, filled, by_field, prev[0])
        filling = filling or flattened
        if flattened and not any(_FLATTENED in w for _l, w in block.warnings):
            shown = " | ".join(one_line(c.header) for c in block.columns if c.header)[:80]
            block.warnings.append(
                (
                    loc,
                    f"unsure of the rows of the table ({shown}) that leave empty its title and every column left of it "
                    "(or repeat the cell above): "
                    f"{_FLATTENED} (cells merged over them in the workbook this was saved from), not threats of their own",
                )
            )
        if (
            prev is not None
            and key_col is not None
            and (_continues(g, r, key_col, prev[1]) or _continuation_row(block, filled, key_cols) or flattened)
        ):
            _join(prev[0], g, r, block, texts, vocab, prev[1])  # reported as merged into the item of the row above
            prev[0].joined.append(loc)
            continue
        if title_col is not None:
            texts = _fill_left(block, texts, title_col, left_cells, filling, loc)
        values: dict[str, str] = {}
        headers: dict[str, str] = {}
        extra: dict[str, str] = {}
        comments: list[str] = []
        for col, text in zip(block.columns, texts, strict=True):
            if cell_comments:
                comments.extend(cell_comments.get((r, col.index), []))
            if not text.strip():
                continue
            if col.field:
                values[col.field] = text
                headers[col.field] = col.header or col.field
            elif not is_fill_in(text):  # "[TBD]" under "Evidence" says nothing: never kept as if it did
                extra[extra_names[col.index]] = text
        if values:
            for fname, value, header in defaults:
                values[fname] = value
                headers[fname] = header
        bracket = _ID_CATEGORY.match(one_line(values.get("id", ""))) if block.kind == "threat" and "stride" not in values else None
        if bracket is not None and parse_stride(vocab, bracket.group(2)).value:
            # "T-03-04 (DoS)" in the id column: the threat's id, and its STRIDE category in brackets
            values["id"], values["stride"] = bracket.group(1), bracket.group(2)
            headers["stride"] = headers.get("id", "id")
        if applies is not None and applies.field == "title" and "title" in values:
            # "I — Information disclosure | Yes (low) | Tracebacks show paths.": the answer is no title; the note says
            # what the threat is, the answer is kept as written
            text = values.get("description") or values.get("notes") or ""
            if text.strip():
                extra[applies.header.strip() or "applies"] = values.pop("title")
                values["title"] = text
                headers["title"] = headers.get("description") or headers.get("notes") or "notes"
        texts_said = [values[f].strip() for f in ("title", "description", "name") if values.get(f, "").strip()]
        if block.kind in ("threat", "control") and texts_said and all(_NUMBER.match(t) for t in texts_said):
            # "Likelihood \ Impact | 1 | 2 | 3": the head of a matrix under the register, its "title" a number
            yield RowNote(g.file, loc, f"its title and description are numbers only ({' | '.join(texts_said)[:40]}), not a {block.label}")
            continue
        if key_fields and not any(values.get(f, "").strip() for f in key_fields):
            nonempty = [t for t in texts if t.strip()]
            if len(nonempty) == 1 and not values:
                yield RowNote(g.file, loc, f"note row with no {block.label} ({one_line(nonempty[0])[:60]!r})")
                continue
        kind = block.kind
        if kind == "element" and norm_text(values.get("kind", "")) in _ASSET_TYPES and "asset" in vocab.kinds:
            # "Patient glucose data / PHI | Asset" in a table of elements: the row names an asset, not a component;
            # what only a component has (its zone) is kept as written
            kind = "asset"
            own = vocab.kinds["asset"].fields
            for fname in [f for f in values if f == "kind" or (f not in own and f not in _SHARED_FIELDS)]:
                extra[headers.pop(fname, fname)] = values.pop(fname)
        rec = RowRecord(
            kind=kind,
            file=g.file,
            locator=loc,
            values=values,
            headers=headers,
            extra=extra,
            comments=comments,
            hidden=r in g.hidden_rows,
            group=group,
            view=g.view,
            scales=dict(scales),
            inferred_scales=inferred,
        )
        prev = (rec, r)
        yield rec


def _other_table_below(g: Grid, block: Block) -> int | None:
    """The row of a caption standing alone in the table's first column after a blank row, when every non-blank
    row under it leaves empty a column that each of the (two or more) rows above the blank fills: the caption of
    another table pasted below ("Was darf NICHT eingeschränkt werden?" over "Funktion | Begründung" under a
    three-column threat list), not a group heading of this one. None when there is no such caption."""
    if block.kind not in ("threat", "control") or block.c1 <= block.c0:
        return None
    c0, c1, rows = block.c0, block.c1, block.rows
    rest_cols = range(c0 + 1, c1 + 1)
    at = None
    prev_blank = False
    for i, r in enumerate(rows):  # the first lone cell after a blank row: one look at the first cell of most rows
        if g.data_text(r, c0).strip():
            if prev_blank and not any(g.data_text(r, c).strip() for c in rest_cols):
                at = i
                break
            prev_blank = False
        else:
            prev_blank = g.row_blank(r, c0, c1)
    if at is None or len(one_line(g.data_text(rows[at], c0)).split()) > 12:
        return None

    def filled(r: int) -> set[int]:
        return {c for c in range(c0, c1 + 1) if g.data_text(r, c).strip()}

    above = [filled(r) for r in rows[:at] if not g.row_blank(r, c0, c1)]
    if len(above) < 2:
        return None
    full = set.intersection(*above)
    under = [filled(r) for r in rows[at + 1 :] if not g.row_blank(r, c0, c1)]
    if len(under) >= 2 and full and all(full - cols for cols in under):
        return rows[at]
    return None


def _lists_below(g: Grid, block: Block, vocab: Vocabulary) -> list[int]:
    """Rows at the end of a table, after a blank row, that each fill only its first column while the rows
    above fill three cells or more: a legend ("Low — the measures remove most of the risk") or a column of
    values pasted below the register ("Medium", "Low", "IAM"), never rows of it. Empty when the table's own
    rows are that short (a list of threats by title alone)."""
    if block.kind not in ("threat", "control") or block.c1 - block.c0 < 2:
        return []
    tail: list[tuple[int, list[int]]] = []  # the rows after the last one filling three cells, read from the end
    full = 0
    for r in reversed(block.rows):  # from the end: a register of 10 000 rows is not read again whole
        cols = [c for c in range(block.c0, block.c1 + 1) if g.data_text(r, c).strip()]
        if len(cols) >= 3:
            full += 1
            if full == 2:
                break
        elif not full:
            tail.append((r, cols))
    if full < 2:
        return []
    tail.reverse()
    if not tail or tail[0][1]:  # the rows below must start after a blank row
        return []
    rows = [r for r, cols in tail if cols]
    # "Treatment | Count" over "Mitigate | 23", "Accept | 2": a table of counts pasted below, its header first
    counts = [r for r, cols in tail if len(cols) == 2 and cols[0] == block.c0 and _NUMBER.match(g.data_text(r, cols[1]).strip())]
    first_count = counts[0] if len(counts) >= 2 else None

    def below(r: int, cols: list[int]) -> bool:
        if not cols or cols == [block.c0] or _legend_line(g.data_text(r, block.c0), vocab) or r in counts[1:]:
            return True
        return first_count is not None and (r == first_count or (len(cols) == 2 and cols[0] == block.c0 and r < first_count))

    if not rows or not all(below(r, cols) for r, cols in tail):
        return []
    return rows


_NUMBER = re.compile(r"^[-+]?\d+(?:[.,]\d+)?%?$")
_ID_CATEGORY = re.compile(r"^\s*([A-Za-z]{1,8}[-_.]?\d[\w.-]*)\s*\(([^()]{1,40})\)\s*$")  # "T-03-04 (DoS)"


def _names_no_items(caption: str, vocab: Vocabulary) -> str | None:
    """The word a caption ends with when it names a table of no items ("Risk matrix", "Scoring legend",
    "Likelihood scale"), else None: "Key management" or "Scale-out cluster" name no such table."""
    words = f" {norm_text(caption)}"
    return next((w for w in sorted(vocab.caption_ends_table, key=lambda w: (-len(w), w)) if words.endswith(f" {w}")), None)


_LEGEND_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z ]{0,20}?)\s*(?:—|–|-|:|=)\s+\S")


def _legend_line(text: str, vocab: Vocabulary) -> bool:
    """A line of a legend of levels ("Medium — mitigations reduce some risk, but not all"), wherever an
    unquoted comma in it put the rest into the next cell."""
    m = _LEGEND_LINE.match(text)
    if m is None:
        return False
    got = parse_risk(vocab, m.group(1), None, shared=True)
    return bool(got.ok and got.value is not None and got.value.level)


def _guidance_row(g: Grid, block: Block, id_col: int | None, vocab: Vocabulary) -> int | None:
    """A template's guidance row under the header ("Unique identifier (T-nnn) | Short description | S/T/R/I/D/E"):
    the first row's id cell is prose while every later id looks like an id."""
    if id_col is None:
        return None
    rows = [r for r in block.rows if not g.row_blank(r, block.c0, block.c1)]
    if len(rows) < 3 or _group_row(g, rows[0], block.c0, block.c1):
        return None
    if _lone_group_cell(g, rows[0], block.c0, block.c1, id_col, vocab):
        return None
    first = one_line(g.data_text(rows[0], id_col))
    if not first or _ID_LIKE_CELL.match(first) or len(first.split()) < 2:
        return None
    later = [one_line(g.data_text(r, id_col)) for r in rows[1:]]
    later = [v for v in later if v]
    if len(later) >= 2 and all(_ID_LIKE_CELL.match(v) for v in later):
        return rows[0]
    return None


def _extra_names(block: Block) -> dict[int, str]:
    """The key each unmapped column gets in ``extra``: its header text, made unique."""
    out: dict[int, str] = {}
    used: set[str] = set()
    for col in block.columns:
        if col.field:
            continue
        name = col.header or f"column {block.grid.col_name(col.index)}"
        base, n = name, 2
        while name in used:
            name = f"{base} ({n})"
            n += 1
        used.add(name)
        out[col.index] = name
    return out


def _group_row(g: Grid, r: int, c0: int, c1: int) -> bool:
    """A full-width merged row inside a table ("Spoofing threats") is a group heading, not a record."""
    if c1 <= c0:
        return False
    anchor = (r, c0)
    if not g.raw(r, c0).strip():
        return False
    return all(g.merged.get((r, c)) == anchor for c in range(c0 + 1, c1 + 1))


def _lone_group_cell(g: Grid, r: int, c0: int, c1: int, id_col: int | None, vocab: Vocabulary) -> bool:
    """A group heading written in the first cell only, without merging ("Spoofing threats", "Cloud back end"):
    short text that is no id, naming a STRIDE category or standing in the id column."""
    cells = [g.data_text(r, c) for c in range(c0, c1 + 1)]
    return _lone_group(cells, _filled(cells, c0), c0, id_col, vocab)


def _lone_group(cells: list[str], filled: list[tuple[int, str]], c0: int, id_col: int | None, vocab: Vocabulary) -> bool:
    """:func:`_lone_group_cell` of a row's data cells *cells* (columns c0...) and their non-blank ones *filled*."""
    text = one_line(cells[0])
    if not text or len(text.split()) > 6 or _ID_LIKE_CELL.match(text):
        return False
    if len(filled) > 1 or (filled and filled[0][0] != c0):  # a cell right of the first holds something
        return False
    return id_col == c0 or stride_default(vocab, text) is not None


def _filled(cells: list[str], c0: int) -> list[tuple[int, str]]:
    """(column, stripped text) of the non-blank cells of a row's data cells *cells*, columns c0..."""
    return [(c, text) for c, cell in enumerate(cells, c0) if (text := cell.strip())]


_ID_LIKE_CELL = re.compile(r"^[A-Za-z]{0,10}[-_ .]?\d+(?:[.\-]\d+)*[A-Za-z]?$")
_FOOTNOTE = re.compile(r"^\s*[*†‡§¹²³]")


def other_row(g: Grid, r: int, c0: int, c1: int, id_col: int | None, vocab: Vocabulary) -> str | None:
    """Why a row inside a table is no item: a totals row ("Total | 7 | 3"), a legend or note written below
    the table ("Legend: X = applies"), or a sentence alone in the id column. None for an ordinary row."""
    return _other_row(_filled([g.data_text(r, c) for c in range(c0, c1 + 1)], c0), id_col, vocab)


def _other_row(filled: list[tuple[int, str]], id_col: int | None, vocab: Vocabulary, *, spanned: bool = False) -> str | None:
    """:func:`other_row` of a row's non-blank data cells *filled* (:func:`_filled`). *spanned*: the row is one cell
    merged across the table, where a few words that end no sentence ("Denial of service threats") head a group."""
    if not filled:
        return None
    first = filled[0][1]
    words = norm_text(first).split()
    for n in range(min(3, len(words)), 0, -1):
        if " ".join(words[:n]) not in vocab.summary_rows:
            continue
        rest = first.split(None, n)[n] if len(first.split()) > n else ""
        # "Total", "Totals:", "Total: 7 threats" — not "Total loss of ventilation".
        if not rest.strip(" :=-–") or re.match(r"^[\s:=\-–]*\d", rest):
            return f"totals row ({one_line(first)[:60]!r})"
    if len(filled) != 1:
        return None
    text = one_line(first)
    short = text[:60] + ("..." if len(text) > 60 else "")
    if _FOOTNOTE.match(text):
        return f"note row below the table ({short!r})"
    head = re.match(r"^\s*([A-Za-z][A-Za-z. ]{0,20}?)\s*[:=–—-]\s*\S", text)
    if head and norm_text(head.group(1)) in vocab.note_rows:
        return f"legend or note row ({short!r})"
    if spanned and len(text.split()) <= 8 and not text.endswith((".", "!", "?", ":", ";")):
        return None
    if filled[0][0] == id_col and len(text.split()) >= 4 and not _ID_LIKE_CELL.match(text):
        return f"note row: a sentence alone in the id column ({short!r})"
    return None


def _fact_rows(block: Block, vocab: Vocabulary) -> Iterator[RowNote]:
    g = block.grid
    for r in block.header_rows:
        yield RowNote(g.file, g.locator(r, block.c0), "header row of a key/value table")
    for r in block.rows:
        cells = g.distinct_cells(r, block.c0, block.c1)
        loc = g.locator(r, block.c0)
        if not cells:
            yield RowNote(g.file, loc, "blank row")
            continue
        pairs: list[tuple[str, str]] = []
        i = 0
        while i + 1 < len(cells):
            path = fact_key(vocab, cells[i])
            if path is not None:
                pairs.append((path, cells[i + 1]))
                i += 2
            else:
                i += 1
        if not pairs and len(cells) == 1 and ":" in cells[0]:
            key, _, val = cells[0].partition(":")
            path = fact_key(vocab, key)
            if path and val.strip():
                pairs.append((path, val.strip()))
        used = [(p, v) for p, v in pairs if p != "ignore"]
        if used:
            for path, value in used:
                yield RowNote(g.file, loc, "fact", fact=(path, value))
        elif pairs:
            yield RowNote(g.file, loc, f"document-control field {one_line(cells[0])!r} deliberately not copied")
        else:
            yield RowNote(g.file, loc, f"key/value row with no model field ({one_line(cells[0])[:60]!r})")


# What an element table's "Type" says of a row that is an asset, not a component.
_ASSET_TYPES = frozenset({"asset", "assets", "data asset", "information asset"})
# The fields every kind reads (rowfields._start) and the one that names the item.
_SHARED_FIELDS = frozenset({"name", "description", "notes", "tags", "sensitivity", "id"})
