"""The (internal) redaction log: every change redaction made, and the removed strings the leak scan looks for."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field, PrivateAttr

from mdptm.redaction.leakscan import IdNeedle, needle_key

if TYPE_CHECKING:
    from mdptm.model import Model
    from mdptm.redaction.corpus import Corpus

# ------------------------------------------------------------------------------------------ log

Action = Literal["replaced", "renamed", "dropped", "withheld", "summarised", "rewritten", "noted", "stripped"]


class LogEntry(BaseModel):
    """One change: *secret* marks removed text that the leak scan must never find in the package."""

    item: str
    field: str
    action: Action
    rule: str
    removed: str | None = None
    replacement: str | None = None
    secret: bool = False


class RedactionLog(BaseModel):
    """Everything redaction changed (internal: it holds the very strings that were removed)."""

    terms: list[str] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict)
    dropped: list[str] = Field(default_factory=list)
    withheld: list[str] = Field(default_factory=list)
    renamed: dict[str, str] = Field(default_factory=dict)
    # left-out ids that the public model or mdptm's own text holds as a whole (a kept threat citing
    # CAPEC-66, the id of a dropped threat): no needle, they disclose nothing
    ids_published: list[str] = Field(default_factory=list)
    entries: list[LogEntry] = Field(default_factory=list)
    # the public corpus of redaction's model (see public_corpus), built at most once: the leak scan
    # reuses it while the public model is unchanged, rather than build the same ~10 MB string again
    _corpus: Corpus | None = PrivateAttr(default=None)
    # the ticket look-alikes redaction exempted (scrubber._exempt) and the model they came from: the
    # other scrubbers of the same build (overrides, template, output detector) reuse them
    _exempt: tuple[Model, set[str]] | None = PrivateAttr(default=None)

    def add(
        self,
        item: str,
        field: str,
        action: Action,
        rule: str,
        removed: str | None = None,
        replacement: str | None = None,
        *,
        secret: bool = False,
    ) -> None:
        self.entries.append(
            LogEntry(item=item, field=field, action=action, rule=rule, removed=removed, replacement=replacement, secret=secret)
        )

    def needles(self, published_ids: Iterable[str] = ()) -> list[str]:
        """What the leak scan looks for: every policy term, every secret string removed, and the ids of
        left-out items and the old ids of renamed ones (:meth:`id_needles`)."""
        out = dict.fromkeys(self.terms)
        for e in self.entries:
            if e.secret and e.removed and e.removed.strip():
                out.setdefault(e.removed)
        for needle in self.id_needles(published_ids):
            out.setdefault(needle)
        # a withheld description of one sentence is also that sentence, a term (left_out_sentences) without its full
        # stop: the one needle finds what the other does, and a leak of it is reported once
        keys = {needle_key(n) for n in out}
        return [n for n in out if (k := needle_key(n)) == (bare := k.rstrip(".!?;: ")) or bare not in keys]

    def id_needles(self, published_ids: Iterable[str] = ()) -> list[IdNeedle]:
        """The ids of dropped items and the old ids of renamed ones, found standing alone
        (:class:`~mdptm.redaction.leakscan.IdNeedle`): a withheld threat's ``TM7-131`` must not reach
        the package, nor inside a kept control's ``TM7-131-M1``. Ids of fewer than five characters
        (``T-3``, ``E3``: a spreadsheet's cell references) and ids without both a letter and a digit
        (a word, a number) would be found by chance, and are left to redaction, which replaces every
        mention of a left-out id in published text; so are *published_ids* (a previous version
        published them) and :attr:`ids_published`."""
        skip = {needle_key(i) for i in [*published_ids, *self.ids_published]}
        out: list[IdNeedle] = []
        dropped = set(self.dropped)
        for iid in [*self.dropped, *self.renamed]:
            if needle_key(iid) in skip or not id_needle_fit(iid):
                continue
            out.append(IdNeedle(iid))
            out.extend(IdNeedle(f) for f in id_forms(iid, zeros=iid in dropped) if needle_key(f) not in skip)
        return out

    def corpus(self) -> Corpus | None:
        """The public corpus of the model :func:`redact` returned, as it returned it (None for a log
        not made by it): only valid while that model is unchanged."""
        return self._corpus

    def finish(self) -> RedactionLog:
        self.counts = dict(sorted(Counter(e.action for e in self.entries).items()))
        return self


_ID_SEPARATOR = re.compile(r"[-_\s\u2010-\u2015./]+")
_LEADING_ZEROS = re.compile(r"(?<!\d)0+(?=\d)")


def id_forms(iid: str, *, zeros: bool = True) -> list[str]:
    """Other ways to write an id that redaction finds as it (:func:`mdptm.redaction.redact._left_out_ids`), for
    the leak scan: its separators written as full stops or slashes (``T.099``, ``T/099``), and with *zeros*
    (the id of a left-out item) its numbers without their leading zeros (``T-99``, ``T.99``). Written without a
    separator (``T099``) it reads like a spreadsheet cell, which every workbook holds: redaction alone replaces
    that form. A form of fewer than four characters or one digit (``T.9``) is too common to look for."""
    parts = [p for p in _ID_SEPARATOR.split(iid) if p]
    if len(parts) < 2:
        return []
    numbers = [parts]
    if zeros:
        stripped = [_LEADING_ZEROS.sub("", p) for p in parts]
        if stripped != parts:
            numbers.append(stripped)
    forms = {sep.join(ps) for ps in numbers for sep in ("-", ".", "/")}
    key = needle_key(iid)
    return sorted(f for f in forms if needle_key(f) != key and len(f) >= 4 and sum(c.isdigit() for c in f) >= 2)


def id_needle_fit(iid: str) -> bool:
    """Whether an id is distinctive enough to be looked for in a package: five characters or more, with a
    letter and a digit (``TM7-131``, ``T-051``, a UUID; not ``T-3``, ``E3`` or ``backdoor``), and not
    written like a spreadsheet cell (``C1001`` is the cell every workbook of a thousand rows has)."""
    k = needle_key(iid)
    return (
        len(k) >= ID_NEEDLE_MIN and re.search(r"[^\W\d_]", k) is not None and re.search(r"\d", k) is not None and _CELL.fullmatch(k) is None
    )


_CELL = re.compile(r"[a-z]{1,3}[0-9]{1,7}")


ID_NEEDLE_MIN = 5  # characters of an id looked for in a package
