"""Model validation that reports every problem at once, each with its JSON pointer.

Cross-references are checked on the raw data, so a dangling reference is still reported when
another part of the file also breaks the schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import ValidationError

from mdptm.model import COLLECTIONS, Model

# (collection, field) -> collections whose ids it may name
REFERENCES: dict[tuple[str, str], tuple[str, ...]] = {
    ("elements", "trust_zone"): ("trust_zones",),
    ("flows", "source"): ("elements",),
    ("flows", "target"): ("elements",),
    ("flows", "data"): ("assets",),
    ("assets", "stored_in"): ("elements",),
    ("views", "elements"): ("elements",),
    ("views", "flows"): ("flows",),
    ("views", "threats"): ("threats",),
    ("views", "controls"): ("controls",),
    ("threats", "targets"): ("elements", "flows", "trust_zones"),
    ("threats", "assets"): ("assets",),
    ("threats", "controls"): ("controls",),
    ("threats", "controls_grouped"): ("controls",),
    ("threats", "controls_disputed"): ("controls",),
    ("flows", "initiator"): ("elements",),
    ("dependencies", "elements"): ("elements",),
}


@dataclass(frozen=True)
class Problem:
    pointer: str
    message: str
    kind: str  # schema | duplicate | dangling

    def __str__(self) -> str:
        return f"{self.pointer}: {self.message}"


def _escape(token: object) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer(*parts: object) -> str:
    return "".join("/" + _escape(p) for p in parts)


def _schema_problems(exc: ValidationError) -> list[Problem]:
    out = []
    for err in exc.errors(include_url=False):
        loc = list(err["loc"])
        msg = err["msg"]
        if err["type"] == "literal_error":
            msg = f"{msg} (got {err.get('input')!r})"
        elif err["type"] == "missing":
            msg = f"required field {loc[-1]!r} is missing" if loc else msg
        elif err["type"] == "extra_forbidden":
            msg = f"unknown field {loc[-1]!r}"
        out.append(Problem(pointer(*loc), msg, "schema"))
    return out


def _refs(data: Mapping[str, object]) -> list[Problem]:
    problems: list[Problem] = []
    ids: dict[str, tuple[str, int]] = {}  # where each id first stands (its pointer made only for a duplicate)
    by_collection: dict[str, set[str]] = {c: set() for c, _ in COLLECTIONS}
    for coll, _kind in COLLECTIONS:
        items = data.get(coll)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            iid = item["id"]
            if iid in ids:
                first = pointer(*ids[iid])
                problems.append(Problem(pointer(coll, i, "id"), f"duplicate id {iid!r} (first at {first})", "duplicate"))
            else:
                ids[iid] = (coll, i)
            by_collection[coll].add(iid)
    for (coll, fld), allowed in REFERENCES.items():
        items = data.get(coll)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            value = item.get(fld)
            values = value if isinstance(value, list) else [value]
            for j, ref in enumerate(values):
                if ref is None or not isinstance(ref, str):
                    continue
                if any(ref in by_collection[a] for a in allowed):
                    continue
                where = pointer(coll, i, fld, j) if isinstance(value, list) else pointer(coll, i, fld)
                owner = item.get("id", "?")
                what = " or ".join(a.rstrip("s").replace("_", " ") for a in allowed)
                problems.append(Problem(where, f"dangling reference {ref!r} in {owner!r}: no {what} has this id", "dangling"))
    flows = data.get("flows")
    for i, item in enumerate(flows if isinstance(flows, list) else []):
        if isinstance(item, dict) and item.get("initiator") not in (None, item.get("source"), item.get("target")):
            problems.append(
                Problem(
                    pointer("flows", i, "initiator"),
                    f"initiator {item['initiator']!r} of {item.get('id', '?')!r} is neither its source nor its target",
                    "dangling",
                )
            )
    return problems


def validate_data(data: object) -> tuple[Model | None, list[Problem]]:
    if not isinstance(data, dict):
        return None, [Problem("", "the top level must be a mapping (an mdptm/1 model)", "schema")]
    problems: list[Problem] = []
    model: Model | None = None
    try:
        model = Model.model_validate(data)
    except ValidationError as exc:
        problems.extend(_schema_problems(exc))
    problems.extend(_refs(data))
    return (model if not problems else None), problems


_REF_FIELDS: dict[str, tuple[str, ...]] = {}
for _coll, _fld in REFERENCES:
    _REF_FIELDS[_coll] = (*_REF_FIELDS.get(_coll, ()), _fld)


def validate_model(model: Model) -> list[Problem]:
    """Problems of an already-built model (references and duplicates only).

    Reads ids and reference fields straight from the items: dumping a large model to data only to
    look at its references would cost more than the check itself.
    """
    data: dict[str, object] = {}
    for coll, _kind in COLLECTIONS:
        fields = _REF_FIELDS.get(coll, ())
        data[coll] = [{"id": it.id, **{f: getattr(it, f) for f in fields}} for it in getattr(model, coll)]
    return _refs(data)
