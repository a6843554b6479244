"""Results that flow between pipeline stages: coverage (map), findings (review), leak-scan hits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from mdptm.model import empty_dict, empty_list

ClauseStatus = Literal["covered", "partial", "gap", "not_applicable"]
Severity = Literal["blocker", "warning", "info"]
CLAUSE_STATUSES: tuple[ClauseStatus, ...] = ("covered", "partial", "gap", "not_applicable")


class Confirmation(BaseModel):
    """A maker's assertion that set a clause to covered (project file ``assertions``)."""

    by: str
    date: str
    rationale: str
    evidence: list[str] = Field(default_factory=empty_list)
    computed: str = ""  # the verdict the model alone gave


class ClauseResult(BaseModel):
    id: str
    title: str
    status: ClauseStatus
    evidence: list[str] = Field(default_factory=empty_list)
    rationale: str = ""
    summary: str = ""
    source: str = ""
    confidence: str | None = None
    overridden: bool = False
    group: str = ""
    confirmed: Confirmation | None = None
    relies_on_hospital: list[str] = Field(default_factory=empty_list)


class FrameworkResult(BaseModel):
    id: str
    title: str
    version: str = ""
    note: str = ""
    clauses: list[ClauseResult] = Field(default_factory=empty_list)
    summary: dict[str, int] = Field(default_factory=empty_dict)


class Coverage(BaseModel):
    frameworks: list[FrameworkResult] = Field(default_factory=empty_list)

    def framework(self, fid: str) -> FrameworkResult | None:
        return next((f for f in self.frameworks if f.id == fid), None)


class Finding(BaseModel):
    check: str
    severity: Severity
    message: str
    items: list[str] = Field(default_factory=empty_list)


class Review(BaseModel):
    findings: list[Finding] = Field(default_factory=empty_list)

    @property
    def blockers(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "blocker"]


@dataclass(frozen=True)
class Hit:
    """A needle found in a written file; *part* is the zip member (``word/document.xml``) or None."""

    file: str
    part: str | None
    needle: str
    problem: str | None = None  # set when a part could not be read, which blocks just the same
    # set when what was found is text mdptm itself writes (a clause title, a guide sentence) that a policy
    # term, pattern or detector matches: where that text comes from, so the policy can be fixed
    own: str | None = None

    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.file, self.part or "", self.needle, self.problem or "")

    def where(self) -> str:
        return self.file + (f" ({self.part})" if self.part else "")

    def describe(self) -> str:
        if self.problem:
            return f"{self.where()}: {self.problem}"
        if self.own:
            return f"{self.needle!r} found in {self.where()} ({self.own})"
        return f"{self.needle!r} found in {self.where()}"
