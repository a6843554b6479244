"""Review (SPEC §5): the pre-publication checks of the paper's §IX-C plus FDA completeness.

Every check is a plug-in behind the ``mdptm.checks`` door (the built-ins in :mod:`mdptm.review.checks`);
:func:`review` runs them all over a :class:`ReviewContext` and returns the findings in a stable order.
A blocker stops ``publish``; warnings and infos are reported and, where the paper wants it, disclosed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mdptm.model import PLACEHOLDER
from mdptm.model.results import Finding, Review, Severity
from mdptm.plugins import ReviewContext

if TYPE_CHECKING:
    from mdptm.model import Model
    from mdptm.plugins import ExportContext

SEVERITY_RANK: dict[Severity, int] = {"blocker": 0, "warning": 1, "info": 2}


def finding_key(f: Finding) -> tuple[int, str, list[str], str]:
    return (SEVERITY_RANK.get(f.severity, 9), f.check, f.items, f.message)


def review(ctx: ReviewContext) -> Review:
    """Run every installed check; a check that crashes is itself a blocker (its verdict is unknown)."""
    from mdptm.plugins import registry

    findings: list[Finding] = []
    for name, cls in sorted(registry("check").checks.items()):
        try:
            findings.extend(cls().run(ctx))
        except Exception as exc:  # noqa: BLE001 - a broken plug-in must not hide the other checks
            findings.append(Finding(check="check-failed", severity="blocker", message=f"check {name!r} failed: {exc}", items=[]))
    findings.sort(key=finding_key)
    return Review(findings=findings)


def format_text(result: Review) -> str:
    """One line per finding, blockers first, then a count."""
    lines = []
    for f in result.findings:
        items = f" [{', '.join(f.items)}]" if f.items else ""
        lines.append(f"{f.severity.upper():8} {f.check}: {f.message}{items}")
    counts = {s: sum(1 for f in result.findings if f.severity == s) for s in SEVERITY_RANK}
    lines.append(f"{counts['blocker']} blockers, {counts['warning']} warnings, {counts['info']} infos")
    return "\n".join(lines)


def package_review(result: Review) -> Review:
    """The review as a public package may carry it: which checks fired and how severe, nothing else.

    Findings quote the internal model (withheld threats, confidential components, a title before a
    rewrite), so their messages and item ids stay in ``OUT.internal/review.json``.
    """
    return Review(findings=[Finding(check=f.check, severity=f.severity, message="", items=[]) for f in result.findings])


def publish_blockers(model: Model, ctx: ExportContext) -> list[str]:
    """Why the package may not be published (yet): review blockers and placeholders left by
    import. ``--draft`` publishes anyway and stamps every page DRAFT."""
    reasons = []
    if ctx.review is not None:
        reasons += [f"review blocker ({f.check}): {f.message}" for f in ctx.review.blockers]
    facts = {
        "product.name": model.product.name,
        "product.manufacturer": model.product.manufacturer,
        "document.version": model.document.version,
    }
    reasons += [f"{where} is still the placeholder {PLACEHOLDER!r}" for where, value in facts.items() if value == PLACEHOLDER]
    return reasons
