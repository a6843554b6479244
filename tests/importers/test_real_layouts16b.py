"""Layouts of real threat models written by other people (tests/data/markdown-real/SOURCES.md, "round 16b": DREAD
scoring), each as a short paraphrased excerpt in the same shape, read alike in Markdown and in Word
(tests/importers/md_word.py)."""

from __future__ import annotations

from pathlib import Path

from mdptm.model import Model, Threat
from tests.importers.import_helpers import reconciles
from tests.importers.md_word import both as _both


def _threat(model: Model, tid: str) -> Threat:
    return next(t for t in model.threats if t.id == tid)


# -- a mail service's STRIDE tables per category ("| Threat ID | Asset | Boundary | Threat | Impact |"), a "DREAD
# Scoring" table ranked by its total out of 50 ("| Rank | Threat ID | Threat | Damage | … | Total |"), attack trees as
# nested bullets, and "| Threat ID | Named mitigation | ADR or policy | Named code path or doc |"

_MAIL = (
    "# Mail Service Threat Model\n\n## STRIDE Threats\n\n### Spoofing\n\n"
    "| Threat ID | Asset | Boundary | Threat | Impact |\n|---|---|---|---|---|\n"
    "| MAIL-S01 | InboundSignal | MAIL-B01 | A phish passes sender checks and is accepted. | Credential theft. |\n"
    "| MAIL-S03 | SigningKey | MAIL-B05 | A tenant's signing key is compromised. | Domain impersonation. |\n\n"
    "### Denial of Service\n\n"
    "| Threat ID | Asset | Boundary | Threat | Impact |\n|---|---|---|---|---|\n"
    "| MAIL-DOS01 | Inbound queue | MAIL-B01 | A queue flood exhausts the receiver. | Mail delay. |\n\n"
    "## DREAD Scoring\n\n"
    "| Rank | Threat ID | Threat | Damage | Reproducibility | Exploitability | Affected users | Discoverability | Total |\n"
    "|---|---|---|---:|---:|---:|---:|---:|---:|\n"
    "| 1 | MAIL-S03 | Signing key compromised. | 10 | 8 | 7 | 10 | 8 | 43 |\n"
    "| 2 | MAIL-S01 | Sender-check bypass phish accepted. | 9 | 9 | 8 | 8 | 7 | 41 |\n"
    "| 3 | MAIL-DOS01 | Queue flood. | 8 | 9 | 8 | 7 | 3 | 35 |\n\n"
    "## Attack Trees\n\n### Opportunistic Adversary: Inbound Phishing Bypass\n\n"
    "- Goal: deliver a credential phish to a tenant inbox.\n  - Path O1: register a lookalike sender domain.\n"
    "- Required break: the phishing classifier fails to quarantine.\n\n"
    "## Mitigations Currently In Place\n\n"
    "| Threat ID | Named mitigation | ADR or policy | Named code path or doc |\n|---|---|---|---|\n"
    "| MAIL-S01 | Sender result evaluation with an anti-phishing gate. | ADR-0297 | `policy/anti-phishing.cedar` |\n"
    "| MAIL-S03 | Per-tenant signing key custody with rotation and audit. | ADR-0243 | `runbooks/key-rotation.md` |\n"
    "| MAIL-DOS01 | Queue backup and rate limiting. | ADR-0297 | `runbooks/queue-backup.md` |\n"
)


def test_a_dread_total_is_the_risk_score_on_the_scale_of_its_factors(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _MAIL):
        assert [t.id for t in model.threats] == ["MAIL-S01", "MAIL-S03", "MAIL-DOS01"]
        # before: no score (the "Total" column kept in extra only); the factors sum, so the scale is 5 x 10
        s03 = _threat(model, "MAIL-S03")
        assert s03.risk is not None
        assert (s03.risk.score, s03.risk.scale) == (43.0, "1-50 (inferred)")
        assert [getattr(_threat(model, t).risk, "score", None) for t in ("MAIL-S01", "MAIL-DOS01")] == [41.0, 35.0]
        assert s03.extra["Damage"] == "10" and s03.extra["Discoverability"] == "8"  # the factors as written
        assert s03.extra["Rank"] == "1"
        assert reconciles(report)


def test_a_named_mitigation_column_gives_the_threats_controls(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _MAIL):
        # before: the table was skipped ("no threat-model table recognised"): 0 controls
        titles = {t.id: [c.title for c in model.controls if c.id in t.controls] for t in model.threats}
        assert titles == {
            "MAIL-S01": ["Sender result evaluation with an anti-phishing gate."],
            "MAIL-S03": ["Per-tenant signing key custody with rotation and audit."],
            "MAIL-DOS01": ["Queue backup and rate limiting."],
        }
        assert model.controls[0].extra["ADR or policy"] == "ADR-0297"


# -- a hardware peripheral's assessment: a STRIDE table with a severity, a "DREAD Scoring" table averaging the factors
# ("**Score**" 9.2 beside "Priority" 🔴 Critical), and a summary "| Priority | Threat | CWE | Fix |" whose Priority
# numbers the rows 1, 2, 3

_PERIPHERAL = (
    "# Security Assessment: serial link with an AES peripheral\n\n## 3. STRIDE Threat Table\n\n"
    "| # | Category | Threat | Attack Surface | Severity |\n|---|---|---|---|---|\n"
    "| S1 | **Spoofing** | Attacker injects serial frames posing as a trusted sender | rx pin | Medium |\n"
    "| T1 | **Tampering** | Overwrite the key registers to corrupt later ciphertext silently | key registers | High |\n"
    "| I1 | **Information Disclosure** | Read the key registers in plaintext while unlocked | key registers | High |\n\n"
    "## 4. DREAD Scoring\n\nScale: 1 (low) – 10 (high). Score = average of 5 dimensions.\n\n"
    "| Threat | Damage | Reproducibility | Exploitability | Affected Users | Discoverability | **Score** | Priority |\n"
    "|---|---|---|---|---|---|---|---|\n"
    "| T1 – Key overwrite | 9 | 10 | 9 | 10 | 8 | **9.2** | 🔴 Critical |\n"
    "| I1 – Key read-back | 10 | 10 | 9 | 10 | 7 | **9.2** | 🔴 Critical |\n"
    "| S1 – Frame injection | 5 | 7 | 7 | 6 | 8 | **6.6** | 🟡 Medium |\n\n"
    "## 6. Summary: Top-Priority Threats\n\n| Priority | Threat | CWE | Fix |\n|---|---|---|---|\n"
    "| 1 | Key overwrite without auth | CWE-284 | Two-stage authenticated write lock (CM#1) |\n"
    "| 2 | Key readable in plaintext | CWE-312 | Key read-back masking while locked (CM#2) |\n"
    "| 3 | Power side-channel on AES | CWE-1255 | Accepted — out of scope at register level |\n"
)


def test_a_priority_column_numbering_the_rows_is_a_rank_not_a_risk(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _PERIPHERAL):
        t1 = _threat(model, "T1")
        assert t1.risk is not None and (t1.risk.score, t1.risk.level) == (9.2, "critical")
        summary = ("Key overwrite without auth", "Key readable in plaintext", "Power side-channel on AES")
        ranked = [t for t in model.threats if t.title in summary]
        assert len(ranked) == 3
        # before: "1", "2", "3" read as risk scores on a "1-3 (inferred)" scale: the most urgent row rated lowest
        assert [t.risk for t in ranked] == [None, None, None]
        assert [t.extra["Priority"] for t in ranked] == ["1", "2", "3"]
        assert reconciles(report)


# -- a LINDDUN privacy catalogue "| ID | Category | Threat | Likelihood | Impact | Risk | Mitigations | Frameworks |"
# whose non-repudiation row is wanted by the design ("— | — | —", "This is intentional per T-R-01; …")

_LINDDUN = (
    "# Governance Service Threat Model\n\n## LINDDUN Privacy Threat Catalog\n\n"
    "| ID | Category | Threat | Likelihood | Impact | Risk | Mitigations | Frameworks |\n|---|---|---|---|---|---|---|---|\n"
    "| P-L-01 | Linkability | Author identity linked across tenants through findings | L | M | L | "
    "Hashed identity in ordinary views | GDPR Art. 25 |\n"
    "| P-N-01 | Non-repudiation | Authors cannot deny their actions (intended) | — | — | — | "
    "This is intentional per T-R-01; documented for transparency | GDPR Art. 22 |\n"
    "| P-NC-01 | Non-compliance | Per-region retention violated | M | H | H | "
    "Per-region retention overlay; tested at deploy time | HIPAA §164.316 |\n"
)


def test_a_mitigation_saying_the_threat_is_intended_is_no_control(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _LINDDUN):
        assert [t.id for t in model.threats] == ["P-L-01", "P-N-01", "P-NC-01"]
        wanted = _threat(model, "P-N-01")
        # before: "This is intentional …" made control C-2, claimed implemented
        assert wanted.controls == [] and wanted.risk is None
        assert wanted.rationale == "This is intentional per T-R-01; documented for transparency"
        assert [c.title for c in model.controls] == [
            "Hashed identity in ordinary views",
            "Per-region retention overlay; tested at deploy time",
        ]
        assert wanted.extra["LINDDUN category"] == "Non-repudiation"
        assert reconciles(report)


# -- a German security page of a voice-controlled assistant: "## Maßnahmen" over "| # | Bedrohung | Maßnahme | Stand |"
# (threat, measure, ✅), then the residual risks as bullets

_MASSNAHMEN = (
    "# Sicherheit – Sprachsteuerung (v2)\n\n## Schützenswert\n1. Der PC und der Projektordner  2. Sprache und Gespräche\n\n"
    "## Maßnahmen\n\n| # | Bedrohung | Maßnahme | Stand |\n|---|---|---|---|\n"
    "| S1 | Fremde im Netz greifen auf den PC zu | Die App öffnet **keinen Port**; sie verbindet sich selbst | ✅ |\n"
    "| S2 | Sprache verlässt das Haus | Erkennung und Ausgabe lokal; Audio nur im Heimnetz | ✅ |\n"
    "| S3 | Manipulierte Texte im Terminal | Erkannte Texte werden vor der Anzeige bereinigt | ✅ |\n\n"
    "## Bewusst offen / Restrisiken\n- Die Dienste des Roboters sind im Heimnetz **ohne Passwort** erreichbar.\n"
)


def test_a_german_threat_column_left_of_its_measure_gives_threats_under_a_measures_heading(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _MASSNAHMEN):
        # before: 0 threats and 3 controls S1-S3 (the heading "Maßnahmen" made it a table of measures; each
        # threat's text only in a control's extra)
        assert [(t.id, t.title) for t in model.threats] == [
            ("S1", "Fremde im Netz greifen auf den PC zu"),
            ("S2", "Sprache verlässt das Haus"),
            ("S3", "Manipulierte Texte im Terminal"),
        ]
        assert [len(t.controls) for t in model.threats] == [1, 1, 1]
        assert [t.status for t in model.threats] == ["mitigated"] * 3  # "Stand" ✅
        assert model.controls[1].title == "Erkennung und Ausgabe lokal; Audio nur im Heimnetz"
        assert reconciles(report)


# -- Portuguese threat tables: "### Spoofing (falsificação de identidade)" over "| Ameaça | Mitigação |" beside a
# threat-agent table, and "| Ameaça | Controle | Teste |" whose test ids repeat

_AMEACAS = (
    "# Modelo de ameaças\n\n## 2. Agentes de ameaça\n\n| ID | Agente | Motivação | Capacidade |\n|---|---|---|---|\n"
    "| T5 | Fraudador de ranking | Prestígio ou prêmio | Baixa-média; localização falsa |\n"
    "| T7 | Insider | Acesso indevido a dados | Alta; acesso legítimo |\n\n"
    "## 3. Ameaças por categoria (STRIDE resumido)\n\n### Spoofing (falsificação de identidade)\n"
    "| Ameaça | Mitigação |\n|---|---|\n| Roubo de token | Vida curta, rotação, revogação |\n"
    "| Falsificação de webhook | Verificação de assinatura |\n\n"
    "### Tampering (adulteração)\n| Ameaça | Mitigação |\n|---|---|\n| Alteração de payload em trânsito | TLS |\n"
)

_CONTROLE = (
    "# Rede do cliente\n\n## Ameaças e validação\n\n| Ameaça | Controle | Teste |\n|---|---|---|\n"
    "| Cliente tenta acessar outro barco | VLAN, ACL e autenticação individual | SEC-01 |\n"
    "| Roubo de credencial | Menor privilégio e revogação | SEC-04 |\n"
    "| Servidor falso | Verificação de certificado | SEC-04 |\n"
)


def test_portuguese_threat_and_mitigation_columns_are_read(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _AMEACAS):
        # before: exit 2, "no threat-model content found" (no Portuguese header known)
        assert [(t.title, t.stride) for t in model.threats] == [
            ("Roubo de token", ["spoofing"]),
            ("Falsificação de webhook", ["spoofing"]),
            ("Alteração de payload em trânsito", ["tampering"]),
        ]
        assert [c.title for c in model.controls] == ["Vida curta, rotação, revogação", "Verificação de assinatura", "TLS"]
        assert [len(t.controls) for t in model.threats] == [1, 1, 1]
        assert reconciles(report)
    for model, _report in _both(tmp_path, _CONTROLE):
        assert [t.title for t in model.threats] == ["Cliente tenta acessar outro barco", "Roubo de credencial", "Servidor falso"]
        assert [t.extra["Teste"] for t in model.threats] == ["SEC-01", "SEC-04", "SEC-04"]
        assert [len(t.controls) for t in model.threats] == [1, 1, 1]


# -- Chinese threat tables: "| 威胁 | 缓解 | 状态 |" (threat, mitigation, state: accept / safe / mitigated / doc) of a
# backup-encryption design, and "| 威胁 | 现状放大点 | 缓解 |" (threat, what makes it worse today, mitigation)

_HUANJIE = (
    "# 备份加密\n\n### 2.7 Q7 — 威胁模型 + MVP 缓解\n\n| 威胁 | 缓解 | 状态 |\n|------|------|------|\n"
    "| 密钥侧泄露 (env var 可读) | OS-level ACL；chmod 600 | accept |\n"
    "| Nonce 重用（GCM 致命） | crypto/rand 96-bit nonce per file | safe |\n"
    "| 替换攻击（A 换 B 文件名） | AAD=filename | mitigated |\n"
    "| KEK 泄露 → 全部 backup 暴露 | KEK rotation 另立任务；MVP accept | doc |\n"
)

_XIANZHUANG = (
    "# 执行器\n\n## 7. 安全模型\n\n| 威胁 | 现状放大点 | 缓解 |\n| --- | --- | --- |\n"
    "| 任意命令执行（RCE） | `executors.enabled` 默认 false | D1 白名单 + D8 档位 |\n"
    "| shell 元字符注入 | — | D3 不经 shell，无字符串拼接 |\n"
)


def test_chinese_mitigation_and_state_columns_are_read(tmp_path: Path) -> None:
    for model, report in _both(tmp_path, _HUANJIE):
        # before: "缓解" and "状态" kept as written (unsure table): 4 threats, no control, every status open
        assert [len(t.controls) for t in model.threats] == [1, 1, 1, 1]
        assert model.controls[2].title == "AAD=filename"
        # "accept" and "mitigated" are statuses; "safe" and "doc" are not, kept as written, the threat open
        assert [t.status for t in model.threats] == ["accepted", "open", "mitigated", "open"]
        assert [t.extra.get("状态") for t in model.threats] == [None, "safe", None, "doc"]
        assert reconciles(report)
    for model, _report in _both(tmp_path, _XIANZHUANG):
        # before: exit 2, "no threat-model content found"
        assert [t.title for t in model.threats] == ["任意命令执行（RCE）", "shell 元字符注入"]
        assert [c.title for c in model.controls] == ["D1 白名单 + D8 档位", "D3 不经 shell，无字符串拼接"]
        assert model.threats[0].extra["现状放大点"] == "executors.enabled 默认 false"
