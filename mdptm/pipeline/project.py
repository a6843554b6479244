"""The project file ``mdptm.yaml`` (SPEC §10)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mdptm.errors import InputError
from mdptm.mapping.framework import Assertion, Override
from mdptm.model import Signoff
from mdptm.model.io import read_structured, validated

PROJECT_FILE = "mdptm.yaml"


class SourceSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: str
    format: str | None = None
    profile: str | None = None
    # On a conflict between sources the first wins, unless a later source has a higher priority.
    priority: int = 0


class Project(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # Facts as written (Any: YAML values, validated against Product, Document, ... when they are applied,
    # so that an error names the project file and the field).
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
    def _plain_paths(cls, v: object) -> object:
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
    project = validated(Project, data, file=str(path))
    if not project.sources:
        raise InputError("'sources' lists no threat model to import", file=str(path))
    return project, path.parent


def project_paths(target: Path | None) -> list[Path]:
    """The files a project folder (or its ``mdptm.yaml``) reads: the project file, its sources and their
    profiles, the policy, the previous version and the template; ``[]`` for anything else. An output must
    not replace one of them. A project file that cannot be read gives its own path alone (the command
    reports what is wrong with it)."""
    if target is None:
        return []
    path = target / PROJECT_FILE if target.is_dir() else target
    if not path.is_file() or path.name != PROJECT_FILE:
        return []
    try:
        project, base = load_project(path)
    except InputError:
        return [path]
    named = [project.redaction, project.previous, project.template]
    for s in project.sources:
        named += [s.path, s.profile]
    return [path, *(base / n for n in named if n)]
