"""Plug-in doors: built-ins come through entry points; a broken plug-in is a warning."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from mdptm import plugins
from mdptm.cli import cli


@pytest.fixture
def fresh_registry() -> Iterator[None]:
    plugins.registry.cache_clear()
    yield
    plugins.registry.cache_clear()


def _fake_dist(root: Path, name: str, entry_points: str, module: str | None = None) -> None:
    info = root / f"{name.replace('-', '_')}-1.2.3.dist-info"  # as installers name it: "mdptm-extra-…" would read as mdptm's own
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.2.3\n")
    (info / "entry_points.txt").write_text(entry_points)
    if module:
        (root / f"{name.replace('-', '_')}.py").write_text(module)


def test_builtins_register_through_entry_points(fresh_registry: None) -> None:
    reg = plugins.registry()
    assert "mdptm" in reg.importers
    assert {"json", "yaml"} <= set(reg.exporters)
    native = next(i for i in reg.info if i.name == "mdptm" and i.kind == "importer")
    assert native.distribution == "mdptm"


def test_third_party_plugin_is_found_and_broken_one_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_registry: None
) -> None:
    _fake_dist(
        tmp_path,
        "mdptm-extra",
        "[mdptm.exporters]\nshout = mdptm_extra:Shout\n[mdptm.importers]\nbroken = mdptm_missing_module:Nope\n",
        module=(
            "from mdptm.plugins import Exporter\n"
            "class Shout(Exporter):\n"
            "    name = 'shout'\n    suffix = '.txt'\n"
            "    def write(self, model, path, ctx):\n        path.write_text(model.product.name.upper())\n"
        ),
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    reg = plugins.registry()
    assert "shout" in reg.exporters
    assert "broken" not in reg.importers
    assert any("broken" in w and "failed to load" in w for w in reg.warnings)
    result = CliRunner().invoke(cli, ["plugins"])
    assert result.exit_code == 0
    assert "shout" in result.output and "mdptm-extra" in result.output and "BROKEN" in result.output
    sys.modules.pop("mdptm_extra", None)


def test_an_object_that_is_not_the_doors_type_is_refused_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_registry: None
) -> None:
    _fake_dist(
        tmp_path,
        "mdptm-odd",
        "[mdptm.exporters]\nodd = mdptm_odd:write\n[mdptm.checks]\nodd-check = mdptm_odd:NotACheck\n",
        module="def write(model, path, ctx):\n    pass\nclass NotACheck:\n    id = 'odd-check'\n",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    reg = plugins.registry()
    assert "odd" not in reg.exporters and "odd-check" not in reg.checks
    assert any("'odd'" in w and "not a subclass of mdptm.plugins.Exporter" in w for w in reg.warnings)
    assert any("'odd-check'" in w and "not a subclass of mdptm.plugins.Check" in w for w in reg.warnings)
    assert {i.name for i in reg.info if i.error} >= {"odd", "odd-check"}
    sys.modules.pop("mdptm_odd", None)


def test_every_door_comes_from_one_scan_of_the_installed_distributions(monkeypatch: pytest.MonkeyPatch, fresh_registry: None) -> None:
    """Each scan reads every installed distribution's metadata: opening all four doors reads them once,
    and finds what asking door by door finds."""
    import importlib.metadata

    real = importlib.metadata.entry_points
    calls: list[dict[str, str]] = []

    def counting(**params: str) -> object:
        calls.append(params)
        return real(**params)

    monkeypatch.setattr(importlib.metadata, "entry_points", counting)
    reg = plugins.registry()
    assert len(calls) == 1
    for kind, group in plugins.GROUPS.items():
        assert sorted(i.name for i in reg.info if i.kind == kind) == sorted({ep.name for ep in real(group=group)})


def test_build_reports_a_broken_plugin_of_a_door_it_loads_while_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_registry: None
) -> None:
    """`mdptm build` loads the doors other than the importers' while its sources are read: a broken exporter
    is still said, after the build (which goes on without it)."""
    site = tmp_path / "site"
    site.mkdir()
    _fake_dist(site, "mdptm-extra", "[mdptm.exporters]\nbroken-out = mdptm_missing_module:Nope\n")
    monkeypatch.syspath_prepend(str(site))
    sample = Path(__file__).resolve().parents[1] / "samples" / "patient-monitor"
    result = CliRunner().invoke(cli, ["build", str(sample), "-o", str(tmp_path / "out"), "--draft"])
    assert result.exit_code == 0, result.output
    assert "plug-in 'broken-out' (mdptm.exporters, from mdptm-extra) failed to load" in result.output
    assert (tmp_path / "out" / "ptm.json").is_file()
