"""One Markdown file's reading state and the word-level helpers that the walk, the lists and the tables share."""

from __future__ import annotations

import re

from mdptm.importers.markdown.document import (
    Code,
    Inline,
    ListItem,
    MdTable,
)
from mdptm.importers.markdown.fields import _Ctx, _Fields, _Pending
from mdptm.importers.markdown.words import _CHECK_BOX, _LABEL_END, _PREFIX_ID, heading_id, label_phases, markdown_words, qualified_label
from mdptm.importers.tabular.lists import ListThreats, threats_words
from mdptm.importers.tabular.markings import marker_table, withheld_marking
from mdptm.importers.tabular.records import SourceBuilder
from mdptm.importers.tabular.tables import RowRecord, stride_default
from mdptm.importers.tabular.vocab import (
    Vocabulary,
    is_empty,
    mitigation_status,
    norm_text,
    one_line,
    parse_risk,
)
from mdptm.model import View

# A mitigation line led by a control's id: "- **[SC-01]** FIPS 140-2 HSM", "* SC-2: rotation", "- (M-3) MFA".
_ID_LED = re.compile(
    r"^[-*+]?\s*(?:\*\*|__)?\s*(?:\[\s*(?P<boxed>[A-Z]{1,6}-\d+(?:\.\d+)*)\s*\]|\(\s*(?P<round>[A-Z]{1,6}-\d+(?:\.\d+)*)\s*\)"
    r"|(?P<pre>[A-Z]{1,6})-(?P<num>\d+(?:\.\d+)*)\b)\s*(?:\*\*|__)?\s*[:：\-–—]?\s*(?P<text>.*)$"
)
# Where a level written first ends: "Critical – patients get wrong doses", "High (3)", "Low: rare".
# "### A. Auth Bypass", "### B) Privilege escalation": a heading lettered as in an outline ("A.1" is numbering).
_LETTER_NUMBER = re.compile(r"^\s*[A-Z][.)]\s+(?=\S)")
# Fields whose value is one word or level ("Information Disclosure", "High"): a further labelled line is no more of it.
_ONE_VALUE = frozenset({"stride", "status", "risk", "severity", "likelihood", "residual_risk"})
# "3/5", "4 / 5": a rating on a scale whose top is written after the slash
_OF_SCALE = re.compile(r"^\d+(?:\.\d+)?\s*/\s*\d+$")
_LEVEL_HEAD = re.compile(r"\s+[–—-]\s+|\s*[(:;,.]\s*|\s+/\s+")


class _ReaderState:
    """What the reading of one file keeps, and how it reads a label, an id or a location."""

    def __init__(self, builder: SourceBuilder, vocab: Vocabulary):
        self.b = builder
        self.vocab = vocab
        self.words = markdown_words()
        self.file = builder.file
        self.labels: dict[str, str] = {}
        for fname, words in self.words["labels"].items():
            for w in words:
                self.labels.setdefault(norm_text(str(w)), str(fname))
        self.skip_rx = {k: [re.compile(p, re.I) for p in v] for k, v in self.words["skip_sections"].items()}
        secs = vocab.sections
        self.view_rx = {k: [re.compile(p, re.I) for p in cfg["patterns"]] for k, cfg in secs["views"].items()}
        self.numbering = re.compile(secs["numbering"], re.I)
        self.section_rx = {k: [re.compile(p, re.I) for p in v] for k, v in secs["sections"].items()}
        # "Threats", "Identified Threats", "Primary threats": a heading over a plain list of threats (as in Word)
        self.list_headings = [re.compile(p, re.I) for p in secs.get("threat_lists", {}).get("headings", [])]
        self.lead_rule = ListThreats(builder, vocab)  # what a lead-in line says a list is, read as in Word
        self.lead_in = ""  # the paragraph right before the list being read, if one was
        self.markers, self.marker_nouns = marker_table(secs)
        self.title_heading: str | None = None  # the document's title (its first level-1 heading), numbering removed
        self.threat_list_labels = frozenset(norm_text(str(w)) for w in self.words["threat_list_labels"])
        self.generic_words = frozenset(norm_text(str(w)) for w in self.words["generic_headings"])
        self.threat_ids: dict[str, str] = {}  # heading id -> its threat's title, to tell a reused id
        self.threats: list[_Pending] = []
        self.controls: list[RowRecord] = []
        # controls listed under a heading led by an id ("#### INF-001: Provider Outage"): (control, id, heading)
        self.heading_controls: list[tuple[RowRecord, str, str]] = []
        self.control_backlinks: dict[str, tuple[list[str], str]] = {}  # control id -> (threat ids, locator)
        self.disputed: list[tuple[str, str]] = []  # (threat id, control id) linked in one direction only
        self.tables: list[tuple[MdTable, _Ctx]] = []
        self.codes: list[tuple[Code, _Ctx]] = []
        self.assets: dict[str, str] = {}  # norm name -> asset id
        self.asset_numbers: dict[str, str] = {}  # written number -> norm name
        self.zones: dict[str, str] = {}  # norm name -> name as first written
        self.privacy_headings = 0  # distinct LINDDUN categories the document's headings name
        self.components: dict[str, str] = {}  # norm name -> name of a "Subsystem n: name" heading
        self.view_ids: set[str] = set()
        self.views: dict[str, View] = {}
        self.view_text: dict[str, list[str]] = {}
        self.explicit_ids: set[str] = set()
        self.control_n = 0
        self.split_written: list[str] = [""]  # the labels as written of the parts split_labels last gave
        self.n_tables = 0
        self.n_sections = 0

    # -- words

    def label_of(self, text: str | None) -> str | None:
        if not text:
            return None
        key = norm_text(text.rstrip(":："))
        hit = self.labels.get(key)
        if hit is not None:
            return hit
        return qualified_label(text, self.labels.get, "mitigation")

    def skip_kind(self, title: str) -> str | None:
        for kind, rxs in self.skip_rx.items():
            if any(rx.search(title) for rx in rxs):
                return str(kind)
        return None

    def strip_number(self, text: str) -> str:
        m = self.numbering.match(text) or _LETTER_NUMBER.match(text)
        return text[m.end() :].strip() if m else text.strip()

    def view_kind(self, text: str) -> str | None:
        for kind, rxs in self.view_rx.items():
            if any(rx.search(text) for rx in rxs):
                return str(kind)
        return None

    def heading_id(self, title: str, kind: str) -> tuple[str, str] | None:
        """("T-3", "title") for "Threat ID 3 - title" or "T-03: title" when the heading names a *kind*
        (:func:`mdptm.importers.markdown.words.heading_id`); ("", "title") for "Threat: title", no id."""
        found = heading_id(title, kind, self.words)
        if found is not None:
            return found
        words = {norm_text(str(w)) for w in self.words[f"{kind}_words"]}
        w = re.match(r"^\s*(?P<word>[A-Za-z ]{2,24}?)\s*[:：\-–—]\s+(?P<rest>\S.*)$", title)
        if w and norm_text(w.group("word")) in words:
            return "", one_line(w.group("rest"))  # "Threat: Spoofed update server" has no id
        return None

    def loc(self, line: int, what: str = "") -> str:
        return f"line {line}" + (f" ({what})" if what else "")

    def names_threats(self, heading: str) -> bool:
        """A heading that announces a list of threats ("Threats", "Identified threats", "Threat model" excepted)."""
        words = set(norm_text(self.strip_number(heading)).split())
        return bool(words & threats_words()) and words <= self.generic_words - {"model"}

    def para_label(self, inl: Inline) -> tuple[str, str] | None:
        """(field, rest) for a paragraph that opens a field: "**Concern**", "**Threat:** text", "Impact: ...",
        "Scenario" alone; ("extra:Label", rest) for another short bold label ending in a colon."""
        label = self.label_of(inl.bold_lead)
        if label is not None:
            return label, _LABEL_END.sub("", inl.after_bold).strip()
        head, sep, tail = inl.text.partition(":")
        if sep and len(head.split()) <= 4 and self.label_of(head):
            return str(self.label_of(head)), tail.strip()
        if len(inl.text.split()) <= 4 and self.label_of(inl.text):
            return str(self.label_of(inl.text)), ""
        lead = inl.bold_lead or ""
        if lead and len(lead.split()) <= 4 and (lead.endswith(":") or inl.after_bold.lstrip().startswith(":")):
            return "extra:" + lead.rstrip(": "), _LABEL_END.sub("", inl.after_bold).strip()
        return None

    def split_labels(self, label: str, text: str, written: dict[str, str] | None = None) -> list[tuple[str, str]]:
        """A field's text with further "Label: ..." lines ("**Threat:** x" then "**Mitigation:** y" in one
        paragraph) split into their own fields. Each further label as written goes to *written* (the first
        of a field), as that of a field of its own does: "**Potential mitigations:**" says its controls'
        status wherever the line stands."""
        out = [(label, [])]  # type: list[tuple[str, list[str]]]
        self.split_written = [""]  # each part's label as written ("" for the first: the caller has it)
        for line in text.split("\n"):
            head, sep, tail = line.partition(":")
            other = self.label_of(head.strip("* ")) if sep and len(head.split()) <= 4 else None
            if other is not None:
                out.append((other, [tail.strip("* ").strip()]))
                self.split_written.append(one_line(head.strip("* ")))
                if written is not None:
                    written.setdefault(other, one_line(head.strip("* ")))
            elif sep and out[-1][0] in _ONE_VALUE and out[-1][1] and 0 < len(head.split()) <= 3 and tail.strip():
                # "**STRIDE:** Information Disclosure" over "**Files:** src/cli.py": a field of one value ends at its
                # line; the next "Label: …" line is a field of its own (kept in extra), never more of that value
                out.append(("extra:" + head.strip("* "), [tail.strip("* ").strip()]))
                self.split_written.append(one_line(head.strip("* ")))
            else:
                out[-1][1].append(line)
        return [(lab, "\n".join(lines).strip()) for lab, lines in out]

    def item_label(self, item: ListItem) -> tuple[str | None, str]:
        lead = item.lead
        label = self.label_of(lead.bold_lead)
        if label is not None:
            return label, _LABEL_END.sub("", lead.after_bold).strip()
        head, sep, tail = _CHECK_BOX.sub("", lead.text).partition(":")  # "- [x] Threat: ..." is a task box
        if sep and len(head.split()) <= 4:
            label = self.label_of(head)
            if label is not None:
                return label, tail.strip()
        bold = lead.bold_lead or ""
        if bold and len(bold.split()) <= 4 and (bold.endswith(":") or lead.after_bold.lstrip().startswith(":")):
            return "extra:" + bold.rstrip(": "), _LABEL_END.sub("", lead.after_bold).strip()  # "**Case 1:** ..."
        return None, ""

    def heading_stride(self, title: str) -> str | None:
        """The STRIDE category a heading names ("S — Spoofing", "Denial of Service (DoS)")."""
        return stride_default(self.vocab, title)

    def risk_factors(self, fields: _Fields, values: dict[str, str]) -> None:
        """``Impact: High`` / ``Likelihood: Low`` fields: the severity and likelihood of the threat's risk, when
        their text opens with a level or a number ("Critical – wrong doses" gives "Critical")."""
        severity = one_line(fields.text("severity"))
        if severity and "risk" not in values:
            values["risk"] = severity  # "Severity: High" alone: the threat's risk, as a risk field
        elif severity:
            head = _LEVEL_HEAD.split(severity, maxsplit=1)[0].strip(" *_.")
            said = re.search(r"\(([^()]{1,20})\)", severity)  # "S4 (High)": the level in brackets
            level = next((w for w in (head, said.group(1) if said else "") if w and parse_risk(self.vocab, w).ok), None)
            if level is not None and "risk.severity" not in values:
                values["risk.severity"] = level
            fields.values["extra:" + fields.labels.get("severity", "Severity").rstrip(": ")] = [severity]  # kept as written
        for label, fname in (("impact", "risk.severity"), ("likelihood", "risk.likelihood")):
            text = one_line(fields.text(label))
            head = _LEVEL_HEAD.split(text, maxsplit=1)[0].strip(" *_.")
            if _OF_SCALE.match(head) and fname not in values:
                values[fname] = text  # "3/5 (Moderate - …)": 3 on a scale of 5, read as Word reads the same line
                if label == "likelihood":
                    fields.values.pop("likelihood", None)
            elif head and len(head.split()) <= 3 and parse_risk(self.vocab, head).ok and fname not in values:
                values[fname] = head
                if label == "likelihood":
                    fields.values.pop("likelihood", None)  # read; not kept again in extra
            elif label == "likelihood" and text:
                # a likelihood with no level ("Likelihood: rare, needs physical access"): kept as written
                fields.values.pop("likelihood", None)
                fields.values.setdefault("extra:" + fields.labels.get("likelihood", "Likelihood").strip("*: ").capitalize(), [text])

    def mitigation(self, pend: _Pending, fields: _Fields) -> None:
        phased = label_phases([(label, text) for fname, label, text in fields.parts if fname == "mitigation"])
        if phased is not None:
            pend.phased = phased  # "SMAOS Mitigation (Phase 1)" then "Phase 2 Mitigation": a control each
            return
        text = fields.text("mitigation")
        # as written: a label of a list item is kept by its field's name ("- **Potential mitigations:**")
        label = fields.written.get("mitigation") or fields.labels.get("mitigation", "")
        said = mitigation_status(self.vocab, label)
        if said is not None:
            pend.planned, pend.said_status = label, said  # "**Potential mitigations:**": proposed, not in place
        refs = []
        for link_text, _href in fields.links.get("mitigation", []):
            got = self.heading_id(link_text, "control")
            if got is not None:
                refs.append(got[0])
        if refs:
            pend.mitigation_refs = list(dict.fromkeys(refs))
            return
        plain = one_line(text).strip("*_ .")
        if not plain or is_empty(self.vocab, plain) or norm_text(plain) in ("n a", "na", "none", "not applicable"):
            if "mitigation" in fields.labels and text:
                pend.rec.extra[fields.labels["mitigation"]] = one_line(text)
            return
        ids = [w for w in re.split(r"[\s,;]+", plain) if w]
        if ids and all(_PREFIX_ID.fullmatch(w) or self.heading_id(w, "control") for w in ids):
            pend.mitigation_refs = ids  # "M-01, M-02": references, resolved against the controls
            return
        led = [self.id_led(ln) for ln in text.split("\n") if ln.strip()]
        if led and all(x is not None and x[1] for x in led):
            # "- **[SC-01]** FIPS 140-2 HSM": each line names a control by its id, and says what it is
            pend.id_lines = [x for x in led if x is not None]
            pend.mitigation_refs = list(dict.fromkeys(cid for cid, _t in pend.id_lines))
            return
        pend.mitigation = text

    def id_led(self, line: str) -> tuple[str, str] | None:
        """(id, text) of a mitigation line led by a control id: bracketed ("[SC-01] HSM"), or bare with a
        control prefix ("SC-2: rotation"); "AES-256 encryption" is no id."""
        m = _ID_LED.match(line.strip())
        if m is None:
            return None
        if m.group("pre") is not None:
            if m.group("pre") not in self.words["control_prefixes"]:
                return None
            return f"{m.group('pre')}-{m.group('num')}", m.group("text").strip()
        return m.group("boxed") or m.group("round"), m.group("text").strip()

    def record(self, kind: str, values: dict[str, str], where: str, ctx: _Ctx) -> RowRecord:
        rec = RowRecord(kind=kind, file=self.file, locator=where, values=values, headers={k: k for k in values}, extra={}, view=ctx.view)
        if not (values.get("sensitivity") or "").strip():
            self.heading_marking(rec, ctx)
        if kind == "threat" and ctx.privacy:
            rec.extra["LINDDUN category"] = ctx.privacy  # a privacy threat: its category kept as written
        factors = [f for f in ("risk.likelihood", "risk.severity") if f in values]
        if factors and not any(re.search(r"\d", values[f]) for f in factors):
            rec.scales.update(dict.fromkeys(factors, 5))  # labels from the word tables are on 5 points, as in a table
        self.b.records.append(rec)
        return rec

    def heading_marking(self, rec: RowRecord, ctx: _Ctx) -> None:
        """An item under a heading that sets its section apart ("## Internal only", "### T-3 Console replay
        (Confidential)", "Debug port - not for distribution"; ``withheld_markers`` in sections.yaml), or its own
        heading so marked, takes that sensitivity, as in Word. The document's title ("# Pump threat model
        (Confidential)", a cover classification) marks nothing."""
        headings = ctx.headings[1:] if ctx.headings and ctx.headings[0] == self.title_heading else ctx.headings
        for heading in reversed(headings):
            level = withheld_marking(heading, self.markers, self.marker_nouns)
            if level is not None:
                rec.values["sensitivity"] = level
                rec.headers["sensitivity"] = f"heading {heading!r}"
                self.b.warn(rec.locator, f"under the heading {heading!r}: read as {level}, so not published")
                return

    def new_control_id(self) -> str:
        while True:
            self.control_n += 1
            cid = f"M-{self.control_n}"
            if cid not in self.explicit_ids:
                self.explicit_ids.add(cid)
                return cid
