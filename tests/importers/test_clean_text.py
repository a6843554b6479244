"""``clean_text`` takes a one-line cell (most of a register's) straight to ``str.strip``: for any text it must
give what the line-by-line definition below gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mdptm.importers.tabular.vocab import clean_text


def by_lines(text: str) -> str:
    """Trim each line and drop blank lines at the ends; keep one blank line between paragraphs."""
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    out: list[str] = []
    for ln in lines:
        if not ln and out and not out[-1]:
            continue
        out.append(ln)
    return "\n".join(out)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", "B", " ", "\t", "\n", "\r", "\u2028", "\x0b", "\x1c", "\u00a0", "\u3000", "é"]), max_size=12))
def test_clean_text_is_the_line_by_line_definition(text: str) -> None:
    assert clean_text(text) == by_lines(text)


def test_one_line_and_paragraphs() -> None:
    assert clean_text("  Spoofed pump command \u00a0") == "Spoofed pump command"
    assert clean_text("\n First line \r\n\r\n\r\n second line \n\n") == "First line\n\nsecond line"
