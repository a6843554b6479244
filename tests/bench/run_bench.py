"""Time ``mdptm build`` on large generated registers against the floor, and a portfolio build.

Usage (from the repository root):

    python tests/bench/run_bench.py                         # 1k, 10k and 100k threats, each built twice
    python tests/bench/run_bench.py --sizes 1000 10000      # the quick check (about half a minute)
    python tests/bench/run_bench.py --sizes --portfolio 200 --jobs 2
    python tests/bench/run_bench.py --sizes 10000 --redacted  # the leak scan with about 12 000 needles

For each size the script generates a workbook (make_workbook.py: N threats, N/20 components, N/30
controls), runs ``mdptm build . -o OUT --draft -v`` as a separate process — start-up and imports
included — and reads the stage timings it prints. Peak memory is that process's maximum resident set
size (from ``os.wait4``). The floor is measured after each build (floor.py: read the workbook once
with openpyxl read-only, write its threat rows once as .xlsx and once as a .docx table). The ratio
is the best build's wall time over the best floor; the pair ratio the median of each build over the
floor measured right after it; the exponent is log(t10k / t1k) / log(10).
Not part of the default test run (tests/conftest.py ignores this folder).
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

from floor import measure  # noqa: E402
from make_workbook import generate  # noqa: E402

_STAGE = re.compile(r"^\s+(\w[\w ]*?)\s+([\d.]+) s$")


@dataclass
class Run:
    wall: float
    rss_mb: float
    cpu: float = 0.0  # user + system seconds of the process and the processes it waited for
    stages: dict[str, float] = field(default_factory=dict)
    code: int = 0


def mdptm_command() -> list[str]:
    """The installed ``mdptm`` next to this interpreter, else ``python -m mdptm``."""
    exe = Path(sys.executable).with_name("mdptm")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "mdptm"]


def timed(cmd: list[str], cwd: Path) -> tuple[float, float, int, str, float]:
    """Wall seconds, peak RSS (MB), exit code, stdout+stderr and CPU seconds (user + system) of one process."""
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return wall, usage.ru_maxrss / 1024, proc.returncode, text, usage.ru_utime + usage.ru_stime


def build_once(project: Path, out: Path) -> Run:
    wall, rss, code, text, cpu = timed([*mdptm_command(), "build", ".", "-o", str(out), "--draft", "-v"], project)
    if code not in (0, 1):
        raise SystemExit(f"build failed ({code}):\n{text[-3000:]}")
    stages = {m.group(1).strip(): float(m.group(2)) for m in map(_STAGE.match, text.splitlines()) if m}
    return Run(wall, rss, cpu=cpu, stages=stages, code=code)


def bench_size(n: int, work: Path, repeat: int, redacted: bool = False) -> tuple[list[Run], dict[str, float]]:
    project = work / f"n{n}"
    t0 = time.perf_counter()
    generate(n, project, secrets=redacted)
    print(f"  {n} threats: workbook generated in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    runs = []
    floors = []
    for i in range(repeat):  # a floor after each build: a machine whose speed drifts affects both alike
        runs.append(build_once(project, work / f"out{n}"))
        print(f"  {n} threats: build {i + 1}: {runs[-1].wall:.2f} s ({runs[-1].cpu:.2f} s CPU), {runs[-1].rss_mb:.0f} MB", file=sys.stderr)
        floors.append(measure(project / "register.xlsx"))
        print(f"  {n} threats: floor {i + 1}: {floors[-1]['total']:.2f} s ({floors[-1]['cpu']:.2f} s CPU)", file=sys.stderr)
    floor = dict(min(floors, key=lambda f: f["total"]))
    floor["pair_ratio"] = statistics.median(r.wall / f["total"] for r, f in zip(runs, floors, strict=True))
    shutil.rmtree(work / f"out{n}", ignore_errors=True)
    shutil.rmtree(work / f"out{n}.internal", ignore_errors=True)
    return runs, floor


def portfolio(copies: int, jobs: int, work: Path) -> tuple[float, float, int]:
    """Seconds, peak RSS of the parent and exit code for *copies* of the sample project."""
    sample = ROOT / "samples" / "infusion-pump"
    dirs = []
    for i in range(copies):
        d = work / "portfolio" / f"p{i:04d}"
        shutil.copytree(sample, d, ignore=shutil.ignore_patterns("out", "out.internal"))
        dirs.append(str(d))
    wall, rss, code, text, _cpu = timed([*mdptm_command(), "build", *dirs, "--jobs", str(jobs)], work)
    print(text.splitlines()[-1] if text else "", file=sys.stderr)
    return wall, rss, code


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 100000], help="threat counts (default: 1000 10000 100000)")
    ap.add_argument("--repeat", type=int, default=2, help="builds per size; the best counts (default 2)")
    ap.add_argument("--portfolio", type=int, default=0, metavar="N", help="also build N copies of the sample project")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes for the portfolio build (default 2)")
    ap.add_argument(
        "--redacted", action="store_true", help="registers naming hosts, addresses, mailboxes and tickets, with a redaction policy"
    )
    ap.add_argument("--work", type=Path, help="working folder (default: a temporary one, removed afterwards)")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="mdptm-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        results: dict[int, tuple[list[Run], dict[str, float]]] = {}
        for n in args.sizes:
            results[n] = bench_size(n, work, max(args.repeat, 1), args.redacted)
        if results:
            report(results)
        if args.portfolio:
            wall, rss, code = portfolio(args.portfolio, args.jobs, work)
            print(
                f"\nportfolio: {args.portfolio} copies of samples/infusion-pump, --jobs {args.jobs}: "
                f"{wall:.1f} s ({wall / args.portfolio:.2f} s per project), exit {code}, parent peak {rss:.0f} MB"
            )
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


def report(results: dict[int, tuple[list[Run], dict[str, float]]]) -> None:
    stages = list(dict.fromkeys(s for runs, _ in results.values() for r in runs for s in r.stages))
    head = ["threats", *stages, "total", "floor", "ratio", "pair ratio", "CPU", "floor CPU", "CPU ratio", "peak MB"]
    rows = []
    best: dict[int, float] = {}
    for n, (runs, floor) in results.items():
        run = min(runs, key=lambda r: r.wall)
        best[n] = run.wall
        rows.append(
            [
                f"{n}",
                *(f"{run.stages.get(s, 0):.2f}" for s in stages),
                f"{run.wall:.2f}",
                f"{floor['total']:.2f}",
                f"{run.wall / floor['total']:.2f}",
                f"{floor['pair_ratio']:.2f}",
                f"{run.cpu:.2f}",
                f"{floor['cpu']:.2f}",
                f"{run.cpu / floor['cpu']:.2f}",
                f"{max(r.rss_mb for r in runs):.0f}",
            ]
        )
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    print()
    print("  ".join(h.rjust(w) for h, w in zip(head, widths, strict=True)))
    for r in rows:
        print("  ".join(v.rjust(w) for v, w in zip(r, widths, strict=True)))
    print(
        "\nstages and total in seconds (total: wall time of the whole command, process start included); "
        "floor: floor.py, measured after each build, the best; ratio: best total / best floor; pair ratio: the median "
        "of each build over the floor measured right after it; CPU: user + system seconds (on a busy machine the steadier "
        "measure; an idle one runs the package and the leak scan in two processes, so the wall time is lower); "
        "best of the builds, peak RSS the highest"
    )
    if 1000 in best and 10000 in best:
        exponent = math.log(best[10000] / best[1000]) / math.log(10)
        print(f"growth exponent 1k -> 10k: {exponent:.2f}")


if __name__ == "__main__":
    main()
