"""A short policy term ("AWS") turns up by chance in the base64 of a picture embedded in index.html (about
once in 90 KB); the leak scan read the payload as text and blocked a real package (a Word threat model of
an AWS service, with "AWS" a term) for nothing. The payload is searched decoded, as its own part: a term in
the picture's text is still found, and so is the term anywhere in the page's text."""

from __future__ import annotations

import base64
import random
import re
from pathlib import Path

from mdptm.redaction.leakscan import scan


def _random_payload_with(word: str) -> bytes:
    """Bytes (a picture, to the scan) whose base64 holds *word* by chance and whose own bytes do not."""
    rng = random.Random(7)
    while True:
        data = b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(rng.randrange(256) for _ in range(3000))
        encoded = base64.b64encode(data).decode()
        if re.search(word, encoded, re.IGNORECASE) and word.encode().lower() not in data.lower():
            return data


def _page(folder: Path, payload: bytes, text: str = "") -> Path:
    uri = "data:image/png;base64," + base64.b64encode(payload).decode()
    (folder / "index.html").write_text(f'<html><body><p>{text}</p><img src="{uri}" alt="diagram"></body></html>', encoding="utf-8")
    return folder


def test_a_term_in_a_pictures_base64_by_chance_is_no_leak(tmp_path: Path) -> None:
    payload = _random_payload_with("aws")
    assert scan(_page(tmp_path, payload, "Cloud storage"), ["AWS"]) == []


def test_the_term_in_the_page_or_in_the_picture_is_found(tmp_path: Path) -> None:
    payload = _random_payload_with("aws")
    hits = scan(_page(tmp_path, payload, "Hosted on AWS"), ["AWS"])
    assert [(h.file, h.part) for h in hits] == [("index.html", None)]
    inner = payload + b"\x00tEXtComment\x00Uploaded by Dana Whitlock\x00"
    hits = scan(_page(tmp_path, inner, "Cloud storage"), ["Dana Whitlock"])
    assert [(h.file, h.part) for h in hits] == [("index.html", "data URI #1")]


def test_a_short_payload_is_still_read_as_text(tmp_path: Path) -> None:
    """Only a picture's payload (64 characters or more) is blanked: a few characters after 'base64,' are
    read as written."""
    (tmp_path / "index.html").write_text('<a href="data:text/plain;base64,AWS+key">x</a>', encoding="utf-8")
    assert [h.needle for h in scan(tmp_path, ["AWS"])] == ["AWS"]
