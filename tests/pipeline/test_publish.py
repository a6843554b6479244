"""The PTM package (SPEC §7): every file, true hashes, same bytes twice, what each form must hold."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import docx
import jsonschema
import openpyxl
import pytest

from mdptm.base.output import MARKER
from mdptm.documents.ptm import QUESTIONS
from mdptm.errors import BlockingError
from mdptm.model import PLACEHOLDER, Model
from mdptm.model.io import dumps
from mdptm.model.results import Finding, Review
from mdptm.model.schema import model_schema
from mdptm.pipeline.publish import public_data, publish
from mdptm.plugins import ExportContext
from tests.ptm_fixture import coverage, model, model_data, review

EPOCH = 1740787200  # 2025-03-01


def _ctx(**kw: object) -> ExportContext:
    base: dict[str, object] = {"coverage": coverage(), "review": review(), "epoch": EPOCH}
    base.update(kw)
    return ExportContext(**base)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pub") / "ptm"
    publish(model(), out, _ctx())
    return out


def docx_text(path: Path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_package_has_every_file_and_true_hashes(package: Path) -> None:
    names = sorted(p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file())
    phases = ["decommissioning", "deployment", "operations", "pre-procurement", "procurement"]
    guides = sorted([f"guides/{phase}.{ext}" for phase in phases for ext in ("docx", "md")] + ["guides/deployment-network.png"])
    files = ["MANIFEST.json", "index.html", "ptm.docx", "ptm.json", "ptm.otm.json", "ptm.xlsx", *guides]
    assert names == sorted([*files, MARKER])  # the marker says the folder is mdptm's to replace
    otm = json.loads((package / "ptm.otm.json").read_text())
    assert otm["otmVersion"] and len(otm["threats"]) == len(model().threats)
    manifest = json.loads((package / "MANIFEST.json").read_text())
    assert manifest["tool"] == "mdptm"
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(names) - {"MANIFEST.json", MARKER}
    for name, entry in listed.items():
        data = (package / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["size"] == len(data)
    assert manifest["model_sha256"] == listed["ptm.json"]["sha256"]


@pytest.mark.slow
def test_same_input_gives_the_same_bytes(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    publish(model(), a, _ctx(draft=True))
    publish(model(), b, _ctx(draft=True))
    files = sorted(f.relative_to(a) for f in a.rglob("*") if f.is_file())
    assert files == sorted(f.relative_to(b) for f in b.rglob("*") if f.is_file())
    for f in files:
        assert (a / f).read_bytes() == (b / f).read_bytes(), f


def test_ptm_json_is_the_public_model_and_validates(package: Path) -> None:
    data = json.loads((package / "ptm.json").read_text())
    jsonschema.validate(data, model_schema())
    public = Model.model_validate(data)
    assert [t.id for t in public.threats] == [t.id for t in model().threats]
    # byte form identical to the canonical serialisation of the stripped model
    assert (package / "ptm.json").read_text(encoding="utf-8") == dumps(Model.model_validate(public_data(model())))


def test_internal_fields_never_reach_the_package(tmp_path: Path) -> None:
    data = model_data()
    data["threats"][0]["source"] = {"file": "SECRET-FILE.xlsx", "locator": "SECRET-LOCATOR!B2"}
    data["threats"][0]["notes"] = "SECRET-NOTE"
    data["controls"][0]["extra"] = {"Owner": "SECRET-EXTRA"}
    data["flows"][0]["provenance"] = {"file": "SECRET-PROVENANCE.tm7"}
    publish(Model.model_validate(data), tmp_path / "p", _ctx())
    blobs = []
    for f in (tmp_path / "p").rglob("*"):
        if f.is_dir():
            continue
        raw = f.read_bytes()
        blobs.append(raw)
        if raw[:2] == b"PK":
            with zipfile.ZipFile(f) as z:
                blobs.extend(z.read(n) for n in z.namelist())
    everything = b"\n".join(blobs)
    for canary in (b"SECRET-FILE", b"SECRET-LOCATOR", b"SECRET-NOTE", b"SECRET-EXTRA", b"SECRET-PROVENANCE"):
        assert canary not in everything


def test_word_has_the_four_questions_as_chapters(package: Path) -> None:
    d = docx.Document(str(package / "ptm.docx"))
    chapters = [p.text for p in d.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert len(chapters) == 4
    for chapter, question in zip(chapters, QUESTIONS, strict=True):
        assert chapter.endswith(question)


def test_word_uses_real_word_features(package: Path) -> None:
    path = package / "ptm.docx"
    with zipfile.ZipFile(path) as z:
        body = z.read("word/document.xml").decode()
        names = z.namelist()
        footers = "".join(z.read(n).decode() for n in names if n.startswith("word/footer"))
        core = z.read("docProps/core.xml").decode()
        app = z.read("docProps/app.xml").decode()
        settings = z.read("word/settings.xml").decode()
        infos = z.infolist()
    assert "TOC \\o" in body and 'w:updateFields w:val="true"' in settings
    assert "SEQ Figure" in body and "SEQ Table" in body
    assert "<w:tblHeader/>" in body
    assert "PAGE" in footers and "NUMPAGES" in footers
    assert re.search(r"<w:drawing>", body)
    drawing_ids = re.findall(r'<wp:docPr id="(\d+)"', body)
    assert len(drawing_ids) >= 5 and len(set(drawing_ids)) == len(drawing_ids)
    # neutral, fixed document properties and zip entries
    assert "creator" not in core and "lastModifiedBy" not in core
    assert "2025-03-01T00:00:00Z" in core
    assert "Company" not in app and "Template" not in app
    assert not any(n.startswith(("customXml/", "docProps/thumbnail", "docProps/custom")) for n in names)
    assert "w:rsid" not in body
    assert {i.date_time for i in infos} == {(2025, 3, 1, 0, 0, 0)}
    d = docx.Document(str(path))
    assert d.core_properties.author in ("", None)


def test_every_threat_id_is_in_word_excel_and_html(package: Path) -> None:
    ids = [t.id for t in model().threats]
    text = docx_text(package / "ptm.docx")
    wb = openpyxl.load_workbook(package / "ptm.xlsx", read_only=True)
    sheet_ids = {row[0] for row in wb["Threats"].iter_rows(min_row=2, values_only=True)}
    html = (package / "index.html").read_text(encoding="utf-8")
    for tid in ids:
        assert re.search(rf"\b{re.escape(tid)}\b", text), tid
        assert tid in sheet_ids, tid
        assert f"<td>{tid}</td>" in html, tid


def test_workbook_sheets_and_house_style(package: Path) -> None:
    wb = openpyxl.load_workbook(package / "ptm.xlsx")
    assert wb.sheetnames[:10] == [
        "About",
        "Threats",
        "Controls",
        "Elements",
        "Flows",
        "Assets",
        "Views",
        "Trust zones",
        "Assumptions",
        "Coverage cra-annex-i",
    ]
    assert {"Coverage mc2", "Coverage fda-premarket"} <= set(wb.sheetnames)
    ws = wb["Threats"]
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == f"A1:U{len(model().threats) + 1}"
    assert ws["A1"].value == "ID" and ws["A1"].font.bold
    assert ws["B2"].alignment.wrap_text
    risk_col = [c.value for c in ws[1]].index("Risk") + 1
    assert ws.cell(row=2, column=risk_col).fill.fgColor.rgb.endswith("EF9A9A")  # T-01 is critical before controls
    assert ws.column_dimensions["C"].width == 60


def test_formula_like_text_stays_text(tmp_path: Path) -> None:
    data = model_data()
    data["threats"][0]["title"] = '=HYPERLINK("http://evil.invalid","click")'
    publish(Model.model_validate(data), tmp_path / "p", _ctx())
    wb = openpyxl.load_workbook(tmp_path / "p" / "ptm.xlsx")
    cell = wb["Threats"]["B2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]


def test_hostile_model_text_is_inert_in_html(tmp_path: Path) -> None:
    data = model_data()
    data["threats"][0]["description"] = f"Before {XSS[0]} middle {XSS[1]} after"
    data["threats"][1]["title"] = XSS[1]
    data["elements"][0]["name"] = XSS[0]
    data["product"]["name"] = 'Pump "quoted" <b>bold</b>'
    publish(Model.model_validate(data), tmp_path / "p", _ctx())
    html = (tmp_path / "p" / "index.html").read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(html)
    scripts = [t for t in parser.tags if t[0] == "script"]
    assert len(scripts) == 1 and not scripts[0][1]  # only the page's own inline filter script
    assert not [t for t in parser.tags if t[0] == "b"]
    for tag, attrs in parser.tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        if tag == "img":
            assert (attrs.get("src") or "").startswith("data:image/png;base64,")
    text = "".join(parser.text)
    assert XSS[0] in text and XSS[1] in text  # shown to the reader as plain text
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # nothing fetched from a network


def test_draft_is_stamped_everywhere(tmp_path: Path) -> None:
    publish(model(), tmp_path / "p", _ctx(draft=True))
    with zipfile.ZipFile(tmp_path / "p" / "ptm.docx") as z:
        headers = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/header"))
    assert "DRAFT" in headers and 'string="DRAFT"' in headers  # header text and watermark
    html = (tmp_path / "p" / "index.html").read_text(encoding="utf-8")
    assert "DRAFT — not approved for release" in html
    wb = openpyxl.load_workbook(tmp_path / "p" / "ptm.xlsx")
    assert wb["About"]["A2"].value == "DRAFT"


def test_refuses_blockers_and_placeholders_unless_draft(tmp_path: Path) -> None:
    blocked = Review(findings=[Finding(check="redaction_leak", severity="blocker", message="leak", items=[])])
    with pytest.raises(BlockingError, match="redaction_leak"):
        publish(model(), tmp_path / "a", _ctx(review=blocked))
    assert not (tmp_path / "a").exists()
    publish(model(), tmp_path / "a", _ctx(review=blocked, draft=True))
    data = model_data()
    data["product"]["manufacturer"] = PLACEHOLDER
    with pytest.raises(BlockingError, match="placeholder"):
        publish(Model.model_validate(data), tmp_path / "b", _ctx())


def test_missing_optional_inputs_are_said_plainly(tmp_path: Path) -> None:
    data = model_data()
    data["views"] = []
    data["support"] = {}
    data["document"]["signoffs"] = []
    publish(Model.model_validate(data), tmp_path / "p", ExportContext(epoch=EPOCH))
    text = docx_text(tmp_path / "p" / "ptm.docx")
    assert "was not assessed for this version" in text
    assert "review was not run for this version" in text
    assert "No sign-offs are recorded" in text
    assert "does not name a vulnerability reporting channel" in text
    assert "has no view marked as the Global System View" in text
    wb = openpyxl.load_workbook(tmp_path / "p" / "ptm.xlsx")
    assert not [s for s in wb.sheetnames if s.startswith("Coverage")]


def test_an_empty_model_still_publishes(tmp_path: Path) -> None:
    empty = Model.model_validate({"product": {"name": "P", "manufacturer": "M"}, "document": {"version": "1"}})
    publish(empty, tmp_path / "p", ExportContext(epoch=EPOCH))
    text = docx_text(tmp_path / "p" / "ptm.docx")
    assert "No threats are recorded in this version." in text
