"""Held-out threat models of other devices, in the layouts real device makers use (issue 3).

Every fixture is read for its exact content — each component with its trust zone, each flow by its ends,
each asset, view, control and threat with its STRIDE, status, controls and targets — and its import report
must account for every table row and sheet row of the source files.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import openpyxl
import pytest

from mdptm.importers.xlsx import read_csv
from mdptm.model import Model
from mdptm.model.report import ImportReport
from tests.importers.heldout_fixtures import BUILDERS, Expected, Heldout, shuffled_register
from tests.importers.import_helpers import reconciles, run_import

FACT_ITEMS = {"product", "document", "support"}


def _one(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module", params=sorted(BUILDERS))
def imported(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Heldout, Model, ImportReport]:
    held = BUILDERS[request.param](tmp_path_factory.mktemp(request.param))
    model, report = run_import(*held.files)
    return held, model, report


def _names(model: Model) -> dict[str, str]:
    """Every item a threat may target, by id → how a reader names it."""
    el = {e.id: _one(e.name) for e in model.elements}
    out = dict(el)
    out.update({z.id: _one(z.name) for z in model.trust_zones})
    out.update({f.id: f"{el.get(f.source, f.source)} -> {el.get(f.target, f.target)}" for f in model.flows})
    return out


def test_components_and_trust_zones(imported: tuple[Heldout, Model, ImportReport]) -> None:
    held, model, _ = imported
    exp: Expected = held.expected
    zones = {z.id: _one(z.name) for z in model.trust_zones}
    got = {_one(e.name): zones.get(e.trust_zone or "", e.trust_zone) for e in model.elements}
    assert got == exp.elements
    assert len(model.elements) == len(exp.elements)
    assert sorted(zones.values()) == sorted(exp.zones())


def test_flows(imported: tuple[Heldout, Model, ImportReport]) -> None:
    held, model, _ = imported
    el = {e.id: _one(e.name) for e in model.elements}
    got = sorted((el.get(f.source, f.source), el.get(f.target, f.target)) for f in model.flows)
    assert got == sorted(held.expected.flows)


def test_assets(imported: tuple[Heldout, Model, ImportReport]) -> None:
    held, model, _ = imported
    assert sorted(_one(a.name) for a in model.assets) == sorted(held.expected.assets)


def test_views(imported: tuple[Heldout, Model, ImportReport]) -> None:
    held, model, _ = imported
    got = sorted((v.kind, v.name if any(n == v.name for k, n in held.expected.views if k == v.kind) else None) for v in model.views)
    assert got == sorted(held.expected.views, key=lambda kv: (kv[0], kv[1] or ""))


def _control_key(held: Heldout, model: Model) -> dict[str, str]:
    """Control id → how the expectation names it (its id, or its title when the source gives no ids)."""
    return {c.id: (c.title if held.expected.controls_by_title else c.id) for c in model.controls}


def test_view_threats(imported: tuple[Heldout, Model, ImportReport]) -> None:
    held, model, _ = imported
    got = {v.name: set(v.threats) for v in model.views if v.name in held.expected.view_threats}
    assert got == held.expected.view_threats


def test_diagrams(imported: tuple[Heldout, Model, ImportReport]) -> None:
    held, model, _ = imported
    got = {v.kind: v.diagram.caption for v in model.views if v.diagram is not None}
    assert got == held.expected.diagram_captions


def test_controls(imported: tuple[Heldout, Model, ImportReport]) -> None:
    held, model, _ = imported
    assert sorted(_control_key(held, model).values()) == sorted(held.expected.controls)
    titles = {c.id: c.title for c in model.controls}
    for cid, title in held.expected.control_titles.items():
        assert titles[cid] == title


def test_every_threat(imported: tuple[Heldout, Model, ImportReport]) -> None:
    held, model, _ = imported
    names = _names(model)
    assets = {a.id: _one(a.name) for a in model.assets}
    ctl = _control_key(held, model)
    got = {t.id: t for t in model.threats}
    assert sorted(got) == sorted(held.expected.threats)
    problems = []
    for tid, exp in held.expected.threats.items():
        t = got[tid]
        seen = {
            "stride": set(t.stride),
            "status": t.status,
            "controls": {ctl.get(c, f"?{c}") for c in t.controls},
            "targets": sorted(names.get(x, f"?{x}") for x in t.targets),
        }
        want = {"stride": exp.stride_set(), "status": exp.status, "controls": exp.control_set(), "targets": sorted(exp.targets)}
        if exp.assets is not None:
            seen["assets"] = sorted(assets.get(a, f"?{a}") for a in t.assets)
            want["assets"] = sorted(exp.assets)
        if exp.risk is not None:
            seen["risk"] = t.risk.level if t.risk else None
            want["risk"] = exp.risk
        if exp.title is not None:
            seen["title"] = t.title
            want["title"] = exp.title
        if exp.residual is not None:
            seen["residual"] = t.residual_risk.level if t.residual_risk else None
            want["residual"] = exp.residual
        for key, value in want.items():
            if seen[key] != value:
                problems.append(f"{tid} {key}: got {seen[key]!r}, want {value!r}")
    assert not problems, "\n".join(problems)


def test_product_named(imported: tuple[Heldout, Model, ImportReport]) -> None:
    held, model, _ = imported
    if held.expected.product:
        assert model.product.name == held.expected.product


def test_no_reference_left_unresolved(imported: tuple[Heldout, Model, ImportReport]) -> None:
    _, _, report = imported
    bad = [
        f"{w.locator}: {w.message}"
        for w in report.warnings
        if "matches no" in w.message or ("not understood" in w.message and ("STRIDE" in w.message or "status" in w.message))
    ]
    assert not bad, "\n".join(bad)


def test_no_legend_or_totals_inside_items(imported: tuple[Heldout, Model, ImportReport]) -> None:
    """Legends, totals and notes around a table are reported as skipped, never glued onto an item."""
    _, model, _ = imported
    glued = [(item.id, k) for _kind, item in model.items() for k, v in item.extra.items() if re.search(r"legend|total", f"{k} {v}", re.I)]
    assert not glued


def test_report_reconciles_and_points_at_items(imported: tuple[Heldout, Model, ImportReport]) -> None:
    _, model, report = imported
    assert reconciles(report)
    ids = {item.id for _k, item in model.items()} | {v.id for v in model.views}
    dangling = [r for r in report.records if r.disposition != "skipped" and r.item not in ids | FACT_ITEMS]
    assert not dangling, dangling[:5]


def _rows_with_content(path: Path) -> list[tuple[str, int]]:
    """(table or sheet name, 1-based row number) of every row of the source that holds text."""
    out: list[tuple[str, int]] = []
    if path.suffix == ".docx":
        for n, table in enumerate(docx.Document(str(path)).tables, start=1):
            for r, row in enumerate(table.rows, start=1):
                if any(c.text.strip() for c in row.cells):
                    out.append((f"table {n}", r))
    elif path.suffix == ".xlsx":
        wb = openpyxl.load_workbook(str(path))
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                if any(c.value not in (None, "") for c in row):
                    out.append((ws.title, row[0].row))
    else:
        grid, _enc, _delim, _rejoined = read_csv(path)
        out.extend(("", r) for r, cells in enumerate(grid.cells, start=1) if any(c.strip() for c in cells))
    return out


def _row_of(locator: str, style: str) -> tuple[str, int] | None:
    if style == ".docx":
        m = re.fullmatch(r"(table \d+) row (\d+)", locator)
        return (m.group(1), int(m.group(2))) if m else None
    m = re.fullmatch(r"(?:(.+)!)?[A-Z]+(\d+)", locator)
    return ((m.group(1) or ""), int(m.group(2))) if m else None


def test_every_source_row_is_accounted_for(imported: tuple[Heldout, Model, ImportReport]) -> None:
    held, _, report = imported
    for path in held.files:
        recorded = {_row_of(r.locator, path.suffix) for r in report.records if r.file == path.name}
        # A form table read one record per column ("table 4 column 2") accounts for all its rows.
        by_column = {m.group(1) for r in report.records if r.file == path.name if (m := re.fullmatch(r"(table \d+) column \d+", r.locator))}
        missing = [row for row in _rows_with_content(path) if row not in recorded and row[0] not in by_column]
        assert not missing, f"{path.name}: rows with no report record: {missing}"


def test_sources_merged_without_duplicates(tmp_path: Path) -> None:
    """The Word threat model and the Excel register of the same device give one set of items."""
    held = BUILDERS["insulin-pump-word-and-excel"](tmp_path)
    model, report = run_import(*held.files)
    word_only, _ = run_import(held.files[0])
    for coll in ("elements", "trust_zones", "flows", "assets", "views", "threats", "controls"):
        assert len(getattr(model, coll)) == len(getattr(word_only, coll)), coll
    merged = [r for r in report.records if r.file == held.files[1].name and r.disposition == "merged"]
    assert {r.item for r in merged} >= set(held.expected.threats) | set(held.expected.controls)


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
@pytest.mark.parametrize("seed", range(12))
def test_column_order_and_header_words_do_not_matter(tmp_path: Path, seed: int, fmt: str) -> None:
    held = shuffled_register(tmp_path, seed, fmt)
    model, report = run_import(*held.files)
    names = _names(model)
    got = {t.id: (set(t.stride), t.status, set(t.controls), sorted(names.get(x, x) for x in t.targets)) for t in model.threats}
    want = {tid: (e.stride_set(), e.status, e.control_set(), sorted(e.targets)) for tid, e in held.expected.threats.items()}
    assert got == want, held.name
    assert sorted(c.id for c in model.controls) == sorted(held.expected.controls)
    assert sorted(_one(e.name) for e in model.elements) == sorted(held.expected.elements)
    assert reconciles(report)
