"""An outbound-only design a control defers ("Outbound-only design (planned for release 5)", "(roadmap)", "planned Q3
2027") or leaves to the hospital ("Outbound-only mode can be enabled by the hospital") made the guides say
"Connections to the device maker's systems are opened from the hospital only (C-1)" and draw the cloud's flow as
opened by the gateway: the control was listed implemented, and the guides weigh the words of a control they read as
a denial. "Cloud-initiated connections are not used" states the design and was not read."""

from __future__ import annotations

import pytest

from mdptm.documents.guides import build_guides
from mdptm.model import Control
from tests.documents.test_guides_direction import _model
from tests.documents.test_guides_readers import firewall_rows, text_of

_SAID = "opened from the hospital only (C-1)"


def _guide(statement: str) -> tuple[list[list[str]], str]:
    m = _model("Status", "")
    m.controls = [Control(id="C-1", title="Connectivity", description=statement, responsibility="manufacturer", status="implemented")]
    doc = build_guides(m)["deployment"]
    return firewall_rows(doc), text_of(doc)


@pytest.mark.parametrize(
    "statement",
    [
        "Outbound-only design (planned for release 5).",
        "All connections are outbound-only from the hospital (roadmap).",
        "Outbound-only connections planned Q3 2027.",
        "Outbound-only mode can be enabled by the hospital.",
    ],
)
def test_a_deferred_or_optional_outbound_only_design_is_not_said(statement: str) -> None:
    rows, text = _guide(statement)
    assert _SAID not in text
    assert not [r for r in rows if r[0] == "out" and r[1] == "Gateway"], rows  # the flow is drawn from the cloud


@pytest.mark.parametrize(
    "statement",
    ["All connections are outbound-only from the hospital.", "Cloud-initiated connections are not used."],
)
def test_a_stated_outbound_only_design_is_said(statement: str) -> None:
    rows, text = _guide(statement)
    assert _SAID in text
    assert rows and all(r[0] == "out" and r[1] == "Gateway" for r in rows), rows


def test_a_server_that_may_be_the_hospitals_decides_nothing() -> None:
    assert _SAID not in _guide("Server-initiated connections are not used.")[1]
