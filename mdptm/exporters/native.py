"""The model itself as JSON or YAML (``ptm.json``)."""

from __future__ import annotations

from pathlib import Path

from mdptm.model import Model
from mdptm.model.io import dumps
from mdptm.plugins import ExportContext, Exporter


class JsonExporter(Exporter):
    name = "json"
    suffix = ".json"

    def write(self, model: Model, path: Path, ctx: ExportContext) -> None:
        path.write_text(dumps(model, "json"), encoding="utf-8", newline="\n")


class YamlExporter(Exporter):
    name = "yaml"
    suffix = ".yaml"

    def write(self, model: Model, path: Path, ctx: ExportContext) -> None:
        path.write_text(dumps(model, "yaml"), encoding="utf-8", newline="\n")
