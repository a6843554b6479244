"""The floor a build is measured against: the least work any tool must do with the same workbook.

Read the workbook once with openpyxl in read-only mode, then write its threat rows once as an .xlsx sheet
(openpyxl write-only) and once as a .docx table built with lxml on python-docx's tree.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from lxml import etree
from openpyxl import Workbook, load_workbook


def read_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}
    finally:
        wb.close()


def write_xlsx(rows: list[tuple[object, ...]], out: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Threats")
    for row in rows:
        ws.append(list(row))
    wb.save(out)


def write_docx(rows: list[tuple[object, ...]], out: Path) -> None:
    doc = Document()
    body = doc.element.body
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    tbl = etree.SubElement(body, qn("w:tbl"))
    etree.SubElement(etree.SubElement(tbl, qn("w:tblPr")), qn("w:tblW"), {f"{{{w}}}w": "0", f"{{{w}}}type": "auto"})
    grid = etree.SubElement(tbl, qn("w:tblGrid"))
    for _ in rows[0]:
        etree.SubElement(grid, qn("w:gridCol"))
    for row in rows:
        tr = etree.SubElement(tbl, qn("w:tr"))
        for value in row:
            tc = etree.SubElement(tr, qn("w:tc"))
            r = etree.SubElement(etree.SubElement(tc, qn("w:p")), qn("w:r"))
            etree.SubElement(r, qn("w:t")).text = "" if value is None else str(value)
    doc.save(str(out))


def measure(path: Path) -> dict[str, float]:
    """Seconds for each floor step, their total, and the CPU seconds of the whole."""
    with tempfile.TemporaryDirectory() as tmp:
        c0 = time.process_time()
        t0 = time.perf_counter()
        sheets = read_rows(path)
        t1 = time.perf_counter()
        threats = sheets.get("Threats") or max(sheets.values(), key=len)
        write_xlsx(threats, Path(tmp) / "floor.xlsx")
        t2 = time.perf_counter()
        write_docx(threats, Path(tmp) / "floor.docx")
        t3 = time.perf_counter()
        cpu = time.process_time() - c0
    return {"read": t1 - t0, "write_xlsx": t2 - t1, "write_docx": t3 - t2, "total": t3 - t0, "cpu": cpu}


if __name__ == "__main__":
    import sys

    print(measure(Path(sys.argv[1])))
