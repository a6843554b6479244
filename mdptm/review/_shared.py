"""What the built-in checks and the premarket checks share: a finding of the check, a label for an item,
the facts a group of settings leaves unstated."""

from __future__ import annotations

from collections.abc import Iterable

from mdptm.model import Item
from mdptm.model.results import Finding
from mdptm.plugins import Check


class ReviewCheck(Check):
    """A built-in check: its findings carry its id and severity."""

    def finding(self, message: str, items: Iterable[str] = ()) -> Finding:
        return Finding(check=self.id, severity=self.severity, message=message, items=list(items))


def label(item: Item) -> str:
    """``T-1 (Spoofed update server)``: the id and the first line of the item's name, title or text."""
    for attr in ("name", "title", "text"):
        value = getattr(item, attr, None)
        if isinstance(value, str) and value.strip():
            short = value.strip().splitlines()[0]
            return f"{item.id} ({short[:60]}{'…' if len(short) > 60 else ''})"
    return item.id


def unstated(facts: Iterable[tuple[str, object]]) -> list[str]:
    """The names, in order, of the (name, value) pairs whose value is empty or false."""
    return [name for name, value in facts if not value]
