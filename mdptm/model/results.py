"""Results that flow between pipeline stages: coverage (map), findings (review)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

ClauseStatus = Literal["covered", "partial", "gap", "not_applicable"]
Severity = Literal["blocker", "warning", "info"]
CLAUSE_STATUSES: tuple[ClauseStatus, ...] = ("covered", "partial", "gap", "not_applicable")


class Confirmation(BaseModel):
    """A maker's assertion that set a clause to covered (project file ``assertions``)."""

    by: str
    date: str
    rationale: str
    evidence: list[str] = Field(default_factory=list)
    computed: str = ""  # the verdict the model alone gave


class ClauseResult(BaseModel):
    id: str
    title: str
    status: ClauseStatus
    evidence: list[str] = Field(default_factory=list)
    rationale: str = ""
    summary: str = ""
    source: str = ""
    confidence: str | None = None
    overridden: bool = False
    group: str = ""
    confirmed: Confirmation | None = None
    relies_on_hospital: list[str] = Field(default_factory=list)


class FrameworkResult(BaseModel):
    id: str
    title: str
    version: str = ""
    note: str = ""
    clauses: list[ClauseResult] = Field(default_factory=list)
    summary: dict[str, int] = Field(default_factory=dict)


class Coverage(BaseModel):
    frameworks: list[FrameworkResult] = Field(default_factory=list)

    def framework(self, fid: str) -> FrameworkResult | None:
        return next((f for f in self.frameworks if f.id == fid), None)


class Finding(BaseModel):
    check: str
    severity: Severity
    message: str
    items: list[str] = Field(default_factory=list)


class Review(BaseModel):
    findings: list[Finding] = Field(default_factory=list)

    @property
    def blockers(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "blocker"]
