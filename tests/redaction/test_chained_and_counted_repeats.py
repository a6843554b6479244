"""Two shapes of policy pattern that run for minutes or hours and were accepted.

``.*a.*b.*c``: three repeats each of which can read what the path between them reads; a search that fails on a
line splits it between them in n^2 ways from each place (48 s on 1,600 letters of ``abab...``). The check refused
two such repeats only where they stood side by side (``\\w+\\s*\\w+x``). ``(a?){30}a{30}``: thirty required copies
of a part that can match nothing, each of which can read any one letter; a text of 29 letters is tried in 2^29
ways, and a count above 16 was read as a loop, in which one copy is as good as thirty.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mdptm.errors import InputError
from mdptm.redaction.policy import exponential_backtracking, load_policy, polynomial_backtracking

# what device makers write for addresses, hosts, tickets, part numbers and keys: every one accepted
REALISTIC = [
    r"[\w.+-]+@[\w-]+\.[\w.-]+",
    r"[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}",
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    r"\b[\w.-]+@(?:[\w-]+\.)?meridian\.corp\b",
    r"[\w.-]+@[\w.-]+\.corp",
    r"\b[a-z0-9-]+\.meridian\.corp\b",
    r"(?:[a-z0-9-]+\.)+meridian\.corp",
    r"\b(?:build|jenkins|git)\d*\.[\w.-]*corp\b",
    r"\b[\w-]+\.(?:corp|local|lan|internal)\b",
    r"https?://[^\s/]+\.corp/\S*",
    r"https?://(?:wiki|jira|confluence)\.[\w.-]+/\S*",
    r"\\\\[\w.-]+\\[\w$.-]+",
    r"\bPUMPSEC-\d+\b",
    r"\b[A-Z]{2,10}-\d{1,6}\b",
    r"\bPN \d{3}-\d{4}-\d{2}\b",
    r"\b(?:JIRA|SEC|VULN)-\d{3,5}\b",
    r"\b10\.\d{1,3}\.\d{1,3}\.\d{1,3}\b",
    r"\b\d{1,3}(?:\.\d{1,3}){3}\b",
    r"\b192\.168\.\d+\.\d+\b",
    r"\b\d+\.\d+\.\d+\.\d+(?:/\d+)?\b",
    r"\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b",
    r"(?:[0-9a-f]{2}:){5}[0-9a-f]{2}",
    r".*Kestrel.*",
    r"Kestrel.*\d+",
    r"password\s*[:=]\s*\S+",
    r"AKIA[0-9A-Z]{16}",
    r"-----BEGIN [A-Z ]+ PRIVATE KEY-----",
    r"\bSN[- ]?\d{6,}\b",
    r"(?:[A-Z][a-z]+\s){1,3}[A-Z][a-z]+",
    r"secret\s*=\s*\"[^\"]*\"",
    r"\bkestrel[\w-]*\b",
    r"(?:\+1[ -]?)?\(?\d{3}\)?[ -]?\d{3}-\d{4}",
    r"(?:-?\d?){4}x",  # four copies of a part that can match nothing: 16 ways at most
    r"(a?){0,30}b",  # no copy required: Python stops repeating a part that matched nothing
]


@pytest.mark.parametrize("pattern", REALISTIC)
def test_patterns_people_write_are_accepted(pattern: str) -> None:
    assert not exponential_backtracking(pattern)
    assert not polynomial_backtracking(pattern)


@pytest.mark.parametrize("pattern", [r".*a.*b.*c", r"a.*b.*c", r".*a.*c", r".*Kestrel.*x", r"\S+-\S+\.corp"])
def test_repeats_apart_that_read_the_text_between_are_found(pattern: str) -> None:
    assert polynomial_backtracking(pattern)


@pytest.mark.parametrize("pattern", [r"(a?){30}a{30}", r"(a?){6}a{6}", r"((a?){3}){3}b", r"(a?){20,}b", r"(?:\s?-?){8}x"])
def test_many_required_copies_of_a_part_that_can_match_nothing_are_found(pattern: str) -> None:
    assert exponential_backtracking(pattern)


@pytest.mark.parametrize(
    ("pattern", "said"),
    [(r".*a.*b.*c", "one after the other"), (r"(a?){30}a{30}", "exponentially many ways")],
)
def test_the_policy_refuses_them(tmp_path: Path, pattern: str, said: str) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(f"patterns: ['{pattern}']\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_policy(path)
    assert said in exc.value.message
    assert exc.value.locator == "/patterns"


_LETTER = st.sampled_from("abcxyz")


@settings(max_examples=100, deadline=None)
@given(st.lists(_LETTER, min_size=2, max_size=4))
def test_dot_star_between_letters_is_refused_and_excluding_classes_are_not(letters: list[str]) -> None:
    """``.*a.*b...c``: every ``.*`` reads the letter after it, so two of them with something after are a chain;
    ``[^a]*a[^b]*b...`` reads one way."""
    chained = "".join(f".*{c}" for c in letters) + "!"
    assert polynomial_backtracking(chained)
    exclusive = "".join(f"[^{c}]*{c}" for c in letters) + "!"
    assert not polynomial_backtracking(exclusive)
    assert not exponential_backtracking(exclusive)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=40), _LETTER)
def test_required_copies_of_an_optional_letter(count: int, letter: str) -> None:
    assert exponential_backtracking(f"(?:{letter}?){{{count}}}{letter}!") is (count > 5)
    assert not exponential_backtracking(f"(?:{letter}?){{0,{count}}}{letter}!")
