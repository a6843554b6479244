"""Layouts of real threat models written by other people (tests/data/markdown-real/SOURCES.md, "Round 17"), each as
a short paraphrased excerpt in the same shape, read alike in Markdown and in Word (tests/importers/md_word.py)."""

from __future__ import annotations

from pathlib import Path

from mdptm.model import Model, Threat
from tests.importers.import_helpers import load_text, reconciles, skipped
from tests.importers.md_word import both as _both


def _threat(model: Model, tid: str) -> Threat:
    return next(t for t in model.threats if t.id == tid)


# -- a CI/CD risk analysis in Dutch: "| ID | Dreiging | Kans | Impact | Score | Niveau |" with ids C1…C8 (C for CI/CD),
# then "### C1 — Secret Leak" headings that explain each threat (a sentence and "**Impact**" bullets), a risk matrix

_PIPELINE = (
    "# CI/CD risicoanalyse\n\n## Scoremethode\n\n| Score | Niveau |\n|---|---|\n| 15–25 | 🔴 Kritiek |\n"
    "| 10–14 | 🟠 Hoog |\n| 5–9 | 🟡 Midden |\n| 1–4 | 🟢 Laag |\n\n## CI/CD dreigingen\n\n"
    "| ID | Dreiging | Kans | Impact | Score | Niveau |\n|---|---|:---:|:---:|:---:|---|\n"
    "| C1 | Geheimen lekken via de pipeline | 4 | 5 | **20** | 🔴 Kritiek |\n"
    "| C2 | Aanval via een gecompromitteerde action | 3 | 5 | **15** | 🔴 Kritiek |\n"
    "| C3 | Workflow gewijzigd zonder review | 3 | 4 | **12** | 🟠 Hoog |\n"
    "| C4 | Geen actuele SBOM | 2 | 3 | **6** | 🟡 Midden |\n\n"
    "## Toelichting per dreiging\n\n### C1 — Geheimen lekken\nTokens of sleutels komen in logs of code terecht.\n\n"
    "**Impact**\n- Toegang tot systemen\n- Kwaadaardige deployments\n\n---\n\n"
    "### C2 — Aanval via action\nEen action van derden voegt code toe aan de build.\n\n**Impact**\n- Backdoors\n\n"
    "## Risicomatrix\n\n| Kans \\ Impact | 1 | 2 | 3 | 4 | 5 |\n|---|---|---|---|---|---|\n"
    "| **4** | | | | | C1 |\n| **3** | | | | C3 | C2 |\n"
)


def test_headings_that_explain_table_threats_with_control_like_ids_are_those_threats(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _PIPELINE):
        # before: each "### C1 — …" heading was a control keyed by threat C1 ('C' is a control prefix), stated
        # implemented: 4 threats, 2 invented controls "Geheimen lekken", "Aanval via action"
        assert [t.id for t in model.threats] == ["C1", "C2", "C3", "C4"]
        assert model.controls == []
        c1 = _threat(model, "C1")
        assert c1.title == "Geheimen lekken via de pipeline"
        assert "Tokens of sleutels komen in logs" in c1.description
        assert reconciles(report)


def test_dutch_threat_headers_and_level_words_are_read(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _PIPELINE):
        # before: 'Dreiging' unknown (read as the description), 'Kans' kept in extra (no likelihood), the stated
        # 'Niveau' unread (C2 rated high from its score 15 where the document says Kritiek)
        c2 = _threat(model, "C2")
        assert c2.risk is not None
        assert (c2.risk.likelihood, c2.risk.severity, c2.risk.level) == ("3", "5", "critical")
        assert [_threat(model, t).risk.level for t in ("C1", "C3", "C4")] == ["critical", "high", "medium"]  # type: ignore[union-attr]


# -- an EHR module's STRIDE register in Dutch ("| ID | Dreiging | STRIDE | Actor | Kans (1-5) | Impact (1-5) | Score |
# Prioriteit |", "🔴 Rood" / "🟠 Oranje" / "🟢 Groen"), then measures for the top threats: "### T-01 — title (score 25,
# 🔴)" over "- **Preventief:** …" and "- **Detectief/correctief:** …" bullets

_REGISTER = (
    "## Stap 5 — Risicoregister\n\nScore = Kans × Impact. **Rood ≥ 15 · Oranje 8–14 · Groen ≤ 7.**\n\n"
    "| ID | Dreiging | STRIDE | Actor | Kans (1-5) | Impact (1-5) | Score | Prioriteit |\n"
    "|---|---|---|---|:---:|:---:|:---:|:---:|\n"
    "| T-01 | Zoekendpoint geeft instellingen met geheimen zonder login | Information Disclosure | Crimineel | 5 | 5 "
    "| **25** | 🔴 Rood |\n"
    "| T-02 | Basic-auth zonder tweede factor | Spoofing | Crimineel | 4 | 3 | **12** | 🟠 Oranje |\n"
    "| T-03 | Geen audit-trail van inzage in dossiers | Repudiation | Insider | 3 | 2 | **6** | 🟢 Groen |\n\n"
    "## Stap 6 — Maatregelen voor de top 5\n\n"
    "### T-01 — Geheimen via het zoekendpoint (score 25, 🔴)\n"
    "- **Preventief:** Endpoint verwijderen of achter login en privilege plaatsen; waarden maskeren.\n"
    "- **Detectief/correctief:** Logging en alert op ongeauthenticeerde aanroepen; geheimen roteren.\n"
)


def test_dutch_register_levels_and_measures_named_by_their_kind(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _REGISTER):
        assert [t.id for t in model.threats] == ["T-01", "T-02", "T-03"]
        t1 = _threat(model, "T-01")
        # before: 'Kans' unread, the stated 'Prioriteit' unread (levels from the scores), the measures kept in the
        # threat's extra as "Preventief" / "Detectief/correctief": no control
        assert t1.title == "Zoekendpoint geeft instellingen met geheimen zonder login"
        assert t1.risk is not None and (t1.risk.likelihood, t1.risk.level) == ("5", "high")
        assert [_threat(model, t).risk.level for t in ("T-02", "T-03")] == ["medium", "low"]  # type: ignore[union-attr]
        (control,) = model.controls
        assert control.id in t1.controls
        assert control.title.startswith("Endpoint verwijderen")
        assert "Logging en alert" in control.description  # the detective measure, kept with it
        assert not control.status_stated
        assert reconciles(report)


# -- a developer tool's threat model in Italian: "| Asset | Minaccia | Controllo V6.6 | Evidenza |"

_ITALIAN = (
    "# V6.6 — Security threat model\n\n## Perimetro\n\nIl perimetro è il workspace locale.\n\n"
    "| Asset | Minaccia | Controllo V6.6 | Evidenza |\n|---|---|---|---|\n"
    "| Chiavi e token | commit o log accidentale | scanner di pattern, log redatti | finding senza contenuto |\n"
    "| Percorsi | scrittura fuori dal workspace | controllo dei parent prima di ogni operazione | test traversal |\n\n"
    "## Limiti e residuo\n\nLa cifratura non è applicata agli snapshot esistenti.\n"
)


def test_italian_threat_and_control_headers_with_a_release_tag(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _ITALIAN):
        # before: exit 2 ("no threat-model content found": 'Minaccia' and 'Controllo' unknown)
        assert [t.title for t in model.threats] == ["commit o log accidentale", "scrittura fuori dal workspace"]
        assert [c.title for c in model.controls] == [
            "scanner di pattern, log redatti",
            "controllo dei parent prima di ogni operazione",
        ]
        assert all(len(t.controls) == 1 for t in model.threats)
        assert model.threats[0].extra["Evidenza"] == "finding senza contenuto"
        assert [a.name for a in model.assets] == ["Chiavi e token", "Percorsi"]
        assert reconciles(report)


# -- a remote-desktop tool's security guide in German: security features as bold-term bullets, then "### Identifizierte
# Bedrohungen" as a numbered list "1. **Unbefugter Zugriff**: Schutz durch …" (some items name only the measure),
# "### Nicht abgedeckte Bedrohungen" bullets, and a reporting procedure as a numbered bold list

_GERMAN = (
    "# Sicherheitsrichtlinien\n\n## Sicherheitsarchitektur\n\n### 1. Verbindungssicherheit\n"
    "- **Verschlüsselung**: Alle Verbindungen verwenden DTLS\n- **Authentifizierung**: signierte JWT-Token\n\n"
    "## Bedrohungsmodell\n\n### Identifizierte Bedrohungen\n"
    "1. **Unbefugter Zugriff**: Schutz durch Authentifizierung und Autorisierung\n"
    "2. **Man-in-the-Middle**: Schutz durch Ende-zu-Ende-Verschlüsselung\n"
    "3. **Denial-of-Service**: Rate-Limiting und Verbindungsgrenzen\n\n"
    "### Nicht abgedeckte Bedrohungen\n- **Kompromittierter Host**: außerhalb des Anwendungsbereichs\n"
    "- **Browser-Schwachstellen**: abhängig vom Browser des Nutzers\n\n"
    "## Meldung von Schwachstellen\n\n1. **Nicht öffentlich melden**: keine öffentlichen Issues\n"
    "2. **E-Mail senden**: an das Sicherheitsteam\n"
)


def test_a_numbered_bold_list_under_a_heading_that_names_threats_in_german(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _GERMAN):
        # before: exit 2 ("no threat-model content found": every list a "list of bold terms"); the heading named no
        # threats to the reader, and a list with a STRIDE category among its titles was taken for definitions
        assert [t.title for t in model.threats][:2] == ["Unbefugter Zugriff", "Man-in-the-Middle"]
        # "Schutz durch …" says what protects against the threat; a bare measure stays the threat's text, as written
        # (Word, until round 19, read "Denial-of-Service: …" as the category over a threat titled by that text)
        assert [c.title for c in model.controls] == ["Authentifizierung und Autorisierung", "Ende-zu-Ende-Verschlüsselung"]
        assert [len(t.controls) for t in model.threats] == [1, 1, 0]
        dos = model.threats[2]
        assert dos.stride == ["denial_of_service"]
        assert (dos.title, dos.description) == ("Denial-of-Service", "Rate-Limiting und Verbindungsgrenzen")
        assert [o.text.split(":")[0] for o in model.out_of_scope] == ["Kompromittierter Host", "Browser-Schwachstellen"]
        assert reconciles(report)


# -- a tremor-monitoring platform's preliminary hazard analysis, whose hazards are security threats: category legends
# ("| Category ID | Category | Description |"), a hazard list "| PH-ID | Hazard | STRIDE | Category |", hazardous
# situations citing the hazards ("| HS-ID | Hazard(s) | Hazardous Situation | Foreseeable Harm |"), recommended
# controls keyed by hazard ("| PH-ID | Risk | Recommended Control | Requirement ID |"), their implementation keyed by
# requirement ("| Requirement | Control Type | Implementation | Verification |") and a cross-reference appendix

_PHA = (
    "# Preliminary Hazard Analysis\n\n## 4. Hazard Categories\n\n"
    "| Category ID | Category | Description |\n|---|---|---|\n"
    "| **CAT-AUTH** | Authentication | Hazards related to identity verification |\n"
    "| **CAT-INTG** | Integrity | Hazards involving data modification |\n"
    "| **CAT-SAFE** | Safety | Direct patient harm |\n\n"
    "## 5. Preliminary Hazard List\n\n| PH-ID | Hazard | STRIDE | Category |\n|---|---|---|---|\n"
    "| PH-001 | Weak password allows guessing the login | S | CAT-AUTH |\n"
    "| PH-002 | Credentials stolen by phishing | S | CAT-AUTH |\n"
    "| PH-018 | Sensor readings altered in transit | T | CAT-INTG |\n\n"
    "## 7. Hazardous Situations\n\n| HS-ID | Hazard(s) | Hazardous Situation | Foreseeable Harm |\n|---|---|---|---|\n"
    "| HS-001 | PH-001, PH-002 | Attacker opens a patient account | PHI exposure |\n"
    "| HS-002 | PH-018 | False readings stored for a patient | Wrong treatment decision |\n\n"
    "## 9. Recommended Controls\n\n| PH-ID | Risk | Recommended Control | Requirement ID |\n|---|---|---|---|\n"
    "| PH-001 | M | Password policy after NIST guidance | REQ-SEC-001 |\n"
    "| PH-018 | M | TLS 1.3 on every link | REQ-SEC-005 |\n\n"
    "| Requirement | Control Type | Implementation | Verification |\n|---|---|---|---|\n"
    "| REQ-SEC-001 | Engineering | password validator module | Unit test |\n"
    "| REQ-SEC-005 | Engineering | secure network service | TLS scan |\n\n"
    "## Appendix A: Hazard Log Cross-Reference\n\n"
    "| PH-ID | ISO 14971 Risk ID | STRIDE | Control ID | Test Case |\n|---|---|---|---|---|\n"
    "| PH-001 | R1 | S | RC1.1 | ST-AUTH-001 |\n| PH-018 | R2 | T | RC2.2 | ST-INTG-001 |\n"
)


def test_a_hazard_analysis_of_security_hazards_reads_only_the_hazards_as_threats(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _PHA):
        # before: 3 threats made of the category legend ("Direct patient harm"), 2 of the hazardous situations,
        # 2 of the appendix ("Spoofing (R1)": 'ISO 14971 Risk ID' taken for the id); 'PH-ID' in the controls table
        # unread (no link), and the implementation rows made controls titled "REQ-SEC-001" of their own
        assert [t.id for t in model.threats] == ["PH-001", "PH-002", "PH-018"]
        assert [(t.id, t.hazards) for t in model.threats] == [("PH-001", ["HS-001"]), ("PH-002", ["HS-001"]), ("PH-018", ["HS-002"])]
        assert _threat(model, "PH-001").extra["Hazardous Situation (HS-001)"] == "Attacker opens a patient account"
        assert [(c.id, c.title, c.description) for c in model.controls] == [
            ("REQ-SEC-001", "Password policy after NIST guidance", "password validator module"),
            ("REQ-SEC-005", "TLS 1.3 on every link", "secure network service"),
        ]
        assert [t.controls for t in model.threats] == [["REQ-SEC-001"], [], ["REQ-SEC-005"]]
        assert _threat(model, "PH-018").extra["Test Case"] == "ST-INTG-001"
        assert reconciles(report)


# -- the same analysis ends with its document record: "**Document Control:**" over "- Document ID: …",
# "- Classification: …" bullets, here after a section of threats

_FOOTER = (
    "# Pump analysis\n\n## Threats\n\n| ID | Threat | Mitigation |\n|---|---|---|\n"
    "| T-1 | Spoofed pump on the gateway link | Mutual TLS |\n\n---\n\n**Document Control:**\n"
    "- Document ID: PUMP-PHA-001\n- Classification: Internal\n- Review Cycle: After design changes or annually\n"
)


def test_a_document_control_block_is_no_threats_and_no_controls(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _FOOTER):
        # before: Markdown read the three bullets as threats ("Document ID: PUMP-PHA-001" …: a plain list under
        # "## Threats"), Word as two controls ("control" in the label); both skipped now, said so
        assert [t.title for t in model.threats] == ["Spoofed pump on the gateway link"]
        assert [c.title for c in model.controls] == ["Mutual TLS"]
        assert reconciles(report)


# -- a wellness chatbot's finding written as a mermaid attack tree ("Attacker Goal: …" over "Path 1: …" nodes and a
# "Mitigation: …" node), beside a data-flow diagram of the same service (Markdown only: Word has no fenced diagrams)

_TREES = (
    "# Companion service\n\n## Threats\n\n| ID | Threat | Mitigation |\n|---|---|---|\n"
    "| I-1 | Companion replies disclose another user's session | Session isolation |\n\n"
    "## Data flows\n\n```mermaid\nflowchart LR\n    U[User app] -->|HTTPS| API[Companion API]\n"
    "    API --> DB[(Session store)]\n```\n\n## Findings\n\n```mermaid\ngraph TD\n"
    '    ROOT["I-1: replies disclose sensitive data"] --> A["Attacker Goal: extract prompts or other sessions"]\n'
    '    A --> B["Path 1: System prompt extraction"]\n    A --> C["Path 2: Cross-user persona leakage"]\n'
    '    B --> M["Mitigation: output sanitization"]\n    C --> M\n```\n\n'
    "### Attack Tree: I-2 — Error pages leak infrastructure details\n\n```mermaid\ngraph TD\n"
    '    R["I-2: error pages leak hostnames"] --> S["Malformed input triggers a stack trace"]\n```\n'
)


def test_an_attack_tree_drawn_as_a_flowchart_is_no_components_and_flows(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, _TREES)
    # before: every node of both trees a component ("Path 1: System prompt extraction") and every edge a data flow
    assert sorted(e.name for e in model.elements) == ["Companion API", "Session store", "User app"]
    assert len(model.flows) == 2
    assert [t.id for t in model.threats] == ["I-1"]
    reasons = skipped(report)
    assert sum("attack tree drawn as a flowchart" in r for r in reasons) == 2, reasons
    assert reconciles(report)
