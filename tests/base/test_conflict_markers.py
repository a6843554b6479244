"""A file committed in the middle of a merge (a real .tm7 in a public medical-device repository starts with
"<<<<<<< HEAD") is an error that says so, with its line, whatever the format."""

from __future__ import annotations

import pytest

from mdptm.base.safety import CONFLICT_MARKERS, conflict_markers, parse_json, parse_xml, parse_yaml
from mdptm.errors import InputError

XML = b"<<<<<<< HEAD\n<!DOCTYPE html>\n<html><body>x</body></html>\n=======\n<ThreatModel/>\n>>>>>>> branch\n"
JSON = '{\n  "a": 1,\n<<<<<<< HEAD\n  "b": 2\n=======\n  "b": 3\n>>>>>>> other\n}\n'
YAML = "schema: mdptm/1\n<<<<<<< HEAD\ndocument: {version: '1'}\n=======\ndocument: {version: '2'}\n>>>>>>> other\n"


def test_the_first_conflict_line_is_found() -> None:
    assert conflict_markers(XML) == 1
    assert conflict_markers(JSON) == 3
    assert conflict_markers("a\n<<<<<<< HEAD\nno closing markers\n") is None
    assert conflict_markers(b"<a>text mentioning <<<<<<< in passing</a>") is None


@pytest.mark.parametrize(
    ("parse", "data", "line"),
    [
        (lambda d: parse_xml(d, file="m.tm7"), XML, "line 1"),
        (lambda d: parse_json(d, file="m.json"), JSON, "line 3"),
        (lambda d: parse_yaml(d, file="mdptm.yaml"), YAML, "line 2"),
    ],
)
def test_each_reader_names_the_conflict(parse: object, data: object, line: str) -> None:
    with pytest.raises(InputError) as err:
        parse(data)  # type: ignore[operator]
    assert err.value.message == CONFLICT_MARKERS
    assert err.value.locator == line
