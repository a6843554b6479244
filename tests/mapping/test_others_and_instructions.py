"""Texts that are not the maker's measure in place: a safeguard said to be absent ("Encryption is not used on the
service port"), a pointer elsewhere ("See vendor documentation"), a third party's measure ("The cloud provider encrypts
data at rest"), an instruction in a mitigation cell ("Implement multi-factor authentication"). No clause is covered or
partial on them; the keyword rules for backup and restore (FDA labelling 9, 10) and for changes to the product (CRA
Annex II 8(b)) take what is backed up or changed, not a "backup generator" or a "TLS configuration"; a planned control
shows the release or date its text gives."""

from __future__ import annotations

import pytest

from mdptm.documents.labeling import answer_labeling
from mdptm.mapping.engine import map_model
from mdptm.model import Asset, Control, ControlCategory, Document, Element, Flow, Model, Product, Support, Threat
from mdptm.model.evidence import (
    planned_for,
    read_responsibility,
    responsibility_shown,
    status_shown,
    status_text,
    third_party_performed,
    verified,
    void_reason,
)


def _model(text: str, category: ControlCategory = "other", *, stated: bool = True, title: str | None = None) -> Model:
    return Model(
        product=Product(name="P", manufacturer="M"),
        document=Document(version="1.0"),
        assets=[Asset(id="A-CFG", name="Pump configuration", kind="configuration")],
        controls=[Control(id="C1", title=title or text, description=text, category=category, status="implemented", status_stated=stated)],
        threats=[Threat(id="T1", title="Attack", stride=["tampering"], status="mitigated", controls=["C1"])],
    )


def _citing(model: Model, cid: str = "C1") -> list[str]:
    """The clauses covered or partial with *cid* among their evidence."""
    return [
        f"{fw.id}:{c.id}={c.status}"
        for fw in map_model(model).frameworks
        for c in fw.clauses
        if c.status in ("covered", "partial") and cid in c.evidence
    ]


def _clause(model: Model, framework: str, clause: str) -> tuple[str, list[str], str]:
    fw = next(f for f in map_model(model).frameworks if f.id == framework)
    c = next(c for c in fw.clauses if c.id == clause)
    return c.status, c.evidence, c.rationale


SAFEGUARD_ABSENT = [
    ("Encryption is not used on the service port", "cryptography"),
    ("No authentication is required for the service port", "authentication"),
    ("Authentication is not required for the service port", "authentication"),
    ("TLS is not used for the HL7 feed", "cryptography"),
    ("Data is not encrypted", "cryptography"),
    ("Firmware updates are not signed", "integrity"),
    ("Logging is not performed", "event_logging"),
    ("No encryption", "cryptography"),
    ("No audit log", "event_logging"),
    ("Passwords are stored in plaintext", "authentication"),
    ("The service port has no authentication", "authentication"),
    ("Default credentials are used", "authentication"),
    ("The device does not support updates", "updatability_patchability"),
    ("Updates are installed without signature verification", "integrity"),
    ("Logs are not retained", "event_logging"),
    ("Unused ports are left open", "other"),
    ("The debug port remains enabled in production", "other"),
    ("There is no factory reset", "other"),
]


@pytest.mark.parametrize(("text", "category"), SAFEGUARD_ABSENT)
def test_a_safeguard_said_to_be_absent_counts_for_no_clause(text: str, category: ControlCategory) -> None:
    assert void_reason(text, text) == "denied"
    assert _citing(_model(text, category)) == []  # stated implemented, its category set: still nothing


@pytest.mark.parametrize(
    "text",
    [
        "No remote access from outside the hospital network",
        "No default passwords",
        "No unencrypted traffic is allowed",
        "Updates that are not signed are rejected",
        "Data that is not encrypted is never sent",
        "Passwords are never stored in plaintext",
        "No access without authentication",
        "No firewall exceptions are needed",
        "Debug logging is not enabled",
        "Self-signed certificates are not accepted",
        "Prevents unauthenticated access",
        "Commands are rejected without a valid token",
        "Port 443 is open for TLS connections from the hospital",
        "The service port is enabled only after authentication",
        "Basal delivery remains active during network loss",
        "Logs are not kept beyond 90 days",
        "Updates are installed only after signature verification",
    ],
)
def test_safeguards_written_with_a_negation_stay_safeguards(text: str) -> None:
    assert void_reason(text, text) is None


def test_a_safeguard_absent_in_one_part_makes_the_control_in_place_in_part() -> None:
    status, evidence, rationale = _clause(
        _model("TLS 1.3 on the HL7 link; no TLS on DICOM", "cryptography"), "fda-premarket", "control.cryptography"
    )
    assert (status, evidence) == ("partial", ["C1"])
    assert 'its text says "no TLS on DICOM"' in rationale


@pytest.mark.parametrize("text", ["See vendor documentation", "Refer to the hardening guide for the port list."])
def test_a_pointer_elsewhere_is_no_control(text: str) -> None:
    assert void_reason(text, text) is not None  # a pointer that names no document is a placeholder; one that does, a citation
    assert _citing(_model(text)) == []
    assert void_reason(text, text) == "citation" or text == "See vendor documentation"
    assert void_reason("Hardening", "See the hardening guide. Telnet is disabled.") is None


@pytest.mark.parametrize(
    "text",
    [
        "AWS KMS (provided by the cloud vendor) encrypts the bucket",
        "The cloud provider encrypts data at rest",
        "Encryption at rest is provided by AWS",
        "Encryption of the bucket is the hosting provider's responsibility",
        "Firmware signing is performed by the chip vendor",
    ],
)
def test_a_third_partys_measure_does_not_meet_the_makers_duty(text: str) -> None:
    assert third_party_performed(text, text) is not None
    model = _model(text, "cryptography")
    assert _citing(model) == []
    status, _, rationale = _clause(model, "fda-premarket", "control.cryptography")
    assert status == "gap"
    assert "Relies on a third party for C1" in rationale
    assert "Relies on the hospital" not in rationale


@pytest.mark.parametrize(
    "text",
    [
        "Keys are kept in AWS KMS; the backend encrypts each record with AES-256",
        "Backups are stored in AWS S3, encrypted by the backend",
        "The vendor signs every firmware image",  # in a device's threat model "the vendor" is often the maker
        "The device does not rely on the cloud provider for encryption",
    ],
)
def test_the_makers_measure_that_names_a_cloud_stays_the_makers(text: str) -> None:
    assert third_party_performed(text, text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Relies on the hospital firewall",
        "Assumes the hospital network is segmented",
        "The hospital network is assumed to be segmented",
        "Access rights are reviewed by the hospital IT",
    ],
)
def test_what_a_control_leans_on_at_the_hospital_is_the_hospitals(text: str) -> None:
    status, _, rationale = _clause(_model(text, "authorization"), "fda-premarket", "control.authorization")
    assert status == "gap" and "Relies on the hospital for C1" in rationale


@pytest.mark.parametrize(
    ("text", "category", "clause"),
    [
        ("Implement multi-factor authentication for clinician login", "authentication", "control.authentication"),
        ("Ensure audit logs are recorded for every dose change", "event_logging", "control.event_logging"),
        ("Make sure the service port requires a PIN", "authentication", "control.authentication"),
    ],
)
def test_an_instruction_in_a_mitigation_cell_is_no_measure_in_place(text: str, category: ControlCategory, clause: str) -> None:
    model = _model(text, category, stated=False)
    c = model.controls[0]
    assert status_shown(c) == "Not stated (written as an instruction)"
    assert status_text(c, str) == "Not stated (written as an instruction)"
    cra = _clause(model, "cra-annex-i", "I.1")
    assert "C1" not in cra[1]
    assert 'not counted: C1 (written as an instruction ("' in cra[2]
    # the FDA control categories take a planned control as partial, never as covered
    status, _, rationale = _clause(model, "fda-premarket", clause)
    assert status != "covered" and "planned" in rationale
    # a status the source states stands
    assert _clause(_model(text, category), "fda-premarket", clause)[0] == "covered"


@pytest.mark.parametrize(
    "text", ["Implemented MFA for every clinician login", "Ensures the integrity of the drug library", "Encrypt the database with AES-256"]
)
def test_a_statement_or_a_plain_imperative_is_no_instruction(text: str) -> None:
    c = _model(text, "cryptography", stated=False).controls[0]
    assert status_shown(c) is None


@pytest.mark.parametrize(
    "text",
    [
        "The backup generator keeps the pump powered during a power cut",
        "The app can restore the session after a network drop",
        "Backup power from the internal battery for two hours",
    ],
)
def test_backup_power_or_a_restored_session_is_no_backup_and_restore(text: str) -> None:
    model = _model(text)
    assert _clause(model, "fda-premarket", "labeling.9")[0] == "gap"
    assert "C1" not in _clause(model, "fda-premarket", "labeling.10")[1]
    answers = {a.item.id: a for a in answer_labeling(model)}
    assert "C1" not in answers["labeling.9"].where


@pytest.mark.parametrize(
    "text",
    [
        "Daily backup of the configuration to the hospital server",
        "Biomed can back up and restore the settings",
        "Offline backups of the drug library",
    ],
)
def test_what_is_backed_up_still_answers_backup_and_restore(text: str) -> None:
    status, evidence, _ = _clause(_model(text), "fda-premarket", "labeling.9")
    assert status == "partial" and evidence == ["C1"]


def test_changes_to_the_product_need_more_than_the_word_configuration() -> None:
    where_a_setting_lives = _model("Event log, configuration and credentials are encrypted (AES-256) with keys in the secure element")
    assert "C1" not in _clause(where_a_setting_lives, "cra-annex-ii", "8.b")[1]
    logged = _model("Every configuration change is recorded in the append-only event log")
    assert "C1" in _clause(logged, "cra-annex-ii", "8.b")[1]


def test_a_denied_answer_is_not_listed_by_the_labelling_checklist() -> None:
    answers = {a.item.id: a for a in answer_labeling(_model("There is no backup of the configuration"))}
    assert answers["labeling.9"].where == [] and "C1" not in answers["labeling.10"].where
    answers = {a.item.id: a for a in answer_labeling(_model("TBD", title="Backup of the configuration"))}
    assert answers["labeling.9"].where == []


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Encryption at rest is planned for release 2.1", "release 2.1"),
        ("Scheduled for Q3 2027", "Q3 2027"),
        ("Rate limiting (planned for v2)", "v2"),
        ("Deferred to Q3 2027", "Q3 2027"),
        ("MFA will be added in the next release", "the next release"),
        ("Due 2027-03-31", "2027-03-31"),
    ],
)
def test_a_planned_control_shows_when(text: str, target: str) -> None:
    c = Control(id="C1", title="Measure", description=text, status="planned")
    assert planned_for(c) == target
    assert status_shown(c) == f"Planned for {target}"
    assert status_text(c, str) == f"Planned for {target}"
    assert status_shown(c.model_copy(update={"description": "TLS for the HL7 feed"})) is None
    assert planned_for(c.model_copy(update={"status": "implemented"})) is None


def _support(**values: str) -> Model:
    return Model(product=Product(name="P", manufacturer="M"), document=Document(version="1.0"), support=Support(**values))


@pytest.mark.parametrize(
    ("field", "value", "framework", "clause"),
    [
        ("vulnerability_disclosure", "See vendor documentation", "cra-annex-i", "II.5"),
        ("vulnerability_disclosure", "As per company policy", "cra-annex-i", "II.5"),
        ("sbom", "Refer to the vendor's documentation", "mc2", "v2.44"),
    ],
)
def test_a_support_fact_that_only_points_to_no_document_states_nothing(field: str, value: str, framework: str, clause: str) -> None:
    status, evidence, rationale = _clause(_support(**{field: value}), framework, clause)
    assert status == "gap" and f"support.{field}" not in evidence
    assert "states nothing" in rationale


@pytest.mark.parametrize(
    ("value", "who"),
    [
        ("The hospital is responsible for patching", "the hospital"),
        ("Security updates are the responsibility of the hospital", "the hospital"),
        ("Microsoft provides the Windows patches", "a third party"),
    ],
)
def test_a_patch_policy_that_gives_the_work_to_others_is_not_the_makers(value: str, who: str) -> None:
    status, evidence, rationale = _clause(_support(patch_policy=value), "mc2", "security_patching")
    assert status == "gap" and evidence == []
    assert f"gives it to {who}, not the maker" in rationale


def test_a_patch_policy_that_says_what_the_maker_does_beside_others_stays_stated() -> None:
    value = "Microsoft provides the Windows patches; we validate and ship them within 30 days"
    status, evidence, _ = _clause(_support(patch_policy=value), "mc2", "v2.31")
    assert status == "covered" and evidence == ["support.patch_policy"]


def test_a_support_fact_written_as_an_instruction_is_at_most_partial() -> None:
    status, _, rationale = _clause(_support(patch_policy="Ensure patches are released within 30 days"), "mc2", "v2.31")
    assert status == "partial" and 'written as an instruction ("ensure"): confirm' in rationale
    assert _clause(_support(patch_policy="Patches are released within 30 days"), "mc2", "v2.31")[0] == "covered"
    disposal = _support(data_disposal="Ensure the pump is wiped with the Decommission function before it leaves the hospital")
    assert "written as an instruction" not in _clause(disposal, "fda-premarket", "labeling.14")[2]  # the user's to follow


def _flow(encryption: str) -> Model:
    return Model(
        product=Product(name="P", manufacturer="M"),
        document=Document(version="1.0"),
        elements=[Element(id="E1", name="Pump", kind="device"), Element(id="E2", name="Server", kind="software")],
        flows=[Flow(id="F1", source="E1", target="E2", protocol="HL7", port="2575", encryption=encryption)],
    )


@pytest.mark.parametrize(
    "encryption",
    [
        "HTTP",
        "MLLP",
        "optional TLS",
        "TLS can be enabled by the hospital",
        "TLS 1.2 or higher should be used",
        "Implement TLS",
        "The hospital's VPN encrypts it",
        "Provided by the hospital VPN",
        "AWS handles TLS termination",
        "TLS is not used",
    ],
)
def test_a_flow_encryption_that_is_not_the_products_is_no_encryption_in_transit(encryption: str) -> None:
    assert "F1" not in _clause(_flow(encryption), "cra-annex-i", "I.2.e")[1]


def test_a_flow_encrypted_by_the_product_counts() -> None:
    assert "F1" in _clause(_flow("TLS 1.3, mutual authentication"), "cra-annex-i", "I.2.e")[1]


def test_the_rationale_says_why_a_stated_flow_encryption_is_not_counted() -> None:
    rationale = _clause(_flow("TLS 1.2 (when enabled by the hospital)"), "cra-annex-i", "I.2.e")[2]
    assert "F1 state encryption that the hospital turns on, another party provides or the text only asks for" in rationale


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("The hospital's firewall blocks inbound traffic to the pump", 'customer (its text says "the hospital\'s firewall blocks")'),
        ("AWS KMS (provided by the cloud vendor) encrypts the bucket", 'third_party (its text says "provided by the cloud vendor")'),
        ("TLS can be enabled by the hospital", 'customer (its text says "can be enabled")'),
        ("Data is wiped by the hospital before disposal", 'customer (its text says "is wiped by the hospital")'),
        ("TLS 1.3 on every connection", "manufacturer (assumed: not stated)"),
    ],
)
def test_the_register_shows_whose_measure_the_text_says_it_is(text: str, shown: str) -> None:
    c = Control(id="C1", title=text, description=text, responsibility_stated=False)
    assert responsibility_shown(c, str) == shown
    assert read_responsibility(c) == (None if "TLS 1.3" in text else (shown.split()[0], shown.split('"')[1]))


def test_a_control_deferred_in_its_text_shows_when() -> None:
    text = "Rate limiting is planned for release 2.1"
    c = Control(id="C1", title=text, description=text, status_stated=False)
    assert status_shown(c) == "Not stated; its text says it is planned for release 2.1"


@pytest.mark.parametrize(
    "entry",
    [
        "Not tested",
        "To be tested",
        "Planned pen test",
        "Will be verified in V&V",
        "Fail",
        "Not run",
        "Test not yet executed",
        "Untested",
        "Verification pending",
        "Manual review (planned)",
    ],
)
def test_a_verification_not_done_verifies_nothing(entry: str) -> None:
    assert verified([entry]) == []
    model = _model("TLS 1.3 on every connection", "cryptography")
    model.controls[0].verification = [entry]
    status, evidence, rationale = _clause(model, "cra-annex-i", "II.3")
    assert "C1" not in evidence and status != "covered"
    assert "the 1 implemented control does not state verification (C1)" in rationale


@pytest.mark.parametrize("entry", ["TC-101", "Pen test 2026-03 (passed)", "Penetration test report PT-2026-03: no open findings"])
def test_a_verification_done_still_counts(entry: str) -> None:
    assert verified([entry]) == [entry]
    model = _model("TLS 1.3 on every connection", "cryptography")
    model.controls[0].verification = [entry]
    assert "C1" in _clause(model, "cra-annex-i", "II.3")[1]
