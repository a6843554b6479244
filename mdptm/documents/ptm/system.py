"""The front matter and chapter 1, "What are we working on?": the device, its zones, elements, flows, assets and views."""

from __future__ import annotations

from collections import defaultdict

from mdptm.base.text import slug
from mdptm.documents.ptm._shared import (
    MAX_VIEW_DIAGRAMS,
    QUESTIONS,
    RESPONSIBILITY_TITLES,
    VIEW_TITLES,
    Chapter,
    _authentication_text,
    _cra_scope_text,
    _join_words,
    _security_text,
    label,
    plural,
)
from mdptm.model import VIEW_KINDS, View
from mdptm.render import diagrams
from mdptm.render.docir import PageBreak, Toc


class SystemChapter(Chapter):
    """The front matter and chapter 1."""

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
        pic = self._figure("view-global", lambda path: diagrams.view_diagram(m, path, gsv))
        if gsv is None:
            d.p(
                "The model has no view marked as the Global System View"
                + ("; the picture below shows every element and flow." if pic is not None else "."),
                style="note",
            )
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
        if not others and gsv is not None:  # with no view at all, the note above says so: no Global System View either
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
                    _authentication_text(f.authentication),
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
