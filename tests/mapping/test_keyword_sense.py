"""A keyword counts as evidence only in the sense the clause means. A keyword is found where a word starts
("recover" is not in "irrecoverable"), not after "non-", and not in a clause whose subject is the attacker
("Attackers can exploit…" describes the attack, not a measure); and the shipped keyword lists leave out
words that real controls use in another sense ("TLS to encrypt the traffic" is no measure limiting impact
on other networks, "regularly update and rotate keys" no secure update distribution). Texts from the corpus
(Kubernetes admission control, exposure notifications, Uptane STRIDE, Azure IoT)."""

from __future__ import annotations

import pytest

from mdptm.mapping.engine import map_model
from mdptm.model import Asset, Control, Document, Model, Product, Threat
from mdptm.model.evidence import affirmed


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ("Devices destroy the secret upon Factory Data Reset, thus rendering data irrecoverable", "recover"),
        ("Devices using the SE in general provide non-recoverability of keys", "recover"),
        ("Kubernetes allows all external traffic by default. Attackers can exploit these situations", "exploit"),
        ("An adversary must either have root-exploited the device or compromised the app", "exploit"),
        ("Any potential attack would require relayed broadcasts to persist", "broadcast"),
        # the Exposure Notifications FAQ (corpus, M-9): a lead-in before the attacker is still the attack
        ("This means that an adversary must either have root-exploited the device or compromised the app", "exploit"),
        ("In this case, an attacker could disable logging on the device", "logging"),
    ],
)
def test_keyword_in_the_wrong_sense_is_not_affirmed(text: str, keyword: str) -> None:
    assert affirmed(text, [keyword]) == []


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ("Use rate limiting and anomaly detection to prevent DoS attacks", "rate limit"),
        ("Throttling of outbound requests", "throttl"),
        ("Attack surface: disable unused ports", "disable"),
        ("Nightly backups; the biomed tool can restore the configuration", "restore"),
        ("Signed firmware-update packages", "update"),
        ("Rate limiting stops an attacker from flooding the server", "rate limit"),  # the measure comes first
        ("To prevent this, the firewall blocks the attacker's address", "firewall"),
        ("We ensure that logging records every attacker action", "logging"),
    ],
)
def test_keyword_in_its_sense_is_affirmed(text: str, keyword: str) -> None:
    assert affirmed(text, [keyword]) == [keyword]


def _model(*controls: Control) -> Model:
    return Model(
        product=Product(name="P", manufacturer="M"),
        document=Document(version="1.0"),
        assets=[Asset(id="A1", name="Configuration", kind="configuration")],
        controls=list(controls),
        threats=[Threat(id="T1", title="Tampering", stride=["tampering"], status="mitigated", controls=[c.id for c in controls])],
    )


def _evidence(m: Model, framework: str, clause: str) -> list[str]:
    cov = map_model(m)
    return next(c for fw in cov.frameworks if fw.id == framework for c in fw.clauses if c.id == clause).evidence


def test_controls_in_another_sense_are_not_evidence() -> None:
    m = _model(
        Control(id="C-7", title="(D)TLS (PSK/RSA) to encrypt the traffic", category="cryptography", status="implemented"),
        Control(
            id="M-133",
            title="Key protection",
            category="cryptography",
            status="implemented",
            description="Use HSMs to protect keys. Regularly update and rotate keys to minimize the impact of key compromise.",
        ),
        Control(
            id="M-6",
            title="Diagnosis server",
            category="confidentiality",
            status="implemented",
            description="We recommend that diagnosis server operators limit retention of potentially identifiable information.",
        ),
        Control(
            id="M-9",
            title="Egress policy",
            category="authorization",
            status="implemented",
            description="Kubernetes allows all external traffic by default. Attackers can exploit these situations.",
        ),
    )
    assert "C-7" not in _evidence(m, "cra-annex-i", "I.2.i")
    assert "M-133" not in _evidence(m, "cra-annex-i", "I.2.g")
    assert "M-133" not in _evidence(m, "cra-annex-i", "II.7")
    assert "M-6" not in _evidence(m, "fda-premarket", "labeling.10")
    assert "M-9" not in _evidence(m, "cra-annex-i", "I.2.i") and "M-9" not in _evidence(m, "cra-annex-i", "I.2.k")


def test_controls_in_the_clause_sense_still_are() -> None:
    m = _model(
        Control(id="C-1", title="Outbound rate limiting", category="resiliency_recovery", status="implemented"),
        Control(
            id="C-2",
            title="Data minimisation",
            category="confidentiality",
            status="implemented",
            description="The pump collects only the data its therapy needs; logs are pseudonymised.",
        ),
        Control(
            id="C-3", title="Signed firmware", category="integrity", status="implemented", description="Every firmware image is signed."
        ),
        Control(
            id="C-4",
            title="Configuration backup",
            category="resiliency_recovery",
            status="implemented",
            description="Biomed can back up and restore the configuration.",
        ),
    )
    assert "C-1" in _evidence(m, "cra-annex-i", "I.2.i")
    assert "C-2" in _evidence(m, "cra-annex-i", "I.2.g")
    assert "C-3" in _evidence(m, "cra-annex-i", "II.7")
    assert "C-4" in _evidence(m, "fda-premarket", "labeling.10")


def test_recovering_data_or_a_database_is_no_retention_of_the_configuration() -> None:
    """FDA labelling 10 asks how the configuration is kept and recovered. "recover" alone matched the attacker who
    recovers data after a reset (exposure notifications, M-8: the only evidence the clause had) and the database
    recovered after an attack (Dragonfly, M-3)."""
    m = _model(
        Control(
            id="M-8",
            title="Storage encryption",
            category="cryptography",
            status="implemented",
            description="Devices running FBE or FDE generally require at least the physical compromise of the flash memory "
            "to recover any data after FDR.",
        ),
        Control(
            id="M-3",
            title="Database cache",
            category="resiliency_recovery",
            status="implemented",
            description="Scheduler and manager cache the data in memory. Users can use the short time to recover the database.",
        ),
        Control(
            id="M-39",
            title="Implement secure logging to record all backup and recovery operations",
            category="event_logging",
            status="implemented",
        ),  # fmt: skip
        Control(
            id="C-5",
            title="Settings recovery",
            category="resiliency_recovery",
            status="implemented",
            description="After a repair, biomed recovers the configuration from the exported file.",
        ),
        Control(
            id="M-53",
            title="Restore",
            category="integrity",
            status="implemented",
            description="Use backup and recovery mechanisms to quickly restore configuration data to a known good state.",
        ),  # fmt: skip
    )
    got = _evidence(m, "fda-premarket", "labeling.10")
    assert "M-8" not in got and "M-3" not in got
    assert {"C-5", "M-53", "M-39"} <= set(got)  # a backup, a configuration recovered or restored still counts


def test_a_secure_development_environment_names_no_secure_development_framework() -> None:
    """MC2 v2.46 asks the supplier to attest a secure development framework. AWS timeshift's BSC60 "Use Amazon
    recommended build and deployment tools to maintain a secure development environment" names tools and a place;
    the rationale called it a "named secure development framework"."""
    m = _model(
        Control(
            id="BSC60",
            title="Use Amazon recommended build and deployment tools to maintain a secure development environment",
            status="implemented",
        ),  # fmt: skip
        Control(id="C-9", title="Secure development lifecycle per IEC 81001-5-1", status="implemented"),
        Control(id="C-10", title="We follow a secure development process with threat modelling and code review", status="implemented"),
    )
    got = _evidence(m, "mc2", "v2.46")
    assert "BSC60" not in got
    assert {"C-9", "C-10"} <= set(got)
