"""The import report: every source record accounted for (SPEC §3 "nothing lost")."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from mdptm.model import empty_list

Disposition = Literal["imported", "merged", "skipped"]


class Record(BaseModel):
    file: str
    locator: str
    disposition: Disposition
    item: str | None = None
    reason: str | None = None


class ReportWarning(BaseModel):
    file: str
    locator: str | None = None
    message: str


class Counts(BaseModel):
    seen: int = 0
    imported: int = 0
    merged: int = 0
    skipped: int = 0


class ImportReport(BaseModel):
    counts: Counts = Field(default_factory=Counts)
    records: list[Record] = Field(default_factory=empty_list)
    warnings: list[ReportWarning] = Field(default_factory=empty_list)
    # (grid, tables found in it) for each sheet or table read, for ``mdptm inspect``; never written out.
    # Any: the table importers' own classes, which the model (below the importers) cannot name.
    tables_read: list[Any] = Field(default_factory=empty_list, exclude=True, repr=False)

    def imported(self, file: str, locator: str, item: str) -> None:
        self.records.append(Record(file=file, locator=locator, disposition="imported", item=item))

    def merged(self, file: str, locator: str, item: str) -> None:
        self.records.append(Record(file=file, locator=locator, disposition="merged", item=item))

    def skipped(self, file: str, locator: str, reason: str) -> None:
        self.records.append(Record(file=file, locator=locator, disposition="skipped", reason=reason))

    def warn(self, file: str, locator: str | None, message: str) -> None:
        self.warnings.append(ReportWarning(file=file, locator=locator, message=message))

    def extend(self, other: ImportReport) -> None:
        self.records.extend(other.records)
        self.warnings.extend(other.warnings)

    def retarget(self, old: str, new: str, *, as_merged: bool = True) -> None:
        """Point records at the item an id was merged into."""
        for rec in self.records:
            if rec.item == old:
                rec.item = new
                if as_merged and rec.disposition == "imported":
                    rec.disposition = "merged"

    def retarget_all(self, moves: dict[str, tuple[str, bool]]) -> None:
        """:meth:`retarget` for many ids at once (old id -> (new id, as_merged)), in one pass over
        the records: merging two large sources moves thousands of ids."""
        if not moves:
            return
        for rec in self.records:
            move = moves.get(rec.item) if rec.item is not None else None
            if move is not None:
                rec.item = move[0]
                if move[1] and rec.disposition == "imported":
                    rec.disposition = "merged"

    def finish(self) -> ImportReport:
        """Recount from the records so that seen == imported + merged + skipped always holds."""
        c = Counts()
        for rec in self.records:
            setattr(c, rec.disposition, getattr(c, rec.disposition) + 1)
        c.seen = c.imported + c.merged + c.skipped
        self.counts = c
        return self
