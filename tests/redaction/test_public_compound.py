"""A left-out item named like a line the package prints for a public item ("Patient Records (PHI)", the
withheld exit point of a real Markdown threat model, beside the public asset "Patient Records" of kind PHI)
must not block the package: the leak scan does not count text the public model itself publishes for another
item. Its distinctive description is still a needle: written into a guide, the scan finds it."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from mdptm.model import Model
from mdptm.pipeline.build import build
from mdptm.redaction.corpus import public_compound
from mdptm.redaction.leakscan import needle_key, scan
from mdptm.redaction.policy import Policy
from mdptm.redaction.redact import redact
from tests.pipeline.redteam_projects import MODEL, project, where_found

EXIT_SECRET = "Exported nightly to the Kestrel relay on port 2222 without TLS."


def _model(*, exit_description: str = EXIT_SECRET, exit_name: str = "Patient Records (PHI)") -> dict[str, object]:
    data = copy.deepcopy(MODEL)
    elements = data["elements"]
    assert isinstance(elements, list)
    elements.append({"id": "E3", "name": "Records database", "kind": "data_store", "trust_zone": "TZ1"})
    data["assets"] = [
        {"id": "A1", "name": "Patient Records", "kind": "phi", "stored_in": ["E3"]},
        {"id": "EX2", "name": exit_name, "kind": "phi", "sensitivity": "confidential", "description": exit_description},
    ]
    return data


def test_public_compound_needs_every_part_whole() -> None:
    public = {"patient records", "phi", "records database"}
    assert public_compound("patient records (phi)", public)
    assert public_compound("patient records; phi", public)
    assert not public_compound("patient records", public)  # one part: the whole-string check decides
    assert not public_compound("patient records (kestrel)", public)
    assert not public_compound("patient (phi)", public)  # a piece of a public name is no whole string
    assert not public_compound("debug uart (phi)", public)


def test_the_compound_name_is_no_needle_and_the_description_is() -> None:
    _public, log = redact(Model.model_validate(_model()), Policy(drop=["confidential"]))
    keys = {needle_key(n) for n in log.needles()}
    assert needle_key("Patient Records (PHI)") not in keys
    assert needle_key(EXIT_SECRET) in keys


def test_a_distinctive_name_stays_a_needle() -> None:
    _public, log = redact(Model.model_validate(_model(exit_name="Kestrel relay export (PHI)")), Policy(drop=["confidential"]))
    assert "Kestrel relay export (PHI)" in log.needles()


def test_the_package_builds_with_the_public_line(tmp_path: Path) -> None:
    root = project(tmp_path / "p", model=_model())
    out = tmp_path / "out"
    result = build(root, out)
    assert result.exit_code == 0, result.warnings
    # the decommissioning guide prints the public asset's line, which reads like the withheld name
    assert where_found(out, "Patient Records (PHI)")
    assert not where_found(out, EXIT_SECRET)


def test_the_withheld_description_planted_in_the_guide_is_caught(tmp_path: Path) -> None:
    root = project(tmp_path / "p", model=_model())
    out = tmp_path / "out"
    assert build(root, out).exit_code == 0
    log = json.loads((tmp_path / "out.internal" / "redaction-log.json").read_text(encoding="utf-8"))
    needles = [*log["terms"], *(e["removed"] for e in log["entries"] if e["secret"] and e["removed"])]
    assert scan(out, needles) == []
    guide = out / "guides" / "decommissioning.md"
    guide.write_text(guide.read_text(encoding="utf-8") + f"\n{EXIT_SECRET}\n", encoding="utf-8")
    assert {(h.file, h.needle) for h in scan(out, needles)} == {("guides/decommissioning.md", EXIT_SECRET)}
