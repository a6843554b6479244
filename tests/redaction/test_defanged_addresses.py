"""A defanged address is the address: ``build01[.]meridian[.]corp``, ``10.0.5[.]196``, ``dana.whitlock[at]meridian[.]corp``.

Security writing defangs hosts, addresses and mailboxes so that no tool links them (threat intelligence, incident
reports, and the threat models security engineers write: "the C2 answered from 10.0.5[.]196"). The detectors
read the address only as written, so redaction kept a defanged internal host and the leak scan passed it."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mdptm.model import Model
from mdptm.redaction.corpus import output_detector
from mdptm.redaction.redact import Policy, redact
from tests.redaction.test_left_out_controls import MODEL

DEFANGED = [
    ("build01[.]meridian[.]corp", "build01.meridian.corp"),
    ("build01(.)meridian(.)corp", "build01.meridian.corp"),
    ("build01[dot]meridian[DOT]corp", "build01.meridian.corp"),
    ("build01{.}meridian{.}corp", "build01.meridian.corp"),
    ("10.0.5[.]196", "10.0.5.196"),
    ("10[.]0[.]5[.]196", "10.0.5.196"),
    ("dana.whitlock[at]meridian[.]corp", "dana.whitlock@meridian.corp"),
    ("dana.whitlock(@)example(.)org", "dana.whitlock@example.org"),
]


def _model(text: str) -> Model:
    m = Model.model_validate(yaml.safe_load(MODEL))
    m.threats[0].description = f"The probe answered from {text} twice."
    return m


@pytest.mark.parametrize(("written", "address"), DEFANGED)
def test_redaction_removes_a_defanged_address(written: str, address: str) -> None:
    public, log = redact(_model(written), Policy())
    text = next(t for t in public.threats if t.id == "T-1").description
    assert text == "The probe answered from [redacted] twice.", (address, text)


@pytest.mark.parametrize(("written", "address"), DEFANGED)
def test_the_leak_scan_reads_a_defanged_address(written: str, address: str) -> None:
    m = Model.model_validate(yaml.safe_load(MODEL))
    detect = output_detector(Policy(), m, m)
    assert detect(f"The probe answered from {written} twice."), written


def test_brackets_around_other_text_are_no_address() -> None:
    """Only a dot or an at sign in brackets, or the words dot and at, read as punctuation."""
    text = "See note [a] (at most 3) for the device [.NET runtime] and the (dotted) line."
    public, _ = redact(_model(text), Policy())
    assert text in (next(t for t in public.threats if t.id == "T-1").description or "")


@settings(max_examples=60, deadline=None)
@given(octets=st.lists(st.integers(min_value=0, max_value=255), min_size=3, max_size=3), mark=st.sampled_from(["[.]", "(.)", "[dot]"]))
def test_any_defanged_private_address_is_redacted(octets: list[int], mark: str) -> None:
    written = mark.join(["10", *map(str, octets)])
    public, _ = redact(_model(written), Policy())
    assert "[redacted]" in (next(t for t in public.threats if t.id == "T-1").description or "")
