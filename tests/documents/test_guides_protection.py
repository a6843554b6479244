"""Each protocol is asked, of its protection, only what applies to it: RADIUS over UDP has a shared secret, not
certificates (RadSec is its TLS form); LDAP is in clear unless StartTLS or LDAPS; SNMPv1 and v2c send a community
string, SNMPv3 has a security level; syslog and MQTT are in clear on one port and TLS on another; DICOM and MLLP run
in clear unless set up for TLS; NTP, DHCP and ICMP are never asked "how are certificates checked"."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdptm.documents.guides import build_guides
from mdptm.model.io import load
from tests.documents.test_guides_port_statements import _guide
from tests.documents.test_guides_readers import text_of

CERTS = "how certificates are checked"


@pytest.mark.parametrize(
    ("protocol", "port", "asked", "not_asked"),
    [
        # RADIUS proper: a shared secret, no certificate; RadSec (TCP 2083) is TLS
        ("RADIUS", "1812/udp", "the model names RADIUS, which is not encrypted (a shared secret authenticates", CERTS),
        ("RADIUS", "UDP 1812, UDP 1813", "how is the shared secret set and changed?", CERTS),
        ("RadSec", "2083/tcp", "the model names RadSec but not its version or how certificates are checked", "shared secret"),
        ("RADIUS", "2083/tcp", "the model names RADIUS on TCP 2083, its port for TLS by its standard", "shared secret"),
        # LDAP in clear (StartTLS or LDAPS asked), LDAPS is TLS
        (
            "LDAP",
            "389",
            "does it use StartTLS or LDAPS (TCP 636 by its standard)",
            "is the traffic encrypted",
        ),
        ("LDAPS", "636", "the model names LDAPS but not its version or how certificates are checked", "StartTLS"),
        ("LDAP", "636", "the model names LDAP on TCP 636, its port for TLS by its standard", "StartTLS"),
        # SNMP: the version decides
        ("SNMPv2c", "161/udp", "its community string is sent in clear too; can it use SNMPv3 with authPriv instead?", CERTS),
        ("SNMP", "161/udp", "the model names SNMP but not its version: SNMPv1 and v2c send the community string", CERTS),
        ("SNMPv3", "161/udp", "the model names SNMPv3 but not its security level: does it use authPriv", CERTS),
        # syslog: in clear on UDP 514 / TCP 601, TLS on TCP 6514
        ("Syslog", "UDP 514", "the model names Syslog on UDP 514, its port in clear by its standard", CERTS),
        ("Syslog", "TCP 6514", "the model names Syslog on TCP 6514, its port for TLS by its standard", "in clear"),
        (
            "Syslog",
            "UDP 514/TCP 6514",
            "on UDP 514 or TCP 601, over TLS on TCP 6514, RFC 5425, by their standards",
            "traffic encrypted",
        ),
        ("syslog over TLS", "6514", "the model names syslog over TLS but not its version or how certificates are checked", "in clear"),
        # DICOM and DICOM over TLS
        ("DICOM", "104", "which runs in clear unless set up for TLS (DICOM PS3.15", "is the traffic encrypted"),
        ("DICOM-TLS", "2762", "the model names DICOM-TLS but not its version or how certificates are checked", "in clear"),
        # HL7 over MLLP, and over MLLP/TLS
        ("HL7 over MLLP", "2575", "which carries data in clear, and says nothing else of encryption: is it MLLP over TLS", "its version"),
        ("HL7 MLLP/TLS", "2575", "the model names HL7 MLLP/TLS but not its version or how certificates are checked", "in clear"),
        # MQTT: 1883 in clear, 8883 TLS
        ("MQTT", "8883", "the model names MQTT on TCP 8883, its port for TLS by its standard", "in clear"),
        ("MQTT", "1883", "the model names MQTT on TCP 1883, its port in clear by its standard", CERTS),
        # protocols certificates do not apply to
        ("NTP", "123/udp", "is the time authenticated (NTS, or a symmetric key)", CERTS),
        ("WireGuard", "51820/udp", "whose peers authenticate by their public keys (no certificates)", CERTS),
        ("DHCP", "67/udp", "", "is the traffic encrypted"),
    ],
)
def test_each_protocol_is_asked_only_what_applies(protocol: str, port: str, asked: str, not_asked: str) -> None:
    _, text = _guide(port, protocol)
    questions = text[text.index("## Questions for the device maker") :]
    assert asked in questions, questions
    assert not_asked not in questions.replace("RADIUS shared secret", "")


def test_radius_or_radsec_asks_which_then_each_its_own() -> None:
    """The sample's F-14 "RADIUS (or RadSec, at the hospital's choice)" was asked how RADIUS's certificates are
    checked, as if it were TLS."""
    _, text = _guide("1812/udp (RadSec 2083/tcp)", "RADIUS (or RadSec, at the hospital's choice)")
    assert "the model names RADIUS or RadSec but not its version or how certificates are checked" not in text
    assert (
        "F-1 Sync: which of RADIUS or RadSec does it use (the rules list UDP 1812 or TCP 2083: only the port of the one used "
        "is needed)? The model names RADIUS, which is not encrypted (a shared secret "
        "authenticates its messages and hides only the password and session keys): is it carried inside RadSec (TLS; TCP "
        "2083 by its standard) or IPsec, and how is the shared secret set and changed? The model names RadSec but not its version or how "
        "certificates are checked: which are they?"
    ) in text


def test_the_sample_radius_flow_is_not_asked_about_certificates_as_tls() -> None:
    model = load(Path(__file__).resolve().parents[2] / "samples" / "infusion-pump" / "model.yaml")
    text = text_of(build_guides(model)["deployment"])
    assert "F-14 RADIUS authentication: the model names RADIUS or RadSec but not its version" not in text
    assert "F-14 RADIUS authentication: which of RADIUS or RadSec does it use (the rules list UDP 1812 or TCP 2083" in text


@pytest.mark.parametrize(
    ("protocol", "asked"),
    [
        ("MQTT", "which runs in clear or over TLS (on TCP 1883 and TCP 8883 by its standard; a device may be set to other ports)"),
        ("CoAP", "which runs in clear or over DTLS (on UDP 5683 and UDP 5684 by its standard; a device may be set to other ports)"),
        ("DNS", "unless over TLS (TCP 853 by its standard) or HTTPS"),
    ],
)
def test_a_standard_port_named_in_a_question_is_said_to_be_the_standards(protocol: str, asked: str) -> None:
    """A telemetry gateway "MQTT" with no port: "which runs in clear on TCP 1883 and over TLS on TCP 8883" read as the
    device's ports, which the model never gives; they are the protocol's standard ports, and the device may use others."""
    _, text = _guide("", protocol)
    questions = text[text.index("## Questions for the device maker") :]
    assert asked in questions, questions
