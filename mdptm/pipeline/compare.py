"""Public threat models of several devices side by side, the way a hospital decides (``mdptm compare``).

Each PTM is read as published — a package folder, ``ptm.json`` or an OTM file from any tool — and
reduced to the facts a buyer weighs: how long and how fast the maker patches, what the network must
allow, where patient data goes, what the hospital has to do itself, what risk remains, and how the
model maps onto MC2, the CRA and the FDA views. Every cell says where its value came from; a fact a
PTM does not state is shown as "not stated" and is never the best of a row. Coverage is computed here
with the same mapping engine for every device, so all are measured with one yardstick.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from mdptm.documents import netplan
from mdptm.documents.guides import Facts
from mdptm.errors import InputError
from mdptm.model import Model
from mdptm.model.evidence import durations, first_date, stated

NOT_STATED = "not stated"
Better = Literal["higher", "lower"]

PATIENT_DATA = ("phi", "pii", "therapy_data")
_CLEAR = re.compile(r"\b(none|no encryption|unencrypted|not encrypted|plain ?text|clear ?text|cleartext|http(?!s))\b", re.IGNORECASE)
LEVELS = ("critical", "high", "medium", "low")
SERIOUS_HARM = ("serious", "critical", "catastrophic")
VIEW_TITLES = {
    "global_system": "Global system view",
    "multi_patient_harm": "Multi-patient harm view",
    "updatability_patchability": "Updatability / patchability view",
    "security_use_case": "Security use case views",
}


@dataclass
class Device:
    """One compared PTM: what it is called and where it was read from."""

    label: str
    path: Path
    origin: str  # "mdptm package", "mdptm model", "OTM"
    model: Model
    plan: tuple[Facts, netplan.Plan] | None = None


@dataclass
class Cell:
    text: str
    stated: bool = True
    score: float | None = None  # for ordering; None where the row has no order or nothing is stated
    source: str = ""
    short: str = ""  # the value in a few words, for the summary of differences; empty: the text itself

    def brief(self) -> str:
        return self.short or _clip(self.text, 70)


@dataclass
class Row:
    group: str
    label: str
    cells: list[Cell]
    better: Better | None = None
    best: list[int] = field(default_factory=list)
    worst: list[int] = field(default_factory=list)
    summary: Callable[[list[Device], Row], str] | None = None


@dataclass
class Comparison:
    devices: list[Device]
    rows: list[Row]
    highlights: list[str]
    chart: dict[str, list[int]]  # device label -> open threats per level (LEVELS order)


# ----------------------------------------------------------------------------------------- reading


def read_ptm(path: Path) -> Device:
    """A published PTM: a package folder (its ``ptm.json``, else its OTM file), ``ptm.json`` or an OTM file."""
    from mdptm.pipeline.importing import import_one

    target, origin = path, "mdptm model"
    if path.is_dir():
        candidates = [path / "ptm.json", path / "ptm.otm.json", *sorted(path.glob("*.otm.json")), *sorted(path.glob("*.otm.yaml"))]
        found = next((p for p in candidates if p.is_file()), None)
        if found is None:
            raise InputError("no ptm.json or OTM file in this folder: is it a published PTM package?", file=str(path))
        target = found
        origin = "mdptm package" if found.name == "ptm.json" else "OTM"
    elif not path.is_file():
        raise InputError("no such file or folder", file=str(path))
    model, _report = import_one(target)
    if target.name != "ptm.json" and ".otm." in target.name.casefold():
        origin = "OTM"
    p = model.product
    label = " ".join(x for x in (p.name, p.version) if x and stated(x)) or target.stem
    return Device(label=label, path=target, origin=origin, model=model)


def _labels(devices: list[Device]) -> None:
    """Two PTMs of the same product still need two column titles."""
    seen: dict[str, int] = {}
    for d in devices:
        seen[d.label] = seen.get(d.label, 0) + 1
    for d in devices:
        if seen[d.label] > 1:
            d.label = f"{d.label} ({d.path.parent.name or d.path.name})"


# ------------------------------------------------------------------------------------------ facts


def _src(d: Device, where: str) -> str:
    return f"{d.path.name}: {where}"


def _text(d: Device, value: str | None, where: str) -> Cell:
    if value is None or not stated(value):
        return Cell(NOT_STATED, stated=False, source=_src(d, where))
    return Cell(value.strip(), source=_src(d, where))


def _end_of_support(d: Device) -> Cell:
    value = d.model.support.end_of_support
    cell = _text(d, value, "support.end_of_support")
    if cell.stated and value:
        day = first_date(value)
        if day is not None:
            cell.score = float((day - date(1970, 1, 1)).days)
    return cell


def _patch_days(d: Device) -> Cell:
    value = d.model.support.patch_policy
    cell = _text(d, value, "support.patch_policy")
    if cell.stated and value:
        spans = durations(value)
        if spans:
            days = [n for n, _ in spans]
            cell.score = float(max(days))  # the slowest commitment is what every fix may take
            cell.short = f"{min(days)}–{max(days)} days" if min(days) != max(days) else f"{days[0]} days"
            cell.text = f"{cell.short} ({' '.join(value.split())})"
    return cell


def _yes(d: Device, value: str | None, where: str) -> Cell:
    cell = _text(d, value, where)
    if cell.stated:
        cell.text, cell.score = " ".join(cell.text.split()), 1.0
    else:
        cell.score = 0.0
    return cell


def _plan(d: Device) -> tuple[Facts, netplan.Plan]:
    """The network as the deployment guide reads it: who opens each connection, and the firewall rules that follow."""
    if d.plan is None:
        facts = Facts.of(d.model)
        d.plan = (facts, netplan.build(facts))
    return d.plan


def _inbound_from_outside(d: Device) -> Cell:
    facts, plan = _plan(d)
    holes = [r for r in plan.rules if r.direction == "inbound" and facts.stated_where(r.opener.element) == "outside"]
    src = _src(d, "flows: initiator (or who the text says opens them), trust zones")
    if not d.model.flows:
        return Cell(NOT_STATED, stated=False, source=src)
    guess = {"assumed": ", opener assumed", "name": ", opener read from the flow's name"}
    listed = [f"{r.peer} → {r.local} ({r.protocol} {r.ports})" + guess.get(r.opener.basis, "") for r in holes]
    text = f"{len(holes)}" + (": " + "; ".join(listed) if holes else " (outbound only)")
    short = f"{len(holes)} inbound" if holes else "none: outbound only"
    return Cell(text, score=float(len(holes)), source=src, short=short)


def _listening(d: Device) -> Cell:
    facts, plan = _plan(d)
    src = _src(d, "flows: protocol, port, initiator")
    if not d.model.flows:
        return Cell(NOT_STATED, stated=False, source=src)
    ports: dict[str, list[str]] = {}
    for r in plan.rules:
        listener = r.flow.target if r.opener.element == r.flow.source else r.flow.source
        # the maker's system only: the hospital's EMR or RADIUS server listens whatever device it buys
        kind = facts.elements[listener].kind if listener in facts.elements else "external_entity"
        if r.direction == "inbound" and kind != "external_entity" and re.search(r"\d", r.ports):
            ports.setdefault(f"{r.protocol} {r.ports}".strip(), []).append(r.local)
    listed = "; ".join(f"{p} on {', '.join(dict.fromkeys(names))}" for p, names in sorted(ports.items()))
    return Cell(f"{len(ports)}" + (f": {listed}" if listed else ""), score=float(len(ports)), source=src, short=f"{len(ports)} ports")


def _unencrypted(d: Device) -> Cell:
    flows = d.model.flows
    src = _src(d, "flows: encryption")
    if not flows:
        return Cell(NOT_STATED, stated=False, source=src)
    clear = [
        f for f in flows if f.encryption and _CLEAR.search(f.encryption) and not re.search(r"\b(tls|ssl|https|aes)\b", f.encryption, re.I)
    ]
    names = "; ".join(f.name or f.id for f in clear)
    return Cell(
        f"{len(clear)} of {len(flows)}" + (f": {names}" if names else ""), score=float(len(clear)), source=src, short=f"{len(clear)} flows"
    )


def _encryption_unknown(d: Device) -> Cell:
    flows = d.model.flows
    src = _src(d, "flows: encryption")
    if not flows:
        return Cell(NOT_STATED, stated=False, source=src)
    unknown = [f for f in flows if not stated(f.encryption)]
    return Cell(f"{len(unknown)} of {len(flows)}", score=float(len(unknown)), source=src)


def _cloud(d: Device) -> Cell:
    facts, _ = _plan(d)
    names = [e.name for e in d.model.elements if facts.stated_where(e.id) == "outside" and e.kind != "external_entity"]
    src = _src(d, "elements: kind cloud_service or in a cloud / maker zone")
    if not d.model.elements:
        return Cell(NOT_STATED, stated=False, source=src)
    return Cell(f"{len(names)}" + (": " + "; ".join(names) if names else ""), score=float(len(names)), source=src)


def _patient_data(d: Device, *, cloud_only: bool) -> Cell:
    m = d.model
    elems = {e.id: e for e in m.elements}
    facts, _ = _plan(d)
    rows = []
    for a in m.assets:
        if a.kind not in PATIENT_DATA:
            continue
        places = [elems[i] for i in a.stored_in if i in elems]
        if cloud_only:
            places = [e for e in places if facts.stated_where(e.id) == "outside"]
            if not places:
                continue
        where = ", ".join(e.name for e in places) or "storage not stated"
        rows.append(f"{a.name} ({where})")
    src = _src(d, "assets of kind phi / pii / therapy_data, stored_in")
    if not m.assets:
        return Cell(NOT_STATED, stated=False, source=src)
    text = f"{len(rows)}" + (": " + "; ".join(rows) if rows else "")
    short = (f"{len(rows)} kinds: " + ", ".join(r.split(" (")[0] for r in rows)) if rows else "none"
    return Cell(text, score=float(len(rows)) if cloud_only else None, source=src, short=short)


def _disposal(d: Device) -> Cell:
    m = d.model
    told = [a.name for a in m.assets if stated(a.disposal)]
    if stated(m.support.data_disposal):
        return Cell(" ".join((m.support.data_disposal or "").split()), score=1.0, source=_src(d, "support.data_disposal"))
    if told:
        return Cell(
            f"for {len(told)} of {len(m.assets)} assets", score=len(told) / max(len(m.assets), 1), source=_src(d, "assets: disposal")
        )
    return Cell(NOT_STATED, stated=False, score=0.0, source=_src(d, "support.data_disposal, assets: disposal"))


def _authenticated(d: Device) -> Cell:
    flows = d.model.flows
    src = _src(d, "flows: authentication")
    if not flows:
        return Cell(NOT_STATED, stated=False, source=src)
    told = [f for f in flows if stated(f.authentication)]
    return Cell(f"{len(told)} of {len(flows)}", score=len(told) / len(flows), source=src)


def _hospital_controls(d: Device) -> Cell:
    owned = [c for c in d.model.controls if c.responsibility in ("customer", "shared")]
    src = _src(d, "controls: responsibility customer / shared")
    if not d.model.controls:
        return Cell(NOT_STATED, stated=False, source=src)
    listed = "; ".join(c.title for c in owned[:8]) + (f"; and {len(owned) - 8} more" if len(owned) > 8 else "")
    return Cell(f"{len(owned)}" + (f": {listed}" if owned else ""), score=float(len(owned)), source=src, short=f"{len(owned)} controls")


def _hospital_assumptions(d: Device) -> Cell:
    owned = [a for a in d.model.assumptions if a.responsibility in ("customer", "shared")]
    src = _src(d, "assumptions: responsibility customer / shared")
    if not d.model.assumptions:
        return Cell(NOT_STATED, stated=False, source=src)
    listed = "; ".join(_clip(a.text, 80) for a in owned[:5]) + (f"; and {len(owned) - 5} more" if len(owned) > 5 else "")
    return Cell(f"{len(owned)}" + (f": {listed}" if owned else ""), score=float(len(owned)), source=src)


def _level(t_level: str | None) -> str | None:
    return t_level if t_level in LEVELS else None


def open_by_level(model: Model) -> list[int]:
    """Threats still open (or partly mitigated) per risk level, critical first; the residual level where stated."""
    counts = dict.fromkeys(LEVELS, 0)
    for t in model.threats:
        if t.status not in ("open", "partially_mitigated"):
            continue
        risk = t.residual_risk or t.risk
        level = _level(risk.level if risk else None)
        if level:
            counts[level] += 1
    return [counts[lv] for lv in LEVELS]


def _open_threats(d: Device) -> Cell:
    counts = open_by_level(d.model)
    src = _src(d, "threats: status open / partially mitigated, residual risk level")
    if not d.model.threats:
        return Cell(NOT_STATED, stated=False, source=src)
    unrated = sum(1 for t in d.model.threats if t.status in ("open", "partially_mitigated")) - sum(counts)
    text = ", ".join(f"{n} {lv}" for n, lv in zip(counts, LEVELS, strict=True)) + (f", {unrated} unrated" if unrated else "")
    weight = sum(n * w for n, w in zip(counts, (1000, 100, 10, 1), strict=True)) + unrated * 10
    return Cell(text, score=float(weight), source=src)


def _count(d: Device, where: str, pred: Callable[..., bool]) -> Cell:
    src = _src(d, where)
    if not d.model.threats:
        return Cell(NOT_STATED, stated=False, source=src)
    hits = [t for t in d.model.threats if pred(t)]
    return Cell(str(len(hits)), score=float(len(hits)), source=src)


def _coverage_cells(devices: list[Device]) -> list[Row]:
    from mdptm.mapping.engine import map_model

    results = [map_model(d.model) for d in devices]
    rows: list[Row] = []
    titles = {fw.id: fw.title for r in results for fw in r.frameworks}
    for fid in sorted(titles):
        cells = []
        for d, cov in zip(devices, results, strict=True):
            fw = cov.framework(fid)
            if fw is None or not fw.clauses:
                cells.append(Cell(NOT_STATED, stated=False, source=_src(d, f"mapping {fid}")))
                continue
            s = fw.summary
            applicable = sum(v for k, v in s.items() if k != "not_applicable") or 1
            text = f"{s.get('covered', 0)} covered, {s.get('partial', 0)} partial, {s.get('gap', 0)} gap"
            cells.append(Cell(text, score=(s.get("covered", 0) + 0.5 * s.get("partial", 0)) / applicable, source=_src(d, f"mapping {fid}")))
        rows.append(Row("Coverage", titles[fid], cells, "higher"))
    mc2 = [(cov.framework("mc2"), d) for cov, d in zip(results, devices, strict=True)]
    order = {"covered": 3.0, "partial": 2.0, "gap": 0.0}
    clause_ids: list[tuple[str, str]] = []
    for fw, _ in mc2:
        for c in fw.clauses if fw else []:
            if c.group != "pillars" and (c.id, c.title) not in clause_ids:  # the pillars only sum up the principles
                clause_ids.append((c.id, c.title))
    for cid, title in clause_ids:
        cells = []
        for fw, d in mc2:
            clause = next((c for c in fw.clauses if c.id == cid), None) if fw else None
            if clause is None or clause.status == "not_applicable":
                cells.append(
                    Cell("not applicable" if clause else NOT_STATED, stated=clause is not None, source=_src(d, f"mapping mc2 {cid}"))
                )
            else:
                cells.append(Cell(clause.status, score=order.get(clause.status), source=_src(d, f"mapping mc2 {cid}")))
        rows.append(Row("Coverage: MC2", f"{cid} {title}", cells, "higher"))
    for kind, title in VIEW_TITLES.items():
        cells = []
        for d in devices:
            n = sum(1 for v in d.model.views if v.kind == kind)
            cells.append(Cell(str(n) if n else "none", stated=bool(n), score=float(n > 0), source=_src(d, f"views of kind {kind}")))
        rows.append(Row("Coverage: FDA views", title, cells, "higher"))
    return rows


def _not_stated(d: Device) -> Cell:
    m = d.model
    missing = [
        name
        for name, value in (
            ("end of support", m.support.end_of_support),
            ("patch timeline", m.support.patch_policy),
            ("SBOM", m.support.sbom),
            ("vulnerability disclosure", m.support.vulnerability_disclosure),
            ("security contact", m.support.contact),
            ("data disposal", m.support.data_disposal),
        )
        if not stated(value)
    ]
    if not m.flows:
        missing.append("data flows")
    if m.flows and all(not stated(f.port) for f in m.flows):
        missing.append("ports")
    if not m.assets:
        missing.append("assets")
    if not m.views:
        missing.append("FDA architecture views")
    return Cell(
        "; ".join(missing) if missing else "nothing of the above",
        score=float(len(missing)),
        source=_src(d, "support, flows, assets, views"),
    )


# ---------------------------------------------------------------------------------------- compare

_Fact = Callable[[Device], Cell]


def _rows(devices: list[Device]) -> list[Row]:
    spec: list[tuple[str, str, Better | None, _Fact]] = [
        ("Support and patching", "End of support", "higher", _end_of_support),
        ("Support and patching", "Patch timeline (slowest stated)", "lower", _patch_days),
        ("Support and patching", "SBOM", "higher", lambda d: _yes(d, d.model.support.sbom, "support.sbom")),
        (
            "Support and patching",
            "Vulnerability disclosure",
            "higher",
            lambda d: _yes(d, d.model.support.vulnerability_disclosure, "support.vulnerability_disclosure"),
        ),
        ("Support and patching", "Security contact", "higher", lambda d: _yes(d, d.model.support.contact, "support.contact")),
        ("Network footprint", "Connections opened from outside the hospital (inbound firewall rules)", "lower", _inbound_from_outside),
        ("Network footprint", "Ports the device side listens on", "lower", _listening),
        ("Network footprint", "Flows stated as unencrypted", "lower", _unencrypted),
        ("Network footprint", "Flows whose encryption is not stated", "lower", _encryption_unknown),
        ("Network footprint", "Cloud and maker services it depends on", "lower", _cloud),
        ("Data", "Patient data held", None, lambda d: _patient_data(d, cloud_only=False)),
        ("Data", "Patient data held in a cloud or by the maker", "lower", lambda d: _patient_data(d, cloud_only=True)),
        ("Data", "Data disposal at end of use", "higher", _disposal),
        ("Identity and access", "Flows with authentication stated", "higher", _authenticated),
        ("What the hospital must do", "Controls expected of the hospital", "lower", _hospital_controls),
        ("What the hospital must do", "Assumptions the hospital must meet", "lower", _hospital_assumptions),
        ("Residual risk", "Open threats by residual level", "lower", _open_threats),
        ("Residual risk", "Accepted threats", "lower", lambda d: _count(d, "threats: status accepted", lambda t: t.status == "accepted")),
        (
            "Residual risk",
            "Open or accepted threats with serious or worse patient harm",
            "lower",
            lambda d: _count(
                d,
                "threats: patient_harm, status",
                lambda t: t.patient_harm in SERIOUS_HARM and t.status in ("open", "partially_mitigated", "accepted"),
            ),
        ),
        (
            "Residual risk",
            "Threats that could harm several patients",
            None,
            lambda d: _count(d, "threats: multi_patient", lambda t: bool(t.multi_patient)),
        ),
    ]
    rows = [Row(group, label, [fact(d) for d in devices], better) for group, label, better, fact in spec]
    rows += _coverage_cells(devices)
    rows.append(Row("What the PTM does not state", "Not stated", [_not_stated(d) for d in devices], "lower"))
    for row in rows:
        _rank(row)
    return rows


def _rank(row: Row) -> None:
    """Best and worst where the row has an order and at least two PTMs state different values."""
    if row.better is None:
        return
    scored = [(i, c.score) for i, c in enumerate(row.cells) if c.stated and c.score is not None]
    values = {s for _, s in scored}
    if len(scored) < 2 or len(values) < 2:
        return
    top, bottom = (max(values), min(values)) if row.better == "higher" else (min(values), max(values))
    row.best = [i for i, s in scored if s == top]
    row.worst = [i for i, s in scored if s == bottom]
    # a PTM that does not state the fact is at least as bad as the worst that does
    row.worst += [i for i, c in enumerate(row.cells) if not c.stated and i not in row.worst]


def _highlights(devices: list[Device], rows: list[Row]) -> list[str]:
    """The biggest differences, in plain sentences, in the order a buyer weighs them."""
    wanted = (
        "End of support",
        "Patch timeline (slowest stated)",
        "Connections opened from outside the hospital (inbound firewall rules)",
        "Flows stated as unencrypted",
        "Patient data held in a cloud or by the maker",
        "Open threats by residual level",
        "Controls expected of the hospital",
        "SBOM",
    )
    out = []
    by_label = {r.label: r for r in rows}
    for label in wanted:
        row = by_label.get(label)
        if row is None or not row.best:
            continue
        best = ", ".join(devices[i].label for i in row.best)
        worst_stated = [i for i in row.worst if row.cells[i].stated]
        silent = [i for i in row.worst if not row.cells[i].stated]
        parts = [f"best {best} ({row.cells[row.best[0]].brief()})"]
        if worst_stated:
            parts.append(f"worst {', '.join(devices[i].label for i in worst_stated)} ({row.cells[worst_stated[0]].brief()})")
        if silent:
            parts.append(f"not stated by {', '.join(devices[i].label for i in silent)}")
        out.append(f"{label}: " + "; ".join(parts) + ".")
    return out


def compare(paths: Sequence[Path]) -> Comparison:
    """Read every PTM and put their facts side by side; at least two are needed."""
    if len(paths) < 2:
        raise InputError("compare needs at least two published PTMs (package folders, ptm.json or OTM files)")
    devices = [read_ptm(p) for p in paths]
    _labels(devices)
    rows = _rows(devices)
    chart = {d.label: open_by_level(d.model) for d in devices}
    return Comparison(devices=devices, rows=rows, highlights=_highlights(devices, rows), chart=chart)


def _clip(text: str, width: int) -> str:
    one = " ".join(text.split())
    return one if len(one) <= width else one[: width - 1].rstrip() + "…"
