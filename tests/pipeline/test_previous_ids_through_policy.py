"""An id version 1 published that holds a term the policy gained since is read through this version's policy.

Version 1 published the element ``E-NIGHTJAR``; version 2's policy makes ``Nightjar`` a term, so version 2 renames
the element ``redacted-element-1``. The change log compared the two by id ("removed element E-NIGHTJAR, added
element redacted-element-1") and the history entry, ptm.docx and index.html quoted the old id: every build of
version 2 was refused for a leak, with nothing in the model to fix. The old id now takes this version's public id
(the same element, unchanged), and one of an item version 2 no longer has takes a neutral one."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from tests.pipeline.redteam_projects import MODEL, package_views, project
from tests.test_cli_foundation import run


def _model(*, laptop: bool = True) -> dict[str, object]:
    m = copy.deepcopy(MODEL)
    elements = m["elements"]
    assert isinstance(elements, list)
    elements.append({"id": "E-NIGHTJAR", "name": "Service laptop", "kind": "device", "trust_zone": "TZ1"})
    elements.append({"id": "E-KESTREL-2", "name": "Field tablet", "kind": "device", "trust_zone": "TZ1"})
    if not laptop:
        elements.pop(-2)
    return m


@pytest.mark.parametrize("kept", [True, False])
def test_an_id_holding_a_term_added_since_is_not_quoted(tmp_path: Path, capsys: pytest.CaptureFixture[str], kept: bool) -> None:
    proj = project(tmp_path / "proj", model=_model(), policy={"drop": ["confidential"], "terms": ["Zephyrine"]})
    assert run(["build", str(proj), "-o", str(tmp_path / "v1")], capsys)[0] == 0
    v2 = _model(laptop=kept)
    v2["document"] = {**v2["document"], "version": "2.0"}  # type: ignore[dict-item]
    project(proj, model=v2, policy={"drop": ["confidential"], "terms": ["Zephyrine", "Nightjar", "Kestrel"]}, previous="../v1")
    code, _, err = run(["build", str(proj), "-o", str(tmp_path / "v2")], capsys)
    assert code == 0, err
    for where, text in package_views(tmp_path / "v2"):
        assert "nightjar" not in text and "kestrel" not in text, where
    ptm = (tmp_path / "v2" / "ptm.json").read_text(encoding="utf-8")
    summary = ptm[ptm.index('"history"') :]
    if kept:  # the same element, renamed: no removal and no addition of it in the change log
        assert "redacted-element-1" in ptm and "Removed element" not in summary and "Added element" not in summary
    else:  # an element removed since is named by a neutral id
        assert "Removed element" in summary
