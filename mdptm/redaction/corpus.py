"""The public corpus (every string the public model publishes) and the output detector that checks written text against it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path

from mdptm.base import textnorm
from mdptm.model import Model
from mdptm.model.results import Hit
from mdptm.redaction.leakscan import IdNeedle, LiteralMatcher, needle_key, part_text
from mdptm.redaction.log import RedactionLog, id_forms, id_needle_fit
from mdptm.redaction.policy import (
    Policy,
)
from mdptm.redaction.scrubber import Scrubber, _exempt, version_before
from mdptm.redaction.textfields import iter_text

MIN_ITEM_NEEDLE = 6  # characters: shorter field values of left-out items ("BLE", "USB") are everywhere


@cache
def _vocabulary() -> tuple[str, ...]:
    """Every enumerated value of the model (asset kinds, STRIDE categories, statuses): documents print
    them as labels ("Therapy data"), so a left-out item named like one discloses nothing."""
    out: list[str] = []
    stack: list[object] = [Model.model_json_schema()]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("enum"), list):
                out.extend(str(v) for v in node["enum"])
            if isinstance(node.get("const"), str):
                out.append(node["const"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return tuple(dict.fromkeys(out))


def public_corpus(public: Model, policy: Policy) -> str:
    """What the package may legitimately hold, normalised: every string of the public model (text,
    ids, enumerated values), the model's vocabulary and the policy's own published texts."""
    texts = [text for _, _, text in iter_text(public)] + [item.id for _, item in public.items()]
    texts += list(_strings_all(public.model_dump(mode="json")))
    texts += list(_vocabulary())
    texts += [str(getattr(policy, name)) for name in ("replacement", "withheld_mitigation", "withheld_title", "summary", "context_note")]
    # each distinct text once (the model's text fields are also among its dumped strings, and a register
    # repeats its values): a needle key holds no line break, so it is in the joined keys exactly when
    # it is in one of them, whatever their number
    return "\n".join(needle_key(t) for t in dict.fromkeys(texts))


def _strings_all(value: object) -> Iterator[str]:
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            yield v
        elif isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)


class Corpus:
    """:func:`public_corpus` of a public model, built the first time something asks for it.

    Redaction needs it only when it left an item out, and the output detector only when a pattern or
    detector finds something in the package: a register with nothing to redact and nothing that looks
    like an address never builds it (about a tenth of a second per thousand threats). The model must not
    change between redaction and the leak scan (``record_history`` does: a new one is made after it).
    """

    def __init__(self, public: Model, policy: Policy) -> None:
        self._public: Model | None = public
        self._policy = policy
        self._text: str | None = None
        self._lines: set[str] | None = None

    def text(self) -> str:
        if self._text is None:
            assert self._public is not None
            self._text = public_corpus(self._public, self._policy)
            self._public = None  # built: the model is no longer needed here
        return self._text

    def lines(self) -> set[str]:
        """Each whole string of the corpus (a public name, a title, a vocabulary value), normalised."""
        if self._lines is None:
            self._lines = set(self.text().split("\n"))
        return self._lines


# the code that writes a package: the sentences, headings and labels it prints whatever the model says
_WRITERS = ("documents", "exporters", "render", "mapping")
_SHIPPED_DATA = ("mappings", "templates")


# a comment, or a Python string literal (a prefix such as f or r before it is left out): scanned left to right, a
# "#" inside a string is the string's and a quote inside a comment the comment's
_LITERAL = re.compile(r'(#[^\n]*)|"""(.*?)"""|\'\'\'(.*?)\'\'\'|"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'', re.S)
_BLANK = " \t\r\n\\fFrRbBuU"


def _docstring(source: str, start: int, end: int) -> bool:
    """Whether the triple-quoted literal at *start*..*end* of *source* is a docstring: a statement of its own
    (nothing else on its lines) first in its module, class or function. Its words describe the code (examples
    such as "Meridian fleet log service" included); the package never prints them."""
    line_start = source.rfind("\n", 0, start) + 1
    line_end = source.find("\n", end)
    if source[line_start:start].strip(_BLANK) or source[end : len(source) if line_end < 0 else line_end].strip():
        return False
    at = line_start - 1
    while at > 0:  # the code line before it, comments and blank lines passed over
        prev = source.rfind("\n", 0, at) + 1
        code = source[prev:at].strip()
        if code and not code.startswith("#"):
            return code.endswith(":")
        at = prev - 1
    return True  # the module's first statement


def _literals(source: str) -> Iterator[str]:
    """The string literals of Python *source*, literals written one after the other (implicitly joined)
    as one: read by a regular expression, which costs milliseconds where compiling costs a third of a second."""
    for _at, text in _literals_at(source):
        yield text


def _literals_at(source: str) -> Iterator[tuple[int, str]]:
    """:func:`_literals` with the offset in *source* where each starts."""
    run: list[str] = []
    first = last = 0
    for m in _LITERAL.finditer(source):
        if m.group(1) is not None or (m.group(2) is not None or m.group(3) is not None) and _docstring(source, m.start(), m.end()):
            # a comment, or a docstring: words about the code, never printed
            if run and not source[last : m.start()].strip(_BLANK):
                last = m.end()
            continue
        if run and source[last : m.start()].strip(_BLANK):
            yield first, " ".join(run)
            run = []
        if not run:
            first = m.start()
        run.append(next(g for g in m.groups() if g is not None))
        last = m.end()
    if run:
        yield first, " ".join(run)


@cache
def shipped_text() -> str:
    """What every package may hold whatever the model: each string the package writers print (headings,
    guide sentences, labels: the string literals of ``mdptm/documents``, ``exporters``, ``render`` and
    ``mapping``) and the shipped data (framework clause titles and summaries, vocabularies, contract
    language), normalised like needles and joined by lines.

    A left-out threat titled like one of these ("Vulnerability disclosure", "Patient data") discloses
    nothing when the guides or the coverage tables print the same words; its distinctive text (its
    description, an unusual title) is still looked for."""
    from pathlib import Path

    from mdptm.resources import data_dir

    texts: list[str] = []
    package = Path(__file__).resolve().parent.parent
    for sub in _WRITERS:
        for path in sorted((package / sub).rglob("*.py")):
            texts.extend(_literals(path.read_text(encoding="utf-8", errors="replace")))
    for name in _SHIPPED_DATA:
        try:
            folder = data_dir(name)
        except FileNotFoundError:  # pragma: no cover - an installation without its data
            continue
        yaml_files = [p for p in sorted(folder.rglob("*")) if p.suffix.lower() in (".yaml", ".yml")]
        # folded lines join: the whole file is one text
        texts.extend(p.read_text(encoding="utf-8", errors="replace").replace("\\n", " ") for p in yaml_files)
    return "\n".join(dict.fromkeys(k for k in map(needle_key, texts) if len(k) >= MIN_ITEM_NEEDLE))


@cache
def shipped_lines() -> tuple[tuple[str, int, str], ...]:
    """Where mdptm's own text is written: (file, line, text) of each string literal of the package writers
    and each line of the shipped data (:func:`shipped_text` keeps only the text), for naming the place
    when a policy matches it."""
    from mdptm.resources import data_dir

    out: list[tuple[str, int, str]] = []
    package = Path(__file__).resolve().parent.parent
    for sub in _WRITERS:
        for path in sorted((package / sub).rglob("*.py")):
            source = path.read_text(encoding="utf-8", errors="replace")
            where = path.relative_to(package.parent).as_posix()
            out.extend((where, source.count("\n", 0, at) + 1, text) for at, text in _literals_at(source))
    for name in _SHIPPED_DATA:
        try:
            folder = data_dir(name)
        except FileNotFoundError:  # pragma: no cover - an installation without its data
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() in (".yaml", ".yml", ".md"):
                where = f"{name}/{path.relative_to(folder).as_posix()}"
                lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
                out.extend((where, i, line) for i, line in enumerate(lines, start=1) if line.strip())
    return tuple(out)


_EDGE = " \t\"'`:>|-,;()[]{}"


def own_text(found: str, context: str, scrubber: Scrubber) -> str | None:
    """Where mdptm's own text holds *found* (what a policy term, pattern or detector found in a package
    file whose text is *context*), as "the policy's pattern '\\bv2\\b' matches mappings/mc2.yaml line 14:
    '... v2 November 2025'", or None. The words around the match in mdptm's text must be around it in
    *context* too, so a hit that only happens to be spelt like a word mdptm uses elsewhere is not
    explained away."""
    k = needle_key(found)
    if not k:
        return None
    around = needle_key(context)
    for where, line, text in shipped_lines():
        if k not in needle_key(text):
            continue
        for start, end, rule in scrubber.spans(text):
            if k not in needle_key(text[start:end]):
                continue
            # words around it: a bracket or quote standing alone is none ('"Key rotation (v2)"' is no 'v2' alone)
            before = [w for w in text[:start].split() if any(c.isalnum() for c in w)]
            after = [w for w in text[end:].split() if any(c.isalnum() for c in w)]
            for n in (4, 2, 1, 0):
                window = " ".join([*(before[len(before) - n :] if n else []), text[start:end], *after[:n]]).strip(_EDGE)
                if (n or not (before or after)) and needle_key(window) in around:
                    return f"{_rule_name(rule)} matches mdptm's own {where} line {line}: '{window}'"
    return None


def explain_own_text(hits: Iterable[Hit], folder: Path, scrubber: Scrubber) -> list[Hit]:
    """*hits* of the leak scan of the package in *folder*, each that is text mdptm itself writes marked with
    where that text comes from (:attr:`Hit.own`, :func:`own_text`)."""
    texts: dict[tuple[str, str | None], str] = {}
    out: list[Hit] = []
    for hit in hits:
        if hit.problem or not hit.needle:
            out.append(hit)
            continue
        place = (hit.file, hit.part)
        if place not in texts:
            texts[place] = part_text(folder, hit.file, hit.part)
        own = own_text(hit.needle, texts[place], scrubber)
        out.append(replace(hit, own=own) if own else hit)
    return out


def _rule_name(rule: str) -> str:
    names = []
    for one in rule.split("+"):
        if one.startswith("pattern:"):
            names.append(f"the policy's pattern '{one[len('pattern:') :]}'")
        elif one == "term":
            names.append("a policy term")
        else:
            names.append(f"the {one} detector")
    return " and ".join(dict.fromkeys(names))


# what joins the parts of a compound label: "Patient Records (PHI)", "Gateway; PHI", "Pump / Server"
_PARTS = re.compile(r"\s*[()\[\]{};,:/|]\s*")


def public_compound(text: str, public: set[str]) -> bool:
    """Whether *text* is only whole public strings (needle keys, *public*) put together by brackets or punctuation:
    "Patient Records (PHI)" where the public model names an asset "Patient Records" of kind PHI. The
    documents print such a line for the public item ("Patient Records (PHI) from Records database"), so a
    left-out item named like it discloses nothing; each part must be a whole public string (a name, a
    title, a vocabulary value), never a piece of a longer one."""
    parts = [k for p in _PARTS.split(text) if (k := needle_key(p))]  # split as written: a key reads a bracket as a space
    return len(parts) >= 2 and all(k in public for k in parts)


def _exempt_published(log: RedactionLog, public: Model, policy: Policy) -> None:
    """Text of a left-out item that the public model itself holds is no secret (a kept threat may share
    a dropped one's mitigation text); nor is a value too short to be told apart from ordinary words, nor
    one that mdptm's own writers or shipped data print in any package (:func:`shipped_text`: a withheld
    threat titled "Vulnerability disclosure" must not block a package whose guides say those words), nor
    one made only of whole public strings (:func:`public_compound`: an exit point "Patient Records (PHI)"
    beside the public asset "Patient Records", kind PHI).
    Policy terms and what the patterns and detectors removed stay needles whatever they read."""
    corpus = log._corpus = Corpus(public, policy)
    fit = [IdNeedle(f) for i in log.dropped if id_needle_fit(i) for f in (i, *id_forms(i))]
    if fit:  # a left-out id the public model or mdptm's own text holds whole (CAPEC-66) is no needle; nor a form
        # of it they hold ("T-99", a kept threat's id beside a left-out "T-099")
        ids = LiteralMatcher(fit)
        log.ids_published = sorted(ids.found(corpus.text()) | ids.found(shipped_text()))
    for entry in log.entries:
        if entry.secret and entry.removed and entry.action in ("dropped", "withheld", "rewritten", "summarised"):
            k = needle_key(entry.removed)
            if len(k) < MIN_ITEM_NEEDLE or k in corpus.text() or k in shipped_text() or public_compound(entry.removed, corpus.lines()):
                entry.secret = False


def exempt_of(model: Model, log: RedactionLog | None) -> set[str]:
    """The ticket look-alikes the detectors leave alone in *model* (:func:`_exempt`): those redaction
    worked out when *log* is its log of this very model, else worked out now."""
    made = log._exempt if log is not None else None
    if made is not None and made[0] is model:
        return made[1]
    return _exempt(model)


def output_detector(
    policy: Policy,
    model: Model,
    public: Model,
    *,
    corpus: Corpus | None = None,
    log: RedactionLog | None = None,
    published: Iterable[str] = (),
) -> Callable[[str], list[str]]:
    """What the leak scan runs besides its needles: the policy's patterns and the detectors, over every
    output. A hit that the public model itself holds (an id, a public host, a cited evidence id) or that
    the policy publishes is no leak.

    *corpus* is the :class:`Corpus` of *public* when the caller already has one (:meth:`RedactionLog.corpus`
    while *public* is as redaction left it); one is made here otherwise. Either is built only when a hit
    needs a verdict. *log*, redaction's log of *model*, lends what redaction already worked out.
    *published* are further strings the package publishes on purpose beside the model (the evidence
    references of the maker's assertions, as redaction left them)."""
    scrubber = Scrubber(policy, exempt_of(model, log))
    if corpus is None:
        corpus = Corpus(public, policy)
    public_text = corpus.text
    extra = "\n".join(needle_key(t) for t in published)  # a needle key holds no line break
    leaks: dict[str, bool] = {}  # by needle key
    verdicts: dict[str, bool] = {}  # by the text found
    by_word: dict[str, list[tuple[int, int, bool]]] = {}  # what the detectors find in a word, once
    plain: set[str] = set()  # words they find nothing in (most): kept apart, a set costs half a dict

    def leak(hit: str) -> bool:
        verdict = verdicts.get(hit)
        if verdict is None:
            k = needle_key(hit)
            if k not in leaks:
                leaks[k] = bool(k) and k not in public_text() and k not in extra
            verdict = verdicts[hit] = leaks[k]
        return verdict

    def detect(text: str) -> list[str]:
        cleaned = textnorm.refanged(textnorm.clean(text))  # "10.0.5[.]196" is the address
        out = [hit for start, end, _rule in scrubber.pattern_spans(cleaned) if leak(hit := cleaned[start:end])]
        # the detectors run on each distinct word once: a package repeats its ids, names and
        # addresses thousands of times, in every file (see Scrubber.word_spans)
        words = _words(cleaned) - plain
        new = [w for w in words if w not in by_word]
        if new:
            for word, spans in zip(new, scrubber.word_spans(new), strict=True):
                if spans:
                    by_word[word] = spans
                else:
                    plain.add(word)
        for word in words:
            for start, end, context in by_word.get(word, ()):
                hit = word[start:end]
                if leak(hit) and (not context or _free_standing(cleaned, word, start)):
                    out.append(hit)
        return out

    return detect


_SPACE = re.compile(r"\s")


def _words(text: str, piece: int = 1 << 20) -> set[str]:
    """The distinct runs of non-whitespace in *text*, split a piece at a time (cut at whitespace, so no
    word is cut): a 40 MB document is never a list of millions of words at once."""
    words: set[str] = set()
    start = 0
    while start < len(text):
        end = start + piece
        if end < len(text):
            cut = _SPACE.search(text, end)
            end = cut.start() if cut else len(text)
        words.update(text[start:end].split())
        start = end
    return words


def _free_standing(text: str, word: str, offset: int) -> bool:
    """Whether an address found at *offset* in *word* is, at one place at least where *word* stands
    in *text*, not preceded by a version word (:func:`version_before`)."""
    places = re.finditer(r"(?<!\S)" + re.escape(word) + r"(?!\S)", text)
    return any(not version_before(text, m.start() + offset) for m in places)
