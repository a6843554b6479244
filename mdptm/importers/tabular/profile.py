"""``--profile PROFILE.yaml``: the sheets, tables and columns a device maker pins when the heuristics cannot
find them, validated so a wrong kind or field is an input error naming its place."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mdptm.base.data import JSONObject
from mdptm.errors import InputError
from mdptm.importers.tabular.grid import Grid
from mdptm.importers.tabular.vocab import (
    Vocabulary,
    with_synonyms,
)


class TableProfile(BaseModel):
    """How to read one sheet or Word table when the heuristics cannot."""

    model_config = ConfigDict(extra="forbid")
    kind: str | None = None  # threat, control, element, flow, asset, trust_zone, assumption, out_of_scope, skip
    header_row: int | None = Field(default=None, ge=1)
    columns: dict[str, str] = Field(default_factory=dict)  # header text or column letter -> field, or "extra"
    # Several tables stacked in one sheet, each pinned by its own kind, header_row and columns.
    tables: list[TableProfile] = Field(default_factory=list)
    # The column span of one of several tables side by side on one header row ("A", "F").
    first_column: str | None = Field(default=None, pattern=r"^[A-Z]{1,3}$")
    last_column: str | None = Field(default=None, pattern=r"^[A-Z]{1,3}$")


class Profile(BaseModel):
    """``--profile PROFILE.yaml``: forced sheet/table and column → field mappings."""

    model_config = ConfigDict(extra="forbid")
    synonyms: dict[str, list[str]] = Field(default_factory=dict)  # "threat.title": ["What could happen"]
    sheets: dict[str, TableProfile] = Field(default_factory=dict)
    tables: dict[str, TableProfile] = Field(default_factory=dict)

    @field_validator("sheets", "tables", mode="before")
    @classmethod
    def _skip_shorthand(cls, v: object) -> object:
        if isinstance(v, dict):
            return {str(k): ({"kind": "skip"} if val == "skip" else val) for k, val in v.items()}
        return v

    def for_grid(self, grid: Grid) -> TableProfile | None:
        if grid.style == "table":
            number = grid.name.removeprefix("table ").strip()
            for key in (grid.name, number):
                if key in self.tables:
                    return self.tables[key]
            return None
        for key, prof in self.sheets.items():
            if key == grid.name or key.casefold() == grid.name.casefold():
                return prof
            if not grid.name and key.casefold() == grid.context.casefold():
                return prof  # a CSV file, named by its file name without extension
        return self.sheets.get("*")


def load_profile(data: JSONObject | None, vocab: Vocabulary, file: str = "profile") -> Profile | None:
    """Validate a profile mapping; unknown kinds and fields are input errors naming their place."""
    if data is None:
        return None
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = "/".join(str(p) for p in err["loc"])
        raise InputError(f"profile: {err['msg']}", file=file, locator=loc) from None
    for where, tables in (("sheets", profile.sheets), ("tables", profile.tables)):
        flat = [(name, tp) for name, tp in tables.items()]
        flat += [(f"{name}/tables/{n}", sub) for name, tp in tables.items() for n, sub in enumerate(tp.tables)]
        for name, tp in flat:
            if tp.kind is not None and tp.kind != "skip" and tp.kind not in vocab.kinds:
                known = ", ".join([*vocab.kinds, "skip"])
                raise InputError(f"profile: unknown kind {tp.kind!r} (known: {known})", file=file, locator=f"{where}/{name}")
            kind = tp.kind if tp.kind in vocab.kinds else None
            for col, fname in tp.columns.items():
                if fname == "extra":
                    continue
                kinds = [kind] if kind else list(vocab.kinds)
                if not any(fname in vocab.kinds[k].fields for k in kinds):
                    raise InputError(
                        f"profile: {fname!r} is not a field of {kind or 'any table kind'}",
                        file=file,
                        locator=f"{where}/{name}/columns/{col}",
                    )
    for path in profile.synonyms:
        kind, _, fname = path.partition(".")
        if kind not in vocab.kinds or fname not in vocab.kinds[kind].fields:
            raise InputError(f"profile: unknown field {path!r} (write kind.field)", file=file, locator=f"synonyms/{path}")
    return profile


def profile_vocabulary(vocab: Vocabulary, profile: Profile) -> Vocabulary:
    """The vocabulary plus the header texts a profile names, so its tables are found by their headers."""
    additions: dict[tuple[str, str], list[str]] = {}
    for path, words in profile.synonyms.items():
        kind, _, fname = path.partition(".")
        additions.setdefault((kind, fname), []).extend(words)
    every = [*profile.sheets.values(), *profile.tables.values()]
    for tp in [*every, *(sub for top in every for sub in top.tables)]:
        kinds = [tp.kind] if tp.kind in vocab.kinds else list(vocab.kinds)
        for header, fname in tp.columns.items():
            if fname == "extra" or re.fullmatch(r"[A-Z]{1,3}", header):
                continue
            for kind in kinds:
                if fname in vocab.kinds[kind].fields:
                    additions.setdefault((kind, fname), []).append(header)
    return with_synonyms(vocab, additions)
