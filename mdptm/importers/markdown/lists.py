"""Bulleted lists of a Markdown threat model: labelled threats, titled items and lists under a STRIDE heading."""

from __future__ import annotations

import re
from dataclasses import replace

from mdptm.importers.markdown.document import (
    ListItem,
    MdList,
)
from mdptm.importers.markdown.fields import _Ctx, _Fields, _Pending
from mdptm.importers.markdown.state import _ReaderState
from mdptm.importers.markdown.words import _CHECK_BOX, _LABEL_END
from mdptm.importers.tabular.lists import HEADING_ID_LEAD, ITEM_ID, THREAT_REF_LEAD, id_led_threat, said_mitigation
from mdptm.importers.tabular.records import first_sentence, status_mark, status_marked_items
from mdptm.importers.tabular.stride import stride_definition_texts, stride_primer_heading
from mdptm.importers.tabular.vocab import (
    clean_text,
    mitigation_status,
    norm_text,
    one_line,
    parse_risk,
    parse_stride,
)

_NUMBER_LEAD = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+")  # "4.1.1. Buffer Overflows": the numbering
# The arrow between a flow's two ends in a bold term: "Client → Web Application", "API -> Database".
# "… checkout. Mitigation: derive …": a label after the end of a sentence (a line of its own before lines were joined)
_INLINE_LABEL = re.compile(r"(?<=[.;!?])\s+(([A-Z][\w()/-]*(?: [\w()/-]+){0,3}):\s)")
_GLOSS = re.compile(r"\s*\(([^()]+)\)\s*$")  # a bracket closing an item glosses it
_ARROW = re.compile(r"\s*(?:→|->|⇒|=>|⟶|↔|<->|⇄)\s*")


class ListReading(_ReaderState):
    """The list readers of the walk (:class:`~mdptm.importers.markdown.reader.BlockReader`)."""

    def list_block(self, lst: MdList, ctx: _Ctx, owner: str | None) -> None:
        where = self.loc(lst.line, "list")
        if ctx.skip:
            if self.labelled_threats(lst):
                self.b.report.skipped(self.file, where, f"threat-like list {ctx.skip}")
            return
        if self.labelled_threats(lst):
            self.labelled_list(lst, ctx)
            return
        if self.risk_items(lst):
            # "1. Risk: a remote account exposes credentials …" over "Mitigation: require a dedicated account …":
            # each item one risk named by its sentence, with its mitigation
            self.b.warn(where, f"list of {len(lst.items)} item(s) each 'Risk: <sentence>' with a mitigation read as threats")
            self.flat_labelled(lst.items, ctx, stride=ctx.stride, opener="risk")
            return
        if self.b.add_bands([it.lead.text for it in lst.items], where):
            # "- **Critical (20-25):** Immediate action": the document's score bands, not records
            self.b.report.skipped(self.file, where, "legend of risk score bands: read, not items")
            return
        boxes = [_CHECK_BOX.match(it.lead.text) for it in lst.items]
        if all(boxes) and ctx.list_kind == "control" and not (ctx.stride and not ctx.view):
            # "### Additional Recommendations:" over "- [ ] Implement root detection": measures, each as its box says
            # (empty: planned), as Word reads the same items
            self.plain_items("control", lst, ctx, where)
            return
        if all(boxes):
            # "- [x] Threats reviewed": a checklist of work done or to do, never threats
            ticked = sum(1 for m in boxes if m is not None and m.group(1).strip())
            self.b.report.skipped(self.file, where, f"checklist of {len(boxes)} box(es), {ticked} ticked: tasks, not threat-model records")
            heading = ctx.headings[-1] if ctx.headings else ""
            if self.names_threats(heading):
                self.b.warn(where, f"checklist under {heading!r} not read as threats: its items carry no threat label")
            return
        if ctx.stride and not ctx.view and ctx.list_kind != "control":
            # "#### Controls Implemented:" under "### 1. Spoofing (S)" holds that category's controls, not threats
            self.stride_list(lst, ctx)
            return
        if ctx.list_kind in ("asset", "element", "interface"):
            # "- Kubernetes YAML documents" under "Assets": one item per short bullet, "Name – description" split.
            for it in lst.items:
                parts = re.split(r"\s+[–—-]\s+|:\s+", one_line(it.lead.text), maxsplit=1)
                bold = one_line(it.lead.bold_lead or "").strip(" .:*")
                after = _LABEL_END.sub("", one_line(it.lead.after_bold)).strip()
                opening = one_line(it.lead.bold_lead or "")
                closed = opening.endswith((".", ":")) or one_line(it.lead.after_bold).startswith((".", ":", "–", "—", "- "))
                if closed and bold and after and len(bold.split()) <= 8 and one_line(it.lead.text).startswith(opening):
                    # "**The findings register.** Every unpatched flaw …": the bold name, then what it is
                    parts = [bold, after]
                gloss = _GLOSS.search(parts[0]) if len(parts) == 1 and ctx.list_kind == "asset" else None
                if gloss is not None and gloss.start() > 0 and len(gloss.group(1).split()) > 1:
                    # "PHI (health data on the device)": name, description ("Protected Health Information (PHI)" stays)
                    parts = [parts[0][: gloss.start()], gloss.group(1)]
                name = parts[0].strip(" .*")
                if not name or len(name.split()) > 8:
                    self.b.report.skipped(self.file, self.loc(it.line, "list item"), f"not a short {ctx.list_kind} name")
                    continue
                values = {"name": name}
                if len(parts) > 1:
                    values["description"] = parts[1]
                if ctx.list_kind == "interface":
                    values["tags"] = "interface"  # an entry point: one interface, not a flow with two ends
                self.record("element" if ctx.list_kind == "interface" else ctx.list_kind, values, self.loc(it.line, "list item"), ctx)
            return
        if ctx.list_kind == "control":
            self.plain_items("control", lst, ctx, where)
            return
        if ctx.list_kind:
            for it in lst.items:
                text = clean_text(it.all_text())
                if text:
                    self.record(ctx.list_kind, {"text": text}, self.loc(it.line, "list item"), ctx)
            return
        if ctx.view:
            view = self.views[ctx.view]
            view.steps.extend(one_line(it.lead.text) for it in lst.items if it.lead.text)
            return
        heading = ctx.headings[-1] if ctx.headings else ""
        if self.names_threats(heading) and self.titled_items(lst):
            self.b.warn(where, f"list under {heading!r} read as threats: one per bold title")
            for it in lst.items:
                fields = _Fields()
                tid = self.bold_id(it)
                title = "" if tid else one_line(it.lead.bold_lead or "").strip(" :.-–—")
                body = _LABEL_END.sub("", it.lead.after_bold).strip()
                measure = said_mitigation(body)
                if measure is not None:
                    # "1. **Unbefugter Zugriff**: Schutz durch Authentifizierung": the threat, and what protects against it
                    fields.add("mitigation", measure, it.lead.links, label="mitigated by")
                else:
                    fields.add("description", body or title, it.lead.links)
                for child in it.children:
                    for sub in child.items:
                        lab, rest = self.item_label(sub)
                        fields.add(lab if lab and lab != "description" else "description", rest or sub.all_text())
                self.emit_item(fields, it.line, ctx, ctx.stride, title=title, tid=tid)
            return
        if self.arrow_list(lst, where):
            return
        led = [id_led_threat(it.all_text(), heading, self.file, self.loc(it.line, "list item"), ctx.view) for it in lst.items]
        if led and all(led):
            # "- **T-3-04 (Admin suspends another admin):** Mitigated by …" under "Threat Model Mitigations"
            for rec in led:
                assert rec is not None
                self.b.records.append(rec)
            if all("id" in rec.values for rec in led if rec is not None):
                self.b.warn(where, f"list of {len(led)} item(s) led by a threat's id and title read as those threats")
            else:
                self.b.warn(where, f"list of {len(led)} item(s) each naming a risk and what mitigates it read as those threats")
            return
        if self.stride_labelled(lst, ctx, where):
            return
        if any(self.label_of(it.lead.bold_lead) or it.lead.bold_lead for it in lst.items):
            self.b.report.skipped(self.file, where, "list of bold terms (definitions or emphasis): not threat-model records")
            return
        if owner is not None and any(rx.search(self.strip_number(heading)) for rx in self.list_headings):
            if self.lead_in and self.lead_rule.lead_in(self.lead_in) is None:
                # "The four core elements of a threat model are:" over the bullets: the lead-in says what they are
                why = f"list under {heading!r} after the lead-in {one_line(self.lead_in)[:60]!r}: not threats"
                self.b.report.skipped(self.file, where, why)
                return
            # "## Threats" / "## Primary threats" over plain bullets: one threat per item, as Word reads them
            self.plain_items("threat", lst, ctx, where)
            return
        lead = self.lead_rule.lead_in(self.lead_in) if self.lead_in else None
        if owner is not None and lead == "threat" and len(one_line(self.lead_in).split()) <= 4:
            # "Protect against:" / "Most likely threats:" right above a plain list: one threat per item, as Word
            # reads a label line over a list
            self.plain_items("threat", lst, ctx, where, named_by=f"the line above names them: {one_line(self.lead_in)!r}")
            return
        if self.names_threats(heading) or norm_text(self.strip_number(heading)) in ("threat model", "threat models"):
            self.b.warn(
                where,
                f"list of {len(lst.items)} item(s) under {heading!r} not read as threats: its items carry "
                "no threat label (**Threat:**, a STRIDE heading or a threat heading)",
            )
        self.b.report.skipped(self.file, where, f"list under {heading!r} without threat labels: not read as records")

    def stride_labelled(self, lst: MdList, ctx: _Ctx, where: str) -> bool:
        """ "- **Spoofing:** Rogue BLE devices → whitelist" under a heading of threats, of STRIDE or of the threat
        model: one threat per item, of the category its bold label names, titled by the words after it; words after
        a single arrow are its mitigation. A list whose texts define the categories ("Pretending to be someone
        else", questions) is a primer: skipped, said so. False when the items are not all so labelled."""
        pairs: list[tuple[str, str, str]] = []  # (category, label, text)
        for it in lst.items:
            bold = one_line(it.lead.bold_lead or "").strip(" :.-–—")
            cat = self.heading_stride(bold) if len(bold) >= 3 else None  # "**S**poofing": a letter, no label
            text = _LABEL_END.sub("", it.lead.after_bold).strip(" :-–—")
            if cat is None or not text:
                return False
            pairs.append((cat, bold, text))
        if len(pairs) < 2:
            return False
        named = [h for h in ctx.headings if h]
        said = next(
            (
                h
                for h in reversed(named)
                if self.names_threats(h) or {"stride"} & set(norm_text(h).split()) or "threat model" in norm_text(h)
            ),
            None,
        )
        if said is None:
            return False
        if stride_primer_heading(said) or stride_definition_texts([(label, text) for _cat, label, text in pairs]):
            self.b.report.skipped(self.file, where, "list defining the STRIDE categories (a primer), not threats")
            self.b.warn(where, f"list under {said!r} not read as threats: its texts define the STRIDE categories")
            return True
        for it, (cat, _label, text) in zip(lst.items, pairs, strict=True):
            fields = _Fields()
            parts = [p.strip() for p in re.split(r"\s*→\s*", text)]
            threat = text
            if len(parts) == 2 and all(parts):
                threat = parts[0]  # "Fremde BLE-Geräte → Whitelist & Mapping-Lock": the threat, then its measure
                fields.add("mitigation", parts[1])
            fields.add("description", text, it.lead.links)
            for child in it.children:
                for sub in child.items:
                    fields.add("description", "- " + sub.all_text(), sub.all_links())
            title = threat.rstrip(".") if len(threat) <= 100 else first_sentence(threat).rstrip(".")
            self.emit_item(fields, it.line, ctx, cat, title=title)
        self.b.warn(where, f"list of {len(pairs)} item(s) labelled by STRIDE categories under {said!r} read as threats, one per item")
        return True

    def plain_items(self, kind: str, lst: MdList, ctx: _Ctx, where: str, named_by: str = "the heading names them") -> None:
        """One threat or control per top-level item of a plain list under a "Threats" or "Mitigations" heading,
        titled by its text (its first sentence when long); nested items describe it. Questions are skipped."""
        made = 0
        # "- ✅ HMAC-chained audit logging" under "Implemented Controls:": every item opens with its status mark
        marked = (
            status_marked_items(self.vocab, "\n".join("- " + one_line(it.lead.text) for it in lst.items)) if kind == "control" else None
        )
        if marked is not None and len(marked) != len(lst.items):
            marked = None
        heading = ctx.headings[-1] if ctx.headings else ""
        said = mitigation_status(self.vocab, self.strip_number(heading).rstrip(": ")) if kind == "control" and heading else None
        for n, it in enumerate(lst.items):
            text = one_line(_CHECK_BOX.sub("", it.lead.text)) if marked is None else marked[n][0]
            # "- [ ] Root detection", "- ✅ Audit log" among unmarked items: that measure's status, out of its title
            own = status_mark(self.vocab, one_line(it.lead.text)) if kind == "control" and marked is None else None
            if own is not None:
                text = one_line(own[0])
            loc = self.loc(it.line, "list item")
            if not text or text.endswith("?"):
                self.b.report.skipped(self.file, loc, "a question or an empty item, not a " + kind)
                continue
            title = text.rstrip(".") if len(text) <= 100 else first_sentence(text).rstrip(".")
            more = [clean_text(sub.all_text()) for child in it.children for sub in child.items]
            description = "\n".join(x for x in ([text] if title != text.rstrip(".") else []) + more if x)
            if kind == "control":
                values = {"id": self.new_control_id(), "title": title}
                if description:
                    values["description"] = description
                if marked is not None:
                    values["status"] = marked[n][1]
                elif own is not None:
                    values["status"] = own[1]
                elif said is not None:
                    values["status"] = said  # "#### Controls Implemented:" over the list: in place, as its heading says
                self.controls.append(self.record("control", values, loc, ctx))
                led = next((m for h in reversed(ctx.headings) if (m := HEADING_ID_LEAD.match(h)) is not None), None)
                if led is not None:
                    self.heading_controls.append((self.controls[-1], led.group(1), one_line(led.string)))
                elif (named := THREAT_REF_LEAD.match(one_line(self.lead_in))) is not None:
                    # "**Threat #1 – Anon key exposed in app**" over the list: the measures of threat 1
                    self.heading_controls.append((self.controls[-1], named.group(1), one_line(self.lead_in)))
            else:
                fields = _Fields()
                fields.add("description", "\n".join(x for x in [text, *more] if x), it.lead.links)
                self.emit_item(fields, it.line, ctx, ctx.stride, title=title)
            made += 1
        if made:
            self.b.warn(where, f"plain list of {made} item(s) read as {kind}s, one per item ({named_by})")

    def arrow_list(self, lst: MdList, where: str) -> bool:
        """Bold terms naming two ends with an arrow ("**Client → Web Application**: HTTPS/TLS encrypted"), two
        or more of them: data flows, each described by the words after it. An item without an arrow is skipped."""
        ends = [_ARROW.split(one_line(it.lead.bold_lead or "").strip(" :")) for it in lst.items]
        flows = [e for e in ends if len(e) == 2 and all(x.strip() for x in e)]
        if len(flows) < 2:
            return False
        for it, pair in zip(lst.items, ends, strict=True):
            loc = self.loc(it.line, "list item")
            if len(pair) != 2 or not all(x.strip() for x in pair):
                self.b.report.skipped(self.file, loc, "item of a list of flows that names no two ends")
                continue
            values = {"name": one_line(it.lead.bold_lead or "").strip(" :"), "source": pair[0].strip(), "target": pair[1].strip()}
            rest = _LABEL_END.sub("", it.lead.after_bold).strip()
            if rest:
                values["description"] = rest
            self.record("flow", values, loc, _Ctx())
        self.b.warn(where, f"list of {len(flows)} bold 'A → B' terms read as data flows")
        return True

    def threat_items(self, lst: MdList) -> int:
        """Top-level items of *lst* that open a threat ("- **Threat:** ...")."""
        return sum(1 for it in lst.items if self.item_label(it)[0] == "description")

    def titled_items(self, lst: MdList) -> bool:
        """Every item starts with a bold title that is no field label, and not every title is a STRIDE category (a
        list of definitions), and says something after it: "1. **Spoofed login** – an attacker ...";
        "3. **Denial-of-Service**: rate limiting" beside "1. **Unauthorized access**: …" is one threat of them."""
        categories = 0
        for it in lst.items:
            bold = one_line(it.lead.bold_lead or "").strip(" :.-–—")
            if not bold or self.label_of(bold) or len(bold.split()) > 14:
                return False
            categories += bool(self.heading_stride(bold))
            if not _LABEL_END.sub("", it.lead.after_bold).strip() and not it.children:
                return False
        return bool(lst.items) and categories < len(lst.items)

    def labelled_threats(self, lst: MdList) -> bool:
        """A list whose items, or their nested items, carry a threat label ("**Threat:** ..."), or whose items are
        bold titles over a threat's fields ("**4.1.1. Buffer Overflows:**" over "**Description:**" and
        "**Attack Vector:**")."""
        for it in lst.items:
            lab, _rest = self.item_label(it)
            written = norm_text(it.lead.bold_lead or it.lead.text.partition(":")[0])
            if lab == "description" and any(w in written.split() for w in ("threat", "scenario", "attack", "concern")):
                return True
            if self.titled_fields(it):
                return True
            for child in it.children:
                if self.labelled_threats(child):
                    return True
        return False

    def risk_items(self, lst: MdList) -> bool:
        """Every item opens with a plain "Risk:" label over a sentence (not a level: "Risk: High" is a rating) and
        holds a mitigation label of its own: "1. Risk: a stale checkout changes results. / Mitigation: resync …"."""
        for it in lst.items:
            lab, rest = self.item_label(it)
            if lab != "risk" or len(rest.split()) < 4 or parse_risk(self.vocab, rest.split()[0].strip(".,;:")).ok:
                return False
            parts = self.split_labels(lab, self.label_lines(rest))
            subs = [self.item_label(c)[0] for child in it.children for c in child.items]
            if not any(p == "mitigation" for p, _t in parts) and "mitigation" not in subs:
                return False
        return bool(lst.items)

    def label_lines(self, text: str) -> str:
        """*text* with each field label that follows the end of a sentence put on a line of its own: the lines of
        "Risk: a stale checkout changes results.\n   Mitigation: resync …" are one paragraph once read."""

        def cut(m: re.Match[str]) -> str:
            return "\n" + m.group(1) if self.label_of(m.group(2)) is not None else m.group(0)

        return _INLINE_LABEL.sub(cut, text)

    def action_items(self, lst: MdList) -> bool:
        """Every item a bold title alone ("**4.3.1. Rigorous Code Review:**") over nested "**Action:**" items."""
        for it in lst.items:
            bold = one_line(it.lead.bold_lead or "")
            if not bold or _LABEL_END.sub("", it.lead.after_bold).strip():
                return False
            written = {norm_text((sub.lead.bold_lead or "").rstrip(": ")) for child in it.children for sub in child.items}
            if "action" not in written:
                return False
        return bool(lst.items)

    def action_controls(self, lst: MdList, ctx: _Ctx) -> None:
        """Under a mitigations label: one control per bold title, its "Action:" and "Rationale:" items its text."""
        for it in lst.items:
            title = _NUMBER_LEAD.sub("", one_line(it.lead.bold_lead or "")).strip(" :.-–—")
            text = "\n".join(clean_text(sub.all_text()) for child in it.children for sub in child.items)
            values = {"id": self.new_control_id(), "title": title, "description": text}
            self.controls.append(self.record("control", values, self.loc(it.line, "list item"), ctx))
        self.b.warn(self.loc(lst.line, "list"), f"list of {len(lst.items)} titled measure(s) with their actions read as controls")

    def titled_fields(self, it: ListItem) -> str:
        """The title of a list item written as a bold title alone ("**4.1.1. Buffer Overflows:**") over nested
        items of which one describes it ("**Description:**") and another says how the attack goes or what it does
        ("**Attack Vector:**", "**Impact:**"); "" otherwise."""
        bold = one_line(it.lead.bold_lead or "")
        if not bold or _LABEL_END.sub("", it.lead.after_bold).strip() or self.label_of(bold.rstrip(": ")):
            return ""
        if self.heading_stride(bold.strip(" :")):
            return ""  # "**Spoofing Identity:**" over its fields: a category, the threat is titled by its text
        labels = {self.item_label(sub)[0] for child in it.children for sub in child.items}
        if "description" not in labels or not labels & {"vector", "impact", "likelihood", "risk", "mitigation"}:
            return ""
        return _NUMBER_LEAD.sub("", bold).strip(" :.-–—")

    def labelled_list(self, lst: MdList, ctx: _Ctx) -> None:
        """``1. **Spoofing**`` items with nested ``**Threat:**`` / ``**Mitigation:**`` bullets, or flat ones."""
        flat = [self.item_label(it) for it in lst.items]
        if any(lab == "description" for lab, _r in flat):
            self.flat_labelled(lst.items, ctx, stride=ctx.stride)
            return
        for it in lst.items:
            stride = parse_stride(self.vocab, it.lead.bold_lead or it.lead.text)
            here = replace(ctx, stride=",".join(stride.value) if stride.ok and stride.value else ctx.stride, list_kind=None)
            found = False
            title = self.titled_fields(it)
            if title:
                # "**4.1.1. Buffer Overflows:**" over its "**Description:**" / "**Attack Vector:**" items: that threat
                self.flat_labelled([sub for child in it.children for sub in child.items], here, stride=here.stride, title=title)
                continue
            for child in it.children:
                if self.labelled_threats(child):
                    self.flat_labelled(child.items, here, stride=here.stride)
                    found = True
            if not found:
                self.b.report.skipped(self.file, self.loc(it.line, "list item"), "list item without a threat label")

    def flat_labelled(self, items: list[ListItem], ctx: _Ctx, stride: str | None, title: str = "", opener: str = "description") -> None:
        current: tuple[_Fields, int] | None = None
        for it in items:
            lab, rest = self.item_label(it)
            if lab == opener:
                lab, rest = "description", self.label_lines(rest)  # "Risk: <sentence>" opens a risk as "Threat:" does
            if lab == "description":
                if current is not None:
                    self.emit_item(current[0], current[1], ctx, stride, title=title)
                    title = ""
                current = (_Fields(), it.line)
            if current is None:
                self.b.report.skipped(self.file, self.loc(it.line, "list item"), "list item before any threat label")
                continue
            subs = [c for child in it.children for c in child.items]
            own = [c for c in subs if self.item_label(c)[0] not in (None, "description")]
            nested = "\n".join(c.all_text() for c in subs if c not in own)
            body = "\n".join(x for x in (rest, nested) if x)
            if lab is None:
                current[0].add("description", it.all_text(), it.all_links())
            else:
                current[0].labels.setdefault(lab, it.lead.bold_lead or lab)
                for part_label, part in self.split_labels(lab, body, current[0].labels):
                    current[0].add(part_label, part, it.lead.links if part_label == lab else None)
            for sub in own:  # "- **Threat:** ..." with nested "  - **Mitigation:** ..." bullets
                sub_label, sub_rest = self.item_label(sub)
                assert sub_label is not None
                current[0].labels.setdefault(sub_label, sub.lead.bold_lead or sub_label)
                sub_nested = "\n".join(c.all_text() for ch in sub.children for c in ch.items)
                current[0].add(sub_label, "\n".join(x for x in (sub_rest, sub_nested) if x), sub.all_links())
        if current is not None:
            self.emit_item(current[0], current[1], ctx, stride, title=title)

    def bold_id(self, it: ListItem) -> str | None:
        """The item's bold lead when it is an id alone with the title after it ("**T-S-001**: Rogue app …",
        "**T1.1:** Unauthorised access …"): the threat's own id, which a risk table elsewhere keys its rows by."""
        bold = one_line(it.lead.bold_lead or "").strip(" :.-–—")
        if not bold or ITEM_ID.fullmatch(bold) is None or not _LABEL_END.sub("", it.lead.after_bold).strip():
            return None
        return bold

    def emit_item(self, fields: _Fields, line: int, ctx: _Ctx, stride: str | None, title: str = "", tid: str | None = None) -> None:
        description = fields.text("description")
        values: dict[str, str] = {"title": title or first_sentence(description), "description": description}
        if tid:
            values["id"] = tid
            self.explicit_ids.add(tid)
        for label, said in (("vector", "Attack vector"), ("impact", "Impact")):
            more = fields.text(label)
            if more:
                values["description"] += f"\n\n{said}: {more}"
        for fname in ("stride", "targets", "assets", "status", "risk", "residual_risk", "sensitivity"):
            if fields.text(fname):
                values[fname] = fields.text(fname)
        self.risk_factors(fields, values)
        if "stride" not in values and stride:
            values["stride"] = stride
        if "assets" not in values and ctx.asset:
            values["assets"] = ctx.asset
        if "targets" not in values and ctx.component:
            values["targets"] = ctx.component
        rec = self.record("threat", values, self.loc(line, "list item"), ctx)
        for key in fields.values:
            if key.startswith("extra:"):
                rec.extra[key[6:]] = fields.text(key)
        pend = _Pending(rec)
        self.mitigation(pend, fields)
        self.threats.append(pend)

    def stride_list(self, lst: MdList, ctx: _Ctx) -> None:
        """Bullets under a STRIDE heading: one threat per top-level item, nested labelled bullets its fields."""
        for it in lst.items:
            text = one_line(it.lead.text)
            if not text:
                continue
            if text.endswith("?"):
                self.b.report.skipped(self.file, self.loc(it.line, "list item"), "a question (a checklist), not a threat")
                continue
            fields = _Fields()
            tid = self.bold_id(it)
            fields.add("description", _LABEL_END.sub("", it.lead.after_bold).strip() if tid else it.lead.text, it.lead.links)
            for child in it.children:
                for sub in child.items:
                    lab, rest = self.item_label(sub)
                    if lab is not None and lab != "description":
                        fields.labels.setdefault(lab, sub.lead.bold_lead or lab)
                        nested = "\n".join(c.all_text() for ch in sub.children for c in ch.items)
                        fields.add(lab, "\n".join(x for x in (rest, nested) if x), sub.all_links())
                    else:
                        fields.add("description", "- " + sub.all_text(), sub.all_links())
            self.emit_item(fields, it.line, ctx, ctx.stride, tid=tid)
