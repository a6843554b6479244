"""Coverage verdicts that say no more than the evidence supports.

An SBOM field counted as an SBOM whatever it said: "An SBOM will be provided", "Available on request" or a component
list in an appendix covered CRA Annex I Part II (1), MC2's SBOM clauses and FDA labeling bullet 5, and a CycloneDX
reference with no support data covered the FDA clause that asks each component's support level and end of support.
A patch policy of "within 90 days, in the quarterly release" covered CRA Annex I Part II (2), "without delay", as
soon as it was stated. Each is now partial with its reason; a stated CycloneDX or SPDX SBOM, and a policy that fixes
critical vulnerabilities without delay or within 30 days, keep their credit."""

from __future__ import annotations

import pytest

from mdptm.mapping.engine import map_model
from mdptm.model import Control, Document, Model, Product, Support, Threat


def _model(**support: str) -> Model:
    """A model whose other sub-rules of the SBOM and remediation clauses are met: one threat, one update control."""
    c = Control(
        id="C-1",
        title="Signed firmware updates",
        category="updatability_patchability",
        description="Firmware updates are signed with ECDSA P-256 and verified by the bootloader.",
        status="implemented",
        status_stated=True,
        verification=["TC-7: passed"],
    )
    t = Threat(id="T-1", title="Malicious firmware", stride=["tampering"], status="mitigated", controls=["C-1"])
    return Model(
        product=Product(name="P", manufacturer="M"), document=Document(version="1"), controls=[c], threats=[t], support=Support(**support)
    )


def _verdicts(model: Model) -> dict[str, tuple[str, str]]:
    return {f"{fw.id}:{c.id}": (c.status, c.rationale) for fw in map_model(model).frameworks for c in fw.clauses}


SBOM_CLAUSES = ["cra-annex-i:II.1", "mc2:v2.44", "fda-premarket:labeling.5"]

REAL_SBOM = "CycloneDX 1.5 SBOM (sbom.cdx.json) listing 142 components, published with each release."
FDA_SBOM = "SPDX 2.3 JSON SBOM per release; each component lists its support level and end-of-support date."


@pytest.mark.parametrize(
    ("sbom", "why"),
    [
        ("An SBOM will be provided.", "only promised"),
        ("The SBOM will be provided prior to release.", "only promised"),
        ("SBOM available upon request.", "only on request"),
        ("Available on request", "only on request"),
        ("Components: Linux kernel, OpenSSL, SQLite (list in Appendix B).", "no machine-readable format"),
        ("See the attached PDF component list.", "no machine-readable format"),
    ],
)
def test_an_sbom_not_in_hand_is_partial(sbom: str, why: str) -> None:
    verdicts = _verdicts(_model(sbom=sbom))
    for clause in SBOM_CLAUSES:
        status, rationale = verdicts[clause]
        assert status == "partial", (clause, rationale)
        assert why in rationale


def test_a_placeholder_sbom_is_a_gap() -> None:
    verdicts = _verdicts(_model(sbom="TBD"))
    assert verdicts["mc2:v2.44"][0] == "gap"
    assert verdicts["fda-premarket:labeling.5"][0] == "gap"
    assert verdicts["cra-annex-i:II.1"][0] == "partial"  # the threats documented still count


def test_a_machine_readable_sbom_keeps_its_credit() -> None:
    verdicts = _verdicts(_model(sbom=REAL_SBOM))
    assert verdicts["cra-annex-i:II.1"][0] == "covered"
    assert verdicts["mc2:v2.44"][0] == "covered"
    # the FDA asks each component's support level and end of support as well
    status, rationale = verdicts["fda-premarket:labeling.5"]
    assert status == "partial"
    assert "support level or end of support" in rationale
    assert _verdicts(_model(sbom=FDA_SBOM))["fda-premarket:labeling.5"][0] == "covered"


@pytest.mark.parametrize(
    "policy",
    [
        "Security updates within 90 days of a confirmed vulnerability, in the quarterly maintenance release.",
        "Vulnerabilities are fixed in the quarterly release.",
        "Patches are never released immediately; they ship with the next scheduled release.",
    ],
)
def test_a_schedule_is_not_remediation_without_delay(policy: str) -> None:
    status, rationale = _verdicts(_model(patch_policy=policy))["cra-annex-i:II.2"]
    assert status == "partial"
    assert "not remediation without delay" in rationale


@pytest.mark.parametrize(
    "policy",
    [
        "Critical vulnerabilities are patched without delay; others ship in the quarterly release.",
        "Fixes within 60 days of a confirmed vulnerability (30 days for critical ones).",
        "Out-of-band patches for exploited vulnerabilities; routine fixes in the next release.",
    ],
)
def test_prompt_remediation_keeps_its_credit(policy: str) -> None:
    assert _verdicts(_model(patch_policy=policy))["cra-annex-i:II.2"][0] == "covered"
