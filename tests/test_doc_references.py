"""Every ``docs/NAME.md`` that mdptm's code, data or templates name exists: the text a user reads (a policy
``mdptm init`` writes, an error message, a review finding) must not send them to a page that is not there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_DOC = re.compile(r"docs/([\w.-]+\.md)")


def _named() -> dict[str, list[str]]:
    named: dict[str, list[str]] = {}
    for folder in ("mdptm", "mappings", "templates"):
        for path in sorted((ROOT / folder).rglob("*")):
            if not path.is_file() or path.suffix not in (".py", ".yaml", ".yml", ".md", ".txt", ".json"):
                continue
            for name in _DOC.findall(path.read_text(encoding="utf-8", errors="replace")):
                named.setdefault(name, []).append(str(path.relative_to(ROOT)))
    return named


def test_the_references_are_found() -> None:
    named = _named()
    assert "review-and-redaction.md" in named  # the scan reads the places that name pages


def test_every_named_page_exists() -> None:
    missing = {name: where for name, where in _named().items() if not (ROOT / "docs" / name).is_file()}
    assert not missing, f"pages named but not in docs/: {missing}"
