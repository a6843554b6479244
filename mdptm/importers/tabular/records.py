"""Row records of one source → the items of a (partial) model, with every row accounted for.

Records with the same id (a threat table and a risk-assessment table joined by "Threat ID") merge
into one item; components and assets without ids merge by name. Values are normalised through the
vocabulary; a value that cannot be normalised stays in ``extra`` under its header with a warning.
References (affected components, controls, flow ends...) are kept as written and resolved by
:mod:`mdptm.importers.tabular.resolve` — first inside the source, then across all sources after the merge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mdptm.base.text import slug
from mdptm.importers.merge import norm_name
from mdptm.importers.tabular.resolve import PENDING
from mdptm.importers.tabular.tables import Block, Grid, Profile, RowNote, RowRecord, TableFinder, block_records
from mdptm.importers.tabular.vocab import (
    Vocabulary,
    clean_text,
    combine_risk,
    is_empty,
    norm_text,
    normalise_cwe,
    one_line,
    ordinal,
    parse_bool,
    parse_choice,
    parse_harm,
    parse_risk,
    parse_status,
    parse_stride,
    scale_for,
    split_evidence,
    split_list,
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
from mdptm.model.cvss import read as read_cvss
from mdptm.model.premarket import likelihood_basis
from mdptm.model.report import ImportReport

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
RISK_FIELDS = ("risk", "residual_risk")
# The fields that make a row an item of its kind: without any of them a row is no threat (control ...).
CONTENT_FIELDS = {"threat": ("title", "description"), "control": ("title", "description")}
NONE_WORDS = {
    "none",
    "no",
    "not encrypted",
    "unencrypted",
    "plaintext",
    "plain text",
    "cleartext",
    "clear text",
    "not authenticated",
    "unauthenticated",
    "no encryption",
    "no authentication",
    "n",
    "false",
    "0",
}
UNKNOWN_WORDS = {"", "-", "n/a", "na", "unknown", "tbd", "?", "--", "—"}


_PORT = re.compile(
    r"^(?P<proto>\S.*?)\s*(?:[/,;:(]|\s-\s|\s–\s|\bon\b)\s*(?P<port>(?:(?:tcp|udp)\s*/?\s*)?(?:ports?\s*)?"
    r"\d{2,5}(?:\s*[-–,/]\s*\d{2,5})*(?:\s*/?\s*(?:tcp|udp))?)\s*\)?\s*$",
    re.I,
)


def split_protocol_port(text: str) -> tuple[str, str] | None:
    """A cell of a combined "Protocol / Port" column: "HTTPS / TCP 443" → ("HTTPS", "TCP 443").

    Only a trailing port number after a separator counts, so "HTTP/1.1" or "TLS 1.2" stay whole.
    """
    m = _PORT.match(text)
    if m is None:
        return None
    port = re.sub(r"\bports?\s*", "", m.group("port"), flags=re.I).strip()
    if not all(0 < int(n) < 65536 for n in re.findall(r"\d+", port)):
        return None
    return m.group("proto").strip(), port


def first_sentence(text: str, limit: int = 100) -> str:
    """A title for a threat that only has a description: its first line or sentence, shortened."""
    line = one_line(clean_text(text).split("\n", 1)[0])
    m = re.match(r"(.+?[.!?])(\s|$)", line)
    if m and len(m.group(1)) >= 12:
        line = m.group(1).rstrip(".")
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0]
    return cut + "…"


@dataclass
class Fact:
    path: str
    value: str
    locator: str


@dataclass
class _Group:
    kind: str
    key: str | None  # explicit id or name key
    explicit_id: str | None
    records: list[RowRecord] = field(default_factory=list)


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
        self.named_only: list[tuple[str, str, str]] = []  # (kind, name, locator) named in rows that are no item
        self.deferred: list[Block] = []  # summary tables: read only when no other table of their kind is

    # -- input

    def add_grid(self, grid: Grid) -> list[Block]:
        """Find the tables of a grid and collect their records; skipped rows go to the report now."""
        finder = TableFinder(grid, self.vocab, self.profile)
        blocks, notes = finder.run()
        self.report.tables_read.append((grid, blocks))
        self._notes(notes)
        outs: list[list[RowRecord | RowNote]] = []
        for block in blocks:
            self.blocks.append(block)
            if block.grid.hidden_cols and block.columns:
                hidden = [c for c in block.columns if c.hidden]
                if hidden:
                    names = ", ".join(f"{grid.col_name(c.index)} ({c.header or 'no header'})" for c in hidden)
                    self.warn(
                        grid.locator(block.header_rows[0], block.c0) if block.header_rows else grid.name,
                        f"hidden column(s) {names} read like the others",
                    )
            out = list(block_records(block, self.vocab))
            _infer_scales([r for r in out if isinstance(r, RowRecord)], self.vocab)
            outs.append(out)
        _scope_stacked_ids(blocks, outs)
        for block, out in zip(blocks, outs, strict=True):
            if block.fallback:
                self.deferred.append(block)  # decided when the whole source is read
                continue
            for loc, message in block.warnings:
                self.warn(loc, message)
            for rec in out:
                if isinstance(rec, RowRecord):
                    self.records.append(rec)
                    self.record_blocks[id(rec)] = block
                else:
                    self._notes([rec])
        return blocks

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

    def build(self) -> Model:
        model = Model.empty()
        self._apply_facts(model)
        self._read_deferred()
        self._scope_numbers_per_table()
        groups = self._without_content(self._group())
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
        groups.sort(key=lambda g: min(position[id(r)] for r in g.records if len(r.values) >= min(3, _most(g))))
        counters: dict[str, int] = {}
        by_view: dict[str, list[tuple[int, str, str]]] = {}
        for kind in BUILD_ORDER:
            for grp in (g for g in groups if g.kind == kind):
                item_id, alias = self._assign_id(grp, used_ids, owners, counters)
                item = self._make(grp, item_id, alias)
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
                self._notes([n for n in block_records(block, self.vocab) if isinstance(n, RowNote)])
                continue
            reason = block.reason
            block.kind, block.reason, block.warnings = block.fallback, None, []
            block.label = self.vocab.kinds[block.kind].label
            out = list(block_records(block, self.vocab))
            _infer_scales([r for r in out if isinstance(r, RowRecord)], self.vocab)
            g = block.grid
            self.warn(
                g.locator(block.header_rows[0], block.c0) if block.header_rows else g.name,
                f"read as {block.label}s although it looks like a {(reason or '').split(' (')[0]}: no other "
                f"{block.label} table in {self.file}",
            )
            for loc, message in block.warnings:
                self.warn(loc, message)
            for rec in out:
                if isinstance(rec, RowRecord):
                    self.records.append(rec)
                    self.record_blocks[id(rec)] = block
                else:
                    self._notes([rec])

    def _scope_numbers_per_table(self) -> None:
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

    def _without_content(self, groups: list[_Group]) -> list[_Group]:
        """A threat or control needs words: rows that give it none (a template's numbered empty rows, the
        impact rows of a component with no threat) are skipped with their reason, never titled "Threat T-3".
        Components and assets such a row names are still recorded."""
        direct = {item.id for _k, item, _l in self.items}
        kept: list[_Group] = []
        for grp in groups:
            fields = CONTENT_FIELDS.get(grp.kind)
            if (
                not fields
                or any(rec.values.get(f, "").strip() and not is_empty(self.vocab, rec.values[f]) for rec in grp.records for f in fields)
                or (grp.explicit_id and grp.explicit_id in direct)
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
            guess = parse_choice(self.vocab, table, name).value
            data: dict[str, Any] = {"id": iid, "name": one_line(name)}
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
            obj: Any = model
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

    def _group(self) -> list[_Group]:
        groups: list[_Group] = []
        index: dict[tuple[str, str], _Group] = {}
        titled: dict[str, list[tuple[_Group, Block | None]]] = {}  # threat title -> groups with an id
        for rec in self.records:
            rid = one_line(rec.values.get("id", ""))
            if rid and is_empty(self.vocab, rid):
                rid = ""
            if not rid:
                rid = _id_from_title(rec)
            key: tuple[str, str] | None = None
            if rid:
                key = (rec.kind, "id:" + rid)
            elif rec.kind in ("element", "asset", "trust_zone", "flow") and rec.values.get("name"):
                key = (rec.kind, "name:" + norm_name(rec.values["name"]))
            elif rec.kind == "control" and rec.values.get("title"):
                key = (rec.kind, "name:" + norm_name(rec.values["title"]))
            grp = index.get(key) if key else None
            if grp is None and not rid and rec.kind == "threat":
                grp = self._same_titled(rec, titled)
                if grp is not None:
                    self.warn(rec.locator, f"no id: joined threat {grp.explicit_id!r} of the same title in another table")
            if grp is None:
                grp = _Group(rec.kind, key[1] if key else None, rid or None)
                groups.append(grp)
                if key:
                    index[key] = grp
            grp.records.append(rec)
            if rid and rec.kind == "threat" and rec.values.get("title", "").strip():
                titled.setdefault(norm_name(rec.values["title"]), []).append((grp, self.record_blocks.get(id(rec))))
        return groups

    def _same_titled(self, rec: RowRecord, titled: dict[str, list[tuple[_Group, Block | None]]]) -> _Group | None:
        """A threat row with no id in a later table (a residual-risk table keyed by the threat's title) is
        the threat of that title that has an id in another table — when exactly one has it."""
        title = rec.values.get("title", "").strip()
        hits = titled.get(norm_name(title), []) if title else []
        block = self.record_blocks.get(id(rec))
        groups = {id(g): g for g, b in hits if b is not block}
        return next(iter(groups.values())) if len(groups) == 1 and len(hits) == 1 else None

    def _assign_id(self, grp: _Group, used: set[str], owners: dict[str, str], counters: dict[str, int]) -> tuple[str, str | None]:
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
            base = slug(name, 48, "item")
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

    # -- items

    def _make(self, grp: _Group, item_id: str, alias: str | None) -> Item:
        maker = getattr(self, f"_make_{grp.kind}")
        item: Item | None = None
        pending: list[dict[str, str]] = []
        # The row that says most about the item comes first: it creates the item and gives its provenance.
        named = ("title", "name", "text")
        primary = max(
            range(len(grp.records)),
            key=lambda i: (any(grp.records[i].values.get(f) for f in named), len(grp.records[i].values), -i),
        )
        ordered = [grp.records[primary], *grp.records[:primary], *grp.records[primary + 1 :]]
        for rec in ordered:
            self.item_of[id(rec)] = item_id
            fields, extra, refs = maker(rec)
            for fname, raw in refs:
                pending.append({"field": fname, "raw": raw, "header": rec.headers.get(fname, fname), "locator": rec.locator})
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
            guess = parse_choice(self.vocab, table, getattr(item, "name", "") or "").value
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

    def _new_item(self, kind: str, item_id: str, fields: dict[str, Any], extra: dict[str, Any], rec: RowRecord) -> Item:
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
        item = cls.model_validate(data)
        self._given[id(item)] = set(fields)
        set_provenance(item, Source(file=rec.file, locator=rec.locator, importer=self.importer))
        return item

    def _merge_into(self, item: Item, fields: dict[str, Any], extra: dict[str, Any], rec: RowRecord) -> None:
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
        if isinstance(item, Threat) and not item.title:
            if item.description:
                item.title = first_sentence(item.description)
            else:
                item.title = f"Threat {item.id}"
                self.warn(_loc(item), f"threat {item.id} has no title or description")
        if isinstance(item, Control) and not item.title:
            if item.description:
                item.title = first_sentence(item.description)
            else:
                item.title = f"Control {item.id}"
                self.warn(_loc(item), f"control {item.id} has no title or description")
        if isinstance(item, (Element, Asset, TrustZone)) and not item.name:
            item.name = item.id
            self.warn(_loc(item), f"{kind.replace('_', ' ')} {item.id} has no name; its id is used")
        if isinstance(item, (Assumption, OutOfScope)) and not item.text:
            item.text = item.description or item.id
            if not item.description:
                self.warn(_loc(item), f"{kind.replace('_', ' ')} {item.id} has no text")
        if isinstance(item, Flow) and not item.name:
            item.name = ""

    def _apply_group(self, kind: str, rec: RowRecord, fields: dict[str, Any], extra: dict[str, Any]) -> None:
        assert rec.group is not None
        if kind == "threat" and not fields.get("stride"):
            got = parse_stride(self.vocab, rec.group)
            if got.value:
                fields["stride"] = got.value
                return
        extra.setdefault("Group", rec.group)

    # -- value helpers

    def _fail(self, rec: RowRecord, fname: str, raw: str, extra: dict[str, Any], what: str) -> None:
        header = rec.headers.get(fname, fname)
        extra[header] = raw
        self.warn(rec.locator, f"{what} {one_line(raw)[:80]!r} (column {header!r}) not understood; kept in extra")

    def _choice(self, rec: RowRecord, fname: str, table: str, extra: dict[str, Any], what: str) -> str | None:
        raw = rec.values.get(fname)
        if raw is None:
            return None
        got = parse_choice(self.vocab, table, raw)
        if not got.ok:
            self._fail(rec, fname, raw, extra, what)
        return got.value

    def _common(self, rec: RowRecord, fields: dict[str, Any], extra: dict[str, Any]) -> None:
        v = rec.values
        extra.update(rec.extra)
        if "description" in v:
            fields["description"] = clean_text(v["description"])
        if "notes" in v:
            fields["notes"] = clean_text(v["notes"])
        if "tags" in v:
            fields["tags"] = split_list(self.vocab, v["tags"])
        if "sensitivity" in v:
            sens = self._choice(rec, "sensitivity", "sensitivity", extra, "sensitivity")
            if sens:
                fields["sensitivity"] = sens

    def _refs(self, rec: RowRecord, names: Iterable[str]) -> list[tuple[str, str]]:
        out = []
        for fname in names:
            raw = rec.values.get(fname)
            if raw is not None and not is_empty(self.vocab, raw):
                out.append((fname, clean_text(raw)))
        return out

    # -- one maker per kind: (fields, extra, refs)

    def _make_threat(self, rec: RowRecord) -> tuple[dict[str, Any], dict[str, Any], list[tuple[str, str]]]:
        v = rec.values
        fields: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        self._common(rec, fields, extra)
        if "title" in v:
            fields["title"] = one_line(v["title"])
        if "stride" in v:
            got = parse_stride(self.vocab, v["stride"])
            if got.value:
                fields["stride"] = got.value
            if not got.ok and not is_empty(self.vocab, v["stride"]):
                self._fail(rec, "stride", v["stride"], extra, "STRIDE value")
        for key, mark in v.items():
            if key.startswith("stride:"):
                flag = parse_bool(self.vocab, mark)
                if flag.value:
                    fields.setdefault("stride", [])
                    if key[7:] not in fields["stride"]:
                        fields["stride"].append(key[7:])
                elif not flag.ok:
                    self._fail(rec, key, mark, extra, "STRIDE mark")
        # "Risk acceptability" gives the status only when no status column does; beside one it is kept as written.
        status_field = "status" if "status" in v else "acceptability" if "acceptability" in v else None
        if "status" in v and "acceptability" in v:
            extra[rec.headers.get("acceptability", "acceptability")] = one_line(v["acceptability"])
        if status_field is not None:
            st = parse_status(self.vocab, v[status_field])
            if st.value:
                fields["status"] = st.value
            elif not st.ok:
                self._fail(rec, status_field, v[status_field], extra, "status")
        for base in RISK_FIELDS:
            risk = self._risk(rec, base, extra)
            if risk is not None:
                fields[base] = risk
        if "patient_harm" in v and norm_text(v["patient_harm"]) in ("none", "no harm", "no patient harm"):
            fields["patient_harm"] = "none"
        elif "patient_harm" in v:
            got_h = parse_harm(self.vocab, v["patient_harm"])
            if got_h.value:
                fields["patient_harm"] = got_h.value
            elif not got_h.ok:
                self._fail(rec, "patient_harm", v["patient_harm"], extra, "patient harm")
        if "multi_patient" in v:
            got_b = parse_bool(self.vocab, v["multi_patient"])
            if got_b.value is not None:
                fields["multi_patient"] = got_b.value
            elif not got_b.ok:
                self._fail(rec, "multi_patient", v["multi_patient"], extra, "multi-patient value")
        if "rationale" in v:
            fields["rationale"] = clean_text(v["rationale"])
        if "cvss" in v and not is_empty(self.vocab, v["cvss"]):
            fields["cvss"] = one_line(v["cvss"])
        self._cvss(rec, fields, extra)
        if "hazards" in v:
            parts = split_list(self.vocab, v["hazards"])
            if any(" " in p or len(p) > 24 for p in parts):  # hazard names rather than ids: keep each phrase whole
                parts = [one_line(p) for p in re.split(r"\s*[\n;]\s*", v["hazards"]) if p.strip() and not is_empty(self.vocab, p)]
            if parts:
                fields["hazards"] = parts
        if "cve" in v and not is_empty(self.vocab, v["cve"]):
            cves = list(dict.fromkeys(m.upper() for m in re.findall(r"\bCVE-\d{4}-\d{4,}\b", v["cve"], re.I)))
            if cves:
                fields["cve"] = cves
            else:
                self._fail(rec, "cve", v["cve"], extra, "CVE id")
        if "kev" in v:
            got_k = parse_bool(self.vocab, v["kev"])
            if got_k.value is not None:
                fields["kev"] = got_k.value
            elif not got_k.ok:
                self._fail(rec, "kev", v["kev"], extra, "CISA KEV value")
        for fname, prefix in (("cwe", "CWE"), ("capec", "CAPEC")):
            if fname in v:
                got_l = normalise_cwe(self.vocab, v[fname], prefix)
                if got_l.value:
                    fields[fname] = got_l.value
                if not got_l.ok:
                    self._fail(rec, fname, v[fname], extra, f"{prefix} id")
        return fields, extra, self._refs(rec, ("targets", "assets", "controls", "views"))

    def _cvss(self, rec: RowRecord, fields: dict[str, Any], extra: dict[str, Any]) -> None:
        """A CVSS score column, and a warning naming the row when the vector or score does not hold."""
        raw = rec.values.get("cvss_score")
        if raw is not None and not is_empty(self.vocab, raw):
            try:
                fields["cvss_score"] = float(one_line(raw).replace(",", "."))
            except ValueError:
                self._fail(rec, "cvss_score", raw, extra, "CVSS score")
        if "cvss" in fields or "cvss_score" in fields:
            reading = read_cvss(fields.get("cvss"), fields.get("cvss_score"))
            if reading.problem:
                header = rec.headers.get("cvss", rec.headers.get("cvss_score", "cvss"))
                self.warn(rec.locator, f"CVSS (column {header!r}): {reading.problem}; kept as written")

    def _risk(self, rec: RowRecord, base: str, extra: dict[str, Any]) -> Risk | None:
        v = rec.values
        overall = v.get(base)
        lik, sev = v.get(f"{base}.likelihood"), v.get(f"{base}.severity")
        risk: Risk | None = None
        if overall is not None:
            got = parse_risk(self.vocab, overall, rec.scales.get(base))
            header = rec.headers.get(base, base)
            if got.ok:
                risk = got.value
                if risk is not None:
                    extra[header] = one_line(overall)
            else:
                self._fail(rec, base, overall, extra, "risk")
        stated = v.get(f"{base}.level")
        if lik is not None or sev is not None:
            combined = combine_risk(self.vocab, lik, sev, rec.scales.get(f"{base}.likelihood"), rec.scales.get(f"{base}.severity"))
            if combined is not None and lik is not None:
                combined.likelihood_basis = likelihood_basis(rec.headers.get(f"{base}.likelihood"))
            if combined is not None:
                if risk is None:
                    risk = combined
                else:
                    risk.likelihood = combined.likelihood or risk.likelihood
                    risk.severity = combined.severity or risk.severity
                    if risk.level is None:
                        risk.level = combined.level
                    if risk.score is None:
                        risk.score = combined.score
                    risk.likelihood_basis = combined.likelihood_basis or risk.likelihood_basis
                    if risk.scale is None or risk.scale.startswith("1-"):
                        risk.scale = combined.scale or risk.scale
        if stated is not None and not is_empty(self.vocab, stated):
            got_l = parse_risk(self.vocab, stated, None)
            header = rec.headers.get(f"{base}.level", f"{base}.level")
            if got_l.ok and got_l.value is not None and got_l.value.level:
                # The level the author stated is kept as stated, never recomputed from the score.
                risk = risk or Risk()
                risk.level = got_l.value.level
                extra[header] = one_line(stated)
            else:
                self._fail(rec, f"{base}.level", stated, extra, "risk level")
        return risk

    def _make_control(self, rec: RowRecord) -> tuple[dict[str, Any], dict[str, Any], list[tuple[str, str]]]:
        v = rec.values
        fields: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        self._common(rec, fields, extra)
        if "title" in v:
            fields["title"] = one_line(v["title"])
        cat = self._choice(rec, "category", "control_category", extra, "control category")
        if cat:
            fields["category"] = cat
        resp = self._choice(rec, "responsibility", "responsibility", extra, "responsibility")
        if resp:
            fields["responsibility"] = resp
        st = self._choice(rec, "status", "control_status", extra, "control status")
        if st:
            fields["status"] = st
        if "verification" in v:
            fields["verification"] = [one_line(x) for x in split_evidence(self.vocab, v["verification"])]
        return fields, extra, self._refs(rec, ("threats",))

    def _make_element(self, rec: RowRecord) -> tuple[dict[str, Any], dict[str, Any], list[tuple[str, str]]]:
        v = rec.values
        fields: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        self._common(rec, fields, extra)
        if "name" in v:
            fields["name"] = one_line(v["name"])
        kind = self._choice(rec, "kind", "element_kind", extra, "element type")
        if kind:
            fields["kind"] = kind
        if "dormant_interfaces" in v:
            lines = [one_line(x) for x in v["dormant_interfaces"].splitlines()]  # one per line; ";" stays inside one
            fields["dormant_interfaces"] = [x for x in lines if x and not is_empty(self.vocab, x)]
        for fname in ("key_lifecycle", "sessions", "default_settings"):
            if fname in v and not is_empty(self.vocab, v[fname]):
                fields[fname] = clean_text(v[fname])
        return fields, extra, self._refs(rec, ("trust_zone",))

    def _make_flow(self, rec: RowRecord) -> tuple[dict[str, Any], dict[str, Any], list[tuple[str, str]]]:
        v = rec.values
        fields: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        self._common(rec, fields, extra)
        if "name" in v:
            fields["name"] = one_line(v["name"])
        for fname in ("protocol", "port"):
            if fname in v and not is_empty(self.vocab, v[fname]):
                fields[fname] = one_line(v[fname])
        if "protocol" in fields and "port" not in fields:
            both = split_protocol_port(fields["protocol"])  # a "Protocol / Port" column: "HTTPS / TCP 443"
            if both is not None:
                fields["protocol"], fields["port"] = both
        for fname in ("authentication", "encryption"):
            if fname in v:
                text = one_line(v[fname])
                low = text.lower()
                if low in NONE_WORDS:
                    fields[fname] = "none"
                elif low not in UNKNOWN_WORDS:
                    fields[fname] = text
        if "bidirectional" in v:
            got = parse_bool(self.vocab, v["bidirectional"])
            if got.value is not None:
                fields["bidirectional"] = got.value
            elif not got.ok:
                self._fail(rec, "bidirectional", v["bidirectional"], extra, "direction")
        return fields, extra, self._refs(rec, ("source", "target", "peer", "data"))

    def _make_asset(self, rec: RowRecord) -> tuple[dict[str, Any], dict[str, Any], list[tuple[str, str]]]:
        v = rec.values
        fields: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        self._common(rec, fields, extra)
        if "name" in v:
            fields["name"] = one_line(v["name"])
        kind = self._choice(rec, "kind", "asset_kind", extra, "asset type")
        if kind:
            fields["kind"] = kind
        for fname in ("confidentiality", "integrity", "availability"):
            got = self._choice(rec, fname, "rating", extra, fname)
            if got:
                fields[fname] = got
        if "disposal" in v:
            fields["disposal"] = clean_text(v["disposal"])
        return fields, extra, self._refs(rec, ("stored_in",))

    def _make_trust_zone(self, rec: RowRecord) -> tuple[dict[str, Any], dict[str, Any], list[tuple[str, str]]]:
        v = rec.values
        fields: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        self._common(rec, fields, extra)
        if "name" in v:
            fields["name"] = one_line(v["name"])
        if "trust_level" in v and not is_empty(self.vocab, v["trust_level"]):
            m = re.match(r"^\s*(-?\d+)(?:\.0+)?\s*(?:\(.*\))?\s*$", v["trust_level"])
            if m:
                fields["trust_level"] = int(m.group(1))
            else:
                self._fail(rec, "trust_level", v["trust_level"], extra, "trust level")
        return fields, extra, []

    def _make_assumption(self, rec: RowRecord) -> tuple[dict[str, Any], dict[str, Any], list[tuple[str, str]]]:
        v = rec.values
        fields: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        self._common(rec, fields, extra)
        if "text" in v:
            fields["text"] = clean_text(v["text"])
        resp = self._choice(rec, "responsibility", "responsibility", extra, "responsibility")
        if resp:
            fields["responsibility"] = resp
        return fields, extra, []

    def _make_out_of_scope(self, rec: RowRecord) -> tuple[dict[str, Any], dict[str, Any], list[tuple[str, str]]]:
        v = rec.values
        fields: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        self._common(rec, fields, extra)
        if "text" in v:
            fields["text"] = clean_text(v["text"])
        if "rationale" in v:
            fields["rationale"] = clean_text(v["rationale"])
        return fields, extra, []


_ID_TITLE = re.compile(r"^\s*([A-Z]{1,6}[-_.]?\d+(?:\.\d+)*[a-z]?)\s*[:.\-–—)]\s+(\S.*)$", re.S)
_TITLED = {"threat": "title", "control": "title", "assumption": "text", "out_of_scope": "text"}


def _id_from_title(rec: RowRecord) -> str:
    """ "SP-01: Fake cloud server" in a threat's title cell, with no id column: the id and the title."""
    fname = _TITLED.get(rec.kind)
    m = _ID_TITLE.match(rec.values.get(fname, "")) if fname else None
    if m is None or fname is None:
        return ""
    rec.values["id"] = m.group(1)
    rec.values[fname] = m.group(2)
    rec.headers.setdefault("id", rec.headers.get(fname, fname))
    return m.group(1)


def _most(grp: _Group) -> int:
    return max(len(r.values) for r in grp.records)


def _loc(item: Item) -> str | None:
    return item.source.locator if item.source else None


def _infer_scales(records: list[RowRecord], vocab: Vocabulary) -> None:
    """The scale of each risk column, from its header ("(1-5)") or else from the values it holds.

    Likelihood and severity columns before and after controls share a scale; a label from the word
    tables ("Likely", "Rare (1)") puts it on their 5-point scale. A score beside separate likelihood and
    severity columns is on their product's scale, and a column of products ("4 x 5 = 20") on the
    square of its factors' scale, so that a bare score is read on the same scale.
    """
    if not records:
        return
    present = [f for f in records[0].scales if f.split(".")[0] in RISK_FIELDS]
    found: dict[str, int] = {}
    tops: dict[str, int] = {}
    for part in ("likelihood", "severity"):
        cols = [f for f in present if f.endswith("." + part)]
        hinted = [h for h in (records[0].scales.get(f) for f in cols) if h]
        top = 0.0
        for f in cols:
            for rec in records:
                raw = rec.values.get(f, "")
                if not raw.strip():
                    continue
                value = ordinal(vocab, part, raw)
                words = vocab.likelihood_words if part == "likelihood" else vocab.severity_words
                if words.find(re.sub(r"\(.*?\)|\d", " ", raw)) is not None:
                    top = max(top, 5.0)
                if value is not None:
                    top = max(top, value)
        scale = max(hinted) if hinted else (scale_for(vocab, top) if top else None)
        if scale and not hinted:
            tops[part] = scale
        for f in cols:
            if scale and not records[0].scales.get(f):
                found[f] = scale
    if len(tops) == 2 and tops["likelihood"] != tops["severity"]:
        # Likelihood values that stop at 4 beside severities up to 5 are on the same 5-point matrix.
        side = max(tops.values())
        for f in found:
            found[f] = side
    guessed: list[str] = []
    for base in RISK_FIELDS:
        if base not in present or records[0].scales.get(base):
            continue
        lik = found.get(f"{base}.likelihood") or records[0].scales.get(f"{base}.likelihood")
        sev = found.get(f"{base}.severity") or records[0].scales.get(f"{base}.severity")
        if lik and sev:
            found[base] = lik * sev
            continue
        top = 0.0
        factor = 0.0
        for rec in records:
            m = re.match(r"^\s*(\d+(?:\.\d+)?)\s*(?:[x×*]\s*(\d+(?:\.\d+)?))?", rec.values.get(base, ""))
            if not m:
                continue
            if m.group(2):
                factor = max(factor, float(m.group(1)), float(m.group(2)))
            else:
                top = max(top, float(m.group(1)))
        if factor:
            side = scale_for(vocab, factor)
            found[base] = side * side
        elif top > 0:
            found[base] = scale_for(vocab, top)
            guessed.append(base)
    # A bare residual score ("4") beside pre-mitigation scores up to 16 is on their scale, not on 1-4.
    shared = [found.get(b) or records[0].scales.get(b) for b in RISK_FIELDS if b in present]
    widest = max((x for x in shared if x), default=None)
    for base in guessed:
        if widest:
            found[base] = widest
    for rec in records:
        rec.scales.update(found)


def _scope_stacked_ids(blocks: list[Block], outs: list[list[RowRecord | RowNote]]) -> None:
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
