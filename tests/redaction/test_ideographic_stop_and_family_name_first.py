"""Two ways of writing a secret that no rule read.

A host name typed with a Chinese or Japanese input method separates its labels with the ideographic full stop
(``build01。meridian。corp``), which IDNA, browsers and DNS read as the dot: NFKC leaves it as it is, so neither the
term nor the host-name detector saw the host. A person's name written family name first without a comma, as an
official list writes it (``WHITLOCK Dana``), was not the name ``Dana Whitlock`` (only ``Whitlock, Dana`` was).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mdptm.base import textnorm
from mdptm.model import Model
from mdptm.redaction.leakscan import LiteralMatcher, scan
from mdptm.redaction.redact import Policy, redact
from tests.redaction.test_left_out_controls import MODEL


def _published(description: str, policy: Policy) -> str:
    m = Model.model_validate(yaml.safe_load(MODEL))
    m.threats[0].description = description
    public, _log = redact(m, policy)
    return next(t for t in public.threats if t.id == "T-1").description or ""


@pytest.mark.parametrize("host", ["build01。meridian。corp", "BUILD01｡MERIDIAN｡CORP"])
def test_an_ideographic_full_stop_is_the_dot_of_a_host(tmp_path: Path, host: str) -> None:
    assert textnorm.key(host) == "build01.meridian.corp"
    assert _published(f"Logs go to {host} nightly.", Policy(terms=["build01.meridian.corp"])) == "Logs go to [redacted] nightly."
    assert _published(f"Logs go to {host.replace('01', '25')} nightly.", Policy()) == "Logs go to [redacted] nightly."
    (tmp_path / "guide.md").write_text(f"Logs go to {host}.", encoding="utf-8")
    assert [h.needle for h in scan(tmp_path, ["build01.meridian.corp"])] == ["build01.meridian.corp"]


@pytest.mark.parametrize("written", ["WHITLOCK Dana", "Whitlock Dana", "whitlock dana"])
def test_a_name_family_name_first_without_a_comma_is_the_name(tmp_path: Path, written: str) -> None:
    assert _published(f"Owner: {written}.", Policy(terms=["Dana Whitlock"])) == "Owner: [redacted]."
    (tmp_path / "guide.md").write_text(f"Ask {written}.", encoding="utf-8")
    assert [h.needle for h in scan(tmp_path, ["Dana Whitlock"])] == ["Dana Whitlock"]


def test_two_words_mdptm_prints_turned_are_no_name() -> None:
    """A left-out component named "Flow Data" is not found in the "data flow" every package prints."""
    assert not LiteralMatcher(["Flow Data"]).found("each data flow is listed")
    assert LiteralMatcher(["Flow Data"]).found("the Flow Data service") == {"Flow Data"}
