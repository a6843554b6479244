"""The helpers that make large builds fast must give exactly what the slow, obvious code gives."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mdptm.redaction.leakscan as leakscan
from mdptm.base.output import Spool, json_text
from mdptm.base.parallel import sequential
from mdptm.importers.xlsx import parse_ref, ref_column
from mdptm.redaction.leakscan import LiteralMatcher, _short, needle_key, scan

# ------------------------------------------------------------------------------------------ JSON

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_json_values)
def test_json_text_is_json_dumps(data: object) -> None:
    try:
        expected = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    except (ValueError, UnicodeEncodeError):  # pragma: no cover - json.dumps refuses nothing here
        return
    assert json_text(data) == expected


@pytest.mark.parametrize("value", [1e-05, 1.5e-07, 0.00012, 1e16, 12345.678e10, -0.0, float("inf"), "x e-5", "0.00001"])
def test_json_text_spells_numbers_like_python(value: object) -> None:
    data = {"a": [value, {"b": value}]}
    assert json_text(data) == json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def test_json_text_keeps_what_pydantic_core_cannot_write() -> None:
    data = {"lone surrogate": "\ud800"}
    assert json_text(data) == json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# ----------------------------------------------------------------------------------------- spool


@pytest.mark.parametrize("limit", [1, 10, 1 << 20])
def test_spool_gives_back_what_was_written(limit: int) -> None:
    spool = Spool(limit=limit)
    parts = [f"<row r='{i}'>é→{i}</row>" for i in range(200)]
    for p in parts:
        spool.write(p)
    assert spool.count == 200
    assert spool.text() == "".join(parts)
    assert b"".join(spool.pieces(size=7)).decode("utf-8") == "".join(parts)


# ------------------------------------------------------------------------------- cell references


@pytest.mark.parametrize("ref", ["A1", "B12", "AA100", "$C$3", "c5", "XFD1048576", "A1x", "1A1", "A", "AB", "", "Ä1"])
def test_ref_column_agrees_with_parse_ref(ref: str) -> None:
    for _ in range(2):  # the second time from the cache
        try:
            expected: int | str = parse_ref(ref)[1]
        except ValueError:
            expected = "refused"
        try:
            got: int | str = ref_column(ref)
        except ValueError:
            got = "refused"
        assert got == expected


# ----------------------------------------------------------------------------------- leak scan


def _obvious(needles: list[str], text: str) -> set[str]:
    """The definition: a needle is found when its key occurs in the text's key (mdptm.base.textnorm: folded,
    normalised, dashes and whitespace runs as one space)."""
    m = LiteralMatcher(needles)
    flat = needle_key(text)
    found = {needle for key, needle in m.by_key.items() if _occurs(key, flat)}
    return found | {needle for needle in needles if _with_middle_initial(needle, flat)}


def _with_middle_initial(needle: str, flat: str) -> bool:
    """A person's name of two capitalised words written with any middle initial ("Jane x Roe", "Jane X. Roe"):
    the name too (mdptm.redaction.leakscan._middle_initial)."""
    words = needle.split()
    if len(words) != 2 or not all(w[:1].isupper() and w[1:].islower() for w in words) or max(map(len, words)) < 3:
        return False
    given, family = (needle_key(w) for w in words)
    return re.search(rf"{re.escape(given)} [^\W\d_](?:\. | |\.){re.escape(family)}", flat) is not None


def _occurs(key: str, flat: str) -> bool:
    """*key* in *flat*; a key of one short word ("ab", "aws": SHORT_WORD) only standing alone, never inside
    a longer word ("flaws")."""
    if not _short(key):
        return key in flat
    start = flat.find(key)
    while start >= 0:
        before, after = flat[start - 1 : start], flat[start + len(key) : start + len(key) + 1]
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            return True
        start = flat.find(key, start + 1)
    return False


_words = st.sampled_from(["jane", "Roe", "JANE", "roe", "x", "İstanbul", "office", "a", "b", "ab", "\u212aelvin"])
_gaps = st.sampled_from([" ", "  ", "\n", "\t \n", "", "-", "<w:t>"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_words, _gaps), max_size=12))
def test_needle_words_are_found_across_any_whitespace(parts: list[tuple[str, str]]) -> None:
    text = "".join(w + g for w, g in parts)
    needles = ["Jane Roe", "istanbul office", "a b", "ab", "Kelvin", "x jane roe x"]
    assert LiteralMatcher(needles).found(text) == _obvious(needles, text)


def test_a_large_file_is_searched_in_pieces_without_missing_a_needle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(leakscan, "PIECE", 1000)
    monkeypatch.setattr(leakscan, "OVERLAP", 200)
    filler = "<w:p><w:r><w:t>therapy “pump” delivery</w:t></w:r></w:p>"
    body = filler * 200
    planted = {990: "Jane</w:t></w:r><w:r><w:t> Roe", 2005: "PN-123456", 3001: "A&amp;B Corp", 4999: "zoë\n\n  MÜLLER"}
    for at in sorted(planted, reverse=True):
        body = body[:at] + planted[at] + body[at:]
    (tmp_path / "document.xml").write_text(body, encoding="utf-8")
    needles = ["Jane Roe", "PN-123456", "a&b corp", "Zoë Müller", "not there"]
    with sequential():
        hits = scan(tmp_path, needles)
    assert {h.needle for h in hits} == {"Jane Roe", "PN-123456", "a&b corp", "Zoë Müller"}
    pieces = list(leakscan._pieces(body.encode("utf-8")))
    assert len(pieces) > 5 and all(p.decode("utf-8") for p in pieces)  # cut between characters, never inside one


# ------------------------------------------------------------------------------ import report


def test_retarget_all_moves_records_in_one_pass() -> None:
    from mdptm.model.report import ImportReport

    rep = ImportReport()
    rep.imported("b.xlsx", "Threats!A2", "T-1")
    rep.imported("b.xlsx", "Threats!A3", "E-9")
    rep.merged("b.xlsx", "Threats!A4", "E-9")
    rep.imported("b.xlsx", "Threats!A5", "T-2")
    rep.skipped("b.xlsx", "Threats!A6", "blank spacer row")
    # E-9 merges into E-1; the threat T-1 collides with an id of another kind and becomes T-1-2
    rep.retarget_all({"E-9": ("E-1", True), "T-1": ("T-1-2", False)})
    assert [(r.item, r.disposition) for r in rep.records] == [
        ("T-1-2", "imported"),
        ("E-1", "merged"),
        ("E-1", "merged"),
        ("T-2", "imported"),
        (None, "skipped"),
    ]


def test_retarget_all_does_not_chain_moves() -> None:
    """An element merged into base id B keeps B even when this source's own B (a threat) is renamed."""
    from mdptm.model.report import ImportReport

    rep = ImportReport()
    rep.imported("b.xlsx", "Components!A2", "E-PUMP")
    rep.imported("b.xlsx", "Threats!A2", "B")
    rep.retarget_all({"E-PUMP": ("B", True), "B": ("B-2", False)})
    assert [(r.item, r.disposition) for r in rep.records] == [("B", "merged"), ("B-2", "imported")]


def test_an_id_that_looks_like_an_exponent_keeps_the_fast_writer() -> None:
    """A .tm7 GUID ("…3e-4…") or a ticket "0.00001-A" inside a string is no number: only unquoted tiny
    numbers send json_text to the standard library's writer."""
    from mdptm.base.output import _tiny_float

    assert not _tiny_float('{\n  "id": "8f3e-4a1c-9e-2b"\n}')
    assert not _tiny_float('[\n  "0.00001"\n]')
    assert _tiny_float('{\n  "k": 1.5e-7\n}') and _tiny_float("[\n  0.00001,\n  2\n]") and _tiny_float("0.00001")


def test_own_words_are_looked_up_as_the_text_is_searched() -> None:
    # the needle matcher asks, for each form of each needle, whether mdptm itself prints it; a set look-up replaced a
    # search of the shipped text (a second for a redacted 10 000-threat register): both must answer alike
    from mdptm.redaction.leakscan import _own_has, _own_words

    words = _own_words().split()
    runs = [
        *words[:400:7],
        *(" ".join(words[i : i + 2]) for i in range(0, 800, 13)),
        *(" ".join(words[i : i + 3]) for i in range(0, 600, 17)),
    ]
    runs += [f"{a}{b}" for a, b in zip(words[:200:9], words[1:200:9], strict=False)]  # joined: mostly not printed
    runs += [f"{b} {a}" for a, b in zip(words[:300:11], words[1:300:11], strict=False)]  # turned: mostly not printed
    runs += ["signoffs", "data flow", "flow data", "nightjar", "dana whitlock", "zz qq"]
    answers = {run: f" {run} " in _own_words() for run in runs}
    assert any(answers.values()) and not all(answers.values())
    assert {run: _own_has(run) for run in runs} == answers
