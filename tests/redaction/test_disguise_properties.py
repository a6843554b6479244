"""Property tests of the one normalisation and of the leak scan's decoding: a secret written in any disguise
-- invisible characters, soft hyphens, fullwidth forms, Cyrillic or Greek look-alike letters, another case,
percent escapes (twice over), HTML character references (numeric, named, escaped again), JSON/JS/CSS
backslash escapes in any file, base64 -- reads as the secret, and the scan finds it in every output format."""

from __future__ import annotations

import base64
import html
import json
import re
import tempfile
import urllib.parse
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mdptm.base import textnorm
from mdptm.base.textnorm import _CONFUSABLE
from mdptm.redaction import leakscan
from mdptm.redaction.leakscan import LiteralMatcher, decoded, needle_key, scan

# secrets of two or three words of Latin letters, long enough to be told apart from ordinary text
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=4, max_size=10)
SECRET = st.lists(WORD, min_size=2, max_size=3).map(" ".join)

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f"]
LATIN_TO_LOOKALIKE: dict[str, list[str]] = {}
textnorm._tables()  # the letters with hooks and tails join the confusables with the tables
for code, latin in _CONFUSABLE.items():
    LATIN_TO_LOOKALIKE.setdefault(latin, []).append(chr(code))


@st.composite
def disguised(draw: st.DrawFn, secret: str) -> str:
    """*secret* as a reader sees it, written with any of the character disguises, mixed."""
    out = []
    for ch in secret:
        choice = draw(st.sampled_from(["same", "case", "lookalike", "fullwidth", "invisible"]))
        if choice == "case":
            ch = ch.swapcase()
        elif choice == "lookalike" and ch in LATIN_TO_LOOKALIKE:
            ch = draw(st.sampled_from(LATIN_TO_LOOKALIKE[ch]))
        elif choice == "fullwidth" and ch != " ":
            ch = chr(ord(ch) + 0xFEE0)
        out.append(ch)
        if choice == "invisible":
            out.append(draw(st.sampled_from(INVISIBLE)))
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(st.data(), SECRET)
def test_a_disguised_secret_has_the_secrets_key(data: st.DataObject, secret: str) -> None:
    shown = data.draw(disguised(secret))
    assert needle_key(shown) == needle_key(secret)
    text = f"see {shown} here"
    assert LiteralMatcher([secret]).found(text) == {secret}
    # the position map used to replace it covers the disguise whole
    spans = list(LiteralMatcher([secret]).spans(text))
    assert len(spans) == 1
    start, end, _ = spans[0]
    assert needle_key(text[start:end]) == needle_key(secret)
    assert textnorm.key(text[:start] + text[end:]) == "see here"


def _percent(s: str) -> str:
    return "".join(f"%{b:02X}" for b in s.encode("utf-8"))


ENCODINGS = {
    "percent": _percent,
    "percent twice": lambda s: _percent(s).replace("%", "%25"),
    "quote twice": lambda s: urllib.parse.quote(urllib.parse.quote(s)),
    "decimal references": lambda s: "".join(f"&#{ord(c)};" for c in s),
    "hex references": lambda s: "".join(f"&#x{ord(c):X};" for c in s),
    "references escaped again": lambda s: "".join(f"&amp;#{ord(c)};" for c in s),
    "named and escaped": lambda s: html.escape(html.escape(s.replace(" ", "&nbsp;"))),
    "json \\u": lambda s: "".join(f"\\u{ord(c):04x}" for c in s),
    "js \\x": lambda s: "".join(f"\\x{ord(c):02x}" for c in s),
    "js \\u{}": lambda s: "".join(f"\\u{{{ord(c):x}}}" for c in s),
    "css escapes": lambda s: "".join(f"\\{ord(c):x} " for c in s),
}


@settings(max_examples=200, deadline=None)
@given(SECRET, st.sampled_from(sorted(ENCODINGS)))
def test_every_escape_is_undone(secret: str, encoding: str) -> None:
    shown = ENCODINGS[encoding](secret)
    assert needle_key(secret) in needle_key(decoded(shown)), (encoding, shown)


WRAPPERS = {
    "index.html": lambda s: f"<html><body><p>x</p><script>var d = '{s}';</script></body></html>",
    "guide.md": lambda s: f"# Guide\n\nSee {s} for details.\n",
    "ptm.json": lambda s: json.dumps({"threats": [{"title": "x", "note": "{}"}]}).replace("{}", s),
    "ptm.otm.json": lambda s: '{"otmVersion": "0.2.0", "name": "' + s + '"}',
    "document.xml": lambda s: f'<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>{s}</w:t></w:r></w:p></w:body></w:document>',
    "sheet1.xml": lambda s: (
        f'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>{s}</t></is></c></row></sheetData></worksheet>'
    ),
}


@settings(max_examples=120, deadline=None)
@given(SECRET, st.sampled_from(sorted(ENCODINGS) + ["base64", "base64 url-safe", "plain"]), st.sampled_from(sorted(WRAPPERS)))
def test_the_scan_finds_an_encoded_secret_in_every_format(secret: str, encoding: str, name: str) -> None:
    if encoding == "plain":
        shown = secret
    elif encoding.startswith("base64"):
        raw = ("Note: " + secret).encode("utf-8")
        shown = (base64.urlsafe_b64encode(raw) if "url" in encoding else base64.b64encode(raw)).decode("ascii")
    else:
        shown = ENCODINGS[encoding](secret)
    if name.endswith(".xml") or name.endswith(".html"):
        shown = shown.replace("&", "&amp;") if encoding != "plain" else shown
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_text(WRAPPERS[name](shown), encoding="utf-8")
        hits = scan(Path(tmp), [secret])
    assert [h.needle for h in hits] == [secret], (encoding, name, shown)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ,.", min_size=0, max_size=200))
def test_decoding_leaves_plain_text_alone(text: str) -> None:
    assert decoded(text) == text


# the patterns as first written, one alternation each: the faster forms must find exactly the same
_OLD_PERCENT = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_OLD_ESCAPES = re.compile(
    r"%[0-9A-Fa-f]{2}|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?"
    r"|\\(?:u\{[0-9A-Fa-f]{1,6}\}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{2}|[0-9A-Fa-f]{1,6} ?)"
)
ESCAPE_SOUP = st.text(alphabet="%&#;\\uxU{}0123456789aAfFgG; xyz\n", max_size=60)


@settings(max_examples=300, deadline=None)
@given(ESCAPE_SOUP)
def test_the_escape_patterns_led_by_one_character_find_what_the_alternations_found(text: str) -> None:
    assert [m.span() for m in leakscan._PERCENT.finditer(text)] == [m.span() for m in _OLD_PERCENT.finditer(text)]
    assert any(rx.search(text) for rx in leakscan._ESCAPES) == bool(_OLD_ESCAPES.search(text))
