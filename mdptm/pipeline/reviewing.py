"""``mdptm review``: the pre-publication checks on a model file or a project, and their report.

The review needs what a build would publish: the public model (given, or redacted here by the
policy), the leak-scan hits of a written package and the mapping of the model. Gathering them is the
library's work; the command line only prints the report and exits 1 when something blocks.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from mdptm.model import Model
from mdptm.model.results import Hit, Review
from mdptm.pipeline.project import PROJECT_FILE, Project
from mdptm.plugins import Audience, ReviewContext, registry
from mdptm.redaction.redact import RedactionLog


class ReviewFormat(StrEnum):
    """How the findings are written: for people (text), for tools (json), for CI dashboards (sarif, junit)."""

    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"


@dataclass
class ReviewRun:
    """A finished review: the findings, the internal model they are about and what the reviewer should know."""

    model: Model
    review: Review
    model_uri: str | None = None  # the model file the findings point into (None: a project's sources)
    warnings: list[str] = field(default_factory=list)


def is_project(path: Path) -> bool:
    """A project folder or its ``mdptm.yaml``, rather than a model file."""
    return path.is_dir() or path.name == "mdptm.yaml"


def review_target(
    target: Path,
    *,
    public: Path | None = None,
    policy: Path | None = None,
    signoffs_required: Sequence[str] = (),
    package: Path | None = None,
    log: Path | None = None,
    audience: Audience = Audience.PUBLIC,
) -> ReviewRun:
    """Review a model file or a project folder (its mdptm.yaml adds the required sign-offs, the
    redaction policy and the mapping settings).

    *public* is the redacted model to compare with; without it, a policy (given, or the project's)
    produces one. *package* is a written package to leak-scan for the terms of the redaction *log*
    (or, without a log, the policy's terms); the log's renames also let checks match public ids.
    """
    from mdptm.mapping.engine import map_model
    from mdptm.model.io import load, load_validated
    from mdptm.redaction.leakscan import scan
    from mdptm.redaction.redact import load_policy, property_terms, redact

    run_warnings: list[str] = []
    roles = list(signoffs_required)
    documents: list[Path] = []
    project: Project | None
    if is_project(target):
        from mdptm.pipeline.build import load_project_model

        internal, _, project, root = load_project_model(target)
        roles += project.signoffs_required
        documents = [root / s.path for s in project.sources]
        if policy is None and project.redaction:
            policy = root / project.redaction
        with_policy = True
    else:
        project, root = None, target.parent
        internal = load(target)
        with_policy = policy is not None
    redaction_log = RedactionLog()
    public_model = None
    if public is not None:
        public_model = load(public)
    elif with_policy:
        terms = property_terms(documents, keep=[internal.product.manufacturer])
        public_model, redaction_log = redact(internal, load_policy(policy), extra_terms=terms)
    if log is not None:
        redaction_log = load_validated(log, RedactionLog)
    leaks: list[Hit] = []
    if package is not None:
        needles = redaction_log.needles() or (load_policy(policy).terms if policy is not None else [])
        if not needles:
            run_warnings.append("--package: nothing to look for; pass --log (the redaction log) or --policy")
        leaks = scan(package, needles)
    if project is not None:
        coverage = map_model(
            internal,
            project.frameworks,
            project.overrides,
            base_dir=root,
            overrides_file=str(root / PROJECT_FILE),
            assertions=project.assertions,
        )
    else:
        coverage = map_model(internal)
    ctx = ReviewContext(
        model=internal,
        public=public_model,
        signoffs_required=roles,
        leaks=leaks,
        renames=redaction_log.renamed,
        audience=Audience(audience),
        coverage=coverage,
    )
    from mdptm.review.engine import review

    return ReviewRun(internal, review(ctx), model_uri=None if is_project(target) else str(target), warnings=run_warnings)


def review_report(run: ReviewRun, fmt: ReviewFormat | str = ReviewFormat.TEXT) -> str:
    """The findings as text, JSON, SARIF 2.1.0 or JUnit XML (one test case per installed check)."""
    from mdptm.review.engine import format_text
    from mdptm.review.formats import junit_text, sarif_text

    fmt = ReviewFormat(fmt.lower())
    checks = {name: str(getattr(cls, "description", "")) for name, cls in registry("check").checks.items()}
    if fmt is ReviewFormat.JSON:
        return json.dumps(run.review.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    if fmt is ReviewFormat.SARIF:
        return sarif_text(run.review, run.model, checks, model_uri=run.model_uri)
    if fmt is ReviewFormat.JUNIT:
        return junit_text(run.review, checks)
    return format_text(run.review) + "\n"
