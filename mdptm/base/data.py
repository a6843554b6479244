"""The types of parsed JSON and YAML: what ``json.loads`` and the safe YAML loader give back.

A value read from a file someone else wrote is one of these until a pydantic model validates it;
naming the type (instead of ``Any``) makes every reader of such data narrow it before use.
These are for code, not pydantic fields: pydantic cannot build a schema from a recursive alias of this kind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TypeAlias

# YAML's safe loader also reads an unquoted 2024-01-31 as a date (a datetime is a date too).
Scalar: TypeAlias = str | int | float | bool | date | None
JSONValue: TypeAlias = Scalar | list["JSONValue"] | dict[str, "JSONValue"]
JSONObject: TypeAlias = dict[str, JSONValue]

# What a writer may hand to ``json.dumps``: read-only views, so a ``list[str]`` or a
# ``dict[str, float]`` already is one (no copy, no cast). For building documents, not for reading them.
JSONLike: TypeAlias = str | int | float | bool | None | Sequence["JSONLike"] | Mapping[str, "JSONLike"]
JSONDoc: TypeAlias = dict[str, JSONLike]

__all__ = ["JSONDoc", "JSONLike", "JSONObject", "JSONValue", "Scalar"]
