"""``architecture-views.docx``: what each FDA security architecture view shows (its scope), drawn and tabled."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mdptm.documents.submission._shared import GAP_FILL, WARN_FILL, Index, _new_doc, _paragraphs, _words, vocabulary
from mdptm.documents.submission._tables import (
    _assets_table,
    _controls_table,
    _elements_table,
    _fit_id_columns,
    _flows_table,
    _threats_table,
)
from mdptm.documents.submission.premarket import appendix2_section, response_section, states_section, view_states_line
from mdptm.model import VIEW_KINDS, Asset, Control, Element, Flow, Model, Threat, View, ViewKind
from mdptm.plugins import ExportContext
from mdptm.render.docir import Doc, Image

# ------------------------------------------------------------------------------ view scope


@dataclass
class ViewScope:
    """What one architecture view shows: its items, in model order."""

    view: View
    elements: list[Element]
    flows: list[Flow]
    assets: list[Asset]
    threats: list[Threat]
    controls: list[Control]
    derived: str | None = None  # why the view was derived from the model instead of read from it


def view_scope(ix: Index, view: View, derived: str | None = None) -> ViewScope:
    """The elements, flows, assets, threats and controls a view covers.

    Elements are those listed, the endpoints of listed flows and the element targets of listed
    threats; without listed flows, the flows between those elements. Threats are those listed, or,
    when none are, every threat aimed at the view's elements or flows. Controls are those listed plus
    the controls of the view's threats. The diagram draws the same elements and flows.
    """
    m = ix.model
    want_e: dict[str, None] = dict.fromkeys(e for e in view.elements if e in ix.elements)
    want_f: dict[str, None] = dict.fromkeys(f for f in view.flows if f in ix.flows)
    for tid in view.threats:
        t = ix.threats.get(tid)
        for target in t.targets if t else ():
            if target in ix.elements:
                want_e.setdefault(target)
            elif target in ix.flows:
                want_f.setdefault(target)
    for fid in list(want_f):
        want_e.setdefault(ix.flows[fid].source)
        want_e.setdefault(ix.flows[fid].target)
    if not view.flows:
        for f in m.flows:
            if f.source in want_e and f.target in want_e:
                want_f.setdefault(f.id)
    elements = [e for e in m.elements if e.id in want_e]
    flows = [f for f in m.flows if f.id in want_f]
    if view.threats:
        threat_ids = set(view.threats)
    else:
        on_view = set(want_e) | set(want_f)
        threat_ids = {t.id for t in m.threats if on_view.intersection(t.targets)}
    threats = [t for t in m.threats if t.id in threat_ids]
    control_ids = set(view.controls)
    for t in threats:
        control_ids.update(t.controls)
    controls = [c for c in m.controls if c.id in control_ids]
    asset_ids: set[str] = set()
    for a in m.assets:
        if want_e.keys() & set(a.stored_in):
            asset_ids.add(a.id)
    for f in flows:
        asset_ids.update(f.data)
    for t in threats:
        asset_ids.update(t.assets)
    assets = [a for a in m.assets if a.id in asset_ids]
    return ViewScope(view, elements, flows, assets, threats, controls, derived)


def _derived_view(ix: Index, kind: ViewKind) -> ViewScope | None:
    """A stand-in for a view kind the model lacks, built from what the model does say."""
    m = ix.model
    title = vocabulary().view_kinds[kind].title
    if kind == "global_system":
        if not m.elements and not m.flows:  # a register of risks with no system in it: nothing to show as a view
            return None
        view = View(id="derived-global-system", kind=kind, name=title, elements=[e.id for e in m.elements], flows=[f.id for f in m.flows])
        scope = view_scope(ix, view, "every element, flow and asset of the model")
        scope.assets = list(m.assets)  # the whole system: its assets too, held by an element or not
        return scope
    if kind == "multi_patient_harm":
        threats = [t.id for t in m.threats if t.multi_patient]
        if not threats:
            return None
        view = View(id="derived-multi-patient-harm", kind=kind, name=title, threats=threats)
        return view_scope(ix, view, "the threats flagged as able to harm many patients at once")
    if kind == "updatability_patchability":
        firmware = {a.id for a in m.assets if a.kind == "firmware"}
        flows = [f.id for f in m.flows if firmware.intersection(f.data)]
        controls = [c.id for c in m.controls if c.category == "updatability_patchability"]
        elements = list(dict.fromkeys(e for a in m.assets if a.kind == "firmware" for e in a.stored_in if e in ix.elements))
        if not flows and not controls and not elements:
            return None
        threats = [t.id for t in m.threats if firmware.intersection(t.assets) or set(controls).intersection(t.controls)]
        view = View(
            id="derived-updatability-patchability",
            kind=kind,
            name=title,
            elements=elements,
            flows=flows,
            threats=threats,
            controls=controls,
        )
        # say what it was derived from: an update control alone shows no update path
        sources = [
            x
            for x, present in (("the flows and elements that carry or hold firmware", flows or elements), ("the update controls", controls))
            if present
        ]
        why = " and ".join(sources) + ("" if firmware else "; the model records no firmware asset, so no update path is shown")
        return view_scope(ix, view, why)
    return None


# ------------------------------------------------------------------ architecture-views.docx

DiagramFn = Callable[[Model, Path, View], Path | None]


def _multi_patient_rows(ix: Index, scopes: Sequence[ViewScope]) -> tuple[list[list[str]], dict[tuple[int, int], str]]:
    """Elements and flows that could affect many patients at once, and why."""
    m = ix.model
    reasons: dict[str, list[str]] = {}
    threats_on: dict[str, list[Threat]] = {}
    for t in m.threats:
        if not t.multi_patient:
            continue
        for target in t.targets:
            if target in ix.elements or target in ix.flows:
                threats_on.setdefault(target, []).append(t)
    for s in scopes:
        if s.derived:
            continue
        for item in (*s.elements, *s.flows):
            reasons.setdefault(item.id, []).append(f"in {s.view.name}")
    for target in threats_on:
        reasons.setdefault(target, []).append("target of a multi-patient threat")
    harm_rank = ("none", "negligible", "minor", "serious", "critical", "catastrophic")
    order = [e.id for e in m.elements] + [f.id for f in m.flows]
    rows: list[list[str]] = []
    fills: dict[tuple[int, int], str] = {}
    for r, item_id in enumerate(i for i in order if i in reasons):
        threats = threats_on.get(item_id, [])
        harms = [t.patient_harm for t in threats if t.patient_harm]
        worst = max(harms, key=harm_rank.index) if harms else None
        controls = list(dict.fromkeys(c for t in threats for c in t.controls))
        kind = "Flow" if item_id in ix.flows else "Element"
        rows.append(
            [
                item_id,
                ix.name(item_id),
                kind,
                "; ".join(dict.fromkeys(reasons[item_id])),
                ", ".join(t.id for t in threats) or "—",
                _words(worst) or "—",
                ", ".join(controls) or "—",
            ]
        )
        if threats and not controls:
            fills[(r, 6)] = GAP_FILL
    return rows, fills


def _multi_patient_section(doc: Doc, ix: Index, scopes: Sequence[ViewScope]) -> None:
    rows, fills = _multi_patient_rows(ix, scopes)
    doc.h("Elements and flows that could affect many patients at once", 2)
    if rows:
        doc.table(
            ["ID", "Name", "Kind", "Why", "Multi-patient threats", "Worst patient harm", "Controls"],
            rows,
            caption="Elements and flows with multi-patient reach",
            widths=[1.2, 2.0, 1.0, 2.4, 1.6, 1.4, 1.8],
            fills=fills,
        )
    else:
        doc.p(
            "The model flags no threat as able to harm many patients at once and has no multi-patient harm "
            "view listing elements or flows. State which elements could affect many patients, or why none can.",
            style="note",
        )


def _mph_sections(doc: Doc, ix: Index, scopes: Sequence[ViewScope]) -> None:
    """The Multi-Patient Harm chapter's opening: its reach, then how an attack is detected, answered and recovered from."""
    _multi_patient_section(doc, ix, scopes)
    response_section(doc, [s.view for s in scopes if not s.derived])


def _view_chapter_body(
    doc: Doc, ix: Index, scope: ViewScope, diagrams: dict[str, Image], level: int, after_intro: Callable[[], None] | None = None
) -> None:
    """A view's text, steps, diagram and tables; *after_intro* adds what the view kind needs up front."""
    v = scope.view
    if scope.derived:
        doc.p(
            f"The model has no view of this kind. The tables below are derived from {scope.derived}. "
            "An FDA submission should include this view or justify its omission.",
            style="note",
        )
    _paragraphs(doc, v.description)
    if v.kind == "security_use_case":
        view_states_line(doc, ix.model, v)
    if v.steps:
        doc.h("Steps", level + 1)
        doc.bullets(list(v.steps), numbered=True)
    if after_intro is not None:
        after_intro()
    img = diagrams.get(v.id)
    if img is not None:
        doc.image(img.path, caption=f"{v.name} — diagram rendered from the threat model", width_cm=img.width_cm)
    elif not scope.elements:
        doc.p("No diagram: the view names no element to draw.", style="note")
    if v.diagram is not None:
        doc.p(f"Source diagram: {v.diagram.path}" + (f" — {v.diagram.caption}" if v.diagram.caption else ""), style="note")
    doc.h("Elements", level + 1)
    _elements_table(doc, ix, scope.elements, f"Elements — {v.name}")
    appendix2_section(doc, scope.elements, level + 1, f"Appendix 2 detail — {v.name}")
    doc.h("Data flows and interfaces", level + 1)
    _flows_table(doc, ix, scope.flows, f"Data flows — {v.name}")
    doc.h("Assets", level + 1)
    _assets_table(doc, ix, scope.assets, f"Assets — {v.name}")
    doc.h("Threats", level + 1)
    _threats_table(doc, scope.threats, f"Threats — {v.name}")
    doc.h("Security controls", level + 1)
    _controls_table(doc, scope.controls, f"Controls — {v.name}")


def architecture_doc(
    model: Model, ctx: ExportContext, diagrams: dict[str, Image] | None = None, scopes: dict[str, list[ViewScope]] | None = None
) -> Doc:
    """``architecture-views.docx``: one chapter per FDA view kind and one per security use case."""
    ix = Index(model)
    voc = vocabulary()
    scopes = scopes if scopes is not None else architecture_scopes(model)
    diagrams = diagrams or {}
    doc = _new_doc("Security architecture views", model, ctx, "Security architecture views")
    doc.p(
        f"This document gives the security architecture views of {voc.citations['architecture']} "
        "Each view shows its diagram and the elements, data flows, assets, threats and controls it covers."
    )
    summary: list[list[str]] = []
    fills: dict[tuple[int, int], str] = {}
    for kind in VIEW_KINDS:
        found = scopes.get(kind, [])
        names = "; ".join(s.view.name for s in found if not s.derived)
        if not names:
            names = "derived from the model" if found else "missing"
            fills[(len(summary), 1)] = WARN_FILL if found else GAP_FILL
        summary.append(
            [
                voc.view_kinds[kind].title,
                names,
                # items the views of a kind share count once: the row never says more than the model holds
                str(len({e.id for s in found for e in s.elements})),
                str(len({f.id for s in found for f in s.flows})),
                str(len({t.id for s in found for t in s.threats})),
            ]
        )
    doc.table(
        ["FDA view", "Views in the model", "Elements", "Flows", "Threats"],
        summary,
        caption="Views at a glance",
        widths=[2.6, 4.4, 1.0, 1.0, 1.0],
        fills=fills,
    )

    for kind in ("global_system", "multi_patient_harm", "updatability_patchability"):
        text = voc.view_kinds[kind]
        doc.h(text.title, 1)
        doc.p(f"{text.citation}: {text.purpose}", style="note")
        found = scopes.get(kind, [])
        reach = (lambda f=found: _mph_sections(doc, ix, f)) if kind == "multi_patient_harm" else None
        if not found:  # said first: the chapter's statement, not part of its first section
            doc.p(
                f"The model has no {text.title}, and none can be derived from it. An FDA submission should include "
                "this view or justify its omission.",
                style="note",
            )
        if reach is not None and len(found) != 1:
            reach()  # several views or none: the reach table opens the chapter
            reach = None
        if not found:
            continue
        for s in found:
            if len(found) > 1:
                doc.h(s.view.name, 2)
            _view_chapter_body(doc, ix, s, diagrams, 2 if len(found) > 1 else 1, reach)

    use_cases = scopes.get("security_use_case", [])
    text = voc.view_kinds["security_use_case"]
    doc.h(text.title, 1)
    doc.p(f"{text.citation}: {text.purpose}", style="note")
    states_section(doc, model)
    if use_cases:
        doc.p(
            f"The model defines {len(use_cases)} security use case view{'s' if len(use_cases) != 1 else ''}; "
            "each has its own chapter below."
        )
        rows = [
            [
                s.view.id,
                s.view.name,
                str(len(s.view.steps)),
                str(len(s.elements)),
                str(len(s.flows)),
                str(len(s.threats)),
                str(len(s.controls)),
            ]
            for s in use_cases
        ]
        doc.table(
            ["ID", "Security use case", "Steps", "Elements", "Flows", "Threats", "Controls"],
            rows,
            caption="Security use cases",
            widths=[1.0, 4.0, 0.8, 1.0, 0.8, 0.9, 1.0],
        )
    else:
        doc.p(
            "The model defines no security use case view. FDA expects one for each functionality whose compromise "
            "could affect safety or effectiveness.",
            style="note",
        )
    for s in use_cases:
        doc.h(f"Security Use Case View: {s.view.name}", 1)
        _view_chapter_body(doc, ix, s, diagrams, 1)
    return _fit_id_columns(doc)


def architecture_scopes(model: Model) -> dict[str, list[ViewScope]]:
    """Each FDA view kind with the scopes of its views (derived stand-ins where the model has none)."""
    ix = Index(model)
    out: dict[str, list[ViewScope]] = {}
    for v in model.views:
        out.setdefault(v.kind, []).append(view_scope(ix, v))
    for kind in VIEW_KINDS:
        if kind not in out:
            derived = _derived_view(ix, kind)
            if derived is not None:
                out[kind] = [derived]
    return out
