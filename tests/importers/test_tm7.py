"""Microsoft Threat Modeling Tool (.tm7) import: a synthetic two-diagram model and the public corpus."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from lxml import etree

from mdptm.errors import InputError
from mdptm.formats.interchange import IdMinter, headline, plain
from mdptm.importers.tm7 import Tm7Importer
from mdptm.model import Model
from mdptm.model.io import dumps
from mdptm.model.report import ImportReport
from mdptm.model.validate import validate_model
from mdptm.pipeline.importing import detect, import_one
from mdptm.plugins import ImportContext, importers

M = "http://schemas.datacontract.org/2004/07/ThreatModeling.Model"
ABS = "http://schemas.datacontract.org/2004/07/ThreatModeling.Model.Abstracts"
KB = "http://schemas.datacontract.org/2004/07/ThreatModeling.KnowledgeBase"
ARR = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"
SER = "http://schemas.microsoft.com/2003/10/Serialization/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XSD = "http://www.w3.org/2001/XMLSchema"
NIL = "00000000-0000-0000-0000-000000000000"
NETWORK_TYPE = "63e7829e-c420-4546-8336-0194c41d6f5c"  # a custom generic type, known only through the KnowledgeBase
DEVICE_TYPE = "7f1c3a52-9d7e-4c5e-8a1b-2f4e6d8c0b1a"
COUNTERMEASURE = "44490cdf-6399-4291-9bde-03dca6f03c11"
TEAM = "941f9317-9ad1-4b3a-8c2e-6f0d2b7e5a14"


def g(n: int) -> str:
    """A readable fake GUID."""
    return f"{n:08x}-0000-4000-8000-{n:012x}"


# ------------------------------------------------------------------------------ .tm7 builder


def _attr(kind: str, display: str, value_xml: str, name: str = "") -> str:
    # the KnowledgeBase prefix is declared right here, as TMT does on every property
    return (
        f'<a:anyType xmlns:b="{KB}" i:type="b:{kind}"><b:DisplayName>{escape(display)}</b:DisplayName>'
        f"<b:Name>{name}</b:Name>{value_xml}</a:anyType>"
    )


def header(display: str) -> str:
    return _attr("HeaderDisplayAttribute", display, '<b:Value i:nil="true"/>')


def text(display: str, value: str, name: str = "") -> str:
    return _attr("StringDisplayAttribute", display, f'<b:Value xmlns:c="{XSD}" i:type="c:string">{escape(value)}</b:Value>', name)


def flag(display: str, value: bool, name: str = "") -> str:
    return _attr("BooleanDisplayAttribute", display, f'<b:Value xmlns:c="{XSD}" i:type="c:boolean">{str(value).lower()}</b:Value>', name)


def choice(display: str, choices: list[str], selected: int, name: str = "") -> str:
    items = "".join(f"<a:string>{escape(c)}</a:string>" for c in choices)
    return _attr(
        "ListDisplayAttribute",
        display,
        f'<b:Value i:type="a:ArrayOfstring">{items}</b:Value><b:SelectedIndex>{selected}</b:SelectedIndex>',
        name,
    )


def props(*attrs: str) -> str:
    return f'<Properties xmlns="{ABS}" xmlns:a="{ARR}">{"".join(attrs)}</Properties>'


def border(guid: str, shape: str, generic: str, type_id: str, attrs: list[str], box: tuple[int, int, int, int]) -> str:
    left, top, width, height = box
    geo = "".join(f'<{k} xmlns="{ABS}">{v}</{k}>' for k, v in (("Height", height), ("Left", left), ("Top", top), ("Width", width)))
    return (
        f'<a:KeyValueOfguidanyType xmlns:a="{ARR}"><a:Key>{guid}</a:Key>'
        f'<a:Value xmlns:z="{SER}" z:Id="i{guid[:8]}" i:type="{shape}">'
        f'<GenericTypeId xmlns="{ABS}">{generic}</GenericTypeId><Guid xmlns="{ABS}">{guid}</Guid>{props(*attrs)}'
        f'<TypeId xmlns="{ABS}">{type_id}</TypeId>{geo}</a:Value></a:KeyValueOfguidanyType>'
    )


def line(guid: str, shape: str, generic: str, type_id: str, attrs: list[str], src: str, tgt: str, pts: list[tuple[int, int]]) -> str:
    (sx, sy), (hx, hy), (tx, ty) = pts
    geo = "".join(
        f'<{k} xmlns="{ABS}">{v}</{k}>'
        for k, v in (
            ("HandleX", hx),
            ("HandleY", hy),
            ("PortSource", "East"),
            ("PortTarget", "West"),
            ("SourceGuid", src),
            ("SourceX", sx),
            ("SourceY", sy),
            ("TargetGuid", tgt),
            ("TargetX", tx),
            ("TargetY", ty),
        )
    )
    # the arrays namespace under another prefix this time: only the URI may matter
    return (
        f'<q:KeyValueOfguidanyType xmlns:q="{ARR}"><q:Key>{guid}</q:Key>'
        f'<q:Value xmlns:z="{SER}" z:Id="i{guid[:8]}" i:type="{shape}">'
        f'<GenericTypeId xmlns="{ABS}">{generic}</GenericTypeId><Guid xmlns="{ABS}">{guid}</Guid>{props(*attrs)}'
        f'<TypeId xmlns="{ABS}">{type_id}</TypeId>{geo}</q:Value></q:KeyValueOfguidanyType>'
    )


def surface(guid: str, name: str, borders: list[str], lines: list[str]) -> str:
    return (
        f'<DrawingSurfaceModel xmlns:z="{SER}" z:Id="s{guid[:6]}"><GenericTypeId xmlns="{ABS}">DRAWINGSURFACE</GenericTypeId>'
        f'<Guid xmlns="{ABS}">{guid}</Guid>{props(header("Diagram"), text("Name", name))}'
        f'<TypeId xmlns="{ABS}">DRAWINGSURFACE</TypeId><Borders xmlns:a="{ARR}">{"".join(borders)}</Borders>'
        f'<Header>{escape(name)}</Header><Lines xmlns:a="{ARR}">{"".join(lines)}</Lines><Zoom>1</Zoom></DrawingSurfaceModel>'
    )


def threat(
    tid: int,
    type_id: str,
    ends: tuple[str, str, str],
    state: str,
    priority: str,
    diagram: str,
    properties: dict[str, str],
    *,
    state_information: str | None = None,
    entry: str = "KeyValueOfstringThreatpc_P0_PhOB",
    changed: tuple[str, str] | None = None,  # (ChangedBy, ModifiedAt) of a threat someone edited
) -> str:
    src, flow, tgt = ends
    by, at = changed or (None, "0001-01-01T00:00:00")
    kv = "".join(
        f"<a:KeyValueOfstringstring><a:Key>{k}</a:Key><a:Value>{escape(v)}</a:Value></a:KeyValueOfstringstring>"
        for k, v in properties.items()
    )
    info = (
        '<b:StateInformation i:nil="true"/>'
        if state_information is None
        else f"<b:StateInformation>{escape(state_information)}</b:StateInformation>"
    )
    return (
        f'<a:{entry} xmlns:a="{ARR}"><a:Key>{type_id}{src}{flow}{tgt}</a:Key><a:Value xmlns:b="{KB}">'
        + ('<b:ChangedBy i:nil="true"/>' if by is None else f"<b:ChangedBy>{escape(by)}</b:ChangedBy>")
        + f"<b:DrawingSurfaceGuid>{diagram}</b:DrawingSurfaceGuid><b:FlowGuid>{flow}</b:FlowGuid>"
        f'<b:Id>{tid}</b:Id><b:InteractionKey>{src}:{flow}:{tgt}</b:InteractionKey><b:InteractionString i:nil="true"/>'
        f"<b:ModifiedAt>{at}</b:ModifiedAt><b:Priority>{priority}</b:Priority><b:Properties>{kv}</b:Properties>"
        f"<b:SourceGuid>{src}</b:SourceGuid><b:State>{state}</b:State>{info}<b:TargetGuid>{tgt}</b:TargetGuid>"
        f'<b:Title i:nil="true"/><b:TypeId>{type_id}</b:TypeId><b:Upgraded>false</b:Upgraded>'
        f'<b:UserThreatCategory i:nil="true"/><b:UserThreatDescription i:nil="true"/>'
        f'<b:UserThreatShortDescription i:nil="true"/><b:Wide>false</b:Wide></a:Value></a:{entry}>'
    )


KNOWLEDGE_BASE = f"""<KnowledgeBase xmlns:a="{KB}">
<a:GenericElements>
  <a:ElementType><a:Id>GE.P</a:Id><a:Name>Generic Process</a:Name><a:ParentId>ROOT</a:ParentId>
    <a:Representation>Ellipse</a:Representation></a:ElementType>
  <a:ElementType><a:Id>{NETWORK_TYPE}</a:Id><a:Name>General Network</a:Name><a:ParentId>ROOT</a:ParentId>
    <a:Representation>BorderBoundary</a:Representation></a:ElementType>
  <a:ElementType><a:Id>{DEVICE_TYPE}</a:Id><a:Name>Medical Device</a:Name><a:ParentId>ROOT</a:ParentId>
    <a:Representation>Rectangle</a:Representation></a:ElementType>
</a:GenericElements>
<a:Manifest><a:Author>Device maker</a:Author><a:Id>{g(999)}</a:Id><a:Name>Device Template</a:Name><a:Version>2.1</a:Version></a:Manifest>
<a:StandardElements>
  <a:ElementType><a:Id>SE.P.Pump</a:Id><a:Name>Infusion Pump Firmware</a:Name><a:ParentId>GE.P</a:ParentId></a:ElementType>
  <a:ElementType><a:Id>SE.EI.TMCore.Mobile</a:Id><a:Name>Mobile Client</a:Name><a:ParentId>GE.EI</a:ParentId></a:ElementType>
  <a:ElementType><a:Id>SE.P.AzureWebApp</a:Id><a:Name>Azure App Service Web App</a:Name><a:ParentId>GE.P</a:ParentId></a:ElementType>
  <a:ElementType><a:Id>SE.DF.TMCore.HTTPS</a:Id><a:Name>HTTPS</a:Name><a:ParentId>GE.DF</a:ParentId></a:ElementType>
</a:StandardElements>
<a:ThreatCategories><a:ThreatCategory><a:Id>S</a:Id><a:Name>Spoofing</a:Name></a:ThreatCategory></a:ThreatCategories>
<a:ThreatMetaData><IsPriorityUsed>true</IsPriorityUsed><IsStatusUsed>true</IsStatusUsed><PropertiesMetaData>
  <ThreatMetaDatum><Name>Title</Name><Label>Title</Label></ThreatMetaDatum>
  <ThreatMetaDatum><Name>{COUNTERMEASURE}</Name><Label>Countermeasure</Label><Id>{COUNTERMEASURE}</Id></ThreatMetaDatum>
  <ThreatMetaDatum><Name>{TEAM}</Name><Label>Team</Label><Id>{TEAM}</Id></ThreatMetaDatum>
</PropertiesMetaData></a:ThreatMetaData>
<a:ThreatTypes><a:ThreatType><a:Id>T9</a:Id><a:ShortTitle>Spoofing of the update server</a:ShortTitle>
  <a:Category>S</a:Category></a:ThreatType></a:ThreatTypes>
</KnowledgeBase>"""

D1, D2 = g(100), g(200)
Z_OUTER, Z_INNER = g(1), g(2)
PUMP, SERVER, TABLET, NAMELESS, DEVICE, NOTE = g(11), g(12), g(13), g(14), g(15), g(16)
PUMP_AGAIN, UPDATER = g(21), g(22)
F_DOSE, F_SYNC, F_TELEMETRY, F_ORPHAN, F_UPDATE = g(31), g(32), g(33), g(34), g(35)
LINE_BOUNDARY = g(41)


def synthetic_tm7(extra_threats: str = "") -> bytes:
    """Two diagrams, nested boundaries (one of a custom type), a loose and a dangling flow, triaged threats."""
    d1 = surface(
        D1,
        "Global System View",
        [
            border(
                Z_OUTER,
                "BorderBoundary",
                "GE.TB.B",
                "GE.TB.B",
                [header("Generic Trust Border Boundary"), text("Name", "Hospital network")],
                (0, 0, 600, 400),
            ),
            border(
                Z_INNER,
                "BorderBoundary",
                NETWORK_TYPE,
                NETWORK_TYPE,
                [header("General Network"), text("Name", "Pump subsystem")],
                (20, 20, 250, 250),
            ),
            border(
                PUMP,
                "StencilEllipse",
                "GE.P",
                "SE.P.Pump",
                [header("Infusion Pump Firmware"), text("Name", "Infusion pump"), flag("Out Of Scope", False, g(71))],
                (50, 50, 100, 100),
            ),
            border(
                SERVER,
                "StencilParallelLines",
                "GE.DS",
                "GE.DS",
                [header("Generic Data Store"), text("Name", "Pump server")],
                (350, 100, 100, 100),
            ),
            border(
                TABLET,
                "StencilRectangle",
                "GE.EI",
                "SE.EI.TMCore.Mobile",
                [
                    header("Mobile Client"),
                    text("Name", "Clinician tablet"),
                    choice("Mobile Client Technologies", ["Select", "Android", "iOS"], 1),
                ],
                (700, 100, 100, 100),
            ),
            border(
                NAMELESS, "StencilEllipse", "GE.P", "SE.P.Pump", [header("Infusion Pump Firmware"), text("Name", "")], (400, 250, 80, 80)
            ),
            border(
                DEVICE,
                "StencilRectangle",
                DEVICE_TYPE,
                DEVICE_TYPE,
                [
                    header("Medical Device"),
                    text("Name", "Patient monitor"),
                    flag("Out Of Scope", True),
                    text("Reason For Out Of Scope", "Third-party device"),
                ],
                (700, 300, 80, 80),
            ),
            border(
                NOTE,
                "StencilRectangle",
                "GE.A",
                "GE.A",
                [header("Free Text Annotation"), text("Name", "Drawn from the 2024 architecture review")],
                (10, 380, 50, 10),
            ),
        ],
        [
            line(
                F_DOSE,
                "Connector",
                "GE.DF",
                "SE.DF.TMCore.HTTPS",
                [header("HTTPS"), text("Name", "Dose command"), choice("Source Authenticated", ["Not Selected", "No", "Yes"], 2)],
                SERVER,
                PUMP,
                [(350, 150), (250, 150), (150, 100)],
            ),
            line(
                F_SYNC,
                "Connector",
                "GE.DF",
                "GE.DF",
                [header("Generic Data Flow"), text("Name", "Sync")],
                TABLET,
                SERVER,
                [(700, 150), (600, 150), (450, 150)],
            ),
            line(
                F_TELEMETRY,
                "Connector",
                "GE.DF",
                "GE.DF",
                [header("Generic Data Flow"), text("Name", "Telemetry")],
                NIL,
                SERVER,
                [(160, 100), (250, 120), (350, 140)],
            ),
            line(
                F_ORPHAN,
                "Connector",
                "GE.DF",
                "GE.DF",
                [header("Generic Data Flow"), text("Name", "Orphan")],
                NIL,
                SERVER,
                [(1000, 1000), (700, 600), (400, 200)],
            ),
            line(
                LINE_BOUNDARY,
                "LineBoundary",
                "GE.TB.L",
                "GE.TB.L",
                [header("Internet Boundary"), text("Name", "Internet boundary")],
                NIL,
                NIL,
                [(650, 0), (650, 200), (650, 400)],
            ),
        ],
    )
    d2 = surface(
        D2,
        "Updatability View",
        [
            border(
                PUMP_AGAIN,
                "StencilEllipse",
                "GE.P",
                "SE.P.Pump",
                [header("Infusion Pump Firmware"), text("Name", "Infusion pump")],
                (50, 50, 100, 100),
            ),
            border(
                UPDATER,
                "StencilEllipse",
                "GE.P",
                "SE.P.AzureWebApp",
                [header("Azure App Service Web App"), text("Name", "Update server")],
                (400, 50, 100, 100),
            ),
        ],
        [
            line(
                F_UPDATE,
                "Connector",
                "GE.DF",
                "GE.DF",
                [header("Generic Data Flow"), text("Name", "Firmware update")],
                UPDATER,
                PUMP_AGAIN,
                [(400, 100), (300, 100), (150, 100)],
            )
        ],
    )
    mitigation_html = 'Use TLS. Refer: <a href="https://example.org/tls">TLS guidance</a>'
    threats = (
        "".join(
            [
                threat(
                    1,
                    "S1",
                    (SERVER, F_DOSE, PUMP),
                    "AutoGenerated",
                    "High",
                    D1,
                    {
                        "Title": "Spoofing the Infusion pump ",
                        "UserThreatCategory": "Spoofing",
                        "UserThreatDescription": "<p>The pump may be <b>spoofed</b>.</p>",
                        "PossibleMitigations": mitigation_html,
                    },
                ),
                threat(
                    2,
                    "T2",
                    (SERVER, F_DOSE, PUMP),
                    "NeedsInvestigation",
                    "Medium",
                    D1,
                    {"Title": "Tampering with dose data", "UserThreatCategory": "Tampering"},
                ),
                threat(
                    3,
                    "T2",
                    (TABLET, F_SYNC, SERVER),
                    "NotStarted",
                    "Low",
                    D1,
                    {"Title": "Tampering with dose data", "UserThreatCategory": "Tampering"},
                ),
                threat(
                    4,
                    "I3",
                    (TABLET, F_SYNC, SERVER),
                    "Mitigated",
                    "High",
                    D1,
                    {"Title": "Sync data read in transit", "UserThreatCategory": "Information Disclosure"},
                    state_information="TLS 1.2 with mutual authentication",
                ),
                threat(
                    5,
                    "D4",
                    (PUMP, F_TELEMETRY, SERVER),
                    "NotApplicable",
                    "High",
                    D1,
                    {
                        "Title": "Telemetry flood",
                        "UserThreatCategory": "Denial Of Service",
                        "StateInformation": "The pump keeps running on a local fallback.",
                    },
                ),
                threat(
                    6,
                    "E5",
                    (NIL, F_ORPHAN, SERVER),
                    "AutoGenerated",
                    "High",
                    D1,
                    {"Title": "Elevation through the orphan flow", "UserThreatCategory": "Elevation Of Privilege"},
                ),
                threat(
                    7,
                    "X1",
                    (UPDATER, F_UPDATE, PUMP_AGAIN),
                    "Mitigated",
                    "Urgent",
                    D2,
                    {
                        "Title": "Malicious firmware",
                        "UserThreatCategory": "Abuse",
                        COUNTERMEASURE: "Signed firmware images, verified by the boot loader",
                        TEAM: "Platform",
                    },
                ),
                threat(8, "T9", (UPDATER, F_UPDATE, PUMP_AGAIN), "AutoGenerated", "High", D2, {}, entry="KeyValueOfstringThreatXyz_Q1"),
            ]
        )
        + extra_threats
    )
    meta = (
        "<MetaInformation><Assumptions>The hospital network is segmented.\nClinicians authenticate with badges.</Assumptions>"
        "<Contributors/><ExternalDependencies/>"
        "<HighLevelSystemDescription>An &lt;b&gt;infusion&lt;/b&gt; pump system.</HighLevelSystemDescription>"
        "<Owner>Jane Roe</Owner><Reviewer/><ThreatModelName>Infusion pump system</ThreatModelName></MetaInformation>"
    )
    doc = (
        f'<ThreatModel xmlns="{M}" xmlns:i="{XSI}"><DrawingSurfaceList>{d1}{d2}</DrawingSurfaceList>{meta}'
        f"<Notes><Note><Id>1</Id><Message>Ask the pump team about the boot loader</Message></Note></Notes>"
        f'<ThreatInstances xmlns:a="{ARR}">{threats}</ThreatInstances><ThreatGenerationEnabled>true</ThreatGenerationEnabled>'
        f"<Validations/><Version>4.3</Version>{KNOWLEDGE_BASE}<Profile/></ThreatModel>"
    )
    return doc.encode("ascii", "xmlcharrefreplace")


def load(path: Path) -> tuple[Model, ImportReport]:
    report = ImportReport()
    model = Tm7Importer().load(path, ImportContext(report=report))
    return model, report.finish()


def count_threat_instances(path: Path) -> int:
    """Independent count: the entries of ThreatInstances, by XPath."""
    root = etree.fromstring(path.read_bytes(), etree.XMLParser(resolve_entities=False, huge_tree=True, no_network=True))
    return int(root.xpath("count(/*[local-name()='ThreatModel']/*[local-name()='ThreatInstances']/*[*[local-name()='Key']])"))


@pytest.fixture
def synthetic(tmp_path: Path) -> Path:
    path = tmp_path / "pump.tm7"
    path.write_bytes(synthetic_tm7())
    return path


# ------------------------------------------------------------------------------- synthetic


def test_every_threat_instance_is_a_threat_even_with_repeated_titles(synthetic: Path) -> None:
    model, _ = load(synthetic)
    assert len(model.threats) == count_threat_instances(synthetic) == 8
    assert [t.id for t in model.threats] == [f"TM7-{n}" for n in range(1, 9)]
    same_title = [t for t in model.threats if t.title == "Tampering with dose data"]
    assert len(same_title) == 2 and same_title[0].targets != same_title[1].targets


def test_elements_of_all_diagrams_with_zones_from_geometry(synthetic: Path) -> None:
    model, report = load(synthetic)
    by_name = {e.name: e for e in model.elements}
    # the pump is drawn on both diagrams: one element, the second drawing merged into it
    assert sorted(by_name) == sorted(
        ["Infusion pump", "Pump server", "Clinician tablet", f"Infusion Pump Firmware {NAMELESS[:8]}", "Patient monitor", "Update server"]
    )
    pump = by_name["Infusion pump"]
    assert pump.extra["diagrams"] == ["Global System View", "Updatability View"]
    assert any(r.disposition == "merged" and r.item == pump.id and PUMP_AGAIN in r.locator for r in report.records)
    zones = {z.name: z for z in model.trust_zones}
    assert set(zones) == {"Hospital network", "Pump subsystem"}  # the custom GUID type resolves to a border boundary
    assert pump.trust_zone == zones["Pump subsystem"].id  # innermost boundary wins
    assert zones["Pump subsystem"].extra["parent_zone"] == zones["Hospital network"].id
    assert by_name["Pump server"].trust_zone == zones["Hospital network"].id
    assert by_name["Clinician tablet"].trust_zone is None
    assert by_name["Pump server"].kind == "data_store"
    assert by_name["Clinician tablet"].kind == "mobile_app"  # from its stencil
    assert by_name["Patient monitor"].kind == "device"  # a custom generic type, named "Medical Device"
    assert by_name["Update server"].kind == "cloud_service"
    assert "out-of-scope" in by_name["Patient monitor"].tags
    assert by_name["Patient monitor"].extra["out_of_scope_reason"] == "Third-party device"
    assert by_name["Clinician tablet"].extra["properties"]["Mobile Client Technologies"] == "Android"


def test_empty_name_gets_a_readable_fallback_and_a_warning(synthetic: Path) -> None:
    model, report = load(synthetic)
    assert any(e.name == f"Infusion Pump Firmware {NAMELESS[:8]}" for e in model.elements)
    assert any("has no name" in w.message and NAMELESS in (w.locator or "") for w in report.warnings)


def test_flows_resolve_loose_ends_and_report_dangling_ones(synthetic: Path) -> None:
    model, report = load(synthetic)
    flows = {f.name: f for f in model.flows}
    ids = {e.name: e.id for e in model.elements}
    assert set(flows) == {"Dose command", "Sync", "Telemetry", "Firmware update"}
    assert (flows["Dose command"].source, flows["Dose command"].target) == (ids["Pump server"], ids["Infusion pump"])
    assert flows["Dose command"].protocol == "HTTPS"
    assert flows["Dose command"].authentication == "source authenticated"
    assert flows["Firmware update"].protocol is None
    # drawn from the pump but never connected: attached where it is drawn, with a warning
    assert flows["Telemetry"].source == ids["Infusion pump"]
    assert any("attached to" in w.message for w in report.warnings)
    # the orphan flow starts nowhere: skipped with its reason; its threat targets the element it reaches
    skipped = [r for r in report.records if r.disposition == "skipped" and F_ORPHAN in r.locator]
    assert skipped and "dangling" in (skipped[0].reason or "")
    orphan_threat = next(t for t in model.threats if t.id == "TM7-6")
    assert orphan_threat.targets == [ids["Pump server"]]
    assert orphan_threat.extra["flow_guid"] == F_ORPHAN
    assert validate_model(model) == []


def test_line_boundary_marks_the_flows_that_cross_it(synthetic: Path) -> None:
    model, report = load(synthetic)
    sync = next(f for f in model.flows if f.name == "Sync")
    assert sync.extra["crosses_line_boundaries"] == ["Internet boundary"]
    assert "crosses-trust-boundary" in sync.tags
    dose = next(f for f in model.flows if f.name == "Dose command")
    assert "crosses_line_boundaries" not in dose.extra
    record = next(r for r in report.records if LINE_BOUNDARY in r.locator)
    assert record.disposition == "skipped" and sync.id in (record.reason or "")


def test_states_priorities_justifications_and_mitigations(synthetic: Path) -> None:
    model, report = load(synthetic)
    t = {x.id: x for x in model.threats}
    controls = {c.id: c for c in model.controls}
    # generated and never edited: the template's "High" is no rating of the author's (kept in extra)
    assert (t["TM7-1"].status, t["TM7-1"].stride, t["TM7-1"].risk, t["TM7-1"].extra["priority"]) == ("open", ["spoofing"], None, "High")
    (said,) = [w.message for w in report.warnings if "never edited" in w.message]
    assert said.startswith("3 of 8 threats") and said.endswith(": TM7-1, TM7-6, TM7-8") and "not a rating" in said
    assert t["TM7-1"].title == "Spoofing the Infusion pump"  # trailing space trimmed
    assert t["TM7-1"].description == "The pump may be spoofed."  # HTML to text
    suggestion = controls[t["TM7-1"].controls[0]]
    assert suggestion.description == "Use TLS. Refer: TLS guidance (https://example.org/tls)"
    assert suggestion.status == "not_implemented" and "suggested" in suggestion.tags
    assert t["TM7-2"].status == "open" and "needs-investigation" in t["TM7-2"].tags
    assert t["TM7-3"].status == "open" and t["TM7-3"].risk and t["TM7-3"].risk.level == "low"
    assert t["TM7-4"].status == "mitigated" and t["TM7-4"].rationale == "TLS 1.2 with mutual authentication"
    assert controls[t["TM7-4"].controls[0]].status == "implemented"  # the justification names the mitigation
    assert t["TM7-5"].status == "not_applicable" and t["TM7-5"].rationale == "The pump keeps running on a local fallback."
    assert t["TM7-5"].stride == ["denial_of_service"]
    t7 = t["TM7-7"]
    assert t7.status == "mitigated" and t7.risk is None and t7.extra["priority"] == "Urgent"
    assert t7.stride == [] and t7.extra["category"] == "Abuse"
    assert t7.extra["properties"] == {"Team": "Platform"}  # custom property, its GUID resolved to the label
    assert controls[t7.controls[0]].title == "Signed firmware images, verified by the boot loader"
    assert controls[t7.controls[0]].status == "implemented"
    assert {w.message for w in report.warnings} >= {
        "priority 'Urgent' is not a risk level; kept in extra",
        "threat category 'Abuse' is not a STRIDE category; kept in extra",
    }
    t8 = t["TM7-8"]  # no Title property: the KnowledgeBase threat type names it and gives its category
    assert t8.title == "Spoofing of the update server" and t8.stride == ["spoofing"]


def test_every_record_is_accounted_for(synthetic: Path) -> None:
    model, report = load(synthetic)
    c = report.counts
    assert c.seen == c.imported + c.merged + c.skipped == len(report.records)
    root = etree.fromstring(synthetic.read_bytes())
    keys = root.xpath(
        "//*[local-name()='Borders' or local-name()='Lines' or local-name()='ThreatInstances']/*/*[local-name()='Key']/text()"
    )
    for key in keys:
        assert any(key in r.locator for r in report.records), key
    assert {r.item for r in report.records if r.disposition != "skipped"} == {i.id for _, i in model.items()}
    reasons = " ".join(r.reason or "" for r in report.records)
    assert "Jane Roe" in reasons and "boot loader" in reasons and "annotation" in reasons
    assert [a.text for a in model.assumptions] == ["The hospital network is segmented.", "Clinicians authenticate with badges."]
    assert model.product.name == "Infusion pump system"
    assert model.product.description == "An infusion pump system."


def test_ids_and_output_are_stable_across_runs(synthetic: Path) -> None:
    first, _ = load(synthetic)
    second, _ = load(synthetic)
    assert dumps(first) == dumps(second)
    ids = [i.id for _, i in first.items()]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]*", i) for i in ids)


def test_guids_stay_in_source(synthetic: Path) -> None:
    model, _ = load(synthetic)
    pump = next(e for e in model.elements if e.name == "Infusion pump")
    assert pump.source and PUMP in (pump.source.locator or "") and pump.source.importer == "tm7"
    assert all(t.source and t.source.file == "pump.tm7" for t in model.threats)


def test_entities_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.tm7"
    path.write_bytes(b'<!DOCTYPE x [<!ENTITY boom "boom">]><ThreatModel xmlns="' + M.encode() + b'">&boom;</ThreatModel>')
    with pytest.raises(InputError, match="entities"):
        load(path)


def test_other_xml_is_refused_with_its_root(tmp_path: Path) -> None:
    path = tmp_path / "other.tm7"
    path.write_bytes(b"<KnowledgeBase/>")
    with pytest.raises(InputError, match="root element is 'KnowledgeBase'"):
        load(path)


def test_detection_by_extension_and_content(synthetic: Path, tmp_path: Path) -> None:
    available = importers()
    assert detect(synthetic, available).name == "tm7"
    renamed = tmp_path / "model.xml"
    renamed.write_bytes(synthetic.read_bytes())
    assert detect(renamed, available).name == "tm7"
    model, report = import_one(renamed)
    assert len(model.threats) == 8 and report.records


def test_text_helpers() -> None:
    assert plain("&lt;a href=&quot;https://aka.ms/x &quot;&gt;https://aka.ms/x &lt;/a&gt;") == "https://aka.ms/x"
    assert plain("<ul><li>one</li><li>two</li></ul>") == "- one\n\n- two"
    assert plain("a < b and c > d") == "a < b and c > d"
    assert headline("Restrict access. Then more text follows here.") == "Restrict access"
    minter = IdMinter()
    assert minter.mint([("db", g(1)), ("db", g(2)), ("web", g(3))]) == [f"db-{g(1)[:8]}", f"db-{g(2)[:8]}", "web"]
    assert minter.claim("web") == "web-2"


# ---------------------------------------------------------------------------------- corpus


TM7_FILES = [
    "ecobee-monitor-iot.tm7",
    "startleft-mtmt-mobile-api.tm7",
    "startleft-nested-trustzones.tm7",
    "startleft-sdl-all-components.tm7",
    "sveltekit-aspire.tm7",
]


@pytest.mark.parametrize("name", TM7_FILES)
def test_corpus_model_imports_every_threat(corpus: Path, name: str) -> None:
    path = corpus / "tm7" / name
    model, report = load(path)
    assert len(model.threats) == count_threat_instances(path)
    assert validate_model(model) == []  # every flow end and threat target resolves
    element_ids = {e.id for e in model.elements}
    assert all(f.source in element_ids and f.target in element_ids for f in model.flows)
    assert all(t.targets for t in model.threats)
    c = report.counts
    assert c.seen == c.imported + c.merged + c.skipped


def test_corpus_counts(corpus: Path) -> None:
    counts = {}
    for name in TM7_FILES:
        model, _ = load(corpus / "tm7" / name)
        counts[name] = (len(model.elements), len(model.trust_zones), len(model.flows), len(model.threats))
    assert counts == {
        "ecobee-monitor-iot.tm7": (7, 2, 11, 64),
        "startleft-mtmt-mobile-api.tm7": (4, 2, 6, 43),
        "startleft-nested-trustzones.tm7": (4, 2, 3, 16),
        "startleft-sdl-all-components.tm7": (24, 2, 0, 0),
        "sveltekit-aspire.tm7": (6, 0, 9, 22),
    }


def test_corpus_nested_boundaries_and_line_boundary(corpus: Path) -> None:
    model, _ = load(corpus / "tm7" / "startleft-nested-trustzones.tm7")
    zones = {z.name: z for z in model.trust_zones}
    elements = {e.name: e for e in model.elements}
    assert elements["Sandbox Mongo"].trust_zone == zones["Sandbox environment"].id
    assert elements["Production Mongo"].trust_zone == zones["Generic Trust Border Boundary"].id
    assert zones["Sandbox environment"].extra["parent_zone"] == zones["Generic Trust Border Boundary"].id
    https = next(f for f in model.flows if f.name == "HTTPS")
    assert https.extra["crosses_line_boundaries"] == ["Internet Boundary"]


def test_corpus_html_report_cross_check(corpus: Path) -> None:
    """TMT's own HTML report of the same model lists as many threats as the import finds."""
    html = (corpus / "tm7" / "sveltekit-aspire-report.htm").read_text(encoding="utf-8-sig")
    listed = len(re.findall(r'<div class="threat">', html))
    model, _ = load(corpus / "tm7" / "sveltekit-aspire.tm7")
    assert listed == len(model.threats) == 22
    assert model.product.name == "SvelteKit-Aspire"


def test_corpus_html_mitigations_become_plain_text(corpus: Path) -> None:
    model, _ = load(corpus / "tm7" / "ecobee-monitor-iot.tm7")
    assert model.controls and not any("<a" in c.description or "&lt;" in c.description for c in model.controls)
    # every threat generated and never edited: the template's priorities (High, Medium, Low) rate none of them
    assert not any(t.risk for t in model.threats)
    levels = json.dumps(sorted({str(t.extra["priority"]) for t in model.threats}))
    assert levels == '["High", "Low", "Medium"]'


def test_an_edited_generated_threat_keeps_its_priority_as_its_rating(tmp_path: Path) -> None:
    """The priority of a generated threat someone changed (ChangedBy, ModifiedAt set) is the author's rating, its
    state still AutoGenerated: only a threat nobody touched carries the template's priority."""
    edited = threat(
        9, "S1", (SERVER, F_DOSE, PUMP), "AutoGenerated", "Medium", D1, {"Title": "Replayed dose"}, changed=("dana", "2026-03-01T10:00:00")
    )
    path = tmp_path / "edited.tm7"
    path.write_bytes(synthetic_tm7(edited))
    model, _report = load(path)
    t9 = next(t for t in model.threats if t.id == "TM7-9")
    assert t9.risk is not None and t9.risk.level == "medium" and t9.extra["changed_by"] == "dana"
