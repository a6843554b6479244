"""A data flow drawn onto a trust boundary box instead of an element (TMT lets a connector end on a border
boundary) cannot become a flow; the warning said only "dangling: <guid> -> <guid>". It names the boundary."""

from __future__ import annotations

from pathlib import Path

from mdptm.importers.tm7 import Tm7Importer
from mdptm.model.report import ImportReport
from mdptm.plugins import ImportContext
from tests.importers.test_tm7 import ARR, XSI, M, border, g, header, line, surface, text, threat
from tests.importers.test_tm7_kept_priority import KNOWLEDGE_BASE

D = g(100)
APP, SVC, CLOUD = g(11), g(12), g(1)
F_TO_CLOUD = g(31)


def test_a_flow_ending_on_a_boundary_names_it(tmp_path: Path) -> None:
    d = surface(
        D,
        "Diagram 1",
        [
            border(
                CLOUD,
                "BorderBoundary",
                "GE.TB.B",
                "GE.TB.B",
                [header("Generic Trust Border Boundary"), text("Name", "Cloud")],
                (200, 0, 300, 300),
            ),
            border(APP, "StencilEllipse", "GE.P", "GE.P", [header("Generic Process"), text("Name", "app")], (0, 0, 100, 100)),
            border(SVC, "StencilEllipse", "GE.P", "GE.P", [header("Generic Process"), text("Name", "svc")], (300, 50, 100, 100)),
        ],
        [
            line(
                F_TO_CLOUD,
                "Connector",
                "GE.DF",
                "GE.DF",
                [header("Generic Data Flow"), text("Name", "to cloud")],
                APP,
                CLOUD,
                [(100, 50), (150, 50), (200, 50)],
            )
        ],
    )
    t = threat(1, "T2", (APP, F_TO_CLOUD, CLOUD), "NotStarted", "High", D, {"Title": "Tampered upload", "UserThreatCategory": "Tampering"})
    doc = (
        f'<ThreatModel xmlns="{M}" xmlns:i="{XSI}"><DrawingSurfaceList>{d}</DrawingSurfaceList>'
        f'<ThreatInstances xmlns:a="{ARR}">{t}</ThreatInstances><Version>4.3</Version>{KNOWLEDGE_BASE}</ThreatModel>'
    )
    path = tmp_path / "to-boundary.tm7"
    path.write_bytes(doc.encode())
    report = ImportReport()
    model = Tm7Importer().load(path, ImportContext(report=report))
    assert model.flows == []
    (threat_,) = model.threats
    assert threat_.targets == ["app"]  # the end it does reach
    said = [w.message for w in report.finish().warnings if "to cloud" in w.message]
    assert len(said) == 1 and "its target is the trust boundary 'Cloud'" in said[0]
    skipped = [r for r in report.records if r.disposition == "skipped" and F_TO_CLOUD in r.locator]
    assert len(skipped) == 1 and "trust boundary 'Cloud'" in (skipped[0].reason or "")
