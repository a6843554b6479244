"""``mdptm compare``: PTMs of several devices side by side; planted differences are highlighted."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from mdptm.cli import main
from mdptm.exporters.otm import to_otm
from mdptm.model import Model
from mdptm.pipeline.compare import NOT_STATED, compare
from mdptm.pipeline.compare_render import write_comparison

BASE: dict[str, object] = {
    "schema": "mdptm/1",
    "product": {"name": "Pump A", "manufacturer": "Maker A", "version": "1"},
    "document": {"version": "1"},
    "trust_zones": [
        {"id": "Z-H", "name": "Hospital network", "trust_level": 3},
        {"id": "Z-C", "name": "Maker cloud", "trust_level": 1},
    ],
    "elements": [
        {"id": "E-DEV", "name": "Pump", "kind": "device", "trust_zone": "Z-H"},
        {"id": "E-SRV", "name": "Server", "kind": "software", "trust_zone": "Z-H"},
        {"id": "E-CLOUD", "name": "Update service", "kind": "cloud_service", "trust_zone": "Z-C"},
    ],
    "flows": [
        {
            "id": "F-1",
            "name": "Sync",
            "source": "E-DEV",
            "target": "E-SRV",
            "protocol": "HTTPS",
            "port": "443",
            "encryption": "TLS 1.3",
            "authentication": "mutual TLS",
        },
        {
            "id": "F-2",
            "name": "Updates",
            "source": "E-SRV",
            "target": "E-CLOUD",
            "protocol": "HTTPS",
            "port": "443",
            "encryption": "TLS 1.2",
            "authentication": "client certificate",
        },
    ],
    "assets": [{"id": "A-1", "name": "Infusion records", "kind": "phi", "stored_in": ["E-SRV"]}],
    "threats": [{"id": "T-1", "title": "Tampered sync", "targets": ["F-1"], "status": "open", "risk": {"level": "medium"}}],
    "controls": [{"id": "C-1", "title": "Mutual TLS", "verification": ["VT-1"]}],
    "support": {
        "end_of_support": "2034-12-31",
        "patch_policy": "Fixes within 30 days",
        "sbom": "CycloneDX per release",
        "vulnerability_disclosure": "psirt@a.example",
        "contact": "PSIRT",
        "data_disposal": "Wipe per NIST 800-88",
    },
}


def _worse() -> dict[str, object]:
    """Device B: shorter support, an inbound port from the maker, an unencrypted flow, patient data in the cloud."""
    data = json.loads(json.dumps(BASE))
    data["product"] = {"name": "Monitor B", "manufacturer": "Maker B", "version": "2"}
    data["support"]["end_of_support"] = "2028-06-30"
    data["support"]["patch_policy"] = "Updates within 90 days"
    data["support"]["sbom"] = "TBD"
    data["flows"][0]["encryption"] = "none"
    data["flows"].append(
        {
            "id": "F-3",
            "name": "Remote service",
            "source": "E-CLOUD",
            "target": "E-SRV",
            "protocol": "RDP",
            "port": "3389",
            "encryption": "VPN",
            "authentication": "shared account",
        }
    )
    data["assets"][0]["stored_in"] = ["E-SRV", "E-CLOUD"]
    return data


def _write(tmp_path: Path, name: str, data: dict[str, object]) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "ptm.json").write_text(json.dumps(Model.model_validate(data).model_dump(mode="json", by_alias=True)), encoding="utf-8")
    return folder


@pytest.fixture
def pair(tmp_path: Path) -> list[Path]:
    return [_write(tmp_path, "a", BASE), _write(tmp_path, "b", _worse())]


def _row(result: object, label: str):  # type: ignore[no-untyped-def]
    return next(r for r in result.rows if r.label == label)  # type: ignore[attr-defined]


def test_planted_differences_are_highlighted(pair: list[Path]) -> None:
    result = compare(pair)
    assert [d.label for d in result.devices] == ["Pump A 1", "Monitor B 2"]
    for label in (
        "End of support",
        "Patch timeline (slowest stated)",
        "Connections opened from outside the hospital (inbound firewall rules)",
        "Flows stated as unencrypted",
        "Patient data held in a cloud or by the maker",
    ):
        row = _row(result, label)
        assert row.best == [0] and row.worst == [1], label
    inbound = _row(result, "Connections opened from outside the hospital (inbound firewall rules)")
    assert "Update service (Maker cloud, internet) → Server (RDP TCP 3389), opener assumed" in inbound.cells[1].text
    sbom = _row(result, "SBOM")
    assert sbom.cells[1].text == NOT_STATED and not sbom.cells[1].stated and 1 not in sbom.best
    assert any(h.startswith("End of support: best Pump A 1 (2034-12-31); worst Monitor B 2 (2028-06-30)") for h in result.highlights)


def test_not_stated_is_never_best(tmp_path: Path) -> None:
    silent = json.loads(json.dumps(BASE))
    silent["product"]["name"] = "Silent C"
    silent["support"] = {}
    result = compare([_write(tmp_path, "a", BASE), _write(tmp_path, "c", silent)])
    eos = _row(result, "End of support")
    assert eos.cells[1].text == NOT_STATED
    assert 1 not in eos.best
    assert "end of support" in _row(result, "Not stated").cells[1].text


def test_initiator_decides_the_firewall_direction(tmp_path: Path) -> None:
    """A flow drawn cloud → server that the server opens is outbound: no inbound rule."""
    data = _worse()
    flows = data["flows"]
    assert isinstance(flows, list)
    flows[2]["initiator"] = "E-SRV"
    result = compare([_write(tmp_path, "a", BASE), _write(tmp_path, "b", data)])
    assert _row(result, "Connections opened from outside the hospital (inbound firewall rules)").cells[1].text.startswith("0")


def test_reads_otm_from_other_tools(tmp_path: Path, pair: list[Path]) -> None:
    doc = to_otm(Model.model_validate(_worse()))
    doc["project"].get("attributes", {}).pop("mdptm.model", None)  # as another tool would write it
    otm = tmp_path / "vendor-b.otm.json"
    otm.write_text(json.dumps(doc), encoding="utf-8")
    result = compare([pair[0], otm])
    assert result.devices[1].origin == "OTM"
    assert _row(result, "End of support").cells[1].text == NOT_STATED  # OTM has no support facts
    assert all(c.source.startswith("vendor-b.otm.json") for c in (r.cells[1] for r in result.rows))


def test_three_outputs(pair: list[Path], tmp_path: Path) -> None:
    result = compare(pair)
    for suffix in (".xlsx", ".html", ".md"):
        out = tmp_path / f"cmp{suffix}"
        write_comparison(result, out)
        again = tmp_path / f"again{suffix}"
        write_comparison(compare(pair), again)
        assert out.read_bytes() == again.read_bytes()
    html = (tmp_path / "cmp.html").read_text(encoding="utf-8")
    assert 'class="best"' in html and 'class="worst"' in html and "<svg" in html
    md = (tmp_path / "cmp.md").read_text(encoding="utf-8")
    assert "| End of support | ✅ 2034-12-31 | ❌ 2028-06-30 |" in md
    with zipfile.ZipFile(tmp_path / "cmp.xlsx") as z:
        names = z.namelist()
        assert any(n.startswith("xl/charts/") for n in names)
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        assert "2028-06-30" in sheet or "sharedStrings" in " ".join(names)


def test_model_text_cannot_inject_markup(tmp_path: Path) -> None:
    evil = json.loads(json.dumps(BASE))
    evil["product"]["name"] = "<script>alert(1)</script> [x](http://evil.example)"
    result = compare([_write(tmp_path, "a", evil), _write(tmp_path, "b", _worse())])
    write_comparison(result, tmp_path / "c.html")
    write_comparison(result, tmp_path / "c.md")
    assert "<script>" not in (tmp_path / "c.html").read_text(encoding="utf-8")
    md = (tmp_path / "c.md").read_text(encoding="utf-8")
    assert "[x](http" not in md and "<script>" not in md  # brackets and angle brackets escaped: no link, no HTML


def test_cli(pair: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cmp.md"
    with pytest.raises(SystemExit) as done:
        main(["compare", *map(str, pair), "-o", str(out)])
    assert done.value.code == 0 and out.is_file()
    with pytest.raises(SystemExit) as done:
        main(["compare", str(pair[0]), "-o", str(out)])
    assert done.value.code == 2
    with pytest.raises(SystemExit) as done:
        main(["compare", str(pair[0]), str(tmp_path / "missing"), "-o", str(tmp_path / "x.md")])
    assert done.value.code == 2 and "missing" in capsys.readouterr().err
    with pytest.raises(SystemExit) as done:
        main(["compare", *map(str, pair), "-o", str(tmp_path / "x.pdf")])
    assert done.value.code == 2


def test_the_two_sample_devices(tmp_path: Path) -> None:
    from mdptm.pipeline.build import build

    root = next(p for p in Path(__file__).resolve().parent.parents if (p / "pyproject.toml").is_file())
    outs = []
    for name in ("infusion-pump", "patient-monitor"):
        result = build(root / "samples" / name, tmp_path / name)
        assert result.exit_code == 0, name
        outs.append(tmp_path / name)
    result = compare(outs)
    assert _row(result, "End of support").best == [0]
    assert _row(result, "Patient data held in a cloud or by the maker").worst == [1]
    assert _row(result, "SBOM").cells[1].text == NOT_STATED
    unencrypted = _row(result, "Flows stated as unencrypted").cells[1].text
    assert "Waveforms, numerics and alarms" in unencrypted


def test_a_place_only_a_name_gives_is_not_an_inbound_hole_or_a_cloud(tmp_path: Path) -> None:
    """A 'Cloud API' in no zone and of no cloud kind is placed outside only by its name: the comparison does
    not count its connection as opened from the internet, nor it as a cloud element (as the guides do not)."""
    data = _worse()
    elements, flows = data["elements"], data["flows"]
    assert isinstance(elements, list) and isinstance(flows, list)
    elements[2].update({"name": "Cloud API", "kind": "process", "trust_zone": None})
    result = compare([_write(tmp_path, "a", BASE), _write(tmp_path, "b", data)])
    assert _row(result, "Connections opened from outside the hospital (inbound firewall rules)").cells[1].text.startswith("0")
    assert _row(result, "Cloud and maker services it depends on").cells[1].text.startswith("0")


def test_an_opener_read_from_a_name_is_said_so(tmp_path: Path) -> None:
    data = _worse()
    flows = data["flows"]
    assert isinstance(flows, list)
    flows[2]["name"] = "Command push"
    result = compare([_write(tmp_path, "a", BASE), _write(tmp_path, "b", data)])
    text = _row(result, "Connections opened from outside the hospital (inbound firewall rules)").cells[1].text
    assert text.startswith("1") and "opener read from the flow's name" in text
