"""What the leak scan finds in a package, redaction removes from model text: a term split by an HTML comment
or by a zero-width space written as UTF-8 percent escapes was found by the scan (the build then refused the
package) but left in the model; a JSON string holding a JavaScript escape was removed but not found."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mdptm.redaction.leakscan import scan
from mdptm.redaction.redact import Policy, Scrubber

FORMS = ["Night<!-- -->jar", "Night<!---->jar", "Night%E2%80%8Bjar", "Night%C2%ADjar", "Night\\u200bjar", "Night<!-- x -->jar</b>"]
# a Markdown mark only once normalised (full-width asterisk, tilde, grave accent): the scan left it out, the
# positions redaction cuts by kept it, so the term stayed in the model (found by a property test: "0000＊2")
FORMS += ["Night\uff0ajar", "Night\uff0a\uff0ajar", "Night\uff5ejar", "Night\uff40jar"]


@pytest.mark.parametrize("form", FORMS)
def test_redaction_removes_what_the_scan_finds(tmp_path: Path, form: str) -> None:
    text = f"see {form} here"
    new, removed = Scrubber(Policy(terms=["Nightjar"])).scrub(text)
    assert removed and "night" not in new.lower() and "jar" not in new, new
    (tmp_path / "guide.md").write_text(text, encoding="utf-8")
    (tmp_path / "ptm.json").write_text(json.dumps({"description": text}), encoding="utf-8")
    (tmp_path / "index.html").write_text(f"<p>{text}</p>", encoding="utf-8")
    assert {h.file for h in scan(tmp_path, ["Nightjar"])} == {"guide.md", "ptm.json", "index.html"}


@pytest.mark.parametrize("term", ["Night\uff0ajar", "0000\uff0a2"])
def test_a_term_written_with_a_full_width_mark_is_removed(term: str) -> None:
    new, removed = Scrubber(Policy(terms=[term])).scrub(f"see {term} and {term.replace(chr(0xFF0A), '*')} here")
    assert new == "see [redacted] and [redacted] here", new


def test_a_comment_takes_no_closing_tag_that_is_not_its_own() -> None:
    new, _ = Scrubber(Policy(terms=["Nightjar"])).scrub("<b>see Night<!-- -->jar</b> here")
    assert new == "<b>see [redacted]</b> here"


def test_percent_escapes_of_other_text_stay() -> None:
    new, _ = Scrubber(Policy(terms=["Nightjar"])).scrub("https://example.com/a%20b%E2%80%8B?q=%41")
    assert new == "https://example.com/a%20b%E2%80%8B?q=%41"
