"""References as people write them → ids (SPEC §3 "References resolved").

A threat row names its affected component by id or by name ("Infusion pump", "infusion  PUMP"), its
controls by id ("C-01; C-02") or by title, a flow its ends by name. The Word and Excel importers keep
what a cell says under a pending key in ``extra``; :func:`resolve_references` turns it into ids, first
inside one source (so that merging can rename ids safely) and, with ``final=True``, once more across
all merged sources. What still names nothing is reported with its location and kept in ``extra`` under
the column's header — or created, where the model has no table of that kind at all (a register with a
"Component" column but no component list) or where the model cannot do without it (a flow's ends).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mdptm.base.text import name_slug, slug
from mdptm.importers.merge import norm_name
from mdptm.model import (
    PLACEHOLDER,
    Asset,
    Control,
    Element,
    Flow,
    Item,
    Model,
    Source,
    Threat,
    TrustZone,
    View,
    provenance,
)
from mdptm.model.evidence import accepts_risk
from mdptm.model.report import ImportReport
from mdptm.model.validate import REFERENCES

if TYPE_CHECKING:  # the table machinery is imported when a reference needs it: a .tm7 or OTM model has none
    from mdptm.importers.tabular.vocab import Vocabulary

# The key under which an importer keeps the references of an item as written, per source file.
PENDING = "_mdptm_pending:"

# "T-01", "SC1", "Zone 2" — but not a product name with a number ("Microsoft 365"): a word and a number
# separated by a space is an id only when the word is short.
_BRACKETED = re.compile(r"[(\[]([^()\[\]]+)[)\]]")  # "(SR-08, SR-09)", "[C-3]"
_CITE_SPLIT = re.compile(r"[,;/&]|\band\b")
_VERSIONED = re.compile(r"^[A-Za-z]{2,10} \d+\.\d+$")  # "TLS 1.3", "HTTP 1.1"
# "M-01", "Zone 2", "4.2", and a range of ids written with a dash ("A.5.15–A.5.18": a catalogue's controls)
ID_LIKE = re.compile(
    r"^[A-Za-z]{1,10}[-_.]?\d+(?:[.\-]\d+)*[A-Za-z]?(?:\s*[–—]\s*[A-Za-z]{1,10}[-_.]?\d+(?:[.\-]\d+)*[A-Za-z]?)?$"
    r"|^[A-Za-z]{1,6} \d+(?:[.\-]\d+)*[A-Za-z]?$|^\d+(?:\.\d+)*$"
)
_INTERACTION = re.compile(r"\s*(?:<-+>|<=+>|↔|⇄|⟷|-+>|=+>|→|⇒)\s*")
ARROW = re.compile(r"\s*(?:<-+>|<=+>|↔|⇄|⟷|-+>|=+>|→|⇒|<-+|←|\bto\b|\s-\s|\s–\s)\s*", re.I)
# "PLC to Positioner via Modbus RTU (RS-485)", "Debugger to MCU over JTAG", "Media device to MCU (RS-232)": a flow
# written in words, read only in a column named for flows ("Interaction", "Data flow")
_WORDED_INTERACTION = re.compile(
    r"^(?P<a>[^,;()]{1,40}?) to (?P<b>[^,;()]{1,40}?)"
    r"(?: (?:via|over|using) (?P<via>[^,;]{1,60})| \((?P<medium>[^()]{1,40})\))$",
    re.I,
)
_FLOW_HEADER = re.compile(r"\b(?:interaction|data ?flow|flow)\b", re.I)
_ARROW_SIGN = re.compile(r"<-+>|<=+>|↔|⇄|⟷|-+>|=+>|→|⇒|<-+|←")
_ABBREV = re.compile(r"^(.+?)\s*\(([A-Za-z][A-Za-z0-9&/+-]{1,11})\)\s*$")
_SPLIT = re.compile(r"(\s*[,;\n|/]\s*)")
_LIST_CHARS = (",", ";", "|", "/")  # the separators every look-up keeps as they are
_ABBR = re.compile(r"[A-Z][A-Z0-9]{0,4}")  # "CI", "CD", "TCP": one side of "CI/CD"
_TRAILING_NOTE = re.compile(r"^\s*(.*\S)\s*\([^()]*\)\s*$", re.S)  # "Name (bi)": a name and a note after it
_ID_REF = re.compile(r"[A-Za-z]{1,6}[-_.]?\d+(?:[.\-]\d+)*[A-Za-z]?")  # "C-01", "M3": an id, never half a name
_BULLETS = re.compile(r"^\s*(?:[-*•·▪◦‣]|\d+[.)])\s+")
_CONJUNCTION = re.compile(r"\s+(?:and|&|\+|und|et|y)\s+|\s*[&+]\s*", re.I)
# "T-01 to T-05", "M-01–M-03", "SC-1 through SC-4": one prefix, ascending numbers.
_RANGE = re.compile(r"^([A-Za-z]{1,10}[-_.]?)(\d+)\s*(?:to|through|thru|bis|–|—|-|\.\.)\s*([A-Za-z]{1,10}[-_.]?)?(\d+)$", re.I)

# (kind, field) -> collections a value may name, in the order they are tried.
TARGETS: dict[tuple[str, str], tuple[str, ...]] = {
    ("threat", "targets"): ("elements", "flows", "trust_zones"),
    ("threat", "assets"): ("assets",),
    ("threat", "controls"): ("controls",),
    ("threat", "views"): ("views",),
    ("control", "threats"): ("threats",),
    ("element", "trust_zone"): ("trust_zones",),
    ("flow", "source"): ("elements",),
    ("flow", "target"): ("elements",),
    ("flow", "peer"): ("elements",),
    ("flow", "data"): ("assets",),
    ("asset", "stored_in"): ("elements",),
}
KIND_OF = {
    Threat: "threat",
    Control: "control",
    Element: "element",
    Flow: "flow",
    Asset: "asset",
    TrustZone: "trust_zone",
    View: "view",
}


@dataclass
class _Index:
    """Ids, aliases, lower-cased ids and names per collection, for O(1) look-ups."""

    ids: dict[str, dict[str, str]] = field(default_factory=dict)  # collection -> id -> id
    lower: dict[str, dict[str, str]] = field(default_factory=dict)  # collection -> lower id -> id
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # collection -> norm name -> id
    all_ids: set[str] = field(default_factory=set)
    # The most list separators or spaces any key holds: a run of list pieces joined by more
    # separators than this cannot be a key, so a long list cell is never tried as one name.
    span: int = 0
    # The list separators some key holds: a run of pieces joined by another one cannot be a key.
    separators: set[str] = field(default_factory=set)

    def add(self, coll: str, item_id: str, names: list[str], aliases: list[str] | None = None) -> None:
        keys = [item_id, *(aliases or ())]
        self.ids.setdefault(coll, {}).setdefault(item_id, item_id)
        for a in aliases or ():
            self.ids[coll].setdefault(a, item_id)
        self.lower.setdefault(coll, {}).setdefault(item_id.casefold(), item_id)
        for a in aliases or ():
            self.lower[coll].setdefault(a.casefold(), item_id)
        for n in names:
            if n:
                keys.append(norm_name(n))
                self.names.setdefault(coll, {}).setdefault(keys[-1], item_id)
                # "Implantable Pulse Generator (IPG)" also answers to "IPG" and to its name without the abbreviation.
                m = _ABBREV.match(n) if "(" in n else None
                if m:
                    self.names[coll].setdefault(norm_name(m.group(1)), item_id)
                    self.names[coll].setdefault(norm_name(m.group(2)), item_id)
                # "PHI/PII" also answers to "PHI" and to "PII" (each side a short name)
                sides = n.split("/") if "/" in n else []
                if len(sides) == 2 and all(0 < len(x.split()) <= 3 for x in sides):
                    for side in sides:
                        self.names[coll].setdefault(norm_name(side), item_id)
        span, separators = self.span, self.separators
        # Each _SPLIT separator leaves one of , ; | / a space or a new line in a key: counted one by one, as this
        # runs for every item of every pass.
        for k in keys:
            listed = k.count(",") + k.count(";") + k.count("|") + k.count("/")
            n = listed + k.count(" ") + k.count("\n")
            if n > span:
                span = n
            if listed and len(separators) < len(_LIST_CHARS):
                separators.update(ch for ch in _LIST_CHARS if ch in k)
        self.span = span
        self.all_ids.add(item_id)

    def find(self, colls: tuple[str, ...], token: str) -> tuple[str, str] | None:
        t = token.strip()
        if not t:
            return None
        # Each key form is worked out only when the one before found nothing (most references are exact ids).
        for table, form in ((self.ids, _same), (self.lower, str.casefold), (self.names, norm_name)):
            key = form(t)
            for coll in colls:
                keys = table.get(coll)
                hit = keys.get(key) if keys is not None else None
                if hit is not None:
                    return coll, hit
        return None


# "search.go:122-138 (gRPC error mapping)", "`src/app/auth.py:42`": a file and a line in it, perhaps a note in brackets
_CODE_LOCATION = re.compile(
    r"`?[\w./\\-]+\.\w{1,6}:\d+(?:\s*[-–]\s*\d+)?`?(?:\s*\([^()]*\))?(?:\s*[,;]\s*`?[\w./\\-]+\.\w{1,6}:\d+(?:\s*[-–]\s*\d+)?`?(?:\s*\([^()]*\))?)*"
)
_SENTENCE_END = re.compile(r"[a-z)][.!?]\s+[A-Z`]")


def _reads_as_prose(text: str) -> bool:
    """A cell of sentences ("Clinicians and any user viewing patient data. Components: …"), not a list of
    names: two sentences or more, or one long sentence ending in a full stop."""
    t = " ".join(text.split())
    return bool(_SENTENCE_END.search(t)) or (len(t.split()) > 16 and t.endswith("."))


def _same(text: str) -> str:
    return text


def _named_only(item: Item) -> bool:
    return any(k.startswith(PENDING) and isinstance(v, dict) and v.get("named_only") for k, v in item.extra.items())


def _names(item: Item) -> list[str]:
    out = []
    fields = item.__dict__  # not getattr: a missing attribute costs pydantic an exception, once per item and pass
    for attr in ("name", "title"):
        v = fields.get(attr)
        if isinstance(v, str) and v:
            out.append(v)
    if isinstance(item, View):
        out.append(item.kind.replace("_", " "))
    return out


def _where(item: Item) -> str | None:
    src = provenance(item)
    return src.locator if src else None


_STATUS_WORDS = {"open": "open", "partially_mitigated": "partly mitigated (in progress)"}


def _still_to_do(owner: Item) -> bool:
    """Whether the row a treatment stands on leaves it to be done: no status at all, or a risk stated open or
    partly mitigated ("Open", "In Progress"). With a due date beside it, such a treatment is a plan."""
    if not getattr(owner, "status_stated", True):
        return True
    return isinstance(owner, Threat) and owner.status in _STATUS_WORDS


def _importer(item: Item) -> str | None:
    src = provenance(item)
    return src.importer if src else None


def _file(item: Item, default: str) -> str:
    src = provenance(item)
    return src.file if src and src.file else default


class Resolver:
    """One resolution pass over a model."""

    def __init__(self, model: Model, report: ImportReport, *, final: bool, vocab: Vocabulary | None = None):
        self.model = model
        self.report = report
        self.final = final
        self._vocab = vocab
        # Items recorded only because a row that is no threat named them do not make a component table.
        self.had = {
            coll: any(not _named_only(i) for i in getattr(model, coll)) for coll in ("elements", "assets", "controls", "trust_zones")
        }
        self.created_controls: dict[str, str] = {}
        self.inferred_categories: dict[str, list[str]] = {}  # file -> ids of created controls whose title gave the category
        self._mitigation_text: list[tuple[Threat, list[str], str, dict[str, str], str]] = []
        self._link_tables: set[tuple[str, str]] = set()
        self.by_id: dict[tuple[str, str], Item] = {}
        self._index: _Index | None = None
        self._alias_of: dict[int, list[str]] | None = None  # id(item) -> its aliases, kept for an index built later
        # The last pass over a model whose references are all resolved reads the index only for a flow
        # without ends, after changing nothing the index holds (ids, names; the aliases are kept here,
        # as the pass drops the entries that hold them): built on that need.
        if not final or _has_refs(model):
            self._build_index()
        else:
            self._alias_of = {id(item): aliases for _k, item in model.items() if (aliases := self._aliases(item))}

    def _build_index(self) -> _Index:
        index = self._index = _Index()
        model = self.model
        kept = self._alias_of
        for coll in ("elements", "flows", "assets", "trust_zones", "controls", "threats", "views"):
            for item in getattr(model, coll):
                index.add(coll, item.id, _names(item), kept.get(id(item)) if kept is not None else self._aliases(item))
                self.by_id.setdefault((coll, item.id), item)
        index.all_ids.update(item.id for _k, item in model.items())
        return index

    @property
    def index(self) -> _Index:
        """Ids, aliases and names of every item, for the look-ups."""
        return self._index if self._index is not None else self._build_index()

    @property
    def vocab(self) -> Vocabulary:
        """The import vocabulary, loaded when a reference first needs it."""
        if self._vocab is None:
            from mdptm.importers.tabular.vocab import vocabulary

            self._vocab = vocabulary()
        return self._vocab

    def _aliases(self, item: Item) -> list[str]:
        out = []
        for key, value in item.extra.items():
            if key.startswith(PENDING) and isinstance(value, dict) and value.get("alias"):
                out.append(str(value["alias"]))
        return out

    def run(self) -> None:
        for coll in ("trust_zones", "elements", "flows", "assets", "views", "threats", "controls"):
            for item in list(getattr(self.model, coll)):
                self._item(item)
        # A threat's mitigation text that names no control: a control of its own when no control table links
        # the threat to another (the register's mitigation column is then its only mitigation), else kept.
        for item, missing, raw, ref, file in self._mitigation_text:
            self._unresolved(item, "threat", "controls", missing, raw, ref, file, deferred=True)
        self._mitigation_text = []
        for file, ids in self.inferred_categories.items():
            shown = ", ".join(ids[:10]) + (" ..." if len(ids) > 10 else "")
            said = f"{len(ids)} categories taken from the titles of controls made of mitigation text ({shown}); check them"
            self.report.warn(file, None, f"no control category stated: {said}")
        self.inferred_categories = {}
        if self.final:
            self._restated_controls()
            self._drop_dangling()
        self._flow_ends()
        if self.final:
            self._placeholders()

    def _restated_controls(self) -> None:
        """A table that repeats the threats in words of its own ("Risk Matrix" after the threats' headings) names
        each one's measure shortly too ("Key rotation + MFA" beside the heading's "Key rotation automation + MFA
        approval"): a control made of that cell, with no status of its own and no other threat, whose every word is
        in the title of exactly one control the threat has from another place is that control, not a second one
        shown in place while the measure it restates is planned."""
        by_id = {c.id: c for c in self.model.controls}
        users: dict[str, int] = {}
        for t in self.model.threats:
            for cid in t.controls:
                users[cid] = users.get(cid, 0) + 1
        gone: set[str] = set()
        for t in self.model.threats:
            for cid in list(t.controls):
                short = by_id.get(cid)
                if short is None or cid in gone or short.status_stated or users.get(cid) != 1:
                    continue
                # here, not at the top: a .tm7 import resolves references too and must not load the table readers
                from mdptm.importers.tabular.vocab import content_words

                words = content_words(short.title)
                if len(words) < 2:
                    continue
                place = _place(short)
                hits = [
                    c
                    for o in t.controls
                    if o != cid and o not in gone and (c := by_id.get(o)) is not None and _place(c) != place
                    if _words_within(words, c.title)
                ]
                if len(hits) != 1:
                    continue
                full = hits[0]
                full.extra.setdefault("Restated as", short.title)
                t.controls = [full.id if x == cid else x for x in t.controls]
                t.controls = list(dict.fromkeys(t.controls))
                for group in (t.controls_grouped, t.controls_disputed):
                    if cid in group:
                        group[group.index(cid)] = full.id
                gone.add(cid)
                self.report.retarget(cid, full.id)
                self.report.warn(
                    _file(short, ""),
                    short.source.locator if short.source else None,
                    f"control {cid} {short.title!r} restates {full.id} {full.title!r} of {t.id} in fewer words: joined",
                )
        if gone:
            self.model.controls = [c for c in self.model.controls if c.id not in gone]

    # -- one item

    def _item(self, item: Item) -> None:
        keys = [k for k in item.extra if k.startswith(PENDING)]
        if not keys:
            return
        kind = KIND_OF.get(type(item), "")
        for key in keys:
            entry = item.extra[key]
            file = key[len(PENDING) :]
            refs = entry.get("refs", []) if isinstance(entry, dict) else []
            left = [ref for ref in refs if not self._ref(kind, item, ref, file)]
            if left and not self.final:
                entry["refs"] = left
            elif self.final or not (entry.get("alias") or entry.get("named_only")):
                del item.extra[key]
            else:
                entry["refs"] = []

    def _ref(self, kind: str, item: Item, ref: dict[str, str], file: str) -> bool:
        """Resolve one pending reference; True when done (resolved, created, or kept in extra)."""
        fname, raw = ref["field"], ref["raw"]
        colls = TARGETS.get((kind, fname))
        if colls is None:
            return True
        hits, missing = self._resolve_text(colls, raw, kind, fname)
        for coll, iid in hits:
            self._attach(item, kind, fname, coll, iid)
        if isinstance(item, Control) and fname == "threats" and len(hits) == 1 and not missing:
            self._residual_of_one(item, hits[0][1], file)
        if not missing:
            return True
        if not self.final:
            if hits:
                ref["raw"] = "\n".join(missing)
            return False
        self._unresolved(item, kind, fname, missing, raw, ref, file)
        return True

    def _residual_of_one(self, control: Control, tid: str, file: str) -> None:
        """A risk control table keyed by the one hazard or threat each row treats ("H-001 | Mandatory review flag |
        Residual Risk: LOW", ISO 14971's risk control measures): the residual risk is that threat's, when it has none."""
        from mdptm.importers.tabular.vocab import match_header, parse_risk

        threat = self._get("threats", tid)
        if not isinstance(threat, Threat) or threat.residual_risk is not None:
            return
        for header, value in control.extra.items():
            hit = match_header(self.vocab, "threat", header) if isinstance(value, str) and not header.startswith(PENDING) else None
            if hit is None or hit.field not in ("residual_risk", "residual_risk.level"):
                continue
            got = parse_risk(self.vocab, value, None)
            if got.ok and got.value is not None:
                threat.residual_risk = got.value
                src = provenance(control)
                loc = src.locator if src else None
                self.report.warn(
                    file,
                    loc,
                    f"{threat.id}: residual risk {value!r} taken from the row of control {control.id} that treats it (column {header!r})",
                )
            return

    def _resolve_text(self, colls: tuple[str, ...], raw: str, kind: str, fname: str) -> tuple[list[tuple[str, str]], list[str]]:
        hits, missing = self._resolve_once(colls, raw, kind, fname)
        if missing and "(" in raw:
            # "C-01 (Mutual TLS), C-02 (signed images)": the words in brackets only explain the reference.
            bare = re.sub(r"\s*\([^()]*\)", "", raw)
            hits2, missing2 = self._resolve_once(colls, bare, kind, fname)
            # "R6.3 (GPG-signed manifests, local-only), R3.2 (sandbox)" where no control table is read: the ids
            # name nothing, the words in brackets are the measures (a control made of them, as of any mitigation)
            unnamed = not hits2 and kind == "threat" and fname == "controls" and not self.had["controls"]
            if len(missing2) < len(missing) and not unnamed:
                return hits2, missing2
        return hits, missing

    def _resolve_once(self, colls: tuple[str, ...], raw: str, kind: str, fname: str) -> tuple[list[tuple[str, str]], list[str]]:
        from mdptm.importers.tabular.vocab import is_empty

        whole = self.index.find(colls, raw)
        if whole is not None:
            return [whole], []
        noted = _TRAILING_NOTE.match(raw)
        if noted is not None:
            # "User store (cgm.db, SQLite) (bi)": a known name and a note in brackets after it, the whole name
            # before its pieces ("User store", "SQLite")
            whole = self.index.find(colls, noted.group(1))
            if whole is not None:
                return [whole], []
        if kind == "threat" and fname == "targets":
            hit = self.index.find(("assets",), raw)
            if hit is not None:
                return [hit], []
        hits: list[tuple[str, str]] = []
        missing: list[str] = []
        for token in self._segments(colls, raw, kind == "threat" and fname == "targets"):
            if isinstance(token, tuple):
                hits.append(token)
                continue
            expanded = self._expand(colls, token)
            if expanded:
                hits.extend(expanded)
                continue
            if token.strip() and not is_empty(self.vocab, token):
                missing.append(token.strip())
        if missing and not hits and kind == "threat" and fname == "targets":
            flow = self._flow_by_ends(raw)
            if flow is not None:
                return [flow], []
        return hits, missing

    def _segments(self, colls: tuple[str, ...], raw: str, targets: bool) -> list[str | tuple[str, str]]:
        """Split a list cell where the pieces name something: "Gateway (HL7 v2 / FHIR), Pump" is two
        names although "/" also separates lists. Longest matching run of pieces first."""
        pieces = _SPLIT.split(raw.strip())
        atoms = pieces[0::2]
        seps = pieces[1::2]
        out: list[str | tuple[str, str]] = []
        i = 0
        n = len(atoms)
        # a run of pieces can name something only if some key has as many separators; a flow named
        # by its ends ("Pump -> Gateway (HL7, FHIR)") has no such bound
        longest = n if targets and ARROW.search(raw) else self.index.span + 1
        # A run joined by a "," (";", "|", "/") no key holds names nothing: it ends before such a separator.
        # Not for a threat's targets, where a flow named by its ends may drop a bracket holding one.
        known = self.index.separators
        blocked = [] if targets else [k for k, sep in enumerate(seps) if any(ch in sep and ch not in known for ch in _LIST_CHARS)]
        while i < n:
            found: tuple[tuple[str, str] | None, int] | None = None
            last = min(n - 1, i + longest - 1)
            if blocked:
                last = min(last, next((k for k in blocked if k >= i), last))
            runs = [atoms[i]]  # runs[j - i]: atoms i..j joined by their separators, built once
            for k in range(i + 1, last + 1):
                runs.append(runs[-1] + seps[k - 1] + atoms[k])
            for j in range(last, i - 1, -1):
                text = _BULLETS.sub("", runs[j - i]).strip().rstrip(".")
                if not text:
                    found = (None, j)
                    break
                got = self.index.find(colls, text)
                if got is None and targets:
                    got = self.index.find(("assets",), text) or self._flow_by_ends(text)
                if got is not None:
                    found = (got, j)
                    break
            if found is None and self._abbreviation_pair(colls, atoms, seps, i):
                out.append(f"{atoms[i]}/{atoms[i + 1]}")  # "CI/CD", "I/O": one name, though "/" also separates lists
                i += 2
                continue
            if found is None:
                out.append(_BULLETS.sub("", atoms[i]).strip().rstrip("."))
                i += 1
            else:
                if found[0] is not None:
                    out.append(found[0])
                i = found[1] + 1
        return out

    def _abbreviation_pair(self, colls: tuple[str, ...], atoms: list[str], seps: list[str], i: int) -> bool:
        """Atoms i and i+1 are joined by a bare "/" (no space on either side) and the second names nothing: one
        name, "CI/CD", "Imaging Systems MRI/CT", "Legal/Compliance", "Student/Admin accounts"; a list is
        written "A, B" or "A / B". Two ids ("C-01/C-02") stay two."""
        if i + 1 >= len(atoms) or seps[i] != "/":
            return False
        left, right = atoms[i], atoms[i + 1]
        if _ID_REF.fullmatch(left.strip()) or _ID_REF.fullmatch(right.strip()):
            return False
        if not (_ABBR.fullmatch(left) and _ABBR.fullmatch(right)) and (i + 2 < len(atoms) and seps[i + 1] == "/"):
            return False  # "Pump/Gateway/Cloud": a list written with slashes
        return self.index.find(colls, right) is None

    def _expand(self, colls: tuple[str, ...], token: str) -> list[tuple[str, str]]:
        """A piece that names several items or names one with extra words: "see M-04", "M-01 & M-02",
        "T-01 to T-03", "M-01–M-03". Every part must name something, else nothing is taken."""
        bare = self._without_noise(token)
        if bare != token.strip():
            again = self.index.find(colls, bare)
            if again is not None:
                return [again]
        parts = [p for p in _CONJUNCTION.split(bare) if p.strip()]
        if len(parts) > 1:
            found = [self.index.find(colls, p) for p in parts]
            if all(found):
                return [f for f in found if f]
        m = _RANGE.match(bare)
        if m and (not m.group(3) or m.group(3).casefold() == m.group(1).casefold()):
            lo, hi = int(m.group(2)), int(m.group(4))
            width = len(m.group(2)) if m.group(2).startswith("0") else 0
            if lo < hi <= lo + 100:
                names = [f"{m.group(1)}{str(n).zfill(width)}" for n in range(lo, hi + 1)]
                found = [self.index.find(colls, n) for n in names]
                if all(found):
                    return [f for f in found if f]
        return []

    def _without_noise(self, token: str) -> str:
        """A reference without the pointing words written before it ("see", "refer to", "cf.")."""
        from mdptm.importers.tabular.vocab import norm_text

        text = token.strip()
        while True:
            words = text.split(None, 3)
            for n in range(min(3, len(words) - 1), 0, -1):
                if norm_text(" ".join(words[:n])) in self.vocab.reference_noise:
                    text = text.split(None, n)[n].lstrip(":- ").strip()
                    break
            else:
                return text

    def _flow_by_ends(self, text: str) -> tuple[str, str] | None:
        parts = [p for p in ARROW.split(text) if p.strip()]
        if len(parts) != 2:
            return None
        a = self.index.find(("elements",), parts[0])
        b = self.index.find(("elements",), re.sub(r"\s*\(.*\)\s*$", "", parts[1]))
        if a is None or b is None:
            return None
        for flow in self.model.flows:
            if {flow.source, flow.target} == {a[1], b[1]}:
                return "flows", flow.id
        return None

    def _attach(self, item: Item, kind: str, fname: str, coll: str, iid: str) -> None:
        if isinstance(item, Threat):
            if fname == "targets" and coll == "assets":
                _add(item.assets, iid)
            elif fname == "views":
                view = self._get("views", iid)
                if isinstance(view, View):
                    _add(view.threats, item.id)
            else:
                _add(getattr(item, fname), iid)
        elif isinstance(item, Control) and fname == "threats":
            threat = self._get("threats", iid)
            if isinstance(threat, Threat):
                _add(threat.controls, item.id)
        elif isinstance(item, Element) and fname == "trust_zone":
            item.trust_zone = iid
        elif isinstance(item, Flow):
            if fname in ("source", "target"):
                setattr(item, fname, iid)
            elif fname == "peer":
                item.extra.setdefault("_mdptm_peer", iid)
            elif fname == "data":
                _add(item.data, iid)
        elif isinstance(item, Asset) and fname == "stored_in":
            _add(item.stored_in, iid)

    def _get(self, coll: str, iid: str) -> Item | None:
        self.index  # noqa: B018 - by_id is filled with the index
        return self.by_id.get((coll, iid))

    # -- what names nothing

    def _unresolved(
        self, item: Item, kind: str, fname: str, missing: list[str], raw: str, ref: dict[str, str], file: str, *, deferred: bool = False
    ) -> None:
        loc = ref.get("locator")
        header = ref.get("header", fname)
        what = {
            "targets": "component",
            "assets": "asset",
            "controls": "control",
            "views": "view",
            "threats": "threat",
            "trust_zone": "trust zone",
            "source": "element",
            "target": "element",
            "peer": "element",
            "data": "asset",
            "stored_in": "element",
        }[fname]
        # "TLS 1.3" is a mitigation's words, not an id of the kind of "Zone 2"
        free_text = any(not ID_LIKE.match(t) or _VERSIONED.match(t) for t in missing)
        if isinstance(item, Threat) and fname == "controls" and free_text and accepts_risk(raw):
            self._acceptance(item, raw, file, loc, header)  # "Risk accepted: …" argues, it is no control
            return
        if isinstance(item, Threat) and fname == "controls" and free_text and _denies_any_measure(raw):
            # "Not defeated by BLE alone" in a "Defeated by" column: the author says no measure stops it; made a
            # control it would be claimed in place under the negation's words
            old = item.extra.get(header)
            item.extra[header] = raw if old in (None, "") else f"{old}\n{raw}"
            said = " ".join(raw.split())[:60]
            what = header or "mitigation"
            self.report.warn(file, loc, f"{item.id}: {what} {said!r} says no measure stops it: no control made, kept in extra")
            return
        if isinstance(item, Threat) and fname == "controls" and free_text:
            if not self.had["controls"]:
                cid_said, said = ref.get("control_id"), ref.get("threat_status", "")
                for cid in self._create_controls(raw, item, file, loc, header, control_id=cid_said, threat_status=said):
                    _add(item.controls, cid)
                return
            if not deferred:
                # Whether a control table links this threat is known once the controls are read.
                self._mitigation_text.append((item, missing, raw, ref, file))
                return
            cited = [] if item.controls else self._cited(("controls",), raw)
            if cited:
                # "Out-of-band pairing with passkey (SR-03)": the mitigation's words, citing the control that does
                # it; the threat is linked to that control, and its words stay with the threat
                for cid in cited:
                    _add(item.controls, cid)
                old = item.extra.get(header)
                item.extra[header] = raw if old in (None, "") else f"{old}\n{raw}"
                said = " ".join(raw.split())[:60]
                whom = "it" if len(cited) == 1 else "them"
                named = ", ".join(cited)
                self.report.warn(
                    file, loc, f"{item.id}: mitigation {said!r} cites {named}: linked to {whom}, its words kept with the threat"
                )
                return
            if not item.controls:
                cid_said, said = ref.get("control_id"), ref.get("threat_status", "")
                for cid in self._create_controls(raw, item, file, loc, header, table=True, control_id=cid_said, threat_status=said):
                    _add(item.controls, cid)
                return
        if kind == "control" and fname == "threats" and (cited := self._cited(("threats",), raw)):
            # "Man-in-the-middle (WT-2, WS-1)" in a "Protects Against" column: the words name the attack, the
            # bracket the threats of this model it is; the control is linked to those, its words kept
            for tid in cited:
                self._attach(item, kind, fname, "threats", tid)
            old = item.extra.get(header)
            item.extra[header] = raw if old in (None, "") else f"{old}\n{raw}"
            said = " ".join(raw.split())[:60]
            self.report.warn(file, loc, f"{item.id}: {header!r} {said!r} cites {', '.join(cited)}: linked to them, its words kept in extra")
            return
        # Zones named only in a component column ("Zone 2", "DMZ") are the zones: created, whatever their form.
        zone_list = kind == "element" and fname == "trust_zone" and not self.had["trust_zones"]
        create = (
            (kind == "element" and fname == "trust_zone")
            or (kind == "flow" and fname in ("source", "target", "peer"))
            or (kind == "threat" and fname == "targets" and not self.had["elements"])
            or (kind in ("threat", "flow") and fname in ("assets", "data") and not self.had["assets"])
        )
        if create and fname in ("targets", "assets", "data") and _reads_as_prose(raw):
            # "Clinicians and any user viewing patient data. Components: `engine/data-fetcher.js`, …": sentences
            # about who and what is affected, not a list of names: no component or asset is made from its pieces
            old = item.extra.get(header)
            item.extra[header] = raw if old in (None, "") else f"{old}\n{raw}"
            self.report.warn(file, loc, f"{item.id}: {what}s cell {header!r} reads as sentences, not names: kept in extra, nothing created")
            return
        if create and fname == "targets" and _CODE_LOCATION.fullmatch(raw.strip()):
            # "search.go:122-138 (gRPC error mapping)" in a finding's Location: where in the code, no component
            old = item.extra.get(header)
            item.extra[header] = raw if old in (None, "") else f"{old}\n{raw}"
            self.report.warn(
                file, loc, f"{item.id}: {header!r} names a place in source code ({raw.strip()[:60]!r}): kept in extra, no component made"
            )
            return
        if create and kind == "threat" and fname == "targets" and self._interaction(item, raw, file, loc, header):
            return
        if create and kind == "threat" and fname == "targets" and _FLOW_HEADER.search(header) and not _ARROW_SIGN.search(raw):
            # "Interaction: Request" (the Threat Modeling Tool's CSV export): the name of the data flow the threat is
            # on, whose ends the row does not give: no component is made of a flow's name
            old = item.extra.get(header)
            item.extra[header] = raw if old in (None, "") else f"{old}\n{raw}"
            names = ", ".join(repr(t) for t in missing)
            said = f"{item.id}: {header!r} {names} names a data flow with no ends given: kept in extra, no component made"
            self.report.warn(file, loc, said)
            return
        kept: list[str] = []
        for token in missing:
            if token.strip().casefold() in self.vocab.all_targets:
                kept.append(token)
                continue
            # A longer name is a reference to a defined item only where the items were defined by a table of
            # their own; where threat rows are the only place components are named ("Device storage" beside
            # "Device"), each name is a component of its own.
            partial = self._partial(fname, token) if not create or self._defined(fname) else None
            if partial is not None:
                coll, iid = partial
                self._attach(item, kind, fname, coll, iid)
                self.report.warn(
                    file, loc, f"{item.id}: {what} {token!r} (column {header!r}) is taken as {iid!r}, the one whose name it begins with"
                )
                continue
            if create and (zone_list or not ID_LIKE.match(token)):
                coll, iid = self._create(fname, token, item, file, loc)
                self._attach(item, kind, fname, coll, iid)
                if not (kind == "element" and fname == "trust_zone"):
                    self.report.warn(file, loc, f"{what} {token!r} named in {item.id} is defined nowhere; created {iid!r}")
                continue
            kept.append(token)
        if not kept:
            return
        text = "\n".join(kept)
        old = item.extra.get(header)
        item.extra[header] = text if old in (None, "") else f"{old}\n{text}"
        names = ", ".join(repr(t) for t in kept)
        self.report.warn(file, loc, f"{item.id}: {what} {names} (column {header!r}) matches no {what} by id or name; kept in extra")

    def _cited(self, colls: tuple[str, ...], raw: str) -> list[str]:
        """The ids of known items a text cites in brackets ("… (SR-08, SR-09)", "… [C-3]"): a bracket counts
        only when every piece of it is written as an id and names a known item."""
        out: list[str] = []
        for group in _BRACKETED.findall(raw):
            pieces = [p.strip() for p in _CITE_SPLIT.split(group) if p.strip()]
            found = [self.index.find(colls, p) for p in pieces if ID_LIKE.match(p) and not _VERSIONED.match(p)]
            hits = [f for f in found if f is not None]
            if pieces and len(hits) == len(pieces):
                for _coll, iid in hits:
                    _add(out, iid)
        return out

    def _interaction(self, item: Item, raw: str, file: str, loc: str | None, header: str) -> bool:
        """A threat's location written as an interaction ("Smart TV <-> Streaming/CDN", "User -> Smart TV
        (IR/Bluetooth/App)") where no table defines the components: the flow between its two ends, each
        end a component (found or created), the flow created once; never split at its "/" into components."""
        text = " ".join(raw.split())
        parts = [p.strip() for p in _INTERACTION.split(text)]
        protocol = None
        worded = _WORDED_INTERACTION.match(text) if len(parts) == 1 and _FLOW_HEADER.search(header) else None
        if worded is not None:
            # "PLC to Positioner via Modbus RTU (RS-485)" under "Interaction" (the Threat Modeling Tool's flow): the
            # flow from the one to the other, over what follows "via" / "over"
            parts = [worded.group("a").strip(), worded.group("b").strip()]
            protocol = (worded.group("via") or worded.group("medium") or "").strip() or None
            from mdptm.importers.tabular.vocab import is_fill_in

            if any(is_fill_in(p) for p in parts):
                return False
        if len(parts) != 2 or not all(parts) or any(ch in text for ch in ",;\n"):
            return False
        if not isinstance(item, Threat):
            return False
        ends: list[str] = []
        for part in parts:
            name = re.sub(r"\s*\([^()]*\)\s*$", "", part).strip() or part
            hit = self.index.find(("elements",), name)
            if hit is None:
                hit = self._create("targets", name, item, file, loc)
                self.report.warn(file, loc, f"component {name!r} named in {item.id} is defined nowhere; created {hit[1]!r}")
            ends.append(hit[1])
        if ends[0] == ends[1]:
            return False
        arrow = _INTERACTION.search(text)
        both = arrow is not None and ("<" in arrow.group(0) or arrow.group(0).strip() in ("↔", "⇄", "⟷"))
        found = next((f for f in self.model.flows if f.name == text), None)
        if found is None:
            iid = self._free_id(slug(text, 48, "flow"))
            found = Flow.model_validate(
                {"id": iid, "name": text, "source": ends[0], "target": ends[1], "bidirectional": both, "protocol": protocol}
            )
            found.provenance = Source(file=file, locator=loc, importer=_importer(item))
            self.model.flows.append(found)
            self.index.add("flows", iid, [text])
            self.report.warn(file, loc, f"{item.id}: {header!r} {text!r} names an interaction: data flow {iid!r} created between its ends")
        _add(item.targets, found.id)
        return True

    def _defined(self, fname: str) -> bool:
        """Whether the items a field names came from their own table (elements for ends, assets for data)."""
        return bool(self.had["assets"] if fname in ("assets", "data") else self.had["elements"])

    def _partial(self, fname: str, token: str) -> tuple[str, str] | None:
        """A name that begins with exactly one known name and says more ("Telemetry Hub secure element"
        for "Telemetry Hub"): the longest known name it begins with, if that one is unique."""
        colls = {
            "targets": ("elements", "assets"),
            "source": ("elements",),
            "target": ("elements",),
            "peer": ("elements",),
            "stored_in": ("elements",),
            "assets": ("assets",),
            "data": ("assets",),
        }.get(fname)
        if not colls:
            return None
        key = norm_name(token)
        best: tuple[int, str, str] | None = None
        clash = False
        for coll in colls:
            for name, iid in self.index.names.get(coll, {}).items():
                if len(name) < 3 or not key.startswith(name + " "):
                    continue
                if best is None or len(name) > best[0]:
                    best, clash = (len(name), coll, iid), False
                elif len(name) == best[0] and iid != best[2]:
                    clash = True
        if best is None or clash:
            return None
        return best[1], best[2]

    def _create(self, fname: str, name: str, owner: Item, file: str, loc: str | None) -> tuple[str, str]:
        from mdptm.importers.tabular.vocab import kind_from_name

        src = Source(file=file, locator=loc, importer=_importer(owner))
        clean = " ".join(name.split())
        iid = self._free_id(name_slug(clean, 48, "item"))
        if fname == "trust_zone":
            tz = TrustZone(id=iid, name=clean, source=src)
            self.model.trust_zones.append(tz)
            self.index.add("trust_zones", iid, [clean])
            return "trust_zones", iid
        if fname in ("assets", "data"):
            kind = kind_from_name(self.vocab, "asset_kind", clean) or "other"
            asset = Asset.model_validate({"id": iid, "name": clean, "kind": kind, "source": src})
            self.model.assets.append(asset)
            self.index.add("assets", iid, [clean])
            return "assets", iid
        ekind = kind_from_name(self.vocab, "element_kind", clean) or "process"
        el = Element.model_validate({"id": iid, "name": clean, "kind": ekind, "source": src})
        self.model.elements.append(el)
        self.index.add("elements", iid, [clean])
        return "elements", iid

    def _acceptance(self, threat: Threat, text: str, file: str, loc: str | None, header: str) -> None:
        """A mitigation cell that argues the risk is acceptable ("We acknowledge that …, but we note that …",
        "Risk accepted: …"): the threat's rationale, not a control."""
        threat.rationale = f"{threat.rationale}\n\n{text}" if threat.rationale else text
        said = accepts_risk(text)
        self.report.warn(
            file,
            loc,
            f"{threat.id}: the {header or 'mitigation'} text argues that the risk is acceptable ({said!r} …): kept as the "
            "threat's rationale, not made a control",
        )

    def _create_controls(
        self,
        text: str,
        owner: Item,
        file: str,
        loc: str | None,
        header: str = "",
        *,
        table: bool = False,
        control_id: str | None = None,
        threat_status: str = "",
    ) -> list[str]:
        """The controls of a mitigation text: one, or one for each measure when every line of it opens with its own
        status mark ("✅ Tokens encrypted at rest" over "⚠️ TODO: Token rotation"), with the status its mark says."""
        from mdptm.importers.tabular.records import status_marked_items
        from mdptm.importers.tabular.vocab import mitigation_status

        marked = status_marked_items(self.vocab, text) if mitigation_status(self.vocab, header) is None else None
        if marked is None:
            return [self._create_control(text, owner, file, loc, header, table=table, control_id=control_id, threat_status=threat_status)]
        out = []
        for measure, status in marked:
            cid = self._create_control(measure, owner, file, loc, header, table=table, quiet=True)
            for ctl in self.model.controls:
                if ctl.id == cid:
                    ctl.status, ctl.status_stated = status, True  # type: ignore[assignment]
            out.append(cid)
        said = "names no control" if table else "comes with no control table in any source"
        named = ", ".join(out)
        self.report.warn(file, loc, f"{owner.id}: mitigation list {said}: controls {named} created, one per measure, each as its mark says")
        return out

    def _create_control(
        self,
        text: str,
        owner: Item,
        file: str,
        loc: str | None,
        header: str = "",
        *,
        table: bool = False,
        control_id: str | None = None,
        quiet: bool = False,
        threat_status: str = "",
    ) -> str:
        from mdptm.importers.tabular.records import denies_mitigation, first_sentence, mitigation_title, status_mark
        from mdptm.importers.tabular.vocab import (
            assumed_in_place,
            deferred_by_note,
            mitigation_status,
            outside_by_note,
            parse_choice,
            part_measure,
            plan_date,
            recommended_to,
            work_not_done,
        )

        key = norm_name(text)
        if key in self.created_controls:
            return self.created_controls[key]
        n = len(self.model.controls) + 1
        iid = f"C-{n}"
        while iid in self.index.all_ids:
            n += 1
            iid = f"C-{n}"
        if control_id and control_id not in self.index.all_ids:
            iid = control_id  # the id the register gives the control beside its text ("RC-001")
            self.index.all_ids.add(iid)
        src = Source(file=file, locator=loc, importer=_importer(owner))
        mark = status_mark(self.vocab, text.strip()) if "\n" not in text.strip() else None
        title = mitigation_title(self.vocab, mark[0] if mark else text)
        ctl = Control(id=iid, title=title, description=text, source=src, status_stated=False, responsibility_stated=False)
        guess = parse_choice(self.vocab, "control_category", title).value
        if guess and guess != "other":
            # the FDA category is often plain in the mitigation's title ("Input validation", "Implement audit trail"), as for
            # a control row with no category column
            ctl.category = guess  # type: ignore[assignment]
            self.inferred_categories.setdefault(file, []).append(iid)
        said = mitigation_status(self.vocab, header)
        if denies_mitigation(text):
            # "Not mitigated for the web client. Use the desktop app …": what follows is advice or a part measure;
            # the text denies that the threat is mitigated, so nothing of it is claimed in place
            ctl.status, ctl.status_stated = "not_implemented", True
            self.report.warn(file, loc, f"control {iid}: its text opens by saying the threat is not mitigated: read as not in place")
        elif said == "planned" and " ".join(header.lower().split()) in self.vocab.tool_suggestions:
            # the Threat Modeling Tool's "Possible Mitigation(s)": what the tool offers for its generated threat, no
            # decision of the maker (as the .tm7 importer reads it): in place only where the threat is mitigated
            mitigated = isinstance(owner, Threat) and owner.status == "mitigated"
            ctl.status, ctl.status_stated = ("implemented" if mitigated else "not_implemented"), True
            if not mitigated:
                ctl.tags.append("suggested")
        elif said == "implemented" and (word := assumed_in_place(self.vocab, text)) is not None:
            # "Existing control: Backup assumed present": the header says in place, the text that it is only assumed;
            # an assumption is no evidence, so no status is stated (not shown in place)
            ctl.status_stated = False
            self.report.warn(file, loc, f"control {iid}: {word!r} in its text: only assumed in place, its status not stated")
        elif said == "implemented" and (word := part_measure(self.vocab, text)) is not None:
            # "Existing control: Partial enrollment": the header says in place, the text that the measure covers only
            # part of what it should; read as a "Partial" status is (planned), not counted in place
            ctl.status, ctl.status_stated = "planned", True
            self.report.warn(file, loc, f"control {iid}: {word!r} in its text: in place only in part, read as planned")
        elif mark is not None:
            ctl.status, ctl.status_stated = mark[1], True  # type: ignore[assignment]  # "Audit trails ✅": as its mark says
        elif said is not None:
            ctl.status, ctl.status_stated = said, True  # type: ignore[assignment]  # "Recommended mitigation": proposed
        elif (note := deferred_by_note(self.vocab, text)) is not None:
            # "LocalStorage autosave (future enhancement)": the author says it is not there yet
            ctl.status, ctl.status_stated = "planned", True
            self.report.warn(file, loc, f"control {iid}: {note!r} read as planned, not in place")
        elif _still_to_do(owner) and (due := plan_date(self.vocab, owner.extra)) is not None:
            # "| Treatment | Owner | Due |" with "2027-01-31" and no status, or a risk still "Open" / "In Progress":
            # a treatment plan, not a control in place (a risk stated mitigated keeps its treatment as in place)
            ctl.status, ctl.status_stated = "planned", True
            ctl.planned_for = due[1]  # shown with the status: "Planned for 2026-08-31"
            said = f"the risk is {_STATUS_WORDS[owner.status]}" if isinstance(owner, Threat) and owner.status_stated else "no status"
            self.report.warn(file, loc, f"control {iid}: due {due[1]} (column {due[0]!r}) and {said}: read as planned")
        elif (work := work_not_done(self.vocab, threat_status)) is not None:
            # "| Mitigation | Status |" with "Planned", "In progress", "TODO": the threat is open because its
            # mitigation is not in place yet (as a Markdown threat's "Status: Planned" line is read)
            ctl.status, ctl.status_stated = work, True  # type: ignore[assignment]
            read = f"the threat's status {threat_status!r} says its mitigation is not in place: read as {work.replace('_', ' ')}"
            self.report.warn(file, loc, f"control {iid}: {read}")
        names_who = "responsib" in header.lower() or "action" in header.lower()
        who = parse_choice(self.vocab, "responsibility", header).value if names_who else None
        if who is not None:
            ctl.responsibility = who  # type: ignore[assignment]  # "User Responsibility": the user's control
            ctl.responsibility_stated = True
        asked = recommended_to(self.vocab, text) if who is None else None
        outside = outside_by_note(self.vocab, text) if who is None and asked is None else None
        if outside is not None:
            # "(Out of scope for the library itself.) The user's code must use timeouts": the user's measure
            ctl.responsibility, ctl.responsibility_stated = "customer", True
            self.report.warn(file, loc, f"control {iid}: {outside!r} read as the customer's measure, not the maker's")
        if asked is not None:
            # "We strongly recommend that hospitals segment the network": the hospital's control, not the maker's
            kind, parties, whole = asked
            named = ", ".join(parties)
            if whole:
                ctl.responsibility, ctl.responsibility_stated = kind, True  # type: ignore[assignment]
                said = f"responsibility {kind.replace('_', ' ')}, not the device maker"
            else:
                ctl.extra["Recommended to"] = named
                said = "kept the device maker's; check who runs it"
            self.report.warn(file, loc, f"control {iid} is {'' if whole else 'partly '}a recommendation to {named}: {said}")
        self.model.controls.append(ctl)
        self.index.add("controls", iid, [ctl.title, text])
        self.created_controls[key] = iid
        if quiet:
            return iid  # the caller says it once for all the controls of one text
        if table:
            said = first_sentence(text)[:60]
            why = f"names no control and no control links {owner.id}"
            self.report.warn(file, loc, f"{owner.id}: mitigation {said!r} {why}; control {iid} created from it")
        else:
            self.report.warn(file, loc, f"no control table in any source: control {iid} created from the mitigation text of {owner.id}")
        return iid

    def _free_id(self, base: str) -> str:
        iid, n = base, 2
        while iid in self.index.all_ids:
            iid = f"{base}-{n}"
            n += 1
        self.index.all_ids.add(iid)
        return iid

    # -- flows without ends

    def _flow_ends(self) -> None:
        keep: list[Flow] = []
        converted: list[Element] = []
        primary = next((e.id for e in self.model.elements if e.kind == "device"), None)
        if any(not flow.source or not flow.target for flow in self.model.flows):
            self.index  # noqa: B018 - built before a flow becomes an element, as the model stood when the pass began
        self._link_tables = self._tables_of_links() if self.final else set()
        for flow in self.model.flows:
            peer = flow.extra.pop("_mdptm_peer", None) if self.final else flow.extra.get("_mdptm_peer")
            if flow.source and flow.target:
                keep.append(flow)
                continue
            if self.final and peer and self._ends_from_peer(flow, str(peer), primary):
                self.report.warn(
                    _file(flow, "?"),
                    _where(flow),
                    f"flow {flow.id} names only its far end; taken as {flow.source} → {flow.target}",
                )
                keep.append(flow)
                continue
            if self.final and not flow.source and not flow.target and flow.name and self._ends_from_name(flow):
                keep.append(flow)
                continue
            if not self.final:
                keep.append(flow)
                continue
            converted.append(self._interface(flow))
        self._report_interfaces(converted)
        self.model.flows = keep
        if self.final:
            names = {e.id: e.name for e in self.model.elements}
            for flow in keep:
                if not flow.name:
                    flow.name = f"{names.get(flow.source, flow.source)} → {names.get(flow.target, flow.target)}"

    @staticmethod
    def _ends_from_peer(flow: Flow, peer: str, primary: str | None) -> bool:
        """An interface table names only the far end: the near end is the device itself."""
        if flow.source and not flow.target:
            flow.target = peer
        elif flow.target and not flow.source:
            flow.source = peer
        elif primary is not None and primary != peer:
            flow.source, flow.target = primary, peer
        else:
            return False
        return True

    def _tables_of_links(self) -> set[tuple[str, str]]:
        """Tables whose flows without ends are mostly named "A to B": there the words name two ends."""
        counts: dict[tuple[str, str], list[int]] = {}
        for flow in self.model.flows:
            if flow.source or flow.target or not flow.name:
                continue
            two = len([p for p in ARROW.split(re.sub(r"\s*\(.*\)\s*$", "", flow.name)) if p.strip()]) == 2
            c = counts.setdefault(_table_of(flow), [0, 0])
            c[0] += two
            c[1] += 1
        return {t for t, (two, n) in counts.items() if two * 2 > n}

    def _interface(self, flow: Flow) -> Element:
        """A row of an entry-point table names one interface ("Local admin console (:8443)"), not a link
        between two elements: it becomes an element under the same id, so that whatever names it (a
        threat's target, a view) still resolves."""
        from mdptm.importers.tabular.vocab import kind_from_name

        end = flow.source or flow.target
        extra = dict(flow.extra)
        if end:
            extra.setdefault("Connected to", end)
        for key in ("protocol", "port", "authentication", "encryption"):
            value = getattr(flow, key)
            if value:
                extra.setdefault(key.capitalize(), value)
        name = flow.name or flow.id
        kind = kind_from_name(self.vocab, "element_kind", name) or "process"
        el = Element.model_validate(
            {
                "id": flow.id,
                "name": name,
                "kind": kind,
                "description": flow.description,
                "tags": [*flow.tags, "interface"],
                "sensitivity": flow.sensitivity,
                "notes": flow.notes,
                "extra": extra,
                "source": flow.provenance,
            }
        )
        self.model.elements.append(el)
        self.index.add("elements", el.id, [name])
        for view in self.model.views:
            if flow.id in view.flows:
                view.flows.remove(flow.id)
                _add(view.elements, el.id)
        return el

    def _report_interfaces(self, converted: list[Element]) -> None:
        """One warning per table (not per row) for the rows read as interfaces."""
        tables: dict[tuple[str, str], list[Element]] = {}
        for el in converted:
            tables.setdefault(_table_of(el), []).append(el)
        for (file, _table), els in tables.items():
            names = ", ".join(f"{e.id} ({e.name!r})" if e.name != e.id else e.id for e in els[:6])
            more = f" and {len(els) - 6} more" if len(els) > 6 else ""
            self.report.warn(
                file,
                _where(els[0]),
                f"{len(els)} row(s) name one interface each, not two ends (no source and destination): read as "
                f"interface elements, not flows: {names}{more}",
            )

    def _drop_dangling(self) -> None:
        """A reference an importer made that names nothing in the merged model is dropped with a warning.

        Only hand-written references (a native model) are the user's to fix: ``validate`` refuses those.
        """
        present = {
            coll: {i.id for i in getattr(self.model, coll)}
            for coll in ("elements", "flows", "assets", "trust_zones", "controls", "threats", "views")
        }
        imported: dict[str, list[Item]] = {}  # per collection, the items an importer made (read once, not per field)
        for (coll, fld), allowed in REFERENCES.items():
            items = imported.get(coll)
            if items is None:
                items = imported[coll] = [i for i in getattr(self.model, coll) if _importer(i) not in (None, "mdptm")]
            known = present[allowed[0]] if len(allowed) == 1 else set().union(*(present[a] for a in allowed))
            for item in items:
                value = getattr(item, fld)
                refs = value if isinstance(value, list) else [value]
                bad = [r for r in refs if isinstance(r, str) and r and r not in known]
                if not bad:
                    continue
                if isinstance(value, list):
                    setattr(item, fld, [r for r in value if r not in bad])
                elif coll == "flows":
                    setattr(item, fld, "")  # a flow left with fewer than two ends becomes an interface
                else:
                    setattr(item, fld, None)
                names = ", ".join(repr(b) for b in bad)
                self.report.warn(
                    _file(item, "?"), _where(item), f"{item.id}: {fld.replace('_', ' ')} {names} names nothing in the model; dropped"
                )

    def _ends_from_name(self, flow: Flow) -> bool:
        parts = [p for p in ARROW.split(re.sub(r"\s*\(.*\)\s*$", "", flow.name)) if p.strip()]
        if 2 < len(parts) <= 4 and len(_ARROW_SIGN.findall(flow.name)) == len(parts) - 1:
            # "renderer → IPC → ai-manager": from the first end to the last, through the ones between
            flow.extra.setdefault("Via", " → ".join(p.strip() for p in parts[1:-1]))
            parts = [parts[0], parts[-1]]
        if len(parts) != 2:
            return False
        if (
            not _ARROW_SIGN.search(flow.name)
            and _table_of(flow) not in self._link_tables
            and not all(self.index.find(("elements",), p) for p in parts)
        ):
            # "Add Item to Order Modal" is a name, not two ends: words split a name only where both ends exist,
            # or in a table whose names are mostly written that way ("Pump to Gateway", "Gateway - Cloud").
            return False
        ends = []
        for p in parts:
            hit = self.index.find(("elements",), p)
            if hit is None:
                _coll, iid = self._create("source", p, flow, _file(flow, "?"), _where(flow))
                self.report.warn(_file(flow, "?"), _where(flow), f"element {p.strip()!r} of flow {flow.id} created")
                ends.append(iid)
            else:
                ends.append(hit[1])
        flow.source, flow.target = ends
        if re.search(r"<-+>|<=+>|↔|⇄|⟷", flow.name):
            flow.bidirectional = True
        return True

    def _placeholders(self) -> None:
        m = self.model
        for label, value in (
            ("product.name", m.product.name),
            ("product.manufacturer", m.product.manufacturer),
            ("document.version", m.document.version),
        ):
            if value == PLACEHOLDER:
                self.report.warn("model", None, f"{label} is stated in no source; placeholder written (set it in mdptm.yaml)")


def _table_of(item: Item) -> tuple[str, str]:
    """(file, table) an item's row belongs to: "table 3" of "table 3 row 7", the sheet of "Flows!B4"."""
    where = _where(item) or ""
    table = re.sub(r"\s+row\s+\d+$", "", where) if " row " in where else where.split("!", 1)[0]
    return _file(item, "?"), table


def _place(item: Item) -> str:
    """Where an item was read, its row left out ("table 1 at line 62"): two rows of one table share it."""
    loc = item.source.locator if item.source and item.source.locator else ""
    file = (item.source.file if item.source else None) or ""
    return file + ":" + _ROW.sub("", loc)


_ROW = re.compile(r"\s+row\s+\d+$")


def _words_within(words: set[str], title: str) -> bool:
    """Whether every word of *words* is a word of *title*, as written, in the singular or shortened ("sig" of
    "signature", "permissions" of "permission")."""
    from mdptm.importers.tabular.vocab import norm_text

    theirs = norm_text(title).split()
    return all(any(v == w or v.startswith(w) or v.rstrip("s") == w.rstrip("s") for v in theirs) for w in words)


def _denies_any_measure(text: str) -> bool:
    from mdptm.importers.tabular.records import denies_any_measure  # the table machinery, loaded when a cell needs it

    return denies_any_measure(text)


def _add(values: list[str], iid: str) -> None:
    if iid not in values:
        values.append(iid)


def resolve_references(model: Model, report: ImportReport, *, final: bool = True) -> Model:
    """Turn the references kept as written into ids; see the module docstring for what is created."""
    Resolver(model, report, final=final).run()
    return model


def _has_refs(model: Model) -> bool:
    """Whether any item still holds a reference to resolve (not only an alias or a name-only mark)."""
    entries = (v for _kind, item in model.items() for k, v in item.extra.items() if k.startswith(PENDING))
    return any(isinstance(v, dict) and bool(v.get("refs")) for v in entries)


def has_pending(model: Model) -> bool:
    return any(k.startswith(PENDING) for _kind, item in model.items() for k in item.extra)


def pending_of(item: Item) -> list[dict[str, object]]:
    """The references an item still holds as written (for tests and diagnostics)."""
    out: list[dict[str, object]] = []
    for k, v in item.extra.items():
        if k.startswith(PENDING) and isinstance(v, dict):
            out.extend(v.get("refs", []))
    return out


__all__ = ["resolve_references", "has_pending", "pending_of"]
