"""How the model classes are declared, for start-up speed (issue 21): every command builds them."""

from __future__ import annotations

import importlib
import pkgutil

from pydantic import BaseModel

import mdptm.model
from mdptm.model import Element, Model, empty_dict, empty_list
from mdptm.model.report import ImportReport


def model_classes() -> list[type[BaseModel]]:
    """Every pydantic class defined in mdptm.model and its modules."""
    found: dict[str, type[BaseModel]] = {}
    modules = [mdptm.model] + [importlib.import_module(f"mdptm.model.{m.name}") for m in pkgutil.iter_modules(mdptm.model.__path__)]
    for mod in modules:
        for obj in vars(mod).values():
            if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == mod.__name__:
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return list(found.values())


def test_no_list_or_dict_field_defaults_to_a_builtin() -> None:
    """``default_factory=list`` makes pydantic parse the built-in's text signature once per field at class
    creation; the model's fields use :func:`empty_list`/:func:`empty_dict` instead."""
    classes = model_classes()
    assert len(classes) > 30 and Model in classes and ImportReport in classes
    builtins = [
        f"{cls.__name__}.{name}"
        for cls in classes
        for name, info in cls.model_fields.items()
        if info.default_factory is not None and info.default_factory in (list, dict, set)
    ]
    assert not builtins


def test_the_factories_give_a_new_container_each_time() -> None:
    assert empty_list() == [] and empty_list() is not empty_list()
    assert empty_dict() == {} and empty_dict() is not empty_dict()
    a, b = Element(id="a", name="A"), Element(id="b", name="B")
    a.tags.append("x")
    a.extra["k"] = 1
    assert b.tags == [] and b.extra == {}
    one, two = Model.empty(), Model.empty()
    one.elements.append(a)
    one.risk_management.documents["x"] = "y"
    assert two.elements == [] and two.risk_management.documents == {}


def test_the_core_model_annotations_are_evaluated_where_they_are_written() -> None:
    """Postponed (string) annotations would make pydantic compile each one while building the classes."""
    core = [cls for cls in model_classes() if cls.__module__ == "mdptm.model"]
    assert Model in core and Element in core
    strings = [
        f"{cls.__name__}.{name}" for cls in core for name, ann in vars(cls).get("__annotations__", {}).items() if isinstance(ann, str)
    ]
    assert not strings
