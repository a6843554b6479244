"""A control table's generic "Type" column of another scheme's kinds (Technical, Administrative) names no FDA
control category: one note for the column, the categories taken from the titles; it was a warning on every row."""

from __future__ import annotations

from pathlib import Path

from tests.importers.import_helpers import load_text, warning_messages

DOC = (
    "## Controls\n\n| Control ID | Control Description | Type |\n|---|---|---|\n"
    "| CTL-01 | Waveform data encrypted with TLS 1.2 | Technical |\n"
    "| CTL-02 | Signed firmware verified by the bootloader | Technical |\n"
    "| CTL-03 | Staff trained on the service procedure | Administrative |\n"
)


def test_a_type_column_of_no_categories_is_one_note(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, DOC)
    warnings = warning_messages(report)
    assert sum("'Type'" in w for w in warnings) == 1
    assert any("column 'Type' holds no control categories" in w for w in warnings)
    controls = {c.id: c for c in model.controls}
    assert controls["CTL-01"].extra["Type"] == "Technical"
    assert controls["CTL-02"].category == "integrity"


def test_a_type_column_of_categories_is_still_read(tmp_path: Path) -> None:
    text = DOC.replace("| Technical |", "| Cryptography |", 1).replace("| Technical |", "| Integrity |", 1)
    text = text.replace("| Administrative |", "| Other |")
    model, _report = load_text(tmp_path, text)
    assert [c.category for c in model.controls] == ["cryptography", "integrity", "other"]
