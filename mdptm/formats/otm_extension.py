"""The ``mdptm`` extension of OTM: the whole model inside ``project.attributes``, for a lossless round trip.

OTM has no place for views, assumptions, support facts, sign-offs, CRA scope, control verification
and much else, and its risk and trust scales are not the model's. So the OTM exporter writes the OTM
a reader of any tool understands and, beside it, the model itself (``mdptm.model``) with a digest of
the OTM content (``mdptm.digest``). The importer takes the embedded model only while the digest still
matches: once another tool has edited the file, its OTM content is what counts, and the extension is
set aside with a warning. What is never published is never embedded: ``source``, ``notes``, ``extra``
(a zone's parent zone excepted, which the OTM holds too) and a flow's ``provenance``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from mdptm.base.data import JSONDoc, JSONLike, JSONObject
from mdptm.model import Model

MODEL_KEY = "mdptm.model"
DIGEST_KEY = "mdptm.digest"
_PRIVATE = ("source", "notes", "extra", "provenance")  # on items; a flow's ``source`` is its end, kept


def public_content(model: Model) -> JSONDoc:
    """The model as JSON data, without the fields that are never written to an interchange file."""
    return strip_private(model.model_dump(mode="json", by_alias=True))


def strip_private(data: JSONDoc) -> JSONDoc:
    """A model's JSON data (``model_dump(mode="json", by_alias=True)``) without the fields that are never
    written to an interchange file; *data* itself is edited, and returned."""
    for key, value in data.items():
        if not isinstance(value, list):
            continue
        for item in value:
            if not isinstance(item, dict):
                continue
            extra = item.get("extra")
            parent = extra.get("parent_zone") if key == "trust_zones" and isinstance(extra, dict) else None
            for private in _PRIVATE:
                if not (key == "flows" and private == "source"):  # a flow's source is its first end
                    item.pop(private, None)
            if isinstance(parent, str):
                item["extra"] = {"parent_zone": parent}
    return data


def digest(doc: Mapping[str, object]) -> str:
    """SHA-256 of the OTM content with the extension itself left out, in a canonical JSON form."""
    # Copies along the path to the extension only: _plain_numbers builds the rest anew, and the embedded
    # model (the bulk of the file) is never copied.
    bare = dict(doc)
    project = bare.get("project")
    attrs = project.get("attributes") if isinstance(project, dict) else None
    if isinstance(project, dict) and isinstance(attrs, dict):
        rest = {k: v for k, v in attrs.items() if k not in (MODEL_KEY, DIGEST_KEY)}
        bare["project"] = {k: v for k, v in project.items() if k != "attributes"} | ({"attributes": rest} if rest else {})
    text = json.dumps(_plain_numbers(bare), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


_NESTED = (dict, list, float)


def _plain_numbers(value: object) -> object:
    """70.0 and 70 are one number: JSON writers differ in which they print. (Strings, the most of a
    document, are passed over without a call.)"""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _plain_numbers(v) if isinstance(v, _NESTED) else v for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_numbers(v) if isinstance(v, _NESTED) else v for v in value]
    return value


def embed(doc: JSONDoc, model: Model, *, content: JSONLike = None) -> None:
    """Add the extension to an OTM document the exporter has finished. *content* stands in for
    :func:`public_content` of *model* when the caller has it already (or writes it in itself)."""
    stamp = digest(doc)
    project = doc["project"]
    if not isinstance(project, dict):
        raise TypeError("an OTM document's 'project' is an object")
    before = project.get("attributes")
    attrs: JSONDoc = dict(before) if isinstance(before, Mapping) else {}
    attrs[MODEL_KEY] = public_content(model) if content is None else content
    attrs[DIGEST_KEY] = stamp
    project["attributes"] = attrs


def embedded(doc: Mapping[str, object]) -> tuple[JSONObject | None, str | None]:
    """The embedded model data if the OTM content is as mdptm wrote it, else ``None`` and why not."""
    project = doc.get("project")
    attrs = project.get("attributes") if isinstance(project, dict) else None
    if not isinstance(attrs, dict) or MODEL_KEY not in attrs:
        return None, None
    data, stamp = attrs.get(MODEL_KEY), attrs.get(DIGEST_KEY)
    if not isinstance(data, dict):
        return None, f"'{MODEL_KEY}' is not an object"
    if stamp != digest(doc):
        return None, "the OTM content was changed after mdptm wrote it"
    return data, None
