"""The package's layering (docs/layout.md): imports point down the pipeline, never up or across formats."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

# Bottom to top: a module may import from its own layer and those before it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("mdptm", "mdptm.errors", "mdptm.resources"),
    ("mdptm.base",),
    ("mdptm.model",),
    ("mdptm.plugins",),
    ("mdptm.formats",),
    ("mdptm.importers",),
    ("mdptm.mapping",),
    ("mdptm.redaction",),
    ("mdptm.review",),
    ("mdptm.render",),
    ("mdptm.documents",),
    ("mdptm.exporters",),
    ("mdptm.pipeline",),
    ("mdptm.cli", "mdptm.cli_doc", "mdptm.__main__"),
)
# Modules one format's importer (or exporter) may share with the others of its folder.
SHARED = {"mdptm.importers.tabular", "mdptm.importers.merge", "mdptm.importers.doors"}
# Sideways imports that are one format inside another, with the reason.
ALLOWED = {
    ("mdptm.importers.markdown", "mdptm.importers.mermaid"),  # Mermaid diagrams are blocks inside Markdown
    # a Word document that is one risk ("Risk Analysis: ...") is read as its blocks by the Markdown reader of
    # such a file: one reading of a prose document, not two
    ("mdptm.importers.docx", "mdptm.importers.markdown"),
}


def layer(module: str) -> int:
    """Index in LAYERS of the most specific entry naming *module* (``mdptm`` itself only as such)."""
    found = [
        (len(name), i)
        for i, names in enumerate(LAYERS)
        for name in names
        if module == name or (name != "mdptm" and module.startswith(name + "."))
    ]
    assert found, f"{module} has no layer: add its package to LAYERS and docs/layout.md"
    return max(found)[1]


def imports(path: Path) -> list[str]:
    out: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.split(".")[0] == "mdptm":
            out += [f"mdptm.{a.name}" for a in node.names] if node.module == "mdptm" else [node.module]
        elif isinstance(node, ast.Import):
            out += [a.name for a in node.names if a.name.split(".")[0] == "mdptm"]
    return out


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted((ROOT / "mdptm").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def family(module: str) -> str | None:
    """``mdptm.importers.tm7`` -> ``mdptm.importers.tm7``: the format a plug-in module is about."""
    parts = module.split(".")
    if len(parts) >= 3 and parts[1] in ("importers", "exporters") and not parts[2].startswith("_"):  # _x: shared by the folder
        return ".".join(parts[:3])
    return None


def test_every_import_points_down_the_pipeline() -> None:
    up = [
        f"{mod} imports {target}"
        for mod, path in modules().items()
        for target in imports(path)
        if target != "mdptm.__version__" and layer(target) > layer(mod)
    ]
    assert up == []


def crosses(mod: str, target: str) -> bool:
    """An exporter reading an importer, or one format's module another format's."""
    if mod.startswith("mdptm.exporters.") and target.startswith("mdptm.importers."):
        return True
    mine, theirs = family(mod), family(target)
    if not mine or not theirs or mine == theirs or SHARED & {mine, theirs}:
        return False
    return (mine, theirs) not in ALLOWED


def test_no_format_imports_another() -> None:
    across = [f"{mod} imports {target}" for mod, path in modules().items() for target in imports(path) if crosses(mod, target)]
    assert across == []


def test_the_layer_test_sees_an_upward_import(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("from mdptm.pipeline.build import build\nfrom mdptm import model\n", encoding="utf-8")
    assert imports(probe) == ["mdptm.pipeline.build", "mdptm.model"]
    assert layer("mdptm.pipeline.build") > layer("mdptm.model.io") > layer("mdptm.errors")
    assert family("mdptm.importers.tabular.records") == "mdptm.importers.tabular"
    assert family("mdptm.exporters._shared") is None
    assert crosses("mdptm.exporters.otm", "mdptm.importers.otm")
    assert crosses("mdptm.importers.tm7", "mdptm.importers.otm")
    assert not crosses("mdptm.importers.docx", "mdptm.importers.tabular.records")
