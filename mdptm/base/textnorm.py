"""One text normalisation for redaction and the leak scan, so a term cannot hide from either.

A policy term can be disguised without changing how it reads: a soft hyphen, a zero-width space or
joiner, a word joiner, a byte-order mark or U+034F inside it; decomposed accents (NFD); fullwidth
letters; an ``ﬂ`` ligature; ``STRAUSS`` for ``Strauß``; a right-to-left override that shows reversed
text the right way round; ``Dana-Whitlock`` for ``Dana Whitlock``. Both sides -- the needle and the
text searched -- go through the same steps:

1. invisible, format and bidirectional control characters are removed (Unicode category ``Cf``,
   U+034F, variation selectors); text under a right-to-left override (U+202E) is reversed;
2. NFKC (compatibility forms: fullwidth, ligatures, composed accents), and letters of other scripts drawn
   like Latin ones read as those (``Nightjаr`` with a Cyrillic ``а``; Greek, Armenian, Coptic, Lisu and
   Cherokee letters, Latin small capitals ``ᴋᴇsᴛʀᴇʟ`` and IPA letters ``nıghtjɑr``; :data:`_CONFUSABLE`), then
   what Unicode's confusables data lists as drawn like a Latin letter (``ռ``, ``ꮁ``, ``⍺``), and letters with a
   hook, turned, reversed or insular by their Unicode names (``ɲ``, ``ʇ``, ``ǝ``, ``Ǝ``, ``ꞇ``);
3. case folding (``ß`` → ``ss``), and combining marks removed (``Dána`` and ``Tomas`` read as ``Dana`` and
   ``Tomás``; an accent added or left out disguises nothing);
4. dashes and hyphens of every kind, the dots that split a word for its syllables (``Night·jar``, ``Night‧jar``),
   apostrophes and double quotation marks of every kind (``O’Brien`` is ``O'Brien``, ``Project “Nightjar”`` is
   ``Project Nightjar``), brackets of every kind (``Project (Nightjar)``), the colon (``Night:jar``) and whitespace
   of every kind,
   become one space; Markdown's formatting
   marks (asterisk, backtick, tilde) are left out (``**Night**jar`` reads as ``Nightjar`` once rendered).

A second reading, beside the text as written (:func:`rendered`, :func:`rendered_map`): Markdown links and
backslash escapes undone (``[Night](x)jar``, ``Night\\jar``, ``Night\\_jar`` read as ``Nightjar``).

:func:`key` is the fast form (whole strings, C speed) for the scan; :func:`key_map` also returns where
each character of the key came from, so redaction can replace the original text.
"""

from __future__ import annotations

import json
import re
import string
import unicodedata
from collections.abc import Callable
from functools import cache

RLO = "\u202e"
# Cyrillic and Greek letters drawn like Latin ones (Unicode confusables of the Latin letters), each mapped to
# the Latin letter of the same case, before case folding: "Nightjаr" with a Cyrillic а, "ΖEPHYRINE" with a
# Greek Zeta, "bасkdoor" read as the Latin words they show. Case decides the reading where the two cases look
# like different letters (Greek Η is H, η is n; Ν is N, ν is v).
_CONFUSABLE_PAIRS = (
    # Cyrillic capitals, small letters
    "АA ВB СC ЕE НH ІI ЈJ КK МM ОO РP ЅS ТT ХX УY ԌG ԚQ ԜW"
    " аa вb сc еe ёe һh іi јj кk мm оo рp ѕs тt хx уy ԁd ԛq ԝw ӏl ҽe ьb үy ҮY"
    # Greek capitals, small letters
    " ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX"
    " αa βb γy εe ιi κk νv οo ρp τt υu χx ωw ϲc ϳj"
    # Latin small capitals and IPA letters that NFKC leaves alone (ᴋᴇsᴛʀᴇʟ, nıghtjar, nightjɑr, niɡhtjar)
    " ᴀa ʙb ᴄc ᴅd ᴇe ꜰf ɢg ʜh ɪi ᴊj ᴋk ʟl ᴍm ɴn ᴏo ᴘp ʀr ꜱs ᴛt ᴜu ᴠv ᴡw ʏy ᴢz ıi ȷj ɑa ɡg ɩi ɛe ǀl"
    # Armenian
    " օo սu հh ոn զq ցg Օo Սu Տs Լl"
    # Coptic capitals, small letters
    " ⲀA ⲂB ⲈE ⲎH ⲒI ⲔK ⲘM ⲚN ⲞO ⲢP ⲤC ⲦT ⲨY ⲬX ⲁa ⲃb ⲉe ⲓi ⲕk ⲟo ⲣp ⲥc ⲭx ⲩy"
    # Lisu
    " ꓐB ꓑP ꓓD ꓔT ꓖG ꓗK ꓙJ ꓚC ꓜZ ꓝF ꓟM ꓠN ꓡL ꓢS ꓣR ꓦV ꓧH ꓪW ꓫX ꓬY ꓮA ꓰE ꓲI ꓳO ꓴU"
    # Cherokee capitals (their small letters, U+AB70 on, are added below)
    " ᎪA ᏴB ᏟC ᎠD ᎬE ᏀG ᎻH ᎥI ᎫJ ᏦK ᏞL ᎷM ᏢP ᏒR ᏚS ᎢT ᏙV ᎳW ᏃZ ᎾO ᏏS Ꮟb Ꮒh"
    # more Cyrillic small letters drawn like Latin ones in common fonts (Unicode confusables: п n, г r, ԍ g)
    " пn гr ԍg ꙇi ҺH"
    # Latin letters with a stroke or bar, read as the letter (as a W̶ struck through with U+0336 is): ħ, ł, ø, ŧ
    " ħh ĦH ƀb ɃB đd ĐD ǥg ǤG ɨi ƗI ɉj ɈJ łl ŁL ƚl ꝁk ꝀK ƞn ȠN øo ØO ɍr ɌR ŧt ŦT ʉu ɄU ɏy ɎY ƶz ƵZ ⱥa ȺA ȼc ȻC ɇe ɆE ꭇr"
)
_CONFUSABLE = {ord(pair[0]): pair[-1] for pair in _CONFUSABLE_PAIRS.split() if len(pair) >= 2}
# a Cherokee small letter (what case folding makes of a capital, and a letter one can type) reads as its capital
_CONFUSABLE.update({cp - 0x13A0 + 0xAB70: latin for cp, latin in list(_CONFUSABLE.items()) if 0x13A0 <= cp <= 0x13EF})
# letters in a box, a circle or brackets that NFKC leaves alone or spells with brackets: negative circled and
# squared capitals (🅽🅸🅶🅷🆃🅹🅰🆁), regional indicator letters, parenthesized small letters (⒩⒤⒢⒣⒯⒥⒜⒭)
for _first, _base in ((0x1F150, "A"), (0x1F170, "A"), (0x1F1E6, "A"), (0x249C, "a")):
    _CONFUSABLE.update({_first + i: chr(ord(_base) + i) for i in range(26)})
# the digits of other scripts (Arabic-Indic ٢١٤, Devanagari २१४, Thai, Myanmar ...), which NFKC leaves alone, as ASCII
# digits: "build٠١.meridian.corp" is the term "build01.meridian.corp", "PUMPSEC-٢١٤" the ticket (each zero listed)
_DIGIT_ZEROS = (
    0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6, 0xE50, 0xED0, 0xF20, 0x1040,
    0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0,
    0xA9F0, 0xAA50, 0xABF0, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50, 0x1E140, 0x1E2F0, 0x1E950,
)  # fmt: skip
for _zero in _DIGIT_ZEROS:
    _CONFUSABLE.update({_zero + i: str(i) for i in range(10)})
# the full stops IDNA reads as the dot between the labels of a host name (UTS #46): "build01。meridian。corp", typed
# with a Chinese or Japanese input method, is the host build01.meridian.corp to a browser and to DNS (the
# fullwidth and halfwidth forms are NFKC's; the ideographic full stop itself NFKC leaves alone)
_CONFUSABLE[0x3002] = "."
_BIDI_END = "\u202c\u2069\n\r"
_EXTRA_INVISIBLE = {0x034F, 0x115F, 0x1160, 0x3164, 0xFFA0, *range(0xFE00, 0xFE10)}
_DASHES = {0x2212, 0x2043, 0xFE63, 0xFF0D}
# dots a word is split at for its syllables or by a bullet ("Night·jar", "Night‧jar" with a hyphenation point,
# "Night•jar"): read as the word broken in two, as with a hyphen; a full stop
# stays itself ("build01.meridian.corp" is an address, not three words)
_WORD_DOTS = {0x00B7, 0x0387, 0x2022, 0x2027, 0x2219, 0x22C5, 0x30FB, 0xFF65}
# apostrophes of every kind and the colon, read as a break like a hyphen: Word types "O'Brien" as "O’Brien" (its
# quotes are typographic) and a term typed with the ASCII apostrophe must find both; "Night:jar" and "NIGHT::JAR"
# (a namespace, a label) are the term "Nightjar" broken in two, as "Night-jar" is
_WORD_BREAKS = {ord(":"), ord("'"), 0x2018, 0x2019, 0x201B, 0x02BC, 0x2032}
# double quotation marks of every kind, read as a break as the apostrophe is: a code name quoted after the word before
# it ('Project "Nightjar"', "Project “Nightjar”", "Project «Nightjar»", „Nightjar“, 「Nightjar」) reads as the term
_QUOTES = {ord('"'), 0x201C, 0x201D, 0x201E, 0x201F, 0x00AB, 0x00BB, 0x2039, 0x203A, 0x2033, 0x301D, 0x301E, 0x301F}
_QUOTES |= {0x300C, 0x300D, 0x300E, 0x300F, 0xFF62, 0xFF63}
_WORD_BREAKS |= _QUOTES
# brackets of every kind, read as a break as a quotation mark is: a word of a code name put in brackets
# ("Project (Nightjar)", "Project [Nightjar]", "Project 【Nightjar】") reads as the term, as in quotation marks
_BRACKETS = "()[]{}"
_WORD_BREAKS |= {ord(c) for c in _BRACKETS} | {0x3010, 0x3011, 0x3014, 0x3015, 0x3016, 0x3017, 0x3018, 0x3019, 0x301A, 0x301B}
_WORD_BREAKS |= {0x27E6, 0x27E7, 0x27E8, 0x27E9, 0x27EA, 0x27EB, 0x2983, 0x2984, 0x2985, 0x2986, 0x2329, 0x232A, 0x3008, 0x3009}
_SEPARATORS = {*_DASHES, *_WORD_DOTS, *_WORD_BREAKS, ord("_"), 0x2800}


@cache
def _dashes() -> dict[int, str]:
    """Every dash and hyphen (``‑`` U+2011, ``–``, ``−``) as an ASCII hyphen, for the cleaned text the
    patterns read: ``PUMPSEC‑214`` written with a non-breaking hyphen is still ``PUMPSEC-214``."""
    _, sep = _tables()
    return {cp: "-" for cp in sep if cp != ord("-") and (unicodedata.category(chr(cp)) == "Pd" or cp in _DASHES)}


# Latin letters with a hook, tail, curl, belt or stroke that NFD does not take apart (ɲ ɳ ɠ ɦ ʈ ƭ ʝ ɽ ƙ ɭ ʂ ɗ ɓ ɱ
# ʐ ƴ ...): "ɲiɠɦʈjar" reads as Nightjar, as an accent added disguises nothing. Found by their Unicode names in the
# Latin extension blocks, once, on the first use of the tables; letters mapped above keep their reading.
_LATIN_BLOCKS = (
    *((0x0180, 0x0250), (0x0250, 0x02B0), (0x1D00, 0x1DC0), (0x1E00, 0x1F00), (0x2180, 0x2190), (0x2C60, 0x2C80)),
    *((0xA720, 0xA800), (0xAB30, 0xAB70), (0x1DF00, 0x1DF20)),
)
_DECORATED = re.compile(r"LATIN (SMALL|CAPITAL) LETTER ([A-Z]) WITH [A-Z -]+")
# Letters turned, reversed, or drawn in an older hand or as a small capital, with or without a hook (ɐ ǝ ɹ ʇ ɥ ᴉ
# Ǝ, insular ꞇ ꝼ, ᵻ, dotless ɟ): one such letter in a word reads as its letter ("Nighʇjar", "Zǝphyrine"). Text
# turned upside down whole ("ɹɐɾʇɥƃıu", read from the end with u for n) is not read: it is a puzzle, not a word.
_DRAWN = re.compile(
    r"LATIN (SMALL|CAPITAL) (?:CAPITAL )?LETTER (?:(?:TURNED|REVERSED|INSULAR|SMALL CAPITAL|DOTLESS|SCRIPT|BLACKLETTER"
    r"|VISIGOTHIC|ANGLICANA|MIDDLE-WELSH|BROKEN|LENIS|SIDEWAYS) )*([A-Z])(?: WITH [A-Z -]+)?"
)


def _unicode_confusables() -> dict[int, str]:
    """The letters Unicode's confusables data (UTS #39, as the confusable-homoglyphs package ships it) says are
    drawn like a Latin letter, and NFKC leaves as they are: ``ꭇ``, ``ꮁ`` (Cherokee), ``ռ`` and ``գ`` (Armenian),
    ``ѵ``, ``ƽ``, ``⍺``, Canadian syllabics ``ᑯ`` ``ᗷ``, Lisu ``ꓒ``, ``℮``. Those read as digits are left out (``б``
    is no 6 in a Russian text)."""
    from importlib import resources

    data = json.loads(resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text(encoding="utf-8"))
    out: dict[int, str] = {}
    for latin in string.ascii_letters:
        for entry in data.get(latin, ()):
            ch = entry.get("c", "") if isinstance(entry, dict) else ""
            if len(ch) != 1 or ch.isascii() or unicodedata.category(ch)[0] in "MZC" or unicodedata.normalize("NFKC", ch) != ch:
                continue
            out.setdefault(ord(ch), latin)
    # the punctuation of addresses and paths, drawn by signs of other scripts: "build01ꓸmeridianꓸcorp" (a Lisu
    # tone mark), "jenkins꘎meridian꘎corp" (a Vai full stop), "http:∕∕wiki" (a division slash) read as the host and
    # the address the term, the policy's patterns and the detectors look for; only signs and marks of punctuation
    # (a letter of a script, a Katakana ノ, stays a letter)
    for mark in "./:":
        for entry in data.get(mark, ()):
            ch = entry.get("c", "") if isinstance(entry, dict) else ""
            if len(ch) != 1 or ch.isascii() or unicodedata.normalize("NFKC", ch) != ch:
                continue
            if unicodedata.category(ch)[0] in "PS" or unicodedata.category(ch) == "Lm":
                out.setdefault(ord(ch), mark)
    return out


def _decorated_letters() -> dict[int, str]:
    out: dict[int, str] = {}
    for lo, hi in _LATIN_BLOCKS:
        for cp in range(lo, hi):
            ch = chr(cp)
            m = _DECORATED.fullmatch(unicodedata.name(ch, ""))
            if m and not unicodedata.decomposition(ch) and cp not in _CONFUSABLE:
                out[cp] = m.group(2).lower() if m.group(1) == "SMALL" else m.group(2)
    shapes = _unicode_confusables()
    for lo, hi in _LATIN_BLOCKS:  # then letters turned, reversed, insular ... by their names, unless drawn like another
        for cp in range(lo, hi):
            ch = chr(cp)
            m = _DRAWN.fullmatch(unicodedata.name(ch, ""))
            if m and not unicodedata.decomposition(ch) and cp not in _CONFUSABLE and cp not in out and cp not in shapes:
                out[cp] = m.group(2).lower() if m.group(1) == "SMALL" else m.group(2)
    for cp, latin in list(out.items()):  # the other case, when its name says it differently (Ɖ "AFRICAN D" of ɖ)
        for other, reading in ((chr(cp).upper(), latin.upper()), (chr(cp).lower(), latin.lower())):
            if len(other) == 1 and ord(other) not in out and ord(other) not in _CONFUSABLE and other != chr(cp):
                out[ord(other)] = reading
    for cp, latin in shapes.items():  # what Unicode's data says is drawn like a letter (its own case: Σ is no O)
        if cp not in _CONFUSABLE and cp not in out:
            out[cp] = latin
    return out


@cache
def _tables() -> tuple[dict[int, None], dict[int, str]]:
    _CONFUSABLE.update(_decorated_letters())  # every user of the confusables gets the tables first
    remove: dict[int, None] = {}
    sep: dict[int, str] = {}
    # the format characters outside the BMP, listed: a scan of all 1.1 million code points costs a second
    outside = [
        0x110BD,
        0x110CD,
        *range(0x13430, 0x13440),
        *range(0x1BCA0, 0x1BCA4),
        *range(0x1D173, 0x1D17B),
        *range(0xE0000, 0xE1000),
        *range(0xFF00, 0xFF10),
    ]
    for cp in [*range(0xD800), *range(0xE000, 0x10000), *outside]:
        cat = unicodedata.category(chr(cp))
        if (cat == "Cf" and cp != 0x202E) or cp in _EXTRA_INVISIBLE:
            remove[cp] = None
        elif cat in ("Pd", "Zs", "Zl", "Zp") or cp in _SEPARATORS or chr(cp).isspace():
            sep[cp] = " "
    return remove, sep


def _one_space(text: str) -> str:
    """Each run of spaces one space: halving the runs with ``str.replace`` until none is left runs at
    C speed, where a regular expression stops at every space of a large text."""
    while "  " in text:
        text = text.replace("  ", " ")
    return text


# the ASCII characters other than whitespace that read as a space (a hyphen, an underscore, a colon, an apostrophe,
# a double quotation mark, a bracket)
WORD_SEP_ASCII = "-_:'\"" + _BRACKETS
_SEP_CHARS = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f" + WORD_SEP_ASCII
# Markdown's emphasis, code and strike-through marks: "**Night**jar", "Night`jar`" and "Night~~jar~~" read as
# Nightjar once rendered, so the compared form leaves them out like an invisible character
_MARK_CHARS = "*`~"
MARKS = _MARK_CHARS.encode("ascii")
_BYTES_SEP = bytes.maketrans(_SEP_CHARS.encode("ascii"), b" " * len(_SEP_CHARS))
_NON_ASCII_RUN = re.compile(r"([^\x00-\x7f]+)")


def _runs(text: str, fn: Callable[[str], str]) -> str:
    """*text* with each run of non-ASCII characters, and the character before it (a combining mark
    may belong to it), replaced by ``fn(run)``; the ASCII rest is copied as is, at C speed.

    A document repeats its few non-ASCII runs ("…", " —") thousands of times: *fn* sees each once."""
    if text.isascii():
        return text
    parts = _NON_ASCII_RUN.split(text)  # ASCII, run, ASCII, run, ..., ASCII
    done: dict[str, str] = {}
    for i in range(1, len(parts), 2):
        run = parts[i]
        before = parts[i - 1]
        if before:  # empty only when the text starts with the run
            run = before[-1] + run
            parts[i - 1] = before[:-1]
        new = done.get(run)
        if new is None:
            new = done[run] = fn(run)
        parts[i] = new
    return "".join(parts)


def _ascii_separators(text: str) -> str:
    """*text* with each ASCII separator (:data:`_SEP_CHARS`) a space. ``str.translate`` would look each
    character up in a dict, which on a non-ASCII text of megabytes takes seconds; a replace per
    separator runs at C speed."""
    for ch in _SEP_CHARS:
        if ch in text:
            text = text.replace(ch, " ")
    return text


_RLO_RUN = re.compile("\u202e([^\u202c\u2069\\n\\r]*)[\u202c\u2069]?")


def _unreverse(text: str) -> str:
    return _RLO_RUN.sub(lambda m: m.group(1)[::-1], text) if RLO in text else text


def _is_mark(ch: str) -> bool:
    """A combining mark: one with a combining class (accents, U+0336 struck through), an enclosing mark
    (``N⃝`` with U+20DD, a circle drawn around the letter) or a non-spacing mark of class 0 (Khmer U+17B4,
    which shows nothing)."""
    return bool(unicodedata.combining(ch)) or (ch > "\u02ff" and unicodedata.category(ch) in ("Mn", "Me"))


def _bare(text: str) -> str:
    """*text* without combining marks: ``Dána``, ``Tomas`` for ``Tomás``, a ``W̶`` struck through with
    U+0336 and an ``N⃝`` circled with U+20DD read as their letters (NFKC composes some accents, but adds
    none and removes none)."""
    if text.isascii():
        return text
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not _is_mark(c))
    return unicodedata.normalize("NFC", bare)  # Hangul syllables decomposed by NFD compose again


def clean(text: str) -> str:
    """Invisible characters removed, right-to-left overrides undone, NFKC, every dash an ASCII hyphen:
    case and other punctuation kept (what the policy's patterns and the detectors read)."""
    if text.isascii():
        return text
    remove, _ = _tables()
    # only the runs of non-ASCII characters (with the character before, which a mark may combine with)
    # need work: a large document is mostly ASCII, and this keeps its normalisation at C speed
    dashes = _dashes()
    return _runs(
        _unreverse(text),
        lambda run: unicodedata.normalize("NFKC", run.translate(remove).translate(_CONFUSABLE)).translate(dashes).translate(_CONFUSABLE),
    )


def key(text: str) -> str:
    """The form in which a needle and a text are compared (steps 1-4), spaces collapsed, stripped."""
    if text.isascii():  # the common case: nothing to remove, compose or reverse
        flat = text.lower().encode("ascii").translate(_BYTES_SEP, MARKS).decode("ascii")  # bytes.translate: C speed
        return _one_space(flat).strip()
    _, sep = _tables()
    folded = clean(text).replace("\u0130", "i").casefold()
    folded = _ascii_separators(_runs(folded, lambda run: _bare(run).translate(sep)))
    for mark in _MARK_CHARS:
        if mark in folded:
            folded = folded.replace(mark, "")
    return _one_space(folded).strip()


def simple(text: str) -> bool:
    """Whether :func:`key` of *text* only lowers letters and turns hyphens and whitespace to spaces
    (plain ASCII, no formatting mark): then positions need no map."""
    return text.isascii() and "*" not in text and "`" not in text and "~" not in text  # an RLO is not ASCII


def key_map(text: str, *, fold: bool = True) -> tuple[str, list[int], list[int]]:
    """:func:`key` of *text* (not stripped) with, for each of its characters, the start and end of the
    original characters it came from. A span ``[a, b)`` of the key covers ``[min(starts[a:b]),
    max(ends[a:b]))`` of *text*. With *fold* false, the text is only cleaned (:func:`clean`)."""
    remove, sep = _tables()
    dashes = _dashes()
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def emit(chars: str, s: int, e: int) -> None:
        normal = unicodedata.normalize("NFKC", chars.translate(_CONFUSABLE)).translate(_CONFUSABLE)
        for ch in _bare(normal.replace("\u0130", "i").casefold()) if fold else normal:
            ch = sep.get(ord(ch), ch) if fold else dashes.get(ord(ch), ch)
            if fold and ch in _MARK_CHARS:  # a mark only once normalised ("＊", a full-width asterisk): as key() drops it
                continue
            if fold and ch == " " and out and out[-1] == " ":
                ends[-1] = max(ends[-1], e)
                continue
            out.append(ch)
            starts.append(s)
            ends.append(e)

    def run(i: int, stop: int) -> None:
        while i < stop:
            ch = text[i]
            if ch == RLO:
                j = i + 1
                while j < stop and text[j] not in _BIDI_END:
                    j += 1
                mark = len(out)
                run(i + 1, j)
                seg = list(zip(out[mark:], starts[mark:], ends[mark:], strict=True))[::-1]
                del out[mark:], starts[mark:], ends[mark:]
                for c, s, e in seg:
                    out.append(c)
                    starts.append(s)
                    ends.append(e)
                i = j + 1 if j < stop and text[j] in "\u202c\u2069" else j
                continue
            if ord(ch) in remove or (fold and ch in _MARK_CHARS):
                i += 1
                continue
            j = i + 1  # a character and the combining marks after it compose as one
            while j < stop and (_is_mark(text[j]) or ord(text[j]) in remove) and text[j] != RLO:
                j += 1
            emit("".join(c for c in text[i:j] if ord(c) not in remove), i, j)
            i = j

    run(0, len(text))
    return "".join(out), starts, ends


# what Markdown shows of a link or picture: its text ("[Night](x)jar" reads as Nightjar; "[Night][1]jar" too)
_MD_LINK = re.compile(r"!?\[([^\[\]\n]{0,500})\](?:\([^()\n]{0,2000}\)|\[[^\[\]\n]{0,200}\])")
# a run of backslashes, and the emphasis or code mark it escapes ("Night\\jar", "Night\\_jar", "Night\\\\_jar")
_BACKSLASH_RUN = re.compile(r"\\+[_*`~]?")


def rendered(text: str) -> str:
    """*text* as a reader of its Markdown sees it, for what the other steps cannot undo: a link or picture
    is its text alone (``[Night](x)jar``, ``[Night][1]jar``), and a backslash is left out with the
    emphasis or code mark it escapes (``Night\\jar``, ``Night\\_jar``, ``Night\\\\_jar``), so a term split by
    either reads whole. The link's address and the backslashes are in *text* itself, which is read as well:
    this is a second reading, never the only one (``C:\\AWS\\keys`` holds the word ``AWS`` only as written)."""
    if "\\" in text:
        text = _BACKSLASH_RUN.sub("", text)
    if "](" in text or "][" in text:
        text = _MD_LINK.sub(r"\1", text)
    return text


def splits(text: str) -> bool:
    """Whether :func:`rendered` may read *text* otherwise than it is written."""
    return "\\" in text or "](" in text or "][" in text


def rendered_map(text: str) -> tuple[str, list[tuple[int, int]]]:
    """:func:`rendered` of *text*, and for each of its characters the span of *text* it stands for: a link's
    first and last characters stand for its brackets and address too, a character after a backslash for the
    backslash, so a term replaced in the rendered text takes them with it (no ``[`` or ``](x)`` left behind)."""
    out: list[str] = []
    where: list[tuple[int, int]] = []
    pending = -1  # where the backslashes before the next character started

    def copy(start: int, stop: int) -> None:
        nonlocal pending
        i = start
        while i < stop:
            m = _BACKSLASH_RUN.match(text, i) if text[i] == "\\" else None
            if m is not None and m.end() <= stop:
                pending = i if pending < 0 else pending
                i = m.end()
                continue
            out.append(text[i])
            where.append((pending if pending >= 0 else i, i + 1))
            pending = -1
            i += 1

    pos = 0
    for m in _MD_LINK.finditer(text) if "](" in text or "][" in text else ():
        copy(pos, m.start())
        first = len(out)
        copy(m.start(1), m.end(1))
        if len(out) > first:
            where[first] = (m.start(), where[first][1])
            where[-1] = (where[-1][0], m.end())
        pos = m.end()
    copy(pos, len(text))
    return "".join(out), where


# an address defanged, as security writing does so that no tool links it: a dot or an at sign in brackets, or
# the words dot and at in brackets ("build01[.]meridian[.]corp", "10.0.5[.]196", "dana.whitlock[at]meridian[.]corp")
_DEFANGED = re.compile(r"[\[({](?:(\.|dot)|(@|at))[\])}]", re.IGNORECASE)


def sub_mapped(rx: re.Pattern[str], repl: str | Callable[[re.Match[str]], str], text: str) -> tuple[str, list[tuple[int, int]]] | None:
    """*text* with each match of *rx* replaced by *repl* (a string, or what it gives for the match), and for each
    character of the result the span of *text* it stands for (a replacement's characters the whole match), so what is
    found in the result is replaced in *text*, marks and all; None when *rx* matches nowhere."""
    out: list[str] = []
    where: list[tuple[int, int]] = []
    pos = 0
    for m in rx.finditer(text):
        out.append(text[pos : m.start()])
        where.extend((i, i + 1) for i in range(pos, m.start()))
        said = repl if isinstance(repl, str) else repl(m)
        out.append(said)
        where.extend((m.start(), m.end()) for _ in said)
        pos = m.end()
    if not out:
        return None
    out.append(text[pos:])
    where.extend((i, i + 1) for i in range(pos, len(text)))
    return "".join(out), where


def refanged_map(text: str) -> tuple[str, list[tuple[int, int]]] | None:
    """*text* with each defanged dot or at sign (:data:`_DEFANGED`) written as itself, and for each character the
    span of *text* it stands for (a bracketed mark for the whole bracket), so the detectors and the policy's
    patterns read the address and redaction removes it brackets and all; None when *text* holds none."""
    if "[" not in text and "(" not in text and "{" not in text:
        return None
    return sub_mapped(_DEFANGED, _refang, text)


def _refang(m: re.Match[str]) -> str:
    return "." if m.group(1) else "@"


def refanged(text: str) -> str:
    """*text* with its defanged dots and at signs written as themselves (:func:`refanged_map`)."""
    return _DEFANGED.sub(_refang, text) if ("[" in text or "(" in text or "{" in text) else text


def span_back(starts: list[int], ends: list[int], a: int, b: int, text: str = "") -> tuple[int, int]:
    """The span of the original *text* that characters ``[a, b)`` of a mapped text came from, widened
    over the invisible and bidirectional characters around it (a replacement must not be left inside
    a right-to-left override, nor a zero-width character dangling beside it)."""
    start, end = min(starts[a:b]), max(ends[a:b])
    if text:
        remove, _ = _tables()
        while start > 0 and (ord(text[start - 1]) in remove or text[start - 1] == RLO):
            start -= 1
        while end < len(text) and (ord(text[end]) in remove or text[end] == RLO):
            end += 1
    return start, end
