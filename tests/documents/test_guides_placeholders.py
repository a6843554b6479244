"""Guides say no more than the model: a placeholder is not the maker's statement, a denial is not encryption."""

from __future__ import annotations

import yaml

from mdptm.documents.guides import build_guides
from mdptm.model import Model
from tests.documents.test_guides import text_of

MODEL = """\
schema: mdptm/1
product: {name: Acme Monitor, manufacturer: Acme Medical, version: "1.0"}
document: {version: "1.0", date: "2026-01-01"}
elements:
  - {id: E-MON, name: Monitor, kind: device}
  - {id: E-GW, name: Gateway, kind: software}
flows:
  - {id: F-1, source: E-MON, target: E-GW, name: Vitals, protocol: HL7, encryption: "not encrypted"}
  - {id: F-2, source: E-GW, target: E-MON, name: Config, protocol: HTTPS, encryption: "TBD"}
  - {id: F-3, source: E-GW, target: E-MON, name: Alarms, protocol: HTTPS, encryption: "TLS (planned)"}
  - {id: F-4, source: E-GW, target: E-MON, name: Time, protocol: NTP, encryption: none}
  - {id: F-5, source: E-MON, target: E-GW, name: Logs, protocol: HTTPS, encryption: TLS 1.2}
support: {end_of_support: TBD, vulnerability_disclosure: "N/A", sbom: "not available", patch_policy: "see later"}
"""


def _guides() -> dict[str, str]:
    model = Model.model_validate(yaml.safe_load(MODEL))
    return {name: text_of(doc) for name, doc in build_guides(model).items()}


def test_flows_denied_or_planned_count_as_unencrypted_and_placeholders_as_not_stated() -> None:
    text = _guides()["pre-procurement"]
    assert "5; 0 leave the hospital, 5 may (ends not placed); 3 unencrypted; encryption not stated for 1" in text


def test_flows_between_elements_in_no_zone_are_not_said_to_stay_in_the_hospital() -> None:
    text = _guides()["pre-procurement"]
    assert "leaves the hospital." not in text  # no "None of the 5 data flows ... leaves the hospital."
    assert "whether they leave the hospital is not clear: F-1" in text
    zoned = yaml.safe_load(MODEL)
    zoned["trust_zones"] = [{"id": "TZ", "name": "Clinical network"}]
    for e in zoned["elements"]:
        e["trust_zone"] = "TZ"
    docs = build_guides(Model.model_validate(zoned))
    assert "None of the 5 data flows in the threat model leaves the hospital." in text_of(docs["pre-procurement"])
    assert "Encryption not stated for flows F-2." in text


def test_no_placeholder_is_quoted_as_the_makers_statement() -> None:
    for name, text in _guides().items():
        for placeholder in ("| TBD", "| N/A", "| see later", "| not available", "as follows: see later", "until TBD", "through N/A"):
            assert placeholder not in text, (name, placeholder)
    pre = _guides()["pre-procurement"]
    assert "| End of support | Not stated in the threat model: ask the device maker. |" in pre
    assert "Not stated: end of support, patch policy, vulnerability disclosure, SBOM, security contact, data disposal." in pre
    assert "no support term unstated" not in pre
