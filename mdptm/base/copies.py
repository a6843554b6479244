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


def _copy_value(value: Any) -> Any:  # Any: whatever a model field holds, returned as the same type
    kind = type(value)
    if kind in _ATOMS:
        return value
    if kind is list:
        return [v if type(v) in _ATOMS else _copy_value(v) for v in value]
    if kind is dict:
        return {k: v if type(v) in _ATOMS else _copy_value(v) for k, v in value.items()}
    if isinstance(value, BaseModel):
        new = object.__new__(kind)
        state = {k: v if type(v) in _ATOMS else _copy_value(v) for k, v in value.__dict__.items()}
        object.__setattr__(new, "__dict__", state)
        object.__setattr__(new, "__pydantic_fields_set__", set(value.__pydantic_fields_set__))
        object.__setattr__(new, "__pydantic_extra__", _copy_value(value.__pydantic_extra__))
        object.__setattr__(new, "__pydantic_private__", _copy_value(getattr(value, "__pydantic_private__", None)))
        return new
    if kind is tuple:
        return tuple(_copy_value(v) for v in value)
    return copy.deepcopy(value)
