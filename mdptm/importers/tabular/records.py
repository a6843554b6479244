"""Row records of one source → the items of a (partial) model, with every row accounted for.

Records with the same id (a threat table and a risk-assessment table joined by "Threat ID") merge
into one item; components and assets without ids merge by name (:mod:`mdptm.importers.tabular.grouping`
decides which rows are one item and its id). Each row is read by
:mod:`mdptm.importers.tabular.rowfields` (values normalised through the vocabulary) on the scales
:mod:`mdptm.importers.tabular.scales` finds for its table.
References (affected components, controls, flow ends...) are kept as written and resolved by
:mod:`mdptm.importers.tabular.resolve` — first inside the source, then across all sources after the merge.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from mdptm.base.text import slug
from mdptm.importers.merge import norm_name
from mdptm.importers.tabular.finder import CATALOGUE_FIELDS
from mdptm.importers.tabular.grouping import Group, Grouper, most, scope_stacked_ids
from mdptm.importers.tabular.resolve import PENDING
from mdptm.importers.tabular.rowfields import RowFields
from mdptm.importers.tabular.scales import infer_scales
from mdptm.importers.tabular.tables import Block, Grid, Profile, RowNote, RowRecord, TableFinder, block_records
from mdptm.importers.tabular.template_rows import template_row_reason
from mdptm.importers.tabular.vocab import (
    Vocabulary,
    clean_text,
    deferred_by_note,
    is_empty,
    kind_from_name,
    match_header,
    norm_text,
    one_line,
    outside_by_note,
    parse_choice,
    parse_stride,
    recommended_to,
)
from mdptm.model import (
    Asset,
    Assumption,
    Control,
    Element,
    Flow,
    Item,
    Model,
    OutOfScope,
    Risk,
    Source,
    Threat,
    TrustZone,
    View,
    set_provenance,
)
from mdptm.model.report import ImportReport
from mdptm.model.vocabulary import stride_title

COLLECTION = {
    "element": "elements",
    "trust_zone": "trust_zones",
    "flow": "flows",
    "asset": "assets",
    "threat": "threats",
    "control": "controls",
    "assumption": "assumptions",
    "out_of_scope": "out_of_scope",
}
BUILD_ORDER = ("element", "trust_zone", "flow", "asset", "threat", "control", "assumption", "out_of_scope")
VIEW_LISTS = {"threat": "threats", "control": "controls", "element": "elements", "flow": "flows"}
# Reference fields, resolved later: (kind, field) -> kinds the value may name.
REF_FIELDS = {
    ("threat", "targets"),
    ("threat", "assets"),
    ("threat", "controls"),
    ("threat", "views"),
    ("control", "threats"),
    ("element", "trust_zone"),
    ("flow", "source"),
    ("flow", "target"),
    ("flow", "peer"),
    ("flow", "data"),
    ("asset", "stored_in"),
}
# The fields that make a row an item of its kind: without any of them a row is no threat (control ...).
CONTENT_FIELDS = {"threat": ("title", "description"), "control": ("title", "description")}
# one id of a traceability matrix: a prefix of letters, a hyphen or underscore, digits ("CTRL-005", "SEC_01", "TH-3a")
_REF_ID = re.compile(r"^`?[A-Za-z]{2,10}[-_]\d{1,5}[A-Za-z]?`?$")


def _ids_only(text: str) -> bool:
    """A cell holding ids alone: "CTRL-005", "`CTRL-001`, `CTRL-007`"."""
    pieces = [p for p in re.split(r"[,;\n]|\s+and\s+|\s+", text) if p.strip()]
    return bool(pieces) and all(_REF_ID.match(p.strip()) for p in pieces)


# A score band: "Critical (20-25): Immediate action", "Medium 10–14", "Low (<10)", "High: >= 15".
_BAND = re.compile(
    r"^\s*(?P<level>[A-Za-z][A-Za-z ]{1,20}?)\s*[:(|]?\s*(?:(?P<lo>\d+(?:[.,]\d+)?)\s*[-–—]\s*(?P<hi>\d+(?:[.,]\d+)?)"
    r"|(?P<op><=?|≤)\s*(?P<lt>\d+(?:[.,]\d+)?)|(?:>=?|≥)\s*(?P<ge>\d+(?:[.,]\d+)?))\s*\)?\s*(?::.*|\|.*)?$"
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_RANGE_FIRST = re.compile(r"^\s*(?:\d+(?:[.,]\d+)?\s*[-–—]\s*\d+(?:[.,]\d+)?|[<>]=?\s*\d+(?:[.,]\d+)?)\s*$")
# A legend line: a mark that is no word ("✅", "⚠️", "🔄") and what it means ("Implemented and Verified").
_LEGEND_LINE = re.compile(r"^\s*([^\w\s*\[\]()]{1,3})\s*(?:[=:–—-]\s*)?(\w.{0,60})$")
_SECOND_ITEM = re.compile(r"[.;:!?]\s+2[.)]\s+\S")  # "1. Warning banners. 2. No labels.": the list on one line
_ENUMERATED = re.compile(r"^\s*\d{1,2}[.)]\s+(?=\S)")  # "1. ", "2) " opening the items of a numbered list
_BULLET_MARK = re.compile(r"^\s*(?:[•·▪◦‣●■]|✅|✔️?|✓|☑️?)\s*")


def recommended_control(vocab: Vocabulary, rec: RowRecord, text: str, warn: Callable[[str | None, str], None]) -> None:
    """A control made from mitigation text that asks another party to act ("We strongly recommend that all
    Health Authorities implement …"): wholly so, it is that party's (responsibility stated); partly so, the
    parties are kept in extra and the control stays the device maker's, with a warning either way."""
    got = recommended_to(vocab, text)
    if got is None:
        return
    kind, parties, whole = got
    named = ", ".join(parties)
    cid = rec.values.get("id", "")
    if whole:
        rec.values["responsibility"] = kind
        rec.headers["responsibility"] = "recommendation"
        warn(rec.locator, f"control {cid} is a recommendation to {named}: responsibility {kind.replace('_', ' ')}, not the device maker")
    else:
        rec.extra["Recommended to"] = named
        warn(rec.locator, f"control {cid} is partly a recommendation to {named}: kept the device maker's; check who runs it")


# "Name — what happens": a short name (no sentence of its own) set off by a dash from the text that explains it
_NAMED_LEAD = re.compile(r"^([^.!?:;—–]{3,80}?)\s+[—–]\s+\S")


def first_sentence(text: str, limit: int = 100, *, named: bool = False) -> str:
    """A title for a threat that only has a description: its first line or sentence, shortened. *named*: a
    threat's description that opens on its name set off by a dash is titled by that name."""
    lines = clean_text(text).split("\n")
    line = one_line(lines[0])
    line = _BULLET_MARK.sub("", line) or line  # "• PBKDF2 with 100,000 iterations": the bullet is no word
    if _ENUMERATED.match(line) and (any(_ENUMERATED.match(ln) for ln in lines[1:]) or _SECOND_ITEM.search(line)):
        line = _ENUMERATED.sub("", line)  # "1. No default candidate<br>2. Manual confirmation": the number is no word
    lead = _NAMED_LEAD.match(line) if named else None
    if lead is not None:
        return lead.group(1)  # "JWT Algorithm Confusion — Attacker forges a JWT …": the name before the dash
    end = _sentence_end(line)
    if end is not None and end >= 12:
        line = line[:end].rstrip(".")
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0]
    return cut + "…"


_STOP = re.compile(r"[.!?](?=\s|$)")
# "(e.g. hardening)", "etc. and": a full stop that closes an abbreviation ends no sentence
_ABBREVIATION = re.compile(r"(?:\b(?:e\.g|i\.e|etc|vs|cf|approx|incl|resp|esp)|\b[A-Za-z])\.$", re.I)


def _sentence_end(line: str) -> int | None:
    """Where the first sentence of *line* ends (after its mark), or None: a stop inside brackets or after an
    abbreviation ("… security controls (e.g. hardening) in O-RAN components") ends none."""
    for m in _STOP.finditer(line):
        head = line[: m.end()]
        if head.count("(") > head.count(")") or _ABBREVIATION.search(head):
            continue
        return m.end()
    return None


_LABELLED_LINE = re.compile(r"^(?:[-*•]\s+)?([^\W\d_][\w/&()-]*(?:\s+[\w/&()-]+){0,2})\s*:\s+(\S.*)$")


def labelled_lead(vocab: Vocabulary, text: str) -> str | None:
    """The text of the first line of a mitigation written as lines labelled with the kind of each measure
    ("Design Control: Automatic reconnection …", "Implementation: …", "Verification: …"): its title is that
    measure, not its label. None unless every line (two or more) opens on a label and the first label names a
    kind of measure (``control_kind_labels``): in "RLS: policy …" the label is the measure's own name."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    found = [_LABELLED_LINE.match(ln) for ln in lines]
    if len(lines) < 2 or not all(found):
        return None
    first = found[0]
    assert first is not None
    return first.group(2) if norm_text(first.group(1)) in vocab.control_kind_labels else None


def mitigation_title(vocab: Vocabulary, text: str) -> str:
    """A control's title from its mitigation text: the first sentence, of the first measure when the text is
    written as lines labelled with the kind of each measure ("Design Control: …" / "Implementation: …")."""
    return first_sentence(labelled_lead(vocab, text) or text)


# "- ✅ Tokens encrypted at rest", "⚠️ TODO: Token rotation on use": a line (a list item) opened by a status mark
_MARKED_ITEM = re.compile(
    r"^\s*(?:[-*+•]\s*)?(?P<mark>[^\w\s*\[\](){}<>\-+•.,;:'\"`|/\\#]{1,4}(?:\s*TODO\b)?|TODO\b)\s*:?\s*(?P<rest>\S.*)$"
)


def status_marked_items(vocab: Vocabulary, text: str) -> list[tuple[str, str]] | None:
    """(measure, status) for each item of a mitigation list whose every item opens with its own status mark
    ("- ✅ Tokens encrypted at rest", "- ⚠️ TODO: Token rotation on use"): the author rated each measure on its
    own, so each is a control of its own with that status. A line opened by no mark continues the item above
    (its sub-items). None unless there are two items at least, the first line opens one, and every mark is a
    status the vocabulary knows."""
    items: list[tuple[list[str], str]] = []
    for line in text.strip().split("\n"):
        if not line.strip():
            continue
        m = _MARKED_ITEM.match(line)
        said = parse_choice(vocab, "control_status", m.group("mark")).value if m is not None else None
        if m is not None and said is not None:
            items.append(([m.group("rest").strip()], said))
        elif items:
            items[-1][0].append(line.strip().lstrip("-*+• ").strip())
        else:
            return None
    if len(items) < 2:
        return None
    return [("\n".join(lines), said) for lines, said in items]


# "[ ] Implement root detection", "- [x] Audit log": a task box opening a measure (empty: not done yet)
_BOX_ITEM = re.compile(r"^\s*(?:[-*+•]\s*)?\[(?P<box>[ xX✓✔]?)\]\s+(?P<rest>\S.*)$", re.S)
# "☐ Implement root detection" / "☒ Audit log": the same boxes as Word's symbols
_BALLOT = {"☐": "planned", "☒": "implemented"}
# "JWT + MFA ✅ (zaimplementowane)", "RLS ✅, RBAC ✅": a measure closed by a status mark, perhaps with a note after it
_CLOSING_MARK = re.compile(
    r"^(?P<rest>.*?\S)\s+(?P<mark>[^\w\s*\[\](){}<>\-+•.,;:'\"`|/\\#%&=~^$@!?]{1,3})\s*(?P<note>\([^()]{1,60}\))?\s*$", re.S
)


def status_mark(vocab: Vocabulary, text: str) -> tuple[str, str] | None:
    """(the measure without its mark, the status the mark says) for one measure written with a status mark: a task
    box before it ("[ ] Implement root detection": planned; "[x] …": implemented), or a mark the vocabulary knows
    before it ("✅ Memory zeroization", "⚠️ TODO: rotation") or closing it ("JWT + MFA ✅ (zaimplementowane)", every
    copy of that mark taken out: "RLS ✅, RBAC ✅"). A note after a closing mark stays unless it only says the status
    again. None when the text carries no such mark."""
    box = _BOX_ITEM.match(text)
    if box is not None:
        return box.group("rest").strip(), "implemented" if box.group("box").strip() else "planned"
    lead = _MARKED_ITEM.match(text)
    if lead is not None and lead.group("mark").strip() in _BALLOT:
        return lead.group("rest").strip(), _BALLOT[lead.group("mark").strip()]
    said = parse_choice(vocab, "control_status", lead.group("mark")).value if lead is not None else None
    if lead is not None and said is not None:
        return lead.group("rest").strip(), said
    end = _CLOSING_MARK.match(text.strip())
    said = parse_choice(vocab, "control_status", end.group("mark")).value if end is not None else None
    if end is None or said is None:
        return None
    mark = end.group("mark")
    rest = re.sub(r"\s+(?=[,;.])", "", " ".join(end.group("rest").replace(mark, " ").split()))
    note = end.group("note")
    if note and parse_choice(vocab, "control_status", note.strip("() ")).value is None:
        rest = f"{rest} {note}"
    return (rest, said) if rest else None


# "**Not mitigated for the web client.** Use the desktop app …": a mitigation text that opens by saying there is none
_NOT_MITIGATED = re.compile(r"^[\s*_]*(?:not|un)[\s-]?mitigated\b|^[\s*_]*no\s+mitigations?\b", re.I)


def denies_mitigation(text: str) -> bool:
    """Whether a mitigation text opens by saying the threat is not mitigated ("Not mitigated for the web client. Use
    the desktop app …"): what follows is advice or a part measure, and nothing of it is claimed in place."""
    return _NOT_MITIGATED.match(text) is not None


# "Not defeated by BLE alone", "Not prevented by any factor in this design": a "Defeated by" cell saying nothing does
_NOTHING_STOPS_IT = re.compile(
    r"^[\s*_]*(?:not|never|nothing)\s+(?:(?:yet|fully|currently)\s+)?"
    r"(?:mitigated|defeated|prevented|stopped|countered|addressed|blocked|covered|handled|defended)\b[^.;!?]*[.;!?]?\s*$",
    re.I,
)


def denies_any_measure(text: str) -> bool:
    """Whether a mitigation text only says that nothing stops the threat ("Not defeated by any factor in this
    design"), one clause and no measure after it: no control is named, so none is made of it."""
    return _NOTHING_STOPS_IT.match(" ".join(text.split())) is not None


@dataclass
class Fact:
    path: str
    value: str
    locator: str


_CONTROL_ID_WORDS = frozenset({"control", "ctrl", "mitigation", "mit", "measure", "countermeasure", "requirement", "req", "sc"})


def _keyed_by_threat(grp: Group, tid: str) -> bool:
    """Whether a control whose id is a threat's names that threat: the id holds letters (numbers "1, 2, 3"
    restart in every table) and its column is not one of control ids ("Control ID", "Mitigation #")."""
    header = norm_text(grp.records[0].headers.get("id", "id"))
    return any(ch.isalpha() for ch in tid) and not (set(header.split()) & _CONTROL_ID_WORDS)


# Published prose a register can hold; in a hidden column it stays internal (SourceBuilder.add_grid).
_HIDDEN_PROSE = frozenset(
    {"description", "rationale", "verification", "default_settings", "dormant_interfaces", "key_lifecycle", "sessions", "disposal"}
)


class SourceBuilder:
    """Collects what one source says (tables, facts, views) and builds its partial model."""

    def __init__(self, file: str, importer: str, vocab: Vocabulary, report: ImportReport, profile: Profile | None):
        self.file = file
        self.importer = importer
        self.vocab = vocab
        self.report = report
        self.profile = profile
        self.records: list[RowRecord] = []
        self.facts: list[Fact] = []
        self.views: list[View] = []
        self.items: list[tuple[str, Item, str]] = []  # items made directly by an importer (kind, item, locator)
        self.blocks: list[Block] = []
        self._given: dict[int, set[str]] = {}  # fields each item got from a row, by id(item)
        self.inferred_categories: list[str] = []
        self.item_of: dict[int, str] = {}  # id(record) -> the id of the item it became, for links made after the build
        self.record_blocks: dict[int, Block] = {}  # the table each record came from, by id(record)
        self._said_references: set[str] = set()  # traceability matrices already warned of
        self.named_only: list[tuple[str, str, str]] = []  # (kind, name, locator) named in rows that are no item
        self.deferred: list[Block] = []  # summary tables: read only when no other table of their kind is
        self.rows = RowFields(vocab, self.warn)
        self.grouper = Grouper(self.records, self.record_blocks, vocab, self.warn)
        self.legend: dict[str, tuple[str, str]] = {}  # a status mark ("✅") -> (its meaning, where the legend says so)
        # the document's own score bands ("Critical (20-25)", "Medium | 10-14"): (low, high, level), where said
        self.bands: list[tuple[float, float, str]] = []
        self.bands_at = ""

    # -- input

    def _attack_mapping(self, grid: Grid) -> bool:
        """ "ATT&CK Tactic | Technique | ID | Description" rows with technique ids ("T1566", "T1565.001"): the steps
        of the threat the heading above names ("### 1. Phishing Attack Leading to Credential Theft"), never threats
        of their own. One threat titled by the heading, its techniques its description; with no heading, or under a
        heading naming the catalogue ("MITRE ATT&CK Mapping"), or in the catalogue's own words ("Adversaries may …"),
        skipped, unless a column says what the product does (a control, a component)."""
        if len(grid.cells) < 2:
            return False
        header = [norm_text(h) for h in grid.cells[0]]
        if not any("tactic" in h.split() or "att ck" in h for h in header):
            return False
        rows = [r for r in range(1, len(grid.cells)) if any(x.strip() for x in grid.cells[r])]
        attack = dict(self.vocab.threat_catalogues).get("MITRE ATT&CK")  # "T1566", "T1565.001"; not a register's "T0001"
        if attack is None:
            return False
        idcol = next((c for c in range(grid.width) if all(attack.fullmatch(grid.cells[r][c].strip()) for r in rows)), None)
        if idcol is None or not rows:
            return False
        heading = one_line(re.sub(r"^\s*(?:\d+(?:\.\d+)*[.)]?|[A-Z][.)])\s+", "", grid.heading or grid.context.split("  ")[-1] or ""))
        words = f" {norm_text(heading)} "
        named = next((w for w in sorted(self.vocab.threat_catalogue_headings) if f" {w} " in words), None)
        texts = [norm_text(grid.cells[r][c]) for r in rows for c in range(grid.width) if c != idcol]
        worded = any(t.startswith(w) for t in texts for w in self.vocab.threat_catalogue_wording)
        said = f"named so by {heading!r}" if named is not None else "worded as the catalogue describes them"
        # "Technique ID | Technique | Tactic | Presence in the project | Control": what the product does, no bare extract
        bare = all(
            c == idcol
            or (h := norm_text(grid.cells[0][c])) in self.vocab.threat_catalogue_headers
            or h in self.vocab.threat_catalogue_columns
            or ((m := match_header(self.vocab, "threat", grid.cells[0][c])) is not None and m.field in CATALOGUE_FIELDS - {None})
            for c in range(grid.width)
        )
        if (named is not None or worded) and not bare and self._product_techniques(grid, rows, idcol, said):
            return True
        if (named is not None or worded) and not bare:
            self.warn(
                grid.locator(0),
                f"unsure of the table of {len(rows)} MITRE ATT&CK technique(s): it may be a catalogue extract ({said}); "
                "read as the steps of one threat, a profile can correct it",
            )
        if (named is not None or worded) and bare:
            for r in rows:
                why = f"MITRE ATT&CK technique of a catalogue extract ({said}), not a threat of this system"
                self.report.skipped(self.file, grid.locator(r), why)
            self.warn(grid.locator(0), f"table of {len(rows)} MITRE ATT&CK technique(s) not read as threats: a catalogue extract ({said})")
            return True
        lines = []
        for r in rows:
            cells = [one_line(grid.cells[r][c]) for c in range(grid.width)]
            rest = [f"{grid.cells[0][c]}: {v}" for c, v in enumerate(cells) if c != idcol and v]
            lines.append(f"{cells[idcol]} — " + "; ".join(rest))
        if not heading:
            for r in rows:
                why = "ATT&CK technique of no threat scenario named above the table: not a threat"
                self.report.skipped(self.file, grid.locator(r), why)
            return True
        rec = RowRecord(
            kind="threat",
            file=self.file,
            locator=grid.locator(rows[0]),
            values={"title": heading, "description": "\n".join(lines)},
            headers={"title": "heading", "description": "ATT&CK techniques"},
            extra={"ATT&CK techniques": ", ".join(one_line(grid.cells[r][idcol]) for r in rows)},
            view=grid.view,
            joined=[grid.locator(r) for r in rows[1:]],
        )
        self.records.append(rec)
        self.warn(rec.locator, f"{len(rows)} ATT&CK technique row(s) read as the steps of the threat {heading!r} named above them")
        return True

    def _product_techniques(self, grid: Grid, rows: list[int], idcol: int, said: str) -> bool:
        """ "Technique ID | Technique | Tactic | Présence dans le projet | Contrôle" under "Mapping MITRE ATT&CK": the
        catalogue's techniques as they touch the product, each with the measure taken against it: every row is a
        threat of the product (titled by the technique, described by where it touches the product), its control the
        measure; the technique id and tactic are kept as references (the threat's id is its own). False when no
        column gives a measure (the rows stay the steps of one threat, as before)."""
        header = grid.cells[0]
        kinds: dict[int, str] = {}
        for c in range(grid.width):
            h = norm_text(header[c])
            m = match_header(self.vocab, "threat", header[c])
            if c == idcol or h in self.vocab.threat_catalogue_headers:
                kinds[c] = "reference"
            elif m is not None and m.field == "controls":
                kinds[c] = "controls"
            elif h in self.vocab.threat_catalogue_columns or (m is not None and m.field in ("title", "description")):
                kinds[c] = "title" if "title" not in kinds.values() else "reference"
            else:
                kinds[c] = "where"
        if "controls" not in kinds.values() or "title" not in kinds.values():
            return False
        for r in rows:
            values: dict[str, str] = {}
            headers: dict[str, str] = {}
            extra: dict[str, str] = {}
            where: list[str] = []
            for c, kind in kinds.items():
                text = one_line(grid.cells[r][c])
                if not text:
                    continue
                if kind in ("title", "controls"):
                    values[kind], headers[kind] = text, header[c]
                elif kind == "where":
                    where.append(f"{one_line(header[c])}: {text}")
                else:
                    extra[one_line(header[c]) or "ATT&CK"] = text
            if where:
                values["description"], headers["description"] = "\n".join(where), "; ".join(h.split(":")[0] for h in where)
            rec = RowRecord(
                kind="threat", file=self.file, locator=grid.locator(r), values=values, headers=headers, extra=extra, view=grid.view
            )
            self.records.append(rec)
        shown = ", ".join(repr(one_line(header[c])) for c, k in kinds.items() if k in ("where", "controls"))
        self.warn(
            grid.locator(0),
            f"table of {len(rows)} MITRE ATT&CK technique(s) ({said}) with what the product does ({shown}): each row read "
            "as a threat of the product, its technique id kept as a reference",
        )
        return True

    def add_grid(self, grid: Grid) -> list[Block]:
        """Find the tables of a grid and collect their records; skipped rows go to the report now."""
        if not self.bands:
            # "Rating | Score" rows "Critical | 20-25": the document's score bands (a row is level then range)
            rows = [
                f"{row[1]} {row[0]}" if _RANGE_FIRST.match(row[0]) else " ".join(c for c in row[:2] if c.strip())
                for row in grid.cells
                if len(row) >= 2
            ]  # "1–4 | Low" is read as "Low 1–4"
            self.add_bands(rows, grid.name or grid.context[:40])
        if self.profile is None and self._attack_mapping(grid):
            return []
        finder = TableFinder(grid, self.vocab, self.profile)
        blocks, notes = finder.run()
        self.report.tables_read.append((grid, blocks))
        self._notes(notes)
        outs: list[list[RowRecord | RowNote]] = []
        for block in blocks:
            self.blocks.append(block)
            if block.grid.hidden_cols and block.columns:
                hidden = [c for c in block.columns if c.hidden]
                where = grid.locator(block.header_rows[0], block.c0) if block.header_rows else grid.name
                # A column the maker hid holding published prose (a description, a rationale): kept with the
                # item's internal data, never published, as hidden text in Word is never read. Ids, titles,
                # references, ratings and sensitivity are read as usual: hiding them is tidying, not secrecy.
                kept = [c for c in hidden if c.field in _HIDDEN_PROSE]
                for c in kept:
                    c.field = None
                if kept:
                    names = ", ".join(f"{grid.col_name(c.index)} ({c.header or 'no header'})" for c in kept)
                    self.warn(where, f"hidden column(s) {names} kept internal, not published: unhide to publish")
                read = [c for c in hidden if c not in kept]
                if read:
                    names = ", ".join(f"{grid.col_name(c.index)} ({c.header or 'no header'})" for c in read)
                    self.warn(where, f"hidden column(s) {names} read like the others")
            out = list(block_records(block, self.vocab))
            infer_scales([r for r in out if isinstance(r, RowRecord)], self.vocab)
            outs.append(out)
        scope_stacked_ids(blocks, outs)
        for block, out in zip(blocks, outs, strict=True):
            if block.fallback:
                self.deferred.append(block)  # decided when the whole source is read
                continue
            self._take(block, out)
        return blocks

    def _take(self, block: Block, out: list[RowRecord | RowNote]) -> None:
        """The warnings and rows of one table read: its records are kept, its notes reported."""
        for loc, message in block.warnings:
            self.warn(loc, message)
        if block.kind == "control":
            self._under_risk_heading(block, [r for r in out if isinstance(r, RowRecord)])
        for rec in out:
            if isinstance(rec, RowRecord):
                template = template_row_reason(self.vocab, rec)
                if template is not None:
                    self.report.skipped(rec.file, rec.locator, template)
                    continue
                self.records.append(rec)
                self.record_blocks[id(rec)] = block
            else:
                self._notes([rec])

    def _under_risk_heading(self, block: Block, rows: list[RowRecord]) -> None:
        """A control table under the heading of one risk ("### HAZ-001: Incorrect Applicator Tracking" over
        "Control ID | Control Measure | Type"), that risk read from the same file: each control that names no
        threat is that risk's (warned, naming the table)."""
        from mdptm.importers.tabular.lists import RISK_LEAD, heading_threat_id

        heading = one_line(block.grid.heading or "")
        got = heading_threat_id(heading) if heading and RISK_LEAD.match(heading) else None
        if got is None:
            return
        hid = got[0]
        if not any(r.kind == "threat" and r.values.get("id") == hid for r in self.records):
            return
        linked = 0
        for rec in rows:
            if rec.kind == "control" and not rec.values.get("threats"):
                rec.values["threats"] = hid
                rec.headers["threats"] = f"heading {heading[:60]!r}"
                linked += 1
        if linked:
            where = block.grid.locator(block.header_rows[0], block.c0) if block.header_rows else block.grid.name
            self.warn(where, f"{linked} control(s) under the heading {heading[:60]!r} read as the controls of {hid}")

    def _notes(self, notes: Iterable[RowNote]) -> None:
        for note in notes:
            if note.fact is not None:
                path, value = note.fact
                if path == "ignore":
                    self.report.skipped(note.file, note.locator, "document-control field deliberately not copied")
                    continue
                self.facts.append(Fact(path, value, note.locator))
                self.report.imported(note.file, note.locator, path.split(".")[0])
            else:
                self.report.skipped(note.file, note.locator, note.reason)

    def add_fact(self, path: str, value: str, locator: str) -> None:
        self.facts.append(Fact(path, value, locator))

    def add_item(self, kind: str, item: Item, locator: str) -> None:
        """An item an importer made itself (a view, an assumption from a bulleted list)."""
        set_provenance(item, Source(file=self.file, locator=locator, importer=self.importer))
        self.items.append((kind, item, locator))

    def warn(self, locator: str | None, message: str) -> None:
        self.report.warn(self.file, locator, message)

    # -- output

    def add_legend_line(self, line: str, locator: str) -> bool:
        """One line of a legend of status marks ("✅ Implemented and Verified", "⚠️ = Recommended"): True when it
        gives a mark its meaning."""
        m = _LEGEND_LINE.match(one_line(line))
        if m is None:
            return False
        self.legend.setdefault(m.group(1).replace("\ufe0f", ""), (m.group(2).strip(), locator))
        return True

    def add_bands(self, lines: list[str], locator: str) -> bool:
        """A legend of score bands, one level per line: "Critical (20-25): act now", "Medium 10-14",
        "Low (<10)". Read when three or more lines each give a risk level and a range; True then."""
        found: list[tuple[float, float, str]] = []
        for line in lines:
            m = _BAND.match(one_line(line).replace("*", ""))
            level = self.vocab.tables["risk_level"].exact(m.group("level").strip()) if m else None
            if m is None or level is None:
                continue
            if m.group("lt"):
                lo, hi = 0.0, float(m.group("lt")) - (0 if "=" in m.group("op") else 1e-9)
            elif m.group("ge"):
                lo, hi = float(m.group("ge")), 1e9
            else:
                lo, hi = float(m.group("lo")), float(m.group("hi"))
            found.append((lo, hi, level))
        if len(found) < 3 or len({f[2] for f in found}) < 3 or self.bands:
            return False
        self.bands, self.bands_at = sorted(found), locator
        return True

    def _apply_bands(self) -> None:
        """A risk score with no stated level is levelled by the document's own bands when it has them
        ("Medium (10-14)": 12 is medium, where the shipped 1-25 scale would say high); warned once."""
        if not self.bands:
            return
        said = False
        for rec in self.records:
            if rec.kind != "threat":
                continue
            for fname in ("risk", "residual_risk"):
                raw = one_line(rec.values.get(fname, ""))
                if f"{fname}.level" in rec.values or not _NUMBER.fullmatch(raw):
                    continue
                n = float(raw.replace(",", "."))
                level = next((lv for lo, hi, lv in self.bands if lo <= n <= hi), None)
                if level is None:
                    continue
                rec.values[f"{fname}.level"] = level
                rec.headers[f"{fname}.level"] = "the document's score bands"
                if not said:
                    said = True
                    shown = ", ".join(
                        f"{lv} <{round(hi):g}" if lo == 0 and hi != round(hi) else f"{lv} {lo:g}-{hi:g}" if hi < 1e8 else f"{lv} {lo:g}+"
                        for lo, hi, lv in self.bands
                    )
                    self.warn(rec.locator, f"risk levels from the document's own score bands ({self.bands_at}: {shown})")

    def _apply_legend(self) -> None:
        """A status cell written as a mark and a word ("✅ Required", "✅ Scheduled") is read by the document's
        legend when it has one ("✅ Implemented and Verified"): the mark says what the author meant, the word
        is kept in extra (warned once per spelling)."""
        if not self.legend:
            return
        told: set[str] = set()
        tables = {"threat": "threat_status", "control": "control_status"}
        for rec in self.records:
            table = tables.get(rec.kind)
            written = one_line(rec.values.get("status", ""))
            mark = written.split(maxsplit=1)[0].replace("\ufe0f", "") if written else ""
            if table is None or mark not in self.legend or mark == written:
                continue
            meaning, where = self.legend[mark]
            said = parse_choice(self.vocab, table, meaning).value
            if said is None or said == parse_choice(self.vocab, table, written).value:
                continue
            rec.values["status"] = meaning
            rec.extra.setdefault("Status as written", written)
            if written not in told:
                told.add(written)
                self.warn(rec.locator, f"status {written!r} read by the document's legend ({where}): {mark} = {meaning!r}")

    def build(self) -> Model:
        model = Model.empty()
        self._apply_legend()
        self._apply_bands()
        self._apply_facts(model)
        self._read_deferred()
        self.grouper.scope_numbers_per_table()
        groups = self._without_content(self.grouper.group())
        used_ids: set[str] = {g.explicit_id for g in groups if g.explicit_id}
        used_ids.update(item.id for _k, item, _l in self.items)
        used_ids.update(v.id for v in self.views)
        owners: dict[str, str] = {}
        for _k, item, _l in self.items:
            owners.setdefault(item.id, _k)
        for v in self.views:
            owners.setdefault(v.id, "view")
        position = {id(rec): n for n, rec in enumerate(self.records)}
        # Items keep the order of the first row that describes them (a bare "ID | Name" listing does not count).
        groups.sort(key=lambda g: min(position[id(r)] for r in g.records if len(r.values) >= min(3, most(g))))
        counters: dict[str, int] = {}
        by_view: dict[str, list[tuple[int, str, str]]] = {}
        for kind in BUILD_ORDER:
            for grp in (g for g in groups if g.kind == kind):
                wanted = grp.explicit_id or ""

                def keyed_here(owner: str, grp: Group = grp, wanted: str = wanted) -> bool:
                    return grp.kind == "control" and owner == "threat" and _keyed_by_threat(grp, wanted)

                item_id, alias = self.grouper.assign_id(grp, used_ids, owners, counters, quiet=keyed_here)
                keyed = alias if kind == "control" and alias is not None and owners.get(alias) == "threat" else None
                keyed = keyed if keyed and _keyed_by_threat(grp, keyed) else None
                item = self._make(grp, item_id, alias, threat_key=keyed)
                getattr(model, COLLECTION[kind]).append(item)
                for rec in grp.records:
                    if rec.view and kind in VIEW_LISTS:
                        by_view.setdefault(rec.view, []).append((position[id(rec)], VIEW_LISTS[kind], item_id))
        named = {(c, norm_name(i.name)): i for c in ("elements", "assets") for i in getattr(model, c)}
        taken = {i.id for _k, i in model.items()} | {v.id for v in self.views}
        for kind, item, loc in self.items:
            if kind == "view":
                continue
            coll = COLLECTION[kind]
            same = named.get((coll, norm_name(getattr(item, "name", "")))) if kind in ("element", "asset") else None
            if same is not None:
                # A component listed in prose and in a table (or twice) is one component.
                self._redirect(item.id, loc, same.id, merged=True)
                if not same.description:
                    same.description = item.description
                continue
            if item.id in taken:
                new, n = f"{item.id}-2", 3
                while new in taken:
                    new, n = f"{item.id}-{n}", n + 1
                self.warn(loc, f"id {item.id!r} is already used; this {kind.replace('_', ' ')} is {new!r}")
                self._redirect(item.id, loc, new, merged=False)
                item.id = new
            taken.add(item.id)
            if kind in ("element", "asset"):
                named[(coll, norm_name(getattr(item, "name", "")))] = item
            getattr(model, coll).append(item)
        for view in self.views:
            for _pos, list_name, iid in sorted(by_view.get(view.id, [])):
                values = getattr(view, list_name)
                if iid not in values:
                    values.append(iid)
            model.views.append(view)
        self._add_named_only(model)
        if self.inferred_categories:
            ids = ", ".join(self.inferred_categories[:10]) + (" ..." if len(self.inferred_categories) > 10 else "")
            self.warn(
                None,
                f"no control category column: {len(self.inferred_categories)} categories taken from control titles ({ids}); check them",
            )
        return model

    def _read_deferred(self) -> None:
        """A table under a "Summary" heading repeats the register, unless it is the only register: then it
        is read after all, with a warning."""
        for block in self.deferred:
            kinds = {rec.kind for rec in self.records}
            if block.fallback in kinds:
                for loc, message in block.warnings:
                    self.warn(loc, message)
                notes = [n for n in block_records(block, self.vocab) if isinstance(n, RowNote)]
                fresh = self._rows_of_their_own(block)
                self._notes([n for n in notes if n.locator not in {r.locator for r in fresh}])
                if fresh:
                    shown = ", ".join(one_line(r.values["id"]) for r in fresh[:6]) + (" …" if len(fresh) > 6 else "")
                    self.warn(
                        fresh[0].locator,
                        f"{len(fresh)} row(s) of this {(block.reason or 'summary').split(' (')[0]} name "
                        f"{self.vocab.kinds[block.fallback].label}s written in no other table ({shown}): read from it",
                    )
                    self._take_rows(block, fresh)
                continue
            reason = block.reason
            block.kind, block.reason, block.warnings = block.fallback, None, []
            block.label = self.vocab.kinds[block.kind].label
            out = list(block_records(block, self.vocab))
            infer_scales([r for r in out if isinstance(r, RowRecord)], self.vocab)
            g = block.grid
            self.warn(
                g.locator(block.header_rows[0], block.c0) if block.header_rows else g.name,
                f"read as {block.label}s although it looks like a {(reason or '').split(' (')[0]}: no other "
                f"{block.label} table in {self.file}",
            )
            self._take(block, out)

    def _rows_of_their_own(self, block: Block) -> list[RowRecord]:
        """The rows of a summary that repeats the register and whose ids no other table has (the summary of a
        document whose details were cut, or left for another file): the only place those items are written."""
        taken = {one_line(r.values.get("id", "")).upper() for r in self.records if r.kind == block.fallback}
        kind, reason, warnings = block.kind, block.reason, block.warnings
        block.kind, block.reason, block.warnings = block.fallback, None, []
        try:
            out = [r for r in block_records(block, self.vocab) if isinstance(r, RowRecord)]
        finally:
            block.kind, block.reason, block.warnings = kind, reason, warnings
        rows = [r for r in out if r.kind == block.fallback and one_line(r.values.get("id", ""))]
        if not any(one_line(r.values["id"]).upper() in taken for r in rows):
            return []  # numbered its own way ("1", "2" beside T-1, T-2): a repetition whose ids say nothing
        titles = {norm_text(r.values.get("title", "")) for r in self.records if r.kind == block.fallback} - {""}
        fresh = [r for r in rows if one_line(r.values["id"]).upper() not in taken and norm_text(r.values.get("title", "")) not in titles]
        if fresh:
            infer_scales(fresh, self.vocab)
        return fresh

    def _take_rows(self, block: Block, rows: list[RowRecord]) -> None:
        """Rows of a table otherwise skipped, kept as records of the table's fallback kind."""
        for rec in rows:
            template = template_row_reason(self.vocab, rec)
            if template is not None:
                self.report.skipped(rec.file, rec.locator, template)
                continue
            self.records.append(rec)
            self.record_blocks[id(rec)] = block

    def _reference_tables(self, groups: list[Group]) -> dict[int, str]:
        """The threat and control tables (two rows or more) whose every title and description cell holds ids only
        (`CTRL-005`, `CTRL-001, CTRL-007` beside `SEC-001`): a traceability matrix of items described elsewhere.
        By the table's id, its header shown."""
        rows: dict[int, list[bool]] = {}
        blocks: dict[int, Block] = {}
        worded: set[int] = set()  # tables with a row of words: no matrix, their other rows need no look
        for grp in groups:
            fields = CONTENT_FIELDS.get(grp.kind)
            if not fields:
                continue
            for rec in grp.records:
                block = self.record_blocks.get(id(rec))
                if block is None or id(block) in worded:
                    continue
                texts = [rec.values[f] for f in fields if rec.values.get(f, "").strip()]
                blocks[id(block)] = block
                ids = bool(texts) and all(_ids_only(t) for t in texts)
                if not ids:
                    worded.add(id(block))
                rows.setdefault(id(block), []).append(ids)
        return {
            key: " | ".join(one_line(c.header) for c in blocks[key].columns if c.header)[:80]
            for key, marks in rows.items()
            if len(marks) >= 2 and all(marks)
        }

    def _without_content(self, groups: list[Group]) -> list[Group]:
        """A threat or control needs words: rows that give it none (a template's numbered empty rows, the
        impact rows of a component with no threat) are skipped with their reason, never titled "Threat T-3".
        Components and assets such a row names are still recorded."""
        direct = {item.id for _k, item, _l in self.items}
        kept: list[Group] = []
        references = self._reference_tables(groups)
        for grp in groups:
            fields = CONTENT_FIELDS.get(grp.kind)
            table = next((references[id(b)] for b in (self.record_blocks.get(id(r)) for r in grp.records) if id(b) in references), None)
            if table is not None and fields and not (grp.explicit_id and grp.explicit_id in direct):
                shown = ", ".join(repr(one_line(rec.values[f])) for rec in grp.records[:1] for f in fields if rec.values.get(f, "").strip())
                label = grp.kind.replace("_", " ")
                reason = f"a traceability row: its {label} cells are ids of items described elsewhere ({shown}); not a {label}"
                for rec in grp.records:
                    self.report.skipped(rec.file, rec.locator, reason)
                    for loc in rec.joined:
                        self.report.skipped(rec.file, loc, f"continues {rec.locator}: {reason}")
                if table not in self._said_references:
                    self._said_references.add(table)
                    self.warn(
                        grp.records[0].locator,
                        f"unsure of the table ({table}): every title and description in it is an id of an item described "
                        "elsewhere (a traceability matrix): no item made from it; import the document that describes them",
                    )
                continue
            if (
                not fields
                or any(rec.values.get(f, "").strip() and not is_empty(self.vocab, rec.values[f]) for rec in grp.records for f in fields)
                or (grp.explicit_id and grp.explicit_id in direct)
                or (grp.kind == "threat" and self._title_from_stride(grp))
            ):
                kept.append(grp)
                continue
            label = grp.kind.replace("_", " ")
            for rec in grp.records:
                block = self.record_blocks.get(id(rec))
                defaults = set(block.defaults) | set(block.grid.defaults) if block else set()
                rid = one_line(rec.values.get("id", ""))
                said = set(rec.values) - defaults - {"id"}
                if rid and not (said - {"status"}) and not rec.extra:
                    reason = f"empty template row (only its id {rid!r}), not a {label}"
                elif rid and (any(f in rec.headers for f in fields) or (block and any(c.field in fields for c in block.columns))):
                    reason = f"row {rid!r} gives no {label} text (its title and description cells are empty or placeholders); not a {label}"
                elif rid:
                    reason = f"row {rid!r} gives no {label} text (no title or description column recognised); not a {label}"
                else:
                    names = [one_line(rec.values[f]) for f in ("targets", "assets") if rec.values.get(f, "").strip()]
                    shown = f" (names {', '.join(repr(n) for n in names)})" if names else ""
                    reason = f"no {label} in this row: no title or description{shown}"
                self.report.skipped(rec.file, rec.locator, reason)
                for loc in rec.joined:
                    self.report.skipped(rec.file, loc, f"continues {rec.locator}: {reason}")
                if grp.kind == "threat":
                    for fname, kind in (("targets", "element"), ("assets", "asset")):
                        raw = rec.values.get(fname, "")
                        if raw.strip() and not is_empty(self.vocab, raw):
                            self.named_only.append((kind, clean_text(raw), rec.locator))
        return kept

    def _title_from_stride(self, grp: Group) -> bool:
        """A threat register's row with its id, a STRIDE category and a component but no threat text ("T-23-01 |
        Tampering | FTS5 query injection | mitigate | parameterised queries"): titled "Tampering of FTS5 query
        injection", as a Markdown table's row is, never skipped. Only rows that also say what is done about it
        (a mitigation; or a status, beside an id) are read so."""
        titled = False
        for rec in grp.records:
            v = rec.values
            target = one_line(v.get("targets", ""))
            rid = one_line(v.get("id", ""))
            if is_empty(self.vocab, target):
                target = ""
            if "stride" not in v or not (target or (rid and v.get("controls", "").strip())):
                continue  # no component: only a row with its id and its mitigation ("T-03-04 (DoS) | cleanup | Implemented")
            said = [f for f in ("controls", "status", "acceptability") if v.get(f, "").strip() and not is_empty(self.vocab, v[f])]
            if "controls" not in said and not (said and rid):
                continue
            got = parse_stride(self.vocab, v["stride"])
            if not got.ok or not got.value:
                continue
            if target:
                v["title"] = f"{stride_title(got.value[0])} of {target}"
                rec.headers["title"] = "STRIDE and component"
                self.warn(rec.locator, f"row has no threat text; titled {v['title']!r} from its STRIDE and component")
            else:
                v["title"] = f"{stride_title(got.value[0])} ({rid})"
                rec.headers["title"] = "STRIDE and id"
                self.warn(rec.locator, f"row has no threat text; titled {v['title']!r} from its id and STRIDE category")
            titled = True
        return titled

    def _add_named_only(self, model: Model) -> None:
        """Components and assets named only in rows that are no threat: recorded by name (once), marked so
        that a name a threat writes elsewhere is still created rather than refused."""
        named = {(c, norm_name(i.name)) for c in ("elements", "assets") for i in getattr(model, c)}
        taken = {i.id for _k, i in model.items()}
        for kind, name, loc in self.named_only:
            coll = COLLECTION[kind]
            key = (coll, norm_name(name))
            if key in named or not name:
                continue
            named.add(key)
            base = slug(name)
            iid, n = base, 2
            while iid in taken:
                iid, n = f"{base}-{n}", n + 1
            taken.add(iid)
            table = "element_kind" if kind == "element" else "asset_kind"
            guess = kind_from_name(self.vocab, table, name)
            data: dict[str, object] = {"id": iid, "name": one_line(name)}
            if guess:
                data["kind"] = guess
            item: Item = (Element if kind == "element" else Asset).model_validate(data)
            item.extra[PENDING + self.file] = {"refs": [], "alias": None, "named_only": True}
            set_provenance(item, Source(file=self.file, locator=loc, importer=self.importer))
            getattr(model, coll).append(item)
            self.warn(loc, f"{kind.replace('_', ' ')} {name!r} is named only in rows with no threat; recorded as {iid!r}")

    def _redirect(self, old: str, locator: str, new: str, *, merged: bool) -> None:
        """Point the report record of one directly made item at another id."""
        for rec in reversed(self.report.records):
            if rec.item == old and rec.locator == locator and rec.file == self.file:
                rec.item = new
                if merged:
                    rec.disposition = "merged"
                return

    # -- facts

    def _apply_facts(self, model: Model) -> None:
        for fact in self.facts:
            value = clean_text(fact.value) if fact.path.endswith(("intended_use", "description")) else one_line(fact.value)
            if not value:
                continue
            obj: object = model
            parts = fact.path.split(".")
            for p in parts[:-1]:
                obj = getattr(obj, p)
            name = parts[-1]
            if fact.path == "document.status":
                got = parse_choice(self.vocab, "document_status", value)
                if not got.ok or got.value is None:
                    self.warn(fact.locator, f"document status {value!r} not understood; left as draft")
                    continue
                value = got.value
            if fact.path == "document.date":
                value = value[:10] if re.match(r"\d{4}-\d\d-\d\d", value) else value
            current = getattr(obj, name)
            if current in (None, "", "UNKNOWN: set it in mdptm.yaml") or (fact.path == "document.status" and current == "draft"):
                setattr(obj, name, value)
            elif current != value:
                self.warn(fact.locator, f"{fact.path} stated twice: kept {current!r}, ignored {value!r}")

    # -- grouping and ids

    # -- items

    def _make(self, grp: Group, item_id: str, alias: str | None, threat_key: str | None = None) -> Item:
        item: Item | None = None
        pending: list[dict[str, str]] = []
        if threat_key is not None:
            # "| ID | Control | Implemented in |" whose ids are the threats' ("TS-01"): each row is the control
            # of that threat, keyed by its id
            first = grp.records[0]
            header = first.headers.get("id", "id")
            pending.append({"field": "threats", "raw": threat_key, "header": header, "locator": first.locator})
            self.warn(
                first.locator,
                f"control keyed by threat id {threat_key!r} (column {header!r}): it mitigates {threat_key}; its own id is {item_id!r}",
            )
        # The row that says most about the item comes first: it creates the item and gives its provenance.
        named = ("title", "name", "text")
        primary = max(
            range(len(grp.records)),
            key=lambda i: (any(grp.records[i].values.get(f) for f in named), len(grp.records[i].values), -i),
        )
        ordered = [grp.records[primary], *grp.records[:primary], *grp.records[primary + 1 :]]
        for rec in ordered:
            self.item_of[id(rec)] = item_id
            fields, extra, refs = self.rows.read(grp.kind, rec)
            for fname, raw, header in refs:
                # "controls.more": a second control column ("Recommended Controls"), its header its controls' status
                field = "controls" if fname == "controls.more" else fname
                pending.append({"field": field, "raw": raw, "header": header, "locator": rec.locator})
                if fname == "controls" and rec.values.get("controls.id", "").strip():
                    pending[-1]["control_id"] = one_line(rec.values["controls.id"])  # "RC-001" beside its text
                if field == "controls" and grp.kind == "threat" and rec.values.get("status", "").strip():
                    # "| Mitigation | Status |" with "Planned": a control made from the text reads the row's status
                    pending[-1]["threat_status"] = one_line(rec.values["status"])
            for _fname, raw, header, loc in rec.more_controls:
                pending.append({"field": "controls", "raw": clean_text(raw), "header": header, "locator": loc})
            if rec.hidden:
                self.warn(rec.locator, "row is hidden in the sheet; imported like the others")
            if rec.group:
                self._apply_group(grp.kind, rec, fields, extra)
            if rec.comments:
                note = "\n".join(f"Comment: {c}" for c in rec.comments)
                fields["notes"] = f"{fields['notes']}\n{note}" if fields.get("notes") else note
            if item is None:
                item = self._new_item(grp.kind, item_id, fields, extra, rec)
                self.report.imported(rec.file, rec.locator, item_id)
            else:
                self._merge_into(item, fields, extra, rec)
                self.report.merged(rec.file, rec.locator, item_id)
            for loc in rec.joined:  # rows under cells merged over them: one record with the row above
                self.report.merged(rec.file, loc, item_id)
        assert item is not None
        if grp.kind in ("element", "asset") and not any("kind" in r.values for r in grp.records):
            # No row gives a type: the name often does ("Cloud update service", "Drug library").
            table = "element_kind" if grp.kind == "element" else "asset_kind"
            guess = kind_from_name(self.vocab, table, getattr(item, "name", "") or "")
            if guess:
                item.kind = guess  # type: ignore[attr-defined]
        self._finish(grp.kind, item)
        if isinstance(item, Control) and not any("category" in r.values for r in grp.records):
            # No category column: the FDA category is often plain in the title ("Code signing", "Audit log").
            guess = parse_choice(self.vocab, "control_category", item.title).value
            if guess and guess != "other":
                item.category = guess  # type: ignore[assignment]
                self.inferred_categories.append(item.id)
        if pending or alias:
            item.extra[PENDING + self.file] = {"refs": pending, "alias": alias}
        return item

    def _new_item(self, kind: str, item_id: str, fields: dict[str, object], extra: dict[str, object], rec: RowRecord) -> Item:
        cls: type[Item] = {  # type: ignore[assignment]
            "threat": Threat,
            "control": Control,
            "element": Element,
            "flow": Flow,
            "asset": Asset,
            "trust_zone": TrustZone,
            "assumption": Assumption,
            "out_of_scope": OutOfScope,
        }[kind]
        required = {
            "threat": "title",
            "control": "title",
            "element": "name",
            "asset": "name",
            "trust_zone": "name",
            "assumption": "text",
            "out_of_scope": "text",
        }.get(kind)
        data = dict(fields)
        if required and not data.get(required):
            data[required] = ""
        if kind == "flow":
            data.setdefault("source", "")
            data.setdefault("target", "")
        data["id"] = item_id
        data["extra"] = extra
        # Where the item came from, given with its fields (as set_provenance sets it: a flow's in "provenance").
        data["provenance" if cls is Flow else "source"] = Source(file=rec.file, locator=rec.locator, importer=self.importer)
        if kind in ("control", "threat") and "status" not in fields:
            data["status_stated"] = False  # no status in the document: "implemented" / "open" is our reading of it
            words = [str(data.get(f) or "") for f in ("title", "description")]
            note = next((n for w in words if (n := deferred_by_note(self.vocab, w)) is not None), None) if kind == "control" else None
            if note is not None:
                # "Secure enclave for keys (Future Scope)", "Audit logging (planned)": the author says it is not in place yet
                data["status"], data["status_stated"] = "planned", True
                self.warn(rec.locator, f"control {item_id}: {note!r} read as planned, not in place")
        unnamed = kind == "control" and "responsibility" not in fields
        outside = outside_by_note(self.vocab, str(data.get("title") or "")) if unnamed else None
        if outside is not None:
            # "(Out of scope for the library itself.) The user's code must …": the user's measure, not the maker's
            data["responsibility"], data["responsibility_stated"] = "customer", True
            self.warn(rec.locator, f"control {item_id}: {outside!r} read as the customer's measure, not the maker's")
        elif kind == "control" and "responsibility" not in fields:
            data["responsibility_stated"] = False  # no one named: "manufacturer" is our reading of it
        item = cls.model_validate(data)
        self._given[id(item)] = set(fields)
        return item

    def _merge_into(self, item: Item, fields: dict[str, Any], extra: dict[str, object], rec: RowRecord) -> None:
        """A later row about the same item fills what is empty; a different value is a reported conflict."""
        given = self._given.setdefault(id(item), set())
        for fname, value in fields.items():
            old = getattr(item, fname)
            if isinstance(old, list):
                setattr(item, fname, old + [v for v in value if v not in old])
            elif isinstance(old, Risk) and isinstance(value, Risk):
                for k in Risk.model_fields:
                    if getattr(old, k) is None:
                        setattr(old, k, getattr(value, k))
            elif fname not in given or old in (None, ""):
                setattr(item, fname, value)
            elif old != value:
                if fname == "notes":
                    item.notes = f"{old}\n{value}"
                elif fname == "description" and isinstance(old, str) and isinstance(value, str):
                    # two tables (a register and its detail) describe the item in their own words: both are kept
                    if norm_text(value) not in norm_text(old):
                        item.description = value if norm_text(old) in norm_text(value) else f"{old}\n\n{value}"
                        self.warn(rec.locator, f"{item.id}: description of another row added to the earlier one")
                elif fname == "title" and isinstance(value, str):
                    item.extra.setdefault("Other title", value)  # kept (internal), never lost
                    self.warn(rec.locator, f"{item.id}: title differs from an earlier row: kept {old!r}; {value!r} kept in extra")
                else:
                    self.warn(rec.locator, f"{item.id}: {fname} differs from an earlier row: kept {old!r}, ignored {value!r}")
            given.add(fname)
        for k, v in extra.items():
            old_v = item.extra.get(k)
            if old_v is None:
                item.extra[k] = v
            elif isinstance(old_v, str) and isinstance(v, str) and v not in old_v.split("\n"):
                item.extra[k] = f"{old_v}\n{v}"

    def _finish(self, kind: str, item: Item) -> None:
        if isinstance(item, (Control, Threat)) and "status" in self._given.get(id(item), ()):
            item.status_stated = True  # a later row of the same item gave it
        if isinstance(item, Control) and "responsibility" in self._given.get(id(item), ()):
            item.responsibility_stated = True
        if isinstance(item, (Threat, Control)) and not item.title:
            if item.description:
                item.title = first_sentence(item.description, named=isinstance(item, Threat))
            else:
                item.title = f"{kind.capitalize()} {item.id}"
                self.warn(_loc(item), f"{kind} {item.id} has no title or description")
        if isinstance(item, (Element, Asset, TrustZone)) and not item.name:
            item.name = item.id
            self.warn(_loc(item), f"{kind.replace('_', ' ')} {item.id} has no name; its id is used")
        if isinstance(item, (Assumption, OutOfScope)) and not item.text:
            item.text = item.description or item.id
            if not item.description:
                self.warn(_loc(item), f"{kind.replace('_', ' ')} {item.id} has no text")
        if isinstance(item, Flow) and not item.name:
            item.name = ""

    def _apply_group(self, kind: str, rec: RowRecord, fields: dict[str, object], extra: dict[str, object]) -> None:
        assert rec.group is not None
        if kind == "threat" and not fields.get("stride"):
            got = parse_stride(self.vocab, rec.group)
            if got.value:
                fields["stride"] = got.value
                return
        extra.setdefault("Group", rec.group)


def _loc(item: Item) -> str | None:
    return item.source.locator if item.source else None
