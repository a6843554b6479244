"""Review findings for CI: SARIF 2.1.0 (code-scanning dashboards) and JUnit XML (test-report views).

Both are written from the same :class:`~mdptm.model.results.Review` as the text and JSON forms. A finding's
items are located where the model says they came from (``source.file`` and its locator: sheet and row,
table and row), so a dashboard points the author at the cell to fix; items with no known source are
named as logical locations only.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from mdptm import __version__
from mdptm.base.output import json_text
from mdptm.model import Flow, Item, Model, Source
from mdptm.model.results import Finding, Review

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVEL = {"blocker": "error", "warning": "warning", "info": "note"}


def _origin(item: Item) -> Source | None:
    return item.provenance if isinstance(item, Flow) else item.source


def _locations(finding: Finding, index: dict[str, Item], model_uri: str | None) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for item_id in finding.items:
        item = index.get(item_id)
        logical = {"name": item_id, "kind": "object"}
        origin = _origin(item) if item is not None else None
        if origin is not None and origin.locator:
            logical["fullyQualifiedName"] = origin.locator
        loc: dict[str, object] = {"logicalLocations": [logical]}
        uri = origin.file if origin is not None and origin.file else model_uri
        if uri:
            loc["physicalLocation"] = {"artifactLocation": {"uri": uri.replace("\\", "/")}}
        out.append(loc)
    if not out and model_uri:
        out.append({"physicalLocation": {"artifactLocation": {"uri": model_uri.replace("\\", "/")}}})
    return out


def to_sarif(review: Review, model: Model, checks: dict[str, str], model_uri: str | None = None) -> dict[str, object]:
    """One SARIF run: a rule per installed check (*checks*: id → description), a result per finding."""
    rule_ids = sorted(set(checks) | {f.check for f in review.findings})
    rules = []
    for rid in rule_ids:
        rule: dict[str, object] = {"id": rid, "name": rid}
        desc = checks.get(rid, "")
        if desc:
            rule["shortDescription"] = {"text": desc}
        rules.append(rule)
    index = model.index()
    results = []
    for f in review.findings:
        result: dict[str, object] = {
            "ruleId": f.check,
            "ruleIndex": rule_ids.index(f.check),
            "level": SARIF_LEVEL.get(f.severity, "note"),
            "message": {"text": f.message},
            "properties": {"severity": f.severity, "items": list(f.items)},
        }
        locations = _locations(f, index, model_uri)
        if locations:
            result["locations"] = locations
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "mdptm", "version": __version__, "rules": rules}},
                "results": results,
            }
        ],
    }


def sarif_text(review: Review, model: Model, checks: dict[str, str], model_uri: str | None = None) -> str:
    return json_text(to_sarif(review, model, checks, model_uri))


def junit_text(review: Review, checks: dict[str, str]) -> str:
    """One test case per check: a blocker is a failure; warnings and infos are the case's output."""
    by_check: dict[str, list[Finding]] = {}
    for f in review.findings:
        by_check.setdefault(f.check, []).append(f)
    names = sorted(set(checks) | set(by_check))
    failures = sum(1 for n in names if any(f.severity == "blocker" for f in by_check.get(n, [])))
    suites = ET.Element("testsuites", name="mdptm review", tests=str(len(names)), failures=str(failures), errors="0")
    suite = ET.SubElement(suites, "testsuite", name="mdptm review", tests=str(len(names)), failures=str(failures), errors="0", skipped="0")
    for name in names:
        case = ET.SubElement(suite, "testcase", classname="mdptm.review.engine", name=name)
        found = by_check.get(name, [])
        blockers = [f for f in found if f.severity == "blocker"]
        if blockers:
            fail = ET.SubElement(case, "failure", message=blockers[0].message, type="blocker")
            fail.text = "\n".join(_line(f) for f in blockers)
        others = [f for f in found if f.severity != "blocker"]
        if others:
            ET.SubElement(case, "system-out").text = "\n".join(_line(f) for f in others)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _line(f: Finding) -> str:
    items = f" [{', '.join(f.items)}]" if f.items else ""
    return f"{f.severity.upper()} {f.message}{items}"
