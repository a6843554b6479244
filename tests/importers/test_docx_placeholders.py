"""A Word content control that shows its placeholder ("Click or tap here to enter text.") holds no text of the
author's: an empty field of a form. It was read as text, so a threat's title became "Spoofing of the pump Click
or tap here to enter text." and was published so."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx

from tests.importers.import_helpers import checked_import
from tests.importers.md_word import word_from_markdown

PROMPT = "Click or tap here to enter text."


def _control(content: str, *, placeholder: bool = True) -> str:
    shown = "<w:showingPlcHdr/>" if placeholder else ""
    return f"<w:sdt><w:sdtPr>{shown}<w:text/></w:sdtPr><w:sdtContent>{content}</w:sdtContent></w:sdt>"


def _run(text: str) -> str:
    return f'<w:r><w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def _rewrite(path: Path, edit: dict[bytes, bytes]) -> Path:
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    body = members["word/document.xml"]
    for old, new in edit.items():
        assert old in body, old
        body = body.replace(old, new, 1)
    members["word/document.xml"] = body
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _table(path: Path) -> Path:
    d = docx.Document()
    d.add_heading("Threats", 1)
    table = d.add_table(rows=3, cols=4)
    rows = [
        ["ID", "Threat", "STRIDE", "Description"],
        ["T-1", "Spoofing of the pump", "Spoofing", "A rogue server"],
        ["T-2", "Tampering", "Tampering", "Altered orders"],
    ]
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    d.save(str(path))
    return path


def test_a_placeholder_in_a_table_cell_is_no_text(tmp_path: Path) -> None:
    path = _rewrite(
        _table(tmp_path / "tm.docx"),
        {
            # a block control after the title's paragraph, and one inside the description's paragraph
            b"<w:t>Spoofing of the pump</w:t></w:r></w:p>": b"<w:t>Spoofing of the pump</w:t></w:r></w:p>"
            + _control(f"<w:p>{_run(PROMPT)}</w:p>").encode(),
            b"<w:t>Altered orders</w:t></w:r>": b"<w:t>Altered orders</w:t></w:r>" + _control(_run(" " + PROMPT)).encode(),
        },
    )
    model, _report = checked_import(path)
    expected = [("Spoofing of the pump", "A rogue server"), ("Tampering", "Altered orders")]
    assert [(t.title, t.description) for t in model.threats] == expected


def test_a_filled_content_control_is_read(tmp_path: Path) -> None:
    path = _rewrite(
        _table(tmp_path / "tm.docx"),
        {
            b"<w:t>Altered orders</w:t></w:r>": b"<w:t>Altered orders</w:t></w:r>"
            + _control(_run(" at the pump"), placeholder=False).encode()
        },  # noqa: E501
    )
    model, _report = checked_import(path)
    assert [t.description for t in model.threats] == ["A rogue server", "Altered orders at the pump"]


def test_a_placeholder_paragraph_between_sections_is_no_text(tmp_path: Path) -> None:
    text = (
        "# Threat model\n\n## Threats\n\n### T-1 Spoofing of the pump\n\nA rogue server sends orders.\n\n"
        "### T-2 Tampering with orders\n\nOrders are altered.\n"
    )
    path = word_from_markdown(text, tmp_path / "tm.docx")
    path = _rewrite(
        path,
        {b"sends orders.</w:t></w:r></w:p>": b"sends orders.</w:t></w:r></w:p>" + _control(f"<w:p>{_run(PROMPT)}</w:p>").encode()},
    )
    model, _report = checked_import(path)
    assert {t.title: t.description for t in model.threats} == {
        "Spoofing of the pump": "A rogue server sends orders.",
        "Tampering with orders": "Orders are altered.",
    }
