"""A policy pattern that can match one text in exponentially many ways is refused (SPEC §12: exit 2).

Python's ``re`` has no time limit: ``(a|aa)+b`` or a name pattern ``([A-Z][a-z]+\\s?)+`` (any case, the default)
on a line of forty letters it does not match ran for hours, with no word, while the old check read only
groups made of repeats (``(a+)+``) and let overlapping alternatives through.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mdptm.errors import InputError
from mdptm.redaction.policy import PatternTooLarge, exponential_backtracking, load_policy, polynomial_backtracking

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a|aa)+",
        r"(a|aa)+b",
        r"(a|a)*b",  # parsed as a(|): the empty alternatives are the two ways
        r"(a+a)+b",
        r"(.*,)+x",
        r"(?:[A-Z][a-z]+\s?)+x",  # any case: 'Aaaa' is a name or two
        r"(a|ab|b)*c",
        r"(a{1,3})+b",
        r"(?:[\w.-]+\.)+corp",  # the dot is in the class too
        r"(?=(a+)+b)c",  # inside a lookahead
        r"(x+x+)+y",
        r"(a+)+$",
    ],
)
def test_exponential_patterns_are_found(pattern: str) -> None:
    assert exponential_backtracking(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        r"\bPN \d{3}-\d{4}-\d{2}\b",
        r"\bPUMPSEC-\d+\b",
        r"\b10\.\d{1,3}\.\d{1,3}\.\d{1,3}\b",
        r"\b\d{1,3}(?:\.\d{1,3}){3}\b",
        r"(?:[a-z0-9-]+\.)+meridian\.corp",
        r"(?:[A-Z][a-z]+\s){1,3}[A-Z][a-z]+",  # a bounded count is read copy by copy
        r"(\w+\s)+kestrel",  # the space is required and no \w
        r"(ab|a)+c",  # one way to read 'abab'
        r"(\w|\d)+x",  # parsed as one class
        r".*Kestrel.*",
        r"[\w.+-]+@meridian\.com",
        r"(?:[0-9a-f]{2}:){5}[0-9a-f]{2}",
        r"(?<!x)kestrel",
    ],
)
def test_patterns_people_write_are_accepted(pattern: str) -> None:
    assert not exponential_backtracking(pattern)


@pytest.mark.parametrize("pattern", [r"\w+\s*\w+x", r"(?:\w+\s*){1,3}secret", r".*\d+.*x", r"\d+\d*-x"])
def test_two_overlapping_repeats_before_a_required_part_are_found(pattern: str) -> None:
    """A run of letters splits between \\w+ and \\w+ in as many ways as it is long: 2 s on 1,000 letters that do not
    match, 200 s on 4,000 (a key or a hash in a description)."""
    assert polynomial_backtracking(pattern)
    assert not exponential_backtracking(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        r".*Kestrel.*",  # a literal between the repeats
        r"Kestrel.*\d+",  # nothing after the second: the first match ends the search
        r"\b\w+\s+\w+\s+secret",  # a required space between
        r"[A-Z]\w*\d\w*",
        r"\bPN \d{3}-\d{4}-\d{2}\b",
        r"[\w.-]+@[\w.-]+\.corp",
    ],
)
def test_repeats_apart_or_last_are_accepted(pattern: str) -> None:
    assert not polynomial_backtracking(pattern)


def test_the_policy_refuses_chained_repeats(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("patterns: ['(?:\\w+\\s*){1,3}secret']\n")
    with pytest.raises(InputError) as exc:
        load_policy(path)
    assert "one after the other" in exc.value.message
    assert exc.value.locator == "/patterns"


def test_case_sensitive_policy_accepts_a_name_pattern(tmp_path: Path) -> None:
    """In one case a capital starts each name once: one way to match, so the pattern is safe."""
    path = tmp_path / "policy.yaml"
    path.write_text("patterns: ['(?:[A-Z][a-z]+\\s?)+ Lab']\npatterns_case_sensitive: true\n")
    assert load_policy(path).patterns
    path.write_text("patterns: ['(?:[A-Z][a-z]+\\s?)+ Lab']\n")
    with pytest.raises(InputError) as exc:
        load_policy(path)
    assert "exponentially many ways" in exc.value.message
    assert exc.value.locator == "/patterns"


def test_too_large_to_check_is_refused_quickly(tmp_path: Path) -> None:
    words = "|".join(f"{a}{b}{c}x" for a in "abcdefgh" for b in "abcdefgh" for c in "abcdefgh")
    with pytest.raises(PatternTooLarge):
        exponential_backtracking(f"(?:{words}|a)+z")
    path = tmp_path / "policy.yaml"
    path.write_text(f"drop_titles: ['(?:{words}|a)+z']\n")
    with pytest.raises(InputError, match="too many alternatives"):
        load_policy(path)


_WORD = st.text(alphabet="ab", min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(_WORD, _WORD)
def test_two_words_repeated_are_refused_exactly_when_a_text_splits_two_ways(x: str, y: str) -> None:
    """Two words form a code (every text of them splits one way) unless xy = yx; a repeated group of words
    that is no code matches (xy)^n in 2^n ways, and one that is a code in one way."""
    ambiguous = x + y == y + x
    assert exponential_backtracking(f"(?:{x}|{y})+c", ignore_case=False) is ambiguous


def test_build_refuses_the_pattern_with_exit_2(tmp_path: Path) -> None:
    project = tmp_path / "monitor"
    shutil.copytree(SAMPLES / "patient-monitor", project)
    (project / "redaction.yaml").write_text("terms: [Project Heron]\npatterns: ['(a|aa)+b']\n")
    run = subprocess.run(
        [sys.executable, "-m", "mdptm", "build", str(project), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 2, run.stderr
    assert "exponentially many ways" in run.stderr
    assert "redaction.yaml" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "out").exists()
