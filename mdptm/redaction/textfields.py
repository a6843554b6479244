"""Every published text field of the model, found from the pydantic classes: what redaction rewrites and scans."""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterator
from functools import cache
from typing import Literal, get_args, get_origin

from pydantic import BaseModel

from mdptm.model import COLLECTIONS, Flow, Item, Model
from mdptm.model.validate import REFERENCES
from mdptm.redaction.policy import NEVER_PUBLISHED

# ---------------------------------------------------------------------------------- text fields


def all_items(model: Model) -> Iterator[Item]:
    """Every identifiable item, in collection order."""
    for attr, _kind in COLLECTIONS:
        yield from getattr(model, attr)


TextFn = Callable[[str, str, str], str]  # (text, item id, field path) -> new text


def _is_enum(annotation: object) -> bool:
    origin = get_origin(annotation)
    if origin is Literal:
        return True
    if origin in (list, typing.Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return bool(args) and all(_is_enum(a) for a in args)
    return False


def _model_class(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (typing.Union, types.UnionType):
        for a in get_args(annotation):
            if isinstance(a, type) and issubclass(a, BaseModel):
                return a
    return None


def _ref_fields() -> dict[type, set[str]]:
    out: dict[type, set[str]] = {Flow: {"source", "target"}}
    for coll, fld in REFERENCES:
        cls = get_args(Model.model_fields[coll].annotation)[0]
        out.setdefault(cls, set()).add(fld)
    return out


_REFS = _ref_fields()


@cache
def _text_fields(cls: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(name, shape) of the fields of *cls* that hold published free text or nested models.

    Shapes: ``str``, ``strs`` (list of str), ``model``, ``models``. Ids, references, enums and the
    never-published fields are left out, so adding a text field to the model needs no change here.
    """
    out = []
    skip = {"id", *NEVER_PUBLISHED, *_REFS.get(cls, set())}
    for name, info in cls.model_fields.items():
        ann = info.annotation
        if name in skip or _is_enum(ann):
            continue
        sub = _model_class(ann)
        args = [a for a in get_args(ann) if a is not type(None)]
        if sub is not None:
            out.append((name, "model"))
        elif ann is str or (args == [str] and get_origin(ann) in (typing.Union, types.UnionType)):
            out.append((name, "str"))
        elif get_origin(ann) is list and args == [str]:
            out.append((name, "strs"))
        elif get_origin(ann) is list and args and _model_class(args[0]) is not None:
            out.append((name, "models"))
    return tuple(out)


def _walk(obj: BaseModel, item: str, prefix: str, fn: TextFn) -> None:
    for name, shape in _text_fields(type(obj)):
        value = getattr(obj, name)
        path = prefix + name
        if value is None:
            continue
        if shape == "str":
            new = fn(value, item, path)
            if new is not value:  # most text is left as it was: no assignment needed
                setattr(obj, name, new)
        elif shape == "strs":
            if value:
                setattr(obj, name, [fn(v, item, f"{path}[{i}]") for i, v in enumerate(value)])
        elif shape == "model":
            _walk(value, item, path + ".", fn)
        else:
            for i, sub in enumerate(value):
                _walk(sub, item, f"{path}[{i}].", fn)


def walk_text(model: Model, fn: TextFn) -> None:
    """Apply *fn* to every published text field of *model*, in place, names and captions included."""
    for attr, _kind in COLLECTIONS:
        for item in getattr(model, attr):
            _walk(item, item.id, "", fn)
    _walk(model.product, "product", "", fn)
    _walk(model.document, "document", "", fn)
    _walk(model.support, "support", "", fn)


def iter_text(model: Model) -> Iterator[tuple[str, str, str]]:
    """(item id, field path, text) of every published text field."""
    found: list[tuple[str, str, str]] = []

    def collect(text: str, item: str, path: str) -> str:
        found.append((item, path, text))
        return text

    walk_text(model, collect)
    return iter(found)
