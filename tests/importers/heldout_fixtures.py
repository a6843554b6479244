"""Held-out threat models of devices the importers were not built on, written as device makers write them.

Each builder writes one device's documents (Word, Excel or CSV) into a folder and returns them with the
content a reader of those documents would list: every component with its trust zone, every flow by its
ends, every asset, view, control and threat (STRIDE letters, status, control ids, targets by name). The
layouts vary the way real submissions do: numbered, lettered, all-caps and unnumbered headings,
document-control, revision, approval, abbreviation and reference tables, title rows, merged title cells,
hidden columns, spacer rows, totals rows and legends, ticked STRIDE columns, STRIDE as letters, words or
"STRIDE: I", control references written with several separators, components named instead of referenced
by id, trust zones named only in a component column, CSV in cp1252 with semicolons.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from tests.importers.import_helpers import Doc

STRIDE = {
    "S": "spoofing",
    "T": "tampering",
    "R": "repudiation",
    "I": "information_disclosure",
    "D": "denial_of_service",
    "E": "elevation_of_privilege",
}


@dataclass(frozen=True)
class Thr:
    """What one threat row says: STRIDE letters, status, control ids, targets and assets by name."""

    stride: str
    status: str
    controls: str | tuple[str, ...] = ""  # control ids separated by spaces, or control titles
    targets: tuple[str, ...] = ()  # element names, "A -> B" for a flow, zone names
    assets: tuple[str, ...] | None = None  # asset names (None: not checked)
    risk: str | None = None  # pre-mitigation risk level (None: not checked)
    residual: str | None = None  # residual risk level (None: not checked)
    title: str | None = None  # the threat's title (None: not checked)

    def stride_set(self) -> set[str]:
        return {STRIDE[ch] for ch in self.stride}

    def control_set(self) -> set[str]:
        return set(self.controls) if isinstance(self.controls, tuple) else set(self.controls.split())


@dataclass
class Expected:
    """The content of one device's threat model, as a reader of its documents would list it."""

    product: str
    elements: dict[str, str | None]  # component name -> trust zone name
    flows: set[tuple[str, str]]  # (source name, destination name)
    assets: set[str]
    views: list[tuple[str, str | None]]  # (kind, name); None: the name is not checked
    controls: set[str]
    threats: dict[str, Thr]
    trust_zones: set[str] | None = None  # default: the zones the components name
    control_titles: dict[str, str] = field(default_factory=dict)  # a few control titles worth checking
    controls_by_title: bool = False  # the source gives controls no ids: expected controls are titles
    diagram_captions: dict[str, str] = field(default_factory=dict)  # view kind -> caption of its diagram
    view_threats: dict[str, set[str]] = field(default_factory=dict)  # view name -> ids of the threats under it

    def zones(self) -> set[str]:
        if self.trust_zones is not None:
            return self.trust_zones
        return {z for z in self.elements.values() if z}


@dataclass
class Heldout:
    name: str
    files: list[Path]
    expected: Expected


def _ids(*items: str) -> str:
    return " ".join(items)


# ------------------------------------------------------------------------------------ Excel helpers


def _put(ws: Worksheet, row: int, values: Sequence[Any], col: int = 1) -> None:
    for c, value in enumerate(values, start=col):
        if value is not None and value != "":
            ws.cell(row=row, column=c, value=value)


def _bold(ws: Worksheet, row: int, first: int, last: int) -> None:
    for c in range(first, last + 1):
        ws.cell(row=row, column=c).font = Font(bold=True)
        ws.cell(row=row, column=c).fill = PatternFill("solid", fgColor="DDDDDD")


def _formatted_blank_rows(ws: Worksheet, first: int, last: int, cols: int) -> None:
    """Rows that hold formatting but no value, as templates leave below a table."""
    thin = Side(style="thin")
    for r in range(first, last + 1):
        for c in range(1, cols + 1):
            cell = ws.cell(row=r, column=c)
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.fill = PatternFill("solid", fgColor="FFF2CC")


# ===================================================================== 1. insulin patch pump (Word)

INSULIN_THREATS = [
    (
        "TH-01",
        "Attacker spoofs the mobile app over BLE to deliver an unauthorised bolus",
        "S, T",
        "patch pump",
        "4x5=20",
        "SC-01; SC-02",
        "1x5=5",
        "Mitigated",
    ),
    (
        "TH-02",
        "Replay of a captured BLE dose command",
        "T/R",
        "Patch Pump, InsuLink Mobile App",
        "3x5=15",
        "SC-01/SC-03",
        "1x5=5",
        "Mitigated",
    ),
    ("TH-03", "Glucose readings disclosed by sniffing the BLE link", "I", "CGM  sensor", "3x3=9", "SC-03", "1x3=3", "Mitigated"),
    (
        "TH-04",
        "Cloud account takeover by credential stuffing",
        "Spoofing; Elevation of Privilege",
        "InsuLink cloud",
        "4x4=16",
        "SC-04\nSC-05",
        "2x4=8",
        "Partially mitigated",
    ),
    ("TH-05", "Denial of service by BLE connection flooding", "D", "Patch Pump", "3x3=9", "SC-06", "2x3=6", "Risk accepted"),
    ("TH-06", "Malicious firmware image installed on the pump", "T\nE", "PATCH PUMP", "2x5=10", "SC-02", "1x5=5", "Mitigated"),
    ("TH-07", "Clinic portal user denies having changed the therapy settings", "R", "Clinic Portal", "2x2=4", "SC-07", "1x2=2", "Open"),
]
INSULIN_EXPECTED_THREATS = {
    "TH-01": Thr("ST", "mitigated", _ids("SC-01", "SC-02"), ("Patch Pump",), risk="critical", residual="low"),
    "TH-02": Thr("TR", "mitigated", _ids("SC-01", "SC-03"), ("Patch Pump", "InsuLink Mobile App")),
    "TH-03": Thr("I", "mitigated", "SC-03", ("CGM Sensor",)),
    "TH-04": Thr("SE", "partially_mitigated", _ids("SC-04", "SC-05"), ("InsuLink Cloud",)),
    "TH-05": Thr("D", "accepted", "SC-06", ("Patch Pump",)),
    "TH-06": Thr("TE", "mitigated", "SC-02", ("Patch Pump",)),
    "TH-07": Thr("R", "open", "SC-07", ("Clinic Portal",), risk="low", residual="low"),
}
INSULIN_ELEMENTS: dict[str, str | None] = {
    "Patch Pump": "Body-worn",
    "InsuLink Mobile App": "Patient phone",
    "CGM Sensor": "Body-worn",
    "InsuLink Cloud": "Manufacturer cloud",
    "Clinic Portal": "Manufacturer cloud",
}
INSULIN_FLOWS = {
    ("InsuLink Mobile App", "Patch Pump"),
    ("CGM Sensor", "Patch Pump"),
    ("InsuLink Mobile App", "InsuLink Cloud"),
    ("Clinic Portal", "InsuLink Cloud"),
}
INSULIN_ASSETS = {"Insulin dosing commands", "Glucose readings", "Patient account credentials", "Pump firmware"}
INSULIN_VIEWS: list[tuple[str, str | None]] = [
    ("global_system", None),
    ("multi_patient_harm", None),
    ("updatability_patchability", None),
    ("security_use_case", "Bolus Delivery from the Mobile App"),
    ("security_use_case", "Pump Pairing"),
    ("security_use_case", "Remote Review by the Clinic"),
]
INSULIN_CONTROLS = {f"SC-0{n}" for n in range(1, 8)}


def insulin_pump_docx(folder: Path) -> Heldout:
    """Numbered headings, document control, revision, abbreviation and reference tables, a risk matrix."""
    d = Doc()
    d.title("InsuLink Patch Pump System – Cybersecurity Threat Model")
    t = d.table(
        [
            ["Document Control", ""],
            ["Document Number", "TM-00231"],
            ["Revision", "04"],
            ["Product", "InsuLink Patch Pump System"],
            ["Manufacturer", "Corvia Diabetes Care Ltd"],
            ["Prepared by", "A. Writer"],
            ["Approved by", "R. Approver"],
            ["Effective Date", "2024-03-18"],
        ]
    )
    t.cell(0, 0).merge(t.cell(0, 1))
    d.para("Revision History", bold=True)
    d.table(
        [
            ["Rev.", "Date", "Description of Change", "Author"],
            ["01", "2023-02-01", "Initial release", "A. Writer"],
            ["04", "2024-03-18", "Added clinic portal and cloud threats", "A. Writer"],
        ]
    )
    d.heading("1 Introduction", 1)
    d.heading("1.1 Purpose", 2)
    d.para("This document records the threat model of the InsuLink system for the premarket submission.")
    d.heading("1.2 Abbreviations", 2)
    d.table(
        [
            ["Abbreviation", "Definition"],
            ["BLE", "Bluetooth Low Energy"],
            ["CGM", "Continuous Glucose Monitor"],
            ["HDO", "Healthcare Delivery Organization"],
        ]
    )
    d.heading("1.3 Intended Use", 2)
    d.para("The InsuLink Patch Pump System delivers insulin for people with diabetes.")
    d.heading("1.4 Reference Documents", 2)
    d.table(
        [
            ["Ref.", "Document Title", "Document No."],
            ["[1]", "Health software and health IT systems safety – Part 5-1: Security", "IEC 81001-5-1:2021"],
            ["[2]", "Cybersecurity in Medical Devices: Quality System Considerations", "FDA-2021-D-1158"],
            ["[3]", "InsuLink Software Requirements Specification", "SRS-0112"],
        ]
    )
    d.heading("2 System Description", 1)
    d.heading("2.1 System Components", 2)
    d.table(
        [
            ["Component", "Description", "Trust Zone"],
            ["Patch Pump", "Body-worn insulin delivery unit", "Body-worn"],
            ["InsuLink Mobile App", "iOS and Android app that controls the pump", "Patient phone"],
            ["CGM Sensor", "Continuous glucose sensor paired with the pump", "Body-worn"],
            ["InsuLink Cloud", "Data back end and account service", "Manufacturer cloud"],
            ["Clinic Portal", "Web portal for the diabetes clinic", "Manufacturer cloud"],
        ]
    )
    d.heading("2.2 Data Flows", 2)
    d.table(
        [
            ["ID", "From", "To", "Interface", "Data"],
            ["DF-1", "InsuLink Mobile App", "Patch Pump", "BLE 5.0", "Insulin dosing commands"],
            ["DF-2", "CGM Sensor", "Patch Pump", "BLE 5.0", "Glucose readings"],
            ["DF-3", "InsuLink Mobile App", "InsuLink Cloud", "HTTPS (TLS 1.3)", "Glucose readings, Patient account credentials"],
            ["DF-4", "Clinic Portal", "InsuLink Cloud", "HTTPS (TLS 1.3)", "Glucose readings"],
        ]
    )
    d.heading("2.3 Assets", 2)
    d.table(
        [
            ["Asset ID", "Asset", "Type", "C", "I", "A"],
            ["AS-01", "Insulin dosing commands", "Therapy data", "M", "H", "H"],
            ["AS-02", "Glucose readings", "PHI", "H", "H", "M"],
            ["AS-03", "Patient account credentials", "Credentials", "H", "H", "L"],
            ["AS-04", "Pump firmware", "Firmware", "L", "H", "H"],
        ]
    )
    d.heading("3 Security Architecture Views", 1)
    d.heading("3.1 Global System View (GSV)", 2)
    d.para("The pump talks to the phone app over BLE; the app synchronises with the InsuLink cloud.")
    d.image(caption="Figure 2 – Global System View", alt="GSV diagram")
    d.heading("3.2 Multi-Patient Harm View", 2)
    d.para("The cloud can reach every paired app; it cannot command a pump without the phone.")
    d.heading("3.3 Updatability / Patchability View", 2)
    d.para("App updates come through the app stores; pump firmware is signed and installed by the app.")
    d.heading("3.4 Security Use Case Views", 2)
    d.para("The use cases below are the ones with a security impact.")
    d.heading("3.4.1 Bolus Delivery from the Mobile App", 3)
    d.bullets("The user enters the bolus.", "The app signs the command.", "The pump checks and delivers.", numbered=True)
    d.heading("3.4.2 Pump Pairing", 3)
    d.bullets("The pump shows a PIN.", "The user types the PIN into the app.", numbered=True)
    d.heading("3.4.3 Remote Review by the Clinic", 3)
    d.para("The clinician reviews uploaded readings in the clinic portal.")
    d.heading("4 Threat Analysis", 1)
    d.heading("4.1 Method", 2)
    d.para("Threats were found with STRIDE per element and rated Likelihood x Severity on 1-5 scales.")
    d.heading("4.2 Threat Register", 2)
    d.para("Table 7 – Threat register", style="Caption")
    d.table(
        [
            [
                "Threat Ref",
                "Threat Scenario",
                "STRIDE Category",
                "Affected Component(s)",
                "Pre-Mitigation Risk",
                "Mitigation/Control ID",
                "Residual Risk",
                "Status/Disposition",
            ],
            *[list(r) for r in INSULIN_THREATS],
        ]
    )
    d.heading("5 Security Controls", 1)
    d.table(
        [
            ["Control ID", "Control Description", "FDA Category", "Verification"],
            ["SC-01", "BLE pairing with an out-of-band PIN and authenticated sessions", "Authentication", "VT-101"],
            ["SC-02", "Signed commands and firmware verified by the pump bootloader", "Code, Data, and Execution Integrity", "VT-102"],
            ["SC-03", "AES-CCM link encryption with per-session keys", "Cryptography", "VT-103"],
            ["SC-04", "Multi-factor authentication for cloud accounts", "Authentication", "PEN-7"],
            ["SC-05", "Account lockout and rate limiting", "Resiliency and Recovery", "PEN-7"],
            ["SC-06", "Connection rate limiting and safe basal fallback", "Resiliency and Recovery", "VT-106"],
            ["SC-07", "Signed audit trail of therapy changes", "Event Detection and Logging", "VT-107"],
        ]
    )
    d.heading("6 Assumptions", 1)
    d.bullets("The phone runs a supported operating system.", "The user keeps the pairing PIN private.")
    d.heading("Appendix A – Risk Acceptance Matrix", 1)
    d.table(
        [
            ["Likelihood / Severity", "Negligible", "Minor", "Serious", "Critical", "Catastrophic"],
            ["Frequent", "Medium", "High", "High", "High", "High"],
            ["Probable", "Low", "Medium", "High", "High", "High"],
            ["Remote", "Low", "Low", "Medium", "Medium", "High"],
        ]
    )
    path = d.save(folder / "InsuLink_Threat_Model.docx")
    return Heldout(
        "insulin-pump-docx",
        [path],
        Expected(
            product="InsuLink Patch Pump System",
            elements=dict(INSULIN_ELEMENTS),
            flows=set(INSULIN_FLOWS),
            assets=set(INSULIN_ASSETS),
            views=list(INSULIN_VIEWS),
            controls=set(INSULIN_CONTROLS),
            threats=dict(INSULIN_EXPECTED_THREATS),
            control_titles={"SC-03": "AES-CCM link encryption with per-session keys"},
            diagram_captions={"global_system": "Figure 2 – Global System View"},
        ),
    )


def insulin_pump_register(folder: Path) -> Path:
    """The same device's Excel register: STRIDE as run-together letters, components by name."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Threat Register"
    _put(ws, 1, ["InsuLink – Threat Register (export from the risk tool)"])
    ws.merge_cells("A1:H1")
    _put(ws, 3, ["Threat ID", "Threat", "STRIDE", "Component", "CVSS v3.1", "Harm", "Controls", "Status"])
    _bold(ws, 3, 1, 8)
    letters = {"TH-01": "ST", "TH-02": "TR", "TH-03": "I", "TH-04": "SE", "TH-05": "D", "TH-06": "TE", "TH-07": "R"}
    targets = {
        "TH-01": "Patch pump",
        "TH-02": "patch pump; insulink mobile app",
        "TH-03": "CGM Sensor",
        "TH-04": "InsuLink Cloud",
        "TH-05": "Patch Pump",
        "TH-06": "Patch Pump",
        "TH-07": "clinic portal",
    }
    controls = {
        "TH-01": "SC-01, SC-02",
        "TH-02": "SC-01, SC-03",
        "TH-03": "SC-03",
        "TH-04": "SC-04 – SC-05",
        "TH-05": "SC-06",
        "TH-06": "SC-02",
        "TH-07": "SC-07",
    }
    cvss = ["8.3", "7.1", "5.3", "8.1", "6.5", "7.6", "3.1"]
    harm = ["Critical", "Critical", "None", "Minor", "Serious", "Critical", "Minor"]
    for n, row in enumerate(INSULIN_THREATS):
        tid, title, status = row[0], row[1], "Verified" if row[7] == "Mitigated" else row[7]
        _put(ws, 4 + n, [tid, title, letters[tid], targets[tid], cvss[n], harm[n], controls[tid], status])
    ws2 = wb.create_sheet("Controls")
    _put(ws2, 1, ["ID", "Security Control", "Status"])
    titles = [
        "BLE pairing with PIN",
        "Signed commands and firmware",
        "BLE link encryption",
        "Cloud MFA",
        "Account lockout",
        "BLE rate limiting",
        "Therapy audit trail",
    ]
    for n, title in enumerate(titles, start=1):
        _put(ws2, 1 + n, [f"SC-0{n}", title, "Implemented"])
    path = folder / "InsuLink_Threat_Register.xlsx"
    wb.save(str(path))
    return path


def insulin_pump_both(folder: Path) -> Heldout:
    """The Word threat model and the Excel register of one device, imported together."""
    word = insulin_pump_docx(folder)
    register = insulin_pump_register(folder)
    return Heldout("insulin-pump-word-and-excel", [*word.files, register], word.expected)


# ============================================================ 2. patient monitor + central station (Excel)


def patient_monitor_xlsx(folder: Path) -> Heldout:
    """Title rows, merged titles, ticked STRIDE columns, a hidden column, a spacer row, a totals row, a legend,
    IEC 62443-style zones ("Zone 2") named only in the component sheet."""
    wb = openpyxl.Workbook()
    cover = wb.active
    assert cover is not None
    cover.title = "Cover"
    _put(cover, 1, ["VitalView PM-700 Patient Monitoring System"])
    cover.merge_cells("A1:D1")
    _put(cover, 2, ["Cybersecurity Risk Register"])
    cover.merge_cells("A2:D2")
    _put(cover, 4, ["Product", "VitalView PM-700"])
    _put(cover, 5, ["Manufacturer", "Helios Monitoring GmbH"])
    _put(cover, 6, ["Document No.", "RR-0098"])
    _put(cover, 7, ["Version", "2.1"])
    _put(cover, 9, ["Revision History"])
    _put(cover, 10, ["Rev", "Date", "Change", "Author"])
    _put(cover, 11, ["1.0", "2023-05-02", "First issue", "K. Author"])
    _put(cover, 12, ["2.1", "2024-01-15", "Added telemetry transmitter", "K. Author"])

    comp = wb.create_sheet("System Components")
    _put(comp, 1, ["Table 1 – System components and trust zones"])
    comp.merge_cells("A1:E1")
    _put(comp, 3, ["Comp. ID", "Component Name", "Type", "Trust Zone", "Notes"])
    _bold(comp, 3, 1, 5)
    rows = [
        ["CMP-01", "Bedside Monitor PM-700", "Device", "Zone 1", ""],
        ["CMP-02", "Telemetry Transmitter TX-2", "Device", "Zone 1", "Battery powered"],
        ["CMP-03", "Central Station CS-7", "Workstation", "Zone 2", ""],
        ["CMP-04", "HL7 Gateway", "Server", "DMZ", "Interfaces with the EMR"],
        ["CMP-05", "Service Laptop", "Laptop", "zone 3", "Used by field service only"],
    ]
    for n, row in enumerate(rows):
        _put(comp, 4 + n, row)

    ifs = wb.create_sheet("Interfaces")
    _put(ifs, 1, ["Interfaces"])
    _put(ifs, 2, ["Interface ID", "Endpoint A", "Endpoint B", "Protocol", "Port", "Encrypted?"])
    rows = [
        ["IF-01", "Bedside Monitor PM-700", "Central Station CS-7", "Proprietary over TCP", "7001", "Yes"],
        ["IF-02", "Telemetry Transmitter TX-2", "Central Station CS-7", "WMTS radio", "n/a", "No"],
        ["IF-03", "Central Station CS-7", "HL7 Gateway", "HL7 v2 (MLLP)", "2575", "TLS"],
        ["IF-04", "Service Laptop", "Bedside Monitor PM-700", "SSH", "22", "Yes"],
    ]
    for n, row in enumerate(rows):
        _put(ifs, 3 + n, row)

    reg = wb.create_sheet("Threat Register")
    _put(reg, 1, ["VitalView PM-700 – Threat Register"])
    reg.merge_cells("A1:P1")
    _put(reg, 2, ["Risk = Likelihood × Impact (1–5 each). X marks the STRIDE categories that apply."])
    header = [
        "ID",
        "Threat Description",
        "Component",
        "S",
        "T",
        "R",
        "I",
        "D",
        "E",
        "Likelihood",
        "Impact",
        "Risk Score",
        "Controls",
        "Owner",
        "Status",
        "Reviewer Notes",
    ]
    _put(reg, 4, header)
    _bold(reg, 4, 1, len(header))
    threats: list[list[Any]] = [
        [
            "TR-01",
            "Rogue central station spoofs the monitor's association",
            "central station cs-7",
            "X",
            "",
            "",
            "",
            "",
            "",
            3,
            4,
            12,
            "M-01; M-02",
            "J. Doe",
            "Closed",
            "Reviewed 2024-01",
        ],
        [
            "TR-02",
            "Alarm settings altered in transit between monitor and central station",
            "Bedside Monitor PM-700",
            "",
            "X",
            "",
            "",
            "",
            "",
            2,
            5,
            10,
            "M-01/M-03",
            "J. Doe",
            "Closed",
            "",
        ],
        [
            "TR-03",
            "Patient vitals disclosed over WMTS telemetry",
            "Telemetry  Transmitter TX-2",
            "",
            "",
            "",
            "X",
            "",
            "",
            4,
            3,
            12,
            "M-03\nM-04",
            "A. Roe",
            "Risk Accepted",
            "",
        ],
        None,  # a blank spacer row inside the table
        [
            "TR-04",
            "Flooding of the HL7 gateway stops results reaching the EMR",
            "hl7 gateway",
            "",
            "",
            "",
            "",
            "X",
            "",
            3,
            3,
            9,
            "see M-05",
            "A. Roe",
            "Deferred to v2.2",
            "Retest in v2.2",
        ],
        [
            "TR-05",
            "Service laptop used to gain a root shell on the monitor",
            "Service Laptop, Bedside Monitor PM-700",
            "",
            "x",
            "",
            "",
            "",
            "X",
            2,
            5,
            10,
            "M-06, M-02",
            "J. Doe",
            "Partially mitigated",
            "",
        ],
        [
            "TR-06",
            "Clinician denies silencing an alarm",
            "Central Station CS-7",
            "",
            "",
            "X",
            "",
            "",
            "",
            2,
            3,
            6,
            "M-07",
            "A. Roe",
            "Mitigated",
            "",
        ],
        [
            "TR-07",
            "Malware on the central station sends false alarms to all monitors",
            "CENTRAL STATION CS-7",
            "X",
            "X",
            "",
            "",
            "X",
            "",
            2,
            5,
            10,
            "M-02 & M-08",
            "J. Doe",
            "Transferred to HDO",
            "",
        ],
    ]
    r = 5
    for row in threats:
        if row is not None:
            _put(reg, r, row)
        r += 1
    r += 1
    _put(reg, r, ["Total", "7 threats", "", 2, 3, 1, 1, 2, 1])
    r += 2
    _put(reg, r, ["Legend: X = the category applies. Likelihood and Impact are rated 1 (lowest) to 5 (highest)."])
    _formatted_blank_rows(reg, r + 1, r + 12, len(header))
    reg.column_dimensions["N"].hidden = True

    mit = wb.create_sheet("Mitigations")
    _put(mit, 1, ["Mitigation ID", "Mitigation", "Security Category", "Implemented By", "Verification"])
    rows = [
        ["M-01", "Mutual TLS between monitor and central station", "Cryptography", "Manufacturer", "VT-1"],
        ["M-02", "Signed and allow-listed software on the central station", "Integrity", "Manufacturer", "VT-2"],
        ["M-03", "Message authentication codes on alarm settings", "Integrity", "Manufacturer", "VT-3"],
        ["M-04", "Telemetry on a segregated WMTS band; encryption planned for v3", "Confidentiality", "Shared", "-"],
        ["M-05", "Rate limiting and queueing on the HL7 gateway", "Resiliency and Recovery", "Manufacturer", "VT-5"],
        ["M-06", "Service access needs a one-time code from the manufacturer", "Authentication", "Manufacturer", "VT-6"],
        ["M-07", "Audit log of alarm acknowledgements with the user id", "Event Detection and Logging", "Manufacturer", "VT-7"],
        ["M-08", "Hospital network segmentation of the monitoring VLAN", "Network segmentation", "Customer (HDO)", "IFU section 4.2"],
    ]
    for n, row in enumerate(rows):
        _put(mit, 2 + n, row)
    path = folder / "VitalView_PM-700_Risk_Register.xlsx"
    wb.save(str(path))
    return Heldout(
        "patient-monitor-xlsx",
        [path],
        Expected(
            product="VitalView PM-700",
            elements={
                "Bedside Monitor PM-700": "Zone 1",
                "Telemetry Transmitter TX-2": "Zone 1",
                "Central Station CS-7": "Zone 2",
                "HL7 Gateway": "DMZ",
                "Service Laptop": "zone 3",
            },
            flows={
                ("Bedside Monitor PM-700", "Central Station CS-7"),
                ("Telemetry Transmitter TX-2", "Central Station CS-7"),
                ("Central Station CS-7", "HL7 Gateway"),
                ("Service Laptop", "Bedside Monitor PM-700"),
            },
            assets=set(),
            views=[],
            controls={f"M-0{n}" for n in range(1, 9)},
            threats={
                "TR-01": Thr("S", "mitigated", _ids("M-01", "M-02"), ("Central Station CS-7",)),
                "TR-02": Thr("T", "mitigated", _ids("M-01", "M-03"), ("Bedside Monitor PM-700",)),
                "TR-03": Thr("I", "accepted", _ids("M-03", "M-04"), ("Telemetry Transmitter TX-2",)),
                "TR-04": Thr("D", "open", "M-05", ("HL7 Gateway",)),
                "TR-05": Thr("TE", "partially_mitigated", _ids("M-06", "M-02"), ("Service Laptop", "Bedside Monitor PM-700")),
                "TR-06": Thr("R", "mitigated", "M-07", ("Central Station CS-7",)),
                "TR-07": Thr("STD", "transferred", _ids("M-02", "M-08"), ("Central Station CS-7",)),
            },
            control_titles={"M-05": "Rate limiting and queueing on the HL7 gateway"},
        ),
    )


# ============================================================== 3. CT scanner with PACS/DICOM (Word)

CT_THREAT_HEADER = [
    "ID",
    "Threat",
    "Entry Point",
    "Attack Vector",
    "Affected Asset(s)",
    "Likelihood",
    "Severity",
    "Risk",
    "Mitigations",
    "Residual Risk",
    "Risk Acceptability",
    "Status",
]


def ct_scanner_docx(folder: Path) -> Heldout:
    """ALL-CAPS "SECTION 4 –" headings, an approvals table, one threat table per STRIDE category,
    status beside risk acceptability, flows as "Communication Paths", "SECURITY USE CASE VIEW 2: ..."."""
    d = Doc()
    d.title("AXIAL CT 128 PRODUCT SECURITY RISK ASSESSMENT")
    d.table(
        [
            ["Role", "Name", "Signature", "Date"],
            ["Author", "P. Writer", "", "2024-02-01"],
            ["Security Architect", "L. Arch", "", "2024-02-02"],
            ["Quality Assurance", "M. Quality", "", "2024-02-03"],
        ]
    )
    d.para("Product: Axial CT 128")
    d.para("Manufacturer: Nordlicht Imaging AG")
    d.para("Software version: VB30")
    d.heading("SECTION 1 – INTRODUCTION", 1)
    d.para("THIS ASSESSMENT COVERS THE SCANNER, ITS CONSOLE AND ITS CONNECTIONS TO THE HOSPITAL.")
    d.heading("1.1 ABBREVIATIONS", 2)
    d.table(
        [
            ["TERM", "DEFINITION"],
            ["DICOM", "Digital Imaging and Communications in Medicine"],
            ["PACS", "Picture Archiving and Communication System"],
            ["MWL", "Modality Worklist"],
        ]
    )
    d.heading("SECTION 2 – SYSTEM OVERVIEW", 1)
    d.heading("2.1 SYSTEM ELEMENTS", 2)
    d.table(
        [
            ["Element ID", "Name", "Category", "Zone"],
            ["CT-GAN", "Gantry Controller", "Embedded device", "Scanner Room"],
            ["CT-CON", "Operator Console", "Workstation software", "Control Room"],
            ["CT-REC", "Reconstruction Server", "Server", "Control Room"],
            ["PACS", "Hospital PACS", "External system", "Hospital Network"],
            ["RIS", "Radiology Information System", "External system", "Hospital Network"],
            ["RSG", "Remote Service Gateway", "Cloud service", "Manufacturer Cloud"],
        ]
    )
    d.heading("2.2 COMMUNICATION PATHS", 2)
    d.table(
        [
            ["Path", "Source", "Destination", "Protocol", "Port", "Authentication", "Encryption"],
            ["CP-1", "Operator Console", "Hospital PACS", "DICOM C-STORE", "104", "AE title only", "None"],
            ["CP-2", "Radiology Information System", "Operator Console", "DICOM MWL", "104", "AE title only", "None"],
            ["CP-3", "Remote Service Gateway", "Operator Console", "HTTPS", "443", "Mutual TLS certificates", "TLS 1.2"],
            ["CP-4", "Operator Console", "Gantry Controller", "Proprietary Ethernet", "-", "None", "None"],
            ["CP-5", "Gantry Controller", "Reconstruction Server", "Raw data link", "-", "None", "None"],
        ]
    )
    d.heading("2.3 DATA ASSETS", 2)
    d.table(
        [
            ["Asset", "Description", "Confidentiality", "Integrity", "Availability"],
            ["Patient demographics", "Name, ID and birth date from the worklist", "High", "High", "Medium"],
            ["CT images", "Reconstructed DICOM images", "High", "High", "High"],
            ["Scan protocols", "Dose and timing parameters", "Low", "High", "High"],
            ["Service credentials", "Accounts used by field service", "High", "High", "Low"],
        ]
    )
    d.heading("SECTION 3 – SECURITY ARCHITECTURE VIEWS", 1)
    d.heading("3.1 GLOBAL SYSTEM VIEW", 2)
    d.para("THE SCANNER SITS ON THE IMAGING VLAN AND EXPORTS TO PACS.")
    d.image()
    d.para("Figure 1: Global System View", bold=True)
    d.heading("3.2 MULTI-PATIENT HARM VIEW", 2)
    d.para("A WRONG SCAN PROTOCOL AFFECTS EVERY PATIENT SCANNED WITH IT.")
    d.heading("3.3 UPDATABILITY / PATCHABILITY VIEW", 2)
    d.para("SOFTWARE UPDATES ARE INSTALLED BY FIELD SERVICE THROUGH THE REMOTE SERVICE GATEWAY.")
    d.heading("3.4 SECURITY USE CASE VIEW 1: DICOM IMAGE EXPORT TO PACS", 2)
    d.bullets("The technologist completes the scan.", "The console sends the images to PACS.", numbered=True)
    d.heading("3.5 SECURITY USE CASE VIEW 2: REMOTE SERVICE SESSION", 2)
    d.bullets("The hospital approves the session.", "The engineer connects through the gateway.", numbered=True)
    d.heading("SECTION 4 – THREAT ANALYSIS", 1)
    d.para("THREATS ARE GROUPED BY STRIDE CATEGORY.")
    groups = [
        (
            "4.1 SPOOFING",
            [
                [
                    "S-01",
                    "Rogue worklist server injects false patient demographics",
                    "Radiology Information System",
                    "Spoofed MWL responses",
                    "Patient demographics",
                    "Probable",
                    "Serious (4)",
                    "H",
                    "RC-01, RC-02",
                    "L",
                    "Acceptable",
                    "Closed",
                ],
                [
                    "S-02",
                    "Attacker impersonates the remote service engineer",
                    "Remote Service Gateway",
                    "Stolen service credentials",
                    "Service credentials",
                    "Possible",
                    "Critical (4)",
                    "High",
                    "RC-03",
                    "Medium",
                    "Acceptable",
                    "Mitigated",
                ],
            ],
        ),
        (
            "4.2 TAMPERING",
            [
                [
                    "T-01",
                    "Scan protocols altered to change the radiation dose",
                    "Operator Console",
                    "Local admin access",
                    "Scan protocols",
                    "Remote",
                    "Catastrophic (5)",
                    "Medium",
                    "RC-04; RC-05",
                    "Low",
                    "Acceptable",
                    "Closed",
                ],
                [
                    "T-02",
                    "Images modified in transit to PACS",
                    "Operator Console -> Hospital PACS",
                    "Man in the middle",
                    "CT images",
                    "Possible",
                    "Serious (4)",
                    "M",
                    "RC-01",
                    "L",
                    "Not acceptable",
                    "Open",
                ],
            ],
        ),
        (
            "4.3 REPUDIATION",
            [
                [
                    "R-01",
                    "Service engineer denies a configuration change",
                    "Remote Service Gateway",
                    "Shared account",
                    "Scan protocols",
                    "Possible",
                    "Minor (2)",
                    "Low",
                    "RC-06",
                    "Low",
                    "Acceptable",
                    "Closed",
                ]
            ],
        ),
        (
            "4.4 INFORMATION DISCLOSURE",
            [
                [
                    "I-01",
                    "CT images disclosed over unencrypted DICOM",
                    "Hospital PACS",
                    "Network sniffing",
                    "CT images, Patient demographics",
                    "Probable",
                    "Serious (4)",
                    "H",
                    "RC-01",
                    "M",
                    "Acceptable",
                    "Accepted",
                ]
            ],
        ),
        (
            "4.5 DENIAL OF SERVICE",
            [
                [
                    "D-01",
                    "Ransomware on the console stops scanning",
                    "operator console",
                    "Phishing, USB media",
                    "CT images",
                    "Possible",
                    "Critical (4)",
                    "H",
                    "RC-04, RC-07",
                    "M",
                    "Acceptable",
                    "Mitigated",
                ]
            ],
        ),
        (
            "4.6 ELEVATION OF PRIVILEGE",
            [
                [
                    "E-01",
                    "Local user escapes kiosk mode to an administrator desktop",
                    "Operator Console",
                    "Keyboard shortcuts",
                    "Scan protocols",
                    "Possible",
                    "Serious (4)",
                    "M",
                    "RC-04",
                    "L",
                    "Acceptable",
                    "Closed",
                ]
            ],
        ),
    ]
    for heading, rows in groups:
        d.heading(heading, 2)
        d.table([CT_THREAT_HEADER, *rows])
    d.heading("SECTION 5 – RISK CONTROLS", 1)
    d.table(
        [
            ["Ref", "Risk Control Measure", "Type", "Implemented By", "Verification"],
            ["RC-01", "DICOM TLS with an AE title allow list", "Cryptography", "Manufacturer", "TR-501"],
            ["RC-02", "Worklist responses checked against the configured RIS certificate", "Authentication", "Manufacturer", "TR-502"],
            ["RC-03", "Service sessions need hospital approval and a personal certificate", "Authentication", "Shared", "TR-503"],
            ["RC-04", "Application allow-listing and hardened kiosk on the console", "Hardening", "Manufacturer", "TR-504"],
            ["RC-05", "Protocol changes need a physicist password and are logged", "Access control", "Customer", "TR-505"],
            ["RC-06", "Personal service accounts and an audit trail", "Logging", "Manufacturer", "TR-506"],
            ["RC-07", "Offline backup of the console image", "Recovery", "Customer", "TR-507"],
        ]
    )
    d.heading("SECTION 6 – RESIDUAL RISK SUMMARY", 1)
    d.table([["Risk Level", "Number of Threats"], ["High", "0"], ["Medium", "3"], ["Low", "5"]])
    path = d.save(folder / "AxialCT128_Security_Risk_Assessment.docx")
    return Heldout(
        "ct-scanner-docx",
        [path],
        Expected(
            product="Axial CT 128",
            elements={
                "Gantry Controller": "Scanner Room",
                "Operator Console": "Control Room",
                "Reconstruction Server": "Control Room",
                "Hospital PACS": "Hospital Network",
                "Radiology Information System": "Hospital Network",
                "Remote Service Gateway": "Manufacturer Cloud",
            },
            flows={
                ("Operator Console", "Hospital PACS"),
                ("Radiology Information System", "Operator Console"),
                ("Remote Service Gateway", "Operator Console"),
                ("Operator Console", "Gantry Controller"),
                ("Gantry Controller", "Reconstruction Server"),
            },
            assets={"Patient demographics", "CT images", "Scan protocols", "Service credentials"},
            views=[
                ("global_system", None),
                ("multi_patient_harm", None),
                ("updatability_patchability", None),
                ("security_use_case", "DICOM IMAGE EXPORT TO PACS"),
                ("security_use_case", "REMOTE SERVICE SESSION"),
            ],
            controls={f"RC-0{n}" for n in range(1, 8)},
            threats={
                "S-01": Thr(
                    "S",
                    "mitigated",
                    _ids("RC-01", "RC-02"),
                    ("Radiology Information System",),
                    ("Patient demographics",),
                    risk="high",
                    residual="low",
                ),
                "S-02": Thr("S", "mitigated", "RC-03", ("Remote Service Gateway",), ("Service credentials",)),
                "T-01": Thr(
                    "T", "mitigated", _ids("RC-04", "RC-05"), ("Operator Console",), ("Scan protocols",), risk="medium", residual="low"
                ),
                "T-02": Thr("T", "open", "RC-01", ("Operator Console -> Hospital PACS",), ("CT images",)),
                "R-01": Thr("R", "mitigated", "RC-06", ("Remote Service Gateway",), ("Scan protocols",)),
                "I-01": Thr("I", "accepted", "RC-01", ("Hospital PACS",), ("CT images", "Patient demographics")),
                "D-01": Thr("D", "mitigated", _ids("RC-04", "RC-07"), ("Operator Console",), ("CT images",)),
                "E-01": Thr("E", "mitigated", "RC-04", ("Operator Console",), ("Scan protocols",)),
            },
            diagram_captions={"global_system": "Figure 1: Global System View"},
        ),
    )


# ================================================== 4. cardiac implant programmer + remote monitoring (Word)


def cardiac_programmer_docx(folder: Path) -> Heldout:
    """Views in an appendix as bold "A.1" lines with no heading style, "STRIDE: I", "see M-04",
    a risk table joined by Threat ID, mitigations that name the threats they address, components by abbreviation."""
    d = Doc()
    d.title("CardioLink Programmer and Remote Monitoring – Threat Model")
    d.table(
        [
            ["Field", "Value"],
            ["Product name", "CardioLink CL-5 Programmer System"],
            ["Manufacturer", "Vireo Cardiac Systems"],
            ["Document ID", "VCS-TM-014"],
            ["Version", "3.0"],
            ["Status", "Released"],
            ["Author", "N. Writer"],
        ]
    )
    d.heading("1. Purpose and Scope", 1)
    d.para("This threat model covers the in-clinic programmer, the bedside transmitter and the remote monitoring service.")
    d.heading("2. System Description", 1)
    d.heading("2.1 System Components", 2)
    d.table(
        [
            ["Component", "Function", "Zone"],
            ["Implantable Cardioverter Defibrillator (ICD)", "Therapy delivery", "Patient body"],
            ["Clinic Programmer", "In-clinic interrogation and programming", "Clinic"],
            ["Bedside Transmitter", "Home monitoring hub", "Patient home"],
            ["Remote Monitoring Server", "Cloud data service", "Manufacturer data centre"],
            ["Clinician Web Portal", "Web front end for clinicians", "Manufacturer data centre"],
        ]
    )
    d.heading("2.2 Interfaces", 2)
    d.table(
        [
            ["ID", "Initiator", "Responder", "Medium", "Encryption"],
            ["IF-1", "Clinic Programmer", "ICD", "MICS 402 MHz", "AES-128"],
            ["IF-2", "Bedside Transmitter", "ICD", "MICS 402 MHz", "AES-128"],
            ["IF-3", "Bedside Transmitter", "Remote Monitoring Server", "Cellular LTE", "TLS 1.2"],
            ["IF-4", "Clinician Web Portal", "Remote Monitoring Server", "HTTPS", "TLS 1.3"],
        ]
    )
    d.heading("3. Threat Analysis", 1)
    d.heading("3.1 Threat Identification", 2)
    d.table(
        [
            ["Threat ID", "Threat", "STRIDE", "Target", "Harm", "CVSS v3.1", "Mitigation"],
            ["THR-001", "Unauthorised programming of the ICD from a rogue programmer", "STRIDE: S, E", "ICD", "Death", "8.8", "see M-01"],
            [
                "THR-002",
                "Eavesdropping on MICS telemetry discloses patient data",
                "STRIDE: I",
                "Clinic Programmer -> ICD",
                "None",
                "5.3",
                "M-02",
            ],
            ["THR-003", "Battery depletion by repeated wake-up requests", "STRIDE: D", "icd", "Serious injury", "6.5", ""],
            [
                "THR-004",
                "Bedside transmitter firmware replaced",
                "Tampering\nElevation of privilege",
                "Bedside Transmitter",
                "Serious injury",
                "7.6",
                "M-04",
            ],
            ["THR-005", "Clinician portal session hijacking", "Spoofing", "Clinician web portal", "Minor", "6.1", "M-05; see M-06"],
            ["THR-006", "Remote monitoring server data breach", "I (Privacy)", "Remote Monitoring Server", "None", "7.5", "M-06"],
        ]
    )
    d.heading("3.2 Risk Evaluation", 2)
    d.table(
        [
            ["Threat ID", "Exploitability", "Severity", "Pre-mitigation Risk", "Residual Risk", "Status"],
            ["THR-001", "2", "5", "10", "5", "Mitigated – verified"],
            ["THR-002", "3", "3", "9", "3", "Mitigated"],
            ["THR-003", "2", "4", "8", "8", "Accepted (ALARP)"],
            ["THR-004", "2", "4", "8", "4", "Mitigated"],
            ["THR-005", "3", "3", "9", "6", "In progress"],
            ["THR-006", "2", "4", "8", "4", "Mitigated"],
        ]
    )
    d.heading("4. Mitigations", 1)
    d.table(
        [
            ["Mitigation ID", "Mitigation", "Threats Addressed", "Responsibility"],
            ["M-01", "Programmer authentication with device certificates", "THR-001", "Manufacturer"],
            ["M-02", "AES-128 encryption of the telemetry session", "THR-002", "Manufacturer"],
            ["M-03", "Wake-up rate limiting in the ICD firmware", "THR-003", "Manufacturer"],
            ["M-04", "Signed transmitter firmware with secure boot", "THR-004", "Manufacturer"],
            ["M-05", "Short session timeouts and MFA on the portal", "THR-005", "Shared"],
            ["M-06", "Encryption at rest and access logging on the server", "THR-005, THR-006", "Manufacturer"],
        ]
    )
    d.heading("Appendix A – Security Architecture Views", 1)
    d.para("A.1 Global System View", bold=True)
    d.para("The ICD talks to the programmer in clinic and to the bedside transmitter at home.")
    d.para("A.2 Multi-Patient Harm View", bold=True)
    d.para("The remote monitoring server holds the data of every enrolled patient.")
    d.para("A.3 Update and Patch View", bold=True)
    d.para("Transmitter firmware is delivered over the cellular link and verified before install.")
    d.para("A.4 Security Use Case Views", bold=True)
    d.para("A.4.1 In-Clinic Programming", bold=True)
    d.bullets("The programmer authenticates to the ICD.", "The clinician changes the therapy.", numbered=True)
    d.para("A.4.2 Remote Monitoring Transmission", bold=True)
    d.bullets("The transmitter interrogates the ICD at night.", "It uploads the data to the server.", numbered=True)
    d.para("A.4.3 Programmer Software Update", bold=True)
    d.para("Field service installs signed programmer software from a USB key.")
    d.heading("Appendix B – Abbreviations", 1)
    d.table([["Acronym", "Meaning"], ["ICD", "Implantable Cardioverter Defibrillator"], ["MICS", "Medical Implant Communication Service"]])
    path = d.save(folder / "CardioLink_TM.docx")
    return Heldout(
        "cardiac-programmer-docx",
        [path],
        Expected(
            product="CardioLink CL-5 Programmer System",
            elements={
                "Implantable Cardioverter Defibrillator (ICD)": "Patient body",
                "Clinic Programmer": "Clinic",
                "Bedside Transmitter": "Patient home",
                "Remote Monitoring Server": "Manufacturer data centre",
                "Clinician Web Portal": "Manufacturer data centre",
            },
            flows={
                ("Clinic Programmer", "Implantable Cardioverter Defibrillator (ICD)"),
                ("Bedside Transmitter", "Implantable Cardioverter Defibrillator (ICD)"),
                ("Bedside Transmitter", "Remote Monitoring Server"),
                ("Clinician Web Portal", "Remote Monitoring Server"),
            },
            assets=set(),
            views=[
                ("global_system", None),
                ("multi_patient_harm", None),
                ("updatability_patchability", None),
                ("security_use_case", "In-Clinic Programming"),
                ("security_use_case", "Remote Monitoring Transmission"),
                ("security_use_case", "Programmer Software Update"),
            ],
            controls={f"M-0{n}" for n in range(1, 7)},
            threats={
                "THR-001": Thr("SE", "mitigated", "M-01", ("Implantable Cardioverter Defibrillator (ICD)",)),
                "THR-002": Thr("I", "mitigated", "M-02", ("Clinic Programmer -> Implantable Cardioverter Defibrillator (ICD)",)),
                "THR-003": Thr("D", "accepted", "M-03", ("Implantable Cardioverter Defibrillator (ICD)",)),
                "THR-004": Thr("TE", "mitigated", "M-04", ("Bedside Transmitter",)),
                "THR-005": Thr("S", "partially_mitigated", _ids("M-05", "M-06"), ("Clinician Web Portal",)),
                "THR-006": Thr("I", "mitigated", "M-06", ("Remote Monitoring Server",)),
            },
        ),
    )


# ====================================================== 5. ICU ventilator (CSV in cp1252 with ';')


def _csv(path: Path, rows: Sequence[Sequence[str]], delim: str, encoding: str) -> Path:
    def cell(v: str) -> str:
        return '"' + v.replace('"', '""') + '"' if (delim in v or "\n" in v or '"' in v) else v

    path.write_bytes(("\r\n".join(delim.join(cell(c) for c in row) for row in rows) + "\r\n").encode(encoding))
    return path


def ventilator_csv(folder: Path) -> Heldout:
    """A register exported as cp1252 with ';', title lines, numbers as ids, group lines, "Threat" beside
    "Threat Scenario", products with '×', a totals line, components named with case and spacing variants and
    no component list; mitigations in a second CSV."""
    rows = [
        ["AeroVent ICU-9 Ventilator – Threat Register", "", "", "", "", "", "", ""],
        ["Exported 12.03.2024 from the risk tool; scores L × S on 1–5 scales", "", "", "", "", "", "", ""],
        ["", "", "", "", "", "", "", ""],
        ["No.", "Threat", "Threat Scenario", "Category (STRIDE)", "Component", "Risk (L×S)", "Mitigation ref.", "Status"],
        ["Clinical interfaces", "", "", "", "", "", "", ""],
        [
            "1",
            "Alarm acknowledgement spoofed",
            "A device on the hospital network imitates the nurse call system and acknowledges alarms",
            "S",
            "Nurse Call Interface",
            "3×4=12",
            "MIT-01",
            "Mitigated",
        ],
        [
            "2",
            "Parameters altered via service port",
            "Ventilation parameters are altered through the service port without authorisation",
            "T",
            "Service Port",
            "2×5=10",
            "MIT-02, MIT-03",
            "Verified",
        ],
        [
            "3",
            "Trend log disclosure",
            "Patient data is disclosed from exported trend logs on a lost USB stick",
            "I",
            "Log Export (USB)",
            "3×3=9",
            "MIT-04",
            "Partially mitigated",
        ],
        [
            "4",
            "Calibration repudiated",
            "A service technician denies having made a calibration change",
            "R",
            "service port",
            "2×2=4",
            "MIT-05",
            "Risk accepted",
        ],
        ["Network and software", "", "", "", "", "", "", ""],
        [
            "5",
            "Network flood",
            "Ventilation control stalls when the hospital network interface is flooded",
            "D",
            "Network  Interface",
            "3×5=15",
            "MIT-06 / MIT-07",
            "Open",
        ],
        [
            "6",
            "Malicious update",
            "A malicious software update package gives an attacker root access",
            "T, E",
            "Software Update Package",
            "2×5=10",
            "MIT-03\nMIT-08",
            "Mitigated",
        ],
        [
            "7",
            "Blender firmware modified",
            "Oxygen blender firmware is modified – ±5 % FiO2 error",
            "Tampering",
            "O2 Blender Module",
            "2×5=10",
            "see MIT-03",
            "Mitigated",
        ],
        ["", "", "", "", "", "", "", ""],
        ["Total: 7 threats", "", "", "", "", "", "", ""],
    ]
    threats_csv = _csv(folder / "AeroVent_Threats.csv", rows, ";", "cp1252")
    mitigations = [
        ["ID", "Mitigation", "Category", "Responsibility"],
        ["MIT-01", "Nurse call messages are authenticated", "Authentication", "Manufacturer"],
        ["MIT-02", "Service port needs a technician smart card", "Authentication", "Manufacturer"],
        ["MIT-03", "Firmware and parameters are signed and checked at boot", "Integrity", "Manufacturer"],
        ["MIT-04", "Exported logs are pseudonymised", "Confidentiality", "Manufacturer"],
        ["MIT-05", "Calibration changes are logged with the technician id", "Logging", "Manufacturer"],
        ["MIT-06", "Network interface is isolated from ventilation control", "Resiliency", "Manufacturer"],
        ["MIT-07", "Hospital places the ventilator on a segregated VLAN", "Network segmentation", "HDO"],
        ["MIT-08", "Update packages are installed only by authorised service", "Patching", "Shared"],
    ]
    mit_csv = _csv(folder / "AeroVent_Mitigations.csv", mitigations, ",", "utf-8-sig")
    return Heldout(
        "ventilator-csv",
        [threats_csv, mit_csv],
        Expected(
            product="",
            elements={
                "Nurse Call Interface": None,
                "Service Port": None,
                "Log Export (USB)": None,
                "Network Interface": None,
                "Software Update Package": None,
                "O2 Blender Module": None,
            },
            flows=set(),
            assets=set(),
            views=[],
            controls={f"MIT-0{n}" for n in range(1, 9)},
            threats={
                "1": Thr("S", "mitigated", "MIT-01", ("Nurse Call Interface",), title="Alarm acknowledgement spoofed"),
                "2": Thr("T", "mitigated", _ids("MIT-02", "MIT-03"), ("Service Port",), title="Parameters altered via service port"),
                "3": Thr("I", "partially_mitigated", "MIT-04", ("Log Export (USB)",)),
                "4": Thr("R", "accepted", "MIT-05", ("Service Port",)),
                "5": Thr("D", "open", _ids("MIT-06", "MIT-07"), ("Network Interface",)),
                "6": Thr("TE", "mitigated", _ids("MIT-03", "MIT-08"), ("Software Update Package",)),
                "7": Thr("T", "mitigated", "MIT-03", ("O2 Blender Module",), title="Blender firmware modified"),
            },
        ),
    )


# ======================================================== 6. glucose meter with cloud (Excel)


def glucose_meter_xlsx(folder: Path) -> Heldout:
    """Side-by-side component and asset tables with captions, a stacked flow table below, risk as words and
    numbers, multi-line cells, a mitigations sheet that names the threats it mitigates, a hidden list sheet, a template's guidance row
    under the threat header."""
    wb = openpyxl.Workbook()
    arch = wb.active
    assert arch is not None
    arch.title = "Architecture"
    _put(arch, 1, ["GlucoSync BG-3 – Architecture inventory"])
    _put(arch, 3, ["Components"])
    _put(arch, 3, ["Assets"], col=6)
    _put(arch, 4, ["ID", "Component", "Type", "Trust Boundary"])
    _put(arch, 4, ["Asset ID", "Asset", "Classification", "Stored In"], col=6)
    comps = [
        ["C1", "BG-3 Meter", "Device", "Patient home"],
        ["C2", "GlucoSync App", "Mobile app", "Patient phone"],
        ["C3", "GlucoSync Cloud API", "Cloud service", "Vendor cloud"],
        ["C4", "Care Team Dashboard", "Web application", "Vendor cloud"],
    ]
    assets = [
        ["D1", "Blood glucose results", "PHI", "BG-3 Meter, GlucoSync Cloud API"],
        ["D2", "User account credentials", "Credentials", "GlucoSync Cloud API"],
        ["D3", "Meter firmware", "Firmware", "BG-3 Meter"],
    ]
    for n, row in enumerate(comps):
        _put(arch, 5 + n, row)
    for n, row in enumerate(assets):
        _put(arch, 5 + n, row, col=6)
    _put(arch, 11, ["Data Flows"])
    _put(arch, 12, ["Flow", "Source", "Destination", "Protocol", "Encryption"])
    flows = [
        ["DF1", "BG-3 Meter", "GlucoSync App", "BLE", "LE Secure Connections"],
        ["DF2", "GlucoSync App", "GlucoSync Cloud API", "HTTPS", "TLS 1.2+"],
        ["DF3", "Care Team Dashboard", "GlucoSync Cloud API", "HTTPS", "TLS 1.2+"],
    ]
    for n, row in enumerate(flows):
        _put(arch, 13 + n, row)

    thr = wb.create_sheet("Threats")
    _put(thr, 1, ["GlucoSync BG-3 threat analysis"])
    _put(thr, 2, ["Product: GlucoSync BG-3 Blood Glucose System"])
    _put(
        thr,
        4,
        [
            "Threat ID",
            "Title",
            "Description",
            "STRIDE",
            "Affected Element",
            "Affected Asset",
            "Inherent Risk",
            "Residual",
            "Status",
            "Comments",
        ],
    )
    _put(
        thr,
        5,
        [
            "Unique ID (G-nn)",
            "Short name",
            "What could happen and how",
            "S/T/R/I/D/E",
            "From the architecture sheet",
            "From the asset list",
            "H/M/L or 1-25",
            "H/M/L or 1-25",
            "Open / Mitigated / Accepted",
            "Free text",
        ],
    )
    for c in range(1, 11):
        thr.cell(row=5, column=c).font = Font(italic=True)
    rows = [
        [
            "G-01",
            "Fake meter pairs with the app",
            "An attacker's BLE device poses as a meter\nand injects readings.",
            "Spoofing; Tampering",
            "GlucoSync App",
            "Blood glucose results",
            "H",
            "Low",
            "Mitigated",
            "",
        ],
        [
            "G-02",
            "Readings read from the cloud API",
            "Broken object-level authorisation\nexposes other users' results.",
            "Information Disclosure",
            "GlucoSync Cloud API",
            "Blood glucose results",
            "Serious (4)",
            "2",
            "Mitigated",
            "Pen test 2024-02",
        ],
        [
            "G-03",
            "Credential stuffing on the app login",
            "Reused passwords give access to accounts.",
            "S\nE",
            "GlucoSync App, GlucoSync Cloud API",
            "User account credentials",
            "Medium",
            "Low",
            "Partially mitigated",
            "",
        ],
        [
            "G-04",
            "Meter firmware modified",
            "Debug port left open on production meters.",
            "T",
            "bg-3 meter",
            "Meter firmware",
            "12",
            "4",
            "Closed",
            "",
        ],
        [
            "G-05",
            "Dashboard unavailable during attack",
            "Volumetric attack on the dashboard.",
            "DoS",
            "Care Team Dashboard",
            "",
            "Low",
            "Low",
            "Accepted",
            "",
        ],
        [
            "G-06",
            "Clinician denies changing targets",
            "No record of who changed a patient's target range.",
            "R",
            "Care Team Dashboard",
            "",
            "Medium",
            "Low",
            "Open",
            "",
        ],
    ]
    for n, row in enumerate(rows):
        _put(thr, 6 + n, row)
    for n in range(len(rows)):
        thr.cell(row=6 + n, column=3).alignment = openpyxl.styles.Alignment(wrap_text=True)

    mit = wb.create_sheet("Mitigations")
    _put(mit, 1, ["ID", "Control", "FDA Category", "Responsible", "Threats Mitigated", "Verification"])
    mits = [
        ["CTL-1", "LE Secure Connections pairing with numeric comparison", "Authentication", "Manufacturer", "G-01", "TC-11"],
        [
            "CTL-2",
            "Object-level authorisation checks on every API call",
            "Authorization",
            "Manufacturer",
            "G-02 to G-03",
            "TC-12, PT-2024-02",
        ],
        ["CTL-3", "Rate limiting and breached-password screening", "Authentication", "Manufacturer", "G-03", "TC-13"],
        [
            "CTL-4",
            "Debug port fused at production; signed firmware",
            "Code, Data, and Execution Integrity",
            "Manufacturer",
            "G-04",
            "TC-14",
        ],
        ["CTL-5", "Cloud provider DDoS protection", "Resiliency and Recovery", "Cloud provider", "G-05", ""],
        ["CTL-6", "Audit log of target changes", "Event Detection and Logging", "Manufacturer", "G-06", "TC-16"],
    ]
    for n, row in enumerate(mits):
        _put(mit, 2 + n, row)

    lists = wb.create_sheet("Lists")
    _put(lists, 1, ["STRIDE", "Status", "Likelihood"])
    for n, row in enumerate(
        [["Spoofing", "Open", "Rare"], ["Tampering", "Mitigated", "Unlikely"], ["Repudiation", "Accepted", "Possible"]]
    ):
        _put(lists, 2 + n, row)
    lists.sheet_state = "hidden"
    path = folder / "GlucoSync_BG3_Threat_Model.xlsx"
    wb.save(str(path))
    return Heldout(
        "glucose-meter-xlsx",
        [path],
        Expected(
            product="GlucoSync BG-3 Blood Glucose System",
            elements={
                "BG-3 Meter": "Patient home",
                "GlucoSync App": "Patient phone",
                "GlucoSync Cloud API": "Vendor cloud",
                "Care Team Dashboard": "Vendor cloud",
            },
            flows={
                ("BG-3 Meter", "GlucoSync App"),
                ("GlucoSync App", "GlucoSync Cloud API"),
                ("Care Team Dashboard", "GlucoSync Cloud API"),
            },
            assets={"Blood glucose results", "User account credentials", "Meter firmware"},
            views=[],
            controls={f"CTL-{n}" for n in range(1, 7)},
            threats={
                "G-01": Thr("ST", "mitigated", "CTL-1", ("GlucoSync App",), ("Blood glucose results",), risk="high", residual="low"),
                "G-02": Thr("I", "mitigated", "CTL-2", ("GlucoSync Cloud API",), ("Blood glucose results",), risk="high", residual="low"),
                "G-03": Thr(
                    "SE",
                    "partially_mitigated",
                    _ids("CTL-2", "CTL-3"),
                    ("GlucoSync App", "GlucoSync Cloud API"),
                    ("User account credentials",),
                ),
                "G-04": Thr("T", "mitigated", "CTL-4", ("BG-3 Meter",), ("Meter firmware",), residual="low"),
                "G-05": Thr("D", "accepted", "CTL-5", ("Care Team Dashboard",), ()),
                "G-06": Thr("R", "open", "CTL-6", ("Care Team Dashboard",), ()),
            },
        ),
    )


# ========================================= 7. haemodialysis machine (Word, unnumbered headings, group rows)


def dialysis_docx(folder: Path) -> Heldout:
    """Unnumbered headings, use cases as sub-headings, a threat table whose STRIDE comes from merged group rows,
    ids in the "Threat" column beside a description, an "Interfaces" table with Source/Destination."""
    d = Doc()
    d.title("HemoPure HD-4 Haemodialysis System Security Risk Analysis")
    d.table([["Manufacturer", "Fluxa Renal Technologies"], ["Product", "HemoPure HD-4"], ["Document version", "1.3"]])
    d.heading("Device Description", 1)
    d.para("The HD-4 performs haemodialysis in hospital dialysis units and connects to the clinic's EMR.")
    d.heading("Components", 1)
    d.table(
        [
            ["Component ID", "Component", "Trust Zone", "Description"],
            ["HD-CTRL", "Treatment Controller", "Machine internal", "Real-time control of pumps and heaters"],
            ["HD-UI", "Touchscreen UI", "Machine internal", "Operator interface"],
            ["HD-GW", "Connectivity Module", "Machine internal", "Ethernet and Wi-Fi to the clinic network"],
            ["EMR", "Clinic EMR", "Clinic network", "Receives treatment records"],
            ["SVC", "Service Tool", "Service laptop", "Used by technicians for calibration"],
        ]
    )
    d.heading("Interfaces", 1)
    d.table(
        [
            ["Interface", "Source", "Destination", "Protocol"],
            ["Treatment records", "Connectivity Module", "Clinic EMR", "HL7 FHIR over HTTPS"],
            ["Prescriptions", "Clinic EMR", "Connectivity Module", "HL7 FHIR over HTTPS"],
            ["Service link", "Service Tool", "Treatment Controller", "USB serial"],
            ["Internal bus", "Touchscreen UI", "Treatment Controller", "CAN"],
        ]
    )
    d.heading("Security Architecture Views", 1)
    d.heading("Global System View", 2)
    d.para("The machine has one external network interface, the connectivity module.")
    d.heading("Multi Patient Harm Views", 2)
    d.para("A compromised EMR could send wrong prescriptions to every machine in the unit.")
    d.heading("Software Update View", 2)
    d.para("Software is updated by service technicians with signed packages.")
    d.heading("Security Use Case Views", 2)
    d.heading("Prescription Download", 3)
    d.bullets("The nurse selects the patient.", "The machine downloads the prescription.", "The nurse confirms it.")
    d.heading("Service Calibration", 3)
    d.para("The technician connects the service tool over USB.")
    d.heading("Threats", 1)
    rows = [
        ["Threat", "Description", "Affected Component", "Mitigation", "Status"],
        ["Spoofing", "", "", "", ""],
        ["HP-1", "A rogue EMR sends a forged prescription", "Connectivity Module", "HM-1", "Mitigated"],
        ["HP-2", "A stolen service tool is used on another machine", "Service Tool", "HM-2", "Mitigated"],
        ["Tampering", "", "", "", ""],
        ["HP-3", "Treatment parameters changed on the internal bus", "Treatment Controller", "HM-3", "Risk accepted"],
        ["HP-4", "Software package modified before installation", "Treatment Controller; Touchscreen UI", "HM-4", "Mitigated"],
        ["Denial of Service", "", "", "", ""],
        ["HP-5", "Network flood freezes the connectivity module", "connectivity module", "HM-5", "Open"],
    ]
    t = d.table(rows)
    for r in (1, 4, 7):
        t.cell(r, 0).merge(t.cell(r, 4))
    d.heading("Mitigations", 1)
    d.table(
        [
            ["ID", "Mitigation", "Category"],
            ["HM-1", "Prescriptions are signed by the EMR and shown for confirmation", "Integrity"],
            ["HM-2", "Service tool bound to the technician's certificate", "Authentication"],
            ["HM-3", "Controller checks parameter ranges and CAN message counters", "Integrity"],
            ["HM-4", "Signed software packages", "Code integrity"],
            ["HM-5", "Rate limiting; treatment continues without the network", "Resiliency"],
        ]
    )
    path = d.save(folder / "HemoPure_HD-4_Security_Risk_Analysis.docx")
    return Heldout(
        "dialysis-docx",
        [path],
        Expected(
            product="HemoPure HD-4",
            elements={
                "Treatment Controller": "Machine internal",
                "Touchscreen UI": "Machine internal",
                "Connectivity Module": "Machine internal",
                "Clinic EMR": "Clinic network",
                "Service Tool": "Service laptop",
            },
            flows={
                ("Connectivity Module", "Clinic EMR"),
                ("Clinic EMR", "Connectivity Module"),
                ("Service Tool", "Treatment Controller"),
                ("Touchscreen UI", "Treatment Controller"),
            },
            assets=set(),
            views=[
                ("global_system", None),
                ("multi_patient_harm", None),
                ("updatability_patchability", None),
                ("security_use_case", "Prescription Download"),
                ("security_use_case", "Service Calibration"),
            ],
            controls={f"HM-{n}" for n in range(1, 6)},
            threats={
                "HP-1": Thr("S", "mitigated", "HM-1", ("Connectivity Module",)),
                "HP-2": Thr("S", "mitigated", "HM-2", ("Service Tool",)),
                "HP-3": Thr("T", "accepted", "HM-3", ("Treatment Controller",)),
                "HP-4": Thr("T", "mitigated", "HM-4", ("Treatment Controller", "Touchscreen UI")),
                "HP-5": Thr("D", "open", "HM-5", ("Connectivity Module",)),
            },
        ),
    )


# ================================== 8. anaesthesia workstation (Excel, two-level header, refs by id and title)


def anaesthesia_xlsx(folder: Path) -> Heldout:
    """Facts written "Key: value" in single cells, components and flows stacked on one sheet with flow ends
    given as component ids, a two-level merged header ("Initial Risk" over Likelihood / Severity / Score),
    threats that target components and flows by id and name controls by title, a risk-acceptance table
    stacked below the threats and joined by Threat ID, header cells with line breaks, a control list
    without ids."""
    wb = openpyxl.Workbook()
    ov = wb.active
    assert ov is not None
    ov.title = "Overview"
    _put(ov, 1, ["Device Name: AnaSys 9 Anesthesia Workstation"])
    _put(ov, 2, ["Manufacturer: Kestrel Medical Systems"])
    _put(ov, 3, ["Software Version: 4.2.0"])

    cf = wb.create_sheet("Components & Flows")
    _put(cf, 1, ["System components"])
    _put(cf, 2, ["Component ID", "Name", "Type", "Zone"])
    comps = [
        ["AW-1", "Ventilator Control Unit", "Embedded controller", "Device core"],
        ["AW-2", "Anesthesia Display", "Display", "Device core"],
        ["AW-3", "Gas Mixer", "Actuator", "Device core"],
        ["AW-4", "Network Bridge", "Gateway", "Device edge"],
        ["AW-5", "Anesthesia Information System", "External system", "Hospital network"],
    ]
    for n, row in enumerate(comps):
        _put(cf, 3 + n, row)
    _put(cf, 10, ["Data flows"])
    _put(cf, 11, ["Flow ID", "From (ID)", "To (ID)", "Protocol", "Data"])
    flows = [
        ["DF-1", "AW-2", "AW-1", "Internal CAN", "Operator settings"],
        ["DF-2", "AW-1", "AW-3", "Internal CAN", "Gas mix commands"],
        ["DF-3", "AW-1", "AW-4", "Serial", "Case data"],
        ["DF-4", "AW-4", "AW-5", "HL7 over TCP", "Case data"],
    ]
    for n, row in enumerate(flows):
        _put(cf, 12 + n, row)

    ta = wb.create_sheet("Threat Analysis")
    _put(ta, 1, ["AnaSys 9 – Threat analysis (STRIDE)"])
    _put(ta, 3, ["Threat", "", "", "Target", "Initial Risk", "", "", "Mitigations", "Residual Risk", "", "", "Status"])
    for rng in ("A3:C3", "E3:G3", "I3:K3", "D3:D4", "H3:H4", "L3:L4"):
        ta.merge_cells(rng)
    _put(
        ta, 4, ["ID", "Description", "STRIDE\n(category)", "", "Likelihood", "Severity", "Score", "", "Likelihood", "Severity", "Score", ""]
    )
    threats = [
        [
            "AT-01",
            "Settings on the display altered before they reach the ventilator",
            "Tampering",
            "DF-1",
            4,
            5,
            20,
            "Message integrity counters",
            1,
            5,
            5,
            "Closed – verified",
        ],
        [
            "AT-02",
            "Case data read from the serial link",
            "Information Disclosure / Tampering",
            "DF-3",
            3,
            3,
            9,
            "Encrypted serial protocol",
            1,
            3,
            3,
            "Open (planned for v4.3)",
        ],
        [
            "AT-03",
            "Forged HL7 messages change the case record",
            "Spoofing",
            "AW-5",
            3,
            2,
            6,
            "HL7 message authentication\nNetwork Bridge allow list",
            2,
            2,
            4,
            "Accepted per benefit-risk analysis",
        ],
        [
            "AT-04",
            "Gas mixer commands flooded to stop delivery",
            "Denial of service",
            "AW-3",
            2,
            5,
            10,
            "Message integrity counters",
            1,
            5,
            5,
            "Not applicable",
        ],
        [
            "AT-05",
            "Bridge firmware replaced to reach the ventilator",
            "Elev. of Privilege",
            "AW-4",
            2,
            4,
            8,
            "Signed firmware",
            1,
            4,
            4,
            "Transferred (labeling)",
        ],
    ]
    for n, row in enumerate(threats):
        _put(ta, 5 + n, row)
    _put(ta, 12, ["Risk acceptance"])
    _put(ta, 13, ["Threat ID", "Residual Risk Rationale", "Reviewer"])
    _put(ta, 14, ["AT-03", "Messages only change documentation, not therapy", "Safety board"])
    _put(ta, 15, ["AT-05", "Installation is restricted to authorised service (IFU 7.3)", "Safety board"])

    ctl = wb.create_sheet("Controls")
    _put(ctl, 1, ["Control", "Description", "FDA Category", "Owner"])
    ctls = [
        ["Message integrity counters", "Rolling counters and CRC-32 on CAN frames", "Integrity", "Manufacturer"],
        ["Encrypted serial protocol", "AES-GCM on the serial case-data link", "Cryptography", "Manufacturer"],
        ["HL7 message authentication", "HMAC on HL7 messages with a per-site key", "Authentication", "Shared"],
        ["Network Bridge allow list", "Only the configured AIS address may connect", "Access control", "Customer"],
        ["Signed firmware", "Bridge firmware signed and verified at boot", "Code integrity", "Manufacturer"],
    ]
    for n, row in enumerate(ctls):
        _put(ctl, 2 + n, row)
    path = folder / "AnaSys9_Threat_Analysis.xlsx"
    wb.save(str(path))
    vcu, disp, mixer, bridge, ais = (
        "Ventilator Control Unit",
        "Anesthesia Display",
        "Gas Mixer",
        "Network Bridge",
        "Anesthesia Information System",
    )
    return Heldout(
        "anaesthesia-xlsx",
        [path],
        Expected(
            product="AnaSys 9 Anesthesia Workstation",
            elements={vcu: "Device core", disp: "Device core", mixer: "Device core", bridge: "Device edge", ais: "Hospital network"},
            flows={(disp, vcu), (vcu, mixer), (vcu, bridge), (bridge, ais)},
            # No asset table anywhere: the data the flows carry are the data assets (docs/import.md).
            assets={"Operator settings", "Gas mix commands", "Case data"},
            views=[],
            controls={
                "Message integrity counters",
                "Encrypted serial protocol",
                "HL7 message authentication",
                "Network Bridge allow list",
                "Signed firmware",
            },
            controls_by_title=True,
            threats={
                "AT-01": Thr("T", "mitigated", ("Message integrity counters",), (f"{disp} -> {vcu}",), risk="critical", residual="low"),
                "AT-02": Thr("IT", "open", ("Encrypted serial protocol",), (f"{vcu} -> {bridge}",), risk="medium", residual="low"),
                "AT-03": Thr(
                    "S", "accepted", ("HL7 message authentication", "Network Bridge allow list"), (ais,), risk="medium", residual="low"
                ),
                "AT-04": Thr("D", "not_applicable", ("Message integrity counters",), (mixer,)),
                "AT-05": Thr("E", "transferred", ("Signed firmware",), (bridge,)),
            },
        ),
    )


# ================================= 9. wearable ECG patch (Word, interfaces by far end, title row in a table)


def ecg_patch_docx(folder: Path) -> Heldout:
    """A cover table under a merged "DOCUMENT INFORMATION" row, an interfaces table that names only the far
    end ("Connected to"), "Use Case 1 – ..." headings, a threat table with its title in a merged first row and
    its header repeated after a page break, "Threat Type" written "Information Disclosure / Tampering",
    threats that target an interface by its name, pre- and post-mitigation scores."""
    d = Doc()
    d.title("CardioTrace ECG Patch System: Security Risk Management Report")
    t = d.table(
        [
            ["DOCUMENT INFORMATION", ""],
            ["Device", "CardioTrace Wearable ECG Patch"],
            ["Manufacturer", "Pulsewave Diagnostics Inc."],
            ["Doc. No.", "PW-SRM-0007"],
            ["Revision", "B"],
        ]
    )
    t.cell(0, 0).merge(t.cell(0, 1))
    d.heading("1 Scope", 1)
    d.para("This report covers the patch, its companion app, the charging cradle and the cardiac cloud.")
    d.heading("2 Architecture", 1)
    d.heading("2.1 Components", 2)
    d.table(
        [
            ["Component", "Type"],
            ["ECG Patch", "Wearable device"],
            ["Companion App", "Mobile app"],
            ["Charging Cradle", "Hardware"],
            ["Cardiac Cloud", "Cloud service"],
            ["Physician Portal", "Web application"],
        ]
    )
    d.heading("2.2 External Interfaces of the Patch", 2)
    d.table(
        [
            ["Interface", "Connected to", "Protocol", "Authentication"],
            ["BLE link", "Companion App", "BLE 5.0", "LE Secure Connections passkey"],
            ["USB cradle port", "Charging Cradle", "USB 2.0", "None"],
        ]
    )
    d.heading("2.3 Data Flows", 2)
    d.table(
        [
            ["Source", "Destination", "Protocol", "Data"],
            ["Companion App", "Cardiac Cloud", "HTTPS", "ECG recordings"],
            ["Physician Portal", "Cardiac Cloud", "HTTPS", "Reports"],
        ]
    )
    d.heading("3 Security Architecture", 1)
    d.heading("3.1 Global System View", 2)
    d.para("The patch records ECG and sends it to the app, which uploads it to the cardiac cloud.")
    d.heading("3.2 Multi-Patient Harm View", 2)
    d.para("The cardiac cloud holds the recordings of all patients.")
    d.heading("3.3 Updatability and Patchability View", 2)
    d.para("Patch firmware is updated over BLE from the app; cloud services are patched monthly.")
    d.heading("3.4 Use Case 1 – Continuous Recording", 2)
    d.bullets("The patch records ECG.", "The app uploads the recording every hour.", numbered=True)
    d.heading("3.5 Use Case 2 – Firmware Update over BLE", 2)
    d.bullets("The app downloads the signed image.", "The patch verifies and installs it.", numbered=True)
    d.heading("4 Threat Register", 1)
    header = [
        "Threat Ref.",
        "Threat Type",
        "Threat Scenario",
        "Interface / Component",
        "Risk Score (pre)",
        "Risk Score (post)",
        "Mitigation",
        "Status",
    ]
    rows = [
        ["Table 4 – Threat register", "", "", "", "", "", "", ""],
        header,
        [
            "ECG-T1",
            "Information Disclosure / Tampering",
            "ECG data intercepted or altered on the BLE link",
            "BLE link",
            "16",
            "4",
            "MT-1",
            "Mitigated",
        ],
        ["ECG-T2", "Spoofing", "A rogue app pairs with the patch", "ecg patch", "12", "3", "MT-1, MT-2", "Mitigated"],
        ["ECG-T3", "Tampering", "Malicious firmware pushed over BLE", "ECG Patch", "20", "5", "MT-3", "Mitigated"],
        header,
        [
            "ECG-T4",
            "Information Disclosure",
            "Bulk download of recordings from the cloud",
            "Cardiac Cloud",
            "15",
            "6",
            "MT-4; MT-5",
            "Partially Mitigated",
        ],
        ["ECG-T5", "Denial of Service", "Patch battery drained through the USB cradle port", "USB cradle port", "6", "6", "", "Accepted"],
    ]
    table = d.table(rows)
    table.cell(0, 0).merge(table.cell(0, 7))
    d.para("Table 5: Repudiation threats", style="Caption")
    d.table(
        [
            ["Threat Ref.", "Threat Scenario", "Interface / Component", "Mitigation", "Status"],
            ["ECG-T6", "Physician denies signing off a report", "Physician Portal", "MT-6", "Open"],
        ]
    )
    d.heading("5 Mitigations", 1)
    d.table(
        [
            ["Mitigation Ref.", "Mitigation Description", "FDA Category"],
            ["MT-1", "LE Secure Connections with passkey entry", "Authentication"],
            ["MT-2", "App attestation before pairing", "Authentication"],
            ["MT-3", "Signed firmware verified by the patch bootloader", "Code, Data, and Execution Integrity"],
            ["MT-4", "Per-clinic authorisation on every download", "Authorization"],
            ["MT-5", "Download rate limits and anomaly alerts", "Event Detection and Logging"],
            ["MT-6", "Signed audit trail of report sign-off", "Event Detection and Logging"],
        ]
    )
    path = d.save(folder / "CardioTrace_SRM_Report.docx")
    return Heldout(
        "ecg-patch-docx",
        [path],
        Expected(
            product="CardioTrace Wearable ECG Patch",
            elements={"ECG Patch": None, "Companion App": None, "Charging Cradle": None, "Cardiac Cloud": None, "Physician Portal": None},
            flows={
                ("ECG Patch", "Companion App"),
                ("ECG Patch", "Charging Cradle"),
                ("Companion App", "Cardiac Cloud"),
                ("Physician Portal", "Cardiac Cloud"),
            },
            assets={"ECG recordings", "Reports"},  # named only in the flow table's Data column
            views=[
                ("global_system", None),
                ("multi_patient_harm", None),
                ("updatability_patchability", None),
                ("security_use_case", "Continuous Recording"),
                ("security_use_case", "Firmware Update over BLE"),
            ],
            controls={f"MT-{n}" for n in range(1, 7)},
            threats={
                "ECG-T1": Thr("IT", "mitigated", "MT-1", ("ECG Patch -> Companion App",), risk="high", residual="low"),
                "ECG-T2": Thr("S", "mitigated", _ids("MT-1", "MT-2"), ("ECG Patch",), risk="high", residual="low"),
                "ECG-T3": Thr("T", "mitigated", "MT-3", ("ECG Patch",), risk="critical", residual="low"),
                "ECG-T4": Thr("I", "partially_mitigated", _ids("MT-4", "MT-5"), ("Cardiac Cloud",), risk="high", residual="medium"),
                "ECG-T5": Thr("D", "accepted", "", ("ECG Patch -> Charging Cradle",), risk="medium", residual="medium"),
                "ECG-T6": Thr("R", "open", "MT-6", ("Physician Portal",)),
            },
        ),
    )


# =========================== 10. CPAP device with cloud (Excel, one sheet per STRIDE category, "ID: title" cells)


def cpap_xlsx(folder: Path) -> Heldout:
    """One threat sheet per STRIDE category and no STRIDE column, the threat id written in the same cell as its
    title ("SP-01: ..."), a threat merged down over two rows (two components, a countermeasure each), a legend
    block to the right of the table, countermeasures that name the threats they counter, threat tables stacked
    on one sheet under caption rows naming their STRIDE category."""
    wb = openpyxl.Workbook()
    comp = wb.active
    assert comp is not None
    comp.title = "Components"
    _put(comp, 1, ["Component", "Description", "Trust Zone"])
    for n, row in enumerate(
        [
            ["CPAP Unit", "Bedside therapy device", "Patient bedroom"],
            ["SD Card", "Removable therapy log card", "Patient bedroom"],
            ["Modem Module", "Cellular modem inside the unit", "Patient bedroom"],
            ["SleepCloud", "Therapy data and settings service", "Vendor cloud"],
            ["Provider Portal", "Web portal for sleep clinics", "Vendor cloud"],
        ]
    ):
        _put(comp, 2 + n, row)

    sp = wb.create_sheet("Spoofing")
    _put(sp, 1, ["Threat", "Component", "Countermeasures", "Status"])
    _put(sp, 2, ["SP-01: Fake cloud server pushes therapy settings", "Modem Module", "CM-1", "Mitigated"])
    _put(sp, 3, ["SP-02: Clinic account taken over on the provider portal", "Provider Portal", "CM-2", "Open"])
    _put(sp, 1, ["Status legend"], col=7)
    _put(sp, 2, ["Open = no control verified yet"], col=7)
    _put(sp, 3, ["Mitigated = control verified by test"], col=7)

    ta = wb.create_sheet("Tampering")
    _put(ta, 1, ["Threat", "Component", "Countermeasures", "Status"])
    _put(ta, 2, ["TA-01: Therapy pressure changed through a crafted settings file", "sd card", "CM-3", "Mitigated"])
    _put(ta, 3, ["TA-02: Firmware replaced during service", "CPAP Unit", "CM-3", "Mitigated"])
    _put(ta, 4, ["", "Modem Module", "CM-4", ""])
    ta.merge_cells("A3:A4")
    ta.merge_cells("D3:D4")

    info = wb.create_sheet("Info Disclosure")
    _put(info, 1, ["Threat", "Component", "Countermeasures", "Status"])
    _put(info, 2, ["ID-01: Therapy data read from a lost SD card", "SD Card", "CM-5", "Risk accepted"])
    _put(info, 3, ["ID-02: Patient records exposed by the portal API", "SleepCloud; Provider Portal", "CM-2, CM-6", "Partially mitigated"])

    more = wb.create_sheet("More threats")
    _put(more, 1, ["Repudiation threats"])
    _put(more, 2, ["Threat", "Component", "Countermeasures", "Status"])
    _put(more, 3, ["RE-01: Clinic denies changing a patient's pressure settings", "Provider Portal", "CM-7", "Open"])
    _put(more, 6, ["Elevation of Privilege threats"])
    _put(more, 7, ["Threat", "Component", "Countermeasures", "Status"])
    _put(more, 8, ["EP-01: Service menu unlocked with a default PIN", "CPAP Unit", "CM-3", "Mitigated"])

    cm = wb.create_sheet("Countermeasures")
    _put(cm, 1, ["Countermeasure ID", "Countermeasure", "Threats", "Category"])
    for n, row in enumerate(
        [
            ["CM-1", "Server certificate pinning in the modem", "SP-01", "Authentication"],
            ["CM-2", "MFA and per-clinic authorisation on the portal", "SP-02, ID-02", "Authentication"],
            ["CM-3", "Signed settings files and firmware", "TA-01–TA-02", "Integrity"],
            ["CM-4", "Modem firmware signed by the module vendor", "TA-02", "Integrity"],
            ["CM-5", "Therapy logs on the card hold no patient identity", "ID-01", "Confidentiality"],
            ["CM-6", "Encryption at rest and API rate limits", "ID-02", "Cryptography"],
            ["CM-7", "Audit trail of settings changes", "RE-01", "Logging"],
        ]
    ):
        _put(cm, 2 + n, row)
    path = folder / "SomnaAir_CPAP_Threats.xlsx"
    wb.save(str(path))
    return Heldout(
        "cpap-xlsx",
        [path],
        Expected(
            product="",
            elements={
                "CPAP Unit": "Patient bedroom",
                "SD Card": "Patient bedroom",
                "Modem Module": "Patient bedroom",
                "SleepCloud": "Vendor cloud",
                "Provider Portal": "Vendor cloud",
            },
            flows=set(),
            assets=set(),
            views=[],
            controls={f"CM-{n}" for n in range(1, 8)},
            threats={
                "SP-01": Thr("S", "mitigated", "CM-1", ("Modem Module",)),
                "SP-02": Thr("S", "open", "CM-2", ("Provider Portal",)),
                "TA-01": Thr("T", "mitigated", "CM-3", ("SD Card",)),
                "TA-02": Thr("T", "mitigated", _ids("CM-3", "CM-4"), ("CPAP Unit", "Modem Module")),
                "ID-01": Thr("I", "accepted", "CM-5", ("SD Card",)),
                "ID-02": Thr("I", "partially_mitigated", _ids("CM-2", "CM-6"), ("SleepCloud", "Provider Portal")),
                "RE-01": Thr("R", "open", "CM-7", ("Provider Portal",)),
                "EP-01": Thr("E", "mitigated", "CM-3", ("CPAP Unit",)),
            },
        ),
    )


# ============================ 11. radiotherapy planning software, SaMD (Word, one form table per threat)


def rt_planning_docx(folder: Path) -> Heldout:
    """A four-column cover table, one small "field | value" form per threat (four to seven rows) under the
    use-case view it belongs to, a flow targeted by its name, security controls as a bulleted "SC-1: ..." list."""
    d = Doc()
    d.title("OncoPlan RT Treatment Planning Software – Cybersecurity Risk Assessment")
    d.table([["Document No.", "ONC-SEC-003", "Revision", "B"], ["Product", "OncoPlan RT 7", "Manufacturer", "Helix Oncology Software Ltd"]])
    d.heading("1 Introduction", 1)
    d.para("OncoPlan RT is software as a medical device used to plan radiotherapy treatments.")
    d.heading("2 System Overview", 1)
    d.heading("2.1 Software Items", 2)
    d.table(
        [
            ["Item", "Type", "Zone"],
            ["Planning Client", "Desktop application", "Clinic workstation"],
            ["Dose Engine", "Service", "Clinic server"],
            ["Plan Database", "Database", "Clinic server"],
            ["Licensing Service", "Cloud service", "Vendor cloud"],
            ["Treatment Delivery System", "External system", "Treatment room"],
        ]
    )
    d.heading("2.2 Data Flows", 2)
    d.table(
        [
            ["Flow", "From", "To", "Protocol"],
            ["Plan export", "Planning Client", "Treatment Delivery System", "DICOM RT"],
            ["Dose calculation", "Planning Client", "Dose Engine", "gRPC over TLS"],
            ["Plan storage", "Dose Engine", "Plan Database", "SQL over TLS"],
            ["Licence check", "Planning Client", "Licensing Service", "HTTPS"],
        ]
    )
    d.heading("3 Security Architecture Views", 1)
    d.heading("3.1 Global System View", 2)
    d.para("All items except the licensing service run in the clinic.")
    d.heading("3.2 Multi-Patient Harm View", 2)
    d.para("A manipulated dose engine affects every plan calculated with it.")
    d.heading("3.3 Updatability/Patchability View", 2)
    d.para("Releases are signed installers deployed by the clinic's IT department.")
    d.heading("3.4 Security Use Case View: Plan Export to the Linac", 2)
    d.para("The planner approves the plan and exports it to the treatment delivery system.")
    d.table(
        [
            ["Threat ID", "TP-01"],
            ["Threat", "Exported RT plan altered before delivery"],
            ["STRIDE", "T"],
            ["Affected item", "Plan export"],
            ["Controls", "SC-1, SC-2"],
            ["Status", "Mitigated"],
        ]
    )
    d.table(
        [
            ["ID", "TP-02"],
            ["Title", "Rogue delivery system receives plans"],
            ["Category", "Spoofing / Information disclosure"],
            ["Component", "Treatment Delivery System"],
            ["Mitigation", "SC-3"],
            ["Residual risk", "Low"],
            ["Status", "Accepted"],
        ]
    )
    d.heading("3.5 Security Use Case View: Dose Calculation", 2)
    d.table([["Threat ID", "TP-03"], ["Title", "Dose engine returns manipulated results"], ["Status", "Open"], ["Mitigation", "SC-4"]])
    d.heading("4 Other Threats", 1)
    d.table(
        [
            ["Threat ID", "TP-04"],
            ["Description", "Licence server outage blocks planning"],
            ["STRIDE", "D"],
            ["Component", "Licensing Service"],
            ["Controls", "SC-5"],
            ["Status", "Risk accepted"],
        ]
    )
    d.table(
        [
            ["Threat ID", "TP-05"],
            ["Threat", "SQL injection in plan database queries"],
            ["STRIDE", "T, I, E"],
            ["Component", "plan database"],
            ["Controls", "SC-6"],
            ["Status", "Mitigated"],
        ]
    )
    d.heading("5 Security Controls", 1)
    d.bullets(
        "SC-1: Plans are signed by the planning client and verified by the delivery system",
        "SC-2 – Checksums on DICOM RT objects",
        "SC-3: Mutual TLS with the delivery system",
        "SC-4: Independent dose verification before approval",
        "SC-5: Offline licence grace period of 30 days",
        "SC-6: Parameterised queries and a least-privilege database account",
    )
    path = d.save(folder / "OncoPlan_RT_Cybersecurity_Risk_Assessment.docx")
    client, engine, db, lic, tds = ("Planning Client", "Dose Engine", "Plan Database", "Licensing Service", "Treatment Delivery System")
    return Heldout(
        "rt-planning-docx",
        [path],
        Expected(
            product="OncoPlan RT 7",
            elements={
                client: "Clinic workstation",
                engine: "Clinic server",
                db: "Clinic server",
                lic: "Vendor cloud",
                tds: "Treatment room",
            },
            flows={(client, tds), (client, engine), (engine, db), (client, lic)},
            assets=set(),
            views=[
                ("global_system", None),
                ("multi_patient_harm", None),
                ("updatability_patchability", None),
                ("security_use_case", "Plan Export to the Linac"),
                ("security_use_case", "Dose Calculation"),
            ],
            controls={f"SC-{n}" for n in range(1, 7)},
            control_titles={"SC-2": "Checksums on DICOM RT objects"},
            threats={
                "TP-01": Thr("T", "mitigated", _ids("SC-1", "SC-2"), (f"{client} -> {tds}",)),
                "TP-02": Thr("SI", "accepted", "SC-3", (tds,), residual="low"),
                "TP-03": Thr("", "open", "SC-4", (), title="Dose engine returns manipulated results"),
                "TP-04": Thr("D", "accepted", "SC-5", (lic,), title="Licence server outage blocks planning"),
                "TP-05": Thr("TIE", "mitigated", "SC-6", (db,)),
            },
            view_threats={"Plan Export to the Linac": {"TP-01", "TP-02"}, "Dose Calculation": {"TP-03"}},
        ),
    )


BUILDERS: dict[str, Callable[[Path], Heldout]] = {
    "insulin-pump-docx": insulin_pump_docx,
    "insulin-pump-word-and-excel": insulin_pump_both,
    "patient-monitor-xlsx": patient_monitor_xlsx,
    "ct-scanner-docx": ct_scanner_docx,
    "cardiac-programmer-docx": cardiac_programmer_docx,
    "ventilator-csv": ventilator_csv,
    "glucose-meter-xlsx": glucose_meter_xlsx,
    "dialysis-docx": dialysis_docx,
    "anaesthesia-xlsx": anaesthesia_xlsx,
    "ecg-patch-docx": ecg_patch_docx,
    "cpap-xlsx": cpap_xlsx,
    "rt-planning-docx": rt_planning_docx,
}


# ============================================== the same register with shuffled columns and other headers

HEADER_POOLS: dict[str, list[str]] = {
    "id": ["Threat Ref", "ID", "Threat ID", "Ref.", "#", "Threat No."],
    "title": ["Threat Scenario", "Threat", "Threat Title", "Vulnerability", "Attack Scenario"],
    "stride": ["STRIDE Category", "STRIDE", "Threat Type", "Category", "STRIDE Classification"],
    "targets": ["Affected Component(s)", "Component", "Asset/Component", "Entry Point", "Affected Element", "Target"],
    "risk": ["Pre-Mitigation Risk", "Initial Risk", "Inherent Risk", "Risk (pre)", "Risk Before Controls"],
    "controls": ["Mitigation/Control ID", "Mitigation(s)", "Controls", "Control ID(s)", "Countermeasures", "Security Controls"],
    "residual": ["Residual Risk", "Risk (post)", "Post-Mitigation Risk", "Residual", "Risk After Controls"],
    "status": ["Status/Disposition", "Status", "Disposition", "Threat Status", "Mitigation Status"],
}
_FIELDS = ["id", "title", "stride", "targets", "risk", "controls", "residual", "status"]


def shuffled_register(folder: Path, seed: int, fmt: str) -> Heldout:
    """The insulin pump's threat register with its columns in a random order under random synonyms,
    beside its component and control tables, as Word or Excel."""
    import random

    rnd = random.Random(seed)
    order = _FIELDS[:]
    rnd.shuffle(order)
    header = [rnd.choice(HEADER_POOLS[f]) for f in order]
    rows = [[dict(zip(_FIELDS, r, strict=True))[f] for f in order] for r in INSULIN_THREATS]
    components = [["Component", "Trust Zone"], *[[n, z or ""] for n, z in INSULIN_ELEMENTS.items()]]
    controls = [["Control ID", "Control"], *[[c, f"Control {c}"] for c in sorted(INSULIN_CONTROLS)]]
    if fmt == "docx":
        d = Doc()
        d.heading("System Components", 1)
        d.table(components)
        d.heading("Threat Register", 1)
        d.table([header, *rows])
        d.heading("Security Controls", 1)
        d.table(controls)
        path = d.save(folder / f"register-{seed}.docx")
    else:
        wb = openpyxl.Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "Components"
        for n, row in enumerate(components, start=1):
            _put(ws, n, row)
        ws2 = wb.create_sheet("Threat Register")
        _put(ws2, 1, [f"Threat register (layout {seed})"])
        _put(ws2, 3, header)
        for n, row in enumerate(rows, start=4):
            _put(ws2, n, row)
        ws3 = wb.create_sheet("Controls")
        for n, row in enumerate(controls, start=1):
            _put(ws3, n, row)
        path = folder / f"register-{seed}.xlsx"
        wb.save(str(path))
    threats = {tid: Thr(t.stride, t.status, t.controls, t.targets) for tid, t in INSULIN_EXPECTED_THREATS.items()}
    return Heldout(
        f"shuffled-{fmt}-{seed}",
        [path],
        Expected(
            product="",
            elements=dict(INSULIN_ELEMENTS),
            flows=set(),
            assets=set(),
            views=[],
            controls=set(INSULIN_CONTROLS),
            threats=threats,
        ),
    )
