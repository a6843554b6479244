"""Reading the block tree of one Markdown file into a source's records: sections, threat blocks and their fields."""

from __future__ import annotations

import re
from dataclasses import replace

from mdptm.base.text import slug
from mdptm.importers.markdown.document import (
    Code,
    Inline,
    MdBlock,
    MdList,
    MdTable,
    Other,
    Para,
    Section,
)
from mdptm.importers.markdown.fields import _Ctx, _Fields, _Pending
from mdptm.importers.markdown.lists import ListReading
from mdptm.importers.markdown.tables import TableReading
from mdptm.importers.markdown.words import VIEW_IDS, is_navigation, written_id
from mdptm.importers.merge import norm_name
from mdptm.importers.tabular.lists import CITED_THREAT, MEASURE_STATE, RISK_LEAD, THREAT_REFS, finding_lines, names_measures, threats_words
from mdptm.importers.tabular.records import (
    denies_mitigation,
    first_sentence,
    mitigation_title,
    recommended_control,
    status_mark,
    status_marked_items,
)
from mdptm.importers.tabular.tables import RowRecord
from mdptm.importers.tabular.vocab import (
    deferred_by_note,
    fact_key,
    is_fill_in,
    match_header,
    norm_text,
    one_line,
    parse_choice,
    parse_risk,
    work_not_done,
)
from mdptm.model import Model, View
from mdptm.model.evidence import accepts_risk

# A paragraph made only of template slots: "{{THREAT_TABLE}}", "{{ASSETS}} {{FLOWS}}".
_GLOSS = re.compile(r"\s*\([^()]+\)\s*$")
_LEGEND_ITEM = re.compile(r"^\s*[^\w\s*\[\]()]{1,3}\s*(?:[=:–—-]\s*)?\w")  # "✅ Implemented", "⚠️ = Partial"
# Labels that open a threat block only beside a field only a threat has (Word's FieldBlocks reads them alike)
_GENERIC_LABELS = {"description", "details", "problem", "issue", "summary"}
_THREAT_FIELDS = ("mitigation", "risk", "likelihood", "impact", "severity", "stride", "residual_risk", "vector", "status")
# "4/5 (Strong - …)": a rating on a scale written before anything else
_RATING_LEAD = re.compile(r"^\s*\d+(?:\.\d+)?\s*/\s*\d+\b")
_LISTED_ITEM = re.compile(r"\n\s*(?:[-*•+]|\d+[.)])\s+\S")  # a list item after a text's lead-in
# Fields whose value is a word or a name on its label's line: a paragraph of its own after one is no more of it
_ONE_LINE_FIELDS = frozenset({"targets", "stride", "status", "id", "likelihood", "severity", "risk", "residual_risk", "category"})
# fields that go on after a threat's measures ("- **Residual risk:** Low" below them): never the name of a measure
_AFTER_MEASURES = frozenset({"risk", "residual_risk", "status", "mitigation_status", "likelihood", "impact", "severity", "threats"})
_SLOTS = re.compile(r"(?:\{\{[^{}]*\}\}\s*)+")
# A file's title naming the one risk it analyses: "Risk Analysis: Unauthorized Access to Patient Data".
ONE_RISK = re.compile(
    r"^\s*(?:(?:security|cybersecurity)\s+)?(?:risk|threat|hazard)(?:\s+(?:analysis|assessment|record|file|scenario))?"
    r"\s*[:：–—]\s*(?P<title>\S.*)$",
    re.I,
)
_RISK_ID = re.compile(r"^\s*(?:RISK|RSK|HAZ|THREAT|THR|TS)(?:-[A-Z]{1,8})?-\d+\s*$")
# "3 (Serious)": a rating and the word of its scale point
_RATED = re.compile(r"^\s*\d+\s*\(\s*([A-Za-z][A-Za-z ]*?)\s*\)\s*$")
# "SRS-005 - Authentication and Access Control": a heading led by any id
_ANY_ID = re.compile(r"^\s*(?P<id>[A-Z][A-Za-z]{0,9}(?:-[A-Z]{1,8})?-\d+(?:\.\d+)*)\s*(?:[:：–—-]\s*)?(?P<rest>.*)$")


# A risk file's sections whose heading is the field they hold ("## Threat", "## Attack vector", "## Controls").
_HEADED_FIELDS = frozenset({"description", "vector", "impact", "mitigation"})
# Front matter keys that rate the file's risk; "status" there is the document's review state, never the risk's.
_FRONT_MATTER_FIELDS = frozenset({"stride", "assets", "likelihood", "impact", "risk", "severity", "residual_risk"})


# Fields that rate a risk: with a mitigation under a heading that names threats, the section is a threat
_RATING_FIELDS = ("impact", "severity", "likelihood", "risk", "residual_risk")
# "Hazard H001", "Risk R-3", "HAZ-001": a risk's id alone, in bold before the colon of its title
_BOLD_RISK_ID = re.compile(r"^\s*(?:(?:hazard|risk|threat)\s+)?(?:HAZ|RISK|RSK|THREAT|THR|TS|H|R|T)(?:-[A-Z]{1,8})?-?\d+\s*$", re.I)


class BlockReader(ListReading, TableReading):
    """One file's walk: sections into threats, controls, assets, zones and views (lists and tables in their own modules)."""

    # -- the walk

    def run(self, root: Section) -> None:
        self.privacy_headings = self.count_privacy_headings(root)
        first = next((sec for sec in root.children if sec.level == 1 and sec.title), None)
        if first is not None and "{{" in first.title:
            self.b.warn(self.loc(first.line, "title"), f"title {first.title[:60]!r} holds a template's slot: not the document's title")
        elif first is not None:
            self.b.add_fact("document.title", first.title, self.loc(first.line, "title"))
        if first is not None:
            self.title_heading = self.strip_number(first.title)
        one = self.one_risk(root, first)
        if one is None and len(self.hazard_ids(root)) >= 2:
            self.split_bold_risks(root)
        if one is not None:
            self.one_risk_file(root, *one)
            self.finish()
            return
        for blk in root.blocks:
            self.block(blk, _Ctx(), owner=None)
        for sec in root.children:
            self.section(sec, _Ctx())
        self.finish()

    # -- a risk written as one file

    def one_risk(self, root: Section, first: Section | None) -> tuple[str, str, str] | None:
        """(id, title, locator) when the whole file is one risk: a title "Risk Analysis: …" / "Threat: …" /
        "Hazard: …", or front matter whose ``id`` is a risk's or threat's (``RISK-SEC-001``) beside its
        ``title``; never when a heading inside carries a threat's id (a file of several threats)."""
        meta: dict[str, str] = {}
        for blk in root.blocks:
            if isinstance(blk, Other) and blk.what == "front matter":
                for line in blk.text.split("\n"):
                    m = re.match(r"^(id|title)\s*:\s*(.+?)\s*$", line)
                    if m is not None:
                        meta.setdefault(m.group(1), m.group(2).strip("'\""))
        named = ONE_RISK.match(self.strip_number(first.title)) if first is not None else None
        fm_id = meta.get("id", "")
        risk_id = _RISK_ID.match(fm_id) is not None or self.heading_id(fm_id, "threat") is not None
        if named is None and not (risk_id and meta.get("title")):
            return None
        if any(
            self.heading_id(one_line(s.title), "threat") or self.heading_id(self.strip_number(s.title), "threat")
            for s in self.all_sections(root)
            if s is not first
        ):
            return None
        if len(self.hazard_ids(root)) >= 2:
            return None  # "### HAZ-001: …" and "### HAZ-003: …", "**Hazard H001: …**": a file of several risks
        title = meta.get("title") or (named.group("title") if named is not None else "")
        at = first.line if first is not None and named is not None else 1
        return fm_id if risk_id else "", one_line(title), self.loc(at, "the file's one risk")

    def split_bold_risks(self, sec: Section) -> None:
        """A bold line of its own naming a risk by its id ("**Hazard H001: False Negative Results**"), in a file of
        several such: a heading one level down, over the blocks up to the next one, as if its author had written
        "#### H001: False Negative Results" (its fields, its "Risk Control Measures" and its residual risk)."""
        kept: list[MdBlock] = []
        made: list[Section] = []
        for blk in sec.blocks:
            line = self.bold_risk_line(blk.inline) if isinstance(blk, Para) else None
            m = RISK_LEAD.match(line) if line else None
            if m is not None and line is not None:
                title = re.sub(r"^\s*(?:hazard|risk|threat)\s+", "", line, flags=re.I).rstrip(" :")
                made.append(Section(sec.level + 1, title, blk.line))
                continue
            (made[-1].blocks if made else kept).append(blk)
        if made:
            sec.blocks = kept
            sec.children = [*made, *sec.children]
        for child in sec.children:
            if child not in made:
                self.split_bold_risks(child)

    def hazard_ids(self, root: Section) -> set[str]:
        """The ids of risks, hazards or threats that lead a heading or a bold line of the file ("HAZ-001: Incorrect
        Applicator Tracking", "**Hazard H001: False Negative Results**")."""
        found: set[str] = set()
        for sec in self.all_sections(root):
            m = RISK_LEAD.match(self.strip_number(one_line(sec.title)))
            if m is not None:
                found.add(m.group("id").upper())
            for blk in sec.blocks:
                line = self.bold_risk_line(blk.inline) if isinstance(blk, Para) else None
                m = RISK_LEAD.match(line) if line else None
                if m is not None:
                    found.add(m.group("id").upper())
        return found

    def rating_like(self, text: str) -> bool:
        """Whether a risk field's text is a rating, perhaps glossed ("8 (Requires risk control measures)", "High –
        patients harmed", "4/5"), rather than a sentence naming the risk ("High value target (medical records)")."""
        head = re.match(r"^\s*([^\s(\-–—:;,/]+)\s*(.?)", text)
        if head is None:
            return False
        first, after = head.group(1), head.group(2)
        if first[:1].isdigit():
            return True
        return parse_risk(self.vocab, first).ok and (not after or after in "(-–—:;,/")

    @staticmethod
    def bold_risk_line(inl: Inline) -> str | None:
        """A line of its own naming a risk by its id, in bold whole ("**Hazard H001: False Negative Results**") or
        with only its id in bold ("**Hazard H001**: Software crashes during review"): the line; None otherwise."""
        bold = one_line(inl.bold_lead or "")
        text = one_line(inl.text)
        if not bold or "\n" in inl.text.strip():
            return None
        if bold == text:
            return bold
        if _BOLD_RISK_ID.match(bold) and inl.after_bold.lstrip().startswith((":", "：")):
            return text
        return None

    def one_risk_file(self, root: Section, tid: str, title: str, where: str) -> None:
        """The whole file as one risk: its sections' labelled lines and prose are the risk's fields, "Factor |
        Rating" tables its inherent and residual risk, the headings under a controls section ("Risk Controls")
        its controls (``SRS-005 - Authentication`` keeps the id)."""
        self.b.warn(where, f"the file is read as one risk ({tid or title!r}): its title, its factor tables and its controls")
        for blk in root.blocks:
            if isinstance(blk, Other) and blk.what == "front matter":
                self.b.report.merged(self.file, self.loc(blk.line, "front matter"), tid or title)
            else:
                self.block(blk, _Ctx(), owner=None)
        fields = _Fields()
        for blk in root.blocks:
            if isinstance(blk, Other) and blk.what == "front matter":
                self.front_matter_fields(blk.text, fields)
        controls: list[str] = []
        todo = list(root.children)
        while todo:
            sec = todo.pop(0)
            name = self.strip_number(sec.title)
            if self.skip_kind(name) is not None:
                self.section(sec, _Ctx())
                continue
            if sec.children and any(rx.search(name) for rx in self.section_rx.get("controls", [])):
                controls.extend(self.one_risk_control(child) for child in sec.children)
                for blk in sec.blocks:
                    self.block(blk, _Ctx(), owner=name)
                continue
            todo[:0] = sec.children
            residual = "residual" in norm_text(name).split()
            got = self.fields([b for b in self.line_fields(sec.blocks, fields) if not isinstance(b, MdTable)])
            for key, texts in got.values.items():
                for text in texts:
                    fields.add(key, text)
                fields.labels.setdefault(key, got.labels.get(key, key))
            for key, links in got.links.items():
                fields.links.setdefault(key, []).extend(links)
            headed = self.label_of(name)
            if got.lead and headed in _HEADED_FIELDS:
                # "## Threat" / "## Contrôles attendus" over prose or bullets: that field's text
                fields.add(headed, "\n\n".join(got.lead))
                fields.labels.setdefault(headed, name)
            elif got.lead and sec.level > 1:
                fields.add(f"extra:{name}", "\n\n".join(got.lead))
            elif got.lead:
                fields.lead.extend(got.lead)
            for tbl in (b for b in sec.blocks if isinstance(b, MdTable)):
                if not self.factor_table(tbl, residual, fields):
                    self.block(tbl, _Ctx(), owner=name)
            for blk in got.others:
                self.block(blk, _Ctx(), owner=name)
        values: dict[str, str] = {"title": title}
        if tid:
            values["id"] = tid
            self.explicit_ids.add(tid)
        description = fields.text("description") or "\n\n".join(fields.lead)
        if description:
            values["description"] = description
        for fname, texts in fields.values.items():
            if not fname.startswith("extra:") and fname not in ("description", "mitigation", "threats", "title"):
                values[fname] = "\n".join(texts)
        vector = values.pop("vector", "")
        if vector:  # how the attack goes, added to the description as the block reader adds it
            values["description"] = f"{values.get('description', '')}\n\nAttack vector: {vector}".strip()
        for said, fname in (("likelihood", "risk.likelihood"), ("impact", "risk.severity")):
            if said in values and fname not in values:
                values.pop(said)
                first, *more = fields.values[said]
                values[fname] = one_line(first)  # "likelihood: Medium" in the front matter: the first said
                if more:  # "`Likelihood: Medium` — XSS reste un défaut fréquent …" further down: kept as written
                    fields.values[f"extra:{fields.labels.get(said, said)}"] = more
        if controls:
            values["controls"] = ", ".join(controls)
        rec = self.record("threat", values, where, _Ctx())
        for fname in ("risk.likelihood", "risk.severity", "residual_risk.likelihood", "residual_risk.severity"):
            named = _RATED.match(values.get(fname, ""))
            words = self.vocab.likelihood_words if fname.endswith("likelihood") else self.vocab.severity_words
            if named is not None and words.find(named.group(1)) is not None:
                rec.scales[fname] = 5  # "3 (Serious)", "2 (Remote)": points of a 5-point scale, whatever the one row shows
        for key, texts in fields.values.items():
            if key.startswith("extra:"):
                rec.extra[key[6:]] = "\n\n".join(texts)
        pend = _Pending(rec, threat_id=tid)
        if not controls:
            self.mitigation(pend, fields)
        self.threats.append(pend)

    def front_matter_fields(self, text: str, fields: _Fields) -> None:
        """A risk file's front matter that rates the risk (``stride: [S, I]``, ``asset: Session cookie``,
        ``likelihood: Medium``, ``risk_level: High``): those fields; its review state (``status: Draft``) and
        anything else stay out."""
        for line in text.split("\n"):
            m = re.match(r"^([A-Za-z][\w ]{0,30}?)\s*:\s*(\S.*?)\s*$", line)
            if m is None:
                continue
            label = self.label_of(m.group(1).replace("_", " "))
            value = m.group(2).strip().strip("'\"")
            if label in _FRONT_MATTER_FIELDS and value and not value.startswith("{"):
                fields.add(label, value.strip("[]").strip())
                fields.labels.setdefault(label, m.group(1))

    def one_risk_control(self, sec: Section) -> str:
        """A heading under a risk file's controls section: one control ("SRS-005 - Authentication and Access
        Control" keeps its id); its first paragraphs describe it, "Verification:" names its tests."""
        name = one_line(sec.title)
        where = self.loc(sec.line, f"heading {name[:60]!r}")
        m = _ANY_ID.match(name)
        cid = m.group("id") if m is not None and m.group("rest") else self.new_control_id()
        title = m.group("rest") if m is not None and m.group("rest") else name
        labelled = _Fields()
        fields = self.fields(self.line_fields(sec.blocks, labelled, every=True))
        for key, texts in labelled.values.items():
            fields.values.setdefault(key, []).extend(texts)
            fields.labels.setdefault(key, labelled.labels.get(key, key))
        values = {"id": cid, "title": one_line(title)}
        description = fields.text("description") or "\n\n".join(fields.lead)
        if description:
            values["description"] = description
        rec = self.record("control", values, where, _Ctx())
        for key, texts in fields.values.items():
            label = fields.labels.get(key, key).removeprefix("extra:")
            if key != "description" and match_header(self.vocab, "control", label) is not None:
                hit = match_header(self.vocab, "control", label)
                if hit is not None and hit.exact and hit.field not in rec.values:
                    rec.values[hit.field] = "\n".join(texts)
                    rec.headers[hit.field] = label
                    continue
            if key != "description":
                rec.extra[label] = "\n".join(texts)
        self.explicit_ids.add(cid)
        self.controls.append(rec)
        for blk in fields.tables + fields.others:
            self.block(blk, _Ctx(), owner=name)
        for child in sec.children:
            self.section(child, _Ctx())
        return cid

    def line_fields(self, blocks: list[MdBlock], fields: _Fields, every: bool = False) -> list[MdBlock]:
        """Paragraphs whose every line is a short "**Label:** value" ("**Analyzes:** HAZ-SEC-001" over "**Leads
        to:** HS-001") add a field per line to *fields*; the other blocks are returned. With *every*, all such
        paragraphs are taken, else only those whose labels are no field of a threat's block."""
        rest: list[MdBlock] = []
        for blk in blocks:
            lines = [ln.strip() for ln in blk.inline.text.split("\n") if ln.strip()] if isinstance(blk, Para) else []
            pairs = [ln.partition(":") for ln in lines]
            if (
                lines
                and blk.inline.bold_lead  # type: ignore[union-attr]
                and all(sep and 0 < len(key.split()) <= 4 and val.strip() for key, sep, val in pairs)
                and (every or not any(self.label_of(key) for key, _s, _v in pairs))
            ):
                for key, _sep, val in pairs:
                    fields.labels.setdefault("extra:" + key.strip(), key.strip())
                    fields.add("extra:" + key.strip(), val.strip())
                continue
            rest.append(blk)
        return rest

    def factor_table(self, tbl: MdTable, residual: bool, fields: _Fields) -> bool:
        """``| Factor | Rating | Justification |`` with rows Severity, Probability, Inherent Risk (or under a
        "Residual Risk" heading, the residual ones): the risk's factors, the justifications kept in extra."""
        body = [r for r in tbl.rows[1:] if r and r[0].strip()]
        if not body or len(tbl.rows[0]) < 2:
            return False
        named = []
        for row in body:
            label = one_line(row[0]).strip("*_ ")
            if residual and "residual" not in norm_text(label):
                label = f"residual {label}"
            hit = match_header(self.vocab, "threat", label)
            named.append(hit.field if hit is not None and hit.exact and hit.field.split(".")[0] in ("risk", "residual_risk") else None)
        if not all(named):
            return False
        for row, fname in zip(body, named, strict=True):
            assert fname is not None
            label = one_line(row[0]).strip("*_ ")
            value = one_line(row[1]).strip("*_ ")
            if fname in ("risk", "residual_risk") and not parse_risk(self.vocab, value).ok:
                fields.add(f"extra:{label}", value)  # "6 - ALARP": the score and its acceptability, kept as written
            else:
                fields.add(fname, value)
            if residual and "residual" not in norm_text(label):
                label = f"Residual {label.lower()}"
            if len(row) > 2 and row[2].strip():
                fields.add(f"extra:{label} ({one_line(tbl.rows[0][2])})", one_line(row[2]))
        for n in range(1, len(tbl.rows)):
            self.b.report.merged(self.file, self.loc(tbl.line, f"table row {n}"), "the file's one risk")
        return True

    def section(self, sec: Section, ctx: _Ctx) -> None:
        before = len(self.threats) + len(self.b.records)
        self.section_body(sec, ctx)
        parent = ctx.headings[-1] if ctx.headings else ""
        if (
            ctx.skip is None
            and len(self.threats) + len(self.b.records) == before
            and self.names_threats(parent)
            and any(isinstance(b, Para) for b in sec.blocks)
        ):
            self.b.warn(
                self.loc(sec.line, f"heading {sec.title[:60]!r}"),
                f"section under {parent!r} not read as a threat: no id in its heading and no labelled fields",
            )

    def section_body(self, sec: Section, ctx: _Ctx) -> None:
        self.n_sections += 1
        title = self.strip_number(sec.title)
        here = replace(ctx, headings=(*ctx.headings, title))
        kind_here = self.section_kind(title)
        if kind_here is not None:
            here.list_kind = kind_here
        where = self.loc(sec.line, f"heading {title[:60]!r}")
        if ctx.skip is None:
            kind = self.skip_kind(title)
            if kind is not None:
                here.skip = f"under the heading {title!r} ({kind}): not threat-model records"
                self.b.report.skipped(self.file, where, f"section {title!r}: {kind}, not threat-model records")
        if here.skip is not None:
            fields = self.fields(sec.blocks)
            if self.is_threat_block(fields):
                label = fields.labels.get("description", "concern")
                self.b.report.skipped(
                    self.file, self.loc(sec.line, f"{label!r} under {title[:60]!r}"), f"{label!r} {here.skip}; not a threat"
                )
            for blk in sec.blocks:
                self.block(blk, here, owner=None)
            for child in sec.children:
                self.section(child, here)
            return
        sec = replace(sec, blocks=[p for b in sec.blocks for p in self.code_fields(b)])
        found = [b for b in sec.blocks if isinstance(b, Para) and self.label_block(b) is not None]
        if found:
            # "THREAT-1  (T5 — …)" over "  Asset: …" / "  Threat: …" / "  Mitigation: …" lines: a finding each
            for para in found:
                self.finding_block(sec, here, para)
            sec = replace(sec, blocks=[b for b in sec.blocks if all(b is not p for p in found)])
        # "T-01 title" looks like heading numbering ("A-1 Scope"): ids are read before numbering is removed.
        raw = one_line(sec.title)
        threat = self.heading_id(raw, "threat") or self.heading_id(title, "threat")
        control = self.heading_id(raw, "control") or self.heading_id(title, "control")
        asset = self.heading_id(raw, "asset") or self.heading_id(title, "asset")
        component = self.heading_id(raw, "component") or self.heading_id(title, "component")
        if component is not None and not component[1]:
            component = None
        if threat is None and control is not None and self.restates_table_threat(control, ctx):
            threat, control = control, None  # "### C1 — Secret Leak" under the table of threats C1…C8
        where = self.loc(sec.line, f"heading {raw[:60]!r}")
        if (
            threat is None
            and control is None
            and kind_here is None
            and here.list_kind == "out_of_scope"
            and not any(isinstance(b, (MdList, MdTable)) for b in sec.blocks)
        ):
            # "### Safe Mode" over "Safe Mode disables third-party services." and "Status: accepted." under "## Out-of-Scope
            # Bypass Paths": one excluded path, named by its heading; its lines say why (no document facts)
            text = "\n\n".join(one_line(b.inline.text) for b in sec.blocks if isinstance(b, Para) and b.inline.text.strip())
            values = {"text": title, **({"rationale": text} if text else {})}
            self.record("out_of_scope", values, where, here)
            for child in sec.children:
                self.section(child, here)
            return
        if threat is not None and threat[0] and self.label_of(threat[1]) == "mitigation":
            self.threat_mitigation(sec, here, threat[0], where)  # "### Threat-01-S Recommended mitigations"
        elif threat is not None:
            self.threat_block(sec, here, threat[0] or None, threat[1], where)
        elif control is not None:
            self.control_block(sec, here, control[0], control[1], where)
        elif self.privacy_section(sec, here, title, where):
            return
        else:
            fields = self.fields(sec.blocks)
            if asset is not None and asset[1]:
                here.asset = self.asset(asset[0], asset[1], where)
            elif component is not None:
                # "Subsystem 1: Infusion pump": a component, its fields describe it (never a threat of its own)
                here.component = self.component(component[1], fields, where)
                for blk in sec.blocks:
                    if not isinstance(blk, Para):
                        self.block(blk, here, owner=None)
                for child in sec.children:
                    self.section(child, here)
                return
            elif self.zone_name(title):
                here.zone = self.zone(self.zone_name(title) or title, where)
            vkind = self.view_kind(title)
            if vkind is not None:
                here.view = self.view(vkind, title, where)
            stride = self.heading_stride(title)
            if stride:
                here.stride = stride
            fields = self.fields(sec.blocks)
            stride_only = bool(here.stride) and self.heading_stride(title) is not None
            lists = [b for b in sec.blocks if isinstance(b, MdList) and self.labelled_threats(b)]
            generic = set(norm_text(title).split()) <= self.generic_words
            if lists and (stride_only or generic or sum(self.threat_items(b) for b in lists) != 1):
                fields = _Fields()  # "- **Threat:** ..." bullets, several or nested: each one is a threat
            elif stride_only and self.is_threat_block(fields):
                groups = self.threat_groups(sec.blocks)
                if len(groups) > 1:
                    self.b.warn(where, f"{len(groups)} threats under this STRIDE heading, each opened by its own label line")
                for group in groups:
                    # titled by its text, not "Repudiation"
                    self.threat_block(sec, here, None, "", where, fields=self.fields(group) if len(groups) > 1 else fields)
                for child in sec.children:
                    self.section(child, here)
                return
            risk_said = one_line(fields.text("risk"))
            sentence = len(risk_said.split()) >= 3 and not self.rating_like(risk_said)
            if (
                not self.is_threat_block(fields)
                and "mitigation" in fields.values
                and (fields.lead or written_id(raw) is not None or sentence or any(f in fields.values for f in _RATING_FIELDS))
                and asset is None
                and not stride_only
                and self.under_threats(ctx)
            ):
                # "### Spoofed Devices" under "## Threats Considered": prose, then "**Mitigation:** …": that threat,
                # described by the prose (as Word reads the same lines); "#### 3.2 Medical Identity Theft" over
                # "- **Risk**: High value target (medical records)" and "- **Mitigation**: …": the risk's sentence
                # describes it (no rating); "**Hazard H009**: Unauthorized access" under "Cybersecurity Threats" over
                # its ratings ("Severity", "Risk Score") and "Risk Control Measures": titled by its heading
                if not fields.lead and sentence:
                    fields.lead = fields.values.pop("risk")
                    fields.labels.pop("risk", None)
                fields.values["description"] = [*fields.lead, *fields.values.get("description", [])]
                fields.labels.setdefault("description", "text under the heading")
                fields.lead = []
            elif (
                not self.is_threat_block(fields)
                and "mitigation" in fields.values
                and RISK_LEAD.match(raw) is not None
                and not self.under_threats(ctx)
            ):
                # "**Hazard H001**: Software crashes during review" under "Hazard Category 1: Software Malfunction":
                # a risk of the safety risk file with its control measures, under no heading that names threats
                parent = ctx.headings[-1] if ctx.headings else ""
                self.b.report.skipped(
                    self.file,
                    where,
                    f"{raw[:60]!r} under {parent[:60]!r}: a hazard with its risk controls, under no heading that names "
                    "threats (a safety hazard, not a security threat); not read as a threat",
                )
            if self.is_threat_block(fields) and asset is None and self.only_described(fields, title):
                # "### Web server" over "**Description:** Serves the dashboard.": a description and no field a
                # threat has (mitigation, risk, impact …) under a heading that names no threat: no threat
                why = f"{fields.labels.get('description', 'Description')!r} with no field of a threat under {title[:60]!r}: not a threat"
                self.b.report.skipped(self.file, where, why)
                for blk in sec.blocks:
                    if not isinstance(blk, Para) and not isinstance(blk, MdList):
                        self.block(blk, here, owner=title)
            elif self.is_threat_block(fields) and asset is None:
                if self.has_threat_children(sec) and "mitigation" not in fields.values:
                    self.b.report.skipped(
                        self.file,
                        where,
                        f"{fields.labels.get('description', 'concern')!r} of the section {title!r} introduces the "
                        "threats under it; not a threat itself",
                    )
                    for blk in fields.tables + fields.others:
                        self.block(blk, here, owner=None)
                else:
                    written = written_id(raw)
                    if written is not None:
                        self.threat_block(sec, here, written[0], one_line(written[1]), where, fields=fields)
                    else:
                        self.threat_block(sec, here, None, title, where, fields=fields)
                for child in sec.children:
                    self.section(child, here)
                return
            if here.stride and not here.view and not self.is_threat_block(fields):
                self.stride_section(sec.blocks, here, where)
            else:
                labelled: _Ctx | None = None  # "**System Components:**" over a list: the list's kind
                bold_threat: tuple[str, str, Para] | None = None  # "**T1 - Spoofing via registration**"
                legend = False  # "**Legend:**" over a list of status marks and their meanings
                measures = False  # "**4.3. Mitigation Strategies (Detailed)**" came: titled measures may follow
                for blk in sec.blocks:
                    if isinstance(blk, Para) and blk.inline.bold_lead and one_line(blk.inline.text) == one_line(blk.inline.bold_lead):
                        words = set(norm_text(self.strip_number(one_line(blk.inline.text))).split())
                        measures = bool(words & {"mitigation", "mitigations", "countermeasures", "controls"})
                    if isinstance(blk, MdList) and measures and self.action_items(blk):
                        self.action_controls(blk, here)
                        continue
                    if isinstance(blk, MdList) and legend:
                        legend = False
                        if self.legend_list(blk):
                            continue
                    legend = isinstance(blk, Para) and self.legend_label(blk)
                    if legend:
                        continue
                    if isinstance(blk, MdList) and bold_threat is not None and any(self.item_label(it)[0] for it in blk.items):
                        # a bold line naming a threat by its id, over a list of its labelled fields: that threat
                        tid, ttitle, para = bold_threat
                        where_b = self.loc(para.line, f"bold line {one_line(para.inline.text)[:60]!r}")
                        self.threat_block(sec, here, tid, ttitle, where_b, fields=self.fields([blk]))
                        bold_threat = None
                        continue
                    if isinstance(blk, MdList) and bold_threat is not None:
                        # "**Threat #1 – Anon key exposed**" over a plain list of measures: the line above it
                        self.lead_in = bold_threat[2].inline.text
                    bold_threat = self.bold_threat(blk) if isinstance(blk, Para) else None
                    if bold_threat is not None:
                        continue
                    if isinstance(blk, Para):
                        labelled = self.label_kind(blk, here)
                    elif isinstance(blk, MdList) and labelled is not None:
                        self.block(blk, labelled, owner=title)
                        labelled = None
                        continue
                    self.block(blk, here, owner=title)
                    self.lead_in = blk.inline.text if isinstance(blk, Para) else ""
        for child in sec.children:
            self.section(child, here)

    def code_fields(self, blk: MdBlock) -> list[MdBlock]:
        """A code block with no language whose every line is a field ("Attacker Goal: …", "Attack Vector:", "Impact:
        …", "Mitigations:") or an indented line under one ("  1. Intercept the command", "  ✓ Certificate pinning"),
        two fields at least, one of them a threat's text: the paragraphs its author kept apart by fencing them
        (read as Word reads the same lines), one per field. Any other block as it is."""
        if not isinstance(blk, Code) or blk.info.strip():
            return [blk]
        paras: list[list[str]] = []
        labels: set[str] = set()
        for line in blk.content.split("\n"):
            if not line.strip():
                continue
            head, sep, _tail = line.partition(":")
            label = self.label_of(head.strip()) if sep and not line[:1].isspace() and len(head.split()) <= 4 else None
            if label is not None:
                labels.add(label)
                paras.append([line.strip()])
            elif paras and line[:1].isspace():
                paras[-1].append(line.strip())
            else:
                return [blk]
        if len(paras) < 2 or "description" not in labels:
            return [blk]
        return [Para(Inline("\n".join(lines)), blk.line) for lines in paras]

    def stride_section(self, blocks: list[MdBlock], ctx: _Ctx, where: str) -> None:
        """Under a STRIDE heading: bullets are threats until a label ("**Mitigations**") opens another field;
        a mitigation list then belongs to every threat of the section (one control)."""
        label: str | None = None
        made: list[_Pending] = []
        mitigation: list[str] = []
        measures: list[tuple[str, int]] = []  # the bullets of a mitigation list: one countermeasure each, as in Word
        prose = 0
        for blk in blocks:
            if isinstance(blk, Para):
                got = self.para_label(blk.inline)
                if got is not None:
                    label = got[0]
                    if got[1]:
                        (mitigation if label == "mitigation" else []).append(got[1])
                elif label == "mitigation":
                    mitigation.append(blk.inline.text)
                else:
                    prose += 1
                continue
            if isinstance(blk, MdList) and label == "mitigation":
                mitigation.extend("- " + it.all_text() for it in blk.items)
                measures.extend((it.all_text(), it.line) for it in blk.items if it.all_text().strip())
                continue
            listed = isinstance(blk, MdList) and label is not None and label.startswith("extra:")
            if listed and label is not None and norm_text(label[6:]) in self.threat_list_labels:
                label = "description"  # "**Risks:**" over a list of bullets: each bullet is a threat
            if isinstance(blk, MdList) and label is not None and label != "description":
                self.b.report.skipped(self.file, self.loc(blk.line, "list"), f"list under the label {label!r} of a STRIDE section")
                continue
            before = len(self.threats)
            self.block(blk, ctx, owner=None)
            made.extend(self.threats[before:])
        if prose and not made:
            self.b.warn(where, f"{prose} paragraph(s) under this STRIDE heading not read as threats (prose, no bullet or label)")
        text = "\n".join(m for m in mitigation if m.strip())
        if made and measures and len(measures) == sum(1 for m in mitigation if m.strip()):
            # "**Mitigations:**" over bullets beside the section's threat bullets: each bullet one countermeasure,
            # linked to every threat of the section (the document pairs none with one threat)
            cids = []
            for measure, line in measures:
                cid = self.new_control_id()
                values = {"id": cid, "title": first_sentence(measure).rstrip("."), "description": measure}
                rec = self.record("control", values, self.loc(line, "list item"), ctx)
                if (note := deferred_by_note(self.vocab, measure)) is not None:
                    rec.values["status"] = "planned"  # "Optional local audit log (planned)": not in place yet
                    rec.headers["status"] = f"note ({note})"
                self.controls.append(rec)
                cids.append(cid)
            for pend in made:
                pend.mitigation_refs = list(cids)
                pend.grouped = True
            self.b.warn(
                where,
                f"its {len(made)} threat(s) and {len(cids)} countermeasure(s) are linked as a group (the document lists "
                "them side by side without pairing them)",
            )
            return
        if text and made:
            if len(made) > 1:
                self.b.warn(where, f"one mitigation list for the {len(made)} threats of this STRIDE section: linked to each")
            made[0].mitigation = text
            for other in made[1:]:
                other.shared_with = made[0]
            for pend in made if len(made) > 1 else ():
                pend.grouped = True  # one list for the section's threats, not one per threat
        elif text:
            self.b.report.skipped(self.file, where, "mitigations under a STRIDE heading with no threat bullets")

    def privacy_section(self, sec: Section, here: _Ctx, title: str, where: str) -> bool:
        """A section headed by a LINDDUN category ("## Linkability") or directly under one. Under the category,
        each sub-heading with text is one threat titled by it; the category's own paragraphs (with no
        sub-heading) are one threat; its bullets one threat each. Returns whether the section was read so."""
        category = self.privacy_category(title)
        if category is not None:
            here.privacy = title
            if category == "disclosure_of_information" and not here.stride:
                here.stride = "information_disclosure"
            fields = self.fields(sec.blocks)
            prose = any(isinstance(b, Para) and not self.para_label(b.inline) for b in sec.blocks)
            if prose or self.is_threat_block(fields):
                # "## Identifiability" then a paragraph: the category's one threat, titled by its first sentence
                self.b.warn(where, f"text under the LINDDUN heading {title!r} read as one {title} threat")
                self.threat_block(sec, here, None, "", where, fields=fields)
            else:
                for blk in sec.blocks:
                    if isinstance(blk, MdList) and not self.labelled_threats(blk):
                        self.stride_list(blk, here)  # one threat per bullet
                    else:
                        self.block(blk, here, owner=title)
            for child in sec.children:
                self.section(child, here)
            return True
        if here.privacy is None or self.skip_kind(title) is not None or self.heading_stride(title):
            return False
        fields = self.fields(sec.blocks)
        if not (fields.lead or self.is_threat_block(fields)) or self.label_of(title) is not None:
            return False
        # "### Linking sessions across devices" under "## Linkability": one threat, titled by its heading
        self.threat_block(sec, here, None, title, where, fields=fields)
        inner = replace(here, privacy=None)
        for child in sec.children:
            self.section(child, inner)
        return True

    def privacy_category(self, title: str) -> str | None:
        """The LINDDUN category a heading names, in a document with two or more such headings (one "##
        Disclosure" heading is a disclosure policy, not a privacy threat category)."""
        if self.privacy_headings < 2 or "linddun" not in self.vocab.tables:
            return None
        return self.vocab.tables["linddun"].exact(self.strip_number(title))

    def count_privacy_headings(self, sec: Section) -> int:
        table = self.vocab.tables.get("linddun")
        if table is None:
            return 0
        found = {table.exact(self.strip_number(c.title)) for c in self.all_sections(sec)} - {None}
        return len(found)

    def all_sections(self, sec: Section) -> list[Section]:
        out = []
        for child in sec.children:
            out.append(child)
            out.extend(self.all_sections(child))
        return out

    def bold_threat(self, para: Para) -> tuple[str, str, Para] | None:
        """(id, title, para) for a paragraph that is only bold text naming a threat by its id, as a heading
        would: "**T1 - Spoofing via Unprotected Registration**"."""
        inl = para.inline
        bold = one_line(inl.bold_lead or "")
        if not bold or inl.after_bold.strip() or bold != one_line(inl.text):
            return None
        got = self.heading_id(bold, "threat")
        if got is None or not got[0] or not got[1]:
            return None
        return got[0], got[1], para

    def label_block(self, para: Para) -> tuple[str, str, list[tuple[str, str, str]]] | None:
        """A paragraph that is a finding written as a block of plain "Label: value" lines under an id line
        (:func:`~mdptm.importers.tabular.lists.finding_lines`)."""
        return finding_lines(para.inline.text, self.label_of)

    def finding_block(self, sec: Section, ctx: _Ctx, para: Para) -> None:
        got = self.label_block(para)
        assert got is not None
        fid, note, lines = got
        where = self.loc(para.line, f"finding {fid!r}")
        fields = _Fields()
        for fname, said, text in lines:
            fields.labels.setdefault(fname, said)
            fields.written.setdefault(fname, said)
            fields.add(fname, text)
        cited = CITED_THREAT.match(note)
        tid = fid
        if cited is not None:
            # "THREAT-2  (T3 — transplantation …)": the finding restates threat T3; read as T3, so that it joins the
            # row of that id, and its mitigation restates T3's (kept as written, no second control)
            tid = cited.group(1)
            self.b.warn(where, f"finding {fid} cites {tid} on its first line ({note[:60]!r}): read as {tid}, joined with it")
            if "mitigation" in fields.values:
                fields.values[f"extra:{fields.labels['mitigation']} ({fid})"] = fields.values.pop("mitigation")
        fields.add("extra:Finding", f"{fid} {note}".strip())
        self.threat_block(sec, ctx, tid, "", where, fields=fields)
        state = next((f for f in fields.values if MEASURE_STATE.fullmatch(norm_text(f.removeprefix("extra:")))), None)
        state_said = parse_choice(self.vocab, "control_status", fields.text(state)) if state else None
        if state and state_said is not None and state_said.value in ("not_implemented", "planned") and self.threats[-1].mitigation:
            # "Mitigation state: ABSENT" beside "Fix: Expand SECURITY.md": the fix is to be done, not in place
            self.threats[-1].planned, self.threats[-1].said_status = state.removeprefix("extra:"), "planned"

    def legend_label(self, para: Para) -> bool:
        """ "**Legend:**" (or "Status legend:", "Key:") on a line of its own, or over lines of marks and their
        meanings in the same paragraph (read here)."""
        head, sep, rest = para.inline.text.strip().partition("\n")
        if norm_text(head.rstrip(": ")) not in ("legend", "status legend", "key", "status key", "legend of statuses"):
            return False
        if not head.rstrip().endswith(":") and not sep:
            return False
        lines = [ln for ln in rest.split("\n") if ln.strip()]
        if lines:
            where = self.loc(para.line, "legend")
            read = [self.b.add_legend_line(ln, where) for ln in lines]
            self.b.report.skipped(self.file, where, f"legend of {sum(read)} status mark(s): read, not an item")
            return False
        return True

    def legend_list(self, lst: MdList) -> bool:
        """The list under a legend label: each item a status mark and its meaning ("✅ Implemented and Verified")."""
        where = self.loc(lst.line, "legend")
        if not all(_LEGEND_ITEM.match(one_line(it.lead.text)) for it in lst.items):
            return False
        for it in lst.items:
            self.b.add_legend_line(it.lead.text, where)
        self.b.report.skipped(self.file, where, f"legend of {len(lst.items)} status mark(s): read, not items")
        return True

    def label_kind(self, para: Para, ctx: _Ctx) -> _Ctx | None:
        """A paragraph that is only a short label naming a kind of list ("**System Components:**",
        "Assumptions:"): the context the list below it is read in, as under a heading of that name."""
        text = one_line(para.inline.text).strip()
        if not text.endswith(":") or len(text.split()) > 4 or ctx.list_kind is not None:
            return None
        kind = self.section_kind(text.rstrip(": "))
        if kind is None:
            return None
        return replace(ctx, list_kind=kind)

    def section_kind(self, title: str) -> str | None:
        """Assumptions and out-of-scope sections, named as the Word importer names them."""
        names = {
            "assumptions": "assumption",
            "out_of_scope": "out_of_scope",
            "assets": "asset",
            "elements": "element",
            "interfaces": "interface",  # "Entry Points", "Attack Surfaces": one interface per bullet, as in Word
            "controls": "control",  # "Mitigations", "Security Controls": one control per bullet, as in Word
        }
        # "Assets (What we protect)": a bracket closing the heading glosses it; the words before it name the kind
        for name in dict.fromkeys((title, _GLOSS.sub("", title) or title)):
            for kind, item_kind in names.items():
                if any(rx.search(name) for rx in self.section_rx.get(kind, [])):
                    return item_kind
        return None

    def restates_table_threat(self, control: tuple[str, str], ctx: _Ctx) -> bool:
        """Whether a heading whose id has a control's prefix ("### C1 — Secret Leak") is a threat read before
        from a table under that id ("| C1 | Secret leak in the pipeline | 4 | 5 |"): it says more of that
        threat, unless its id is also a control's, its title names a mitigation ("C1 mitigations") or a
        heading above it names controls ("## Measures": a control keyed by the threat's id)."""
        cid = control[0]
        if not cid or self.label_of(control[1]) == "mitigation":
            return False
        return any(self.table_threat_id(tbl, cid) for tbl, _c in self.tables) and not names_measures(self.vocab, ctx.headings)

    def table_threat_id(self, tbl: MdTable, tid: str) -> bool:
        """Whether *tid* is an id in the id column of a threat table (one with a threat's title column and no
        control's) read so far."""
        if len(tbl.rows) < 2:
            return False
        fields = {i: match_header(self.vocab, "threat", h) for i, h in enumerate(tbl.rows[0])}
        ids = [i for i, m in fields.items() if m is not None and m.field == "id"]
        if not ids or not any(m is not None and m.field == "title" and m.exact for m in fields.values()):
            return False
        if any((m := match_header(self.vocab, "control", h)) is not None and m.field == "title" and m.exact for h in tbl.rows[0]):
            return False
        return any(len(row) > ids[0] and one_line(row[ids[0]]).strip("*_ ") == tid for row in tbl.rows[1:])

    @staticmethod
    def under_threats(ctx: _Ctx) -> bool:
        """Whether the heading just above names threats ("Threats Considered", "Attacks"; not "Threat Model",
        whose sections are of every kind)."""
        words = set(norm_text(ctx.headings[-1]).split()) if ctx.headings else set()
        return bool(words & threats_words()) and not words & {"model", "modeling", "modelling"}

    def has_threat_children(self, sec: Section) -> bool:
        for child in sec.children:
            title = self.strip_number(child.title)
            if self.skip_kind(title):
                continue
            if self.heading_id(one_line(child.title), "threat") or self.heading_id(title, "threat"):
                return True
            if self.is_threat_block(self.fields(child.blocks)):
                return True
            if self.has_threat_children(child):
                return True
        return False

    def threat_groups(self, blocks: list[MdBlock]) -> list[list[MdBlock]]:
        """The blocks of a section split before each paragraph that opens a threat with the same label as the first
        ("**Threat**: Staff login faked" … "**Threat**: Session taken over"): one threat each, with the fields up to
        the next. One group when the label is written once (or "**Threat**:" is followed by "**Vulnerability**:",
        two labels of one threat's description)."""
        starts: list[int] = []
        first = ""
        for i, blk in enumerate(blocks):
            got = self.para_label(blk.inline) if isinstance(blk, Para) else None
            if got is None or got[0] != "description" or not got[1].strip():
                continue
            assert isinstance(blk, Para)
            written = norm_text(blk.inline.bold_lead or blk.inline.text.partition(":")[0])
            first = first or written
            if written == first:
                starts.append(i)
        if len(starts) < 2:
            return [blocks]
        starts[0] = 0
        return [blocks[a:b] for a, b in zip(starts, [*starts[1:], len(blocks)], strict=True)]

    def is_threat_block(self, fields: _Fields) -> bool:
        """Fields that say a threat: its description, or an attack vector with its mitigation ("**Vector:**",
        "**Mitigation:**", "**Residual risk:**" under "#### 5.4.1 Token Inflation Attack": how an attack is carried
        out and what stands against it). A safety hazard's control measures and residual risk alone say no attack."""
        if any(f in fields.values for f in self.words["threat_labels"]):
            return True
        return all(fields.text(f).strip() for f in ("vector", "mitigation"))

    def only_described(self, fields: _Fields, title: str) -> bool:
        """A block opened by a generic label ("Description", "Details") under a heading that names no threat, and
        with no field only a threat has: the description of something else (a component, a tool), as in Word."""
        # a description read from nested items ("**2.1. Name server:**" over "**Description:**") was written so
        written = norm_text(fields.written.get("description", "description"))
        if written not in _GENERIC_LABELS:
            return False
        if set(norm_text(title).split()) & {"threat", "threats", "scenario", "attack", "abuse", "misuse", "risk", "hazard"}:
            return False
        return not any(f in fields.values for f in _THREAT_FIELDS)

    # -- fields of a block

    def fields(self, blocks: list[MdBlock]) -> _Fields:
        """Split a section's blocks into labelled fields: ``**Concern**`` paragraphs, ``Impact: ...`` bullets."""
        out = _Fields()
        current: str | None = None
        current_inline = False  # the current field's value stood on its label's line ("**Target:** Pump")
        opened: str | None = None  # a field whose label stands alone ("**Risk Controls**:"), its list to follow
        for blk in blocks:
            if isinstance(blk, MdList) and opened is not None and not opened.startswith("extra:"):
                kinds = [self.item_label(it)[0] for it in blk.items]
                # "**Mitigations:**" over "- ✅ **Data Residency:** …", "- ✅ **Disclosure:** …", "- ✅ **Safeguards:** …":
                # measures each led by its name; a name that is also a field's label ("Disclosure") names a measure there
                named = opened == "mitigation" and any(k is None or k.startswith("extra:") for k in kinds)
                if all(k is None or k.startswith("extra:") or (named and k not in _AFTER_MEASURES) for k in kinds):
                    # "- **Design Control**: Automatic reconnection …" under "**Risk Controls**:": the items are
                    # that field's text, each with its own label, never fields of their own
                    for it in blk.items:
                        out.add(opened, "- " + it.all_text(), it.all_links())
                    opened = None
                    continue
            if isinstance(blk, Code) and opened == "mitigation" and not out.text("mitigation").strip() and blk.content.strip():
                # "**Mitigation:**" over a fenced block of code and nothing else: the measure is written as code,
                # the mitigation's text (as Word reads the same lines), not a skipped block
                out.add(opened, blk.content.strip("\n"))
                opened = None
                continue
            opened = None
            if isinstance(blk, Para):
                inl = blk.inline
                if is_navigation(inl.text):
                    continue  # "[Back to top ↑](#contents)" after a threat's fields: none of them
                got = self.para_label(inl)
                label, rest = got if got is not None else (None, "")
                if label is not None and not rest.strip():
                    opened = label
                if label is not None:
                    out.labels.setdefault(label, one_line(inl.bold_lead or inl.text.partition(":")[0]))
                    out.written.setdefault(label, out.labels[label])
                    for k, (part_label, part) in enumerate(self.split_labels(label, rest, out.labels)):
                        said = self.split_written[k] or one_line(inl.bold_lead or inl.text.partition(":")[0])
                        part_label = self.rating_of_measures(part_label, part, inl.bold_lead or label)
                        current = part_label
                        current_inline = bool(part.strip())
                        out.add(part_label, part, inl.links if part_label == label else None, said)
                elif (split := self.later_label(inl.text)) is not None:
                    # "Attackers may submit fake telemetry." then "**Mitigation:** Per-device HMAC" on the next line
                    # of the same paragraph: the prose, then that field
                    before, label, rest = split
                    if current is not None:
                        out.add(current, before)
                    else:
                        out.lead.append(before)
                    out.labels.setdefault(label, label)
                    out.written.setdefault(label, out.labels[label])
                    for part_label, part in self.split_labels(label, rest):
                        current = part_label
                        current_inline = bool(part.strip())
                        out.add(part_label, part)
                elif current is not None and not (current in _ONE_LINE_FIELDS and current_inline):
                    out.add(current, inl.text, inl.links)
                else:
                    # "**Target:** Pump", a blank line, "An attacker spoofs the pump …": a paragraph of its own after
                    # a one-line field given on its label's line is the threat's text, not more of that field
                    out.lead.append(inl.text)
            elif isinstance(blk, MdList):
                labelled = [self.item_label(it) for it in blk.items]
                if any(lab is not None for lab, _r in labelled):
                    for it, (lab, rest) in zip(blk.items, labelled, strict=True):
                        if lab is not None:
                            out.labels.setdefault(lab, lab)
                            out.written.setdefault(lab, one_line(it.lead.bold_lead or it.lead.text.partition(":")[0]))
                            nested = "\n".join(sub.all_text() for ch in it.children for sub in ch.items)
                            for part_label, part in self.split_labels(lab, "\n".join(x for x in (rest, nested) if x), out.labels):
                                part_label = self.rating_of_measures(part_label, part, it.lead.bold_lead or lab)
                                current = part_label
                                current_inline = bool(part.strip())
                                out.add(part_label, part, it.all_links() if part_label == lab else None)
                        elif current is not None:
                            out.add(current, "- " + it.all_text(), it.all_links())
                elif current is not None:
                    for it in blk.items:
                        out.add(current, "- " + it.all_text(), it.all_links())
                else:
                    out.lead.extend("- " + it.all_text() for it in blk.items)
            elif isinstance(blk, MdTable):
                out.tables.append(blk)
            else:
                out.others.append(blk)
        return out

    def later_label(self, text: str) -> tuple[str, str, str] | None:
        """(text before, field, the rest) for a paragraph of prose whose later line opens a field ("… telemetry.\n
        Mitigation: Per-device HMAC"); None when no line after the first opens one."""
        lines = text.split("\n")
        for n, line in enumerate(lines[1:], start=1):
            head, sep, tail = line.partition(":")
            label = self.label_of(head.strip("* ")) if sep and 0 < len(head.split()) <= 4 else None
            if label is not None:
                return "\n".join(lines[:n]).strip(), label, "\n".join([tail.strip("* ").strip(), *lines[n + 1 :]]).strip()
        return None

    @staticmethod
    def rating_of_measures(fname: str, text: str, written: str) -> str:
        """ "**Safeguards:** 4/5 (Strong - encryption, …)" rates the measures in place, it names none: kept in extra
        under its label, never a control (the block's "**Mitigations:**" line names them)."""
        if fname == "mitigation" and _RATING_LEAD.match(text):
            return "extra:" + written.strip("*_: ")
        return fname

    # -- items

    def threat_block(self, sec: Section, ctx: _Ctx, tid: str | None, title: str, where: str, fields: _Fields | None = None) -> None:
        fields = fields or self.fields(sec.blocks)
        if tid and tid in self.threat_ids and norm_text(self.threat_ids[tid]) != norm_text(title):
            n = 2
            while f"{tid}-{n}" in self.threat_ids:
                n += 1
            self.b.warn(where, f"threat id {tid} is used again for another threat ({title!r}); this one is {tid}-{n}")
            tid = f"{tid}-{n}"
        if tid:
            self.explicit_ids.add(tid)
            self.threat_ids[tid] = title
        form_rows: list[str] = []
        for tbl in list(fields.tables):
            used = self.form_table(tbl, fields)
            if used:
                fields.tables.remove(tbl)
                first = len(tbl.rows) - used + 1
                form_rows.extend(f"line {tbl.line} (table row {n})" for n in range(first, len(tbl.rows) + 1))
        values: dict[str, str] = {}
        if tid:
            values["id"] = tid
        title = one_line(fields.text("title")) or title
        description = fields.text("description") or "\n\n".join(fields.lead)
        if not title:
            title = first_sentence(description)
        if title:
            values["title"] = title
        for label, said in (("vector", "Attack vector"), ("impact", "Impact")):
            more = fields.text(label)
            if more:
                description = f"{description}\n\n{said}: {more}" if description else f"{said}: {more}"
        if description:
            values["description"] = description
        for fname in ("stride", "targets", "assets", "status", "risk", "residual_risk", "sensitivity"):
            if fields.text(fname):
                values[fname] = fields.text(fname)
        self.risk_factors(fields, values)
        if "stride" not in values and ctx.stride:
            values["stride"] = ctx.stride
        if "assets" not in values and ctx.asset:
            values["assets"] = ctx.asset
        if "targets" not in values and ctx.component:
            values["targets"] = ctx.component
        rec = self.record("threat", values, where, ctx)
        for key in fields.values:
            if key.startswith("extra:"):
                rec.extra[key[6:]] = fields.text(key)
        pend = _Pending(rec, threat_id=tid or "")
        if fields.text("mitigation_status"):
            written = (fields.written.get("mitigation_status") or fields.labels.get("mitigation_status") or "").rstrip(":： ")
            pend.mitigation_status = (written, one_line(fields.text("mitigation_status")))
            rec.extra[written or "Mitigation status"] = pend.mitigation_status[1]
        self.mitigation(pend, fields)
        self.threats.append(pend)
        for loc in form_rows:
            self.b.report.merged(self.file, loc, tid or title)
        for tbl in fields.tables:
            self.block(tbl, ctx, owner=title)
        for blk in fields.others:
            self.block(blk, ctx, owner=title)

    def threat_mitigation(self, sec: Section, ctx: _Ctx, tid: str, where: str) -> None:
        """A heading naming a threat's mitigations: its text is that threat's mitigation field."""
        pend = next((p for p in reversed(self.threats) if p.threat_id == tid), None)
        fields = self.fields(sec.blocks)
        if pend is None:
            self.b.report.skipped(self.file, where, f"mitigations of {tid}, which no heading above describes")
            self.b.warn(where, f"mitigations for {tid} but no threat {tid} above them; not imported")
            return
        joined = fields.text("mitigation") or "\n\n".join(fields.lead)
        merged = _Fields(values={"mitigation": [joined]} if joined else {}, links=fields.links)
        heading = self.heading_id(one_line(sec.title), "threat")
        merged.labels["mitigation"] = heading[1] if heading is not None and heading[1] else "mitigation"
        if pend.mitigation or pend.mitigation_refs:
            self.b.warn(where, f"{tid} has mitigations in two places; the text under this heading is added")
            pend.mitigation = "\n\n".join(x for x in (pend.mitigation, joined) if x)
            return
        self.mitigation(pend, merged)
        self.b.report.merged(self.file, where, tid)

    def form_table(self, tbl: MdTable, fields: _Fields) -> int:
        """A two-column table under a threat heading whose first column names fields (``| STRIDE | Spoofing |``,
        ``| Mitigation | MFA |``) is that threat's form: its rows are the threat's fields. Returns the rows read."""
        rows = [r for r in tbl.rows if len(r) >= 2]
        if not rows or any(len(r) != 2 for r in tbl.rows):
            return 0
        body = rows[1:] if not self.label_of(rows[0][0]) else rows
        labelled = [(self.label_of(k), v) for k, v in body if k.strip()]
        if not labelled or sum(lab is not None for lab, _v in labelled) * 2 < len(labelled):
            return 0
        for (key, value), (lab, _v) in zip([(k, v) for k, v in body if k.strip()], labelled, strict=True):
            name = lab if lab is not None else "extra:" + one_line(key)
            fields.labels.setdefault(name, one_line(key))
            fields.add(name, value)
        return len(body)

    def control_block(self, sec: Section, ctx: _Ctx, cid: str, title: str, where: str) -> None:
        fields = self.fields(sec.blocks)
        self.explicit_ids.add(cid)
        description = fields.text("description") or "\n\n".join(fields.lead) or fields.text("mitigation")
        values = {"id": cid, "title": title or first_sentence(description)}
        if description:
            values["description"] = description
        if fields.text("status") or fields.text("mitigation_status"):
            # "**Status:** gone", "**Implementation status:** planned", read as Word reads the line
            values["status"] = one_line(fields.text("status") or fields.text("mitigation_status"))
        if fields.text("sensitivity"):
            values["sensitivity"] = one_line(fields.text("sensitivity"))  # "**Sensitivity:** Trade secret"
        rec = self.record("control", values, where, ctx)
        for key in fields.values:  # other labelled lines are kept (internal), as a threat's are
            if key.startswith("extra:"):
                rec.extra[key[6:]] = fields.text(key)
        self.controls.append(rec)
        back = []
        for link_text, _href in fields.links.get("threats", []):
            got = self.heading_id(link_text, "threat")
            if got is not None:
                back.append(got[0])
        named = fields.text("threats") or (fields.text("targets") if THREAT_REFS.match(fields.text("targets")) else "")
        # ("**Targets:** T1 full" in a control's block: the threats it targets, named by their ids)
        plain = [] if back or fields.links.get("threats") else THREAT_REFS.findall(named)
        if plain:
            # "**Mitigates:** T2, T7" written as plain ids: the control names the threats it mitigates, and the
            # resolver links them as it does a control table's "Threats" column (Word reads the same line so)
            rec.values["threats"] = ", ".join(dict.fromkeys(plain))
            rec.headers["threats"] = fields.labels.get("threats", "threats")
        elif "threats" in fields.values:
            self.control_backlinks[cid] = (list(dict.fromkeys(back)), where)
            written = fields.labels.get("threats", "threats")
            rec.extra[written] = ", ".join(dict.fromkeys(back)) or one_line(fields.text("threats"))
        self.control_tail(fields, ctx, title)

    def control_tail(self, fields: _Fields, ctx: _Ctx, title: str) -> None:
        for blk in fields.tables + fields.others:
            self.block(blk, ctx, owner=title)

    def asset(self, number: str, name: str, where: str) -> str:
        """An "Asset N: name" heading; the same name again is the same asset, whatever its number."""
        key = norm_name(name)
        written = number.split("-", 1)[-1]
        before = self.asset_numbers.get(written)
        if before is not None and before != key:
            self.b.warn(where, f"asset number {written} already names another asset; read by its name {name!r}")
        if key in self.assets:
            aid = self.assets[key]
            self.b.warn(where, f"asset {name!r} is analysed again here; its threats join asset {aid}")
            self.b.report.merged(self.file, where, aid)
            return name
        self.asset_numbers.setdefault(written, key)
        aid = number
        if not aid or aid in self.explicit_ids:
            n = len(self.assets) + 1
            while f"A-{n}" in self.explicit_ids:
                n += 1
            aid = f"A-{n}"
        self.explicit_ids.add(aid)
        self.assets[key] = aid
        self.record("asset", {"id": aid, "name": name}, where, _Ctx())
        return name

    def component(self, name: str, fields: _Fields, where: str) -> str:
        """A "Subsystem n: name" / "Component n: name" heading: one component, described by its text."""
        key = norm_name(name)
        if key in self.components:
            self.b.report.merged(self.file, where, self.components[key])
            return self.components[key]
        self.components[key] = name
        values = {"name": name}
        text = fields.text("description") or "\n\n".join(fields.lead)
        if text:
            values["description"] = text
        self.record("element", values, where, _Ctx())
        return name

    def zone_name(self, title: str) -> str | None:
        words = norm_text(title).split()
        if not words or len(words) > 8:
            return None
        for zw in self.words["zone_words"]:
            zwords = norm_text(str(zw)).split()
            if words[-len(zwords) :] == zwords and len(words) > len(zwords):
                noise = {norm_text(str(n)) for n in self.words["zone_noise"]}
                kept = title.strip().split()
                while kept and norm_text(kept[0]) in noise:
                    kept = kept[1:]
                return " ".join(kept)
        return None

    def zone(self, name: str, where: str) -> str:
        key = norm_name(name)
        if key in self.zones:
            self.b.report.merged(self.file, where, self.zones[key])
            return self.zones[key]
        for known_key, known in self.zones.items():
            if key.endswith(" " + known_key) or key.endswith("/" + known_key):
                self.b.warn(where, f"trust zone {name!r} read as the zone {known!r} named before")
                self.b.report.merged(self.file, where, known)
                return known
        self.zones[key] = name
        self.record("trust_zone", {"name": name}, where, _Ctx())
        return name

    def view(self, kind: str, title: str, where: str) -> str:
        name = title
        base = VIEW_IDS.get(kind) or "view-uc-" + slug(
            re.sub(r"(?i)^.*?use\s*case\s*(view)?\s*\d*\s*[:\-–—]?\s*", "", title) or title, 48, "item"
        )
        iid, n = base, 2
        while iid in self.view_ids:
            iid, n = f"{base}-{n}", n + 1
        self.view_ids.add(iid)
        view = View.model_validate({"id": iid, "kind": kind, "name": name})
        self.b.add_item("view", view, where)
        self.b.views.append(view)
        self.b.report.imported(self.file, where, iid)
        self.views[iid] = view
        return iid

    # -- blocks outside items

    def block(self, blk: MdBlock, ctx: _Ctx, owner: str | None) -> None:
        if isinstance(blk, MdTable):
            if ctx.skip:
                for n in range(1, len(blk.rows)):
                    self.b.report.skipped(self.file, self.loc(blk.line, f"table row {n}"), f"table {ctx.skip}")
                return
            self.tables.append((blk, ctx))
        elif isinstance(blk, Code):
            self.codes.append((blk, ctx))
        elif isinstance(blk, Other):
            if blk.what == "front matter":
                self.b.warn(self.loc(blk.line), f"YAML front matter (lines {blk.line}-{blk.end}) ignored")
            self.b.report.skipped(self.file, self.loc(blk.line, blk.what), f"{blk.what}: not threat-model records")
        elif isinstance(blk, MdList):
            self.list_block(blk, ctx, owner)
        elif isinstance(blk, Para) and not ctx.skip:
            if _SLOTS.fullmatch(blk.inline.text.strip()):
                # "{{THREAT_TABLE}}": a template's slot, never filled in
                slot = one_line(blk.inline.text)[:60]
                self.b.report.skipped(self.file, self.loc(blk.line, "template slot"), f"template slot {slot!r}: not filled in")
                return
            if self.fact_lines(blk):
                return
            if ctx.view:
                self.view_text.setdefault(ctx.view, []).append(blk.inline.text)

    def fact_lines(self, para: Para) -> bool:
        """``**Version:** v1.0`` / ``Manufacturer: Acme`` lines give document and product facts, as in Word."""
        lines = [ln.strip() for ln in para.inline.text.split("\n") if ln.strip()]
        found = []
        for ln in lines:
            key, sep, value = ln.partition(":")
            if not sep or len(key) > 40 or not value.strip():
                return False
            path = fact_key(self.vocab, key.strip("* "))
            if path is None:
                continue
            value = value.strip("* ").strip()
            if is_fill_in(value) or "{{" in value:
                why = f"{key.strip('* ')!r} is a template's fill-in ({value[:40]!r})"
                self.b.report.skipped(self.file, self.loc(para.line, "facts"), why)
                continue
            found.append((path, value))
        if not found:
            return any("{{" in ln or is_fill_in(ln.partition(":")[2].strip("* ")) for ln in lines)
        where = self.loc(para.line, "facts")
        for path, value in found:
            if path == "ignore":
                self.b.report.skipped(self.file, where, "document-control field deliberately not copied")
                continue
            self.b.add_fact(path, value, where)
            self.b.report.imported(self.file, where, path.split(".")[0])
        return True

    # -- after the walk

    def _measures(self, pend: _Pending, items: list[tuple[str, str | None, str, str, bool]]) -> None:
        """A control for each of a threat's measures, linked to it: (text, status, the label it stood under, where its
        status came from, whether a status is warned as read from that label)."""
        cids = []
        for text, status, label, status_head, warned in items:
            cid = self.new_control_id()
            values = {"id": cid, "title": mitigation_title(self.vocab, text).rstrip("."), "description": text}
            heads = {"id": "id", "title": label, "description": label}
            if status:
                values["status"], heads["status"] = status, status_head
                if warned:
                    self.b.warn(pend.rec.locator, f"control {cid} under {label!r}, a later phase than the first: read as planned")
            rec = RowRecord(kind="control", file=self.file, locator=pend.rec.locator, values=values, headers=heads, extra={})
            rec.view = pend.rec.view
            self.b.records.append(rec)
            cids.append(cid)
        pend.control = ", ".join(cids)
        pend.rec.values["controls"] = pend.control
        pend.rec.headers["controls"] = "mitigation"

    def finish(self) -> None:
        by_title = {norm_name(c.values.get("title", "")): c for c in self.controls if c.values.get("title")}
        for pend in self.threats:
            named = by_title.get(norm_name(one_line(pend.mitigation).strip(" .-*"))) if pend.mitigation else None
            if named is not None:
                # The mitigation names a control written under its own heading: a reference, not a new control.
                pend.mitigation_refs = [named.values.get("id") or named.values["title"]]
                pend.mitigation = ""
            # "We acknowledge that … but we note that: …": the words that argue the risk is acceptable, if any
            argued = accepts_risk(pend.mitigation) if pend.mitigation and not pend.mitigation_refs else None
            if pend.mitigation_refs:
                pend.rec.values["controls"] = ", ".join(pend.mitigation_refs)
                pend.rec.headers["controls"] = "mitigation"
            elif argued is not None and not _LISTED_ITEM.search(pend.mitigation):
                # a text that only argues the risk is acceptable: the threat's rationale
                text = pend.mitigation
                said = pend.rec.values.get("rationale")
                pend.rec.values["rationale"] = f"{said}\n\n{text}" if said else text
                pend.rec.headers["rationale"] = "mitigation"
                self.b.warn(
                    pend.rec.locator,
                    f"the mitigation text argues that the risk is acceptable ({argued!r} …): kept as the threat's rationale, "
                    "not made a control",
                )
            elif pend.phased:
                # "SMAOS Mitigation (Phase 1): …" then "Phase 2 Mitigation: …": a control for each phase, a later
                # one planned
                self._measures(pend, [(text, status, label, label, True) for label, text, status in pend.phased])
            elif pend.mitigation and not pend.planned and (marked := status_marked_items(self.vocab, pend.mitigation)) is not None:
                # "- ✅ Tokens encrypted at rest" beside "- ⚠️ TODO: Token rotation on use": a control for each
                # measure, in place or to do as its mark says
                self._measures(pend, [(text, status, "mitigation", "mark", False) for text, status in marked])
            elif pend.mitigation:
                cid = self.new_control_id()
                text = pend.mitigation
                mark = status_mark(self.vocab, one_line(text)) if "\n" not in text.strip() else None
                if argued is not None:
                    # "… should be considered small because:" over "MAC addresses rotate every 15 minutes", "we turn
                    # off discoverability …": the reasons list measures, so the block is a control, as its author
                    # wrote it under "Mitigations"; the reader is told it opens by arguing the risk is acceptable
                    self.b.warn(
                        pend.rec.locator,
                        f"the mitigation text opens by arguing that the risk is acceptable ({argued!r} …) and then lists "
                        f"items: control {cid} made of it; check which items are measures",
                    )
                ctl = RowRecord(
                    kind="control",
                    file=self.file,
                    locator=pend.rec.locator,
                    values={
                        "id": cid,
                        "title": mitigation_title(self.vocab, (mark[0] if mark else text).lstrip("-* ")).rstrip("."),
                        "description": text,
                    },
                    headers={"id": "id", "title": "mitigation", "description": "mitigation"},
                    extra={},
                    view=pend.rec.view,
                )
                if denies_mitigation(text):
                    ctl.values["status"] = "not_implemented"  # "Not mitigated for the web client. Use …": none in place
                    ctl.headers["status"] = "mitigation"
                    self.b.warn(
                        pend.rec.locator, f"control {cid}: its text opens by saying the threat is not mitigated: read as not in place"
                    )
                elif pend.planned:
                    ctl.values["status"] = pend.said_status  # "Potential mitigations": proposed, not in place
                    ctl.headers["status"] = pend.planned
                elif mark is not None:
                    ctl.values["status"] = mark[1]  # "JWT + MFA ✅ (zaimplementowane)": the mark says it, out of the title
                    ctl.headers["status"] = "status mark"
                elif (note := deferred_by_note(self.vocab, text)) is not None:
                    ctl.values["status"] = "planned"  # "Autosave (future enhancement)": not in place yet
                    ctl.headers["status"] = f"note ({note})"
                elif (stated := self.status_from_threat(pend)) is not None:
                    ctl.values["status"], ctl.headers["status"] = stated  # "**Status:** Planned" beside the mitigation
                recommended_control(self.vocab, ctl, text, self.b.warn)
                self.b.records.append(ctl)
                pend.control = cid
                pend.rec.values["controls"] = cid
                pend.rec.headers["controls"] = "mitigation"
        for pend in self.threats:
            if pend.shared_with is not None and pend.shared_with.control:
                pend.rec.values["controls"] = pend.shared_with.control
                pend.rec.headers["controls"] = "mitigation"
        self.links()
        self.read_tables()
        self.heading_risk_controls()
        self.id_led_controls()
        self.read_codes()
        for vid, paras in self.view_text.items():
            self.views[vid].description = "\n\n".join(paras)

    def status_from_threat(self, pend: _Pending) -> tuple[str, str] | None:
        """(status, where it is stated) for the control made from a threat's mitigation, from the threat's block: a
        "Mitigation status" line says it whatever it is; the threat's own "Status" says it only when it reads as
        work not done ("Planned", "❌ To implement", "In progress"): the threat is open because its mitigation is
        not in place. A threat status that reads as done ("Mitigated") is no statement about which measure is in
        place, and claims nothing for the control."""
        if pend.mitigation_status is not None:
            label, text = pend.mitigation_status
            said = parse_choice(self.vocab, "control_status", text).value
            if said is not None:
                return said, f"threat's {label!r} ({text})"
        status = one_line(pend.rec.values.get("status", ""))
        said = work_not_done(self.vocab, status)
        return (said, f"threat's status ({status})") if said is not None else None

    def heading_risk_controls(self) -> None:
        """Measures listed under the heading of one risk ("#### INF-001: Provider Outage" over "**Design
        Controls:**" and its bullets), that risk read from the same file: each is that risk's control (warned)."""
        threats = {r.values.get("id") for r in self.b.records if r.kind == "threat"}
        linked: dict[str, tuple[str, int]] = {}  # id -> (where the first control is, how many)
        heads: dict[str, str] = {}
        for ctl, hid, heading in self.heading_controls:
            if hid in threats and not ctl.values.get("threats"):
                ctl.values["threats"] = hid
                ctl.headers["threats"] = f"heading {heading[:60]!r}"
                where, n = linked.get(hid, (ctl.locator, 0))
                linked[hid] = (where, n + 1)
                heads[hid] = heading
        for hid, (where, n) in linked.items():
            self.b.warn(where, f"{n} control(s) listed under the heading {heads[hid][:60]!r} read as the controls of {hid}")

    def id_led_controls(self) -> None:
        """Mitigation lines led by a control id ("- [SC-01] FIPS 140-2 HSM") name the control of that id; one
        that no table or heading defines is made from its line, once (the first line that names it)."""
        known = {r.values.get("id") for r in self.b.records if r.kind == "control"}
        for pend in self.threats:
            for cid, text in pend.id_lines:
                if cid in known:
                    continue
                known.add(cid)
                self.explicit_ids.add(cid)
                ctl = RowRecord(
                    kind="control",
                    file=self.file,
                    locator=pend.rec.locator,
                    values={"id": cid, "title": first_sentence(text).rstrip("."), "description": text},
                    headers={"id": "id", "title": "mitigation", "description": "mitigation"},
                    extra={},
                    view=pend.rec.view,
                )
                if pend.planned:
                    ctl.values["status"] = pend.said_status
                    ctl.headers["status"] = pend.planned
                self.b.records.append(ctl)

    def link_basis(self, model: Model, item_of: dict[int, str]) -> None:
        """After the build: say on each threat which of its links the document does not state as a pair
        (``controls_grouped``: listed side by side under one heading) and which it states in one direction only
        (``controls_disputed``: the threat names the control and the control's list leaves it out, or the other
        way round)."""
        threats = {t.id: t for t in model.threats}
        controls = {c.id for c in model.controls}
        for pend in self.threats:
            threat = threats.get(item_of.get(id(pend.rec), ""))
            if threat is None or not pend.grouped:
                continue
            # the ids the group links (resolved into ``controls`` with the rest of the references)
            group = [*pend.mitigation_refs, pend.control, pend.shared_with.control if pend.shared_with else ""]
            threat.controls_grouped = [c for c in dict.fromkeys(group) if c]
        by_source = {p.threat_id: p for p in self.threats if p.threat_id}
        for tid, cid in self.disputed:
            named = by_source.get(tid)
            threat = threats.get(item_of.get(id(named.rec), "")) if named is not None else None
            if threat is not None and cid in controls and cid not in threat.controls_disputed:
                threat.controls_disputed.append(cid)

    def links(self) -> None:
        """Forward links (threat -> mitigation) and back links (mitigation -> threats) that disagree are reported."""
        if not self.control_backlinks:
            return
        forward = {(p.threat_id, c) for p in self.threats if p.threat_id for c in p.mitigation_refs}
        back = {(t, c) for c, (ts, _w) in self.control_backlinks.items() for t in ts}
        where = {p.threat_id: p.rec.locator for p in self.threats}
        for t, c in sorted(forward - back):
            if c in self.control_backlinks:
                self.disputed.append((t, c))
                self.b.warn(
                    where.get(t),
                    f"{t} names {c} as its mitigation, but {c} does not list {t} among the threats it mitigates; kept as the threat says",
                )
        for t, c in sorted(back - forward):
            self.disputed.append((t, c))
            self.b.warn(
                self.control_backlinks[c][1],
                f"{c} lists {t} among the threats it mitigates, but {t} does not name {c}; not linked (kept in the control's extra)",
            )
