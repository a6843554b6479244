"""Generate a large Word threat model: N threats over N/20 components and N/30 controls, as three tables.

Usage: python tests/bench/make_docx.py N OUT_DIR   (writes OUT_DIR/threat-model.docx)

The rows are those of make_workbook.py (same seed, same columns). The package (styles, settings,
relationships) comes from python-docx's default document; ``word/document.xml`` is written as text
straight into the zip, row by row, so 100 000 threats take seconds and little memory.
"""

from __future__ import annotations

import io
import random
import sys
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import docx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_workbook import CATEGORIES, KINDS, LEVELS, OBJECTS, STATUS, STRIDE, VERBS  # noqa: E402

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _para(text: str, style: str | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def _row(cells: Sequence[object], header: bool = False) -> str:
    trpr = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
    tcs = "".join(
        f'<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/></w:tcPr><w:p><w:r>{"<w:rPr><w:b/></w:rPr>" if header else ""}'
        f'<w:t xml:space="preserve">{escape(str(c))}</w:t></w:r></w:p></w:tc>'
        for c in cells
    )
    return f"<w:tr>{trpr}{tcs}</w:tr>"


def _table(header: Sequence[str], rows: Iterator[Sequence[object]]) -> Iterator[str]:
    cols = "".join('<w:gridCol w:w="1000"/>' for _ in header)
    yield (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
        f"<w:tblGrid>{cols}</w:tblGrid>{_row(header, header=True)}"
    )
    for row in rows:
        yield _row(row)
    yield "</w:tbl>"


def _body(n: int, seed: int) -> Iterator[str]:
    rnd = random.Random(seed)
    n_comp = max(2, n // 20)
    n_ctrl = max(2, n // 30)
    names = [f"Component {i:05d}" for i in range(1, n_comp + 1)]
    yield _para("Bench Device Threat Model", "Title")
    yield _para("1 Introduction", "Heading1")
    yield _para("Device name: Bench Device")
    yield _para(f"This document records {n} threats to the Bench Device and the controls that mitigate them.")

    def components() -> Iterator[Sequence[object]]:
        for i, name in enumerate(names, start=1):
            yield [
                f"CMP-{i:05d}",
                name,
                rnd.choice(KINDS),
                f"Zone {i % 5 + 1}",
                f"{name} handles {rnd.choice(OBJECTS)} for the clinical workflow.",
            ]

    def controls() -> Iterator[Sequence[object]]:
        for i in range(1, n_ctrl + 1):
            yield [
                f"CTL-{i:05d}",
                f"Control {i}: {rnd.choice(VERBS)} prevention",
                rnd.choice(CATEGORIES),
                rnd.choice(["Manufacturer", "Customer", "Shared"]),
                "Implemented",
                f"VT-{i:05d}",
            ]

    def threats() -> Iterator[Sequence[object]]:
        for i in range(1, n + 1):
            comp = rnd.randrange(n_comp)
            k = rnd.randint(1, 3)
            mitig = ", ".join(f"CTL-{rnd.randint(1, n_ctrl):05d}" for _ in range(k))
            lik, sev = rnd.randint(1, 5), rnd.randint(1, 5)
            yield [
                f"THR-{i:06d}",
                f"Attacker {rnd.choice(VERBS)} {rnd.choice(OBJECTS)}",
                f"An attacker on the hospital network {rnd.choice(VERBS)} the {rnd.choice(OBJECTS)} of "
                f"{names[comp]} to affect therapy delivery. " * 2,
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

    yield _para("2 System Components", "Heading1")
    yield _para("Table 1: Components of the device and its environment", "Caption")
    yield from _table(["Component ID", "Component Name", "Type", "Trust Zone", "Description"], components())
    yield _para("3 Security Controls", "Heading1")
    yield from _table(["Control ID", "Control", "Category", "Responsibility", "Status", "Verification"], controls())
    yield _para("4 Threats", "Heading1")
    yield _para("Every threat identified in the threat modelling sessions, with its risk before and after controls.")
    header = ["Threat ID", "Title", "Description", "STRIDE", "Affected Component", "Likelihood", "Severity", "Risk"]
    header += ["Mitigations", "Status", "Residual Risk", "Rationale"]
    yield from _table(header, threats())


def generate(n: int, out: Path, seed: int = 7) -> Path:
    skeleton = io.BytesIO()
    docx.Document().save(skeleton)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "threat-model.docx"
    with zipfile.ZipFile(skeleton) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info, src.read(info.filename))
        with dst.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>'.encode())
            chunk: list[str] = []
            for piece in _body(n, seed):
                chunk.append(piece)
                if len(chunk) >= 500:
                    fh.write("".join(chunk).encode())
                    chunk.clear()
            fh.write("".join(chunk).encode())
            sect = (
                '<w:sectPr><w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440"/></w:sectPr>'
            )
            fh.write(f"{sect}</w:body></w:document>".encode())
    return path


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
