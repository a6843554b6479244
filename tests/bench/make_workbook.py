"""Generate a realistic large threat register: N threats over N/20 components and N/30 controls.

Usage: python tests/bench/make_workbook.py N OUT_DIR [--redacted]
(writes OUT_DIR/register.xlsx and OUT_DIR/mdptm.yaml)

With ``--redacted`` the titles and descriptions also name what redaction removes -- internal host
names, hospital addresses, engineers' mailboxes, security tickets and a code name -- and the project
gets a redaction policy (OUT_DIR/redaction.yaml), so the leak scan has about 1.2 needles per threat
to look for in every byte of the package.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from openpyxl import Workbook

STRIDE = ["S", "T", "R", "I", "D", "E"]
KINDS = ["Process", "Data Store", "External Entity", "Device", "Cloud Service", "Mobile App"]
CATEGORIES = [
    "Authentication",
    "Authorization",
    "Cryptography",
    "Code, Data and Execution Integrity",
    "Confidentiality",
    "Event Detection and Logging",
    "Resiliency and Recovery",
    "Updatability and Patchability",
]
STATUS = ["Mitigated", "Partially mitigated", "Accepted", "Open", "Transferred"]
LEVELS = ["Low", "Medium", "High", "Critical"]
VERBS = ["intercepts", "replays", "tampers with", "floods", "impersonates", "exfiltrates", "downgrades"]
OBJECTS = ["therapy parameters", "drug library", "session token", "firmware image", "audit log", "PHI export"]


def _secret(i: int, rnd: random.Random) -> str:
    """A sentence a maker's engineer would write and redaction must take out (or '' for most threats)."""
    kind = i % 5
    if kind == 0:
        return f" Reproduced on build{rnd.randint(1, 40):02d}.kestrel.corp at 10.{i % 200}.{i % 7}.{rnd.randint(2, 250)}."
    if kind == 1:
        return f" Found by eng{rnd.randint(1, 400):03d}@meridian.corp, see PUMPSEC-{i}."
    if kind == 2:
        return f" Tracked as PUMPSEC-{i} in Project Kestrel."
    return ""


def generate(n: int, out: Path, seed: int = 7, *, secrets: bool = False) -> Path:
    rnd = random.Random(seed)
    n_comp = max(2, n // 20)
    n_ctrl = max(2, n // 30)
    wb = Workbook(write_only=True)
    comps = wb.create_sheet("Components")
    comps.append(["Component ID", "Component Name", "Type", "Trust Zone", "Description"])
    names = []
    for i in range(1, n_comp + 1):
        name = f"Component {i:05d}"
        names.append(name)
        comps.append(
            [
                f"CMP-{i:05d}",
                name,
                rnd.choice(KINDS),
                f"Zone {i % 5 + 1}",
                f"{name} handles {rnd.choice(OBJECTS)} for the clinical workflow.",
            ]
        )
    ctrls = wb.create_sheet("Controls")
    ctrls.append(["Control ID", "Control", "Category", "Responsibility", "Status", "Verification"])
    for i in range(1, n_ctrl + 1):
        ctrls.append(
            [
                f"CTL-{i:05d}",
                f"Control {i}: {rnd.choice(VERBS)} prevention",
                rnd.choice(CATEGORIES),
                rnd.choice(["Manufacturer", "Customer", "Shared"]),
                "Implemented",
                f"VT-{i:05d}",
            ]
        )
    threats = wb.create_sheet("Threats")
    threats.append(
        [
            "Threat ID",
            "Title",
            "Description",
            "STRIDE",
            "Affected Component",
            "Likelihood",
            "Severity",
            "Risk",
            "Mitigations",
            "Status",
            "Residual Risk",
            "Rationale",
        ]
    )
    for i in range(1, n + 1):
        comp = rnd.randrange(n_comp)
        k = rnd.randint(1, 3)
        mitig = ", ".join(f"CTL-{rnd.randint(1, n_ctrl):05d}" for _ in range(k))
        lik, sev = rnd.randint(1, 5), rnd.randint(1, 5)
        threats.append(
            [
                f"THR-{i:06d}",
                f"Attacker {rnd.choice(VERBS)} {rnd.choice(OBJECTS)}",
                f"An attacker on the hospital network {rnd.choice(VERBS)} the {rnd.choice(OBJECTS)} of "
                f"{names[comp]} to affect therapy delivery. " * 2 + (_secret(i, rnd) if secrets else ""),
                "/".join(rnd.sample(STRIDE, rnd.randint(1, 2))),
                names[comp] if i % 2 else f"CMP-{comp + 1:05d}",
                lik,
                sev,
                f"{lik} x {sev} = {lik * sev}",
                mitig,
                rnd.choice(STATUS),
                rnd.choice(LEVELS),
                "Residual risk acceptable per risk management plan.",
            ]
        )
    out.mkdir(parents=True, exist_ok=True)
    path = out / "register.xlsx"
    wb.save(path)
    (out / "mdptm.yaml").write_text(
        "sources: [register.xlsx]\n"
        "product: {name: Bench Device, manufacturer: Bench Medical}\n"
        "document: {version: '1.0', date: '2026-01-01'}\n" + ("redaction: redaction.yaml\n" if secrets else "")
    )
    if secrets:
        (out / "redaction.yaml").write_text(
            "terms: [Project Kestrel, kestrel]\npatterns: ['\\bPUMPSEC-\\d+\\b', '\\b10\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\b']\n"
        )
    return path


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]), secrets="--redacted" in sys.argv[3:])
