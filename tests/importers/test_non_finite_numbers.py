"""Numbers JSON cannot write: NaN, infinity and a float that overflows to it.

A register's CVSS score cell 'NaN' (or 'inf', '1e999') was read as the float, and ptm.json held
``"cvss_score": NaN``, which no strict JSON parser reads; a native model's ``.inf`` likewise. A risk cell
of 400 nines made the importer fail ('OverflowError: cannot convert float infinity to integer')."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.importers.import_helpers import checked_import
from tests.test_cli_foundation import MODEL, run


def _strict_json(path: Path) -> Any:
    def refuse(constant: str) -> Any:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(path.read_text(encoding="utf-8"), parse_constant=refuse)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("inf.yaml", MODEL.replace("status: mitigated}", "status: mitigated, cvss_score: .inf}")),
        ("nan.yaml", MODEL.replace("status: mitigated}", "status: mitigated, cvss_score: .nan}")),
        (
            "big.json",
            '{"schema": "mdptm/1", "product": {"name": "P", "manufacturer": "M"}, "document": {"version": "1", '
            '"date": "2026-01-01"}, "threats": [{"id": "T1", "title": "x", "stride": ["spoofing"], "cvss_score": 1e999}]}',
        ),
        (
            "nan.json",
            '{"schema": "mdptm/1", "product": {"name": "P", "manufacturer": "M"}, "document": {"version": "1", '
            '"date": "2026-01-01"}, "threats": [{"id": "T1", "title": "x", "stride": ["spoofing"], "cvss_score": NaN}]}',
        ),
    ],
)
def test_a_native_model_with_a_number_json_cannot_hold_is_refused(
    tmp_path: Path, name: str, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out.json"
    code, _, err = run(["import", str(src), "-o", str(out)], capsys)
    assert code == 2, err
    assert name in err and "/threats/0/cvss_score" in err and "finite" in err
    assert "unexpected" not in err and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize("cell", ["NaN", "inf", "-Infinity", "1e999"])
def test_a_register_cvss_cell_that_is_no_number_is_kept_in_extra_not_published_as_nan(
    tmp_path: Path, cell: str, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "register.csv"
    src.write_text(f"ID,Threat,STRIDE,CVSS score\nT-1,Spoofing of the pump,Spoofing,{cell}\nT-2,Tampering of the pump,Tampering,7.5\n")
    model, report = checked_import(src)
    scores = {t.title: t.cvss_score for t in model.threats}
    assert scores == {"Spoofing of the pump": None, "Tampering of the pump": 7.5}
    assert any(cell in w and "CVSS score" in w for w in (x.message for x in report.warnings))
    out = tmp_path / "model.json"
    code, _, err = run(["import", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    assert [t["cvss_score"] for t in _strict_json(out)["threats"]] == [None, 7.5]


def test_a_risk_cell_of_hundreds_of_digits_is_not_understood_rather_than_a_crash(tmp_path: Path) -> None:
    nines = "9" * 400
    src = tmp_path / "register.csv"
    src.write_text(
        "ID,Threat,STRIDE,Risk\n"
        f"T-1,Spoofing of the pump,Spoofing,{nines}\n"
        f"T-2,Tampering of the pump,Tampering,{nines} x 3\n"
        "T-3,Disclosure of records,Information disclosure,High\n"
    )
    model, report = checked_import(src)
    assert [t.title for t in model.threats] == ["Spoofing of the pump", "Tampering of the pump", "Disclosure of records"]
    assert [t.risk.level if t.risk else None for t in model.threats] == [None, None, "high"]
    assert sum("not understood" in w and "Risk" in w for w in (x.message for x in report.warnings)) == 2
