"""Risk and STRIDE cells are read once per distinct text: every row must get what reading its own cells
gives (risk, extra columns, warnings), as an object of its own."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mdptm.importers.tabular.grid import RowRecord
from mdptm.importers.tabular.rowfields import RowFields
from mdptm.importers.tabular.vocab import _parse_stride, parse_stride, vocabulary, with_synonyms

V = vocabulary()
CELLS = [None, "", "N/A", "High", "medium", "3 x 4 = 12", "4x5", "12", "2", "Likely", "Minor", "3", "5", "banana", "High (12)", "TBD"]
HEADERS = [None, "Risk", "Likelihood", "Exploitability (1-5)", "Probability", "Risk level"]


@st.composite
def records(draw: st.DrawFn) -> RowRecord:
    values: dict[str, str] = {}
    headers: dict[str, str] = {}
    scales: dict[str, int | None] = {}
    for base in ("risk", "residual_risk"):
        for fname in (base, f"{base}.likelihood", f"{base}.severity", f"{base}.level"):
            cell = draw(st.sampled_from(CELLS))
            if cell is not None:
                values[fname] = cell
                header = draw(st.sampled_from(HEADERS))
                if header is not None:
                    headers[fname] = header
            scales[fname] = draw(st.sampled_from([None, 3, 5, 25]))
    extra = draw(st.sampled_from([{}, {"Risk": "kept from the row"}]))
    return RowRecord("threat", "r.xlsx", f"Threats!A{draw(st.integers(2, 9))}", values, headers, dict(extra), scales=scales)


def _read(rows: RowFields, rec: RowRecord, *, plain: bool) -> tuple[list[Any], dict[str, Any]]:
    extra: dict[str, Any] = dict(rec.extra)
    out = []
    for base in ("risk", "residual_risk"):
        risk = rows._read_risk(rec, base, extra) if plain else rows._risk(rec, base, extra)
        out.append(risk)
    return out, extra


@settings(max_examples=200, deadline=None)
@given(st.lists(records(), min_size=1, max_size=12))
def test_each_row_gets_what_its_own_cells_give(recs: list[RowRecord]) -> None:
    said: list[tuple[str | None, str]] = []
    plain_said: list[tuple[str | None, str]] = []
    memo = RowFields(V, lambda loc, msg: said.append((loc, msg)))
    plain = RowFields(V, lambda loc, msg: plain_said.append((loc, msg)))
    seen: list[object] = []
    for rec in recs:
        got, extra = _read(memo, rec, plain=False)
        want, want_extra = _read(plain, rec, plain=True)
        assert [r.model_dump() if r else None for r in got] == [r.model_dump() if r else None for r in want]
        assert [r.model_fields_set if r else None for r in got] == [r.model_fields_set if r else None for r in want]
        assert list(extra.items()) == list(want_extra.items())  # the same entries, in the same order
        for risk in got:
            if risk is not None:
                assert all(risk is not other for other in seen)  # never an object another row holds
                seen.append(risk)
                risk.level, risk.likelihood_basis = "critical", "exploitability"  # a row changing its own
    assert said == plain_said


def test_a_stride_cell_is_read_once_and_each_caller_gets_its_own_list() -> None:
    for text in ("S, T", "Spoofing / Tampering", "I (Privacy)", "All", "nonsense", None, "", "STRIDE: E"):
        first = parse_stride(V, text)
        want = _parse_stride(V, text)
        assert (first.value, first.ok) == (want.value, want.ok)
        first.value.append("changed")
        again = parse_stride(V, text)
        assert (again.value, again.ok) == (want.value, want.ok) and again.value is not first.value
    profiled = with_synonyms(V, {("threat", "stride"): ["Menace class"]})
    assert profiled.stride_cache is not V.stride_cache  # a label the profile adds is read with its own headers
