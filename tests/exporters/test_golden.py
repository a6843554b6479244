"""Golden snapshots, one per exporter: what each writes from the same model, byte for byte where the
format is text, as an outline (headings, captions, table headers and sizes) where it is Office or HTML.

A missing snapshot fails; ``pytest --regen-golden`` (or ``MDPTM_REGEN_GOLDEN=1``) rewrites them after a
deliberate change — read the diff before committing it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mdptm.pipeline.exporting import export_one
from mdptm.plugins import ExportContext, exporters
from tests.conftest import DATA, Golden
from tests.pipeline.test_publish_golden import docx_outline, html_outline, xlsx_outline
from tests.ptm_fixture import coverage, model, review

GOLDEN = DATA / "golden"
EPOCH = 1740787200


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# exporter name -> (file suffix of the snapshot, how to read what it wrote)
READERS: dict[str, tuple[str, Callable[[Path], str]]] = {
    "json": (".json", _text),
    "yaml": (".yaml", _text),
    "otm": (".otm.json", _text),
    "docx": (".docx.txt", lambda p: "\n".join(docx_outline(p)) + "\n"),
    "xlsx": (".xlsx.txt", lambda p: "\n".join(xlsx_outline(p)) + "\n"),
    "html": (".html.txt", lambda p: "\n".join(html_outline(p)) + "\n"),
    "csv": (".csv.txt", lambda p: p.read_bytes().decode("utf-8-sig").replace("\r\n", "<CRLF>\n")),  # line ends kept visible
    "threatdragon": (".td.json", _text),
}


def test_every_builtin_exporter_has_a_snapshot() -> None:
    builtin = {name for name, exp in exporters().items() if type(exp).__module__.startswith("mdptm.")}
    assert builtin <= set(READERS), f"add a snapshot reader for {sorted(builtin - set(READERS))}"


@pytest.mark.parametrize("name", sorted(READERS))
def test_exporter_output_matches_its_snapshot(name: str, tmp_path: Path, golden: Golden) -> None:
    suffix, read = READERS[name]
    out = tmp_path / f"ptm{exporters()[name].suffix}"
    export_one(model(), name, out, ExportContext(coverage=coverage(), review=review(), epoch=EPOCH))
    golden.check(GOLDEN / f"{name}{suffix}", read(out))


def test_a_missing_snapshot_fails_and_regen_writes_it(tmp_path: Path) -> None:
    missing = DATA / "golden" / "no-such-exporter.txt"
    with pytest.raises(pytest.fail.Exception, match="missing: run pytest --regen-golden"):
        Golden(regen=False).check(missing, "text\n")
    assert not missing.exists()
    written = tmp_path / "new.txt"
    Golden(regen=True).check(written, "text\n")
    assert written.read_text(encoding="utf-8") == "text\n"
    Golden(regen=False).check(written, "text\n")
    with pytest.raises(AssertionError, match="differs from"):
        Golden(regen=False).check(written, "other\n")
