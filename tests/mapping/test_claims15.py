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


@pytest.mark.parametrize(
    "sbom",
    [
        REAL_SBOM,
        "SPDX 2.3 SBOM at https://example.com/sbom/p-4.2.spdx.json; updates will be published with every release.",
        "CycloneDX SBOM, updated on each release and downloadable from the customer portal.",
    ],
)
def test_an_sbom_kept_current_is_no_promise(sbom: str) -> None:
    verdicts = _verdicts(_model(sbom=sbom))
    assert verdicts["mc2:v2.44"][0] == "covered", verdicts["mc2:v2.44"][1]
    assert verdicts["cra-annex-i:II.1"][0] == "covered"


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


# ------------------------------------------------------------------ modal and requirement wording
# "The device may use TLS 1.2", "TLS can be used if required" and "Requirement: encryption of data in transit" were
# read as the maker's encryption in place when no source stated a status. They say what the device might do, what
# someone turns on when needed, and what is required: not a measure shown in place. "TLS is supported" states a
# capability, and a stated status stands.


def _crypto(description: str, *, stated: bool = False, title: str = "Encryption in transit") -> Model:
    c = Control(id="C-1", title=title, category="cryptography", description=description, status_stated=stated)
    t = Threat(id="T-1", title="Eavesdropping on PHI", stride=["information_disclosure"], status="mitigated", controls=["C-1"])
    return Model(product=Product(name="P", manufacturer="M"), document=Document(version="1"), controls=[c], threats=[t])


def _counted(model: Model) -> list[str]:
    """The clauses that count C-1 as the maker's control in place."""
    return [
        f"{fw.id}:{cl.id}"
        for fw in map_model(model).frameworks
        for cl in fw.clauses
        if "C-1" in cl.evidence and "implemented" in cl.rationale and "relies on the hospital" not in cl.rationale
    ]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("The device may use TLS 1.2.", "may"),
        ("The gateway could support certificate pinning.", "could"),
        ("Requirement: encryption of data in transit.", "requirement"),
        ("Security requirement - signed firmware updates.", "security requirement"),
        ("Where the network may be untrusted, the device shall use TLS.", "shall"),
        # a capability, a statement, an attack or a person's option is no such wording
        ("TLS is supported.", None),
        ("TLS 1.2 encrypts all traffic.", None),
        ("Attackers may use a replayed session token.", None),
        ("Users may log in with a PIN or a badge.", None),
        ("REQ-12: TLS 1.2 on all links.", None),
        ("TLS 1.2 is used. Certificates may be rotated by the device.", None),
    ],
)
def test_modal_and_labelled_requirement_wording(text: str, word: str | None) -> None:
    from mdptm.model.evidence import requirement_only

    assert requirement_only("Control", text) == word


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("The device may use TLS 1.2.", 'written as a possibility ("may")'),
        ("Requirement: encryption of data in transit.", 'written as a requirement ("requirement")'),
        ("The system shall encrypt data in transit.", 'written as a requirement ("shall")'),
    ],
)
def test_unstated_modal_wording_is_no_control_in_place(text: str, shown: str) -> None:
    from mdptm.model.evidence import not_in_place

    model = _crypto(text)
    assert shown in (not_in_place(model.controls[0]) or "")
    assert _counted(model) == []


def test_tls_used_if_required_is_the_hospitals_option() -> None:
    from mdptm.model.evidence import customer_enabled

    assert customer_enabled("TLS can be used if required.", "") == "TLS can be used if required"
    assert customer_enabled("Encryption may be enabled where needed.", "") is not None
    assert _counted(_crypto("TLS can be used if required.")) == []


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        ("TLS is supported.", False),
        ("TLS 1.2 encrypts all traffic between pump and server.", False),
        ("The device may use TLS 1.2.", True),  # a stated status stands
    ],
)
def test_a_capability_or_a_stated_status_keeps_its_credit(text: str, stated: bool) -> None:
    assert "cra-annex-i:I.2.e" in _counted(_crypto(text, stated=stated))


@pytest.mark.parametrize(
    "encryption",
    ["The device may use TLS 1.2", "TLS can be used if required", "Requirement: encryption of data in transit"],
)
def test_a_flow_whose_encryption_is_only_possible_is_not_encrypted(encryption: str) -> None:
    from mdptm.mapping.engine import not_the_products

    assert not_the_products(encryption)
    assert not not_the_products("TLS 1.2 (mutual)")
