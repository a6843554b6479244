"""Markdown threat models: the layouts people write, real documents with hand-counted truth, and fuzzing.

Real files come from ../shared/corpus/markdown-real (skipped where absent) and tests/data/markdown-real
(licensed copies, see its SOURCES.md). Every count below was counted by hand in the document.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mdptm.errors import InputError
from mdptm.importers.doors import MarkdownDoor
from mdptm.importers.markdown import MarkdownImporter
from mdptm.importers.mermaid import parse_flowchart
from mdptm.model.report import ImportReport
from mdptm.model.validate import validate_model
from mdptm.pipeline.importing import ImporterFailure, ImportSource, import_sources
from mdptm.plugins import importers
from tests.conftest import CORPUS
from tests.importers.import_helpers import checked_import as load
from tests.importers.import_helpers import load_text, reconciles, skipped

DATA = Path(__file__).resolve().parent.parent / "data" / "markdown-real"
SHARED_MD = CORPUS / "markdown-real"


def warnings(report: ImportReport) -> list[str]:
    return [f"{w.locator}: {w.message}" for w in report.warnings]


def shared(name: str) -> Path:
    path = SHARED_MD / name
    if not path.is_file():
        pytest.skip("../shared/corpus/markdown-real is not beside this checkout")
    return path


# ----------------------------------------------------------------------------- registration


def test_registered_through_the_entry_point_door() -> None:
    imp = importers()["markdown"]
    # The door sniffs without importing the reader; the reader is the door with ``load``.
    assert isinstance(imp, MarkdownDoor) and issubclass(MarkdownImporter, MarkdownDoor)
    assert imp.sniff(Path("x.md"), b"# T") > 0 and imp.sniff(Path("x.markdown"), b"") > 0
    assert imp.sniff(Path("x.txt"), b"# T") == 0


# ----------------------------------------------------------------------------- real documents (shared corpus)


def test_exposure_notifications(corpus: Path) -> None:
    model, report = load(shared("exposure-notifications-risks-and-mitigations.md"))
    # 12 threats: the category-level concern of "Disruption" (whose threats follow as sub-headings) and the
    # concern under "Additional considerations" of "Relaying RPIs" are reported, not counted.
    assert len(model.threats) == 12
    titles = [t.title for t in model.threats]
    assert titles[0] == "RPI Spoofing using reported diagnosis keys"
    assert "Learning social interactions" in titles  # a "##" category holding its own Concern/Mitigations
    assert titles[-1] == "Linking diagnosis keys through export file analysis"
    assert "Disruption" not in titles and "Feedback" not in titles
    assert not any("Cuckoo" in t or "Split key" in t or "Decentralized" in t for t in titles)
    # One control per mitigation block, each linked to its threat (the truth counts 12 blocks). The two blocks that
    # open by arguing the risk is acceptable ("We acknowledge that … but we note that", "The incremental risk …
    # should be considered small because") go on to list measures (MAC addresses rotate every 15 minutes, Play's
    # review removes malware): controls too, each with a warning.
    assert len(model.controls) == 12
    assert all(len(t.controls) == 1 for t in model.threats)
    argued = [w.message for w in report.warnings if "opens by arguing that the risk is acceptable" in w.message]
    assert len(argued) == 2
    notes = skipped(report)
    assert any("Disruption" in s and "introduces the threats" in s for s in notes)
    assert any("'Concern' under 'Additional considerations'" in s for s in notes)
    assert any("Feedback" in s for s in notes) and any("design decisions" in s for s in notes)
    assert not model.elements and not model.flows and not model.assets


def test_kubernetes_admission_control(corpus: Path) -> None:
    model, report = load(shared("kubernetes-admission-control-threat-model.md"))
    assert len(model.threats) == 18  # Threat 18 is a "###" heading among "####" ones
    assert len(model.controls) == 10  # the YAML appendix repeats them: it is reported, not read
    by_id = {t.id: t for t in model.threats}
    assert by_id["T-1"].title == "Attacker floods webhook with traffic preventing its operations"
    assert by_id["T-18"].title.startswith("Attacker uses policies to send confidential data")
    assert by_id["T-2"].controls == ["M-2", "M-3"]
    assert by_id["T-6"].controls == [] and by_id["T-17"].controls == []  # "**N/A**" is no control
    assert {c.id for c in model.controls} == {f"M-{n}" for n in range(1, 11)}
    assert next(c for c in model.controls if c.id == "M-2").title == "Webhook fails closed"
    assert "Impact:" in by_id["T-1"].description
    w = warnings(report)
    assert any("M-6 lists T-9" in m for m in w)  # the back link the threat does not confirm
    assert any("T-10 names M-6" in m for m in w)
    assert "M-6" not in by_id["T-9"].controls  # reported, not guessed
    assert any("code block" in s and "repeats" in s for s in skipped(report))


def test_uptane_stride(corpus: Path) -> None:
    model, report = load(shared("uptane-stride.md"))
    assert len(model.threats) == 198
    assert len(model.controls) == 198
    assert len(model.assets) == 31
    first = model.threats[0]
    assert first.stride == ["spoofing"] and first.assets == ["A-1"]
    assert first.description.startswith("An attacker might attempt to spoof the identity")
    assert all(len(t.stride) == 1 and len(t.controls) == 1 and len(t.assets) == 1 for t in model.threats)
    names = {a.name for a in model.assets}
    assert {"Firmware and Software Images", "Time Servers", "Targets Metadata"} <= names
    # "Asset 23: Time Servers" analyses Asset 28 again: its six threats join that asset.
    time_servers = next(a.id for a in model.assets if a.name == "Time Servers")
    assert sum(1 for t in model.threats if t.assets == [time_servers]) == 12
    assert any("asset number 23 already names another asset" in m for m in warnings(report))
    assert any("line 4" in s and "bold terms" in s for s in skipped(report))  # the STRIDE definition list


def test_azure_iot_security_architecture(corpus: Path) -> None:
    model, report = load(shared("azure-iot-security-architecture.md"))
    assert len(model.threats) == 15
    assert len(model.elements) == 9
    assert len(model.trust_zones) == 4
    assert len(model.flows) == 5
    flows = {t.id for t in model.flows}
    on_flows = [t for t in model.threats if set(t.targets) & flows]
    assert len(on_flows) == 5
    names = {e.id: e.name for e in model.elements}
    on_stores = [
        t for t in model.threats if any(names.get(x, "").endswith(("storage", "OS image", "(queuing the data)")) for x in t.targets)
    ]
    assert len(on_stores) == 4
    assert {"Device", "Field Gateway", "IoT Hub", "External Entity", "Cloud Gateway"} <= set(names.values())
    ends = {(names[f.source], names[f.target]) for f in model.flows}
    assert ("Device", "IoT Hub") in ends and ("Field Gateway", "Cloud Gateway") in ends
    stride = [t.stride for t in model.threats[:3]]
    assert stride == [["spoofing"], ["tampering", "repudiation", "information_disclosure", "denial_of_service"], ["elevation_of_privilege"]]
    assert not any(t.title.startswith("Threat T-") for t in model.threats)
    assert any("front matter" in m for m in warnings(report))


# ----------------------------------------------------------------------------- real documents kept in tests/data

REAL = [
    # (file, threats, controls, assets, elements, flows, trust zones) — counted by hand, see SOURCES.md
    ("dragonfly-threat-model.md", 7, 7, 0, 0, 0, 0),
    ("notary-threatmodel.md", 0, 0, 0, 0, 0, 0),
    ("karmada-threatmodeling.md", 9, 9, 0, 0, 0, 0),
    ("tikv-threat-model.md", 59, 0, 0, 11, 0, 0),
    ("nats-threat-modeling.md", 6, 6, 0, 0, 0, 0),
    # one countermeasure per mitigation bullet (21 in 6 lists), as in Word; the 4 attack surfaces are interfaces
    ("guardon-threat-model.md", 16, 21, 7, 4, 0, 0),
    # "Defenses" are its 6 controls, the 4 attack surfaces interfaces; its 3 residual risks are no threat records
    ("esp32-homekit-threat-model.md", 0, 6, 4, 4, 0, 0),
]


@pytest.mark.parametrize(("name", "threats", "controls", "assets", "elements", "flows", "zones"), REAL)
def test_real_markdown_in_tests_data(name: str, threats: int, controls: int, assets: int, elements: int, flows: int, zones: int) -> None:
    model, _report = load(DATA / name)
    got = (len(model.threats), len(model.controls), len(model.assets), len(model.elements), len(model.flows), len(model.trust_zones))
    assert got == (threats, controls, assets, elements, flows, zones)


def test_dragonfly_plain_labels_and_a_reused_threat_id() -> None:
    model, report = load(DATA / "dragonfly-threat-model.md")
    by_id = {t.id: t for t in model.threats}
    # "Threat ID 4" is written twice, for two different threats: both kept, the second renamed and reported.
    assert by_id["T-4"].title == "Attacker uploads malicious files to the origin"
    assert by_id["T-4-2"].title == "Attacker hijacks communication between the manager and the scheduler"
    assert any("T-4 is used again" in m for m in warnings(report))
    # "Scenario", "Impact", "Mitigation", "Recommendations" alone on their lines are labels.
    assert by_id["T-1"].description.startswith("An attacker gets access to valid credentials")
    assert "Impact:" in by_id["T-1"].description
    control = next(c for c in model.controls if c.id == by_id["T-1"].controls[0])
    assert "Personal access tokens" in control.description and "Issue personal access tokens" in control.description


def test_karmada_threat_headings_with_sibling_mitigation_headings() -> None:
    model, _report = load(DATA / "karmada-threatmodeling.md")
    by_id = {t.id: t for t in model.threats}
    assert list(by_id) == ["T-01-S", "T-02-S", "T-03-T", "T-04-T", "T-05-R", "T-06-I", "T-07-D", "T-08-E", "T-09-E"]
    assert by_id["T-01-S"].title == "Spoofing of Karmada Admin" and by_id["T-01-S"].stride == ["spoofing"]
    assert by_id["T-09-E"].stride == ["elevation_of_privilege"]
    assert not any("Recommended" in t.title for t in model.threats)  # mitigation headings are no threats
    control = next(c for c in model.controls if c.id == by_id["T-09-E"].controls[0])
    assert "Limit who can create pods" in control.description  # a "#####" heading under the threat


def test_tikv_stride_by_component_matrix() -> None:
    model, report = load(DATA / "tikv-threat-model.md")
    names = {e.id: e.name for e in model.elements}
    first = model.threats[0]
    assert first.stride == ["spoofing"] and [names[x] for x in first.targets] == ["Access Controls"]
    assert first.description.startswith("Attackers could impersonate authorized users")
    per_stride = {
        s: sum(1 for t in model.threats if t.stride == [s])
        for s in ("spoofing", "tampering", "repudiation", "information_disclosure", "denial_of_service", "elevation_of_privilege")
    }
    assert per_stride == {
        "spoofing": 9,
        "tampering": 11,
        "repudiation": 11,
        "information_disclosure": 9,
        "denial_of_service": 9,
        "elevation_of_privilege": 10,
    }
    assert sum("empty cell" in s for s in skipped(report)) == 7


def test_a_register_whose_rows_start_with_a_category_is_no_matrix(tmp_path: Path) -> None:
    rows = "".join(
        f"| {c} | Threat {n} on the pump | Fix {n} |\n"
        for n, c in enumerate(["Spoofing", "Tampering", "Repudiation", "Information disclosure"], start=1)
    )
    model, _report = load_text(tmp_path, "# TM\n\n| STRIDE | Threat | Mitigation |\n|---|---|---|\n" + rows)
    assert [t.title for t in model.threats] == [f"Threat {n} on the pump" for n in range(1, 5)]
    assert not model.elements


def test_nats_numbered_stride_headings_with_labelled_bullets() -> None:
    model, report = load(DATA / "nats-threat-modeling.md")
    assert [t.stride for t in model.threats] == [
        ["spoofing"],
        ["tampering"],
        ["repudiation"],
        ["information_disclosure"],
        ["denial_of_service"],
        ["elevation_of_privilege"],
    ]  # "5. Denial of Service (DoS)" too
    assert model.threats[0].title == "Unauthorized entities impersonating legitimate users or services"
    assert "GHSA-6h3m-36w8-hv68" in model.threats[1].extra["Case 1"]  # "**Case 1:**" kept aside, not in the text
    assert "Case" not in model.threats[1].description
    assert not any("Damage" in t.title or "Assessment" in t.description for t in model.threats)  # DREAD is no threat
    assert any("Additional Concerns" in s for s in skipped(report))


def test_guardon_risks_and_mitigations_labels_under_stride_headings() -> None:
    model, report = load(DATA / "guardon-threat-model.md")
    per_stride = [t.stride[0] for t in model.threats]
    assert per_stride.count("spoofing") == 3 and per_stride.count("elevation_of_privilege") == 2
    assert model.threats[0].title == "Impersonation of rule sources"
    spoofing = [c for c in model.controls if c.id in model.threats[0].controls]
    # the four bullets under "Mitigations:" are four countermeasures, each linked to the section's three risks
    assert [c.title for c in spoofing] == ["Signed releases", "No remote rule fetching", "CSP restricting script injection",
                                           "User-controlled rule import only"]  # fmt: skip
    assert all(t.controls == model.threats[0].controls for t in model.threats[:3])
    assert any("its 3 threat(s) and 4 countermeasure(s) are linked as a group" in m for m in warnings(report))
    assert [e.name for e in model.elements if "interface" in e.tags] == [
        "Browser DOM", "Local rule storage", "YAML parser", "Extension update mechanism"]  # fmt: skip
    assert model.assets[0].name == "Kubernetes YAML documents"
    assert len(model.out_of_scope) == 6 and model.out_of_scope[0].text == "Kubernetes runtime attacks"
    assert model.document.version == "v1.0" and model.document.title == "Guardon — Threat Model (STRIDE-Based)"
    assert not any(t.title == "Malicious developer" for t in model.threats)  # the adversaries list is no threat


def test_notary_attacker_capabilities_are_not_threats() -> None:
    model, report = load(DATA / "notary-threatmodel.md")
    assert model.threats == [] and model.controls == []
    assert len(model.out_of_scope) == 2 and model.out_of_scope[0].text.startswith("Denial of Service (DoS) attacks")
    assert sum("not read as threats" in m for m in warnings(report)) == 2  # the two unlabelled lists, named


# ----------------------------------------------------------------------------- synthetic layouts

HEADING_BLOCKS = """\
# Pump threat model

## Threats

### T-01 Spoofed pump server

**Concern**: An attacker impersonates the pump server.

**Impact**: Wrong drug library.

**Mitigation**: Mutual TLS with pinned certificates.

### T-02: Tampered firmware

- **STRIDE:** Tampering
- **Scenario:** Firmware is modified in transit.
- **Mitigation:** N/A

#### Threat ID 3 - Log deletion

**Scenario**

Logs are deleted by a local user.

**Mitigation**

- [Mitigation ID 1 - Append-only logs](#mitigation-id-1)

### Mitigations

#### Mitigation ID 1 - Append-only logs

**Description**

Logs are written append-only.

**Mitigated Threats**

- [Threat ID 3 - Log deletion](#threat-id-3)
"""


def test_heading_blocks_with_bold_label_and_bullet_fields(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, HEADING_BLOCKS)
    by_id = {t.id: t for t in model.threats}
    assert set(by_id) == {"T-01", "T-02", "T-3"}
    assert by_id["T-01"].title == "Spoofed pump server"
    assert by_id["T-01"].description.startswith("An attacker impersonates")
    assert "Impact: Wrong drug library." in by_id["T-01"].description
    assert by_id["T-02"].stride == ["tampering"]
    assert by_id["T-02"].controls == []  # "N/A" is not a control
    assert by_id["T-3"].controls == ["M-1"]
    controls = {c.id: c for c in model.controls}
    assert controls["M-1"].title == "Append-only logs"
    made = [c for c in model.controls if c.id != "M-1"]
    assert len(made) == 1 and made[0].description == "Mutual TLS with pinned certificates."
    assert by_id["T-01"].controls == [made[0].id]


STRIDE_BULLETS = """\
# E-commerce threat model

## Spoofing

- Attacker reuses a stolen session cookie.
  - **Mitigation:** Rotate session ids on login.
- Credential stuffing against the login form.

## Tampering threats

- Price parameter changed in the checkout request.

## What is STRIDE

- **Spoofing**: pretending to be someone else
- **Tampering**: changing data
"""


def test_bullets_under_stride_headings(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, STRIDE_BULLETS)
    assert [t.title for t in model.threats] == [
        "Attacker reuses a stolen session cookie",
        "Credential stuffing against the login form",
        "Price parameter changed in the checkout request",
    ]
    assert [t.stride for t in model.threats] == [["spoofing"], ["spoofing"], ["tampering"]]
    assert len(model.controls) == 1 and model.threats[0].controls == [model.controls[0].id]
    assert any("What is STRIDE" in s for s in skipped(report))


ASSET_STRIDE = """\
# STRIDE analysis

STRIDE stands for:
- **S**poofing
- **T**ampering

### Asset 1: Update server

1. **Spoofing Identity**
   - **Threat:** A fake update server.
   - **Mitigation:** TLS with pinned keys.
2. **Denial of Service**
   - **Threat:** Flooding the server.
   - **Mitigation:** Rate limiting.

### Asset 2: Logs

1. **Repudiation**
   - **Threat:** Logs are denied.
   - **Mitigation:** Signed logs.

### Asset 7: Update server

1. **Tampering**
   - **Threat:** Images altered on the server.
   - **Mitigation:** Signed images.
"""


def test_numbered_stride_lists_with_nested_threat_bullets_under_assets(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, ASSET_STRIDE)
    assert len(model.threats) == 4 and len(model.controls) == 4
    assert [a.name for a in model.assets] == ["Update server", "Logs"]
    assert [t.stride for t in model.threats] == [["spoofing"], ["denial_of_service"], ["repudiation"], ["tampering"]]
    server = model.assets[0].id
    assert [t.assets for t in model.threats] == [[server], [server], [model.assets[1].id], [server]]
    assert any("analysed again" in m for m in warnings(report))


STRIDE_SECTIONS = """\
# App threat model

## STRIDE

### Spoofing
- Can tokens be forged?
- Is authentication strong enough?

### Information Disclosure
- cross-tenant evidence leakage
- internal metadata leakage to public verify

**Mitigations**
- payload minimization
- tenant scoping

### Repudiation
- [ ] **Threat**: User denies login action
  - **Mitigation**: Log all authentication events with timestamp
  - **Priority**: Medium

### Elevation of Privilege

#### E-1: Custom email permission bypasses normal invoice authorization

**Scenario:** `email_invoice` is mistakenly treated as authority to email any invoice.

**Controls:**

- `email_invoice`, `view_invoice`, and customer access are all required.

**Evidence:**

- permission-isolation integration tests.
"""


def test_stride_sections_questions_shared_mitigations_task_boxes_and_written_ids(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, STRIDE_SECTIONS)
    titles = [t.title for t in model.threats]
    assert titles == [
        "cross-tenant evidence leakage",
        "internal metadata leakage to public verify",
        "User denies login action",
        "Custom email permission bypasses normal invoice authorization",
    ]
    assert not any("?" in t for t in titles)  # checklist questions are not threats
    assert sum("a question" in s for s in skipped(report)) == 2
    t1, t2, t3, e1 = model.threats
    assert t1.controls == t2.controls and len(t1.controls) == 2  # one countermeasure per bullet, shared by the section
    assert [c.title for c in model.controls if c.id in t1.controls] == ["payload minimization", "tenant scoping"]
    assert t3.stride == ["repudiation"] and t3.risk is not None and t3.risk.level == "medium"
    assert len(t3.controls) == 1
    assert e1.id == "E-1" and e1.stride == ["elevation_of_privilege"]
    assert "permission-isolation" in e1.extra["Evidence"]  # an unknown label is kept, not merged into controls
    assert len(model.controls) == 4


NAMED_BLOCKS = """\
# TM

## Assets

### Asset: Drug library

#### Threat: Library replaced by an attacker

**Description:** A rogue library is pushed to the pump.

**Mitigation:** Signed libraries.

### Mitigation: Signed libraries

Libraries are signed by the vendor.

## Threats

- **Threat Scenario:** Replay of commands.
  **Mitigation:** Nonces.
"""


def test_headings_without_ids_labels_on_one_line_and_mitigations_naming_a_control(tmp_path: Path) -> None:
    model, _report = load_text(tmp_path, NAMED_BLOCKS)
    assert [t.title for t in model.threats] == ["Library replaced by an attacker", "Replay of commands"]
    assert "Threats" not in [t.title for t in model.threats]  # a generic heading is never a threat's title
    library, replay = model.threats
    assert library.assets == [model.assets[0].id] and model.assets[0].name == "Drug library"
    signed = next(c for c in model.controls if c.title == "Signed libraries")
    assert library.controls == [signed.id]  # the mitigation names the control under its own heading
    assert len(model.controls) == 2
    assert replay.description == "Replay of commands." and "Nonces" not in replay.description
    assert next(c for c in model.controls if c.id == replay.controls[0]).title == "Nonces"


PIPE_TABLES = """\
---
title: include file
---

# Gateway

## Processes

| Component | Threat | Mitigation | Risk | Implementation |
| --- | --- | --- | --- | --- |
| Pump | S | Device certificates | An attacker replaces the pump with another device. | X.509 |
|| T | Signed firmware | Firmware is replaced by an attacker on the pump. | Secure boot |
| Gateway | E | Least privilege | | |

## Communication

| Component | Threat | Mitigation | Risk | Implementation |
| --- | --- | --- | --- | --- |
| Pump Gateway | TID | TLS | Traffic between pump and gateway is read or changed. | TLS 1.2 |

## Threat register

| ID | Threat | STRIDE | Affected component | Mitigation |
|----|--------|--------|--------------------|------------|
| TR-1 | Replay of infusion commands | Tampering | Gateway | Nonces |
|    |        |        |                    |            |
"""


def test_pipe_tables_read_like_word_tables(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, PIPE_TABLES)
    titles = [t.title for t in model.threats]
    assert len(model.threats) == 5
    assert "Elevation of privilege of Gateway" in titles  # a row with a letter and a component only
    assert "Replay of infusion commands" in titles
    names = {e.id: e.name for e in model.elements}
    assert sorted(names.values()) == ["Gateway", "Pump"]
    assert len(model.flows) == 1
    flow = model.flows[0]
    assert (names[flow.source], names[flow.target]) == ("Pump", "Gateway")
    second = model.threats[1]  # the continuation row (empty first cell) is about the pump
    assert second.targets == [k for k, v in names.items() if v == "Pump"] and second.stride == ["tampering"]
    assert any("front matter" in m for m in warnings(report))


MERMAID = """\
# Data flows

```mermaid
flowchart LR
  subgraph hospital [Hospital network]
    pump[Infusion pump] -->|HL7| gw[(Gateway DB)]
  end
  subgraph cloud [Vendor cloud]
    svc(Update service)
  end
  svc -- firmware --> pump
  gw <--> svc
  classDef red fill:#f00
  this is not mermaid
```

```mermaid
sequenceDiagram
  A->>B: hi
```
"""


def test_mermaid_flowchart_gives_elements_flows_and_zones(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, MERMAID)
    assert sorted(z.name for z in model.trust_zones) == ["Hospital network", "Vendor cloud"]
    elements = {e.name: e for e in model.elements}
    assert set(elements) == {"Infusion pump", "Gateway DB", "Update service"}
    assert elements["Gateway DB"].kind == "data_store"
    zones = {z.id: z.name for z in model.trust_zones}
    assert zones[elements["Infusion pump"].trust_zone or ""] == "Hospital network"
    assert len(model.flows) == 3
    assert sum(f.bidirectional for f in model.flows) == 1
    assert any("not understood" in s for s in skipped(report))
    assert any("sequenceDiagram" not in s and "mermaid" in s and "code block" in s for s in skipped(report))


def test_mermaid_parser_edges() -> None:
    d = parse_flowchart("graph TD\nA & B --> C\nC -.-> D[Done]\nD == yes ==> E", 0)
    assert [(a, b) for a, b, *_ in d.edges] == [("A", "C"), ("B", "C"), ("C", "D"), ("D", "E")]
    assert d.edges[-1][2] == "yes" and d.nodes["D"].label == "Done" and not d.unread


PROSE_ONLY = """\
# Design notes

We considered threats such as spoofing and tampering.

**Concern**: this document is long.

## Key design decisions

1. **Decentralised**: no server holds contacts.

Term
: A definition list entry.
"""


def test_prose_definitions_and_design_decisions_are_not_records(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(PROSE_ONLY.replace("**Concern**: this document is long.\n", ""), encoding="utf-8")
    with pytest.raises(InputError, match="no threat-model content"):
        import_sources([ImportSource(path)])


def test_views_from_headings(tmp_path: Path) -> None:
    text = (
        "# TM\n\n## Global System View\n\nThe pump talks to the gateway.\n\n- Pump boots\n\n"
        "### T-1 Fake gateway\n\n**Threat**: spoofed gateway.\n"
    )
    model, _report = load_text(tmp_path, text)
    views = {v.kind: v for v in model.views}
    assert "global_system" in views
    assert views["global_system"].description == "The pump talks to the gateway."
    assert views["global_system"].steps == ["Pump boots"]
    assert model.threats[0].id == "T-1"


def test_bad_bytes_are_a_clean_input_error(tmp_path: Path) -> None:
    for name, data in (("bin.md", b"# a\x00b"), ("latin.md", "# Menace é".encode("latin-1"))):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(InputError) as exc:
            import_sources([ImportSource(path)])
        assert not isinstance(exc.value, ImporterFailure) and exc.value.file


FUZZ = settings(
    max_examples=int(os.environ.get("MDPTM_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PIECES = st.sampled_from(
    [
        "# ",
        "## ",
        "### T-01 ",
        "#### Threat ID 2 - ",
        "**Concern**",
        "**Threat:** ",
        "**Mitigation:** ",
        "- ",
        "1. ",
        "   - ",
        "| a | b |\n|---|---|\n",
        "|| x |",
        "```mermaid\nflowchart LR\n",
        "subgraph z\n",
        "A --> B\n",
        "end\n",
        "```\n",
        "---\n",
        "Spoofing",
        "Tampering",
        "N/A",
        "\n",
        "\n\n",
        ": ",
        "Asset 1: ",
        "[x](#y)",
        "> ",
    ]
)


@FUZZ
@given(st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=40))
def test_never_raises_but_input_error(parts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.md"
        path.write_text("".join(parts), encoding="utf-8", errors="surrogatepass")
        try:
            model, report = import_sources([ImportSource(path)])
        except ImporterFailure as exc:
            raise AssertionError(f"importer crashed: {exc}") from exc.cause
        except InputError as exc:
            assert exc.file
            return
        assert validate_model(model) == []
        assert reconciles(report)


def test_prose_threats_are_named_in_the_refusal_not_invented(tmp_path: Path) -> None:
    path = tmp_path / "prose.md"
    path.write_text(
        "# TM\n## Threats\n### Spoofed login\nAn attacker logs in with stolen credentials.\n"
        "## Tampering\nAn attacker changes the firmware.\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"2 block\(s\) that may be threats were not recognised, the first at line 3"):
        import_sources([ImportSource(path)])


TITLED_AND_TEMPLATE = """\
# TM

## Identified threats

1. **Spoofed login** – an attacker logs in with stolen credentials.
2. **Firmware tampering**: the image is changed in transit.
   - **Mitigation:** signed images

## Threats

- **Spoofing**: pretending to be someone else
- **Tampering**: changing data

### Elevation of Privilege

| Threat | Risk | Mitigation | Status |
|--------|------|-----------|--------|
| [Role escalation] | [High/Med/Low] | [Mitigation approach] | [Mitigated/Open] |
| Admin API reachable from the ward network | High | Network segmentation | Open |
"""


def test_bold_titled_threat_lists_template_rows_and_table_mitigations(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, TITLED_AND_TEMPLATE)
    assert [t.title for t in model.threats] == ["Spoofed login", "Firmware tampering", "Admin API reachable from the ward network"]
    assert model.threats[0].description == "an attacker logs in with stolen credentials."
    assert "Spoofing" not in [t.title for t in model.threats]  # a STRIDE definition list is no threat list
    assert any("template row" in s for s in skipped(report))
    assert not any("Role escalation" in t.title for t in model.threats)
    titles = {c.id: c.title for c in model.controls}
    assert titles[model.threats[1].controls[0]] == "signed images"
    assert titles[model.threats[2].controls[0]] == "Network segmentation"  # table text beside prose controls
    assert model.threats[2].stride == ["elevation_of_privilege"]
    assert any("read as threats: one per bold title" in m for m in warnings(report))


FORMS = """\
# TM

## Threats

### T-1 Spoofed login

| Field | Value |
|---|---|
| STRIDE | Spoofing |
| Description | An attacker logs in with stolen credentials. |
| Mitigation | MFA |
| Risk | High |
| Owner | Platform team |
"""


def test_a_two_column_form_under_a_threat_heading_gives_its_fields(tmp_path: Path) -> None:
    model, report = load_text(tmp_path, FORMS)
    (threat,) = model.threats
    assert threat.id == "T-1" and threat.stride == ["spoofing"]
    assert threat.description == "An attacker logs in with stolen credentials."
    assert threat.risk is not None and threat.risk.level == "high"
    assert [c.title for c in model.controls] == ["MFA"] and threat.controls == [model.controls[0].id]
    assert threat.extra["Owner"] == "Platform team"  # an unknown field is kept aside
    assert sum(r.disposition == "merged" for r in report.records) == 5  # every form row accounted for


def test_a_table_under_an_out_of_scope_heading_lists_exclusions(tmp_path: Path) -> None:
    """A real medical-device threat model (EM0V0/MeDUSA, tests/data/markdown-real/SOURCES.md) puts its
    exclusions in a "Component | Reason" table under "Out of Scope": each row is an out-of-scope entry
    with its reason, said to be unsure; the in-scope table of the same shape stays components."""
    text = (
        "# Tremor platform threat model\n\n## 2. Scope & Boundaries\n\n### 2.1 In Scope\n\n"
        "| Component | Description |\n|---|---|\n| Flutter Application | Mobile client |\n| API Gateway | REST endpoints |\n\n"
        "### 2.2 Out of Scope\n\n| Component | Reason |\n|---|---|\n"
        "| Raspberry Pi Hardware | Covered in separate hardware threat model |\n"
        "| Network Infrastructure | Carrier/ISP responsibility |\n\n"
        "## 4. Threats\n\n| ID | Threat | Mitigation |\n|---|---|---|\n| S1 | User impersonation | MFA |\n"
    )
    model, report = load_text(tmp_path, text)
    assert [(o.text, o.rationale) for o in model.out_of_scope] == [
        ("Raspberry Pi Hardware", "Covered in separate hardware threat model"),
        ("Network Infrastructure", "Carrier/ISP responsibility"),
    ]
    assert [e.name for e in model.elements] == ["Flutter Application", "API Gateway"]
    assert [t.id for t in model.threats] == ["S1"]
    assert any("unsure of" in w and "out-of-scope entry table" in w for w in warnings(report))


def test_a_table_under_an_assumptions_heading_is_not_taken_for_exclusions(tmp_path: Path) -> None:
    text = "# TM\n\n## Assumptions and out of scope\n\n| ID | Assumption |\n|---|---|\n| A-1 | The hospital network is segmented |\n"
    model, _report = load_text(tmp_path, text)
    assert [a.text for a in model.assumptions] == ["The hospital network is segmented"]
    assert model.out_of_scope == []


def test_bullets_each_labelled_attack_flow_are_one_threat_each(tmp_path: Path) -> None:
    """A telesurgery system's attack list (CloudSecurityAlliance/IoT-Medical-Cloud, recorded in
    tests/data/markdown-real/SOURCES.md): bold objectives, each over bullets "Attack Flow: <what the attacker
    does>"; a trailing note list is no threat."""
    text = (
        "**We want to protect the patient from harm, so we must guard against misconfigurations.**\n"
        "- Attack Flow: Attacker uploads malicious firmware to the robotic device.  \n"
        "- Attack Flow: Attacker modifies device configuration settings through physical access. \n\n"
        "**We want to ensure that patient privacy is protected**\n"
        "- Attack Flow: Attacker gains unauthorized access to PHI data\n\n\n\n"
        "Ransomware attacks\n- define clinical impacts\n"
    )
    model, report = load_text(tmp_path, text)
    assert [t.title for t in model.threats] == [
        "Attacker uploads malicious firmware to the robotic device",
        "Attacker modifies device configuration settings through physical access",
        "Attacker gains unauthorized access to PHI data",
    ]
    assert any("define clinical impacts" in s or "list under" in s for s in skipped(report))
