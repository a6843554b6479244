"""jack4it/autocert docs/threat-model.tm7 (SDL template): the author went through the generated threats, set
their state (Mitigated, NotApplicable) and wrote a justification, so each has ChangedBy and ModifiedAt; but
each of those read still carries Priority High, the value the template gives every new threat. Nobody set a
priority: those threats must not be rated High. A file where some threat's priority differs from its
template's shows that its author sets priorities; there an edited threat's priority is a rating.
"""

from __future__ import annotations

from pathlib import Path

from mdptm.importers.tm7 import Tm7Importer
from mdptm.model import Model
from mdptm.model.report import ImportReport
from mdptm.plugins import ImportContext
from tests.importers.test_tm7 import ARR, KB, XSI, M, border, g, header, line, surface, text, threat

D = g(100)
POD, CA, CONTROLLER = g(11), g(12), g(13)
F_CERT, F_TOKEN = g(31), g(32)

# the SDL template's knowledge base: the Priority list (High first) and threat types without a priority of
# their own, plus one type (the Azure templates' way) that names its own: Medium
KNOWLEDGE_BASE = f"""<KnowledgeBase xmlns:a="{KB}">
<a:GenericElements><a:ElementType><a:Id>GE.P</a:Id><a:Name>Generic Process</a:Name><a:ParentId>ROOT</a:ParentId>
  <a:Representation>Ellipse</a:Representation></a:ElementType></a:GenericElements>
<a:ThreatCategories><a:ThreatCategory><a:Id>T</a:Id><a:Name>Tampering</a:Name></a:ThreatCategory>
  <a:ThreatCategory><a:Id>E</a:Id><a:Name>Elevation Of Privilege</a:Name></a:ThreatCategory></a:ThreatCategories>
<a:ThreatMetaData><IsPriorityUsed>true</IsPriorityUsed><IsStatusUsed>true</IsStatusUsed><PropertiesMetaData>
  <ThreatMetaDatum><Name>Title</Name><Label>Title</Label></ThreatMetaDatum>
  <ThreatMetaDatum><Name>Priority</Name><Label>Priority</Label><Values xmlns:b="{ARR}"><b:string>High</b:string>
    <b:string>Medium</b:string><b:string>Low</b:string></Values></ThreatMetaDatum>
</PropertiesMetaData></a:ThreatMetaData>
<a:ThreatTypes>
  <a:ThreatType><a:Category>T</a:Category><a:Id>T2</a:Id><a:ShortTitle>Process Memory Tampered</a:ShortTitle></a:ThreatType>
  <a:ThreatType><a:Category>E</a:Category><a:Id>E5</a:Id><a:ShortTitle>Elevation Using Impersonation</a:ShortTitle></a:ThreatType>
  <a:ThreatType><a:Category>T</a:Category><a:Id>TH9</a:Id><a:ShortTitle>Token cache tampered</a:ShortTitle>
    <a:PropertiesMetaData><ThreatMetaDatum><Name>Priority</Name><Label>Severity</Label>
    <Values xmlns:b="{ARR}"><b:string>Medium</b:string></Values></ThreatMetaDatum></a:PropertiesMetaData></a:ThreatType>
</a:ThreatTypes>
</KnowledgeBase>"""


def _process(guid: str, name: str, box: tuple[int, int, int, int]) -> str:
    return border(guid, "StencilEllipse", "GE.P", "GE.P", [header("Generic Process"), text("Name", name)], box)


def _flow(guid: str, name: str, src: str, tgt: str, pts: list[tuple[int, int]]) -> str:
    return line(guid, "Connector", "GE.DF", "GE.DF", [header("Generic Data Flow"), text("Name", name)], src, tgt, pts)


def _tm7(priorities: tuple[str, str, str]) -> bytes:
    d = surface(
        D,
        "Diagram 1",
        [
            _process(POD, "pod", (0, 0, 100, 100)),
            _process(CA, "step-ca", (300, 0, 100, 100)),
            _process(CONTROLLER, "token controller", (0, 300, 100, 100)),
        ],
        [
            _flow(F_CERT, "request cert with token", POD, CA, [(100, 50), (200, 50), (300, 50)]),
            _flow(F_TOKEN, "request token", CONTROLLER, CA, [(100, 350), (200, 200), (300, 50)]),
        ],
    )
    edited = ("AzureAD\\JackMa", "2021-08-13T04:20:41.2015993+00:00")
    memory = {
        "Title": "pod Process Memory Tampered",
        "UserThreatCategory": "Tampering",
        "StateInformation": "inter process call, no direct memory access",
    }
    impersonation = {
        "Title": "Elevation Using Impersonation",
        "UserThreatCategory": "Elevation Of Privilege",
        "StateInformation": "step-ca is the brain of this cert issuing subsystem",
    }
    cache = {"Title": "Token cache tampered", "UserThreatCategory": "Tampering"}
    threats = "".join(
        [
            threat(15, "T2", (POD, F_CERT, CA), "NotApplicable", priorities[0], D, memory, changed=edited),
            threat(16, "E5", (POD, F_CERT, CA), "Mitigated", priorities[1], D, impersonation, changed=edited),
            threat(17, "TH9", (CONTROLLER, F_TOKEN, CA), "NotStarted", priorities[2], D, cache, changed=edited),
        ]
    )
    doc = (
        f'<ThreatModel xmlns="{M}" xmlns:i="{XSI}"><DrawingSurfaceList>{d}</DrawingSurfaceList>'
        f"<MetaInformation><ThreatModelName>autocert</ThreatModelName></MetaInformation>"
        f'<ThreatInstances xmlns:a="{ARR}">{threats}</ThreatInstances><ThreatGenerationEnabled>true</ThreatGenerationEnabled>'
        f"<Validations/><Version>4.3</Version>{KNOWLEDGE_BASE}<Profile/></ThreatModel>"
    )
    return doc.encode("ascii", "xmlcharrefreplace")


def _load(tmp_path: Path, priorities: tuple[str, str, str]) -> tuple[Model, ImportReport]:
    path = tmp_path / "threat-model.tm7"
    path.write_bytes(_tm7(priorities))
    report = ImportReport()
    model = Tm7Importer().load(path, ImportContext(report=report))
    return model, report.finish()


def test_edited_threats_that_all_keep_the_template_priority_are_not_rated(tmp_path: Path) -> None:
    model, report = _load(tmp_path, ("High", "High", "Medium"))  # each its template's: High, High, and TH9's own Medium
    assert [t.id for t in model.threats] == ["TM7-15", "TM7-16", "TM7-17"]
    assert all(t.risk is None for t in model.threats)
    assert [t.extra["priority"] for t in model.threats] == ["High", "High", "Medium"]
    assert [t.status for t in model.threats] == ["not_applicable", "mitigated", "open"]  # the states the author set stand
    said = [w.message for w in report.warnings if "never set" in w.message]
    assert len(said) == 1 and "TM7-15, TM7-16, TM7-17" in said[0]


def test_a_file_whose_author_sets_priorities_keeps_them_as_ratings(tmp_path: Path) -> None:
    model, report = _load(tmp_path, ("High", "Low", "Medium"))  # TM7-16 lowered to Low: priorities are set by hand
    assert [t.risk.level if t.risk else None for t in model.threats] == ["high", "low", "medium"]
    assert not any("never set" in w.message for w in report.warnings)
