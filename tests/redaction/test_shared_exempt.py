"""The scrubbers of one build share the ticket look-alikes redaction exempted: the same set as worked out afresh."""

from __future__ import annotations

import yaml

from mdptm.model import Model
from mdptm.redaction.corpus import exempt_of
from mdptm.redaction.redact import Policy, _exempt, redact, redact_overrides, text_scrubber
from tests.redaction.test_redact import MODEL


def test_redactions_exempt_set_is_reused_only_for_its_own_model() -> None:
    model = Model.model_validate(yaml.safe_load(MODEL))
    policy = Policy()
    _public, log = redact(model, policy)
    shared = exempt_of(model, log)
    assert shared == _exempt(model) and shared
    assert log._exempt is not None and shared is log._exempt[1]  # reused, not worked out again
    other = Model.model_validate(yaml.safe_load(MODEL))
    other.threats[0].id = "ZZ-99"
    assert exempt_of(other, log) == _exempt(other) != shared  # another model: worked out afresh
    assert exempt_of(model, None) == shared


def test_overrides_and_template_scrub_as_before() -> None:
    model = Model.model_validate(yaml.safe_load(MODEL))
    policy = Policy()
    _public, log = redact(model, policy)
    scrub = text_scrubber(model, policy, log, "template.docx")
    tid = model.threats[0].id
    assert scrub(f"see {tid} and PUMPSEC-214", "header") == f"see {tid} and {policy.replacement}"
    assert redact_overrides([], model, policy, log) == []
