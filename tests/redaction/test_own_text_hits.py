"""A policy that matches text mdptm itself writes (the MC2 citation "... v2 November 2025" against the
pattern \\bv2\\b) can never pass the leak scan: the message says so, names the package file and the place in
mdptm's own data, and the build exits 2 (the policy is bad input), with the finding in review.json."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from mdptm.errors import ExitCode
from mdptm.model import Model
from mdptm.pipeline.build import build
from mdptm.redaction.corpus import explain_own_text
from mdptm.redaction.leakscan import LeakError, scan
from mdptm.redaction.redact import Policy, Scrubber, output_detector, redact

MODEL = """\
schema: mdptm/1
product: {name: Acme Monitor, manufacturer: Acme Medical, version: "1.0"}
document: {version: "1.0", date: "2026-01-01"}
elements:
  - {id: E-MON, name: Monitor, kind: device, description: "Runs firmware v2 of the monitor."}
  - {id: E-GW, name: Gateway, kind: software}
flows:
  - {id: F-1, source: E-MON, target: E-GW, name: Vitals, protocol: HL7}
threats:
  - {id: T-1, title: Vitals tampering, stride: [tampering], targets: [F-1], status: mitigated, controls: [C-1]}
controls:
  - {id: C-1, title: Message signing, category: integrity, status: implemented}
"""


def test_a_hit_in_mdptms_own_text_names_its_place(tmp_path: Path) -> None:
    policy = Policy(patterns=[r"\bv2\b"])
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "own.html").write_text("<p>Model Contract-Language (MC2), v1 March 2022, <b>v2</b> November 2025</p>", encoding="utf-8")
    (pkg / "leak.md").write_text("The pump runs firmware v2 on the gateway.", encoding="utf-8")
    model = Model.model_validate(yaml.safe_load(MODEL))
    public, _log = redact(model, policy)
    hits = scan(pkg, [], detect=output_detector(policy, model, public))
    assert {h.file for h in hits} == {"own.html", "leak.md"}
    explained = {h.file: h for h in explain_own_text(hits, pkg, Scrubber(policy))}
    assert explained["leak.md"].own is None  # a word mdptm also uses, but not mdptm's sentence: a leak
    own = explained["own.html"].describe()
    assert "mappings/mc2.yaml line" in own and "pattern '\\bv2\\b'" in own and "own.html" in own, own
    assert LeakError([explained["own.html"]]).exit_code == ExitCode.INPUT
    mixed = LeakError(sorted(explained.values(), key=lambda h: h.file))
    assert mixed.exit_code == ExitCode.BLOCKED and str(mixed).startswith("redaction leak:")


def test_a_build_whose_pattern_matches_the_mc2_citation_exits_2_and_says_why(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "model.yaml").write_text(MODEL, encoding="utf-8")
    (project / "policy.yaml").write_text("patterns: ['\\bv2\\b']\n", encoding="utf-8")
    (project / "mdptm.yaml").write_text("sources: [model.yaml]\nredaction: policy.yaml\nframeworks: [mc2]\n", encoding="utf-8")
    result = build(project, tmp_path / "out", draft=True)
    assert result.exit_code == ExitCode.INPUT, result.warnings
    assert not (tmp_path / "out").exists()
    (message,) = [w for w in result.warnings if "itself writes" in w]
    assert "mappings/mc2.yaml line" in message and "change the policy" in message, message
    review = json.loads((tmp_path / "out.internal" / "review.json").read_text(encoding="utf-8"))
    leaks = [f["message"] for f in review["findings"] if f["check"] == "leak"]
    assert leaks and all("text mdptm itself writes" in m and "mappings/mc2.yaml line" in m for m in leaks), leaks
    assert "firmware v2" not in (tmp_path / "out.internal" / "review.json").read_text(encoding="utf-8")


def test_a_policy_term_in_mdptms_own_text_is_named_too(tmp_path: Path) -> None:
    policy = Policy(terms=["Medtech Cybersecurity"])
    (tmp_path / "own.md").write_text("Model Contract-Language for Medtech Cybersecurity (MC2), v1 March 2022", encoding="utf-8")
    hits = scan(tmp_path, policy.terms)
    (hit,) = explain_own_text(hits, tmp_path, Scrubber(policy))
    assert hit.own is not None and "a policy term matches mdptm's own" in hit.own and " line " in hit.own, hit.own
