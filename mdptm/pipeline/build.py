"""The whole pipeline behind ``mdptm build`` (SPEC §10)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from mdptm.base.process import give_back_memory, keep_long_lived
from mdptm.errors import ExitCode, InputError, MdptmError
from mdptm.mapping.framework import Assertion, Override
from mdptm.model import PLACEHOLDER, Item, Model
from mdptm.model.io import validated
from mdptm.model.report import ImportReport
from mdptm.model.results import Review
from mdptm.model.validate import pointer
from mdptm.pipeline.importing import ImportSource, check_references, import_sources, read_profile
from mdptm.pipeline.project import PROJECT_FILE, Project, load_project
from mdptm.plugins import Audience


@dataclass
class BuildResult:
    out: Path
    internal: Path
    model: Model
    report: ImportReport
    warnings: list[str] = field(default_factory=list)
    exit_code: ExitCode = ExitCode.OK
    review: Review | None = None
    timings: dict[str, float] = field(default_factory=dict)


def _deep_merge(base: dict[str, Any], values: dict[str, object]) -> dict[str, object]:
    out = dict(base)
    for key, value in values.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _overlay(target: BaseModel, values: dict[str, object], where: str | tuple[str, ...], file: str) -> None:
    if not values:
        return
    parts = (where,) if isinstance(where, str) else tuple(where)
    new = validated(type(target), _deep_merge(target.model_dump(), values), file=file, where=parts)
    for key in values:
        setattr(target, key, getattr(new, key))


def apply_project(model: Model, project: Project, project_file: str) -> None:
    """The project file's product/document/support facts win over what the sources say."""
    _overlay(model.product, project.product, "product", project_file)
    _overlay(model.document, project.document, "document", project_file)
    _overlay(model.support, project.support, "support", project_file)
    _overlay(model.risk_management, project.risk_management, "risk_management", project_file)
    if project.items:
        index = model.index()
        by_name: dict[str, list[Item]] = {}
        for _kind, it in model.items():  # noqa: PERF102 - Model.items() yields (kind, item)
            label = getattr(it, "name", None) or getattr(it, "title", None)
            if isinstance(label, str):
                by_name.setdefault(" ".join(label.lower().split()), []).append(it)
        for item_id, values in project.items.items():
            named = by_name.get(" ".join(item_id.lower().split()), [])
            item = index.get(item_id) or (named[0] if len(named) == 1 else None)
            if item is None:
                why = "several items have this name" if named else "no item of the model has this id or name"
                raise InputError(f"{why}: {item_id!r}", file=project_file, locator=pointer("items", item_id))
            _overlay(item, values, ("items", item_id), project_file)
    for s in project.signoffs:
        if s not in model.document.signoffs:
            model.document.signoffs.append(s)


def load_project_model(
    folder: Path, *, meanwhile: Callable[[Project, Path], object] | None = None
) -> tuple[Model, ImportReport, Project, Path]:
    """A project's sources imported and merged, with the project file's facts applied; ``meanwhile(project,
    root)`` runs while large sources are read ahead (:func:`mdptm.pipeline.importing.read_ahead`)."""
    project, root = load_project(folder)
    sources = [
        ImportSource(root / spec.path, spec.format, read_profile(root / spec.profile) if spec.profile else None, spec.priority)
        for spec in project.sources
    ]
    model, report = import_sources(sources, meanwhile=partial(meanwhile, project, root) if meanwhile is not None else None)
    apply_project(model, project, str(root / "mdptm.yaml"))
    restate_placeholders(model, report, str(root / PROJECT_FILE))
    if project.items:  # again when the project file changed items: only items hold references (validate_model)
        check_references(model)
    return model, report, project, root


def restate_placeholders(model: Model, report: ImportReport, project_file: str) -> None:
    """Importers warn of facts their source lacks; once the project file had its say, only the
    facts still missing deserve a warning (one each, naming where to set them)."""
    report.warnings = [w for w in report.warnings if PLACEHOLDER not in w.message and "placeholder" not in w.message]
    for where, value in (
        ("product.name", model.product.name),
        ("product.manufacturer", model.product.manufacturer),
        ("document.version", model.document.version),
    ):
        if value == PLACEHOLDER:
            report.warn(project_file, where, f"no source states {where}: set it in mdptm.yaml (publishing needs it)")


class Timer:
    """Seconds per pipeline stage, for ``-v`` and the benchmark; never written to a file."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.stages[stage] = self.stages.get(stage, 0.0) + time.perf_counter() - t0


@dataclass
class Settings:
    """What the stages after import need, from the project file or the command line."""

    base_dir: Path
    frameworks: list[str] | None = None
    overrides: list[Override] = field(default_factory=list)
    overrides_file: str | None = None
    assertions: list[Assertion] = field(default_factory=list)
    policy: Path | None = None
    signoffs_required: list[str] = field(default_factory=list)
    template: Path | None = None
    previous: Path | None = None
    documents: list[Path] = field(default_factory=list)  # input files whose properties must not leak
    draft: bool = False
    audience: Audience = Audience.PUBLIC

    @classmethod
    def from_project(cls, project: Project, root: Path, *, draft: bool = False, audience: Audience = Audience.PUBLIC) -> Settings:
        return cls(
            base_dir=root,
            frameworks=project.frameworks,
            overrides=list(project.overrides),
            overrides_file=str(root / PROJECT_FILE),
            assertions=list(project.assertions),
            policy=root / project.redaction if project.redaction else None,
            signoffs_required=list(project.signoffs_required),
            template=root / project.template if project.template else None,
            previous=root / project.previous if project.previous else None,
            documents=[root / s.path for s in project.sources],
            draft=draft,
            audience=Audience(audience),
        )


def build(
    folder: Path,
    out: Path | None = None,
    *,
    draft: bool = False,
    audience: Audience = Audience.PUBLIC,
    neutral: Path | None = None,
    internal_dir: Path | None = None,
) -> BuildResult:
    """Import a project's sources, then run every later stage (:func:`run_pipeline`); *neutral*: where the package
    goes instead of *out* when *out*'s name (mdptm's choice) holds something withheld; *internal_dir*: the folder
    of a portfolio's internal reports (:func:`mdptm.pipeline.run.internal_folder`)."""
    timer = Timer()
    with timer("import"):
        model, report, project, root = load_project_model(folder, meanwhile=load_later_stages)
    give_back_memory()
    keep_long_lived()
    out = out or project_output(root, project.output)
    settings = Settings.from_project(project, root, draft=draft, audience=audience)
    from mdptm.pipeline.run import run_pipeline

    return run_pipeline(model, report, out, settings, timer, neutral=neutral, internal_dir=internal_dir)


def load_later_stages(project: Project, root: Path) -> None:
    """Import the modules of the stages after import (the writers, python-docx, matplotlib) and read the
    project's frameworks: about 0.6 s a build spends while its sources are read in another process, not
    after. A framework that cannot be read is left for the mapping to report, in its turn."""
    import mdptm.documents.guides
    import mdptm.pipeline.run  # noqa: F401
    from mdptm.mapping.engine import resolve_frameworks
    from mdptm.plugins import registry

    registry()  # every door, for `mdptm build` to report broken plug-ins once the build is done

    with suppress(MdptmError):
        resolve_frameworks(project.frameworks, base_dir=root)  # kept: the mapping reads them again at no cost


def project_output(root: Path, output: str | None) -> Path:
    """Where ``output:`` in mdptm.yaml puts the package: a folder inside the project, nowhere else.

    A project file may come from someone else; ``output: /home/me`` must not make a plain build
    replace that folder. ``-o`` on the command line may point anywhere.
    """
    out = root / (output or "out")
    inside = Path(os.path.abspath(out)).resolve()
    base = root.resolve()
    if inside == base or base not in inside.parents:
        raise InputError(
            f"output {output!r} is outside the project folder; give -o OUT on the command line to write elsewhere",
            file=str(root / PROJECT_FILE),
            locator="/output",
        )
    return out
