"""Start-up: a command imports only what it uses (issue 21). Each check runs in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mdptm import __version__
from mdptm.base.process import LEAN_GC_THRESHOLD
from mdptm.cli import cli
from tests.conftest import SAMPLES
from tests.importers.test_tm7 import synthetic_tm7

# Imported by the command line and the .tm7 reader, never needed to import a .tm7.
NOT_FOR_A_TM7 = (
    "mdptm.importers.tabular.records",
    "mdptm.importers.tabular.tables",
    "mdptm.importers.tabular.vocab",
    "mdptm.importers.xlsx",
    "mdptm.importers.docx",
    "mdptm.importers.markdown",
    "mdptm.documents.guides",
    "mdptm.exporters.xlsx",
    "openpyxl",
    "docx",
    "matplotlib",
    "markdown_it",
)

PROBE = """
import json, sys
sys.argv = ["mdptm", *json.loads(sys.argv[1])]
from mdptm.__main__ import main
try:
    main(fast_exit=False)
except SystemExit as exc:
    assert not exc.code, exc.code
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
"""


def run(args: list[str], cache: Path | str) -> tuple[str, set[str]]:
    """stdout of ``mdptm ARGS`` in a fresh interpreter, and the modules it imported."""
    env = {**os.environ, "MDPTM_CACHE_DIR": str(cache)}
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    line = next(x for x in proc.stderr.splitlines() if x.startswith("MODULES "))
    return proc.stdout, set(json.loads(line.removeprefix("MODULES ")))


def test_version_is_answered_before_the_command_line_is_imported(tmp_path: Path) -> None:
    out, mods = run(["--version"], tmp_path)
    assert out == CliRunner().invoke(cli, ["--version"]).output == f"mdptm, version {__version__}\n"
    assert not {"click", "pydantic", "mdptm.cli", "mdptm.plugins", "mdptm.model"} & mods


def test_importing_a_tm7_opens_no_other_reader(tmp_path: Path) -> None:
    src = tmp_path / "pump.tm7"
    src.write_bytes(synthetic_tm7())
    cache = tmp_path / "cache"
    outputs = []
    for n, where in enumerate((cache, cache, "off")):  # fills the cache, reads it, goes without
        out = tmp_path / f"model{n}.json"
        _, mods = run(["import", str(src), "-o", str(out), "-q"], where)
        assert not [m for m in NOT_FOR_A_TM7 if m in mods]
        assert "mdptm.importers.doors" in mods and "mdptm.importers.tm7" in mods
        if n == 1:
            assert "yaml" not in mods, "every shipped vocabulary should have come from the cache"
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    assert json.loads(outputs[0])["threats"]


def test_the_door_imports_its_reader_to_read(tmp_path: Path) -> None:
    out = tmp_path / "model.json"
    _, mods = run(["import", str(SAMPLES / "infusion-pump" / "register.xlsx"), "-o", str(out), "-q"], "off")
    assert {"mdptm.importers.xlsx", "mdptm.importers.tabular.records"} <= mods
    assert "mdptm.importers.docx" not in mods and "mdptm.documents.guides" not in mods
    assert json.loads(out.read_text(encoding="utf-8"))["threats"]


# Drawing and workbook libraries: loaded when a picture is drawn or a workbook written, never to open the doors.
DRAWING_AND_WORKBOOKS = ("matplotlib", "mpl_toolkits", "numpy", "PIL", "openpyxl", "mdptm.render.diagrams")


def test_opening_every_door_loads_no_drawing_or_workbook_library(tmp_path: Path) -> None:
    """`mdptm build` and `mdptm plugins` load every plug-in before anything else; the built-ins' modules
    are cheap to load, their heavy libraries come when they are used."""
    _, mods = run(["plugins", "--format", "json"], tmp_path)
    assert {"mdptm.exporters.xlsx", "mdptm.exporters.docx", "mdptm.exporters.html", "mdptm.mapping.engine"} <= mods
    assert not [m for m in DRAWING_AND_WORKBOOKS if m in mods]


def test_exporting_json_or_a_workbook_draws_nothing(tmp_path: Path) -> None:
    src = tmp_path / "pump.tm7"
    src.write_bytes(synthetic_tm7())
    model = tmp_path / "model.json"
    run(["import", str(src), "-o", str(model), "-q"], "off")
    _, mods = run(["export", str(model), "--internal", "--format", "otm", "-o", str(tmp_path / "m.otm.json"), "-q"], "off")
    assert not [m for m in DRAWING_AND_WORKBOOKS if m in mods]
    _, mods = run(["export", str(model), "--internal", "--format", "xlsx", "-o", str(tmp_path / "m.xlsx"), "-q"], "off")
    assert "openpyxl" in mods and (tmp_path / "m.xlsx").stat().st_size > 0
    assert not [m for m in ("matplotlib", "mpl_toolkits", "mdptm.render.diagrams") if m in mods]


def test_the_collector_runs_rarely_while_import_loads_its_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading pydantic, the model classes and the doors makes long-lived objects, not garbage: the collector
    waits until they are loaded (then they are frozen), and its settings are as before after the command,
    whether it succeeded or failed."""
    import gc

    from mdptm import cli as cli_module

    src = tmp_path / "pump.tm7"
    src.write_bytes(synthetic_tm7())
    seen: list[tuple[int, int, int]] = []
    real_loaded = cli_module._loaded

    def loaded() -> None:
        seen.append(gc.get_threshold())
        real_loaded()

    monkeypatch.setattr(cli_module, "_loaded", loaded)
    before = gc.get_threshold()
    for args, code in (([str(src)], 0), ([str(tmp_path / "missing.tm7")], 2)):
        with pytest.raises(SystemExit) as exc:
            cli_module.main(["import", *args, "-o", str(tmp_path / "m.json"), "-q"])
        assert exc.value.code == code
        assert gc.get_threshold() == before
    assert seen and seen[0][0] >= cli_module.LOADING_GC_THRESHOLD > before[0]
    assert gc.get_freeze_count() > 0


def test_import_reads_its_sources_with_the_lean_collector(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large document's rows and items live until the model is written: import collects rarely while it
    reads them, as build does, and leaves the process's settings and frozen start-up objects as they were."""
    import gc

    from mdptm import cli as cli_module
    from mdptm.pipeline import importing

    src = tmp_path / "pump.tm7"
    src.write_bytes(synthetic_tm7())
    seen: list[int] = []
    real = importing.import_sources

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.get_threshold()[0])
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importing, "import_sources", spy)
    before = gc.get_threshold()
    with pytest.raises(SystemExit) as exc:
        cli_module.main(["import", str(src), "-o", str(tmp_path / "m.json"), "-q"])
    assert exc.value.code == 0
    assert seen == [LEAN_GC_THRESHOLD]
    assert gc.get_threshold() == before and gc.get_freeze_count() > 0
