"""The cache of parsed shipped data files: same data with and without it, keyed by content, never in the way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mdptm.base import datacache, safety
from mdptm.errors import InputError
from mdptm.model import io
from mdptm.resources import mappings_dir, templates_dir

SHIPPED_YAML = sorted(p for root in (mappings_dir(), templates_dir()) for p in root.rglob("*.y*ml"))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(datacache.ENV, str(folder))
    return folder


@pytest.fixture
def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Files parsed as YAML (not read from the cache) during the test."""
    seen: list[str] = []
    real = safety.parse_yaml

    def counting(text: str, *, file: str, yaml12: bool = False) -> Any:
        seen.append(Path(file).name)
        return real(text, file=file, yaml12=yaml12)

    monkeypatch.setattr(io, "parse_yaml", counting)
    return seen


@pytest.fixture
def own_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder read_structured treats as shipped data, so a test may change a 'shipped' file."""
    folder = tmp_path / "mappings"
    folder.mkdir()
    monkeypatch.setattr(io, "_shipped_roots", lambda: (folder.resolve(),))
    return folder


def test_every_shipped_yaml_file_reads_the_same_from_the_cache(
    cache: Path, count_parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert SHIPPED_YAML, "no shipped YAML files found"
    monkeypatch.setenv(datacache.ENV, "off")
    plain = [io.read_structured(p) for p in SHIPPED_YAML]
    plain12 = [io.read_structured(p, yaml12=True) for p in SHIPPED_YAML]
    monkeypatch.setenv(datacache.ENV, str(cache))
    first = [io.read_structured(p) for p in SHIPPED_YAML]
    first12 = [io.read_structured(p, yaml12=True) for p in SHIPPED_YAML]
    parsed = len(count_parses)
    again = [io.read_structured(p) for p in SHIPPED_YAML]
    again12 = [io.read_structured(p, yaml12=True) for p in SHIPPED_YAML]
    assert plain == first == again
    assert plain12 == first12 == again12
    assert parsed == 4 * len(SHIPPED_YAML)  # twice with the cache off, once per reader to fill it
    assert len(count_parses) == parsed, f"parsed again although cached: {count_parses[parsed:]}"
    assert len(list((cache / "data").glob("*.marshal"))) >= len(SHIPPED_YAML)


def test_yaml12_is_part_of_the_key(own_data: Path, cache: Path) -> None:
    (own_data / "v.yaml").write_text("no: n\nflag: yes\n", encoding="utf-8")
    assert io.read_structured(own_data / "v.yaml") == {False: "n", "flag": True}
    assert io.read_structured(own_data / "v.yaml", yaml12=True) == {"no": "n", "flag": "yes"}
    assert io.read_structured(own_data / "v.yaml") == {False: "n", "flag": True}


def test_a_changed_file_is_parsed_again(own_data: Path, cache: Path, count_parses: list[str]) -> None:
    f = own_data / "terms.yaml"
    f.write_text("words: [pump, gateway]\n", encoding="utf-8")
    assert io.read_structured(f) == {"words": ["pump", "gateway"]}
    assert io.read_structured(f) == {"words": ["pump", "gateway"]}
    assert count_parses == ["terms.yaml"]
    f.write_text("words: [pump, gateway, cloud]\n", encoding="utf-8")
    assert io.read_structured(f) == {"words": ["pump", "gateway", "cloud"]}
    assert count_parses == ["terms.yaml", "terms.yaml"]


def test_a_users_file_is_never_cached(tmp_path: Path, cache: Path, count_parses: list[str]) -> None:
    f = tmp_path / "profile.yaml"
    f.write_text("secret: Project Nightingale\n", encoding="utf-8")
    assert io.read_structured(f) == {"secret": "Project Nightingale"}
    assert io.read_structured(f) == {"secret": "Project Nightingale"}
    assert count_parses == ["profile.yaml", "profile.yaml"]
    assert not cache.exists()


def test_an_unwritable_cache_is_skipped(own_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count_parses: list[str]) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv(datacache.ENV, str(blocker / "mdptm"))
    f = own_data / "terms.yaml"
    f.write_text("words: [pump]\n", encoding="utf-8")
    assert io.read_structured(f) == {"words": ["pump"]}
    assert io.read_structured(f) == {"words": ["pump"]}
    assert count_parses == ["terms.yaml", "terms.yaml"]
    assert blocker.read_text(encoding="utf-8") == "a file where the cache folder would be"


def test_off_writes_nothing(own_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv(datacache.ENV, "off")
    (own_data / "t.yaml").write_text("a: 1\n", encoding="utf-8")
    assert io.read_structured(own_data / "t.yaml") == {"a": 1}
    assert datacache.cache_dir() is None
    assert not (tmp_path / "xdg").exists()


def test_xdg_cache_home_is_the_default_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, own_data: Path) -> None:
    monkeypatch.delenv(datacache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert datacache.cache_dir() == tmp_path / "xdg" / "mdptm"
    (own_data / "t.yaml").write_text("a: [1, 2]\n", encoding="utf-8")
    assert io.read_structured(own_data / "t.yaml") == {"a": [1, 2]}
    assert len(list((tmp_path / "xdg" / "mdptm" / "data").glob("*.marshal"))) == 1
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # the XDG rule: a relative path is ignored
    assert datacache.cache_dir() == Path.home() / ".cache" / "mdptm"


def test_a_damaged_entry_is_parsed_again_and_replaced(own_data: Path, cache: Path, count_parses: list[str]) -> None:
    f = own_data / "terms.yaml"
    f.write_text("words: [pump, gateway]\n", encoding="utf-8")
    io.read_structured(f)
    (entry,) = (cache / "data").glob("*.marshal")
    entry.write_bytes(entry.read_bytes()[:-3])  # truncated
    assert io.read_structured(f) == {"words": ["pump", "gateway"]}
    assert count_parses == ["terms.yaml", "terms.yaml"]
    assert io.read_structured(f) == {"words": ["pump", "gateway"]}
    assert count_parses == ["terms.yaml", "terms.yaml"]


def test_data_marshal_cannot_keep_is_parsed_each_time(own_data: Path, cache: Path, count_parses: list[str]) -> None:
    f = own_data / "dated.yaml"
    f.write_text("released: 2024-05-01\n", encoding="utf-8")
    first = io.read_structured(f)
    assert io.read_structured(f) == first and str(first["released"]) == "2024-05-01"
    assert count_parses == ["dated.yaml", "dated.yaml"]
    assert not any(cache.rglob("*.marshal"))


def test_a_syntax_error_is_reported_and_not_cached(own_data: Path, cache: Path) -> None:
    f = own_data / "bad.yaml"
    f.write_text("a: [1, 2\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InputError, match="YAML syntax error"):
            io.read_structured(f)
    assert not any(cache.rglob("*.marshal"))


def test_cached_returns_a_fresh_copy_each_time(cache: Path) -> None:
    calls: list[int] = []

    def parse() -> dict[str, list[int]]:
        calls.append(1)
        return {"a": [1]}

    one = datacache.cached(b"x", "test", parse)
    one["a"].append(2)  # a caller changing what it got must not change what the next caller gets
    assert datacache.cached(b"x", "test", parse) == {"a": [1]}
    assert datacache.cached(b"y", "test", parse) == {"a": [1]}
    assert datacache.cached(b"x", "other reader", parse) == {"a": [1]}
    assert len(calls) == 3


def test_the_limits_are_part_of_the_key(own_data: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = own_data / "deep.yaml"
    f.write_text("a: {b: {c: [1]}}\n", encoding="utf-8")
    assert io.read_structured(f) == {"a": {"b": {"c": [1]}}}
    monkeypatch.setenv("MDPTM_LIMIT_MAX_NESTING", "2")  # a cached copy must not slip past a stricter limit
    with pytest.raises(InputError, match="nested deeper than 2"):
        io.read_structured(f)
