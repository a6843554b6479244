"""The normalisation's fast forms give what the plain, character-by-character definition gives."""

from __future__ import annotations

import random
import re
import unicodedata

from mdptm.base import textnorm


def _plain_runs(text: str, fn: object) -> str:
    """Each maximal non-ASCII run with the character before it through *fn*: the definition."""
    out, pos = [], 0
    for m in re.finditer(r"[^\x00-\x7f]+", text):
        start = m.start() - 1 if m.start() > pos else m.start()
        out += [text[pos:start], fn(text[start : m.end()])]  # type: ignore[operator]
        pos = m.end()
    return "".join(out) + text[pos:] if out else text


def _plain_key(text: str) -> str:
    remove, sep = textnorm._tables()
    cleaned = _plain_runs(textnorm._unreverse(text), lambda run: unicodedata.normalize("NFKC", run.translate(remove)))

    def bare(run: str) -> str:  # combining marks removed
        return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", run) if not unicodedata.combining(c)))

    folded = _plain_runs(cleaned.replace("\u0130", "i").casefold(), lambda run: bare(run).translate(sep))
    folded = folded.translate(str.maketrans(dict.fromkeys(textnorm._SEP_CHARS, " ")))
    return re.sub(r" {2,}", " ", folded).strip()


ALPHABET = [*"aAbZ -_\t\n\r\x0b\x0c\x1c\x1f.e", "é", "\u0301", "\u00ad", "\u200b", "\u202e", "\u202c", "\u2069", "ß", "İ", "Σ"]
ALPHABET += ["ﬂ", "Ａ", "\u2014", "\u2212", "\u00a0", "\u3000", "\u2028", "\u0085", "…", "\ufe0f", "\u034f", "한", "\u1100", "\u1161"]


def test_key_is_the_plain_definition_on_random_text() -> None:
    rnd = random.Random(5)
    for _ in range(20000):
        text = "".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 14)))
        assert textnorm.key(text) == _plain_key(text), repr(text)


def test_a_long_text_with_many_runs_keeps_each_run_with_the_character_before() -> None:
    text = "Cafe\u0301 — e\u0301 ﬂow… x\u200by. " * 500 + "e\u0301"
    assert textnorm.key(text) == _plain_key(text)
    assert textnorm.clean(text) == _plain_runs(
        textnorm._unreverse(text),
        lambda r: unicodedata.normalize("NFKC", r.translate(textnorm._tables()[0])).translate(textnorm._dashes()),
    )
