"""`mdptm validate`: every problem at once, each with its JSON pointer."""

from __future__ import annotations

from typing import Any

from mdptm.model.validate import validate_data


def base() -> dict[str, Any]:
    return {
        "schema": "mdptm/1",
        "product": {"name": "P", "manufacturer": "M"},
        "document": {"version": "1"},
        "elements": [{"id": "E1", "name": "Pump"}, {"id": "E2", "name": "Server", "trust_zone": "TZ1"}],
        "trust_zones": [{"id": "TZ1", "name": "Clinical"}],
        "flows": [{"id": "F1", "source": "E1", "target": "E2"}],
        "threats": [{"id": "T1", "title": "t", "targets": ["F1"], "controls": ["C1"]}],
        "controls": [{"id": "C1", "title": "c"}],
    }


def test_clean_model_has_no_problems() -> None:
    model, problems = validate_data(base())
    assert problems == []
    assert model is not None


def test_every_problem_is_reported_with_its_pointer() -> None:
    data = base()
    data["threats"][0]["targets"] = ["F9"]  # dangling
    data["threats"][0]["stride"] = ["spoofing", "sneezing"]  # enum violation
    data["controls"].append({"id": "E1", "title": "dup"})  # duplicate id across collections
    del data["product"]["manufacturer"]  # missing required field
    data["flows"][0]["target"] = "E7"  # dangling
    model, problems = validate_data(data)
    assert model is None
    by_pointer = {p.pointer: p for p in problems}
    assert "/threats/0/targets/0" in by_pointer and "'F9'" in by_pointer["/threats/0/targets/0"].message
    assert "/threats/0/stride/1" in by_pointer and "sneezing" in by_pointer["/threats/0/stride/1"].message
    assert "/controls/1/id" in by_pointer and by_pointer["/controls/1/id"].kind == "duplicate"
    assert "/product/manufacturer" in by_pointer
    assert "/flows/0/target" in by_pointer and "'E7'" in by_pointer["/flows/0/target"].message


def test_top_level_must_be_a_mapping() -> None:
    model, problems = validate_data(["not", "a", "model"])
    assert model is None and problems[0].pointer == ""
