"""A public catalogue of attack techniques (MITRE ATT&CK, Microsoft's Threat Matrix for Kubernetes) is no product's
threat model: its rows never become threats. A register of the product's own threats that cites catalogue ids
beside what it does about them still imports whole. Rows paraphrased from the files recorded in
tests/data/registers-real/SOURCES.md, "Round 15 (catalogues)"."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.errors import InputError
from mdptm.pipeline.importing import ImportSource, import_sources
from tests.importers.import_helpers import checked_import, skipped, warning_messages, workbook

# Microsoft's matrix mapped onto the generic parts of a cluster (threat-matrix-score): ids MS-TA9xxx, a tactics column
_K8S = [
    ["threat_id", "name", "tactics", "primary_component", "applicable"],
    ["MS-TA9001", "Cloud credentials used", "InitialAccess", "kube-apiserver", "true"],
    ["MS-TA9002", "Tainted image in the registry", "InitialAccess", "container registry", "true"],
    ["MS-TA9013", "Writable host path mounted", "Persistence;PrivilegeEscalation", "worker node", "true"],
    ["MS-TA9025", "Cluster secrets listed", "CredentialAccess", "etcd", "true"],
]


def _csv(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_a_kubernetes_threat_matrix_is_refused_naming_the_table(tmp_path: Path) -> None:
    # before: 4 threats on 4 components ("kube-apiserver", "etcd" …), nothing said
    with pytest.raises(InputError, match=r"threats\.csv.*A1: Microsoft Threat Matrix for Kubernetes catalogue"):
        import_sources([ImportSource(_csv(tmp_path / "threats.csv", _K8S))])


def test_a_kubernetes_matrix_sheet_beside_a_register_is_skipped(tmp_path: Path) -> None:
    register = [["ID", "Threat", "Component", "Mitigation"], ["T-1", "Pump firmware replaced over USB", "Pump", "Signed images"]]
    book = workbook(tmp_path / "model.xlsx", {"Matrix": _K8S, "Register": register})
    model, report = checked_import(book)
    assert [t.id for t in model.threats] == ["T-1"]
    assert "kube-apiserver" not in {e.name for e in model.elements}
    said = [s for s in skipped(report) if "Threat Matrix for Kubernetes catalogue" in s]
    assert said and all(s.startswith("Matrix!") for s in said)


# ATT&CK technique rows in the catalogue's own words ("Adversaries may …"): an extract of the catalogue
_ATTACK = (
    "technique_id,name,tactic,description\n"
    "T1055,Process Injection,Defense Evasion,Adversaries may inject code into live processes to hide.\n"
    "T1059.001,PowerShell,Execution,Adversaries may abuse PowerShell to run commands.\n"
    "T1547.001,Run Keys / Startup Folder,Persistence,Adversaries may add a program to a startup folder.\n"
)


def test_an_attack_extract_in_the_catalogues_words_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "attack.csv"
    path.write_text(_ATTACK, encoding="utf-8")
    # before: one threat titled "attack" whose description is the three techniques
    with pytest.raises(InputError, match=r"attack\.csv.*A2: MITRE ATT&CK technique of a catalogue extract"):
        import_sources([ImportSource(path)])


_REPORT = """# Outbound connection investigation

Sysmon event 3 was reviewed on the workstation.

## Destination check

| Host | Verdict |
|---|---|
| updates.example.org | benign |

## MITRE ATT&CK Mapping

| Technique ID | Technique | Tactic |
|---|---|---|
| T1071 | Application Layer Protocol | Command and Control |
| T1105 | Ingress Tool Transfer | Command and Control |
| T1041 | Exfiltration Over C2 Channel | Exfiltration |
"""


def test_an_attack_mapping_named_by_its_heading_is_no_threat(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text(_REPORT, encoding="utf-8")
    # before: one threat titled "MITRE ATT&CK Mapping"
    with pytest.raises(InputError, match="catalogue extract \\(named so by 'MITRE ATT&CK Mapping'\\)"):
        import_sources([ImportSource(path)])
    register = "# Pump threats\n\n| ID | Threat | Mitigation |\n|---|---|---|\n| T-1 | Bolus command replayed | Nonce |\n\n"
    path.write_text(register + _REPORT.split("## MITRE", 1)[0] + "## MITRE" + _REPORT.split("## MITRE", 1)[1], encoding="utf-8")
    model, report = checked_import(path)
    assert [t.title for t in model.threats] == ["Bolus command replayed"]
    assert any("catalogue extract" in w and "MITRE ATT&CK Mapping" in w for w in warning_messages(report))
    assert len([s for s in skipped(report) if "catalogue extract" in s]) == 3


# -- guards: the product's own registers citing catalogue ids keep importing


def test_a_register_keyed_by_catalogue_like_ids_imports_whole(tmp_path: Path) -> None:
    rows = [
        ["Threat ID", "Threat", "Component", "Mitigation", "Status"],
        ["T0001", "Attacker replays BLE pairing", "BLE radio", "Pairing nonce", "Implemented"],
        ["T0002", "Firmware tampered in transit", "Update service", "Signed images", "Implemented"],
        ["T0003", "Clinician session hijacked", "Tablet app", "Session timeout", "Planned"],
    ]
    model, _ = checked_import(_csv(tmp_path / "register.csv", rows))
    assert [t.id for t in model.threats] == ["T0001", "T0002", "T0003"]
    assert len(model.controls) == 3


def test_a_register_citing_attack_and_capec_ids_imports_whole(tmp_path: Path) -> None:
    vectors = (
        "# Ledger threat model\n\n## Attack vectors and mitigations\n\n| Vector | ATT&CK | Mitigation |\n|---|---|---|\n"
        "| Clock spoofed | T1070.006 | Monotonic rollback rejection |\n| Chain forked | T1565.002 | Signed chain |\n"
        "| API flooded | T1499 | Rate limiting |\n"
    )
    path = tmp_path / "ledger.md"
    path.write_text(vectors, encoding="utf-8")
    model, _ = checked_import(path)
    assert len(model.threats) == 3 and len(model.controls) == 3
    capec = "# Pump threats\n\n| ID | Threat | CAPEC |\n|---|---|---|\n| T-01 | Attacker replays BLE pairing | CAPEC-94 |\n"
    capec += "| T-02 | Attacker tampers the firmware update | CAPEC-186 |\n| T-03 | Attacker floods the library sync | CAPEC-125 |\n"
    path.write_text(capec, encoding="utf-8")
    model, _ = checked_import(path)
    assert [t.id for t in model.threats] == ["T-01", "T-02", "T-03"]


def test_an_attack_mapping_saying_what_the_product_does_is_not_refused(tmp_path: Path) -> None:
    # "Presence in the project | Control" written for the product: not a bare extract; each row a threat of the
    # product with its measure (round 16; it read as one threat, the techniques its description)
    text = (
        "# Service threat model\n\n### Mapping MITRE ATT&CK (selection)\n\n"
        "| Technique ID | Technique | Tactic | Présence dans le projet | Contrôle |\n|---|---|---|---|---|\n"
        "| T1078.003 | Cloud Accounts | Initial Access | JWT auth | Expiry and rotation |\n"
        "| T1190 | Exploit Public-Facing Application | Initial Access | API endpoints | Schema validation |\n"
    )
    path = tmp_path / "service.md"
    path.write_text(text, encoding="utf-8")
    model, report = checked_import(path)
    assert [t.title for t in model.threats] == ["Cloud Accounts", "Exploit Public-Facing Application"]
    assert [t.extra.get("Technique ID") for t in model.threats] == ["T1078.003", "T1190"]
    assert len(model.controls) == 2
    assert any("each row read as a threat of the product" in w for w in warning_messages(report))


# -- the catalogues as MITRE exports them: CAPEC's and CWE's own columns, with their generic likelihood and mitigations

_CAPEC = (
    "'ID,Name,Abstraction,Status,Description,Likelihood Of Attack,Typical Severity,Related Attack Patterns,"
    "Mitigations,Related Weaknesses,Taxonomy Mappings\n"
    "1,Functionality not constrained by ACLs,Standard,Draft,Functions reachable without an ACL check.,High,High,"
    "::ChildOf:122::,Enforce least privilege.,::285::,\n"
    "10,Overflow through environment variables,Detailed,Draft,A buffer overflowed from an environment variable.,High,"
    "High,::ChildOf:100::,Keep environment variables from users.,::120::,\n"
    "100,Buffers overflowed,Standard,Draft,Missing bounds checks exploited.,High,Very High,::ChildOf:123::,"
    "Check bounds automatically.,::119::,\n"
)
_CWE = (
    "CWE-ID,Name,Weakness Abstraction,Status,Description,Related Weaknesses,Modes Of Introduction,"
    "Likelihood of Exploit,Potential Mitigations,Observed Examples\n"
    "79,Input not neutralised in a web page,Base,Stable,Input placed in a page unescaped.,::74::,,High,Escape output.,\n"
    "22,Pathname not limited,Base,Stable,External input builds a path.,::706::,,High,Canonicalise paths.,\n"
    "89,SQL command built from input,Base,Stable,Input joined into SQL.,::943::,,High,Use prepared statements.,\n"
)


@pytest.mark.parametrize(("name", "text", "catalogue"), [("capec.csv", _CAPEC, "CAPEC"), ("cwe.csv", _CWE, "CWE")])
def test_a_catalogue_as_mitre_exports_it_is_refused(tmp_path: Path, name: str, text: str, catalogue: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    # before: 3 threats with 3 controls made of the catalogue's generic mitigations
    with pytest.raises(InputError, match=rf"{name}.*A1: {catalogue} catalogue"):
        import_sources([ImportSource(path)])


def test_the_refusal_names_the_catalogue_table_not_a_neighbouring_row(tmp_path: Path) -> None:
    text = (
        "Malware report\n\n## Overview\n\n| Field | Details |\n|---|---|\n| Victim Host | 10.0.0.5 |\n\n"
        "## MITRE ATT&CK Mapping\n\n| Technique ID | Technique | Tactic |\n|---|---|---|\n"
        "| T1059.001 | PowerShell | Execution |\n| T1041 | Exfiltration Over C2 Channel | Exfiltration |\n"
        "| T1189 | Drive-by Compromise | Initial Access |\n"
    )
    path = tmp_path / "report.md"
    path.write_text(text, encoding="utf-8")
    # before this: "e.g. table 1 …: key/value row with no model field ('Victim Host')"
    with pytest.raises(InputError, match=r"report\.md.*e\.g\. table 2 .*catalogue extract"):
        import_sources([ImportSource(path)])


def test_a_register_keyed_t0001_with_a_tactic_column_keeps_its_threats(tmp_path: Path) -> None:
    # "T0001" is no ATT&CK technique (T1001 …, ICS T0800 …): a register's own key, not the steps of one scenario
    rows = [
        ["Threat ID", "Threat", "Tactic", "Component"],
        ["T0001", "Attacker replays BLE pairing", "Initial Access", "BLE radio"],
        ["T0002", "Firmware tampered in transit", "Persistence", "Update service"],
        ["T0003", "Clinician session hijacked", "Credential Access", "Tablet app"],
    ]
    model, _ = checked_import(_csv(tmp_path / "register.csv", rows))
    # before: one threat titled "register", the three rows its description
    assert [t.id for t in model.threats] == ["T0001", "T0002", "T0003"]
    assert len(model.elements) == 3
