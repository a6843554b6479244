"""Whether a control's responsibility is stated: a register that names no one for a control must not become
"run by the device maker" in what hospitals read (docs/model.md, responsibility_stated)."""

from __future__ import annotations

from pathlib import Path

from mdptm.documents.guides import build_guides
from mdptm.model import Control, Document, Model, Product, Threat
from mdptm.pipeline.importing import ImportSource, import_sources
from mdptm.render.markdown import render

CONTROLS_WITHOUT_OWNER = """# Threat model

## Threats

| ID | Threat | Controls |
|---|---|---|
| T-1 | Spoofed server sends a forged drug library | C-1 |

## Security controls

| ID | Control | Category |
|---|---|---|
| C-1 | Security event logging to the hospital SIEM | Event logging |
"""

CONTROLS_WITH_OWNER = CONTROLS_WITHOUT_OWNER.replace(
    "| ID | Control | Category |\n|---|---|---|", "| ID | Control | Category | Responsibility |\n|---|---|---|---|"
).replace("| Event logging |", "| Event logging | Manufacturer |")


def _import(tmp_path: Path, text: str, name: str) -> Model:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    model, _report = import_sources([ImportSource(path)])
    return model


def test_a_control_table_without_a_responsibility_column_states_no_one(tmp_path: Path) -> None:
    model = _import(tmp_path, CONTROLS_WITHOUT_OWNER, "silent.md")
    (c1,) = [c for c in model.controls if c.id == "C-1"]
    assert c1.responsibility == "manufacturer"
    assert c1.responsibility_stated is False


def test_a_responsibility_column_states_it(tmp_path: Path) -> None:
    model = _import(tmp_path, CONTROLS_WITH_OWNER, "stated.md")
    (c1,) = [c for c in model.controls if c.id == "C-1"]
    assert c1.responsibility == "manufacturer"
    assert c1.responsibility_stated is True


def test_mitigation_text_on_a_threat_names_no_one(tmp_path: Path) -> None:
    text = (
        "# Threat model\n\n| Threat | Mitigation | Status |\n|---|---|---|\n"
        "| Replayed bolus command | Nonces on every command | Mitigated |\n"
    )
    model = _import(tmp_path, text, "mitigations.md")
    assert model.controls and all(c.responsibility_stated is False for c in model.controls)


def test_merged_sources_stated_by_any_is_stated(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(CONTROLS_WITHOUT_OWNER, encoding="utf-8")
    (tmp_path / "b.md").write_text(CONTROLS_WITH_OWNER.replace("Manufacturer", "Customer"), encoding="utf-8")
    model, _report = import_sources([ImportSource(tmp_path / "a.md"), ImportSource(tmp_path / "b.md")])
    (c1,) = [c for c in model.controls if c.id == "C-1"]
    assert c1.responsibility == "customer"
    assert c1.responsibility_stated is True


def test_the_operations_guide_says_the_owner_is_assumed() -> None:
    def ops(stated: bool) -> str:
        m = Model(
            product=Product(name="Pump", manufacturer="Maker"),
            document=Document(version="1.0"),
            threats=[Threat(id="T-1", title="Forged library", controls=["C-1"], status="mitigated")],
            controls=[Control(id="C-1", title="Security event logging", category="event_logging", responsibility_stated=stated)],
        )
        return render(build_guides(m)["operations"])

    assert "the device maker (assumed: not stated)" in ops(False)
    stated = ops(True)
    assert "the device maker" in stated
    assert "assumed: not stated" not in stated
