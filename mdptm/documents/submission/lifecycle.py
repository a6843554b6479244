"""``lifecycle-assessment.docx``: the unresolved anomalies (FDA V.A.5) and the TPLC security metrics (V.A.6)."""

from __future__ import annotations

from mdptm.documents.submission._shared import GAP_FILL, NOT_STATED, WARN_FILL, Index, _cite, _new_doc, _paragraphs, stated
from mdptm.documents.submission._tables import _fit_id_columns
from mdptm.model import Model
from mdptm.model.cvss import describe as describe_cvss
from mdptm.model.cvss import read as read_cvss
from mdptm.plugins import ExportContext
from mdptm.render.docir import Doc

# ------------------------------------------------------------------------ lifecycle-assessment.docx


def lifecycle_doc(model: Model, ctx: ExportContext) -> Doc:
    """``lifecycle-assessment.docx``: unresolved anomalies (V.A.5) and TPLC security metrics (V.A.6)."""
    ix = Index(model)
    rm = model.risk_management
    doc = _new_doc("Unresolved anomalies and TPLC security metrics", model, ctx, "Unresolved anomalies and metrics")

    doc.h("Security assessment of unresolved anomalies", 1)
    doc.p(_cite("anomalies") + ".", style="note")
    if not rm.anomalies:
        doc.p(
            "The model records no unresolved anomaly (risk_management.anomalies). List each known defect the release "
            "ships with and its security impact, or state that there is none.",
            style="note",
        )
    else:
        doc.p(
            f"{len(rm.anomalies)} unresolved anomalies ship with this release. For each: its weakness (CWE), the "
            "elements it affects, its security impact, why it may ship unresolved, and the planned fix."
        )
        rows, fills = [], {}
        for r, a in enumerate(rm.anomalies):
            fix, no_fix = stated(a.fix, NOT_STATED)
            rows.append([a.id, a.title, ", ".join(a.cwe) or "missing", ix.labels(a.affects) or "—", ", ".join(a.threats) or "—", fix])
            if not a.cwe:
                fills[(r, 2)] = GAP_FILL
            if no_fix:
                fills[(r, 5)] = WARN_FILL
        doc.table(
            ["ID", "Anomaly", "CWE", "Affects", "Threats", "Planned fix"],
            rows,
            caption="Unresolved anomalies",
            widths=[0.9, 3.2, 1.1, 2.2, 0.9, 1.9],
            fills=fills,
        )
        for a in rm.anomalies:
            doc.h(f"{a.id} {a.title}", 2)
            _paragraphs(doc, a.description)
            # a placeholder ("TBD") assesses nothing: red like a blank
            facts: list[tuple[str, tuple[str, bool]]] = [("CWE", (", ".join(a.cwe) or "missing", not a.cwe))]
            if a.cvss:
                facts.append(("CVSS", (describe_cvss(read_cvss(a.cvss)) or a.cvss, False)))
            facts += [
                ("Affects", (ix.labels(a.affects) or "—", False)),
                ("Threats", (ix.labels(a.threats) or "—", False)),
                ("Security impact", stated(a.impact, "missing")),
                ("Why it may ship unresolved", stated(a.rationale, "missing")),
                ("Planned fix", (stated(a.fix, NOT_STATED)[0], False)),
            ]
            detail = [[label, text] for label, (text, _gap) in facts]
            fills = {(r, 1): GAP_FILL for r, (_label, (_text, gap)) in enumerate(facts) if gap}
            doc.table([], detail, widths=[2.6, 7.4], fills=fills)

    doc.h("TPLC security risk management: measures and metrics", 1)
    doc.p(_cite("metrics") + ".", style="note")
    m = rm.metrics
    if m is None:
        doc.p(
            "The model has no TPLC security metrics (risk_management.metrics): the share of vulnerabilities patched, the "
            "time from identification to patch and the time from patch to deployment in the field.",
            style="note",
        )
    else:
        share = None
        if m.vulnerabilities_identified:
            share = 100.0 * (m.vulnerabilities_patched or 0) / m.vulnerabilities_identified
        rows = [
            ["Period", m.period or NOT_STATED],
            ["Vulnerabilities identified", NOT_STATED if m.vulnerabilities_identified is None else str(m.vulnerabilities_identified)],
            ["Vulnerabilities updated or patched", NOT_STATED if m.vulnerabilities_patched is None else str(m.vulnerabilities_patched)],
            ["Share of vulnerabilities patched", NOT_STATED if share is None or m.vulnerabilities_patched is None else f"{share:.0f} %"],
            ["Mean time from identification to patch", NOT_STATED if m.days_to_patch is None else f"{m.days_to_patch:g} days"],
            [
                "Mean time from patch availability to field deployment",
                NOT_STATED if m.days_to_deploy is None else f"{m.days_to_deploy:g} days",
            ],
        ]
        fills = {(r, 1): GAP_FILL for r, row in enumerate(rows) if row[1] == NOT_STATED}
        doc.table(["Measure", "Value"], rows, caption="TPLC security metrics", widths=[4.6, 5.4], fills=fills)
        if m.note:
            _paragraphs(doc, m.note)
    sup = model.support
    if sup.patch_policy:
        doc.p(" ".join(sup.patch_policy.split()), bold_prefix="Patch policy:")
    return _fit_id_columns(doc)
