"""Reading and writing models as JSON or YAML with one stable byte form."""

from __future__ import annotations

import math
import os
from enum import Enum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticSerializationError

from mdptm.base.output import _tiny_float, json_text
from mdptm.base.safety import current_limits, not_utf8, parse_json, parse_yaml, read_input
from mdptm.errors import InputError
from mdptm.model import Model
from mdptm.model.validate import pointer

if TYPE_CHECKING:
    import yaml

T = TypeVar("T", bound=BaseModel)


def read_structured(path: Path, *, max_bytes: int | None = None, yaml12: bool = False) -> Any:
    """Parse a JSON or YAML file, naming the line and column of a syntax error (*yaml12*: booleans as
    YAML 1.2 reads them, see :func:`mdptm.base.safety.yaml_loader`).

    Any: the file's own structure, which each caller checks (``isinstance``) or validates (pydantic);
    :data:`mdptm.base.data.JSONValue` names what it can be. mdptm's own YAML files (``mappings/``,
    ``templates/``) are parsed once and then read from the cache of :mod:`mdptm.base.datacache`, keyed
    by their bytes; a user's files never go there."""
    raw = read_input(path, limit=max_bytes)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(not_utf8(raw, exc), file=str(path)) from None
    if _is_json(text, path) or not _shipped(path):
        return parse_text(text, path, yaml12=yaml12)
    from mdptm.base.datacache import cached

    lim = current_limits()  # the checks parse_yaml makes: with other limits the same bytes may be refused
    reader = f"yaml{'1.2' if yaml12 else ''} {_pyyaml_version()} nesting {lim.max_nesting} expansion {lim.max_yaml_expansion}"
    return cached(raw, reader, lambda: parse_text(text, path, yaml12=yaml12))


def parse_text(text: str, path: Path, *, yaml12: bool = False) -> object:
    """JSON if the name or the first character says so, else YAML; both through :mod:`mdptm.base.safety`."""
    if _is_json(text, path):
        return parse_json(text, file=str(path))
    return parse_yaml(text, file=str(path), yaml12=yaml12)


def _is_json(text: str, path: Path) -> bool:
    return path.suffix.lower() == ".json" or text.lstrip().startswith(("{", "["))


@cache
def _shipped_roots() -> tuple[Path, ...]:
    from mdptm.resources import data_dir

    roots = []
    for name in ("mappings", "templates"):
        try:
            roots.append(data_dir(name).resolve())
        except FileNotFoundError:  # an installation without its data fails where the data is read, not here
            continue
    return tuple(roots)


def _shipped(path: Path) -> bool:
    """A data file mdptm ships (its vocabularies, catalogues and templates)."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        return False
    return any(resolved.is_relative_to(root) for root in _shipped_roots())


@cache
def _pyyaml_version() -> str:
    """Which PyYAML is installed, found without importing it: the cache key changes when PyYAML is
    upgraded (its files are rewritten). Metadata lookups would cost more than a cache hit saves."""
    from importlib.util import find_spec

    try:
        spec = find_spec("yaml")
        origin = spec.origin if spec is not None else None
        st = os.stat(origin) if origin else None
    except (ImportError, ValueError, OSError):
        return "?"
    return f"{origin} {st.st_mtime_ns} {st.st_size}" if st is not None else "?"


_AWKWARD = {"\x85", "\u2028", "\u2029", "\ufeff"}


@cache
def _dumper() -> type[yaml.SafeDumper]:
    """A SafeDumper that double-quotes strings YAML would otherwise fold or mangle (NEL, LS/PS, control chars)."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def _str_repr(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        if any(c in _AWKWARD or (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0 for c in value):
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
        return dumper.represent_str(value)

    _Dumper.add_representer(str, _str_repr)
    return _Dumper


def model_to_data(model: Model) -> dict[str, Any]:  # Any: the JSON form pydantic dumps, edited in place by callers
    return model.model_dump(mode="json", by_alias=True)


def dumps(model: Model, fmt: str = "json") -> str:
    """The one canonical text form: same model, same bytes."""
    if fmt != "yaml":
        text = _json_direct(model)
        if text is not None:
            return text
    data = model_to_data(model)
    if fmt == "yaml":
        import yaml

        return yaml.dump(data, Dumper=_dumper(), sort_keys=False, allow_unicode=True, width=100)
    return json_text(data)


def _json_direct(model: Model) -> str | None:
    """``json_text(model_to_data(model))`` written by pydantic-core straight from the model, without the
    intermediate dicts and lists (a 10 000-threat model: 0.6 s and two full collections fewer); None
    where the two could differ. They differ only where pydantic-core writes a float the model's way
    (``null`` for infinity and NaN, which ``json_text`` writes ``Infinity``/``NaN``) or where
    ``json_text`` falls back to the standard library (floats below 1e-4, text pydantic-core refuses)."""
    if not _finite(model):
        return None
    try:
        text = type(model).__pydantic_serializer__.to_json(model, indent=2, by_alias=True).decode("utf-8")
    except (ValueError, TypeError, PydanticSerializationError):
        return None
    if not text or _tiny_float(text):
        return None
    return text + "\n"


def _finite(root: BaseModel) -> bool:
    """No infinite or NaN float anywhere in the fields of *root* that may hold a float."""
    stack: list[object] = [root]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind is str or value is None or kind is bool or kind is int:
            continue
        if isinstance(value, float):
            if not math.isfinite(value):
                return False
        elif isinstance(value, BaseModel):
            fields = value.__dict__
            stack.extend(fields.get(name) for name in _float_fields(type(value)))
            if value.__pydantic_extra__:
                stack.extend(value.__pydantic_extra__.values())
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, (list, tuple, set, frozenset)):
            stack.extend(value)
    return True


_PLAIN = (str, int, bool, type(None))


@cache
def _float_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of *cls* whose type may hold a float somewhere inside (a float, an ``Any``, a model with one)."""
    _float_fields_pending.add(cls)
    try:
        return tuple(name for name, info in cls.model_fields.items() if _may_hold_float(info.annotation))
    finally:
        _float_fields_pending.discard(cls)


_float_fields_pending: set[type] = set()  # models whose fields are being read: a model that holds itself


def _may_hold_float(tp: object) -> bool:
    if isinstance(tp, type):
        if issubclass(tp, BaseModel):
            return tp in _float_fields_pending or bool(_float_fields(tp))
        if issubclass(tp, Enum):
            return any(isinstance(m.value, float) for m in tp)
        if issubclass(tp, _PLAIN) and not issubclass(tp, float):
            return False
    origin = get_origin(tp)
    if origin is Literal:
        return any(isinstance(a, float) for a in get_args(tp))
    args = get_args(tp)
    if origin is None or not args:
        return True  # float, Any, object and what is not known: looked at
    if origin is Annotated:
        return _may_hold_float(args[0])
    return any(_may_hold_float(a) for a in args if a is not Ellipsis)


def fmt_for(path: Path) -> str:
    return "yaml" if path.suffix.lower() in (".yaml", ".yml") else "json"


def save(model: Model, path: Path) -> None:
    path.write_text(dumps(model, fmt_for(path)), encoding="utf-8", newline="\n")


def load(path: Path) -> Model:
    """Load and validate a native model; every problem is reported at once."""
    from mdptm.model.validate import validate_data

    data = read_structured(path)
    model, problems = validate_data(data)
    if problems or model is None:
        first = problems[0]
        more = f" (and {len(problems) - 1} more; run 'mdptm validate')" if len(problems) > 1 else ""
        raise InputError(first.message + more, file=str(path), locator=first.pointer or "/")
    return model


def validated(cls: type[T], data: object, *, file: str, where: tuple[str | int, ...] = ()) -> T:
    """*data* as a *cls*; the first problem is an :class:`InputError` naming *file* and the JSON pointer
    (below *where*) of the offending value. One step for every catalogue, vocabulary and settings file."""
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise InputError(err["msg"], file=file, locator=pointer(*where, *err["loc"])) from None


def load_validated(path: Path, cls: type[T]) -> T:
    """A JSON or YAML file read (:func:`read_structured`) and validated as *cls* (:func:`validated`)."""
    return validated(cls, read_structured(path), file=str(path))
