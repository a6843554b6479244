"""A control that states a measure in one clause and denies it in another ("TLS on the HL7 link; not yet on DICOM")
counted whole: the clause it covers said nothing of the part not in place. It still counts (the HL7 link is
encrypted), but at most as partial, and the rationale names the part its text denies."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.mapping.engine import map_model
from mdptm.model import Control, Document, Model, Product, Threat
from mdptm.model.evidence import denied_part


def _model(description: str, title: str = "Transport encryption", category: str = "cryptography") -> Model:
    c = Control(id="C-1", title=title, category=category, status="implemented", description=description)  # type: ignore[arg-type]
    t = Threat(id="T-1", title="Sniffing of results", stride=["information_disclosure"], status="mitigated", controls=["C-1"])
    return Model(product=Product(name="P", manufacturer="M"), document=Document(version="1"), controls=[c], threats=[t])


def _fda_crypto(model: Model) -> tuple[str, list[str], str]:
    cl = next(cl for fw in map_model(model).frameworks if fw.id == "fda-premarket" for cl in fw.clauses if cl.id == "control.cryptography")
    return cl.status, cl.evidence, cl.rationale


@pytest.mark.parametrize(
    ("description", "part"),
    [
        ("TLS on the HL7 link; not yet on DICOM.", "not yet on DICOM"),
        ("TLS 1.3 on the Wi-Fi link; the HL7 feed has not been migrated yet.", "the HL7 feed has not been migrated yet"),
        ("RBAC hasn't been rolled out yet; admins share one account.", "RBAC hasn't been rolled out yet"),
        ("TLS 1.3 on every link; no DICOM TLS yet.", "no DICOM TLS yet"),
    ],
)
def test_the_denied_part_of_a_control(description: str, part: str) -> None:
    assert denied_part("Transport encryption", description) == part


@pytest.mark.parametrize(
    "description",
    [
        "TLS 1.3 on every link.",
        "TLS 1.3 on every link; TLS 1.0 is no longer supported.",  # hardening, not a measure denied
        "Updates are not rolled out until the hospital approves them; each image is signed.",  # a condition
        "Not yet enabled: audit logging.",  # the whole control is denied: void, not in part
    ],
)
def test_no_denied_part(description: str) -> None:
    assert denied_part("Transport encryption", description) is None


def test_a_control_in_place_in_part_counts_as_partial_and_says_which_part() -> None:
    status, evidence, rationale = _fda_crypto(_model("TLS on the HL7 link; not yet on DICOM."))
    assert "C-1" in evidence
    assert status == "partial"
    assert 'C-1 is in place only in part (its text says "not yet on DICOM")' in rationale


def test_a_control_in_place_whole_is_covered() -> None:
    status, evidence, rationale = _fda_crypto(_model("TLS 1.3 on the HL7 and the DICOM links."))
    assert (status, evidence) == ("covered", ["C-1"])
    assert "only in part" not in rationale


def test_documents_show_the_part_not_in_place(tmp_path: Path) -> None:
    """The PTM's control table, the register and the threat cells said "Implemented" for it."""
    from mdptm.documents.ptm import build_ptm_doc
    from mdptm.model.evidence import status_text
    from mdptm.plugins import ExportContext
    from mdptm.render.docir import Table

    model = _model("TLS on the HL7 link; not yet on DICOM.")
    doc = build_ptm_doc(model, ExportContext(), tmp_path)
    cells = {r[0]: r[3] for b in doc.blocks if isinstance(b, Table) and b.header[:4] == ["ID", "Control", "Who", "Status"] for r in b.rows}
    assert cells["C-1"] == 'Implemented in part (its text says "not yet on DICOM")'
    unstated = model.controls[0].model_copy(update={"status_stated": False})
    assert status_text(unstated, str) == 'Implemented in part (assumed: not stated; its text says "not yet on DICOM")'
    whole = _model("TLS 1.3 on the HL7 and the DICOM links.").controls[0]
    assert status_text(whole, lambda s: s.capitalize()) == "Implemented"


def test_real_safeguards_that_mention_not_are_whole() -> None:
    """The safeguards of the denial tests ("No default passwords are shipped; …", "Telnet and FTP are not enabled; only
    SSH is open") are in place whole: no part of them is read as denied."""
    from tests.mapping.test_measure_denials import SAFEGUARDS
    from tests.mapping.test_opposite_meaning import REAL

    texts = [*SAFEGUARDS, *((t, d) for t, _, d in REAL)]
    assert [d for t, d in texts if denied_part(t, d) is not None] == []
