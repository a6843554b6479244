"""Threats and countermeasures written as lists under STRIDE or "Threats" headings.

Many threat models are not tables: under a heading per STRIDE category ("Spoofing", "Denial of
Service (DoS)") the author writes a bulleted list of threats, often after a label line "Threats:", and
a second list after "Countermeasures:". This module reads such a document as a stream of headings,
paragraphs and list items (whatever the source format) and turns the list items into the same row
records tables give, so ids, merging, the report and references work as for any table. Prose
paragraphs are never items; a list that defines the STRIDE categories ("Spoofing: pretending to be
...", one item per category) is reported as skipped. The words are data (``sections.yaml``:
``threat_lists``; the STRIDE names of ``stride.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

from mdptm.importers.tabular.records import SourceBuilder, first_sentence
from mdptm.importers.tabular.stride import stride_definition_texts, stride_primer_heading
from mdptm.importers.tabular.tables import RowRecord, stride_default
from mdptm.importers.tabular.vocab import Vocabulary, clean_text, match_header, norm_text, one_line, parse_choice, parse_risk, parse_stride
from mdptm.model import Model

# "Additional Concerns", "Other issues", "Further considerations" after the STRIDE headings: remarks, not a category
_ASIDE = re.compile(r"^\s*(additional|other|further|general)\s+(concerns?|issues?|notes?|observations?|considerations?|remarks?)\s*$", re.I)
_PREFIX = re.compile(r"^\s*(?:[-*•·▪◦‣]|\(?\d+[.)]|[a-z][.)])\s+")
_ID = re.compile(r"^\s*([A-Z]{1,6}[-_.]?\d+(?:\.\d+)*[a-z]?)\s*[:.\-–—)]\s+(\S.*)$", re.S)
# "T2, T7", "TH-03 and TH-04", "T1 full": the ids of threats named in a line of text
THREAT_REFS = re.compile(r"\b[A-Z]{1,6}[-_.]?\d+(?:\.\d+)*[a-z]?\b")
# "Target then / now: P3, P13": a short capitalised label, a colon, its value
_LABEL_LINE = re.compile(r"^\s*([A-Z][\w()/ -]{0,40}?)\s*:\s+(\S.*)$")
# Fields only a threat has: with them, a block opened by "Description: …" under a plain heading is a threat
_THREAT_ONLY = {"controls", "risk", "risk.level", "risk.likelihood", "risk.severity", "residual_risk", "stride", "patient_harm"}
# "Threat: Phishing", "Threat – Phishing": a word, a colon or a dash, the rest (Markdown's state.heading_id alike)
_WORDED = re.compile(r"^\s*(?P<word>[A-Za-z ]{2,24}?)\s*[:：\-–—]\s+(?P<rest>\S.*)$")
# "HAZ-001: Incorrect Applicator Tracking", "Hazard H001: False Negative Results", "RISK-SEC-002 — …": a risk's id
# leading a heading or a bold line
RISK_LEAD = re.compile(
    r"^\s*(?:(?:hazard|risk|threat)\s+)?(?P<id>(?:HAZ|RISK|RSK|THREAT|THR|TS|H|R|T)(?:-[A-Z]{1,8})?-?\d+)\s*[:：–—-]\s*\S",
    re.I,
)
_DESCRIBING_LABELS = frozenset({"description", "threat description", "vulnerability", "weakness", "issue"})
_VECTOR_LABELS = frozenset({"attack vector", "attack vectors", "attack path", "attack scenario", "exploit scenario"})
# "4.3.1. Rigorous Code Review and Static Analysis:": a numbered title ending in a colon, its parts in the items below
_TITLE_OVER_PARTS = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+([^:]{2,100}?)\s*:\s*$")
# A heading led by an item's id: "INF-001: Provider Outage", "HAZ-3 — Overdose"
# a line naming the threat the list below answers: "Threat #1 – Supabase anon key exposed", "Risk R-03: …"
THREAT_REF_LEAD = re.compile(
    r"^(?:threat|risk|hazard)\s*(?:#\s*|no\.?\s*|nr\.?\s*)?([A-Za-z]{0,6}-?\d+(?:\.\d+)*)\s*[:–—-]\s*\S", re.IGNORECASE
)
# An item's id: "INF-001", "T-S-001", "T1.1", "HAZ-3"
_ITEM_ID = r"[A-Z]{1,6}(?:-[A-Z]{1,8})?-?\d+(?:\.\d+)*"
ITEM_ID = re.compile(_ITEM_ID)
HEADING_ID_LEAD = re.compile(rf"^\s*({_ITEM_ID})\s*[:：–—-]\s*\S")
# ". Mitigation: …" after a sentence of the same line: a label that opens a sentence of its own
_INLINE_LABEL = re.compile(r"(?<=[.;!?])\s+([A-Za-z][A-Za-z ]{1,40}?)\s*:\s+\S")
# "Risk: <a sentence of four words or more>" over "Mitigation: …" on the item's next line
_RISK_ITEM = re.compile(r"^\s*Risk\s*:\s*(\S+(?:\s+\S+){3,}?[^\n]*)\n\s*(Mitigations?|Countermeasures?)\s*:\s*(\S.*)$", re.S | re.I)
_LEAD = re.compile(r"^\s*([^:–—]{2,60}?)\s*(?::|\s[-–—]\s)\s*(\S.*)$", re.S)


@dataclass
class _Context:
    """One heading's section: what its list items are, and the group its threats and controls link in."""

    level: int
    name: str
    mode: str | None  # "threat" | "control" | None
    stride: str | None
    key: int  # link group
    category: str | None = None  # a heading that sorts threats by another scheme ("Patient Safety")
    tabled: bool = False  # the section holds a table of threats: its loose bullets are notes, not threats
    asset: str | None = None  # "Asset 1: Firmware images": the asset the threats below are about


@dataclass
class _Entry:
    text: str
    level: int
    locator: str
    mode: str
    stride: str | None
    view: str | None
    key: int
    section: str
    category: str | None = None
    asset: str | None = None


@dataclass
class _Group:
    section: str
    threats: list[RowRecord] = field(default_factory=list)
    controls: list[RowRecord] = field(default_factory=list)


class ListThreats:
    """Reads list items as threats or controls where the headings and labels around them say so."""

    def __init__(self, builder: SourceBuilder, vocab: Vocabulary):
        self.b = builder
        cfg = vocab.sections.get("threat_lists", {})
        self.vocab = vocab
        self.headings = [re.compile(p, re.I) for p in cfg.get("headings", [])]
        self.controls = [re.compile(p, re.I) for p in vocab.sections.get("sections", {}).get("controls", [])]
        self.threat_labels = {norm_text(str(w)) for w in cfg.get("threat_labels", [])}
        self.control_labels = {norm_text(str(w)) for w in cfg.get("control_labels", [])}
        self.other_labels = {norm_text(str(w)) for w in cfg.get("other_labels", [])}
        self.other_words = {norm_text(str(w)) for w in cfg.get("other_words", [])}
        self.definition_run = int(cfg.get("definition_run", 5))
        self.stack: list[_Context] = []
        self.last_sibling: tuple[int, int] | None = None  # (level, depth) of the last category heading
        self.label: tuple[str | None, int] | None = None  # (mode or None for "not a list of items", key)
        self.item_stride: tuple[str, int] | None = None  # a list item "Spoofing" heads the deeper items
        # "4.1.1. Buffer Overflows:" and the items under it so far (text, level, locator, view, items): a threat
        # once an attack vector is met under a description
        self.held_title: tuple[str, int, str, str | None, list[str]] | None = None
        # the level of a list item written "Threat: …" where nothing says the list holds threats (a component's
        # bullet over it, as Markdown reads "- **Threat:** …"): it and its deeper items are read as threats are
        self.item_threat: int | None = None
        # the locator of a held title that the last item made a threat of (it and the items under it, passed over
        # as they came, are read after all)
        self.took_held: str | None = None
        self.run: list[_Entry] = []
        self.groups: dict[int, _Group] = {}
        self.own: list[tuple[RowRecord, RowRecord]] = []  # (threat, control) paired in the document
        self._keys = 0
        self.threats = 0
        self.controls_made = 0

    # -- vocabulary

    def stride_of(self, text: str) -> str | None:
        """The STRIDE category a heading or a list item names, and nothing else ("4.2 Tampering Threats")."""
        return stride_default(self.vocab, text, names_only=True, max_words=5)

    def is_category(self, text: str) -> bool:
        """A heading that sorts threats (never a use case of its own)."""
        return self.stride_of(text) is not None or any(rx.search(text) for rx in self.headings)

    def _label(self, text: str) -> str | None | bool:
        """What a line before a list says the list is: "threat" / "control", None for something else
        ("Notes:", "The following threat sources were considered:"), False for prose that says nothing."""
        t = one_line(text)
        if not t or len(t) > 200:
            return False
        words = norm_text(t)
        short = len(t) <= 60 and len(t.split()) <= 6
        if short and words in self.threat_labels:
            return "threat"
        if short and words in self.control_labels:
            return "control"
        if short and words in self.other_labels:
            return None
        if not t.endswith(":"):
            return False
        # "when building a threat model:", "what to threat model": the activity, not a list of threats
        tokens = set(re.sub(r"\bthreat\s+model(?:s|ing|ling|ed)?\b", " ", words).split())
        if tokens & self.other_words:
            return None
        threats = tokens & {w for w in self.threat_labels if " " not in w}
        if threats and len(t.split()) > 6 and tokens & {w for w in self.control_labels if " " not in w}:
            # "Both approaches can enumerate threats and defenses, while the difference is in:": a sentence about
            # threats and measures alike says its list is neither (the points where two methods differ)
            return None
        if threats:
            return "threat"
        if tokens & {w for w in self.control_labels if " " not in w}:
            return "control"
        return False  # "An attacker could:" under "Spoofing" leaves the list what the heading says

    def lead_in(self, text: str) -> str | None | bool:
        """What a line right before a list says the list is (:meth:`_label`): "threat", "control", None for
        something else ("The four core elements of a threat model are:"), False for prose that says nothing."""
        return self._label(text)

    def _inline(self, text: str) -> tuple[str, str] | None:
        """ "Threat: ..." or "Mitigation: ..." as a list item: its kind and its text."""
        m = re.match(r"^\s*([A-Za-z][A-Za-z ]{1,40}?)\s*:\s*(\S.*)$", text, re.S)
        if not m:
            return None
        words = norm_text(m.group(1))
        if words in self.threat_labels:
            return "threat", m.group(2)
        if words in self.control_labels:
            return "control", m.group(2)
        return None

    def _inline_measure(self, text: str) -> int | None:
        """Where a measure's label ("Mitigation:", "Countermeasure:") opens a new sentence inside a "Threat: …"
        item, or None."""
        for m in _INLINE_LABEL.finditer(text):
            if norm_text(m.group(1)) in self.control_labels:
                return m.start(1)
        return None

    def _field_item(self, text: str) -> bool:
        """ "Attack Vector: …", "Impact: …": a short label (no STRIDE category, no other list's word) and its text."""
        lead = _LEAD.match(text)
        return lead is not None and len(lead.group(1).split()) <= 3 and not self.stride_of(lead.group(1))

    @staticmethod
    def _labelled_as_threat(text: str) -> bool:
        """ "Threat: …", "Attack scenario: …" (a label that says threat or scenario), as Markdown's labelled list
        items: "Risks: …", "Examples: …" or "Attack: …" (a step under a threat's bold title) alone make no
        threat outside a list of threats."""
        head = norm_text(text.partition(":")[0]).split()
        return any(w in head for w in ("threat", "scenario"))

    # -- the stream

    def _new_key(self, section: str) -> int:
        self._keys += 1
        self.groups[self._keys] = _Group(section)
        return self._keys

    def heading(self, level: int, name: str) -> None:
        """A heading (its numbering already removed) opens a section."""
        self.flush()
        self.label = None
        self.item_threat = None  # "4.2. Assessment" after the titled threats: its items are no fields of theirs
        self.held_title = None
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        stride = self.stride_of(name)
        outer = next((c for c in reversed(self.stack) if c.mode == "threat"), None)
        outer_stride = next((c.stride for c in reversed(self.stack) if c.stride), None)
        if stride is not None:
            ctx = _Context(level, name, "threat", stride, self._new_key(name))
        elif any(rx.search(name) for rx in self.headings):
            # "Threats" under "Spoofing": its threats link with the countermeasures of "Spoofing".
            key = outer.key if outer is not None and outer.stride else self._new_key(name)
            ctx = _Context(level, name, "threat", outer_stride, key)
        elif outer is not None and any(rx.search(name) for rx in self.controls):
            ctx = _Context(level, name, "control", None, outer.key)
        elif self.last_sibling is not None and self.last_sibling == (level, len(self.stack)) and not _ASIDE.match(name):
            # "Patient Safety" after "Elevation of Privilege" at the same level: another category of threats.
            ctx = _Context(level, name, "threat", None, self._new_key(name), category=name)
        else:
            ctx = _Context(level, name, None, outer_stride, self._new_key(name))
        asset = heading_threat_id(name, "asset")
        if asset is not None:
            # "Asset 1: Firmware and Software Images": an asset, and the threats under it are about it
            ctx.asset = asset[1]
            self.b.records.append(
                RowRecord(
                    kind="asset",
                    file=self.b.file,
                    locator=f"heading {name[:60]!r}",
                    values={"name": asset[1]},
                    headers={"name": "heading"},
                    extra={},
                )
            )
        else:
            ctx.asset = next((c.asset for c in reversed(self.stack) if c.asset), None)
        if ctx.mode == "threat" and (stride or ctx.category):
            self.last_sibling = (level, len(self.stack))
        elif self.last_sibling is None or level <= self.last_sibling[0]:
            self.last_sibling = None  # a deeper heading inside a category leaves the next sibling a category
        self.stack.append(ctx)

    def paragraph(self, text: str) -> bool:
        """A paragraph that is not a list item; True when it was a label line (and is nothing else)."""
        self.flush()
        self.item_stride = None
        self.item_threat = None
        got = self._label(text)
        if got is False:
            short_label = one_line(text).endswith(":") and len(one_line(text).split()) <= 4
            if self.label is not None and self.label[0] == "control" and (short_label or not one_line(text).endswith(":")):
                # "Residual Risk: Low – acceptable", "Hazard H002: False Positive Results" after the measures'
                # list: the label's list has ended, the next list is not more of its measures
                self.label = None
            return False
        key = self.stack[-1].key if self.stack else self._new_key("")
        if got is None:
            if self._mode() is not None:
                self.label = (None, key)  # "Notes:" ends a list of threats
            return False
        self.label = (str(got), key)
        return len(one_line(text).split()) <= 6  # a label line alone is nothing else; a lead-in stays prose

    def boundary(self, threat_table: bool = False) -> None:
        """A table or anything else that ends a list; *threat_table* when it was read as threats."""
        self.flush()
        self.item_stride = None
        self.item_threat = None
        if threat_table and self.stack:
            self.stack[-1].tabled = True

    def mode(self) -> str | None:
        """What a list item here would be read as ("threat", "control"), None when nothing says."""
        return self._mode()

    def _mode(self) -> str | None:
        if self.label is not None:
            return self.label[0]
        if not self.stack or self.stack[-1].tabled:
            return None  # "Threats" with a threat table: a list after it says something about the table
        return self.stack[-1].mode

    def item(self, text: str, level: int, locator: str, view: str | None) -> bool:
        """A list item; True when it is read here (as a threat, a control or a category)."""
        body = _PREFIX.sub("", text).strip()
        if not body:
            return False
        mode = self._mode()
        ctx = self.stack[-1] if self.stack else None
        stride = ctx.stride if ctx else None
        key = self.label[1] if self.label is not None else (ctx.key if ctx else 0)
        lead = _LEAD.match(body)
        under_threat = self.item_threat is not None and level > self.item_threat and mode is None
        if lead is not None and norm_text(lead.group(1)) in self.other_labels and not under_threat:
            return False  # "Note: scores use the 5 x 5 matrix" (under a threat's item, "Example: …" says more of it)
        under_category = self.item_stride is not None and level > self.item_stride[1]  # below a "Spoofing" item
        risk = _RISK_ITEM.match(body) if mode in (None, "threat") and not under_category else None
        if risk is not None and not parse_risk(self.vocab, risk.group(1).split()[0].strip(".,;:")).ok:
            # "1. Risk: a stale checkout changes results." with "Mitigation: resync …" on the item's next line: that
            # risk and its mitigation, as Markdown reads them
            if key not in self.groups:
                key = self._new_key(ctx.name if ctx else "")
            section, category, asset = (ctx.name, ctx.category, ctx.asset) if ctx else ("", None, None)
            for text in (f"Threat: {one_line(risk.group(1))}", f"{risk.group(2)}: {one_line(risk.group(3))}"):
                self.run.append(_Entry(text, level, locator, "threat", stride, view, key, section, category, asset))
            return True
        said = self._inline(body) if mode is None and not under_category else None
        if said is not None and said[0] == "threat" and self._labelled_as_threat(body):
            self.item_threat, mode = level, "threat"  # "Threat: Command injection. …" under "Nx CLI:"
        elif (
            mode is None
            and not under_category
            and self.item_threat is not None
            and (level > self.item_threat or said is not None or self._field_item(body))
        ):
            mode = "threat"  # "Attack Vector: …", "Mitigation: …" under it (or beside it, at its level)
        elif mode is None and not under_category:
            self.item_threat = None
        if mode is None and not under_category and self._titled_threat(body, level, locator, view, lead):
            return True
        if mode is None and not under_category and self._stride_labelled(lead):
            mode = "threat"  # "Spoofing: Rogue BLE devices → whitelist" under "Threat Model (STRIDE)"
        if mode is None:
            cat = self.stride_of(body)
            if cat is not None and len(body) <= 60:
                self.item_stride = (cat, level)
                return True
            if self.item_stride is None or level <= self.item_stride[1]:
                self.item_stride = None
                return False
            mode, stride = "threat", self.item_stride[0]
        if key not in self.groups:
            key = self._new_key(ctx.name if ctx else "")
        section = ctx.name if ctx else ""
        category = ctx.category if ctx else None
        then = self._inline_measure(body) if mode == "threat" and self._labelled_as_threat(body) else None
        # "Threat: Spoofed update source. Mitigation: Signed images." in one item (bold lead-ins in Word): the threat
        # and its measure, read as the two labelled lines they stand for
        for part in (body[:then].strip(), body[then:].strip()) if then is not None else (body,):
            self.run.append(_Entry(part, level, locator, mode, stride, view, key, section, category, ctx.asset if ctx else None))
        return True

    def _titled_threat(self, body: str, level: int, locator: str, view: str | None, lead: re.Match[str] | None) -> bool:
        """ "4.1.1. Buffer Overflows:" over "Description: …" and "Attack Vector: …" items (nothing above says the
        list holds threats): a threat titled so, its items its description, as Markdown reads them. The title is
        held until an attack vector is met under it; True once the items are read as that threat's."""
        held = self.held_title
        if _TITLE_OVER_PARTS.match(body):
            self.held_title = (body, level, locator, view, [])
            return False
        if held is None or level <= held[1] or lead is None:
            self.held_title = None
            return False
        held[4].append(body)
        label = norm_text(lead.group(1))
        if label not in _VECTOR_LABELS or not any(norm_text(x.partition(":")[0]) in _DESCRIBING_LABELS for x in held[4]):
            return False
        # the vector under a described title: the threat, its items so far, and the deeper items after them
        self.held_title = None
        ctx = self.stack[-1] if self.stack else None
        key = ctx.key if ctx else self._new_key("")
        if key not in self.groups:
            key = self._new_key(ctx.name if ctx else "")
        section, category, asset = (ctx.name, ctx.category, ctx.asset) if ctx else ("", None, None)
        stride = ctx.stride if ctx else None
        title = _TITLE_OVER_PARTS.sub(r"\1", held[0])
        self.run.append(_Entry(title, held[1], held[2], "threat", stride, held[3], key, section, category, asset))
        for text in held[4]:
            self.run.append(_Entry(text, level, locator, "threat", stride, view, key, section, category, asset))
        self.item_threat = held[1]
        self.took_held = held[2]
        return True

    def _stride_labelled(self, lead: re.Match[str] | None) -> bool:
        """An item "Spoofing: …" (a full category name as its label) under a heading of threats, of STRIDE or of
        the threat model that is no STRIDE primer ("STRIDE Categories"): a threat of that category."""
        if lead is None or len(lead.group(1).strip()) < 3 or self.stride_of(lead.group(1)) is None:
            return False
        for c in reversed(self.stack):
            words = norm_text(c.name)
            if "stride" in words.split() or "threat model" in words or any(rx.search(c.name) for rx in self.headings):
                return not stride_primer_heading(c.name)
        return False

    def finish(self) -> None:
        self.flush()

    # -- a run of list items

    def flush(self) -> None:
        run, self.run = self.run, []
        if not run:
            return
        if self._definitions(run):
            for e in run:
                self.b.report.skipped(self.b.file, e.locator, "a definition of a STRIDE category, not a threat")
            return
        from mdptm.importers.markdown.words import _CHECK_BOX  # the Markdown reader's task box ("[x] …")

        boxes = [_CHECK_BOX.match(e.text) for e in run]
        box_labelled = any(self._inline(e.text[m.end() :]) for e, m in zip(run, boxes, strict=True) if m)  # "[ ] Threat: …"
        if all(boxes) and all(e.mode == "threat" for e in run) and not box_labelled:
            # "[x] Authentication of the cloud server reviewed" under "Spoofing": a checklist of work done or to do, never
            # threats, as the Markdown reader skips the same list (each item was a threat titled "[x] …")
            ticked = sum(1 for m in boxes if m is not None and m.group(1).strip())
            said = f"checklist of {len(run)} box(es), {ticked} ticked: tasks, not threat-model records"
            for e in run:
                self.b.report.skipped(self.b.file, e.locator, said)
            return
        heads = {id(e) for e in run if self._inline(e.text) is None and len(e.text) <= 60 and self.stride_of(e.text)}
        base = min((e.level for e in run if id(e) not in heads), default=0)
        last: RowRecord | None = None
        labelled = False  # the last threat was written "Threat: ..."
        stride: str | None = None
        titled: tuple[RowRecord, int] | None = None  # a control titled "4.3.1. Least Privilege:" over its parts
        measures: tuple[RowRecord, _Entry, list[str]] | None = None  # "Mitigation Strategies:" under a threat
        for e in run:
            inline = self._inline(e.text)
            if measures is not None and e.level > measures[1].level and inline is None:
                measures[2].append(one_line(e.text))  # a measure of the label above it
                continue
            if measures is not None:
                self._measure_block(*measures)
                measures = None
            opens_measures = one_line(e.text).endswith(":") and self._label(e.text) == "control"
            if last is not None and inline is None and e.level > base and opens_measures:
                # "Mitigation Strategies:" under a "Threat: …" item, its measures nested below it: that threat's control
                measures = (last, e, [])
                continue
            if titled is not None and e.level > titled[1] and (inline is None or inline[0] == "control"):
                # "Action: Run it as a dedicated user." / "Rationale: …" under "4.3.5. Least Privilege:": that measure
                ctl = titled[0]
                ctl.values["description"] = "\n".join(x for x in (ctl.values.get("description"), one_line(e.text)) if x)
                ctl.headers.setdefault("description", "list item")
                continue
            titled = None
            cat = self.stride_of(e.text) if inline is None and len(e.text) <= 60 else None
            if cat is not None:
                stride = cat  # "Spoofing" as an item heads the items below it
                continue
            field = _LEAD.match(e.text) if inline is None and labelled and last is not None else None
            if field is not None and last is not None and len(field.group(1).split()) <= 3 and not self.stride_of(field.group(1)):
                # "Case 1: CVE-2022-26652 …" after "Threat: …": a field of that threat, as "Case" is in Markdown
                name = one_line(field.group(1))
                if "risk" not in last.values and _rated_as_risk(name):
                    # "Risk Severity: Critical" under "Threat: …": the threat's risk, as Markdown reads the label
                    last.values["risk"], last.headers["risk"] = one_line(field.group(2)), name
                    continue
                last.extra[name] = f"{last.extra[name]}\n{field.group(2)}" if name in last.extra else one_line(field.group(2))
                continue
            kind, text = inline if inline else (e.mode, e.text)
            own_stride = None
            lead = _LEAD.match(text) if kind == "threat" else None
            measure = None
            if lead is not None and self.stride_of(lead.group(1)) is not None:
                own_stride, text = self.stride_of(lead.group(1)), lead.group(2)  # "Spoofing: a rogue tablet ..."
                parts = [p.strip() for p in re.split(r"\s*→\s*", text)]
                if len(parts) == 2 and all(parts):
                    text, measure = parts  # "Rogue BLE devices → Whitelist": the threat, then its measure
            if e.level > base and last is not None and inline is None:
                # A line under a threat says more about it.
                last.values["description"] = "\n".join(
                    x for x in (last.values.get("description") or last.values["title"], one_line(text)) if x
                )
                continue
            title_only = kind == "control" and inline is None and _TITLE_OVER_PARTS.match(one_line(text))
            if title_only:
                text = _TITLE_OVER_PARTS.sub(r"\1", one_line(text))
            rec = self._record(kind, text, e, own_stride or stride or e.stride, labelled=inline is not None)
            if title_only:
                titled = (rec, e.level)
            group = self.groups[e.key]
            if kind == "threat":
                last, labelled = rec, inline is not None
                group.threats.append(rec)
                if measure is not None:
                    ctl = self._record("control", measure, e, None)
                    self.own.append((rec, ctl))
                    ctl.own = True
            elif last is not None and (inline is not None or e.level > base):
                self.own.append((last, rec))  # "Mitigation: ..." right under its threat
                rec.own = True
            else:
                group.controls.append(rec)
        if measures is not None:
            self._measure_block(*measures)

    def _measure_block(self, threat: RowRecord, label: _Entry, lines: list[str]) -> None:
        """The measures nested under a threat's "Mitigation Strategies:" item: one control of them (titled by the
        first), that threat's, as Markdown reads the same list."""
        from mdptm.importers.tabular.vocab import mitigation_status

        if not lines:
            return
        ctl = self._record("control", lines[0], label, None)
        ctl.locator = label.locator
        ctl.values["description"] = "\n".join(lines)
        ctl.headers["description"] = "list item"
        said = mitigation_status(self.vocab, one_line(label.text).rstrip(":"))
        if said is not None:
            ctl.values["status"], ctl.headers["status"] = said, one_line(label.text).rstrip(":")  # "Potential mitigations:"
        self.own.append((threat, ctl))
        ctl.own = True

    def _definitions(self, run: list[_Entry]) -> bool:
        """A run of "Category: text" items that defines STRIDE: texts that define ("Pretending to be someone
        else", questions), a primer's heading, or every category once (``definition_run`` or more) where no
        heading names the threats, STRIDE or the threat model."""
        cats, pairs = [], []
        for e in run:
            m = _LEAD.match(e.text)
            cat = self.stride_of(m.group(1)) if m else None
            if cat is None or m is None:
                return False
            cats.append(cat)
            pairs.append((m.group(1), m.group(2)))
        if stride_definition_texts(pairs) or any(stride_primer_heading(e.section) for e in run):
            return True
        return len(cats) == len(set(cats)) >= self.definition_run and not self._stride_labelled(_LEAD.match(run[0].text))

    def _record(self, kind: str, text: str, e: _Entry, stride: str | None, labelled: bool = False) -> RowRecord:
        values: dict[str, str] = {}
        headers: dict[str, str] = {}
        m = _ID.match(text)
        if m:
            values["id"], text = m.group(1), m.group(2)
            headers["id"] = "list item"
        line = one_line(text).rstrip(".").strip()
        # "Threat: Command Injection. An attacker could …": titled by its first sentence, as Markdown titles it
        title = first_sentence(line) if labelled and kind == "threat" or len(line) > 100 else line
        values["title"] = title
        headers["title"] = "list item"
        if title != line:
            values["description"] = one_line(text)
        if kind == "threat" and stride:
            values["stride"] = stride.replace("_", " ")
            headers["stride"] = "heading"
        if kind == "threat" and e.asset:
            values["assets"], headers["assets"] = e.asset, "heading"
        extra = {"Category": e.category} if kind == "threat" and e.category else {}
        rec = RowRecord(kind=kind, file=self.b.file, locator=e.locator, values=values, headers=headers, extra=extra, view=e.view)
        self.b.records.append(rec)
        if kind == "threat":
            self.threats += 1
        else:
            self.controls_made += 1
        return rec

    # -- after the build: threats and the countermeasures written beside them

    def link(self, model: Model, item_of: dict[int, str]) -> None:
        """Give each threat the controls its section lists beside it (or those written under it)."""
        threats = {t.id: t for t in model.threats}
        paired = {id(t) for t, _c in self.own}
        for t_rec, c_rec in self.own:
            threat = threats.get(item_of.get(id(t_rec), ""))
            cid = item_of.get(id(c_rec))
            if threat is not None and cid and cid not in threat.controls:
                threat.controls.append(cid)
        for group in self.groups.values():
            led = HEADING_ID_LEAD.match(group.section) if group.controls and not group.threats else None
            threat = threats.get(led.group(1)) if led is not None else None
            if threat is not None:
                # "INF-001: Provider Outage" over "Design Controls:" and its bullets, INF-001 read elsewhere in the
                # file: the measures are that risk's, as in Markdown
                cids = [c for c in (item_of.get(id(r)) for r in group.controls) if c and c not in threat.controls]
                threat.controls.extend(cids)
                self.b.warn(
                    group.controls[0].locator,
                    f"{len(cids)} control(s) listed under the heading {group.section[:60]!r} read as the controls of {threat.id}",
                )
                continue
            loose = [t for t in group.threats if id(t) not in paired]
            if not loose or not group.controls:
                continue
            cids = [c for c in (item_of.get(id(r)) for r in group.controls) if c]
            for t_rec in loose:
                threat = threats.get(item_of.get(id(t_rec), ""))
                if threat is None:
                    continue
                for cid in cids:
                    if cid not in threat.controls:
                        threat.controls.append(cid)
                        threat.controls_grouped.append(cid)  # listed beside it, not paired with it
            self.b.warn(
                loose[0].locator,
                f"section {group.section!r}: its {len(loose)} threat(s) and {len(cids)} countermeasure(s) are linked "
                "as a group (the document lists them side by side without pairing them)",
            )


_FIELD = re.compile(r"^\s*\[?\s*([A-Za-z][A-Za-z0-9 /()&.-]{0,40}?)\s*:\s*(.*?)\s*\]?\s*$", re.S)
_BRACKET_FIELD = re.compile(r"\[\s*([A-Za-z][A-Za-z0-9 /&.-]{0,40}?)\s*:\s*([^\]]*)\]")
_NUMBERED = re.compile(r"^\s*(?:\d+[.)]|[-*•·▪◦‣])\s+")
_PLACEHOLDER = re.compile(r"^\s*<[^<>]*>\s*$")  # "<no mitigation provided>"


@dataclass
class _Block:
    title: str
    locator: str
    view: str | None
    values: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    lines: list[tuple[str, str]] = field(default_factory=list)  # (text, locator) taken in, to give back if no threat
    # Opened by a heading carrying a threat id ("Threat 1: Man-in-the-middle", "T-01 Spoofed server"): its
    # labelled paragraphs are the threat's fields, and the lines under a label alone ("Damage Scenario:")
    # belong to that label.
    headed: bool = False
    open_field: str | None = None  # the field (or "extra:Label") the next unlabelled lines add to
    extra: dict[str, str] = field(default_factory=dict)
    kind: str = "threat"  # or "control": "Mitigation ID 2 - Webhook fails closed" over its description
    # A heading with no id ("### Server data pollution"): a threat only if its first line is a threat's label
    # ("Concern", "Threat:", "Scenario"); until then tentative.
    tentative: bool = False
    level: int = 0
    asset: str = ""  # the asset an "Asset n: name" heading names, when the block opened under one
    # opened by "Description: …" under a heading naming no threat: a threat only with a field only threats have
    described: bool = False
    vectored: bool = False  # opened by "Vector: …" under a heading naming no threat: a threat only with its mitigation
    labelled: bool = False  # a line "Label: value" naming a field was read in the block
    bare_open: bool = False  # the open field was opened by its label alone: the lines below are its text
    # each "Label: text" line that gave the mitigation ("SMAOS Mitigation (Phase 1)", "Phase 2 Mitigation"): (label, text)
    control_parts: list[tuple[str, str]] = field(default_factory=list)
    hazard: bool = False  # opened by a risk's id ("Hazard H001: Software crashes"), as a hazard log writes one


@cache
def threats_words() -> frozenset[str]:
    """Words of a heading that names threats: the sections under it may each be one ("Threats Considered",
    "Identifizierte Bedrohungen"; ``threat_heading_words`` in markdown.yaml)."""
    from mdptm.importers.markdown.words import markdown_words

    return frozenset(norm_text(str(w)) for w in markdown_words()["threat_heading_words"])


def _rated_as_risk(label: str) -> bool:
    """Whether a label names the threat's risk or severity ("Risk Severity", "Risk Level", "Severity"), by the
    Markdown importer's words."""
    from mdptm.importers.markdown.words import markdown_words

    words = markdown_words()["labels"]
    return norm_text(label) in {norm_text(str(w)) for f in ("risk", "severity") for w in words.get(f, [])}


def names_measures(vocab: Vocabulary, headings: Iterable[str]) -> bool:
    """Whether a heading above names controls ("## Measures", "Maatregelen"): a heading below it that carries a
    threat's id is that threat's control, not more of the threat."""
    measures = vocab.kinds["control"].context
    return any(w.startswith(c) for h in headings for w in norm_text(h).split() for c in measures)


def heading_threat_id(text: str, kind: str = "threat") -> tuple[str, str] | None:
    """(id, title) of a Word heading that carries a threat's id: "Threat 1: title" ("T-1"), "Threat ID 3 -
    title", "[T-01] title", "T-01: title" (read as the Markdown importer reads its headings:
    :func:`mdptm.importers.markdown.words.heading_id`); with *kind* "control", a control's: "Mitigation ID 2 -
    title" ("M-2"), "SC-01: title". None otherwise, and for an id with no title."""
    from mdptm.importers.markdown.words import heading_id, markdown_words

    text = one_line(text)
    found = heading_id(text, kind, markdown_words())
    lead = RISK_LEAD.match(text) if kind == "threat" and found is None else None
    if lead is not None:
        # "Hazard H001: False Negative Results", "HAZ-001: Incorrect Applicator Tracking": that risk's id and title
        title = re.sub(r"^\s*[:：–—-]\s*", "", text[lead.end("id") :]).strip()
        found = (lead.group("id"), title) if title else None
    return found if found is not None and found[1] else None


# "T-3-04 (Admin suspends another admin): Mitigated by …": a threat's id, its title in brackets, what is said of it
_ID_LED = re.compile(r"^\s*(?P<id>[A-Za-z]{1,6}[-_.]?\d[\w.-]*)\s*\((?P<title>[^()]{2,150})\)\s*[:–—]\s*(?P<rest>\S.*)$", re.S)
# "Mitigated by RLS"; "Protection through authentication", "Schutz durch Authentifizierung" (German): what protects
# against the threat named before it
_MITIGATES = (
    r"(?:mitigated|addressed|countered|handled|protection|protected)\s+(?:by|through|via|with)"
    r"|(?:schutz|geschützt|abgewehrt)\s+durch"
)
_MITIGATED = re.compile(rf"^\s*(?:{_MITIGATES})\s+|^\s*mitigations?\s*:\s*", re.I)


def said_mitigation(text: str) -> str | None:
    """The measure a text names after saying it mitigates ("Mitigated by RLS", "Protection through
    authentication", "Schutz durch Authentifizierung"): None when it says no such thing."""
    said = _MITIGATED.match(text)
    rest = text[said.end() :].strip().rstrip(".") if said is not None else ""
    return rest or None


# "Patient Data Exposure: Mitigated by RLS + access controls", "Data Breach: Partial mitigation (encryption at rest
# needed)": a risk named by a short term, what mitigates it after the colon
_TERM_MITIGATED = re.compile(
    rf"^\s*(?P<term>[^:()\n]{{2,60}}?)\s*:\s*(?P<rest>(?:{_MITIGATES})\s+\S.*"
    r"|(?P<partial>partial(?:ly)?\s+mitigat\w*|mitigated\s+partially)\b.*)$",
    re.I | re.S,
)


def _term_mitigated(text: str, words: set[str], file: str, locator: str, view: str | None) -> RowRecord | None:
    """A list item "Patient Data Exposure: Mitigated by RLS + access controls" under a heading about threats or
    risks ("HIPAA Violation Risks"): that risk, titled by its term, the words after "Mitigated by" its mitigation; "…:
    Partial mitigation (…)" a risk partly mitigated, the text its mitigation as written. A term that is a field's
    label ("Status: Mitigated by design") is no risk. None otherwise."""
    from mdptm.importers.markdown.words import markdown_words

    if not words & (threats_words() | {"threat", "risk"}):
        return None
    m = _TERM_MITIGATED.match(one_line(text))
    if m is None or len(m.group("term").split()) > 8:
        return None
    labels = {norm_text(str(w)) for ws in markdown_words()["labels"].values() for w in ws}
    if norm_text(m.group("term")) in labels:
        return None
    rest = m.group("rest").strip()
    said = _MITIGATED.match(rest)
    how = rest[said.end() :] if said is not None and not m.group("partial") else rest
    values = {"title": one_line(m.group("term")), "controls": how.strip().rstrip(".")}
    headers = {"title": "list item", "controls": "mitigated by"}
    if m.group("partial"):
        values["status"], headers["status"] = "partially mitigated", "list item"
    return RowRecord(kind="threat", file=file, locator=locator, values=values, headers=headers, extra={}, view=view)


def id_led_threat(text: str, heading: str, file: str, locator: str, view: str | None = None) -> RowRecord | None:
    """A list item led by a threat's id and its title in brackets, under a heading about threats ("Threat Model
    Mitigations": "T-3-04 (Admin suspends another admin): Mitigated by checking the role …"): that threat, the
    words after it its mitigation when they say so ("Mitigated by …"), else its description. Or a risk named by a
    term and mitigated (:func:`_term_mitigated`). None otherwise."""
    words = set(norm_text(heading).split())
    m = _ID_LED.match(one_line(text)) if words & {"threat", "threats"} else None
    if m is None or heading_threat_id(f"{m.group('id')} {m.group('title')}") is None:
        return _term_mitigated(text, words, file, locator, view) if m is None else None
    values = {"id": m.group("id"), "title": one_line(m.group("title"))}
    rest = m.group("rest").strip()
    said = _MITIGATED.match(rest)
    if said is not None:
        values["controls"] = rest[said.end() :].strip().rstrip(".")
    else:
        values["description"] = rest
    headers = {"id": "list item", "title": "list item", **({"controls": "mitigated by"} if said else {"description": "list item"})}
    return RowRecord(kind="threat", file=file, locator=locator, values=values, headers=headers, extra={}, view=view)


# The first line of a finding block: "THREAT-1  (T5 — the finding …)", "FINDING 3", "F-07 (…)".
_FINDING_ID = re.compile(r"^([A-Z][A-Za-z]*[-_ ]?\d+(?:\.\d+)*)\b(?!:\s*\S+:)\s*(.*)$")
_DOT_FIELDS = re.compile(r"\s+·\s+(?=[^\W\d_][\w ]{0,30}:\s)")
# What follows it, citing the threat it restates: "(T5 — the finding that orbits everything)"
CITED_THREAT = re.compile(r"^\(\s*([A-Z][A-Za-z]{0,5}-?\d+(?:\.\d+)*)\s*[—–:-]\s*[^()]*\)\s*$")
# "Mitigation state: ABSENT", "Control status: …": whether the finding's mitigation is in place
MEASURE_STATE = re.compile(r"(?:mitigation|control|fix|remediation) (?:state|status)")


def finding_lines(text: str, label_of: Callable[[str], str | None]) -> tuple[str, str, list[tuple[str, str, str]]] | None:
    """(id, what follows it, [(field, label as written, text)]) for a finding written as a block of plain
    "Label: value" lines under a line opening with an id ("THREAT-1  (T5 — clock trust)" over "Asset: …",
    "Threat: …", "Mitigation: …"): at least three labelled lines, one of them the threat's text (the field
    *label_of* gives "description"). A line that opens no label continues the one above. None otherwise."""
    # "Owner: backend · Trạng thái: open": fields written on one line, apart by a middle dot
    lines = [part.strip() for ln in text.split("\n") for part in _DOT_FIELDS.split(ln) if part.strip()]
    head = _FINDING_ID.match(lines[0]) if lines else None
    if head is None or len(lines) < 4:
        return None
    out: list[tuple[str, str, str]] = []
    for line in lines[1:]:
        label, sep, tail = line.partition(":")
        if sep and 0 < len(label.split()) <= 4 and label[:1].isupper() and (not tail or tail[:1].isspace()):
            out.append((label_of(label.strip()) or "extra:" + label.strip(), label.strip(), tail.strip()))
        elif out:
            name, said, value = out[-1]
            out[-1] = (name, said, f"{value} {line}".strip())
        else:
            return None
    if len(out) < 3 or not any(f == "description" for f, _s, _t in out):
        return None
    return head.group(1), head.group(2).strip(), out


def finding_record(text: str, file: str, locator: str, vocab: Vocabulary, warn: Callable[[str, str], None]) -> list[RowRecord]:
    """A finding block (:func:`finding_lines`) as a threat record, with a planned control when its mitigation state
    says the fix is not in place; [] for any other text. Word's reading of what Markdown reads in
    :meth:`~mdptm.importers.markdown.reader.BlockReader.finding_block`."""
    from mdptm.importers.markdown.words import markdown_words
    from mdptm.importers.tabular.vocab import parse_choice
    from mdptm.model.evidence import accepts_risk

    labels = {norm_text(str(w)): str(f) for f, ws in markdown_words()["labels"].items() for w in ws}
    got = finding_lines(text, lambda label: labels.get(norm_text(label)))
    if got is None:
        return []
    fid, note, lines = got
    fields: dict[str, str] = {}
    written: dict[str, str] = {}
    for fname, said, value in lines:
        fields[fname] = f"{fields[fname]}\n{value}" if fname in fields else value
        written.setdefault(fname, said)
    cited = CITED_THREAT.match(note)
    tid = cited.group(1) if cited is not None else fid
    extra = {k[6:]: v for k, v in fields.items() if k.startswith("extra:")}
    extra["Finding"] = f"{fid} {note}".strip()
    description = fields["description"]
    for fname, said_as in (("vector", "Attack vector"), ("impact", "Impact")):
        if fields.get(fname):
            description += f"\n\n{said_as}: {fields[fname]}"
    values = {"id": tid, "title": first_sentence(fields["description"]), "description": description}
    for fname in ("assets", "targets", "status", "risk", "residual_risk", "stride"):
        if fields.get(fname):
            values[fname] = fields[fname]
    records: list[RowRecord] = []
    mitigation = fields.get("mitigation", "")
    if cited is not None:
        warn(locator, f"finding {fid} cites {tid} on its first line ({note[:60]!r}): read as {tid}, joined with it")
        if mitigation:
            extra[f"{written['mitigation']} ({fid})"] = mitigation  # it restates the cited threat's: no second control
    elif mitigation and accepts_risk(mitigation):
        # "Giảm nhẹ: chấp nhận rủi ro — …", "Mitigation: risk accepted — …": why the risk is accepted, no control
        values["rationale"] = mitigation
        warn(locator, f"{tid}: the {written['mitigation']!r} text argues that the risk is acceptable: kept as the rationale")
    elif mitigation:
        values["controls"] = first_sentence(mitigation)
        state = next((f for f in fields if MEASURE_STATE.fullmatch(norm_text(f.removeprefix("extra:")))), None)
        said_state = parse_choice(vocab, "control_status", fields[state]).value if state else None
        control = {"title": first_sentence(mitigation), "description": mitigation}
        heads = {"title": written["mitigation"], "description": written["mitigation"]}
        if state and said_state in ("not_implemented", "planned"):
            # "Mitigation state: ABSENT" beside "Fix: Expand SECURITY.md": the fix is to be done, not in place
            control["status"], heads["status"] = "planned", state.removeprefix("extra:")
        records.append(RowRecord(kind="control", file=file, locator=locator, values=control, headers=heads, extra={}))
    headers = {k: written.get(k, k) for k in values}
    records.insert(0, RowRecord(kind="threat", file=file, locator=locator, values=values, headers=headers, extra=extra))
    return records


def _bare_labels() -> dict[str, dict[str, str]]:
    """Labels written alone on a line of their own ("Scenario", "Impact", "Mitigation", "Mitigated Threats"):
    the Markdown importer's labels (``markdown.yaml``), as the fields of a threat or a control."""
    from mdptm.importers.markdown.words import markdown_words

    to_threat = {"description": "description", "mitigation": "controls", "likelihood": "risk.likelihood", "stride": "stride",
                 "targets": "targets", "assets": "assets", "residual_risk": "residual_risk", "status": "status",
                 "risk": "risk", "severity": "risk.severity"}  # fmt: skip
    to_control = {"description": "description", "threats": "threats", "status": "status"}
    out: dict[str, dict[str, str]] = {"threat": {}, "control": {}}
    for key, labels in markdown_words()["labels"].items():
        for label in labels:
            word = norm_text(str(label))
            out["threat"][word] = to_threat.get(key, "extra:")
            if key in to_control:
                out["control"][word] = to_control[key]
    return out


class FieldBlocks:
    """Threats written as a title line followed by "Key: value" lines, as the Threat Modeling Tool's report
    prints them ("1. Elevation Using Impersonation", "[State: Not Started]", "Category: Tampering",
    "Description: ...", "Justification: ...") and as forms in Word documents do.

    A block opens only on a category or status line right after a short title line, and is a threat
    only when it names a category (STRIDE or another, "Patient Safety") and says one thing more; lines
    of a block that is no threat are given back (``replay``) to be read as they would have been.
    """

    START = ("stride", "status", "id")

    def __init__(self, builder: SourceBuilder, vocab: Vocabulary):
        self.b = builder
        self.vocab = vocab
        self.candidate: tuple[str, str, dict[str, tuple[str, str]]] | None = None  # title, locator, inline fields
        self.block: _Block | None = None
        self.replay: list[tuple[str, str]] = []
        self.made = 0
        self._bare = _bare_labels()
        from mdptm.importers.markdown.words import markdown_words

        words = markdown_words()
        self._strong = {norm_text(str(w)) for w in words["labels"]["description"]} - {
            "description", "details", "problem", "issue", "title", "summary"}  # fmt: skip
        self._vectors = {norm_text(str(w)) for w in words["labels"]["vector"]}
        # "Additional considerations", "References", "Glossary": sections whose concerns are no threats
        self._asides = [re.compile(p, re.I) for pats in words["skip_sections"].values() for p in pats]
        self.parents: list[_Block] = []  # blocks of headings with no id whose sub-headings decide them
        self._list_headings = [re.compile(p, re.I) for p in vocab.sections.get("threat_lists", {}).get("headings", [])]
        self.heading_ids: dict[str, tuple[str, str]] = {}  # an id from a heading -> (the id it became, its title)
        self.outline: list[tuple[int, str]] = []  # the headings above the current line: (level, text)
        # Under a heading that names threats ("Threats Considered"), a heading with no id over prose: (title,
        # locator, level, the prose). A threat if a "Mitigation: …" line follows the prose, as in Markdown; the
        # prose is read as any paragraph meanwhile.
        self.lead: tuple[str, str, int, list[str]] | None = None

    def _field(self, key: str, kind: str = "threat") -> str | None:
        if len(key) > 40 or not key.strip():
            return None
        hit = match_header(self.vocab, kind, key)
        if hit is not None and hit.exact:
            return hit.field
        # "Mitigations Required: …", "Initial Risk Level: …": a label the Markdown importer reads as that field
        from mdptm.importers.tabular.vocab import mitigation_status

        bare = self._bare[kind].get(norm_text(key)) if kind in self._bare else None
        if bare is None and kind in self._bare:
            from mdptm.importers.markdown.words import qualified_label

            bare = qualified_label(key, self._bare[kind].get, "controls")
            if bare == "controls":
                return bare  # "SMAOS Mitigation (Phase 1)", "Phase 2 Mitigation": a mitigation named after a product or phase
        if bare == "controls":
            # only a label that says whether they are in place ("Safeguards: 4/5 (Strong)" rates the safeguards)
            return bare if mitigation_status(self.vocab, key) is not None else None
        return bare if bare in ("risk", "residual_risk") else None

    def is_label(self, text: str) -> bool:
        """Whether *text* names a field of a threat ("Mitigation", "Residual"): a bold lead closed by a full stop
        ("**Mitigation.** Pinned dependencies") is that field's label, as the Markdown importer reads it."""
        return self._field(text) is not None

    def line(self, text: str, locator: str, view: str | None) -> bool:
        """A paragraph or list item; True when it belongs to a block of threat fields."""
        t = _NUMBERED.sub("", one_line(text)) if "\n" not in text.strip() else text.strip()
        m = _FIELD.match(t) if len(t) <= 4000 else None
        fname = self._field(m.group(1)) if m else None
        if self.block is not None and self.block.tentative:
            if self._opens_threat(t, self.block.title):
                self.block.tentative = False
                self._drop_parents(self.block.level)
            elif self._describes(t):
                # "Description: …" under a heading that names no threat: a threat only if a field only threats
                # have follows ("Mitigations: …", "Risk Assessment: …"), as in Markdown; else read as before
                self.block.tentative = False
                self.block.described = True
            elif m is not None and self._vector(m.group(1)):
                # "Vector: A rogue poll admin mints tokens" first under "5.4.1 Token inflation": how an attack is
                # carried out; a threat only if its mitigation follows, as in Markdown ("is_threat_block")
                self.block.tentative = False
                self.block.vectored = True
            elif (
                m is not None and fname in ("risk", "risk.level") and len(m.group(2).split()) >= 3 and self._under_threats(self.block.level)
            ):
                # "Risk: High value target (medical records)" first under "3.2 Medical Identity Theft" (under
                # "Healthcare-Specific Threats"): the risk's sentence describes a threat if a field only threats have
                # follows ("Mitigation: …"), as in Markdown; else its lines are read as before
                self.block.tentative = False
                self.block.described = True
                self._add(self.block, "description", m.group(1), m.group(2).strip())
                self.block.headers["description"] = m.group(1)
                self.block.lines.append((text, locator))
                return True
            elif m is None and self._under_threats(self.block.level) and self._mitigated_prose(text):
                # "Attackers may submit fake telemetry." and "Mitigation: Per-device HMAC" as lines of one paragraph
                self.block.tentative = False
                self._drop_parents(self.block.level)
            else:
                if m is None and self._under_threats(self.block.level):
                    self.lead = (self.block.title, self.block.locator, self.block.level, [])
                self.block = None  # a heading over prose: read as any paragraph is
        if self.block is None and self.lead is not None:
            if m is None:
                self.lead[3].append(t)
            elif fname == "controls" and self.lead[3]:
                # "### Spoofed Devices" / "Attackers may submit fake telemetry." / "Mitigation: Per-device HMAC"
                title, where, level, prose = self.lead
                self.lead = None
                self.block = _Block(title, where, view, headed=True, level=level)
                self._add(self.block, "description", "text under the heading", "\n".join(prose))
                self._add(self.block, "controls", m.group(1), m.group(2).strip())
                self.block.open_field = "controls"
                self.block.lines.append((text, locator))
                return True
            else:
                self.lead = None
        if self.block is not None and self.block.headed:
            block = self.block
            block.lines.append((text, locator))
            for one in [x for x in text.split("\n") if x.strip()] if "\n" in text.strip() else [text]:
                # "Severity: S4 (High)", "Likelihood: L3" on lines of one paragraph: a field each
                lt = _NUMBERED.sub("", one_line(one))
                lm = _FIELD.match(lt) if len(lt) <= 4000 else None
                self._headed_line(block, one, lm, self._field(lm.group(1), block.kind) if lm else None)
            return True
        if m is not None and fname is not None:
            value = m.group(2).strip()
            if self.block is not None and fname not in self.block.values:
                self._add(self.block, fname, m.group(1), value)
                self.block.lines.append((text, locator))
                return True
            if self.block is not None:
                self.close()
            if fname in self.START and self.candidate is not None:
                title, loc, inline = self.candidate
                self.block = _Block(title, loc, view)
                for f, (header, v) in inline.items():
                    self._add(self.block, f, header, v)
                if fname not in self.block.values:
                    self._add(self.block, fname, m.group(1), value)
                self.block.lines.append((text, locator))
                self.candidate = None
                return True
            self.candidate = None
            return False
        self.close()
        self._candidate(text, locator)
        return False

    def _candidate(self, text: str, locator: str) -> None:
        t = one_line(text)
        inline: dict[str, tuple[str, str]] = {}
        for m in _BRACKET_FIELD.finditer(t):
            f = self._field(m.group(1))
            if f is not None:
                inline[f] = (m.group(1), m.group(2).strip())
        title = _NUMBERED.sub("", _BRACKET_FIELD.sub(" ", t)).strip()
        if not title or len(title) > 150 or title.endswith((":", ".")) and len(title.split()) > 12:
            self.candidate = None
            return
        self.candidate = (title, locator, inline)

    def _add(self, block: _Block, fname: str, header: str, value: str) -> None:
        if not value or _PLACEHOLDER.match(value):
            return
        block.values[fname] = value
        block.headers[fname] = header

    def _mitigated_prose(self, text: str) -> bool:
        """Lines of prose, then a line that opens the mitigation ("Mitigation: …")."""
        lines = [ln for ln in text.split("\n") if ln.strip()]
        for n, ln in enumerate(lines):
            lm = _FIELD.match(_NUMBERED.sub("", one_line(ln)))
            if lm is not None:
                return n > 0 and self._field(lm.group(1)) == "controls"
        return False

    def _restates_threat(self, iid: str, title: str, level: int | None) -> bool:
        """Whether a heading whose id has a control's prefix ("C1 — Secret Leak") says more of the threat read
        before from a table under that id: not when the id is also a control's, the title names mitigations or a
        heading above names controls (as the Markdown reader decides)."""
        if self._bare["threat"].get(norm_text(title)) == "controls":
            return False
        above = [t for lv, t in self.outline if level is None or lv < level]
        return self._read_threat(iid) and not names_measures(self.vocab, above)

    def _read_threat(self, iid: str) -> bool:
        """Whether *iid* is the id of a threat read before (from a table) and of nothing else: a heading with that
        id over measures ("T-01 — Secret leak" over "Preventive: …") says more of that threat, no hazard."""
        return bool(iid) and {r.kind for r in self.b.records if one_line(r.values.get("id", "")) == iid} == {"threat"}

    def _under_threats(self, level: int) -> bool:
        """Whether the heading just above *level* names threats ("Threats Considered", "Attacks"; not "Threat
        Model", whose sections are of every kind)."""
        above = [t for lv, t in self.outline if lv < level]
        words = set(norm_text(above[-1]).split()) if above else set()
        return bool(words & threats_words()) and not words & {"model", "modeling", "modelling"}

    def _opens_threat(self, line: str, heading: str) -> bool:
        """A first line under a heading with no id that makes the section a threat: a threat's label alone
        ("Concern", "Scenario") or opening a field ("Threat: …", "Attack scenario: …"); "Description: …" too
        under a heading that names a threat ("Scenario 1: Ransomware attack", "Abuse case: …")."""
        bare = norm_text(one_line(line).strip(" *_:"))
        head = norm_text(line.partition(":")[0]) if ":" in line[:40] else ""
        if bare in self._strong or head in self._strong:
            return True
        named = set(norm_text(heading).split()) & {"scenario", "attack", "threat", "abuse", "misuse", "risk", "hazard"}
        return bool(named) and self._describes(line)

    def _vector(self, label: str) -> bool:
        """A label of the attack vector ("Vector", "Attack vector"; ``vector`` in markdown.yaml)."""
        return norm_text(label) in self._vectors

    @staticmethod
    def _describes(line: str) -> bool:
        """ "Description: …" or "Details: …" (or the label alone): a block's description."""
        bare = norm_text(one_line(line).strip(" *_:"))
        head = norm_text(line.partition(":")[0]) if ":" in line[:40] else ""
        return bare in ("description", "details") or head in ("description", "details")

    def _drop_parents(self, level: int) -> None:
        """A threat under a heading whose own section also read as one ("## Disruption" with a concern,
        over "### RPI spoofing"): the outer concern introduces the threats below it and is none itself."""
        while self.parents and self.parents[-1].level < level:
            parent = self.parents.pop()
            why = f"concern under {parent.title!r} introduces the threats below it; not a threat"
            self.b.report.skipped(self.b.file, parent.locator, why)

    def _flush_parents(self, level: int | None) -> None:
        while self.parents and (level is None or self.parents[-1].level >= level):
            self.block = self.parents.pop()
            self.close()

    def heading(self, text: str, locator: str, view: str | None = None, level: int | None = None) -> None:
        """A heading ends a block and may title the next ("T-01 Spoofed cloud server"); a heading that carries
        a threat's id ("Threat 1: Man-in-the-middle") opens a block of its own, and so does a heading with no
        id whose first line is a threat's label (a tentative block until that line comes)."""
        block = self.block
        no_id = block is not None and block.headed and not block.tentative and not block.values.get("id")
        if block is not None and no_id and level is not None and level > block.level:
            self.parents.append(block)  # decided when its sub-headings are read
            self.block = None
        self.close()
        self._flush_parents(level)
        self.lead = None
        if level is not None:
            self.outline = [(lv, t) for lv, t in self.outline if lv < level] + [(level, text)]
        for kind in ("threat", "control"):
            got = heading_threat_id(text, kind)
            if got is None:
                continue
            self.candidate = None
            iid, title = got
            if kind == "control" and self._restates_threat(iid, title, level):
                kind = "threat"  # "C1 — Secret Leak" under the table of threats C1…C8: more of threat C1
            if kind == "threat" and self._bare["threat"].get(norm_text(title)) == "controls":
                # "Threat-01-S Recommended mitigations": the mitigations of the threat of that id, not a threat
                self.block = _Block("", locator, view, headed=True, kind=kind, open_field="controls")
                self.block.values["id"] = self.heading_ids.get(iid, (iid, ""))[0]
                self.block.headers["id"] = "heading"
                self.block.headers["controls"] = title
                return
            first = self.heading_ids.get(iid)
            if first is not None and norm_text(first[1]) != norm_text(title):
                # "Threat ID 4" written again over another threat: that one is "T-4-2"
                n = 2
                while f"{iid}-{n}" in self.heading_ids:
                    n += 1
                self.b.warn(locator, f"{kind} id {iid} is used again for another {kind} ({title!r}); this one is {iid}-{n}")
                iid = f"{iid}-{n}"
            self.heading_ids.setdefault(iid, (iid, title))
            self.block = _Block(title, locator, view, headed=True, kind=kind, level=level or 0)
            self.block.values["id"] = iid
            self.block.headers["id"] = "heading"
            self.block.hazard = kind == "threat" and RISK_LEAD.match(text) is not None
            if kind == "threat":
                self._drop_parents(level or 0)
            return
        worded = self._worded_heading(text)
        if worded is not None:
            # "Threat: Unauthorized Network Access" over its "Likelihood: …" / "Mitigations: …" lines: that threat,
            # titled by the words after the label, with no id (as the Markdown importer reads the heading)
            self.candidate = None
            self.block = _Block(worded[1], locator, view, headed=True, kind=worded[0], level=level or 0)
            if worded[0] == "threat":
                self._drop_parents(level or 0)
            return
        self._candidate(text, locator)
        title = one_line(text)
        plain = _NUMBERED.sub("", re.sub(r"^\s*\d+(?:\.\d+)*\s+", "", title))
        if (
            level is not None
            and title
            and not any(rx.search(norm_text(title)) for rx in self._asides)
            and stride_default(self.vocab, plain) is None  # "Spoofing" over its threats: the lists' reader's
            and not any(rx.search(plain) for rx in self._list_headings)  # "Identified threats" too
        ):
            self.block = _Block(title, locator, view, headed=True, tentative=True, level=level)
            named = heading_threat_id(title, "asset")
            if named is not None:
                self.block.asset = named[1]  # "Asset 1: Image repository": its threat is about that asset, titled by its text

    @staticmethod
    def _labelled_description(block: _Block, values: dict[str, str]) -> None:
        """A description made only of two or more "Label: value" lines ("Target then / now: P3 / P7",
        "Narrative still valid: no. …"; "Targets: T1 full", "Upholds: A4"): fields of their own, kept in extra under
        their labels, as Markdown keeps "**Targets:**" — never one description of label lines."""
        lines = [ln for ln in values.get("description", "").split("\n") if ln.strip()]
        found = [_LABEL_LINE.match(ln) for ln in lines]
        if len(lines) < 2 or not all(found):
            return
        for m in found:
            assert m is not None
            label = m.group(1).strip()
            block.extra[label] = f"{block.extra[label]}\n{m.group(2).strip()}" if label in block.extra else m.group(2).strip()
        del values["description"]
        block.headers.pop("description", None)

    def _worded_heading(self, text: str) -> tuple[str, str] | None:
        """("threat", title) for a heading "Threat: title" (a threat's word, a colon or a dash, the title; no id),
        ("control", title) for "Mitigation: title"; None otherwise."""
        from mdptm.importers.markdown.words import markdown_words

        w = _WORDED.match(one_line(text))
        if w is None:
            return None
        for kind in ("threat", "control"):
            if norm_text(w.group("word")) in {norm_text(str(x)) for x in markdown_words()[f"{kind}_words"]}:
                return kind, one_line(w.group("rest"))
        return None

    def _headed_line(self, block: _Block, text: str, m: re.Match[str] | None, fname: str | None) -> None:
        """One line under a threat's heading: a labelled field ("Asset: V2G channel"), a label alone whose
        lines follow ("Mitigations Implemented:"), or more text of the open field (the description when no
        label came yet)."""
        label = m.group(1).strip() if m is not None else ""
        value = m.group(2).strip() if m is not None else ""
        bare = one_line(text).strip(" *_")
        if (
            fname == "sensitivity"
            and block.open_field is not None
            and block.bare_open
            and parse_choice(self.vocab, "sensitivity", label).ok
        ):
            # "Public: 100 req/min per IP" under "Mitigations:" (a rate limit for public callers): a line of that
            # list, no marking of the threat; "Classification: Confidential" names the field and stays one
            fname = None
        if m is None and 0 < len(bare.split()) <= 3 and not bare.endswith((".", ",", ";")):
            # "Scenario", "Impact", "Mitigation" alone on a line: a label whose lines follow
            said = self._bare.get(block.kind, {}).get(norm_text(bare))
            if said is not None:
                block.open_field = said if said != "extra:" else "extra:" + bare
                block.bare_open = True
                return
        # "Detection: …", "Recovery Path(s): …" after "Description: …" / "Mitigations: …" lines: a field of its own
        # (kept in extra, as Markdown keeps "**Detection:**"), never more text of the field above it
        # ("Mitigation:" alone over "1. RLS policy on profiles: …" items: those lines are the mitigation's own)
        own = bool(value) and block.labelled and not block.bare_open and label[:1].isupper() and len(label) <= 40
        if m is not None and "\n" not in label and len(label.split()) <= 4 and (fname is not None or not value or own):
            block.labelled = block.labelled or fname is not None
            block.bare_open = not value
            if fname == "title" or (block.kind == "threat" and fname == "id"):
                fname = "description" if fname == "title" else fname  # the heading titles it: "Scenario:" describes
            key = fname or "extra:" + label
            block.open_field = key if not value else None
            if fname is not None:
                block.headers.setdefault(fname, label)
            if value:
                self._append(block, key, value)
                block.open_field = key if fname in ("description", "controls") else None
                if fname == "controls":
                    block.control_parts.append((label, value))
            return
        key = block.open_field or "description"
        line = clean_text(text)
        if key in ("risk", "risk.severity", "risk.likelihood", "residual_risk") and len(line.split()) > 6:
            key = "extra:" + {"risk.severity": "Impact", "risk.likelihood": "Likelihood"}.get(key, key)  # prose, no level
        elif key == "controls":
            ref = heading_threat_id(_NUMBERED.sub("", line), "control")
            line = ref[0] if ref is not None else line  # "Mitigation ID 2 - Webhook fails closed" names M-2
        self._append(block, key, line)

    @staticmethod
    def _append(block: _Block, key: str, value: str) -> None:
        if not value or _PLACEHOLDER.match(value):
            return
        if key.startswith("extra:"):
            name = key[6:]
            block.extra[name] = f"{block.extra[name]}\n{value}" if name in block.extra else value
            return
        block.values[key] = f"{block.values[key]}\n{value}" if key in block.values else value
        block.headers.setdefault(key, key)

    def _phased_controls(self, block: _Block, values: dict[str, str]) -> None:
        """A threat's mitigations under labels of phases ("SMAOS Mitigation (Phase 1)", "Phase 2 Mitigation"): a
        control each, linked to the threat by its id, a later phase's planned (as in Markdown). Left whole when lines
        were added under a label (no clean split) or the threat has no id to link by."""
        from mdptm.importers.markdown.words import label_phases

        phased = label_phases(block.control_parts) if block.kind == "threat" else None
        tid = values.get("id", "")
        if not phased or not tid or values.get("controls") != "\n".join(text for _l, text in block.control_parts):
            return
        values.pop("controls", None)
        for label, text, status in phased:
            heads = {"title": label, "description": label, "threats": "heading"}
            ctl = {"title": first_sentence(text).rstrip("."), "description": text, "threats": tid}
            if status:
                ctl["status"], heads["status"] = status, label
                self.b.warn(block.locator, f"{tid}: the mitigation under {label!r}, a later phase than the first, read as planned")
            rec = RowRecord(kind="control", file=self.b.file, locator=block.locator, values=ctl, headers=heads, extra={})
            rec.view = block.view
            self.b.records.append(rec)

    def boundary(self) -> None:
        self.close()
        self.candidate = None

    def finish(self) -> None:
        """The end of the document: blocks still waiting on their sub-headings are threats."""
        self.close()
        self._flush_parents(None)

    def close(self) -> None:
        block, self.block = self.block, None
        if block is None:
            return
        v = block.values
        if block.headed:
            # A heading with a threat's id over at least one field of the threat: that threat. A heading alone
            # (its threat defined in a table below) gives its lines back.
            if block.described and not set(v) & _THREAT_ONLY or block.vectored and "controls" not in v:
                self.replay.extend(block.lines)  # "Description: …" of a component or a tool: no threat
            elif (
                block.hazard
                and "controls" in v
                and "description" not in v
                and not self._under_threats(block.level)
                and not self._read_threat(v.get("id", ""))
            ):
                # "Hazard H001: Software crashes" under "Hazard Category 1: Software Malfunction", its ratings and risk
                # control measures, no threat text: a safety hazard of the risk file, as Markdown reads it
                above = [t for lv, t in self.outline if lv < block.level]
                parent = above[-1] if above else ""
                self.b.report.skipped(
                    self.b.file,
                    block.locator,
                    f"{block.values.get('id', '')}: {block.title[:60]!r} under {parent[:60]!r}: a hazard with its risk "
                    "controls, under no heading that names threats (a safety hazard, not a security threat); not read as a threat",
                )
            elif set(v) - {"id"} or (block.kind == "control" and block.extra):
                values = dict(v)
                self._labelled_description(block, values)
                if block.vectored and values.get("description"):
                    values["description"] = f"Attack vector: {values['description']}"  # as Markdown adds the vector
                if block.asset and values.get("description"):
                    # under "Asset 1: Image repository" the heading names the asset, the threat's text titles it
                    values.setdefault("title", first_sentence(values["description"]).rstrip("."))
                    values.setdefault("assets", block.asset)
                    block.headers.setdefault("assets", "heading")
                if block.title and block.kind == "threat" and "id" not in values and block.tentative is False:
                    from mdptm.importers.markdown.words import written_id

                    written = written_id(block.title)  # "RISK-IOT-001: Bluetooth …" over its fields: id and title
                    if written is not None:
                        values["id"], block.title = written[0], one_line(written[1])
                        block.headers["id"] = "heading"
                if block.title:
                    values.setdefault("title", block.title)
                self._phased_controls(block, values)
                targets = next((t for k, t in block.extra.items() if norm_text(k) in ("targets", "target")), "")
                if block.kind == "control" and "threats" not in values and THREAT_REFS.match(targets):
                    # "Targets: T1 full" under a control's heading: the threats it targets, by their ids (as Markdown)
                    values["threats"] = ", ".join(dict.fromkeys(THREAT_REFS.findall(targets)))
                    block.headers["threats"] = "Targets"
                headers = {"title": "heading", **block.headers}
                rec = RowRecord(kind=block.kind, file=self.b.file, locator=block.locator, values=values, headers=headers, extra={})
                rec.extra.update(block.extra)
                rec.view = block.view
                self.b.records.append(rec)
                self.made += 1
            else:
                self.replay.extend(block.lines)
            return
        # A category that is no STRIDE one ("Patient Safety") counts beside a field only threats have, so that a
        # control written as a form ("Category: Authentication", "Description: ...") is never taken for a threat.
        stride_ok = "stride" in v and bool(parse_stride(self.vocab, v["stride"]).value)
        threat_only = any(
            f in v
            for f in ("risk", "risk.likelihood", "risk.severity", "rationale", "controls", "targets", "patient_harm", "residual_risk")
        )
        if "stride" in v and len(v) >= 2 and (stride_ok or threat_only):
            values = dict(v)
            values.setdefault("title", block.title)
            headers = {"title": "title line", **block.headers}
            self.b.records.append(
                RowRecord(kind="threat", file=self.b.file, locator=block.locator, values=values, headers=headers, extra={}, view=block.view)
            )
            self.made += 1
            return
        self.replay.extend(block.lines)


__all__ = ["THREAT_REFS", "FieldBlocks", "ListThreats", "id_led_threat"]
