"""One vocabulary home: every shipped vocabulary in ``mappings/vocabulary``, each validated by the schema
of its kind, each fact (STRIDE words, risk-level, likelihood and severity words, titles) stated once."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pydantic import BaseModel

from mdptm.documents.changes import TriggerCatalogue
from mdptm.documents.guides import GuideTerms
from mdptm.documents.labeling import LabelingCatalogue
from mdptm.documents.ptm import build_ptm_doc
from mdptm.documents.submission._shared import Vocabulary as SubmissionTerms
from mdptm.documents.submission._shared import category_label
from mdptm.errors import InputError
from mdptm.formats import interchange
from mdptm.importers.markdown import MarkdownWords
from mdptm.importers.tabular.tables import stride_default
from mdptm.importers.tabular.vocab import HeaderTerms, SectionTerms, ValueTerms, parse_choice, parse_stride, vocabulary
from mdptm.mapping.coherence import LinkFile
from mdptm.model import CONTROL_CATEGORIES, STRIDE_ORDER
from mdptm.model import vocabulary as vocab_module
from mdptm.model.evidence import EvidenceTerms
from mdptm.model.premarket import PremarketVocabulary
from mdptm.model.topology import NetworkTerms
from mdptm.model.vocabulary import (
    ControlCategories,
    RiskScale,
    StrideTerms,
    category_title,
    risk_scale,
    shipped,
    stride_terms,
)
from mdptm.plugins import ExportContext
from mdptm.redaction.redact import DetectorTerms
from mdptm.render.docir import Heading
from mdptm.resources import mappings_dir, templates_dir
from mdptm.review.checks import StridePerElement
from tests import ptm_fixture
from tests.conftest import ROOT

SCHEMAS: dict[str, type[BaseModel]] = {
    "clause-links": LinkFile,
    "control-categories": ControlCategories,
    "evidence": EvidenceTerms,
    "fda-labeling": LabelingCatalogue,
    "guide-terms": GuideTerms,
    "headers": HeaderTerms,
    "hospital-network": NetworkTerms,
    "interchange": interchange.InterchangeTerms,
    "markdown": MarkdownWords,
    "premarket": PremarketVocabulary,
    "redaction-detectors": DetectorTerms,
    "risk-scale": RiskScale,
    "sections": SectionTerms,
    "stride": StrideTerms,
    "stride-per-element": StridePerElement,
    "submission": SubmissionTerms,
    "update-triggers": TriggerCatalogue,
    "values": ValueTerms,
}


def test_every_vocabulary_lives_in_one_folder_with_a_schema() -> None:
    folder = mappings_dir() / "vocabulary"
    assert {p.stem for p in folder.glob("*.yaml")} == set(SCHEMAS)
    assert sorted(p.relative_to(mappings_dir()).as_posix() for p in mappings_dir().rglob("*") if p.is_dir()) == ["vocabulary"]
    assert not (templates_dir() / "risk-scale.yaml").exists()


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_each_vocabulary_validates_against_its_schema(name: str) -> None:
    assert isinstance(shipped(name, SCHEMAS[name]), SCHEMAS[name])


def test_a_broken_vocabulary_is_an_error_naming_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "vocabulary").mkdir()
    (tmp_path / "vocabulary" / "stride.yaml").write_text("schema_version: 1\ntitles: {spoofing: Spoofing}\nsneaky: 1\n", encoding="utf-8")
    monkeypatch.setattr(vocab_module, "mappings_dir", lambda: tmp_path)
    vocab_module._shipped.cache_clear()
    try:
        with pytest.raises(InputError) as err:
            stride_terms()
        assert err.value.file == str(tmp_path / "vocabulary" / "stride.yaml")
    finally:
        vocab_module._shipped.cache_clear()


# ----------------------------------------------------------------------------------------- STRIDE


def _stride_phrases() -> list[tuple[str, str]]:
    terms = stride_terms()
    return [(cat, phrase) for cat, phrases in terms.synonyms(properties=True).items() for phrase in phrases]


def test_each_stride_spelling_is_stated_once() -> None:
    from mdptm.importers.tabular.vocab import norm_text

    seen: dict[str, str] = {}
    for cat, phrase in _stride_phrases():
        key = norm_text(phrase)
        assert key not in seen, f"{phrase!r} stated twice ({seen.get(key)}, {cat})"
        seen[key] = cat
    assert list(stride_terms().titles) == list(STRIDE_ORDER)


def test_no_other_vocabulary_lists_stride_words() -> None:
    assert "stride" not in shipped("values", ValueTerms).model_dump()
    assert "stride" not in shipped("sections", SectionTerms).threat_lists.model_dump()
    assert "stride" not in interchange.vocabulary() and "levels" not in interchange.vocabulary()


@pytest.mark.parametrize(("cat", "phrase"), [(c, p) for c, p in _stride_phrases()])
def test_interchange_and_table_importers_read_stride_alike(cat: str, phrase: str) -> None:
    assert interchange.stride_of(phrase) == cat
    assert interchange.stride_of(phrase.title().replace(" ", "")) == cat  # "ElevationOfPrivilege"
    if phrase not in stride_terms().properties.get(cat, []):  # "Integrity" in a table cell names a property
        assert parse_stride(vocabulary(), phrase).value == [cat]


def test_properties_are_category_labels_only_in_interchange_formats() -> None:
    assert interchange.stride_of("Integrity") == "tampering"
    assert parse_stride(vocabulary(), "Integrity").ok is False


@pytest.mark.parametrize(
    ("text", "category", "listed"),
    [
        ("4.2 Tampering Threats", "tampering", "tampering"),
        ("S — Spoofing", "spoofing", "spoofing"),
        ("T: Tampering", "tampering", "tampering"),
        ("T) Tampering", "tampering", "tampering"),
        ("X — Spoofing", None, None),  # not a STRIDE letter
        ("Denial of Service (DoS)", "denial_of_service", "denial_of_service"),
        ("Information Disclosure (I)", "information_disclosure", "information_disclosure"),
        ("Elevation", "elevation_of_privilege", None),  # a spelling, not a full name: no list of threats
        ("Modification", "tampering", None),
        ("Threats to the cloud back end", None, None),
        ("Spoofing of the infusion pump by a rogue tablet", None, None),
    ],
)
def test_one_reader_of_stride_headings(text: str, category: str | None, listed: str | None) -> None:
    vocab = vocabulary()
    assert stride_default(vocab, text) == category
    assert stride_default(vocab, text, names_only=True, max_words=5) == listed


def test_stride_letters_come_from_the_vocabulary() -> None:
    from mdptm.importers.tabular.vocab import stride_letters_only

    vocab = vocabulary()
    assert all(stride_letters_only(vocab, x) for x in ("S", "TRID", "STRIDE"))
    assert not any(stride_letters_only(vocab, x) for x in ("", "s", "SX", "S1", "STRIDES"))


# ------------------------------------------------------------------------------------- risk scale


def test_each_likelihood_and_severity_word_has_one_rank() -> None:
    scale = risk_scale()
    for axis in ("likelihood", "severity"):
        words = [w for ws in scale.axis(axis).values() for w in ws]
        assert len(words) == len(set(words)), axis
        assert sorted(scale.axis(axis)) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(("level", "word"), [(lvl, w) for lvl, ws in risk_scale().level_words().items() for w in ws])
def test_interchange_and_table_importers_read_levels_alike(level: str, word: str) -> None:
    assert interchange.level_of(word) == level
    assert parse_choice(vocabulary(), "risk_level", word).value == level


def test_ordinals_come_from_the_risk_scale() -> None:
    from mdptm.importers.tabular.vocab import is_empty, ordinal

    vocab = vocabulary()
    for axis in ("likelihood", "severity"):
        for rank, words in risk_scale().axis(axis).items():
            for word in (w for w in words if not is_empty(vocab, w)):  # "none" is an empty cell
                assert ordinal(vocab, axis, word) == float(rank), (axis, word)


# ------------------------------------------------------------------------------------- categories


def test_control_category_titles_are_data_in_both_wordings() -> None:
    for cat in CONTROL_CATEGORIES:
        assert category_title(cat)
        assert category_label(cat) == category_title(cat, fda=True)
    assert category_title("integrity") == "Code, data and execution integrity"
    assert category_title("integrity", fda=True) == "Code, Data, and Execution Integrity"


def test_the_ptm_heads_controls_with_the_shipped_titles(tmp_path: Path) -> None:
    model = ptm_fixture.model()
    headings = [b.text for b in build_ptm_doc(model, ExportContext(), tmp_path).blocks if isinstance(b, Heading)]
    used = {c.category for c in model.controls if c.category != "other"}
    assert used and all(category_title(cat) in headings for cat in used)


# ------------------------------------------------------------------------------ no tables in code


def _literal_tables(path: Path) -> list[str]:
    """Dict literals in *path* keyed by most STRIDE values or control categories: a vocabulary in code."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
            if len(keys & set(STRIDE_ORDER)) >= 4 or len(keys & set(CONTROL_CATEGORIES)) >= 5:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_code_holds_no_stride_or_category_tables() -> None:
    assert [hit for path in sorted((ROOT / "mdptm").rglob("*.py")) for hit in _literal_tables(path)] == []
