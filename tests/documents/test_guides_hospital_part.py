"""The deployment guide's "hospital's part" of a shared control is every clause of its description that
names the hospital, not the first one only: "The hospital must run it before a pump leaves its control"
came second in the sample's decommissioning control and was left out."""

from __future__ import annotations

from mdptm.documents.guides import build_guides
from mdptm.model import Control, Document, Model, Product, Threat
from mdptm.render.markdown import render


def _row(description: str) -> str:
    m = Model(
        product=Product(name="Pump", manufacturer="Maker"),
        document=Document(version="1.0"),
        threats=[Threat(id="T-1", title="Data left on a retired pump", controls=["C-1"], status="mitigated")],
        controls=[Control(id="C-1", title="Secure decommissioning", category="other", responsibility="shared", description=description)],
    )
    text = render(build_guides(m)["deployment"])
    (line,) = [ln for ln in text.splitlines() if ln.startswith("| C-1 ")]
    return line.split(" | ")[-1].rstrip(" |")


def test_every_clause_naming_the_hospital_is_its_part() -> None:
    part = _row(
        "The service tool erases patient data and prints a sanitisation record. "
        "The hospital must run it before a pump leaves its control and revoke the certificate."
    )
    assert part == "The hospital must run it before a pump leaves its control and revoke the certificate."
    part = _row("The hospital enrols each pump in its PKI; the pump accepts only servers chained to the hospital CA.")
    assert part == "The hospital enrols each pump in its PKI; the pump accepts only servers chained to the hospital CA."


def test_a_clause_cut_at_its_semicolon_ends_as_a_sentence() -> None:
    part = _row("Signed packages are offered on the server; the hospital chooses pump groups and windows; pumps install when idle.")
    assert part == "The hospital chooses pump groups and windows."
