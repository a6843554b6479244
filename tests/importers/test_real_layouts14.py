"""Layouts of real threat models written by other people (tests/data/markdown-real/SOURCES.md, "round 14"), each as
a short paraphrased excerpt in the same shape, read alike in Markdown and in Word (tests/importers/md_word.py)."""

from __future__ import annotations

from pathlib import Path

from mdptm.model import Control, Model
from tests.importers.import_helpers import load_text, reconciles, warning_messages
from tests.importers.md_word import both as _both


def _control(model: Model, cid: str) -> Control:
    return next(c for c in model.controls if c.id == cid)


# -- "## Abuse Cases" over "| Case | Control |": the first column names the abuse cases whatever it is called

_ABUSE_CASES = (
    "# Hosted API Threat Model\n\n## Assets\n\n- Access tokens.\n- Audit metadata.\n\n## Abuse Cases\n\n"
    "| Case | Control |\n| --- | --- |\n"
    "| Unpaid user calls the hosted tools | entitlement checked at grant and at each call |\n"
    "| Revoked client keeps its refresh token | grant revoked on the server |\n"
    "| Token replayed against another service | audience validation |\n"
)


def test_a_case_column_under_an_abuse_cases_heading_lists_threats(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _ABUSE_CASES):
        # before: "no threat-model table recognised" (0 threats), the three cases lost
        assert [t.title for t in model.threats] == [
            "Unpaid user calls the hosted tools",
            "Revoked client keeps its refresh token",
            "Token replayed against another service",
        ]
        assert [[_control(model, c).title for c in t.controls] for t in model.threats] == [
            ["entitlement checked at grant and at each call"],
            ["grant revoked on the server"],
            ["audience validation"],
        ]
        assert any("unsure of table" in w for w in warning_messages(report))


def test_a_case_column_under_another_heading_is_still_no_threat_table(tmp_path: Path) -> None:
    text = _ABUSE_CASES.replace("## Abuse Cases", "## Test cases")
    for model, _report in _both(tmp_path, text):
        assert model.threats == []


# -- "| ID | Threat | STRIDE | Assets | Hazard | Controls |" of a wearable's threat model: the "Hazard" column holds the
# ids of the maker's ISO 14971 hazards each threat leads to ("HAZ-013", "—", "Depends on the component")

_HAZARD_IDS = (
    "# Cybersecurity\n\n## 4. Threat model\n\n### 4.1 Radio link\n\n"
    "| ID | Threat | STRIDE | Assets | Hazard | Controls |\n|---|---|---|---|---|---|\n"
    "| TH-1 | A nearby receiver listens to the ECG stream | I | A-1 | — | SC-1 |\n"
    "| TH-2 | A look-alike sensor streams to the app, shown as the wearer's signal | S | A-1 | HAZ-013 | SC-1, SC-2 |\n"
    "| TH-3 | Packets are injected or changed in flight | T, I | A-1 | HAZ-001, HAZ-002 (altered processing) | SC-2 |\n\n"
    "### 4.2 Supply chain\n\n"
    "| ID | Threat | STRIDE | Assets | Hazard | Controls |\n|---|---|---|---|---|---|\n"
    "| TH-4 | A dependency with a known vulnerability is shipped | T, E | A-2 | Depends on the component | SC-3 |\n"
    "| TH-5 | Reference data are altered | T | A-2 | HAZ-004 | SC-3 |\n\n"
    "## 5. Security controls\n\n| ID | Control | Threats | Status |\n|---|---|---|---|\n"
    "| SC-1 | Encrypted, bonded link | TH-1, TH-2 | Planned |\n| SC-2 | Sequence numbers on packets | TH-2, TH-3 | Planned |\n"
    "| SC-3 | Pinned dependencies and checksums | TH-4, TH-5 | In place |\n"
)


def test_a_hazard_column_of_ids_beside_the_threat_column_links_the_hazards(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _HAZARD_IDS):
        by_id = {t.id: t for t in model.threats}
        # before: no hazard linked at all; "HAZ-013" was the threat's description
        assert {tid: t.hazards for tid, t in by_id.items()} == {
            "TH-1": [],
            "TH-2": ["HAZ-013"],
            "TH-3": ["HAZ-001", "HAZ-002"],
            "TH-4": [],
            "TH-5": ["HAZ-004"],
        }
        assert [t.description for t in model.threats] == [""] * 5
        # the words beside the ids, and a cell of words only, are kept as written
        assert by_id["TH-3"].extra.get("Hazard") == "HAZ-001, HAZ-002 (altered processing)"
        assert by_id["TH-4"].extra.get("Hazard") == "Depends on the component"
        assert by_id["TH-2"].title == "A look-alike sensor streams to the app, shown as the wearer's signal"


def test_a_hazard_column_of_names_in_a_hazard_log_still_titles_its_rows(tmp_path: Path) -> None:
    text = (
        "# Hazard log\n\n| ID | Hazard | Cause | Control |\n|---|---|---|---|\n"
        "| H-1 | Overdose after a changed rate | Tampered command | Signed commands |\n"
        "| H-2 | No therapy after a crash | Malformed packet | Input checks |\n"
    )
    for model, _report in _both(tmp_path, text):
        assert [t.title for t in model.threats] == ["Overdose after a changed rate", "No therapy after a crash"]
        assert [t.hazards for t in model.threats] == [[], []]


# -- "| ID | Severity | Title | Categories | Primary Controls |": privacy misuse cases whose categories mix LINDDUN
# ("identifiability", "linkability") and STRIDE ("information-disclosure")

_MISUSE_CATEGORIES = (
    "# Address Proof Threat Model\n\n## Misuse Cases\n\n"
    "| ID | Severity | Title | Categories | Primary Controls |\n| --- | --- | --- | --- | --- |\n"
    "| tm-01 | critical | Public signals reveal one exact place | identifiability, information-disclosure |"
    " minimum anonymity set; coarse predicates |\n"
    "| tm-02 | critical | One nullifier ties unrelated proofs together | linkability | domain separation; scoped challenge |\n"
)


def test_a_categories_column_mixing_linddun_and_stride_reads_both(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _MISUSE_CATEGORIES):
        # before: "Categories" was no STRIDE column: no category read, the cell kept as written
        assert [t.stride for t in model.threats] == [["information_disclosure"], []]
        assert [t.extra.get("LINDDUN category") for t in model.threats] == ["identifiability", "linkability"]
        assert not any("not understood" in w for w in warning_messages(report))


# -- "**Mitigations:** R6.3 (signed manifests, local-only, human approval), R3.2 (sandbox)": requirement ids glossed
# in brackets that hold commas, no control table anywhere: the measures are the words (Word lost the control)

_GLOSSED_IDS = (
    "# Agent Gateway Threat Model\n\n## 3. Threat Scenarios\n\n"
    "### T1 — Malicious plug-in installed\n"
    "**Attack:** A user is talked into installing a plug-in that hides a backdoor.  \n"
    "**Mitigations:** R6.3 (signed manifests, local-only, human approval), R3.2 (sandbox isolation), R8.2 (linter in CI).  \n"
    "**Residual risk:** Medium — people can still be fooled.\n\n"
    "### T2 — Supply chain compromise\n"
    "**Attack:** A bad package is pulled into the image.  \n"
    "**Mitigations:** R8.2 (SCA, image scan), R8.4 (pinned dependencies), R8.1 (signed images).  \n"
    "**Residual risk:** Low.\n"
)


def test_requirement_ids_glossed_with_commas_make_the_control_of_their_words(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _GLOSSED_IDS):
        # before (Word): the ids alone were taken as control ids naming nothing, no control, T1 and T2 unmitigated
        assert [len(t.controls) for t in model.threats] == [1, 1]
        titles = [_control(model, t.controls[0]).title for t in model.threats]
        assert titles[0].startswith("R6.3 (signed manifests, local-only, human approval)")
        assert titles[1].startswith("R8.2 (SCA, image scan)")
        assert not any("matches no control" in w for w in warning_messages(report))


# -- "- **Mitigation:** (Out of scope for the library itself.) The user's code must use timeouts": the measure is the
# user's, not one the maker has in place

_OUTSIDE_PRODUCT = (
    "# Threat Model\n\n## Threats mitigated\n\n### T1 — Forged approvals\n\n"
    "- **Threat:** A captured approval is replayed later.\n"
    "- **Mitigation:** Approval tokens are single-use.\n\n"
    "### T2 — Hung process\n\n"
    "- **Threat:** A long file operation freezes the bot while its watchdog thinks it alive.\n"
    "- **Mitigation:** (Out of scope for the library itself.) The user's code must use timeouts on all I/O.\n"
)


def test_a_mitigation_said_out_of_scope_of_the_product_is_the_customers(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _OUTSIDE_PRODUCT):
        first, second = (_control(model, t.controls[0]) for t in model.threats)
        assert (first.responsibility, first.responsibility_stated) == ("manufacturer", False)
        # before: the device maker's measure (not stated), as if the product did it
        assert (second.responsibility, second.responsibility_stated) == ("customer", True)
        assert any("read as the customer's measure" in w for w in warning_messages(report))


def test_a_closing_out_of_scope_for_v1_note_still_defers(tmp_path: Path) -> None:
    text = _OUTSIDE_PRODUCT.replace(
        "(Out of scope for the library itself.) The user's code must use timeouts on all I/O.", "(Out of scope for v1) Heartbeat check"
    )
    for model, _report in _both(tmp_path, text):
        second = _control(model, model.threats[1].controls[0])
        assert second.responsibility_stated is False


# -- "| Threat | Impact | Current mitigation | Disposition |" with "**Blocking:** #100 …", "Mitigated; preserve in
# #151 tests", "Validate continuously in #158": a release-blocking threat is open, a mitigated one mitigated

_DISPOSITIONS = (
    "# Author Mutation Threat Model\n\n## Abuse cases and disposition\n\n"
    "| Threat | Impact | Current mitigation | Disposition |\n|---|---|---|---|\n"
    "| A cross-site link triggers a state change | Critical integrity | Confirmation flag only | **Blocking:** #100 moves it to POST |\n"
    "| A cross-site form saves a page | Critical overwrite | Author mode check only | **Blocking:** #100 adds CSRF |\n"
    "| A path escapes the content root | Critical file write | Resolved-path containment | Mitigated; keep in #151 tests |\n"
    "| A token shows in the audit log | High disclosure | Token-like keys redacted | Mitigated; keep regression tests |\n"
    "| Private pages reach public output | Critical disclosure | Lifecycle filtering | Validate continuously in #158 |\n"
)


def test_blocking_and_mitigated_dispositions_give_the_status(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _DISPOSITIONS):
        # before: the column was dropped ("holds no threat statuses"), so the two mitigated threats read open (not stated)
        assert [(t.status, t.status_stated) for t in model.threats] == [
            ("open", True),
            ("open", True),
            ("mitigated", True),
            ("mitigated", True),
            ("open", False),
        ]
        assert model.threats[4].extra.get("Disposition") == "Validate continuously in #158"
        assert any("'Validate continuously in #158'" in w for w in warning_messages(report))


# -- a sentence over a list that speaks of threats and defenses alike ("Both ways can list the known threats and
# defenses; where they differ is in:") says the list is neither: Word read its two items as threats, Markdown none

_THREATS_AND_DEFENSES = (
    "# Demonstrator Threat Model\n\n## Threats\n\n| ID | Threat | Mitigation |\n|---|---|---|\n"
    "| T-1 | Someone in radio range changes BLE packets | Authenticated pairing |\n\n"
    "## Ranking\n\nBoth ways can list the known threats and defenses, and where they differ is in:\n"
    "  * a plain text view against a web table usual in risk analysis,\n"
    "  * the link to public catalogues, which eases upkeep of the shared database\n"
)


def test_a_lead_in_naming_threats_and_defenses_makes_no_threats_of_its_list(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _THREATS_AND_DEFENSES):
        # before (Word): 3 threats, the two points of difference among them
        assert [t.title for t in model.threats] == ["Someone in radio range changes BLE packets"]


def test_a_short_lead_in_naming_threats_still_lists_threats(tmp_path: Path) -> None:
    text = "# Pump\n\n## Threats\n\nThe threats considered:\n\n- Replayed dose command\n- Forged firmware image\n"
    for model, _report in _both(tmp_path, text):
        assert [t.title for t in model.threats] == ["Replayed dose command", "Forged firmware image"]


# -- a risk matrix after the threats' headings names each threat's measure shortly ("Key rotation + MFA" beside the
# heading's planned "Key rotation automation + MFA approval"): the same control, not a second one shown in place

_RESTATED = (
    "# Agent Platform Security Report\n\n## Threat Modeling\n\n"
    "#### Threat 1: Agent Identity Spoofing\n\n"
    "**Attack:** A rogue agent claims a trusted agent's name  \n**Acme Mitigation (Phase 1):** Signed agent cards  \n"
    "**Phase 2 Mitigation:** Key rotation automation + MFA approval  \n**Residual Risk (Phase 2):** ✅ Negligible\n\n"
    "#### Threat 2: Tool Misuse by Agent\n\n"
    "**Attack:** An agent calls a tool it may not use  \n**Acme Mitigation (Phase 1):** Per-tool allow lists  \n"
    "**Phase 2 Mitigation:** Graduated permission levels + time windows  \n**Residual Risk (Phase 2):** ✅ Negligible\n\n"
    "### Risk Matrix\n\n| Threat | Severity | Phase 1 Risk | Mitigation |\n|---|---|---|---|\n"
    "| Agent identity spoofing | Critical | Medium | Key rotation + MFA |\n"
    "| Tool misuse | Medium | Low | Graduated permissions |\n"
)


def test_a_matrix_restating_a_threats_measure_in_fewer_words_adds_no_control(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _RESTATED):
        by_id = {c.id: c for c in model.controls}
        # before (Markdown): 6 controls, "Key rotation + MFA" and "Graduated permissions" shown implemented beside
        # the planned measures they restate (Word made no control of the matrix's cells)
        assert [[(by_id[c].title, by_id[c].status) for c in t.controls] for t in model.threats] == [
            [("Signed agent cards", "implemented"), ("Key rotation automation + MFA approval", "planned")],
            [("Per-tool allow lists", "implemented"), ("Graduated permission levels + time windows", "planned")],
        ]
        assert len(model.controls) == 4
        assert reconciles(report)
    _model, report = load_text(tmp_path, _RESTATED)
    assert sum("in fewer words: joined" in w for w in warning_messages(report)) == 2


def test_two_measures_of_one_table_sharing_words_stay_two(tmp_path: Path) -> None:
    text = (
        "# Register\n\n| ID | Threat | Mitigation |\n|---|---|---|\n"
        "| T-1 | Stolen laptop exposes records | Disk encryption |\n"
        "| T-1 | Stolen laptop exposes records | Disk encryption with TPM keys |\n"
    )
    model, _report = load_text(tmp_path, text)
    assert sorted(c.title for c in model.controls) == ["Disk encryption", "Disk encryption with TPM keys"]
