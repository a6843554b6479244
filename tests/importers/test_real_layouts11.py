"""Layouts of real threat models written by other people (tests/data/markdown-real/SOURCES.md, "round 11"), each as
a short paraphrased excerpt in the same shape, read alike in Markdown and in Word (tests/importers/md_word.py)."""

from __future__ import annotations

from pathlib import Path

from tests.importers.import_helpers import load_text, reconciles, skipped, warning_messages
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
        assert any("Insider" in s or "threat agents table" in s for s in skipped(report))
        assert reconciles(report)
    ids_first = "# Model\n\n## Actors\n\n| ID | Threat Actor | Motivation |\n|---|---|---|\n"
    ids_first += "| TA-1 | Crime | Money |\n| TA-2 | Insider | Revenge |\n"
    ids_first += "\n## Risks\n\n| ID | Threat | Mitigation |\n|---|---|---|\n| T1 | Ransomware | Backups |\n"
    for model, report in _both(tmp_path, ids_first):
        assert [t.id for t in model.threats] == ["T1"]
        assert any("TA-1" in s or "threat agents table" in s for s in skipped(report))
        assert reconciles(report)


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


# -- a starter register: a LINDDUN table "Threat | Where | Initial mitigation" (the category in the Threat column,
# where it arises said in a phrase) and a STRIDE table "Threat | Initial mitigation" (one category per row)

_STARTER = (
    "# Threat model (starter) — LINDDUN + STRIDE\n\n## LINDDUN (privacy)\n\n"
    "| Threat | Where | Initial mitigation |\n|---|---|---|\n"
    "| **L**inking | Readings joined to single out one pupil across sources | Family-scoped ids; little source metadata |\n"
    "| **D**ata disclosure | Message text shown to a guardian | No text column; deny-by-default row security |\n"
    "| **N**on-compliance | Consent law breached | Consent flow; retention limits |\n\n"
    "## STRIDE (security)\n\n| Threat | Initial mitigation |\n|---|---|\n"
    "| **S**poofing | Hosted sign-in; row security keyed on the user id |\n"
    "| **T**ampering | Database constraints; server-only writes |\n"
    "| **R**epudiation | Audit events table |\n"
    "| **I**nformation disclosure | Row security; derived data only |\n"
    "| **D**enial of service | Rate limits on ingest |\n"
    "| **E**levation of privilege | No client write path; narrow admin flag |\n"
)


def test_stride_rows_with_only_a_mitigation_are_threats_of_their_category(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _STARTER):
        # before: "Initial mitigation" read as a component of a STRIDE x component matrix (6 threats titled by
        # their mitigations on a component "Initial mitigation", no control)
        stride_rows = model.threats[3:]
        assert [t.title for t in stride_rows] == [
            "Spoofing",
            "Tampering",
            "Repudiation",
            "Information disclosure",
            "Denial of service",
            "Elevation of privilege",
        ]
        assert [t.stride for t in stride_rows][:2] == [["spoofing"], ["tampering"]]
        assert all(len(t.controls) == 1 for t in model.threats)
        assert len(model.controls) == 9
        assert not model.elements
        assert reconciles(report)


def test_a_where_column_of_phrases_describes_the_threat(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _STARTER):
        privacy = model.threats[:3]
        # before: each "Where" phrase made a component of its own ("Readings joined to single out one pupil …")
        assert [t.title for t in privacy] == ["Linking", "Data disclosure", "Non-compliance"]
        assert privacy[0].description.startswith("Readings joined to single out")
        assert [t.extra.get("LINDDUN category") for t in privacy] == ["Linking", "Data disclosure", "Non-compliance"]
        assert privacy[1].stride == ["information_disclosure"]
        assert not model.elements


def test_a_where_column_of_component_names_stays_the_component(tmp_path: Path) -> None:
    text = (
        "# Threats\n\n| Threat | Where | Mitigation |\n|---|---|---|\n| Session theft | Web portal | Short sessions |\n"
        "| Firmware swap | Pump | Signed images |\n"
    )
    for model, _report in _both(tmp_path, text):
        assert sorted(e.name for e in model.elements) == ["Pump", "Web portal"]


# -- one threat per heading ("### TM-S1 — title (STRIDE categories)") described by a two-column form with an
# empty header ("| **Threat** | … |", "| **Risk** | H |", "| **Protection** | … |"), in Russian; a LINDDUN table
# after them

_FORMS = (
    "# Модель угроз — сервис проверки документов\n\n## 2. STRIDE\n\n"
    "### TM-S1 — Загрузка вредоносных файлов (Spoofing/Tampering/DoS)\n\n| | |\n|--|--|\n"
    "| **Угроза** | Вредоносный PDF, zip-бомба, эксплойт парсера |\n| **Риск** | H |\n"
    "| **Защита** | Allowlist типов; лимиты размера; парсеры в изолированных воркерах |\n"
    "| **Детект** | Алерты антивируса |\n| **Acceptance** | AT-MALWARE |\n\n"
    "### TM-S2 — Перебор идентификаторов отчётов (Information disclosure)\n\n| | |\n|--|--|\n"
    "| **Угроза** | Подбор UUID чужого отчёта |\n| **Риск** | M |\n"
    "| **Защита** | Проверка владельца на каждый объект; непрозрачные ID |\n"
    "| **Детект** | Метрики отказов авторизации |\n| **Acceptance** | AT-IDOR |\n\n"
    "## 3. LINDDUN\n\n| ID | Категория | Угроза | Защита | Acceptance |\n|----|----|----|----|----|\n"
    "| TM-L1 | Linkability | Связывание личности через оплату и документы | Раздельные идентификаторы | Privacy review |\n"
)


def test_a_form_under_a_heading_naming_the_threat_is_that_threat(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _FORMS):
        # before: the forms were no table recognised (2 threats lost) and the LINDDUN table had no control
        assert [t.id for t in model.threats] == ["TM-S1", "TM-S2", "TM-L1"]
        s1 = model.threats[0]
        assert s1.title == "Загрузка вредоносных файлов"
        assert s1.stride == ["spoofing", "tampering", "denial_of_service"]
        assert s1.description.startswith("Вредоносный PDF")
        assert s1.risk is not None and s1.risk.level == "high"
        assert s1.extra.get("Детект") == "Алерты антивируса"
        assert model.threats[1].stride == ["information_disclosure"]
        assert all(len(t.controls) == 1 for t in model.threats)
        assert model.threats[2].extra.get("LINDDUN category") == "Linkability"
        assert reconciles(report)


# -- a STRIDE template's tables written in HTML inside the Markdown: "Thread | Issues" with several threats listed
# in one cell ("<strong>Spoof.1</strong> - (Area) text <br>"), and "Threat | Remediation" whose cells name each
# threat on a line of its own over its remediation ("Spoof.1<br>S1R1 - text")

_HTML = (
    "## What can go wrong?\n\n### Threat Table\n\n<table>\n  <tr>\n    <th>Thread</th>\n    <th>Issues</th>\n  </tr>\n"
    "  <tr>\n    <td>Spoofing</td>\n    <td>\n"
    "      <strong>Spoof.1</strong> - (Sign-in) A stolen signing key is used to approve payments. <br>\n"
    "      <strong>Spoof.2</strong> - (Look-alike) A copy of the wallet contract tricks users into using it.\n"
    "    </td>\n  </tr>\n  <tr>\n    <td>Tampering</td>\n    <td>\n"
    "      <strong>Tamper.1</strong> - (Storage) Signer records are overwritten through a storage flaw.\n"
    "    </td>\n  </tr>\n  <tr>\n    <td>Information Disclosure</td>\n    <td>\n"
    "      <strong>Info.1</strong> - (Enumeration) On-chain history reveals every signer of an account. <br>\n"
    "    </td>\n  </tr>\n</table>\n\n## What are we going to do about it?\n\n<table>\n"
    "  <tr>\n    <th>Threat</th>\n    <th>Remediation</th>\n  </tr>\n  <tr>\n    <td>Spoofing</td>\n    <td>\n"
    "      <strong>Spoof.1</strong><br>\n      <strong>S1R1</strong> - Keep signing keys in a hardware wallet.\n"
    "      <br><br>\n      <strong>Spoof.2</strong><br>\n"
    "      <strong>S2R1</strong> - Bind every approval to the contract's own address.\n    </td>\n  </tr>\n"
    "  <tr>\n    <td>Tampering</td>\n    <td>\n      <strong>Tamper.1</strong><br>\n"
    "      <strong>T1R1</strong> - Only admin signers may change stored signers.\n    </td>\n  </tr>\n"
    "  <tr>\n    <td>Information Disclosure</td>\n    <td>\n      <strong>Info.1</strong><br>\n"
    "      <strong>I1R1</strong> - Accept that signer keys are public; rely on signatures only.\n    </td>\n  </tr>\n"
    "</table>\n"
)

# the same two tables as a Word author types them: a table cell with a line per threat
_PIPES = (
    "## What can go wrong?\n\n### Threat Table\n\n| Thread | Issues |\n|---|---|\n"
    "| Spoofing | **Spoof.1** - (Sign-in) A stolen signing key is used to approve payments.<br>"
    "**Spoof.2** - (Look-alike) A copy of the wallet contract tricks users into using it. |\n"
    "| Tampering | **Tamper.1** - (Storage) Signer records are overwritten through a storage flaw. |\n"
    "| Information Disclosure | **Info.1** - (Enumeration) On-chain history reveals every signer of an account. |\n\n"
    "## What are we going to do about it?\n\n| Threat | Remediation |\n|---|---|\n"
    "| Spoofing | **Spoof.1**<br>**S1R1** - Keep signing keys in a hardware wallet.<br><br>**Spoof.2**<br>"
    "**S2R1** - Bind every approval to the contract's own address. |\n"
    "| Tampering | **Tamper.1**<br>**T1R1** - Only admin signers may change stored signers. |\n"
    "| Information Disclosure | **Info.1**<br>**I1R1** - Accept that signer keys are public; rely on signatures only. |\n"
)


def _listed_threats_read(model: object) -> None:
    threats = model.threats  # type: ignore[attr-defined]
    assert [t.id for t in threats] == ["Spoof.1", "Spoof.2", "Tamper.1", "Info.1"]
    assert [t.stride for t in threats] == [["spoofing"], ["spoofing"], ["tampering"], ["information_disclosure"]]
    assert threats[0].description == "(Sign-in) A stolen signing key is used to approve payments."
    controls = {c.id: c for c in model.controls}  # type: ignore[attr-defined]
    assert [[controls[c].description for c in t.controls] for t in threats] == [
        ["S1R1 - Keep signing keys in a hardware wallet."],
        ["S2R1 - Bind every approval to the contract's own address."],
        ["T1R1 - Only admin signers may change stored signers."],
        ["I1R1 - Accept that signer keys are public; rely on signatures only."],
    ]


def test_html_tables_in_markdown_are_read(tmp_path: Path) -> None:
    # before: the HTML was not read (exit 2, "no threat-model content found")
    model, report = load_text(tmp_path, _HTML)
    _listed_threats_read(model)
    assert reconciles(report)


def test_several_threats_listed_in_one_cell_are_one_threat_each(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _PIPES):
        # before: "Issues" read as a component of a STRIDE x component matrix, one threat per cell (two of three
        # lost), and the remediation table's rows made threats "Spoofing", "Information Disclosure" of their own
        _listed_threats_read(model)
        assert reconciles(report)


def test_html_table_cells_spanning_rows_repeat_down(tmp_path: Path) -> None:
    text = (
        "# STRIDE per boundary\n\n<table>\n<tr><th>Boundary</th><th>Category</th><th>Threat</th><th>Mitigation</th></tr>\n"
        '<tr><td rowspan="2"><strong>Clinician → Portal</strong></td><td>Spoofing</td><td>Stolen clinician password</td>'
        "<td>MFA</td></tr>\n<tr><td>Tampering</td><td>Orders altered in transit</td><td>TLS 1.3</td></tr>\n"
        '<tr><td>Portal → Pump</td><td>Denial of Service</td><td>Command flood</td><td style="display:none">secret</td></tr>\n'
        "</table>\n"
    )
    model, report = load_text(tmp_path, text)
    assert [t.title for t in model.threats] == ["Stolen clinician password", "Orders altered in transit", "Command flood"]
    assert [t.stride for t in model.threats] == [["spoofing"], ["tampering"], ["denial_of_service"]]
    assert len(model.threats[1].controls) == 1
    # the hidden cell's text is read nowhere
    assert "secret" not in model.model_dump_json()
    assert reconciles(report)


def test_a_single_title_opening_on_a_short_id_is_left_as_written(tmp_path: Path) -> None:
    text = (
        "# Threats\n\n| Threat | Mitigation |\n|---|---|\n| T1 - Pump spoofing | Signed commands |\n| T2 - Drug library edit | Hashes |\n"
    )
    for model, _report in _both(tmp_path, text):
        assert len(model.threats) == 2
        assert all(len(t.controls) == 1 for t in model.threats)
