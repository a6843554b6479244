"""A control that only left-out threats relied on is left out with them: its text is what was done about
the withheld threat, and a published control mitigating nothing tells the reader a threat is missing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from mdptm.model import Model
from mdptm.pipeline.build import build
from mdptm.redaction.redact import Policy, redact
from tests.conftest import CORPUS
from tests.redaction.leak_helpers import holds, package_text

MODEL = """\
schema: mdptm/1
product: {name: Pump, manufacturer: Maker}
document: {version: "1.0"}
elements:
  - {id: E1, name: Pump, kind: device}
threats:
  - {id: T-1, title: Spoofed server, stride: [spoofing], targets: [E1], controls: [C-1, C-2]}
  - {id: T-2, title: Debug header, stride: [tampering], targets: [E1], controls: [C-2, C-3]}
controls:
  - {id: C-1, title: Mutual TLS, category: authentication}
  - {id: C-2, title: Signed firmware, category: integrity}
  - {id: C-3, title: Fuse the JTAG header at end of line, category: integrity,
     description: The JTAG header on the main board is fused after the factory test.}
  - {id: C-4, title: Audit log, category: event_logging}
views:
  - {id: V1, kind: global_system, name: GSV, elements: [E1], threats: [T-1, T-2], controls: [C-1, C-2, C-3, C-4]}
"""


@pytest.fixture
def model() -> Model:
    return Model.model_validate(yaml.safe_load(MODEL))


def test_a_control_only_a_left_out_threat_relied_on_goes_with_it(model: Model) -> None:
    public, log = redact(model, Policy(drop_items=["T-2"]))
    ids = {c.id for c in public.controls}
    assert "C-3" not in ids  # only T-2 relied on it
    assert {"C-1", "C-2", "C-4"} <= ids  # shared with a kept threat, or relied on by none: kept
    assert "C-3" in log.dropped
    assert any(e.item == "C-3" and e.rule.startswith("cascade:") for e in log.entries)
    secrets = {e.removed for e in log.entries if e.secret and e.removed}
    assert "The JTAG header on the main board is fused after the factory test." in secrets  # a needle
    view = public.views[0]
    assert view.controls == ["C-1", "C-2", "C-4"]
    assert "1 control" in view.description


def test_only_the_left_out_threats_own_controls_go(model: Model) -> None:
    public, log = redact(model, Policy(drop_items=["T-1"]))
    assert {c.id for c in public.controls} == {"C-1", "C-2", "C-3", "C-4"} - {"C-1"}
    public, log = redact(model, Policy(drop_items=[]))
    assert len(public.controls) == 4 and not log.dropped


EXPOSURE = CORPUS / "markdown-real" / "exposure-notifications-risks-and-mitigations.md"


@pytest.mark.skipif(not EXPOSURE.is_file(), reason="corpus not present")
def test_corpus_withheld_threat_takes_its_own_mitigation_along(tmp_path: Path) -> None:
    """Exposure Notifications FAQ: T-1's only mitigation M-1 was published with its whole text."""
    project = tmp_path / "en"
    project.mkdir()
    shutil.copy(EXPOSURE, project / EXPOSURE.name)
    (project / "policy.yaml").write_text(yaml.safe_dump({"drop_items": ["T-1"]}), encoding="utf-8")
    (project / "mdptm.yaml").write_text(
        yaml.safe_dump(
            {
                "sources": [EXPOSURE.name],
                "redaction": "policy.yaml",
                "product": {"name": "EN", "manufacturer": "Maker"},
                "document": {"version": "1.0"},
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = build(project, out, draft=True)
    assert result.exit_code == 0, result.warnings
    control = next(c for c in result.model.controls if c.id == "M-1")
    assert [t.id for t in result.model.threats if "M-1" in t.controls] == ["T-1"]
    text = package_text(out)
    words = control.description.split()
    assert len(words) > 12
    assert not holds(text, " ".join(words[:10]))
    assert not holds(text, " ".join(words[-10:]))


def test_policy_drops_by_tag_and_by_title_pattern() -> None:
    """A Threat Dragon or OTM model has no sensitivity field: a maker withholds a threat by a tag it carries
    or by its title. The control only that threat relied on goes with it."""
    m = Model.model_validate(yaml.safe_load(MODEL))
    m.threats[0].tags = ["Embargoed"]
    public, log = redact(m, Policy(drop_tags=["embargoed"]))
    assert "T-1" in log.dropped and "C-1" in log.dropped  # C-1 was only T-1's
    assert any(e.item == "T-1" and e.rule == "tag:Embargoed" for e in log.entries)
    public, log = redact(Model.model_validate(yaml.safe_load(MODEL)), Policy(drop_titles=[r"\bdebug\b"]))
    assert {t.id for t in public.threats} == {"T-1"}
    assert any(e.item == "T-2" and e.rule == r"title:\bdebug\b" for e in log.entries)
    assert "C-3" not in {c.id for c in public.controls}


def test_a_drop_titles_pattern_must_be_valid() -> None:
    with pytest.raises(ValueError, match="not a valid regular expression"):
        Policy(drop_titles=["(unclosed"])


def test_a_threat_against_only_left_out_components_goes_with_them() -> None:
    """SvelteKit .tm7 with the SvelteFrontend element dropped: 'SvelteKit-Aspire.SvelteFrontend Process Memory
    Tampered' stayed in the PTM and the guides, naming the component the policy withheld."""
    m = Model.model_validate(yaml.safe_load(MODEL))
    m.elements.append(m.elements[0].model_copy(update={"id": "E2", "name": "Zephyrine board"}))
    m.threats.append(m.threats[0].model_copy(update={"id": "T-3", "title": "Zephyrine board tampered", "targets": ["E2"]}))
    m.threats.append(m.threats[0].model_copy(update={"id": "T-4", "title": "Both", "targets": ["E1", "E2"], "controls": ["C-4"]}))
    public, log = redact(m, Policy(drop_items=["E2"]))
    assert "T-3" in log.dropped and "T-4" not in log.dropped  # T-4 is also about the kept pump
    assert any(e.item == "T-3" and e.rule == "cascade:targets E2 left out" for e in log.entries)
    kept = next(t for t in public.threats if t.id == "T-4")
    assert kept.targets == ["E1"] and "1 component" in (kept.description or "")


@pytest.mark.parametrize(
    ("name", "said", "scrubbed"),
    [
        ("Zephyrine port", "the Zephyrine port", True),
        ("AspireJavaScript.MinimalApi", "the AspireJavaScript.MinimalApi", True),
        # one plain word written as a name, and written so wherever kept text uses it: the component
        ("Zephyrine", "the Zephyrine", True),
        ("Zephyrine", "the ZEPHYRINE", True),
        ("Kestrel", "the Kestrel", True),
        # kept text also writes it in lower case: the common word, kept (and reported by the review)
        ("Kestrel", "the Kestrel, as any kestrel", False),
        ("Browser", "the browser", False),
        ("Database", "a database", False),
    ],
)
def test_a_left_out_components_name_is_scrubbed_from_kept_text(name: str, said: str, scrubbed: bool) -> None:
    """A kept threat against the pump and a dropped component names that component in its description: a
    two-word name, or one of joined parts, is a name to withhold, and so is one plain word written as a name;
    one that kept text also writes in lower case ("requests from the browser") is kept text's own word."""
    m = Model.model_validate(yaml.safe_load(MODEL))
    m.elements.append(m.elements[0].model_copy(update={"id": "E2", "name": name}))
    m.threats[0].targets = ["E1", "E2"]
    m.threats[0].description = f"Reached through {said} of the pump."
    public, log = redact(m, Policy(drop_items=["E2"]))
    text = next(t for t in public.threats if t.id == "T-1").description or ""
    assert (name.casefold() not in text.casefold()) == scrubbed, text
    assert ("[redacted]" in text) == scrubbed
    assert (name in log.terms) == scrubbed  # and the leak scan looks for it


def test_a_left_out_components_common_word_name_kept_in_text_is_reported() -> None:
    """Threat Dragon's cryptocurrency wallet with the 'Browser' process dropped: a kept threat says "requests
    from the browser". Redaction keeps the common word; the review tells the analyst, who may add a term."""
    from mdptm.model.results import Finding
    from mdptm.plugins import ReviewContext
    from mdptm.review.engine import review

    m = Model.model_validate(yaml.safe_load(MODEL))
    m.elements.append(m.elements[0].model_copy(update={"id": "E2", "name": "Browser"}))
    m.elements.append(m.elements[0].model_copy(update={"id": "E3", "name": "Zephyrine"}))
    m.threats[0].targets = ["E1", "E2", "E3"]
    m.threats[0].description = "No authentication for the requests from the browser or the Zephyrine."
    public, log = redact(m, Policy(drop_items=["E2", "E3"]))
    text = next(t for t in public.threats if t.id == "T-1").description or ""
    assert "browser" in text and "Zephyrine" not in text

    def reported(public: Model, renamed: dict[str, str]) -> list[Finding]:
        return [f for f in review(ReviewContext(model=m, public=public, renames=renamed)).findings if f.check == "left-out-name-in-text"]

    got = reported(public, log.renamed)
    assert len(got) == 1 and got[0].severity == "warning"
    assert got[0].items == ["E2", "T-1"] and "'browser'" in got[0].message
    # nothing to report once the word is gone (a policy term) or when no component was left out
    public2, log2 = redact(m, Policy(drop_items=["E2", "E3"], terms=["Browser"]))
    assert not reported(public2, log2.renamed)
    public3, log3 = redact(m, Policy())
    assert not reported(public3, log3.renamed)


def test_an_id_holding_a_left_out_components_name_is_reissued() -> None:
    """OTM spec example with 'Customer Database' dropped: the kept 'Class CustomerDatabase' lost its name, but its
    id 'class-customerdatabase' still held the withheld one, and the leak scan blocked the package."""
    m = Model.model_validate(yaml.safe_load(MODEL))
    m.elements.append(m.elements[0].model_copy(update={"id": "customer-database", "name": "Customer Database"}))
    m.elements.append(m.elements[0].model_copy(update={"id": "class-customerdatabase", "name": "Class CustomerDatabase"}))
    public, log = redact(m, Policy(drop_items=["customer-database"]))
    ids = {e.id for e in public.elements}
    assert "class-customerdatabase" not in ids
    assert log.renamed["class-customerdatabase"] in ids
    assert all("customerdatabase" not in e.name.casefold().replace(" ", "") for e in public.elements)
