"""One OTM text written to a file and read by the OTM importer, for the OTM import tests."""

from __future__ import annotations

from pathlib import Path

from mdptm.importers.otm import OtmImporter
from mdptm.model import Model
from mdptm.model.report import ImportReport
from mdptm.plugins import ImportContext


def load_otm(tmp_path: Path, text: str, name: str) -> tuple[Model, ImportReport]:
    """*text* saved as *name* and imported; the model and the finished import report."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    report = ImportReport()
    model = OtmImporter().load(path, ImportContext(report=report))
    return model, report.finish()
