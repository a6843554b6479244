"""The package as readers see it: Word rendered by LibreOffice, the page by headless Chromium.

Skipped where LibreOffice (``soffice``), ``pdftotext`` or ``chromium`` is not installed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from mdptm.model import Model
from mdptm.pipeline.publish import publish
from mdptm.plugins import ExportContext
from tests.ptm_fixture import coverage, model_data, review

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = model_data()
    data["threats"][0]["description"] = "Planted <script>alert(1)</script> and <img src=x onerror=alert(1)> here"
    out = tmp_path_factory.mktemp("render") / "ptm"
    publish(Model.model_validate(data), out, ExportContext(coverage=coverage(), review=review(), draft=True))
    return out


@pytest.mark.slow
@pytest.mark.skipif(not (SOFFICE and PDFTOTEXT), reason="LibreOffice or pdftotext is not installed")
def test_word_document_renders_in_libreoffice(package: Path, tmp_path: Path) -> None:
    assert SOFFICE and PDFTOTEXT
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(package / "ptm.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / "ptm.pdf"
    assert pdf.exists()
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60).stdout.decode()
    for heading in (
        "What are we working on?",
        "What can go wrong?",
        "What are we going to do about it?",
        "Did we do a good job?",
    ):
        assert heading in text
    assert "DRAFT" in text and "Page 3 of" in text
    assert text.count("\f") >= 10  # a real document, not a page of error text


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed")
def test_page_renders_in_chromium_with_planted_markup_as_text(package: Path, tmp_path: Path) -> None:
    assert CHROMIUM
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp_path / 'chrome'}",
            "--dump-dom",
            (package / "index.html").as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    dom = result.stdout.decode("utf-8")
    assert "Planted &lt;script&gt;alert(1)&lt;/script&gt; and &lt;img src=x onerror=alert(1)&gt; here" in dom
    assert dom.count("<script") == 1
    assert "of 38 shown" in dom  # the filter script ran: it counts the rows of the threat register
