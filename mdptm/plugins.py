"""Plug-in doors (SPEC §11): importers, exporters, frameworks and checks.

Built-ins register through the same entry-point groups as third-party plug-ins, so there is
exactly one way in. A plug-in that fails to load is reported as a warning, never a crash.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from mdptm.model import Model
    from mdptm.model.report import ImportReport
    from mdptm.model.results import Coverage, Finding, Review

GROUPS = {
    "importer": "mdptm.importers",
    "exporter": "mdptm.exporters",
    "framework": "mdptm.frameworks",
    "check": "mdptm.checks",
}


@dataclass
class ImportContext:
    """What an importer needs besides the file: the shared report and an optional profile."""

    report: ImportReport
    profile: dict[str, Any] | None = None
    options: dict[str, Any] = field(default_factory=dict)


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


@dataclass
class ExportContext:
    """Everything an exporter may draw on besides the model itself."""

    coverage: Coverage | None = None
    review: Review | None = None
    draft: bool = False
    audience: str = "public"
    template: Path | None = None
    epoch: int = 315532800  # 1980-01-01, the earliest zip timestamp
    internal_model: Model | None = None
    previous: Model | None = None
    options: dict[str, Any] = field(default_factory=dict)


class Exporter(abc.ABC):
    """Writes one artefact from a model."""

    name: ClassVar[str]
    suffix: ClassVar[str]

    @abc.abstractmethod
    def write(self, model: Model, path: Path, ctx: ExportContext) -> None:
        """Write the artefact to *path* (the caller stages and moves it into place)."""


class Check(abc.ABC):
    """One review check (SPEC §5)."""

    id: ClassVar[str]
    severity: ClassVar[str]
    description: ClassVar[str] = ""

    @abc.abstractmethod
    def run(self, ctx: Any) -> Iterable[Finding]:
        """Yield findings for the model in *ctx* (a :class:`mdptm.review.engine.ReviewContext`)."""


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
    importers: dict[str, Any] = field(default_factory=dict)
    exporters: dict[str, Any] = field(default_factory=dict)
    frameworks: dict[str, Any] = field(default_factory=dict)
    checks: dict[str, Any] = field(default_factory=dict)
    info: list[PluginInfo] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _dist(ep: EntryPoint) -> tuple[str, str]:
    dist = getattr(ep, "dist", None)
    if dist is None:
        return "?", "?"
    return str(dist.metadata["Name"]), str(dist.version)


@cache
def registry() -> Registry:
    """Load every plug-in once; broken ones become warnings."""
    reg = Registry()
    for kind, group in GROUPS.items():
        target: dict[str, Any] = getattr(reg, kind + "s")
        for ep in sorted(entry_points(group=group), key=lambda e: e.name):
            dname, dver = _dist(ep)
            try:
                obj = ep.load()
            except Exception as exc:  # noqa: BLE001 - a broken plug-in must not crash mdptm
                msg = f"plug-in {ep.name!r} ({group}, from {dname}) failed to load: {exc}"
                reg.warnings.append(msg)
                reg.info.append(PluginInfo(ep.name, kind, dname, dver, ep.value, error=str(exc)))
                continue
            if ep.name in target:
                reg.warnings.append(f"plug-in {ep.name!r} ({group}) is registered twice; first kept")
                continue
            target[ep.name] = obj
            reg.info.append(PluginInfo(ep.name, kind, dname, dver, ep.value))
    return reg


def importers() -> dict[str, Importer]:
    return {name: cls() for name, cls in registry().importers.items()}


def exporters() -> dict[str, Exporter]:
    return {name: cls() for name, cls in registry().exporters.items()}
