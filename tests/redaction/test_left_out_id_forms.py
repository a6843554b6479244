"""A withheld threat's id written another way is still its id, in kept text and in any written file.

``T-099`` left out was published as "see T.099" in a control, "T/099" in a flow's description, "T-99" in a
threat and "Global System View T.099" in a view's name (drawn into the diagram and its alt text): redaction
looked for a dash, an underscore or a space between the parts and for the number as written, and the leak
scan for the id as written alone.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from mdptm.model import Model
from mdptm.pipeline.build import build
from mdptm.redaction.leakscan import scan
from mdptm.redaction.redact import Policy, redact
from tests.redaction.leak_helpers import package_text

MODEL = """\
schema: mdptm/1
product: {name: Acme Monitor, manufacturer: Acme Medical, version: "1.0"}
document: {version: "1.0", date: "2026-01-01"}
elements:
  - {id: E-MON, name: Monitor, kind: device}
  - {id: E-GW, name: Gateway, kind: software, description: "Listens for T/099 requests."}
flows:
  - {id: F-1, source: E-MON, target: E-GW, name: "Vitals (T.099 path)", protocol: HL7}
threats:
  - {id: T-1, title: Vitals tampering, stride: [tampering], targets: [F-1], status: mitigated, controls: [C-1],
     description: "Related to T-99; unlike T-9, T-90, T-990 and T-1."}
  - {id: T-099, title: Gateway service port abuse, targets: [E-GW], sensitivity: confidential}
  - {id: T-9, title: Replay of vitals, stride: [tampering], targets: [F-1], status: open}
  - {id: T-90, title: Flooding the gateway, stride: [denial_of_service], targets: [E-GW], status: open}
  - {id: T-990, title: Monitor reboot, stride: [denial_of_service], targets: [E-MON], status: open}
controls:
  - {id: C-1, title: Message signing, category: integrity, description: "Signed messages; see T.099."}
views:
  - {id: V-1, kind: global_system, name: "Global System View T.099", elements: [E-MON, E-GW], flows: [F-1]}
"""


def _public(model: str = MODEL) -> tuple[Model, list[str]]:
    public, log = redact(Model.model_validate(yaml.safe_load(model)), Policy())
    return public, log.needles()


@pytest.mark.parametrize("written", ["T.099", "T/099", "T-99", "T 099", "T099", "t-0099", "T\u2010099", "T.99", "T\u00b7099", "T:099"])
def test_each_form_of_a_left_out_id_is_replaced(written: str) -> None:
    model = MODEL.replace("see T.099.", f"see {written}.")
    public, _ = _public(model)
    assert public.controls[0].description == "Signed messages; see [redacted].", written


def test_forms_in_names_descriptions_and_views_are_replaced_and_other_ids_stay() -> None:
    public, _ = _public()
    assert public.flows[0].name == "Vitals ([redacted] path)"
    assert public.elements[1].description == "Listens for [redacted] requests."
    assert public.views[0].name == "Global System View [redacted]"
    assert public.threats[0].description == "Related to [redacted]; unlike T-9, T-90, T-990 and T-1."


def test_a_kept_id_numbered_like_a_left_out_one_stays() -> None:
    """A kept ``T-99`` beside a left-out ``T-099`` is another threat: only the number as written is the left-out one."""
    model = MODEL.replace("id: T-90,", "id: T-99,").replace("T-90, T-990", "T-990")
    model = model.replace("Related to T-99;", "Related to T-99 and T-099;")
    public, needles = _public(model)
    assert public.threats[0].description == "Related to T-99 and [redacted]; unlike T-9, T-990 and T-1."
    assert "T-99" not in needles


@pytest.mark.parametrize("written", ["T.099", "T/099", "T-99", "T.99", "see t/99."])
def test_the_leak_scan_finds_each_form_of_a_left_out_id(tmp_path: Path, written: str) -> None:
    _, needles = _public()
    (tmp_path / "page.html").write_text(f"<p>Template footer: {written}</p>", encoding="utf-8")
    assert scan(tmp_path, needles), written


@pytest.mark.parametrize("written", ["T-990", "T-0990", "T.9", "XT-099", "T-0991", "rev T.0991"])
def test_the_leak_scan_leaves_other_numbers_alone(tmp_path: Path, written: str) -> None:
    _, needles = _public()
    (tmp_path / "page.html").write_text(f"<p>{written}</p>", encoding="utf-8")
    assert not scan(tmp_path, needles), written


def test_a_package_holds_no_form_of_a_left_out_id(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "model.yaml").write_text(MODEL, encoding="utf-8")
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\n", encoding="utf-8")
    result = build(project, tmp_path / "out", draft=True)
    assert result.exit_code == 0, result.warnings
    text = package_text(tmp_path / "out")
    assert not re.search(r"(?<![\w.-])t[-./ ]?0*99(?![\w-])", text), "a form of the left-out T-099 is published"
    assert "t-90," in text and "t-990" in text


def test_a_template_naming_a_left_out_id_is_scrubbed_not_published(tmp_path: Path) -> None:
    """A branding template's header "see T/099" is published text too: the id is replaced there as in model text."""
    import docx

    project = tmp_path / "p"
    project.mkdir()
    (project / "model.yaml").write_text(MODEL, encoding="utf-8")
    template = docx.Document()
    template.sections[0].header.paragraphs[0].text = "Acme Medical - see T/099 and T-90"
    template.sections[0].footer.paragraphs[0].text = "Footer T-99"
    template.save(str(project / "brand.docx"))
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\ntemplate: brand.docx\n", encoding="utf-8")
    result = build(project, tmp_path / "out", draft=True)
    assert result.exit_code == 0, result.warnings
    text = package_text(tmp_path / "out")
    assert not re.search(r"(?<![\w.-])t[-./ ]?0*99(?![\w-])", text), "a form of the left-out T-099 is published"
    assert "see [redacted] and t-90" in text
