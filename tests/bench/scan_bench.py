"""Time the leak scan alone on a package a build wrote, in one process.

Usage (from the repository root):

    python tests/bench/make_workbook.py 10000 /tmp/r10k --redacted
    mdptm build /tmp/r10k -o /tmp/r10k-out --draft
    python tests/bench/scan_bench.py /tmp/r10k /tmp/r10k-out [REPEAT]

The project is imported and redacted again (not timed) to get the needles and the output detector the
build used; then the package is scanned REPEAT times (default 2) and the wall and CPU seconds of each
scan printed. The scan runs in this process only (a build splits a large package over two).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import mdptm.redaction.leakscan as leakscan
from mdptm.pipeline.build import load_project_model
from mdptm.redaction.leakscan import scan
from mdptm.redaction.redact import load_policy, output_detector, property_terms, redact


def main() -> None:
    project, package = Path(sys.argv[1]), Path(sys.argv[2])
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    model, _report, settings, root = load_project_model(project)
    policy = load_policy(root / settings.redaction if settings.redaction else None)
    terms = property_terms([root / s.path for s in settings.sources], keep=[model.product.manufacturer])
    public, log = redact(model, policy, extra_terms=terms)
    needles = log.needles()
    leakscan.PARALLEL_BYTES = 1 << 62  # one process: the work itself is measured
    print(f"{len(needles)} needles")
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        hits = scan(package, needles, detect=output_detector(policy, model, public))
        print(f"scan: {time.perf_counter() - wall:.2f} s wall, {time.process_time() - cpu:.2f} s CPU, {len(hits)} hits")


if __name__ == "__main__":
    main()
