"""A control that only left-out threats relied on is left out with them: its text is what was done about
the withheld threat, and a published control mitigating nothing tells the reader a threat is missing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from mdptm.model import Model
from mdptm.pipeline.build import build
from mdptm.redaction.redact import Policy, redact
from tests.conftest import CORPUS
from tests.redaction.leak_helpers import holds, package_text

MODEL = """\
schema: mdptm/1
product: {name: Pump, manufacturer: Maker}
document: {version: "1.0"}
elements:
  - {id: E1, name: Pump, kind: device}
threats:
  - {id: T-1, title: Spoofed server, stride: [spoofing], targets: [E1], controls: [C-1, C-2]}
  - {id: T-2, title: Debug header, stride: [tampering], targets: [E1], controls: [C-2, C-3]}
controls:
  - {id: C-1, title: Mutual TLS, category: authentication}
  - {id: C-2, title: Signed firmware, category: integrity}
  - {id: C-3, title: Fuse the JTAG header at end of line, category: integrity,
     description: The JTAG header on the main board is fused after the factory test.}
  - {id: C-4, title: Audit log, category: event_logging}
views:
  - {id: V1, kind: global_system, name: GSV, elements: [E1], threats: [T-1, T-2], controls: [C-1, C-2, C-3, C-4]}
"""


@pytest.fixture
def model() -> Model:
    return Model.model_validate(yaml.safe_load(MODEL))


def test_a_control_only_a_left_out_threat_relied_on_goes_with_it(model: Model) -> None:
    public, log = redact(model, Policy(drop_items=["T-2"]))
    ids = {c.id for c in public.controls}
    assert "C-3" not in ids  # only T-2 relied on it
    assert {"C-1", "C-2", "C-4"} <= ids  # shared with a kept threat, or relied on by none: kept
    assert "C-3" in log.dropped
    assert any(e.item == "C-3" and e.rule.startswith("cascade:") for e in log.entries)
    secrets = {e.removed for e in log.entries if e.secret and e.removed}
    assert "The JTAG header on the main board is fused after the factory test." in secrets  # a needle
    view = public.views[0]
    assert view.controls == ["C-1", "C-2", "C-4"]
    assert "1 control" in view.description


def test_only_the_left_out_threats_own_controls_go(model: Model) -> None:
    public, log = redact(model, Policy(drop_items=["T-1"]))
    assert {c.id for c in public.controls} == {"C-1", "C-2", "C-3", "C-4"} - {"C-1"}
    public, log = redact(model, Policy(drop_items=[]))
    assert len(public.controls) == 4 and not log.dropped


EXPOSURE = CORPUS / "markdown-real" / "exposure-notifications-risks-and-mitigations.md"


@pytest.mark.skipif(not EXPOSURE.is_file(), reason="corpus not present")
def test_corpus_withheld_threat_takes_its_own_mitigation_along(tmp_path: Path) -> None:
    """Exposure Notifications FAQ: T-1's only mitigation M-1 was published with its whole text."""
    project = tmp_path / "en"
    project.mkdir()
    shutil.copy(EXPOSURE, project / EXPOSURE.name)
    (project / "policy.yaml").write_text(yaml.safe_dump({"drop_items": ["T-1"]}), encoding="utf-8")
    (project / "mdptm.yaml").write_text(
        yaml.safe_dump(
            {
                "sources": [EXPOSURE.name],
                "redaction": "policy.yaml",
                "product": {"name": "EN", "manufacturer": "Maker"},
                "document": {"version": "1.0"},
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = build(project, out, draft=True)
    assert result.exit_code == 0, result.warnings
    control = next(c for c in result.model.controls if c.id == "M-1")
    assert [t.id for t in result.model.threats if "M-1" in t.controls] == ["T-1"]
    text = package_text(out)
    words = control.description.split()
    assert len(words) > 12
    assert not holds(text, " ".join(words[:10]))
    assert not holds(text, " ".join(words[-10:]))
