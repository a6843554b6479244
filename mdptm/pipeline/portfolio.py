"""Portfolio builds: many projects at once, in parallel processes (``mdptm build DIR [DIR ...] --jobs N``).

A device maker with a portfolio rebuilds every PTM at each release. Each project is built exactly as
``mdptm build DIR`` would build it, in a worker process of its own; a project that fails is reported
with its exit code and message, and the others carry on. Results come back in the order given.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from mdptm.base.process import TERMINATED, stop_now
from mdptm.errors import ExitCode, MdptmError
from mdptm.plugins import Audience

__all__ = ["ProjectResult", "build_many", "default_jobs", "neutral_folders", "output_folders"]


@dataclass
class ProjectResult:
    """What one project's build came to: exit code 0 (written), 1 (blocked) or 2 (bad input)."""

    project: Path
    exit_code: ExitCode = ExitCode.OK
    out: Path | None = None
    seconds: float = 0.0
    threats: int = 0
    message: str = ""  # the error, or why the package was not written
    warnings: list[str] = field(default_factory=list)
    renamed: bool = False  # written to its neutral folder: the project folder's name holds something withheld
    internal: Path | None = None  # its internal reports
    # OUT.internal/ of an earlier build, inside the release folder with the packages (now RELEASE.internal/NAME/)
    stale_internal: Path | None = None

    @property
    def status(self) -> str:
        return {ExitCode.OK: "built", ExitCode.BLOCKED: "blocked"}.get(self.exit_code, "failed")


def default_jobs() -> int:
    """One worker per available CPU."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on every platform
        return max(os.cpu_count() or 1, 1)


def output_folders(projects: Sequence[Path], out_root: Path | None) -> list[Path | None]:
    """Where each package goes: its project's own default (None) or, under *out_root*, a folder
    named after the project (``-2``, ``-3``... when two projects share a folder name)."""
    return [pair[0] if pair else None for pair in _folders(projects, out_root)]


def neutral_folders(projects: Sequence[Path], out_root: Path | None) -> list[Path | None]:
    """Under *out_root*, the folder each package goes to instead when its project folder's name holds something
    the project's policy withholds (``kestrel-pump`` of the code name Kestrel): ``package-N``, N its place in
    *projects*, never the name of another project's folder."""
    return [pair[1] if pair else None for pair in _folders(projects, out_root)]


def internal_root(out_root: Path | None) -> Path | None:
    """The folder of the internal reports of the packages under *out_root*: beside it (``RELEASE.internal/``), as a
    build's ``OUT.internal/`` is beside its package, never inside the release folder a maker hands on whole."""
    from mdptm.pipeline.run import internal_folder

    if out_root is None:
        return None
    root = Path(os.path.abspath(out_root))  # "-o ." has a name only once made absolute
    return internal_folder(root) if root.name else None


def _folders(projects: Sequence[Path], out_root: Path | None) -> list[tuple[Path, Path] | None]:
    if out_root is None:
        return [None] * len(projects)
    taken: set[str] = set()
    names: list[str] = []
    for project in projects:
        folder = project if project.is_dir() else project.parent
        base = folder.resolve().name or "project"
        name, n = base, 2
        while name.casefold() in taken:
            name, n = f"{base}-{n}", n + 1
        taken.add(name.casefold())
        names.append(name)
    neutral: list[str] = []
    for i in range(len(projects)):
        name, n = f"package-{i + 1}", 2
        while name.casefold() in taken:
            name, n = f"package-{i + 1}-{n}", n + 1
        taken.add(name.casefold())
        neutral.append(name)
    return [(out_root / a, out_root / b) for a, b in zip(names, neutral, strict=True)]


_WORKER = {"busy": False, "stopped": False}


def _worker_start() -> None:
    """A worker stops when the portfolio is stopped (SIGTERM from :func:`build_many`)."""
    signal.signal(signal.SIGTERM, _worker_stop)


def _worker_stop(*_signal: object) -> None:
    """Mid-build, unwind as ``mdptm build`` does (its staging folders go), then leave (:func:`build_one`);
    idle, leave at once, quietly. A worker that stayed would wait for work from a portfolio that is gone."""
    if _WORKER["busy"]:
        _WORKER["stopped"] = True
        stop_now()
    os._exit(TERMINATED)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """The portfolio was stopped: no further project starts, and the ones being built stop now.

    Left to the pool, its shutdown waits for every project already handed to it: a portfolio stopped
    after 6 s went on for 48 s, building all six before it exited.
    """
    pool.shutdown(wait=False, cancel_futures=True)
    workers = multiprocessing.active_children()  # the pool's workers: the executor has no public list
    for child in workers:
        child.terminate()
    for child in workers:  # each removes its staging folders before it goes
        child.join(timeout=30)


def build_one(
    project: Path, out: Path | None, draft: bool, audience: Audience, neutral: Path | None = None, internal_dir: Path | None = None
) -> ProjectResult:
    """Build one project, turning every failure into a result: a worker never raises."""
    from mdptm.base.parallel import sequential
    from mdptm.base.process import lean_gc
    from mdptm.pipeline.build import build
    from mdptm.pipeline.run import internal_folder

    t0 = time.perf_counter()
    result = ProjectResult(project=project)
    _WORKER["busy"] = True
    try:
        # A worker is a process of its own: its memory policy is set here, as the CLI sets the main process's.
        with sequential(), lean_gc():  # the portfolio already keeps every core busy
            built = build(project, out, draft=draft, audience=audience, neutral=neutral, internal_dir=internal_dir)
    except MdptmError as exc:
        result.exit_code, result.message = exc.exit_code, str(exc)
    except Exception as exc:  # noqa: BLE001 - one broken project must not stop a portfolio
        result.exit_code, result.message = ExitCode.INPUT, f"unexpected {type(exc).__name__}: {exc}"
    else:
        result.exit_code = built.exit_code
        result.out = built.out if built.exit_code == ExitCode.OK else built.internal
        result.renamed = neutral is not None and built.out == neutral
        result.threats = len(built.model.threats)
        result.warnings = list(built.warnings)
        result.internal = built.internal
        earlier = internal_folder(built.out) if internal_dir is not None else None
        if earlier is not None and earlier != built.internal and earlier.is_dir():
            result.stale_internal = earlier  # where an earlier version put them: handed on with the packages
        if built.exit_code and built.warnings:
            result.message = built.warnings[-1]
    finally:
        _WORKER["busy"] = False
        if _WORKER["stopped"]:  # unwound: its staging folders are gone; the portfolio wants no result
            os._exit(TERMINATED)
    result.seconds = time.perf_counter() - t0
    return result


def build_many(
    projects: Sequence[Path],
    *,
    jobs: int | None = None,
    out_root: Path | None = None,
    draft: bool = False,
    audience: Audience = Audience.PUBLIC,
    on_done: Callable[[ProjectResult], None] | None = None,
) -> list[ProjectResult]:
    """Build every project, *jobs* at a time (default: one per CPU); results in the order given.

    *on_done* is called in this process as each project finishes (for a progress bar).
    """
    jobs = max(1, min(jobs or default_jobs(), len(projects) or 1))
    pairs = _folders(projects, out_root)  # each package's folder, and its neutral one
    outs = [pair[0] if pair else None for pair in pairs]
    neutrals = [pair[1] if pair else None for pair in pairs]
    internal_dir = internal_root(out_root)
    results: list[ProjectResult | None] = [None] * len(projects)

    def finish(i: int, res: ProjectResult) -> None:
        results[i] = res
        if on_done is not None:
            on_done(res)

    if jobs == 1:
        for i, (project, out, neutral) in enumerate(zip(projects, outs, neutrals, strict=True)):
            finish(i, build_one(project, out, draft, audience, neutral, internal_dir))
    else:
        import mdptm.pipeline.build  # noqa: F401 - loaded once here, so forked workers start ready

        with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_start) as pool:
            futures: dict[Future[ProjectResult], int] = {
                pool.submit(build_one, project, out, draft, audience, neutral, internal_dir): i
                for i, (project, out, neutral) in enumerate(zip(projects, outs, neutrals, strict=True))
            }
            pending = set(futures)
            try:
                while pending:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in sorted(done, key=lambda f: futures[f]):
                        i = futures[fut]
                        try:
                            res = fut.result()
                        except BrokenProcessPool:
                            died = "the worker process building it died"
                            res = ProjectResult(project=projects[i], exit_code=ExitCode.INPUT, message=died)
                        finish(i, res)
            except BaseException:  # stopped (SIGTERM), or the caller's progress report failed
                _stop_workers(pool)
                raise
    return [r for r in results if r is not None]
