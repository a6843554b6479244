"""Layouts of real threat models written by other people (tests/data/markdown-real/SOURCES.md, "round 11"), each as
a short paraphrased excerpt in the same shape, read alike in Markdown and in Word (tests/importers/md_word.py)."""

from __future__ import annotations

from pathlib import Path

from tests.importers.import_helpers import reconciles, skipped, warning_messages
from tests.importers.md_word import both as _both

# -- "Threat Agent | Attack Vector | Mitigation Strategy": who attacks, how, and what counters it; one agent on
# two rows (two attacks by the same agent)

_AGENT_FIRST = (
    "# Federated Trainer - Architecture\n\n## 4. Threat Model\n\n"
    "| Threat Agent | Attack Vector | Mitigation Strategy |\n| :--- | :--- | :--- |\n"
    "| **Rogue Coordinator** | Poisoned model sent to learn private data | **Signed jobs**: clients run only signed jobs. |\n"
    "| **Rogue Coordinator** | Updates inverted back into training inputs | **Secure sum**: only the total update is seen. |\n"
    "| **Stolen Handset** | Keys copied off the device | **Keystore**: keys kept in the secure enclave. |\n\n"
    "## 5. Decisions\n\n- **Transport**: gRPC.\n"
)


def test_threat_agent_first_column_with_a_mitigation_is_a_threat_table(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _AGENT_FIRST):
        # before: skipped as a "threat agents table", so the file was refused (exit 2)
        assert [t.title for t in model.threats] == [
            "Poisoned model sent to learn private data",
            "Updates inverted back into training inputs",
            "Keys copied off the device",
        ]
        assert [t.extra.get("Threat Agent") for t in model.threats] == ["Rogue Coordinator", "Rogue Coordinator", "Stolen Handset"]
        assert [len(t.controls) for t in model.threats] == [1, 1, 1]
        assert reconciles(report)


def test_a_table_of_threat_agents_without_mitigations_is_still_skipped(tmp_path: Path) -> None:
    text = (
        "# Model\n\n## Threat agents\n\n| Threat Agent | Motivation | Capability |\n|---|---|---|\n"
        "| Insider | Money | High |\n| Hacktivist | Publicity | Medium |\n\n"
        "## Threats\n\n| ID | Threat | Mitigation |\n|---|---|---|\n| T1 | Data theft by an insider | Audit logging |\n"
    )
    for model, report in _both(tmp_path, text):
        assert [t.id for t in model.threats] == ["T1"]
        assert any("Insider" in s for s in skipped(report))
    ids_first = "# Model\n\n## Actors\n\n| ID | Threat Actor | Motivation |\n|---|---|---|\n"
    ids_first += "| TA-1 | Crime | Money |\n| TA-2 | Insider | Revenge |\n"
    ids_first += "\n## Risks\n\n| ID | Threat | Mitigation |\n|---|---|---|\n| T1 | Ransomware | Backups |\n"
    for model, report in _both(tmp_path, ids_first):
        assert [t.id for t in model.threats] == ["T1"]
        assert any("TA-1" in s for s in skipped(report))


# -- STRIDE per DFD element: "Threat ID | STRIDE | Description | Threat Agent | Attack Vector" per element, the
# description opening on the threat's bold name; a summary table repeats them (and is the only place some are
# written in a cut document); a mitigation table keyed by the same ids

_PER_ELEMENT = (
    "# Threat Modeling — File Locker\n\n## 2. STRIDE Analysis per DFD Element\n\n### 2.1 Process: Web API\n\n"
    "| Threat ID | STRIDE | Description | Threat Agent | Attack Vector |\n|---|---|---|---|---|\n"
    "| **T-01** | S | **Token Forgery** — An attacker signs a token with a key of their own choosing. | External attacker |"
    " Send a token whose header names no algorithm. |\n"
    "| **T-02** | D | **Upload Flood** — Huge uploads fill the disk. | External attacker | Many large uploads at once. |\n\n"
    "### 2.2 Data Flow: DF-03 — Upload\n\n"
    "| Threat ID | STRIDE | Description | Threat Agent | Attack Vector |\n|---|---|---|---|---|\n"
    "| **T-02** | D | **Upload Flood** — No size limit on the upload. | External attacker | Repeated large bodies. |\n\n"
    "## 3. Threat Summary Table\n\n| ID | STRIDE | DFD Element | Description | Priority |\n|---|---|---|---|---|\n"
    "| **T-01** | S | Web API | Token Forgery | HIGH |\n| **T-02** | D | DF-03, Web API | Upload Flood | CRITICAL |\n"
    "| **T-03** | I | Audit Store | Secrets in Audit Logs | MEDIUM |\n\n"
    "## 4. Mitigations\n\n| Threat ID | Threat | Control | Requirements |\n|---|---|---|---|\n"
    "| **T-01** | Token Forgery | Algorithm allow-list; reject unsigned tokens | SR-01 |\n"
    "| **T-02** | Upload Flood | Size cap before buffering; per-user quota | SR-05 |\n"
    "| **T-03** | Secrets in Logs | Log schema without tokens or passwords | SR-12 |\n"
)


def test_threat_agent_is_never_the_title_and_the_description_names_the_threat(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _PER_ELEMENT):
        by_id = {t.id: t for t in model.threats}
        # before: every threat titled by its agent ("External attacker"), its description the attack vector
        assert by_id["T-01"].title == "Token Forgery"
        assert by_id["T-01"].description.startswith("Token Forgery — An attacker signs")
        assert by_id["T-01"].extra["Threat Agent"] == "External attacker"
        assert by_id["T-01"].extra["Attack Vector"].startswith("Send a token")
        assert by_id["T-02"].title == "Upload Flood"
        assert reconciles(report)


def test_summary_rows_whose_ids_no_other_table_has_are_read(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _PER_ELEMENT):
        # before: the summary was skipped whole, T-03 lost and its mitigation linked to nothing
        assert [t.id for t in model.threats] == ["T-01", "T-02", "T-03"]
        t3 = next(t for t in model.threats if t.id == "T-03")
        assert t3.title == "Secrets in Audit Logs"
        assert len(t3.controls) == 1
        assert sum(len(t.controls) for t in model.threats) == 3
        assert any("written in no other table (T-03)" in w for w in warning_messages(report))
        # the two rows that repeat the element tables stay skipped as the summary's
        assert len([s for s in skipped(report) if "summary" in s]) >= 2
        assert reconciles(report)
