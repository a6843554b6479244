"""One normalisation for redaction and the scan: disguised terms, left-out items and bare names are caught."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mdptm.base.textnorm import key
from mdptm.model import Model
from mdptm.redaction.leakscan import LiteralMatcher, scan
from mdptm.redaction.redact import Policy, Scrubber, bare_names, output_detector, redact
from tests.redaction.test_redact import MODEL

VARIANTS = {
    "soft hyphen": "Dana Whit\u00adlock",
    "zero-width space": "Da\u200bna Whitlock",
    "zero-width joiner": "Dana Whit\u200dlock",
    "zero-width non-joiner": "Dana Whit\u200clock",
    "word joiner": "Dana\u2060 Whitlock",
    "byte-order mark": "\ufeffDana Whitlock",
    "grapheme joiner": "Dan\u034fa Whitlock",
    "fullwidth": "\uff24\uff41\uff4e\uff41 Whitlock",
    "hyphen": "Dana-Whitlock",
    "en dash": "Dana\u2013Whitlock",
    "no-break space": "Dana\u00a0Whitlock",
    "right-to-left override": "\u202ekcoltihW anaD\u202c",
    "left-to-right embedding": "\u202aDana Whitlock\u202c",
    "isolate": "\u2066Dana Whitlock\u2069",
    "zero-width joiner for the space": "Dana\u200dWhitlock",
    "soft hyphen for the space": "Dana\u00adWhitlock",
    "spaces left out": "DanaWhitlock",
    "user name": "dana.whitlock",
    "combining accent added": "Da\u0301na Whitlock",
    "combining stroke": "Dana W\u0336hitlock",
    "precomposed accent added": "D\u00e1na Whitlock",
}


@pytest.mark.parametrize("text", list(VARIANTS.values()), ids=list(VARIANTS))
def test_disguised_term_is_redacted_and_found_by_the_scan(text: str, tmp_path: Path) -> None:
    policy = Policy(terms=["Dana Whitlock"])
    new, removed = Scrubber(policy).scrub(f"Reviewed by {text} on Monday.")
    assert new == "Reviewed by [redacted] on Monday.", new
    assert removed
    (tmp_path / "page.html").write_text(f"<p>Reviewed by {text}</p>", encoding="utf-8")
    assert [h.needle for h in scan(tmp_path, ["Dana Whitlock"])] == ["Dana Whitlock"]


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("Strauß", "Contact STRAUSS today"),
        ("Strauss", "Contact Strauß today"),
        ("Workflow Server", "the Work\ufb02ow Server"),
        ("Résumé", "Re\u0301sume\u0301 kept"),  # NFD against NFC
        ("Café", "CAFE\u0301"),
        ("Tomás Ferreira", "by Tomas Ferreira"),  # the accent left out
        ("Jo Li", "Jo\u00a0Li"),
    ],
)
def test_compatibility_and_case_variants(term: str, text: str) -> None:
    assert LiteralMatcher([term]).found(text) == {term}
    new, _ = Scrubber(Policy(terms=[term])).scrub(text)
    assert key(term) not in key(new)


def test_disguised_pattern_and_detector_hits_are_redacted() -> None:
    policy = Policy(patterns=[r"\bPUMPSEC-\d+\b"])
    for text in (
        "see PUMPSEC\u00ad-214 now",
        "see \uff30\uff35\uff2d\uff30\uff33\uff25\uff23-214 now",
        "see PUMPSEC\u2011214 now",  # non-breaking hyphen
        "see PUMPSEC\u2013214 now",  # en dash
        "see PUMPSEC\u2212214 now",  # minus sign
        "host 10.\u200b20.30.40 here",
        "mail dana\u200b@meridian.corp",
    ):
        new, removed = Scrubber(policy).scrub(text)
        assert removed, text
        assert "214" not in new and "40" not in new.split()[-2:] and "meridian" not in new, new


@pytest.mark.parametrize(
    ("name", "bare"),
    [
        ("Dr. Jane Roe", "Jane Roe"),
        ("Max Mustermann (Head of Ops)", "Max Mustermann"),
        ("Prof. Dr. Anna Schmidt, CISO", "Anna Schmidt"),
    ],
)
def test_signoff_names_add_their_bare_form(name: str, bare: str) -> None:
    assert bare in bare_names(name)
    data = yaml.safe_load(MODEL)
    data["document"]["signoffs"] = [{"role": "legal", "name": name, "decision": "approved"}]
    data["elements"][0]["description"] = f"Checked by {bare} in March."
    public, log = redact(Model.model_validate(data), Policy())
    assert bare not in public.elements[0].description
    assert bare in log.needles()


def test_every_text_field_of_a_left_out_item_is_a_needle() -> None:
    data = yaml.safe_load(MODEL)
    data["threats"][2]["description"] = "Bench supply glitch resets the secure element counter"
    data["controls"][1]["description"] = "Derivation ladder rooted in the OTP fuse bank"
    data["threats"][1]["description"] = "Original wording of the debug finding"
    policy = Policy(rewrite={"T2": {"description": "Customer wording."}})
    _, log = redact(Model.model_validate(data), policy)
    needles = log.needles()
    assert "Hidden thing" in needles  # dropped threat's title
    assert "Bench supply glitch resets the secure element counter" in needles
    assert "Key ladder" in needles  # withheld control's title and text
    assert "Derivation ladder rooted in the OTP fuse bank" in needles
    assert "Original wording of the debug finding" in needles  # the original of a rewrite


def test_left_out_text_the_public_model_holds_is_no_needle() -> None:
    data = yaml.safe_load(MODEL)
    data["threats"][2]["description"] = "Shared mitigation text"
    data["threats"][0]["description"] = "Shared mitigation text"
    _, log = redact(Model.model_validate(data), Policy())
    assert "Shared mitigation text" not in log.needles()


def test_scan_runs_the_policys_patterns_and_detectors(tmp_path: Path) -> None:
    model = Model.model_validate(yaml.safe_load(MODEL))
    policy = Policy(patterns=[r"\bPN \d{3}-\d{4}\b"])
    public, log = redact(model, policy)
    (tmp_path / "guide.md").write_text(
        "Ask ops at 10.1.2.3 or jira.meridian.corp, part PN 840-0217.\nModel ids T1, C1 and evidence PT-1 are fine.", encoding="utf-8"
    )
    hits = {h.needle for h in scan(tmp_path, log.needles(), detect=output_detector(policy, model, public))}
    assert hits == {"10.1.2.3", "jira.meridian.corp", "PN 840-0217"}


def test_id_shaped_names_are_not_taken_for_tickets() -> None:
    data = yaml.safe_load(MODEL)
    data["flows"][0]["name"] = "IF-01 pump to server"
    data["elements"][0]["name"] = "SRS-12 infusion pump"
    data["elements"][0]["description"] = "Tracked in PUMPSEC-214."
    public, _ = redact(Model.model_validate(data), Policy())
    assert public.flows[0].name == "IF-01 pump to server"
    assert public.elements[0].name == "SRS-12 infusion pump"
    assert public.elements[0].description == "Tracked in [redacted]."  # a ticket in text still goes


def test_a_short_name_is_not_looked_for_without_its_space() -> None:
    assert LiteralMatcher(["Jo Li"]).found("la jolie pompe") == set()


def test_the_scan_reads_a_pattern_written_with_another_dash(tmp_path: Path) -> None:
    model = Model.model_validate(yaml.safe_load(MODEL))
    policy = Policy(patterns=[r"\bPUMPSEC-\d+\b"])
    public, log = redact(model, policy)
    (tmp_path / "guide.md").write_text("Tracked as PUMPSEC\u2011214 and PUMPSEC\u2013215.", encoding="utf-8")
    hits = {h.needle for h in scan(tmp_path, log.needles(), detect=output_detector(policy, model, public))}
    assert hits == {"PUMPSEC-214", "PUMPSEC-215"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see https://example.com/people/Dana%20Whitlock/page", "see https://example.com/people/[redacted]/page"),
        ("Dana&nbsp;Whitlock here", "[redacted] here"),
        ("D&#97;na&#x20;Whitlock", "[redacted]"),
        ("100% sure, AT&T &amp; Dana Whitlock", "100% sure, AT&T &amp; [redacted]"),
    ],
)
def test_a_term_in_a_link_or_behind_character_references_is_redacted(text: str, expected: str) -> None:
    assert Scrubber(Policy(terms=["Dana Whitlock"])).scrub(text)[0] == expected


# --------------------------------------------------------------------- escapes inside escapes, base64


def test_a_term_escaped_twice_or_in_base64_or_backslashes_is_removed_whole() -> None:
    import base64

    from mdptm.redaction.policy import Policy as _Policy
    from mdptm.redaction.scrubber import Scrubber as _Scrubber

    scrub = _Scrubber(_Policy(terms=["Dana Whitlock", "Nightjar"])).scrub
    b64 = base64.b64encode(b"owner: Dana Whitlock").decode()
    cases = {
        "people/Dana%2520Whitlock x": "people/[redacted] x",
        "Dana&amp;nbsp;Whitlock.": "[redacted].",
        "Dana&amp;#x57;hitlock": "[redacted]",
        "Dana\\u0020Whitlock!": "[redacted]!",
        "N\\x69ghtjar": "[redacted]",
        f"token {b64} end": "token [redacted] end",
        "see N\u0456ghtjar here": "see [redacted] here",  # a Cyrillic i
        "C:\\Users\\x41 and plain words": "C:\\Users\\x41 and plain words",
        "QmFzZTY0IHdpdGhvdXQgdGhlIHRlcm0=": "QmFzZTY0IHdpdGhvdXQgdGhlIHRlcm0=",
    }
    for text, want in cases.items():
        assert scrub(text)[0] == want, text
