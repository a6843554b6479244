""".tm7 flow properties left at the stencil's default ("Provides Confidentiality: No") state nothing;
a value the author chose, or one the chosen stencil fixes (HTTP/HTTPS), is kept."""

from __future__ import annotations

from pathlib import Path

from mdptm.pipeline.importing import import_one
from tests.importers.test_tm7 import _attr, choice, load, synthetic_tm7, text


def static(display: str, value: str) -> str:
    return _attr(
        "StaticListDisplayAttribute",
        display,
        f'<b:Value i:type="a:ArrayOfstring"><a:string>{value}</a:string></b:Value><b:SelectedIndex>0</b:SelectedIndex>',
    )


def write(tmp_path: Path) -> Path:
    data = synthetic_tm7().decode("utf-8")
    for name, attrs in {
        "Sync": [choice("Provides Confidentiality", ["No", "Yes"], 0), choice("Destination Authenticated", ["No", "Yes"], 0)],
        "Telemetry": [choice("Provides Confidentiality", ["No", "Yes"], 1)],
        "Dose command": [static("Provides Confidentiality", "No")],
    }.items():
        anchor = text("Name", name)
        assert data.count(anchor) == 1
        data = data.replace(anchor, anchor + "".join(attrs))
    path = tmp_path / "pump.tm7"
    path.write_text(data, encoding="utf-8")
    return path


def test_a_stencil_default_states_nothing(tmp_path: Path) -> None:
    model, report = load(write(tmp_path))
    flows = {f.name: f for f in model.flows}
    # left on the first choice: the author may never have touched it
    assert flows["Sync"].encryption is None and flows["Sync"].authentication is None
    assert flows["Sync"].extra["stencil_defaults"] == {"Provides Confidentiality": "No", "Destination Authenticated": "No"}
    # chosen by the author, or fixed by the stencil the author picked: kept
    assert flows["Telemetry"].encryption == "yes"
    assert flows["Dose command"].encryption == "none"
    (warning,) = [w for w in report.warnings if "Provides Confidentiality" in w.message]
    assert warning.file == "pump.tm7" and "'Sync'" in warning.message and "not stated" in warning.message


def test_corpus_generic_flows_are_not_read_as_unencrypted(corpus: Path) -> None:
    nested, report = import_one(corpus / "tm7" / "startleft-nested-trustzones.tm7")
    enc = {f.name: f.encryption for f in nested.flows}
    assert enc == {"HTTPS": "yes", "Sandbox data": None, "Production data": None}
    assert any("stencil's default" in w.message and w.file == "startleft-nested-trustzones.tm7" for w in report.warnings)
    svelte, _ = import_one(corpus / "tm7" / "sveltekit-aspire.tm7")
    enc = {f.name: f.encryption for f in svelte.flows}
    assert enc["gRPC OTEL"] is None  # RPC stencil, left at its default "No"
    assert enc["HTTPS"] == "yes"
    assert {f.encryption for f in svelte.flows if f.name == "HTTP"} == {"none"}  # the HTTP stencil fixes it
