"""No picture of the package draws what redaction withheld.

The leak scan reads a picture's metadata, never its pixels: a withheld component's name drawn as a box label in
a view diagram, a withheld flow's port drawn on an arrow of the deployment guide's network picture, would reach
hospitals unseen. Every text matplotlib draws during a build is recorded here and compared with what the public
model left out.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from matplotlib.text import Text

from mdptm.pipeline.build import build
from mdptm.redaction.leakscan import needle_key
from tests.pipeline.redteam_projects import MODEL, project

WITHHELD = ["Zephyrine relay", "Zephyrine tunnel", "31337", "Zephyrine backdoor"]


def _model() -> dict[str, object]:
    data = copy.deepcopy(MODEL)
    elements, flows, threats = data["elements"], data["flows"], data["threats"]
    assert isinstance(elements, list) and isinstance(flows, list) and isinstance(threats, list)
    elements.append({"id": "E9", "name": "Zephyrine relay", "kind": "hardware", "trust_zone": "TZ1", "sensitivity": "confidential"})
    flows.append(
        {
            "id": "F9",
            "name": "Zephyrine tunnel",
            "source": "E1",
            "target": "E9",
            "protocol": "UDP",
            "port": "31337/udp",
            "sensitivity": "confidential",
        }
    )
    threats[1]["targets"] = ["E9", "E1"]
    data["views"] = [
        {"id": "V1", "kind": "global_system", "name": "Global System View", "elements": ["E1", "E2", "E9"], "flows": ["F1", "F9"]},
        {"id": "V2", "kind": "security_use_case", "name": "Library update", "elements": ["E1", "E2", "E9"], "flows": ["F1", "F9"]},
    ]
    return data


def test_no_picture_draws_a_withheld_name_or_port(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[str] = []
    real_draw = Text.draw

    def draw(self: Text, renderer: object) -> None:
        drawn.append(self.get_text())
        real_draw(self, renderer)  # type: ignore[arg-type]

    monkeypatch.setattr(Text, "draw", draw)
    root = project(tmp_path / "p", model=_model(), policy={"drop": ["confidential"], "terms": ["Nightjar"]})
    result = build(root, tmp_path / "out")
    assert result.exit_code == 0, result.warnings
    text = needle_key(" | ".join(drawn))
    assert needle_key("Drug library server") in text  # the recorder saw the diagrams
    labels = {needle_key(t) for t in drawn}
    assert "f1" in labels  # the kept flow is drawn with its id
    assert "f9" not in labels and "e9" not in labels
    for secret in WITHHELD:
        assert needle_key(secret) not in text, secret
