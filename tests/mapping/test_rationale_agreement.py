"""A rationale's counts agree with their words: "the 1 threat states risk", never "the 1 threat state risk" or
"none of the 1 threat not open" (the OTM spec example and a Threat Dragon wallet model, one threat each)."""

from __future__ import annotations

from mdptm.mapping.engine import map_model
from mdptm.model import Model, Risk, Threat


def one_threat(**kw: object) -> Model:
    t = Threat(id="T-1", title="Tampering with dose limits", risk=Risk(level="high"), **kw)  # type: ignore[arg-type]
    product = {"name": "Pump", "manufacturer": "Maker"}
    return Model.model_validate({"product": product, "document": {"version": "1"}, "threats": [t.model_dump()]})


def rationale(model: Model, fid: str, cid: str) -> str:
    fw = map_model(model, [fid]).framework(fid)
    assert fw is not None
    found = [c for c in fw.clauses if c.id == cid]
    return found[0].rationale


def test_one_rated_open_threat_reads_in_the_singular() -> None:
    text = rationale(one_threat(), "cra-annex-i", "I.1")
    assert "the 1 threat states a risk rating (T-1)" in text
    assert "the 1 threat does not have a status other than open (T-1)" in text
    assert "the 1 threat state " not in text and "none of the 1 threat" not in text


def test_one_of_several_reads_in_the_singular_and_several_in_the_plural() -> None:
    m = one_threat(status="accepted")
    m.threats.append(Threat(id="T-2", title="Replay of bolus command", risk=Risk(level="low")))
    m.threats.append(Threat(id="T-3", title="Spoofed pump", risk=Risk(level="low")))
    text = rationale(m, "cra-annex-i", "I.1")
    assert "all 3 threats state a risk rating" in text
    assert "1 of 3 threats has a status other than open; not T-2, T-3" in text
    m.threats[1].status = "accepted"
    assert "2 of 3 threats have a status other than open; not T-3" in rationale(m, "cra-annex-i", "I.1")


def test_several_unrated_threats_keep_the_plural() -> None:
    m = one_threat()
    m.threats[0].risk = None
    m.threats.append(Threat(id="T-2", title="Replay of bolus command"))
    text = rationale(m, "cra-annex-i", "I.1")
    assert "none of the 2 threats state a risk rating (T-1, T-2)" in text


def test_a_severity_alone_is_no_risk_rating() -> None:
    """A register giving each threat a severity and nothing else (the Uptane threat analysis workbook) rates no
    risk: the risk assessment says so, and CRA Annex II 5 and I.1 must not read 'all 17 threats state risk'."""
    m = one_threat()
    m.threats[0].risk = Risk(severity="High")
    m.threats.append(Threat(id="T-2", title="Replay of bolus command", risk=Risk(severity="Medium")))
    text = rationale(m, "cra-annex-i", "I.1")
    assert "none of the 2 threats state a risk rating (T-1, T-2)" in text
    fw = map_model(m, ["cra-annex-ii"]).framework("cra-annex-ii")
    assert fw is not None and next(c for c in fw.clauses if c.id == "5").status == "partial"
    m.threats[1].risk = Risk(likelihood="3", severity="Medium")  # both axes: a rating
    assert "1 of 2 threats states a risk rating; not T-1" in rationale(m, "cra-annex-i", "I.1")
