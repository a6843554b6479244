"""The native format: an ``mdptm/1`` model as JSON or YAML."""

from __future__ import annotations

import re
from pathlib import Path

from mdptm.errors import InputError
from mdptm.model import COLLECTIONS, PLACEHOLDER, Model, Source, provenance, set_provenance
from mdptm.model.io import read_structured
from mdptm.model.validate import pointer, validate_data
from mdptm.plugins import ImportContext, Importer

_SCHEMA_KEY = re.compile(r"""(?m)(?:"schema"\s*:\s*"mdptm/1"|^schema\s*:\s*['"]?mdptm/1)""")


class NativeImporter(Importer):
    name = "mdptm"
    extensions = (".json", ".yaml", ".yml")
    may_be_empty = True

    def sniff(self, path: Path, head: bytes) -> int:
        if path.suffix.lower() not in self.extensions:
            return 0
        # the schema key itself, so an OTM or Threat Dragon file that mentions mdptm/1 in a text is not taken
        if _SCHEMA_KEY.search(head.decode("utf-8", "replace")):
            return 90
        return 20

    def load(self, path: Path, ctx: ImportContext) -> Model:
        data = read_structured(path)
        if isinstance(data, dict) and data.get("schema") != "mdptm/1" and (other := _other_tool(data)):
            raise InputError(other, file=str(path))
        if not isinstance(data, dict) or data.get("schema") not in ("mdptm/1", None):
            raise InputError("not an mdptm/1 model (no 'schema: mdptm/1' key)", file=str(path))
        if "schema" not in data and (other := _other_tool(data)):
            raise InputError(other, file=str(path))
        if "schema" not in data and not any(data.get(coll) for coll, _kind in COLLECTIONS):
            raise InputError("no threat-model content found: not an mdptm/1 model (no 'schema: mdptm/1' key) and no items", file=str(path))
        data.setdefault("schema", "mdptm/1")
        # A hand-written model may leave product/document facts for mdptm.yaml to fill.
        data.setdefault("product", {})
        model, problems = validate_data(_with_placeholders(data))
        # A reference may point into another source (a register leaning on a diagram's elements):
        # dangling references are checked once all sources are merged.
        fatal = [p for p in problems if p.kind != "dangling"]
        if fatal:
            first = fatal[0]
            more = f" (and {len(fatal) - 1} more)" if len(fatal) > 1 else ""
            raise InputError(first.message + more, file=str(path), locator=first.pointer or "/")
        if model is None:
            model = Model.model_validate(data)
        name = path.name
        for coll, _kind in COLLECTIONS:
            for idx, item in enumerate(getattr(model, coll)):
                loc = pointer(coll, idx)
                if provenance(item) is None:
                    set_provenance(item, Source(file=name, locator=loc, importer=self.name))
                ctx.report.imported(name, loc, item.id)
        return model


def _other_tool(data: dict[str, object]) -> str | None:
    """What another threat-modelling tool's own file is, and what of it to import instead: read as an
    mdptm model it would fail on its first item ("required field 'id' is missing"), which says nothing."""
    if "threagile_version" in data:
        return (
            "a Threagile model (threagile_version), not an mdptm model: the threagile importer reads it "
            "(chosen by itself when the format is detected, or --format threagile)"
        )
    if {"boundaries", "flows"} <= data.keys() and ({"isOrdered", "onDuplicates"} & data.keys() or "threatsFile" in data):
        return (
            "a pytm model (tm.py --json): pytm makes its findings when the script runs; import its report "
            "(tm.py --report, Markdown) or an OTM export of the model"
        )
    if "threat-model-library" in str(data.get("$schema") or "") or (
        {"scope", "trust_zones", "components"} <= data.keys() and isinstance(data.get("scope"), dict)
    ):
        return (
            "an OWASP Threat Model Library file (TMBOM, threat-model.schema.json), a format mdptm does not read; "
            "open it in Threat Dragon and save the model (Threat Dragon JSON), or export it as OTM, and import that"
        )
    if "applicationInfo" in data and isinstance(data.get("threats"), list):
        return (
            "an AWS Threat Composer export (applicationInfo, threats), a format mdptm does not read; "
            "write its threats into a register (Excel/CSV) or an OTM file and import that"
        )
    return None


def _with_placeholders(data: dict[str, object]) -> dict[str, object]:
    product = data.get("product")
    if isinstance(product, dict):
        for key in ("name", "manufacturer"):
            if product.get(key) in (None, ""):
                product[key] = PLACEHOLDER
    document = data.setdefault("document", {})
    if isinstance(document, dict) and document.get("version") in (None, ""):
        document["version"] = PLACEHOLDER
    return data
