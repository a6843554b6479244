"""One meaning, one verdict: clauses of different frameworks that ask the same thing must agree.

The links are data (``mappings/vocabulary/clause-links.yaml``). A package that calls the SBOM
covered for MC2 and a gap for the CRA contradicts itself in front of an assessor; review reports every
such disagreement (:func:`disagreements`) so the maker fixes the evidence, the rules or the override.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mdptm.model.io import load_validated
from mdptm.model.results import Coverage
from mdptm.model.vocabulary import vocabulary_file

__all__ = ["Disagreement", "Link", "disagreements", "load_links"]


class Link(BaseModel):
    model_config = ConfigDict(extra="forbid")
    meaning: str
    clauses: list[str] = Field(min_length=2)

    @field_validator("clauses")
    @classmethod
    def _qualified(cls, v: list[str]) -> list[str]:
        for ref in v:
            fw, _, clause = ref.partition(":")
            if not fw or not clause:
                raise ValueError(f"{ref!r}: write a linked clause as '<framework>:<clause>'")
        return v

    def refs(self) -> list[tuple[str, str]]:
        return [(r.partition(":")[0], r.partition(":")[2]) for r in self.clauses]


class LinkFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    schema_version: int
    links: list[Link]


@dataclass(frozen=True)
class Disagreement:
    """Linked clauses whose verdicts differ: (framework, clause, status) for each one mapped."""

    meaning: str
    verdicts: tuple[tuple[str, str, str], ...]

    def describe(self) -> str:
        parts = [f"{fw} {cid} {status.replace('_', ' ')}" for fw, cid, status in self.verdicts]
        return f"{self.meaning}: " + ", ".join(parts)


def links_path() -> Path:
    return vocabulary_file("clause-links")


@cache
def _load(path: str) -> tuple[Link, ...]:
    return tuple(load_validated(Path(path), LinkFile).links)


def load_links(path: Path | None = None) -> tuple[Link, ...]:
    """The shipped clause links (or those of *path*)."""
    return _load(str(path or links_path()))


def disagreements(coverage: Coverage, links: tuple[Link, ...] | None = None) -> list[Disagreement]:
    """Every link whose mapped clauses (two or more) do not share one verdict. Clauses of frameworks
    that were not mapped are left out: a subset of frameworks is the user's choice."""
    verdicts = {(fw.id, c.id): c.status for fw in coverage.frameworks for c in fw.clauses}
    out: list[Disagreement] = []
    for link in links if links is not None else load_links():
        found = tuple((fw, cid, verdicts[(fw, cid)]) for fw, cid in link.refs() if (fw, cid) in verdicts)
        if len(found) >= 2 and len({s for _, _, s in found}) > 1:
            out.append(Disagreement(link.meaning, found))
    return out
