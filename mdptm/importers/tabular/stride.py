"""STRIDE categories named by a heading, caption, sheet name, list item, header or cell. One reader of such
names for Word, Excel, Markdown and lists, so every format recognises the same category words."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mdptm.importers.tabular.grid import Block, Column, Grid, RowRecord
from mdptm.importers.tabular.vocab import (
    Vocabulary,
    clean_text,
    is_empty,
    match_header,
    norm_text,
    one_line,
    parse_bool,
    parse_stride,
    stride_letters_only,
)

if TYPE_CHECKING:
    from mdptm.importers.tabular.records import SourceBuilder


def _stride_cell(vocab: Vocabulary, text: str) -> bool:
    """A cell that is nothing but STRIDE categories: letters ("S", "TRID", "T, I") or category names."""
    compact = re.sub(r"[\s,/;&+|]", "", text)
    if 0 < len(compact) <= 6 and compact.isupper() and all(ch.lower() in vocab.stride_letters for ch in compact):
        return True
    parts = [p.strip() for p in re.split(r"[,/;&+\n]", text) if p.strip()]
    return bool(parts) and all(_stride_header(vocab, p) for p in parts)


def _stride_definitions(g: Grid, block: Block, vocab: Vocabulary) -> bool:
    """The title (or first) column holds nothing but STRIDE category names: a definitions table."""
    col = next((c for c in block.columns if c.field == "title"), block.columns[0] if block.columns else None)
    if col is None:
        return False
    values = [one_line(g.data_text(r, col.index)) for r in block.rows]
    values = [v for v in values if v]
    if not (len(values) >= 3 and all(_stride_header(vocab, v) for v in values)):
        return False
    if applicability_column(block, vocab) is not None:
        # "| STRIDE Category | Applicable? | Threat Description | Threat ID |" under an element's heading: STRIDE per
        # element, each category that applies one threat, not a primer
        return False
    return not _stride_rows_of_threats(g, block)


def applicability_column(block: Block, vocab: Vocabulary) -> Column | None:
    """The column of a STRIDE-per-element table that says whether a category applies: named so ("Applicable?"), or
    a question ("Có mối đe dọa?", "Threat?") whose cells open with yes or no on most rows."""
    named = next((c for c in block.columns if c.field is None and norm_text(c.header) in vocab.applicability_headers), None)
    if named is not None:
        return named
    g = block.grid
    for col in block.columns:
        if col.field is not None and col.field != "title" or not col.header.strip().endswith("?"):
            continue
        said = [one_line(g.data_text(r, col.index)).lower() for r in block.rows]
        said = [s for s in said if s]
        answers = sum(1 for s in said if s in vocab.applicability_no or _first_word(s) in vocab.applicability_yes)
        if said and answers * 3 >= len(said) * 2:
            return col
    return None


def _first_word(text: str) -> str:
    return re.split(r"[\s(→,;:.-]+", text.strip(), maxsplit=1)[0]


def says_not_applicable(text: str, vocab: Vocabulary) -> bool:
    """An applicability cell saying the category does not apply ("No", "Không áp dụng", "Negligible")."""
    low = one_line(text).lower().strip(" .")
    return low in vocab.applicability_no or re.sub(r"\s*\([^()]*\)$", "", low) in vocab.applicability_no


def _stride_rows_of_threats(g: Grid, block: Block) -> bool:
    """One threat per category row: beside the category, a column that says how the attack goes ("Vector")
    and a mitigation column, filled on most rows. A column that defines the category ("Description",
    "Question": ``matrix_not_components`` in markdown.yaml) makes it a table of definitions after all."""
    from mdptm.importers.markdown.words import markdown_words

    defining = {norm_text(str(w)) for w in markdown_words()["matrix_not_components"]}

    def filled(col: Column) -> bool:
        return sum(1 for r in block.rows if one_line(g.data_text(r, col.index))) * 2 > len(block.rows)

    text = [c for c in block.columns if c.field in ("description", "title") and filled(c)]
    mitigated = any(c.field == "controls" and filled(c) for c in block.columns)
    # "| Threat | Description | Mitigation | Likelihood | Impact |": a primer defines the categories, it does not
    # rate them; likelihood or severity filled on most rows makes each row a threat, whatever its text column is called
    rated = any(c.field in ("risk.likelihood", "risk.severity", "risk") and filled(c) for c in block.columns)
    # "Property Violated" beside "Mitigation Options": whatever the text columns are called, a column that says
    # which property a category violates defines the categories
    return mitigated and bool(text) and (rated or not any(norm_text(c.header) in defining for c in block.columns))


def _stride_header(vocab: Vocabulary, header: str) -> str | None:
    head = header.strip()
    if len(head) == 1:
        return vocab.stride_letters.get(head.lower())
    return vocab.stride_words.exact(head) if len(head) >= 3 else None  # "DoS", "EoP" are names


def _stride_matrix(columns: list[Column], vocab: Vocabulary) -> None:
    """STRIDE as a matrix: one column per category ("S | T | R | I | D | E") marked with X or Yes."""
    marks = [c for c in columns if c.field is None and c.header and _stride_header(vocab, c.header)]
    if len(marks) < 3:
        return
    letters = "".join(c.header.strip().upper() for c in columns if len(c.header.strip()) == 1)
    if "DREAD" in letters:
        return  # "| Threat | D | R | E | A | D | Avg |": DREAD's five factors scored, no STRIDE marks
    for col in marks:
        col.field = f"stride:{_stride_header(vocab, col.header)}"


_GERUND_LEAD = re.compile(r"^\s*([A-Z][a-z]+ing)\b")  # "Pretending to be …", "Modifying data …"
_GENERIC_PARTY = re.compile(r"\bsome(?:one|body|thing)\b|\bwithout (?:proper )?authori[sz]ation\b", re.I)
# "Unauthorized modification of data", "Impersonation of a user", "Violates integrity": a category defined
_DEFINING_LEAD = re.compile(
    r"^\s*(unauthori[sz]ed|illegitimate(?:ly)?|impersonat\w*|violat\w*|the ability|ability|claim\w*|den(?:y|ial)|"
    r"disclos\w*|exposure|gain\w*)\b",
    re.I,
)
# Headings over a STRIDE primer: "STRIDE Categories", "What is STRIDE?", "STRIDE Overview"
_PRIMER_WORDS = frozenset(
    {
        "categories",
        "category",
        "overview",
        "framework",
        "methodology",
        "definitions",
        "definition",
        "mnemonic",
        "introduction",
        "background",
        "primer",
        "explained",
        "basics",
    }
)


def stride_primer_heading(heading: str) -> bool:
    """A heading over STRIDE's definitions rather than a system's threats ("STRIDE Categories", "What is STRIDE?")."""
    words = norm_text(heading).split()
    return bool(set(words) & _PRIMER_WORDS) or " ".join(words[:2]) == "what is"


def stride_definition_texts(pairs: list[tuple[str, str]]) -> bool:
    """Whether the texts written beside STRIDE categories ((category, text) pairs) define the categories rather
    than name threats: questions ("Can an attacker impersonate a user?"), gerunds other than the category's own
    word ("Pretending to be someone else", "Modifying data"), generic parties ("someone", "something"). Half or
    more such texts make the list a primer."""
    if not pairs:
        return False
    defining = 0
    for category, text in pairs:
        t = text.strip()
        own_words = norm_text(category).split()
        lead = _GERUND_LEAD.match(t) or _DEFINING_LEAD.match(t)
        own = lead is not None and norm_text(lead.group(1))[:6] in {w[:6] for w in own_words}
        if t.endswith("?") or (lead is not None and not own) or _GENERIC_PARTY.search(t):
            defining += 1
    return defining * 2 >= len(pairs)


_LETTER_LEAD = re.compile(r"^\s*([A-Za-z])\s*[-–—:.)]\s*")  # "S — Spoofing", "T) Tampering"
_LETTER_BRACKET = re.compile(r"\(\s*[A-Za-z]\s*\)")  # "Spoofing (S)"
_ANY_BRACKET = re.compile(r"\([^)]*\)|\[[^\]]*\]")  # "Denial of Service (DoS)"
_NUMBERING = re.compile(r"^[\d.\s]+")


def stride_default(vocab: Vocabulary, text: str, *, names_only: bool = False, max_words: int = 4) -> str | None:
    """The STRIDE category a heading, caption, sheet name or list item names, and nothing else
    ("4.2 Tampering Threats", "S — Spoofing", "Denial of Service (DoS)"). The one reader of such names for
    Word, Excel, Markdown and lists; with *names_only* only the full names of ``stride.yaml`` count (what
    makes a heading a category of listed threats)."""
    noise = set(vocab.sections.get("stride_heading_noise", [])) - {"of"}
    table = vocab.stride_names if names_only else vocab.stride_words
    numbered = _NUMBERING.sub("", text)
    lead = _LETTER_LEAD.match(text)
    unlettered = text[lead.end() :] if lead and stride_letters_only(vocab, lead.group(1)) else text
    for cleaned in (_LETTER_BRACKET.sub(" ", numbered), _NUMBERING.sub("", _ANY_BRACKET.sub(" ", unlettered))):
        words = [w for w in norm_text(cleaned).split() if w not in noise and not w.isdigit()]
        if not words or len(words) > max_words:
            continue
        phrase = " ".join(words)
        hit = table.exact(phrase) if len(phrase) >= 3 else None
        if hit is not None:
            return hit
    return None


_PAIRED = re.compile(r"^(?P<name>.*?\S)\s*[-–:]?\s*(?P<what>threats?|mitigations?|controls?|countermeasures?)$", re.I)


def read_stride_matrix(grid: Grid, vocab: Vocabulary, builder: SourceBuilder, file: str) -> bool:
    """A STRIDE x component matrix (STRIDE categories down the first column, components across the header,
    or the transpose): every filled cell is one threat on that component in that category. Several matrices
    stacked in one sheet (apart by blank rows) are each read; a matrix whose header pairs a threat column with
    a mitigation column per component ("Webserver Threat | Webserver Mitigation") gives a threat per filled
    threat cell, with the mitigation beside it as its control, and a control per mitigation cell beside no
    threat. False (nothing read) for any other table."""
    cells = grid.cells
    segments: list[list[int]] = []
    covered: list[int] = []  # rows of nothing but cells merged down from the row above (a header two rows high)
    last = -2
    for r in range(len(cells)):
        filled = any(str(x).strip() for x in cells[r])
        if not filled and r > 0 and any(str(x).strip() for x in cells[r - 1]) and _merged_down(grid, r):
            covered.append(r)
            last = r
            continue
        if filled:
            if segments and last == r - 1:
                segments[-1].append(r)
            else:
                segments.append([r])
            last = r
        # blank rows part the matrices
    if not segments:
        return False
    if any(str(x).strip().endswith("?") for x in cells[segments[0][0]]):
        return False  # "| STRIDE | Có mối đe dọa? | Ghi chú |": a question over the cells names no component
    plans = [_matrix_plan(grid, rows, vocab) for rows in segments]
    # a title or a note line or two above the first matrix ("Threat model — STRIDE per element")
    titles = 0
    while titles < len(segments) - 1 and plans[titles] is None and _title_lines(grid, segments[titles]):
        titles += 1
    if any(p is None for p in plans[titles:]):
        return False
    if len(segments) == 1 and segments[0][0] != 0:
        return False
    for rows in segments[:titles]:
        for r in rows:
            builder.report.skipped(file, grid.locator(r), "title row above a STRIDE x component matrix")
    for r in covered:
        builder.report.skipped(file, grid.locator(r), "second row of a merged header")
    for rows, plan in zip(segments[titles:], plans[titles:], strict=True):
        assert plan is not None
        _read_matrix(grid, rows, plan, vocab, builder, file)
    return True


def _merged_down(grid: Grid, r: int) -> bool:
    """Every cell of row *r* that has a merge is covered by one that began above it, and some cell is."""
    anchors = [grid.merged.get((r, c)) for c in range(grid.width)]
    return any(a is not None and a[0] < r for a in anchors)


def _title_lines(grid: Grid, rows: list[int]) -> bool:
    """One to three lines of one filled cell each: a title, a version or a note above a table."""
    return len(rows) <= 3 and all(sum(1 for x in grid.cells[r] if str(x).strip()) == 1 for r in rows)


_Plan = tuple[list[tuple[int, int, str, str]], dict[int, int], set[int]]


_TICKS = frozenset({"✔", "✓", "✔️", "☑", "●", "•", "x", "X", "✗", "✘", "+"})
_MITIGATION_WORDS = frozenset({"mitigation", "mitigations", "countermeasure", "countermeasures", "remediation"})


def _matrix_plan(grid: Grid, rows: list[int], vocab: Vocabulary) -> _Plan | None:
    """The cells of one matrix (rows *rows* of the grid, the first its header): (row, column, STRIDE,
    component) of each threat cell, the mitigation column of each paired threat column, the mitigation
    columns. None when the rows are no STRIDE x component matrix."""
    from mdptm.importers.markdown.words import markdown_words

    cells = grid.cells
    if len(rows) < 3 or grid.width < 2:
        return None

    def cell(r: int, c: int) -> str:
        return str(cells[r][c]) if c < len(cells[r]) else ""

    def category(text: str) -> str | None:
        if re.search(r"\d", text):
            return None  # "S-01", "T1": an id that starts with a STRIDE letter, not a category
        got = parse_stride(vocab, text)
        return got.value[0] if got.ok and got.value and len(got.value) == 1 and len(text.split()) <= 4 else None

    head, body = rows[0], rows[1:]
    not_components = {norm_text(str(w)) for w in markdown_words()["matrix_not_components"]}
    for c in range(1, grid.width):
        h = cell(head, c)
        m = match_header(vocab, "threat", h)
        if m is not None and getattr(m, "exact", False):
            return None  # "| STRIDE | Threat | Mitigation |": a register whose rows start with a category
        if m is not None and m.field in ("controls", "controls.more") and set(norm_text(h).split()) & _MITIGATION_WORDS:
            # "| Threat | Initial mitigation |": what is done about each category's threat, no component ("Access
            # Controls", "Password Protection" across a matrix's header are components named for what they do;
            # "Portal Threat | Portal Mitigation" pairs a component's threats with their mitigations)
            heads = [one_line(cell(head, k)) for k in range(1, grid.width)]
            if not any((p := _PAIRED.match(x)) and p.group("what").lower().startswith("threat") for x in heads):
                return None
        if norm_text(h) in not_components:
            return None  # "| Threat | Violates | Question |": definitions of the categories
    # "Webserver Threat | Webserver Mitigation": a threat column and a mitigation column per component
    named = {c: _PAIRED.match(one_line(cell(head, c))) for c in range(1, grid.width)}
    threat_cols = {c: m.group("name") for c, m in named.items() if m and m.group("what").lower().startswith("threat")}
    mitigation_cols = {c: m.group("name") for c, m in named.items() if m and not m.group("what").lower().startswith("threat")}
    paired = {
        c: next(k for k, n in mitigation_cols.items() if norm_text(n) == norm_text(name))
        for c, name in threat_cols.items()
        if any(norm_text(n) == norm_text(name) for n in mitigation_cols.values())
    }
    down = [category(cell(r, 0)) for r in body]
    if paired and len(threat_cols) + len(mitigation_cols) == grid.width - 1 - sum(1 for c in named if not cell(head, c).strip()):
        if sum(x is not None for x in down) >= 3 and all(x is not None for x in down):
            pairs = [(r, c, str(s), threat_cols[c]) for r, s in zip(body, down, strict=True) for c in paired]
            return pairs, paired, set(mitigation_cols)
        return None
    across = [category(cell(head, c)) for c in range(1, grid.width)]
    if sum(x is not None for x in down) >= 4 and all(x is not None for x in down):
        pairs = [(r, c, str(s), cell(head, c)) for r, s in zip(body, down, strict=True) for c in range(1, grid.width)]
    elif sum(x is not None for x in across) >= 4 and all(x is not None for x in across):
        pairs = [(r, c, str(across[c - 1]), cell(r, 0)) for r in body for c in range(1, grid.width)]
    else:
        return None
    if any(not one_line(name) for _r, _c, _s, name in pairs):
        return None  # a component without a name: not a matrix this reader understands
    said = [one_line(cell(r, c)) for r, c, _s, _n in pairs if one_line(cell(r, c))]
    if said and all(parse_bool(vocab, x).value is True or x in _TICKS for x in said):
        # "| Element | S | T | R | I | D | E |" of ✔ marks: which categories apply to each element, no threat said
        # (the threats are written elsewhere); read as a table whose STRIDE columns are marks, not one threat a mark
        return None
    return pairs, {}, set()


def _read_matrix(grid: Grid, rows: list[int], plan: _Plan, vocab: Vocabulary, builder: SourceBuilder, file: str) -> None:
    from mdptm.importers.tabular.records import first_sentence

    cells = grid.cells
    pairs, paired, mitigation_cols = plan

    def cell(r: int, c: int) -> str:
        return clean_text(str(cells[r][c])) if c < len(cells[r]) else ""

    read: dict[tuple[int, int], RowRecord] = {}
    builder.report.skipped(file, grid.locator(rows[0]), "header row of a STRIDE x component matrix")
    if paired:
        builder.warn(
            grid.locator(rows[0]),
            "STRIDE x component matrix with a threat and a mitigation column per component: each filled threat cell "
            "read as one threat on its component, the mitigation beside it as its control",
        )
    else:
        builder.warn(grid.locator(rows[0]), "STRIDE x component matrix: each filled cell read as one threat on its component")
    for r, c, stride, name in pairs:
        text = cell(r, c)
        where = f"{grid.locator(r)} column {c + 1}"
        if not text or is_empty(vocab, text):
            builder.report.skipped(file, where, "empty cell of a STRIDE x component matrix")
            continue
        values = {"title": first_sentence(text), "description": text, "stride": stride, "targets": one_line(name)}
        headers = {"title": "cell", "description": "cell", "stride": "row", "targets": "column"}
        mitigation = cell(r, paired[c]) if c in paired else ""
        if mitigation and not is_empty(vocab, mitigation):
            values["controls"], headers["controls"] = mitigation, "mitigation cell"
        rec = RowRecord(kind="threat", file=file, locator=where, values=values, headers=headers, extra={}, view=grid.view)
        builder.records.append(rec)
        read[(r, c)] = rec
    threat_of = {m: t for t, m in paired.items()}
    for r in rows[1:]:
        for c in sorted(mitigation_cols):
            text = cell(r, c)
            where = f"{grid.locator(r)} column {c + 1}"
            if not text or is_empty(vocab, text):
                builder.report.skipped(file, where, "empty cell of a STRIDE x component matrix")
                continue
            t = threat_of.get(c)
            if t is not None and (r, t) in read:
                read[(r, t)].joined.append(where)  # the mitigation of the threat beside it: one record with it
                continue
            component = one_line(_PAIRED.match(one_line(str(cells[rows[0]][c]))).group("name"))  # type: ignore[union-attr]
            category = one_line(str(cells[r][0]))
            rec = RowRecord(
                kind="control",
                file=file,
                locator=where,
                values={"title": first_sentence(text), "description": text},
                headers={"title": "cell", "description": "cell"},
                extra={"Component": component, "STRIDE category": category},
                view=grid.view,
            )
            builder.records.append(rec)
            said = f"mitigation {first_sentence(text)!r} ({category} on {component})"
            builder.warn(where, f"{said} stands beside no threat: a control linked to none")
