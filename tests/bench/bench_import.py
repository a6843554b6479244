"""Time ``mdptm import FILE.tm7`` on every corpus .tm7, and ``mdptm --version``, as separate processes.

Usage (from the repository root, with the package installed so that its modules are byte-compiled):

    python tests/bench/bench_import.py                  # 9 runs each
    python tests/bench/bench_import.py --repeat 15 --corpus ../shared/corpus/tm7
    python tests/bench/bench_import.py --mdptm /path/to/other/venv/bin/mdptm   # another installation

Each run is a new process (``mdptm import FILE -o OUT.json -q``): start-up, imports and the import itself.
The script prints, per file, the median wall time, the median user+sys CPU time and the largest peak
resident set size (``os.wait4``) over the runs, then the same for ``mdptm --version``. On a machine
shared with other work, wall time follows the load; CPU time much less so, which is why both are shown.
PYTHONDONTWRITEBYTECODE is removed from the children's environment: a user's ``pip install`` compiles
the modules once, and an uncompiled editable install would otherwise recompile them on every run.
Not part of the default test run (tests/conftest.py ignores this folder).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "tm7"


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_mb: float


def mdptm_command() -> list[str]:
    """The installed ``mdptm`` next to this interpreter, else ``python -m mdptm``."""
    exe = Path(sys.executable).with_name("mdptm")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "mdptm"]


def run_once(cmd: list[str], env: dict[str, str]) -> Sample:
    """One process: wall seconds, user+sys seconds and peak RSS, from ``os.wait4``."""
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            out.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed ({code}):\n{out.read().decode('utf-8', 'replace')[-3000:]}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def measure(cmd: list[str], repeat: int, env: dict[str, str]) -> tuple[float, float, float]:
    """Median wall, median user+sys and the largest peak RSS over *repeat* runs (after one warm-up)."""
    run_once(cmd, env)  # writes any missing .pyc files and warms the file cache
    samples = [run_once(cmd, env) for _ in range(repeat)]
    return (
        statistics.median(s.wall for s in samples),
        statistics.median(s.cpu for s in samples),
        max(s.rss_mb for s in samples),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=9, help="runs per command (default 9)")
    ap.add_argument("--corpus", type=Path, default=CORPUS, help=f"folder of .tm7 files (default {CORPUS})")
    ap.add_argument("--mdptm", type=Path, help="the mdptm command to time (default: the one beside this Python)")
    args = ap.parse_args()
    files = sorted(args.corpus.glob("*.tm7"))
    if not files:
        raise SystemExit(f"no .tm7 files in {args.corpus}")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    base = [str(args.mdptm)] if args.mdptm else mdptm_command()
    print(f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} CPUs, {args.repeat} runs each")
    print(f"{'command':<48} {'wall':>8} {'user+sys':>9} {'peak RSS':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        rows = [(f"import {f.name}", [*base, "import", str(f), "-o", str(Path(tmp) / "x.json"), "-q"]) for f in files]
        rows.append(("--version", [*base, "--version"]))
        for label, cmd in rows:
            wall, cpu, rss = measure(cmd, args.repeat, env)
            print(f"{label:<48} {wall:>6.3f} s {cpu:>7.3f} s {rss:>6.0f} MB", flush=True)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
