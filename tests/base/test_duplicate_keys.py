"""A YAML mapping or JSON object that writes one key twice is refused with its line, not read as its last value: a redaction
policy with two ``terms:`` lists published every term of the first (docs/security.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mdptm.base.safety import parse_json, parse_yaml
from mdptm.errors import InputError
from tests.conftest import SAMPLES
from tests.test_cli_foundation import run

KEY = st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True).filter(lambda k: k not in ("y", "n", "yes", "no", "on", "off", "null"))


@settings(max_examples=80, deadline=None)
@given(keys=st.lists(KEY, min_size=1, max_size=6, unique=True), dup=st.integers(0, 5), yaml12=st.booleans(), indent=st.integers(0, 2))
def test_a_key_written_twice_is_refused_with_its_line(keys: list[str], dup: int, yaml12: bool, indent: int) -> None:
    again = keys[dup % len(keys)]
    lines = [f"{k}: {i}" for i, k in enumerate(keys)] + [f"{again}: last"]
    pad = "  " * indent
    text = "top:\n" + "".join(f"{pad}  {line}\n" for line in lines) if indent else "".join(f"{line}\n" for line in lines)
    with pytest.raises(InputError) as exc:
        parse_yaml(text, file="p.yaml", yaml12=yaml12)
    assert repr(again) in str(exc.value) and "twice" in str(exc.value)
    assert exc.value.locator is not None and exc.value.locator.startswith(f"line {len(lines) + (1 if indent else 0)},")
    # the same keys once each are read as written
    unique = "".join(f"{k}: {i}\n" for i, k in enumerate(keys))
    assert parse_yaml(unique, file="p.yaml", yaml12=yaml12) == {k: i for i, k in enumerate(keys)}


def test_merge_keys_may_still_be_overridden_and_lists_repeat_freely() -> None:
    text = "base: &b {kind: device, name: A}\nitems:\n  - {<<: *b, name: B}\n  - {<<: *b, name: B}\n"
    data = parse_yaml(text, file="m.yaml")
    assert isinstance(data, dict) and data["items"] == [{"kind": "device", "name": "B"}] * 2
    # keys that read alike but are different values (1 and '1') are two keys
    assert parse_yaml("1: a\n'1': b\n", file="m.yaml") == {1: "a", "1": "b"}


def test_a_policy_with_two_terms_lists_is_refused_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = SAMPLES / "infusion-pump" / "model.yaml"
    policy = tmp_path / "policy.yaml"
    policy.write_text("terms: [Dana Whitlock, Project Kestrel]\nreplacement: '[x]'\nterms: [kestrel]\n")
    out = tmp_path / "public.json"
    code, _, err = run(["redact", str(model), "--policy", str(policy), "-o", str(out)], capsys)
    assert code == 2, err
    assert "policy.yaml (line 3, column 1)" in err and "'terms'" in err and "Traceback" not in err
    assert not out.exists()


def test_a_project_file_with_two_sources_keys_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "pump"
    project.mkdir()
    shutil.copy(SAMPLES / "infusion-pump" / "model.yaml", project / "model.yaml")
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\nproduct: {name: X}\nsources: [model.yaml]\n")
    code, _, err = run(["build", str(project), "-o", str(tmp_path / "out")], capsys)
    assert code == 2, err
    assert "mdptm.yaml (line 3, column 1)" in err and "'sources'" in err
    assert not (tmp_path / "out").exists() and not (tmp_path / "out.internal").exists()


@settings(max_examples=60, deadline=None)
@given(keys=st.lists(KEY, min_size=1, max_size=6, unique=True), dup=st.integers(0, 5), nested=st.booleans())
def test_a_json_key_written_twice_is_refused(keys: list[str], dup: int, nested: bool) -> None:
    again = keys[dup % len(keys)]
    pairs = [f'"{k}": {i}' for i, k in enumerate(keys)] + [f'"{again}": "last"']
    body = "{" + ",\n".join(pairs) + "}"
    text = '{"outer": ' + body + "}" if nested else body
    with pytest.raises(InputError) as exc:
        parse_json(text, file="p.json")
    assert repr(again) in str(exc.value) and "twice" in str(exc.value)
    assert exc.value.locator == f"line {len(pairs)}"
    assert parse_json("{" + ",".join(pairs[:-1]) + "}", file="p.json") == {k: i for i, k in enumerate(keys)}


def test_a_policy_written_as_json_with_two_terms_lists_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = tmp_path / "policy.json"
    policy.write_text('{"terms": ["Dana Whitlock"],\n "replacement": "[x]",\n "terms": ["kestrel"]}\n')
    out = tmp_path / "public.json"
    code, _, err = run(["redact", str(SAMPLES / "infusion-pump" / "model.yaml"), "--policy", str(policy), "-o", str(out)], capsys)
    assert code == 2, err
    assert "policy.json (line 3)" in err and "'terms'" in err
    assert not out.exists()
