"""How a source states each threat–control link is kept on the threat: a STRIDE section that lists threats and
countermeasures side by side links them as a group (``controls_grouped``), and a threat and a control that name
each other differently disagree (``controls_disputed``). Neither is shown as a stated pair."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.importers.merge import merge_models
from mdptm.model import Control, Model, Threat
from mdptm.model.report import ImportReport
from mdptm.model.validate import validate_model
from tests.conftest import CORPUS
from tests.importers.import_helpers import Doc, load_text, run_import

GROUPED_MD = """# Pump gateway threat model

## Spoofing

- Rogue pump connects to the gateway.
- Replayed clinician login token.

**Mitigations:**

- Mutual TLS with device certificates.
- Short-lived tokens bound to the session.

## Tampering

**Threat:** Dose limits changed in transit

**Mitigation:** Signed dose-limit library checked on the pump.
"""


def test_markdown_stride_section_links_are_grouped_and_a_stated_mitigation_is_not(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, GROUPED_MD)
    spoof = [t for t in model.threats if "spoofing" in t.stride]
    assert len(spoof) == 2
    for t in spoof:
        assert len(t.controls) == 2 and t.controls_grouped == t.controls
    tamper = next(t for t in model.threats if "tampering" in t.stride)
    assert tamper.controls and tamper.controls_grouped == []  # the mitigation is written under the threat


DISPUTED_MD = """# Webhook threat model

## Threats

### Threat ID 1 - Attacker floods the webhook

**Scenario**

An attacker sends many requests to the webhook.

**Mitigation**

- [Mitigation ID 1 - Rate limits on the API server](#m1)

### Threat ID 2 - Attacker spoofs the webhook

**Scenario**

An attacker redirects traffic meant for the webhook.

**Mitigation**

- [Mitigation ID 2 - Mutual TLS between API server and webhook](#m2)

## Mitigations

### Mitigation ID 1 - Rate limits on the API server

**Description**

The API server limits the requests it sends to the webhook.

**Mitigated Threats**

- [Threat ID 1 - Attacker floods the webhook](#t1)

### Mitigation ID 2 - Mutual TLS between API server and webhook

**Description**

Both ends present certificates.

**Mitigated Threats**

- [Threat ID 1 - Attacker floods the webhook](#t1)
"""


def test_markdown_forward_and_back_links_that_disagree_are_disputed(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, DISPUTED_MD)
    by_id = {t.id: t for t in model.threats}
    assert by_id["T-1"].controls == ["M-1"] and by_id["T-2"].controls == ["M-2"]
    # T-2 names M-2, whose list leaves T-2 out: linked as the threat says, and disputed
    assert by_id["T-2"].controls_disputed == ["M-2"]
    # M-2 lists T-1, which does not name it: not linked, and disputed
    assert "M-2" not in by_id["T-1"].controls and by_id["T-1"].controls_disputed == ["M-2"]
    assert validate_model(model) == []
    assert any("M-2 lists T-1" in w.message for w in report.warnings)


def test_word_stride_bullets_are_linked_as_a_group(tmp_path: Path) -> None:
    d = Doc().title("Infusion Gateway Threat Model")
    d.heading("Spoofing", 2)
    d.para("Threats:")
    d.bullets("Rogue pump connects to the gateway.", "Replayed clinician login token.")
    d.para("Countermeasures:")
    d.bullets("Mutual TLS with device certificates.", "Short-lived tokens bound to the session.")
    model, _ = run_import(d.save(tmp_path / "stride.docx"))
    assert len(model.threats) == 2
    assert all(t.controls_grouped == t.controls and len(t.controls) == 2 for t in model.threats)


def _threat(controls: list[str], grouped: list[str]) -> Model:
    m = Model.empty()
    m.controls = [Control(id=c, title=f"Control {c}") for c in ("C-1", "C-2")]
    m.threats = [Threat(id="T-1", title="Replay", controls=controls, controls_grouped=grouped)]
    return m


def test_merge_a_pair_stated_by_one_source_is_stated() -> None:
    first = _threat(["C-1", "C-2"], ["C-1", "C-2"])  # a STRIDE section lists them side by side
    second = _threat(["C-1"], [])  # a register pairs T-1 with C-1
    merged, _ = merge_models([("a.md", first, ImportReport()), ("b.csv", second, ImportReport())])
    assert merged.threats[0].controls == ["C-1", "C-2"]
    assert merged.threats[0].controls_grouped == ["C-2"]


def test_ecommerce_word_model_links_every_pair_as_a_group() -> None:
    path = CORPUS / "office-real" / "ecommerce-threat-modeling.docx"
    if not path.exists():
        pytest.skip("corpus not present")
    model, _ = run_import(path)
    linked = [t for t in model.threats if t.controls]
    assert linked and all(set(t.controls) == set(t.controls_grouped) for t in linked)
