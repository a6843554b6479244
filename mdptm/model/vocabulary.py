"""The one home of the shipped vocabularies: ``mappings/vocabulary/<name>.yaml``.

Every vocabulary (import synonyms, STRIDE, the risk scale, the interchange formats' labels, the
documents' words) is a YAML file in that folder, read through :func:`mdptm.model.io.load_validated`
against the schema of its kind, once per process. The vocabularies that more than one stage reads
(STRIDE, the risk scale, the control categories) have their schema and accessor here; a vocabulary
that one module alone reads keeps its schema beside that module and loads it with :func:`shipped`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field

from mdptm.model import ControlCategory, RiskLevel, Stride, empty_dict
from mdptm.model.io import load_validated
from mdptm.resources import mappings_dir

T = TypeVar("T", bound=BaseModel)

FOLDER = "vocabulary"


def vocabulary_file(name: str) -> Path:
    """The shipped file of the vocabulary *name* (``"values"`` → ``mappings/vocabulary/values.yaml``)."""
    return mappings_dir() / FOLDER / f"{name}.yaml"


def shipped(name: str, schema: type[T]) -> T:
    """The shipped vocabulary *name*, validated as *schema*, read once per process."""
    data = _shipped(name, schema)
    assert isinstance(data, schema)
    return data


@cache
def _shipped(name: str, schema: type[BaseModel]) -> BaseModel:
    return load_validated(vocabulary_file(name), schema)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------------------------------- STRIDE


class StrideTerms(_Strict):
    """``stride.yaml``: how the six categories are titled and written."""

    schema_version: int
    titles: dict[Stride, str]
    letters: dict[str, Stride]
    all: list[str]
    names: dict[Stride, list[str]]
    words: dict[Stride, list[str]]
    properties: dict[Stride, list[str]] = Field(default_factory=empty_dict)

    def synonyms(self, *, names_only: bool = False, properties: bool = False) -> dict[str, list[str]]:
        """``{category: [phrase, ...]}``: the full names, then (unless *names_only*) the other spellings,
        then (with *properties*) the security properties the category breaks."""
        out: dict[str, list[str]] = {}
        for cat in self.titles:
            phrases = list(self.names.get(cat, []))
            if not names_only:
                phrases += self.words.get(cat, [])
            if properties:
                phrases += self.properties.get(cat, [])
            out[cat] = phrases
        return out


def stride_terms() -> StrideTerms:
    """The shipped STRIDE vocabulary."""
    return shipped("stride", StrideTerms)


def stride_title(category: str) -> str:
    """The title a document shows for a STRIDE value ("Information disclosure")."""
    titles: dict[str, str] = {str(k): v for k, v in stride_terms().titles.items()}
    return titles.get(category, category)


# ------------------------------------------------------------------------------------ risk scale


class RiskScale(_Strict):
    """``risk-scale.yaml``: risk-level words, likelihood and severity words as ordinals, and colours."""

    schema_version: int
    levels: dict[RiskLevel, list[str]]
    likelihood: dict[int, list[str]]
    severity: dict[int, list[str]]
    level_colours: dict[RiskLevel, str]
    level_strong_colours: dict[RiskLevel, str]
    status_colours: dict[str, str]

    def level_words(self) -> dict[str, list[str]]:
        """``{level: [word, ...]}``."""
        return {str(k): v for k, v in self.levels.items()}

    def axis(self, name: str) -> dict[int, list[str]]:
        """The ordinal words of ``"likelihood"`` or ``"severity"``."""
        return self.likelihood if name == "likelihood" else self.severity


def risk_scale() -> RiskScale:
    """The shipped risk scale."""
    return shipped("risk-scale", RiskScale)


# ----------------------------------------------------------------------------- control categories


class CategoryTitles(_Strict):
    """The two titles of one control category: the documents' own and the FDA guidance's heading."""

    title: str
    fda: str


class ControlCategories(_Strict):
    """``control-categories.yaml``."""

    schema_version: int
    categories: dict[ControlCategory, CategoryTitles]


# enum values that are acronyms: "phi" reads "PHI" in a document, not "Phi"
_ACRONYMS = {w: w.upper() for w in ("phi", "pii", "pki", "dns", "dhcp", "ntp", "os", "mdr", "ivdr")}


def enum_words(value: str | None, *, capital: bool = True) -> str:
    """An enum value as a document shows it: ``information_disclosure`` → ``Information disclosure``,
    ``phi`` → ``PHI`` (``partially mitigated`` without *capital*, for the middle of a sentence)."""
    if not value:
        return ""
    text = " ".join(_ACRONYMS.get(w, w) for w in value.split("_"))
    return text[:1].upper() + text[1:] if capital else text


def control_categories() -> ControlCategories:
    """The shipped control-category titles."""
    return shipped("control-categories", ControlCategories)


def category_title(category: str, *, fda: bool = False) -> str:
    """The title of a control category (the FDA guidance's wording with *fda*); an unknown one as words."""
    known: dict[str, CategoryTitles] = {str(k): v for k, v in control_categories().categories.items()}
    titles = known.get(category)
    if titles is None:
        return enum_words(category)
    return titles.fda if fda else titles.title
