"""The canonical threat model ``mdptm/1`` (SPEC §2).

One pydantic v2 model. Every item shares one id namespace so that a reference is never ambiguous;
``source``, ``notes`` and ``extra`` keep provenance and unmapped data but are never published.
The model itself does not check cross-references: :mod:`mdptm.model.validate` reports every problem at
once instead of failing on the first.

No ``from __future__ import annotations`` here: with it every field's annotation is a string that pydantic
compiles when the class is built, a tenth of the time every command spends building these classes.
Annotations therefore name only what is defined above them.
"""

from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_ID: Literal["mdptm/1"] = "mdptm/1"
PLACEHOLDER = "UNKNOWN: set it in mdptm.yaml"

Sensitivity = Literal["public", "internal", "confidential", "trade_secret"]
ElementKind = Literal[
    "device",
    "software",
    "process",
    "data_store",
    "external_entity",
    "cloud_service",
    "mobile_app",
    "network",
    "hardware",
]
AssetKind = Literal[
    "phi",
    "pii",
    "therapy_data",
    "configuration",
    "credential",
    "cryptographic_key",
    "firmware",
    "log",
    "clinical_function",
    "other",
]
Rating = Literal["low", "medium", "high"]
RiskLevel = Literal["low", "medium", "high", "critical"]
ViewKind = Literal["global_system", "multi_patient_harm", "updatability_patchability", "security_use_case"]
Stride = Literal[
    "spoofing",
    "tampering",
    "repudiation",
    "information_disclosure",
    "denial_of_service",
    "elevation_of_privilege",
]
PatientHarm = Literal["none", "negligible", "minor", "serious", "critical", "catastrophic"]
ThreatStatus = Literal["mitigated", "partially_mitigated", "accepted", "transferred", "open", "not_applicable"]
ControlCategory = Literal[
    "authentication",
    "authorization",
    "cryptography",
    "integrity",
    "confidentiality",
    "event_logging",
    "resiliency_recovery",
    "updatability_patchability",
    "other",
]
Responsibility = Literal["manufacturer", "customer", "shared", "third_party"]
ControlStatus = Literal["implemented", "planned", "not_implemented"]
DocStatus = Literal["draft", "in_review", "approved", "published"]
Decision = Literal["approved", "rejected"]
CraCategory = Literal["default", "important_class_i", "important_class_ii", "critical"]
CraScope = Literal["in_scope", "excluded_mdr_ivdr", "unknown"]
LikelihoodBasis = Literal["exploitability", "probability"]
StateKind = Literal["operational", "clinical"]
ZoneKind = Literal["network", "physical", "on_body", "cloud", "vendor", "internet"]
DependencyService = Literal[
    "dns",
    "ntp",
    "dhcp",
    "directory",
    "identity_provider",
    "certificate_revocation",
    "pki",
    "network_access_control",
    "os_updates",
    "antivirus_updates",
    "syslog",
    "service_tool_internet",
    "other",
]

STRIDE_ORDER: tuple[Stride, ...] = (
    "spoofing",
    "tampering",
    "repudiation",
    "information_disclosure",
    "denial_of_service",
    "elevation_of_privilege",
)
CONTROL_CATEGORIES: tuple[ControlCategory, ...] = (
    "authentication",
    "authorization",
    "cryptography",
    "integrity",
    "confidentiality",
    "event_logging",
    "resiliency_recovery",
    "updatability_patchability",
    "other",
)
VIEW_KINDS: tuple[ViewKind, ...] = (
    "global_system",
    "multi_patient_harm",
    "updatability_patchability",
    "security_use_case",
)


def empty_list() -> list[Any]:
    """A new empty list: the default of every list field. ``Field(default_factory=list)`` would make pydantic
    read the signature of the built-in ``list`` from its text for every such field (a third of building
    these classes, paid by every command at start-up); a plain function's signature is free."""
    return []


def empty_dict() -> dict[Any, Any]:
    """A new empty mapping: the default of every mapping field (why not ``dict``: see :func:`empty_list`)."""
    return {}


class Strict(BaseModel):
    """Base for every model class: unknown keys are errors, never silently accepted."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False, allow_inf_nan=False)


class Source(Strict):
    """Where an item came from; internal, never published."""

    file: str | None = None
    locator: str | None = None
    importer: str | None = None


class Item(Strict):
    """Fields every identifiable item carries (SPEC §2)."""

    id: str
    description: str = ""
    sensitivity: Sensitivity = "public"
    tags: list[str] = Field(default_factory=empty_list)
    source: Source | None = None
    notes: str | None = None
    extra: dict[str, Any] = Field(default_factory=empty_dict)  # Any: whatever a source's unmapped column or property held


class Regulatory(Strict):
    fda_product_code: str | None = None
    submission_type: str | None = None
    submission_number: str | None = None
    cra_category: CraCategory | None = None
    cra_scope: CraScope = "unknown"


class Product(Strict):
    name: str
    manufacturer: str
    model: str | None = None
    version: str | None = None
    intended_use: str | None = None
    description: str | None = None
    device_type: str | None = None
    regulatory: Regulatory = Field(default_factory=Regulatory)


class HistoryEntry(Strict):
    version: str
    date: str | None = None
    summary: str = ""


class Signoff(Strict):
    role: str
    name: str
    date: str | None = None
    decision: Decision
    comment: str | None = None


class Document(Strict):
    title: str | None = None
    version: str
    date: str | None = None
    status: DocStatus = "draft"
    history: list[HistoryEntry] = Field(default_factory=empty_list)
    signoffs: list[Signoff] = Field(default_factory=empty_list)


class Element(Item):
    name: str
    kind: ElementKind = "process"
    trust_zone: str | None = None
    # FDA Appendix 2 detail for the architecture views.
    dormant_interfaces: list[str] = Field(default_factory=empty_list)  # dormant, debug or unused interfaces, how each is closed
    key_lifecycle: str | None = None  # how keys and credentials are provisioned, stored, rotated and revoked
    sessions: str | None = None  # identity and session management: establishment, timeout, termination
    default_settings: str | None = None  # security settings as shipped


class TrustZone(Item):
    name: str
    trust_level: int | None = None
    kind: ZoneKind | None = None  # None: not stated (the guides infer it from the name, and say so)


class Flow(Item):
    """A data flow. SPEC §2 names its ends ``source``/``target``, so on flows alone the
    provenance that other items keep in ``source`` lives in ``provenance``."""

    name: str = ""
    source: str  # type: ignore[assignment]
    target: str
    provenance: Source | None = None
    protocol: str | None = None
    port: str | None = None
    data: list[str] = Field(default_factory=empty_list)
    authentication: str | None = None
    encryption: str | None = None
    bidirectional: bool = False
    initiator: str | None = None  # element id of the end that opens the connection; None: not stated


class Asset(Item):
    name: str
    kind: AssetKind = "other"
    confidentiality: Rating | None = None
    integrity: Rating | None = None
    availability: Rating | None = None
    stored_in: list[str] = Field(default_factory=empty_list)
    disposal: str | None = None


class Diagram(Strict):
    path: str
    caption: str | None = None


class View(Item):
    kind: ViewKind
    name: str
    elements: list[str] = Field(default_factory=empty_list)
    flows: list[str] = Field(default_factory=empty_list)
    threats: list[str] = Field(default_factory=empty_list)
    controls: list[str] = Field(default_factory=empty_list)
    steps: list[str] = Field(default_factory=empty_list)
    diagram: Diagram | None = None
    # How the system detects, responds to and recovers from an attack (FDA V.B.2(b): Multi-Patient Harm View).
    detect: str | None = None
    respond: str | None = None
    recover: str | None = None


class Risk(Strict):
    likelihood: str | None = None
    severity: str | None = None
    score: float | None = None
    level: RiskLevel | None = None
    scale: str | None = None
    # What the likelihood axis rates: FDA V.A.2 asks for exploitability rather than probability.
    likelihood_basis: LikelihoodBasis | None = None

    def rated(self) -> bool:
        """Whether this states a rating: a risk level, a score, or both a likelihood and a severity. A severity (or a
        likelihood) alone rates no risk: it is one axis of it."""
        return bool(self.level or self.score is not None or (self.likelihood and self.severity))


class Threat(Item):
    title: str
    stride: list[Stride] = Field(default_factory=empty_list)
    targets: list[str] = Field(default_factory=empty_list)
    assets: list[str] = Field(default_factory=empty_list)
    risk: Risk | None = None
    residual_risk: Risk | None = None
    patient_harm: PatientHarm | None = None
    multi_patient: bool | None = None
    controls: list[str] = Field(default_factory=empty_list)
    # How the source states the links in ``controls``: a link the source states for this threat and control
    # (a mitigation written under the threat, an id in its row) is in neither list below.
    controls_grouped: list[str] = Field(
        default_factory=empty_list,
        description="Controls of 'controls' that the source lists beside this threat under one heading without "
        "pairing them (a STRIDE section's threats and countermeasures): linked as a group, not a stated pair.",
    )
    controls_disputed: list[str] = Field(
        default_factory=empty_list,
        description="Controls the source links to this threat in one direction only: the threat names the control "
        "but the control's list of the threats it mitigates leaves this threat out (the id is in 'controls'), or "
        "the control lists this threat but the threat does not name the control (the id is not in 'controls': "
        "not linked). Forward and back links disagree.",
    )
    status: ThreatStatus = "open"
    # False when the threat came from a document (Word, Excel, CSV, Markdown) that gives it no status: the
    # threat keeps "open" (nothing says it is treated), but the documents say "status not stated" rather than
    # claim the device maker left it open. A model file's own status (or its default) is stated.
    status_stated: bool = Field(
        default=True,
        description="False when the source document states no status for the threat: 'open' is then mdptm's "
        "reading, not the device maker's statement.",
    )
    rationale: str | None = None
    cvss: str | None = None
    cwe: list[str] = Field(default_factory=empty_list)
    capec: list[str] = Field(default_factory=empty_list)
    cvss_score: float | None = None
    hazards: list[str] = Field(default_factory=empty_list)  # ids in the maker's ISO 14971 hazard analysis
    cve: list[str] = Field(default_factory=empty_list)  # known vulnerabilities the threat rests on
    kev: bool | None = None  # one of them is in CISA's Known Exploited Vulnerabilities catalog

    def stated_status(self) -> str:
        """The status as the documents tell it: ``"status_not_stated"`` for an open threat whose source states none."""
        return "status_not_stated" if self.status == "open" and not self.status_stated else self.status


class Control(Item):
    title: str
    category: ControlCategory = "other"
    responsibility: Responsibility = "manufacturer"
    status: ControlStatus = "implemented"
    verification: list[str] = Field(default_factory=empty_list)
    # False when the control came from a document (Word, Excel, CSV, Markdown) that gives it no status: a
    # listed mitigation reads as "implemented" (what a threat model's mitigations usually are), but that is
    # mdptm's reading, not the maker's claim, so the mapping counts it at most partial and the documents
    # say the status is not stated. A model file's own default ("implemented") is stated.
    status_stated: bool = True
    # False when the source names no one for the control (a register without a responsibility column, a
    # mitigation written on a threat): "manufacturer" is then mdptm's reading of a device maker's threat
    # model, not the maker's statement, and the documents say so rather than "run by the device maker".
    responsibility_stated: bool = Field(
        default=True,
        description="False when the source names no one who runs the control: 'manufacturer' is then mdptm's "
        "reading, not the device maker's statement.",
    )
    # A verification the source reports as not passed ("TC-202: Fail — fix planned for 2.1"): the test shows the
    # control does not work yet, so it is not shown or counted as implemented, whatever its status says.
    verification_failed: str | None = Field(
        default=None,
        description="A verification of the control that the source reports as not passed, with its result "
        "('TC-202: Fail — fix planned for 2.1'): the control is not shown or counted as implemented.",
    )
    # When a planned control is due, as the source gives it beside the control ("Target Completion Date: 2026-08-31"):
    # the documents show it with the status ("Planned for 2026-08-31") rather than "Planned" alone.
    planned_for: str | None = Field(
        default=None,
        description="The release or date a planned control is due, as the source gives it ('2026-08-31', "
        "'release 2.1'); shown with its status.",
    )


class Assumption(Item):
    text: str
    responsibility: Responsibility | None = None


class OutOfScope(Item):
    text: str
    rationale: str | None = None


class Support(Strict):
    end_of_support: str | None = None
    vulnerability_disclosure: str | None = None
    patch_policy: str | None = None
    sbom: str | None = None
    contact: str | None = None
    data_disposal: str | None = None


class ScalePoint(Strict):
    """One level of a rating scale with what it means."""

    value: str
    meaning: str = ""


class State(Strict):
    """An operational or clinical state of the device (FDA V.B.2(d)) and the views that cover it."""

    id: str
    name: str
    kind: StateKind
    description: str = ""
    views: list[str] = Field(default_factory=empty_list)  # security use case views covering the state
    justification: str | None = None  # why no security use case view is needed


class Anomaly(Strict):
    """A known unresolved anomaly (software defect) shipped with the device (FDA V.A.5)."""

    id: str
    title: str
    description: str = ""
    cwe: list[str] = Field(default_factory=empty_list)
    cvss: str | None = None
    affects: list[str] = Field(default_factory=empty_list)  # element or flow ids
    threats: list[str] = Field(default_factory=empty_list)  # threat ids it bears on
    impact: str | None = None  # the security impact assessment
    rationale: str | None = None  # why it may ship unresolved (the criteria it meets)
    fix: str | None = None  # planned resolution


class Metrics(Strict):
    """TPLC security metrics (FDA V.A.6) over a stated period."""

    period: str | None = None
    vulnerabilities_identified: int | None = None
    vulnerabilities_patched: int | None = None
    days_to_patch: float | None = None  # mean days from identification to an available patch
    days_to_deploy: float | None = None  # mean days from patch availability to deployment in the field
    note: str | None = None


class RiskManagement(Strict):
    """The maker's security risk management facts that only the regulatory submission carries."""

    method: str | None = None  # the scoring method
    exploitability_scale: list[ScalePoint] = Field(default_factory=empty_list)
    severity_scale: list[ScalePoint] = Field(default_factory=empty_list)
    acceptance: str | None = None  # the acceptance criteria in words
    acceptable_levels: list[RiskLevel] = Field(default_factory=empty_list)  # residual levels acceptable as they are
    justify_levels: list[RiskLevel] = Field(default_factory=empty_list)  # acceptable only with a benefit-risk rationale
    safety_transfer: str | None = None  # how security risks enter the ISO 14971 safety risk assessment
    hazard_file: str | None = None  # the maker's ISO 14971 risk management file
    known_vulnerabilities: str | None = None  # the known-vulnerability (CISA KEV) statement
    states: list[State] = Field(default_factory=empty_list)
    anomalies: list[Anomaly] = Field(default_factory=empty_list)
    metrics: Metrics | None = None
    documents: dict[str, str] = Field(default_factory=empty_dict)  # FDA Appendix 4 row -> the maker's own document


class Dependency(Item):
    """Infrastructure the device needs from its surroundings (DNS, NTP, a directory, syslog...)."""

    name: str
    service: DependencyService = "other"
    elements: list[str] = Field(default_factory=empty_list)  # the elements that need it
    protocol: str | None = None
    port: str | None = None
    provided_by: Responsibility | None = None


# Collections in their fixed order, with the singular kind used in reports and diffs.
COLLECTIONS: tuple[tuple[str, str], ...] = (
    ("trust_zones", "trust_zone"),
    ("elements", "element"),
    ("flows", "flow"),
    ("assets", "asset"),
    ("views", "view"),
    ("threats", "threat"),
    ("controls", "control"),
    ("assumptions", "assumption"),
    ("out_of_scope", "out_of_scope"),
    ("dependencies", "dependency"),
)


class Model(Strict):
    """A whole threat model. Field order here is the serialised key order."""

    schema_: Literal["mdptm/1"] = Field(default=SCHEMA_ID, alias="schema")
    product: Product
    document: Document
    elements: list[Element] = Field(default_factory=empty_list)
    trust_zones: list[TrustZone] = Field(default_factory=empty_list)
    flows: list[Flow] = Field(default_factory=empty_list)
    assets: list[Asset] = Field(default_factory=empty_list)
    views: list[View] = Field(default_factory=empty_list)
    threats: list[Threat] = Field(default_factory=empty_list)
    controls: list[Control] = Field(default_factory=empty_list)
    assumptions: list[Assumption] = Field(default_factory=empty_list)
    out_of_scope: list[OutOfScope] = Field(default_factory=empty_list)
    support: Support = Field(default_factory=Support)
    risk_management: RiskManagement = Field(default_factory=RiskManagement)
    dependencies: list[Dependency] = Field(default_factory=empty_list)

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def items(self) -> Iterator[tuple[str, Item]]:
        """Every identifiable item with its singular kind, in collection order."""
        for attr, kind in COLLECTIONS:
            for item in getattr(self, attr):
                yield kind, item

    def index(self) -> dict[str, Item]:
        """Id → item (the first of duplicates wins; validation reports the rest)."""
        out: dict[str, Item] = {}
        for _, item in self.items():  # noqa: PERF102
            out.setdefault(item.id, item)
        return out

    @classmethod
    def empty(cls) -> "Model":
        """A model with visible placeholders where required facts are still unknown."""
        return cls(
            product=Product(name=PLACEHOLDER, manufacturer=PLACEHOLDER),
            document=Document(version=PLACEHOLDER),
        )


def provenance(item: Item) -> Source | None:
    """Where an item came from, whatever its kind (flows keep it in ``provenance``)."""
    if isinstance(item, Flow):
        return item.provenance
    return item.source


def set_provenance(item: Item, src: Source) -> None:
    if isinstance(item, Flow):
        item.provenance = src
    else:
        item.source = src
