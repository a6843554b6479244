"""The public corpus is built only when something needs it, and then is the corpus of the public model."""

from __future__ import annotations

import yaml

from mdptm.model import Model
from mdptm.redaction.corpus import Corpus
from mdptm.redaction.redact import Policy, output_detector, public_corpus, redact
from tests.redaction.test_disguised_terms import MODEL


def _unredacted(published: str = "") -> tuple[Model, Model, Policy, Corpus]:
    """A model redacted by a policy that removes nothing (detectors off), with *published* in a threat."""
    model = Model.model_validate(yaml.safe_load(MODEL))
    model.threats[0].description = f"{model.threats[0].description} {published}".strip()
    policy = Policy(drop=[], detectors={"url": False, "email": False, "hostname": False, "ip": False, "ticket": False})
    public, log = redact(model, policy)
    corpus = log.corpus()
    assert corpus is not None
    return model, public, policy, corpus


def test_nothing_redacted_and_nothing_found_builds_no_corpus() -> None:
    model, public, policy, corpus = _unredacted()
    assert corpus._text is None  # redaction left nothing out: no verdict needed it
    detect = output_detector(policy.model_copy(update={"detectors": Policy().detectors}), model, public, corpus=corpus)
    assert detect("plain words, nothing that looks like an address") == []
    assert corpus._text is None
    assert detect("mail ops@meridian.corp now") == ["ops@meridian.corp"]  # a verdict: the corpus is built
    assert corpus.text() == public_corpus(public, policy)


def test_an_address_the_public_model_holds_is_no_leak_with_the_lazy_corpus() -> None:
    model, public, policy, corpus = _unredacted("Reports go to ops@meridian.corp.")
    assert corpus._text is None
    detect = output_detector(policy.model_copy(update={"detectors": Policy().detectors}), model, public, corpus=corpus)
    assert detect("contact ops@meridian.corp or dev@meridian.corp") == ["dev@meridian.corp"]
    assert corpus.text() == public_corpus(public, policy)
