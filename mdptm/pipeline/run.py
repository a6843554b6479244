"""The stages after import (SPEC §10): map, redact, review, publish and leak-scan one model.

Kept apart from :mod:`mdptm.pipeline.build` because these stages load the writers (python-docx,
matplotlib, the exporters): a build imports this module while its sources are still being read
(:func:`mdptm.pipeline.importing.import_sources`), not before.
"""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import ExitStack
from dataclasses import replace
from functools import partial
from pathlib import Path

from mdptm.base.output import (
    check_name_length,
    check_not_in_ours,
    check_not_inside,
    check_replaceable,
    sha256_file,
    source_date_epoch,
    staged_dir,
    write_json,
    write_manifest,
)
from mdptm.base.parallel import Inbox, background
from mdptm.base.process import give_back_memory, keep_long_lived, stop_deferred
from mdptm.documents.changes import record_history
from mdptm.documents.coverage import coverage_data
from mdptm.errors import ExitCode, InputError
from mdptm.mapping.engine import map_model
from mdptm.mapping.framework import Assertion, Override
from mdptm.model import COLLECTIONS, Flow, Model, provenance
from mdptm.model.io import load
from mdptm.model.premarket import SUBMISSION_DIR
from mdptm.model.report import ImportReport
from mdptm.model.results import Coverage
from mdptm.pipeline.build import BuildResult, Settings, Timer
from mdptm.pipeline.publish import data_files, document_files, is_large
from mdptm.plugins import Audience, ExportContext, ReviewContext
from mdptm.redaction.corpus import exempt_of, explain_own_text
from mdptm.redaction.leakscan import LeakError, PackageScan, Scanned
from mdptm.redaction.redact import (
    Scrubber,
    load_policy,
    output_detector,
    property_terms,
    public_previous,
    redact,
    redact_assertions,
    redact_overrides,
    text_scrubber,
)
from mdptm.redaction.xmlchars import describe, strip_forbidden
from mdptm.render.template_scrub import scrub_template
from mdptm.review.engine import package_review, publish_blockers, review


def run_pipeline(
    model: Model,
    report: ImportReport,
    out: Path,
    settings: Settings,
    timer: Timer | None = None,
    *,
    neutral: Path | None = None,
    internal_dir: Path | None = None,
) -> BuildResult:
    """Map, redact, review, publish and leak-scan one model.

    Internal reports always land in ``OUT.internal/`` (or *internal_dir*: :func:`internal_folder`) so a refused
    build can be understood; the
    package itself is written only when review has no blocker (or ``draft``) and the leak scan of
    every written byte is clean. Either way nothing half-written is left behind.

    *out* named by mdptm after the project's folder (a portfolio build) comes with a *neutral* folder: the
    package goes there instead when the leak scan finds something withheld in *out*'s name (a code name).
    """
    if out.name in ("", ".", ".."):  # "-o ." or "-o ..": the folder has a name only once made absolute
        out = Path(os.path.abspath(out))
    with tempfile.TemporaryDirectory(prefix="mdptm-work-") as work, ExitStack() as jobs:
        return _run_pipeline(model, report, out, settings, timer or Timer(), Path(work), jobs, neutral, internal_dir)


def internal_folder(out: Path, internal_dir: Path | None = None) -> Path:
    """Where the internal reports of the package *out* go: beside it, ``OUT.internal/``; for a package in a
    portfolio's release folder, under the folder beside that one (*internal_dir*, ``RELEASE.internal/NAME/``), so
    that the release folder, handed on whole, holds packages only."""
    return internal_dir / out.name if internal_dir is not None else out.with_name(out.name + ".internal")


def _checked_outputs(out: Path, settings: Settings, internal_dir: Path | None = None) -> Path:
    """The internal folder of *out* (:func:`internal_folder`), once both are known fit to be written (or replaced)."""
    internal = internal_folder(out, internal_dir)
    # the sources, and the files the build reads beside them wherever they are: the previous package's ptm.json
    # (a build of version 2 into the folder of version 1 replaced the published version it compared with)
    extra_inputs = (settings.previous, settings.template, settings.policy)
    protected = [settings.base_dir, *settings.documents, *(p for p in extra_inputs if p is not None)]
    replaced = out / SUBMISSION_DIR if settings.audience == Audience.SUBMISSION else out
    check_name_length(out)
    for folder in (out, internal):  # never inside a package: the internal reports would be published with it
        check_not_in_ours(folder)
    for folder in (replaced, internal):  # the output replaces a folder: never one holding the inputs
        check_not_inside(folder, protected)
        check_replaceable(folder)
    return internal


def _run_pipeline(
    model: Model,
    report: ImportReport,
    out: Path,
    settings: Settings,
    timer: Timer,
    work: Path,
    jobs: ExitStack,
    neutral: Path | None = None,
    internal_dir: Path | None = None,
) -> BuildResult:
    """:func:`run_pipeline`; a job started in *jobs* is stopped when the build fails before asking for its result."""
    xml_removed = describe(strip_forbidden(model))  # before anything writes XML (docx, xlsx, html)
    for line in xml_removed:
        report.warn(settings.overrides_file or "model", None, line)
    internal = _checked_outputs(out, settings, internal_dir)
    epoch = source_date_epoch(model.document.date)
    result = BuildResult(out=out, internal=internal, model=model, report=report, timings=timer.stages, warnings=xml_removed)

    def mapped(m: Model, overrides: list[Override], assertions: list[Assertion]) -> Coverage:
        with timer("map"):
            return map_model(
                m,
                settings.frameworks,
                overrides,
                base_dir=settings.base_dir,
                overrides_file=settings.overrides_file,
                assertions=assertions,  # on the public model: a confirmed clause is published as confirmed (SPEC §4)
            )

    if settings.audience == Audience.SUBMISSION:
        return _build_submission(result, mapped(model, settings.overrides, settings.assertions), settings, epoch, timer)
    # the internal model's coverage needs nothing redaction makes: a large model's is worked out by a forked copy
    # of this process while this one redacts (until the package is written, the second core has nothing to do)
    internal_job = background(lambda _inbox: mapped(model, settings.overrides, settings.assertions), parallel=is_large(model))
    internal_map = jobs.enter_context(internal_job)
    with timer("redact"):
        policy = load_policy(settings.policy)
        # the branding template is a maker's document too: its author may be named in its header
        documents = [*settings.documents, *([settings.template] if settings.template is not None else [])]
        terms = property_terms(documents, keep=[model.product.manufacturer])
        public, log = redact(model, policy, extra_terms=terms)
    # the package shows the evidence it publishes, and override justifications redacted like model text
    where = settings.overrides_file or "overrides"
    overrides = redact_overrides(settings.overrides, model, policy, log, where)
    assertions = redact_assertions(settings.assertions, model, policy, log, where)
    previous = load_previous(settings.previous) if settings.previous else None
    if previous is not None:  # what it published that this version's policy withholds is not quoted again
        public_previous(previous, model, public, policy, log, str(settings.previous))
    corpus = log.corpus()  # what the public model holds, built by redaction: the leak scan's too...
    if previous is not None:  # document.history gains this version, summarised from the published diff
        record_history(public, previous)
        corpus = None  # ...unless the history changed it
    template = settings.template
    if template is not None:  # its header and footer are published too: scrubbed like model text
        template = scrub_template(template, text_scrubber(model, policy, log, str(template), ids=True), work / "template.docx")
    log.finish()
    keep_long_lived()
    # from here on the public model, the log and what the leak scan looks for are final
    published = [e for a in assertions for e in a.evidence]  # cited on purpose
    # an id the previous version published (its change log names a threat removed since) is public already
    earlier = [item.id for _, item in previous.items()] if previous is not None else []
    leaks = PackageScan(log.needles(earlier), detect=output_detector(policy, model, public, corpus=corpus, log=log, published=published))
    if neutral is not None and leaks.name_hits(out.name):  # the project folder's name, which a package folder would show
        out, internal = neutral, _checked_outputs(neutral, settings, internal_dir)
        result.out, result.internal = out, internal
        result.warnings.append(f"the project folder's name holds what the policy withholds: the package is written to {out} instead")
    base_ctx = ExportContext(draft=settings.draft, template=template, epoch=epoch, previous=previous)

    def data_half(folder: Path, inbox: Inbox) -> Scanned:
        """The package files :func:`data_files` writes, written and scanned by a forked copy of this
        process from the moment redaction is done; this process sends the public coverage and the
        package's review when its mapping and review are done, while it goes on to the documents (the
        rest of the context, a previous version included, the copy has from the start)."""

        def context() -> ExportContext:
            coverage, package = inbox.get()
            return replace(base_ctx, coverage=coverage, review=package)

        return data_files(public, folder, context, lambda names: leaks.files(folder, names))[1]

    together = ExitStack()  # from the package's leak scan passed to the internal folder in place: a stop waits
    with together, staged_dir(internal) as tmp_internal:
        write_json(tmp_internal / "import-report.json", report.model_dump(mode="json"))
        write_json(tmp_internal / "redaction-log.json", log.model_dump(mode="json"))
        try:
            with staged_dir(out) as tmp_out, background(partial(data_half, tmp_out), parallel=is_large(public)) as pending:
                public_coverage = mapped(public, overrides, assertions)
                with timer("map"):  # the forked copy's, waited for if it is not done yet (or worked out now)
                    coverage = internal_map.result()
                with timer("review"):
                    ctx_review = ReviewContext(model, public, settings.signoffs_required, renames=log.renamed, coverage=coverage)
                    findings = review(ctx_review)
                result.review = findings
                write_json(tmp_internal / "coverage.json", coverage_data(coverage))
                ctx = replace(base_ctx, coverage=public_coverage, review=package_review(findings))
                reasons = publish_blockers(public, replace(ctx, review=findings))
                if reasons and not settings.draft:
                    result.exit_code = ExitCode.BLOCKED
                    result.warnings.append(
                        f"the package was not written: {'; '.join(reasons)} (see {internal}/review.json, or build with --draft)"
                    )
                    raise _NotPublished
                pending.send((ctx.coverage, ctx.review))
                with timer("publish"):  # each writing process scans the files it wrote (PackageScan)
                    leaks.add(document_files(public, tmp_out, ctx, lambda names: leaks.files(tmp_out, names))[1])
                    leaks.add(pending.result())
                    write_manifest(tmp_out, {"model_sha256": sha256_file(tmp_out / "ptm.json")})
                give_back_memory()
                with timer("leak scan"):  # the manifest, and whatever no writer scanned as it now is
                    hits = leaks.finish(tmp_out)
                if hits:  # a hit in text mdptm itself writes says so: the policy is to be fixed, not the model
                    scrubber = Scrubber(policy.with_terms(log.terms), exempt_of(model, log))
                    raise LeakError(explain_own_text(hits, tmp_out, scrubber))
                together.enter_context(stop_deferred())
        except _NotPublished:
            pass
        except LeakError as exc:
            result.review = review(replace(ctx_review, leaks=exc.hits))
            result.exit_code = exc.exit_code
            result.warnings.append(f"{exc}; the package was not written")
        assert result.review is not None
        write_json(tmp_internal / "review.json", result.review.model_dump(mode="json"))
    return result


def load_previous(path: Path) -> Model:
    """The version published before (``previous:``, ``--previous``), whose ids the change log and the leak scan take
    as public already. A threat model given there instead of a package's ``ptm.json`` would make public the ids of
    what this version withholds, and the change log would quote its old values: it is refused unless the package's
    ``MANIFEST.json`` beside it records it (mdptm wrote it, unchanged since), and where an item holds what a package
    never publishes (its source, notes or extra columns). The package's folder stands for its ``ptm.json``."""
    if path.is_dir():  # "previous: ../v1": the published package itself
        path = path / "ptm.json"
    model = load(path)
    for coll, _kind in COLLECTIONS:
        for i, item in enumerate(getattr(model, coll)):
            held = [
                name
                for name, value in (
                    ("provenance" if isinstance(item, Flow) else "source", provenance(item)),
                    ("notes", item.notes),
                    ("extra", item.extra),
                )
                if value
            ]
            if held:
                raise InputError(
                    f"not a published PTM: {item.id} has {held[0]}, which a package never publishes; give the ptm.json "
                    "of the package published before, not a threat model",
                    file=str(path),
                    locator=f"/{coll}/{i}/{held[0]}",
                )
    _check_published(path)
    return model


def _check_published(path: Path) -> None:
    """*path* is the ``ptm.json`` of a package mdptm wrote, as written: the MANIFEST.json beside it says so.

    A hand-written or imported threat model without notes, sources or extra columns looks like a published one;
    what tells them apart is the package it came in."""
    hint = "give the ptm.json of the package published before, in its folder beside its MANIFEST.json, not a threat model"
    manifest = path.parent / "MANIFEST.json"
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"not a published PTM: no MANIFEST.json beside it; {hint}", file=str(path)) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"not a published PTM: the MANIFEST.json beside it cannot be read ({exc}); {hint}", file=str(path)) from None
    if not isinstance(data, dict) or data.get("tool") != "mdptm" or not isinstance(data.get("model_sha256"), str):
        raise InputError(f"not a published PTM: the MANIFEST.json beside it is not an mdptm package's; {hint}", file=str(path))
    if data["model_sha256"] != sha256_file(path):
        raise InputError(
            f"not a published PTM: it is not the ptm.json the MANIFEST.json beside it records (changed since it was written); {hint}",
            file=str(path),
        )


class _NotPublished(Exception):
    """Review blocked the package: its staged folder is dropped, the internal reports are kept."""


def _build_submission(result: BuildResult, coverage: Coverage, settings: Settings, epoch: int, timer: Timer) -> BuildResult:
    """The confidential regulatory set, unredacted, in ``OUT/submission/`` (never in a public package)."""
    from mdptm.documents.submission import publish_submission
    from mdptm.review.premarket_checks import PREMARKET_CHECKS

    with timer("review"):  # what an FDA reviewer would still ask for shows before the set is sent
        result.review = review(ReviewContext(result.model, None, settings.signoffs_required, audience=Audience.SUBMISSION))
    ids = {c.id for c in PREMARKET_CHECKS}
    result.warnings += [
        f"submission gap [{f.check}]: {f.message}" for f in result.review.findings if f.check in ids and f.severity == "warning"
    ]
    ctx = ExportContext(
        coverage=coverage,
        epoch=epoch,
        audience=Audience.SUBMISSION,
        draft=settings.draft,
        template=settings.template,
        internal_model=result.model,
        review=result.review,
        import_report=result.report,
    )
    with staged_dir(result.internal) as tmp_internal:
        write_json(tmp_internal / "import-report.json", result.report.model_dump(mode="json"))
        write_json(tmp_internal / "coverage.json", coverage_data(coverage))
        with timer("submission"):
            publish_submission(result.model, result.out, ctx)
    return result
