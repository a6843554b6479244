"""The whole pipeline behind ``mdptm build`` (SPEC §10)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from mdptm.errors import InputError
from mdptm.importing import check_references, import_sources
from mdptm.model import Model
from mdptm.modelio import dumps, read_structured
from mdptm.output import staged_dir, write_json, write_manifest
from mdptm.project import Project, load_project
from mdptm.report import ImportReport
from mdptm.validate import pointer


@dataclass
class BuildResult:
    out: Path
    internal: Path
    model: Model
    report: ImportReport
    warnings: list[str] = field(default_factory=list)
    exit_code: int = 0


def _deep_merge(base: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in values.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _overlay(target: BaseModel, values: dict[str, Any], where: str, file: str) -> None:
    if not values:
        return
    try:
        new = type(target).model_validate(_deep_merge(target.model_dump(), values))
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise InputError(err["msg"], file=file, locator=pointer(where, *err["loc"])) from None
    for key in values:
        setattr(target, key, getattr(new, key))


def apply_project(model: Model, project: Project, project_file: str) -> None:
    """The project file's product/document/support facts win over what the sources say."""
    _overlay(model.product, project.product, "product", project_file)
    _overlay(model.document, project.document, "document", project_file)
    _overlay(model.support, project.support, "support", project_file)
    for s in project.signoffs:
        if s not in model.document.signoffs:
            model.document.signoffs.append(s)


def load_project_model(folder: Path) -> tuple[Model, ImportReport, Project, Path]:
    project, root = load_project(folder)
    sources = []
    for spec in project.sources:
        profile = None
        if spec.profile:
            data = read_structured(root / spec.profile)
            if not isinstance(data, dict):
                raise InputError("a profile must be a mapping", file=str(root / spec.profile))
            profile = data
        sources.append((root / spec.path, spec.format, profile))
    model, report = import_sources(sources, [spec.priority for spec in project.sources])
    apply_project(model, project, str(root / "mdptm.yaml"))
    check_references(model)  # again: the project file may have changed references (signoffs, overrides)
    return model, report, project, root


def build(folder: Path, out: Path | None = None, *, draft: bool = False) -> BuildResult:
    model, report, project, root = load_project_model(folder)
    out = out or (root / (project.output or "out"))
    internal = out.with_name(out.name + ".internal")
    with staged_dir(internal) as tmp_internal, staged_dir(out) as tmp_out:
        write_json(tmp_internal / "import-report.json", report.model_dump(mode="json"))
        (tmp_out / "ptm.json").write_text(dumps(model, "json"), encoding="utf-8", newline="\n")
        write_manifest(tmp_out, {"model_sha256": _sha(dumps(model, "json"))})
    return BuildResult(out=out, internal=internal, model=model, report=report)


def _sha(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()
