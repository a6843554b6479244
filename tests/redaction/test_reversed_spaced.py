"""Disguises that change no character, so no normalisation undoes them: a removed string written
backwards ("tsoh-dliub-lanretni" for "internal-build-host") and spaced out letter by letter
("i n t e r n a l"). Redaction removes them from the model, and the leak scan finds them in any output.
Zero-width characters and soft hyphens inside a term are undone by the normalisation (see
test_disguise_properties); they are checked here end to end beside the two new ones."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mdptm.model import Model
from mdptm.pipeline.build import build
from mdptm.redaction.leakscan import LiteralMatcher, needle_key, scan
from mdptm.redaction.policy import Policy
from mdptm.redaction.redact import redact
from tests.pipeline.redteam_projects import MODEL, project

TERM = "internal-build-host"
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=4, max_size=9)
SECRET = st.lists(WORD, min_size=2, max_size=3).map("-".join)  # 8 letters or more
SEP = st.sampled_from([" ", "-", "_", "  ", " - ", "\n"])


def _spaced(text: str, sep: str = " ") -> str:
    return sep.join(text)


DISGUISES = {
    "backwards": TERM[::-1],
    "backwards with spaces": TERM[::-1].replace("-", " "),
    "backwards, no separator": TERM.replace("-", "")[::-1],
    "spaced out": _spaced(TERM),
    "spaced out, no hyphens": _spaced(TERM.replace("-", "")),
    "spaced out backwards": _spaced(TERM[::-1]),
    "zero-width spaces": "\u200b".join(TERM),
    "soft hyphens": "\u00ad".join(TERM),
    "word joiners in capitals": "\u2060".join(TERM.upper()),
    "latin small capitals": "\u026a\u0274\u1d1b\u1d07\u0280\u0274\u1d00\u029f-\u0299\u1d1c\u026a\u029f\u1d05-\u029c\u1d0f\ua731\u1d1b",
    "markdown emphasis": "**inter**nal-build-*host*",
    "markdown code and strike-through": "in`ternal`-~~build~~-host",
    "split by html tags": "inter<b>nal</b>-build-<i>host</i>",
    "cherokee and lisu capitals": "\u13a5\ua4e0\u13a2\u13ac\u13d2\ua4e0\u13aa\u13de-build-host",
}


@settings(max_examples=200, deadline=None)
@given(SECRET, SEP, st.booleans())
def test_a_secret_backwards_or_spaced_out_is_found_and_spanned_whole(secret: str, sep: str, backwards: bool) -> None:
    shown = secret[::-1] if backwards else secret
    for form in (shown, sep.join(shown)):
        text = f"see {form} here"
        matcher = LiteralMatcher([secret])
        assert matcher.found(text) == {secret}, form
        spans = list(matcher.spans(text))
        assert len(spans) == 1, form
        start, end, needle = spans[0]
        assert needle == secret
        assert needle_key(text[:start] + text[end:]) == "see here", form


@settings(max_examples=100, deadline=None)
@given(SECRET, st.sampled_from(["backwards", "spaced"]))
def test_the_scan_finds_the_disguise_in_a_file(tmp_path_factory: pytest.TempPathFactory, secret: str, how: str) -> None:
    folder = tmp_path_factory.mktemp("scan")
    shown = secret[::-1] if how == "backwards" else _spaced(secret)
    (folder / "index.html").write_text(f"<p>Built on <b>{shown}</b> nightly.</p>", encoding="utf-8")
    assert [h.needle for h in scan(folder, [secret])] == [secret]


def test_short_or_ordinary_words_are_not_read_backwards_or_spaced() -> None:
    # "Ward" backwards is "draw": a needle shorter than 8 letters is not looked for backwards
    assert LiteralMatcher(["Ward"]).found("draw the line") == set()
    # a needle of under 4 letters is not looked for spaced out ("a b c" is a list)
    assert LiteralMatcher(["abc"]).found("options a b c d") == set()
    # letters spaced out are not found inside longer runs of other letters
    assert LiteralMatcher(["nightjar"]).found("the nightly jar") == set()
    # letters spaced out stand alone: the last letter of a word is not the first spaced-out one
    assert LiteralMatcher(["nightjar"]).found("then i g h t j a r") == set()
    assert LiteralMatcher(["nightjar"]).found("the n i g h t j a r.") == {"nightjar"}
    assert [s[:2] for s in LiteralMatcher(["aaaa-aaae"]).spans("see A A A A - A A A E here")] == [(4, 21)]


def _model(description: str) -> dict[str, object]:
    data = copy.deepcopy(MODEL)
    threats = data["threats"]
    assert isinstance(threats, list)
    threats[0]["description"] = f"Builds come from {description} nightly; signed libraries stop tampering."
    return data


@pytest.mark.parametrize("name", list(DISGUISES))
def test_redaction_removes_the_disguised_term_from_the_model(name: str) -> None:
    public, log = redact(Model.model_validate(_model(DISGUISES[name])), Policy(drop=["confidential"], terms=[TERM]))
    text = public.threats[0].description or ""
    assert "[redacted]" in text, (name, text)
    assert "nightly; signed libraries" in text
    assert not LiteralMatcher([TERM]).found(text)
    assert any(e.rule == "term" and e.removed for e in log.entries if e.item == "T1"), name


def test_a_term_split_by_tags_goes_with_its_tags() -> None:
    data = _model("Night<b>jar</b>")
    public, _log = redact(Model.model_validate(data), Policy(drop=["confidential"], terms=["Nightjar"]))
    assert public.threats[0].description == "Builds come from [redacted] nightly; signed libraries stop tampering."


def test_no_disguise_reaches_the_package(tmp_path: Path) -> None:
    """One build per disguise would take long: the kept threats each carry one disguise."""
    data = _model(DISGUISES["backwards"])
    threats = data["threats"]
    assert isinstance(threats, list)
    for i, shown in enumerate(DISGUISES.values()):
        extra = copy.deepcopy(threats[0])
        extra["id"] = f"T-D{i}"
        extra["title"] = f"Tampered build {i}"
        extra["description"] = f"Builds come from {shown} nightly."
        threats.append(extra)
    root = project(tmp_path / "p", model=data, policy={"drop": ["confidential"], "terms": [TERM]})
    out = tmp_path / "out"
    result = build(root, out)
    assert result.exit_code == 0, result.warnings
    assert scan(out, [TERM]) == []  # the scan reads every disguise: none is left
    raw = [p.read_bytes() for p in out.rglob("*") if p.is_file() and p.suffix in (".json", ".md", ".html")]
    for name, shown in DISGUISES.items():
        assert not any(shown.encode("utf-8") in b for b in raw), name
    log = json.loads((tmp_path / "out.internal" / "redaction-log.json").read_text(encoding="utf-8"))
    removed = {e["removed"] for e in log["entries"] if e["rule"] == "term"}
    assert {DISGUISES["backwards"], DISGUISES["spaced out"]} <= removed


def test_addresses_and_ids_are_not_looked_for_in_disguise() -> None:
    """Host names, e-mail addresses, IPs and ticket ids are found by the detectors as written; their
    backwards forms ("1 cespmup") would only add automaton words that digits run into on every scan."""
    from mdptm.redaction.leakscan import _disguises

    for address in ("build25.kestrel.corp", "eng234@meridian.corp", "10.0.5.196", "PUMPSEC-7072"):
        assert _disguises(needle_key(address)) == (), address
    assert "tsoh dliub lanretni" in _disguises(needle_key(TERM))
    assert "p u m p s e c" in _disguises(needle_key("PUMPSEC"))
