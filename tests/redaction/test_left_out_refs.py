"""A kept item that names a left-out one (its id, its title) must not publish it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from mdptm.errors import InputError
from mdptm.model import Model
from mdptm.pipeline.build import build
from mdptm.redaction.redact import Policy, iter_text, redact
from tests.redaction.leak_helpers import holds, package_text

MODEL = """\
schema: mdptm/1
product: {name: Acme Monitor, manufacturer: Acme Medical, version: "1.0"}
document: {version: "1.0", date: "2026-01-01"}
elements:
  - {id: E-MON, name: Monitor, kind: device}
  - {id: E-GW, name: Gateway, kind: software}
flows:
  - {id: F-1, source: E-MON, target: E-GW, name: Vitals, protocol: HL7}
threats:
  - id: T-1
    title: Vitals tampering on the network
    stride: [tampering]
    targets: [F-1]
    status: mitigated
    controls: [C-1]
    description: "See also T-9 (withheld) and t-10; unlike T-90 and T-1."
  - {id: T-9, title: Glasswing backdoor exploitation, targets: [E-GW], sensitivity: confidential}
  - {id: T-10, title: Obsidianwren firmware rollback, targets: [E-MON], sensitivity: internal}
  - {id: T-90, title: Tampering, stride: [tampering], targets: [E-MON], sensitivity: internal}
  - {id: T-2, title: Tampering, stride: [tampering], targets: [E-MON], status: open}
controls:
  - id: C-1
    title: Message signing
    category: integrity
    description: "Mitigates T-9 and T-10 (Glasswing backdoor exploitation; OBSIDIANWREN  firmware rollback)."
"""


def _public() -> tuple[Model, str]:
    model = Model.model_validate(yaml.safe_load(MODEL))
    public, _log = redact(model, Policy(terms=["Glasswing"]))
    return public, "\n".join(text for _, _, text in iter_text(public))


def test_ids_of_left_out_items_are_removed_from_kept_text() -> None:
    public, text = _public()
    for gone in ("T-9", "t-10"):
        assert not re.search(rf"(?<![\w-]){gone}(?![\w-])", text, re.I), gone
    assert "T-1." in text  # a kept id stays, and T-1 is no prefix match of T-10


def test_titles_of_left_out_threats_are_removed_from_kept_text() -> None:
    public, text = _public()
    assert "backdoor exploitation" not in text  # half a title, the other half a policy term
    assert "firmware rollback" not in text.lower()  # any case, any whitespace
    assert "Message signing" in text
    assert [t.title for t in public.threats] == ["Vitals tampering on the network", "Tampering"]  # a label is no secret


def test_a_package_names_no_left_out_threat(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "model.yaml").write_text(MODEL, encoding="utf-8")
    (project / "policy.yaml").write_text("terms: [Glasswing]\n", encoding="utf-8")
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\nredaction: policy.yaml\n", encoding="utf-8")
    result = build(project, tmp_path / "out", draft=True)
    assert result.exit_code == 0, result.warnings
    text = package_text(tmp_path / "out")
    for needle in ("backdoor exploitation", "Obsidianwren", "firmware rollback"):
        assert not holds(text, needle), needle
    assert not re.search(r"(?<![\w-])t-(9|10)(?![\w-])", text), "a left-out threat id is published"


def test_an_override_justification_names_no_left_out_threat() -> None:
    from mdptm.mapping.framework import Override
    from mdptm.redaction.redact import redact_overrides

    model = Model.model_validate(yaml.safe_load(MODEL))
    policy = Policy(terms=["Glasswing"])
    _public, log = redact(model, policy)
    ov = Override(framework="mc2", clause="v2.44", status="covered", justification="Accepted together with T-9; see T-1.")
    (out,) = redact_overrides([ov], model, policy, log)
    assert out.justification == "Accepted together with [redacted]; see T-1."


def test_a_threat_withheld_since_the_previous_version_is_named_by_its_id_alone(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    data = yaml.safe_load(MODEL)
    data["threats"][1]["sensitivity"] = "public"  # T-9 was published in version 1.0 ...
    (project / "model.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    (project / "policy.yaml").write_text("terms: [Zzyzx]\n", encoding="utf-8")
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\nredaction: policy.yaml\n", encoding="utf-8")
    assert build(project, tmp_path / "v1", draft=True).exit_code == 0
    shutil.copytree(tmp_path / "v1", project / "previous")  # the package published before, copied whole
    (project / "model.yaml").write_text(MODEL.replace('version: "1.0"', 'version: "2.0"'), encoding="utf-8")  # ... and is withheld in 2.0
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\nredaction: policy.yaml\nprevious: previous/ptm.json\n", encoding="utf-8")
    result = build(project, tmp_path / "v2", draft=True)
    assert result.exit_code == 0, result.warnings  # the change log no longer repeats the withheld title
    text = package_text(tmp_path / "v2")
    assert not holds(text, "backdoor exploitation")
    assert holds(text, "removed threat t-9")


def test_names_of_left_out_components_are_removed_from_kept_text_unless_still_published() -> None:
    data = yaml.safe_load(MODEL)
    data["elements"] += [
        {"id": "E-DBG", "name": "Zephyrine maintenance backdoor", "kind": "software", "sensitivity": "confidential"},
        {"id": "E-X", "name": "Service laptop", "kind": "device", "sensitivity": "confidential"},
        {"id": "E-Y", "name": "Service laptop", "kind": "device"},  # the same name is still published
    ]
    data["threats"][0]["description"] = "Reached through the Zephyrine maintenance backdoor or a service laptop."
    public, log = redact(Model.model_validate(data), Policy())
    assert public.threats[0].description == "Reached through the [redacted] or a service laptop."
    assert "Zephyrine maintenance backdoor" in log.needles()


def test_a_short_generic_label_of_a_left_out_threat_stays_in_kept_text() -> None:
    data = yaml.safe_load(MODEL)
    data["threats"].append({"id": "T-77", "title": "Default passwords", "targets": ["E-GW"], "sensitivity": "confidential"})
    data["controls"][0]["description"] = "No default passwords: each unit has its own."
    public, _ = redact(Model.model_validate(data), Policy())
    assert public.controls[0].description == "No default passwords: each unit has its own."


def test_a_threat_model_given_as_the_previous_version_is_refused(tmp_path: Path) -> None:
    """``previous:`` names the ptm.json published before: its ids are public already. The imported (internal) model
    given there instead would have made the withheld T-9 a public id, named in the change log as removed."""
    project = tmp_path / "p"
    project.mkdir()
    (project / "model.yaml").write_text(MODEL, encoding="utf-8")
    (project / "policy.yaml").write_text("terms: [Zzyzx]\n", encoding="utf-8")
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\nredaction: policy.yaml\n", encoding="utf-8")
    assert build(project, tmp_path / "v1", draft=True).exit_code == 0
    internal = Model.model_validate(yaml.safe_load(MODEL))
    for _kind, item in internal.items():
        item.notes = "internal"  # as every imported model has: sources, notes, extra columns
    (project / "previous.json").write_text(internal.model_dump_json(), encoding="utf-8")
    (project / "model.yaml").write_text(MODEL.replace('version: "1.0"', 'version: "2.0"'), encoding="utf-8")
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\nredaction: policy.yaml\nprevious: previous.json\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"not a published PTM: E-MON has notes") as err:
        build(project, tmp_path / "v2", draft=True)
    assert err.value.file is not None and err.value.file.endswith("previous.json")
    assert err.value.locator == "/elements/0/notes"
    assert not (tmp_path / "v2").exists() and not (tmp_path / "v2.internal").exists()
    # the package published before is accepted
    (project / "mdptm.yaml").write_text(f"sources: [model.yaml]\nredaction: policy.yaml\nprevious: {tmp_path / 'v1' / 'ptm.json'}\n")
    assert build(project, tmp_path / "v2", draft=True).exit_code == 0
