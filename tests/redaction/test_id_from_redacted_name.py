"""An id an importer made from a name shows what redaction removes from that name.

The importers' slug keeps ASCII letters only: a Threat Modeling Tool element "Pump Nıghtjar server" (a dotless i)
got the id ``pump-nghtjar-server``. Redaction removed the term from the name (the dotless i reads as i), but the
id is not the term, so it was published as it was, in ptm.json, the workbook and the OTM file: the code name less
one letter."""

from __future__ import annotations

import json

import pytest
import yaml

from mdptm.base.text import slug
from mdptm.model import Model
from mdptm.redaction.redact import Policy, redact
from tests.redaction.test_left_out_refs import MODEL


@pytest.mark.parametrize("name", ["Pump Nıghtjar server", "Pump Nightjаr server", "Pump Nighʇjar server"])
def test_an_id_made_from_a_redacted_name_is_renamed(name: str) -> None:
    data = yaml.safe_load(MODEL)
    made = slug(name)
    assert "nightjar" not in made  # the slug drops (or keeps as ASCII) a letter the normaliser reads
    data["elements"].append({"id": made, "name": name, "kind": "software"})
    data["threats"][0]["targets"] = [*data["threats"][0].get("targets", []), made]
    public, log = redact(Model.model_validate(data), Policy(terms=["Nightjar"]))
    text = json.dumps(public.model_dump(mode="json")).lower()
    assert made not in text
    new = log.renamed[made]
    assert new.startswith("redacted-element-")
    assert new in public.threats[0].targets
    assert made in log.needles()  # the old id is looked for by the leak scan too


def test_an_id_that_shows_nothing_of_the_removed_words_is_kept() -> None:
    data = yaml.safe_load(MODEL)
    data["elements"].append({"id": "E-SRV", "name": "Pump Nightjar server", "kind": "software"})
    public, log = redact(Model.model_validate(data), Policy(terms=["Nightjar"]))
    assert "E-SRV" in {e.id for e in public.elements} and "E-SRV" not in log.renamed
