"""The package's OTM file embeds the data ptm.json was written from: the same bytes as a fresh export."""

from __future__ import annotations

import json
from pathlib import Path

from mdptm.exporters.otm import OtmExporter, write_otm
from mdptm.model.io import load
from mdptm.pipeline.publish import _stripped, public_data
from mdptm.plugins import ExportContext
from mdptm.redaction.redact import public_view

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "infusion-pump" / "model.yaml"


def test_otm_from_the_dumped_data_is_the_plain_export(tmp_path: Path) -> None:
    model = public_view(load(SAMPLE))  # stripped, as the pipeline's public model (the case publish reuses the data in)
    assert _stripped(model)
    OtmExporter().write(model, tmp_path / "plain.otm.json", ExportContext())
    data = public_data(model)
    write_otm(model, tmp_path / "reused.otm.json", data=data)
    assert (tmp_path / "reused.otm.json").read_bytes() == (tmp_path / "plain.otm.json").read_bytes()
    embedded = json.loads((tmp_path / "reused.otm.json").read_text(encoding="utf-8"))["project"]["attributes"]["mdptm.model"]
    for collection in ("threats", "controls", "elements", "flows"):
        for item in embedded[collection]:
            assert not {"notes", "extra", "provenance"} & set(item)
            assert collection == "flows" or "source" not in item
