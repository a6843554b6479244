"""The publication scenario end to end: a Word threat model full of internal details becomes a package
in which none of them appears in any byte of any file, with the internal reports beside it.

The Word importer and the package exporters live elsewhere; here the model is built from the same
text the Word file holds, and the package is written by a small writer that does what an exporter
does (Word, Excel, HTML with an embedded diagram, JSON, a guide). The shipped sample is run too.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml

from mdptm.base.output import write_json
from mdptm.cli import main
from mdptm.model import Model
from mdptm.model.io import dumps, load
from mdptm.plugins import ReviewContext, importers
from mdptm.redaction.leakscan import LeakError, assert_no_leaks, scan
from mdptm.redaction.redact import iter_text, load_policy, property_terms, redact
from mdptm.review.engine import review

ROOT = Path(__file__).resolve().parent.parent.parent
ENGINEER = "Marta Kowalczyk"
EMAIL = "marta.kowalczyk@meridian.corp"
TICKET = "INFSEC-1187"
HOST = "jenkins02.build.meridian.internal"
IP = "172.16.4.21"
CODENAME = "Project Osprey"
PLANTED = (ENGINEER, EMAIL, TICKET, HOST, IP, CODENAME)

MODEL = f"""\
schema: mdptm/1
product: {{name: Vantage LVP Infusion System, manufacturer: Meridian Infusion Systems, model: LVP-2000}}
document: {{title: Vantage LVP threat model, version: "2.0", date: "2026-03-01", status: approved}}
trust_zones: [{{id: TZ1, name: Clinical network}}]
elements:
  - {{id: E1, name: Infusion pump, kind: device, trust_zone: TZ1,
      description: "Firmware is built by {ENGINEER} on {HOST} for {CODENAME}."}}
  - {{id: E2, name: Drug library server, kind: software, trust_zone: TZ1}}
  - {{id: E3, name: Clinician, kind: external_entity}}
flows:
  - {{id: F1, name: Drug library download, source: E2, target: E1, protocol: HTTPS, port: "443",
      description: "Staging server at {IP}."}}
  - {{id: F2, name: Keypad programming, source: E3, target: E1, protocol: keypad}}
  - {{id: F3, name: Event upload, source: E1, target: E2, protocol: HTTPS, port: "8443"}}
threats:
  - {{id: T1, title: Tampered drug library, stride: [tampering], targets: [F1, E1], controls: [C1],
      status: mitigated, rationale: "Signed libraries; tracked in {TICKET}."}}
  - {{id: T2, title: Unauthenticated keypad use, stride: [spoofing], targets: [E3], status: open,
      description: "Raised by {EMAIL}; no fix planned for {CODENAME}."}}
controls:
  - {{id: C1, title: Signed drug libraries, description: "ECDSA P-256 signatures checked on the pump.",
      category: integrity, verification: [VT-104]}}
views:
  - {{id: V1, kind: global_system, name: Global System View, elements: [E1, E2, E3], flows: [F1, F2, F3]}}
"""


def word_threat_model(path: Path) -> Path:
    """The 'held-out' Word document: the same internal details, in text and in its properties."""
    d = docx.Document()
    d.add_heading("Vantage LVP threat model", 0)
    d.add_paragraph(f"Prepared by {ENGINEER} ({EMAIL}) for {CODENAME}; see {TICKET}.")
    d.add_heading("Global System View", 1)
    d.add_paragraph(f"The build server {HOST} ({IP}) signs the firmware.")
    table = d.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ["ID", "Threat", "Status", "Controls"], strict=True):
        cell.text = text
    for row in (["T1", "Tampered drug library", "Mitigated", "C1"], ["T2", "Unauthenticated keypad use", "Open", ""]):
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    cp = d.core_properties
    cp.author, cp.last_modified_by, cp.comments = ENGINEER, ENGINEER, f"{CODENAME} draft for {TICKET}"
    d.save(str(path))
    return path


def write_package(model: Model, out: Path) -> None:
    """What the exporters write: Word, Excel, HTML with an embedded diagram, JSON, a Markdown guide."""
    out.mkdir(parents=True)
    (out / "ptm.json").write_text(dumps(model), encoding="utf-8")
    d = docx.Document()
    d.core_properties.author = ""
    d.core_properties.last_modified_by = ""
    d.core_properties.comments = ""
    wb = openpyxl.Workbook()
    ws = wb.active
    html = ["<html><body>"]
    for row, (item, field, text) in enumerate(iter_text(model), start=1):
        d.add_paragraph(f"{item} {field}: {text}")
        ws.cell(row=row, column=1, value=item)
        ws.cell(row=row, column=2, value=text)
        html.append(f"<p><b>{item}</b> {text}</p>")
    svg = "<svg xmlns='http://www.w3.org/2000/svg'>" + "".join(f"<text>{e.name}</text>" for e in model.elements) + "</svg>"
    html.append(f'<img src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}">')
    d.save(str(out / "ptm.docx"))
    wb.save(out / "ptm.xlsx")
    (out / "index.html").write_text("".join(html) + "</body></html>", encoding="utf-8")
    (out / "guides").mkdir()
    (out / "guides" / "deployment.md").write_text(
        "\n".join(f"- {f.name}: {f.protocol} {f.port or ''}" for f in model.flows), encoding="utf-8"
    )


def every_text(folder: Path) -> str:
    """All bytes of all files, zip members opened, decoded; lower case."""
    parts = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        parts.append(path.relative_to(folder).as_posix())
        parts.append(data.decode("utf-8", "replace"))
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                parts.extend(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())
        if path.suffix == ".html":
            for chunk in data.split(b"base64,")[1:]:
                parts.append(base64.b64decode(chunk.split(b'"')[0]).decode("utf-8", "replace"))
    return "\n".join(parts).lower()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "model.yaml").write_text(MODEL)
    word_threat_model(tmp_path / "threat-model.docx")
    (tmp_path / "policy.yaml").write_text(yaml.safe_dump({"terms": [ENGINEER, CODENAME]}))
    return tmp_path


def test_nothing_internal_reaches_the_package(project: Path) -> None:
    model = load(project / "model.yaml")
    policy = load_policy(project / "policy.yaml")
    doc_terms = property_terms([project / "threat-model.docx"], keep=[model.product.manufacturer])
    public, log = redact(model, policy, extra_terms=doc_terms)
    out, internal = project / "out", project / "out.internal"
    write_package(public, out)
    hits = scan(out, log.needles())
    result = review(ReviewContext(model=model, public=public, leaks=hits, renames=log.renamed))
    internal.mkdir()
    write_json(internal / "redaction-log.json", log.model_dump(mode="json"))
    write_json(internal / "review.json", result.model_dump(mode="json"))

    assert hits == []
    assert assert_no_leaks(out, log.needles()) == []
    text = every_text(out)
    for secret in PLANTED:
        assert secret.lower() not in text, secret
    assert set(log.needles()) >= set(PLANTED)
    assert not any(p.name.startswith(("redaction", "review", "import")) for p in out.rglob("*"))
    assert {p.name for p in internal.iterdir()} == {"redaction-log.json", "review.json"}
    assert ENGINEER in (internal / "redaction-log.json").read_text()  # the internal log names what it removed


def test_review_json_names_the_open_threat_and_the_unanalysed_flows(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["review", str(project / "model.yaml"), "--policy", str(project / "policy.yaml"), "--format", "json"])
    assert exc.value.code == 0
    found = json.loads(capsys.readouterr().out)["findings"]
    assert {"check": "threat-open", "severity": "warning", "items": ["T2"]} in [
        {k: f[k] for k in ("check", "severity", "items")} for f in found
    ]
    assert sorted(f["items"][0] for f in found if f["check"] == "flow-without-threat") == ["F2", "F3"]


def test_an_exporter_that_copies_document_properties_is_caught(project: Path) -> None:
    model = load(project / "model.yaml")
    doc_terms = property_terms([project / "threat-model.docx"], keep=[model.product.manufacturer])
    public, log = redact(model, load_policy(project / "policy.yaml"), extra_terms=doc_terms)
    out = project / "out"
    write_package(public, out)
    with zipfile.ZipFile(project / "threat-model.docx") as src:
        core = src.read("docProps/core.xml")
    leaky = out / "ptm.docx"
    with zipfile.ZipFile(leaky) as zin:
        members = {n: zin.read(n) for n in zin.namelist()}
    members["docProps/core.xml"] = core
    with zipfile.ZipFile(leaky, "w") as zout:
        for name, data in members.items():
            zout.writestr(name, data)
    with pytest.raises(LeakError) as exc:
        assert_no_leaks(out, log.needles())
    assert exc.value.exit_code == 1
    assert "ptm.docx (docProps/core.xml)" in str(exc.value)
    assert {(h.file, h.part) for h in exc.value.hits} == {("ptm.docx", "docProps/core.xml")}
    assert not out.exists()


def test_cli_redact_renames_an_id_holding_a_term(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "policy.yaml").write_text(yaml.safe_dump({"terms": [ENGINEER, "Osprey"]}))
    data = yaml.safe_load(MODEL)
    data["elements"][0]["id"] = "E-OSPREY"  # an id is structural, so it is renamed, not left behind
    data["flows"] = [f | {"target": "E-OSPREY"} if f["target"] == "E1" else f | {"source": "E-OSPREY"} for f in data["flows"]]
    data["threats"][0]["targets"] = ["F1", "E-OSPREY"]
    data["views"][0]["elements"] = ["E-OSPREY", "E2", "E3"]
    (project / "model.json").write_text(json.dumps(data))
    with pytest.raises(SystemExit) as exc:
        main(
            [
                "redact",
                str(project / "model.json"),
                "--policy",
                str(project / "policy.yaml"),
                "-o",
                str(project / "public.json"),
                "--document",
                str(project / "threat-model.docx"),
                "--log",
                str(project / "log.json"),
            ]
        )
    assert exc.value.code == 0
    public = (project / "public.json").read_text().lower()
    assert "osprey" not in public and "kowalczyk" not in public
    assert json.loads((project / "log.json").read_text())["renamed"] == {"E-OSPREY": "redacted-element-1"}
    assert load(project / "public.json").flows[0].target == "redacted-element-1"


@pytest.mark.skipif("docx" not in importers(), reason="the Word importer is not installed in this checkout")
def test_the_word_file_itself_through_the_importer(project: Path) -> None:
    from mdptm.pipeline.importing import ImportSource, import_sources

    model, _ = import_sources([ImportSource(project / "threat-model.docx", "docx")])
    doc_terms = property_terms([project / "threat-model.docx"], keep=[model.product.manufacturer])
    public, log = redact(model, load_policy(project / "policy.yaml"), extra_terms=doc_terms)
    out = project / "out"
    write_package(public, out)
    text = every_text(out)
    for secret in PLANTED:
        assert secret.lower() not in text, secret


def test_the_shipped_sample_redacts_cleanly() -> None:
    sample = ROOT / "samples" / "infusion-pump"
    if not (sample / "mdptm.yaml").exists():
        pytest.skip("the sample project is not in this checkout")
    from mdptm.pipeline.build import load_project_model

    model, _, project, root = load_project_model(sample)
    policy = load_policy(root / project.redaction) if project.redaction else load_policy(None)
    public, log = redact(model, policy)
    public_text = dumps(public)
    for secret in (
        "Dana Whitlock",
        "Project Kestrel",
        "build01.meridian.corp",
        "10.20.30.40",
        "PUMPSEC-214",
        "Priya Raman",
        "Tomás Ferreira",
    ):
        assert secret not in public_text, secret
    assert log.withheld, "a threat relying on a withheld control keeps a placeholder"
    result = review(ReviewContext(model=model, public=public, signoffs_required=project.signoffs_required, renames=log.renamed))
    assert result.blockers == []
    assert {f.check for f in result.findings} >= {"threat-open", "threat-dropped"}
