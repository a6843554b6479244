"""The same text as Markdown and as Word: a Markdown threat model rebuilt as a .docx the way its author would have
written it in Word (headings as Heading n, bold runs, bullets and numbered items as List Bullet / List Number with
their depth, pipe tables as Word tables, ``<br>`` as line breaks, links as their text, code lines as plain
paragraphs), so that a test can check that both formats give the same model."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import docx

from mdptm.model import Model
from mdptm.model.report import ImportReport

_BOLD = re.compile(r"(\*\*[^*]+\*\*)")


def _runs(par: Any, text: str) -> None:
    text = text.replace("`", "")
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link shows its text
    for i, line in enumerate(re.split(r"<br\s*/?>", text)):
        if i:
            par.add_run().add_break()
        for part in _BOLD.split(line):
            if part.startswith("**") and part.endswith("**") and len(part) > 4:
                par.add_run(part[2:-2]).bold = True
            elif part:
                par.add_run(part)


def _cells(line: str) -> list[str]:
    line = line.strip().removeprefix("|").removesuffix("|")
    return [c.strip() for c in line.split("|")]


def word_from_markdown(text: str, path: Path) -> Path:
    """*text* (Markdown) written to *path* as a Word document of the same words and structure."""
    d = docx.Document()
    lines = text.split("\n")
    para: list[str] = []

    def flush() -> None:
        if para:
            p = d.add_paragraph()
            for k, ln in enumerate(para):
                if k:
                    p.add_run().add_break()
                _runs(p, ln.rstrip())
            para.clear()

    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.startswith("```"):
            flush()
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                d.add_paragraph(lines[i])
                i += 1
            i += 1
            continue
        heading = re.match(r"^(#{1,6})\s+(.*)", ln)
        if heading:
            flush()
            _runs(d.add_heading(level=len(heading.group(1))), heading.group(2))
            i += 1
            continue
        if ln.strip().startswith("|"):
            flush()
            rows: list[list[str]] = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                row = _cells(lines[i])
                if not all(re.fullmatch(r":?-{3,}:?", x) for x in row):
                    rows.append(row)
                i += 1
            table = d.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    cell = table.cell(r, c)
                    cell.text = ""
                    _runs(cell.paragraphs[0], value)
            continue
        item = re.match(r"^(\s*)([-*•]|\d+\.)\s+(.*)", ln)
        if item and not re.match(r"^\s*(---|\*\*\*)\s*$", ln):
            flush()
            style = "List Number" if item.group(2)[0].isdigit() else "List Bullet"
            depth = min(len(item.group(1).expandtabs(4)) // 4 + (1 if len(item.group(1)) % 4 >= 2 else 0), 2)
            if depth:
                style += f" {depth + 1}"
            text = item.group(3)
            i += 1
            while (
                i < len(lines)
                and re.match(r"^\s{2,}\S", lines[i])
                and not re.match(r"^\s*([-*•]|\d+\.)\s+", lines[i])
                and not lines[i].strip().startswith(("|", "```"))
            ):
                # a line of the item's own text under it ("   Mitigation: …"): a line break in the same item, as Word shows it
                text += "<br>" + lines[i].strip()
                i += 1
            _runs(d.add_paragraph(style=style), text)
            continue
        if not ln.strip() or re.match(r"^\s*(---|\*\*\*)\s*$", ln):
            flush()
            i += 1
            continue
        para.append(ln)
        i += 1
    flush()
    d.save(str(path))
    return path


def both(tmp_path: Path, text: str) -> list[tuple[Model, ImportReport]]:
    """The model of *text* read as Markdown and as the same text in Word."""
    from tests.importers.import_helpers import checked_import, load_text

    md = load_text(tmp_path, text)
    word = checked_import(word_from_markdown(text, tmp_path / "tm.docx"))
    return [md, word]
