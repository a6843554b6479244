"""Deep copies of models without ``copy.deepcopy``'s bookkeeping.

Redaction copies the whole model before changing it, and merging copies the import report; on a
10 000-threat model ``model_copy(deep=True)`` spends most of its time in ``copy.deepcopy``'s memo
and dispatch. Models here are trees of models, lists, dicts and immutable values, so a plain
recursive copy does.
"""

from __future__ import annotations

import copy
from typing import Any, TypeVar

from pydantic import BaseModel

__all__ = ["deep_copy"]

_ATOMS = (str, int, float, bool, type(None))
M = TypeVar("M", bound=BaseModel)


def deep_copy(model: M) -> M:
    """A deep copy of a model, about twice as fast as ``model_copy(deep=True)`` on a large one.

    Models, lists and dicts are copied; strings, numbers and other immutable values are shared
    (``copy.deepcopy`` does the same). Anything else goes through ``copy.deepcopy``. Unlike
    ``copy.deepcopy``, an object referred to twice is copied twice: models do not share parts.
    """
    return _copy_value(model)  # type: ignore[no-any-return]


_ATOM_TYPES = frozenset(_ATOMS)  # a set look-up: cheaper than scanning the tuple for every value
_set_attr = object.__setattr__  # around pydantic's __setattr__, which validates


def _copy_value(value: Any) -> Any:  # Any: whatever a model field holds, returned as the same type
    kind = type(value)
    atoms = _ATOM_TYPES
    if kind in atoms:
        return value
    if kind is list:
        return [v if type(v) in atoms else _copy_value(v) for v in value]
    if kind is dict:
        return {k: v if type(v) in atoms else _copy_value(v) for k, v in value.items()}
    if isinstance(value, BaseModel):
        new = object.__new__(kind)
        _set_attr(new, "__dict__", {k: v if type(v) in atoms else _copy_value(v) for k, v in value.__dict__.items()})
        _set_attr(new, "__pydantic_fields_set__", set(value.__pydantic_fields_set__))
        extra = value.__pydantic_extra__
        _set_attr(new, "__pydantic_extra__", None if extra is None else _copy_value(extra))
        private = getattr(value, "__pydantic_private__", None)
        _set_attr(new, "__pydantic_private__", None if private is None else _copy_value(private))
        return new
    if kind is tuple:
        return tuple(_copy_value(v) for v in value)
    return copy.deepcopy(value)
