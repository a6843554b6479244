"""Chapter 2, "What can go wrong?": every threat with its risk and controls, grouped or as one register."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from mdptm.documents.ptm._shared import (
    MAX_GROUPS,
    QUESTIONS,
    STATUS_TITLES,
    VIEW_TITLES,
    Build,
    Chapter,
    TitledTable,
    _titled,
    label,
    plural,
)
from mdptm.model import STRIDE_ORDER, Risk, Threat
from mdptm.model.evidence import read_responsibility, status_shown
from mdptm.model.vocabulary import stride_title
from mdptm.render import diagrams
from mdptm.render.docir import Doc, PageBreak


class ThreatChapter(Chapter):
    """Chapter 2, and the register form of it for HTML."""

    def __init__(self, build: Build):
        super().__init__(build)
        self.row_cache: dict[str, tuple[list[str], str | None]] = {}
        self.groups: list[tuple[str, list[Threat]]] = []
        self.threat_span = (0, 0)

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

    def _controls_cell(self, ids: Sequence[str], threat: Threat | None = None) -> str:
        """The controls of a threat, one a line, each with what the reader must know of it: its status when it is not
        implemented or not stated, who runs it, and a link the source does not state as a pair (a STRIDE section's
        threats and countermeasures listed side by side) or states from one side only."""
        if not ids:
            return "None listed"
        grouped = set(threat.controls_grouped) if threat is not None else set()
        disputed = set(threat.controls_disputed) if threat is not None else set()
        unique = list(dict.fromkeys(ids))
        # a STRIDE section's countermeasures listed beside each of its threats: said once for the cell, not on every
        # control (six controls each "listed beside this threat under one heading …" made a threat a page long)
        all_grouped = all(cid in grouped and cid not in disputed for cid in unique)
        out = ["Listed beside this threat under one heading, not paired with it:"] if all_grouped else []
        for cid in unique:
            c = self.ix.controls.get(cid)
            if c is None:
                out.append(cid)
                continue
            suffix = ""
            shown = status_shown(c)
            if shown is not None:
                suffix = f" ({shown[0].lower()}{shown[1:]})"
            elif c.status != "implemented":
                suffix = f" ({c.status.replace('_', ' ')})"
            elif not c.status_stated:
                suffix = " (status not stated)"
            read = read_responsibility(c)  # "The hospital's firewall blocks …": the hospital's, whatever the field says
            who = read[0] if read is not None else c.responsibility
            if who in ("customer", "shared", "third_party"):
                suffix += {"customer": " [hospital]", "shared": " [shared]", "third_party": " [third party]"}[who]
            if cid in disputed:
                suffix += " (the control does not list this threat)"
            elif cid in grouped and not all_grouped:
                suffix += " (listed beside this threat under one heading, not paired with it)"
            out.append(f"{c.id} {c.title}{suffix}")
        return "\n".join(out)

    def _stride(self, t: Threat) -> str:
        return ", ".join(stride_title(s) for s in STRIDE_ORDER if s in t.stride) or "—"

    def chapter_2(self) -> None:
        d, m = self.doc, self.m
        d.blocks.append(PageBreak())
        d.h("2 " + QUESTIONS[1], 1)
        d.h("2.1 Overview", 2)
        n = len(m.threats)
        status: Counter[str] = Counter(t.stated_status() for t in m.threats)
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
            rows = [[stride_title(s), str(stride[s])] for s in STRIDE_ORDER if stride.get(s)]
            unclassified = sum(1 for t in m.threats if not t.stride)
            if rows and unclassified:  # the table counts every threat: those with no category too
                rows.append(["Not classified", str(unclassified)])
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
            "[shared] depend on you (see 3.2); those marked [third party] on another party, such as a cloud provider."
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
                STATUS_TITLES[t.stated_status()],
                self._controls_cell(t.controls, t),
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
