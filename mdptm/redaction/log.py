"""The (internal) redaction log: every change redaction made, and the removed strings the leak scan looks for."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field, PrivateAttr

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

    def needles(self) -> list[str]:
        """What the leak scan looks for: every policy term and every secret string removed."""
        out = dict.fromkeys(self.terms)
        for e in self.entries:
            if e.secret and e.removed and e.removed.strip():
                out.setdefault(e.removed)
        return list(out)

    def corpus(self) -> Corpus | None:
        """The public corpus of the model :func:`redact` returned, as it returned it (None for a log
        not made by it): only valid while that model is unchanged."""
        return self._corpus

    def finish(self) -> RedactionLog:
        self.counts = dict(sorted(Counter(e.action for e in self.entries).items()))
        return self
