"""Plug-in doors (SPEC §11): importers, exporters, frameworks and checks.

Built-ins register through the same entry-point groups as third-party plug-ins, so there is
exactly one way in. A plug-in that fails to load is reported as a warning, never a crash.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, TypeAlias, TypeGuard

from mdptm.base.data import JSONObject, JSONValue

if TYPE_CHECKING:
    from importlib.metadata import Distribution, EntryPoint

    from mdptm.model import Model
    from mdptm.model.report import ImportReport
    from mdptm.model.results import Coverage, Finding, Hit, Review, Severity

GROUPS = {
    "importer": "mdptm.importers",
    "exporter": "mdptm.exporters",
    "framework": "mdptm.frameworks",
    "check": "mdptm.checks",
}


# Options a user gives a plug-in by name (the command line or a project file); never a channel between stages.
Options: TypeAlias = dict[str, JSONValue]


@dataclass
class ImportContext:
    """What an importer needs besides the file: the shared report and an optional profile.

    *profile* is the user's profile file as parsed (a mapping, validated by the importer that reads
    it: the table importers check it against their ``Profile``); *looked_at* is the importer's answer
    to "what did you read?" ("3 sheets", "40 paragraphs and 2 tables"), named when nothing was found.
    *read_ahead* is what the importer's :meth:`Importer.read_ahead` returned for this very file, when
    the caller ran it beforehand (None otherwise: the importer reads the file itself). *resolved_after*
    says the caller resolves the model's references itself as soon as the importer returns it, on this
    very model (the one source of :func:`mdptm.pipeline.importing.import_sources`): an importer's own
    pass over it would only be done twice.
    """

    report: ImportReport
    profile: JSONObject | None = None
    options: Options = field(default_factory=dict)
    looked_at: str | None = None
    read_ahead: object | None = None
    resolved_after: bool = False


class Importer(abc.ABC):
    """Reads one source file into a (partial) model and accounts for every record it saw."""

    name: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]] = ()
    # A source with nothing in it is refused ("no threat-model content found"); a native model may be a skeleton.
    may_be_empty: ClassVar[bool] = False

    def sniff(self, path: Path, head: bytes) -> int:
        """How sure (0–100) this importer is that it reads *path*; *head* is its first bytes."""
        return 50 if path.suffix.lower() in self.extensions else 0

    @abc.abstractmethod
    def load(self, path: Path, ctx: ImportContext) -> Model:
        """Parse *path*; raise :class:`mdptm.errors.InputError` on bad input."""

    def read_ahead(self, path: Path) -> object | None:
        """Optional: the part of reading *path* that needs nothing but the file (its parsed sheets, say),
        as data that pickles. A build may run it in another process while it loads its later stages,
        then hands the result to :meth:`load` as ``ctx.read_ahead``; if it fails, :meth:`load` reads the
        file itself and reports what is wrong. None (the default): nothing is read ahead."""
        return None


class Audience(StrEnum):
    """Who an output is for: hospitals (the redacted PTM package), regulators (the confidential set), or the
    device maker itself (a model exported as it is, every document marked CONFIDENTIAL)."""

    PUBLIC = "public"
    SUBMISSION = "submission"
    INTERNAL = "internal"


@dataclass
class ExportContext:
    """Everything an exporter may draw on besides the model itself."""

    coverage: Coverage | None = None
    review: Review | None = None
    draft: bool = False
    audience: Audience = Audience.PUBLIC
    template: Path | None = None
    epoch: int = 315532800  # 1980-01-01, the earliest zip timestamp
    internal_model: Model | None = None
    previous: Model | None = None
    options: Options = field(default_factory=dict)
    # What the import read, merged and skipped of each source (the submission set lists what it left out).
    import_report: ImportReport | None = None


class Exporter(abc.ABC):
    """Writes one artefact from a model."""

    name: ClassVar[str]
    suffix: ClassVar[str]

    @abc.abstractmethod
    def write(self, model: Model, path: Path, ctx: ExportContext) -> None:
        """Write the artefact to *path* (the caller stages and moves it into place)."""


@dataclass
class ReviewContext:
    """What the checks look at.

    *model* is the internal threat model; *public* the redacted one when there is one (checks that
    compare the two are silent without it); *renames* maps internal ids to the public ids redaction
    gave them; *leaks* are the leak-scan hits of a written package; *coverage* is the mapping of
    *model* (checks of the verdicts are silent without it).
    """

    model: Model
    public: Model | None = None
    signoffs_required: list[str] = field(default_factory=list)
    leaks: list[Hit] = field(default_factory=list)
    renames: dict[str, str] = field(default_factory=dict)
    audience: Audience = Audience.PUBLIC  # SUBMISSION: the FDA premarket checks run even when the model states none of their facts
    coverage: Coverage | None = None

    @property
    def published(self) -> Model:
        """The model the reader will see: the public one if given, else the model itself."""
        return self.public if self.public is not None else self.model


class Check(abc.ABC):
    """One review check (SPEC §5)."""

    id: ClassVar[str]
    severity: ClassVar[Severity]
    description: ClassVar[str] = ""

    @abc.abstractmethod
    def run(self, ctx: ReviewContext) -> Iterable[Finding]:
        """Yield findings for the model in *ctx*."""


# What a framework entry point names: a callable returning a framework (a file path, a mapping or a
# ``Framework``), or one of those itself. ``mdptm.mapping.engine`` narrows it when it loads the framework.
FrameworkSource = object


@dataclass
class PluginInfo:
    name: str
    kind: str
    distribution: str
    version: str
    target: str
    error: str | None = None


@dataclass
class Registry:
    """Every installed plug-in by door and name; each door holds only what it can use."""

    importers: dict[str, type[Importer]] = field(default_factory=dict)
    exporters: dict[str, type[Exporter]] = field(default_factory=dict)
    frameworks: dict[str, FrameworkSource] = field(default_factory=dict)
    checks: dict[str, type[Check]] = field(default_factory=dict)
    info: list[PluginInfo] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, kind: str, name: str, obj: object) -> str | None:
        """File *obj* under its door; the reason it cannot be, or None."""
        taken = {
            "importer": set(self.importers),
            "exporter": set(self.exporters),
            "framework": set(self.frameworks),
            "check": set(self.checks),
        }
        if name in taken[kind]:
            return "is registered twice; first kept"
        if kind == "importer":
            if not _is_importer(obj):
                return "is not a subclass of mdptm.plugins.Importer"
            self.importers[name] = obj
        elif kind == "exporter":
            if not _is_exporter(obj):
                return "is not a subclass of mdptm.plugins.Exporter"
            self.exporters[name] = obj
        elif kind == "check":
            if not _is_check(obj):
                return "is not a subclass of mdptm.plugins.Check"
            self.checks[name] = obj
        else:
            self.frameworks[name] = obj
        return None


def _is_importer(obj: object) -> TypeGuard[type[Importer]]:
    return isinstance(obj, type) and issubclass(obj, Importer)


def _is_exporter(obj: object) -> TypeGuard[type[Exporter]]:
    return isinstance(obj, type) and issubclass(obj, Exporter)


def _is_check(obj: object) -> TypeGuard[type[Check]]:
    return isinstance(obj, type) and issubclass(obj, Check)


def _dist(ep: EntryPoint) -> tuple[str, str]:
    dist = getattr(ep, "dist", None)
    if dist is None:
        return "?", "?"
    return _dist_of(dist)


@cache
def _dist_of(dist: Distribution) -> tuple[str, str]:
    """Name and version of a distribution: its METADATA parsed once, not once per entry point."""
    return str(dist.metadata["Name"]), str(dist.version)


@cache
def registry(*kinds: str) -> Registry:
    """The plug-ins behind the named doors (``"importer"``, ``"exporter"``, ``"framework"``, ``"check"``;
    every door when none is named), loaded once; broken ones become warnings.

    A command loads only the doors it uses: importing a file never imports the exporters' Word,
    workbook and chart machinery."""
    from importlib.metadata import entry_points  # 40 ms of imports (email, zipfile): not for `mdptm --version`

    reg = Registry()
    unknown = [k for k in kinds if k not in GROUPS]
    if unknown:
        raise ValueError(f"no plug-in door {unknown[0]!r} (doors: {', '.join(GROUPS)})")
    installed = entry_points()  # one scan of the installed distributions for every door (what entry_points(group=) selects from)
    for kind, group in GROUPS.items():
        if kinds and kind not in kinds:
            continue
        for ep in sorted(installed.select(group=group), key=lambda e: e.name):
            dname, dver = _dist(ep)
            try:
                obj = ep.load()
            except Exception as exc:  # noqa: BLE001 - a broken plug-in must not crash mdptm
                msg = f"plug-in {ep.name!r} ({group}, from {dname}) failed to load: {exc}"
                reg.warnings.append(msg)
                reg.info.append(PluginInfo(ep.name, kind, dname, dver, ep.value, error=str(exc)))
                continue
            refused = reg.add(kind, ep.name, obj)
            if refused is not None:
                reg.warnings.append(f"plug-in {ep.name!r} ({group}, from {dname}) {refused}")
                if not refused.startswith("is registered twice"):
                    reg.info.append(PluginInfo(ep.name, kind, dname, dver, ep.value, error=refused))
                continue
            reg.info.append(PluginInfo(ep.name, kind, dname, dver, ep.value))
    return reg


def importers() -> dict[str, Importer]:
    return {name: cls() for name, cls in registry("importer").importers.items()}


def exporters() -> dict[str, Exporter]:
    return {name: cls() for name, cls in registry("exporter").exporters.items()}
