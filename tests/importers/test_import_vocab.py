"""Values as people write them: STRIDE, statuses, risk, lists and headers through the vocabulary data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mdptm.importers.tabular.vocab import (
    combine_risk,
    fact_key,
    match_header,
    own_risk,
    parse_choice,
    parse_risk,
    parse_status,
    parse_stride,
    scale_hint,
    split_evidence,
    split_list,
    vocabulary,
)
from mdptm.resources import mappings_dir

V = vocabulary()


def _scalars(node: Any) -> list[Any]:
    if isinstance(node, dict):
        bad_keys = [k for k in node if not isinstance(k, (str, int))]
        return bad_keys + [x for k, v in node.items() if k != "key" for x in _scalars(v)]  # "key: true" is a flag
    if isinstance(node, list):
        return [x for v in node for x in _scalars(v)]
    return [node]


@pytest.mark.parametrize("name", ["headers.yaml", "values.yaml", "sections.yaml"])
def test_vocabulary_words_are_all_text(name: str) -> None:
    """YAML turns bare no/yes/true into booleans: every synonym must stay a string (numbers only for scales)."""
    data = yaml.safe_load((mappings_dir() / "vocabulary" / name).read_text(encoding="utf-8"))
    odd = [v for v in _scalars(data) if isinstance(v, bool) or v is None]
    assert odd == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("S", ["spoofing"]),
        ("T, I", ["tampering", "information_disclosure"]),
        ("T/R", ["tampering", "repudiation"]),
        ("Spoofing / Tampering", ["spoofing", "tampering"]),
        ("Information Disclosure", ["information_disclosure"]),
        ("S\nT\nE", ["spoofing", "tampering", "elevation_of_privilege"]),
        ("DoS", ["denial_of_service"]),
        ("EoP", ["elevation_of_privilege"]),
        ("Tampering (T)", ["tampering"]),
        ("TI", ["tampering", "information_disclosure"]),
        ("spoofing; tampering", ["spoofing", "tampering"]),
        ("Elevation of Privilege, Denial of Service", ["elevation_of_privilege", "denial_of_service"]),
        ("Info Disclosure", ["information_disclosure"]),
        ("S | T", ["spoofing", "tampering"]),
    ],
)
def test_stride_as_written(text: str, expected: list[str]) -> None:
    got = parse_stride(V, text)
    assert got.ok and got.value == expected


def test_stride_nothing_and_nonsense() -> None:
    assert parse_stride(V, "None identified").value == [] and parse_stride(V, "").ok
    bad = parse_stride(V, "banana")
    assert not bad.ok and bad.value == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mitigated", "mitigated"),
        ("Partially mitigated", "partially_mitigated"),
        ("Accepted", "accepted"),
        ("Risk accepted", "accepted"),
        ("Transferred", "transferred"),
        ("Open", "open"),
        ("Not applicable", "not_applicable"),
        ("N/A", "not_applicable"),
        ("Not mitigated", "open"),
        ("Mitigated (see VT-12)", "mitigated"),
        ("closed", "mitigated"),
    ],
)
def test_threat_status_as_written(text: str, expected: str) -> None:
    assert parse_status(V, text).value == expected


def test_unknown_status_fails_rather_than_guessing() -> None:
    got = parse_status(V, "Escalated to CAPA board")
    assert not got.ok and got.value is None


@pytest.mark.parametrize(
    ("text", "scale", "level", "score", "likelihood", "severity"),
    [
        ("4 x 5 = 20", None, "critical", 20, "4", "5"),
        ("2×3", None, "high", 6, "2", "3"),
        ("High (12)", None, "high", 12, None, None),
        ("12 (High)", None, "high", 12, None, None),
        ("3", 3, "high", 3, None, None),
        ("3", 5, "medium", 3, None, None),
        ("H", None, "high", None, None, None),
        ("Medium", None, "medium", None, None, None),
        ("Very high", None, "critical", None, None, None),
        ("7.5", 10, "high", 7.5, None, None),
        ("9.8", 10, "critical", 9.8, None, None),
    ],
)
def test_risk_as_written(
    text: str, scale: int | None, level: str, score: float | None, likelihood: str | None, severity: str | None
) -> None:
    got = parse_risk(V, text, scale)
    assert got.ok and got.value is not None
    assert (got.value.level, got.value.score, got.value.likelihood, got.value.severity) == (level, score, likelihood, severity)


def test_unreadable_risk_fails() -> None:
    assert not parse_risk(V, "see risk file").ok
    assert parse_risk(V, "N/A").value is None and parse_risk(V, "N/A").ok


def test_separate_likelihood_and_severity_keep_their_labels() -> None:
    risk = combine_risk(V, "Possible (3)", "Catastrophic (5)", 5, 5)
    assert risk is not None
    assert (risk.likelihood, risk.severity, risk.score, risk.level, risk.scale) == ("Possible (3)", "Catastrophic (5)", 15, "high", "5x5")
    words = combine_risk(V, "Likely", "Minor", None, None)
    assert words is not None and words.score == 8 and words.likelihood == "Likely"


def test_a_repeated_risk_cell_is_read_once_and_each_row_gets_its_own_risk() -> None:
    """Risk cells are kept per distinct text; a row that fills in or changes its risk must not change the next row's."""
    first = parse_risk(V, "4 x 5 = 20", None).value
    assert first is not None and first.level not in (None, "low")
    level = first.level
    first.level, first.likelihood_basis = "low", "exploitability"
    again = parse_risk(V, "4 x 5 = 20", None).value
    assert again is not None and again is not first
    assert (again.level, again.likelihood_basis, again.score) == (level, None, 20)
    pair = combine_risk(V, "Likely", "Minor", None, None)
    assert pair is not None
    pair.likelihood_basis = "exploitability"
    later = combine_risk(V, "Likely", "Minor", None, None)
    assert later is not None and later is not pair and later.likelihood_basis is None and later.score == 8


def test_a_risk_copy_is_model_copy_and_shares_nothing() -> None:
    """``own_risk`` stands for ``model_copy()``: equal in every field and in which fields were set, and
    independent — which a copy of the field values only is while every Risk field holds a str, number or None."""
    from types import NoneType, UnionType
    from typing import Literal, Union, get_args, get_origin

    from mdptm.model import Risk

    def scalar(tp: object) -> bool:
        origin = get_origin(tp)
        if origin is Literal:
            return all(isinstance(a, (str, int, float)) for a in get_args(tp))
        if origin in (Union, UnionType):
            return all(scalar(a) for a in get_args(tp))
        return tp in (str, float, int, bool, NoneType)

    assert not scalar(list[str]) and not scalar(dict[str, str] | None) and scalar(float | None)
    assert all(scalar(f.annotation) for f in Risk.model_fields.values()), "Risk holds a container: own_risk must copy it"
    for risk in (Risk(), Risk(likelihood="4", severity="5", score=20.0, level="high", scale="5x5"), Risk(level="low")):
        risk.likelihood_basis = "probability"
        copy = own_risk(risk)
        plain = risk.model_copy()
        assert copy == plain and copy is not risk
        assert copy.model_fields_set == plain.model_fields_set and copy.model_fields_set is not risk.model_fields_set
        assert copy.model_dump() == plain.model_dump() and repr(copy) == repr(plain)
        copy.level, copy.score = "critical", 99.0
        assert (risk.level, risk.score) == (plain.level, plain.score)


def test_lists_split_on_every_separator_and_none_means_empty() -> None:
    assert split_list(V, "C-01, C-02; C-03\nC-04 / C-05|C-06") == ["C-01", "C-02", "C-03", "C-04", "C-05", "C-06"]
    assert split_list(V, "None identified") == []
    assert split_list(V, "N/A") == []
    assert split_list(V, "• C-1\n• C-2") == ["C-1", "C-2"]
    assert split_evidence(V, "VT-101, VT-102") == ["VT-101", "VT-102"]
    assert split_evidence(V, "Report R-3, section 4\nVT-9") == ["Report R-3, section 4", "VT-9"]


@pytest.mark.parametrize(
    ("kind", "header", "field"),
    [
        ("threat", "Threat ID", "id"),
        ("threat", "Affected Component(s)", "targets"),
        ("threat", "Asset/Component", "targets"),
        ("threat", "Mitigation(s)", "controls"),
        ("threat", "Control ID(s)", "controls"),
        ("threat", "Exploitability (1–3)", "risk.likelihood"),
        ("threat", "Severity/Impact", "risk.severity"),
        ("threat", "Residual Risk", "residual_risk"),
        ("threat", "Pre-mitigation risk", "risk"),
        ("threat", "Threat Scenario", "title"),
        ("threat", "Threat Description", "description"),
        ("threat", "Residual Risk Likelihood", "residual_risk.likelihood"),
        ("threat", "CVSS v3.1 Score", "cvss"),
        ("threat", "Harm", "patient_harm"),
        ("threat", "#", "id"),
        ("control", "Mitigation ID", "id"),
        ("control", "Security Control", "title"),
        ("control", "Threats mitigated", "threats"),
        ("element", "Component Name", "name"),
        ("flow", "Destination", "target"),
        ("flow", "Port(s)", "port"),
        ("asset", "Stored in", "stored_in"),
    ],
)
def test_headers_by_synonym(kind: str, header: str, field: str) -> None:
    got = match_header(V, kind, header)
    assert got is not None and got.field == field


def test_scale_hints_and_facts() -> None:
    assert scale_hint("Exploitability (1–3)") == 3
    assert scale_hint("Risk score /25") == 25
    assert scale_hint("Severity") is None
    assert fact_key(V, "Manufacturer:") == "product.manufacturer"
    assert fact_key(V, "Intended Use / Indications for Use") == "product.intended_use"
    assert fact_key(V, "Author") == "ignore"


@pytest.mark.parametrize(
    ("table", "text", "expected"),
    [
        ("control_category", "Code, Data, and Execution Integrity", "integrity"),
        ("control_category", "Event Detection and Logging", "event_logging"),
        ("control_category", "Resiliency and Recovery", "resiliency_recovery"),
        ("control_category", "Updatability and Patchability", "updatability_patchability"),
        ("responsibility", "Customer", "customer"),
        ("responsibility", "HDO", "customer"),
        ("responsibility", "User", "customer"),
        ("responsibility", "Shared", "shared"),
        ("responsibility", "Shared (Manufacturer and HDO)", "shared"),
        ("element_kind", "Cloud service", "cloud_service"),
        ("element_kind", "Data Store", "data_store"),
        ("asset_kind", "ePHI", "phi"),
        ("rating", "H", "high"),
    ],
)
def test_value_tables(table: str, text: str, expected: str) -> None:
    assert parse_choice(V, table, text).value == expected


def test_vocabulary_folder_is_shipped_data() -> None:
    folder = mappings_dir() / "vocabulary"
    assert {"headers.yaml", "sections.yaml", "values.yaml"} <= {p.name for p in folder.glob("*.yaml")}
    assert isinstance(Path(folder), Path)


def test_first_column_under_names_a_section_of_sections_yaml() -> None:
    """headers.yaml points a kind at a section's heading patterns; a name sections.yaml lacks is an error
    naming the file, not a rule that silently never fires."""
    from mdptm.errors import InputError
    from mdptm.importers.tabular.vocab import _kind_spec

    spec = _kind_spec("out_of_scope", {"fields": {}, "first_column_under": "out_of_scope"}, {"out_of_scope": [r"\bout of scope\b"]})
    assert [rx.pattern for rx in spec.first_column_under] == [r"\bout of scope\b"]
    with pytest.raises(InputError, match="no section 'exclusions'") as err:
        _kind_spec("out_of_scope", {"fields": {}, "first_column_under": "exclusions"}, {"out_of_scope": []})
    assert err.value.file is not None and err.value.file.endswith("headers.yaml")


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Cloud Gateway", "cloud_service"),  # the Azure IoT reference architecture's name for IoT Hub
        ("AWS API Gateway", "cloud_service"),
        ("Field Gateway", "device"),
        ("API Gateway", None),  # api (process) against gateway (device): no rule settles it
        ("Cloud database", None),  # a data store in the cloud: neither wins
    ],
)
def test_a_cloud_word_settles_a_tie_with_a_process_or_device_word(name: str, kind: str | None) -> None:
    """values.yaml `wins_ties`: a component named with a cloud word and a process or device word runs in
    the cloud, so the guides and MC2 v2.24 (location of data processing) see a cloud service."""
    assert parse_choice(V, "element_kind", name).value == kind


def test_a_header_two_skipped_kinds_share_is_read_the_same_in_every_process() -> None:
    """ "Date | Destination | Date | Date" is as much a revision history as an approvals table: the tie is
    broken by the vocabulary's order, not by the order of a set of strings (which changes with the hash seed)."""
    import os
    import subprocess
    import sys

    from mdptm.importers.tabular.headers import classify
    from mdptm.importers.tabular.vocab import skipped_hits

    headers = ["Date", "Destination", "Date", "Date"]
    tied = [c for c in V.skipped if sum(1 for h in headers if c in skipped_hits(V, h)) >= 2]
    assert len(tied) >= 2  # the case is a tie
    here = classify(V, headers)
    assert here is not None and here.skipped and here.kind == tied[0]
    code = (
        "from mdptm.importers.tabular.headers import classify\n"
        "from mdptm.importers.tabular.vocab import vocabulary\n"
        f"print(classify(vocabulary(), {headers!r}).kind)"
    )
    kinds = {
        subprocess.run(
            [sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, check=True
        ).stdout.strip()
        for seed in ("0", "1", "2", "3", "4", "5")
    }
    assert kinds == {tied[0]}


def _plain_header_forms(text: str) -> tuple[str, ...]:
    """The definition header_forms must equal (it skips the rewriting where nothing would be rewritten)."""
    import re

    from mdptm.importers.tabular.vocab import norm_text

    if re.search(r"[a-z][A-Z]", text) and " " not in text.strip():
        # a camel-case header ("FailureModes") is read as its words
        return _plain_header_forms(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text.strip()))
    shared = re.match(r"^\s*([A-Za-z]+)\s*/\s*([A-Za-z]+)\s+([A-Za-z][A-Za-z ]*)$", text)
    if shared:
        # "Current/required mitigation": the header with the slash as a space, then each word with the noun
        a, b, rest = shared.groups()
        forms = (*_plain_header_forms(text.replace("/", " ")), *_plain_header_forms(f"{a} {rest}"), *_plain_header_forms(f"{b} {rest}"))
        return tuple(dict.fromkeys(forms))
    tail = re.match(r"^(?P<head>.*[a-z].*?)[\s_]+(?P<lo>[01])[\s_]*(?:-|–|_|to|\s)[\s_]*(?P<hi>\d{1,3})$", text.strip(), re.I)
    if tail and int(tail.group("hi")) > int(tail.group("lo")) and not any(ch in text for ch in "&(['’"):
        # a scale at the end without brackets ("Likelihood_1_5"): the header with and without it
        return tuple(dict.fromkeys(f for f in (norm_text(tail.group("head")), norm_text(text)) if f))
    t = re.sub(r"\((e?s)\)", r"\1", text.lower().replace("&", " and "))
    t = t.replace("’", "'").replace("'s", "s")
    without = norm_text(re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", t))
    with_p = norm_text(t)
    return tuple(dict.fromkeys(f for f in (without, with_p) if f))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aBsSeİK ()[]&'’-_#0x")) | st.characters(), max_size=24))
def test_header_forms_are_their_plain_definition(text: str) -> None:
    from mdptm.importers.tabular.vocab import header_forms

    assert header_forms(text) == _plain_header_forms(text)
    for header in ("Component(s)", "Owner's name", "Risk [1-5]", "R&D", "Threat ID", "THR-000001", "Likelihood (1–5)", ""):
        assert header_forms(header) == _plain_header_forms(header)
