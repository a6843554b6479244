"""Pipe tables and fenced code of a Markdown threat model, read once the walk has seen the whole file."""

from __future__ import annotations

import re

from mdptm.importers.markdown.document import (
    MdTable,
)
from mdptm.importers.markdown.fields import _Ctx
from mdptm.importers.markdown.state import _ReaderState
from mdptm.importers.markdown.words import _PLACEHOLDER, _PREFIX_ID
from mdptm.importers.merge import norm_name
from mdptm.importers.tabular.pairs import continuation_rows, flow_context, flow_rows, target_column
from mdptm.importers.tabular.records import first_sentence, recommended_control
from mdptm.importers.tabular.rowfields import none_applies
from mdptm.importers.tabular.stride import read_stride_matrix
from mdptm.importers.tabular.tables import Grid, RowRecord
from mdptm.importers.tabular.vocab import (
    HeaderMatch,
    clean_text,
    is_empty,
    match_header,
    mitigation_status,
    norm_text,
    one_line,
    parse_risk,
    parse_stride,
    stride_letters_only,
)
from mdptm.model.vocabulary import stride_title


def _names_first(headers: list[HeaderMatch | None], c: int) -> bool:
    """Whether column *c* is the first a threat table says anything of: the first column, or the first mdptm reads
    beside a mitigation column ("| OWASP ID | Risk | Mitigation in architecture |", "Weak hashing, plaintext secrets"
    down the Risk column)."""
    known = [h for h in headers[:c] if h is not None]
    return c == 0 or (not known and any(h is not None and h.field == "controls" for h in headers[c + 1 :]))


class TableReading(_ReaderState):
    """The table and code readers of the walk (:class:`~mdptm.importers.markdown.reader.BlockReader`)."""

    # -- tables

    def read_tables(self) -> None:
        known: set[str] = set()
        plans = []
        for tbl, ctx in self.tables:
            self.n_tables += 1
            grid = self.grid(tbl, ctx, self.n_tables)
            if self.stride_matrix(grid):
                continue
            target_col = self.target_column(grid)
            flowish = target_col is not None and self.flow_context(ctx)
            if target_col is not None and not flowish:
                known.update(norm_name(grid.cells[r][target_col]) for r in range(1, len(grid.cells)) if grid.cells[r][target_col])
            plans.append((grid, target_col, flowish, ctx))
        prose_controls = bool(self.controls) or any(p.control for p in self.threats)
        made: dict[str, str] = {}
        for grid, target_col, flowish, ctx in plans:
            first = len(self.b.records)
            if flowish and target_col is not None:
                self.flow_rows(grid, target_col, known)
            before = len(self.b.records)
            self.b.add_grid(grid)
            if prose_controls:
                self.table_controls(self.b.records[before:], made)
            self.heading_sensitivity(grid, ctx, self.b.records[first:])

    def heading_sensitivity(self, grid: Grid, ctx: _Ctx, records: list[RowRecord]) -> None:
        """Rows under a heading named for a sensitivity ("Confidential", "Internal threats") that state none
        take the heading's: the author set that section apart from what may be published."""
        table = self.vocab.tables["sensitivity"]
        level, named = None, ""
        for heading in ctx.headings:
            bare = re.sub(r"\s*\([^)]*\)\s*$", "", heading).strip()
            bare = re.sub(r"\s+(threats?|items?|sections?|information|details|only)$", "", bare, flags=re.I).strip()
            hit = table.exact(heading) or table.exact(bare)
            if hit is not None and hit != "public":
                level, named = hit, heading
        if level is None:
            return
        if level == "internal":  # a heading that sets its section apart is withheld whatever the policy drops (as in Word)
            level = "confidential"
        marked = 0
        for rec in records:
            if not (rec.values.get("sensitivity") or "").strip():
                rec.values["sensitivity"] = level
                rec.headers["sensitivity"] = f"heading {named!r}"
                marked += 1
        if marked:
            self.b.warn(grid.locator(0), f"{marked} rows under the heading {named!r} read as {level}, so not published")

    def table_controls(self, records: list[RowRecord], made: dict[str, str]) -> None:
        """Mitigation text in a threat table of a document whose other mitigations became controls: one
        control per distinct text, as the resolver does for documents with no controls at all."""
        known = {norm_name(c.values.get("title", "")) for c in self.controls}
        known |= {c.values.get("id", "") for c in self.controls}
        for rec in records:
            text = rec.values.get("controls", "")
            if rec.kind != "threat" or not text.strip() or is_empty(self.vocab, text) or none_applies(clean_text(text)):
                continue  # "N/A — single-hop": no measure, read as the threat's rationale
            tokens = [t for t in re.split(r"[\s,;]+", text) if t]
            if all(_PREFIX_ID.fullmatch(t) for t in tokens) or norm_name(text) in known or text in known:
                continue  # ids or a control's title: the resolver links them
            key = norm_name(text)
            if key not in made:
                made[key] = self.new_control_id()
                title = first_sentence(text.lstrip("-* ")).rstrip(".")
                self.b.records.append(
                    RowRecord(
                        kind="control",
                        file=self.file,
                        locator=rec.locator,
                        values={"id": made[key], "title": title, "description": clean_text(text)},
                        headers={
                            "id": "id",
                            "title": rec.headers.get("controls", "mitigation"),
                            "description": rec.headers.get("controls", "mitigation"),
                        },
                        extra={},
                        view=rec.view,
                    )
                )
                header = rec.headers.get("controls", "")
                said = mitigation_status(self.vocab, header)
                if said is not None:
                    self.b.records[-1].values["status"] = said  # "Recommended mitigation": proposed
                    self.b.records[-1].headers["status"] = header
                recommended_control(self.vocab, self.b.records[-1], text, self.b.warn)
            rec.values["controls"] = made[key]

    def stride_matrix(self, grid: Grid) -> bool:
        """A STRIDE x component matrix: every filled cell is one threat on that component in that category
        (:func:`~mdptm.importers.tabular.stride.read_stride_matrix`, the reader Word uses too)."""
        return read_stride_matrix(grid, self.vocab, self.b, self.file)

    def grid(self, tbl: MdTable, ctx: _Ctx, n: int) -> Grid:
        name = f"table {n} at line {tbl.line}"
        cells: list[list[str]] = []
        numbers: list[int] = []
        for r, row in enumerate(tbl.rows):
            filled = [c.strip() for c in row if c.strip()]
            if r and filled and all(_PLACEHOLDER.fullmatch(c) for c in filled):
                # "| [Threat] | [High/Med/Low] | [Mitigation] |": a template's example row, not a record
                self.b.report.skipped(self.file, f"{name} row {r + 1}", "template row: placeholders in brackets only")
                continue
            cells.append(list(row))
            numbers.append(r + 1)
        grid = Grid(file=self.file, name=name, style="table", cells=cells, row_numbers=numbers)
        grid.context = " ".join(ctx.headings[-2:])
        grid.heading = ctx.headings[-1] if ctx.headings else ""
        grid.view = ctx.view
        if ctx.stride:
            grid.defaults["stride"] = ctx.stride
        if ctx.component:
            grid.defaults["targets"] = ctx.component  # a threat table under "Subsystem 2: Cloud backend"
        width = grid.width
        continuation_rows(grid)  # a row whose first cell is empty continues the one above (Markdown has no merged cells)
        if width and cells:
            self.letters_column(grid)
            self.prose_risk_column(grid)
            self.title_from_stride(grid)
        return grid

    def letters_column(self, grid: Grid) -> None:
        """A "Threat" column holding only STRIDE letters ("S", "TRID") is the STRIDE column."""
        for c in range(grid.width):
            match = match_header(self.vocab, "threat", grid.cells[0][c])
            if match is None or match.field != "title":
                continue
            vals = [grid.cells[r][c].strip() for r in range(1, len(grid.cells)) if grid.cells[r][c].strip()]
            if vals and all(stride_letters_only(self.vocab, v) for v in vals):
                self.b.warn(grid.locator(0, c), f"column {grid.cells[0][c]!r} holds STRIDE letters only; read as STRIDE")
                grid.cells[0][c] = "STRIDE"

    def prose_risk_column(self, grid: Grid) -> None:
        """A "Risk" column of sentences (no level, no score) describes the threat: it is its description."""
        headers = [match_header(self.vocab, "threat", h) for h in grid.cells[0]]
        if any(h is not None and h.field in ("description", "title") for h in headers):
            return
        for c, h in enumerate(headers):
            if h is None or h.field != "risk":
                continue
            vals = [grid.cells[r][c] for r in range(1, len(grid.cells)) if grid.cells[r][c].strip()]
            if vals and all(len(v.split()) >= 5 and not parse_risk(self.vocab, v).ok for v in vals):
                self.b.warn(
                    grid.locator(0, c), f"column {grid.cells[0][c]!r} holds sentences, no risk levels; read as the threat's description"
                )
                grid.cells[0][c] = "Description"
            elif (
                len(vals) >= 2 and _names_first(headers, c) and all(len(v.split()) >= 2 and not parse_risk(self.vocab, v).ok for v in vals)
            ):
                # "| Risk | Likelihood | Impact | Mitigation |" with "Unauthorized access to patient data" down it:
                # the first column names the risks, it rates none
                self.b.warn(grid.locator(0, c), f"column {grid.cells[0][c]!r} names the risks, no risk levels; read as the threat's title")
                grid.cells[0][c] = "Threat"

    def title_from_stride(self, grid: Grid) -> None:
        """A row with only a STRIDE letter and a component ("| | E | Access control ... | | |") still says
        what it is about: it is titled "Elevation of privilege of Field Gateway", never "Threat T-6"."""
        fields: dict[str, int] = {}
        for c, h in enumerate(grid.cells[0]):
            m = match_header(self.vocab, "threat", h)
            if m is not None:
                fields.setdefault(m.field, c)
        if "title" in fields or "stride" not in fields or "targets" not in fields:
            return
        desc = fields.get("description")
        made = []
        for r in range(1, len(grid.cells)):
            if desc is not None and grid.cells[r][desc].strip():
                made.append("")
                continue
            stride = parse_stride(self.vocab, grid.cells[r][fields["stride"]])
            target = one_line(grid.data_text(r, fields["targets"]))
            if stride.ok and stride.value and target:
                made.append(f"{stride_title(stride.value[0])} of {target}")
                self.b.warn(grid.locator(r), f"row has no threat text; titled {made[-1]!r} from its STRIDE and component")
            else:
                made.append("")
        if any(made):
            grid.cells[0].append("Title")
            for r, title in enumerate(made, start=1):
                grid.cells[r].append(title)

    def target_column(self, grid: Grid) -> int | None:
        return target_column(grid, self.vocab)

    def flow_context(self, ctx: _Ctx) -> bool:
        return flow_context(ctx.headings[-1] if ctx.headings else "", self.words["flow_context"])

    def flow_rows(self, grid: Grid, col: int, known: set[str]) -> None:
        """Component cells of a communication table name the two ends of a flow ("Device IoT Hub")."""
        flow_rows(grid, col, known, self.b.records, self.file, self.b.warn)

    # -- fenced code

    def read_codes(self) -> None:
        titles = {norm_text(p.rec.values.get("title", "")) for p in self.threats if len(p.rec.values.get("title", "").split()) >= 3}
        for code, ctx in self.codes:
            where = self.loc(code.line, f"code block {code.info or 'without a language'}")
            lang = code.info.split()[0].lower() if code.info else ""
            first = next((ln.strip() for ln in code.content.splitlines() if ln.strip() and not ln.strip().startswith("%%")), "")
            if not ctx.skip and lang in self.words["diagram_languages"] and re.match(r"^(flowchart|graph)\b", first):
                from mdptm.importers.mermaid import attack_tree, read_flowchart

                tree = attack_tree(code.content, code.line, ctx.headings, self.vocab)
                if tree is not None:
                    # "Attacker Goal" over "Path 1: …" nodes: an attacker's steps, no components and no data flows
                    why = f"attack tree drawn as a flowchart ({tree}): not components and flows"
                    self.b.report.skipped(self.file, where, why)
                    self.b.warn(where, f"unsure of the {why}; its threat and measures are not read from it")
                    continue
                read_flowchart(code.content, code.line, self.b, ctx.view)
                continue
            body = norm_text(code.content)
            repeats = sum(1 for t in titles if t and t in body)
            reason = f"code block ({lang or 'no language'}): not read as records"
            if repeats:
                reason += f"; it repeats {repeats} threat(s) read above"
            if ctx.skip:
                reason += f" ({ctx.skip})"
            self.b.report.skipped(self.file, where, reason)
