"""Redaction: policy, detectors and their allow lists, drops with reference clean-up, placeholders, log."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
import yaml

from mdptm.errors import InputError
from mdptm.model import Diagram, HistoryEntry, Model, Source
from mdptm.model.io import dumps
from mdptm.model.validate import validate_model
from mdptm.redaction.policy import exponential_backtracking
from mdptm.redaction.redact import Policy, Scrubber, iter_text, load_policy, property_terms, public_view, redact

MODEL = """\
schema: mdptm/1
product: {name: Vantage LVP-2000 Infusion System, manufacturer: Meridian Infusion Systems, model: LVP-2000}
document:
  version: "1.0"
  date: "2026-01-15"
  signoffs:
    - {role: legal, name: Alex Counsel, date: "2026-01-10", decision: approved, comment: "fine, says Alex Counsel"}
trust_zones:
  - {id: TZ1, name: Clinical network, trust_level: 2}
  - {id: TZ2, name: Lab zone, sensitivity: confidential}
elements:
  - {id: E1, name: Pump, kind: device, trust_zone: TZ1, description: "Reviewed with Alex Counsel."}
  - {id: E2, name: Server, kind: software, trust_zone: TZ2}
  - {id: E3, name: Key store, kind: data_store, sensitivity: trade_secret}
flows:
  - {id: F1, name: sync, source: E1, target: E2, protocol: HTTPS, port: "443", data: [A1, A2]}
  - {id: F2, name: keys, source: E1, target: E3, protocol: SPI}
assets:
  - {id: A1, name: Therapy data, kind: therapy_data, stored_in: [E1, E3]}
  - {id: A2, name: Key material, kind: cryptographic_key, sensitivity: confidential}
threats:
  - {id: T1, title: Spoofed server, stride: [spoofing], targets: [F1, E3], assets: [A1, A2], controls: [C1, C2], status: mitigated}
  - {id: T2, title: Open debug port, stride: [tampering], targets: [E1], status: open}
  - {id: T3, title: Hidden thing, sensitivity: confidential, targets: [E2], controls: [C3]}
controls:
  - {id: C1, title: Mutual TLS, category: authentication, verification: [PT-1]}
  - {id: C2, title: Key ladder, category: cryptography, sensitivity: trade_secret, verification: [VR-9]}
  - {id: C3, title: Only for the hidden threat, sensitivity: confidential}
views:
  - {id: V1, kind: global_system, name: GSV, elements: [E1, E2, E3], flows: [F1, F2], threats: [T1, T3], controls: [C1, C2, C3]}
"""


@pytest.fixture
def model() -> Model:
    return Model.model_validate(yaml.safe_load(MODEL))


def scrub(text: str, policy: Policy | None = None, exempt: tuple[str, ...] = ()) -> str:
    return Scrubber(policy or Policy(), exempt).scrub(text)[0]


# ----------------------------------------------------------------------------------- detectors


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("mail jane.roe@meridian-med.com now", "jane.roe@meridian-med.com"),
        ("host build01.meridian.corp.", "build01.meridian.corp"),
        ("on pumpsrv.internal", "pumpsrv.internal"),
        ("at nas01.lan today", "nas01.lan"),
        ("via printer.local", "printer.local"),
        ("ip 10.20.30.40 here", "10.20.30.40"),
        ("net 192.168.10.0/24", "192.168.10.0/24"),
        ("public 8.8.8.8", "8.8.8.8"),
        ("v6 fe80::1ff:fe23:4567:890a%eth0", "fe80::1ff:fe23:4567:890a%eth0"),
        ("v6 2001:db8:85a3::8a2e:370:7334 end", "2001:db8:85a3::8a2e:370:7334"),
        ("see https://jira.meridian-med.com/browse/PUMPSEC-214.", "https://jira.meridian-med.com/browse/PUMPSEC-214"),
        ("doc https://meridian.sharepoint.com/sites/x", "https://meridian.sharepoint.com/sites/x"),
        ("wiki http://wiki/Pump", "http://wiki/Pump"),
        ("share \\\\fs01\\eng\\pump", "\\\\fs01\\eng\\pump"),
        ("file file:///C:/Users/jroe/tm.docx", "file:///C:/Users/jroe/tm.docx"),
        ("ticket PUMPSEC-214 fixed", "PUMPSEC-214"),
        ("ticket JIRA-12-3 fixed", "JIRA-12-3"),
    ],
)
def test_default_detectors_remove(text: str, secret: str) -> None:
    out = scrub(text)
    assert secret not in out and "[redacted]" in out


@pytest.mark.parametrize(
    "text",
    [
        "CVE-2024-1234 and CWE-79 and CAPEC-112",
        "IEC-62443-4-1 and ISO-14971 and EN-18031",
        "TLS-1 SHA-256 AES-128 UTF-8 RSA-2048",
        "loopback 127.0.0.1 and netmask 255.255.255.0 and 0.0.0.0",
        "firmware 1.2.3.4 and version 10.20.30.40",
        "IPv6 loopback ::1 and unspecified ::",
        "time 12:30:45 and MAC 00:1A:2B:3C:4D:5E",
        "report to psirt@meridian-med.com",
        "see https://www.meridian-med.com/psirt and https://gitlab.com/x",
        "http://localhost:8080/ui and http://127.0.0.1/",
        "std::vector and Class::method",
        "a plain sentence with no secrets.",
    ],
)
def test_legitimate_identifiers_are_kept(text: str) -> None:
    assert scrub(text) == text


def test_model_ids_and_product_numbers_are_exempt_from_the_ticket_detector() -> None:
    text = "T-001 and TM-12 and LVP-2000 mitigate; see TM-12.3"
    assert scrub(text, exempt=("TM-12", "LVP-2000")) == text
    assert scrub(text) == "T-001 and [redacted] and [redacted] mitigate; see [redacted]"


def test_a_public_mailbox_on_an_internal_domain_is_still_internal() -> None:
    assert scrub("psirt@meridian.corp") == "[redacted]"


def test_detectors_can_be_switched_off_and_lists_extended() -> None:
    policy = Policy.model_validate(
        {
            "detectors": {"ip": False, "ticket": False},
            "internal_domains": ["meridian-int.com"],
            "allow": ["ops@meridian-med.com"],
            "ticket_allowed_prefixes": ["PT"],
        }
    )
    assert scrub("10.20.30.40 PUMPSEC-214", policy) == "10.20.30.40 PUMPSEC-214"
    assert scrub("ops@meridian-med.com and vpn.meridian-int.com", policy) == "ops@meridian-med.com and [redacted]"
    assert scrub("PT-1", Policy.model_validate({"ticket_allowed_prefixes": ["PT"]})) == "PT-1"


def test_terms_match_any_case_and_whitespace_and_patterns_apply() -> None:
    policy = Policy(terms=["Jane Roe", "Project Kestrel"], patterns=[r"PN-\d{6}"], replacement="[x]")
    out = scrub("JANE\n ROE leads project kestrel, part PN-123456.", policy)
    assert out == "[x] leads [x], part [x]."


def test_patterns_match_any_case_by_default() -> None:
    policy = Policy(patterns=[r"\bPUMPSEC-\d+\b", r"PN \d{3}-\d{4}"], replacement="[x]")
    assert scrub("pumpsec-214, PumpSec-7 and pn 840-0217", policy) == "[x], [x] and [x]"


def test_patterns_case_sensitive_when_the_policy_says_so() -> None:
    policy = Policy(patterns=[r"\bPUMPSEC-\d+\b"], replacement="[x]", patterns_case_sensitive=True)
    assert scrub("pumpsec-214 PUMPSEC-7", policy) == "pumpsec-214 [x]"
    inline = Policy(patterns=[r"(?-i:PN)-\d{3}"], replacement="[x]")  # one pattern case-sensitive on its own
    assert scrub("pn-123 PN-456", inline) == "pn-123 [x]"


def test_a_pattern_matching_the_empty_string_in_any_case_is_refused() -> None:
    with pytest.raises(ValueError, match="empty string"):
        Policy(patterns=[r"(?-i:x)*"])


def test_overlapping_hits_become_one_replacement_naming_both_rules() -> None:
    text, removed = Scrubber(Policy(terms=["meridian"])).scrub("at build01.meridian.corp")
    assert text == "at [redacted]"
    assert removed == [("hostname+term", "build01.meridian.corp")]


def test_empty_replacement_cannot_rebuild_a_term() -> None:
    policy = Policy(terms=["Kestrel", "XX"], replacement="")
    assert "kestrel" not in scrub("KesXXtrel", policy).lower()


# ------------------------------------------------------------------------------------- policy


def test_policy_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(
        "drop: [confidential, trade_secret]\nterms: ['Jane Roe', 'Project X']\npatterns: ['PN-\\d{6}']\n"
        "replacement: '[redacted]'\nwithheld_mitigation: 'Mitigated by a proprietary control; details under NDA.'\n"
    )
    policy = load_policy(path)
    assert policy.drop == ["confidential", "trade_secret"]
    assert policy.terms == ["Jane Roe", "Project X"]
    assert policy.detectors.email and policy.detectors.ticket
    assert load_policy(None).drop == ["internal", "confidential", "trade_secret"]


@pytest.mark.parametrize(
    ("content", "message", "locator"),
    [
        ("terms: [ok]\ncolour: red\n", "unknown policy key 'colour'", "/colour"),
        ("patterns: ['(unclosed']\n", "not a valid regular expression", "/patterns"),
        ("patterns: ['x*']\n", "matches the empty string", "/patterns"),
        ("patterns: ['(\\w+\\s?)*END']\n", "exponentially many ways", "/patterns"),
        ("drop_titles: ['(?:a+)+b']\n", "exponentially many ways", "/drop_titles"),
        ("terms: ['a']\n", "shorter than 2 characters", "/terms"),
        ("terms: ['edacted']\n", "replacement contains the term", "/"),
        ("drop: [secret]\n", "", "/drop/0"),
        ("context_note: 'see {where}'\n", "only the placeholder {what}", "/context_note"),
        ("- a list\n", "must be a mapping", None),
    ],
)
def test_bad_policies_name_the_place(tmp_path: Path, content: str, message: str, locator: str | None) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(content)
    with pytest.raises(InputError) as exc:
        load_policy(path)
    assert message in exc.value.message
    assert exc.value.file == str(path)
    assert exc.value.locator == locator


@pytest.mark.parametrize(
    ("pattern", "refused"),
    [
        (r"(a+)+$", True),
        (r"(\w+\s?)*X", True),
        (r"(x+x+)+y", True),
        (r"(?:\s*\w+)*end", True),
        (r"((ab)*)+c", True),
        (r"(\w+\.)+corp", False),  # a host name: the dot is required and no \w, one way to match
        (r"(?:[a-z0-9-]+\.)+meridian\.corp", False),
        (r"\bPN \d{3}-\d{4}-\d{2}\b", False),
        (r"(\d{3}-)+\d+", False),
        (r"PUMPSEC-\d+", False),
    ],
)
def test_patterns_that_backtrack_for_hours_are_refused(pattern: str, refused: bool) -> None:
    """Python's re has no time limit: a policy pattern that nests repeats hung the build with no word."""
    assert exponential_backtracking(pattern) is refused


def test_policy_text_that_a_detector_would_redact_is_refused() -> None:
    with pytest.raises(InputError, match="withheld_mitigation would itself be redacted"):
        Scrubber(Policy(withheld_mitigation="Ask security@meridian.corp"))


# ----------------------------------------------------------------------------- model redaction


def test_input_model_is_not_modified(model: Model) -> None:
    before = dumps(model)
    redact(model, Policy())
    assert dumps(model) == before


def test_dropping_cleans_every_reference_and_leaves_a_valid_model(model: Model) -> None:
    public, log = redact(model, Policy())
    ids = {item.id for _, item in public.items()}
    assert not {"TZ2", "E3", "F2", "A2", "T3", "C3"} & ids
    assert validate_model(public) == []
    assert public.elements[1].trust_zone is None
    assert public.assets[0].stored_in == ["E1"]
    assert public.flows[0].data == ["A1"]
    assert public.views[0].elements == ["E1", "E2"] and public.views[0].flows == ["F1"]
    assert public.views[0].threats == ["T1"] and public.views[0].controls == ["C1", "C2"]
    t1 = next(t for t in public.threats if t.id == "T1")
    assert t1.targets == ["F1"] and t1.assets == ["A1"]
    assert sorted(log.dropped) == ["A2", "C3", "E3", "F2", "T3", "TZ2"]
    assert next(e for e in log.entries if e.item == "F2").rule == "cascade:endpoint E3 dropped"


def test_context_notes_say_what_was_removed(model: Model) -> None:
    public, log = redact(model, Policy())
    t1 = next(t for t in public.threats if t.id == "T1")
    assert t1.description.endswith("This item also concerns 1 component and 1 asset not described in this public version.")
    view = public.views[0]
    assert "1 component, 1 data flow, 1 threat and 1 control" in view.description
    assert {e.item for e in log.entries if e.action == "noted"} == {"E2", "F1", "A1", "V1", "T1"}


def test_withheld_control_becomes_a_placeholder_only_where_a_published_threat_relies_on_it(model: Model) -> None:
    public, log = redact(model, Policy(withheld_mitigation="Protected by a proprietary control."))
    c2 = next(c for c in public.controls if c.id == "C2")
    assert c2.title == "Withheld mitigation"
    assert c2.description == "Protected by a proprietary control."
    assert c2.tags == ["withheld"] and c2.verification == [] and c2.category == "cryptography"
    assert "Key ladder" not in dumps(public)
    assert log.withheld == ["C2"]
    assert all(c.id != "C3" for c in public.controls)  # only the dropped threat used it


def test_never_published_fields_are_stripped_and_their_secrets_become_needles(model: Model) -> None:
    model.elements[0].notes = "ask jane.roe@meridian.corp"
    model.elements[0].extra = {"Ticket": "PUMPSEC-214", "Owner": "J. Roe"}
    model.flows[0].provenance = Source(file="PUMPSEC-9 notes.docx", locator="table 1 row 2")
    public, log = redact(model, Policy())
    assert all(i.notes is None and i.extra == {} for _, i in public.items())
    assert all(f.provenance is None for f in public.flows)
    assert {"jane.roe@meridian.corp", "PUMPSEC-214", "PUMPSEC-9"} <= set(log.needles())


def test_signoff_names_become_roles_and_are_redacted_everywhere(model: Model) -> None:
    public, log = redact(model, Policy())
    s = public.document.signoffs[0]
    assert (s.role, s.name, s.date, s.comment) == ("legal", "legal", "2026-01-10", None)
    assert "Alex Counsel" not in dumps(public)
    assert public.elements[0].description == "Reviewed with [redacted]."
    assert "Alex Counsel" in log.needles()


def test_signoff_names_can_be_published(model: Model) -> None:
    public, log = redact(model, Policy(publish_signoff_names=True, publish_signoff_comments=True))
    assert public.document.signoffs[0].name == "Alex Counsel"
    assert public.elements[0].description == "Reviewed with Alex Counsel."
    assert "Alex Counsel" not in log.needles()


def test_every_text_field_is_scrubbed_names_captions_protocols_ports(model: Model) -> None:
    m = model.model_copy(deep=True)
    m.elements[0].name = "Pump on build01.meridian.corp"
    m.flows[0].protocol = "HTTPS to 10.20.30.40"
    m.flows[0].port = "PUMPSEC-77"
    m.views[0].steps = ["log in as jane.roe@meridian.corp"]
    m.views[0].diagram = Diagram(path="gsv.png", caption="Lab at 10.20.30.40")
    m.views[0].tags = ["build01.meridian.corp"]
    m.product.description = "see PUMPSEC-214"
    m.support.contact = "jane.roe@meridian.corp"
    m.document.history = [HistoryEntry(version="0.9", summary="fixed PUMPSEC-1")]
    public, log = redact(m, Policy())
    text = dumps(public)
    for secret in ("build01", "10.20.30.40", "PUMPSEC", "jane.roe"):
        assert secret not in text
    fields = {(e.item, e.field, e.rule) for e in log.entries if e.action == "replaced"}
    assert ("E1", "name", "hostname") in fields
    assert ("F1", "protocol", "ip") in fields
    assert ("F1", "port", "ticket") in fields
    assert ("V1", "steps[0]", "email") in fields
    assert ("V1", "tags[0]", "hostname") in fields
    assert ("V1", "diagram.caption", "ip") in fields
    assert ("product", "description", "ticket") in fields
    assert ("support", "contact", "email") in fields
    assert ("document", "history[0].summary", "ticket") in fields


def test_an_id_holding_a_term_is_renamed_everywhere(model: Model) -> None:
    data = yaml.safe_load(MODEL.replace("E1", "E-KESTREL-PUMP"))
    m = Model.model_validate(data)
    public, log = redact(m, Policy(terms=["Kestrel"]))
    assert log.renamed == {"E-KESTREL-PUMP": "redacted-element-1"}
    text = dumps(public)
    assert "KESTREL" not in text.upper()
    assert public.flows[0].source == "redacted-element-1"
    assert public.assets[0].stored_in == ["redacted-element-1"]
    assert validate_model(public) == []
    entry = next(e for e in log.entries if e.action == "renamed")
    assert (entry.field, entry.removed, entry.secret) == ("id", "E-KESTREL-PUMP", True)


def test_rewrite_and_summarise(model: Model) -> None:
    m = model.model_copy(deep=True)
    m.threats[1].sensitivity = "internal"
    m.threats[1].description = "long internal analysis"
    m.threats[1].rationale = "internal reasons"
    policy = Policy(
        drop=["confidential", "trade_secret"], summarise=["internal"], rewrite={"T1": {"description": "Rewritten for customers."}}
    )
    public, log = redact(m, policy)
    t1, t2 = public.threats[0], public.threats[1]
    assert t1.description.startswith("Rewritten for customers.")
    assert t2.description == policy.summary and t2.rationale is None
    assert {e.action for e in log.entries} >= {"rewritten", "summarised"}


def test_rewrite_of_an_unknown_item_or_field_is_an_input_error(model: Model) -> None:
    with pytest.raises(InputError, match="no item with that id"):
        redact(model, Policy(rewrite={"T99": {"description": "x"}}))
    with pytest.raises(InputError, match="not a text field"):
        redact(model, Policy(rewrite={"T1": {"status": "open"}}))


def test_drop_items_by_id(model: Model) -> None:
    public, log = redact(model, Policy(drop=[], drop_items=["T2"]))
    assert [t.id for t in public.threats] == ["T1", "T3"]
    assert "T2" in log.dropped


def test_log_records_item_field_rule_and_removed_text(model: Model) -> None:
    m = model.model_copy(deep=True)
    m.threats[0].description = "Filed as PUMPSEC-214 by jane.roe@meridian.corp"
    _, log = redact(m, Policy())
    replaced = [e for e in log.entries if e.action == "replaced" and e.item == "T1"]
    assert [(e.field, e.rule, e.removed) for e in replaced] == [
        ("description", "ticket", "PUMPSEC-214"),
        ("description", "email", "jane.roe@meridian.corp"),
    ]
    assert log.counts["replaced"] >= 2
    data = json.loads(log.model_dump_json())
    assert set(data) >= {"terms", "counts", "dropped", "withheld", "renamed", "entries"}


def test_redaction_is_deterministic(model: Model) -> None:
    a, la = redact(model, Policy(terms=["Server"]))
    b, lb = redact(model, Policy(terms=["Server"]))
    assert dumps(a) == dumps(b)
    assert la.model_dump_json() == lb.model_dump_json()


def test_public_view_strips_and_is_idempotent(model: Model) -> None:
    model.threats[0].notes = "internal"
    once = public_view(model)
    assert dumps(public_view(once)) == dumps(once)
    assert once.threats[0].notes is None and once.document.signoffs[0].name == "legal"


def test_iter_text_skips_ids_references_and_enums(model: Model) -> None:
    fields = {(item, path) for item, path, _ in iter_text(model)}
    assert ("F1", "protocol") in fields and ("F1", "port") in fields and ("E1", "name") in fields
    assert not {p for _, p in fields} & {"id", "source", "target", "kind", "sensitivity", "status", "stride[0]"}


# --------------------------------------------------------------------- document property terms


def test_property_terms_take_people_not_tools_nor_the_manufacturer(tmp_path: Path) -> None:
    d = docx.Document()
    d.core_properties.author = "Jane Roe"
    d.core_properties.last_modified_by = "python-docx"
    d.save(str(tmp_path / "a.docx"))
    d2 = docx.Document()
    d2.core_properties.author = "J. Roe"
    d2.core_properties.comments = "for Project Kestrel"
    d2.save(str(tmp_path / "b.docx"))
    (tmp_path / "c.json").write_text("{}")
    terms = property_terms([tmp_path / "a.docx", tmp_path / "b.docx", tmp_path / "c.json"], keep=["Meridian Infusion Systems"])
    assert terms == ["Jane Roe", "J. Roe", "for Project Kestrel"]


def test_property_terms_take_the_person_alone_too(tmp_path: Path, model: Model) -> None:
    """A comment "Reviewed by Tobias Wren, ext. 4471" was one term: the name alone in a threat description
    was published. The people a comment names, and an author with a role, are terms by themselves."""
    d = docx.Document()
    d.core_properties.author = "Marguerite Okonkwo, QA lead"
    d.core_properties.comments = "Reviewed by Tobias Wren, ext. 4471; owner: Dana Whitlock. Approved for release."
    d.save(str(tmp_path / "a.docx"))
    terms = property_terms([tmp_path / "a.docx"])
    assert {"Marguerite Okonkwo", "Tobias Wren", "Dana Whitlock"} <= set(terms)
    assert "Approved" not in " ".join(t for t in terms if not t.startswith("Reviewed"))
    m = model.model_copy(deep=True)
    m.threats[1].description = "Found in the review with Tobias Wren and Marguerite Okonkwo."
    public, _ = redact(m, Policy(), extra_terms=terms)
    text = public.threats[1].description or ""
    assert "Tobias" not in text and "Okonkwo" not in text, text


def test_a_persons_surname_alone_is_a_term_unless_it_is_a_word(model: Model) -> None:
    """ "Okonkwo signed off the design": the full name from the document properties was a term, the surname
    alone was published. A surname is a term when kept text never writes it as a word ("a long session")."""
    m = model.model_copy(deep=True)
    m.threats[1].description = "Okonkwo and WREN found it; Whitlock asked for a long session timeout."
    m.document.signoffs[0].name = "Dana Whitlock"
    people = ["Marguerite Okonkwo", "Tobias Wren", "Jane Long", "Acme"]
    public, log = redact(m, Policy(), extra_terms=people)
    text = public.threats[1].description or ""
    assert "Okonkwo" not in text and "WREN" not in text and "Whitlock" not in text, text
    assert "a long session" in text  # "Long" is a word kept text uses: no term
    assert {"Okonkwo", "Wren", "Whitlock"} <= set(log.terms) and "Long" not in log.terms
    # a sign-off published by name gives no term, nor its surname
    m.document.signoffs[0].name = "Dana Whitlock"
    _, log2 = redact(m, Policy(publish_signoff_names=True))
    assert "Whitlock" not in log2.terms


def test_evidence_references_are_identifiers_everywhere(model: Model) -> None:
    m = model.model_copy(deep=True)
    m.controls[0].verification = ["VT-112 penetration test"]
    m.threats[0].rationale = "Verified in VT-112; see PUMPSEC-9 and IHE PCD-01."
    m.threats[0].cwe = ["CWE-295"]
    public, log = redact(m, Policy())
    assert public.controls[0].verification == ["VT-112 penetration test"]
    assert public.threats[0].rationale == "Verified in VT-112; see [redacted] and IHE PCD-01."
    assert "VT-112" not in log.needles()


def test_a_signoff_name_with_a_title_makes_the_person_a_term() -> None:
    m = Model.model_validate(yaml.safe_load(MODEL))
    m.document.signoffs[0].name = "Priya Raman, Director of Product Security"
    m.elements[0].description = "Approved by Priya Raman."
    public, log = redact(m, Policy())
    assert public.elements[0].description == "Approved by [redacted]."
    assert {"Priya Raman", "Priya Raman, Director of Product Security"} <= set(log.terms)
