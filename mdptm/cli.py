"""The ``mdptm`` command line: a thin layer over the library (SPEC §12 exit codes).

Every command turns library exceptions into one line on stderr and an exit code:
0 success, 1 finished with blocking findings, 2 bad input or usage. ``--debug`` shows tracebacks.
"""

from __future__ import annotations

import gc
import json
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from mdptm import __version__
from mdptm.base.process import TERMINATED, Terminated, stop_now, stop_was_asked
from mdptm.errors import ExitCode, MdptmError, UsageError
from mdptm.plugins import Audience

if TYPE_CHECKING:
    from mdptm.mapping.framework import Assertion, Override
    from mdptm.model.report import ImportReport
    from mdptm.pipeline.build import BuildResult

# Who a build writes for; 'internal' is only what `export --internal` marks.
BUILD_AUDIENCES = [a.value for a in Audience if a is not Audience.INTERNAL]

F = TypeVar("F", bound=Callable[..., object])


class State:
    debug = False
    verbosity = 1  # 0 quiet, 1 normal, 2 verbose


STATE = State()


def say(msg: str = "", *, level: int = 1, err: bool = False) -> None:
    if STATE.verbosity >= level:
        click.echo(msg, err=err)


def warn(msg: str) -> None:
    if STATE.verbosity >= 1:
        click.echo(f"warning: {msg}", err=True)


ORDER = (
    "init",
    "build",
    "import",
    "inspect",
    "validate",
    "map",
    "review",
    "redact",
    "signoff",
    "publish",
    "export",
    "diff",
    "compare",
    "schema",
    "plugins",
)


class Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        """Commands in the order of the pipeline, not alphabetical; plug-in commands last."""
        known = [c for c in ORDER if c in self.commands]
        return known + sorted(c for c in self.commands if c not in ORDER)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="mdptm")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Print more detail.")
def cli(debug: bool, quiet: bool, verbose: bool) -> None:
    """Turn medical-device threat models into Public Threat Models (PTMs).

    \b
    Pipeline: import -> validate -> map -> review -> redact -> publish
    Example:  mdptm build samples/infusion-pump
    """
    STATE.debug = STATE.debug or debug
    STATE.verbosity = 0 if quiet else (2 if verbose else STATE.verbosity)


def _plugin_warnings(*kinds: str) -> None:
    """Warn about broken plug-ins behind the doors this command uses (every door when none is named)."""
    from mdptm.plugins import registry

    for w in registry(*kinds).warnings:
        warn(w)


# Collector threshold while a command loads its modules: they create tens of thousands of objects that live as
# long as the process and hardly any garbage, which the default (700) would have the collector scan ~80 times.
LOADING_GC_THRESHOLD = 50_000
_GC_BEFORE: list[tuple[int, int, int]] = []


def _loading() -> None:
    """The command starts loading its modules (pydantic, the model classes, the doors): collect rarely until
    :func:`_loaded`; :func:`main` puts the threshold back whatever happens."""
    if not _GC_BEFORE:
        before = gc.get_threshold()
        _GC_BEFORE.append(before)
        gc.set_threshold(max(LOADING_GC_THRESHOLD, before[0]), before[1], before[2])


def _gc_as_before() -> None:
    if _GC_BEFORE:
        gc.set_threshold(*_GC_BEFORE.pop())


def _loaded() -> None:
    """The command's modules are loaded: keep what they built (classes, schemas, vocabularies) out of
    the collector's scans from now on; each would otherwise rescan them all (a tenth of importing a
    .tm7). Once per process, so a process that runs many commands (the tests) freezes only once."""
    _gc_as_before()
    if gc.get_freeze_count() == 0:
        gc.freeze()


# ---------------------------------------------------------------------------------------- import


@cli.command("import")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path), help="Model file to write (.json or .yaml).")
@click.option("--format", "fmt", help="Force the input format (docx, xlsx, tm7, threatdragon, otm, threagile, mdptm).")
@click.option("--profile", type=click.Path(path_type=Path), help="YAML profile mapping sheets/columns to fields.")
@click.option("--report", type=click.Path(path_type=Path), help="Write the import report as JSON.")
def import_cmd(sources: tuple[Path, ...], output: Path, fmt: str | None, profile: Path | None, report: Path | None) -> None:
    """Import threat models into one mdptm/1 model.

    \b
    Example:  mdptm import threat-model.docx register.xlsx -o model.json --report report.json
    """
    _loading()
    from mdptm.base.output import check_file_outputs, staged_file
    from mdptm.base.process import lean_gc
    from mdptm.model.io import dumps, fmt_for
    from mdptm.pipeline.importing import ImportSource, import_sources, read_profile

    check_file_outputs({"-o": output, "--report": report}, [*sources, profile])
    _plugin_warnings("importer")
    _loaded()
    prof = read_profile(profile) if profile is not None else None
    try:
        with lean_gc():  # a large document's rows and items live until the end: no rescans of them meanwhile
            model, rep = import_sources([ImportSource(p, fmt, prof) for p in sources])
            with staged_file(output) as tmp:  # the report is staged inside: if either cannot be written, neither is
                tmp.write_text(dumps(model, fmt_for(output)), encoding="utf-8", newline="\n")
                if report is not None:
                    with staged_file(report) as rtmp:
                        rtmp.write_text(json.dumps(rep.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    finally:
        _loaded()  # lean_gc thawed what was frozen; a process that runs more commands keeps its modules frozen
    _print_report_summary(rep)
    say(f"wrote {output}")


def _print_report_summary(rep: ImportReport) -> None:
    c = rep.counts
    say(f"records: {c.seen} seen, {c.imported} imported, {c.merged} merged, {c.skipped} skipped; {len(rep.warnings)} warnings")
    limit = None if STATE.verbosity >= 2 else 10
    for w in rep.warnings[:limit]:
        where = f"{w.file}" + (f" ({w.locator})" if w.locator else "")
        warn(f"{where}: {w.message}")
    if limit is not None and len(rep.warnings) > limit:
        say(f"... {len(rep.warnings) - limit} more warnings (-v shows all, --report writes them)", err=True)


# --------------------------------------------------------------------------------------- inspect


@cli.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--format", "fmt", help="Force the input format (docx, xlsx, csv, ...).")
@click.option("--profile", type=click.Path(path_type=Path), help="Read the file with this profile.")
@click.option(
    "--write-profile",
    "write_profile",
    type=click.Path(path_type=Path),
    help="Write a profile pinning every guess, to edit where a table was misread.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the reading as JSON.")
def inspect(source: Path, fmt: str | None, profile: Path | None, write_profile: Path | None, as_json: bool) -> None:
    """Show how each sheet or table of a document is read: kind, header row, column -> field,
    confidence, rows imported and skipped (and why).

    \b
    Example:  mdptm inspect register.xlsx --write-profile register.profile.yaml
              mdptm import register.xlsx -o model.yaml --profile register.profile.yaml
    """
    from mdptm.base.output import check_file_outputs, staged_file
    from mdptm.pipeline.importing import read_profile
    from mdptm.pipeline.inspection import inspect_file, profile_yaml, render

    check_file_outputs({"--write-profile": write_profile}, [source, profile])

    _plugin_warnings("importer")
    insp = inspect_file(source, fmt, read_profile(profile) if profile is not None else None)
    if as_json:
        click.echo(json.dumps(insp.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(render(insp), nl=False)
    if write_profile is not None:
        with staged_file(write_profile) as tmp:
            tmp.write_text(profile_yaml(insp), encoding="utf-8", newline="\n")
        say(f"wrote {write_profile}", err=as_json)


# -------------------------------------------------------------------------------------- validate


@cli.command()
@click.argument("model", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def validate(model: Path, fmt: str) -> None:
    """Check a model: dangling references, duplicate ids, enum violations, missing fields.

    Every problem is reported with its JSON pointer; exit 2 if there is any.

    \b
    Example:  mdptm validate model.json
    """
    from mdptm.errors import InputError
    from mdptm.model.io import read_structured
    from mdptm.model.validate import validate_data

    if model.suffix.lower() in (".docx", ".docm", ".xlsx", ".xlsm", ".csv", ".tsv", ".tm7", ".otm"):
        raise InputError("not an mdptm/1 model (JSON or YAML); import it first: mdptm import FILE -o model.json", file=str(model))
    _, problems = validate_data(read_structured(model))
    if fmt == "json":
        click.echo(json.dumps({"file": str(model), "problems": [p.__dict__ for p in problems]}, indent=2))
    else:
        for p in problems:
            click.echo(f"{model}: {p.pointer or '/'}: {p.message}", err=True)
        if not problems:
            say(f"{model}: valid mdptm/1 model")
    if problems:
        sys.exit(ExitCode.INPUT)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the mdptm/1 model.

    \b
    Example:  mdptm schema > mdptm-1.schema.json
    """
    from mdptm.model.schema import model_schema

    click.echo(json.dumps(model_schema(), indent=2))


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def plugins(fmt: str) -> None:
    """List installed importers, exporters, frameworks and checks.

    \b
    Example:  mdptm plugins
    """
    from mdptm.plugins import registry

    reg = registry()
    rows = [(i.kind, i.name, i.distribution, i.version, i.error or "") for i in reg.info]
    if fmt == "json":
        click.echo(json.dumps([dict(zip(("kind", "name", "distribution", "version", "error"), r, strict=True)) for r in rows], indent=2))
        return
    widths = [max(len(r[i]) for r in [("kind", "name", "distribution", "version", "")] + rows) for i in range(4)]
    head = ("kind", "name", "distribution", "version")
    click.echo("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
    for r in rows:
        line = "  ".join(v.ljust(w) for v, w in zip(r[:4], widths, strict=True))
        click.echo(line + (f"  BROKEN: {r[4]}" if r[4] else ""))


# ----------------------------------------------------------------------------------------- build


@cli.command()
@click.argument("folder", required=False, default=".", type=click.Path(path_type=Path))
def init(folder: Path) -> None:
    """Write FOLDER/mdptm.yaml from the threat models found there (default: this folder).

    Lists the documents it could import as sources, the product facts they state, the CRA scope to
    set, the sign-offs publishing needs and a redaction policy to review. Never overwrites a project file.

    \b
    Example:  mdptm init products/pump
    """
    from mdptm.pipeline.init import REDACTION_FILE, init_project

    result = init_project(folder)
    say(f"wrote {result.project_file}")
    for f in result.sources:
        say(f"  source {f.path} ({f.importer}, {f.threats} threat(s))")
    for f in result.rejected:
        warn(f"{folder / f.path}: not listed as a source: {f.problem}")
    for line in result.unrelated:
        warn(f"{folder}: {line}")
    if result.redaction_written:
        say(f"wrote {folder / REDACTION_FILE} (a redaction policy to review)")
    missing = [k for k in ("product.name", "product.manufacturer", "document.version") if k not in result.facts]
    say("set in mdptm.yaml: product.regulatory.cra_scope" + "".join(f", {k}" for k in missing))
    say(f"next: mdptm build {folder} --draft   (then read the import report in the .internal folder it names)")


@cli.command()
@click.argument("projects", nargs=-1, required=False, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path),
    help="Package folder (default: project 'output' or DIR/out); with several projects, the folder holding one per project.",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Projects built at once, each in its own process (default: one per CPU).")
@click.option("--draft", is_flag=True, help="Publish despite blockers and placeholders; every page is stamped DRAFT.")
@click.option(
    "--audience",
    type=click.Choice(BUILD_AUDIENCES),
    default=Audience.PUBLIC.value,
    show_default=True,
    help="public: the redacted PTM package; submission: the confidential regulatory set in OUT/submission/.",
)
def build(projects: tuple[Path, ...], out: Path | None, jobs: int | None, draft: bool, audience: str) -> None:
    """Run the whole pipeline on a project folder holding mdptm.yaml (default: the current folder).

    Writes the PTM package to OUT/ and the internal reports to OUT.internal/. Given several project
    folders, builds them in parallel, prints a summary table and exits with the worst exit code; a
    project that fails does not stop the others. With -o RELEASE, RELEASE/NAME/ holds each package
    and RELEASE.internal/NAME/ its internal reports.

    \b
    Example:  mdptm build samples/infusion-pump -o /tmp/ptm
              mdptm build products/* --jobs 4
    """
    from mdptm.base.process import lean_gc

    projects = projects or (Path("."),)
    if len(projects) > 1:
        _plugin_warnings()
        with lean_gc():
            _build_portfolio(projects, out, jobs, draft, Audience(audience))
        return
    from mdptm.pipeline.build import build as run_build

    _plugin_warnings("importer")  # the other doors load while the sources are read (load_later_stages)
    try:
        with lean_gc():
            result = run_build(projects[0], out, draft=draft, audience=Audience(audience))
    finally:  # a broken plug-in may be why the build failed
        _plugin_warnings()
    _report_build(result, Audience(audience))


def _report_build(result: BuildResult, audience: Audience) -> None:
    _print_report_summary(result.report)
    if result.review is not None:
        counts = {s: sum(1 for f in result.review.findings if f.severity == s) for s in ("blocker", "warning", "info")}
        say(f"review: {counts['blocker']} blockers, {counts['warning']} warnings, {counts['info']} info")
        for f in result.review.blockers:
            say(f"  blocker [{f.check}] {f.message}", err=True)
    for w in result.warnings:
        warn(w)
    for stage, secs in result.timings.items():
        say(f"  {stage:<12} {secs:7.2f} s", level=2)
    if result.exit_code == ExitCode.OK and audience == Audience.SUBMISSION:
        from mdptm.model.premarket import SUBMISSION_DIR

        say(f"wrote {result.out / SUBMISSION_DIR}/ (confidential submission set) and {result.internal}/")
    elif result.exit_code == ExitCode.OK:
        say(f"wrote {result.out}/ and {result.internal}/")
    else:
        say(f"wrote {result.internal}/ only", err=True)
    if result.exit_code:
        sys.exit(result.exit_code)


# ---------------------------------------------------------------------------------------- export


@cli.command()
@click.argument("model", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    help="json, yaml, otm, threatdragon, csv, docx, xlsx or html, any case (see 'mdptm plugins'); "
    "default: from the output file's name (model.otm.json, threats.csv, ...).",
)
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(path_type=Path, allow_dash=True),
    help="File to write; '-' writes to standard output.",
)
@click.option("--public", "audience", flag_value="public", help="The model is public: refuse it if it is not.")
@click.option("--internal", "audience", flag_value="internal", help="The model is internal: documents are marked CONFIDENTIAL.")
def export(model: Path, fmt: str | None, output: Path, audience: str | None) -> None:
    """Write one artefact of the package from a model, as it is (export does not redact).

    A model that is not public (an item marked internal, confidential or trade secret, or
    internal notes) is exported as internal: documents are marked CONFIDENTIAL. --public
    refuses such a model (publish it with 'mdptm publish', which redacts); --internal marks
    any model confidential.

    \b
    Example:  mdptm export model.json -o model.otm.json
              mdptm export model.json --format csv -o - > threats.csv
    """
    from mdptm.base.output import check_file_outputs, source_date_epoch
    from mdptm.model.io import load
    from mdptm.pipeline.exporting import STDOUT, export_bytes, export_one, is_binary, not_public, resolve_format
    from mdptm.plugins import ExportContext

    check_file_outputs({"-o": output}, [model])
    loaded = load(model)
    reasons = not_public(loaded)
    if audience == Audience.PUBLIC and reasons:
        raise UsageError(
            f"{model} is not a public model ({reasons[0]}); publish it with 'mdptm publish' (which redacts), or export it with --internal"
        )
    chosen = Audience(audience) if audience else (Audience.INTERNAL if reasons else Audience.PUBLIC)
    ctx = ExportContext(epoch=source_date_epoch(loaded.document.date), audience=chosen)
    marked = f" (internal, marked CONFIDENTIAL{': ' + reasons[0] if reasons else ''})" if chosen == Audience.INTERNAL else ""
    if output == STDOUT:
        name = resolve_format(fmt, output)
        if is_binary(name) and sys.stdout.isatty():
            raise UsageError(f"{name} is a binary format: redirect standard output to a file, or pass -o FILE")
        _write_stdout(export_bytes(loaded, name, ctx))
        if marked:
            warn(f"wrote standard output{marked}")
        return
    for line in export_one(loaded, fmt, output, ctx):
        warn(line)
    say(f"wrote {output}{marked}")


def _emit(text: str, output: Path | None) -> None:
    """A single-file result: to standard output (no path, or '-') or to a file, staged."""
    if output is None or output == Path("-"):
        _write_stdout(text.encode("utf-8"))
        return
    from mdptm.base.output import staged_file

    with staged_file(output) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    say(f"wrote {output}", err=True)


def _write_stdout(data: bytes) -> None:
    """Bytes as they are, so a redirected file equals what ``-o FILE`` writes."""
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


# ---------------------------------------------------------------------- review, redact, signoff


@cli.command("review")
@click.argument("model", type=click.Path(path_type=Path))
@click.option("--public", "public_path", type=click.Path(path_type=Path), help="The redacted model, to check what it dropped or withheld.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif", "junit"], case_sensitive=False),
    default="text",
    show_default=True,
    help="sarif (SARIF 2.1.0) and junit (JUnit XML) are for CI dashboards.",
)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path, allow_dash=True),
    help="Write the findings to a file instead of standard output.",
)
@click.option("--policy", type=click.Path(path_type=Path), help="Redaction policy: also review the public model it produces.")
@click.option("--require-signoff", "required", multiple=True, help="A role whose sign-off publishing needs (repeatable).")
@click.option("--package", type=click.Path(path_type=Path), help="A written package (folder or file) to leak-scan.")
@click.option("--log", "log_path", type=click.Path(path_type=Path), help="Redaction log: leak-scan needles and id renames.")
@click.option(
    "--audience",
    type=click.Choice(BUILD_AUDIENCES),
    default=Audience.PUBLIC.value,
    show_default=True,
    help="submission: also run the FDA premarket checks when the model states none of their facts.",
)
def review_cmd(
    model: Path,
    public_path: Path | None,
    fmt: str,
    output: Path | None,
    policy: Path | None,
    required: tuple[str, ...],
    package: Path | None,
    log_path: Path | None,
    audience: str,
) -> None:
    """Pre-publication checks (paper IX-C, FDA completeness); exit 1 if any blocker.

    MODEL is a model file or a project folder (its mdptm.yaml gives the required sign-offs and the
    redaction policy).

    \b
    Example:  mdptm review model.json --public public.json --format json
              mdptm review samples/infusion-pump --format sarif -o review.sarif
    """
    from mdptm.base.output import check_file_outputs
    from mdptm.pipeline.project import project_paths
    from mdptm.pipeline.reviewing import review_report, review_target

    check_file_outputs({"-o": output}, [model, public_path, policy, package, log_path, *project_paths(model)])
    _plugin_warnings("check", "framework")
    run = review_target(
        model,
        public=public_path,
        policy=policy,
        signoffs_required=required,
        package=package,
        log=log_path,
        audience=Audience(audience),
    )
    for line in run.warnings:
        warn(line)
    _emit(review_report(run, fmt), output)
    result = run.review
    if result.blockers:
        sys.exit(ExitCode.BLOCKED)


@cli.command("redact")
@click.argument("model", type=click.Path(path_type=Path))
@click.option("--policy", type=click.Path(path_type=Path), help="Redaction policy (YAML); default: detectors on, internal+ dropped.")
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path), help="Public model to write (.json or .yaml).")
@click.option("--log", "log_path", type=click.Path(path_type=Path), help="Write the redaction log (internal!) as JSON.")
@click.option(
    "--document",
    "documents",
    multiple=True,
    type=click.Path(path_type=Path),
    help="An input .docx/.xlsx whose author, company and comments properties become terms (repeatable).",
)
def redact_cmd(model: Path, policy: Path | None, output: Path, log_path: Path | None, documents: tuple[Path, ...]) -> None:
    """Write the public model: drop, scrub and withhold by policy, then leak-scan the result.

    \b
    Example:  mdptm redact model.json --policy redaction.yaml -o public.json --log redaction-log.json
    """
    from mdptm.pipeline.redacting import redact_file

    log = redact_file(model, output, policy=policy, log=log_path, documents=documents)
    counts = ", ".join(f"{n} {action}" for action, n in log.counts.items()) or "nothing to change"
    say(f"redaction: {counts}")
    say(f"wrote {output}" + (f" and {log_path} (internal)" if log_path else ""))


@cli.command("signoff")
@click.argument("target", type=click.Path(path_type=Path))
@click.option("--role", required=True, help="The role signing off (product_security, regulatory, legal, ...).")
@click.option("--name", required=True, help="Who signs (published only if the policy says so).")
@click.option("--decision", required=True, type=click.Choice(["approved", "rejected"]))
@click.option("--comment", help="Why, or under which condition.")
@click.option("--date", "when", help="ISO date of the decision (default: today).")
def signoff_cmd(target: Path, role: str, name: str, decision: str, comment: str | None, when: str | None) -> None:
    """Record a sign-off in a model file or in a project's mdptm.yaml.

    \b
    Example:  mdptm signoff samples/infusion-pump --role legal --name "A. Person" --decision approved
    """
    import datetime

    from mdptm.model import Signoff
    from mdptm.pipeline.signoff import record_signoff

    try:
        day = datetime.date.fromisoformat(when) if when else datetime.date.today()
    except ValueError:
        raise UsageError(f"--date {when!r} is not an ISO date (YYYY-MM-DD)") from None
    if not role.strip() or not name.strip():
        raise UsageError("--role and --name must not be empty")
    entry = Signoff(role=role.strip(), name=name.strip(), date=day.isoformat(), decision=decision, comment=comment)
    written = record_signoff(target, entry)
    say(f"recorded {decision} by {role} in {written}")


# ------------------------------------------------------------------------------------------- map

_STATUS_COLOURS = {"covered": "green", "partial": "yellow", "gap": "red", "not_applicable": "bright_black"}


@cli.command("map")
@click.argument("model", type=click.Path(path_type=Path))
@click.option(
    "--framework",
    "frameworks",
    multiple=True,
    help="Framework id (cra-annex-i, cra-annex-ii, mc2, fda-premarket, a plug-in's) or path to a framework "
    "YAML file; repeatable. Default: the project's 'frameworks', else every installed one.",
)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path, allow_dash=True),
    help="Write coverage as .json or .xlsx; '-' writes JSON to standard output.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"], case_sensitive=False),
    default="table",
    show_default=True,
    help="What to print: the table, or the coverage as JSON.",
)
@click.option(
    "--project",
    type=click.Path(path_type=Path),
    help="Project folder or mdptm.yaml whose 'overrides', 'assertions' (and 'frameworks') apply.",
)
def map_cmd(model: Path, frameworks: tuple[str, ...], output: Path | None, fmt: str, project: Path | None) -> None:
    """Map a model onto CRA Annex I/II, MC2 and FDA premarket clauses: covered, partial, gap, n/a.

    Prints a table per framework with a summary; * marks a verdict set by override, + one confirmed by the
    maker (an assertion in mdptm.yaml), -v adds rationales. Linked clauses that disagree are listed last.

    \b
    Example:  mdptm map model.json --framework cra-annex-ii -o coverage.xlsx
              mdptm map model.json --format json > coverage.json
    """
    from mdptm.base.output import check_file_outputs, json_text, source_date_epoch
    from mdptm.documents.coverage import coverage_data, render_table, write_coverage
    from mdptm.mapping.engine import framework_conflicts, map_model
    from mdptm.model.io import load
    from mdptm.pipeline.project import PROJECT_FILE, load_project, project_paths

    check_file_outputs({"-o": output}, [model, *project_paths(project), *(Path(f) for f in frameworks)])
    _plugin_warnings("framework")
    for w in framework_conflicts():
        warn(w)
    m = load(model)
    overrides: list[Override] = []
    assertions: list[Assertion] = []
    refs: list[str] = list(frameworks)
    base_dir = None
    project_file = None
    if project is not None:
        proj, base_dir = load_project(project)
        project_file = str(base_dir / PROJECT_FILE)
        overrides = list(proj.overrides)
        assertions = list(proj.assertions)
        if not refs and proj.frameworks:
            refs = list(proj.frameworks)
    coverage = map_model(m, refs or None, overrides, base_dir=base_dir, overrides_file=project_file, assertions=assertions)

    def style(status: str, text: str) -> str:
        return click.style(text, fg=_STATUS_COLOURS.get(status))

    to_stdout = output == Path("-")
    if fmt.lower() == "json" or to_stdout:
        if to_stdout or output is None:
            _write_stdout(json_text(coverage_data(coverage)).encode("utf-8"))
    elif STATE.verbosity >= 1:
        click.echo(render_table(coverage, verbose=STATE.verbosity >= 2, style=style), nl=False)
    if output is not None and not to_stdout:
        write_coverage(coverage, output, source_date_epoch(m.document.date))
        say(f"wrote {output}")


# --------------------------------------------------------------------------------------- publish


@cli.command()
@click.argument("model", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out", required=True, type=click.Path(path_type=Path), help="Package folder to write.")
@click.option("--draft", is_flag=True, help="Publish despite blockers and placeholders; every page is stamped DRAFT.")
@click.option("--template", type=click.Path(path_type=Path), help="Word branding template (.docx) for ptm.docx.")
@click.option("--policy", type=click.Path(path_type=Path), help="Redaction policy (YAML); default: the built-in policy.")
@click.option("--framework", "frameworks", multiple=True, help="Framework id or file to map onto (repeatable; default: all).")
@click.option("--require-signoff", "roles", multiple=True, help="Role whose approval publishing needs (repeatable).")
@click.option("--previous", type=click.Path(path_type=Path), help="The last published ptm.json, for the change log.")
@click.option(
    "--audience",
    type=click.Choice(BUILD_AUDIENCES),
    default=Audience.PUBLIC.value,
    show_default=True,
    help="'submission' writes the confidential regulatory set to OUT/submission/ from the unredacted model.",
)
def publish(
    model: Path,
    out: Path,
    draft: bool,
    template: Path | None,
    policy: Path | None,
    frameworks: tuple[str, ...],
    roles: tuple[str, ...],
    previous: Path | None,
    audience: str,
) -> None:
    """Publish a model: map, redact, review, write the PTM package, leak-scan it.

    The package (ptm.docx, ptm.xlsx, ptm.json, ptm.otm.json, index.html, guides/, MANIFEST.json) goes to
    OUT/; the import report, review findings, redaction log and coverage detail to OUT.internal/.
    With --audience submission, write the confidential FDA/CRA documentation set of the unredacted
    model instead, to OUT/submission/.

    \b
    Example:  mdptm publish model.json -o out/ptm --policy redaction.yaml --draft
              mdptm publish model.json -o out/filing --audience submission
    """
    from mdptm.base.process import lean_gc
    from mdptm.model.io import load
    from mdptm.pipeline.build import Settings, Timer
    from mdptm.pipeline.importing import ImportSource, import_sources
    from mdptm.pipeline.run import run_pipeline

    _plugin_warnings()
    timer = Timer()
    with timer("import"):
        load(model)  # a model to publish must be complete: no placeholders filled in for it
        loaded, report = import_sources([ImportSource(model, "mdptm")])
    settings = Settings(
        base_dir=model.parent,
        frameworks=list(frameworks) or None,
        policy=policy,
        signoffs_required=list(roles),
        template=template,
        previous=previous,
        documents=[],
        draft=draft,
        audience=Audience(audience),
    )
    with lean_gc():
        result = run_pipeline(loaded, report, out, settings, timer)
    _report_build(result, Audience(audience))


# ------------------------------------------------------------------------------------------ diff


@cli.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text", show_default=True)
def diff(old: Path, new: Path, fmt: str) -> None:
    """Compare two versions of a model: added, removed and changed items, field by field.

    Also suggests which update triggers the changes point to (new interface, new threat, control
    removed, support period changed, ...). Exit 0 whether or not anything changed.

    \b
    Example:  mdptm diff ptm-1.0.json ptm-1.1.json --format md > CHANGES.md
    """
    from mdptm.documents.changes import diff_models, read_model, render

    click.echo(render(diff_models(read_model(old), read_model(new)), fmt), nl=False)


# --------------------------------------------------------------------------------------- compare


@cli.command()
@click.argument("ptms", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path), help="Comparison to write: .xlsx, .html or .md.")
def compare(ptms: tuple[Path, ...], output: Path) -> None:
    """Compare the public threat models of several devices side by side, for a hospital.

    Each PTM is a package folder, a ptm.json or an OTM file from any tool. One column per device;
    the best and worst of each row are marked, and a fact a PTM does not state is shown as such.

    \b
    Example:  mdptm compare vendor-a/ptm vendor-b/ptm.otm.json -o comparison.xlsx
    """
    from mdptm.base.output import check_file_outputs
    from mdptm.pipeline.compare import compare as run_compare
    from mdptm.pipeline.compare_render import write_comparison

    check_file_outputs({"-o": output}, list(ptms))
    result = run_compare(list(ptms))
    write_comparison(result, output)
    for line in result.highlights:
        say(f"  {line}")
    say(f"wrote {output}")


# ------------------------------------------------------------------------------- portfolio builds


def _build_portfolio(projects: tuple[Path, ...], out: Path | None, jobs: int | None, draft: bool, audience: Audience) -> None:
    """``mdptm build DIR [DIR ...]``: a progress bar on a terminal, then one line per project."""
    import time

    from mdptm.pipeline.portfolio import ProjectResult, build_many, default_jobs, internal_root

    workers = min(jobs or default_jobs(), len(projects))
    say(f"building {len(projects)} projects, {workers} at a time", err=True)
    t0 = time.perf_counter()
    show_bar = STATE.verbosity >= 1 and sys.stderr.isatty()
    with click.progressbar(length=len(projects), label="building", file=sys.stderr, show_pos=True) if show_bar else _NoBar() as bar:

        def done(res: ProjectResult) -> None:
            bar.update(1)

        results = build_many(projects, jobs=workers, out_root=out, draft=draft, audience=audience, on_done=done)
    elapsed = time.perf_counter() - t0
    rows = [("project", "result", "exit", "time", "threats", "package, or why not")]
    for r in results:
        detail = str(r.out) if r.exit_code == ExitCode.OK else (r.message or str(r.out))
        threats = str(r.threats) if r.exit_code != ExitCode.INPUT else "-"
        rows.append((str(r.project), r.status, str(r.exit_code), f"{r.seconds:.1f} s", threats, detail))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:  # the last column is not padded: it may be long
        say("  ".join(v.ljust(w) for v, w in zip(row[:5], widths, strict=True)) + "  " + row[5])
    for r in results:
        if r.renamed:  # the folder mdptm would have named after the project would publish a withheld name
            say(f"warning: {r.project}: the folder's name holds what its policy withholds; its package is {r.out}, not named after it")
        if r.stale_internal is not None:
            say(
                f"warning: {r.project}: {r.stale_internal} holds the internal reports of an earlier build inside the release "
                f"folder; they now go to {r.internal}: delete it before the folder is handed on"
            )
    if out is not None and (root := internal_root(out)) is not None:
        say(f"internal reports (import report, review findings, redaction log; never to hand on): {root}/")
    counts = {s: sum(1 for r in results if r.status == s) for s in ("built", "blocked", "failed")}
    say(f"{counts['built']} built, {counts['blocked']} blocked, {counts['failed']} failed in {elapsed:.1f} s ({workers} processes)")
    worst = max((r.exit_code for r in results), default=ExitCode.OK)
    if worst:
        sys.exit(worst)


class _NoBar:
    """Stands in for the progress bar when stderr is not a terminal: nothing is drawn."""

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        return None


# ------------------------------------------------------------------------------------ entry point


def _pre_scan(argv: list[str]) -> list[str]:
    """Accept --debug/-q/-v anywhere on the line, not only before the command."""
    rest = []
    for a in argv:
        if a == "--debug":
            STATE.debug = True
        elif a in ("-q", "--quiet"):
            STATE.verbosity = 0
        elif a in ("-v", "--verbose"):
            STATE.verbosity = 2
        else:
            rest.append(a)
    return rest


def main(argv: list[str] | None = None) -> None:
    STATE.debug, STATE.verbosity = False, 1  # each call starts afresh (tests call main repeatedly)
    args = _pre_scan(list(sys.argv[1:] if argv is None else argv))
    previous = _on_sigterm()
    stop_was_asked(forget=True)
    try:
        try:
            rc = cli.main(args=args, prog_name="mdptm", standalone_mode=False)
        except BaseException as exc:
            # the stop may come back as another error: a C library turns what a callback raised into its own
            if stop_was_asked() and not isinstance(exc, Terminated):
                if STATE.debug:
                    traceback.print_exc()
                raise Terminated from exc
            raise
    except Terminated:
        click.echo(_TERMINATED_TEXT, err=True)
        sys.exit(TERMINATED)
    except click.exceptions.Abort:
        click.echo("mdptm: aborted", err=True)
        sys.exit(ExitCode.INPUT)
    except click.ClickException as exc:
        exc.show()
        sys.exit(ExitCode.INPUT)
    except MdptmError as exc:
        if STATE.debug:
            traceback.print_exc()
        click.echo(f"mdptm: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("mdptm: interrupted", err=True)
        sys.exit(ExitCode.INPUT)
    except Exception as exc:  # noqa: BLE001 - never a raw traceback for a user
        if STATE.debug:
            traceback.print_exc()
        click.echo(f"mdptm: error: unexpected {type(exc).__name__}: {exc} (run with --debug for details)", err=True)
        sys.exit(ExitCode.INPUT)
    finally:
        _gc_as_before()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if stop_was_asked():  # asked after the last output was put in place: the outputs are whole, the stop is still said
        click.echo(_TERMINATED_TEXT, err=True)
        sys.exit(TERMINATED)
    sys.exit(rc if isinstance(rc, int) else ExitCode.OK)


_TERMINATED_TEXT = "mdptm: terminated; nothing half-written was left (each output is as it was before, or complete)"


def _on_sigterm() -> signal.Handlers | Callable[..., object] | int | None:
    """Turn SIGTERM into an exception so every ``staged_dir``/``staged_file`` cleans up (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, stop_now)
