"""Three ways of writing a withheld name or term that no rule read.

A query string writes a space as ``+`` (``?owner=Dana+Whitlock``); a person's name is written with an initial
for the given name (``D. Whitlock``) or with a middle initial (``Dana J. Whitlock``); a code name is put in
quotation marks after the word before it (``Project "Nightjar"``, ``Project “Nightjar”``, ``Project «Nightjar»``).
Each reached the package and passed the leak scan with the terms ``Dana Whitlock`` and ``Project Nightjar``.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mdptm.model import Model
from mdptm.redaction.leakscan import LiteralMatcher, scan
from mdptm.redaction.redact import Policy, redact
from tests.redaction.test_left_out_controls import MODEL

TERMS = ["Dana Whitlock", "Project Nightjar"]


def _published(description: str) -> str:
    m = Model.model_validate(yaml.safe_load(MODEL))
    m.threats[0].description = description
    public, _log = redact(m, Policy(terms=TERMS))
    return next(t for t in public.threats if t.id == "T-1").description or ""


@pytest.mark.parametrize(
    ("written", "needle"),
    [
        ("https://example.com/search?owner=Dana+Whitlock&q=1", "Dana Whitlock"),
        ("Dana%2BWhitlock", "Dana Whitlock"),
        ("Project+Nightjar", "Project Nightjar"),
        ("D. Whitlock", "Dana Whitlock"),
        ("D.Whitlock", "Dana Whitlock"),
        ("Dana J. Whitlock", "Dana Whitlock"),
        ("Dana J Whitlock", "Dana Whitlock"),
        ("Dana J.Whitlock", "Dana Whitlock"),
        ("Whitlock, D.", "Dana Whitlock"),
        ('Project "Nightjar"', "Project Nightjar"),
        ("Project “Nightjar”", "Project Nightjar"),
        ("Project «Nightjar»", "Project Nightjar"),
        ("Project „Nightjar“", "Project Nightjar"),
        ('"Dana" Whitlock', "Dana Whitlock"),
    ],
)
def test_the_form_is_the_term(tmp_path: Path, written: str, needle: str) -> None:
    if "%" not in written:  # a percent escape is undone by the scan's views, not by the matcher
        assert LiteralMatcher(TERMS).found(f"Ask {written} today.") == {needle}
    (tmp_path / "guide.md").write_text(f"Ask {written} today.\n", encoding="utf-8")
    escaped = html.escape(written)
    (tmp_path / "index.html").write_text(f"<p>Ask {escaped} today.</p>", encoding="utf-8")
    hits = scan(tmp_path, TERMS)
    assert {(h.file, h.needle) for h in hits} >= {("guide.md", needle), ("index.html", needle)}


@pytest.mark.parametrize(
    "written",
    [
        "https://example.com/search?owner=Dana+Whitlock",
        "D. Whitlock",
        "Dana J. Whitlock",
        'Project "Nightjar"',
        "Project “Nightjar”",
        'Project "Nightjar" — as the ASCII mark is read in a text that holds other characters',
    ],
)
def test_redaction_removes_the_form(written: str) -> None:
    out = _published(f"Raised by {written} in review.")
    assert "Whitlock" not in out and "Nightjar" not in out, out
    assert "[redacted]" in out


@pytest.mark.parametrize(
    "text",
    [
        "and. Whitlock",  # an initial is a word of its own: "d. whitlock" inside "and. whitlock" is not the name
        "Dana JJ. Whitlock",
        "Project Nightjars of the world",
        "C++ and C# are languages",
        "Dana, Whitlock",
    ],
)
def test_near_forms_are_not_the_name(text: str) -> None:
    assert LiteralMatcher(["Dana Whitlock", "Project Nightjar"]).found(text) in (set(), {"Project Nightjar"})
    if "Nightjar" not in text:
        assert not LiteralMatcher(TERMS).found(text)


def test_a_project_title_is_not_read_with_initials() -> None:
    """Initials are a person's: a title in sentence case is not looked for so ("R. of pump orders")."""
    assert not LiteralMatcher(["Replay orders"]).found("R. orders and Replay X. orders")


@settings(max_examples=60, deadline=None)
@given(
    first=st.from_regex(r"[A-Z][a-z]{2,8}", fullmatch=True),
    last=st.from_regex(r"[A-Z][a-z]{3,10}", fullmatch=True),
    middle=st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    dot=st.sampled_from(["", "."]),
)
def test_any_name_with_an_initial_is_the_name(first: str, last: str, middle: str, dot: str) -> None:
    m = LiteralMatcher([f"{first} {last}"])
    assert m.found(f"from {first[0]}. {last}, ext. 4471") == {f"{first} {last}"}
    assert m.found(f"from {first} {middle}{dot} {last}, ext. 4471") == {f"{first} {last}"}
    assert m.found(f"from {first}+{last}") == {f"{first} {last}"}


_FORMS = [
    "{g}+{f}",
    "{i}. {f}",
    "{i}.{f}",
    "{f}, {i}.",
    "{f} {i}.",
    "{g} {m}. {f}",
    "{g} {m} {f}",
    "{g} {m}.{f}",
    '"{g}" {f}',
    "{g} “{f}”",
    "{g} «{f}»",
    "„{g} {f}“",
]


@settings(max_examples=80, deadline=None)
@given(
    given_name=st.from_regex(r"[A-Z][a-z]{2,8}", fullmatch=True),
    family=st.from_regex(r"[A-Z][a-z]{5,10}", fullmatch=True),
    middle=st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    form=st.sampled_from(_FORMS),
    around=st.sampled_from(["Owner: {} (signed).", "— {} —", "see https://example.com/?q={}&x=1"]),
)
def test_redaction_removes_the_family_name_in_every_form(given_name: str, family: str, middle: str, form: str, around: str) -> None:
    """Whatever the name, the form it is written in and the text around it, the published text loses the name."""
    written = form.format(g=given_name, f=family, i=given_name[0], m=middle)
    m = Model.model_validate(yaml.safe_load(MODEL))
    m.threats[0].description = around.format(written)
    public, _log = redact(m, Policy(terms=[f"{given_name} {family}"]))
    out = next(t for t in public.threats if t.id == "T-1").description or ""
    assert family.casefold() not in out.casefold(), (written, out)
