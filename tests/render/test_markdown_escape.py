"""Markdown output: model text never becomes a live link, an image (tracking pixel), an autolink or raw HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from mdptm.documents.guides import build_guides, write_guides
from mdptm.model import Model
from mdptm.plugins import ExportContext
from mdptm.redaction.leakscan import scan
from mdptm.render.docir import Bullets, Doc, Table
from mdptm.render.markdown import render
from tests.conftest import SAMPLES

HOSTILE = [
    "[click here](https://evil.example/phish)",
    "![pixel](https://evil.example/pixel.png?u=1)",
    "<https://evil.example/auto>",
    "see https://evil.example/bare and www.evil.example",
    "write to ceo@evil.example",
    '<img src="https://evil.example/p.gif">',
    "[ref]: https://evil.example/ref",
]

# what a CommonMark/GFM renderer would turn into a link, image, autolink or HTML
_LIVE = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(|(?<!\\)<[A-Za-z/!?]|https?://|\bwww\.|(?<!\\)@|^\s*(?<!\\)\[[^\]]*(?<!\\)\]:")


@pytest.mark.parametrize("text", HOSTILE)
def test_model_text_is_inert_in_markdown(text: str) -> None:
    doc = Doc(title="Guide")
    doc.p(text)
    doc.blocks.append(Bullets([text]))
    doc.blocks.append(Table(["Control", "Notes"], [[text, text]]))
    md = render(doc)
    for line in md.splitlines()[1:]:
        assert not _LIVE.search(line), line


def test_guides_escape_links_in_assumptions_and_customer_controls(tmp_path: Path) -> None:
    data = yaml.safe_load((SAMPLES / "infusion-pump" / "model.yaml").read_text(encoding="utf-8"))
    data["assumptions"][0]["text"] = HOSTILE[0] + " " + HOSTILE[1]
    customer = next(c for c in data["controls"] if c.get("responsibility") == "customer")
    customer["title"] = HOSTILE[2] + " " + HOSTILE[5]
    model = Model.model_validate(data)
    written = write_guides(tmp_path, build_guides(model), ExportContext())
    texts = {p.name: p.read_text(encoding="utf-8") for p in written if p.suffix == ".md"}
    assert any("click here" in t for t in texts.values()) and any("pixel" in t for t in texts.values())
    for name, text in texts.items():
        for line in text.splitlines():
            assert "evil.example" not in line or not _LIVE.search(line), (name, line)


def test_scan_reads_through_markdown_escapes(tmp_path: Path) -> None:
    doc = Doc(title="Guide")
    doc.p("Runbook at https://wiki.meridian.corp/x, mail dana@meridian.corp [internal]")
    (tmp_path / "guide.md").write_text(render(doc), encoding="utf-8")
    hits = {h.needle for h in scan(tmp_path, ["https://wiki.meridian.corp/x", "dana@meridian.corp"])}
    assert hits == {"https://wiki.meridian.corp/x", "dana@meridian.corp"}
