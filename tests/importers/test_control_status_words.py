"""A register's control status says what the maker decided: a backlog item, one under review or 'Geplant' is
planned, 'Umgesetzt' is implemented, 'Abgelehnt' is not. Read as 'status not stated' they were counted as listed
mitigations (implemented, to confirm) by the mapping."""

from __future__ import annotations

from pathlib import Path

from tests.importers.import_helpers import load_text

REGISTER = """Control ID,Control,Category,Status
C-1,TLS 1.3 on all interfaces,Cryptography,Backlog
C-2,Audit log,Logging,Under review
C-3,Backup,Resiliency,Geplant
C-4,Encryption at rest,Cryptography,Umgesetzt
C-5,Data minimisation,Other,Abgelehnt
C-6,Pinning,Cryptography,Prévu
C-7,Secure boot,Integrity,Mis en œuvre
C-8,Account lockout,Authentication,Accepted
"""


def test_planned_and_foreign_statuses_are_read(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, REGISTER, "controls.csv")
    status = {c.id: (c.status, c.status_stated) for c in model.controls}
    assert status == {
        "C-1": ("planned", True),
        "C-2": ("planned", True),
        "C-3": ("planned", True),
        "C-4": ("implemented", True),
        "C-5": ("not_implemented", True),
        "C-6": ("planned", True),
        "C-7": ("implemented", True),
        "C-8": ("not_implemented", True),  # 'Accepted': the risk is accepted, no control is in place (kept in extra)
    }
    assert next(c for c in model.controls if c.id == "C-8").extra["Status"] == "Accepted"
    assert [w.message for w in report.warnings if "not understood" in w.message] == []


THREATS = """ID,Bedrohung,Status
T-1,Manipulation der Dosis,Offen
T-2,Replay eines Bolusbefehls,Mitigiert
T-3,Abhören der Serviceschnittstelle,Akzeptiert
T-4,Ausfall der Cloud,Teilweise mitigiert
T-5,Usurpation du serveur,Atténué
T-6,Déni de service,Ouvert
"""


def test_german_and_french_threat_statuses_are_read(tmp_path: Path) -> None:
    model, _ = load_text(tmp_path, THREATS, "threats.csv")
    assert [(t.status, t.status_stated) for t in model.threats] == [
        ("open", True),
        ("mitigated", True),
        ("accepted", True),
        ("partially_mitigated", True),
        ("mitigated", True),
        ("open", True),
    ]
