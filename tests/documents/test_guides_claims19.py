"""A flow's authentication was shown as written, so "Mutual TLS (planned)" read as a mechanism in place in the PTM's
flow table and the deployment guide (and the credentials guide listed its certificate); "Optional" did not say the
flow may run unauthenticated. And "Outbound-only connections are optional" made the deployment guide say connections
are "opened from the hospital only (C-1)": the option is the hospital's, not the device's design."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.documents.guides import build_guides
from mdptm.documents.guides.credentials import credentials
from mdptm.documents.guides.facts import Facts
from mdptm.documents.ptm import build_ptm_doc
from mdptm.model import Control
from mdptm.plugins import ExportContext
from mdptm.render.docir import Doc, Table
from tests.documents.test_guides_direction import _model
from tests.documents.test_guides_readers import firewall_rows, text_of

_SAID = "opened from the hospital only (C-1)"


def _flow_cells(doc: Doc, header: str) -> list[str]:
    """The cells of the column *header* in every table of *doc* that has one."""
    return [r[b.header.index(header)] for b in doc.blocks if isinstance(b, Table) and header in b.header for r in b.rows]


@pytest.mark.parametrize(
    ("authentication", "shown"),
    [
        ("None", "none"),
        ("Optional", "Optional: not enforced unless turned on"),
        ("Mutual TLS (planned)", "none in place (Mutual TLS (planned))"),
        ("Mutual TLS", "Mutual TLS"),  # as written
    ],
)
def test_a_flows_authentication_says_what_is_in_place(authentication: str, shown: str, tmp_path: Path) -> None:
    # before: "None", "Optional" and "Mutual TLS (planned)" as written
    m = _model("Status", "")
    m.flows[0].authentication = authentication
    assert _flow_cells(build_ptm_doc(m, ExportContext(), tmp_path), "Authentication") == [shown]
    guides = build_guides(m)
    cells = [c for d in guides.values() for c in _flow_cells(d, "Authentication")]
    assert cells and set(cells) == {shown}


def test_a_planned_mechanism_issues_no_credential() -> None:
    m = _model("Status", "")
    m.flows[0].authentication = "Mutual TLS (planned)"
    planned = [c.used_for for c in credentials(Facts.of(m))]
    m.flows[0].authentication = "Mutual TLS"
    assert [c.used_for for c in credentials(Facts.of(m))] == ["F-1 Status"]
    assert planned == []


def _guide(statement: str) -> tuple[list[list[str]], str]:
    m = _model("Status", "")
    m.controls = [Control(id="C-1", title="Connectivity", description=statement, responsibility="manufacturer", status="implemented")]
    doc = build_guides(m)["deployment"]
    return firewall_rows(doc), text_of(doc)


@pytest.mark.parametrize("statement", ["Outbound-only connections are optional.", "Optional outbound-only mode."])
def test_an_outbound_only_design_offered_as_an_option_is_not_said(statement: str) -> None:
    rows, text = _guide(statement)
    assert _SAID not in text
    assert not [r for r in rows if r[0] == "out" and r[1] == "Gateway"], rows


@pytest.mark.parametrize(
    "statement",
    ["All connections are outbound-only from the hospital; encryption is optional.", "Outbound-only connections. TLS is optional."],
)
def test_an_option_said_of_something_else_leaves_the_design(statement: str) -> None:
    rows, text = _guide(statement)
    assert _SAID in text
    assert rows and all(r[0] == "out" and r[1] == "Gateway" for r in rows), rows
