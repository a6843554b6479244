"""The leak scan reads every byte of every file: zip members, properties, comments, escapes, splits."""

from __future__ import annotations

import base64
import io
import json
import time
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from openpyxl.comments import Comment

from mdptm.errors import BlockingError
from mdptm.redaction.leakscan import LeakError, LiteralMatcher, assert_no_leaks, property_values, scan

NAME = "Jane Roe"


def make_docx(
    path: Path,
    *,
    body: list[list[str]] | None = None,
    author: str = "",
    last: str = "",
    comments: str = "",
    comment: tuple[str, str] | None = None,
) -> Path:
    """A Word file; each inner list of *body* is one paragraph written as separate runs."""
    d = docx.Document()
    for runs in body or [["Plain text"]]:
        p = d.add_paragraph()
        for text in runs:
            p.add_run(text)
    cp = d.core_properties
    cp.author, cp.last_modified_by, cp.comments = author, last, comments
    if comment is not None:
        d.add_comment(d.paragraphs[0].runs, text=comment[1], author=comment[0], initials="X")
    d.save(str(path))
    return path


def add_member(path: Path, name: str, data: bytes) -> None:
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr(name, data)


def needles_found(hits: list) -> set[str]:  # type: ignore[type-arg]
    return {h.needle for h in hits}


# ------------------------------------------------------------------------------------------ docx


def test_clean_docx_has_no_hits(tmp_path: Path) -> None:
    make_docx(tmp_path / "ptm.docx", body=[["Infusion pump threat model"]])
    assert scan(tmp_path, [NAME, "Kestrel"]) == []


def test_text_split_across_runs_is_found(tmp_path: Path) -> None:
    make_docx(tmp_path / "ptm.docx", body=[["Built for Project ", "Kes", "trel", " in 2026"]])
    hits = scan(tmp_path, ["Project Kestrel"])
    assert [(h.file, h.part, h.needle) for h in hits] == [("ptm.docx", "word/document.xml", "Project Kestrel")]


@pytest.mark.parametrize(
    ("field", "part"),
    [("author", "docProps/core.xml"), ("last", "docProps/core.xml"), ("comments", "docProps/core.xml")],
)
def test_core_properties_are_read(tmp_path: Path, field: str, part: str) -> None:
    make_docx(tmp_path / "ptm.docx", **{field: NAME})  # type: ignore[arg-type]
    hits = scan(tmp_path, [NAME])
    assert [(h.file, h.part) for h in hits] == [("ptm.docx", part)]


def test_word_comments_are_read(tmp_path: Path) -> None:
    make_docx(tmp_path / "ptm.docx", comment=(NAME, "ask build01.meridian.corp"))
    hits = scan(tmp_path, [NAME, "build01.meridian.corp"])
    assert {(h.part, h.needle) for h in hits} == {
        ("word/comments.xml", NAME),
        ("word/comments.xml", "build01.meridian.corp"),
    }


def test_custom_xml_and_custom_properties_are_read(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "ptm.docx")
    add_member(path, "customXml/item9.xml", b"<root><owner>jane.roe@meridian.corp</owner></root>")
    custom = b'<Properties><property name="Ticket"><vt:lpwstr xmlns:vt="x">PUMPSEC-214</vt:lpwstr></property></Properties>'
    add_member(path, "docProps/custom.xml", custom)
    hits = scan(path, ["jane.roe@meridian.corp", "PUMPSEC-214"])
    assert {(h.part, h.needle) for h in hits} == {
        ("customXml/item9.xml", "jane.roe@meridian.corp"),
        ("docProps/custom.xml", "PUMPSEC-214"),
    }


def test_xml_escaped_and_character_references_are_decoded(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "ptm.docx", body=[["Tested by AT&T Labs"]])  # stored as AT&amp;T
    add_member(path, "word/footer9.xml", b"<w:ftr><w:t>&#74;ane&#160;Roe</w:t></w:ftr>")
    hits = scan(path, ["AT&T Labs", NAME])
    assert {(h.part, h.needle) for h in hits} == {("word/document.xml", "AT&T Labs"), ("word/footer9.xml", NAME)}


def test_embedded_workbook_inside_docx_is_opened(tmp_path: Path) -> None:
    inner = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active["A1"] = "10.20.30.40"
    wb.save(inner)
    path = make_docx(tmp_path / "ptm.docx")
    add_member(path, "word/embeddings/Microsoft_Excel_Worksheet.xlsx", inner.getvalue())
    hits = scan(path, ["10.20.30.40"])
    assert hits and all(h.part and h.part.startswith("word/embeddings/Microsoft_Excel_Worksheet.xlsx/xl/") for h in hits)


def test_property_values_of_a_word_file(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "tm.docx", author=NAME, last="J. Roe", comments="draft for Kestrel")
    props = property_values(path)
    assert props["core:creator"] == NAME
    assert props["core:lastModifiedBy"] == "J. Roe"
    assert props["core:description"] == "draft for Kestrel"
    assert property_values(tmp_path / "missing.txt") == {}


# ------------------------------------------------------------------------------------------ xlsx


def test_xlsx_cells_comments_sheet_names_and_properties(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Kestrel register"
    ws["A1"] = "see PUMPSEC-214"
    ws["B2"] = "ok"
    ws["B2"].comment = Comment("reviewed by " + NAME, "reviewer")
    hidden = wb.create_sheet("hidden")
    hidden.sheet_state = "hidden"
    hidden["C3"] = "jane.roe@meridian.corp"
    wb.properties.lastModifiedBy = "J. Roe"
    wb.save(tmp_path / "ptm.xlsx")
    hits = scan(tmp_path, ["Kestrel", "PUMPSEC-214", NAME, "jane.roe@meridian.corp", "J. Roe"])
    found: dict[str, set[str]] = {}
    for h in hits:
        found.setdefault(h.needle, set()).add(h.part or "")
    assert set(found) == {"Kestrel", "PUMPSEC-214", NAME, "jane.roe@meridian.corp", "J. Roe"}
    assert found["J. Roe"] == {"docProps/core.xml"}
    assert "xl/workbook.xml" in found["Kestrel"]  # the sheet name
    assert any(p.startswith("xl/worksheets/sheet2") or "sharedStrings" in p for p in found["jane.roe@meridian.corp"])
    assert any("comments" in p for p in found[NAME])


# ------------------------------------------------------------------------------- other formats


def test_json_unicode_escapes_are_decoded(tmp_path: Path) -> None:
    (tmp_path / "ptm.json").write_text(json.dumps({"t": "Jäne Röe called"}, ensure_ascii=True))
    assert "\\u00e4" in (tmp_path / "ptm.json").read_text()
    assert needles_found(scan(tmp_path, ["Jäne Röe"])) == {"Jäne Röe"}


def test_html_split_by_tags_and_entities(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<p><b>Jane</b>&nbsp;<i>Roe</i> wrote this</p>")
    assert needles_found(scan(tmp_path, [NAME])) == {NAME}


def test_base64_data_uri_is_decoded(tmp_path: Path) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><text>build01.meridian.corp</text></svg>'
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    (tmp_path / "index.html").write_text(f'<img src="{uri}">')
    hits = scan(tmp_path, ["build01.meridian.corp"])
    assert [(h.file, h.part) for h in hits] == [("index.html", "data URI #1")]


def test_url_encoded_text_is_decoded(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text('<a href="mailto:jane.roe%40meridian.corp">mail</a>')
    assert needles_found(scan(tmp_path, ["jane.roe@meridian.corp"])) == {"jane.roe@meridian.corp"}


def test_case_and_whitespace_do_not_hide_a_needle(tmp_path: Path) -> None:
    (tmp_path / "guide.md").write_text("Contact JANE\n  roe for access.")
    assert needles_found(scan(tmp_path, [NAME])) == {NAME}


def test_file_names_are_checked(tmp_path: Path) -> None:
    (tmp_path / "guides").mkdir()
    (tmp_path / "guides" / "kestrel-deployment.md").write_text("nothing")
    hits = scan(tmp_path, ["Kestrel"])
    assert [(h.file, h.part) for h in hits] == [("guides/kestrel-deployment.md", "(file name)")]


def test_utf16_text_is_decoded(tmp_path: Path) -> None:
    (tmp_path / "notes.bin").write_bytes("owner: Jane Roe".encode("utf-16"))
    assert needles_found(scan(tmp_path, [NAME])) == {NAME}


def test_a_corrupt_zip_blocks_too(tmp_path: Path) -> None:
    (tmp_path / "ptm.docx").write_bytes(b"PK\x03\x04 not really a zip")
    hits = scan(tmp_path, [NAME])
    assert len(hits) == 1 and hits[0].problem and "zip" in hits[0].problem


def test_no_needles_means_nothing_to_find(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("anything")
    assert scan(tmp_path, []) == []
    assert scan(tmp_path, ["", "   "]) == []


# --------------------------------------------------------------------------- blocking behaviour


def test_assert_no_leaks_removes_the_package_and_names_file_and_part(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    make_docx(out / "ptm.docx", author=NAME)
    (out / "ptm.json").write_text("{}")
    with pytest.raises(LeakError) as exc:
        assert_no_leaks(out, [NAME])
    assert isinstance(exc.value, BlockingError) and exc.value.exit_code == 1
    assert "ptm.docx (docProps/core.xml)" in str(exc.value)
    assert not out.exists()


def test_assert_no_leaks_keeps_a_clean_package(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    make_docx(out / "ptm.docx", body=[["clean"]])
    assert assert_no_leaks(out, [NAME]) == []
    assert (out / "ptm.docx").exists()


# ------------------------------------------------------------------------------- the matcher


def test_matcher_spans_prefer_the_longest_needle_and_map_back_to_the_original() -> None:
    m = LiteralMatcher(["Jane", "Jane Roe", "Roe Labs"])
    assert [n for _, _, n in m.spans("by JANE ROE today")] == ["Jane Roe"]
    assert [n for _, _, n in m.spans("by jane alone")] == ["Jane"]
    assert [n for _, _, n in m.spans("at roe\tlabs")] == ["Roe Labs"]
    assert m.found("by JANE ROE today") >= {"Jane Roe"}


@pytest.mark.parametrize("automaton", [True, False], ids=["aho-corasick", "regex"])
def test_matcher_finds_the_same_with_and_without_the_automaton(automaton: bool) -> None:
    m = LiteralMatcher(["Jane Roe", "PUMPSEC-214", "İstanbul lab"])
    if not automaton:
        m._automaton = None
    assert m.found("Contact JANE\n\t roe about pumpsec-214 at the istanbul lab") == {"Jane Roe", "PUMPSEC-214", "İstanbul lab"}
    assert m.found("Jane Rowe") == set()


def test_matcher_handles_regex_metacharacters() -> None:
    m = LiteralMatcher(["a.b*c", "(x)", "[y]", "\\z"])
    assert m.found("axb*c a.b*c (x) [y] \\z") == {"a.b*c", "(x)", "[y]", "\\z"}
    # a bracket reads as a break, so "(x)" is the word x standing alone (as "Project (Nightjar)" is the term)
    assert m.found("aXbbbc xx yy z") == set()


def test_many_needles_scan_in_one_pass(tmp_path: Path) -> None:
    needles = [f"secret-token-{i:05d}-x" for i in range(10_000)]
    text = ("The pump talks to the server over TLS. " * 40_000) + needles[7777]
    (tmp_path / "big.md").write_text(text)
    started = time.perf_counter()
    hits = scan(tmp_path, needles)
    elapsed = time.perf_counter() - started
    assert [h.needle for h in hits] == [needles[7777]]
    assert elapsed < 20, f"scan of {len(text)} bytes with 10k needles took {elapsed:.1f}s"


def test_yaml_folded_and_escaped_strings_are_decoded(tmp_path: Path) -> None:
    import yaml

    value = "ab " * 11 + "Jane Roe \x07 end"
    text = yaml.safe_dump({"d": value}, width=40, default_style='"')
    assert "Jane Roe" not in text  # folded with an escaped line break
    (tmp_path / "ptm.yaml").write_text(text)
    assert needles_found(scan(tmp_path, [NAME])) == {NAME}


def test_a_missing_package_is_an_input_error(tmp_path: Path) -> None:
    from mdptm.errors import InputError

    with pytest.raises(InputError, match="no such file or folder"):
        scan(tmp_path / "out", [NAME])
