"""The leak scan runs the policy's patterns over each paragraph of a Word or HTML file as a line of its own.

Tags became spaces, so the body of ``ptm.docx`` was one line of 180 KB for the sample, and a pattern people
write, ``'.*Zzyzx.*'`` (every line naming a code word), is tried from every place of a line: the search was
quadratic, 157 s for that one part, three minutes for the sample build and days for a large model.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from mdptm.model import Model
from mdptm.redaction.leakscan import scan
from mdptm.redaction.redact import Policy, output_detector

PUBLIC = Model.model_validate({"schema": "mdptm/1", "product": {"name": "Pump", "manufacturer": "Maker"}, "document": {"version": "1"}})
PARAGRAPH = "<w:p><w:r><w:t>The pump checks every order it receives.</w:t></w:r></w:p>"


def _docx(folder: Path, body: str) -> None:
    with zipfile.ZipFile(folder / "ptm.docx", "w") as zf:
        zf.writestr("word/document.xml", f'<w:document xmlns:w="w"><w:body>{body}</w:body></w:document>')


def test_patterns_read_one_paragraph_per_line(tmp_path: Path) -> None:
    _docx(tmp_path, PARAGRAPH * 2000 + "<w:p><w:r><w:t>Code word Zzyzx here</w:t></w:r></w:p>" + PARAGRAPH)
    seen: list[str] = []

    def detect(text: str) -> list[str]:
        seen.append(text)
        return []

    scan(tmp_path, [], detect=detect)
    assert seen
    assert max(len(line) for text in seen for line in text.split("\n")) < 200


def test_a_pattern_still_finds_its_paragraph(tmp_path: Path) -> None:
    _docx(tmp_path, PARAGRAPH * 50 + "<w:p><w:r><w:t>Code word </w:t></w:r><w:r><w:t>Zzyzx here</w:t></w:r></w:p>" + PARAGRAPH)
    (tmp_path / "index.html").write_text("<table><tr><td>a</td><td>the Zzyzx line</td></tr></table><p>next</p>", encoding="utf-8")
    hits = scan(tmp_path, [], detect=output_detector(Policy(patterns=[".*Zzyzx.*"]), PUBLIC, PUBLIC))
    assert {(h.file, " ".join(h.needle.split())) for h in hits} == {("ptm.docx", "Code word Zzyzx here"), ("index.html", "the Zzyzx line")}


@pytest.mark.parametrize("piece", [7, 64, 1000])
def test_markup_read_a_piece_at_a_time_reads_as_a_whole(piece: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large file's markup is turned into text a few MB at a time (a 10 000-threat document.xml had been
    copied whole): cut after a tag, the pieces give exactly the text of the whole."""
    import html

    from mdptm.redaction import leakscan

    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">Row {i} &amp; Nightjar “{i}”</w:t></w:r><w:br/><w:r><w:t>tail {i}</w:t></w:r></w:p>'
        f"<w:tc><w:p><w:r><w:t>cell&#160;{i}</w:t></w:r></w:p></w:tc>"
        for i in range(40)
    )
    whole = html.unescape(leakscan._TAG.sub(" ", leakscan._BLOCK_END.sub("\n", body)))
    monkeypatch.setattr(leakscan, "_VISIBLE_PIECE", piece)
    assert leakscan._visible(body) == whole
    assert whole.count("\n") == 40 * 4  # the break, the two paragraphs, the cell
