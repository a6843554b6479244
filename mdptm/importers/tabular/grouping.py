"""Which rows of one source are one item, and the id each item gets.

Rows with the same id (a threat table and a risk-assessment table joined by "Threat ID") are one item;
components and assets without ids are one by name; a threat row with no id in a later table joins the
threat of the same title. Numbers that restart in each table are scoped by the table, so that "1" of
two sheets are two items.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from mdptm.base.text import name_slug
from mdptm.importers.merge import norm_name
from mdptm.importers.tabular.tables import Block, RowNote, RowRecord
from mdptm.importers.tabular.vocab import Vocabulary, content_words, is_empty, norm_text, one_line

PREFIX = {
    "threat": "T",
    "control": "C",
    "element": "E",
    "flow": "F",
    "asset": "A",
    "trust_zone": "TZ",
    "assumption": "AS",
    "out_of_scope": "OOS",
    "view": "V",
}


@dataclass
class Group:
    kind: str
    key: str | None  # explicit id or name key
    explicit_id: str | None
    records: list[RowRecord] = field(default_factory=list)


# An id of letters and a number: "T-01", "T1", "t_1" and "T 1" are one id written in different ways.
_LETTERS_NUMBER = re.compile(r"^([A-Za-z]{1,6})[-_ ]?0*(\d+)((?:\.\d+)*)$")


def id_key(rid: str) -> str:
    """What an id is compared by: "Threat 1" under a heading (read as "T-1") and "T1" in the summary table
    are one threat. Ids of another shape are compared as written."""
    m = _LETTERS_NUMBER.match(rid.strip())
    return f"{m.group(1).upper()}{m.group(2)}{m.group(3)}" if m else rid


def most(grp: Group) -> int:
    """How many columns the fullest row of *grp* gives."""
    return max(len(r.values) for r in grp.records)


def _next_free(written: str, taken: set[str]) -> str:
    """The first of ``written-2``, ``written-3``, … that no item has yet, now taken: the id of a second item an
    author numbered like another."""
    n = 2
    while f"{written}-{n}" in taken:
        n += 1
    taken.add(f"{written}-{n}")
    return f"{written}-{n}"


# a residual risk's own id ("RR-01", "RR1", "RES-2"), the heading over a residual-risk table, an id a cell cites
_RESIDUAL_ID = re.compile(r"^(?:RR|RES|RRISK)[-_.]?\d+", re.I)
_RESIDUAL_HEADING = re.compile(r"^[\W\d.]*(?:accepted\s+)?(?:residual\s+risks?|остаточн\w*\s+риск\w*|restrisik\w*)(?:\W|$)", re.I)
_CITED_ID = re.compile(r"\b[A-Z][A-Z0-9]{0,5}(?:[-_.][A-Z0-9]{1,6})?[-_.]?\d+(?:\.\d+)*[a-z]?\b")


class Grouper:
    """Groups the row records of one source (*records*, each from its table in *record_blocks*) into items
    and gives each its id; *warn* reports what it decided (locator, message)."""

    def __init__(
        self, records: list[RowRecord], record_blocks: dict[int, Block], vocab: Vocabulary, warn: Callable[[str | None, str], None]
    ):
        self.records = records
        self.record_blocks = record_blocks
        self.vocab = vocab
        self.warn = warn

    def scope_numbers_per_table(self) -> None:
        """Numbered rows (1, 2, 3) that start again in each sheet or Word table ("Auth Service" sheet 1, 2;
        "Billing" sheet 1, 2) are different items when the same number has different titles: each table's
        numbers are scoped by the sheet name or the table's heading ("Billing/1"). Ids such as T-01 repeated
        with another title stay one item (a later table joins it; the difference is reported)."""
        by_key: dict[tuple[str, str], dict[int, str]] = {}  # (kind, id) -> block -> title
        blocks: dict[int, Block] = {}
        for rec in self.records:
            rid = one_line(rec.values.get("id", ""))
            text = one_line(rec.values.get("title") or rec.values.get("name") or rec.values.get("text") or "")
            block = self.record_blocks.get(id(rec))
            if not rid or not text or block is None or not re.fullmatch(r"\d+(?:\.\d+)*", rid):
                continue
            blocks[id(block)] = block
            by_key.setdefault((rec.kind, rid), {}).setdefault(id(block), norm_name(text))
        clashing: dict[str, set[int]] = {}
        for (kind, _rid), titles in by_key.items():
            if len(titles) > 1 and len(set(titles.values())) > 1:
                clashing.setdefault(kind, set()).update(titles)
        for kind, ids in clashing.items():
            names = {b: _table_name(blocks[b]) for b in ids}
            if len(set(names.values())) < len(names):
                continue  # no name tells the tables apart
            first: dict[int, RowRecord] = {}
            for rec in self.records:
                block = self.record_blocks.get(id(rec))
                rid = one_line(rec.values.get("id", ""))
                if rec.kind == kind and block is not None and id(block) in ids and rid:
                    rec.values["id"] = f"{names[id(block)]}/{rid}"
                    first.setdefault(id(block), rec)
            for rec in first.values():
                self.warn(rec.locator, f"numbers restart in each table: scoped by the table ({rec.values['id']!r})")
        self._reused_ids()
        self._reused_control_ids()

    def _reused_control_ids(self) -> None:
        """A control id written again in the same table on a row whose measure shares no word with the first
        row's ("M0 | Fallenfeld, nur POST …", "M0 | Kopfzeilen-Schutz …", "M0 | Ausgabe maskiert …": the
        author's baseline measures, all numbered M0) names another control: "M0-2", "M0-3" (warned), each
        linked to the threats its own row names. Rows with words in common stay one control."""
        first: dict[tuple[int, str], set[str]] = {}
        taken = {one_line(r.values.get("id", "")) for r in self.records if r.kind == "control"}
        for rec in self.records:
            if rec.kind != "control":
                continue
            written = one_line(rec.values.get("id", ""))
            block = self.record_blocks.get(id(rec))
            words = content_words(rec.values.get("title") or rec.values.get("description") or "")
            if not written or block is None or not words:
                continue
            key = (id(block), id_key(written))
            seen = first.get(key)
            if seen is None:
                first[key] = words
                continue
            if words & seen:
                continue
            new = _next_free(written, taken)
            rec.values["id"] = new
            self.warn(rec.locator, f"control id {written} is used again for another measure in this table; this one is {new}")

    def _reused_ids(self) -> None:
        """A threat id such as "I-001" used again in a later table for a threat whose title shares no word with
        the first one ("Credential to agent" in a STRIDE table, "Subject re-identification" in a LINDDUN table)
        names another threat: the later one is "I-001-2" (warned). A later table that repeats the threat with
        a shorter title ("MITM on TLS" for "Man-in-the-Middle Attack on TLS") still joins it."""
        first: dict[str, tuple[int, set[str]]] = {}  # id -> (block, title words)
        taken = {one_line(r.values.get("id", "")) for r in self.records if r.kind == "threat"}
        renamed: dict[tuple[int, str], str] = {}
        for rec in self.records:
            written = one_line(rec.values.get("id", ""))
            rid = id_key(written)
            block = self.record_blocks.get(id(rec))
            if rec.kind != "threat" or not rid or block is None or re.fullmatch(r"\d+(?:\.\d+)*", rid):
                continue
            words = content_words(rec.values.get("title") or "")
            if (id(block), rid) in renamed:
                rec.values["id"] = renamed[(id(block), rid)]
                continue
            if rid not in first:
                if words:
                    first[rid] = (id(block), words)
                continue
            where, seen = first[rid]
            if where == id(block) or not words or words & seen:
                continue
            new = _next_free(written, taken)
            renamed[(id(block), rid)] = new
            rec.values["id"] = new
            said = one_line(rec.values.get("title", ""))
            self.warn(rec.locator, f"threat id {written} is used again for another threat ({said!r}); this one is {new}")

    def _residual_table(self, rec: RowRecord) -> str | None:
        """The table a residual-risk row sits in ("RR-01 | risk left after the controls | accepted", or any row of a
        table under a "Residual risks" heading), None for any other row."""
        block = self.record_blocks.get(id(rec))
        if rec.kind != "threat" or block is None:
            return None
        rid = one_line(rec.values.get("id", ""))
        heading = block.grid.heading or block.caption
        if _RESIDUAL_ID.match(rid) or _RESIDUAL_HEADING.match(heading):
            return block.grid.name or "a table"
        return None

    def residual_rows(self) -> None:
        """A residual risk is what stays of a threat after its controls, not a new threat. A row of a residual-risk
        table that cites one threat's id, or repeats one threat's title, is read as that threat's row (its residual
        level and acceptance fill what the threat leaves empty; its words kept in extra); one that names no threat
        of the file stays a risk of its own, said so with its table."""
        tables = {id(rec): t for rec in self.records if (t := self._residual_table(rec)) is not None}
        if not tables:
            return
        ids: dict[str, str] = {}
        titles: dict[str, list[str]] = {}
        for rec in self.records:
            rid = one_line(rec.values.get("id", ""))
            if rec.kind != "threat" or id(rec) in tables or not rid:
                continue
            ids.setdefault(id_key(rid), rid)
            title = norm_name(rec.values.get("title", ""))
            if len(title.split()) >= 3 and rid not in titles.setdefault(title, []):
                titles[title].append(rid)
        for rec in self.records:
            table = tables.get(id(rec))
            rid = one_line(rec.values.get("id", ""))
            if table is None or (rid and id_key(rid) in ids):
                continue  # "T4 | accepted" in a residual table: T4's row already, joined by its id
            texts = [v for f, v in rec.values.items() if f != "id"] + list(rec.extra.values())
            cited = {ids[id_key(m)] for t in texts for m in _CITED_ID.findall(t) if id_key(m) in ids}
            words = one_line(rec.values.get("title") or rec.values.get("description") or "")
            title = norm_name(words)
            named = {r for t, rs in titles.items() if t and (t == title or f" {t} " in f" {title} ") for r in rs}
            if not any(f.startswith("residual_risk") for f in rec.values):
                for fname in [f for f in rec.values if f == "risk" or f.startswith("risk.")]:
                    # "Level" of a residual-risk table: the risk left after the controls
                    rec.values["residual_" + fname] = rec.values.pop(fname)
                    if fname in rec.headers:
                        rec.headers["residual_" + fname] = rec.headers.pop(fname)
            target = next(iter(cited)) if len(cited) == 1 else next(iter(named)) if not cited and len(named) == 1 else None
            own = rid or words[:40]
            if target is None and words:  # no words: the row is skipped later as no threat ("All Others | LOW")
                self.warn(
                    rec.locator,
                    f"residual risk {own!r} of {table} names no single threat of this file (no threat id, no threat's "
                    "title): imported as a risk of its own",
                )
            if target is None:
                continue
            how = "cites" if cited else "repeats the title of"
            keep = {f: v for f, v in rec.values.items() if f.startswith("residual_risk") or f in ("status", "rationale")}
            for fname in ("title", "description"):
                if rec.values.get(fname):
                    label = "Residual risk" if fname == "title" or "title" not in rec.values else "Residual risk description"
                    rec.extra[label + (f" ({rid})" if rid else "")] = one_line(rec.values[fname])
            rec.values = {"id": target, **keep}
            self.warn(rec.locator, f"residual risk {own!r} of {table} {how} threat {target}: read as that threat's residual risk")

    def _written_threat_ids(self) -> set[str]:
        """The ids (as :func:`id_key` compares them) of the threats this file writes out: an id and a title."""
        return {
            id_key(one_line(r.values.get("id", "")))
            for r in self.records
            if r.kind == "threat" and one_line(r.values.get("id", "")) and r.values.get("title", "").strip()
        }

    def link_rows(self) -> None:
        """ "| Threat | Hazard | Existing risk controls |" of "TH-2 (spoofed device), TH-7 (foreign data) | HAZ-013 |
        RC-015": a row whose threat cell names threats of this file by their ids (each glossed in brackets, or not)
        says what it says of each of them, not of the first alone: one copy of the row per threat named, joined to
        it by its id; the cell kept as written. Rows whose ids are not all threats written elsewhere stay as they are."""
        known = self._written_threat_ids()
        out: list[RowRecord] = []
        for rec in self.records:
            ids = _linked_ids(rec.values.get("title", "")) if rec.kind == "threat" and not one_line(rec.values.get("id", "")) else []
            if not ids or any(id_key(i) not in known for i in ids):
                out.append(rec)
                continue
            header = rec.headers.get("title", "Threat")
            rest = {f: v for f, v in rec.values.items() if f != "title"}
            block = self.record_blocks.get(id(rec))
            for n, tid in enumerate(ids):
                copy = replace(
                    rec,
                    values={"id": tid, **rest},
                    headers={**rec.headers, "id": header},
                    extra={**rec.extra, header: one_line(rec.values["title"])},
                    joined=rec.joined if n == 0 else [],
                    more_controls=list(rec.more_controls),
                )
                if block is not None:
                    self.record_blocks[id(copy)] = block
                out.append(copy)
            if len(ids) > 1:
                self.warn(rec.locator, f"row names {len(ids)} threats ({', '.join(ids)}): what it says joins each of them")
        self.records[:] = out

    def situation_rows(self) -> None:
        """ "| HS-ID | Hazard(s) | Hazardous Situation | Foreseeable Harm |" of "HS-001 | PH-001, PH-002 | Attacker
        gains access to a patient account": a hazardous situation the threats it cites lead to, when each cited id is a
        threat of this import; its id joins each threat's hazards and its text stays with each, as written. No threat.
        Rows citing anything else stay as they are."""
        known = self._written_threat_ids()
        out: list[RowRecord] = []
        for rec in self.records:
            own = one_line(rec.values.get("id", ""))
            header = norm_text(rec.headers.get("title", ""))
            ids = _linked_ids(rec.values.get("hazards", "")) if rec.kind == "threat" and own else []
            if not ids or header not in self.vocab.situation_headers or any(id_key(i) not in known for i in ids):
                out.append(rec)
                continue
            said = {
                f"{rec.headers.get(f, f)} ({own})": one_line(v) for f, v in rec.values.items() if f not in ("id", "hazards") and v.strip()
            }
            block = self.record_blocks.get(id(rec))
            for n, tid in enumerate(ids):
                copy = replace(
                    rec,
                    values={"id": tid, "hazards": own},
                    headers={"id": rec.headers.get("hazards", "hazards"), "hazards": rec.headers.get("id", "id")},
                    extra={**rec.extra, **said},
                    joined=rec.joined if n == 0 else [],
                    more_controls=[],
                )
                if block is not None:
                    self.record_blocks[id(copy)] = block
                out.append(copy)
            self.warn(
                rec.locator,
                f"hazardous situation {own} that {', '.join(ids)} lead to: joined to the hazards of each, not a threat",
            )
        self.records[:] = out

    def group(self) -> list[Group]:
        self.residual_rows()
        self.situation_rows()
        self.link_rows()
        groups: list[Group] = []
        index: dict[tuple[str, str], Group] = {}
        titled: dict[str, list[tuple[Group, Block | None]]] = {}  # threat title -> groups with an id
        untitled: dict[str, list[tuple[Group, Block | None, RowRecord]]] = {}  # long threat title -> rows with no id
        summaries: dict[int, bool] = {}  # a table -> whether most of its rows with no id repeat threats of this file
        copies: dict[tuple[tuple[str, str], ...], tuple[str, str]] = {}  # a threat row's cells but its id -> (its id, where)
        for rec in self.records:
            rid = one_line(rec.values.get("id", ""))
            if rid and is_empty(self.vocab, rid):
                rid = ""
            if rid and rec.kind == "threat" and len(rec.values) >= 3:
                # "7" and "7b" alike in every cell but the id: a row copied under a new id; kept (its id is its own), said
                cells = tuple((f, v) for f, v in rec.values.items() if f != "id")  # a table's rows share its column order
                other = copies.setdefault(cells, (rid, rec.locator))
                if other[0] != rid:
                    said_twice = f"threat {rid} repeats {other[0]} ({other[1]}) in every cell but its id"
                    self.warn(rec.locator, f"{said_twice}: imported as its own threat")
            if not rid:
                rid = _id_from_title(rec)
            key: tuple[str, str] | None = None
            if rid:
                key = (rec.kind, "id:" + id_key(rid))
            elif rec.kind in ("element", "asset", "trust_zone", "flow") and rec.values.get("name"):
                key = (rec.kind, "name:" + norm_name(rec.values["name"]))
            elif rec.kind == "control" and rec.values.get("title") and not rec.own:
                title = rec.values["title"]
                text = rec.values.get("description", "")
                if text and norm_name(text).startswith(norm_name(title.rstrip(" …"))):
                    # a title taken from the start of a long text (its first sentence, or cut with "…"): two texts
                    # that begin alike are two controls, the same only when the whole text is
                    title = text
                key = (rec.kind, "name:" + norm_name(title))
            elif rec.kind == "threat" and rec.values.get("title", "").strip() and self.record_blocks.get(id(rec)) is not None:
                # no id: a register exported one row per countermeasure repeats its threat (same title, same
                # component) on each row; within one table that is one threat
                # everything but its countermeasure the same (title, component, ratings, text): the rows of one threat
                said = "|".join(f"{f}={norm_name(v)}" for f, v in sorted(rec.values.items()) if not f.startswith("controls"))
                key = (rec.kind, f"row:{id(self.record_blocks.get(id(rec)))}:{said}")
            grp = index.get(key) if key else None
            if grp is not None and key is not None and key[1].startswith("row:"):
                self.warn(rec.locator, f"no id: the same threat as {grp.records[0].locator} (title and component): one threat")
            if grp is None and not rid and rec.kind == "threat":
                grp = self._same_titled(rec, titled)
                if grp is not None:
                    self.warn(rec.locator, f"no id: joined threat {grp.explicit_id!r} of the same title in another table")
            if grp is None and not rid and rec.kind == "threat" and self._summary_table(rec, titled, summaries):
                grp = self._worded_titled(rec, titled)
                if grp is not None:
                    said = one_line(rec.values.get("title", ""))
                    self.warn(
                        rec.locator,
                        f"no id: every word of {said!r} is in the title of threat {grp.explicit_id!r} (a table that repeats "
                        "this file's threats in words of its own): joined",
                    )
            if grp is None and not rid and rec.kind == "threat":
                grp = self._repeated(rec, untitled)
                if grp is not None:
                    first = grp.records[0].locator
                    self.warn(rec.locator, f"no id: the threat of {first} word for word (title and category): one threat")
            if grp is not None and rid and grp.explicit_id and grp.explicit_id != rid:
                what = rec.kind.replace("_", " ")
                self.warn(rec.locator, f"{what} id {rid!r} is {grp.explicit_id!r} written another way: one {what}")
            if grp is None:
                grp = Group(rec.kind, key[1] if key else None, rid or None)
                groups.append(grp)
                if key:
                    index[key] = grp
            grp.records.append(rec)
            if rid and rec.kind == "threat" and rec.values.get("title", "").strip():
                titled.setdefault(norm_name(rec.values["title"]), []).append((grp, self.record_blocks.get(id(rec))))
            elif not rid and rec.kind == "threat" and len(rec.values.get("title", "").split()) >= 5:
                # "Step 1: Category | Threat" then "Step 2: Category | Threat | Priority | Mitigations": a table
                # that repeats an earlier one's threats, word for word, to rate them
                untitled.setdefault(norm_name(rec.values["title"]), []).append((grp, self.record_blocks.get(id(rec)), rec))
        return groups

    def _repeated(self, rec: RowRecord, untitled: dict[str, list[tuple[Group, Block | None, RowRecord]]]) -> Group | None:
        """A threat row with no id whose long title (five words or more) and STRIDE category are word for word
        those of exactly one threat with no id of another table, neither naming another component: that threat."""
        title = rec.values.get("title", "").strip()
        block = self.record_blocks.get(id(rec))
        hits = [(g, r) for g, b, r in untitled.get(norm_name(title), []) if b is not block] if title else []
        if len({id(g) for g, _r in hits}) != 1 or len(hits) != 1:
            return None
        grp, other = hits[0]
        for fname in ("stride", "targets"):
            mine, theirs = norm_text(rec.values.get(fname, "")), norm_text(other.values.get(fname, ""))
            if mine and theirs and mine != theirs:
                return None
        return grp

    def _worded_titled(self, rec: RowRecord, titled: dict[str, list[tuple[Group, Block | None]]]) -> Group | None:
        """A threat row with no id whose title's words (two at least, "Behavioral drift") are all words of the title
        of exactly one threat with an id of another table or heading ("Silent Behavioral Drift"): that threat."""
        words = content_words(rec.values.get("title", ""))
        if len(words) < 2:
            return None
        block = self.record_blocks.get(id(rec))
        groups = {id(g): g for key, hits in titled.items() if words <= content_words(key) for g, b in hits if b is not block}
        return next(iter(groups.values())) if len(groups) == 1 else None

    def _summary_table(self, rec: RowRecord, titled: dict[str, list[tuple[Group, Block | None]]], seen: dict[int, bool]) -> bool:
        """Whether the table of *rec* repeats this file's threats: half its threat rows with no id or more name one
        threat read before it, by its title or by words all in its title ("Risk Matrix" under threat headings)."""
        block = self.record_blocks.get(id(rec))
        if block is None:
            return False
        if id(block) not in seen:
            rows = [r for r in self.records if r.kind == "threat" and self.record_blocks.get(id(r)) is block and not r.values.get("id")]
            named = sum(1 for r in rows if self._same_titled(r, titled) is not None or self._worded_titled(r, titled) is not None)
            seen[id(block)] = len(rows) >= 2 and named * 2 >= len(rows)
        return seen[id(block)]

    def _same_titled(self, rec: RowRecord, titled: dict[str, list[tuple[Group, Block | None]]]) -> Group | None:
        """A threat row with no id in a later table (a residual-risk table keyed by the threat's title) is
        the threat of that title that has an id in another table — when exactly one has it."""
        title = rec.values.get("title", "").strip()
        hits = titled.get(norm_name(title), []) if title else []
        block = self.record_blocks.get(id(rec))
        groups = {id(g): g for g, b in hits if b is not block}
        return next(iter(groups.values())) if len(groups) == 1 and len(hits) == 1 else None

    def assign_id(
        self, grp: Group, used: set[str], owners: dict[str, str], counters: dict[str, int], *, quiet: Callable[[str], bool] | None = None
    ) -> tuple[str, str | None]:
        """The item's id; *quiet* says of a taken id that the caller reports the renaming itself."""
        kind = grp.kind
        if grp.explicit_id:
            wanted = grp.explicit_id
            owner = owners.get(wanted)
            if owner is None or owner == kind:
                owners[wanted] = kind
                return wanted, None
            new = f"{PREFIX[kind]}-{wanted}"
            n = 2
            while new in used:
                new = f"{PREFIX[kind]}-{wanted}-{n}"
                n += 1
            used.add(new)
            owners[new] = kind
            if quiet is None or not quiet(owner):
                self.warn(
                    grp.records[0].locator,
                    f"id {wanted!r} is already used by a {owner.replace('_', ' ')}; this {kind.replace('_', ' ')} is {new!r}",
                )
            return new, wanted
        name = ""
        for rec in grp.records:
            name = rec.values.get("name") or (rec.values.get("title") if kind == "control" else "") or ""
            if name:
                break
        if kind in ("element", "asset", "trust_zone") and name:
            base = name_slug(name, 48, "item")
            new, n = base, 2
            while new in used:
                new = f"{base}-{n}"
                n += 1
        else:
            n = counters.get(kind, 0)
            while True:
                n += 1
                new = f"{PREFIX[kind]}-{n}"
                if new not in used:
                    break
            counters[kind] = n
        used.add(new)
        owners[new] = kind
        return new, None


# "TH-2 (spoofed or wrong device), TH-7 (foreign data)": threat ids, each with an optional gloss in brackets
_GLOSSED_ID = r"[A-Z]{1,6}[-_.]?\d+(?:[.\-]\d+)*[a-z]?(?:\s*\([^()]*\))?"
_LINKED_IDS = re.compile(rf"^\s*{_GLOSSED_ID}(?:\s*(?:[,;/&+]|\band\b|\n)\s*{_GLOSSED_ID})*\s*$")


def _linked_ids(text: str) -> list[str]:
    """The threat ids a cell lists and nothing else ("TH-2 (spoofed device), TH-7"), or [] for any other text."""
    if not _LINKED_IDS.match(text):
        return []
    return re.findall(r"\b[A-Z]{1,6}[-_.]?\d+(?:[.\-]\d+)*[a-z]?\b", re.sub(r"\([^()]*\)", " ", text))


_ID_SPACE = re.compile(r"^\s*([A-Z]{1,6}-?\d+(?:\.\d+)*)\s+(\S.*)$", re.S)


def _threat_prefixes() -> frozenset[str]:
    from mdptm.importers.markdown.words import markdown_words

    return frozenset(str(p) for p in markdown_words()["threat_prefixes"])


_ID_TITLE = re.compile(r"^\s*([A-Z]{1,6}[-_.]?\d+(?:\.\d+)*[a-z]?)\s*[:.\-–—)]\s+(\S.*)$", re.S)
_TITLED = {"threat": "title", "control": "title", "assumption": "text", "out_of_scope": "text"}


def _id_from_title(rec: RowRecord) -> str:
    """ "SP-01: Fake cloud server" in a threat's title cell, with no id column: the id and the title; a threat's
    own prefix also without a separator ("T1.1 Records read off an unlocked device", written "**T1.1** …")."""
    fname = _TITLED.get(rec.kind)
    m = _ID_TITLE.match(rec.values.get(fname, "")) if fname else None
    if m is None and rec.kind == "threat" and fname is not None:
        m = _ID_SPACE.match(rec.values.get(fname, ""))
        if m is not None and re.match(r"[A-Za-z]+", m.group(1)).group(0) not in _threat_prefixes():  # type: ignore[union-attr]
            m = None
    if m is None or fname is None:
        return ""
    rec.values["id"] = m.group(1)
    rec.values[fname] = m.group(2)
    rec.headers.setdefault("id", rec.headers.get(fname, fname))
    return m.group(1)


def scope_stacked_ids(blocks: list[Block], outs: list[list[RowRecord | RowNote]]) -> None:
    """Tables stacked in one sheet, each under its own caption ("Auth Service"), whose ids start again
    at 1: the same id with a different title in two of them is two items, scoped by the caption."""
    by_kind: dict[str, list[int]] = {}
    for n, block in enumerate(blocks):
        if block.kind in PREFIX:
            by_kind.setdefault(block.kind, []).append(n)
    for indexes in by_kind.values():
        if len(indexes) < 2 or any(not blocks[n].title for n in indexes):
            continue
        titles: dict[str, tuple[int, str]] = {}
        clash = False
        for n in indexes:
            for rec in outs[n]:
                if not isinstance(rec, RowRecord):
                    continue
                rid = one_line(rec.values.get("id", ""))
                text = one_line(rec.values.get("title") or rec.values.get("name") or rec.values.get("text") or "")
                if not rid or not text:
                    continue
                other = titles.get(rid)
                if other is not None and other[0] != n and norm_name(other[1]) != norm_name(text):
                    clash = True
                titles.setdefault(rid, (n, text))
        if not clash:
            continue
        for n in indexes:
            first = None
            for rec in outs[n]:
                if isinstance(rec, RowRecord) and rec.values.get("id", "").strip():
                    rec.values["id"] = f"{blocks[n].title}/{one_line(rec.values['id'])}"
                    first = first or rec
            if first is not None:
                blocks[n].warnings.append(
                    (first.locator, f"ids restart in each table of this sheet: scoped by the table's caption ({first.values['id']!r})")
                )


def _table_name(block: Block) -> str:
    """What tells a table apart from the others of its source: its caption, heading or sheet name."""
    g = block.grid
    return one_line(block.title or g.heading or (g.name if g.style == "sheet" else "") or g.name)
