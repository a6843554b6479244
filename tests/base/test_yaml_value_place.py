"""A YAML value that cannot become a Python one names its place: a 5 000-digit integer was refused as "YAML
value cannot be read: Exceeds the limit (4300 digits) ..." with no line, and so was a date 2026-13-45."""

from __future__ import annotations

import datetime

import pytest

from mdptm.base.safety import parse_yaml
from mdptm.errors import InputError


@pytest.mark.parametrize("yaml12", [False, True])
@pytest.mark.parametrize(
    ("text", "line", "column", "said"),
    [
        ("a: 1\nb:\n  c: " + "9" * 5000 + "\n", 3, 6, "4300 digits"),
        ("product: {name: P}\ndocument: {version: '1', date: 2026-13-45}\n", 2, 32, "month must be in 1..12"),
    ],
    ids=["long-integer", "impossible-date"],
)
def test_a_value_that_cannot_be_read_names_its_line(text: str, line: int, column: int, said: str, yaml12: bool) -> None:
    with pytest.raises(InputError) as err:
        parse_yaml(text, file="mdptm.yaml", yaml12=yaml12)
    message = str(err.value)
    assert f"line {line}, column {column}" in message and said in message and "mdptm.yaml" in message


def test_ordinary_integers_and_dates_load_as_before() -> None:
    assert parse_yaml("a: 12\nb: 0x1F\nc: 2026-01-15\nd: [1, 2]\n", file="x") == {
        "a": 12,
        "b": 31,
        "c": datetime.date(2026, 1, 15),
        "d": [1, 2],
    }
