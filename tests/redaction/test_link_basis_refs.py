"""The lists that say how a threat's links are stated (controls_grouped, controls_disputed) hold control ids: a
left-out control leaves them, and a re-issued id is re-issued there too, so no public byte names it."""

from __future__ import annotations

import yaml

from mdptm.model import Model
from mdptm.model.validate import validate_model
from mdptm.redaction.redact import Policy, redact

MODEL = """\
schema: mdptm/1
product: {name: Acme Monitor, manufacturer: Acme Medical, version: "1.0"}
document: {version: "1.0", date: "2026-01-01"}
threats:
  - id: T-1
    title: Vitals tampering on the network
    stride: [tampering]
    controls: [C-1, C-GLASSWING]
    controls_grouped: [C-GLASSWING]
    controls_disputed: [C-9]
controls:
  - {id: C-1, title: Message signing, category: integrity}
  - {id: C-GLASSWING, title: Gateway allow-list, category: authorization}
  - {id: C-9, title: Hidden service port lock, category: authorization, sensitivity: confidential}
"""


def test_link_basis_lists_follow_dropped_and_renamed_controls() -> None:
    model = Model.model_validate(yaml.safe_load(MODEL))
    public, log = redact(model, Policy(terms=["Glasswing"]))
    t = public.threats[0]
    assert t.controls_disputed == []  # C-9 is left out
    renamed = log.renamed["C-GLASSWING"]
    assert t.controls_grouped == [renamed] and renamed in t.controls
    dumped = public.model_dump_json()
    assert "C-9" not in dumped and "GLASSWING" not in dumped.upper()
    assert validate_model(public) == []
