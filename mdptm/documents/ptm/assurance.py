"""Chapter 4, "Did we do a good job?": verification, review, framework coverage, history and reporting."""

from __future__ import annotations

import importlib
from collections import Counter
from typing import Any

from mdptm.documents.ptm._shared import CLAUSE_TITLES, QUESTIONS, Chapter, _id_list, _Index, _short, label, plural
from mdptm.model import Control, Model
from mdptm.model.evidence import not_in_place, real_values, verified, void_reason
from mdptm.model.results import CLAUSE_STATUSES, Coverage, Review
from mdptm.render import diagrams
from mdptm.render.docir import PageBreak, Table


def _not_cited(c: Control) -> str:
    """What the verification column says of a control that cites no verification done: the entries the source gives
    that verify nothing ("Not tested", "Planned pen test"), or that it cites none."""
    said = real_values(c.verification)
    return f"None done (the source says: {'; '.join(said)})" if said else "No evidence cited"


class AssuranceChapter(Chapter):
    """Chapter 4."""

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
        marked = [c for c in m.controls if c.status == "implemented" and c.responsibility != "customer"]
        # as the coverage reads them: a control whose text denies or defers what its title names is not in place
        void = [c for c in marked if void_reason(c.title, c.description)]
        if void:
            d.p(
                f"Marked implemented, but their text denies or defers what they name, so they are not counted here "
                f"or in the coverage: {_id_list([c.id for c in void])}.",
                style="note",
            )
        # a verification that did not pass, a requirement no source states as implemented: not in place either
        off = [(c, why) for c in marked if c not in void and (why := not_in_place(c)) is not None]
        if off:
            d.p(
                "Listed as implemented, but not counted here or in the coverage: " + "; ".join(f"{c.id} ({why})" for c, why in off) + ".",
                style="note",
            )
        implemented = [c for c in marked if c not in void and not_in_place(c) is None]
        verified_ = [c for c in implemented if verified(c.verification)]  # "TBD", "N/A", "Not tested" cite nothing
        if not implemented:
            d.p(
                "No other manufacturer control is marked as implemented."
                if void or off
                else "No manufacturer control is marked as implemented."
            )
            return
        unstated = [c for c in implemented if not c.status_stated]
        d.p(
            f"{len(verified_)} of {plural(len(implemented), 'implemented manufacturer control')} cite verification "
            "evidence (tests, reviews, assessments)."
            + (
                f" For {len(unstated)} of them the threat model gives no status: they are listed as mitigations, and read as implemented."
                if unstated
                else ""
            )
        )
        rows = [[c.id, c.title, "; ".join(verified(c.verification)) or _not_cited(c)] for c in implemented]
        fills = {(r, 2): "FFE0B2" for r, c in enumerate(implemented) if not verified(c.verification)}
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
        stated = (
            ("Coordinated vulnerability disclosure", s.vulnerability_disclosure),
            ("Security contact", s.contact),
            ("Security updates", s.patch_policy),
            ("End of support", s.end_of_support),
            ("Software bill of materials", s.sbom),
            ("Decommissioning and data disposal", s.data_disposal),
        )
        d.bullets([f"{what}: {value}" for what, value in stated if value])


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
    new_ix = _Index(model)
    rows: list[list[str]] = []
    # a removed item is named by its id alone: it may be withheld now, and its title with it
    rows += [["Added", label(str(e.get("kind", ""))), new_ix.name(str(e.get("id", ""))), ""] for e in data.get("added") or []]
    rows += [["Removed", label(str(e.get("kind", ""))), str(e.get("id", "")), ""] for e in data.get("removed") or []]
    for entry in data.get("changed") or []:
        fields = entry.get("fields") or {}
        detail = "; ".join(
            f"{k}: {_short(v[0])} → {_short(v[1])}" if isinstance(v, list | tuple) and len(v) == 2 else str(k) for k, v in fields.items()
        )
        rows.append(["Changed", label(str(entry.get("kind", ""))), new_ix.name(str(entry.get("id", ""))), detail])
    return rows
