"""CSV registers: delimiter and encoding sniffed (SPEC §3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.importers.xlsx import decode_text, sniff_delimiter
from tests.importers.import_helpers import reconciles, records_at, run_import, warnings_with

CSV_ROWS = [
    ["ID", "Menace", "STRIDE", "Composant", "Statut"],
    ["T-01", "Usurpation de la pompe – accès réseau", "S", "Pompe", "Mitigated"],
    ["T-02", "Altération de la bibliothèque", "T; I", "Serveur", "Open"],
]


def _write(path: Path, rows: list[list[str]], delim: str, encoding: str) -> Path:
    text = "\r\n".join(delim.join(f'"{c}"' if delim in c else c for c in row) for row in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def test_semicolons_in_cp1252(tmp_path: Path) -> None:
    rows = [
        ["ID", "Threat", "STRIDE", "Component", "Status"],
        ["T-01", "Spoofing of the pump – network access (café Wi-Fi)", "S", "Pump", "Mitigated"],
        ["T-02", "Library tampering", "T; I", "Server", "Open"],
    ]
    path = _write(tmp_path / "register.csv", rows, ";", "cp1252")
    model, report = run_import(path)
    t = {x.id: x for x in model.threats}
    assert t["T-01"].title == "Spoofing of the pump – network access (café Wi-Fi)"
    assert t["T-02"].stride == ["tampering", "information_disclosure"] and t["T-02"].status == "open"
    assert warnings_with(report, "read as cp1252")
    assert records_at(report, "A2")[0].item == "T-01"
    assert t["T-01"].source is not None and t["T-01"].source.locator == "A2"
    assert reconciles(report)


@pytest.mark.parametrize(("delim", "encoding"), [(",", "utf-8-sig"), ("\t", "utf-8"), (";", "utf-8"), ("|", "utf-8")])
def test_delimiters_and_encodings(tmp_path: Path, delim: str, encoding: str) -> None:
    rows = [["Threat ID", "Threat", "STRIDE", "Status"], ["T-1", "Überlauf des Puffers", "T, D", "Accepted"]]
    path = _write(tmp_path / "r.csv", rows, delim, encoding)
    model, report = run_import(path)
    assert [(t.id, t.title, t.stride, t.status) for t in model.threats] == [
        ("T-1", "Überlauf des Puffers", ["tampering", "denial_of_service"], "accepted")
    ]
    assert not warnings_with(report, "read as")


def test_smart_tv_style_register(tmp_path: Path) -> None:
    """rank,id,score,severity,stride,location,...: bars inside STRIDE, semicolons inside mitigations."""
    text = (
        "rank,id,score,severity,stride,location,description,mitigations\n"
        '1,TV-1,9.1,Critical,S|T,Smart TV <-> Update Server,"Update hijack via DNS",Signed updates;Pinned TLS\n'
        "2,TV-2,4.0,Medium,I,Smart TV,Telemetry leak,Opt-in telemetry\n"
    )
    path = tmp_path / "tv.csv"
    path.write_text(text, encoding="utf-8")
    model, report = run_import(path)
    t = {x.id: x for x in model.threats}
    assert t["TV-1"].stride == ["spoofing", "tampering"]
    assert t["TV-1"].risk is not None and t["TV-1"].risk.level == "critical"
    assert len(model.controls) == 2  # no control table anywhere: mitigation texts become controls
    assert reconciles(report)


def test_sniffers() -> None:
    assert sniff_delimiter("a;b;c\n1;2;3\n") == ";"
    assert sniff_delimiter("a,b,c\n1,2,3\n") == ","
    assert sniff_delimiter("a\tb\n1\t2\n") == "\t"
    assert decode_text("é".encode("cp1252"))[1] == "cp1252"
    assert decode_text("\ufeffé".encode())[1] == "utf-8-sig"
    assert decode_text("é".encode())[1] == "utf-8"


def test_french_headers_are_read_as_their_english_words(tmp_path: Path) -> None:
    path = _write(tmp_path / "fr.csv", CSV_ROWS, ",", "utf-8")
    # "Menace", "Composant", "Statut": the threat, its component and its status, as "Threat", "Component", "Status"
    plain, report = run_import(path)
    assert [t.title for t in plain.threats] == ["Usurpation de la pompe – accès réseau", "Altération de la bibliothèque"]
    assert plain.threats[0].targets == ["pompe"] and plain.threats[0].status == "mitigated"
    assert not warnings_with(report, "(the longest texts) read as the description")
    profile = {"synonyms": {"threat.title": ["Menace"], "threat.targets": ["Composant"], "threat.status": ["Statut"]}}
    model, _ = run_import(path, profile=profile)  # a profile naming the same columns reads the same
    assert [t.title for t in model.threats] == ["Usurpation de la pompe – accès réseau", "Altération de la bibliothèque"]
    assert model.threats[0].status == "mitigated"
