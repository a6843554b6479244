"""The public threat model as a document (SPEC §7): content built once, rendered to Word and HTML.

Chapters follow the Four Question Framework — what are we working on, what can go wrong, what are
we going to do about it, did we do a good job — so a hospital reads the maker's analysis in the
order the analysis was done. Every threat is listed, fully mitigated ones included, with its
controls; what the hospital itself must do is stated on its own.

Only published fields are read: never ``source``, ``provenance``, ``notes`` or ``extra``.
"""

from __future__ import annotations

import importlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from mdptm.base.text import slug
from mdptm.model import (
    CONTROL_CATEGORIES,
    STRIDE_ORDER,
    VIEW_KINDS,
    Control,
    Flow,
    Model,
    Risk,
    Threat,
    View,
)
from mdptm.model.index import threats_by_control, views_by_threat
from mdptm.model.results import CLAUSE_STATUSES, Coverage, Review
from mdptm.plugins import Audience, ExportContext
from mdptm.render import diagrams
from mdptm.render.docir import Doc, PageBreak, Table, Toc

QUESTIONS = (
    "What are we working on?",
    "What can go wrong?",
    "What are we going to do about it?",
    "Did we do a good job?",
)
CATEGORY_TITLES = {
    "authentication": "Authentication",
    "authorization": "Authorization",
    "cryptography": "Cryptography",
    "integrity": "Code, data and execution integrity",
    "confidentiality": "Confidentiality",
    "event_logging": "Event detection and logging",
    "resiliency_recovery": "Resiliency and recovery",
    "updatability_patchability": "Firmware and software updates",
    "other": "Other controls",
}
VIEW_TITLES = {
    "global_system": "Global System View",
    "multi_patient_harm": "Multi-Patient Harm View",
    "updatability_patchability": "Updatability/Patchability View",
    "security_use_case": "Security Use Case View",
}
STRIDE_TITLES = {
    "spoofing": "Spoofing",
    "tampering": "Tampering",
    "repudiation": "Repudiation",
    "information_disclosure": "Information disclosure",
    "denial_of_service": "Denial of service",
    "elevation_of_privilege": "Elevation of privilege",
}
STATUS_TITLES = {
    "mitigated": "Mitigated",
    "partially_mitigated": "Partly mitigated",
    "accepted": "Accepted",
    "transferred": "Transferred",
    "open": "Open",
    "not_applicable": "Not applicable",
}
CLAUSE_TITLES = {"covered": "Covered", "partial": "Partly covered", "gap": "Gap", "not_applicable": "Not applicable"}
RESPONSIBILITY_TITLES = {
    "manufacturer": "Manufacturer",
    "customer": "Hospital (customer)",
    "shared": "Shared",
    "third_party": "Third party",
}
LEVEL_ORDER = {"low": 1, "medium": 2, "high": 3, "critical": 4}
MAX_GROUPS = 60  # past this many threat groups, one register table reads better than many headings
MAX_VIEW_DIAGRAMS = 24

Layout = Literal["grouped", "register"]


@dataclass
class TitledTable(Table):
    """A table whose listed columns open with a title line, which renderers set in bold."""

    bold_first_line: tuple[int, ...] = ()


def label(value: str | None) -> str:
    """An enum value as words: ``information_disclosure`` → ``Information disclosure``."""
    if not value:
        return ""
    text = value.replace("_", " ")
    return text[:1].upper() + text[1:]


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


@dataclass
class _Index:
    """Id lookups over the model, built once (no quadratic scans)."""

    model: Model

    def __post_init__(self) -> None:
        m = self.model
        self.elements = {e.id: e for e in m.elements}
        self.flows = {f.id: f for f in m.flows}
        self.zones = {z.id: z for z in m.trust_zones}
        self.assets = {a.id: a for a in m.assets}
        self.controls = {c.id: c for c in m.controls}
        self.threats = {t.id: t for t in m.threats}
        self.views = {v.id: v for v in m.views}
        self.threats_by_control = threats_by_control(m)
        self.views_by_threat = views_by_threat(m)

    def name(self, item_id: str) -> str:
        """A referenced item by its name and id; an unknown id stays visible as itself."""
        for table in (self.elements, self.flows, self.assets, self.zones, self.views):
            item = table.get(item_id)
            if item is not None:
                nm = getattr(item, "name", "") or ""
                return f"{nm} ({item_id})" if nm and nm != item_id else item_id
        for ctable in (self.controls, self.threats):
            titled = ctable.get(item_id)
            if titled is not None:
                return f"{item_id} {titled.title}"
        return item_id

    def names(self, ids: Iterable[str]) -> str:
        return "; ".join(self.name(i) for i in ids)

    def route(self, f: Flow) -> str:
        a = self.elements[f.source].name if f.source in self.elements else f.source
        b = self.elements[f.target].name if f.target in self.elements else f.target
        return f"{a} {'↔' if f.bidirectional else '→'} {b}"


class PtmBuilder:
    """Assembles the PTM :class:`Doc` for one model and export context."""

    def __init__(self, model: Model, ctx: ExportContext, workdir: Path, layout: Layout = "grouped"):
        self.m = model
        self.ctx = ctx
        self.work = workdir
        self.layout = layout
        self.ix = _Index(model)
        p = model.product
        title = model.document.title or f"{p.name} Public Threat Model"
        ident = " ".join(x for x in (p.name, p.model, f"version {p.version}" if p.version else None) if x)
        self.doc = Doc(
            title=title,
            subtitle=f"{ident} · {p.manufacturer}",
            draft=ctx.draft,
            confidential=ctx.audience == Audience.INTERNAL,  # an unredacted model exported as is
            footer=f"{p.manufacturer} · {title} · version {model.document.version}",
        )
        self.figure_cache: dict[str, Path | None] = {}
        self.row_cache: dict[str, tuple[list[str], str | None]] = {}
        self.groups: list[tuple[str, list[Threat]]] = []
        self.threat_span = (0, 0)

    # ------------------------------------------------------------------ helpers

    def _figure(self, key: str, make: Callable[[Path], Path | None]) -> Path | None:
        """Draw each picture once per build; HTML and Word share the files."""
        if key not in self.figure_cache:
            path = self.work / f"{key}.png"
            self.figure_cache[key] = path if path.exists() else make(path)
        return self.figure_cache[key]

    def _risk_text(self, t: Threat) -> str:
        def one(r: Risk | None) -> str:
            if r is None:
                return "not rated"
            lev = label(r.level) if r.level else ""
            lik_sev = " × ".join(x for x in (r.likelihood, r.severity) if x)
            if lev and lik_sev:
                return f"{lev} ({lik_sev})"
            return lev or lik_sev or (f"score {r.score:g}" if r.score is not None else "not rated")

        return f"Before: {one(t.risk)}\nAfter: {one(t.residual_risk)}"

    def _harm_text(self, t: Threat) -> str:
        parts = []
        if t.patient_harm:
            parts.append(f"Patient harm: {t.patient_harm.replace('_', ' ')}")
        if t.multi_patient:
            parts.append("can affect many patients at once")
        return "; ".join(parts)

    def _threat_cell(self, t: Threat, with_targets: bool = True) -> str:
        lines = [_titled(t.title, t.description)]
        if with_targets and t.targets:
            lines.append("Affects: " + self.ix.names(t.targets))
        if t.assets:
            lines.append("Assets: " + self.ix.names(t.assets))
        harm = self._harm_text(t)
        if harm:
            lines.append(harm[:1].upper() + harm[1:] + ".")
        cvss = f"CVSS {t.cvss}" if t.cvss else f"CVSS {t.cvss_score:g}" if t.cvss_score is not None else ""
        refs = ", ".join([*t.cwe, *t.capec] + ([cvss] if cvss else []))
        if refs:
            lines.append("References: " + refs)
        if t.rationale:
            lines.append("Rationale: " + t.rationale.strip())
        return "\n".join(lines)

    def _controls_cell(self, ids: Sequence[str]) -> str:
        if not ids:
            return "None listed"
        out = []
        for cid in dict.fromkeys(ids):
            c = self.ix.controls.get(cid)
            if c is None:
                out.append(cid)
                continue
            suffix = ""
            if c.status != "implemented":
                suffix = f" ({c.status.replace('_', ' ')})"
            if c.responsibility in ("customer", "shared"):
                suffix += " [hospital]" if c.responsibility == "customer" else " [shared]"
            out.append(f"{c.id} {c.title}{suffix}")
        return "\n".join(out)

    def _stride(self, t: Threat) -> str:
        return ", ".join(STRIDE_TITLES[s] for s in STRIDE_ORDER if s in t.stride) or "—"

    # ------------------------------------------------------------------ front matter

    def front_matter(self) -> None:
        d, m = self.doc, self.m
        p, doc = m.product, m.document
        rows = [
            ["Product", " ".join(x for x in (p.name, p.model) if x)],
            ["Product version", p.version or "not stated"],
            ["Manufacturer", p.manufacturer],
        ]
        if p.device_type:
            rows.append(["Device type", p.device_type])
        rows += [
            ["Document version", doc.version],
            ["Date", doc.date or "not stated"],
            ["Status", label(doc.status)],
        ]
        reg = p.regulatory
        if reg.fda_product_code or reg.submission_type or reg.submission_number:
            sub = " ".join(x for x in (reg.submission_type, reg.submission_number) if x)
            code = f"product code {reg.fda_product_code}" if reg.fda_product_code else ""
            rows.append(["FDA", ", ".join(x for x in (sub, code) if x)])
        rows.append(["EU Cyber Resilience Act", _cra_scope_text(reg.cra_scope, reg.cra_category)])
        d.table(["Document control", ""], rows, widths=[1, 2.6])
        d.p(
            f"This public threat model (PTM) tells hospitals and other customers how {p.manufacturer} analysed "
            f"the security of {p.name}: which parts the system has and how data moves between them, which threats "
            "were considered, how each is handled, and what is left for the hospital to do. Threats that are fully "
            "mitigated are listed too, with their controls, so that you can judge the device in your own environment."
        )
        d.p(
            "The chapters follow the Four Question Framework of threat modelling: 1 What are we working on? "
            "2 What can go wrong? 3 What are we going to do about it? 4 Did we do a good job?"
        )
        if self.ctx.draft:
            d.p("This is a draft for review. It is not approved for release and may change.", style="note")
        d.blocks.append(PageBreak())
        d.blocks.append(Toc())
        d.blocks.append(PageBreak())

    # ------------------------------------------------------------------ chapter 1

    def chapter_1(self) -> None:
        d, m = self.doc, self.m
        p = m.product
        d.h("1 " + QUESTIONS[0], 1)
        d.h("1.1 Product and intended use", 2)
        if p.description:
            d.p(p.description)
        d.p(p.intended_use or "The intended use is not stated in this version.", bold_prefix="Intended use:")
        counts = (
            f"The model describes {plural(len(m.elements), 'element')} in {plural(len(m.trust_zones), 'trust zone')}, "
            f"{plural(len(m.flows), 'data flow')}, {plural(len(m.assets), 'asset')} and "
            f"{plural(len(m.views), 'security architecture view')}."
        )
        d.p(counts)

        gsv = next((v for v in m.views if v.kind == "global_system"), None)
        d.h("1.2 Global System View", 2)
        if gsv is not None and gsv.description:
            d.p(gsv.description)
        if gsv is None:
            d.p(
                "The model has no view marked as the Global System View; the picture below shows every element and flow.",
                style="note",
            )
        pic = self._figure("view-global", lambda path: diagrams.view_diagram(m, path, gsv))
        if pic is not None:
            w, _ = diagrams.png_size_cm(pic)
            d.image(
                pic,
                f"{gsv.name if gsv else 'Global System View'}: trust zones (dashed boxes), elements and data flows (arrows)",
                width_cm=min(16.0, w),
            )
        self._zone_table()
        self._element_table()
        self._flow_table()
        self._asset_table()

        d.h("1.3 Other security architecture views", 2)
        others = [v for v in m.views if v is not gsv]
        present = {v.kind for v in m.views}
        missing = [VIEW_TITLES[k] for k in VIEW_KINDS if k not in present]
        if missing:
            d.p("This model contains no " + _join_words(missing) + ".", style="note")
        if not others:
            d.p("There are no views besides the Global System View.")
        for n, v in enumerate(others):
            self._view_section(v, n, draw=n < MAX_VIEW_DIAGRAMS)

        d.h("1.4 Assumptions and scope", 2)
        if m.assumptions:
            d.table(
                ["ID", "Assumption", "Who must ensure it"],
                [[a.id, a.text, RESPONSIBILITY_TITLES.get(a.responsibility or "", "Not stated")] for a in m.assumptions],
                caption="Assumptions the analysis relies on",
                widths=[0.8, 4, 1.4],
            )
        else:
            d.p("No assumptions are recorded.")
        if m.out_of_scope:
            d.table(
                ["ID", "Out of scope", "Why"],
                [[o.id, o.text, o.rationale or ""] for o in m.out_of_scope],
                caption="Outside the scope of this threat model",
                widths=[0.8, 3, 3],
            )

    def _zone_table(self) -> None:
        m = self.m
        if not m.trust_zones:
            return
        members: dict[str, list[str]] = defaultdict(list)
        for e in m.elements:
            if e.trust_zone:
                members[e.trust_zone].append(e.name)
        rows = [
            [
                z.id,
                z.name,
                "" if z.trust_level is None else str(z.trust_level),
                z.description,
                ", ".join(members.get(z.id, [])),
            ]
            for z in m.trust_zones
        ]
        self.doc.table(
            ["ID", "Trust zone", "Trust level", "Description", "Elements"],
            rows,
            caption="Trust zones",
            widths=[0.8, 1.5, 0.7, 2.2, 2.5],
        )

    def _element_table(self) -> None:
        m, ix = self.m, self.ix
        if not m.elements:
            self.doc.p("No elements are described.")
            return
        rows = [
            [
                e.id,
                e.name,
                label(e.kind),
                ix.zones[e.trust_zone].name if e.trust_zone in ix.zones else "—",
                e.description,
            ]
            for e in m.elements
        ]
        self.doc.table(
            ["ID", "Element", "Kind", "Trust zone", "Description"],
            rows,
            caption="Elements of the system",
            widths=[0.8, 1.6, 1.1, 1.3, 3],
        )

    def _flow_table(self) -> None:
        m, ix = self.m, self.ix
        if not m.flows:
            return
        rows = []
        for f in m.flows:
            proto = " / ".join(x for x in (f.protocol, f"port {f.port}" if f.port else None) if x)
            data = ", ".join(ix.assets[a].name if a in ix.assets else a for a in f.data)
            rows.append(
                [
                    f.id,
                    f.name or "—",
                    ix.route(f),
                    proto or "—",
                    _security_text(f.authentication),
                    _security_text(f.encryption),
                    data,
                ]
            )
        self.doc.table(
            ["ID", "Flow", "From → to", "Protocol", "Authentication", "Encryption", "Data"],
            rows,
            caption="Data flows (“unknown” means the model does not say; “none” means there is none)",
            widths=[0.7, 1.3, 1.9, 1.3, 1.2, 1.0, 1.3],
        )

    def _asset_table(self) -> None:
        m, ix = self.m, self.ix
        if not m.assets:
            return
        rows = []
        for a in m.assets:
            cia = " / ".join(label(x) if x else "–" for x in (a.confidentiality, a.integrity, a.availability))
            stored = ", ".join(ix.elements[e].name if e in ix.elements else e for e in a.stored_in)
            rows.append([a.id, a.name, label(a.kind), cia, stored or "—", a.disposal or "not stated"])
        self.doc.table(
            ["ID", "Asset", "Kind", "C / I / A", "Stored in", "Disposal"],
            rows,
            caption="Assets and where they rest (C/I/A: confidentiality, integrity, availability)",
            widths=[0.7, 1.5, 1.1, 1.2, 1.6, 1.7],
        )

    def _view_section(self, v: View, n: int, draw: bool) -> None:
        d, ix = self.doc, self.ix
        named = v.name and ("view" in v.name.lower() or "use case" in v.name.lower())
        d.h(v.name if named else f"{v.name} ({VIEW_TITLES[v.kind]})" if v.name else VIEW_TITLES[v.kind], 3)
        if v.description:
            d.p(v.description)
        if draw:
            pic = self._figure(f"view-{n + 1}-{slug(v.id, fallback='x')}", lambda path: diagrams.view_diagram(self.m, path, v))
            if pic is not None:
                w, _ = diagrams.png_size_cm(pic)
                d.image(pic, f"{v.name or VIEW_TITLES[v.kind]}", width_cm=min(16.0, w))
        if v.steps:
            d.p("Steps:")
            d.bullets(list(v.steps), numbered=True)
        if v.elements:
            d.p(", ".join(ix.elements[e].name if e in ix.elements else e for e in v.elements), bold_prefix="Elements:")
        if v.flows:
            d.p(
                "; ".join(f"{ix.flows[f].name or f} ({f})" if f in ix.flows else f for f in v.flows),
                bold_prefix="Flows:",
            )
        if v.threats:
            d.p(", ".join(v.threats) + " — see chapter 2.", bold_prefix="Threats considered:")
        if v.controls:
            d.p(", ".join(ix.name(c) for c in v.controls), bold_prefix="Controls:")

    # ------------------------------------------------------------------ chapter 2

    def chapter_2(self) -> None:
        d, m = self.doc, self.m
        d.blocks.append(PageBreak())
        d.h("2 " + QUESTIONS[1], 1)
        d.h("2.1 Overview", 2)
        n = len(m.threats)
        status: Counter[str] = Counter(t.status for t in m.threats)
        stride = Counter(s for t in m.threats for s in dict.fromkeys(t.stride))
        multi = sum(1 for t in m.threats if t.multi_patient)
        d.p(
            f"The analysis lists {plural(n, 'threat')}. Each threat names what it affects, its STRIDE category, "
            "its risk before and after controls, and the controls that address it. "
            + (f"{plural(multi, 'threat')} could affect many patients at once." if multi else "")
        )
        if n:
            rows = [[STATUS_TITLES[s], str(status[s])] for s in STATUS_TITLES if status.get(s)]
            d.table(["Status", "Threats"], rows, caption="Threats by status", widths=[2, 1])
            rows = [[STRIDE_TITLES[s], str(stride[s])] for s in STRIDE_ORDER if stride.get(s)]
            if rows:
                d.table(["STRIDE category", "Threats"], rows, caption="Threats by STRIDE category", widths=[2, 1])
        d.h("2.2 Threats by view and element", 2)
        if not n:
            d.p("No threats are recorded in this version.", style="note")
            return
        d.p(
            "Threats are grouped by the security use case or view they belong to, otherwise by the element or data "
            "flow they affect first. “Risk” gives the rating before and after the listed controls, in the "
            "manufacturer’s own scale; the cell is shaded by the risk that remains. Controls marked [hospital] or "
            "[shared] depend on you (see 3.2)."
        )
        groups = self._threat_groups()
        self.groups = groups
        start = len(d.blocks)
        if self.layout == "register" or len(groups) > MAX_GROUPS:
            d.blocks.append(self._threat_register(groups))
        else:
            for title, threats in groups:
                d.h(title, 3)
                self._threat_table(threats, caption=None)
        self.threat_span = (start, len(d.blocks))

    def _threat_groups(self) -> list[tuple[str, list[Threat]]]:
        """Each threat once: under the first specific view that lists it (use cases, multi-patient harm,
        updates), else under the element or flow it affects first, else under general threats."""
        ix, m = self.ix, self.m
        placed: set[str] = set()
        groups: list[tuple[str, list[Threat]]] = []
        rank = {"security_use_case": 0, "multi_patient_harm": 1, "updatability_patchability": 2}
        order = sorted(
            ((rank[v.kind], i, v) for i, v in enumerate(m.views) if v.kind != "global_system"),
            key=lambda x: (x[0], x[1]),
        )
        for _, _, v in order:
            picked = [ix.threats[t] for t in dict.fromkeys(v.threats) if t in ix.threats and t not in placed]
            if picked:
                placed.update(t.id for t in picked)
                groups.append((v.name or VIEW_TITLES[v.kind], picked))
        by_target: dict[str, list[Threat]] = defaultdict(list)
        general: list[Threat] = []
        for t in m.threats:
            if t.id in placed:
                continue
            placed.add(t.id)
            target = next((x for x in t.targets if x in ix.elements or x in ix.flows), None)
            if target is None:
                general.append(t)
            else:
                by_target[target].append(t)
        groups += [(f"{e.name} ({label(e.kind).lower()})", by_target[e.id]) for e in m.elements if e.id in by_target]
        groups += [(f"{f.name or f.id} flow ({ix.route(f)})", by_target[f.id]) for f in m.flows if f.id in by_target]
        if general:
            groups.append(("The system as a whole", general))
        return groups

    def _threat_row(self, t: Threat) -> tuple[list[str], str | None]:
        """One threat's table row and the colour of its risk cell, computed once per build."""
        cached = self.row_cache.get(t.id)
        if cached is None:
            row = [
                t.id,
                self._threat_cell(t),
                self._stride(t),
                self._risk_text(t),
                STATUS_TITLES[t.status],
                self._controls_cell(t.controls),
            ]
            residual = (t.residual_risk.level if t.residual_risk else None) or (t.risk.level if t.risk else None)
            cached = self.row_cache[t.id] = (row, diagrams.level_colour(residual))
        return cached

    def _threat_rows(self, threats: Sequence[Threat], where: str | None = None) -> tuple[list[list[str]], dict[tuple[int, int], str]]:
        rows: list[list[str]] = []
        fills: dict[tuple[int, int], str] = {}
        for t in threats:
            row, colour = self._threat_row(t)
            if where is not None:
                row = [*row[:2], where, *row[2:]]
            if colour:
                fills[(len(rows), len(row) - 3)] = colour
            rows.append(row)
        return rows, fills

    def _threat_table(self, threats: Sequence[Threat], caption: str | None) -> None:
        rows, fills = self._threat_rows(threats)
        self.doc.blocks.append(
            TitledTable(
                ["ID", "Threat", "STRIDE", "Risk", "Status", "Controls"],
                rows,
                caption,
                widths=[0.65, 3.2, 1.05, 1.35, 0.9, 2.1],
                fills=fills,
                bold_first_line=(1,),
            )
        )

    def _threat_register(self, groups: Sequence[tuple[str, Sequence[Threat]]]) -> TitledTable:
        rows: list[list[str]] = []
        fills: dict[tuple[int, int], str] = {}
        for title, threats in groups:
            part_rows, part_fills = self._threat_rows(threats, where=title)
            base = len(rows)
            rows.extend(part_rows)
            fills.update({(r + base, c): v for (r, c), v in part_fills.items()})
        return TitledTable(
            ["ID", "Threat", "View or element", "STRIDE", "Risk", "Status", "Controls"],
            rows,
            "Threat register",
            widths=[0.75, 3.0, 1.3, 1.0, 1.3, 0.9, 2.0],
            fills=fills,
            bold_first_line=(1,),
        )

    def register_variant(self) -> Doc:
        """The same document with chapter 2's per-group tables replaced by one threat register
        (for HTML, where one filterable table serves better than many small ones)."""
        start, end = self.threat_span
        d = self.doc
        blocks = [*d.blocks[:start], self._threat_register(self.groups), *d.blocks[end:]]
        return Doc(
            title=d.title,
            subtitle=d.subtitle,
            blocks=blocks,
            draft=d.draft,
            confidential=d.confidential,
            footer=d.footer,
        )

    # ------------------------------------------------------------------ chapter 3

    def chapter_3(self) -> None:
        d, m, ix = self.doc, self.m, self.ix
        d.blocks.append(PageBreak())
        d.h("3 " + QUESTIONS[2], 1)
        d.h("3.1 Controls by FDA security control category", 2)
        d.p(
            f"{plural(len(m.controls), 'control')} address the threats of chapter 2. They are grouped by the security "
            "control categories of the FDA premarket cybersecurity guidance (Appendix 1)."
        )
        by_cat: dict[str, list[Control]] = defaultdict(list)
        for c in m.controls:
            by_cat[c.category].append(c)
        for cat in CONTROL_CATEGORIES:
            controls = by_cat.get(cat)
            if not controls:
                continue
            d.h(CATEGORY_TITLES[cat], 3)
            rows = [
                [
                    c.id,
                    _titled(c.title, c.description),
                    RESPONSIBILITY_TITLES[c.responsibility],
                    label(c.status),
                    ", ".join(ix.threats_by_control.get(c.id, [])) or "—",
                ]
                for c in controls
            ]
            d.blocks.append(
                TitledTable(
                    ["ID", "Control", "Who", "Status", "Threats addressed"],
                    rows,
                    widths=[0.65, 3.6, 1.2, 1.0, 1.6],
                    bold_first_line=(1,),
                )
            )
        empty = [CATEGORY_TITLES[c] for c in CONTROL_CATEGORIES if c != "other" and not by_cat.get(c)]
        if empty:
            d.p("No control is listed in these categories: " + _join_words(empty) + ".", style="note")

        d.h("3.2 What the hospital must do", 2)
        yours = [c for c in m.controls if c.responsibility in ("customer", "shared")]
        if yours:
            d.p(
                "These controls depend on the hospital, alone or together with the manufacturer. The threats they "
                "address are only handled as described if they are in place."
            )
            rows = [
                [
                    c.id,
                    _titled(c.title, c.description),
                    RESPONSIBILITY_TITLES[c.responsibility],
                    ", ".join(ix.threats_by_control.get(c.id, [])) or "—",
                ]
                for c in yours
            ]
            d.blocks.append(
                TitledTable(
                    ["ID", "What you must do", "Who", "Threats that depend on it"],
                    rows,
                    "Controls the hospital provides or shares",
                    widths=[0.65, 4.2, 1.2, 1.6],
                    bold_first_line=(1,),
                )
            )
        else:
            d.p("No control in this model depends on the hospital.")
        hospital_assumptions = [a for a in m.assumptions if a.responsibility in ("customer", "shared")]
        if hospital_assumptions:
            d.p("The analysis also assumes that:")
            d.bullets([f"{a.text} ({a.id})" for a in hospital_assumptions])
        self._network_table()

        d.h("3.3 Residual risk", 2)
        self._residual()

    def _network_table(self) -> None:
        ix = self.ix
        rows = []
        for f in self.m.flows:
            a, b = ix.elements.get(f.source), ix.elements.get(f.target)
            if a is None or b is None or (a.trust_zone == b.trust_zone and a.trust_zone is not None):
                continue
            if not (f.protocol or f.port):
                continue
            za = ix.zones[a.trust_zone].name if a.trust_zone in ix.zones else "—"
            zb = ix.zones[b.trust_zone].name if b.trust_zone in ix.zones else "—"
            rows.append(
                [
                    f.id,
                    ix.route(f),
                    f"{za} {'↔' if f.bidirectional else '→'} {zb}",
                    f.protocol or "—",
                    f.port or "—",
                    _security_text(f.encryption),
                ]
            )
        if rows:
            self.doc.table(
                ["Flow", "Between", "Trust zones", "Protocol", "Port", "Encryption"],
                rows,
                caption="Connections that cross a trust-zone boundary (for firewall rules and segmentation)",
                widths=[0.6, 2.4, 2.0, 1.5, 0.6, 0.9],
            )

    def _residual(self) -> None:
        d, m = self.doc, self.m
        pic = self._figure("risk-heat-map", lambda path: diagrams.risk_heat_map(m.threats, path))
        if pic is not None:
            w, _ = diagrams.png_size_cm(pic)
            d.image(
                pic,
                "Risk heat map: number of threats per likelihood and severity, before and after controls",
                width_cm=min(16.0, w),
            )
        elif m.threats:
            d.p("The model does not rate threats by likelihood and severity, so no risk heat map can be drawn.", style="note")
        levels = Counter((t.residual_risk.level if t.residual_risk else None) for t in m.threats)
        rated = {k: v for k, v in levels.items() if k}
        if rated:
            parts = [f"{rated[k]} {k}" for k in ("critical", "high", "medium", "low") if rated.get(k)]
            unrated = levels.get(None, 0)
            d.p(
                "Residual risk after controls: "
                + ", ".join(parts)
                + "."
                + (
                    f" {plural(unrated, 'threat')} has no residual rating."
                    if unrated == 1
                    else f" {unrated} threats have no residual rating."
                    if unrated
                    else ""
                )
            )
        elif m.threats:
            d.p("The model gives no residual risk ratings.", style="note")

        def weight(t: Threat) -> int:
            return LEVEL_ORDER.get((t.residual_risk.level if t.residual_risk else None) or "", 0)

        ranked = [
            (-weight(t), i, t)
            for i, t in enumerate(m.threats)
            if t.status in ("open", "accepted", "transferred", "partially_mitigated") or weight(t) >= 2
        ]
        if not ranked:
            if m.threats:
                d.p("Every threat is mitigated and no residual risk is rated medium or higher.")
            return
        ranked.sort(key=lambda x: (x[0], x[1]))
        notable = [t for _, _, t in ranked]
        rows: list[list[str]] = []
        fills: dict[tuple[int, int], str] = {}
        for t in notable:
            level = t.residual_risk.level if t.residual_risk else None
            colour = diagrams.level_colour(level)
            if colour:
                fills[(len(rows), 2)] = colour
            rows.append(
                [
                    t.id,
                    t.title,
                    label(level) or "not rated",
                    STATUS_TITLES[t.status],
                    t.rationale or ("Controls: " + ", ".join(t.controls) if t.controls else "No control listed"),
                ]
            )
        d.p(
            "The threats below keep a residual risk rated medium or higher, or are not fully mitigated. "
            "Read them with your own environment in mind."
        )
        d.blocks.append(
            Table(
                ["ID", "Threat", "Residual risk", "Status", "Rationale"],
                rows,
                "Threats with remaining risk",
                widths=[0.65, 2.8, 1.0, 1.1, 3.0],
                fills=fills,
            )
        )

    # ------------------------------------------------------------------ chapter 4

    def chapter_4(self) -> None:
        d = self.doc
        d.blocks.append(PageBreak())
        d.h("4 " + QUESTIONS[3], 1)
        self._verification()
        self._review(self.ctx.review)
        self._coverage(self.ctx.coverage)
        self._history()
        self._reporting()

    def _verification(self) -> None:
        d, m = self.doc, self.m
        d.h("4.1 Verification of controls", 2)
        implemented = [c for c in m.controls if c.status == "implemented" and c.responsibility != "customer"]
        verified = [c for c in implemented if c.verification]
        if not implemented:
            d.p("No manufacturer control is marked as implemented.")
            return
        d.p(
            f"{len(verified)} of {plural(len(implemented), 'implemented manufacturer control')} cite verification "
            "evidence (tests, reviews, assessments)."
        )
        rows = [[c.id, c.title, "; ".join(c.verification) or "No evidence cited"] for c in implemented]
        fills = {(r, 2): "FFE0B2" for r, c in enumerate(implemented) if not c.verification}
        d.blocks.append(
            Table(
                ["ID", "Control", "Verification evidence"],
                rows,
                "Verification of implemented controls",
                widths=[0.65, 3.5, 3.2],
                fills=fills,
            )
        )

    def _review(self, review: Review | None) -> None:
        d, m = self.doc, self.m
        d.h("4.2 Review and sign-off", 2)
        d.p(f"Document status: {label(m.document.status)}.")
        if review is None:
            d.p("The automated pre-publication review was not run for this version.", style="note")
        else:
            # The findings describe the internal model (withheld threats, confidential components): they stay
            # in OUT.internal/review.json. The package states only that the review ran and whether it passed.
            verdict = "found no blocking issue" if not review.blockers else "found blocking issues that are not resolved in this draft"
            d.p(
                "The device maker's pre-publication review checks completeness (every element and flow has threats, "
                "every threat a control, controls have evidence, the FDA views are present) and that redaction left "
                f"no gaps. For this version it {verdict}."
            )
            approved = [f"{s.role} ({s.date})" if s.date else s.role for s in m.document.signoffs if s.decision == "approved"]
            if approved:
                d.p("Reviewed and approved for publication by: " + ", ".join(approved) + ".")
        if m.document.signoffs:
            d.table(
                ["Role", "Name", "Date", "Decision", "Comment"],
                [[s.role, s.name, s.date or "", label(s.decision), s.comment or ""] for s in m.document.signoffs],
                caption="Sign-offs",
                widths=[1.6, 1.4, 1.0, 0.9, 2.4],
            )
        else:
            d.p("No sign-offs are recorded for this version.")

    def _coverage(self, coverage: Coverage | None) -> None:
        d, m = self.doc, self.m
        d.h("4.3 Coverage of the CRA, MC2 and FDA guidance", 2)
        if coverage is None or not coverage.frameworks:
            d.p(
                "Coverage of the EU Cyber Resilience Act, the HSCC Model Contract-Language (MC2) and the FDA premarket "
                "guidance was not assessed for this version.",
                style="note",
            )
            return
        d.p(
            "Each requirement of these frameworks was compared with the evidence in this threat model. “Covered” means "
            "the model holds the evidence the requirement asks for; “partly covered” that some is missing; “gap” that "
            "the model holds none. This is evidence mapping, not a certification."
        )
        if m.product.regulatory.cra_scope == "excluded_mdr_ivdr":
            d.p(
                "The device is regulated under the EU MDR/IVDR and is therefore outside the scope of the Cyber "
                "Resilience Act; the CRA mapping is given as a benchmark.",
                style="note",
            )
        pic = self._figure("coverage", lambda path: diagrams.coverage_chart(coverage, path))
        if pic is not None:
            w, _ = diagrams.png_size_cm(pic)
            d.image(pic, "Coverage of each framework by the evidence in this threat model", width_cm=min(16.0, w))
        light = {"covered": "C8E6C9", "partial": "FFE082", "gap": "EF9A9A", "not_applicable": "E0E0E0"}
        rows = []
        for fw in coverage.frameworks:
            counts = Counter(c.status for c in fw.clauses) if fw.clauses else Counter(fw.summary)
            rows.append([fw.title or fw.id, *(str(counts.get(s, 0)) for s in CLAUSE_STATUSES)])
        d.table(
            ["Framework", *(CLAUSE_TITLES[s] for s in CLAUSE_STATUSES)],
            rows,
            caption="Coverage summary",
            widths=[2.6, 1, 1, 1, 1],
        )
        for fw in coverage.frameworks:
            if not fw.clauses:
                continue
            d.h(fw.title or fw.id, 3)
            if fw.note:
                d.p(fw.note, style="note")
            crow: list[list[str]] = []
            fills: dict[tuple[int, int], str] = {}
            for c in fw.clauses:
                fills[(len(crow), 2)] = light.get(c.status, "FFFFFF")
                crow.append(
                    [
                        c.id,
                        c.title,
                        CLAUSE_TITLES.get(c.status, c.status)
                        + (" (override)" if c.overridden else "")
                        + (" (confirmed by maker)" if c.confirmed else ""),
                        _id_list(c.evidence),
                        c.rationale,
                    ]
                )
            d.blocks.append(
                Table(
                    ["Clause", "Requirement", "Status", "Evidence", "Rationale"],
                    crow,
                    None,
                    widths=[0.9, 2.3, 1.0, 1.4, 2.6],
                    fills=fills,
                )
            )

    def _history(self) -> None:
        d, m = self.doc, self.m
        d.h("4.4 Change history", 2)
        if m.document.history:
            d.table(
                ["Version", "Date", "Changes"],
                [[h.version, h.date or "", h.summary] for h in m.document.history],
                caption="Versions of this document",
                widths=[0.8, 1.0, 5],
            )
        else:
            d.p(f"This is version {m.document.version}; no earlier versions are recorded.")
        previous = self.ctx.previous
        if previous is None:
            return
        rows = changes_since(previous, m)
        if rows is None:
            d.p(f"The previous published version is {previous.document.version}; see the table above for what changed.")
            return
        if not rows:
            d.p(f"No threats, controls, elements or flows changed since version {previous.document.version}.")
            return
        d.table(
            ["Change", "Kind", "Item", "Detail"],
            rows,
            caption=f"Changes since version {previous.document.version}",
            widths=[0.9, 0.9, 2.2, 3.5],
        )

    def _reporting(self) -> None:
        d, m = self.doc, self.m
        s = m.support
        d.h("4.5 How to report a vulnerability", 2)
        if s.vulnerability_disclosure or s.contact:
            d.p(f"If you find a vulnerability in {m.product.name} or suspect a security incident, report it to {m.product.manufacturer}:")
        else:
            d.p(
                f"This version does not name a vulnerability reporting channel; contact {m.product.manufacturer} "
                "through your usual service contact.",
                style="note",
            )
        items = []
        if s.vulnerability_disclosure:
            items.append(f"Coordinated vulnerability disclosure: {s.vulnerability_disclosure}")
        if s.contact:
            items.append(f"Security contact: {s.contact}")
        if s.patch_policy:
            items.append(f"Security updates: {s.patch_policy}")
        if s.end_of_support:
            items.append(f"End of support: {s.end_of_support}")
        if s.sbom:
            items.append(f"Software bill of materials: {s.sbom}")
        if s.data_disposal:
            items.append(f"Decommissioning and data disposal: {s.data_disposal}")
        d.bullets(items)

    # ------------------------------------------------------------------ all

    def build(self) -> Doc:
        self.front_matter()
        self.chapter_1()
        self.chapter_2()
        self.chapter_3()
        self.chapter_4()
        return self.doc


def build_ptm_doc(model: Model, ctx: ExportContext, workdir: Path, layout: Layout = "grouped") -> Doc:
    """The PTM as a Doc. Pictures are drawn into *workdir* (reused when already there).
    *layout* ``grouped`` gives one threat table per view or element (Word); ``register`` one
    filterable table of all threats (HTML)."""
    return PtmBuilder(model, ctx, workdir, layout).build()


def build_ptm_docs(model: Model, ctx: ExportContext, workdir: Path) -> tuple[Doc, Doc]:
    """Both forms at the cost of one: the grouped Doc for Word and the register Doc for HTML."""
    builder = PtmBuilder(model, ctx, workdir, "grouped")
    grouped = builder.build()
    return grouped, builder.register_variant()


def changes_since(previous: Model, model: Model) -> list[list[str]] | None:
    """Change-log rows (change, kind, item, detail) from ``mdptm.documents.changes.diff_models``, whose result has
    the SPEC §9 shape (``added``/``removed`` [{id, kind}], ``changed`` [{id, kind, fields}]).
    None where the diff module is not installed: the chapter then relies on ``document.history``."""
    try:
        diff_module = importlib.import_module("mdptm.documents.changes")
    except ImportError:
        return None
    result = diff_module.diff_models(previous, model)
    data: dict[str, Any] = result.model_dump(mode="json") if hasattr(result, "model_dump") else dict(result)
    new_ix, old_ix = _Index(model), _Index(previous)
    rows: list[list[str]] = []
    for change, ix in (("Added", new_ix), ("Removed", old_ix)):
        rows += [
            [change, label(str(entry.get("kind", ""))), ix.name(str(entry.get("id", ""))), ""] for entry in data.get(change.lower()) or []
        ]
    for entry in data.get("changed") or []:
        fields = entry.get("fields") or {}
        detail = "; ".join(
            f"{k}: {_short(v[0])} → {_short(v[1])}" if isinstance(v, list | tuple) and len(v) == 2 else str(k) for k, v in fields.items()
        )
        rows.append(["Changed", label(str(entry.get("kind", ""))), new_ix.name(str(entry.get("id", ""))), detail])
    return rows


# ---------------------------------------------------------------------------------- small helpers


def _id_list(ids: Sequence[str], limit: int = 12) -> str:
    """A readable list of evidence ids; long ones are cut (the workbook has them all)."""
    if not ids:
        return "—"
    if len(ids) <= limit:
        return ", ".join(ids)
    return ", ".join(ids[:limit]) + f" and {len(ids) - limit} more (all in ptm.xlsx)"


def _titled(title: str, description: str | None) -> str:
    """Title, then the description when it says more than the title."""
    desc = (description or "").strip()
    if not desc or desc.rstrip(".").strip().lower() == title.rstrip(".").strip().lower():
        return title
    return f"{title}\n{desc}"


def _short(value: object, limit: int = 60) -> str:
    text = "—" if value in (None, "", []) else (", ".join(map(str, value)) if isinstance(value, list) else str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _security_text(value: str | None) -> str:
    """``None`` means the model does not say; ``"none"`` means there is none (SPEC §2)."""
    if value is None or not value.strip():
        return "unknown"
    return value


def _join_words(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _cra_scope_text(scope: str, category: str | None) -> str:
    text = {
        "in_scope": "In scope",
        "excluded_mdr_ivdr": "Outside the CRA (regulated under the EU MDR/IVDR); CRA mapping given as a benchmark",
        "unknown": "Scope not assessed",
    }.get(scope, label(scope))
    if category and scope == "in_scope":
        text += f" ({label(category)})"
    return text
