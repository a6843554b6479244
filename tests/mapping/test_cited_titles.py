"""What a control only cites is no statement of what it does. Kubernetes admission control M-7 ends "… refer to
these two whitepapers" over a list holding "Understanding and Hardening Linux Containers": the word "hardening"
made it evidence of CRA I.2.b (secure by default), I.2.j (attack surface), MC2 secure-by-default and FDA
labelling 11."""

from __future__ import annotations

import pytest

from mdptm.mapping.engine import map_model
from mdptm.model import Control, Document, Model, Product
from mdptm.model.evidence import without_citations

M7 = (
    "Admission controllers should strictly restrict the ability to create privileged containers.\n\n"
    "For more information about rights which could lead to container breakouts refer to these two whitepapers\n\n"
    "- Abusing Privileged and Unprivileged Linux Containers\n\n"
    "- Understanding and Hardening Linux Containers"
)


@pytest.mark.parametrize(
    ("text", "left"),
    [
        (M7, "Admission controllers should strictly restrict the ability to create privileged containers."),
        ("See the hardening guide for details.", ""),
        ("TLS 1.3 is enforced. See RFC 8446.", "TLS 1.3 is enforced."),
        ("References:\n1. Hardening guide\nAll firmware is signed.", "All firmware is signed."),
        ("For more information, see the following articles:\n- Hardening IoT devices\nSecure boot is enabled.", "Secure boot is enabled."),
    ],
)
def test_citations_are_left_out(text: str, left: str) -> None:
    assert without_citations(text).strip() == left


@pytest.mark.parametrize(
    "text",
    [
        "Servers are hardened (see CIS benchmark).",
        "In the context discussed here, cloud is meant to refer to a dedicated system.",
        "Unused ports are closed; see the port list:\n- 443 TLS\n- 22 closed",
        "Links to the update server use TLS.",
    ],
)
def test_statements_stay(text: str) -> None:
    assert without_citations(text) == text


def _evidence(description: str) -> dict[tuple[str, str], list[str]]:
    c = Control(id="M-7", title="Restrictive admission policies", category="other", status="implemented", description=description)
    m = Model(product=Product(name="P", manufacturer="M"), document=Document(version="1.0"), controls=[c])
    return {(fw.id, cl.id): cl.evidence for fw in map_model(m).frameworks for cl in fw.clauses}


def test_a_cited_title_is_no_evidence() -> None:
    cited = _evidence(M7)
    for key in [("cra-annex-i", "I.2.b"), ("cra-annex-i", "I.2.j"), ("mc2", "secure_by_default"), ("fda-premarket", "labeling.11")]:
        assert "M-7" not in cited[key], key
    said = _evidence(M7.split("\n")[0] + " Nodes follow the CIS hardening benchmark.")
    assert "M-7" in said[("cra-annex-i", "I.2.b")] and "M-7" in said[("cra-annex-i", "I.2.j")]
