"""The whole pipeline behind ``mdptm build`` (SPEC §10)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from mdptm.coverage_report import coverage_data
from mdptm.diff import record_history
from mdptm.errors import InputError
from mdptm.guides import build_guides, write_guides
from mdptm.importing import check_references, import_sources
from mdptm.leakscan import LeakError, assert_no_leaks
from mdptm.mapping import map_model
from mdptm.model import Model
from mdptm.modelio import load, read_structured
from mdptm.output import sha256_file, source_date_epoch, staged_dir, write_json, write_manifest
from mdptm.plugins import ExportContext, exporters
from mdptm.project import PROJECT_FILE, Project, load_project
from mdptm.redact import load_policy, property_terms, redact
from mdptm.report import ImportReport
from mdptm.results import Coverage, Review
from mdptm.review import ReviewContext, review
from mdptm.validate import pointer


@dataclass
class BuildResult:
    out: Path
    internal: Path
    model: Model
    report: ImportReport
    warnings: list[str] = field(default_factory=list)
    exit_code: int = 0
    review: Review | None = None
    timings: dict[str, float] = field(default_factory=dict)


def _deep_merge(base: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in values.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _overlay(target: BaseModel, values: dict[str, Any], where: str, file: str) -> None:
    if not values:
        return
    try:
        new = type(target).model_validate(_deep_merge(target.model_dump(), values))
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise InputError(err["msg"], file=file, locator=pointer(where, *err["loc"])) from None
    for key in values:
        setattr(target, key, getattr(new, key))


def apply_project(model: Model, project: Project, project_file: str) -> None:
    """The project file's product/document/support facts win over what the sources say."""
    _overlay(model.product, project.product, "product", project_file)
    _overlay(model.document, project.document, "document", project_file)
    _overlay(model.support, project.support, "support", project_file)
    for s in project.signoffs:
        if s not in model.document.signoffs:
            model.document.signoffs.append(s)


def load_project_model(folder: Path) -> tuple[Model, ImportReport, Project, Path]:
    project, root = load_project(folder)
    sources = []
    for spec in project.sources:
        profile = None
        if spec.profile:
            data = read_structured(root / spec.profile)
            if not isinstance(data, dict):
                raise InputError("a profile must be a mapping", file=str(root / spec.profile))
            profile = data
        sources.append((root / spec.path, spec.format, profile))
    model, report = import_sources(sources, [spec.priority for spec in project.sources])
    apply_project(model, project, str(root / "mdptm.yaml"))
    check_references(model)  # again: the project file may have changed references (signoffs, overrides)
    return model, report, project, root


class Timer:
    """Seconds per pipeline stage, for ``-v`` and the benchmark; never written to a file."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.stages[stage] = self.stages.get(stage, 0.0) + time.perf_counter() - t0


def build(folder: Path, out: Path | None = None, *, draft: bool = False, audience: str = "public") -> BuildResult:
    """Import, validate, map, redact, review, publish and leak-scan one project.

    Internal reports always land in ``OUT.internal/`` so a refused build can be understood; the
    package itself is written only when review has no blocker (or ``draft``) and the leak scan of
    every written byte is clean. Either way nothing half-written is left behind.
    """
    timer = Timer()
    with timer("import"):
        model, report, project, root = load_project_model(folder)
    out = out or (root / (project.output or "out"))
    internal = out.with_name(out.name + ".internal")
    epoch = source_date_epoch(model.document.date)
    overrides_file = str(root / PROJECT_FILE)
    with timer("map"):
        coverage = map_model(model, project.frameworks, project.overrides, base_dir=root, overrides_file=overrides_file)
    result = BuildResult(out=out, internal=internal, model=model, report=report, timings=timer.stages)
    if audience == "submission":
        return _build_submission(result, project, root, coverage, epoch, timer)
    with timer("redact"):
        policy = load_policy(root / project.redaction if project.redaction else None)
        documents = [root / s.path for s in project.sources]
        terms = property_terms(documents, keep=[model.product.manufacturer])
        public, log = redact(model, policy, extra_terms=terms)
    with timer("map"):
        public_coverage = map_model(public, project.frameworks, project.overrides, base_dir=root, overrides_file=overrides_file)
    with timer("review"):
        ctx_review = ReviewContext(model, public, list(project.signoffs_required), renames=log.renamed)
        findings = review(ctx_review)
    template = root / project.template if project.template else None
    previous = load(root / project.previous) if project.previous else None
    if previous is not None:  # document.history gains this version, summarised from the published diff
        record_history(public, previous)
    ctx = ExportContext(
        coverage=public_coverage, review=findings, draft=draft, template=template, epoch=epoch, previous=previous
    )
    with staged_dir(internal) as tmp_internal:
        write_json(tmp_internal / "import-report.json", report.model_dump(mode="json"))
        write_json(tmp_internal / "coverage.json", coverage_data(coverage))
        write_json(tmp_internal / "redaction-log.json", log.model_dump(mode="json"))
        if findings.blockers and not draft:
            result.exit_code = 1
            result.review = findings
            write_json(tmp_internal / "review.json", findings.model_dump(mode="json"))
            result.warnings.append(
                f"review has {len(findings.blockers)} blocker(s); the package was not written (see {internal}/review.json, "
                "or publish with --draft)"
            )
            return result
        try:
            with staged_dir(out) as tmp_out:
                with timer("publish"):
                    publish_package(public, tmp_out, ctx)
                with timer("leak scan"):
                    assert_no_leaks(tmp_out, log.needles(), remove=False)
        except LeakError as exc:
            findings = review(replace(ctx_review, leaks=exc.hits))
            result.exit_code = 1
            result.warnings.append(f"{exc}; the package was not written")
        result.review = findings
        write_json(tmp_internal / "review.json", findings.model_dump(mode="json"))
    return result


def _build_submission(
    result: BuildResult, project: Project, root: Path, coverage: Coverage, epoch: int, timer: Timer
) -> BuildResult:
    """The confidential regulatory set, unredacted, in ``OUT/submission/`` (never in a public package)."""
    from mdptm.submission import write_submission

    ctx = ExportContext(coverage=coverage, epoch=epoch, audience="submission", internal_model=result.model)
    with staged_dir(result.internal) as tmp_internal:
        write_json(tmp_internal / "import-report.json", result.report.model_dump(mode="json"))
        write_json(tmp_internal / "coverage.json", coverage_data(coverage))
        with staged_dir(result.out / "submission") as tmp, timer("submission"):
            write_submission(result.model, tmp, ctx)
    return result


def publish_package(public: Model, folder: Path, ctx: ExportContext) -> None:
    """Every file of the public package, then its manifest."""
    for name, fmt in (("ptm.json", "json"), ("ptm.otm.json", "otm")):
        exporters()[fmt].write(public, folder / name, ctx)
    write_guides(folder, build_guides(public, ctx.coverage, ctx.review), ctx)
    write_manifest(folder, {"model_sha256": sha256_file(folder / "ptm.json")})
