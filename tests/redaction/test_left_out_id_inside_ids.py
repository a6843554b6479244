"""A left-out item's id must not reach the package inside a kept item's id ("TM7-131-M1" of the dropped
threat TM7-131), in a reference to it, or anywhere else: such an id is re-issued, and the scan looks for
left-out ids standing alone."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from mdptm.model import Model
from mdptm.pipeline.build import build
from mdptm.redaction.leakscan import IdNeedle, LiteralMatcher, scan
from mdptm.redaction.redact import Policy, iter_text, redact, redact_overrides
from tests.redaction.leak_helpers import package_text

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
  - id: TM7-131
    title: Key vault objects deleted for good
    targets: [E-GW]
    controls: [TM7-131-M1]
  - id: TM7-1310
    title: Vitals tampering on the network
    stride: [tampering]
    targets: [F-1]
    status: mitigated
    controls: [TM7-131-M1, TM7-1310-M1]
    description: "Mitigated by TM7-131-M1 and TM7-1310-M1."
controls:
  - {id: TM7-131-M1, title: Soft delete of vault objects, category: integrity, status: implemented}
  - {id: TM7-1310-M1, title: Message signing, category: integrity, status: implemented}
"""
POLICY = Policy(drop_items=["TM7-131"])
GONE = re.compile(r"(?<![^\W_])tm7[-_ ]131(?![^\W_])", re.I)


def _model() -> Model:
    return Model.model_validate(yaml.safe_load(MODEL))


def test_a_kept_id_holding_a_left_out_id_is_reissued_everywhere() -> None:
    public, log = redact(_model(), POLICY)
    ids = [item.id for _, item in public.items()]
    assert "redacted-control-1" in ids and "TM7-1310" in ids and "TM7-1310-M1" in ids  # TM7-1310 holds no TM7-131
    assert not [i for i in ids if GONE.search(i)]
    (threat,) = public.threats
    assert threat.controls == ["redacted-control-1", "TM7-1310-M1"]  # the reference follows the new id
    assert threat.description == "Mitigated by redacted-control-1 and TM7-1310-M1."
    text = "\n".join(t for _, _, t in iter_text(public))
    assert not GONE.search(text)
    assert log.renamed == {"TM7-131-M1": "redacted-control-1"}
    again, _ = redact(_model(), POLICY)  # deterministic
    assert again.model_dump() == public.model_dump()


def test_left_out_and_renamed_ids_are_needles_found_standing_alone(tmp_path: Path) -> None:
    _public, log = redact(_model(), POLICY)
    needles = log.needles()
    assert IdNeedle("TM7-131") in needles and "TM7-131-M1" in needles
    assert all(isinstance(n, IdNeedle) for n in needles if n in ("TM7-131", "TM7-131-M1"))
    (tmp_path / "ok.html").write_text("<a href='#TM7-1310'>TM7-1310</a> ATM7-131 TM7-1310-M1", encoding="utf-8")
    assert scan(tmp_path, needles) == []
    for leak in ('<a id="tm7-131-m2">', "see TM7_131.", "TM7-131-M1"):
        (tmp_path / "leak.json").write_text(leak, encoding="utf-8")
        assert {h.file for h in scan(tmp_path, needles)} == {"leak.json"}, leak
    m = LiteralMatcher([IdNeedle("TM7-131"), "Kestrel"])
    assert m.found("tm7 131 m1 xkestrelx") == {"TM7-131", "Kestrel"}  # an ordinary needle still inside words


def test_short_ids_and_ids_a_previous_version_published_are_no_needles() -> None:
    data = yaml.safe_load(MODEL)
    data["threats"][0]["id"] = "T-3"
    data["threats"][0]["controls"] = []
    _public, log = redact(Model.model_validate(data), Policy(drop_items=["T-3"]))
    assert "T-3" not in log.needles()  # a cell reference or a word would hold it by chance
    data["threats"][0]["id"] = "C1001"
    _public, log = redact(Model.model_validate(data), Policy(drop_items=["C1001"]))
    assert "C1001" in log.dropped and "C1001" not in log.needles()  # a workbook of 1 000 rows has the cell C1001
    _public, log = redact(_model(), POLICY)
    assert "TM7-131" not in log.needles(["TM7-131"])


def test_an_override_names_the_reissued_id() -> None:
    from mdptm.mapping.framework import Override

    model = _model()
    _public, log = redact(model, POLICY)
    ov = Override(framework="mc2", clause="v2.44", status="covered", justification="See TM7-131-M1; not TM7-131.")
    (out,) = redact_overrides([ov], model, POLICY, log)
    assert out.justification == "See redacted-control-1; not [redacted]."


def test_the_corpus_tm7_built_without_threat_tm7_131_names_it_nowhere(corpus: Path, tmp_path: Path) -> None:
    source = corpus / "tm7" / "ecobee-monitor-iot.tm7"
    if not source.is_file():
        pytest.skip("ecobee-monitor-iot.tm7 is not in the corpus")
    project = tmp_path / "p"
    project.mkdir()
    shutil.copy(source, project / source.name)
    (project / "policy.yaml").write_text("drop_items: [TM7-131]\n", encoding="utf-8")
    (project / "mdptm.yaml").write_text(
        f"sources: [{source.name}]\nredaction: policy.yaml\n"
        "product: {name: Ecobee Monitor, manufacturer: Example Devices}\ndocument: {version: '1.0'}\n",
        encoding="utf-8",
    )
    result = build(project, tmp_path / "out", draft=True)
    assert result.exit_code == 0, result.warnings
    text = package_text(tmp_path / "out")
    assert "tm7-130" in text  # the neighbour is published
    assert not GONE.search(text)


def test_a_left_out_section_number_is_no_id_to_look_for() -> None:
    data = yaml.safe_load(MODEL)
    data["elements"] += [
        {"id": "1.2", "name": "Kestrelwing relay", "kind": "software"},
        {"id": "1.2.1", "name": "Relay log", "kind": "software"},
    ]
    data["threats"][1]["description"] = "Mitigated by TLS 1.2 on the 1.2.1 link."
    public, log = redact(Model.model_validate(data), Policy(drop_items=["TM7-131", "1.2"]))
    assert public.threats[0].description == "Mitigated by TLS 1.2 on the 1.2.1 link."  # a version is no left-out id
    assert "1.2.1" in {e.id for e in public.elements} and "1.2.1" not in log.renamed


def test_ids_sharing_their_first_characters_are_found_whole() -> None:
    """Ids are numbered (THR-000001, THR-000026 ...): anchored by their first characters, every id of the
    package would be compared with every left-out one (a 10 000-threat package with 420 left out took 22 s
    to scan instead of 14); the automaton holds each id whole."""
    ids = [IdNeedle(f"THR-{i:06d}") for i in range(1, 10001, 25)]
    m = LiteralMatcher(ids)
    if m._automaton is None:
        pytest.skip("pyahocorasick is not installed")
    assert m._automaton.exists("thr 000026") and not m._automaton.exists("thr 000")
    text = " ".join(f"THR-{i:06d}" for i in range(2, 10001, 25)) + " THR-000026-M1"
    assert m.found(text) == {"THR-000026"}
