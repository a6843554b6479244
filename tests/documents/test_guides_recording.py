"""The operations guide's "What is recorded", "What to monitor" and "Preserve evidence" list only controls
that record or monitor events. A logging-category control that protects or handles the logs ("Encrypt logs
to protect sensitive information", "Regularly back up logs", the sample's authenticated time) records nothing."""

from __future__ import annotations

from mdptm.documents.guides import build_guides
from mdptm.model import Asset, Control, Element, Flow, Threat
from mdptm.render.docir import Table
from tests.documents.test_guides_readers import base, text_of


def _tables(doc: object, first: str) -> list[list[str]]:
    return [row for b in doc.blocks if isinstance(b, Table) and b.header[0] == first for row in b.rows]  # type: ignore[attr-defined]


def _model() -> object:
    controls = [
        Control(
            id="M-64",
            title="Encrypt logs to protect sensitive information",
            category="event_logging",
            status="implemented",
            description="Encrypt logs to protect sensitive information. Logs are kept for 90 days.",
        ),
        Control(id="C-11", title="Regularly back up logs", category="event_logging", status="implemented"),
        Control(id="M-27", title="Implement secure logging to record all communication", category="event_logging", status="implemented"),
    ]
    threats = [Threat(id="T1", title="Repudiation of dose changes", stride=["repudiation"], status="mitigated", controls=["M-64", "M-27"])]
    return base(controls=controls, threats=threats)


def test_only_recording_controls_are_listed_as_recording_or_monitoring() -> None:
    doc = build_guides(_model())["operations"]  # type: ignore[arg-type]
    recorded = [r[0] for r in _tables(doc, "What is recorded")]
    monitored = [r[0] for r in _tables(doc, "Detective control")]
    assert any("M-27" in r for r in recorded) and any("M-27" in r for r in monitored)
    assert not any("M-64" in r or "C-11" in r for r in recorded + monitored)
    text = text_of(doc)
    evidence = next((line for line in text.splitlines() if "Preserve evidence" in line), "")
    assert "M-27" in evidence and "M-64" not in evidence and "C-11" not in evidence
    assert "kept for 90 days" in text  # the retention it states is still read


def test_only_log_handling_controls_say_so() -> None:
    m = _model()
    m.controls = [c for c in m.controls if c.id != "M-27"]  # type: ignore[attr-defined]
    text = text_of(build_guides(m)["operations"])  # type: ignore[arg-type]
    assert "names no log and no control that records events" in text and "M-64" in text


def test_deployment_names_the_makers_controls_the_hospital_must_turn_on() -> None:
    """A control that protects only once the hospital enables it counts for no duty of the maker (mapping);
    the deployment guide tells the hospital it is its decision."""
    optional = Control(
        id="C1",
        title="TLS on the network link",
        category="cryptography",
        status="implemented",
        description="TLS can be enabled by the hospital.",
    )
    always = Control(id="C2", title="Signed firmware", category="integrity", status="implemented", description="Every image is signed.")
    text = text_of(build_guides(base(controls=[optional, always]))["deployment"])
    line = next(line for line in text.splitlines() if "protect only once the hospital turns them on" in line)
    assert "C1 TLS on the network link" in line and "can be enabled" in line and "C2" not in line


def _log_rows(flows: list[Flow]) -> str:
    m = base(
        elements=[
            Element(id="pump", name="Pump", kind="device"),
            Element(id="tool", name="Service tool", kind="software"),
            Element(id="siem", name="SIEM", kind="external_entity"),
        ],
        assets=[Asset(id="A-LOG", name="Event log", kind="log", stored_in=["pump"])],
        flows=flows,
    )
    rows = _tables(build_guides(m)["operations"], "Log")
    assert len(rows) == 1, rows
    return rows[0][2]


def test_a_log_over_a_flow_drawn_both_ways_is_not_said_to_be_sent_to_its_target() -> None:
    """The sample's USB service session is drawn from the service tool to the pump, both ways, and carries the
    pump's logs: "Sent to: the pump" told the hospital the logs go to the device that writes them."""
    session = Flow(id="F-9", name="USB service session", source="tool", target="pump", protocol="USB", bidirectional=True, data=["A-LOG"])
    sent = _log_rows([session])
    assert sent == "between Service tool and Pump (USB; the model draws the flow both ways)", sent


def test_a_log_over_a_flow_drawn_one_way_goes_to_its_target() -> None:
    sent = _log_rows([Flow(id="F-2", name="Events", source="pump", target="siem", protocol="Syslog", port="6514/tcp", data=["A-LOG"])])
    assert sent == "SIEM (Syslog, TCP 6514)", sent
    # where the log is kept does not turn the drawing round: a log service keeps what it receives
    sent = _log_rows([Flow(id="F-1", name="Log upload", source="tool", target="pump", protocol="USB", data=["A-LOG"])])
    assert sent == "Pump (USB)", sent
