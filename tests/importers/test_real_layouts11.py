"""Layouts of real threat models written by other people (tests/data/markdown-real/SOURCES.md, "round 11"), each as
a short paraphrased excerpt in the same shape, read alike in Markdown and in Word (tests/importers/md_word.py)."""

from __future__ import annotations

from pathlib import Path

from tests.importers.import_helpers import checked_import, load_text, reconciles, skipped, warning_messages
from tests.importers.md_word import both as _both
from tests.importers.md_word import word_from_markdown

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


# -- a course's reference solution: a STRIDE table of one data flow (HTML, the flow's cell spanning every row, blank
# lines inside the table), then the same threats again word for word with likelihood, impact, priority and mitigations

_STEPS = (
    "### Exercise: STRIDE of one data flow\n\n<details>\n<summary><b>Reference solution for step 1</b></summary>\n\n"
    "<table>\n<thead>\n<tr><th>Data Flow / Asset</th><th>Category</th><th>Threat</th></tr>\n</thead>\n<tbody>\n"
    '<tr>\n    <td rowspan="3"><strong>Guest researcher → Job scheduler</strong></td>\n    <td>Spoofing</td>\n'
    "    <td>Someone signs in with a guest researcher's stolen password</td>\n</tr>\n"
    "<tr>\n    <td>Tampering</td>\n    <td>A submitted job rewrites the weights of the trial model</td>\n</tr>\n\n"
    "<tr>\n    <td>Denial of Service</td>\n    <td>A guest floods the cluster with jobs that never end</td>\n</tr>\n\n"
    "</tbody>\n</table>\n</details>\n\n**Step 2: Add priorities and mitigations**\n\n<table>\n<thead>\n"
    "<tr><th>Data Flow / Asset</th><th>Category</th><th>Threat</th><th>Priority</th><th>Mitigations</th></tr>\n"
    "</thead>\n<tbody>\n"
    '<tr>\n    <td rowspan="3"><strong>Guest researcher → Job scheduler</strong></td>\n    <td>Spoofing</td>\n'
    "    <td>Someone signs in with a guest researcher's stolen password</td>\n    <td><strong>High</strong></td>\n"
    "    <td>• Single sign-on with MFA<br>\n        • Short sessions</td>\n</tr>\n"
    "<tr>\n    <td>Tampering</td>\n    <td>A submitted job rewrites the weights of the trial model</td>\n"
    "    <td>Medium</td>\n    <td>• Read-only weights<br>\n        • Jobs run in sandboxes</td>\n</tr>\n"
    "<tr>\n    <td>Denial of Service</td>\n    <td>A guest floods the cluster with jobs that never end</td>\n"
    "    <td>High</td>\n    <td>• Quotas per guest</td>\n</tr>\n</tbody>\n</table>\n"
)


def test_an_html_table_with_blank_lines_inside_is_read_whole(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, _STEPS)
    # before: nothing read (exit 2); a blank line inside the table also cut it at that line
    assert [t.stride for t in model.threats] == [["spoofing"], ["tampering"], ["denial_of_service"]]
    assert reconciles(report)


def test_a_table_repeating_an_earlier_tables_threats_word_for_word_rates_them(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, _STEPS)
    # before (once read): six threats, each said twice
    assert len(model.threats) == 3
    assert [t.risk.level if t.risk else None for t in model.threats] == ["high", "medium", "high"]
    assert all(len(t.controls) == 1 for t in model.threats)
    assert any("word for word" in w for w in warning_messages(report))
    pipes = (
        "# Threats\n\n## Step 1\n\n| Category | Threat |\n|---|---|\n"
        "| Spoofing | Someone signs in with a guest researcher's stolen password |\n"
        "| Tampering | A submitted job rewrites the weights of the trial model |\n\n"
        "## Step 2\n\n| Category | Threat | Priority | Mitigations |\n|---|---|---|---|\n"
        "| Spoofing | Someone signs in with a guest researcher's stolen password | High | MFA |\n"
        "| Tampering | A submitted job rewrites the weights of the trial model | Medium | Read-only weights |\n"
    )
    for model, report in _both(tmp_path, pipes):
        assert len(model.threats) == 2
        assert all(len(t.controls) == 1 for t in model.threats)
        assert reconciles(report)


def test_short_titles_repeated_in_two_tables_stay_two_threats(tmp_path: Path) -> None:
    text = (
        "# STRIDE per element\n\n## Web portal\n\n| Category | Threat |\n|---|---|\n| Spoofing | Stolen password |\n"
        "| Tampering | Altered request |\n\n## Database\n\n| Category | Threat |\n|---|---|\n| Spoofing | Stolen password |\n"
        "| Tampering | Altered request |\n"
    )
    for model, _report in _both(tmp_path, text):
        assert len(model.threats) == 4


# -- an OT platform's attack-surface table ("Attack Surface | Threat Agent | Attack Vector | … | Mitigation") beside
# IEC 62443 conduit, compliance and incident-tier tables that hold no threats

_SURFACES = (
    "## Threat Model\n\n### Attack Surface Analysis\n\n"
    "| Attack Surface | Threat Agent | Attack Vector | Impact | Likelihood | Risk | Mitigation |\n|---|---|---|---|---|---|---|\n"
    "| Plant Wi-Fi | External attacker | Pivot from the office network into the cell network | Line stops | High | Critical |"
    " Zone segmentation; DMZ with conduits |\n"
    "| Gateway firmware | Advanced persistent threat | Implant firmware to copy recipes | Trade secrets lost | Low | High |"
    " Secure boot; signed firmware |\n\n"
    "## Compliance Matrix\n\n| Regulation / Standard | Scope | Key Requirements | Platform Implementation |\n|---|---|---|---|\n"
    "| **IEC 62443** | OT security | Zones, security levels | Five zones |\n"
    "| **NIS2** | Critical services | Incident reporting | 24h notice |\n\n"
    "## Conduit Specifications\n\n| Conduit | From Zone | To Zone | Protocols | Direction |\n|---|---|---|---|---|\n"
    "| C1: Process data | Zone 1 (OT) | Zone 2 (Edge) | OPC-UA | Bidirectional |\n"
    "| C2: Telemetry export | Zone 2 (Edge) | Zone 3 (DMZ) | HTTPS | OT→IT only |\n"
)


def test_attack_surface_rows_with_a_threat_agent_column_are_threats(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _SURFACES):
        # before: refused as a table of threat agents (exit 2)
        assert [t.title for t in model.threats] == [
            "Pivot from the office network into the cell network",
            "Implant firmware to copy recipes",
        ]
        assert [t.risk.level if t.risk else None for t in model.threats] == ["critical", "high"]
        assert [t.extra.get("Threat Agent") for t in model.threats] == ["External attacker", "Advanced persistent threat"]
        assert len(model.controls) == 2
        assert reconciles(report)


# -- STRIDE per DFD element with a catalogue of threat agents first, each element's table
# "# | STRIDE | Threat | Threat Agent | Attack Vector | Abuse Case | Mitigation" citing the agents by id

_AGENT_IDS = (
    "## 3. Threat Agent Catalogue\n\n| ID | Threat Agent | Description | Capability |\n|----|----|----|----|\n"
    "| TA-01 | **External Attacker** | Unauthenticated actor on the internet | Low to High |\n"
    "| TA-02 | **Malicious Buyer** | Signed-in buyer reaching beyond their rights | Low |\n\n"
    "## 4. DFD Level 0\n\n#### ENTITY: Shop Users\n\n"
    "| # | STRIDE | Threat | Threat Agent | Attack Vector | Abuse Case | Mitigation |\n|---|---|---|---|---|---|---|\n"
    "| L0-E-01 | Spoofing | Identity impersonation at the boundary | TA-01 | Credential stuffing with leaked passwords |"
    " Attacker signs in as a seller and uploads files under their name | MFA; short-lived tokens |\n"
    "| L0-E-02 | Tampering | Order price changed in the request | TA-02 | Body edited before it is sent |"
    " Buyer pays 0.01 for a full-price game | Prices resolved on the server |\n"
)


def test_the_threat_column_titles_the_row_beside_an_abuse_case_column(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _AGENT_IDS):
        # before: titled by the abuse case ("Attacker signs in as a seller …"), the Threat column kept in extra
        assert [t.id for t in model.threats] == ["L0-E-01", "L0-E-02"]
        assert [t.title for t in model.threats] == ["Identity impersonation at the boundary", "Order price changed in the request"]
        assert model.threats[0].extra["Abuse Case"].startswith("Attacker signs in as a seller")
        assert model.threats[0].extra["Threat Agent"] == "TA-01"
        assert any("threat agents table" in s for s in skipped(report))
        assert reconciles(report)


# -- a course guide's threat model: a STRIDE table of ✔ marks per element (no threat written in it), a DREAD table
# "| # | Threat | D | R | E | A | D | Avg |" (the threats), then "**Threat #1 – …**" bold lines over bullet measures

_DREAD = (
    "# FitQuest – Threat Modeling\n\n## Section 6 – STRIDE Analysis Table\n\n"
    "| Element | S | T | R | I | D | E |\n|---|---|---|---|---|---|---|\n"
    "| **Login** | ✔ | | | ✔ | | ✔ |\n| **REST API** | ✔ | ✔ | ✔ | ✔ | ✔ | ✔ |\n| **Pose Engine** | | ✔ | ✔ | | ✔ | |\n\n"
    "**Legend:** S=Spoofing, T=Tampering, R=Repudiation, I=Info Disclosure, D=Denial of Service, E=Elevation of Privilege\n\n"
    "## Section 7 – DREAD Risk Assessment Table\n\n| # | Threat | D | R | E | A | D | **Avg** |\n|---|---|---|---|---|---|---|---|\n"
    "| 1 | **Public API key shipped in the app** | 8 | 9 | 7 | 10 | 9 | **8.6** |\n"
    "| 2 | **Rep counts forged by the client** | 6 | 7 | 5 | 8 | 7 | **6.6** |\n"
    "| 3 | **Flood of requests on the API** | 7 | 8 | 7 | 10 | 7 | **7.8** |\n\n"
    "## Section 8 – Mitigation Strategies\n\n### Critical (Avg ≥ 7.5)\n\n"
    "**Threat #1 – Public API key shipped in the app**\n- Row-level security on every table\n- Keep the service key off the device\n\n"
    "**Threat #3 – Flood of requests**\n- Rate limits at the gateway\n"
)


def test_a_stride_table_of_tick_marks_makes_no_threat_per_mark(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _DREAD):
        # before: 11 threats titled "✔" (one per mark) beside the three of the DREAD table
        assert [t.id for t in model.threats] == ["1", "2", "3"]
        assert not any(t.title == "✔" for t in model.threats)
        assert reconciles(report)


def test_dread_letter_columns_are_no_stride_marks(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _DREAD):
        # before: "D", "R", "E" read as STRIDE columns (denial of service, repudiation, elevation) whose "8", "9" were
        # no marks (warned and kept in extra)
        assert all(t.stride == [] for t in model.threats)
        assert model.threats[0].extra["Avg"] == "8.6"
        assert not any("STRIDE mark" in w for w in warning_messages(report))


def test_a_bold_line_naming_a_threat_by_number_links_the_measures_below(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _DREAD):
        # before: Markdown read the three measures as controls linked to nothing; Word read none of them (a
        # heading "Critical (Avg ≥ 7.5)" under "Mitigation Strategies" was no section of measures)
        links = {t.id: [c.title for c in model.controls if c.id in t.controls] for t in model.threats}
        assert links == {
            "1": ["Row-level security on every table", "Keep the service key off the device"],
            "2": [],
            "3": ["Rate limits at the gateway"],
        }
        assert reconciles(report)


def test_measures_under_a_subheading_of_mitigations_are_controls_in_word(tmp_path: Path) -> None:
    text = (
        "# Model\n\n## Threats\n\n| ID | Threat | Risk |\n|---|---|---|\n| T1 | Stolen password used to sign in | High |\n\n"
        "## Mitigation Strategies\n\n### Critical\n\n- Multi-factor sign-in for every account\n- Rate limits at the gateway\n"
    )
    for model, report in _both(tmp_path, text):
        # before (Word): the two items were neither imported nor reported
        assert [c.title for c in model.controls] == ["Multi-factor sign-in for every account", "Rate limits at the gateway"]
        assert reconciles(report)


def test_a_heading_numbered_outside_the_mitigations_section_holds_no_measures(tmp_path: Path) -> None:
    text = (
        "# Model\n\n## Threats\n\n| ID | Threat | Risk |\n|---|---|---|\n| T1 | Stolen password used to sign in | High |\n\n"
        "## 4.3 Mitigation Strategies\n\n- Multi-factor sign-in for every account\n\n"
        "### 5. Cascading Effects\n\n- Service hijacking: requests go to a rogue service\n- Reputation damage\n"
    )
    model, _report = checked_import(word_from_markdown(text, tmp_path / "tm.docx"))
    # the effects listed under "5." are no measures of "4.3" (a guard on the subheading rule)
    assert [c.title for c in model.controls] == ["Multi-factor sign-in for every account"]
