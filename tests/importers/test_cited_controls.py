"""A threat register's mitigation cell that cites the controls doing it ("Out-of-band pairing with passkey
(SR-03)") links the threat to those controls; no new control is made of its words, which stay with the threat.
Before, each such cell became a control of its own (C-5 "… (SR-03)"), beside the requirement SR-03 it cites."""

from __future__ import annotations

from pathlib import Path

from tests.importers.import_helpers import load_text, warning_messages

DOC = """# Risk report

## Threat Analysis

| Threat ID | Threat | STRIDE | Mitigation |
|---|---|---|---|
| TH-01 | Rogue phone pairs with the sensor | S | Out-of-band pairing with passkey (SR-03) |
| TH-02 | Bulk export through the clinic API | I | OAuth2 scopes per clinic; rate limiting (SR-08, SR-09) |
| TH-03 | Readings altered before upload | T | Signed readings (see the design, ch. 4) |
| TH-04 | Replay of readings | T | Sequence numbers (SR-03, SR-99) |

## Security Requirements

| Req ID | Requirement | Verification |
|---|---|---|
| SR-03 | Pairing shall require a passkey | TC-101 |
| SR-08 | API access shall be limited to the clinic's own patients | TC-201 |
| SR-09 | API shall limit exports to 1000 records per hour | TC-202 |
"""


def test_a_mitigation_citing_controls_links_them(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, DOC)
    links = {t.id: t.controls for t in model.threats}
    assert links["TH-01"] == ["SR-03"]
    assert links["TH-02"] == ["SR-08", "SR-09"]
    threats = {t.id: t for t in model.threats}
    assert threats["TH-02"].extra["Mitigation"] == "OAuth2 scopes per clinic; rate limiting (SR-08, SR-09)"
    assert any("TH-02: mitigation" in w and "cites SR-08, SR-09: linked to them" in w for w in warning_messages(report))


def test_a_bracket_that_is_not_all_known_ids_cites_nothing(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, DOC)
    controls = {c.id: c for c in model.controls}
    by_threat = {t.id: t.controls for t in model.threats}
    # "(see the design, ch. 4)" names no control; "(SR-03, SR-99)" names one that is nowhere: each a control of its own
    for tid, words in (("TH-03", "Signed readings"), ("TH-04", "Sequence numbers")):
        assert len(by_threat[tid]) == 1 and controls[by_threat[tid][0]].title.startswith(words)
    assert sorted(controls) == sorted(["SR-03", "SR-08", "SR-09", by_threat["TH-03"][0], by_threat["TH-04"][0]])
