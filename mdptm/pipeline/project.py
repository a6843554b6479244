"""The project file ``mdptm.yaml`` (SPEC §10)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mdptm.errors import InputError
from mdptm.model import Signoff
from mdptm.model.io import read_structured
from mdptm.model.validate import pointer

PROJECT_FILE = "mdptm.yaml"


class SourceSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: str
    format: str | None = None
    profile: str | None = None
    # On a conflict between sources the first wins, unless a later source has a higher priority.
    priority: int = 0


class Override(BaseModel):
    model_config = ConfigDict(extra="forbid")
    framework: str
    clause: str
    status: Literal["covered", "partial", "gap", "not_applicable"]
    justification: str

    @field_validator("justification")
    @classmethod
    def _needs_text(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("an override needs a justification")
        return v


class Assertion(BaseModel):
    """A device maker's recorded confirmation that a clause is met, with the evidence it rests on.

    The mapping cannot read everything a notified body would (a test report, a contract); a named
    person confirms the clause instead, and every report shows the verdict as confirmed by the maker.
    """

    model_config = ConfigDict(extra="forbid")
    framework: str
    clause: str
    evidence: list[str] = Field(min_length=1, description="ids of model items or of the maker's own documents")
    rationale: str
    by: str = Field(description="who confirms: name and role")
    date: str = Field(description="when, as YYYY-MM-DD")

    @field_validator("evidence")
    @classmethod
    def _real_evidence(cls, v: list[str]) -> list[str]:
        from mdptm.model.evidence import is_placeholder

        if any(is_placeholder(e) for e in v):
            raise ValueError("an assertion's evidence must name real items or documents, not placeholders")
        return [e.strip() for e in v]

    @field_validator("rationale", "by")
    @classmethod
    def _real_text(cls, v: str) -> str:
        from mdptm.model.evidence import is_placeholder

        if is_placeholder(v):
            raise ValueError("an assertion needs a rationale and the name of who confirms it (not a placeholder)")
        return v.strip()

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, v: Any) -> str:
        import datetime as dt

        text = v.isoformat() if isinstance(v, dt.date) else str(v).strip()
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"the date of an assertion must be YYYY-MM-DD, not {text!r}") from None
        return text


class Project(BaseModel):
    model_config = ConfigDict(extra="forbid")
    product: dict[str, Any] = Field(default_factory=dict)
    document: dict[str, Any] = Field(default_factory=dict)
    support: dict[str, Any] = Field(default_factory=dict)
    sources: list[SourceSpec] = Field(default_factory=list)
    frameworks: list[str] | None = None
    redaction: str | None = None
    signoffs_required: list[str] = Field(default_factory=list)
    signoffs: list[Signoff] = Field(default_factory=list)
    overrides: list[Override] = Field(default_factory=list)
    output: str | None = None
    previous: str | None = None
    template: str | None = None
    # Security risk management facts for the submission (model.risk_management) and per-item facts by id.
    risk_management: dict[str, Any] = Field(default_factory=dict)
    items: dict[str, dict[str, Any]] = Field(default_factory=dict)
    assertions: list[Assertion] = Field(default_factory=list)

    @field_validator("sources", mode="before")
    @classmethod
    def _plain_paths(cls, v: Any) -> Any:
        if isinstance(v, list):
            return [{"path": s} if isinstance(s, str) else s for s in v]
        return v


def load_project(folder: Path) -> tuple[Project, Path]:
    """Read ``DIR/mdptm.yaml`` (or a path to the file itself)."""
    path = folder / PROJECT_FILE if folder.is_dir() else folder
    if path.is_file() and path.suffix.lower() not in (".yaml", ".yml", ".json"):
        parent = str(folder.parent) if str(folder.parent) not in ("", ".") else "."
        if (folder.parent / PROJECT_FILE).exists():
            raise InputError(
                f"is a document, not a project folder: its folder has a {PROJECT_FILE}, so run 'mdptm build {parent}'", file=str(folder)
            )
        raise InputError(
            f"is a document, not a project folder: run 'mdptm init {parent}' to write a project file listing it, "
            f"then 'mdptm build {parent}' (or 'mdptm import {folder} -o model.yaml' to import it alone)",
            file=str(folder),
        )
    if not path.exists():
        if not folder.exists():
            raise InputError("no such project folder", file=str(folder))
        raise InputError(f"no {PROJECT_FILE} in the project folder", file=str(folder))
    data = read_structured(path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError("the project file must be a mapping", file=str(path))
    try:
        project = Project.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise InputError(err["msg"], file=str(path), locator=pointer(*err["loc"])) from None
    if not project.sources:
        raise InputError("'sources' lists no threat model to import", file=str(path))
    return project, path.parent
