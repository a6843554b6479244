"""The JSON Schema of ``mdptm/1``, as printed by ``mdptm schema``."""

from __future__ import annotations

from mdptm.model import Model


def model_schema() -> dict[str, object]:
    schema = Model.model_json_schema(by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://mdptm.invalid/schema/mdptm-1.json"
    schema["title"] = "mdptm/1 threat model"
    return schema
