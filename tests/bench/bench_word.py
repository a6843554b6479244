"""Time ``mdptm import`` of large generated Word threat models, whole process.

Usage (from the repository root):

    python tests/bench/bench_word.py                        # 10 000 threats, three runs
    python tests/bench/bench_word.py --sizes 10000 100000 --repeat 3

For each size the script writes a document with make_docx.py (N threats in one table, N/20 components
and N/30 controls in two more), then runs ``mdptm import FILE.docx -o x.json -q`` as a separate
process — start-up included — and prints the median wall time, the user+sys CPU time of that run and
the largest peak resident set size of the runs (``os.wait4``), with the load average at the start.
Not part of the default test run (tests/conftest.py ignores this folder).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_docx import generate  # noqa: E402
from run_bench import mdptm_command  # noqa: E402


def run_once(cmd: list[str], cwd: Path) -> tuple[float, float, float, int]:
    """Wall seconds, user+sys seconds, peak RSS (MB) and exit code of one process."""
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        code = os.waitstatus_to_exitcode(status)
        if code:
            out.seek(0)
            sys.stderr.write(out.read().decode(errors="replace")[-2000:])
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="write the documents here and keep them")
    args = ap.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="mdptm-bench-word-"))
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'threats':>8} {'docx':>8} {'document.xml':>13} {'wall (median)':>14} {'user+sys':>9} {'peak RSS':>9}")
    worst = 0
    try:
        for n in args.sizes:
            folder = base / f"word-{n}"
            path = folder / "threat-model.docx"
            if not path.exists():
                generate(n, folder)
            with zipfile.ZipFile(path) as zf:
                xml_mb = zf.getinfo("word/document.xml").file_size / 1e6
            cmd = [*mdptm_command(), "import", str(path), "-o", str(folder / "x.json"), "-q"]
            runs = [run_once(cmd, folder) for _ in range(args.repeat)]
            worst = max(worst, *(r[3] for r in runs))
            runs.sort(key=lambda r: r[0])
            wall = statistics.median(r[0] for r in runs)
            cpu = runs[len(runs) // 2][1]
            rss = max(r[2] for r in runs)
            size_mb = path.stat().st_size / 1e6
            walls = ", ".join(f"{r[0]:.2f}" for r in runs)
            print(f"{n:>8} {size_mb:>6.1f}MB {xml_mb:>11.1f}MB {wall:>12.2f} s {cpu:>7.2f} s {rss:>6.0f} MB   (walls: {walls})")
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    return worst


if __name__ == "__main__":
    sys.exit(main())
