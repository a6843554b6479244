"""Threats and controls as one CSV (``mdptm export --format csv``), for Jira or Azure DevOps import.

One row per threat and per control, told apart by ``Issue Type`` (Jira's CSV importer and Azure
DevOps' ``Work Item Type`` both key on such a column), links written as ids both ways. Cells that a
spreadsheet would run as a formula are quoted with a leading apostrophe (CSV injection), and rows are
written in model order with ``\\r\\n`` endings, as RFC 4180 asks, so two exports of one model are equal.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from mdptm.model import Control, Model, Risk, Threat
from mdptm.model.evidence import responsibility_shown, status_text
from mdptm.plugins import ExportContext, Exporter

COLUMNS = (
    "Issue Type",
    "ID",
    "Summary",
    "Description",
    "Status",
    "Priority",
    "Risk",
    "Residual risk",
    "STRIDE",
    "Targets",
    "Assets",
    "Controls",
    "Mitigates",
    "Category",
    "Responsibility",
    "Verification",
    "Patient harm",
    "CVSS",
    "CWE",
    "CAPEC",
    "Labels",
)

# Jira's default priorities; a threat without a risk level gets none rather than a guess.
PRIORITY = {"critical": "Highest", "high": "High", "medium": "Medium", "low": "Low"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """Neutralise formula injection: text a spreadsheet would evaluate is kept as text."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _join(values: list[str]) -> str:
    return "; ".join(values)


def _words(status: str) -> str:
    """A threat's status as the model stores it, but "status not stated" in words: "open" would be mdptm's
    reading written as the device maker's."""
    return "status not stated" if status == "status_not_stated" else status


def _risk(risk: Risk | None) -> str:
    if risk is None:
        return ""
    if risk.level:
        return risk.level
    parts = [p for p in (risk.likelihood, risk.severity) if p]
    return " x ".join(parts)


def _threat_row(t: Threat) -> dict[str, str]:
    level = t.risk.level if t.risk is not None else None
    return {
        "Issue Type": "Threat",
        "ID": t.id,
        "Summary": t.title,
        "Description": t.description,
        "Status": _words(t.stated_status()),
        "Priority": PRIORITY.get(level or "", ""),
        "Risk": _risk(t.risk),
        "Residual risk": _risk(t.residual_risk),
        "STRIDE": _join(list(t.stride)),
        "Targets": _join(t.targets),
        "Assets": _join(t.assets),
        "Controls": _join(t.controls),
        "Patient harm": t.patient_harm or "",
        "CVSS": t.cvss or "",
        "CWE": _join(t.cwe),
        "CAPEC": _join(t.capec),
        "Labels": _join(t.tags),
    }


def _control_row(c: Control, threats: list[str]) -> dict[str, str]:
    return {
        "Issue Type": "Control",
        "ID": c.id,
        "Summary": c.title,
        "Description": c.description,
        "Status": status_text(c, str),
        "Mitigates": _join(threats),
        "Category": c.category,
        "Responsibility": responsibility_shown(c, str),
        "Verification": _join(c.verification),
        "Labels": _join(c.tags),
    }


def to_csv(model: Model) -> str:
    """The CSV text: a header, then every threat, then every control."""
    by_control: dict[str, list[str]] = {}
    for t in model.threats:
        for cid in t.controls:
            by_control.setdefault(cid, []).append(t.id)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, restval="", lineterminator="\r\n")
    writer.writeheader()
    rows = [_threat_row(t) for t in model.threats]
    rows += [_control_row(c, by_control.get(c.id, [])) for c in model.controls]
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buf.getvalue()


class CsvExporter(Exporter):
    """Writes ``threats.csv``: UTF-8 with a byte-order mark, which Excel needs to read non-ASCII text."""

    name = "csv"
    suffix = ".csv"

    def write(self, model: Model, path: Path, ctx: ExportContext) -> None:
        path.write_bytes(b"\xef\xbb\xbf" + to_csv(model).encode("utf-8"))
