"""A kept item that quotes a sentence of a left-out item's description must not publish it.

A withheld threat's title quoted by a kept control was replaced, but a sentence of its description copied word
for word beside it ("Mitigates the <title> risk. The port was left open by the vendor for field debugging.") or
into an override's justification or an assertion's rationale was published: the review check
``withheld-text-kept`` named it in the internal review, and the leak scan looked for the whole description only.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from mdptm.model import Model
from mdptm.pipeline.build import build
from mdptm.redaction.leakscan import scan
from mdptm.redaction.redact import Policy, redact
from tests.redaction.leak_helpers import holds, package_text

SECRET = "The service port was left open by the vendor for field debugging"
STOCK = "All traffic between the monitor and the gateway is carried over the clinical network"

MODEL = f"""\
schema: mdptm/1
product: {{name: Acme Monitor, manufacturer: Acme Medical, version: "1.0"}}
document: {{version: "1.0", date: "2026-01-01"}}
elements:
  - {{id: E-MON, name: Monitor, kind: device, description: "{STOCK}."}}
  - {{id: E-GW, name: Gateway, kind: software, description: "{STOCK}."}}
flows:
  - {{id: F-1, source: E-MON, target: E-GW, name: Vitals, protocol: HL7, description: "{STOCK}."}}
threats:
  - {{id: T-1, title: Vitals tampering, stride: [tampering], targets: [F-1], status: mitigated, controls: [C-1]}}
  - id: T-099
    title: Glasswing backdoor exploitation in the gateway firmware
    targets: [E-GW]
    sensitivity: confidential
    description: "An attacker loads unsigned firmware. {SECRET}. {STOCK}."
controls:
  - id: C-1
    title: Message signing
    category: integrity
    description: "Mitigates the Glasswing backdoor exploitation in the gateway firmware risk. {SECRET}."
"""


def test_a_copied_sentence_of_a_left_out_description_is_replaced() -> None:
    public, log = redact(Model.model_validate(yaml.safe_load(MODEL)), Policy())
    assert public.controls[0].description == "Mitigates the [redacted] risk. [redacted]."
    assert SECRET in log.needles()


def test_a_sentence_kept_items_share_stays() -> None:
    """Three kept items say the same sentence: it is the model's stock wording, not a quotation."""
    public, log = redact(Model.model_validate(yaml.safe_load(MODEL)), Policy())
    assert public.elements[0].description == f"{STOCK}."
    assert STOCK not in log.needles()


def test_a_sentence_a_kept_item_shares_without_naming_the_left_out_one_stays() -> None:
    """Generated and house-style models repeat sentences across threats and controls: a kept control that says the
    withheld threat's sentence, and names nothing left out, is shared text (the review check names it)."""
    model = yaml.safe_load(MODEL)
    model["controls"][0]["description"] = f"Signed messages. {SECRET}."
    public, log = redact(Model.model_validate(model), Policy())
    assert public.controls[0].description == f"Signed messages. {SECRET}."
    assert SECRET not in log.needles()


def test_a_short_sentence_is_no_term() -> None:
    model = yaml.safe_load(MODEL)
    model["controls"][0]["description"] = "An attacker loads unsigned firmware."  # four words: said by chance
    public, _ = redact(Model.model_validate(model), Policy())
    assert public.controls[0].description == "An attacker loads unsigned firmware."


def test_the_leak_scan_finds_the_sentence(tmp_path: Path) -> None:
    _, log = redact(Model.model_validate(yaml.safe_load(MODEL)), Policy())
    (tmp_path / "footer.md").write_text(f"Note: {SECRET.upper()}.", encoding="utf-8")
    assert scan(tmp_path, log.needles())


def test_a_package_holds_no_copied_sentence(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "model.yaml").write_text(MODEL, encoding="utf-8")
    (project / "mdptm.yaml").write_text(
        "sources: [model.yaml]\n"
        "overrides:\n"
        f"  - {{framework: mc2, clause: supplier_transparency, status: covered, justification: '{SECRET}; fixed in 2.1'}}\n"
        "assertions:\n"
        f"  - {{framework: cra-annex-i, clause: I.2.a, evidence: [C-1], rationale: '{SECRET}, now closed', by: QA, date: '2026-01-02'}}\n",
        encoding="utf-8",
    )
    result = build(project, tmp_path / "out", draft=True)
    assert result.exit_code == 0, result.warnings
    text = package_text(tmp_path / "out")
    assert not holds(text, "left open by the vendor"), "a sentence of the withheld description is published"
    assert not re.search(r"glasswing", text)
    assert holds(text, STOCK)
